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
    /// The paragraph it is in.
    Paragraph,
    /// The whole document (a dominant style, a count, a repeat).
    Document,
}

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

/// One stage of the pipeline.
#[derive(Debug)]
pub struct Stage {
    /// The pass it runs.
    pub step: Step,
    /// What it reads and writes, for the docs.
    pub reads: &'static str,
    /// How far its findings depend on the text around them.
    pub locality: Locality,
    /// Whether it is one of the normalising passes, which
    /// `passes.normalise=off` leaves out (the rule passes always run).
    pub normalising: bool,
}

/// The stages, in the order they run.
pub const SCHEDULE: &[Stage] = &[
    Stage {
        step: Step::Entities,
        reads: "character references: `&amp;`, `&#8217;`, `&amp;quot;`, ` #39;`",
        locality: Locality::Line,
        normalising: true,
    },
    Stage {
        step: Step::Mojibake,
        reads: "runs of Windows-1252/Latin-1 characters that spell UTF-8, and lone C1 controls",
        locality: Locality::Document,
        normalising: true,
    },
    Stage {
        step: Step::Unicode,
        reads: "invisible and control characters, odd spaces, unnormalised runs",
        locality: Locality::Line,
        normalising: true,
    },
    Stage {
        step: Step::Phrases,
        reads: "words and phrases of the loaded packs",
        locality: Locality::Paragraph,
        normalising: false,
    },
    Stage {
        step: Step::Patterns,
        reads: "regular expressions of the loaded packs",
        locality: Locality::Paragraph,
        normalising: false,
    },
    Stage {
        step: Step::Spacing,
        reads: "spaces, blank lines and the marks next to them",
        locality: Locality::Paragraph,
        normalising: true,
    },
    Stage {
        step: Step::Quotes,
        reads: "quotation marks and apostrophes, paired within paragraphs",
        locality: Locality::Document,
        normalising: true,
    },
    Stage {
        step: Step::Dashes,
        reads: "hyphens typed as dashes, and ellipses",
        locality: Locality::Document,
        normalising: true,
    },
    Stage {
        step: Step::Spacing,
        reads: "the spaces a new dash or quote leaves",
        locality: Locality::Paragraph,
        normalising: true,
    },
    Stage {
        step: Step::Paragraphs,
        reads: "whole paragraphs, for repeats",
        locality: Locality::Document,
        normalising: true,
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
