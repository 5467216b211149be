//! Did-you-mean: the nearest known keys and declared ids.

/// Up to `max` candidates nearest to `target` by edit distance, within 2 of the nearest (ties
/// in name order).
///
/// Ids are always worth suggesting, however far: the help line then shows what exists.
///
/// Only the candidates that can still make the list are measured: one whose length, or whose
/// letters counted, differ from the target's by more than the distance already beaten is
/// skipped without computing its distance. With ten thousand ids to search per unknown id, that
/// is most of the work a manifest full of errors used to cost.
pub fn nearest<'a>(
    target: &str,
    candidates: impl Iterator<Item = &'a str>,
    max: usize,
) -> Vec<String> {
    if max == 0 {
        return Vec::new();
    }
    let shape = Shape::of(target);
    let mut scored: Vec<(usize, &str)> = Vec::new();
    // The smallest distance so far, and the `max` smallest (a max-heap): a candidate above
    // both `best + 2` and the `max`-th smallest can neither be within 2 of the best nor
    // among the first `max` (ties go to the earlier name, so equal is kept).
    let mut best = usize::MAX;
    let mut smallest = std::collections::BinaryHeap::with_capacity(max + 1);
    for c in candidates {
        if c == target {
            continue;
        }
        let kth = if smallest.len() == max {
            smallest.peek().copied().unwrap_or(usize::MAX)
        } else {
            usize::MAX
        };
        let cutoff = best.saturating_add(2).min(kth);
        if shape.lower_bound(c) > cutoff {
            continue;
        }
        let d = strsim::osa_distance(target, c);
        if d > cutoff {
            continue;
        }
        best = best.min(d);
        smallest.push(d);
        if smallest.len() > max {
            smallest.pop();
        }
        scored.push((d, c));
    }
    ranked(scored, max)
}

/// The first `max` of the measured candidates within 2 of the nearest, nearest first.
fn ranked(mut scored: Vec<(usize, &str)>, max: usize) -> Vec<String> {
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let best = scored.first().map_or(0, |s| s.0);
    scored
        .into_iter()
        .take_while(|(d, _)| *d <= best + 2)
        .take(max)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// What bounds a text's edit distance to others from below: its length in characters, and for
/// ASCII text how often each byte occurs. An edit changes the length by at most one and the
/// counts by at most two (a substitution takes one letter and adds another; a transposition
/// changes nothing), so `|Δlength|` and half the summed difference of counts are lower bounds.
struct Shape {
    len: usize,
    counts: Option<[i16; 128]>,
}

impl Shape {
    fn of(text: &str) -> Shape {
        let counts = text.is_ascii().then(|| {
            let mut counts = [0i16; 128];
            for b in text.bytes() {
                counts[usize::from(b)] = counts[usize::from(b)].saturating_add(1);
            }
            counts
        });
        Shape {
            len: text.chars().count(),
            counts,
        }
    }

    fn lower_bound(&self, other: &str) -> usize {
        let Some(counts) = self.counts.filter(|_| other.is_ascii()) else {
            return self.len.abs_diff(other.chars().count());
        };
        let by_len = self.len.abs_diff(other.len());
        // Letters of `other` the target lacks, plus letters of the target `other` lacks.
        let mut left = counts;
        let mut extra = 0usize;
        for b in other.bytes() {
            let n = &mut left[usize::from(b)];
            if *n > 0 {
                *n -= 1;
            } else {
                extra += 1;
            }
        }
        let missing = self.len - (other.len() - extra);
        by_len.max((extra + missing).div_ceil(2))
    }
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
    use proptest::prelude::*;

    use super::*;

    /// `nearest` as it was before it skipped candidates: every distance measured.
    fn nearest_measuring_all(target: &str, candidates: &[String], max: usize) -> Vec<String> {
        let scored: Vec<(usize, &str)> = candidates
            .iter()
            .map(String::as_str)
            .filter(|c| *c != target)
            .map(|c| (strsim::osa_distance(target, c), c))
            .collect();
        ranked(scored, max)
    }

    proptest! {
        #[test]
        fn skipping_candidates_changes_no_answer(
            target in "[cfmsb0-9é]{0,10}",
            candidates in prop::collection::vec("[cfmsb0-9é]{0,10}", 0..60),
            max in 0usize..5,
        ) {
            let fast = nearest(&target, candidates.iter().map(String::as_str), max);
            prop_assert_eq!(fast, nearest_measuring_all(&target, &candidates, max));
        }

        #[test]
        fn the_bound_is_below_the_distance(a in "[a-dé0-3]{0,12}", b in "[a-dé0-3]{0,12}") {
            prop_assert!(Shape::of(&a).lower_bound(&b) <= strsim::osa_distance(&a, &b));
        }
    }

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
