//! Generated Rust source written as text and lexed in one call (see
//! [`Options::lexer`](crate::codegen::Options::lexer)).

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::super::markdown as md;
use super::super::names::ident_text;
use super::Sound;

/// `#[doc = "…"] pub const C8FMS03: Microservice = Microservice::C8fms03;` for every id of one
/// enum, written as source (see [`Options::lexer`](crate::codegen::Options::lexer)).
pub(super) struct IdConsts {
    ty: &'static str,
    pub(super) src: String,
}

impl IdConsts {
    pub(super) fn new(ty: &'static str) -> Self {
        IdConsts {
            ty,
            src: String::new(),
        }
    }

    pub(super) fn push(&mut self, doc: &str, constant: &str, variant: &str) {
        self.push_with(|src| push_lit_body(src, doc), constant, variant);
    }

    /// [`IdConsts::push`] with the doc's literal content written by `doc` (with
    /// [`push_lit_body`] for any text that may need escaping).
    pub(super) fn push_with(
        &mut self,
        doc: impl FnOnce(&mut String),
        constant: &str,
        variant: &str,
    ) {
        let src = &mut self.src;
        src.push_str("#[doc = \"");
        doc(src);
        src.push_str("\"] pub const ");
        src.push_str(&ident_text(constant));
        src.push_str(": ");
        src.push_str(self.ty);
        src.push_str(" = ");
        src.push_str(self.ty);
        src.push_str("::");
        src.push_str(&ident_text(variant));
        src.push_str(";\n");
    }
}

