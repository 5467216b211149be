//! No input panics the engine: arbitrary bytes, arbitrary text, and random mutations of valid
//! manifests. Bounded so `cargo test` stays quick; `fuzz/` runs the same entry points for longer.

use proptest::prelude::*;

const VALID: &str = include_str!("../../orbit.toml");

fn exercise(text: &str) {
    let checked = orbit_engine::check(text);
    for d in &checked.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert!(
            d.span.start <= text.len() && d.span.end <= text.len(),
            "{d:?}"
        );
    }
    let rendered = orbit_engine::render::all(
        &checked.diagnostics,
        text,
        "orbit.toml",
        orbit_engine::render::Style::Plain,
    );
    assert_eq!(checked.diagnostics.is_empty(), rendered.is_empty());
    let _ = checked.manifest.summary();
    let _ = orbit_engine::id::AnyId::parse(text.get(..text.len().min(64)).unwrap_or(""));
}

fn exercise_diff(base: &str, head: &str) -> orbit_engine::diff::Diff {
    use orbit_engine::diff::{diff, Side};
    let (b, h) = (orbit_engine::check(base), orbit_engine::check(head));
    let d = diff(Side::new(base, &b.manifest), Side::new(head, &h.manifest));
    let key = |c: &orbit_engine::diff::Change| {
        (
            c.head.as_ref().map_or(usize::MAX, |p| p.span.start),
            c.base.as_ref().map_or(usize::MAX, |p| p.span.start),
            c.code,
            c.id.clone(),
        )
    };
    for w in d.changes.windows(2) {
        assert!(key(&w[0]) <= key(&w[1]), "out of order: {:?}", w);
    }
    for c in &d.changes {
        assert!(c.head.is_some() || c.base.is_some(), "{c:?}");
        for (p, text) in [(&c.head, head), (&c.base, base)] {
            if let Some(p) = p {
                assert!(
                    p.span.end <= text.len() && p.line >= 1 && p.column >= 1,
                    "{c:?}"
                );
            }
        }
    }
    let _ = orbit_engine::render::changes(
        &d.changes,
        orbit_engine::render::Labelled {
            source: base,
            label: "main:orbit.toml",
        },
        orbit_engine::render::Labelled {
            source: head,
            label: "orbit.toml",
        },
        orbit_engine::render::Style::Plain,
    );
    d
}

/// One edit of a valid manifest: delete, duplicate or replace a span, or insert a token.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Insert(usize, &'static str),
    Swap(usize, usize),
}

fn apply(src: &str, edits: &[Edit]) -> String {
    let mut s: Vec<u8> = src.as_bytes().to_vec();
    for e in edits {
        let n = s.len().max(1);
        match *e {
            Edit::Delete(a, len) => {
                let a = a % n;
                let b = (a + len % 40).min(s.len());
                s.drain(a..b);
            }
            Edit::Duplicate(a, len) => {
                let a = a % n;
                let b = (a + len % 200).min(s.len());
                let copy: Vec<u8> = s[a..b].to_vec();
                s.splice(b..b, copy);
            }
            Edit::Insert(a, tok) => {
                let a = a % n;
                s.splice(a..a, tok.bytes());
            }
            Edit::Swap(a, b) => {
                let (a, b) = (a % n, b % n);
                if a < s.len() && b < s.len() {
                    s.swap(a, b);
                }
            }
        }
    }
    String::from_utf8_lossy(&s).into_owned()
}

