//! Parse and validate manifests of three sizes, against the floor: the TOML parse alone.
//!
//! S is the project's `orbit.toml`; M and L come from `orbit_engine::synth`. For each size the
//! same run measures `orbit_engine::check` (parse + every rule + the model), the engine's TOML
//! reader alone (`read_toml`), `toml::de::DeTable::parse_recoverable` (the span-keeping parse a
//! user of the `toml` crate would pick, which the engine used before its own reader), and
//! `toml_parser`'s lexer and parser with a receiver that does nothing (the floor under any
//! reader built on them), so every ratio is taken under the same machine load.
//!
//! `diff` measures what `orbit diff` costs on the same sizes: both sides checked, then compared.
//!
//! Run: `cargo bench -p orbit-engine --bench check` (`-- check diff` for those two alone).

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

/// L (or M) with 1% of its tables' `name`s changed (every hundredth table's gets a prefix), so about
/// one resource in a hundred derives new physical names (ORB802).
fn changed(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4096);
    let mut tables = 0usize;
    let mut pending = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with('[') {
            tables += 1;
            pending = tables.is_multiple_of(100);
        }
        if pending && line.starts_with("name = \"") {
            pending = false;
            out.push_str(&line.replacen("name = \"", "name = \"renamed", 1));
            continue;
        }
        out.push_str(line);
    }
    out
}

/// `orbit diff`'s work: check both sides (on two threads, as `orbit diff` does), then compare
/// (a 1% change), beside `check` above.
#[divan::bench(args = ["M", "L"], sample_count = 20, sample_size = 1)]
fn diff(b: Bencher, size: &str) {
    let base = source(size);
    let head = changed(base);
    let d = {
        let (x, y) = (orbit_engine::check(base), orbit_engine::check(&head));
        orbit_engine::diff::diff(
            orbit_engine::diff::Side::new(base, &x.manifest),
            orbit_engine::diff::Side::new(&head, &y.manifest),
        )
    };
    assert!(!d.changes.is_empty(), "the {size} change must be found");
    b.counter(divan::counter::BytesCount::new(base.len() + head.len()))
        .bench(|| {
            let (x, y) = orbit_engine::diff::check_both(black_box(base), black_box(&head));
            orbit_engine::diff::diff(
                orbit_engine::diff::Side::new(base, &x.manifest),
                orbit_engine::diff::Side::new(&head, &y.manifest),
            )
            .changes
            .len()
        });
}

/// Both sides checked one after the other on one thread, then compared: `diff` without its
/// second thread (what it costs on a machine with one free core).
#[divan::bench(args = ["M", "L"], sample_count = 20, sample_size = 1)]
fn diff_one_thread(b: Bencher, size: &str) {
    let base = source(size);
    let head = changed(base);
    b.bench(|| {
        let (x, y) = (
            orbit_engine::check(black_box(base)),
            orbit_engine::check(black_box(&head)),
        );
        orbit_engine::diff::diff(
            orbit_engine::diff::Side::new(base, &x.manifest),
            orbit_engine::diff::Side::new(&head, &y.manifest),
        )
        .changes
        .len()
    });
}

/// The comparison alone, on models checked once outside the timing.
#[divan::bench(args = ["M", "L"], sample_count = 20, sample_size = 1)]
fn diff_compare(b: Bencher, size: &str) {
    let base = source(size);
    let head = changed(base);
    let (x, y) = (orbit_engine::check(base), orbit_engine::check(&head));
    b.bench(|| {
        orbit_engine::diff::diff(
            orbit_engine::diff::Side::new(black_box(base), &x.manifest),
            orbit_engine::diff::Side::new(black_box(&head), &y.manifest),
        )
        .changes
        .len()
    });
}
