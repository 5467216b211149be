//! Keys, hashes and compile-time tables shared by the `ids` generator and generated code.
//!
//! The generated `FromStr` of MIDs, RIDs and PIDs, and `Resource::from_physical_name`, hash the
//! text with [`hash`] and find it in a [`KeyTable`] that the generator built at expansion time
//! with [`key_table`] over the very same [`hash`]: one multiply per 8 bytes of text, usually one
//! probe, then one comparison with the declared text. One definition of the hash serves both
//! sides, so they cannot drift apart. The structural parse of [`crate::id`] only runs when the
//! text is not declared, to explain why.
//!
//! The integer keys ([`mid_key`], [`pid_key`] …) pack an id's structure into a `u64`: the
//! generated `id()` methods decode them, and flows and components are still found by
//! binary search ([`find`]) of their keys.
//!
//! ```
//! use orbit_engine::lookup::{hash, key_table, KeyTable};
//!
//! let ids = ["c8fms03", "c8bms06", "c20bre06"];
//! let hashes: Vec<u64> = ids.iter().map(|t| hash(t)).collect();
//! let (bits, slots) = key_table(&hashes);
//! let table = KeyTable { bits, slots: &slots };
//! assert_eq!(table.get("c8bms06", &ids), Some(1));
//! assert_eq!(table.get("c8bms09", &ids), None);
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

/// The hash of an id's text (or any bytes) that [`KeyTable`]s are built and searched with.
///
/// Defined byte by byte (little-endian words), so the generator computing it at expansion time
/// and the generated code computing it at run time agree on every target. Not resistant to
/// chosen collisions (nothing depends on that: a [`KeyTable`] compares the texts it finds),
/// but every byte and the length reach every bit of the result.
#[inline]
pub fn hash(text: &str) -> u64 {
    hash_bytes(text.as_bytes())
}

/// The multiplier of [`hash`]: 2⁶⁴ divided by the golden ratio, odd.
const MUL: u64 = 0x9e37_79b9_7f4a_7c15;

/// The high and low halves of a 128-bit product, folded together.
#[inline(always)]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// A little-endian word of up to 8 bytes of `b` from `at` (`b` has `at + n` bytes).
#[inline(always)]
fn word(b: &[u8], at: usize, n: usize) -> u64 {
    let mut w = [0u8; 8];
    w[..n].copy_from_slice(&b[at..at + n]);
    u64::from_le_bytes(w)
}

/// [`hash`] of bytes: the length, then each 8-byte word (the last one read flush with the end,
/// overlapping the one before it) mixed in by a folded multiply; texts under 8 bytes are read
/// as two overlapping 4-byte halves, or their first, middle and last byte.
#[inline]
fn hash_bytes(b: &[u8]) -> u64 {
    let len = b.len();
    let mut h = (len as u64).wrapping_mul(MUL) ^ 0x2d35_8dcc_aa6c_78a5;
    if len >= 8 {
        let mut at = 0;
        while at + 8 < len {
            h = fold_mul(h ^ word(b, at, 8), MUL);
            at += 8;
        }
        h = fold_mul(h ^ word(b, len - 8, 8), MUL);
    } else if len >= 4 {
        let w = word(b, 0, 4) | (word(b, len - 4, 4) << 32);
        h = fold_mul(h ^ w, MUL);
    } else if len > 0 {
        let w = u64::from(b[0]) | (u64::from(b[len / 2]) << 8) | (u64::from(b[len - 1]) << 16);
        h = fold_mul(h ^ w, MUL);
    }
    fold_mul(h, 0x8bb8_4b93_962e_acc9)
}

