//! Pattern rules' regular expressions: compiled only when a text needs
//! them, and run fast on any text.
//!
//! Two costs dominated pattern rules. Compiling a regex with Unicode classes
//! is dear (most of a one-file `check` went to compiling the default packs'
//! patterns), so a pattern is compiled when first needed, and a
//! [prefilter](super::prefilter::Prefilter) over the literals one of
//! which every match contains ([`required_literals`]) keeps most patterns
//! from being needed at all; a short text is searched by the regex crate's
//! NFA engines alone, which cost a third as much to build as its fast
//! engines (see [`Compiled`]). And a Unicode `\b` stops the regex crate's
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
use serde::{Deserialize, Serialize};

/// A pattern rule's regular expression, compiled when first needed.
///
/// Compiling a regex with Unicode classes is expensive (most of the time of
/// a one-file `check` went to compiling the default packs' patterns), and
/// most patterns never match a given document. So a pattern from a set of
/// packs that passed every load-time check before (see
/// the rule cache) is compiled only when a document contains
/// one of the literals one of which every match contains
/// ([`Pattern::literals`]).
/// Any other pattern is compiled, and so validated, at load.
#[derive(Debug)]
pub struct Pattern {
    source: String,
    case_insensitive: bool,
    literals: Option<Literals>,
    limits: RegexLimits,
    regex: OnceLock<Result<Box<Compiled>, String>>,
}

/// The size and nesting limits a pattern is compiled with (from the
/// loader's `Limits`).
#[derive(Clone, Copy, Debug)]
pub struct RegexLimits {
    /// Most bytes the compiled regex may take.
    pub size: usize,
    /// Deepest nesting the pattern may have.
    pub nest: u32,
}

impl RegexLimits {
    /// The default limits: a megabyte of compiled regex, 64 levels.
    pub const DEFAULT: RegexLimits = RegexLimits {
        size: 1 << 20,
        nest: 64,
    };
}

impl Default for RegexLimits {
    fn default() -> Self {
        RegexLimits::DEFAULT
    }
}

