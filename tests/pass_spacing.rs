//! The spacing pass through the whole pipeline: golden cases, idempotence
//! and edit replay over generated text, and counts on real news.

#![allow(clippy::print_stderr)]

mod common;

use std::collections::BTreeMap;

use copydesk::apply::apply;
use copydesk::{Options, Pipeline};
use proptest::prelude::*;

fn pipeline(french: bool, apply_suggestions: bool) -> Pipeline {
    let mut options = Options {
        apply_suggestions,
        ..Options::default()
    };
    options
        .settings
        .set("spacing.french", if french { "on" } else { "off" })
        .expect("known option");
    common::pipeline(options)
}

fn clean(text: &str) -> String {
    pipeline(false, false).run(text).output.into_owned()
}

#[test]
fn golden() {
    let cases = [
        ("Two  spaces.", "Two spaces."),
        (
            "Trailing \nspaces\t\r\nkept CRLF\r\n",
            "Trailing\nspaces\r\nkept CRLF\r\n",
        ),
        ("A list ; a pause , an end .", "A list; a pause, an end."),
        (
            "It ended.The next one began.",
            "It ended. The next one began.",
        ),
        ("First.\n\n\n\nSecond.", "First.\n\nSecond."),
        ("No final newline  ", "No final newline"),
        ("\u{feff}BOM  kept", "\u{feff}BOM kept"),
        (
            "Numbers 3.5, 10:30 and 1,000 stay; so do U.S. and e.g. here.",
            "Numbers 3.5, 10:30 and 1,000 stay; so do U.S. and e.g. here.",
        ),
        (
            "Links https://example.com/a.B?x=1 and mail ann.Lee@example.org stay.",
            "Links https://example.com/a.B?x=1 and mail ann.Lee@example.org stay.",
        ),
        ("Mr.Smith and U.S.Army stay.", "Mr.Smith and U.S.Army stay."),
        ("`a  b` ,code", "`a  b` ,code"),
    ];
    for (input, want) in cases {
        let out = pipeline(false, false).run(input);
        assert_eq!(out.output, want, "input {input:?}");
        assert_eq!(apply(input, &out.edits), out.output);
    }
}

/// One long line dense with edits (no newline, as scraped text often
/// arrives) gets each repeat cleaned as a short text would be, edit for
/// edit. Its time growth is measured by `bench/run --limits` (#20).
#[test]
fn long_line_dense_with_edits() {
    let cases = [
        (
            "Some text here.  More words follow. ",
            "Some text here. More words follow. ",
        ),
        (
            "A list ; a pause , an end . It ended.The next one began. ",
            "A list; a pause, an end. It ended. The next one began. ",
        ),
    ];
    for (unit, want) in cases {
        let n = 200_000 / unit.len();
        let input = unit.repeat(n) + "End.";
        let out = pipeline(false, false).run(&input);
        assert_eq!(out.output, want.repeat(n) + "End.", "unit {unit:?}");
        assert!(out.edits.len() >= n, "unit {unit:?}: an edit per repeat");
        assert_eq!(apply(&input, &out.edits), out.output);
    }
}

#[test]
fn suggestions_and_french() {
    let p = pipeline(false, true);
    assert_eq!(p.run("Mr.Smith").output, "Mr. Smith");
    assert_eq!(p.run("Procter   Gamble").output, "Procter & Gamble");
    assert_eq!(clean("Procter   Gamble"), "Procter Gamble");
    let f = pipeline(true, false);
    assert_eq!(
        f.run("Vraiment ? Oui : non !").output,
        "Vraiment\u{202f}? Oui\u{202f}: non\u{202f}!"
    );
    assert_eq!(f.run("Oui , non .").output, "Oui, non.");
}

#[test]
fn rule_ids_can_be_disabled() {
    let p = common::pipeline_with(&[], &["double-space"]);
    assert_eq!(p.run("a  b ,c ,").output, "a  b ,c,");
}

/// Pieces that exercise every rule and every exception.
const PIECES: &[&str] = &[
    " ",
    " ",
    "  ",
    "   ",
    "\t",
    "\n",
    "\n",
    "\r\n",
    "\r",
    "\u{a0}",
    "\u{202f}",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "...",
    "The",
    "the",
    "done",
    "Then",
    "Mr",
    "Co",
    "U.S.",
    "e.g.",
    "3.5",
    "10:30",
    "1,000",
    "`",
    "```",
    "    ",
    "|",
    "www.example.com",
    "a@b.org",
    "report.pdf",
    "\u{201c}",
    "\u{201d}",
    "\u{2019}",
    "'",
    "\"",
    ")",
    "(",
    "Procter",
    "Gamble",
    "-",
    "#tag",
    "\u{feff}",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

proptest! {
    // At least 512 cases; PROPTEST_CASES raises it.
    #![proptest_config(ProptestConfig {
        cases: ProptestConfig::default().cases.max(512),
        ..ProptestConfig::default()
    })]

    #[test]
    fn idempotent_and_replayable(t in text(), french: bool, suggest: bool) {
        let p = pipeline(french, suggest);
        let once = p.run(&t);
        prop_assert_eq!(apply(&t, &once.edits), once.output.as_ref());
        let twice = p.run(&once.output);
        prop_assert_eq!(twice.output.as_ref(), once.output.as_ref());
    }
}

/// Counts applied and suggested spacing edits per rule over `docs`.
fn count(docs: &[String]) -> BTreeMap<String, (usize, usize)> {
    let p = pipeline(false, false);
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for d in docs {
        let out = p.run(d);
        for e in &out.edits {
            let c = counts.entry(e.rule.to_string()).or_default();
            if e.applied {
                c.0 += 1;
            } else {
                c.1 += 1;
            }
        }
        let again = p.run(&out.output);
        assert_eq!(again.output, out.output, "not idempotent on a corpus text");
    }
    counts
}

fn report(name: &str, docs: &[String]) -> BTreeMap<String, (usize, usize)> {
    let counts = count(docs);
    let per = |n: usize| n as f64 * 1000.0 / docs.len() as f64;
    for (rule, (fixed, suggested)) in &counts {
        eprintln!(
            "{name}: {rule}: {:.1} applied, {:.1} suggested per 1,000 texts",
            per(*fixed),
            per(*suggested)
        );
    }
    counts
}

#[test]
fn corpus_bbc() {
    let Some(bbc) = common::bbc_news() else {
        return;
    };
    let docs = common::texts(bbc);
    let c = report("bbc", &docs);
    let fixed = |r: &str| c.get(r).map_or(0, |x| x.0);
    // Edited BBC copy is clean: a handful of real slips per thousand.
    assert!(fixed("missing-space-after-sentence") * 1000 / docs.len() < 10);
    assert!(fixed("space-before-punctuation") * 1000 / docs.len() < 40);
}

#[test]
fn corpus_ground_truth() {
    let Some(gt) = common::benchmark("ground-truth.json") else {
        return;
    };
    let docs = common::texts(gt);
    let c = report("ground-truth", &docs);
    assert!(c.get("double-space").map_or(0, |x| x.0) == 0);
}

#[test]
fn corpus_ag_news() {
    let Some(docs) = common::ag_news_descriptions() else {
        return;
    };
    let c = report("ag-news", &docs);
    // The dropped `&amp;` leaves runs of spaces in about a quarter of items.
    assert!(c.get("double-space").map_or(0, |x| x.0) > 1000);
}
