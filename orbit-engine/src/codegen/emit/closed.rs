//! One closed enum of the generated module, with its tables of names and ids.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::super::names::{ident, ident_text};
use super::source::{push_lit, source, List};
use super::tokens::{doc, lit};
use super::Sound;

/// One closed enum of the README's "Typed ids in service code" with `ALL`, `as_str`, `Display`, `FromStr` and serde.
pub(super) struct Closed<'a> {
    pub(super) name: &'a str,
    pub(super) what: &'a str,
    pub(super) doc: String,
    pub(super) variants: Vec<(String, String)>, // (variant, one-line doc)
    pub(super) ids: Vec<String>,
    pub(super) parse: TokenStream,
}

pub(super) fn closed(s: &Sound<'_>, c: Closed<'_>) -> TokenStream {
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
