//! The paragraph pass: a paragraph repeated immediately is removed.
//!
//! Scrapers often print the headline twice, or a pull quote next to the
//! sentence it repeats. Paragraphs are compared after folding whitespace and
//! case, without allocating; the repeat and the blank lines before it go.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use crate::edit::{Edit, Level};
use crate::passes::{Context, Pass};

/// Rule id of the repeated-paragraph repair.
pub const REPEATED: &str = "repeated-paragraph";

static ID: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(REPEATED));
static WHY: LazyLock<Arc<str>> = LazyLock::new(|| {
    Arc::from(
        "A paragraph printed twice in a row is a scraping artefact, such as a repeated headline.",
    )
});

/// Removes immediately repeated paragraphs.
pub struct Paragraphs;

impl Pass for Paragraphs {
    fn name(&self) -> &'static str {
        "paragraphs"
    }

    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        if !cx.enabled(REPEATED) {
            return;
        }
        let mut kept: Option<Range<usize>> = None;
        // Index in `out` of the first repeat removed since `kept`.
        let mut first_removal = out.len();
        for para in cx.paragraphs(text).iter().cloned() {
            if let Some(prev) = &kept {
                if same_text(&text[prev.clone()], &text[para.clone()]) {
                    // Remove the repeat with the blank lines after it, so the
                    // finding points at the repeat. A repeat at the very end
                    // takes the blank lines before it instead, together with
                    // any repeats removed since the kept paragraph: removing
                    // only from the end of the previous repeat would overlap
                    // that removal and leave one repeat behind, so a second
                    // run would change the text again.
                    let next = next_line_start(text, para.end);
                    let at_end = next >= text.len();
                    let range = if at_end {
                        prev.end..para.end
                    } else {
                        para.start..next
                    };
                    if !cx.protected.overlaps(&range) {
                        if at_end {
                            out.truncate(first_removal);
                        }
                        out.push(Edit::new(
                            &ID,
                            Level::Fix,
                            text,
                            range,
                            Some(String::new()),
                            &WHY,
                        ));
                        continue;
                    }
                }
            }
            kept = Some(para);
            first_removal = out.len();
        }
    }
}

/// Returns the start of the first non-blank line after `pos`, or the end.
fn next_line_start(text: &str, pos: usize) -> usize {
    let rest = &text[pos..];
    let skipped = rest.len() - rest.trim_start().len();
    let mut end = pos + skipped;
    if end < text.len() {
        // Back up to the start of the line holding the next text.
        end = text[..end].rfind('\n').map_or(pos, |i| i + 1).max(pos);
    }
    end
}

/// Compares two paragraphs ignoring case and whitespace runs.
fn same_text(a: &str, b: &str) -> bool {
    let mut x = a
        .split_whitespace()
        .flat_map(|w| w.chars().chain([' ']))
        .flat_map(char::to_lowercase);
    let mut y = b
        .split_whitespace()
        .flat_map(|w| w.chars().chain([' ']))
        .flat_map(char::to_lowercase);
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removed(text: &str) -> String {
        let cx_protected = crate::spans::Spans::default();
        let disabled = Default::default();
        let cx = Context::whole(&cx_protected, &disabled);
        let mut edits = Vec::new();
        Paragraphs.run(text, &cx, &mut edits);
        let mut out = String::new();
        let mut pos = 0;
        for e in &edits {
            assert!(e.range.start >= pos, "overlapping removals: {edits:?}");
            out.push_str(&text[pos..e.range.start]);
            pos = e.range.end;
        }
        out.push_str(&text[pos..]);
        out
    }

    /// Three copies of a paragraph at the end of a text used to leave two:
    /// the last removal overlapped the one before it and was dropped.
    #[test]
    fn triple_paragraph_at_end_leaves_one() {
        assert_eq!(removed("A\r\n\r\nA\r\n\r\nA"), "A");
        assert_eq!(removed("A\n\nA\n\nA\n"), "A\n");
        assert_eq!(removed("A\n\nA\n\nA\n\nB"), "A\n\nB");
        assert_eq!(removed("B\n\nA\n\nA"), "B\n\nA");
    }

    #[test]
    fn compares_folded() {
        assert!(same_text("We're  Not\nGoing", "we're not going"));
        assert!(!same_text("We're Not", "We're Not Going"));
    }
}
