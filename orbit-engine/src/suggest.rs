//! Did-you-mean: the nearest known keys and declared ids.

/// Up to `max` candidates nearest to `target` by edit distance (ties in candidate order).
///
/// Ids are always worth suggesting, however far: the help line then shows what exists.
pub fn nearest<'a>(
    target: &str,
    candidates: impl Iterator<Item = &'a str>,
    max: usize,
) -> Vec<String> {
    let mut scored: Vec<(usize, &str)> = candidates
        .filter(|c| *c != target)
        .map(|c| (strsim::osa_distance(target, c), c))
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let best = scored.first().map_or(0, |s| s.0);
    scored
        .into_iter()
        .take_while(|(d, _)| *d <= best + 2)
        .take(max)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// The nearest key, when it is close enough to be what was meant.
pub fn nearest_key<'a>(target: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::osa_distance(target, k), *k))
        .filter(|(d, k)| *d <= (k.len().max(target.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// "did you mean `a`, `b`? or declare `[table.x]`".
pub fn declare_or(declaration: &str, near: &[String]) -> String {
    if near.is_empty() {
        format!("declare `{declaration}`")
    } else {
        format!(
            "did you mean {}? otherwise declare `{declaration}`",
            near.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_ids_first() {
        let ids = ["c8fms03", "c8bms06", "c8fms09", "c20bre06"];
        assert_eq!(
            nearest("c8fms04", ids.into_iter(), 2),
            vec!["c8fms03", "c8fms09"]
        );
        assert_eq!(nearest_key("nmae", &["name", "doc"]), Some("name"));
        assert_eq!(nearest_key("zzzzzz", &["name", "doc"]), None);
    }
}
