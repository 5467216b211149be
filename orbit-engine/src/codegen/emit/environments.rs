//! `Environment`, and one module of physical names per environment (`ids::k8d`).

use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::super::markdown as md;
use super::super::names::{constant, ident_text, snake, variant};
use super::closed::{closed, Closed};
use super::source::{push_lit, push_lit_body, source, List};
use super::tables::{named_index, parse_named, table};
use super::tokens::{doc, list_code, opt_str};
use super::{append, Sound};

pub(super) fn environments(s: &Sound<'_>) -> TokenStream {
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

pub(super) fn env_modules(s: &Sound<'_>) -> TokenStream {
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
