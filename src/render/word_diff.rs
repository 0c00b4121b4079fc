//! A word-level diff for reading prose changes (`clean --diff=word`).
//!
//! A unified diff of a prose paragraph shows the whole paragraph twice for a
//! one-word repair; a word diff shows it once with each edit marked in
//! place. Hunks come from the edit list (three lines of context, as in the
//! unified diff), and each edit is marked where it was made, its before and
//! after compared token by token so that only the words that differ are
//! marked (`violated [-global-]{+international+} law`).
//! Without colour the marks are git's `--word-diff=plain` ones,
//! `[-old-]{+new+}`; with colour, as `--word-diff=color`, deletions are red
//! and insertions green, without brackets.

use std::io;
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use similar::{ChangeTag, TextDiff};

use super::hunks::{header_ranges, hunks, Change, Lines, CONTEXT};
use crate::edit::Edit;
use crate::passes::is_word_char;

/// How long the token diff of one edit may search: edits are a phrase or
/// a paragraph, so this is a bound, not a cost.
const EDIT_DEADLINE: Duration = Duration::from_millis(200);

/// Returns the word diff that the applied `edits` (ranges in `text`, in
/// order) make to `text`, for `path`, or an empty string when none is
/// applied: [`write_word_diff`] into a string, for the tests.
#[cfg(test)]
pub fn word_diff(path: &str, text: &str, edits: &[Edit], color: bool) -> String {
    let mut out = Vec::new();
    write_word_diff(&mut out, path, text, edits, color).expect("a Vec takes every write");
    String::from_utf8(out).expect("whole lines of the texts are written")
}

/// Writes the word diff that the applied `edits` (ranges in `text`, in
/// order) make to `text`, for `path`, to `out` as it is made, never
/// holding a hunk whole; nothing when none is applied.
pub fn write_word_diff(
    out: &mut impl io::Write,
    path: &str,
    text: &str,
    edits: &[Edit],
    color: bool,
) -> io::Result<()> {
    let lines = Lines::new(text);
    let hunks = hunks(&lines, edits, CONTEXT);
    if hunks.is_empty() {
        return Ok(());
    }
    let paint = Paint::new(color);
    let path = path.trim_start_matches("./");
    let bold = paint.header;
    write!(
        out,
        "{bold}diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}{bold:#}\n"
    )?;
    let mut out = Sink {
        out,
        line_ended: true,
    };
    for (hunk, ranges) in hunks.iter().zip(header_ranges(&lines, &hunks)) {
        let style = paint.hunk;
        out.push(&format!("{style}@@ {ranges} @@{style:#}\n"))?;
        let mut at = hunk.old.start;
        for change in &hunk.changes {
            out.push(lines.slice(at..change.old.start))?;
            marked(&mut out, &lines, change, &paint)?;
            out.end_line()?;
            at = change.old.end;
        }
        out.push(lines.slice(at..hunk.old.end))?;
        out.end_line()?;
    }
    Ok(())
}

/// Where a word diff is written, piece by piece as it is made, so a hunk
/// on a long line is never held whole.
struct Sink<'w, W: io::Write> {
    out: &'w mut W,
    /// Whether the last byte written was a line feed.
    line_ended: bool,
}

impl<W: io::Write> Sink<'_, W> {
    fn push(&mut self, text: &str) -> io::Result<()> {
        if let Some(last) = text.as_bytes().last() {
            self.line_ended = *last == b'\n';
            self.out.write_all(text.as_bytes())?;
        }
        Ok(())
    }

    /// Ends the line written last, unless it has ended.
    fn end_line(&mut self) -> io::Result<()> {
        if self.line_ended {
            Ok(())
        } else {
            self.push("\n")
        }
    }
}

/// Appends a change's lines with each edit marked in place. Edits with only
/// whitespace between them are marked as one (`[-Russian Federation-]`,
/// not `[-Russian-] [-Federation-]`).
fn marked<W: io::Write>(
    out: &mut Sink<'_, W>,
    lines: &Lines<'_>,
    change: &Change<'_>,
    paint: &Paint,
) -> io::Result<()> {
    let base = lines.start(change.old.start);
    let old = lines.slice(change.old.clone());
    let mut at = 0;
    let mut edits = change.edits.iter().peekable();
    while let Some(first) = edits.next() {
        let start = first.range.start - base;
        let mut end = first.range.end - base;
        let mut after = first.replacement().to_string();
        while let Some(next) = edits.peek() {
            let gap = &old[end..next.range.start - base];
            if !gap.trim().is_empty() {
                break;
            }
            after.push_str(gap);
            after.push_str(next.replacement());
            end = next.range.end - base;
            edits.next();
        }
        out.push(&old[at..start])?;
        words(out, &old[start..end], &after, paint)?;
        at = end;
    }
    out.push(&old[at..])
}

/// Styles, or brackets when colour is off.
struct Paint {
    color: bool,
    header: Style,
    hunk: Style,
    del: Style,
    ins: Style,
}

impl Paint {
    fn new(color: bool) -> Paint {
        let pick = |s: Style| if color { s } else { Style::new() };
        Paint {
            color,
            header: pick(Style::new().bold()),
            hunk: pick(AnsiColor::Cyan.on_default()),
            del: pick(AnsiColor::Red.on_default()),
            ins: pick(AnsiColor::Green.on_default()),
        }
    }

