//! The spun-article score: how much of a document the spinner packs had to
//! repair, so that a data team can drop spun articles from a corpus and an
//! editor can see at a glance that a text came out of a spinner.
//!
//! A *hit* is an edit (applied or not, any level) made by a rule of one of
//! the [`SPINNER_PACKS`]: `spun-phrases` (synonym swaps and tortured
//! phrases) and `entity-names` (spun names of countries and institutions).
//! Those are the damage only a spinner does. Misused words and scraping
//! artefacts are left out: honest copy has them too, so they say nothing
//! about spinning. A pack counts by its name, so a user pack named
//! `spun-phrases` that replaces the default one counts too.
//!
//! The score is hits per 1,000 words; the verdict is `spun` when the score
//! reaches [`DEFAULT_THRESHOLD`]. The distinct rules among the hits (the
//! tells) are reported beside it. It was calibrated on real news against
//! spun copies of it (see `docs/review.md` and
//! `tests/integration/score.rs`): the spinner packs found nothing in 2,406
//! real articles, so one hit per 1,000 words is already a spinner's mark,
//! while a single hit in a long feature is not enough.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::edit::{ranges_overlap, Edit};
use crate::rules::RuleSet;

/// The packs whose edits count as spinner hits.
pub const SPINNER_PACKS: &[&str] = &["spun-phrases", "entity-names"];

/// Hits per 1,000 words from which a document is called spun.
pub const DEFAULT_THRESHOLD: f64 = 1.0;

/// Whether a document looks spun.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// At or above the threshold.
    Spun,
    /// Below it.
    Clean,
}

impl Verdict {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Spun => "spun",
            Verdict::Clean => "clean",
        }
    }
}

/// The score of one document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stats {
    /// Words in the input (runs of non-space characters holding a letter or
    /// digit).
    pub words: usize,
    /// Sentences in the input (ended by `.`, `!`, `?`, `…` before a space,
    /// or by a line break).
    pub sentences: usize,
    /// Edits of the spinner packs.
    pub hits: usize,
    /// Distinct spinner rules among the hits: the tells.
    pub tells: usize,
    /// Hits per 1,000 words (0 for a text without words).
    pub score: f64,
    /// Sentences holding at least one hit.
    pub sentences_touched: usize,
    /// `sentences_touched / sentences` (0 for a text without sentences).
    pub touched_share: f64,
    /// `spun` or `clean`.
    pub verdict: Verdict,
}

impl Stats {
    /// One line for people: `spun score 12.3 per 1,000 words (5 hits of 4
    /// rules in 405 words), 4 of 20 sentences touched (20%): spun`.
    pub fn summary(&self) -> String {
        format!(
            "spun score {:.1} per 1,000 words ({} hit{} of {} rule{} in {} word{}), {} of {} sentence{} touched ({:.0}%): {}",
            self.score,
            self.hits,
            if self.hits == 1 { "" } else { "s" },
            self.tells,
            if self.tells == 1 { "" } else { "s" },
            self.words,
            if self.words == 1 { "" } else { "s" },
            self.sentences_touched,
            self.sentences,
            if self.sentences == 1 { "" } else { "s" },
            self.touched_share * 100.0,
            self.verdict.as_str()
        )
    }
}

/// Scores documents against one rule set.
#[derive(Clone, Debug)]
pub struct Scorer {
    spinner_rules: HashSet<Arc<str>>,
    threshold: f64,
}

impl Scorer {
    /// Counts the rules of the [`SPINNER_PACKS`] in `rules`, with the
    /// default threshold.
    pub fn new(rules: &RuleSet) -> Scorer {
        let spinner_rules = rules
            .rules
            .iter()
            .filter(|r| SPINNER_PACKS.contains(&&*r.pack))
            .map(|r| Arc::clone(&r.id))
            .collect();
        Scorer {
            spinner_rules,
            threshold: DEFAULT_THRESHOLD,
        }
    }

    /// Uses `threshold` (hits per 1,000 words) for the verdict.
    pub fn with_threshold(mut self, threshold: f64) -> Scorer {
        self.threshold = threshold;
        self
    }

    /// Returns true if the edit was made by a spinner rule (or absorbed
    /// one).
    pub fn is_hit(&self, e: &Edit) -> bool {
        self.hit(e).is_some()
    }

