//! Unified diffs that `git apply` and `patch -p1` accept.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::hunks::{header_ranges, hunks, shared_lines, Lines, CONTEXT};
use crate::edit::Edit;

/// Returns the unified diff that the applied `edits` (ranges in `text`, in
/// order) make to `text`, for `path`, with `a/` and `b/` headers, or an
/// empty string when none is applied.
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

/// Colours a unified diff for a terminal as git does: file headers bold,
/// hunk headers cyan, removed lines red, added lines green.
pub fn paint(diff: &str) -> String {
    let bold = Style::new().bold();
    let cyan = AnsiColor::Cyan.on_default();
    let red = AnsiColor::Red.on_default();
    let green = AnsiColor::Green.on_default();
    let mut out = String::with_capacity(diff.len() + diff.len() / 8);
    let mut in_header = false;
    for line in diff.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if body.starts_with("diff --git ") {
            in_header = true;
        } else if body.starts_with("@@") {
            in_header = false;
        }
        let style = if in_header {
            bold
        } else if body.starts_with("@@") {
            cyan
        } else if body.starts_with('-') {
            red
        } else if body.starts_with('+') {
            green
        } else {
            Style::new()
        };
        out.push_str(&format!("{style}{body}{style:#}{end}"));
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
        let d = paint(&unified(
            "x",
            text,
            &edits(text, &[("global", "international")]),
        ));
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
