//! One failing and one passing manifest per rule code (`tests/rules/ORBnnn.{fail,pass}.toml`).
//!
//! A fixture's first lines say what the engine must report: `# expect: ORB303 line 12` (one
//! line per diagnostic) or `# expect: ok`. The failing manifest must produce exactly those codes
//! at those lines; its passing twin, a minimal edit of it, must produce none.

use std::collections::BTreeSet;
use std::path::Path;

use orbit_engine::Code;

fn expectations(src: &str) -> Option<BTreeSet<(String, usize)>> {
    let mut out = BTreeSet::new();
    for line in src.lines() {
        let Some(rest) = line.strip_prefix("# expect:") else {
            break;
        };
        let rest = rest.trim();
        if rest == "ok" {
            return None;
        }
        let mut words = rest.split_whitespace();
        let code = words.next().expect("code").to_string();
        assert_eq!(words.next(), Some("line"), "malformed expectation `{line}`");
        let n: usize = words.next().expect("line number").parse().expect("number");
        out.insert((code, n));
    }
    Some(out)
}

fn run(path: &Path) -> Result<(), String> {
    let src = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let checked = orbit_engine::check(&src);
    let got: BTreeSet<(String, usize)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.line))
        .collect();
    let want = expectations(&src).unwrap_or_default();
    if got != want {
        let rendered = orbit_engine::render::all(
            &checked.diagnostics,
            &src,
            &path.display().to_string(),
            orbit_engine::render::Style::Plain,
        );
        return Err(format!(
            "{}: expected {want:?}, got {got:?}\n{rendered}",
            path.display()
        ));
    }
    Ok(())
}

#[test]
fn every_rule_code_has_a_failing_and_a_passing_manifest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let mut failures = Vec::new();
    for code in Code::ALL {
        if code.family() != orbit_engine::Family::Check {
            continue; // changes between two manifests: `tests/diff.rs`
        }
        if *code == Code::Orb004 {
            continue; // about files, not manifests: see `unreadable_file_is_orb004`
        }
        for kind in ["fail", "pass"] {
            let path = dir.join(format!("{}.{kind}.toml", code.as_str()));
            if !path.exists() {
                failures.push(format!("missing fixture {}", path.display()));
                continue;
            }
            if let Err(e) = run(&path) {
                failures.push(e);
            }
        }
        let fail = std::fs::read_to_string(dir.join(format!("{}.fail.toml", code.as_str())))
            .unwrap_or_default();
        if let Some(want) = expectations(&fail) {
            assert!(
                want.iter().any(|(c, _)| c == code.as_str()),
                "{}.fail.toml must expect its own code",
                code.as_str()
            );
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn unreadable_file_is_orb004() {
    let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules/no-such-manifest.toml");
    let d = orbit_engine::check_file(&missing).unwrap_err();
    assert_eq!(d.code, Code::Orb004);
    assert!(d.message.contains("no-such-manifest.toml"), "{}", d.message);
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules/ORB303.pass.toml");
    assert!(orbit_engine::check_file(&here).is_ok());
}

#[test]
fn the_projects_manifest_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../orbit.toml");
    let (src, checked) = orbit_engine::check_file(&path).expect("readable");
    let rendered = orbit_engine::render::all(
        &checked.diagnostics,
        &src,
        "orbit.toml",
        orbit_engine::render::Style::Plain,
    );
    assert!(checked.is_ok(), "{rendered}");
    let s = checked.manifest.summary();
    assert_eq!(
        (s.flows, s.components, s.mids, s.rids, s.events),
        (5, 8, 8, 11, 7)
    );
    let m = &checked.manifest;
    let r = m.resource("c20bre06".parse().unwrap()).unwrap();
    assert_eq!(
        m.physical_name(r, "k8d").as_deref(),
        Some("user-input-manifest-data-1606-tbl-k8d-aws")
    );
    let r = m.resource("c32bre03".parse().unwrap()).unwrap();
    assert_eq!(
        m.physical_name(r, "k8p").as_deref(),
        Some("app_image_mql_2003_dtb_k8p_aws")
    );
    let pid = "c8fms03-c20bre06-e15".parse().unwrap();
    let (_, _, step) = m
        .process(pid)
        .expect("the document's example PID is declared");
    assert_eq!(step, 3);
}

/// Legs and events become constants beside the ids' own: every way two of them can share a
/// constant is an ORB005 naming both, and a near miss is not.
#[test]
fn constant_clashes_are_orb005() {
    let base = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../orbit.toml"))
        .expect("the project's orbit.toml");
    let part = r#"parts = [{ pid = "c8fms03-c20bre06-e20" }]"#;
    let cases: [(String, Option<&str>); 8] = [
        (
            format!("[leg.c8]\nflow = \"flow-4\"\n{part}\n"),
            Some("component `c8`"),
        ),
        (
            format!("[leg.flow-4]\nflow = \"flow-4\"\n{part}\n"),
            Some("flow `flow-4`"),
        ),
        (
            format!("[leg.c8fms03]\nflow = \"flow-4\"\n{part}\n"),
            Some("microservice `c8fms03`"),
        ),
        (
            "[event.c20bre06]\nmid = \"c8bms18\"\nrid = \"c20bre21\"\n".into(),
            Some("resource `c20bre06`"),
        ),
        (
            "[event.c8fms03-c20bre06-e15]\nmid = \"c8bms18\"\nrid = \"c20bre21\"\n".into(),
            Some("process `c8fms03-c20bre06-e15`"),
        ),
        (
            "[event.transfer-image]\nmid = \"c8bms18\"\nrid = \"c20bre21\"\n".into(),
            Some("leg `transfer-image`"),
        ),
        // Not declared, or not the canonical text of an id: no clash.
        (format!("[leg.c36]\nflow = \"flow-4\"\n{part}\n"), None),
        (
            "[event.c8fms3]\nmid = \"c8bms18\"\nrid = \"c20bre21\"\n".into(),
            None,
        ),
    ];
    for (extra, clash) in cases {
        let src = format!("{base}\n{extra}");
        let checked = orbit_engine::check(&src);
        let found: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("generate the same constant"))
            .collect();
        match clash {
            Some(first) => {
                assert_eq!(found.len(), 1, "{extra}: {:?}", checked.diagnostics);
                assert_eq!(found[0].code, Code::Orb005);
                assert!(
                    found[0].message.contains(first),
                    "{extra}: {}",
                    found[0].message
                );
            }
            None => assert!(found.is_empty(), "{extra}: {found:?}"),
        }
    }
}

