//! Property tests: the pipeline's promises over generated text.
//!
//! Text is built from rule phrases (the fixture pack, a pattern pack and
//! the default packs), quotes, awkward Unicode (combining marks, NBSP,
//! zero-width, emoji, right-to-left scripts) and every kind of line ending,
//! with or without a final newline. For every input:
//!
//! - cleaning is idempotent: `clean(clean(x)) == clean(x)`;
//! - the reported edits name their input bytes and rebuild the output,
//!   and the same comes of handing the pipeline the text to clean in place;
//! - bytes outside the applied edits come through unchanged, and so does
//!   the final line ending (or its absence);
//! - text with nothing to clean comes out byte for byte.

#![allow(clippy::print_stderr)]

use std::sync::{Arc, LazyLock};

use copydesk::document::Document;
use copydesk::rules::load::Loader;
use copydesk::{Options, Pipeline};
use proptest::prelude::*;

const FIXTURE: &str = include_str!("fixtures/pack.yaml");

/// Phrase variants next to the fixture's phrase rules (the default
/// packs bring the pattern rules, `lost-ellipsis` among them).
const EXTRA: &str = r#"pack: extra
rules:
  - id: usa-actions
    find: [USA actions, USA officials]
    replace: US actions
    case: sensitive
  - id: global-coalition
    find: global coalition
    replace: international coalition
    in_quotes: suggest
  - id: disbursed-crowd
    find: disbursed the crowd
    replace: dispersed the crowd
    unless: [disbursed the crowd funds]
"#;

fn pipeline(apply_suggestions: bool) -> Pipeline {
    let mut loader = Loader::new();
    loader.add_builtin();
    // The fixture's rules under their own ids: the default packs hold
    // rules of the same names.
    loader.add_source("fixture.yaml", FIXTURE.replace("- id: ", "- id: fixture-"));
    loader.add_source("extra.yaml", EXTRA);
    let set = loader.build().unwrap_or_else(|e| panic!("packs load: {e}"));
    Pipeline::new(
        Arc::new(set),
        Options {
            apply_suggestions,
            ..Options::default()
        },
    )
}

static FIXES: LazyLock<Pipeline> = LazyLock::new(|| pipeline(false));
static ALL: LazyLock<Pipeline> = LazyLock::new(|| pipeline(true));

/// Rule phrases, their case variants and near misses.
const PHRASES: &[&str] = &[
    "global law",
    "Global law",
    "GLOBAL LAW",
    "Global Law",
    "global lawn",
    "globally law",
    "Russian Federation",
    "the Russian Federation",
    "RUSSIAN FEDERATION",
    "when the arrive",
    "USA actions",
    "USA officials",
    "global coalition",
    "disbursed the crowd",
    "disbursed the crowd funds",
    "it.it's",
    "gas.we",
    "international law",
    "Russia",
    "[sic]",
    "https://example.com/global-law",
    "ed@example.org",
    "@globallaw",
];

/// Quotation marks of every kind.
const QUOTES: &[&str] = &[
    "\"", "'", "\u{201c}", "\u{201d}", "\u{2018}", "\u{2019}", "`", "\u{ab}", "\u{bb}", "\u{201e}",
];

/// Combining marks, NBSP, zero-width, emoji, right-to-left text.
const UNICODE: &[&str] = &[
    "e\u{301}",
    "\u{301}",
    "\u{a0}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{ad}",
    "\u{1f600}",
    "\u{1f469}\u{200d}\u{1f4bb}",
    "\u{1f1fa}\u{1f1f8}",
    "\u{5e9}\u{5dc}\u{5d5}\u{5dd}",
    "\u{645}\u{631}\u{62d}\u{628}\u{627}",
    "\u{200f}",
    "\u{202e}",
    "\u{130}",
    "\u{df}",
    "\u{fb01}",
];

/// Unicode that needs no cleaning: composed letters, emoji sequences,
/// flags, right-to-left scripts.
const CLEAN_UNICODE: &[&str] = &[
    "\u{e9}",
    "\u{1f600}",
    "\u{1f469}\u{200d}\u{1f4bb}",
    "\u{1f1fa}\u{1f1f8}",
    "\u{5e9}\u{5dc}\u{5d5}\u{5dd}",
    "\u{645}\u{631}\u{62d}\u{628}\u{627}",
    "\u{130}",
    "\u{df}",
];

