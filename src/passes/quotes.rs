//! The quotes pass: one consistent quotation-mark style, and repairs of the
//! ways scraped text breaks quotes.
//!
//! Scrapers and content systems mix straight and curly quotes in one
//! article, keep TeX-style ``` ``…'' ``` and `` `…' `` pairs from wire feeds,
//! type a double quote as two apostrophes, and leave curly marks facing the
//! wrong way. This pass reads each paragraph's marks, decides what each one
//! is (an opening or closing quote, an apostrophe, a prime in `5'10"`), pairs
//! openers with closers, and rewrites the marks that are not in the chosen
//! style. A quote it cannot pair is flagged, never guessed.
//!
//! Pairing works like the smart-punctuation rules of CommonMark and
//! smartypants: a mark's neighbours say whether it can open or close
//! (`"Hello` opens, `Hello"` closes), apostrophes sit inside words
//! (`don't`, `Ja'afari`) or stand for known elisions (`'90s`, `'tis`,
//! `rock 'n' roll`), and ambiguous marks (`said."The`) take their role from
//! what is still open. Quotes do not pair across paragraphs (blank lines),
//! except that a quotation left open at the end of a paragraph may continue
//! in the next one when that paragraph opens with a quote, as newspapers
//! print long quotations.
//!
//! Marks inside Markdown code spans and fences, after a backslash, and in
//! paragraphs using low-9 quotes (`„…“`, German and other conventions) are
//! left alone and not counted. Marks inside protected spans are counted for
//! pairing but never edited or reported.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use rayon::prelude::*;

use crate::edit::{Edit, Level};
use crate::passes::low_quotes;
use crate::passes::pieces::{in_order, runs_of};
use crate::passes::{Context, Pass};
use crate::settings::{Form, PrimeMarks, Settings};

/// The quote style the pass writes (`quotes.style`).
pub use crate::settings::QuoteStyle as Style;

/// Rule id: a quote or apostrophe in the document's minority style.
pub const QUOTE_STYLE: &str = "quote-style";
/// Rule id: a TeX-style ``` ``…'' ``` or `` `…' `` pair.
pub const BACKTICK_QUOTES: &str = "backtick-quotes";
/// Rule id: two single quotes (`''`, `‘‘`) typed for a double quote.
pub const DOUBLED_SINGLE_QUOTES: &str = "doubled-single-quotes";
/// Rule id: a pair whose opener and closer differ in style (`“text"`).
pub const MISMATCHED_QUOTES: &str = "mismatched-quotes";
/// Rule id: a curly quote facing the wrong way (`”text“`).
pub const WRONG_DIRECTION_QUOTE: &str = "wrong-direction-quote";
/// Rule id: an apostrophe in the wrong style or shape (`don't` in a curly
/// document, `‘90s`, `don´t`).
pub const APOSTROPHE: &str = "apostrophe";
/// Rule id: a quote with no partner in its paragraph (a flag).
pub const UNBALANCED_QUOTE: &str = "unbalanced-quote";
/// Rule id: a straight or curly quote used as a prime (`5'10"`), with
/// `quotes.primes=prime`.
pub const QUOTE_AS_PRIME: &str = "quote-as-prime";

/// A rule id and its explanation, shared by every edit of that rule.
struct Rule {
    id: LazyLock<Arc<str>>,
    why: LazyLock<Arc<str>>,
}

static R_STYLE: Rule = Rule {
    id: LazyLock::new(|| Arc::from(QUOTE_STYLE)),
    why: LazyLock::new(|| {
        Arc::from(
            "Quotes are written in one style per article; this mark is in the minority style.",
        )
    }),
};
static R_BACKTICK: Rule = Rule {
    id: LazyLock::new(|| Arc::from(BACKTICK_QUOTES)),
    why: LazyLock::new(|| {
        Arc::from(
            "Backtick quotes (``…'' and `…') are a typewriter and TeX convention, not typography.",
        )
    }),
};
static R_DOUBLED: Rule = Rule {
    id: LazyLock::new(|| Arc::from(DOUBLED_SINGLE_QUOTES)),
    why: LazyLock::new(|| Arc::from("Two apostrophes stand in for a double quote.")),
};
static R_MISMATCHED: Rule = Rule {
    id: LazyLock::new(|| Arc::from(MISMATCHED_QUOTES)),
    why: LazyLock::new(|| Arc::from("The opening and closing quote of this pair differ in style.")),
};
static R_WRONG_DIRECTION: Rule = Rule {
    id: LazyLock::new(|| Arc::from(WRONG_DIRECTION_QUOTE)),
    why: LazyLock::new(|| Arc::from("This curly quote faces the wrong way for where it stands.")),
};
static R_APOSTROPHE: Rule = Rule {
    id: LazyLock::new(|| Arc::from(APOSTROPHE)),
    why: LazyLock::new(|| {
        Arc::from("An apostrophe takes the article's quote style and is never an opening quote.")
    }),
};
static R_UNBALANCED: Rule = Rule {
    id: LazyLock::new(|| Arc::from(UNBALANCED_QUOTE)),
    why: LazyLock::new(|| {
        Arc::from("This quote has no partner in its paragraph; a mark may be missing or stray.")
    }),
};
static R_PRIME: Rule = Rule {
    id: LazyLock::new(|| Arc::from(QUOTE_AS_PRIME)),
    why: LazyLock::new(|| Arc::from("Feet and inches are written with primes (′ ″), not quotes.")),
};

/// What happens to quotes used as primes in measurements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Primes {
    /// Leave `5'10"` as written.
    Keep,
    /// Write primes: `5′10″`.
    Prime,
    /// Write primes as compatibility normalisation (`unicode.form=nfkc`)
    /// leaves them, a double prime as two: `5′10′′`. Otherwise the unicode
    /// pass would split `″` on the next run.
    PrimeCompatible,
}

/// The quotes pass.
#[derive(Clone, Copy, Debug)]
pub struct Quotes {
    /// The style to write.
    pub style: Style,
    /// What to do with primes.
    pub primes: Primes,
}

