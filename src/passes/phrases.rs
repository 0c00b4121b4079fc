//! The phrase pass: every phrase rule of every pack in one Aho-Corasick
//! automaton, run once over a folded copy of the text.
//!
//! Folding (see [`crate::fold`]) makes smart case work beyond ASCII and lets
//! a phrase match across any whitespace run. Each automaton match is then
//! checked against the rule's conditions on the original text: exact case,
//! word boundaries, protected spans, `unless`, `requires`, quotes, `[sic]`.
//! When the longest phrase at a position fails, the shorter phrases that
//! start there are tried, longest first.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

use crate::edit::{Edit, Level};
use crate::fold::{eq_ignoring_space_runs, fold_phrase, paragraph_chunks, Folded};
use crate::passes::{is_word_char, Context, Pass};
use crate::rules::{CaseMode, Find, InQuotes, Rule, RuleSet};
use crate::spans::{quoted_regions, Spans};

/// One rule's claim on a folded phrase.
#[derive(Debug)]
struct Entry {
    rule: u32,
    /// The phrase as written, when case must match exactly.
    exact: Option<String>,
    /// Folded `unless` phrases with the offsets where this phrase sits
    /// inside them.
    unless: Vec<(String, Vec<usize>)>,
    /// Whether the phrase starts / ends with a word character (the boundary
    /// is only checked on those sides, as with a regex `\b`).
    word_edges: (bool, bool),
}

/// The compiled automaton and the rules behind each of its patterns.
#[derive(Debug, Default)]
pub struct PhraseMatcher {
    ac: Option<AhoCorasick>,
    /// Folded length of each pattern.
    lens: Vec<usize>,
    /// The rules claiming each pattern, in priority order.
    entries: Vec<Vec<Entry>>,
    /// Patterns that are proper prefixes of each pattern, longest first.
    shorter: Vec<Vec<u32>>,
    /// Automaton over every folded `requires` phrase.
    requires: Option<AhoCorasick>,
    /// Per rule, the ids of its `requires` phrases in that automaton.
    rule_requires: HashMap<u32, Vec<u32>>,
    requires_len: usize,
}

/// A conflict found while compiling: two rules claim the same phrase.
#[derive(Debug)]
pub struct Clash {
    /// The rule loaded first.
    pub first: usize,
    /// The rule loaded later.
    pub second: usize,
    /// The phrase both claim.
    pub phrase: String,
}

