//! Matching semantics: boundaries, smart case, exceptions, overlaps,
//! leftmost-longest, non-ASCII, line breaks, CRLF, context conditions.

use copydesk::{Level, Options};

use crate::util::{clean, out, pipeline, pipeline_with, summary};

const PACK: &str = r#"
pack: t
rules:
  - id: global-law
    find: [global law, global coalition]
    replace: international law
  - id: russia
    find: Russian Federation
    replace: Russia
    unless: [the Russian Federation]
  - id: emigre
    find: émigré
    replace: exile
  - id: law-firm
    find: global law firm
    replace: worldwide law firm
  - id: new-york
    find: new york times
    replace: New York Times
    case: sensitive
  - id: fake-news
    find: counterfeit news
    replace: fake news
  - id: in-the-cloud
    find: [in the haze, in the haze computing]
    replace: in the cloud
  - id: usa-adj
    pattern: '\bUSA (actions?|officials?)\b'
    replace: 'US $1'
"#;

#[test]
fn whole_words_only_with_unicode_boundaries() {
    let p = pipeline(PACK);
    assert_eq!(out(&p, "globally law"), "globally law");
    assert_eq!(out(&p, "the global lawn"), "the global lawn");
    assert_eq!(out(&p, "(global law)"), "(international law)");
    assert_eq!(out(&p, "églobal law"), "églobal law");
    assert_eq!(out(&p, "global lawğ"), "global lawğ");
    assert_eq!(out(&p, "a_global law"), "a_global law");
    assert_eq!(out(&p, "é global law é"), "é international law é");
}

#[test]
fn smart_case_keeps_the_case_shape() {
    let p = pipeline(PACK);
    assert_eq!(out(&p, "Global law"), "International law");
    assert_eq!(out(&p, "GLOBAL LAW"), "INTERNATIONAL LAW");
    assert_eq!(out(&p, "Global Law"), "International Law");
    assert_eq!(
        out(&p, "Émigré and ÉMIGRÉ and émigré"),
        "Exile and EXILE and exile"
    );
}

#[test]
fn a_find_with_capitals_matches_exactly() {
    let p = pipeline(PACK);
    assert_eq!(out(&p, "Russian Federation"), "Russia");
    assert_eq!(out(&p, "russian federation"), "russian federation");
    assert_eq!(out(&p, "RUSSIAN FEDERATION"), "RUSSIAN FEDERATION");
    // `case: sensitive` with a lowercase find matches only lowercase.
    assert_eq!(out(&p, "new york times"), "New York Times");
    assert_eq!(out(&p, "New york times"), "New york times");
}

#[test]
fn unless_phrases_protect_what_they_cover() {
    let p = pipeline(PACK);
    assert_eq!(out(&p, "visit Russian Federation"), "visit Russia");
    assert_eq!(
        out(&p, "visit the Russian Federation"),
        "visit the Russian Federation"
    );
    // Case-insensitive and across a line break.
    assert_eq!(
        out(&p, "The\nRussian Federation said"),
        "The\nRussian Federation said"
    );
    // `breathe` is not `the`.
    assert_eq!(out(&p, "breathe Russian Federation"), "breathe Russia");
}

#[test]
fn leftmost_longest_and_nested_phrases() {
    let p = pipeline(PACK);
    assert_eq!(out(&p, "a global law firm"), "a worldwide law firm");
    assert_eq!(out(&p, "in the haze computing era"), "in the cloud era");
    assert_eq!(out(&p, "in the haze"), "in the cloud");
}

#[test]
fn shorter_phrase_gets_its_chance_when_longest_fails_boundary() {
    let p = pipeline(PACK);
    // `global law firms` fails the boundary for `global law firm`, but
    // `global law` still matches at the same place.
    assert_eq!(out(&p, "global law firms"), "international law firms");
    assert_eq!(out(&p, "in the haze computings"), "in the cloud computings");
}

#[test]
fn phrases_match_across_line_breaks_and_keep_them() {
    let p = pipeline(PACK);
    assert_eq!(
        out(&p, "violated global\nlaw."),
        "violated international\nlaw."
    );
    // The gap is kept by the phrase rule (the spacing pass, off here,
    // would then collapse it).
    let keep_gaps = pipeline_with(
        PACK,
        Options {
            disabled: ["double-space".to_string()].into(),
            ..Options::default()
        },
    );
    assert_eq!(
        out(&keep_gaps, "violated global   law."),
        "violated international   law."
    );
    assert_eq!(out(&p, "to Russian\nFederation."), "to Russia.");
}

#[test]
fn crlf_and_bytes_outside_edits_survive() {
    let p = pipeline(PACK);
    let text = "\u{feff}line one\r\nglobal law\r\n\r\n  indented\tcounterfeit news";
    assert_eq!(
        out(&p, text),
        "\u{feff}line one\r\ninternational law\r\n\r\n  indented\tfake news"
    );
    assert_eq!(out(&p, "global\r\nlaw"), "international\r\nlaw");
}

