//! Hostile inputs that once hung, blew up or misled the `orbit` binary: FIFOs, devices, huge
//! files, symbolic link loops, long lines with many errors or ids, output to a full device,
//! CRLF snippets. Each test names what the old behaviour was.
//!
//! The binary under test is the one Cargo built; `ORBIT_TEST_BIN` names another.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    std::env::var_os("ORBIT_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_orbit")))
}

fn project_manifest() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../orbit.toml"))
        .expect("the project's orbit.toml")
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// Runs orbit in `dir`, killing it after `limit` (then `code` is `None`).
fn run_for(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let started = Instant::now();
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the orbit binary runs");
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let code = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status.code();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    Run {
        code,
        stdout,
        stderr,
        took,
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_for(dir, args, Duration::from_secs(60))
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Makes a FIFO, or says why the test is skipped.
fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        other => {
            eprintln!("skipped: cannot make a FIFO with mkfifo ({other:?})");
            false
        }
    }
}

/// Whether this process can read files whatever their mode (root): permission tests skip.
fn reads_anything(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    let _ = std::fs::write(&probe, "x");
    let _ = std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000));
    let readable = std::fs::read(&probe).is_ok();
    let _ = std::fs::remove_file(&probe);
    if readable {
        eprintln!("skipped: running as a user who reads mode-000 files (root)");
    }
    readable
}

// ---------------------------------------------------------------------------------------------
// Manifests that are not regular files (old: `check` on a FIFO blocked forever; on /dev/zero it
// grew past 5.5 GB; every error said "check the file's permissions").

#[test]
fn a_fifo_manifest_is_refused_at_once() {
    let dir = tempdir();
    if !mkfifo(&dir.path().join("p.toml")) {
        return;
    }
    for args in [
        &["check", "p.toml"][..],
        &["check", "--format", "json", "p.toml"],
        &["--manifest", "p.toml", "names"],
        &[
            "--manifest",
            "p.toml",
            "next",
            "flow",
            "--name",
            "F",
            "--write",
        ],
    ] {
        let r = run_for(dir.path(), args, Duration::from_secs(10));
        assert_eq!(r.code, Some(2), "{args:?} blocked or failed: {}", r.stderr);
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(all.contains("ORB004"), "{all}");
        assert!(
            all.contains("FIFO (named pipe), not a regular file"),
            "{all}"
        );
        assert!(!all.contains("permissions"), "{all}");
    }
}

