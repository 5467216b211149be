//! Rust names of generated items (the README's "Typed ids in service code"): `C8FMS03` constants, `C8fms03` variants, `k8d`
//! modules. Every function here is injective over valid ids, so two declarations never share a
//! generated name unless the README's "Typed ids in service code" says they do (legs and events: checked by the engine).

use std::borrow::Cow;

use proc_macro2::{Ident, Span};

/// The constant of an id or a kebab name: `c8fms03-c20bre06-e15` → `C8FMS03_C20BRE06_E15`,
/// `flow-4` → `FLOW_4`, `transfer-image` → `TRANSFER_IMAGE`.
pub fn constant(text: &str) -> String {
    // One copy changed in place by index: proc macros run unoptimised, where `replace` and
    // `to_ascii_uppercase` cost calls per character. Only ASCII bytes change, so the bytes
    // stay UTF-8.
    let mut b = text.as_bytes().to_vec();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'-' => b[i] = b'_',
            c @ b'a'..=b'z' => b[i] = c - 32,
            _ => {}
        }
        i += 1;
    }
    String::from_utf8(b).unwrap_or_else(|_| text.replace('-', "_").to_ascii_uppercase())
}

/// The enum variant (or type name) of an id or kebab name: words capitalised and joined,
/// with `_` before a word that starts with a digit (`a-1b` → `A_1b`, `a1-b` → `A1B`).
pub fn variant(text: &str) -> String {
    if text.is_ascii() {
        variant_ascii(text)
    } else {
        variant_chars(text)
    }
}

/// [`variant`] of ASCII text, by plain loops over the bytes: proc macros run unoptimised,
/// where `split`, `chars` and `collect` cost calls per character.
fn variant_ascii(text: &str) -> String {
    let b = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len() + 2);
    let (mut i, mut word, mut first) = (0, 0usize, true);
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c == b'-' {
            word += 1;
            first = true;
            continue;
        }
        let c = if first {
            first = false;
            match c {
                b'0'..=b'9' => {
                    out.push(if word > 0 { b'_' } else { b'N' });
                    c
                }
                b'a'..=b'z' => c - 32,
                _ => c,
            }
        } else {
            c
        };
        out.push(match c {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => c,
            _ => b'_',
        });
    }
    if !matches!(out.first(), Some(b'a'..=b'z' | b'A'..=b'Z')) {
        out.insert(0, b'N');
    }
    if out == b"Self" {
        out.push(b'_');
    }
    String::from_utf8(out).unwrap_or_else(|_| variant_chars(text))
}

fn variant_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split('-').enumerate() {
        let mut chars = word.chars();
        let Some(first) = chars.next() else { continue };
        if first.is_ascii_digit() {
            if i > 0 {
                out.push('_');
            } else {
                out.push('N');
            }
            out.push(first);
        } else {
            out.push(first.to_ascii_uppercase());
        }
        out.extend(chars);
    }
    let mut out: String = out
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'N');
    }
    if out == "Self" {
        out.push('_');
    }
    out
}

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
        /// The checker predicts variants (to report clashes) without the generator's code.
        #[test]
        fn the_checker_knows_the_variant_of_a_name(text in "[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,3}") {
            proptest::prop_assert_eq!(crate::check::variant_text(&text), variant(&text));
        }

        /// Kebab-case names starting with a letter never share a variant.
        #[test]
        fn kebab_names_have_distinct_variants(
            a in "[a-z][a-z0-9]{0,3}(-[a-z0-9]{1,3}){0,3}",
            b in "[a-z][a-z0-9]{0,3}(-[a-z0-9]{1,3}){0,3}",
        ) {
            proptest::prop_assume!(a != b);
            proptest::prop_assert_ne!(variant(&a), variant(&b));
        }

        #[test]
        fn variants_of_ascii_text_are_the_general_rule(text in "[a-z0-9A-Z_. -]{0,24}") {
            proptest::prop_assert_eq!(variant_ascii(&text), variant_chars(&text));
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
