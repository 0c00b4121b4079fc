//! The command line as a user drives it: modes, exit codes, writes, diffs,
//! reports and errors.

use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assert_cmd::Command as Cmd;
use predicates::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `copydesk` with only the fixture pack loaded.
fn copydesk(args: &[&str]) -> Cmd {
    let mut cmd = Cmd::cargo_bin("copydesk").unwrap();
    cmd.args(args)
        .arg("--no-default-rules")
        .arg("--rules")
        .arg(fixture("pack.yaml"));
    cmd
}

fn temp_copy(dir: &Path, name: &str) -> PathBuf {
    let dest = dir.join(name);
    fs::copy(fixture("article.txt"), &dest).unwrap();
    dest
}

const CLEANED: &str = "Talks Stall\n\nThe envoy said the strike violated international law.\nOfficials from Russia will meet them when the arrive.\n";

#[test]
fn clean_reads_stdin_and_prints_text() {
    copydesk(&["clean"])
        .write_stdin(fs::read_to_string(fixture("article.txt")).unwrap())
        .assert()
        .success()
        .stdout(CLEANED)
        .stderr("");
    copydesk(&["clean", "-"])
        .write_stdin("global law")
        .assert()
        .success()
        .stdout("international law");
}

/// `passes.normalise=off` applies the rule packs and nothing else: quotes,
/// dashes, spacing, entities and odd spaces stay as they are.
#[test]
fn rules_only_leaves_normalisation_alone() {
    let input = "He said \"global law\" -  as ever &amp; 10\u{a0}km.\n";
    copydesk(&["clean", "--set", "passes.normalise=off"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(input.replace("global law", "international law"));
    copydesk(&["clean"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("He said \"international law\" \u{2014} as ever & 10 km.\n");
}

#[test]
fn clean_prints_file_and_applies_suggestions_on_request() {
    copydesk(&["clean"])
        .arg(fixture("article.txt"))
        .assert()
        .code(0)
        .stdout(CLEANED);
    copydesk(&["clean", "--apply-suggestions"])
        .arg(fixture("article.txt"))
        .assert()
        .stdout(predicate::str::contains("when they arrive."));
}

#[test]
fn check_mode_exits_1_with_diff_and_0_when_clean() {
    copydesk(&["clean", "--check"])
        .arg(fixture("article.txt"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "-The envoy said the strike violated global law.",
        ))
        .stdout(predicate::str::contains(
            "+The envoy said the strike violated international law.",
        ));
    copydesk(&["clean", "--check", "-"])
        .write_stdin("already clean\n")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn diff_applies_with_git_apply_and_patch() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_copy(dir.path(), "article.txt");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    git(&["init", "-q"]);
    let diff = copydesk(&["clean", "--diff", "article.txt"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(0));
    fs::write(dir.path().join("fix.patch"), &diff.stdout).unwrap();
    git(&["apply", "--check", "fix.patch"]);
    let patched = Command::new("patch")
        .args(["-p1", "--dry-run", "-i", "fix.patch"])
        .current_dir(dir.path())
        .output();
    if let Ok(p) = patched {
        assert!(
            p.status.success(),
            "patch -p1: {}",
            String::from_utf8_lossy(&p.stdout)
        );
    }
    git(&["apply", "fix.patch"]);
    assert_eq!(fs::read_to_string(&file).unwrap(), CLEANED);
}

#[test]
fn write_rewrites_in_place_keeping_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_copy(dir.path(), "a.txt");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    let clean = dir.path().join("clean.txt");
    fs::write(&clean, "nothing to do\n").unwrap();
    let before = fs::metadata(&clean).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    copydesk(&["clean", "--write"])
        .arg(&file)
        .arg(&clean)
        .assert()
        .code(0)
        .stdout("");
    assert_eq!(fs::read_to_string(&file).unwrap(), CLEANED);
    let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(
        fs::metadata(&clean).unwrap().modified().unwrap(),
        before,
        "unchanged file untouched"
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".tmp")
        })
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn write_skips_a_bad_input_and_writes_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let good = temp_copy(dir.path(), "good.txt");
    let bad = dir.path().join("bad.txt");
    fs::write(&bad, b"global law \xff\n").unwrap();
    copydesk(&["clean", "--write"])
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.txt: invalid UTF-8 at byte 11 (line 1)",
        ));
    assert_ne!(
        fs::read(&good).unwrap(),
        fs::read(fixture("article.txt")).unwrap(),
        "the good file is written"
    );
    assert_eq!(fs::read(&bad).unwrap(), b"global law \xff\n");
}

#[test]
fn write_refuses_read_only_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_copy(dir.path(), "ro.txt");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o444)).unwrap();
    copydesk(&["clean", "-w"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "ro.txt: file is read-only; not changed",
        ));
    assert_eq!(
        fs::read(&file).unwrap(),
        fs::read(fixture("article.txt")).unwrap()
    );
}

