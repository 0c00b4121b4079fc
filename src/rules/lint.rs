//! `copydesk rules lint`: problems in a rule set that loading accepts.
//!
//! Loading refuses what is certainly wrong (conflicts, cycles, bad regexes).
//! Lint warns about what is probably wrong or makes a pack hard to trust:
//!
//! - [`LintKind::Shadowed`]: a phrase an earlier rule always claims first,
//!   so this rule never fires on it;
//! - [`LintKind::NoExamples`]: no examples, or no `before`/`after` pair, so
//!   `rules test` cannot check the rule;
//! - [`LintKind::NoWhy`]: no `why`, so findings cannot say why;
//! - [`LintKind::UnusedException`]: an `unless` phrase that none of the
//!   rule's own examples contains, so nothing shows it works;
//! - [`LintKind::Cascade`]: a replacement that, together with the text next
//!   to it, forms a phrase another rule rewrites. The run that makes the
//!   replacement never rescans it, so the *next* run changes the output
//!   again. The load-time cycle check only sees a phrase wholly inside a
//!   replacement; this one sees phrases across the junction (rule
//!   `a b` → `b a` followed by ` b` forms `a b`).
//!
//! Pattern rules take part in the shadow, example and `why` checks only:
//! what a regex can form at a junction is not decidable by comparing text.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use aho_corasick::AhoCorasick;

use crate::fold::{eq_ignoring_space_runs, fold_phrase};
use crate::matcher::case::transfer_case;
use crate::matcher::is_word_char;
use crate::rules::{CaseMode, Find, InQuotes, Origin, Rule, RuleSet};

/// What a lint warning is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum LintKind {
    /// A phrase that an earlier rule always claims first.
    Shadowed,
    /// No examples, or no `before`/`after` pair.
    NoExamples,
    /// No `why`.
    NoWhy,
    /// An `unless` phrase no example of the rule contains.
    UnusedException,
    /// The replacement can form another rule's phrase with its neighbours.
    Cascade,
}

impl LintKind {
    /// The kebab-case name printed in warnings.
    pub fn as_str(self) -> &'static str {
        match self {
            LintKind::Shadowed => "shadowed",
            LintKind::NoExamples => "no-examples",
            LintKind::NoWhy => "no-why",
            LintKind::UnusedException => "unused-exception",
            LintKind::Cascade => "cascade",
        }
    }
}

/// One lint warning about one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// What it is about.
    pub kind: LintKind,
    /// The rule concerned.
    pub rule: Arc<str>,
    /// Its pack file.
    pub path: PathBuf,
    /// Line and column of the rule's `id`, when known.
    pub location: Option<(usize, usize)>,
    /// What is wrong and what to do, in one line.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((l, c)) = self.location {
            write!(f, ":{l}:{c}")?;
        }
        write!(
            f,
            ": rule `{}`: {}: {}",
            self.rule,
            self.kind.as_str(),
            self.message
        )
    }
}

/// Lints every rule of `set`; warnings come in rule order.
pub fn lint(set: &RuleSet) -> Vec<Warning> {
    let mut out = Vec::new();
    let shadowed = shadowed(&set.rules);
    let cascades = cascades(set);
    for (i, rule) in set.rules.iter().enumerate() {
        let warn = |kind, message: String| Warning {
            kind,
            rule: rule.id.clone(),
            path: rule.origin.path.clone(),
            location: rule.origin.location,
            message,
        };
        if let Some(message) = &shadowed[i] {
            out.push(warn(LintKind::Shadowed, message.clone()));
        }
        if rule.examples.is_empty() {
            out.push(warn(
                LintKind::NoExamples,
                "no examples: add `before`/`after` and `keep` cases so `copydesk rules test` checks the rule".into(),
            ));
        } else if !rule.examples.iter().any(|e| e.before.is_some()) {
            out.push(warn(
                LintKind::NoExamples,
                "only `keep` examples: add a `before`/`after` pair that shows the rule firing"
                    .into(),
            ));
        }
        if rule.why.trim().is_empty() {
            out.push(warn(
                LintKind::NoWhy,
                "no `why`: findings cannot tell the reader why the text is wrong".into(),
            ));
        }
        for message in unused_exceptions(rule) {
            out.push(warn(LintKind::UnusedException, message));
        }
        for message in &cascades[i] {
            out.push(warn(LintKind::Cascade, message.clone()));
        }
    }
    out
}

