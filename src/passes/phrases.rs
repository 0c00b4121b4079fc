//! The phrase pass: every phrase rule of every pack in one Aho-Corasick
//! automaton, run once over a folded copy of the text.
//!
//! Folding (see [`crate::fold`]) makes smart case work beyond ASCII and lets
//! a phrase match across any whitespace run. Each automaton match is then
//! checked against the rule's conditions on the original text: exact case,
//! word boundaries, protected spans, `unless`, `requires`, quotes, `[sic]`.
//! When the longest phrase at a position fails, the shorter phrases that
//! start there are tried, longest first.
//!
//! # Why two automata
//!
//! Almost every phrase starts with a word character and must start at a word
//! boundary, so a match can only succeed where a word starts. Those phrases
//! go into a trie that is walked *anchored*, once per word start: the
//! walk stops as soon as the word leaves the trie, and the inside of a word
//! is never searched. The few other phrases (starting with punctuation, or
//! of rules with `boundary: none`) go into a second, unanchored automaton.
//! Both answer the same question at each position (the longest phrase that
//! starts there), so the result is exactly that of one leftmost-longest
//! automaton over all phrases, at a fraction of the cost: the inside of a
//! word is skipped, and the word automaton is a plain trie (an anchored walk
//! needs no failure transitions), which builds an order of magnitude faster
//! than an Aho-Corasick DFA or NFA over a 58,000-phrase pack.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use rustc_hash::FxHashMap;

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

/// A byte trie over the phrases that can only match at a word start,
/// walked anchored from each word start.
///
/// An anchored walk needs no failure transitions, so a plain trie does the
/// job of an Aho-Corasick automaton at a fraction of its build cost: built
/// from the sorted phrases in one pass, 58,000 phrases take a few tens of
/// millions of instructions where a contiguous NFA takes ten times that.
/// Nodes with many children (the first levels) get a 256-entry table; the
/// others a short sorted edge list.
#[derive(Debug, Default)]
struct Trie {
    nodes: Vec<TrieNode>,
    /// Edge bytes of the sparse nodes, sorted per node.
    edge_bytes: Vec<u8>,
    /// Edge targets, parallel to `edge_bytes`.
    edge_next: Vec<u32>,
    /// 256-entry tables of the dense nodes.
    dense: Vec<u32>,
}

#[derive(Clone, Copy, Debug)]
struct TrieNode {
    /// The pattern ending here, or [`NONE`].
    pattern: u32,
    /// Start of the node's edges in `edge_*`, or of its table in `dense`.
    start: u32,
    /// Number of sparse edges; [`DENSE`] for a table.
    len: u32,
}

const NONE: u32 = u32::MAX;
const DENSE: u32 = u32::MAX;
/// Nodes with more children than this get a table.
const DENSE_MIN: usize = 8;

impl Trie {
    /// Builds the trie over `patterns` (distinct, non-empty); the pattern
    /// ids are the indexes into `patterns`.
    fn build(patterns: &[&str]) -> Trie {
        let mut sorted: Vec<(&[u8], u32)> = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_bytes(), i as u32))
            .collect();
        sorted.sort_unstable();
        let mut trie = Trie::default();
        trie.node(&sorted, 0, true);
        trie
    }

    /// Adds the node for `pats` (sorted, sharing their first `depth`
    /// bytes) and its subtree; returns its id.
    fn node(&mut self, pats: &[(&[u8], u32)], depth: usize, root: bool) -> u32 {
        let id = self.nodes.len();
        self.nodes.push(TrieNode {
            pattern: NONE,
            start: 0,
            len: 0,
        });
        let mut rest = pats;
        if let Some(&(p, pid)) = rest.first() {
            if p.len() == depth {
                self.nodes[id].pattern = pid;
                rest = &rest[1..];
            }
        }
        let groups = group_ends(rest, depth);
        let n = groups.clone().count();
        let dense = root || n > DENSE_MIN;
        let start = if dense {
            let s = self.dense.len();
            self.dense.resize(s + 256, NONE);
            s
        } else {
            let s = self.edge_bytes.len();
            self.edge_bytes.resize(s + n, 0);
            self.edge_next.resize(s + n, NONE);
            s
        };
        self.nodes[id].start = start as u32;
        self.nodes[id].len = if dense { DENSE } else { n as u32 };
        let mut from = 0;
        for (k, to) in groups.enumerate() {
            let byte = rest[from].0[depth];
            let child = self.node(&rest[from..to], depth + 1, false);
            if dense {
                self.dense[start + usize::from(byte)] = child;
            } else {
                self.edge_bytes[start + k] = byte;
                self.edge_next[start + k] = child;
            }
            from = to;
        }
        id as u32
    }

    /// The longest pattern that matches `hay` starting at `at`, with its
    /// end.
    #[inline]
    fn longest_at(&self, hay: &[u8], at: usize) -> Option<(u32, usize)> {
        let mut node = self.nodes[0];
        let mut found = None;
        for (i, &b) in hay[at..].iter().enumerate() {
            let start = node.start as usize;
            let next = if node.len == DENSE {
                self.dense[start + usize::from(b)]
            } else {
                let end = start + node.len as usize;
                match self.edge_bytes[start..end].iter().position(|&x| x == b) {
                    Some(k) => self.edge_next[start + k],
                    None => NONE,
                }
            };
            if next == NONE {
                break;
            }
            node = self.nodes[next as usize];
            if node.pattern != NONE {
                found = Some((node.pattern, at + i + 1));
            }
        }
        found
    }
}

