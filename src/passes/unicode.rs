//! The unicode pass: invisible debris, odd spaces and unnormalised text.
//!
//! Text copied out of web pages and word processors carries characters a
//! reader never sees but every search, diff and spell checker trips over:
//! zero-width spaces and word joiners, soft hyphens, byte-order marks in
//! the middle of a file, control characters, no-break and other fixed-width
//! spaces, and letters in decomposed form (`e` + combining acute). This
//! pass removes or replaces them, keeps the joiners that emoji sequences
//! and Arabic or Indic script need, brings the text to NFC (or NFKC), and
//! flags U+FFFD replacement characters, which mark text already lost.
//!
//! The text is scanned for bytes that are not plain ASCII; clean ASCII
//! text costs one pass over its bytes and no allocation. Around each run of
//! other characters, together with the ASCII character before it (which a
//! combining mark may attach to), the Unicode quick check decides whether
//! normalisation is needed, and only that run is normalised. A run never
//! spans a kept ASCII character, which no normalisation composes with what
//! precedes it, so runs can be normalised independently.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::edit::{Edit, Level};
pub use crate::locale::detect::spaceless;
use crate::locale::{NoBreak, ZeroWidth};
use crate::passes::pieces::{find_in_pieces, line_pieces};
use crate::passes::plain::{is_unusual, next_unusual};
use crate::passes::{Context, Pass};
use crate::settings::Form;
use crate::settings::{Settings, Spaces};

/// Rule id: text not in the chosen normalisation form.
pub const NORMALIZATION: &str = "unicode-normalization";
/// Rule id: zero-width space U+200B or word joiner U+2060.
pub const ZERO_WIDTH: &str = "zero-width-character";
/// Rule id: a zero-width joiner or non-joiner where no script needs one.
pub const STRAY_JOINER: &str = "stray-joiner";
/// Rule id: soft hyphen U+00AD.
pub const SOFT_HYPHEN: &str = "soft-hyphen";
/// Rule id: byte-order mark U+FEFF anywhere but the start of the text.
pub const STRAY_BOM: &str = "stray-bom";
/// Rule id: C0 or C1 control character other than tab, LF and CR.
pub const CONTROL: &str = "control-character";
/// Rule id: no-break space or another fixed-width space separator.
pub const UNUSUAL_SPACE: &str = "unusual-space";
/// Rule id: U+FFFD, the mark of text lost in an earlier decoding (a flag).
pub const REPLACEMENT: &str = "replacement-character";
/// Rule id: a bidirectional embedding, override or isolate control (a flag).
pub const BIDI_CONTROL: &str = "bidi-control";
/// Rule id: a Cyrillic or Greek letter that looks Latin inside a Latin word
/// (a flag proposing the Latin letter).
pub const MIXED_SCRIPT: &str = "mixed-script-word";

/// One kind of repair, indexing [`RULES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    Normalization,
    ZeroWidth,
    Joiner,
    SoftHyphen,
    StrayBom,
    Control,
    Space,
    Replacement,
    Bidi,
    MixedScript,
}

/// Rule ids and their explanations, in [`Rule`] order.
static RULES: LazyLock<[(Arc<str>, Arc<str>); 10]> = LazyLock::new(|| {
    let r = |id: &str, why: &str| (Arc::from(id), Arc::from(why));
    [
        r(
            NORMALIZATION,
            "The same letters can be encoded more than one way (e + combining accent, or é); \
             one normalisation form keeps search, diff and spell checking reliable.",
        ),
        r(
            ZERO_WIDTH,
            "An invisible zero-width space or word joiner breaks words apart for search and \
             spell checking.",
        ),
        r(
            STRAY_JOINER,
            "A zero-width joiner or non-joiner does nothing here (it matters only in emoji \
             sequences and in scripts such as Arabic or Devanagari).",
        ),
        r(
            SOFT_HYPHEN,
            "A soft hyphen is a line-breaking hint from the source layout, invisible in most \
             places and a hidden break inside the word everywhere else.",
        ),
        r(
            STRAY_BOM,
            "A byte-order mark belongs only at the start of a file; elsewhere it is an \
             invisible leftover of joined files.",
        ),
        r(
            CONTROL,
            "A control character has no place in running text; a separator-like one between \
             words becomes a space.",
        ),
        r(
            UNUSUAL_SPACE,
            "A no-break or fixed-width space looks like a space but does not match one in \
             search, diff or rule matching.",
        ),
        r(
            REPLACEMENT,
            "U+FFFD marks a character lost when the text was decoded with the wrong \
             encoding; the original must be recovered by hand.",
        ),
        r(
            BIDI_CONTROL,
            "A bidirectional override, embedding or isolate control reorders the text \
             around it when displayed, so that what is read differs from what is stored \
             (a known spoofing trick); reported, not removed, as right-to-left text may \
             need it.",
        ),
        r(
            MIXED_SCRIPT,
            "A Cyrillic or Greek letter that looks like a Latin one inside a Latin word \
             (`Pаris` with a Cyrillic `а`), or a Latin letter inside a Cyrillic word \
             (`Bсеки` with a Latin `B`), defeats search and spell checking and may be a \
             spoof; the letter of the word's script is proposed.",
        ),
    ]
});

