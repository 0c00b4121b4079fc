//! `copydesk review`: the HTML redline, checked as a file and driven in a
//! real browser (Debian's Chromium through playwright-core,
//! `tests/browser/review.mjs`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::util::{copydesk_in, fixture, pipeline};

/// An article with fixes, a suggestion, a repeated headline, non-ASCII text
/// and a `</script>` that must not break out of the page's data block.
const ARTICLE: &str = "Talks Stall\n\nTalks Stall\n\nThe envoy said the strike violated global law.\nOfficials from Russian Federation will meet them when the arrive.\nA stray </script><script>alert(1)</script> tag & an é😀 emoji, then global law again.";

const SECOND: &str = "Nothing to see.\nIt broke global law.\n";

/// A fix and a suggestion over the same words, and a flag.
const OVERLAP: &str = "It was foo bar baz today. TODO check.\n";

const OVERLAP_PACK: &str = r#"pack: overlap
description: Two rules that overlap, and a flag.
rules:
  - id: foo-bar
    pattern: '\bfoo bar\b'
    replace: foo-bar
    why: Joined.
  - id: foo-comma
    pattern: '\bfoo bar baz\b'
    replace: foo, bar baz
    level: suggest
    why: A missing comma.
  - id: todo
    pattern: '\bTODO\b'
    level: flag
    why: A note left in the copy.
"#;

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("article.txt"), ARTICLE).unwrap();
    fs::write(dir.path().join("second.txt"), SECOND).unwrap();
    fs::write(dir.path().join("overlap.txt"), OVERLAP).unwrap();
    fs::write(dir.path().join("overlap.yaml"), OVERLAP_PACK).unwrap();
    dir
}

fn review(dir: &Path) {
    copydesk_in(dir)
        .args(["review", "article.txt", "second.txt", "overlap.txt"])
        .args(["-o", "report.html"])
        .arg("--no-default-rules")
        .arg("--rules")
        .arg(fixture("pack.yaml"))
        .args(["--rules", "overlap.yaml"])
        .assert()
        .success()
        .stdout("")
        .stderr("copydesk: wrote report.html: 3 files, 9 changes\n");
}

#[test]
fn review_writes_one_self_contained_page() {
    let dir = setup();
    review(dir.path());
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Two script blocks (data and code): the article's `</script>` is
    // escaped inside the JSON.
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(html.contains(r"\u003c/script\u003e\u003cscript\u003ealert(1)"));
    for external in ["http://", "https://", "<link", " src="] {
        assert!(!html.contains(external), "page references {external}");
    }
    // The data block holds every edit with its rule, level and why.
    let start = html.find(r#"id="copydesk-data">"#).unwrap() + r#"id="copydesk-data">"#.len();
    let end = start + html[start..].find("</script>").unwrap();
    let data: Value = serde_json::from_str(&html[start..end]).unwrap();
    let files = data["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    assert_eq!(files[0]["path"], "article.txt");
    assert_eq!(files[0]["text"], ARTICLE);
    let rules: Vec<&str> = files[0]["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "repeated-paragraph",
            "global-law",
            "russian-federation",
            "the-arrive",
            "global-law"
        ]
    );
    let arrive = &files[0]["edits"][3];
    assert_eq!(arrive["level"], "suggest");
    assert_eq!(arrive["applied"], false);
    assert_eq!(arrive["why"], "A dropped pronoun.");
    // Offsets are UTF-16 units: the last edit sits after "é😀" (3 units).
    let last = &files[0]["edits"][4];
    let byte = ARTICLE.rfind("global law").unwrap();
    let units: usize = ARTICLE[..byte].chars().map(char::len_utf16).sum();
    assert_eq!(last["start"], units);
    assert_eq!(last["line"], 7);
}

#[test]
fn review_of_standard_input_prints_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = copydesk_in(dir.path())
        .args(["review", "--title", "Desk <3>"])
        .arg("--no-default-rules")
        .arg("--rules")
        .arg(fixture("pack.yaml"))
        .write_stdin("It broke global law.")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(out).unwrap();
    assert!(html.contains("<title>Desk &lt;3&gt;</title>"));
    assert!(html.contains(r#""path":"-""#));
}

#[test]
fn review_errors_exit_2_and_write_nothing() {
    let dir = setup();
    copydesk_in(dir.path())
        .args(["review", "article.txt", "missing.txt", "-o", "report.html"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("missing.txt: cannot read"));
    assert!(!dir.path().join("report.html").exists());
    copydesk_in(dir.path())
        .args(["review", "article.txt", "-o", "no/such/dir/report.html"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no/such/dir/report.html: cannot write",
        ));
}

/// Whether the browser test can run here; in CI it must.
fn browser_ready(root: &Path) -> bool {
    let node = Command::new("node").arg("--version").output().is_ok();
    let chromium = Path::new("/usr/bin/chromium").exists();
    let playwright = root
        .join("tests/browser/node_modules/playwright-core")
        .exists();
    if node && chromium && playwright {
        return true;
    }
    let missing = format!(
        "node: {node}, /usr/bin/chromium: {chromium}, tests/browser/node_modules/playwright-core: {playwright}"
    );
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the browser test is required in CI ({missing}); .ci/run installs them"
    );
    eprintln!("note: skipping the browser test ({missing}); run .ci/run's setup to install");
    false
}

/// The input with the applied edits applied, except those `keep` rejects,
/// plus the non-applied ones `take` accepts.
/// Drives `page` in Chromium with `review.mjs` and the given actions,
/// writing its downloads to a fresh `name` folder under the test target
/// directory; returns the script's JSON summary and that folder.
fn drive(page: &Path, name: &str, actions: &[&str]) -> (Value, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&out);
    let run = Command::new("node")
        .arg(root.join("tests/browser/review.mjs"))
        .arg("--page")
        .arg(page)
        .arg("--out")
        .arg(&out)
        .args(actions)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "review.mjs failed: {stderr}");
    eprintln!("screenshot: {}", out.join("screenshot.png").display());
    (serde_json::from_slice(&run.stdout).unwrap(), out)
}

