//! The schedule: every stage of the pipeline, in the order it runs, with
//! what it reads and how far its findings depend on the text around them.
//!
//! The order is chosen so that no stage destroys what a later one needs as
//! evidence:
//!
//! 1. **Encoding repair** comes first. `entities` decodes character
//!    references, whose output may itself be mojibake (`Ã&shy;` is `í`);
//!    `mojibake` then decodes UTF-8 read as Windows-1252 or Latin-1 and
//!    lone C1 controls. Soft hyphens, no-break spaces and C1 controls are
//!    the second bytes of such sequences (`Ã` + U+00AD is `í`,
//!    U+0093 is `“`), so nothing may delete them before this.
//! 2. **Character cleanup** (`unicode`) removes invisible debris, plain
//!    spaces the odd ones and normalises what the repairs left.
//! 3. **Rules** (`phrases`, `patterns`) read words, which the stages
//!    before made whole.
//! 4. **Typography**: `spacing` first, since `quotes` and `dashes` read
//!    the spaces around a mark to decide what it is; then `spacing` again
//!    to tidy what a new dash leaves (`a -  b` → `a —  b`).
//! 5. **Paragraphs** last: a repeated paragraph is found on the finished
//!    text.
//!
//! The pipeline runs the whole schedule again over its output until a
//! round changes nothing (at most four rounds), so a stage that feeds an
//! earlier one (a removed zero-width space completes a mojibake sequence)
//! is seen on the next round; the order above makes this rare.

/// How much text around a finding a stage reads to decide it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locality {
    /// The line it is on.
    Line,
    /// The paragraph it is in. The pipeline gives such a stage, after its
    /// first run, only what changed since it last ran
    /// ([`crate::passes::Context::within`]), and the stage reads the
    /// paragraphs around it.
    Paragraph,
    /// The whole document (a dominant style, a count, a repeat).
    Document,
}

#[cfg(test)]
impl Locality {
    /// The name used in the docs.
    pub fn as_str(self) -> &'static str {
        match self {
            Locality::Line => "line",
            Locality::Paragraph => "paragraph",
            Locality::Document => "document",
        }
    }
}

/// Which pass a stage runs (each is a module of [`crate::passes`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Step {
    Entities,
    Mojibake,
    Unicode,
    Phrases,
    Patterns,
    Spacing,
    Quotes,
    Dashes,
    Paragraphs,
}

impl Step {
    /// The pass's name, as [`crate::passes::Pass::name`] gives it.
    pub fn name(self) -> &'static str {
        match self {
            Step::Entities => "entities",
            Step::Mojibake => "mojibake",
            Step::Unicode => "unicode",
            Step::Phrases => "phrases",
            Step::Patterns => "patterns",
            Step::Spacing => "spacing",
            Step::Quotes => "quotes",
            Step::Dashes => "dashes",
            Step::Paragraphs => "paragraphs",
        }
    }
}

impl Step {
    /// Whether the pass reads the language of the text it changes: its
    /// typography profile, or the languages a pack's rules apply to.
    pub fn reads_language(self) -> bool {
        !matches!(self, Step::Entities | Step::Mojibake | Step::Paragraphs)
    }
}

/// One stage of the pipeline.
#[derive(Debug)]
pub struct Stage {
    /// The pass it runs.
    pub step: Step,
    /// How far its findings depend on the text around them.
    pub locality: Locality,
    /// Whether it is one of the normalising passes, which
    /// `passes.normalise=off` leaves out (the rule passes always run).
    pub normalising: bool,
    /// Whether its pass may read a long text in pieces of about
    /// [`PIECE`] bytes on every core ([`crate::passes::Context::piece`]);
    /// where a piece may end is the pass's to say.
    pub pieces: bool,
}

/// Bytes of text per piece for a stage that reads in pieces: large enough
/// that a news article is one piece and starts no thread.
pub const PIECE: usize = crate::pieces::PIECE;

impl Stage {
    /// The piece size its pass is given: [`PIECE`], or the whole text.
    pub fn piece(&self) -> usize {
        if self.pieces {
            PIECE
        } else {
            usize::MAX
        }
    }
}

