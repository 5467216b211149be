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

/// The excerpt of `source` holding `span`: whole lines, with the 1-based number of the first.
fn excerpt<'a>(
    source: &'a str,
    index: &LineIndex<'_>,
    span: &Range<usize>,
) -> (&'a str, usize, Range<usize>) {
    let start = span.start.min(source.len());
    let end = span.end.clamp(start, source.len());
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
    let (line, _) = index.line_col(start);
    (
        &source[line_start..line_end],
        line,
        start - line_start..end - line_start,
    )
}

/// Renders one diagnostic as rustc does: `error[ORB303]: …`, `--> path:line:col`, the line, a
/// caret, related places and a `help:` line.
pub fn one(d: &Diagnostic, source: &str, path: &str, style: Style) -> String {
    let index = LineIndex::new(source);
    render(std::slice::from_ref(d), source, &index, path, style)
}

/// Renders every diagnostic, each followed by a blank line.
pub fn all(diags: &[Diagnostic], source: &str, path: &str, style: Style) -> String {
    let index = LineIndex::new(source);
    render(diags, source, &index, path, style)
}

fn render(
    diags: &[Diagnostic],
    source: &str,
    index: &LineIndex<'_>,
    path: &str,
    style: Style,
) -> String {
    let renderer = match style {
        Style::Plain => Renderer::plain(),
        Style::Color => Renderer::styled(),
    };
    let mut out = String::new();
    for d in diags {
        let (text, line, local) = excerpt(source, index, &d.span);
        let mut primary = AnnotationKind::Primary.span(local);
        if let Some(l) = &d.label {
            primary = primary.label(l.as_str());
        }
        let mut group = Group::with_title(
            Level::ERROR
                .primary_title(d.message.as_str())
                .id(d.code.as_str()),
        )
        .element(
            Snippet::source(text)
                .line_start(line)
                .path(path)
                .annotation(primary),
        );
        for r in &d.related {
            let (rtext, rline, rlocal) = excerpt(source, index, &r.span);
            group = group.element(
                Snippet::source(rtext)
                    .line_start(rline)
                    .path(path)
                    .annotation(
                        AnnotationKind::Context
                            .span(rlocal)
                            .label(r.message.as_str()),
                    ),
            );
        }
        if let Some(h) = &d.help {
            group = group.element(Level::HELP.message(h.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
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
        match (&c.head, &c.base) {
            (Some(p), _) => {
                let (text, line, local) = excerpt(head.source, &head_index, &p.span);
                group = group.element(
                    Snippet::source(text)
                        .line_start(line)
                        .path(head.label)
                        .annotation(AnnotationKind::Primary.span(local)),
                );
            }
            (None, Some(p)) => {
                let (text, line, local) = excerpt(base.source, &base_index, &p.span);
                group = group.element(
                    Snippet::source(text)
                        .line_start(line)
                        .path(base.label)
                        .annotation(
                            AnnotationKind::Primary
                                .span(local)
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
        out.push_str(&renderer.render(&[group]));
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
    }
}
