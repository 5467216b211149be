//! Hostile inputs to `explain`, `graph` and `lint`: names the cloud refuses, empty text,
//! control characters in the manifest, and a manifest that is missing or broken under
//! `--format json`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn project_manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../orbit.toml")
}

/// Runs `orbit args` in `dir`, without colour: (exit code, stdout, stderr).
fn orbit(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_orbit"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the orbit binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh directory holding `orbit.toml` with `text`.
fn project(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orbit-hostile-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("orbit.toml"), text).unwrap();
    dir
}

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn explain_applies_the_cloud_limits() {
    let name = format!("{}-1606-bkt-k8d-aws", "a".repeat(79));
    assert_eq!(name.len(), 96);
    let (code, out, _) = orbit(&here(), &["explain", &name]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("is not a well-formed physical name"), "{out}");
    assert!(
        out.contains("an S3 bucket name has at most 63 characters; this one has 96"),
        "{out}"
    );
    // The same name as a DynamoDB table is within its cloud's limit (255).
    let table = name.replace("-bkt-", "-tbl-");
    let (_, out, _) = orbit(&here(), &["explain", &table]);
    assert!(out.contains("well formed, but not declared"), "{out}");
}

#[test]
fn explain_of_empty_text_says_so() {
    for text in ["", "   "] {
        let (code, out, err) = orbit(&here(), &["explain", text]);
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains("the text is empty"), "{err}");
        assert!(!err.contains("``") && !out.contains("``"), "{out}{err}");
    }
}

#[test]
fn explain_says_a_part_not_an_part() {
    let (_, out, _) = orbit(&here(), &["explain", "c8fms03-c20bre06-e16"]);
    assert!(out.contains("usable only by a part with"), "{out}");
}

#[test]
fn control_characters_from_the_manifest_never_reach_the_terminal() {
    let text = std::fs::read_to_string(project_manifest())
        .unwrap()
        .replace(
            "name = \"Portal Upload Board\"",
            "name = \"Portal \\u001b[31mUpload\\u0007 \\u202eBoard\\r\"",
        );
    assert!(
        text.contains("\\u001b[31m"),
        "the project's manifest changed"
    );
    let dir = project("control", &text);
    let raw = |s: &str| {
        s.chars()
            .any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c))
    };
    let (code, out, err) = orbit(&dir, &["explain", "c8fms03"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!raw(&out), "{out:?}");
    assert!(
        out.contains("Portal \\u{1b}[31mUpload\\u{7} \\u{202e}Board\\u{d}"),
        "{out}"
    );
    for format in ["mermaid", "dot"] {
        let (code, out, err) = orbit(&dir, &["graph", "--format", format]);
        assert_eq!(code, 0, "{err}");
        assert!(!raw(&out), "{format}: {out:?}");
        let (code, out, err) = orbit(
            &dir,
            &["graph", "--leg", "manifest-input", "--format", format],
        );
        assert_eq!(code, 0, "{err}");
        assert!(!raw(&out), "{format}: {out:?}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// `--format json` prints what `orbit check --format json` prints for a manifest that is
/// missing or breaks rules, with the same exit codes.
#[test]
fn json_verbs_report_a_missing_or_broken_manifest_as_json() {
    let text = std::fs::read_to_string(project_manifest())
        .unwrap()
        .replace("[microservice.c8bms27]", "[microservice.c8bms28]");
    let dir = project("broken", &text);
    let verbs: [&[&str]; 2] = [
        &["explain", "c8fms03", "--format", "json"],
        &["lint", ".", "--format", "json"],
    ];
    for args in verbs {
        let (code, out, err) = orbit(&dir, args);
        assert_eq!(code, 1, "{args:?}: {out}{err}");
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|_| panic!("{args:?}: {out}"));
        assert_eq!(v["ok"], false);
        assert_eq!(v["manifest"], "orbit.toml");
        assert_eq!(v["diagnostics"][0]["code"], "ORB303", "{out}");
        assert!(err.contains("breaks 1 rule; fix it first"), "{err}");
        assert!(err.contains("`orbit check orbit.toml` shows it"), "{err}");
        let mut with_missing = args.to_vec();
        with_missing.extend(["--manifest", "no-such.toml"]);
        let (code, out, err) = orbit(&dir, &with_missing);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|_| panic!("{args:?}: {out}"));
        assert_eq!(v["diagnostics"][0]["code"], "ORB004", "{out}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
