//! The transfer of an application image between environments, with typed ids.
//!
//! Local folders stand for the cloud resources, each named by its generated physical name: the
//! S3 buckets of `c16bre06` (application images) in `k8d` and `k8t`, the DynamoDB tables of
//! `c20bre09` (kustomize manifests, the Helm chart) and `c20bre15` (image metadata), and the user
//! event log `c20bre21`, a JSON-lines file. The example walks the leg `transfer-image` step by
//! step: it copies an image file from the source bucket to the target bucket, copies its chart,
//! updates its metadata, and writes the seven transfer events as JSON lines, each beside its PID.
//!
//! ```text
//! cargo run --example transfer [WORK_DIR]
//! ```
//!
//! `WORK_DIR` defaults to a fresh directory under the system's temporary directory.
//!
//! Built with `--features services` and run with `AWS_ENDPOINT_URL` and `ORBIT_MYSQL_URL` set
//! (a moto server and a MariaDB server, as `tests/services.sh` starts them), it runs on the
//! real services instead (`cargo run --features services --example transfer`): it first creates
//! what Terraform would, every bucket, table and database of `k8d` and `k8t` under its generated
//! name, uploads the image to `app-image-1206-bkt-k8d-aws`, and then walks the same leg on S3
//! and DynamoDB: the image is copied to the `k8t` bucket, the chart and the metadata are items
//! of their tables, and each transfer event is an item of `user-event-log-1621-tbl-k8d-aws` and
//! a row of `transfer_event` in the `app_image_mql_2003_dtb_k8d_aws` database, besides its
//! JSON line. `orbit audit --env k8t` then finds nothing wrong.

use std::error::Error;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use orbit_core::ids::*;
use orbit_core::{pid, LogEvent, Timestamp};

