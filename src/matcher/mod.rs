//! The matcher: finds where rules *could* apply, and nothing more.
//!
//! It knows phrases and regular expressions, never rules, conditions,
//! passes or the pipeline: the phrase automaton ([`phrase`]) reports
//! candidate (pattern, range) pairs over a folded text and lets its caller
//! claim them; [`pattern`] compiles regexes when first needed and extracts
//! the literals every match contains; [`prefilter`] tells from those
//! literals where each pattern can match a text; [`requires`] looks for
//! the phrases a rule needs somewhere in the document. The speed-ups
//! (Bloom keys in [`keys`], the automaton built on a thread of its own in
//! [`automaton`], chunked parallel search) stay behind these modules.
//! Rule conditions ([`crate::rules::conditions`]) sit above, the passes
//! above those.

pub(crate) mod automaton;
pub(crate) mod case;
pub(crate) mod keys;
pub(crate) mod pattern;
pub(crate) mod phrase;
pub(crate) mod prefilter;
pub(crate) mod requires;

use std::ops::Range;

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
pub(crate) static ASCII_WORD: [bool; 256] = ascii_word_table();

/// Returns true if the character starting at `at` in `hay` is a word
/// character, with its width.
#[inline]
pub(crate) fn word_char_at(hay: &[u8], at: usize) -> (bool, usize) {
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
pub(crate) fn word_char_before(hay: &[u8], at: usize) -> bool {
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

/// Width of the UTF-8 sequence starting with `lead`.
pub(crate) fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Returns true for characters that belong to a word: Unicode letters,
/// digits, combining marks, and the underscore.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || unicode_normalization::char::is_combining_mark(c)
}

/// Whether `s` starts and ends with a word character: the sides on which a
/// whole-word match must meet a word boundary (as with a regex `\b`).
pub(crate) fn word_edges(s: &str) -> (bool, bool) {
    (
        s.chars().next().is_some_and(is_word_char),
        s.chars().next_back().is_some_and(is_word_char),
    )
}

/// Returns true if `range` does not start or end inside a word (checked
/// only on the sides where the phrase itself has a word character).
pub(crate) fn at_word_boundary(text: &str, range: &Range<usize>, edges: (bool, bool)) -> bool {
    let before_ok = !edges.0
        || !text[..range.start]
            .chars()
            .next_back()
            .is_some_and(is_word_char);
    let after_ok = !edges.1 || !text[range.end..].chars().next().is_some_and(is_word_char);
    before_ok && after_ok
}
