//! The phrase matcher: every phrase of every phrase rule in one
//! Aho-Corasick automaton, run over a folded copy of the text. It offers
//! each match to its caller, which claims it or not; it knows nothing of
//! what a claim checks.
//!
//! Folding (see [`crate::fold`]) makes smart case work beyond ASCII and lets
//! a phrase match across any whitespace run. When the caller claims no
//! rule of the longest phrase at a position, the shorter phrases that start
//! there are offered, longest first.
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
//! large ones, built on a thread of its own while the load goes on
//! ([`super::automaton`]).
//!
//! Before the automaton is asked, a candidate word is looked up in a Bloom
//! filter of the words phrases start with ([`super::keys`]): with a large
//! pack most words of real prose are no key and are skipped after one
//! hash. A long text is searched in chunks that end at blank lines, in
//! parallel.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::automaton::{Automaton, Background, DFA_MAX_PATTERNS};
use super::keys::WordKeys;
use super::{is_word_char, utf8_width, word_char_at, word_char_before, word_edges, ASCII_WORD};
use crate::blocks::paragraph_chunks;
use crate::fold::{eq_ignoring_space_runs, fold_phrase, Folded};

/// One phrase of a rule, as the matcher is given it, in rule order.
pub(crate) struct PhraseSpec<'a> {
    /// The rule's index (what a [`Claim`] names).
    pub rule: u32,
    /// The phrase as written.
    pub phrase: &'a str,
    /// Whether letter case must match the phrase as written.
    pub exact: bool,
    /// Whether matches must be whole words.
    pub boundary: bool,
}

/// One rule's claim on a folded phrase.
#[derive(Debug)]
pub(crate) struct Claim {
    /// The rule's index.
    pub rule: u32,
    /// The phrase as written, when case must match exactly.
    pub exact: Option<String>,
    /// Whether the phrase starts / ends with a word character (the boundary
    /// is only checked on those sides, as with a regex `\b`).
    pub word_edges: (bool, bool),
    /// Whether the rule wants whole words.
    boundary: bool,
}

/// Two rules claiming the same phrase, with the same case: the loader
/// decides whether that is a clash.
#[derive(Debug)]
pub(crate) struct Overlap {
    /// The rule loaded first.
    pub first: usize,
    /// The rule loaded later.
    pub second: usize,
    /// The phrase both claim, as the later rule writes it.
    pub phrase: String,
}

/// Classes of a byte in [`PhraseMatcher::classes`].
pub(crate) const WORD: u8 = 1;
/// A byte that is not ASCII (its character must be decoded).
pub(crate) const WIDE: u8 = 2;
/// The first byte of some pattern that does not need a word start.
pub(crate) const FIRST: u8 = 4;

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

/// Size of the chunks the text is folded in (they end at a blank line).
pub(crate) const CHUNK: usize = 256 * 1024;

/// One chunk of a text, folded, as a claim sees it.
pub(crate) struct Chunk<'a> {
    /// The chunk.
    pub text: &'a str,
    /// Offset of the chunk in the text.
    pub base: usize,
    /// The chunk folded; matches are found in it.
    pub folded: &'a Folded,
}

/// The compiled automaton and the rules behind each of its patterns.
#[derive(Debug)]
pub(crate) struct PhraseMatcher {
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
    claims: Vec<Vec<Claim>>,
    /// Patterns that are proper prefixes of each pattern, longest first.
    shorter: Vec<Vec<u32>>,
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
            claims: Vec::new(),
            shorter: Vec::new(),
        }
    }
}

