//! Reads a manifest (format v1) and checks every rule, collecting all violations in one pass.
//!
//! Stages: TOML with spans → per-table checks while building the model (shape, ids, steps) →
//! relational checks over the whole model (references, uniqueness, derived names). The
//! model returned alongside the diagnostics holds every entry that is sound enough to
//! generate code from, so a manifest with errors still yields a usable partial model.
//!
//! The rules are laid out by family, one file each, holding the family's checks and each of
//! its codes' documentation (a [`Rule`](crate::rules::Rule) constant, which `orbit explain`
//! prints and whose examples a test checks):
//!
//! | file | codes |
//! |---|---|
//! | [`shape`] | ORB001 TOML, ORB002 unknown keys, ORB003 required keys and types, ORB005 declared twice |
//! | [`file`](mod@file) | ORB004 the manifest file |
//! | [`environments`] | ORB010 cloud and environment codes, ORB011 an environment, ORB012 repository owner and branch |
//! | [`regions`] | ORB020–ORB022 region ranges and names |
//! | [`flows`] | ORB101–ORB105 |
//! | [`components`] | ORB201–ORB204 |
//! | [`endpoints`] | MIDs and RIDs in one generic pass: ORB301–ORB305, ORB401–ORB403, ORB409 |
//! | [`resources`] | ORB404–ORB408 resources and their physical names |
//! | [`legs`] | ORB501–ORB507 legs and their steps |
//! | [`events`] | ORB601–ORB603 |
//! | [`retired`] | ORB701 `retired`, ORB702 `[[waiver]]` |
//!
//! This module holds [`check`], the reading context and the order of the passes.

pub(crate) mod components;
pub(crate) mod endpoints;
pub(crate) mod environments;
pub(crate) mod events;
pub(crate) mod file;
pub(crate) mod flows;
pub(crate) mod legs;
pub(crate) mod regions;
pub(crate) mod resources;
pub(crate) mod retired;
pub(crate) mod shape;

pub use file::{check_file, find_manifest, read_file, special_file_kind, MAX_MANIFEST_BYTES};
pub use shape::keys;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::alloc::next_multiple;
use crate::diag::{Code, Diagnostic, LineIndex};
use crate::id::{
    self, ComponentId, Endpoint, FlowId, IdError, Mid, Pid, ResourceKind, Rid,
    MAX_COMPONENTS_PER_FLOW, MAX_NUMBER,
};
use crate::model::*;
use crate::suggest;
use crate::tree::{self, Entry, Ref, Table, Value};

/// The result of checking a manifest: the (possibly partial) model and every violation.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Every sound entry of the manifest. Complete when `diagnostics` is empty.
    pub manifest: Manifest,
    /// Every violation, ordered by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Whether the manifest breaks no rule.
    pub fn is_ok(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// The model, or every violation.
    pub fn into_result(self) -> Result<Manifest, Vec<Diagnostic>> {
        if self.diagnostics.is_empty() {
            Ok(self.manifest)
        } else {
            Err(self.diagnostics)
        }
    }
}

