//! Components: the component id (ORB201), its step of 4 (ORB202), inside a region's range
//! (ORB203), listed by some flow (ORB204).

use super::*;

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
