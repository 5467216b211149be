//! `orbit diff BASE HEAD` and `orbit diff --against REV [HEAD]`: what a change to the manifest
//! does to what already exists (the README's "`orbit diff`"). The comparison is
//! [`orbit_engine::diff`]; this module reads the two sides (BASE from git with the user's `git`)
//! and renders.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Args;
use orbit_engine::diff::{self, Change, Side};
use orbit_engine::render::{self, Labelled};
use orbit_engine::{Checked, Code, Diagnostic};
use serde::Serialize;

use crate::common::{self, Fail, Outcome};
use crate::report::{self, ReportFormat as Format};

/// Arguments of `orbit diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// BASE and HEAD manifests; with --against, HEAD only [default: the manifest found as for
    /// `check`]
    #[arg(value_name = "MANIFEST")]
    paths: Vec<PathBuf>,
    /// Compare HEAD with its file as committed at git revision REV (`main`, `origin/main`,
    /// `HEAD~1`, a tag, a commit)
    #[arg(long, value_name = "REV")]
    against: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// One manifest read: its label in outputs, its path for CI annotations, and its text.
struct Text {
    label: String,
    path: String,
    source: String,
}

/// A manifest read and checked.
struct Read {
    label: String,
    path: String,
    source: String,
    checked: Checked,
}

#[derive(Serialize)]
struct Report<'a> {
    base: &'a str,
    head: &'a str,
    ok: bool,
    changes: Vec<JsonChange<'a>>,
    diagnostics: Vec<crate::check::JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    code: &'static str,
    severity: &'static str,
    id: &'a str,
    message: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    base_line: Option<usize>,
    base_column: Option<usize>,
    help: Option<&'a str>,
    waived: bool,
}

/// Runs `orbit diff`.
pub fn run(a: &DiffArgs, manifest: Option<&Path>) -> Outcome {
    let (base, head) = match &a.against {
        Some(rev) => {
            if a.paths.len() > 1 {
                return Err(Fail::usage(
                    format!(
                        "with `--against {rev}`, name only HEAD's manifest ({} given)",
                        a.paths.len()
                    ),
                    "write `orbit diff --against REV [HEAD]`, or compare two files with `orbit diff BASE HEAD`",
                ));
            }
            let at = common::locate(a.paths.first().map(PathBuf::as_path).or(manifest))?;
            let head = read_file(&at.path, &at.shown)?;
            let base = read_git(rev, &at.path)?;
            (base, head)
        }
        None => {
            if a.paths.len() != 2 {
                return Err(Fail::usage(
                    format!(
                        "`orbit diff` compares two manifests: {} given",
                        a.paths.len()
                    ),
                    "write `orbit diff BASE HEAD`, or `orbit diff --against REV [HEAD]` to compare with a git revision",
                ));
            }
            let base = common::locate(Some(&a.paths[0]))?;
            let head = common::locate(Some(&a.paths[1]))?;
            (
                read_file(&base.path, &base.shown)?,
                read_file(&head.path, &head.shown)?,
            )
        }
    };
    let (base, head) = {
        let (b, h) = diff::check_both(&base.source, &head.source);
        let read = |t: Text, checked| Read {
            label: t.label,
            path: t.path,
            source: t.source,
            checked,
        };
        (read(base, b), read(head, h))
    };
    // A side that is not TOML cannot be compared at all.
    for side in [&base, &head] {
        let broken: Vec<Diagnostic> = side
            .checked
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::Orb001)
            .cloned()
            .collect();
        if !broken.is_empty() {
            err!(
                "{}",
                orbit_engine::render::all(
                    &broken,
                    &side.source,
                    &side.label,
                    common::stderr_style()
                )
            );
            return Err(Fail::usage(
                format!("{} is not valid TOML: nothing compared", side.label),
                "fix the TOML (shown above) and run again",
            ));
        }
    }
    let result = diff::diff(
        Side::new(&base.source, &base.checked.manifest),
        Side::new(&head.source, &head.checked.manifest),
    );
    let head_ok = head.checked.diagnostics.is_empty();
    let ok = result.ok() && head_ok;
    let errors = result.changes.iter().filter(|c| c.fails()).count();
    let warnings = result
        .changes
        .iter()
        .filter(|c| c.severity() == orbit_engine::Severity::Warning)
        .count();
    let waived = result.changes.iter().filter(|c| c.waived.is_some()).count();
    let violations = head.checked.diagnostics.len();
    let summary = summary(&base, &head, ok, [errors, warnings, waived, violations]);
    match a.format {
        Format::Json => common::print_json(&Report {
            base: &base.label,
            head: &head.label,
            ok,
            changes: result.changes.iter().map(json_change).collect(),
            diagnostics: head
                .checked
                .diagnostics
                .iter()
                .map(crate::check::json)
                .collect(),
        })?,
        Format::Human => {
            let style = common::stdout_style();
            if !head_ok {
                out!(
                    "{}",
                    render::all(&head.checked.diagnostics, &head.source, &head.label, style)
                );
            }
            out!(
                "{}",
                render::changes(
                    &result.changes,
                    Labelled {
                        source: &base.source,
                        label: &base.label
                    },
                    Labelled {
                        source: &head.source,
                        label: &head.label
                    },
                    style
                )
            );
            outln!("{summary}");
            outln!("added: {}", result.added);
        }
        Format::Github | Format::Sarif => {
            let mut items = report::diagnostics(&head.checked.diagnostics, &head.path);
            items.extend(result.changes.iter().map(|c| item(c, &base, &head)));
            crate::check::ci(
                a.format,
                &items,
                &format!("{summary}; added: {}", result.added),
            )?;
        }
    }
    if ok {
        Ok(())
    } else {
        Err(Fail::reported())
    }
}

