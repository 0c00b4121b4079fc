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
//! # One automaton, searched anchored
//!
//! All phrases go into one leftmost-longest Aho-Corasick automaton built for
//! *anchored* searches only. Almost every phrase starts with a word character
//! and must start at a word boundary, so it can only match where a word
//! starts; the other phrases (starting with punctuation, or of rules with
//! `boundary: none`) can only match where their first byte occurs. The
//! search therefore visits just those candidate positions, left to right,
//! and asks the automaton for the longest phrase that starts exactly there:
//! the inside of a word is never searched, and an anchored search stops as
//! soon as no phrase can continue. The result is exactly that of an
//! unanchored leftmost-longest search over all phrases (a property test
//! checks it), at a fraction of the cost on large packs. An anchored-only
//! automaton also has no unanchored start state to build: a DFA (fastest
//! transitions) for small sets, a contiguous NFA (far cheaper to build) for
//! large ones, built on a thread of its own while the load goes on.
//!
//! Before the automaton is asked, a candidate word is looked up in a Bloom
//! filter of the words phrases start with (`WordKeys`): with a large pack
//! most words of real prose are no key and are skipped after one hash. A
//! long text is searched in chunks that end at blank lines, in parallel.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use aho_corasick::automaton::Automaton as _;
use aho_corasick::{dfa, nfa, AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::edit::{Edit, Level};
use crate::fold::{eq_ignoring_space_runs, fold_phrase, paragraph_chunks, Folded};
use crate::passes::{is_word_char, Context, Pass, Probe};
use crate::rules::{CaseMode, Find, InQuotes, Rule, RuleSet};
use crate::spans::{paragraphs_around, quoted_regions, Spans};

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

/// Classes of a byte in [`PhraseMatcher::classes`].
const WORD: u8 = 1;
/// A byte that is not ASCII (its character must be decoded).
const WIDE: u8 = 2;
/// The first byte of some pattern that does not need a word start.
const FIRST: u8 = 4;

/// The first candidate position in `hay[from..]`: a word start (a word
/// character not preceded by one) or a byte that starts a pattern needing
/// no word start. `from` must be a character boundary.
#[inline]
fn next_candidate(classes: &[u8; 256], hay: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    let mut prev = word_char_before(hay, from);
    while i < hay.len() {
        let c = classes[usize::from(hay[i])];
        if c & FIRST != 0 {
            return Some(i);
        }
        if c & WIDE == 0 {
            let w = c & WORD != 0;
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

/// Pattern counts up to which the automaton is a DFA (fastest transitions);
/// above it, a contiguous NFA, far cheaper to build for large packs.
const DFA_MAX_PATTERNS: usize = 100;

/// The one Aho-Corasick automaton over every folded phrase, built for
/// anchored searches only, of the kind that suits the pack's size.
///
/// Held as the concrete automaton rather than behind [`aho_corasick::AhoCorasick`]
/// so that each of the many short anchored searches (one per word start) is
/// a direct, inlined call.
#[derive(Debug)]
enum Automaton {
    Dfa(dfa::DFA),
    Nfa(nfa::contiguous::NFA),
    Sparse(nfa::noncontiguous::NFA),
}

impl Automaton {
    /// Builds the automaton over `patterns`: a DFA up to `dfa_max`
    /// patterns, else a contiguous NFA (or, if that outgrows its state-id
    /// space, a noncontiguous one).
    fn build(patterns: &[String], dfa_max: usize) -> Automaton {
        if patterns.len() <= dfa_max {
            let built = dfa::Builder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                .prefilter(false)
                .build(patterns);
            if let Ok(d) = built {
                return Automaton::Dfa(d);
            }
        }
        let built = nfa::contiguous::Builder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .prefilter(false)
            // Dense transitions for the first three bytes, where most
            // anchored searches end (measured: a few percent faster scans).
            .dense_depth(3)
            .build(patterns);
        match built {
            Ok(n) => Automaton::Nfa(n),
            Err(_) => Automaton::Sparse(
                nfa::noncontiguous::Builder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .prefilter(false)
                    .build(patterns)
                    .expect("phrase automaton builds"),
            ),
        }
    }

    /// The longest pattern that starts exactly at `at` in `hay`.
    #[inline]
    fn longest_at(&self, hay: &[u8], at: usize) -> Option<aho_corasick::Match> {
        let input = Input::new(hay).span(at..hay.len()).anchored(Anchored::Yes);
        let found = match self {
            Automaton::Dfa(a) => a.try_find(&input),
            Automaton::Nfa(a) => a.try_find(&input),
            Automaton::Sparse(a) => a.try_find(&input),
        };
        found.expect("anchored searches are supported")
    }
}

/// The ASCII words a phrase can start with: a cheap test, a hash and two
/// bit lookups per candidate word, that rules out most candidate positions
/// before the automaton is asked.
///
/// Take the run of ASCII word bytes that starts a pattern (its *key*). If
/// the run stops inside the pattern (at punctuation, a space or a non-ASCII
/// character), the text's run of ASCII word bytes at a match must be exactly
/// the key; if the run is the whole pattern and the pattern needs a word
/// boundary after it, the text's run must be the key too (the search
/// rejects a match followed by an ASCII word byte). Only a pattern that is
/// all ASCII word bytes and needs no boundary after it (a `boundary: none`
/// rule) can match where the text's run is longer: those are kept by
/// length, and each length's prefix of the text's run is looked up. So a
/// candidate whose run is no key (and has no prefix key) has no match, and
/// skipping it changes nothing: the property test against the unanchored
/// search covers it.
///
/// The keys are held in a Bloom filter (two bits per key, 16 bits of table
/// per key): a word that is no key is ruled out by one of its bits in about
/// 98 cases in 100; a false positive only means the automaton is asked, as
/// it was before, and answers exactly.
#[derive(Debug, Default)]
struct WordKeys {
    /// Keys of the patterns whose whole run must match.
    exact: Bloom,
    /// Patterns that match a prefix of the run.
    prefixes: Bloom,
    /// The distinct lengths of the patterns in `prefixes`, shortest first.
    prefix_lens: Vec<usize>,
    /// No ASCII word byte starts a pattern that needs no word start, so a
    /// ruled-out run holds no other candidate: the scan goes on after it.
    skip_run: bool,
}

impl WordKeys {
    fn build(patterns: &[String], needs_end: &[bool], classes: &[u8; 256]) -> WordKeys {
        let mut exact = Vec::new();
        let mut prefixes = Vec::new();
        let mut prefix_lens = Vec::new();
        for (p, &end) in patterns.iter().zip(needs_end) {
            let p = p.as_bytes();
            let run = ascii_word_run(p, 0);
            if run == 0 {
                continue;
            }
            if run == p.len() && !end {
                prefixes.push(p);
                if !prefix_lens.contains(&run) {
                    prefix_lens.push(run);
                }
            } else {
                exact.push(&p[..run]);
            }
        }
        prefix_lens.sort_unstable();
        WordKeys {
            exact: Bloom::new(&exact),
            prefixes: Bloom::new(&prefixes),
            prefix_lens,
            skip_run: (0..128).all(|b| !ASCII_WORD[b] || classes[b] & FIRST == 0),
        }
    }

    /// If no pattern can match at the candidate `at` of `hay`, where the
    /// scan goes on; `None` if the automaton must be asked.
    #[inline]
    fn rules_out(&self, hay: &[u8], at: usize) -> Option<usize> {
        let run = ascii_word_run(hay, at);
        if run == 0 {
            return None;
        }
        let word = &hay[at..at + run];
        if self.exact.may_hold(word) {
            return None;
        }
        for &len in &self.prefix_lens {
            if len > run {
                break;
            }
            if self.prefixes.may_hold(&word[..len]) {
                return None;
            }
        }
        Some(if self.skip_run { at + run } else { at + 1 })
    }
}

/// A set of byte strings that can answer "certainly not in it" (a Bloom
/// filter: two bits per member, about 16 bits of table per member).
#[derive(Debug, Default)]
struct Bloom {
    bits: Vec<u64>,
    /// `64 - log2(table bits)`: a hash's top bits index the table.
    shift: u32,
}

impl Bloom {
    fn new(members: &[&[u8]]) -> Bloom {
        if members.is_empty() {
            return Bloom::default();
        }
        let table = (members.len() * 16).next_power_of_two().max(1 << 12);
        let mut bloom = Bloom {
            bits: vec![0; table / 64],
            shift: 64 - table.trailing_zeros(),
        };
        for m in members {
            for i in bloom.indexes(m) {
                bloom.bits[i / 64] |= 1 << (i % 64);
            }
        }
        bloom
    }

    /// Returns false if `word` is certainly not a member.
    #[inline]
    fn may_hold(&self, word: &[u8]) -> bool {
        !self.bits.is_empty()
            && self
                .indexes(word)
                .iter()
                .all(|&i| self.bits[i / 64] & (1 << (i % 64)) != 0)
    }

    /// The two table positions of `word`: the top bits of its hash, and
    /// the top bits of the hash turned by 32.
    #[inline]
    fn indexes(&self, word: &[u8]) -> [usize; 2] {
        let h = word_hash(word);
        [
            (h >> self.shift) as usize,
            (h.rotate_left(32) >> self.shift) as usize,
        ]
    }
}

/// A fast hash of a short byte string: eight bytes at a time, multiplied.
#[inline]
fn word_hash(word: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |h: u64, v: u64| (h.rotate_left(23) ^ v).wrapping_mul(K);
    let mut h = (word.len() as u64).wrapping_mul(K);
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        h = mix(h, u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = mix(h, rest.iter().fold(0, |v, &b| v << 8 | u64::from(b)));
    }
    h ^ (h >> 29)
}

/// Length of the run of ASCII word bytes at `at` in `hay`.
#[inline]
fn ascii_word_run(hay: &[u8], at: usize) -> usize {
    hay[at..]
        .iter()
        .position(|&b| !ASCII_WORD[usize::from(b)])
        .unwrap_or(hay.len() - at)
}

/// A value built on its own thread, waited for where it is first needed.
struct Background<T> {
    value: OnceLock<T>,
    job: Mutex<Option<JoinHandle<T>>>,
}

impl<T: Send + 'static> Background<T> {
    /// Starts building with `build` on a new thread.
    fn start(build: impl FnOnce() -> T + Send + 'static) -> Background<T> {
        Background {
            value: OnceLock::new(),
            job: Mutex::new(Some(std::thread::spawn(build))),
        }
    }

    /// A value already built.
    fn ready(value: T) -> Background<T> {
        Background {
            value: OnceLock::from(value),
            job: Mutex::new(None),
        }
    }

    /// The value, once built.
    fn get(&self) -> &T {
        self.value.get_or_init(|| {
            let job = self.job.lock().expect("not poisoned").take();
            match job.expect("started").join() {
                Ok(value) => value,
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }
}

impl<T> std::fmt::Debug for Background<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.value.get().is_some() {
            "Background(built)"
        } else {
            "Background(building)"
        })
    }
}

/// The compiled automaton and the rules behind each of its patterns.
#[derive(Debug)]
pub struct PhraseMatcher {
    /// Every folded phrase, in one automaton searched anchored at the
    /// candidate positions (none without phrase rules).
    automaton: Background<Option<Automaton>>,
    /// Per byte: [`WORD`], [`WIDE`] and [`FIRST`] flags.
    classes: [u8; 256],
    /// The words a phrase can start with, checked before the automaton.
    words: WordKeys,
    /// Per pattern: every rule claiming it needs a word boundary before it
    /// (it can only match at a word start).
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

impl Default for PhraseMatcher {
    fn default() -> PhraseMatcher {
        PhraseMatcher {
            automaton: Background::ready(None),
            classes: [0; 256],
            words: WordKeys::default(),
            needs_start: Vec::new(),
            needs_end: Vec::new(),
            lens: Vec::new(),
            entries: Vec::new(),
            shorter: Vec::new(),
            requires: None,
            rule_requires: HashMap::new(),
            requires_len: 0,
        }
    }
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
        PhraseMatcher::build_with(rules, DFA_MAX_PATTERNS)
    }

    /// As [`PhraseMatcher::build`], with a DFA only up to `dfa_max`
    /// patterns.
    fn build_with(rules: &[Rule], dfa_max: usize) -> (PhraseMatcher, Vec<Clash>) {
        // Fold and number every distinct phrase first, so the automaton (the
        // costliest part for a large pack) is built on its own thread while
        // the rules' claims on the phrases are worked out here, and the
        // rest of the load and the reading of the input go on.
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut patterns: Vec<String> = Vec::new();
        let mut claims: Vec<u32> = Vec::new();
        for rule in rules {
            let Find::Phrases { phrases, .. } = &rule.find else {
                continue;
            };
            for phrase in phrases {
                let folded = fold_phrase(phrase);
                let pid = match ids.get(&folded) {
                    Some(&pid) => pid,
                    None => {
                        let pid = patterns.len() as u32;
                        ids.insert(folded.clone(), pid);
                        patterns.push(folded);
                        pid
                    }
                };
                claims.push(pid);
            }
        }
        let patterns: Arc<[String]> = patterns.into();
        let automaton = if patterns.is_empty() {
            Background::ready(None)
        } else {
            let patterns = Arc::clone(&patterns);
            Background::start(move || Some(Automaton::build(&patterns, dfa_max)))
        };
        let (mut matcher, clashes) = PhraseMatcher::claims(rules, &patterns, &ids, &claims);
        matcher.automaton = automaton;
        (matcher, clashes)
    }

    /// Everything but the automaton: the rules claiming each pattern
    /// (`claims` holds the pattern id of each phrase of each phrase rule,
    /// in order), the clashes between them, and the `requires` automaton.
    fn claims(
        rules: &[Rule],
        patterns: &[String],
        ids: &FxHashMap<String, u32>,
        claims: &[u32],
    ) -> (PhraseMatcher, Vec<Clash>) {
        let mut entries: Vec<Vec<Entry>> = (0..patterns.len()).map(|_| Vec::new()).collect();
        let mut clashes = Vec::new();
        let mut any_subword = false;
        let mut claims = claims.iter().copied();
        for (ri, rule) in rules.iter().enumerate() {
            let Find::Phrases { phrases, case } = &rule.find else {
                continue;
            };
            any_subword |= !rule.word_boundary;
            for phrase in phrases {
                let pid = claims.next().expect("one claim per phrase");
                let folded = &patterns[pid as usize];
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
                        let offsets = u.match_indices(folded.as_str()).map(|(i, _)| i).collect();
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
        let mut classes = [0u8; 256];
        for (b, class) in classes.iter_mut().enumerate() {
            *class = if b < 0x80 {
                if ASCII_WORD[b] {
                    WORD
                } else {
                    0
                }
            } else {
                WIDE
            };
        }
        for (pid, p) in patterns.iter().enumerate() {
            if !needs_start[pid] {
                if let Some(&b) = p.as_bytes().first() {
                    classes[usize::from(b)] |= FIRST;
                }
            }
        }
        let words = WordKeys::build(patterns, &needs_end, &classes);
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
        // A contiguous NFA: the default (a DFA, for so few phrases) takes
        // longer to build than the one search it serves per document.
        let requires = (!req_patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&req_patterns)
                .expect("requires automaton builds")
        });
        let matcher = PhraseMatcher {
            automaton: Background::ready(None),
            classes,
            words,
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
        self.lens.is_empty()
    }

    /// Number of distinct folded phrases in the automaton.
    pub fn len(&self) -> usize {
        self.lens.len()
    }

    /// Finds every phrase edit in `text` (levels as the rules declare them,
    /// `applied` left false).
    ///
    /// The text is folded and searched in chunks that end at blank lines
    /// (a phrase never spans one), so memory does not grow with the input
    /// and a long text's chunks are searched on every core; their edits
    /// are joined in text order.
    pub fn find_edits(&self, set: &RuleSet, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        if self.is_empty() {
            return;
        }
        let requires = OnceLock::new();
        let whole = || std::iter::once(0..text.len()).collect();
        let windows = match cx.within {
            Some(changed) => {
                let windows = paragraphs_around(text, changed);
                let read: usize = windows.iter().map(|w| w.len()).sum();
                if self.requires_len == 0 || !cx.check_quotes {
                    windows
                } else if read * 2 > text.len() {
                    // Most of the text: reading it all costs little more
                    // than deciding whether it may be skipped.
                    whole()
                } else {
                    let (present, came_true) = self.requires_around(text, &windows);
                    requires.get_or_init(|| present);
                    if came_true {
                        whole()
                    } else {
                        windows
                    }
                }
            }
            None => whole(),
        };
        let chunks: Vec<(usize, &str)> = windows
            .iter()
            .flat_map(|w| {
                paragraph_chunks(&text[w.clone()], CHUNK)
                    .map(move |(at, chunk)| (w.start + at, chunk))
            })
            .collect();
        let search = |folded: &mut Folded, (base, chunk): (usize, &str), out: &mut Vec<Edit>| {
            folded.refold(chunk);
            let doc = DocState {
                text: chunk,
                base,
                whole: text,
                folded,
                quotes: OnceCell::new(),
                requires: &requires,
            };
            self.search(set, &doc, cx, out);
        };
        if chunks.len() == 1 {
            search(&mut Folded::default(), chunks[0], out);
            return;
        }
        let found: Vec<Vec<Edit>> = chunks
            .into_par_iter()
            .map_init(Folded::default, |folded, chunk| {
                let mut edits = Vec::new();
                search(folded, chunk, &mut edits);
                edits
            })
            .collect();
        out.reserve(found.iter().map(Vec::len).sum());
        for edits in found {
            out.extend(edits);
        }
    }

    /// Visits, left to right, every position where some pattern matches,
    /// with the longest pattern there: exactly the matches of one
    /// unanchored leftmost-longest search over all patterns, restarted one
    /// character later after a match that no rule claims.
    ///
    /// Only candidate positions are searched (see [`next_candidate`]): at
    /// any other position, every pattern that could start there needs a
    /// word start, so the unanchored search would find nothing there that a
    /// rule could claim.
    fn search(&self, set: &RuleSet, doc: &DocState<'_>, cx: &Context<'_>, out: &mut Vec<Edit>) {
        let Some(ac) = self.automaton.get() else {
            return;
        };
        let hay = doc.folded.bytes();
        let mut pos = 0;
        while let Some(fs) = next_candidate(&self.classes, hay, pos) {
            if let Some(next) = self.words.rules_out(hay, fs) {
                pos = next;
                continue;
            }
            let Some(m) = ac.longest_at(hay, fs) else {
                pos = fs + utf8_width(hay[fs]);
                continue;
            };
            let pid = m.pattern().as_u32();
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
    /// replacement with up to [`CONTEXT_CHARS`](crate::passes::CONTEXT_CHARS) characters of text on each
    /// side.
    fn matches_again(&self, set: &RuleSet, text: &str, range: &Range<usize>, after: &str) -> bool {
        let Probe {
            text: probe,
            replacement: rep,
            ..
        } = Probe::new(text, range, after);
        let none = Spans::default();
        let disabled = Default::default();
        let inner = Context {
            protected: &none,
            disabled: &disabled,
            check_quotes: false,
            within: None,
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
            self.find_requires(doc.whole, std::iter::once(0..doc.whole.len()), &mut present);
            present
        });
        needed.iter().any(|&i| present[i as usize])
    }

    /// For a later round that reads only `windows` (the paragraphs holding
    /// every change since the pass last ran): which `requires` phrases
    /// occur, and whether some rule's condition may have come true since
    /// then, which calls for reading the whole text. A condition met by a
    /// phrase outside the windows was met then too, so the rule's matches
    /// outside were found then; one met only inside them may be new.
    fn requires_around(&self, text: &str, windows: &[Range<usize>]) -> (Vec<bool>, bool) {
        let mut outside = vec![false; self.requires_len];
        let mut gaps = Vec::with_capacity(windows.len() + 1);
        let mut pos = 0;
        for w in windows {
            gaps.push(pos..w.start);
            pos = w.end;
        }
        gaps.push(pos..text.len());
        self.find_requires(text, gaps, &mut outside);
        let mut present = outside.clone();
        self.find_requires(text, windows.iter().cloned(), &mut present);
        let met = |ids: &Vec<u32>, found: &[bool]| ids.iter().any(|&i| found[i as usize]);
        let came_true = self
            .rule_requires
            .values()
            .any(|ids| !met(ids, &outside) && met(ids, &present));
        (present, came_true)
    }

    /// Marks in `present` the `requires` phrases that occur (as whole
    /// words) in `regions` of `text` (whole paragraphs), until every rule
    /// with `requires` has one: a rule needs one of its phrases, not all,
    /// so on news the search stops after a few paragraphs.
    fn find_requires(
        &self,
        text: &str,
        regions: impl IntoIterator<Item = Range<usize>>,
        present: &mut [bool],
    ) {
        let Some(ac) = &self.requires else {
            return;
        };
        let all_met = |present: &[bool]| {
            self.rule_requires
                .values()
                .all(|ids| ids.iter().any(|&i| present[i as usize]))
        };
        if all_met(present) {
            return;
        }
        let mut folded = Folded::default();
        for region in regions {
            for (_, chunk) in paragraph_chunks(&text[region], REQUIRES_CHUNK) {
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
                if all_met(present) {
                    return;
                }
            }
        }
    }
}

/// Size of the pieces the `requires` phrases are looked for in, between
/// checks whether every rule has one.
const REQUIRES_CHUNK: usize = 16 * 1024;

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
    requires: &'a OnceLock<Vec<bool>>,
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

    /// A phrase never spans a blank line, and what decides a match (word
    /// boundaries, quotes, `unless`) lies within its paragraph; only a
    /// rule's `requires`, which reads the whole document, could change a
    /// match elsewhere: the whole text is read when a condition may have
    /// come true since the last run (see `requires_around`).
    fn windowed(&self) -> bool {
        true
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
        /// rule claims: the reference the anchored search must equal.
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
            let requires = OnceLock::new();
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
            // Mostly whole-word rules, so that many packs have no
            // `boundary: none` rule at all.
            prop::bool::weighted(0.2),
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
        fn anchored_search_equals_unanchored(pack in pack_strategy(), text in text_strategy()) {
            let mut loader = Loader::new();
            loader.add_source("p.yaml", pack);
            // Random packs may clash or cycle; only valid ones matter.
            let Ok(mut set) = loader.build() else { return Ok(()) };
            let empty = Spans::default();
            let disabled = Default::default();
            let cx = Context::whole(&empty, &disabled);
            let mut slow = Vec::new();
            set.phrases.find_edits_reference(&set, &text, &cx, &mut slow);
            // Both kinds of automaton: a DFA (small packs) and a contiguous
            // NFA (large packs).
            for dfa_max in [usize::MAX, 0] {
                set.phrases = PhraseMatcher::build_with(&set.rules, dfa_max).0;
                let mut fast = Vec::new();
                set.phrases.find_edits(&set, &text, &cx, &mut fast);
                prop_assert_eq!(&fast, &slow);
            }
        }
    }

    /// A text of several chunks is searched chunk by chunk on every core;
    /// the edits come back in text order, as one search would find them.
    #[test]
    fn long_texts_are_searched_in_parallel_chunks_in_order() {
        let mut loader = Loader::new();
        loader.add_source(
            "p.yaml",
            "pack: p\nrules:\n  - id: law\n    find: global law\n    replace: international law\n  - id: teh\n    find: teh\n    replace: the\n",
        );
        let set = loader.build().unwrap();
        let mut text = String::new();
        let mut i = 0usize;
        while text.len() < 3 * CHUNK {
            text.push_str(WORDS[i % WORDS.len()]);
            text.push_str(if i % 7 == 0 { " global\nlaw" } else { " teh" });
            text.push_str(GAPS[i % GAPS.len()]);
            i += 1;
        }
        let empty = Spans::default();
        let disabled = Default::default();
        let cx = Context::whole(&empty, &disabled);
        assert!(paragraph_chunks(&text, CHUNK).count() > 2);
        let mut slow = Vec::new();
        set.phrases
            .find_edits_reference(&set, &text, &cx, &mut slow);
        let mut fast = Vec::new();
        set.phrases.find_edits(&set, &text, &cx, &mut fast);
        assert!(fast.len() > 1000);
        assert_eq!(fast, slow);
    }

    /// In a later round, a `requires` condition met outside the changed
    /// paragraphs was met before, so they alone are read; one met only
    /// inside them may be new, and the whole text is read. The search for
    /// the phrases stops once every rule has one.
    #[test]
    fn requires_decide_what_a_later_round_reads() {
        let mut loader = Loader::new();
        loader.add_source(
            "p.yaml",
            "pack: p\nrules:\n  - id: polling\n    find: surveying station\n    replace: polling station\n    requires: [election, ballot]\n  - id: curve\n    find: curb\n    replace: curve\n    requires: [pandemic]\n",
        );
        let set = loader.build().unwrap();
        let m = &set.phrases;
        let text = "The election.\n\nA pandemic.\n\nThe ballot.\n\nQuiet.\n";
        let para = |s: &str| {
            let at = text.find(s).unwrap();
            at..text[at..].find("\n\n").map_or(text.len(), |k| at + k + 2)
        };
        let ids = |present: &[bool]| {
            let names = ["election", "ballot", "pandemic"];
            let found: Vec<&str> = names
                .into_iter()
                .enumerate()
                .filter(|&(i, _)| present[i])
                .map(|(_, n)| n)
                .collect();
            found
        };
        // Every condition met outside the window: the window alone.
        let (present, came_true) = m.requires_around(text, &[para("Quiet")]);
        assert!(!came_true);
        assert_eq!(ids(&present), ["election", "ballot", "pandemic"]);
        // `pandemic` only inside: it may be new.
        let (_, came_true) = m.requires_around(text, &[para("A pandemic")]);
        assert!(came_true);
        // `election` inside, but `ballot` outside meets the same rule.
        let (_, came_true) = m.requires_around(text, &[para("The election")]);
        assert!(!came_true);
        // The search stops once every rule has a phrase: `ballot`, far
        // after `election` and `pandemic`, is never reached.
        let long = format!(
            "The election, a pandemic.\n\n{}The ballot.\n",
            "Quiet words.\n\n".repeat(4 * REQUIRES_CHUNK / 14)
        );
        let mut present = vec![false; 3];
        m.find_requires(&long, std::iter::once(0..long.len()), &mut present);
        assert_eq!(ids(&present), ["election", "pandemic"]);
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
