// A `$VAR/…` path whose variable is not set for the build.
pub mod ids {
    orbit_core::manifest!("$ORBIT_UI_UNSET/orbit.toml");
}

fn main() {}
