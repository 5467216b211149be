//! Prints a synthetic manifest: `cargo run -q -p orbit-bench --example synth -- l > l.toml`.
//!
//! Sizes: `m` (1,000 MIDs, 1,000 RIDs, 5,000 PIDs, 100 events) and `l` (ten times as many).

use std::process::ExitCode;

fn main() -> ExitCode {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "m".into());
    match arg.parse::<orbit_engine::synth::Size>() {
        Ok(size) => {
            print!("{}", orbit_engine::synth::manifest(size));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
