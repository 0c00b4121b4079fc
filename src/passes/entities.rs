//! The entity pass: HTML character references left in plain text.
//!
//! Scrapers that take text out of HTML without decoding it leave `&amp;`,
//! `&quot;`, `&#8217;` and their doubly escaped forms (`&amp;#8217;`) in the
//! copy. Some pipelines then lose the ampersand, replacing it with a space:
//! the AG News corpus is full of `doesn #39;t`, `the  #36;10 million` and
//! `Johnson  amp; Johnson`. This pass decodes all three shapes, with the
//! full WHATWG table of named references (from the `htmlize` crate).
//!
//! It runs first, so the characters it produces (a no-break space from
//! `&nbsp;`, a soft hyphen from `&shy;`) are seen and normalised by the
//! unicode pass after it. A reference whose decoded text would itself start
//! a reference (`&amp;amp;`, `&#38;#8217;`) is decoded to the end in one
//! edit, so a second run finds nothing: the output is idempotent.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use crate::edit::{Edit, Level};
use crate::passes::pieces::{find_in_pieces, line_pieces};
use crate::passes::plain::next_unusual;
use crate::passes::{Context, Pass};

/// Rule id: a named or numeric character reference (`&amp;`, `&#8217;`).
pub const HTML_ENTITY: &str = "html-entity";
/// Rule id: a reference escaped twice or more (`&amp;quot;`, `&amp;#39;`).
pub const DOUBLE_ESCAPED: &str = "html-entity-double-escaped";
/// Rule id: a reference that lost its `&` (`#39;s`, ` quot;`).
pub const MISSING_AMPERSAND: &str = "html-entity-missing-ampersand";

static ID_ENTITY: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(HTML_ENTITY));
static ID_DOUBLE: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(DOUBLE_ESCAPED));
static ID_MISSING: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(MISSING_AMPERSAND));
static WHY_ENTITY: LazyLock<Arc<str>> =
    LazyLock::new(|| Arc::from("An HTML character reference was left undecoded by the scraper."));
static WHY_DOUBLE: LazyLock<Arc<str>> = LazyLock::new(|| {
    Arc::from("An HTML character reference was escaped twice; it is decoded fully.")
});
static WHY_MISSING: LazyLock<Arc<str>> = LazyLock::new(|| {
    Arc::from(
        "An HTML character reference lost its `&` (often turned into a space) on the way \
         through a scraper; the reference and that space are replaced by the character.",
    )
});

/// The longest reference body looked at, in bytes (`&CounterClockwiseContourIntegral;`
/// is the longest named one; numbers are capped well below this).
const MAX_BODY: usize = 40;

/// Names decoded even without their `&`. Followed by `;` and not preceded
/// by a letter or digit, none of them occurs in news copy except as a
/// damaged reference: all 595 `quot;` and 105 `amp;` in the AG News
/// descriptions are. (`amp` is also a word, but `amp;` after a space was
/// found nowhere in the BBC or benchmark articles.)
const BARE_NAMES: &[&str] = &[
    "amp", "apos", "bdquo", "gt", "hellip", "laquo", "ldquo", "lsquo", "lt", "mdash", "middot",
    "nbsp", "ndash", "quot", "raquo", "rdquo", "rsquo", "sbquo",
];

/// Decodes HTML character references.
pub struct Entities;

impl Pass for Entities {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        // Every reference this pass decodes ends in `;`.
        if memchr::memchr(b';', text.as_bytes()).is_none() {
            return;
        }
        // No reference spans a line, so a long text is taken a piece of
        // whole lines at a time (of the schedule's size), on every core:
        // the view of it built in `decode` (a copy without invisible
        // characters) then costs a piece, not the whole text.
        let ranges: Vec<_> = line_pieces(text.as_bytes(), cx.piece, 0).collect();
        find_in_pieces(&ranges, cx.piece, out, |lines, out| {
            if lines == (0..text.len()) {
                return decode(text, cx, out);
            }
            let protected = cx.protected.within(&lines);
            let part = Context {
                protected: &protected,
                disabled: cx.disabled,
                check_quotes: cx.check_quotes,
                within: None,
                languages: None,
                blocks: None,
                piece: usize::MAX,
            };
            let first = out.len();
            decode(&text[lines.clone()], &part, out);
            for e in &mut out[first..] {
                e.range = e.range.start + lines.start..e.range.end + lines.start;
            }
        });
    }
}

