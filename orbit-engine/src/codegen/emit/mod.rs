//! The model → Rust items of the README's "Typed ids in service code".
//!
//! Every list is emitted in the model's canonical order; look-up tables are sorted by the keys
//! of [`crate::lookup`], or are its [`KeyTable`](crate::lookup::KeyTable)s, filled in the
//! canonical order with a hash defined byte by byte. Nothing here iterates a hash map, so one
//! manifest gives one output. Everything generated is linear in the number of ids: arrays
//! indexed by the variant, sorted tables searched by binary search, key tables of at most twice
//! as many slots as ids, no `match` over pairs of ids.

mod closed;
mod components;
mod environments;
mod events;
mod flows;
mod legs;
mod microservices;
mod orbit;
mod processes;
mod regions;
mod resources;
mod source;
mod tables;
mod tokens;

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::markdown as md;
use super::names::{constant, ident, variant};
use super::Options;
use crate::fxhash::{HashMap, HashSet};
use crate::id::{self, ComponentId, Endpoint, FlowId, Mid, Rid};
use crate::model::{self, Manifest};
use components::components;
use environments::{env_modules, environments};
use events::{event_types, events};
use flows::flows;
use legs::legs;
use microservices::microservices;
use orbit::orbit_items;
use processes::processes;
use regions::regions;
use resources::resources;
use tables::END_RESOURCE;
use tokens::{comp_variant, flow_variant, id_variant};

/// The sound subset of a (possibly invalid) model that can be emitted without dangling
/// references: every emitted item refers only to emitted items.
pub(super) struct Sound<'m> {
    pub m: &'m Manifest,
    pub regions: Vec<&'m model::Region>,
    pub flows: Vec<&'m model::Flow>,
    pub components: Vec<&'m model::Component>,
    pub mids: Vec<&'m model::Microservice>,
    pub rids: Vec<(&'m model::Resource, FlowId)>,
    pub legs: Vec<(&'m model::Leg, Vec<&'m model::Part>)>,
    pub events: Vec<&'m model::Event>,
    pub envs: Vec<&'m model::Environment>,
    comp_ix: BTreeMap<ComponentId, usize>,
    flow_ix: BTreeMap<FlowId, usize>,
    // Looked up for every process step's ends: hashed (never iterated, so the order of
    // the output does not depend on them).
    mid_ix: HashMap<Mid, usize>,
    rid_ix: HashMap<Rid, usize>,
    region_ix: BTreeMap<String, usize>,
    region_variants: Vec<String>,
    /// How source written as text becomes tokens (see [`Options::lexer`]).
    pub lexer: Option<super::Lexer>,
    /// Every physical name, resource by resource then environment by environment, written
    /// on first use (see [`Sound::physical`]).
    physical: OnceCell<Vec<String>>,
}