impl PhraseMatcher {
    /// Compiles the phrase rules of `rules`, reporting rules that replace
    /// the same phrase differently.
    pub fn build(rules: &[Rule]) -> (PhraseMatcher, Vec<Clash>) {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        let mut clashes = Vec::new();
        let mut any_subword = false;
        for (ri, rule) in rules.iter().enumerate() {
            let Find::Phrases { phrases, case } = &rule.find else {
                continue;
            };
            any_subword |= !rule.word_boundary;
            for phrase in phrases {
                let folded = fold_phrase(phrase);
                let pid = *ids.entry(folded.clone()).or_insert_with(|| {
                    patterns.push(folded.clone());
                    entries.push(Vec::new());
                    (patterns.len() - 1) as u32
                });
                let sensitive = match case {
                    CaseMode::Sensitive => true,
                    CaseMode::Insensitive => false,
                    CaseMode::Smart => phrase.chars().any(char::is_uppercase),
                };
                let exact = sensitive.then(|| phrase.trim().to_string());
                for other in &entries[pid as usize] {
                    let o = &rules[other.rule as usize];
                    if o.id == rule.id {
                        continue;
                    }
                    let same_text = match (&other.exact, &exact) {
                        (Some(a), Some(b)) => eq_ignoring_space_runs(a, b),
                        _ => true,
                    };
                    if same_text
                        && o.replace != rule.replace
                        && o.requires.is_empty()
                        && rule.requires.is_empty()
                    {
                        clashes.push(Clash {
                            first: other.rule as usize,
                            second: ri,
                            phrase: phrase.clone(),
                        });
                    }
                }
                let unless = rule
                    .unless
                    .iter()
                    .map(|u| {
                        let offsets = u.match_indices(&folded).map(|(i, _)| i).collect();
                        (u.clone(), offsets)
                    })
                    .collect();
                let word_edges = (
                    folded.chars().next().is_some_and(is_word_char),
                    folded.chars().next_back().is_some_and(is_word_char),
                );
                entries[pid as usize].push(Entry {
                    rule: ri as u32,
                    exact,
                    unless,
                    word_edges,
                });
            }
        }
        let shorter = patterns
            .iter()
            .map(|p| {
                let mut s: Vec<u32> = p
                    .char_indices()
                    .skip(1)
                    .filter(|&(_, c)| any_subword || !is_word_char(c))
                    .filter_map(|(i, _)| ids.get(&p[..i]).copied())
                    .collect();
                s.reverse();
                s
            })
            .collect();
        let ac = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .or_else(|_| {
                    AhoCorasick::builder()
                        .match_kind(MatchKind::LeftmostLongest)
                        .build(&patterns)
                })
                .expect("phrase automaton builds")
        });
        let mut req_ids: HashMap<String, u32> = HashMap::new();
        let mut req_patterns: Vec<String> = Vec::new();
        let mut rule_requires = HashMap::new();
        for (ri, rule) in rules.iter().enumerate() {
            if rule.requires.is_empty() {
                continue;
            }
            let list = rule
                .requires
                .iter()
                .map(|r| {
                    *req_ids.entry(r.clone()).or_insert_with(|| {
                        req_patterns.push(r.clone());
                        (req_patterns.len() - 1) as u32
                    })
                })
                .collect();
            rule_requires.insert(ri as u32, list);
        }
        let requires = (!req_patterns.is_empty())
            .then(|| AhoCorasick::new(&req_patterns).expect("requires automaton builds"));
        let matcher = PhraseMatcher {
            ac,
            lens: patterns.iter().map(String::len).collect(),
            entries,
            shorter,
            requires,
            rule_requires,
            requires_len: req_patterns.len(),
        };
        (matcher, clashes)
    }

    /// Returns true if no phrase rule is loaded.
    pub fn is_empty(&self) -> bool {
        self.ac.is_none()
    }

    /// Number of distinct folded phrases in the automaton.
    pub fn len(&self) -> usize {
        self.lens.len()
    }

    /// Finds every phrase edit in `text` (levels as the rules declare them,
    /// `applied` left false).
    ///
    /// The text is folded and searched in chunks that end at blank lines,
    /// reusing one buffer, so memory does not grow with the input.
    pub fn find_edits(&self, set: &RuleSet, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        let Some(ac) = &self.ac else { return };
        let requires = OnceCell::new();
        let mut folded = Folded::default();
        for (base, chunk) in paragraph_chunks(text, CHUNK) {
            folded.refold(chunk);
            let doc = DocState {
                text: chunk,
                base,
                whole: text,
                folded: &folded,
                quotes: OnceCell::new(),
                requires: &requires,
            };
            let hay = folded.bytes();
            let mut pos = 0;
            while pos < hay.len() {
                let Some(m) = ac.find(Input::new(hay).span(pos..hay.len())) else {
                    break;
                };
                let fs = m.start();
                let pid = m.pattern().as_u32();
                let found = std::iter::once(pid)
                    .chain(self.shorter[pid as usize].iter().copied())
                    .find_map(|p| {
                        let fe = fs + self.lens[p as usize];
                        self.try_pattern(set, p, fs..fe, &doc, cx)
                            .map(|edit| (fe, edit))
                    });
                match found {
                    Some((fe, edit)) => {
                        out.extend(edit);
                        pos = fe;
                    }
                    None => pos = fs + utf8_width(hay[fs]),
                }
            }
        }
    }

    /// Checks pattern `pid` matched at `frange` of the folded text. Returns
    /// `Some` when a rule claims the match (with `None` inside when the rule
    /// would not change the text).
    fn try_pattern(
        &self,
        set: &RuleSet,
        pid: u32,
        frange: Range<usize>,
        doc: &DocState<'_>,
        cx: &Context<'_>,
    ) -> Option<Option<Edit>> {
        let text = doc.text;
        let start = doc.folded.to_original(frange.start);
        let end = doc.folded.to_original(frange.end);
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return None;
        }
        let range = start..end;
        if cx.protected.overlaps(&(doc.base + start..doc.base + end)) {
            return None;
        }
        let matched = &text[range.clone()];
        for entry in &self.entries[pid as usize] {
            let rule = &set.rules[entry.rule as usize];
            if !cx.enabled(&rule.id) {
                continue;
            }
            if let Some(exact) = &entry.exact {
                if !eq_ignoring_space_runs(matched, exact) {
                    continue;
                }
            }
            if rule.word_boundary && !at_word_boundary(text, &range, entry.word_edges) {
                continue;
            }
            if followed_by_sic(&text[end..]) {
                continue;
            }
            if entry
                .unless
                .iter()
                .any(|(u, offsets)| offsets.iter().any(|&k| covered_by(doc, frange.start, k, u)))
            {
                continue;
            }
            // `requires` depends on the document; a rule set checked
            // against itself (no `check_quotes`) ignores it.
            if cx.check_quotes && !self.requires_met(entry.rule, doc) {
                continue;
            }
            let mut level = rule.level;
            if rule.in_quotes != InQuotes::Apply && cx.check_quotes {
                let quotes = doc.quotes.get_or_init(|| quoted_regions(text));
                if quotes.overlaps(&range) {
                    if rule.in_quotes == InQuotes::Skip {
                        continue;
                    }
                    level = level.min(Level::Suggest);
                }
            }
            let after = rule.replace.as_ref().map(|r| {
                let r = if entry.exact.is_some() {
                    r.clone()
                } else {
                    transfer_case(matched, r)
                };
                keep_line_breaks(matched, &r)
            });
            if after.as_deref() == Some(matched) {
                return Some(None);
            }
            let mut why = Arc::clone(&rule.why);
            if let Some(a) = &after {
                if cx.check_quotes
                    && level != Level::Flag
                    && self.matches_again(set, text, &range, a)
                {
                    level = Level::Flag;
                    why = Arc::from(format!(
                        "{}{}not applied: with the text around it the rule would match again, so output would change on every run",
                        rule.why,
                        if rule.why.is_empty() { "" } else { " — " }
                    ));
                }
            }
            let mut edit = Edit::new(&rule.id, level, text, range, after, &why);
            edit.range = doc.base + edit.range.start..doc.base + edit.range.end;
            return Some(Some(edit));
        }
        None
    }

    /// Returns true if rule `id` would match again, changing something,
    /// once `range` of `text` is replaced by `after`: checked on the
    /// replacement with up to 32 characters of text on each side.
    fn matches_again(&self, set: &RuleSet, text: &str, range: &Range<usize>, after: &str) -> bool {
        let lo = text[..range.start]
            .char_indices()
            .rev()
            .take(32)
            .last()
            .map_or(range.start, |(k, _)| k);
        let hi = text[range.end..]
            .char_indices()
            .nth(32)
            .map_or(text.len(), |(k, _)| range.end + k);
        let mut probe = String::with_capacity(hi - lo + after.len());
        probe.push_str(&text[lo..range.start]);
        let rep = probe.len()..probe.len() + after.len();
        probe.push_str(after);
        probe.push_str(&text[range.end..hi]);
        let none = Spans::default();
        let disabled = Default::default();
        let inner = Context {
            protected: &none,
            disabled: &disabled,
            check_quotes: false,
        };
        let mut edits = Vec::new();
        self.find_edits(set, &probe, &inner, &mut edits);
        // Any rule counts: the rule itself, or another rule whose phrase the
        // replacement completes with its neighbours.
        edits.iter().any(|e| {
            e.after.as_deref().is_some_and(|a| a != e.before)
                && e.range.start <= rep.end
                && e.range.end >= rep.start
                && e.range != rep
        })
    }

    fn requires_met(&self, rule: u32, doc: &DocState<'_>) -> bool {
        let Some(needed) = self.rule_requires.get(&rule) else {
            return true;
        };
        let present = doc.requires.get_or_init(|| {
            let mut present = vec![false; self.requires_len];
            let Some(ac) = &self.requires else {
                return present;
            };
            let mut folded = Folded::default();
            for (_, chunk) in paragraph_chunks(doc.whole, CHUNK) {
                folded.refold(chunk);
                for m in ac.find_overlapping_iter(folded.bytes()) {
                    let s = folded.to_original(m.start());
                    let e = folded.to_original(m.end());
                    if chunk.is_char_boundary(s)
                        && chunk.is_char_boundary(e)
                        && at_word_boundary(chunk, &(s..e), (true, true))
                    {
                        present[m.pattern().as_usize()] = true;
                    }
                }
            }
            present
        });
        needed.iter().any(|&i| present[i as usize])
    }
}

