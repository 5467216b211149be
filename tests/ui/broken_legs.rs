// Legs and events: undeclared ends, orders out of step, names that clash with generated
// constants. All reported at once; the sound items are still generated.
pub mod ids {
    orbit_core::manifest!("$ORBIT_UI/manifests/legs.toml", macros = false);
}

fn main() {
    let _ = ids::UPLOAD;
}
