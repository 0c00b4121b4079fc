//! Mining candidate spun phrases: word n-grams of a suspect text that a
//! sound reference lacks and that sit one word away from a collocation the
//! reference uses often (`making countries` beside `developing countries`).
//!
//! A spinner swaps words of common collocations for synonyms, and does so
//! wherever the collocation occurs. Its mark in a corpus is therefore a
//! pair: a variant that sound text does not use, and the collocation it
//! came from going missing from the suspect text. [`Miner`] counts the
//! 2- and 3-word n-grams of both texts in one pass each (the reference
//! first, so that the suspect pass can keep example lines for the n-grams
//! that may become candidates), then ranks the variants by
//! [`Candidate::score`]:
//!
//! ```text
//! score = s / (1 + v) × ln(1 + r) × fit × k
//! fit   = min(s, d + ½) / max(s, d + ½),  d = max(e − o, 0)
//! ```
//!
//! - `s`: occurrences of the candidate in the suspect text, `v` in the
//!   reference: frequent in the suspect text, absent from the reference;
//! - `r`: occurrences of the likely original in the reference: a strong
//!   collocation, on a log scale so that the commonest ones do not drown
//!   the rest;
//! - `d`: the original's missing occurrences in the suspect text, `e`
//!   being how often it would occur there at the reference's rate and `o`
//!   how often it does. A spinner's variant takes its original's place,
//!   so `s` is close to `d` (`fit` near 1); a natural variant leaves its
//!   original in place (`d` near 0), and a rare variant of a common
//!   collocation accounts for little of what is missing;
//! - `k`: 2 when the loaded packs already pair the swapped words (as a
//!   rule's find and replace do), else 1.
//!
//! Candidates start and end with a content word (not one of a short list
//! of function words): `the making` says less than `making countries`.
//! Each original yields one candidate, and a candidate that holds (or is
//! held by) a better one with the same swap is left out.
//!
//! A variant may differ from its original in one word, or in two when the
//! packs know a synonym pair for the second one. Memory stays bounded on
//! any input: when a count table reaches [`MAX_GRAMS`] entries, its rarest
//! entries are dropped (the counts of the others stay exact), and a
//! candidate keeps at most [`EXAMPLES`] example lines of at most
//! [`EXAMPLE_CHARS`] characters.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::rules::{Find, RuleSet};

/// Entries a count table may hold before its rarest are dropped.
pub const MAX_GRAMS: usize = 4_000_000;

/// Example lines kept per candidate.
pub const EXAMPLES: usize = 3;

/// Characters of an example line kept around the candidate.
pub const EXAMPLE_CHARS: usize = 160;

/// Occurrences in the reference from which an n-gram counts as a
/// collocation a spinner could have damaged.
const MIN_COLLOCATION: u32 = 3;

/// Likely originals kept per n-gram with one word left out.
const FILLERS: usize = 8;

/// A word id; [`NONE`] ends a bigram, [`ANY`] stands for the word a
/// spinner swapped.
type Word = u32;
const NONE: Word = u32::MAX;
const ANY: Word = u32::MAX - 1;

/// A bigram (`[a, b, NONE]`) or trigram.
type Gram = [Word; 3];

/// Function words: never the word a spinner swaps in these collocations,
/// and too common to tell anything when they are.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he",
    "her", "his", "i", "if", "in", "into", "is", "it", "its", "may", "more", "most", "mr", "mrs",
    "ms", "not", "of", "on", "one", "or", "our", "out", "over", "she", "so", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "to", "up", "was", "we",
    "were", "what", "when", "which", "who", "will", "with", "would", "you",
];

/// One candidate spun phrase.
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    /// The n-gram, lowercase words joined by single spaces.
    pub phrase: String,
    /// The collocation it most likely replaced.
    pub original: String,
    /// The ranking score (see the [module docs](self)).
    pub score: f64,
    /// Occurrences in the suspect text.
    pub suspect: u32,
    /// Occurrences in the reference.
    pub reference: u32,
    /// Occurrences of the original in the reference.
    pub original_reference: u32,
    /// Occurrences of the original in the suspect text.
    pub original_suspect: u32,
    /// Up to [`EXAMPLES`] lines of the suspect text holding the phrase,
    /// cut to [`EXAMPLE_CHARS`] characters around it.
    pub examples: Vec<String>,
}

