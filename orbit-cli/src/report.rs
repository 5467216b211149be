//! The CI formats shared by `check`, `lint` and `diff`: GitHub Actions workflow commands and
//! SARIF 2.1.0, rendered from one list of findings (the README's "Output for CI").

use std::collections::BTreeMap;
use std::path::Path;

use clap::ValueEnum;
use orbit_engine::Severity;
use serde_sarif::sarif;

/// The output formats of the verbs that report findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Text for people (rustc-style diagnostics)
    Human,
    /// One JSON object on stdout, for scripts
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request)
    Github,
    /// One SARIF 2.1.0 log (GitHub code scanning and other SARIF viewers)
    Sarif,
}

impl From<crate::Format> for ReportFormat {
    fn from(f: crate::Format) -> Self {
        match f {
            crate::Format::Human => ReportFormat::Human,
            crate::Format::Json => ReportFormat::Json,
        }
    }
}

/// One finding, as the CI formats need it.
#[derive(Debug, Clone)]
pub struct Item {
    /// The rule: `ORB303`, or `lint/undeclared` for `orbit lint`.
    pub rule: String,
    /// What the rule is about, in a few words (SARIF's `shortDescription`).
    pub title: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
    /// The file, as shown to the user (relative to the current directory where possible).
    pub path: Option<String>,
    /// 1-based line and column, when the finding has a position.
    pub position: Option<(usize, usize)>,
}

impl Item {
    /// The message and its help, as one text.
    fn text(&self) -> String {
        match &self.help {
            Some(h) => format!("{}\nhelp: {h}", self.message),
            None => self.message.clone(),
        }
    }
}

/// Percent-encodes a workflow command's message as GitHub specifies (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a workflow command's property value: as [`escape_data`], and `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error …::message` (or `::warning`) line per finding, then `summary`.
pub fn github(items: &[Item], summary: &str) -> String {
    let mut out = String::new();
    for i in items {
        out.push_str(match i.severity {
            Severity::Error => "::error ",
            Severity::Warning => "::warning ",
        });
        let mut props = Vec::new();
        if let Some(p) = &i.path {
            props.push(format!("file={}", escape_property(p)));
        }
        if let Some((line, col)) = i.position {
            props.push(format!("line={line}"));
            props.push(format!("col={col}"));
        }
        props.push(format!("title={}", escape_property(&i.rule)));
        out.push_str(&props.join(","));
        out.push_str("::");
        out.push_str(&escape_data(&i.text()));
        out.push('\n');
    }
    out.push_str(summary);
    out.push('\n');
    out
}

/// A path as a SARIF `artifactLocation.uri`: relative to the current directory when it is
/// below it, with `/` separators and the characters URIs reserve percent-encoded.
pub fn uri(path: &str) -> String {
    let p = Path::new(path);
    let rel = if p.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| p.strip_prefix(cwd).ok().map(Path::to_path_buf))
    } else {
        None
    };
    let shown = match &rel {
        Some(r) => r.to_string_lossy().into_owned(),
        None => path.to_string(),
    };
    let mut out = String::new();
    if rel.is_none() && p.is_absolute() {
        out.push_str("file://");
    }
    for b in shown.bytes() {
        match b {
            b'\\' if cfg!(windows) => out.push('/'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One SARIF 2.1.0 log with one run of the `orbit` tool.
pub fn sarif(items: &[Item]) -> Result<String, serde_json::Error> {
    let mut rules: BTreeMap<&str, &str> = BTreeMap::new();
    for i in items {
        rules.entry(&i.rule).or_insert(&i.title);
    }
    let descriptors: Vec<sarif::ReportingDescriptor> = rules
        .iter()
        .map(|(id, title)| {
            let short = sarif::MultiformatMessageString::builder()
                .text(*title)
                .build();
            // An Orbit rule code also carries its documentation: what it checks, and where
            // `docs/rules.md` explains it.
            let doc = id
                .parse::<orbit_engine::Code>()
                .ok()
                .and_then(crate::rules::find);
            match doc {
                Some(rule) => sarif::ReportingDescriptor::builder()
                    .id(*id)
                    .short_description(short)
                    .full_description(
                        sarif::MultiformatMessageString::builder()
                            .text(rule.checks)
                            .build(),
                    )
                    .help_uri(crate::rules::url(rule.code))
                    .build(),
                None => sarif::ReportingDescriptor::builder()
                    .id(*id)
                    .short_description(short)
                    .build(),
            }
        })
        .collect();
    let results: Vec<sarif::Result> = items
        .iter()
        .map(|i| {
            let level = match i.severity {
                Severity::Error => sarif::ResultLevel::Error,
                Severity::Warning => sarif::ResultLevel::Warning,
            };
            let message = sarif::Message::builder().text(i.text()).build();
            let index = rules.keys().position(|r| *r == i.rule).unwrap_or(0) as i64;
            let locations = i.path.as_ref().map(|p| {
                let artifact = sarif::ArtifactLocation::builder().uri(uri(p)).build();
                let physical = match i.position {
                    Some((line, col)) => sarif::PhysicalLocation::builder()
                        .artifact_location(artifact)
                        .region(
                            sarif::Region::builder()
                                .start_line(line as i64)
                                .start_column(col as i64)
                                .build(),
                        )
                        .build(),
                    None => sarif::PhysicalLocation::builder()
                        .artifact_location(artifact)
                        .build(),
                };
                vec![sarif::Location::builder()
                    .physical_location(physical)
                    .build()]
            });
            match locations {
                Some(l) => sarif::Result::builder()
                    .rule_id(i.rule.clone())
                    .rule_index(index)
                    .level(level)
                    .message(message)
                    .locations(l)
                    .build(),
                None => sarif::Result::builder()
                    .rule_id(i.rule.clone())
                    .rule_index(index)
                    .level(level)
                    .message(message)
                    .build(),
            }
        })
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("orbit")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/k8or-orbit-aws/orbit")
        .rules(descriptors)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .build();
    let log = sarif::Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(serde_json::Value::String("2.1.0".into()))
        .runs(vec![run])
        .build();
    serde_json::to_string_pretty(&log)
}

/// The items of a checked manifest's diagnostics.
pub fn diagnostics(diags: &[orbit_engine::Diagnostic], path: &str) -> Vec<Item> {
    diags
        .iter()
        .map(|d| Item {
            rule: d.code.as_str().to_string(),
            title: d.code.title().to_string(),
            severity: d.code.severity(),
            message: d.message.clone(),
            help: d.help.clone(),
            path: Some(path.to_string()),
            position: (d.line > 0).then_some((d.line, d.column)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_as_github_specifies() {
        assert_eq!(escape_data("100% a\r\nb"), "100%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        let items = [Item {
            rule: "ORB303".into(),
            title: "t".into(),
            severity: Severity::Warning,
            message: "m: 1, 2".into(),
            help: Some("h".into()),
            path: Some("dir,x/orbit.toml".into()),
            position: Some((3, 4)),
        }];
        assert_eq!(
            github(&items, "done"),
            "::warning file=dir%2Cx/orbit.toml,line=3,col=4,title=ORB303::m: 1, 2%0Ahelp: h\ndone\n"
        );
    }

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("orbit.toml"), "orbit.toml");
        assert_eq!(uri("a b/orbit.toml"), "a%20b/orbit.toml");
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(uri(&cwd.join("x.toml").to_string_lossy()), "x.toml");
    }
}
