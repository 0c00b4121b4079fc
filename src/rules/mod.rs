//! Rules: how packs are written ([`pack`]), loaded and validated
//! ([`load`]), linted ([`lint`]), and what a compiled [`RuleSet`] holds.

pub mod builtin;
pub mod cache;
pub(crate) mod conditions;
pub(crate) mod find;
pub mod lint;
pub mod load;
pub mod pack;
#[cfg(test)]
pub mod test_texts;

use std::path::PathBuf;
use std::sync::Arc;

use crate::edit::Level;
pub use crate::matcher::pattern::{
    compile_regex, required_literals, Literals, Pattern, RegexLimits,
};
use crate::matcher::phrase::{PhraseMatcher, PhraseSpec};
use crate::matcher::prefilter::{Prefilter, Target};
use crate::matcher::requires::Requires;
pub use pack::{CaseMode, Example, InQuotes, Protected};

/// Where a rule was defined, for error messages and `rules show`.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The pack file (`<builtin>/name.yaml` for a default pack).
    pub path: PathBuf,
    /// 1-based line and column of the rule's `id`, when found.
    pub location: Option<(usize, usize)>,
}

impl std::fmt::Display for Origin {
    /// `path:line:col`, or the path alone when the place is unknown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.location {
            Some((l, c)) => write!(f, "{}:{l}:{c}", self.path.display()),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// What a rule looks for.
#[derive(Debug)]
pub enum Find {
    /// Literal phrases, matched by the shared automaton.
    Phrases {
        /// The variants as written.
        phrases: Vec<String>,
        /// How letter case is matched.
        case: CaseMode,
    },
    /// A regular expression.
    Pattern(Pattern),
}

/// A validated rule.
#[derive(Debug)]
pub struct Rule {
    /// Unique id.
    pub id: Arc<str>,
    /// The pack it came from.
    pub pack: Arc<str>,
    /// Why the rule exists.
    pub why: Arc<str>,
    /// How sure the rule is.
    pub level: Level,
    /// What it looks for.
    pub find: Find,
    /// The replacement (a template for patterns); `None` for a bare flag.
    pub replace: Option<String>,
    /// Whether matches must be whole words.
    pub word_boundary: bool,
    /// Phrases (folded) that protect a match they cover.
    pub unless: Vec<String>,
    /// Phrases (folded), one of which the document must contain.
    pub requires: Vec<String>,
    /// Treatment of matches inside quotation marks.
    pub in_quotes: InQuotes,
    /// What the rule may do to the protected spans its match holds.
    pub protected: Protected,
    /// The languages whose text the rule applies to (its pack's
    /// `languages:`); `None`: every language.
    pub languages: Option<Arc<[String]>>,
    /// Examples from the pack.
    pub examples: Vec<Example>,
    /// Where it was defined.
    pub origin: Origin,
}

impl Rule {
    /// Returns true for a phrase rule.
    pub fn is_phrase(&self) -> bool {
        matches!(self.find, Find::Phrases { .. })
    }

    /// Returns true if the rule applies to text in language `code`.
    pub fn applies_to(&self, code: &str) -> bool {
        self.languages
            .as_deref()
            .is_none_or(|langs| langs.iter().any(|l| l == code))
    }
}

/// A loaded pack, for `rules list`.
#[derive(Clone, Debug)]
pub struct PackInfo {
    /// The pack's name.
    pub name: Arc<str>,
    /// Its description.
    pub description: String,
    /// Where it was loaded from.
    pub path: PathBuf,
    /// The languages its rules apply to; `None`: every language.
    pub languages: Option<Arc<[String]>>,
}

/// Every loaded rule, compiled: one automaton for all phrase rules and the
/// pattern rules in pack order.
#[derive(Debug)]
pub struct RuleSet {
    /// All rules, in load order.
    pub rules: Vec<Rule>,
    /// The packs they came from.
    pub packs: Vec<PackInfo>,
    /// The shared phrase automaton.
    pub(crate) phrases: PhraseMatcher,
    /// Indexes into `rules` of the pattern rules.
    pub patterns: Vec<usize>,
    /// Which pattern rules can match a text.
    pub(crate) prefilter: Prefilter,
    /// The phrases rules require in the document.
    pub(crate) requires: Requires,
}

impl RuleSet {
    /// Compiles `rules`: the phrase automaton (its overlaps returned for
    /// the loader to judge), the `requires` phrases, the pattern list.
    pub(crate) fn compile(
        rules: Vec<Rule>,
        packs: Vec<PackInfo>,
    ) -> (RuleSet, Vec<crate::matcher::phrase::Overlap>) {
        let (phrases, overlaps) = PhraseMatcher::build(&phrase_specs(&rules));
        let requires = Requires::build(
            rules
                .iter()
                .enumerate()
                .map(|(ri, r)| (ri as u32, r.requires.as_slice())),
        );
        let patterns = (0..rules.len())
            .filter(|&i| !rules[i].is_phrase())
            .collect();
        let set = RuleSet {
            rules,
            packs,
            phrases,
            patterns,
            prefilter: Prefilter::default(),
            requires,
        };
        (set, overlaps)
    }

    /// Returns the rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }

    /// The pattern rules `keep` admits, in order, as the prefilter takes
    /// them.
    pub(crate) fn pattern_targets(&self, keep: impl Fn(&Rule) -> bool) -> Vec<Target<'_>> {
        self.patterns
            .iter()
            .map(|&ri| &self.rules[ri])
            .filter(|rule| keep(rule))
            .filter_map(|rule| match &rule.find {
                Find::Pattern(pattern) => Some(Target {
                    pattern,
                    whole_document: !rule.requires.is_empty(),
                }),
                Find::Phrases { .. } => None,
            })
            .collect()
    }
}

/// The phrases of `rules`, in order, as the phrase matcher takes them.
pub(crate) fn phrase_specs(rules: &[Rule]) -> Vec<PhraseSpec<'_>> {
    let mut specs = Vec::new();
    for (ri, rule) in rules.iter().enumerate() {
        let Find::Phrases { phrases, case } = &rule.find else {
            continue;
        };
        for phrase in phrases {
            let exact = match case {
                CaseMode::Sensitive => true,
                CaseMode::Insensitive => false,
                CaseMode::Smart => phrase.chars().any(char::is_uppercase),
            };
            specs.push(PhraseSpec {
                rule: ri as u32,
                phrase,
                exact,
                boundary: rule.word_boundary,
            });
        }
    }
    specs
}

/// The default packs, loaded: what the matcher's unit tests run against.
#[cfg(test)]
pub(crate) fn builtin_for_tests() -> RuleSet {
    let mut loader = load::Loader::new();
    loader.add_builtin();
    loader.build().expect("default packs load")
}