/// A draft pack rule: replace the phrase with the original.
#[derive(Clone, Debug, Serialize)]
pub struct DraftRule {
    /// The phrase's words joined by `-`.
    pub id: String,
    /// The candidate phrase.
    pub find: Vec<String>,
    /// The likely original.
    pub replace: String,
    /// The evidence, in a sentence.
    pub why: String,
    /// The example lines, before and after the replacement.
    pub examples: Vec<DraftExample>,
}

/// A `before`/`after` example of a [`DraftRule`].
#[derive(Clone, Debug, Serialize)]
pub struct DraftExample {
    /// An example line of the suspect text.
    pub before: String,
    /// The line with the phrase replaced.
    pub after: String,
}

impl Candidate {
    /// The rule that replaces the phrase with the original, its examples
    /// made from the example lines.
    pub fn draft_rule(&self) -> DraftRule {
        let id: String = self
            .phrase
            .split(' ')
            .map(|w| w.replace(|c: char| !c.is_alphanumeric(), ""))
            .collect::<Vec<_>>()
            .join("-");
        let sound = match self.reference {
            0 => "never".to_string(),
            n => times(n),
        };
        let why = format!(
            "Spinners swap words of '{}': '{}' occurs {} in the suspect text and {sound} in sound text, where '{}' occurs {}.",
            self.original,
            self.phrase,
            times(self.suspect),
            self.original,
            times(self.original_reference)
        );
        DraftRule {
            id,
            find: vec![self.phrase.clone()],
            replace: self.original.clone(),
            why,
            examples: self
                .examples
                .iter()
                .map(|before| DraftExample {
                    after: restore(before, &self.phrase, &self.original),
                    before: before.clone(),
                })
                .collect(),
        }
    }
}

impl DraftRule {
    /// The rule as YAML, a list item to paste under a pack's `rules:`;
    /// every string is quoted (JSON strings are YAML), so any text reads
    /// back as written.
    pub fn to_yaml(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).expect("a string serialises");
        let find: Vec<String> = self.find.iter().map(|f| q(f)).collect();
        let mut out = format!(
            "- id: {}\n  find: [{}]\n  replace: {}\n  why: {}\n",
            q(&self.id),
            find.join(", "),
            q(&self.replace),
            q(&self.why)
        );
        if !self.examples.is_empty() {
            out.push_str("  examples:\n");
            for ex in &self.examples {
                out.push_str(&format!(
                    "    - {{ before: {}, after: {} }}\n",
                    q(&ex.before),
                    q(&ex.after)
                ));
            }
        }
        out
    }
}

/// `once`, `twice`, `3 times`.
fn times(n: u32) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

/// `line` with the first whole-word, any-case occurrence of `phrase`
/// (words joined by any run of non-word characters) replaced by
/// `original`, its first letter's case kept.
fn restore(line: &str, phrase: &str, original: &str) -> String {
    let spans = words(line);
    let want: Vec<&str> = phrase.split(' ').collect();
    for i in 0..spans.len().saturating_sub(want.len() - 1) {
        let window = &spans[i..i + want.len()];
        if window
            .iter()
            .zip(&want)
            .all(|(r, w)| line[r.clone()].to_lowercase() == *w)
        {
            let (start, end) = (window[0].start, window[want.len() - 1].end);
            let mut with = original.to_string();
            if line[start..].starts_with(char::is_uppercase) {
                with = with[..1].to_uppercase() + &with[1..];
            }
            return format!("{}{with}{}", &line[..start], &line[end..]);
        }
    }
    line.to_string()
}

/// The byte ranges of the words of `line`: runs of letters and digits,
/// with inner apostrophes and hyphens (`don't`, `well-known`).
fn words(line: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner = matches!(c, '\'' | '’' | '-')
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(s..i);
        }
    }
    if let Some(s) = start {
        out.push(s..line.len());
    }
    out
}

