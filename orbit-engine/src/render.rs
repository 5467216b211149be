//! rustc-style rendering of diagnostics, with the source line and a caret under the offending
//! text, by `annotate-snippets` (the renderer rustc itself uses).

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::diag::{Diagnostic, LineIndex};

/// How to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// No colour: for files, pipes and compile errors.
    #[default]
    Plain,
    /// ANSI colours, for a terminal.
    Color,
}

/// Around its span, the most characters of a line an excerpt shows; a longer line is cut
/// (the renderer shows at most a terminal's width of it anyway). Rendering the whole line
/// for each of N diagnostics on one long line would cost N times its length.
const WINDOW_CHARS: usize = 160;

/// The excerpt of `source` holding `span`: whole lines (without a CR before the newline), with
/// the 1-based number of the first, and the span within it. Lines longer than
/// [`WINDOW_CHARS`] around the span are cut to a window (`cut` is then the 1-based character
/// column of the span's start in the full line, for the `-->` line).
struct Excerpt<'a> {
    text: &'a str,
    line: usize,
    local: Range<usize>,
    cut: Option<usize>,
}

fn excerpt<'a>(source: &'a str, index: &LineIndex<'_>, span: &Range<usize>) -> Excerpt<'a> {
    let floor = |mut at: usize| {
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = floor(span.start.min(source.len()));
    let end = floor(span.end.clamp(start, source.len()));
    let (line, column) = index.line_col(start);
    let end_line = if end == start {
        line
    } else {
        index.line_col(end).0
    };
    // `line_text` is the line without its newline and a CR before it.
    let first = index.line_text(line);
    let line_start = first.as_ptr() as usize - source.as_ptr() as usize;
    let last = index.line_text(end_line);
    let last_end = last.as_ptr() as usize - source.as_ptr() as usize + last.len();
    let line_end = last_end.max(end);
    let text = &source[line_start..line_end];
    if end_line != line || text.len() <= WINDOW_CHARS * 2 {
        return Excerpt {
            text,
            line,
            local: start - line_start..end - line_start,
            cut: None,
        };
    }
    // One long line: WINDOW_CHARS characters either side of the span's start (a long span is
    // shown by its beginning).
    let from = source[line_start..start]
        .char_indices()
        .rev()
        .nth(WINDOW_CHARS - 1)
        .map_or(line_start, |(i, _)| line_start + i);
    let to = source[start..line_end]
        .char_indices()
        .nth(WINDOW_CHARS)
        .map_or(line_end, |(i, _)| start + i);
    Excerpt {
        text: &source[from..to],
        line,
        local: start - from..end.min(to) - from,
        cut: Some(column),
    }
}

/// The origin (`path:line:col`) the renderer shows for an excerpt, and the true one.
fn origin_fix(path: &str, x: &Excerpt<'_>) -> (String, String) {
    let shown = x.text[..x.local.start].chars().count() + 1;
    let right = x.cut.unwrap_or(shown);
    (
        format!("{path}:{}:{shown}", x.line),
        format!("{path}:{}:{right}", x.line),
    )
}

/// Renders one diagnostic as rustc does: `error[ORB303]: …`, `--> path:line:col`, the line, a
/// caret, related places, a `help:` line and, last, a note that `orbit explain ORBnnn`
/// documents the rule.
pub fn one(d: &Diagnostic, source: &str, path: &str, style: Style) -> String {
    let index = LineIndex::new(source);
    render(std::slice::from_ref(d), source, &index, path, style, true)
}

/// Renders every diagnostic as [`one`] does, each followed by a blank line.
pub fn all(diags: &[Diagnostic], source: &str, path: &str, style: Style) -> String {
    let index = LineIndex::new(source);
    render(diags, source, &index, path, style, true)
}

/// [`one`] without the note on `orbit explain`: the text of a compile error, which keeps
/// rustc's own form.
#[cfg(feature = "codegen")]
pub(crate) fn one_for_build(d: &Diagnostic, source: &str, path: &str) -> String {
    let index = LineIndex::new(source);
    render(
        std::slice::from_ref(d),
        source,
        &index,
        path,
        Style::Plain,
        false,
    )
}

/// The note that ends a diagnostic of the `orbit` tool.
fn explain_note(code: crate::Code) -> String {
    format!("for more about this rule, run `orbit explain {code}`")
}

fn render(
    diags: &[Diagnostic],
    source: &str,
    index: &LineIndex<'_>,
    path: &str,
    style: Style,
    note: bool,
) -> String {
    let renderer = match style {
        Style::Plain => Renderer::plain(),
        Style::Color => Renderer::styled(),
    };
    let mut out = String::new();
    for d in diags {
        let x = excerpt(source, index, &d.span);
        let mut primary = AnnotationKind::Primary.span(x.local.clone());
        if let Some(l) = &d.label {
            primary = primary.label(l.as_str());
        }
        // The `-->`/`:::` lines of a cut excerpt show the column in the cut line: corrected
        // after rendering.
        let mut origins = vec![origin_fix(path, &x)];
        let mut group = Group::with_title(
            Level::ERROR
                .primary_title(d.message.as_str())
                .id(d.code.as_str()),
        )
        .element(
            Snippet::source(x.text)
                .line_start(x.line)
                .path(path)
                .annotation(primary),
        );
        for r in &d.related {
            let rx = excerpt(source, index, &r.span);
            origins.push(origin_fix(path, &rx));
            group = group.element(
                Snippet::source(rx.text)
                    .line_start(rx.line)
                    .path(path)
                    .annotation(
                        AnnotationKind::Context
                            .span(rx.local)
                            .label(r.message.as_str()),
                    ),
            );
        }
        if let Some(h) = &d.help {
            group = group.element(Level::HELP.message(h.as_str()));
        }
        if note {
            group = group.element(Level::NOTE.message(explain_note(d.code)));
        }
        push_fixed(&mut out, &renderer.render(&[group]), &origins);
        out.push_str("\n\n");
    }
    out
}

/// Appends a rendered group, with the origins of cut excerpts corrected (see [`origin_fix`]).
fn push_fixed(out: &mut String, rendered: &str, origins: &[(String, String)]) {
    if origins.iter().all(|(shown, right)| shown == right) {
        out.push_str(rendered);
        return;
    }
    // Past the title line, each snippet's origin in order.
    let mut at = rendered.find('\n').unwrap_or(0);
    out.push_str(&rendered[..at]);
    for (shown, right) in origins {
        if let Some(i) = rendered[at..].find(shown.as_str()) {
            out.push_str(&rendered[at..at + i]);
            out.push_str(right);
            at += i + shown.len();
        }
    }
    out.push_str(&rendered[at..]);
}

/// One side of a rendered change: its text and how to name it (`orbit.toml`, `main:orbit.toml`).
#[derive(Debug, Clone, Copy)]
pub struct Labelled<'a> {
    /// The manifest's text.
    pub source: &'a str,
    /// Its name in the output.
    pub label: &'a str,
}

