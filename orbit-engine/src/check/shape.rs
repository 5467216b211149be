//! The manifest's shape: valid TOML (ORB001), known keys (ORB002), required keys and value
//! types (ORB003), and every id, table or generated name declared once (ORB005).

use super::*;
use crate::rules::{Excerpt, Origin, Rule};
/// ORB001: not valid TOML.
pub(crate) const ORB001: Rule = Rule {
    code: Code::Orb001,
    home: module_path!(),
    checks: "Reports every place where the manifest is not valid TOML: a string, array, inline \
             table or header left open, a malformed key or value, a dotted key that \
             extends a value that is not a table (or extends an inline table), a dotted key of \
             more than 80 parts. A key or table declared twice is not ORB001 but ORB005. While \
             the file does not parse, no other rule is checked: fix the TOML at the position \
             shown first.",
    origin: Origin::Reason(
        "The manifest is TOML: until it parses, none of its entries can be read, so no \
         convention can be checked and no `ids` can be generated.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"
"#,
    ),
};

/// ORB002: unknown key (with the nearest known key as a suggestion).
pub(crate) const ORB002: Rule = Rule {
    code: Code::Orb002,
    home: module_path!(),
    checks: "Reports a key that its table does not have: at the top level anything but \
             `orbit`, `environment`, `region`, `flow`, `component`, `microservice`, \
             `resource`, `leg`, `event` and `waiver`, and in each of those tables (and in a \
             leg's parts) any key but those the README's \"Manifest format\" lists for it. The \
             help names the nearest known key, when one is close, and lists the table's keys. \
             Correct the spelling, or remove the key.",
    origin: Origin::Reason(
        "A misspelt key would otherwise be ignored without a word: `rols` would leave a \
         microservice without roles, `insertd = true` would leave a reserved slot unmarked.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"
rols = ["upload"]
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"
roles = ["upload"]
"#,
    ),
};

/// ORB003: missing required key, or a value of the wrong type.
pub(crate) const ORB003: Rule = Rule {
    code: Code::Orb003,
    home: module_path!(),
    checks: "Reports a required key that is missing: the `[orbit]` table and its `name` and \
             `cloud`, at least one `[region.*]` and each region's `name` and `components`, a \
             flow's `name` and `components`, a component's or microservice's `name`, a \
             resource's `kind` and `name`, a leg's `flow` and `parts`, a part's `pid`, an \
             event's `mid` and `rid`, a waiver's `code`, `id` and `reason`. It also reports a \
             value of the wrong type (a number where a string belongs, an `inserted` that is \
             not `true` or `false`, a list that is not an array of strings, an entry that is \
             not a table, a region's `components` that is not a pair `[first, last]`, `parts` \
             that is not an array) and a leg name that is not kebab-case (`transfer-image`). \
             Add the key, or write the value as the README's \"Manifest format\" shows.",
    origin: Origin::Reason(
        "Names and code derive from these keys (a resource's `kind` and `name` give its \
         physical names, a flow's `components` their blocks): without them, or with a value \
         of another type, there is nothing to derive from.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
doc = "Handles user interface interactions for image uploads."
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Portal Upload Board"
doc = "Handles user interface interactions for image uploads."
"#,
    ),
};

/// ORB005: the same id declared twice.
pub(crate) const ORB005: Rule = Rule {
    code: Code::Orb005,
    home: module_path!(),
    checks: "Reports an id declared twice, at the second declaration: a table such as \
             `[microservice.c8fms03]` or `[environment.k8d]` declared again, or a key given \
             twice in one table. It also reports two entries that would generate one name in \
             the generated `ids`: a leg or event whose constant is a declared id's or another \
             leg's or event's (a leg and an event both named `transfer-image`), and two \
             environments, regions, legs or events with the same enum variant (environments \
             `8k` and `n8k`), or one whose variant would be `ALL`. Remove or renumber one \
             declaration, or rename one of the clashing entries.",
    origin: Origin::Conventions(
        "A \"Microservice Identification\" string is a unique identifier assigned to each \
         microservice (e.g., `c8fms03`). … A \"Resource Identification\" string is a unique \
         identifier assigned to each resource (e.g., `c20bre03`).",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Portal Upload Board"

[microservice.c8fms03]
name = "Portal Upload Logic"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Portal Upload Board"

[microservice.c8bms06]
name = "Portal Upload Logic"
"#,
    ),
};