impl Rule {
    fn id(self) -> &'static str {
        match self {
            Rule::Normalization => NORMALIZATION,
            Rule::ZeroWidth => ZERO_WIDTH,
            Rule::Joiner => STRAY_JOINER,
            Rule::SoftHyphen => SOFT_HYPHEN,
            Rule::StrayBom => STRAY_BOM,
            Rule::Control => CONTROL,
            Rule::Space => UNUSUAL_SPACE,
            Rule::Replacement => REPLACEMENT,
            Rule::Bidi => BIDI_CONTROL,
            Rule::MixedScript => MIXED_SCRIPT,
        }
    }

    /// Returns true for the rules that report and never change the text.
    fn is_flag(self) -> bool {
        matches!(self, Rule::Replacement | Rule::Bidi | Rule::MixedScript)
    }

    fn arcs(self) -> &'static (Arc<str>, Arc<str>) {
        &RULES[self as usize]
    }
}

/// Cleans invisible characters, odd spaces and normalisation.
#[derive(Clone, Debug)]
pub struct Unicode {
    /// The normalisation form (`unicode.form`).
    pub form: Form,
    /// Whether unusual spaces become plain spaces (`unicode.spaces`).
    pub plain_spaces: bool,
}

impl Default for Unicode {
    fn default() -> Unicode {
        Unicode {
            form: Form::Nfc,
            plain_spaces: true,
        }
    }
}

impl Unicode {
    /// Builds the pass from the `unicode.*` options.
    pub fn from_settings(settings: &Settings) -> Unicode {
        Unicode {
            form: settings.unicode_form,
            plain_spaces: settings.unicode_spaces == Spaces::Plain,
        }
    }
}

/// A character-level repair inside a run: `range` becomes `after`, or is
/// flagged when `after` is `None`.
#[derive(Debug)]
struct Action {
    rule: Rule,
    range: Range<usize>,
    after: Option<String>,
}

impl Pass for Unicode {
    fn name(&self) -> &'static str {
        "unicode"
    }

    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        self.find(text, cx, out, cx.piece);
    }
}

impl Unicode {
    /// The pass over `text`, read in pieces of whole lines of at least
    /// `min` bytes on every core: a run stops at a line break, and one
    /// after it takes the break as its kept character, which composes with
    /// nothing, so each piece holds whole runs as far as normalisation
    /// goes.
    fn find(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>, min: usize) {
        let ranges: Vec<_> = line_pieces(text.as_bytes(), min, 0).collect();
        find_in_pieces(&ranges, min, out, |piece, out| {
            self.scan(text, piece, cx, out)
        });
    }

    /// Handles the runs of `piece` of `text`.
    fn scan(&self, text: &str, piece: Range<usize>, cx: &Context<'_>, out: &mut Vec<Edit>) {
        let bytes = &text.as_bytes()[..piece.end];
        let mut actions: Vec<Action> = Vec::new();
        let mut i = piece.start;
        let latin_flags = cx.enabled(MIXED_SCRIPT);
        while let Some(k) = next_unusual(bytes, i) {
            // The kept ASCII character before the run may take a combining
            // mark from it.
            let start = if k > i { k - 1 } else { k };
            let end = bytes[k..]
                .iter()
                .position(|&b| !is_unusual(b))
                .map_or(bytes.len(), |n| k + n);
            if latin_flags {
                // Latin letters glued to the run on either side (ASCII,
                // so outside every run): `Bсеки`, `дом`+`a`.
                latin_in_cyrillic(text, i..k, cx, out);
                let after = bytes[end..]
                    .iter()
                    .position(|b| !b.is_ascii_alphabetic())
                    .map_or(bytes.len(), |n| end + n);
                if next_unusual(bytes, end).is_none_or(|n| n > after) {
                    latin_in_cyrillic(text, end..after, cx, out);
                }
            }
            self.run_segment(text, start..end, cx, &mut actions, out);
            i = end;
        }
    }

