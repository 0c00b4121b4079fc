//! Diff hunks from the edit list.
//!
//! The pipeline already knows what changed and where: the applied edits,
//! with ranges in the input. The diffs read them instead of searching for
//! a shortest edit script between the input and the output, so a diff
//! costs time linear in the input whatever changed (a search took minutes
//! on a file whose every line changed), and it shows each edit where it
//! was made: a removed repeated paragraph is shown as removed lines, not
//! as the paragraphs after it shifted up by one.

use std::ops::Range;

use crate::edit::Edit;

/// Lines of context around each change, as `diff -u` and git show.
pub const CONTEXT: usize = 3;

/// The lines of a text, each with its line break.
pub struct Lines<'a> {
    text: &'a str,
    /// The byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Splits `text` at its line feeds (a `\r` stays with its line).
    pub fn new(text: &'a str) -> Lines<'a> {
        let mut starts = Vec::new();
        if !text.is_empty() {
            starts.push(0);
            starts.extend(
                memchr::memchr_iter(b'\n', text.as_bytes())
                    .map(|i| i + 1)
                    .filter(|&i| i < text.len()),
            );
        }
        Lines { text, starts }
    }

    /// The number of lines (a last line without a line feed counts).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset where line `i` starts; the text's length for the
    /// line after the last.
    pub fn start(&self, i: usize) -> usize {
        self.starts.get(i).copied().unwrap_or(self.text.len())
    }

    /// Lines `range`, with their line breaks.
    pub fn slice(&self, range: Range<usize>) -> &'a str {
        &self.text[self.start(range.start)..self.start(range.end)]
    }

    /// The line holding byte `pos`; the line after the last for the end of
    /// a text that ends with a line feed.
    fn of(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos).saturating_sub(1)
            + usize::from(pos == self.text.len() && self.text.ends_with('\n'))
    }
}

/// A run of changed lines: the input's lines `old`, and the applied edits
/// that change them.
pub struct Change<'a> {
    /// The input lines replaced.
    pub old: Range<usize>,
    /// The applied edits inside those lines, in order.
    pub edits: Vec<&'a Edit>,
}

impl Change<'_> {
    /// The text that replaces the old lines.
    pub fn new_text(&self, lines: &Lines<'_>) -> String {
        let base = lines.start(self.old.start);
        let old = lines.slice(self.old.clone());
        let mut out = String::with_capacity(old.len());
        let mut at = 0;
        for e in &self.edits {
            out.push_str(&old[at..e.range.start - base]);
            out.push_str(e.replacement());
            at = e.range.end - base;
        }
        out.push_str(&old[at..]);
        out
    }
}

/// The lines at the start and at the end of `old` and `new` that are the
/// same, as byte lengths `(head, tail)` of each: an edit that starts at a
/// line's end or ends at a line's start leaves those lines as they were,
/// and a diff shows them as context.
pub fn shared_lines(old: &str, new: &str) -> ((usize, usize), (usize, usize)) {
    let (o, n): (Vec<&str>, Vec<&str>) = (
        old.split_inclusive('\n').collect(),
        new.split_inclusive('\n').collect(),
    );
    let head = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
    let tail = o[head..]
        .iter()
        .rev()
        .zip(n[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let bytes = |lines: &[&str]| lines.iter().map(|l| l.len()).sum::<usize>();
    (
        (bytes(&o[..head]), bytes(&o[o.len() - tail..])),
        (bytes(&n[..head]), bytes(&n[n.len() - tail..])),
    )
}

/// Changes close enough to share their context, and the input lines the
/// hunk shows (`old`, context included).
pub struct Hunk<'a> {
    /// The input lines shown, context included.
    pub old: Range<usize>,
    /// The changes, in order, each inside `old`.
    pub changes: Vec<Change<'a>>,
}

/// The hunks of the applied `edits` (ranges in `text`, in order), with
/// `context` lines around each change.
pub fn hunks<'a>(lines: &Lines<'_>, edits: &'a [Edit], context: usize) -> Vec<Hunk<'a>> {
    let mut changes: Vec<Change<'a>> = Vec::new();
    for e in edits.iter().filter(|e| e.applied) {
        let first = lines.of(e.range.start);
        let end = if e.range.is_empty() {
            (first + 1).min(lines.len())
        } else {
            lines.of(e.range.end - 1) + 1
        };
        match changes.last_mut() {
            Some(c) if first <= c.old.end => {
                c.old.end = c.old.end.max(end);
                c.edits.push(e);
            }
            _ => changes.push(Change {
                old: first..end,
                edits: vec![e],
            }),
        }
    }
    let mut hunks: Vec<Hunk<'a>> = Vec::new();
    for change in changes {
        let start = change.old.start.saturating_sub(context);
        let end = (change.old.end + context).min(lines.len());
        match hunks.last_mut() {
            Some(h) if start <= h.old.end => {
                h.old.end = end;
                h.changes.push(change);
            }
            _ => hunks.push(Hunk {
                old: start..end,
                changes: vec![change],
            }),
        }
    }
    hunks
}

/// The `-start,len +start,len` of each hunk's header, in order: the new
/// side's lines move by what the hunks before added or removed.
pub fn header_ranges(lines: &Lines<'_>, hunks: &[Hunk<'_>]) -> Vec<String> {
    let mut shift: isize = 0;
    hunks
        .iter()
        .map(|hunk| {
            let changed_old: usize = hunk.changes.iter().map(|c| c.old.len()).sum();
            let changed_new: usize = hunk
                .changes
                .iter()
                .map(|c| count_lines(&c.new_text(lines)))
                .sum();
            let old_len = hunk.old.len();
            let new_len = old_len - changed_old + changed_new;
            let new_start = hunk.old.start.saturating_add_signed(shift);
            shift += new_len as isize - old_len as isize;
            format!(
                "-{} +{}",
                header_range(hunk.old.start, old_len),
                header_range(new_start, new_len)
            )
        })
        .collect()
}

