//! The mojibake pass: UTF-8 that was decoded as Windows-1252 or Latin-1 is
//! re-encoded and decoded again.
//!
//! When a program reads UTF-8 bytes as Windows-1252, every multi-byte
//! character turns into two to four single-byte characters: `é` becomes
//! `Ã©`, `’` becomes `â€™`, and text that went through the mistake twice
//! shows `Ã¢â‚¬â„¢`. Latin-1 readers produce the same shapes with C1
//! control characters in place of some Windows-1252 punctuation
//! (`â€\u{9d}`, `â\u{80}\u{9c}`).
//!
//! The pass never looks at the whole text at once. It jumps (with `memchr`)
//! to the bytes that can start such a shape: every character that can lead
//! a UTF-8 sequence in Windows-1252 (`Â` to `ô`) is encoded `C3 82..B4`,
//! every C1 control `C2 80..9F`. Clean text costs that scan and nothing else.
//! At each candidate it reads a *run*: adjacent characters that spell valid
//! UTF-8 when mapped back to their Windows-1252 bytes (C1 controls stand
//! for their Latin-1 byte). The run is decoded (up to three more times for
//! text mangled repeatedly) and scored, in the spirit of ftfy's `badness`
//! heuristic but over runs and their neighbours:
//!
//! - **evidence** that the run is mojibake: C1 controls, four-byte shapes
//!   (`ðŸ˜€`), and an accented letter followed by a symbol that real text
//!   almost never puts after a letter (`Ã©`, `Ä±`, `Î³`); a symbol that
//!   often does follow a letter (`’ ” … — ™ ®`, no-break space) counts
//!   for little except after `Ã` and `Â`, which are themselves rare;
//! - **plausibility** of the decoded text: it must not hold private-use or
//!   non-characters, and it loses points for an IPA letter or modifier
//!   (`NESTLÉ®` is not `NESTLɮ`), a lowercase letter ending a word in
//!   capitals (`AHÅ™` is not `AHř`), a lone Greek, Cyrillic, Hebrew or
//!   Arabic letter against a number (`5×£35` is not `5ף35`), or CJK and
//!   Hangul glued to Latin (`Brontë…”` is not `Bront녔`).
//!
//! A run scoring [`FIX`] or more is a `fix`, one scoring [`SUGGEST`] a
//! `suggest`. The text as a whole counts too: mojibake found for certain
//! anywhere makes suggestions in the same text certain (the same program
//! damaged it all), and makes even weak runs certain when every non-ASCII
//! character of the text belongs to a run; a lone two-character run in
//! text whose other non-ASCII characters are intact is never more than a
//! suggestion (`Bremer/Mccoy – DrÃ¥ber` stays as it is).
//!
//! A repair can change its neighbourhood (complete a sequence, or change
//! what a neighbouring run is judged to be), so the pass repairs its own
//! output again until nothing is left, and composes the rounds into edits
//! against its input: cleaning twice changes nothing more.
//!
//! Runs that other single-byte code pages explain (Windows-1250, -1251,
//! -1257, ISO-8859-2, MacRoman, CP437) are found by the `pages` module where no
//! certain Windows-1252 run is, and join the same whole-text settling.
//!
//! A C1 control character left outside any run is a Windows-1252 byte read
//! as Latin-1 and becomes its Windows-1252 character (rule `mojibake-c1`).
//! Next to Chinese, Japanese or Korean letters it is one too (a curly quote
//! pasted from Windows-1252 text); next to a letter of another script that
//! single-byte code pages write (Cyrillic, Greek…) it is left alone.
//! This pass runs before the unicode pass (see `crate::schedule`), which
//! would delete C1 controls, soft hyphens and no-break spaces, and so the
//! evidence.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use memchr::memchr_iter;

use crate::apply::{apply, Composer};
use crate::edit::{Edit, Level};
use crate::passes::{is_word_char, Context, Pass};
use crate::spans::Spans;

mod pages;

/// Rule id of the UTF-8 mojibake repair.
pub const MOJIBAKE: &str = "mojibake";
/// Rule id of the repair of lone C1 control characters.
pub const C1_CONTROL: &str = "mojibake-c1";

/// Lowest run score that is repaired as a `fix`.
pub const FIX: i32 = 3;
/// Lowest run score that is reported as a `suggest`.
pub const SUGGEST: i32 = 2;
/// Lowest score a run needs to be kept at all: enough inside an already
/// decoded run (text mangled more than once, where the outer run is the
/// evidence), and enough at the top level for [`settle`] to promote it in
/// text that is mojibake throughout.
const INNER: i32 = 1;
/// Deepest repeated decoding (four layers in all).
const MAX_DEPTH: u8 = 3;
/// Most rounds of repair over the pass's own output (see [`plan`]).
const MAX_ROUNDS: usize = 8;

static ID: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(MOJIBAKE));
static ID_C1: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(C1_CONTROL));
static WHY: LazyLock<Arc<str>> = LazyLock::new(|| {
    Arc::from(
        "UTF-8 text was decoded as Windows-1252 or Latin-1 (mojibake); \
         encoding the run back to bytes and decoding them as UTF-8 restores it.",
    )
});
static WHY_C1: LazyLock<Arc<str>> = LazyLock::new(|| {
    Arc::from(
        "A C1 control character is a Windows-1252 byte that was read as Latin-1; \
         it stands for the Windows-1252 character.",
    )
});

/// The characters Windows-1252 gives bytes `80..9F`, taken from
/// `encoding_rs`. The five bytes Windows-1252 leaves undefined decode to
/// the C1 control of the same number (the WHATWG mapping), as sloppy
/// decoders do.
static HIGH: LazyLock<[char; 32]> = LazyLock::new(|| {
    let bytes: Vec<u8> = (0x80..=0x9f).collect();
    let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    let mut table = ['\0'; 32];
    for (slot, c) in table.iter_mut().zip(decoded.chars()) {
        *slot = c;
    }
    table
});

/// Repairs UTF-8 read as Windows-1252 or Latin-1, and lone C1 controls.
pub struct Mojibake;

impl Pass for Mojibake {
    fn name(&self) -> &'static str {
        "mojibake"
    }

    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        let on = Switches {
            runs: cx.enabled(MOJIBAKE),
            c1: cx.enabled(C1_CONTROL),
        };
        if on.runs || on.c1 {
            out.extend(plan(text, cx.protected, on));
        }
    }
}

/// Decodes the mojibake in `text` that the pass repairs as a `fix`, lone
/// C1 controls included; returns `None` when there is none.
///
/// The same repairs as running the pass alone, with no protected spans.
pub fn repair(text: &str) -> Option<String> {
    let edits = plan(
        text,
        &Spans::default(),
        Switches {
            runs: true,
            c1: true,
        },
    );
    edits.iter().any(|e| e.applied).then(|| apply(text, &edits))
}

