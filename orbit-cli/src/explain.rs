//! `orbit explain TEXT`: what an id is (with a manifest: its declaration and everything derived
//! from it), what its structure says, or every way it breaks the conventions.

use std::path::Path;

use orbit_engine::id::{
    self, AnyId, Endpoint, IdKind, PhysicalName, Pid, RepoKind, RepositoryName, Rid,
};
use orbit_engine::{suggest, Manifest};
use serde::Serialize;

use crate::common::{self, Fail, Loaded, Outcome};
use crate::Format;

/// The default region ranges of the README's "The conventions, in short", used when there is no manifest.
const DEFAULT_REGIONS: [(&str, u16, u16); 3] = [
    ("n-virginia", 1, 100),
    ("ohio-k3s-master", 101, 200),
    ("ohio-k3s-agent", 201, 300),
];

/// What `orbit explain` found out about a text: its kind, its facts, its problems.
#[derive(Debug, Default, Serialize)]
pub struct Explanation {
    text: String,
    kind: String,
    well_formed: bool,
    /// `None` without a manifest.
    declared: Option<bool>,
    facts: Vec<Fact>,
    problems: Vec<ProblemOut>,
    suggestion: Option<String>,
    nearest: Vec<String>,
    notes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Fact {
    label: String,
    value: String,
}

#[derive(Debug, Serialize)]
struct ProblemOut {
    message: String,
    start: usize,
    end: usize,
}

impl Explanation {
    /// Whether the text is not an id of the manifest: malformed, or well formed but not
    /// declared (`orbit explain` exits 1).
    pub fn is_finding(&self) -> bool {
        !self.well_formed || self.declared == Some(false)
    }

    /// Whether the text is a well-formed id or name, or a name the manifest declares.
    pub fn well_formed(&self) -> bool {
        self.well_formed
    }