/// `BASE → HEAD: failed — 2 breaking changes, 1 warning, 1 waived`, from the counts of
/// unwaived errors, warnings, waived changes and HEAD's rule violations.
fn summary(base: &Read, head: &Read, ok: bool, counts: [usize; 4]) -> String {
    let [errors, warnings, waived, violations] = counts;
    let mut parts = Vec::new();
    if violations > 0 {
        parts.push(format!(
            "{violations} rule violation{} in {}",
            common::plural(violations),
            head.label
        ));
    }
    parts.push(format!(
        "{errors} breaking change{}",
        common::plural(errors)
    ));
    parts.push(format!("{warnings} warning{}", common::plural(warnings)));
    if waived > 0 {
        parts.push(format!("{waived} waived"));
    }
    format!(
        "{} → {}: {} — {}",
        base.label,
        head.label,
        if ok { "ok" } else { "failed" },
        parts.join(", ")
    )
}

fn json_change(c: &Change) -> JsonChange<'_> {
    JsonChange {
        code: c.code.as_str(),
        severity: c.severity().as_str(),
        id: &c.id,
        message: &c.message,
        line: c.head.as_ref().map(|p| p.line),
        column: c.head.as_ref().map(|p| p.column),
        base_line: c.base.as_ref().map(|p| p.line),
        base_column: c.base.as_ref().map(|p| p.column),
        help: c.help.as_deref(),
        waived: c.waived.is_some(),
    }
}

/// A change as a CI finding, on HEAD's file; what is gone names its BASE position in the text.
fn item(c: &Change, base: &Read, head: &Read) -> report::Item {
    let mut message = c.message.clone();
    if let Some(p) = &c.base {
        message.push_str(&format!(" (was at {}:{}:{})", base.label, p.line, p.column));
    }
    if let Some(r) = &c.waived {
        message.push_str(&format!(" [waived: {r}]"));
    }
    report::Item {
        rule: c.code.as_str().to_string(),
        title: c.code.title().to_string(),
        // A waived error is shown, but as a warning: it does not fail the diff.
        severity: if c.waived.is_some() {
            orbit_engine::Severity::Warning
        } else {
            c.severity()
        },
        message,
        help: c.help.clone(),
        path: Some(head.path.clone()),
        position: c.head.as_ref().map(|p| (p.line, p.column)),
    }
}

/// Reads a manifest file; an unreadable one stops the diff (exit 2).
fn read_file(path: &Path, shown: &str) -> Result<Text, Fail> {
    match orbit_engine::read_file(path) {
        Ok(source) => Ok(Text {
            label: shown.to_string(),
            path: shown.to_string(),
            source,
        }),
        Err(d) => {
            err!("{}", common::unreadable(&d, shown));
            Err(Fail {
                code: common::USAGE,
                message: None,
                help: None,
            })
        }
    }
}

/// Runs `git` in `dir`; its stdout, or what it said on stderr.
fn git(dir: &Path, args: &[&str]) -> Result<Result<Vec<u8>, String>, Fail> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| {
            Fail::usage(
                format!("cannot run `git`: {e}"),
                "install git and make sure it is on PATH, or compare two files: `orbit diff BASE HEAD`",
            )
        })?;
    if out.status.success() {
        Ok(Ok(out.stdout))
    } else {
        Ok(Err(String::from_utf8_lossy(&out.stderr).trim().to_string()))
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim().to_string()
}