/// Which of the pass's two rules are on.
#[derive(Clone, Copy)]
struct Switches {
    runs: bool,
    c1: bool,
}

/// A repair the scan found, with its score.
#[derive(Debug, Clone)]
struct Found {
    range: Range<usize>,
    after: String,
    score: i32,
    /// True for a run of one two-byte sequence, the weakest shape.
    lone_pair: bool,
    /// True for a lone C1 control (rule `mojibake-c1`).
    c1: bool,
    /// The code page of [`pages::PAGES`] the run was read through, when
    /// it is not Windows-1252 or Latin-1.
    page: Option<usize>,
}

impl Found {
    fn edit(self, text: &str, applied: bool) -> Edit {
        let (id, why) = if self.c1 {
            (&ID_C1, &*WHY_C1)
        } else if let Some(p) = self.page {
            (&ID, &pages::WHY[p])
        } else {
            (&ID, &*WHY)
        };
        let level = if self.score >= FIX {
            Level::Fix
        } else {
            Level::Suggest
        };
        let mut edit = Edit::new(id, level, text, self.range, Some(self.after), why);
        edit.applied = applied;
        edit
    }
}

/// Plans the pass's edits for `text`, marked applied for the `fix` ones.
///
/// A repair can complete a sequence with its neighbours (`ðŸ‘` before a
/// repaired `’`) or change what a neighbouring run is judged to be, and the
/// pipeline promises that cleaning twice changes nothing more. So the
/// fixes are applied and the result scanned again, until a round finds no
/// fix; the rounds are composed into edits against `text`. Suggestions are
/// reported only if applying all of them leaves nothing more to find, so
/// that `--apply-suggestions` is idempotent too. Clean text costs one scan.
fn plan(text: &str, protected: &Spans, on: Switches) -> Vec<Edit> {
    let mut found = findings(text, protected, on);
    if found.is_empty() {
        return Vec::new();
    }
    let mut composer = Composer::new(text);
    let mut protected = protected.clone();
    // What earlier rounds replaced, in the current text.
    let mut replaced: Vec<Range<usize>> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        if !found.iter().any(|f| f.score >= FIX) {
            break;
        }
        let current = composer.current();
        let fixes: Vec<Found> = found.into_iter().filter(|f| f.score >= FIX).collect();
        let shifts: Vec<(Range<usize>, usize)> = fixes
            .iter()
            .map(|f| (f.range.clone(), f.after.len()))
            .collect();
        let edits: Vec<Edit> = fixes.into_iter().map(|f| f.edit(current, true)).collect();
        protected.shift(&shifts);
        replaced = crate::spans::carry(&replaced, &shifts);
        composer.absorb(edits);
        found = findings(composer.current(), &protected, on);
    }
    found.retain(|f| f.score < FIX);
    if !found.is_empty() && suggestions_settle(composer.current(), &protected, &found, on) {
        let current = composer.current();
        let reported: Vec<Edit> = widen(current, found, &replaced)
            .into_iter()
            .map(|f| f.edit(current, false))
            .collect();
        composer.absorb(reported);
    }
    let (_, mut edits) = composer.finish();
    for e in &mut edits {
        let rule = e.rule.clone();
        e.also.retain(|a| *a != rule);
    }
    // A suggestion that covers a fix comes first, so that applying it (it
    // holds the fix) wins over the fix alone.
    edits.sort_by_key(|e| (e.range.start, std::cmp::Reverse(e.range.end), e.applied));
    edits
}

/// Returns true if applying every suggestion in `found` to `text` leaves
/// nothing more to find, so that a second run with suggestions applied
/// changes nothing.
fn suggestions_settle(text: &str, protected: &Spans, found: &[Found], on: Switches) -> bool {
    let mut after = String::with_capacity(text.len());
    let mut pos = 0;
    for f in found {
        after.push_str(&text[pos..f.range.start]);
        after.push_str(&f.after);
        pos = f.range.end;
    }
    after.push_str(&text[pos..]);
    let mut protected = protected.clone();
    let shifts: Vec<(Range<usize>, usize)> = found
        .iter()
        .map(|f| (f.range.clone(), f.after.len()))
        .collect();
    protected.shift(&shifts);
    findings(&after, &protected, on).is_empty()
}

/// Widens each suggestion to whole replacements of earlier rounds that it
/// overlaps (so that it maps onto the input exactly and, applied, includes
/// them), merging suggestions that then overlap.
fn widen(text: &str, found: Vec<Found>, replaced: &[Range<usize>]) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    // The suggestions of the current group and its widened range.
    let mut group: Vec<Found> = Vec::new();
    let mut span = 0..0;
    let flush = |group: &mut Vec<Found>, span: &Range<usize>, out: &mut Vec<Found>| {
        if group.is_empty() {
            return;
        }
        let mut after = String::new();
        let mut pos = span.start;
        for f in group.iter() {
            after.push_str(&text[pos..f.range.start]);
            after.push_str(&f.after);
            pos = f.range.end;
        }
        after.push_str(&text[pos..span.end]);
        let score = group.iter().map(|f| f.score).min().unwrap_or(SUGGEST);
        out.push(Found {
            range: span.clone(),
            after,
            score,
            lone_pair: false,
            c1: false,
            page: None,
        });
        group.clear();
    };
    for f in found {
        let mut w = f.range.clone();
        for r in replaced {
            if r.start < w.end && w.start < r.end {
                w = w.start.min(r.start)..w.end.max(r.end);
            }
        }
        if !group.is_empty() && w.start < span.end {
            span = span.start.min(w.start)..span.end.max(w.end);
        } else {
            flush(&mut group, &span, &mut out);
            span = w;
        }
        group.push(f);
    }
    flush(&mut group, &span, &mut out);
    out
}

