//! `orbit names`: every physical name and flow repository name per environment.

use std::collections::BTreeMap;
use std::path::Path;

use clap::{Args, ValueEnum};
use orbit_engine::suggest;
use serde::Serialize;

use crate::common::{self, Fail, Outcome};

/// Arguments of `orbit names`.
#[derive(Debug, Args)]
pub struct NamesArgs {
    /// Only this environment (e.g. k8d)
    #[arg(long, value_name = "ENV")]
    env: Option<String>,
    /// Only this kind of name
    #[arg(long, value_enum)]
    kind: Option<NameKind>,
    /// Output format; tfvars-json writes a Terraform variables file (`*.auto.tfvars.json`)
    #[arg(long, value_enum, default_value_t = NamesFormat::Table)]
    format: NamesFormat,
}

/// What kind of name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NameKind {
    /// DynamoDB tables
    Dynamodb,
    /// S3 buckets
    S3,
    /// MySQL databases
    Mysql,
    /// Flow repositories
    Repository,
}

/// Output formats of `orbit names`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NamesFormat {
    /// An aligned table
    Table,
    /// {"names": [{env, kind, id, name, url}]}
    Json,
    /// env,kind,id,name,url with a header line
    Csv,
    /// Terraform: {"orbit_names": {ENV: {ID: NAME}}}, ids are RIDs and `flow-N-<kind>`
    TfvarsJson,
}

#[derive(Debug, Serialize)]
struct Row {
    env: String,
    kind: &'static str,
    id: String,
    name: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct Names<'a> {
    manifest: &'a str,
    names: &'a [Row],
}

/// Runs `orbit names`.
pub fn run(a: &NamesArgs, manifest: Option<&Path>) -> Outcome {
    let l = common::load(manifest)?;
    let m = &l.manifest;
    if let Some(env) = &a.env {
        if !m.environments.iter().any(|e| &e.code == env) {
            let near = suggest::nearest(env, m.environments.iter().map(|e| e.code.as_str()), 4);
            return Err(Fail::finding(
                format!("environment `{env}` is not declared in {}", l.at.shown),
                Some(format!("declared environments: {}", common::ticked(&near))),
            ));
        }
    }
    let mut rows = Vec::new();
    for env in &m.environments {
        if a.env.as_ref().is_some_and(|e| e != &env.code) {
            continue;
        }
        for r in &m.resources {
            let kind = match r.kind {
                orbit_engine::id::ResourceKind::Dynamodb => NameKind::Dynamodb,
                orbit_engine::id::ResourceKind::S3 => NameKind::S3,
                orbit_engine::id::ResourceKind::Mysql => NameKind::Mysql,
            };
            if a.kind.is_some_and(|k| k != kind) {
                continue;
            }
            if let Some(name) = m.physical_name(r, &env.code) {
                rows.push(Row {
                    env: env.code.clone(),
                    kind: r.kind.as_str(),
                    id: r.id.to_string(),
                    name,
                    url: None,
                });
            }
        }
        if a.kind.is_none_or(|k| k == NameKind::Repository) {
            for f in &m.flows {
                for repo in m
                    .repositories(f.id)
                    .into_iter()
                    .filter(|r| r.env == env.code)
                {
                    rows.push(Row {
                        env: env.code.clone(),
                        kind: "repository",
                        id: format!("{}-{}", repo.flow, repo.kind),
                        name: repo.name,
                        url: repo.url,
                    });
                }
            }
        }
    }
    match a.format {
        NamesFormat::Table => out!("{}", table(&rows)),
        NamesFormat::Json => common::print_json(&Names {
            manifest: &l.at.shown,
            names: &rows,
        })?,
        NamesFormat::Csv => {
            outln!("env,kind,id,name,url");
            for r in &rows {
                outln!(
                    "{},{},{},{},{}",
                    csv(&r.env),
                    r.kind,
                    csv(&r.id),
                    csv(&r.name),
                    csv(r.url.as_deref().unwrap_or(""))
                );
            }
        }
        NamesFormat::TfvarsJson => {
            let mut by_env: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
            for r in &rows {
                by_env.entry(&r.env).or_default().insert(&r.id, &r.name);
            }
            let mut root = BTreeMap::new();
            root.insert("orbit_names", by_env);
            common::print_json(&root)?;
        }
    }
    Ok(())
}

fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn table(rows: &[Row]) -> String {
    let head = ["ENV", "KIND", "ID", "NAME"];
    let mut w = head.map(str::len);
    for r in rows {
        w[0] = w[0].max(r.env.len());
        w[1] = w[1].max(r.kind.len());
        w[2] = w[2].max(r.id.len());
    }
    let mut out = format!(
        "{:w0$}  {:w1$}  {:w2$}  {}\n",
        head[0],
        head[1],
        head[2],
        head[3],
        w0 = w[0],
        w1 = w[1],
        w2 = w[2]
    );
    for r in rows {
        out.push_str(&format!(
            "{:w0$}  {:w1$}  {:w2$}  {}\n",
            r.env,
            r.kind,
            r.id,
            r.name,
            w0 = w[0],
            w1 = w[1],
            w2 = w[2]
        ));
    }
    out
}
