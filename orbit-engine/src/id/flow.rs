//! Flow ids (`flow-16`) and the blocks a flow's components reserve.

use std::fmt;
use std::str::FromStr;

use super::{check_ascii_lower, group_number, IdError, IdKind};

/// A flow id such as `flow-16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowId(pub u16);

impl FlowId {
    /// The flow number (16 for `flow-16`).
    pub const fn number(self) -> u16 {
        self.0
    }
}

impl FromStr for FlowId {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, IdError> {
        const K: IdKind = IdKind::Flow;
        check_ascii_lower(text, K)?;
        let Some(rest) = text.strip_prefix("flow-") else {
            let err = IdError::new(K, "a flow id starts with `flow-`", 0..text.len().min(5));
            let digits = text.trim_start_matches(|c: char| !c.is_ascii_digit());
            return Err(match digits.parse::<u16>() {
                Ok(n) if n > 0 && digits.len() == digits.trim_start_matches('0').len() => {
                    err.suggest(format!("flow-{n}"))
                }
                _ => err,
            });
        };
        group_number(rest, K, "flow", 5).map(FlowId).map_err(|e| {
            let t = rest.trim_start_matches('0');
            match group_number(t, K, "flow", 5) {
                Ok(n) if t.len() < rest.len() => e.suggest(format!("flow-{n}")),
                _ => e,
            }
        })
    }
}

impl fmt::Display for FlowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "flow-{}", self.0)
    }
}

/// The blocks the k-th component (1-based, 1..=8) of a flow reserves: `12(k-1)+3, +6, +9, +12`.
pub const fn blocks(position: u8) -> [u8; 4] {
    let base = 12 * (position - 1);
    [base + 3, base + 6, base + 9, base + 12]
}

/// The most components one flow may list.
pub const MAX_COMPONENTS_PER_FLOW: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_follow_the_pattern() {
        assert_eq!(blocks(1), [3, 6, 9, 12]);
        assert_eq!(blocks(2), [15, 18, 21, 24]);
        assert_eq!(blocks(8), [87, 90, 93, 96]);
    }
}