/// `path:line:col` of a rule.
fn place(origin: &Origin) -> String {
    origin.to_string()
}

/// The exact text a phrase must match, or `None` when any case matches
/// (the same decision as the phrase automaton's).
fn exact(phrase: &str, case: CaseMode) -> Option<String> {
    let sensitive = match case {
        CaseMode::Sensitive => true,
        CaseMode::Insensitive => false,
        CaseMode::Smart => phrase.chars().any(char::is_uppercase),
    };
    sensitive.then(|| phrase.trim().to_string())
}

/// For each rule, a message when some of its phrases can never fire
/// because an earlier rule claims the same phrase first. The automaton
/// offers a match to the rules in load order and the first whose
/// conditions hold takes it; an earlier rule with no `unless`, no
/// `requires`, no stricter case or boundary and no `in_quotes: skip` always
/// takes it.
fn shadowed(rules: &[Rule]) -> Vec<Option<String>> {
    let mut claims: HashMap<String, Vec<(usize, Option<String>)>> = HashMap::new();
    let mut out = vec![None; rules.len()];
    for (ri, rule) in rules.iter().enumerate() {
        let Find::Phrases { phrases, case } = &rule.find else {
            continue;
        };
        let mut dead: Vec<(&str, usize)> = Vec::new();
        for phrase in phrases {
            let folded = fold_phrase(phrase);
            let mine = exact(phrase, *case);
            let list = claims.entry(folded).or_default();
            let by = list.iter().find(|(ai, theirs)| {
                let a = &rules[*ai];
                let case_covers = match (theirs, &mine) {
                    (None, _) => true,
                    (Some(t), Some(m)) => eq_ignoring_space_runs(t, m),
                    (Some(_), None) => false,
                };
                *ai != ri
                    && case_covers
                    && a.unless.is_empty()
                    && a.requires.is_empty()
                    && (a.in_quotes != InQuotes::Skip || rule.in_quotes == InQuotes::Skip)
                    && (!a.word_boundary || rule.word_boundary)
            });
            if let Some((ai, _)) = by {
                dead.push((phrase, *ai));
            }
            list.push((ri, mine));
        }
        if dead.is_empty() {
            continue;
        }
        let describe = |(phrase, ai): &(&str, usize)| {
            let a = &rules[*ai];
            let same = if a.replace == rule.replace {
                "with the same replacement"
            } else {
                "with a different replacement"
            };
            format!(
                "`{phrase}` is claimed first by rule `{}` ({}) {same}",
                a.id,
                place(&a.origin)
            )
        };
        let list: Vec<String> = dead.iter().map(describe).collect();
        out[ri] = Some(if dead.len() == phrases.len() {
            format!(
                "never fires: {}; remove it or give it an `unless`/`requires` the other lacks",
                list.join("; ")
            )
        } else {
            format!("{}; that phrase never fires here", list.join("; "))
        });
    }
    out
}

/// The `unless` phrases of `rule` that none of its examples contains.
fn unused_exceptions(rule: &Rule) -> Vec<String> {
    let texts: Vec<String> = rule
        .examples
        .iter()
        .flat_map(|e| [&e.before, &e.keep])
        .flatten()
        .map(|t| fold_phrase(t))
        .collect();
    rule.unless
        .iter()
        .filter(|u| !texts.iter().any(|t| t.contains(u.as_str())))
        .map(|u| {
            format!(
                "exception `{u}` appears in none of the rule's examples; add a `keep` example that shows it protecting a match"
            )
        })
        .collect()
}

