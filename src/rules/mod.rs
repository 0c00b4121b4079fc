//! Rules: how packs are written ([`pack`]), loaded and validated
//! ([`load`]), linted ([`lint`]), and what a compiled [`RuleSet`] holds.

pub mod builtin;
pub mod cache;
pub mod examples;
pub mod lint;
pub mod load;
pub mod pack;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};

use crate::edit::Level;
use crate::passes::phrases::PhraseMatcher;
pub use pack::{CaseMode, Example, InQuotes};

/// Where a rule was defined, for error messages and `rules show`.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The pack file (`<builtin>/name.yaml` for a default pack).
    pub path: PathBuf,
    /// 1-based line and column of the rule's `id`, when found.
    pub location: Option<(usize, usize)>,
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

/// A pattern rule's regular expression, compiled when first needed.
///
/// Compiling a regex with Unicode classes is expensive (most of the time of
/// a one-file `check` went to compiling the default packs' patterns), and
/// most patterns never match a given document. So a pattern from a set of
/// packs that passed every load-time check before (see
/// [`cache`](crate::rules::cache)) is compiled only when a document contains
/// one of the literals one of which every match contains
/// ([`Pattern::literals`]).
/// Any other pattern is compiled, and so validated, at load.
#[derive(Debug)]
pub struct Pattern {
    source: String,
    case_insensitive: bool,
    literals: Option<Vec<Vec<u8>>>,
    regex: OnceLock<Result<Regex, String>>,
}

impl Pattern {
    /// A pattern compiled when first used; `literals` as
    /// [`Pattern::literals`].
    pub fn lazy(source: String, case_insensitive: bool, literals: Option<Vec<Vec<u8>>>) -> Self {
        Pattern {
            source,
            case_insensitive,
            literals,
            regex: OnceLock::new(),
        }
    }

    /// Compiles `source` now, with the load-time limits; the error is the
    /// regex crate's message.
    pub fn compiled(
        source: String,
        case_insensitive: bool,
        literals: Option<Vec<Vec<u8>>>,
    ) -> Result<Self, String> {
        let re = compile_regex(&source, case_insensitive)?;
        let pattern = Pattern::lazy(source, case_insensitive, literals);
        let _ = pattern.regex.set(Ok(re));
        Ok(pattern)
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Literals one of which every match contains (ASCII letters
    /// lowercased: compare ignoring ASCII case), or `None` when no such set
    /// is known (the regex must then always run). An empty list means the
    /// pattern can never match.
    pub fn literals(&self) -> Option<&[Vec<u8>]> {
        self.literals.as_deref()
    }

    /// Returns true once the regex is compiled (or failed to).
    pub fn is_compiled(&self) -> bool {
        self.regex.get().is_some()
    }

    /// The compiled regex (compiled on first use); `None` only if it fails
    /// to compile, which a pattern that passed the load-time checks does
    /// not.
    pub fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| compile_regex(&self.source, self.case_insensitive))
            .as_ref()
            .ok()
    }
}

/// Compiles a pattern rule's regex with the load-time size and nesting
/// limits.
pub fn compile_regex(source: &str, case_insensitive: bool) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .case_insensitive(case_insensitive)
        .size_limit(load::limits::MAX_REGEX_SIZE)
        .nest_limit(load::limits::MAX_REGEX_NEST)
        .build()
        .map_err(|e| {
            let msg = e.to_string();
            msg.lines().last().unwrap_or("").trim().to_string()
        })
}

/// Literals one of which every match of `source` contains (see
/// [`Pattern::literals`]), ASCII letters lowercased; `None` when the pattern
/// does not parse or no useful finite set is found.
///
/// Walks the parsed pattern: a literal is its own set; a small class is
/// the set of its characters; an alternation needs a set from every
/// branch (their union); a concatenation takes the best of its parts' sets
/// and of the prefix literals (from the regex parser's extractor) of each
/// of its suffixes, so `(?i)take effect` gives `take effect` and
/// `^[ \t]*(?:sponsored|paid[ \t]+post)` gives `sponsored` and `paid`.
/// The best set is the one whose shortest literal is longest.
pub fn required_literals(source: &str, case_insensitive: bool) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .nest_limit(load::limits::MAX_REGEX_NEST)
        .build()
        .parse(source)
        .ok()?;
    let mut best = None;
    consider(&mut best, required(&hir));
    consider(&mut best, prefix_literals(&hir));
    best
}

/// Most literals a pattern's set may have.
const MAX_LITERALS: usize = 512;

fn required(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::{Class, Hir, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(lit) => normalized(vec![lit.0.to_vec()]),
        HirKind::Class(Class::Unicode(c)) => {
            let n: u32 = c
                .iter()
                .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                .sum();
            if n > 16 {
                return None;
            }
            let chars = c.iter().flat_map(|r| r.start()..=r.end());
            normalized(chars.map(|ch| ch.to_string().into_bytes()).collect())
        }
        HirKind::Class(Class::Bytes(c)) => {
            let n: usize = c.iter().map(|r| usize::from(r.end() - r.start()) + 1).sum();
            if n > 16 {
                return None;
            }
            normalized(
                c.iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(|b| vec![b])
                    .collect(),
            )
        }
        HirKind::Repetition(r) if r.min == 0 => None,
        HirKind::Repetition(r) => required(&r.sub),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for b in branches {
                all.extend(required(b)?);
            }
            normalized(all)
        }
        HirKind::Concat(parts) => {
            let mut best = None;
            for i in 0..parts.len() {
                consider(&mut best, required(&parts[i]));
                consider(
                    &mut best,
                    prefix_literals(&Hir::concat(parts[i..].to_vec())),
                );
            }
            best
        }
    }
}

/// The prefix literals of `hir` from the regex parser's extractor.
fn prefix_literals(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_class(16)
        .limit_literal_len(32)
        .limit_total(MAX_LITERALS)
        .extract(hir);
    normalized(
        seq.literals()?
            .iter()
            .map(|l| l.as_bytes().to_vec())
            .collect(),
    )
}

/// Lowercases ASCII letters and drops every literal that another one
/// starts (a text containing `closed` contains `close`); `None` for a set
/// that constrains nothing (an empty literal) or is too large.
fn normalized(mut lits: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    for l in &mut lits {
        l.make_ascii_lowercase();
    }
    lits.sort_unstable();
    let mut kept: Vec<Vec<u8>> = Vec::with_capacity(lits.len());
    for l in lits {
        // Sorted: a literal that starts this one is the last kept one.
        if kept.last().is_none_or(|k| !l.starts_with(k)) {
            kept.push(l);
        }
    }
    if kept.len() > MAX_LITERALS || kept.iter().any(Vec::is_empty) {
        return None;
    }
    Some(kept)
}

/// Keeps `cand` in `best` when its shortest literal is longer (or as long,
/// with fewer literals).
fn consider(best: &mut Option<Vec<Vec<u8>>>, cand: Option<Vec<Vec<u8>>>) {
    let Some(cand) = cand else { return };
    let score = |l: &[Vec<u8>]| {
        (
            l.iter().map(Vec::len).min().unwrap_or(0),
            usize::MAX - l.len(),
        )
    };
    if best.as_ref().is_none_or(|b| score(&cand) > score(b)) {
        *best = Some(cand);
    }
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
