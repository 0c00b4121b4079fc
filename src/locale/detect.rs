//! Which language each part of a text is in: once per document, and per
//! paragraph where a long enough paragraph is reliably in another one.
//!
//! Detection is `whatlang` (trigrams, no model files) and runs only when
//! the text holds something a language decides: a letter outside ASCII, a
//! no-break or a zero-width space. Plain ASCII text is English, as before,
//! at the cost of one scan; in a document found to be in another language,
//! plain ASCII paragraphs are read too (one may be an English quotation,
//! which English packs should see). Where a text is too short for the detector to
//! be reliable, its script alone decides (Thai script takes the Thai
//! profile), and otherwise the document's (or English) stands.

use std::ops::Range;
use std::sync::Arc;

use crate::blocks::paragraphs;
use crate::locale::profile::{Profile, Profiles};

/// Fewer characters than this and the detector's guess is not taken.
const MIN_CHARS: usize = 40;

/// How much of a document the document-wide guess reads.
const SAMPLE_BYTES: usize = 8 * 1024;

/// How much of a paragraph its own guess reads.
const PARAGRAPH_BYTES: usize = 1024;

/// One part's language: its code (ISO 639-1 where there is one, as the
/// rule packs' `languages:` name it) and the index of its profile (the
/// default's for a language without one of its own).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Lang {
    code: Arc<str>,
    profile: usize,
}

impl Lang {
    fn new(code: &str, profiles: &Profiles) -> Lang {
        Lang {
            code: Arc::from(code),
            profile: profiles.index(code),
        }
    }
}

/// The language and profile of every part of one text.
#[derive(Clone, Debug)]
pub struct Languages {
    profiles: Arc<Profiles>,
    /// The document's language.
    doc: Lang,
    /// Paragraphs in another language than the document, in order.
    paras: Vec<(Range<usize>, Lang)>,
}

impl Languages {
    /// The whole text in language `code`.
    pub fn whole(profiles: Arc<Profiles>, code: &str) -> Languages {
        Languages {
            doc: Lang::new(code, &profiles),
            profiles,
            paras: Vec::new(),
        }
    }

    /// English throughout, with the built-in profiles.
    pub fn english() -> Languages {
        Languages::whole(Profiles::builtin(), "en")
    }

    /// Finds the languages of `text`; `forced` (a language code from
    /// `--lang`, front matter or `lang:`) skips detection.
    pub fn detect(text: &str, profiles: Arc<Profiles>, forced: Option<&str>) -> Languages {
        if let Some(code) = forced {
            // A tag such as `de-CH` or `pt_BR` takes its language's profile.
            let primary = code.split(['-', '_']).next().unwrap_or(code);
            return Languages::whole(profiles, &primary.to_ascii_lowercase());
        }
        if !needs_detection(text) {
            return Languages::whole(profiles, "en");
        }
        let doc = guess(sample(text, SAMPLE_BYTES), &profiles).unwrap_or("en");
        let doc = Lang::new(doc, &profiles);
        let mut paras = Vec::new();
        // In a document not in English, a paragraph of plain ASCII can be
        // English (a quotation, an abstract): English packs apply there.
        let ascii_too = *doc.code != *"en";
        for para in paragraphs(text) {
            let t = &text[para.clone()];
            if !ascii_too && !needs_detection(t) {
                continue;
            }
            match guess(sample(t, PARAGRAPH_BYTES), &profiles) {
                Some(code) if *code != *doc.code => {
                    paras.push((para, Lang::new(code, &profiles)));
                }
                _ => {}
            }
        }
        Languages {
            profiles,
            doc,
            paras,
        }
    }

    /// The language of the text at byte `at`.
    fn lang(&self, at: usize) -> &Lang {
        let i = self.paras.partition_point(|(r, _)| r.end < at);
        match self.paras.get(i) {
            Some((r, lang)) if r.start <= at => lang,
            _ => &self.doc,
        }
    }

    /// The profile of the text at byte `at`.
    pub fn at(&self, at: usize) -> &Profile {
        self.profiles.get(self.lang(at).profile)
    }

    /// The language code of the text at byte `at` (ISO 639-1 where there
    /// is one): `en` for text too short or too uncertain to tell.
    pub fn code_at(&self, at: usize) -> &str {
        &self.lang(at).code
    }

    /// Moves the paragraphs through the applied `edits` (sorted, disjoint,
    /// each with the length of its replacement): edits do not change a
    /// paragraph's language, so the text is not read again.
    pub fn shift(&mut self, edits: &[(Range<usize>, usize)]) {
        if self.paras.is_empty() || edits.is_empty() {
            return;
        }
        let mut k = 0;
        let mut delta: isize = 0;
        // Starts and ends come in increasing order: one walk over the edits.
        let mut map = |pos: usize, end: bool| -> usize {
            while k < edits.len() && (edits[k].0.end < pos || (!end && edits[k].0.end == pos)) {
                delta += edits[k].1 as isize - edits[k].0.len() as isize;
                k += 1;
            }
            match edits.get(k) {
                // Inside an edit: its start, or the end of its replacement.
                Some((r, len)) if r.start < pos && pos < r.end => {
                    let at = r.start.saturating_add_signed(delta);
                    if end {
                        at + len
                    } else {
                        at
                    }
                }
                _ => pos.saturating_add_signed(delta),
            }
        };
        for (r, _) in &mut self.paras {
            let start = map(r.start, false);
            let end = map(r.end, true);
            *r = start..end.max(start);
        }
    }

    /// The document's profile.
    pub fn document(&self) -> &Profile {
        self.profiles.get(self.doc.profile)
    }

    /// The document's language code.
    pub fn document_code(&self) -> &str {
        &self.doc.code
    }
}

