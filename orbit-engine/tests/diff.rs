//! One failing and one passing HEAD per `orbit diff` code (`tests/diff/ORBnnn.{fail,pass}.toml`,
//! each compared with `tests/diff/base.toml`), and the properties every diff keeps.
//!
//! A fixture's first lines say what the diff must report: `# expect: ORB801 c8bms27` (one line
//! per change: code and id, then `waived` when a waiver accepts it) or `# expect: ok`. Every
//! HEAD passes `check`: the changes, not rule violations, are under test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use orbit_engine::diff::{diff, Diff, Side};
use orbit_engine::{Code, Family};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff")
}

fn expectations(src: &str) -> BTreeSet<(String, String, bool)> {
    let mut out = BTreeSet::new();
    for line in src.lines() {
        let Some(rest) = line.strip_prefix("# expect:") else {
            break;
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        match words.as_slice() {
            ["ok"] => return BTreeSet::new(),
            [code, id] => out.insert((code.to_string(), id.to_string(), false)),
            [code, id, "waived"] => out.insert((code.to_string(), id.to_string(), true)),
            _ => panic!("malformed expectation `{line}`"),
        };
    }
    out
}

fn compare(base: &str, head: &str) -> Diff {
    let (b, h) = (orbit_engine::check(base), orbit_engine::check(head));
    diff(Side::new(base, &b.manifest), Side::new(head, &h.manifest))
}

#[test]
fn every_diff_code_has_a_failing_and_a_passing_head() {
    let base = std::fs::read_to_string(dir().join("base.toml")).expect("base.toml");
    assert!(
        orbit_engine::check(&base).is_ok(),
        "base.toml must pass check"
    );
    let mut failures = Vec::new();
    for code in Code::ALL.iter().filter(|c| c.family() == Family::Diff) {
        for kind in ["fail", "pass"] {
            let name = format!("{}.{kind}.toml", code.as_str());
            let Ok(head) = std::fs::read_to_string(dir().join(&name)) else {
                failures.push(format!("missing fixture tests/diff/{name}"));
                continue;
            };
            let checked = orbit_engine::check(&head);
            if !checked.is_ok() {
                failures.push(format!("{name} breaks rules: {:?}", checked.diagnostics));
                continue;
            }
            let want = expectations(&head);
            let got: BTreeSet<(String, String, bool)> = compare(&base, &head)
                .changes
                .iter()
                .map(|c| {
                    (
                        c.code.as_str().to_string(),
                        c.id.clone(),
                        c.waived.is_some(),
                    )
                })
                .collect();
            if got != want {
                failures.push(format!("{name}: expected {want:?}, got {got:?}"));
            }
            let own = want
                .iter()
                .any(|(c, _, waived)| c == code.as_str() && !waived);
            match kind {
                "fail" if !own => failures.push(format!("{name} must expect its own code")),
                "pass" if own => failures.push(format!("{name} must not expect its own code")),
                _ => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn changes_locate_both_sides() {
    let base = std::fs::read_to_string(dir().join("base.toml")).unwrap();
    let head = std::fs::read_to_string(dir().join("ORB802.fail.toml")).unwrap();
    let d = compare(&base, &head);
    let c = &d.changes[0];
    let line_of =
        |src: &str, needle: &str| src.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let (h, b) = (c.head.as_ref().unwrap(), c.base.as_ref().unwrap());
    assert_eq!(h.line, line_of(&head, "[resource.c20bre03]"));
    assert_eq!(b.line, line_of(&base, "[resource.c20bre03]"));
    assert_eq!((h.column, b.column), (11, 11));
    assert!(
        c.message
            .contains("`user-error-log-403-tbl-k8p-aws` → `user-errors-log-403-tbl-k8p-aws`"),
        "{}",
        c.message
    );
    // What is gone has only a BASE position; a waiver that matches nothing, only HEAD's.
    let gone = compare(
        &base,
        &std::fs::read_to_string(dir().join("ORB803.fail.toml")).unwrap(),
    );
    assert!(gone.changes[0].head.is_none() && gone.changes[0].base.is_some());
    let unused = compare(
        &base,
        &std::fs::read_to_string(dir().join("ORB890.fail.toml")).unwrap(),
    );
    assert!(unused.changes[0].head.is_some() && unused.changes[0].base.is_none());
}

#[test]
fn a_removed_id_whose_name_a_new_id_has_reads_as_a_rename() {
    let base = std::fs::read_to_string(dir().join("base.toml")).unwrap();
    let head = base
        .replace("[microservice.c8bms06]", "[microservice.c8bms09]")
        .replace("c8bms06", "c8bms09");
    let d = compare(&base, &head);
    let c = d
        .changes
        .iter()
        .find(|c| c.code == Code::Orb801)
        .expect("ORB801");
    assert_eq!(c.id, "c8bms06");
    let help = c.help.as_deref().unwrap();
    assert!(help.contains("looks like a rename to `c8bms09`"), "{help}");
    assert_eq!(d.added.mids, ["c8bms09"]);
}

#[test]
fn additions_are_summarised_not_reported() {
    let base = std::fs::read_to_string(dir().join("base.toml")).unwrap();
    let head = std::fs::read_to_string(dir().join("ORB803.pass.toml")).unwrap();
    let d = compare(&base, &head);
    assert!(d.changes.is_empty() && d.ok());
    assert_eq!(d.added.to_string(), "1 environment (k8t)");
    assert_eq!(compare(&base, &base).added.to_string(), "nothing");
}

#[test]
fn the_project_manifest_against_itself_is_empty() {
    let src = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../orbit.toml"))
        .unwrap();
    let d = compare(&src, &src);
    assert!(d.changes.is_empty() && d.added.is_empty(), "{d:?}");
}

#[test]
fn an_entry_broken_in_head_is_not_reported_gone() {
    let base = std::fs::read_to_string(dir().join("base.toml")).unwrap();
    // A new `c8bms03` before `c8fms03` takes its number: HEAD breaks ORB304 on `c8fms03`,
    // which is then too broken for the model, but still declared.
    let head = base.replace(
        "[microservice.c8fms03]",
        "[microservice.c8bms03]\nname = \"Other\"\n\n[microservice.c8fms03]",
    );
    assert!(!orbit_engine::check(&head).is_ok());
    let d = compare(&base, &head);
    assert!(
        !d.changes.iter().any(|c| c.code == Code::Orb801),
        "{:?}",
        d.changes
    );
}

#[test]
fn what_breaks_in_head_is_reported_by_check_not_as_gone() {
    let base = std::fs::read_to_string(dir().join("base.toml")).unwrap();
    // An unknown kind (ORB404) drops `c20bre03` from HEAD's model, and with it the event
    // logged to it; `c8bms06`'s component goes undeclared (ORB302), dropping both steps.
    let head = base
        .replace("kind = \"dynamodb\"", "kind = \"nosql\"")
        .replace("[component.c8]\nname = \"Portal node\"\n", "");
    let checked = orbit_engine::check(&head);
    assert!(!checked.is_ok());
    let d = compare(&base, &head);
    let gone: Vec<_> = d
        .changes
        .iter()
        .filter(|c| matches!(c.code, Code::Orb801 | Code::Orb807 | Code::Orb809))
        .collect();
    assert!(gone.is_empty(), "{gone:?}");
}

/// Found by the `diff` fuzz target: a manifest with a waiver, compared with itself, reports
/// that waiver as ORB890 (it matches no change) and nothing else.
#[test]
fn a_manifest_with_a_waiver_against_itself_reports_only_the_waiver() {
    let head = std::fs::read_to_string(dir().join("ORB890.fail.toml")).unwrap();
    let d = compare(&head, &head);
    let codes: Vec<_> = d.changes.iter().map(|c| (c.code, c.id.as_str())).collect();
    assert_eq!(codes, [(Code::Orb890, "c20bre06")]);
    assert!(d.ok(), "a warning does not fail the diff");
}
