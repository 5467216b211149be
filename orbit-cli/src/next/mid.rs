//! `orbit next mid`: the next MID of a component (one sequence across `fms` and `bms`); with
//! `--write`, a `[microservice.MID]` table after the component's last microservice.

use orbit_engine::alloc;
use orbit_engine::id::ServiceKind;
use orbit_engine::Manifest;
use toml_edit::{Array, Value};

use super::{alloc_fail, parse_component, required, Allocated, Edit, ServiceArg};
use crate::common::Fail;

/// The next MID of `component`, and with `write` the table that declares it.
pub(super) fn next(
    m: &Manifest,
    write: bool,
    component: &str,
    service: ServiceArg,
    name: &Option<String>,
    roles: &[String],
    doc: &Option<String>,
) -> Result<Allocated, Fail> {
    let c = parse_component(component)?;
    let sk = match service {
        ServiceArg::Fms => ServiceKind::Frontend,
        ServiceArg::Bms => ServiceKind::Backend,
    };
    let mid = alloc::next_mid(m, c, sk).map_err(alloc_fail)?;
    let id = mid.to_string();
    let edits = if write {
        let mut entries = vec![(
            "name",
            Value::from(required(name, "--name", "the microservice's name")?),
        )];
        if !roles.is_empty() {
            entries.push(("roles", Value::Array(roles.iter().collect::<Array>())));
        }
        if let Some(d) = doc {
            entries.push(("doc", Value::from(d.as_str())));
        }
        let anchor = m
            .microservices_of(c)
            .last()
            .or(m.microservices.last())
            .map(|s| s.id.to_string());
        vec![Edit::Table {
            family: "microservice",
            key: id.clone(),
            anchor,
            entries,
        }]
    } else {
        Vec::new()
    };
    Ok(Allocated {
        kind: "MID",
        id,
        edits,
        appends: Vec::new(),
    })
}