fn expected(text: &str, keep: impl Fn(usize) -> bool, take: impl Fn(usize) -> bool) -> String {
    let p = pipeline(&fs::read_to_string(fixture("pack.yaml")).unwrap());
    let mut edits = p.run(text).edits;
    for (i, e) in edits.iter_mut().enumerate() {
        e.applied = (e.applied && keep(i)) || (!e.applied && take(i));
    }
    copydesk::apply::apply(text, &edits)
}

#[test]
fn review_page_in_chromium_accepts_rejects_and_downloads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !browser_ready(root) {
        return;
    }
    let dir = setup();
    review(dir.path());
    let actions = [
        "--reject",
        "global-law",
        "--accept-key",
        "the-arrive",
        "--reject-all",
        "russian-federation",
        "--accept",
        "foo-comma",
    ];
    let (summary, out) = drive(&dir.path().join("report.html"), "review-browser", &actions);

    // Nothing fetched, nothing failed, every edit drawn.
    assert_eq!(summary["requests"], serde_json::json!([]));
    assert_eq!(summary["console_errors"], serde_json::json!([]));
    assert_eq!(summary["page_errors"], serde_json::json!([]));
    assert_eq!(summary["rendered"], 9);
    assert_eq!(
        summary["counts"],
        "3 files · 9 changes · 6 fixes, 2 suggestions, 1 flag · 6 accepted"
    );
    let index: Vec<&str> = summary["index"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(index.len(), 3, "{index:?}");
    assert!(index[0].contains("article.txt") && index[1].contains("second.txt"));
    assert_eq!(summary["jumped_to"], "#file-2");
    assert_eq!(summary["jumped_visible"], true);
    let tooltips = summary["tooltips"].as_array().unwrap();
    assert_eq!(tooltips.len(), 9);
    assert!(tooltips.contains(&Value::from("the-arrive (suggestion): A dropped pronoun.")));
    assert!(tooltips.contains(&Value::from("todo (flag): A note left in the copy.")));
    // The repeated headline, deleted as a paragraph, is shown with its
    // text struck through (its line breaks marked), not as blank space.
    assert_eq!(
        summary["deleted_paragraphs"],
        serde_json::json!([{
            "text": "Talks Stall¶\n¶\n",
            "decoration": "line-through",
            "shown": true,
        }])
    );
    // The level filter takes fixes out of the markup and back.
    assert_eq!(summary["fixes_shown_when_filtered"], 0);
    assert_eq!(summary["rendered_when_fixes_filtered"], 3);
    assert_eq!(summary["fixes_shown"], 6);

    // Edits of article.txt: 0 repeated-paragraph, 1 global-law, 2
    // russian-federation, 3 the-arrive (suggestion), 4 global-law.
    let read = |name: &str| fs::read_to_string(out.join(name)).unwrap();
    let steps = summary["steps"].as_array().unwrap();
    assert!(steps[..4].iter().all(|s| s["suggested"] == "article.txt"));
    let default = expected(ARTICLE, |_| true, |_| false);
    assert_eq!(read("0-default.txt"), default);
    assert!(default.contains("violated international law"));
    // Rejecting the first global-law change keeps "global law" there only.
    let rejected = expected(ARTICLE, |i| i != 1, |_| false);
    assert_eq!(read("1-reject.txt"), rejected);
    assert!(
        rejected.contains("violated global law.") && rejected.contains("then international law")
    );
    // `j` … `a` accepts the suggestion.
    let accepted = expected(ARTICLE, |i| i != 1, |i| i == 3);
    assert_eq!(read("2-accept-key.txt"), accepted);
    assert!(accepted.contains("when they arrive"));
    // Rejecting a rule undoes all of its changes.
    let final_text = expected(ARTICLE, |i| i != 1 && i != 2, |i| i == 3);
    assert_eq!(read("3-reject-all.txt"), final_text);
    assert!(final_text.contains("from Russian Federation"));
    assert!(final_text.contains("</script><script>alert(1)</script>"));

    // Accepting the suggestion rejects the fix it overlaps.
    assert_eq!(steps[4]["suggested"], "overlap.txt");
    assert_eq!(
        read("4-accept.txt"),
        "It was foo, bar baz today. TODO check.\n"
    );
    assert_eq!(
        steps[4]["status"],
        "Accepted foo-comma; rejected the overlapping foo-bar."
    );

    // A reload keeps the decisions; Reset forgets them.
    assert!(
        summary["after_reload_status"]
            .as_str()
            .unwrap()
            .starts_with("Restored 5 decisions made earlier on this page"),
        "{}",
        summary["after_reload_status"]
    );
    assert_eq!(read("reloaded.txt"), final_text);
    assert_eq!(read("reset.txt"), default);
    assert_eq!(summary["after_reset_reload_status"], "");

    // The downloaded patch applies to the originals and gives the same text.
    let apply_dir = tempfile::tempdir().unwrap();
    fs::write(apply_dir.path().join("article.txt"), ARTICLE).unwrap();
    fs::write(apply_dir.path().join("second.txt"), SECOND).unwrap();
    fs::write(apply_dir.path().join("overlap.txt"), OVERLAP).unwrap();
    let status = Command::new("git")
        .current_dir(apply_dir.path())
        .args(["apply", "--verbose"])
        .arg(out.join("final.patch"))
        .status()
        .unwrap();
    assert!(status.success(), "git apply: {}", read("final.patch"));
    assert_eq!(
        fs::read_to_string(apply_dir.path().join("article.txt")).unwrap(),
        final_text
    );
    assert_eq!(
        fs::read_to_string(apply_dir.path().join("second.txt")).unwrap(),
        "Nothing to see.\nIt broke international law.\n"
    );
    assert_eq!(
        fs::read_to_string(apply_dir.path().join("overlap.txt")).unwrap(),
        "It was foo, bar baz today. TODO check.\n"
    );

    // The picture exists and is a real PNG of some size.
    let png = fs::read(out.join("screenshot.png")).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
    // The side note names the rule and says what it is, from the registry.
    let note = summary["selected_note"].as_str().unwrap();
    assert!(note.contains("repeated-paragraph"), "{note}");
    assert!(
        note.contains(
            "Rule: A paragraph that repeats the one before it word for word, as scrapers \
             leave it. (pass:paragraphs)"
        ),
        "{note}"
    );
}

