//! Where each pattern can match a text, from the literals one of which
//! every match of each contains ([`Pattern::literals`]): most patterns
//! cannot match a given document, and compiling one is far dearer than
//! scanning a short text, so the literals are looked for first, all at
//! once, and a pattern none of whose literals occurs is neither run nor
//! compiled.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use memchr::memmem;
use rayon::prelude::*;
use regex_automata::util::captures::Captures;
use rustc_hash::FxHashMap;

use super::pattern::{at_line_head, starts_with_head, Compiled, Literals, Pattern, SHORT_TEXT};
use crate::pieces::{line_pieces, runs_of, PIECE};

/// A pattern as the prefilter is given it: the pattern rules of a rule
/// set, always the same list in the same order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Target<'a> {
    /// The pattern.
    pub pattern: &'a Pattern,
    /// Its rule reads the whole document (`requires`), so windows never
    /// narrow it.
    pub whole_document: bool,
}

impl Target<'_> {
    /// Whether the pattern is looked for only in the changed paragraphs in
    /// a later round: its matches stay within a line and its rule reads no
    /// more than the paragraph, so what it finds in a paragraph depends on
    /// that paragraph alone.
    fn narrowed_by_windows(&self) -> bool {
        !self.whole_document && self.pattern.literals().is_some_and(|l| l.one_line)
    }
}

/// Where each pattern rule can match a text, from the literals one of
/// which every match of each contains ([`Pattern::literals`]).
///
/// Two ways to look for the literals: on short texts each rule's literals
/// are looked for one by one (`memmem`, over an ASCII-lowercased copy),
/// each only if every byte pair or triple of it occurs in the text
/// (`Grams`), which few of the thousands of literals pass; once the texts seen add up to more than
/// `AUTOMATON_AFTER` (1 MiB) bytes (a large file, or many records of a corpus), an
/// Aho-Corasick automaton over all literals is built once and every later
/// text is scanned once. Building that automaton costs about as much as
/// scanning a megabyte, far too much for a one-file `check`.
#[derive(Debug, Default)]
pub(crate) struct Prefilter {
    automaton: OnceLock<Option<LiteralAutomata>>,
    /// Bytes of text looked at without the automaton.
    scanned: AtomicUsize,
    /// [`Prefilter::first_short_text`] has answered (it serves the first
    /// text only).
    ahead: AtomicBool,
}

/// Text bytes after which the literals get their automaton.
const AUTOMATON_AFTER: usize = 1 << 20;

/// The literal automata of a rule set.
#[derive(Debug)]
struct LiteralAutomata {
    /// Over every rule's literals.
    all: LiteralAutomaton,
    /// Over the literals of the rules that windows cannot narrow
    /// ([`Target::narrowed_by_windows`]): in a later round, when the rest is looked
    /// for only in the changed paragraphs, these are looked for in the
    /// whole text, and they are few.
    wide: Option<LiteralAutomaton>,
}

impl LiteralAutomata {
    fn build(pats: &[Target<'_>]) -> Option<LiteralAutomata> {
        Some(LiteralAutomata {
            all: LiteralAutomaton::build(pats, |_| true)?,
            wide: LiteralAutomaton::build(pats, |t| !t.narrowed_by_windows()),
        })
    }
}

#[derive(Debug)]
struct LiteralAutomaton {
    /// Every distinct literal (ASCII letters lowercased, as the rules
    /// keep them), matched in a lowercased copy of the text.
    ac: AhoCorasick,
    /// Per literal, the indexes into the targets of the rules
    /// whose matches contain it (or another literal of theirs), and whether
    /// they count it only at a line head ([`Literals::line_head`]).
    owners: Vec<Vec<(u32, bool)>>,
}

/// Where a pattern can match in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Nowhere: none of its literals occurs where it must.
    Nowhere,
    /// Only within these lines (each with its newline), in order: the
    /// pattern matches within a line and one of its literals occurs there.
    Lines(Vec<Range<usize>>),
    /// Anywhere: it has no literals, can match across lines, or the lines
    /// with its literals are much of the text.
    Everywhere,
}

impl Scope {
    /// How many bytes of a text `len` bytes long searching the scope reads:
    /// few enough, and the pattern is searched by its light regex, however
    /// long the text (see [`Compiled`]).
    pub(crate) fn searched(&self, len: usize) -> usize {
        match self {
            Scope::Nowhere => 0,
            Scope::Lines(lines) => lines.iter().map(|l| l.len()).sum(),
            Scope::Everywhere => len,
        }
    }
}

/// Collects the lines where a pattern's literals occur, until they are so
/// much of the text that searching it all is as cheap.
struct LinesOf<'t> {
    text: &'t [u8],
    lines: Vec<Range<usize>>,
    bytes: usize,
    /// The whole text is to be searched (the pattern can span lines, or
    /// the lines grew too many): lines are no longer collected.
    everywhere: bool,
}

impl<'t> LinesOf<'t> {
    fn new(text: &'t [u8], one_line: bool) -> Self {
        LinesOf {
            text,
            lines: Vec::new(),
            bytes: 0,
            everywhere: !one_line,
        }
    }

