// The manifest does not exist: the error says which path was tried.
pub mod ids {
    orbit_core::manifest!("$ORBIT_UI/manifests/does-not-exist.toml");
}

fn main() {}