/// What one side of the comparison holds.
#[derive(Default)]
struct Side {
    grams: FxHashMap<Gram, u32>,
    words: u64,
}

impl Side {
    /// Counts `gram`, dropping the rarest entries when the table is full.
    fn count(&mut self, gram: Gram) {
        *self.grams.entry(gram).or_default() += 1;
        if self.grams.len() >= MAX_GRAMS {
            prune(&mut self.grams);
        }
    }

    fn get(&self, gram: &Gram) -> u32 {
        self.grams.get(gram).copied().unwrap_or(0)
    }
}

/// Drops the entries of the lowest counts until at most half the table is
/// left.
fn prune<V>(table: &mut FxHashMap<Gram, V>)
where
    V: Copy + Into<u64>,
{
    let mut floor = 1;
    while table.len() > MAX_GRAMS / 2 {
        table.retain(|_, n| (*n).into() > floor);
        floor += 1;
    }
}

/// Mines candidate spun phrases: feed it the reference, then the suspect
/// text, then ask for the [`candidates`](Miner::candidates).
pub struct Miner {
    vocab: FxHashMap<Box<str>, Word>,
    names: Vec<Box<str>>,
    function: FxHashSet<Word>,
    /// Known (swapped-in word, original word) pairs from the packs.
    synonyms: FxHashMap<Word, Vec<Word>>,
    reference: Side,
    suspect: Side,
    /// Each reference collocation with one word replaced by [`ANY`], to
    /// the words that fill the gap, commonest first; built when the
    /// suspect text starts.
    gaps: Option<FxHashMap<Gram, Vec<(Word, u32)>>>,
    /// Example lines of the suspect n-grams that may become candidates.
    examples: FxHashMap<Gram, Vec<Box<str>>>,
}

impl Default for Miner {
    fn default() -> Self {
        Miner::new()
    }
}

impl Miner {
    /// A miner without known synonyms.
    pub fn new() -> Miner {
        let mut m = Miner {
            vocab: FxHashMap::default(),
            names: Vec::new(),
            function: FxHashSet::default(),
            synonyms: FxHashMap::default(),
            reference: Side::default(),
            suspect: Side::default(),
            gaps: None,
            examples: FxHashMap::default(),
        };
        m.function = FUNCTION_WORDS.iter().map(|w| m.intern(w)).collect();
        m
    }

    /// Takes the word pairs of the phrase rules in `rules` as known
    /// synonyms: where a find phrase and its replacement have as many
    /// words, each differing word of the phrase pairs with the
    /// replacement's word in its place (`made nations` → `developed
    /// countries` gives `made`/`developed` and `nations`/`countries`).
    pub fn with_synonyms(mut self, rules: &RuleSet) -> Miner {
        for rule in &rules.rules {
            let (Find::Phrases { phrases, .. }, Some(replace)) = (&rule.find, &rule.replace) else {
                continue;
            };
            let to: Vec<String> = replace.split_whitespace().map(str::to_lowercase).collect();
            for phrase in phrases {
                let from: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
                if from.len() != to.len() {
                    continue;
                }
                for (f, t) in from.iter().zip(&to).filter(|(f, t)| f != t) {
                    let (f, t) = (self.intern(f), self.intern(t));
                    let known = self.synonyms.entry(f).or_default();
                    if !known.contains(&t) {
                        known.push(t);
                    }
                }
            }
        }
        self
    }

    /// Words read so far: (reference, suspect).
    pub fn words(&self) -> (u64, u64) {
        (self.reference.words, self.suspect.words)
    }

    fn intern(&mut self, word: &str) -> Word {
        if let Some(&id) = self.vocab.get(word) {
            return id;
        }
        let id = self.names.len() as Word;
        self.names.push(word.into());
        self.vocab.insert(word.into(), id);
        id
    }

