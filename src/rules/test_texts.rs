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
    let news = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/bbc-news");
    match std::fs::read_dir(news) {
        Ok(topics) => {
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
            texts.push(doc);
        }
        Err(_) => eprintln!("note: {news} is absent: news skipped"),
    }
    texts
}