const LINES_PACK: &str = r#"pack: lines
description: Rules that change line breaks.
rules:
  - id: join-hyphenated
    pattern: '(\p{Ll})-\n(\p{Ll})'
    replace: '$1$2'
    why: A word broken across lines.
  - id: final-newline
    pattern: '\n\z'
    replace: ''
    why: No line break at the end.
"#;

#[test]
fn review_patch_applies_across_line_breaks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !browser_ready(root) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut many = String::new();
    for n in 1..=30 {
        let law = if [2, 20, 24, 30].contains(&n) {
            " global law"
        } else {
            ""
        };
        many.push_str(&format!("Line {n}{law}.\n"));
    }
    let files: Vec<(&str, String)> = vec![
        (
            "crlf.txt",
            "Talks on global law\r\nstalled\r\nagain global law\r\n".into(),
        ),
        (
            "hyphen.txt",
            "The envoy spoke of inter-\nnational law and more.\nEnd.\n".into(),
        ),
        ("final.txt", "First line.\nSecond global law.\n".into()),
        ("noeol.txt", "global law".into()),
        ("many.txt", many),
    ];
    for (name, text) in &files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    fs::write(dir.path().join("lines.yaml"), LINES_PACK).unwrap();
    let rules = |cmd: &mut assert_cmd::Command| {
        cmd.arg("--no-default-rules")
            .arg("--rules")
            .arg(fixture("pack.yaml"))
            .args(["--rules", "lines.yaml"]);
    };
    let mut cmd = copydesk_in(dir.path());
    cmd.args(["review", "-o", "report.html"]);
    cmd.args(files.iter().map(|(n, _)| *n));
    rules(&mut cmd);
    cmd.assert().success();
    let (_, out) = drive(&dir.path().join("report.html"), "review-lines", &[]);
    let patch = fs::read_to_string(out.join("final.patch")).unwrap();
    let apply_dir = tempfile::tempdir().unwrap();
    for (name, text) in &files {
        fs::write(apply_dir.path().join(name), text).unwrap();
    }
    let status = Command::new("git")
        .current_dir(apply_dir.path())
        .args(["apply", "-"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(patch.as_bytes())?;
            child.wait()
        })
        .unwrap();
    assert!(status.success(), "git apply refused:\n{patch}");
    for (name, _) in &files {
        let mut cmd = copydesk_in(dir.path());
        cmd.args(["clean", name]);
        rules(&mut cmd);
        let cleaned = cmd.assert().success().get_output().stdout.clone();
        let patched = fs::read(apply_dir.path().join(name)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&patched),
            String::from_utf8_lossy(&cleaned),
            "{name}; patch:\n{patch}"
        );
    }
    // The first file's downloaded text is the cleaned text, CRs and all
    // (`final-newline` takes the last LF and leaves its CR).
    assert_eq!(
        fs::read_to_string(out.join("0-default.txt")).unwrap(),
        "Talks on international law\r\nstalled\r\nagain international law\r"
    );
    // Lines 2, 20, 24 and 30 of many.txt: two hunks (20–30 merge).
    let many_hunks = patch
        .split("diff --git a/many.txt")
        .nth(1)
        .unwrap()
        .split("diff --git")
        .next()
        .unwrap()
        .matches("\n@@ ")
        .count();
    assert_eq!(many_hunks, 2, "{patch}");
}