/// A 1×1 PNG: the "application image" being transferred.
const IMAGE: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The user event log `c20bre21`: one JSON object per line (and, on the real services, an item
/// of its table and a row of the MySQL database).
struct EventLog {
    file: fs::File,
    start: Timestamp,
    cloud: Option<std::rc::Rc<cloud::Cloud>>,
}

impl EventLog {
    /// Writes the entry of `event`, `seconds` after the transfer started, and prints it beside
    /// the PID of the step that wrote it.
    fn write<E: LogEvent>(&mut self, step: Process, event: &E, seconds: i64) -> Result<()> {
        let at = self.start.plus_seconds(seconds);
        let line = event.to_json(at);
        println!("{step}  {line}");
        if let Some(c) = &self.cloud {
            c.record(step, E::NAME, &at.to_string(), &line)?;
        }
        writeln!(self.file, "{line}")?;
        Ok(())
    }
}

/// The local folder standing for a resource in an environment, named by its physical name.
fn folder(work: &Path, resource: Resource, env: Environment) -> std::io::Result<PathBuf> {
    let dir = work.join(resource.physical_name(env));
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Where the resources are: local folders named like them, or the real services.
enum Store {
    Local(PathBuf),
    Cloud(std::rc::Rc<cloud::Cloud>),
}

type Result<T> = std::result::Result<T, Box<dyn Error>>;

impl Store {
    /// Puts an object in the bucket of `resource` in `env`.
    fn put(&self, resource: Resource, env: Environment, key: &str, bytes: &[u8]) -> Result<()> {
        match self {
            Store::Local(work) => Ok(fs::write(folder(work, resource, env)?.join(key), bytes)?),
            Store::Cloud(c) => c.put_object(resource.physical_name(env), key, bytes),
        }
    }

    /// Reads an object of the bucket of `resource` in `env`.
    fn get(&self, resource: Resource, env: Environment, key: &str) -> Result<Vec<u8>> {
        match self {
            Store::Local(work) => Ok(fs::read(folder(work, resource, env)?.join(key))?),
            Store::Cloud(c) => c.get_object(resource.physical_name(env), key),
        }
    }

    /// Writes the item `id` (one text attribute `field`) to the table of `resource` in `env`.
    fn put_item(
        &self,
        resource: Resource,
        env: Environment,
        id: &str,
        field: &str,
        value: &str,
    ) -> Result<()> {
        match self {
            Store::Local(work) => Ok(fs::write(
                folder(work, resource, env)?.join(format!("{id}.{field}")),
                value,
            )?),
            Store::Cloud(c) => {
                c.put_item(resource.physical_name(env), &[("id", id), (field, value)])
            }
        }
    }

    /// Reads the attribute `field` of the item `id` of the table of `resource` in `env`.
    fn get_item(
        &self,
        resource: Resource,
        env: Environment,
        id: &str,
        field: &str,
    ) -> Result<String> {
        match self {
            Store::Local(work) => Ok(fs::read_to_string(
                folder(work, resource, env)?.join(format!("{id}.{field}")),
            )?),
            Store::Cloud(c) => c.get_item(resource.physical_name(env), id, field),
        }
    }
}

fn main() -> Result<()> {
    let work = match std::env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::temp_dir().join(format!("orbit-transfer-{}", std::process::id())),
    };
    fs::create_dir_all(&work)?;
    let (from, to) = (Environment::K8d, Environment::K8t);
    let (user, image) = ("user123", "my-image");
    let png = format!("{image}.png");

    let store = match std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(endpoint) => {
            let mysql = std::env::var("ORBIT_MYSQL_URL")
                .ok()
                .filter(|u| !u.is_empty());
            let c = cloud::Cloud::connect(mysql.as_deref())?;
            // What Terraform would create: every resource of both environments.
            let made = c.provision(&[from, to])?;
            println!("on {endpoint}, created where missing: {made}");
            Store::Cloud(std::rc::Rc::new(c))
        }
        None => Store::Local(work.clone()),
    };

    // The source environment already holds the image, its chart and its metadata.
    assert_eq!(C16BRE06.physical_name(from), "app-image-1206-bkt-k8d-aws");
    assert_eq!(C16BRE06.physical_name(to), k8t::C16BRE06); // the same name, as a constant
    store.put(C16BRE06, from, &png, IMAGE)?;
    let chart = format!("apiVersion: v2\nname: {image}\nversion: 0.1.0\n");
    store.put_item(C20BRE09, from, image, "yaml", &chart)?;

    // The events come from c8bms18 and go to c20bre21, as the manifest declares.
    assert_eq!(events::TransferInitiated::MID, C8BMS18);
    assert_eq!(events::TransferInitiated::RID, C20BRE21);
    let log_path = work.join(format!("{}.jsonl", C20BRE21.physical_name(from)));
    let mut log = EventLog {
        file: fs::File::create(&log_path)?,
        start: "2024-10-27T10:00:00Z".parse()?, // Timestamp::now() in a service
        cloud: match &store {
            Store::Cloud(c) => Some(c.clone()),
            Store::Local(_) => None,
        },
    };
    println!(
        "{} ({}) runs leg {} of {} ({} steps): `{image}` from {from} to {to}",
        C8BMS18,
        C8BMS18.name(),
        TRANSFER_IMAGE,
        TRANSFER_IMAGE.flow(),
        TRANSFER_IMAGE.parts().len(),
    );

    let mut bytes = Vec::new();
    let mut chart_text = String::new();
    for &step in TRANSFER_IMAGE.parts() {
        match step {
            C8BMS18_C20BRE21_E05 => {
                log.write(step, &events::TransferInitiated::new(user, image), 0)?
            }
            C8BMS18_C16BRE06_E10 => bytes = store.get(C16BRE06, from, &png)?,
            C8BMS18_C20BRE21_E15 => log.write(step, &events::ImageRetrieved::new(), 15)?,
            C8BMS18_C16BRE06_E20 => store.put(C16BRE06, to, &png, &bytes)?,
            C8BMS18_C20BRE21_E25 => log.write(step, &events::ImageUploaded::new(), 25)?,
            C8BMS18_C20BRE09_E30 => chart_text = store.get_item(C20BRE09, from, image, "yaml")?,
            C8BMS18_C20BRE21_E35 => log.write(step, &events::HelmChartRetrieved::new(), 35)?,
            C8BMS18_C20BRE09_E40 => store.put_item(C20BRE09, to, image, "yaml", &chart_text)?,
            C8BMS18_C20BRE21_E45 => log.write(step, &events::HelmChartSaved::new(), 45)?,
            C8BMS18_C20BRE15_E50 => {
                let record = format!(
                    "{{\"image\":\"{image}\",\"environment\":\"{to}\",\"bytes\":{}}}\n",
                    bytes.len()
                );
                store.put_item(C20BRE15, to, image, "json", &record)?;
            }
            C8BMS18_C20BRE21_E55 => log.write(step, &events::ViewportUpdated::new(), 55)?,
            C8BMS18_C20BRE21_E60 => log.write(step, &events::TransferCompleted::new(), 60)?,
            other => return Err(format!("no handler for step {other} of {TRANSFER_IMAGE}").into()),
        }
    }

    // The first and last steps, also by the macros.
    assert_eq!(
        TRANSFER_IMAGE.parts().first(),
        Some(&pid!(c8bms18 - c20bre21 - e05))
    );
    assert_eq!(
        TRANSFER_IMAGE.parts().last(),
        Some(&pid!(c8bms18 - c20bre21 - e60))
    );
    if store.get(C16BRE06, to, &png)? != IMAGE {
        return Err("the image in the target bucket differs from the source".into());
    }
    match &store {
        Store::Local(work) => println!(
            "image copied to {}",
            work.join(C16BRE06.physical_name(to)).display()
        ),
        Store::Cloud(c) => {
            println!("image copied to s3://{}/{png}", C16BRE06.physical_name(to));
            println!("recorded: {}", c.verify()?);
            c.finish()?;
        }
    }
    println!("event log: {}", log_path.display());
    Ok(())
}