impl Quotes {
    /// Builds the pass from `quotes.style` and `quotes.primes` (and
    /// `unicode.form`, which decides how a double prime is written).
    pub fn from_settings(settings: &Settings) -> Quotes {
        let primes = match (settings.quotes_primes, settings.unicode_form) {
            (PrimeMarks::Prime, Form::Nfkc) => Primes::PrimeCompatible,
            (PrimeMarks::Prime, _) => Primes::Prime,
            (PrimeMarks::Keep, _) => Primes::Keep,
        };
        let style = settings.quotes_style;
        Quotes { style, primes }
    }
}

impl Pass for Quotes {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        self.find(text, cx, out, cx.piece);
    }
}

impl Quotes {
    /// The pass over `text`, its paragraphs read in runs of at least
    /// `min` bytes.
    fn find(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>, min: usize) {
        if !has_candidates(text) {
            return;
        }
        let code = cx.code(text);
        // A long text's paragraphs are read in runs on every core: the
        // marks are counted run by run, and each run is paired and written
        // knowing how the paragraph after it opens.
        let paras = cx.paragraphs(text);
        let runs = runs_of(&paras, min);
        let curly = match self.style {
            Style::Curly => true,
            Style::Straight => false,
            Style::Dominant => {
                let count = |run: &&[Range<usize>]| count_marks(text, run, &code, cx);
                let add = |a: (usize, usize), b: (usize, usize)| (a.0 + b.0, a.1 + b.1);
                // One run is counted here: a short text starts no pool.
                let (curly, straight) = if runs.len() <= 1 {
                    runs.iter().map(count).fold((0, 0), add)
                } else {
                    runs.par_iter().map(count).reduce(|| (0, 0), add)
                };
                curly >= straight
            }
        };
        // Paragraphs in a language whose quotations open low are left
        // out of the marks above; only their broken pairs are repaired.
        if cx.languages.is_some() {
            let skip = |r: &Range<usize>| {
                cx.protected.overlaps(r) || code.iter().any(|c| c.start < r.end && r.start < c.end)
            };
            for para in paras.iter() {
                let profile = cx.profile_at(para.start);
                if low_quotes::applies(profile) && cx.enabled(MISMATCHED_QUOTES) {
                    let rule = (&*R_MISMATCHED.id, &*R_MISMATCHED.why);
                    low_quotes::repair(text, para.clone(), profile, &skip, rule, out);
                }
            }
        }
        let ks: Vec<usize> = (0..runs.len()).collect();
        in_order(&ks, out, |&k, out| {
            let after = runs[k + 1..].iter().flat_map(|run| run.iter().cloned());
            let next = first_opens(text, after, &code, curly, cx);
            write_blocks(text, runs[k], &code, self.primes, curly, next, cx, out);
        });
    }
}

/// Returns true if `text` holds any byte a quote mark starts with.
fn has_candidates(text: &str) -> bool {
    memchr::memchr3(b'"', b'\'', b'`', text.as_bytes()).is_some()
        || text.contains(['\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{b4}'])
}

/// Double or single quotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Double = 0,
    Single = 1,
}

/// How a mark is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Glyph {
    /// `"` or `'`.
    Straight,
    /// `“` or `‘`.
    Left,
    /// `”` or `’`.
    Right,
    /// ``` `` ``` or `` ` ``.
    Backtick,
    /// `''` or `‘‘` standing for a double quote.
    Doubled,
    /// `´` inside a word.
    Acute,
}

impl Glyph {
    fn is_curly(self) -> bool {
        matches!(self, Glyph::Left | Glyph::Right)
    }
}

/// What becomes of an opener that finds no closer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fallback {
    /// It is flagged.
    Unbalanced,
    /// It was an elision after all (`’89`).
    Apostrophe,
    /// It is left alone unflagged (a lone backtick).
    Ignore,
}

/// What a mark's neighbours say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Open(Fallback),
    Close,
    /// Opens or closes depending on what is open.
    Either,
    Apostrophe,
    /// A prime for certain (`5'10"`).
    Prime,
    /// After a number: closes an open quote, else a prime (`6" tall`).
    PrimeOrClose,
    /// A straight double quote for an apostrophe (`Kuwait"s`, as wire
    /// copy prints it): closes an open quote, else an apostrophe.
    CloseOrApostrophe,
}

/// What a mark turned out to be after pairing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Res {
    Open,
    Close,
    Apostrophe,
    /// A prime; `true` when certain.
    Prime(bool),
    Unmatched,
    Ignore,
}

/// One quotation mark of the text.
#[derive(Clone, Debug)]
struct Mark {
    range: Range<usize>,
    kind: Kind,
    glyph: Glyph,
    role: Role,
    res: Res,
    partner: Option<usize>,
    /// Whether the mark follows the end of a sentence (`. "`).
    sentence_start: bool,
    /// Whether the mark is in a protected span.
    frozen: bool,
}

/// Calls `each` with the marks of each of the paragraphs `paras` of
/// `text` (found and classified; a paragraph with low-9 quotes is left
/// out) and where its text starts. One paragraph's marks are held at a
/// time: pairing never crosses a paragraph, so the marks of a long text are
/// never all kept.
fn for_each_block(
    text: &str,
    paras: impl IntoIterator<Item = Range<usize>>,
    code: &[Range<usize>],
    cx: &Context<'_>,
    mut each: impl FnMut(&mut Vec<Mark>, usize) -> bool,
) {
    let mut paras = paras.into_iter().peekable();
    let Some(first) = paras.peek() else {
        return;
    };
    let mut code_k = code.partition_point(|c| c.end <= first.start);
    let mut marks = Vec::new();
    for para in paras {
        marks.clear();
        let lead = para.start + (text[para.clone()].len() - text[para.clone()].trim_start().len());
        if collect(text, para, code, &mut code_k, cx, &mut marks) && !each(&mut marks, lead) {
            return;
        }
    }
}

