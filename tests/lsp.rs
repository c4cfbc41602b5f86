//! The language server spoken to as an editor speaks to it: the real binary, JSON-RPC messages
//! over its stdin and stdout, each checked for what the editor would show.

#![cfg(feature = "lsp")]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::copy_dir;

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

/// A failed test leaves no server behind, hung or not.
impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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

    /// Bytes as they are, frame or not.
    fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// The next message, which must be the error reply to a frame that was no request: its code.
    fn rejection(&mut self) -> i64 {
        let message = self.receive();
        assert_eq!(message["jsonrpc"], "2.0", "{message}");
        assert_eq!(message.get("id"), Some(&Value::Null), "{message}");
        assert!(message["error"]["message"].is_string(), "{message}");
        message["error"]["code"].as_i64().expect("an error reply")
    }

    /// The server's exit status, within 10 seconds.
    fn exit_status(&mut self) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The server's peak resident memory so far, in bytes (Linux).
    fn peak_memory(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
        let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kilobytes * 1024)
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
fn hover_and_completion_cover_every_kind_in_the_version_written() {
    let data = tempfile::tempdir().unwrap();
    let mut client = initialized(data.path());
    let uri = "file:///work/routes.yaml";
    let text = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: shop\nspec:\n  parentRefs:\n  - name: public\n  \n---\napiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  targetCPUUtilizationPercentage: 70\n  \n";
    client.open(uri, text);
    let hover = client.request(
        "textDocument/hover",
        &json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 4}}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("HTTPRoute.spec.parentRefs"), "{shown}");
    // The blank line in the HTTPRoute's spec offers its fields.
    let labels = |client: &mut Client, line: u32| -> Vec<String> {
        client
            .request(
                "textDocument/completion",
                &json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 2}}),
            )
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["label"].as_str().unwrap().to_string())
            .collect()
    };
    let route = labels(&mut client, 7);
    for field in ["hostnames", "rules", "parentRefs"] {
        assert!(
            route.iter().any(|label| label == field),
            "{field} in {route:?}"
        );
    }
    // autoscaling/v1 has targetCPUUtilizationPercentage; v2 (the preferred version) has metrics.
    let hpa = labels(&mut client, 15);
    assert!(
        hpa.iter()
            .any(|label| label == "targetCPUUtilizationPercentage"),
        "{hpa:?}"
    );
    assert!(!hpa.iter().any(|label| label == "metrics"), "{hpa:?}");
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

const APP: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      envFrom:\n        - configMapRef:\n            name: app-config\n      \n";

