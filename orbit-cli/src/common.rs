//! What every verb shares: failures and exit codes, finding and loading the manifest, colour.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use orbit_engine::render::{self, Style};

use crate::report::ReportFormat;
use orbit_engine::Manifest;

/// Writes to stdout like `print!`, returning a [`Fail`] instead of panicking; a closed pipe
/// (`orbit names | head`) silently ends the output.
macro_rules! out {
    ($($t:tt)*) => {
        $crate::common::write_out(format_args!($($t)*))?
    };
}

/// Like [`out!`] with a newline.
macro_rules! outln {
    ($($t:tt)*) => {
        $crate::common::write_out(format_args!("{}\n", format_args!($($t)*)))?
    };
}

/// Writes to stderr like `eprint!`, without panicking when stderr cannot be written
/// (`2>/dev/full`, a closed pipe): there is nowhere left to report that, so it is dropped.
macro_rules! err {
    ($($t:tt)*) => {
        $crate::common::write_err(format_args!($($t)*))
    };
}

/// Like [`err!`] with a newline.
macro_rules! errln {
    ($($t:tt)*) => {
        $crate::common::write_err(format_args!("{}\n", format_args!($($t)*)))
    };
}

/// Writes formatted text to stderr; see [`err!`].
pub fn write_err(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// Writes formatted text to stdout; see [`out!`].
pub fn write_out(args: std::fmt::Arguments<'_>) -> Outcome {
    use std::io::Write;
    match std::io::stdout().lock().write_fmt(args) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Fail::usage(
            format!("cannot write the output: {e}"),
            "check where stdout goes",
        )),
    }
}

/// Exit code: the input breaks rules, or the verb found problems.
pub const FINDINGS: u8 = 1;
/// Exit code: usage error, or a file that cannot be read.
pub const USAGE: u8 = 2;

/// Why a verb stops: an exit code and, unless already reported, what to print on stderr.
#[derive(Debug)]
pub struct Fail {
    /// 1 findings, 2 usage or I/O.
    pub code: u8,
    /// `error: …` line; `None` when the verb printed its own report.
    pub message: Option<String>,
    /// `help: …` line.
    pub help: Option<String>,
}

impl Fail {
    /// A usage or I/O error (exit 2).
    pub fn usage(message: impl Into<String>, help: impl Into<String>) -> Self {
        Fail {
            code: USAGE,
            message: Some(message.into()),
            help: Some(help.into()),
        }
    }

    /// A finding (exit 1) with a message.
    pub fn finding(message: impl Into<String>, help: Option<String>) -> Self {
        Fail {
            code: FINDINGS,
            message: Some(message.into()),
            help,
        }
    }

    /// Findings already reported on stdout (exit 1).
    pub fn reported() -> Self {
        Fail {
            code: FINDINGS,
            message: None,
            help: None,
        }
    }
}

/// The result of a verb.
pub type Outcome = Result<(), Fail>;

/// Whether to colour what goes to stdout: a terminal, and `NO_COLOR` unset or empty.
pub fn stdout_style() -> Style {
    style_for(std::io::stdout().is_terminal())
}

/// Whether to colour what goes to stderr.
pub fn stderr_style() -> Style {
    style_for(std::io::stderr().is_terminal())
}

fn style_for(terminal: bool) -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if terminal && !no_color {
        Style::Color
    } else {
        Style::Plain
    }
}

/// A manifest's path, as given or as found, with the text shown in outputs.
#[derive(Debug, Clone)]
pub struct ManifestPath {
    /// Where to read it.
    pub path: PathBuf,
    /// How to name it in outputs: as given, or relative to the current directory.
    pub shown: String,
}

/// The manifest named by `--manifest` (or `orbit check PATH`), else `orbit.toml` found from the
/// current directory upward.
pub fn locate(given: Option<&Path>) -> Result<ManifestPath, Fail> {
    if let Some(p) = given {
        // A directory stands for the orbit.toml in it.
        let p = if p.is_dir() {
            p.join("orbit.toml")
        } else {
            p.to_path_buf()
        };
        return Ok(ManifestPath {
            shown: p.display().to_string(),
            path: p,
        });
    }
    let cwd = std::env::current_dir().map_err(|e| {
        Fail::usage(
            format!("cannot read the current directory: {e}"),
            "name the manifest with `--manifest PATH`",
        )
    })?;
    match orbit_engine::find_manifest(&cwd) {
        Some(path) => {
            let up = cwd.ancestors().position(|a| path.parent() == Some(a)).unwrap_or(0);
            let shown = if up == 0 {
                "orbit.toml".to_string()
            } else {
                format!("{}orbit.toml", "../".repeat(up))
            };
            Ok(ManifestPath { path, shown })
        }
        None => Err(Fail::usage(
            format!(
                "no orbit.toml in {} or any directory above it",
                cwd.display()
            ),
            "run orbit inside a project that has an orbit.toml, or name the manifest with `--manifest PATH`",
        )),
    }
}

/// A valid manifest, read and checked.
pub struct Loaded {
    /// Where it is.
    pub at: ManifestPath,
    /// Its text.
    pub source: String,
    /// The validated model.
    pub manifest: Manifest,
}

