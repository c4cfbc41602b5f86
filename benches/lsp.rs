//! The language server's answer time (issue target: diagnostics for a 200-line file within
//! 20 ms of a change): the release binary over pipes, as an editor runs it; each change edits
//! the file and the clock runs until its diagnostics arrive. Run: `cargo bench --bench lsp`.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn main() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/data/shop-200-lines.yaml"
    ))
    .unwrap();
    assert!(text.lines().count() >= 200);
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(["lsp", "--data-dir"])
        .arg(data.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut send = |message: Value| {
        let body = message.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    };
    let mut receive = move || -> Value {
        let mut length = 0;
        loop {
            let mut header = String::new();
            stdout.read_line(&mut header).unwrap();
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
        serde_json::from_slice(&body).unwrap()
    };
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    receive();
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let uri = "file:///bench/shop.yaml";
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}}),
    );
    receive();
    let mut times: Vec<Duration> = Vec::new();
    for version in 2..202 {
        // Alternate between the file and the file with a typo, as typing would.
        let changed = if version % 2 == 0 {
            text.replacen("replicas:", "replcas:", 1)
        } else {
            text.clone()
        };
        let started = Instant::now();
        send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": changed}]}}),
        );
        let published = receive();
        times.push(started.elapsed());
        assert_eq!(published["method"], "textDocument/publishDiagnostics");
        assert_eq!(
            published["params"]["diagnostics"]
                .as_array()
                .unwrap()
                .is_empty(),
            version % 2 == 1
        );
    }
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}));
    receive();
    send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    child.wait().unwrap();
    times.sort();
    println!(
        "lsp: diagnostics of a {}-line file after a change: median {:.2} ms, p95 {:.2} ms, slowest {:.2} ms ({} changes)",
        text.lines().count(),
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() * 95 / 100].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0,
        times.len()
    );
}
