//! The default `copydesk check` output: each finding as a source snippet
//! with carets under the matched text, as rustc and ruff show diagnostics,
//! then a summary with a hint about withheld suggestions (after ruff's
//! printer).
//!
//! ```text
//! fix[global-law]: Spinners swap "international" for "global".
//!  --> article.txt:5:36
//!   |
//! 5 | The envoy said the strike violated global law.
//!   |                                    ^^^^^^^^^^ international law
//! ```
//!
//! Snippets are cut to the lines an edit touches before they reach
//! `annotate-snippets`, so a long file costs no more than a short one, and
//! long prose lines are trimmed around the match to the terminal width. On
//! a long line, a snippet gets only a window of it around the match (see
//! [`Windows`]), so a line with many edits costs time linear in its length.

use std::io::{self, Write};

use std::borrow::Cow;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level as Severity, Renderer, Snippet};
use anstyle::{AnsiColor, Style};

use crate::edit::{positions, Edit, Level, Position};
use crate::render::visible;

/// The style annotate-snippets gives line numbers and the gutter.
const GUTTER: Style = AnsiColor::BrightBlue.on_default().bold();

/// Columns a snippet's window keeps beyond the terminal width on each
/// side of an edit: annotate-snippets never shows more than the width
/// around the span, and trims a window this wide exactly as the whole line.
const WINDOW_SLACK: usize = 64;

/// How far back a window looks for its columns before it stops: a run of
/// zero-width characters (combining marks) has no columns to count.
const WINDOW_MAX_BYTES: usize = 64 * 1024;

/// Counts over every file, for the closing summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files with at least one finding.
    pub files: usize,
    /// Every finding.
    pub findings: usize,
    /// Findings `copydesk clean` applies as it is.
    pub fixable: usize,
    /// Suggestions it applies only with `--apply-suggestions`.
    pub withheld: usize,
    /// Findings that are never applied (flags).
    pub flags: usize,
    /// Fixes not applied because they overlap an earlier edit.
    pub overlapping: usize,
}

impl Summary {
    /// Adds one file's edits.
    pub fn add(&mut self, edits: &[Edit]) {
        if edits.is_empty() {
            return;
        }
        self.files += 1;
        self.findings += edits.len();
        for e in edits {
            if e.applied {
                self.fixable += 1;
            } else if e.level == Level::Suggest && e.after.is_some() {
                self.withheld += 1;
            } else if e.level == Level::Flag {
                self.flags += 1;
            } else {
                self.overlapping += 1;
            }
        }
    }
}

/// Renders findings as annotated snippets.
#[derive(Debug)]
pub struct HumanRenderer {
    renderer: Renderer,
    color: bool,
    width: usize,
}

impl HumanRenderer {
    /// Creates a renderer; `color` turns ANSI styling on, `width` is the
    /// widest line to print (long lines are cut around the match).
    pub fn new(color: bool, width: usize) -> HumanRenderer {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        HumanRenderer {
            renderer: renderer.term_width(width),
            color,
            width,
        }
    }

    /// Writes every edit of one file, each followed by a blank line.
    ///
    /// Each snippet gets only a window of its line (see [`Windows`]) and
    /// the `-->` location is written here, from positions counted once
    /// over the file, so a long line with many edits is read a bounded
    /// number of times per edit, not once per edit.
    pub fn write_file(
        &self,
        out: &mut dyn Write,
        path: &str,
        text: &str,
        edits: &[Edit],
    ) -> io::Result<()> {
        let starts = positions(text, edits);
        let mut windows = Windows::new(text, self.width + WINDOW_SLACK);
        for (e, start) in edits.iter().zip(starts) {
            let (source, offset) = windows.around(&e.range);
            let snippet = self.snippet(e, &source, offset, start.line, None);
            let rendered = self.renderer.render(&[snippet]);
            self.write_with_location(out, &rendered, path, start)?;
            out.write_all(b"\n\n")?;
        }
        Ok(())
    }