/// The ends of the runs of `pats` (sorted) that share the byte at `depth`.
fn group_ends<'a>(
    pats: &'a [(&'a [u8], u32)],
    depth: usize,
) -> impl Iterator<Item = usize> + Clone + 'a {
    let mut i = 0;
    std::iter::from_fn(move || {
        if i >= pats.len() {
            return None;
        }
        let b = pats[i].0[depth];
        i += pats[i..].partition_point(|p| p.0[depth] == b);
        Some(i)
    })
}

/// ASCII bytes that are word characters (letters, digits, `_`).
const fn ascii_word_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    t
}
static ASCII_WORD: [bool; 256] = ascii_word_table();

/// Returns true if the character starting at `at` in `hay` is a word
/// character, with its width.
#[inline]
fn word_char_at(hay: &[u8], at: usize) -> (bool, usize) {
    let b = hay[at];
    if b < 0x80 {
        return (ASCII_WORD[b as usize], 1);
    }
    let w = utf8_width(b);
    let c = std::str::from_utf8(&hay[at..at + w])
        .ok()
        .and_then(|s| s.chars().next());
    (c.is_some_and(is_word_char), w)
}

/// Returns true if the character that ends at `at` in `hay` is a word
/// character.
#[inline]
fn word_char_before(hay: &[u8], at: usize) -> bool {
    if at == 0 {
        return false;
    }
    let b = hay[at - 1];
    if b < 0x80 {
        return ASCII_WORD[b as usize];
    }
    let mut s = at - 1;
    while s > 0 && at - s < 4 && (hay[s] & 0xc0) == 0x80 {
        s -= 1;
    }
    word_char_at(hay, s).0
}

/// The first word start in `hay[from..=upto]`: a word character not
/// preceded by one. `from` must be a character boundary.
#[inline]
fn next_word_start(hay: &[u8], from: usize, upto: usize) -> Option<usize> {
    let upto = upto.min(hay.len().saturating_sub(1));
    let mut i = from;
    let mut prev = word_char_before(hay, from);
    while i <= upto {
        let b = hay[i];
        if b < 0x80 {
            let w = ASCII_WORD[b as usize];
            if w && !prev {
                return Some(i);
            }
            prev = w;
            i += 1;
        } else {
            let (w, width) = word_char_at(hay, i);
            if w && !prev {
                return Some(i);
            }
            prev = w;
            i += width;
        }
    }
    None
}

