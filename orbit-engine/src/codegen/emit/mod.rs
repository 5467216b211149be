//! The model → Rust items of the README's "Typed ids in service code".
//!
//! Every list is emitted in the model's canonical order; look-up tables are sorted by the keys
//! of [`crate::lookup`], or are its [`KeyTable`](crate::lookup::KeyTable)s, filled in the
//! canonical order with a hash defined byte by byte. Nothing here iterates a hash map, so one
//! manifest gives one output. Everything generated is linear in the number of ids: arrays
//! indexed by the variant, sorted tables searched by binary search, key tables of at most twice
//! as many slots as ids, no `match` over pairs of ids.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, ToTokens};

use super::markdown as md;
use super::names::{constant, ident, ident_text, snake, variant};
use super::Options;
use crate::fxhash::{HashMap, HashSet};
use crate::id::{self, ComponentId, Endpoint, FlowId, Mid, RepoKind, ResourceKind, Rid};
use crate::lookup;
use crate::model::{self, Manifest};

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

/// `#[doc = "…"] pub const C8FMS03: Microservice = Microservice::C8fms03;` for every id of one
/// enum, written as source (see [`Options::lexer`]).
struct IdConsts {
    ty: &'static str,
    src: String,
}

impl IdConsts {
    fn new(ty: &'static str) -> Self {
        IdConsts {
            ty,
            src: String::new(),
        }
    }

    fn push(&mut self, doc: &str, constant: &str, variant: &str) {
        self.push_with(|src| push_lit_body(src, doc), constant, variant);
    }

    /// [`IdConsts::push`] with the doc's literal content written by `doc` (with
    /// [`push_lit_body`] for any text that may need escaping).
    fn push_with(&mut self, doc: impl FnOnce(&mut String), constant: &str, variant: &str) {
        let src = &mut self.src;
        src.push_str("#[doc = \"");
        doc(src);
        src.push_str("\"] pub const ");
        src.push_str(&ident_text(constant));
        src.push_str(": ");
        src.push_str(self.ty);
        src.push_str(" = ");
        src.push_str(self.ty);
        src.push_str("::");
        src.push_str(&ident_text(variant));
        src.push_str(";\n");
    }
}

/// Tokens for `src`, Rust source written by this generator (see [`Options::lexer`]). The
/// source is written from ids, names and [`push_lit`] literals only, so it always lexes; if
/// it ever did not, the build fails with an error that says so rather than a panic.
fn source(s: &Sound<'_>, src: &str) -> TokenStream {
    if let Some(tokens) = s.lexer.and_then(|lex| lex(src)) {
        return tokens;
    }
    match src.parse() {
        Ok(tokens) => tokens,
        Err(e) => {
            let msg = format!(
                "orbit: internal error: the generated source does not lex ({e}); please report it with the manifest"
            );
            quote!(::core::compile_error! { #msg })
        }
    }
}

/// Appends `text` to `out` as a Rust string literal with the value `text`, written as
/// `proc_macro::Literal::string` writes it: printable ASCII other than `"` and `\` as it is,
/// every other character as `char::escape_debug` writes it (`\n`, `\"`, `\u{202e}`; printable
/// non-ASCII characters as they are). Runs of plain bytes are copied whole.
fn push_lit(out: &mut String, text: &str) {
    out.push('"');
    push_lit_body(out, text);
    out.push('"');
}

/// Ends the first line of an id's doc written as literal content (`, inserted in a reserved
/// slot` when it is, then `).`) and adds the manifest's `doc` as a paragraph of its own.
fn close_first_line(d: &mut String, inserted: bool, doc: Option<&str>) {
    if inserted {
        d.push_str(", inserted in a reserved slot");
    }
    d.push_str(").\\n\\n");
    if let Some(x) = doc {
        push_lit_body(d, &md::block(x));
        d.push_str("\\n\\n");
    }
}

/// Appends what [`push_lit`] writes between the quotes: a literal's content can be written in
/// pieces, each escaped on its own, without building the whole text first.
fn push_lit_body(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let (mut start, mut i, n) = (0, 0, bytes.len());
    while i < n {
        let b = bytes[i];
        // Plain comparisons only: proc macros run unoptimised, where a call per byte (an
        // iterator adapter, `RangeInclusive::contains`) costs several times this loop.
        #[allow(clippy::manual_range_contains)]
        let plain = b >= b' ' && b < 0x7f && b != b'"' && b != b'\\';
        if plain {
            i += 1;
            continue;
        }
        out.push_str(&text[start..i]);
        // The common escapes directly; anything else as `escape_debug` writes it.
        match b {
            b'\n' => out.push_str("\\n"),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            _ => {
                let c = text[i..]
                    .chars()
                    .next()
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                out.extend(c.escape_debug());
                i += c.len_utf8() - 1;
            }
        }
        i += 1;
        start = i;
    }
    out.push_str(&text[start..]);
}

fn lit(s: &str) -> Literal {
    Literal::string(s)
}

fn doc(s: &str) -> TokenStream {
    let l = lit(s);
    quote!(#[doc = #l])
}

fn idx(i: usize) -> Literal {
    Literal::u32_unsuffixed(i as u32)
}

fn strs<'a>(items: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let l = items.into_iter().map(lit);
    quote!(&[#(#l),*])
}

fn list_code(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One closed enum of the README's "Typed ids in service code" with `ALL`, `as_str`, `Display`, `FromStr` and serde.
struct Closed<'a> {
    name: &'a str,
    what: &'a str,
    doc: String,
    variants: Vec<(String, String)>, // (variant, one-line doc)
    ids: Vec<String>,
    parse: TokenStream,
}

fn closed(s: &Sound<'_>, c: Closed<'_>) -> TokenStream {
    let name = ident(c.name, Span::call_site());
    let d = doc(&c.doc);
    // The variants (with their docs), `ALL` and the tables of names and ids have an entry per
    // id: written as source (see `Options::lexer`).
    let (mut body, mut all, mut names) = (String::new(), List::default(), List::default());
    for (v, vdoc) in &c.variants {
        let v_ident = ident_text(v);
        body.push_str("#[doc = ");
        push_lit(&mut body, vdoc);
        body.push_str("] ");
        body.push_str(&v_ident);
        body.push_str(",\n");
        let path = all.item();
        path.push_str(c.name);
        path.push_str("::");
        path.push_str(&v_ident);
        names.str(v);
    }
    let body = source(s, &body);
    let all = all.array(s);
    let ids = List::of(&c.ids, |l, id| l.str(id)).array(s);
    // Debug prints what `#[derive(Debug)]` would, from a table: the derive's match of one arm
    // per variant costs rustc 16 s and 10 GB at 20,000 variants, and L has 50,000 PIDs.
    let debug_body = if c.variants.is_empty() {
        quote!(let _ = f; match *self {})
    } else {
        let names = names.array(s);
        quote! {
            const VARIANTS: &[&str] = #names;
            f.write_str(VARIANTS[*self as usize])
        }
    };
    let what = lit(c.what);
    let all_doc = doc(&format!("Every declared {}, in canonical order.", c.what));
    let as_str_body = if c.variants.is_empty() {
        quote!(match self {})
    } else {
        quote!(Self::__IDS[self as usize])
    };
    let parse = c.parse;
    quote! {
        #d
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(non_camel_case_types)]
        pub enum #name { #body }

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #debug_body
            }
        }

        impl #name {
            #all_doc
            pub const ALL: &'static [#name] = #all;
            #[doc(hidden)]
            pub const __IDS: &'static [&'static str] = #ids;
            /// What this enum names, for messages: `"MID"`, `"flow"` …
            pub const KIND: &'static str = #what;
            /// The canonical text, as written in the manifest.
            pub const fn as_str(self) -> &'static str {
                #as_str_body
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = __orbit::ParseIdError;
            /// Parses the canonical text; the error names the nearest declared ids.
            fn from_str(text: &str) -> ::core::result::Result<Self, __orbit::ParseIdError> {
                #parse
            }
        }

        __orbit::impl_serde!(#name);
    }
}

