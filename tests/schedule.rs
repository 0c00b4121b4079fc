//! The schedule's order, pass pair by pass pair: for each pair where the
//! earlier pass could destroy what the later one reads as evidence (or the
//! later one could undo the earlier), a text that needs both, cleaned in
//! one run to what each would make of it alone, and left as it is by a
//! second run.

#![allow(clippy::print_stderr)]

mod common;

use common::pipeline;
use copydesk::Options;

/// Cleans `text` with every pass and no packs, and checks that a second
/// run changes nothing.
fn clean(text: &str) -> String {
    let p = pipeline(Options::default());
    let out = p.run(text).output.into_owned();
    let again = p.run(&out);
    assert!(!again.changed(), "{out:?} changes again: {:?}", again.edits);
    out
}

/// The rule ids of the edits applied to `text`.
fn applied(text: &str) -> Vec<String> {
    let p = pipeline(Options::default());
    let mut ids: Vec<String> = p
        .run(text)
        .edits
        .iter()
        .filter(|e| e.applied)
        .map(|e| e.rule.to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// mojibake → unicode: the second byte of `í` in Windows-1252 mojibake is
/// a soft hyphen (`Ã` U+00AD), which the unicode pass would delete.
#[test]
fn a_soft_hyphen_in_mojibake_is_decoded_not_deleted() {
    assert_eq!(clean("Mar\u{c3}\u{ad}a"), "María");
    assert_eq!(applied("Mar\u{c3}\u{ad}a"), ["mojibake"]);
}

/// mojibake → unicode: `à` read as Windows-1252 ends in a no-break space,
/// which the unicode pass would make a plain space.
#[test]
fn a_no_break_space_in_mojibake_is_decoded_not_replaced() {
    assert_eq!(clean("voil\u{c3}\u{a0} tout"), "voilà tout");
}

/// mojibake (C1) → unicode: Windows-1252 curly quotes read as Latin-1 are
/// C1 controls, which the unicode pass would delete; next to Chinese
/// letters they are still quotes.
#[test]
fn c1_quotes_in_chinese_text_become_curly_quotes() {
    let text = "\u{6881}\u{632f}\u{82f1}\u{93}\u{6492}\u{8c0e}\u{94}";
    assert_eq!(
        clean(text),
        "\u{6881}\u{632f}\u{82f1}\u{201c}\u{6492}\u{8c0e}\u{201d}"
    );
    assert_eq!(applied(text), ["mojibake-c1"]);
    // Next to Cyrillic a C1 control is no Windows-1252 quote: after `Р`
    // (0xD0 in Windows-1251) it is the second byte of a UTF-8 letter read
    // through that page (`И` is D0 98), and is repaired as such; where no
    // page explains it, it goes as a control.
    assert_eq!(clean("\u{420}\u{98}\u{430}"), "\u{418}\u{430}");
    assert_eq!(clean("\u{416}\u{98}\u{436}"), "\u{416}\u{436}");
}

/// entities → mojibake: a reference can decode to the second byte of a
/// mojibake sequence; mojibake then reads it.
#[test]
fn an_entity_inside_mojibake_is_decoded_then_repaired() {
    assert_eq!(clean("Mar&Atilde;&shy;a"), "María");
    assert_eq!(clean("voil&Atilde;&nbsp; tout"), "voilà tout");
}

/// entities → unicode: what a reference decodes to is cleaned like the
/// character itself.
#[test]
fn an_entity_for_debris_is_cleaned_after_decoding() {
    assert_eq!(clean("Not&shy;fall and 10&nbsp;000"), "Notfall and 10 000");
}

/// mojibake → quotes: quotes spelt as mojibake are repaired before the
/// quote pass pairs them; the pass then sees curly quotes, not `â€œ`.
#[test]
fn mojibake_quotes_are_repaired_before_quotes_are_paired() {
    let text = "\u{e2}\u{20ac}\u{153}Yes,\u{e2}\u{20ac}\u{9d} he said. \u{201c}No.\u{201d}";
    assert_eq!(
        clean(text),
        "\u{201c}Yes,\u{201d} he said. \u{201c}No.\u{201d}"
    );
}

/// unicode → spacing: a no-break space made plain is then a double space,
/// and a zero-width space removed leaves a sentence without its space.
#[test]
fn spaces_unicode_leaves_are_tidied_by_spacing() {
    assert_eq!(clean("the\u{a0} vote"), "the vote");
    assert_eq!(clean("done.\u{200b}The end"), "done. The end");
}

/// spacing → dashes: spacing collapses the spaces around a spaced hyphen
/// but keeps one on each side, which the dash pass reads to tell a dash
/// from a hyphen.
#[test]
fn spacing_keeps_the_spaces_a_dash_is_told_by() {
    assert_eq!(clean("airstrike  -  a theory"), "airstrike — a theory");
    assert_eq!(clean("well-known"), "well-known");
}

/// dashes → spacing: the spacing stage after the dash pass tidies what a
/// new dash leaves.
#[test]
fn spacing_after_dashes_tidies_a_new_dash() {
    assert_eq!(clean("a -  b"), "a — b");
    assert_eq!(clean("agreed --  but"), "agreed — but");
}

/// spacing → quotes: a space before a closing quote's punctuation is
/// removed without unpairing the quotes.
#[test]
fn spacing_and_quotes_agree_on_pairs() {
    assert_eq!(
        clean("He said , \u{201c}yes .\u{201d} Then \"no\" ."),
        "He said, \u{201c}yes.\u{201d} Then \u{201c}no\u{201d}."
    );
}

/// entities → quotes: decoded `&quot;` pairs are quotes like any other.
#[test]
fn decoded_quotes_are_styled_with_the_rest() {
    assert_eq!(
        clean("&quot;No,&quot; he said. \u{201c}Yes,\u{201d} she said. \u{201c}Maybe.\u{201d}"),
        "\u{201c}No,\u{201d} he said. \u{201c}Yes,\u{201d} she said. \u{201c}Maybe.\u{201d}"
    );
}