/// A pack whose one rule has a long id, to see where the rules table
/// wraps it.
const LONG_ID_PACK: &str = r#"pack: long
description: A rule with a long id.
rules:
  - id: spinner-synonym-for-international-law-in-running-text
    find: global law
    replace: international law
    why: Spun.
"#;

#[test]
fn review_of_a_big_batch_lists_changed_files_and_wraps_ids_at_hyphens() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !browser_ready(root) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("long.yaml"), LONG_ID_PACK).unwrap();
    fs::write(dir.path().join("a-changed.txt"), "It broke global law.\n").unwrap();
    for i in 0..11 {
        fs::write(
            dir.path().join(format!("b-unchanged-{i:02}.txt")),
            "Nothing.\n",
        )
        .unwrap();
    }
    copydesk_in(dir.path())
        .args(["review", "--no-default-rules", "--rules", "long.yaml", "."])
        .args(["-o", "report.html"])
        .assert()
        .success();
    let (summary, _) = drive(&dir.path().join("report.html"), "review-big-batch", &[]);

    // Twelve files, one with a change: only that one is listed and shown,
    // until the toggle asks for the rest.
    assert_eq!(summary["sections_shown"], 1);
    assert_eq!(summary["index_shown"], 1);
    assert_eq!(summary["unchanged_toggle"], "show 11 files without changes");
    assert_eq!(summary["sections_shown_all"], 12);
    assert_eq!(summary["index_shown_all"], 12);
    // The long id is laid out on several lines, each but the last ending
    // at one of its hyphens.
    let lines: Vec<String> = summary["rule_id_lines"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    assert!(lines.len() > 1, "{lines:?}");
    assert!(
        lines[..lines.len() - 1].iter().all(|l| l.ends_with('-')),
        "{lines:?}"
    );
    assert_eq!(
        lines.concat(),
        "spinner-synonym-for-international-law-in-running-text"
    );
}
