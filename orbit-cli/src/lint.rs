//! `orbit lint PATH…`: scans files for MIDs, RIDs, PIDs, physical names and flow repository
//! names that the manifest does not declare or that break the conventions.
//!
//! Walking honours `.gitignore`, `.ignore` and hidden files as ripgrep does (the `ignore`
//! crate), in parallel, plus `.orbitignore` (same syntax) for files of intentional examples;
//! scanning is [`orbit_engine::lint`].

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use clap::Args;
use ignore::{WalkBuilder, WalkState};
use orbit_engine::lint::{self, Finding, Linter};
use serde::Serialize;

use crate::common::{self, Fail, Outcome};
use crate::report::{self, ReportFormat as Format};

/// Arguments of `orbit lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files and directories to scan [default: the current directory]
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also scan hidden files and directories
    #[arg(long)]
    hidden: bool,
    /// Do not honour .gitignore, .ignore, .orbitignore and git exclude files
    #[arg(long)]
    no_ignore: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    manifest: &'a str,
    files_scanned: usize,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    kind: &'static str,
    problem: &'static str,
    text: &'a str,
    message: &'a str,
    suggestions: &'a [String],
}

/// Runs `orbit lint`.
pub fn run(a: &LintArgs, manifest: Option<&Path>) -> Outcome {
    let l = common::load_as(manifest, a.format)?;
    let linter = Linter::new(&l.manifest);
    let roots: Vec<PathBuf> = if a.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        a.paths.clone()
    };
    // Every path named must be a readable file or directory: anything else (a FIFO, a device
    // such as /dev/zero, a socket) is refused before the walk, which would skip it silently.
    let mut unique: Vec<PathBuf> = Vec::with_capacity(roots.len());
    let mut seen_roots = std::collections::HashSet::new();
    for r in &roots {
        let meta = std::fs::metadata(r).map_err(|e| unreadable_root(r, &e))?;
        if !meta.is_dir() && !meta.is_file() {
            return Err(Fail::usage(
                format!(
                    "`{}` is {}: lint reads regular files and directories",
                    r.display(),
                    special_kind(&meta)
                ),
                "name files or directories (to lint what a program writes, save it to a file first)",
            ));
        }
        // A path named twice (or two names of one file) is scanned once.
        if seen_roots.insert(std::fs::canonicalize(r).unwrap_or_else(|_| r.clone())) {
            unique.push(r.clone());
        }
    }
    let roots = unique;
    let skip = std::fs::canonicalize(&l.at.path).ok();
    let mut builder = WalkBuilder::new(&roots[0]);
    for r in &roots[1..] {
        builder.add(r);
    }
    builder
        .hidden(!a.hidden)
        .ignore(!a.no_ignore)
        .git_ignore(!a.no_ignore)
        .git_global(!a.no_ignore)
        .git_exclude(!a.no_ignore)
        .parents(!a.no_ignore)
        .require_git(false);
    if !a.no_ignore {
        // Files of intentional examples (rule fixtures, docs about typos) can be listed here.
        builder.add_custom_ignore_filename(".orbitignore");
    }
    let results: Mutex<Vec<(String, Vec<Finding>)>> = Mutex::new(Vec::new());
    let scanned = std::sync::atomic::AtomicUsize::new(0);
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let seen: Option<Mutex<std::collections::HashSet<PathBuf>>> =
        (roots.len() > 1).then(|| Mutex::new(std::collections::HashSet::new()));
    builder.build_parallel().run(|| {
        let linter = &linter;
        let results = &results;
        let scanned = &scanned;
        let errors = &errors;
        let skip = skip.as_ref();
        let seen = seen.as_ref();
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    if let Ok(mut v) = errors.lock() {
                        v.push(e.to_string());
                    }
                    return WalkState::Continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let path = entry.path();
            // Several roots may overlap (`lint . src/main.rs`): each file is scanned once.
            if let Some(seen) = seen {
                let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                if !seen.lock().is_ok_and(|mut s| s.insert(key)) {
                    return WalkState::Continue;
                }
            }
            // Only a file with the manifest's name can be the manifest: compare names first.
            if skip.is_some_and(|s| s.file_name() == path.file_name())
                && std::fs::canonicalize(path).ok().as_ref() == skip
            {
                return WalkState::Continue;
            }
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    if let Ok(mut v) = errors.lock() {
                        v.push(format!("{}: {e}", path.display()));
                    }
                    return WalkState::Continue;
                }
            };
            if lint::looks_binary(&bytes) {
                return WalkState::Continue;
            }
            scanned.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut found = linter.scan(&bytes);
            if !found.is_empty() {
                lint::locate(&bytes, &mut found);
                let shown = path
                    .strip_prefix("./")
                    .unwrap_or(path)
                    .display()
                    .to_string();
                if let Ok(mut v) = results.lock() {
                    v.push((shown, found));
                }
            }
            WalkState::Continue
        })
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let errors = errors.into_inner().unwrap_or_default();
    for e in &errors {
        errln!("error: cannot read {e}");
    }
    let files = scanned.into_inner();
    let total: usize = results.iter().map(|(_, f)| f.len()).sum();
    match a.format {
        Format::Json => {
            let findings = results
                .iter()
                .flat_map(|(p, fs)| {
                    fs.iter().map(move |f| JsonFinding {
                        path: p,
                        line: f.line,
                        column: f.column,
                        kind: f.kind.describe(),
                        problem: f.problem.as_str(),
                        text: &f.text,
                        message: &f.message,
                        suggestions: &f.suggestions,
                    })
                })
                .collect();
            common::print_json(&Report {
                manifest: &l.at.shown,
                files_scanned: files,
                findings,
            })?;
        }
        Format::Github | Format::Sarif => {
            let items: Vec<report::Item> = results
                .iter()
                .flat_map(|(p, fs)| {
                    fs.iter().map(move |f| report::Item {
                        rule: format!("lint/{}", f.problem.as_str()),
                        title: match f.problem {
                            lint::Problem::Undeclared => {
                                "an id or name the manifest does not declare"
                            }
                            lint::Problem::Malformed => "an id or name that breaks the conventions",
                            lint::Problem::Retired => "a retired MID or RID",
                        }
                        .to_string(),
                        severity: orbit_engine::Severity::Error,
                        message: if f.suggestions.is_empty() {
                            f.message.clone()
                        } else {
                            format!(
                                "{}; did you mean {}?",
                                f.message,
                                common::ticked(&f.suggestions)
                            )
                        },
                        help: None,
                        path: Some(p.clone()),
                        position: Some((f.line, f.column)),
                    })
                })
                .collect();
            let nfiles = results.len();
            let summary = format!(
                "{total} finding{} in {nfiles} file{} ({files} file{} scanned against {})",
                common::plural(total),
                common::plural(nfiles),
                common::plural(files),
                l.at.shown
            );
            crate::check::ci(a.format, &items, &summary)?;
        }
        Format::Human => {
            for (p, fs) in &results {
                for f in fs {
                    let mut line = format!("{p}:{}:{}: {}", f.line, f.column, f.message);
                    if !f.suggestions.is_empty() {
                        line.push_str(&format!(
                            "; did you mean {}?",
                            common::ticked(&f.suggestions)
                        ));
                    }
                    outln!("{line}");
                }
            }
            let nfiles = results.len();
            errln!(
                "{total} finding{} in {nfiles} file{} ({files} file{} scanned against {})",
                common::plural(total),
                common::plural(nfiles),
                common::plural(files),
                l.at.shown
            );
        }
    }
    if !errors.is_empty() {
        // What could not be read was not checked: that is not a clean result.
        return Err(Fail::usage(
            format!(
                "{} path{} could not be read (listed above), so {} not checked",
                errors.len(),
                common::plural(errors.len()),
                if errors.len() == 1 { "it was" } else { "they were" }
            ),
            "fix the permissions of what is listed, or leave it out (`.orbitignore`, or name other paths)",
        ));
    }
    if total > 0 {
        Err(Fail::reported())
    } else {
        Ok(())
    }
}

/// The usage error for a named path that cannot be read.
fn unreadable_root(r: &Path, e: &std::io::Error) -> Fail {
    match e.kind() {
        std::io::ErrorKind::NotFound => Fail::usage(
            format!("`{}`: no such file or directory", r.display()),
            "name files or directories that exist",
        ),
        std::io::ErrorKind::PermissionDenied => Fail::usage(
            format!("cannot read `{}`: permission denied", r.display()),
            format!(
                "you may not read it, or a directory on its path (`ls -ld {}`); name paths you can read",
                r.display()
            ),
        ),
        _ => Fail::usage(
            format!("cannot read `{}`: {e}", r.display()),
            "name files or directories that can be read",
        ),
    }
}

/// What a path that is neither a file nor a directory is, for a message.
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    orbit_engine::special_file_kind(meta).unwrap_or("not a regular file")
}
