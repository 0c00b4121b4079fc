//! The passes of the pipeline, run in the order of
//! [`crate::schedule::SCHEDULE`] over the text.
//!
//! Each pass sees the text the passes before it produced and reports
//! [`Edit`]s in that text's coordinates; [`crate::pipeline`] decides which
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
pub mod mojibake;
pub mod paragraphs;
pub mod patterns;
pub mod phrases;
pub mod pieces;
pub mod plain;
pub mod quotes;
pub mod spacing;
pub mod unicode;

use std::collections::HashSet;
use std::ops::Range;

use crate::edit::Edit;
use crate::spans::Spans;

/// What a pass may consult besides the text.
pub struct Context<'a> {
    /// Spans no pass may touch, in the coordinates of the text.
    pub protected: &'a Spans,
    /// Rule ids switched off by the user.
    pub disabled: &'a HashSet<String>,
    /// Whether the document-dependent conditions `in_quotes` and
    /// `requires` are honoured: off only when a rule set is checked against
    /// its own replacements (cycles and cascades), where every rule that
    /// could fire in some document must be considered.
    pub check_quotes: bool,
    /// The parts of the text changed since the pass last ran, when the
    /// pipeline knows them (a later round): a pass whose findings in a
    /// paragraph depend on that paragraph alone may look only at the
    /// paragraphs that hold them, since it would find in the others what it
    /// found before. `None`: look at the whole text.
    pub within: Option<&'a [Range<usize>]>,
}

impl<'a> Context<'a> {
    /// A context for reading all of a text: every condition honoured,
    /// nothing singled out.
    pub fn whole(protected: &'a Spans, disabled: &'a HashSet<String>) -> Context<'a> {
        Context {
            protected,
            disabled,
            check_quotes: true,
            within: None,
        }
    }

    /// Returns true unless the user disabled the rule `id`.
    pub fn enabled(&self, id: &str) -> bool {
        !self.disabled.contains(id)
    }
}

/// One stage of the pipeline.
pub trait Pass: Send + Sync {
    /// The pass's name (also its rule id prefix).
    fn name(&self) -> &'static str;

    /// Appends the edits this pass proposes for `text` to `out`.
    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>);

    /// Returns true if the pass looks only at [`Context::within`] when it
    /// is given (the pipeline then keeps track of what changed since the
    /// pass last ran).
    fn windowed(&self) -> bool {
        false
    }

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

/// How much text on each side of an edit the context checks read.
pub const CONTEXT_CHARS: usize = 32;

/// An edit's replacement with up to [`CONTEXT_CHARS`] characters of the
/// text on each side: what the next run would see there. The phrase and
/// pattern passes run their rules over it to tell whether an edit would be
/// rewritten again.
pub struct Probe {
    /// The context before, the replacement, the context after.
    pub text: String,
    /// Where the replacement lies in [`Probe::text`].
    pub replacement: Range<usize>,
    /// Where [`Probe::text`] starts in the edited text.
    pub start: usize,
}

impl Probe {
    /// The probe for replacing `range` of `text` with `after`.
    pub fn new(text: &str, range: &Range<usize>, after: &str) -> Probe {
        let start = text[..range.start]
            .char_indices()
            .rev()
            .take(CONTEXT_CHARS)
            .last()
            .map_or(range.start, |(k, _)| k);
        let end = text[range.end..]
            .char_indices()
            .nth(CONTEXT_CHARS)
            .map_or(text.len(), |(k, _)| range.end + k);
        let mut probe = String::with_capacity(end - start + after.len());
        probe.push_str(&text[start..range.start]);
        let replacement = probe.len()..probe.len() + after.len();
        probe.push_str(after);
        probe.push_str(&text[range.end..end]);
        Probe {
            text: probe,
            replacement,
            start,
        }
    }
}

/// Returns true for characters that belong to a word: Unicode letters,
/// digits, combining marks, and the underscore.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || unicode_normalization::char::is_combining_mark(c)
}
