//! The rules of `orbit audit` (ORB901–ORB904): [`judge`], which compares what was listed with
//! the names the manifest derives, and each code's documentation, what `orbit explain` prints
//! for it. Each excerpt is a manifest and the names that exist in environment `k8d`; the tests
//! audit the one against the other.

use std::collections::{BTreeMap, BTreeSet};

use orbit_engine::id::{self, Endpoint, PhysicalName, ResourceKind};
use orbit_engine::rules::{Excerpt, Origin, Rule};
use orbit_engine::{suggest, Code, Manifest};

use super::{Finding, Listing, Source};
use crate::common;

/// ORB901: a declared resource's physical name for ENV does not exist.
pub const ORB901: Rule = Rule {
    code: Code::Orb901,
    home: module_path!(),
    checks:
        "`orbit audit --env ENV` reports each resource of the manifest whose physical name for \
             ENV (`orbit names --env ENV`) is not among the DynamoDB tables, S3 buckets or MySQL \
             databases of its kind that exist, pointing at its declaration. Create it, as your \
             infrastructure code does; or, if the resource is gone for good, remove its \
             declaration and add its RID to `retired`. A kind whose source is not configured \
             (no MySQL server given) is not audited and gets no finding.",
    origin: Origin::Reason(
        "Code reads and writes the names the manifest derives; a declared resource that does \
         not exist fails at run time, in the environment where it is missing.",
    ),
    broken: Excerpt::audit(
        r#"[resource.c8bre03]
kind = "s3"
name = "temporary-app-image"
"#,
        &["terraform-state"],
    ),
    fixed: Excerpt::audit(
        r#"[resource.c8bre03]
kind = "s3"
name = "temporary-app-image"
"#,
        &["temporary-app-image-403-bkt-k8d-aws", "terraform-state"],
    ),
};

/// ORB902: a name for ENV exists that no resource declares.
pub const ORB902: Rule = Rule {
    code: Code::Orb902,
    home: module_path!(),
    checks: "`orbit audit --env ENV` reports each table, bucket or database that exists, ends in \
             ENV's suffix (`-k8d-aws`, for MySQL `_k8d_aws`), follows the conventions, and is \
             the physical name of no declared resource (nor of a retired RID: that is ORB904). \
             The help names the nearest declared names, since a typo is the usual cause. \
             Remove it, or declare the resource it belongs to. Names of other environments and \
             names of no convention (`terraform-state`) are counted, not reported.",
    origin: Origin::Reason(
        "The manifest is the list of what exists: a name for ENV that it does not declare is \
         data no code knows about, often left by a typo or a resource removed from the \
         manifest without being retired.",
    ),
    broken: Excerpt::audit(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-metadata"
"#,
        &[
            "user-metadata-403-tbl-k8d-aws",
            "user-metdata-403-tbl-k8d-aws",
        ],
    ),
    fixed: Excerpt::audit(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-metadata"
"#,
        &["user-metadata-403-tbl-k8d-aws"],
    ),
};

/// ORB903: a name for ENV exists that breaks the conventions.
pub const ORB903: Rule = Rule {
    code: Code::Orb903,
    home: module_path!(),
    checks: "`orbit audit --env ENV` warns about each table, bucket or database that exists for \
             ENV but breaks the conventions: a name ending in ENV's suffix that is not a \
             well-formed physical name (capitals, the wrong separator, a missing serial, more \
             than the cloud allows), or a name of a physical name's shape (`…-tbl-…-…`, \
             `…-bkt-…-…`, `…_dtb_…_…`) that has the suffix of another kind, another cloud or an \
             undeclared environment. The message says every way it breaks them, as \
             `orbit explain` does. Rename it to the name a resource derives, or remove it.",
    origin: Origin::Conventions(
        "DynamoDB table names follow the format: \
         `[Application/Context]-[Descriptive Name]-[Suffix]-[Environment]-[Cloud Provider]`. … \
         S3 bucket names follow the format: \
         `[Application/Context]-[Descriptive Name]-[Suffix]-[Environment]-[Cloud Provider]`. … \
         MySQL database names follow the format: \
         `[Application/Context]_[Descriptive Name]_[Suffix]_[Environment]_[Cloud Provider]`.",
    ),
    broken: Excerpt::audit(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-metadata"
"#,
        &[
            "User_Metadata-403-tbl-k8d-aws",
            "user-metadata-403-tbl-k8d-aws",
        ],
    ),
    fixed: Excerpt::audit(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-metadata"
"#,
        &["user-metadata-403-tbl-k8d-aws"],
    ),
};