/// Reads and checks the manifest; a broken one stops the verb, its diagnostics on stderr.
pub fn load(given: Option<&Path>) -> Result<Loaded, Fail> {
    let at = locate(given)?;
    load_at(at)
}

/// [`load`] for a verb whose output is `format`: with `--format json` (or `github`, `sarif`),
/// a manifest that is missing, unreadable or broken is reported on stdout as `orbit check`
/// reports it in that format (`{"manifest", "ok": false, "diagnostics"}` for JSON), with the
/// same exit code.
pub fn load_as(given: Option<&Path>, format: impl Into<ReportFormat>) -> Result<Loaded, Fail> {
    let format = format.into();
    match locate(given) {
        Ok(at) => load_at_as(at, format),
        Err(fail) => {
            match format {
                ReportFormat::Human => {}
                ReportFormat::Json => crate::check::print_not_found(&fail)?,
                ReportFormat::Github | ReportFormat::Sarif => {
                    crate::check::ci_not_found(format, &fail)?
                }
            }
            Err(fail)
        }
    }
}

/// [`load_at`] for a verb whose output is `format` (see [`load_as`]).
pub fn load_at_as(at: ManifestPath, format: impl Into<ReportFormat>) -> Result<Loaded, Fail> {
    let format = format.into();
    load_reporting(at, |at, diags, source| match format {
        ReportFormat::Human => {
            report_human(at, diags, source);
            Ok(())
        }
        ReportFormat::Github | ReportFormat::Sarif => crate::check::ci(
            format,
            &crate::report::diagnostics(diags, &at.shown),
            &format!(
                "{}: failed — {} error{}",
                at.shown,
                diags.len(),
                plural(diags.len())
            ),
        ),
        ReportFormat::Json => crate::check::print_report(&at.shown, diags),
    })
}

/// Reads and checks the manifest; an unreadable or broken one is reported by `report` (given
/// the diagnostics and, for a manifest that was read, its text) and stops the verb.
fn load_reporting(
    at: ManifestPath,
    report: impl Fn(&ManifestPath, &[orbit_engine::Diagnostic], Option<&str>) -> Outcome,
) -> Result<Loaded, Fail> {
    match orbit_engine::check_file(&at.path) {
        Err(d) => {
            report(&at, std::slice::from_ref(&d), None)?;
            Err(Fail {
                code: USAGE,
                message: None,
                help: None,
            })
        }
        Ok((source, checked)) => {
            if checked.diagnostics.is_empty() {
                return Ok(Loaded {
                    at,
                    source,
                    manifest: checked.manifest,
                });
            }
            report(&at, &checked.diagnostics, Some(&source))?;
            Err(broken(&at, checked.diagnostics.len()))
        }
    }
}

/// Human diagnostics on stderr: an unreadable manifest's one ORB004 (no text), or every
/// violation of one that was read, rendered with its source lines.
fn report_human(at: &ManifestPath, diags: &[orbit_engine::Diagnostic], source: Option<&str>) {
    match source {
        None => {
            for d in diags {
                err!("{}", unreadable(d, &at.shown));
            }
        }
        Some(src) => err!("{}", render::all(diags, src, &at.shown, stderr_style())),
    }
}

/// The failure of a verb whose manifest breaks `n` rules.
fn broken(at: &ManifestPath, n: usize) -> Fail {
    let (them, lists) = if n == 1 {
        ("it", "shows it")
    } else {
        ("them", "lists them")
    };
    Fail::finding(
        format!(
            "{} breaks {n} rule{}; fix {them} first",
            at.shown,
            plural(n)
        ),
        Some(format!("`orbit check {}` {lists}", at.shown)),
    )
}

/// Reads and checks the manifest at a known place; a broken one is reported on stderr.
pub fn load_at(at: ManifestPath) -> Result<Loaded, Fail> {
    load_reporting(at, |at, diags, source| {
        report_human(at, diags, source);
        Ok(())
    })
}

/// `s` when `n` is not 1.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Prints a JSON value (pretty) on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Outcome {
    match serde_json::to_string_pretty(value) {
        Ok(s) => {
            outln!("{s}");
            Ok(())
        }
        Err(e) => Err(Fail::usage(
            format!("cannot write JSON: {e}"),
            "report this as a bug",
        )),
    }
}

/// `s` safe to print on a terminal: control characters (but for line breaks, which the
/// callers lay out) and the bidirectional controls that reorder what is shown are written as
/// `\u{1b}` escapes, so a manifest cannot move the cursor, recolour or hide text.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let escape = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escape(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// "`a`, `b`, `c`".
pub fn ticked(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An ORB004 diagnostic (no source to show): `error[ORB004]: …`, `--> path`, `= help: …`.
pub fn unreadable(d: &orbit_engine::Diagnostic, shown: &str) -> String {
    // A position only when there is one (an invalid byte), not for a missing file.
    let at = if d.span.start > 0 {
        format!(":{}:{}", d.line, d.column)
    } else {
        String::new()
    };
    let mut out = format!("error[{}]: {}\n  --> {shown}{at}\n", d.code, d.message);
    if let Some(h) = &d.help {
        out.push_str(&format!("   = help: {h}\n"));
    }
    out.push('\n');
    out
}
