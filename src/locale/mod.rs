//! Languages and their typography: which language each part of a text is
//! in ([`detect`]), and what sound text looks like in it ([`profile`]), so
//! that the unicode, spacing, quotes and dashes passes leave every
//! language's typography alone (see `docs/languages.md`).

pub mod detect;
pub mod profile;

use std::collections::BTreeMap;

pub use detect::Languages;
pub use profile::{NoBreak, Profile, ProfilePatch, Profiles, ZeroWidth};

/// The language options: a language given for every document, and
/// patches to the built-in profiles.
///
/// A document's language is, in this order: `--lang` (the library's
/// `lang`), the `lang:` of its Markdown front matter, the config's
/// `lang:`, and detection when none is given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocaleSettings {
    /// `--lang`: the language of every document, over what the document
    /// declares (no detection).
    pub lang: Option<String>,
    /// `lang:` in `.copydesk.yaml`: the language of every document that
    /// does not declare its own in front matter.
    pub config_lang: Option<String>,
    /// `languages:` in `.copydesk.yaml`: profile fields by language code.
    pub patches: BTreeMap<String, ProfilePatch>,
}

impl LocaleSettings {
    /// The language a document is read in, when one is given: `--lang`,
    /// else `declared` (its front matter's `lang:`, if that names a
    /// language), else the config's; `None`: detect it.
    pub fn given(&self, declared: Option<&str>) -> Option<String> {
        if let Some(lang) = &self.lang {
            return Some(lang.clone());
        }
        declared
            .and_then(|d| language_code(d, self.patches.keys()).ok())
            .or_else(|| self.config_lang.clone())
    }
}

/// The language `given` names (`fr`, `FR`, `fra`, `de-CH`, `pt_BR`), as the
/// code the profiles use: ISO 639-1 where the language has one, else ISO
/// 639-3; a region or script subtag is dropped, since only the language
/// picks a profile. `custom` names the codes the user gave a profile of
/// their own under `languages:`, which are taken as they are.
///
/// A code that names no language is an error listing the languages with a
/// profile and the one meant when it is close (`french` → `fr`): read as
/// the default profile, it would silently change nothing the user meant.
pub fn language_code<'a>(
    given: &str,
    mut custom: impl Iterator<Item = &'a String>,
) -> Result<String, String> {
    let trimmed = given.trim();
    let mut parts = trimmed.split(['-', '_']);
    let primary = parts.next().unwrap_or_default().to_ascii_lowercase();
    let subtags_ok = parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
    let iso = match primary.len() {
        2 => isolang::Language::from_639_1(&primary),
        3 => isolang::Language::from_639_3(&primary),
        _ => None,
    };
    if subtags_ok {
        if let Some(lang) = iso {
            return Ok(lang.to_639_1().unwrap_or(lang.to_639_3()).to_string());
        }
        let lower = trimmed.to_ascii_lowercase();
        if let Some(code) = custom.find(|c| **c == primary || **c == lower) {
            return Ok(code.clone());
        }
    }
    let profiles = Profiles::builtin();
    let with_profiles = profiles.codes().collect::<Vec<_>>().join(", ");
    let hint = match nearest_language(trimmed, &profiles) {
        Some(near) => format!("; did you mean `{near}`?"),
        None => String::new(),
    };
    Err(format!(
        "unknown language `{}`{hint} (an ISO 639 code is expected; languages \
         with a typography of their own: {with_profiles})",
        crate::error::snippet(given)
    ))
}

/// The code meant by `given` when it is a language's English name
/// (`French`, `german`), close to the name of a language with a profile
/// (`fench`), or one edit away from the code of one (`fre`, `en_`): a
/// half-remembered or misspelt code.
fn nearest_language(given: &str, profiles: &Profiles) -> Option<String> {
    let name = given.trim().to_lowercase();
    let iso_code = |l: isolang::Language| l.to_639_1().unwrap_or(l.to_639_3()).to_string();
    if name.len() > 3 {
        let exact = name.clone();
        if let Some(lang) =
            isolang::Language::match_names(move |n| n.eq_ignore_ascii_case(&exact)).next()
        {
            return Some(iso_code(lang));
        }
    }
    let limit = (name.chars().count() / 3).max(1);
    profiles
        .codes()
        .filter_map(|code| {
            let by_code = strsim::damerau_levenshtein(&name, code);
            let english = isolang::Language::from_639_1(code)?
                .to_name()
                .to_lowercase();
            let by_name = strsim::damerau_levenshtein(&name, &english);
            [(by_code, 1), (by_name, limit)]
                .into_iter()
                .filter(|(d, max)| d <= max)
                .map(|(d, _)| (d, code))
                .min()
        })
        .min()
        .map(|(_, code)| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(given: &str) -> Result<String, String> {
        language_code(given, std::iter::empty())
    }

    #[test]
    fn codes_and_tags_name_their_language() {
        assert_eq!(code("fr").unwrap(), "fr");
        assert_eq!(code("DE").unwrap(), "de");
        assert_eq!(code("de-CH").unwrap(), "de");
        assert_eq!(code("pt_BR").unwrap(), "pt");
        assert_eq!(code("fra").unwrap(), "fr", "ISO 639-3 taken too");
        assert_eq!(code("sq").unwrap(), "sq", "no profile: the default's");
        assert_eq!(code("yue").unwrap(), "yue", "no ISO 639-1 code");
        let custom = ["x-news".to_string()];
        assert_eq!(language_code("x-news", custom.iter()).unwrap(), "x-news");
    }

    #[test]
    fn unknown_codes_are_refused_with_the_one_meant() {
        let e = code("xx").unwrap_err();
        assert!(e.starts_with("unknown language `xx` (an ISO 639 code is expected;"));
        assert!(
            e.ends_with("own: cs, de, en, es, fr, it, km, lo, my, pl, pt, ru, th, uk)"),
            "{e}"
        );
        assert!(!e.contains("did you mean"));
        assert!(code("french")
            .unwrap_err()
            .contains("`french`; did you mean `fr`?"));
        assert!(code("German").unwrap_err().contains("did you mean `de`?"));
        assert!(code("fre").unwrap_err().contains("did you mean `fr`?"));
        assert!(code("de-").is_err(), "an empty subtag");
        assert!(code("").is_err());
    }
}
