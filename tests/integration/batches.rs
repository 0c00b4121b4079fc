//! Many-file runs in batches: `clean` and `check` read and clean files a
//! batch at a time (32 MB of input; `COPYDESK_TEST_BATCH_BYTES` lowers it
//! here so a few kilobytes of files make many batches). Whatever the
//! batches, the output, the writes and the reports are those of one pass
//! over every file, and a bad file anywhere still stops `clean` before
//! anything is printed or written.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::{copydesk_in, fixture};

/// Small enough that the files below make a dozen batches or more.
const SMALL_BATCH: &str = "2000";

/// Writes 40 files in a few folders, of varied sizes (one larger than a
/// whole batch), each with one fix; returns their paths in walk order.
fn many_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for i in 0..40 {
        let folder = ["a", "b", "c"][i % 3];
        let path = dir.join(folder).join(format!("f{i:02}.txt"));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let padding = if i == 17 { 3000 } else { (i * 53) % 40 };
        let body = format!(
            "File {i} broke global law.\n{}end {i}\n",
            "Some padding words. ".repeat(padding)
        );
        fs::write(&path, body).unwrap();
        paths.push(path);
    }
    paths.sort();
    paths
}

/// `copydesk ARGS --isolated --no-default-rules --rules pack.yaml .` in
/// `dir`, with the batch budget when given.
fn run(dir: &Path, batch: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = copydesk_in(dir);
    cmd.args(args)
        .args(["--isolated", "--no-default-rules", "--rules"])
        .arg(fixture("pack.yaml"))
        .arg(".");
    match batch {
        Some(bytes) => cmd.env("COPYDESK_TEST_BATCH_BYTES", bytes),
        None => cmd.env_remove("COPYDESK_TEST_BATCH_BYTES"),
    };
    cmd.output().unwrap()
}

/// The contents of `paths`, in order.
fn contents(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect()
}