/// `start,len` of a hunk's range in unified-diff convention (1-based; an
/// empty range names the line before it; `,1` left out).
fn header_range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        n => format!("{},{n}", start + 1),
    }
}

/// The number of lines of `text`, a last line without a line feed
/// included.
fn count_lines(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count()
        + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, range: Range<usize>, after: &str) -> Edit {
        Edit::applied_fix("r", text, range, after)
    }

    #[test]
    fn lines_and_their_places() {
        let l = Lines::new("a\nb\n");
        assert_eq!((l.len(), l.of(0), l.of(2), l.of(4)), (2, 0, 1, 2));
        let l = Lines::new("a\nb");
        assert_eq!((l.len(), l.of(3)), (2, 1));
        assert_eq!(Lines::new("").len(), 0);
    }

    #[test]
    fn nearby_changes_share_a_hunk_and_far_ones_do_not() {
        let text: String = (0..20).map(|i| format!("line {i}\n")).collect();
        let at = |n: usize| text.find(&format!("line {n}\n")).unwrap();
        let edits = vec![
            edit(&text, at(2)..at(2) + 4, "LINE"),
            edit(&text, at(7)..at(7) + 4, "LINE"),
            edit(&text, at(16)..at(16) + 4, "LINE"),
        ];
        let lines = Lines::new(&text);
        let h = hunks(&lines, &edits, CONTEXT);
        let shown: Vec<_> = h.iter().map(|h| h.old.clone()).collect();
        assert_eq!(shown, [0..11, 13..20]);
        assert_eq!(h[0].changes.len(), 2);
        assert_eq!(h[1].changes[0].new_text(&lines), "LINE 16\n");
    }

    #[test]
    fn an_edit_across_lines_changes_each_of_them() {
        let text = "a\nglobal\nlaw\nb\n";
        let edits = vec![edit(text, 2..12, "international law")];
        let lines = Lines::new(text);
        let h = hunks(&lines, &edits, 0);
        assert_eq!(h[0].changes[0].old, 1..3);
        assert_eq!(h[0].changes[0].new_text(&lines), "international law\n");
    }

    #[test]
    fn shared_lines_at_either_end_are_found() {
        assert_eq!(shared_lines("a\nb\nc", "a\nB\nc"), ((2, 1), (2, 1)));
        assert_eq!(shared_lines("H\n\nH\n\nH", "H"), ((0, 1), (0, 1)));
        assert_eq!(shared_lines("x\n", "x\n"), ((2, 0), (2, 0)));
    }

    #[test]
    fn unapplied_edits_are_not_changes() {
        let text = "a\n";
        let mut e = edit(text, 0..1, "b");
        e.applied = false;
        assert!(hunks(&Lines::new(text), &[e], CONTEXT).is_empty());
    }
}
