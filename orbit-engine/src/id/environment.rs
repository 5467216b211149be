//! Environment and cloud codes: `k8d`, `aws`.

use super::{IdError, IdKind};

/// Checks an environment or cloud code: lowercase ASCII letters and digits, not empty.
pub fn check_code(text: &str, what: &str) -> Result<(), IdError> {
    if text.is_empty() {
        return Err(IdError::new(
            IdKind::Environment,
            format!("the {what} code is empty"),
            0..0,
        ));
    }
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
    {
        let e = IdError::new(
            IdKind::Environment,
            format!(
                "`{c}` cannot appear in {} {what} code: use lowercase letters and digits",
                article(what)
            ),
            i..i + c.len_utf8(),
        );
        let lower = text.to_ascii_lowercase();
        return Err(
            if lower
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                e.suggest(lower)
            } else {
                e
            },
        );
    }
    Ok(())
}

/// The indefinite article of `word`: "an" before a vowel ("an environment"), else "a".
pub fn article(word: &str) -> &'static str {
    match word.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u' | b'A' | b'E' | b'I' | b'O' | b'U') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_messages_take_the_right_article() {
        let e = check_code("K8d", "environment").unwrap_err();
        assert!(
            e.message().contains("in an environment code"),
            "{}",
            e.message()
        );
        let e = check_code("AWS", "cloud").unwrap_err();
        assert!(e.message().contains("in a cloud code"), "{}", e.message());
    }
}
