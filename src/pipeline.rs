//! The pipeline: protect, run each pass over the text so far, decide which
//! edits apply, and compose them into one list against the input.
//!
//! The passes run in the order of [`crate::schedule::SCHEDULE`]: encoding
//! repair (entities, mojibake and C1 controls) before any character
//! cleanup, then the rules, then spacing, quotes, dashes and spacing again,
//! then paragraphs. Each pass reads the text the ones before it wrote. The
//! schedule runs again over the output, in rounds, until a round changes
//! nothing (at most four rounds), so the output is one a second run
//! leaves as it is.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use crate::apply::Composer;
use crate::blocks::Blocks;
use crate::code_tokens::plain_spans;
use crate::directives::BAD_DIRECTIVE;
use crate::document::{prepare, Document, Kind};
use crate::edit::{ranges_overlap, Edit, Level};
use crate::locale::{Languages, Profiles};
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
use crate::registry::{Registry, PASS_RULES};
use crate::rules::RuleSet;
use crate::schedule::{Locality, Stage, Step, SCHEDULE};
use crate::settings::{Settings, Switch};
use crate::settle::settle_stage;
use crate::spans::{carry, union, Spans};

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
    /// Per pass, an earlier pass with the same identity
    /// ([`Pass::identity`]): the spacing pass runs again after quotes and
    /// dashes.
    earlier: Arc<[Option<usize>]>,
    /// Per pass, whether later runs read only the paragraphs around what
    /// changed since it last ran: its stage's locality is the paragraph.
    windowed: Arc<[bool]>,
    /// Per pass, the bytes per piece its stage reads on each core
    /// ([`Stage::piece`]).
    pieces: Arc<[usize]>,
    /// The typography profiles, with the user's patches.
    profiles: Arc<Profiles>,
    /// How many passes at the start repair the encoding (entities,
    /// mojibake): the languages are found after them, on repaired text.
    repairs: usize,
    /// Whether a stage with a rule switched on reads the languages: with
    /// none (the encoding repairs alone, say), detecting them would be
    /// most of the work, for nothing.
    detects: bool,
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
    /// The same pipeline reading every text as language `code`, as
    /// `--lang` does.
    pub fn reading_as(&self, code: &str) -> Pipeline {
        let mut p = self.clone();
        p.options.settings.locale.lang = Some(code.to_string());
        p
    }

    /// Creates a pipeline over loaded rules, one pass per stage of
    /// `SCHEDULE` in its order (only the rule passes with
    /// `passes.normalise=off`).
    pub fn new(rules: Arc<RuleSet>, options: Options) -> Pipeline {
        let normalise = options.settings.normalise == Switch::On;
        let settings = &options.settings;
        let stages: Vec<&Stage> = SCHEDULE
            .iter()
            .filter(|stage| normalise || !stage.normalising)
            .collect();
        let passes: Vec<Box<dyn Pass>> = stages
            .iter()
            .map(|stage| -> Box<dyn Pass> {
                let pass: Box<dyn Pass> = match stage.step {
                    Step::Entities => Box::new(Entities),
                    Step::Mojibake => Box::new(Mojibake),
                    Step::Unicode => Box::new(Unicode::from_settings(settings)),
                    Step::Phrases => Box::new(Phrases {
                        rules: Arc::clone(&rules),
                    }),
                    Step::Patterns => Box::new(Patterns {
                        rules: Arc::clone(&rules),
                    }),
                    Step::Spacing => Box::new(Spacing::new(settings)),
                    Step::Quotes => Box::new(Quotes::from_settings(settings)),
                    Step::Dashes => Box::new(Dashes::from_settings(settings)),
                    Step::Paragraphs => Box::new(Paragraphs),
                };
                debug_assert_eq!(pass.name(), stage.step.name(), "a stage runs its pass");
                pass
            })
            .collect();
        let earlier: Vec<Option<usize>> = (0..passes.len())
            .map(|k| {
                let id = passes[k].identity()?;
                (0..k).find(|&j| passes[j].identity().as_ref() == Some(&id))
            })
            .collect();
        let repairs = stages
            .iter()
            .take_while(|stage| matches!(stage.step, Step::Entities | Step::Mojibake))
            .count();
        let windowed: Vec<bool> = stages
            .iter()
            .map(|stage| stage.locality == Locality::Paragraph)
            .collect();
        let pieces: Vec<usize> = stages.iter().map(|stage| stage.piece()).collect();
        let detects = stages.iter().any(|stage| {
            stage.step.reads_language()
                && match stage.step {
                    Step::Phrases | Step::Patterns => rules
                        .rules
                        .iter()
                        .any(|r| r.languages.is_some() && !options.disabled.contains(&*r.id)),
                    step => PASS_RULES
                        .iter()
                        .any(|r| r.pass == step.name() && !options.disabled.contains(r.id)),
                }
        });
        let profiles = if settings.locale.patches.is_empty() {
            Profiles::builtin()
        } else {
            Arc::new(Profiles::new(&settings.locale.patches))
        };
        Pipeline {
            profiles,
            rules,
            options,
            passes: passes.into(),
            earlier: earlier.into(),
            windowed: windowed.into(),
            pieces: pieces.into(),
            repairs,
            detects,
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
        alongside(self.ahead(text), || {
            self.run_rounds(Cow::Borrowed(text), doc)
        })
    }

    /// Cleans `text` read as `doc`, as [`Pipeline::run_with`] does, taking
    /// the text: it is rewritten in place, so a long input is held once
    /// rather than as the input and a changed copy. For callers that need
    /// only the output and the edits (which carry the input bytes they
    /// replace).
    pub fn run_owned(&self, text: String, doc: &Document) -> Outcome<'static> {
        let jobs = self.ahead(&text);
        if jobs.is_empty() {
            drop(jobs);
            return self.run_rounds(Cow::Owned(text), doc);
        }
        // A short text whose jobs read it while the passes run: it is
        // cleaned from a borrow, and copying its output costs little.
        let out = alongside(jobs, || self.run_rounds(Cow::Borrowed(&text), doc));
        Outcome {
            output: Cow::Owned(out.output.into_owned()),
            edits: out.edits,
        }
    }

    /// What the passes can do for `text` before their turn, to run on
    /// another core while the earlier passes run.
    fn ahead<'t>(&'t self, text: &'t str) -> Vec<Job<'t>> {
        self.passes
            .iter()
            .filter_map(|p| p.ahead(text, &self.options.disabled))
            .collect()
    }

    /// The rounds of passes over `text` (see [`Pipeline::run_with`]).
    fn run_rounds<'a>(&self, text: Cow<'a, str>, doc: &Document) -> Outcome<'a> {
        let threshold = if self.options.apply_suggestions {
            Level::Suggest
        } else {
            Level::Fix
        };
        let prepared = prepare(&text, doc);
        let directives = &prepared.directives;
        // Bad directives are reported against the input, which the composer
        // may rewrite.
        let mut problems = Vec::new();
        // A directive naming no loaded rule would switch nothing off.
        let registry = Registry::new(&self.rules);
        let unknown: Vec<(String, Range<usize>)> = directives
            .named
            .iter()
            .filter(|(id, _)| !registry.knows(id))
            .map(|(id, range)| (registry.unknown(id), range.clone()))
            .collect();
        let all_problems = directives
            .problems
            .iter()
            .map(|p| (&p.message, &p.range))
            .chain(unknown.iter().map(|(m, r)| (m, r)));
        if !self.options.disabled.contains(BAD_DIRECTIVE) {
            let id: Arc<str> = Arc::from(BAD_DIRECTIVE);
            for (message, range) in all_problems {
                let why: Arc<str> = Arc::from(message.as_str());
                problems.push(Edit::new(
                    &id,
                    Level::Flag,
                    &text,
                    range.clone(),
                    None,
                    &why,
                ));
            }
        }
        // The document's structure is found once and moved through the
        // edits. The plain protections (URLs, addresses, handles) are found
        // again on the text each pass sees, and no edit may change them
        // (see `settle_stage`): a second run, which finds them on the
        // output, then sees the spans the first run saw.
        let mut structure = prepared.structure;
        let mut plain = plain_spans(&text);
        let mut spans = union(&plain, &structure);
        let mut composer = Composer::new(text);
        let mut edits = Vec::new();
        // Passes can feed each other (a removed control joins a URL to a
        // word; a new quote meets a space another pass judged): the passes
        // run again over the output until a round changes nothing, so the
        // output is one that cleaning again leaves as it is. A pass that
        // changed nothing is skipped while the text stays as it saw it (the
        // same pass over the same text finds the same); a pass that changed
        // the text runs again to confirm. Clean text takes one round.
        let markdown = doc.kind == Kind::Markdown;
        let mut version = 0u32;
        let mut seen: Vec<Option<u32>> = vec![None; self.passes.len()];
        // For a pass that can look at part of the text, what changed since
        // it last ran (`None` before its first run: everything).
        let mut changed: Vec<Option<Vec<Range<usize>>>> = vec![None; self.passes.len()];
        let mut ran = vec![false; self.passes.len()];
        // The languages are found once a round, after the encoding repairs
        // (which read no language), and moved through the edits like the
        // spans. Read on the input, mojibake and entities can make a text
        // another language than its repaired self, which the next run
        // would read: the last round finds them on the output, as a second
        // run does.
        let given = self.options.settings.locale.given(prepared.lang.as_deref());
        let forced = given.as_deref();
        let mut languages: Option<Languages> = None;
        // The paragraphs and code of the text as it stands, found when a
        // pass first asks and shared until an edit is applied.
        let mut blocks = Blocks::default();
        for round in 0..MAX_ROUNDS {
            if round > 0 {
                // The structure is read again from the round's text, as
                // the next run reads it from the output (an edit can make
                // or unmake Markdown syntax: `\` before a removed BOM).
                let found = prepare(composer.current(), doc).structure;
                if found != structure {
                    // New structure can protect or free text anywhere.
                    seen.fill(None);
                    changed.fill(None);
                    structure = found;
                    spans = union(&plain, &structure);
                }
            }
            let mut round_changed = false;
            for (k, pass) in self.passes.iter().enumerate() {
                if k == self.repairs && self.detects {
                    let found =
                        Languages::detect(composer.current(), Arc::clone(&self.profiles), forced);
                    if languages.as_ref() != Some(&found) {
                        // The passes that read languages run again.
                        seen[k..].fill(None);
                        changed[k..].fill(None);
                        languages = Some(found);
                    }
                }
                if seen[k] == Some(version) {
                    continue;
                }
                // A pass's first run reads what changed since an earlier
                // pass that does the same ran, if one has.
                let within = match (&changed[k], self.earlier[k]) {
                    (None, Some(j)) if !ran[k] => changed[j].as_deref(),
                    (changed, _) => changed.as_deref(),
                };
                let cx = Context {
                    protected: &spans,
                    disabled: &self.options.disabled,
                    check_quotes: true,
                    within,
                    languages: languages.as_ref(),
                    blocks: Some(&blocks),
                    piece: self.pieces[k],
                };
                pass.run(composer.current(), &cx, &mut edits);
                ran[k] = true;
                if self.windowed[k] {
                    changed[k] = Some(Vec::new());
                }
                if !directives.disables_nothing() {
                    // `disable=` regions are in input coordinates.
                    edits.retain(|e| {
                        let start = composer.to_original(e.range.start, true);
                        let end = composer.to_original(e.range.end, false).max(start);
                        !directives.suppresses(&e.rule, &(start..end))
                    });
                }
                seen[k] = Some(version);
                if !edits.is_empty() {
                    decide(&mut edits, threshold);
                    let find = |t: &str| prepare(t, doc).structure;
                    let shifts = settle_stage(
                        composer.current(),
                        &mut edits,
                        &mut plain,
                        markdown.then_some((&structure, &find as &dyn Fn(&str) -> Spans)),
                    );
                    // A pass whose lines can reach beyond their paragraph
                    // reads the whole text next time when an edit is on
                    // such a line, before or after it is applied.
                    let old_lines = shifts.iter().map(|(r, _)| r.clone());
                    self.forget_reached(&mut changed, composer.current(), old_lines);
                    composer.absorb(std::mem::take(&mut edits));
                    if !shifts.is_empty() {
                        self.forget_reached(&mut changed, composer.current(), placed(&shifts));
                        round_changed = true;
                        version += 1;
                        blocks = Blocks::default();
                        seen[k] = None;
                        structure.shift(&shifts);
                        if let Some(languages) = &mut languages {
                            languages.shift(&shifts);
                        }
                        spans = union(&plain, &structure);
                        for ranges in changed.iter_mut().flatten() {
                            *ranges = carry(ranges, &shifts);
                        }
                    }
                }
            }
            if !round_changed {
                break;
            }
        }
        let (output, mut edits) = composer.finish();
        if !problems.is_empty() {
            edits.extend(problems);
            edits.sort_by_key(|e| (e.range.start, e.range.end, !e.applied));
        }
        Outcome { output, edits }
    }

    /// Makes every pass with a [`Pass::reach`] read the whole text next
    /// time if a line of `text` around `ranges` holds what it names.
    fn forget_reached(
        &self,
        changed: &mut [Option<Vec<Range<usize>>>],
        text: &str,
        ranges: impl Iterator<Item = Range<usize>> + Clone,
    ) {
        for (j, pass) in self.passes.iter().enumerate() {
            let reach = pass.reach();
            if !reach.is_empty() && changed[j].is_some() && touches(text, ranges.clone(), reach) {
                changed[j] = None;
            }
        }
    }
}