/// The compiled automata and the rules behind each of their patterns.
#[derive(Debug, Default)]
pub struct PhraseMatcher {
    /// Patterns that can only match at a word start, walked anchored.
    words: Option<Trie>,
    /// Global pattern id of each pattern of `words`.
    word_pids: Vec<u32>,
    /// Every other pattern, searched unanchored.
    anywhere: Option<AhoCorasick>,
    /// Global pattern id of each pattern of `anywhere`.
    any_pids: Vec<u32>,
    /// Per pattern: every rule claiming it needs a word boundary before it
    /// (it is in `words`).
    needs_start: Vec<bool>,
    /// Per pattern: every rule claiming it needs a word boundary after it.
    needs_end: Vec<bool>,
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
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
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
                let pid = match ids.get(&folded) {
                    Some(&pid) => pid,
                    None => {
                        let pid = patterns.len() as u32;
                        ids.insert(folded.clone(), pid);
                        patterns.push(folded.clone());
                        entries.push(Vec::new());
                        pid
                    }
                };
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
        let edge_rule = |e: &Entry, side: fn(&(bool, bool)) -> bool| {
            rules[e.rule as usize].word_boundary && side(&e.word_edges)
        };
        let needs_start: Vec<bool> = entries
            .iter()
            .map(|es| es.iter().all(|e| edge_rule(e, |w| w.0)))
            .collect();
        let needs_end: Vec<bool> = entries
            .iter()
            .map(|es| es.iter().all(|e| edge_rule(e, |w| w.1)))
            .collect();
        let (mut word_pats, mut word_pids) = (Vec::new(), Vec::new());
        let (mut any_pats, mut any_pids) = (Vec::new(), Vec::new());
        for (pid, p) in patterns.iter().enumerate() {
            if needs_start[pid] {
                word_pats.push(p.as_str());
                word_pids.push(pid as u32);
            } else {
                any_pats.push(p.as_str());
                any_pids.push(pid as u32);
            }
        }
        let words = (!word_pats.is_empty()).then(|| Trie::build(&word_pats));
        let anywhere = (!any_pats.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&any_pats)
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
            words,
            word_pids,
            anywhere,
            any_pids,
            needs_start,
            needs_end,
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
        self.words.is_none() && self.anywhere.is_none()
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
        if self.is_empty() {
            return;
        }
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
            self.search(set, &doc, cx, out);
        }
    }

    /// Visits, left to right, every position where some pattern matches,
    /// with the longest pattern there: exactly the matches of one
    /// unanchored leftmost-longest automaton over all patterns, restarted
    /// one character later after a match that no rule claims.
    fn search(&self, set: &RuleSet, doc: &DocState<'_>, cx: &Context<'_>, out: &mut Vec<Edit>) {
        let hay = doc.folded.bytes();
        let mut pos = 0;
        // The next match of the `anywhere` automaton at or after `pos`.
        let mut next_any: Option<(usize, u32)> = None;
        let mut any_done = self.anywhere.is_none();
        while pos < hay.len() {
            if !any_done && next_any.is_none_or(|(s, _)| s < pos) {
                let ac = self.anywhere.as_ref().expect("checked");
                next_any = ac
                    .find(Input::new(hay).span(pos..hay.len()))
                    .map(|m| (m.start(), self.any_pids[m.pattern().as_usize()]));
                any_done = next_any.is_none();
            }
            let limit = next_any.map_or(hay.len(), |(s, _)| s);
            let mut word_hit = None;
            if let Some(words) = &self.words {
                let mut from = pos;
                while let Some(s) = next_word_start(hay, from, limit) {
                    if let Some((wp, _)) = words.longest_at(hay, s) {
                        word_hit = Some((s, self.word_pids[wp as usize]));
                        break;
                    }
                    from = s + utf8_width(hay[s]);
                }
            }
            let (fs, pid) = match (word_hit, next_any) {
                (Some((s, w)), Some((a, p))) if s == a => (
                    s,
                    if self.lens[w as usize] >= self.lens[p as usize] {
                        w
                    } else {
                        p
                    },
                ),
                (Some(hit), _) => hit,
                (None, Some(hit)) => hit,
                (None, None) => break,
            };
            let starts_word = !word_char_before(hay, fs);
            let found = std::iter::once(pid)
                .chain(self.shorter[pid as usize].iter().copied())
                .find_map(|p| {
                    let fe = fs + self.lens[p as usize];
                    // Cheap rejections first: the folded neighbours are
                    // word characters exactly when the original ones are.
                    if self.needs_start[p as usize] && !starts_word {
                        return None;
                    }
                    if self.needs_end[p as usize]
                        && hay.get(fe).is_some_and(|&b| ASCII_WORD[b as usize])
                    {
                        return None;
                    }
                    self.try_pattern(set, p, fs..fe, doc, cx)
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
            if !self.requires_met(entry.rule, doc) {
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
            let mut edit = Edit::new(&rule.id, level, text, range, after, &rule.why);
            edit.range = doc.base + edit.range.start..doc.base + edit.range.end;
            return Some(Some(edit));
        }
        None
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
    use crate::rules::load::Loader;
    use proptest::prelude::*;

    impl PhraseMatcher {
        /// The search as one unanchored leftmost-longest automaton over
        /// every pattern, restarted one character later after a match no
        /// rule claims: the reference the two-automaton search must equal.
        fn find_edits_reference(
            &self,
            set: &RuleSet,
            text: &str,
            cx: &Context<'_>,
            out: &mut Vec<Edit>,
        ) {
            let mut ids: HashMap<String, u32> = HashMap::new();
            let mut patterns = Vec::new();
            for rule in &set.rules {
                if let Find::Phrases { phrases, .. } = &rule.find {
                    for p in phrases {
                        let f = fold_phrase(p);
                        ids.entry(f.clone()).or_insert_with(|| {
                            patterns.push(f);
                            (patterns.len() - 1) as u32
                        });
                    }
                }
            }
            if patterns.is_empty() {
                return;
            }
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .unwrap();
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
    }

    /// Words the random texts and packs are made of: prefixes of each
    /// other, punctuation-led, non-ASCII, length-changing under lowercase.
    const WORDS: &[&str] = &[
        "ende",
        "dependent",
        "dependence",
        "dep",
        "global",
        "law",
        "gLoBaL",
        "LAW",
        "a",
        "ab",
        "abc",
        "'tis",
        "-ish",
        "x-ray",
        "émigré",
        "ÉMIGRÉ",
        "İx",
        "Kelvin",
        "\u{212a}",
        "ǅ",
        "e\u{301}",
        "law-firm",
        "co.",
        "mr.",
        "U.S.",
        "_x",
        "9",
        "ñ",
    ];
    const GAPS: &[&str] = &[" ", "  ", "\n", "\n\n", ", ", ".", "-", "\t", "\u{a0}", ""];

    fn text_strategy() -> impl Strategy<Value = String> {
        prop::collection::vec((0..WORDS.len(), 0..GAPS.len()), 0..40).prop_map(|parts| {
            let mut s = String::new();
            for (w, g) in parts {
                s.push_str(WORDS[w]);
                s.push_str(GAPS[g]);
            }
            s
        })
    }

    fn pack_strategy() -> impl Strategy<Value = String> {
        let rule = (
            prop::collection::vec((0..WORDS.len(), 0..3usize), 1..3),
            any::<bool>(),
        );
        prop::collection::vec(rule, 1..8).prop_map(|rules| {
            let mut y = String::from("pack: p\nrules:\n");
            for (i, (words, no_boundary)) in rules.iter().enumerate() {
                let phrase: Vec<&str> = words.iter().map(|&(w, _)| WORDS[w]).collect();
                let phrase = phrase.join(" ");
                y.push_str(&format!(
                    "  - id: r{i}\n    find: {}\n    replace: \"Z{i}Q\"\n",
                    serde_json::to_string(&phrase).unwrap()
                ));
                if *no_boundary {
                    y.push_str("    boundary: none\n");
                }
            }
            y
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn two_automata_equal_one(pack in pack_strategy(), text in text_strategy()) {
            let mut loader = Loader::new();
            loader.add_source("p.yaml", pack);
            // Random packs may clash or cycle; only valid ones matter.
            let Ok(set) = loader.build() else { return Ok(()) };
            let empty = Spans::default();
            let disabled = Default::default();
            let cx = Context { protected: &empty, disabled: &disabled, check_quotes: true };
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            set.phrases.find_edits(&set, &text, &cx, &mut fast);
            set.phrases.find_edits_reference(&set, &text, &cx, &mut slow);
            prop_assert_eq!(&fast, &slow);
        }
    }

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