/// Every repair of `text` in one round, sorted: the runs (settled over the
/// whole text), then the lone C1 controls outside them.
fn findings(text: &str, protected: &Spans, on: Switches) -> Vec<Found> {
    let mut found = Vec::new();
    if on.runs {
        scan(text, protected, None, None, 0, &mut found);
        // Other code pages read the text too. Where one explains a run that
        // Windows-1252 only guessed at (`ÿßŸÑ` in MacRoman Arabic holds
        // `ßŸ`), or one whose word Windows-1252 leaves odd (`é–±` in
        // MacRoman Russian), the code page wins.
        let mut other = Vec::new();
        pages::scan(text, None, None, 0, &[], None, &mut other);
        if !other.is_empty() {
            let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
            // Windows-1252 keeps a certain run that leaves its word clean,
            // unless a page's run holds it and more (`â€™Ă\u{a0}` is
            // Windows-1250 `’à`, not `’` and a stray `Ă`), or a page
            // explains certain words of the text and Windows-1252 none
            // that a page does not: there `ÂŠ` is ISO-8859-2's `©`, not
            // the `Š` of a Windows-1252 byte read as Latin-1.
            let alone = |f: &Found, rivals: &[Found]| {
                f.score >= FIX && !rivals.iter().any(|o| overlaps(&o.range, &f.range))
            };
            let own = found.iter().any(|f| alone(f, &other));
            let pages_certain = other.iter().any(|o| alone(o, &found));
            let keep: Vec<Found> = found
                .iter()
                .filter(|f| {
                    let mut rivals = other.iter().filter(|o| overlaps(&o.range, &f.range));
                    let Some(first) = rivals.next() else {
                        return true;
                    };
                    let held = first.range.start <= f.range.start
                        && first.range.end >= f.range.end
                        && first.range != f.range;
                    !held
                        && (own || !pages_certain)
                        && f.score >= FIX
                        && pages::clean_word(text, f, &found)
                })
                .cloned()
                .collect();
            other.retain(|o| !keep.iter().any(|f| overlaps(&o.range, &f.range)));
            found = keep;
            found.extend(other);
            found.sort_by_key(|f| f.range.start);
        }
        // A reading that leaves its word odder than it was is wrong,
        // whatever its score: `aaâ šaa` is not `aa⠚aa`. A run of letters
        // only, in a word that looks clean, is read only in text with
        // certain mojibake in an odd word elsewhere: `éšš` spells UTF-8
        // through Windows-1252 by chance.
        let judged: Vec<(i32, i32)> = found
            .iter()
            .map(|f| pages::word_badness(text, f, &found))
            .collect();
        let evidence = found
            .iter()
            .zip(&judged)
            .any(|(f, &(was, now))| f.score >= FIX && was > 0 && now < was);
        let mut judged = judged.into_iter();
        found.retain(|f| {
            let (was, now) = judged.next().unwrap_or_default();
            let run = &text[f.range.clone()];
            let letters = run.chars().nth(1).is_some() && run.chars().all(char::is_alphabetic);
            now <= was && (was > 0 || evidence || !letters)
        });
        let intact = intact_outside(text, &found);
        found.retain(|f| !near(protected, text, f));
        settle(&mut found, intact);
    }
    if on.c1 {
        let lone = lone_c1(text, &found);
        if !lone.is_empty() {
            found.extend(lone.into_iter().filter(|f| !near(protected, text, f)));
            found.sort_by_key(|f| f.range.start);
        }
    }
    found
}

/// Returns true if the repair `f` of `text` may not be made next to the
/// protected spans: it overlaps one, or touches one where the change
/// could alter what is found as a span on the next run (spans are found
/// afresh then, and partly by their neighbours: a URL glued to a letter
/// is not a URL). Right before a span, a repair that keeps the last
/// character a word character, or not, is safe (`â€\u{9d}http://…`).
fn near(protected: &Spans, text: &str, f: &Found) -> bool {
    if protected.is_empty() {
        return false;
    }
    let Range { start, end } = f.range;
    if protected.overlaps(&f.range) || (start > 0 && protected.overlaps(&(start - 1..start))) {
        return true;
    }
    if end < text.len() && protected.overlaps(&(end..end + 1)) {
        let kind = |c: Option<char>| c.map(|c| (is_word_char(c), matches!(c, '@' | '#' | '&')));
        return kind(text[..end].chars().next_back()) != kind(f.after.chars().next_back())
            || kind(f.after.chars().next_back()).is_some_and(|(_, sigil)| sigil);
    }
    false
}

/// Returns true if `text` has non-ASCII characters outside the runs
/// `found` (C1 controls aside): text that was, at least there, decoded
/// right.
fn intact_outside(text: &str, found: &[Found]) -> bool {
    let mut pos = 0;
    for f in found {
        // Runs that start in a protected span may overlap the next.
        if pos < f.range.start
            && text[pos..f.range.start]
                .chars()
                .any(|c| !c.is_ascii() && !is_c1(c))
        {
            return true;
        }
        pos = pos.max(f.range.end);
    }
    text[pos..].chars().any(|c| !c.is_ascii() && !is_c1(c))
}

/// Applies what is learnt from the text as a whole, then drops the runs
/// below [`SUGGEST`]:
///
/// - certain mojibake anywhere makes suggestions certain, and in text
///   whose non-ASCII characters all belong to runs (not `intact`: the
///   whole text went through the mistake) it makes weak runs certain too
///   (`11ì›”` among Korean mojibake is `11월`);
/// - a lone two-character run in `intact` text stays a suggestion.
fn settle(found: &mut Vec<Found>, intact: bool) {
    let certain = found.iter().filter(|f| f.score >= FIX).count();
    let candidates = found.iter().filter(|f| f.score >= SUGGEST).count();
    if certain == 1 && candidates == 1 && intact {
        if let Some(only) = found.iter_mut().find(|f| f.score >= FIX && f.lone_pair) {
            only.score = SUGGEST;
        }
    } else if certain > 0 {
        let floor = if intact { SUGGEST } else { INNER };
        for f in found.iter_mut().filter(|f| f.score >= floor) {
            f.score = FIX;
        }
    }
    found.retain(|f| f.score >= SUGGEST);
}

/// The C1 controls of `text` outside the runs `found` (sorted), each with
/// the Windows-1252 character it stands for.
fn lone_c1(text: &str, found: &[Found]) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut runs = found.iter().map(|f| f.range.clone()).peekable();
    let mut out = Vec::new();
    for i in memchr_iter(0xc2, bytes) {
        let Some(&b1) = bytes.get(i + 1) else { break };
        if !(0x80..=0x9f).contains(&b1) {
            continue;
        }
        while runs.peek().is_some_and(|r| r.end <= i) {
            runs.next();
        }
        if runs.peek().is_some_and(|r| r.start <= i) {
            continue;
        }
        // Next to a letter Windows-1252 cannot write (`Р\u{98}`), the text
        // came through another single-byte code page: leave the control
        // alone. Chinese, Japanese and Korean text comes through multi-byte
        // code pages, which leave no byte alone as a C1 control: next to
        // it, a control is still a Windows-1252 quote or dash pasted in
        // (`梁振英\u{93}撒谎\u{94}`).
        let prev = text[..i].chars().next_back();
        let next = text[i + 2..].chars().next();
        if prev
            .into_iter()
            .chain(next)
            .any(|c| foreign_letter(c) && !multibyte_script(c))
        {
            continue;
        }
        if let Some(fixed) = windows_1252(char::from(b1)) {
            out.push(Found {
                range: i..i + 2,
                after: fixed.to_string(),
                score: FIX,
                lone_pair: false,
                c1: true,
                page: None,
            });
        }
    }
    out
}