/// Separators: spaces, tabs and every line ending.
const SEPS: &[&str] = &[
    " ", " ", " ", "  ", "\t", "\n", "\r\n", "\n\n", "\r\n\r\n", "\r", "\u{2028}",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(PHRASES).prop_map(String::from),
        3 => proptest::sample::select(SEPS).prop_map(String::from),
        2 => proptest::sample::select(QUOTES).prop_map(String::from),
        2 => proptest::sample::select(UNICODE).prop_map(String::from),
        2 => "[a-zA-Z]{1,8}",
        1 => "[.,;:!?()-]",
        1 => any::<String>().prop_map(|s| s.chars().take(4).collect()),
    ]
}

/// Text rich in rule phrases, quotes, Unicode and mixed line endings.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(token(), 0..40).prop_map(|t| t.concat())
}

/// Checks every promise for one input and returns the output.
fn check(p: &Pipeline, input: &str) -> Result<String, TestCaseError> {
    let out = p.run(input);
    let mut pos = 0;
    let mut built = String::new();
    for e in &out.edits {
        prop_assert_eq!(input.get(e.range.clone()), Some(e.before.as_str()));
        if !e.applied {
            continue;
        }
        prop_assert!(
            e.range.start >= pos,
            "applied edits overlap: {:?}",
            out.edits
        );
        built.push_str(&input[pos..e.range.start]);
        // The untouched bytes before this edit sit at the same place in the
        // output.
        prop_assert!(
            out.output.get(..built.len()) == Some(built.as_str()),
            "bytes before {:?} changed: {:?} vs {:?}",
            e.range,
            built,
            out.output
        );
        built.push_str(e.replacement());
        pos = e.range.end;
    }
    built.push_str(&input[pos..]);
    prop_assert_eq!(&built, &*out.output, "edits rebuild the output");
    prop_assert_eq!(
        copydesk::apply::apply(input, &out.edits),
        &*out.output,
        "apply() rebuilds the output"
    );
    let touches_end = out
        .edits
        .iter()
        .any(|e| e.applied && e.range.end + 2 >= input.len());
    if !touches_end {
        prop_assert_eq!(input.ends_with('\n'), out.output.ends_with('\n'));
        prop_assert_eq!(input.ends_with("\r\n"), out.output.ends_with("\r\n"));
    }
    // Handing the text over, to be rewritten in place, gives the same.
    let owned = p.run_owned(input.to_string(), &Document::plain());
    prop_assert_eq!(&*owned.output, &*out.output);
    prop_assert_eq!(&owned.edits, &out.edits);
    let again = p.run(&out.output);
    prop_assert_eq!(
        &*again.output,
        &*out.output,
        "not idempotent; second run: {:?}",
        again.edits
    );
    Ok(out.output.into_owned())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn fixes_keep_every_promise(s in text()) {
        check(&FIXES, &s)?;
    }

    #[test]
    fn suggestions_keep_every_promise(s in text()) {
        check(&ALL, &s)?;
    }

    #[test]
    fn cleaned_text_is_a_fixed_point(s in text()) {
        let once = check(&ALL, &s)?;
        let out = ALL.run(&once);
        prop_assert!(
            out.edits.iter().all(|e| !e.applied),
            "cleaning clean text applied {:?}",
            out.edits
        );
    }

    #[test]
    fn clean_text_passes_through_byte_for_byte(
        paras in proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![
                    "[a-z]{1,8}",
                    proptest::sample::select(CLEAN_UNICODE).prop_map(String::from),
                    Just("international law".to_string()),
                    Just("Russia".to_string()),
                ],
                1..12,
            ),
            0..6,
        ),
        newline in proptest::sample::select(vec!["\n", "\r\n"]),
        final_newline in any::<bool>(),
    ) {
        // Numbered paragraphs, so none repeats the one before it.
        let mut s = String::new();
        for (i, words) in paras.iter().enumerate() {
            if i > 0 {
                s.push_str(newline);
                s.push_str(newline);
            }
            s.push_str(&format!("{i}. {}", words.join(" ")));
        }
        if final_newline {
            s.push_str(newline);
        }
        let out = ALL.run(&s);
        prop_assert!(!out.changed());
        prop_assert_eq!(&*out.output, s.as_str());
    }

    #[test]
    fn line_endings_around_phrases_survive(
        pieces in proptest::collection::vec(
            (proptest::sample::select(PHRASES), proptest::sample::select(vec!["\n", "\r\n", " ", "\r\n\r\n", "\n\n"])),
            1..10,
        ),
        final_newline in any::<bool>(),
    ) {
        let mut s: String = pieces.iter().map(|(p, sep)| format!("{p}{sep}")).collect();
        if !final_newline {
            s.truncate(s.trim_end().len());
        }
        let out = check(&FIXES, &s)?;
        // A CRLF text gets no bare LF, and an LF text no CRLF.
        let bare_lf = |t: &str| t.matches('\n').count() > t.matches("\r\n").count();
        prop_assert!(bare_lf(&s) || !bare_lf(&out), "a bare LF appeared: {:?}", out);
        prop_assert!(s.contains("\r\n") || !out.contains("\r\n"), "a CRLF appeared: {:?}", out);
        prop_assert_eq!(s.ends_with('\n'), out.ends_with('\n'));
    }
}