/// Decodes the references of `text` (a whole text or a chunk of lines).
fn decode(text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
    let invisible = |at: usize, c: char| removed_by_unicode_pass(at, c, cx);
    let raw = next_invisible(text, 0, &invisible).is_some();
    let mut hidden = invisible_references(text, cx);
    if !raw && hidden.is_empty() {
        scan(text, text, |r| r, cx, out);
        return;
    }
    // The unicode pass, which runs next, removes invisible characters,
    // and a reference with one inside (`&am\u{ad}p;`, `#&shy;39;`)
    // would then appear in a second run. So references are found in a
    // view without them (and without references to them), and each
    // edit covers what was hidden inside it.
    // The view keeps runs of the text between invisible characters;
    // `map` takes a view offset back to the text, one entry per run,
    // so it stays small however long the text is.
    let mut view = String::with_capacity(text.len());
    let mut map = OffsetMap::default();
    let mut pos = 0;
    while let Some((at, c)) = next_invisible(text, pos, &invisible) {
        map.push(view.len(), pos);
        view.push_str(&text[pos..at]);
        pos = at + c.len_utf8();
    }
    map.push(view.len(), pos);
    view.push_str(&text[pos..]);
    hidden.clear();
    let mut refs: Vec<(Range<usize>, Found)> = Vec::new();
    // A hidden reference may hide another (`&&shy;shy;`); a few rounds
    // cover every realistic case and keep the pass linear.
    for _ in 0..3 {
        let found = invisible_references(&view, cx);
        if found.is_empty() {
            break;
        }
        let mut next = String::with_capacity(view.len());
        let mut next_map = OffsetMap::default();
        let mut pos = 0;
        for f in &found {
            next_map.push_run(&map, pos..f.range.start, next.len());
            next.push_str(&view[pos..f.range.start]);
            pos = f.range.end;
        }
        next_map.push_run(&map, pos..view.len(), next.len());
        next.push_str(&view[pos..]);
        for f in found {
            let range = map.at(f.range.start)..map.at(f.range.end - 1) + 1;
            refs.push((range, f));
        }
        view = next;
        map = next_map;
    }
    let mut edits = Vec::new();
    scan(
        text,
        &view,
        |r| map.at(r.start)..map.at(r.end - 1) + 1,
        cx,
        &mut edits,
    );
    // References to invisible characters not swallowed by a larger
    // edit are decoded on their own (the unicode pass removes them).
    for (range, f) in refs {
        if cx.enabled(f.rule) && !cx.protected.overlaps(&range) {
            edits.push(edit_for(text, range, f));
        }
    }
    edits.sort_by_key(|e| (e.range.start, std::cmp::Reverse(e.range.end)));
    let mut end = 0;
    for e in edits {
        if e.range.start >= end {
            end = e.range.end;
            out.push(e);
        }
    }
}

/// The first character at or after `from` for which `invisible` holds,
/// with its offset. Printable ASCII, tabs and line ends, which are never
/// removed, are skipped without decoding.
fn next_invisible(
    text: &str,
    from: usize,
    invisible: &impl Fn(usize, char) -> bool,
) -> Option<(usize, char)> {
    let mut i = from;
    while let Some(at) = next_unusual(text.as_bytes(), i) {
        let c = text[at..].chars().next().expect("a char boundary");
        if invisible(at, c) {
            return Some((at, c));
        }
        i = at + c.len_utf8();
    }
    None
}

/// Maps offsets of a view of the text (the text with some characters
/// left out) back to the text: one `(view, text)` pair per run copied.
#[derive(Debug, Default)]
struct OffsetMap(Vec<(usize, usize)>);