#[test]
fn non_ascii_around_matches_keeps_positions() {
    let p = pipeline(PACK);
    let text = "«Ğüzel» — global law, 日本 global coalition…";
    let o = clean(&p, text);
    assert_eq!(
        o.output,
        "«Ğüzel» — international law, 日本 international law…"
    );
    for e in &o.edits {
        assert_eq!(&text[e.range.clone()], e.before);
    }
}

#[test]
fn sic_protects_a_quoted_error() {
    let p = pipeline(PACK);
    assert_eq!(out(&p, "\"global law [sic]\""), "\"global law [sic]\"");
    assert_eq!(
        out(&p, "global law [sic] and global law"),
        "global law [sic] and international law"
    );
}

#[test]
fn replacements_are_never_rescanned() {
    // The replacement `b a` followed by `b` forms `a b` again: one run
    // never looks at its own output, so it is left for the next run.
    let p = pipeline("pack: t\nrules:\n  - id: ab\n    find: a b\n    replace: b a\n");
    assert_eq!(p.run("a b b").output, "b a b");
}

#[test]
fn urls_emails_and_handles_are_protected() {
    let p = pipeline(PACK);
    assert_eq!(
        out(&p, "see https://example.com/global law and global law"),
        "see https://example.com/global law and international law"
    );
    assert_eq!(out(&p, "#counterfeit news"), "#counterfeit news");
    assert_eq!(
        out(&p, "ed@global.law.com global law"),
        "ed@global.law.com international law"
    );
}

#[test]
fn levels_and_suggestions() {
    let pack = "pack: t\nrules:\n  - id: s\n    find: the Putin would\n    replace: Putin would\n    level: suggest\n  - id: f\n    find: hmm\n    level: flag\n";
    let p = pipeline(pack);
    let o = clean(&p, "the Putin would hmm");
    assert_eq!(o.output, "the Putin would hmm");
    let s = summary(&o.edits);
    assert_eq!(
        s[0],
        (
            "s".into(),
            "the Putin would".into(),
            Some("Putin would".into()),
            false
        )
    );
    assert_eq!(s[1], ("f".into(), "hmm".into(), None, false));
    assert_eq!(o.edits[0].level, Level::Suggest);
    let p = pipeline_with(
        pack,
        Options {
            apply_suggestions: true,
            ..Options::default()
        },
    );
    assert_eq!(out(&p, "the Putin would hmm"), "Putin would hmm");
}

#[test]
fn requires_needs_the_context_phrase_anywhere_in_the_document() {
    let pack = "pack: t\nrules:\n  - id: ai\n    find: counterfeit consciousness\n    replace: artificial intelligence\n    requires: [computer, algorithm]\n";
    let p = pipeline(pack);
    assert_eq!(
        out(&p, "counterfeit consciousness"),
        "counterfeit consciousness"
    );
    assert_eq!(
        out(&p, "counterfeit consciousness runs on a Computer."),
        "artificial intelligence runs on a Computer."
    );
    assert_eq!(
        out(&p, "counterfeit consciousness, computerised"),
        "counterfeit consciousness, computerised"
    );
}

#[test]
fn in_quotes_apply_suggest_or_skip() {
    let pack = r#"
pack: t
rules:
  - id: apply
    find: global law
    replace: international law
  - id: suggest
    find: could of
    replace: could have
    in_quotes: suggest
  - id: skip
    find: irregardless
    replace: regardless
    in_quotes: skip
"#;
    let p = pipeline(pack);
    let text = "“global law, could of, irregardless” could of irregardless";
    let o = clean(&p, text);
    assert_eq!(
        o.output,
        "“international law, could of, irregardless” could have regardless"
    );
    let s = summary(&o.edits);
    assert_eq!(s.len(), 4, "{s:?}");
    assert!(!s[1].3, "quoted `could of` is only suggested");
}

#[test]
fn pattern_rules_expand_captures() {
    let p = pipeline(PACK);
    assert_eq!(out(&p, "aggressive USA actions"), "aggressive US actions");
    assert_eq!(out(&p, "USA Today"), "USA Today");
}

#[test]
fn edits_carry_rule_and_original_position() {
    let p = pipeline(PACK);
    let text = "x\r\nglobal law é Russian Federation";
    let o = clean(&p, text);
    let pos = copydesk::edit::positions(text, &o.edits);
    assert_eq!((pos[0].line, pos[0].column), (2, 1));
    assert_eq!((pos[1].line, pos[1].column), (2, 14));
    assert_eq!(&*o.edits[1].rule, "russia");
    assert_eq!(o.edits[1].range, 17..35);
}

#[test]
fn repeated_paragraph_is_removed_once() {
    let p = pipeline("pack: t\nrules: []\n");
    assert_eq!(out(&p, "Head\n\nHead\n\nBody\n"), "Head\n\nBody\n");
    assert_eq!(out(&p, "Head\n\nhead  \n\nHEAD\n\nBody"), "Head\n\nBody");
    assert_eq!(out(&p, "Head\n\nBody\n\nHead\n"), "Head\n\nBody\n\nHead\n");
    assert_eq!(out(&p, "A\r\n\r\nA\r\n"), "A\r\n");
}
