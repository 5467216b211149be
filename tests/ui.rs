//! Every compile error a user can hit, as trybuild ui tests with reviewed `.stderr` files.
//!
//! Broken manifests live in `tests/ui/manifests/`. Under trybuild, `CARGO_MANIFEST_DIR` is
//! trybuild's generated project (trybuild#202), so the tests name their manifests through
//! `$ORBIT_UI/…`, a variable this test sets for the compiler. Regenerate with
//! `TRYBUILD=overwrite cargo test --test ui`, then review the diff.

#[test]
fn ui() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ui");
    // SAFETY-free in edition 2021; set before trybuild spawns cargo, which passes it to rustc.
    std::env::set_var("ORBIT_UI", dir);
    std::env::remove_var("ORBIT_UI_UNSET");
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/*.rs");
}
