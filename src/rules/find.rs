//! A rule set's edits in a text: the matcher's candidates, claimed by the
//! rules whose conditions ([`super::conditions`]) hold there.
//!
//! Phrase rules: every candidate of the phrase automaton is offered to the
//! rules claiming its phrase, in load order; the first whose exact case
//! (if it asks for it) and conditions hold takes it, its replacement given
//! the case shape of the match. Pattern rules run one after another, each
//! only where the prefilter says it can match; overlaps between them are
//! resolved by the pipeline (leftmost first, then pack order).

use std::cell::RefCell;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::conditions::{self, not_applied, Candidate, Cascade, Context, Document, Probe, Quotes};
use super::{Find, Pattern, Rule, RuleSet};
use crate::blocks::paragraphs_around;
use crate::edit::{Edit, Level};
use crate::fold::eq_ignoring_space_runs;
use crate::matcher::case::{keep_line_breaks, transfer_case};
use crate::matcher::pattern::Compiled;
use crate::matcher::phrase::Chunk;
use crate::matcher::prefilter::{next_match, prepare_all, Scope};
use crate::matcher::{at_word_boundary, is_word_char, word_edges};
use crate::spans::Spans;

/// Finds every phrase edit in `text` (levels as the rules declare them,
/// `applied` left false).
///
/// Given [`Context::within`], only the paragraphs around the changes are
/// read, unless a rule's `requires` may have come true since the last run
/// (see [`crate::matcher::requires::Requires::around`]).
pub(crate) fn phrase_edits(set: &RuleSet, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
    if set.phrases.is_empty() {
        return;
    }
    let requires = OnceLock::new();
    let whole = || std::iter::once(0..text.len()).collect();
    let windows = match cx.within {
        Some(changed) => {
            let windows = paragraphs_around(text, changed);
            let read: usize = windows.iter().map(|w| w.len()).sum();
            if set.requires.len() == 0 || !cx.check_quotes {
                windows
            } else if read * 2 > text.len() {
                // Most of the text: reading it all costs little more
                // than deciding whether it may be skipped.
                whole()
            } else {
                let (present, came_true) = set.requires.around(text, &windows);
                requires.get_or_init(|| present);
                if came_true {
                    whole()
                } else {
                    windows
                }
            }
        }
        None => whole(),
    };
    let doc = Document {
        text,
        requires: &requires,
    };
    set.phrases.find(
        text,
        &windows,
        RefCell::<Quotes>::default,
        |chunk, quotes, pid, frange| {
            claim_phrase(set, chunk, pid, frange, cx, &doc, &mut quotes.borrow_mut())
        },
        out,
    );
}

/// Offers phrase `pid`, matched at `frange` of the folded chunk, to the
/// rules claiming it. Returns `Some` when a rule claims the match (with
/// `None` inside when the rule would not change the text).
fn claim_phrase(
    set: &RuleSet,
    chunk: &Chunk<'_>,
    pid: u32,
    frange: Range<usize>,
    cx: &Context<'_>,
    doc: &Document<'_>,
    quotes: &mut Quotes,
) -> Option<Option<Edit>> {
    let text = chunk.text;
    let start = chunk.folded.to_original(frange.start);
    let end = chunk.folded.to_original(frange.end);
    if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return None;
    }
    let range = start..end;
    let matched = &text[range.clone()];
    for claim in set.phrases.claims_of(pid) {
        if let Some(exact) = &claim.exact {
            if !eq_ignoring_space_runs(matched, exact) {
                continue;
            }
        }
        let candidate = Candidate {
            index: claim.rule,
            text,
            base: chunk.base,
            range: range.clone(),
            edges: claim.word_edges,
        };
        let Some(mut level) = conditions::check(set, &candidate, cx, doc, quotes) else {
            continue;
        };
        let rule = &set.rules[claim.rule as usize];
        let after = rule.replace.as_ref().map(|r| {
            let r = if claim.exact.is_some() {
                r.clone()
            } else {
                transfer_case(matched, r)
            };
            keep_line_breaks(matched, &r)
        });
        if after.as_deref() == Some(matched) {
            return Some(None);
        }
        let mut why = Arc::clone(&rule.why);
        if let Some(a) = &after {
            if cx.check_quotes && level != Level::Flag && matches_again(set, text, &range, a) {
                level = Level::Flag;
                why = not_applied(&rule.why, Cascade::MatchesAgain);
            }
        }
        let mut edit = Edit::new(&rule.id, level, text, range, after, &why);
        edit.range = chunk.base + edit.range.start..chunk.base + edit.range.end;
        return Some(Some(edit));
    }
    None
}

