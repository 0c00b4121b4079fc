//! copydesk as a stage of Apache Spark (`RDD.pipe` over `clean --jsonl`),
//! run by `tests/spark/pipe_test.py` with PySpark in local mode. Skipped
//! with a note when Python, PySpark or Java is missing.

use std::path::Path;
use std::process::Command;

#[test]
fn spark_rdd_pipe_keeps_one_record_per_record_in_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = assert_cmd::cargo::cargo_bin("copydesk");
    let out = match Command::new("python3")
        .arg(root.join("tests/spark/pipe_test.py"))
        .arg(&bin)
        .arg(root.join("tests/fixtures/pack.yaml"))
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            eprintln!("note: python3 is not available ({e}): Spark test skipped");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stdout.starts_with("skip:") {
        eprintln!("note: Spark test skipped: {}", stdout.trim());
        return;
    }
    assert!(
        out.status.success() && stdout.contains("5 passed, 0 failed"),
        "stdout:\n{stdout}\nstderr (last lines):\n{}",
        stderr.lines().rev().take(30).collect::<Vec<_>>().join("\n")
    );
}