/// The marks of `paras` written curly and straight, primes and repairs
/// aside: the document's dominant style is curly if the first count is
/// not the smaller.
fn count_marks(
    text: &str,
    paras: &[Range<usize>],
    code: &[Range<usize>],
    cx: &Context<'_>,
) -> (usize, usize) {
    let (mut curly, mut straight) = (0, 0);
    for_each_block(text, paras.iter().cloned(), code, cx, |marks, _| {
        for m in marks.iter() {
            if matches!(m.role, Role::Prime | Role::PrimeOrClose) {
                continue;
            }
            curly += usize::from(m.glyph.is_curly());
            straight += usize::from(m.glyph == Glyph::Straight);
        }
        true
    });
    (curly, straight)
}

/// Reads a paragraph's marks as the chosen style will leave them:
/// straightening loses a curly mark's direction, so it is read as the
/// straight mark it becomes (the next run must read the text the same
/// way). Returns which kinds the paragraph opens with.
fn settle_roles(text: &str, marks: &mut [Mark], lead: usize, curly: bool) -> [bool; 2] {
    if !curly {
        for m in marks.iter_mut().filter(|m| m.glyph.is_curly()) {
            m.role = classify(text, &m.range, m.kind, Glyph::Straight).unwrap_or(m.role);
        }
    }
    let mut opens = [false; 2];
    if let Some(m) = marks.first() {
        if m.range.start == lead && matches!(m.role, Role::Open(_) | Role::Either) {
            opens[m.kind as usize] = true;
        }
    }
    opens
}

/// Which kinds the first paragraph of `paras` that has marks opens with.
fn first_opens(
    text: &str,
    paras: impl IntoIterator<Item = Range<usize>>,
    code: &[Range<usize>],
    curly: bool,
    cx: &Context<'_>,
) -> [bool; 2] {
    let mut opens = [false; 2];
    for_each_block(text, paras, code, cx, |marks, lead| {
        opens = settle_roles(text, marks, lead, curly);
        false
    });
    opens
}

/// Pairs the marks of each of `paras` and writes the edits that bring
/// them to the chosen style. A paragraph is paired once the next one is
/// read (a quotation may run on into it); `next` is how the paragraph
/// after the last opens.
#[allow(clippy::too_many_arguments)]
fn write_blocks(
    text: &str,
    paras: &[Range<usize>],
    code: &[Range<usize>],
    primes: Primes,
    curly: bool,
    next: [bool; 2],
    cx: &Context<'_>,
    out: &mut Vec<Edit>,
) {
    let mut stacks = [Vec::new(), Vec::new()];
    let mut held: Option<Vec<Mark>> = None;
    let mut finish = |mut block: Vec<Mark>, next: [bool; 2], out: &mut Vec<Edit>| {
        pair(&mut block, 0, next, &mut stacks);
        emit(&block, text, curly, primes, cx, out);
    };
    for_each_block(text, paras.iter().cloned(), code, cx, |marks, lead| {
        let opens = settle_roles(text, marks, lead, curly);
        if let Some(block) = held.take() {
            finish(block, opens, out);
        }
        held = Some(std::mem::take(marks));
        true
    });
    if let Some(block) = held {
        finish(block, next, out);
    }
}

/// Writes the edits that bring a paragraph's paired marks to the
/// chosen style.
fn emit(
    marks: &[Mark],
    text: &str,
    curly: bool,
    primes: Primes,
    cx: &Context<'_>,
    out: &mut Vec<Edit>,
) {
    for m in marks.iter().filter(|m| !m.frozen) {
        let partner = m.partner.map(|p| &marks[p]);
        let single = m.kind == Kind::Single;
        let (want, rule, level): (&str, &Rule, Level) = match m.res {
            Res::Ignore => continue,
            Res::Prime(sure) => {
                if primes == Primes::Keep {
                    continue;
                }
                let want = match (single, primes) {
                    (true, _) => "\u{2032}",
                    (false, Primes::PrimeCompatible) => "\u{2032}\u{2032}",
                    (false, _) => "\u{2033}",
                };
                let level = if sure { Level::Fix } else { Level::Suggest };
                (want, &R_PRIME, level)
            }
            Res::Apostrophe => {
                let want = if curly { "\u{2019}" } else { "'" };
                (want, &R_APOSTROPHE, Level::Fix)
            }
            Res::Unmatched => {
                if cx.enabled(UNBALANCED_QUOTE) {
                    out.push(Edit::new(
                        &R_UNBALANCED.id,
                        Level::Flag,
                        text,
                        m.range.clone(),
                        None,
                        &R_UNBALANCED.why,
                    ));
                }
                // Left as it is: a mark with no partner is not
                // guessed at, in either style.
                continue;
            }
            Res::Open | Res::Close => {
                let open = m.res == Res::Open;
                let want = match (curly, single, open) {
                    (true, false, true) => "\u{201c}",
                    (true, false, false) => "\u{201d}",
                    (true, true, true) => "\u{2018}",
                    (true, true, false) => "\u{2019}",
                    (false, false, _) => "\"",
                    (false, true, _) => "'",
                };
                let rule = if m.glyph == Glyph::Backtick
                    || partner.is_some_and(|p| p.glyph == Glyph::Backtick)
                {
                    &R_BACKTICK
                } else if m.glyph == Glyph::Doubled {
                    &R_DOUBLED
                } else if (m.glyph == Glyph::Left && !open) || (m.glyph == Glyph::Right && open) {
                    &R_WRONG_DIRECTION
                } else if partner.is_some_and(|p| family(p.glyph) != family(m.glyph)) {
                    &R_MISMATCHED
                } else {
                    &R_STYLE
                };
                (want, rule, Level::Fix)
            }
        };
        if &text[m.range.clone()] == want || !cx.enabled(&rule.id) {
            continue;
        }
        out.push(Edit::new(
            &rule.id,
            level,
            text,
            m.range.clone(),
            Some(want.to_string()),
            &rule.why,
        ));
    }
}

