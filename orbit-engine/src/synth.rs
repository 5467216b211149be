//! Synthetic manifests for benchmarks: valid, deterministic, and as large as asked.
//!
//! [`manifest`] writes an `orbit.toml` (format v1) that [`crate::check`] accepts with no
//! diagnostic, declaring the requested numbers of MIDs, RIDs, PIDs and events. It stays within
//! the conventions the way a large real manifest would have to:
//!
//! - components are numbered by 4 and spread over the three default regions (1–100, 101–200,
//!   201–300: at most 75 components);
//! - flows are numbered by 4 and hold at most 8 components each, every component in one flow;
//! - MIDs of a component share one sequence stepping by 3 (fms and bms alternate), RIDs have
//!   their own, so identifiers reach 3 digits once a component holds more than 33 of either;
//!   every 25th identifier takes a reserved slot with `inserted = true`;
//! - resources cycle through DynamoDB, S3 and MySQL with short names unique per component, so
//!   every physical name is unique and within the cloud's limits in all four environments;
//! - legs hold up to 100 parts (orders `e05` … `e500`); every PID is unique;
//! - events name a declared MID and RID and carry up to three fields.
//!
//! The same [`Size`] always yields the same bytes.

use std::fmt::Write;

/// How much a synthetic manifest declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Components, spread over the three regions (1 to 75).
    pub components: u16,
    /// Microservices (MIDs).
    pub mids: usize,
    /// Resources (RIDs).
    pub rids: usize,
    /// Process steps (PIDs), in legs of at most [`PARTS_PER_LEG`].
    pub pids: usize,
    /// Events.
    pub events: usize,
}

/// The parts in each generated leg (orders `e05` to `e500`).
pub const PARTS_PER_LEG: usize = 100;

/// The most components the three default regions hold at a step of 4.
pub const MAX_COMPONENTS: u16 = 75;

/// Named benchmark sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// M: 1,000 MIDs, 1,000 RIDs, 5,000 PIDs, 100 events over 30 components.
    Medium,
    /// L: 10,000 MIDs, 10,000 RIDs, 50,000 PIDs, 1,000 events over 75 components.
    Large,
    /// Any other size.
    Custom(Counts),
}

impl Size {
    /// Short name of [`Size::Medium`].
    pub const M: Size = Size::Medium;
    /// Short name of [`Size::Large`].
    pub const L: Size = Size::Large;

    /// What this size declares.
    pub const fn counts(self) -> Counts {
        match self {
            Size::Medium => Counts {
                components: 30,
                mids: 1_000,
                rids: 1_000,
                pids: 5_000,
                events: 100,
            },
            Size::Large => Counts {
                components: MAX_COMPONENTS,
                mids: 10_000,
                rids: 10_000,
                pids: 50_000,
                events: 1_000,
            },
            Size::Custom(c) => c,
        }
    }
}

impl std::str::FromStr for Size {
    type Err = String;

    /// `m` or `l` (any case; also `medium`, `large`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "m" | "medium" => Ok(Size::Medium),
            "l" | "large" => Ok(Size::Large),
            _ => Err(format!(
                "unknown size `{s}`: use `m` (1,000 MIDs) or `l` (10,000 MIDs)"
            )),
        }
    }
}

/// Why a custom size cannot be generated within the conventions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizeError(pub String);

impl std::fmt::Display for SizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SizeError {}

/// Identifiers per component: multiples of 3 up to 999, one in 25 moved to a reserved slot.
const MAX_PER_COMPONENT: usize = 333;

impl Counts {
    /// Checks that the conventions can hold this size.
    pub fn validate(&self) -> Result<(), SizeError> {
        if self.components == 0 || self.components > MAX_COMPONENTS {
            return Err(SizeError(format!(
                "{} components: the three regions hold 1 to {MAX_COMPONENTS} at a step of 4",
                self.components
            )));
        }
        let cap = MAX_PER_COMPONENT * usize::from(self.components);
        for (what, n) in [("MIDs", self.mids), ("RIDs", self.rids)] {
            if n > cap {
                return Err(SizeError(format!(
                    "{n} {what} do not fit {} components ({MAX_PER_COMPONENT} each at most); add components",
                    self.components
                )));
            }
        }
        if (self.pids > 0 || self.events > 0) && (self.mids == 0 || self.rids == 0) {
            return Err(SizeError(
                "PIDs and events need at least one MID and one RID".into(),
            ));
        }
        // A PID's (start, end) pair is unique by construction while pids / mids < rids.
        if self.mids > 0 && self.pids / self.mids >= self.rids.max(1) {
            return Err(SizeError(format!(
                "{} PIDs need more MIDs or RIDs to stay unique",
                self.pids
            )));
        }
        Ok(())
    }
}

