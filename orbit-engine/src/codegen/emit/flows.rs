//! `Flow`, its `Repository`, and one constant per flow.

use std::fmt::Write as _;

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};

use super::super::markdown as md;
use super::super::names::{constant, ident, variant};
use super::closed::{closed, Closed};
use super::tables::{keyed_index, parse_keyed, table};
use super::tokens::{comp_variant, doc, flow_variant, lit, opt_str};
use super::{append, Sound};
use crate::id::{self, RepoKind};

pub(super) fn flows(s: &Sound<'_>) -> TokenStream {
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

fn repo_kind_lit(k: RepoKind) -> TokenStream {
    let v = ident(&format!("{k:?}"), Span::call_site());
    quote!(__orbit::RepoKind::#v)
}