#[test]
fn many_batches_give_the_output_of_one() {
    let dir = tempfile::tempdir().unwrap();
    let paths = many_files(dir.path());
    let before = contents(&paths);
    let expected: String = before
        .iter()
        .map(|t| t.replace("global law", "international law"))
        .collect();
    for args in [
        &["clean"][..],
        &["clean", "--diff", "-q"],
        &["check", "-q", "--format", "concise"],
        &["check", "-q", "--format", "json", "--stats"],
        &["check", "-q", "--format", "sarif"],
        &["check", "-q", "--format", "github"],
    ] {
        let small = run(dir.path(), Some(SMALL_BATCH), args);
        let whole = run(dir.path(), None, args);
        assert_eq!(small.status.code(), whole.status.code(), "{args:?}");
        assert!(small.stderr.is_empty(), "{args:?}: {:?}", small.stderr);
        let stdout = String::from_utf8(small.stdout).unwrap();
        assert_eq!(
            stdout,
            String::from_utf8(whole.stdout).unwrap(),
            "{args:?}: the same output in many batches as in one"
        );
        if args == ["clean"] {
            assert_eq!(stdout, expected);
        }
        if args == ["check", "-q", "--format", "concise"] {
            let named: Vec<&str> = stdout
                .lines()
                .map(|l| l.split(':').next().unwrap())
                .collect();
            let want: Vec<String> = paths
                .iter()
                .map(|p| format!("./{}", p.strip_prefix(dir.path()).unwrap().display()))
                .collect();
            assert_eq!(named, want, "one finding per file, in path order");
        }
    }
    assert_eq!(contents(&paths), before, "read-only runs wrote nothing");

    // `--write` with a report: every file written, every file reported, in
    // order, and the report that of a one-batch run.
    let whole_report = dir.path().join("whole.json");
    let out = run(
        dir.path(),
        None,
        &["clean", "--report", whole_report.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0));
    let report = dir.path().join("report.json");
    let out = run(
        dir.path(),
        Some(SMALL_BATCH),
        &["clean", "--write", "--report", report.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty());
    let after = contents(&paths);
    for (new, old) in after.iter().zip(&before) {
        assert_eq!(*new, old.replace("global law", "international law"));
    }
    let written = fs::read_to_string(&report).unwrap();
    assert_eq!(written, fs::read_to_string(&whole_report).unwrap());
    let log: serde_json::Value = serde_json::from_str(&written).unwrap();
    let files = log["files"].as_array().unwrap();
    assert_eq!(files.len(), paths.len());
    for (f, p) in files.iter().zip(&paths) {
        let name = format!("./{}", p.strip_prefix(dir.path()).unwrap().display());
        assert_eq!(f["path"], name.as_str());
        assert_eq!(f["changed"], true);
        assert_eq!(f["edits"][0]["rule"], "global-law");
    }
}

/// A file that cannot be decoded, in a late batch, is reported in one line
/// and left alone; every other file is still printed, diffed or written
/// (the writes only after every input was read and checked), and the run
/// exits 2.
#[test]
fn a_bad_file_in_a_late_batch_is_skipped_and_the_others_are_processed() {
    let dir = tempfile::tempdir().unwrap();
    let paths = many_files(dir.path());
    let bad = dir.path().join("c/zz-bad.txt");
    fs::write(&bad, b"global law \xff\n").unwrap();
    let before = contents(&paths);
    for args in [&["clean"][..], &["clean", "--diff"], &["clean", "--write"]] {
        let out = run(dir.path(), Some(SMALL_BATCH), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        let lines: Vec<&str> = stderr.lines().collect();
        assert!(
            lines[0].ends_with("zz-bad.txt: invalid UTF-8 at byte 11 (line 1); not changed (--lossy replaces bad bytes with U+FFFD)"),
            "{stderr}"
        );
        // Text on stdout gets no summary; a diff or a write does.
        let verb = if args == ["clean", "--write"] {
            "written"
        } else {
            "to change"
        };
        let summary = format!("copydesk: 40 files scanned, 40 {verb}, 1 error (");
        match args {
            ["clean"] => assert_eq!(lines.len(), 1, "{stderr}"),
            _ => assert!(
                lines.len() == 2 && lines[1].starts_with(&summary),
                "{stderr}"
            ),
        }
        let stdout = String::from_utf8(out.stdout).unwrap();
        let fixed = stdout.matches("broke international law.").count();
        match args {
            ["clean"] => assert_eq!(fixed, 40, "{args:?}"),
            ["clean", "--diff"] => assert_eq!(stdout.matches("+++ b/").count(), 40),
            _ => assert!(stdout.is_empty()),
        }
    }
    let after = contents(&paths);
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(new, &old.replace("global law", "international law"));
    }
    assert_eq!(fs::read(&bad).unwrap(), b"global law \xff\n");
    // `check` reports every other file, then the error.
    fs::write(&paths[0], "global law\n").unwrap();
    let out = run(
        dir.path(),
        Some(SMALL_BATCH),
        &["check", "--format", "concise"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
}

/// A run that stops partway (here: its reader goes away after the first
/// batch) leaves the report it was to replace as it was, and no temporary
/// file.
#[test]
fn a_run_stopped_partway_keeps_the_old_report() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    many_files(dir.path());
    let report = dir.path().join("report.json");
    fs::write(&report, "old report\n").unwrap();
    let mut child = std::process::Command::new(crate::util::bin())
        .current_dir(dir.path())
        .args(["clean", "--report", "report.json"])
        .args(["--isolated", "--no-default-rules", "--rules"])
        .arg(fixture("pack.yaml"))
        .arg(".")
        .env("COPYDESK_TEST_BATCH_BYTES", SMALL_BATCH)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait().unwrap();
    assert_eq!(fs::read_to_string(&report).unwrap(), "old report\n");
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".copydesk-report-")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