/// The keys each table may hold; everything else is ORB002.
pub mod keys {
    /// Top-level tables.
    pub const ROOT: &[&str] = &[
        "orbit",
        "environment",
        "region",
        "flow",
        "component",
        "microservice",
        "resource",
        "leg",
        "event",
        "waiver",
    ];
    /// `[orbit]`.
    pub const ORBIT: &[&str] = &[
        "name",
        "cloud",
        "repository_owner",
        "repository_branch",
        "retired",
        "doc",
    ];
    /// `[environment.*]`.
    pub const ENVIRONMENT: &[&str] = &["name", "doc"];
    /// `[region.*]`.
    pub const REGION: &[&str] = &["name", "components", "doc"];
    /// `[flow.*]`.
    pub const FLOW: &[&str] = &["name", "doc", "components", "inserted"];
    /// `[component.*]`.
    pub const COMPONENT: &[&str] = &["name", "doc", "inserted"];
    /// `[microservice.*]`.
    pub const MICROSERVICE: &[&str] = &["name", "roles", "doc", "inserted"];
    /// `[resource.*]`.
    pub const RESOURCE: &[&str] = &["kind", "name", "doc", "flow", "inserted"];
    /// `[leg.*]`.
    pub const LEG: &[&str] = &["flow", "doc", "parts"];
    /// A part of a leg.
    pub const PART: &[&str] = &["pid", "doc", "actions", "inserted"];
    /// `[event.*]`.
    pub const EVENT: &[&str] = &["doc", "mid", "rid", "fields"];
    /// `[[waiver]]`.
    pub const WAIVER: &[&str] = &["code", "id", "reason"];
}

/// The start offset and text of the line holding `offset`.
pub(super) fn line_at(source: &str, offset: usize) -> (usize, &str) {
    let offset = offset.min(source.len());
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    (start, &source[start..end])
}

/// The start offset of the nearest `[table]` header line at or before `line_start`.
pub(super) fn enclosing_header(source: &str, line_start: usize) -> Option<usize> {
    let mut at = line_start;
    loop {
        let (start, line) = line_at(source, at);
        if line.trim_start().starts_with('[') {
            return Some(start);
        }
        if start == 0 {
            return None;
        }
        at = start - 1;
    }
}

impl Cx<'_> {
    /// ORB001 for every TOML syntax error, ORB005 for every key or table TOML reads twice.
    /// Returns whether the TOML is too broken to check its rules.
    pub(super) fn toml_errors(&mut self, errors: Vec<tree::TomlError>) -> bool {
        let source = self.source;
        let mut fatal = false;
        // A table declared twice re-opens it: TOML then also calls each of its keys a duplicate.
        // Report the table once, with where it was first declared, and not its keys.
        let mut dup_headers: HashSet<usize> = HashSet::default();
        for e in errors {
            let span = e.span.unwrap_or(0..0);
            let msg = e.message;
            if msg.starts_with("duplicate key") {
                let (line_start, line) = line_at(source, span.start);
                let header = line.trim_start().starts_with('[');
                if !header
                    && enclosing_header(source, line_start)
                        .is_some_and(|h| dup_headers.contains(&h))
                {
                    continue;
                }
                let key = source.get(span.clone()).unwrap_or("").trim();
                let mut d =
                    Diagnostic::new(Code::Orb005, span, format!("`{key}` is declared twice"))
                        .with_label("declared again here")
                        .with_help("keep one declaration and remove or renumber the other");
                if header {
                    dup_headers.insert(line_start);
                }
                // The reader names the first declaration's key: show its whole line for a table,
                // the key itself for a key.
                if let Some(first) = e.context {
                    let first = if header {
                        let (start, line) = line_at(source, first.start);
                        start..start + line.len()
                    } else {
                        first
                    };
                    d = d.with_related(first, "first declared here");
                }
                self.push(d);
            } else {
                fatal = true;
                self.push(
                    Diagnostic::new(Code::Orb001, span, format!("not valid TOML: {msg}"))
                        .with_help(
                            "fix the TOML here; the naming rules are checked once the file parses",
                        ),
                );
            }
        }
        fatal
    }
}