/// Size of the chunks the text is folded in (they end at a blank line).
const CHUNK: usize = 256 * 1024;

/// Lazily computed facts about one chunk of a document.
struct DocState<'a> {
    /// The chunk.
    text: &'a str,
    /// Offset of the chunk in the document.
    base: usize,
    /// The whole document, for `requires`.
    whole: &'a str,
    folded: &'a Folded,
    quotes: OnceCell<Spans>,
    requires: &'a OnceCell<Vec<bool>>,
}

/// Width of the UTF-8 sequence starting with `lead`.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Returns true if the folded `unless` phrase `u`, with the match at
/// offset `k` inside it, occurs around the match at `fstart`.
fn covered_by(doc: &DocState<'_>, fstart: usize, k: usize, u: &str) -> bool {
    let Some(us) = fstart.checked_sub(k) else {
        return false;
    };
    let hay = doc.folded.bytes();
    if hay.get(us..us + u.len()) != Some(u.as_bytes()) {
        return false;
    }
    let s = doc.folded.to_original(us);
    let e = doc.folded.to_original(us + u.len());
    let edges = (
        u.chars().next().is_some_and(is_word_char),
        u.chars().next_back().is_some_and(is_word_char),
    );
    at_word_boundary(doc.text, &(s..e), edges)
}

