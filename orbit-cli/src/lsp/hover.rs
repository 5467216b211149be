//! Hover: what `orbit explain` says about the id or name under the cursor, as Markdown.

use std::ops::Range;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};
use orbit_engine::{Code, Manifest};

use super::documents::{LintView, ManifestView};
use super::index::Slot;
use super::text::{Encoding, Lines};
use crate::explain;

fn hover(text: &str, lines: &Lines, span: &Range<usize>, md: String, enc: Encoding) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: Some(lines.range(text, span, enc)),
    }
}

/// Hover in a manifest buffer (explained against `m`, the last model that parsed): on a table header's key, or on an id-valued string (a flow's
/// components, a part's PID or either of its ids, an event's `mid` and `rid`, `retired`, a
/// resource's or leg's `flow`, a waiver's `id` and `code`).
pub fn manifest(
    text: &str,
    lines: &Lines,
    view: &ManifestView,
    m: &Manifest,
    offset: usize,
    enc: Encoding,
) -> Option<Hover> {
    let t = view.index(text).token_at(offset)?;
    let span = t.span.clone();
    let word = text.get(span.clone())?;
    if word.is_empty() {
        return None;
    }
    let md = match t.slot {
        Slot::Kind => return None,
        Slot::WaiverCode => {
            let code: Code = word.parse().ok()?;
            rule_markdown(code)
        }
        Slot::PidOrder => {
            // The order alone says little: explain the whole PID.
            let pid = view.index(text).enclosing(span.start, Slot::Pid)?;
            let pid_text = text.get(pid.span.clone())?;
            let x = explain::explain(pid_text, Some(m));
            return Some(hover(
                text,
                lines,
                &pid.span,
                explain::markdown(&x, Some(super::documents::MANIFEST)),
                enc,
            ));
        }
        _ => {
            let x = explain::explain(word, Some(m));
            explain::markdown(&x, Some(super::documents::MANIFEST))
        }
    };
    Some(hover(text, lines, &span, md, enc))
}

/// A rule code's hover: its title, what it checks and a link to its section of
/// `docs/rules.md` (`orbit explain ORBnnn` prints the rest).
fn rule_markdown(code: Code) -> String {
    match crate::rules::find(code) {
        Some(rule) => format!(
            "**{code}**: {}\n\n{}\n\n[docs/rules.md]({}) · `orbit explain {code}`",
            code.title(),
            rule.checks,
            crate::rules::url(code)
        ),
        None => format!("**{code}**: {}", code.title()),
    }
}

/// Hover in any other file: on a lint finding, or on a word that is a well-formed id or name
/// (`c8fms03`, `c8fms03-c20bre06-e15`, a physical or repository name, `flow-4`, a declared
/// environment, leg or event), or a generated constant's name (`C20BRE06`, `C8FMS03_C20BRE06_E15`).
pub fn lint(
    text: &str,
    lines: &Lines,
    view: &LintView,
    offset: usize,
    enc: Encoding,
) -> Option<Hover> {
    let m: Option<&Manifest> = view
        .manifest
        .as_ref()
        .and_then(|d| d.checked.as_ref())
        .map(|c| &c.manifest);
    let shown = view.manifest.as_ref().map(|d| d.path.display().to_string());
    if let Some(f) = view
        .findings
        .iter()
        .find(|f| f.span.start <= offset && offset <= f.span.end)
    {
        let x = explain::explain(&f.text, m);
        return Some(hover(
            text,
            lines,
            &f.span,
            explain::markdown(&x, shown.as_deref()),
            enc,
        ));
    }
    for span in words_at(text, offset) {
        let word = &text[span.clone()];
        let mut candidates = vec![word.to_string()];
        if word.bytes().any(|b| b.is_ascii_uppercase())
            && !word.bytes().any(|b| b.is_ascii_lowercase())
        {
            // A generated constant names its id in upper case, `_` for `-`.
            candidates.push(word.to_ascii_lowercase().replace('_', "-"));
        }
        for c in candidates {
            let x = explain::explain(&c, m);
            if x.well_formed() {
                return Some(hover(
                    text,
                    lines,
                    &span,
                    explain::markdown(&x, shown.as_deref()),
                    enc,
                ));
            }
        }
    }
    None
}

/// The words around `offset`, longest first: letters, digits, `-` and `_` (a PID or a
/// physical name), then letters and digits only (a MID inside `c8fms03_handler`).
fn words_at(text: &str, offset: usize) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let offset = offset.min(b.len());
    let grow = |ok: &dyn Fn(u8) -> bool| {
        let mut s = offset;
        while s > 0 && ok(b[s - 1]) {
            s -= 1;
        }
        let mut e = offset;
        while e < b.len() && ok(b[e]) {
            e += 1;
        }
        // Trailing `-`/`_` belong to the text around (`c8fms03-` in a sentence).
        while e > s && matches!(b[e - 1], b'-' | b'_') {
            e -= 1;
        }
        while s < e && matches!(b[s], b'-' | b'_') {
            s += 1;
        }
        s..e
    };
    let mut out = Vec::new();
    let long = grow(&|c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
    if !long.is_empty() {
        out.push(long.clone());
    }
    let short = grow(&|c: u8| c.is_ascii_alphanumeric());
    if !short.is_empty() && short != long {
        out.push(short);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_around_the_cursor() {
        let t = "name = var.x[\"c8fms03-c20bre06-e15\"] # c8fms03_handler";
        let at = t.find("c20bre06").unwrap();
        let w: Vec<&str> = words_at(t, at).iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(w, ["c8fms03-c20bre06-e15", "c20bre06"]);
        let at = t.find("_handler").unwrap() - 1;
        let w: Vec<&str> = words_at(t, at).iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(w, ["c8fms03_handler", "c8fms03"]);
        assert!(words_at("é é", 2).is_empty());
    }

    #[test]
    fn a_rule_code_hovers_with_its_documentation() {
        let md = super::rule_markdown(orbit_engine::Code::Orb802);
        assert!(
            md.starts_with("**ORB802**: a resource declared in both"),
            "{md}"
        );
        assert!(md.contains("`orbit diff` reports each resource"), "{md}");
        assert!(md.contains("docs/rules.md#orb802"), "{md}");
    }
}
