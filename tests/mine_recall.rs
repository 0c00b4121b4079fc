//! `rules mine` on spun news: BBC News split in two halves by article, one
//! half spun with half of the tortured-phrase pairs, mined against the
//! other, unspun half. The pairs are a yardstick only (see
//! `tests/spun_recall.rs`); the figures print with
//!
//! ```sh
//! cargo test --release --test mine_recall -- --nocapture
//! ```
//!
//! Without the corpus the test notes it and passes, unless `CI` is set.

#![allow(clippy::print_stderr, clippy::print_stdout)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use copydesk::mine::{contains_words, Miner};
use copydesk::rules::load::Loader;

/// Candidates looked at, as `--top` defaults to.
const TOP: usize = 200;

/// Share of the spun phrases that occur which must be among the [`TOP`]
/// candidates.
const MIN_FOUND: f64 = 0.05;

#[test]
fn mining_a_spun_half_against_a_sound_half_proposes_spun_phrases() {
    let (Some(pairs), Some(bbc)) = (common::tortured_pairs(), common::bbc_news()) else {
        return;
    };
    let pairs: Vec<(String, String)> = pairs.into_iter().step_by(2).collect();
    let ac = common::spinner(&pairs);
    let mut builtin = Loader::new();
    builtin.add_builtin();
    let mut miner = Miner::new().with_synonyms(&Arc::new(builtin.build().unwrap()));
    for (_, text) in bbc.iter().skip(1).step_by(2) {
        miner.add_reference(text);
    }
    let mut spun = BTreeSet::new();
    for (_, text) in bbc.iter().step_by(2) {
        let (text, swaps) = common::spin(text, &ac, &pairs);
        spun.extend(swaps.into_iter().map(|(_, k)| k));
        miner.add_suspect(&text);
    }
    let candidates = miner.candidates(TOP);
    let proposes = |k: usize| {
        let phrase = common::words(&pairs[k].1);
        candidates
            .iter()
            .position(|c| contains_words(&phrase, &c.phrase) || contains_words(&c.phrase, &phrase))
    };
    let found: Vec<(usize, usize)> = spun
        .iter()
        .filter_map(|&k| proposes(k).map(|rank| (k, rank)))
        .collect();
    let share = found.len() as f64 / spun.len().max(1) as f64;
    println!(
        "{} of {} spun phrases that occur are in the top {TOP} candidates ({:.0}%)",
        found.len(),
        spun.len(),
        100.0 * share
    );
    for (k, rank) in &found {
        let c = &candidates[*rank];
        println!(
            "  #{:<3} {} → {} (spun {} ← {})",
            rank + 1,
            c.phrase,
            c.original,
            pairs[*k].1,
            pairs[*k].0
        );
    }
    for k in spun.iter().filter(|k| !found.iter().any(|f| f.0 == **k)) {
        println!("  missed: {} ← {}", pairs[*k].1, pairs[*k].0);
    }
    assert!(spun.len() >= 20, "only {} spun phrases occur", spun.len());
    assert!(share >= MIN_FOUND, "{share:.2} below {MIN_FOUND}");
}
