//! The spacing pass: spaces that are doubled, dangling, misplaced or
//! missing, and blank lines that pile up.
//!
//! Scrapers join text nodes with extra spaces, drop characters such as an
//! `&amp;` and leave the spaces around them, glue the last sentence of one
//! node to the first of the next (`done.The`), and leave a run of blank lines
//! where an advert or a widget was. Each kind of damage has its own rule id,
//! so any of them can be switched off.
//!
//! Every repair is local and conservative, because a wrong edit is worse
//! than a missed one: numbers (`3.5`, `10:30`, `1,000`), abbreviations and
//! initials (`U.S.`, `e.g.`, `J.K.`), domain and file names, emoticons,
//! spaced ellipses, inline code, fenced code blocks, tables and indented
//! (preformatted) lines keep their spacing, and protected spans are never
//! touched. Where the repair is a guess the edit is a suggestion.
//!
//! The pass walks the text once, line by line, and allocates nothing unless
//! it finds something to report.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use crate::blocks::{fence_open, is_fence_close, line_end, paragraphs_around};
use crate::edit::{Edit, Level};
use crate::passes::pieces::find_in_pieces;
use crate::passes::{Context, Pass};
use crate::settings::{Settings, Switch};

/// Words that describe a punctuation mark written about: a lone mark
/// after one (`a trailing , in a list`) is a mention.
const MARK_WORDS: &[&str] = &[
    "trailing", "leading", "stray", "extra", "missing", "final", "lone", "single", "literal",
    "closing", "opening",
];

/// Rule id: a run of spaces inside a line.
pub const DOUBLE_SPACE: &str = "double-space";
/// Rule id: spaces or tabs at the end of a line.
pub const TRAILING_WHITESPACE: &str = "trailing-whitespace";
/// Rule id: a space before `, . ; : ! ?`.
pub const SPACE_BEFORE_PUNCTUATION: &str = "space-before-punctuation";
/// Rule id: no space between a sentence end and the next sentence.
pub const MISSING_SPACE_AFTER_SENTENCE: &str = "missing-space-after-sentence";
/// Rule id: more than one blank line between paragraphs.
pub const EXTRA_BLANK_LINES: &str = "extra-blank-lines";
/// Rule id: blank lines after the last line of text.
pub const TRAILING_BLANK_LINES: &str = "trailing-blank-lines";
/// Rule id: three spaces between two names where an `&` was dropped.
pub const DROPPED_AMPERSAND: &str = "dropped-ampersand";

/// The narrow no-break space French typography puts before `; : ! ?`.
const NARROW_NBSP: &str = "\u{202f}";

/// The kinds of repair, indexing [`RULES`].
#[derive(Clone, Copy)]
enum Kind {
    Double,
    Trailing,
    BeforePunctuation,
    MissingAfterSentence,
    ExtraBlank,
    TrailingBlank,
    Ampersand,
}

/// `(id, why)` of every rule of the pass, in [`Kind`] order.
const RULES: [(&str, &str); 7] = [
    (
        DOUBLE_SPACE,
        "A run of spaces inside a line is left where text was joined or a character was dropped.",
    ),
    (
        TRAILING_WHITESPACE,
        "Whitespace at the end of a line is invisible debris that makes diffs noisy.",
    ),
    (
        SPACE_BEFORE_PUNCTUATION,
        "English puts no space before , . ; : ! or ? (set spacing.french=on to keep French spacing).",
    ),
    (
        MISSING_SPACE_AFTER_SENTENCE,
        "A sentence end glued to the next sentence is left where two text nodes were joined.",
    ),
    (
        EXTRA_BLANK_LINES,
        "One blank line separates paragraphs; more are left where removed content stood.",
    ),
    (
        TRAILING_BLANK_LINES,
        "Blank lines after the last line of text are debris, often where a footer was removed.",
    ),
    (
        DROPPED_AMPERSAND,
        "Three spaces between two names are often `A & B` with the `&` (an `&amp;`) dropped.",
    ),
];

/// The rule ids and reasons as shared strings, built once.
static ARCS: LazyLock<Vec<(Arc<str>, Arc<str>)>> = LazyLock::new(|| {
    RULES
        .iter()
        .map(|(id, why)| (Arc::from(*id), Arc::from(*why)))
        .collect()
});

/// Words that often start a sentence: a capitalised one of these after
/// `word.` makes the missing space a sure repair.
const STARTERS: &[&str] = &[
    "A",
    "After",
    "Also",
    "Although",
    "An",
    "And",
    "As",
    "At",
    "But",
    "By",
    "Despite",
    "During",
    "Every",
    "For",
    "From",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Many",
    "Meanwhile",
    "Most",
    "Mr",
    "Mrs",
    "Ms",
    "My",
    "No",
    "Now",
    "On",
    "One",
    "Our",
    "She",
    "Since",
    "So",
    "Some",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "To",
    "Two",
    "We",
    "What",
    "When",
    "Where",
    "Which",
    "While",
    "Who",
    "Why",
    "With",
    "Yet",
    "You",
    "Your",
];

/// Words that cannot end a clause: a space and a punctuation mark after
/// one (`set to .`) marks a dropped word, not a stray space.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the",
    "to", "was", "were", "with",
];

/// Abbreviations that end in a full stop without ending a sentence; a
/// capital after one (`Mr.Smith`, `Calif.Cisco`) is only a suggestion.
const ABBREVIATIONS: &[&str] = &[
    "Ala", "Apr", "Ariz", "Ark", "Aug", "Ave", "Blvd", "Bros", "Calif", "Capt", "Cmdr", "Co",
    "Col", "Colo", "Conn", "Corp", "Cpl", "Dec", "Del", "Dept", "Dr", "Feb", "Fig", "Fla", "Fr",
    "Fri", "Ft", "Ga", "Gen", "Gov", "Hon", "Ill", "Inc", "Ind", "Jan", "Jr", "Jul", "Jun", "Kan",
    "Kans", "Ky", "La", "Lt", "Ltd", "Maj", "Mar", "Mass", "Md", "Messrs", "Mich", "Minn", "Miss",
    "Mo", "Mon", "Mont", "Mr", "Mrs", "Ms", "Mt", "Neb", "Nev", "No", "Nos", "Nov", "Oct", "Okla",
    "Ore", "Pa", "Pres", "Prof", "Rd", "Rep", "Rev", "Sat", "Sen", "Sep", "Sept", "Sgt", "Sr",
    "St", "Sun", "Tenn", "Tex", "Thu", "Thurs", "Tue", "Tues", "Univ", "Va", "Vol", "Vt", "Wash",
    "Wed", "Wis", "Wyo", "al", "approx", "est", "etc", "vs",
];

