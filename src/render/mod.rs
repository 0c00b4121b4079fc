//! Renderers: every output format reads the same edit list.
//!
//! The pipeline computes edits once; each format here only decides how to
//! show them, so `check --format X` and `clean --diff` can never disagree
//! about what changed:
//!
//! - [`concise`]: one finding per line, `path:line:col: rule: before → after`;
//! - [`human`]: source snippets with carets, as rustc and ruff show them;
//! - [`json`]: the machine-readable change log (also `clean --report`);
//! - [`sarif`]: SARIF 2.1.0 for code-scanning dashboards;
//! - [`github`]: GitHub Actions workflow commands (inline annotations);
//! - [`diff`]: a unified diff that `git apply` accepts;
//! - [`word_diff`]: a word-level diff for reading prose changes;
//!   both take their hunks from the edits (`hunks`), not from a search.
//! - [`html`]: the self-contained redline page of `copydesk review`.
//! - [`statistics`]: findings counted per rule (`check --statistics`).

pub mod concise;
pub mod diff;
pub mod github;
pub mod html;
pub mod human;
mod hunks;
pub mod json;
pub mod sarif;
pub mod statistics;
pub mod word_diff;

use std::borrow::Cow;

use crate::edit::{Edit, Position};

/// One input's edits, located, as the multi-file [`sarif`] log takes them.
/// The places are worked out while the text is at hand, so a run over many
/// files keeps its findings, not its texts, until the log is written.
#[derive(Clone, Copy, Debug)]
pub struct FileEdits<'a> {
    /// The name shown for the input (`-` for standard input).
    pub path: &'a str,
    /// Every edit of the input, applied or not.
    pub edits: &'a [Edit],
    /// Where each edit starts and ends in the input ([`locate`]).
    pub places: &'a [(Position, Position)],
}

/// Returns the start and end positions of each edit of `text` (the end is
/// the position just past the edit, as SARIF and editors count).
pub fn locate(text: &str, edits: &[Edit]) -> Vec<(Position, Position)> {
    let starts = crate::edit::positions(text, edits);
    starts
        .into_iter()
        .zip(edits)
        .map(|(start, e)| (start, start.past(&text[e.range.clone()])))
        .collect()
}

/// Describes an edit in one line: `before → after (level: why)`, the tail
/// of a [`concise`] finding, also used by [`github`].
pub fn describe(e: &Edit) -> String {
    let mut s = visible(&e.before).into_owned();
    match &e.after {
        Some(a) if a.is_empty() => s.push_str(" → (deleted)"),
        Some(a) => {
            s.push_str(" → ");
            s.push_str(&visible(a));
        }
        None => {}
    }
    if e.why.is_empty() {
        s.push_str(&format!(" ({})", e.level.as_str()));
    } else {
        s.push_str(&format!(" ({}: {})", e.level.as_str(), e.why));
    }
    s
}

/// Shows invisible characters of a snippet so a finding fits on one line.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| c.is_control() || c == '\u{a0}' || c.is_whitespace() && c != ' ')
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || (c.is_whitespace() && c != ' ') => {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}
