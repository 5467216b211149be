//! The README's `orbit_core::ids` examples, compiled and run (see the section "Typed ids in
//! service code").

use orbit_core::ids::*;
use orbit_core::Timestamp;

fn record_owner(service: Microservice) -> &'static str {
    service.name()
}

#[test]
fn service_code() {
    assert_eq!(record_owner(C8BMS18), "Portal Search Logic");
    assert_eq!(k8d::C20BRE06, "user-input-manifest-data-1606-tbl-k8d-aws");
    assert_eq!(
        C20BRE06.physical_name(Environment::K8p),
        "user-input-manifest-data-1606-tbl-k8p-aws"
    );
    assert_eq!(
        Resource::from_physical_name(k8t::C16BRE06),
        Some((C16BRE06, Environment::K8t))
    );
    assert_eq!(C20BRE06.flow(), FLOW_16);
    assert_eq!(C24.blocks(FLOW_16), Some([15, 18, 21, 24]));
    let step = C8FMS03_C20BRE06_E15;
    assert_eq!(
        (step.leg(), step.step(), step.order()),
        (MANIFEST_INPUT, 3, 15)
    );
    assert_eq!(step.end(), ProcessEnd::Resource(C20BRE06));
    let err = "c8fms04".parse::<Microservice>().unwrap_err();
    assert_eq!(err.nearest(), ["c8fms03", "c8fms09", "c8bms06"]);
}

#[test]
fn macros() {
    const UPLOAD: Microservice = mid!(c8fms03);
    let table = rid!("c20bre06").physical_name(Environment::K8d);
    let step = pid!(c8fms03 - c20bre06 - e15);
    let same = orbit_core::pid!(c8fms03 - c20bre06 - e15);
    assert_eq!((UPLOAD, table, step), (C8FMS03, k8d::C20BRE06, same));
}

#[test]
fn typed_events() -> Result<(), Box<dyn std::error::Error>> {
    let entry = events::TransferInitiated::new("user123", "my-image");
    assert_eq!(events::TransferInitiated::MID, C8BMS18);
    assert_eq!(events::TransferInitiated::RID, C20BRE21);
    let line = entry.to_json("2024-10-27T10:00:00Z".parse::<Timestamp>()?);
    assert_eq!(
        line,
        r#"{"event":"transfer-initiated","timestamp":"2024-10-27T10:00:00Z","user":"user123","image":"my-image"}"#
    );
    Ok(())
}