/// Returns true if a phrase rule would match again, changing something,
/// once `range` of `text` is replaced by `after`: checked on the
/// replacement with up to [`CONTEXT_CHARS`](super::conditions::CONTEXT_CHARS) characters of text on each
/// side. Any rule counts: the rule itself, or another rule whose phrase the
/// replacement completes with its neighbours.
fn matches_again(set: &RuleSet, text: &str, range: &Range<usize>, after: &str) -> bool {
    let Probe {
        text: probe,
        replacement: rep,
        ..
    } = Probe::new(text, range, after);
    let none = Spans::default();
    let disabled = Default::default();
    let inner = Context::self_check(&none, &disabled);
    let mut edits = Vec::new();
    phrase_edits(set, &probe, &inner, &mut edits);
    edits.iter().any(|e| {
        e.after.as_deref().is_some_and(|a| a != e.before)
            && e.range.start <= rep.end
            && e.range.end >= rep.start
            && e.range != rep
    })
}

/// Finds every pattern-rule edit in `text` (levels as declared, `applied`
/// left false).
pub(crate) fn pattern_edits(set: &RuleSet, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
    if set.patterns.is_empty() {
        return;
    }
    let mut quotes = Quotes::default();
    let requires = OnceLock::new();
    let doc = Document {
        text,
        requires: &requires,
    };
    let windows = cx.within.map(|changed| paragraphs_around(text, changed));
    let scopes = set
        .prefilter
        .scopes(&set.pattern_targets(|_| true), text, windows.as_deref());
    let searched: Vec<usize> = scopes.iter().map(|s| s.searched(text.len())).collect();
    let pending: Vec<(&Pattern, usize)> = set
        .patterns
        .iter()
        .zip(&scopes)
        .zip(&searched)
        .filter_map(|((&ri, scope), &searched)| match &set.rules[ri].find {
            Find::Pattern(p)
                if *scope != Scope::Nowhere
                    && !p.is_ready(searched)
                    && cx.enabled(&set.rules[ri].id) =>
            {
                Some((p, searched))
            }
            _ => None,
        })
        .collect();
    prepare_all(&pending);
    for ((&ri, scope), searched) in set.patterns.iter().zip(scopes).zip(searched) {
        let rule = &set.rules[ri];
        let Find::Pattern(pattern) = &rule.find else {
            continue;
        };
        if scope == Scope::Nowhere || !cx.enabled(&rule.id) {
            continue;
        }
        let Some(re) = pattern.regex() else {
            continue;
        };
        let first = out.len();
        let mut at = 0;
        // After an edit that kept the end of its match: the edit's start,
        // its trimmed replacement, and where plain iteration would resume.
        let mut chained: Option<(usize, String, usize)> = None;
        while at <= text.len() {
            let Some(caps) = next_match(re, text, &scope, searched, at) else {
                break;
            };
            let m = caps.get_match().expect("group 0");
            if let Some((start, replaced, fallback)) = chained.take() {
                if m.start() < fallback && !starts_match_after(re, text, start, &replaced, at, &m) {
                    // Not a match the edited text would have here (`\w+`
                    // restarting inside a word): go on as if not chained.
                    at = fallback;
                    continue;
                }
            }
            let mut range = m.range();
            let matched = &text[range.clone()];
            // By default the search goes on after the match; an edit that
            // keeps the end of its match resumes earlier (see below).
            at = if range.is_empty() {
                m.end() + text[m.end()..].chars().next().map_or(1, char::len_utf8)
            } else {
                m.end()
            };
            if range.is_empty() {
                continue;
            }
            let candidate = Candidate {
                index: ri as u32,
                text,
                base: 0,
                range: range.clone(),
                edges: Candidate::edges_of(matched),
            };
            let Some(mut level) = conditions::check(set, &candidate, cx, &doc, &mut quotes) else {
                continue;
            };
            let mut after = rule.replace.as_ref().map(|template| {
                let mut buf = String::new();
                caps.interpolate_string_into(text, template, &mut buf);
                buf
            });
            if after.as_deref() == Some(matched) {
                continue;
            }
            if !conditions::replacement_drops_protected(
                rule.protected,
                cx.protected,
                text,
                &range,
                after.as_deref(),
            ) {
                continue;
            }
            let mut why = Arc::clone(&rule.why);
            if let Some(a) = &mut after {
                if cx.check_quotes && level != Level::Flag && rewritten_again(set, a, cx) {
                    // The replacement would be rewritten by the next run:
                    // report it, never apply it.
                    level = Level::Flag;
                    why = not_applied(&rule.why, Cascade::Rewritten);
                }
                // Leave the unchanged end of the match out of the edit and
                // search again from there: it may begin the next match
                // (`gas.we.it` → `gas… we… it`). Consuming it made a second
                // run find what the first one skipped.
                // Keep whole words: `disbursed chemical` → `dispersed
                // chemical` edits `disbursed`, not `disbu`.
                let whole = matched;
                let mut keep = common_suffix(whole, a);
                while keep > 0 {
                    let cut = whole.len() - keep;
                    let before = whole[..cut].chars().next_back();
                    let first = whole[cut..].chars().next();
                    if before.is_none_or(|c| !is_word_char(c))
                        || first.is_some_and(|c| !is_word_char(c))
                    {
                        break;
                    }
                    keep -= first.map_or(1, char::len_utf8);
                }
                if keep > 0 {
                    range.end -= keep;
                    a.truncate(a.len() - keep);
                    chained = Some((range.start, a.clone(), at));
                    at = range.end;
                }
            }
            out.push(Edit::new(&rule.id, level, text, range, after, &why));
        }
        if cx.check_quotes {
            flag_context_rewrites(rule, re, text, &mut out[first..]);
        }
    }
}

