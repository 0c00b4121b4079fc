//! Pass options: `key=value` pairs from `--set`, rule packs and the config
//! file, held as one typed [`Settings`] that the passes read field by field.
//!
//! Each option's values are an enum deserialised by serde (kebab-case), so
//! a pass that reads an option the code does not declare fails to compile,
//! and a value the enum does not name is an error that lists the ones it
//! does. [`KEYS`] ties each `pass.option` name to its field, for `--set`,
//! the config file, `explain` and `config show`.

use serde::de::value::Error as ValueError;
use serde::de::{self, Deserializer, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize};

/// An option that is on or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}

/// The normalisation form the unicode pass brings text to
/// (`unicode.form`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// Canonical composition: only encodings of the same text change.
    #[default]
    Nfc,
    /// Compatibility composition: also ligatures, full-width forms,
    /// superscripts and the like become their plain equivalents.
    Nfkc,
    /// No normalisation.
    None,
}

/// What becomes of no-break and other fixed-width spaces
/// (`unicode.spaces`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Spaces {
    /// They become plain spaces.
    #[default]
    Plain,
    /// They stay.
    Keep,
}

/// The quote style the quotes pass writes (`quotes.style`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuoteStyle {
    /// Whichever style most marks of the document use (curly on a tie).
    #[default]
    Dominant,
    /// Curly quotes and apostrophes: “ ” ‘ ’.
    Curly,
    /// Straight quotes and apostrophes: " '.
    Straight,
}

/// What becomes of quotes used as primes in measurements
/// (`quotes.primes`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrimeMarks {
    /// Leave `5'10"` as written.
    #[default]
    Keep,
    /// Write primes: `5′10″`.
    Prime,
}

/// The dash a hyphen-as-dash becomes (`dashes.style`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DashStyle {
    /// The dash the document uses most; a spaced em dash when it has none.
    #[default]
    Dominant,
    /// A spaced em dash: ` — ` (AP style).
    EmSpaced,
    /// A closed em dash: `—` (Chicago, New York Times).
    Em,
    /// A spaced en dash: ` – ` (BBC, Guardian).
    EnSpaced,
    /// Leave hyphens as they are.
    Keep,
}

/// The form ellipses take (`ellipsis.style`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EllipsisStyle {
    /// Leave `...` and `…` as written.
    #[default]
    Keep,
    /// Write `…`.
    Char,
    /// Write `...`.
    Dots,
}

/// Chosen option values, one field per key of [`KEYS`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `passes.normalise`: off runs only the rule packs.
    pub normalise: Switch,
    /// `unicode.form`.
    pub unicode_form: Form,
    /// `unicode.spaces`.
    pub unicode_spaces: Spaces,
    /// `quotes.style`.
    pub quotes_style: QuoteStyle,
    /// `quotes.primes`.
    pub quotes_primes: PrimeMarks,
    /// `dashes.style`.
    pub dashes_style: DashStyle,
    /// `ellipsis.style`.
    pub ellipsis_style: EllipsisStyle,
    /// `spacing.french`.
    pub spacing_french: Switch,
    /// The language options (`--lang`, `lang:`, `languages:`).
    pub locale: crate::locale::LocaleSettings,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            normalise: Switch::On,
            unicode_form: Form::default(),
            unicode_spaces: Spaces::default(),
            quotes_style: QuoteStyle::default(),
            quotes_primes: PrimeMarks::default(),
            dashes_style: DashStyle::default(),
            ellipsis_style: EllipsisStyle::default(),
            spacing_french: Switch::Off,
            locale: crate::locale::LocaleSettings::default(),
        }
    }
}

/// One option a pass understands, tied to its field of [`Settings`].
pub struct Key {
    /// `pass.option`, e.g. `quotes.style`.
    pub name: &'static str,
    /// What it does, for `explain` and the docs.
    pub help: &'static str,
    values: fn() -> &'static [&'static str],
    set: fn(&mut Settings, &str) -> Result<(), ValueError>,
    get: fn(&Settings) -> String,
}

impl Key {
    /// The values it accepts, as written on the command line.
    pub fn values(&self) -> &'static [&'static str] {
        (self.values)()
    }

    /// Its value in `settings`.
    pub fn get(&self, settings: &Settings) -> String {
        (self.get)(settings)
    }

    /// Its value when nothing sets it.
    pub fn default_value(&self) -> String {
        self.get(&Settings::default())
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("name", &self.name)
            .field("values", &self.values())
            .finish()
    }
}

/// A [`Key`] for the field `$field` of type `$ty`: the compiler checks
/// that the field exists and has that type.
macro_rules! key {
    ($name:literal, $field:ident: $ty:ty, $help:expr) => {
        Key {
            name: $name,
            help: $help,
            values: variants::<$ty>,
            set: |s, v| {
                s.$field = parse::<$ty>(v)?;
                Ok(())
            },
            get: |s| written(&s.$field),
        }
    };
}

/// `passes.normalise`.
pub const PASSES_NORMALISE: Key = key!(
    "passes.normalise",
    normalise: Switch,
    "off: run only the rule packs (phrases and patterns), not the entity, unicode, \
     mojibake, spacing, quote, dash and paragraph passes."
);

/// `unicode.form`.
pub const UNICODE_FORM: Key = key!(
    "unicode.form",
    unicode_form: Form,
    "Normalisation form the unicode pass brings text to (nfkc also flattens \
     ligatures, full-width forms and superscripts)."
);

/// `unicode.spaces`.
pub const UNICODE_SPACES: Key = key!(
    "unicode.spaces",
    unicode_spaces: Spaces,
    "Whether no-break and other fixed-width spaces become plain spaces."
);