/// A duplicate key or table points at its first declaration, however often it is repeated, and
/// the keys of a table declared again are not reported one by one.
#[test]
fn duplicates_point_at_their_first_declaration() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../orbit.toml");
    let base = std::fs::read_to_string(&path).expect("readable");
    let table = "[microservice.c8bms18]\nname = \"Portal Search Logic\"\nroles = [\"search\"]\n";
    let src = base.replacen("cloud = \"aws\"\n", "cloud = \"aws\"\ncloud = \"gcp\"\n", 1)
        + "\n"
        + table
        + "\n"
        + table;
    let checked = orbit_engine::check(&src);
    let dups: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::Orb005)
        .collect();
    let first_cloud = src.find("cloud = \"aws\"").unwrap();
    let first_table = src.find("[microservice.c8bms18]").unwrap();
    let spans: Vec<_> = dups
        .iter()
        .map(|d| {
            (
                &src[d.span.clone()],
                d.related.first().map(|r| r.span.clone()),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            ("cloud", Some(first_cloud..first_cloud + "cloud".len())),
            (
                "c8bms18",
                Some(first_table..first_table + "[microservice.c8bms18]".len())
            ),
            (
                "c8bms18",
                Some(first_table..first_table + "[microservice.c8bms18]".len())
            ),
        ],
        "{:#?}",
        checked.diagnostics
    );
}

/// A minimal valid manifest with `flows` (TOML) and components c4 … c36 declared.
fn with_flows(flows: &str) -> String {
    let mut src = String::from(
        "[orbit]\nname = \"k8or Orbit\"\ncloud = \"aws\"\n\n[environment.k8d]\nname = \"development\"\n\n[region.n-virginia]\nname = \"N. Virginia\"\ncomponents = [1, 100]\n\n",
    );
    src.push_str(flows);
    for n in (4..=36).step_by(4) {
        src.push_str(&format!("\n[component.c{n}]\nname = \"C{n}\"\n"));
    }
    src
}

fn codes_of(src: &str) -> Vec<&'static str> {
    orbit_engine::check(src)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

/// A component that a flow lists is not "listed in no flow" (ORB204) because the flow is
/// wrong in another way: the flow's own error is the only one.
#[test]
fn a_listed_component_is_never_orb204() {
    let nine = r#"[flow.flow-4]
name = "Portal"
components = ["c4", "c8", "c12", "c16", "c20", "c24", "c28", "c32", "c36"]
"#;
    assert_eq!(codes_of(&with_flows(nine)), ["ORB103"]);
    let malformed = r#"[flow.flow-4]
name = "Portal"
components = ["c4", "c8", "c12", "c16", "c20", "c24", "c28", "c32"]

[flow.flow-0]
name = "Zero"
components = ["c36"]
"#;
    assert_eq!(codes_of(&with_flows(malformed)), ["ORB101"]);
}

/// Environments, regions, legs and events become enum variants: a name that would take a
/// variant another entry of its kind has (or the enum's `ALL`) is an error, never a silent
/// renaming by declaration order.
#[test]
fn generated_variants_never_change_hands() {
    let base = with_flows("[flow.flow-4]\nname = \"Portal\"\ncomponents = [\"c4\", \"c8\", \"c12\", \"c16\", \"c20\", \"c24\", \"c28\", \"c32\"]\n[flow.flow-8]\nname = \"More\"\ncomponents = [\"c36\"]\n");
    assert_eq!(codes_of(&base), Vec::<&str>::new());
    let cases = [
        // `a--b`, `a_b`, `A-b` would all read as `Region::AB`: malformed names.
        ("[region.a-b]\nname = \"AB\"\ncomponents = [200, 300]\n\n[region.a--b]\nname = \"A B\"\ncomponents = [400, 500]\n", "ORB022", None),
        ("[region.a_b]\nname = \"A B\"\ncomponents = [400, 500]\n", "ORB022", None),
        ("[environment.8k]\n\n[environment.n8k]\n", "ORB005", Some("generate the same variant `Environment::N8k`")),
        ("[region.a-l-l]\nname = \"All\"\ncomponents = [400, 500]\n", "ORB005", Some("`Region::ALL`")),
    ];
    for (extra, code, message) in cases {
        let src = format!("{base}\n{extra}");
        let checked = orbit_engine::check(&src);
        let found: Vec<_> = checked.diagnostics.iter().collect();
        assert_eq!(found.len(), 1, "{extra}: {found:?}");
        assert_eq!(found[0].code.as_str(), code, "{extra}: {found:?}");
        if let Some(m) = message {
            assert!(
                found[0].message.contains(m),
                "{extra}: {}",
                found[0].message
            );
        }
    }
}
