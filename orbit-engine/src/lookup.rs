//! Integer keys and sorted-table look-ups shared by the `ids` generator and generated code.
//!
//! The generated `FromStr` of every closed enum parses the text with [`crate::id`] (no
//! allocation), turns the parsed structure into an integer key with the functions here, and
//! binary-searches a sorted `(key, index)` table that the generator emitted with the very same
//! functions. One definition of the key serves both sides, so they cannot drift apart.
//!
//! ```
//! use orbit_engine::id::Mid;
//! use orbit_engine::lookup::{find, mid_key};
//!
//! let a: Mid = "c8fms03".parse()?;
//! let b: Mid = "c8bms06".parse()?;
//! let table = [(mid_key(a), 0), (mid_key(b), 1)]; // sorted by key
//! assert_eq!(find(&table, mid_key(b)), Some(1));
//! # Ok::<(), orbit_engine::id::IdError>(())
//! ```

use crate::id::{Endpoint, Mid, Pid, Rid, ServiceKind};

/// The key of a MID: component, type code and identifier packed into 26 bits.
pub const fn mid_key(m: Mid) -> u64 {
    let code = match m.kind {
        ServiceKind::Frontend => 0,
        ServiceKind::Backend => 1,
    };
    ((m.component as u64) << 12) | (code << 10) | (m.number as u64 & 0x3ff)
}

/// The key of a RID: component, the `bre` code and identifier packed into 26 bits.
pub const fn rid_key(r: Rid) -> u64 {
    ((r.component as u64) << 12) | (2 << 10) | (r.number as u64 & 0x3ff)
}

/// The key of a MID or RID (the same as [`mid_key`] or [`rid_key`]).
pub const fn endpoint_key(e: Endpoint) -> u64 {
    match e {
        Endpoint::Mid(m) => mid_key(m),
        Endpoint::Rid(r) => rid_key(r),
    }
}

/// The key of a PID: start, end and execution order packed into 62 bits.
pub const fn pid_key(p: Pid) -> u64 {
    (endpoint_key(p.start) << 36) | (endpoint_key(p.end) << 10) | (p.order as u64 & 0x3ff)
}

/// The MID of a [`mid_key`] (the inverse; a key of another kind gives a meaningless MID).
pub const fn mid_of_key(key: u64) -> Mid {
    Mid {
        component: (key >> 12) as u16,
        kind: if (key >> 10) & 3 == 0 {
            ServiceKind::Frontend
        } else {
            ServiceKind::Backend
        },
        number: (key & 0x3ff) as u16,
    }
}

/// The RID of a [`rid_key`] (the inverse).
pub const fn rid_of_key(key: u64) -> Rid {
    Rid {
        component: (key >> 12) as u16,
        number: (key & 0x3ff) as u16,
    }
}

/// The MID or RID of an [`endpoint_key`] (the inverse).
pub const fn endpoint_of_key(key: u64) -> Endpoint {
    if (key >> 10) & 3 == 2 {
        Endpoint::Rid(rid_of_key(key))
    } else {
        Endpoint::Mid(mid_of_key(key))
    }
}

/// The PID of a [`pid_key`] (the inverse).
pub const fn pid_of_key(key: u64) -> Pid {
    Pid {
        start: endpoint_of_key((key >> 36) & 0x3ff_ffff),
        end: endpoint_of_key((key >> 10) & 0x3ff_ffff),
        order: (key & 0x3ff) as u16,
    }
}

/// The key of a physical name's serial digits (`"1606"` → 1606), if they fit.
pub fn serial_key(serial: &str) -> Option<u64> {
    if serial.is_empty() || serial.len() > 18 {
        return None;
    }
    let mut n: u64 = 0;
    for b in serial.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    Some(n)
}

/// Index of `key` in a table sorted by key (the first entry with that key).
pub fn find(table: &[(u64, u32)], key: u64) -> Option<usize> {
    let i = table.partition_point(|e| e.0 < key);
    match table.get(i) {
        Some(&(k, idx)) if k == key => Some(idx as usize),
        _ => None,
    }
}

/// Every index stored under `key` in a table sorted by key.
pub fn find_all(table: &[(u64, u32)], key: u64) -> impl Iterator<Item = usize> + '_ {
    let i = table.partition_point(|e| e.0 < key);
    table[i..]
        .iter()
        .take_while(move |e| e.0 == key)
        .map(|e| e.1 as usize)
}

/// Index of `name` in a table sorted by name.
pub fn find_str(table: &[(&str, u32)], name: &str) -> Option<usize> {
    table
        .binary_search_by(|e| e.0.cmp(name))
        .ok()
        .map(|i| table[i].1 as usize)
}

/// Up to `max` of `candidates` nearest to `target` by edit distance, nearest first (ties in
/// candidate order); only those within 2 of the best. For error messages at run time, where
/// the manifest checker's fuzzy matching is not compiled in.
pub fn nearest<'a>(target: &str, candidates: &[&'a str], max: usize) -> Vec<&'a str> {
    let mut scored: Vec<(usize, usize, &'a str)> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| **c != target)
        .map(|(i, c)| (distance(target, c), i, *c))
        .collect();
    scored.sort_unstable();
    let best = scored.first().map_or(0, |s| s.0);
    scored
        .into_iter()
        .take_while(|s| s.0 <= best + 2)
        .take(max)
        .map(|s| s.2)
        .collect()
}

/// Levenshtein distance over bytes (ids are ASCII).
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_distinct_and_ordered_tables_find() {
        let m: Mid = "c8fms03".parse().unwrap();
        let b: Mid = "c8bms03".parse().unwrap();
        let r: Rid = "c8bre03".parse().unwrap();
        assert_ne!(mid_key(m), mid_key(b));
        assert_ne!(mid_key(b), rid_key(r));
        let p: Pid = "c8fms03-c20bre06-e15".parse().unwrap();
        let q: Pid = "c8fms03-c20bre06-e20".parse().unwrap();
        assert_ne!(pid_key(p), pid_key(q));
        assert_eq!(pid_of_key(pid_key(p)), p);
        let long: Pid = "c9999bms999-c9999bre999-e995".parse().unwrap();
        assert_eq!(pid_of_key(pid_key(long)), long);
        assert_eq!(mid_of_key(mid_key(b)), b);
        assert_eq!(rid_of_key(rid_key(r)), r);
        let mut table = [(pid_key(q), 1), (pid_key(p), 0)];
        table.sort_unstable();
        assert_eq!(find(&table, pid_key(p)), Some(0));
        assert_eq!(find(&table, 7), None);
        assert_eq!(serial_key("1606"), Some(1606));
        assert_eq!(serial_key("16a"), None);
        let names = [("a", 1), ("b", 0)];
        assert_eq!(find_str(&names, "b"), Some(0));
        assert_eq!(find_all(&[(1, 0), (2, 1), (2, 2), (3, 3)], 2).count(), 2);
    }

    #[test]
    fn nearest_orders_by_distance() {
        let ids = ["c8fms03", "c8bms06", "c8fms09", "c20bre06"];
        assert_eq!(nearest("c8fms04", &ids, 2), vec!["c8fms03", "c8fms09"]);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