    /// Adds the line holding `at`, a literal's occurrence; returns where
    /// the line ends.
    fn add(&mut self, at: usize) -> usize {
        if let Some(last) = self.lines.last() {
            if last.contains(&at) {
                return last.end;
            }
        }
        let start = memchr::memrchr(b'\n', &self.text[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &self.text[at..]).map_or(self.text.len(), |i| at + i + 1);
        self.bytes += end - start;
        self.lines.push(start..end);
        if self.bytes > self.text.len() / EVERYWHERE_FROM {
            self.everywhere = true;
            self.lines = Vec::new();
        }
        end
    }

    /// Adds the lines `part` collected over a later piece of the text.
    fn join(&mut self, part: LinesOf<'t>) {
        if self.everywhere {
            return;
        }
        if part.everywhere {
            self.everywhere = true;
            self.lines = Vec::new();
            return;
        }
        self.bytes += part.bytes;
        self.lines.extend(part.lines);
        if self.bytes > self.text.len() / EVERYWHERE_FROM {
            self.everywhere = true;
            self.lines = Vec::new();
        }
    }

    /// The scope, given whether a literal occurred where it must.
    fn finish(mut self, found: bool) -> Scope {
        if !found {
            return Scope::Nowhere;
        }
        if self.everywhere {
            return Scope::Everywhere;
        }
        self.lines.sort_unstable_by_key(|l| l.start);
        self.lines.dedup();
        Scope::Lines(self.lines)
    }
}

/// What a literal scan found, per rule of the targets: the
/// lines where its literals occur (none for a rule without literals), and
/// whether one occurred where it must.
struct Tally<'t> {
    lines: Vec<Option<LinesOf<'t>>>,
    found: Vec<bool>,
}

impl<'t> Tally<'t> {
    /// Nothing found yet in `hay`.
    fn new(pats: &[Target<'_>], hay: &'t [u8]) -> Self {
        let lines: Vec<_> = pats
            .iter()
            .map(|t| t.pattern.literals().map(|l| LinesOf::new(hay, l.one_line)))
            .collect();
        let found = vec![false; lines.len()];
        Tally { lines, found }
    }

    /// Per rule, where it can match: everywhere for a rule without
    /// literals.
    fn scopes(self) -> impl Iterator<Item = Scope> + 't {
        self.lines
            .into_iter()
            .zip(self.found)
            .map(|(lines, found)| lines.map_or(Scope::Everywhere, |l| l.finish(found)))
    }

    /// This tally followed by `later`'s, from further on in the text.
    fn join(mut self, later: Tally<'t>) -> Self {
        for (whole, part) in self.lines.iter_mut().zip(later.lines) {
            if let (Some(whole), Some(part)) = (whole, part) {
                whole.join(part);
            }
        }
        for (any, found) in self.found.iter_mut().zip(later.found) {
            *any |= found;
        }
        self
    }
}

/// A pattern whose literals' lines add up to more than this fraction of
/// the text (one part in N) searches it all.
const EVERYWHERE_FROM: usize = 4;

