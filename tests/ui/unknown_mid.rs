// A MID that is well formed but not declared: the error names the nearest declared MIDs.
use orbit_core::ids::*;

fn main() {
    let _ = mid!(c8fms04);
}
