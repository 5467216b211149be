//! `orbit lsp` end to end: the real binary, spoken to over stdio with JSON-RPC as an editor
//! speaks to it, and once through neovim itself.

mod lsp_client;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use lsp_client::{uri, Client};
use serde_json::{json, Value};

/// The project's own manifest.
const PROJECT: &str = include_str!("../../orbit.toml");
/// A part of the project's leg `manifest-input` (its PID starts 7 characters in).
const PART: &str = "pid = \"c8fms03-c20bre06-e15\"";
/// A manifest with four mistakes (ORB104, ORB303, ORB003, ORB002).
const BROKEN: &str = include_str!("fixtures/broken.toml");

/// A fresh directory under the system's temporary one.
fn scratch(tag: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("orbit-lsp-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Where `needle` (the `nth` occurrence, 0-based) stands in `text`, as an LSP position in
/// UTF-16 units, plus `ahead` characters.
fn pos(text: &str, needle: &str, nth: usize, ahead: usize) -> Value {
    pos_in(text, needle, nth, ahead, false)
}

/// As [`pos`], counting UTF-8 bytes when `utf8`.
fn pos_in(text: &str, needle: &str, nth: usize, ahead: usize, utf8: bool) -> Value {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} in the text"))
        .0;
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let units: usize = if utf8 {
        at - start
    } else {
        text[start..at].chars().map(char::len_utf16).sum()
    };
    let character = units + ahead;
    json!({ "line": line, "character": character })
}

fn at(uri: &str, p: Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": p })
}

/// A project directory holding `manifest` as its `orbit.toml`.
fn project(tag: &str, manifest: &str) -> (PathBuf, PathBuf, String) {
    let dir = scratch(tag);
    let path = dir.join("orbit.toml");
    std::fs::write(&path, manifest).unwrap();
    let u = uri(&path);
    (dir, path, u)
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------

#[test]
fn initialize_negotiates_and_shuts_down() {
    let dir = scratch("init");
    let (c, init) = Client::start(&dir, &[], json!({}));
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16", "{init}");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(caps["referencesProvider"], true);
    assert_eq!(caps["codeActionProvider"], true);
    assert_eq!(init["result"]["serverInfo"]["name"], "orbit");
    assert_eq!(c.stop(), 0);

    let (c, init) = Client::start(
        &dir,
        &[],
        json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }),
    );
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(c.stop(), 0);
}

#[test]
fn diagnostics_are_orbit_checks_and_follow_changes() {
    let (dir, path, u) = project("diags", BROKEN);
    let (mut c, _) = Client::start(&dir, &[], json!({}));
    c.open(&u, "toml", BROKEN);
    let diags = c.diagnostics(&u);

    // The same findings, at the same places, as `orbit check --format json`.
    let out = Command::new(env!("CARGO_BIN_EXE_orbit"))
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let check: Value = serde_json::from_slice(&out.stdout).unwrap();
    let want: Vec<(String, u64, u64)> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap() - 1,
                d["column"].as_u64().unwrap() - 1,
            )
        })
        .collect();
    let got: Vec<(String, u64, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(codes(&diags), ["ORB104", "ORB303", "ORB003", "ORB002"]);
    let orb303 = &diags[1];
    assert_eq!(orb303["source"], "orbit");
    assert_eq!(orb303["severity"], 1);
    assert_eq!(
        orb303["range"],
        json!({ "start": { "line": 19, "character": 14 }, "end": { "line": 19, "character": 21 } })
    );
    assert!(orb303["message"]
        .as_str()
        .unwrap()
        .contains("help: identifiers step by 3"));
    let related = orb303["relatedInformation"].as_array().unwrap();
    assert!(related.iter().any(|r| r["message"]
        .as_str()
        .unwrap()
        .contains("the next free in c8 is `c8fms09`")));

    // Incremental: `c8fms04` → `c8fms03`, then `nmae` → `name`.
    c.change(
        &u,
        2,
        json!([{ "range": { "start": { "line": 19, "character": 19 }, "end": { "line": 19, "character": 21 } }, "text": "03" }]),
    );
    let diags = c.diagnostics(&u);
    // Renamed since the text was opened: a reminder that `c8fms04` may exist somewhere;
    // none, since it broke ORB303 there (it never built).
    assert_eq!(codes(&diags), ["ORB104", "ORB003", "ORB002"]);
    c.change(
        &u,
        3,
        json!([{ "range": { "start": { "line": 23, "character": 0 }, "end": { "line": 23, "character": 4 } }, "text": "name" }]),
    );
    assert_eq!(codes(&c.diagnostics(&u)), ["ORB104"]);
    // Full text.
    c.change(&u, 4, json!([{ "text": PROJECT }]));
    assert!(c.diagnostics(&u).is_empty());
    c.change(&u, 5, json!([{ "text": "[orbit\nname = 1" }]));
    assert_eq!(codes(&c.diagnostics(&u)), ["ORB001"]);
    assert_eq!(c.stop(), 0);
}

