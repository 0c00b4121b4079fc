//! Typography profiles: per language, what sound text looks like (quote
//! pairs, the dash, spaces before punctuation, what a no-break or
//! zero-width space means), read from `profiles.yaml` compiled into the
//! binary and patched field by field from `.copydesk.yaml`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock};

use serde::Deserialize;

use crate::settings::DashStyle;

/// The built-in profiles, as data.
const PROFILES_YAML: &str = include_str!("profiles.yaml");

/// What a no-break or narrow no-break space means in a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoBreak {
    /// Every one is typography typed on purpose: they stay.
    Keep,
    /// Only those before a unit, a percent or currency sign, a danda or
    /// the marks of `space-before` stay; the stray ones become plain.
    Stray,
}

/// What a zero-width space means in a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ZeroWidth {
    /// It separates words (scripts written without spaces): it stays.
    Keep,
    /// It is debris: it goes.
    Remove,
}

/// Fields of a profile as written: each one left out takes the default
/// profile's (built in) or the built-in profile's (in a config file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProfilePatch {
    /// Primary opener and closer, then secondary opener and closer.
    pub quotes: Option<[String; 4]>,
    /// The dash a hyphen typed as one becomes when the document has none.
    pub dash: Option<DashStyle>,
    /// Marks a space of any kind may precede.
    pub space_before: Option<String>,
    /// What a no-break space means.
    pub no_break: Option<NoBreak>,
    /// What a zero-width space means.
    pub zero_width: Option<ZeroWidth>,
}

/// One language's typography.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// The language code (ISO 639-1 where there is one) or `default`.
    pub code: String,
    /// Primary opener and closer, then secondary opener and closer.
    pub quotes: [String; 4],
    /// The dash a hyphen typed as one becomes when the document has none
    /// and `dashes.style` is `dominant`.
    pub dash: DashStyle,
    /// Marks a space of any kind may precede.
    pub space_before: String,
    /// What a no-break space means.
    pub no_break: NoBreak,
    /// What a zero-width space means.
    pub zero_width: ZeroWidth,
}

impl Profile {
    fn patched(&self, code: &str, p: &ProfilePatch) -> Profile {
        Profile {
            code: code.to_string(),
            quotes: p.quotes.clone().unwrap_or_else(|| self.quotes.clone()),
            dash: p.dash.unwrap_or(self.dash),
            space_before: p
                .space_before
                .clone()
                .unwrap_or_else(|| self.space_before.clone()),
            no_break: p.no_break.unwrap_or(self.no_break),
            zero_width: p.zero_width.unwrap_or(self.zero_width),
        }
    }

    /// Returns true if the language writes English double quotes (“ ”),
    /// the style the quotes pass repairs towards.
    pub fn english_quotes(&self) -> bool {
        self.quotes[0] == "\u{201c}" && self.quotes[1] == "\u{201d}"
    }

