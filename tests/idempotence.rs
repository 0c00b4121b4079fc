//! The whole pipeline is idempotent: `clean(clean(x)) == clean(x)` for every
//! input and every setting, and the reported edits rebuild the output.
//!
//! The generated text mixes everything the passes read and everything they
//! must leave alone: URLs, addresses, handles and file names next to words
//! and quotes, mojibake fragments, C1 controls, byte-order marks, odd spaces,
//! entities, punctuation and dashes. Each case draws its own settings.
//! `PROPTEST_CASES` raises the number of cases; failures found once are kept
//! below as named regressions.

use std::sync::{Arc, LazyLock};

use copydesk::apply::apply;
use copydesk::rules::load::Loader;
use copydesk::rules::RuleSet;
use copydesk::settings::Settings;
use copydesk::{Document, Options, Pipeline};
use proptest::prelude::*;

/// No rule packs: the passes alone.
static EMPTY: LazyLock<Arc<RuleSet>> =
    LazyLock::new(|| Arc::new(Loader::new().build().expect("no packs load")));

/// The default packs, as `copydesk clean` runs them.
static BUILTIN: LazyLock<Arc<RuleSet>> = LazyLock::new(|| {
    let mut l = Loader::new();
    l.add_builtin();
    Arc::new(l.build().expect("default packs load"))
});

/// The settings that change what a pass writes (and so what the next run
/// reads), with every value each one takes.
const CHOICES: &[(&str, &[&str])] = &[
    ("spacing.french", &["off", "on"]),
    ("quotes.style", &["dominant", "curly", "straight"]),
    ("quotes.primes", &["keep", "prime"]),
    (
        "dashes.style",
        &["dominant", "em-spaced", "em", "en-spaced", "keep"],
    ),
    ("ellipsis.style", &["keep", "char", "dots"]),
    ("unicode.form", &["nfc", "nfkc", "none"]),
    ("unicode.spaces", &["plain", "keep"]),
];

/// One setting combination, as indices into [`CHOICES`].
#[derive(Clone, Debug)]
struct Setup {
    values: Vec<usize>,
    suggest: bool,
    packs: bool,
    markdown: bool,
}

impl Setup {
    fn pipeline(&self) -> Pipeline {
        let mut settings = Settings::default();
        for ((key, values), &v) in CHOICES.iter().zip(&self.values) {
            settings.set(key, values[v]).expect("known option");
        }
        let rules = if self.packs { &BUILTIN } else { &EMPTY };
        Pipeline::new(
            Arc::clone(rules),
            Options {
                apply_suggestions: self.suggest,
                settings,
                ..Options::default()
            },
        )
    }

    fn document(&self) -> Document {
        if self.markdown {
            Document::markdown()
        } else {
            Document::plain()
        }
    }
}

fn setup() -> impl Strategy<Value = Setup> {
    let values: Vec<_> = CHOICES.iter().map(|(_, v)| 0..v.len()).collect();
    (
        values,
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(values, suggest, packs, markdown)| Setup {
            values,
            suggest,
            packs,
            markdown,
        })
}

/// A setup from `key=value` pairs (the rest at their defaults).
fn setup_from(pairs: &[&str], suggest: bool) -> Setup {
    let mut values = vec![0; CHOICES.len()];
    for pair in pairs {
        let (k, v) = pair.split_once('=').expect("key=value");
        let i = CHOICES.iter().position(|(key, _)| *key == k).expect("key");
        values[i] = CHOICES[i].1.iter().position(|x| *x == v).expect("value");
    }
    Setup {
        values,
        suggest,
        packs: false,
        markdown: false,
    }
}

