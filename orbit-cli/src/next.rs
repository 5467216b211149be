//! `orbit next KIND`: the next free canonical id, from the engine's allocator
//! ([`orbit_engine::alloc`]); with `--write`, the new entry is added to `orbit.toml` with its
//! comments and layout kept (toml_edit), and only if the result still passes the check, in one
//! transaction under a lock ([`crate::txn`]).

use std::path::Path;

use clap::{Args, Subcommand, ValueEnum};
use orbit_engine::alloc::{self, AllocError};
use orbit_engine::id::{ComponentId, Endpoint, FlowId, ResourceKind, ServiceKind};
use orbit_engine::render;
use serde::Serialize;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::common::{self, Fail, Loaded, Outcome};
use crate::txn::{self, Txn};
use crate::Format;

/// Arguments of `orbit next`.
#[derive(Debug, Args)]
pub struct NextArgs {
    #[command(subcommand)]
    kind: NextKind,
    /// Add the new entry to the manifest, keeping its comments and layout
    #[arg(long, global = true)]
    write: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    format: Format,
}

#[derive(Debug, Subcommand)]
enum NextKind {
    /// The next MID of a component (one sequence across fms and bms)
    Mid {
        /// The component, e.g. c8
        #[arg(long, value_name = "cN")]
        component: String,
        /// Frontend (fms) or backend (bms)
        #[arg(long = "type", value_enum)]
        service: ServiceArg,
        /// With --write: the microservice's name (required)
        #[arg(long)]
        name: Option<String>,
        /// With --write: its roles, comma-separated
        #[arg(long, value_delimiter = ',')]
        roles: Vec<String>,
        /// With --write: its doc
        #[arg(long)]
        doc: Option<String>,
    },
    /// The next RID of a component
    Rid {
        /// The component, e.g. c20
        #[arg(long, value_name = "cN")]
        component: String,
        /// With --write: dynamodb, s3 or mysql (required)
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// With --write: the descriptive name, e.g. user-input-manifest-data (required)
        #[arg(long, alias = "resource-name")]
        name: Option<String>,
        /// With --write: the flow whose number starts the serial, when several list the component
        #[arg(long, value_name = "flow-N")]
        flow: Option<String>,
        /// With --write: its doc
        #[arg(long)]
        doc: Option<String>,
    },
    /// The next component of a region (a multiple of 4 inside the region's range)
    Component {
        /// The region, e.g. ohio-k3s-agent
        #[arg(long)]
        region: String,
        /// The flow to list it in (required with --write; at most 8 components per flow)
        #[arg(long, value_name = "flow-N")]
        flow: Option<String>,
        /// With --write: the component's name (required)
        #[arg(long)]
        name: Option<String>,
        /// With --write: its doc
        #[arg(long)]
        doc: Option<String>,
    },
    /// The next flow (a multiple of 4)
    Flow {
        /// With --write: the flow's name (required)
        #[arg(long)]
        name: Option<String>,
        /// With --write: its components in order, comma-separated
        #[arg(long, value_delimiter = ',', value_name = "cN,…")]
        components: Vec<String>,
        /// With --write: its doc
        #[arg(long)]
        doc: Option<String>,
    },
    /// The next step of a leg (execution order a multiple of 5)
    Step {
        /// The leg, e.g. transfer-image
        #[arg(long)]
        leg: String,
        /// The step's start MID or RID (needed for the PID and for --write)
        #[arg(long)]
        start: Option<String>,
        /// The step's end MID or RID (needed for the PID and for --write)
        #[arg(long)]
        end: Option<String>,
        /// With --write: the part's doc
        #[arg(long)]
        doc: Option<String>,
        /// With --write: its actions, comma-separated
        #[arg(long, value_delimiter = ',')]
        actions: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ServiceArg {
    /// Frontend microservice
    Fms,
    /// Backend microservice
    Bms,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum KindArg {
    /// DynamoDB table
    Dynamodb,
    /// S3 bucket
    S3,
    /// MySQL database
    Mysql,
}

#[derive(Serialize)]
struct Report<'a> {
    manifest: &'a str,
    kind: &'static str,
    id: String,
    written: bool,
}

fn alloc_fail(e: AllocError) -> Fail {
    Fail::finding(e.message(), Some(e.help()))
}

fn parse_component(text: &str) -> Result<ComponentId, Fail> {
    ComponentId::parse_prose(text).map_err(|e| {
        Fail::usage(
            format!("`{text}` is not a component id: {}", e.message()),
            match e.suggestion() {
                Some(s) => format!("write `{s}`"),
                None => "a component id is `c` and its number, e.g. `c8`".into(),
            },
        )
    })
}

fn parse_flow(text: &str) -> Result<FlowId, Fail> {
    text.parse::<FlowId>().map_err(|e| {
        Fail::usage(
            format!("`{text}` is not a flow id: {}", e.message()),
            match e.suggestion() {
                Some(s) => format!("write `{s}`"),
                None => "a flow id is `flow-N`, e.g. `flow-16`".into(),
            },
        )
    })
}

fn parse_endpoint(text: &str, flag: &str) -> Result<Endpoint, Fail> {
    text.parse::<Endpoint>().map_err(|e| {
        Fail::usage(
            format!("{flag} `{text}` is not a MID or RID: {}", e.message()),
            match e.suggestion() {
                Some(s) => format!("write `{s}`"),
                None => "e.g. `c8bms18` or `c20bre21`".into(),
            },
        )
    })
}

fn required<'a>(v: &'a Option<String>, flag: &str, what: &str) -> Result<&'a str, Fail> {
    v.as_deref().ok_or_else(|| {
        Fail::usage(
            format!("--write needs {flag}: {what}"),
            format!("add `{flag} …`, or drop --write to only print the next id"),
        )
    })
}

