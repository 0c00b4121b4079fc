//! Helpers shared by the test binaries: a pipeline without rule packs, and
//! the shared corpus, read when it is there and skipped with a note on
//! stderr when it is not, so that the tests pass on a bare checkout.

// Each test binary uses a subset.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

use copydesk::rules::load::Loader;
use copydesk::{Options, Pipeline};

/// The shared corpus, a sibling of the repository.
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

/// The BBC News categories, one folder each.
const BBC_CATEGORIES: [&str; 5] = ["business", "entertainment", "politics", "sport", "tech"];

/// A pipeline with no rule packs: only the passes run.
pub fn pipeline(options: Options) -> Pipeline {
    let rules = Loader::new().build().expect("no packs load");
    Pipeline::new(Arc::new(rules), options)
}

/// A pipeline with no rule packs, the pass options `pairs` (`key=value`)
/// set and the rule ids `disabled` switched off.
pub fn pipeline_with(pairs: &[&str], disabled: &[&str]) -> Pipeline {
    let mut options = Options {
        disabled: disabled.iter().map(|d| d.to_string()).collect(),
        ..Options::default()
    };
    for p in pairs {
        options.settings.set_pair(p).expect("known option");
    }
    pipeline(options)
}

/// The corpus folder: `COPYDESK_CORPUS` when set (a checkout that is not
/// a sibling of the corpus), else [`CORPUS`].
pub fn corpus_root() -> PathBuf {
    std::env::var_os("COPYDESK_CORPUS").map_or_else(|| PathBuf::from(CORPUS), PathBuf::from)
}

/// The path of `rel` in the corpus, or `None` (with a note) when absent.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let path = corpus_root().join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("note: {} absent, skipped", path.display());
        None
    }
}

/// The text of `rel` in the corpus, or `None` (with a note) when it
/// cannot be read.
pub fn corpus_text(rel: &str) -> Option<String> {
    let path = corpus_root().join(rel);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!("note: {} not readable ({e}), skipped", path.display());
            None
        }
    }
}

/// Every BBC News article as (path, text), by category and file name,
/// leaving out `sport/199.txt`, the one file that is not UTF-8; `None`
/// (with a note) when the corpus or a category cannot be read.
pub fn bbc_news() -> Option<Vec<(String, String)>> {
    let root = corpus("bbc-news")?;
    let mut articles = Vec::new();
    for category in BBC_CATEGORIES {
        let dir = root.join(category);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("note: {} not readable, skipped", dir.display());
            return None;
        };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("a listed file").path()).collect();
        paths.sort();
        for path in paths {
            if let Ok(text) = std::fs::read_to_string(&path) {
                articles.push((path.display().to_string(), text));
            }
        }
    }
    Some(articles)
}

/// The `articleBody` of every page of one file of the extraction
/// benchmark, as (page id, body): `ground-truth.json`, or an extractor's
/// `output-*.json`, which nests the pages under `output`. `None` (with a
/// note) when the file cannot be read.
pub fn benchmark(file: &str) -> Option<Vec<(String, String)>> {
    let text = corpus_text(&format!("article-extraction-benchmark/{file}"))?;
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let pages = json.get("output").unwrap_or(&json);
    let pages = pages.as_object().expect("an object of pages");
    Some(
        pages
            .iter()
            .filter_map(|(id, page)| Some((id.clone(), page["articleBody"].as_str()?.to_string())))
            .collect(),
    )
}

/// The texts of (label, text) pairs.
pub fn texts(docs: Vec<(String, String)>) -> Vec<String> {
    docs.into_iter().map(|(_, text)| text).collect()
}

/// The descriptions (third field) of AG News `test.csv`, one per line;
/// `None` (with a note) when the file cannot be read.
pub fn ag_news_descriptions() -> Option<Vec<String>> {
    let text = corpus_text("ag-news/test.csv")?;
    Some(
        text.lines()
            .filter_map(|line| csv_fields(line).into_iter().nth(2))
            .collect(),
    )
}

/// The fields of one line of the AG News CSV: every field quoted, `""`
/// inside.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();
    while chars.peek() == Some(&'"') {
        chars.next();
        let mut field = String::new();
        while let Some(c) = chars.next() {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    break;
                }
            } else {
                field.push(c);
            }
        }
        fields.push(field);
        if chars.peek() == Some(&',') {
            chars.next();
        }
    }
    fields
}