    /// Returns true if a space before the mark `p` is the language's
    /// typography.
    pub fn spaced_before(&self, p: char) -> bool {
        self.space_before.contains(p)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawProfiles {
    default: ProfilePatch,
    languages: BTreeMap<String, ProfilePatch>,
    scripts: BTreeMap<String, String>,
}

/// Every profile, by language code, with the user's patches applied.
#[derive(Debug, PartialEq, Eq)]
pub struct Profiles {
    list: Vec<Profile>,
    by_code: HashMap<String, usize>,
    /// Script name (as in `profiles.yaml`) to the language its text is
    /// taken to be in.
    scripts: HashMap<String, &'static str>,
}

/// The profile every field falls back to.
const DEFAULT: usize = 0;

static BUILTIN: LazyLock<Arc<Profiles>> =
    LazyLock::new(|| Arc::new(Profiles::new(&BTreeMap::new())));

impl Profiles {
    /// The built-in profiles.
    pub fn builtin() -> Arc<Profiles> {
        Arc::clone(&BUILTIN)
    }

    /// The built-in profiles with `patches` (language code to fields)
    /// applied; a code without a built-in profile gets one from the
    /// default.
    pub fn new(patches: &BTreeMap<String, ProfilePatch>) -> Profiles {
        let raw: RawProfiles =
            serde_yaml::from_str(PROFILES_YAML).expect("the built-in profiles parse");
        let base = Profile {
            code: "default".into(),
            quotes: ["\u{201c}", "\u{201d}", "\u{2018}", "\u{2019}"].map(String::from),
            dash: DashStyle::EmSpaced,
            space_before: String::new(),
            no_break: NoBreak::Stray,
            zero_width: ZeroWidth::Remove,
        };
        let default = base.patched("default", &raw.default);
        let default = match patches.get("default") {
            Some(p) => default.patched("default", p),
            None => default,
        };
        let mut list = vec![default];
        let mut codes: Vec<&String> = raw.languages.keys().collect();
        codes.extend(patches.keys().filter(|k| !raw.languages.contains_key(*k)));
        for code in codes {
            if code == "default" {
                continue;
            }
            let mut p = list[DEFAULT].clone();
            if let Some(built) = raw.languages.get(code) {
                p = p.patched(code, built);
            }
            if let Some(user) = patches.get(code) {
                p = p.patched(code, user);
            }
            p.code = code.clone();
            list.push(p);
        }
        let by_code: HashMap<String, usize> = list
            .iter()
            .enumerate()
            .map(|(i, p)| (p.code.clone(), i))
            .collect();
        let scripts = raw
            .scripts
            .into_iter()
            .map(|(script, code)| {
                let lang = isolang::Language::from_639_1(&code)
                    .and_then(|l| l.to_639_1())
                    .expect("the built-in scripts name ISO 639-1 codes");
                (script, lang)
            })
            .collect();
        Profiles {
            list,
            by_code,
            scripts,
        }
    }

    /// The index of the profile for `code`, the default's if it has none.
    pub fn index(&self, code: &str) -> usize {
        self.by_code.get(code).copied().unwrap_or(DEFAULT)
    }

    /// The codes of the languages with a profile of their own, sorted.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        let mut codes: Vec<&str> = self.list[DEFAULT + 1..]
            .iter()
            .map(|p| p.code.as_str())
            .collect();
        codes.sort_unstable();
        codes.into_iter()
    }

    /// The index of the English profile.
    pub fn english(&self) -> usize {
        self.index("en")
    }

    /// The language text in `script` is taken to be in, if the script
    /// decides alone.
    pub fn for_script(&self, script: &str) -> Option<&'static str> {
        self.scripts.get(script).copied()
    }

    /// The profile at `index`.
    pub fn get(&self, index: usize) -> &Profile {
        &self.list[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profiles_fill_every_field_from_the_default() {
        let p = Profiles::builtin();
        let de = p.get(p.index("de"));
        assert_eq!(de.quotes[0], "\u{201e}");
        assert_eq!(de.dash, DashStyle::EnSpaced);
        assert_eq!(de.zero_width, ZeroWidth::Remove);
        let fr = p.get(p.index("fr"));
        assert!(fr.spaced_before('?') && fr.no_break == NoBreak::Keep);
        assert!(p.get(p.english()).english_quotes());
        assert_eq!(p.get(p.index("xx")).code, "default");
        assert_eq!(
            p.get(p.index(p.for_script("Thai").unwrap())).zero_width,
            ZeroWidth::Keep
        );
    }

    #[test]
    fn patches_override_single_fields() {
        let mut patches = BTreeMap::new();
        patches.insert(
            "de".to_string(),
            ProfilePatch {
                dash: Some(DashStyle::EmSpaced),
                ..ProfilePatch::default()
            },
        );
        patches.insert(
            "nl".to_string(),
            ProfilePatch {
                quotes: Some(["„", "”", "‚", "’"].map(String::from)),
                ..ProfilePatch::default()
            },
        );
        let p = Profiles::new(&patches);
        let de = p.get(p.index("de"));
        assert_eq!(de.dash, DashStyle::EmSpaced);
        assert_eq!(de.quotes[0], "\u{201e}", "other fields stay");
        assert_eq!(p.get(p.index("nl")).quotes[1], "\u{201d}");
    }
}