    fn fact(&mut self, label: &str, value: impl Into<String>) {
        self.facts.push(Fact {
            label: label.to_string(),
            value: value.into(),
        });
    }
}

/// Runs `orbit explain`.
pub fn run(text: &str, manifest: Option<&Path>, format: Format) -> Outcome {
    let text = text.trim();
    if text.is_empty() {
        return Err(Fail::usage(
            "nothing to explain: the text is empty",
            "give an id or a name, e.g. `orbit explain c8fms03` or `orbit explain user-input-manifest-data-1606-tbl-k8d-aws`",
        ));
    }
    if crate::rules::looks_like_code(text) {
        return crate::rules::explain(text, format);
    }
    let loaded: Option<Loaded> = match manifest {
        Some(p) => Some(common::load_as(Some(p), format)?),
        None => match common::locate(None) {
            Ok(at) => Some(common::load_at_as(at, format)?),
            Err(_) => None,
        },
    };
    let x = explain(text, loaded.as_ref().map(|l| &l.manifest));
    match format {
        Format::Json => common::print_json(&x)?,
        Format::Human => out!(
            "{}",
            human(&x, loaded.as_ref().map(|l| l.at.shown.as_str()))
        ),
    }
    if x.is_finding() {
        Err(Fail::reported())
    } else {
        Ok(())
    }
}

/// What `orbit explain TEXT` says about `text`, against a manifest (its sound part, for a
/// manifest with errors) or none. The language server's hover shows the same.
pub fn explain(text: &str, m: Option<&Manifest>) -> Explanation {
    let text = text.trim();
    let mut x = Explanation {
        text: text.to_string(),
        ..Explanation::default()
    };
    if let Some(m) = m {
        if named(&mut x, m) {
            x.declared = Some(true);
            x.well_formed = true;
            return x;
        }
    }
    match AnyId::parse(text) {
        Ok(any) => {
            x.kind = any.kind().describe().to_string();
            x.well_formed = true;
            structure(&mut x, any, m);
            if let AnyId::PhysicalName(pn) = any {
                if let Some(p) = cloud_limits(pn, text) {
                    // The form is right, but no such name can exist (ORB407's limits).
                    x.well_formed = false;
                    x.problems.push(p);
                    x.notes.push("a physical name must meet the cloud's limits; names are never truncated to fit".into());
                }
            }
            if !x.well_formed {
                if let Some(m) = m {
                    x.nearest = suggest::nearest(
                        text,
                        candidates(m, any.kind()).iter().map(String::as_str),
                        3,
                    );
                }
            } else if let Some(m) = m {
                let declared = declaration(&mut x, any, m);
                x.declared = Some(declared);
                if !declared {
                    let mut pool = candidates(m, any.kind());
                    if let AnyId::PhysicalName(pn) = any {
                        // The same environment's names first: a typo rarely changes the environment.
                        let suffix = format!("{}{}", pn.kind.separator(), pn.env);
                        let same: Vec<String> = pool
                            .iter()
                            .filter(|n| n.contains(&suffix))
                            .cloned()
                            .collect();
                        if !same.is_empty() {
                            pool = same;
                        }
                    }
                    x.nearest = suggest::nearest(text, pool.iter().map(String::as_str), 3);
                    if let Some(n) = next_free(m, any) {
                        x.notes.push(n);
                    }
                }
            } else {
                x.notes.push("no orbit.toml found: this is what the text's structure says; name a manifest with --manifest to see its declaration".into());
            }
        }
        Err(e) => {
            x.kind = e.kind().describe().to_string();
            x.problems = e
                .problems()
                .iter()
                .map(|p| ProblemOut {
                    message: p.message.clone(),
                    start: p.span.start,
                    end: p.span.end,
                })
                .collect();
            x.suggestion = e.suggestion().map(str::to_string);
            if let Some(m) = m {
                x.nearest =
                    suggest::nearest(text, candidates(m, e.kind()).iter().map(String::as_str), 3);
            }
            x.notes.push(format!(
                "the form of a {} is {}",
                e.kind().describe(),
                e.kind().form()
            ));
        }
    }
    x
}

/// The explanation as Markdown, for an editor's hover: the first line of `orbit explain`'s
/// output in bold, the rest as the same aligned text in a code block.
pub fn markdown(x: &Explanation, shown: Option<&str>) -> String {
    let text = human(x, shown);
    let (first, rest) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    let mut out = format!("**{}**", escape_markdown(first));
    let rest = rest.trim_end();
    if !rest.is_empty() {
        out.push_str("\n\n```text\n");
        out.push_str(rest);
        out.push_str("\n```");
    }
    out
}

/// Escapes the characters Markdown could read as formatting in the first line (ids and names
/// hold none of them; `_` inside a word and the backticks around quoted text stay as they are).
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The plain text `orbit explain` prints (no colour), for `shown` as the manifest's name;
/// every text from the manifest or the argument is passed through [`common::visible`], so
/// that no control character reaches the terminal.
pub fn human(x: &Explanation, shown: Option<&str>) -> String {
    let mut out = String::new();
    let v = |s: &str| common::visible(s).into_owned();
    let text = v(&x.text);
    if !x.well_formed {
        let n = x.problems.len();
        out.push_str(&format!(
            "error: `{}` is not a well-formed {}: {} problem{}\n",
            text,
            x.kind,
            n,
            common::plural(n)
        ));
        // The text, then a caret line per problem.
        out.push_str(&format!("  |\n  | {text}\n"));
        for p in &x.problems {
            let pad: usize = x.text.get(..p.start).map_or(0, |s| v(s).chars().count());
            let width = x
                .text
                .get(p.start..p.end)
                .map_or(1, |s| v(s).chars().count())
                .max(1);
            out.push_str(&format!(
                "  | {}{} {}\n",
                " ".repeat(pad),
                "^".repeat(width),
                v(&p.message)
            ));
        }
        out.push_str("  |\n");
        if let Some(s) = &x.suggestion {
            out.push_str(&format!("  = help: write `{}`\n", v(s)));
        }
        if !x.nearest.is_empty() {
            out.push_str(&format!(
                "  = help: declared in {}: {}\n",
                shown.unwrap_or("the manifest"),
                v(&common::ticked(&x.nearest))
            ));
        }
        for n in &x.notes {
            out.push_str(&format!("  = note: {}\n", v(n)));
        }
        return out;
    }
    let status = match (x.declared, shown) {
        (Some(true), Some(s)) => format!("declared in {s}"),
        (Some(false), Some(s)) => format!("well formed, but not declared in {s}"),
        _ => "well formed".to_string(),
    };
    out.push_str(&format!("{text}: {}, {status}\n", x.kind));
    let width = x
        .facts
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0);
    for f in &x.facts {
        for (i, line) in f.value.lines().enumerate() {
            let label = if i == 0 { f.label.as_str() } else { "" };
            out.push_str(&format!("  {label:width$}  {}\n", v(line)));
        }
    }
    if !x.nearest.is_empty() {
        out.push_str(&format!(
            "  = help: did you mean {}?\n",
            v(&common::ticked(&x.nearest))
        ));
    }
    for n in &x.notes {
        out.push_str(&format!("  = note: {}\n", v(n)));
    }
    out
}