impl OffsetMap {
    /// Starts a run: view offset `view` is text offset `text`.
    fn push(&mut self, view: usize, text: usize) {
        match self.0.last_mut() {
            // A run that goes on where the last one ends adds nothing.
            Some(&mut (v, t)) if view > v && text.checked_sub(t) == Some(view - v) => {}
            // The last run was empty: this one replaces it.
            Some(last) if last.0 == view => *last = (view, text),
            _ => self.0.push((view, text)),
        }
    }

    /// The text offset of view offset `view`.
    fn at(&self, view: usize) -> usize {
        let k = self.0.partition_point(|&(v, _)| v <= view) - 1;
        self.0[k].1 + (view - self.0[k].0)
    }

    /// Appends the mapping of `run` of the view `old` maps, now starting
    /// at view offset `at`.
    fn push_run(&mut self, old: &OffsetMap, run: Range<usize>, at: usize) {
        if run.is_empty() {
            return;
        }
        let mut k = old.0.partition_point(|&(v, _)| v <= run.start) - 1;
        let mut v = run.start;
        while v < run.end {
            self.push(at + (v - run.start), old.0[k].1 + (v - old.0[k].0));
            k += 1;
            v = old.0.get(k).map_or(run.end, |&(next, _)| next.min(run.end));
        }
    }
}

/// Finds the `&` references in `text` that decode to one character the
/// unicode pass removes (`&shy;`, `&#8203;`, `&amp;zwj;`).
fn invisible_references(text: &str, cx: &Context<'_>) -> Vec<Found> {
    let mut out = Vec::new();
    let mut consumed = 0;
    for p in memchr::memchr_iter(b'&', text.as_bytes()) {
        if p < consumed {
            continue;
        }
        let Some((first, end, level)) = reference_after_ampersand(text, p + 1) else {
            continue;
        };
        let found = finish(text, p, end, first, level, HTML_ENTITY);
        let mut chars = found.decoded.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if removed_by_unicode_pass(p, c, cx) {
                consumed = found.range.end;
                out.push(found);
            }
        }
    }
    out
}

/// Finds the references in `view` (the text, or the text without its
/// invisible characters) and reports them against `text`, `to_text`
/// mapping a range of the view to the text.
fn scan(
    text: &str,
    view: &str,
    to_text: impl Fn(Range<usize>) -> Range<usize>,
    cx: &Context<'_>,
    out: &mut Vec<Edit>,
) {
    let mut consumed = 0;
    for semi in memchr::memchr_iter(b';', view.as_bytes()) {
        if semi < consumed {
            continue;
        }
        let Some(found) = reference_ending_at(view, semi, consumed) else {
            continue;
        };
        let range = to_text(found.range.clone());
        if !cx.enabled(found.rule) || cx.protected.overlaps(&range) {
            continue;
        }
        consumed = found.range.end;
        out.push(edit_for(text, range, found));
    }
}

/// The edit for `found`, over `range` of `text`.
fn edit_for(text: &str, range: Range<usize>, found: Found) -> Edit {
    let (id, why) = match found.rule {
        DOUBLE_ESCAPED => (&*ID_DOUBLE, &*WHY_DOUBLE),
        MISSING_AMPERSAND => (&*ID_MISSING, &*WHY_MISSING),
        _ => (&*ID_ENTITY, &*WHY_ENTITY),
    };
    Edit::new(id, found.level, text, range, Some(found.decoded), why)
}

/// Returns true for a character the unicode pass removes wherever it
/// stands (unless the user switched that repair off): zero-width
/// characters, soft hyphens, a BOM past the start, non-separator controls.
fn removed_by_unicode_pass(at: usize, c: char, cx: &Context<'_>) -> bool {
    use crate::passes::unicode;
    let rule = match c {
        '\u{200b}' | '\u{2060}' => unicode::ZERO_WIDTH,
        '\u{200c}' | '\u{200d}' => unicode::STRAY_JOINER,
        '\u{ad}' => unicode::SOFT_HYPHEN,
        '\u{feff}' if at > 0 => unicode::STRAY_BOM,
        _ if unicode::is_removable_control(c) && !unicode::is_separator_control(c) => {
            unicode::CONTROL
        }
        _ => return false,
    };
    cx.enabled(rule)
}