/// Renders the changes `orbit diff` found, rustc style: `error[ORB802]: …`, the HEAD line with a
/// caret (or, for what is gone, the BASE line), `note: was at BASE:LINE:COL`, and `help:`.
pub fn changes(
    changes: &[crate::diff::Change],
    base: Labelled<'_>,
    head: Labelled<'_>,
    style: Style,
) -> String {
    let renderer = match style {
        Style::Plain => Renderer::plain(),
        Style::Color => Renderer::styled(),
    };
    let (base_index, head_index) = (LineIndex::new(base.source), LineIndex::new(head.source));
    let mut out = String::new();
    for c in changes {
        let level = match c.severity() {
            crate::Severity::Error => Level::ERROR,
            crate::Severity::Warning => Level::WARNING,
        };
        let mut group =
            Group::with_title(level.primary_title(c.message.as_str()).id(c.code.as_str()));
        let was = c
            .base
            .as_ref()
            .map(|p| format!("was at {}:{}:{}", base.label, p.line, p.column));
        let mut origins = Vec::new();
        match (&c.head, &c.base) {
            (Some(p), _) => {
                let x = excerpt(head.source, &head_index, &p.span);
                origins.push(origin_fix(head.label, &x));
                group = group.element(
                    Snippet::source(x.text)
                        .line_start(x.line)
                        .path(head.label)
                        .annotation(AnnotationKind::Primary.span(x.local)),
                );
            }
            (None, Some(p)) => {
                let x = excerpt(base.source, &base_index, &p.span);
                origins.push(origin_fix(base.label, &x));
                group = group.element(
                    Snippet::source(x.text)
                        .line_start(x.line)
                        .path(base.label)
                        .annotation(
                            AnnotationKind::Primary
                                .span(x.local)
                                .label(format!("gone from {}", head.label)),
                        ),
                );
            }
            (None, None) => {}
        }
        if let Some(was) = &was {
            group = group.element(Level::NOTE.message(was.as_str()));
        }
        if let Some(reason) = &c.waived {
            group = group.element(Level::NOTE.message(format!(
                "waived: {reason} (this change does not fail the diff)"
            )));
        }
        if let Some(h) = &c.help {
            group = group.element(Level::HELP.message(h.as_str()));
        }
        group = group.element(Level::NOTE.message(explain_note(c.code)));
        push_fixed(&mut out, &renderer.render(&[group]), &origins);
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn renders_like_rustc() {
        let src = "[microservice.c8fms04]\nname = \"x\"\n";
        let mut d = Diagnostic::new(
            Code::Orb303,
            14..21,
            "MID identifier 04 is not a multiple of 3",
        )
        .with_help("use c8fms06");
        LineIndex::new(src).locate(&mut d);
        let text = one(&d, src, "orbit.toml", Style::Plain);
        assert!(
            text.starts_with("error[ORB303]: MID identifier 04"),
            "{text}"
        );
        assert!(text.contains("--> orbit.toml:1:15"), "{text}");
        assert!(text.contains("^^^^^^^"), "{text}");
        assert!(text.contains("help: use c8fms06"), "{text}");
        assert!(
            text.trim_end()
                .ends_with("= note: for more about this rule, run `orbit explain ORB303`"),
            "{text}"
        );
    }
}