    /// Appends `text` marked as deleted or inserted, closing the mark at
    /// each line break so every line reads on its own.
    fn mark<W: io::Write>(
        &self,
        out: &mut Sink<'_, W>,
        text: &str,
        inserted: bool,
    ) -> io::Result<()> {
        let (style, open, close) = match (inserted, self.color) {
            (false, false) => (self.del, "[-", "-]"),
            (true, false) => (self.ins, "{+", "+}"),
            (false, true) => (self.del, "", ""),
            (true, true) => (self.ins, "", ""),
        };
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                out.push("\n")?;
            }
            if !part.is_empty() {
                out.push(&format!("{style}{open}{part}{close}{style:#}"))?;
            }
        }
        Ok(())
    }
}

/// Appends one edit, diffed token by token: unchanged tokens plain, the
/// rest marked. A lone unchanged space between two changes joins them.
fn words<W: io::Write>(
    out: &mut Sink<'_, W>,
    before: &str,
    after: &str,
    paint: &Paint,
) -> io::Result<()> {
    let (old, new) = (tokens(before), tokens(after));
    let diff = TextDiff::configure()
        .timeout(EDIT_DEADLINE)
        .diff_slices(&old, &new);
    let items: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    let mut del: Vec<&str> = Vec::new();
    let mut ins: Vec<&str> = Vec::new();
    for (i, &(tag, value)) in items.iter().enumerate() {
        match tag {
            ChangeTag::Delete => del.push(value),
            ChangeTag::Insert => ins.push(value),
            ChangeTag::Equal => {
                let joins = value.trim().is_empty()
                    && i > 0
                    && items[i - 1].0 != ChangeTag::Equal
                    && items.get(i + 1).is_some_and(|n| n.0 != ChangeTag::Equal);
                if joins {
                    del.push(value);
                    ins.push(value);
                } else {
                    flush(out, &mut del, &mut ins, paint)?;
                    out.push(value)?;
                }
            }
        }
    }
    flush(out, &mut del, &mut ins, paint)
}

/// Writes one run of changes: the tokens both sides share at its edges
/// plain, the rest marked.
fn flush<W: io::Write>(
    out: &mut Sink<'_, W>,
    del: &mut Vec<&str>,
    ins: &mut Vec<&str>,
    paint: &Paint,
) -> io::Result<()> {
    let head = del
        .iter()
        .zip(ins.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let tail = del[head..]
        .iter()
        .rev()
        .zip(ins[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    out.push(&del[..head].concat())?;
    let d = del[head..del.len() - tail].concat();
    let i = ins[head..ins.len() - tail].concat();
    if !d.is_empty() {
        paint.mark(out, &d, false)?;
    }
    if !i.is_empty() {
        paint.mark(out, &i, true)?;
    }
    out.push(&del[del.len() - tail..].concat())?;
    del.clear();
    ins.clear();
    Ok(())
}

/// Splits prose into words (runs of letters, digits and marks), runs of
/// whitespace, and single punctuation characters, so `Federation.` differs
/// from `Russia.` by the word alone.
fn tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq)]
    enum Class {
        Word,
        Space,
        Other,
    }
    let class = |c: char| {
        if is_word_char(c) {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<Class> = None;
    for (i, c) in text.char_indices() {
        let k = class(c);
        if let Some(p) = &prev {
            if *p != k || k == Class::Other {
                out.push(&text[start..i]);
                start = i;
            }
        }
        prev = Some(k);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edits(text: &str, changes: &[(&str, &str)]) -> Vec<Edit> {
        Edit::applied_fixes(text, changes)
    }

    #[test]
    fn marks_words_in_place() {
        let text = "One\n\nThe strike violated global law in Russian Federation.\n";
        let changes = [
            ("global law", "international law"),
            ("Russian Federation", "Russia"),
        ];
        let d = word_diff("a.txt", text, &edits(text, &changes), false);
        assert_eq!(
            d,
            "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\nOne\n\n\
             The strike violated [-global-]{+international+} law in [-Russian Federation-]{+Russia+}.\n"
        );
    }

    #[test]
    fn edits_a_space_apart_are_marked_as_one() {
        let text = "from Russian Federation will\n";
        let d = word_diff(
            "a",
            text,
            &edits(text, &[("Russian", "R"), ("Federation", "F")]),
            false,
        );
        assert!(
            d.ends_with("\nfrom [-Russian Federation-]{+R F+} will\n"),
            "{d}"
        );
    }

    #[test]
    fn tokens_split_words_spaces_and_punctuation() {
        assert_eq!(
            tokens("Hi,  it's é1!\n"),
            ["Hi", ",", "  ", "it", "'", "s", " ", "é1", "!", "\n"]
        );
    }

    #[test]
    fn deleted_lines_and_missing_newline() {
        let text = "Head\n\nHead\n\nBody";
        let mut e = edits(text, &[("Head\n\nBody", ""), ("Body", "Body!")]);
        // The repeated paragraph's removal, then the last word's repair.
        e[0].range = 6..12;
        e[1].range = 12..16;
        let d = word_diff("a", text, &e, false);
        assert_eq!(
            d,
            "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1,5 +1,3 @@\nHead\n\n[-Head-]\n\n\
             Body{+!+}\n"
        );
    }

    #[test]
    fn colour_replaces_brackets() {
        let text = "global law\n";
        let d = word_diff(
            "a",
            text,
            &edits(text, &[("global law", "international law")]),
            true,
        );
        assert!(d.contains("\u{1b}[31mglobal\u{1b}[0m"), "{d:?}");
        assert!(d.contains("\u{1b}[32minternational\u{1b}[0m law"), "{d:?}");
        assert!(!d.contains("[-"), "{d:?}");
        assert_eq!(word_diff("a", text, &[], true), "");
    }
}
