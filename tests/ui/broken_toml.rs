// A manifest that is not TOML.
pub mod ids {
    orbit_core::manifest!("$ORBIT_UI/manifests/not-toml.toml", macros = false);
}

fn main() {}
