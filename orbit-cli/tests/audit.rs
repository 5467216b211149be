//! `orbit audit` against real services: a moto server for DynamoDB and S3 and a MariaDB server,
//! both on 127.0.0.1, started by `tests/services.sh` (README, "`orbit audit`"). Never mocks.
//!
//! The endpoints come from `AWS_ENDPOINT_URL`, `ORBIT_TEST_AUTH_ENDPOINT_URL` and
//! `ORBIT_TEST_MYSQL_URL`; when they are unset each test says it is skipped and how to run it,
//! and under `CI=true` it fails instead. The exit-2 cases that need no service (no credentials,
//! nothing listening) always run.
#![cfg(feature = "audit")]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use serde_json::Value;

const RUN: &str = "bash tests/services.sh run -- cargo test --workspace";

/// The services share one moto and one MariaDB: one test at a time, each from a reset state.
static SERIAL: Mutex<()> = Mutex::new(());

struct Services {
    aws: String,
    auth: String,
    mysql: String,
}

fn services(test: &str) -> Option<Services> {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (
        get("AWS_ENDPOINT_URL"),
        get("ORBIT_TEST_AUTH_ENDPOINT_URL"),
        get("ORBIT_TEST_MYSQL_URL"),
    ) {
        (Some(aws), Some(auth), Some(mysql)) => {
            for url in [&aws, &auth, &mysql] {
                assert!(
                    url.starts_with("http://127.0.0.1:") || url.contains("@127.0.0.1:"),
                    "service tests talk to 127.0.0.1 only, not {url}"
                );
            }
            Some(Services { aws, auth, mysql })
        }
        _ if std::env::var("CI").as_deref() == Ok("true") => panic!(
            "{test}: AWS_ENDPOINT_URL, ORBIT_TEST_AUTH_ENDPOINT_URL and ORBIT_TEST_MYSQL_URL are unset under CI=true; run `{RUN}`"
        ),
        _ => {
            // Straight to stderr, past the test harness's capture: `cargo test` shows the skip.
            let _ = writeln!(
                std::io::stderr(),
                "{test}: skipped (no moto/MariaDB endpoints); run it with `{RUN}`"
            );
            None
        }
    }
}

fn port(url: &str) -> u16 {
    url.rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .expect("a port")
}

/// `POST /moto-api/reset`: moto forgets every table and bucket.
fn reset_moto(endpoint: &str) {
    let mut s = TcpStream::connect(("127.0.0.1", port(endpoint))).expect("moto");
    s.write_all(
        b"POST /moto-api/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn aws_config(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "testing", "testing", None, None, "tests",
        ))
        .load()
        .await
}