#[test]
fn hover_explains_ids_wherever_they_stand() {
    let (dir, _, u) = project("hover", PROJECT);
    let (mut c, _) = Client::start(&dir, &[], json!({}));
    c.open(&u, "toml", PROJECT);
    assert!(c.diagnostics(&u).is_empty());
    let hover = |c: &mut Client, needle: &str, nth: usize, ahead: usize| -> String {
        let r = c.call(
            "textDocument/hover",
            at(&u, pos(PROJECT, needle, nth, ahead)),
        );
        assert_eq!(r["contents"]["kind"], "markdown", "{r}");
        r["contents"]["value"].as_str().unwrap().to_string()
    };
    // A table header's key.
    let h = hover(&mut c, "[resource.c20bre06]", 0, 12);
    assert!(
        h.starts_with("**c20bre06: RID, declared in orbit.toml**"),
        "{h}"
    );
    assert!(
        h.contains("user-input-manifest-data-1606-tbl-k8p-aws"),
        "{h}"
    );
    // A MID inside a PID, an event's `rid`, a flow's components, a resource's flow.
    let h = hover(&mut c, PART, 0, 9);
    assert!(
        h.starts_with("**c8fms03: MID, declared in orbit.toml**"),
        "{h}"
    );
    let h = hover(&mut c, PART, 0, 17);
    assert!(h.starts_with("**c20bre06: RID"), "{h}");
    let h = hover(&mut c, PART, 0, 25);
    assert!(
        h.starts_with("**c8fms03-c20bre06-e15: PID, declared in orbit.toml**"),
        "{h}"
    );
    assert!(h.contains("leg              manifest-input"), "{h}");
    let h = hover(&mut c, "rid = \"c20bre21\"", 0, 8);
    assert!(h.starts_with("**c20bre21: RID"), "{h}");
    let h = hover(&mut c, "\"c20\"", 0, 2);
    assert!(
        h.starts_with("**c20: component id, declared in orbit.toml**"),
        "{h}"
    );
    // Nothing on a plain value.
    let r = c.call(
        "textDocument/hover",
        at(&u, pos(PROJECT, "k8or Orbit", 0, 2)),
    );
    assert_eq!(r, Value::Null);
    assert_eq!(c.stop(), 0);
}

