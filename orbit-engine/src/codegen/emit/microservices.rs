//! `Microservice`, and one constant per MID.

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::super::markdown as md;
use super::super::names::{constant, variant};
use super::closed::{closed, Closed};
use super::source::{source, IdConsts, List};
use super::tables::{key_table, parse_hashed, ref_table, table_list};
use super::tokens::comp_variant;
use super::{append, Sound};
use crate::lookup;

pub(super) fn microservices(s: &Sound<'_>) -> TokenStream {
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