/// Creates the tables, buckets and databases named.
fn create(s: &Services, tables: &[String], buckets: &[String], databases: &[String]) {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    };
    use mysql_async::prelude::Queryable;
    runtime().block_on(async {
        let config = aws_config(&s.aws).await;
        let ddb = aws_sdk_dynamodb::Client::new(&config);
        for t in tables {
            ddb.create_table()
                .table_name(t)
                .billing_mode(BillingMode::PayPerRequest)
                .attribute_definitions(
                    AttributeDefinition::builder()
                        .attribute_name("id")
                        .attribute_type(ScalarAttributeType::S)
                        .build()
                        .unwrap(),
                )
                .key_schema(
                    KeySchemaElement::builder()
                        .attribute_name("id")
                        .key_type(KeyType::Hash)
                        .build()
                        .unwrap(),
                )
                .send()
                .await
                .unwrap_or_else(|e| panic!("create table {t}: {e:?}"));
        }
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&config)
                .force_path_style(true)
                .build(),
        );
        for b in buckets {
            s3.create_bucket()
                .bucket(b)
                .send()
                .await
                .unwrap_or_else(|e| panic!("create bucket {b}: {e:?}"));
        }
        let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(&s.mysql).unwrap())
            .await
            .unwrap();
        let existing: Vec<String> = conn.query("SHOW DATABASES").await.unwrap();
        for d in existing {
            if !matches!(
                d.as_str(),
                "information_schema" | "mysql" | "performance_schema" | "sys"
            ) {
                conn.query_drop(format!("DROP DATABASE `{d}`"))
                    .await
                    .unwrap();
            }
        }
        for d in databases {
            conn.query_drop(format!("CREATE DATABASE `{d}`"))
                .await
                .unwrap();
        }
        conn.disconnect().await.unwrap();
    });
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The project's manifest with `c20bre18` retired (serial 1618), in a temporary directory.
fn manifest() -> (tempfile::TempDir, PathBuf) {
    let text = std::fs::read_to_string(crate_dir().join("../orbit.toml")).unwrap();
    let text = text.replacen("retired = []", "retired = [\"c20bre18\"]", 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orbit.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// Every physical name the manifest derives for `env`, by kind: (tables, buckets, databases).
fn declared(env: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (_, checked) = orbit_engine::check_file(&crate_dir().join("../orbit.toml")).unwrap();
    let m = checked.manifest;
    let of = |kind: orbit_engine::id::ResourceKind| -> Vec<String> {
        m.resources
            .iter()
            .filter(|r| r.kind == kind)
            .filter_map(|r| r.physical_name(env, &m.orbit.cloud))
            .collect()
    };
    use orbit_engine::id::ResourceKind::*;
    (of(Dynamodb), of(S3), of(Mysql))
}

/// Runs `orbit --manifest PATH audit ARGS` with fake credentials, the endpoint given and
/// nothing of the caller's AWS or MySQL set-up.
fn audit(manifest: &Path, endpoint: &str, args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orbit"));
    cmd.arg("--manifest").arg(manifest).arg("audit").args(args);
    for k in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "ORBIT_MYSQL_URL",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ] {
        cmd.env_remove(k);
    }
    cmd.env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "secret-testing-key")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.path().join("config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path().join("credentials"),
        )
        .env("HOME", home.path())
        .env("NO_COLOR", "1");
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn codes(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_code_against_moto_and_mariadb() {
    let Some(s) = services("every_code_against_moto_and_mariadb") else {
        return;
    };
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    reset_moto(&s.aws);
    let (mut tables, buckets, databases) = declared("k8d");
    let missing = tables.remove(0); // ORB901
    tables.extend(
        [
            "user-metdata-1612-tbl-k8d-aws", // ORB902, did you mean user-metadata
            "User_Metadata-1612-tbl-k8d-aws", // ORB903
            "old-manifests-1618-tbl-k8d-aws", // ORB904: c20bre18 is retired
            "user-metadata-1612-tbl-k8p-aws", // another environment
            "user-metdata-1612-tbl-k8p-aws", // another environment, undeclared
            "terraform-locks",               // no convention
        ]
        .map(String::from),
    );
    let mut dbs = databases.clone();
    dbs.push("app_image_mql_2003_dtb_k8t_aws".into()); // another environment
    dbs.push("scratch_k8d_aws".into()); // ORB903: for k8d, of no physical-name form
    create(&s, &tables, &buckets, &dbs);
    let (dir, path) = manifest();
    let (code, out, err) = audit(
        &path,
        &s.aws,
        &["--env", "k8d", "--format", "json", "--mysql", &s.mysql],
    );
    assert_eq!(code, 1, "{out}\n{err}");
    let report = json(&out);
    assert_eq!(report["env"], "k8d");
    assert_eq!(report["ok"], false);
    assert_eq!(
        codes(&report),
        [
            ("ORB901", missing.as_str()),
            ("ORB902", "user-metdata-1612-tbl-k8d-aws"),
            ("ORB903", "User_Metadata-1612-tbl-k8d-aws"),
            ("ORB903", "scratch_k8d_aws"),
            ("ORB904", "old-manifests-1618-tbl-k8d-aws"),
        ]
        .map(|(c, n)| (c.to_string(), n.to_string()))
    );
    let f = &report["findings"];
    assert_eq!(f[0]["id"], "c20bre03");
    assert_eq!(f[0]["severity"], "error");
    assert!(f[1]["help"]
        .as_str()
        .unwrap()
        .contains("`user-metadata-1612-tbl-k8d-aws`"));
    assert_eq!(f[2]["severity"], "warning");
    assert!(
        f[2]["message"].as_str().unwrap().contains("lowercase"),
        "{}",
        f[2]
    );
    assert_eq!(f[4]["id"], "c20bre18");
    assert_eq!(f[4]["severity"], "warning");
    let mysql_listed = dbs.len() + 4; // and the server's own: information_schema, mysql, …
    assert_eq!(
        report["sources"],
        serde_json::json!([
            {"kind": "dynamodb", "listed": tables.len(), "audited": true},
            {"kind": "s3", "listed": buckets.len(), "audited": true},
            {"kind": "mysql", "listed": mysql_listed, "audited": true},
        ]),
    );
    for f in report["findings"].as_array().unwrap() {
        let keys: Vec<&String> = f.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["code", "help", "id", "kind", "message", "name", "severity"],
            "{f}"
        );
    }
    // The other formats, from the same state.
    let (code, out, _) = audit(&path, &s.aws, &["--env", "k8d", "--mysql", &s.mysql]);
    assert_eq!(code, 1);
    assert!(out.contains("error[ORB902]: DynamoDB table `user-metdata-1612-tbl-k8d-aws` exists for k8d, but no resource declares it"), "{out}");
    assert!(out.contains("warning[ORB904]"), "{out}");
    assert!(out.contains("failed — 2 errors, 3 warnings"), "{out}");
    let (code, out, _) = audit(
        &path,
        &s.aws,
        &["--env", "k8d", "--format", "github", "--mysql", &s.mysql],
    );
    assert_eq!(code, 1);
    assert!(out.contains("::error file="), "{out}");
    assert!(out.contains("title=ORB901::"), "{out}");
    assert!(out.contains("::warning title=ORB903::"), "{out}");
    let (code, out, _) = audit(
        &path,
        &s.aws,
        &["--env", "k8d", "--format", "sarif", "--mysql", &s.mysql],
    );
    assert_eq!(code, 1);
    let sarif = json(&out);
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 5);
    drop(dir);
}