/// The stages, in the order they run.
pub const SCHEDULE: &[Stage] = &[
    // Reads character references: `&amp;`, `&#8217;`, `&amp;quot;`, ` #39;`.
    Stage {
        step: Step::Entities,
        locality: Locality::Line,
        normalising: true,
        pieces: true,
    },
    // Reads runs of Windows-1252/Latin-1 characters that spell UTF-8, and lone C1 controls.
    Stage {
        step: Step::Mojibake,
        locality: Locality::Document,
        normalising: true,
        pieces: false,
    },
    // Reads invisible and control characters, odd spaces, unnormalised runs.
    Stage {
        step: Step::Unicode,
        locality: Locality::Line,
        normalising: true,
        pieces: true,
    },
    // Reads words and phrases of the loaded packs. A phrase never spans a
    // blank line, and what decides a match (word boundaries, quotes,
    // `unless`) lies within its paragraph; a rule's `requires` reads the
    // whole document, and the whole text is read when a condition may
    // have come true since the last run (see `Requires::around`).
    // The matcher folds and searches the text in chunks of its own, which
    // bound its memory, on every core.
    Stage {
        step: Step::Phrases,
        locality: Locality::Paragraph,
        normalising: false,
        pieces: false,
    },
    // Reads regular expressions of the loaded packs. A rule whose matches
    // stay within a line and that has no `requires` finds in a paragraph
    // what that paragraph alone decides; the other rules read the whole
    // text every time.
    Stage {
        step: Step::Patterns,
        locality: Locality::Paragraph,
        normalising: false,
        pieces: false,
    },
    // Reads spaces, blank lines and the marks next to them. What it finds
    // in a paragraph depends on that paragraph alone, but for fenced code:
    // a fence line an edit touches makes it read everything again
    // (`Pass::reach`).
    Stage {
        step: Step::Spacing,
        locality: Locality::Paragraph,
        normalising: true,
        pieces: true,
    },
    // Reads quotation marks and apostrophes, paired within paragraphs.
    Stage {
        step: Step::Quotes,
        locality: Locality::Document,
        normalising: true,
        pieces: true,
    },
    // Reads hyphens typed as dashes, and ellipses.
    Stage {
        step: Step::Dashes,
        locality: Locality::Document,
        normalising: true,
        pieces: false,
    },
    // Reads the spaces a new dash or quote leaves.
    Stage {
        step: Step::Spacing,
        locality: Locality::Paragraph,
        normalising: true,
        pieces: true,
    },
    // Reads whole paragraphs, for repeats.
    Stage {
        step: Step::Paragraphs,
        locality: Locality::Document,
        normalising: true,
        pieces: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn position(step: Step) -> usize {
        SCHEDULE.iter().position(|s| s.step == step).unwrap()
    }

    /// Encoding repair comes before any character cleanup, which would
    /// delete its evidence, and the rules read the repaired words.
    #[test]
    fn encoding_repair_runs_before_character_cleanup() {
        assert!(position(Step::Entities) < position(Step::Mojibake));
        assert!(position(Step::Mojibake) < position(Step::Unicode));
        assert!(position(Step::Unicode) < position(Step::Phrases));
        assert!(position(Step::Phrases) < position(Step::Spacing));
        assert_eq!(
            SCHEDULE.iter().filter(|s| s.step == Step::Unicode).count(),
            1,
            "one unicode stage, after mojibake"
        );
    }

    /// The manual's table of passes (`docs/passes/README.md`) lists the
    /// stages in this order, each with how much text it reads.
    #[test]
    fn the_manual_lists_the_schedule() {
        let manual = include_str!("../docs/passes/README.md");
        let rows: Vec<(String, String)> = manual
            .lines()
            .filter_map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                cells.get(1)?.parse::<usize>().ok()?;
                let pass = cells[2].trim_start_matches('[');
                let name = pass.split([']', ' ']).next()?;
                Some((name.to_string(), cells[3].to_string()))
            })
            .collect();
        let schedule: Vec<(String, String)> = SCHEDULE
            .iter()
            .map(|s| (s.step.name().to_string(), s.locality.as_str().to_string()))
            .collect();
        assert_eq!(rows, schedule);
    }

    /// Spacing runs on both sides of the quote and dash stages.
    #[test]
    fn spacing_brackets_quotes_and_dashes() {
        let steps: Vec<Step> = SCHEDULE.iter().map(|s| s.step).collect();
        let q = position(Step::Quotes);
        assert_eq!(steps[q - 1], Step::Spacing);
        assert_eq!(steps[q + 1], Step::Dashes);
        assert_eq!(steps[q + 2], Step::Spacing);
        assert_eq!(steps.last(), Some(&Step::Paragraphs));
    }
}
