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

/// The user event log `c20bre21`: one JSON object per line.
struct EventLog {
    file: fs::File,
    start: Timestamp,
}

impl EventLog {
    /// Writes the entry of `event`, `seconds` after the transfer started, and prints it beside
    /// the PID of the step that wrote it.
    fn write<E: LogEvent>(
        &mut self,
        step: Process,
        event: &E,
        seconds: i64,
    ) -> std::io::Result<()> {
        let line = event.to_json(self.start.plus_seconds(seconds));
        println!("{step}  {line}");
        writeln!(self.file, "{line}")
    }
}

/// The local folder standing for a resource in an environment, named by its physical name.
fn folder(work: &Path, resource: Resource, env: Environment) -> std::io::Result<PathBuf> {
    let dir = work.join(resource.physical_name(env));
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn main() -> Result<(), Box<dyn Error>> {
    let work = match std::env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::temp_dir().join(format!("orbit-transfer-{}", std::process::id())),
    };
    let (from, to) = (Environment::K8d, Environment::K8t);
    let (user, image) = ("user123", "my-image");

    // The source environment already holds the image, its chart and its metadata.
    let source = folder(&work, C16BRE06, from)?; // app-image-1206-bkt-k8d-aws
    let target = folder(&work, C16BRE06, to)?; // app-image-1206-bkt-k8t-aws
    assert_eq!(target, work.join(k8t::C16BRE06)); // the same name, as a constant
    fs::write(source.join(format!("{image}.png")), IMAGE)?;
    let chart = format!("apiVersion: v2\nname: {image}\nversion: 0.1.0\n");
    fs::write(
        folder(&work, C20BRE09, from)?.join(format!("{image}.yaml")),
        &chart,
    )?;

    // The events come from c8bms18 and go to c20bre21, as the manifest declares.
    assert_eq!(events::TransferInitiated::MID, C8BMS18);
    assert_eq!(events::TransferInitiated::RID, C20BRE21);
    let log_path = work.join(format!("{}.jsonl", C20BRE21.physical_name(from)));
    let mut log = EventLog {
        file: fs::File::create(&log_path)?,
        start: "2024-10-27T10:00:00Z".parse()?, // Timestamp::now() in a service
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
            C8BMS18_C16BRE06_E10 => bytes = fs::read(source.join(format!("{image}.png")))?,
            C8BMS18_C20BRE21_E15 => log.write(step, &events::ImageRetrieved::new(), 15)?,
            C8BMS18_C16BRE06_E20 => fs::write(target.join(format!("{image}.png")), &bytes)?,
            C8BMS18_C20BRE21_E25 => log.write(step, &events::ImageUploaded::new(), 25)?,
            C8BMS18_C20BRE09_E30 => {
                let charts = folder(&work, C20BRE09, from)?;
                chart_text = fs::read_to_string(charts.join(format!("{image}.yaml")))?;
            }
            C8BMS18_C20BRE21_E35 => log.write(step, &events::HelmChartRetrieved::new(), 35)?,
            C8BMS18_C20BRE09_E40 => {
                let charts = folder(&work, C20BRE09, to)?;
                fs::write(charts.join(format!("{image}.yaml")), &chart_text)?;
            }
            C8BMS18_C20BRE21_E45 => log.write(step, &events::HelmChartSaved::new(), 45)?,
            C8BMS18_C20BRE15_E50 => {
                let metadata = folder(&work, C20BRE15, to)?;
                let record = format!(
                    "{{\"image\":\"{image}\",\"environment\":\"{to}\",\"bytes\":{}}}\n",
                    bytes.len()
                );
                fs::write(metadata.join(format!("{image}.json")), record)?;
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
    if fs::read(target.join(format!("{image}.png")))? != IMAGE {
        return Err("the image in the target bucket differs from the source".into());
    }
    println!("image copied to {}", target.display());
    println!("event log: {}", log_path.display());
    Ok(())
}
