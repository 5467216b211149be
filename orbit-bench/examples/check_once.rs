//! One `orbit_engine::check` of a manifest size (or one read of its TOML), for counting
//! instructions, which a shared machine does not disturb, and peak memory:
//!
//! `valgrind --tool=callgrind --toggle-collect=check_once::run target/release/examples/check_once l check`
//!
//! The second argument picks the work: `check` (the default), `read` (the engine's TOML reader
//! alone), `parse` (`toml`'s `DeTable`, what the engine used before its own reader) or `none`
//! (only write the manifest: the process's own baseline for `/usr/bin/time -v`).

use std::process::ExitCode;

use orbit_engine::synth::{self, Size};

#[inline(never)]
fn run(text: &str, what: &str) -> usize {
    match what {
        "parse" => {
            let (table, errors) = toml::de::DeTable::parse_recoverable(text);
            errors.len() + table.get_ref().len()
        }
        "read" => {
            let (values, errors) = orbit_engine::read_toml(text);
            values + errors
        }
        "none" => text.len(),
        _ => orbit_engine::check(text).diagnostics.len(),
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let size = args.next().unwrap_or_else(|| "m".into());
    let what = args.next().unwrap_or_else(|| "check".into());
    let text = match size.as_str() {
        "s" => match std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../orbit.toml"))
        {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read orbit.toml: {e}");
                return ExitCode::from(2);
            }
        },
        other => match other.parse::<Size>() {
            Ok(s) => synth::manifest(s),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let n = run(std::hint::black_box(&text), &what);
    println!("{size} {what}: {} bytes, {n}", text.len());
    ExitCode::SUCCESS
}
