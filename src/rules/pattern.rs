//! Pattern rules' regular expressions: compiled only when a text needs
//! them, and run fast on any text.
//!
//! Two costs dominated pattern rules. Compiling a regex with Unicode classes
//! is dear (most of a one-file `check` went to compiling the default packs'
//! patterns), so a pattern is compiled when first needed, and a
//! [prefilter](crate::passes::patterns::Prefilter) over the literals one of
//! which every match contains ([`required_literals`]) keeps most patterns
//! from being needed at all. And a Unicode `\b` stops the regex crate's
//! fast engine at the first non-ASCII byte, so each pattern with one also
//! gets a *relaxed* form (see [`Compiled`]) that finds where matches can
//! start, at full speed; the pattern as written is then only tried,
//! anchored, at those places.

use std::sync::OnceLock;

use regex::RegexBuilder;
use regex_automata::meta;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::literal::ExtractKind;
use regex_syntax::hir::{Hir, HirKind, Look};

use super::load;

/// A pattern rule's regular expression, compiled when first needed.
///
/// Compiling a regex with Unicode classes is expensive (most of the time of
/// a one-file `check` went to compiling the default packs' patterns), and
/// most patterns never match a given document. So a pattern from a set of
/// packs that passed every load-time check before (see
/// [`cache`](crate::rules::cache)) is compiled only when a document contains
/// one of the literals one of which every match contains
/// ([`Pattern::literals`]).
/// Any other pattern is compiled, and so validated, at load.
#[derive(Debug)]
pub struct Pattern {
    source: String,
    case_insensitive: bool,
    literals: Option<Vec<Vec<u8>>>,
    limits: RegexLimits,
    regex: OnceLock<Result<Box<Compiled>, String>>,
}

/// The size and nesting limits a pattern is compiled with (from the
/// loader's [`load::Limits`]).
#[derive(Clone, Copy, Debug)]
pub struct RegexLimits {
    /// Most bytes the compiled regex may take.
    pub size: usize,
    /// Deepest nesting the pattern may have.
    pub nest: u32,
}

impl Default for RegexLimits {
    fn default() -> Self {
        RegexLimits {
            size: load::limits::MAX_REGEX_SIZE,
            nest: load::limits::MAX_REGEX_NEST,
        }
    }
}

impl Pattern {
    /// A pattern compiled when first used; `literals` as
    /// [`Pattern::literals`].
    pub fn lazy(
        source: String,
        case_insensitive: bool,
        literals: Option<Vec<Vec<u8>>>,
        limits: RegexLimits,
    ) -> Self {
        Pattern {
            source,
            case_insensitive,
            literals,
            limits,
            regex: OnceLock::new(),
        }
    }

