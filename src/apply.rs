//! Composes the edits of successive stages into one list against the input.
//!
//! Each stage of the pipeline sees the text produced by the stages before it
//! and reports edits in that text's coordinates. The [`Composer`] maps them
//! back to the original input, merging an edit with earlier applied edits it
//! overlaps, so that the invariant holds after every stage: applying the
//! applied edits to the input gives the current text exactly.
//!
//! The input itself is not kept: what an edit replaced in it is the current
//! text with the earlier replacements there put back (each applied edit
//! holds the input bytes it replaced). So an owned input is rewritten in
//! place, and a long text is held once, not twice.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use compact_str::CompactString;

use crate::edit::{Change, Edit};

/// An applied edit and where its replacement starts in the current text;
/// it ends the replacement's length on.
///
/// 32 bytes: the edit's change and input range, without the `applied`
/// flag (every edit here is applied) or the end of its place (the
/// replacement's length gives it). Dense text has an entry per edit, so
/// each field counts (#20).
#[derive(Debug)]
struct Placed {
    change: Arc<Change>,
    /// Byte range in the input.
    range: Range<usize>,
    /// Where the replacement starts in the current text.
    at: usize,
}

impl Placed {
    /// `edit`, applied, with its replacement at `at` in the current text.
    fn new(edit: Edit, at: usize) -> Placed {
        let (change, range) = edit.into_parts();
        Placed { change, range, at }
    }

    /// A free slot of the applied list while it is rebuilt.
    fn vacant() -> Placed {
        Placed::new(Edit::vacant(), 0)
    }

    /// Where the replacement sits in the current text.
    fn current(&self) -> Range<usize> {
        let len = self
            .change
            .after
            .as_ref()
            .map_or(self.change.before.len(), |a| a.len());
        self.at..self.at + len
    }

    /// The applied edit.
    fn into_edit(self) -> Edit {
        let mut edit = Edit::from_parts(self.change, self.range);
        edit.applied = true;
        edit
    }
}

/// The applied edits up to a group of the merge, as [`to_original`] and
/// [`range_to_original`] read them before it: those `done` (in the text
/// being written, `lag` bytes on from where they were: nothing but
/// unchanged text lies between the last of them and the group) and the
/// old ones in the group.
struct Prior<'p> {
    done: &'p [Placed],
    lag: isize,
    olds: &'p [Placed],
}

impl Prior<'_> {
    /// [`to_original`] over the applied list as it was, for a position at
    /// or after the group's start.
    fn to_original(&self, pos: usize, after: bool) -> usize {
        let mut k = self.olds.partition_point(|p| p.current().end <= pos);
        if !after {
            while k > 0 && self.olds[k - 1].current() == (pos..pos) {
                k -= 1;
            }
        }
        if let Some(p) = k.checked_sub(1).map(|i| &self.olds[i]) {
            return pos + p.range.end - p.current().end;
        }
        // Every edit done ends at or before the group starts; only those
        // at its end are read, and nothing but unchanged text lies between
        // them and the group, so they are `lag` bytes on from where they
        // were.
        let here = pos
            .checked_add_signed(self.lag)
            .expect("a place in the text");
        let mut k = self.done.len();
        if !after {
            while k > 0 && self.done[k - 1].current() == (here..here) {
                k -= 1;
            }
        }
        match k.checked_sub(1).map(|i| &self.done[i]) {
            None => pos,
            Some(p) => pos + p.range.end - (p.current().end as isize - self.lag) as usize,
        }
    }

    /// [`range_to_original`] over the applied list as it was, for a range
    /// of a new edit of the group: a replacement it starts or ends inside
    /// overlaps the group, so it is one of the group's old edits.
    fn range_to_original(&self, range: &Range<usize>) -> Range<usize> {
        let start = match inside(self.olds, range.start) {
            Some(p) => p.range.start,
            None => self.to_original(range.start, true),
        };
        let end = match inside(self.olds, range.end) {
            Some(p) => p.range.end,
            None if range.is_empty() => start,
            None => self.to_original(range.end, false),
        };
        start..end.max(start)
    }
}