/// ORB904: a name derived from a retired id exists (data left behind).
pub const ORB904: Rule = Rule {
    code: Code::Orb904,
    home: module_path!(),
    checks: "`orbit audit --env ENV` warns about each well-formed table, bucket or database for \
             ENV that no resource declares and whose serial is that of a RID in `retired` (the \
             number of a flow listing its component, then its identifier: `c8bre06` in `flow-4` \
             is `406`), instead of reporting it as ORB902. Migrate what it holds to the resource \
             that replaced the RID and delete it, or keep it knowingly.",
    origin: Origin::Reason(
        "Retiring a RID keeps its names from being derived again, but not its data from \
         existing: a table, bucket or database left behind costs money and holds data no code \
         reads.",
    ),
    broken: Excerpt::audit(
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = ["c8bre06"]

[environment.k8d]
name = "development"

[region.n-virginia]
name = "N. Virginia"
components = [1, 100]

[flow.flow-4]
name = "Portal"
components = ["c8"]

[component.c8]
name = "Portal node"
"#,
        &["user-error-log-406-tbl-k8d-aws"],
    ),
    fixed: Excerpt::audit(
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = ["c8bre06"]

[environment.k8d]
name = "development"

[region.n-virginia]
name = "N. Virginia"
components = [1, 100]

[flow.flow-4]
name = "Portal"
components = ["c8"]

[component.c8]
name = "Portal node"
"#,
        &[],
    ),
};

/// The codes of `orbit audit`, in numeric order.
pub const RULES: &[&Rule] = &[&ORB901, &ORB902, &ORB903, &ORB904];

// ---------------------------------------------------------------------------------------------
// Judging

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{judge, Listing};
    use orbit_engine::id::ResourceKind;
    use orbit_engine::Family;

    /// The listings an audit of `k8d` compares with: each name of `x.cloud` under the kind its
    /// `-tbl-`, `-bkt-` or `_dtb_` part says (DynamoDB for a name of no convention), every kind
    /// audited.
    fn listings(x: &Excerpt) -> Vec<Listing> {
        let kind_of = |name: &str| {
            ResourceKind::ALL
                .iter()
                .copied()
                .find(|k| {
                    let sep = k.separator();
                    name.contains(&format!("{sep}{}{sep}", k.suffix()))
                })
                .unwrap_or(ResourceKind::Dynamodb)
        };
        ResourceKind::ALL
            .iter()
            .map(|&kind| Listing {
                kind,
                names: Some(
                    x.cloud
                        .iter()
                        .filter(|n| kind_of(n) == kind)
                        .map(|n| n.to_string())
                        .collect(),
                ),
                why_not: None,
            })
            .collect()
    }

    /// The codes of the findings of `x`'s audit, or why it cannot be audited.
    fn audit(x: &Excerpt) -> Result<Vec<&'static str>, String> {
        let checked = orbit_engine::check(&x.full_manifest());
        if !checked.diagnostics.is_empty() {
            let codes: Vec<Code> = checked.diagnostics.iter().map(|d| d.code).collect();
            return Err(format!("the manifest breaks rules: {codes:?}"));
        }
        let (_, findings) = judge(&checked.manifest, "k8d", &listings(x));
        Ok(findings.iter().map(|f| f.code).collect())
    }

    #[test]
    fn every_broken_excerpt_breaks_its_rule_and_every_fixed_one_is_clean() {
        let mut failures = Vec::new();
        for r in RULES {
            match audit(&r.broken) {
                Ok(codes) if codes.contains(&r.code.as_str()) => {}
                Ok(codes) => failures.push(format!(
                    "{}: the broken excerpt gives {codes:?}, not {}",
                    r.code, r.code
                )),
                Err(e) => failures.push(format!("{}: broken: {e}", r.code)),
            }
            match audit(&r.fixed) {
                Ok(codes) if codes.is_empty() => {}
                Ok(codes) => failures.push(format!(
                    "{}: the fixed excerpt still gives {codes:?}",
                    r.code
                )),
                Err(e) => failures.push(format!("{}: fixed: {e}", r.code)),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn every_audit_code_is_documented_once_in_order() {
        let want: Vec<Code> = Code::ALL
            .iter()
            .copied()
            .filter(|c| c.family() == Family::Audit)
            .collect();
        let got: Vec<Code> = RULES.iter().map(|r| r.code).collect();
        assert_eq!(got, want);
    }
}

#[cfg(test)]
mod judge_tests {
    use super::*;
    use std::path::Path;

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