/// The same profiles for the same parts (the profiles themselves are the
/// pipeline's, shared).
impl PartialEq for Languages {
    fn eq(&self, other: &Languages) -> bool {
        Arc::ptr_eq(&self.profiles, &other.profiles)
            && self.doc == other.doc
            && self.paras == other.paras
    }
}

/// Returns true if `text` holds a letter outside ASCII, a no-break or a
/// zero-width space: something whose treatment depends on the language.
pub fn needs_detection(text: &str) -> bool {
    !text.is_ascii()
        && text.chars().any(|c| {
            !c.is_ascii() && (c.is_alphabetic() || matches!(c, '\u{a0}' | '\u{202f}' | '\u{200b}'))
        })
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn sample(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The language of `t`: its script's if that decides alone, else the
/// detector's when the text is long enough and the guess reliable.
fn guess(t: &str, profiles: &Profiles) -> Option<&'static str> {
    if let Some(code) = spaceless_script(t).and_then(|s| profiles.for_script(s)) {
        return Some(code);
    }
    if t.chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_CHARS)
        .count()
        < MIN_CHARS
    {
        return None;
    }
    let info = whatlang::detect(t)?;
    if !info.is_reliable() {
        return None;
    }
    Some(code(info.lang()))
}

/// The ISO 639-1 code of `lang` where the profiles use one, else its
/// ISO 639-3 code.
pub fn code(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Rus => "ru",
        Nld => "nl",
        Pol => "pl",
        Tha => "th",
        Khm => "km",
        Mya => "my",
        Hin => "hi",
        Nep => "ne",
        Ben => "bn",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Ara => "ar",
        Urd => "ur",
        Ind => "id",
        Ron => "ro",
        other => other.code(),
    }
}

/// The script written without spaces between words that `c` belongs to.
pub fn spaceless(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{0e00}'..='\u{0e7f}' => "Thai",
        '\u{0e80}'..='\u{0eff}' => "Lao",
        '\u{1000}'..='\u{109f}' | '\u{aa60}'..='\u{aa7f}' => "Myanmar",
        '\u{1780}'..='\u{17ff}' | '\u{19e0}'..='\u{19ff}' => "Khmer",
        _ => return None,
    })
}

/// The spaceless script most of the letters of `t` are in, if most are.
fn spaceless_script(t: &str) -> Option<&'static str> {
    let mut counts: [(Option<&'static str>, usize); 5] = [(None, 0); 5];
    let mut letters = 0usize;
    for c in t
        .chars()
        .filter(|c| c.is_alphabetic() || spaceless(*c).is_some())
    {
        letters += 1;
        if let Some(s) = spaceless(c) {
            if let Some(slot) = counts
                .iter_mut()
                .find(|(n, _)| n.is_none() || *n == Some(s))
            {
                slot.0 = Some(s);
                slot.1 += 1;
            }
        }
    }
    let (script, n) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    (n * 2 > letters).then_some(script?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang_of(text: &str) -> String {
        Languages::detect(text, Profiles::builtin(), None)
            .document()
            .code
            .clone()
    }

    #[test]
    fn ascii_text_is_english_without_detection() {
        assert!(!needs_detection("Plain \"ASCII\" text - as ever."));
        assert!(!needs_detection(
            "Curly \u{201c}quotes\u{201d} alone \u{2014} too."
        ));
        assert_eq!(lang_of("Der Hund ist nicht hier und das ist gut so."), "en");
    }

    /// A German and a French paragraph, long enough to detect.
    const DE: &str = "Die Bundesregierung hat am Mittwoch beschlossen, dass die Förderung für \
                      Wärmepumpen im nächsten Jahr deutlich erhöht wird.";
    const FR: &str = "Le gouvernement a décidé mercredi que l'aide aux pompes à chaleur serait \
                      nettement augmentée l'année prochaine.";

    #[test]
    fn documents_and_paragraphs() {
        let (de, fr) = (DE, FR);
        assert_eq!(lang_of(de), "de");
        assert_eq!(lang_of(fr), "fr");
        let both = format!("{de}\n\n{fr}\n");
        let l = Languages::detect(&both, Profiles::builtin(), None);
        assert_eq!(l.at(0).code, "de");
        assert_eq!(l.at(de.len() + 5).code, "fr");
        assert_eq!(l.at(both.len()).code, "de");
    }

    #[test]
    fn short_texts_fall_back_to_their_script() {
        assert_eq!(lang_of("สวัสดี\u{200b}ครับ"), "th");
        assert_eq!(lang_of("ជំរាបសួរ\u{200b}លោក"), "km");
        assert_eq!(lang_of("Vraiment\u{a0}? Oui"), "en", "too short to tell");
    }

    #[test]
    fn paragraphs_move_with_edits() {
        let (de, fr) = (DE, FR);
        let text = format!("{de}\n\n{fr}\n");
        let mut l = Languages::detect(&text, Profiles::builtin(), None);
        // Ten bytes removed in the German paragraph, three added in the
        // French one.
        let at = de.len() + 2 + 5;
        l.shift(&[(0..10, 0), (at..at, 3)]);
        let fr_start = de.len() + 2 - 10;
        assert_eq!(l.at(fr_start - 3).code, "de");
        assert_eq!(l.at(fr_start).code, "fr");
        assert_eq!(l.at(fr_start + fr.len() + 3).code, "fr");
        assert_eq!(l.at(fr_start + fr.len() + 5).code, "de");
    }

    #[test]
    fn forced_language_wins() {
        let l = Languages::detect("Hello there", Profiles::builtin(), Some("fr"));
        assert_eq!(l.document().code, "fr");
    }
}
