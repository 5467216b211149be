// Unknown keys (with the nearest known key), missing keys, wrong types and references.
pub mod ids {
    orbit_core::manifest!("$ORBIT_UI/manifests/keys.toml", macros = false);
}

fn main() {}