    /// Handles one run `seg` (a kept ASCII character, if any, then
    /// characters outside ASCII or controls).
    fn run_segment(
        &self,
        text: &str,
        seg: Range<usize>,
        cx: &Context<'_>,
        actions: &mut Vec<Action>,
        out: &mut Vec<Edit>,
    ) {
        actions.clear();
        for (off, c) in text[seg.clone()].char_indices() {
            let at = seg.start + off;
            let Some((rule, after)) = self.classify(text, at, c, cx) else {
                continue;
            };
            let range = at..at + c.len_utf8();
            if !cx.enabled(rule.id()) || cx.protected.overlaps(&range) {
                continue;
            }
            match actions.last_mut() {
                Some(a) if a.rule == rule && a.range.end == at => {
                    a.range.end = range.end;
                    if let (Some(s), Some(t)) = (a.after.as_mut(), after) {
                        s.push_str(t);
                    }
                }
                _ => actions.push(Action {
                    rule,
                    range,
                    after: after.map(str::to_string),
                }),
            }
        }
        if let Some(edit) = self.normalization(text, &seg, cx, actions) {
            out.push(edit);
            // The flags still stand; the repairs are inside the edit.
            actions.retain(|a| a.rule.is_flag());
        }
        for a in actions.drain(..) {
            let (id, why) = a.rule.arcs();
            let level = if a.rule.is_flag() {
                Level::Flag
            } else {
                Level::Fix
            };
            out.push(Edit::new(id, level, text, a.range, a.after, why));
        }
    }

