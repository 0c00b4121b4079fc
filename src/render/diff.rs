//! Unified diffs that `git apply` and `patch -p1` accept.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::hunks::{header_ranges, hunks, shared_lines, Lines, CONTEXT};
use crate::edit::Edit;

/// Returns the unified diff that the applied `edits` (ranges in `text`, in
/// order) make to `text`, for `path`, with `a/` and `b/` headers, or an
/// empty string when none is applied: [`write_unified`] into a string, for
/// the tests.
#[cfg(test)]
pub fn unified(path: &str, text: &str, edits: &[Edit]) -> String {
    let mut out = Vec::new();
    write_unified(&mut out, path, text, edits).expect("a Vec takes every write");
    String::from_utf8(out).expect("whole lines of the texts are written")
}

/// Writes the diff [`unified`] returns to `out` piece by piece, never
/// holding it whole: the diff of a long document is as long as the
/// document and its output together.
pub fn write_unified(
    out: &mut impl Write,
    path: &str,
    text: &str,
    edits: &[Edit],
) -> io::Result<()> {
    let lines = Lines::new(text);
    let hunks = hunks(&lines, edits, CONTEXT);
    if hunks.is_empty() {
        return Ok(());
    }
    let path = path.trim_start_matches("./");
    write!(
        out,
        "diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n"
    )?;
    for (hunk, ranges) in hunks.iter().zip(header_ranges(&lines, &hunks)) {
        writeln!(out, "@@ {ranges} @@")?;
        let mut at = hunk.old.start;
        for change in &hunk.changes {
            prefixed(out, b' ', lines.slice(at..change.old.start))?;
            let old = lines.slice(change.old.clone());
            let new = change.new_text(&lines);
            let ((head, tail), (new_head, new_tail)) = shared_lines(old, &new);
            prefixed(out, b' ', &old[..head])?;
            prefixed(out, b'-', &old[head..old.len() - tail])?;
            prefixed(out, b'+', &new[new_head..new.len() - new_tail])?;
            prefixed(out, b' ', &old[old.len() - tail..])?;
            at = change.old.end;
        }
        prefixed(out, b' ', lines.slice(at..hunk.old.end))?;
    }
    Ok(())
}

/// Writes each line of `text` behind `mark`, and git's note after a last
/// line without a line feed.
fn prefixed(out: &mut impl Write, mark: u8, text: &str) -> io::Result<()> {
    for line in text.split_inclusive('\n') {
        out.write_all(&[mark])?;
        out.write_all(line.as_bytes())?;
        if !line.ends_with('\n') {
            out.write_all(b"\n\\ No newline at end of file\n")?;
        }
    }
    Ok(())
}

/// Writes the diff [`write_unified`] writes, coloured for a terminal as
/// git colours it: file headers bold, hunk headers cyan, removed lines red,
/// added lines green. Streamed like the plain diff, through [`Painter`].
pub fn write_painted(
    out: &mut impl Write,
    path: &str,
    text: &str,
    edits: &[Edit],
) -> io::Result<()> {
    let mut painter = Painter::new(out);
    write_unified(&mut painter, path, text, edits)?;
    painter.finish()
}

/// The longest line start that decides a line's colour (`diff --git `).
const DECIDING: usize = "diff --git ".len();

/// A writer that colours the unified diff written through it line by line,
/// holding no more than the first bytes of a line, until they say which
/// colour it takes.
struct Painter<'w, W: Write> {
    out: &'w mut W,
    /// The start of the current line, while it is too short to decide.
    head: Vec<u8>,
    /// The current line's colour, once decided.
    style: Option<Style>,
    /// Between a `diff --git` line and the first hunk header.
    in_header: bool,
}