/// An entry to add to the manifest.
enum Edit {
    /// A new `[family.key]` table, placed after `anchor` (a key in the same family) when given.
    Table {
        family: &'static str,
        key: String,
        anchor: Option<String>,
        entries: Vec<(&'static str, Value)>,
    },
}

/// Runs `orbit next`.
pub fn run(a: &NextArgs, manifest: Option<&Path>) -> Outcome {
    let at = common::locate(manifest)?;
    // With --write the lock comes first: the manifest is read, the id allocated and the edit
    // checked under it (a missing file is left to `load_at` to report).
    let txn = if a.write && at.path.exists() {
        Some(txn::begin(&at.path, &at.shown)?)
    } else {
        None
    };
    let l = common::load_at(at)?;
    let m = &l.manifest;
    let (kind, id, edits): (&'static str, String, Vec<Edit>);
    // Extra edits to arrays: (table path, key, value).
    let mut appends: Vec<(Vec<String>, &'static str, Value)> = Vec::new();
    match &a.kind {
        NextKind::Mid {
            component,
            service,
            name,
            roles,
            doc,
        } => {
            let c = parse_component(component)?;
            let sk = match service {
                ServiceArg::Fms => ServiceKind::Frontend,
                ServiceArg::Bms => ServiceKind::Backend,
            };
            let mid = alloc::next_mid(m, c, sk).map_err(alloc_fail)?;
            kind = "MID";
            id = mid.to_string();
            edits = if a.write {
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
        }
        NextKind::Rid {
            component,
            kind: rk,
            name,
            flow,
            doc,
        } => {
            let c = parse_component(component)?;
            let rid = alloc::next_rid(m, c).map_err(alloc_fail)?;
            kind = "RID";
            id = rid.to_string();
            edits = if a.write {
                let rk = rk.ok_or_else(|| {
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
        }
        NextKind::Component {
            region,
            flow,
            name,
            doc,
        } => {
            let flow = flow.as_deref().map(parse_flow).transpose()?;
            if let Some(f) = flow {
                alloc::flow_with_room(m, f).map_err(alloc_fail)?;
            }
            let c = alloc::next_component(m, region).map_err(alloc_fail)?;
            kind = "component";
            id = c.to_string();
            edits = if a.write {
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
        }
        NextKind::Flow {
            name,
            components,
            doc,
        } => {
            let f = alloc::next_flow(m).map_err(alloc_fail)?;
            kind = "flow";
            id = f.to_string();
            edits = if a.write {
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
        }
        NextKind::Step {
            leg,
            start,
            end,
            doc,
            actions,
        } => {
            kind = "PID";
            edits = Vec::new();
            match (start, end) {
                (Some(s), Some(e)) => {
                    let s = parse_endpoint(s, "--start")?;
                    let e = parse_endpoint(e, "--end")?;
                    let pid = alloc::next_step(m, leg, s, e).map_err(alloc_fail)?;
                    id = pid.to_string();
                    if a.write {
                        let mut part = InlineTable::new();
                        part.insert("pid", Value::from(id.as_str()));
                        if let Some(d) = doc {
                            part.insert("doc", Value::from(d.as_str()));
                        }
                        if !actions.is_empty() {
                            part.insert("actions", Value::Array(actions.iter().collect::<Array>()));
                        }
                        appends.push((
                            vec!["leg".into(), leg.clone()],
                            "parts",
                            Value::InlineTable(part),
                        ));
                    }
                }
                (None, None) if !a.write => {
                    let order = alloc::next_order(m, leg).map_err(alloc_fail)?;
                    id = format!("e{order:02}");
                }
                _ => {
                    return Err(Fail::usage(
                        if a.write {
                            "--write needs --start and --end: the step's PID is `<start>-<end>-e<NN>`"
                        } else {
                            "give both --start and --end, or neither (to print only the next execution order)"
                        },
                        "e.g. `--start c8bms18 --end c20bre21`",
                    ))
                }
            }
        }
    }
    if let Some(txn) = &txn {
        write(&l, txn, &edits, &appends)?;
    }
    match a.format {
        Format::Json => common::print_json(&Report {
            manifest: &l.at.shown,
            kind,
            id: id.clone(),
            written: a.write,
        })?,
        Format::Human => {
            outln!("{id}");
            if a.write {
                errln!("added `{id}` to {}; it passes `orbit check`", l.at.shown);
            }
        }
    }
    Ok(())
}

/// Applies the edits to the manifest's text, re-checks the result and, only if it passes,
/// replaces the manifest in one transaction ([`crate::txn`]). The text keeps its line ends
/// (CRLF stays CRLF), its byte order mark and its comments where they were.
fn write(
    l: &Loaded,
    txn: &Txn,
    edits: &[Edit],
    appends: &[(Vec<String>, &'static str, Value)],
) -> Outcome {
    const BOM: &str = "\u{feff}";
    let (bom, body) = match l.source.strip_prefix(BOM) {
        Some(rest) => (BOM, rest),
        None => ("", l.source.as_str()),
    };
    let crlf = body.contains("\r\n") && !body.replace("\r\n", "").contains('\n');
    let mut doc: DocumentMut = body.parse().map_err(|e| {
        Fail::usage(
            format!("{} cannot be edited: {e}", l.at.shown),
            "run `orbit check` and fix the manifest first",
        )
    })?;
    for (path, key, value) in appends {
        let mut item: &mut Item = doc.as_item_mut();
        for p in path {
            item = match item.get_mut(p.as_str()) {
                Some(i) => i,
                None => {
                    return Err(Fail::finding(
                        format!("`[{}]` is not declared in {}", path.join("."), l.at.shown),
                        None,
                    ))
                }
            };
        }
        let table = path.join(".");
        match item.get_mut(*key) {
            Some(Item::Value(Value::Array(arr))) => append(arr, value.clone()),
            // `[[leg.x.parts]]`: one more table of the array.
            Some(Item::ArrayOfTables(tables)) => {
                let Value::InlineTable(inline) = value else {
                    return Err(Fail::finding(
                        format!(
                            "`{key}` of `[{table}]` in {} is an array of tables, and the new entry is not a table",
                            l.at.shown
                        ),
                        Some(format!("add the entry to `{key}` by hand")),
                    ));
                };
                tables.push(inline.clone().into_table());
            }
            Some(_) => {
                return Err(Fail::finding(
                    format!(
                        "`{key}` of `[{table}]` in {} is not an array, so the new entry cannot be added to it",
                        l.at.shown
                    ),
                    Some(format!("`orbit check {}` says what is wrong with it", l.at.shown)),
                ))
            }
            None => {
                return Err(Fail::finding(
                    format!("`[{table}]` in {} has no `{key}` array to add to", l.at.shown),
                    Some(format!("add `{key} = []` to `[{table}]` first")),
                ))
            }
        }
    }
    for e in edits {
        let Edit::Table {
            family,
            key,
            anchor,
            entries,
        } = e;
        let position = anchor
            .as_ref()
            .and_then(|a| doc.get(family).and_then(|f| f.get(a.as_str())))
            .and_then(Item::as_table)
            .and_then(Table::position);
        if doc.get(family).is_none() {
            let mut t = Table::new();
            t.set_implicit(true);
            doc.insert(family, Item::Table(t));
        }
        let mut t = Table::new();
        for (k, v) in entries {
            t.insert(k, Item::Value(v.clone()));
        }
        t.decor_mut().set_prefix("\n");
        if let Some(p) = position {
            t.set_position(Some(p));
        }
        match doc.get_mut(family) {
            Some(Item::Table(f)) => {
                f.insert(key, Item::Table(t));
            }
            Some(Item::Value(Value::InlineTable(_))) => {
                return Err(Fail::finding(
                    format!(
                        "cannot add `[{family}.{key}]`: {} declares `{family}` as one inline table (`{family} = {{ … }}`), and a `[{family}.…]` table cannot be added beside it",
                        l.at.shown
                    ),
                    Some(format!(
                        "write each entry of `{family} = {{ … }}` as its own `[{family}.ID]` table (the layout `orbit next --write` adds to), then run again"
                    )),
                ))
            }
            _ => {
                return Err(Fail::finding(
                    format!(
                        "cannot add `[{family}.{key}]`: `{family}` in {} is not a table",
                        l.at.shown
                    ),
                    Some(format!(
                        "`{family}` holds `[{family}.ID]` tables; `orbit check {}` says what is wrong with it",
                        l.at.shown
                    )),
                ))
            }
        }
    }
    let mut text = String::with_capacity(l.source.len() + 256);
    text.push_str(bom);
    let edited = doc.to_string();
    if crlf {
        // toml_edit writes the new lines with LF; the old ones kept their CRLF.
        text.push_str(&edited.replace("\r\n", "\n").replace('\n', "\r\n"));
    } else {
        text.push_str(&edited);
    }
    let checked = orbit_engine::check(&text);
    if !checked.diagnostics.is_empty() {
        err!(
            "{}",
            render::all(
                &checked.diagnostics,
                &text,
                &l.at.shown,
                common::stderr_style()
            )
        );
        return Err(Fail::finding(
            format!(
                "not written: with the new entry, {} would break {} rule{} (shown above); the file is untouched",
                l.at.shown,
                checked.diagnostics.len(),
                common::plural(checked.diagnostics.len())
            ),
            Some("fix the values given (--name, --kind …) and run again".into()),
        ));
    }
    txn.commit(l.source.as_bytes(), text.as_bytes())
}

/// Appends a value to an array in the style of its last element (one per line in a multi-line
/// array). A comment after the last element (`"c28", # …` or `"c28" # …`) stays on that
/// element: the new one goes on the next line.
fn append(arr: &mut Array, mut value: Value) {
    let len = arr.len();
    let trailing_comma = arr.trailing_comma();
    let trailing = arr.trailing().as_str().unwrap_or("").to_string();
    if let Some(last) = arr.get_mut(len.wrapping_sub(1)) {
        let prefix = last
            .decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or(" ");
        // The first element of a one-line array has no leading space; the others do.
        let prefix = if len == 1 && !prefix.contains('\n') {
            " "
        } else {
            prefix
        }
        .to_string();
        let suffix = last
            .decor()
            .suffix()
            .and_then(|p| p.as_str())
            .unwrap_or("")
            .to_string();
        // What follows the last element up to `]`: after its comma if it has one.
        let after = if trailing_comma { &trailing } else { &suffix };
        if let (true, Some(nl)) = (after.contains('#'), after.rfind('\n')) {
            let indent = prefix.rsplit('\n').next().unwrap_or("");
            let (comment, rest) = (after[..=nl].to_string(), after[nl..].to_string());
            value.decor_mut().set_prefix(format!("{comment}{indent}"));
            if trailing_comma {
                value.decor_mut().set_suffix("");
                arr.set_trailing(rest);
            } else {
                last.decor_mut().set_suffix("");
                value.decor_mut().set_suffix(rest);
            }
            arr.push_formatted(value);
            return;
        }
        value.decor_mut().set_prefix(prefix);
        value.decor_mut().set_suffix(suffix);
    }
    arr.push_formatted(value);
}
