//! Components: the component id (ORB201), its step of 4 (ORB202), inside a region's range
//! (ORB203), listed by some flow (ORB204).

use super::*;
use crate::rules::{Excerpt, Origin, Rule};

/// ORB201: malformed component id.
pub(crate) const ORB201: Rule = Rule {
    code: Code::Orb201,
    home: module_path!(),
    checks: "Reports a malformed component id, as the key of `[component.*]` or as an entry \
             of a flow's `components`. A component id is `c` and a number from 1 to 9999 \
             without leading zeros; the prose form `C12` is written `c12` in a manifest. \
             `C12`, `c012`, `c-12` and `comp12` are reported, with the canonical spelling when \
             it is clear.",
    origin: Origin::Conventions(
        "This means the first component is designated as `C4`, the second as `C8`, the third \
         as `C12`, the fourth as `C16`, and so on.",
    ),
    broken: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["C12"]

[component.C12]
name = "Manifestor"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12"]

[component.c12]
name = "Manifestor"
"#,
    ),
};

/// ORB202: component number not a multiple of 4 and not `inserted`.
pub(crate) const ORB202: Rule = Rule {
    code: Code::Orb202,
    home: module_path!(),
    checks: "Reports a component whose number is not a multiple of 4 (`c10`) unless it says \
             `inserted = true`: components are numbered `c4`, `c8`, `c12` …, and the numbers \
             between are reserved. The help names the next free multiple of 4 in the \
             component's region; use it, or add `inserted = true` to take the reserved slot \
             on purpose.",
    origin: Origin::Conventions(
        "Component numbering begins with `C4` and increments by 4 for each subsequent \
         component within the k8or Orbit application.",
    ),
    broken: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c10"]

[component.c10]
name = "Manifestor"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12"]

[component.c12]
name = "Manifestor"
"#,
    ),
};

/// ORB203: component number outside every region's range.
pub(crate) const ORB203: Rule = Rule {
    code: Code::Orb203,
    home: module_path!(),
    checks: "Reports a component whose number lies in no declared region's range (`c104` \
             when only `n-virginia`, 1–100, is declared): a component's number says where its \
             infrastructure runs. Give it a number in its region's range, or declare the \
             region. It is not reported while a region's range is missing or broken (ORB003, \
             ORB020, ORB022), since the component might be in that region.",
    origin: Origin::Conventions(
        "Infrastructure resources launched in the N. Virginia region are assigned component \
         numbers from 1 to 100. … K3s cluster master nodes and its components deployed in the \
         Ohio region are assigned component numbers from 101 to 200. … K3s agent nodes and its \
         components deployed in the Ohio region are assigned component numbers from 201 to \
         300.",
    ),
    broken: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c104"]

[component.c104]
name = "K3s master node"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[region.ohio-k3s-master]
name = "Ohio K3s master nodes"
components = [101, 200]

[flow.flow-8]
name = "Manifestor"
components = ["c104"]

[component.c104]
name = "K3s master node"
"#,
    ),
};

/// ORB204: component listed in no flow.
pub(crate) const ORB204: Rule = Rule {
    code: Code::Orb204,
    home: module_path!(),
    checks: "Reports a declared component that no flow's `components` lists (a listing by a \
             flow whose id is malformed, or as a ninth component, still counts). Add it to a \
             flow's `components`, or remove its declaration.",
    origin: Origin::Reason(
        "A component's blocks come from its position in a flow, and the serial of its \
         resources' physical names starts with that flow's number: a component in no flow \
         has neither.",
    ),
    broken: Excerpt::manifest(
        r#"[component.c12]
name = "Manifestor"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[component.c12]
name = "Manifestor"

[flow.flow-8]
name = "Manifestor"
components = ["c12"]
"#,
    ),
};

impl Cx<'_> {
    pub(super) fn components(&mut self, v: Value<'_, '_>) {
        let Some(all) = self.table(v, "`[component]`") else {
            return;
        };
        let used: Vec<u16> = all
            .iter()
            .filter_map(|(k, _, _)| k.parse::<ComponentId>().ok().map(|c| c.0))
            .collect();
        for (key, kspan, cv) in all.in_order() {
            let cid = match key.parse::<ComponentId>() {
                Ok(c) => c,
                Err(err) => {
                    self.id_error(Code::Orb201, kspan.clone(), key, &err);
                    continue;
                }
            };
            let Some(e) = self.table(cv, format_args!("`[component.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::COMPONENT, "a component");
            let name = self.req_str(
                &e,
                "name",
                format_args!("component `{key}`"),
                "\"ChartStore data\"",
            );
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let inserted = self.opt_bool(&e, "inserted");
            let region = self
                .manifest
                .regions
                .iter()
                .find(|r| r.components.contains(&cid.0))
                .cloned();
            let region = region.as_ref();
            if cid.0 % 4 != 0 && !inserted {
                let in_region: Vec<u16> = match region {
                    Some(r) => used
                        .iter()
                        .copied()
                        .filter(|n| r.components.contains(n))
                        .collect(),
                    None => used.clone(),
                };
                let floor = region.map_or(0, |r| *r.components.start() - 1);
                let next = next_multiple(&in_region, 4, floor);
                self.push(
                    Diagnostic::new(
                        Code::Orb202,
                        kspan.clone(),
                        format!("component number {} is not a multiple of 4, and the component is not `inserted`", cid.0),
                    )
                    .with_label("reserved slot")
                    .with_help(format!(
                        "the next free component{} is `c{next}`; to use the reserved slot deliberately, add `inserted = true`",
                        region.map(|r| format!(" in {}", r.key)).unwrap_or_default()
                    )),
                );
            }
            if region.is_none() && !self.manifest.regions.is_empty() && !self.region_range_broken {
                let ranges: Vec<String> = self
                    .manifest
                    .regions
                    .iter()
                    .map(|r| format!("{} {}–{}", r.key, r.components.start(), r.components.end()))
                    .collect();
                self.push(
                    Diagnostic::new(
                        Code::Orb203,
                        kspan.clone(),
                        format!("component number {} is outside every region's range", cid.0),
                    )
                    .with_help(format!("regions: {}", ranges.join(", "))),
                );
            }
            self.manifest.components.push(Component {
                id: cid,
                name: name.map(|s| s.0).unwrap_or_default(),
                doc,
                inserted,
                span: kspan.clone(),
            });
        }
        self.manifest.components.sort_by_key(|c| c.id);
    }

    pub(super) fn declared_components(&self) -> HashSet<ComponentId> {
        self.manifest.components.iter().map(|c| c.id).collect()
    }

    /// ORB204: every component is listed by at least one flow.
    pub(super) fn unlisted_components(&mut self) {
        let mut unlisted = Vec::new();
        for c in &self.manifest.components {
            if !self.listed.contains(&c.id) {
                unlisted.push(
                    Diagnostic::new(Code::Orb204, c.span.clone(), format!("component `{}` is listed in no flow", c.id))
                        .with_help(format!(
                            "add \"{}\" to a flow's `components`; every component belongs to at least one flow",
                            c.id
                        )),
                );
            }
        }
        self.diags.extend(unlisted);
    }
}
