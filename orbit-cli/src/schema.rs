//! `orbit schema`: the JSON Schema (draft-07) of manifest format v1, generated from the
//! engine's key tables ([`orbit_engine::keys`]) so that it cannot drift from the checker. The
//! repository commits it as `orbit.schema.json`; a test keeps the two equal.

use orbit_engine::keys;
use serde_json::{json, Map, Value};

use crate::common::{Fail, Outcome};

const NUMBER: &str = "(0[1-9]|[1-9][0-9]|[1-9][0-9]{2})";
const GROUP: &str = "[1-9][0-9]{0,3}";

fn endpoint() -> String {
    format!("c{GROUP}(fms|bms|bre){NUMBER}")
}

fn pattern(p: String) -> Value {
    json!({ "type": "string", "pattern": format!("^{p}$") })
}

fn text(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

fn flag(description: &str) -> Value {
    json!({ "type": "boolean", "description": description })
}

fn strings(description: &str) -> Value {
    json!({ "type": "array", "items": { "type": "string" }, "description": description })
}

const INSERTED: &str = "Uses a reserved slot (a number between steps) deliberately.";
const DOC: &str = "Free text: what it is and does.";
const KEBAB: &str = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$";

/// The schema of one key of one table, or `None` for a key this generator does not know
/// (a test makes sure there is none).
fn key_schema(table: &str, key: &str) -> Option<Value> {
    let v = match (table, key) {
        (_, "doc") => text(DOC),
        (_, "inserted") => flag(INSERTED),
        ("orbit", "name") => text("The application's name, e.g. \"k8or Orbit\"."),
        ("orbit", "cloud") => {
            let mut v = pattern("[a-z0-9]+".into());
            v["description"] = json!("The cloud code ending every physical name, e.g. \"aws\".");
            v
        }
        ("orbit", "repository_owner") => json!({
            "type": "string",
            "pattern": "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$",
            "maxLength": 39,
            "description": "GitHub owner of the flow repositories: letters, digits and single hyphens, at most 39 characters, e.g. \"k8or-orbit-aws\"."
        }),
        ("orbit", "repository_branch") => json!({
            "type": "string",
            "pattern": "^[^\\u0000-\\u0020\\u007f~^:?*\\[\\\\]+$",
            "description": "Git branch the repository URLs point at, e.g. \"k8or-dev\" (git's ref-name rules; `orbit check` applies all of them)."
        }),
        ("orbit", "retired") => json!({
            "type": "array",
            "items": pattern(endpoint()),
            "uniqueItems": true,
            "description": "MIDs and RIDs never to be declared again."
        }),
        ("environment", "name") => text("e.g. \"development\"."),
        ("region", "name") => text("e.g. \"N. Virginia\"."),
        ("region", "components") => json!({
            "type": "array",
            "items": { "type": "integer", "minimum": 1, "maximum": 9999 },
            "minItems": 2,
            "maxItems": 2,
            "description": "Inclusive range of component numbers, e.g. [1, 100]."
        }),
        ("flow", "name") => text("e.g. \"ChartStore\"."),
        ("flow", "components") => json!({
            "type": "array",
            "items": pattern(format!("c{GROUP}")),
            "maxItems": 8,
            "uniqueItems": true,
            "description": "Components in order (at most 8); the order fixes their blocks."
        }),
        ("component", "name") => text("e.g. \"ChartStore data\"."),
        ("microservice", "name") => text("e.g. \"Portal Search Logic\"."),
        ("microservice", "roles") => {
            strings("Functions it serves, e.g. [\"search\", \"transfer\"].")
        }
        ("resource", "kind") => json!({
            "enum": ["dynamodb", "s3", "mysql"],
            "description": "DynamoDB table (-tbl-), S3 bucket (-bkt-) or MySQL database (_dtb_)."
        }),
        ("resource", "name") => json!({
            "type": "string",
            "pattern": "^[a-z0-9]+([-_][a-z0-9]+)*$",
            "description": "Descriptive name: lowercase words joined by - (MySQL: _), e.g. \"user-input-manifest-data\"."
        }),
        ("resource", "flow") => {
            let mut v = pattern(format!("flow-{GROUP}"));
            v["description"] = json!(
                "The flow whose number starts the serial, when several flows list the component."
            );
            v
        }
        ("leg", "flow") => {
            let mut v = pattern(format!("flow-{GROUP}"));
            v["description"] = json!("The flow the leg belongs to.");
            v
        }
        ("leg", "parts") => json!({
            "type": "array",
            "minItems": 1,
            "items": { "$ref": "#/definitions/part" },
            "description": "The leg's steps in execution order."
        }),
        ("part", "pid") => {
            let e = endpoint();
            let mut v = pattern(format!("{e}-{e}-e{NUMBER}"));
            v["description"] = json!("<start>-<end>-e<NN>, e.g. \"c8fms03-c20bre06-e15\".");
            v
        }
        ("part", "actions") => strings("The part's actions, in order."),
        ("event", "mid") => {
            let mut v = pattern(format!("c{GROUP}[fb]ms{NUMBER}"));
            v["description"] = json!("The producing microservice.");
            v
        }
        ("event", "rid") => {
            let mut v = pattern(format!("c{GROUP}bre{NUMBER}"));
            v["description"] = json!("The resource the event is logged to.");
            v
        }
        ("event", "fields") => json!({
            "type": "array",
            "items": { "type": "string", "pattern": "^[a-z_][a-z0-9_]*$" },
            "uniqueItems": true,
            "description": "Named string fields, after `event` and `timestamp`."
        }),
        ("waiver", "code") => json!({
            "type": "string",
            "pattern": "^ORB8[0-9]{2}$",
            "description": "The `orbit diff` code waived, e.g. \"ORB802\"."
        }),
        ("waiver", "id") => json!({
            "type": "string",
            "minLength": 1,
            "description": "The id the change concerns: MID, RID, environment, component, flow, event or PID."
        }),
        ("waiver", "reason") => json!({
            "type": "string",
            "minLength": 1,
            "description": "Why the change is safe, e.g. \"Table renamed with a data migration (OPS-1234).\""
        }),
        _ => return None,
    };
    Some(v)
}

/// The required keys of each table (the README's "The manifest").
fn required(table: &str) -> &'static [&'static str] {
    match table {
        "orbit" => &["name", "cloud"],
        "region" => &["name", "components"],
        "flow" => &["name", "components"],
        "component" | "microservice" => &["name"],
        "resource" => &["kind", "name"],
        "leg" => &["flow", "parts"],
        "part" => &["pid"],
        "event" => &["mid", "rid"],
        "waiver" => &["code", "id", "reason"],
        _ => &[],
    }
}

