//! The expansion of a small manifest, kept as a golden file (`tests/expansion/small.rs`), so
//! every change to the generated code is a reviewed diff. Regenerate with
//! `ORBIT_BLESS=1 cargo test --test expansion`. The comparison needs `rustfmt` (part of the
//! toolchain); without it the test only checks that two expansions are identical.

use std::path::Path;

use orbit_engine::codegen::{expand_source, Options};

#[test]
fn expansion_matches_the_golden_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expansion");
    let manifest = dir.join("small.toml");
    let abs = std::fs::canonicalize(&manifest).unwrap();
    let source = expand_source(&manifest, "small.toml", &Options::default())
        .replace(&*abs.to_string_lossy(), "/path/to/small.toml");
    assert_eq!(
        source,
        expand_source(&manifest, "small.toml", &Options::default())
            .replace(&*abs.to_string_lossy(), "/path/to/small.toml")
    );
    let formatted = source.lines().count() > 100;
    let golden = dir.join("small.rs");
    if std::env::var_os("ORBIT_BLESS").is_some() {
        std::fs::write(&golden, &source).unwrap();
        return;
    }
    if !formatted {
        eprintln!("rustfmt is not available: golden comparison skipped");
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        source == expected,
        "the expansion of tests/expansion/small.toml changed; review it with \
         `ORBIT_BLESS=1 cargo test --test expansion && git diff tests/expansion/small.rs`"
    );
}
