// Each macro takes one kind of id and says which macro takes the other kinds.
use orbit_core::ids::*;

fn main() {
    let _ = mid!(c20bre06);
    let _ = rid!(c8fms03);
    let _ = pid!("c8bms18");
    let _ = mid!(c8);
}