impl PhraseMatcher {
    /// Compiles `phrases` (in rule order), reporting rules that claim the
    /// same phrase with the same case.
    pub(crate) fn build(phrases: &[PhraseSpec<'_>]) -> (PhraseMatcher, Vec<Overlap>) {
        PhraseMatcher::build_with(phrases, DFA_MAX_PATTERNS)
    }

    /// As [`PhraseMatcher::build`], with a DFA only up to `dfa_max`
    /// patterns.
    pub(crate) fn build_with(
        phrases: &[PhraseSpec<'_>],
        dfa_max: usize,
    ) -> (PhraseMatcher, Vec<Overlap>) {
        // Fold and number every distinct phrase first, so the automaton (the
        // costliest part for a large pack) is built on its own thread while
        // the rules' claims on the phrases are worked out here, and the
        // rest of the load and the reading of the input go on.
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut patterns: Vec<String> = Vec::new();
        let mut claims: Vec<u32> = Vec::new();
        for spec in phrases {
            let folded = fold_phrase(spec.phrase);
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
        let patterns: Arc<[String]> = patterns.into();
        let automaton = if patterns.is_empty() {
            Background::ready(None)
        } else {
            let patterns = Arc::clone(&patterns);
            Background::start(move || Some(Automaton::build(&patterns, dfa_max)))
        };
        let (mut matcher, overlaps) = PhraseMatcher::claims(phrases, &patterns, &ids, &claims);
        matcher.automaton = automaton;
        (matcher, overlaps)
    }

    /// Everything but the automaton: the rules claiming each pattern
    /// (`claims` holds the pattern id of each phrase, in order) and the
    /// overlaps between them.
    fn claims(
        phrases: &[PhraseSpec<'_>],
        patterns: &[String],
        ids: &FxHashMap<String, u32>,
        claims: &[u32],
    ) -> (PhraseMatcher, Vec<Overlap>) {
        let mut entries: Vec<Vec<Claim>> = (0..patterns.len()).map(|_| Vec::new()).collect();
        let mut overlaps = Vec::new();
        let mut any_subword = false;
        for (spec, &pid) in phrases.iter().zip(claims) {
            any_subword |= !spec.boundary;
            let folded = &patterns[pid as usize];
            let exact = spec.exact.then(|| spec.phrase.trim().to_string());
            for other in &entries[pid as usize] {
                if other.rule == spec.rule {
                    continue;
                }
                let same_text = match (&other.exact, &exact) {
                    (Some(a), Some(b)) => eq_ignoring_space_runs(a, b),
                    _ => true,
                };
                if same_text {
                    overlaps.push(Overlap {
                        first: other.rule as usize,
                        second: spec.rule as usize,
                        phrase: spec.phrase.to_string(),
                    });
                }
            }
            entries[pid as usize].push(Claim {
                rule: spec.rule,
                exact,
                word_edges: word_edges(folded),
                boundary: spec.boundary,
            });
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
        let edge_rule =
            |e: &Claim, side: fn(&(bool, bool)) -> bool| e.boundary && side(&e.word_edges);
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
        let matcher = PhraseMatcher {
            automaton: Background::ready(None),
            classes,
            words,
            needs_start,
            needs_end,
            lens: patterns.iter().map(String::len).collect(),
            claims: entries,
            shorter,
        };
        (matcher, overlaps)
    }

    /// Returns true if no phrase is loaded.
    pub(crate) fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// The rules claiming pattern `pid`, in priority order.
    pub(crate) fn claims_of(&self, pid: u32) -> &[Claim] {
        &self.claims[pid as usize]
    }

    /// Offers every match in `windows` of `text` to `claim`, which returns
    /// `Some` when a rule claims it (with `None` inside when nothing is to
    /// be reported), and collects what it reports in text order.
    ///
    /// The text is folded and searched in chunks that end at blank lines
    /// (a phrase never spans one), so memory does not grow with the input
    /// and a long text's chunks are searched on every core. `state` makes
    /// what a claim keeps for one chunk.
    pub(crate) fn find<S, T: Send>(
        &self,
        text: &str,
        windows: &[Range<usize>],
        state: impl Fn() -> S + Sync,
        claim: impl Fn(&Chunk<'_>, &S, u32, Range<usize>) -> Option<Option<T>> + Sync,
        out: &mut Vec<T>,
    ) {
        if self.is_empty() {
            return;
        }
        let chunks: Vec<(usize, &str)> = windows
            .iter()
            .flat_map(|w| {
                paragraph_chunks(&text[w.clone()], CHUNK)
                    .map(move |(at, chunk)| (w.start + at, chunk))
            })
            .collect();
        let search = |folded: &mut Folded, (base, chunk): (usize, &str), out: &mut Vec<T>| {
            folded.refold(chunk);
            let chunk = Chunk {
                text: chunk,
                base,
                folded,
            };
            self.search(&chunk, &state(), &claim, out);
        };
        if chunks.len() == 1 {
            search(&mut Folded::default(), chunks[0], out);
            return;
        }
        let found: Vec<Vec<T>> = chunks
            .into_par_iter()
            .map_init(Folded::default, |folded, chunk| {
                let mut found = Vec::new();
                search(folded, chunk, &mut found);
                found
            })
            .collect();
        out.reserve(found.iter().map(Vec::len).sum());
        for part in found {
            out.extend(part);
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
    fn search<S, T>(
        &self,
        chunk: &Chunk<'_>,
        state: &S,
        claim: &impl Fn(&Chunk<'_>, &S, u32, Range<usize>) -> Option<Option<T>>,
        out: &mut Vec<T>,
    ) {
        let Some(ac) = self.automaton.get() else {
            return;
        };
        let hay = chunk.folded.bytes();
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
                    claim(chunk, state, p, fs..fe).map(|found| (fe, found))
                });
            match found {
                Some((fe, found)) => {
                    out.extend(found);
                    pos = fe;
                }
                None => pos = fs + utf8_width(hay[fs]),
            }
        }
    }
}

#[cfg(test)]
impl PhraseMatcher {
    /// The search as one unanchored leftmost-longest automaton over every
    /// pattern (`phrases` as given to [`PhraseMatcher::build`]), restarted
    /// one character later after a match no rule claims: the reference
    /// [`PhraseMatcher::find`] must equal, over the whole text.
    pub(crate) fn find_reference<S, T>(
        &self,
        phrases: &[PhraseSpec<'_>],
        text: &str,
        state: impl Fn() -> S,
        claim: impl Fn(&Chunk<'_>, &S, u32, Range<usize>) -> Option<Option<T>>,
        out: &mut Vec<T>,
    ) {
        use aho_corasick::{AhoCorasick, Input, MatchKind};
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut patterns = Vec::new();
        for spec in phrases {
            let f = fold_phrase(spec.phrase);
            ids.entry(f.clone()).or_insert_with(|| {
                patterns.push(f);
                (patterns.len() - 1) as u32
            });
        }
        if patterns.is_empty() {
            return;
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .unwrap();
        let mut folded = Folded::default();
        for (base, chunk) in paragraph_chunks(text, CHUNK) {
            folded.refold(chunk);
            let chunk = Chunk {
                text: chunk,
                base,
                folded: &folded,
            };
            let state = state();
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
                        claim(&chunk, &state, p, fs..fe).map(|found| (fe, found))
                    });
                match found {
                    Some((fe, found)) => {
                        out.extend(found);
                        pos = fe;
                    }
                    None => pos = fs + utf8_width(hay[fs]),
                }
            }
        }
    }
}
