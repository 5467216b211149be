//! `orbit next component`: the next component of a region (a multiple of 4 inside the region's
//! range); with `--write`, a `[component.cN]` table in id order, listed in the given flow.

use orbit_engine::alloc;
use orbit_engine::Manifest;
use toml_edit::Value;

use super::{alloc_fail, parse_flow, required, Allocated, Edit};
use crate::common::Fail;

/// The next component of `region`, and with `write` the table that declares it and its place
/// in `flow`'s components. A flow given without `write` is still checked for room.
pub(super) fn next(
    m: &Manifest,
    write: bool,
    region: &str,
    flow: &Option<String>,
    name: &Option<String>,
    doc: &Option<String>,
) -> Result<Allocated, Fail> {
    let flow = flow.as_deref().map(parse_flow).transpose()?;
    if let Some(f) = flow {
        alloc::flow_with_room(m, f).map_err(alloc_fail)?;
    }
    let c = alloc::next_component(m, region).map_err(alloc_fail)?;
    let id = c.to_string();
    let mut appends = Vec::new();
    let edits = if write {
        let f = flow.ok_or_else(|| {
            Fail::usage(
                "--write needs --flow: every component is listed in a flow (ORB204)",
                "add `--flow flow-N` (a flow with fewer than 8 components)",
            )
        })?;
        let mut entries = vec![(
            "name",
            Value::from(required(name, "--name", "the component's name")?),
        )];
        if let Some(d) = doc {
            entries.push(("doc", Value::from(d.as_str())));
        }
        appends.push((
            vec!["flow".into(), f.to_string()],
            "components",
            Value::from(id.as_str()),
        ));
        vec![Edit::Table {
            family: "component",
            key: id.clone(),
            anchor: m
                .components
                .iter()
                .rfind(|x| x.id < c)
                .map(|x| x.id.to_string()),
            entries,
        }]
    } else {
        Vec::new()
    };
    Ok(Allocated {
        kind: "component",
        id,
        edits,
        appends,
    })
}
