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

/// Runs `copydesk ARGS DIR` under a pseudo-terminal (`script`), standard
/// output to /dev/null; returns what the terminal was sent, or `None` when
/// `script` is not installed.
fn on_a_terminal(dir: &std::path::Path, args: &str) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("note: `script` is not installed: terminal progress test skipped");
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("copydesk");
    let log = dir.join("typescript");
    let cmd = format!("{} {args} {} >/dev/null", bin.display(), dir.display());
    Command::new("script")
        .args(["-qec", &cmd])
        .arg(&log)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    let screen = String::from_utf8_lossy(&fs::read(&log).unwrap()).into_owned();
    fs::remove_file(&log).unwrap();
    Some(screen)
}

/// `clean --write` goes on showing progress while it writes (each file is
/// synced to disk, which can take longer than cleaning): files cleaned and
/// files written (#17). Not with `-q`.
#[test]
fn bar_goes_on_through_writes_on_a_terminal_but_not_with_quiet() {
    let dir = tempfile::tempdir().unwrap();
    many_files(dir.path());
    let Some(screen) = on_a_terminal(dir.path(), "clean --isolated --write") else {
        return;
    };
    assert!(screen.contains("/30 files cleaned, "), "{screen:?}");
    assert!(screen.contains(" written ["), "{screen:?}");
    assert!(
        screen.contains("copydesk: 30 files scanned, 30 written, 0 errors"),
        "{screen:?}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("a00.txt")).unwrap(),
        "It broke international law.\n".repeat(200)
    );
    many_files(dir.path());
    let screen = on_a_terminal(dir.path(), "clean --isolated --write -q").unwrap();
    assert!(!screen.contains("files cleaned"), "{screen:?}");
    assert!(!screen.contains('\u{1b}'), "nothing drawn: {screen:?}");
}

/// Off a terminal, `clean --write` over many files prints its summary line
/// and nothing else: no bar, no escape codes.
#[test]
fn no_bar_through_writes_off_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    many_files(dir.path());
    let out = Cmd::cargo_bin("copydesk")
        .unwrap()
        .args(["clean", "--isolated", "--write"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary =
        regex::Regex::new(r"^copydesk: 30 files scanned, 30 written, 0 errors \([0-9.]+s\)\n$")
            .unwrap();
    assert!(summary.is_match(&stderr), "{stderr:?}");
}
