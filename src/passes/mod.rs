//! The passes of the pipeline, run in the order of
//! `crate::schedule::SCHEDULE` over the text.
//!
//! Each pass sees the text the passes before it produced and reports
//! [`Edit`]s in that text's coordinates; `crate::pipeline` decides which
//! are applied and [`crate::apply::Composer`] maps them back to the input.
//!
//! Within one run a pass does not rescan its own replacements (the
//! mojibake pass aside, which decodes its output again until nothing is
//! left and reports one edit). Across passes, edits do cascade: a later
//! pass reads what an earlier one wrote, and the pipeline runs the whole
//! schedule again, up to four rounds, until a round changes nothing, so
//! that cleaning the output again changes nothing. What holds is that each
//! edit names the one rule that made it, and the edits compose into one
//! list against the input.

pub mod dashes;
pub mod entities;
pub mod low_quotes;
pub mod mojibake;
pub mod paragraphs;
pub mod patterns;
pub mod phrases;
pub(crate) use crate::pieces;
pub mod plain;
pub mod quotes;
pub mod spacing;
pub mod unicode;

use std::collections::HashSet;

use crate::edit::Edit;

pub use crate::rules::conditions::{Context, Probe, CONTEXT_CHARS};

/// One stage of the pipeline.
pub trait Pass: Send + Sync {
    /// The pass's name (also its rule id prefix).
    fn name(&self) -> &'static str;

    /// Appends the edits this pass proposes for `text` to `out`.
    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>);

    /// What makes a line reach beyond its paragraph for this pass (the
    /// spacing pass's fences: a line of three backticks opens code that
    /// runs on across blank lines). An applied edit on a line holding one
    /// of these, before or after the edit, makes the pass's next run read
    /// the whole text.
    fn reach(&self) -> &'static [&'static str] {
        &[]
    }

    /// What the pass does, for telling two instances apart: two passes
    /// with the same identity find the same in the same text, so a later
    /// one may first read only what changed since the earlier one ran.
    /// `None`: like no other pass.
    fn identity(&self) -> Option<String> {
        None
    }

    /// Work the pass can do for `text` (the input) before its turn, which
    /// the pipeline runs on another core while the earlier passes run;
    /// `None` when there is none. Only what the pass would do anyway
    /// belongs here: the text may still change before the pass runs.
    fn ahead<'a>(
        &'a self,
        _text: &'a str,
        _disabled: &'a HashSet<String>,
    ) -> Option<Box<dyn FnOnce() + Send + 'a>> {
        None
    }
}

pub use crate::matcher::is_word_char;