/// Groups glyphs into straight, curly and the rest, to spot mixed pairs.
fn family(g: Glyph) -> u8 {
    match g {
        Glyph::Straight => 0,
        Glyph::Left | Glyph::Right => 1,
        Glyph::Backtick | Glyph::Doubled | Glyph::Acute => 2,
    }
}

/// Where the next byte that can start a quote mark is (`"`, `'`, `` ` ``,
/// or the lead byte of `´` and of the curly quotes), found with `memchr`
/// and remembered, so a paragraph is scanned about once however many
/// marks it has.
struct QuoteBytes<'t> {
    bytes: &'t [u8],
    end: usize,
    ascii: Option<usize>,
    lead: Option<usize>,
}

impl<'t> QuoteBytes<'t> {
    fn new(bytes: &'t [u8], within: Range<usize>) -> Self {
        let hay = &bytes[within.clone()];
        QuoteBytes {
            bytes,
            end: within.end,
            ascii: memchr::memchr3(b'"', b'\'', b'`', hay).map(|k| within.start + k),
            lead: memchr::memchr2(0xC2, 0xE2, hay).map(|k| within.start + k),
        }
    }

    /// The first candidate at or after `i`.
    fn from(&mut self, i: usize) -> Option<usize> {
        let hay = &self.bytes[i.min(self.end)..self.end];
        if self.ascii.is_some_and(|k| k < i) {
            self.ascii = memchr::memchr3(b'"', b'\'', b'`', hay).map(|k| i + k);
        }
        if self.lead.is_some_and(|k| k < i) {
            self.lead = memchr::memchr2(0xC2, 0xE2, hay).map(|k| i + k);
        }
        match (self.ascii, self.lead) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Appends the marks of paragraph `para`; returns false if the paragraph
/// uses low-9 quotes and must be left alone.
fn collect(
    text: &str,
    para: Range<usize>,
    code: &[Range<usize>],
    code_k: &mut usize,
    cx: &Context<'_>,
    out: &mut Vec<Mark>,
) -> bool {
    if !cx.profile_at(para.start).english_quotes() {
        // Another language's quotations: not counted, not rewritten.
        return false;
    }
    let bytes = text.as_bytes();
    let mut next = QuoteBytes::new(bytes, para.clone());
    let mut i = para.start;
    while let Some(at) = next.from(i) {
        i = at;
        let c = text[i..].chars().next().expect("at a char boundary");
        let (kind, glyph, len) = match c {
            '"' => (Kind::Double, Glyph::Straight, 1),
            '`' => {
                let run = bytes[i..para.end]
                    .iter()
                    .take_while(|&&x| x == b'`')
                    .count();
                // A backtick touching another quote mark would, once
                // converted, merge with it (`‘‘` reads as a double quote)
                // or change what it touches: leave such tangles alone.
                let touches = text[..i].chars().next_back().is_some_and(is_quote_char)
                    || text[i + run..].chars().next().is_some_and(is_quote_char);
                match run {
                    1 if !touches => (Kind::Single, Glyph::Backtick, 1),
                    2 if !touches => (Kind::Double, Glyph::Backtick, 2),
                    _ => {
                        i += run;
                        continue;
                    }
                }
            }
            '\'' | '\u{2018}' | '\u{2019}' => {
                // Two single marks in a row stand for a double quote
                // (`''`, `‘‘`); longer runs mean nothing sure.
                let mut run = 0;
                let mut end = i;
                for ch in text[i..para.end].chars() {
                    if !matches!(ch, '\'' | '\u{2018}' | '\u{2019}') || run == 3 {
                        break;
                    }
                    run += 1;
                    end += ch.len_utf8();
                }
                match (run, c) {
                    (1, '\'') => (Kind::Single, Glyph::Straight, 1),
                    (1, '\u{2018}') => (Kind::Single, Glyph::Left, 3),
                    (1, _) => (Kind::Single, Glyph::Right, 3),
                    (2, _) => (Kind::Double, Glyph::Doubled, end - i),
                    _ => {
                        // Skip the whole run of single marks.
                        i = end;
                        while let Some(ch) = text[i..para.end]
                            .chars()
                            .next()
                            .filter(|ch| matches!(ch, '\'' | '\u{2018}' | '\u{2019}'))
                        {
                            i += ch.len_utf8();
                        }
                        continue;
                    }
                }
            }
            '\u{201c}' => (Kind::Double, Glyph::Left, 3),
            '\u{201d}' => (Kind::Double, Glyph::Right, 3),
            '\u{b4}' => (Kind::Single, Glyph::Acute, 2),
            '\u{201e}' | '\u{201a}' => return false,
            _ => {
                i += c.len_utf8();
                continue;
            }
        };
        let range = i..i + len;
        i += len;
        if i - len > 0 && bytes[i - len - 1] == b'\\' {
            continue;
        }
        while *code_k < code.len() && code[*code_k].end <= range.start {
            *code_k += 1;
        }
        if code.get(*code_k).is_some_and(|s| s.start < range.end) {
            continue;
        }
        // A mark in a protected span still counts for pairing (a link
        // may swallow a curly closing quote after it), but is never
        // edited or reported.
        let frozen = cx.protected.overlaps(&range);
        if let Some(role) = classify(text, &range, kind, glyph) {
            let sentence_start = after_sentence(&text[para.start..range.start]);
            out.push(Mark {
                range,
                kind,
                glyph,
                role,
                res: Res::Ignore,
                partner: None,
                sentence_start,
                frozen,
            });
        }
    }
    true
}

/// Pairs the marks of one paragraph (`base` is the index of its first mark
/// in the document); `next_opens` says whether the next paragraph opens
/// with a quote of each kind.
fn pair(marks: &mut [Mark], base: usize, next_opens: [bool; 2], stacks: &mut [Vec<usize>; 2]) {
    stacks[0].clear();
    stacks[1].clear();
    for i in 0..marks.len() {
        let k = marks[i].kind as usize;
        let open = !stacks[k].is_empty();
        let role = match marks[i].role {
            Role::Either if open => Role::Close,
            Role::Either => Role::Open(Fallback::Unbalanced),
            Role::PrimeOrClose if open => Role::Close,
            Role::PrimeOrClose => {
                marks[i].res = Res::Prime(false);
                continue;
            }
            Role::CloseOrApostrophe if open => Role::Close,
            Role::CloseOrApostrophe => {
                marks[i].res = Res::Apostrophe;
                continue;
            }
            r => r,
        };
        marks[i].role = role;
        match role {
            Role::Open(_) => {
                // A quotation that runs over several paragraphs repeats
                // its opener at each paragraph and closes only at the end.
                // Where the paragraph breaks were lost, the repeated opener
                // starts a sentence while the quote is still open: the
                // open quote continues, it is not unbalanced.
                if marks[i].sentence_start {
                    if let Some(t) = stacks[k].pop() {
                        run_on(&mut marks[t]);
                    }
                }
                marks[i].res = Res::Open;
                stacks[k].push(i);
            }
            Role::Close => match stacks[k].pop() {
                Some(t) => {
                    // Openers of the other kind inside this pair never
                    // closed: they cross it.
                    let o = 1 - k;
                    while let Some(&j) = stacks[o].last().filter(|&&j| j > t) {
                        stacks[o].pop();
                        give_up(&mut marks[j]);
                    }
                    marks[t].partner = Some(base + i);
                    marks[i].partner = Some(base + t);
                    marks[i].res = Res::Close;
                }
                // A closing single quote with no opener is an apostrophe
                // (`James'`, `goin'`).
                None if k == Kind::Single as usize => marks[i].res = Res::Apostrophe,
                None => marks[i].res = Res::Unmatched,
            },
            Role::Apostrophe => marks[i].res = Res::Apostrophe,
            Role::Prime => marks[i].res = Res::Prime(true),
            Role::Either | Role::PrimeOrClose | Role::CloseOrApostrophe => {
                unreachable!("resolved above")
            }
        }
    }
    for k in 0..2 {
        // A quotation may run on into the next paragraph when that one
        // opens with a quote: only the last opener left is let go.
        let mut cont = next_opens[k];
        while let Some(j) = stacks[k].pop() {
            let m = &mut marks[j];
            if cont {
                run_on(m);
            } else {
                give_up(m);
            }
            cont = false;
        }
    }
}

/// Resolves an opener whose quotation runs on into the next paragraph:
/// a quote opens there, or an elision was what it looked like.
fn run_on(m: &mut Mark) {
    m.res = match m.role {
        Role::Open(Fallback::Apostrophe) => Res::Apostrophe,
        Role::Open(Fallback::Ignore) => Res::Ignore,
        _ => Res::Open,
    };
}

/// Resolves an opener that found no closer.
fn give_up(m: &mut Mark) {
    m.res = match m.role {
        Role::Open(Fallback::Apostrophe) => Res::Apostrophe,
        Role::Open(Fallback::Ignore) => Res::Ignore,
        _ => Res::Unmatched,
    };
}

/// Where a mark stands between its neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pos {
    /// Space on both sides.
    Neither,
    /// Starts something: `"Hello`, `("Hello`.
    Open,
    /// Ends something: `Hello"`, `Hello".`.
    Close,
    /// Between two alphanumerics: `don't`.
    Inner,
    /// Could be either: `said."The`.
    Either,
}

fn position(p: Option<char>, n: Option<char>, gaps: (bool, bool)) -> Pos {
    let (ps, ns) = gaps;
    match (p, n) {
        _ if ps && ns => Pos::Neither,
        _ if ps => Pos::Open,
        _ if ns => Pos::Close,
        (Some(p), Some(n)) => match (p.is_alphanumeric(), n.is_alphanumeric()) {
            (true, true) => Pos::Inner,
            (false, true) if opens_before(p) => Pos::Open,
            (true, false) if closes_after(n) => Pos::Close,
            (false, false) => match (opens_before(p), closes_after(n)) {
                (true, false) => Pos::Open,
                (false, true) => Pos::Close,
                _ => Pos::Either,
            },
            _ => Pos::Either,
        },
        _ => Pos::Either,
    }
}

/// Returns true if a character before a mark lets it open a quote.
fn opens_before(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '<' | '-' | '\u{2013}' | '\u{2014}' | '/' | '¿' | '¡' | '*' | '_'
    ) || is_quote_char(c)
}