/// Accumulates the edits of all stages over one input.
#[derive(Debug)]
pub struct Composer<'a> {
    current: Cow<'a, str>,
    applied: Vec<Placed>,
    reported: Vec<Edit>,
}

impl<'a> Composer<'a> {
    /// Starts with no edits over `original`; an owned one is rewritten in
    /// place, a borrowed one copied when first changed.
    pub fn new(original: impl Into<Cow<'a, str>>) -> Composer<'a> {
        Composer {
            current: original.into(),
            applied: Vec::new(),
            reported: Vec::new(),
        }
    }

    /// The text after every stage absorbed so far.
    pub fn current(&self) -> &str {
        &self.current
    }

    /// Maps a position of the current text back to the original input.
    ///
    /// A position at the edge of a replacement that became empty is
    /// ambiguous; `after` picks the side past the replaced bytes.
    pub fn to_original(&self, pos: usize, after: bool) -> usize {
        to_original(&self.applied, pos, after)
    }

    /// Takes one stage's edits, in current-text coordinates, sorted by start,
    /// with the applied ones not overlapping each other.
    pub fn absorb(&mut self, mut edits: Vec<Edit>) {
        // The applied edits stay in the stage's list (most of a long
        // text's edits): only the reported ones are moved out.
        let mut reported = Vec::new();
        edits.retain_mut(|e| {
            if !e.applied {
                let stub = range_only(e);
                reported.push(std::mem::replace(e, stub));
            }
            e.applied
        });
        let applied = edits;
        for e in reported {
            let e = self.widen_reported(e);
            self.reported.push(e);
        }
        if applied.is_empty() {
            return;
        }
        self.merge(applied);
    }

    /// Maps a reported (not applied) edit back to the original input.
    ///
    /// When it starts or ends inside an earlier replacement its range
    /// widens to cover that replacement's original bytes, so `before` is
    /// the input over the widened range (the current text there with the
    /// earlier replacements put back) and `after` carries the earlier
    /// replacement too: applying the edit to the input gives what
    /// the user would get. (Before this, `before` kept the current text and
    /// no longer matched the input bytes it claimed to replace.)
    fn widen_reported(&self, mut e: Edit) -> Edit {
        let cur: &str = &self.current;
        let cs = inside(&self.applied, e.range.start).map_or(e.range.start, |p| p.current().start);
        let ce = inside(&self.applied, e.range.end).map_or(e.range.end, |p| p.current().end);
        let range = range_to_original(&self.applied, &e.range);
        if let Some(after) = &e.after {
            let mut widened = String::with_capacity(after.len() + ce - cs);
            widened.push_str(&cur[cs..e.range.start]);
            widened.push_str(after);
            widened.push_str(&cur[e.range.end..ce]);
            e.after = Some(widened.into());
        }
        e.before = unapply(&cur[cs..ce], cs, covered(&self.applied, cs..ce));
        e.range = range;
        e
    }

    /// Applies `new` to the current text and folds it into the applied list.
    ///
    /// The text is rewritten in place: it is first moved right by the most
    /// the stage can grow it, then rebuilt left to right, so the write
    /// position never passes the read position. One buffer holds the text
    /// however many stages change it: the input itself when it was handed
    /// over, else one copy beside the borrowed input (a new buffer per stage
    /// would hold another copy at its peak).
    ///
    /// The applied list is rebuilt in place the same way: its edits move
    /// right by the number of new ones, and the merged list is written from
    /// the left, never past the next edit to read. A stage of a few edits
    /// over a long text of many thus costs no second list of them all
    /// (#20: that copy was a third of the memory of dense edits).
    fn merge(&mut self, new: Vec<Edit>) {
        let mut buf = std::mem::take(&mut self.applied);
        let n_old = buf.len();
        // The old edits sit at `o..`, the merged ones are written at `..w`.
        let o = new.len();
        buf.reserve_exact(o);
        buf.resize_with(n_old + o, Placed::vacant);
        buf.rotate_right(o);
        let mut w = 0;
        let grow: usize = new
            .iter()
            .map(|e| e.replacement().len().saturating_sub(e.range.len()))
            .sum();
        let mut next = Splice::new(std::mem::take(&mut self.current), grow);
        let mut copied = 0; // bytes of the current text copied to `next`
        let (mut i, mut j) = (0, 0);
        while i < n_old || j < new.len() {
            // Start a group with whichever item comes first in `cur`.
            let take_old = j >= new.len()
                || (i < n_old
                    && (buf[o + i].current().start, buf[o + i].current().end)
                        <= (new[j].range.start, new[j].range.end));
            let (mut gs, mut ge) = if take_old {
                (buf[o + i].current().start, buf[o + i].current().end)
            } else {
                (new[j].range.start, new[j].range.end)
            };
            let (oi, oj) = (i, j);
            if take_old {
                i += 1;
            } else {
                j += 1;
            }
            // Extend the group while the next item overlaps it.
            loop {
                if i < n_old && buf[o + i].current().start < ge && buf[o + i].current().end > gs {
                    ge = ge.max(buf[o + i].current().end);
                    i += 1;
                } else if j < new.len() && new[j].range.start < ge {
                    ge = ge.max(new[j].range.end);
                    gs = gs.min(new[j].range.start);
                    j += 1;
                } else {
                    break;
                }
            }
            // Written no further than the group's first old edit: every
            // group holds at least one edit.
            debug_assert!(w <= o + oi);
            // What the group replaces in the input, read before the group's
            // own writes reach its bytes.
            let grouped = i - oi != 1 || j != oj;
            let before = grouped.then(|| unapply(next.source(gs..ge), gs, &buf[o + oi..o + i]));
            next.copy(copied..gs);
            let at = next.written();
            if !grouped {
                // An earlier edit no new one touches moves over whole;
                // its place keeps the range later groups map through.
                next.copy(gs..ge);
                let old = std::mem::replace(&mut buf[o + oi], Placed::vacant());
                debug_assert_eq!(next.written() - at, old.current().len());
                buf[w] = Placed { at, ..old };
                w += 1;
                copied = ge;
                continue;
            }
            let (done, rest) = buf.split_at(w);
            let olds = &rest[o + oi - w..o + i - w];
            // The edits before the group, mapped as they were before it.
            let prior = Prior {
                done,
                lag: at as isize - gs as isize,
                olds,
            };
            let news = &new[oj..j];
            let before = before.expect("a group with a new edit");
            let edit = match (olds, news) {
                ([], [only]) => {
                    next.put(only.replacement());
                    let mut edit = only.moved(prior.range_to_original(&only.range));
                    if edit.before != before {
                        edit.before = before;
                    }
                    edit
                }
                _ => {
                    let mut pos = gs;
                    for n in news {
                        next.copy(pos..n.range.start);
                        next.put(n.replacement());
                        pos = n.range.end;
                    }
                    next.copy(pos..ge);
                    let start = olds
                        .iter()
                        .map(|p| p.range.start)
                        .chain(news.iter().map(|n| prior.range_to_original(&n.range).start))
                        .min()
                        .unwrap_or(0);
                    let end = olds
                        .iter()
                        .map(|p| p.range.end)
                        .chain(news.iter().map(|n| prior.range_to_original(&n.range).end))
                        .max()
                        .unwrap_or(start);
                    let last = news.last().expect("a merged group holds a new edit");
                    let mut also: Vec<_> = olds
                        .iter()
                        .flat_map(|p| p.change.also.iter().chain([&p.change.rule]))
                        .chain(news[..news.len() - 1].iter().map(|n| &n.rule))
                        .cloned()
                        .collect();
                    also.dedup();
                    let change = Change {
                        rule: last.rule.clone(),
                        also,
                        level: last.level,
                        before,
                        after: Some(next.text_since(at).into()),
                        why: last.why.clone(),
                    };
                    let mut edit = Edit::at(change, start..end);
                    edit.applied = true;
                    edit
                }
            };
            debug_assert_eq!(next.written() - at, edit.replacement().len());
            buf[w] = Placed::new(edit, at);
            w += 1;
            copied = ge;
        }
        let end = next.source_len();
        next.copy(copied..end);
        buf.truncate(w);
        self.applied = buf;
        self.current = Cow::Owned(next.finish());
    }

    /// Ends the composition: the output text and every edit, applied or
    /// not, sorted by position in the input.
    pub fn finish(self) -> (Cow<'a, str>, Vec<Edit>) {
        let mut edits: Vec<Edit> = self.applied.into_iter().map(Placed::into_edit).collect();
        edits.extend(self.reported);
        edits.sort_by(|a, b| {
            (a.range.start, a.range.end, !a.applied, &a.rule, &a.after).cmp(&(
                b.range.start,
                b.range.end,
                !b.applied,
                &b.rule,
                &b.after,
            ))
        });
        // A pass that runs twice (unicode, spacing), or again in the next
        // round, reports an unapplied finding twice: keep one.
        edits.dedup_by(|a, b| {
            !a.applied && !b.applied && a.rule == b.rule && a.range == b.range && a.after == b.after
        });
        (self.current, edits)
    }
}

/// A text rebuilt in its own buffer: the source sits at the right end,
/// `grow` bytes in, and is read left to right while the result is written
/// from the left. A stage grows the text by at most `grow` bytes up to any
/// point, so writing never overtakes reading.
struct Splice {
    buf: Vec<u8>,
    /// Where the source starts in `buf`.
    off: usize,
    /// Length of the source.
    source_len: usize,
    /// Bytes written.
    written: usize,
}

impl Splice {
    fn new(source: Cow<'_, str>, grow: usize) -> Splice {
        let len = source.len();
        let buf = match source {
            Cow::Owned(s) => {
                let mut buf = s.into_bytes();
                // Exactly: `resize` alone may double a 100 MB buffer.
                buf.reserve_exact(grow);
                buf.resize(len + grow, 0);
                buf.copy_within(0..len, grow);
                buf
            }
            Cow::Borrowed(s) => {
                let mut buf = Vec::with_capacity(len + grow);
                buf.resize(grow, 0);
                buf.extend_from_slice(s.as_bytes());
                buf
            }
        };
        Splice {
            buf,
            off: grow,
            source_len: len,
            written: 0,
        }
    }

