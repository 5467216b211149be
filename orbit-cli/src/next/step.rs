//! `orbit next step`: the next step of a leg (execution order a multiple of 5). With `--start`
//! and `--end` it is the step's PID, `<start>-<end>-e<NN>`, and `--write` appends the part to the
//! leg's `parts`; without them, only the next execution order `e<NN>`.

use orbit_engine::alloc;
use orbit_engine::Manifest;
use toml_edit::{Array, InlineTable, Value};

use super::{alloc_fail, parse_endpoint, Allocated};
use crate::common::Fail;

/// The next step of `leg` (its PID, or with neither endpoint its execution order), and with
/// `write` the part to append to the leg's `parts`.
pub(super) fn next(
    m: &Manifest,
    write: bool,
    leg: &str,
    start: &Option<String>,
    end: &Option<String>,
    doc: &Option<String>,
    actions: &[String],
) -> Result<Allocated, Fail> {
    let mut appends = Vec::new();
    let id = match (start, end) {
        (Some(s), Some(e)) => {
            let s = parse_endpoint(s, "--start")?;
            let e = parse_endpoint(e, "--end")?;
            let pid = alloc::next_step(m, leg, s, e).map_err(alloc_fail)?;
            let id = pid.to_string();
            if write {
                let mut part = InlineTable::new();
                part.insert("pid", Value::from(id.as_str()));
                if let Some(d) = doc {
                    part.insert("doc", Value::from(d.as_str()));
                }
                if !actions.is_empty() {
                    part.insert("actions", Value::Array(actions.iter().collect::<Array>()));
                }
                appends.push((
                    vec!["leg".into(), leg.to_string()],
                    "parts",
                    Value::InlineTable(part),
                ));
            }
            id
        }
        (None, None) if !write => {
            let order = alloc::next_order(m, leg).map_err(alloc_fail)?;
            format!("e{order:02}")
        }
        _ => {
            return Err(Fail::usage(
                if write {
                    "--write needs --start and --end: the step's PID is `<start>-<end>-e<NN>`"
                } else {
                    "give both --start and --end, or neither (to print only the next execution order)"
                },
                "e.g. `--start c8bms18 --end c20bre21`",
            ))
        }
    };
    Ok(Allocated {
        kind: "PID",
        id,
        edits: Vec::new(),
        appends,
    })
}
