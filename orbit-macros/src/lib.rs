//! Proc macros of k8or Orbit. Use them through [`orbit-core`](https://docs.rs/orbit-core),
//! which re-exports them and holds the run-time support the generated code needs.
//!
//! This crate is thin: it parses its input, resolves the manifest's path and calls the
//! generator of `orbit_engine::codegen`, which checks the manifest with the same rules as the
//! `orbit` command line tool. Every error is a compile error with a span; nothing panics.
//!
//! - [`manifest!`]: the `ids` module of a manifest (the README's "Typed ids in service code").
//! - [`manifest_doc!`]: the module page (tables of flows and components) as a string literal.
//!
//! Manifest paths are relative to the invoking crate's directory (`CARGO_MANIFEST_DIR`);
//! `$CARGO_MANIFEST_DIR/…`, `$OUT_DIR/…` (any `$VAR/…` set in the compiler's environment) and
//! absolute paths are accepted too.

use std::path::PathBuf;

use orbit_engine::codegen::{self, CorePath, IdMacro, Options};
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens as _};
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitStr, Token};

/// Expands to the items of a manifest's `ids` module: one typed constant per flow,
/// component, MID, RID, PID, leg and event, closed enums, physical names per environment,
/// typed events and the `mid!`, `rid!`, `pid!` macros.
///
/// ```ignore
/// pub mod ids {
///     orbit_core::manifest!("orbit.toml");
/// }
/// ```
///
/// Options, after the path: `module = crate::path::to::ids` (where the module is, for the
/// id macros; default `crate::ids`), `core = ::orbit_core` (how to reach `orbit-core`),
/// `macros = false` (no `mid!`/`rid!`/`pid!`, for a second manifest in one crate).
///
/// A manifest that breaks a rule fails the build with one error per violation (rule code,
/// message, `orbit.toml:LINE:COL`); the sound part of the module is still generated.
#[proc_macro]
pub fn manifest(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    match parse_manifest_args.parse(input) {
        Ok((lit, mut opts)) => {
            let written = lit.value();
            let body = match resolve_path(&written) {
                Ok(path) => {
                    opts.lexer = Some(lex);
                    codegen::expand(&path, &written, &opts)
                }
                Err(msg) => error(&msg, lit.span()),
            };
            // The module as the generator made it: extending another stream with it would
            // copy it token by token (a tenth of the macro's own work on a large manifest).
            let mut out = env_dependency(&written);
            if out.is_empty() {
                return body.into();
            }
            out.extend(std::iter::once(body));
            out.into()
        }
        Err(e) => e.to_compile_error().into(),
    }
}

