//! One registry of rules: every rule a rule pack loads and every rule a
//! built-in pass reports, each with its id, level, description, examples
//! and the options that change it.
//!
//! Pack rules describe themselves in their YAML ([`crate::rules::Rule`]);
//! the passes' rules are declared in [`PASS_RULES`], with the rule id
//! constants of their passes. `rules list`, `rules show`, `explain`,
//! SARIF's `rules[]` and the checks of `--disable` read both through
//! [`Registry`]. Like a pack rule's, a pass rule's examples are tests: the
//! test suite runs each through the pipeline.

use crate::edit::Level;
use crate::passes::{dashes, entities, mojibake, paragraphs, quotes, spacing, unicode};
use crate::rules::{Rule, RuleSet};
use crate::settings::{self, Key};

/// A worked example of a pass rule: `before` comes out of the pipeline
/// (no packs, suggestions applied, the options `set`) as `after`, with an
/// edit by the rule. For a flag, `after` is `before`.
#[derive(Debug)]
pub struct PassExample {
    /// The input.
    pub before: &'static str,
    /// The output.
    pub after: &'static str,
    /// `key=value` options the example needs.
    pub set: &'static [&'static str],
}

/// `text` as the docs write examples: invisible and control characters as
/// `U+XXXX`, line breaks as `⏎`, tabs as `␉`, so that a terminal shows
/// what the example is about.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push('⏎'),
            '\t' => out.push('␉'),
            ' ' => out.push(' '),
            _ if c.is_control()
                || c.is_whitespace()
                || matches!(
                    c,
                    '\u{ad}'
                        | '\u{200b}'..='\u{200f}'
                        | '\u{202a}'..='\u{202e}'
                        | '\u{2060}'
                        | '\u{2066}'..='\u{2069}'
                        | '\u{feff}'
                )
                || unicode_normalization::char::is_combining_mark(c) =>
            {
                out.push_str(&format!("U+{:04X}", c as u32));
            }
            _ => out.push(c),
        }
    }
    out
}

/// One rule of a built-in pass.
#[derive(Debug)]
pub struct PassRule {
    /// The rule id, as reported and as given to `--disable`.
    pub id: &'static str,
    /// The pass that reports it: a stage name of `crate::schedule`, or
    /// [`DIRECTIVES`].
    pub pass: &'static str,
    /// Its usual level; some rules report a lower one when less sure.
    pub level: Level,
    /// What it repairs and why, in one or two sentences.
    pub description: &'static str,
    /// Worked examples, run by the test suite.
    pub examples: &'static [PassExample],
    /// The option keys that change what it does.
    pub options: &'static [&'static Key],
}

/// Shorthand for the table below.
const fn rule(
    id: &'static str,
    pass: &'static str,
    level: Level,
    description: &'static str,
    examples: &'static [PassExample],
    options: &'static [&'static Key],
) -> PassRule {
    PassRule {
        id,
        pass,
        level,
        description,
        examples,
        options,
    }
}

/// An example with default options.
const fn ex(before: &'static str, after: &'static str) -> PassExample {
    PassExample {
        before,
        after,
        set: &[],
    }
}