    /// The spinner rule of an edit: its own, else the first it absorbed.
    fn hit<'e>(&self, e: &'e Edit) -> Option<&'e Arc<str>> {
        std::iter::once(&e.rule)
            .chain(&e.also)
            .find(|id| self.spinner_rules.contains(*id))
    }

    /// Scores `text` given the edits the pipeline found in it.
    pub fn score(&self, text: &str, edits: &[Edit]) -> Stats {
        let words = count_words(text);
        let sentences = sentences(text);
        let mut seen: HashSet<&Arc<str>> = HashSet::new();
        let mut hits: Vec<&Range<usize>> = Vec::new();
        for (e, rule) in edits.iter().filter_map(|e| Some((e, self.hit(e)?))) {
            seen.insert(rule);
            hits.push(&e.range);
        }
        let touched = sentences
            .iter()
            .filter(|s| {
                hits.iter()
                    .any(|h| ranges_overlap(s, h) || (h.is_empty() && s.contains(&h.start)))
            })
            .count();
        let score = if words == 0 {
            0.0
        } else {
            hits.len() as f64 * 1000.0 / words as f64
        };
        let verdict = if !hits.is_empty() && score >= self.threshold {
            Verdict::Spun
        } else {
            Verdict::Clean
        };
        Stats {
            words,
            sentences: sentences.len(),
            hits: hits.len(),
            tells: seen.len(),
            score,
            sentences_touched: touched,
            touched_share: if sentences.is_empty() {
                0.0
            } else {
                touched as f64 / sentences.len() as f64
            },
            verdict,
        }
    }
}

/// Counts runs of non-space characters that hold a letter or a digit.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The byte ranges of the sentences of `text` that hold a word.
///
/// A sentence ends after `.`, `!`, `?` or `…` (and any closing quotes or
/// brackets) followed by white space, or at a line break: headlines and
/// paragraphs of scraped copy often end without a full stop.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    let mut ended = false; // a terminator (and closers) was just seen
    while let Some((i, c)) = chars.next() {
        let boundary = match c {
            '\n' => Some(i + 1),
            '.' | '!' | '?' | '…' => {
                ended = true;
                None
            }
            '"' | '\'' | '”' | '’' | ')' | ']' | '»' if ended => None,
            c if c.is_whitespace() && ended => Some(i),
            _ => {
                ended = false;
                None
            }
        };
        if let Some(end) = boundary {
            ended = false;
            if text[start..end].chars().any(char::is_alphanumeric) {
                out.push(start..end);
            }
            start = end;
        }
        if chars.peek().is_none() && text[start..].chars().any(char::is_alphanumeric) {
            out.push(start..text.len());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_terminators_and_lines() {
        let text = "Talks Stall\n\nHe said \"no.\" Then left! Why? 2.5 per cent of it\nEnd";
        let got: Vec<&str> = sentences(text)
            .into_iter()
            .map(|r| text[r].trim())
            .collect();
        assert_eq!(
            got,
            [
                "Talks Stall",
                "He said \"no.\"",
                "Then left!",
                "Why?",
                "2.5 per cent of it",
                "End"
            ]
        );
        assert!(sentences("  \n ... \n").is_empty());
    }

    /// Scores `text` with a `spun-phrases` pack of one fix and one
    /// suggestion.
    fn score_with_graded_pack(text: &str) -> Stats {
        let mut loader = crate::rules::load::Loader::new();
        loader.add_source(
            "spun.yaml",
            "pack: spun-phrases\nrules:\n  - { id: a, find: [global law], replace: international law, why: w }\n  - { id: b, find: [counterfeit news], replace: fake news, why: w }\n  - { id: c, level: suggest, find: [bogus news], replace: fake news, why: w }\n",
        );
        let rules = Arc::new(loader.build().unwrap());
        let pipeline = crate::Pipeline::new(Arc::clone(&rules), crate::Options::default());
        Scorer::new(&rules).score(text, &pipeline.run(text).edits)
    }

    #[test]
    fn hits_count_each_and_tells_count_rules() {
        let filler = " word".repeat(96);
        let repeated = score_with_graded_pack(&format!("global law, global law.{filler}"));
        let distinct = score_with_graded_pack(&format!("global law, counterfeit news.{filler}"));
        let suggested = score_with_graded_pack(&format!("bogus news.{filler}"));
        assert_eq!((repeated.hits, repeated.tells), (2, 1));
        assert_eq!((distinct.hits, distinct.tells), (2, 2));
        assert_eq!((suggested.hits, suggested.tells), (1, 1));
        // 100 words: two hits per 100 words.
        assert!((repeated.score - 20.0).abs() < 1e-9, "{}", repeated.score);
        assert!((distinct.score - 20.0).abs() < 1e-9, "{}", distinct.score);
    }

    #[test]
    fn words_need_a_letter_or_digit() {
        assert_eq!(count_words("A stray - tag, 2.5 — ok"), 5);
        assert_eq!(count_words(""), 0);
    }
}
