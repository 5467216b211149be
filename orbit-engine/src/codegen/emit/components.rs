//! `Component`, and one constant per component.

use std::fmt::Write as _;

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};

use super::super::markdown as md;
use super::super::names::ident;
use super::closed::{closed, Closed};
use super::tables::{component_members, keyed_index, parse_keyed, table};
use super::tokens::{comp_variant, doc, lit, opt_str};
use super::{append, Sound};

pub(super) fn components(s: &Sound<'_>) -> TokenStream {
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