/// Hover and completion on `APP`, answered as they should be.
fn still_serves(client: &mut Client, uri: &str) {
    let hover = client.request(
        "textDocument/hover",
        &json!({"textDocument": {"uri": uri}, "position": {"line": 8, "character": 9}}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("Pod.spec.containers.envFrom"), "{shown}");
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
    assert!(labels.contains(&"image"), "{labels:?}");
}

/// A session that sends `frame` in the middle: the server answers it with the error `code`,
/// then serves on, on the same stream, and shuts down cleanly. Returns its peak memory.
fn survives(frame: &[u8], code: i64) -> Option<u64> {
    let data = tempfile::tempdir().unwrap();
    let mut client = initialized(data.path());
    let uri = "file:///work/app.yaml";
    client.open(uri, APP);
    client.send_raw(frame);
    assert_eq!(
        client.rejection(),
        code,
        "{:?}",
        String::from_utf8_lossy(frame)
    );
    still_serves(&mut client, uri);
    let peak = client.peak_memory();
    assert_eq!(client.request("shutdown", &Value::Null), Value::Null);
    client.notify("exit", &Value::Null);
    assert_eq!(client.exit_status().code(), Some(0));
    peak
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    frame
}

#[test]
fn a_body_that_is_not_json_is_a_parse_error_and_the_server_serves_on() {
    survives(
        &framed(br#"{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover""#),
        -32700,
    );
}

#[test]
fn a_body_that_is_not_utf8_is_a_parse_error_and_the_server_serves_on() {
    survives(
        &framed(b"{\"jsonrpc\": \"2.0\", \"method\": \"\xff\xfe\xc3\"}"),
        -32700,
    );
}

#[test]
fn an_empty_array_is_an_invalid_request_and_the_server_serves_on() {
    survives(&framed(b"[]"), -32600);
}

#[test]
fn null_is_an_invalid_request_and_the_server_serves_on() {
    survives(&framed(b"null"), -32600);
}

#[test]
fn a_content_length_that_is_not_a_number_is_a_parse_error_and_the_server_resynchronises() {
    survives(
        b"Content-Length: twelve\r\n\r\n{\"jsonrpc\": \"2.0\", \"method\": \"initialized\"}",
        -32700,
    );
}

#[test]
fn a_header_without_content_length_is_a_parse_error_and_the_server_resynchronises() {
    survives(
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"jsonrpc\": \"2.0\", \"method\": \"initialized\"}",
        -32700,
    );
}

#[test]
fn a_terabyte_content_length_is_refused_unread_and_the_server_serves_on() {
    survives(
        b"Content-Length: 1000000000000\r\n\r\n{\"jsonrpc\": \"2.0\", \"method\": \"initialized\"}",
        -32700,
    );
}

#[test]
fn a_4_gb_content_length_with_a_short_body_costs_no_memory() {
    let peak = survives(
        b"Content-Length: 4000000000\r\n\r\n{\"jsonrpc\": \"2.0\", \"method\": \"initialized\"}",
        -32700,
    );
    if let Some(peak) = peak {
        assert!(peak < 200 << 20, "peak memory {} MiB", peak >> 20);
    }
}

#[test]
fn a_bad_frame_before_initialize_is_answered_and_the_handshake_still_works() {
    let data = tempfile::tempdir().unwrap();
    let mut client = Client::start(data.path());
    client.send_raw(&framed(b"not json"));
    assert_eq!(client.rejection(), -32700);
    // A request before initialize is refused, and the handshake follows.
    client.next_id += 1;
    let id = client.next_id;
    client.send(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {}}));
    let refused = client.receive();
    assert_eq!(refused["id"], id);
    assert_eq!(refused["error"]["code"], -32002);
    drop(client);
    let mut client = initialized(data.path());
    let uri = "file:///work/app.yaml";
    client.open(uri, APP);
    still_serves(&mut client, uri);
}

#[test]
fn exit_without_shutdown_is_exit_status_1() {
    let data = tempfile::tempdir().unwrap();
    let mut client = initialized(data.path());
    client.notify("exit", &Value::Null);
    assert_eq!(client.exit_status().code(), Some(1));
}

#[test]
fn shutdown_then_exit_is_exit_status_0_and_requests_between_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let mut client = initialized(data.path());
    assert_eq!(client.request("shutdown", &Value::Null), Value::Null);
    client.next_id += 1;
    let id = client.next_id;
    client.send(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {}}));
    let refused = client.receive();
    assert_eq!(refused["id"], id);
    assert_eq!(refused["error"]["code"], -32600);
    client.notify("exit", &Value::Null);
    assert_eq!(client.exit_status().code(), Some(0));
}

#[test]
fn a_parameterized_exercise_is_graded_in_the_variant_its_comment_names() {
    let data = tempfile::tempdir().unwrap();
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/variants"),
        &kubedrill::paths::decks_dir(data.path()).join("variants"),
    );
    let mut client = initialized(data.path());
    // Variant 4 of scaling/replicas: 4 replicas of the app `api` on port 9090.
    let answer = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 4\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: nginx\n          ports:\n            - containerPort: 9090\n";
    let failing = |client: &mut Client, uri: &str, header: &str| -> Vec<String> {
        client
            .open(uri, &format!("{header}\n{answer}"))
            .iter()
            .filter(|d| d["source"] == "kubedrill grade")
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    let fourth = failing(
        &mut client,
        "file:///work/fourth.yaml",
        "# kubedrill: scaling/replicas variant 4",
    );
    assert!(fourth.is_empty(), "{fourth:?}");
    let first = failing(
        &mut client,
        "file:///work/first.yaml",
        "# kubedrill: scaling/replicas",
    );
    assert!(first.contains(&"replicas".to_string()), "{first:?}");
}
