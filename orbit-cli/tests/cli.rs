//! End-to-end tests of the `orbit` binary: every verb on the project's manifest and on crafted
//! ones, every failure path, with snapshots of the human output.
//!
//! Snapshots live in `tests/snapshots/NAME.txt`: the command, its exit code, stdout and stderr.
//! Review a change with `git diff`; accept it with `UPDATE_SNAPSHOTS=1 cargo test -p orbit-cli`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `orbit args` in `dir` (relative to the crate), without colour.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_orbit"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the orbit binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Compares (or, with UPDATE_SNAPSHOTS set, records) a snapshot; returns the exit code.
fn snapshot_in(name: &str, dir: &str, args: &[&str]) -> (i32, String, String) {
    let (code, stdout, stderr) = run_in(&crate_dir().join(dir), args);
    let text = format!(
        "$ (cd {dir} && orbit {})\n--- exit code: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" ")
    );
    let path = crate_dir()
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    } else {
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            want == text,
            "snapshot {name} differs (UPDATE_SNAPSHOTS=1 to accept):\n--- want\n{want}\n--- got\n{text}"
        );
    }
    (code, stdout, stderr)
}

/// A snapshot run from the crate directory (the project's manifest is `../orbit.toml`).
fn snapshot(name: &str, args: &[&str]) -> (i32, String, String) {
    snapshot_in(name, ".", args)
}

fn code(name: &str, args: &[&str], want: i32) {
    let (c, _, _) = snapshot(name, args);
    assert_eq!(c, want, "exit code of {name}");
}

// ---------------------------------------------------------------------------------------------
// check

#[test]
fn check_project_manifest() {
    let (c, out, _) = snapshot("check_project", &["check"]);
    assert_eq!(c, 0);
    assert!(out.starts_with("../orbit.toml: ok — "), "{out}");
}

#[test]
fn check_json_shapes() {
    let (c, out, _) = snapshot("check_project_json", &["check", "--format", "json"]);
    assert_eq!(c, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["manifest"], "../orbit.toml");
    assert!(v["diagnostics"].as_array().unwrap().is_empty());

    let (c, out, _) = snapshot(
        "check_broken_json",
        &["check", "tests/fixtures/broken.toml", "--format", "json"],
    );
    assert_eq!(c, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], false);
    let d = &v["diagnostics"][1];
    assert_eq!(d["code"], "ORB303");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(20), Some(15))
    );
    assert!(d["help"].is_string());
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 3);
}

#[test]
fn check_failures() {
    code("check_broken", &["check", "tests/fixtures/broken.toml"], 1);
    code("check_missing", &["check", "tests/fixtures/nope.toml"], 2);
    code(
        "check_missing_json",
        &["check", "--format", "json", "tests/fixtures/nope.toml"],
        2,
    );
    code(
        "check_not_utf8",
        &["check", "tests/fixtures/not-utf8.toml"],
        2,
    );
    code("check_bad_format", &["check", "--format", "yaml"], 2);
    code(
        "check_two_manifests",
        &[
            "check",
            "tests/fixtures/broken.toml",
            "--manifest",
            "../orbit.toml",
        ],
        2,
    );
    code(
        "check_full",
        &["check", "--manifest", "tests/fixtures/full/orbit.toml"],
        0,
    );
    code("check_directory", &["check", "tests/fixtures/full"], 0);
    code(
        "check_directory_without_manifest",
        &["check", "tests/fixtures"],
        2,
    );
}