/// Runs `p` over `docs`, asserting on each that the edits rebuild the
/// output and that a second run changes nothing, and prints the edits per
/// rule under `name` (run with `--nocapture`).
pub fn check_and_count(p: &Pipeline, name: &str, docs: &[String]) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for t in docs {
        let once = p.run(t);
        assert_eq!(copydesk::apply::apply(t, &once.edits), once.output);
        assert_eq!(p.run(&once.output).output, once.output, "idempotent");
        for e in &once.edits {
            *counts.entry(e.rule.to_string()).or_default() += 1;
        }
    }
    eprintln!("{name}, {} articles:", docs.len());
    for (rule, n) in &counts {
        eprintln!(
            "  {rule:24} {n:6} ({:.1} per 1,000)",
            *n as f64 * 1000.0 / docs.len() as f64
        );
    }
}

/// The (expected, spun) rows of the Problematic Paper Screener's
/// tortured-phrase list whose two phrases are lowercase ASCII words of at
/// least four bytes, in file order; `None` (with a note) when absent.
pub fn tortured_rows() -> Option<Vec<(String, String)>> {
    let text = corpus_text("tortured-phrases/pps-tortured-phrases.csv")?;
    let ok = |s: &str| {
        s.len() >= 4
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c == ' ' || c == '-')
    };
    let mut rows = Vec::new();
    for line in text.lines().skip(1) {
        // """tortured"" AND …",expected phrase,"count"
        let Some(rest) = line.strip_prefix("\"\"\"") else {
            continue;
        };
        let Some(end) = rest.find("\"\"") else {
            continue;
        };
        let spun = &rest[..end];
        let Some((_, after)) = rest[end..].split_once("\",") else {
            continue;
        };
        let expected = after.split(',').next().unwrap_or("").trim();
        if ok(expected) && ok(spun) {
            rows.push((expected.to_string(), spun.to_string()));
        }
    }
    Some(rows)
}

/// The corpus, or `None` with a note; under `CI` a missing corpus fails.
pub fn need(rel: &str) -> Option<std::path::PathBuf> {
    let path = corpus(rel);
    if path.is_none() && std::env::var_os("CI").is_some() {
        panic!("../shared/corpus/{rel} is missing under CI");
    }
    path
}

/// Lowercase words joined by single spaces: how a phrase rule sees text.
pub fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

/// Which of `phrases` (words) occur as whole words in any of `texts`
/// (words), in one pass over each text.
pub fn occurring(texts: &[String], phrases: &[String]) -> HashSet<usize> {
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(phrases)
        .unwrap();
    texts
        .par_iter()
        .flat_map_iter(|t| {
            let b = t.as_bytes();
            ac.find_overlapping_iter(t)
                .filter(|m| {
                    (m.start() == 0 || b[m.start() - 1] == b' ')
                        && b.get(m.end()).is_none_or(|&c| c == b' ')
                })
                .map(|m| m.pattern().as_usize())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Multi-word, lowercase (original, spun) pairs of the tortured-phrase
/// list, first row of each original kept.
pub fn tortured_pairs() -> Option<Vec<(String, String)>> {
    need("tortured-phrases")?;
    let mut seen = HashSet::new();
    let pairs = tortured_rows()?
        .into_iter()
        .filter(|(expected, spun)| expected.contains(' ') && spun.contains(' '))
        .filter(|(expected, _)| seen.insert(expected.clone()))
        .collect();
    Some(pairs)
}

/// The automaton [`spin`] swaps with: the originals of `pairs`, longest
/// first, in any ASCII case.
pub fn spinner(pairs: &[(String, String)]) -> AhoCorasick {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(pairs.iter().map(|(o, _)| o))
        .unwrap()
}

/// A spun copy of `text`: every whole-word occurrence of an original
/// becomes its spun form (first letter's case kept). Returns the text and
/// each swap as (range in the spun text, pair index).
pub fn spin(
    text: &str,
    ac: &AhoCorasick,
    pairs: &[(String, String)],
) -> (String, Vec<(Range<usize>, usize)>) {
    let mut out = String::with_capacity(text.len() + 64);
    let mut swaps = Vec::new();
    let mut pos = 0;
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    for m in ac.find_iter(text) {
        if word(text[..m.start()].chars().next_back()) || word(text[m.end()..].chars().next()) {
            continue;
        }
        let k = m.pattern().as_usize();
        let mut spun = pairs[k].1.clone();
        if text[m.range()].starts_with(|c: char| c.is_uppercase()) {
            spun = spun[..1].to_uppercase() + &spun[1..];
        }
        out.push_str(&text[pos..m.start()]);
        let start = out.len();
        out.push_str(&spun);
        swaps.push((start..out.len(), k));
        pos = m.end();
    }
    out.push_str(&text[pos..]);
    (out, swaps)
}
