//! One snapshot per rule code of the human output for its failing fixture, so that a change to
//! one rule's message, caret or help line is a reviewed one-file diff:
//! `tests/snapshots/rules/ORBnnn.txt` for `tests/rules/ORBnnn.fail.toml` (checked) and for
//! `tests/diff/ORBnnn.fail.toml` (compared with `tests/diff/base.toml`).
//! `UPDATE_SNAPSHOTS=1 cargo test -p orbit-engine --test snapshots` rewrites them (and removes
//! those of fixtures that are gone); review them with `git diff`.

use std::collections::BTreeMap;
use std::path::Path;

use orbit_engine::render::{self, Labelled, Style};

/// `ORBnnn` → the fixture's file name and its rendered output.
fn rendered() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = BTreeMap::new();
    let dir = root.join("tests/rules");
    for name in fixtures(&dir) {
        let src = std::fs::read_to_string(dir.join(&name)).expect("readable");
        let checked = orbit_engine::check(&src);
        let text = render::all(&checked.diagnostics, &src, &name, Style::Plain);
        out.insert(code_of(&name), text);
    }
    let dir = root.join("tests/diff");
    let base_text = std::fs::read_to_string(dir.join("base.toml")).expect("base.toml");
    let base = orbit_engine::check(&base_text);
    for name in fixtures(&dir) {
        let src = std::fs::read_to_string(dir.join(&name)).expect("readable");
        let head = orbit_engine::check(&src);
        let diff = orbit_engine::diff::diff(
            orbit_engine::diff::Side::new(&base_text, &base.manifest),
            orbit_engine::diff::Side::new(&src, &head.manifest),
        );
        let text = render::changes(
            &diff.changes,
            Labelled {
                source: &base_text,
                label: "base.toml",
            },
            Labelled {
                source: &src,
                label: &name,
            },
            Style::Plain,
        );
        out.insert(code_of(&name), text);
    }
    out
}

fn fixtures(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".fail.toml"))
        .collect();
    names.sort();
    names
}

fn code_of(name: &str) -> String {
    name.trim_end_matches(".fail.toml").to_string()
}

#[test]
fn human_output_of_every_failing_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/rules");
    let now = rendered();
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    if update {
        std::fs::create_dir_all(&dir).expect("mkdir");
    }
    let mut problems = Vec::new();
    for (code, text) in &now {
        let snap = dir.join(format!("{code}.txt"));
        if update {
            std::fs::write(&snap, text).expect("write snapshot");
            continue;
        }
        let want = std::fs::read_to_string(&snap).unwrap_or_default();
        if &want != text {
            let first = want
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(want.lines().count().min(text.lines().count()));
            problems.push(format!(
                "tests/snapshots/rules/{code}.txt changed at line {}:\n  was: {:?}\n  now: {:?}",
                first + 1,
                want.lines().nth(first),
                text.lines().nth(first)
            ));
        }
    }
    // A snapshot whose fixture is gone is stale.
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let code = name.trim_end_matches(".txt");
        if !now.contains_key(code) {
            if update {
                std::fs::remove_file(e.path()).expect("remove stale snapshot");
            } else {
                problems.push(format!("tests/snapshots/rules/{name} has no fixture"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nrerun with UPDATE_SNAPSHOTS=1 and review the diff",
        problems.join("\n")
    );
}

#[test]
fn every_rule_code_of_the_engine_has_its_snapshot() {
    let now = rendered();
    for code in orbit_engine::Code::ALL {
        // ORB004 is about the file, not its text; ORB9xx codes are the audit's.
        if *code == orbit_engine::Code::Orb004 || code.family() == orbit_engine::Family::Audit {
            continue;
        }
        assert!(now.contains_key(code.as_str()), "no fixture renders {code}");
    }
}

#[test]
fn readme_lists_every_rule_code() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README.md");
    for code in orbit_engine::Code::ALL {
        let row = format!("| {} | {} |", code.as_str(), code.title());
        assert!(readme.contains(&row), "README.md lacks the row `{row}`");
    }
}