/// Returns true if `range` does not start or end inside a word (checked
/// only on the sides where the phrase itself has a word character).
pub fn at_word_boundary(text: &str, range: &Range<usize>, edges: (bool, bool)) -> bool {
    let before_ok = !edges.0
        || !text[..range.start]
            .chars()
            .next_back()
            .is_some_and(is_word_char);
    let after_ok = !edges.1 || !text[range.end..].chars().next().is_some_and(is_word_char);
    before_ok && after_ok
}

/// Returns true if `rest` starts with an editorial `[sic]`.
fn followed_by_sic(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\u{a0}']);
    rest.get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("[sic]"))
}

/// The letter-case shape of a match, carried over to its replacement.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    AsWritten,
    Upper,
    Title,
    Capitalized,
}

fn shape(matched: &str) -> Shape {
    let mut upper = 0;
    let mut lower = 0;
    for c in matched.chars() {
        upper += usize::from(c.is_uppercase());
        lower += usize::from(c.is_lowercase());
    }
    let first_upper = matched
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase);
    if upper == 0 {
        Shape::AsWritten
    } else if lower == 0 && upper >= 2 {
        Shape::Upper
    } else if !first_upper {
        Shape::AsWritten
    } else if matched.split_whitespace().count() > 1
        && matched.split_whitespace().all(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_none_or(char::is_uppercase)
        })
    {
        Shape::Title
    } else {
        Shape::Capitalized
    }
}

/// Gives `replacement` the case shape of `matched` (`Global law` →
/// `International law`, `GLOBAL LAW` → `INTERNATIONAL LAW`).
pub fn transfer_case(matched: &str, replacement: &str) -> String {
    match shape(matched) {
        Shape::AsWritten => replacement.to_string(),
        Shape::Upper => replacement.to_uppercase(),
        Shape::Capitalized => capitalize(replacement),
        Shape::Title => replacement
            .split(' ')
            .map(capitalize)
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Keeps the line breaks of a hard-wrapped match in its replacement: gaps
/// map one to one when the word counts agree, otherwise a line break goes
/// to the replacement gap at the same relative place.
pub fn keep_line_breaks(matched: &str, replacement: &str) -> String {
    let gaps: Vec<&str> = matched
        .split(|c: char| !c.is_whitespace())
        .filter(|g| !g.is_empty())
        .collect();
    if gaps.iter().all(|g| *g == " ") {
        return replacement.to_string();
    }
    let words: Vec<&str> = replacement.split(' ').collect();
    let n = words.len() - 1;
    let mut chosen: Vec<&str> = vec![" "; n];
    if n == gaps.len() {
        chosen.clone_from_slice(&gaps);
    } else if n > 0 {
        for (i, g) in gaps.iter().enumerate() {
            if g.contains('\n') {
                let k = (i * n / gaps.len()).min(n - 1);
                chosen[k] = g;
            }
        }
    }
    let mut out = String::with_capacity(replacement.len() + 2);
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push_str(chosen[i - 1]);
        }
        out.push_str(w);
    }
    out
}

/// The pass that runs [`PhraseMatcher`] with the loaded rules.
pub struct Phrases {
    /// The rules, with their automaton.
    pub rules: Arc<RuleSet>,
}

impl Pass for Phrases {
    fn name(&self) -> &'static str {
        "phrases"
    }

    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        self.rules.phrases.find_edits(&self.rules, text, cx, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_shapes_carry_over() {
        assert_eq!(
            transfer_case("global law", "international law"),
            "international law"
        );
        assert_eq!(
            transfer_case("Global law", "international law"),
            "International law"
        );
        assert_eq!(
            transfer_case("Global Law", "international law"),
            "International Law"
        );
        assert_eq!(
            transfer_case("GLOBAL LAW", "international law"),
            "INTERNATIONAL LAW"
        );
        assert_eq!(transfer_case("Émigré", "émigré writer"), "Émigré writer");
        assert_eq!(transfer_case("gLoBal", "x"), "x");
    }

    #[test]
    fn line_breaks_survive_replacement() {
        assert_eq!(
            keep_line_breaks("global\nlaw", "international law"),
            "international\nlaw"
        );
        assert_eq!(
            keep_line_breaks("Russian\r\nFederation", "Russia"),
            "Russia"
        );
        assert_eq!(keep_line_breaks("a\nb c", "x y z w"), "x\ny z w");
    }

    #[test]
    fn sic_protects() {
        assert!(followed_by_sic(" [sic] said"));
        assert!(followed_by_sic("[SIC]"));
        assert!(!followed_by_sic(" sic"));
    }
}
