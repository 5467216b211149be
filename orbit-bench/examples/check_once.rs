//! One `orbit_engine::check` (or one TOML parse, the floor) of a manifest size, for counting
//! instructions, which a shared machine does not disturb:
//!
//! `valgrind --tool=callgrind --toggle-collect=check_once::run target/release/examples/check_once l check`

use std::process::ExitCode;

use orbit_engine::synth::{self, Size};

#[inline(never)]
fn run(text: &str, what: &str) -> usize {
    match what {
        "parse" => {
            let (table, errors) = toml::de::DeTable::parse_recoverable(text);
            errors.len() + table.get_ref().len()
        }
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
