//! Rebuilds: a temporary crate with its own `orbit.toml` is built, its manifest edited and the
//! crate rebuilt; the second build sees the change, and a broken edit fails the build with the
//! rule code and `orbit.toml:LINE:COL`. The same crate also compiles an expansion written out
//! as plain source (`orbit_engine::codegen::expand_source`), the floor of the build benchmarks.

use std::path::{Path, PathBuf};
use std::process::Command;

const HEAD: &str = r#"[orbit]
name = "probe"
cloud = "aws"

[environment.k8d]
name = "development"

[region.n-virginia]
name = "N. Virginia"
components = [1, 100]

[flow.flow-4]
name = "Portal"
components = ["c8"]

[component.c8]
name = "Portal node"

[microservice.c8fms03]
name = "Upload Board"

[resource.c8bre03]
kind = "s3"
name = "probe-images"
"#;

const MAIN: &str = r#"
pub mod ids {
    orbit_core::manifest!("orbit.toml");
}

fn main() {
    let _first: ids::Microservice = ids::mid!(c8fms03);
    let all: Vec<&str> = ids::Microservice::ALL.iter().map(|m| m.as_str()).collect();
    println!("{} {}", all.join(","), ids::k8d::C8BRE03);
}
"#;

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => PathBuf::from(t).join("orbit-rebuild-probe"),
        None => workspace().join("target").join("orbit-rebuild-probe"),
    }
}

fn cargo(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

fn run(dir: &Path) -> String {
    let out = cargo(dir, &["run", "-q", "--bin", "probe"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn editing_the_manifest_regenerates_on_the_next_build() {
    let dir = std::env::temp_dir().join(format!("orbit-rebuild-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/bin")).unwrap();
    let core = workspace().join("orbit-core");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\
             [[bin]]\nname = \"probe\"\npath = \"src/main.rs\"\n\
             [dependencies]\norbit-core = {{ path = {:?} }}\n[workspace]\n",
            core.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(dir.join("src/main.rs"), MAIN).unwrap();
    let manifest = dir.join("orbit.toml");

    std::fs::write(&manifest, HEAD).unwrap();
    assert_eq!(run(&dir), "c8fms03 probe-images-403-bkt-k8d-aws");

    // Add a microservice: the next build regenerates.
    std::fs::write(
        &manifest,
        format!("{HEAD}\n[microservice.c8bms06]\nname = \"Upload Logic\"\n"),
    )
    .unwrap();
    assert_eq!(run(&dir), "c8fms03,c8bms06 probe-images-403-bkt-k8d-aws");

    // A broken edit fails the build, with the rule code and the manifest's position.
    std::fs::write(
        &manifest,
        format!("{HEAD}\n[microservice.c8bms07]\nname = \"Upload Logic\"\n"),
    )
    .unwrap();
    let out = cargo(&dir, &["build", "-q", "--bin", "probe"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("ORB303: MID identifier 07 is not a multiple of 3"),
        "{stderr}"
    );
    assert!(stderr.contains("--> orbit.toml:26:15"), "{stderr}");

    // An expansion pasted as plain source compiles and behaves the same.
    std::fs::write(&manifest, HEAD).unwrap();
    let opts = orbit_engine::codegen::Options::default();
    let source = orbit_engine::codegen::expand_source(&manifest, "orbit.toml", &opts);
    assert!(!source.contains("compile_error"), "{source}");
    std::fs::write(
        dir.join("src/bin/pasted.rs"),
        format!("pub mod ids {{\n{source}\n}}\n\nfn main() {{\n    println!(\"{{}}\", ids::mid!(c8fms03));\n}}\n"),
    )
    .unwrap();
    let out = cargo(&dir, &["run", "-q", "--bin", "pasted"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "c8fms03");

    let _ = std::fs::remove_dir_all(&dir);
}

/// `manifest!("$VAR/orbit.toml")`: changing the variable makes the next build read the
/// manifest it now names (the expansion reads `VAR` with `option_env!`, which rustc records
/// in the crate's dep-info), although no file changed.
#[test]
fn changing_the_path_variable_regenerates_on_the_next_build() {
    let dir = std::env::temp_dir().join(format!("orbit-rebuild-env-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    for (sub, extra) in [
        ("one", ""),
        ("two", "\n[microservice.c8bms06]\nname = \"Upload Logic\"\n"),
    ] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join("orbit.toml"), format!("{HEAD}{extra}")).unwrap();
    }
    let core = workspace().join("orbit-core");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"probe-env\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\
             [dependencies]\norbit-core = {{ path = {:?} }}\n[workspace]\n",
            core.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(
        dir.join("src/main.rs"),
        MAIN.replace("\"orbit.toml\"", "\"$ORBIT_PROBE_MANIFESTS/orbit.toml\""),
    )
    .unwrap();
    let run_with = |sub: &str| {
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["run", "-q"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", target_dir())
            .env("ORBIT_PROBE_MANIFESTS", dir.join(sub))
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(run_with("one"), "c8fms03 probe-images-403-bkt-k8d-aws");
    assert_eq!(
        run_with("two"),
        "c8fms03,c8bms06 probe-images-403-bkt-k8d-aws"
    );
    assert_eq!(run_with("one"), "c8fms03 probe-images-403-bkt-k8d-aws");
    let _ = std::fs::remove_dir_all(&dir);
}