/// Case shapes a replacement can take in the output: as written, or (when
/// the rule matches any case) the shape of the matched text.
fn shapes(rule: &Rule, replace: &str) -> Vec<String> {
    let any_case = match &rule.find {
        Find::Phrases { phrases, case } => phrases.iter().any(|p| exact(p, *case).is_none()),
        Find::Pattern(_) => false,
    };
    let collapsed = replace.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = vec![collapsed.clone()];
    if any_case {
        for sample in ["Ab", "Ab Cd", "AB"] {
            let s = transfer_case(sample, &collapsed);
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// A phrase some rule rewrites, as the cascade check compares it.
struct Target<'a> {
    rule: usize,
    phrase: &'a str,
    /// Whitespace collapsed; lowercased when the phrase matches any case.
    norm: String,
    any_case: bool,
    /// Whether the rule matches whole words only.
    bounded: bool,
}

/// Index key: case mode, boundary mode, text.
type Key<'a> = (bool, bool, &'a str);

/// Normalizes text as a [`Target`] with `any_case` compares it.
fn normalize(s: &str, any_case: bool) -> String {
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if any_case {
        collapsed.to_lowercase()
    } else {
        collapsed
    }
}

/// For every rule, messages naming each other phrase rule whose phrase its
/// replacement can form together with the text around it.
///
/// Comparing every replacement with every phrase at every offset is
/// quadratic in the size of the rule set, so candidates come from indexes
/// first: a phrase that reaches past the replacement's end starts with one
/// of its suffixes, one that reaches past its start ends with one of its
/// prefixes, and one that covers it contains it (found with one
/// Aho-Corasick automaton over all replacements). Only candidates are then
/// checked in full by [`junction`].
fn cascades(set: &RuleSet) -> Vec<Vec<String>> {
    let mut targets: Vec<Target<'_>> = Vec::new();
    for (bi, b) in set.rules.iter().enumerate() {
        let (Some(_), Find::Phrases { phrases, case }) = (&b.replace, &b.find) else {
            continue;
        };
        for phrase in phrases {
            let any_case = exact(phrase, *case).is_none();
            targets.push(Target {
                rule: bi,
                phrase,
                norm: normalize(phrase, any_case),
                any_case,
                bounded: b.word_boundary,
            });
        }
    }
    // Proper, non-empty prefixes and suffixes of every target.
    let mut prefixes: HashMap<Key<'_>, Vec<usize>> = HashMap::new();
    let mut suffixes: HashMap<Key<'_>, Vec<usize>> = HashMap::new();
    for (ti, t) in targets.iter().enumerate() {
        for (i, _) in t.norm.char_indices().skip(1) {
            let (pre, suf) = (
                (t.any_case, t.bounded, &t.norm[..i]),
                (t.any_case, t.bounded, &t.norm[i..]),
            );
            prefixes.entry(pre).or_default().push(ti);
            suffixes.entry(suf).or_default().push(ti);
        }
    }
    // Each rule's replacement in every case shape it can take.
    let variants: Vec<Vec<String>> = set
        .rules
        .iter()
        .map(|a| match (&a.replace, &a.find) {
            (Some(r), Find::Phrases { .. }) if !r.trim().is_empty() => shapes(a, r),
            _ => Vec::new(),
        })
        .collect();
    let mut candidates: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); set.rules.len()];
    for (ai, vs) in variants.iter().enumerate() {
        for v in vs {
            for (any_case, bounded) in [(false, false), (false, true), (true, false), (true, true)]
            {
                let r = normalize(v, any_case);
                // A whole-word phrase can only start or end inside `r` where
                // a word starts or ends.
                let edge = |i: usize| {
                    !bounded
                        || i == 0
                        || i == r.len()
                        || !r[..i].chars().next_back().is_some_and(is_word_char)
                        || !r[i..].chars().next().is_some_and(is_word_char)
                };
                for (j, _) in r.char_indices().filter(|&(j, _)| edge(j)) {
                    if let Some(ts) = prefixes.get(&(any_case, bounded, &r[j..])) {
                        candidates[ai].extend(ts);
                    }
                }
                let ends = r.char_indices().skip(1).map(|(i, _)| i).chain([r.len()]);
                for k in ends.filter(|&k| edge(k)) {
                    if let Some(ts) = suffixes.get(&(any_case, bounded, &r[..k])) {
                        candidates[ai].extend(ts);
                    }
                }
            }
        }
    }
    for any_case in [false, true] {
        let mut owners: Vec<usize> = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        for (ai, vs) in variants.iter().enumerate() {
            for v in vs {
                owners.push(ai);
                patterns.push(normalize(v, any_case));
            }
        }
        if patterns.is_empty() {
            continue;
        }
        let ac = AhoCorasick::new(&patterns).expect("replacement automaton builds");
        for (ti, t) in targets.iter().enumerate() {
            if t.any_case != any_case {
                continue;
            }
            for m in ac.find_overlapping_iter(&t.norm) {
                if m.len() < t.norm.len() {
                    candidates[owners[m.pattern().as_usize()]].insert(ti);
                }
            }
        }
    }
    set.rules
        .iter()
        .enumerate()
        .map(|(ai, a)| {
            if candidates[ai].is_empty() {
                return Vec::new();
            }
            let Find::Phrases { phrases: a_phrases, .. } = &a.find else {
                return Vec::new();
            };
            // A's own boundaries: a word-bounded match whose phrases all
            // start (end) with a word character has a non-word character
            // before (after) it in the text.
            let edge = |first: bool| {
                a.word_boundary
                    && a_phrases.iter().all(|p| {
                        let mut cs = p.trim().chars();
                        let c = if first { cs.next() } else { cs.next_back() };
                        c.is_some_and(is_word_char)
                    })
            };
            let (nonword_before, nonword_after) = (edge(true), edge(false));
            let mut reported: Vec<usize> = Vec::new();
            let mut out = Vec::new();
            for &ti in &candidates[ai] {
                let t = &targets[ti];
                if reported.contains(&t.rule) {
                    continue;
                }
                let b = &set.rules[t.rule];
                let p = normalize(t.phrase, false);
                for r in &variants[ai] {
                    let Some((left, right)) = junction(
                        r,
                        &p,
                        t.any_case,
                        b.word_boundary,
                        nonword_before,
                        nonword_after,
                    ) else {
                        continue;
                    };
                    let mut around = String::new();
                    if !left.is_empty() {
                        around.push_str(&format!(" preceded by `{left}`"));
                    }
                    if !right.is_empty() {
                        if !left.is_empty() {
                            around.push_str(" and");
                        }
                        around.push_str(&format!(" followed by `{right}`"));
                    }
                    out.push(format!(
                        "its replacement `{r}`{around} forms `{}`, which rule `{}` ({}) rewrites: a second run would change the output again",
                        t.phrase,
                        b.id,
                        place(&b.origin)
                    ));
                    reported.push(t.rule);
                    break;
                }
            }
            out
        })
        .collect()
}

