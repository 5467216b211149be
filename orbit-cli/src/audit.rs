//! `orbit audit --env ENV`: the physical names the manifest derives for one environment against
//! the DynamoDB tables, S3 buckets and MySQL databases that exist (README, "`orbit audit`").
//!
//! Listing is the job of the `sources` module (the `audit` feature: the AWS SDK and a MySQL
//! client); judging what was listed is [`judge`], plain code over names, which the `rules`
//! module holds beside the documentation of the codes it reports (ORB901–ORB904).

use std::path::Path;

use clap::Args;
use orbit_engine::id::ResourceKind;
use orbit_engine::render::Style;
use orbit_engine::{suggest, Code, LineIndex, Severity};
use serde::Serialize;

use crate::common::{self, Fail, Outcome};
use crate::report::{self, ReportFormat as Format};

pub mod rules;

pub use rules::judge;
#[cfg(feature = "audit")]
mod sources;

/// `orbit audit` arguments.
#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// The environment whose names to audit, e.g. k8d
    #[arg(long, value_name = "ENV")]
    pub env: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The MySQL server of ENV, mysql://USER:PASSWORD@HOST:PORT [default: $ORBIT_MYSQL_URL]
    #[arg(long, value_name = "URL")]
    pub mysql: Option<String>,
}

/// What one source listed: every name of one kind, or `None` when the source is not configured.
#[derive(Debug, Clone)]
pub struct Listing {
    /// DynamoDB, S3 or MySQL.
    pub kind: ResourceKind,
    /// Every name that exists, or `None`: not audited.
    pub names: Option<Vec<String>>,
    /// Why the kind was not audited.
    pub why_not: Option<String>,
}

/// One source in the report.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// `dynamodb`, `s3`, `mysql`.
    pub kind: &'static str,
    /// How many names exist (all environments).
    pub listed: usize,
    /// Whether the kind was listed at all.
    pub audited: bool,
    /// How many of them are for ENV (judged).
    #[serde(skip)]
    pub judged: usize,
    /// Why the kind was not audited.
    #[serde(skip)]
    pub why_not: Option<String>,
}

/// One finding (ORB901 … ORB904).
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `ORB901`.
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// `dynamodb`, `s3`, `mysql`.
    pub kind: &'static str,
    /// The physical name.
    pub name: String,
    /// The RID it belongs to (declared, or retired), if any.
    pub id: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
    /// The declaration in the manifest (byte offset), for ORB901.
    #[serde(skip)]
    pub span_start: Option<usize>,
    /// The code, for the CI formats.
    #[serde(skip)]
    pub rule: Option<Code>,
}

#[derive(Serialize)]
struct Report<'a> {
    manifest: &'a str,
    env: &'a str,
    ok: bool,
    sources: &'a [Source],
    findings: &'a [Finding],
}

/// Runs `orbit audit`.
pub fn run(args: &AuditArgs, manifest: Option<&Path>) -> Outcome {
    let loaded = common::load_as(manifest, args.format)?;
    let m = &loaded.manifest;
    if !m.environments.iter().any(|e| e.code == args.env) {
        let near = suggest::nearest(&args.env, m.environments.iter().map(|e| e.code.as_str()), 3);
        let declared: Vec<String> = m
            .environments
            .iter()
            .map(|e| format!("`{}`", e.code))
            .collect();
        return Err(Fail::usage(
            format!(
                "environment `{}` is not declared in {}",
                common::visible(&args.env),
                loaded.at.shown
            ),
            match near.first() {
                Some(n) => format!("did you mean `{n}`? declared: {}", declared.join(", ")),
                None => format!("declared: {}", declared.join(", ")),
            },
        ));
    }
    let listings = list(args)?;
    let (sources, findings) = judge(m, &args.env, &listings);
    print(args, &loaded.at.shown, &loaded.source, &sources, &findings)?;
    if findings.iter().any(|f| f.severity == "error") {
        Err(Fail::reported())
    } else {
        Ok(())
    }
}

#[cfg(feature = "audit")]
fn list(args: &AuditArgs) -> Result<Vec<Listing>, Fail> {
    let url = args
        .mysql
        .clone()
        .or_else(|| std::env::var("ORBIT_MYSQL_URL").ok())
        .filter(|u| !u.is_empty());
    sources::list(url.as_deref())
}