    /// Compiles `source` now, with the load-time limits; the error is the
    /// regex crate's message.
    pub fn compiled(
        source: String,
        case_insensitive: bool,
        literals: Option<Vec<Vec<u8>>>,
        limits: RegexLimits,
    ) -> Result<Self, String> {
        let re = compile_regex(&source, case_insensitive, limits)?;
        let pattern = Pattern::lazy(source, case_insensitive, literals, limits);
        let _ = pattern.regex.set(Ok(Box::new(re)));
        Ok(pattern)
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Literals one of which every match contains (ASCII letters
    /// lowercased: compare ignoring ASCII case), or `None` when no such set
    /// is known (the regex must then always run). An empty list means the
    /// pattern can never match.
    pub fn literals(&self) -> Option<&[Vec<u8>]> {
        self.literals.as_deref()
    }

    /// Returns true once the regex is compiled (or failed to).
    pub fn is_compiled(&self) -> bool {
        self.regex.get().is_some()
    }

    /// The compiled regex (compiled on first use); `None` only if it fails
    /// to compile, which a pattern that passed the load-time checks does
    /// not.
    pub fn regex(&self) -> Option<&Compiled> {
        self.regex
            .get_or_init(|| {
                compile_regex(&self.source, self.case_insensitive, self.limits).map(Box::new)
            })
            .as_deref()
            .ok()
    }
}

/// A compiled pattern: the regex as written and, when it has Unicode word
/// boundaries, a relaxed form that finds where its matches can start.
///
/// The regex crate's lazy DFA cannot evaluate a Unicode `\b` past a
/// non-ASCII byte (a curly quote is enough) and then falls back to a far
/// slower engine for the rest of the search. The relaxed form drops every
/// Unicode word-boundary assertion, except that a `\b` at the very start
/// or end of the pattern, next to what can only be an ASCII word character,
/// becomes an ASCII `\b` (there it admits every place a Unicode one does).
/// Every match of the pattern is thus also a match of the relaxed form, so
/// the leftmost start of the relaxed form is never after the pattern's; the
/// pattern itself is tried only there, anchored, which costs a few bytes of
/// work. The matches are exactly those of the pattern as written (a test
/// compares them on the default packs and the corpus). On texts shorter
/// than [`RELAX_FROM`] the slow engine costs less than compiling the
/// relaxed form, so it is compiled only when a longer text comes.
#[derive(Debug)]
pub struct Compiled {
    exact: meta::Regex,
    /// The parsed pattern, to derive the relaxed form from.
    hir: Hir,
    config: meta::Config,
    relaxed: OnceLock<Option<meta::Regex>>,
}

/// Text length from which the relaxed form is used.
pub const RELAX_FROM: usize = 64 * 1024;

impl Compiled {
    /// Returns true if the pattern matches somewhere in `text` (an empty
    /// match counts).
    pub fn is_match(&self, text: &str) -> bool {
        self.exact.is_match(text)
    }

    /// The successive non-overlapping, non-empty matches in `text`, left to
    /// right, as the regex crate's `captures_iter` finds them (skipping
    /// empty ones).
    pub fn captures<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Captures> + 'a {
        self.captures_with(text, 0, text.len() >= RELAX_FROM)
    }

    /// The leftmost non-empty match at or after `at` (the text before `at`
    /// is context, as for the regex crate's `captures_at`).
    pub fn captures_at(&self, text: &str, at: usize) -> Option<Captures> {
        self.captures_with(text, at, text.len() >= RELAX_FROM)
            .next()
    }

    /// The leftmost match at or after `at`, an empty one included, as the
    /// regex crate's `find_at` gives it.
    pub fn find_at(&self, text: &str, at: usize) -> Option<regex_automata::Match> {
        self.exact.search(&Input::new(text).range(at..))
    }

    /// The relaxed form, compiled on first use; `None` when the pattern has
    /// no Unicode word boundary (or the relaxed form would not compile).
    fn relaxed(&self) -> Option<&meta::Regex> {
        self.relaxed
            .get_or_init(|| {
                let hir = relax(&self.hir)?;
                meta::Builder::new()
                    .configure(
                        self.config
                            .clone()
                            .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit),
                    )
                    .build_from_hir(&hir)
                    .ok()
            })
            .as_ref()
    }

    /// As [`Compiled::captures`], with or without the relaxed form.
    fn captures_with<'a>(
        &'a self,
        text: &'a str,
        from: usize,
        relax: bool,
    ) -> impl Iterator<Item = Captures> + 'a {
        let relaxed = if relax { self.relaxed() } else { None };
        let mut caps = self.exact.create_captures();
        let mut pos = from;
        std::iter::from_fn(move || {
            while pos <= text.len() {
                let start = match relaxed {
                    None => {
                        self.exact
                            .search_captures(&Input::new(text).range(pos..), &mut caps);
                        caps.get_match()?.start()
                    }
                    Some(relaxed) => {
                        let at = relaxed.find(Input::new(text).range(pos..))?.start();
                        let input = Input::new(text).range(at..).anchored(Anchored::Yes);
                        self.exact.search_captures(&input, &mut caps);
                        at
                    }
                };
                match caps.get_match() {
                    Some(m) if !m.is_empty() => {
                        pos = m.end();
                        return Some(caps.clone());
                    }
                    // No match here (only possible after the relaxed
                    // form's candidate), or an empty one: go on from the
                    // next character.
                    _ => pos = next_char(text, start),
                }
            }
            None
        })
    }
}

