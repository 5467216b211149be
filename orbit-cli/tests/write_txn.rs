//! `orbit next --write` as a transaction (README, "`orbit next KIND`"): concurrent writers,
//! `kill -9` mid-write, a full disk, an editor saving meanwhile, and the layout kept (CRLF, a
//! byte order mark, a comment after the last array element, `[[leg.x.parts]]`).
//!
//! The binary under test is the one Cargo built; `ORBIT_TEST_BIN` names another (to see these
//! tests fail on an older build).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use fs4::fs_std::FileExt;

fn bin() -> PathBuf {
    std::env::var_os("ORBIT_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_orbit")))
}

fn project_manifest() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../orbit.toml"))
        .expect("the project's orbit.toml")
}

fn orbit(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE");
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    orbit(dir, args).output().expect("the orbit binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A temporary directory holding `orbit.toml` with `contents`.
fn project(contents: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("orbit.toml");
    std::fs::write(&path, contents).expect("the manifest is written");
    (dir, path)
}

/// Temporary files a writer left in `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("the directory lists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

fn mids(source: &str) -> usize {
    orbit_engine::check(source).manifest.microservices.len()
}

const WRITE_MID: &[&str] = &[
    "next",
    "mid",
    "--component",
    "c8",
    "--type",
    "bms",
    "--name",
    "Audit Logic",
    "--write",
];

#[test]
fn eight_concurrent_writers_get_eight_ids_and_eight_entries() {
    let (dir, path) = project(&project_manifest());
    let children: Vec<Child> = (0..8)
        .map(|i| {
            let name = format!("Writer {i}");
            orbit(
                dir.path(),
                &[
                    "next",
                    "mid",
                    "--component",
                    "c8",
                    "--type",
                    "bms",
                    "--name",
                    &name,
                    "--write",
                ],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("a writer starts")
        })
        .collect();
    let mut ids = Vec::new();
    for c in children {
        let out = c.wait_with_output().expect("a writer ends");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        ids.push(text(&out.stdout).trim().to_string());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 8, "8 writers, distinct ids: {ids:?}");
    let after = std::fs::read_to_string(&path).expect("the manifest");
    let checked = orbit_engine::check(&after);
    assert!(checked.is_ok(), "{:?}", checked.diagnostics);
    assert_eq!(checked.manifest.microservices.len(), 8 + 8);
    for id in &ids {
        assert!(after.contains(&format!("[microservice.{id}]")), "{id}");
    }
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}

/// A small deterministic generator for the moments of the kills.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

#[test]
fn kill_9_at_random_moments_leaves_the_old_or_the_new_file_whole() {
    let m = orbit_engine::synth::manifest(orbit_engine::synth::Size::M);
    let component = m
        .lines()
        .find_map(|l| l.strip_prefix("[microservice.c"))
        .and_then(|rest| rest.split(['f', 'b']).next())
        .map(|n| format!("c{n}"))
        .expect("the M manifest declares microservices");
    let (dir, path) = project(&m);
    let args = [
        "next",
        "mid",
        "--component",
        component.as_str(),
        "--type",
        "fms",
        "--name",
        "Killed Writer",
        "--write",
    ];
    // How long one write takes, uninterrupted (on a copy).
    let (probe, _) = project(&m);
    let started = Instant::now();
    let out = run(probe.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let span = started.elapsed().as_micros() as u64;
    let mut rng = Lcg(0x5eed ^ span);
    let mut before = std::fs::read(&path).expect("the manifest");
    let mut written = 0;
    for round in 0..50 {
        let deadline = Duration::from_micros(rng.below(span + span / 10));
        let mut child = orbit(dir.path(), &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("a writer starts");
        let started = Instant::now();
        // Kill at the random moment, or at once when the file is seen shorter than it was
        // (a writer truncating it in place).
        while started.elapsed() < deadline {
            if std::fs::metadata(&path).is_ok_and(|m| m.len() < before.len() as u64) {
                break;
            }
            if child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.kill();
        let _ = child.wait();
        let after = std::fs::read(&path).expect("the manifest is there");
        if after != before {
            let source = String::from_utf8(after.clone()).expect("UTF-8");
            let checked = orbit_engine::check(&source);
            assert!(
                checked.is_ok() && mids(&source) == mids(&text(&before)) + 1,
                "round {round}: neither the old file nor the old one plus one entry ({} bytes, was {}; {} diagnostics)",
                after.len(),
                before.len(),
                checked.diagnostics.len()
            );
            written += 1;
            before = after;
        }
        let left = temporaries(dir.path());
        assert!(
            left.len() <= 1,
            "round {round}: temporary files pile up: {left:?}"
        );
    }
    eprintln!("{written} of 50 killed writers had renamed their file");
    // The next writer removes what a killed one left.
    let out = run(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}

#[test]
fn an_editor_saving_during_the_write_is_never_overwritten() {
    let m = orbit_engine::synth::manifest(orbit_engine::synth::Size::M);
    let component = m
        .lines()
        .find_map(|l| l.strip_prefix("[microservice.c"))
        .and_then(|rest| rest.split(['f', 'b']).next())
        .map(|n| format!("c{n}"))
        .expect("the M manifest declares microservices");
    for round in 0..5 {
        let (dir, path) = project(&m);
        let child = orbit(
            dir.path(),
            &[
                "next",
                "mid",
                "--component",
                &component,
                "--type",
                "fms",
                "--name",
                "Writer",
                "--write",
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("a writer starts");
        // Wait until the writer holds its lock (or, for a writer that takes none, a moment
        // after it started: it has read the file and is checking it).
        let lock_path = dir.path().join("orbit.toml.lock");
        let started = Instant::now();
        while started.elapsed() < Duration::from_millis(40) {
            let held = std::fs::File::open(&lock_path)
                .ok()
                .is_some_and(|f| matches!(f.try_lock_exclusive(), Ok(false)));
            if held {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        // The editor saves its buffer as editors do: a new file renamed over the old.
        let saved = dir.path().join("orbit.toml.editor-save");
        std::fs::write(&saved, format!("{m}# saved by the editor\n")).expect("saved");
        std::fs::rename(&saved, &path).expect("renamed");
        let out = child.wait_with_output().expect("the writer ends");
        let after = std::fs::read_to_string(&path).expect("the manifest");
        assert!(
            after.contains("# saved by the editor"),
            "round {round}: the editor's save was overwritten (writer: exit {:?}, {})",
            out.status.code(),
            text(&out.stderr)
        );
        match out.status.code() {
            // It read the editor's file (after the save): it added its entry to it.
            Some(0) => assert_eq!(mids(&after), mids(&m) + 1),
            // It read the file before the save: it refused.
            Some(1) => {
                assert!(
                    text(&out.stderr).contains("changed while"),
                    "{}",
                    text(&out.stderr)
                );
                assert_eq!(after, format!("{m}# saved by the editor\n"));
            }
            other => panic!("round {round}: exit {other:?}: {}", text(&out.stderr)),
        }
        assert_eq!(temporaries(dir.path()), Vec::<String>::new());
    }
}

#[test]
fn a_writer_waits_for_the_lock_and_reads_the_file_as_the_holder_left_it() {
    let before = project_manifest();
    let (dir, path) = project(&before);
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join("orbit.toml.lock"))
        .expect("the lock file");
    lock.lock_exclusive().expect("locked");
    let child = orbit(dir.path(), WRITE_MID)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("a writer starts");
    std::thread::sleep(Duration::from_millis(300));
    // An edit made from the text read before the writer started (a blind save).
    std::fs::write(&path, format!("{before}# edited under the lock\n")).expect("edited");
    FileExt::unlock(&lock).expect("unlocked");
    let out = child.wait_with_output().expect("the writer ends");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after = std::fs::read_to_string(&path).expect("the manifest");
    assert!(
        after.contains("# edited under the lock"),
        "the edit was lost"
    );
    assert!(
        after.contains("[microservice.c8bms30]"),
        "the entry was lost"
    );
}

#[test]
fn a_full_disk_leaves_the_manifest_whole() {
    let mnt = tempfile::tempdir().expect("a mount point");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(mnt.path())
        .stderr(Stdio::piped())
        .output();
    match &mounted {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            eprintln!(
                "skipped: cannot mount a small tmpfs here ({}); the injected write error of txn::tests covers the write path",
                text(&o.stderr).trim()
            );
            return;
        }
        Err(e) => {
            eprintln!("skipped: no `mount` ({e}); the injected write error of txn::tests covers the write path");
            return;
        }
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(mnt.path());
    // A manifest just under 4 pages, so that the new one needs a fifth; then fill the disk.
    let mut before = project_manifest();
    before.push('#');
    while before.len() < 16_370 {
        before.push('-');
    }
    before.push('\n');
    let path = mnt.path().join("orbit.toml");
    std::fs::write(&path, &before).expect("the manifest fits");
    {
        use std::io::Write;
        let mut filler = std::fs::File::create(mnt.path().join("filler")).expect("a filler");
        let chunk = vec![0u8; 4096];
        while filler.write_all(&chunk).is_ok() {}
        let byte = [0u8; 1];
        while filler.write_all(&byte).is_ok() {}
        let _ = filler.sync_all();
    }
    // The lock file needs no block (it is empty).
    let out = run(mnt.path(), WRITE_MID);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("help: free space on the device"),
        "{stderr}"
    );
    assert!(!stderr.contains("permissions"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&path).expect("the manifest"),
        before,
        "the manifest changed"
    );
    assert_eq!(temporaries(mnt.path()), Vec::<String>::new());
}

/// The edit of `next mid … --write` on `source`, as written.
fn written(source: &str) -> String {
    let (dir, path) = project(source);
    let out = run(dir.path(), WRITE_MID);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    std::fs::read_to_string(path).expect("the manifest")
}

#[test]
fn crlf_line_ends_are_kept() {
    let lf = project_manifest();
    let crlf = lf.replace('\n', "\r\n");
    let got = written(&crlf);
    let lone_lf = got.replace("\r\n", "").matches('\n').count();
    assert_eq!(lone_lf, 0, "LF line ends in a CRLF file");
    assert!(
        got == written(&lf).replace('\n', "\r\n"),
        "CRLF file: {got:?}"
    );
}

#[test]
fn a_byte_order_mark_is_kept() {
    let plain = project_manifest();
    let got = written(&format!("\u{feff}{plain}"));
    assert!(got.starts_with('\u{feff}'), "the byte order mark is gone");
    assert!(got == format!("\u{feff}{}", written(&plain)), "{got:?}");
}

#[test]
fn a_comment_after_the_last_array_element_stays_on_it() {
    let source = project_manifest().replace(
        "components = [\"c20\", \"c24\", \"c28\"]\n",
        "components = [\n  \"c20\",\n  \"c24\",\n  \"c28\", # the last one\n]\n",
    );
    let (dir, path) = project(&source);
    let out = run(
        dir.path(),
        &[
            "next",
            "component",
            "--region",
            "n-virginia",
            "--flow",
            "flow-16",
            "--name",
            "Charts",
            "--write",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after = std::fs::read_to_string(path).expect("the manifest");
    assert!(
        after.contains("  \"c28\", # the last one\n  \"c36\",\n]\n"),
        "{}",
        &after[after.find("[flow.flow-16]").unwrap_or(0)..][..200]
    );
}

#[test]
fn a_comment_after_a_last_element_without_comma_stays_on_it() {
    let source = project_manifest().replace(
        "components = [\"c20\", \"c24\", \"c28\"]\n",
        "components = [\n  \"c20\",\n  \"c24\",\n  \"c28\" # the last one\n]\n",
    );
    let (dir, path) = project(&source);
    let out = run(
        dir.path(),
        &[
            "next",
            "component",
            "--region",
            "n-virginia",
            "--flow",
            "flow-16",
            "--name",
            "Charts",
            "--write",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after = std::fs::read_to_string(path).expect("the manifest");
    assert!(
        after.contains("  \"c28\", # the last one\n  \"c36\"\n]\n"),
        "{}",
        &after[after.find("[flow.flow-16]").unwrap_or(0)..][..200]
    );
}

#[cfg(unix)]
#[test]
fn mode_and_symbolic_link_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path) = project(&project_manifest());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let real = dir.path().join("real");
    std::fs::create_dir(&real).expect("a directory");
    let target = real.join("orbit.toml");
    std::fs::rename(&path, &target).expect("moved");
    std::os::unix::fs::symlink(&target, &path).expect("a link");
    let out = run(dir.path(), WRITE_MID);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(&path)
        .expect("the link")
        .file_type()
        .is_symlink());
    let after = std::fs::read_to_string(&target).expect("the target");
    assert!(after.contains("[microservice.c8bms30]"));
    let mode = std::fs::metadata(&target)
        .expect("stat")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    assert_eq!(temporaries(&real), Vec::<String>::new());
}

#[test]
fn a_step_is_appended_to_an_array_of_part_tables() {
    let source = project_manifest();
    let start = source
        .find("parts = [\n  { pid = \"c8fms03-c20bre27-e05\"")
        .expect("the manifest-input leg");
    let end = start + source[start..].find("\n]\n").expect("its end") + 3;
    let tables = "\n[[leg.manifest-input.parts]]\npid = \"c8fms03-c20bre27-e05\"\n\n\
                  [[leg.manifest-input.parts]]\npid = \"c8fms03-c20bre12-e10\"\n\n\
                  [[leg.manifest-input.parts]]\npid = \"c8fms03-c20bre06-e15\"\n";
    let source = format!("{}{tables}{}", &source[..start], &source[end..]);
    assert!(orbit_engine::check(&source).is_ok());
    let (dir, path) = project(&source);
    let out = run(
        dir.path(),
        &[
            "next",
            "step",
            "--leg",
            "manifest-input",
            "--start",
            "c8fms03",
            "--end",
            "c20bre06",
            "--doc",
            "Store it again.",
            "--write",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after = std::fs::read_to_string(path).expect("the manifest");
    assert!(
        after.contains("[[leg.manifest-input.parts]]\npid = \"c8fms03-c20bre06-e20\"\ndoc = \"Store it again.\"\n"),
        "{after}"
    );
    assert!(orbit_engine::check(&after).is_ok());
}

#[test]
fn an_inline_family_table_says_what_is_wrong_and_what_to_do() {
    let source = "microservice = { c8fms03 = { name = \"Upload\" } }\n\
                  [orbit]\nname = \"x\"\ncloud = \"aws\"\n\
                  [environment.k8d]\nname = \"development\"\n\
                  [region.n-virginia]\nname = \"N\"\ncomponents = [1, 100]\n\
                  [flow.flow-4]\nname = \"P\"\ncomponents = [\"c8\"]\n\
                  [component.c8]\nname = \"Portal\"\n";
    assert!(orbit_engine::check(source).is_ok());
    let (dir, path) = project(source);
    let out = run(
        dir.path(),
        &[
            "next",
            "mid",
            "--component",
            "c8",
            "--type",
            "fms",
            "--name",
            "U",
            "--write",
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("inline table"), "{stderr}");
    assert!(stderr.contains("help: write each entry"), "{stderr}");
    assert_eq!(std::fs::read_to_string(path).expect("the manifest"), source);
}
