//! Regression tests, one per bug found by fuzzing or property testing,
//! each named after the bug. `docs/guarantees.md` lists them.

use crate::util::{clean, out, pipeline, summary};

const ELLIPSIS: &str = r#"
pack: t
rules:
  - id: lost-ellipsis
    pattern: '\b(\p{Ll}{2,})\.(\p{Ll}{2,})\b'
    replace: '$1… $2'
  - id: disbursed
    find: disbursed the crowd
    replace: dispersed the crowd
"#;

/// `gas.weit.it's`: the regex iterator consumed `weit` with the first
/// match, so only a second run repaired `weit.it`. Pattern edits now leave
/// their unchanged tail out and the search resumes there.
#[test]
fn chained_pattern_matches_are_all_repaired_in_one_run() {
    let p = pipeline(ELLIPSIS);
    assert_eq!(out(&p, "gas.weit.it's"), "gas… weit… it's");
    assert_eq!(out(&p, "aa.bb.cc.dd"), "aa… bb… cc… dd");
    let edits = clean(&p, "gas.weit.it's").edits;
    assert_eq!(
        summary(&edits),
        [
            (
                "lost-ellipsis".into(),
                "gas.".into(),
                Some("gas… ".into()),
                true
            ),
            (
                "lost-ellipsis".into(),
                "weit.".into(),
                Some("weit… ".into()),
                true
            ),
        ]
    );
}

/// The fix above resumed the search inside the kept end of a match, where
/// `\w+` found the rest of a word on its own: `Russia` → `lob` + `loba`,
/// which a second run turned into `loba`. A resumed match now counts only
/// if it is where the edited text's leftmost match would start.
#[test]
fn pattern_resumed_inside_a_word_does_not_match_its_tail() {
    let p = pipeline("pack: p\nrules:\n  - id: word\n    pattern: '(\\w+)'\n    replace: loba\n    boundary: none\n");
    assert_eq!(out(&p, "Russia"), "loba");
    assert_eq!(out(&p, "the Russia"), "loba loba");
}

/// A suggestion that ended inside an earlier replacement reported the
/// replaced text as `before` while its range named the input bytes.
#[test]
fn reported_edit_over_a_replacement_names_input_bytes() {
    let text = "lawn.disbursed the crowd";
    let p = pipeline(
        "pack: t\nrules:\n  - id: disbursed\n    find: disbursed the crowd\n    replace: dispersed the crowd\n  - id: scattered\n    pattern: '\\.dispersed'\n    replace: '; scattered'\n    level: suggest\n",
    );
    let o = clean(&p, text);
    assert_eq!(o.output, "lawn.dispersed the crowd");
    for e in &o.edits {
        assert_eq!(&text[e.range.clone()], e.before, "{e:?}");
    }
    let s = o.edits.iter().find(|e| !e.applied).unwrap();
    assert_eq!(s.before, ".disbursed the crowd");
    assert_eq!(s.after.as_deref(), Some("; scattered the crowd"));
}

/// A pattern whose literal replacement it matches again (`\]` → `] ]`)
/// grew on every run; it is now refused at load time.
#[test]
fn pattern_with_self_matching_literal_replacement_is_refused() {
    let mut l = copydesk::rules::load::Loader::new();
    l.add_source(
        "p.yaml",
        "pack: p\nrules:\n  - id: grow\n    pattern: '\\]'\n    replace: '] ]'\n",
    );
    let e = l.build().unwrap_err().to_string();
    assert!(
        e.starts_with(
            "p.yaml:3:5: rule `grow`: cycle: its replacement `] ]` is rewritten by rule `grow`"
        ),
        "{e}"
    );
}

/// A pattern whose replacement, built from captures, matches again
/// (`(\w+)!` → `$1!!`) is reported as a flag, never applied.
#[test]
fn pattern_whose_expanded_replacement_matches_again_is_only_flagged() {
    let p =
        pipeline("pack: p\nrules:\n  - id: bang\n    pattern: '(\\w+)!'\n    replace: '$1!!'\n");
    let o = clean(&p, "wow!");
    assert_eq!(o.output, "wow!");
    assert_eq!(o.edits.len(), 1);
    assert!(!o.edits[0].applied);
    assert_eq!(o.edits[0].level, copydesk::Level::Flag);
    assert!(
        o.edits[0].why.contains("would itself be rewritten"),
        "{:?}",
        o.edits[0].why
    );
}