/// Quotation marks and brackets that may stand between a sentence end and
/// the next word.
const QUOTES: &[char] = &[
    '"', '\'', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', '(', ')',
];

/// The longest word or token the sentence check looks at; anything longer
/// is not prose, and the bound keeps the pass linear.
const MAX_WORD: usize = 40;
/// See [`MAX_WORD`].
const MAX_TOKEN: usize = 200;

/// Repairs spacing: doubled, trailing and misplaced spaces, missing spaces
/// after a sentence, and runs of blank lines.
#[derive(Clone, Debug, Default)]
pub struct Spacing {
    /// Keep (and normalise to U+202F) the space French puts before
    /// `; : ! ?`.
    pub french: bool,
}

impl Spacing {
    /// Builds the pass from the `spacing.*` options.
    pub fn new(settings: &Settings) -> Spacing {
        Spacing {
            french: settings.spacing_french == Switch::On,
        }
    }
}

impl Pass for Spacing {
    fn name(&self) -> &'static str {
        "spacing"
    }

    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        let on = RULES.map(|(id, _)| cx.enabled(id));
        if !on.iter().any(|&b| b) {
            return;
        }
        self.find(text, cx, out, on, cx.piece);
    }

    fn reach(&self) -> &'static [&'static str] {
        // Only a line holding one of these can open or close a fence.
        &["```", "~~~"]
    }

    fn identity(&self) -> Option<String> {
        Some(format!("spacing french={}", self.french))
    }
}

impl Spacing {
    /// The pass over `text`, walked in pieces of at least `min` bytes on
    /// every core (see [`pieces`]).
    fn find(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>, on: [bool; 7], min: usize) {
        let ranges = match cx.within {
            None => pieces(text, min, &cx.fences(text)),
            Some(changed) => around(text, &paragraphs_around(text, changed), &cx.fences(text)),
        };
        find_in_pieces(&ranges, min, out, |piece, out| {
            let mut scan = Scan {
                text,
                bytes: text.as_bytes(),
                cx,
                out,
                on,
                french: self.french,
            };
            scan.walk(piece);
        });
    }
}

/// Splits `text` into pieces of at least `min` bytes (the last may be
/// shorter) that the walk can take one at a time: each after the first
/// starts with a line of text after an empty line, outside fenced code
/// (`\n\nB`). The walk that reaches such a line holds nothing from before
/// it but the blank run, which ends there (no fence, no table row), so
/// walking the pieces on their own, the blank run closed at the end of its
/// piece, finds what one walk finds.
fn pieces(text: &str, min: usize, fences: &[Range<usize>]) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    if text.len() <= min {
        pieces.push(0..text.len());
        return pieces;
    }
    let mut fences = fences.iter().peekable();
    let mut start = 0;
    let mut from = min;
    while from < bytes.len() {
        let Some(off) = memchr::memmem::find(&bytes[from..], b"\n\n") else {
            break;
        };
        let p = from + off + 2;
        from = from + off + 1;
        if !bytes.get(p).is_some_and(u8::is_ascii_graphic) {
            continue;
        }
        while fences.next_if(|f| f.end <= p).is_some() {}
        if let Some(f) = fences.peek() {
            if f.start < p {
                from = f.end;
                continue;
            }
        }
        pieces.push(start..p);
        start = p;
        from = p + min;
    }
    pieces.push(start..text.len());
    pieces
}

/// The ranges a later run walks for the changed paragraphs `windows`:
/// each widened to the places around it where [`pieces`] may cut, merged.
/// The fences are those of the text now; an edit that could have moved
/// one makes the run walk the whole text instead ([`Pass::reach`]).
fn around(text: &str, windows: &[Range<usize>], fences: &[Range<usize>]) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let cut = |p: usize| {
        p >= 2
            && &bytes[p - 2..p] == b"\n\n"
            && bytes.get(p).is_some_and(u8::is_ascii_graphic)
            && fences
                .get(fences.partition_point(|f| f.end <= p))
                .is_none_or(|f| f.start >= p)
    };
    // The last cut at or before `p`, looked for no further back than
    // `lo`: one before `lo + 2` would merge with the range before anyway,
    // as the 0 returned then does.
    let cut_before = |p: usize, lo: usize| {
        let mut hi = p;
        while let Some(i) = memchr::memmem::rfind(&bytes[lo..hi], b"\n\n") {
            let i = lo + i;
            if cut(i + 2) {
                return i + 2;
            }
            hi = i + 1;
        }
        0
    };
    let cut_after = |p: usize| {
        let mut lo = p.saturating_sub(2);
        while let Some(off) = memchr::memmem::find(&bytes[lo..], b"\n\n") {
            let q = lo + off + 2;
            if q >= p && cut(q) {
                return q;
            }
            lo += off + 1;
        }
        bytes.len()
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    for w in windows {
        if out.last().is_some_and(|last| w.end <= last.end) {
            continue;
        }
        let lo = out.last().map_or(0, |last| last.end.saturating_sub(2));
        let start = if w.start < lo {
            0
        } else {
            cut_before(w.start, lo)
        };
        let end = cut_after(w.end);
        match out.last_mut() {
            Some(last) if start < last.end => last.end = end,
            _ => out.push(start..end),
        }
    }
    out
}

/// A run of blank lines waiting for the line after it.
struct BlankRun {
    /// Start of the first blank line.
    start: usize,
    /// Start of the second blank line, if there is one.
    second: Option<usize>,
}

/// The column gaps of one line, to tell a table row from prose.
#[derive(Clone, Copy, Debug, Default)]
struct Gaps {
    /// How many gaps.
    count: usize,
    /// Where the first gaps end (the next cell starts), from line start.
    ends: [usize; 4],
    /// The longest text between gaps, in bytes.
    longest_cell: usize,
}

impl Gaps {
    /// Returns true if a cell of one line starts where one of the other
    /// starts: the two lines are aligned columns.
    fn aligned(&self, other: &Gaps) -> bool {
        let a = &self.ends[..self.count.min(4)];
        let b = &other.ends[..other.count.min(4)];
        a.iter().any(|x| b.contains(x))
    }

