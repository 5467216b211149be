//! `orbit`: the k8or Orbit conventions on the command line.
//!
//! One engine ([`orbit_engine`]) holds every rule; this binary wires its verbs to files,
//! formats and exit codes: 0 fine, 1 findings (the manifest breaks rules, an id is unknown,
//! nothing is free, lint found something), 2 usage error or unreadable file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[macro_use]
mod common;
mod audit;
mod check;
mod diff;
mod explain;
mod graph;
mod lint;
mod lsp;
mod names;
mod next;
mod report;
mod rules;
mod schema;
mod txn;

/// Check, explain, allocate and export k8or Orbit names from `orbit.toml`.
///
/// Exit codes: 0 fine, 1 findings (rule violations, unknown ids, nothing free, lint findings),
/// 2 usage error or unreadable file (for `audit` also: an unreachable endpoint, missing
/// credentials or a refused login).
#[derive(Debug, Parser)]
#[command(name = "orbit", version, max_term_width = 100)]
struct Cli {
    /// The manifest to read [default: orbit.toml in the current directory or the nearest one above]
    #[arg(long, global = true, value_name = "PATH")]
    manifest: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a manifest against every rule (rule codes ORB001…ORB701)
    Check {
        /// The manifest [default: orbit.toml found from the current directory upward]
        path: Option<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = report::ReportFormat::Human)]
        format: report::ReportFormat,
    },
    /// Decode a flow id, component id, MID, RID, PID, physical name or repository name
    Explain {
        /// The text to decode, e.g. c8bms18, c8fms03-c20bre06-e15, app-image-1206-bkt-k8d-aws
        text: String,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// List every physical name (and repository name) per environment
    Names(names::NamesArgs),
    /// Allocate the next free canonical id (and with --write, declare it)
    Next(next::NextArgs),
    /// Draw flows, components, microservices and resources, or a leg's steps
    Graph(graph::GraphArgs),
    /// Print the JSON Schema of manifest format v1 (for taplo / Even Better TOML)
    Schema {
        /// Output format (the schema is JSON)
        #[arg(long, value_enum, default_value_t = SchemaFormat::Json)]
        format: SchemaFormat,
    },
    /// Find ids in files that the manifest does not declare or that break the conventions
    Lint(lint::LintArgs),
    /// Compare two versions of the manifest: changes that rename or orphan what exists
    /// (rule codes ORB801…ORB890)
    Diff(diff::DiffArgs),
    /// Run the language server over stdio: diagnostics, hover, completion, definitions,
    /// references and fixes in orbit.toml; lint findings and hover in other files
    Lsp {
        /// Talk over stdin and stdout (the only transport; accepted for editors that pass it)
        #[arg(long)]
        stdio: bool,
    },
    /// Compare the manifest's physical names for one environment with the DynamoDB tables, S3
    /// buckets and MySQL databases that exist (rule codes ORB901…ORB904)
    Audit(audit::AuditArgs),
}

/// Human or JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people (rustc-style diagnostics)
    Human,
    /// One JSON object on stdout, for scripts and CI
    Json,
}

/// The schema's only format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFormat {
    /// JSON Schema (draft-07)
    Json,
}

/// Shared by `next` verbs: how to report.
#[derive(Debug, Clone, Args)]
pub struct FormatArg {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    pub format: Format,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let manifest = cli.manifest.as_deref();
    let outcome = match &cli.command {
        Command::Check { path, format } => check::run(path.as_deref(), manifest, *format),
        Command::Explain { text, format } => explain::run(text, manifest, *format),
        Command::Names(a) => names::run(a, manifest),
        Command::Next(a) => next::run(a, manifest),
        Command::Graph(a) => graph::run(a, manifest),
        Command::Schema { format: _ } => schema::run(),
        Command::Lint(a) => lint::run(a, manifest),
        Command::Diff(a) => diff::run(a, manifest),
        Command::Lsp { stdio: _ } => lsp::run(manifest),
        Command::Audit(a) => audit::run(a, manifest),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(fail) => {
            if let Some(m) = &fail.message {
                errln!("error: {m}");
                if let Some(h) = &fail.help {
                    errln!("help: {h}");
                }
            }
            ExitCode::from(fail.code)
        }
    }
}
