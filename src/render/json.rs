//! The JSON change log: every edit with its rule, place, before and after.
//!
//! [`FilesWriter`] writes the log of a many-file run one file at a time, so
//! the run keeps neither the texts nor the reports of the files done.

use std::io::{self, Write};

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

/// Writes `{"files": [...]}` one file at a time, byte for byte as
/// `serde_json::to_writer_pretty` writes the whole document, without
/// holding the reports of every file until the end. The writer is passed to
/// each call, so the caller may write elsewhere on it meanwhile.
#[derive(Debug)]
pub struct FilesWriter {
    files: usize,
}

impl FilesWriter {
    /// Starts the document on `out`.
    pub fn start(out: &mut impl Write) -> io::Result<FilesWriter> {
        out.write_all(b"{\n  \"files\": [")?;
        Ok(FilesWriter { files: 0 })
    }

    /// Writes one file's entry: a [`FileReport`] as a JSON value (keys
    /// sorted, as the log has always had them), maybe with more keys.
    pub fn add(&mut self, out: &mut impl Write, file: &serde_json::Value) -> io::Result<()> {
        let pretty = serde_json::to_string_pretty(file).map_err(io::Error::other)?;
        out.write_all(if self.files == 0 { b"\n" } else { b",\n" })?;
        // Pretty JSON escapes newlines inside strings, so every line break
        // is structure: indenting each line nests the entry two levels in.
        for (i, line) in pretty.split('\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(b"    ")?;
            out.write_all(line.as_bytes())?;
        }
        self.files += 1;
        Ok(())
    }

    /// Ends the document, with a final newline.
    pub fn finish(self, out: &mut impl Write) -> io::Result<()> {
        let end: &[u8] = if self.files == 0 {
            b"]\n}\n"
        } else {
            b"\n  ]\n}\n"
        };
        out.write_all(end)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    fn streamed(entries: &[Value]) -> String {
        let mut out = Vec::new();
        let mut w = FilesWriter::start(&mut out).unwrap();
        for e in entries {
            w.add(&mut out, e).unwrap();
        }
        w.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn whole(entries: &[Value]) -> String {
        serde_json::to_string_pretty(&json!({ "files": entries })).unwrap() + "\n"
    }

    #[test]
    fn streamed_log_is_the_whole_document_byte_for_byte() {
        let entries = [
            json!({ "path": "a.txt", "edits": [{ "at": [1, 2], "before": "two\nlines" }, {}] }),
            json!({ "path": "b.txt", "edits": [], "stats": { "score": 0.5 } }),
            json!({}),
        ];
        for n in 0..=entries.len() {
            assert_eq!(streamed(&entries[..n]), whole(&entries[..n]), "{n} files");
        }
    }
}