impl Cx<'_> {
    /// Reports unknown keys (ORB002) of a table.
    pub(super) fn known_keys(&mut self, e: &Entries<'_, '_>, allowed: &[&str], what: &str) {
        for (k, span, _) in e.iter() {
            // A plain loop: the proc macro runs this unoptimised, where `contains` costs
            // several calls per key.
            let mut known = false;
            let mut i = 0;
            while !known && i < allowed.len() {
                known = allowed[i] == k;
                i += 1;
            }
            if !known {
                let near = suggest::nearest_key(k, allowed);
                let help = match near {
                    Some(n) => format!(
                        "did you mean `{n}`? the keys of {what} are: {}",
                        allowed.join(", ")
                    ),
                    None => format!("the keys of {what} are: {}", allowed.join(", ")),
                };
                self.push(
                    Diagnostic::new(
                        Code::Orb002,
                        span.clone(),
                        format!("unknown key `{k}` in {what}"),
                    )
                    .with_help(help),
                );
            }
        }
    }

    pub(super) fn missing(
        &mut self,
        span: Range<usize>,
        key: &str,
        what: impl fmt::Display,
        example: &str,
    ) {
        self.push(
            Diagnostic::new(
                Code::Orb003,
                span,
                format!("{what} lacks the required key `{key}`"),
            )
            .with_help(format!("add `{key} = {example}`")),
        );
    }

    pub(super) fn wrong_type(&mut self, v: Value<'_, '_>, key: &str, want: &str) {
        self.push(Diagnostic::new(
            Code::Orb003,
            v.span(),
            format!("`{key}` must be {want}, not {}", type_name(&v.get())),
        ));
    }

    /// A table value, or ORB003.
    /// `what` is formatted only when reporting, so callers pass `format_args!`.
    pub(super) fn table<'a, 'i>(
        &mut self,
        v: Value<'a, 'i>,
        what: impl fmt::Display,
    ) -> Option<Entries<'a, 'i>> {
        match v.get() {
            Ref::Table(t) => Some(entries(t, v.span())),
            other => {
                self.push(Diagnostic::new(
                    Code::Orb003,
                    v.span(),
                    format!("{what} must be a table, not {}", type_name(&other)),
                ));
                None
            }
        }
    }

    pub(super) fn opt_str(
        &mut self,
        e: &Entries<'_, '_>,
        key: &str,
    ) -> Option<(String, Range<usize>)> {
        let (_, _, v) = e.get(key)?;
        match v.get() {
            Ref::String(s) => Some((s.to_string(), v.span())),
            _ => {
                self.wrong_type(v, key, "a string");
                None
            }
        }
    }

    pub(super) fn req_str(
        &mut self,
        e: &Entries<'_, '_>,
        key: &str,
        what: impl fmt::Display,
        example: &str,
    ) -> Option<(String, Range<usize>)> {
        if e.get(key).is_none() {
            self.missing(e.span.clone(), key, what, example);
            return None;
        }
        self.opt_str(e, key)
    }

    pub(super) fn opt_bool(&mut self, e: &Entries<'_, '_>, key: &str) -> bool {
        let Some((_, _, v)) = e.get(key) else {
            return false;
        };
        match v.get() {
            Ref::Boolean(b) => b,
            _ => {
                self.wrong_type(v, key, "`true` or `false`");
                false
            }
        }
    }

    /// An array of strings with the span of each.
    pub(super) fn str_array(
        &mut self,
        e: &Entries<'_, '_>,
        key: &str,
    ) -> Option<Vec<(String, Range<usize>)>> {
        self.str_array_map(e, key, |s, span| (s.to_string(), span))
    }

    /// An array of strings, without their spans; empty when absent or not an array.
    pub(super) fn strings(&mut self, e: &Entries<'_, '_>, key: &str) -> Vec<String> {
        self.str_array_map(e, key, |s, _| s.to_string())
            .unwrap_or_default()
    }

    pub(super) fn str_array_map<T>(
        &mut self,
        e: &Entries<'_, '_>,
        key: &str,
        f: impl Fn(&str, Range<usize>) -> T,
    ) -> Option<Vec<T>> {
        let (_, _, v) = e.get(key)?;
        let Ref::Array(items) = v.get() else {
            self.wrong_type(v, key, "an array of strings");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get() {
                Ref::String(s) => out.push(f(s, item.span())),
                _ => self.wrong_type(item, key, "an array of strings"),
            }
        }
        Some(out)
    }

    /// ORB005 for the entries whose generated names would clash: legs' and events' constants
    /// with each other's and with ids' ([`Cx::constant_clashes`]), environments', regions',
    /// legs' and events' enum variants ([`Manifest::variant_clashes`]). The later entry of a
    /// clash is left out of the model, so the generator, which only reads checked models, never
    /// meets one.
    pub(super) fn generated_name_clashes(&mut self) {
        let before = self.diags.len();
        self.constant_clashes();
        let clashes = self.manifest.variant_clashes();
        self.diags.extend(clashes);
        if self.diags.len() == before {
            return;
        }
        let drop: HashSet<usize> = self.diags[before..].iter().map(|d| d.span.start).collect();
        let m = &mut self.manifest;
        m.regions.retain(|r| !drop.contains(&r.span.start));
        m.legs.retain(|l| !drop.contains(&l.span.start));
        m.events.retain(|e| !drop.contains(&e.span.start));
        m.environments.retain(|e| !drop.contains(&e.span.start));
    }

    /// Legs and events become constants of one namespace: two that would share a name clash.
    pub(super) fn constant_clashes(&mut self) {
        let mut seen: HashMap<String, (String, Range<usize>)> = HashMap::default();
        let legs = self.manifest.legs.iter().map(|l| ("leg", &l.name, &l.span));
        let events = self
            .manifest
            .events
            .iter()
            .map(|e| ("event", &e.name, &e.span));
        let mut clashes = Vec::new();
        for (what, name, span) in legs.chain(events) {
            let constant = crate::names::constant(name);
            // The ids' own constants (`C8`, `FLOW_4`, `C8FMS03`, `C8FMS03_C20BRE06_E15`) share
            // the namespace: a leg named `c8` would clash with component `c8`. An id's text
            // has no `_` and no capitals, so the only id whose constant this can be is the
            // name lowercased with `_` read as `-`; ids are not formatted one by one.
            let first = self
                .id_with_text(&name.to_ascii_lowercase().replace('_', "-"))
                .or_else(|| seen.get(&constant).cloned());
            match first {
                Some((first, fspan)) => clashes.push(
                    Diagnostic::new(
                        Code::Orb005,
                        span.clone(),
                        format!(
                            "{what} `{name}` and {first} generate the same constant `{constant}`"
                        ),
                    )
                    .with_related(fspan, format!("{first} declared here"))
                    .with_help("rename one of them"),
                ),
                None => {
                    seen.insert(constant, (format!("{what} `{name}`"), span.clone()));
                }
            }
        }
        self.diags.extend(clashes);
    }

    pub(super) fn id_with_text(&self, text: &str) -> Option<(String, Range<usize>)> {
        self.manifest.id_with_text(text)
    }
}

