//! Flows: the flow id (ORB101), its step of 4 (ORB102), at most 8 components (ORB103), each
//! declared (ORB104) and listed once (ORB105).

use super::*;
use crate::rules::{Excerpt, Origin, Rule};

/// ORB101: malformed flow id.
pub(crate) const ORB101: Rule = Rule {
    code: Code::Orb101,
    home: module_path!(),
    checks: "Reports a malformed flow id wherever one is written: the key of `[flow.*]`, a \
             resource's `flow` and a leg's `flow`. A flow id is `flow-` and a number from 1 to \
             9999 without leading zeros, in lowercase: `flow-08`, `Flow-8` and `flow8` are \
             reported, with the canonical spelling (`flow-8`) when it is clear.",
    origin: Origin::Conventions(
        "This means that the initial flow is designated as `flow-4`, the next flow is \
         `flow-8`, then `flow-12`, `flow-16`, and so on.",
    ),
    broken: Excerpt::manifest(
        r#"[flow.flow-08]
name = "Manifestor"
components = ["c8"]
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c8"]
"#,
    ),
};

/// ORB102: flow number not a multiple of 4 and not `inserted`.
pub(crate) const ORB102: Rule = Rule {
    code: Code::Orb102,
    home: module_path!(),
    checks: "Reports a flow whose number is not a multiple of 4 (`flow-6`) unless it says \
             `inserted = true`. The numbers between the multiples of 4 are reserved for flows \
             added later between existing ones: `inserted = true` says the slot is taken on \
             purpose, and without it the id is read as a typo. Use the next free multiple of 4, \
             which the help names, or add `inserted = true`.",
    origin: Origin::Conventions(
        "Flow numbering begins with `flow-4` and increments by 4 for each subsequent flow. … \
         Numbers between assigned flow numbers are reserved for future expansion and the \
         addition of new flows.",
    ),
    broken: Excerpt::manifest(
        r#"[flow.flow-6]
name = "Portal search"
components = ["c8"]
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[flow.flow-6]
name = "Portal search"
components = ["c8"]
inserted = true
"#,
    ),
};

/// ORB103: more than 8 components in one flow.
pub(crate) const ORB103: Rule = Rule {
    code: Code::Orb103,
    home: module_path!(),
    checks: "Reports a flow whose `components` lists more than eight components, at the \
             ninth (a component listed twice is ORB105 and counts once): the k-th component of a flow reserves blocks 12(k-1)+3 to 12(k-1)+12, and \
             blocks end at 96. Only the first eight get blocks. Divide the process into several \
             flows of at most eight components each.",
    origin: Origin::Conventions(
        "A single flow can accommodate a maximum of eight components. This limitation is \
         imposed by the available block numbering range and helps to maintain manageable and \
         well-defined flows.",
    ),
    broken: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12", "c16", "c20", "c24", "c28", "c32", "c36", "c40", "c44"]

[component]
c12 = { name = "C12" }
c16 = { name = "C16" }
c20 = { name = "C20" }
c24 = { name = "C24" }
c28 = { name = "C28" }
c32 = { name = "C32" }
c36 = { name = "C36" }
c40 = { name = "C40" }
c44 = { name = "C44" }
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12", "c16", "c20", "c24", "c28", "c32", "c36", "c40"]

[flow.flow-12]
name = "Manifestor, continued"
components = ["c44"]

[component]
c12 = { name = "C12" }
c16 = { name = "C16" }
c20 = { name = "C20" }
c24 = { name = "C24" }
c28 = { name = "C28" }
c32 = { name = "C32" }
c36 = { name = "C36" }
c40 = { name = "C40" }
c44 = { name = "C44" }
"#,
    ),
};