/// A reference found in the text, ready to become an edit.
#[derive(Debug, PartialEq, Eq)]
struct Found {
    rule: &'static str,
    level: Level,
    range: Range<usize>,
    decoded: String,
}

/// Finds the reference whose `;` is at `semi`, starting at or after
/// `floor`, and decodes it (with any reference its output starts).
fn reference_ending_at(text: &str, semi: usize, floor: usize) -> Option<Found> {
    let bytes = text.as_bytes();
    // The body: the alphanumerics right before `;`.
    let mut b = semi;
    while b > floor && semi - b < MAX_BODY && bytes[b - 1].is_ascii_alphanumeric() {
        b -= 1;
    }
    if b == semi || (b > floor && bytes[b - 1].is_ascii_alphanumeric()) {
        return None;
    }
    let body = &text[b..semi];
    let before = |k: usize| (k > floor).then(|| bytes[k - 1]);
    match before(b) {
        Some(b'&') => {
            if body == "amp" && in_query_string(&text[floor..b - 1]) {
                return None;
            }
            let (decoded, level) = decode_named(body)?;
            Some(finish(text, b - 1, semi + 1, decoded, level, HTML_ENTITY))
        }
        Some(b'#') if before(b - 1) == Some(b'&') => {
            let c = decode_number(body)?;
            Some(finish(text, b - 2, semi + 1, c, Level::Fix, HTML_ENTITY))
        }
        Some(b'#') => {
            // `#39;` with its `&` lost: digits only, a plausible character.
            if !body.bytes().all(|d| d.is_ascii_digit()) || body.len() > 7 {
                return None;
            }
            let c = decode_number(body).filter(|&c| plausible_bare(c))?;
            // An apostrophe standing alone between spaces may be no
            // apostrophe: `Issue #39; was closed` names issue 39.
            let alone = before(b - 1) == Some(b' ')
                && bytes.get(semi + 1).is_none_or(|n| n.is_ascii_whitespace());
            let level = if (c.is_ascii() && !matches!(c, '"' | '$' | '&' | '\'' | '<' | '>'))
                || (alone
                    && matches!(c, '\'' | '\u{2019}')
                    && !certain_apostrophe(text, b - 1, semi + 1))
            {
                Level::Suggest
            } else {
                Level::Fix
            };
            let start = lost_ampersand_start(bytes, b - 1, floor);
            Some(finish(text, start, semi + 1, c, level, MISSING_AMPERSAND))
        }
        _ => {
            if !BARE_NAMES.contains(&body) {
                return None;
            }
            let (decoded, _) = decode_named(body)?;
            let start = lost_ampersand_start(bytes, b, floor);
            Some(finish(
                text,
                start,
                semi + 1,
                decoded,
                Level::Fix,
                MISSING_AMPERSAND,
            ))
        }
    }
}