/// Without the `services` feature: no clients; `AWS_ENDPOINT_URL` set is an error that says how
/// to build the example with them.
#[cfg(not(feature = "services"))]
mod cloud {
    use orbit_core::ids::Process;

    use super::Result;

    /// No clients.
    pub enum Cloud {}

    impl Cloud {
        pub fn connect(_mysql: Option<&str>) -> Result<Cloud> {
            Err("AWS_ENDPOINT_URL is set, but the example was built without its clients: run `cargo run --features services --example transfer`, or unset AWS_ENDPOINT_URL to run on local folders".into())
        }
        pub fn provision(&self, _: &[orbit_core::ids::Environment]) -> Result<String> {
            match *self {}
        }
        pub fn put_object(&self, _: &str, _: &str, _: &[u8]) -> Result<()> {
            match *self {}
        }
        pub fn get_object(&self, _: &str, _: &str) -> Result<Vec<u8>> {
            match *self {}
        }
        pub fn put_item(&self, _: &str, _: &[(&str, &str)]) -> Result<()> {
            match *self {}
        }
        pub fn get_item(&self, _: &str, _: &str, _: &str) -> Result<String> {
            match *self {}
        }
        pub fn record(&self, _: Process, _: &str, _: &str, _: &str) -> Result<()> {
            match *self {}
        }
        pub fn verify(&self) -> Result<String> {
            match *self {}
        }
        pub fn finish(&self) -> Result<()> {
            match *self {}
        }
    }
}

/// The real services: S3 and DynamoDB through the AWS SDK (its standard configuration, with
/// `AWS_ENDPOINT_URL`), MySQL through `mysql_async`; one current-thread runtime.
#[cfg(feature = "services")]
mod cloud {
    use std::collections::HashMap;

    use aws_sdk_dynamodb::types::{
        AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
        ScalarAttributeType,
    };
    use mysql_async::prelude::Queryable;
    use orbit_core::ids::{Environment, Process, Resource};
    use orbit_core::ResourceKind;

    use super::Result;

    /// Clients of the three services.
    pub struct Cloud {
        rt: tokio::runtime::Runtime,
        s3: aws_sdk_s3::Client,
        ddb: aws_sdk_dynamodb::Client,
        mysql: Option<mysql_async::Pool>,
        /// This transfer's id, in every event item and row it records.
        transfer: String,
    }

    /// The database that holds the transfer events: `app_image_mql_2003_dtb_k8d_aws`.
    const EVENTS_DB: Resource = orbit_core::ids::C32BRE03;

    impl Cloud {
        /// Clients from the environment (`AWS_ENDPOINT_URL`, credentials, `AWS_REGION`) and the
        /// MySQL URL, if any.
        pub fn connect(mysql: Option<&str>) -> Result<Cloud> {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let config = rt.block_on(
                aws_config::defaults(aws_config::BehaviorVersion::latest())
                    .region(
                        aws_config::meta::region::RegionProviderChain::default_provider()
                            .or_else("us-east-1"),
                    )
                    .load(),
            );
            let s3 = aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(&config)
                    .force_path_style(true)
                    .build(),
            );
            let ddb = aws_sdk_dynamodb::Client::new(&config);
            let mysql = match mysql {
                Some(url) => Some(mysql_async::Pool::new(mysql_async::Opts::from_url(url)?)),
                None => None,
            };
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let transfer = format!("{}-{nanos}", std::process::id());
            Ok(Cloud {
                rt,
                s3,
                ddb,
                mysql,
                transfer,
            })
        }

