//! A JSON-RPC client of `orbit lsp` for its tests and its benchmark: starts the binary, writes
//! frames to its stdin, decodes what it writes.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

/// How long to wait for any one message.
const WAIT: Duration = Duration::from_secs(120);

/// The `file:` URI of a path.
pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A client: the server's stdin, and every message it writes, decoded.
pub struct Client {
    /// The server process.
    pub child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    /// Messages received while waiting for another.
    pending: Vec<Value>,
    /// What the server wrote on stderr (complete once it exited).
    pub stderr: Arc<Mutex<String>>,
    stderr_thread: Option<std::thread::JoinHandle<()>>,
    next_id: i64,
}

impl Client {
    /// Starts `orbit lsp` in `dir` and initializes it with `capabilities`.
    pub fn start(dir: &Path, env: &[(&str, &str)], capabilities: Value) -> (Client, Value) {
        Client::start_bin(env!("CARGO_BIN_EXE_orbit"), dir, env, capabilities)
    }

    /// As [`Client::start`], with the binary at `bin`.
    pub fn start_bin(
        bin: &str,
        dir: &Path,
        env: &[(&str, &str)],
        capabilities: Value,
    ) -> (Client, Value) {
        let mut cmd = Command::new(bin);
        cmd.arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_remove("RUST_BACKTRACE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("orbit lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut stderr_pipe = child.stderr.take().unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let stderr_thread = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr_pipe.read_to_string(&mut s);
            sink.lock().unwrap().push_str(&s);
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("a Content-Length header")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let mut c = Client {
            child,
            stdin,
            rx,
            pending: Vec::new(),
            stderr,
            stderr_thread: Some(stderr_thread),
            next_id: 0,
        };
        let init = c.request(
            "initialize",
            json!({ "processId": null, "rootUri": uri(dir), "capabilities": capabilities }),
        );
        c.notify("initialized", json!({}));
        (c, init)
    }

    /// Writes one frame holding `body`.
    pub fn write_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        let m = json!({ "jsonrpc": "2.0", "method": method, "params": params });
        self.write_raw(&m.to_string());
    }

    /// Sends a request and waits for its response (the whole response object).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let m = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        self.write_raw(&m.to_string());
        self.wait(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// The result of a request that must succeed.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// The first message (received or still to come) that `want` accepts.
    pub fn wait(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&want) {
            return self.pending.remove(i);
        }
        loop {
            let m = self.rx.recv_timeout(WAIT).unwrap_or_else(|_| {
                panic!(
                    "no expected message from the server; stderr:\n{}",
                    self.stderr.lock().unwrap()
                )
            });
            // Answer the server's own requests (registerCapability) as a client does.
            if m.get("method").is_some() && m.get("id").is_some() {
                let reply = json!({ "jsonrpc": "2.0", "id": m["id"], "result": null });
                self.write_raw(&reply.to_string());
                self.pending.push(m.clone());
                continue;
            }
            if want(&m) {
                return m;
            }
            self.pending.push(m);
        }
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// `textDocument/didOpen`.
    pub fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    /// `textDocument/didChange`.
    pub fn change(&mut self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        );
    }

    /// `shutdown`, `exit`, and the exit code.
    pub fn stop(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        if let Some(t) = self.stderr_thread.take() {
            let _ = t.join();
        }
        status.code().unwrap_or(-1)
    }
}
