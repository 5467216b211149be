//! Process ids: `c8fms03-c20bre06-e15`.

use std::fmt;
use std::str::FromStr;

use super::endpoint::fast_pid;
use super::{check_ascii_lower, padded_number, write_number, Endpoint, IdError, IdKind};

/// A process id such as `c8fms03-c20bre06-e15`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pid {
    /// The start resource: a MID or a RID.
    pub start: Endpoint,
    /// The end resource: a MID or a RID.
    pub end: Endpoint,
    /// The execution order (15 in `e15`).
    pub order: u16,
}

impl FromStr for Pid {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, IdError> {
        if let Some(pid) = fast_pid(text.as_bytes()) {
            return Ok(pid);
        }
        Pid::parse_slow(text)
    }
}

impl Pid {
    pub(super) fn parse_slow(text: &str) -> Result<Self, IdError> {
        const K: IdKind = IdKind::Pid;
        check_ascii_lower(text, K)?;
        // Three parts joined by `-`, found without allocating.
        let mut it = text.splitn(4, '-');
        let parts = [
            it.next().unwrap_or(""),
            it.next().unwrap_or(""),
            it.next().unwrap_or(""),
        ];
        let count = text.split('-').count();
        if count != 3 {
            return Err(IdError::new(
                K,
                format!("a PID has three parts joined by `-` (start, end, `e<NN>`), found {count}"),
                0..text.len(),
            ));
        }
        let start_off = 0;
        let end_off = parts[0].len() + 1;
        let ord_off = end_off + parts[1].len() + 1;
        let relabel = |mut e: IdError| {
            e.kind = K;
            e
        };
        let rebuild = |s: &str, e: &str, o: &str| format!("{s}-{e}-{o}");
        let start = Endpoint::parse_at(parts[0], start_off).map_err(|e| {
            let sugg = e
                .suggestion()
                .map(|s| rebuild(s, parts[1], parts[2]))
                .filter(|s| s.parse::<Pid>().is_ok());
            let e = relabel(e);
            match sugg {
                Some(s) => e.suggest(s),
                None => e,
            }
        })?;
        let end = Endpoint::parse_at(parts[1], end_off).map_err(|e| {
            let sugg = e
                .suggestion()
                .map(|s| rebuild(parts[0], s, parts[2]))
                .filter(|s| s.parse::<Pid>().is_ok());
            let e = relabel(e);
            match sugg {
                Some(s) => e.suggest(s),
                None => e,
            }
        })?;
        let Some(ord) = parts[2].strip_prefix('e') else {
            return Err(IdError::new(
                K,
                "the execution order starts with `e`, e.g. `e05`",
                ord_off..text.len(),
            ));
        };
        let order =
            padded_number(ord, K, "execution order", ord_off + 1).map_err(|(e, n)| match n {
                Some(n) => {
                    let mut o = String::from("e");
                    let _ = write_number(&mut o, n);
                    e.suggest(rebuild(parts[0], parts[1], &o))
                }
                None => e,
            })?;
        Ok(Pid { start, end, order })
    }
}

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-e", self.start, self.end)?;
        write_number(f, self.order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::Rid;

    #[test]
    fn rids_and_pids() {
        let r: Rid = "c20bre06".parse().unwrap();
        assert_eq!((r.component, r.number), (20, 6));
        assert!("c8fms03"
            .parse::<Rid>()
            .unwrap_err()
            .message()
            .contains("is a MID"));
        let p: Pid = "c8fms03-c20bre06-e15".parse().unwrap();
        assert_eq!(p.to_string(), "c8fms03-c20bre06-e15");
        let e = "c8fms03-c20bre06-e5".parse::<Pid>().unwrap_err();
        assert_eq!(e.suggestion(), Some("c8fms03-c20bre06-e05"));
        let e = "c8fms3-c20bre06-e05".parse::<Pid>().unwrap_err();
        assert_eq!(e.suggestion(), Some("c8fms03-c20bre06-e05"));
        assert!("c8fms03-c20bre06".parse::<Pid>().is_err());
        assert!("c8fms03-c20bre06-x05".parse::<Pid>().is_err());
    }

    #[test]
    fn fast_pid_accepts_exactly_what_the_parser_accepts() {
        let ends = [
            "c8fms03",
            "c8fms3",
            "c08fms03",
            "c8bre100",
            "c8bre099",
            "c9999bms999",
            "c10000bms03",
            "c8fms0003",
            "c8xms03",
            "c8bre",
            "c8fms00",
            "",
        ];
        let orders = [
            "e05", "e5", "e100", "e005", "e995", "e1000", "e0", "e00", "E05", "e05x", "e", "",
        ];
        let mut checked = 0;
        for s in ends {
            for e in ends {
                for o in orders {
                    for text in [
                        format!("{s}-{e}-{o}"),
                        format!("{s}-{e}{o}"),
                        format!("{s}--{e}-{o}"),
                        format!("{s}-{e}-{o}-"),
                    ] {
                        assert_eq!(
                            fast_pid(text.as_bytes()),
                            Pid::parse_slow(&text).ok(),
                            "{text:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 12 * 12 * 12 * 4);
    }
}