#[test]
fn positions_count_utf16_units_or_utf8_when_negotiated() {
    // A part whose doc string, non-ASCII, stands before its PID on the same line.
    let manifest = PROJECT.replacen(
        "{ pid = \"c8fms03-c20bre12-e10\", doc = \"Read the user's metadata.\",",
        "{ doc = \"Étape 𝄞 — lire\", pid = \"c8fms03-c20bre12-e10\",",
        1,
    );
    assert_ne!(manifest, PROJECT);
    let (dir, _, u) = project("utf16", &manifest);
    for utf8 in [false, true] {
        let caps = if utf8 {
            json!({ "general": { "positionEncodings": ["utf-8"] } })
        } else {
            json!({})
        };
        let (mut c, init) = Client::start(&dir, &[], caps);
        assert_eq!(
            init["result"]["capabilities"]["positionEncoding"],
            if utf8 { "utf-8" } else { "utf-16" }
        );
        c.open(&u, "toml", &manifest);
        assert!(c.diagnostics(&u).is_empty());
        let p = pos_in(&manifest, "c20bre12-e10", 0, 2, utf8);
        let r = c.call("textDocument/hover", at(&u, p));
        let h = r["contents"]["value"].as_str().unwrap();
        assert!(h.starts_with("**c20bre12: RID"), "{h}");
        assert_eq!(
            r["range"]["start"],
            pos_in(&manifest, "c20bre12-e10", 0, 0, utf8)
        );
        // A diagnostic after the non-ASCII text lands on its character.
        let broken = manifest.replacen("c20bre12-e10", "c20bre12-e11", 1);
        c.change(&u, 2, json!([{ "text": broken }]));
        let diags = c.diagnostics(&u);
        assert_eq!(codes(&diags), ["ORB503"]);
        assert_eq!(
            diags[0]["range"]["start"],
            pos_in(&broken, "e11\"", 0, 0, utf8)
        );
        assert_eq!(
            diags[0]["range"]["end"],
            pos_in(&broken, "e11\"", 0, 3, utf8)
        );
        assert_eq!(c.stop(), 0);
    }
}

#[test]
fn definition_and_references() {
    let (dir, _, u) = project("nav", PROJECT);
    let (mut c, _) = Client::start(&dir, &[], json!({}));
    c.open(&u, "toml", PROJECT);
    let _ = c.diagnostics(&u);
    // From a PID's start to its microservice's header.
    let r = c.call("textDocument/definition", at(&u, pos(PROJECT, PART, 0, 10)));
    assert_eq!(r["uri"], u);
    assert_eq!(
        r["range"]["start"],
        pos(PROJECT, "[microservice.c8fms03]", 0, 14)
    );
    // From an event's `mid` and a flow's components.
    let r = c.call(
        "textDocument/definition",
        at(&u, pos(PROJECT, "mid = \"c8bms18\"", 0, 8)),
    );
    assert_eq!(
        r["range"]["start"],
        pos(PROJECT, "[microservice.c8bms18]", 0, 14)
    );
    let r = c.call(
        "textDocument/definition",
        at(&u, pos(PROJECT, "\"c20\"", 0, 1)),
    );
    assert_eq!(r["range"]["start"], pos(PROJECT, "[component.c20]", 0, 11));
    // References of a MID: every PID and event naming it, and its header.
    let refs = c.call(
        "textDocument/references",
        json!({ "textDocument": { "uri": u }, "position": pos(PROJECT, "[microservice.c8bms18]", 0, 16), "context": { "includeDeclaration": true } }),
    );
    let refs = refs.as_array().unwrap();
    let pids = PROJECT.matches("\"c8bms18-").count();
    let events = PROJECT.matches("mid = \"c8bms18\"").count();
    assert!(pids > 0 && events > 0);
    assert_eq!(refs.len(), 1 + pids + events, "{refs:?}");
    let refs = c.call(
        "textDocument/references",
        json!({ "textDocument": { "uri": u }, "position": pos(PROJECT, "[microservice.c8bms18]", 0, 16), "context": { "includeDeclaration": false } }),
    );
    assert_eq!(refs.as_array().unwrap().len(), pids + events);
    assert_eq!(c.stop(), 0);
}