/// Returns true if a character after a mark lets it close a quote.
fn closes_after(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '>'
            | '%'
            | '+'
            | '\u{2026}'
            | '-'
            | '\u{2013}'
            | '\u{2014}'
            | '/'
            | '*'
            | '_'
    ) || is_quote_char(c)
}

fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201c}'
            | '\u{201d}'
            | '`'
            | '\u{b4}'
            | '\u{2032}'
            | '\u{2033}'
    )
}

/// Returns true if `rest` starts with a double quote mark of any shape
/// (`21""`: inches, then the closing quote).
fn starts_with_double(rest: &str) -> bool {
    let mut chars = rest.chars();
    match chars.next() {
        Some('"' | '\u{201c}' | '\u{201d}') => true,
        Some('\'' | '\u{2018}' | '\u{2019}') => {
            matches!(chars.next(), Some('\'' | '\u{2018}' | '\u{2019}'))
        }
        _ => false,
    }
}

/// Returns true if what ends `before` separates words around a quote:
/// a space, a dash, or a typewriter dash (`--`), because whether the dashes
/// pass writes `word -- "quote`, `word — "quote` or `word—"quote` must not
/// change what the quote is. A single hyphen (`'BBB-'`) is punctuation.
fn gap_before(before: &str) -> bool {
    let mut back = before.chars().rev();
    match back.next() {
        Some('-') => back.next() == Some('-'),
        c => is_space(c) || matches!(c, Some('\u{2013}' | '\u{2014}')),
    }
}

/// Returns true if what starts `after` separates words; see [`gap_before`].
fn gap_after(after: &str) -> bool {
    let mut ahead = after.chars();
    match ahead.next() {
        Some('-') => ahead.next() == Some('-'),
        c => is_space(c) || matches!(c, Some('\u{2013}' | '\u{2014}')),
    }
}