    /// The annotated snippet of one edit whose source (a window of the
    /// text starting at byte `offset`) starts on line `line`.
    fn snippet<'a>(
        &self,
        e: &'a Edit,
        source: &'a str,
        offset: usize,
        line: usize,
        path: Option<&'a str>,
    ) -> Group<'a> {
        // The span may end past the source when the edit ends with its
        // line break.
        let span =
            (e.range.start - offset).min(source.len())..(e.range.end - offset).min(source.len());
        let severity = match e.level {
            Level::Fix => Severity::WARNING.with_name("fix"),
            Level::Suggest => Severity::HELP.with_name("suggest"),
            Level::Flag => Severity::NOTE.with_name("flag"),
        };
        let title = if e.why.is_empty() {
            headline(e)
        } else {
            e.why.to_string()
        };
        let label = match &e.after {
            Some(a) if a.is_empty() => "delete".to_string(),
            Some(a) => visible(a).into_owned(),
            None => "needs an editor".to_string(),
        };
        let mut group = severity.primary_title(title).id(&*e.rule).element(
            Snippet::source(source)
                .line_start(line)
                .path(path)
                .fold(false)
                .annotation(AnnotationKind::Primary.span(span).label(label)),
        );
        let mut notes = Vec::new();
        if !e.also.is_empty() {
            let also: Vec<&str> = e.also.iter().map(|a| &**a).collect();
            notes.push(format!("includes the edit of {}", also.join(", ")));
        }
        match e.level {
            Level::Fix if !e.applied => {
                notes.push("not applied: it overlaps an earlier edit".into())
            }
            Level::Suggest if !e.applied => {
                notes.push("applied only with `--apply-suggestions`".into())
            }
            _ => {}
        }
        for n in notes {
            group = group.element(Severity::NOTE.message(n));
        }
        group
    }

    /// Writes a snippet rendered without a path, with the ` --> path:line:col`
    /// line annotate-snippets would have put before its first gutter line.
    /// The crate would take the column from the window, not the line, and
    /// its [`Origin`](annotate_snippets::Origin) element adds a `:::` line,
    /// so the location is written here, as the crate writes it.
    fn write_with_location(
        &self,
        out: &mut dyn Write,
        rendered: &str,
        path: &str,
        start: Position,
    ) -> io::Result<()> {
        let gutter = self.style(GUTTER);
        let bar = format!("{gutter}|{gutter:#}");
        // The first gutter line after the title: it is indented one past
        // the width of the snippet's line numbers, the location line to it.
        let mut at = 0;
        let mut indent = 0;
        for line in rendered.split_inclusive('\n') {
            let body = line.strip_suffix('\n').unwrap_or(line);
            let bare = body.trim_start_matches(' ');
            if at > 0 && bare == bar {
                indent = (body.len() - bare.len()).saturating_sub(1);
                break;
            }
            at += line.len();
        }
        out.write_all(&rendered.as_bytes()[..at])?;
        writeln!(
            out,
            "{:indent$}{gutter}--> {gutter:#}{path}:{}:{}",
            "", start.line, start.column
        )?;
        out.write_all(&rendered.as_bytes()[at..])
    }

    /// Writes the closing summary (nothing when there were no findings).
    pub fn write_summary(&self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        if s.findings == 0 {
            return Ok(());
        }
        let bold = self.style(Style::new().bold());
        let green = self.style(AnsiColor::Green.on_default().bold());
        let found = format!(
            "Found {} in {}",
            plural(s.findings, "finding"),
            plural(s.files, "file")
        );
        let mut parts = Vec::new();
        if s.fixable > 0 {
            parts.push(plural(s.fixable, "fix"));
        }
        if s.withheld > 0 {
            parts.push(plural(s.withheld, "suggestion"));
        }
        if s.flags > 0 {
            parts.push(plural(s.flags, "flag"));
        }
        if s.overlapping > 0 {
            parts.push(format!("{} overlapping", s.overlapping));
        }
        writeln!(out, "{bold}{found}{bold:#} ({}).", parts.join(", "))?;
        let hint = match (s.fixable, s.withheld) {
            (0, 0) => None,
            (f, 0) => Some(format!(
                "{green}[*]{green:#} {f} fixable with `copydesk clean --write`."
            )),
            (0, w) => Some(format!(
                "No fixes available ({} withheld: apply with `copydesk clean --write --apply-suggestions`).",
                plural(w, "suggestion")
            )),
            (f, w) => Some(format!(
                "{green}[*]{green:#} {f} fixable with `copydesk clean --write` ({} withheld: add `--apply-suggestions` to apply {}).",
                plural(w, "suggestion"),
                if w == 1 { "it" } else { "them" }
            )),
        };
        if let Some(h) = hint {
            writeln!(out, "{h}")?;
        }
        if s.flags > 0 {
            writeln!(
                out,
                "{} never applied: {} a person's judgement.",
                plural(s.flags, "flag"),
                if s.flags == 1 {
                    "it needs"
                } else {
                    "they need"
                }
            )?;
        }
        Ok(())
    }

    fn style(&self, style: Style) -> Style {
        if self.color {
            style
        } else {
            Style::new()
        }
    }
}

