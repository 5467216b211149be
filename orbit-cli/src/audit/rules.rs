//! The documentation of the codes of `orbit audit` (ORB901–ORB904): what `orbit explain`
//! prints for them. Each excerpt is a manifest and the names that exist in environment `k8d`;
//! the tests audit the one against the other.

use orbit_engine::rules::{Excerpt, Origin, Rule};
use orbit_engine::Code;

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
