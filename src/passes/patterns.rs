//! The pattern pass: regex rules, in pack order.
//!
//! Patterns are few and each needs its own regex, so they run one after
//! another over the text; overlaps between them are resolved by the
//! pipeline (leftmost first, then pack order).

use std::cell::OnceCell;
use std::sync::Arc;

use crate::edit::{Edit, Level};
use crate::fold::{fold_phrase, Folded};
use crate::passes::phrases::at_word_boundary;
use crate::passes::{is_word_char, Context, Pass};
use crate::rules::{Find, InQuotes, RuleSet};
use crate::spans::quoted_regions;

/// The pass that runs every pattern rule.
pub struct Patterns {
    /// The rules.
    pub rules: Arc<RuleSet>,
}

impl Pass for Patterns {
    fn name(&self) -> &'static str {
        "patterns"
    }

    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        find_edits(&self.rules, text, cx, out);
    }
}

/// Finds every pattern-rule edit in `text` (levels as declared, `applied`
/// left false).
pub fn find_edits(set: &RuleSet, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
    let quotes = OnceCell::new();
    let folded = OnceCell::new();
    for &ri in &set.patterns {
        let rule = &set.rules[ri];
        let Find::Pattern(re) = &rule.find else {
            continue;
        };
        if !cx.enabled(&rule.id) {
            continue;
        }
        if !rule.requires.is_empty() {
            let f: &Folded = folded.get_or_init(|| Folded::new(text));
            if !rule
                .requires
                .iter()
                .any(|r| f.as_str().contains(r.as_str()))
            {
                continue;
            }
        }
        let mut buf = String::new();
        for caps in re.captures_iter(text) {
            let m = caps.get(0).expect("group 0");
            let range = m.range();
            if range.is_empty() || cx.protected.overlaps(&range) {
                continue;
            }
            if rule.word_boundary {
                let s = m.as_str();
                let edges = (
                    s.chars().next().is_some_and(is_word_char),
                    s.chars().next_back().is_some_and(is_word_char),
                );
                if !at_word_boundary(text, &range, edges) {
                    continue;
                }
            }
            if covered_by_unless(text, &range, &rule.unless) {
                continue;
            }
            let mut level = rule.level;
            if rule.in_quotes != InQuotes::Apply && cx.check_quotes {
                let q = quotes.get_or_init(|| quoted_regions(text));
                if q.overlaps(&range) {
                    if rule.in_quotes == InQuotes::Skip {
                        continue;
                    }
                    level = level.min(Level::Suggest);
                }
            }
            let after = rule.replace.as_ref().map(|template| {
                buf.clear();
                caps.expand(template, &mut buf);
                buf.clone()
            });
            if after.as_deref() == Some(m.as_str()) {
                continue;
            }
            out.push(Edit::new(&rule.id, level, text, range, after, &rule.why));
        }
    }
}

/// Returns true if one of the folded `unless` phrases occurs in `text`
/// around `range` (checked on a small window, folded on the fly).
fn covered_by_unless(text: &str, range: &std::ops::Range<usize>, unless: &[String]) -> bool {
    if unless.is_empty() {
        return false;
    }
    let longest = unless.iter().map(String::len).max().unwrap_or(0);
    let mut lo = range.start.saturating_sub(longest * 2);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (range.end + longest * 2).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    let window = &text[lo..hi];
    let folded = Folded::new(window);
    unless.iter().any(|u| {
        let u = fold_phrase(u);
        folded.as_str().match_indices(u.as_str()).any(|(i, _)| {
            let s = lo + folded.to_original(i);
            let e = lo + folded.to_original(i + u.len());
            s <= range.start && range.end <= e
        })
    })
}
