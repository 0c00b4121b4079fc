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
//! long prose lines are trimmed around the match to the terminal width.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Level as Severity, Renderer, Snippet};
use anstyle::{AnsiColor, Style};

use crate::edit::{Edit, Level};
use crate::render::{locate, visible};

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
        }
    }

    /// Writes every edit of one file, each followed by a blank line.
    pub fn write_file(
        &self,
        out: &mut dyn Write,
        path: &str,
        text: &str,
        edits: &[Edit],
    ) -> io::Result<()> {
        let places = locate(text, edits);
        for (e, (start, _)) in edits.iter().zip(places) {
            let (lines, offset) = surrounding_lines(text, &e.range);
            // The span may end past the lines when the edit ends with
            // their line break.
            let span =
                (e.range.start - offset).min(lines.len())..(e.range.end - offset).min(lines.len());
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
                Snippet::source(lines)
                    .line_start(start.line)
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
            writeln!(out, "{}\n", self.renderer.render(&[group]))?;
        }
        Ok(())
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

/// Returns the whole lines of `text` that `range` touches (without the
/// final line break) and the byte offset where they start.
fn surrounding_lines<'a>(text: &'a str, range: &std::ops::Range<usize>) -> (&'a str, usize) {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
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
    let end = text[last..].find('\n').map_or(text.len(), |i| last + i);
    let lines = &text[start..end];
    (lines.strip_suffix('\r').unwrap_or(lines), start)
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
        assert_eq!(super::surrounding_lines(text, &range), ("they don’t", 4));
    }

    use super::*;
    use std::sync::Arc;

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
        assert_eq!(surrounding_lines(text, &(6..12)), ("Head\n", 6));
        assert_eq!(surrounding_lines(text, &(0..0)), ("Head", 0));
        assert_eq!(surrounding_lines("a\r\nb", &(0..1)), ("a", 0));
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
