//! The progress bar: shown on a terminal for runs over many files, never
//! when standard error is a pipe or a file.

use std::fs;
use std::process::Command;

use assert_cmd::Command as Cmd;

fn many_files(dir: &std::path::Path) {
    for i in 0..30 {
        fs::write(
            dir.join(format!("a{i:02}.txt")),
            "It broke global law.\n".repeat(200),
        )
        .unwrap();
    }
}

#[test]
fn no_bar_off_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    many_files(dir.path());
    let out = Cmd::cargo_bin("copydesk")
        .unwrap()
        .args(["check", "--isolated"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("files ["), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "no escape codes: {stderr:?}");
}

#[test]
fn bar_on_a_terminal() {
    // `script` (util-linux) gives the command a pseudo-terminal.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("note: `script` is not installed: terminal progress test skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    many_files(dir.path());
    let bin = assert_cmd::cargo::cargo_bin("copydesk");
    let log = dir.path().join("typescript");
    let cmd = format!(
        "{} check --isolated {} >/dev/null",
        bin.display(),
        dir.path().display()
    );
    let status = Command::new("script")
        .args(["-qec", &cmd])
        .arg(&log)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "findings: exit 1");
    let screen = String::from_utf8_lossy(&fs::read(&log).unwrap()).into_owned();
    assert!(screen.contains("/30 files ["), "files: {screen:?}");
    assert!(screen.contains("KiB"), "bytes: {screen:?}");
    assert!(screen.contains("/s"), "bytes per second: {screen:?}");
}
