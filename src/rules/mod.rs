//! Rules: how packs are written ([`pack`]), loaded and validated
//! ([`load`]), linted ([`lint`]), and what a compiled [`RuleSet`] holds.

pub mod builtin;
pub mod cache;
pub mod lint;
pub mod load;
pub mod pack;
pub mod pattern;
#[cfg(test)]
pub mod test_texts;

use std::path::PathBuf;
use std::sync::Arc;

use crate::edit::Level;
use crate::passes::phrases::PhraseMatcher;
pub use pack::{CaseMode, Example, InQuotes};
pub use pattern::{compile_regex, required_literals, Literals, Pattern, RegexLimits};

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
    pub phrases: PhraseMatcher,
    /// Indexes into `rules` of the pattern rules.
    pub patterns: Vec<usize>,
    /// Which pattern rules can match a text.
    pub prefilter: crate::passes::patterns::Prefilter,
}

impl RuleSet {
    /// Returns the rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}
