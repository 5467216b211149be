//! Parse and validate manifests of three sizes, against the floor: the TOML parse alone.
//!
//! S is the project's `orbit.toml`; M and L come from `orbit_engine::synth`. For each size the
//! same run measures `orbit_engine::check` (parse + every rule + the model) and
//! `toml::de::DeTable::parse_recoverable` (the span-keeping parse `check` starts with), so the
//! engine's overhead over parsing is a ratio taken under the same machine load.
//!
//! Run: `cargo bench -p orbit-engine --bench check`.

use std::sync::OnceLock;

use divan::{black_box, Bencher};
use orbit_engine::synth::{self, Size};

fn main() {
    divan::main();
}

fn source(size: &str) -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    static M: OnceLock<String> = OnceLock::new();
    static L: OnceLock<String> = OnceLock::new();
    match size {
        "S" => S.get_or_init(|| {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../orbit.toml");
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
        }),
        "M" => M.get_or_init(|| synth::manifest(Size::Medium)),
        _ => L.get_or_init(|| synth::manifest(Size::Large)),
    }
}

const SIZES: [&str; 3] = ["S", "M", "L"];

/// The engine: TOML parse with spans, every rule, the indexed model.
#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn check(b: Bencher, size: &str) {
    let text = source(size);
    let n = orbit_engine::check(text).diagnostics.len();
    assert_eq!(n, 0, "the {size} manifest must be valid");
    b.counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| orbit_engine::check(black_box(text)));
}

/// The floor: the same span-keeping TOML parse, nothing else (its tree is dropped inside the
/// timing, as `check` drops it).
#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn toml_parse(b: Bencher, size: &str) {
    let text = source(size);
    b.counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| drop(toml::de::DeTable::parse_recoverable(black_box(text))));
}