/// Every pass rule, by pass in schedule order, then by id.
pub const PASS_RULES: &[PassRule] = &[
    rule(
        crate::directives::BAD_DIRECTIVE,
        DIRECTIVES,
        Level::Flag,
        "A `copydesk:` directive that cannot be understood (an unknown command, or an \
         `on` with no `off` before it): reported, and it changes nothing.",
        &[ex("copydesk: of\nThe text.\n", "copydesk: of\nThe text.\n")],
        &[],
    ),
    rule(
        entities::HTML_ENTITY,
        "entities",
        Level::Fix,
        "An HTML character reference left in the text by a scraper that did not decode it.",
        &[
            ex("Fish &amp; chips", "Fish & chips"),
            ex("it&#8217;s", "it’s"),
        ],
        &[],
    ),
    rule(
        entities::DOUBLE_ESCAPED,
        "entities",
        Level::Fix,
        "A character reference escaped twice (`&amp;quot;`), decoded to the end in one edit.",
        &[ex("Fish &amp;amp; chips", "Fish & chips")],
        &[],
    ),
    rule(
        entities::MISSING_AMPERSAND,
        "entities",
        Level::Fix,
        "A character reference whose `&` was lost, usually to a space (`doesn #39;t`); \
         a suggestion for ASCII punctuation other than quotes, `$`, `&`, `<` and `>`.",
        &[
            ex("doesn #39;t", "doesn't"),
            ex("Johnson  amp; Johnson", "Johnson & Johnson"),
        ],
        &[],
    ),
    rule(
        mojibake::MOJIBAKE,
        "mojibake",
        Level::Fix,
        "UTF-8 that was decoded as Windows-1252 or Latin-1 (`cafÃ©`), decoded again; \
         a suggestion when the evidence is weak.",
        &[ex(
            "The cafÃ© and the crÃ¨me brÃ»lÃ©e.",
            "The café and the crème brûlée.",
        )],
        &[],
    ),
    rule(
        mojibake::C1_CONTROL,
        "mojibake",
        Level::Fix,
        "A lone C1 control character, which is a Windows-1252 byte read as Latin-1 \
         (U+0093 is `“`).",
        &[
            ex("Wait\u{85}", "Wait…"),
            ex("\u{93}Yes,\u{94} he said.", "“Yes,” he said."),
        ],
        &[],
    ),
    rule(
        unicode::NORMALIZATION,
        "unicode",
        Level::Fix,
        "Text not in the chosen normalisation form (`e` + combining acute for `é`).",
        &[ex("cafe\u{301}", "café")],
        &[&settings::UNICODE_FORM],
    ),
    rule(
        unicode::ZERO_WIDTH,
        "unicode",
        Level::Fix,
        "A zero-width space or word joiner, which breaks words apart for search and spell \
         checking.",
        &[ex("glob\u{200b}al", "global")],
        &[],
    ),
    rule(
        unicode::STRAY_JOINER,
        "unicode",
        Level::Fix,
        "A zero-width joiner or non-joiner where no emoji sequence or script needs one.",
        &[ex("the \u{200c}iPhone", "the iPhone")],
        &[],
    ),
    rule(
        unicode::SOFT_HYPHEN,
        "unicode",
        Level::Fix,
        "A soft hyphen U+00AD, invisible until a line breaks there.",
        &[ex("Not\u{ad}fall", "Notfall")],
        &[],
    ),
    rule(
        unicode::STRAY_BOM,
        "unicode",
        Level::Fix,
        "A byte-order mark U+FEFF anywhere but the start of the text.",
        &[ex("end \u{feff}next", "end next")],
        &[],
    ),
    rule(
        unicode::CONTROL,
        "unicode",
        Level::Fix,
        "A C0 or C1 control character other than tab, line feed and carriage return \
         (a vertical tab becomes a space).",
        &[ex("bell\u{7}", "bell"), ex("one\u{b}two", "one two")],
        &[],
    ),
    rule(
        unicode::UNUSUAL_SPACE,
        "unicode",
        Level::Fix,
        "A no-break or other fixed-width space, made a plain space.",
        &[ex("10\u{a0}000", "10 000")],
        &[&settings::UNICODE_SPACES],
    ),
    rule(
        unicode::REPLACEMENT,
        "unicode",
        Level::Flag,
        "U+FFFD, the mark of text already lost in an earlier decoding: reported, not changed.",
        &[ex("caf\u{fffd}", "caf\u{fffd}")],
        &[],
    ),
    rule(
        unicode::BIDI_CONTROL,
        "unicode",
        Level::Flag,
        "A bidirectional embedding, override or isolate control (U+202A–U+202E, \
         U+2066–U+2069), which makes displayed text differ from stored text: reported, \
         not changed.",
        &[ex("txt\u{202e}fdp.exe", "txt\u{202e}fdp.exe")],
        &[],
    ),
    rule(
        unicode::MIXED_SCRIPT,
        "unicode",
        Level::Flag,
        "A Cyrillic or Greek letter drawn like a Latin one inside a Latin word \
         (`Pаris`), or a Latin letter drawn like a Cyrillic one inside a Cyrillic \
         word (`Bсеки`): reported with the letter of the word's script proposed, \
         not changed.",
        &[
            ex("P\u{430}ris", "P\u{430}ris"),
            ex(
                "B\u{441}\u{435}\u{43a}\u{438}",
                "B\u{441}\u{435}\u{43a}\u{438}",
            ),
        ],
        &[],
    ),
    rule(
        spacing::DOUBLE_SPACE,
        "spacing",
        Level::Fix,
        "Two or more spaces between words.",
        &[ex("the  vote", "the vote")],
        &[],
    ),
    rule(
        spacing::TRAILING_WHITESPACE,
        "spacing",
        Level::Fix,
        "Spaces or tabs at the end of a line.",
        &[ex("end \t\nNext", "end\nNext")],
        &[],
    ),
    rule(
        spacing::SPACE_BEFORE_PUNCTUATION,
        "spacing",
        Level::Fix,
        "A space before `, . ; : ! ?`; a suggestion where it may mark a lost word \
         (`set to . You`). With `spacing.french=on`, French spacing is kept.",
        &[ex("said , adding", "said, adding")],
        &[&settings::SPACING_FRENCH],
    ),
    rule(
        spacing::MISSING_SPACE_AFTER_SENTENCE,
        "spacing",
        Level::Fix,
        "No space between a sentence's end and the next (`done.The`); a suggestion after an \
         abbreviation or where it may be a name (`One.Tel`).",
        &[ex("done.The", "done. The")],
        &[],
    ),
    rule(
        spacing::EXTRA_BLANK_LINES,
        "spacing",
        Level::Fix,
        "More than one blank line between paragraphs.",
        &[ex("First.\n\n\n\nSecond.", "First.\n\nSecond.")],
        &[],
    ),
    rule(
        spacing::TRAILING_BLANK_LINES,
        "spacing",
        Level::Fix,
        "Blank lines after the last text.",
        &[ex("The end.\n\n\n", "The end.\n")],
        &[],
    ),
    rule(
        spacing::DROPPED_AMPERSAND,
        "spacing",
        Level::Suggest,
        "Three spaces between two capitalised words, where an `&` was lost (`Procter   Gamble`).",
        &[ex("Procter   Gamble", "Procter & Gamble")],
        &[],
    ),
    rule(
        quotes::QUOTE_STYLE,
        "quotes",
        Level::Fix,
        "A quotation mark in the document's minority style, or not in the chosen style.",
        &[PassExample {
            before: "\"No,\" he said.",
            after: "“No,” he said.",
            set: &["quotes.style=curly"],
        }],
        &[&settings::QUOTES_STYLE],
    ),
    rule(
        quotes::APOSTROPHE,
        "quotes",
        Level::Fix,
        "An apostrophe in the minority style or the wrong shape (`don´t`).",
        &[PassExample {
            before: "don't",
            after: "don’t",
            set: &["quotes.style=curly"],
        }],
        &[&settings::QUOTES_STYLE],
    ),
    rule(
        quotes::BACKTICK_QUOTES,
        "quotes",
        Level::Fix,
        "A TeX or typewriter pair of backticks and quotes (``` ``Hi,'' ```).",
        &[ex("``Hi,'' he said.", "“Hi,” he said.")],
        &[&settings::QUOTES_STYLE],
    ),
    rule(
        quotes::DOUBLED_SINGLE_QUOTES,
        "quotes",
        Level::Fix,
        "Two single quotes typed for a double one (`''Hi''`).",
        &[ex("''Hi,'' he said.", "“Hi,” he said.")],
        &[&settings::QUOTES_STYLE],
    ),
    rule(
        quotes::MISMATCHED_QUOTES,
        "quotes",
        Level::Fix,
        "A pair of quotes whose ends differ in style (`“text\"`).",
        &[ex("“text\" and “more”", "“text” and “more”")],
        &[&settings::QUOTES_STYLE],
    ),
    rule(
        quotes::WRONG_DIRECTION_QUOTE,
        "quotes",
        Level::Fix,
        "A curly quote facing the wrong way (`”text“`).",
        &[ex("”text“ and “more”", "“text” and “more”")],
        &[],
    ),
    rule(
        quotes::UNBALANCED_QUOTE,
        "quotes",
        Level::Flag,
        "A quotation mark with no partner in its paragraph: reported, not changed.",
        &[ex("He said \"we will go.", "He said \"we will go.")],
        &[],
    ),
    rule(
        quotes::QUOTE_AS_PRIME,
        "quotes",
        Level::Fix,
        "A quote used as a prime in a measurement (`5'10\"`), written `′ ″` with \
         `quotes.primes=prime`; a suggestion when less sure.",
        &[PassExample {
            before: "He is 5'10\" tall.",
            after: "He is 5′10″ tall.",
            set: &["quotes.primes=prime"],
        }],
        &[&settings::QUOTES_PRIMES],
    ),
    rule(
        dashes::SPACED_HYPHEN_DASH,
        "dashes",
        Level::Fix,
        "A spaced hyphen between words, typed for a dash.",
        &[ex("airstrike - a theory", "airstrike — a theory")],
        &[&settings::DASHES_STYLE],
    ),
    rule(
        dashes::DOUBLE_HYPHEN_DASH,
        "dashes",
        Level::Fix,
        "`--` or `---` between words typed for a dash (an en dash between numbers).",
        &[
            ex("agreed -- but", "agreed — but"),
            ex("1990--95", "1990–95"),
        ],
        &[&settings::DASHES_STYLE],
    ),
    rule(
        dashes::ELLIPSIS_STYLE,
        "dashes",
        Level::Fix,
        "An ellipsis not in the chosen form (only with `ellipsis.style` set).",
        &[PassExample {
            before: "wait...",
            after: "wait…",
            set: &["ellipsis.style=char"],
        }],
        &[&settings::ELLIPSIS_STYLE],
    ),
    rule(
        paragraphs::REPEATED,
        "paragraphs",
        Level::Fix,
        "A paragraph that repeats the one before it word for word, as scrapers leave it.",
        &[ex("Same words.\n\nSame words.\n", "Same words.\n")],
        &[],
    ),
];

