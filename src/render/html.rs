//! The HTML redline of `copydesk review`: one self-contained page an editor
//! opens in a browser to read every proposed change in place, accept or
//! reject it, and download the accepted text or a patch.
//!
//! The page is built from the same edit list as every other format. Rust
//! only serialises the inputs and their edits; the page's script
//! (`review.html`, compiled in) lays out the track changes and keeps the
//! decisions. Nothing is fetched: CSS and script are inline, and the text
//! travels as JSON in a `<script type="application/json">` block, with `<`,
//! `>` and `&` escaped so that no input (`</script>`, `<!--`) can end the
//! block early.
//!
//! Offsets are sent in UTF-16 code units, the unit of JavaScript strings, so
//! the page slices the text exactly where the edit's byte range lies.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::edit::{positions, Edit, Level};
use crate::registry::Registry;
use crate::rules::RuleSet;

/// The page template: `__TITLE__` and `__DATA__` are filled in once each.
const TEMPLATE: &str = include_str!("review.html");

/// One input of the page: its name, its original text and its edits.
#[derive(Clone, Copy, Debug)]
pub struct ReviewFile<'a> {
    /// The name shown for the input (and used in the patch headers).
    pub path: &'a str,
    /// The original input.
    pub text: &'a str,
    /// Every edit of the input, applied or not, in input order.
    pub edits: &'a [Edit],
    /// The rules the input was cleaned with, which the page describes
    /// (with the built-in passes' rules) from the registry.
    pub rules: &'a RuleSet,
}

#[derive(Serialize)]
struct PageData<'a> {
    title: &'a str,
    version: &'static str,
    files: Vec<FileData<'a>>,
    /// What each rule named by an edit is, by id.
    rules: BTreeMap<&'a str, RuleData>,
}

/// A rule as the page describes it: where it comes from and why it exists.
#[derive(Serialize)]
struct RuleData {
    source: String,
    description: String,
}

#[derive(Serialize)]
struct FileData<'a> {
    path: &'a str,
    text: &'a str,
    edits: Vec<EditData<'a>>,
}

#[derive(Serialize)]
struct EditData<'a> {
    rule: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    also: Vec<&'a str>,
    level: Level,
    applied: bool,
    /// Start and end in UTF-16 code units of the original text.
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    before: &'a str,
    after: Option<&'a str>,
    why: &'a str,
    /// Whether the edit can be applied to the original text on its own:
    /// false for a flag, and for an edit a later pass proposed on text an
    /// earlier pass had already changed (its `before` is not the input's).
    standalone: bool,
}

/// Returns the page for `files`, titled `title`.
pub fn page(title: &str, files: &[ReviewFile<'_>]) -> String {
    let data = PageData {
        title,
        version: env!("CARGO_PKG_VERSION"),
        files: files.iter().map(file_data).collect(),
        rules: rules_of(files),
    };
    let json = serde_json::to_string(&data).expect("page data serialises");
    let json = script_safe(&json);
    let (head, rest) = TEMPLATE
        .split_once("__TITLE__")
        .expect("the template has a title slot");
    let (middle, tail) = rest
        .split_once("__DATA__")
        .expect("the template has a data slot");
    let title = escape_html(title);
    let mut out = String::with_capacity(TEMPLATE.len() + json.len() + title.len());
    out.push_str(head);
    out.push_str(&title);
    out.push_str(middle);
    out.push_str(&json);
    out.push_str(tail);
    out
}

/// The registry's entry for every rule an edit of `files` names.
fn rules_of<'a>(files: &[ReviewFile<'a>]) -> BTreeMap<&'a str, RuleData> {
    let mut out = BTreeMap::new();
    for f in files {
        let registry = Registry::new(f.rules);
        for e in f.edits {
            for id in std::iter::once(&e.rule).chain(&e.also) {
                if out.contains_key(&**id) {
                    continue;
                }
                if let Some(entry) = registry.get(id) {
                    let data = RuleData {
                        source: entry.source(),
                        description: entry.description().to_string(),
                    };
                    out.insert(&**id, data);
                }
            }
        }
    }
    out
}

