//! The JSON change log: every edit with its rule, place, before and after.

use serde::Serialize;

use crate::edit::{Edit, Level, Position};

/// One file's edits, as written by `--report` and `check --format json`.
#[derive(Debug, Serialize)]
pub struct FileReport<'a> {
    /// The file (`-` for standard input).
    pub path: &'a str,
    /// Whether the output differs from the input.
    pub changed: bool,
    /// The edits.
    pub edits: Vec<EditReport<'a>>,
}

/// One edit, located in the input.
#[derive(Debug, Serialize)]
pub struct EditReport<'a> {
    /// Rule id.
    pub rule: &'a str,
    /// Earlier rules merged into this edit.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<&'a str>,
    /// fix, suggest or flag.
    pub level: Level,
    /// Whether the edit is in the output.
    pub applied: bool,
    /// Start line and column (1-based, columns in characters).
    pub start: Position,
    /// End line and column.
    pub end: Position,
    /// Byte range in the input.
    pub byte_range: [usize; 2],
    /// Text before.
    pub before: &'a str,
    /// Proposed text (absent for a bare flag).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<&'a str>,
    /// Why the rule exists.
    pub why: &'a str,
}

impl<'a> FileReport<'a> {
    /// Builds the report of one file from its input and edits.
    pub fn new(path: &'a str, text: &str, edits: &'a [Edit], changed: bool) -> FileReport<'a> {
        let places = crate::render::locate(text, edits);
        let edits = edits
            .iter()
            .zip(places)
            .map(|(e, (start, end))| EditReport {
                rule: &e.rule,
                also: e.also.iter().map(|a| &**a).collect(),
                level: e.level,
                applied: e.applied,
                start,
                end,
                byte_range: [e.range.start, e.range.end],
                before: &e.before,
                after: e.after.as_deref(),
                why: &e.why,
            })
            .collect();
        FileReport {
            path,
            changed,
            edits,
        }
    }
}
