//! Two manifests in one input, split at the first 0xFF byte (never part of UTF-8 text): BASE
//! before it, HEAD after. Checking, comparing and rendering never panic; a manifest compared
//! with itself has no change but ORB890 for its own waivers (a waiver matches no change there).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orbit_engine::diff::{check_both, diff, Side};
use orbit_engine::render::{self, Labelled, Style};

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len());
    let base = String::from_utf8_lossy(&data[..cut]);
    let head = String::from_utf8_lossy(data.get(cut + 1..).unwrap_or(&[]));
    let (b, h) = check_both(&base, &head);
    let d = diff(Side::new(&base, &b.manifest), Side::new(&head, &h.manifest));
    let _ = render::changes(
        &d.changes,
        Labelled { source: &base, label: "main:orbit.toml" },
        Labelled { source: &head, label: "orbit.toml" },
        Style::Plain,
    );
    let _ = d.added.to_string();
    let same = diff(Side::new(&head, &h.manifest), Side::new(&head, &h.manifest));
    assert!(
        same.changes.iter().all(|c| c.code == orbit_engine::Code::Orb890 && c.head.is_some()),
        "{:?}",
        same.changes
    );
});