    /// Returns true for a table row: two or more gaps between short cells,
    /// or a gap aligned with one on a neighbouring line.
    fn is_row(&self, prev: &Gaps, next: &Gaps) -> bool {
        (self.count >= 2 && self.longest_cell <= MAX_CELL)
            || self.aligned(prev)
            || self.aligned(next)
    }
}

/// The longest cell of a table row (see [`Gaps::is_row`]).
const MAX_CELL: usize = 32;

/// One walk over one text.
struct Scan<'t, 'c, 'o> {
    text: &'t str,
    bytes: &'t [u8],
    cx: &'c Context<'c>,
    out: &'o mut Vec<Edit>,
    on: [bool; 7],
    french: bool,
}

impl Scan<'_, '_, '_> {
    /// Reports an edit unless it touches a protected span.
    fn emit(&mut self, kind: Kind, level: Level, range: Range<usize>, after: &str) {
        if self.cx.protected.overlaps(&range) {
            return;
        }
        let (id, why) = &ARCS[kind as usize];
        self.out.push(Edit::new(
            id,
            level,
            self.text,
            range,
            Some(after.to_string()),
            why,
        ));
    }

    /// Walks the lines of `piece` (the whole text, or a piece from
    /// [`pieces`]: it starts with a line of text, so what came before
    /// changes nothing), keeping track of fenced code and blank-line runs.
    fn walk(&mut self, piece: Range<usize>) {
        let (len, to) = (self.text.len(), piece.end);
        // A BOM belongs to no line's text.
        let mut pos = if piece.start == 0 && self.text.starts_with('\u{feff}') {
            3
        } else {
            piece.start
        };
        let mut fence: Option<(u8, usize)> = None;
        let mut seen_text = false;
        let mut blanks: Option<BlankRun> = None;
        // Column gaps of the previous line of the paragraph, and of the
        // line after the current one once looked at.
        let mut prev = Gaps::default();
        let mut peeked: Option<(usize, Gaps)> = None;
        while pos < to {
            let (end, next) = line_end(self.bytes, pos);
            let line = &self.text[pos..end];
            if let Some((ch, n)) = fence {
                if is_fence_close(line, ch, n) {
                    fence = None;
                }
                prev = Gaps::default();
                pos = next;
                continue;
            }
            if is_blank(line) {
                prev = Gaps::default();
                match &mut blanks {
                    None => {
                        blanks = Some(BlankRun {
                            start: pos,
                            second: None,
                        })
                    }
                    Some(run) => {
                        run.second.get_or_insert(pos);
                    }
                }
                pos = next;
                continue;
            }
            if let Some(run) = blanks.take() {
                self.blank_run(run, pos, seen_text, false);
            }
            seen_text = true;
            if let Some(open) = fence_open(line) {
                fence = Some(open);
                prev = Gaps::default();
            } else {
                let cur = match peeked.take() {
                    Some((at, g)) if at == pos => g,
                    _ => self.gaps(pos, end),
                };
                let after = if next < len {
                    let (next_end, _) = line_end(self.bytes, next);
                    let l = &self.text[next..next_end];
                    if is_blank(l) || fence_open(l).is_some() {
                        Gaps::default()
                    } else {
                        let g = self.gaps(next, next_end);
                        peeked = Some((next, g));
                        g
                    }
                } else {
                    Gaps::default()
                };
                self.line(pos, end, cur.is_row(&prev, &after));
                prev = cur;
            }
            pos = next;
        }
        if let Some(run) = blanks.take() {
            if to == len {
                self.blank_run(run, len, false, seen_text);
            } else {
                // Text follows in the next piece.
                self.blank_run(run, to, seen_text, false);
            }
        }
    }

    /// Handles blank lines `run.start..upto`: beyond the first they go when
    /// they sit between paragraphs, all of them when they end a text;
    /// otherwise their whitespace goes.
    fn blank_run(&mut self, run: BlankRun, upto: usize, between: bool, at_end: bool) {
        if at_end && self.on[Kind::TrailingBlank as usize] {
            let range = run.start..upto;
            if !self.cx.protected.overlaps(&range) {
                self.emit(Kind::TrailingBlank, Level::Fix, range, "");
                return;
            }
        }
        let mut stop = upto;
        if let (true, true, Some(second)) =
            (between, self.on[Kind::ExtraBlank as usize], run.second)
        {
            let range = second..upto;
            if !self.cx.protected.overlaps(&range) {
                self.emit(Kind::ExtraBlank, Level::Fix, range, "");
                stop = second;
            }
        }
        let mut pos = run.start;
        while pos < stop {
            let (end, next) = line_end(self.bytes, pos);
            if end > pos && self.on[Kind::Trailing as usize] {
                self.emit(Kind::Trailing, Level::Fix, pos..end, "");
            }
            pos = next;
        }
    }

    /// Checks one non-blank line outside code fences; `start..end` excludes
    /// its line break.
    fn line(&mut self, start: usize, end: usize, row: bool) {
        let line = &self.text[start..end];
        let body_end = start + line.trim_end_matches(is_hspace).len();
        if body_end < end && self.on[Kind::Trailing as usize] {
            self.emit(Kind::Trailing, Level::Fix, body_end..end, "");
        }
        let body = &self.text[start..body_end];
        let rest = body.trim_start_matches(is_hspace);
        let indent_end = body_end - rest.len();
        if row || is_preformatted(&body[..indent_end - start], rest) {
            return;
        }
        let mut unmatched = [false; 4];
        let mut i = indent_end;
        while i < body_end {
            i = skip_plain(self.bytes, i, body_end);
            if i >= body_end {
                break;
            }
            let b = self.bytes[i];
            match b {
                b'`' => i = self.skip_code(i, body_end, &mut unmatched),
                b'.' | b'!' | b'?' => {
                    self.missing_after(i, start, body_end);
                    i += 1;
                }
                b' ' | b'\t' => {
                    let j = self.run_end(i, body_end);
                    self.space_run(i, j, body_end);
                    i = j;
                }
                b if b < 0x80 => i += 1,
                _ => {
                    let c = self.char_at(i);
                    if is_hspace(c) {
                        let j = self.run_end(i, body_end);
                        self.space_run(i, j, body_end);
                        i = j;
                    } else {
                        i += c.len_utf8();
                    }
                }
            }
        }
    }

    /// Returns the character starting at byte `i`.
    fn char_at(&self, i: usize) -> char {
        self.text[i..].chars().next().expect("in bounds")
    }

    /// Returns the character ending at byte `i`.
    fn char_before(&self, i: usize) -> char {
        self.text[..i].chars().next_back().expect("in bounds")
    }

    /// Returns the end of the whitespace run starting at `i`.
    fn run_end(&self, i: usize, limit: usize) -> usize {
        let run = &self.text[i..limit];
        limit - run.trim_start_matches(is_hspace).len()
    }

    /// Skips an inline code span opened by the backticks at `i`, or the
    /// backticks alone when nothing closes them on the line.
    fn skip_code(&self, i: usize, limit: usize, unmatched: &mut [bool; 4]) -> usize {
        let n = self.bytes[i..limit]
            .iter()
            .take_while(|&&b| b == b'`')
            .count();
        let slot = n.min(4) - 1;
        if unmatched[slot] {
            return i + n;
        }
        let mut k = i + n;
        while let Some(off) = memchr::memchr(b'`', &self.bytes[k..limit]) {
            let s = k + off;
            let m = self.bytes[s..limit]
                .iter()
                .take_while(|&&b| b == b'`')
                .count();
            if m == n {
                return s + m;
            }
            k = s + m;
        }
        // No closing run of this length later on the line: none will be
        // found from further right either.
        unmatched[slot] = true;
        i + n
    }

    /// Finds the column gaps of the line `start..end`: runs of two or
    /// more spaces that are not next to a sentence or clause end.
    fn gaps(&self, start: usize, end: usize) -> Gaps {
        let line = &self.text[start..end];
        let body_end = start + line.trim_end_matches(is_hspace).len();
        let indent_end = body_end
            - self.text[start..body_end]
                .trim_start_matches(is_hspace)
                .len();
        let clause = |b: u8| matches!(b, b'.' | b'!' | b'?' | b':' | b';' | b',');
        let mut g = Gaps::default();
        let mut cell_start = indent_end;
        let mut k = indent_end;
        while let Some(off) = memchr::memmem::find(&self.bytes[k..body_end], b"  ") {
            let s = k + off;
            let mut e = s + 2;
            while e < body_end && self.bytes[e] == b' ' {
                e += 1;
            }
            // A gap after a sentence or clause end is sentence spacing, and
            // one before punctuation is the other rule's business.
            if !clause(self.bytes[s - 1]) && !clause(self.bytes[e]) {
                g.longest_cell = g.longest_cell.max(s - cell_start);
                if let Some(slot) = g.ends.get_mut(g.count) {
                    *slot = e - start;
                }
                g.count += 1;
                cell_start = e;
            }
            k = e;
        }
        if g.count > 0 {
            g.longest_cell = g.longest_cell.max(body_end - cell_start);
        }
        g
    }

    /// Handles the whitespace run `s..e` between two characters of a line.
    fn space_run(&mut self, s: usize, e: usize, body_end: usize) {
        let next = self.char_at(e);
        if matches!(next, ',' | '.' | ';' | ':' | '!' | '?')
            && self.before_punctuation(s, e, body_end, next)
        {
            return;
        }
        if e - s < 2 || !self.bytes[s..e].iter().all(|&b| b == b' ') {
            return;
        }
        if e - s == 3 && self.on[Kind::Ampersand as usize] && self.ampersand_gap(s, e) {
            self.emit(Kind::Ampersand, Level::Suggest, s..e, " & ");
        }
        if self.on[Kind::Double as usize] {
            self.emit(Kind::Double, Level::Fix, s..e, " ");
        }
    }

    /// Handles the run `s..e` before the punctuation mark `p`. Returns true
    /// if the run needs nothing more (fixed, or deliberately left).
    fn before_punctuation(&mut self, s: usize, e: usize, body_end: usize, p: char) -> bool {
        if !self.on[Kind::BeforePunctuation as usize] {
            return false;
        }
        let prev = self.char_before(s);
        if !(prev.is_alphanumeric() || is_closer(prev)) {
            return false;
        }
        // After the mark: closing quotes or brackets, more `!?`, then a
        // space or the line end. A mark glued to the next word is not a
        // stray (`:)`, `.NET`, `10 :30`).
        let mut k = e + 1;
        while k < body_end {
            let c = self.char_at(k);
            let closer = match c {
                '"' | '\u{201d}' | '\u{2019}' | '\'' | '\u{bb}' => true,
                ')' | ']' => matches!(p, ',' | '.' | '!' | '?'),
                '!' | '?' | '.' => matches!(p, '!' | '?'),
                _ => false,
            };
            if !closer {
                break;
            }
            k += c.len_utf8();
        }
        // After a closer, a comma or stop may follow directly: it is how
        // this pass leaves `! ” ,` (the space before the comma goes), and
        // the next run must read `!”,` the same way.
        let glued_mark = k > e + 1
            && k < body_end
            && matches!(self.char_at(k), ',' | '.' | ';' | ':' | '\u{2026}');
        if k < body_end && !is_hspace(self.char_at(k)) && !glued_mark {
            return false;
        }
        // The next character that is not a space, on this line.
        let following = self.text[k..body_end]
            .trim_start_matches(is_hspace)
            .chars()
            .next();
        if p == '.' && following == Some('.') {
            // A spaced ellipsis: `wait . . . what`.
            return false;
        }
        if prev.is_ascii_digit() && following.is_some_and(|c| c.is_ascii_digit()) {
            // A spaced score or figure: `2 : 1`.
            return false;
        }
        if k == e + 1 && self.names_mark(s) {
            // The mark itself, written about: `a trailing , in a list`.
            return true;
        }
        let run = &self.text[s..e];
        if matches!(p, ';' | ':' | '!' | '?') {
            if self.french {
                if run != NARROW_NBSP {
                    self.emit(Kind::BeforePunctuation, Level::Fix, s..e, NARROW_NBSP);
                }
                return true;
            }
            if !run.bytes().all(|b| b == b' ' || b == b'\t') {
                // A no-break or thin space here is French typography typed
                // on purpose: leave it.
                return true;
            }
            if self.cx.profile_at(s).spaced_before(p) {
                // The language puts a space here (French): leave it.
                return true;
            }
        }
        // `insane ? surely` may hide a lost dash or quote, and `set to .`
        // a dropped word: only suggest.
        let lost_dash = matches!(p, '.' | '!' | '?') && following.is_some_and(char::is_lowercase);
        let level = if lost_dash || self.after_function_word(s) {
            Level::Suggest
        } else {
            Level::Fix
        };
        self.emit(Kind::BeforePunctuation, level, s..e, "");
        level == Level::Fix
    }

    /// Returns true if the word ending at `s` is one that describes a
    /// punctuation mark written about (`trailing`, `stray`), so the lone
    /// mark after it is a mention, not a misplaced one.
    fn names_mark(&self, s: usize) -> bool {
        self.word_start(s, 9)
            .is_some_and(|w| MARK_WORDS.contains(&self.text[w..s].to_lowercase().as_str()))
    }

    /// Returns true if the word ending at `s` is one that cannot end a
    /// clause (`to`, `the`), so a gap after it probably lost a word.
    fn after_function_word(&self, s: usize) -> bool {
        self.word_start(s, 8)
            .is_some_and(|w| FUNCTION_WORDS.contains(&self.text[w..s].to_lowercase().as_str()))
    }

    /// Returns true if the three spaces `s..e` sit between two names, as in
    /// `Procter   Gamble`.
    fn ampersand_gap(&self, s: usize, e: usize) -> bool {
        let Some(start) = self.word_start(s, MAX_WORD) else {
            return false;
        };
        let tok = &self.text[start..s];
        let first_upper = tok.chars().next().is_some_and(char::is_uppercase);
        let last_alpha = tok.chars().next_back().is_some_and(char::is_alphabetic);
        if !(first_upper && last_alpha && tok.chars().any(char::is_lowercase)) {
            return false;
        }
        let rest = &self.text[e..];
        let next = &rest[..rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len())];
        let mut nc = next.chars();
        // `No   Results` is a poll widget, not a firm.
        nc.next().is_some_and(char::is_uppercase)
            && nc.next().is_some()
            && !STARTERS.contains(&tok)
            && !STARTERS.contains(&next)
    }

    /// Returns the start of the whitespace-delimited token ending at `to`,
    /// looking back at most `max` bytes.
    fn word_start(&self, to: usize, max: usize) -> Option<usize> {
        let mut lo = to.saturating_sub(max);
        while !self.text.is_char_boundary(lo) {
            lo += 1;
        }
        let before = &self.text[lo..to];
        match before
            .char_indices()
            .rev()
            .find(|&(_, c)| is_hspace_or_break(c))
        {
            Some((i, c)) => Some(lo + i + c.len_utf8()),
            None if lo == 0 || self.bytes[lo - 1] == b'\n' || self.bytes[lo - 1] == b'\r' => {
                Some(lo)
            }
            None => None,
        }
    }

    /// Checks the sentence end at byte `p` (`.`, `!` or `?`) for a missing
    /// space before a capitalised word, as in `done.The`.
    fn missing_after(&mut self, p: usize, line_start: usize, body_end: usize) {
        if !self.on[Kind::MissingAfterSentence as usize] {
            return;
        }
        let q = p + 1;
        if q >= body_end || (p > line_start && self.bytes[p - 1] == b'.') {
            return;
        }
        let c = self.char_at(q);
        let (at, word) = if c.is_uppercase() {
            (q, q)
        } else if matches!(c, '\u{201d}' | '\u{2019}' | ')') {
            let r = q + c.len_utf8();
            if r >= body_end || !self.char_at(r).is_uppercase() {
                return;
            }
            (r, r)
        } else if c == '\u{201c}' {
            let r = q + c.len_utf8();
            if r >= body_end || !self.char_at(r).is_uppercase() {
                return;
            }
            (q, r)
        } else {
            return;
        };
        // The next word: a capital, then lower case (not `U.S.A`, `BRK.B`).
        let Some(word_end) = self.next_word(word, body_end) else {
            return;
        };
        // The word before: two or more letters, not the tail of a dotted
        // chain (`e.g`, `bbc.co`) or of an address.
        let Some(prev_start) = self.prev_word(p, line_start) else {
            return;
        };
        if prev_start > line_start
            && matches!(
                self.char_before(prev_start),
                '.' | '!' | '?' | '@' | '/' | '\\' | '_' | ':' | '=' | '&' | '#' | '~' | '+' | '%'
            )
        {
            return;
        }
        // The word is the tail of a sentence glued on before it
        // (`a.“Bb.Cc`): see `glued_on`.
        let before = self.text[line_start..prev_start].trim_end_matches(QUOTES);
        if matches!(before.chars().next_back(), Some('.' | '!' | '?')) {
            return;
        }
        // The whole token must be prose: no address, path or protected span.
        let Some(token) = self.token(prev_start, word_end, body_end) else {
            return;
        };
        let t = &self.text[token.clone()];
        if t.contains(['/', '\\', '@', '_', '=', '<', '>']) || self.cx.protected.overlaps(&token) {
            return;
        }
        let prev = self.text[prev_start..p].trim_start_matches(['\'', '\u{2019}']);
        let next = &self.text[word..word_end];
        let level = if self.bytes[p] == b'.' && ABBREVIATIONS.contains(&prev) {
            Level::Suggest
        } else if prev
            .chars()
            .all(|c| c.is_lowercase() || c == '\'' || c == '\u{2019}')
            || STARTERS.contains(&next)
        {
            Level::Fix
        } else {
            Level::Suggest
        };
        self.emit(Kind::MissingAfterSentence, level, at..at, " ");
    }

    /// Returns the end of a capitalised word (capital, then lower case)
    /// starting at `i`, if what follows it is prose.
    fn next_word(&self, i: usize, limit: usize) -> Option<usize> {
        let rest = &self.text[i..limit];
        let mut chars = rest.char_indices();
        chars.next();
        if !chars.next().is_some_and(|(_, c)| c.is_lowercase()) {
            return None;
        }
        let len = rest
            .char_indices()
            .find(|&(_, c)| !c.is_alphabetic())
            .map_or(rest.len(), |(k, _)| k);
        if len > MAX_WORD {
            return None;
        }
        let end = i + len;
        let mut after = self.text[end..limit].chars();
        match after.next() {
            None => Some(end),
            Some(c) if c.is_numeric() => None,
            Some('(' | '_' | '@' | '/' | '\\' | '=' | '<' | '>' | '[' | '{' | '#' | '|' | '~') => {
                None
            }
            // A dotted chain (`System.Console`).
            Some('.' | ':') if after.next().is_some_and(char::is_alphanumeric) => None,
            Some(_) if self.glued_on(end, limit) => None,
            Some(_) => Some(end),
        }
    }

    /// Returns true if the word continuing at `end` is itself glued to a
    /// following sentence (`a.Bb!Cc`, `a.“Bb’s.Cc`). Such chains are left
    /// alone whole: mirrors the check before the word in
    /// [`Self::missing_after`], so that fixing one link never makes the
    /// next one fixable on a second run.
    fn glued_on(&self, end: usize, limit: usize) -> bool {
        let rest = self.text[end..limit]
            .trim_start_matches(|c: char| c.is_alphanumeric() || c == '\'' || c == '\u{2019}');
        let mut chars = rest.chars();
        matches!(chars.next(), Some('.' | '!' | '?'))
            && chars
                .as_str()
                .trim_start_matches(QUOTES)
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
    }

    /// Returns the start of the word of two or more letters or digits that
    /// ends at `p`.
    fn prev_word(&self, p: usize, line_start: usize) -> Option<usize> {
        let lo = p.saturating_sub(MAX_WORD * 4).max(line_start);
        let mut lo = lo;
        while !self.text.is_char_boundary(lo) {
            lo += 1;
        }
        let before = &self.text[lo..p];
        let word =
            before.trim_end_matches(|c: char| c.is_alphanumeric() || c == '\'' || c == '\u{2019}');
        let start = lo + word.len();
        let w = self.text[start..p].trim_start_matches(['\'', '\u{2019}']);
        if w.chars().count() < 2 || (start == lo && lo > line_start) {
            return None;
        }
        Some(p - w.len())
    }

    /// Returns the whitespace-delimited token around `from..to`, unless it
    /// is too long to be prose.
    fn token(&self, from: usize, to: usize, body_end: usize) -> Option<Range<usize>> {
        let s = self.word_start(from, MAX_TOKEN)?;
        let mut hi = (to + MAX_TOKEN).min(body_end);
        while !self.text.is_char_boundary(hi) {
            hi -= 1;
        }
        let after = &self.text[to..hi];
        let e = match after.find(is_hspace) {
            Some(k) => to + k,
            None if hi == body_end => body_end,
            None => return None,
        };
        Some(s..e)
    }
}

