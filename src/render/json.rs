//! The JSON change log: every edit with its rule, place, before and after.
//!
//! [`FilesWriter`] writes the log of a many-file run one file at a time, so
//! the run keeps neither the texts nor the reports of the files done, and
//! a file's edits one at a time, so a long document's report is never held
//! whole as JSON.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use crate::edit::{Edit, Level, LineCounter, Position};

/// One file's edits, as written by `--report` and `check --format json`.
///
/// The report borrows the input and its edits; each edit's report
/// ([`EditReport`]) is made when it is written, so a document's many
/// edits are never held twice.
#[derive(Debug)]
pub struct FileReport<'a> {
    /// The file (`-` for standard input).
    pub path: &'a str,
    /// Whether the output differs from the input.
    pub changed: bool,
    /// The input the edits are located in.
    text: &'a str,
    /// The edits.
    edits: &'a [Edit],
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
    /// The report of one file from its input and edits.
    pub fn new(path: &'a str, text: &'a str, edits: &'a [Edit], changed: bool) -> FileReport<'a> {
        FileReport {
            path,
            changed,
            text,
            edits,
        }
    }

    /// Each edit's report, located as it comes: the starts with one
    /// forward counter (edits come sorted by start), each end counted on
    /// from its start.
    pub fn edits(&self) -> impl Iterator<Item = EditReport<'a>> + '_ {
        let mut counter = LineCounter::new(self.text);
        self.edits.iter().map(move |e| {
            let start = counter.position(e.range.start);
            EditReport {
                rule: &e.rule,
                also: e.also.iter().map(|a| &**a).collect(),
                level: e.level,
                applied: e.applied,
                start,
                end: start.past(&self.text[e.range.clone()]),
                byte_range: [e.range.start, e.range.end],
                before: &e.before,
                after: e.after.as_deref(),
                why: &e.why,
            }
        })
    }
}

impl Serialize for FileReport<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("FileReport", 3)?;
        s.serialize_field("path", self.path)?;
        s.serialize_field("changed", &self.changed)?;
        s.serialize_field("edits", &Edits(self))?;
        s.end()
    }
}

/// A file's edit reports as a JSON list, made one at a time.
struct Edits<'r, 'a>(&'r FileReport<'a>);

impl Serialize for Edits<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.edits())
    }
}

/// Where a file entry's keys and its edits sit in the log.
const FIELD_INDENT: &[u8] = b"      ";
const EDIT_INDENT: &[u8] = b"        ";

/// A field of a file entry: a value, or the edits, written one by one.
enum Field<'r, 'a> {
    Value(Value),
    Edits(&'r FileReport<'a>),
}

/// Writes `value` as pretty JSON with every line after the first indented
/// by `indent`. Pretty JSON escapes newlines inside strings, so every line
/// break is structure.
fn write_nested(out: &mut impl Write, value: &Value, indent: &[u8]) -> io::Result<()> {
    let pretty = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    for (i, line) in pretty.split('\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
            out.write_all(indent)?;
        }
        out.write_all(line.as_bytes())?;
    }
    Ok(())
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

    /// Writes one file's entry: `report`'s fields and `extra`'s, keys
    /// sorted (as the log has always had them), as `serde_json` would print
    /// the whole entry; the edits are turned into JSON and written one at a
    /// time.
    pub fn add(
        &mut self,
        out: &mut impl Write,
        report: &FileReport<'_>,
        extra: serde_json::Map<String, Value>,
    ) -> io::Result<()> {
        let mut fields: BTreeMap<String, Field<'_, '_>> = extra
            .into_iter()
            .map(|(k, v)| (k, Field::Value(v)))
            .collect();
        fields.insert("changed".into(), Field::Value(report.changed.into()));
        fields.insert("path".into(), Field::Value(report.path.into()));
        fields.insert("edits".into(), Field::Edits(report));
        out.write_all(if self.files == 0 {
            b"\n    {"
        } else {
            b",\n    {"
        })?;
        for (i, (key, field)) in fields.iter().enumerate() {
            out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            out.write_all(FIELD_INDENT)?;
            write_nested(out, &Value::from(key.as_str()), b"")?;
            out.write_all(b": ")?;
            match field {
                Field::Value(v) => write_nested(out, v, FIELD_INDENT)?,
                Field::Edits(report) if report.edits.is_empty() => out.write_all(b"[]")?,
                Field::Edits(report) => {
                    out.write_all(b"[")?;
                    for (k, e) in report.edits().enumerate() {
                        out.write_all(if k == 0 { b"\n" } else { b",\n" })?;
                        out.write_all(EDIT_INDENT)?;
                        let value = serde_json::to_value(&e).map_err(io::Error::other)?;
                        write_nested(out, &value, EDIT_INDENT)?;
                    }
                    out.write_all(b"\n")?;
                    out.write_all(FIELD_INDENT)?;
                    out.write_all(b"]")?;
                }
            }
        }
        out.write_all(b"\n    }")?;
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
    use std::sync::Arc;

    use serde_json::json;

    use super::*;

    type Entry<'a> = (FileReport<'a>, serde_json::Map<String, Value>);

    fn streamed(entries: &[Entry<'_>]) -> String {
        let mut out = Vec::new();
        let mut w = FilesWriter::start(&mut out).unwrap();
        for (report, extra) in entries {
            w.add(&mut out, report, extra.clone()).unwrap();
        }
        w.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn whole(entries: &[Entry<'_>]) -> String {
        let files: Vec<Value> = entries
            .iter()
            .map(|(report, extra)| {
                let mut v = serde_json::to_value(report).unwrap();
                v.as_object_mut().unwrap().extend(extra.clone());
                v
            })
            .collect();
        serde_json::to_string_pretty(&json!({ "files": files })).unwrap() + "\n"
    }

    #[test]
    fn streamed_log_is_the_whole_document_byte_for_byte() {
        let text = "two\nlines and a \"quote\"\n";
        let (rule, why) = (Arc::from("r"), Arc::from("why"));
        let mut flag = Edit::new(&rule, Level::Flag, text, 4..9, None, &why);
        flag.also = vec![Arc::from("earlier")];
        let edits = vec![
            Edit::new(&rule, Level::Fix, text, 0..7, Some("one line".into()), &why),
            flag,
        ];
        let extra = |pairs: Value| pairs.as_object().unwrap().clone();
        let entries = [
            (
                FileReport::new("a.txt", text, &edits, true),
                extra(json!({})),
            ),
            (
                FileReport::new("b.txt", text, &[], false),
                extra(json!({ "stats": { "score": 0.5, "words": 3 } })),
            ),
            (
                FileReport::new("c.txt", text, &edits[1..], false),
                extra(json!({ "a first": [], "zz last": { "x": [1, 2] } })),
            ),
        ];
        for n in 0..=entries.len() {
            assert_eq!(streamed(&entries[..n]), whole(&entries[..n]), "{n} files");
        }
    }
}
