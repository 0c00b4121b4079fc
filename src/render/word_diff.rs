//! A word-level diff for reading prose changes (`clean --diff=word`).
//!
//! A unified diff of a prose paragraph shows the whole paragraph twice for a
//! one-word repair; a word diff shows it once with the change marked in
//! place. Hunks are found line by line (three lines of context, as in the
//! unified diff), then each changed run of lines is diffed word by word.
//! Without colour the marks are git's `--word-diff=plain` ones,
//! `[-old-]{+new+}`; with colour, as `--word-diff=color`, deletions are red
//! and insertions green, without brackets.

use std::time::Duration;

use anstyle::{AnsiColor, Style};
use similar::{ChangeTag, TextDiff};

use crate::passes::is_word_char;

/// Returns the word diff from `old` to `new` for `path`, or an empty string
/// when they are equal.
pub fn word_diff(path: &str, old: &str, new: &str, color: bool) -> String {
    if old == new {
        return String::new();
    }
    let paint = Paint::new(color);
    let path = path.trim_start_matches("./");
    let mut out = String::new();
    let bold = paint.header;
    out.push_str(&format!(
        "{bold}diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}{bold:#}\n"
    ));
    let lines = TextDiff::configure()
        .timeout(Duration::from_secs(2))
        .diff_lines(old, new);
    let (old_lines, new_lines) = (lines.old_slices(), lines.new_slices());
    for group in lines.grouped_ops(3) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let o = first.old_range().start..last.old_range().end;
        let n = first.new_range().start..last.new_range().end;
        let hunk = paint.hunk;
        out.push_str(&format!(
            "{hunk}@@ -{} +{} @@{hunk:#}\n",
            hunk_range(&o),
            hunk_range(&n)
        ));
        for op in &group {
            if op.tag() == similar::DiffTag::Equal {
                for line in &old_lines[op.old_range()] {
                    out.push_str(line);
                }
            } else {
                let before = old_lines[op.old_range()].concat();
                let after = new_lines[op.new_range()].concat();
                words(&mut out, &before, &after, &paint);
            }
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    out
}

/// `start,len` of a hunk in unified-diff convention (1-based; an empty
/// range names the line before it).
fn hunk_range(r: &std::ops::Range<usize>) -> String {
    match r.len() {
        0 => format!("{},0", r.start),
        1 => format!("{}", r.start + 1),
        n => format!("{},{n}", r.start + 1),
    }
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
    fn mark(&self, out: &mut String, text: &str, inserted: bool) {
        let (style, open, close) = match (inserted, self.color) {
            (false, false) => (self.del, "[-", "-]"),
            (true, false) => (self.ins, "{+", "+}"),
            (false, true) => (self.del, "", ""),
            (true, true) => (self.ins, "", ""),
        };
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            if !part.is_empty() {
                out.push_str(&format!("{style}{open}{part}{close}{style:#}"));
            }
        }
    }
}

/// Appends the word diff of one changed run of lines.
fn words(out: &mut String, before: &str, after: &str, paint: &Paint) {
    let (old, new) = (tokens(before), tokens(after));
    let diff = TextDiff::configure()
        .timeout(Duration::from_secs(2))
        .diff_slices(&old, &new);
    let items: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    // Runs of changes, split at unchanged tokens; a lone unchanged space
    // between two changes joins them (`[-Russian Federation-]`, not
    // `[-Russian-] [-Federation-]`).
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
                    flush(out, &mut del, &mut ins, paint);
                    out.push_str(value);
                }
            }
        }
    }
    flush(out, &mut del, &mut ins, paint);
}

/// Writes one run of changes: the tokens both sides share at its edges
/// plain, the rest marked.
fn flush(out: &mut String, del: &mut Vec<&str>, ins: &mut Vec<&str>, paint: &Paint) {
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
    out.push_str(&del[..head].concat());
    let d = del[head..del.len() - tail].concat();
    let i = ins[head..ins.len() - tail].concat();
    if !d.is_empty() {
        paint.mark(out, &d, false);
    }
    if !i.is_empty() {
        paint.mark(out, &i, true);
    }
    out.push_str(&del[del.len() - tail..].concat());
    del.clear();
    ins.clear();
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

    #[test]
    fn marks_words_in_place() {
        let old = "One\n\nThe strike violated global law in Russian Federation.\n";
        let d = word_diff(
            "a",
            "from Russian Federation will",
            "from Russia will",
            false,
        );
        assert!(
            d.ends_with("\nfrom [-Russian Federation-]{+Russia+} will\n"),
            "{d}"
        );
        let new = "One\n\nThe strike violated international law in Russia.\n";
        let d = word_diff("a.txt", old, new, false);
        assert_eq!(
            d,
            "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\nOne\n\n\
             The strike violated [-global-]{+international+} law in [-Russian Federation-]{+Russia+}.\n"
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
        let d = word_diff("a", "Head\n\nHead\n\nBody", "Head\n\nBody!", false);
        assert!(d.contains("[-Head-]\n"), "{d}");
        assert!(d.ends_with("\nBody{+!+}\n"), "{d}");
    }

    #[test]
    fn colour_replaces_brackets() {
        let d = word_diff("a", "global law\n", "international law\n", true);
        assert!(d.contains("\u{1b}[31mglobal\u{1b}[0m"), "{d:?}");
        assert!(d.contains("\u{1b}[32minternational\u{1b}[0m law"), "{d:?}");
        assert!(!d.contains("[-"), "{d:?}");
        assert_eq!(word_diff("a", "same", "same", true), "");
    }
}