fn is_single_char(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '`')
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || c == '\u{feff}')
}

/// Letters of scripts that write apostrophes inside words (Latin, Greek,
/// Cyrillic, Armenian). A mark between two Korean letters, say, is a
/// closing quote before a particle, not an apostrophe.
fn is_apostrophe_letter(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphabetic() && c < '\u{0590}')
}

fn is_digit(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit())
}

/// Words that open with an apostrophe standing for dropped letters, and
/// clitics split from their word by tokenisers (`Boeing 's`, `is n't`).
const ELISIONS: &[&str] = &[
    "bot", "bout", "cause", "cos", "d", "em", "ll", "m", "nuff", "re", "s", "t", "til", "tis",
    "twas", "twere", "twill", "twould", "ve",
];

/// Decides what the mark at `range` is, or `None` if it is no mark at all.
fn classify(text: &str, range: &Range<usize>, kind: Kind, glyph: Glyph) -> Option<Role> {
    let p = text[..range.start].chars().next_back();
    let rest = &text[range.end..];
    let n = rest.chars().next();
    let gaps = (gap_before(&text[..range.start]), gap_after(rest));
    let pos = position(p, n, gaps);
    if glyph == Glyph::Backtick {
        if pos != Pos::Open {
            return None;
        }
        if kind == Kind::Single && possessive_s(gaps.0, rest) {
            return Some(Role::Apostrophe);
        }
        return Some(match (kind, leading_single(rest, glyph)) {
            (Kind::Single, Role::Apostrophe) => Role::Apostrophe,
            _ => Role::Open(Fallback::Ignore),
        });
    }
    if glyph == Glyph::Acute {
        return (is_apostrophe_letter(p) && is_apostrophe_letter(n)).then_some(Role::Apostrophe);
    }
    // By glyph, for curly marks whose place says nothing.
    let by_glyph = match glyph {
        Glyph::Left => Role::Open(Fallback::Unbalanced),
        Glyph::Right => Role::Close,
        _ => Role::Either,
    };
    match kind {
        Kind::Single => {
            if possessive_s(gaps.0, rest) {
                return Some(Role::Apostrophe);
            }
            if is_digit(p) {
                if is_digit(n) {
                    return Some(Role::Prime);
                }
                if is_space(n) || n.is_some_and(closes_after) {
                    return Some(Role::PrimeOrClose);
                }
            }
            match pos {
                Pos::Neither => None,
                Pos::Inner if is_apostrophe_letter(p) && is_apostrophe_letter(n) => {
                    Some(Role::Apostrophe)
                }
                Pos::Open => Some(leading_single(rest, glyph)),
                Pos::Close if closes_n_elision(text, range.start) => Some(Role::Apostrophe),
                Pos::Close => Some(Role::Close),
                Pos::Inner | Pos::Either => Some(by_glyph),
            }
        }
        Kind::Double => {
            if is_digit(p) && (is_space(n) || n.is_some_and(closes_after)) {
                if starts_with_double(rest) || feet_before(&text[..range.start]) {
                    return Some(Role::Prime);
                }
                return Some(Role::PrimeOrClose);
            }
            if glyph == Glyph::Straight
                && possessive_s(gaps.0, rest)
                && capitalised_before(&text[..range.start])
            {
                return Some(Role::CloseOrApostrophe);
            }
            match pos {
                Pos::Neither if glyph == Glyph::Doubled => None,
                Pos::Inner if glyph == Glyph::Doubled => None,
                Pos::Open => Some(Role::Open(Fallback::Unbalanced)),
                Pos::Close => Some(Role::Close),
                Pos::Neither | Pos::Inner | Pos::Either => Some(by_glyph),
            }
        }
    }
}

/// Returns true if `before` ends with a capitalised word (`Kuwait`).
fn capitalised_before(before: &str) -> bool {
    let word: Vec<char> = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect();
    word.len() >= 2 && word.last().is_some_and(|c| c.is_uppercase())
}

/// Returns true for the apostrophe of `1960's` or `U.K.'s`: a single mark
/// after a word, before a lone `s`.
fn possessive_s(gap: bool, rest: &str) -> bool {
    let mut after = rest.chars();
    !gap && after.next() == Some('s') && !after.next().is_some_and(char::is_alphanumeric)
}

/// Classifies a single mark that stands where a quote would open: an
/// elision (`'90s`, `'tis`, `'n'`) or an opening quote.
fn leading_single(rest: &str, glyph: Glyph) -> Role {
    let mut chars = rest.chars();
    let first = chars.next();
    // rock 'n' roll
    if matches!(first, Some('n' | 'N')) {
        // The closing mark must stand alone: `'n''` holds a doubled mark.
        let single = |c: Option<char>| matches!(c, Some('\'' | '\u{2018}' | '\u{2019}'));
        let mut look = chars.clone();
        let (c1, c2) = (look.next(), look.next());
        if single(c1) && !single(c2) && !c2.is_some_and(char::is_alphanumeric) {
            return Role::Apostrophe;
        }
    }
    let digits = rest.bytes().take(3).take_while(u8::is_ascii_digit).count();
    if digits == 2 {
        let mut after = rest[2..].chars();
        let a = after.next();
        if a == Some('s') {
            // '90s, but 'the 15s' is a quote that may close.
            return match after.next() {
                Some(c) if c.is_alphanumeric() => Role::Open(Fallback::Unbalanced),
                Some(c) if is_quote_char(c) => Role::Open(Fallback::Apostrophe),
                _ => Role::Apostrophe,
            };
        }
        if !a.is_some_and(char::is_alphanumeric) {
            return Role::Open(Fallback::Apostrophe); // class of '89
        }
    }
    let word_len = rest
        .bytes()
        .take(7)
        .take_while(u8::is_ascii_alphabetic)
        .count();
    if (1..=6).contains(&word_len)
        && !rest[word_len..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || is_quote_char(c))
        && ELISIONS
            .iter()
            .any(|e| e.eq_ignore_ascii_case(&rest[..word_len]))
    {
        return Role::Apostrophe;
    }
    if glyph == Glyph::Right {
        Role::Open(Fallback::Apostrophe)
    } else {
        Role::Open(Fallback::Unbalanced)
    }
}

