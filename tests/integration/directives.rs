//! `copydesk:` directives in plain text and Markdown: each one, the
//! directive lines left alone, and malformed ones reported.

use std::fs;

use copydesk::{Document, Options};
use predicates::prelude::*;

use crate::util::{copydesk_in, fixture, pipeline, pipeline_with};

fn fixture_pipeline() -> copydesk::Pipeline {
    pipeline(&fs::read_to_string(fixture("pack.yaml")).unwrap())
}

/// Cleans `text` read as `doc`, checking the edits rebuild the output and
/// a second run changes nothing.
fn clean(text: &str, doc: Document) -> String {
    let p = fixture_pipeline();
    let out = p.run_with(text, &doc);
    assert_eq!(copydesk::apply::apply(text, &out.edits), out.output);
    assert_eq!(p.run_with(&out.output, &doc).output, out.output);
    out.output.into_owned()
}

#[test]
fn off_and_on_protect_a_region_in_plain_text() {
    let input =
        "global law\ncopydesk: off\nglobal law\nRussian Federation\ncopydesk: on\nglobal law\n";
    assert_eq!(
        clean(input, Document::plain()),
        "international law\ncopydesk: off\nglobal law\nRussian Federation\ncopydesk: on\ninternational law\n"
    );
    // `#` and `//` comment markers and HTML comments work too; without
    // `on` the region runs to the end.
    let input = "# copydesk: off\nglobal law\n";
    assert_eq!(clean(input, Document::plain()), input);
    let input = "// copydesk: off\nglobal law\n";
    assert_eq!(clean(input, Document::plain()), input);
    let input = "global law\n<!-- copydesk: off -->\nglobal law\n";
    assert_eq!(
        clean(input, Document::plain()),
        "international law\n<!-- copydesk: off -->\nglobal law\n"
    );
}

#[test]
fn off_and_on_in_markdown_comments() {
    let input = "global law\n\n<!-- copydesk: off -->\nA quote: global law.\n\n- global law\n<!-- copydesk: on -->\n\nglobal law and <!-- copydesk: off -->global law<!-- copydesk: on --> and global law\n";
    assert_eq!(
        clean(input, Document::markdown()),
        "international law\n\n<!-- copydesk: off -->\nA quote: global law.\n\n- global law\n<!-- copydesk: on -->\n\ninternational law and <!-- copydesk: off -->global law<!-- copydesk: on --> and international law\n"
    );
}

#[test]
fn ignore_next_line() {
    let input = "global law\ncopydesk: ignore-next-line\nglobal law\nglobal law\n";
    assert_eq!(
        clean(input, Document::plain()),
        "international law\ncopydesk: ignore-next-line\nglobal law\ninternational law\n"
    );
    let input = "<!-- copydesk: ignore-next-line -->\nglobal law\nglobal law\n";
    assert_eq!(
        clean(input, Document::markdown()),
        "<!-- copydesk: ignore-next-line -->\nglobal law\ninternational law\n"
    );
}

#[test]
fn disable_and_enable_by_rule_id() {
    let input = "global law, Russian Federation\ncopydesk: disable=global-law,russian-federation\nglobal law, Russian Federation\ncopydesk: enable=global-law\nglobal law, Russian Federation\n";
    assert_eq!(
        clean(input, Document::plain()),
        "international law, Russia\ncopydesk: disable=global-law,russian-federation\nglobal law, Russian Federation\ncopydesk: enable=global-law\ninternational law, Russian Federation\n"
    );
    let input = "<!-- copydesk: disable=global-law -->\nglobal law, Russian Federation\n\n<!-- copydesk: enable=global-law -->\nglobal law\n";
    assert_eq!(
        clean(input, Document::markdown()),
        "<!-- copydesk: disable=global-law -->\nglobal law, Russia\n\n<!-- copydesk: enable=global-law -->\ninternational law\n"
    );
}

