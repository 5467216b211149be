//! `orbit_core::ids` against the engine: every generated name equals the engine's, every id
//! round-trips through `FromStr`, `Display` and serde, and the typed events serialise to the
//! conventions document's example log entries.

use orbit_core::ids::*;
use orbit_core::{LogEvent, Timestamp};
use orbit_engine::id::{Endpoint, PhysicalName};

fn manifest() -> orbit_engine::Manifest {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/orbit.toml");
    let (_, checked) =
        orbit_engine::check_file(path.as_ref()).expect("the project manifest is readable");
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    checked.manifest
}

#[test]
fn every_physical_name_equals_the_engines() {
    let m = manifest();
    assert_eq!(Resource::ALL.len(), m.resources.len());
    assert_eq!(Environment::ALL.len(), m.environments.len());
    let mut checked = 0;
    for r in &m.resources {
        let typed: Resource = r.id.to_string().parse().unwrap();
        assert_eq!(typed.id(), r.id);
        assert_eq!(typed.kind(), r.kind);
        assert_eq!(typed.component().id(), r.id.component_id());
        assert_eq!(Some(typed.flow().id()), r.flow);
        assert_eq!(typed.name(), r.name);
        assert_eq!(Some(typed.serial().to_string()), r.serial());
        for env in &m.environments {
            let e: Environment = env.code.parse().unwrap();
            let engine = m.physical_name(r, &env.code).unwrap();
            assert_eq!(typed.physical_name(e), engine, "{} in {}", r.id, env.code);
            assert_eq!(Resource::from_physical_name(&engine), Some((typed, e)));
            let parsed = PhysicalName::parse(&engine).unwrap();
            assert_eq!((parsed.kind, parsed.env), (r.kind, env.code.as_str()));
            checked += 1;
        }
    }
    assert_eq!(checked, 11 * 4);
    // The per-environment modules hold the same strings.
    assert_eq!(k8d::C20BRE06, "user-input-manifest-data-1606-tbl-k8d-aws");
    assert_eq!(k8p::C32BRE03, "app_image_mql_2003_dtb_k8p_aws");
    assert_eq!(k8t::C16BRE03, C16BRE03.physical_name(Environment::K8t));
    assert_eq!(
        Resource::from_physical_name("user-input-manifest-data-1606-tbl-k8x-aws"),
        None
    );
    assert_eq!(
        Resource::from_physical_name("user-input-manifest-data-1606-tbl-k8d-gcp"),
        None
    );
    assert_eq!(
        Resource::from_physical_name("other-name-1606-tbl-k8d-aws"),
        None
    );
}

#[test]
fn every_id_round_trips_and_matches_the_model() {
    let m = manifest();
    assert_eq!(Microservice::ALL.len(), m.microservices.len());
    for s in &m.microservices {
        let t: Microservice = s.id.to_string().parse().unwrap();
        assert_eq!(
            (t.id(), t.name(), t.as_str()),
            (s.id, s.name.as_str(), s.id.to_string().as_str())
        );
        assert_eq!(
            t.roles(),
            s.roles.iter().map(String::as_str).collect::<Vec<_>>()
        );
        assert_eq!(t.component().id(), s.id.component_id());
    }
    assert_eq!(Flow::ALL.len(), m.flows.len());
    for f in &m.flows {
        let t: Flow = f.id.to_string().parse().unwrap();
        assert_eq!(
            t.components().iter().map(|c| c.id()).collect::<Vec<_>>(),
            f.components
        );
        assert_eq!(t.repositories().len(), 6 * m.environments.len());
        for r in m.repositories(f.id) {
            let env: Environment = r.env.parse().unwrap();
            let typed = t.repository(r.kind, env).unwrap();
            assert_eq!((typed.name, typed.url), (r.name.as_str(), r.url.as_deref()));
        }
    }
    for c in &m.components {
        let t: Component = c.id.to_string().parse().unwrap();
        assert_eq!(t.region().as_str(), m.region_of(c.id).unwrap().key);
        assert_eq!(
            t.microservices().iter().map(|s| s.id()).collect::<Vec<_>>(),
            m.microservices
                .iter()
                .filter(|s| s.id.component_id() == c.id)
                .map(|s| s.id)
                .collect::<Vec<_>>()
        );
        assert_eq!(
            t.resources().iter().map(|r| r.id()).collect::<Vec<_>>(),
            m.resources
                .iter()
                .filter(|r| r.id.component_id() == c.id)
                .map(|r| r.id)
                .collect::<Vec<_>>()
        );
        for f in m.flows_of(c.id) {
            let tf: Flow = f.id.to_string().parse().unwrap();
            assert_eq!(t.blocks(tf), f.blocks(c.id));
        }
    }
    let mut pids = 0;
    for (leg, part) in m.processes() {
        let t: Process = part.pid.to_string().parse().unwrap();
        let (_, _, step) = m.process(part.pid).unwrap();
        assert_eq!(
            (t.id(), t.leg().as_str(), usize::from(t.step())),
            (part.pid, leg.name.as_str(), step)
        );
        let end = |e: Endpoint| e.to_string();
        assert_eq!(
            (t.start().as_str(), t.end().as_str()),
            (end(part.pid.start).as_str(), end(part.pid.end).as_str())
        );
        pids += 1;
    }
    assert_eq!(Process::ALL.len(), pids);
    for l in &m.legs {
        let t: Leg = l.name.parse().unwrap();
        assert_eq!(
            t.parts().iter().map(|p| p.id()).collect::<Vec<_>>(),
            l.parts.iter().map(|p| p.pid).collect::<Vec<_>>()
        );
    }
    for e in &m.events {
        let t: Event = e.name.parse().unwrap();
        assert_eq!((t.mid().id(), t.rid().id()), (e.mid, e.rid));
    }
}