/// Finds the mojibake runs of `text` (whose neighbours outside are `before`
/// and `after`), decoded and scored, in order.
///
/// A run that starts inside a `protected` span cannot be repaired, but is
/// kept (it is evidence about the text as a whole); the scan goes on from
/// the span's end rather than the run's, so that the run does not hide the
/// text after the span (a URL ending in `ðŸ` before `‘â€™`), which a later
/// run, once other passes have tidied the span's neighbours, would read on
/// its own. Runs may then overlap; [`findings`] drops those in spans.
fn scan(
    text: &str,
    protected: &Spans,
    before: Option<char>,
    after: Option<char>,
    depth: u8,
    out: &mut Vec<Found>,
) {
    let bytes = text.as_bytes();
    let mut next = 0;
    // Leads `Â`..`ô` are C3 82..C3 B4; nothing else can start a run.
    for i in memchr_iter(0xc3, bytes) {
        if i < next {
            continue;
        }
        let spans = protected.ranges();
        let span_end = spans
            .get(spans.partition_point(|r| r.end <= i))
            .filter(|r| r.start <= i)
            .map(|r| r.end);
        let Some(&b1) = bytes.get(i + 1) else { break };
        if !(0x82..=0xb4).contains(&b1) {
            continue;
        }
        let mut back = text[..i].chars().rev();
        let prev = back.next().or(before);
        let prev2 = back.next();
        // A run that starts right after a stray symbol of the kind runs are
        // made of is the tail of a larger garble: decoding part of it makes
        // it worse. Punctuation that often stands before a word does not
        // count (`l’Ã©galité`).
        if prev.is_some_and(garble_tail) {
            continue;
        }
        let found = match read_run(text, i) {
            Some(run) => {
                // A run is judged whole: its tail is not tried again, which
                // keeps the scan linear.
                next = run.range.end;
                judge(text, &run, (prev2, prev), after, depth)
            }
            None if bytes.get(i + 2) == Some(&b' ') => match b1 {
                0x83 => a_grave_word(text, i, prev),
                0x82 => lost_nbsp(i, prev),
                _ => None,
            },
            None => None,
        };
        if let Some(f) = found {
            next = f.range.end;
            out.push(f);
        }
        if let Some(end) = span_end {
            next = next.min(end);
        }
    }
}

/// One UTF-8 sequence spelled in single-byte characters.
#[derive(Clone, Copy, Debug)]
struct Seq {
    end: usize,
    value: Value,
    evidence: i32,
    /// The sequence needs a neighbour to be believed: a space stands for
    /// its last byte `A0` (a no-break space some program turned into a
    /// plain space), or a `?` for a lost byte of a two-byte sequence.
    open: bool,
    /// An ASCII `?` stands for a lost byte.
    question: bool,
}

/// What a sequence decodes to.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Value {
    Char(char),
    /// A byte was lost (written `�` or `?`): the sequence decodes to `�`.
    Lossy,
    /// Half of a UTF-16 surrogate pair spelled as UTF-8 (CESU-8).
    High(u32),
    Low(u32),
}

/// A run of adjacent sequences.
#[derive(Debug)]
struct Run {
    range: Range<usize>,
    seqs: usize,
    evidence: i32,
    lead: char,
    /// A lone sequence whose last byte is a space, before a word.
    lone_space: bool,
}

/// Reads the run of sequences starting at `start`, if any.
fn read_run(text: &str, start: usize) -> Option<Run> {
    let lead = text[start..].chars().next()?;
    let mut pos = start;
    let mut seqs = 0;
    let mut evidence = 0;
    // The run without its last sequence, for when that one cannot end it.
    let mut kept = (start, 0, 0);
    let (mut last_open, mut last_question, mut lone_space) = (false, false, false);
    while let Some(seq) = read_seq(text, pos) {
        let (end, count, ev) = match seq.value {
            Value::Char(_) | Value::Lossy => (seq.end, 1, seq.evidence),
            Value::High(_) => match read_seq(text, seq.end) {
                Some(
                    low @ Seq {
                        value: Value::Low(_),
                        ..
                    },
                ) => (low.end, 2, seq.evidence + low.evidence),
                _ => break,
            },
            Value::Low(_) => break,
        };
        kept = (pos, seqs, evidence);
        pos = end;
        seqs += count;
        evidence += ev;
        last_open = seq.open;
        last_question = seq.question;
    }
    if last_open {
        // A space in place of the last byte is believable next to another
        // sequence, or alone before a word (`Å veices` is `Šveices`), a `?`
        // in place of it only between other sequences.
        let before_word = text[pos..].chars().next().is_some_and(char::is_alphabetic);
        // (`Ã ` and `Â ` alone have rules of their own.)
        if last_question || (seqs == 1 && (matches!(lead, 'Ã' | 'Â') || !before_word)) {
            (pos, seqs, evidence) = kept;
        } else if seqs == 1 {
            lone_space = true;
        }
    }
    if seqs == 0 {
        return None;
    }
    Some(Run {
        range: start..pos,
        seqs,
        evidence,
        lead,
        lone_space,
    })
}

/// Reads one sequence at `pos`: a lead character and its continuation
/// characters.
fn read_seq(text: &str, pos: usize) -> Option<Seq> {
    let mut chars = text[pos..].chars();
    let lead = chars.next()?;
    let n = utf8_len(lead);
    if n == 0 {
        return None;
    }
    let mut bytes = [lead as u8, 0, 0, 0];
    let mut end = pos + lead.len_utf8();
    let (mut c1, mut rare, mut common) = (0, 0, 0);
    let (mut lossy, mut question, mut spaced, mut open) = (false, false, false, false);
    let mut weak_after_a = 0;
    for (k, slot) in bytes.iter_mut().enumerate().take(n).skip(1) {
        let c = chars.next()?;
        if let Some(b) = cont_byte(c) {
            *slot = b;
            if b < 0xa0 && c as u32 == u32::from(b) {
                c1 += 1;
            } else if common_after_letter(c) {
                common += 1;
                if matches!(c, '\u{2019}' | '\u{2026}') {
                    weak_after_a += 1;
                }
            } else {
                rare += 1;
            }
        } else if c == '\u{fffd}' {
            lossy = true;
        } else if c == '?' && !question {
            lossy = true;
            question = true;
        } else if c == ' ' && !spaced && space_lead(lead, n, k) {
            *slot = 0xa0;
            spaced = true;
            open = k == n - 1;
        } else {
            return None;
        }
        end += c.len_utf8();
    }
    let value = if lossy {
        Value::Lossy
    } else {
        decode(&bytes[..n])?
    };
    let evidence = if c1 > 0 {
        4
    } else {
        match n {
            4 => 4,
            3 if rare > 0 => 3,
            3 if common > 0 => 1,
            3 => 0,
            _ if lossy && !question => 2,
            _ if lossy || spaced => 0,
            // `Ã` and `Â` are rare letters and almost never end a word
            // before a symbol; only `’` and `…` are believable after them.
            _ if matches!(lead, 'Â' | 'Ã') => {
                if weak_after_a > 0 {
                    1
                } else {
                    3
                }
            }
            // Leads of Greek, Cyrillic, Hebrew and Arabic mojibake (and of
            // combining marks), which real text seldom puts before symbols.
            _ if matches!(lead, 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ð' | 'Ñ' | '×' | 'Ø' | 'Ù') => {
                if rare > 0 {
                    3
                } else {
                    1
                }
            }
            _ if rare == 0 => 0,
            _ => 2,
        }
    };
    Some(Seq {
        end,
        value,
        evidence,
        open: open || (question && n == 2),
        question,
    })
}