/// Tokens for `src`, Rust source written by this generator (see
/// [`Options::lexer`](crate::codegen::Options::lexer)). The source is written from ids, names
/// and [`push_lit`] literals only, so it always lexes; if it ever did not, the build fails with
/// an error that says so rather than a panic.
pub(super) fn source(s: &Sound<'_>, src: &str) -> TokenStream {
    if let Some(tokens) = s.lexer.and_then(|lex| lex(src)) {
        return tokens;
    }
    match src.parse() {
        Ok(tokens) => tokens,
        Err(e) => {
            let msg = format!(
                "orbit: internal error: the generated source does not lex ({e}); please report it with the manifest"
            );
            quote!(::core::compile_error! { #msg })
        }
    }
}

/// Appends `text` to `out` as a Rust string literal with the value `text`, written as
/// `proc_macro::Literal::string` writes it: printable ASCII other than `"` and `\` as it is,
/// every other character as `char::escape_debug` writes it (`\n`, `\"`, `\u{202e}`; printable
/// non-ASCII characters as they are). Runs of plain bytes are copied whole.
pub(super) fn push_lit(out: &mut String, text: &str) {
    out.push('"');
    push_lit_body(out, text);
    out.push('"');
}

/// Ends the first line of an id's doc written as literal content (`, inserted in a reserved
/// slot` when it is, then `).`) and adds the manifest's `doc` as a paragraph of its own.
pub(super) fn close_first_line(d: &mut String, inserted: bool, doc: Option<&str>) {
    if inserted {
        d.push_str(", inserted in a reserved slot");
    }
    d.push_str(").\\n\\n");
    if let Some(x) = doc {
        push_lit_body(d, &md::block(x));
        d.push_str("\\n\\n");
    }
}

/// Appends what [`push_lit`] writes between the quotes: a literal's content can be written in
/// pieces, each escaped on its own, without building the whole text first.
pub(super) fn push_lit_body(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let (mut start, mut i, n) = (0, 0, bytes.len());
    while i < n {
        let b = bytes[i];
        // Plain comparisons only: proc macros run unoptimised, where a call per byte (an
        // iterator adapter, `RangeInclusive::contains`) costs several times this loop.
        #[allow(clippy::manual_range_contains)]
        let plain = b >= b' ' && b < 0x7f && b != b'"' && b != b'\\';
        if plain {
            i += 1;
            continue;
        }
        out.push_str(&text[start..i]);
        // The common escapes directly; anything else as `escape_debug` writes it.
        match b {
            b'\n' => out.push_str("\\n"),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            _ => {
                let c = text[i..]
                    .chars()
                    .next()
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                out.extend(c.escape_debug());
                i += c.len_utf8() - 1;
            }
        }
        i += 1;
        start = i;
    }
    out.push_str(&text[start..]);
}

/// The entries of a generated table, written as source and lexed in one call (see
/// [`Options::lexer`](crate::codegen::Options::lexer)): a table of thousands of entries built
/// token by token costs a proc macro a call into the compiler per token.
#[derive(Default)]
pub(super) struct List(pub(super) String);

impl List {
    /// `f` applied to every item, in order.
    pub(super) fn of<T>(
        items: impl IntoIterator<Item = T>,
        mut f: impl FnMut(&mut List, T),
    ) -> List {
        let mut list = List::default();
        for x in items {
            f(&mut list, x);
        }
        list
    }

    /// Starts an entry.
    pub(super) fn item(&mut self) -> &mut String {
        if !self.0.is_empty() {
            self.0.push_str(", ");
        }
        &mut self.0
    }

    pub(super) fn int(&mut self, n: u64, suffix: &str) {
        let out = self.item();
        push_int(out, n);
        out.push_str(suffix);
    }

    pub(super) fn pair(&mut self, a: u64, b: u64) {
        let out = self.item();
        out.push('(');
        push_int(out, a);
        out.push_str(", ");
        push_int(out, b);
        out.push(')');
    }

    pub(super) fn str(&mut self, text: &str) {
        push_lit(self.item(), text);
    }

    pub(super) fn opt_str(&mut self, text: Option<&str>) {
        let out = self.item();
        match text {
            Some(t) => {
                out.push_str("Some(");
                push_lit(out, t);
                out.push(')');
            }
            None => out.push_str("None"),
        }
    }

    pub(super) fn strs<'a>(&mut self, items: impl IntoIterator<Item = &'a str>) {
        let inner = List::of(items, List::str);
        let out = self.item();
        out.push_str("&[");
        out.push_str(&inner.0);
        out.push(']');
    }

    /// `&[…]` of the entries, as tokens.
    pub(super) fn array(&self, s: &Sound<'_>) -> TokenStream {
        let mut src = String::with_capacity(self.0.len() + 3);
        src.push_str("&[");
        src.push_str(&self.0);
        src.push(']');
        source(s, &src)
    }
}

/// Appends `n` in decimal: what `Literal::u64_unsuffixed(n)` writes.
pub(super) fn push_int(out: &mut String, n: u64) {
    let _ = write!(out, "{n}");
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    fn written(text: &str) -> String {
        let mut out = String::new();
        super::push_lit(&mut out, text);
        out
    }

    #[test]
    fn literals_written_as_source_are_what_the_token_api_writes() {
        // Outside a proc macro `Literal::string` is proc-macro2's, which escapes as the
        // compiler's does; the generated source must hold the same literal, character for
        // character, so that the expansion is the same whichever way it was built.
        for text in [
            "",
            "plain text",
            "a \"quoted\" C:\\path",
            "line\nbreak\ttab\rcr\0nul\u{7f}del\u{1b}[0m",
            "it's",
            "components 1–100, naïve, 東京, 🚀",
            "\u{202e}reversed\u{2066}",
            "e\u{301} combining",
            "\u{feff}bom \u{200b}zero-width",
        ] {
            assert_eq!(
                written(text),
                proc_macro2::Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_text_is_written_as_the_token_api_writes_it(text in any::<String>()) {
            prop_assert_eq!(written(&text), proc_macro2::Literal::string(&text).to_string());
        }
    }

    proptest! {
        #[test]
        fn integers_are_written_as_the_token_api_writes_them(n in any::<u64>()) {
            let mut out = String::from("x");
            super::push_int(&mut out, n);
            prop_assert_eq!(out, format!("x{}", proc_macro2::Literal::u64_unsuffixed(n)));
        }
    }

    #[test]
    fn integer_edges() {
        for n in [0, 9, 10, 99, 100, u64::from(u32::MAX), u64::MAX] {
            let mut out = String::new();
            super::push_int(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }
}