/// Pieces of scraped text, weighted towards the marks passes argue about.
const PIECES: &[&str] = &[
    // words and names
    "The",
    "word",
    "done",
    "s",
    "n",
    "Ja",
    "90",
    "5",
    "1,000",
    "3.5",
    "U.S.",
    "Mr",
    "caf",
    "NESTL\u{c9}",
    "\u{e9}t\u{e9}",
    "\u{3b1}",
    "\u{4e2d}",
    "global law",
    "Russian Federation",
    // protected shapes
    "www.example.com",
    "http://a.com/x",
    "https://x.org/a?b=1",
    "a@b.org",
    "report.pdf",
    "bbc.co.uk",
    "@handle",
    "#tag",
    "#1",
    // spaces and breaks
    " ",
    " ",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\u{a0}",
    "\u{202f}",
    "\u{2009}",
    "\u{3000}",
    // invisible debris
    "\u{feff}",
    "\u{200b}",
    "\u{200d}",
    "\u{ad}",
    // punctuation
    ".",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "(",
    ")",
    "...",
    "\u{2026}",
    "-",
    " - ",
    "--",
    "\u{2013}",
    "\u{2014}",
    "\\",
    "`",
    "``",
    // quotes
    "\"",
    "\"",
    "'",
    "'",
    "''",
    "\u{201c}",
    "\u{201d}",
    "\u{2018}",
    "\u{2019}",
    "\u{2019}\u{2019}",
    "\u{201e}",
    "\u{ab}",
    "\u{bb}",
    "\u{b4}",
    "\u{2032}",
    // mojibake fragments (Windows-1252 and Latin-1 readings of UTF-8)
    "\u{e2}\u{20ac}\u{2122}",
    "\u{e2}\u{20ac}\u{153}",
    "\u{e2}\u{20ac}\u{9d}",
    "\u{e2}\u{20ac}",
    "\u{e2}\u{20ac}\u{201d}",
    "\u{c3}\u{a9}",
    "\u{c3}\u{a2}\u{e2}\u{201a}\u{ac}",
    "\u{c3}",
    "\u{c2}\u{a3}",
    "\u{c2}",
    "\u{ce}",
    "\u{f0}\u{178}\u{2018}\u{8d}",
    "\u{e2}\u{80}\u{9c}",
    "\u{e2}\u{80}\u{99}",
    "\u{a3}",
    "\u{bf}",
    "\u{fffd}",
    // entities
    "&amp;",
    "&#39;",
    "&quot;",
    "&amp;#x2019;",
    "&nbsp;",
];

/// C1 controls: Latin-1 readings of Windows-1252 bytes, and the five bytes
/// Windows-1252 leaves undefined.
const C1: &[&str] = &[
    "\u{80}", "\u{81}", "\u{85}", "\u{8d}", "\u{90}", "\u{9d}", "\u{9f}",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..48).prop_map(|v| v.concat())
}

fn text_with_c1() -> impl Strategy<Value = String> {
    let all: Vec<&str> = PIECES.iter().chain(C1).copied().collect();
    prop::collection::vec(prop::sample::select(all), 0..48).prop_map(|v| v.concat())
}

/// Runs `text` twice under `setup`: the second run must change nothing, and
/// the first run's edits must rebuild its output.
fn check(text: &str, setup: &Setup) -> Result<(), String> {
    let p = setup.pipeline();
    let doc = setup.document();
    let once = p.run_with(text, &doc);
    let rebuilt = apply(text, &once.edits);
    if rebuilt != once.output {
        return Err(format!(
            "edits do not rebuild the output of {text:?} under {setup:?}: {rebuilt:?} vs {:?}",
            once.output
        ));
    }
    let twice = p.run_with(&once.output, &doc);
    if twice.output != once.output {
        return Err(format!(
            "not idempotent on {text:?} under {setup:?}:\n once {:?}\ntwice {:?}",
            once.output, twice.output
        ));
    }
    Ok(())
}