/// `before → after` for a title when the rule gives no reason.
fn headline(e: &Edit) -> String {
    match &e.after {
        Some(a) => format!("{} → {}", visible(&e.before), visible(a)),
        None => visible(&e.before).into_owned(),
    }
}

/// `1 finding`, `2 findings`, `2 fixes`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else if word.ends_with('x') {
        format!("{n} {word}es")
    } else {
        format!("{n} {word}s")
    }
}

/// Cuts each edit's snippet source from the text: the whole lines the
/// edit touches, or, for an edit on one long line, a window of `reach`
/// columns either side of it.
///
/// annotate-snippets trims a long line to the terminal width around the
/// span (after rustc's `Margin`), from the span, the label and the line's
/// leading whitespace. A window that starts at a non-blank character at
/// least `reach` columns before the span, or inside the leading blanks at
/// least `reach` columns before where they end, and ends `reach` columns
/// after the span, moves all of those by the same amount, so the crate
/// shows the same columns of it, with the same `...`. Edits come in order
/// of their starts, so line starts, line ends and blank runs are found
/// once each, carried from edit to edit.
struct Windows<'a> {
    text: &'a str,
    reach: usize,
    /// Bytes before `scanned` were searched for line breaks; `line_start`
    /// is where the line holding `scanned` starts.
    scanned: usize,
    line_start: usize,
    /// No line break in `break_from..break_at` (`break_at` is one, or the
    /// end of the text).
    break_from: usize,
    break_at: usize,
    /// The leading blanks of the line starting at `.0` end at `.1`; `.2`
    /// says they are all spaces and tabs (the crate counts those as their
    /// width; other blanks may differ).
    indent: Option<(usize, usize, bool)>,
    /// `blank_run.0..blank_run.1` is whitespace preceded by a non-blank.
    blank_run: (usize, usize),
}