fn object(table: &str, allowed: &[&str], description: &str) -> Result<Value, String> {
    let mut props = Map::new();
    for k in allowed {
        let v =
            key_schema(table, k).ok_or_else(|| format!("no schema for key `{k}` of `{table}`"))?;
        props.insert((*k).to_string(), v);
    }
    Ok(json!({
        "type": "object",
        "description": description,
        "properties": props,
        "required": required(table),
        "additionalProperties": false
    }))
}

fn id_keyed(definition: &str, key_pattern: String, description: &str) -> Value {
    json!({
        "type": "object",
        "description": description,
        "propertyNames": { "pattern": format!("^{key_pattern}$") },
        "additionalProperties": { "$ref": format!("#/definitions/{definition}") }
    })
}

/// The schema.
pub fn generate() -> Result<Value, String> {
    let mut defs = Map::new();
    defs.insert(
        "orbit".into(),
        object("orbit", keys::ORBIT, "The application and its cloud.")?,
    );
    defs.insert(
        "environment".into(),
        object(
            "environment",
            keys::ENVIRONMENT,
            "An environment; its key is the code used in names (k8d, k8t, k8s, k8p).",
        )?,
    );
    defs.insert(
        "region".into(),
        object("region", keys::REGION, "A range of component numbers.")?,
    );
    defs.insert(
        "flow".into(),
        object(
            "flow",
            keys::FLOW,
            "A flow: at most 8 components, in block order.",
        )?,
    );
    defs.insert(
        "component".into(),
        object("component", keys::COMPONENT, "A component.")?,
    );
    defs.insert(
        "microservice".into(),
        object(
            "microservice",
            keys::MICROSERVICE,
            "A microservice; its key is its MID.",
        )?,
    );
    defs.insert(
        "resource".into(),
        object(
            "resource",
            keys::RESOURCE,
            "A backend resource; its key is its RID.",
        )?,
    );
    defs.insert(
        "leg".into(),
        object("leg", keys::LEG, "A leg: process steps in execution order.")?,
    );
    defs.insert(
        "part".into(),
        object("part", keys::PART, "One step of a leg.")?,
    );
    defs.insert(
        "event".into(),
        object(
            "event",
            keys::EVENT,
            "An event logged by a microservice to a resource.",
        )?,
    );
    defs.insert(
        "waiver".into(),
        object(
            "waiver",
            keys::WAIVER,
            "A change `orbit diff` reports, accepted in review.",
        )?,
    );
    let mut props = Map::new();
    for t in keys::ROOT {
        let v = match *t {
            "orbit" => json!({ "$ref": "#/definitions/orbit" }),
            "environment" => id_keyed("environment", "[a-z0-9]+".into(), "Environments by code."),
            "region" => id_keyed(
                "region",
                KEBAB[1..KEBAB.len() - 1].into(),
                "Regions by key.",
            ),
            "flow" => id_keyed(
                "flow",
                format!("flow-{GROUP}"),
                "Flows by id: flow-N, N a multiple of 4.",
            ),
            "component" => id_keyed(
                "component",
                format!("c{GROUP}"),
                "Components by id: cN, N a multiple of 4.",
            ),
            "microservice" => id_keyed(
                "microservice",
                format!("c{GROUP}[fb]ms{NUMBER}"),
                "Microservices by MID.",
            ),
            "resource" => id_keyed(
                "resource",
                format!("c{GROUP}bre{NUMBER}"),
                "Resources by RID.",
            ),
            "leg" => id_keyed(
                "leg",
                KEBAB[1..KEBAB.len() - 1].into(),
                "Legs by kebab-case name.",
            ),
            "event" => id_keyed(
                "event",
                KEBAB[1..KEBAB.len() - 1].into(),
                "Events by kebab-case name.",
            ),
            "waiver" => json!({
                "type": "array",
                "items": { "$ref": "#/definitions/waiver" },
                "description": "Changes `orbit diff` reports that a reviewer accepted ([[waiver]])."
            }),
            other => return Err(format!("no schema for table `{other}`")),
        };
        props.insert((*t).to_string(), v);
    }
    Ok(json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://github.com/k8or-orbit-aws/orbit/orbit.schema.json",
        "title": "orbit.toml",
        "description": "k8or Orbit manifest, format v1. Generated by `orbit schema` from the engine's key tables; the checker (`orbit check`) enforces every rule beyond shape.",
        "type": "object",
        "properties": props,
        "required": ["orbit", "environment", "region"],
        "additionalProperties": false,
        "definitions": defs
    }))
}

/// The schema as committed: pretty JSON with a trailing newline.
pub fn text_of() -> Result<String, String> {
    let v = generate()?;
    serde_json::to_string_pretty(&v)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

/// Runs `orbit schema`.
pub fn run() -> Outcome {
    match text_of() {
        Ok(s) => {
            out!("{s}");
            Ok(())
        }
        Err(e) => Err(Fail::usage(
            format!("cannot generate the schema: {e}"),
            "report this as a bug",
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_has_a_schema() {
        super::generate().unwrap();
    }

    #[test]
    fn committed_schema_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../orbit.schema.json");
        let want = super::text_of().unwrap();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "orbit.schema.json is stale: run `UPDATE_SCHEMA=1 cargo test -p orbit-cli committed_schema` (or `orbit schema > orbit.schema.json`)"
        );
    }
}