/// Three copies of a paragraph at the end of a text left two: the last
/// removal overlapped the one before it and was dropped.
#[test]
fn triple_repeated_paragraph_at_end_leaves_one() {
    let p = pipeline("pack: p\n");
    assert_eq!(out(&p, "A\r\n\r\nA\r\n\r\nA"), "A");
    assert_eq!(
        out(&p, "global law\n\nglobal law\n\nglobal law\n"),
        "global law\n"
    );
}

fn load_err(yaml: &str) -> Option<String> {
    let mut l = copydesk::rules::load::Loader::new();
    l.add_source("p.yaml", yaml);
    l.build().err().map(|e| e.to_string())
}

/// `Russian Federation` → `Russia` followed by ` Today` formed `Russia
/// Today`, which a second run rewrote to `RT`: the loader only checked a
/// replacement on its own. Such packs load (`rules lint` names both
/// rules); at run time an edit whose replacement forms another rule's
/// phrase with the text around it is flagged, never applied.
#[test]
fn replacement_forming_a_phrase_with_its_context_is_only_flagged() {
    for (yaml, text, applies) in [
        ("pack: p\nrules:\n  - id: russian-federation\n    find: Russian Federation\n    replace: Russia\n  - id: russia-today\n    find: Russia Today\n    replace: RT\n",
         "Russian Federation Today", "Russian Federation said"),
        ("pack: p\nrules:\n  - id: global-law\n    find: global law\n    replace: international law\n  - id: rules-of-law\n    find: rules of international\n    replace: rules of\n",
         "rules of global law", "breaks global law"),
        ("pack: p\nrules:\n  - id: usa\n    find: USA\n    replace: US\n  - id: the-us-of-a\n    find: the US of\n    replace: the United States of\n",
         "the USA of", "the USA said"),
    ] {
        let p = pipeline(yaml);
        let o = clean(&p, text);
        assert_eq!(o.output, text, "{text}");
        assert_eq!(o.edits[0].level, copydesk::Level::Flag, "{text}");
        assert_ne!(out(&p, applies), applies, "{applies}");
    }
}

/// Cascade warnings of `rules lint` for an inline pack.
fn cascade_warnings(yaml: &str) -> Vec<String> {
    let mut l = copydesk::rules::load::Loader::new();
    l.add_source("p.yaml", yaml);
    let set = l.build().unwrap_or_else(|e| panic!("loads: {e}"));
    copydesk::rules::lint::lint(&set)
        .into_iter()
        .filter(|w| w.kind.as_str() == "cascade")
        .map(|w| w.to_string())
        .collect()
}

/// Word boundaries rule out cascades that cannot happen: `Russia` is never
/// followed by `n` where a whole-word rule matched. Lint reports the
/// possible ones only.
#[test]
fn impossible_context_cascades_are_not_reported() {
    assert_eq!(cascade_warnings("pack: p\nrules:\n  - id: russian-federation\n    find: Russian Federation\n    replace: Russia\n  - id: russian-team\n    find: russian team\n    replace: Russia's team\n"), Vec::<String>::new());
    let w = cascade_warnings("pack: p\nrules:\n  - id: russian-federation\n    find: Russian Federation\n    replace: Russia\n  - id: russia-today\n    find: Russia Today\n    replace: RT\n");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("rule `russian-federation`: cascade") && w[0].contains("russia-today"),
        "{w:?}"
    );
    assert_eq!(load_err(include_str!("../fixtures/pack.yaml")), None);
}

/// The same pack as the cascade test, run twice, if it had loaded.
#[test]
fn context_cascade_would_not_have_been_idempotent() {
    let p = pipeline("pack: p\nrules:\n  - id: russian-federation\n    find: Russian Federation\n    replace: Russia\n");
    assert_eq!(out(&p, "Russian Federation Today"), "Russia Today");
}

