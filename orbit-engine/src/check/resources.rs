//! Backend resources and their physical names: the kind (ORB404), the descriptive name
//! (ORB405), the flow of the serial (ORB406), the cloud's limits (ORB407) and one resource per
//! physical name (ORB408).

use super::*;
use crate::rules::{Excerpt, Origin, Rule};

/// ORB404: unknown resource kind.
pub(crate) const ORB404: Rule = Rule {
    code: Code::Orb404,
    home: module_path!(),
    checks: "Reports a resource whose `kind` is not `dynamodb` (a DynamoDB table), `s3` (an \
             S3 bucket) or `mysql` (a MySQL database), spelt exactly so; the help suggests the \
             nearest kind. The kind fixes the physical name's suffix (`tbl`, `bkt`, `dtb`) and \
             the separator of its words.",
    origin: Origin::Conventions(
        "DynamoDB table names follow the format: \
         `[Application/Context]-[Descriptive Name]-[Suffix]-[Environment]-[Cloud Provider]`. \
         … S3 bucket names follow the format: \
         `[Application/Context]-[Descriptive Name]-[Suffix]-[Environment]-[Cloud Provider]`. \
         … MySQL database names follow the format: \
         `[Application/Context]_[Descriptive Name]_[Suffix]_[Environment]_[Cloud Provider]`.",
    ),
    broken: Excerpt::manifest(
        r#"[resource.c8bre03]
kind = "dynamo"
name = "user-data"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-data"
"#,
    ),
};

/// ORB405: malformed descriptive name for its kind.
pub(crate) const ORB405: Rule = Rule {
    code: Code::Orb405,
    home: module_path!(),
    checks: "Reports a resource's `name` (its descriptive name) that is not lowercase words \
             of letters and digits joined by single separators, `-` for DynamoDB tables and S3 \
             buckets and `_` for MySQL databases: an empty name, a capital letter, the other \
             kind's separator (`user_data` for a table, `image-mql` for a database), a \
             separator at the start or the end or doubled, and any other character. The help \
             gives the corrected name when there is one.",
    origin: Origin::Conventions(
        "`Descriptive Name`: A descriptive name for the table, using hyphens to separate \
         words (e.g., `user-data`, `app-image-metadata`). … `Descriptive Name`: A descriptive \
         name for the database, using underscores to separate words (e.g., `image_mql`).",
    ),
    broken: Excerpt::manifest(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user_data"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-data"
"#,
    ),
};

/// ORB406: resource's flow ambiguous, or its `flow` does not list its component.
pub(crate) const ORB406: Rule = Rule {
    code: Code::Orb406,
    home: module_path!(),
    checks: "Reports a resource whose flow is not known: its component is listed by several \
             flows and the resource has no `flow`, or its `flow` names a flow that does not \
             list its component (or is not declared). The flow's number starts the serial of \
             the resource's physical names (`c20bre06` in `flow-16` gives `1606`). Add or \
             correct `flow`, naming one of the flows that list the component, which the help \
             names.",
    origin: Origin::Reason(
        "A physical name's serial is the resource's flow number followed by its identifier: \
         when several flows list the component, or `flow` names one that does not, which \
         serial the names carry is not known.",
    ),
    broken: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c8"]

[resource.c8bre03]
kind = "dynamodb"
name = "user-data"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c8"]

[resource.c8bre03]
kind = "dynamodb"
name = "user-data"
flow = "flow-4"
"#,
    ),
};

/// ORB407: a derived physical name breaks the cloud's limits in some environment.
pub(crate) const ORB407: Rule = Rule {
    code: Code::Orb407,
    home: module_path!(),
    checks: "Reports a resource whose physical name breaks the cloud's limits in one or more \
             declared environments: an S3 bucket name has 3 to 63 characters of lowercase \
             letters, digits and `-`, starts and ends with a letter or digit, and does not \
             start with `xn--`, `sthree-` or `amzn-s3-demo-`; a DynamoDB table name has 3 to \
             255 characters of letters, digits, `_`, `.` and `-`; a MySQL database name \
             (Amazon RDS `DBName`) has at most 64 characters of letters, digits and `_`, and \
             starts with a letter. Names are never truncated to fit: shorten the descriptive \
             name, or change how it starts.",
    origin: Origin::Reason(
        "The cloud refuses a table, bucket or database whose name breaks its limits, and a \
         name cut to fit would no longer be the one the conventions derive, so the manifest \
         is checked against the limits in every environment before anything is created.",
    ),
    broken: Excerpt::manifest(
        r#"[resource.c8bre03]
kind = "s3"
name = "portal-temporary-application-image-upload-staging"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[resource.c8bre03]
kind = "s3"
name = "portal-temporary-app-image"
"#,
    ),
};

