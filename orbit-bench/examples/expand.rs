//! Prints what `orbit_core::manifest!` expands to for a manifest, as plain Rust source: the
//! floor of the build benchmark (`benches/build.sh`).
//!
//! `cargo run -q -p orbit-bench --example expand -- path/to/orbit.toml > ids.rs`

use std::path::Path;
use std::process::ExitCode;

use orbit_engine::codegen::{expand_source, Options};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: expand MANIFEST");
        return ExitCode::from(2);
    };
    let t = std::time::Instant::now();
    let source = expand_source(Path::new(&path), &path, &Options::default());
    eprintln!("expand_source: {:?} (includes rustfmt)", t.elapsed());
    print!("{source}");
    ExitCode::SUCCESS
}