/// Returns true if the bare apostrophe reference over `hash..end` (`#39;`
/// with its `&` lost, a space before it and none after) is one all the
/// same, as it is in running text:
///
/// - after a word ending in `s`, the possessive of a plural (`players #39;
///   fault`);
/// - next to another one, two apostrophes for a double quote (`#39; #39;`);
/// - closing a quote the line opened (`the  #39;rebel #39; faction`: the
///   opening one follows two spaces, its own and the lost `&`, or starts
///   the line, and is glued to the next word).
fn certain_apostrophe(text: &str, hash: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let reference = &text[hash..end];
    if hash >= 2 && matches!(bytes[hash - 2], b's' | b'S') {
        return true;
    }
    if text[end..].trim_start_matches(' ').starts_with(reference)
        || text[..hash].trim_end_matches(' ').ends_with(reference)
    {
        return true;
    }
    let line = &text[text[..hash].rfind('\n').map_or(0, |k| k + 1)..hash];
    line.rfind(reference).is_some_and(|k| {
        let opens = k == 0 || line[..k].ends_with("  ");
        let glued = line[k + reference.len()..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        opens && glued
    })
}

/// Returns true if `before` ends in the query string of a URL (`x.com/a?b=1`,
/// with or without a scheme): there `&amp;` is left as it is, one rule for
/// every URL, whether or not it was found as a protected span.
fn in_query_string(before: &str) -> bool {
    let token = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let Some(q) = token.find('?') else {
        return false;
    };
    let path = &token[..q];
    let host = path
        .split("://")
        .last()
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("");
    path.contains('/') && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
}

/// The start of a damaged reference at `at`: one space before it stands
/// for the lost `&` and goes too.
fn lost_ampersand_start(bytes: &[u8], at: usize, floor: usize) -> usize {
    if at > floor && bytes[at - 1] == b' ' {
        at - 1
    } else {
        at
    }
}

/// Builds the finding for a reference over `start..end` that decodes to
/// `first`, following the chain when the output itself starts a reference.
fn finish(
    text: &str,
    start: usize,
    end: usize,
    first: impl Into<Decoded>,
    level: Level,
    rule: &'static str,
) -> Found {
    let mut decoded = String::new();
    let mut end = end;
    let mut level = level;
    let mut rule = rule;
    let mut last = first.into();
    // `&amp;amp;`, `&amp;#39;`, `&#35;39;`: the decoded `&` or `#` and the
    // text after it form another reference, decoded in the same edit.
    loop {
        let next = match last.last_char() {
            Some('&') => reference_after_ampersand(text, end),
            Some('#') => reference_after_hash(text, end),
            _ => None,
        };
        let Some((more, next_end, next_level)) = next else {
            last.push_to(&mut decoded);
            break;
        };
        last.push_without_last(&mut decoded);
        last = more;
        end = next_end;
        level = level.min(next_level);
        if rule == HTML_ENTITY {
            rule = DOUBLE_ESCAPED;
        }
    }
    Found {
        rule,
        level,
        range: start..end,
        decoded,
    }
}

/// A decoded reference: one character, or the expansion of a name.
enum Decoded {
    Char(char),
    Str(&'static str),
}

impl From<char> for Decoded {
    fn from(c: char) -> Decoded {
        Decoded::Char(c)
    }
}

impl From<&'static str> for Decoded {
    fn from(s: &'static str) -> Decoded {
        Decoded::Str(s)
    }
}

impl Decoded {
    fn last_char(&self) -> Option<char> {
        match self {
            Decoded::Char(c) => Some(*c),
            Decoded::Str(s) => s.chars().next_back(),
        }
    }

    fn push_to(&self, out: &mut String) {
        match self {
            Decoded::Char(c) => out.push(*c),
            Decoded::Str(s) => out.push_str(s),
        }
    }

    fn push_without_last(&self, out: &mut String) {
        if let Decoded::Str(s) = self {
            let mut chars = s.chars();
            chars.next_back();
            out.push_str(chars.as_str());
        }
    }
}

/// Parses a reference body at `at` that follows a decoded `&`: `name;`,
/// `#123;` or `#x7B;`.
fn reference_after_ampersand(text: &str, at: usize) -> Option<(Decoded, usize, Level)> {
    let rest = &text.as_bytes()[at..];
    if rest.first() == Some(&b'#') {
        let len = body_len(&rest[1..])?;
        let c = decode_number(&text[at + 1..at + 1 + len])?;
        return Some((Decoded::Char(c), at + len + 2, Level::Fix));
    }
    let len = body_len(rest)?;
    let (s, level) = decode_named(&text[at..at + len])?;
    Some((Decoded::Str(s), at + len + 1, level))
}

/// Parses `123;` at `at`, after a decoded `#` (`&#35;39;`).
fn reference_after_hash(text: &str, at: usize) -> Option<(Decoded, usize, Level)> {
    let rest = &text.as_bytes()[at..];
    let len = body_len(rest)?;
    let body = &text[at..at + len];
    if !body.bytes().all(|d| d.is_ascii_digit()) {
        return None;
    }
    let c = decode_number(body)?;
    Some((Decoded::Char(c), at + len + 1, Level::Fix))
}

/// The length of an alphanumeric body followed by `;` at the start of
/// `rest`.
fn body_len(rest: &[u8]) -> Option<usize> {
    let len = rest
        .iter()
        .take(MAX_BODY + 1)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    (len > 0 && len <= MAX_BODY && rest.get(len) == Some(&b';')).then_some(len)
}

/// Looks up a named reference (case-sensitive, as HTML is, except for
/// names written all in capitals).
fn decode_named(name: &str) -> Option<(&'static str, Level)> {
    if !name.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let mut key = [0u8; MAX_BODY + 2];
    key[0] = b'&';
    key[1..=name.len()].copy_from_slice(name.as_bytes());
    key[name.len() + 1] = b';';
    if let Some(value) = htmlize::ENTITIES.get(&key[..name.len() + 2]) {
        return Some((std::str::from_utf8(value).ok()?, Level::Fix));
    }
    // A name in capitals (`&EURO;`, `&SCARON;`), as text written in
    // capitals has it: the lower-case name's character, in capitals (as
    // ftfy reads them).
    if name.len() > 1
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        key[1..=name.len()].make_ascii_lowercase();
        let value = htmlize::ENTITIES.get(&key[..name.len() + 2])?;
        let lower = std::str::from_utf8(value).ok()?;
        let mut chars = lower.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return None;
        };
        let mut upper = c.to_uppercase();
        let (Some(u), None) = (upper.next(), upper.next()) else {
            return None;
        };
        return UPPER
            .iter()
            .find(|(_, v)| v.chars().eq(std::iter::once(u)))
            .map(|(_, v)| (*v, Level::Fix))
            .or_else(|| (u == c).then_some((lower, Level::Fix)));
    }
    None
}

