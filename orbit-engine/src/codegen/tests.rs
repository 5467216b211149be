use super::*;

fn root_manifest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../orbit.toml")
}

#[test]
fn expansion_of_the_project_manifest_is_clean_and_deterministic() {
    let a = expand(&root_manifest(), "orbit.toml", &Options::default()).to_string();
    let b = expand(&root_manifest(), "orbit.toml", &Options::default()).to_string();
    assert_eq!(a, b);
    assert!(!a.contains("compile_error"), "{a}");
    assert!(a.contains("pub const C8FMS03_C20BRE06_E15 : Process"));
    assert!(a.contains("\"user-input-manifest-data-1606-tbl-k8d-aws\""));
}

#[test]
fn resolve_says_what_is_wrong() {
    let m = root_manifest();
    assert_eq!(
        resolve(&m, "orbit.toml", IdMacro::Mid, "c8fms03").unwrap(),
        "C8FMS03"
    );
    assert_eq!(
        resolve(&m, "orbit.toml", IdMacro::Pid, "c8fms03-c20bre06-e15").unwrap(),
        "C8FMS03_C20BRE06_E15"
    );
    let e = resolve(&m, "orbit.toml", IdMacro::Mid, "c20bre06").unwrap_err();
    assert!(
        e.contains("is a RID") && e.contains("rid!(c20bre06)"),
        "{e}"
    );
    let e = resolve(&m, "orbit.toml", IdMacro::Mid, "c8fms04").unwrap_err();
    assert!(e.contains("`c8fms03`"), "{e}");
    let e = resolve(&m, "orbit.toml", IdMacro::Mid, "c8fms3").unwrap_err();
    assert!(e.contains("c8fms03") && e.contains("form"), "{e}");
    let e = resolve(
        Path::new("/nonexistent/orbit.toml"),
        "x",
        IdMacro::Rid,
        "c20bre06",
    )
    .unwrap_err();
    assert!(e.contains("/nonexistent/orbit.toml"), "{e}");
}