fn file_data<'a>(f: &ReviewFile<'a>) -> FileData<'a> {
    let pos = positions(f.text, f.edits);
    let mut offsets: Vec<usize> = f
        .edits
        .iter()
        .flat_map(|e| [e.range.start, e.range.end])
        .collect();
    let units = utf16_offsets(f.text, &mut offsets);
    let edits = f
        .edits
        .iter()
        .zip(pos)
        .enumerate()
        .map(|(i, (e, p))| EditData {
            rule: &e.rule,
            also: e.also.iter().map(|a| &**a).collect(),
            level: e.level,
            applied: e.applied,
            start: units[2 * i],
            end: units[2 * i + 1],
            line: p.line,
            column: p.column,
            before: &e.before,
            after: e.after.as_deref(),
            why: &e.why,
            standalone: e.after.is_some() && f.text.get(e.range.clone()) == Some(e.before.as_str()),
        })
        .collect();
    FileData {
        path: f.path,
        text: f.text,
        edits,
    }
}

/// Converts byte offsets of `text` (any order) to UTF-16 code-unit offsets,
/// in the same order, walking the text once.
fn utf16_offsets(text: &str, offsets: &mut [usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![0; offsets.len()];
    let mut chars = text.char_indices().peekable();
    let mut units = 0;
    for i in order {
        let target = offsets[i];
        while let Some(&(at, c)) = chars.peek() {
            if at >= target {
                break;
            }
            units += c.len_utf16();
            chars.next();
        }
        out[i] = units;
    }
    out
}

/// Escapes JSON for a `<script>` block: `<`, `>` and `&` only occur inside
/// JSON strings, where `\u003c` means the same character, so `</script>`
/// and `<!--` in the text can never close or confuse the block.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn offsets_are_utf16_units() {
        let text = "é😀 global law";
        let start = text.find("global").unwrap();
        let mut offsets = vec![text.len(), start, 0];
        assert_eq!(utf16_offsets(text, &mut offsets), vec![14, 4, 0]);
    }

    #[test]
    fn script_injection_is_escaped() {
        let text = "a </script><script>alert(1)</script> <!-- b & c";
        let edits = [Edit::applied_fix("r", text, 0..1, "A")];
        let html = page(
            "t</title>",
            &[ReviewFile {
                path: "x.txt",
                text,
                edits: &edits,
                rules: &crate::rules::load::Loader::new().build().unwrap(),
            }],
        );
        // The template's own blocks only: the text added none.
        let template_closers = TEMPLATE.matches("</script>").count();
        assert_eq!(html.matches("</script>").count(), template_closers);
        assert!(!html.contains("<!-- b"));
        assert!(html.contains("<title>t&lt;/title&gt;"));
        assert!(html.contains(r"\u003c/script\u003e"));
    }

    /// The page describes each rule its edits name from the registry: a
    /// pack rule by its pack and `why`, a pass rule by its pass.
    #[test]
    fn page_describes_rules_from_the_registry() {
        let mut loader = crate::rules::load::Loader::new();
        loader.add_source(
            "house.yaml",
            "pack: house\nrules:\n  - id: global-law\n    find: global law\n    replace: international law\n    \
             why: Lawyers say international law.\n",
        );
        let rules = loader.build().unwrap();
        let text = "global law - fine";
        let mut dash = Edit::applied_fix("r", text, 10..13, " — ");
        dash.rule = Arc::from("spaced-hyphen-dash");
        let mut law = Edit::applied_fix("r", text, 0..10, "international law");
        law.rule = Arc::from("global-law");
        let edits = [law, dash];
        let html = page(
            "t",
            &[ReviewFile {
                path: "x.txt",
                text,
                edits: &edits,
                rules: &rules,
            }],
        );
        let start = html.find("<script type=\"application/json\" id=\"copydesk-data\">");
        let json = &html[start.unwrap()..];
        let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
        let data: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            data["rules"],
            serde_json::json!({
                "global-law": {
                    "source": "house",
                    "description": "Lawyers say international law.",
                },
                "spaced-hyphen-dash": {
                    "source": "pass:dashes",
                    "description": "A spaced hyphen between words, typed for a dash.",
                },
            })
        );
    }

    #[test]
    fn page_has_no_external_references() {
        let html = page("t", &[]);
        for needle in ["http://", "https://", "src=", "href=\"http", "@import"] {
            assert!(!html.contains(needle), "{needle}");
        }
    }
}
