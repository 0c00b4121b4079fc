//! Unified diffs that `git apply` and `patch -p1` accept.

use anstyle::{AnsiColor, Style};
use similar::TextDiff;

/// Returns the unified diff from `old` to `new` for `path`, with `a/` and
/// `b/` headers, or an empty string when they are equal.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let path = path.trim_start_matches("./");
    let diff = TextDiff::from_lines(old, new);
    let mut out = format!("diff --git a/{path} b/{path}\n");
    out.push_str(
        &diff
            .unified_diff()
            .context_radius(3)
            .missing_newline_hint(true)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string(),
    );
    out
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

    #[test]
    fn diff_has_git_headers_and_newline_hint() {
        let d = unified("./x.txt", "a\nglobal law", "a\ninternational law");
        assert!(
            d.starts_with("diff --git a/x.txt b/x.txt\n--- a/x.txt\n+++ b/x.txt\n@@"),
            "{d}"
        );
        assert!(
            d.contains("-global law\n\\ No newline at end of file\n"),
            "{d}"
        );
        assert_eq!(unified("x", "same", "same"), "");
    }

    #[test]
    fn paint_colours_removed_and_added_lines() {
        let d = paint(&unified("x", "global law\n", "international law\n"));
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
