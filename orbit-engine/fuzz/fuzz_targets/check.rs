//! Any bytes, as a manifest: the engine reports, renders and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let checked = orbit_engine::check(&text);
    let _ = orbit_engine::render::all(&checked.diagnostics, &text, "orbit.toml", orbit_engine::render::Style::Plain);
    let _ = checked.manifest.summary();
});
