//! Two expansions of one manifest are byte-identical, whatever the hash seeds.

use std::path::Path;

use orbit_engine::codegen::{expand, Options};

#[test]
fn two_expansions_are_byte_identical() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("orbit.toml");
    let opts = Options::default();
    let first = expand(&manifest, "orbit.toml", &opts).to_string();
    // Another thread: fresh hash-map seeds in the checker.
    let m = manifest.clone();
    let second =
        std::thread::spawn(move || expand(&m, "orbit.toml", &Options::default()).to_string())
            .join()
            .unwrap();
    assert_eq!(first.as_bytes(), second.as_bytes());
    assert!(first.len() > 10_000);

    // A broken manifest too: the errors and the sound items come out in one order.
    let dir = std::env::temp_dir().join(format!("orbit-determinism-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("orbit.toml");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("[microservice.c8bms27]", "[microservice.c8bms28]")
        .replace("[flow.flow-20]", "[flow.flow-22]");
    std::fs::write(&broken, text).unwrap();
    let a = expand(&broken, "orbit.toml", &opts).to_string();
    let b = expand(&broken, "orbit.toml", &opts).to_string();
    assert_eq!(a, b);
    assert!(a.contains("ORB303") && a.contains("ORB102"));
    let _ = std::fs::remove_dir_all(&dir);
}