impl Manifest {
    /// The declared flow, component, MID, RID or PID whose canonical text is `text`, as
    /// "`kind `id``" with its declaration's span.
    pub(crate) fn id_with_text(&self, text: &str) -> Option<(String, Range<usize>)> {
        let m = self;
        let found = if let Some(id) = canonical::<FlowId>(text) {
            m.flows
                .iter()
                .find(|f| f.id == id)
                .map(|f| ("flow", &f.span))
        } else if let Some(id) = canonical::<ComponentId>(text) {
            let c = m.components.iter().find(|c| c.id == id);
            c.map(|c| ("component", &c.span))
        } else if let Some(id) = canonical::<Mid>(text) {
            let x = m.microservices.iter().find(|x| x.id == id);
            x.map(|x| ("microservice", &x.span))
        } else if let Some(id) = canonical::<Rid>(text) {
            let x = m.resources.iter().find(|x| x.id == id);
            x.map(|x| ("resource", &x.span))
        } else if let Some(id) = canonical::<Pid>(text) {
            let p = m.processes().find(|(_, p)| p.pid == id);
            p.map(|(_, p)| ("process", &p.span))
        } else {
            None
        };
        found.map(|(what, span)| (format!("{what} `{text}`"), span.clone()))
    }
}

impl Manifest {
    /// Environments, regions, legs and events become variants of one enum per kind
    /// (`Environment::K8d`, `Region::NVirginia`): an entry whose variant an entry of its kind
    /// declared before it already has, or whose variant would be the enum's list `ALL`, is an
    /// ORB005. Well-formed region, leg and event names (kebab-case) never share a variant;
    /// environment codes do when one starts with a digit (`8k` and `n8k` both give `N8k`).
    /// The generator leaves these entries out, so a new entry never takes a variant's name.
    pub(crate) fn variant_clashes(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        /// What the entries are, their enum, and each entry's name and declaration.
        type Family<'m> = (&'static str, &'static str, Vec<(&'m str, &'m Range<usize>)>);
        let families: [Family<'_>; 4] = [
            (
                "environment",
                "Environment",
                self.environments
                    .iter()
                    .map(|e| (e.code.as_str(), &e.span))
                    .collect(),
            ),
            (
                "region",
                "Region",
                self.regions
                    .iter()
                    .map(|r| (r.key.as_str(), &r.span))
                    .collect(),
            ),
            (
                "leg",
                "Leg",
                self.legs
                    .iter()
                    .map(|l| (l.name.as_str(), &l.span))
                    .collect(),
            ),
            (
                "event",
                "Event",
                self.events
                    .iter()
                    .map(|e| (e.name.as_str(), &e.span))
                    .collect(),
            ),
        ];
        for (what, ty, mut items) in families {
            items.sort_by_key(|(_, span)| span.start);
            let mut seen: HashMap<String, (&str, &Range<usize>)> = HashMap::default();
            for (name, span) in items {
                let v = crate::names::variant(name);
                if v == "ALL" {
                    out.push(
                        Diagnostic::new(
                            Code::Orb005,
                            span.clone(),
                            format!("{what} `{name}` would generate the variant `{ty}::ALL`, the name of the list of every {what}"),
                        )
                        .with_help(format!("rename the {what}")),
                    );
                    continue;
                }
                match seen.get(&v) {
                    Some((first, fspan)) => out.push(
                        Diagnostic::new(
                            Code::Orb005,
                            span.clone(),
                            format!("{what} `{name}` and {what} `{first}` generate the same variant `{ty}::{v}`"),
                        )
                        .with_related((*fspan).clone(), format!("{what} `{first}` declared here"))
                        .with_help(format!("rename one of them; `{ty}::{v}` keeps meaning `{first}`")),
                    ),
                    None => {
                        seen.insert(v, (name, span));
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::PRELUDE;

    /// The checker, not the generator, leaves out the later entry of a clash of generated
    /// names: a leg named like a component, an event named like that leg.
    #[test]
    fn clashing_entries_are_left_out_of_the_model() {
        let text = format!(
            "{PRELUDE}\n[microservice.c8fms03]\nname = \"Upload\"\n\
             [leg.c8]\nflow = \"flow-4\"\nparts = [{{ pid = \"c8fms03-c8fms03-e05\" }}]\n\
             [leg.sync]\nflow = \"flow-4\"\nparts = [{{ pid = \"c8fms03-c8fms03-e10\" }}]\n"
        );
        let checked = crate::check(&text);
        let codes: Vec<_> = checked
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(codes, ["ORB005"], "{:?}", checked.diagnostics);
        let legs: Vec<_> = checked
            .manifest
            .legs
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(legs, ["sync"]);
    }
}
