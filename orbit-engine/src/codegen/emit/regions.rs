//! `Region`.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::super::markdown as md;
use super::closed::{closed, Closed};
use super::tables::{named_index, parse_named, table};
use super::tokens::{lit, opt_str};
use super::{append, Sound};

pub(super) fn regions(s: &Sound<'_>) -> TokenStream {
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