/// The manifest at `path` as committed at `rev`, with its check; `None` when git cannot say
/// (no git, not a repository, not committed there). The language server's ORB801 base.
pub(crate) fn committed(rev: &str, path: &Path) -> Option<(String, Checked)> {
    read_git(rev, path).ok().map(|t| {
        let checked = orbit_engine::check(&t.source);
        (t.source, checked)
    })
}

/// BASE: HEAD's file as committed at `rev`, in the git repository that holds HEAD.
fn read_git(rev: &str, head: &Path) -> Result<Text, Fail> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(Fail::usage(
            format!("`{rev}` is not a git revision"),
            "name a branch, tag or commit: `--against main`, `--against origin/main`, `--against HEAD~1`",
        ));
    }
    let head = std::fs::canonicalize(head).map_err(|e| {
        Fail::usage(
            format!("cannot resolve `{}`: {e}", head.display()),
            "name HEAD's manifest with a path that exists",
        )
    })?;
    let dir = head.parent().unwrap_or(Path::new("/")).to_path_buf();
    let root = match git(&dir, &["rev-parse", "--show-toplevel"])? {
        Ok(out) => PathBuf::from(text(out)),
        Err(_) => {
            return Err(Fail::usage(
                format!(
                    "`{}` is not in a git repository: `--against {rev}` has nothing to read from",
                    head.display()
                ),
                "run inside the repository that holds the manifest, or compare two files: `orbit diff BASE HEAD`",
            ))
        }
    };
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let rel = head
        .strip_prefix(&root)
        .map_err(|_| {
            Fail::usage(
                format!(
                    "`{}` is not inside the git repository at `{}`",
                    head.display(),
                    root.display()
                ),
                "name a manifest inside the repository",
            )
        })?
        .to_string_lossy()
        .replace('\\', "/");
    let spec = format!("{rev}^{{commit}}");
    let commit = match git(
        &root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ],
    )? {
        Ok(out) => text(out),
        Err(_) => return Err(unknown_revision(rev, &root)),
    };
    let object = format!("{commit}:{rel}");
    if git(&root, &["cat-file", "-e", &object])?.is_err() {
        return Err(Fail::usage(
            format!("`{rel}` does not exist at `{rev}` (commit {})", short(&commit)),
            format!(
                "the manifest was added or moved after `{rev}`: compare with a revision that has it (`git log --oneline -- {rel}`), or compare two files: `orbit diff BASE HEAD`"
            ),
        ));
    }
    let bytes = match git(&root, &["cat-file", "blob", &object])? {
        Ok(b) => b,
        Err(e) => {
            return Err(Fail::usage(
                format!("git cannot read `{object}`: {e}"),
                "check the repository with `git fsck`",
            ))
        }
    };
    let label = format!("{rev}:{rel}");
    let source = String::from_utf8(bytes).map_err(|e| {
        Fail::usage(
            format!(
                "{label} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            "compare with a revision whose manifest is UTF-8",
        )
    })?;
    Ok(Text {
        path: label.clone(),
        label,
        source,
    })
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

/// Why `rev` did not resolve, and what to run: a shallow clone lacks history; a remote branch
/// may not have been fetched.
fn unknown_revision(rev: &str, root: &Path) -> Fail {
    let shallow = matches!(
        git(root, &["rev-parse", "--is-shallow-repository"]),
        Ok(Ok(out)) if out.trim_ascii() == b"true"
    );
    let (remote, branch) = match rev.split_once('/') {
        Some((r, b)) if !b.is_empty() => (r, b),
        _ => ("origin", rev.split(['~', '^']).next().unwrap_or(rev)),
    };
    let fetch = format!("git fetch {remote} {branch}");
    if shallow {
        Fail::usage(
            format!("`{rev}` is not in this repository: it is a shallow clone, which lacks that history"),
            format!(
                "fetch it (`{fetch}`, or `git fetch --unshallow`); in GitHub Actions, check out with `fetch-depth: 0`"
            ),
        )
    } else {
        Fail::usage(
            format!("unknown revision `{rev}`: git cannot resolve it in {}", root.display()),
            format!(
                "check its name (`git branch -a`, `git tag`); a remote branch may need `{fetch}` first"
            ),
        )
    }
}