/// The characters a capitalised name can stand for that are not in the
/// table under a name of their own in capitals, as `'static` strings.
static UPPER: std::sync::LazyLock<Vec<(char, &'static str)>> = std::sync::LazyLock::new(|| {
    htmlize::ENTITIES
        .values()
        .filter_map(|v| std::str::from_utf8(v).ok())
        .filter_map(|v| {
            let mut cs = v.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) if c.is_uppercase() => Some((c, v)),
                _ => None,
            }
        })
        .collect()
});

/// Decodes the body of a numeric reference (`8217`, `x2019`) as HTML5
/// does, except that references to nothing printable are left alone.
fn decode_number(body: &str) -> Option<char> {
    let (digits, radix) = match body.as_bytes()[0] {
        b'x' | b'X' => (&body[1..], 16),
        _ => (body, 10),
    };
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    let n = u32::from_str_radix(digits, radix).ok()?;
    let c = match n {
        0x80..=0x9f => windows_1252(n)?,
        _ => char::from_u32(n)?,
    };
    let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    let nonchar = matches!(n, 0xfdd0..=0xfdef) || n & 0xfffe == 0xfffe;
    (!control && !nonchar).then_some(c)
}

/// What HTML5 makes of references to 0x80–0x9F: the Windows-1252
/// characters (`&#146;` is `’`). The five unassigned bytes stay controls.
fn windows_1252(n: u32) -> Option<char> {
    const TABLE: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    let c = TABLE[(n - 0x80) as usize];
    (!c.is_control()).then_some(c)
}

