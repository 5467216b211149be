//! `orbit audit --env ENV`: the physical names the manifest derives for one environment against
//! the DynamoDB tables, S3 buckets and MySQL databases that exist (README, "`orbit audit`").
//!
//! Listing is the job of the `sources` module (the `audit` feature: the AWS SDK and a MySQL
//! client); judging what was listed is [`judge`], plain code over names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use clap::Args;
use orbit_engine::id::{self, Endpoint, PhysicalName, ResourceKind};
use orbit_engine::render::Style;
use orbit_engine::{suggest, Code, LineIndex, Manifest, Severity};
use serde::Serialize;

use crate::common::{self, Fail, Outcome};
use crate::report::{self, ReportFormat as Format};

pub mod rules;
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

/// `-ENV-CLOUD` (`_ENV_CLOUD` for MySQL).
fn env_suffix(kind: ResourceKind, env: &str, cloud: &str) -> String {
    let sep = kind.separator();
    format!("{sep}{env}{sep}{cloud}")
}

/// Has the shape of a physical name: a kind suffix (`tbl`, `bkt`, `dtb`) then two parts.
fn has_shape(name: &str) -> bool {
    let parts: Vec<&str> = name.split(['-', '_']).collect();
    parts.len() >= 4
        && ResourceKind::ALL
            .iter()
            .any(|k| k.suffix() == parts[parts.len() - 3])
}

/// Every way `name`, listed as a `kind`, breaks the conventions of this manifest.
fn problems(m: &Manifest, kind: ResourceKind, name: &str) -> Vec<String> {
    let mut out = crate::explain::physical_problems(name);
    if let Ok(pn) = PhysicalName::parse(name) {
        if pn.kind != kind {
            out.push(format!(
                "it is a {}, but its suffix `{}` is that of a {} (a {} ends in `{}{}{}…`)",
                kind.describe(),
                pn.kind.suffix(),
                pn.kind.describe(),
                kind.describe(),
                kind.separator(),
                kind.suffix(),
                kind.separator()
            ));
        }
        if pn.cloud != m.orbit.cloud {
            out.push(format!(
                "its cloud code `{}` is not the manifest's `{}`",
                pn.cloud, m.orbit.cloud
            ));
        }
        if !m.environments.iter().any(|e| e.code == pn.env) {
            out.push(format!("its environment code `{}` is not declared", pn.env));
        }
    }
    out
}

/// Whether `name` is judged in an audit of `env`: it ends in `-ENV-CLOUD` (or `_ENV_CLOUD`), or
/// it has the shape of a physical name, breaks the conventions, and does not end in another
/// declared environment's suffix.
fn for_env(m: &Manifest, kind: ResourceKind, env: &str, name: &str) -> bool {
    let cloud = &m.orbit.cloud;
    let ends_in = |e: &str| {
        ResourceKind::ALL
            .iter()
            .any(|k| name.ends_with(&env_suffix(*k, e, cloud)))
    };
    if name.ends_with(&env_suffix(kind, env, cloud)) || ends_in(env) {
        return true;
    }
    if !has_shape(name) || problems(m, kind, name).is_empty() {
        return false;
    }
    !m.environments
        .iter()
        .any(|e| e.code != env && ends_in(&e.code))
}

/// The serials of the retired RIDs, each with its RID: every flow listing its component.
fn retired_serials(m: &Manifest) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in &m.orbit.retired {
        if let Endpoint::Rid(rid) = e {
            for f in m.flows_of(rid.component_id()) {
                out.insert(id::serial(f.id, *rid), rid.to_string());
            }
        }
    }
    out
}

