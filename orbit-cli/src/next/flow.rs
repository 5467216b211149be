//! `orbit next flow`: the next flow (a multiple of 4); with `--write`, a `[flow.flow-N]` table
//! after the last flow.

use orbit_engine::alloc;
use orbit_engine::Manifest;
use toml_edit::{Array, Value};

use super::{alloc_fail, parse_component, required, Allocated, Edit};
use crate::common::Fail;

/// The next flow, and with `write` the table that declares it with its `components`.
pub(super) fn next(
    m: &Manifest,
    write: bool,
    name: &Option<String>,
    components: &[String],
    doc: &Option<String>,
) -> Result<Allocated, Fail> {
    let f = alloc::next_flow(m).map_err(alloc_fail)?;
    let id = f.to_string();
    let edits = if write {
        let mut entries = vec![(
            "name",
            Value::from(required(name, "--name", "the flow's name")?),
        )];
        if let Some(d) = doc {
            entries.push(("doc", Value::from(d.as_str())));
        }
        let mut list = Array::new();
        for c in components {
            list.push(parse_component(c)?.to_string());
        }
        entries.push(("components", Value::Array(list)));
        vec![Edit::Table {
            family: "flow",
            key: id.clone(),
            anchor: m.flows.last().map(|x| x.id.to_string()),
            entries,
        }]
    } else {
        Vec::new()
    };
    Ok(Allocated {
        kind: "flow",
        id,
        edits,
        appends: Vec::new(),
    })
}