/// Decodes one UTF-8 sequence, strictly, except that surrogate halves are
/// returned for CESU-8 pairing.
fn decode(bytes: &[u8]) -> Option<Value> {
    match *bytes {
        [b0, b1] => {
            char::from_u32((u32::from(b0 & 0x1f) << 6) | u32::from(b1 & 0x3f)).map(Value::Char)
        }
        [b0, b1, b2] => {
            if b0 == 0xe0 && b1 < 0xa0 {
                return None;
            }
            let cp =
                (u32::from(b0 & 0x0f) << 12) | (u32::from(b1 & 0x3f) << 6) | u32::from(b2 & 0x3f);
            match cp {
                0xd800..=0xdbff => Some(Value::High(cp)),
                0xdc00..=0xdfff => Some(Value::Low(cp)),
                _ => char::from_u32(cp).map(Value::Char),
            }
        }
        [b0, b1, b2, b3] => {
            if (b0 == 0xf0 && b1 < 0x90) || (b0 == 0xf4 && b1 > 0x8f) {
                return None;
            }
            let cp = (u32::from(b0 & 0x07) << 18)
                | (u32::from(b1 & 0x3f) << 12)
                | (u32::from(b2 & 0x3f) << 6)
                | u32::from(b3 & 0x3f);
            char::from_u32(cp).map(Value::Char)
        }
        _ => None,
    }
}

/// Decodes the run at `range` of `text`, one level.
fn decode_run(text: &str, range: &Range<usize>) -> String {
    let mut out = String::with_capacity(range.len());
    let mut pos = range.start;
    while pos < range.end {
        let Some(seq) = read_seq(text, pos) else {
            break;
        };
        match seq.value {
            Value::Char(c) => out.push(c),
            Value::Lossy => out.push('\u{fffd}'),
            Value::High(h) => {
                if let Some(Seq {
                    value: Value::Low(l),
                    end,
                    ..
                }) = read_seq(text, seq.end)
                {
                    let cp = 0x10000 + ((h - 0xd800) << 10) + (l - 0xdc00);
                    out.extend(char::from_u32(cp));
                    pos = end;
                    continue;
                }
                break;
            }
            Value::Low(_) => break,
        }
        pos = seq.end;
    }
    out
}

/// Repairs what is left in `decoded`, one layer of a run read through a
/// code page, between `left` and `right`, the rest of its word (which the
/// inner layer is judged with, but not changed): text mangled through
/// Windows-1252 and the code page `page`, or through `page` several times
/// (with whether the text around trusts it).
///
/// Both readings are tried, Windows-1252 runs first with `page` in the
/// gaps, and `page` alone; when both read something, the one that leaves
/// the word less odd wins. (MacRoman twice makes layers in which Windows-1252 finds
/// runs by chance: `é–±` in `–ª—é–±–∏—Ç`, MacRoman for `любит`.)
fn deeper(left: &str, decoded: &str, right: &str, depth: u8, page: (usize, bool)) -> String {
    let mut word = String::with_capacity(left.len() + decoded.len() + right.len());
    word.push_str(left);
    word.push_str(decoded);
    word.push_str(right);
    let inside = left.len()..left.len() + decoded.len();
    let mut inner = Vec::new();
    scan(&word, &Spans::default(), None, None, depth, &mut inner);
    inner.retain(|f| f.score >= INNER);
    let mixed = if inner.is_empty() {
        None
    } else {
        let taken: Vec<Range<usize>> = inner.iter().map(|f| f.range.clone()).collect();
        pages::scan(&word, None, None, depth, &taken, Some(page), &mut inner);
        Some(splice(&word, &inside, inner))
    };
    let mut alone = Vec::new();
    pages::scan(&word, None, None, depth, &[], Some(page), &mut alone);
    let alone = splice(&word, &inside, alone);
    match mixed {
        None => alone,
        Some(mixed) if alone == decoded || mixed == alone => mixed,
        Some(mixed) => {
            // Less odd wins, and on a tie `page` alone: the same mistake
            // twice is the simpler story (`—Ö–æ–º` is `хом` through
            // MacRoman, not `—` and two Windows-1252 runs, `֖斺`).
            let odd = |layer: &str| pages::badness(&format!("{left}{layer}{right}"));
            if odd(&alone) <= odd(&mixed) {
                alone
            } else {
                mixed
            }
        }
    }
}

/// The part `inside` of `word` with the repairs `found` of at least
/// [`INNER`] that lie in it made.
fn splice(word: &str, inside: &Range<usize>, mut found: Vec<Found>) -> String {
    found
        .retain(|f| f.score >= INNER && f.range.start >= inside.start && f.range.end <= inside.end);
    found.sort_by_key(|f| f.range.start);
    let mut out = String::with_capacity(inside.len());
    let mut pos = inside.start;
    for f in &found {
        if f.range.start < pos {
            continue;
        }
        out.push_str(&word[pos..f.range.start]);
        out.push_str(&f.after);
        pos = f.range.end;
    }
    out.push_str(&word[pos..inside.end]);
    out
}

