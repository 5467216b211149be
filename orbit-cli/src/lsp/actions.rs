//! Code actions: the fixes the diagnostics' help lines name, one action each.
//!
//! - the next free id (`the next free in c8 is `c8fms30``), written over the id;
//! - `inserted = true`, added to the table or the part (a reserved slot used deliberately);
//! - each did-you-mean id or key (`did you mean `c8`?`), written over the text;
//! - the canonical spelling (`write `c8fms03``), and for ORB503 the orders `use e05 or e10`;
//! - a missing required key (ORB003, `add `name = "…"``), on the line after the header;
//! - a removed MID or RID (ORB801) added to `[orbit]`'s `retired`.
//!
//! In other files: each did-you-mean of a lint finding.

use std::collections::HashMap;
use std::ops::Range;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, Uri, WorkspaceEdit};
use orbit_engine::Diagnostic;

use super::documents::{LintView, ManifestView};
use super::index::{Family, Slot};
use super::text::{Encoding, Lines};

/// One fix: a title and the edits (byte range → new text) that make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the action says.
    pub title: String,
    /// The edits, in text order.
    pub edits: Vec<(Range<usize>, String)>,
    /// The fix to prefer (the next free id).
    pub preferred: bool,
}

fn replace(title: String, span: &Range<usize>, new: String) -> Fix {
    Fix {
        title,
        edits: vec![(span.clone(), new)],
        preferred: false,
    }
}

/// The backticked items of `s`, in order.
fn ticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// `x` written where `old` stands: quoted as `old` is, a header `[family.key]` reduced to its
/// key, an id's quotes dropped where `old` is bare.
fn fit(old: &str, x: &str) -> String {
    let bare = if let Some(inner) = x.strip_prefix('"').and_then(|i| i.strip_suffix('"')) {
        inner
    } else if x.starts_with('[') && x.ends_with(']') && x.contains('.') && !x.contains(',') {
        x[1..x.len() - 1].split_once('.').map_or(x, |(_, k)| k)
    } else {
        x
    };
    match old.chars().next() {
        Some(q @ ('"' | '\'')) if !bare.starts_with(q) => format!("{q}{bare}{q}"),
        _ => bare.to_string(),
    }
}

/// The text a diagnostic's fix rewrites: its span, or the whole id it points into (a
/// malformed id's diagnostic points at the bad part: `3` of `c8fms3`).
pub fn fix_span(text: &str, view: &ManifestView, d: &Diagnostic) -> Range<usize> {
    match view.index(text).token_at(d.span.start) {
        Some(t) if t.span.start <= d.span.start && d.span.end <= t.span.end => t.span.clone(),
        _ => d.span.clone(),
    }
}

/// The fixes a diagnostic's help line names.
pub fn fixes(text: &str, view: &ManifestView, d: &Diagnostic) -> Vec<Fix> {
    let Some(help) = d.help.as_deref() else {
        return Vec::new();
    };
    let span = fix_span(text, view, d);
    let Some(old) = text.get(span.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for clause in help.split("; ") {
        if let Some(rest) = clause.find("the next free").map(|i| &clause[i..]) {
            if let Some(id) = ticked(rest).first() {
                let mut f = replace(format!("Use the next free id `{id}`"), &span, fit(old, id));
                f.preferred = true;
                out.push(f);
            }
        }
        if clause.contains("add `inserted = true`") {
            if let Some(f) = inserted(text, view, &span) {
                out.push(f);
            }
        }
        if d.code == orbit_engine::Code::Orb003 {
            // "add `name = \"Portal Search Logic\"`": a missing key, on a line of its own.
            if let Some(kv) = clause
                .strip_prefix("add ")
                .and_then(|r| ticked(r).first().copied())
            {
                if kv.contains(" = ") && !kv.starts_with('[') {
                    if let Some((_, table)) = view.index(text).table_at(d.span.start) {
                        let at = table.header.end;
                        out.push(Fix {
                            title: format!("Add `{kv}`"),
                            edits: vec![(at..at, format!("\n{kv}"))],
                            preferred: false,
                        });
                    }
                }
            }
        }
        if let Some(rest) = clause.find("did you mean ").map(|i| &clause[i..]) {
            let upto = rest.find('?').map_or(rest, |q| &rest[..q]);
            for id in ticked(upto) {
                out.push(replace(format!("Replace with `{id}`"), &span, fit(old, id)));
            }
        }
        if let Some(rest) = clause.strip_prefix("write ") {
            if let Some(x) = ticked(rest).first() {
                out.push(replace(format!("Write `{x}`"), &span, fit(old, x)));
            }
        }
        if d.code == orbit_engine::Code::Orb503 {
            // "orders step by 5 (e05, e10, …): use e05 or e10"
            if let Some(rest) = clause.split(": use ").nth(1) {
                for order in rest.split(" or ") {
                    let order = order.trim();
                    if order.starts_with('e') && order[1..].bytes().all(|b| b.is_ascii_digit()) {
                        out.push(replace(
                            format!("Use the order `{order}`"),
                            &span,
                            order.to_string(),
                        ));
                    }
                }
            }
        }
    }
    out
}

/// `inserted = true` for the entry at `span`: in its inline table (a leg's part), else on the
/// line after its table's header.
fn inserted(text: &str, view: &ManifestView, span: &Range<usize>) -> Option<Fix> {
    let title = "Add `inserted = true`".to_string();
    let in_part = view
        .index(text)
        .enclosing(span.start, Slot::Pid)
        .is_some_and(|t| t.span.start <= span.start);
    if in_part {
        let b = text.as_bytes();
        let close = span.end
            + b[span.end..]
                .iter()
                .position(|&c| c == b'}' || c == b'\n')?;
        if b[close] == b'}' {
            let mut at = close;
            while at > span.end && b[at - 1] == b' ' {
                at -= 1;
            }
            return Some(Fix {
                title,
                edits: vec![(at..at, ", inserted = true".into())],
                preferred: false,
            });
        }
    }
    let (_, table) = view.index(text).table_at(span.start)?;
    let at = table.header.end;
    Some(Fix {
        title,
        edits: vec![(at..at, "\ninserted = true".into())],
        preferred: false,
    })
}

/// The edit adding `id` to `retired`: after its last entry, into an empty `retired = []`, or as
/// a new `retired` line after the `[orbit]` header.
pub fn retire(
    text: &str,
    view: &ManifestView,
    ids: &[&str],
) -> Option<Vec<(Range<usize>, String)>> {
    let list = ids
        .iter()
        .map(|i| format!("\"{i}\""))
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(last) = view
        .index(text)
        .tokens
        .iter()
        .rev()
        .find(|t| t.slot == Slot::Retired)
    {
        let after_quote = last.span.end
            + usize::from(matches!(
                text.as_bytes().get(last.span.end),
                Some(b'"' | b'\'')
            ));
        return Some(vec![(after_quote..after_quote, format!(", {list}"))]);
    }
    let orbit = view
        .index(text)
        .tables
        .iter()
        .find(|t| t.family == Family::Orbit)?;
    let body = &text[orbit.header.end.min(orbit.end)..orbit.end];
    let mut at = orbit.header.end;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("retired") {
            let rest = rest.trim_start();
            if let Some(value) = rest.strip_prefix('=') {
                if let Some(open) = value.find('[') {
                    let pos = at + (line.len() - t.len()) + (t.len() - rest.len()) + 1 + open + 1;
                    return Some(vec![(pos..pos, list)]);
                }
            }
        }
        at += line.len();
    }
    let at = orbit.header.end;
    Some(vec![(at..at, format!("\nretired = [{list}]"))])
}

