//! The edit model: every change copydesk proposes, with its provenance.
//!
//! An [`Edit`] is the single currency of the pipeline. Passes produce them,
//! [`crate::apply`] composes them, and every renderer (text, diff, `check`
//! lines, JSON) reads the same list. Ranges always refer to the *original*
//! input, so applying the applied edits to the input gives the output exactly.

use std::ops::Range;
use std::sync::Arc;

use compact_str::CompactString;
use serde::Serialize;

/// How sure a rule is, ordered so that `Flag < Suggest < Fix`.
///
/// As with ruff's fix applicability, whether an edit is applied is a
/// comparison against the level the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Reported only, never applied: the text needs a human.
    Flag,
    /// Reported, applied only on request (`--apply-suggestions`).
    Suggest,
    /// Applied by default: the repair is unambiguous.
    Fix,
}

impl Level {
    /// Returns true if an edit at this level is applied when `required` is
    /// the lowest level the user accepts.
    pub fn applies(self, required: Level) -> bool {
        self != Level::Flag && self >= required
    }

    /// The lowercase name used in rule packs and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Flag => "flag",
            Level::Suggest => "suggest",
            Level::Fix => "fix",
        }
    }
}

/// One change (or finding) with the rule that made it and where it was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// The id of the rule or pass that produced the edit.
    pub rule: Arc<str>,
    /// Ids of earlier rules whose edits this one absorbed (see
    /// [`crate::apply::Composer`]); empty in the common case.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Arc<str>>,
    /// How sure the rule is.
    pub level: Level,
    /// Byte range in the original input.
    pub range: Range<usize>,
    /// The text the rule matched. Most edits are a few bytes, which a
    /// `CompactString` holds inline: no allocation per edit, a long
    /// document's many edits in less memory.
    pub before: CompactString,
    /// The proposed text; `None` for a flag that proposes nothing.
    pub after: Option<CompactString>,
    /// Whether the edit is part of the output.
    pub applied: bool,
    /// Why the rule exists, shown to the user.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub why: Arc<str>,
}

impl Edit {
    /// Creates an edit over `range` of `text` (coordinates of the text the
    /// pass saw); `applied` is decided later by the pipeline.
    pub fn new(
        rule: &Arc<str>,
        level: Level,
        text: &str,
        range: Range<usize>,
        after: Option<String>,
        why: &Arc<str>,
    ) -> Edit {
        Edit {
            rule: Arc::clone(rule),
            also: Vec::new(),
            level,
            before: CompactString::from(&text[range.clone()]),
            range,
            after: after.map(CompactString::from),
            applied: false,
            why: Arc::clone(why),
        }
    }

    /// Returns the replacement text, or the matched text for a bare flag.
    pub fn replacement(&self) -> &str {
        self.after.as_deref().unwrap_or(&self.before)
    }

    /// Returns true if the two edits' ranges share at least one byte, or one
    /// is an insertion strictly inside the other.
    pub fn overlaps(&self, other: &Edit) -> bool {
        ranges_overlap(&self.range, &other.range)
    }
}

#[cfg(test)]
impl Edit {
    /// An applied fix by `rule` of `range` of `text` into `after`: the edit
    /// unit tests build.
    pub(crate) fn applied_fix(rule: &str, text: &str, range: Range<usize>, after: &str) -> Edit {
        let mut e = Edit::new(
            &Arc::from(rule),
            Level::Fix,
            text,
            range,
            Some(after.to_string()),
            &Arc::from(""),
        );
        e.applied = true;
        e
    }

    /// Applied fixes replacing the first `find` of each pair in `text` by its
    /// `replace`, in text order.
    pub(crate) fn applied_fixes(text: &str, changes: &[(&str, &str)]) -> Vec<Edit> {
        let mut out: Vec<Edit> = changes
            .iter()
            .map(|(find, replace)| {
                let at = text.find(find).expect("the text holds each find");
                Edit::applied_fix("r", text, at..at + find.len(), replace)
            })
            .collect();
        out.sort_by_key(|e| e.range.start);
        out
    }
}

/// Returns true if two byte ranges conflict when both are applied.
///
/// Two insertions at the same point conflict too: their order would be
/// arbitrary.
pub fn ranges_overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    if a.is_empty() {
        return b.start < a.start && a.start < b.end;
    }
    if b.is_empty() {
        return a.start < b.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

/// A 1-based line and column (in characters) in the original input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values.
    pub column: usize,
}

/// Computes line and column for byte offsets given in ascending order.
///
/// A forward-only counter, as typos' `AccumulateLineNum`: the text is walked
/// once however many offsets are asked for.
pub struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    line_start: usize,
}

impl<'a> LineCounter<'a> {
    /// Starts counting at the beginning of `text`.
    pub fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// Returns the position of `offset`; offsets must not decrease between
    /// calls (a smaller one restarts from the top).
    pub fn position(&mut self, offset: usize) -> Position {
        if offset < self.offset {
            *self = LineCounter::new(self.text);
        }
        let bytes = &self.text.as_bytes()[self.offset..offset];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.offset + i + 1;
            }
        }
        self.offset = offset;
        let column = self.text[self.line_start..offset].chars().count() + 1;
        Position {
            line: self.line,
            column,
        }
    }
}

/// Returns the positions of the starts of `edits` (which may be unsorted).
pub fn positions(text: &str, edits: &[Edit]) -> Vec<Position> {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| edits[i].range.start);
    let mut counter = LineCounter::new(text);
    let mut out = vec![Position { line: 1, column: 1 }; edits.len()];
    for i in order {
        out[i] = counter.position(edits[i].range.start);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_order_decides_application() {
        assert!(Level::Fix.applies(Level::Fix));
        assert!(!Level::Suggest.applies(Level::Fix));
        assert!(Level::Suggest.applies(Level::Suggest));
        assert!(!Level::Flag.applies(Level::Flag));
    }

    #[test]
    fn line_counter_counts_characters() {
        let text = "ab\néé x\r\nz";
        let mut c = LineCounter::new(text);
        assert_eq!(c.position(0), Position { line: 1, column: 1 });
        assert_eq!(c.position(8), Position { line: 2, column: 4 });
        assert_eq!(c.position(text.len() - 1), Position { line: 3, column: 1 });
    }

    #[test]
    fn insertions_overlap_only_inside() {
        assert!(ranges_overlap(&(3..3), &(1..5)));
        assert!(!ranges_overlap(&(1..1), &(1..5)));
        assert!(!ranges_overlap(&(1..3), &(3..5)));
        assert!(ranges_overlap(&(2..2), &(2..2)));
    }
}