/// The component numbers: round-robin over the three regions, each by 4 from its start.
fn component_numbers(n: u16) -> Vec<u16> {
    let mut out: Vec<u16> = (0..n).map(|i| (i % 3) * 100 + (i / 3 + 1) * 4).collect();
    out.sort_unstable();
    out
}

/// The `i`-th identifier of a component's sequence and whether it takes a reserved slot.
fn identifier(i: usize) -> (u16, bool) {
    let n = 3 * (i as u16 + 1);
    if i % 25 == 24 {
        (n - 1, true)
    } else {
        (n, false)
    }
}

fn push_number(out: &mut String, n: u16) {
    if n < 100 {
        let _ = write!(out, "{n:02}");
    } else {
        let _ = write!(out, "{n}");
    }
}

const WORDS: [&str; 12] = [
    "user", "image", "chart", "manifest", "order", "audit", "upload", "search", "deploy", "scan",
    "billing", "session",
];

const ROLES: [&str; 6] = ["upload", "search", "deploy", "transfer", "scan", "chart"];

/// Writes a valid manifest of the given size.
///
/// # Panics
///
/// Never for [`Size::Medium`] and [`Size::Large`]; for a [`Size::Custom`] that
/// [`Counts::validate`] rejects, use [`try_manifest`].
pub fn manifest(size: Size) -> String {
    match try_manifest(size) {
        Ok(s) => s,
        Err(e) => panic!("synthetic manifest: {e}"),
    }
}

