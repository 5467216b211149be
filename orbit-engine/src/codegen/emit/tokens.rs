//! Small token builders: string literals, docs, variant names, `Option<&str>` values.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, ToTokens};

use super::super::names::{ident, variant};
use crate::id::{ComponentId, FlowId};

pub(super) fn lit(s: &str) -> Literal {
    Literal::string(s)
}

pub(super) fn doc(s: &str) -> TokenStream {
    let l = lit(s);
    quote!(#[doc = #l])
}

pub(super) fn idx(i: usize) -> Literal {
    Literal::u32_unsuffixed(i as u32)
}

pub(super) fn strs<'a>(items: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let l = items.into_iter().map(lit);
    quote!(&[#(#l),*])
}

pub(super) fn list_code(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn flow_variant(f: FlowId) -> String {
    format!("Flow{}", f.0)
}

pub(super) fn comp_variant(c: ComponentId) -> String {
    format!("C{}", c.0)
}

/// The enum variant of an id (`C8fms03` for `c8fms03`).
pub(super) fn id_variant(id: impl std::fmt::Display) -> proc_macro2::Ident {
    ident(&variant(&id.to_string()), Span::call_site())
}

pub(super) fn opt_str(s: Option<&str>) -> OptStr {
    OptStr(s.map(lit))
}

/// `Some("…")` or `None`, appended as token trees: in a table of thousands of entries this
/// avoids a `quote!` stream per entry (see [`table_method`](super::tables::table_method)).
pub(super) struct OptStr(Option<Literal>);

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