fn labels(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_of_ids_keys_and_the_next_free() {
    let (dir, _, u) = project("complete", PROJECT);
    let (mut c, _) = Client::start(&dir, &[], json!({}));
    c.open(&u, "toml", PROJECT);
    let _ = c.diagnostics(&u);
    let mut doc = PROJECT.to_string();
    let mut version = 1;
    // Types `text` at the end of the document, then asks for completion there.
    let mut type_at_end = |c: &mut Client, text: &str| -> Value {
        let end = pos(&doc, "", doc.matches("").count() - 1, 0);
        version += 1;
        c.change(
            &u,
            version,
            json!([{ "range": { "start": end, "end": end }, "text": text }]),
        );
        doc.push_str(text);
        let _ = c.diagnostics(&u);
        let here = pos(&doc, "", doc.matches("").count() - 1, 0);
        c.call(
            "textDocument/completion",
            json!({ "textDocument": { "uri": u }, "position": here }),
        )
    };
    // The next free MIDs of c8 in a new header (one sequence across fms and bms).
    let r = type_at_end(&mut c, "\n[microservice.c8");
    assert_eq!(labels(&r), ["c8fms30", "c8bms30"], "{r}");
    assert_eq!(r["items"][1]["textEdit"]["newText"], "c8bms30]");
    // The keys a microservice allows.
    let r = type_at_end(&mut c, "bms30]\nname = \"Audit\"\nro");
    assert_eq!(labels(&r), ["roles"]);
    // Declared ids where an id is expected.
    let r = type_at_end(&mut c, "les = []\n\n[event.audit-done]\nmid = \"c8b");
    // (From the last text that was TOML: `ro` on its own line was not, so c8bms30 is not yet
    // declared there.)
    assert_eq!(
        labels(&r),
        ["c8bms06", "c8bms15", "c8bms18", "c8bms21", "c8bms24", "c8bms27"]
    );
    // A part's next free execution order.
    let r = type_at_end(
        &mut c,
        "ms18\"\nrid = \"c20bre21\"\n\n[leg.audit]\nflow = \"flow-4\"\nparts = [\n  { pid = \"c8fms03-c20bre06-e05\" },\n  { pid = \"c8fms03-c20bre12-e",
    );
    // e10 follows e05, but `c8fms03-c20bre12-e10` is a part of `manifest-input` (a PID is
    // unique in the whole manifest): e15.
    assert_eq!(labels(&r), ["c8fms03-c20bre12-e15"], "{r}");
    // The next free RID, and table names.
    let r = type_at_end(&mut c, "15\" },\n]\n\n[resource.c20");
    assert_eq!(labels(&r), ["c20bre30"], "{r}");
    let r = type_at_end(&mut c, "bre30]\nkind = \"s3\"\nname = \"audit\"\n\n[[w");
    assert_eq!(labels(&r), ["waiver"], "{r}");
    let r = type_at_end(&mut c, "aiver]]\nco");
    assert_eq!(labels(&r), ["code"], "{r}");
    // A leg's flow.
    let r = c.call(
        "textDocument/completion",
        json!({ "textDocument": { "uri": u }, "position": pos(PROJECT, "flow = \"flow-4\"", 0, 8) }),
    );
    assert!(labels(&r).contains(&"flow-4".to_string()), "{r}");
    assert_eq!(c.stop(), 0);
}

/// The code actions at the start of the `nth` `needle`.
fn actions(c: &mut Client, u: &str, text: &str, needle: &str, nth: usize) -> Vec<Value> {
    let p = pos(text, needle, nth, 0);
    let r = c.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": u }, "range": { "start": p, "end": p }, "context": { "diagnostics": [] } }),
    );
    r.as_array().cloned().unwrap_or_default()
}

