//! The phrases rules require somewhere in the document: one automaton over
//! all of them, searched until every rule that needs one has one.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use super::at_word_boundary;
use crate::blocks::paragraph_chunks;
use crate::fold::Folded;

/// Size of the pieces the phrases are looked for in, between checks
/// whether every rule has one.
pub(crate) const REQUIRES_CHUNK: usize = 16 * 1024;

/// Every folded `requires` phrase of a rule set, and which rules need
/// which.
#[derive(Debug, Default)]
pub(crate) struct Requires {
    /// Automaton over every folded phrase.
    ac: Option<AhoCorasick>,
    /// Per rule, the ids of its phrases in that automaton.
    by_rule: HashMap<u32, Vec<u32>>,
    /// Number of distinct phrases.
    len: usize,
}

impl Requires {
    /// The index over each rule's folded phrases (rules without any left
    /// out).
    pub(crate) fn build<'a>(rules: impl IntoIterator<Item = (u32, &'a [String])>) -> Requires {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut phrases: Vec<String> = Vec::new();
        let mut by_rule = HashMap::new();
        for (rule, needed) in rules {
            if needed.is_empty() {
                continue;
            }
            let list = needed
                .iter()
                .map(|r| {
                    *ids.entry(r.clone()).or_insert_with(|| {
                        phrases.push(r.clone());
                        (phrases.len() - 1) as u32
                    })
                })
                .collect();
            by_rule.insert(rule, list);
        }
        // A contiguous NFA: the default (a DFA, for so few phrases) takes
        // longer to build than the one search it serves per document.
        let ac = (!phrases.is_empty()).then(|| {
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&phrases)
                .expect("requires automaton builds")
        });
        Requires {
            ac,
            by_rule,
            len: phrases.len(),
        }
    }

    /// Number of distinct phrases (the length of a `present` list).
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Returns true if `rule` needs one of these phrases.
    pub(crate) fn needed_by(&self, rule: u32) -> bool {
        self.by_rule.contains_key(&rule)
    }

    /// Returns true if `rule` needs none, or one of its phrases is marked
    /// in `present` (see [`Requires::find`]).
    pub(crate) fn met(&self, rule: u32, present: &[bool]) -> bool {
        self.by_rule
            .get(&rule)
            .is_none_or(|ids| ids.iter().any(|&i| present[i as usize]))
    }

    /// For a later round that reads only `windows` (the paragraphs holding
    /// every change since the pass last ran): which phrases occur, and
    /// whether some rule's condition may have come true since then, which
    /// calls for reading the whole text. A condition met by a phrase
    /// outside the windows was met then too, so the rule's matches outside
    /// were found then; one met only inside them may be new.
    pub(crate) fn around(&self, text: &str, windows: &[Range<usize>]) -> (Vec<bool>, bool) {
        let mut outside = vec![false; self.len];
        let mut gaps = Vec::with_capacity(windows.len() + 1);
        let mut pos = 0;
        for w in windows {
            gaps.push(pos..w.start);
            pos = w.end;
        }
        gaps.push(pos..text.len());
        self.find(text, gaps, &mut outside);
        let mut present = outside.clone();
        self.find(text, windows.iter().cloned(), &mut present);
        let met = |ids: &Vec<u32>, found: &[bool]| ids.iter().any(|&i| found[i as usize]);
        let came_true = self
            .by_rule
            .values()
            .any(|ids| !met(ids, &outside) && met(ids, &present));
        (present, came_true)
    }

    /// Marks in `present` the phrases that occur (as whole words) in
    /// `regions` of `text` (whole paragraphs), until every rule has one: a
    /// rule needs one of its phrases, not all, so on news the search stops
    /// after a few paragraphs.
    pub(crate) fn find(
        &self,
        text: &str,
        regions: impl IntoIterator<Item = Range<usize>>,
        present: &mut [bool],
    ) {
        let Some(ac) = &self.ac else {
            return;
        };
        let all_met = |present: &[bool]| {
            self.by_rule
                .values()
                .all(|ids| ids.iter().any(|&i| present[i as usize]))
        };
        if all_met(present) {
            return;
        }
        let mut folded = Folded::default();
        for region in regions {
            for (_, chunk) in paragraph_chunks(&text[region], REQUIRES_CHUNK) {
                folded.refold(chunk);
                for m in ac.find_overlapping_iter(folded.bytes()) {
                    let s = folded.to_original(m.start());
                    let e = folded.to_original(m.end());
                    if chunk.is_char_boundary(s)
                        && chunk.is_char_boundary(e)
                        && at_word_boundary(chunk, &(s..e), (true, true))
                    {
                        present[m.pattern().as_usize()] = true;
                    }
                }
                if all_met(present) {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::Loader;

    /// In a later round, a `requires` condition met outside the changed
    /// paragraphs was met before, so they alone are read; one met only
    /// inside them may be new, and the whole text is read. The search for
    /// the phrases stops once every rule has one.
    #[test]
    fn requires_decide_what_a_later_round_reads() {
        let mut loader = Loader::new();
        loader.add_source(
            "p.yaml",
            "pack: p\nrules:\n  - id: polling\n    find: surveying station\n    replace: polling station\n    requires: [election, ballot]\n  - id: curve\n    find: curb\n    replace: curve\n    requires: [pandemic]\n",
        );
        let set = loader.build().unwrap();
        let m = &set.requires;
        let text = "The election.\n\nA pandemic.\n\nThe ballot.\n\nQuiet.\n";
        let para = |s: &str| {
            let at = text.find(s).unwrap();
            at..text[at..].find("\n\n").map_or(text.len(), |k| at + k + 2)
        };
        let ids = |present: &[bool]| {
            let names = ["election", "ballot", "pandemic"];
            let found: Vec<&str> = names
                .into_iter()
                .enumerate()
                .filter(|&(i, _)| present[i])
                .map(|(_, n)| n)
                .collect();
            found
        };
        // Every condition met outside the window: the window alone.
        let (present, came_true) = m.around(text, &[para("Quiet")]);
        assert!(!came_true);
        assert_eq!(ids(&present), ["election", "ballot", "pandemic"]);
        // `pandemic` only inside: it may be new.
        let (_, came_true) = m.around(text, &[para("A pandemic")]);
        assert!(came_true);
        // `election` inside, but `ballot` outside meets the same rule.
        let (_, came_true) = m.around(text, &[para("The election")]);
        assert!(!came_true);
        // The search stops once every rule has a phrase: `ballot`, far
        // after `election` and `pandemic`, is never reached.
        let long = format!(
            "The election, a pandemic.\n\n{}The ballot.\n",
            "Quiet words.\n\n".repeat(4 * REQUIRES_CHUNK / 14)
        );
        let mut present = vec![false; 3];
        m.find(&long, std::iter::once(0..long.len()), &mut present);
        assert_eq!(ids(&present), ["election", "pandemic"]);
    }
}