/// A `#[doc(hidden)] const` array with one value per variant, and an accessor.
fn table<V: ToTokens>(
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    values: Vec<V>,
    empty: bool,
) -> TokenStream {
    let read = |t: &proc_macro2::Ident| quote!(Self::#t[self as usize]);
    table_method(method, method_doc, ty.clone(), ty, values, read, empty)
}

/// A [`table`] of entries written as source (see [`List`]).
fn table_list(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    list: List,
    empty: bool,
) -> TokenStream {
    let read = |t: &proc_macro2::Ident| quote!(Self::#t[self as usize]);
    table_items(
        method,
        method_doc,
        ty.clone(),
        ty,
        list.array(s),
        read,
        empty,
    )
}

/// The entries of a generated table, written as source and lexed in one call (see
/// [`Options::lexer`]): a table of thousands of entries built token by token costs a proc
/// macro a call into the compiler per token.
#[derive(Default)]
struct List(String);

impl List {
    /// `f` applied to every item, in order.
    fn of<T>(items: impl IntoIterator<Item = T>, mut f: impl FnMut(&mut List, T)) -> List {
        let mut list = List::default();
        for x in items {
            f(&mut list, x);
        }
        list
    }

    /// Starts an entry.
    fn item(&mut self) -> &mut String {
        if !self.0.is_empty() {
            self.0.push_str(", ");
        }
        &mut self.0
    }

    fn int(&mut self, n: u64, suffix: &str) {
        let out = self.item();
        push_int(out, n);
        out.push_str(suffix);
    }

    fn pair(&mut self, a: u64, b: u64) {
        let out = self.item();
        out.push('(');
        push_int(out, a);
        out.push_str(", ");
        push_int(out, b);
        out.push(')');
    }

    fn str(&mut self, text: &str) {
        push_lit(self.item(), text);
    }

    fn opt_str(&mut self, text: Option<&str>) {
        let out = self.item();
        match text {
            Some(t) => {
                out.push_str("Some(");
                push_lit(out, t);
                out.push(')');
            }
            None => out.push_str("None"),
        }
    }

    fn strs<'a>(&mut self, items: impl IntoIterator<Item = &'a str>) {
        let inner = List::of(items, List::str);
        let out = self.item();
        out.push_str("&[");
        out.push_str(&inner.0);
        out.push(']');
    }

    /// `&[…]` of the entries, as tokens.
    fn array(&self, s: &Sound<'_>) -> TokenStream {
        let mut src = String::with_capacity(self.0.len() + 3);
        src.push_str("&[");
        src.push_str(&self.0);
        src.push(']');
        source(s, &src)
    }
}

/// Appends `n` in decimal: what `Literal::u64_unsuffixed(n)` writes.
fn push_int(out: &mut String, n: u64) {
    let _ = write!(out, "{n}");
}

/// A `const fn METHOD(self) -> RET` reading a hidden table `__METHOD: &[ELEM]` of one value
/// per variant with `read` (given the table's name); `match self {}` for an empty enum.
/// Single-token values (literals) are best passed as [`Literal`]s: each `TokenStream` value
/// is a stream of its own that the proc-macro bridge must flush and copy into the table.
fn table_method<V: ToTokens>(
    method: &str,
    method_doc: &str,
    elem: TokenStream,
    ret: TokenStream,
    values: Vec<V>,
    read: impl FnOnce(&proc_macro2::Ident) -> TokenStream,
    empty: bool,
) -> TokenStream {
    let array = quote!(&[#(#values),*]);
    table_items(method, method_doc, elem, ret, array, read, empty)
}

/// [`table_method`] with the table's `&[…]` given whole.
fn table_items(
    method: &str,
    method_doc: &str,
    elem: TokenStream,
    ret: TokenStream,
    array: TokenStream,
    read: impl FnOnce(&proc_macro2::Ident) -> TokenStream,
    empty: bool,
) -> TokenStream {
    let m = ident(method, Span::call_site());
    let t = ident(
        &format!("__{}", method.to_ascii_uppercase()),
        Span::call_site(),
    );
    let d = doc(method_doc);
    let body = if empty {
        quote!(match self {})
    } else {
        read(&t)
    };
    quote! {
        #[doc(hidden)]
        pub const #t: &'static [#elem] = #array;
        #d
        pub const fn #m(self) -> #ret { #body }
    }
}

/// A method returning a value of another closed enum, from a table of indexes into its `ALL`:
/// integers keep big expansions light for the compiler, where a path per entry is resolved
/// and type-checked one by one.
fn index_table(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    indexes: Vec<u32>,
    empty: bool,
) -> TokenStream {
    let values = List::of(indexes, |l, i| l.int(i.into(), ""));
    let read = |t: &proc_macro2::Ident| quote!(#ty::ALL[Self::#t[self as usize] as usize]);
    table_items(
        method,
        method_doc,
        quote!(u32),
        ty.clone(),
        values.array(s),
        read,
        empty,
    )
}

/// [`index_table`] when every entry has an index, otherwise (never for a sound manifest) a
/// [`table`] of the paths `paths` gives.
fn ref_table(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    indexes: Option<Vec<u32>>,
    paths: impl FnOnce() -> Vec<TokenStream>,
    empty: bool,
) -> TokenStream {
    match indexes {
        Some(ix) => index_table(s, method, method_doc, ty, ix, empty),
        None => table(method, method_doc, ty, paths(), empty),
    }
}

/// The half-open range `[start, end)` of `positions` when they are consecutive and ascending
/// (members listed in the other enum's canonical order), `None` otherwise.
fn run(positions: impl IntoIterator<Item = usize>) -> Option<(u32, u32)> {
    let mut it = positions.into_iter();
    let Some(first) = it.next() else {
        return Some((0, 0));
    };
    let mut end = first + 1;
    for p in it {
        if p != end {
            return None;
        }
        end += 1;
    }
    Some((u32::try_from(first).ok()?, u32::try_from(end).ok()?))
}

/// A method returning a slice of another closed enum's `ALL`, from a table of `(start, end)`
/// ranges: members listed in canonical order are a run of `ALL`, so one pair of integers per
/// entry replaces a path per member (50,000 `Process::…` paths for the legs of L, which rustc
/// resolves, type-checks and validates against every variant). Falls back to a [`table`] of the
/// paths `paths` gives when some entry is not a run (never for a sound manifest).
fn range_table(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    ranges: Option<Vec<(u32, u32)>>,
    paths: impl FnOnce() -> Vec<TokenStream>,
    empty: bool,
) -> TokenStream {
    let Some(ranges) = ranges else {
        return table(method, method_doc, quote!(&'static [#ty]), paths(), empty);
    };
    let values = List::of(ranges, |l, (a, b)| l.pair(a.into(), b.into()));
    let read = |t: &proc_macro2::Ident| {
        quote! {
            let (start, end) = Self::#t[self as usize];
            #ty::ALL.split_at(start as usize).1.split_at((end - start) as usize).0
        }
    };
    table_items(
        method,
        method_doc,
        quote!((u32, u32)),
        quote!(&'static [#ty]),
        values.array(s),
        read,
        empty,
    )
}

/// A [`range_table`] of each component's members among `items` (MIDs or RIDs, in their
/// enum's canonical order), found by `component` (the member's component number).
fn component_members<T>(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    items: &[T],
    component: impl Fn(&T) -> u16,
    path: impl Fn(&T) -> TokenStream,
) -> TokenStream {
    let runs = s
        .components
        .iter()
        .map(|c| {
            run(items
                .iter()
                .enumerate()
                .filter(|(_, x)| component(x) == c.id.0)
                .map(|(i, _)| i))
        })
        .collect::<Option<Vec<_>>>();
    let paths = || {
        s.components
            .iter()
            .map(|c| {
                let p = items.iter().filter(|x| component(x) == c.id.0).map(&path);
                quote!(&[#(#p),*])
            })
            .collect()
    };
    range_table(
        s,
        method,
        method_doc,
        ty,
        runs,
        paths,
        s.components.is_empty(),
    )
}

/// The top bit of an [`end_table`] entry: the index is into `Resource::ALL`.
const END_RESOURCE: u32 = 1 << 31;

/// A step's start or end ([`index_table`] for `ProcessEnd`): an index into
/// `Microservice::ALL`, or into `Resource::ALL` with [`END_RESOURCE`] set. Falls back to a
/// table of paths if an end has no index (never for a sound manifest).
fn end_table(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ends: impl Iterator<Item = Endpoint> + Clone,
    empty: bool,
) -> TokenStream {
    let Some(indexes) = ends
        .clone()
        .map(|e| s.end_index(e))
        .collect::<Option<Vec<u32>>>()
    else {
        let paths = ends.map(|e| s.end_path(e)).collect();
        return table(method, method_doc, quote!(ProcessEnd), paths, empty);
    };
    let values = List::of(indexes, |l, i| l.int(i.into(), ""));
    let read = |t: &proc_macro2::Ident| {
        quote! {
            let x = Self::#t[self as usize];
            if x & #END_RESOURCE == 0 {
                ProcessEnd::Microservice(Microservice::ALL[x as usize])
            } else {
                ProcessEnd::Resource(Resource::ALL[(x & !#END_RESOURCE) as usize])
            }
        }
    };
    table_items(
        method,
        method_doc,
        quote!(u32),
        quote!(ProcessEnd),
        values.array(s),
        read,
        empty,
    )
}

/// `id()` decoded from one integer key per variant (see [`crate::lookup`]): a `u64` per id
/// instead of a struct literal keeps big expansions small.
fn key_table(
    s: &Sound<'_>,
    method_doc: &str,
    ty: TokenStream,
    decode: TokenStream,
    keys: Vec<u64>,
    empty: bool,
) -> TokenStream {
    let d = doc(method_doc);
    let k = List::of(keys, |l, k| l.int(k, "")).array(s);
    let body = if empty {
        quote!(match self {})
    } else {
        quote!(__orbit::lookup::#decode(Self::__KEY[self as usize]))
    };
    quote! {
        #[doc(hidden)]
        pub const __KEY: &'static [u64] = #k;
        #d
        pub const fn id(self) -> #ty { #body }
    }
}

fn keyed_index(mut keys: Vec<(u64, usize)>) -> TokenStream {
    keys.sort_unstable();
    let k = keys.iter().map(|(k, i)| {
        let k = Literal::u64_unsuffixed(*k);
        let i = idx(*i);
        quote!((#k, #i))
    });
    quote!(&[#(#k),*])
}

fn named_index(mut names: Vec<(String, usize)>) -> TokenStream {
    names.sort();
    let k = names.iter().map(|(k, i)| {
        let k = lit(k);
        let i = idx(*i);
        quote!((#k, #i))
    });
    quote!(&[#(#k),*])
}

fn parse_keyed(ty: TokenStream, key: TokenStream, index: TokenStream) -> TokenStream {
    quote! {
        const INDEX: &[(u64, u32)] = #index;
        __orbit::parse_keyed::<Self, #ty>(text, Self::KIND, #key, INDEX, Self::ALL, Self::__IDS)
    }
}

/// `FromStr` through a [`lookup::KeyTable`] of the texts' [`lookup::hash`]es: one hash, usually
/// one probe, one comparison with the declared text; the structural parse (`ty`) only runs,
/// out of line, to explain a text that is not declared.
fn parse_hashed(s: &Sound<'_>, ty: TokenStream, ids: &[String]) -> TokenStream {
    let hashes: Vec<u64> = ids.iter().map(|t| lookup::hash(t)).collect();
    let table = key_table_lit(s, &hashes);
    quote! {
        const TABLE: __orbit::lookup::KeyTable<'static> = #table;
        __orbit::parse_hashed::<Self, #ty>(text, Self::KIND, &TABLE, Self::ALL, Self::__IDS)
    }
}

/// A `KeyTable` literal over `hashes` (see [`lookup::key_table`]).
fn key_table_lit(s: &Sound<'_>, hashes: &[u64]) -> TokenStream {
    let (bits, slots) = lookup::key_table(hashes);
    let bits = Literal::u32_unsuffixed(bits);
    let slots = List::of(slots, |l, x| l.int(x.into(), "")).array(s);
    quote!(__orbit::lookup::KeyTable { bits: #bits, slots: #slots })
}

fn parse_named(index: TokenStream) -> TokenStream {
    quote! {
        const INDEX: &[(&str, u32)] = #index;
        __orbit::parse_named(text, Self::KIND, INDEX, Self::ALL, Self::__IDS)
    }
}

fn kind_lit(k: ResourceKind) -> TokenStream {
    match k {
        ResourceKind::Dynamodb => quote!(__orbit::ResourceKind::Dynamodb),
        ResourceKind::S3 => quote!(__orbit::ResourceKind::S3),
        ResourceKind::Mysql => quote!(__orbit::ResourceKind::Mysql),
    }
}

fn repo_kind_lit(k: RepoKind) -> TokenStream {
    let v = ident(&format!("{k:?}"), Span::call_site());
    quote!(__orbit::RepoKind::#v)
}

fn flow_variant(f: FlowId) -> String {
    format!("Flow{}", f.0)
}

fn comp_variant(c: ComponentId) -> String {
    format!("C{}", c.0)
}

/// The enum variant of an id (`C8fms03` for `c8fms03`).
fn id_variant(id: impl std::fmt::Display) -> proc_macro2::Ident {
    ident(&variant(&id.to_string()), Span::call_site())
}

fn opt_str(s: Option<&str>) -> OptStr {
    OptStr(s.map(lit))
}

/// `Some("…")` or `None`, appended as token trees: in a table of thousands of entries this
/// avoids a `quote!` stream per entry (see [`table_method`]).
struct OptStr(Option<Literal>);

impl ToTokens for OptStr {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        use proc_macro2::{Delimiter, Group, Ident, TokenTree};
        match &self.0 {
            Some(l) => {
                tokens.extend([
                    TokenTree::Ident(Ident::new("Some", Span::call_site())),
                    TokenTree::Group(Group::new(
                        Delimiter::Parenthesis,
                        TokenStream::from(TokenTree::Literal(l.clone())),
                    )),
                ]);
            }
            None => tokens.extend([TokenTree::Ident(Ident::new("None", Span::call_site()))]),
        }
    }
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
    /// with the top bit set (see [`end_table`]); `None` if it is not generated.
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

fn orbit_items(s: &Sound<'_>) -> TokenStream {
    let o = &s.m.orbit;
    let name = lit(&o.name);
    let cloud = lit(&o.cloud);
    let owner = opt_str(o.repository_owner.as_deref());
    let branch = opt_str(o.repository_branch.as_deref());
    let d = doc(&format!(
        "The `[orbit]` table of the manifest: {} on `{}`.",
        md::inline(&o.name),
        md::inline(&o.cloud)
    ));
    quote! {
        #d
        pub mod orbit {
            /// The application's name.
            pub const NAME: &str = #name;
            /// The cloud code at the end of every physical and repository name.
            pub const CLOUD: &str = #cloud;
            /// The owner of the flow repositories.
            pub const REPOSITORY_OWNER: Option<&str> = #owner;
            /// The branch repository URLs point at.
            pub const REPOSITORY_BRANCH: Option<&str> = #branch;
        }
    }
}

fn environments(s: &Sound<'_>) -> TokenStream {
    let variants = s
        .envs
        .iter()
        .map(|e| {
            (
                variant(&e.code),
                format!(
                    "`{}`: {}.",
                    e.code,
                    e.name.as_deref().unwrap_or("(no name)")
                ),
            )
        })
        .collect();
    let ids: Vec<String> = s.envs.iter().map(|e| e.code.clone()).collect();
    let index = named_index(
        ids.iter()
            .cloned()
            .enumerate()
            .map(|(i, c)| (c, i))
            .collect(),
    );
    let mut t = closed(
        s,
        Closed {
            name: "Environment",
            what: "environment",
            doc: format!(
                "The environments of the manifest ({}): the `<env>` part of every physical and repository name.",
                list_code(&ids)
            ),
            variants,
            ids,
            parse: parse_named(index),
        });
    let empty = s.envs.is_empty();
    let names = s.envs.iter().map(|e| opt_str(e.name.as_deref())).collect();
    let docs = s.envs.iter().map(|e| opt_str(e.doc.as_deref())).collect();
    let name = table(
        "name",
        "The environment's name, such as \"development\".",
        quote!(Option<&'static str>),
        names,
        empty,
    );
    let docs = table(
        "doc",
        "The manifest's `doc` of the environment.",
        quote!(Option<&'static str>),
        docs,
        empty,
    );
    append(
        &mut t,
        quote! {
            impl Environment {
                /// The environment code (`k8d`); the same as [`Environment::as_str`].
                pub const fn code(self) -> &'static str { self.as_str() }
                #name
                #docs
            }
        },
    );
    t
}

fn regions(s: &Sound<'_>) -> TokenStream {
    let variants = s
        .regions
        .iter()
        .zip(&s.region_variants)
        .map(|(r, v)| {
            (
                v.clone(),
                format!(
                    "`{}`: {}, components {}–{}.",
                    r.key,
                    md::inline(&r.name),
                    r.components.start(),
                    r.components.end()
                ),
            )
        })
        .collect();
    let ids: Vec<String> = s.regions.iter().map(|r| r.key.clone()).collect();
    let index = named_index(
        ids.iter()
            .cloned()
            .enumerate()
            .map(|(i, c)| (c, i))
            .collect(),
    );
    let mut t = closed(
        s,
        Closed {
            name: "Region",
            what: "region",
            doc: "The regions of the manifest: each holds a range of component numbers.".into(),
            variants,
            ids,
            parse: parse_named(index),
        },
    );
    let empty = s.regions.is_empty();
    let names = s
        .regions
        .iter()
        .map(|r| lit(&r.name).into_token_stream())
        .collect();
    let ranges = s
        .regions
        .iter()
        .map(|r| {
            let (a, b) = (*r.components.start(), *r.components.end());
            quote!((#a, #b))
        })
        .collect();
    let docs = s
        .regions
        .iter()
        .map(|r| opt_str(r.doc.as_deref()))
        .collect();
    let name = table(
        "name",
        "The region's name, such as \"N. Virginia\".",
        quote!(&'static str),
        names,
        empty,
    );
    let range = table(
        "components",
        "The inclusive range of component numbers: `(1, 100)`.",
        quote!((u16, u16)),
        ranges,
        empty,
    );
    let docs = table(
        "doc",
        "The manifest's `doc` of the region.",
        quote!(Option<&'static str>),
        docs,
        empty,
    );
    append(&mut t, quote!(impl Region { #name #range #docs }));
    t
}

fn flows(s: &Sound<'_>) -> TokenStream {
    let variants = s
        .flows
        .iter()
        .map(|f| {
            (
                flow_variant(f.id),
                format!("`{}`: {}.", f.id, md::inline(&f.name)),
            )
        })
        .collect();
    let ids: Vec<String> = s.flows.iter().map(|f| f.id.to_string()).collect();
    let index = keyed_index(
        s.flows
            .iter()
            .enumerate()
            .map(|(i, f)| (u64::from(f.id.0), i))
            .collect(),
    );
    let mut t = closed(
        s,
        Closed {
            name: "Flow",
            what: "flow",
            doc: "The flows of the manifest, by number.".into(),
            variants,
            ids,
            parse: parse_keyed(quote!(__orbit::FlowId), quote!(|f| u64::from(f.0)), index),
        },
    );
    let empty = s.flows.is_empty();
    let idl = s
        .flows
        .iter()
        .map(|f| {
            let n = f.id.0;
            quote!(__orbit::FlowId(#n))
        })
        .collect();
    let names = s
        .flows
        .iter()
        .map(|f| lit(&f.name).into_token_stream())
        .collect();
    let docs = s.flows.iter().map(|f| opt_str(f.doc.as_deref())).collect();
    let comps = s
        .flows
        .iter()
        .map(|f| {
            let c = f
                .components
                .iter()
                .filter(|c| s.comp_ix.contains_key(c))
                .map(|&c| s.comp_path(c));
            quote!(&[#(#c),*])
        })
        .collect();
    let legs = s
        .flows
        .iter()
        .map(|f| {
            let l = s.legs.iter().filter(|(l, _)| l.flow == f.id).map(|(l, _)| {
                let v = ident(&variant(&l.name), Span::call_site());
                quote!(Leg::#v)
            });
            quote!(&[#(#l),*])
        })
        .collect();
    let repos = s
        .flows
        .iter()
        .map(|f| {
            let fp = s.flow_path(f.id);
            let r = s.m.repositories(f.id).into_iter().filter_map(|r| {
                let k = repo_kind_lit(r.kind);
                let env = ident(&variant(&r.env), Span::call_site());
                let name = lit(&r.name);
                let url = opt_str(r.url.as_deref());
                s.envs.iter().any(|e| e.code == r.env).then(|| {
                    quote!(Repository { flow: #fp, kind: #k, env: Environment::#env, name: #name, url: #url })
                })
            });
            quote!(&[#(#r),*])
        })
        .collect();
    let id = table(
        "id",
        "The parsed flow id.",
        quote!(__orbit::FlowId),
        idl,
        empty,
    );
    let name = table(
        "name",
        "The flow's name, such as \"ChartStore\".",
        quote!(&'static str),
        names,
        empty,
    );
    let docs = table(
        "doc",
        "The manifest's `doc` of the flow.",
        quote!(Option<&'static str>),
        docs,
        empty,
    );
    let comps = table(
        "components",
        "The flow's components in order; the order fixes their blocks.",
        quote!(&'static [Component]),
        comps,
        empty,
    );
    let legs = table(
        "legs",
        "The legs of the flow, as declared.",
        quote!(&'static [Leg]),
        legs,
        empty,
    );
    let repos = table(
        "repositories",
        "The six flow repositories in every environment (kind by kind, environments as declared).",
        quote!(&'static [Repository]),
        repos,
        empty,
    );
    append(
        &mut t,
        quote! {
            impl Flow {
                #id
                /// The flow number (16 for `flow-16`).
                pub const fn number(self) -> u16 { self.id().0 }
                #name
                #docs
                #comps
                #legs
                #repos
                /// The repository of one kind in one environment.
                pub fn repository(self, kind: __orbit::RepoKind, env: Environment) -> Option<&'static Repository> {
                    self.repositories().iter().find(|r| r.kind == kind && r.env == env)
                }
            }

            /// A flow repository in one environment: `flow-4-infrastructure-rep-k8d-aws`.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct Repository {
                /// The flow.
                pub flow: Flow,
                /// Which of the six kinds.
                pub kind: __orbit::RepoKind,
                /// The environment.
                pub env: Environment,
                /// `flow-4-infrastructure-rep-k8d-aws`.
                pub name: &'static str,
                /// `https://github.com/<owner>/<name>/tree/<branch>`, when the manifest names an owner.
                pub url: Option<&'static str>,
            }
        },
    );
    for f in &s.flows {
        let c = ident(&constant(&f.id.to_string()), Span::call_site());
        let p = s.flow_path(f.id);
        let comps: Vec<String> = f
            .components
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let b = id::blocks(k as u8 + 1);
                format!(
                    "[`{}`] {} (blocks {}, {}, {}, {})",
                    comp_variant(*c),
                    s.comp_name(*c),
                    b[0],
                    b[1],
                    b[2],
                    b[3]
                )
            })
            .collect();
        let mut d = format!("`{}`: **{}**", f.id, md::inline(&f.name));
        if f.inserted {
            d.push_str(" (inserted in a reserved slot)");
        }
        d.push_str(".\n\n");
        if let Some(x) = &f.doc {
            let _ = write!(d, "{}\n\n", md::block(x));
        }
        let _ = writeln!(d, "- Components in order: {}", comps.join("; "));
        let legs: Vec<String> = s
            .legs
            .iter()
            .filter(|(l, _)| l.flow == f.id)
            .map(|(l, _)| format!("[`{}`]", constant(&l.name)))
            .collect();
        if !legs.is_empty() {
            let _ = writeln!(d, "- Legs: {}", legs.join(", "));
        }
        if let Some(e) = s.envs.first() {
            let _ = writeln!(
                d,
                "- Repositories ({}): {}",
                e.code,
                RepoKind::ALL
                    .iter()
                    .map(|k| format!(
                        "`{}`",
                        id::repository_name(f.id, *k, &e.code, &s.m.orbit.cloud)
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let d = doc(&d);
        append(&mut t, quote!(#d pub const #c: Flow = #p;));
    }
    t
}

fn components(s: &Sound<'_>) -> TokenStream {
    let variants = s
        .components
        .iter()
        .map(|c| {
            (
                comp_variant(c.id),
                format!("`{}`: {}.", c.id, md::inline(&c.name)),
            )
        })
        .collect();
    let ids: Vec<String> = s.components.iter().map(|c| c.id.to_string()).collect();
    let index = keyed_index(
        s.components
            .iter()
            .enumerate()
            .map(|(i, c)| (u64::from(c.id.0), i))
            .collect(),
    );
    let mut t = closed(
        s,
        Closed {
            name: "Component",
            what: "component",
            doc: "The components of the manifest, by number (written `C20` in prose).".into(),
            variants,
            ids,
            parse: parse_keyed(
                quote!(__orbit::ComponentId),
                quote!(|c| u64::from(c.0)),
                index,
            ),
        },
    );
    let empty = s.components.is_empty();
    let idl = s
        .components
        .iter()
        .map(|c| {
            let n = c.id.0;
            quote!(__orbit::ComponentId(#n))
        })
        .collect();
    let names = s
        .components
        .iter()
        .map(|c| lit(&c.name).into_token_stream())
        .collect();
    let docs = s
        .components
        .iter()
        .map(|c| opt_str(c.doc.as_deref()))
        .collect();
    let flows = s
        .components
        .iter()
        .map(|c| {
            let f = s
                .flows
                .iter()
                .filter(|f| f.components.contains(&c.id))
                .map(|f| s.flow_path(f.id));
            quote!(&[#(#f),*])
        })
        .collect();
    let regions = s
        .components
        .iter()
        .map(|c| {
            let r = s
                .region_of(c.id)
                .and_then(|r| s.region_ix.get(&r.key))
                .map(|&i| {
                    let v = ident(&s.region_variants[i], Span::call_site());
                    quote!(Region::#v)
                });
            r.unwrap_or_default()
        })
        .collect();
    let id = table(
        "id",
        "The parsed component id.",
        quote!(__orbit::ComponentId),
        idl,
        empty,
    );
    let name = table(
        "name",
        "The component's name.",
        quote!(&'static str),
        names,
        empty,
    );
    let docs = table(
        "doc",
        "The manifest's `doc` of the component.",
        quote!(Option<&'static str>),
        docs,
        empty,
    );
    let flows = table(
        "flows",
        "The flows that list the component, by number.",
        quote!(&'static [Flow]),
        flows,
        empty,
    );
    let region = table(
        "region",
        "The region whose range holds the component's number.",
        quote!(Region),
        regions,
        empty,
    );
    let mids = component_members(
        s,
        "microservices",
        "The component's microservices (one numbering sequence across fms and bms).",
        quote!(Microservice),
        &s.mids,
        |m| m.id.component,
        |m| s.mid_path(m.id),
    );
    let rids = component_members(
        s,
        "resources",
        "The component's resources.",
        quote!(Resource),
        &s.rids,
        |r| r.0.id.component,
        |r| s.rid_path(r.0.id),
    );
    append(
        &mut t,
        quote! {
            impl Component {
                #id
                /// The component number (20 for `c20`).
                pub const fn number(self) -> u16 { self.id().0 }
                #name
                #docs
                #flows
                #region
                #mids
                #rids
                /// The blocks the component reserves in `flow`, by its position there
                /// (`12(k-1)+3, +6, +9, +12`); `None` when the flow does not list it.
                pub fn blocks(self, flow: Flow) -> Option<[u8; 4]> {
                    let k = flow.components().iter().position(|&c| c == self)?;
                    ::core::option::Option::Some(__orbit::blocks(k as u8 + 1))
                }
            }
        },
    );
    for c in &s.components {
        let k = ident(&comp_variant(c.id), Span::call_site());
        let mut d = format!(
            "`{}` (`C{}` in prose): **{}**",
            c.id,
            c.id.0,
            md::inline(&c.name)
        );
        if c.inserted {
            d.push_str(" (inserted in a reserved slot)");
        }
        d.push_str(".\n\n");
        if let Some(x) = &c.doc {
            let _ = write!(d, "{}\n\n", md::block(x));
        }
        let _ = writeln!(d, "- Region: {}", s.region_line(c.id));
        for p in s.placement(c.id) {
            let _ = writeln!(d, "- Flow {p}");
        }
        let d = doc(&d);
        append(&mut t, quote!(#d pub const #k: Component = Component::#k;));
    }
    t
}

fn microservices(s: &Sound<'_>) -> TokenStream {
    let variants = s
        .mids
        .iter()
        .map(|m| {
            (
                variant(&m.id.to_string()),
                format!("`{}`: {}.", m.id, md::inline(&m.name)),
            )
        })
        .collect();
    let ids: Vec<String> = s.mids.iter().map(|m| m.id.to_string()).collect();
    let parse = parse_hashed(s, quote!(__orbit::Mid), &ids);
    let mut t = closed(
        s,
        Closed {
            name: "Microservice",
            what: "MID",
            doc: "The microservices (MIDs) of the manifest, by component then identifier.".into(),
            variants,
            ids,
            parse,
        },
    );
    let empty = s.mids.is_empty();
    let keys = s.mids.iter().map(|m| lookup::mid_key(m.id)).collect();
    let names = List::of(&s.mids, |l, m| l.str(&m.name));
    let docs = List::of(&s.mids, |l, m| l.opt_str(m.doc.as_deref()));
    let roles = List::of(&s.mids, |l, m| l.strs(m.roles.iter().map(String::as_str)));
    let comps: Option<Vec<u32>> = s
        .mids
        .iter()
        .map(|m| s.comp_index(m.id.component_id()))
        .collect();
    let id = key_table(
        s,
        "The parsed MID: component number, frontend or backend, identifier.",
        quote!(__orbit::Mid),
        quote!(mid_of_key),
        keys,
        empty,
    );
    let name = table_list(
        s,
        "name",
        "The microservice's name, such as \"Portal Search Logic\".",
        quote!(&'static str),
        names,
        empty,
    );
    let docs = table_list(
        s,
        "doc",
        "The manifest's `doc` of the microservice.",
        quote!(Option<&'static str>),
        docs,
        empty,
    );
    let roles = table_list(
        s,
        "roles",
        "The roles the microservice serves, as declared.",
        quote!(&'static [&'static str]),
        roles,
        empty,
    );
    let comps = ref_table(
        s,
        "component",
        "The component the microservice belongs to.",
        quote!(Component),
        comps,
        || {
            s.mids
                .iter()
                .map(|m| s.comp_path(m.id.component_id()))
                .collect()
        },
        empty,
    );
    append(
        &mut t,
        quote! {
            impl Microservice {
                #id
                #name
                #docs
                #roles
                #comps
                /// Frontend (`fms`) or backend (`bms`).
                pub const fn service_kind(self) -> __orbit::ServiceKind { self.id().kind }
                /// The functional identifier (3 for `c8fms03`).
                pub const fn number(self) -> u16 { self.id().number }
            }
        },
    );
    let mut items = IdConsts::new("Microservice");
    for m in &s.mids {
        let c = constant(&m.id.to_string());
        let v = variant(&m.id.to_string());
        let mut d = format!(
            "`{}`: **{}** ({} microservice",
            m.id,
            md::inline(&m.name),
            m.id.kind.describe()
        );
        if m.inserted {
            d.push_str(", inserted in a reserved slot");
        }
        d.push_str(").\n\n");
        if let Some(x) = &m.doc {
            let _ = write!(d, "{}\n\n", md::block(x));
        }
        if !m.roles.is_empty() {
            let _ = writeln!(d, "- Roles: {}", md::inline(&m.roles.join(", ")));
        }
        let comp = m.id.component_id();
        let _ = writeln!(
            d,
            "- Component: [`{}`] ({})",
            comp_variant(comp),
            s.comp_name(comp)
        );
        let _ = writeln!(d, "- Region: {}", s.region_line(comp));
        for p in s.placement(comp) {
            let _ = writeln!(d, "- Flow {p}");
        }
        items.push(&d, &c, v.as_str());
    }
    append(&mut t, source(s, &items.src));
    t
}

fn resources(s: &Sound<'_>) -> TokenStream {
    let variants = s
        .rids
        .iter()
        .map(|(r, _)| {
            (
                variant(&r.id.to_string()),
                format!(
                    "`{}`: {} ({}).",
                    r.id,
                    md::inline(&r.name),
                    r.kind.describe()
                ),
            )
        })
        .collect();
    let ids: Vec<String> = s.rids.iter().map(|r| r.0.id.to_string()).collect();
    let parse = parse_hashed(s, quote!(__orbit::Rid), &ids);
    let mut t = closed(
        s,
        Closed {
            name: "Resource",
            what: "RID",
            doc: "The backend resources (RIDs) of the manifest, by component then identifier."
                .into(),
            variants,
            ids,
            parse,
        },
    );
    let empty = s.rids.is_empty();
    let keys = s.rids.iter().map(|r| lookup::rid_key(r.0.id)).collect();
    let names = List::of(&s.rids, |l, r| l.str(&r.0.name));
    let docs = List::of(&s.rids, |l, r| l.opt_str(r.0.doc.as_deref()));
    let kinds = s.rids.iter().map(|r| kind_lit(r.0.kind)).collect();
    let comps: Option<Vec<u32>> = s
        .rids
        .iter()
        .map(|r| s.comp_index(r.0.id.component_id()))
        .collect();
    let flows: Option<Vec<u32>> = s.rids.iter().map(|r| s.flow_index(r.1)).collect();
    let serials = List::of(&s.rids, |l, r| l.str(&id::serial(r.1, r.0.id)));
    let id = key_table(
        s,
        "The parsed RID: component number and identifier.",
        quote!(__orbit::Rid),
        quote!(rid_of_key),
        keys,
        empty,
    );
    let name = table_list(
        s,
        "name",
        "The descriptive name (`user-input-manifest-data`), the first part of every physical name.",
        quote!(&'static str),
        names,
        empty,
    );
    let docs = table_list(
        s,
        "doc",
        "The manifest's `doc` of the resource.",
        quote!(Option<&'static str>),
        docs,
        empty,
    );
    let kinds = table(
        "kind",
        "DynamoDB, S3 or MySQL.",
        quote!(__orbit::ResourceKind),
        kinds,
        empty,
    );
    let comps = ref_table(
        s,
        "component",
        "The component the resource belongs to.",
        quote!(Component),
        comps,
        || {
            s.rids
                .iter()
                .map(|r| s.comp_path(r.0.id.component_id()))
                .collect()
        },
        empty,
    );
    let flows = ref_table(
        s,
        "flow",
        "The flow whose number starts the serial.",
        quote!(Flow),
        flows,
        || s.rids.iter().map(|r| s.flow_path(r.1)).collect(),
        empty,
    );
    let serials = table_list(
        s,
        "serial",
        "The serial: flow number then identifier as written (`1606`).",
        quote!(&'static str),
        serials,
        empty,
    );
    let arms = s.envs.iter().map(|e| {
        let v = ident(&variant(&e.code), Span::call_site());
        let m = snake(&e.code, Span::call_site());
        quote!(Environment::#v => #m::__NAMES[self as usize],)
    });
    let phys_body = if empty {
        quote!({
            let _ = env;
            match self {}
        })
    } else {
        quote!(match env { #(#arms)* })
    };
    // Every physical name, resource by resource then environment by environment: entry
    // `r * envs + e` is resource `r` in environment `e`.
    let mut physical = Vec::new();
    for ri in 0..s.rids.len() {
        for ei in 0..s.envs.len() {
            physical.push(lookup::hash(s.physical(ri, ei)));
        }
    }
    let from_physical_body = if physical.is_empty() {
        quote!({
            let _ = name;
            None
        })
    } else {
        let table = key_table_lit(s, &physical);
        let envs = Literal::usize_unsuffixed(s.envs.len());
        quote!({
            const TABLE: __orbit::lookup::KeyTable<'static> = #table;
            const ENVS: usize = #envs;
            let at = |i: usize| (Self::ALL[i / ENVS], Environment::ALL[i % ENVS]);
            let i = TABLE.find(__orbit::lookup::hash(name), |i| {
                let (r, env) = at(i);
                r.physical_name(env) == name
            })?;
            Some(at(i))
        })
    };
    append(
        &mut t,
        quote! {
            impl Resource {
                #id
                #name
                #docs
                #kinds
                #comps
                #flows
                #serials
                /// The physical name in one environment:
                /// `user-input-manifest-data-1606-tbl-k8d-aws`. The same strings as the per-environment modules (`ids::k8d::C20BRE06`).
                pub const fn physical_name(self, env: Environment) -> &'static str {
                    #phys_body
                }
                /// The resource and environment a physical name belongs to: `None` unless the text
                /// is exactly one of the names [`Resource::physical_name`] gives. Hashes the text
                /// and finds it in a table written at compile time (no allocation, usually one
                /// probe), then compares it with that name.
                pub fn from_physical_name(name: &str) -> Option<(Resource, Environment)>
                    #from_physical_body
            }
        },
    );
    let mut items = IdConsts::new("Resource");
    for (ri, (r, f)) in s.rids.iter().enumerate() {
        let text = r.id.to_string();
        let comp = r.id.component_id();
        // The doc is written straight into the literal (as for PIDs): the manifest's texts
        // through `push_lit_body`, `\n` as the escape the literal holds.
        items.push_with(
            |d| {
                d.push('`');
                d.push_str(&text);
                d.push_str("`: **");
                push_lit_body(d, &md::inline(&r.name));
                d.push_str("** (");
                d.push_str(r.kind.describe());
                close_first_line(d, r.inserted, r.doc.as_deref());
                d.push_str("- Component: [`");
                d.push_str(&comp_variant(comp));
                d.push_str("`] (");
                push_lit_body(d, &s.comp_name(comp));
                d.push_str(")\\n- Flow: [`");
                d.push_str(&constant(&f.to_string()));
                d.push_str("`] (");
                push_lit_body(d, &s.flow_name(*f));
                d.push_str("), serial `");
                d.push_str(&id::serial(*f, r.id));
                d.push_str("`\\n- Region: ");
                push_lit_body(d, &s.region_line(comp));
                d.push_str("\\n- Physical names:\\n");
                for (ei, e) in s.envs.iter().enumerate() {
                    d.push_str("  - `");
                    push_lit_body(d, &e.code);
                    d.push_str("`: `");
                    push_lit_body(d, s.physical(ri, ei));
                    d.push_str("`\\n");
                }
            },
            &constant(&text),
            &variant(&text),
        );
    }
    append(&mut t, source(s, &items.src));
    t
}

fn processes(s: &Sound<'_>) -> TokenStream {
    let procs: Vec<_> = s.processes().collect();
    // Each PID's text and variant, formatted once for the several items that name them.
    let ids: Vec<String> = procs.iter().map(|p| p.2.pid.to_string()).collect();
    let vnames: Vec<String> = ids.iter().map(|t| variant(t)).collect();
    let variants = procs
        .iter()
        .zip(&ids)
        .zip(&vnames)
        .map(|(((li, _, _), id), v)| {
            (
                v.clone(),
                format!("`{id}`: step of leg `{}`.", s.legs[*li].0.name),
            )
        })
        .collect();
    let parse = parse_hashed(s, quote!(__orbit::Pid), &ids);
    let mut t = closed(
        s,
        Closed {
            name: "Process",
            what: "PID",
            doc: "The process steps (PIDs) of the manifest, leg by leg in execution order.".into(),
            variants,
            ids: ids.clone(),
            parse,
        },
    );
    let empty = procs.is_empty();
    let keys = procs.iter().map(|p| lookup::pid_key(p.2.pid)).collect();
    let leg_ix: Option<Vec<u32>> = procs.iter().map(|p| u32::try_from(p.0).ok()).collect();
    let steps = List::of(&procs, |l, p| l.int(u64::from((p.1 + 1) as u16), "u16"));
    let docs = List::of(&procs, |l, p| l.opt_str(p.2.doc.as_deref()));
    let actions = List::of(&procs, |l, p| {
        l.strs(p.2.actions.iter().map(String::as_str))
    });
    let id = key_table(
        s,
        "The parsed PID: start, end and execution order.",
        quote!(__orbit::Pid),
        quote!(pid_of_key),
        keys,
        empty,
    );
    let starts = end_table(
        s,
        "start",
        "Where the step starts: a microservice or a resource.",
        procs.iter().map(|p| p.2.pid.start),
        empty,
    );
    let ends = end_table(
        s,
        "end",
        "Where the step ends: a microservice or a resource.",
        procs.iter().map(|p| p.2.pid.end),
        empty,
    );
    let legs = ref_table(
        s,
        "leg",
        "The leg the step belongs to.",
        quote!(Leg),
        leg_ix,
        || {
            procs
                .iter()
                .map(|p| {
                    let v = ident(&variant(&s.legs[p.0].0.name), Span::call_site());
                    quote!(Leg::#v)
                })
                .collect()
        },
        empty,
    );
    let steps = table_list(
        s,
        "step",
        "The 1-based position of the step in its leg.",
        quote!(u16),
        steps,
        empty,
    );
    let docs = table_list(
        s,
        "doc",
        "The manifest's `doc` of the step.",
        quote!(Option<&'static str>),
        docs,
        empty,
    );
    let actions = table_list(
        s,
        "actions",
        "The step's actions, in order.",
        quote!(&'static [&'static str]),
        actions,
        empty,
    );
    append(
        &mut t,
        quote! {
            impl Process {
                #id
                /// The execution order (15 for `e15`).
                pub const fn order(self) -> u16 { self.id().order }
                #starts
                #ends
                #legs
                #steps
                #docs
                #actions
            }

            /// One end of a process step: a declared microservice or resource.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum ProcessEnd {
                /// A microservice (MID).
                Microservice(Microservice),
                /// A backend resource (RID).
                Resource(Resource),
            }

            impl ProcessEnd {
                /// The canonical id text.
                pub const fn as_str(self) -> &'static str {
                    match self {
                        ProcessEnd::Microservice(m) => m.as_str(),
                        ProcessEnd::Resource(r) => r.as_str(),
                    }
                }
                /// The component of either kind.
                pub const fn component(self) -> Component {
                    match self {
                        ProcessEnd::Microservice(m) => m.component(),
                        ProcessEnd::Resource(r) => r.component(),
                    }
                }
            }

            impl ::core::fmt::Display for ProcessEnd {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        },
    );
    // One flat repetition for every constant (see `table_method`).
    let mut items = IdConsts::new("Process");
    // Each leg's constant and its flow's, once per leg rather than once per step.
    let leg_names: Vec<(String, String, String)> = s
        .legs
        .iter()
        .map(|(l, _)| {
            let flow = (constant(&l.flow.to_string()), s.flow_name(l.flow));
            (constant(&l.name), flow.0, flow.1)
        })
        .collect();
    for (((li, pi, p), id), v) in procs.iter().zip(&ids).zip(&vnames) {
        let c = constant(id);
        let (leg, flow, flow_name) = &leg_names[*li];
        // A PID's text is `START-END-eNN`, so its constant begins `START_END_`.
        let mut ends = c.split('_');
        let (from, to) = (ends.next().unwrap_or(""), ends.next().unwrap_or(""));
        // The doc is written straight into the literal: ids, constants and numbers need no
        // escaping, the manifest's texts go through `push_lit_body`, and `\n` is written as
        // the escape the literal holds.
        items.push_with(
            |d| {
                d.push('`');
                d.push_str(id);
                d.push_str("`: step ");
                push_int(d, (pi + 1) as u64);
                d.push_str(" of leg [`");
                d.push_str(leg);
                d.push_str("`] (execution order ");
                push_int(d, u64::from(p.pid.order));
                close_first_line(d, p.inserted, p.doc.as_deref());
                d.push_str("- From [`");
                d.push_str(from);
                d.push_str("`] to [`");
                d.push_str(to);
                d.push_str("`]\\n");
                if let Some((first, rest)) = p.actions.split_first() {
                    d.push_str("- Actions: ");
                    push_lit_body(d, &md::inline(first));
                    for a in rest {
                        d.push_str("; ");
                        push_lit_body(d, &md::inline(a));
                    }
                    d.push_str("\\n");
                }
                d.push_str("- Flow: [`");
                d.push_str(flow);
                d.push_str("`] (");
                push_lit_body(d, flow_name);
                d.push_str(")\\n");
            },
            &c,
            v.as_str(),
        );
    }
    append(&mut t, source(s, &items.src));
    t
}

fn legs(s: &Sound<'_>) -> TokenStream {
    let variants = s
        .legs
        .iter()
        .map(|(l, _)| (variant(&l.name), format!("`{}`.", l.name)))
        .collect();
    let ids: Vec<String> = s.legs.iter().map(|(l, _)| l.name.clone()).collect();
    let index = named_index(
        ids.iter()
            .cloned()
            .enumerate()
            .map(|(i, c)| (c, i))
            .collect(),
    );
    let mut t = closed(
        s,
        Closed {
            name: "Leg",
            what: "leg",
            doc: "The legs of the manifest, as declared: ordered process steps.".into(),
            variants,
            ids,
            parse: parse_named(index),
        },
    );
    let empty = s.legs.is_empty();
    let flows = s.legs.iter().map(|(l, _)| s.flow_path(l.flow)).collect();
    let docs = s
        .legs
        .iter()
        .map(|(l, _)| opt_str(l.doc.as_deref()))
        .collect();
    // `Process` lists the steps leg by leg (`Sound::processes`): each leg's parts are a run.
    let mut next = 0usize;
    let part_runs = s
        .legs
        .iter()
        .map(|(_, parts)| {
            let start = next;
            next += parts.len();
            run(start..next)
        })
        .collect::<Option<Vec<_>>>();
    let part_paths = || {
        s.legs
            .iter()
            .map(|(_, parts)| {
                let p = parts.iter().map(|p| {
                    let v = id_variant(p.pid);
                    quote!(Process::#v)
                });
                quote!(&[#(#p),*])
            })
            .collect()
    };
    let flows = table(
        "flow",
        "The flow the leg belongs to.",
        quote!(Flow),
        flows,
        empty,
    );
    let docs = table(
        "doc",
        "The manifest's `doc` of the leg.",
        quote!(Option<&'static str>),
        docs,
        empty,
    );
    let parts = range_table(
        s,
        "parts",
        "The leg's steps in execution order.",
        quote!(Process),
        part_runs,
        part_paths,
        empty,
    );
    append(&mut t, quote!(impl Leg { #flows #docs #parts }));
    // The constants as source, each doc straight into its literal (see `processes`).
    let mut items = IdConsts::new("Leg");
    for (l, parts) in &s.legs {
        items.push_with(
            |d| {
                d.push_str("Leg `");
                push_lit_body(d, &l.name);
                d.push_str("` of [`");
                d.push_str(&constant(&l.flow.to_string()));
                d.push_str("`] (");
                push_lit_body(d, &s.flow_name(l.flow));
                d.push_str(").\\n\\n");
                if let Some(x) = &l.doc {
                    push_lit_body(d, &md::block(x));
                    d.push_str("\\n\\n");
                }
                d.push_str("| step | PID | doc |\\n|---|---|---|\\n");
                for (i, p) in parts.iter().enumerate() {
                    d.push_str("| ");
                    push_int(d, (i + 1) as u64);
                    d.push_str(" | [`");
                    d.push_str(&constant(&p.pid.to_string()));
                    d.push_str("`] | ");
                    if let Some(x) = p.doc.as_deref() {
                        // On one line, and a `|` does not end the cell.
                        push_lit_body(d, &md::cell(x));
                    }
                    d.push_str(" |\\n");
                }
            },
            &constant(&l.name),
            &variant(&l.name),
        );
    }
    append(&mut t, source(s, &items.src));
    t
}

fn events(s: &Sound<'_>) -> TokenStream {
    let variants = s
        .events
        .iter()
        .map(|e| (variant(&e.name), format!("`{}`.", e.name)))
        .collect();
    let ids: Vec<String> = s.events.iter().map(|e| e.name.clone()).collect();
    let index = named_index(
        ids.iter()
            .cloned()
            .enumerate()
            .map(|(i, c)| (c, i))
            .collect(),
    );
    let mut t = closed(
        s,
        Closed {
            name: "Event",
            what: "event",
            doc: "The events of the manifest, as declared. Typed entries are in [`events`].".into(),
            variants,
            ids,
            parse: parse_named(index),
        },
    );
    let empty = s.events.is_empty();
    let mid_ix = s
        .events
        .iter()
        .map(|e| s.mid_ix.get(&e.mid).and_then(|&i| u32::try_from(i).ok()))
        .collect::<Option<Vec<_>>>();
    let rid_ix = s
        .events
        .iter()
        .map(|e| s.rid_ix.get(&e.rid).and_then(|&i| u32::try_from(i).ok()))
        .collect::<Option<Vec<_>>>();
    let docs = s.events.iter().map(|e| opt_str(e.doc.as_deref())).collect();
    let fields = s
        .events
        .iter()
        .map(|e| strs(e.fields.iter().map(String::as_str)))
        .collect();
    let mids = ref_table(
        s,
        "mid",
        "The microservice that produces the event.",
        quote!(Microservice),
        mid_ix,
        || s.events.iter().map(|e| s.mid_path(e.mid)).collect(),
        empty,
    );
    let rids = ref_table(
        s,
        "rid",
        "The resource the event is logged to.",
        quote!(Resource),
        rid_ix,
        || s.events.iter().map(|e| s.rid_path(e.rid)).collect(),
        empty,
    );
    let docs = table(
        "doc",
        "The manifest's `doc` of the event.",
        quote!(Option<&'static str>),
        docs,
        empty,
    );
    let fields = table(
        "fields",
        "The event's fields, in declared order (after `event` and `timestamp`).",
        quote!(&'static [&'static str]),
        fields,
        empty,
    );
    append(&mut t, quote!(impl Event { #mids #rids #docs #fields }));
    for e in &s.events {
        let c = ident(&constant(&e.name), Span::call_site());
        let v = ident(&variant(&e.name), Span::call_site());
        let d = doc(&format!(
            "Event `{}`{}\n\n- Produced by [`{}`], logged to [`{}`]\n- Fields: {}\n- Typed entry: [`events::{}`]\n",
            e.name,
            e.doc.as_deref().map(|d| format!(": {}", md::after_text(d))).unwrap_or_else(|| ".".into()),
            constant(&e.mid.to_string()),
            constant(&e.rid.to_string()),
            if e.fields.is_empty() { "none".to_string() } else { list_code(&e.fields) },
            variant(&e.name),
        ));
        append(&mut t, quote!(#d pub const #c: Event = Event::#v;));
    }
    t
}

fn env_modules(s: &Sound<'_>) -> TokenStream {
    let mut t = TokenStream::new();
    // Each RID's text and constant, formatted once for every environment.
    let texts: Vec<String> = s.rids.iter().map(|(r, _)| r.id.to_string()).collect();
    let consts: Vec<String> = texts.iter().map(|x| constant(x)).collect();
    let names = List::of(&consts, |l, c| l.item().push_str(&ident_text(c)));
    let names_table = format!(
        "#[doc(hidden)] pub const __NAMES: &[&str] = &[{}];\n",
        names.0
    );
    for (ei, e) in s.envs.iter().enumerate() {
        let m = snake(&e.code, Span::call_site());
        // One constant per resource: written as source (see `Options::lexer`).
        let mut body = String::new();
        for (ri, (((r, _), text), c)) in s.rids.iter().zip(&texts).zip(&consts).enumerate() {
            let name = s.physical(ri, ei);
            // The doc straight into its literal (see `resources`).
            body.push_str("#[doc = \"`");
            push_lit_body(&mut body, name);
            body.push_str("`: the ");
            body.push_str(r.kind.describe());
            body.push_str(" of [`");
            body.push_str(text);
            body.push_str("`](super::");
            body.push_str(c);
            body.push_str(") (");
            push_lit_body(&mut body, &md::inline(&r.name));
            body.push_str(") in `");
            push_lit_body(&mut body, &e.code);
            body.push_str("`.\"] pub const ");
            body.push_str(&ident_text(c));
            body.push_str(": &str = ");
            push_lit(&mut body, name);
            body.push_str(";\n");
        }
        body.push_str(&names_table);
        let body = source(s, &body);
        let d = doc(&format!(
            "Physical names in `{}` ({}): one constant per resource.",
            e.code,
            md::inline(e.name.as_deref().unwrap_or("no name"))
        ));
        append(
            &mut t,
            quote! {
                #d
                pub mod #m { #body }
            },
        );
    }
    t
}

fn event_types(s: &Sound<'_>, core: &TokenStream) -> TokenStream {
    let mut items = TokenStream::new();
    for e in &s.events {
        let ty = ident(&variant(&e.name), Span::call_site());
        let v = ty.clone();
        let mid = s.mid_path(e.mid);
        let rid = s.rid_path(e.rid);
        let name = lit(&e.name);
        let fields: Vec<_> = e
            .fields
            .iter()
            .map(|f| snake(f, Span::call_site()))
            .collect();
        let field_names: Vec<_> = e.fields.iter().map(|f| lit(f)).collect();
        let field_docs = e.fields.iter().map(|f| doc(&format!("Field `{f}`.")));
        let example = {
            let mut x = format!(
                "{{\"event\":\"{}\",\"timestamp\":\"2024-10-27T10:00:00Z\"",
                e.name
            );
            for f in &e.fields {
                let _ = write!(x, ",\"{f}\":\"…\"");
            }
            x.push('}');
            x
        };
        let d = doc(&format!(
            "Event `{}`{}\n\nProduced by `{}`, logged to `{}`. One entry is one JSON object:\n\n```text\n{example}\n```",
            e.name,
            e.doc.as_deref().map(|d| format!(": {}", md::after_text(d))).unwrap_or_else(|| ".".into()),
            e.mid,
            e.rid,
        ));
        let common = quote! {
            /// The event.
            pub const EVENT: super::Event = super::Event::#v;
            /// The microservice that produces it.
            pub const MID: super::Microservice = super::#mid;
            /// The resource it is logged to.
            pub const RID: super::Resource = super::#rid;
            /// The JSON entry at `timestamp`: `{"event":…,"timestamp":…,<fields>}`.
            pub fn to_json(&self, timestamp: #core::Timestamp) -> super::__orbit::String {
                #core::LogEvent::to_json(self, timestamp)
            }
        };
        if e.fields.is_empty() {
            append(
                &mut items,
                quote! {
                    #d
                    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
                    pub struct #ty;
                    impl #ty {
                        /// The entry (the event has no fields).
                        pub const fn new() -> Self { #ty }
                        #common
                    }
                    impl #core::LogEvent for #ty {
                        type Microservice = super::Microservice;
                        type Resource = super::Resource;
                        const NAME: &'static str = #name;
                        const MID: super::Microservice = super::#mid;
                        const RID: super::Resource = super::#rid;
                        fn visit_fields(&self, _visit: &mut dyn FnMut(&'static str, &str)) {}
                    }
                },
            );
        } else {
            append(
                &mut items,
                quote! {
                    #d
                    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                    pub struct #ty<'a> {
                        #(#field_docs pub #fields: &'a str,)*
                    }
                    impl<'a> #ty<'a> {
                        /// The entry, with exactly the event's declared fields in order.
                        pub const fn new(#(#fields: &'a str),*) -> Self { #ty { #(#fields),* } }
                        #common
                    }
                    impl #core::LogEvent for #ty<'_> {
                        type Microservice = super::Microservice;
                        type Resource = super::Resource;
                        const NAME: &'static str = #name;
                        const MID: super::Microservice = super::#mid;
                        const RID: super::Resource = super::#rid;
                        fn visit_fields(&self, visit: &mut dyn FnMut(&'static str, &str)) {
                            #(visit(#field_names, self.#fields);)*
                        }
                    }
                },
            );
        }
    }
    quote! {
        /// Typed event entries: one type per declared event, with exactly its fields.
        pub mod events {
            #items
        }
    }
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

/// Names the generated module cannot hold. The engine reports legs and events whose
/// constants clash with ids' (ORB005); they are left out here so the rest compiles. An
/// environment code that names one of the module's own submodules is reported here (ORB010).
/// Returns the diagnostics to add and the spans of the entries to leave out.
pub(super) fn name_clashes(m: &Manifest) -> (Vec<crate::Diagnostic>, BTreeSet<usize>) {
    // The constants of legs and events already taken, by each other or by an id. An id's
    // constant is its text uppercased with `-` read as `_` (ids have neither `_` nor capitals),
    // so a name's constant is an id's only if, read back that way, it is that id's text: the
    // few names are looked up, the ids are not formatted one by one.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut drop = BTreeSet::new();
    for (name, span) in m
        .legs
        .iter()
        .map(|l| (&l.name, &l.span))
        .chain(m.events.iter().map(|e| (&e.name, &e.span)))
    {
        let c = constant(name);
        let id_text = c.to_ascii_lowercase().replace('_', "-");
        if m.id_with_text(&id_text).is_some() || !taken.insert(c) {
            drop.insert(span.start);
        }
    }
    let mut diags = Vec::new();
    for e in &m.environments {
        if matches!(e.code.as_str(), "orbit" | "events") {
            drop.insert(e.span.start);
            diags.push(
                crate::Diagnostic::new(
                    crate::Code::Orb010,
                    e.span.clone(),
                    format!(
                        "environment code `{}` would generate the module `ids::{}`, which the generated module already has",
                        e.code, e.code
                    ),
                )
                .with_help("use another environment code"),
            );
        }
    }
    (diags, drop)
}

#[cfg(test)]
mod tests {
    use super::run;
    use proptest::prelude::*;

    fn written(text: &str) -> String {
        let mut out = String::new();
        super::push_lit(&mut out, text);
        out
    }

    #[test]
    fn literals_written_as_source_are_what_the_token_api_writes() {
        // Outside a proc macro `Literal::string` is proc-macro2's, which escapes as the
        // compiler's does; the generated source must hold the same literal, character for
        // character, so that the expansion is the same whichever way it was built.
        for text in [
            "",
            "plain text",
            "a \"quoted\" C:\\path",
            "line\nbreak\ttab\rcr\0nul\u{7f}del\u{1b}[0m",
            "it's",
            "components 1–100, naïve, 東京, 🚀",
            "\u{202e}reversed\u{2066}",
            "e\u{301} combining",
            "\u{feff}bom \u{200b}zero-width",
        ] {
            assert_eq!(
                written(text),
                proc_macro2::Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_text_is_written_as_the_token_api_writes_it(text in any::<String>()) {
            prop_assert_eq!(written(&text), proc_macro2::Literal::string(&text).to_string());
        }
    }

    proptest! {
        #[test]
        fn integers_are_written_as_the_token_api_writes_them(n in any::<u64>()) {
            let mut out = String::from("x");
            super::push_int(&mut out, n);
            prop_assert_eq!(out, format!("x{}", proc_macro2::Literal::u64_unsuffixed(n)));
        }
    }

    #[test]
    fn integer_edges() {
        for n in [0, 9, 10, 99, 100, u64::from(u32::MAX), u64::MAX] {
            let mut out = String::new();
            super::push_int(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn runs_are_consecutive_ascending_positions() {
        assert_eq!(run([3, 4, 5]), Some((3, 6)));
        assert_eq!(run([7]), Some((7, 8)));
        assert_eq!(run(std::iter::empty()), Some((0, 0)));
        assert_eq!(run([3, 5]), None);
        assert_eq!(run([4, 3]), None);
        assert_eq!(run([2, 2]), None);
    }

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