/// The character boundary after `at` (one past the end at the end).
fn next_char(text: &str, at: usize) -> usize {
    let mut i = at + 1;
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Compiles a pattern rule's regex with the load-time size and nesting
/// limits; the error is the regex crate's message.
pub fn compile_regex(
    source: &str,
    case_insensitive: bool,
    limits: RegexLimits,
) -> Result<Compiled, String> {
    let syntax = regex_automata::util::syntax::Config::new()
        .case_insensitive(case_insensitive)
        .nest_limit(limits.nest)
        .utf8(true);
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(Some(limits.size))
        .hybrid_cache_capacity(2 * (1 << 20));
    let built = regex_automata::util::syntax::parse_with(source, &syntax)
        .map_err(|_| ())
        .and_then(|hir| {
            let exact = meta::Builder::new()
                .configure(config.clone())
                .build_from_hir(&hir)
                .map_err(|_| ())?;
            Ok(Compiled {
                exact,
                hir,
                config: config.clone(),
                relaxed: OnceLock::new(),
            })
        });
    built.map_err(|()| {
        // The message users know, from the regex crate itself.
        match RegexBuilder::new(source)
            .case_insensitive(case_insensitive)
            .size_limit(limits.size)
            .nest_limit(limits.nest)
            .build()
        {
            Err(e) => {
                let msg = e.to_string();
                msg.lines().last().unwrap_or("").trim().to_string()
            }
            Ok(_) => "the pattern could not be compiled".to_string(),
        }
    })
}

/// The relaxed form of `hir` (see [`Compiled`]), or `None` when it has no
/// Unicode word-boundary assertion.
fn relax(hir: &Hir) -> Option<Hir> {
    let mut changed = false;
    let mut relaxed = drop_word_looks(hir, &mut changed);
    if !changed {
        return None;
    }
    // An ASCII `\b` at an edge next to an ASCII word character.
    if let HirKind::Concat(parts) = hir.kind() {
        let n = parts.len();
        let head = n > 1
            && is_unicode_boundary(&parts[0])
            && edge_is_ascii_word(&Hir::concat(parts[1..].to_vec()), ExtractKind::Prefix);
        let tail = n > 1
            && is_unicode_boundary(&parts[n - 1])
            && edge_is_ascii_word(&Hir::concat(parts[..n - 1].to_vec()), ExtractKind::Suffix);
        if head || tail {
            let mut parts: Vec<Hir> = parts
                .iter()
                .map(|p| drop_word_looks(p, &mut changed))
                .collect();
            if head {
                parts[0] = Hir::look(Look::WordAscii);
            }
            if tail {
                parts[n - 1] = Hir::look(Look::WordAscii);
            }
            relaxed = Hir::concat(parts);
        }
    }
    Some(relaxed)
}

fn is_unicode_boundary(hir: &Hir) -> bool {
    matches!(hir.kind(), HirKind::Look(Look::WordUnicode))
}

/// Returns true if every match of `hir` starts (`Prefix`) or ends
/// (`Suffix`) with an ASCII word character.
fn edge_is_ascii_word(hir: &Hir, kind: ExtractKind) -> bool {
    use regex_syntax::hir::literal::Extractor;
    let seq = Extractor::new()
        .kind(kind.clone())
        .limit_class(64)
        .limit_literal_len(4)
        .limit_total(1024)
        .extract(hir);
    let Some(lits) = seq.literals() else {
        return false;
    };
    !lits.is_empty()
        && lits.iter().all(|l| {
            let b = match kind {
                ExtractKind::Prefix => l.as_bytes().first(),
                _ => l.as_bytes().last(),
            };
            b.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

/// `hir` with every Unicode word-boundary assertion replaced by the empty
/// expression (which always holds).
fn drop_word_looks(hir: &Hir, changed: &mut bool) -> Hir {
    use regex_syntax::hir::{Capture, Repetition};
    match hir.kind() {
        HirKind::Look(
            Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode,
        ) => {
            *changed = true;
            Hir::empty()
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(drop_word_looks(&r.sub, changed)),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(drop_word_looks(&c.sub, changed)),
            ..c.clone()
        }),
        HirKind::Concat(parts) => {
            Hir::concat(parts.iter().map(|p| drop_word_looks(p, changed)).collect())
        }
        HirKind::Alternation(alts) => {
            Hir::alternation(alts.iter().map(|p| drop_word_looks(p, changed)).collect())
        }
        _ => hir.clone(),
    }
}

/// Literals one of which every match of `source` contains (see
/// [`Pattern::literals`]), ASCII letters lowercased; `None` when the pattern
/// does not parse or no useful finite set is found.
///
/// Walks the parsed pattern: a run of literals and small classes in a
/// concatenation gives the strings it can spell (so `(?i)take effect` gives
/// `take effect`); an alternation needs a set from every branch (their
/// union, so `^[ \t]*(?:sponsored|paid[ \t]+post)` gives `sponsored` and
/// `paid`); a concatenation takes the best of its parts' sets and its runs'.
/// The best set is the one whose shortest literal is longest.
pub fn required_literals(source: &str, case_insensitive: bool) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .nest_limit(load::limits::MAX_REGEX_NEST)
        .build()
        .parse(source)
        .ok()?;
    required(&hir)
}

/// Most literals a pattern's set may have.
const MAX_LITERALS: usize = 512;
/// Most strings a run of literals and classes may spell.
const MAX_RUN: usize = 64;

/// The characters of a class, when there are at most 16.
fn class_strings(class: &regex_syntax::hir::Class) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::Class;
    match class {
        Class::Unicode(c) => {
            let n: u32 = c
                .iter()
                .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                .sum();
            (n <= 16).then(|| {
                c.iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(|ch| ch.to_string().into_bytes())
                    .collect()
            })
        }
        Class::Bytes(c) => {
            let n: usize = c.iter().map(|r| usize::from(r.end() - r.start()) + 1).sum();
            (n <= 16).then(|| {
                c.iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(|b| vec![b])
                    .collect()
            })
        }
    }
}

/// Every string `hir` can match (ASCII letters lowercased), when that is
/// a small finite set: literals, small classes, look-arounds (they match
/// no text), optional parts, and alternations and concatenations of them.
fn exact_strings(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut set = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => vec![Vec::new()],
        HirKind::Literal(lit) => vec![lit.0.to_vec()],
        HirKind::Class(c) => class_strings(c)?,
        HirKind::Capture(c) => return exact_strings(&c.sub),
        HirKind::Repetition(r) if r.max == Some(1) => {
            let mut v = exact_strings(&r.sub)?;
            if r.min == 0 {
                v.push(Vec::new());
            }
            v
        }
        HirKind::Repetition(_) => return None,
        HirKind::Alternation(branches) => {
            let mut v = Vec::new();
            for b in branches {
                v.extend(exact_strings(b)?);
                if v.len() > MAX_RUN {
                    return None;
                }
            }
            v
        }
        HirKind::Concat(parts) => {
            let mut v = vec![Vec::new()];
            for p in parts {
                v = cross(&v, &exact_strings(p)?)?;
            }
            v
        }
    };
    for s in &mut set {
        s.make_ascii_lowercase();
    }
    set.sort_unstable();
    set.dedup();
    (set.len() <= MAX_RUN).then_some(set)
}

