//! The spun-article score: `check --stats`, the corpus-mode filters, and
//! the calibration of the verdict on real news against spun copies of it.
//!
//! The calibration prints its figures:
//!
//! ```sh
//! cargo test --release --test integration spun_score_calibration -- --nocapture
//! ```
//!
//! Real news: BBC News (2,225 articles) and the article-extraction
//! benchmark's ground truth (181 articles), from `../shared/corpus/`. Spun
//! news: the same articles with correct phrases swapped for spun ones at a
//! rate, using the default spinner packs' own pairs reversed (`international
//! law` → `global law`) and the Problematic Paper Screener's tortured
//! phrases reversed (`data mining` → `information mining`). The spun copies
//! are made here, at test time, and never written to disk.

#![allow(clippy::print_stdout)]

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use serde_json::Value;

use copydesk::rules::load::Loader;
use copydesk::rules::Find;
use copydesk::score::{Scorer, Stats, Verdict, DEFAULT_THRESHOLD, SPINNER_PACKS};
use copydesk::{Options, Pipeline};

use crate::util::copydesk_in;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared");

fn defaults() -> Pipeline {
    let mut l = Loader::new();
    l.add_builtin();
    Pipeline::new(Arc::new(l.build().unwrap()), Options::default())
}

const SPUN: &str = "Talks between Russian Federation and the Joined together States stalled.\nThe strike violated global law, an worldwide coalition said.\nCounterfeit news spread fast.\n";
const CLEAN: &str = "Talks between Russia and the United States stalled.\nThe strike violated international law, a coalition said.\n";

#[test]
fn check_stats_gives_score_share_and_verdict() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("spun.txt"), SPUN).unwrap();
    fs::write(dir.path().join("clean.txt"), CLEAN).unwrap();
    let out = copydesk_in(dir.path())
        .args(["check", "--stats", "spun.txt", "clean.txt"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().filter(|l| l.contains("spun score")).collect();
    assert_eq!(
        lines,
        [
            "spun.txt: spun score 217.4 per 1,000 words (5 hits of 5 rules in 23 words), 3 of 3 sentences touched (100%): spun",
            "clean.txt: spun score 0.0 per 1,000 words (0 hits of 0 rules in 16 words), 0 of 2 sentences touched (0%): clean",
        ],
        "{out}"
    );
    let out = copydesk_in(dir.path())
        .args([
            "check",
            "--stats",
            "--format",
            "json",
            "spun.txt",
            "clean.txt",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let stats = &doc["files"][0]["stats"];
    assert_eq!(stats["hits"], 5);
    assert_eq!(stats["tells"], 5);
    assert_eq!(stats["words"], 23);
    assert_eq!(stats["sentences"], 3);
    assert_eq!(stats["sentences_touched"], 3);
    assert_eq!(stats["verdict"], "spun");
    assert_eq!(doc["files"][1]["stats"]["verdict"], "clean");
    // Without --stats the JSON has no stats.
    let out = copydesk_in(dir.path())
        .args(["check", "--format", "json", "spun.txt"])
        .assert()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert!(doc["files"][0].get("stats").is_none());
}

#[test]
fn misused_words_and_artefacts_do_not_count_as_spinning() {
    let p = defaults();
    let text = "Police disbursed the crowd.We have gotten it.it's too big.";
    let out = p.run(text);
    assert!(out.edits.len() >= 2, "{:?}", out.edits);
    let stats = Scorer::new(p.rules()).score(text, &out.edits);
    assert_eq!((stats.hits, stats.verdict), (0, Verdict::Clean));
}

#[test]
fn corpus_mode_drops_records_outside_the_score_range() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        serde_json::json!({"id": 1, "text": SPUN}).to_string(),
        serde_json::json!({"id": 2, "text": CLEAN}).to_string(),
        "not json".to_string(),
        serde_json::json!({"id": 3, "text": "Nothing here at all."}).to_string(),
    ];
    let input = records.join("\n") + "\n";
    // Keep the clean ones: drop anything with a spinner hit.
    let out = copydesk_in(dir.path())
        .args([
            "clean",
            "--jsonl",
            "text",
            "--max-score",
            "0",
            "--report",
            "r.jsonl",
        ])
        .write_stdin(input.clone())
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let ids: Vec<String> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l)
                .map(|v| v["id"].to_string())
                .unwrap_or_else(|_| l.to_string())
        })
        .collect();
    assert_eq!(ids, ["2", "not json", "3"], "{stdout}");
    assert!(
        stderr.contains("copydesk: note: 1 of 4 records dropped (spun score above 0)"),
        "{stderr}"
    );
    let report = fs::read_to_string(dir.path().join("r.jsonl")).unwrap();
    let first: Value = serde_json::from_str(report.lines().next().unwrap()).unwrap();
    assert_eq!(first["dropped"], true);
    assert_eq!(first["stats"]["verdict"], "spun");
    // Keep only the spun ones.
    let out = copydesk_in(dir.path())
        .args(["clean", "--jsonl", "text", "--min-score", "10"])
        .write_stdin(records[..2].join("\n"))
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.contains("international law"), "{stdout}");
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("1 of 2 records dropped (spun score below 10)"));
    // An empty range is an error, before any record is read.
    copydesk_in(dir.path())
        .args([
            "clean",
            "--jsonl",
            "text",
            "--min-score",
            "5",
            "--max-score",
            "1",
        ])
        .write_stdin(input)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "--min-score 5 is above --max-score 1",
        ));
    // The filters belong to corpus mode.
    copydesk_in(dir.path())
        .args(["clean", "--max-score", "1"])
        .write_stdin("x")
        .assert()
        .code(2);
}

