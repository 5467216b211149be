//! `orbit graph`: flows → components → microservices and resources as a Mermaid or Graphviz
//! graph, or one leg as a sequence of its parts (PIDs as the messages).

use std::path::Path;

use clap::{Args, ValueEnum};
use orbit_engine::id::{Endpoint, FlowId};
use orbit_engine::{suggest, Manifest};
use serde::Serialize;

use crate::common::{self, Fail, Outcome};

/// Arguments of `orbit graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Output format: Mermaid (renders on GitHub), Graphviz DOT, or JSON nodes and edges
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    format: GraphFormat,
    /// Only this flow, e.g. flow-16
    #[arg(long, value_name = "flow-N", conflicts_with = "leg")]
    flow: Option<String>,
    /// One leg as a sequence diagram of its parts in execution order
    #[arg(long)]
    leg: Option<String>,
}

/// Output formats of `orbit graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    /// Mermaid: a flowchart, or a sequenceDiagram for --leg
    Mermaid,
    /// Graphviz DOT
    Dot,
    /// {"nodes": [...], "edges": [...]}
    Json,
}

#[derive(Debug, Serialize)]
struct Node {
    id: String,
    kind: &'static str,
    label: String,
}

#[derive(Debug, Serialize)]
struct Edge {
    from: String,
    to: String,
    label: Option<String>,
}