    /// Decides what to do with the character `c` at `at`: the rule and the
    /// replacement (`None` for a flag).
    fn classify(
        &self,
        text: &str,
        at: usize,
        c: char,
        cx: &Context<'_>,
    ) -> Option<(Rule, Option<&'static str>)> {
        Some(match c {
            '\u{200b}' if separates_words(text, at, cx) => return None,
            '\u{200b}' | '\u{2060}' => (Rule::ZeroWidth, Some("")),
            '\u{ad}' => (Rule::SoftHyphen, Some("")),
            '\u{feff}' if at > 0 => (Rule::StrayBom, Some("")),
            '\u{200c}' | '\u{200d}' => {
                if joiner_needed(text, at, c, |d, p| self.removed(p, d, cx)) {
                    return None;
                }
                (Rule::Joiner, Some(""))
            }
            '\u{fffd}' => (Rule::Replacement, None),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => (Rule::Bidi, None),
            _ if latin_lookalike(c).is_some() => {
                let latin = latin_lookalike(c)?;
                if !in_latin_word(text, at, c) {
                    return None;
                }
                (Rule::MixedScript, Some(latin))
            }
            _ if is_unusual_space(c) => {
                if !self.plain_spaces || meant(text, at, c, cx) {
                    return None;
                }
                (Rule::Space, Some(" "))
            }
            _ if is_removable_control(c) => {
                let spaced = is_separator_control(c)
                    && text[..at]
                        .chars()
                        .next_back()
                        .is_some_and(|p| !p.is_whitespace())
                    && text[at + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(|n| !n.is_whitespace());
                (Rule::Control, Some(if spaced { " " } else { "" }))
            }
            _ => return None,
        })
    }

    /// Returns true if the character `c` at `at` disappears in this pass
    /// whatever its neighbours (so a joiner's neighbours are looked for
    /// past it).
    fn removed(&self, at: usize, c: char, cx: &Context<'_>) -> bool {
        let rule = match c {
            '\u{200b}' | '\u{2060}' => Rule::ZeroWidth,
            '\u{ad}' => Rule::SoftHyphen,
            '\u{feff}' if at > 0 => Rule::StrayBom,
            _ if is_removable_control(c) && !is_separator_control(c) => Rule::Control,
            _ => return false,
        };
        cx.enabled(rule.id())
    }

    /// The single edit that normalises the run, with the character repairs
    /// inside it applied first, if normalisation changes anything.
    fn normalization(
        &self,
        text: &str,
        seg: &Range<usize>,
        cx: &Context<'_>,
        actions: &[Action],
    ) -> Option<Edit> {
        if self.form == Form::None || !cx.enabled(NORMALIZATION) {
            return None;
        }
        let original = &text[seg.clone()];
        // Flags (a mixed-script word's proposal among them) change nothing.
        let repaired = actions.iter().any(|a| !a.rule.is_flag());
        let cleaned = if repaired {
            let mut s = String::with_capacity(original.len());
            let mut pos = seg.start;
            for a in actions.iter().filter(|a| !a.rule.is_flag()) {
                s.push_str(&text[pos..a.range.start]);
                s.push_str(a.after.as_deref().unwrap_or_default());
                pos = a.range.end;
            }
            s.push_str(&text[pos..seg.end]);
            std::borrow::Cow::Owned(s)
        } else {
            std::borrow::Cow::Borrowed(original)
        };
        let quick = match self.form {
            Form::Nfc => is_nfc_quick(cleaned.chars()),
            _ => is_nfkc_quick(cleaned.chars()),
        };
        if quick == IsNormalized::Yes {
            return None;
        }
        let keep_spaces = !self.plain_spaces || !cx.enabled(UNUSUAL_SPACE);
        let normal = normalize(&cleaned, self.form, keep_spaces);
        if normal == *cleaned {
            return None;
        }
        // Narrow the edit to where the original and the result differ.
        let prefix: usize = original
            .chars()
            .zip(normal.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        let suffix: usize = original[prefix..]
            .chars()
            .rev()
            .zip(normal[prefix..].chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        let range = seg.start + prefix..seg.end - suffix;
        if cx.protected.overlaps(&range) {
            return None;
        }
        let after = normal[prefix..normal.len() - suffix].to_string();
        let (id, why) = Rule::Normalization.arcs();
        let mut edit = Edit::new(id, Level::Fix, text, range, Some(after), why);
        for a in actions.iter().filter(|a| a.after.is_some()) {
            let rule = &a.rule.arcs().0;
            if !edit.also.contains(rule) {
                edit.also.push(Arc::clone(rule));
            }
        }
        Some(edit)
    }
}

/// Returns true if the zero-width space at `at` separates words: the
/// language's profile says so, or a neighbour is in a script written
/// without spaces (Thai, Lao, Khmer, Myanmar), whatever the language.
fn separates_words(text: &str, at: usize, cx: &Context<'_>) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + 3..].chars().next();
    cx.profile_at(at).zero_width == ZeroWidth::Keep
        || before.and_then(spaceless).is_some()
        || after.and_then(spaceless).is_some()
}

/// Returns true if the no-break (or narrow no-break) space `c` at `at` is
/// typography typed on purpose: the language keeps every one, or it stands
/// before `; : ? !`, a closing `»`, after an opening `«`, before a danda
/// (`।`, `॥`). Other fixed-width spaces are never meant.
fn meant(text: &str, at: usize, c: char, cx: &Context<'_>) -> bool {
    if !matches!(c, '\u{a0}' | '\u{202f}') {
        return false;
    }
    let profile = cx.profile_at(at);
    if profile.no_break == NoBreak::Keep {
        return true;
    }
    let rest = &text[at + c.len_utf8()..];
    let before = text[..at].chars().next_back();
    let Some(next) = rest.chars().next() else {
        return false;
    };
    if matches!(
        next,
        ';' | ':' | '?' | '!' | '\u{bb}' | '\u{964}' | '\u{965}'
    ) || profile.spaced_before(next)
        || before == Some('\u{ab}')
    {
        return true;
    }
    false
}

/// Normalises `s`; with `keep_spaces`, NFKC leaves the unusual spaces
/// (which it would make plain) alone.
fn normalize(s: &str, form: Form, keep_spaces: bool) -> String {
    match form {
        Form::None => s.to_string(),
        Form::Nfc => s.nfc().collect(),
        // The unusual spaces that should go are already plain (the space
        // rule's repairs come first); the ones left are kept on purpose.
        Form::Nfkc if !keep_spaces && !s.contains(is_unusual_space) => s.nfkc().collect(),
        Form::Nfkc => {
            let mut out = String::with_capacity(s.len());
            for piece in s.split_inclusive(is_unusual_space) {
                let (body, space) = match piece.chars().next_back() {
                    Some(c) if is_unusual_space(c) => {
                        (&piece[..piece.len() - c.len_utf8()], Some(c))
                    }
                    _ => (piece, None),
                };
                out.extend(body.nfkc());
                out.extend(space);
            }
            out
        }
    }
}

/// Returns true for the space separators other than the plain space:
/// no-break, the fixed-width spaces, narrow no-break, medium mathematical
/// and ideographic space.
pub fn is_unusual_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// Returns true for C0 and C1 controls other than tab, LF and CR.
pub fn is_removable_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Returns true for controls that separate (vertical tab, form feed, the
/// information separators, next line): between two words they become a
/// space rather than gluing the words together.
pub fn is_separator_control(c: char) -> bool {
    matches!(c, '\u{b}' | '\u{c}' | '\u{1c}'..='\u{1f}' | '\u{85}')
}

/// Returns true if the joiner `c` at `at` does work: between emoji, or
/// next to a letter of a script that uses joiners. Characters for which
/// `removed` holds are looked past, since they will not be there.
fn joiner_needed(text: &str, at: usize, c: char, removed: impl Fn(char, usize) -> bool) -> bool {
    // Combining marks are looked past too (except those of joining
    // scripts, such as a virama): normalisation may reorder them.
    let prev = text[..at]
        .char_indices()
        .rev()
        .find(|&(p, d)| !removed(d, p) && (uses_joiners(d) || !is_combining_mark(d)))
        .map(|(_, d)| d);
    let after = at + c.len_utf8();
    let next = text[after..]
        .char_indices()
        .find(|&(p, d)| !removed(d, after + p))
        .map(|(_, d)| d);
    let (Some(prev), Some(next)) = (prev, next) else {
        // A joiner at an edge of the text joins nothing, unless its
        // neighbour needs it (an Arabic letter at the end of a line).
        return prev.or(next).is_some_and(uses_joiners);
    };
    if c == '\u{200d}' && is_emoji_part(prev) && is_emoji_part(next) {
        return true;
    }
    uses_joiners(prev) || uses_joiners(next)
}

/// Returns true for characters of scripts where ZWJ and ZWNJ choose letter
/// forms: Arabic and its extensions, Syriac, Thaana, N'Ko, the Indic
/// scripts, Tibetan, Myanmar, Khmer, Mongolian.
fn uses_joiners(c: char) -> bool {
    matches!(
        c,
        '\u{600}'..='\u{7ff}'
            | '\u{870}'..='\u{dff}'
            | '\u{f00}'..='\u{109f}'
            | '\u{1780}'..='\u{18af}'
            | '\u{a8e0}'..='\u{a8ff}'
            | '\u{fb50}'..='\u{fdff}'
            | '\u{fe70}'..='\u{fefe}'
    )
}

/// Returns true for characters that take part in emoji ZWJ sequences:
/// pictographs, symbols and dingbats, skin-tone modifiers, the emoji
/// variation selector and tag characters.
fn is_emoji_part(c: char) -> bool {
    matches!(
        c,
        '\u{a9}'
            | '\u{ae}'
            | '\u{203c}'
            | '\u{2049}'
            | '\u{2122}'
            | '\u{2139}'
            | '\u{2190}'..='\u{21ff}'
            | '\u{2300}'..='\u{23ff}'
            | '\u{2600}'..='\u{27bf}'
            | '\u{2b00}'..='\u{2bff}'
            | '\u{3030}'
            | '\u{303d}'
            | '\u{3297}'
            | '\u{3299}'
            | '\u{fe0f}'
            | '\u{1f000}'..='\u{1faff}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// The Latin letter a Cyrillic or Greek letter is drawn like, for the
/// letters that are the same glyph in common fonts (`а` and `a`, `Р` and
/// `P`, `ο` and `o`).
fn latin_lookalike(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'е' => "e",
        'о' | 'ο' => "o",
        'р' => "p",
        'с' => "c",
        'у' => "y",
        'х' => "x",
        'і' => "i",
        'ј' => "j",
        'ѕ' => "s",
        'ԁ' => "d",
        'А' | 'Α' => "A",
        'В' | 'Β' => "B",
        'Е' | 'Ε' => "E",
        'К' | 'Κ' => "K",
        'М' | 'Μ' => "M",
        'Н' | 'Η' => "H",
        'О' | 'Ο' => "O",
        'Р' | 'Ρ' => "P",
        'С' => "C",
        'Т' | 'Τ' => "T",
        'Х' | 'Χ' => "X",
        'І' | 'Ι' => "I",
        'Ј' => "J",
        'Ѕ' => "S",
        'У' | 'Υ' => "Y",
        'Ζ' => "Z",
        'Ν' => "N",
        _ => return None,
    })
}

/// The Cyrillic letter a Latin letter is drawn like (the reverse of
/// [`latin_lookalike`], Cyrillic only).
fn cyrillic_lookalike(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'c' => 'с',
        'y' => 'у',
        'x' => 'х',
        'i' => 'і',
        'j' => 'ј',
        's' => 'ѕ',
        'A' => 'А',
        'B' => 'В',
        'E' => 'Е',
        'K' => 'К',
        'M' => 'М',
        'H' => 'Н',
        'O' => 'О',
        'P' => 'Р',
        'C' => 'С',
        'T' => 'Т',
        'X' => 'Х',
        'I' => 'І',
        'J' => 'Ј',
        'S' => 'Ѕ',
        'Y' => 'У',
        _ => return None,
    })
}

/// Flags the ASCII letters at the end of `span` of `text` (the letters
/// that touch the next run of non-ASCII characters, or follow the last
/// one) that stand in a Cyrillic word and look like Cyrillic letters
/// (`Bсеки` with a Latin `B`, Bulgarian `Tо`): the reverse of `Pаris`,
/// proposing the Cyrillic letters.
fn latin_in_cyrillic(text: &str, span: Range<usize>, cx: &Context<'_>, out: &mut Vec<Edit>) {
    let bytes = text.as_bytes();
    // Before a run, only the letters right before it; after one, all.
    let start = if span.end < text.len() && !bytes[span.end].is_ascii() {
        span.start
            + bytes[span.clone()]
                .iter()
                .rposition(|b| !b.is_ascii_alphabetic())
                .map_or(0, |n| n + 1)
    } else {
        span.start
    };
    let letters = start..span.end;
    if letters.is_empty() || cx.protected.overlaps(&letters) {
        return;
    }
    let Some(after) = text[letters.clone()]
        .chars()
        .map(cyrillic_lookalike)
        .collect::<Option<String>>()
    else {
        return;
    };
    if !in_cyrillic_word(text, letters.clone()) {
        return;
    }
    let (id, why) = Rule::MixedScript.arcs();
    out.push(Edit::new(id, Level::Flag, text, letters, Some(after), why));
}

/// Returns true if the ASCII letters at `letters` stand in a word of
/// `text` (its run of letters) that is Cyrillic: every Latin letter of the
/// word looks like a Cyrillic one, no letter is of a third script, and
/// Cyrillic letters outnumber the Latin ones (or, as many, the word
/// stands among Cyrillic words: Bulgarian `Tо трябва`, not the English
/// `To` of a Russian quotation mark).
fn in_cyrillic_word(text: &str, letters: Range<usize>) -> bool {
    let in_word = |c: &char| c.is_alphabetic() || is_combining_mark(*c);
    let left: Vec<char> = text[..letters.start]
        .chars()
        .rev()
        .take_while(in_word)
        .collect();
    let right: Vec<char> = text[letters.end..].chars().take_while(in_word).collect();
    let (mut latin, mut cyrillic) = (letters.len(), 0);
    for &l in left.iter().chain(&right) {
        if l.is_ascii_alphabetic() {
            if cyrillic_lookalike(l).is_none() {
                return false;
            }
            latin += 1;
        } else if matches!(l as u32, 0x400..=0x52f) {
            cyrillic += 1;
        } else if !is_combining_mark(l) {
            return false;
        }
    }
    if cyrillic == 0 || cyrillic < latin {
        return false;
    }
    if cyrillic > latin {
        return true;
    }
    // As many: the words around decide.
    let before: usize = left.iter().map(|c| c.len_utf8()).sum();
    let after: usize = right.iter().map(|c| c.len_utf8()).sum();
    let word = letters.start - before..letters.end + after;
    let around = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphabetic())
            .take(6)
            .any(|c| matches!(c as u32, 0x400..=0x52f))
    };
    let prev: String = text[..word.start].chars().rev().take(24).collect();
    around(&prev) || around(&text[word.end..].chars().take(24).collect::<String>())
}