#[test]
fn disable_filters_pass_rules_too() {
    let input = "Headline\n\nHeadline\n\ncopydesk: disable=repeated-paragraph\n\nAgain\n\nAgain\n";
    assert_eq!(
        clean(input, Document::plain()),
        "Headline\n\ncopydesk: disable=repeated-paragraph\n\nAgain\n\nAgain\n"
    );
}

#[test]
fn directive_lines_are_never_changed() {
    // A rule that would rewrite the word inside the directive itself.
    let p = pipeline(
        "pack: t\nrules:\n  - id: desk\n    find: copydesk\n    replace: CopyDesk\n  - id: off-word\n    find: 'off'\n    replace: OFF\n",
    );
    let input = "copydesk off\ncopydesk: disable=desk\ncopydesk and off\n";
    let out = p.run_with(input, &Document::plain());
    assert_eq!(
        out.output,
        "CopyDesk OFF\ncopydesk: disable=desk\ncopydesk and OFF\n"
    );
    let input = "copydesk\n<!-- copydesk: ignore-next-line -->\noff\n";
    let out = p.run_with(input, &Document::markdown());
    assert_eq!(
        out.output,
        "CopyDesk\n<!-- copydesk: ignore-next-line -->\noff\n"
    );
}

#[test]
fn a_directive_shown_in_markdown_code_is_not_one() {
    let input =
        "```\n<!-- copydesk: off -->\n```\n\nglobal law and `<!-- copydesk: off -->` global law\n";
    assert_eq!(
        clean(input, Document::markdown()),
        "```\n<!-- copydesk: off -->\n```\n\ninternational law and `<!-- copydesk: off -->` international law\n"
    );
}

#[test]
fn prose_starting_with_copydesk_is_not_a_directive() {
    let input = "copydesk: a tool that fixes global law\n";
    let p = fixture_pipeline();
    let out = p.run_with(input, &Document::plain());
    assert_eq!(
        out.output,
        "copydesk: a tool that fixes international law\n"
    );
    assert!(out.edits.iter().all(|e| &*e.rule != "bad-directive"));
}

#[test]
fn malformed_directives_are_flagged_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.txt"),
        "copydesk: of\nglobal law\ncopydesk: on\n",
    )
    .unwrap();
    let base = |cmd: &mut assert_cmd::Command| {
        cmd.args(["--isolated", "--no-default-rules", "--rules"])
            .arg(fixture("pack.yaml"));
    };
    let mut cmd = copydesk_in(dir.path());
    cmd.args(["check", "--format", "concise", "a.txt"]);
    base(&mut cmd);
    cmd.assert()
        .code(1)
        .stdout(predicate::str::contains(
            "a.txt:1:1: bad-directive: copydesk: of (flag: unknown copydesk directive `of`",
        ))
        .stdout(predicate::str::contains("a.txt:2:1: global-law"))
        .stdout(predicate::str::contains(
            "a.txt:3:1: bad-directive: copydesk: on (flag: `copydesk: on` without an earlier `copydesk: off`)",
        ));
    // A flag is never applied: clean leaves the directive as written.
    let mut cmd = copydesk_in(dir.path());
    cmd.args(["clean", "a.txt"]);
    base(&mut cmd);
    cmd.assert()
        .code(0)
        .stdout("copydesk: of\ninternational law\ncopydesk: on\n");
    // It is a rule id like any other.
    let mut cmd = copydesk_in(dir.path());
    cmd.args([
        "check",
        "--format",
        "concise",
        "a.txt",
        "--disable",
        "bad-directive",
    ]);
    base(&mut cmd);
    cmd.assert()
        .code(1)
        .stdout(predicate::str::contains("bad-directive").not());
    let p = pipeline_with(
        "pack: t\nrules: []\n",
        Options {
            disabled: ["bad-directive".to_string()].into_iter().collect(),
            ..Options::default()
        },
    );
    assert!(p
        .run_with("copydesk: of\n", &Document::plain())
        .edits
        .is_empty());
}