        /// Creates every bucket, table and database of `envs` that does not exist yet, and the
        /// event table of the events database; says what it made.
        pub fn provision(&self, envs: &[Environment]) -> Result<String> {
            self.rt.block_on(async {
                let (mut buckets, mut tables, mut dbs) = (0, 0, 0);
                for &env in envs {
                    for &r in Resource::ALL {
                        let name = r.physical_name(env);
                        match r.kind() {
                            ResourceKind::S3 => {
                                if let Err(e) = self.s3.create_bucket().bucket(name).send().await {
                                    let code = aws_sdk_s3::error::ProvideErrorMetadata::code(&e);
                                    if code != Some("BucketAlreadyOwnedByYou") {
                                        return Err(format!("create bucket {name}: {}", aws_sdk_s3::error::DisplayErrorContext(&e)).into());
                                    }
                                }
                                buckets += 1;
                            }
                            ResourceKind::Dynamodb => {
                                let made = self
                                    .ddb
                                    .create_table()
                                    .table_name(name)
                                    .billing_mode(BillingMode::PayPerRequest)
                                    .attribute_definitions(
                                        AttributeDefinition::builder()
                                            .attribute_name("id")
                                            .attribute_type(ScalarAttributeType::S)
                                            .build()?,
                                    )
                                    .key_schema(
                                        KeySchemaElement::builder()
                                            .attribute_name("id")
                                            .key_type(KeyType::Hash)
                                            .build()?,
                                    )
                                    .send()
                                    .await;
                                if let Err(e) = made {
                                    let code = aws_sdk_dynamodb::error::ProvideErrorMetadata::code(&e);
                                    if code != Some("ResourceInUseException") {
                                        return Err(format!("create table {name}: {}", aws_sdk_dynamodb::error::DisplayErrorContext(&e)).into());
                                    }
                                }
                                tables += 1;
                            }
                            ResourceKind::Mysql => {
                                let Some(pool) = &self.mysql else { continue };
                                let mut conn = pool.get_conn().await?;
                                conn.query_drop(format!("CREATE DATABASE IF NOT EXISTS `{name}`"))
                                    .await?;
                                conn.query_drop(format!(
                                    "CREATE TABLE IF NOT EXISTS `{name}`.transfer_event (\
                                     id INT AUTO_INCREMENT PRIMARY KEY, transfer VARCHAR(64) NOT NULL, pid VARCHAR(64) NOT NULL, \
                                     event VARCHAR(64) NOT NULL, at VARCHAR(32) NOT NULL, entry TEXT NOT NULL)"
                                ))
                                .await?;
                                dbs += 1;
                            }
                        }
                    }
                }
                let mut made = format!("{buckets} buckets, {tables} tables");
                match &self.mysql {
                    Some(_) => made.push_str(&format!(", {dbs} databases")),
                    None => made.push_str(" (no ORBIT_MYSQL_URL: no database)"),
                }
                Ok(made)
            })
        }

        /// `PutObject`.
        pub fn put_object(&self, bucket: &str, key: &str, bytes: &[u8]) -> Result<()> {
            self.rt.block_on(async {
                self.s3
                    .put_object()
                    .bucket(bucket)
                    .key(key)
                    .body(bytes.to_vec().into())
                    .send()
                    .await
                    .map_err(|e| {
                        format!(
                            "put s3://{bucket}/{key}: {}",
                            aws_sdk_s3::error::DisplayErrorContext(&e)
                        )
                    })?;
                Ok(())
            })
        }

        /// `GetObject`.
        pub fn get_object(&self, bucket: &str, key: &str) -> Result<Vec<u8>> {
            self.rt.block_on(async {
                let out = self
                    .s3
                    .get_object()
                    .bucket(bucket)
                    .key(key)
                    .send()
                    .await
                    .map_err(|e| {
                        format!(
                            "get s3://{bucket}/{key}: {}",
                            aws_sdk_s3::error::DisplayErrorContext(&e)
                        )
                    })?;
                Ok(out.body.collect().await?.into_bytes().to_vec())
            })
        }