/// Returns true if a bare `#NNN;` plausibly meant `c`: punctuation and
/// symbols, Latin letters beyond ASCII, typographic punctuation, currency
/// and letterlike symbols. ASCII letters and digits are never escaped in
/// news copy, and other scripts are too unlikely to risk a guess.
fn plausible_bare(c: char) -> bool {
    match c {
        ' '..='~' => !c.is_ascii_alphanumeric(),
        '\u{ad}' => false,
        '\u{a0}'..='\u{24f}' => true,
        '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}' => true,
        '\u{20a0}'..='\u{20cf}' | '\u{2100}'..='\u{218f}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_map_matches_a_dense_map() {
        // Text "abcdefghij"; view 1 drops c and f; view 2 drops "gh" (view
        // offsets 4..6) from view 1.
        let mut one = OffsetMap::default();
        one.push(0, 0);
        one.push(2, 3);
        one.push(4, 6);
        let dense_one = [0, 1, 3, 4, 6, 7, 8, 9];
        for (v, &t) in dense_one.iter().enumerate() {
            assert_eq!(one.at(v), t);
        }
        let mut two = OffsetMap::default();
        two.push_run(&one, 0..4, 0);
        two.push_run(&one, 6..8, 4);
        let dense_two = [0, 1, 3, 4, 8, 9];
        for (v, &t) in dense_two.iter().enumerate() {
            assert_eq!(two.at(v), t, "view offset {v}");
        }
        assert_eq!(two.0.len(), 3);
    }
    use crate::spans::Spans;
    use std::collections::HashSet;

    fn clean(text: &str, protected: Vec<Range<usize>>) -> (String, Vec<Edit>) {
        let protected = Spans::new(protected);
        let disabled = HashSet::new();
        let cx = Context::whole(&protected, &disabled);
        let mut edits = Vec::new();
        Entities.run(text, &cx, &mut edits);
        let mut out = String::new();
        let mut pos = 0;
        for e in &edits {
            if e.level == Level::Fix {
                out.push_str(&text[pos..e.range.start]);
                out.push_str(e.after.as_deref().unwrap());
                pos = e.range.end;
            }
        }
        out.push_str(&text[pos..]);
        (out, edits)
    }

    /// A text longer than a chunk gets, chunk by chunk, the edits it gets
    /// whole: references (hidden ones too) and protected spans on either
    /// side of a chunk's end, and a protected span across it.
    #[test]
    fn long_text_by_chunks_as_whole() {
        let line = "Fish &amp; chips, it&#8217;s &am\u{ad}p; and http://x.org/?a=1&amp;b=2\n";
        const CHUNK: usize = crate::schedule::PIECE;
        let text = line.repeat(CHUNK / line.len() * 3 + 7);
        let spans: Vec<Range<usize>> = (0..text.len())
            .step_by(CHUNK / 3)
            .map(|at| at..(at + 200).min(text.len()))
            .collect();
        let protected = Spans::new(spans);
        let disabled = HashSet::new();
        let cx = Context::whole(&protected, &disabled);
        let (mut chunked, mut whole) = (Vec::new(), Vec::new());
        Entities.run(&text, &cx, &mut chunked);
        decode(&text, &cx, &mut whole);
        assert!(whole.len() > 1000);
        assert_eq!(chunked, whole);
    }

    #[test]
    fn golden() {
        let cases: &[(&str, &str)] = &[
            ("Fish &amp; chips", "Fish & chips"),
            ("&quot;Yes,&quot; she said", "\"Yes,\" she said"),
            ("a&nbsp;b", "a\u{a0}b"),
            ("war&mdash;again", "war\u{2014}again"),
            ("it&#8217;s", "it\u{2019}s"),
            ("it&#x2019;s and &#X2019;", "it\u{2019}s and \u{2019}"),
            ("it&#146;s", "it\u{2019}s"),
            ("&amp;amp; &amp;amp;amp;", "& &"),
            ("it&amp;#8217;s", "it\u{2019}s"),
            ("&amp;quot;hi&amp;quot;", "\"hi\""),
            ("&#38;#8217; &#35;39;", "\u{2019} '"),
            ("doesn #39;t", "doesn't"),
            ("the  #36;10 million", "the $10 million"),
            ("country #39;s first", "country's first"),
            ("#148; Aug", "\u{201d} Aug"),
            ("said  quot;Hi quot; and", "said \"Hi\" and"),
            ("Johnson  amp; Johnson", "Johnson & Johnson"),
            ("J amp;J", "J&J"),
            ("News  gt; Delhi", "News > Delhi"),
            ("iPod  hellip;.", "iPod \u{2026}."),
            ("Baghdad  #8212; rebels", "Baghdad \u{2014} rebels"),
            ("&lt;TXN.N&gt;", "<TXN.N>"),
            ("&Eacute;cole &notin; &fjlig;", "\u{c9}cole \u{2209} fj"),
            // Names in capitals.
            (
                "&EURO;5 &SCARON;KODA &EACUTE;T&EACUTE;",
                "\u{20ac}5 \u{160}KODA \u{c9}T\u{c9}",
            ),
            // Invisible characters the unicode pass removes are looked past.
            ("&am\u{ad}p; it\u{200b} #39;s", "& it\u{200b}'s"),
            ("&#35;\u{200b}39; \u{200b}x", "' \u{200b}x"),
            ("#&shy;39; #&amp;shy;36; &&shy;amp;", "'$ &"),
            ("co&shy;op &#8203;", "co\u{ad}op \u{200b}"),
        ];
        for (input, want) in cases {
            assert_eq!(&clean(input, vec![]).0, want, "input {input:?}");
        }
    }

    #[test]
    fn leaves_lookalikes_alone() {
        let keep = [
            // One rule for query strings, with a scheme or without (#15).
            "see x.com/a?b=1&amp;c=2 and www.x.org/p?q=1&amp;r=2",
            "R&D; AT&T; Barnes&Noble;",
            "&notanentity; &amp &#; &#xZZ; &#0; &#1; &#55296; &#x110000;",
            "ranked #1; then #10; and #65; or #2020;",
            "Johnquot; and &#129;",
            "ratio 3:1; a;b; ;;",
        ];
        for input in keep {
            let (out, edits) = clean(input, vec![]);
            assert_eq!(out, input);
            assert!(edits.is_empty(), "{input:?} gave {edits:?}");
        }
    }

    #[test]
    fn guesses_are_suggestions() {
        // Bare references to ASCII punctuation other than quotes and `$`.
        let (_, edits) = clean("Route #40; north", vec![]);
        assert_eq!(edits[0].level, Level::Suggest);
        assert_eq!(edits[0].after.as_deref(), Some("("));
        // An apostrophe alone between spaces: an issue number (#15).
        let (out, edits) = clean("Issue #39; was closed", vec![]);
        assert_eq!(out, "Issue #39; was closed");
        assert_eq!(edits[0].level, Level::Suggest);
        let (out, _) = clean("Issue #39; was closed, see #40; next", vec![]);
        assert_eq!(out, "Issue #39; was closed, see #40; next");
        // Alone, but certain in running text: a plural's possessive, two
        // for a double quote, a quote closed; glued to a word, always.
        for (input, want) in [
            ("the players #39; fault", "the players' fault"),
            (
                "it was  #39; #39;fine #39; #39; then",
                "it was ''fine'' then",
            ),
            ("the  #39;rebel #39; faction", "the 'rebel' faction"),
            (
                "#39;Project Avalon #39; becomes",
                "'Project Avalon' becomes",
            ),
            ("it doesn #39;t and it#39;s", "it doesn't and it's"),
        ] {
            let (out, edits) = clean(input, vec![]);
            assert_eq!(out, want, "{input:?}");
            assert!(edits.iter().all(|e| e.level == Level::Fix), "{input:?}");
        }
    }

    #[test]
    fn rule_ids() {
        let (_, e) = clean("&amp; &amp;amp; x #39;s", vec![]);
        let ids: Vec<&str> = e.iter().map(|e| &*e.rule).collect();
        assert_eq!(ids, [HTML_ENTITY, DOUBLE_ESCAPED, MISSING_AMPERSAND]);
        assert_eq!(e[2].range, 17..22);
    }

    #[test]
    fn respects_protection() {
        let text = "see http://x.com/?a=1&amp;b=2 &amp; more";
        let (out, _) = clean(text, vec![Range { start: 4, end: 29 }]);
        assert_eq!(out, "see http://x.com/?a=1&amp;b=2 & more");
    }
}
