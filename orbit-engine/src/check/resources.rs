//! Backend resources and their physical names: the kind (ORB404), the descriptive name
//! (ORB405), the flow of the serial (ORB406), the cloud's limits (ORB407) and one resource per
//! physical name (ORB408).

use super::*;

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