impl Pattern {
    /// A pattern compiled when first used; `literals` as
    /// [`Pattern::literals`].
    pub fn lazy(
        source: String,
        case_insensitive: bool,
        literals: Option<Literals>,
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
        literals: Option<Literals>,
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

    /// What a text must contain for the pattern to match in it, or `None`
    /// when that is not known (the regex must then always run).
    pub fn literals(&self) -> Option<&Literals> {
        self.literals.as_ref()
    }

    /// Returns true once what searching `searched` bytes of text needs is
    /// built (or failed to be).
    pub fn is_ready(&self, searched: usize) -> bool {
        match self.regex.get() {
            None => false,
            Some(Ok(re)) => re.is_ready(searched),
            Some(Err(_)) => true,
        }
    }

    /// Builds what searching `searched` bytes of text needs (see
    /// `Compiled`).
    pub fn prepare(&self, searched: usize) {
        if let Some(re) = self.regex() {
            re.prepare(searched);
        }
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

/// A compiled pattern: the regex as written, built two ways, and, when it
/// has Unicode word boundaries, a relaxed form that finds where its matches
/// can start.
///
/// Building the regex crate's fast engines (the lazy DFA, forwards and in
/// reverse, and the one-pass DFA) costs about three times as much as
/// building its NFA alone, and on a short text the NFA engines (the
/// bounded backtracker, the Pike VM) finish sooner than those engines take
/// to build: most of a one-file `check` went to building them. So fewer
/// than [`SHORT_TEXT`] bytes to search (a short text, or the few lines of a
/// long one where the pattern's literals occur) are searched by a *light*
/// regex with the NFA engines only, and the *full* regex is built the first
/// time more are to be searched. Both match exactly the same. The light regex also does without
/// the literal prefilter the regex crate would extract for it: extracting
/// it cost a third of building the light regex, and the pattern pass runs
/// a pattern only over the lines holding its literals anyway.
///
/// The lazy DFA cannot evaluate a Unicode `\b` past a non-ASCII byte (a
/// curly quote is enough) and then falls back to a far slower engine for
/// the rest of the search. The relaxed form drops every Unicode
/// word-boundary assertion, except that a `\b` at the very start or end of
/// the pattern, next to what can only be an ASCII word character, becomes
/// an ASCII `\b` (there it admits every place a Unicode one does). Every
/// match of the pattern is thus also a match of the relaxed form, so the
/// leftmost start of the relaxed form is never after the pattern's; the
/// pattern itself is tried only there, anchored, which costs a few bytes of
/// work. The matches are exactly those of the pattern as written (a test
/// compares them on the default packs and the corpus). Short texts do
/// without it, as without the full regex.
#[derive(Debug)]
pub struct Compiled {
    /// The NFA engines only; built first, which also validates the pattern.
    light: meta::Regex,
    /// Every engine, built for the first long text (`None` if it cannot be,
    /// in which case the light regex serves).
    full: OnceLock<Option<meta::Regex>>,
    /// The parsed pattern, to build the full and relaxed forms from.
    hir: Hir,
    config: meta::Config,
    relaxed: OnceLock<Option<meta::Regex>>,
}

/// Bytes to search from which the full regex and the relaxed form are
/// used.
pub const SHORT_TEXT: usize = 64 * 1024;

impl Compiled {
    /// Returns true if the pattern matches somewhere in `text` (an empty
    /// match counts).
    pub fn is_match(&self, text: &str) -> bool {
        self.engine(text.len()).is_match(text)
    }

    /// The successive non-overlapping, non-empty matches in `text`, left to
    /// right, as the regex crate's `captures_iter` finds them (skipping
    /// empty ones).
    pub fn captures<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Captures> + 'a {
        self.captures_from(text, 0)
    }

    /// The leftmost non-empty match at or after `at` (the text before `at`
    /// is context, as for the regex crate's `captures_at`).
    pub fn captures_at(&self, text: &str, at: usize) -> Option<Captures> {
        self.captures_from(text, at).next()
    }

    /// The leftmost match at or after `at`, an empty one included, as the
    /// regex crate's `find_at` gives it.
    pub fn find_at(&self, text: &str, at: usize) -> Option<regex_automata::Match> {
        self.engine(text.len())
            .search(&Input::new(text).range(at..))
    }

    /// Builds now what searching `searched` bytes will need, so the
    /// pattern pass can build side by side what several patterns need.
    fn prepare(&self, searched: usize) {
        if searched >= SHORT_TEXT {
            self.engine(searched);
            self.relaxed();
        }
    }

    /// Returns true if what searching `searched` bytes needs is built.
    fn is_ready(&self, searched: usize) -> bool {
        searched < SHORT_TEXT || (self.full.get().is_some() && self.relaxed.get().is_some())
    }

    /// The regex to search `searched` bytes with: the light one for a few,
    /// the full one (built on first use) for many.
    fn engine(&self, searched: usize) -> &meta::Regex {
        if searched < SHORT_TEXT {
            return &self.light;
        }
        self.full
            .get_or_init(|| {
                meta::Builder::new()
                    .configure(self.config.clone())
                    .build_from_hir(&self.hir)
                    .ok()
            })
            .as_ref()
            .unwrap_or(&self.light)
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

    /// The leftmost non-empty match that lies within `from..end` (the
    /// text around is context: `^`, `$` and `\b` see it), by the engines
    /// that searching `searched` bytes in all calls for (the lines of a
    /// scope add up to it).
    pub fn captures_within(
        &self,
        text: &str,
        from: usize,
        end: usize,
        searched: usize,
    ) -> Option<Captures> {
        self.captures_in(text, from, end, searched).next()
    }

    /// The matches from `from` on, by the engines `text`'s length calls
    /// for.
    fn captures_from<'a>(
        &'a self,
        text: &'a str,
        from: usize,
    ) -> impl Iterator<Item = Captures> + 'a {
        self.captures_in(text, from, text.len(), text.len())
    }

    /// The matches within `from..end`, by the engines searching
    /// `searched` bytes calls for.
    fn captures_in<'a>(
        &'a self,
        text: &'a str,
        from: usize,
        end: usize,
        searched: usize,
    ) -> impl Iterator<Item = Captures> + 'a {
        let relaxed = if searched >= SHORT_TEXT {
            self.relaxed()
        } else {
            None
        };
        captures_with(self.engine(searched), relaxed, text, from, end)
    }
}