/// Declared names of one kind, for did-you-mean.
fn candidates(m: &Manifest, kind: IdKind) -> Vec<String> {
    match kind {
        IdKind::Flow => m.flows.iter().map(|f| f.id.to_string()).collect(),
        IdKind::Component => m.components.iter().map(|c| c.id.to_string()).collect(),
        IdKind::Mid => m.microservices.iter().map(|s| s.id.to_string()).collect(),
        IdKind::Rid => m.resources.iter().map(|r| r.id.to_string()).collect(),
        IdKind::Pid => m.processes().map(|(_, p)| p.pid.to_string()).collect(),
        IdKind::PhysicalName => m
            .resources
            .iter()
            .flat_map(|r| m.physical_names(r).into_iter().map(|(_, n)| n))
            .collect(),
        IdKind::Repository => m
            .flows
            .iter()
            .flat_map(|f| m.repositories(f.id).into_iter().map(|r| r.name))
            .collect(),
        IdKind::Environment => m.environments.iter().map(|e| e.code.clone()).collect(),
    }
}

fn step_note(n: u16, step: u16, what: &str) -> String {
    if n.is_multiple_of(step) {
        format!("a multiple of {step}")
    } else {
        format!(
            "not a multiple of {step}: a reserved slot, usable only by {} {what} with `inserted = true`",
            id::article(what)
        )
    }
}

fn number(n: u16) -> String {
    let mut s = String::new();
    let _ = id::write_number(&mut s, n);
    s
}

fn region_of(m: Option<&Manifest>, c: u16) -> String {
    match m {
        Some(m) => match m.region_of(id::ComponentId(c)) {
            Some(r) => format!(
                "{} ({}, components {}–{})",
                r.key,
                r.name,
                r.components.start(),
                r.components.end()
            ),
            None => "outside every declared region".into(),
        },
        None => match DEFAULT_REGIONS
            .iter()
            .find(|(_, a, b)| (*a..=*b).contains(&c))
        {
            Some((k, a, b)) => format!("{k} by the default ranges ({a}–{b})"),
            None => "outside the default region ranges (1–300)".into(),
        },
    }
}

/// What the text's structure says, manifest or not.
fn structure(x: &mut Explanation, any: AnyId<'_>, m: Option<&Manifest>) {
    match any {
        AnyId::Flow(f) => x.fact(
            "flow number",
            format!("{} ({})", f.0, step_note(f.0, 4, "entry")),
        ),
        AnyId::Component(c) => {
            x.fact(
                "component number",
                format!("{} ({})", c.0, step_note(c.0, 4, "entry")),
            );
            x.fact("region", region_of(m, c.0));
        }
        AnyId::Mid(mid) => {
            x.fact("component", format!("c{}", mid.component));
            x.fact(
                "type",
                format!("{} ({} microservice)", mid.kind.code(), mid.kind.describe()),
            );
            x.fact(
                "identifier",
                format!(
                    "{} ({})",
                    number(mid.number),
                    step_note(mid.number, 3, "entry")
                ),
            );
        }
        AnyId::Rid(r) => {
            x.fact("component", format!("c{}", r.component));
            x.fact("type", "bre (backend resource)");
            x.fact(
                "identifier",
                format!("{} ({})", number(r.number), step_note(r.number, 3, "entry")),
            );
        }
        AnyId::Pid(p) => {
            x.fact("start", endpoint_label(p.start, m));
            x.fact("end", endpoint_label(p.end, m));
            x.fact(
                "execution order",
                format!("e{} ({})", number(p.order), step_note(p.order, 5, "part")),
            );
        }
        AnyId::PhysicalName(pn) => physical_structure(x, pn, m),
        AnyId::Repository(r) => {
            x.fact("flow", r.flow.to_string());
            x.fact(
                "repository",
                format!("{} ({} repository of the flow)", r.kind, r.kind),
            );
            x.fact("environment", r.env);
            x.fact("cloud", r.cloud);
        }
    }
}