impl<'m> Sound<'m> {
    pub fn new(m: &'m Manifest) -> Self {
        let regions: Vec<_> = m.regions.iter().collect();
        let region_ix = regions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key.clone(), i))
            .collect();
        let flows: Vec<_> = m.flows.iter().collect();
        let flow_ix: BTreeMap<FlowId, usize> =
            flows.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
        let components: Vec<_> = m
            .components
            .iter()
            .filter(|c| m.region_of(c.id).is_some())
            .collect();
        let comp_ix: BTreeMap<ComponentId, usize> = components
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        let mids: Vec<_> = m
            .microservices
            .iter()
            .filter(|s| comp_ix.contains_key(&s.id.component_id()))
            .collect();
        let mid_ix: HashMap<Mid, usize> = mids.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let rids: Vec<_> = m
            .resources
            .iter()
            .filter(|r| comp_ix.contains_key(&r.id.component_id()))
            .filter_map(|r| Some((r, r.flow.filter(|f| flow_ix.contains_key(f))?)))
            .collect();
        let rid_ix: HashMap<Rid, usize> =
            rids.iter().enumerate().map(|(i, r)| (r.0.id, i)).collect();
        let has = |e: Endpoint| match e {
            Endpoint::Mid(x) => mid_ix.contains_key(&x),
            Endpoint::Rid(x) => rid_ix.contains_key(&x),
        };
        let mut seen = HashSet::default();
        let legs: Vec<_> = m
            .legs
            .iter()
            .filter(|l| flow_ix.contains_key(&l.flow))
            .map(|l| {
                let parts = l
                    .parts
                    .iter()
                    .filter(|p| has(p.pid.start) && has(p.pid.end) && seen.insert(p.pid))
                    .collect();
                (l, parts)
            })
            .collect();
        let events = m
            .events
            .iter()
            .filter(|e| mid_ix.contains_key(&e.mid) && rid_ix.contains_key(&e.rid))
            .collect();
        // Distinct: region names are kebab-case (ORB022) and a clash is left out (ORB005).
        let region_variants = regions.iter().map(|r| variant(&r.key)).collect();
        Sound {
            m,
            region_variants,
            regions,
            flows,
            components,
            mids,
            rids,
            legs,
            events,
            envs: m.environments.iter().collect(),
            lexer: None,
            physical: OnceCell::new(),
            comp_ix,
            flow_ix,
            mid_ix,
            rid_ix,
            region_ix,
        }
    }

    /// The MIDs, RIDs and PIDs that get a constant, as canonical text, in that order; a kind
    /// with more than `max` ids is left empty (its id macro has no arm per id).
    pub(super) fn declared_ids(&self, max: usize) -> [Vec<String>; 3] {
        let pids = self
            .legs
            .iter()
            .map(|(_, parts)| parts.len())
            .sum::<usize>();
        [
            if self.mids.len() <= max {
                self.mids.iter().map(|m| m.id.to_string()).collect()
            } else {
                Vec::new()
            },
            if self.rids.len() <= max {
                self.rids.iter().map(|r| r.0.id.to_string()).collect()
            } else {
                Vec::new()
            },
            if pids <= max {
                self.processes()
                    .map(|(_, _, p)| p.pid.to_string())
                    .collect()
            } else {
                Vec::new()
            },
        ]
    }

    fn processes(&self) -> impl Iterator<Item = (usize, usize, &'m model::Part)> + '_ {
        self.legs
            .iter()
            .enumerate()
            .flat_map(|(li, (_, parts))| parts.iter().enumerate().map(move |(pi, p)| (li, pi, *p)))
    }

    /// The physical name of the `ri`th resource of [`Sound::rids`] in the `ei`th environment
    /// of [`Sound::envs`]. All of them are written once, on first use: the tables, the
    /// resources' docs and the environments' modules each name every one.
    fn physical(&self, ri: usize, ei: usize) -> &str {
        let all = self.physical.get_or_init(|| {
            let mut all = Vec::with_capacity(self.rids.len() * self.envs.len());
            for (r, flow) in &self.rids {
                let serial = id::serial(*flow, r.id);
                for e in &self.envs {
                    all.push(id::physical_name(
                        r.kind,
                        &r.name,
                        &serial,
                        &e.code,
                        &self.m.orbit.cloud,
                    ));
                }
            }
            all
        });
        all.get(ri * self.envs.len() + ei)
            .map_or("", String::as_str)
    }
}

/// Appends `s` to `t` as one stream. `t.extend(s)` would take `Extend<TokenTree>` and move
/// `s` over token by token (inside a proc macro, a round trip through the compiler for
/// every token); this is one concatenation.
pub(super) fn append(t: &mut TokenStream, s: TokenStream) {
    t.extend(std::iter::once(s));
}

