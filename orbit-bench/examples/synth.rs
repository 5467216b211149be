//! Prints a synthetic manifest: `cargo run -q -p orbit-bench --example synth -- l > l.toml`.
//!
//! Sizes: `m` (1,000 MIDs, 1,000 RIDs, 5,000 PIDs, 100 events), `l` (ten times as many), or
//! `xN` for N times M's ids (`x3`: 3,000 MIDs …), for measuring how a cost grows between them.

use orbit_engine::synth::{Counts, Size, MAX_COMPONENTS};
use std::process::ExitCode;

fn size(arg: &str) -> Result<Size, String> {
    if let Some(n) = arg.strip_prefix('x') {
        let n: usize = n
            .parse()
            .map_err(|_| format!("`{arg}`: write x and a whole number, such as x3"))?;
        let m = Size::M.counts();
        let components = (usize::from(m.components) * n).min(usize::from(MAX_COMPONENTS));
        return Ok(Size::Custom(Counts {
            components: components as u16,
            mids: m.mids * n,
            rids: m.rids * n,
            pids: m.pids * n,
            events: m.events * n,
        }));
    }
    arg.parse()
}

fn main() -> ExitCode {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "m".into());
    match size(&arg).and_then(|s| orbit_engine::synth::try_manifest(s).map_err(|e| e.to_string())) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
