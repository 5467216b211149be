//! `Event`, one constant per event, and the typed entries of the `events` module.

use std::fmt::Write as _;

use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::super::markdown as md;
use super::super::names::{constant, ident, snake, variant};
use super::closed::{closed, Closed};
use super::tables::{named_index, parse_named, ref_table, table};
use super::tokens::{doc, list_code, lit, opt_str, strs};
use super::{append, Sound};

pub(super) fn events(s: &Sound<'_>) -> TokenStream {
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

pub(super) fn event_types(s: &Sound<'_>, core: &TokenStream) -> TokenStream {
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
