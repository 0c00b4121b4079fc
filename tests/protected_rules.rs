//! A pattern rule's `protected` option: what it may do to the protected
//! spans (URLs, handles, addresses) its match holds. A span is removed
//! whole or left alone, never edited in part.

use std::sync::Arc;

use copydesk::rules::load::Loader;
use copydesk::{Options, Pipeline};

const TEXT: &str = "The talks ended.\nSee https://example.com/a now\nThey resume on Monday.\n";

/// The output of one fix rule (`pattern`, `replace`, `protected` as
/// written, or absent) on `text`.
fn clean_with(pattern: &str, replace: &str, protected: Option<&str>, text: &str) -> String {
    let protected = protected.map_or(String::new(), |p| format!("    protected: {p}\n"));
    let pack = format!(
        "pack: p\nrules:\n  - id: r\n    pattern: '{pattern}'\n    replace: '{replace}'\n    level: fix\n    boundary: none\n{protected}"
    );
    let mut loader = Loader::new();
    loader.add_source("p.yaml", &pack);
    let set = loader.build().unwrap_or_else(|e| panic!("pack loads: {e}"));
    Pipeline::new(Arc::new(set), Options::default())
        .run(text)
        .output
        .into_owned()
}

#[test]
fn a_rule_avoids_protected_spans_by_default() {
    assert_eq!(clean_with(r"(?m)^See \S+ now\n", "", None, TEXT), TEXT);
    assert_eq!(
        clean_with(r"(?m)^See \S+ now\n", "", Some("avoid"), TEXT),
        TEXT
    );
}

#[test]
fn delete_lines_deletes_whole_lines_with_their_line_break() {
    let out = clean_with(r"(?m)^See \S+ now\n", "", Some("delete-lines"), TEXT);
    assert_eq!(out, "The talks ended.\nThey resume on Monday.\n");
    // The last line, without a line break.
    let text = "The talks ended.\nSee https://example.com/a now";
    let out = clean_with(r"(?m)^See \S+ now$", "", Some("delete-lines"), text);
    assert_eq!(out, "The talks ended.\n");
}

#[test]
fn delete_lines_never_edits_part_of_a_line() {
    // The line break stays: not a whole line.
    assert_eq!(
        clean_with(r"(?m)^See \S+ now$", "", Some("delete-lines"), TEXT),
        TEXT
    );
    // The line's start stays.
    assert_eq!(
        clean_with(r"\S+ now\n", "", Some("delete-lines"), TEXT),
        TEXT
    );
    // A replacement: not a deletion.
    assert_eq!(
        clean_with(r"(?m)^See \S+ now\n", "Gone\n", Some("delete-lines"), TEXT),
        TEXT
    );
}

#[test]
fn delete_whole_removes_spans_whole_and_keeps_the_rest() {
    let out = clean_with(r"See \S+ now", "Look now", Some("delete-whole"), TEXT);
    assert_eq!(out, "The talks ended.\nLook now\nThey resume on Monday.\n");
    // The address would be kept (moved) by the replacement.
    assert_eq!(
        clean_with(r"See (\S+) now", "$1", Some("delete-whole"), TEXT),
        TEXT
    );
    // Part of the address: never cut.
    assert_eq!(
        clean_with(r"example\.com/a", "x", Some("delete-whole"), TEXT),
        TEXT
    );
}

#[test]
fn protected_is_for_pattern_rules_only() {
    let mut loader = Loader::new();
    loader.add_source(
        "p.yaml",
        "pack: p\nrules:\n  - id: r\n    find: see\n    replace: look\n    protected: delete-lines\n",
    );
    let err = loader
        .build()
        .expect_err("a phrase rule cannot remove protected spans");
    assert!(
        err.to_string()
            .contains("`protected` other than `avoid` is for pattern rules only"),
        "{err}"
    );
}