/// Looks for a placement of phrase `p` that overlaps replacement `r` and
/// reaches past it on at least one side, agreeing on the overlap and
/// respecting word boundaries. Returns the text `p` needs before and
/// after `r`.
fn junction(
    r: &str,
    p: &str,
    any_case: bool,
    word_bounded: bool,
    nonword_before: bool,
    nonword_after: bool,
) -> Option<(String, String)> {
    let norm = |s: &str| -> Vec<char> {
        if any_case {
            s.chars().flat_map(char::to_lowercase).collect()
        } else {
            s.chars().collect()
        }
    };
    let (r, p) = (norm(r), norm(p));
    let (rl, pl) = (r.len() as isize, p.len() as isize);
    if rl == 0 || pl == 0 {
        return None;
    }
    let word = |c: char| is_word_char(c);
    // Past the end first: "followed by" reads more naturally.
    for o in ((1 - pl)..rl).rev() {
        let (lo, hi) = (o.max(0), (o + pl).min(rl));
        if lo >= hi || (o >= 0 && o + pl <= rl) {
            continue; // no overlap, or wholly inside (the load-time cycle check)
        }
        if (lo..hi).any(|i| r[i as usize] != p[(i - o) as usize]) {
            continue;
        }
        // The phrase's own boundaries, where they fall inside `r`.
        if word_bounded && o > 0 && word(p[0]) && word(r[(o - 1) as usize]) {
            continue;
        }
        if word_bounded && o + pl < rl && word(p[(pl - 1) as usize]) && word(r[(o + pl) as usize]) {
            continue;
        }
        // The replaced match's boundaries: the text next to it.
        if o < 0 && nonword_before && word(p[(-o - 1) as usize]) {
            continue;
        }
        if o + pl > rl && nonword_after && word(p[(rl - o) as usize]) {
            continue;
        }
        let left: String = if o < 0 {
            p[..(-o) as usize].iter().collect()
        } else {
            String::new()
        };
        let right: String = if o + pl > rl {
            p[(rl - o) as usize..].iter().collect()
        } else {
            String::new()
        };
        return Some((left, right));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::Loader;

    fn lint_yaml(yaml: &str) -> Vec<(LintKind, String, String)> {
        let mut l = Loader::new();
        l.add_source("t.yaml", yaml);
        let set = l.build().unwrap_or_else(|e| panic!("{e}"));
        lint(&set)
            .into_iter()
            .map(|w| (w.kind, w.rule.to_string(), w.message))
            .collect()
    }

    #[test]
    fn junction_finds_phrases_across_the_edge() {
        // `a b` → `b a`, then ` b`: `b a b` holds `a b`.
        assert_eq!(
            junction("b a", "a b", true, true, true, true),
            Some((String::new(), " b".into()))
        );
        // `law firm` after `international law`.
        assert_eq!(
            junction("international law", "law firm", true, true, true, true),
            Some((String::new(), " firm".into()))
        );
        // Inside a word is not a match: `lawn` is not `law`.
        assert_eq!(
            junction("international law", "lawn care", true, true, true, true),
            None
        );
        // The replaced match was a whole word, so a letter cannot follow.
        assert_eq!(junction("the us", "usa", true, false, true, true), None);
        // Case matters for an exact phrase.
        assert_eq!(
            junction("Russia", "a visit to russia", false, true, true, true),
            None
        );
        assert_eq!(
            junction("Russia", "visit to Russia", false, true, true, true),
            Some(("visit to ".into(), String::new()))
        );
    }

    #[test]
    fn clean_rule_has_no_warnings() {
        let w = lint_yaml(
            "pack: t\nrules:\n  - id: a\n    find: global law\n    replace: international law\n    why: Spun.\n    unless: [global lawyers]\n    examples:\n      - { before: global law, after: international law }\n      - { keep: global lawyers }\n",
        );
        assert_eq!(w, []);
    }

    #[test]
    fn missing_examples_why_and_unused_exception() {
        let w = lint_yaml(
            "pack: t\nrules:\n  - id: a\n    find: global law\n    replace: international law\n    unless: [the global law]\n  - id: b\n    find: colour\n    replace: color\n    why: Spelling.\n    examples:\n      - { keep: colourful }\n",
        );
        let kinds: Vec<_> = w.iter().map(|(k, r, _)| (*k, r.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (LintKind::NoExamples, "a"),
                (LintKind::NoWhy, "a"),
                (LintKind::UnusedException, "a"),
                (LintKind::NoExamples, "b"),
            ]
        );
    }

    #[test]
    fn duplicate_phrase_is_shadowed_unless_the_first_is_conditional() {
        let base = "pack: t\nrules:\n  - id: a\n    find: [usa, united states]\n    replace: US\n    why: w.\n    examples: [{ before: usa, after: US }]\n";
        let w = lint_yaml(&format!(
            "{base}  - id: b\n    find: usa\n    replace: US\n    why: w.\n    examples: [{{ before: usa, after: US }}]\n"
        ));
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].0, LintKind::Shadowed);
        assert!(w[0].2.starts_with("never fires: `usa` is claimed first by rule `a` (t.yaml:3:5) with the same replacement"), "{w:?}");
        // An exact phrase after an any-case one is shadowed too; the
        // other way round it is not.
        let w = lint_yaml("pack: t\nrules:\n  - id: a\n    find: Usa\n    replace: US\n    why: w.\n    examples: [{ before: Usa, after: US }]\n  - id: b\n    find: usa\n    replace: US\n    why: w.\n    examples: [{ before: usa, after: US }]\n");
        assert_eq!(w, []);
    }

    #[test]
    fn cascade_across_the_junction_is_reported() {
        let w = lint_yaml("pack: t\nrules:\n  - id: swap\n    find: a b\n    replace: b a\n    why: w.\n    examples: [{ before: a b, after: b a }]\n");
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].0, LintKind::Cascade);
        assert_eq!(
            w[0].2,
            "its replacement `b a` followed by ` b` forms `a b`, which rule `swap` (t.yaml:3:5) rewrites: a second run would change the output again"
        );
    }

    /// The cascade messages by brute force: every replacement shape against
    /// every phrase at every offset.
    fn cascades_brute(set: &RuleSet) -> Vec<Vec<String>> {
        set.rules
            .iter()
            .map(|a| {
                let (Some(r), Find::Phrases { phrases: ap, .. }) = (&a.replace, &a.find) else {
                    return Vec::new();
                };
                if r.trim().is_empty() {
                    return Vec::new();
                }
                let edge = |first: bool| {
                    a.word_boundary
                        && ap.iter().all(|p| {
                            let mut cs = p.trim().chars();
                            let c = if first { cs.next() } else { cs.next_back() };
                            c.is_some_and(is_word_char)
                        })
                };
                let mut out = Vec::new();
                for b in &set.rules {
                    let (Some(_), Find::Phrases { phrases, case }) = (&b.replace, &b.find) else {
                        continue;
                    };
                    'p: for phrase in phrases {
                        let any = exact(phrase, *case).is_none();
                        let p = normalize(phrase, false);
                        for v in shapes(a, r) {
                            if junction(&v, &p, any, b.word_boundary, edge(true), edge(false))
                                .is_some()
                            {
                                out.push(format!("{}:{}", b.id, phrase));
                                break 'p;
                            }
                        }
                    }
                }
                out
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// The indexed cascade check finds the same rule pairs as the
        /// brute-force one.
        #[test]
        fn indexed_cascades_match_brute_force(
            rules in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["a b", "b a", "ab", "a", "b c", "B a", "c-a", "a b c"]),
                    proptest::sample::select(vec!["b a", "c", "a b", "ab b", "B", "c c", "x-a", "b"]),
                    proptest::bool::ANY,
                ),
                1..6,
            )
        ) {
            let mut yaml = String::from("pack: t\nrules:\n");
            for (i, (find, replace, word)) in rules.iter().enumerate() {
                yaml.push_str(&format!(
                    "  - id: r{i}\n    find: '{find}'\n    replace: '{replace}'\n    boundary: {}\n",
                    if *word { "word" } else { "none" }
                ));
            }
            let mut l = Loader::new();
            l.add_source("t.yaml", yaml);
            let Ok(set) = l.build() else { return Ok(()) };
            let fast: Vec<usize> = cascades(&set).iter().map(Vec::len).collect();
            let slow: Vec<usize> = cascades_brute(&set).iter().map(Vec::len).collect();
            proptest::prop_assert_eq!(fast, slow);
        }
    }
}
