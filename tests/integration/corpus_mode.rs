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

/// A record the stream cannot decode (invalid UTF-8) used to end the
/// stream and take its whole batch with it (#20: 300,000 records with one
/// bad byte gave 198,656 lines). Now it is one bad record: passed through
/// byte for byte, named by line, and every other record is cleaned, in and
/// around the 2,048-line batches.
#[test]
fn invalid_utf8_records_lose_nothing_around_them() {
    let bad_lines = [1, 2048, 2049, 3000, 4096, 4097, 6000];
    let mut input = Vec::new();
    let mut expected = Vec::new();
    let mut offsets = Vec::new();
    for n in 1..=6000 {
        if bad_lines.contains(&n) {
            let mut bytes = format!("{{\"n\":{n},\"text\":\"global law \"}}\n").into_bytes();
            // A lone 0xFF byte is never UTF-8: put it before the closing quote.
            let quote = bytes.len() - 3;
            bytes.insert(quote, 0xff);
            offsets.push((n, quote));
            input.extend_from_slice(&bytes);
            expected.extend_from_slice(&bytes);
        } else {
            input.extend_from_slice(format!("{{\"n\":{n},\"text\":\"global law\"}}\n").as_bytes());
            expected.extend_from_slice(
                format!("{{\"n\":{n},\"text\":\"international law\"}}\n").as_bytes(),
            );
        }
    }
    // The last record has no newline: it still counts, and gets one.
    input.pop();
    for extra in [&[][..], &["--keep-going"][..]] {
        let out = copydesk()
            .args(extra)
            .write_stdin(input.clone())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(if extra.is_empty() { 2 } else { 0 }),
            "{extra:?}"
        );
        assert_eq!(out.stdout.split(|&b| b == b'\n').count() - 1, 6000);
        assert!(
            out.stdout == expected,
            "every good record cleaned, bad ones kept"
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        for (n, at) in &offsets {
            assert!(
                stderr.contains(&format!(
                    "<stdin>:{n}: invalid UTF-8 at byte {at} of the record"
                )),
                "{stderr}"
            );
        }
        assert_eq!(stderr.lines().count(), bad_lines.len(), "{stderr}");
    }
    // --lossy cleans such a record as text with U+FFFD for the bad byte.
    copydesk()
        .arg("--lossy")
        .write_stdin(b"{\"text\":\"global law \xff\"}\n{\"text\":\"ok\"}\n".to_vec())
        .assert()
        .success()
        .stdout("{\"text\":\"international law \u{fffd}\"}\n{\"text\":\"ok\"}\n");
}

/// A record longer than `--max-input-size` stops the run with exit 2,
/// naming the limit and the line, after writing every record before it:
/// an endless line is never held whole.
#[test]
fn a_record_over_the_size_limit_stops_after_the_records_before_it() {
    let long = "x".repeat(200);
    let input = format!(
        "{{\"text\":\"global law\"}}\n{{\"text\":\"ok\"}}\n{{\"text\":\"{long}\"}}\n{{\"text\":\"ok\"}}\n"
    );
    copydesk()
        .args(["--max-input-size", "100"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stdout("{\"text\":\"international law\"}\n{\"text\":\"ok\"}\n")
        .stderr(predicate::str::contains(
            "<stdin>:3: record is over the limit of 100 bytes (--max-input-size)",
        ));
}