/// Checks a manifest given as text.
pub fn check(source: &str) -> Checked {
    let mut cx = Cx {
        source,
        diags: Vec::new(),
        manifest: Manifest::default(),
        declared: HashSet::default(),
        listed: HashSet::default(),
        malformed_regions: Vec::new(),
        region_range_broken: false,
    };
    let (tree, errors) = tree::parse(source);
    let fatal = cx.toml_errors(errors);
    if !fatal {
        cx.document(tree.root());
    }
    let mut diagnostics = cx.diags;
    if !diagnostics.is_empty() {
        let index = LineIndex::new(source);
        for d in &mut diagnostics {
            index.locate(d);
        }
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    diagnostics.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
    let mut manifest = cx.manifest;
    if !fatal && !diagnostics.is_empty() {
        manifest.declared = table_keys(tree.root());
    }
    manifest.reindex();
    Checked {
        manifest,
        diagnostics,
    }
}

/// `family.key` of every table below a top-level table (`[microservice.c8bms27]`), and
/// `part.PID` of every `pid` a leg lists.
fn table_keys(root: Table<'_, '_>) -> HashSet<String> {
    let mut out = HashSet::default();
    for (family, _, v) in entries(root, 0..0).iter() {
        let Ref::Table(t) = v.get() else {
            continue;
        };
        for (key, _, lv) in entries(t, 0..0).iter() {
            out.insert(format!("{family}.{key}"));
            if family != "leg" {
                continue;
            }
            let Ref::Table(leg) = lv.get() else {
                continue;
            };
            let Some((_, _, pv)) = entries(leg, 0..0).get("parts") else {
                continue;
            };
            let Ref::Array(parts) = pv.get() else {
                continue;
            };
            for part in parts.iter() {
                if let Ref::Table(p) = part.get() {
                    if let Some((_, _, id)) = entries(p, 0..0).get("pid") {
                        if let Ref::String(pid) = id.get() {
                            out.insert(format!("part.{pid}"));
                        }
                    }
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------

/// A flow's index in the model and its listed components with their spans.
type FlowList = (usize, Vec<(ComponentId, Range<usize>)>);

struct Cx<'s> {
    /// The manifest's text, for quoting a value as written.
    source: &'s str,
    diags: Vec<Diagnostic>,
    manifest: Manifest,
    /// Every MID and RID declared with a well-formed key, sound or not: references to them
    /// are not reported again (the entry's own error says what is wrong).
    declared: HashSet<Endpoint>,
    /// Every component some flow lists, whether or not the model keeps it there (a ninth
    /// component, a flow whose id is malformed): such a component is not "listed in no flow"
    /// (ORB204); the flow's own error says what is wrong.
    listed: HashSet<ComponentId>,
    /// Declaration offsets of the regions whose names are malformed (ORB022).
    malformed_regions: Vec<usize>,
    /// Whether a region was left out because its range is missing or broken (ORB003, ORB020,
    /// ORB022): which component it would hold cannot be judged, so ORB203 is not reported.
    region_range_broken: bool,
}

/// A table's entries with their key spans. Looked up by key without copying; copied and
/// sorted only where document order matters ([`Entries::in_order`]).
struct Entries<'a, 'i> {
    table: Table<'a, 'i>,
    span: Range<usize>,
}

impl<'a, 'i> Entries<'a, 'i> {
    fn get(&self, key: &str) -> Option<Entry<'a, 'i>> {
        self.table.get(key)
    }

    /// The entries in the order their keys first appear (see [`Entries::in_order`] for the
    /// order of the declarations themselves).
    fn iter(&self) -> impl Iterator<Item = Entry<'a, 'i>> + 'a {
        self.table.iter()
    }

    /// The entries in the order the document declares them: by the span of each entry's
    /// defining key, which differs from [`Entries::iter`] for a table a header path implied
    /// before a later header defined it.
    fn in_order(&self) -> Vec<Entry<'a, 'i>> {
        let mut items: Vec<_> = self.iter().collect();
        items.sort_by_key(|(_, s, _)| s.start);
        items
    }

    fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    fn len(&self) -> usize {
        self.table.len()
    }
}

fn entries<'a, 'i>(table: Table<'a, 'i>, span: Range<usize>) -> Entries<'a, 'i> {
    Entries { table, span }
}

fn type_name(v: &Ref<'_, '_>) -> &'static str {
    match v {
        Ref::String(_) => "a string",
        Ref::Integer(_) => "an integer",
        Ref::Float => "a float",
        Ref::Boolean(_) => "a boolean",
        Ref::Datetime => "a date-time",
        Ref::Array(_) => "an array",
        Ref::Table(_) => "a table",
    }
}

/// `text` as an id of type `T`, if it is that id's canonical text.
fn canonical<T: std::str::FromStr + fmt::Display>(text: &str) -> Option<T> {
    text.parse::<T>().ok().filter(|id| id.to_string() == text)
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && s.as_bytes()[0].is_ascii_lowercase()
}

fn kebab_of(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '_' || c == ' ' || c == '-' {
            if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        } else {
            out.push(c);
        }
    }
    out.trim_end_matches('-').to_string()
}

impl Cx<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn id_error(&mut self, code: Code, key_span: Range<usize>, text: &str, e: &IdError) {
        let inner = e.span();
        let start = key_span.start + inner.start.min(text.len());
        let end = (key_span.start + inner.end.min(text.len())).max(start);
        // Key spans may include quotes; only narrow when the text is there verbatim.
        let span = if key_span.len() == text.len() && end > start {
            start..end
        } else {
            key_span.clone()
        };
        let mut msg = format!("malformed {} `{text}`: ", e.kind());
        for (i, p) in e.problems().iter().enumerate() {
            if i > 0 {
                msg.push_str("; ");
            }
            msg.push_str(&p.message);
        }
        let help = match e.suggestion() {
            Some(s) => format!("write `{s}`"),
            None => format!("the form is {}", e.kind().form()),
        };
        self.push(Diagnostic::new(code, span, msg).with_help(help));
    }

    fn document(&mut self, root: Table<'_, '_>) {
        let top = entries(root, 0..0);
        self.known_keys(&top, keys::ROOT, "the manifest");
        let section = |name: &str| top.get(name).map(|(_, s, v)| (s, v));

        let retired = self.orbit(section("orbit").map(|(_, v)| v));
        self.environments(section("environment").map(|(_, v)| v));
        self.regions(section("region").map(|(_, v)| v));
        let flow_lists = section("flow")
            .map(|(_, v)| self.flows(v))
            .unwrap_or_default();
        if let Some((_, v)) = section("component") {
            self.components(v);
        }
        // Components in a region with a malformed name are checked against its range; the
        // region itself is not sound enough to generate names from.
        let malformed = std::mem::take(&mut self.malformed_regions);
        self.manifest
            .regions
            .retain(|r| !malformed.contains(&r.span.start));
        self.flow_components(flow_lists);
        self.unlisted_components();
        if let Some((_, v)) = section("microservice") {
            self.microservices(v, &retired);
        }
        if let Some((_, v)) = section("resource") {
            self.resources(v, &retired);
        }
        if let Some((_, v)) = section("leg") {
            self.legs(v);
        }
        if let Some((_, v)) = section("event") {
            self.events(v);
        }
        if let Some((_, v)) = section("waiver") {
            self.waivers(v);
        }
        self.generated_name_clashes();
    }
}

impl Manifest {
    fn has_endpoint_unindexed(&self, e: Endpoint) -> bool {
        match e {
            Endpoint::Mid(m) => self
                .microservices
                .binary_search_by_key(&(m.component, m.number, m.kind), |x| {
                    (x.id.component, x.id.number, x.id.kind)
                })
                .is_ok(),
            Endpoint::Rid(r) => self.resources.binary_search_by_key(&r, |x| x.id).is_ok(),
        }
    }
}

/// The largest identifier a MID or RID may carry.
pub const MAX_IDENTIFIER: u16 = MAX_NUMBER;

// ---------------------------------------------------------------------------------------------
// Speed: id maps use the Fx hash (see `crate::fxhash`).

use crate::fxhash::{HashMap, HashSet};

/// The number of decimal digits of `n`.
fn decimal_digits(n: u16) -> usize {
    match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        1000..=9999 => 4,
        _ => 5,
    }
}

/// The length of a MID's or RID's canonical text (`c<N><code><NN>`), without formatting it.
fn endpoint_len(ep: Endpoint) -> usize {
    let (component, number) = match ep {
        Endpoint::Mid(m) => (m.component, m.number),
        Endpoint::Rid(r) => (r.component, r.number),
    };
    1 + decimal_digits(component) + 3 + decimal_digits(number).max(2)
}