#[test]
fn report_writes_json_while_text_goes_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    copydesk(&["clean", &format!("--report={}", report.display())])
        .arg(fixture("article.txt"))
        .assert()
        .success()
        .stdout(CLEANED);
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    let edits = json["files"][0]["edits"].as_array().unwrap();
    let rules: Vec<&str> = edits.iter().map(|e| e["rule"].as_str().unwrap()).collect();
    assert_eq!(
        rules,
        [
            "repeated-paragraph",
            "global-law",
            "russian-federation",
            "the-arrive"
        ]
    );
    assert_eq!(edits[1]["start"]["line"], 5);
    assert_eq!(edits[1]["start"]["column"], 36);
    assert_eq!(edits[1]["before"], "global law");
    assert_eq!(edits[1]["after"], "international law");
    assert_eq!(edits[3]["applied"], false);
    assert_eq!(edits[3]["level"], "suggest");
}

#[test]
fn check_lists_findings_with_positions() {
    let path = fixture("article.txt");
    let shown = path.display().to_string();
    copydesk(&["check", "--format", "concise"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(format!(
            "{shown}:3:1: repeated-paragraph: Talks Stall\\n\\n → (deleted) (fix: A paragraph printed twice in a row is a scraping artefact, such as a repeated headline.)\n\
             {shown}:5:36: global-law: global law → international law (fix: Spinners swap \"international\" for \"global\".)\n\
             {shown}:6:16: russian-federation: Russian Federation → Russia (fix: Spinners expand \"Russia\".)\n\
             {shown}:6:50: the-arrive: when the arrive → when they arrive (suggest: A dropped pronoun.)\n"
        ));
    copydesk(&["check", "--format", "concise"])
        .write_stdin("clean text\n")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn check_json_parses_back() {
    let out = copydesk(&["check", "--format", "json"])
        .arg(fixture("article.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["edits"].as_array().unwrap().len(), 4);
}

#[test]
fn input_errors_exit_2_naming_the_file() {
    copydesk(&["clean", "no/such/file.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("copydesk: error: no/such/file.txt: cannot read: No such file or directory\n");
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("b.bin");
    fs::write(&bin, b"PNG\0\0data").unwrap();
    copydesk(&["check"])
        .arg(&bin)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "b.bin: binary file (NUL byte at byte 3), not changed",
        ));
    // Found by walking a directory, a binary file is skipped with a note.
    fs::write(dir.path().join("b.txt"), b"PNG\0\0data").unwrap();
    copydesk(&["check"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("b.txt: binary file, skipped"));
}

#[test]
fn lossy_decodes_invalid_utf8_on_request() {
    copydesk(&["clean", "--lossy"])
        .write_stdin(&b"global law \xff"[..])
        .assert()
        .success()
        .stdout("international law \u{fffd}");
}

#[test]
fn bad_rule_pack_exits_2_with_place() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("bad.yaml");
    fs::write(
        &pack,
        "pack: bad\nrules:\n  - id: x\n    find: a\n    replace: b\n    colour: red\n",
    )
    .unwrap();
    let out = Cmd::cargo_bin("copydesk")
        .unwrap()
        .args(["clean", "--no-default-rules", "--rules"])
        .arg(&pack)
        .write_stdin("a")
        .assert()
        .code(2)
        .stdout("")
        .get_output()
        .clone();
    let err = crate::util::error_lines(&String::from_utf8_lossy(&out.stderr));
    assert!(
        err.contains(&format!(
            "{}:6:5: rule `x`: rules[0]: unknown field `colour`",
            pack.display()
        )),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    Cmd::cargo_bin("copydesk")
        .unwrap()
        .arg("frobnicate")
        .assert()
        .code(2);
    Cmd::cargo_bin("copydesk")
        .unwrap()
        .args(["clean", "--write", "--diff", "x"])
        .assert()
        .code(2);
    copydesk(&["clean", "--set", "nope=1"])
        .write_stdin("")
        .assert()
        .code(2);
}

#[test]
fn closed_stdout_ends_quietly() {
    let mut big = String::new();
    for i in 0..200_000 {
        big.push_str(&format!("line {i} about global law\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.txt");
    fs::write(&input, big).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("copydesk"))
        .args(["clean", "--no-default-rules", "--rules"])
        .arg(fixture("pack.yaml"))
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "line 0 about international law\n");
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn rules_list_show_and_test() {
    copydesk(&["rules", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("russian-federation"))
        .stdout(predicate::str::contains("Russian Federation → Russia"));
    copydesk(&["rules", "show", "the-arrive"])
        .assert()
        .success()
        .stdout(predicate::str::contains("level:     suggest"))
        .stdout(predicate::str::contains(
            "example:   when the arrive in Moscow → when they arrive in Moscow",
        ));
    copydesk(&["rules", "show", "nope"]).assert().code(2);
    copydesk(&["rules", "test"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("6 examples, 0 failed\n"));
}

#[test]
fn rules_test_reports_a_failing_example() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("p.yaml");
    fs::write(
        &pack,
        "pack: p\nrules:\n  - id: wrong\n    find: colour\n    replace: color\n    examples:\n      - { before: colour, after: hue }\n      - { keep: colour }\n",
    )
    .unwrap();
    Cmd::cargo_bin("copydesk")
        .unwrap()
        .args(["rules", "test", "--no-default-rules"])
        .arg(&pack)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "rule `wrong`: example 1: expected \"hue\", got \"color\"",
        ))
        .stdout(predicate::str::contains(
            "example 2: changed a keep example",
        ))
        .stdout(predicate::str::contains("2 examples, 2 failed"));
}
