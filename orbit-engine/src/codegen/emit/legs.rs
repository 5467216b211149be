//! `Leg`, and one constant per leg.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::markdown as md;
use super::super::names::{constant, variant};
use super::closed::{closed, Closed};
use super::source::{push_int, push_lit_body, source, IdConsts};
use super::tables::{named_index, parse_named, range_table, run, table};
use super::tokens::{id_variant, opt_str};
use super::{append, Sound};

pub(super) fn legs(s: &Sound<'_>) -> TokenStream {
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