/// For a `$VAR/…` path, an item that reads `VAR` with `option_env!`: rustc records the
/// variable in the crate's dep-info, so Cargo rebuilds the crate (and the macro reads the
/// manifest the variable now names) when it changes, or when it is set or unset. A proc
/// macro's own reads of the environment are not tracked.
fn env_dependency(written: &str) -> TokenStream {
    match path_variable(written) {
        Some(var) => quote! {
            const _: ::core::option::Option<&str> = ::core::option_env!(#var);
        },
        None => TokenStream::new(),
    }
}

/// The variable of a `$VAR/…` or `${VAR}/…` path.
fn path_variable(written: &str) -> Option<&str> {
    let rest = written.strip_prefix('$')?;
    let var = rest.split_once('/').map_or(rest, |(v, _)| v);
    Some(var.trim_start_matches('{').trim_end_matches('}'))
}

/// The markdown page of a manifest's `ids` module, as a string literal, for
/// `#[doc = manifest_doc!("orbit.toml")]` on the module: what it was generated from and
/// tables of flows and components.
#[proc_macro]
pub fn manifest_doc(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let lit = match syn::parse::<LitStr>(input) {
        Ok(l) => l,
        Err(e) => return e.to_compile_error().into(),
    };
    let text = resolve_path(&lit.value())
        .and_then(|p| codegen::overview(&p, &lit.value()))
        .unwrap_or_else(|e| format!("Typed ids (the manifest could not be read: {e})."));
    quote!(#text).into()
}

/// Resolves `mid!`, `rid!` and `pid!`; generated code calls it, never users.
#[doc(hidden)]
#[proc_macro]
pub fn __resolve(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    match parse_resolve.parse(input) {
        Ok(out) => out.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Lexes the source the generator writes for its largest items with the compiler's lexer,
/// in one call (see `orbit_engine::codegen::Options::lexer`).
fn lex(src: &str) -> Option<TokenStream> {
    src.parse::<proc_macro::TokenStream>()
        .ok()
        .map(TokenStream::from)
}

fn error(msg: &str, span: Span) -> TokenStream {
    quote_spanned!(span=> ::core::compile_error!{ #msg })
}

fn parse_manifest_args(input: ParseStream<'_>) -> syn::Result<(LitStr, Options)> {
    let lit: LitStr = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the manifest's path as a string literal: `manifest!(\"orbit.toml\")`",
        )
    })?;
    let mut opts = Options {
        span: lit.span(),
        ..Options::default()
    };
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        input.parse::<Token![=]>()?;
        let mut value = TokenStream::new();
        while !input.is_empty() && !input.peek(Token![,]) {
            value.extend(std::iter::once(input.parse::<TokenTree>()?));
        }
        if value.is_empty() {
            return Err(syn::Error::new(
                key.span(),
                format!("`{key} =` needs a value"),
            ));
        }
        match key.to_string().as_str() {
            "module" => opts.module = value,
            "core" => {
                opts.core = if value.to_string() == "crate" {
                    CorePath::ThisCrate
                } else {
                    CorePath::Extern(value)
                }
            }
            "macros" => {
                opts.macros = match value.to_string().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(syn::Error::new_spanned(
                            value,
                            "`macros` is `true` or `false`",
                        ))
                    }
                }
            }
            other => {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown option `{other}`: the options are `module`, `core` and `macros`"
                    ),
                ))
            }
        }
    }
    Ok((lit, opts))
}

/// The path the user wrote, resolved: `$VAR/…` from the compiler's environment, absolute as
/// is, anything else relative to `CARGO_MANIFEST_DIR`.
fn resolve_path(written: &str) -> Result<PathBuf, String> {
    if let Some(var) = path_variable(written) {
        let tail = written.split_once('/').map_or("", |(_, t)| t);
        return match std::env::var_os(var) {
            Some(v) => Ok(PathBuf::from(v).join(tail)),
            None => Err(format!(
                "ORB004: cannot read manifest `{written}`: the environment variable `{var}` is not set for this crate's build"
            )),
        };
    }
    let path = PathBuf::from(written);
    if path.is_absolute() {
        return Ok(path);
    }
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => Ok(PathBuf::from(dir).join(path)),
        None => Err(format!(
            "ORB004: cannot read manifest `{written}`: CARGO_MANIFEST_DIR is not set (build with cargo, or give an absolute path)"
        )),
    }
}

fn parse_resolve(input: ParseStream<'_>) -> syn::Result<TokenStream> {
    let abs: LitStr = input.parse()?;
    let display: LitStr = input.parse()?;
    let which: Ident = input.parse()?;
    let module;
    syn::parenthesized!(module in input);
    let module: TokenStream = module.parse()?;
    let arg: TokenStream = input.parse()?;
    let which_name = which.to_string();
    let Some(kind) = IdMacro::from_name(&which_name) else {
        return Err(syn::Error::new(which.span(), "unknown id macro"));
    };
    let text = argument_text(&arg);
    let span = arg
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| t.span());
    match codegen::resolve(&PathBuf::from(abs.value()), &display.value(), kind, &text) {
        Ok(constant) => {
            let c = Ident::new(&constant, span);
            Ok(quote!(#module :: #c))
        }
        Err(msg) => Ok(if arg.is_empty() {
            error(&msg, Span::call_site())
        } else {
            syn::Error::new_spanned(arg, msg).to_compile_error()
        }),
    }
}

/// The id text of the macro's argument: a string literal's value, or the tokens joined
/// without spaces (`c8fms03 - c20bre06 - e15` → `c8fms03-c20bre06-e15`).
fn argument_text(arg: &TokenStream) -> String {
    let tokens: Vec<TokenTree> = arg.clone().into_iter().collect();
    if let [TokenTree::Literal(l)] = tokens.as_slice() {
        if let Ok(s) = syn::parse2::<LitStr>(l.to_token_stream()) {
            return s.value();
        }
    }
    tokens.iter().map(ToString::to_string).collect()
}
