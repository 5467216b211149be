//! The Rust names the `ids` generator gives manifest entries (the README's "Typed ids in
//! service code"), as text: one implementation for the generator, which emits them, and the
//! checker, which refuses entries whose names would clash (ORB005).

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

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn variants_of_ascii_text_are_the_general_rule(text in "[a-z0-9A-Z_. -]{0,24}") {
            proptest::prop_assert_eq!(variant_ascii(&text), variant_chars(&text));
        }
    }
}