/// `quotes.style`.
pub const QUOTES_STYLE: Key = key!(
    "quotes.style",
    quotes_style: QuoteStyle,
    "Quote style: the document's dominant style, curly (“ ” ‘ ’) or straight (\" ')."
);

/// `quotes.primes`.
pub const QUOTES_PRIMES: Key = key!(
    "quotes.primes",
    quotes_primes: PrimeMarks,
    "Quotes used as primes in measurements (5'10\"): keep them, or write ′ ″."
);

/// `dashes.style`.
pub const DASHES_STYLE: Key = key!(
    "dashes.style",
    dashes_style: DashStyle,
    "Dash for a hyphen typed as one: the document's dominant dash, ` — `, `—`, ` – `, \
     or keep hyphens."
);

/// `ellipsis.style`.
pub const ELLIPSIS_STYLE: Key = key!(
    "ellipsis.style",
    ellipsis_style: EllipsisStyle,
    "Ellipses: keep as written, write `…`, or write `...`."
);

/// `spacing.french`.
pub const SPACING_FRENCH: Key = key!(
    "spacing.french",
    spacing_french: Switch,
    "on: keep French spacing before ; : ! ? (normalised to a narrow no-break space)"
);

/// Every option of every pass, in the order the docs list them.
pub const KEYS: &[Key] = &[
    PASSES_NORMALISE,
    UNICODE_FORM,
    UNICODE_SPACES,
    QUOTES_STYLE,
    QUOTES_PRIMES,
    DASHES_STYLE,
    ELLIPSIS_STYLE,
    SPACING_FRENCH,
];

impl Settings {
    /// Returns true if `key` names an option.
    pub fn knows(key: &str) -> bool {
        KEYS.iter().any(|k| k.name == key)
    }

    /// Sets `key` to `value`, or explains why it cannot be set: an unknown
    /// key names the known ones, an unknown value the valid ones.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let Some(k) = KEYS.iter().find(|k| k.name == key) else {
            let known: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
            return Err(format!(
                "unknown option `{key}` (known: {})",
                known.join(", ")
            ));
        };
        (k.set)(self, value).map_err(|_| {
            format!(
                "option `{key}` takes one of {}, not `{value}`",
                k.values().join(", ")
            )
        })
    }

    /// Parses and sets a `key=value` pair.
    pub fn set_pair(&mut self, pair: &str) -> Result<(), String> {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("expected key=value, got `{pair}`"))?;
        self.set(k.trim(), v.trim())
    }

    /// Every key with its effective value.
    pub fn effective(&self) -> Vec<(&'static str, String)> {
        KEYS.iter().map(|k| (k.name, k.get(self))).collect()
    }
}

/// `value` read as a `T`, by serde.
fn parse<T: for<'de> Deserialize<'de>>(value: &str) -> Result<T, ValueError> {
    T::deserialize(value.into_deserializer())
}

/// `value` as it is written in `--set`.
fn written<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => unreachable!("an option value serialises to a string: {other:?}"),
    }
}

/// The names serde reads for the variants of the enum `T`, in declaration
/// order: what its derived `Deserialize` passes to `deserialize_enum`. One
/// list, so help and error messages cannot drift from what is accepted.
fn variants<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    /// A deserializer that only records the variant names it is asked for.
    struct Names(Option<&'static [&'static str]>);

    impl<'de> Deserializer<'de> for &mut Names {
        type Error = ValueError;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, ValueError> {
            Err(de::Error::custom("not an enum"))
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _name: &'static str,
            variants: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, ValueError> {
            self.0 = Some(variants);
            Err(de::Error::custom("names recorded"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map struct identifier ignored_any
        }
    }

    let mut names = Names(None);
    let _ = T::deserialize(&mut names);
    names.0.unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key lists its values, each of which it accepts and reads back
    /// as written, and its default is one of them.
    #[test]
    fn every_value_round_trips() {
        for k in KEYS {
            assert!(!k.values().is_empty(), "{}: no values", k.name);
            assert!(k.values().contains(&k.default_value().as_str()));
            for v in k.values() {
                let mut s = Settings::default();
                s.set(k.name, v).unwrap();
                assert_eq!(k.get(&s), *v, "{}", k.name);
            }
        }
    }

    #[test]
    fn values_are_typed() {
        let mut s = Settings::default();
        s.set("quotes.style", "curly").unwrap();
        s.set("dashes.style", "en-spaced").unwrap();
        s.set("spacing.french", "on").unwrap();
        assert_eq!(s.quotes_style, QuoteStyle::Curly);
        assert_eq!(s.dashes_style, DashStyle::EnSpaced);
        assert_eq!(s.spacing_french, Switch::On);
        assert_eq!(s.normalise, Switch::On);
    }

    #[test]
    fn unknown_keys_and_values_name_the_valid_ones() {
        let mut s = Settings::default();
        assert_eq!(
            s.set("quotes.style", "bogus").unwrap_err(),
            "option `quotes.style` takes one of dominant, curly, straight, not `bogus`"
        );
        assert_eq!(
            s.set("quotes.stlye", "curly").unwrap_err(),
            "unknown option `quotes.stlye` (known: passes.normalise, unicode.form, \
             unicode.spaces, quotes.style, quotes.primes, dashes.style, ellipsis.style, \
             spacing.french)"
        );
        // Variant names are matched exactly, as written.
        assert!(s.set("quotes.style", "Curly").is_err());
        assert!(s.set("dashes.style", "em_spaced").is_err());
        assert_eq!(s, Settings::default(), "a refused value changes nothing");
    }
}
