//! The pattern pass: regex rules, in pack order.
//!
//! Patterns are few and each needs its own regex, so they run one after
//! another over the text; overlaps between them are resolved by the
//! pipeline (leftmost first, then pack order).
//!
//! Most patterns cannot match a given document, and compiling one is far
//! dearer than scanning a short text, so a [`Prefilter`] first looks for
//! the literals one of which every match of each pattern contains, all at
//! once: a pattern none of whose literals occurs is neither run nor
//! compiled.

use std::cell::OnceCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::edit::{Edit, Level};
use crate::fold::{fold_phrase, Folded};
use crate::passes::phrases::at_word_boundary;
use crate::passes::{is_word_char, Context, Pass, Probe};
use crate::rules::pattern::{at_line_head, Compiled};
use crate::rules::{Find, InQuotes, Pattern, Rule, RuleSet};
use crate::spans::{quoted_regions, Spans};

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

/// Which pattern rules can match a text, from the literals one of which
/// every match of each contains ([`crate::rules::Pattern::literals`]).
///
/// Two ways to look for the literals: on short texts each rule's literals
/// are looked for one by one (`memmem`, over an ASCII-lowercased copy) until
/// one is found; once the texts seen add up to more than
/// `AUTOMATON_AFTER` (1 MiB) bytes (a large file, or many records of a corpus), an
/// Aho-Corasick automaton over all literals is built once and every later
/// text is scanned once. Building that automaton costs about as much as
/// scanning a megabyte, far too much for a one-file `check`.
#[derive(Debug, Default)]
pub struct Prefilter {
    automaton: OnceLock<Option<LiteralAutomaton>>,
    /// Bytes of text looked at without the automaton.
    scanned: AtomicUsize,
}

/// Text bytes after which the literals get their automaton.
const AUTOMATON_AFTER: usize = 1 << 20;

#[derive(Debug)]
struct LiteralAutomaton {
    /// Every distinct literal, matched ignoring ASCII case.
    ac: AhoCorasick,
    /// Per literal, the indexes into [`RuleSet::patterns`] of the rules
    /// whose matches contain it (or another literal of theirs), and whether
    /// they count it only at a line head ([`Literals::line_head`]).
    owners: Vec<Vec<(u32, bool)>>,
}

impl Prefilter {
    /// For each rule of [`RuleSet::patterns`], whether it can match `text`:
    /// true when it has no literals, or one of them occurs (ignoring ASCII
    /// case) where it must.
    fn candidates(&self, set: &RuleSet, text: &str) -> Vec<bool> {
        let literals = |ri: usize| match &set.rules[ri].find {
            Find::Pattern(p) => p.literals(),
            Find::Phrases { .. } => None,
        };
        let big =
            self.scanned.fetch_add(text.len(), Ordering::Relaxed) + text.len() > AUTOMATON_AFTER;
        let built = if big {
            Some(self.automaton.get_or_init(|| LiteralAutomaton::build(set)))
        } else {
            self.automaton.get()
        };
        let Some(Some(lits)) = built else {
            let lower = text.to_ascii_lowercase();
            return set
                .patterns
                .iter()
                .map(|&ri| match &set.rules[ri].find {
                    Find::Pattern(p) => p.can_match(lower.as_bytes()),
                    Find::Phrases { .. } => true,
                })
                .collect();
        };
        let mut can: Vec<bool> = set
            .patterns
            .iter()
            .map(|&ri| literals(ri).is_none())
            .collect();
        let mut seen = vec![false; lits.owners.len()];
        let mut unseen = seen.len();
        for m in lits.ac.find_overlapping_iter(text) {
            let k = m.pattern().as_usize();
            if seen[k] {
                continue;
            }
            let head = at_line_head(text.as_bytes(), m.start());
            for &(i, line_head) in &lits.owners[k] {
                can[i as usize] |= head || !line_head;
            }
            // An occurrence inside a line leaves line-head owners waiting.
            if head || lits.owners[k].iter().all(|&(_, line_head)| !line_head) {
                seen[k] = true;
                unseen -= 1;
                if unseen == 0 {
                    break;
                }
            }
        }
        can
    }
}