impl<'a> Windows<'a> {
    fn new(text: &'a str, reach: usize) -> Windows<'a> {
        Windows {
            text,
            reach,
            scanned: 0,
            line_start: 0,
            break_from: 0,
            break_at: 0,
            indent: None,
            blank_run: (0, 0),
        }
    }

    /// The source for the edit at `range` and the byte offset where it
    /// starts in the text.
    fn around(&mut self, range: &Range<usize>) -> (Cow<'a, str>, usize) {
        let text = self.text;
        let start = self.line_start_of(range.start);
        // An edit that ends with a line break (a deleted paragraph) ends on
        // the line of that break, not on the next one.
        let last = if range.end > range.start {
            // The start of the edit's last character (it may be `’`).
            text[..range.end]
                .char_indices()
                .next_back()
                .map_or(range.end, |(i, _)| i)
        } else {
            range.end
        };
        let end = self.line_end_of(last);
        let lines = &text[start..end];
        let whole = (lines.strip_suffix('\r').unwrap_or(lines), start);
        let whole_cow = (Cow::Borrowed(whole.0), start);
        if memchr::memchr(b'\n', &text.as_bytes()[range.start..last]).is_some() {
            // Over several lines: shown whole. Edits do not overlap (but
            // for the few that were not applied), so each line is shown
            // whole at most about twice.
            return whole_cow;
        }
        let left = self.left_cut(start, end, range.start);
        let right = match forward(text, range.end.max(last).min(end), end, self.reach) {
            Some(r) => r,
            None if left == start => return (Cow::Borrowed(whole.0), start),
            None => start + whole.0.len(),
        };
        let (indent_end, even) = self.indent(start, end);
        if right <= indent_end && indent_end < end {
            // Cut inside the leading blanks of a line that has words: the
            // crate measures leading blanks only on lines that are not all
            // blank, so the line's first non-blank stands in for the rest,
            // past the columns shown. Blanks that count otherwise than they
            // show (U+3000) are kept whole, up to that first non-blank.
            let word = text[indent_end..].chars().next().unwrap_or('.');
            if !even {
                return (
                    Cow::Borrowed(&text[left..indent_end + word.len_utf8()]),
                    left,
                );
            }
            return (Cow::Owned(format!("{}{word}", &text[left..right])), left);
        }
        (Cow::Borrowed(&text[left..right]), left)
    }

    /// The start of the line holding `at`.
    fn line_start_of(&mut self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let (from, known) = if at >= self.scanned {
            (self.scanned, self.line_start)
        } else {
            (0, 0)
        };
        self.line_start = memchr::memrchr(b'\n', &bytes[from..at]).map_or(known, |i| from + i + 1);
        self.scanned = at;
        self.line_start
    }

    /// Where the line holding `at` ends (its line break, or the end of
    /// the text).
    fn line_end_of(&mut self, at: usize) -> usize {
        if !(self.break_from..=self.break_at).contains(&at) || self.break_at == 0 {
            let bytes = self.text.as_bytes();
            self.break_from = at;
            self.break_at = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        }
        self.break_at
    }

    /// Where the window of an edit starting at `at` on the line
    /// `line..end` starts.
    fn left_cut(&mut self, line: usize, end: usize, at: usize) -> usize {
        let text = self.text;
        let Some(cut) = backward(text, line, at, self.reach) else {
            return line;
        };
        let (indent_end, even) = self.indent(line, end);
        if cut < indent_end {
            // In the leading blanks: cut them `reach` columns before they
            // (or the span) end, if they all count as wide as they show.
            if !even {
                return line;
            }
            return backward(text, line, at.min(indent_end), self.reach).unwrap_or(line);
        }
        if !starts_blank(&text[cut..]) {
            return cut;
        }
        // In a blank run after the indent: start at the non-blank before it.
        let (run_start, run_end) = self.blank_run;
        let run_start = if (run_start..=run_end).contains(&cut) {
            run_start
        } else if run_start < run_end
            && run_end < cut
            && text[run_end..cut].chars().all(char::is_whitespace)
        {
            self.blank_run.1 = cut;
            run_start
        } else {
            let before = &text[..cut];
            let start = before
                .char_indices()
                .rev()
                .find(|&(_, c)| !c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            self.blank_run = (start, cut);
            start
        };
        text[..run_start]
            .char_indices()
            .next_back()
            .map_or(line, |(i, _)| i)
    }

    /// The end of the leading blanks of the line `line..end`, and whether
    /// they are all spaces and tabs.
    fn indent(&mut self, line: usize, end: usize) -> (usize, bool) {
        match self.indent {
            Some((l, e, even)) if l == line => (e, even),
            _ => {
                let body = &self.text[line..end];
                let blank = body
                    .char_indices()
                    .find(|&(_, c)| !c.is_whitespace())
                    .map_or(body.len(), |(i, _)| i);
                let even = body[..blank].bytes().all(|b| b == b' ' || b == b'\t');
                self.indent = Some((line, line + blank, even));
                (line + blank, even)
            }
        }
    }
}

/// Whether `s` starts with whitespace.
fn starts_blank(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_whitespace)
}

/// The start of the character `columns` columns before `at`, walking back
/// no further than `floor`; `None` when `floor` comes first.
fn backward(text: &str, floor: usize, at: usize, columns: usize) -> Option<usize> {
    let mut seen = 0;
    for (i, c) in text[floor..at].char_indices().rev() {
        seen += char_width(c);
        if seen >= columns || at - (floor + i) >= WINDOW_MAX_BYTES {
            return Some(floor + i);
        }
    }
    None
}

/// The end of the character `columns` columns after `at`, walking no
/// further than `ceiling`; `None` when `ceiling` comes first.
fn forward(text: &str, at: usize, ceiling: usize, columns: usize) -> Option<usize> {
    let mut seen = 0;
    for (i, c) in text[at..ceiling].char_indices() {
        seen += char_width(c);
        let end = at + i + c.len_utf8();
        if (seen >= columns || end - at >= WINDOW_MAX_BYTES) && end < ceiling {
            return Some(end);
        }
    }
    None
}

/// The columns annotate-snippets gives a character.
fn char_width(c: char) -> usize {
    match c {
        '\t' => 4,
        c if c.is_control() => 1,
        c => unicode_width::UnicodeWidthChar::width(c).unwrap_or(1),
    }
}

#[cfg(test)]
mod tests {
    /// An edit ending in a multi-byte character (`don’`) once made this
    /// slice inside the character and panic.
    #[test]
    fn lines_around_an_edit_ending_in_a_curly_quote() {
        let text = "one\nthey don’t\nthree";
        let end = text.find('t').unwrap() + "they don’".len();
        let range = text.find("they").unwrap()..end;
        assert_eq!(whole_lines(text, &range), ("they don’t".into(), 4));
    }

