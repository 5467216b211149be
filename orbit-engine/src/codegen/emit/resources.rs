//! `Resource`, and one constant per RID.

use proc_macro2::{Literal, Span, TokenStream};
use quote::quote;

use super::super::markdown as md;
use super::super::names::{constant, ident, snake, variant};
use super::closed::{closed, Closed};
use super::source::{close_first_line, push_lit_body, source, IdConsts, List};
use super::tables::{key_table, key_table_lit, parse_hashed, ref_table, table, table_list};
use super::tokens::comp_variant;
use super::{append, Sound};
use crate::id::{self, ResourceKind};
use crate::lookup;

pub(super) fn resources(s: &Sound<'_>) -> TokenStream {
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

fn kind_lit(k: ResourceKind) -> TokenStream {
    match k {
        ResourceKind::Dynamodb => quote!(__orbit::ResourceKind::Dynamodb),
        ResourceKind::S3 => quote!(__orbit::ResourceKind::S3),
        ResourceKind::Mysql => quote!(__orbit::ResourceKind::Mysql),
    }
}
