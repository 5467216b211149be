//! Parse and validate manifests of three sizes, against the floor: the TOML parse alone.
//!
//! S is the project's `orbit.toml`; M and L come from `orbit_engine::synth`. For each size the
//! same run measures `orbit_engine::check` (parse + every rule + the model), the engine's TOML
//! reader alone (`read_toml`), `toml::de::DeTable::parse_recoverable` (the span-keeping parse a
//! user of the `toml` crate would pick, which the engine used before its own reader), and
//! `toml_parser`'s lexer and parser with a receiver that does nothing (the floor under any
//! reader built on them), so every ratio is taken under the same machine load.
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

/// The engine's TOML reader alone: `toml_parser`'s events folded into its tree.
#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn read_toml(b: Bencher, size: &str) {
    let text = source(size);
    assert_eq!(orbit_engine::read_toml(text).1, 0);
    b.counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| orbit_engine::read_toml(black_box(text)));
}

struct Nothing;

impl toml_parser::parser::EventReceiver for Nothing {}

struct Count(usize);

impl toml_parser::ErrorSink for Count {
    fn report_error(&mut self, _: toml_parser::ParseError) {
        self.0 += 1;
    }
}

/// The floor under any reader on `toml_parser`: lex the whole text, parse, keep nothing.
#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn toml_events(b: Bencher, size: &str) {
    let text = source(size);
    b.counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| {
            let source = toml_parser::Source::new(black_box(text));
            let tokens = source.lex().into_vec();
            let mut errors = Count(0);
            toml_parser::parser::parse_document(&tokens, &mut Nothing, &mut errors);
            errors.0
        });
}

/// `toml`'s span-keeping TOML parse, nothing else (its tree is dropped inside the
/// timing, as `check` drops it).
#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn toml_parse(b: Bencher, size: &str) {
    let text = source(size);
    b.counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| drop(toml::de::DeTable::parse_recoverable(black_box(text))));
}
