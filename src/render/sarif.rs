//! SARIF 2.1.0 output, for GitHub code scanning and other dashboards that
//! read static-analysis results.
//!
//! One run, with `tool.driver.rules` describing every rule that produced a
//! result and one result per edit. Levels map by how sure copydesk is that
//! the text is damaged: a `fix` is a `warning`; a `suggest` or `flag`, which
//! a person must judge, is a `note` (SARIF's `error` is never used: the text
//! still reads). Each result with a replacement carries a SARIF `fix`
//! (`artifactChanges` with one `replacement`), and the copydesk level and
//! whether `clean` applies it go in `properties`.
//!
//! Regions count columns in Unicode code points (`run.columnKind` says so),
//! and `endColumn` is the column just past the match, as SARIF defines it.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use crate::edit::{Edit, Level, Position};
use crate::registry::{pass_rule, shown};
use crate::render::{visible, FileEdits};
use crate::rules::{Find, Rule, RuleSet};

/// The schema URI written into every log.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Returns the SARIF result level for a copydesk level.
pub fn level(level: Level) -> &'static str {
    match level {
        Level::Fix => "warning",
        Level::Suggest | Level::Flag => "note",
    }
}

/// A SARIF log, ready to serialize. Results are typed structs borrowing
/// from the edits, so a log of many thousands of findings costs little more
/// than its text.
#[derive(Debug, Serialize)]
pub struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Value,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix<'a>>,
    properties: ResultProperties,
}

#[derive(Debug, Serialize)]
struct Text {
    text: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Debug, Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix<'a> {
    description: Text,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation<'a>,
    replacements: [Replacement<'a>; 1],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: InsertedContent<'a>,
}

#[derive(Debug, Serialize)]
struct InsertedContent<'a> {
    text: &'a str,
}

#[derive(Debug, Serialize)]
struct ResultProperties {
    #[serde(rename = "copydesk-level")]
    level: &'static str,
    applied: bool,
}