/// ORB104: flow lists an undeclared component.
pub(crate) const ORB104: Rule = Rule {
    code: Code::Orb104,
    home: module_path!(),
    checks: "Reports an entry of a flow's `components` that names a component no \
             `[component.*]` declares; the help names the nearest declared components. Declare \
             the component, or correct the id in the list.",
    origin: Origin::Reason(
        "A flow's `components` fixes the blocks of each component it lists and the flow of \
         their resources: a component that is not declared has neither a name nor a region, \
         and is most often a typo.",
    ),
    broken: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12"]
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

/// ORB105: component listed twice in one flow.
pub(crate) const ORB105: Rule = Rule {
    code: Code::Orb105,
    home: module_path!(),
    checks: "Reports a component listed more than once in one flow's `components`, at the \
             repetition: a component's position in the list fixes its four blocks, so it has \
             one position. The same component may be listed by other flows, where it gets \
             blocks again by its position there. Remove the repetition.",
    origin: Origin::Conventions(
        "Each component within a flow reserves four consecutive block numbers. These reserved \
         blocks are specifically allocated to that component and are not available for other \
         components within the same flow.",
    ),
    broken: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c8", "c8"]
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c8"]
"#,
    ),
};

impl Cx<'_> {
    /// Parses flows; returns each flow's component list (checked later against components).
    pub(super) fn flows(&mut self, v: Value<'_, '_>) -> Vec<FlowList> {
        let mut lists = Vec::new();
        let Some(all) = self.table(v, "`[flow]`") else {
            return lists;
        };
        let used: Vec<u16> = all
            .iter()
            .filter_map(|(k, _, _)| k.parse::<FlowId>().ok().map(|f| f.0))
            .collect();
        for (key, kspan, fv) in all.in_order() {
            let fid = match key.parse::<FlowId>() {
                Ok(f) => f,
                Err(err) => {
                    self.id_error(Code::Orb101, kspan.clone(), key, &err);
                    self.listed_by_malformed_flow(fv);
                    continue;
                }
            };
            let Some(e) = self.table(fv, format_args!("`[flow.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::FLOW, "a flow");
            let name = self.req_str(&e, "name", format_args!("flow `{key}`"), "\"ChartStore\"");
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let inserted = self.opt_bool(&e, "inserted");
            if fid.0 % 4 != 0 && !inserted {
                let next = next_multiple(&used, 4, 1);
                self.push(
                    Diagnostic::new(
                        Code::Orb102,
                        kspan.clone(),
                        format!("flow number {} is not a multiple of 4, and the flow is not `inserted`", fid.0),
                    )
                    .with_label("reserved slot")
                    .with_help(format!(
                        "the next free flow is `flow-{next}`; to use the reserved slot deliberately, add `inserted = true`"
                    )),
                );
            }
            let mut comps: Vec<(ComponentId, Range<usize>)> = Vec::new();
            match e.get("components") {
                None => self.missing(
                    e.span.clone(),
                    "components",
                    format_args!("flow `{key}`"),
                    "[\"c20\"]",
                ),
                Some(_) => {
                    let list = self.str_array(&e, "components").unwrap_or_default();
                    let mut ninth = None;
                    for (text, span) in &list {
                        let c = match ComponentId::parse_prose(text) {
                            Ok(c) if c.to_string() == *text => c,
                            Ok(c) => {
                                self.push(
                                    Diagnostic::new(
                                        Code::Orb201,
                                        span.clone(),
                                        format!("malformed component id `{text}`: component ids are lowercase in a manifest"),
                                    )
                                    .with_help(format!("write `\"{c}\"`")),
                                );
                                continue;
                            }
                            Err(err) => {
                                self.id_error(Code::Orb201, span.clone(), text, &err);
                                continue;
                            }
                        };
                        if let Some((_, first)) = comps.iter().find(|(x, _)| *x == c) {
                            self.push(
                                Diagnostic::new(
                                    Code::Orb105,
                                    span.clone(),
                                    format!("component `{c}` is listed twice in `{fid}`"),
                                )
                                .with_related(first.clone(), "first listed here")
                                .with_help(
                                    "list each component once; its position fixes its blocks",
                                ),
                            );
                            continue;
                        }
                        // The ninth distinct component, wherever repeats and malformed
                        // entries put it in the list; the count is filled in below.
                        if comps.len() == MAX_COMPONENTS_PER_FLOW {
                            ninth = Some(self.diags.len());
                            self.push(
                                Diagnostic::new(
                                    Code::Orb103,
                                    span.clone(),
                                    String::new(),
                                )
                                .with_label("ninth component")
                                .with_help("divide the process into several flows of at most 8 components each"),
                            );
                        }
                        self.listed.insert(c);
                        comps.push((c, span.clone()));
                    }
                    if let Some(d) = ninth {
                        self.diags[d].message = format!(
                            "`{fid}` lists {} components; a flow holds at most 8 (blocks 3 to 96)",
                            comps.len()
                        );
                    }
                }
            }
            comps.truncate(MAX_COMPONENTS_PER_FLOW);
            lists.push((self.manifest.flows.len(), comps));
            self.manifest.flows.push(Flow {
                id: fid,
                name: name.map(|s| s.0).unwrap_or_default(),
                doc,
                components: Vec::new(),
                inserted,
                span: kspan.clone(),
            });
        }
        lists
    }

    /// Records the well-formed component ids a flow with a malformed id lists, without
    /// reporting anything about them: the flow's ORB101 is the error, not its components.
    pub(super) fn listed_by_malformed_flow(&mut self, fv: Value<'_, '_>) {
        let Ref::Table(t) = fv.get() else {
            return;
        };
        let Some((_, _, cv)) = t.get("components") else {
            return;
        };
        let Ref::Array(items) = cv.get() else {
            return;
        };
        for item in items.iter() {
            if let Ref::String(s) = item.get() {
                if let Some(c) = canonical::<ComponentId>(s) {
                    self.listed.insert(c);
                }
            }
        }
    }

    pub(super) fn flow_components(&mut self, lists: Vec<FlowList>) {
        let declared = self.declared_components();
        let names: Vec<String> = self
            .manifest
            .components
            .iter()
            .map(|c| c.id.to_string())
            .collect();
        for (fi, comps) in lists {
            let fid = self.manifest.flows[fi].id;
            let mut kept = Vec::new();
            for (c, span) in comps {
                if declared.contains(&c) {
                    kept.push(c);
                } else {
                    let near =
                        suggest::nearest(&c.to_string(), names.iter().map(String::as_str), 3);
                    self.push(
                        Diagnostic::new(
                            Code::Orb104,
                            span,
                            format!("`{fid}` lists component `{c}`, which is not declared"),
                        )
                        .with_help(suggest::declare_or(&format!("[component.{c}]"), &near)),
                    );
                }
            }
            self.manifest.flows[fi].components = kept;
        }
        self.manifest.flows.sort_by_key(|f| f.id);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::PRELUDE;

    fn codes_of_flow(components: &[&str]) -> Vec<(String, usize, String)> {
        let mut text = format!("{PRELUDE}\n[flow.flow-8]\nname = \"Big\"\ncomponents = [");
        let list: Vec<String> = components.iter().map(|c| format!("\"{c}\"")).collect();
        text.push_str(&list.join(", "));
        text.push_str("]\n");
        let mut seen = Vec::new();
        for c in components {
            if !seen.contains(c) && *c != "c8" {
                seen.push(*c);
                text.push_str(&format!("[component.{c}]\nname = \"{c}\"\n"));
            }
        }
        crate::check(&text)
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str().to_string(), d.column, d.message.clone()))
            .collect()
    }

    /// Regression: ORB103 counted list entries, not components. Eight components and a repeat
    /// are not too many, and the ninth component is reported wherever a repeat puts it, with
    /// the number of components the flow really lists.
    #[test]
    fn too_many_components_counts_distinct_components() {
        let eight = ["c12", "c16", "c20", "c24", "c28", "c32", "c36", "c40"];
        let mut with_repeat = eight.to_vec();
        with_repeat.push("c12");
        let got = codes_of_flow(&with_repeat);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "ORB105");

        let mut ten = with_repeat.clone();
        ten.push("c44");
        let got = codes_of_flow(&ten);
        let codes: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(codes, ["ORB105", "ORB103"], "{got:?}");
        assert!(got[1].2.contains("lists 9 components"), "{}", got[1].2);

        let mut nine = eight.to_vec();
        nine.push("c44");
        let got = codes_of_flow(&nine);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "ORB103");
        assert!(got[0].2.contains("lists 9 components"), "{}", got[0].2);
    }
}