/// What reports `bad-directive`: the reading of `copydesk:` directives,
/// before the passes run, rather than a stage of the schedule.
pub const DIRECTIVES: &str = "directives";

/// The pass rule `id`, if there is one.
pub fn pass_rule(id: &str) -> Option<&'static PassRule> {
    PASS_RULES.iter().find(|r| r.id == id)
}

/// A rule of either kind, as the registry hands it out.
#[derive(Clone, Copy, Debug)]
pub enum Entry<'a> {
    /// A rule from a loaded pack.
    Pack(&'a Rule),
    /// A rule of a built-in pass.
    Pass(&'static PassRule),
}

impl<'a> Entry<'a> {
    /// The rule id.
    pub fn id(&self) -> &'a str {
        match self {
            Entry::Pack(r) => &r.id,
            Entry::Pass(r) => r.id,
        }
    }

    /// The rule's level (a pass rule's usual one).
    pub fn level(&self) -> Level {
        match self {
            Entry::Pack(r) => r.level,
            Entry::Pass(r) => r.level,
        }
    }

    /// Where it comes from: the pack's name, or `pass:NAME`.
    pub fn source(&self) -> String {
        match self {
            Entry::Pack(r) => r.pack.to_string(),
            Entry::Pass(r) => format!("pass:{}", r.pass),
        }
    }

    /// Why the rule exists.
    pub fn description(&self) -> &'a str {
        match self {
            Entry::Pack(r) => &r.why,
            Entry::Pass(r) => r.description,
        }
    }
}

