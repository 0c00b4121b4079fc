//! The pipeline: protect, run each pass over the text so far, decide which
//! edits apply, and compose them into one list against the input.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use crate::apply::Composer;
use crate::directives::BAD_DIRECTIVE;
use crate::document::{prepare, Document};
use crate::edit::{ranges_overlap, Edit, Level};
use crate::passes::dashes::Dashes;
use crate::passes::entities::Entities;
use crate::passes::mojibake::Mojibake;
use crate::passes::paragraphs::Paragraphs;
use crate::passes::patterns::Patterns;
use crate::passes::phrases::Phrases;
use crate::passes::quotes::Quotes;
use crate::passes::spacing::Spacing;
use crate::passes::unicode::Unicode;
use crate::passes::{Context, Pass};
use crate::rules::RuleSet;
use crate::settings::Settings;

/// What the user asked the pipeline to do.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Apply `suggest` edits too.
    pub apply_suggestions: bool,
    /// Rule ids (and pass rule ids) switched off.
    pub disabled: HashSet<String>,
    /// Pass options.
    pub settings: Settings,
}

/// The cleaned text and every edit behind it.
#[derive(Debug)]
pub struct Outcome<'a> {
    /// The output; borrowed when nothing changed.
    pub output: Cow<'a, str>,
    /// Every edit, applied or not, in input order, with input ranges.
    pub edits: Vec<Edit>,
}

impl Outcome<'_> {
    /// Returns true if the output differs from the input.
    pub fn changed(&self) -> bool {
        matches!(self.output, Cow::Owned(_)) && self.edits.iter().any(|e| e.applied)
    }
}

/// A configured pipeline, cheap to share between threads.
#[derive(Clone)]
pub struct Pipeline {
    rules: Arc<RuleSet>,
    options: Options,
    passes: Arc<[Box<dyn Pass>]>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.passes.iter().map(|p| p.name()).collect();
        f.debug_struct("Pipeline")
            .field("passes", &names)
            .field("options", &self.options)
            .finish()
    }
}

impl Pipeline {
    /// Creates a pipeline over loaded rules, its passes in their fixed
    /// order.
    pub fn new(rules: Arc<RuleSet>, options: Options) -> Pipeline {
        let passes: Vec<Box<dyn Pass>> = vec![
            Box::new(Entities),
            // Unicode runs before mojibake, so an invisible character or an
            // odd space cannot hide a sequence until a later run, but keeps
            // the C1 controls that are mojibake's evidence; it runs again
            // after mojibake to tidy what the repairs produce.
            Box::new(Unicode {
                keep_c1: true,
                ..Unicode::from_settings(&options.settings)
            }),
            Box::new(Mojibake),
            Box::new(Unicode::from_settings(&options.settings)),
            Box::new(Phrases {
                rules: Arc::clone(&rules),
            }),
            Box::new(Patterns {
                rules: Arc::clone(&rules),
            }),
            // Spacing runs before quotes and dashes, which read the spaces
            // around a mark to decide what it is, and again after them to
            // tidy what a new dash leaves (`a -  b` → `a —  b`): otherwise a
            // second run would still find work.
            Box::new(Spacing::new(&options.settings)),
            Box::new(Quotes::from_settings(&options.settings)),
            Box::new(Dashes::from_settings(&options.settings)),
            Box::new(Spacing::new(&options.settings)),
            Box::new(Paragraphs),
        ];
        Pipeline {
            rules,
            options,
            passes: passes.into(),
        }
    }

    /// The loaded rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Cleans `text` as plain text.
    pub fn run<'a>(&self, text: &'a str) -> Outcome<'a> {
        self.run_with(text, &Document::plain())
    }

    /// Cleans `text` read as `doc`: Markdown syntax and `copydesk:`
    /// directives are honoured.
    pub fn run_with<'a>(&self, text: &'a str, doc: &Document) -> Outcome<'a> {
        let threshold = if self.options.apply_suggestions {
            Level::Suggest
        } else {
            Level::Fix
        };
        let prepared = prepare(text, doc);
        let directives = &prepared.directives;
        let mut protected = prepared.protected;
        let mut composer = Composer::new(text);
        let mut edits = Vec::new();
        for pass in self.passes.iter() {
            let cx = Context {
                protected: &protected,
                disabled: &self.options.disabled,
                check_quotes: true,
            };
            pass.run(composer.current(), &cx, &mut edits);
            if !directives.disables_nothing() {
                // `disable=` regions are in input coordinates.
                edits.retain(|e| {
                    let start = composer.to_original(e.range.start, true);
                    let end = composer.to_original(e.range.end, false).max(start);
                    !directives.suppresses(&e.rule, &(start..end))
                });
            }
            if edits.is_empty() {
                continue;
            }
            let shifts = decide(&mut edits, threshold);
            protected.shift(&shifts);
            composer.absorb(std::mem::take(&mut edits));
        }
        let (output, mut edits) = composer.finish();
        if !directives.problems.is_empty() && !self.options.disabled.contains(BAD_DIRECTIVE) {
            let id: Arc<str> = Arc::from(BAD_DIRECTIVE);
            for p in &directives.problems {
                let why: Arc<str> = Arc::from(p.message.as_str());
                edits.push(Edit::new(
                    &id,
                    Level::Flag,
                    text,
                    p.range.clone(),
                    None,
                    &why,
                ));
            }
            edits.sort_by_key(|e| (e.range.start, e.range.end, !e.applied));
        }
        Outcome { output, edits }
    }
}

/// Marks which of one stage's edits apply: those at or above `threshold`,
/// leftmost first, dropping any that overlaps an applied one (it stays in
/// the report, not applied). Returns the applied ranges and new lengths.
fn decide(edits: &mut [Edit], threshold: Level) -> Vec<(Range<usize>, usize)> {
    edits.sort_by_key(|e| e.range.start);
    let mut shifts: Vec<(Range<usize>, usize)> = Vec::new();
    for e in edits.iter_mut() {
        e.applied = e.after.is_some() && e.level.applies(threshold);
        if !e.applied {
            continue;
        }
        if let Some((prev, _)) = shifts.last() {
            if ranges_overlap(prev, &e.range) || e.range.start < prev.end {
                e.applied = false;
                continue;
            }
        }
        shifts.push((e.range.clone(), e.replacement().len()));
    }
    shifts
}
