//! No text panics a handler: every request the server answers, at every place of arbitrary
//! text and of the project's manifest cut and spliced at random.

use proptest::prelude::*;

use super::documents::{Base, LintView, ManifestView};
use super::text::{Encoding, Lines};
use super::{actions, completion, diagnostics, hover, index, navigation};

const VALID: &str = include_str!("../../../orbit.toml");

fn exercise(text: &str) {
    let uri: lsp_types::Uri = "file:///p/orbit.toml".parse().expect("a URI");
    let base = Base {
        source: VALID.to_string(),
        checked: orbit_engine::check(VALID),
        label: "the text as opened".into(),
        committed: false,
    };
    let view = ManifestView::new(text, Some(&base), None);
    let lines = Lines::new(text);
    let m = &view.checked.manifest;
    let lint = LintView::new(text, None);
    for enc in [Encoding::Utf16, Encoding::Utf8] {
        let _ = diagnostics::manifest(&uri, text, &lines, &view, enc);
        let _ = diagnostics::lint(text, &lines, &lint, enc);
        // Every character boundary, and one past the end.
        let places = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len(), text.len() + 3]);
        for at in places {
            let _ = hover::manifest(text, &lines, &view, m, at, enc);
            let _ = hover::lint(text, &lines, &lint, at, enc);
            let _ = completion::manifest(text, &lines, &view, at, enc);
            let _ = navigation::definition(text, &view, at);
            let _ = navigation::references(text, &view, at, true);
            let _ = index::context_at(text, at);
            let end = (at + 7).min(text.len());
            let _ = actions::manifest(&uri, text, &lines, &view, at..end, enc);
            let p = lines.position(text, at, enc);
            assert!(lines.offset(text, p, enc) <= text.len());
        }
    }
}

/// The project's manifest with `cut` bytes at `at` replaced by `with`, at character boundaries.
fn spliced(at: usize, cut: usize, with: &str) -> String {
    let mut s = VALID.to_string();
    let mut a = at % (s.len() + 1);
    while !s.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (a + cut).min(s.len());
    while !s.is_char_boundary(b) {
        b -= 1;
    }
    s.replace_range(a..b, with);
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn any_text(text in "[\\[\\]{}\"'=.,#\\n a-z0-9_é-]{0,120}") {
        exercise(&text);
    }

    #[test]
    fn the_manifest_spliced(at in 0usize..20_000, cut in 0usize..200, with in "[\\[\\]{}\"'=.,#\\n a-z0-9_é-]{0,12}") {
        // The whole manifest is long: exercise the lines around the splice.
        let text = spliced(at, cut, &with);
        let a = (at % (text.len() + 1)).saturating_sub(300);
        let mut a = a.min(text.len());
        while !text.is_char_boundary(a) {
            a -= 1;
        }
        let mut b = (a + 700).min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        exercise(&text[a..b]);
    }
}