/// Work a pass does ahead of its turn ([`Pass::ahead`]).
type Job<'t> = Box<dyn FnOnce() + Send + 't>;

/// Runs `clean` on this thread while `jobs` run on threads of their own.
fn alongside<R>(jobs: Vec<Job<'_>>, clean: impl FnOnce() -> R) -> R {
    if jobs.is_empty() {
        return clean();
    }
    std::thread::scope(|s| {
        for job in jobs {
            s.spawn(job);
        }
        clean()
    })
}

/// Returns true if a line of `text` that holds or touches one of `ranges`
/// (in text order) holds one of `needles`.
fn touches(text: &str, ranges: impl Iterator<Item = Range<usize>>, needles: &[&str]) -> bool {
    let t = text.as_bytes();
    // Lines already looked at: the ranges are in text order. Each search
    // stops where the last one ended, so many ranges on one long line cost
    // the line once, not once each.
    let mut seen_to = None;
    for r in ranges {
        let start = match seen_to {
            Some(seen) if r.end <= seen => continue,
            Some(seen) if r.start <= seen => seen,
            _ => {
                let from = seen_to.unwrap_or(0);
                memchr::memrchr2(b'\n', b'\r', &t[from..r.start]).map_or(from, |i| from + i + 1)
            }
        };
        let end = memchr::memchr2(b'\n', b'\r', &t[r.end..]).map_or(t.len(), |i| r.end + i);
        let line = &t[start.min(end)..end];
        if needles
            .iter()
            .any(|n| memchr::memmem::find(line, n.as_bytes()).is_some())
        {
            return true;
        }
        seen_to = Some(seen_to.map_or(end, |seen: usize| seen.max(end)));
    }
    false
}