/// Compares what was listed with what the manifest derives for `env`.
pub fn judge(m: &Manifest, env: &str, listings: &[Listing]) -> (Vec<Source>, Vec<Finding>) {
    let retired = retired_serials(m);
    let mut sources = Vec::new();
    let mut findings = Vec::new();
    for l in listings {
        let kind = l.kind;
        let mut source = Source {
            kind: kind.as_str(),
            listed: l.names.as_ref().map_or(0, Vec::len),
            audited: l.names.is_some(),
            judged: 0,
            why_not: l.why_not.clone(),
        };
        let Some(names) = &l.names else {
            sources.push(source);
            continue;
        };
        let declared: Vec<(String, String, usize)> = m
            .resources
            .iter()
            .filter(|r| r.kind == kind)
            .filter_map(|r| {
                Some((
                    r.physical_name(env, &m.orbit.cloud)?,
                    r.id.to_string(),
                    r.span.start,
                ))
            })
            .collect();
        let exists: BTreeSet<&str> = names.iter().map(String::as_str).collect();
        let mut judged = BTreeSet::new();
        for name in &exists {
            if !for_env(m, kind, env, name) {
                continue;
            }
            judged.insert(*name);
            if declared.iter().any(|(n, _, _)| n == name) {
                continue;
            }
            let shown = common::visible(name).into_owned();
            let broken = problems(m, kind, name);
            if !broken.is_empty() {
                findings.push(finding(
                    Code::Orb903,
                    kind,
                    name,
                    None,
                    format!(
                        "{} `{shown}` exists for {env} but breaks the conventions: {}",
                        kind.describe(),
                        broken.join("; ")
                    ),
                    Some(format!(
                        "rename it to the name a resource derives (`orbit names --env {env}`), or remove it; `orbit explain {shown}` says more"
                    )),
                ));
                continue;
            }
            let serial = PhysicalName::parse(name).map(|p| p.serial).unwrap_or("");
            if let Some(rid) = retired.get(serial) {
                findings.push(finding(
                    Code::Orb904,
                    kind,
                    name,
                    Some(rid.clone()),
                    format!(
                        "{} `{shown}` exists, and its serial `{serial}` derives from the retired RID `{rid}`: data left behind",
                        kind.describe()
                    ),
                    Some(format!(
                        "migrate what it holds to the resource that replaced `{rid}` and delete it, or keep it knowingly"
                    )),
                ));
                continue;
            }
            let near = suggest::nearest(name, declared.iter().map(|(n, _, _)| n.as_str()), 3);
            let help = if near.is_empty() {
                format!(
                    "declare it as a `[resource.RID]` with `kind = \"{}\"` (`orbit next rid`), or remove it",
                    kind.as_str()
                )
            } else {
                format!(
                    "did you mean {}? otherwise declare it as a `[resource.RID]` (`orbit next rid`), or remove it",
                    near.iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            findings.push(finding(
                Code::Orb902,
                kind,
                name,
                None,
                format!(
                    "{} `{shown}` exists for {env}, but no resource declares it",
                    kind.describe()
                ),
                Some(help),
            ));
        }
        for (name, rid, at) in &declared {
            if exists.contains(name.as_str()) {
                continue;
            }
            let mut f = finding(
                Code::Orb901,
                kind,
                name,
                Some(rid.clone()),
                format!(
                    "{} `{name}` of resource `{rid}` does not exist in {env}",
                    kind.describe()
                ),
                Some(format!(
                    "create it (as your infrastructure code does), or, if `{rid}` is gone for good, remove its declaration and add it to `retired`"
                )),
            );
            f.span_start = Some(*at);
            findings.push(f);
        }
        source.judged = judged.len();
        sources.push(source);
    }
    findings.sort_by(|a, b| {
        (a.rule, kind_order(a.kind), &a.name).cmp(&(b.rule, kind_order(b.kind), &b.name))
    });
    (sources, findings)
}

fn kind_order(kind: &str) -> usize {
    ResourceKind::ALL
        .iter()
        .position(|k| k.as_str() == kind)
        .unwrap_or(usize::MAX)
}

fn finding(
    code: Code,
    kind: ResourceKind,
    name: &str,
    id: Option<String>,
    message: String,
    help: Option<String>,
) -> Finding {
    Finding {
        code: code.as_str(),
        severity: code.severity().as_str(),
        kind: kind.as_str(),
        name: name.to_string(),
        id,
        message,
        help,
        span_start: None,
        rule: Some(code),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../orbit.toml");
        let (_, checked) = orbit_engine::check_file(&path).expect("orbit.toml");
        checked.manifest
    }

    fn listing(kind: ResourceKind, names: &[&str]) -> Listing {
        Listing {
            kind,
            names: Some(names.iter().map(|s| s.to_string()).collect()),
            why_not: None,
        }
    }

    #[test]
    fn judges_only_names_for_env() {
        let m = manifest();
        let mut names: Vec<String> = m
            .resources
            .iter()
            .filter(|r| r.kind == ResourceKind::S3)
            .filter_map(|r| r.physical_name("k8d", "aws"))
            .collect();
        names.push("app-image-1206-bkt-k8t-aws".into()); // another environment
        names.push("terraform-state".into()); // no convention
        names.push("app-imgae-1206-bkt-k8d-aws".into()); // undeclared: ORB902
        names.push("App-Image-1206-bkt-k8d-aws".into()); // broken: ORB903
        let l: Vec<&str> = names.iter().map(String::as_str).collect();
        let (sources, findings) = judge(&m, "k8d", &[listing(ResourceKind::S3, &l)]);
        let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["ORB902", "ORB903"], "{findings:#?}");
        assert!(findings[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`app-image-1206-bkt-k8d-aws`"));
        assert_eq!(sources[0].listed, names.len());
        assert_eq!(sources[0].judged, names.len() - 2);
    }

    #[test]
    fn missing_and_not_audited() {
        let m = manifest();
        let (sources, findings) = judge(
            &m,
            "k8t",
            &[
                listing(ResourceKind::Dynamodb, &[]),
                Listing {
                    kind: ResourceKind::Mysql,
                    names: None,
                    why_not: Some("no URL".into()),
                },
            ],
        );
        assert!(findings
            .iter()
            .all(|f| f.code == "ORB901" && f.kind == "dynamodb"));
        assert_eq!(
            findings.len(),
            m.resources
                .iter()
                .filter(|r| r.kind == ResourceKind::Dynamodb)
                .count()
        );
        assert!(!sources[1].audited);
    }

    #[test]
    fn broken_names_of_other_environments_are_not_judged() {
        let m = manifest();
        let k = ResourceKind::Mysql;
        assert!(for_env(&m, k, "k8d", "app-image-mql-2003-dtb-k8d-aws"));
        assert!(!for_env(&m, k, "k8t", "app-image-mql-2003-dtb-k8d-aws"));
        assert!(for_env(&m, k, "k8d", "app_image_mql_2003_dtb_k8x_aws"));
        assert!(!for_env(&m, k, "k8d", "app_image_mql_2003_dtb_k8t_aws"));
        assert!(!for_env(&m, k, "k8d", "information_schema"));
        assert!(!problems(&m, k, "app-image-mql-2003-dtb-k8d-aws").is_empty());
    }

    #[test]
    fn shapes() {
        assert!(has_shape("x-1606-tbl-k8d-aws"));
        assert!(has_shape("x_2003_dtb_k8d_aws"));
        assert!(!has_shape("mysql"));
        assert!(!has_shape("information_schema"));
    }
}