/// Returns true for whitespace inside a line: spaces, tabs, no-break and
/// other Unicode spaces, but not line breaks, form feeds or vertical tabs.
fn is_hspace(c: char) -> bool {
    c == ' '
        || c == '\t'
        || (c.is_whitespace()
            && !matches!(
                c,
                '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
            ))
}

/// [`is_hspace`], or a line break.
fn is_hspace_or_break(c: char) -> bool {
    is_hspace(c) || c == '\n' || c == '\r'
}

/// Returns true for a line holding only whitespace.
fn is_blank(line: &str) -> bool {
    line.chars().all(is_hspace)
}

/// Returns true for closing quotes and brackets after which a space before
/// punctuation is still misplaced.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']' | '\u{bb}' | '%'
    )
}

/// Returns true for lines whose spacing is layout: indented four columns or
/// more (code, verse, preformatted text) or a Markdown table row.
fn is_preformatted(indent: &str, rest: &str) -> bool {
    let width: usize = indent.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
    width >= 4 || rest.starts_with('|')
}

/// Bytes of a line tested at once by [`skip_plain`].
const BLOCK: usize = 16;

/// The first byte of `bytes[i..end]` that the line scan must look at, or
/// `end`. Most bytes need nothing; whole blocks of them are passed over
/// with compares the compiler vectorises, the rest byte by byte.
fn skip_plain(bytes: &[u8], mut i: usize, end: usize) -> usize {
    while i + BLOCK < end {
        let mut all = true;
        for (&b, &next) in bytes[i..i + BLOCK].iter().zip(&bytes[i + 1..]) {
            all &= passes_over(b, next);
        }
        if !all {
            break;
        }
        i += BLOCK;
    }
    while i < end {
        // A space last on the line is followed by nothing plain.
        let next = if i + 1 < end { bytes[i + 1] } else { b' ' };
        if !passes_over(bytes[i], next) {
            break;
        }
        i += 1;
    }
    i
}