proptest! {
    // At least 1,000 cases; PROPTEST_CASES raises it.
    #![proptest_config(ProptestConfig {
        cases: ProptestConfig::default().cases.max(1000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn whole_pipeline_is_idempotent(t in text(), s in setup()) {
        if let Err(e) = check(&t, &s) {
            prop_assert!(false, "{}", e);
        }
    }

    /// C1 controls among mojibake runs, the most adversarial input.
    #[test]
    fn whole_pipeline_is_idempotent_with_c1_controls(t in text_with_c1(), s in setup()) {
        if let Err(e) = check(&t, &s) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// A NEL (`\u{85}`, Latin-1 for Windows-1252's `…`) between a URL's full
/// stop and a mojibake run: a first round leaves the run alone, a second
/// repairs it.
#[test]
fn c1_control_between_a_url_and_a_mojibake_run() {
    check(
        "www.example.com.\u{85}\u{e2}\u{20ac}\u{2122}",
        &setup_from(&[], false),
    )
    .unwrap();
}

/// Runs one named case under every setting combination of [`CHOICES`],
/// with and without suggestions.
fn every_setup(text: &str) {
    let mut failures = Vec::new();
    let total: usize = CHOICES.iter().map(|(_, v)| v.len()).product();
    for n in 0..total {
        let mut rest = n;
        let values: Vec<usize> = CHOICES
            .iter()
            .map(|(_, v)| {
                let i = rest % v.len();
                rest /= v.len();
                i
            })
            .collect();
        for suggest in [false, true] {
            let s = Setup {
                values: values.clone(),
                suggest,
                packs: false,
                markdown: false,
            };
            if let Err(e) = check(text, &s) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Removing a byte-order mark glues a URL to the word before it; the quotes
/// after the URL must read the same in both runs.
#[test]
fn url_glued_by_a_removed_bom() {
    every_setup("The\u{feff}www.example.com\u{201c}The.\u{2019}\u{2019}");
}

/// French spacing and the quotes pass agree about the space before `!`.
#[test]
fn french_space_before_a_closing_quote() {
    let text = "www.example.com !\u{201d} , ";
    check(text, &setup_from(&["spacing.french=on"], false)).unwrap();
    every_setup(text);
}

/// A mojibake run that starts inside a URL, then an undefined C1 control
/// before a second run.
#[test]
fn mojibake_after_a_url_and_an_undefined_control() {
    every_setup("www.example.com\u{f0}\u{178}\u{2018}\u{8d}\u{e2}\u{20ac}\u{2122}");
}
/// An opening quote that the quotes pass makes straight (a closer to the
/// spacing pass), before a comma and an ellipsis NFKC writes as dots.
#[test]
fn straight_quote_before_a_comma_and_an_ellipsis() {
    every_setup("\u{e2}\u{20ac}\u{153}&nbsp;,\"...The");
}

/// A C1 control the unicode pass removes from the end of a mojibake run,
/// and a quote restyled after a leftover `Â`.
#[test]
fn later_passes_do_not_spell_mojibake() {
    every_setup("\u{e2}\u{20ac}\u{2122}\u{c3}\u{b4}\u{c2}\u{81}The");
    every_setup("``The\u{c2}\"The");
    every_setup("\u{e2}\u{20ac}\"www.example.comglobal law\u{e2}\u{20ac}\u{153}");
    every_setup("\u{c3}\u{a9}\u{8d}?\u{201d}");
}

/// A control removed before a URL would glue it to the word before.
#[test]
fn removed_control_before_a_url() {
    every_setup("The\u{8d}http://a.com/x\u{e2}\u{20ac}\u{2122}");
}

/// With `unicode.form=nfkc` a double prime is written as NFKC leaves it.
#[test]
fn primes_under_nfkc() {
    every_setup("90\"");
}

/// With suggestions applied, `lost-ellipsis` matches `foo.bar` and could
/// reach `bar.baz` only on a second run: the second round does it.
#[test]
fn chain_of_dotted_words_with_suggestions() {
    let s = Setup {
        packs: true,
        ..setup_from(&[], true)
    };
    let p = s.pipeline();
    let out = p.run("it was gone.they left.then it rained\n");
    assert_eq!(out.output, "it was gone… they left… then it rained\n");
    check("foo.bar.baz and gone.they left.then\n", &s).unwrap();
}

/// Mojibake that makes the input read as another language than its
/// repaired self (a kept no-break space, a quote judged by the wrong
/// profile): the languages are found after the encoding repairs.
#[test]
fn language_read_after_mojibake_is_repaired() {
    every_setup(
        "\u{e2}\u{20ac}\u{153}90NESTL\u{c9}www.example.comglobal lawsnU.S.\u{a0}report.pdfThe",
    );
    every_setup(
        "NESTL\u{c9}TheTheThe https://x.org/a?b=1TheTheglobal lawTheThebbc.co.ukThe#tag\u{e2}\u{20ac}\u{153}\"\u{fffd}\u{feff}\n\n\u{2019}\u{2019}\u{c2}\u{a3}U.S.s",
    );
}
