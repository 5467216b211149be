//! Any text, as an id of every kind: parsing never panics and canonical text round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orbit_engine::id::{AnyId, Mid, Pid, PhysicalName, RepositoryName, Rid};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = AnyId::parse(text);
    if let Ok(m) = text.parse::<Mid>() {
        assert_eq!(m.to_string().parse::<Mid>().ok(), Some(m));
    }
    if let Ok(r) = text.parse::<Rid>() {
        assert_eq!(r.to_string().parse::<Rid>().ok(), Some(r));
    }
    if let Ok(p) = text.parse::<Pid>() {
        assert_eq!(p.to_string().parse::<Pid>().ok(), Some(p));
    }
    let _ = PhysicalName::parse(text);
    let _ = RepositoryName::parse(text);
});