#[cfg(not(feature = "audit"))]
fn list(_: &AuditArgs) -> Result<Vec<Listing>, Fail> {
    Err(Fail::usage(
        "this orbit was built without the `audit` feature, so it has no AWS or MySQL client",
        "build it with its default features: `cargo install --locked --git https://github.com/k8or-orbit-aws/orbit orbit-cli` (or `cargo build -p orbit-cli`, without `--no-default-features`)",
    ))
}

fn print(
    args: &AuditArgs,
    shown: &str,
    source: &str,
    sources: &[Source],
    findings: &[Finding],
) -> Outcome {
    let env = &args.env;
    let errors = findings.iter().filter(|f| f.severity == "error").count();
    let warnings = findings.len() - errors;
    let ok = errors == 0;
    let summary = if findings.is_empty() {
        format!("{shown} ({env}): ok — {}", audited_list(sources))
    } else {
        format!(
            "{shown} ({env}): {} — {errors} error{}, {warnings} warning{}",
            if ok { "ok" } else { "failed" },
            common::plural(errors),
            common::plural(warnings)
        )
    };
    match args.format {
        Format::Json => common::print_json(&Report {
            manifest: shown,
            env,
            ok,
            sources,
            findings,
        }),
        Format::Github | Format::Sarif => {
            let index = LineIndex::new(source);
            let items: Vec<report::Item> = findings
                .iter()
                .map(|f| {
                    let code = f.rule.unwrap_or(Code::Orb902);
                    report::Item {
                        rule: f.code.to_string(),
                        title: code.title().to_string(),
                        severity: code.severity(),
                        message: f.message.clone(),
                        help: f.help.clone(),
                        path: f.span_start.map(|_| shown.to_string()),
                        position: f.span_start.map(|s| index.line_col(s)),
                    }
                })
                .collect();
            let mut summary = summary;
            for s in sources.iter().filter(|s| !s.audited) {
                summary.push_str(&format!("; {} not audited", s.kind));
            }
            crate::check::ci(args.format, &items, &summary)
        }
        Format::Human => {
            let style = common::stdout_style();
            let index = LineIndex::new(source);
            for f in findings {
                let code = f.rule.unwrap_or(Code::Orb902);
                let (word, colour) = match code.severity() {
                    Severity::Error => ("error", "\x1b[1;31m"),
                    Severity::Warning => ("warning", "\x1b[1;33m"),
                };
                let head = match style {
                    Style::Color => format!("{colour}{word}[{}]\x1b[0m", f.code),
                    Style::Plain => format!("{word}[{}]", f.code),
                };
                outln!("{head}: {}", common::visible(&f.message));
                if let Some(s) = f.span_start {
                    let (l, c) = index.line_col(s);
                    outln!("   --> {shown}:{l}:{c}");
                }
                if let Some(h) = &f.help {
                    outln!("    = help: {}", common::visible(h));
                }
                outln!(
                    "    = note: for more about this rule, run `orbit explain {}`",
                    f.code
                );
                outln!("");
            }
            for s in sources {
                let what = kind_noun(s.kind);
                if s.audited {
                    outln!(
                        "{}: {} listed, {} for {env}, {} of other environments or of no convention (not judged)",
                        what,
                        s.listed,
                        s.judged,
                        s.listed - s.judged
                    );
                } else {
                    outln!(
                        "note: {what} not audited: {}",
                        s.why_not.as_deref().unwrap_or("no source configured")
                    );
                }
            }
            outln!("{summary}");
            Ok(())
        }
    }
}

fn kind_noun(kind: &str) -> &'static str {
    match kind {
        "dynamodb" => "DynamoDB tables",
        "s3" => "S3 buckets",
        _ => "MySQL databases",
    }
}

fn audited_list(sources: &[Source]) -> String {
    let done: Vec<String> = sources
        .iter()
        .filter(|s| s.audited)
        .map(|s| {
            let noun = kind_noun(s.kind);
            match s.judged {
                1 => format!("1 {}", noun.trim_end_matches('s')),
                n => format!("{n} {noun}"),
            }
        })
        .collect();
    let mut text = if done.is_empty() {
        "nothing audited".to_string()
    } else {
        format!("{} as declared", done.join(", "))
    };
    let not: Vec<&str> = sources
        .iter()
        .filter(|s| !s.audited)
        .map(|s| kind_noun(s.kind))
        .collect();
    if !not.is_empty() {
        text.push_str(&format!("; {} not audited", not.join(", ")));
    }
    text
}