/// An open-addressing hash table written at compile time: which index (into a list of texts,
/// or any numbering) a [`hash`] belongs to, in one probe in the common case.
///
/// `slots` has `2^bits` entries (at least 2), of which at most half are used, so a search for
/// an absent hash soon reaches an empty slot. A search starts at the slot named by the top
/// `bits` bits of the hash and moves right (wrapping round) until it reaches an empty slot.
/// Each slot is a `u32`: `0` when empty, otherwise the index plus one in the low `bits` bits
/// and, above them, the same bits of the hash's low 32 bits (a tag that rules out most other
/// hashes without looking at their texts). Different texts may share a hash: a match is only a
/// candidate, which the caller confirms (see [`KeyTable::get`] and [`KeyTable::find`]). Build
/// one with [`key_table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyTable<'a> {
    /// log2 of the number of slots.
    pub bits: u32,
    /// The `2^bits` slots, as written by [`key_table`].
    pub slots: &'a [u32],
}

impl KeyTable<'_> {
    /// The index of `text` in `texts`, if the table was built from the [`hash`]es of `texts`
    /// (in order) and `text` is one of them. The first such index when `texts` repeats one.
    #[inline]
    pub fn get(&self, text: &str, texts: &[&str]) -> Option<usize> {
        self.find(hash(text), |i| texts.get(i) == Some(&text))
    }

    /// The first index stored under `hash` (in the order the table was built) that `is`
    /// accepts. `is` confirms a candidate, typically by comparing its text with the one hashed.
    ///
    /// Never panics and always ends, even on slots not written by [`key_table`]: positions
    /// are masked to the slice and at most every slot is visited once.
    #[inline]
    pub fn find(&self, hash: u64, mut is: impl FnMut(usize) -> bool) -> Option<usize> {
        let len = self.slots.len();
        let mask = len.wrapping_sub(1);
        let index_mask = mask as u32;
        let tag = (hash as u32) & !index_mask;
        let mut at = (hash.wrapping_shr(64u32.wrapping_sub(self.bits)) as usize) & mask;
        for _ in 0..len {
            let slot = self.slots[at];
            if slot == 0 {
                return None;
            }
            if slot & !index_mask == tag {
                let i = ((slot & index_mask) as usize).wrapping_sub(1);
                if is(i) {
                    return Some(i);
                }
            }
            at = (at + 1) & mask;
        }
        None
    }
}

/// Builds the slots of a [`KeyTable`] holding index `i` under `hashes[i]` for every `i`: the
/// smallest power of two of slots, at least 2, that keeps the table at most half full (`bits`
/// is its log2). Entries are placed in index order, so for equal hashes the lower index is
/// found first. Deterministic: the same hashes give the same slots on every machine.
///
/// # Panics
///
/// With 2³⁰ hashes or more (an index must fit in the slot beside a tag).
pub fn key_table(hashes: &[u64]) -> (u32, Vec<u32>) {
    assert!(hashes.len() < 1 << 30, "too many entries for a KeyTable");
    let len = (hashes.len() * 2).next_power_of_two().max(2);
    let bits = len.trailing_zeros();
    let mask = len - 1;
    let index_mask = mask as u32;
    let mut slots = vec![0u32; len];
    for (i, &h) in hashes.iter().enumerate() {
        let mut at = (h >> (64 - bits)) as usize;
        while slots[at] != 0 {
            at = (at + 1) & mask;
        }
        slots[at] = ((h as u32) & !index_mask) | (i as u32 + 1);
    }
    (bits, slots)
}