/// Every rule known to a run: the loaded packs' rules, then the passes'.
#[derive(Clone, Copy, Debug)]
pub struct Registry<'a> {
    packs: &'a RuleSet,
}

impl<'a> Registry<'a> {
    /// The registry of `packs` and the built-in passes.
    pub fn new(packs: &'a RuleSet) -> Registry<'a> {
        Registry { packs }
    }

    /// The rule `id`: a pack rule if one has the id, else a pass rule.
    pub fn get(&self, id: &str) -> Option<Entry<'a>> {
        self.packs
            .get(id)
            .map(Entry::Pack)
            .or_else(|| pass_rule(id).map(Entry::Pass))
    }

    /// Every rule: pack rules in load order, then pass rules in schedule
    /// order.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'a>> + 'a {
        let packs = self.packs.rules.iter().map(Entry::Pack);
        packs.chain(PASS_RULES.iter().map(Entry::Pass))
    }

    /// Returns true if `id` names a rule that can report something: a pack
    /// rule or a built-in one.
    pub fn knows(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// The known id nearest to `id`, when one is close enough to be the
    /// one meant: at most a third of its characters edited (at least one),
    /// as a misspelt or half-remembered id is.
    pub fn nearest(&self, id: &str) -> Option<&'a str> {
        let limit = (id.chars().count() / 3).max(1);
        self.entries()
            .map(|e| (strsim::damerau_levenshtein(id, e.id()), e.id()))
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, _)| *d)
            .map(|(_, known)| known)
    }

    /// The message for an unknown rule id: with the nearest known id when
    /// there is one, else a pointer to the list.
    pub fn unknown(&self, id: &str) -> String {
        match self.unknown_with_help(id) {
            (msg, Some(help)) => format!("{msg}; {help}"),
            (msg, None) => msg,
        }
    }

    /// [`Registry::unknown`] as a message and a help line, for an error
    /// that shows them apart.
    pub fn unknown_with_help(&self, id: &str) -> (String, Option<String>) {
        match self.nearest(id) {
            Some(near) => (
                format!("unknown rule `{id}`"),
                Some(format!("did you mean `{near}`?")),
            ),
            None => (
                format!("unknown rule `{id}` (see `copydesk rules list`)"),
                None,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;

    use super::*;
    use crate::pipeline::{Options, Pipeline};
    use crate::rules::load::Loader;

    /// Every rule id a pass reports is registered, once.
    #[test]
    fn an_unknown_id_is_told_the_nearest_known_one() {
        let set = crate::rules::builtin_for_tests();
        let registry = Registry::new(&set);
        assert_eq!(registry.nearest("globl-law"), Some("global-law"));
        assert_eq!(registry.nearest("global-law"), Some("global-law"));
        assert_eq!(registry.nearest("zzzzzzzzzz"), None);
        assert_eq!(
            registry.unknown("globl-law"),
            "unknown rule `globl-law`; did you mean `global-law`?"
        );
        assert_eq!(
            registry.unknown("qqq"),
            "unknown rule `qqq` (see `copydesk rules list`)"
        );
    }

    #[test]
    fn every_pass_rule_id_is_registered_once() {
        let ids: HashSet<&str> = PASS_RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), PASS_RULES.len(), "an id is registered twice");
        let emitted = [
            crate::directives::BAD_DIRECTIVE,
            entities::HTML_ENTITY,
            entities::DOUBLE_ESCAPED,
            entities::MISSING_AMPERSAND,
            mojibake::MOJIBAKE,
            mojibake::C1_CONTROL,
            unicode::NORMALIZATION,
            unicode::ZERO_WIDTH,
            unicode::STRAY_JOINER,
            unicode::SOFT_HYPHEN,
            unicode::STRAY_BOM,
            unicode::CONTROL,
            unicode::UNUSUAL_SPACE,
            unicode::REPLACEMENT,
            unicode::BIDI_CONTROL,
            unicode::MIXED_SCRIPT,
            spacing::DOUBLE_SPACE,
            spacing::TRAILING_WHITESPACE,
            spacing::SPACE_BEFORE_PUNCTUATION,
            spacing::MISSING_SPACE_AFTER_SENTENCE,
            spacing::EXTRA_BLANK_LINES,
            spacing::TRAILING_BLANK_LINES,
            spacing::DROPPED_AMPERSAND,
            quotes::QUOTE_STYLE,
            quotes::APOSTROPHE,
            quotes::BACKTICK_QUOTES,
            quotes::DOUBLED_SINGLE_QUOTES,
            quotes::MISMATCHED_QUOTES,
            quotes::WRONG_DIRECTION_QUOTE,
            quotes::UNBALANCED_QUOTE,
            quotes::QUOTE_AS_PRIME,
            dashes::SPACED_HYPHEN_DASH,
            dashes::DOUBLE_HYPHEN_DASH,
            dashes::ELLIPSIS_STYLE,
            paragraphs::REPEATED,
        ];
        assert_eq!(ids, emitted.into_iter().collect::<HashSet<_>>());
        let stages: HashSet<&str> = crate::schedule::SCHEDULE
            .iter()
            .map(|s| s.step.name())
            .collect();
        for r in PASS_RULES {
            let known = stages.contains(r.pass) || r.pass == DIRECTIVES;
            assert!(known, "{}: no stage {}", r.id, r.pass);
            assert!(!r.examples.is_empty(), "{} has no example", r.id);
        }
    }

    /// Every example of every pass rule holds: run through the pipeline
    /// (no packs, suggestions applied, its options set), `before` comes out
    /// as `after` with an edit by the rule (applied unless the rule only
    /// flags), and `after` is left as it is.
    #[test]
    fn pass_rule_examples_hold() {
        let rules = Arc::new(Loader::new().build().expect("no packs load"));
        for r in PASS_RULES {
            for ex in r.examples {
                let mut options = Options {
                    apply_suggestions: true,
                    ..Options::default()
                };
                for pair in ex.set {
                    options.settings.set_pair(pair).expect("known option");
                }
                let pipeline = Pipeline::new(Arc::clone(&rules), options);
                let out = pipeline.run(ex.before);
                assert_eq!(out.output, ex.after, "{}: {:?}", r.id, ex.before);
                let fired = out.edits.iter().any(|e| {
                    (*e.rule == *r.id || e.also.iter().any(|a| **a == *r.id))
                        && (e.applied || r.level == Level::Flag)
                });
                assert!(
                    fired,
                    "{}: did not fire on {:?}: {:?}",
                    r.id, ex.before, out.edits
                );
                let again = pipeline.run(ex.after);
                let changed = again.edits.iter().any(|e| e.applied);
                assert!(!changed, "{}: {:?} changes again", r.id, ex.after);
            }
        }
    }
}
