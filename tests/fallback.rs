//! On a broken manifest the generator emits every violation and, besides, every item that is
//! still sound (thiserror's fallback idea), so users see the real errors and no cascade of
//! "cannot find" errors. This test compiles the items generated for every rule fixture of the
//! engine (`orbit-engine/tests/rules/*.toml`, failing and passing), errors left out, in one
//! crate: each must compile on its own.

use std::path::{Path, PathBuf};
use std::process::Command;

use orbit_engine::codegen::{expand_source, Options};

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn sound_items_of_every_rule_fixture_compile() {
    let fixtures = workspace().join("orbit-engine/tests/rules");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() > 40);

    let dir = std::env::temp_dir().join(format!("orbit-fallback-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fallback\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\
             [dependencies]\norbit-core = {{ path = {:?}, features = [\"serde\"] }}\n[workspace]\n",
            workspace().join("orbit-core").display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let mut lib = String::from("#![allow(dead_code)]\n");
    for (i, path) in paths.iter().enumerate() {
        let name = path.file_name().unwrap().to_string_lossy();
        let opts = Options {
            errors: false,
            macros: false,
            ..Options::default()
        };
        let source = expand_source(path, &name, &opts);
        assert!(!source.contains("compile_error"), "{name}");
        lib.push_str(&format!("/// `{name}`\npub mod m{i} {{\n{source}\n}}\n"));
    }
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => PathBuf::from(t).join("orbit-rebuild-probe"),
        None => workspace().join("target").join("orbit-rebuild-probe"),
    };
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "-q"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