#[derive(Debug, Serialize)]
struct Graph {
    title: String,
    /// `structure` or `sequence`.
    shape: &'static str,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

/// Runs `orbit graph`.
pub fn run(a: &GraphArgs, manifest: Option<&Path>) -> Outcome {
    let l = common::load(manifest)?;
    let m = &l.manifest;
    let g = match (&a.leg, &a.flow) {
        (Some(leg), _) => sequence(m, leg)?,
        (None, flow) => {
            let only = match flow {
                Some(f) => {
                    let id: FlowId = f.parse().map_err(|e: orbit_engine::id::IdError| {
                        Fail::usage(
                            format!("`{f}` is not a flow id: {}", e.message()),
                            "a flow id is `flow-N`, e.g. `flow-16`",
                        )
                    })?;
                    if m.flow(id).is_none() {
                        let names: Vec<String> = m.flows.iter().map(|f| f.id.to_string()).collect();
                        let near = suggest::nearest(f, names.iter().map(String::as_str), 3);
                        return Err(Fail::finding(
                            format!("flow `{f}` is not declared in {}", l.at.shown),
                            Some(format!("did you mean {}?", common::ticked(&near))),
                        ));
                    }
                    Some(id)
                }
                None => None,
            };
            structure(m, only)
        }
    };
    match a.format {
        GraphFormat::Json => common::print_json(&g)?,
        GraphFormat::Mermaid => out!("{}", mermaid(&g)),
        GraphFormat::Dot => out!("{}", dot(&g)),
    }
    Ok(())
}

fn structure(m: &Manifest, only: Option<FlowId>) -> Graph {
    let mut g = Graph {
        title: match only {
            Some(f) => format!("{} {}", f, m.flow(f).map_or("", |x| x.name.as_str())),
            None => m.orbit.name.clone(),
        },
        shape: "structure",
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    let mut comps = Vec::new();
    for f in m.flows.iter().filter(|f| only.is_none_or(|o| o == f.id)) {
        g.nodes.push(Node {
            id: f.id.to_string(),
            kind: "flow",
            label: f.name.clone(),
        });
        for &c in &f.components {
            let b = f.blocks(c).unwrap_or_default();
            g.edges.push(Edge {
                from: f.id.to_string(),
                to: c.to_string(),
                label: Some(format!("blocks {}–{}", b[0], b[3])),
            });
            if !comps.contains(&c) {
                comps.push(c);
            }
        }
    }
    comps.sort();
    for c in comps {
        let Some(comp) = m.component(c) else { continue };
        g.nodes.push(Node {
            id: c.to_string(),
            kind: "component",
            label: comp.name.clone(),
        });
        for s in m.microservices_of(c) {
            g.nodes.push(Node {
                id: s.id.to_string(),
                kind: "microservice",
                label: s.name.clone(),
            });
            g.edges.push(Edge {
                from: c.to_string(),
                to: s.id.to_string(),
                label: None,
            });
        }
        for r in m.resources_of(c) {
            g.nodes.push(Node {
                id: r.id.to_string(),
                kind: "resource",
                label: format!("{} ({})", r.name, r.kind),
            });
            g.edges.push(Edge {
                from: c.to_string(),
                to: r.id.to_string(),
                label: None,
            });
        }
    }
    g
}

fn sequence(m: &Manifest, leg: &str) -> Result<Graph, Fail> {
    let Some(l) = m.leg(leg) else {
        let near = suggest::nearest(leg, m.legs.iter().map(|l| l.name.as_str()), 3);
        return Err(Fail::finding(
            format!("leg `{leg}` is not declared in the manifest"),
            Some(if near.is_empty() {
                "declare it as `[leg.NAME]`".to_string()
            } else {
                format!("did you mean {}?", common::ticked(&near))
            }),
        ));
    };
    let mut g = Graph {
        title: format!("{} ({})", l.name, l.flow),
        shape: "sequence",
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    let mut seen: Vec<Endpoint> = Vec::new();
    for p in &l.parts {
        for e in [p.pid.start, p.pid.end] {
            if !seen.contains(&e) {
                seen.push(e);
                let (kind, label) = match e {
                    Endpoint::Mid(id) => {
                        ("microservice", m.microservice(id).map(|s| s.name.clone()))
                    }
                    Endpoint::Rid(id) => ("resource", m.resource(id).map(|r| r.name.clone())),
                };
                g.nodes.push(Node {
                    id: e.to_string(),
                    kind,
                    label: label.unwrap_or_default(),
                });
            }
        }
        let mut label = p.pid.to_string();
        if let Some(d) = &p.doc {
            label.push_str(": ");
            label.push_str(d);
        }
        g.edges.push(Edge {
            from: p.pid.start.to_string(),
            to: p.pid.end.to_string(),
            label: Some(label),
        });
    }
    Ok(g)
}

/// Mermaid node ids: letters, digits and `_`.
fn mid(id: &str) -> String {
    id.replace('-', "_")
}

/// Whether `c` must not be written raw into a diagram: a control character (a line break
/// included: it would end the Mermaid statement) or a bidirectional control, which would
/// reach the terminal or reorder the text shown.
fn unprintable(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text inside a quoted Mermaid label; unprintable characters as entity codes (`#27;`).
fn mtext(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            c if unprintable(c) => out.push_str(&format!("#{};", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn mermaid(g: &Graph) -> String {
    let mut out = String::new();
    if g.shape == "sequence" {
        out.push_str(&format!("sequenceDiagram\n    title {}\n", mtext(&g.title)));
        for n in &g.nodes {
            out.push_str(&format!(
                "    participant {} as {}<br/>{}\n",
                mid(&n.id),
                n.id,
                mtext(&n.label)
            ));
        }
        for e in &g.edges {
            out.push_str(&format!(
                "    {}->>{}: {}\n",
                mid(&e.from),
                mid(&e.to),
                mtext(e.label.as_deref().unwrap_or(""))
            ));
        }
        return out;
    }
    out.push_str("flowchart LR\n");
    for n in &g.nodes {
        let label = format!("\"{}<br/>{}\"", n.id, mtext(&n.label));
        let shape = match n.kind {
            "flow" => format!("{{{{{label}}}}}"),
            "resource" => format!("[({label})]"),
            "microservice" => format!("([{label}])"),
            _ => format!("[{label}]"),
        };
        out.push_str(&format!("    {}{shape}:::{}\n", mid(&n.id), n.kind));
    }
    for e in &g.edges {
        match &e.label {
            Some(l) => out.push_str(&format!(
                "    {} -->|{}| {}\n",
                mid(&e.from),
                mtext(l),
                mid(&e.to)
            )),
            None => out.push_str(&format!("    {} --> {}\n", mid(&e.from), mid(&e.to))),
        }
    }
    out.push_str(
        "    classDef flow fill:#dbeafe,stroke:#1d4ed8\n    classDef component fill:#fef3c7,stroke:#b45309\n    classDef microservice fill:#dcfce7,stroke:#15803d\n    classDef resource fill:#fce7f3,stroke:#be185d\n",
    );
    out
}

/// Text inside a quoted DOT string; a line break as DOT's `\n`, other unprintable
/// characters as HTML entities (`&#27;`), which Graphviz reads in labels.
fn dtext(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if unprintable(c) => out.push_str(&format!("&#{};", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn dot(g: &Graph) -> String {
    let mut out = format!(
        "digraph orbit {{\n    label=\"{}\";\n    labelloc=t;\n    rankdir=LR;\n    node [fontname=\"Helvetica\", fontsize=11, style=filled];\n    edge [fontname=\"Helvetica\", fontsize=9];\n",
        dtext(&g.title)
    );
    for n in &g.nodes {
        let (shape, fill) = match n.kind {
            "flow" => ("hexagon", "#dbeafe"),
            "component" => ("box", "#fef3c7"),
            "microservice" => ("box\", style=\"rounded,filled", "#dcfce7"),
            _ => ("cylinder", "#fce7f3"),
        };
        out.push_str(&format!(
            "    \"{}\" [shape=\"{shape}\", fillcolor=\"{fill}\", label=\"{}\\n{}\"];\n",
            n.id,
            n.id,
            dtext(&n.label)
        ));
    }
    for (i, e) in g.edges.iter().enumerate() {
        match &e.label {
            Some(l) if g.shape == "sequence" => out.push_str(&format!(
                "    \"{}\" -> \"{}\" [label=\"{}. {}\"];\n",
                e.from,
                e.to,
                i + 1,
                dtext(l.split(':').next().unwrap_or(l))
            )),
            Some(l) => out.push_str(&format!(
                "    \"{}\" -> \"{}\" [label=\"{}\"];\n",
                e.from,
                e.to,
                dtext(l)
            )),
            None => out.push_str(&format!("    \"{}\" -> \"{}\";\n", e.from, e.to)),
        }
    }
    out.push_str("}\n");
    out
}
