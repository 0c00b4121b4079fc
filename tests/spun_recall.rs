//! Spun-phrase recall: the share of the phrases a spinner swaps in BBC News
//! that the default packs restore, with the misses listed by pair.
//!
//! The yardstick is the Problematic Paper Screener's tortured-phrase list
//! in `../shared/corpus/tortured-phrases`: no rule is taken from it; BBC
//! articles are spun with its pairs here, at test time, and cleaned. The
//! figures print with
//!
//! ```sh
//! cargo test --release --test spun_recall -- --nocapture
//! ```
//!
//! Without the corpus the tests note it and pass, unless `CI` is set.

#![allow(clippy::print_stderr, clippy::print_stdout)]

mod common;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use copydesk::rules::load::Loader;
use copydesk::{Options, Pipeline};
use rayon::prelude::*;

/// Share of spun occurrences the default packs must restore: the measured
/// figure (see the rules chapter of the manual), less a margin for rounding.
const MIN_RECALL: f64 = 0.25;

/// Every sound news text: BBC News, AG News, the extraction benchmark's
/// three versions, the multilingual articles.
fn sound_news() -> Option<Vec<String>> {
    common::need("bbc-news")?;
    let mut texts = common::texts(common::bbc_news()?);
    texts.extend(ag_news()?);
    for file in [
        "ground-truth.json",
        "output-html-text.json",
        "output-trafilatura.json",
    ] {
        texts.extend(common::texts(common::benchmark(file)?));
    }
    let dir = common::need("multilingual-news")?;
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .map(|e| e.expect("a listed file").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    for p in paths {
        texts.push(std::fs::read_to_string(p).ok()?);
    }
    Some(texts)
}

/// AG News items: title and description.
fn ag_news() -> Option<Vec<String>> {
    let titles = common::corpus_text("ag-news/test.csv")?;
    let descriptions = common::ag_news_descriptions()?;
    // Titles are read crudely (the second quoted field); descriptions
    // through the shared CSV reader.
    let mut items: Vec<String> = titles
        .lines()
        .filter_map(|l| l.split("\",\"").nth(1).map(|t| t.replace("\"\"", "\"")))
        .collect();
    items.extend(descriptions);
    Some(items)
}

fn defaults() -> Pipeline {
    let mut l = Loader::new();
    l.add_builtin();
    Pipeline::new(Arc::new(l.build().unwrap()), Options::default())
}

#[test]
fn default_packs_restore_spun_bbc_phrases() {
    let (Some(pairs), Some(sound)) = (common::tortured_pairs(), sound_news()) else {
        return;
    };
    let Some(bbc) = common::bbc_news() else {
        return;
    };
    // Pairs whose spun form never occurs in sound news and whose original
    // occurs in BBC News.
    let sound_words: Vec<String> = sound.par_iter().map(|t| common::words(t)).collect();
    let bbc_words: Vec<String> = bbc.par_iter().map(|(_, t)| common::words(t)).collect();
    let spun_words: Vec<String> = pairs.iter().map(|(_, s)| common::words(s)).collect();
    let original_words: Vec<String> = pairs.iter().map(|(o, _)| common::words(o)).collect();
    let seen_spun = common::occurring(&sound_words, &spun_words);
    let in_bbc = common::occurring(&bbc_words, &original_words);
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .enumerate()
        .filter(|(k, _)| !seen_spun.contains(k) && in_bbc.contains(k))
        .map(|(_, pair)| pair)
        .collect();
    let ac = common::spinner(&pairs);
    let p = defaults();
    // (pair, restored) per swap.
    let results: Vec<(usize, bool)> = bbc
        .par_iter()
        .flat_map_iter(|(_, text)| {
            let (spun, swaps) = common::spin(text, &ac, &pairs);
            if swaps.is_empty() {
                return Vec::new();
            }
            let out = p.run(&spun);
            swaps
                .into_iter()
                .map(|(range, k)| {
                    let restored = out.edits.iter().any(|e| {
                        e.applied
                            && e.range.start <= range.start
                            && range.end <= e.range.end
                            && common::words(e.replacement()).contains(&common::words(&pairs[k].0))
                    });
                    (k, restored)
                })
                .collect()
        })
        .collect();
    let total = results.len();
    let restored = results.iter().filter(|r| r.1).count();
    let mut missed: BTreeMap<usize, usize> = BTreeMap::new();
    for &(k, ok) in &results {
        if !ok {
            *missed.entry(k).or_default() += 1;
        }
    }
    let mut missed: Vec<(usize, usize)> = missed.into_iter().collect();
    missed.sort_by_key(|&(k, n)| (std::cmp::Reverse(n), k));
    let distinct: HashSet<usize> = results.iter().map(|r| r.0).collect();
    let distinct_ok: HashSet<usize> = results.iter().filter(|r| r.1).map(|r| r.0).collect();
    let recall = restored as f64 / total.max(1) as f64;
    println!(
        "{} pairs; {total} spun occurrences, {restored} restored ({:.1}%); {} of {} distinct pairs",
        pairs.len(),
        100.0 * recall,
        distinct_ok.len(),
        distinct.len()
    );
    for (k, n) in missed.iter().take(40) {
        println!("  missed {n:>3}: {} ← {}", pairs[*k].0, pairs[*k].1);
    }
    assert!(total > 400, "only {total} spun occurrences");
    assert!(
        recall >= MIN_RECALL,
        "recall {recall:.3} below {MIN_RECALL}"
    );
}