#[test]
fn no_manifest_anywhere() {
    let dir = std::env::temp_dir().join(format!("orbit-cli-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    if orbit_engine_free_of_manifest(&dir) {
        let (c, _, err) = run_in(&dir, &["check"]);
        assert_eq!(c, 2);
        assert!(
            err.contains("no orbit.toml in") && err.contains("any directory above it"),
            "{err}"
        );
        let (c, out, _) = run_in(&dir, &["check", "--format", "json"]);
        assert_eq!(c, 2);
        assert!(out.contains("\"ORB004\""), "{out}");
        let (c, out, _) = run_in(&dir, &["explain", "c8fms03"]);
        assert_eq!(c, 0);
        assert!(out.contains("no orbit.toml found"), "{out}");
        let (c, _, _) = run_in(&dir, &["names"]);
        assert_eq!(c, 2);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn orbit_engine_free_of_manifest(dir: &Path) -> bool {
    dir.ancestors().all(|d| !d.join("orbit.toml").exists())
}

// ---------------------------------------------------------------------------------------------
// explain

#[test]
fn explain_declared_ids() {
    for (name, text) in [
        ("explain_mid", "c8bms18"),
        ("explain_rid", "c20bre06"),
        ("explain_pid", "c8fms03-c20bre06-e15"),
        ("explain_flow", "flow-16"),
        ("explain_component", "C8"),
        ("explain_physical", "app_image_mql_2003_dtb_k8p_aws"),
        ("explain_repository", "flow-4-infrastructure-rep-k8d-aws"),
        ("explain_environment", "k8p"),
        ("explain_region", "ohio-k3s-agent"),
        ("explain_leg", "manifest-input"),
        ("explain_event", "transfer-initiated"),
    ] {
        code(name, &["explain", text], 0);
    }
}

/// `orbit explain ORBnnn` prints the rule's documentation for every code, with or without a
/// manifest (and whatever state it is in); an unknown code exits 1 naming the nearest.
#[test]
fn explain_rule_codes() {
    code("explain_rule_orb406", &["explain", "ORB406"], 0);
    code(
        "explain_rule_orb802_json",
        &["explain", "--format", "json", "orb802"],
        0,
    );
    let (c, _, err) = snapshot("explain_rule_unknown", &["explain", "ORB999"]);
    assert_eq!(c, 1);
    assert!(err.contains("`ORB904`, `ORB903` and `ORB902`"), "{err}");
    let (c, out, _) = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["explain", "--format", "json", "ORB4O6"],
    );
    assert_eq!(c, 1);
    assert!(out.contains("\"ORB406\""), "{out}");
    for rule in orbit_engine::Code::ALL {
        // Lower case too, and from a directory whose manifest is broken.
        let text = rule.as_str().to_ascii_lowercase();
        let (c, out, err) = run_in(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
            &["--manifest", "broken.toml", "explain", &text],
        );
        assert_eq!(c, 0, "{rule}: {err}");
        assert!(
            out.starts_with(&format!("{} (", rule.as_str())),
            "{rule}: {out}"
        );
        for part in ["What it checks:", "Breaks it:", "Fixed:"] {
            assert!(out.contains(part), "{rule} lacks {part}: {out}");
        }
    }
}

#[test]
fn explain_problems() {
    let (c, out, _) = snapshot(
        "explain_malformed_physical",
        &["explain", "k8or-backup-bkt-prod-k8d-aws"],
    );
    assert_eq!(c, 1);
    assert!(out.contains("no serial before `-bkt`"), "{out}");
    assert!(
        out.contains("`prod` stands where only the environment code may"),
        "{out}"
    );
    let (c, out, _) = snapshot("explain_malformed_mid", &["explain", "c8fms3"]);
    assert_eq!(c, 1);
    assert!(out.contains("help: write `c8fms03`"), "{out}");
    code("explain_undeclared_mid", &["explain", "c8fms12"], 1);
    code(
        "explain_undeclared_physical",
        &["explain", "user-event-log-1612-tbl-k8d-aws"],
        1,
    );
    code(
        "explain_json",
        &["explain", "--format", "json", "c8fms3"],
        1,
    );
    code(
        "explain_broken_manifest",
        &[
            "explain",
            "--manifest",
            "tests/fixtures/broken.toml",
            "c8fms03",
        ],
        1,
    );
}

// ---------------------------------------------------------------------------------------------
// names

#[test]
fn names_formats() {
    code("names_table_k8d", &["names", "--env", "k8d"], 0);
    code(
        "names_csv_s3",
        &["names", "--kind", "s3", "--format", "csv"],
        0,
    );
    code(
        "names_tfvars",
        &[
            "names",
            "--env",
            "k8p",
            "--kind",
            "mysql",
            "--format",
            "tfvars-json",
        ],
        0,
    );
    code(
        "names_repositories",
        &[
            "names",
            "--env",
            "k8t",
            "--kind",
            "repository",
            "--format",
            "json",
        ],
        0,
    );
    code("names_unknown_env", &["names", "--env", "prod"], 1);
    code("names_bad_kind", &["names", "--kind", "sqs"], 2);
    code(
        "names_broken_manifest",
        &["--manifest", "tests/fixtures/broken.toml", "names"],
        1,
    );
    let (_, out, _) = run_in(&crate_dir(), &["names", "--format", "tfvars-json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["orbit_names"]["k8d"]["c20bre06"],
        "user-input-manifest-data-1606-tbl-k8d-aws"
    );
}

// ---------------------------------------------------------------------------------------------
// next

#[test]
fn next_ids() {
    let (c, out, _) = snapshot(
        "next_mid",
        &["next", "mid", "--component", "c8", "--type", "bms"],
    );
    assert_eq!((c, out.as_str()), (0, "c8bms30\n"));
    code(
        "next_mid_json",
        &[
            "next",
            "mid",
            "--component",
            "c8",
            "--type",
            "fms",
            "--format",
            "json",
        ],
        0,
    );
    code("next_rid", &["next", "rid", "--component", "c20"], 0);
    code(
        "next_component",
        &["next", "component", "--region", "ohio-k3s-agent"],
        0,
    );
    code("next_flow", &["next", "flow"], 0);
    code(
        "next_step_order",
        &["next", "step", "--leg", "transfer-image"],
        0,
    );
    code(
        "next_step_pid",
        &[
            "next",
            "step",
            "--leg",
            "transfer-image",
            "--start",
            "c8bms18",
            "--end",
            "c20bre21",
        ],
        0,
    );
}

#[test]
fn next_failures() {
    code(
        "next_unknown_component",
        &["next", "mid", "--component", "c9", "--type", "bms"],
        1,
    );
    code(
        "next_unknown_region",
        &["next", "component", "--region", "ohio"],
        1,
    );
    code(
        "next_unknown_leg",
        &["next", "step", "--leg", "transfer"],
        1,
    );
    code(
        "next_unknown_endpoint",
        &[
            "next",
            "step",
            "--leg",
            "transfer-image",
            "--start",
            "c8bms30",
            "--end",
            "c20bre21",
        ],
        1,
    );
    code(
        "next_malformed_component",
        &["next", "rid", "--component", "c08"],
        2,
    );
    code(
        "next_missing_type",
        &["next", "mid", "--component", "c8"],
        2,
    );
    code(
        "next_half_step",
        &[
            "next",
            "step",
            "--leg",
            "transfer-image",
            "--start",
            "c8bms18",
        ],
        2,
    );
    code(
        "next_write_needs_name",
        &[
            "next",
            "mid",
            "--component",
            "c8",
            "--type",
            "bms",
            "--write",
        ],
        2,
    );
    code(
        "next_write_component_needs_flow",
        &[
            "next",
            "component",
            "--region",
            "n-virginia",
            "--name",
            "X",
            "--write",
        ],
        2,
    );
    let full = ["--manifest", "tests/fixtures/full/orbit.toml", "next"];
    let with =
        |rest: &[&'static str]| -> Vec<&'static str> { full.iter().chain(rest).copied().collect() };
    code(
        "next_full_mid",
        &with(&["mid", "--component", "c8", "--type", "fms"]),
        1,
    );
    code(
        "next_full_region",
        &with(&["component", "--region", "small"]),
        1,
    );
    code(
        "next_full_flow",
        &with(&["component", "--region", "small", "--flow", "flow-4"]),
        1,
    );
    code("next_full_leg", &with(&["step", "--leg", "long"]), 1);
}

/// A scratch copy of a manifest; removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str, from: &Path) -> Self {
        let dir = std::env::temp_dir().join(format!("orbit-cli-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(from, dir.join("orbit.toml")).unwrap();
        Scratch(dir)
    }
    fn text(&self) -> String {
        std::fs::read_to_string(self.0.join("orbit.toml")).unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn next_write_keeps_comments_and_passes_check() {
    let s = Scratch::new("write", &crate_dir().join("../orbit.toml"));
    let before = s.text();
    let steps: [&[&str]; 5] = [
        &[
            "next",
            "mid",
            "--component",
            "c8",
            "--type",
            "bms",
            "--name",
            "Portal Audit Logic",
            "--roles",
            "audit",
            "--write",
        ],
        &[
            "next",
            "rid",
            "--component",
            "c20",
            "--kind",
            "dynamodb",
            "--name",
            "audit-log",
            "--write",
        ],
        &[
            "next",
            "component",
            "--region",
            "n-virginia",
            "--flow",
            "flow-8",
            "--name",
            "Auditor",
            "--write",
        ],
        &[
            "next",
            "flow",
            "--name",
            "Audit",
            "--components",
            "c36",
            "--write",
        ],
        &[
            "next",
            "step",
            "--leg",
            "manifest-input",
            "--start",
            "c8fms03",
            "--end",
            "c20bre30",
            "--doc",
            "Audit.",
            "--write",
        ],
    ];
    let mut ids = Vec::new();
    for args in steps {
        let (c, out, err) = run_in(&s.0, args);
        assert_eq!(c, 0, "{args:?}: {err}");
        assert!(err.contains("passes `orbit check`"), "{err}");
        ids.push(out.trim().to_string());
    }
    assert_eq!(
        ids,
        [
            "c8bms30",
            "c20bre30",
            "c36",
            "flow-24",
            "c8fms03-c20bre30-e20"
        ]
    );
    let after = s.text();
    // Every original line is still there, in order (comments and layout kept).
    let mut rest = after.lines();
    for line in before.lines() {
        if line == "components = [\"c12\"]" {
            continue; // flow-8 now lists c36 too
        }
        assert!(rest.any(|l| l == line), "lost or moved line: {line}");
    }
    assert!(after
        .contains("[microservice.c8bms30]\nname = \"Portal Audit Logic\"\nroles = [\"audit\"]\n"));
    assert!(after.contains("components = [\"c12\", \"c36\"]"));
    assert!(after.contains("  { pid = \"c8fms03-c20bre30-e20\", doc = \"Audit.\" },\n]"));
    let (c, out, _) = run_in(&s.0, &["check"]);
    assert_eq!(c, 0, "{out}");
    // The new MID is right after the last one of c8, before the resources' comment block.
    let at_new = after.find("[microservice.c8bms30]").unwrap();
    let at_last = after.find("[microservice.c8bms27]").unwrap();
    let at_res = after.find("# Backend resources").unwrap();
    assert!(at_last < at_new && at_new < at_res);
}

#[test]
fn next_write_refuses_what_would_not_pass() {
    let s = Scratch::new("refuse", &crate_dir().join("../orbit.toml"));
    let before = s.text();
    let (c, _, err) = run_in(
        &s.0,
        &[
            "next",
            "rid",
            "--component",
            "c16",
            "--kind",
            "s3",
            "--name",
            "Bad_Name",
            "--write",
        ],
    );
    assert_eq!(c, 1);
    assert!(err.contains("error[ORB405]"), "{err}");
    assert!(err.contains("the file is untouched"), "{err}");
    assert_eq!(s.text(), before);
}

// ---------------------------------------------------------------------------------------------
// graph

#[test]
fn graphs() {
    let (c, out, _) = snapshot("graph_mermaid", &["graph"]);
    assert_eq!(c, 0);
    assert!(out.starts_with("flowchart LR\n"));
    code(
        "graph_dot_flow",
        &["graph", "--format", "dot", "--flow", "flow-16"],
        0,
    );
    let (c, out, _) = snapshot("graph_leg", &["graph", "--leg", "manifest-input"]);
    assert_eq!(c, 0);
    assert!(
        out.contains("c8fms03->>c20bre06: c8fms03-c20bre06-e15"),
        "{out}"
    );
    code(
        "graph_leg_dot",
        &["graph", "--format", "dot", "--leg", "manifest-input"],
        0,
    );
    code(
        "graph_json_flow",
        &["graph", "--format", "json", "--flow", "flow-12"],
        0,
    );
    code("graph_unknown_leg", &["graph", "--leg", "transfer"], 1);
    code("graph_unknown_flow", &["graph", "--flow", "flow-44"], 1);
    code(
        "graph_flow_and_leg",
        &["graph", "--flow", "flow-4", "--leg", "transfer-image"],
        2,
    );
}

// ---------------------------------------------------------------------------------------------
// schema

#[test]
fn schema_is_the_committed_file() {
    let (c, out, _) = run_in(&crate_dir(), &["schema"]);
    assert_eq!(c, 0);
    let committed = std::fs::read_to_string(crate_dir().join("../orbit.schema.json")).unwrap();
    assert_eq!(
        out, committed,
        "orbit.schema.json is stale: run `orbit schema > orbit.schema.json`"
    );
}

// ---------------------------------------------------------------------------------------------
// lint

#[test]
fn lint_fixture_tree() {
    let m = ["--manifest", "../../../../orbit.toml"];
    let args: Vec<&str> = m.iter().copied().chain(["lint"]).collect();
    let (c, out, _) = snapshot_in("lint_tree", "tests/fixtures/lint", &args);
    assert_eq!(c, 1);
    assert!(
        !out.contains("skip.txt"),
        "the .gitignore'd file is skipped: {out}"
    );
    assert!(!out.contains("abc8fms03x"), "{out}");
    assert!(
        !out.contains("typos.md"),
        "the .orbitignore'd file is skipped: {out}"
    );
    let args: Vec<&str> = m
        .iter()
        .copied()
        .chain(["lint", "--format", "json", "infra"])
        .collect();
    let (c, _, _) = snapshot_in("lint_json", "tests/fixtures/lint", &args);
    assert_eq!(c, 1);
    let args: Vec<&str> = m
        .iter()
        .copied()
        .chain(["lint", "--no-ignore", "ignored"])
        .collect();
    let (c, out, _) = run_in(&crate_dir().join("tests/fixtures/lint"), &args);
    assert_eq!(c, 1);
    assert!(out.contains("ignored/skip.txt:1:1:"), "{out}");
    let args: Vec<&str> = m.iter().copied().chain(["lint", "nope"]).collect();
    let (c, _, _) = snapshot_in("lint_missing_path", "tests/fixtures/lint", &args);
    assert_eq!(c, 2);
}

#[test]
fn lint_clean_source_is_quiet() {
    // The engine's own sources mention ids only in tests and docs, and all declared ones
    // pass; the CLI's sources mention example ids only in help texts.
    let (c, _, err) = run_in(&crate_dir(), &["lint", "src/main.rs"]);
    assert_eq!(c, 0, "{err}");
    assert!(
        err.starts_with("0 findings in 0 files (1 file scanned"),
        "{err}"
    );
}

#[test]
fn unreadable_manifest_for_every_verb() {
    code(
        "names_missing_manifest",
        &["--manifest", "tests/fixtures/nope.toml", "names"],
        2,
    );
    for args in [
        &[
            "--manifest",
            "tests/fixtures/not-utf8.toml",
            "explain",
            "c8fms03",
        ][..],
        &["--manifest", "tests/fixtures/not-utf8.toml", "next", "flow"],
        &["--manifest", "tests/fixtures/not-utf8.toml", "graph"],
        &["--manifest", "tests/fixtures/not-utf8.toml", "lint", "src"],
    ] {
        let (c, out, err) = run_in(&crate_dir(), args);
        assert_eq!(c, 2, "{args:?}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.starts_with("error[ORB004]: `tests/fixtures/not-utf8.toml` is not UTF-8"),
            "{err}"
        );
    }
}

#[test]
fn help_lists_every_verb() {
    let (c, out, _) = snapshot("help", &["--help"]);
    assert_eq!(c, 0);
    for verb in [
        "check", "explain", "names", "next", "graph", "schema", "lint",
    ] {
        assert!(
            out.contains(&format!("  {verb}")),
            "{verb} missing from --help"
        );
    }
    code("help_next", &["next", "--help"], 0);
    code("unknown_verb", &["frobnicate"], 2);
}
