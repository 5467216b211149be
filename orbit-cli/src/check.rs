//! `orbit check [PATH]`: validates a manifest (the README's "Diagnostics").

use std::path::Path;

use orbit_engine::render;
use serde::Serialize;

use crate::common::{self, Fail, ManifestPath, Outcome};
use crate::report::{self, ReportFormat as Format};

#[derive(Serialize)]
struct Report<'a> {
    manifest: &'a str,
    ok: bool,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// One diagnostic in the JSON of `check` (and of `diff`'s HEAD violations).
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    line: usize,
    column: usize,
    help: Option<&'a str>,
}

/// A diagnostic as `check --format json` writes it.
pub fn json(d: &orbit_engine::Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        code: d.code.as_str(),
        severity: d.code.severity().as_str(),
        message: &d.message,
        line: d.line,
        column: d.column,
        help: d.help.as_deref(),
    }
}

/// Prints the JSON report of a manifest that breaks rules or cannot be read.
pub fn print_report(shown: &str, diagnostics: &[orbit_engine::Diagnostic]) -> Outcome {
    common::print_json(&Report {
        manifest: shown,
        ok: false,
        diagnostics: diagnostics.iter().map(json).collect(),
    })
}

/// Prints the JSON report of a manifest that was not found: one ORB004 diagnostic.
pub fn print_not_found(fail: &Fail) -> Outcome {
    let message = fail.message.clone().unwrap_or_default();
    common::print_json(&Report {
        manifest: "orbit.toml",
        ok: false,
        diagnostics: vec![JsonDiagnostic {
            code: "ORB004",
            severity: "error",
            message: &message,
            line: 1,
            column: 1,
            help: fail.help.as_deref(),
        }],
    })
}

/// Runs `orbit check`.
pub fn run(path: Option<&Path>, manifest: Option<&Path>, format: Format) -> Outcome {
    if let (Some(p), Some(m)) = (path, manifest) {
        if p != m {
            return Err(Fail::usage(
                format!(
                    "two manifests named: `{}` and `--manifest {}`",
                    p.display(),
                    m.display()
                ),
                "name one of them",
            ));
        }
    }
    let at: ManifestPath = match common::locate(path.or(manifest)) {
        Ok(at) => at,
        Err(fail) => {
            match format {
                Format::Json => print_not_found(&fail)?,
                Format::Github | Format::Sarif => ci_not_found(format, &fail)?,
                Format::Human => {}
            }
            return Err(fail);
        }
    };
    match orbit_engine::check_file(&at.path) {
        Err(d) => {
            match format {
                Format::Json => print_report(&at.shown, std::slice::from_ref(&d))?,
                Format::Human => out!("{}", common::unreadable(&d, &at.shown)),
                Format::Github | Format::Sarif => {
                    let mut items = report::diagnostics(std::slice::from_ref(&d), &at.shown);
                    if d.span.start == 0 {
                        items[0].position = None;
                    }
                    ci(format, &items, &format!("{}: unreadable", at.shown))?;
                }
            }
            Err(Fail {
                code: common::USAGE,
                message: None,
                help: None,
            })
        }
        Ok((source, checked)) => {
            let ok = checked.diagnostics.is_empty();
            match format {
                Format::Json => common::print_json(&Report {
                    manifest: &at.shown,
                    ok,
                    diagnostics: checked.diagnostics.iter().map(json).collect(),
                })?,
                Format::Github | Format::Sarif => {
                    let n = checked.diagnostics.len();
                    let summary = if ok {
                        format!("{}: ok — {}", at.shown, checked.manifest.summary())
                    } else {
                        format!("{}: failed — {n} error{}", at.shown, common::plural(n))
                    };
                    ci(
                        format,
                        &report::diagnostics(&checked.diagnostics, &at.shown),
                        &summary,
                    )?;
                }
                Format::Human if ok => {
                    outln!("{}: ok — {}", at.shown, checked.manifest.summary());
                }
                Format::Human => {
                    out!(
                        "{}",
                        render::all(
                            &checked.diagnostics,
                            &source,
                            &at.shown,
                            common::stdout_style()
                        )
                    );
                    let n = checked.diagnostics.len();
                    outln!("{}: failed — {n} error{}", at.shown, common::plural(n));
                }
            }
            if ok {
                Ok(())
            } else {
                Err(Fail::reported())
            }
        }
    }
}

/// Reports a manifest that could not be found as one ORB004 finding in a CI format.
pub fn ci_not_found(format: Format, fail: &Fail) -> Outcome {
    let item = report::Item {
        rule: "ORB004".into(),
        title: orbit_engine::Code::Orb004.title().into(),
        severity: orbit_engine::Severity::Error,
        message: fail.message.clone().unwrap_or_default(),
        help: fail.help.clone(),
        path: None,
        position: None,
    };
    ci(format, &[item], "orbit.toml: not found")
}

/// Prints findings as GitHub workflow commands (with `summary` last) or as one SARIF log.
pub fn ci(format: Format, items: &[report::Item], summary: &str) -> Outcome {
    match format {
        Format::Sarif => match report::sarif(items) {
            Ok(s) => {
                outln!("{s}");
                Ok(())
            }
            Err(e) => Err(Fail::usage(
                format!("cannot write SARIF: {e}"),
                "report this as a bug",
            )),
        },
        _ => {
            out!("{}", report::github(items, summary));
            Ok(())
        }
    }
}
