//! The Bloom keys that rule out most candidate words before the phrase
//! automaton is asked.

use super::phrase::FIRST;
use super::ASCII_WORD;

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
pub(crate) struct WordKeys {
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
    pub(crate) fn build(patterns: &[String], needs_end: &[bool], classes: &[u8; 256]) -> WordKeys {
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
    pub(crate) fn rules_out(&self, hay: &[u8], at: usize) -> Option<usize> {
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