/// Returns true if the lookalike `c` at `at` stands in a word of `text`
/// (its run of letters) that is Latin: more ASCII letters than lookalikes,
/// and no Cyrillic or Greek letter without a Latin lookalike. `Pаris` is;
/// Russian `Париж` and `iPhoneом` are not, nor Bulgarian `Tо` (a Latin `T`
/// in a Cyrillic word, where the Latin letter is the odd one).
fn in_latin_word(text: &str, at: usize, c: char) -> bool {
    let end = at + c.len_utf8();
    let in_word = |c: &char| c.is_alphabetic() || is_combining_mark(*c);
    let left = text[..at].chars().rev().take_while(in_word);
    let right = text[end..].chars().take_while(in_word);
    let (mut ascii, mut lookalikes) = (0, 1);
    for l in left.chain(right) {
        if l.is_ascii_alphabetic() {
            ascii += 1;
        } else if latin_lookalike(l).is_some() {
            lookalikes += 1;
        } else if matches!(l as u32, 0x370..=0x3ff | 0x1f00..=0x1fff | 0x400..=0x52f) {
            return false;
        }
    }
    ascii > lookalikes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spans::Spans;
    use std::collections::HashSet;

    fn run_with(pass: &Unicode, text: &str, disabled: &[&str]) -> (String, Vec<Edit>) {
        let protected = Spans::default();
        let disabled: HashSet<String> = disabled.iter().map(|s| s.to_string()).collect();
        let cx = Context::whole(&protected, &disabled);
        let mut edits = Vec::new();
        pass.run(text, &cx, &mut edits);
        edits.sort_by_key(|e| e.range.start);
        let mut out = String::new();
        let mut pos = 0;
        for e in edits
            .iter()
            .filter(|e| e.after.is_some() && e.level != Level::Flag)
        {
            assert!(e.range.start >= pos, "overlapping edits {edits:?}");
            out.push_str(&text[pos..e.range.start]);
            out.push_str(e.after.as_deref().unwrap());
            pos = e.range.end;
        }
        out.push_str(&text[pos..]);
        (out, edits)
    }

    #[test]
    fn bidi_controls_are_flagged() {
        let pass = Unicode::default();
        // An override that shows `exe.pdf.txt` as `txt.fdp.exe` (#15).
        let text = "invoice\u{202e}fdp.exe and \u{2067}\u{2069} \u{202a}x\u{202c}";
        let (out, edits) = run_with(&pass, text, &[]);
        assert_eq!(out, text);
        let flagged: Vec<&str> = edits.iter().map(|e| e.before.as_str()).collect();
        assert_eq!(
            flagged,
            ["\u{202e}", "\u{2067}\u{2069}", "\u{202a}", "\u{202c}"]
        );
        assert!(edits
            .iter()
            .all(|e| e.level == Level::Flag && &*e.rule == BIDI_CONTROL && e.after.is_none()));
        // The marks U+200E/U+200F are left alone.
        assert!(run_with(&pass, "a\u{200e}b\u{200f}", &[]).1.is_empty());
        assert!(run_with(&pass, text, &[BIDI_CONTROL]).1.is_empty());
    }

    #[test]
    fn mixed_script_words_are_flagged_with_the_latin_letters() {
        let pass = Unicode::default();
        let text = "P\u{430}ris, \u{420}\u{430}yPal and b\u{3bf}ok";
        let (out, edits) = run_with(&pass, text, &[]);
        assert_eq!(out, text, "flags change nothing");
        let got: Vec<(&str, Option<&str>)> = edits
            .iter()
            .map(|e| (e.before.as_str(), e.after.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("\u{430}", Some("a")),
                ("\u{420}\u{430}", Some("Pa")),
                ("\u{3bf}", Some("o")),
            ]
        );
        assert!(edits
            .iter()
            .all(|e| e.level == Level::Flag && &*e.rule == MIXED_SCRIPT));
        // Words of one script, mixed words with letters that look like no
        // Latin letter, and Cyrillic after a Latin name are left alone.
        for keep in [
            "\u{41f}\u{430}\u{440}\u{438}\u{436} and Paris",
            "iPhone\u{43e}\u{43c}",
            "\u{3b1}\u{3bd}\u{3b8}\u{3c1}\u{3c9}\u{3c0}\u{3bf}\u{3c2}",
            "10\u{3bc}s",
        ] {
            assert!(run_with(&pass, keep, &[]).1.is_empty(), "{keep:?}");
        }
        // A decomposed letter next to it is normalised; the flag stays.
        let (out, edits) = run_with(&pass, "Pe\u{301}r\u{430}", &[]);
        assert_eq!(out, "P\u{e9}r\u{430}");
        assert!(edits.iter().any(|e| &*e.rule == MIXED_SCRIPT));
    }

    #[test]
    fn latin_letters_in_cyrillic_words_are_flagged() {
        let pass = Unicode::default();
        let flags = |text: &str| -> Vec<(String, Option<String>)> {
            let (out, edits) = run_with(&pass, text, &[]);
            assert_eq!(out, text, "flags change nothing");
            edits
                .into_iter()
                .filter(|e| &*e.rule == MIXED_SCRIPT)
                .map(|e| {
                    assert_eq!(e.level, Level::Flag);
                    (
                        e.before.to_string(),
                        e.after.as_ref().map(|a| a.to_string()),
                    )
                })
                .collect()
        };
        let f = |a: &str, b: &str| (a.to_string(), Some(b.to_string()));
        // Bulgarian typed with Latin capitals (charset-samples), a Latin
        // `o` inside, two together, and a Latin `a` that ends the word.
        assert_eq!(
            flags("1. B\u{441}\u{435}\u{43a}\u{438} \u{447}\u{43e}\u{432}\u{435}\u{43a}"),
            [f("B", "\u{412}")]
        );
        assert_eq!(
            flags("\u{41f}o\u{434}\u{43f}\u{438}\u{441}\u{43a}\u{430} \u{43f}ox\u{43e}\u{434} \u{434}\u{43e}\u{43c}a"),
            [f("o", "\u{43e}"), f("ox", "\u{43e}\u{445}"), f("a", "\u{430}")]
        );
        // As many Latin as Cyrillic letters: the words around decide.
        assert_eq!(
            flags("\u{441}\u{432}\u{43e}\u{431}\u{43e}\u{434}\u{438}. T\u{43e} \u{442}\u{440}\u{44f}\u{431}\u{432}\u{430}"),
            [f("T", "\u{422}")]
        );
        // Among English words, `Tо` is a Latin word with a Cyrillic `о`.
        assert_eq!(flags("Say To\u{43e} now"), [f("\u{43e}", "o")]);
        // Latin words and names glued to Cyrillic endings, Latin words
        // with a letter that looks like no Cyrillic one, and Latin
        // abbreviations are left alone.
        for keep in [
            "iPhone\u{43e}\u{43c}",
            "SMS\u{43a}\u{430}",
            "Facebook \u{438} Twitter",
            "XIX \u{432}\u{435}\u{43a}",
            "\u{41f}\u{430}\u{440}\u{438}\u{436} and Paris",
        ] {
            assert!(flags(keep).is_empty(), "{keep:?}");
        }
        assert!(
            run_with(&pass, "B\u{441}\u{435}\u{43a}\u{438}", &[MIXED_SCRIPT])
                .1
                .is_empty()
        );
    }

    /// Scanning a text in pieces finds what one scan finds: news, and
    /// lines that start with the characters the pass acts on.
    #[test]
    fn pieces_find_what_one_scan_finds() {
        let lines = [
            "caf\u{65}\u{301} and \u{200b}zero\u{a0}width",
            "\u{301}a mark that starts a line",
            "\u{301}\u{316}marks out of order, e\u{301}\u{316}",
            "\u{feff}\u{ad}soft\u{fffd} and \u{1}control",
            "plain",
            "\u{2003}em space\u{200d}\u{1f468}\u{200d}\u{1f469}",
            "",
        ];
        let mut doc = String::from("\u{feff}");
        for k in 0..300 {
            doc.push_str(lines[k % lines.len()]);
            doc.push_str(if k % 7 == 0 { "\r\n" } else { "\n" });
        }
        let mut texts: Vec<String> = crate::rules::test_texts::news(10).into_iter().collect();
        texts.push(doc.clone());
        assert!(
            crate::passes::pieces::line_pieces(doc.as_bytes(), 1, 0).count() > 100,
            "the text splits"
        );
        let protected = Spans::default();
        let disabled = HashSet::new();
        let cx = Context::whole(&protected, &disabled);
        let found = |text: &str, min: usize| {
            let mut edits = Vec::new();
            Unicode::default().find(text, &cx, &mut edits, min);
            edits
        };
        for text in &texts {
            let whole = found(text, usize::MAX);
            for min in [1, 100] {
                assert_eq!(found(text, min), whole, "pieces of {min}");
            }
        }
    }

    fn clean(text: &str) -> String {
        run_with(&Unicode::default(), text, &[]).0
    }

    #[test]
    fn golden() {
        let cases: &[(&str, &str)] = &[
            ("cafe\u{301}", "caf\u{e9}"),
            ("A\u{30a}ngstro\u{308}m", "\u{c5}ngstr\u{f6}m"),
            ("glob\u{200b}al wo\u{2060}rd", "global word"),
            ("infor\u{ad}mation", "information"),
            ("\u{feff}start\u{feff} end", "\u{feff}start end"),
            ("bell\u{7}\u{0}x\u{7f}\u{85}", "bellx"),
            ("line\u{b}break and\u{c} page", "line break and page"),
            ("C1\u{9d}mark", "C1mark"),
            ("tab\tlf\ncr\r\n", "tab\tlf\ncr\r\n"),
            (
                "10\u{a0}000 and\u{2009}thin\u{202f}narrow\u{3000}wide",
                "10 000 and thin narrow wide",
            ),
            ("a\u{a0}\u{a0}b", "a  b"),
            ("ab\u{200d}cd o\u{200c}f", "abcd of"),
            (
                "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}",
                "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}",
            ),
            (
                "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}",
                "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}",
            ),
            (
                "\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}",
                "\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}",
            ),
            (
                "\u{915}\u{94d}\u{200d}\u{937}",
                "\u{915}\u{94d}\u{200d}\u{937}",
            ),
            ("e\u{ad}\u{301}", "\u{e9}"),
            ("\u{1f600}\u{200d}x", "\u{1f600}x"),
            ("lost \u{fffd} char", "lost \u{fffd} char"),
            ("\u{fb01}ne \u{2126}", "\u{fb01}ne \u{3a9}"),
            ("plain ascii", "plain ascii"),
        ];
        for (input, want) in cases {
            assert_eq!(&clean(input), want, "input {input:?}");
            assert_eq!(&clean(want), want, "not idempotent on {input:?}");
        }
    }

    #[test]
    fn rule_ids_and_levels() {
        let (_, e) = run_with(
            &Unicode::default(),
            "a\u{200b}b\u{ad}c \u{fffd}\u{fffd} d\u{a0}e",
            &[],
        );
        let got: Vec<(&str, Level)> = e.iter().map(|e| (&*e.rule, e.level)).collect();
        assert_eq!(
            got,
            [
                (ZERO_WIDTH, Level::Fix),
                (SOFT_HYPHEN, Level::Fix),
                (REPLACEMENT, Level::Flag),
                (UNUSUAL_SPACE, Level::Fix)
            ]
        );
        assert_eq!(e[2].before, "\u{fffd}\u{fffd}");
        let (_, e) = run_with(&Unicode::default(), "x\u{ad}e\u{ad}\u{301}", &[]);
        assert_eq!(e.len(), 2);
        assert_eq!(&*e[1].rule, NORMALIZATION);
        assert_eq!(&*e[1].also[0], SOFT_HYPHEN);
    }

    #[test]
    fn options() {
        let nfkc = Unicode {
            form: Form::Nfkc,
            plain_spaces: true,
        };
        assert_eq!(
            run_with(&nfkc, "\u{fb01}ne x\u{b2} \u{ff21}", &[]).0,
            "fine x2 A"
        );
        let keep = Unicode {
            form: Form::Nfkc,
            plain_spaces: false,
        };
        assert_eq!(
            run_with(&keep, "\u{fb01}\u{a0}x\u{2009}y", &[]).0,
            "fi\u{a0}x\u{2009}y"
        );
        let none = Unicode {
            form: Form::None,
            plain_spaces: true,
        };
        assert_eq!(run_with(&none, "cafe\u{301}\u{a0}", &[]).0, "cafe\u{301} ");
        // Disabling a rule keeps its characters, and a joiner's neighbours
        // are then those characters.
        assert_eq!(
            run_with(&Unicode::default(), "a\u{ad}b\u{200b}c", &[SOFT_HYPHEN]).0,
            "a\u{ad}bc"
        );
    }

    #[test]
    fn clean_text_makes_no_edits() {
        let (out, e) = run_with(
            &Unicode::default(),
            "Price: \u{a3}5 \u{2014} \u{201c}ok\u{201d}",
            &[],
        );
        assert!(e.is_empty());
        assert_eq!(out, "Price: \u{a3}5 \u{2014} \u{201c}ok\u{201d}");
    }
}
