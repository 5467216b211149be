//! Rust names of generated items (the README's "Typed ids in service code"): `C8FMS03` constants, `C8fms03` variants, `k8d`
//! modules. Every function here is injective over valid ids, so two declarations never share a
//! generated name unless the README's "Typed ids in service code" says they do (legs and events: checked by the engine).

use std::borrow::Cow;

use proc_macro2::{Ident, Span};

pub use crate::names::{constant, variant};

/// A lowercase name usable as a module, field or parameter: raw when it is a keyword,
/// `_`-suffixed when it cannot be raw (`self`, `super`, `crate`), `_`-prefixed when it starts
/// with a digit.
pub fn snake(text: &str, span: Span) -> Ident {
    let text: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if text.is_empty() || text.starts_with(|c: char| c.is_ascii_digit()) {
        return Ident::new(&format!("_{text}"), span);
    }
    match text.as_str() {
        "self" | "super" | "crate" | "Self" | "_" => Ident::new(&format!("{text}_"), span),
        t if is_keyword(t) => Ident::new_raw(t, span),
        t => Ident::new(t, span),
    }
}

/// An identifier that is not a keyword by construction (uppercase constants, CamelCase types).
/// Any character that cannot appear in an identifier becomes `_`, so this never panics.
pub fn ident(text: &str, span: Span) -> Ident {
    Ident::new(&ident_text(text), span)
}

/// The text of [`ident`]`(text, _)`, for generated source written as text.
pub fn ident_text(text: &str) -> Cow<'_, str> {
    if is_plain_ident(text)
        && !is_keyword(text)
        && !matches!(text, "Self" | "self" | "super" | "crate")
    {
        return Cow::Borrowed(text);
    }
    let mut s: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert(0, 'X');
    }
    s.push('_');
    Cow::Owned(s)
}

/// Whether `text` is an ASCII identifier (`[A-Za-z_][A-Za-z0-9_]*`, not `_`). A plain loop:
/// proc macros run unoptimised, where an iterator adapter costs a call per byte.
fn is_plain_ident(text: &str) -> bool {
    let b = text.as_bytes();
    if b.is_empty() || b == b"_" || !matches!(b[0], b'a'..=b'z' | b'A'..=b'Z' | b'_') {
        return false;
    }
    let mut i = 1;
    while i < b.len() {
        if !matches!(b[i], b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') {
            return false;
        }
        i += 1;
    }
    true
}

fn is_keyword(s: &str) -> bool {
    // Every keyword starts with a lowercase letter; constants and variants never do, and
    // unoptimised (as proc macros run) the comparisons below cost a call each.
    if !matches!(s.as_bytes().first(), Some(b'a'..=b'z')) {
        return false;
    }
    matches!(
        s,
        "as" | "break"
            | "const"
            | "continue"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Kebab-case names starting with a letter never share a variant.
        #[test]
        fn kebab_names_have_distinct_variants(
            a in "[a-z][a-z0-9]{0,3}(-[a-z0-9]{1,3}){0,3}",
            b in "[a-z][a-z0-9]{0,3}(-[a-z0-9]{1,3}){0,3}",
        ) {
            proptest::prop_assume!(a != b);
            proptest::prop_assert_ne!(variant(&a), variant(&b));
        }
    }

    #[test]
    fn identifier_text() {
        for plain in ["C8FMS03", "Flow4", "_x", "a_1", "Process"] {
            assert_eq!(ident_text(plain), plain);
        }
        assert_eq!(ident_text("_"), "X__");
        assert_eq!(ident_text("1a"), "X1a_");
        assert_eq!(ident_text("a-b"), "a_b_");
        assert_eq!(ident_text("fn"), "fn_");
        assert_eq!(ident_text("Self"), "Self_");
        assert_eq!(ident_text("é"), "X__");
        assert_eq!(ident_text(""), "X_");
    }

    #[test]
    fn names_follow_spec() {
        assert_eq!(constant("c8fms03-c20bre06-e15"), "C8FMS03_C20BRE06_E15");
        assert_eq!(constant("flow-4"), "FLOW_4");
        // Only ASCII letters change case; other characters are kept as they are.
        assert_eq!(constant("naïve-x1"), "NAïVE_X1");
        assert_eq!(variant("c8fms03-c20bre06-e15"), "C8fms03C20bre06E15");
        assert_eq!(variant("transfer-image"), "TransferImage");
        assert_eq!(variant("flow-16"), "Flow_16");
        assert_ne!(variant("a-1b"), variant("a1-b"));
        assert_eq!(variant("self"), "Self_");
        assert_eq!(snake("type", Span::call_site()).to_string(), "r#type");
        assert_eq!(snake("self", Span::call_site()).to_string(), "self_");
    }
}
