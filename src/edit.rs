//! The edit model: every change copydesk proposes, with its provenance.
//!
//! An [`Edit`] is the single currency of the pipeline. Passes produce them,
//! [`crate::apply`] composes them, and every renderer (text, diff, `check`
//! lines, JSON) reads the same list. Ranges always refer to the *original*
//! input, so applying the applied edits to the input gives the output exactly.

use std::cell::RefCell;
use std::hash::BuildHasher;
use std::ops::{Deref, DerefMut, Range};
use std::sync::{Arc, LazyLock};

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

/// What an edit says, apart from where it is: the rule, its level and
/// reason, the text matched and the text proposed.
///
/// Dense input repeats the same change many times (`global law` →
/// `international law` at each of five million places), so edits that say
/// the same share one `Change` (see [`Edit`]); its fields are read through
/// the edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The id of the rule or pass that produced the edit.
    pub rule: Arc<str>,
    /// Ids of earlier rules whose edits this one absorbed (see
    /// [`crate::apply::Composer`]); empty in the common case.
    pub also: Vec<Arc<str>>,
    /// How sure the rule is.
    pub level: Level,
    /// The text the rule matched: the input over the edit's range.
    pub before: CompactString,
    /// The proposed text; `None` for a flag that proposes nothing.
    pub after: Option<CompactString>,
    /// Why the rule exists, shown to the user.
    pub why: Arc<str>,
}

/// One change (or finding) with the rule that made it and where it was found.
///
/// An edit is its place (`range`, `applied`) and a shared [`Change`], whose
/// fields (`rule`, `level`, `before`, `after`, `why`, `also`) read as the
/// edit's own through `Deref`; writing one (through `DerefMut`) gives the
/// edit a copy of its own. An edit is 32 bytes however long its texts:
/// the many edits of a long document cost tens of bytes each, not the
/// hundreds that a copy of every text and id in each took (#20).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    change: Arc<Change>,
    /// Byte range in the original input. Offsets stay `usize`: inputs up
    /// to the configurable input limit (4 GiB by default) and past it are
    /// addressed.
    pub range: Range<usize>,
    /// Whether the edit is part of the output.
    pub applied: bool,
}

impl Deref for Edit {
    type Target = Change;

    fn deref(&self) -> &Change {
        &self.change
    }
}

impl DerefMut for Edit {
    fn deref_mut(&mut self) -> &mut Change {
        Arc::make_mut(&mut self.change)
    }
}

impl Serialize for Edit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let c = &*self.change;
        let fields = 6 + usize::from(!c.also.is_empty()) + usize::from(!c.why.is_empty());
        let mut s = serializer.serialize_struct("Edit", fields)?;
        s.serialize_field("rule", &c.rule)?;
        if !c.also.is_empty() {
            s.serialize_field("also", &c.also)?;
        }
        s.serialize_field("level", &c.level)?;
        s.serialize_field("range", &self.range)?;
        s.serialize_field("before", &c.before)?;
        s.serialize_field("after", &c.after)?;
        s.serialize_field("applied", &self.applied)?;
        if !c.why.is_empty() {
            s.serialize_field("why", &c.why)?;
        }
        s.end()
    }
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
        let change = Change {
            rule: Arc::clone(rule),
            also: Vec::new(),
            level,
            before: CompactString::from(&text[range.clone()]),
            after: after.map(CompactString::from),
            why: Arc::clone(why),
        };
        Edit::at(change, range)
    }

    /// An edit of `change` over `range`, sharing a `Change` equal to it
    /// when one was made lately on this thread.
    pub fn at(change: Change, range: Range<usize>) -> Edit {
        Edit {
            change: shared(change),
            range,
            applied: false,
        }
    }

    /// A placeholder: an empty flag, for a slot of a list being rebuilt.
    pub(crate) fn vacant() -> Edit {
        static VACANT: LazyLock<Arc<Change>> = LazyLock::new(|| {
            Arc::new(Change {
                rule: Arc::from(""),
                also: Vec::new(),
                level: Level::Flag,
                before: CompactString::default(),
                after: None,
                why: Arc::from(""),
            })
        });
        Edit {
            change: Arc::clone(&VACANT),
            range: 0..0,
            applied: false,
        }
    }

    /// The shared change and the range, for a list that keeps them in
    /// its own shape.
    pub(crate) fn into_parts(self) -> (Arc<Change>, Range<usize>) {
        (self.change, self.range)
    }

    /// An edit, not applied, from [`Edit::into_parts`]'s parts.
    pub(crate) fn from_parts(change: Arc<Change>, range: Range<usize>) -> Edit {
        Edit {
            change,
            range,
            applied: false,
        }
    }

    /// The same change as this edit over another range.
    pub fn moved(&self, range: Range<usize>) -> Edit {
        Edit {
            change: Arc::clone(&self.change),
            range,
            applied: self.applied,
        }
    }

    /// The shared change (`Change`) this edit holds.
    pub fn change(&self) -> &Change {
        &self.change
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

/// Slots of the recent-change cache of each thread: enough for the few
/// changes a stage repeats, bounded however long the process runs.
const RECENT: usize = 64;

thread_local! {
    /// Changes made lately on this thread, by hash: a bounded table that
    /// lets dense edits share one `Change` from the moment they are made,
    /// before any stage holds them all.
    static RECENT_CHANGES: RefCell<Vec<Option<Arc<Change>>>> =
        RefCell::new(vec![None; RECENT]);
}

/// `change` shared with an equal one made lately on this thread, if any.
fn shared(change: Change) -> Arc<Change> {
    // The rule by address (its text is long and shared); the texts by value.
    let key = (
        Arc::as_ptr(&change.rule).cast::<u8>() as usize,
        change.level,
        &change.before,
        &change.after,
    );
    let slot = (rustc_hash::FxBuildHasher.hash_one(key) % RECENT as u64) as usize;
    RECENT_CHANGES.with(|recent| {
        let mut recent = recent.borrow_mut();
        match &recent[slot] {
            Some(seen) if **seen == change => Arc::clone(seen),
            _ => {
                let new = Arc::new(change);
                recent[slot] = Some(Arc::clone(&new));
                new
            }
        }
    })
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

impl Position {
    /// The position just past `text`, which starts at this position.
    pub fn past(self, text: &str) -> Position {
        let bytes = text.as_bytes();
        match memchr::memrchr(b'\n', bytes) {
            Some(i) => Position {
                line: self.line + memchr::memchr_iter(b'\n', bytes).count(),
                column: char_count(&bytes[i + 1..]) + 1,
            },
            None => Position {
                line: self.line,
                column: self.column + char_count(bytes),
            },
        }
    }
}

/// Computes line and column for byte offsets given in ascending order.
///
/// A forward-only counter, as typos' `AccumulateLineNum`: the text is walked
/// once however many offsets are asked for. The column is carried forward
/// too, not counted again from the line start, so many offsets on one long
/// line cost the line once (#20: counting from the line start each time
/// took minutes for a 5 MB line with 500,000 edits).
pub struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    /// Characters from the line start up to `offset`.
    chars: usize,
}

impl<'a> LineCounter<'a> {
    /// Starts counting at the beginning of `text`.
    pub fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text,
            offset: 0,
            line: 1,
            chars: 0,
        }
    }

    /// Returns the position of `offset`; offsets must not decrease between
    /// calls (a smaller one restarts from the top).
    pub fn position(&mut self, offset: usize) -> Position {
        if offset < self.offset {
            *self = LineCounter::new(self.text);
        }
        let bytes = &self.text.as_bytes()[self.offset..offset];
        match memchr::memrchr(b'\n', bytes) {
            Some(i) => {
                self.line += memchr::memchr_iter(b'\n', bytes).count();
                self.chars = char_count(&bytes[i + 1..]);
            }
            None => self.chars += char_count(bytes),
        }
        self.offset = offset;
        Position {
            line: self.line,
            column: self.chars + 1,
        }
    }
}