#[test]
fn pagination_other_environments_and_mysql_not_audited() {
    let Some(s) = services("pagination_other_environments_and_mysql_not_audited") else {
        return;
    };
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    reset_moto(&s.aws);
    let (mut tables, buckets, _) = declared("k8t");
    // More than one page of ListTables (100 names): names of other environments and of no
    // convention, counted and not reported.
    for i in 0..60 {
        tables.push(format!("load-test-{i:03}"));
        tables.push(format!("user-metadata-{i:04}-tbl-k8s-aws"));
    }
    let (k8d_tables, k8d_buckets, _) = declared("k8d");
    tables.extend(k8d_tables);
    let mut all_buckets = buckets.clone();
    all_buckets.extend(k8d_buckets);
    all_buckets.push("terraform-state-k8or".into());
    create(&s, &tables, &all_buckets, &[]);
    let (dir, path) = manifest();
    let (code, out, err) = audit(&path, &s.aws, &["--env", "k8t", "--format", "json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let report = json(&out);
    assert_eq!(report["ok"], true);
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(
        report["sources"],
        serde_json::json!([
            {"kind": "dynamodb", "listed": tables.len(), "audited": true},
            {"kind": "s3", "listed": all_buckets.len(), "audited": true},
            {"kind": "mysql", "listed": 0, "audited": false},
        ]),
    );
    assert!(tables.len() > 100);
    let (code, out, _) = audit(&path, &s.aws, &["--env", "k8t"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("note: MySQL databases not audited: no MySQL server given (pass --mysql"),
        "{out}"
    );
    assert!(out.contains("MySQL databases not audited"), "{out}");
    assert!(!out.contains("MySQL databases as declared"), "{out}");
    drop(dir);
}

#[test]
fn refused_logins_exit_2_without_showing_secrets() {
    let Some(s) = services("refused_logins_exit_2_without_showing_secrets") else {
        return;
    };
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (dir, path) = manifest();
    // The moto server that checks credentials knows no access key.
    let (code, out, err) = audit(&path, &s.auth, &["--env", "k8d"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("refused the credentials"), "{err}");
    assert!(err.contains("AWS_ACCESS_KEY_ID"), "{err}");
    assert!(!err.contains("secret-testing-key") && !out.contains("secret-testing-key"));
    // MariaDB with a wrong password.
    let wrong = s.mysql.replace(":orbit-test@", ":not-the-password@");
    assert_ne!(wrong, s.mysql);
    let (code, out, err) = audit(&path, &s.aws, &["--env", "k8d", "--mysql", &wrong]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("refused the login"), "{err}");
    assert!(err.contains("mysql://orbit:***@127.0.0.1:"), "{err}");
    assert!(!err.contains("not-the-password") && !out.contains("not-the-password"));
    // Nothing listening at the MySQL URL.
    let closed = format!("mysql://orbit:pw-123@127.0.0.1:{}", closed_port());
    let (code, _, err) = audit(&path, &s.aws, &["--env", "k8d", "--mysql", &closed]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot reach the MySQL server"), "{err}");
    assert!(!err.contains("pw-123"), "{err}");
    drop(dir);
}

/// A port of 127.0.0.1 where nothing listens.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn no_credentials_exit_2_naming_what_to_set() {
    let (dir, path) = manifest();
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_orbit"))
        .arg("--manifest")
        .arg(&path)
        .args(["audit", "--env", "k8d"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env(
            "AWS_ENDPOINT_URL",
            format!("http://127.0.0.1:{}", closed_port()),
        )
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.path().join("config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path().join("credentials"),
        )
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error: no AWS credentials: tried AWS_ACCESS_KEY_ID"),
        "{err}"
    );
    assert!(
        err.contains("help: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    drop(dir);
}

#[test]
fn unreachable_endpoint_exit_2() {
    let (dir, path) = manifest();
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let (code, out, err) = audit(&path, &endpoint, &["--env", "k8d", "--format", "json"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains(&format!(
            "cannot reach DynamoDB at {endpoint} (AWS_ENDPOINT_URL)"
        )),
        "{err}"
    );
    assert!(
        err.contains("help: check the network, or set AWS_ENDPOINT_URL"),
        "{err}"
    );
    assert!(!err.contains("secret-testing-key"));
    drop(dir);
}

#[test]
fn unknown_environment_is_a_usage_error() {
    let (dir, path) = manifest();
    let (code, _, err) = audit(&path, "http://127.0.0.1:9", &["--env", "k8x"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("environment `k8x` is not declared"), "{err}");
    drop(dir);
}
