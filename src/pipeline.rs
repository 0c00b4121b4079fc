//! The pipeline: protect, run each pass over the text so far, decide which
//! edits apply, and compose them into one list against the input.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use crate::apply::apply;
use crate::apply::Composer;
use crate::directives::BAD_DIRECTIVE;
use crate::document::{prepare, Document};
use crate::edit::{ranges_overlap, Edit, Level};
use crate::passes::dashes::Dashes;
use crate::passes::entities::Entities;
use crate::passes::mojibake::{new_repairs, Mojibake, MOJIBAKE};
use crate::passes::paragraphs::Paragraphs;
use crate::passes::patterns::Patterns;
use crate::passes::phrases::Phrases;
use crate::passes::quotes::Quotes;
use crate::passes::spacing::Spacing;
use crate::passes::unicode::Unicode;
use crate::passes::{Context, Pass};
use crate::protect::protected_spans;
use crate::rules::RuleSet;
use crate::settings::Settings;
use crate::spans::{union, Spans};

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
        // The document's structure is found once and moved through the
        // edits. The plain protections (URLs, addresses, handles) are found
        // again on the text each pass sees, and no edit may change them
        // (see `settle_stage`): a second run, which finds them on the
        // output, then sees the spans the first run saw.
        let mut structure = prepared.structure;
        let mut plain = protected_spans(text);
        let mut spans = union(&plain, &structure);
        let mut composer = Composer::new(text);
        let mut edits = Vec::new();
        // Once the mojibake pass has run, no later pass may write what it
        // would repair on the next run.
        let mut guard = false;
        for pass in self.passes.iter() {
            let cx = Context {
                protected: &spans,
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
            if !edits.is_empty() {
                decide(&mut edits, threshold);
                let shifts = settle_stage(
                    composer.current(),
                    &mut edits,
                    &mut plain,
                    &structure,
                    guard.then_some((&cx, threshold)),
                );
                composer.absorb(std::mem::take(&mut edits));
                if !shifts.is_empty() {
                    structure.shift(&shifts);
                    spans = union(&plain, &structure);
                }
            }
            if pass.name() == "mojibake" {
                guard = !self.options.disabled.contains(MOJIBAKE);
            }
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
/// the report, not applied).
fn decide(edits: &mut [Edit], threshold: Level) {
    edits.sort_by_key(|e| e.range.start);
    let mut last: Option<Range<usize>> = None;
    for e in edits.iter_mut() {
        e.applied = e.after.is_some() && e.level.applies(threshold);
        if !e.applied {
            continue;
        }
        if let Some(prev) = &last {
            if ranges_overlap(prev, &e.range) || e.range.start < prev.end {
                e.applied = false;
                continue;
            }
        }
        last = Some(e.range.clone());
    }
}

/// The applied ranges of `edits` (sorted, disjoint) and their new lengths.
fn shifts(edits: &[Edit]) -> Vec<(Range<usize>, usize)> {
    edits
        .iter()
        .filter(|e| e.applied)
        .map(|e| (e.range.clone(), e.replacement().len()))
        .collect()
}

/// Leaves unapplied every edit of one stage over `text` whose result the
/// next run would see differently:
///
/// - an edit that changes the plain protections `plain` (found on
///   `text`): a removed character that glues a word to a URL
///   (`The\u{8d}http://…`), which is then no URL, or a mark written after
///   one that it then swallows. Protections are found by their neighbours
///   as well as their own text; kept unchanged, every pass of this run and
///   of the next sees the same spans, and what the input protects stays
///   protected;
/// - with `guard` (after the mojibake pass: the stage's context, spans of
///   `text`, and the level applied), an edit that spells mojibake with its
///   neighbours ([`new_repairs`]), which the next run would repair.
///
/// Returns the applied ranges and new lengths, and moves `plain` to the
/// stage's output.
fn settle_stage(
    text: &str,
    edits: &mut [Edit],
    plain: &mut Spans,
    structure: &Spans,
    guard: Option<(&Context<'_>, Level)>,
) -> Vec<(Range<usize>, usize)> {
    loop {
        let shifts = shifts(edits);
        if shifts.is_empty() {
            return shifts;
        }
        let mut expected = plain.clone();
        expected.shift(&shifts);
        let next = apply(text, edits);
        let found = protected_spans(&next);
        // What changed, in the output's coordinates; an edit that meets
        // it (or comes within a few bytes, for mojibake, whose runs are
        // judged by their neighbours) is what changed it.
        let mut changed: Vec<Range<usize>> = expected
            .ranges()
            .iter()
            .filter(|r| !found.ranges().contains(r))
            .chain(
                found
                    .ranges()
                    .iter()
                    .filter(|r| !expected.ranges().contains(r)),
            )
            .cloned()
            .collect();
        if let Some((cx, threshold)) = guard {
            let mut moved = structure.clone();
            moved.shift(&shifts);
            let spans = union(&found, &moved);
            let after = Context {
                protected: &spans,
                ..*cx
            };
            changed.extend(
                new_repairs(text, cx.protected, &next, &after, threshold)
                    .into_iter()
                    .map(|r| r.start.saturating_sub(NEIGHBOURS)..r.end + NEIGHBOURS),
            );
        }
        if changed.is_empty() {
            *plain = found;
            return shifts;
        }
        let mut delta: isize = 0;
        let mut blamed = false;
        for e in edits.iter_mut().filter(|e| e.applied) {
            let start = e.range.start.saturating_add_signed(delta);
            let end = start + e.replacement().len();
            delta += e.replacement().len() as isize - e.range.len() as isize;
            if changed.iter().any(|c| start <= c.end && c.start <= end) {
                e.applied = false;
                blamed = true;
            }
        }
        if !blamed {
            // Not an edit's doing (cannot happen while spans and runs
            // depend only on their near neighbours): take the text as is.
            *plain = found;
            return shifts;
        }
    }
}

/// Bytes around a new mojibake run within which an edit is taken to have
/// made it (a run is judged with the two characters before it and the one
/// after).
const NEIGHBOURS: usize = 8;