impl LiteralAutomaton {
    fn build(set: &RuleSet) -> Option<LiteralAutomaton> {
        let mut ids: FxHashMap<&[u8], usize> = FxHashMap::default();
        let mut literals: Vec<&[u8]> = Vec::new();
        let mut owners: Vec<Vec<(u32, bool)>> = Vec::new();
        for (i, &ri) in set.patterns.iter().enumerate() {
            let Find::Pattern(p) = &set.rules[ri].find else {
                continue;
            };
            let Some(lits) = p.literals() else {
                continue;
            };
            for lit in &lits.strings {
                let k = *ids.entry(lit.as_slice()).or_insert_with(|| {
                    literals.push(lit.as_slice());
                    owners.push(Vec::new());
                    literals.len() - 1
                });
                owners[k].push((i as u32, lits.line_head));
            }
        }
        if literals.is_empty() {
            return None;
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&literals)
            .ok()?;
        Some(LiteralAutomaton { ac, owners })
    }
}

/// Finds every pattern-rule edit in `text` (levels as declared, `applied`
/// left false).
pub fn find_edits(set: &RuleSet, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
    if set.patterns.is_empty() {
        return;
    }
    let quotes = OnceCell::new();
    let folded = OnceCell::new();
    let candidates = set.prefilter.candidates(set, text);
    // Build what the candidates need side by side (a one-file `check`
    // otherwise waits for them one after another).
    let pending: Vec<&Pattern> = set
        .patterns
        .iter()
        .zip(&candidates)
        .filter_map(|(&ri, &can)| match &set.rules[ri].find {
            Find::Pattern(p) if can && !p.is_ready(text) && cx.enabled(&set.rules[ri].id) => {
                Some(p)
            }
            _ => None,
        })
        .collect();
    if pending.len() > 1 {
        pending.par_iter().for_each(|p| p.prepare(text));
    }
    for (&ri, can) in set.patterns.iter().zip(candidates) {
        let rule = &set.rules[ri];
        let Find::Pattern(pattern) = &rule.find else {
            continue;
        };
        if !can || !cx.enabled(&rule.id) {
            continue;
        }
        if !rule.requires.is_empty() && cx.check_quotes {
            let f: &Folded = folded.get_or_init(|| Folded::new(text));
            if !rule
                .requires
                .iter()
                .any(|r| f.as_str().contains(r.as_str()))
            {
                continue;
            }
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
            let Some(caps) = re.captures_at(text, at) else {
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
            if range.is_empty() || cx.protected.overlaps(&range) {
                continue;
            }
            if rule.word_boundary {
                let s = matched;
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
            let mut after = rule.replace.as_ref().map(|template| {
                let mut buf = String::new();
                caps.interpolate_string_into(text, template, &mut buf);
                buf
            });
            if after.as_deref() == Some(matched) {
                continue;
            }
            let mut why = Arc::clone(&rule.why);
            if let Some(a) = &mut after {
                if cx.check_quotes && level != Level::Flag && rewritten_again(set, a, cx) {
                    // The replacement would be rewritten by the next run:
                    // report it, never apply it.
                    level = Level::Flag;
                    why = Arc::from(format!(
                        "{}{}not applied: the replacement would itself be rewritten, so output would change on every run",
                        rule.why,
                        if rule.why.is_empty() { "" } else { " — " }
                    ));
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
/// [`CONTEXT_CHARS`](crate::passes::CONTEXT_CHARS) of the original text on each side; a match that starts
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
            if rule.word_boundary {
                let edges = (
                    found.chars().next().is_some_and(is_word_char),
                    found.chars().next_back().is_some_and(is_word_char),
                );
                if !at_word_boundary(&probe, &m.range(), edges) {
                    return false;
                }
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
        e.why = Arc::from(format!(
            "{}{}not applied: with the text around it the rule would match again, so output would change on every run",
            e.why,
            if e.why.is_empty() { "" } else { " — " }
        ));
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
    let inner = Context {
        protected: &none,
        disabled: cx.disabled,
        check_quotes: false,
    };
    let mut edits = Vec::new();
    set.phrases.find_edits(set, replacement, &inner, &mut edits);
    find_edits(set, replacement, &inner, &mut edits);
    edits.iter().any(|e| e.after.is_some())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::Loader;

    fn builtin() -> RuleSet {
        let mut l = Loader::new();
        l.add_builtin();
        l.build().expect("default packs load")
    }

    /// Every text a default pattern matches makes it a candidate, on both
    /// ways of looking for the literals: the prefilter never hides a match.
    #[test]
    fn prefilter_keeps_every_matching_pattern() {
        let set = builtin();
        let mut texts: Vec<String> = Vec::new();
        for rule in &set.rules {
            for ex in &rule.examples {
                texts.extend(ex.before.iter().chain(&ex.keep).cloned());
            }
        }
        // Case variants: literals are compared ignoring ASCII case.
        let upper: Vec<String> = texts.iter().map(|t| t.to_uppercase()).collect();
        texts.extend(upper);
        let lits = LiteralAutomaton::build(&set).expect("default patterns have literals");
        let by_automaton = Prefilter {
            automaton: OnceLock::from(Some(lits)),
            scanned: AtomicUsize::new(0),
        };
        let mut matched = 0;
        for text in &texts {
            let small = Prefilter::default().candidates(&set, text);
            let large = by_automaton.candidates(&set, text);
            for (k, &ri) in set.patterns.iter().enumerate() {
                let Find::Pattern(p) = &set.rules[ri].find else {
                    continue;
                };
                if p.regex().expect("compiles").is_match(text) {
                    matched += 1;
                    assert!(small[k], "{} hidden (memmem) in {text:?}", set.rules[ri].id);
                    assert!(
                        large[k],
                        "{} hidden (automaton) in {text:?}",
                        set.rules[ri].id
                    );
                }
            }
        }
        assert!(matched > 100, "only {matched} matches checked");
    }

    /// The prefilter does skip patterns: on plain text few of the default
    /// patterns are candidates.
    #[test]
    fn prefilter_skips_patterns_whose_literals_are_absent() {
        let set = builtin();
        let text = "The minister said the plan would go ahead next week.\n";
        let can = Prefilter::default().candidates(&set, text);
        let n = can.iter().filter(|&&c| c).count();
        assert!(n * 4 < can.len(), "{n} of {} patterns run", can.len());
    }

    /// A boilerplate pattern is a candidate only when a line starts with
    /// one of its words, by either way of looking for the literals.
    #[test]
    fn line_head_literals_count_only_at_a_line_head() {
        let set = builtin();
        let id = |k: usize| set.rules[set.patterns[k]].id.as_ref();
        let by_automaton = Prefilter {
            automaton: OnceLock::from(LiteralAutomaton::build(&set)),
            scanned: AtomicUsize::new(0),
        };
        let within = "They urged readers to share this article.\n";
        let heading = "Share this article\n";
        for filter in [&Prefilter::default(), &by_automaton] {
            let can = filter.candidates(&set, within);
            assert!(!(0..can.len()).any(|k| can[k] && id(k) == "share-prompt"));
            let can = filter.candidates(&set, heading);
            assert!((0..can.len()).any(|k| can[k] && id(k) == "share-prompt"));
        }
    }

    #[test]
    fn required_literals_of_typical_patterns() {
        use crate::rules::required_literals;
        let lits = |p: &str| {
            required_literals(p, false).map(|v| {
                let strings = v.strings.into_iter();
                let strings = strings.map(|l| String::from_utf8(l).unwrap());
                (strings.collect::<Vec<_>>(), v.line_head)
            })
        };
        // `(?i)k` also matches the Kelvin sign.
        assert_eq!(
            lits(r"\b(?i:take) effect\b").unwrap(),
            (
                vec!["take effect".into(), "ta\u{212a}e effect".into()],
                false
            )
        );
        // At a line head: what the line starts with, after blanks.
        assert_eq!(
            lits(r"(?m)^[ \t]*(?:sponsored|paid[ \t]+post)[ \t]*$").unwrap(),
            (vec!["paid\t".into(), "paid ".into(), "spons".into()], true)
        );
        assert_eq!(
            lits(r"\b(\p{Ll}{2,})\.(\p{Lu}\p{Ll}+)\b").unwrap(),
            (vec![".".into()], false)
        );
        assert_eq!(lits(r"\w+"), None);
        assert_eq!(lits(r"a|\w"), None);
        assert_eq!(lits(r"(unclosed"), None);
    }
}