/// Every `a` followed by every `b`, deduplicated; `None` past [`MAX_RUN`].
fn cross(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<u8>> = a
        .iter()
        .flat_map(|x| {
            b.iter().map(move |y| {
                let mut s = x.clone();
                s.extend_from_slice(y);
                s.make_ascii_lowercase();
                s
            })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    (out.len() <= MAX_RUN).then_some(out)
}

fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    if let Some(all) = exact_strings(hir) {
        return normalized(all);
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) | HirKind::Literal(_) | HirKind::Class(_) => None,
        HirKind::Repetition(r) if r.min == 0 => None,
        HirKind::Repetition(r) => required(&r.sub),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for b in branches {
                all.extend(required(b)?);
            }
            normalized(all)
        }
        HirKind::Concat(parts) => {
            // A run of parts that spell small sets of strings spells their
            // concatenations (as long as the set stays small); any other
            // part gives its own set.
            let spelled: Vec<Option<Vec<Vec<u8>>>> = parts.iter().map(exact_strings).collect();
            let mut best = None;
            for (i, part) in parts.iter().enumerate() {
                match &spelled[i] {
                    None => consider(&mut best, required(part)),
                    Some(first) if i == 0 || spelled[i - 1].is_none() => {
                        let mut set = first.clone();
                        for next in spelled[i + 1..].iter() {
                            match next.as_ref().and_then(|n| cross(&set, n)) {
                                Some(grown) => set = grown,
                                None => break,
                            }
                        }
                        consider(&mut best, normalized(set));
                    }
                    Some(_) => {}
                }
            }
            best
        }
    }
}