fn physical_structure(x: &mut Explanation, pn: PhysicalName<'_>, m: Option<&Manifest>) {
    x.fact(
        "kind",
        format!(
            "{} ({}, suffix `{}`)",
            pn.kind.as_str(),
            pn.kind.describe(),
            pn.kind.suffix()
        ),
    );
    x.fact("name", pn.name);
    // The serial is the flow number then the identifier (2 digits below 100, else 3): both
    // splits may be possible; with a manifest, only declared flows count.
    let mut splits: Vec<(String, u16)> = [2usize, 3]
        .iter()
        .filter(|&&k| pn.serial.len() > k)
        .filter_map(|&k| {
            let (f, n) = pn.serial.split_at(pn.serial.len() - k);
            let n: u16 = n.parse().ok()?;
            (n > 0 && !f.starts_with('0') && (k == 2) == (n < 100)).then(|| (f.to_string(), n))
        })
        .collect();
    if let Some(m) = m {
        let declared: Vec<(String, u16)> = splits
            .iter()
            .filter(|(f, _)| {
                f.parse::<u16>()
                    .is_ok_and(|n| m.flow(id::FlowId(n)).is_some())
            })
            .cloned()
            .collect();
        if !declared.is_empty() {
            splits = declared;
        }
    }
    let splits: Vec<String> = splits
        .iter()
        .map(|(f, n)| format!("flow-{f} and identifier {}", number(*n)))
        .collect();
    x.fact(
        "serial",
        if splits.is_empty() {
            pn.serial.to_string()
        } else {
            format!("{} ({})", pn.serial, splits.join(", or "))
        },
    );
    x.fact("environment", pn.env);
    x.fact("cloud", pn.cloud);
}

/// Every way `text`, read as a physical name, breaks the conventions, as `orbit explain` says
/// them (the form, then the cloud's limits); empty when it is a well-formed physical name.
/// `orbit audit` reports them under ORB903.
pub fn physical_problems(text: &str) -> Vec<String> {
    match PhysicalName::parse(text) {
        Ok(pn) => cloud_limits(pn, text)
            .map(|p| vec![p.message])
            .unwrap_or_default(),
        Err(e) => {
            let mut out: Vec<String> = e.problems().iter().map(|p| p.message.clone()).collect();
            if let Some(s) = e.suggestion() {
                out.push(format!("did you mean `{s}`?"));
            }
            out
        }
    }
}

/// How a physical name of the right form breaks its cloud's limits (those `orbit check`
/// applies as ORB407), pointing at the characters past the longest name allowed.
fn cloud_limits(pn: PhysicalName<'_>, text: &str) -> Option<ProblemOut> {
    let why = pn.kind.check_cloud_limits(text).err()?;
    let max = pn.kind.max_name_len();
    let what = match pn.kind {
        id::ResourceKind::S3 => "an S3 bucket name",
        id::ResourceKind::Dynamodb => "a DynamoDB table name",
        id::ResourceKind::Mysql => "a MySQL database name (RDS DBName)",
    };
    let len = text.len();
    Some(if len > max {
        ProblemOut {
            message: format!("{what} has at most {max} characters; this one has {len}"),
            start: max,
            end: len,
        }
    } else {
        ProblemOut {
            message: why,
            start: 0,
            end: len,
        }
    })
}

