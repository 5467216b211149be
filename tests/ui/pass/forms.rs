// Ident and string forms, typed constants, consts in const context.
use orbit_core::ids::*;

const UPLOAD: Microservice = mid!(c8fms03);
const TABLE: &str = k8d::C20BRE06;

fn main() {
    assert_eq!(UPLOAD, C8FMS03);
    assert_eq!(mid!("c8fms03"), C8FMS03);
    assert_eq!(rid!(c20bre06), C20BRE06);
    assert_eq!(pid!(c8fms03-c20bre06-e15), C8FMS03_C20BRE06_E15);
    assert_eq!(orbit_core::pid!("c8fms03-c20bre06-e15"), C8FMS03_C20BRE06_E15);
    assert_eq!(TABLE, "user-input-manifest-data-1606-tbl-k8d-aws");
    assert_eq!(C8.flows(), &[FLOW_4]);
    let _: Leg = TRANSFER_IMAGE;
    let _: Event = TRANSFER_INITIATED;
}