/// Demotes to `flag` each edit after which the rule would match again
/// where it did not match before: at the replacement or touching it
/// (`(\p{Ll})\b` → `` turns `global` into `globa`, where the rule now
/// finds `a`). The check runs the rule over the replacement with up to
/// [`CONTEXT_CHARS`](super::conditions::CONTEXT_CHARS) of the original text on each side; a match that starts
/// where another of the rule's edits starts is the next link of a chain
/// (`gas.we.it`), not a new match.
fn flag_context_rewrites(rule: &Rule, re: &Compiled, text: &str, edits: &mut [Edit]) {
    let starts: Vec<usize> = edits.iter().map(|e| e.range.start).collect();
    let mut demote = Vec::new();
    for (i, e) in edits.iter().enumerate() {
        let (Some(after), false) = (&e.after, e.level == Level::Flag) else {
            continue;
        };
        let Probe {
            text: probe,
            replacement: rep,
            start: lo,
        } = Probe::new(text, &e.range, after);
        // A probe position in the original text, or `None` inside the
        // replacement. The end of a replacement (an empty one included)
        // is where the text after the edit starts.
        let to_original = |k: usize| {
            if k >= rep.end {
                Some(e.range.end + (k - rep.end))
            } else if k < rep.start {
                Some(lo + k)
            } else {
                None
            }
        };
        let mut buf = String::new();
        let again = re.captures(&probe).any(|caps| {
            let m = caps.get_match().expect("group 0");
            if m.is_empty() || m.start() > rep.end || m.end() < rep.start {
                return false;
            }
            if let Some(orig) = to_original(m.start()) {
                if orig != e.range.start && starts.binary_search(&orig).is_ok() {
                    return false;
                }
            }
            let found = &probe[m.range()];
            if rule.word_boundary && !at_word_boundary(&probe, &m.range(), word_edges(found)) {
                return false;
            }
            let Some(template) = &rule.replace else {
                return false;
            };
            buf.clear();
            caps.interpolate_string_into(&probe, template, &mut buf);
            buf != found
        });
        if again {
            demote.push(i);
        }
    }
    for i in demote {
        let e = &mut edits[i];
        e.level = Level::Flag;
        e.why = not_applied(&e.why, Cascade::MatchesAgain);
    }
}

/// Returns true if `m`, found by resuming the search at `resume` inside
/// the kept end of the previous match, is also where the regex's leftmost
/// match starts once that previous edit (`start..resume` → `replaced`) is
/// made. Checked on a small probe: one character of context before the
/// edit, the replacement, and the text up to just past `m`.
fn starts_match_after(
    re: &Compiled,
    text: &str,
    start: usize,
    replaced: &str,
    resume: usize,
    m: &regex_automata::Match,
) -> bool {
    let before = text[..start].chars().next_back().map_or(0, char::len_utf8);
    let mut end = (m.end() + 16).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let mut probe = String::with_capacity(before + replaced.len() + end - resume);
    probe.push_str(&text[start - before..start]);
    probe.push_str(replaced);
    let offset = probe.len();
    probe.push_str(&text[resume..end]);
    let want = offset + (m.start() - resume);
    re.find_at(&probe, before)
        .is_some_and(|p| p.start() == want && p.end() == want + m.len())
}