// ---------------------------------------------------------------------------
// Calibration
// ---------------------------------------------------------------------------

/// Real news articles from the shared corpus, or `None` when absent.
fn real_news(every: usize) -> Option<Vec<(String, String)>> {
    let bbc = Path::new(SHARED).join("corpus/bbc-news");
    let bench = Path::new(SHARED).join("corpus/article-extraction-benchmark/ground-truth.json");
    if !bbc.is_dir() || !bench.is_file() {
        return None;
    }
    let mut docs = Vec::new();
    let mut dirs: Vec<_> = fs::read_dir(&bbc)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        let mut files: Vec<_> = fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let bytes = fs::read(&f).unwrap();
            docs.push((
                format!("bbc/{}", f.strip_prefix(&bbc).unwrap().display()),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    let truth: HashMap<String, Value> =
        serde_json::from_str(&fs::read_to_string(bench).unwrap()).unwrap();
    let mut keys: Vec<&String> = truth.keys().collect();
    keys.sort();
    for k in keys {
        if let Some(body) = truth[k]["articleBody"].as_str() {
            docs.push((format!("benchmark/{}", &k[..8]), body.to_string()));
        }
    }
    Some(docs.into_iter().step_by(every).collect())
}

/// AG News items (title and description: short), or `None` when absent.
fn ag_news(every: usize) -> Option<Vec<String>> {
    let text = fs::read_to_string(Path::new(SHARED).join("corpus/ag-news/test.csv")).ok()?;
    let mut items = Vec::new();
    for line in text.lines() {
        // "class","title","description" with "" for a quote inside.
        let fields: Vec<String> = line
            .trim_matches('"')
            .split("\",\"")
            .map(|f| f.replace("\"\"", "\"").replace("\\n", "\n"))
            .collect();
        if fields.len() == 3 {
            items.push(format!("{}\n\n{}\n", fields[1], fields[2]));
        }
    }
    Some(items.into_iter().step_by(every).collect())
}

/// Where a spinning pair came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Source {
    Packs,
    Pps,
}

/// Correct phrase (lowercase) → spun phrase, reversed from the default
/// spinner packs and from the tortured-phrase list.
fn spinning_pairs(p: &Pipeline) -> Vec<(String, String, Source)> {
    let mut pairs: Vec<(String, String, Source)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for rule in &p.rules().rules {
        if !SPINNER_PACKS.contains(&&*rule.pack) {
            continue;
        }
        let (Find::Phrases { phrases, .. }, Some(replace)) = (&rule.find, &rule.replace) else {
            continue;
        };
        if replace.contains('$') || replace.trim().is_empty() {
            continue;
        }
        let correct = replace.to_lowercase();
        if seen.insert(correct.clone()) {
            pairs.push((correct, phrases[0].clone(), Source::Packs));
        }
    }
    for (expected, spun) in crate::common::tortured_rows().unwrap_or_default() {
        if seen.insert(expected.clone()) {
            pairs.push((expected, spun, Source::Pps));
        }
    }
    pairs
}

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Spins `text`: each whole-word occurrence of a correct phrase becomes
/// its spun phrase with probability `rate`. Returns the text and the
/// pairs swapped (indexes into `pairs`).
fn spin(
    text: &str,
    ac: &AhoCorasick,
    pairs: &[(String, String, Source)],
    rate: f64,
    rng: &mut Rng,
) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    let mut swapped = Vec::new();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    for m in ac.find_iter(text) {
        if word(text[..m.start()].chars().next_back()) || word(text[m.end()..].chars().next()) {
            continue;
        }
        if rng.next() >= rate {
            continue;
        }
        let (_, spun, _) = &pairs[m.pattern().as_usize()];
        let matched = &text[m.range()];
        let mut replacement = spun.clone();
        if matched.chars().next().is_some_and(char::is_uppercase) {
            let mut cs = replacement.chars();
            if let Some(first) = cs.next() {
                replacement = first.to_uppercase().chain(cs).collect();
            }
        }
        out.push_str(&text[pos..m.start()]);
        out.push_str(&replacement);
        pos = m.end();
        swapped.push(m.pattern().as_usize());
    }
    out.push_str(&text[pos..]);
    (out, swapped)
}

