//! Pass options: `key=value` pairs from `--set`, rule packs and the config
//! file, checked against the keys each pass declares.

use std::collections::BTreeMap;

/// One option a pass understands.
#[derive(Debug)]
pub struct Key {
    /// `pass.option`, e.g. `quotes.style`.
    pub name: &'static str,
    /// The values it accepts; the first is the default.
    pub values: &'static [&'static str],
    /// What it does, for `--help` and the README.
    pub help: &'static str,
}

/// Every option of every pass. Each pass adds its own lines here.
pub const KEYS: &[Key] = &[
    Key {
        name: "passes.normalise",
        values: &["on", "off"],
        help: "off: run only the rule packs (phrases and patterns), not the entity, unicode, \
               mojibake, spacing, quote, dash and paragraph passes.",
    },
    Key {
        name: "unicode.form",
        values: &["nfc", "nfkc", "none"],
        help: "Normalisation form the unicode pass brings text to (nfkc also flattens \
               ligatures, full-width forms and superscripts).",
    },
    Key {
        name: "unicode.spaces",
        values: &["plain", "keep"],
        help: "Whether no-break and other fixed-width spaces become plain spaces.",
    },
    Key {
        name: "quotes.style",
        values: &["dominant", "curly", "straight"],
        help: "Quote style: the document's dominant style, curly (“ ” ‘ ’) or straight (\" ').",
    },
    Key {
        name: "quotes.primes",
        values: &["keep", "prime"],
        help: "Quotes used as primes in measurements (5'10\"): keep them, or write ′ ″.",
    },
    Key {
        name: "dashes.style",
        values: &["dominant", "em-spaced", "em", "en-spaced", "keep"],
        help: "Dash for a hyphen typed as one: the document's dominant dash, ` — `, `—`, ` – `, or keep hyphens.",
    },
    Key {
        name: "ellipsis.style",
        values: &["keep", "char", "dots"],
        help: "Ellipses: keep as written, write `…`, or write `...`.",
    },
    Key {
        name: "spacing.french",
        values: &["off", "on"],
        help: "on: keep French spacing before ; : ! ? (normalised to a narrow no-break space)",
    },
];

/// Chosen option values; unset keys take their default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    values: BTreeMap<&'static str, &'static str>,
}

impl Settings {
    /// Sets `key` to `value`, or explains why it cannot be set.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let Some(k) = KEYS.iter().find(|k| k.name == key) else {
            let known: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
            return Err(format!(
                "unknown option `{key}` (known: {})",
                known.join(", ")
            ));
        };
        let Some(v) = k.values.iter().find(|v| **v == value) else {
            return Err(format!(
                "option `{key}` takes one of {}, not `{value}`",
                k.values.join(", ")
            ));
        };
        self.values.insert(k.name, v);
        Ok(())
    }

    /// Parses and sets a `key=value` pair.
    pub fn set_pair(&mut self, pair: &str) -> Result<(), String> {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("expected key=value, got `{pair}`"))?;
        self.set(k.trim(), v.trim())
    }

    /// The value of `key`: set, or its default.
    ///
    /// # Panics
    /// If `key` is not declared in [`KEYS`]: a programming error.
    pub fn get(&self, key: &str) -> &'static str {
        if let Some(v) = self.values.get(key) {
            return v;
        }
        KEYS.iter()
            .find(|k| k.name == key)
            .map(|k| k.values[0])
            .unwrap_or_else(|| panic!("undeclared option `{key}`"))
    }

    /// Every key with its effective value.
    pub fn effective(&self) -> Vec<(&'static str, &'static str)> {
        KEYS.iter().map(|k| (k.name, self.get(k.name))).collect()
    }
}