impl Prefilter {
    /// For each rule of the targets, where it can match `text`:
    /// everywhere when it has no literals; else nowhere unless one of them
    /// occurs (ignoring ASCII case) where it must, and then only on the
    /// lines where they do if its matches never span lines.
    ///
    /// Given `windows` (whole paragraphs, see
    /// `crate::blocks::paragraphs_around`), a rule that can only match
    /// within a line and has no `requires` is looked for only there: what
    /// it finds in a paragraph depends on that paragraph alone.
    pub(crate) fn scopes(
        &self,
        pats: &[Target<'_>],
        text: &str,
        windows: Option<&[Range<usize>]>,
    ) -> Vec<Scope> {
        self.scopes_in_pieces(pats, text, PIECE, windows)
    }

    /// [`Prefilter::scopes`], the literal automaton scanning pieces of at
    /// least `piece` bytes.
    fn scopes_in_pieces(
        &self,
        pats: &[Target<'_>],
        text: &str,
        piece: usize,
        windows: Option<&[Range<usize>]>,
    ) -> Vec<Scope> {
        let big =
            self.scanned.fetch_add(text.len(), Ordering::Relaxed) + text.len() > AUTOMATON_AFTER;
        let built = if big {
            Some(self.automaton.get_or_init(|| LiteralAutomata::build(pats)))
        } else {
            self.automaton.get()
        };
        // Which rules the windows may narrow.
        let local: Vec<bool> = pats.iter().map(Target::narrowed_by_windows).collect();
        let narrow = |scopes: Vec<Scope>| match windows {
            None => scopes,
            Some(ws) => scopes
                .into_iter()
                .zip(&local)
                .map(|(scope, &local)| if local { within(scope, ws) } else { scope })
                .collect(),
        };
        let Some(Some(automata)) = built else {
            return narrow(scopes_by_search(pats, text));
        };
        let hay = text.as_bytes();
        // Line-aligned pieces are scanned on every core, and each
        // pattern's lines joined in text order: runs of pieces (many small
        // windows) of about `piece` bytes each make one task, and the
        // tallies are joined in text order as they come (a pattern's lines,
        // kept until they are a quarter of the text, are held once, not
        // once per run).
        let scan = |automaton: &LiteralAutomaton, pieces: &[Range<usize>]| {
            runs_of(pieces, piece)
                .into_par_iter()
                .map(|run| automaton.scan(pats, hay, run))
                .reduce(|| Tally::new(pats, hay), Tally::join)
        };
        let whole: Vec<Range<usize>> = line_pieces(hay, piece, 0).collect();
        let Some(ws) = windows else {
            return scan(&automata.all, &whole).scopes().collect();
        };
        // Given windows, the rules they narrow are looked for there, the
        // others (if they have literals) in the whole text.
        let pieces: Vec<Range<usize>> = ws
            .iter()
            .flat_map(|w| line_pieces(&hay[..w.end], piece, w.start))
            .collect();
        let inside = scan(&automata.all, &pieces).scopes();
        let wide: Vec<Scope> = match &automata.wide {
            Some(wide) => scan(wide, &whole).scopes().collect(),
            None => vec![Scope::Everywhere; local.len()],
        };
        narrow(
            inside
                .zip(wide)
                .zip(&local)
                .map(|((inside, wide), &local)| if local { inside } else { wide })
                .collect(),
        )
    }
}

/// `scope` cut down to `windows` (whole lines, in order).
fn within(scope: Scope, windows: &[Range<usize>]) -> Scope {
    let lines = match scope {
        Scope::Nowhere => return Scope::Nowhere,
        Scope::Everywhere => windows.to_vec(),
        Scope::Lines(lines) => {
            // Both in order: one walk.
            let mut ws = windows.iter().peekable();
            lines
                .into_iter()
                .filter(|l| {
                    while ws.next_if(|w| w.end <= l.start).is_some() {}
                    ws.peek().is_some_and(|w| w.start < l.end)
                })
                .collect()
        }
    };
    if lines.is_empty() {
        Scope::Nowhere
    } else {
        Scope::Lines(lines)
    }
}

/// The scope of `pattern` in `lower` (the text, ASCII letters lowercased),
/// found by searching for each literal in turn: for each that `grams`
/// (the text's, when given) says may occur.
pub(crate) fn scope_by_search(pattern: &Pattern, lower: &[u8], grams: Option<&Grams>) -> Scope {
    let Some(lits) = pattern.literals() else {
        return Scope::Everywhere;
    };
    let mut lines = LinesOf::new(lower, lits.one_line);
    let mut found = false;
    for lit in &lits.strings {
        if grams.is_some_and(|g| !g.may_contain(lit)) {
            continue;
        }
        let finder = memmem::Finder::new(lit);
        let mut at = 0;
        while let Some(i) = finder.find(&lower[at..]) {
            let pos = at + i;
            if lits.line_head && !(at_line_head(lower, pos) && head_fits(lower, pos, lits)) {
                // A line has one head: go on from the next line.
                at = memchr::memchr(b'\n', &lower[pos..]).map_or(lower.len(), |j| pos + j + 1);
                continue;
            }
            found = true;
            if lines.everywhere {
                return Scope::Everywhere;
            }
            at = lines.add(pos);
        }
    }
    lines.finish(found)
}

/// Returns true if the line of `lower` holding `at` (a line-head
/// literal's occurrence) starts with one of the pattern's longer heads,
/// or it has none ([`Literals::heads`]).
fn head_fits(lower: &[u8], at: usize, lits: &Literals) -> bool {
    let Some(heads) = &lits.heads else {
        return true;
    };
    let start = memchr::memrchr(b'\n', &lower[..at]).map_or(0, |i| i + 1);
    let first = lower[start..]
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .map_or(lower.len(), |i| start + i);
    heads.iter().any(|h| starts_with_head(&lower[first..], h))
}

/// The byte n-grams of a text: which bytes, which pairs of bytes (exactly)
/// and which triples (hashed into a bit set, so some absent ones look
/// present) occur in it. A string occurs in the text only if all of its
/// bytes, pairs and triples do, so a literal one of whose grams is absent
/// need not be searched for. Checking a literal costs a few lookups
/// whatever the length of the text; searching for it, a pass over the
/// text (a 5 KB article and the default packs' ~2,800 literals: 13 M
/// instructions of `memmem`).
pub(crate) struct Grams {
    bytes: [u64; 4],
    pairs: Vec<u64>,
    triples: Vec<u64>,
}

/// Bits of a triple's hash (the triple set has 2^16 bits, 8 KiB).
const TRIPLE_BITS: u32 = 16;

impl Grams {
    fn new(text: &[u8]) -> Grams {
        let mut g = Grams {
            bytes: [0; 4],
            pairs: vec![0; 1 << 10],
            triples: vec![0; 1 << (TRIPLE_BITS - 6)],
        };
        for &b in text {
            set_bit(&mut g.bytes, usize::from(b));
        }
        for w in text.windows(2) {
            set_bit(&mut g.pairs, pair(w));
        }
        for w in text.windows(3) {
            set_bit(&mut g.triples, triple(w));
        }
        g
    }

    /// Returns false only if `lit` does not occur in the text.
    fn may_contain(&self, lit: &[u8]) -> bool {
        match lit.len() {
            0 => true,
            1 => has_bit(&self.bytes, usize::from(lit[0])),
            2 => has_bit(&self.pairs, pair(lit)),
            _ => lit.windows(3).all(|w| has_bit(&self.triples, triple(w))),
        }
    }
}

fn pair(w: &[u8]) -> usize {
    usize::from(w[0]) << 8 | usize::from(w[1])
}

fn triple(w: &[u8]) -> usize {
    let x = u32::from_le_bytes([w[0], w[1], w[2], 0]);
    (x.wrapping_mul(0x9E37_79B1) >> (32 - TRIPLE_BITS)) as usize
}

fn set_bit(set: &mut [u64], i: usize) {
    set[i / 64] |= 1 << (i % 64);
}

fn has_bit(set: &[u64], i: usize) -> bool {
    set[i / 64] & (1 << (i % 64)) != 0
}

impl LiteralAutomaton {
    /// The automaton over the literals of the pattern rules `keep` admits
    /// ; `None` if they have none.
    fn build<'p>(
        pats: &[Target<'p>],
        keep: impl Fn(&Target<'p>) -> bool,
    ) -> Option<LiteralAutomaton> {
        let mut ids: FxHashMap<&[u8], usize> = FxHashMap::default();
        let mut literals: Vec<&[u8]> = Vec::new();
        let mut owners: Vec<Vec<(u32, bool)>> = Vec::new();
        for (i, t) in pats.iter().enumerate() {
            if !keep(t) {
                continue;
            }
            let Some(lits) = t.pattern.literals() else {
                continue;
            };
            for lit in &lits.strings {
                let k = *ids.entry(lit.as_slice()).or_insert_with(|| {
                    literals.push(lit.as_slice());
                    owners.push(Vec::new());
                    literals.len() - 1
                });
                owners[k].push((i as u32, lits.line_head));
            }
        }
        if literals.is_empty() {
            return None;
        }
        // A DFA (about 9 MB for the default packs' 2,700 literals, built
        // in 20 ms) scans three times as fast as the NFA; a text as long as
        // the one that has it built pays for both. Matching lowercase
        // literals in a lowercased copy of each piece keeps it half the
        // size of one that ignores case itself.
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&literals)
            .ok()?;
        Some(LiteralAutomaton { ac, owners })
    }

    /// Looks for the literals that start in `pieces` of `hay` (in order):
    /// per rule of the targets with literals, the lines there
    /// where they occur, and whether one occurred where it must.
    ///
    /// A literal holding a newline (a pattern that eats its line's end) can
    /// run past a piece: the search reads on for the longest literal's
    /// length and keeps what starts in the piece, so pieces that tile a
    /// text find each occurrence once.
    fn scan<'t>(&self, pats: &[Target<'_>], hay: &'t [u8], pieces: &[Range<usize>]) -> Tally<'t> {
        let Tally {
            mut lines,
            mut found,
        } = Tally::new(pats, hay);
        // A literal all of whose owners will search everywhere needs no
        // more looking at.
        let mut done = vec![false; self.owners.len()];
        let reach = self.ac.max_pattern_len().saturating_sub(1);
        let mut lower = Vec::new();
        for piece in pieces {
            let end = (piece.end + reach).min(hay.len());
            lower.clear();
            lower.extend_from_slice(&hay[piece.start..end]);
            lower.make_ascii_lowercase();
            for m in self.ac.find_overlapping_iter(&lower) {
                let k = m.pattern().as_usize();
                let at = piece.start + m.start();
                if done[k] || at >= piece.end {
                    continue;
                }
                let head = at_line_head(hay, at);
                let mut open = false;
                for &(i, line_head) in &self.owners[k] {
                    let Some(l) = &mut lines[i as usize] else {
                        continue;
                    };
                    if head || !line_head {
                        found[i as usize] = true;
                        if !l.everywhere {
                            l.add(at);
                        }
                    }
                    open |= !l.everywhere || !found[i as usize];
                }
                done[k] = !open;
            }
        }
        Tally { lines, found }
    }
}

/// Candidate patterns from which their regexes are built on the thread
/// pool (5 KB article, two candidates: built here, 5.5 to 5.1 ms wall).
const PARALLEL_BUILDS_FROM: usize = 4;

/// Builds what `pending` (patterns a text is about to be searched with)
/// need for `text`: side by side when they are many (a one-file `check`
/// otherwise waits for them one after another); a few are left to be built
/// when first searched with, as the thread pool would have to start first
/// and the phrase automaton is usually still building on another core.
pub(crate) fn prepare_all(pending: &[(&Pattern, usize)]) {
    if pending.len() >= PARALLEL_BUILDS_FROM {
        pending
            .par_iter()
            .for_each(|&(p, searched)| p.prepare(searched));
    }
}

impl Prefilter {
    /// Returns true for the first text shorter than [`SHORT_TEXT`] asked
    /// about, false ever after: that text may have its candidates compiled
    /// ahead ([`compile_candidates`]); later texts (a corpus) find their
    /// regexes compiled.
    pub(crate) fn first_short_text(&self, text: &str) -> bool {
        text.len() < SHORT_TEXT && !self.ahead.swap(true, Ordering::Relaxed)
    }
}

/// Compiles the regexes of the patterns whose literals occur in `text`,
/// found as on a short text: a job for another core while earlier passes
/// run. The text may still change before the patterns are searched with,
/// but a regex compiled for nothing only costs time, and one still missing
/// is compiled when needed as usual.
pub(crate) fn compile_candidates(pats: &[Target<'_>], text: &str) {
    for (t, scope) in pats.iter().zip(scopes_by_search(pats, text)) {
        if scope != Scope::Nowhere {
            t.pattern.prepare(text.len());
        }
    }
}

/// The scopes of [`Prefilter::scopes`] on a short text: each pattern's
/// literals looked for one by one (after the n-gram test) in the text
/// lowercased.
fn scopes_by_search(pats: &[Target<'_>], text: &str) -> Vec<Scope> {
    let lower = text.to_ascii_lowercase();
    let grams = Grams::new(lower.as_bytes());
    pats.iter()
        .map(|t| scope_by_search(t.pattern, lower.as_bytes(), Some(&grams)))
        .collect()
}

/// The leftmost non-empty match at or after `at`, looked for only within
/// `scope` (where every match lies), which reads `searched` bytes in all
/// ([`Scope::searched`]).
pub(crate) fn next_match(
    re: &Compiled,
    text: &str,
    scope: &Scope,
    searched: usize,
    at: usize,
) -> Option<Captures> {
    match scope {
        Scope::Nowhere => None,
        Scope::Everywhere => re.captures_at(text, at),
        Scope::Lines(lines) => {
            let first = lines.partition_point(|l| l.end <= at);
            lines[first..]
                .iter()
                .find_map(|l| re.captures_within(text, at.max(l.start), l.end, searched))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::paragraphs_around;
    use crate::rules::builtin_for_tests as builtin;
    use crate::rules::load::Loader;
    use crate::rules::{Find, RuleSet};

    fn targets(set: &RuleSet) -> Vec<Target<'_>> {
        set.pattern_targets(|_| true)
    }

    /// Every match, left to right, searching only within `scope`.
    fn scoped_matches(re: &Compiled, text: &str, scope: &Scope) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut at = 0;
        let searched = scope.searched(text.len());
        while let Some(caps) = next_match(re, text, scope, searched, at) {
            let m = caps.get_match().unwrap();
            found.push((m.start(), m.end()));
            at = m.end();
        }
        found
    }

    /// On every text, each default pattern finds within its scope exactly
    /// the matches it finds searching the whole text, by both ways of
    /// looking for the literals: the prefilter never hides a match.
    #[test]
    fn scopes_keep_every_match() {
        let set = builtin();
        let mut texts = crate::rules::test_texts::pattern_texts(&set, 40);
        // Matches that take their line's newline.
        texts.push("He didn t\nknow. It s\nfine, they can t\r\nsay.\nWe don t".into());
        let lits = LiteralAutomata::build(&targets(&set)).expect("default patterns have literals");
        let by_automaton = Prefilter {
            automaton: OnceLock::from(Some(lits)),
            scanned: AtomicUsize::new(0),
            ahead: AtomicBool::new(false),
        };
        let (mut matched, mut by_lines) = (0, 0);
        for text in &texts {
            let small = Prefilter::default().scopes(&targets(&set), text, None);
            let large = by_automaton.scopes(&targets(&set), text, None);
            for (k, &ri) in set.patterns.iter().enumerate() {
                let Find::Pattern(p) = &set.rules[ri].find else {
                    continue;
                };
                let re = p.regex().expect("compiles");
                let all = scoped_matches(re, text, &Scope::Everywhere);
                matched += all.len();
                for scope in [&small[k], &large[k]] {
                    by_lines += usize::from(matches!(scope, Scope::Lines(_)) && !all.is_empty());
                    let id = &set.rules[ri].id;
                    assert_eq!(scoped_matches(re, text, scope), all, "{id} in {scope:?}");
                }
            }
        }
        assert!(matched > 100, "only {matched} matches checked");
        assert!(
            by_lines > 100,
            "only {by_lines} line-scoped searches matched"
        );
    }

    /// Narrowed to windows, a rule that matches within a line and has no
    /// `requires` finds exactly its matches inside the windows, and any
    /// other rule all of its matches, by both ways of looking for the
    /// literals.
    #[test]
    fn windows_keep_every_match_inside_them() {
        let set = builtin();
        let texts = crate::rules::test_texts::pattern_texts(&set, 40);
        let text = texts.join("\n\n");
        // Every third paragraph changed.
        let changed: Vec<Range<usize>> = text
            .match_indices("\n\n")
            .step_by(3)
            .map(|(i, _)| i + 2..i + 3)
            .collect();
        let windows = paragraphs_around(&text, &changed);
        let inside = |m: &(usize, usize)| windows.iter().any(|w| w.start <= m.0 && m.1 <= w.end);
        let by_automaton = Prefilter {
            automaton: OnceLock::from(LiteralAutomata::build(&targets(&set))),
            scanned: AtomicUsize::new(0),
            ahead: AtomicBool::new(false),
        };
        let small = Prefilter::default().scopes(&targets(&set), &text, Some(&windows));
        let large = by_automaton.scopes(&targets(&set), &text, Some(&windows));
        let (mut kept, mut left, mut wide_narrowed) = (0, 0, 0);
        for (k, &ri) in set.patterns.iter().enumerate() {
            let rule = &set.rules[ri];
            let Find::Pattern(p) = &rule.find else {
                continue;
            };
            let re = p.regex().expect("compiles");
            let all = scoped_matches(re, &text, &Scope::Everywhere);
            let local = rule.requires.is_empty() && p.literals().is_some_and(|l| l.one_line);
            let expected: Vec<(usize, usize)> = if local {
                all.iter().copied().filter(inside).collect()
            } else {
                all.clone()
            };
            kept += expected.len();
            left += all.len() - expected.len();
            wide_narrowed += usize::from(!local && large[k] != Scope::Everywhere);
            for scope in [&small[k], &large[k]] {
                assert_eq!(
                    scoped_matches(re, &text, scope),
                    expected,
                    "{} in {scope:?}",
                    rule.id
                );
            }
        }
        assert!(
            kept > 30 && left > 30,
            "{kept} matches inside, {left} outside"
        );
        // The rules the windows cannot narrow are still narrowed by where
        // their literals occur in the whole text.
        assert!(wide_narrowed > 0, "no wide rule narrowed");
    }

    /// The literal automaton finds the same scopes scanning a text in
    /// pieces as scanning it whole.
    #[test]
    fn pieces_change_no_scope() {
        let set = builtin();
        let mut texts = crate::rules::test_texts::pattern_texts(&set, 40);
        texts.push(texts.join("\n"));
        let lits =
            || LiteralAutomata::build(&targets(&set)).expect("default patterns have literals");
        let prefilter = Prefilter {
            automaton: OnceLock::from(Some(lits())),
            scanned: AtomicUsize::new(0),
            ahead: AtomicBool::new(false),
        };
        let mut lines = 0;
        for text in &texts {
            let whole = prefilter.scopes_in_pieces(&targets(&set), text, usize::MAX, None);
            lines += whole
                .iter()
                .filter(|s| matches!(s, Scope::Lines(l) if l.len() > 1))
                .count();
            // Every line its own piece, and runs of a few lines.
            for piece in [1, 64] {
                let pieces = prefilter.scopes_in_pieces(&targets(&set), text, piece, None);
                assert_eq!(pieces, whole, "pieces of {piece}");
            }
        }
        assert!(lines > 10, "only {lines} scopes of several lines");
    }

    /// A literal that runs across a line end is found by the piece it
    /// starts in, even when that piece ends at the line end: pieces find
    /// the scope a whole scan finds.
    #[test]
    fn pieces_find_literals_across_lines() {
        let mut l = Loader::new();
        l.add_source(
            "t.yaml",
            "pack: t\nrules:\n  - id: split-line\n    pattern: 'alpha\\nbeta'\n    replace: alpha beta\n    examples: [{ before: \"alpha\\nbeta\", after: alpha beta }]\n",
        );
        let set = l.build().expect("pack loads");
        let prefilter = Prefilter {
            automaton: OnceLock::from(Some(
                LiteralAutomata::build(&targets(&set)).expect("literals"),
            )),
            scanned: AtomicUsize::new(0),
            ahead: AtomicBool::new(false),
        };
        for text in [
            "one\nalpha\nbeta two\n",
            "alpha\nbeta",
            "x alpha\n",
            "beta\nalpha\n",
        ] {
            let whole = prefilter.scopes_in_pieces(&targets(&set), text, usize::MAX, None);
            let pieces = prefilter.scopes_in_pieces(&targets(&set), text, 1, None);
            assert_eq!(pieces, whole, "{text:?}");
        }
        let found = prefilter.scopes_in_pieces(&targets(&set), "one\nalpha\nbeta two\n", 1, None);
        assert_eq!(found, vec![Scope::Everywhere]);
    }

    /// A literal's scope is the same whether or not the text's n-grams
    /// spare searching for some literals, on every text the patterns are
    /// checked over: the n-grams never rule out a literal that occurs.
    #[test]
    fn grams_change_no_scope() {
        let set = builtin();
        let texts = crate::rules::test_texts::pattern_texts(&set, 40);
        let mut skipped = 0;
        for text in &texts {
            let lower = text.to_ascii_lowercase();
            let grams = Grams::new(lower.as_bytes());
            for &ri in &set.patterns {
                let Find::Pattern(p) = &set.rules[ri].find else {
                    continue;
                };
                assert_eq!(
                    scope_by_search(p, lower.as_bytes(), Some(&grams)),
                    scope_by_search(p, lower.as_bytes(), None),
                    "{} in {text:?}",
                    set.rules[ri].id
                );
                let lits = p.literals().map_or(&[][..], |l| &l.strings[..]);
                skipped += lits.iter().filter(|l| !grams.may_contain(l)).count();
            }
        }
        assert!(skipped > 10_000, "only {skipped} searches spared");
    }

    proptest::proptest! {
        /// Every piece of a text is a string its n-grams may contain.
        #[test]
        fn grams_admit_every_substring(
            text in proptest::collection::vec(proptest::sample::select(b"ab \n\xc5\xbf,.".to_vec()), 0..64),
            from in 0usize..64,
            len in 0usize..12,
        ) {
            let grams = Grams::new(&text);
            let from = from.min(text.len());
            let to = (from + len).min(text.len());
            proptest::prop_assert!(grams.may_contain(&text[from..to]));
        }
    }

    /// On a plain sentence the n-grams leave few of the default packs'
    /// literals to search for.
    #[test]
    fn grams_spare_most_searches() {
        let set = builtin();
        let text = "the minister said the plan would go ahead next week, as agreed.\n";
        let grams = Grams::new(text.as_bytes());
        let (mut all, mut searched) = (0, 0);
        for &ri in &set.patterns {
            let Find::Pattern(p) = &set.rules[ri].find else {
                continue;
            };
            for l in p.literals().iter().flat_map(|l| &l.strings) {
                all += 1;
                searched += usize::from(grams.may_contain(l));
            }
        }
        assert!(
            searched * 20 < all,
            "{searched} of {all} literals searched for"
        );
    }

    /// The prefilter does skip patterns: on plain text few of the default
    /// patterns are candidates.
    #[test]
    fn prefilter_skips_patterns_whose_literals_are_absent() {
        let set = builtin();
        let text = "The minister said the plan would go ahead next week.\n";
        let scopes = Prefilter::default().scopes(&targets(&set), text, None);
        let n = scopes.iter().filter(|s| **s != Scope::Nowhere).count();
        assert!(n * 4 < scopes.len(), "{n} of {} patterns run", scopes.len());
    }

    /// A boilerplate pattern is a candidate only when a line starts with
    /// one of its words, by either way of looking for the literals.
    #[test]
    fn line_head_literals_count_only_at_a_line_head() {
        let set = builtin();
        let id = |k: usize| set.rules[set.patterns[k]].id.as_ref();
        let by_automaton = Prefilter {
            automaton: OnceLock::from(LiteralAutomata::build(&targets(&set))),
            scanned: AtomicUsize::new(0),
            ahead: AtomicBool::new(false),
        };
        let within = "They urged readers to share this article.\n";
        let heading = "Share this article\n";
        let text = format!("{within}{heading}{within}");
        for filter in [&Prefilter::default(), &by_automaton] {
            let scopes = filter.scopes(&targets(&set), within, None);
            let share = |scopes: &[Scope]| {
                let k = (0..scopes.len())
                    .find(|&k| id(k) == "share-prompt")
                    .unwrap();
                scopes[k].clone()
            };
            assert_eq!(share(&scopes), Scope::Nowhere);
            let scopes = filter.scopes(&targets(&set), &text, None);
            // Only the heading's line is searched.
            let line = within.len()..within.len() + heading.len();
            assert_eq!(share(&scopes), Scope::Lines(vec![line]));
        }
    }

    /// A line starting with a boilerplate pattern's short literal (`ad `)
    /// but not with one of its longer heads (`ad feedback`) does not make
    /// the pattern a candidate on a short text; blanks of any kind and
    /// number between the words still do.
    #[test]
    fn long_heads_spare_lines_with_only_the_short_literal() {
        let set = builtin();
        let k = (0..set.patterns.len())
            .find(|&k| set.rules[set.patterns[k]].id.as_ref() == "advertisement-label")
            .unwrap();
        let Find::Pattern(p) = &set.rules[set.patterns[k]].find else {
            unreachable!()
        };
        let scope = |text: &str| Prefilter::default().scopes(&targets(&set), text, None)[k].clone();
        assert_eq!(scope("Ad sales rose.\nAd\n"), Scope::Nowhere);
        let filler = "Counting went on all night, and the result came at dawn.\n";
        let text = format!("Ad sales rose.\n \tAD \t  Feedback\t\n{filler}{filler}");
        let text = text.as_str();
        let line = 15..33;
        assert_eq!(scope(text), Scope::Lines(vec![line.clone()]));
        let re = p.regex().unwrap();
        assert_eq!(
            scoped_matches(re, text, &Scope::Everywhere),
            [(line.start, line.end)]
        );
    }

    /// With every space of the pattern texts made a run of spaces and
    /// tabs, the short-text scopes (which read the longer line heads) still
    /// hold every match.
    #[test]
    fn long_heads_keep_every_match_across_blank_runs() {
        let set = builtin();
        let texts = crate::rules::test_texts::pattern_texts(&set, 40);
        let mut matched = 0;
        for text in &texts {
            for blanks in ["  ", " \t", "\t"] {
                let text = text.replace(' ', blanks);
                let scopes = Prefilter::default().scopes(&targets(&set), &text, None);
                for (k, &ri) in set.patterns.iter().enumerate() {
                    let Find::Pattern(p) = &set.rules[ri].find else {
                        continue;
                    };
                    if p.literals().is_none_or(|l| l.heads.is_none()) {
                        continue;
                    }
                    let re = p.regex().expect("compiles");
                    let all = scoped_matches(re, &text, &Scope::Everywhere);
                    matched += all.len();
                    let id = &set.rules[ri].id;
                    assert_eq!(
                        scoped_matches(re, &text, &scopes[k]),
                        all,
                        "{id} in {text:?}"
                    );
                }
            }
        }
        assert!(matched > 50, "only {matched} matches checked");
    }

    /// Patterns whose matches stay within a line (a final newline aside)
    /// are searched line by line; one that can cross a line is not.
    #[test]
    fn which_patterns_stay_within_a_line() {
        use crate::rules::required_literals;
        let one_line = |p: &str| required_literals(p, false).unwrap().one_line;
        assert!(one_line(r"(?mi)^[ \t]*(?:share|print)[ \t]*\r?$\n?"));
        assert!(one_line(r"\b(\p{Ll}{2,}),(\p{Ll}{2,})\b"));
        assert!(one_line(r"\bdon t([^\n])"));
        // One last character that may be the line's own newline.
        assert!(one_line(r"\bdon t(\s)"));
        assert!(!one_line(r"\bdon t(\s)+"));
        assert!(!one_line(r"\bdon t\s\w"));
        assert!(!one_line(r"\bdon t(\s\s)"));
        assert!(!one_line(r"said[^.]*\."));
        assert!(!one_line(r"(?s)said.*\."));
        assert!(!one_line("end\n?more"));
        // Each branch may end with its line's newline.
        assert!(one_line(r"(?m)^[ \t]*<b>[ \t]*\r?$\n?|x(</b>)+"));
        assert!(!one_line(r"(?m)^[ \t]*<b>\n?[ \t]*$|x(</b>)+"));
    }

    #[test]
    fn required_literals_of_typical_patterns() {
        use crate::rules::required_literals;
        let lits = |p: &str| {
            required_literals(p, false).map(|v| {
                let strings = v.strings.into_iter();
                let strings = strings.map(|l| String::from_utf8_lossy(&l).into_owned());
                (strings.collect::<Vec<_>>(), v.line_head)
            })
        };
        // `(?i)k` also matches the Kelvin sign.
        assert_eq!(
            lits(r"\b(?i:take) effect\b").unwrap(),
            (
                vec!["take effect".into(), "ta\u{212a}e effect".into()],
                false
            )
        );
        // At a line head: what the line starts with, after blanks.
        assert_eq!(
            lits(r"(?m)^[ \t]*(?:sponsored|paid[ \t]+post)[ \t]*$").unwrap(),
            (vec!["paid\t".into(), "paid ".into(), "spons".into()], true)
        );
        // A literal is followed by the first bytes of what comes next:
        // `.` then a capital letter (ASCII, or a UTF-8 lead byte).
        let (dot, _) = lits(r"\b(\p{Ll}{2,})\.(\p{Lu}\p{Ll}+)\b").unwrap();
        assert!(
            dot.contains(&".a".into()) && dot.contains(&".z".into()),
            "{dot:?}"
        );
        assert!(
            dot.iter().all(|l| l.starts_with('.') && l.len() > 1),
            "{dot:?}"
        );
        assert!(!dot.contains(&". ".into()));
        // A run grown too large starts again where it stopped: the
        // words after the many-cased verbs are the literals.
        assert_eq!(
            lits(
                r"\b((?i:take|takes|took|taken|taking|assume|assumed|assumes|assuming|inherit|inherited|inherits|claim|claimed|claims|pass|passed|passes)) (up )?the mantel\b"
            )
            .unwrap(),
            (vec!["the mantel".into(), "up the mantel".into()], false)
        );
        // The longer heads read blank runs as one space, past `[ \t]+`.
        let heads = |p: &str| {
            let h = required_literals(p, false).unwrap().heads.unwrap();
            h.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            heads(r"(?m)^[ \t]*(?:ad[ \t]+feedback|Adchoices|site[ \t]*map)[ \t]*$"),
            ["ad feedback", "adchoices", "site map", "sitemap"]
        );
        assert_eq!(heads(r"(?m)^[ \t]*\tx  y"), ["x y"]);
        assert!(crate::matcher::pattern::starts_with_head(
            b"ad \t feedback",
            b"ad feedback"
        ));
        assert!(!crate::matcher::pattern::starts_with_head(
            b"adfeedback",
            b"ad feedback"
        ));
        assert!(!crate::matcher::pattern::starts_with_head(
            b"ad fee",
            b"ad feedback"
        ));
        assert_eq!(lits(r"\w+"), None);
        assert_eq!(lits(r"a|\w"), None);
        assert_eq!(lits(r"(unclosed"), None);
    }
}
