// The macro's own arguments: a path literal, then known options.
pub mod a {
    orbit_core::manifest!(orbit.toml);
}

pub mod b {
    orbit_core::manifest!("$ORBIT_UI/manifests/numbering.toml", modul = crate::b);
}

fn main() {}