impl Sound<'_> {
    fn flow_path(&self, f: FlowId) -> TokenStream {
        let v = ident(&flow_variant(f), Span::call_site());
        quote!(Flow::#v)
    }
    fn comp_path(&self, c: ComponentId) -> TokenStream {
        let v = ident(&comp_variant(c), Span::call_site());
        quote!(Component::#v)
    }
    fn mid_path(&self, m: Mid) -> TokenStream {
        let v = id_variant(m);
        quote!(Microservice::#v)
    }
    fn rid_path(&self, r: Rid) -> TokenStream {
        let v = id_variant(r);
        quote!(Resource::#v)
    }
    /// A step's end as one integer: the index in `Microservice::ALL`, or in `Resource::ALL`
    /// with the top bit set (see [`end_table`](tables::end_table)); `None` if it is not
    /// generated.
    fn end_index(&self, e: Endpoint) -> Option<u32> {
        let (i, bit) = match e {
            Endpoint::Mid(m) => (*self.mid_ix.get(&m)?, 0),
            Endpoint::Rid(r) => (*self.rid_ix.get(&r)?, END_RESOURCE),
        };
        u32::try_from(i)
            .ok()
            .filter(|i| i & END_RESOURCE == 0)
            .map(|i| i | bit)
    }

    /// The index of a component in `Component::ALL`.
    fn comp_index(&self, c: ComponentId) -> Option<u32> {
        u32::try_from(*self.comp_ix.get(&c)?).ok()
    }

    /// The index of a flow in `Flow::ALL`.
    fn flow_index(&self, f: FlowId) -> Option<u32> {
        u32::try_from(*self.flow_ix.get(&f)?).ok()
    }

    fn end_path(&self, e: Endpoint) -> TokenStream {
        match e {
            Endpoint::Mid(m) => {
                let p = self.mid_path(m);
                quote!(ProcessEnd::Microservice(#p))
            }
            Endpoint::Rid(r) => {
                let p = self.rid_path(r);
                quote!(ProcessEnd::Resource(#p))
            }
        }
    }
    fn region_of(&self, c: ComponentId) -> Option<&model::Region> {
        self.m.region_of(c)
    }
    fn flow_name(&self, f: FlowId) -> String {
        self.flow_ix
            .get(&f)
            .map(|&i| md::inline(&self.flows[i].name).into_owned())
            .unwrap_or_default()
    }
    fn comp_name(&self, c: ComponentId) -> String {
        self.comp_ix
            .get(&c)
            .map(|&i| md::inline(&self.components[i].name).into_owned())
            .unwrap_or_default()
    }

    /// Facts about a component in its flows: "flow `flow-4` (Portal), blocks 15, 18, 21, 24".
    fn placement(&self, c: ComponentId) -> Vec<String> {
        self.flows
            .iter()
            .filter_map(|f| {
                let b = f.blocks(c)?;
                Some(format!(
                    "[`{}`] ({}): blocks {}, {}, {}, {}",
                    constant(&f.id.to_string()),
                    md::inline(&f.name),
                    b[0],
                    b[1],
                    b[2],
                    b[3]
                ))
            })
            .collect()
    }

    fn region_line(&self, c: ComponentId) -> String {
        match self.region_of(c) {
            Some(r) => format!(
                "{} (`{}`, components {}–{})",
                md::inline(&r.name),
                r.key,
                r.components.start(),
                r.components.end()
            ),
            None => "none".into(),
        }
    }
}

/// The items of the `ids` module.
pub(super) fn module(s: &Sound<'_>, opts: &Options) -> TokenStream {
    let core = &opts.core_path();
    // Private, so `use ids::*` does not import it; short paths keep big expansions small.
    let mut out = quote!(use #core::__private as __orbit;);
    append(&mut out, orbit_items(s));
    append(&mut out, environments(s));
    append(&mut out, regions(s));
    append(&mut out, flows(s));
    append(&mut out, components(s));
    append(&mut out, microservices(s));
    append(&mut out, resources(s));
    append(&mut out, processes(s));
    append(&mut out, legs(s));
    append(&mut out, events(s));
    append(&mut out, env_modules(s));
    append(&mut out, event_types(s, core));
    out
}

/// The markdown overview for the `ids` module page: tables of flows and components.
pub(super) fn overview(s: &Sound<'_>, display: &str) -> String {
    let mut d = format!(
        "Typed ids of **{}**, generated from `{display}` ({}).\n\n",
        md::inline(&s.m.orbit.name),
        s.m.summary()
    );
    d.push_str("## Flows\n\n| flow | name | components (blocks) | legs |\n|---|---|---|---|\n");
    for f in &s.flows {
        let comps: Vec<String> = f
            .components
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let b = id::blocks(k as u8 + 1);
                format!("`{c}` ({}–{})", b[0], b[3])
            })
            .collect();
        let legs: Vec<String> = s
            .legs
            .iter()
            .filter(|(l, _)| l.flow == f.id)
            .map(|(l, _)| format!("`{}`", l.name))
            .collect();
        let _ = writeln!(
            d,
            "| `{}` | {} | {} | {} |",
            f.id,
            md::cell(&f.name),
            comps.join(", "),
            legs.join(", ")
        );
    }
    d.push_str("\n## Components\n\n| component | name | region | flows | MIDs | RIDs |\n|---|---|---|---|---|---|\n");
    for c in &s.components {
        let flows: Vec<String> = s
            .flows
            .iter()
            .filter(|f| f.components.contains(&c.id))
            .map(|f| format!("`{}`", f.id))
            .collect();
        let mids: Vec<String> = s
            .mids
            .iter()
            .filter(|m| m.id.component == c.id.0)
            .map(|m| format!("`{}`", m.id))
            .collect();
        let rids: Vec<String> = s
            .rids
            .iter()
            .filter(|r| r.0.id.component == c.id.0)
            .map(|r| format!("`{}`", r.0.id))
            .collect();
        let _ = writeln!(
            d,
            "| `{}` | {} | {} | {} | {} | {} |",
            c.id,
            md::cell(&c.name),
            s.region_of(c.id)
                .map(|r| md::cell(&r.name).into_owned())
                .unwrap_or_default(),
            flows.join(", "),
            mids.join(", "),
            rids.join(", ")
        );
    }
    d
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_large_manifest_uses_ranges_not_paths() {
        // Paths per member were the costly form (see `range_table`); a synthetic manifest with
        // many components must take the range form for every component and leg.
        let text = crate::synth::manifest(crate::synth::Size::M);
        let checked = crate::check(&text);
        assert!(checked.diagnostics.is_empty());
        let sound = super::Sound::new(&checked.manifest);
        let src = super::module(&sound, &super::super::Options::default()).to_string();
        for table in ["__MICROSERVICES", "__RESOURCES", "__PARTS"] {
            let at = src.find(&format!("const {table} : & 'static [(u32 , u32)]"));
            assert!(at.is_some(), "{table} is not a range table");
        }
    }
}
