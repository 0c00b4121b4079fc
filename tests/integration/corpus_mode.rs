//! `clean --jsonl FIELD`: one record in, one record out, other bytes kept.

use std::fs;
use std::path::Path;

use assert_cmd::Command as Cmd;
use predicates::prelude::*;

fn copydesk() -> Cmd {
    let mut cmd = Cmd::cargo_bin("copydesk").unwrap();
    cmd.args(["clean", "--jsonl", "text", "--no-default-rules", "--rules"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pack.yaml"));
    cmd
}

#[test]
fn rewrites_only_the_field_and_keeps_every_other_byte() {
    let input = "{\"id\": 1, \"text\":\"It broke global law.\" ,\"meta\":{\"x\":\"\\u00e9\", \"n\": 1.50}}\n\
                 {\"text\":\"clean\",\"id\":2}\n";
    copydesk()
        .write_stdin(input)
        .assert()
        .success()
        .stdout(
            "{\"id\": 1, \"text\":\"It broke international law.\" ,\"meta\":{\"x\":\"\\u00e9\", \"n\": 1.50}}\n\
             {\"text\":\"clean\",\"id\":2}\n",
        );
}

#[test]
fn keeps_order_across_parallel_batches() {
    let mut input = String::new();
    let mut expected = String::new();
    for i in 0..5000 {
        let text = if i % 3 == 0 { "global law" } else { "fine" };
        input.push_str(&format!("{{\"n\":{i},\"text\":\"{text} {i}\"}}\n"));
        let text = if i % 3 == 0 {
            "international law"
        } else {
            "fine"
        };
        expected.push_str(&format!("{{\"n\":{i},\"text\":\"{text} {i}\"}}\n"));
    }
    copydesk()
        .write_stdin(input)
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn a_bad_record_passes_through_and_is_reported_by_line() {
    copydesk()
        .write_stdin("{\"text\":\"global law\"}\nnot json\n{\"id\":3}\n{\"text\":7}\n")
        .assert()
        .code(2)
        .stdout("{\"text\":\"international law\"}\nnot json\n{\"id\":3}\n{\"text\":7}\n")
        .stderr(predicate::str::contains("<stdin>:2: not a JSON object"))
        .stderr(predicate::str::contains("<stdin>:3: no field `text`"))
        .stderr(predicate::str::contains(
            "<stdin>:4: field `text` is not a string",
        ));
}

#[test]
fn report_has_one_line_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("edits.jsonl");
    copydesk()
        .arg(format!("--report={}", report.display()))
        .write_stdin("{\"text\":\"global law\"}\n{\"text\":\"ok\"}\n")
        .assert()
        .success();
    let lines: Vec<serde_json::Value> = fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["record"], 1);
    assert_eq!(lines[0]["edits"][0]["rule"], "global-law");
    assert_eq!(lines[1]["changed"], false);
}

#[test]
fn keep_going_exits_zero_and_the_report_flags_each_bad_record() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("edits.jsonl");
    copydesk()
        .arg("--keep-going")
        .arg(format!("--report={}", report.display()))
        .write_stdin("{\"text\":\"global law\"}\nnot json\n{\"id\":3}\n")
        .assert()
        .success()
        .stdout("{\"text\":\"international law\"}\nnot json\n{\"id\":3}\n")
        .stderr(predicate::str::contains("<stdin>:2: not a JSON object"));
    let lines: Vec<serde_json::Value> = fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one report line per record");
    assert_eq!(lines[0]["changed"], true);
    assert_eq!(lines[1]["record"], 2);
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .starts_with("not a JSON object"));
    assert_eq!(lines[2]["error"], "no field `text`");
}