const TOKENS: &[&str] = &[
    "[",
    "]",
    "\"",
    "=",
    "\n",
    "-",
    "_",
    "c8",
    "bms",
    "bre",
    "e05",
    "e7",
    "flow-",
    "inserted = true\n",
    "{",
    "}",
    ",",
    "0",
    "999",
    "1000",
    "é",
    "\u{0}",
    "[microservice.c8bms18]\nname = \"x\"\n",
    "[leg.x]\nflow = \"flow-4\"\nparts = []\n",
    "retired = [\"c8bms18\"]\n",
    "[[waiver]]\ncode = \"ORB802\"\nid = \"c20bre24\"\nreason = \"x\"\n",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, l)| Edit::Delete(a, l)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, l)| Edit::Duplicate(a, l)),
        (any::<usize>(), prop::sample::select(TOKENS)).prop_map(|(a, t)| Edit::Insert(a, t)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        exercise(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mutated_manifests_never_panic(edits in prop::collection::vec(edit(), 1..6)) {
        exercise(&apply(VALID, &edits));
    }

    /// `orbit diff` of two independently mutated manifests: no panic, positions inside their
    /// texts, findings in their documented order, and the same result twice.
    #[test]
    fn diff_of_mutated_pairs_never_panics(
        a in prop::collection::vec(edit(), 0..5),
        b in prop::collection::vec(edit(), 0..5),
    ) {
        let (base, head) = (apply(VALID, &a), apply(VALID, &b));
        let d = exercise_diff(&base, &head);
        prop_assert_eq!(&d, &exercise_diff(&base, &head));
    }

    /// A manifest compared with itself has no change, however broken it is, but ORB890 for
    /// each of its own waivers (which match no change there; see `tests/diff.rs`).
    #[test]
    fn diff_with_itself_is_empty(edits in prop::collection::vec(edit(), 0..5)) {
        let text = apply(VALID, &edits);
        let d = exercise_diff(&text, &text);
        prop_assert!(
            d.changes.iter().all(|c| c.code == orbit_engine::Code::Orb890),
            "{:?}",
            d.changes
        );
        prop_assert!(d.added.is_empty());
    }

    #[test]
    fn arbitrary_ids_never_panic(text in "\\PC{0,40}") {
        let _ = orbit_engine::id::AnyId::parse(&text);
        let _ = text.parse::<orbit_engine::id::Pid>();
        let _ = orbit_engine::id::PhysicalName::parse(&text);
        let _ = orbit_engine::id::RepositoryName::parse(&text);
    }

    #[test]
    fn id_shaped_text_never_panics(text in "[cC]?[0-9]{0,5}(fms|bms|bre|xyz)?[0-9]{0,5}(-[a-z0-9]{0,9}){0,4}") {
        let _ = orbit_engine::id::AnyId::parse(&text);
        let _ = text.parse::<orbit_engine::id::Mid>();
        let _ = text.parse::<orbit_engine::id::Rid>();
    }

    /// The generated `FromStr` finds the text itself in a table of the declared texts, so it
    /// relies on this: a text the grammar accepts is the canonical text of what it parsed.
    #[test]
    fn accepted_ids_are_canonical(text in "c0?[0-9]{1,5}(fms|bms|bre|Bre)[0-9]{1,4}(-c0?[0-9]{1,5}(fms|bms|bre)[0-9]{1,4}-e0?[0-9]{1,4})?") {
        if let Ok(m) = text.parse::<orbit_engine::id::Mid>() {
            prop_assert_eq!(m.to_string(), text.clone());
        }
        if let Ok(r) = text.parse::<orbit_engine::id::Rid>() {
            prop_assert_eq!(r.to_string(), text.clone());
        }
        if let Ok(p) = text.parse::<orbit_engine::id::Pid>() {
            prop_assert_eq!(p.to_string(), text);
        }
    }

    #[test]
    fn canonical_ids_round_trip(c in 1u16..=9999, n in 1u16..=999, back in any::<bool>(), o in 1u16..=999) {
        let kind = if back { orbit_engine::id::ServiceKind::Backend } else { orbit_engine::id::ServiceKind::Frontend };
        let mid = orbit_engine::id::Mid { component: c, kind, number: n };
        prop_assert_eq!(mid.to_string().parse::<orbit_engine::id::Mid>().unwrap(), mid);
        let rid = orbit_engine::id::Rid { component: c, number: n };
        let pid = orbit_engine::id::Pid { start: mid.into(), end: rid.into(), order: o };
        prop_assert_eq!(pid.to_string().parse::<orbit_engine::id::Pid>().unwrap(), pid);
    }
}