#[test]
fn spec_names_and_structure() {
    assert_eq!(C8FMS03.as_str(), "c8fms03");
    assert_eq!(C8FMS03_C20BRE06_E15.to_string(), "c8fms03-c20bre06-e15");
    assert_eq!(C8.number(), 8);
    assert_eq!(FLOW_4.number(), 4);
    assert_eq!(C8BMS18.roles(), ["search", "transfer"]);
    assert_eq!(C20BRE06.flow(), FLOW_16);
    assert_eq!(C20BRE06.serial(), "1606");
    assert_eq!(C20.region(), Region::NVirginia);
    assert_eq!(C24.blocks(FLOW_16), Some([15, 18, 21, 24]));
    assert_eq!(
        C8FMS03_C20BRE06_E15.start(),
        ProcessEnd::Microservice(C8FMS03)
    );
    assert_eq!(C8FMS03_C20BRE06_E15.end(), ProcessEnd::Resource(C20BRE06));
    assert_eq!(
        (C8FMS03_C20BRE06_E15.order(), C8FMS03_C20BRE06_E15.step()),
        (15, 3)
    );
    assert_eq!(TRANSFER_IMAGE.parts().first(), Some(&C8BMS18_C20BRE21_E05));
    assert_eq!(TRANSFER_INITIATED.fields(), ["user", "image"]);
    let err = "c20bre07".parse::<Resource>().unwrap_err();
    assert!(err.to_string().contains("`c20bre06`"), "{err}");
    let err = "flow-5".parse::<Flow>().unwrap_err();
    assert_eq!(err.nearest()[0], "flow-4");
    assert!("transfer-imag"
        .parse::<Leg>()
        .unwrap_err()
        .to_string()
        .contains("`transfer-image`"));
}

#[test]
fn debug_prints_what_a_derive_would() {
    // `Debug` is written out (a derived one costs rustc gigabytes at 50,000 variants); it must
    // print what `#[derive(Debug)]` prints: the variant's name.
    assert_eq!(format!("{C8FMS03:?}"), "C8fms03");
    assert_eq!(format!("{C20BRE06:?}"), "C20bre06");
    assert_eq!(format!("{C8FMS03_C20BRE06_E15:?}"), "C8fms03C20bre06E15");
    assert_eq!(format!("{FLOW_16:?}"), "Flow16");
    assert_eq!(format!("{C8:?}"), "C8");
    assert_eq!(format!("{TRANSFER_IMAGE:?}"), "TransferImage");
    assert_eq!(format!("{:?}", Region::NVirginia), "NVirginia");
    assert_eq!(format!("{:?}", Environment::K8d), "K8d");
    assert_eq!(
        format!("{:?}", ProcessEnd::Microservice(C8FMS03)),
        "Microservice(C8fms03)"
    );
    assert_eq!(format!("{:?}", [FLOW_4, FLOW_8]), "[Flow4, Flow8]");
    assert_eq!(format!("{:#?}", Some(C8)), "Some(\n    C8,\n)");
}