/// Length in bytes of the longest common suffix of `a` and `b` that is
/// shorter than `a` (so the edit keeps at least one character of its
/// match), on character boundaries.
fn common_suffix(a: &str, b: &str) -> usize {
    let mut n = 0;
    for (x, y) in a.chars().rev().zip(b.chars().rev()) {
        if x != y || n + x.len_utf8() >= a.len() {
            break;
        }
        n += x.len_utf8();
    }
    n
}

/// Returns true if a phrase or pattern rule would change `replacement`
/// when seen on its own: applying it would make output depend on how
/// often copydesk runs. Load time rejects such literal replacements; this
/// catches templates whose captures make them so.
fn rewritten_again(set: &RuleSet, replacement: &str, cx: &Context<'_>) -> bool {
    if replacement.is_empty() {
        return false;
    }
    // `check_quotes: false` marks this inner run, which must not check
    // its own replacements again. No span of `replacement` is protected.
    let none = Spans::default();
    let inner = Context::self_check(&none, cx.disabled);
    let mut edits = Vec::new();
    phrase_edits(set, replacement, &inner, &mut edits);
    pattern_edits(set, replacement, &inner, &mut edits);
    edits.iter().any(|e| e.after.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::paragraph_chunks;
    use crate::matcher::phrase::{PhraseMatcher, CHUNK};
    use crate::rules::load::Loader;
    use crate::rules::phrase_specs;
    use proptest::prelude::*;

    /// The phrase edits of one unanchored leftmost-longest search over
    /// every phrase (see [`PhraseMatcher::find_reference`]), claimed as
    /// [`phrase_edits`] claims them.
    fn reference(set: &RuleSet, text: &str, cx: &Context<'_>) -> Vec<Edit> {
        let requires = OnceLock::new();
        let doc = Document {
            text,
            requires: &requires,
        };
        let mut out = Vec::new();
        set.phrases.find_reference(
            &phrase_specs(&set.rules),
            text,
            RefCell::<Quotes>::default,
            |chunk, quotes, pid, frange| {
                claim_phrase(set, chunk, pid, frange, cx, &doc, &mut quotes.borrow_mut())
            },
            &mut out,
        );
        out
    }

    /// Words the random texts and packs are made of: prefixes of each
    /// other, punctuation-led, non-ASCII, length-changing under lowercase.
    const WORDS: &[&str] = &[
        "ende",
        "dependent",
        "dependence",
        "dep",
        "global",
        "law",
        "gLoBaL",
        "LAW",
        "a",
        "ab",
        "abc",
        "'tis",
        "-ish",
        "x-ray",
        "émigré",
        "ÉMIGRÉ",
        "İx",
        "Kelvin",
        "\u{212a}",
        "ǅ",
        "e\u{301}",
        "law-firm",
        "co.",
        "mr.",
        "U.S.",
        "_x",
        "9",
        "ñ",
    ];
    const GAPS: &[&str] = &[" ", "  ", "\n", "\n\n", ", ", ".", "-", "\t", "\u{a0}", ""];

    fn text_strategy() -> impl Strategy<Value = String> {
        prop::collection::vec((0..WORDS.len(), 0..GAPS.len()), 0..40).prop_map(|parts| {
            let mut s = String::new();
            for (w, g) in parts {
                s.push_str(WORDS[w]);
                s.push_str(GAPS[g]);
            }
            s
        })
    }

    fn pack_strategy() -> impl Strategy<Value = String> {
        let rule = (
            prop::collection::vec((0..WORDS.len(), 0..3usize), 1..3),
            // Mostly whole-word rules, so that many packs have no
            // `boundary: none` rule at all.
            prop::bool::weighted(0.2),
        );
        prop::collection::vec(rule, 1..8).prop_map(|rules| {
            let mut y = String::from("pack: p\nrules:\n");
            for (i, (words, no_boundary)) in rules.iter().enumerate() {
                let phrase: Vec<&str> = words.iter().map(|&(w, _)| WORDS[w]).collect();
                let phrase = phrase.join(" ");
                y.push_str(&format!(
                    "  - id: r{i}\n    find: {}\n    replace: \"Z{i}Q\"\n",
                    serde_json::to_string(&phrase).unwrap()
                ));
                if *no_boundary {
                    y.push_str("    boundary: none\n");
                }
            }
            y
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn anchored_search_equals_unanchored(pack in pack_strategy(), text in text_strategy()) {
            let mut loader = Loader::new();
            loader.add_source("p.yaml", pack);
            // Random packs may clash or cycle; only valid ones matter.
            let Ok(mut set) = loader.build() else { return Ok(()) };
            let empty = Spans::default();
            let disabled = Default::default();
            let cx = Context::whole(&empty, &disabled);
            let slow = reference(&set, &text, &cx);
            // Both kinds of automaton: a DFA (small packs) and a contiguous
            // NFA (large packs).
            for dfa_max in [usize::MAX, 0] {
                let phrases = PhraseMatcher::build_with(&phrase_specs(&set.rules), dfa_max).0;
                set.phrases = phrases;
                let mut fast = Vec::new();
                phrase_edits(&set, &text, &cx, &mut fast);
                prop_assert_eq!(&fast, &slow);
            }
        }
    }

    /// A text of several chunks is searched chunk by chunk on every core;
    /// the edits come back in text order, as one search would find them.
    #[test]
    fn long_texts_are_searched_in_parallel_chunks_in_order() {
        let mut loader = Loader::new();
        loader.add_source(
            "p.yaml",
            "pack: p\nrules:\n  - id: law\n    find: global law\n    replace: international law\n  - id: teh\n    find: teh\n    replace: the\n",
        );
        let set = loader.build().unwrap();
        let mut text = String::new();
        let mut i = 0usize;
        while text.len() < 3 * CHUNK {
            text.push_str(WORDS[i % WORDS.len()]);
            text.push_str(if i % 7 == 0 { " global\nlaw" } else { " teh" });
            text.push_str(GAPS[i % GAPS.len()]);
            i += 1;
        }
        let empty = Spans::default();
        let disabled = Default::default();
        let cx = Context::whole(&empty, &disabled);
        assert!(paragraph_chunks(&text, CHUNK).count() > 2);
        let slow = reference(&set, &text, &cx);
        let mut fast = Vec::new();
        phrase_edits(&set, &text, &cx, &mut fast);
        assert!(fast.len() > 1000);
        assert_eq!(fast, slow);
    }

    /// Every condition works the same for a phrase rule and a pattern rule
    /// finding the same words: `[sic]`, an `unless` phrase (as whole
    /// words), a `requires` phrase (as whole words), quotation marks.
    #[test]
    fn phrase_and_pattern_rules_share_their_conditions() {
        let rule = |kind: &str| {
            format!(
                "pack: p\nrules:\n  - id: r\n    {kind}\n    replace: international law\n    unless: [the global law school]\n    requires: [treaty]\n    in_quotes: skip\n"
            )
        };
        let phrase = rule("find: global law");
        let pattern = rule("pattern: '\\bglobal law\\b'");
        let texts = [
            // Each condition met: one edit.
            ("A treaty on global law.", 1),
            // `[sic]` right after the match protects it.
            ("A treaty on global law [sic].", 0),
            ("A treaty on global law\u{a0}[SIC] and global law.", 1),
            // The exception covers the match, as whole words only.
            ("A treaty at the global law school.", 0),
            ("A treaty at the global law schools.", 1),
            // The required phrase, as whole words only.
            ("A global law.", 0),
            ("Treatymaking and global law.", 0),
            // Inside quotation marks the rule is skipped.
            ("A treaty: \"global law\" stays.", 0),
        ];
        let empty = Spans::default();
        let disabled = Default::default();
        let cx = Context::whole(&empty, &disabled);
        for (text, n) in texts {
            let mut found = Vec::new();
            for pack in [&phrase, &pattern] {
                let mut loader = Loader::new();
                loader.add_source("p.yaml", pack.as_str());
                let set = loader.build().unwrap();
                let mut edits = Vec::new();
                phrase_edits(&set, text, &cx, &mut edits);
                pattern_edits(&set, text, &cx, &mut edits);
                assert_eq!(edits.len(), n, "{text:?} with {pack}");
                // A pattern's edit leaves out the end it keeps (`law`).
                let starts: Vec<_> = edits.iter().map(|e| (e.range.start, e.level)).collect();
                found.push(starts);
            }
            assert_eq!(found[0], found[1], "{text:?}");
        }
    }
}