    /// Length of the source text.
    fn source_len(&self) -> usize {
        self.source_len
    }

    /// Bytes written so far.
    fn written(&self) -> usize {
        self.written
    }

    /// Appends `range` of the source.
    fn copy(&mut self, range: Range<usize>) {
        let n = range.len();
        assert!(
            self.written <= self.off + range.start,
            "write overtakes read"
        );
        self.buf
            .copy_within(self.off + range.start..self.off + range.end, self.written);
        self.written += n;
    }

    /// The source text over `range`, while nothing has been written there.
    fn source(&self, range: Range<usize>) -> &str {
        assert!(self.written <= self.off + range.start, "source overwritten");
        std::str::from_utf8(&self.buf[self.off + range.start..self.off + range.end])
            .expect("whole characters are read")
    }

    /// Appends `s`.
    fn put(&mut self, s: &str) {
        let end = self.written + s.len();
        self.buf[self.written..end].copy_from_slice(s.as_bytes());
        self.written = end;
    }

    /// The text written since `at`.
    fn text_since(&self, at: usize) -> String {
        String::from_utf8(self.buf[at..self.written].to_vec())
            .expect("whole characters are written")
    }

    /// The result.
    fn finish(mut self) -> String {
        self.buf.truncate(self.written);
        String::from_utf8(self.buf).expect("whole characters are written")
    }
}

/// Maps a current-text position to the original through `applied`.
fn to_original(applied: &[Placed], pos: usize, after: bool) -> usize {
    let mut k = applied.partition_point(|p| p.current().end <= pos);
    if !after {
        while k > 0 && applied[k - 1].current() == (pos..pos) {
            k -= 1;
        }
    }
    match k.checked_sub(1).map(|i| &applied[i]) {
        None => pos,
        Some(p) => pos + p.range.end - p.current().end,
    }
}

/// The applied edits that a current-text range covers, as mapping it to
/// the input does: those whose replacements lie inside it, but not a
/// deletion at either end (the mapping puts the start after deleted input
/// bytes and the end before them). The range must not cut through a
/// replacement (callers widen it first): such an edit is left out, and
/// [`unapply`] would then miss the input bytes it replaced.
fn covered(applied: &[Placed], range: Range<usize>) -> &[Placed] {
    let from = applied.partition_point(|p| {
        p.current().start < range.start
            || (p.current().is_empty() && p.current().start == range.start)
    });
    let to = applied.partition_point(|p| {
        p.current().end < range.end || (p.current().end == range.end && !p.current().is_empty())
    });
    &applied[from..to.max(from)]
}

/// The input bytes behind `current`, the current text from `base` on:
/// the replacements of `covered` (which lie inside it) put back to what
/// they replaced.
fn unapply(current: &str, base: usize, covered: &[Placed]) -> CompactString {
    let mut out = CompactString::with_capacity(current.len());
    let mut pos = base;
    for p in covered {
        out.push_str(&current[pos - base..p.current().start - base]);
        out.push_str(&p.change.before);
        pos = p.current().end;
    }
    out.push_str(&current[pos - base..]);
    out
}

/// Returns the applied edit whose replacement strictly contains `pos`.
fn inside(applied: &[Placed], pos: usize) -> Option<&Placed> {
    let k = applied.partition_point(|p| p.current().end <= pos);
    applied
        .get(k)
        .filter(|p| p.current().start < pos && pos < p.current().end)
}

/// What a moved-out edit leaves behind: its range (all that mapping later
/// positions reads) and its change, shared, not copied.
fn range_only(e: &Edit) -> Edit {
    e.moved(e.range.clone())
}

/// Maps a current-text range to the original input, widening it to cover
/// any replacement it starts or ends inside.
fn range_to_original(applied: &[Placed], range: &Range<usize>) -> Range<usize> {
    let start = match inside(applied, range.start) {
        Some(p) => p.range.start,
        None => to_original(applied, range.start, true),
    };
    let end = match inside(applied, range.end) {
        Some(p) => p.range.end,
        None if range.is_empty() => start,
        None => to_original(applied, range.end, false),
    };
    start..end.max(start)
}

/// Applies the applied edits of `edits` (original coordinates, sorted, not
/// overlapping) to `original`. Used to check the composition invariant.
pub fn apply(original: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(original.len());
    let mut pos = 0;
    for e in edits.iter().filter(|e| e.applied) {
        out.push_str(&original[pos..e.range.start]);
        out.push_str(e.replacement());
        pos = e.range.end;
    }
    out.push_str(&original[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, range: Range<usize>, after: &str, rule: &str) -> Edit {
        Edit::applied_fix(rule, text, range, after)
    }

    /// The applied list holds an entry per applied edit: on dense text
    /// its size is most of the memory per edit.
    #[test]
    fn an_applied_entry_is_32_bytes() {
        assert_eq!(std::mem::size_of::<Placed>(), 32);
    }

    fn check(c: &Composer, original: &str) {
        let mut edits: Vec<Edit> = c
            .applied
            .iter()
            .map(|p| {
                let mut e = Edit::from_parts(p.change.clone(), p.range.clone());
                e.applied = true;
                e
            })
            .collect();
        edits.sort_by_key(|e| e.range.start);
        assert_eq!(apply(original, &edits), c.current());
        for p in &c.applied {
            assert_eq!(&original[p.range.clone()], p.change.before);
            assert_eq!(Some(&c.current()[p.current()]), p.change.after.as_deref());
        }
    }

    #[test]
    fn disjoint_stages_map_back() {
        let text = "aa bb cc dd";
        let mut c = Composer::new(text);
        c.absorb(vec![edit(text, 0..2, "x", "one")]);
        let cur = c.current().to_string();
        assert_eq!(cur, "x bb cc dd");
        c.absorb(vec![edit(&cur, 5..7, "yyy", "two")]);
        check(&c, text);
        let (out, edits) = c.finish();
        assert_eq!(out, "x bb yyy dd");
        assert_eq!(edits[1].range, 6..8);
        assert_eq!(edits[1].before, "cc");
    }

    #[test]
    fn overlapping_stages_merge_with_provenance() {
        let text = "glob\u{200b}al law";
        let mut c = Composer::new(text);
        c.absorb(vec![edit(text, 4..7, "", "zero-width")]);
        let cur = c.current().to_string();
        assert_eq!(cur, "global law");
        c.absorb(vec![edit(&cur, 0..10, "international law", "global-law")]);
        check(&c, text);
        let (out, edits) = c.finish();
        assert_eq!(out, "international law");
        assert_eq!(edits.len(), 1);
        assert_eq!(&*edits[0].rule, "global-law");
        assert_eq!(&*edits[0].also[0], "zero-width");
        assert_eq!(edits[0].range, 0..text.len());
    }

    /// A suggestion that ends inside an applied replacement used to keep
    /// the current text as `before` while its range named input bytes.
    #[test]
    fn reported_edit_inside_replacement_names_input_bytes() {
        let text = "lawn.disbursed the crowd";
        let mut c = Composer::new(text);
        c.absorb(vec![edit(text, 5..24, "dispersed the crowd", "disbursed")]);
        let cur = c.current().to_string();
        let mut s = edit(&cur, 0..14, "lawn… dispersed", "lost-ellipsis");
        s.applied = false;
        c.absorb(vec![s]);
        let (out, edits) = c.finish();
        assert_eq!(out, "lawn.dispersed the crowd");
        let s = edits.iter().find(|e| !e.applied).unwrap();
        assert_eq!(s.range, 0..24);
        assert_eq!(s.before, text);
        assert_eq!(s.after.as_deref(), Some("lawn… dispersed the crowd"));
    }

    #[test]
    fn edits_next_to_a_deletion_name_input_bytes() {
        let text = "xx YY zz ww";
        let mut c = Composer::new(text);
        c.absorb(vec![edit(text, 3..6, "", "del")]);
        let cur = c.current().to_string();
        assert_eq!(cur, "xx zz ww");
        // Reported edits starting and ending where the deletion was, and
        // an applied one starting there: none of them covers the deleted
        // bytes.
        let mut after = edit(&cur, 3..5, "ZZ", "after");
        after.applied = false;
        let mut before = edit(&cur, 0..3, "XX ", "before");
        before.applied = false;
        c.absorb(vec![before, after]);
        c.absorb(vec![edit(&cur, 3..8, "ZZ WW", "upper")]);
        check(&c, text);
        let (_, edits) = c.finish();
        for e in &edits {
            assert_eq!(&text[e.range.clone()], e.before, "{e:?}");
        }
        let want = [
            ("before", 0..3),
            ("del", 3..6),
            ("after", 6..8),
            ("upper", 6..11),
        ];
        let got: Vec<_> = edits.iter().map(|e| (&*e.rule, e.range.clone())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn insertion_after_deletion_keeps_order() {
        let text = "ab--cd";
        let mut c = Composer::new(text);
        c.absorb(vec![edit(text, 2..4, "", "del")]);
        let cur = c.current().to_string();
        c.absorb(vec![edit(&cur, 2..2, " ", "ins")]);
        check(&c, text);
        assert_eq!(c.current(), "ab cd");
    }
}