fn endpoint_label(e: Endpoint, m: Option<&Manifest>) -> String {
    let what = match e {
        Endpoint::Mid(_) => "MID",
        Endpoint::Rid(_) => "RID",
    };
    let name = m.and_then(|m| match e {
        Endpoint::Mid(id) => m.microservice(id).map(|s| s.name.clone()),
        Endpoint::Rid(id) => m.resource(id).map(|r| r.name.clone()),
    });
    match (name, m) {
        (Some(n), _) => format!("{e} ({what}: {n})"),
        (None, Some(_)) => format!("{e} ({what}, not declared)"),
        (None, None) => format!("{e} ({what})"),
    }
}

/// The declaration and what derives from it; returns whether the id is declared.
fn declaration(x: &mut Explanation, any: AnyId<'_>, m: &Manifest) -> bool {
    match any {
        AnyId::Flow(f) => {
            let Some(flow) = m.flow(f) else { return false };
            x.fact("name", flow.name.clone());
            doc(x, &flow.doc);
            let comps: Vec<String> = flow
                .components
                .iter()
                .map(|&c| {
                    let name = m.component(c).map_or("", |c| c.name.as_str());
                    let b = flow.blocks(c).unwrap_or_default();
                    format!("{c} {name} (blocks {}, {}, {}, {})", b[0], b[1], b[2], b[3])
                })
                .collect();
            x.fact("components", comps.join("\n"));
            let legs: Vec<&str> = m
                .legs
                .iter()
                .filter(|l| l.flow == f)
                .map(|l| l.name.as_str())
                .collect();
            if !legs.is_empty() {
                x.fact("legs", legs.join(", "));
            }
            let envs: Vec<&str> = m.environments.iter().map(|e| e.code.as_str()).collect();
            x.fact(
                "repositories",
                format!(
                    "{f}-<kind>-rep-<env>-{} for kinds {} and environments {}",
                    m.orbit.cloud,
                    RepoKind::ALL.map(|k| k.as_str()).join(", "),
                    envs.join(", ")
                ),
            );
            if let Some(r) = m.repositories(f).into_iter().next().and_then(|r| r.url) {
                x.fact("", format!("e.g. {r}"));
            }
            true
        }
        AnyId::Component(c) => {
            let Some(comp) = m.component(c) else {
                return false;
            };
            x.fact("name", comp.name.clone());
            doc(x, &comp.doc);
            inserted(x, comp.inserted);
            flows_and_blocks(x, m, c);
            let mids: Vec<String> = m
                .microservices_of(c)
                .map(|s| format!("{} {}", s.id, s.name))
                .collect();
            if !mids.is_empty() {
                x.fact("microservices", mids.join("\n"));
            }
            let rids: Vec<String> = m
                .resources_of(c)
                .map(|r| format!("{} {} ({})", r.id, r.name, r.kind))
                .collect();
            if !rids.is_empty() {
                x.fact("resources", rids.join("\n"));
            }
            true
        }
        AnyId::Mid(mid) => {
            let Some(s) = m.microservice(mid) else {
                return false;
            };
            x.fact("name", s.name.clone());
            if !s.roles.is_empty() {
                x.fact("roles", s.roles.join(", "));
            }
            doc(x, &s.doc);
            inserted(x, s.inserted);
            component_facts(x, m, mid.component_id());
            steps(x, m, Endpoint::Mid(mid));
            let events: Vec<&str> = m
                .events
                .iter()
                .filter(|e| e.mid == mid)
                .map(|e| e.name.as_str())
                .collect();
            if !events.is_empty() {
                x.fact("produces events", events.join(", "));
            }
            true
        }
        AnyId::Rid(rid) => resource(x, m, rid),
        AnyId::Pid(pid) => process(x, m, pid),
        AnyId::PhysicalName(_) => {
            let Some((r, env)) = m.resource_by_physical_name(&x.text) else {
                return false;
            };
            x.fact(
                "resource",
                format!(
                    "{} {} in {} ({})",
                    r.id,
                    r.name,
                    env.code,
                    env.name.as_deref().unwrap_or("")
                ),
            );
            doc(x, &r.doc);
            if let Some(f) = r.flow {
                x.fact("flow", flow_label(m, f));
            }
            true
        }
        AnyId::Repository(r) => repository(x, m, r),
    }
}