/// A pattern with `requires: [global]` replaced spaces with text holding
/// spaces; the self-check ran the replacement alone, where `requires` was
/// not met, so it never saw the rule rewrite its own output.
#[test]
fn requires_does_not_hide_a_self_rewriting_replacement() {
    let e = load_err("pack: p\nrules:\n  - id: spaces\n    pattern: '\\s+'\n    replace: 'a b '\n    requires: [global]\n").unwrap();
    assert!(e.contains("rule `spaces`: cycle"), "{e}");
    let p = pipeline("pack: p\nrules:\n  - id: spaces\n    pattern: '(\\s+)'\n    replace: 'a$1b '\n    requires: [global]\n");
    let o = clean(&p, "global\u{2028}");
    assert_eq!(o.output, "global\u{2028}");
    assert_eq!(o.edits[0].level, copydesk::Level::Flag);
}

/// `(\p{Ll})\b` → `` deleted the last letter of `global`, making `a` the
/// last letter for the next run: a pattern cascading through the text
/// next to its replacement. Such an edit is now only flagged.
#[test]
fn pattern_that_matches_again_beside_its_replacement_is_only_flagged() {
    let p = pipeline(
        "pack: p\nrules:\n  - id: last-letter\n    pattern: '(\\p{Ll})\\b'\n    replace: ''\n",
    );
    let o = clean(&p, "global");
    assert_eq!(o.output, "global");
    assert_eq!(o.edits[0].level, copydesk::Level::Flag);
    assert!(
        o.edits[0].why.contains("would match again"),
        "{:?}",
        o.edits[0].why
    );
    // A chain is not a cascade: each link was a match already.
    let p = pipeline(ELLIPSIS);
    assert_eq!(out(&p, "aa.bb.cc"), "aa… bb… cc");
}

/// A rule that can cascade only into itself is the design's own example
/// (`the Putin would` → `Putin would`): it loads, and only the edit that
/// would cascade (after a doubled `the`) is flagged.
#[test]
fn rule_cascading_into_itself_is_checked_per_edit() {
    let p = crate::util::pipeline_with(
        "pack: p\nrules:\n  - id: the-putin\n    find: the Putin would\n    replace: Putin would\n    level: suggest\n",
        copydesk::Options { apply_suggestions: true, ..Default::default() },
    );
    assert_eq!(out(&p, "said the Putin would"), "said Putin would");
    let o = clean(&p, "the the Putin would");
    assert_eq!(o.output, "the the Putin would");
    assert_eq!(o.edits[0].level, copydesk::Level::Flag);
    let p = pipeline("pack: p\nrules:\n  - id: doubled\n    find: the the\n    replace: the\n");
    assert_eq!(out(&p, "at the the end"), "at the end");
    assert_eq!(out(&p, "the the the"), "the the the");
}

/// The check above took a match right after an empty replacement for a new
/// one, so `.` → `` flagged every deletion but the last: `global` became
/// `globa`, then `glob`. The end of an empty replacement is where the text
/// after the edit starts.
#[test]
fn adjacent_deletions_are_all_applied() {
    let p = pipeline("pack: p\nrules:\n  - id: any\n    pattern: '.'\n    replace: ''\n");
    assert_eq!(out(&p, "global"), "");
    let p = pipeline("pack: p\nrules:\n  - id: pairs\n    pattern: '..'\n    replace: ''\n");
    assert_eq!(out(&p, "\tLAWé"), "é");
}

/// Found by the `markdown` fuzz target: the two spaces after a control
/// character end a line as a hard line break, so Markdown protects them.
/// Removing the control left a line of spaces only, and the next round,
/// reading the structure again, removed the spaces too: an edit touched
/// what the input protected. An edit that changes the document's structure
/// is now held back like one that changes a URL.
#[test]
fn removed_control_does_not_unprotect_a_hard_line_break() {
    let p = pipeline("pack: p\nrules:\n  - id: x\n    find: nothing here\n    replace: none\n");
    let doc = copydesk::Document::markdown();
    for text in [
        "\u{0}  \n`",
        "\u{1}  \nnext line\n",
        "Para\u{1}  \nnext line\n",
    ] {
        let out = p.run_with(text, &doc);
        let md = copydesk::markdown::analyse(text);
        for e in out.edits.iter().filter(|e| e.applied) {
            assert!(
                !md.protected.overlaps(&e.range),
                "{text:?}: edit {e:?} touches {:?}",
                md.protected
            );
        }
        let again = p.run_with(&out.output, &doc);
        assert_eq!(again.output, out.output, "{text:?}: idempotent");
    }
}