#[test]
fn serde_round_trips_as_the_id_string() {
    for &m in Microservice::ALL {
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, format!("\"{m}\""));
        assert_eq!(serde_json::from_str::<Microservice>(&json).unwrap(), m);
    }
    for &p in Process::ALL {
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Process>(&json).unwrap(), p);
    }
    for &r in Resource::ALL {
        assert_eq!(
            serde_json::from_value::<Resource>(serde_json::to_value(r).unwrap()).unwrap(),
            r
        );
    }
    let all = (
        FLOW_16,
        C20,
        TRANSFER_IMAGE,
        TRANSFER_COMPLETED,
        Environment::K8p,
        Region::NVirginia,
    );
    let json = serde_json::to_string(&all).unwrap();
    assert_eq!(
        json,
        r#"["flow-16","c20","transfer-image","transfer-completed","k8p","n-virginia"]"#
    );
    assert_eq!(
        serde_json::from_str::<(Flow, Component, Leg, Event, Environment, Region)>(&json).unwrap(),
        all
    );
    let err = serde_json::from_str::<Microservice>("\"c8fms04\"").unwrap_err();
    assert!(err.to_string().contains("`c8fms03`"), "{err}");
}

/// The conventions document's event table, column "Example Log Entry", verbatim.
const DOCUMENT_EXAMPLES: [&str; 7] = [
    r#"{"event":"transfer-initiated", "timestamp":"2024-10-27T10:00:00Z", "user":"user123", "image":"my-image"}"#,
    r#"{"event":"image-retrieved", "timestamp":"2024-10-27T10:00:15Z"}"#,
    r#"{"event":"image-uploaded", "timestamp":"2024-10-27T10:00:25Z"}"#,
    r#"{"event":"helm-chart-retrieved", "timestamp":"2024-10-27T10:00:35Z"}"#,
    r#"{"event":"helm-chart-saved", "timestamp":"2024-10-27T10:00:45Z"}"#,
    r#"{"event":"viewport-updated", "timestamp":"2024-10-27T10:00:55Z"}"#,
    r#"{"event":"transfer-completed", "timestamp":"2024-10-27T10:01:00Z"}"#,
];

#[test]
fn typed_events_equal_the_documents_examples() {
    let at = |s: &str| -> Timestamp { s.parse().unwrap() };
    let ours = [
        events::TransferInitiated::new("user123", "my-image").to_json(at("2024-10-27T10:00:00Z")),
        events::ImageRetrieved::new().to_json(at("2024-10-27T10:00:15Z")),
        events::ImageUploaded::new().to_json(at("2024-10-27T10:00:25Z")),
        events::HelmChartRetrieved::new().to_json(at("2024-10-27T10:00:35Z")),
        events::HelmChartSaved::new().to_json(at("2024-10-27T10:00:45Z")),
        events::ViewportUpdated::new().to_json(at("2024-10-27T10:00:55Z")),
        events::TransferCompleted::new().to_json(at("2024-10-27T10:01:00Z")),
    ];
    for (ours, doc) in ours.iter().zip(DOCUMENT_EXAMPLES) {
        let a: serde_json::Value = serde_json::from_str(ours).unwrap();
        let b: serde_json::Value = serde_json::from_str(doc).unwrap();
        assert_eq!(a, b);
        // Field order as declared: event, timestamp, then the fields.
        assert!(
            ours.starts_with("{\"event\":") && ours.contains("\",\"timestamp\":"),
            "{ours}"
        );
    }
    assert!(ours[0].ends_with(r#","user":"user123","image":"my-image"}"#));
    assert_eq!(Event::ALL.len(), 7);
    assert_eq!(<events::TransferInitiated<'_> as LogEvent>::MID, C8BMS18);
    assert_eq!(events::TransferInitiated::RID, C20BRE21);
    // Escaping: any text is a valid JSON string.
    let tricky =
        events::TransferInitiated::new("a\"b\\c\n", "\u{1}é").to_json(at("2024-10-27T10:00:00Z"));
    let v: serde_json::Value = serde_json::from_str(&tricky).unwrap();
    assert_eq!(v["user"], "a\"b\\c\n");
    assert_eq!(v["image"], "\u{1}é");
}