    use super::*;
    use std::sync::Arc;

    /// The whole lines an edit touches, as the snippet showed them before
    /// windows.
    fn whole_lines<'a>(text: &'a str, range: &Range<usize>) -> (Cow<'a, str>, usize) {
        Windows::new(text, usize::MAX).around(range)
    }

    /// The snippets of `edits` as annotate-snippets renders them from the
    /// whole lines with the path, column included: what windowed snippets
    /// must reproduce byte for byte.
    fn whole_line_rendering(r: &HumanRenderer, text: &str, edits: &[Edit]) -> String {
        let mut out = String::new();
        for (e, start) in edits.iter().zip(positions(text, edits)) {
            let (source, offset) = whole_lines(text, &e.range);
            let group = r.snippet(e, &source, offset, start.line, Some("t.txt"));
            out.push_str(&r.renderer.render(&[group]));
            out.push_str("\n\n");
        }
        out
    }

    /// Long lines of every shape the window has a rule for: plain prose,
    /// leading spaces, tabs and other blanks, blank runs, wide and
    /// zero-width characters, CRLF, and edits near both ends.
    #[test]
    fn windows_render_as_the_whole_line() {
        let prose =
            "The envoy said the strike violated global law, and more words followed it here. ";
        let mut lines = vec![
            prose.repeat(12),
            format!("{}{}", " ".repeat(30), prose.repeat(10)),
            format!("{}{}", " ".repeat(400), prose.repeat(10)),
            format!("{}{}", "\t".repeat(70), prose.repeat(8)),
            format!("{}{}", "\u{3000}".repeat(200), prose.repeat(8)),
            format!("{}{}{}", prose.repeat(4), " ".repeat(500), prose.repeat(4)),
            format!(
                "{}{}{}",
                prose.repeat(4),
                "\u{a0} ".repeat(300),
                prose.repeat(4)
            ),
            "中文 global law 字符 ".repeat(60),
            "e\u{301}".repeat(40) + &" global law".repeat(60),
            " ".repeat(1000),
        ];
        lines.push(format!("{}\r", prose.repeat(6)));
        let text = lines.join("\n") + "\n" + &prose.repeat(5);
        let mut edits = Vec::new();
        let mut at = 0;
        while let Some(i) = text[at..].find("global law") {
            let start = at + i;
            edits.push(edit(
                &text,
                start..start + 10,
                "international law",
                Level::Fix,
            ));
            at = start + 10;
        }
        for (i, c) in text.char_indices().step_by(97) {
            if c.is_whitespace() && edits.iter().all(|e| !e.range.contains(&i)) {
                edits.push(edit(&text, i..i + c.len_utf8(), "", Level::Suggest));
            }
        }
        edits.push(edit(&text, text.len()..text.len(), ".", Level::Fix));
        edits.sort_by_key(|e| e.range.start);
        for width in [40, 80, 140, 200] {
            for color in [false, true] {
                let r = HumanRenderer::new(color, width);
                let mut out = Vec::new();
                r.write_file(&mut out, "t.txt", &text, &edits).unwrap();
                let got = String::from_utf8(out).unwrap();
                let want = whole_line_rendering(&r, &text, &edits);
                for (g, w) in got.split("\n\n").zip(want.split("\n\n")) {
                    assert_eq!(g, w, "width {width}, colour {color}");
                }
                assert_eq!(got, want);
            }
        }
    }

