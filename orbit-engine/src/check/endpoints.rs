//! MIDs and RIDs, one pass for both: the id's form (ORB301/ORB401), its component declared
//! (ORB302/ORB402), its step of 3 (ORB303/ORB403), one number per component (ORB304) and never
//! a retired id (ORB305/ORB409).

use super::*;

impl Cx<'_> {
    pub(super) fn microservices(
        &mut self,
        v: Value<'_, '_>,
        retired: &HashMap<Endpoint, Range<usize>>,
    ) {
        let Some(all) = self.table(v, "`[microservice]`") else {
            return;
        };
        let declared = self.declared_components();
        let comp_names: Vec<String> = self
            .manifest
            .components
            .iter()
            .map(|c| c.id.to_string())
            .collect();
        // Numbers in use per component, across fms and bms, for "next free" hints.
        let mut used: HashMap<u16, Vec<u16>> = HashMap::default();
        for (k, _, _) in all.iter() {
            if let Ok(m) = k.parse::<Mid>() {
                used.entry(m.component).or_default().push(m.number);
            }
        }
        for r in retired.keys() {
            if let Endpoint::Mid(m) = r {
                used.entry(m.component).or_default().push(m.number);
            }
        }
        let mut by_number: HashMap<(u16, u16), (Mid, Range<usize>)> = HashMap::default();
        let mut out = Vec::with_capacity(all.len());
        for (key, kspan, mv) in all.in_order() {
            let mid = match key.parse::<Mid>() {
                Ok(m) => m,
                Err(err) => {
                    self.id_error(Code::Orb301, kspan.clone(), key, &err);
                    continue;
                }
            };
            self.declared.insert(Endpoint::Mid(mid));
            let Some(e) = self.table(mv, format_args!("`[microservice.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::MICROSERVICE, "a microservice");
            let name = self.req_str(
                &e,
                "name",
                format_args!("microservice `{key}`"),
                "\"Portal Search Logic\"",
            );
            let roles = self.strings(&e, "roles");
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let inserted = self.opt_bool(&e, "inserted");
            let mut sound = true;
            if !declared.contains(&mid.component_id()) {
                sound = false;
                let c = mid.component_id().to_string();
                let near = suggest::nearest(&c, comp_names.iter().map(String::as_str), 3);
                self.push(
                    Diagnostic::new(
                        Code::Orb302,
                        kspan.start..kspan.start + c.len(),
                        format!("`{mid}` belongs to component `{c}`, which is not declared"),
                    )
                    .with_help(suggest::declare_or(&format!("[component.{c}]"), &near)),
                );
            }
            if mid.number % 3 != 0 && !inserted {
                let next = next_multiple(used.get(&mid.component).map_or(&[][..], |v| v), 3, 0);
                let mut free = format!("c{}{}", mid.component, mid.kind.code());
                let _ = id::write_number(&mut free, next);
                self.push(
                    Diagnostic::new(
                        Code::Orb303,
                        kspan.clone(),
                        format!(
                            "MID identifier {:02} is not a multiple of 3, and `{mid}` is not `inserted`",
                            mid.number
                        ),
                    )
                    .with_label("reserved slot")
                    .with_help(format!(
                        "identifiers step by 3; the next free in c{} is `{free}`; to use the reserved slot deliberately, add `inserted = true`",
                        mid.component
                    )),
                );
            }
            if let Some((other, first)) = by_number.get(&(mid.component, mid.number)) {
                self.push(
                    Diagnostic::new(
                        Code::Orb304,
                        kspan.clone(),
                        format!(
                            "identifier {:02} of component c{} is already used by `{other}`",
                            mid.number, mid.component
                        ),
                    )
                    .with_related(first.clone(), format!("`{other}` declared here"))
                    .with_help({
                        let next = next_multiple(used.get(&mid.component).map_or(&[][..], |v| v), 3, 0);
                        let mut free = format!("c{}{}", mid.component, mid.kind.code());
                        let _ = id::write_number(&mut free, next);
                        format!("frontend and backend microservices of one component share one sequence; the next free is `{free}`")
                    }),
                );
                sound = false;
            } else {
                by_number.insert((mid.component, mid.number), (mid, kspan.clone()));
            }
            if let Some(rspan) = retired.get(&Endpoint::Mid(mid)) {
                self.push(
                    Diagnostic::new(Code::Orb305, kspan.clone(), format!("`{mid}` is retired and must not be declared again"))
                        .with_related(rspan.clone(), "retired here")
                        .with_help("persistent names derive from retired ids; allocate a new one (`orbit next mid`)"),
                );
            }
            if sound {
                out.push(Microservice {
                    id: mid,
                    name: name.map(|s| s.0).unwrap_or_default(),
                    roles,
                    doc,
                    inserted,
                    span: kspan.clone(),
                });
            }
        }
        out.sort_by_key(|m| (m.id.component, m.id.number, m.id.kind));
        self.manifest.microservices = out;
    }

    pub(super) fn endpoint_names(&self) -> (Vec<String>, Vec<String>) {
        let mut mids = Vec::new();
        let mut rids = Vec::new();
        for e in &self.declared {
            match e {
                Endpoint::Mid(_) => mids.push(e.to_string()),
                Endpoint::Rid(_) => rids.push(e.to_string()),
            }
        }
        mids.sort();
        rids.sort();
        (mids, rids)
    }
}
