// Every numbering violation of the manifest, all at once, with code and orbit.toml:LINE:COL.
// The sound part of the module is still generated: `C8FMS03` resolves.
pub mod ids {
    orbit_core::manifest!("$ORBIT_UI/manifests/numbering.toml", macros = false);
}

fn main() {
    let _ = ids::C8FMS03;
}
