//! Snapshot of the human output for every failing rule fixture, so that any change to a message,
//! a caret or a help line is a reviewed diff. `UPDATE_SNAPSHOTS=1 cargo test -p orbit-engine
//! --test snapshots` rewrites `tests/snapshots/rules.txt`; review it with `git diff`.

use std::path::Path;

#[test]
fn human_output_of_every_failing_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/rules");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".fail.toml"))
        .collect();
    names.sort();
    let mut out = String::new();
    for name in names {
        let src = std::fs::read_to_string(dir.join(&name)).expect("readable");
        let checked = orbit_engine::check(&src);
        out.push_str(&format!("=== {name}\n"));
        out.push_str(&orbit_engine::render::all(
            &checked.diagnostics,
            &src,
            &name,
            orbit_engine::render::Style::Plain,
        ));
    }
    let snap = root.join("tests/snapshots/rules.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(snap.parent().expect("dir")).expect("mkdir");
        std::fs::write(&snap, &out).expect("write snapshot");
        return;
    }
    let want = std::fs::read_to_string(&snap).unwrap_or_default();
    if want != out {
        let first = want
            .lines()
            .zip(out.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(out.lines().count()));
        panic!(
            "human output changed from tests/snapshots/rules.txt at line {}:\n  was: {:?}\n  now: {:?}\nrerun with UPDATE_SNAPSHOTS=1 and review the diff",
            first + 1,
            want.lines().nth(first),
            out.lines().nth(first)
        );
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
