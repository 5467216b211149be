//! `orbit next rid`: the next RID of a component; with `--write`, a `[resource.RID]` table after
//! the component's last resource.

use orbit_engine::alloc;
use orbit_engine::id::ResourceKind;
use orbit_engine::Manifest;
use toml_edit::Value;

use super::{alloc_fail, parse_component, parse_flow, required, Allocated, Edit, KindArg};
use crate::common::Fail;

/// The next RID of `component`, and with `write` the table that declares it.
pub(super) fn next(
    m: &Manifest,
    write: bool,
    component: &str,
    kind: Option<KindArg>,
    name: &Option<String>,
    flow: &Option<String>,
    doc: &Option<String>,
) -> Result<Allocated, Fail> {
    let c = parse_component(component)?;
    let rid = alloc::next_rid(m, c).map_err(alloc_fail)?;
    let id = rid.to_string();
    let edits = if write {
        let rk = kind.ok_or_else(|| {
            Fail::usage(
                "--write needs --kind: dynamodb, s3 or mysql",
                "add `--kind dynamodb` (or s3, mysql), or drop --write to only print the next id",
            )
        })?;
        let rk = match rk {
            KindArg::Dynamodb => ResourceKind::Dynamodb,
            KindArg::S3 => ResourceKind::S3,
            KindArg::Mysql => ResourceKind::Mysql,
        };
        let mut entries = vec![
            ("kind", Value::from(rk.as_str())),
            (
                "name",
                Value::from(required(name, "--name", "the resource's descriptive name")?),
            ),
        ];
        if let Some(d) = doc {
            entries.push(("doc", Value::from(d.as_str())));
        }
        if let Some(f) = flow {
            entries.push(("flow", Value::from(parse_flow(f)?.to_string())));
        }
        let anchor = m
            .resources_of(c)
            .last()
            .or(m.resources.last())
            .map(|r| r.id.to_string());
        vec![Edit::Table {
            family: "resource",
            key: id.clone(),
            anchor,
            entries,
        }]
    } else {
        Vec::new()
    };
    Ok(Allocated {
        kind: "RID",
        id,
        edits,
        appends: Vec::new(),
    })
}
