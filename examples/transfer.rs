//! The transfer of an application image between environments, with typed ids.
//!
//! Two local folders stand for the source and target S3 buckets, named by the generated
//! physical names of `c16bre06` (application images) in `k8d` and `k8t`; a third file stands
//! for the user event log `c20bre21`. The example copies an image file from one bucket to the
//! other and writes the seven transfer events as JSON lines, each beside its PID.
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

/// The event log `c20bre21` of one environment: a JSON-lines file, each line preceded by the PID
/// of the step that wrote it.
struct EventLog {
    file: fs::File,
    at: Timestamp,
}

impl EventLog {
    fn write<E: LogEvent>(
        &mut self,
        step: Process,
        event: &E,
        seconds: i64,
    ) -> std::io::Result<()> {
        let line = event.to_json(self.at.plus_seconds(seconds));
        println!("{step}  {line}");
        writeln!(self.file, "{line}")
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let work = match std::env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::temp_dir().join(format!("orbit-transfer-{}", std::process::id())),
    };
    let (from, to) = (Environment::K8d, Environment::K8t);
    let source = work.join(C16BRE06.physical_name(from)); // app-image-1206-bkt-k8d-aws
    let target = work.join(k8t::C16BRE06); // the same, as a per-environment constant
    let log_path = work.join(format!("{}.jsonl", C20BRE21.physical_name(from)));
    fs::create_dir_all(&source)?;
    fs::create_dir_all(&target)?;
    let image = "my-image";
    fs::write(source.join(format!("{image}.png")), IMAGE)?;

    // The events are produced by c8bms18 and logged to c20bre21, as the manifest declares.
    assert_eq!(events::TransferInitiated::MID, C8BMS18);
    assert_eq!(events::TransferInitiated::RID, C20BRE21);
    println!(
        "{} ({}) transfers `{image}` from {} to {} (leg {}, {} steps)",
        C8BMS18,
        C8BMS18.name(),
        from,
        to,
        TRANSFER_IMAGE,
        TRANSFER_IMAGE.parts().len()
    );
    let mut log = EventLog {
        file: fs::File::create(&log_path)?,
        at: "2024-10-27T10:00:00Z".parse()?,
    };

    log.write(
        pid!(c8bms18 - c20bre21 - e05),
        &events::TransferInitiated::new("user123", image),
        0,
    )?;
    let bytes = copy_step(pid!(c8bms18 - c16bre06 - e10), &source, image)?;
    log.write(
        pid!(c8bms18 - c20bre21 - e15),
        &events::ImageRetrieved::new(),
        15,
    )?;
    put_step(pid!(c8bms18 - c16bre06 - e20), &target, image, &bytes)?;
    log.write(
        pid!(c8bms18 - c20bre21 - e25),
        &events::ImageUploaded::new(),
        25,
    )?;
    log.write(
        pid!(c8bms18 - c20bre21 - e35),
        &events::HelmChartRetrieved::new(),
        35,
    )?;
    log.write(
        pid!(c8bms18 - c20bre21 - e45),
        &events::HelmChartSaved::new(),
        45,
    )?;
    log.write(
        pid!(c8bms18 - c20bre21 - e55),
        &events::ViewportUpdated::new(),
        55,
    )?;
    log.write(
        pid!(c8bms18 - c20bre21 - e60),
        &events::TransferCompleted::new(),
        60,
    )?;

    let copied = fs::read(target.join(format!("{image}.png")))?;
    if copied != IMAGE {
        return Err("the image in the target bucket differs from the source".into());
    }
    println!("copied {} bytes to {}", copied.len(), target.display());
    println!("event log: {}", log_path.display());
    Ok(())
}

/// Reads the image from the source bucket (step `c8bms18-c16bre06-e10`).
fn copy_step(step: Process, bucket: &Path, image: &str) -> std::io::Result<Vec<u8>> {
    eprintln!("{step}: {}", step.doc().unwrap_or(""));
    fs::read(bucket.join(format!("{image}.png")))
}

/// Writes the image to the target bucket (step `c8bms18-c16bre06-e20`).
fn put_step(step: Process, bucket: &Path, image: &str, bytes: &[u8]) -> std::io::Result<()> {
    eprintln!("{step}: {}", step.doc().unwrap_or(""));
    fs::write(bucket.join(format!("{image}.png")), bytes)
}