#[test]
fn a_device_manifest_is_refused_without_reading_it() {
    if !Path::new("/dev/zero").exists() {
        eprintln!("skipped: no /dev/zero");
        return;
    }
    let r = run_for(
        Path::new("."),
        &["check", "/dev/zero"],
        Duration::from_secs(10),
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("`/dev/zero`: it is a character device, not a regular file"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_manifest_above_the_size_limit_is_refused() {
    let dir = tempdir();
    let path = dir.path().join("big.toml");
    let f = std::fs::File::create(&path).expect("a file");
    f.set_len(orbit_engine::MAX_MANIFEST_BYTES + 1)
        .expect("a sparse file");
    let r = run(dir.path(), &["check", "big.toml"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stdout
            .contains("it is 67108865 bytes, above the limit of 67108864 bytes (64 MiB)"),
        "{}",
        &r.stdout[..r.stdout.len().min(2000)]
    );
}

#[test]
fn a_symbolic_link_loop_says_so() {
    let dir = tempdir();
    std::os::unix::fs::symlink("loop.toml", dir.path().join("loop.toml")).expect("a loop");
    let r = run(dir.path(), &["check", "loop.toml"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stdout.contains("a loop of symbolic links"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("help: `loop.toml` is a symbolic link that leads back to itself"),
        "{}",
        r.stdout
    );
}

#[test]
fn an_unreadable_manifest_says_permission_denied_and_what_to_do() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    if reads_anything(dir.path()) {
        return;
    }
    let path = dir.path().join("orbit.toml");
    std::fs::write(&path, project_manifest()).expect("written");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.contains("permission denied"), "{}", r.stdout);
    assert!(
        r.stdout.contains("ask its owner for read access"),
        "{}",
        r.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// `orbit lint` (old: FIFOs, /dev/zero and unreadable files gave "0 files scanned" and exit 0; a
// file named twice counted twice; a BOM was column 1; many ids on one line were quadratic).

fn lint_dir() -> tempfile::TempDir {
    let dir = tempdir();
    std::fs::write(dir.path().join("orbit.toml"), project_manifest()).expect("a manifest");
    dir
}

#[test]
fn lint_refuses_a_fifo_and_a_device() {
    let dir = lint_dir();
    let fifo = mkfifo(&dir.path().join("p.tf"));
    let mut cases = vec!["/dev/zero"];
    if fifo {
        cases.push("p.tf");
    }
    for path in cases {
        let r = run_for(dir.path(), &["lint", path], Duration::from_secs(10));
        assert_eq!(r.code, Some(2), "lint {path}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("lint reads regular files and directories"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn lint_exits_2_for_a_file_it_cannot_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = lint_dir();
    if reads_anything(dir.path()) {
        return;
    }
    let tf = dir.path().join("main.tf");
    std::fs::write(&tf, "x = \"c8fms99\"\n").expect("written");
    std::fs::set_permissions(&tf, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let r = run(dir.path(), &["lint", "."]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("could not be read"), "{}", r.stderr);
}

#[test]
fn lint_scans_a_file_named_twice_once() {
    let dir = lint_dir();
    std::fs::write(dir.path().join("main.tf"), "x = \"c8fms99\"\n").expect("written");
    let r = run(
        dir.path(),
        &["lint", "main.tf", "main.tf", "./main.tf", "."],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(
        r.stderr.contains("1 finding in 1 file (1 file scanned"),
        "{}",
        r.stderr
    );
}

#[test]
fn lint_does_not_count_a_byte_order_mark_as_a_column() {
    let dir = lint_dir();
    std::fs::write(dir.path().join("main.tf"), "\u{feff}c8fms99 = 1\n").expect("written");
    let r = run(dir.path(), &["lint", "main.tf"]);
    assert!(r.stdout.starts_with("main.tf:1:1: "), "{}", r.stdout);
}

#[test]
fn lint_is_linear_in_the_ids_on_one_line() {
    let dir = lint_dir();
    let n = 40_000;
    std::fs::write(dir.path().join("min.js"), "c8fms99,".repeat(n)).expect("written");
    let r = run_for(
        dir.path(),
        &["lint", "--format", "json", "min.js"],
        Duration::from_secs(120),
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let last = format!("\"column\": {}", 8 * (n - 1) + 1);
    assert!(r.stdout.contains(&last), "no finding at {last}");
    // Quadratic, this line is 40,000 × 160 KB / 2 = 6.4 G byte visits.
    assert!(r.took < Duration::from_secs(60), "took {:?}", r.took);
}

// ---------------------------------------------------------------------------------------------
// The human renderer (old: N errors on one long line were quadratic, 4.3 s for 5,000; a 10 MB
// value printed 20 MB for one error; CRLF lines ended in `␍`).

fn broken(dir: &Path, from: &str, to: &str) {
    let text = project_manifest();
    assert!(text.contains(from));
    std::fs::write(dir.join("orbit.toml"), text.replace(from, to)).expect("written");
}

#[test]
fn many_errors_on_one_long_line_render_fast_with_true_columns() {
    let dir = tempdir();
    let dups = ", \"c20\"".repeat(2_500);
    broken(
        dir.path(),
        "components = [\"c20\", \"c24\", \"c28\"]",
        &format!("components = [\"c20\", \"c24\", \"c28\"{dups}]"),
    );
    let human = run_for(dir.path(), &["check"], Duration::from_secs(120));
    assert_eq!(human.code, Some(1));
    // Quadratic, this took 40 s in a debug build; linear, about 1 s.
    assert!(
        human.took < Duration::from_secs(20),
        "took {:?}",
        human.took
    );
    let json = run(dir.path(), &["check", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let want: Vec<String> = value["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| format!("--> orbit.toml:{}:{}", d["line"], d["column"]))
        .collect();
    let got: Vec<String> = human
        .stdout
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .strip_prefix("--> ")
                .map(|r| format!("--> {r}"))
        })
        .collect();
    assert_eq!(got.len(), 2_500);
    assert!(got == want, "human and JSON columns differ");
    // A line is shown as a window, not 17 KB per error.
    assert!(
        human.stdout.len() < 2_500 * 1_200,
        "{} bytes",
        human.stdout.len()
    );
}

#[test]
fn a_huge_value_is_cut_in_messages_and_snippets() {
    let dir = tempdir();
    broken(
        dir.path(),
        "name = \"user-input-manifest-data\"",
        &format!("name = \"{}\"", "X".repeat(10_000_000)),
    );
    let r = run_for(dir.path(), &["check"], Duration::from_secs(120));
    assert_eq!(r.code, Some(1));
    assert!(
        r.stdout.contains("ORB405"),
        "{}",
        &r.stdout[..r.stdout.len().min(500)]
    );
    assert!(r.stdout.len() < 8_000, "{} bytes of output", r.stdout.len());
    let json = run_for(
        dir.path(),
        &["check", "--format", "json"],
        Duration::from_secs(120),
    );
    assert!(
        json.stdout.len() < 8_000,
        "{} bytes of JSON",
        json.stdout.len()
    );
}

#[test]
fn a_crlf_snippet_has_no_carriage_return() {
    let dir = tempdir();
    let text = project_manifest()
        .replace("[microservice.c8bms27]", "[microservice.c8bms28]")
        .replace('\n', "\r\n");
    std::fs::write(dir.path().join("orbit.toml"), text).expect("written");
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stdout.contains("| [microservice.c8bms28]\n"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains('␍') && !r.stdout.contains('\r'),
        "{:?}",
        r.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Output errors (old: `orbit names 2>/dev/full` panicked, exit 101).

#[test]
fn a_full_stderr_or_stdout_does_not_panic() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        eprintln!("skipped: no /dev/full");
        return;
    }
    let dir = tempdir(); // no manifest: every verb reports an error on stderr
    for (args, out_full) in [
        (&["names"][..], false),
        (&["names"], true),
        (&["check"], true),
        (&["explain", "c8fms03"], true),
        (&["lint", "."], false),
        (&["next", "flow"], false),
    ] {
        let open = || {
            std::fs::OpenOptions::new()
                .write(true)
                .open(full)
                .expect("/dev/full")
        };
        let status = Command::new(bin())
            .args(args)
            .current_dir(dir.path())
            .stdout(if out_full {
                Stdio::from(open())
            } else {
                Stdio::null()
            })
            .stderr(Stdio::from(open()))
            .status()
            .expect("runs");
        assert_eq!(status.code(), Some(2), "{args:?} (stdout full: {out_full})");
    }
    // With a manifest, a full stdout is an error too (exit 2), not a panic.
    std::fs::write(dir.path().join("orbit.toml"), project_manifest()).expect("written");
    let status = Command::new(bin())
        .arg("names")
        .current_dir(dir.path())
        .stdout(Stdio::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open(full)
                .expect("/dev/full"),
        ))
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(2));
}