/// Writes a valid manifest of the given size, or says why the conventions cannot hold it.
pub fn try_manifest(size: Size) -> Result<String, SizeError> {
    let c = size.counts();
    c.validate()?;
    let comps = component_numbers(c.components);
    let ncomp = comps.len();
    let mut out = String::with_capacity(c.mids * 80 + c.rids * 90 + c.pids * 60 + 4096);
    out.push_str(
        "# Synthetic manifest for benchmarks, written by `orbit_engine::synth` (deterministic).\n\n\
         [orbit]\nname = \"Synthetic\"\ncloud = \"aws\"\nrepository_owner = \"k8or-orbit-aws\"\n\
         repository_branch = \"k8or-dev\"\nretired = []\n\n",
    );
    for (code, name) in [
        ("k8d", "development"),
        ("k8t", "testing"),
        ("k8s", "staging"),
        ("k8p", "production"),
    ] {
        let _ = writeln!(out, "[environment.{code}]\nname = \"{name}\"\n");
    }
    for (key, name, lo, hi) in [
        ("n-virginia", "N. Virginia", 1, 100),
        ("ohio-k3s-master", "Ohio K3s master nodes", 101, 200),
        ("ohio-k3s-agent", "Ohio K3s agent nodes", 201, 300),
    ] {
        let _ = writeln!(
            out,
            "[region.{key}]\nname = \"{name}\"\ncomponents = [{lo}, {hi}]\n"
        );
    }
    // Flows of 8 components each, in component order.
    let flows: Vec<u16> = (0..ncomp.div_ceil(8)).map(|f| 4 * (f as u16 + 1)).collect();
    for (f, chunk) in flows.iter().zip(comps.chunks(8)) {
        let _ = write!(
            out,
            "[flow.flow-{f}]\nname = \"Flow {f}\"\ndoc = \"Synthetic flow.\"\ncomponents = ["
        );
        for (i, n) in chunk.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "\"c{n}\"");
        }
        out.push_str("]\n\n");
    }
    for n in &comps {
        let _ = writeln!(
            out,
            "[component.c{n}]\nname = \"Component {n}\"\ndoc = \"Synthetic component.\"\n"
        );
    }
    // MIDs and RIDs: entry k goes to component k % ncomp, as its (k / ncomp)-th identifier.
    let mut mids: Vec<String> = Vec::with_capacity(c.mids);
    for k in 0..c.mids {
        let comp = comps[k % ncomp];
        let (number, inserted) = identifier(k / ncomp);
        let mut id = format!(
            "c{comp}{}",
            if (k / ncomp).is_multiple_of(2) {
                "fms"
            } else {
                "bms"
            }
        );
        push_number(&mut id, number);
        let role = ROLES[k % ROLES.len()];
        let _ = writeln!(
            out,
            "[microservice.{id}]\nname = \"Service {k}\"\nroles = [\"{role}\"]\ndoc = \"Synthetic {role} microservice.\"{}\n",
            if inserted { "\ninserted = true" } else { "" }
        );
        mids.push(id);
    }
    let mut rids: Vec<String> = Vec::with_capacity(c.rids);
    for k in 0..c.rids {
        let comp = comps[k % ncomp];
        let (number, inserted) = identifier(k / ncomp);
        let mut id = format!("c{comp}bre");
        push_number(&mut id, number);
        let word = WORDS[k % WORDS.len()];
        let (kind, sep) = match k % 3 {
            0 => ("dynamodb", '-'),
            1 => ("s3", '-'),
            _ => ("mysql", '_'),
        };
        let mut name = format!("{word}{sep}data{sep}c{comp}{sep}");
        push_number(&mut name, number);
        let _ = writeln!(
            out,
            "[resource.{id}]\nkind = \"{kind}\"\nname = \"{name}\"\ndoc = \"Synthetic {kind} resource.\"{}\n",
            if inserted { "\ninserted = true" } else { "" }
        );
        rids.push(id);
    }
    // Legs: PID k starts at MID k % m and ends at RID (k % m + k / m) % r, so every
    // (start, end) pair is distinct (k / m < r, checked by `validate`).
    let (m, r) = (mids.len().max(1), rids.len().max(1));
    for (l, first) in (0..c.pids).step_by(PARTS_PER_LEG).enumerate() {
        let flow = flows[l % flows.len()];
        let _ = write!(
            out,
            "[leg.leg-{l}]\nflow = \"flow-{flow}\"\ndoc = \"Synthetic leg.\"\nparts = [\n"
        );
        for (p, k) in (first..c.pids.min(first + PARTS_PER_LEG)).enumerate() {
            let start = &mids[k % m];
            let end = &rids[(k % m + k / m) % r];
            let word = WORDS[k % WORDS.len()];
            let _ = writeln!(
                out,
                "  {{ pid = \"{start}-{end}-e{:02}\", doc = \"Step {}.\", actions = [\"write {word}\"] }},",
                5 * (p + 1),
                p + 1
            );
        }
        out.push_str("]\n\n");
    }
    for e in 0..c.events {
        let k = e * 7;
        let word = WORDS[e % WORDS.len()];
        let fields = match e % 3 {
            0 => "[]",
            1 => "[\"user\"]",
            _ => "[\"user\", \"image\", \"reason\"]",
        };
        let _ = writeln!(
            out,
            "[event.{word}-event-{e}]\ndoc = \"Synthetic event.\"\nmid = \"{}\"\nrid = \"{}\"\nfields = {fields}\n",
            mids[k % m],
            rids[k % r]
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_clean(size: Size) -> crate::Manifest {
        let text = manifest(size);
        let checked = crate::check(&text);
        let first: Vec<String> = checked
            .diagnostics
            .iter()
            .take(5)
            .map(|d| format!("{}:{}: {} {}", d.line, d.column, d.code.as_str(), d.message))
            .collect();
        assert!(
            checked.diagnostics.is_empty(),
            "{} diagnostics, first: {first:#?}",
            checked.diagnostics.len()
        );
        checked.manifest
    }

    #[test]
    fn medium_is_valid_and_complete() {
        let m = assert_clean(Size::Medium);
        let s = m.summary();
        assert_eq!(
            (s.mids, s.rids, s.pids, s.events),
            (1_000, 1_000, 5_000, 100)
        );
        assert_eq!(s.components, 30);
        // 3-digit identifiers are used (34th entry of a component onwards).
        assert!(m.microservices.iter().any(|x| x.id.number >= 100));
        assert!(m.microservices.iter().any(|x| x.inserted));
    }

    #[test]
    fn large_is_valid_and_complete() {
        let m = assert_clean(Size::Large);
        let s = m.summary();
        assert_eq!(
            (s.mids, s.rids, s.pids, s.events),
            (10_000, 10_000, 50_000, 1_000)
        );
        assert_eq!((s.components, s.flows), (75, 10));
        // All three regions are used.
        for r in &m.regions {
            assert!(
                m.components.iter().any(|c| r.components.contains(&c.id.0)),
                "{}",
                r.key
            );
        }
        for k in crate::id::ResourceKind::ALL {
            assert!(m.resources.iter().any(|r| r.kind == k));
        }
    }

    #[test]
    fn deterministic() {
        assert_eq!(manifest(Size::Medium), manifest(Size::Medium));
    }

    #[test]
    fn custom_sizes_are_checked() {
        let tiny = Counts {
            components: 1,
            mids: 3,
            rids: 2,
            pids: 5,
            events: 1,
        };
        assert_clean(Size::Custom(tiny));
        let too_many = Counts { mids: 400, ..tiny };
        assert!(try_manifest(Size::Custom(too_many)).is_err());
        let none = Counts {
            components: 0,
            ..tiny
        };
        assert!(try_manifest(Size::Custom(none)).is_err());
        assert_eq!("L".parse::<Size>(), Ok(Size::Large));
        assert!("xl".parse::<Size>().is_err());
    }
}
