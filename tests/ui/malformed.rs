// Malformed ids: what is wrong, the canonical spelling when clear, and the form.
use orbit_core::ids::*;

fn main() {
    let _ = mid!(c8fms3);
    let _ = mid!("C8FMS03");
    let _ = rid!(c20bre006);
    let _ = pid!(c8fms03-c20bre06-15);
    let _ = mid!();
}
