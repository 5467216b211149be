//! Component ids: `c20` (`C20` in prose).

use std::fmt;
use std::str::FromStr;

use super::{check_ascii_lower, group_number, IdError, IdKind};

/// A component id such as `c20` (written `C20` in prose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComponentId(pub u16);

impl ComponentId {
    /// The component number (20 for `c20`).
    pub const fn number(self) -> u16 {
        self.0
    }

    /// Parses the prose form `C20` as well as the canonical `c20`.
    pub fn parse_prose(text: &str) -> Result<Self, IdError> {
        match text.strip_prefix('C') {
            Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) => {
                format!("c{rest}").parse()
            }
            _ => text.parse(),
        }
    }
}

impl FromStr for ComponentId {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, IdError> {
        const K: IdKind = IdKind::Component;
        if let Some(rest) = text.strip_prefix('C') {
            if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
                let err = IdError::new(
                    K,
                    "component ids are lowercase in a manifest (`C` is prose)",
                    0..1,
                );
                return Err(match group_number(rest, K, "component", 1) {
                    Ok(n) => err.suggest(format!("c{n}")),
                    Err(_) => err,
                });
            }
        }
        check_ascii_lower(text, K)?;
        let Some(rest) = text.strip_prefix('c') else {
            return Err(IdError::new(
                K,
                "a component id starts with `c`",
                0..text.len().min(1),
            ));
        };
        group_number(rest, K, "component", 1)
            .map_err(|e| {
                let t = rest.trim_start_matches('0');
                if !t.is_empty() && t.len() < rest.len() && t.bytes().all(|b| b.is_ascii_digit()) {
                    e.suggest(format!("c{t}"))
                } else {
                    e
                }
            })
            .map(ComponentId)
    }
}

impl fmt::Display for ComponentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::FlowId;

    #[test]
    fn flows_and_components() {
        assert_eq!("flow-16".parse::<FlowId>().unwrap(), FlowId(16));
        assert!("flow-016".parse::<FlowId>().is_err());
        assert_eq!(
            "flow16".parse::<FlowId>().unwrap_err().suggestion(),
            Some("flow-16")
        );
        assert_eq!("c20".parse::<ComponentId>().unwrap(), ComponentId(20));
        assert_eq!(
            "C20".parse::<ComponentId>().unwrap_err().suggestion(),
            Some("c20")
        );
        assert_eq!(ComponentId::parse_prose("C20").unwrap(), ComponentId(20));
        assert!("c0".parse::<ComponentId>().is_err());
    }
}
