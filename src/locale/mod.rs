//! Languages and their typography: which language each part of a text is
//! in ([`detect`]), and what sound text looks like in it ([`profile`]), so
//! that the unicode, spacing, quotes and dashes passes leave every
//! language's typography alone (see `docs/languages.md`).

pub mod detect;
pub mod profile;

use std::collections::BTreeMap;

pub use detect::Languages;
pub use profile::{NoBreak, Profile, ProfilePatch, Profiles, ZeroWidth};

/// The language options: a language forced for every document, and
/// patches to the built-in profiles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocaleSettings {
    /// `--lang` or `lang:`: the language of every document (no detection).
    pub lang: Option<String>,
    /// `languages:` in `.copydesk.yaml`: profile fields by language code.
    pub patches: BTreeMap<String, ProfilePatch>,
}
