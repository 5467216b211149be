//! The engine's diagnostics and `orbit lint`'s findings as the protocol's diagnostics.

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};
use orbit_engine::diff::Change;
use orbit_engine::lint::Finding;
use orbit_engine::Severity;

use super::documents::{LintView, ManifestView};
use super::text::{Encoding, Lines};

/// Every diagnostic `source` is this.
pub const SOURCE: &str = "orbit";

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
    }
}

/// `message`, then `help: …` on a line of its own: most editors show only the message.
fn with_help(message: &str, help: Option<&str>) -> String {
    match help {
        Some(h) => format!("{message}\nhelp: {h}"),
        None => message.to_string(),
    }
}

/// The diagnostics of a manifest buffer: every rule's (as `orbit check` reports them), then the
/// removed MIDs and RIDs that are not retired (ORB801, as `orbit diff` reports them against the
/// base), placed on `[orbit]`'s `retired` (or the `[orbit]` header, or the first line).
pub fn manifest(
    uri: &Uri,
    text: &str,
    lines: &Lines,
    view: &ManifestView,
    enc: Encoding,
) -> Vec<Diagnostic> {
    let mut out = Vec::with_capacity(view.checked.diagnostics.len() + view.removed.len());
    for d in &view.checked.diagnostics {
        let range = lines.range(text, &d.span, enc);
        let mut related: Vec<DiagnosticRelatedInformation> = d
            .related
            .iter()
            .map(|r| DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), lines.range(text, &r.span, enc)),
                message: r.message.clone(),
            })
            .collect();
        if let Some(h) = &d.help {
            related.push(DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), range),
                message: format!("help: {h}"),
            });
        }
        out.push(Diagnostic {
            range,
            severity: Some(severity(d.code.severity())),
            code: Some(NumberOrString::String(d.code.as_str().to_string())),
            code_description: code_description(d.code),
            source: Some(SOURCE.into()),
            message: with_help(&d.message, d.help.as_deref()),
            related_information: (!related.is_empty()).then_some(related),
            ..Diagnostic::default()
        });
    }
    for c in &view.removed {
        let span = removed_anchor(text, view);
        let mut d = removed(uri, text, lines, c, &span, enc);
        if let Some(b) = &view.base {
            d.message = d.message.replacen('\n', &format!(" (against {b})\n"), 1);
        }
        if !view.committed {
            // Without git, what exists is not known: a reminder, not an error.
            d.severity = Some(DiagnosticSeverity::WARNING);
        }
        out.push(d);
    }
    out
}

/// The rule's section of `docs/rules.md` in the repository, which editors link from the code.
pub fn code_description(code: orbit_engine::Code) -> Option<CodeDescription> {
    crate::rules::url(code)
        .parse()
        .ok()
        .map(|href| CodeDescription { href })
}

/// Where ORB801 findings stand: `retired`'s key, else the `[orbit]` header, else the start.
pub fn removed_anchor(text: &str, view: &ManifestView) -> std::ops::Range<usize> {
    if let Some(first) = view.checked.manifest.orbit.retired_spans.first() {
        return first.clone();
    }
    view.index(text)
        .tables
        .iter()
        .find(|t| t.family == super::index::Family::Orbit)
        .map_or(0..0, |t| t.header.clone())
}

fn removed(
    uri: &Uri,
    text: &str,
    lines: &Lines,
    c: &Change,
    span: &std::ops::Range<usize>,
    enc: Encoding,
) -> Diagnostic {
    let range = lines.range(text, span, enc);
    let related = c.help.as_ref().map(|h| {
        vec![DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range),
            message: format!("help: {h}"),
        }]
    });
    Diagnostic {
        range,
        severity: Some(severity(c.severity())),
        code: Some(NumberOrString::String(c.code.as_str().to_string())),
        code_description: code_description(c.code),
        source: Some(SOURCE.into()),
        message: with_help(&c.message, c.help.as_deref()),
        related_information: related,
        ..Diagnostic::default()
    }
}

/// The message of a lint finding, with its did-you-mean, as `orbit lint` prints it.
pub fn finding_message(f: &Finding) -> String {
    if f.suggestions.is_empty() {
        f.message.clone()
    } else {
        format!(
            "{}; did you mean {}?",
            f.message,
            crate::common::ticked(&f.suggestions)
        )
    }
}

/// The diagnostics of another file: `orbit lint`'s findings, one each, coded
/// `lint/undeclared`, `lint/malformed` or `lint/retired`; a manifest that cannot be read is
/// one warning at the start.
pub fn lint(text: &str, lines: &Lines, view: &LintView, enc: Encoding) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = view
        .findings
        .iter()
        .map(|f| Diagnostic {
            range: lines.range(text, &f.span, enc),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String(format!(
                "lint/{}",
                f.problem.as_str()
            ))),
            source: Some(SOURCE.into()),
            message: finding_message(f),
            ..Diagnostic::default()
        })
        .collect();
    if let Some(why) = view.manifest.as_ref().and_then(|m| m.unreadable.as_ref()) {
        out.push(Diagnostic {
            range: lsp_types::Range::default(),
            severity: Some(DiagnosticSeverity::WARNING),
            code: Some(NumberOrString::String("ORB004".into())),
            code_description: code_description(orbit_engine::Code::Orb004),
            source: Some(SOURCE.into()),
            message: format!("{why}; this file is not linted"),
            ..Diagnostic::default()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    /// Every code links to its section of `docs/rules.md` (the anchors its headings get).
    #[test]
    fn every_code_links_to_its_rule() {
        let reference = include_str!("../../../docs/rules.md");
        for code in orbit_engine::Code::ALL {
            let d = super::code_description(*code).expect("a valid URL");
            let href = d.href.as_str();
            assert!(href.starts_with("https://github.com/"), "{href}");
            let anchor = code.as_str().to_ascii_lowercase();
            assert!(
                href.ends_with(&format!("/docs/rules.md#{anchor}")),
                "{href}"
            );
            assert!(
                reference.contains(&format!("\n## {}\n", code.as_str())),
                "docs/rules.md has no heading for {code}"
            );
        }
    }
}
