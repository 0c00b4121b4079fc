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

use crate::document::Document;
use crate::error::{Error, ErrorKind, Errors};
use crate::pipeline::{Options, Outcome, Pipeline};
use crate::rules::load::Loader;
use crate::rules::RuleSet;

/// Cleans texts with a fixed set of rules and options.
///
/// Cheap to clone and to share between threads: the compiled rules are
/// shared, never copied.
#[derive(Clone, Debug)]
pub struct Cleaner {
    pipeline: Pipeline,
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
        if let Err(message) = self.options.settings.set(key, value) {
            self.errors
                .push(Error::new(ErrorKind::Rule, "<options>", message));
        }
        self
    }

    /// Reads, validates and compiles the packs; every problem found is
    /// returned, each naming its file and place.
    pub fn build(self) -> Result<Cleaner, Errors> {
        let mut errors = self.errors;
        let mut loader = Loader::new();
        if self.default_packs {
            loader.add_builtin();
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
            Ok(rules) if errors.is_empty() => Ok(Cleaner {
                pipeline: Pipeline::new(Arc::new(rules), self.options),
            }),
            Ok(_) => Err(Errors(errors)),
            Err(Errors(more)) => {
                errors.extend(more);
                Err(Errors(errors))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = "pack: house\nrules:\n  - id: global-law\n    find: global law\n    replace: international law\n";

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
}
