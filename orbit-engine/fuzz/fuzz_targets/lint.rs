//! Any bytes, as a file `orbit lint` scans against the project's manifest: scanning and
//! locating never panic, and every finding lies inside the text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use orbit_engine::lint::{self, Linter};

fn linter() -> &'static Linter {
    static L: OnceLock<Linter> = OnceLock::new();
    L.get_or_init(|| Linter::new(&orbit_engine::check(include_str!("../../../orbit.toml")).manifest))
}

fuzz_target!(|data: &[u8]| {
    let linter = linter();
    if lint::looks_binary(data) {
        return;
    }
    let mut found = linter.scan(data);
    lint::locate(data, &mut found);
    for f in &found {
        assert!(f.span.end <= data.len() && f.line >= 1 && f.column >= 1, "{f:?}");
    }
});