/// Lowercases ASCII letters and drops every literal that another one
/// starts (a text containing `closed` contains `close`); `None` for a set
/// that constrains nothing (an empty literal) or is too large.
fn normalized(mut lits: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    for l in &mut lits {
        l.make_ascii_lowercase();
    }
    lits.sort_unstable();
    let mut kept: Vec<Vec<u8>> = Vec::with_capacity(lits.len());
    for l in lits {
        // Sorted: a literal that starts this one is the last kept one.
        if kept.last().is_none_or(|k| !l.starts_with(k)) {
            kept.push(l);
        }
    }
    if kept.len() > MAX_LITERALS || kept.iter().any(Vec::is_empty) {
        return None;
    }
    Some(kept)
}

/// Keeps `cand` in `best` when its shortest literal is longer (or as long,
/// with fewer literals).
fn consider(best: &mut Option<Vec<Vec<u8>>>, cand: Option<Vec<Vec<u8>>>) {
    let Some(cand) = cand else { return };
    let score = |l: &[Vec<u8>]| {
        (
            l.iter().map(Vec::len).min().unwrap_or(0),
            usize::MAX - l.len(),
        )
    };
    if best.as_ref().is_none_or(|b| score(&cand) > score(b)) {
        *best = Some(cand);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::Loader;
    use crate::rules::{Find, RuleSet};
    use proptest::prelude::*;

    fn builtin() -> RuleSet {
        let mut l = Loader::new();
        l.add_builtin();
        l.build().expect("default packs load")
    }

    /// The matches (spans of every group) the regex crate finds.
    fn reference(re: &regex::Regex, text: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        re.captures_iter(text)
            .filter(|c| !c.get(0).unwrap().is_empty())
            .map(|c| c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect())
            .collect()
    }

    /// Our matches, with and without the relaxed form (which must agree).
    fn ours(c: &Compiled, text: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        let spans = |relax| -> Vec<Vec<Option<(usize, usize)>>> {
            c.captures_with(text, 0, relax)
                .map(|caps| {
                    (0..caps.group_len())
                        .map(|i| caps.get_group(i).map(|s| (s.start, s.end)))
                        .collect()
                })
                .collect()
        };
        let relaxed = spans(true);
        assert_eq!(relaxed, spans(false));
        relaxed
    }

    /// Each default pattern, compiled both ways.
    static COMPILED: std::sync::LazyLock<Vec<(String, Compiled, regex::Regex)>> =
        std::sync::LazyLock::new(|| {
            builtin()
                .rules
                .iter()
                .filter_map(|rule| match &rule.find {
                    Find::Pattern(p) => Some((
                        rule.id.to_string(),
                        compile_regex(p.as_str(), false, RegexLimits::default()).unwrap(),
                        regex::Regex::new(p.as_str()).unwrap(),
                    )),
                    Find::Phrases { .. } => None,
                })
                .collect()
        });

    fn check_all(texts: &[String]) -> usize {
        let mut relaxed = 0;
        for (id, c, re) in COMPILED.iter() {
            relaxed += usize::from(c.relaxed().is_some());
            for text in texts {
                assert_eq!(ours(c, text), reference(re, text), "{id} on {text:?}");
            }
        }
        relaxed
    }

    /// Every default pattern finds exactly what the regex crate finds, on
    /// the packs' own examples, their upper-case forms, and real news.
    #[test]
    #[allow(clippy::print_stderr)]
    fn same_matches_as_the_regex_crate() {
        let set = builtin();
        let mut texts: Vec<String> = Vec::new();
        for rule in &set.rules {
            for ex in &rule.examples {
                texts.extend(ex.before.iter().chain(&ex.keep).cloned());
            }
        }
        let upper: Vec<String> = texts.iter().map(|t| t.to_uppercase()).collect();
        texts.extend(upper);
        let joined = texts.join("\n");
        texts.push(joined);
        let news = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/bbc-news");
        match std::fs::read_dir(news) {
            Ok(dirs) => {
                for d in dirs.flatten().take(3) {
                    let files = std::fs::read_dir(d.path()).into_iter().flatten().flatten();
                    for f in files.take(10) {
                        texts.extend(std::fs::read_to_string(f.path()));
                    }
                }
            }
            Err(_) => eprintln!("note: {news} is absent: news texts skipped"),
        }
        let relaxed = check_all(&texts);
        assert!(relaxed >= 10, "only {relaxed} patterns relaxed");
    }

    const TOKENS: &[&str] = &[
        "the",
        "The",
        "disbursed",
        "crowd",
        "poured",
        "over",
        "data",
        "it",
        "s",
        "don",
        "t",
        "é",
        "émigré",
        "café",
        "ſ",
        "\u{212a}",
        "’",
        "“",
        "”",
        "«",
        ".",
        ",",
        " ",
        "  ",
        "\n",
        "\n\n",
        "end",
        "Then",
        "x",
        "_",
        "9",
        "agreed",
        "in",
        "principal",
        "free",
        "reign",
        "could",
        "of",
        "been",
        "Share",
        "this",
        "article",
        "Advertisement",
        "\t",
        "-",
        "ab",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// On random text rich in the default packs' words, non-ASCII
        /// letters and punctuation, every default pattern finds exactly
        /// what the regex crate finds.
        #[test]
        fn same_matches_on_random_text(parts in prop::collection::vec(0..TOKENS.len(), 0..60)) {
            let text: String = parts.iter().map(|&i| TOKENS[i]).collect();
            check_all(std::slice::from_ref(&text));
        }
    }

    #[test]
    fn edges_next_to_ascii_words_stay_boundaries() {
        let c = compile_regex(r"\bcat\b", false, RegexLimits::default()).unwrap();
        let r = format!("{:?}", c.relaxed().map(|_| ()));
        assert_eq!(r, "Some(())");
        let text = "concat cat écat caté cat";
        assert_eq!(
            ours(&c, text),
            reference(&regex::Regex::new(r"\bcat\b").unwrap(), text)
        );
        // No Unicode boundary: no relaxed form.
        assert!(compile_regex(r"(?-u:\b)cat", false, RegexLimits::default())
            .unwrap()
            .relaxed()
            .is_none());
    }
}
