//! `check_file` on what is not a readable manifest: each ORB004 says what is wrong and what to
//! do (it used to say "check the file's permissions" for every error but a missing file, to
//! block forever on a FIFO and to read `/dev/zero` until memory ran out).

use std::path::Path;

use orbit_engine::{check_file, Code, MAX_MANIFEST_BYTES};

fn orb004(path: &Path) -> (String, String) {
    let d = check_file(path).expect_err("an ORB004");
    assert_eq!(d.code, Code::Orb004);
    (d.message, d.help.unwrap_or_default())
}

#[test]
fn a_directory() {
    let dir = tempdir();
    let (message, help) = orb004(dir.path());
    assert!(message.ends_with("it is a directory"), "{message}");
    assert!(
        help.starts_with("name the manifest file itself, e.g. `"),
        "{help}"
    );
    assert!(help.contains("orbit.toml"), "{help}");
}

#[cfg(unix)]
#[test]
fn a_device() {
    let zero = Path::new("/dev/zero");
    if !zero.exists() {
        return;
    }
    let (message, help) = orb004(zero);
    assert!(
        message.contains("a character device, not a regular file"),
        "{message}"
    );
    assert!(help.starts_with("a manifest is a regular file"), "{help}");
}

#[test]
fn too_large() {
    let dir = tempdir();
    let path = dir.path().join("big.toml");
    std::fs::File::create(&path)
        .and_then(|f| f.set_len(MAX_MANIFEST_BYTES + 1))
        .expect("a sparse file");
    let (message, help) = orb004(&path);
    assert!(
        message.contains("above the limit of 67108864 bytes (64 MiB)"),
        "{message}"
    );
    assert!(help.contains("6.5 MB"), "{help}");
}

#[test]
fn not_utf8_has_a_help() {
    let dir = tempdir();
    let path = dir.path().join("latin1.toml");
    std::fs::write(&path, b"[orbit]\nname = \"caf\xe9\"\n").expect("written");
    let (message, help) = orb004(&path);
    assert!(message.contains("is not UTF-8 text"), "{message}");
    assert!(help.starts_with("save the manifest as UTF-8"), "{help}");
}

#[test]
fn missing_keeps_its_help() {
    let dir = tempdir();
    let (message, help) = orb004(&dir.path().join("nope.toml"));
    assert!(message.ends_with("no such file"), "{message}");
    assert!(help.starts_with("create it"), "{help}");
}

fn tempdir() -> TempDir {
    let path = std::env::temp_dir().join(format!(
        "orbit-read-file-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&path).expect("a temporary directory");
    TempDir(path)
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

struct TempDir(std::path::PathBuf);

impl TempDir {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