/// Returns true for a byte the line scan passes over, given the byte after
/// it: ASCII other than a backtick, a sentence mark `.!?`, a space or a
/// tab; or a single space before ASCII other than a space, a tab or a mark
/// a space before it makes stray (`,.;:!?`). Written without branches, for
/// [`skip_plain`]'s blocks.
fn passes_over(b: u8, next: u8) -> bool {
    // Non-short-circuiting operators throughout, for the vector compares.
    let sentence_or_space =
        |c: u8| (c == b'.') | (c == b'!') | (c == b'?') | (c == b' ') | (c == b'\t');
    let plain = (b < 0x80) & (b != b'`') & !sentence_or_space(b);
    let plain_next =
        (next < 0x80) & !sentence_or_space(next) & (next != b',') & (next != b';') & (next != b':');
    plain | ((b == b' ') & plain_next)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::apply::apply;
    use crate::blocks::fences;
    use crate::protect::protected_spans;
    use crate::spans::Spans;

    /// Runs the pass alone and applies what reaches `level`.
    fn clean_at(text: &str, french: bool, level: Level) -> String {
        let protected = protected_spans(text);
        let disabled = HashSet::new();
        let cx = Context::whole(&protected, &disabled);
        let mut edits = Vec::new();
        Spacing { french }.run(text, &cx, &mut edits);
        edits.sort_by_key(|e| e.range.start);
        let mut kept: Vec<Edit> = Vec::new();
        for mut e in edits {
            e.applied = e.level.applies(level)
                && kept.last().is_none_or(|k| {
                    !crate::edit::ranges_overlap(&k.range, &e.range) && k.range.end <= e.range.start
                });
            if e.applied {
                kept.push(e);
            }
        }
        apply(text, &kept)
    }

    fn fix(text: &str) -> String {
        clean_at(text, false, Level::Fix)
    }

    fn suggest(text: &str) -> String {
        clean_at(text, false, Level::Suggest)
    }

    /// `(input, output with fixes only, output with suggestions)`.
    const CASES: &[(&str, &str, &str)] = &[
        // double-space
        ("a  b", "a b", "a b"),
        ("done.  The end", "done. The end", "done. The end"),
        ("  indented  text", "  indented text", "  indented text"),
        ("keep `a  b` code", "keep `a  b` code", "keep `a  b` code"),
        ("Name  Age  Town", "Name  Age  Town", "Name  Age  Town"),
        (
            "Total  42 ,\nAll    7\nTeam   5",
            "Total  42 ,\nAll    7\nTeam   5",
            "Total  42 ,\nAll    7\nTeam   5",
        ),
        (
            "Total  42 ,\nAll   7",
            "Total 42,\nAll 7",
            "Total 42,\nAll 7",
        ),
        ("a\t\tb", "a\t\tb", "a\t\tb"),
        // trailing-whitespace
        ("line  \nnext\t\n", "line\nnext\n", "line\nnext\n"),
        ("crlf \r\nkept\r\n", "crlf\r\nkept\r\n", "crlf\r\nkept\r\n"),
        ("end \u{a0}", "end", "end"),
        // space-before-punctuation
        ("said , adding", "said, adding", "said, adding"),
        ("the end .", "the end.", "the end."),
        ("Really ?!", "Really?!", "Really?!"),
        ("Smith  , who", "Smith, who", "Smith, who"),
        ("(what ?)", "(what?)", "(what?)"),
        ("\"quoted\" .", "\"quoted\".", "\"quoted\"."),
        ("insane ? surely", "insane ? surely", "insane? surely"),
        ("wait . . . what", "wait . . . what", "wait . . . what"),
        (
            "Your town is set to . Change it",
            "Your town is set to . Change it",
            "Your town is set to. Change it",
        ),
        (
            "Score 2 : 1 today",
            "Score 2 : 1 today",
            "Score 2 : 1 today",
        ),
        (
            "so :) fun ;) yes :-)",
            "so :) fun ;) yes :-)",
            "so :) fun ;) yes :-)",
        ),
        (
            "the .NET way, a .45 gun",
            "the .NET way, a .45 gun",
            "the .NET way, a .45 gun",
        ),
        ("Bonjour\u{202f}!", "Bonjour\u{202f}!", "Bonjour\u{202f}!"),
        ("- , | .", "- , | .", "- , | ."),
        // missing-space-after-sentence
        (
            "It was done.The end.",
            "It was done. The end.",
            "It was done. The end.",
        ),
        ("we won!Then", "we won! Then", "we won! Then"),
        ("said.\u{201d}The", "said.\u{201d} The", "said.\u{201d} The"),
        ("said.\u{201c}The", "said. \u{201c}The", "said. \u{201c}The"),
        (
            "One.Tel and Joy Division.Those",
            "One.Tel and Joy Division. Those",
            "One. Tel and Joy Division. Those",
        ),
        ("Mr.Smith", "Mr.Smith", "Mr. Smith"),
        (
            "the U.S.Army and U.S. Navy",
            "the U.S.Army and U.S. Navy",
            "the U.S.Army and U.S. Navy",
        ),
        (
            "e.g.The J.K.Rowling Ph.D.Thesis",
            "e.g.The J.K.Rowling Ph.D.Thesis",
            "e.g.The J.K.Rowling Ph.D.Thesis",
        ),
        (
            "3.5 and 10:30 and 1,000",
            "3.5 and 10:30 and 1,000",
            "3.5 and 10:30 and 1,000",
        ),
        (
            "see bbc.co.uk and report.pdf",
            "see bbc.co.uk and report.pdf",
            "see bbc.co.uk and report.pdf",
        ),
        (
            "Halo.Bungie.Org and System.Console.WriteLine(x)",
            "Halo.Bungie.Org and System.Console.WriteLine(x)",
            "Halo.Bungie.Org and System.Console.WriteLine(x)",
        ),
        (
            "mail ann.Lee@example.org now",
            "mail ann.Lee@example.org now",
            "mail ann.Lee@example.org now",
        ),
        (
            "shares BRK.B and ABC.Def",
            "shares BRK.B and ABC.Def",
            "shares BRK.B and ABC. Def",
        ),
        ("wait...The", "wait...The", "wait...The"),
        ("The.The!The", "The.The!The", "The.The!The"),
        (
            "TheThe.\u{201c}The.Then",
            "TheThe.\u{201c}The.Then",
            "TheThe.\u{201c}The.Then",
        ),
        (
            "it.\u{201c}Bob\u{2019}s.Next",
            "it.\u{201c}Bob\u{2019}s.Next",
            "it.\u{201c}Bob\u{2019}s.Next",
        ),
        (
            "said .\u{201d}The",
            "said .\u{201d}The",
            "said .\u{201d}The",
        ),
        (
            "said .\u{201d} The",
            "said.\u{201d} The",
            "said.\u{201d} The",
        ),
        // extra-blank-lines
        ("a\n\n\n\nb\n", "a\n\nb\n", "a\n\nb\n"),
        ("a\r\n\r\n \r\n\r\nb", "a\r\n\r\nb", "a\r\n\r\nb"),
        ("\n\n\na\n\n\n", "\n\n\na\n", "\n\n\na\n"),
        ("a\r\n \r\n", "a\r\n", "a\r\n"),
        ("a\n  ", "a\n", "a\n"),
        ("\n \n", "\n\n", "\n\n"),
        ("a\n \n\t\nb", "a\n\nb", "a\n\nb"),
        // code and preformatted lines
        (
            "```\na  b .\n\n\n\n```\n",
            "```\na  b .\n\n\n\n```\n",
            "```\na  b .\n\n\n\n```\n",
        ),
        ("    x  = 1 ;", "    x  = 1 ;", "    x  = 1 ;"),
        ("| a  | b  |", "| a  | b  |", "| a  | b  |"),
        // dropped-ampersand
        (
            "Procter   Gamble said",
            "Procter Gamble said",
            "Procter & Gamble said",
        ),
        (
            "AMSTERDAM   Cyclist",
            "AMSTERDAM Cyclist",
            "AMSTERDAM Cyclist",
        ),
        (
            "Yes or No   Results",
            "Yes or No Results",
            "Yes or No Results",
        ),
        (
            "Vote?   Yes  No   Results",
            "Vote?   Yes  No   Results",
            "Vote?   Yes  No   Results",
        ),
        (
            "This is a long first sentence of prose  and a second  part",
            "This is a long first sentence of prose and a second part",
            "This is a long first sentence of prose and a second part",
        ),
        // BOM and no final newline survive
        ("\u{feff}a  b", "\u{feff}a b", "\u{feff}a b"),
    ];

    /// The golden cases as paragraphs, after a BOM and fenced code holding
    /// a blank line, between fenced code holding blank lines, table rows
    /// and runs of blank lines (some with spaces).
    fn cases_as_paragraphs() -> String {
        let mut doc = String::from("\u{feff}```\nfenced.  At once\n\nstill.\n```\n\n");
        for (k, (input, _, _)) in CASES.iter().enumerate() {
            doc.push_str(input);
            doc.push_str(match k % 5 {
                0 => "\n\n",
                1 => "\n\n\n",
                2 => "\n\n```\ncode.\n\nmore  code.\n```\n\n",
                3 => "\n\nA  b  c\nd  e  f\n\n",
                _ => "\n \n\n",
            });
        }
        doc
    }

    /// Walking a text in pieces finds what one walk finds: the golden
    /// cases as paragraphs between fenced code holding blank lines, table
    /// rows, runs of blank lines (some with spaces), after a BOM, before a
    /// fence never closed; and news.
    #[test]
    fn pieces_find_what_one_walk_finds() {
        let doc = cases_as_paragraphs();
        let mut texts: Vec<String> = crate::rules::test_texts::news(10).into_iter().collect();
        texts.push(format!("{doc}~~~\nopen.\n\nnever.  closed\n\nx.\n\n"));
        texts.push(format!("{doc}\n\n\n"));
        texts.push(doc.clone());
        assert!(pieces(&doc, 1, &fences(&doc)).len() > 20, "the text splits");
        let protected = Spans::default();
        let disabled = HashSet::new();
        let cx = Context::whole(&protected, &disabled);
        let found = |text: &str, min: usize| {
            let mut edits = Vec::new();
            Spacing::default().find(text, &cx, &mut edits, [true; 7], min);
            let found: Vec<_> = edits
                .into_iter()
                .map(|e| (e.rule.clone(), e.range.clone(), e.after.clone(), e.level))
                .collect();
            found
        };
        for text in &texts {
            let whole = found(text, usize::MAX);
            for min in [1, 100] {
                assert_eq!(found(text, min), whole, "pieces of {min}");
            }
        }
    }

    /// A later run that reads around the changed paragraphs finds there
    /// exactly what a walk of the whole text finds there, and the ranges
    /// it walks cover the changes and start and end where pieces may.
    #[test]
    fn windows_find_what_the_whole_walk_finds_there() {
        let doc = cases_as_paragraphs();
        let protected = Spans::default();
        let disabled = HashSet::new();
        let found = |text: &str, within: Option<&[Range<usize>]>| {
            let cx = Context {
                protected: &protected,
                disabled: &disabled,
                check_quotes: true,
                within,
                languages: None,
                blocks: None,
                piece: usize::MAX,
            };
            let mut edits = Vec::new();
            Spacing::default().find(text, &cx, &mut edits, [true; 7], 1);
            edits
        };
        let whole = found(&doc, None);
        let mut next = crate::rules::test_texts::numbers(0x1234_5677);
        let mut partial = 0;
        for _ in 0..200 {
            let mut changed: Vec<Range<usize>> = (0..next() % 4)
                .map(|_| {
                    let mut at = next() % doc.len();
                    while !doc.is_char_boundary(at) {
                        at -= 1;
                    }
                    at..at
                })
                .collect();
            changed.sort_by_key(|r| r.start);
            let windows = paragraphs_around(&doc, &changed);
            let ranges = around(&doc, &windows, &fences(&doc));
            for r in &changed {
                assert!(ranges.iter().any(|w| w.start <= r.start && r.end <= w.end));
            }
            let expected: Vec<Edit> = whole
                .iter()
                .filter(|e| {
                    ranges
                        .iter()
                        .any(|w| w.start <= e.range.start && e.range.end <= w.end)
                })
                .cloned()
                .collect();
            assert_eq!(found(&doc, Some(&changed)), expected, "{changed:?}");
            partial += usize::from(expected.len() < whole.len() && !expected.is_empty());
        }
        assert!(partial > 50, "only {partial} partial reads");
    }

    #[test]
    fn plain_bytes_are_passed_over_as_one_by_one() {
        let looked_at = |b: u8| b >= 0x80 || b"`.!? \t".contains(&b);
        let stray_after_space = |n: u8| n >= 0x80 || b" \t,.;:!?".contains(&n);
        for b in 0..=255u8 {
            for n in 0..=255u8 {
                let want = !looked_at(b) || (b == b' ' && !stray_after_space(n));
                assert_eq!(passes_over(b, n), want, "{b} then {n}");
            }
        }
        let line = "A plain line of words and one.  Then `code`, a list: x ; y \u{a0}z! The end ?";
        let bytes = line.as_bytes();
        for end in [line.len(), line.len() - 1, 40, 17, 16] {
            for i in 0..end {
                let mut want = i;
                while want < end {
                    let next = if want + 1 < end {
                        bytes[want + 1]
                    } else {
                        b' '
                    };
                    if !passes_over(bytes[want], next) {
                        break;
                    }
                    want += 1;
                }
                assert_eq!(skip_plain(bytes, i, end), want, "from {i} to {end}");
            }
        }
    }

    #[test]
    fn golden_cases() {
        for (i, (input, fixed, suggested)) in CASES.iter().enumerate() {
            assert_eq!(&fix(input), fixed, "case {i} (fix): {input:?}");
            assert_eq!(&suggest(input), suggested, "case {i} (suggest): {input:?}");
            assert_eq!(&fix(fixed), fixed, "case {i} not idempotent: {fixed:?}");
            assert_eq!(
                &suggest(suggested),
                suggested,
                "case {i} not idempotent: {suggested:?}"
            );
        }
    }

    #[test]
    fn french_spacing() {
        let t = "Quoi ?  Oui !Non ; bon\u{a0}: fin , point .";
        assert_eq!(
            clean_at(t, true, Level::Fix),
            "Quoi\u{202f}? Oui !Non\u{202f}; bon\u{202f}: fin, point."
        );
        assert_eq!(clean_at("Quoi\u{a0}?", false, Level::Fix), "Quoi\u{a0}?");
        assert_eq!(clean_at("Quoi ?", false, Level::Fix), "Quoi?");
    }

    #[test]
    fn finds_nothing_in_clean_text() {
        let t = "A clean line. Another one, with 3.5% and 10:30.\n\nNext paragraph.\n";
        assert_eq!(fix(t), t);
        assert_eq!(suggest(t), t);
    }
}
