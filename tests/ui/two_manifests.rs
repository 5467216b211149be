// Two `manifest!` calls with id macros in one crate: the second needs `macros = false`.
pub mod ids {
    orbit_core::manifest!("$ORBIT_UI/manifests/odd-docs.toml");
}

pub mod more {
    orbit_core::manifest!("$ORBIT_UI/manifests/odd-docs.toml", module = crate::more);
}

fn main() {}
