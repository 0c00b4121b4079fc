//! Texts that tests run every default pattern over: the packs' own
//! examples, their upper-case forms (literals are compared ignoring ASCII
//! case), all of them as lines of one document, and real news from the
//! shared corpus when it is there.

use crate::rules::RuleSet;

/// The texts for `set`, with `per_topic` news articles of each topic of
/// the corpus joined into one document (none when the corpus is absent,
/// with a note).
#[allow(clippy::print_stderr)]
pub fn pattern_texts(set: &RuleSet, per_topic: usize) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    for rule in &set.rules {
        for ex in &rule.examples {
            texts.extend(ex.before.iter().chain(&ex.keep).cloned());
        }
    }
    let upper: Vec<String> = texts.iter().map(|t| t.to_uppercase()).collect();
    texts.extend(upper);
    texts.push(texts.join("\n"));
    texts.extend(news(per_topic));
    texts
}

/// `per_topic` news articles of each topic of the shared corpus joined
/// into one document; `None` (with a note) when the corpus is absent.
#[allow(clippy::print_stderr)]
pub fn news(per_topic: usize) -> Option<String> {
    let news = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/bbc-news");
    let Ok(topics) = std::fs::read_dir(news) else {
        eprintln!("note: {news} is absent: news skipped");
        return None;
    };
    let mut doc = String::new();
    for topic in topics.flatten() {
        let files = std::fs::read_dir(topic.path())
            .into_iter()
            .flatten()
            .flatten();
        for f in files.take(per_topic) {
            doc.extend(std::fs::read_to_string(f.path()));
        }
    }
    Some(doc)
}

/// A small deterministic source of numbers for generated test texts
/// (xorshift): the same sequence on every run.
pub fn numbers(seed: u32) -> impl FnMut() -> usize {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize
    }
}

/// A text made of `parts` picked by `next`, up to `max` of them.
pub fn pieced(parts: &[&str], max: usize, next: &mut impl FnMut() -> usize) -> String {
    let mut text = String::new();
    for _ in 0..next() % max {
        text.push_str(parts[next() % parts.len()]);
    }
    text
}