/// Decodes and scores a run; `None` when it is not worth reporting.
fn judge(
    text: &str,
    run: &Run,
    (prev2, prev): (Option<char>, Option<char>),
    outer_after: Option<char>,
    depth: u8,
) -> Option<Found> {
    let mut rest = text[run.range.end..].chars();
    let next = rest.next().or(outer_after);
    // Directly followed by a lead whose next character Windows-1252 cannot
    // write (`×‘×”×•×“×˘`), the run is part of mojibake from another code
    // page; decoding only part of it would leave a mixture.
    if next.is_some_and(|c| utf8_len(c) > 0) && rest.next().is_some_and(|c| !representable(c)) {
        return None;
    }
    let mut score = run.evidence + (run.seqs as i32 - 1);
    // An accented capital right after a lowercase letter is camel case,
    // rare in real text and typical of mojibake (`nÃ©`, `frÃ¨res`).
    if run.lead.is_uppercase() && prev.is_some_and(char::is_lowercase) {
        score += 1;
    }
    // An accented capital directly after a capital may belong to a word in
    // capitals (`MISUTÂ\u{a0}`): a no-break space after it is weak.
    if run.seqs == 1
        && run.lead == 'Â'
        && text[run.range.clone()].ends_with('\u{a0}')
        && prev.is_some_and(char::is_uppercase)
    {
        score -= 2;
    }
    // Penalties only lower the score and the fit bonus adds at most 1: skip
    // the decoding when even the best case cannot reach the bar.
    if score + 1 < INNER && !run.lone_space {
        return None;
    }
    let mut decoded = decode_run(text, &run.range);
    if depth < MAX_DEPTH {
        let mut inner = Vec::new();
        scan(
            &decoded,
            &Spans::default(),
            prev,
            next,
            depth + 1,
            &mut inner,
        );
        if !inner.is_empty() {
            let mut spliced = String::with_capacity(decoded.len());
            let mut pos = 0;
            for f in &inner {
                spliced.push_str(&decoded[pos..f.range.start]);
                spliced.push_str(&f.after);
                pos = f.range.end;
            }
            spliced.push_str(&decoded[pos..]);
            decoded = spliced;
        }
    }
    // C1 controls left after decoding were Windows-1252 bytes read as
    // Latin-1 one level down (`Â\u{80}` is `€`).
    if decoded.chars().any(is_c1) {
        let mut mapped = String::with_capacity(decoded.len());
        for c in decoded.chars() {
            mapped.push(if is_c1(c) { windows_1252(c)? } else { c });
        }
        decoded = mapped;
    }
    let (penalty, fits) = plausibility(&decoded, (prev2, prev), next, run.seqs == 1 && depth == 0)?;
    if run.lone_space {
        // `Å veices` may be `Šveices`, or Swedish `Å` before a word: only
        // ever a suggestion, and only when nothing else is wrong.
        score = if penalty == 0 { SUGGEST } else { return None };
    } else {
        // Completing a word is a bonus only for runs with real evidence of
        // their own (not for `Ã’s`).
        score += penalty + i32::from(fits && run.evidence >= 2);
    }
    (score >= INNER).then(|| Found {
        range: run.range.clone(),
        after: decoded,
        score,
        lone_pair: run.seqs == 1 && utf8_len(run.lead) == 2,
        c1: false,
        page: None,
    })
}

/// Scores decoded text in its context: `None` if it cannot be right, else
/// the points lost to unlikely shapes (zero or less) and whether it
/// completes a word of Latin letters.
fn plausibility(
    decoded: &str,
    (prev2, prev): (Option<char>, Option<char>),
    next: Option<char>,
    single: bool,
) -> Option<(i32, bool)> {
    let mut score = 0;
    let mut fits = false;
    let (mut left2, mut left) = (prev2, prev);
    let mut chars = decoded.chars().peekable();
    while let Some(d) = chars.next() {
        let right = chars.peek().copied().or(next);
        if impossible(d) {
            return None;
        }
        let letter_left = left.is_some_and(char::is_alphabetic);
        let letter_right = right.is_some_and(char::is_alphabetic);
        if is_ipa_or_modifier(d) {
            score -= 3;
        } else if unicode_normalization::char::is_combining_mark(d) {
            if left.is_none_or(char::is_whitespace) {
                score -= 2;
            }
        } else if is_latin_letter(d) {
            if d.is_lowercase()
                && left.is_some_and(char::is_uppercase)
                && !right.is_some_and(char::is_lowercase)
                && (left2.is_some_and(char::is_uppercase) || right.is_some_and(char::is_uppercase))
            {
                // The end of a word in capitals: `AHÅ™` is not `AHř` (but
                // `JÃ¡` is `Já`).
                score -= 3;
            } else if d.is_uppercase() && left.is_some_and(char::is_lowercase) {
                score -= 2;
            } else if !d.is_ascii()
                && (left.is_some_and(is_latin_letter) || right.is_some_and(is_latin_letter))
            {
                fits = true;
            }
        } else if d.is_alphabetic() {
            let digit_by =
                left.is_some_and(char::is_numeric) || right.is_some_and(char::is_numeric);
            if single
                && !letter_left
                && !letter_right
                && digit_by
                && (0x370..0x800).contains(&(d as u32))
            {
                // A lone Greek, Cyrillic, Armenian, Hebrew or Arabic letter
                // (the range an accented capital and a symbol decode to)
                // against a number: `5×£35` is not `5ף35`. (Between spaces
                // it may be a word, as Russian `и`.)
                score -= 3;
            }
            if is_wide_script(d)
                && (left.is_some_and(is_latin_letter) || right.is_some_and(is_latin_letter))
            {
                score -= 2;
            }
        }
        left2 = left;
        left = Some(d);
    }
    Some((score, fits))
}

/// The `à` of French (and Portuguese `às`, `àquele`) whose no-break space
/// became a plain space: `voilÃ le travail`, `Ã s crianças`.
fn a_grave_word(text: &str, i: usize, prev: Option<char>) -> Option<Found> {
    if !prev.is_none_or(|p| {
        p.is_whitespace()
            || p.is_lowercase()
            || matches!(p, '\'' | '\u{2019}' | '(' | '"' | '\u{201c}' | '\u{ab}')
    }) {
        return None;
    }
    let rest = &text[i + 3..];
    let (end, after) = if let Some(more) = rest.strip_prefix(' ') {
        // Two spaces: the first one was the no-break space.
        if !more.chars().next().is_some_and(char::is_lowercase) {
            return None;
        }
        (i + 3, "à")
    } else {
        if !rest.chars().next().is_some_and(char::is_lowercase) {
            return None;
        }
        if rest.starts_with("s ") {
            (i + 4, "às")
        } else if ["quele", "quela", "quilo"]
            .iter()
            .any(|w| rest.starts_with(w))
        {
            // Portuguese `àquele`, `àquela`, `àquilo` (not French `à quel`).
            (i + 3, "à")
        } else {
            (i + 2, "à")
        }
    };
    Some(Found {
        range: i..end,
        after: after.to_string(),
        score: FIX,
        lone_pair: false,
        c1: false,
        page: None,
    })
}

