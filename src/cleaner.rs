//! The library's front door: a [`Cleaner`] built once from rule packs and
//! options, then used for any number of texts, from any number of threads.
//!
//! ```
//! use copydesk::Cleaner;
//!
//! let cleaner = Cleaner::builder()
//!     .pack_text(
//!         "house.yaml",
//!         "pack: house\nrules:\n  - id: global-law\n    find: global law\n    replace: international law\n",
//!     )
//!     .build()?;
//! let outcome = cleaner.clean("Experts said global law was clear.");
//! assert_eq!(outcome.output, "Experts said international law was clear.");
//! let edit = &outcome.edits[0];
//! assert_eq!((edit.rule.as_ref(), edit.range.clone()), ("global-law", 13..23));
//! # Ok::<(), copydesk::Errors>(())
//! ```
//!
//! The lower layers ([`crate::rules::load::Loader`], [`crate::Pipeline`])
//! stay available for tools that need them; most users need only this.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, Effective, Overrides};
use crate::document::Document;
use crate::error::{Error, ErrorKind, Errors};
use crate::pipeline::{Options, Outcome, Pipeline};
use crate::rules::load::Loader;
use crate::rules::RuleSet;
use crate::score::{Scorer, Stats};
use crate::settings::Settings;

/// Cleans texts with a fixed set of rules and options.
///
/// Cheap to clone and to share between threads: the compiled rules are
/// shared, never copied.
#[derive(Clone, Debug)]
pub struct Cleaner {
    pipeline: Pipeline,
    scorer: Scorer,
}

impl Cleaner {
    /// A cleaner with the default packs and default options, as
    /// `copydesk clean --isolated` runs.
    pub fn new() -> Result<Cleaner, Errors> {
        Cleaner::builder().default_packs(true).build()
    }

    /// Starts a [`Builder`]: no packs, default options.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Cleans `text` as plain text. The output is borrowed when nothing
    /// changed; every edit carries its rule id and its range in `text`.
    pub fn clean<'a>(&self, text: &'a str) -> Outcome<'a> {
        self.pipeline.run(text)
    }

    /// Cleans `text` as Markdown: code, links, front matter and HTML are
    /// left alone, and `copydesk:` directives are honoured.
    pub fn clean_markdown<'a>(&self, text: &'a str) -> Outcome<'a> {
        self.pipeline.run_with(text, &Document::markdown())
    }

    /// The spun-article score of `text` (see [`crate::score`]): spinner
    /// hits per 1,000 words, from the edits this cleaner finds.
    pub fn score(&self, text: &str) -> Stats {
        self.scorer.score(text, &self.clean(text).edits)
    }

    /// The compiled rules.
    pub fn rules(&self) -> &RuleSet {
        self.pipeline.rules()
    }
}

/// Collects packs and options for a [`Cleaner`]; problems are reported all
/// at once by [`Builder::build`].
#[derive(Debug, Default)]
pub struct Builder {
    default_packs: bool,
    files: Vec<PathBuf>,
    sources: Vec<(PathBuf, String)>,
    config: Option<PathBuf>,
    /// `set` pairs, validated when given, applied over the config's.
    settings: Vec<(String, String)>,
    /// `lang`, applied over the config's.
    lang: Option<String>,
    options: Options,
    errors: Vec<Error>,
}

impl Builder {
    /// Includes the default packs compiled into copydesk (off unless
    /// asked, so a builder holds exactly the rules it is given).
    pub fn default_packs(mut self, on: bool) -> Builder {
        self.default_packs = on;
        self
    }

    /// Adds a pack file, read when the cleaner is built.
    pub fn pack_file(mut self, path: impl AsRef<Path>) -> Builder {
        self.files.push(path.as_ref().to_path_buf());
        self
    }

    /// Adds a pack held in memory; `name` is the file name errors give.
    pub fn pack_text(mut self, name: impl Into<PathBuf>, yaml: impl Into<String>) -> Builder {
        self.sources.push((name.into(), yaml.into()));
        self
    }

    /// Switches a rule off by id (a pack rule or a pass rule such as
    /// `double-space`).
    pub fn disable(mut self, id: impl Into<String>) -> Builder {
        self.options.disabled.insert(id.into());
        self
    }

    /// Applies `suggest` edits as well as fixes.
    pub fn apply_suggestions(mut self, on: bool) -> Builder {
        self.options.apply_suggestions = on;
        self
    }

    /// Sets a pass option (`quotes.style`, `spacing.french`, …); an unknown
    /// key or value is reported by [`Builder::build`].
    pub fn set(mut self, key: &str, value: &str) -> Builder {
        match Settings::default().set(key, value) {
            Ok(()) => self.settings.push((key.to_string(), value.to_string())),
            Err(message) => self
                .errors
                .push(Error::new(ErrorKind::Rule, "<options>", message)),
        }
        self
    }

    /// Reads every text as language `code` (`fr`, `de-CH`: the language
    /// picks the typography profile) instead of detecting it, as `--lang`
    /// does.
    pub fn lang(mut self, code: impl Into<String>) -> Builder {
        self.lang = Some(code.into());
        self
    }

    /// Reads a config file (`.copydesk.yaml`) when the cleaner is built, as
    /// `copydesk --config FILE` does: its choice of default packs, its rule
    /// files, `disable`, `enable` and `set`. What the builder is given on
    /// top wins: more packs, more rules switched off, options set over the
    /// config's. With [`Builder::default_packs`] off, the config's choice
    /// of default packs is overruled, as `--no-default-rules` does.
    pub fn config_file(mut self, path: impl AsRef<Path>) -> Builder {
        self.config = Some(path.as_ref().to_path_buf());
        self
    }