fn action(
    uri: &Uri,
    text: &str,
    lines: &Lines,
    fix: Fix,
    diagnostics: Vec<lsp_types::Diagnostic>,
    enc: Encoding,
) -> CodeActionOrCommand {
    let edits = fix
        .edits
        .iter()
        .map(|(r, t)| TextEdit::new(lines.range(text, r, enc), t.clone()))
        .collect();
    CodeActionOrCommand::CodeAction(CodeAction {
        title: fix.title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: fix.preferred.then_some(true),
        ..CodeAction::default()
    })
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The actions for the diagnostics that overlap `range` of a manifest buffer.
pub fn manifest(
    uri: &Uri,
    text: &str,
    lines: &Lines,
    view: &ManifestView,
    range: Range<usize>,
    enc: Encoding,
) -> Vec<CodeActionOrCommand> {
    let all = super::diagnostics::manifest(uri, text, lines, view, enc);
    let mut out = Vec::new();
    for (i, d) in view.checked.diagnostics.iter().enumerate() {
        if !overlaps(&fix_span(text, view, d), &range) {
            continue;
        }
        for fix in fixes(text, view, d) {
            out.push(action(uri, text, lines, fix, vec![all[i].clone()], enc));
        }
    }
    if !view.removed.is_empty() {
        let anchor = super::diagnostics::removed_anchor(text, view);
        let line = lines.line_of(anchor.start);
        let anchor_line = lines.line_range(text, line);
        if overlaps(&anchor_line, &range) {
            let n = view.checked.diagnostics.len();
            for (k, c) in view.removed.iter().enumerate() {
                if let Some(edits) = retire(text, view, &[c.id.as_str()]) {
                    let fix = Fix {
                        title: format!("Add `{}` to `retired`", c.id),
                        edits,
                        preferred: view.removed.len() == 1,
                    };
                    out.push(action(uri, text, lines, fix, vec![all[n + k].clone()], enc));
                }
            }
            if view.removed.len() > 1 {
                let ids: Vec<&str> = view.removed.iter().map(|c| c.id.as_str()).collect();
                if let Some(edits) = retire(text, view, &ids) {
                    let fix = Fix {
                        title: format!("Add all {} removed ids to `retired`", ids.len()),
                        edits,
                        preferred: true,
                    };
                    out.push(action(uri, text, lines, fix, all[n..].to_vec(), enc));
                }
            }
        }
    }
    out
}

/// The actions for the lint findings that overlap `range` of another file: each did-you-mean.
pub fn lint(
    uri: &Uri,
    text: &str,
    lines: &Lines,
    view: &LintView,
    range: Range<usize>,
    enc: Encoding,
) -> Vec<CodeActionOrCommand> {
    let all = super::diagnostics::lint(text, lines, view, enc);
    let mut out = Vec::new();
    for (i, f) in view.findings.iter().enumerate() {
        if !overlaps(&f.span, &range) {
            continue;
        }
        for s in &f.suggestions {
            let fix = replace(format!("Replace with `{s}`"), &f.span, s.clone());
            out.push(action(uri, text, lines, fix, vec![all[i].clone()], enc));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacements_fit_the_text() {
        assert_eq!(fit("\"c12\"", "c8"), "\"c8\"");
        assert_eq!(fit("c8fms3", "c8fms03"), "c8fms03");
        assert_eq!(fit("\"C8\"", "\"c8\""), "\"c8\"");
        assert_eq!(
            fit("Transfer_Done", "[event.transfer-done]"),
            "transfer-done"
        );
        assert_eq!(fit("[100, 1]", "[1, 100]"), "[1, 100]");
        assert_eq!(
            ticked("did you mean `a`, `b`? otherwise declare `[c.d]`"),
            ["a", "b", "[c.d]"]
        );
    }
}