    /// Counts the n-grams of a sound text.
    ///
    /// # Panics
    ///
    /// After [`add_suspect`](Miner::add_suspect): the reference comes
    /// first.
    pub fn add_reference(&mut self, text: &str) {
        assert!(self.gaps.is_none(), "the reference comes first");
        for line in text.lines() {
            self.each_gram(line, |m, gram, _| {
                m.reference.count(gram);
            });
        }
    }

    /// Counts the n-grams of a suspect text, keeping example lines of the
    /// ones that may become candidates.
    pub fn add_suspect(&mut self, text: &str) {
        if self.gaps.is_none() {
            self.gaps = Some(self.index_gaps());
        }
        for line in text.lines() {
            self.each_gram(line, |m, gram, span| {
                m.suspect.count(gram);
                if m.reference.get(&gram) <= 1 && m.has_original(&gram) {
                    m.keep_example(gram, line, span);
                }
            });
        }
    }

    /// Calls `each` with every 2- and 3-word n-gram of `line` (words of
    /// letters only, not across punctuation) and its byte range, and
    /// counts the words on the side `each` counts on.
    fn each_gram(&mut self, line: &str, mut each: impl FnMut(&mut Miner, Gram, (usize, usize))) {
        let spans = words(line);
        let reference = self.gaps.is_none();
        let mut window: Vec<(Word, usize, usize)> = Vec::with_capacity(3);
        let mut last_end = 0;
        for r in spans {
            let joined = line[last_end..r.start].chars().all(char::is_whitespace);
            if !joined {
                window.clear();
            }
            last_end = r.end;
            let text = &line[r.clone()];
            if reference {
                self.reference.words += 1;
            } else {
                self.suspect.words += 1;
            }
            if text.chars().any(|c| c.is_numeric()) {
                window.clear();
                continue;
            }
            let id = self.intern(&text.to_lowercase());
            window.push((id, r.start, r.end));
            if window.len() > 3 {
                window.remove(0);
            }
            let n = window.len();
            if n >= 2 {
                let (a, b) = (window[n - 2], window[n - 1]);
                each(self, [a.0, b.0, NONE], (a.1, b.2));
            }
            if n == 3 {
                let (a, c) = (window[0], window[2]);
                each(self, [a.0, window[1].0, c.0], (a.1, c.2));
            }
        }
    }

    fn is_content(&self, w: Word) -> bool {
        w != NONE && !self.function.contains(&w) && self.names[w as usize].chars().count() >= 3
    }

