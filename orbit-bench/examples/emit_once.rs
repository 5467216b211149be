//! One `orbit_engine::codegen::expand` of a manifest file, for counting the generator's
//! instructions outside the compiler (build it unoptimised, as Cargo builds proc macros):
//!
//! `valgrind --tool=callgrind --toggle-collect='emit_once::run' target/debug/examples/emit_once m.toml`
//!
//! The compiler's lexer is not available here: the written source is lexed by proc-macro2's
//! fallback lexer, or, with a second argument `nolex`, not lexed at all, which leaves the
//! generator's own work.

use std::path::Path;
use std::process::ExitCode;

use orbit_engine::codegen::{expand, Options};

#[inline(never)]
fn run(path: &str, opts: &Options) -> usize {
    expand(Path::new(path), path, opts).into_iter().count()
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: emit_once MANIFEST");
        return ExitCode::from(2);
    };
    let mut opts = Options::default();
    if std::env::args().nth(2).as_deref() == Some("nolex") {
        opts.lexer = Some(|_| Some(Default::default()));
    }
    println!("{} top-level tokens", run(&path, &opts));
    ExitCode::SUCCESS
}
