//! The YAML schema of a rule pack, exactly as written on disk.
//!
//! These types only describe the file; [`super::load`] validates them and
//! compiles them into a [`super::RuleSet`]. Unknown keys are errors so that
//! a misspelt option never silently does nothing.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::edit::Level;

/// One pack file: a themed list of rules.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// The pack's name, shown by `rules list`.
    pub pack: String,
    /// What the pack repairs.
    #[serde(default)]
    pub description: String,
    /// The languages (ISO 639 codes) whose text the pack's rules apply to;
    /// left out, every language's. Checked and made canonical (`fra` is
    /// `fr`) when the pack is loaded.
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    /// Defaults for every rule of the pack.
    #[serde(default)]
    pub defaults: Defaults,
    /// The rules, in priority order.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// Pack-wide defaults a rule may override.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Default level of the pack's rules.
    pub level: Option<LevelSpec>,
    /// Default treatment of matches inside quotation marks.
    pub in_quotes: Option<InQuotes>,
}

/// A rule as written: either `find` (phrases) or `pattern` (regex).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Unique kebab-case id naming the damage.
    #[serde(default)]
    pub id: String,
    /// Literal phrase, or a list of variants, to find.
    pub find: Option<OneOrMany>,
    /// Regular expression to find (the `regex` crate's syntax).
    pub pattern: Option<String>,
    /// Replacement text; `$1`-style captures for patterns.
    pub replace: Option<String>,
    /// Why the rule exists, shown with every finding.
    #[serde(default)]
    pub why: String,
    /// fix, suggest or flag.
    pub level: Option<LevelSpec>,
    /// Case matching; smart by default.
    #[serde(default)]
    pub case: CaseMode,
    /// Boundary requirement; whole words by default for phrases.
    pub boundary: Option<Boundary>,
    /// Phrases that protect a match they cover.
    #[serde(default)]
    pub unless: Vec<String>,
    /// The rule fires only if the document contains one of these phrases.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Treatment of matches inside quotation marks.
    pub in_quotes: Option<InQuotes>,
    /// What the rule may do to protected spans (pattern rules only).
    pub protected: Option<Protected>,
    /// Examples, run by `copydesk rules test`.
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// A single phrase or a list of variants.
///
/// In YAML either form is accepted; binary formats (the pack cache) always
/// hold the list, since they cannot guess which form follows.
#[derive(Debug)]
pub enum OneOrMany {
    /// One phrase.
    One(String),
    /// Several variants with the same replacement.
    Many(Vec<String>),
}

/// The YAML form of [`OneOrMany`].
#[derive(Deserialize)]
#[serde(untagged, rename = "OneOrMany")]
enum OneOrManyText {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OneOrMany, D::Error> {
        if d.is_human_readable() {
            Ok(match OneOrManyText::deserialize(d)? {
                OneOrManyText::One(s) => OneOrMany::One(s),
                OneOrManyText::Many(v) => OneOrMany::Many(v),
            })
        } else {
            Vec::<String>::deserialize(d).map(OneOrMany::Many)
        }
    }
}

impl Serialize for OneOrMany {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            OneOrMany::One(one) => std::slice::from_ref(one).serialize(s),
            OneOrMany::Many(many) => many.serialize(s),
        }
    }
}

impl OneOrMany {
    /// The phrases as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// The level keyword in YAML.
#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LevelSpec {
    /// Applied by default.
    Fix,
    /// Applied on request.
    Suggest,
    /// Reported only.
    Flag,
}

impl From<LevelSpec> for Level {
    fn from(l: LevelSpec) -> Level {
        match l {
            LevelSpec::Fix => Level::Fix,
            LevelSpec::Suggest => Level::Suggest,
            LevelSpec::Flag => Level::Flag,
        }
    }
}

/// How a rule matches letter case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseMode {
    /// Lowercase `find` matches any case; capitals match exactly.
    #[default]
    Smart,
    /// Always exact.
    Sensitive,
    /// Always any case.
    Insensitive,
}

/// Where a match may start and end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Boundary {
    /// Not inside a word (Unicode letters, digits and marks).
    Word,
    /// Anywhere.
    None,
}

/// What a rule does with a match inside quotation marks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InQuotes {
    /// Treat quoted text like any other.
    #[default]
    Apply,
    /// Demote the edit to a suggestion.
    Suggest,
    /// Leave quoted text alone.
    Skip,
}

/// What a pattern rule may do to protected spans (URLs, addresses,
/// handles, code) its match holds. A protected span is never edited in
/// part: at most a rule removes it whole, with the boilerplate around it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protected {
    /// Never apply where the match touches a protected span.
    #[default]
    Avoid,
    /// Delete whole lines that hold protected spans: the match starts at a
    /// line's start, ends past its line break (or at the end of the text),
    /// and the replacement is empty (`Follow @example on X`).
    DeleteLines,
    /// Remove protected spans whole: each one the match touches lies
    /// inside it, and the replacement holds none of them (an HTML link's
    /// tags go with the address in them; the link text stays).
    DeleteWhole,
}

/// One example: a `before`/`after` pair or a `keep` case.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Input the rule must change...
    pub before: Option<String>,
    /// ...into exactly this (with suggestions applied).
    pub after: Option<String>,
    /// Input the rule must leave alone.
    pub keep: Option<String>,
}
