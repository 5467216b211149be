// A PID whose ends are declared but whose step is not.
use orbit_core::ids::*;

fn main() {
    let _ = pid!(c8fms03-c20bre06-e20);
}