/// ORB408: two resources derive the same physical name.
pub(crate) const ORB408: Rule = Rule {
    code: Code::Orb408,
    home: module_path!(),
    checks: "Reports a resource whose physical name another resource already derives, at \
             the later declaration: the same kind, the same descriptive name and the same \
             serial, as two resources with one identifier in two components of one flow have \
             (`c12bre03` and `c16bre03` in `flow-8` both have serial `803`). The two would be \
             one table, bucket or database. Give one of them another descriptive name.",
    origin: Origin::Reason(
        "The physical name is the resource in the cloud: two resources that derive one name \
         would read and write the same table, bucket or database.",
    ),
    broken: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12", "c16"]

[component.c12]
name = "Manifestor"

[component.c16]
name = "ImageHarbor"

[resource.c12bre03]
kind = "dynamodb"
name = "user-data"

[resource.c16bre03]
kind = "dynamodb"
name = "user-data"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12", "c16"]

[component.c12]
name = "Manifestor"

[component.c16]
name = "ImageHarbor"

[resource.c12bre03]
kind = "dynamodb"
name = "user-data"

[resource.c16bre03]
kind = "dynamodb"
name = "image-data"
"#,
    ),
};

impl Cx<'_> {
    pub(super) fn resources(
        &mut self,
        v: Value<'_, '_>,
        retired: &HashMap<Endpoint, Range<usize>>,
    ) {
        let entries = self.endpoints::<Rid, _>(v, retired, |cx, key, e| {
            let kind = cx.req_str(e, "kind", format_args!("resource `{key}`"), "\"dynamodb\"");
            let name = cx.req_str(e, "name", format_args!("resource `{key}`"), "\"user-data\"");
            let doc = cx.opt_str(e, "doc").map(|s| s.0);
            let flow = cx.opt_str(e, "flow");
            (kind, name, doc, flow)
        });
        let flows_listing: HashMap<ComponentId, Vec<FlowId>> = {
            let mut m: HashMap<ComponentId, Vec<FlowId>> = HashMap::default();
            for f in &self.manifest.flows {
                for c in &f.components {
                    m.entry(*c).or_default().push(f.id);
                }
            }
            m
        };
        let cloud = self.manifest.orbit.cloud.clone();
        let envs: Vec<String> = self
            .manifest
            .environments
            .iter()
            .map(|e| e.code.clone())
            .collect();
        let mut names: HashMap<(ResourceKind, String, String), (Rid, Range<usize>)> =
            HashMap::default();
        let mut out = Vec::with_capacity(entries.len());
        // Each physical name, written in turn to check the cloud's limits.
        let mut full = String::new();
        for entry in entries {
            let (kind, name, doc, flow_decl) = entry.body;
            let (rid, kspan, inserted, mut sound) =
                (entry.id, entry.span, entry.inserted, entry.sound);
            let cid = rid.component_id();
            let kind = match kind {
                Some((k, span)) => match k.parse::<ResourceKind>() {
                    Ok(k) => Some(k),
                    Err(msg) => {
                        let kinds: Vec<&str> =
                            ResourceKind::ALL.iter().map(|k| k.as_str()).collect();
                        let near = suggest::nearest_key(&k, &kinds);
                        self.push(
                            Diagnostic::new(
                                Code::Orb404,
                                span,
                                format!("unknown resource kind: {msg}"),
                            )
                            .with_help_opt(near.map(|n| format!("did you mean `\"{n}\"`?"))),
                        );
                        None
                    }
                },
                None => None,
            };
            let (Some(kind), Some((name, name_span))) = (kind, name) else {
                continue;
            };
            if let Err(msg) = kind.check_name(&name) {
                let fixed = name
                    .to_ascii_lowercase()
                    .replace(['-', '_', ' ', '.'], &kind.separator().to_string());
                self.push(
                    Diagnostic::new(
                        Code::Orb405,
                        name_span.clone(),
                        format!("malformed {} name `{name}`: {msg}", kind.describe()),
                    )
                    .with_help_opt(
                        kind.check_name(&fixed)
                            .ok()
                            .map(|_| format!("write `\"{fixed}\"`")),
                    ),
                );
                sound = false;
            }
            // The flow whose number starts the serial.
            let listing = flows_listing.get(&cid).map_or(&[][..], |v| v);
            let flow = match flow_decl {
                Some((text, span)) => match text.parse::<FlowId>() {
                    Ok(f) if listing.contains(&f) => Some(f),
                    Ok(f) => {
                        let help = match listing {
                            [] => format!("no flow lists `{cid}`; add it to `{f}`'s components"),
                            l => format!(
                                "flows listing `{cid}`: {}",
                                l.iter()
                                    .map(|f| format!("`{f}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                        self.push(
                            Diagnostic::new(
                                Code::Orb406,
                                span,
                                format!("`{rid}` names `{f}`, which does not list its component `{cid}`"),
                            )
                            .with_help(help),
                        );
                        None
                    }
                    Err(err) => {
                        self.id_error(Code::Orb101, span, &text, &err);
                        None
                    }
                },
                None => match listing {
                    [one] => Some(*one),
                    [] => None, // ORB204 already says the component is in no flow.
                    many => {
                        self.push(
                            Diagnostic::new(
                                Code::Orb406,
                                kspan.clone(),
                                format!(
                                    "`{rid}`'s flow is ambiguous: {} list component `{cid}`",
                                    many.iter()
                                        .map(|f| format!("`{f}`"))
                                        .collect::<Vec<_>>()
                                        .join(" and ")
                                ),
                            )
                            .with_help(format!("say which, e.g. `flow = \"{}\"`", many[0])),
                        );
                        None
                    }
                },
            };
            if let (Some(f), true) = (flow, sound) {
                let serial = id::serial(f, rid);
                let mut bad = Vec::new();
                let mut why = String::new();
                for env in &envs {
                    id::write_physical_name(&mut full, kind, &name, &serial, env, &cloud);
                    if let Err(m) = kind.check_cloud_limits(&full) {
                        if bad.is_empty() {
                            why = m;
                        }
                        bad.push(env.as_str());
                    }
                }
                if !bad.is_empty() {
                    self.push(
                        Diagnostic::new(
                            Code::Orb407,
                            name_span.clone(),
                            format!(
                                "the {} name of `{rid}` breaks the cloud's limits in {}: {why}",
                                kind.describe(),
                                bad.iter()
                                    .map(|e| format!("`{e}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                        .with_help(
                            "shorten the descriptive name; names are never truncated to fit",
                        ),
                    );
                }
                let key3 = (kind, name.clone(), serial.clone());
                if let Some((other, first)) = names.get(&key3) {
                    let example = envs
                        .first()
                        .map(|e| id::physical_name(kind, &name, &serial, e, &cloud));
                    self.push(
                        Diagnostic::new(
                            Code::Orb408,
                            kspan.clone(),
                            format!(
                                "`{rid}` derives the same physical name as `{other}`{}",
                                example.map(|n| format!(" (`{n}`)")).unwrap_or_default()
                            ),
                        )
                        .with_related(first.clone(), format!("`{other}` declared here"))
                        .with_help("give one of them another descriptive name"),
                    );
                } else {
                    names.insert(key3, (rid, kspan.clone()));
                }
            }
            if sound {
                out.push(Resource {
                    id: rid,
                    kind,
                    name,
                    doc,
                    flow,
                    inserted,
                    span: kspan.clone(),
                });
            }
        }
        out.sort_by_key(|r| r.id);
        self.manifest.resources = out;
    }
}