    /// A window is bounded by the width, not by the line: an edit in the
    /// middle of a long line gets a few hundred bytes of it.
    #[test]
    fn a_window_on_a_long_line_is_bounded() {
        let text = "global law ".repeat(10_000);
        let mid = text.len() / 2 / 11 * 11;
        let mut w = Windows::new(&text, 80 + WINDOW_SLACK);
        let (source, offset) = w.around(&(mid..mid + 10));
        assert!(source.len() < 400, "{}", source.len());
        assert!(offset < mid && offset + source.len() > mid + 10);
    }

    fn edit(text: &str, range: std::ops::Range<usize>, after: &str, level: Level) -> Edit {
        let mut e = Edit::new(
            &Arc::from("r"),
            level,
            text,
            range,
            Some(after.into()),
            &Arc::from("Because."),
        );
        e.applied = level == Level::Fix;
        e
    }

    #[test]
    fn snippet_shows_line_number_carets_and_replacement() {
        let text = "first\nsaid global law here\nlast\n";
        let e = edit(text, 11..21, "international law", Level::Fix);
        let mut out = Vec::new();
        HumanRenderer::new(false, 100)
            .write_file(&mut out, "a.txt", text, &[e])
            .unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("fix[r]: Because.\n --> a.txt:2:6\n"), "{s}");
        assert!(s.contains("2 | said global law here\n"), "{s}");
        assert!(s.contains("  |      ^^^^^^^^^^ international law\n"), "{s}");
        assert!(!s.contains("first") && !s.contains("last"), "{s}");
    }

    #[test]
    fn deleted_paragraph_stays_on_its_lines() {
        let text = "Head\n\nHead\n\nBody\n";
        assert_eq!(whole_lines(text, &(6..12)), ("Head\n".into(), 6));
        assert_eq!(whole_lines(text, &(0..0)), ("Head".into(), 0));
        assert_eq!(whole_lines("a\r\nb", &(0..1)), ("a".into(), 0));
    }

    #[test]
    fn summary_counts_and_hints() {
        let text = "a b c";
        let edits = [
            edit(text, 0..1, "x", Level::Fix),
            edit(text, 2..3, "y", Level::Suggest),
        ];
        let mut s = Summary::default();
        s.add(&edits);
        let mut out = Vec::new();
        HumanRenderer::new(false, 80)
            .write_summary(&mut out, &s)
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Found 2 findings in 1 file (1 fix, 1 suggestion).\n\
             [*] 1 fixable with `copydesk clean --write` (1 suggestion withheld: add `--apply-suggestions` to apply it).\n"
        );
    }

    #[test]
    fn odd_spans_render_without_panicking() {
        let text = "a\tglobal law\r\nnext line\r\nlast";
        let cases = [
            (2..12, "international law"),  // after a tab, before CRLF
            (12..14, ""),                  // the CRLF itself
            (text.len()..text.len(), "."), // insertion at the very end
            (0..0, "X"),                   // insertion at the start
            (2..26, "joined"),             // over three lines
        ];
        for (range, after) in cases {
            let e = edit(text, range.clone(), after, Level::Fix);
            let mut out = Vec::new();
            HumanRenderer::new(false, 80)
                .write_file(&mut out, "t", text, &[e])
                .unwrap();
            let s = String::from_utf8(out).unwrap();
            assert!(s.contains(" --> t:"), "{range:?}: {s}");
        }
        let e = edit(text, 2..12, "international law", Level::Fix);
        let mut out = Vec::new();
        HumanRenderer::new(false, 80)
            .write_file(&mut out, "t", text, &[e])
            .unwrap();
        let s = String::from_utf8(out).unwrap();
        // The tab is shown as spaces and the carets still sit under the match.
        let lines: Vec<&str> = s.lines().collect();
        let src = lines.iter().find(|l| l.starts_with("1 |")).unwrap();
        let carets = lines.iter().find(|l| l.contains('^')).unwrap();
        let at = src.find("global").unwrap();
        assert_eq!(carets.find('^'), Some(at), "{s}");
        assert_eq!(carets.matches('^').count(), "global law".len(), "{s}");
    }
}