    /// Reads, validates and compiles the packs; every problem found is
    /// returned, each naming its file and place.
    pub fn build(self) -> Result<Cleaner, Errors> {
        let mut errors = self.errors;
        let mut options = self.options;
        let (mut loader, effective) = match &self.config {
            None => {
                let mut loader = Loader::new();
                if self.default_packs {
                    loader.add_builtin();
                }
                (loader, None)
            }
            Some(path) => match from_config(path, self.default_packs) {
                Ok((loader, effective)) => {
                    options.disabled.extend(effective.disabled.iter().cloned());
                    options.settings = effective.settings.clone();
                    (loader, Some(effective))
                }
                Err(more) => {
                    errors.extend(more);
                    (Loader::new(), None)
                }
            },
        };
        for (key, value) in &self.settings {
            // Validated by `set`; cannot fail here.
            let _ = options.settings.set(key, value);
        }
        if let Some(given) = self.lang {
            let custom = options.settings.locale.patches.keys();
            match crate::locale::language_code(&given, custom) {
                Ok(code) => options.settings.locale.lang = Some(code),
                Err(message) => errors.push(Error::new(ErrorKind::Rule, "<options>", message)),
            }
        }
        for path in &self.files {
            if let Err(e) = loader.add_file(path) {
                errors.push(e);
            }
        }
        for (name, text) in self.sources {
            loader.add_source(name, text);
        }
        match loader.build() {
            Ok(rules) => {
                if let Some(effective) = &effective {
                    errors.extend(effective.unknown_rules(&rules));
                }
                if !errors.is_empty() {
                    return Err(Errors(errors));
                }
                Ok(Cleaner {
                    scorer: Scorer::new(&rules),
                    pipeline: Pipeline::new(Arc::new(rules), options),
                })
            }
            Err(Errors(more)) => {
                errors.extend(more);
                Err(Errors(errors))
            }
        }
    }
}

/// The loader and settings a config file gives, or why it cannot be used.
fn from_config(path: &Path, default_packs: bool) -> Result<(Loader, Effective), Vec<Error>> {
    let config = Config::load(path).map_err(|e| vec![e])?;
    let overrides = Overrides {
        no_default_rules: !default_packs,
        ..Overrides::default()
    };
    let effective = Effective::resolve(Some(&config), &overrides)
        .map_err(|message| vec![Error::new(ErrorKind::Rule, path, message)])?;
    Ok((effective.loader()?, effective))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = "pack: house\nrules:\n  - id: global-law\n    find: global law\n    replace: international law\n";

    #[test]
    fn a_language_given_is_not_detected() {
        // Too short to detect: read as English, the space before `?` goes;
        // read as French (a region tag too), it is French typography.
        let text = "Vraiment ? Oui.\n";
        let english = Cleaner::builder().build().unwrap();
        assert_eq!(english.clean(text).output, "Vraiment? Oui.\n");
        for tag in ["fr", "fr-CA"] {
            let french = Cleaner::builder().lang(tag).build().unwrap();
            assert_eq!(french.clean(text).output, text, "{tag}");
        }
        let errors = Cleaner::builder().lang("french").build().unwrap_err().0;
        assert!(errors[0].message.contains("did you mean `fr`?"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = Cleaner::builder()
            .pack_file("/nonexistent/house.yaml")
            .pack_text("bad.yaml", "rules: [")
            .set("quotes.style", "bogus")
            .build()
            .unwrap_err()
            .0;
        let files: Vec<String> = errors
            .iter()
            .map(|e| e.path.display().to_string())
            .collect();
        assert_eq!(files, ["<options>", "/nonexistent/house.yaml", "bad.yaml"]);
    }

    #[test]
    fn disabled_rules_and_markdown_code_are_left_alone() {
        let cleaner = Cleaner::builder()
            .pack_text("p.yaml", PACK)
            .build()
            .unwrap();
        let md = cleaner.clean_markdown("global law and `global law`\n");
        assert_eq!(md.output, "international law and `global law`\n");
        let off = Cleaner::builder()
            .pack_text("p.yaml", PACK)
            .disable("global-law")
            .build()
            .unwrap();
        assert!(!off.clean("global law").changed());
    }

    #[test]
    fn a_config_file_gives_packs_disables_and_options_under_the_builders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("house.yaml"), PACK).unwrap();
        let config = dir.path().join(".copydesk.yaml");
        std::fs::write(
            &config,
            "default-packs: none\nrules: [house.yaml]\ndisable: [double-space]\nset: {quotes.style: straight}\n",
        )
        .unwrap();
        let text = "He said \u{201c}global law\u{201d}  twice.";
        let cleaner = Cleaner::builder()
            .default_packs(true)
            .config_file(&config)
            .build()
            .unwrap();
        assert_eq!(
            cleaner.clean(text).output,
            "He said \"international law\"  twice."
        );
        assert!(cleaner.rules().rules.iter().all(|r| &*r.pack == "house"));
        let curly = Cleaner::builder()
            .config_file(&config)
            .set("quotes.style", "curly")
            .build()
            .unwrap();
        assert_eq!(
            curly.clean(text).output,
            "He said \u{201c}international law\u{201d}  twice."
        );
        std::fs::write(&config, "disable: [no-such-rule]\n").unwrap();
        let errors = Cleaner::builder().config_file(&config).build().unwrap_err();
        assert!(errors.0[0].message.contains("no-such-rule"), "{errors:?}");
    }

    #[test]
    fn score_counts_spinner_hits_per_thousand_words() {
        let cleaner = Cleaner::new().unwrap();
        let spun = cleaner.score("The strike violated global law, experts said.");
        assert_eq!((spun.hits, spun.words), (1, 7));
        assert!(spun.score > 100.0);
        assert_eq!(
            cleaner.score("The strike violated international law.").hits,
            0
        );
    }
}