#[test]
fn line_breaks_inside_phrases_are_kept_per_style() {
    // A CRLF inside a wrapped phrase stays a CRLF; the bytes around it stay.
    let out = FIXES.run("a\r\nglobal\r\nlaw\r\nb");
    assert_eq!(out.output, "a\r\ninternational\r\nlaw\r\nb");
    let out = FIXES.run("global\nlaw");
    assert_eq!(out.output, "international\nlaw");
}

/// Words for generated packs: few, so rules overlap and chain often.
const VOCAB: &[&str] = &["global", "law", "the", "us", "Russia", "today", "é"];

fn words(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(VOCAB), 1..=max).prop_map(|w| w.join(" "))
}

/// A pack of one to four phrase rules over [`VOCAB`], with any case mode,
/// boundary and level.
fn small_pack() -> impl Strategy<Value = String> {
    let rule = (
        words(3),
        proptest::option::of(words(3)),
        words(3),
        0..3u8,
        any::<bool>(),
        0..3u8,
    );
    proptest::collection::vec(rule, 1..5).prop_map(|rules| {
        let mut y = String::from("pack: gen\nrules:\n");
        for (i, (find, variant, replace, case, sub, level)) in rules.iter().enumerate() {
            y.push_str(&format!("  - id: r{i}\n    find: [\"{find}\""));
            if let Some(v) = variant {
                y.push_str(&format!(", \"{v}\""));
            }
            y.push_str(&format!(
                "]\n    replace: \"{replace}\"\n    case: {}\n    boundary: {}\n    level: {}\n",
                ["smart", "sensitive", "insensitive"][usize::from(*case)],
                if *sub { "none" } else { "word" },
                ["fix", "suggest", "fix"][usize::from(*level)],
            ));
        }
        y
    })
}

fn vocab_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::sample::select(VOCAB).prop_map(String::from),
            1 => Just("GLOBAL".to_string()),
            1 => Just("Today".to_string()),
            3 => proptest::sample::select(vec![" ", " ", "\n", "\r\n", "\n\n", ", ", ".", "\u{a0}"]).prop_map(String::from),
        ],
        0..30,
    )
    .prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Any pack the loader accepts keeps every promise: a pack whose rules
    /// could cascade must be refused when loaded, not discovered in output.
    #[test]
    fn every_accepted_generated_pack_is_idempotent(yaml in small_pack(), s in vocab_text(), suggestions in any::<bool>()) {
        let mut loader = Loader::new();
        loader.add_source("gen.yaml", yaml.as_str());
        let Ok(set) = loader.build() else {
            return Ok(());
        };
        let p = Pipeline::new(Arc::new(set), Options { apply_suggestions: suggestions, ..Options::default() });
        check(&p, &s).map_err(|e| TestCaseError::fail(format!("{e}\npack:\n{yaml}")))?;
    }
}