/// Index of `key` in a table sorted by key (the first entry with that key).
pub fn find(table: &[(u64, u32)], key: u64) -> Option<usize> {
    let i = table.partition_point(|e| e.0 < key);
    match table.get(i) {
        Some(&(k, idx)) if k == key => Some(idx as usize),
        _ => None,
    }
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
        let names = [("a", 1), ("b", 0)];
        assert_eq!(find_str(&names, "b"), Some(0));
    }

    #[test]
    fn key_tables_find_present_texts_and_no_absent_ones() {
        let texts: Vec<String> = (1..=999)
            .flat_map(|n| {
                let m = Mid {
                    component: 8 + n % 7,
                    kind: ServiceKind::Backend,
                    number: n,
                };
                let r = Rid {
                    component: 20,
                    number: n,
                };
                let p = Pid {
                    start: m.into(),
                    end: r.into(),
                    order: n,
                };
                [m.to_string(), r.to_string(), p.to_string()]
            })
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let hashes: Vec<u64> = texts.iter().map(|t| hash(t)).collect();
        let mut distinct = hashes.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), hashes.len(), "no two ids share a hash");
        let (bits, slots) = key_table(&hashes);
        assert_eq!(slots.len(), 1 << bits);
        assert!(slots.len() >= 2 * texts.len(), "at most half full");
        let table = KeyTable {
            bits,
            slots: &slots,
        };
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(table.get(t, &texts), Some(i), "{t}");
        }
        for absent in [
            "",
            "c",
            "c8bms1000",
            "c8fms03",
            "c20bre1000",
            "C20bre06",
            "c20bre06-",
        ] {
            assert_eq!(table.get(absent, &texts), None, "{absent}");
        }
        // An empty table, and one built from nothing.
        assert_eq!(
            KeyTable {
                bits: 0,
                slots: &[]
            }
            .get("c8fms03", &texts),
            None
        );
        let (bits, slots) = key_table(&[]);
        assert_eq!((bits, slots.as_slice()), (1, &[0, 0][..]));
        assert_eq!(
            KeyTable {
                bits,
                slots: &slots
            }
            .find(hash("x"), |_| true),
            None
        );
    }

    #[test]
    fn key_table_probes_wrap_round_and_equal_hashes_are_all_reachable() {
        // `key_table` sizes 4 entries to 8 slots; hashes with the top 3 bits set start at the
        // last slot. `other` starts there too, with another tag.
        let top = u64::MAX - 5;
        let other = top - (1 << 20);
        let hashes = [top, top, other, 3];
        let (bits, slots) = key_table(&hashes);
        assert_eq!(bits, 3);
        // Slot 7 holds index 0; the others wrapped round to slots 0 and 1; hash 3 starts at
        // slot 0 and moved on to slot 2.
        assert_eq!(slots[7] & 7, 1);
        assert_eq!(slots[0] & 7, 2);
        assert_eq!(slots[1] & 7, 3);
        assert_eq!(slots[2] & 7, 4);
        let table = KeyTable {
            bits,
            slots: &slots,
        };
        assert_eq!(table.find(top, |_| true), Some(0));
        assert_eq!(table.find(top, |i| i == 1), Some(1), "past the wrap");
        assert_eq!(
            table.find(other, |_| true),
            Some(2),
            "tags tell hashes apart"
        );
        assert_eq!(table.find(3, |_| true), Some(3));
        assert_eq!(table.find(top, |i| i == 3), None, "stops at the empty slot");
        // A full table (not something `key_table` writes) still ends after one lap.
        let full = [top as u32 & !7 | 1; 8];
        assert_eq!(
            KeyTable {
                bits: 3,
                slots: &full
            }
            .find(top, |_| false),
            None
        );
        // Bits that disagree with the slice stay inside it.
        assert_eq!(
            KeyTable {
                bits: 40,
                slots: &slots
            }
            .find(top, |_| false),
            None
        );
    }

    #[test]
    fn hash_reads_every_byte_and_the_length() {
        let mut seen = std::collections::BTreeSet::new();
        let base = b"user-input-manifest-data-1606-tbl-k8d-aws";
        for len in 0..=base.len() {
            let t = std::str::from_utf8(&base[..len]).unwrap();
            assert!(seen.insert(hash(t)), "prefix of {len}");
            for at in 0..len {
                let mut b = base[..len].to_vec();
                b[at] ^= 1;
                assert!(
                    seen.insert(hash(std::str::from_utf8(&b).unwrap())),
                    "{len} {at}"
                );
            }
        }
        // Fixed values: the generator and generated code run on different machines.
        assert_eq!(hash(""), hash_bytes(b""));
        assert_eq!(hash("c8fms03"), 0x5317_8beb_df9b_df9b);
    }

    #[test]
    fn nearest_orders_by_distance() {
        let ids = ["c8fms03", "c8bms06", "c8fms09", "c20bre06"];
        assert_eq!(nearest("c8fms04", &ids, 2), vec!["c8fms03", "c8fms09"]);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