/// One document's score and what it really is.
struct Scored {
    stats: Stats,
    spun: bool,
    /// Swaps from the packs' pairs and from the tortured-phrase list.
    swaps: (usize, usize),
    /// The pairs swapped.
    swapped: Vec<usize>,
}

fn verdict(s: &Stats, threshold: f64, min_hits: usize) -> bool {
    s.hits >= min_hits.max(1) && s.score >= threshold
}

/// Precision and recall of the verdict `(threshold, min_hits)`.
fn precision_recall(docs: &[&Scored], threshold: f64, min_hits: usize) -> (f64, f64, usize, usize) {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for d in docs {
        match (verdict(&d.stats, threshold, min_hits), d.spun) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => {}
        }
    }
    let precision = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if tp + fn_ == 0 {
        1.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    (precision, recall, fp, fn_)
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i]
}

#[test]
fn spun_score_calibration() {
    // The whole corpus in release builds; one article in sixteen in debug
    // builds, where the pipeline is many times slower.
    let every = if cfg!(debug_assertions) { 16 } else { 1 };
    let Some(real) = real_news(every) else {
        eprintln!("note: ../shared/corpus absent; skipping the score calibration");
        return;
    };
    let p = defaults();
    let scorer = Scorer::new(p.rules());
    let pairs = spinning_pairs(&p);
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(pairs.iter().map(|(c, _, _)| c))
        .unwrap();
    let n_pack_pairs = pairs.iter().filter(|p| p.2 == Source::Packs).count();
    println!(
        "pairs: {} from the spinner packs, {} from the tortured-phrase list",
        n_pack_pairs,
        pairs.len() - n_pack_pairs
    );

    let rates = [0.25, 0.5, 1.0];
    let score = |text: &str| scorer.score(text, &p.run(text).edits);
    let negatives: Vec<Scored> = real
        .par_iter()
        .map(|(_, t)| Scored {
            stats: score(t),
            spun: false,
            swaps: (0, 0),
            swapped: Vec::new(),
        })
        .collect();
    let spun: Vec<Vec<Scored>> = rates
        .iter()
        .map(|&rate| {
            real.par_iter()
                .enumerate()
                .filter_map(|(i, (_, t))| {
                    let mut rng = Rng(i as u64 * 7919 + (rate * 1000.0) as u64);
                    let (text, swapped) = spin(t, &ac, &pairs, rate, &mut rng);
                    let packs = swapped
                        .iter()
                        .filter(|&&k| pairs[k].2 == Source::Packs)
                        .count();
                    let pps = swapped.len() - packs;
                    (!swapped.is_empty()).then(|| Scored {
                        stats: score(&text),
                        spun: true,
                        swaps: (packs, pps),
                        swapped,
                    })
                })
                .collect()
        })
        .collect();

    // The distribution of real news.
    let mut real_scores: Vec<f64> = negatives.iter().map(|d| d.stats.score).collect();
    real_scores.sort_by(f64::total_cmp);
    let with_hits = negatives.iter().filter(|d| d.stats.hits > 0).count();
    println!(
        "real news: {} articles; {} with any spinner hit ({:.1}%); score p50 {:.2}, p90 {:.2}, p95 {:.2}, p99 {:.2}, max {:.2}",
        negatives.len(),
        with_hits,
        100.0 * with_hits as f64 / negatives.len() as f64,
        percentile(&real_scores, 0.5),
        percentile(&real_scores, 0.9),
        percentile(&real_scores, 0.95),
        percentile(&real_scores, 0.99),
        real_scores.last().copied().unwrap_or(0.0)
    );
    if let Some(items) = ag_news(every) {
        let scored: Vec<Stats> = items.par_iter().map(|t| score(t)).collect();
        let hits = scored.iter().filter(|s| s.hits > 0).count();
        let called = scored.iter().filter(|s| s.verdict == Verdict::Spun).count();
        let words: usize = scored.iter().map(|s| s.words).sum();
        println!(
            "AG News (short items, {:.0} words each): {} items; {hits} with a spinner hit; {called} called spun",
            words as f64 / items.len() as f64,
            items.len()
        );
        assert!(
            (called as f64) < 0.005 * items.len() as f64,
            "{called} AG News items called spun"
        );
    }
    let mut hits_hist = [0usize; 4];
    for d in &negatives {
        hits_hist[d.stats.hits.min(3)] += 1;
    }
    println!(
        "real news hits per article: 0: {}, 1: {}, 2: {}, 3+: {}",
        hits_hist[0], hits_hist[1], hits_hist[2], hits_hist[3]
    );
    for (rate, docs) in rates.iter().zip(&spun) {
        let mut s: Vec<f64> = docs.iter().map(|d| d.stats.score).collect();
        s.sort_by(f64::total_cmp);
        let swaps: usize = docs.iter().map(|d| d.swaps.0 + d.swaps.1).sum();
        let pps_only = docs.iter().filter(|d| d.swaps.0 == 0).count();
        println!(
            "spun at rate {rate}: {} articles with a swap ({} with tortured-list swaps only), {:.1} swaps each; score p10 {:.2}, p50 {:.2}, p90 {:.2}",
            docs.len(),
            pps_only,
            swaps as f64 / docs.len().max(1) as f64,
            percentile(&s, 0.1),
            percentile(&s, 0.5),
            percentile(&s, 0.9)
        );
    }

    // The sweep: every (threshold, min hits) at rate 0.5, real and spun 1:1.
    let mid: Vec<&Scored> = negatives.iter().chain(&spun[1]).collect();
    println!("threshold  min-hits  precision  recall  false-pos  missed   (rate 0.5)");
    for t in [0.5, 1.0, 2.0, 3.0, 4.0, 6.0] {
        for h in [1, 2, 3] {
            let (pr, rc, fp, fn_) = precision_recall(&mid, t, h);
            println!("{t:>9.1}  {h:>8}  {pr:>9.3}  {rc:>6.3}  {fp:>9}  {fn_:>6}");
        }
    }

    // The default verdict.
    let mut lines = Vec::new();
    let mut packs_recall = Vec::new();
    for (rate, docs) in rates.iter().zip(&spun) {
        let all: Vec<&Scored> = negatives.iter().chain(docs).collect();
        let (pr, rc, fp, fn_) = precision_recall(&all, DEFAULT_THRESHOLD, 1);
        lines.push((rate, pr, rc));
        println!(
            "default verdict (score >= {DEFAULT_THRESHOLD}) at rate {rate}: precision {pr:.3}, recall {rc:.3} ({fp} false positives of {}, {fn_} missed of {})",
            negatives.len(),
            docs.len()
        );
        let by_swaps = |lo: usize, hi: usize| {
            let sel: Vec<&Scored> = docs
                .iter()
                .filter(|d| (lo..=hi).contains(&(d.swaps.0 + d.swaps.1)))
                .collect();
            let caught = sel
                .iter()
                .filter(|d| verdict(&d.stats, DEFAULT_THRESHOLD, 1))
                .count();
            (caught, sel.len())
        };
        let parts: Vec<String> = [(1, 1), (2, 2), (3, 4), (5, usize::MAX)]
            .iter()
            .map(|&(lo, hi)| {
                let (c, n) = by_swaps(lo, hi);
                let label = match (lo, hi) {
                    (5, _) => "5+".to_string(),
                    (l, h) if l == h => l.to_string(),
                    (l, h) => format!("{l}-{h}"),
                };
                format!("{label} swaps {c}/{n}")
            })
            .collect();
        println!("  recall by swaps: {}", parts.join(", "));
        let packs: Vec<&Scored> = docs.iter().filter(|d| d.swaps.0 > 0).collect();
        let caught = packs
            .iter()
            .filter(|d| verdict(&d.stats, DEFAULT_THRESHOLD, 1))
            .count();
        packs_recall.push(caught as f64 / packs.len().max(1) as f64);
        println!(
            "  with a swap from the packs' own pairs: {caught}/{} caught ({:.3})",
            packs.len(),
            caught as f64 / packs.len().max(1) as f64
        );
        let pps: Vec<&Scored> = docs.iter().filter(|d| d.swaps.0 == 0).collect();
        let caught = pps
            .iter()
            .filter(|d| verdict(&d.stats, DEFAULT_THRESHOLD, 1))
            .count();
        println!("  tortured-list swaps only: {caught}/{} caught", pps.len());
    }

    // The tortured phrases news copy offered most (rate 1): none is in the
    // packs, which is why those copies go unnoticed.
    let mut freq: HashMap<usize, usize> = HashMap::new();
    for d in &spun[2] {
        for &k in &d.swapped {
            if pairs[k].2 == Source::Pps {
                *freq.entry(k).or_default() += 1;
            }
        }
    }
    let mut top: Vec<(usize, usize)> = freq.into_iter().collect();
    top.sort_by_key(|&(k, n)| (std::cmp::Reverse(n), k));
    let shown: Vec<String> = top
        .iter()
        .take(12)
        .map(|&(k, n)| format!("{} → {} ({n})", pairs[k].0, pairs[k].1))
        .collect();
    println!("most swapped tortured-list phrases: {}", shown.join("; "));

    // The real spun article.
    let example = Path::new(SHARED).join("examples/spun-article.txt");
    if let Ok(text) = fs::read_to_string(example) {
        let s = score(&text);
        println!("examples/spun-article.txt: {}", s.summary());
        assert_eq!(s.verdict, Verdict::Spun);
    }

    // What a user relies on: real news is almost never called spun, and a
    // copy with a handful of spun phrases (half of what could be swapped)
    // is caught most of the time.
    let (pr, rc) = (lines[1].1, lines[1].2);
    assert!(pr >= 0.99, "precision {pr:.3} at rate 0.5");
    assert!(rc >= 0.75, "recall {rc:.3} at rate 0.5");
    assert!(
        packs_recall[1] >= 0.95,
        "recall {:.3} on pack swaps",
        packs_recall[1]
    );
    let all_neg: Vec<&Scored> = negatives.iter().collect();
    let (_, _, fp, _) = precision_recall(&all_neg, DEFAULT_THRESHOLD, 1);
    assert!(
        (fp as f64) < 0.01 * negatives.len() as f64,
        "{fp} real articles called spun"
    );
}
