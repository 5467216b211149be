//! `orbit lsp` timed as an editor sees it: the release binary driven over stdio.
//!
//! `cargo bench -p orbit-cli --bench lsp` measures, on the synthetic manifests M and L
//! (`orbit_engine::synth`), the time from sending a `didChange` (one character typed into a doc
//! string, then removed) to receiving its `publishDiagnostics`, and at L the time of a `hover`
//! and of a `completion` request, from sending to the response. It prints the median, the 90th
//! percentile and the largest of each. Run without `--bench` (as `cargo test --benches` does),
//! it only checks that it works, on M with few rounds.

#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_client::{uri, Client};
use orbit_engine::synth::{self, Size};
use serde_json::{json, Value};

/// Median, 90th percentile and largest, in milliseconds.
fn summary(mut t: Vec<Duration>) -> String {
    t.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let at = |q: f64| t[((t.len() - 1) as f64 * q).round() as usize];
    format!(
        "median {:7.2} ms  p90 {:7.2} ms  max {:7.2} ms  (n = {})",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(t[t.len() - 1]),
        t.len()
    )
}

/// The LSP position of byte `at` of `text` (UTF-16 units; the synthetic manifests are ASCII).
fn position(text: &str, at: usize) -> Value {
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": at - start })
}

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orbit-lsp-bench-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

struct Run {
    client: Client,
    uri: String,
    text: String,
    version: i32,
}

impl Run {
    fn open(name: &str, text: String) -> (Run, Duration) {
        let dir = scratch(name);
        let path = dir.join("orbit.toml");
        std::fs::write(&path, &text).expect("the manifest is written");
        let (client, _) = Client::start(&dir, &[], json!({}));
        let mut run = Run {
            client,
            uri: uri(&path),
            text,
            version: 1,
        };
        let t = Instant::now();
        let (u, text) = (run.uri.clone(), run.text.clone());
        run.client.open(&u, "toml", &text);
        let d = run.client.diagnostics(&u);
        assert!(d.is_empty(), "the synthetic manifest is valid: {d:?}");
        (run, t.elapsed())
    }

    /// Replaces `range` (bytes) by `new` and waits for the diagnostics of that version.
    fn edit(&mut self, range: std::ops::Range<usize>, new: &str) -> (Duration, usize) {
        self.version += 1;
        let change = json!([{
            "range": { "start": position(&self.text, range.start), "end": position(&self.text, range.end) },
            "text": new,
        }]);
        self.text.replace_range(range, new);
        let u = self.uri.clone();
        let v = self.version;
        let t = Instant::now();
        self.client.change(&u, v, change);
        let m = self.client.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == u
                && m["params"]["version"] == v
        });
        let n = m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
        (t.elapsed(), n)
    }

    /// Types a character into a doc string in the middle of the manifest and removes it,
    /// `rounds` times each.
    fn diagnostics(&mut self, rounds: usize) -> Vec<Duration> {
        let mid = self.text.len() / 2;
        let at = mid + self.text[mid..].find("doc = \"").expect("a doc string") + 7;
        let mut times = Vec::new();
        for _ in 0..rounds {
            let (t, n) = self.edit(at..at, "x");
            assert_eq!(n, 0);
            times.push(t);
            let (t, n) = self.edit(at..at + 1, "");
            assert_eq!(n, 0);
            times.push(t);
        }
        times
    }

    fn requests(&mut self, method: &str, params: Value, rounds: usize) -> (Vec<Duration>, Value) {
        let mut times = Vec::new();
        let mut last = Value::Null;
        for _ in 0..rounds {
            let t = Instant::now();
            last = self.client.call(method, params.clone());
            times.push(t.elapsed());
        }
        (times, last)
    }

    fn finish(self) {
        assert_eq!(self.client.stop(), 0);
    }

    fn at(&self, at: usize) -> Value {
        json!({ "textDocument": { "uri": self.uri }, "position": position(&self.text, at) })
    }
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (sizes, rounds, requests): (&[(&str, Size)], usize, usize) = if bench {
        (&[("M", Size::M), ("L", Size::L)], 15, 200)
    } else {
        (&[("M", Size::M)], 2, 5)
    };
    for &(name, size) in sizes {
        let text = synth::manifest(size);
        let (mut run, first) = Run::open(name, text);
        println!(
            "{name} ({:.1} MB): didOpen → publishDiagnostics {:.1} ms",
            run.text.len() as f64 / 1e6,
            first.as_secs_f64() * 1e3
        );
        println!(
            "{name}: didChange → publishDiagnostics  {}",
            summary(run.diagnostics(rounds))
        );
        if name != "L" && bench {
            run.finish();
            continue;
        }
        // Hover on the start MID of a PID in the middle of the manifest.
        let mid = run.text.len() / 2;
        let pid = mid + run.text[mid..].find("pid = \"").expect("a part") + 8;
        let (t, h) = run.requests("textDocument/hover", run.at(pid), requests);
        assert!(
            h["contents"]["value"]
                .as_str()
                .is_some_and(|v| v.contains("MID")),
            "{h}"
        );
        println!("{name}: hover on a PID's MID          {}", summary(t));
        // Completion of an event's `mid`: the declared MIDs of c4 (hundreds; the first 100).
        let ev = run.text.find("\nmid = \"c4").expect("an event's mid") + 10;
        let (t, c) = run.requests("textDocument/completion", run.at(ev), requests);
        assert!(c["items"].as_array().is_some_and(|i| !i.is_empty()), "{c}");
        println!("{name}: completion of an event's mid   {}", summary(t));
        // Completion of the next free MID in a new header being typed at the end.
        let end = run.text.len();
        let _ = run.edit(end..end, "\n[microservice.c8");
        let end = run.text.len();
        let (t, c) = run.requests("textDocument/completion", run.at(end), requests);
        assert_eq!(c["items"].as_array().map_or(0, Vec::len), 2, "{c}");
        println!("{name}: completion of the next free MID {}", summary(t));
        run.finish();
    }
}