/// Environments, regions, legs and events, by their names; returns whether `x.text` is one.
fn named(x: &mut Explanation, m: &Manifest) -> bool {
    let text = x.text.clone();
    if let Some(e) = m.environments.iter().find(|e| e.code == text) {
        x.kind = "environment code".into();
        if let Some(n) = &e.name {
            x.fact("name", n.clone());
        }
        doc(x, &e.doc);
        let example = m
            .resources
            .first()
            .and_then(|r| m.physical_name(r, &e.code));
        if let Some(ex) = example {
            x.fact("e.g.", ex);
        }
        return true;
    }
    if let Some(r) = m.regions.iter().find(|r| r.key == text) {
        x.kind = "region".into();
        x.fact("name", r.name.clone());
        x.fact(
            "components",
            format!("{}–{}", r.components.start(), r.components.end()),
        );
        doc(x, &r.doc);
        let comps: Vec<String> = m
            .components
            .iter()
            .filter(|c| r.components.contains(&c.id.0))
            .map(|c| format!("{} {}", c.id, c.name))
            .collect();
        if !comps.is_empty() {
            x.fact("declared", comps.join("\n"));
        }
        if let Ok(next) = orbit_engine::alloc::next_component(m, &r.key) {
            x.fact("next free", next.to_string());
        }
        return true;
    }
    if let Some(l) = m.leg(&text) {
        x.kind = "leg".into();
        x.fact("flow", flow_label(m, l.flow));
        doc(x, &l.doc);
        let parts: Vec<String> = l
            .parts
            .iter()
            .enumerate()
            .map(|(i, p)| match &p.doc {
                Some(d) => format!("{:>2}. {}  {d}", i + 1, p.pid),
                None => format!("{:>2}. {}", i + 1, p.pid),
            })
            .collect();
        x.fact("parts", parts.join("\n"));
        return true;
    }
    if let Some(e) = m.event(&text) {
        x.kind = "event".into();
        doc(x, &e.doc);
        x.fact("produced by", endpoint_label(Endpoint::Mid(e.mid), Some(m)));
        x.fact("logged to", endpoint_label(Endpoint::Rid(e.rid), Some(m)));
        let mut entry = format!(
            "{{\"event\":\"{}\",\"timestamp\":\"2024-10-27T10:00:00Z\"",
            e.name
        );
        for f in &e.fields {
            entry.push_str(&format!(",\"{f}\":\"…\""));
        }
        entry.push('}');
        x.fact("entry", entry);
        return true;
    }
    false
}

/// For an undeclared MID or RID: the id `orbit next` would allocate.
fn next_free(m: &Manifest, any: AnyId<'_>) -> Option<String> {
    use orbit_engine::alloc;
    match any {
        AnyId::Mid(mid) => {
            let next = alloc::next_mid(m, mid.component_id(), mid.kind).ok()?;
            Some(format!(
                "the next free MID of c{} is `{next}` (`orbit next mid --component c{} --type {}`)",
                mid.component,
                mid.component,
                mid.kind.code()
            ))
        }
        AnyId::Rid(rid) => {
            let next = alloc::next_rid(m, rid.component_id()).ok()?;
            Some(format!(
                "the next free RID of c{} is `{next}` (`orbit next rid --component c{}`)",
                rid.component, rid.component
            ))
        }
        _ => None,
    }
}

fn doc(x: &mut Explanation, d: &Option<String>) {
    if let Some(d) = d {
        x.fact("doc", d.clone());
    }
}

fn inserted(x: &mut Explanation, yes: bool) {
    if yes {
        x.fact("inserted", "yes: uses a reserved slot deliberately");
    }
}

fn flow_label(m: &Manifest, f: id::FlowId) -> String {
    match m.flow(f) {
        Some(flow) => format!("{f} {}", flow.name),
        None => f.to_string(),
    }
}

fn flows_and_blocks(x: &mut Explanation, m: &Manifest, c: id::ComponentId) {
    if !x.facts.iter().any(|f| f.label == "region") {
        x.fact("region", region_of(Some(m), c.0));
    }
    let flows: Vec<String> = m
        .flows_of(c)
        .map(|f| {
            let b = f.blocks(c).unwrap_or_default();
            format!(
                "{} ({}): blocks {}, {}, {}, {}",
                f.id, f.name, b[0], b[1], b[2], b[3]
            )
        })
        .collect();
    if !flows.is_empty() {
        x.fact("flows", flows.join("\n"));
    }
}

