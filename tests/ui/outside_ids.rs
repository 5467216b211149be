// A `manifest!` outside `crate::ids` without `module = …`: its id macros would not find
// the constants.
pub mod naming {
    orbit_core::manifest!("$ORBIT_UI/manifests/odd-docs.toml");
}

fn main() {
    let _ = naming::C8FMS03;
}