/// Returns true if the mark at `at` ends the `'n'` of rock 'n' roll.
fn closes_n_elision(text: &str, at: usize) -> bool {
    let mut back = text[..at].char_indices().rev();
    matches!(back.next(), Some((_, 'n' | 'N')))
        && back
            .next()
            .is_some_and(|(i, c)| is_single_char(c) && gap_before(&text[..i]))
}

/// Returns true if `before` ends with the end of a sentence and a space.
fn after_sentence(before: &str) -> bool {
    let t = before.trim_end_matches([' ', '\u{a0}']);
    t.len() < before.len() && t.ends_with(['.', '!', '?', '\u{2026}'])
}

/// Returns true if `before` ends with feet before inches: `5'10`, `6′2`.
fn feet_before(before: &str) -> bool {
    let digits = before
        .bytes()
        .rev()
        .take(3)
        .take_while(u8::is_ascii_digit)
        .count();
    if digits == 0 || digits > 2 {
        return false;
    }
    let mut back = before[..before.len() - digits].chars().rev();
    back.next()
        .is_some_and(|c| is_single_char(c) || c == '\u{2032}')
        && is_digit(back.next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spans::Spans;
    use std::collections::HashSet;

    fn run(style: Style, primes: Primes, text: &str) -> (String, Vec<Edit>) {
        run_protected(style, primes, text, crate::protect::protected_spans(text))
    }

    fn run_protected(
        style: Style,
        primes: Primes,
        text: &str,
        protected: Spans,
    ) -> (String, Vec<Edit>) {
        let disabled = HashSet::new();
        let cx = Context::whole(&protected, &disabled);
        let mut edits = Vec::new();
        Quotes { style, primes }.run(text, &cx, &mut edits);
        edits.sort_by_key(|e| e.range.start);
        let mut out = String::new();
        let mut pos = 0;
        for e in &edits {
            if e.level != Level::Fix || e.after.is_none() {
                continue;
            }
            out.push_str(&text[pos..e.range.start]);
            out.push_str(e.after.as_deref().unwrap());
            pos = e.range.end;
        }
        out.push_str(&text[pos..]);
        (out, edits)
    }

    fn curly(text: &str) -> String {
        run(Style::Curly, Primes::Keep, text).0
    }

    fn straight(text: &str) -> String {
        run(Style::Straight, Primes::Keep, text).0
    }

    fn dominant(text: &str) -> String {
        run(Style::Dominant, Primes::Keep, text).0
    }

    fn rules(style: Style, text: &str) -> Vec<(String, String)> {
        run(style, Primes::Keep, text)
            .1
            .into_iter()
            .map(|e| (e.rule.to_string(), e.before.to_string()))
            .collect()
    }

    macro_rules! table {
        ($f:ident, $( $name:ident: $input:expr => $want:expr; )*) => {
            $( #[test] fn $name() { assert_eq!($f($input), $want, "input: {:?}", $input); } )*
        };
    }

    /// Reading a text's paragraphs in runs finds what reading them in
    /// one finds, in every style: the cases above as paragraphs (some
    /// quotations running on into the next, code spans, low-9 paragraphs
    /// that are left out), and news.
    #[test]
    fn runs_find_what_one_read_finds() {
        let parts = [
            "\"First paragraph.",
            "\"Second,\" he said.",
            "„Hallo“ und \"x\"",
            "Run `a \"b\"` now 'ok'",
            "“text\" and ‘more’",
            "He said \"no and left.",
            "don't, the '90s, 5'10\"",
            "‘‘Hello’’ and ’’ it’s",
        ];
        let mut doc = String::new();
        for k in 0..400 {
            doc.push_str(parts[k % parts.len()]);
            doc.push_str(if k % 3 == 0 { "\n\n\n" } else { "\n\n" });
        }
        let mut texts: Vec<String> = crate::rules::test_texts::news(10).into_iter().collect();
        texts.push(doc.replace("“", "\"").replace("’", "'"));
        texts.push(doc);
        let disabled = HashSet::new();
        for text in &texts {
            let protected = crate::protect::protected_spans(text);
            let cx = Context::whole(&protected, &disabled);
            for style in [Style::Curly, Style::Straight, Style::Dominant] {
                let pass = Quotes {
                    style,
                    primes: Primes::Keep,
                };
                let found = |min: usize| {
                    let mut edits = Vec::new();
                    pass.find(text, &cx, &mut edits, min);
                    edits
                };
                let whole = found(usize::MAX);
                for min in [1, 200] {
                    assert_eq!(found(min), whole, "{style:?}, runs of {min}");
                }
            }
        }
    }

    table! { curly,
        c01_pairs: r#"He said "no" and 'yes'."# => "He said “no” and ‘yes’.";
        c00_wire_possessive: r#"Kuwait"s oil, and "Iraq"s" here"# => "Kuwait’s oil, and “Iraq”s\" here";
        c02_contractions: "don't, Ja'afari, o'clock" => "don’t, Ja’afari, o’clock";
        c03_decades: "the '90s and '60s" => "the ’90s and ’60s";
        c04_rock_n_roll: "rock 'n' roll" => "rock ’n’ roll";
        c05_possessive: "James' book and the users' stuff" => "James’ book and the users’ stuff";
        c06_nested: r#""He said 'no' to me," she said."# => "“He said ‘no’ to me,” she said.";
        c07_tex_double: "``Hello,'' he said." => "“Hello,” he said.";
        c08_tex_single: "picking up on `burden to Britain' will" => "picking up on ‘burden to Britain’ will";
        c09_doubled: "said. ''Even to this day, we wait.''" => "said. “Even to this day, we wait.”";
        c10_mismatched: "“text\" and more" => "“text” and more";
        c11_wrong_direction: "”text“ and more" => "“text” and more";
        c12_primes_kept: "He is 5'10\" and 6′ tall" => "He is 5'10\" and 6′ tall";
        c13_inches_close: r#""The score was 10" he said"# => "“The score was 10” he said";
        c14_glued: r#""Hello."Then "bye.""# => "“Hello.”Then “bye.”";
        c15_tis: "'tis the season to be 'jolly'" => "’tis the season to be ‘jolly’";
        c16_apostrophes_in_quote: "'We'll use Jane's boat,' Jenna said." => "‘We’ll use Jane’s boat,’ Jenna said.";
        c17_unbalanced_left: "He said \"no and left." => "He said \"no and left.";
        c18_continued: "\"First paragraph.\n\n\"Second,\" he said." => "“First paragraph.\n\n“Second,” he said.";
        c19_code_span: "Run `a \"b\"` now \"ok\"" => "Run `a \"b\"` now “ok”";
        c20_escaped: "\\\"not\\\" \"yes\"" => "\\\"not\\\" “yes”";
        c21_acute: "don´t" => "don’t";
        c22_wrong_decade: "the ‘90s" => "the ’90s";
        c23_parens: r#"("hai")."# => "(“hai”).";
        c24_dash_open: "The dog—\"'man's' best friend\"" => "The dog—“‘man’s’ best friend”";
        c25_korean: "‘사랑’하는 일" => "‘사랑’하는 일";
        c26_low9: "„Hallo“ und \"x\"" => "„Hallo“ und \"x\"";
        c27_year: "the class of '89 met" => "the class of ’89 met";
        c28_seventies: "Were you alive in the 70's?" => "Were you alive in the 70’s?";
        c29_lost_paragraph_break: "He said: \"We lost. \"I know,\" he said." => "He said: “We lost. “I know,” he said.";
        c32_quoted_decade: "for the England '15s' soon" => "for the England ‘15s’ soon";
        c33_hyphen_before_close: "starts at 'BBB-'. The" => "starts at ‘BBB-’. The";
        c34_typewriter_dash: "said--\"No\"--and left" => "said--“No”--and left";
        c31_clitics: "Boeing 's jets, is n't it, the U.K.'s 'bot nets" => "Boeing ’s jets, is n’t it, the U.K.’s ’bot nets";
        c30_crlf: "\"a\"\r\n\r\n'b'" => "“a”\r\n\r\n‘b’";
    }

    table! { straight,
        s00_wire_possessive: r#"Kuwait"s oil minister"# => "Kuwait's oil minister";
        s01_curly: "“Hello,” he said. It’s ‘fine’." => "\"Hello,\" he said. It's 'fine'.";
        s02_tex: "``Hello,'' he said." => "\"Hello,\" he said.";
        s03_doubled: "Mike Ruddock ''poaching'' eight" => "Mike Ruddock \"poaching\" eight";
        s04_backtick: "`Who are we going to target now'" => "'Who are we going to target now'";
        s06_curly_doubled: "‘‘Hello’’ and ’’" => "\"Hello\" and ’’";
        s05_unmatched_curly: "He said “no and left." => "He said “no and left.";
    }

    table! { dominant,
        d01_straight_wins: "\"a\" \"b\" it’s" => "\"a\" \"b\" it's";
        d02_curly_wins: "“a” ‘b’ it's" => "“a” ‘b’ it’s";
        d03_tie_curly: "\"a\" “b”" => "“a” “b”";
        d04_nothing: "plain text" => "plain text";
    }

    #[test]
    fn rule_ids_name_the_damage() {
        assert_eq!(
            rules(Style::Curly, "``a'' and “b\" and ”c“ and 'd' and e's"),
            vec![
                ("backtick-quotes".into(), "``".into()),
                ("backtick-quotes".into(), "''".into()),
                ("mismatched-quotes".into(), "\"".into()),
                ("wrong-direction-quote".into(), "”".into()),
                ("wrong-direction-quote".into(), "“".into()),
                ("quote-style".into(), "'".into()),
                ("quote-style".into(), "'".into()),
                ("apostrophe".into(), "'".into()),
            ]
        );
    }

    #[test]
    fn unbalanced_quotes_are_flagged() {
        let (out, edits) = run(
            Style::Curly,
            Primes::Keep,
            "He said \"no and left. 'Unknown",
        );
        assert_eq!(out, "He said \"no and left. 'Unknown");
        let flags: Vec<_> = edits
            .iter()
            .map(|e| (e.rule.as_ref(), e.level, e.before.as_str()))
            .collect();
        assert_eq!(
            flags,
            vec![
                ("unbalanced-quote", Level::Flag, "\""),
                ("unbalanced-quote", Level::Flag, "'")
            ]
        );
    }

    #[test]
    fn continued_quotation_is_not_flagged() {
        let (_, edits) = run(Style::Straight, Primes::Keep, "\"One.\n\n\"Two.\"");
        assert!(edits.is_empty(), "{edits:?}");
    }

    #[test]
    fn primes_on_request() {
        let t = "He is 5'10\" and the board is 21\" wide; \"at 6\" he said";
        let (out, edits) = run(Style::Curly, Primes::Prime, t);
        assert_eq!(
            out,
            "He is 5′10″ and the board is 21\" wide; “at 6” he said"
        );
        assert!(edits
            .iter()
            .any(|e| e.rule.as_ref() == QUOTE_AS_PRIME && e.level == Level::Suggest));
    }

    #[test]
    fn protected_marks_are_untouched() {
        let t = "see 'a' and \"b\"";
        let (out, _) = run_protected(
            Style::Curly,
            Primes::Keep,
            t,
            Spans::new(vec![4..7, 100..101]),
        );
        assert_eq!(out, "see 'a' and “b”");
    }

    #[test]
    fn nothing_found_nothing_done() {
        let (out, edits) = run(Style::Curly, Primes::Keep, "No quotes here - at all.");
        assert!(edits.is_empty());
        assert_eq!(out, "No quotes here - at all.");
    }
}