fn component_facts(x: &mut Explanation, m: &Manifest, c: id::ComponentId) {
    if let Some(comp) = m.component(c) {
        x.fact("component name", comp.name.clone());
    }
    flows_and_blocks(x, m, c);
}

fn steps(x: &mut Explanation, m: &Manifest, e: Endpoint) {
    let lines: Vec<String> = m
        .legs
        .iter()
        .flat_map(|l| l.parts.iter().enumerate().map(move |(i, p)| (l, i, p)))
        .filter(|(_, _, p)| p.pid.start == e || p.pid.end == e)
        .map(|(l, i, p)| format!("{} step {} of {}: {}", l.name, i + 1, l.parts.len(), p.pid))
        .collect();
    if !lines.is_empty() {
        x.fact("steps", lines.join("\n"));
    }
}

fn resource(x: &mut Explanation, m: &Manifest, rid: Rid) -> bool {
    let Some(r) = m.resource(rid) else {
        return false;
    };
    x.fact(
        "resource kind",
        format!("{} ({})", r.kind, r.kind.describe()),
    );
    x.fact("name", r.name.clone());
    doc(x, &r.doc);
    inserted(x, r.inserted);
    component_facts(x, m, rid.component_id());
    if let (Some(f), Some(serial)) = (r.flow, r.serial()) {
        x.fact(
            "serial",
            format!(
                "{serial}: flow number {} then identifier {} ({})",
                f.0,
                rid.number_text(),
                flow_label(m, f)
            ),
        );
    }
    let names: Vec<String> = m
        .physical_names(r)
        .into_iter()
        .map(|(env, n)| format!("{}  {n}", env.code))
        .collect();
    x.fact("physical names", names.join("\n"));
    steps(x, m, Endpoint::Rid(rid));
    let events: Vec<&str> = m
        .events
        .iter()
        .filter(|e| e.rid == rid)
        .map(|e| e.name.as_str())
        .collect();
    if !events.is_empty() {
        x.fact("logs events", events.join(", "));
    }
    true
}

fn process(x: &mut Explanation, m: &Manifest, pid: Pid) -> bool {
    let Some((leg, part, step)) = m.process(pid) else {
        return false;
    };
    x.fact(
        "leg",
        format!(
            "{} ({}), step {step} of {}",
            leg.name,
            flow_label(m, leg.flow),
            leg.parts.len()
        ),
    );
    doc(x, &part.doc);
    if !part.actions.is_empty() {
        x.fact("actions", part.actions.join(", "));
    }
    inserted(x, part.inserted);
    true
}

fn repository(x: &mut Explanation, m: &Manifest, r: RepositoryName<'_>) -> bool {
    if m.flow(r.flow).is_none() {
        return false;
    }
    let Some(repo) = m
        .repositories(r.flow)
        .into_iter()
        .find(|x2| x2.kind == r.kind && x2.env == r.env && x2.name == x.text)
    else {
        return false;
    };
    x.fact("flow name", flow_label(m, r.flow));
    if let Some(env) = m.environments.iter().find(|e| e.code == r.env) {
        if let Some(n) = &env.name {
            x.fact("environment name", n.clone());
        }
    }
    if let Some(u) = repo.url {
        x.fact("url", u);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_splits() {
        let mut x = Explanation::default();
        physical_structure(
            &mut x,
            PhysicalName::parse("app-image-1206-bkt-k8d-aws").unwrap(),
            None,
        );
        let serial = &x.facts.iter().find(|f| f.label == "serial").unwrap().value;
        assert_eq!(
            serial,
            "1206 (flow-12 and identifier 06, or flow-1 and identifier 206)"
        );
    }

    #[test]
    fn mid_structure_without_manifest() {
        let mut x = Explanation::default();
        structure(
            &mut x,
            AnyId::Mid("c8fms04".parse::<id::Mid>().unwrap()),
            None,
        );
        assert!(x.facts[2].value.contains("reserved slot"), "{:?}", x.facts);
    }
}