/// The matches of `exact` within `from..end` of `text` (the text around
/// is context), each tried only where `relaxed`, when given, finds a match
/// can start.
fn captures_with<'a>(
    exact: &'a meta::Regex,
    relaxed: Option<&'a meta::Regex>,
    text: &'a str,
    from: usize,
    end: usize,
) -> impl Iterator<Item = Captures> + 'a {
    let mut caps = exact.create_captures();
    let mut pos = from;
    std::iter::from_fn(move || {
        while pos <= end {
            let start = match relaxed {
                None => {
                    exact.search_captures(&Input::new(text).range(pos..end), &mut caps);
                    caps.get_match()?.start()
                }
                Some(relaxed) => {
                    let at = relaxed.find(Input::new(text).range(pos..end))?.start();
                    let input = Input::new(text).range(at..end).anchored(Anchored::Yes);
                    exact.search_captures(&input, &mut caps);
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
            let light = meta::Builder::new()
                .configure(
                    config
                        .clone()
                        .hybrid(false)
                        .dfa(false)
                        .onepass(false)
                        .auto_prefilter(false),
                )
                .build_from_hir(&hir)
                .map_err(|_| ())?;
            Ok(Compiled {
                light,
                full: OnceLock::new(),
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

/// What every match of a pattern contains: one of a set of literals,
/// possibly at the head of a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Literals {
    /// The literals, ASCII letters lowercased (compare ignoring ASCII
    /// case); an empty list means the pattern can never match.
    #[serde(with = "byte_strings")]
    pub strings: Vec<Vec<u8>>,
    /// Every match starts at the start of a line, then spaces or tabs,
    /// then one of the literals (`(?m)^[ \t]*(?:related|most read)…`): an
    /// occurrence elsewhere in a line does not count. Boilerplate patterns
    /// are of this shape and their words (`more`, `share`, `print`) are in
    /// most articles, so without this most of them would be compiled and
    /// run on every document.
    pub line_head: bool,
    /// With [`Literals::line_head`]: longer strings one of which every
    /// line a match starts on begins with, reading every run of spaces and
    /// tabs, in them and in the line, as one space, and leaving out the
    /// line's leading blanks (see `starts_with_head`). `ad[ \t]+feedback`
    /// gives the literal `ad ` but the head `ad feedback`, which "Ad sales
    /// rose" does not start with. `None` when not worked out.
    #[serde(with = "byte_strings::option")]
    pub heads: Option<Vec<Vec<u8>>>,
    /// No match spans more than one line (its final newline aside): the
    /// regex need only be run over the lines where a literal occurs.
    pub one_line: bool,
}

/// Lists of byte strings in the rule cache as byte blocks (one length and a
/// copy each), not as sequences of numbers read one at a time: reading the
/// default packs' literals that way was a tenth of a one-article `check`.
mod byte_strings {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_bytes::{ByteBuf, Bytes};

    pub fn serialize<S: Serializer>(v: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|b| Bytes::new(b)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<u8>>, D::Error> {
        let bufs = Vec::<ByteBuf>::deserialize(d)?;
        Ok(bufs.into_iter().map(ByteBuf::into_vec).collect())
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(v: &Option<Vec<Vec<u8>>>, s: S) -> Result<S::Ok, S::Error> {
            v.as_ref()
                .map(|v| v.iter().map(|b| Bytes::new(b)).collect::<Vec<_>>())
                .serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<Vec<Vec<u8>>>, D::Error> {
            let bufs = Option::<Vec<ByteBuf>>::deserialize(d)?;
            Ok(bufs.map(|b| b.into_iter().map(ByteBuf::into_vec).collect()))
        }
    }
}

/// Returns true if the bytes of `text` before `at` on its line are all
/// spaces or tabs.
pub fn at_line_head(text: &[u8], at: usize) -> bool {
    text[..at]
        .iter()
        .rev()
        .take_while(|&&b| b != b'\n')
        .all(|&b| b == b' ' || b == b'\t')
}

/// What every match of `source` contains (see [`Literals`]); `None` when
/// the pattern does not parse or no useful finite set is found.
///
/// A pattern anchored at a line start (`^` in multi-line mode, or the text
/// start), then optional spaces or tabs, gives the literals its matches
/// start with there; any other gives literals one of which every match
/// contains somewhere, found as follows.
///
/// Walks the parsed pattern: a run of literals and small classes in a
/// concatenation gives the strings it can spell (so `(?i)take effect` gives
/// `take effect`); an alternation needs a set from every branch (their
/// union, so `^[ \t]*(?:sponsored|paid[ \t]+post)` gives `sponsored` and
/// `paid`); a concatenation takes the best of its parts' sets and its runs'.
/// The best set is the one whose shortest literal is longest.
pub fn required_literals(source: &str, case_insensitive: bool) -> Option<Literals> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .nest_limit(RegexLimits::DEFAULT.nest)
        .build()
        .parse(source)
        .ok()?;
    let one_line = within_a_line(&hir);
    if let Some((strings, heads)) = line_heads(&hir) {
        return Some(Literals {
            strings,
            line_head: true,
            heads,
            one_line,
        });
    }
    required(&hir).map(|strings| Literals {
        strings,
        line_head: false,
        heads: None,
        one_line,
    })
}

/// Returns true if no match of `hir` contains a line feed, except that
/// the pattern, or each branch of it, may end with one character that can
/// be one (`\r?$\n?`, which takes a boilerplate line's own newline, or
/// `t(\s)` after a word): such a match still lies within its line and the
/// line's newline. (`markup-tag` ends only its whole-line branch with
/// `\n?`; taking the pattern for a multi-line one searched all of a long
/// text wherever it held a `<`.)
fn within_a_line(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Concat(parts) => parts.split_last().is_none_or(|(last, init)| {
            init.iter().all(|p| !matches_newline(p))
                && (at_most_one_char(last) || within_a_line(last))
        }),
        HirKind::Alternation(branches) => branches.iter().all(within_a_line),
        HirKind::Capture(c) => within_a_line(&c.sub),
        _ => !matches_newline(hir),
    }
}

/// Returns true if every match of `hir` is one character or none.
fn at_most_one_char(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Class(_) => true,
        HirKind::Literal(l) => std::str::from_utf8(&l.0).is_ok_and(|s| s.chars().count() == 1),
        HirKind::Capture(c) => at_most_one_char(&c.sub),
        HirKind::Repetition(r) => r.max == Some(1) && at_most_one_char(&r.sub),
        _ => false,
    }
}

/// Returns true if some match of `hir` contains a line feed.
fn matches_newline(hir: &Hir) -> bool {
    use regex_syntax::hir::Class;
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(l) => l.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(c)) => c.iter().any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(c)) => c.iter().any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Repetition(r) => r.max != Some(0) && matches_newline(&r.sub),
        HirKind::Capture(c) => matches_newline(&c.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(matches_newline),
    }
}

/// For `^[ \t]*rest` (`^` at a line or text start), the literals every
/// match of `rest` starts with; `None` for any other shape or when they
/// are not a small finite set.
/// Also gives the longer heads of [`Literals::heads`].
fn line_heads(hir: &Hir) -> Option<(Strings, Option<Strings>)> {
    use regex_syntax::hir::literal::Extractor;
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let (first, rest) = parts.split_first()?;
    if !matches!(
        first.kind(),
        HirKind::Look(Look::Start | Look::StartLF | Look::StartCRLF)
    ) {
        return None;
    }
    let blanks = rest.iter().take_while(|p| is_blank_run(p)).count();
    // Case-insensitive words come with their non-ASCII case variants
    // (`ſ`, the Kelvin sign): short literals in number keep them finite.
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_literal_len(5)
        .limit_total(4096)
        .extract(&Hir::concat(rest[blanks..].to_vec()));
    let lits = seq.literals()?;
    let strings = normalized(lits.iter().map(|l| l.as_bytes().to_vec()).collect())?;
    Some((strings, long_heads(&rest[blanks..])))
}

/// A set of literals or heads.
type Strings = Vec<Vec<u8>>;

/// Most bytes of a head in [`Literals::heads`].
const HEAD_LEN: usize = 16;

/// The heads of [`Literals::heads`] for the parts of a pattern after its
/// line start and leading blanks.
///
/// Every repetition of spaces and tabs in them becomes one optional or
/// required space, so the prefixes can run on past it. Why a line where a
/// match starts begins with one of them: take the match, and write each
/// blank run those repetitions matched as one space (or nothing when
/// empty); the result matches the rewritten pattern, so it starts with one
/// of its prefixes, and folding runs of blanks to one space keeps the
/// prefix a prefix and the match as it was, folded.
fn long_heads(rest: &[Hir]) -> Option<Vec<Vec<u8>>> {
    let rewritten = Hir::concat(rest.iter().map(blanks_as_one).collect());
    let seq = regex_syntax::hir::literal::Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_literal_len(HEAD_LEN)
        .limit_total(4096)
        .extract(&rewritten);
    let heads = seq
        .literals()?
        .iter()
        .map(|l| {
            let mut h = Vec::with_capacity(l.as_bytes().len());
            for &b in l.as_bytes() {
                let blank = b == b' ' || b == b'\t';
                if !blank {
                    h.push(b);
                } else if h.last().is_some_and(|&p| p != b' ') {
                    // One space for a run, none before the first word.
                    h.push(b' ');
                }
            }
            h
        })
        .collect();
    normalized(heads)
}

/// `hir` with every repetition of spaces and tabs (`[ \t]+`, `[ \t]*`,
/// ` {2}`…) made one space, optional when the repetition may be empty, and
/// ASCII letters lowercased (so `(?i)advertisement` is one string, not
/// thousands of case variants, and its prefixes can grow long: the text
/// compared with them is lowercased too).
fn blanks_as_one(hir: &Hir) -> Hir {
    use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Repetition};
    match hir.kind() {
        HirKind::Repetition(r) if is_blanks(&r.sub) => {
            let space = Hir::literal(*b" ");
            if r.min == 0 {
                Hir::repetition(Repetition {
                    min: 0,
                    max: Some(1),
                    greedy: true,
                    sub: Box::new(space),
                })
            } else {
                space
            }
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(blanks_as_one(&r.sub)),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(blanks_as_one(&c.sub)),
            ..c.clone()
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(blanks_as_one).collect()),
        HirKind::Alternation(branches) => {
            Hir::alternation(branches.iter().map(blanks_as_one).collect())
        }
        HirKind::Literal(lit) => Hir::literal(lit.0.to_ascii_lowercase()),
        HirKind::Class(Class::Unicode(c)) => {
            let mut chars: Vec<char> = c
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .take(MAX_CLASS + 1)
                .map(|ch| ch.to_ascii_lowercase())
                .collect();
            chars.sort_unstable();
            chars.dedup();
            if chars.len() > MAX_CLASS {
                return hir.clone();
            }
            Hir::class(Class::Unicode(ClassUnicode::new(
                chars.into_iter().map(|ch| ClassUnicodeRange::new(ch, ch)),
            )))
        }
        _ => hir.clone(),
    }
}

/// Most characters of a class [`blanks_as_one`] folds to lower case.
const MAX_CLASS: usize = 16;

/// Returns true if `hir` matches only a space or a tab.
fn is_blanks(hir: &Hir) -> bool {
    let strings = match hir.kind() {
        HirKind::Class(c) => class_strings(c),
        HirKind::Literal(lit) => Some(vec![lit.0.to_vec()]),
        _ => None,
    };
    strings.is_some_and(|s| !s.is_empty() && s.iter().all(|s| s == b" " || s == b"\t"))
}

/// Returns true if `text` (ASCII letters lowercased), from a line's first
/// byte after its leading blanks, starts with `head` (one of
/// [`Literals::heads`]), a space in `head` standing for a run of spaces and
/// tabs in `text`.
pub fn starts_with_head(text: &[u8], head: &[u8]) -> bool {
    let mut i = 0;
    for &b in head {
        if b == b' ' {
            if !matches!(text.get(i), Some(b' ' | b'\t')) {
                return false;
            }
            while matches!(text.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
        } else if text.get(i) == Some(&b) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// Returns true for `[ \t]*` (or any class of spaces and tabs, any
/// number of times).
fn is_blank_run(hir: &Hir) -> bool {
    let HirKind::Repetition(r) = hir.kind() else {
        return false;
    };
    let Some(strings) = (match r.sub.kind() {
        HirKind::Class(c) => class_strings(c),
        HirKind::Literal(lit) => Some(vec![lit.0.to_vec()]),
        _ => None,
    }) else {
        return false;
    };
    r.min == 0 && strings.iter().all(|s| s == b" " || s == b"\t")
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
            // part gives its own set. A run that grew too large starts
            // again where it stopped: `(?i:take|took|…) (up )?the mantel`
            // gives `take `… and then ` the mantel`, ` up the mantel`.
            let spelled: Vec<Option<Vec<Vec<u8>>>> = parts.iter().map(exact_strings).collect();
            let mut best = None;
            // Where the run being spelled stops (no run starts before it).
            let mut run_end = 0;
            for (i, part) in parts.iter().enumerate() {
                match &spelled[i] {
                    None => consider(&mut best, required(part)),
                    Some(first) if i >= run_end => {
                        let mut set = first.clone();
                        let mut end = i + 1;
                        while let Some(grown) =
                            spelled.get(end).and_then(|n| cross(&set, n.as_ref()?))
                        {
                            set = grown;
                            end += 1;
                        }
                        run_end = end;
                        // A run followed by a part that spells too much
                        // still fixes that part's first byte: `,` before
                        // `\p{Ll}` gives `,a`…`,z` and a few UTF-8 lead
                        // bytes, which news copy (`, `) seldom holds.
                        if let Some(bytes) = parts
                            .get(end)
                            .filter(|_| spelled[end].is_none())
                            .and_then(first_bytes)
                        {
                            let ended: Vec<Vec<u8>> = set
                                .iter()
                                .flat_map(|s| {
                                    bytes.iter().map(move |&b| [s.as_slice(), &[b]].concat())
                                })
                                .collect();
                            if ended.len() <= MAX_LITERALS {
                                set = ended;
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

/// Most first bytes [`first_bytes`] gives.
const MAX_FIRST_BYTES: usize = 96;

/// The bytes every match of `hir` can start with (ASCII letters
/// lowercased), when that is a small set: for a Unicode class, the UTF-8
/// lead bytes of its characters.
fn first_bytes(hir: &Hir) -> Option<Vec<u8>> {
    use regex_syntax::hir::Class;
    let lead = |c: char| c.encode_utf8(&mut [0; 4]).as_bytes()[0];
    let mut set: Vec<u8> = match hir.kind() {
        HirKind::Literal(l) => vec![*l.0.first()?],
        HirKind::Class(Class::Bytes(c)) => c.iter().flat_map(|r| r.start()..=r.end()).collect(),
        // Lead bytes grow with the code point: a range's lie between its
        // ends'.
        HirKind::Class(Class::Unicode(c)) => c
            .iter()
            .flat_map(|r| lead(r.start())..=lead(r.end()))
            .collect(),
        HirKind::Capture(c) => return first_bytes(&c.sub),
        HirKind::Repetition(r) if r.min > 0 => return first_bytes(&r.sub),
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for b in branches {
                all.extend(first_bytes(b)?);
            }
            all
        }
        // Look-arounds match no text: the first part that does decides.
        HirKind::Concat(parts) => {
            let first = parts
                .iter()
                .find(|p| !matches!(p.kind(), HirKind::Look(_)))?;
            return first_bytes(first);
        }
        HirKind::Empty | HirKind::Look(_) | HirKind::Repetition(_) => return None,
    };
    set.make_ascii_lowercase();
    set.sort_unstable();
    set.dedup();
    (set.len() <= MAX_FIRST_BYTES).then_some(set)
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
    use crate::rules::builtin_for_tests as builtin;
    use crate::rules::Find;
    use proptest::prelude::*;

    /// The matches (spans of every group) the regex crate finds.
    fn reference(re: &regex::Regex, text: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        re.captures_iter(text)
            .filter(|c| !c.get(0).unwrap().is_empty())
            .map(|c| c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect())
            .collect()
    }

    /// Our matches by the light regex, the full one, and the full one
    /// with the relaxed form (which must all agree).
    fn ours(c: &Compiled, text: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        let full = c.engine(SHORT_TEXT);
        assert!(!std::ptr::eq(full, &c.light), "the full regex builds");
        let spans = |exact, relaxed| -> Vec<Vec<Option<(usize, usize)>>> {
            captures_with(exact, relaxed, text, 0, text.len())
                .map(|caps| {
                    (0..caps.group_len())
                        .map(|i| caps.get_group(i).map(|s| (s.start, s.end)))
                        .collect()
                })
                .collect()
        };
        let light = spans(&c.light, None);
        assert_eq!(light, spans(full, None));
        assert_eq!(light, spans(full, c.relaxed()));
        light
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
    fn same_matches_as_the_regex_crate() {
        let texts = crate::rules::test_texts::pattern_texts(&builtin(), 4);
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

    /// A few lines of a long text, where a pattern's literals occur, are
    /// searched by the light regex: the length of the text alone does not
    /// build the full one, the bytes to search do.
    #[test]
    fn the_bytes_searched_choose_the_engines() {
        let c = compile_regex(r"(?mi)^share this\b.*$", false, RegexLimits::default()).unwrap();
        let filler = "Counting went on all night.\n".repeat(SHORT_TEXT / 20);
        let text = format!("{filler}Share this article\n");
        let line = filler.len()..text.len();
        let m = c.captures_within(&text, line.start, line.end, line.len());
        assert_eq!(
            m.and_then(|m| m.get_match()).map(|m| m.start()),
            Some(line.start)
        );
        assert!(c.full.get().is_none(), "the full regex is not built");
        let m = c.captures_within(&text, line.start, line.end, text.len());
        assert_eq!(
            m.and_then(|m| m.get_match()).map(|m| m.start()),
            Some(line.start)
        );
        assert!(
            c.full.get().is_some_and(Option::is_some),
            "the full regex is built"
        );
    }
}