    /// Indexes the reference collocations by each content word left out.
    fn index_gaps(&self) -> FxHashMap<Gram, Vec<(Word, u32)>> {
        let mut gaps: FxHashMap<Gram, Vec<(Word, u32)>> = FxHashMap::default();
        for (gram, &n) in &self.reference.grams {
            if n < MIN_COLLOCATION {
                continue;
            }
            for i in 0..3 {
                if !self.is_content(gram[i]) {
                    continue;
                }
                let mut key = *gram;
                key[i] = ANY;
                let fillers = gaps.entry(key).or_default();
                fillers.push((gram[i], n));
                if fillers.len() > FILLERS {
                    fillers.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                    fillers.truncate(FILLERS);
                }
            }
        }
        for fillers in gaps.values_mut() {
            fillers.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        gaps
    }

    /// The gram's variants with a known synonym swapped back in one
    /// position, the gram itself first.
    fn unswapped(&self, gram: &Gram) -> Vec<(Gram, Option<usize>)> {
        let mut out = vec![(*gram, None)];
        for j in 0..3 {
            for &t in self.synonyms.get(&gram[j]).map_or(&[][..], Vec::as_slice) {
                let mut g = *gram;
                g[j] = t;
                out.push((g, Some(j)));
            }
        }
        out
    }

    /// Whether some reference collocation is one word (or one word and a
    /// known synonym) away from `gram`.
    fn has_original(&self, gram: &Gram) -> bool {
        let gaps = self.gaps.as_ref().expect("built before the suspect text");
        self.unswapped(gram).iter().any(|(g, j)| {
            (0..3).any(|i| {
                Some(i) != *j && self.is_content(gram[i]) && {
                    let mut key = *g;
                    key[i] = ANY;
                    gaps.contains_key(&key)
                }
            })
        })
    }

    fn keep_example(&mut self, gram: Gram, line: &str, (start, end): (usize, usize)) {
        if self.examples.len() >= MAX_GRAMS && !self.examples.contains_key(&gram) {
            // Keep the examples of the n-grams seen more than once.
            let suspect = &self.suspect;
            self.examples.retain(|g, _| suspect.get(g) > 1);
        }
        let kept = self.examples.entry(gram).or_default();
        if kept.len() < EXAMPLES {
            kept.push(excerpt(line, start, end).into());
        }
    }

    fn phrase(&self, gram: &Gram) -> String {
        gram.iter()
            .filter(|&&w| w != NONE)
            .map(|&w| &*self.names[w as usize])
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The best `top` candidates, best first; one per swap, as the
    /// longer n-grams around a candidate with the same swap are left out.
    pub fn candidates(&self, top: usize) -> Vec<Candidate> {
        let Some(gaps) = &self.gaps else {
            return Vec::new();
        };
        let rate = self.suspect.words as f64 / self.reference.words.max(1) as f64;
        let mut scored: Vec<(f64, Gram, Gram)> = Vec::new();
        for (gram, &s) in &self.suspect.grams {
            let last = if gram[2] == NONE { gram[1] } else { gram[2] };
            if !self.is_content(gram[0]) || !self.is_content(last) {
                continue;
            }
            let v = self.reference.get(gram);
            let mut best: Option<(f64, Gram)> = None;
            for (g, j) in self.unswapped(gram) {
                for i in (0..3).filter(|&i| Some(i) != j && self.is_content(gram[i])) {
                    let mut key = g;
                    key[i] = ANY;
                    for &(w, r) in gaps.get(&key).map_or(&[][..], Vec::as_slice) {
                        if w == gram[i] || u64::from(v) * 10 > u64::from(r) {
                            continue;
                        }
                        let mut original = g;
                        original[i] = w;
                        let o = f64::from(self.suspect.get(&original));
                        let d = (f64::from(r) * rate - o).max(0.0);
                        let fit = f64::from(s).min(d + 0.5) / f64::from(s).max(d + 0.5);
                        let known = j.is_some()
                            || self.synonyms.get(&gram[i]).is_some_and(|t| t.contains(&w));
                        let score = f64::from(s) / (1.0 + f64::from(v))
                            * (1.0 + f64::from(r)).ln()
                            * fit
                            * if known { 2.0 } else { 1.0 };
                        if best.is_none_or(|(b, _)| score > b) {
                            best = Some((score, original));
                        }
                    }
                }
            }
            if let Some((score, original)) = best {
                scored.push((score, *gram, original));
            }
        }
        scored.sort_unstable_by(|a, b| {
            // Ties go to the shorter n-gram: the more general rule.
            b.0.total_cmp(&a.0)
                .then_with(|| (b.1[2] == NONE).cmp(&(a.1[2] == NONE)))
                .then_with(|| a.1.cmp(&b.1))
        });
        let mut kept: Vec<Candidate> = Vec::new();
        let mut swaps: FxHashMap<(String, String), Vec<String>> = FxHashMap::default();
        let mut originals: FxHashSet<Gram> = FxHashSet::default();
        for (score, gram, original) in scored {
            if kept.len() == top {
                break;
            }
            if originals.contains(&original) {
                continue;
            }
            let phrase = self.phrase(&gram);
            let original_phrase = self.phrase(&original);
            let swap = swapped(&gram, &original, &self.names);
            let same = swaps.entry(swap).or_default();
            if same
                .iter()
                .any(|p| contains_words(&phrase, p) || contains_words(p, &phrase))
            {
                continue;
            }
            same.push(phrase.clone());
            originals.insert(original);
            kept.push(Candidate {
                examples: self
                    .examples
                    .get(&gram)
                    .map(|e| e.iter().map(|l| l.to_string()).collect())
                    .unwrap_or_default(),
                phrase,
                original: original_phrase,
                score,
                suspect: self.suspect.get(&gram),
                reference: self.reference.get(&gram),
                original_reference: self.reference.get(&original),
                original_suspect: self.suspect.get(&original),
            });
        }
        kept
    }
}

/// The words that differ between a gram and its original, as text.
fn swapped(gram: &Gram, original: &Gram, names: &[Box<str>]) -> (String, String) {
    let name = |w: Word| if w == NONE { "" } else { &*names[w as usize] };
    let (mut from, mut to) = (String::new(), String::new());
    for (a, b) in gram.iter().zip(original).filter(|(a, b)| a != b) {
        from.push_str(name(*a));
        from.push(' ');
        to.push_str(name(*b));
        to.push(' ');
    }
    (from, to)
}

/// Whether `outer` holds `inner` as whole words.
pub fn contains_words(outer: &str, inner: &str) -> bool {
    format!(" {outer} ").contains(&format!(" {inner} "))
}

/// At most [`EXAMPLE_CHARS`] characters of `line` around the phrase at
/// bytes `start..end`, marked with `…` where cut, control characters
/// escaped.
fn excerpt(line: &str, start: usize, end: usize) -> String {
    let bounds: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
    let total = bounds.len();
    let (lo, hi) = if total <= EXAMPLE_CHARS {
        (0, total)
    } else {
        let first = bounds.partition_point(|&i| i < start);
        let last = bounds.partition_point(|&i| i < end);
        let lo = first
            .saturating_sub(EXAMPLE_CHARS.saturating_sub(last - first) / 2)
            .min(total - EXAMPLE_CHARS);
        (lo, lo + EXAMPLE_CHARS)
    };
    let byte = |k: usize| bounds.get(k).copied().unwrap_or(line.len());
    let mut out = String::new();
    if lo > 0 {
        out.push('…');
    }
    for c in line[byte(lo)..byte(hi)].trim().chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if hi < total {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_missing_from_the_reference_beside_a_collocation_is_found() {
        let mut m = Miner::new();
        m.add_reference(concat!(
            "Aid to developing countries rose.\nOther countries paid.\n",
            "Most developing countries agreed. Developing countries, he said.\n",
            "Many developing countries, and developing countries gained.\n",
        ));
        m.add_suspect(
            "Aid to making countries rose.\nOther countries paid.\nMany making countries.\n",
        );
        let got = m.candidates(10);
        assert_eq!(got[0].phrase, "making countries");
        assert_eq!(got[0].original, "developing countries");
        assert_eq!((got[0].suspect, got[0].reference), (2, 0));
        assert_eq!((got[0].original_reference, got[0].original_suspect), (5, 0));
        assert_eq!(
            got[0].examples,
            ["Aid to making countries rose.", "Many making countries."]
        );
        // `many making countries` carries the same swap: left out.
        assert!(got.iter().all(|c| c.phrase != "many making countries"));
    }

    #[test]
    fn draft_rules_are_yaml_with_restored_examples() {
        let c = Candidate {
            phrase: "making countries".into(),
            original: "developing countries".into(),
            score: 1.0,
            suspect: 2,
            reference: 0,
            original_reference: 5,
            original_suspect: 0,
            examples: vec!["Making countries \"grew\".".into()],
        };
        let rule = c.draft_rule().to_yaml();
        let value: serde_yaml::Value = serde_yaml::from_str(&rule).unwrap();
        assert_eq!(value[0]["find"][0], "making countries");
        assert_eq!(
            value[0]["examples"][0]["after"],
            "Developing countries \"grew\"."
        );
    }

    #[test]
    fn pack_pairs_bridge_a_second_swapped_word() {
        let mut m = Miner::new();
        let nations = m.intern("nations");
        let countries = m.intern("countries");
        m.synonyms.insert(nations, vec![countries]);
        m.add_reference(
            "Developed countries rose. Developed countries fell. Developed countries.\n",
        );
        m.add_suspect("Aid to created nations rose.\n");
        let got = m.candidates(10);
        assert_eq!(got[0].phrase, "created nations");
        assert_eq!(got[0].original, "developed countries");
    }
}