impl<'w, W: Write> Painter<'w, W> {
    fn new(out: &'w mut W) -> Painter<'w, W> {
        Painter {
            out,
            head: Vec::with_capacity(DECIDING),
            style: None,
            in_header: false,
        }
    }

    /// Decides the colour of the line starting with `head` and writes it
    /// and `head`.
    fn open_line(&mut self) -> io::Result<()> {
        let head = &self.head[..];
        if head.starts_with(b"diff --git ") {
            self.in_header = true;
        } else if head.starts_with(b"@@") {
            self.in_header = false;
        }
        let style = if self.in_header {
            Style::new().bold()
        } else if head.starts_with(b"@@") {
            AnsiColor::Cyan.on_default()
        } else if head.starts_with(b"-") {
            AnsiColor::Red.on_default()
        } else if head.starts_with(b"+") {
            AnsiColor::Green.on_default()
        } else {
            Style::new()
        };
        write!(self.out, "{style}")?;
        self.out.write_all(&self.head)?;
        self.head.clear();
        self.style = Some(style);
        Ok(())
    }

    /// Ends a last line that has no line feed.
    fn finish(mut self) -> io::Result<()> {
        if self.style.is_none() && !self.head.is_empty() {
            self.open_line()?;
        }
        if let Some(style) = self.style.take() {
            write!(self.out, "{style:#}")?;
        }
        Ok(())
    }
}

impl<W: Write> Write for Painter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while !rest.is_empty() {
            let line_feed = memchr::memchr(b'\n', rest);
            match self.style {
                None => {
                    let room = DECIDING - self.head.len();
                    let take = line_feed.map_or(rest.len(), |i| i).min(room);
                    self.head.extend_from_slice(&rest[..take]);
                    rest = &rest[take..];
                    if self.head.len() == DECIDING || line_feed == Some(take) {
                        self.open_line()?;
                    }
                }
                Some(style) => {
                    let body = line_feed.map_or(rest.len(), |i| i);
                    self.out.write_all(&rest[..body])?;
                    rest = &rest[body..];
                    if line_feed.is_some() {
                        writeln!(self.out, "{style:#}")?;
                        rest = &rest[1..];
                        self.style = None;
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edits(text: &str, changes: &[(&str, &str)]) -> Vec<Edit> {
        Edit::applied_fixes(text, changes)
    }

    fn painted(path: &str, text: &str, edits: &[Edit]) -> String {
        let mut out = Vec::new();
        write_painted(&mut out, path, text, edits).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Each line coloured whole, by its own start: what the streamed
    /// colouring must write, however the diff's writes cut its lines.
    fn painted_whole(diff: &str) -> String {
        let mut out = String::new();
        let mut in_header = false;
        for line in diff.split_inclusive('\n') {
            let (body, end) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
            in_header = (in_header || body.starts_with("diff --git ")) && !body.starts_with("@@");
            let style = match body.as_bytes().first() {
                _ if in_header => Style::new().bold(),
                _ if body.starts_with("@@") => AnsiColor::Cyan.on_default(),
                Some(b'-') => AnsiColor::Red.on_default(),
                Some(b'+') => AnsiColor::Green.on_default(),
                _ => Style::new(),
            };
            out.push_str(&format!("{style}{body}{style:#}{end}"));
        }
        out
    }

    #[test]
    fn streamed_colour_matches_colouring_each_line_whole() {
        let text =
            "Head\n\nHead\n\nglobal law and\n-global- +law+ @@\ndiff --git x\n\nlast global law";
        let all = edits(
            text,
            &[
                ("Head\n\nglobal", "global"),
                ("law and", "law, and"),
                ("last global", "final global"),
            ],
        );
        for n in 0..all.len() {
            let diff = unified("a b.txt", text, &all[n..]);
            assert_eq!(painted("a b.txt", text, &all[n..]), painted_whole(&diff));
            // Written a byte at a time, a line's colour is still decided
            // by its start.
            let mut out = Vec::new();
            let mut painter = Painter::new(&mut out);
            for b in diff.bytes() {
                painter.write_all(&[b]).unwrap();
            }
            painter.finish().unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), painted_whole(&diff));
        }
    }

    #[test]
    fn diff_has_git_headers_and_newline_hint() {
        let text = "a\nglobal law";
        let d = unified(
            "./x.txt",
            text,
            &edits(text, &[("global", "international")]),
        );
        assert_eq!(
            d,
            "diff --git a/x.txt b/x.txt\n--- a/x.txt\n+++ b/x.txt\n@@ -1,2 +1,2 @@\n a\n\
             -global law\n\\ No newline at end of file\n\
             +international law\n\\ No newline at end of file\n"
        );
        assert_eq!(unified("x", "same", &[]), "");
    }

    #[test]
    fn a_removed_paragraph_is_shown_removed() {
        // The paragraph pass removes the repeat and the blank line after it.
        let text = "Head\n\nHead\n\nBody one.\n\nBody two.\n";
        let mut repeat = edits(text, &[("Head\n\nBody", "Body")]);
        repeat[0].range = 6..12;
        repeat[0].after = Some("".into());
        let d = unified("x", text, &repeat);
        assert_eq!(
            d,
            "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,7 +1,5 @@\n \
             Head\n \n-Head\n-\n Body one.\n \n Body two.\n"
        );
    }

    #[test]
    fn far_apart_changes_get_hunks_of_their_own() {
        let text: String = (1..=12).map(|i| format!("line {i}\n")).collect();
        let d = unified(
            "x",
            &text,
            &edits(&text, &[("line 1\n", ""), ("line 12", "last")]),
        );
        assert_eq!(
            d,
            "diff --git a/x b/x\n--- a/x\n+++ b/x\n\
             @@ -1,4 +1,3 @@\n-line 1\n line 2\n line 3\n line 4\n\
             @@ -9,4 +8,4 @@\n line 9\n line 10\n line 11\n-line 12\n+last\n"
        );
    }

    #[test]
    fn paint_colours_removed_and_added_lines() {
        let text = "global law\n";
        let d = painted("x", text, &edits(text, &[("global", "international")]));
        assert!(
            d.starts_with("\u{1b}[1mdiff --git a/x b/x\u{1b}[0m\n"),
            "{d:?}"
        );
        assert!(d.contains("\u{1b}[31m-global law\u{1b}[0m\n"), "{d:?}");
        assert!(
            d.contains("\u{1b}[32m+international law\u{1b}[0m\n"),
            "{d:?}"
        );
    }
}