/// A no-break space read as `Â\u{a0}` whose `\u{a0}` then became a plain
/// space (`endÂ  of`, `Â Hello`): after a lowercase letter or punctuation
/// it is certain, after a space or digit a suggestion; after a capital the
/// `Â` may end a word in capitals.
fn lost_nbsp(i: usize, prev: Option<char>) -> Option<Found> {
    let score = match prev {
        Some(p)
            if p.is_lowercase()
                || matches!(
                    p,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '"'
                        | '\''
                        | '\u{2019}'
                        | '\u{201d}'
                ) =>
        {
            FIX
        }
        Some(p) if p.is_whitespace() || p.is_ascii_digit() => SUGGEST,
        None => SUGGEST,
        Some(_) => return None,
    };
    Some(Found {
        range: i..i + 3,
        after: "\u{a0}".to_string(),
        score,
        lone_pair: true,
        c1: false,
        page: None,
    })
}

/// The number of bytes of the UTF-8 sequence that `lead`, read as a
/// Windows-1252 byte, starts; 0 if it starts none.
fn utf8_len(lead: char) -> usize {
    match lead {
        '\u{c2}'..='\u{df}' => 2,
        '\u{e0}'..='\u{ef}' => 3,
        '\u{f0}'..='\u{f4}' => 4,
        _ => 0,
    }
}

/// The continuation byte (`80..BF`) that `c` stands for in Windows-1252,
/// or for a C1 control in Latin-1.
fn cont_byte(c: char) -> Option<u8> {
    match c as u32 {
        0x80..=0xbf => Some(c as u8),
        0x100.. => HIGH.iter().position(|&h| h == c).map(|k| 0x80 + k as u8),
        _ => None,
    }
}

/// Returns true if byte `k` of a sequence led by `lead` may be an `A0`
/// that became a space: for leads that make likely characters with it
/// (the list ftfy settled on), as the last byte, or as the middle one after
/// `â` and `ã` (`â €` is the blank U+2800).
fn space_lead(lead: char, n: usize, k: usize) -> bool {
    match (n, k) {
        (2, 1) => matches!(lead, 'Â' | 'Ã' | 'Å' | 'Î' | 'Ð' | 'Ù'),
        (3, 2) => matches!(lead, 'à' | 'á' | 'â' | 'ã'),
        (3, 1) => matches!(lead, 'â' | 'ã'),
        _ => false,
    }
}

/// Returns true for symbols that real text often puts right after a
/// letter, which are weak evidence of mojibake.
fn common_after_letter(c: char) -> bool {
    matches!(
        c,
        '\u{a0}'
            | '\u{2019}'
            | '\u{201d}'
            | '\u{bb}'
            | '\u{2026}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2122}'
            | '\u{ae}'
            | '\u{b7}'
            | '\u{b4}'
            | '\u{203a}'
    )
}

/// Returns true if a run right after `c` would be the tail of a garble:
/// `c` is a continuation character that seldom stands alone before a word.
/// C1 controls do not count: they are repaired or removed on their own,
/// and the run must not depend on which.
fn garble_tail(c: char) -> bool {
    cont_byte(c).is_some()
        && !is_c1(c)
        && !common_after_letter(c)
        && !matches!(
            c,
            '\u{201c}' | '\u{2018}' | '\u{ab}' | '\u{201e}' | '\u{a1}' | '\u{bf}' | '\u{2022}'
        )
}

/// Returns true for characters Windows-1252 (or Latin-1) can write.
fn representable(c: char) -> bool {
    (c as u32) < 0x100 || HIGH.contains(&c)
}

/// Returns true for letters outside Windows-1252.
fn foreign_letter(c: char) -> bool {
    c.is_alphabetic() && !representable(c)
}

/// Returns true for the scripts only multi-byte code pages write: Han,
/// kana and Hangul (Big5, GBK, Shift JIS, EUC-KR).
fn multibyte_script(c: char) -> bool {
    matches!(
        c as u32,
        0x1100..=0x11ff
            | 0x3040..=0x30ff
            | 0x3130..=0x318f
            | 0x31f0..=0x31ff
            | 0x3400..=0x4dbf
            | 0x4e00..=0x9fff
            | 0xac00..=0xd7af
            | 0xf900..=0xfaff
            | 0xff66..=0xff9f
            | 0x20000..=0x3134f
    )
}

/// Returns true for C1 control characters.
fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// The Windows-1252 character for the byte a C1 control stands for, or
/// `None` for the five bytes Windows-1252 leaves undefined.
fn windows_1252(c: char) -> Option<char> {
    let mapped = HIGH[c as usize - 0x80];
    (mapped != c).then_some(mapped)
}

/// Returns true for characters no repair may produce: code points that
/// are unassigned (as of the Unicode version of `unicode-general-category`),
/// noncharacters (unassigned too), private use and surrogates. Real text
/// holds none of them, so a reading that makes one is wrong (`аії` read
/// through Windows-1251 spells U+0CFF).
fn impossible(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory};
    !c.is_ascii()
        && matches!(
            get_general_category(c),
            GeneralCategory::Unassigned | GeneralCategory::PrivateUse | GeneralCategory::Surrogate
        )
}

/// Returns true for IPA letters, spacing modifiers and phonetic extensions,
/// which accented capitals before punctuation decode to by accident.
fn is_ipa_or_modifier(c: char) -> bool {
    matches!(c as u32, 0x250..=0x2ff | 0x1d00..=0x1dbf)
}

/// Returns true for Latin letters.
fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic()
        && (c.is_ascii_alphabetic()
            || matches!(c as u32, 0xaa | 0xba | 0xc0..=0x24f | 0x1e00..=0x1eff | 0x2c60..=0x2c7f | 0xa720..=0xa7ff | 0xab30..=0xab6f | 0xfb00..=0xfb06))
        && !matches!(c, '×' | '÷')
}

