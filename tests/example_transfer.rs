//! `cargo run --example transfer` works: the image lands in the target bucket's folder and the
//! event log holds the seven transfer events, equal (as JSON) to the conventions document's
//! example entries.

use std::path::Path;
use std::process::Command;

#[test]
fn the_transfer_example_runs() {
    let work = std::env::temp_dir().join(format!("orbit-example-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "-q", "--example", "transfer", "--"])
        .arg(&work)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let image = work.join("app-image-1206-bkt-k8t-aws/my-image.png");
    assert!(Path::new(&image).is_file(), "{stdout}");
    let log = std::fs::read_to_string(work.join("user-event-log-1621-tbl-k8d-aws.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let names: Vec<&str> = lines.iter().map(|v| v["event"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "transfer-initiated",
            "image-retrieved",
            "image-uploaded",
            "helm-chart-retrieved",
            "helm-chart-saved",
            "viewport-updated",
            "transfer-completed"
        ]
    );
    assert_eq!(
        lines[0],
        serde_json::json!({"event":"transfer-initiated", "timestamp":"2024-10-27T10:00:00Z", "user":"user123", "image":"my-image"})
    );
    assert_eq!(
        lines[6],
        serde_json::json!({"event":"transfer-completed", "timestamp":"2024-10-27T10:01:00Z"})
    );
    // Each event is printed beside its PID.
    assert!(
        stdout.contains("c8bms18-c20bre21-e05  {\"event\":\"transfer-initiated\""),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&work);
}
