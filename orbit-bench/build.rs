//! Writes the benchmark manifest and the peers' lookup tables over the same ids.
//!
//! `ORBIT_BENCH_SIZE` picks the manifest: `s` (default) the project's `orbit.toml`, `m` or `l`
//! from `orbit_engine::synth`. Into `OUT_DIR` go `ids.toml` (the manifest the ids are generated
//! from) and `peers.rs`: the id texts, a `phf` map per kind and a `strum::EnumString` enum per
//! kind over exactly the same ids.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use orbit_engine::synth::{self, Size};

/// The most variants a generated `strum` enum gets (see below).
const STRUM_MAX: usize = 12_000;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("orbit-bench build script: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=ORBIT_BENCH_SIZE");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let size = std::env::var("ORBIT_BENCH_SIZE").unwrap_or_else(|_| "s".into());
    let text =
        match size.as_str() {
            "s" | "S" => {
                let dir = std::env::var_os("CARGO_MANIFEST_DIR")
                    .ok_or("CARGO_MANIFEST_DIR is not set")?;
                let path = PathBuf::from(dir).join("orbit.toml");
                println!("cargo::rerun-if-changed={}", path.display());
                std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            }
            other => synth::manifest(other.parse::<Size>().map_err(|e| {
                format!("ORBIT_BENCH_SIZE: {e} (or `s` for the project's orbit.toml)")
            })?),
        };
    let manifest = orbit_engine::check(&text).into_result().map_err(|d| {
        format!(
            "the {size} manifest breaks {} rules, first: {}",
            d.len(),
            d[0].message
        )
    })?;
    std::fs::write(out.join("ids.toml"), &text)
        .map_err(|e| format!("cannot write ids.toml: {e}"))?;

    let mids: Vec<String> = manifest
        .microservices
        .iter()
        .map(|m| m.id.to_string())
        .collect();
    let rids: Vec<String> = manifest
        .resources
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    let pids: Vec<String> = manifest
        .processes()
        .map(|(_, p)| p.pid.to_string())
        .collect();
    // Physical names: every resource in every environment; the value is (resource, environment).
    let mut physical: Vec<String> = Vec::new();
    let mut physical_to: Vec<(usize, usize)> = Vec::new();
    for (ri, r) in manifest.resources.iter().enumerate() {
        for (ei, (_, name)) in manifest.physical_names(r).into_iter().enumerate() {
            physical.push(name);
            physical_to.push((ri, ei));
        }
    }

    let mut src = String::new();
    let _ = writeln!(
        src,
        "/// The manifest size these tables were generated from.\npub const SIZE: &str = {size:?};"
    );
    let lists: [(&str, &str, &[String]); 4] = [
        ("MID", "Mid", &mids),
        ("RID", "Rid", &rids),
        ("PID", "Pid", &pids),
        ("PHYSICAL", "Physical", &physical),
    ];
    for (upper, camel, ids) in lists {
        // The texts, in declaration order.
        let _ = writeln!(
            src,
            "/// Every {upper} text of the manifest.\npub static {upper}S: &[&str] = &["
        );
        for id in ids {
            let _ = writeln!(src, "    {id:?},");
        }
        src.push_str("];\n");
        // phf: text -> index (a user's own enum discriminant or table row).
        let mut map = phf_codegen::Map::new();
        for (i, id) in ids.iter().enumerate() {
            map.entry(id.as_str(), i.to_string());
        }
        let _ = writeln!(
            src,
            "/// `phf` map from each {upper} text to its index.\npub static {upper}_PHF: phf::Map<&'static str, u32> = {};",
            map.build()
        );
        // strum: one variant per id, parsed by `EnumString`, printed by `IntoStaticStr`. Above
        // STRUM_MAX variants the derive's expansion does not fit in memory (50,000 PIDs and
        // 40,000 physical names together took rustc past 23 GB), so larger kinds get no enum and
        // their strum benchmark is skipped.
        if ids.len() > STRUM_MAX {
            let _ = writeln!(src, "/// No `strum` enum: {} ids exceed the {STRUM_MAX} the derive can compile.\npub const STRUM_{upper}: bool = false;", ids.len());
            let _ = writeln!(src, "/// Placeholder.\n#[derive(Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr)]\npub enum Strum{camel} {{ V0 }}");
            continue;
        }
        let _ = writeln!(
            src,
            "/// A `strum` enum is generated for this kind.\npub const STRUM_{upper}: bool = true;"
        );
        let _ = writeln!(
            src,
            "/// `strum` enum of every {upper}.\n#[derive(Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr)]\npub enum Strum{camel} {{"
        );
        for (i, id) in ids.iter().enumerate() {
            let _ = writeln!(src, "    #[strum(serialize = {id:?})]\n    V{i},");
        }
        src.push_str("}\n");
    }
    let _ = writeln!(src, "/// For each physical name: (resource index, environment index).\npub static PHYSICAL_TO: &[(u32, u8)] = &[");
    for (r, e) in &physical_to {
        let _ = writeln!(src, "    ({r}, {e}),");
    }
    src.push_str("];\n");
    std::fs::write(out.join("peers.rs"), src).map_err(|e| format!("cannot write peers.rs: {e}"))?;
    Ok(())
}
