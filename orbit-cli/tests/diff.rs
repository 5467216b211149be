//! `orbit diff` end to end: two files, git revisions in temporary repositories (every git failure
//! with its own message), every output format (snapshots in `tests/snapshots/diff_*.txt`,
//! `UPDATE_SNAPSHOTS=1` to accept a change), the CI formats of `check` and `lint`, and the
//! README's GitHub Actions workflow and the pre-commit hooks run as written.

use std::path::{Path, PathBuf};
use std::process::Command;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    crate_dir().join("../orbit-engine/tests/diff")
}

/// Runs `orbit args` in `dir`, without colour.
fn orbit(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_orbit"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the orbit binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Compares (or, with UPDATE_SNAPSHOTS set, records) the output of `orbit args` run in the
/// engine's diff fixtures.
fn snapshot(name: &str, args: &[&str]) -> (i32, String, String) {
    let (code, stdout, stderr) = orbit(&fixtures(), args);
    let text = format!(
        "$ (cd orbit-engine/tests/diff && orbit {})\n--- exit code: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" ")
    );
    let path = crate_dir().join(format!("tests/snapshots/{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &text).unwrap();
    } else {
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            want == text,
            "snapshot {name} differs (UPDATE_SNAPSHOTS=1 to accept):\n--- want\n{want}\n--- got\n{text}"
        );
    }
    (code, stdout, stderr)
}

/// A directory under the system's temporary directory, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!(
            "orbit-diff-{tag}-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&p).unwrap();
        Temp(p)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Orbit test",
            "-c",
            "user.email=test@orbit.invalid",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A repository whose `main` holds the fixtures' base manifest at `conf/orbit.toml`, with the
/// working tree changed to `head` (a fixture's name), and a subdirectory `conf/deep`.
fn repo(head: &str) -> Temp {
    let t = Temp::new("repo");
    let conf = t.0.join("conf");
    std::fs::create_dir_all(conf.join("deep")).unwrap();
    std::fs::copy(fixtures().join("base.toml"), conf.join("orbit.toml")).unwrap();
    git(&t.0, &["init", "-q"]);
    git(&t.0, &["add", "."]);
    git(&t.0, &["commit", "-qm", "base"]);
    std::fs::copy(fixtures().join(head), conf.join("orbit.toml")).unwrap();
    t
}

#[test]
fn two_files_in_every_format() {
    let (c, out, _) = snapshot("diff_human", &["diff", "base.toml", "ORB802.fail.toml"]);
    assert_eq!(c, 1);
    assert!(out.contains("error[ORB802]"), "{out}");
    assert_eq!(
        snapshot(
            "diff_json",
            &["diff", "base.toml", "ORB801.fail.toml", "--format", "json"]
        )
        .0,
        1
    );
    assert_eq!(
        snapshot(
            "diff_github",
            &[
                "diff",
                "base.toml",
                "ORB801.fail.toml",
                "--format",
                "github"
            ]
        )
        .0,
        1
    );
    let (c, out, _) = snapshot(
        "diff_sarif",
        &["diff", "base.toml", "ORB804.fail.toml", "--format", "sarif"],
    );
    assert_eq!(c, 1);
    sarif_is_valid(&out, &["ORB804"]);
    // Warnings only: reported, exit 0; and a waived error does not fail.
    let (c, out, _) = snapshot("diff_warning", &["diff", "base.toml", "ORB808.fail.toml"]);
    assert_eq!(c, 0, "{out}");
    let (c, out, _) = snapshot("diff_waived", &["diff", "base.toml", "ORB890.pass.toml"]);
    assert_eq!(c, 0, "{out}");
    assert!(
        out.contains("waived: Bucket renamed with a copy (OPS-1)."),
        "{out}"
    );
    // The same manifest: nothing.
    let (c, out, _) = orbit(&fixtures(), &["diff", "base.toml", "base.toml"]);
    assert_eq!(c, 0);
    assert!(out.contains("ok — 0 breaking changes, 0 warnings"), "{out}");
}

#[test]
fn json_locates_both_sides() {
    let (c, out, _) = orbit(
        &fixtures(),
        &["diff", "base.toml", "ORB801.fail.toml", "--format", "json"],
    );
    assert_eq!(c, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["base"], "base.toml");
    let c0 = &v["changes"][0];
    assert_eq!(c0["code"], "ORB801");
    assert_eq!(c0["id"], "c8fms03");
    assert!(c0["line"].is_null() && c0["column"].is_null());
    assert!(c0["base_line"].as_u64().unwrap() > 0);
    assert_eq!(c0["waived"], false);
    assert_eq!(v["diagnostics"], serde_json::json!([]));
}

#[test]
fn head_rule_violations_fail_the_diff() {
    let t = Temp::new("violations");
    let head = std::fs::read_to_string(fixtures().join("base.toml"))
        .unwrap()
        .replace("[microservice.c8bms06]", "[microservice.c8bms07]")
        .replace("c8bms06", "c8bms07");
    std::fs::write(t.0.join("head.toml"), head).unwrap();
    let base = fixtures().join("base.toml");
    let (c, out, _) = orbit(
        &t.0,
        &[
            "diff",
            base.to_str().unwrap(),
            "head.toml",
            "--format",
            "json",
        ],
    );
    assert_eq!(c, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "ORB303", "{out}");
    // Not TOML on either side: nothing compared, exit 2.
    std::fs::write(t.0.join("bad.toml"), "[orbit\n").unwrap();
    let (c, _, err) = orbit(&t.0, &["diff", base.to_str().unwrap(), "bad.toml"]);
    assert_eq!(c, 2);
    assert!(
        err.contains("bad.toml is not valid TOML: nothing compared"),
        "{err}"
    );
    let (c, _, err) = orbit(&t.0, &["diff", "bad.toml", base.to_str().unwrap()]);
    assert_eq!(c, 2, "{err}");
    // Usage.
    let (c, _, err) = orbit(&t.0, &["diff", "head.toml"]);
    assert_eq!(c, 2);
    assert!(err.contains("compares two manifests: 1 given"), "{err}");
    let (c, _, err) = orbit(&t.0, &["diff", "missing.toml", "head.toml"]);
    assert_eq!(c, 2);
    assert!(err.contains("ORB004"), "{err}");
}

#[test]
fn against_a_revision_from_anywhere_in_the_repository() {
    let t = repo("ORB802.fail.toml");
    // From the repository's root, naming HEAD; from a subdirectory below the manifest, finding
    // it upward; from elsewhere, with --manifest.
    for (dir, args) in [
        (
            t.0.clone(),
            vec!["diff", "--against", "main", "conf/orbit.toml"],
        ),
        (t.0.join("conf/deep"), vec!["diff", "--against", "main"]),
        (
            t.0.join("conf/deep"),
            vec!["diff", "--against", "HEAD", "--format", "json"],
        ),
    ] {
        let (c, out, err) = orbit(&dir, &args);
        assert_eq!(c, 1, "{args:?}: {out}{err}");
        assert!(out.contains("ORB802"), "{args:?}: {out}");
        assert!(
            out.contains("was at main:conf/orbit.toml:")
                || out.contains("\"base\": \"HEAD:conf/orbit.toml\""),
            "{args:?}: {out}"
        );
    }
    let elsewhere = Temp::new("elsewhere");
    let manifest = t.0.join("conf/orbit.toml");
    let (c, out, err) = orbit(
        &elsewhere.0,
        &[
            "--manifest",
            manifest.to_str().unwrap(),
            "diff",
            "--against",
            "main",
        ],
    );
    assert_eq!(c, 1, "{out}{err}");
    // Committed: HEAD equals main again.
    git(&t.0, &["commit", "-qam", "rename"]);
    let (c, _, _) = orbit(&t.0, &["diff", "--against", "HEAD", "conf/orbit.toml"]);
    assert_eq!(c, 0);
    let (c, _, _) = orbit(&t.0, &["diff", "--against", "HEAD~1", "conf/orbit.toml"]);
    assert_eq!(c, 1);
}

#[test]
fn git_failures_say_what_to_run() {
    let t = repo("ORB802.fail.toml");
    let (c, _, err) = orbit(&t.0, &["diff", "--against", "nosuch", "conf/orbit.toml"]);
    assert_eq!(c, 2);
    assert!(err.contains("unknown revision `nosuch`"), "{err}");
    assert!(err.contains("git fetch origin nosuch"), "{err}");

    // A file that the revision does not have.
    std::fs::copy(t.0.join("conf/orbit.toml"), t.0.join("new.toml")).unwrap();
    let (c, _, err) = orbit(&t.0, &["diff", "--against", "main", "new.toml"]);
    assert_eq!(c, 2);
    assert!(err.contains("`new.toml` does not exist at `main`"), "{err}");

    // Not a repository.
    let plain = Temp::new("plain");
    std::fs::copy(fixtures().join("base.toml"), plain.0.join("orbit.toml")).unwrap();
    let (c, _, err) = orbit(&plain.0, &["diff", "--against", "main"]);
    assert_eq!(c, 2);
    assert!(err.contains("is not in a git repository"), "{err}");

    // A shallow clone (what CI checkouts make by default) lacks the base branch's history.
    git(&t.0, &["commit", "-qam", "second"]);
    let clones = Temp::new("shallow");
    let url = format!("file://{}", t.0.display());
    git(&clones.0, &["clone", "-q", "--depth", "1", &url, "c"]);
    let (c, _, err) = orbit(
        &clones.0.join("c"),
        &["diff", "--against", "HEAD~1", "conf/orbit.toml"],
    );
    assert_eq!(c, 2);
    assert!(err.contains("shallow clone"), "{err}");
    assert!(err.contains("fetch-depth: 0"), "{err}");

    // A flag where the revision goes is not passed to git.
    let (c, _, err) = orbit(&t.0, &["diff", "--against=--output=x", "conf/orbit.toml"]);
    assert_eq!(c, 2);
    assert!(err.contains("is not a git revision"), "{err}");
    assert!(!t.0.join("x").exists());
}

/// Checks a SARIF log as the 2.1.0 schema's types read it, and what the README promises.
fn sarif_is_valid(text: &str, codes: &[&str]) {
    let log: serde_sarif::sarif::Sarif = serde_json::from_str(text).expect("a SARIF 2.1.0 log");
    assert_eq!(log.version, serde_json::json!("2.1.0"));
    assert_eq!(log.runs.len(), 1);
    let run = &log.runs[0];
    assert_eq!(run.tool.driver.name, "orbit");
    let rules = run.tool.driver.rules.as_ref().expect("rules");
    for code in codes {
        let r = rules.iter().find(|r| r.id == *code).expect("rule listed");
        assert!(!r.short_description.as_ref().unwrap().text.is_empty());
    }
    let results = run.results.as_ref().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let id = r.rule_id.as_deref().expect("ruleId");
        assert!(rules.iter().any(|x| x.id == id), "{id} not among the rules");
        assert!(r.level.is_some());
        assert!(!r.message.text.as_deref().unwrap_or("").is_empty());
        for l in r.locations.iter().flatten() {
            let p = l.physical_location.as_ref().expect("physicalLocation");
            let uri = p
                .artifact_location
                .as_ref()
                .and_then(|a| a.uri.as_deref())
                .unwrap();
            assert!(!uri.starts_with('/'), "{uri}");
            if let Some(region) = &p.region {
                assert!(region.start_line.unwrap() >= 1 && region.start_column.unwrap() >= 1);
            }
        }
    }
}