/// Characters in `bytes`, whole UTF-8 characters: the bytes that do not
/// continue one.
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
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

    /// An edit is its place and a pointer to what it says: edits that say
    /// the same share it, so dense edits cost tens of bytes each (#20); a
    /// change written through one edit leaves the others as they were.
    #[test]
    fn equal_changes_are_shared_and_written_apart() {
        assert!(std::mem::size_of::<Edit>() <= 32);
        let (rule, why) = (Arc::from("law"), Arc::from("why"));
        let text = "global law, global law";
        let fix = |range| Edit::new(&rule, Level::Fix, text, range, Some("x".into()), &why);
        let (a, b) = (fix(0..10), fix(12..22));
        assert!(std::ptr::eq(a.change(), b.change()));
        let mut c = b.clone();
        c.after = Some("y".into());
        assert!(!std::ptr::eq(c.change(), b.change()));
        assert_eq!(
            (b.after.as_deref(), c.after.as_deref()),
            (Some("x"), Some("y"))
        );
        assert_eq!(c.range, 12..22);
    }

    /// An edit serialises as it did when its fields were its own.
    #[test]
    fn an_edit_serialises_with_its_change_fields() {
        let (rule, why) = (Arc::from("r"), Arc::from(""));
        let mut e = Edit::new(&rule, Level::Suggest, "ab", 0..1, None, &why);
        e.applied = true;
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"rule":"r","level":"suggest","range":{"start":0,"end":1},"before":"a","after":null,"applied":true}"#
        );
        e.also = vec![Arc::from("o")];
        e.why = Arc::from("w");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!((&v["also"][0], &v["why"]), (&"o".into(), &"w".into()));
    }

    /// Carrying the column forward gives what counting from the line
    /// start gives, offset after offset, across lines and wide characters.
    #[test]
    fn line_counter_carries_the_column_forward() {
        let text = "aé\u{2014}b\nxy\n\nzé w";
        let mut c = LineCounter::new(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected = Position {
                line: text[..offset].matches('\n').count() + 1,
                column: text[line_start..offset].chars().count() + 1,
            };
            assert_eq!(c.position(offset), expected, "offset {offset}");
        }
    }

    #[test]
    fn insertions_overlap_only_inside() {
        assert!(ranges_overlap(&(3..3), &(1..5)));
        assert!(!ranges_overlap(&(1..1), &(1..5)));
        assert!(!ranges_overlap(&(1..3), &(3..5)));
        assert!(ranges_overlap(&(2..2), &(2..2)));
    }
}