fn titles(a: &[Value]) -> Vec<String> {
    a.iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

fn edits(a: &Value, u: &str) -> Vec<(Value, String)> {
    a["edit"]["changes"][u]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["range"].clone(),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn code_actions_apply_the_help_lines() {
    let text = format!(
        "{BROKEN}\n[microservice.c8fms3]\nname = \"Canonical\"\n\n[leg.l]\nflow = \"flow-4\"\nparts = [{{ pid = \"c8fms04-c8bms06-e07\" }}]\n"
    );
    let (dir, _, u) = project("actions", &text);
    let (mut c, _) = Client::start(&dir, &[], json!({}));
    c.open(&u, "toml", &text);
    let diags = c.diagnostics(&u);
    assert!(codes(&diags).contains(&"ORB301".to_string()), "{diags:?}");

    // ORB303: the next free id, or `inserted = true` after the header.
    let a = actions(&mut c, &u, &text, "c8fms04]", 0);
    assert_eq!(
        titles(&a),
        ["Use the next free id `c8fms09`", "Add `inserted = true`"]
    );
    assert_eq!(a[0]["isPreferred"], true);
    assert_eq!(a[0]["kind"], "quickfix");
    assert_eq!(a[0]["diagnostics"][0]["code"], "ORB303");
    assert_eq!(edits(&a[0], &u)[0].1, "c8fms09");
    let e = &edits(&a[1], &u)[0];
    assert_eq!(e.1, "\ninserted = true");
    assert_eq!(e.0["start"], pos(&text, "[microservice.c8fms04]", 0, 22));

    // ORB104: the did-you-mean, quoted as the text is.
    let a = actions(&mut c, &u, &text, "\"c12\"", 0);
    assert_eq!(titles(&a), ["Replace with `c8`"]);
    assert_eq!(edits(&a[0], &u)[0].1, "\"c8\"");
    // ORB003: the missing key, with the example the help line gives.
    let a = actions(&mut c, &u, &text, "[microservice.c8bms06]", 0);
    assert_eq!(titles(&a), ["Add `name = \"Portal Search Logic\"`"]);
    assert_eq!(edits(&a[0], &u)[0].1, "\nname = \"Portal Search Logic\"");
    // ORB002: the key meant.
    let a = actions(&mut c, &u, &text, "nmae", 0);
    assert_eq!(titles(&a), ["Replace with `name`"]);
    // ORB301: the canonical spelling.
    let a = actions(&mut c, &u, &text, "c8fms3]", 0);
    assert!(
        titles(&a).contains(&"Write `c8fms03`".to_string()),
        "{:?}",
        titles(&a)
    );
    // ORB503 in a part: the orders around, or `inserted = true` inside the part.
    let a = actions(&mut c, &u, &text, "e07", 0);
    let t = titles(&a);
    assert!(t.contains(&"Use the order `e05`".to_string()), "{t:?}");
    let ins = a
        .iter()
        .find(|a| a["title"] == "Add `inserted = true`")
        .expect("inserted for a part");
    assert_eq!(edits(ins, &u)[0].1, ", inserted = true");
    assert_eq!(edits(ins, &u)[0].0["start"], pos(&text, "e07\"", 0, 4));
    assert_eq!(c.stop(), 0);
}

#[test]
fn a_removed_mid_can_be_retired() {
    let (dir, _, u) = project("retire", PROJECT);
    let (mut c, _) = Client::start(&dir, &[], json!({}));
    c.open(&u, "toml", PROJECT);
    assert!(c.diagnostics(&u).is_empty());
    // Delete `[microservice.c8bms27]` (its table, up to the next blank line).
    let start = PROJECT.find("[microservice.c8bms27]").unwrap();
    let end = start + PROJECT[start..].find("\n\n").unwrap() + 2;
    let edited = format!("{}{}", &PROJECT[..start], &PROJECT[end..]);
    c.change(&u, 2, json!([{ "text": edited }]));
    let diags = c.diagnostics(&u);
    assert_eq!(codes(&diags), ["ORB801"], "{diags:?}");
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("`c8bms27` is no longer declared"));
    let a = actions(&mut c, &u, &edited, "[orbit]", 0);
    assert_eq!(titles(&a), ["Add `c8bms27` to `retired`"]);
    let (range, new) = edits(&a[0], &u).remove(0);
    assert_eq!(new, "\"c8bms27\"");
    assert_eq!(range["start"], pos(&edited, "retired = [", 0, 11));
    // Applied, the finding is gone.
    let fixed = edited.replacen("retired = [", "retired = [\"c8bms27\"", 1);
    c.change(&u, 3, json!([{ "text": fixed }]));
    assert!(c.diagnostics(&u).is_empty());
    assert_eq!(c.stop(), 0);
}

#[test]
fn other_files_get_lint_findings_and_hover() {
    let (dir, path, _) = project("lint", PROJECT);
    let yaml = "service: c8bms3\ntable: user-input-manifest-data-1606-tbl-k8d-aws\nlog: user-event-log-1612-tbl-k8d-aws\n";
    let file = dir.join("deploy.yaml");
    std::fs::write(&file, yaml).unwrap();
    let fu = uri(&file);
    let (mut c, _) = Client::start(
        &dir,
        &[],
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
    );
    c.open(&fu, "yaml", yaml);
    let diags = c.diagnostics(&fu);
    assert_eq!(
        codes(&diags),
        ["lint/malformed", "lint/undeclared"],
        "{diags:?}"
    );
    assert!(diags[1]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `user-event-log-1621-tbl-k8d-aws`"));
    // Hover on a physical name, and on a finding.
    let r = c.call("textDocument/hover", at(&fu, pos(yaml, "user-input", 0, 3)));
    let h = r["contents"]["value"].as_str().unwrap();
    assert!(h.contains("physical name, declared in"), "{h}");
    assert!(
        h.contains("c20bre06 user-input-manifest-data in k8d"),
        "{h}"
    );
    let r = c.call("textDocument/hover", at(&fu, pos(yaml, "c8bms3", 0, 1)));
    assert!(
        r["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("not a well-formed MID"),
        "{r}"
    );
    // A quick fix from the did-you-mean.
    let a = actions(&mut c, &fu, yaml, "user-event-log", 0);
    assert_eq!(
        titles(&a),
        ["Replace with `user-event-log-1621-tbl-k8d-aws`"]
    );

    // The server asked to watch manifests; the manifest changes on disk: re-linted.
    let reg = c.wait(|m| m["method"] == "client/registerCapability");
    assert_eq!(
        reg["params"]["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"],
        "**/orbit.toml"
    );
    let renamed = PROJECT.replacen("name = \"user-event-log\"", "name = \"user-events-log\"", 1);
    assert_ne!(renamed, PROJECT);
    std::fs::write(&path, &renamed).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&path), "type": 2 }] }),
    );
    let diags = c.diagnostics(&fu);
    assert!(
        diags[1]["message"]
            .as_str()
            .unwrap()
            .contains("user-events-log-1621-tbl-k8d-aws"),
        "{diags:?}"
    );
    // The manifest open, edited and saved: re-linted on `didSave` too.
    let mu = uri(&path);
    c.open(&mu, "toml", &renamed);
    assert!(c.diagnostics(&mu).is_empty());
    std::fs::write(&path, PROJECT).unwrap();
    c.change(&mu, 2, json!([{ "text": PROJECT }]));
    c.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": mu } }),
    );
    let diags = loop {
        let d = c.diagnostics(&fu);
        if d[1]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `user-event-log-1621")
        {
            break d;
        }
    };
    assert_eq!(codes(&diags), ["lint/malformed", "lint/undeclared"]);
    assert_eq!(c.stop(), 0);
}

#[test]
fn never_down() {
    let (dir, _, u) = project("robust", PROJECT);
    let (mut c, _) = Client::start(&dir, &[("ORBIT_LSP_TEST_PANIC", "1")], json!({}));
    // Not JSON: a parse error with a null id.
    c.write_raw("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ");
    let e = c.wait(|m| m["error"]["code"] == -32700);
    assert_eq!(e["id"], Value::Null);
    // JSON, but not a message.
    c.write_raw("[1, 2, 3]");
    let e = c.wait(|m| m["error"]["code"] == -32600);
    assert_eq!(e["id"], Value::Null);
    // `initialize` again; an unknown request; a known one with wrong params.
    let r = c.request("initialize", json!({ "capabilities": {} }));
    assert_eq!(r["error"]["code"], -32600, "{r}");
    let r = c.request("orbit/nothing", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = c.request("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // A panic in a handler: an internal error, logged, and the server goes on.
    let r = c.request("orbit/testPanic", json!({}));
    assert_eq!(r["error"]["code"], -32603, "{r}");
    // Requests about documents never opened: no result.
    let r = c.call(
        "textDocument/hover",
        at(
            "file:///nowhere/orbit.toml",
            json!({ "line": 0, "character": 0 }),
        ),
    );
    assert_eq!(r, Value::Null);
    // Any text is answered.
    c.open(
        &u,
        "toml",
        "\u{0}[[[\"\n{{é = é\n[microservice.c8fms03]\nx = \"c8fms03-",
    );
    let _ = c.diagnostics(&u);
    for line in 0..5 {
        for ch in [0, 1, 3, 40] {
            let p = json!({ "line": line, "character": ch });
            let _ = c.call("textDocument/hover", at(&u, p.clone()));
            let _ = c.call("textDocument/completion", at(&u, p.clone()));
            let _ = c.call("textDocument/definition", at(&u, p));
        }
    }
    c.open(&u, "toml", PROJECT);
    assert!(c.diagnostics(&u).is_empty());
    let r = c.call("textDocument/hover", at(&u, pos(PROJECT, PART, 0, 9)));
    assert!(r["contents"]["value"].as_str().unwrap().contains("MID"));
    let stderr = c.stderr.clone();
    assert_eq!(c.stop(), 0);
    let log = stderr.lock().unwrap().clone();
    assert!(
        log.contains("the handler of `orbit/testPanic` panicked"),
        "{log}"
    );
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let dir = scratch("exit");
    let (mut c, _) = Client::start(&dir, &[], json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(c.child.wait().unwrap().code(), Some(1));
}

// ---------------------------------------------------------------------------------------------
// A real editor: neovim (Debian's 0.7), headless, on a broken manifest.

#[test]
fn neovim_shows_orbit_checks_diagnostics() {
    let have_nvim = Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !have_nvim {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "nvim is not installed, and CI=true: .ci/run installs it (apt-get install neovim)"
        );
        eprintln!("SKIPPED neovim_shows_orbit_checks_diagnostics: nvim is not installed (apt-get install neovim)");
        return;
    }
    let (dir, _, _) = project("nvim", BROKEN);
    let script = dir.join("diagnostics.lua");
    std::fs::write(&script, NVIM_SCRIPT).unwrap();
    let out = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE"])
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .arg(dir.join("orbit.toml"))
        .current_dir(&dir)
        .env("ORBIT_BIN", env!("CARGO_BIN_EXE_orbit"))
        .env("HOME", &dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .stdin(Stdio::null())
        .output()
        .expect("nvim runs");
    let printed =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    println!("{printed}");
    let lines: Vec<&str> = printed
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("DIAG "))
        .collect();
    assert_eq!(
        lines,
        [
            "DIAG 15:21 ORB104 `flow-4` lists component `c12`, which is not declared",
            "DIAG 20:15 ORB303 MID identifier 04 is not a multiple of 3, and `c8fms04` is not `inserted`",
            "DIAG 23:1 ORB003 microservice `c8bms06` lacks the required key `name`",
            "DIAG 24:1 ORB002 unknown key `nmae` in a microservice",
        ],
        "nvim printed:\n{printed}"
    );
    assert!(
        printed.contains("ACTION Use the next free id `c8fms09`"),
        "{printed}"
    );
}

/// Starts `orbit lsp` with `vim.lsp.start_client` (neovim 0.7's API), waits for the manifest's
/// diagnostics, prints each as `DIAG line:col CODE message` (1-based, as `orbit check`), asks
/// for the code actions on ORB303's line, and quits.
const NVIM_SCRIPT: &str = r#"
local bin = os.getenv("ORBIT_BIN")
local root = vim.fn.getcwd()
local client_id = vim.lsp.start_client({
  name = "orbit",
  cmd = { bin, "lsp" },
  root_dir = root,
})
if not client_id then
  io.stdout:write("FAILED to start orbit lsp\n")
  vim.cmd("qall!")
end
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)
local ok = vim.wait(30000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
if not ok then
  io.stdout:write("FAILED no diagnostics\n")
end
local diags = vim.diagnostic.get(buf)
table.sort(diags, function(a, b)
  if a.lnum == b.lnum then return a.col < b.col end
  return a.lnum < b.lnum
end)
for _, d in ipairs(diags) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?"
  local first = vim.split(d.message, "\n")[1]
  io.stdout:write(string.format("DIAG %d:%d %s %s\n", d.lnum + 1, d.col + 1, code, first))
end
local client = vim.lsp.get_client_by_id(client_id)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = 19, character = 15 }, ["end"] = { line = 19, character = 15 } },
  context = { diagnostics = {} },
}
local result = client.request_sync("textDocument/codeAction", params, 10000, buf)
if result and result.result then
  for _, a in ipairs(result.result) do
    io.stdout:write("ACTION " .. a.title .. "\n")
  end
end
client.stop()
vim.wait(2000, function() return client.is_stopped() end, 50)
vim.cmd("qall!")
"#;