#[test]
fn broken_manifest_gives_every_error_and_sound_items() {
    let dir = std::env::temp_dir().join(format!("orbit-codegen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("orbit.toml");
    let text = std::fs::read_to_string(root_manifest())
        .unwrap()
        .replace("[microservice.c8bms27]", "[microservice.c8bms28]")
        .replace("[resource.c20bre27]", "[resource.c20bre28]");
    std::fs::write(&path, text).unwrap();
    let out = expand(&path, "orbit.toml", &Options::default()).to_string();
    // The two reserved slots, and the PID that named the renamed resource.
    assert_eq!(out.matches("compile_error").count(), 3);
    assert!(out.contains("ORB303") && out.contains("ORB403"), "{out}");
    assert!(out.contains("--> orbit.toml:"), "{out}");
    assert!(out.contains("pub const C8FMS03 : Microservice"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn every_rule_fixture_expands_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    entries.sort();
    assert!(entries.len() > 40);
    for path in entries {
        let out = expand(&path, "orbit.toml", &Options::default()).to_string();
        let failing = path.to_string_lossy().ends_with(".fail.toml");
        assert_eq!(out.contains("compile_error"), failing, "{}", path.display());
        // The output is well-formed token text.
        assert!(out.parse::<TokenStream>().is_ok(), "{}", path.display());
    }
}

#[test]
fn kinds_above_the_arm_limit_list_no_ids() {
    let text = crate::synth::manifest(crate::synth::Size::M);
    let checked = crate::check(&text);
    let sound = emit::Sound::new(&checked.manifest);
    let [mids, rids, pids] = sound.declared_ids(MACRO_ARMS_MAX);
    assert!(mids.is_empty() && rids.is_empty() && pids.is_empty());
    let [mids, rids, pids] = sound.declared_ids(usize::MAX);
    assert_eq!((mids.len(), rids.len(), pids.len()), (1_000, 1_000, 5_000));
}

#[test]
fn declared_arms_resolve_as_the_proc_macro_does() {
    // `mid!`/`rid!`/`pid!` resolve declared ids with `macro_rules!` arms and send everything
    // else to `resolve`: both paths must give the same constant for every declared id.
    let path = root_manifest();
    let (_, checked) = check_file(&path).unwrap();
    let sound = emit::Sound::new(&checked.manifest);
    let declared = sound.declared_ids(MACRO_ARMS_MAX);
    let module = quote!(crate::ids);
    for (ids, which) in declared
        .iter()
        .zip([IdMacro::Mid, IdMacro::Rid, IdMacro::Pid])
    {
        assert!(!ids.is_empty() && ids.len() <= MACRO_ARMS_MAX);
        let arms = declared_arms(ids, &module).to_string();
        for id in ids {
            let c = resolve(&path, "orbit.toml", which, id).unwrap();
            assert_eq!(c, constant(id));
            let tokens = id.parse::<TokenStream>().unwrap().to_string();
            assert!(
                arms.contains(&format!("({tokens}) => {{ crate :: ids :: {c} }}")),
                "{id}"
            );
            assert!(
                arms.contains(&format!("(\"{id}\") => {{ crate :: ids :: {c} }}")),
                "{id}"
            );
        }
    }
    // Past the limit the proc macro alone resolves (hashed look-up, not arms tried in order).
    let many: Vec<String> = (0..=MACRO_ARMS_MAX)
        .map(|i| format!("c8fms{i:03}"))
        .collect();
    assert!(declared_arms(&many, &module).is_empty());
    assert!(!declared_arms(&many[..MACRO_ARMS_MAX], &module).is_empty());
}

/// Runs `f` on another thread, failing the test if it has not returned after 10 s (a FIFO
/// opened for reading blocks until a writer comes).
fn within_10_s<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(10))
        .expect("returned within 10 s (not blocked on the FIFO)")
}

#[cfg(unix)]
#[test]
fn a_fifo_manifest_is_a_compile_error_not_a_hang() {
    let dir = std::env::temp_dir().join(format!("orbit-codegen-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("pipe.toml");
    let _ = std::fs::remove_file(&path);
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: cannot make a FIFO with mkfifo");
        return;
    }
    let p = path.clone();
    let out = within_10_s(move || expand(&p, "pipe.toml", &Options::default()).to_string());
    assert!(out.contains("compile_error"), "{out}");
    assert!(
        out.contains("FIFO (named pipe), not a regular file"),
        "{out}"
    );
    assert!(out.contains("help: a manifest is a regular file"), "{out}");
    assert!(!out.contains("include_bytes"), "{out}");
    let p = path.clone();
    let e = within_10_s(move || resolve(&p, "pipe.toml", IdMacro::Mid, "c8fms03")).unwrap_err();
    assert!(e.contains("ORB004") && e.contains("FIFO"), "{e}");
    let p = path.clone();
    let e = within_10_s(move || overview(&p, "pipe.toml")).unwrap_err();
    assert!(e.contains("FIFO"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An id the manifest declares with an error that leaves it without a constant (a resource
/// whose `flow` does not list its component: ORB406) is not "not declared": the message
/// names the error.
#[test]
fn resolve_names_the_error_of_a_declared_id() {
    let dir = std::env::temp_dir().join(format!("orbit-codegen-406-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("orbit.toml");
    let text = "[orbit]\nname = \"x\"\ncloud = \"aws\"\n\n[environment.k8d]\n\n[region.n-virginia]\nname = \"N. Virginia\"\ncomponents = [1, 100]\n\n[flow.flow-4]\nname = \"Portal\"\ncomponents = [\"c8\"]\n\n[flow.flow-8]\nname = \"Other\"\ncomponents = [\"c12\"]\n\n[component.c8]\nname = \"Portal node\"\n\n[component.c12]\nname = \"Other node\"\n\n[resource.c8bre03]\nkind = \"dynamodb\"\nname = \"user-data\"\nflow = \"flow-8\"\n";
    std::fs::write(&path, text).unwrap();
    let e = resolve(&path, "orbit.toml", IdMacro::Rid, "c8bre03").unwrap_err();
    assert!(!e.contains("declares no"), "{e}");
    assert!(
        e.starts_with(
            "RID `c8bre03` is declared in `orbit.toml`, but its declaration breaks a rule"
        ),
        "{e}"
    );
    assert!(e.contains("ORB406") && e.contains("orbit.toml:28:8"), "{e}");
    // An id that is not declared at all keeps its message.
    let e = resolve(&path, "orbit.toml", IdMacro::Rid, "c8bre06").unwrap_err();
    assert!(e.contains("is not declared in `orbit.toml`"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}