#[test]
fn check_and_lint_speak_github_and_sarif() {
    let dir = crate_dir();
    let (c, out, _) = orbit(
        &dir,
        &["check", "tests/fixtures/broken.toml", "--format", "github"],
    );
    assert_eq!(c, 1);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=tests/fixtures/broken.toml,line=15,col=21,title=ORB104::"),
        "{first}"
    );
    assert!(
        out.ends_with("tests/fixtures/broken.toml: failed — 4 errors\n"),
        "{out}"
    );
    let (c, out, _) = orbit(
        &dir,
        &["check", "tests/fixtures/broken.toml", "--format", "sarif"],
    );
    assert_eq!(c, 1);
    sarif_is_valid(&out, &["ORB104", "ORB303"]);
    let (c, out, _) = orbit(
        &dir,
        &["check", "--manifest", "../orbit.toml", "--format", "github"],
    );
    assert_eq!((c, out.lines().count()), (0, 1), "{out}");
    let (c, out, _) = orbit(
        &dir,
        &["check", "tests/fixtures/missing.toml", "--format", "github"],
    );
    assert_eq!(c, 2);
    assert!(
        out.starts_with("::error file=tests/fixtures/missing.toml,title=ORB004::"),
        "{out}"
    );

    let lint = dir.join("tests/fixtures/lint");
    let (c, out, _) = orbit(
        &lint,
        &[
            "lint",
            "--manifest",
            "../../../../orbit.toml",
            "--format",
            "github",
        ],
    );
    assert_eq!(c, 1);
    assert!(
        out.contains("::error file=deploy.yaml,line=4,col=11,title=lint/malformed::"),
        "{out}"
    );
    let (c, out, _) = orbit(
        &lint,
        &[
            "lint",
            "--manifest",
            "../../../../orbit.toml",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(c, 1);
    sarif_is_valid(&out, &["lint/malformed", "lint/undeclared"]);
}

/// The `run: orbit …` lines of the README's workflow, in order.
fn workflow_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(crate_dir().join("../README.md")).unwrap();
    let start = readme
        .find("name: orbit\non: pull_request")
        .expect("the workflow");
    let block = &readme[start..readme[start..].find("```").unwrap() + start];
    block
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- run: orbit "))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_readme_workflow_runs_as_written() {
    let commands = workflow_commands();
    assert_eq!(commands.len(), 3, "{commands:?}");
    // A pull request: `main` on the remote, a branch that renames a table.
    let upstream = repo("ORB802.pass.toml");
    std::fs::copy(
        fixtures().join("base.toml"),
        upstream.0.join("conf/orbit.toml"),
    )
    .unwrap();
    let work = Temp::new("checkout");
    let url = format!("file://{}", upstream.0.display());
    git(&work.0, &["clone", "-q", &url, "pr"]);
    let pr = work.0.join("pr/conf");
    git(&pr, &["checkout", "-qb", "rename"]);
    let renamed = std::fs::read_to_string(pr.join("orbit.toml"))
        .unwrap()
        .replace("user-error-log", "user-errors-log");
    std::fs::write(pr.join("orbit.toml"), renamed).unwrap();
    git(&pr, &["commit", "-qam", "rename"]);
    let bin = Path::new(env!("CARGO_BIN_EXE_orbit")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut codes = Vec::new();
    for cmd in &commands {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("orbit {cmd}"))
            .current_dir(&pr)
            .env("PATH", &path)
            .env("GITHUB_BASE_REF", "main")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        for line in stdout.lines().filter(|l| l.starts_with("::")) {
            assert!(
                line.starts_with("::error ") || line.starts_with("::warning "),
                "{line}"
            );
        }
        codes.push((cmd.clone(), out.status.code(), stdout));
    }
    // check passes, diff finds the rename, lint finds nothing in the manifest's directory.
    assert_eq!(codes[0].1, Some(0), "{codes:?}");
    assert_eq!(codes[1].1, Some(1), "{codes:?}");
    assert!(codes[1].2.contains("title=ORB802::"), "{codes:?}");
    assert_eq!(codes[2].1, Some(0), "{codes:?}");
}

#[test]
fn pre_commit_hooks_name_real_verbs() {
    let hooks = std::fs::read_to_string(crate_dir().join("../.pre-commit-hooks.yaml")).unwrap();
    let (_, help, _) = orbit(&crate_dir(), &["--help"]);
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: "))
        .collect();
    assert_eq!(entries, ["orbit check", "orbit lint"]);
    for e in entries {
        let verb = e.strip_prefix("orbit ").unwrap();
        assert!(
            help.contains(&format!("\n  {verb} ")),
            "`{verb}` is not a verb of orbit --help"
        );
        let (c, _, err) = orbit(&crate_dir(), &[verb, "--help"]);
        assert_eq!(c, 0, "{err}");
    }
    for id in ["- id: orbit-check", "- id: orbit-lint"] {
        assert!(hooks.contains(id), "{id}");
    }
}