        /// `PutItem` of text attributes.
        pub fn put_item(&self, table: &str, fields: &[(&str, &str)]) -> Result<()> {
            self.rt.block_on(async {
                let mut put = self.ddb.put_item().table_name(table);
                for (k, v) in fields {
                    put = put.item(*k, AttributeValue::S(v.to_string()));
                }
                put.send().await.map_err(|e| {
                    format!(
                        "put an item in {table}: {}",
                        aws_sdk_dynamodb::error::DisplayErrorContext(&e)
                    )
                })?;
                Ok(())
            })
        }

        /// `GetItem`: one text attribute of item `id`.
        pub fn get_item(&self, table: &str, id: &str, field: &str) -> Result<String> {
            self.rt.block_on(self.get_item_async(table, id, field))
        }

        /// Records one transfer event: an item of the event log table (`k8d`) and a row of
        /// the events database.
        pub fn record(&self, step: Process, event: &str, at: &str, line: &str) -> Result<()> {
            let table = orbit_core::ids::C20BRE21.physical_name(Environment::K8d);
            let pid = step.to_string();
            self.put_item(
                table,
                &[
                    ("id", &format!("{} {at} {pid}", self.transfer)),
                    ("transfer", &self.transfer),
                    ("pid", &pid),
                    ("event", event),
                    ("timestamp", at),
                    ("entry", line),
                ],
            )?;
            let Some(pool) = &self.mysql else {
                return Ok(());
            };
            let db = EVENTS_DB.physical_name(Environment::K8d);
            self.rt.block_on(async {
                let mut conn = pool.get_conn().await?;
                conn.exec_drop(
                    format!("INSERT INTO `{db}`.transfer_event (transfer, pid, event, at, entry) VALUES (?, ?, ?, ?, ?)"),
                    (self.transfer.as_str(), pid.as_str(), event, at, line),
                )
                .await?;
                Ok(())
            })
        }

        /// Reads back what this transfer recorded: its event items, its event rows and the
        /// image's metadata item in the target environment.
        pub fn verify(&self) -> Result<String> {
            let log = orbit_core::ids::C20BRE21.physical_name(Environment::K8d);
            let meta = orbit_core::ids::C20BRE15.physical_name(Environment::K8t);
            self.rt.block_on(async {
                let items = self
                    .ddb
                    .scan()
                    .table_name(log)
                    .filter_expression("transfer = :t")
                    .expression_attribute_values(":t", AttributeValue::S(self.transfer.clone()))
                    .send()
                    .await
                    .map_err(|e| {
                        format!(
                            "scan {log}: {}",
                            aws_sdk_dynamodb::error::DisplayErrorContext(&e)
                        )
                    })?
                    .count();
                let metadata = self.get_item_async(meta, "my-image", "json").await?;
                let mut said = format!(
                    "{items} event items in {log}, the metadata item {} in {meta}",
                    metadata.trim()
                );
                if let Some(pool) = &self.mysql {
                    let db = EVENTS_DB.physical_name(Environment::K8d);
                    let mut conn = pool.get_conn().await?;
                    let rows: Option<u64> = conn
                        .exec_first(
                            format!(
                                "SELECT COUNT(*) FROM `{db}`.transfer_event WHERE transfer = ?"
                            ),
                            (self.transfer.as_str(),),
                        )
                        .await?;
                    said.push_str(&format!(", {} event rows in {db}", rows.unwrap_or(0)));
                }
                Ok::<_, Box<dyn std::error::Error>>(said)
            })
        }

        async fn get_item_async(&self, table: &str, id: &str, field: &str) -> Result<String> {
            let out = self
                .ddb
                .get_item()
                .table_name(table)
                .key("id", AttributeValue::S(id.to_string()))
                .send()
                .await
                .map_err(|e| {
                    format!(
                        "get item {id} of {table}: {}",
                        aws_sdk_dynamodb::error::DisplayErrorContext(&e)
                    )
                })?;
            let item: HashMap<String, AttributeValue> = out.item.unwrap_or_default();
            match item.get(field) {
                Some(AttributeValue::S(s)) => Ok(s.clone()),
                _ => Err(format!("item {id} of {table} has no `{field}`").into()),
            }
        }

        /// Closes the MySQL connections.
        pub fn finish(&self) -> Result<()> {
            if let Some(pool) = &self.mysql {
                self.rt.block_on(pool.clone().disconnect())?;
            }
            Ok(())
        }
    }
}