/// Where the replacements of a stage's applied edits (`shifts`: ranges
/// before, lengths after) lie in the text after it.
fn placed(shifts: &[(Range<usize>, usize)]) -> impl Iterator<Item = Range<usize>> + Clone + '_ {
    let mut delta = 0isize;
    shifts.iter().map(move |(r, len)| {
        let start = r.start.saturating_add_signed(delta);
        delta += *len as isize - r.len() as isize;
        start..start + len
    })
}

/// Rounds of all passes before the pipeline gives up looking for a fixed
/// point; realistic and generated text needs at most three.
const MAX_ROUNDS: usize = 4;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// A pipeline with the one pack `yaml` and every pass.
    fn with_pack(yaml: &str) -> Pipeline {
        let mut loader = crate::rules::load::Loader::new();
        loader.add_source("t.yaml", yaml);
        let rules = Arc::new(loader.build().expect("pack loads"));
        Pipeline::new(rules, Options::default())
    }

    /// A text handed over, rewritten in place, gives the output and edits
    /// a borrowed one gives, bad directives (found before the text moves)
    /// included.
    #[test]
    fn an_owned_text_gives_what_a_borrowed_one_gives() {
        let pipeline = with_pack(
            "pack: t\nrules:\n  - id: law\n    find: global law\n    replace: international law\n    examples: [{ before: global law, after: international law }]\n",
        );
        let body = "A global law -- &quot;here&quot;.\n\n";
        let plain = format!("copydesk: of\n{body}copydesk: on\n");
        let markdown = format!("<!-- copydesk: of -->\n{body}<!-- copydesk: on -->\n");
        for (text, doc) in [
            (&*plain, Document::plain()),
            (&*markdown, Document::markdown()),
        ] {
            let borrowed = pipeline.run_with(text, &doc);
            let owned = pipeline.run_owned(text.to_string(), &doc);
            assert_eq!(owned.output, borrowed.output);
            assert_eq!(owned.edits, borrowed.edits);
            assert!(owned.changed());
            let bad = owned.edits.iter().filter(|e| &*e.rule == BAD_DIRECTIVE);
            assert_eq!(bad.count(), 2, "{:?}", owned.edits);
        }
    }

    /// With a phrase pack and no `requires`, the second round reads only
    /// the paragraphs that changed, and finds there what the first round's
    /// later passes made: here the pattern pass writes `global law` in the
    /// third paragraph, after the phrase pass has run, so only the second
    /// round's search of that paragraph can find it. A run over the output
    /// then changes nothing.
    #[test]
    fn later_rounds_read_changed_paragraphs_alone() {
        let pipeline = with_pack(
            "pack: t\nrules:\n  - id: law\n    find: global law\n    replace: international law\n    examples: [{ before: global law, after: international law }]\n  - id: globul\n    pattern: '\\bglobul\\b'\n    replace: global\n    examples: [{ before: globul, after: global }]\n",
        );
        let text =
            "A global law -- here.\n\nQuiet text.\n\nThe globul law and &quot;global law&quot;.\n";
        let out = pipeline.run(text);
        assert!(!out.output.contains("global law"), "{}", out.output);
        assert!(!out.output.contains("globul"), "{}", out.output);
        let laws = out.edits.iter().filter(|e| &*e.rule == "law" && e.applied);
        assert_eq!(laws.count(), 3, "{:?}", out.edits);
        let again = pipeline.run(&out.output);
        assert!(!again.changed(), "{:?}", again.edits);
    }

    /// A `requires` condition that an edit makes true lets its rule fire
    /// in paragraphs no edit touched: here the pattern pass writes
    /// `election` in the third paragraph after the phrase pass ran, so the
    /// second round must read the first paragraph again, where the rule
    /// that needs `election` applies. A run over the output then changes
    /// nothing.
    #[test]
    fn a_condition_come_true_reads_the_whole_text() {
        let pipeline = with_pack(
            "pack: t\nrules:\n  - id: polling\n    find: surveying station\n    replace: polling station\n    requires: [election]\n    examples: [{ before: surveying station at the election, after: polling station at the election }]\n  - id: elecshun\n    pattern: '\\belecshun\\b'\n    replace: election\n    examples: [{ before: elecshun, after: election }]\n",
        );
        let text = "Voters queued at the surveying station.\n\nQuiet text.\n\nThe elecshun day.\n";
        let out = pipeline.run(text);
        assert_eq!(
            out.output,
            "Voters queued at the polling station.\n\nQuiet text.\n\nThe election day.\n"
        );
        let again = pipeline.run(&out.output);
        assert!(!again.changed(), "{:?}", again.edits);
    }

    /// The entity and unicode passes find in a later round what the rules
    /// wrote after them: an entity and a zero-width space in the third
    /// paragraph, which the first round's entity and unicode passes ran
    /// before (each reads a long text in pieces of whole lines).
    #[test]
    fn later_rounds_find_what_rules_wrote_for_entities_and_unicode() {
        let pipeline = with_pack(
            "pack: t\nrules:\n  - id: amp\n    pattern: '\\bampsand\\b'\n    replace: '&amp;'\n    examples: [{ before: ampsand, after: '&amp;' }]\n  - id: zw\n    find: zee\n    replace: \"z\\u200bz\"\n    examples: [{ before: zee, after: \"z\\u200bz\" }]\n",
        );
        let text = "A &quot;b&quot; and\u{200b} c.\n\nQuiet text.\n\nD ampsand E, zee.\n";
        let out = pipeline.run(text);
        assert_eq!(out.output, "A \"b\" and c.\n\nQuiet text.\n\nD & E, zz.\n");
        let again = pipeline.run(&out.output);
        assert!(!again.changed(), "{:?}", again.edits);
    }

    /// An edit that writes a fence line changes how paragraphs far from it
    /// are read: here the dash pass turns `open -- here` into `open —
    /// here` after the spacing pass ran, the second round's pattern rule
    /// makes it a fence line, and the fence line further down, which
    /// opened code that ran to the end, now closes it. The spacing pass
    /// must then read the last paragraph again (it was code in the first
    /// round) although no edit touched it.
    #[test]
    fn an_edit_on_a_fence_line_makes_spacing_read_everything() {
        let pipeline = with_pack(
            "pack: t\nrules:\n  - id: make-fence\n    pattern: '(?m)^open\\s*\u{2014}\\s*here$'\n    replace: '```'\n    examples: [{ before: \"open \u{2014} here\", after: '```' }]\n",
        );
        let text = "Top.\n\nopen -- here\n\nmid  one\n\n```\n\nafter  b\n";
        let out = pipeline.run(text);
        assert_eq!(out.output, "Top.\n\n```\n\nmid one\n\n```\n\nafter b\n");
        let again = pipeline.run(&out.output);
        assert!(!again.changed(), "{:?}", again.edits);
    }

    /// A range touches a needle when a line it is on holds one, not
    /// otherwise; replacements are found where they lie after the stage.
    #[test]
    fn ranges_touch_lines_holding_a_needle() {
        let text = "plain line\n```\nother ~~ line\n";
        let fences: &[&str] = &["```", "~~~"];
        assert!(!touches(text, std::iter::once(0..5), fences));
        assert!(touches(text, std::iter::once(11..11), fences));
        assert!(touches(text, [3..4, 12..13].into_iter(), fences));
        assert!(!touches(text, std::iter::once(17..20), fences));
        // `ab cd` with `b` → `xyz` and `d` deleted: `axyz c`.
        let shifts = [(1..2, 3), (4..5, 0)];
        assert_eq!(placed(&shifts).collect::<Vec<_>>(), [1..4, 6..6]);
    }

    /// The pattern pass too reads only the changed paragraphs in a later
    /// round: here the dash pass, after it, writes the em dash the pattern
    /// needs in the third paragraph, so only the second round's search of
    /// that paragraph can find it; the pattern's match in the first
    /// paragraph, found in the first round, is reported once.
    #[test]
    fn later_rounds_read_changed_paragraphs_for_patterns() {
        let pipeline = with_pack(
            "pack: t\nrules:\n  - id: dash-pair\n    pattern: 'alpha \u{2014} beta'\n    replace: gamma\n    examples: [{ before: \"alpha \u{2014} beta\", after: gamma }]\n  - id: delta\n    pattern: '\\bdelta\\b'\n    level: suggest\n    replace: epsilon\n    examples: [{ before: delta, after: epsilon }]\n",
        );
        let text = "One delta here.\n\nQuiet text.\n\nThen alpha -- beta came.\n";
        let out = pipeline.run(text);
        assert_eq!(
            out.output,
            "One delta here.\n\nQuiet text.\n\nThen gamma came.\n"
        );
        let deltas = out.edits.iter().filter(|e| &*e.rule == "delta");
        assert_eq!(deltas.count(), 1, "{:?}", out.edits);
        let again = pipeline.run(&out.output);
        assert!(!again.changed(), "{:?}", again.edits);
    }
}
