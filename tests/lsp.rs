//! The language server spoken to as an editor speaks to it: the real binary, JSON-RPC messages
//! over its stdin and stdout, each checked for what the editor would show.

#![cfg(feature = "lsp")]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(data: &std::path::Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kubedrill"))
            .args(["lsp", "--data-dir"])
            .arg(data)
            .env_remove("KUBEDRILL_DATA_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0;
                loop {
                    let mut header = String::new();
                    if stdout.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(value) = header.strip_prefix("Content-Length: ") {
                        length = value.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                stdout.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 0,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: &Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response's result.
    fn request(&mut self, method: &str, params: &Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
        }
    }

    fn receive(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(10))
            .expect("the server answers")
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            &json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }
}

const TYPO: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  nmae: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n";

fn initialized(data: &std::path::Path) -> Client {
    let mut client = Client::start(data);
    let result = client.request(
        "initialize",
        &json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    let capabilities = &result["capabilities"];
    assert_eq!(capabilities["hoverProvider"], true);
    assert!(capabilities["completionProvider"].is_object());
    assert_eq!(capabilities["codeActionProvider"], true);
    client.notify("initialized", &json!({}));
    client
}

#[test]
fn a_typo_is_one_diagnostic_with_a_quick_fix_and_the_server_shuts_down_cleanly() {
    let data = tempfile::tempdir().unwrap();
    let mut client = initialized(data.path());
    let uri = "file:///work/pod.yaml";
    let diagnostics = client.open(uri, TYPO);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let typo = &diagnostics[0];
    assert_eq!(
        typo["range"],
        json!({"start": {"line": 3, "character": 2}, "end": {"line": 3, "character": 6}})
    );
    assert_eq!(typo["code"], "unknown-field");
    assert_eq!(typo["severity"], 1);
    assert!(
        typo["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `name`?")
    );

    let actions = client.request(
        "textDocument/codeAction",
        &json!({
            "textDocument": {"uri": uri},
            "range": typo["range"],
            "context": {"diagnostics": [typo]}
        }),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(
        actions[0]["edit"]["changes"][uri],
        json!([{"range": typo["range"], "newText": "name"}])
    );

    // The fix applied: the file is clean.
    client.notify(
        "textDocument/didChange",
        &json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": TYPO.replace("nmae", "name")}]
        }),
    );
    assert!(client.diagnostics(uri).is_empty());

    // Other YAML is left alone.
    assert!(
        client
            .open("file:///work/ci.yaml", "jobs:\n  test: {}\n")
            .is_empty()
    );

    assert_eq!(client.request("shutdown", &Value::Null), Value::Null);
    client.notify("exit", &Value::Null);
    let status = client.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn hover_explains_the_field_and_completion_offers_the_fields_of_a_container() {
    let data = tempfile::tempdir().unwrap();
    let mut client = initialized(data.path());
    let uri = "file:///work/app.yaml";
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      envFrom:\n        - configMapRef:\n            name: app-config\n      \n";
    client.open(uri, text);
    let hover = client.request(
        "textDocument/hover",
        &json!({"textDocument": {"uri": uri}, "position": {"line": 8, "character": 9}}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("Pod.spec.containers.envFrom"), "{shown}");
    assert!(
        shown.contains("populate environment variables"),
        "the field's description: {shown}"
    );
    assert_eq!(hover["range"]["start"], json!({"line": 8, "character": 6}));

    // On the blank line inside the container.
    let completion = client.request(
        "textDocument/completion",
        &json!({"textDocument": {"uri": uri}, "position": {"line": 11, "character": 6}}),
    );
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap())
        .collect();
    for field in ["envFrom", "env", "image", "command", "args", "volumeMounts"] {
        assert!(labels.contains(&field), "{field} in {labels:?}");
    }
    assert!(!labels.contains(&"containers"), "{labels:?}");
}

#[test]
fn an_answer_that_names_its_exercise_shows_the_failing_checks() {
    let data = tempfile::tempdir().unwrap();
    let mut client = initialized(data.path());
    let uri = "file:///work/answer.yaml";
    let text = "# kubedrill: configmaps/app-config-envfrom\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  APP_COLOR: blue\n  APP_MODE: prod\n";
    let diagnostics = client.open(uri, text);
    let failing: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d["source"] == "kubedrill grade")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(failing.contains(&"pod-image"), "{diagnostics:#?}");
    assert!(!failing.contains(&"color-key"), "{diagnostics:#?}");
}
