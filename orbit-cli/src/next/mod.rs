//! `orbit next KIND`: the next free canonical id, from the engine's allocator
//! ([`orbit_engine::alloc`]); with `--write`, the new entry is added to `orbit.toml` with its
//! comments and layout kept (toml_edit), and only if the result still passes the check, in one
//! transaction under a lock ([`crate::txn`]).
//!
//! This module holds the arguments, the dispatch and what every kind shares (the report, JSON
//! or human, and the `--write` edit of the manifest); each kind's allocation and the entries
//! that declare it are in its own module: [`mid`], [`rid`], [`component`], [`flow`], [`step`].

mod component;
mod flow;
mod mid;
mod rid;
mod step;

use std::path::Path;

use clap::{Args, Subcommand, ValueEnum};
use orbit_engine::alloc::AllocError;
use orbit_engine::id::{ComponentId, Endpoint, FlowId};
use orbit_engine::render;
use serde::Serialize;
use toml_edit::{Array, DocumentMut, Item, Table, Value};

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

/// A value to append to an array of the manifest: the path of its table, its key, the value.
type Append = (Vec<String>, &'static str, Value);

/// What one kind's allocator found (`next` in `mid`, `rid`, `component`, `flow`, `step`): the
/// id and, with --write, the entries that declare it.
struct Allocated {
    /// The kind, as the JSON report names it.
    kind: &'static str,
    id: String,
    edits: Vec<Edit>,
    appends: Vec<Append>,
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
    let Allocated {
        kind,
        id,
        edits,
        appends,
    } = match &a.kind {
        NextKind::Mid {
            component,
            service,
            name,
            roles,
            doc,
        } => mid::next(m, a.write, component, *service, name, roles, doc)?,
        NextKind::Rid {
            component,
            kind,
            name,
            flow,
            doc,
        } => rid::next(m, a.write, component, *kind, name, flow, doc)?,
        NextKind::Component {
            region,
            flow,
            name,
            doc,
        } => component::next(m, a.write, region, flow, name, doc)?,
        NextKind::Flow {
            name,
            components,
            doc,
        } => flow::next(m, a.write, name, components, doc)?,
        NextKind::Step {
            leg,
            start,
            end,
            doc,
            actions,
        } => step::next(m, a.write, leg, start, end, doc, actions)?,
    };
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
fn write(l: &Loaded, txn: &Txn, edits: &[Edit], appends: &[Append]) -> Outcome {
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