/// Returns true for letters of scripts written without spaces next to
/// Latin (CJK, kana, Hangul, Yi).
fn is_wide_script(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c as u32, 0x1100..=0x11ff | 0x2e80..=0xa4cf | 0xac00..=0xd7af | 0xf900..=0xfaff | 0x20000..)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> String {
        repair(text).unwrap_or_else(|| text.to_string())
    }

    /// Numbered cases, `(input, output)`: made-up text in the shapes the
    /// pass must repair, and look-alikes it must leave.
    const CASES: &[(&str, &str)] = &[
        // 0: Windows-1252 once.
        ("Ren\u{c3}\u{a9}e", "Ren\u{e9}e"),
        ("\u{c3}\u{2030}cole", "\u{c9}cole"),
        ("na\u{c3}\u{af}ve", "na\u{ef}ve"),
        ("ZUR\u{c3}\u{153}CK", "ZUR\u{dc}CK"),
        ("we\u{e2}\u{20ac}\u{2122}re", "we\u{2019}re"),
        // 5: emoji, CESU-8 pairs, symbols.
        ("\u{f0}\u{178}\u{2122}\u{201a}", "\u{1f642}"),
        ("\u{ed}\u{a0}\u{bd}\u{ed}\u{b8}\u{80}", "\u{1f600}"),
        ("\u{e2}\u{153}\u{201d} done", "\u{2714} done"),
        ("\u{ef}\u{bf}\u{bd}", "\u{fffd}"),
        ("x \u{e2}\u{2030}\u{a5} y", "x \u{2265} y"),
        // 10: twice, three times, Latin-1 controls.
        ("\u{c3}\u{83}\u{c2}\u{a9}t\u{c3}\u{83}\u{c2}\u{a9}", "\u{e9}t\u{e9}"),
        (
            "it\u{c3}\u{192}\u{c2}\u{a2}\u{c3}\u{a2}\u{e2}\u{20ac}\u{161}\u{c2}\u{ac}\u{c3}\u{a2}\u{e2}\u{20ac}\u{17e}\u{c2}\u{a2}s",
            "it\u{2019}s",
        ),
        ("\u{e2}\u{80}\u{99}", "\u{2019}"),
        ("\u{c2}\u{80}5", "\u{20ac}5"),
        ("dash\u{96}here", "dash\u{2013}here"),
        // 15: other scripts.
        ("\u{d7}\u{a9}\u{d7}\u{9c}\u{d7}\u{95}\u{d7}\u{9d}", "\u{5e9}\u{5dc}\u{5d5}\u{5dd}"),
        ("\u{d8}\u{b3}\u{d9}\u{84}\u{d8}\u{a7}\u{d9}\u{2026}", "\u{633}\u{644}\u{627}\u{645}"),
        ("\u{e6}\u{9d}\u{b1}\u{e4}\u{ba}\u{ac}", "\u{6771}\u{4eac}"),
        ("\u{d0} \u{d1}\u{192}\u{d1}\u{81}", "\u{420}\u{443}\u{441}"),
        ("Vi\u{e1}\u{bb}\u{2021}t", "Vi\u{1ec7}t"),
        // 20: lost bytes.
        ("\u{e2}\u{20ac}\u{153}q\u{e2}\u{20ac}\u{fffd}", "\u{201c}q\u{fffd}"),
        ("x\u{c4}\u{fffd}y", "x\u{fffd}y"),
        // 22: a no-break space turned into a space.
        ("jusqu'\u{c3} demain", "jusqu'\u{e0} demain"),
        ("\u{c3} s cinco", "\u{e0}s cinco"),
        ("a\u{c3}  b", "a\u{e0} b"),
        // 25: look-alikes that stay.
        ("CAF\u{c9}\u{ae}", "CAF\u{c9}\u{ae}"),
        ("\u{c9}\u{bf}", "\u{c9}\u{bf}"),
        ("IRM\u{c3}\u{2019}S", "IRM\u{c3}\u{2019}S"),
        ("5\u{d7}\u{a3}3", "5\u{d7}\u{a3}3"),
        ("M\u{c4}\u{a3}\u{c4}M", "M\u{c4}\u{a3}\u{c4}M"),
        // 30
        ("pr\u{e1}\u{b4}\u{b4}", "pr\u{e1}\u{b4}\u{b4}"),
        ("\u{e0}\u{a0}", "\u{e0}\u{a0}"),
        ("N\u{c3}\u{2026}", "N\u{c3}\u{2026}"),
        ("TOT\u{c2}\u{a0}X", "TOT\u{c2}\u{a0}X"),
        ("S \u{c3} O", "S \u{c3} O"),
        // 35: a garble is left whole; undefined controls stay.
        ("\u{e3}\u{2020}\u{e2}\u{20ac}\u{2122}\u{e3}", "\u{e3}\u{2020}\u{e2}\u{20ac}\u{2122}\u{e3}"),
        ("x\u{81}y", "x\u{81}y"),
        // Windows-1251 (whose undefined byte 98 a sloppy decoder reads as
        // the C1 control) explains this one.
        ("\u{420}\u{98}", "\u{418}"),
        // 38: French `à quel` is not Portuguese `àquele`.
        ("\u{c3} quelle heure, \u{c3} quela", "\u{e0} quelle heure, \u{e0}quela"),
    ];

    #[test]
    fn cases() {
        for (k, (input, want)) in CASES.iter().enumerate() {
            assert_eq!(&fixed(input), want, "case {k}: {input:?}");
            assert_eq!(&fixed(want), want, "case {k} again: {want:?}");
        }
    }

    #[test]
    fn table_comes_from_windows_1252() {
        assert_eq!(HIGH[0], '€');
        assert_eq!(HIGH[0x19], '™');
        assert_eq!(HIGH[1], '\u{81}');
        assert_eq!(cont_byte('€'), Some(0x80));
        assert_eq!(cont_byte('\u{9d}'), Some(0x9d));
        assert_eq!(cont_byte('©'), Some(0xa9));
        assert_eq!(cont_byte('a'), None);
        assert_eq!(cont_byte('Ã'), None);
        assert_eq!(windows_1252('\u{93}'), Some('“'));
        assert_eq!(windows_1252('\u{8d}'), None);
    }

    #[test]
    fn sequences_decode_strictly() {
        assert_eq!(decode(&[0xc3, 0xa9]), Some(Value::Char('é')));
        assert_eq!(decode(&[0xe0, 0x80, 0x80]), None);
        assert_eq!(decode(&[0xed, 0xa0, 0xbd]), Some(Value::High(0xd83d)));
        assert_eq!(decode(&[0xf4, 0x90, 0x80, 0x80]), None);
        assert_eq!(decode(&[0xf0, 0x9f, 0x98, 0x80]), Some(Value::Char('😀')));
    }

    #[test]
    fn evidence_weighs_the_symbol() {
        let ev = |s: &str| read_seq(s, 0).map(|q| q.evidence);
        assert_eq!(ev("Ã©"), Some(3));
        assert_eq!(ev("Ã’"), Some(1));
        assert_eq!(ev("É®"), Some(0));
        assert_eq!(ev("Å¡"), Some(2));
        assert_eq!(ev("Î³"), Some(3));
        assert_eq!(ev("â€™"), Some(3));
        assert_eq!(ev("ë…”"), Some(1));
        assert_eq!(ev("â\u{80}\u{99}"), Some(4));
        assert_eq!(ev("ðŸ˜€"), Some(4));
        assert_eq!(ev("é!"), None);
    }

    #[test]
    fn clean_text_is_not_scanned_further() {
        let mut found = Vec::new();
        scan(
            "plain text, caf\u{e9} \u{201c}ok\u{201d} \u{a3}5",
            &Spans::default(),
            None,
            None,
            0,
            &mut found,
        );
        assert!(found.is_empty());
        assert!(plan(
            "caf\u{e9}",
            &Spans::default(),
            Switches {
                runs: true,
                c1: true
            }
        )
        .is_empty());
    }
}