/// Builds the SARIF log of `files`. `rules`, when given, supplies each
/// rule's find/replace and pack for its help text; rules of built-in passes
/// take theirs from [`crate::registry::PASS_RULES`], and any other rule is
/// described from its edits.
pub fn log<'a>(files: &[FileEdits<'a>], uris: &'a [String], rules: Option<&RuleSet>) -> Log<'a> {
    // Rules in id order, each with the first edit that named it.
    let mut seen: BTreeMap<&str, &Edit> = BTreeMap::new();
    for f in files {
        for e in f.edits {
            seen.entry(&e.rule).or_insert(e);
        }
    }
    let index: BTreeMap<&str, usize> = seen.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let descriptors: Vec<Value> = seen
        .iter()
        .map(|(id, e)| descriptor(id, e, rules))
        .collect();
    let mut results = Vec::new();
    for (f, uri) in files.iter().zip(uris) {
        for (e, &(start, end)) in f.edits.iter().zip(f.places) {
            results.push(result(e, uri, start, end, index[&*e.rule]));
        }
    }
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: json!({
                "driver": {
                    "name": "copydesk",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": descriptors,
                }
            }),
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

/// The URI of each file, in order (see [`uri`]); [`log`] borrows them.
pub fn uris(files: &[FileEdits<'_>]) -> Vec<String> {
    files.iter().map(|f| uri(f.path)).collect()
}

/// A `reportingDescriptor` for one rule: a pack rule described by its
/// `why`, find and replace; a built-in pass rule by its entry in
/// [`crate::registry::PASS_RULES`]; any other by its first edit.
fn descriptor(id: &str, first: &Edit, rules: Option<&RuleSet>) -> Value {
    if let Some(rule) = rules.and_then(|r| r.get(id)) {
        return pack_descriptor(id, rule, first);
    }
    if let Some(rule) = pass_rule(id) {
        let examples: Vec<String> = rule
            .examples
            .iter()
            .map(|ex| format!("{} → {}", shown(ex.before), shown(ex.after)))
            .collect();
        let does = format!(
            "From the built-in `{}` pass; for example {}.",
            rule.pass,
            examples.join("; ")
        );
        let description = rule.description;
        return json!({
            "id": id,
            "shortDescription": { "text": description },
            "help": {
                "text": format!("{description}\n\n{}", does.replace('`', "\"")),
                "markdown": format!(
                    "{description}\n\n{does}\n\nRun `copydesk explain {id}` for more."
                ),
            },
            "defaultConfiguration": { "level": level(rule.level) },
            "properties": {
                "copydesk-level": rule.level.as_str(),
                "tags": [format!("pass:{}", rule.pass)],
            },
        });
    }
    let why = if first.why.is_empty() {
        id
    } else {
        &*first.why
    };
    json!({
        "id": id,
        "shortDescription": { "text": why },
        "help": { "text": why, "markdown": why },
        "defaultConfiguration": { "level": level(first.level) },
        "properties": { "copydesk-level": first.level.as_str() },
    })
}

/// A `reportingDescriptor` for a rule of a loaded pack.
fn pack_descriptor(id: &str, rule: &Rule, first: &Edit) -> Value {
    let why = if first.why.is_empty() {
        id
    } else {
        &*first.why
    };
    let finds = match &rule.find {
        Find::Phrases { phrases, .. } => phrases
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", "),
        Find::Pattern(re) => format!("the pattern `{}`", re.as_str()),
    };
    let does = match &rule.replace {
        Some(r) => format!("Finds {finds} and replaces it with `{r}`."),
        None => format!("Flags {finds}."),
    };
    json!({
        "id": id,
        "shortDescription": { "text": why },
        "help": {
            "text": format!("{why}\n\n{}", does.replace('`', "\"")),
            "markdown": format!("{why}\n\n{does}\n\nRun `copydesk explain {id}` for examples."),
        },
        "defaultConfiguration": { "level": level(rule.level) },
        "properties": {
            "copydesk-level": first.level.as_str(),
            "tags": [&*rule.pack],
        },
    })
}

/// A `result` for one edit.
fn result<'a>(
    e: &'a Edit,
    uri: &'a str,
    start: Position,
    end: Position,
    rule_index: usize,
) -> SarifResult<'a> {
    let region = Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
    };
    let before = visible(&e.before);
    let message = match &e.after {
        Some(a) if a.is_empty() => format!("Delete “{before}”."),
        Some(a) => format!("“{before}” → “{}”.", visible(a)),
        None => format!("“{before}” needs an editor."),
    };
    let message = if e.why.is_empty() {
        message
    } else {
        format!("{message} {}", e.why)
    };
    let fixes = e
        .after
        .as_deref()
        .map(|after| Fix {
            description: Text {
                text: if after.is_empty() {
                    "Delete the text.".to_string()
                } else {
                    format!("Replace with “{after}”.")
                },
            },
            artifact_changes: [ArtifactChange {
                artifact_location: ArtifactLocation { uri },
                replacements: [Replacement {
                    deleted_region: region,
                    inserted_content: InsertedContent { text: after },
                }],
            }],
        })
        .into_iter()
        .collect();
    SarifResult {
        rule_id: &e.rule,
        rule_index,
        level: level(e.level),
        message: Text { text: message },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri },
                region,
            },
        }],
        fixes,
        properties: ResultProperties {
            level: e.level.as_str(),
            applied: e.applied,
        },
    }
}

/// Turns a displayed path into a URI reference: relative paths stay
/// relative (code scanning resolves them against the repository root),
/// absolute ones become `file://` URIs; reserved bytes are percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len() + 8);
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("./docs/a b.md"), "docs/a%20b.md");
        assert_eq!(uri("/tmp/é.txt"), "file:///tmp/%C3%A9.txt");
        assert_eq!(uri("notes#1.txt"), "notes%231.txt");
    }

    #[test]
    fn levels_map_by_certainty() {
        assert_eq!(level(Level::Fix), "warning");
        assert_eq!(level(Level::Suggest), "note");
        assert_eq!(level(Level::Flag), "note");
    }
}
