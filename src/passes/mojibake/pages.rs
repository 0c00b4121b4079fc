//! UTF-8 read through a single-byte code page other than Windows-1252:
//! Windows-1250, Windows-1251, Windows-1257, ISO-8859-2, MacRoman and
//! CP437.
//!
//! Each code page's upper half comes from a decoder (`encoding_rs`, and
//! `oem_cp` for CP437, which `encoding_rs` lacks), never from a table
//! written here. A *run* is a stretch of characters that, encoded back
//! through one code page, spells one or more whole UTF-8 sequences. It is
//! repaired when the decoded text is clearly less odd than the run in its
//! word, by a [`badness`] measure in the spirit of ftfy's: symbols glued
//! inside words, symbols piled on symbols, a capital after a small letter,
//! letters of two scripts in one word, a Cyrillic or Greek letter against
//! a digit. Only the run changes: the code page is chosen where the
//! evidence is, never for the whole text.
//!
//! Clean text costs a look-up per non-ASCII character: a run must start
//! with a character some code page writes as a lead byte (`C2..F4`)
//! followed by one it writes as a continuation byte (`80..BF`).

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use rustc_hash::FxHashMap;

use super::{plausibility, Found, FIX, INNER, MAX_DEPTH};

/// A supported code page: its name and the characters of bytes `80..FF`.
pub(super) struct Page {
    /// The name used in explanations and in the docs' tables.
    pub name: &'static str,
    high: [char; 128],
}

/// The code pages, in the order they are preferred when two explain a run
/// equally well.
pub(super) static PAGES: LazyLock<Vec<Page>> = LazyLock::new(|| {
    let from_rs = |name, enc: &'static encoding_rs::Encoding| {
        let bytes: Vec<u8> = (0x80..=0xff).collect();
        let (decoded, _) = enc.decode_without_bom_handling(&bytes);
        let mut high = ['\u{fffd}'; 128];
        for (slot, c) in high.iter_mut().zip(decoded.chars()) {
            *slot = c;
        }
        Page { name, high }
    };
    vec![
        from_rs("Windows-1250", encoding_rs::WINDOWS_1250),
        from_rs("Windows-1251", encoding_rs::WINDOWS_1251),
        from_rs("ISO-8859-2", encoding_rs::ISO_8859_2),
        from_rs("Windows-1257", encoding_rs::WINDOWS_1257),
        from_rs("MacRoman", encoding_rs::MACINTOSH),
        Page {
            name: "CP437",
            high: oem_cp::code_table::DECODING_TABLE_CP437,
        },
    ]
});

/// Why a run read through each page was repaired, in the order of [`PAGES`].
pub(super) static WHY: LazyLock<Vec<Arc<str>>> = LazyLock::new(|| {
    PAGES
        .iter()
        .map(|p| {
            Arc::from(format!(
                "UTF-8 text was decoded as {} (mojibake); encoding the run back to \
                 bytes and decoding them as UTF-8 restores it.",
                p.name
            ))
        })
        .collect()
});

/// For each non-ASCII character some page writes, its byte in each page
/// (0 where the page cannot write it).
static BYTES: LazyLock<FxHashMap<char, [u8; 6]>> = LazyLock::new(|| {
    let mut map: FxHashMap<char, [u8; 6]> = FxHashMap::default();
    for (p, page) in PAGES.iter().enumerate() {
        for (k, &c) in page.high.iter().enumerate() {
            // Undefined bytes decode to the C1 control of the same number
            // in the WHATWG tables (which ISO-8859-2 has for all of
            // `80..9F`), or to U+FFFD: Windows-1257's `A1` and `A5`.
            if c != '\u{fffd}' {
                map.entry(c).or_default()[p] = 0x80 + k as u8;
            }
        }
        // Sloppy decoders (ftfy's `sloppy-windows-1257`, and programs that
        // fall back on Latin-1) read an undefined byte as the Latin-1
        // character of the same number: `¡` and `¥` for those two.
        for (k, _) in page
            .high
            .iter()
            .enumerate()
            .filter(|(_, &c)| c == '\u{fffd}')
        {
            let latin1 = char::from(0x80 + k as u8);
            let slot = &mut map.entry(latin1).or_default()[p];
            if *slot == 0 {
                *slot = 0x80 + k as u8;
            }
        }
    }
    map
});

/// The byte `c` stands for in page `p` (ASCII for itself), if any.
fn byte(c: char, p: usize) -> Option<u8> {
    if c.is_ascii() {
        return Some(c as u8);
    }
    BYTES.get(&c).map(|b| b[p]).filter(|&b| b != 0)
}

/// A run read through one page.
struct PageRun {
    end: usize,
    /// A sequence of three or four bytes.
    long: bool,
    seqs: usize,
    decoded: String,
}

/// Reads the run of whole UTF-8 sequences at `start` through page `p`.
fn read_run(text: &str, start: usize, p: usize) -> Option<PageRun> {
    let mut pos = start;
    let mut seqs = 0;
    let mut long = false;
    let mut bytes = Vec::new();
    'runs: loop {
        let mut chars = text[pos..].chars();
        let Some(lead) = chars.next() else { break };
        let Some(b0) = byte(lead, p) else { break };
        let n = match b0 {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => break,
        };
        let mut seq = [b0, 0, 0, 0];
        let mut lossy = false;
        let mut end = pos + lead.len_utf8();
        for slot in seq.iter_mut().take(n).skip(1) {
            let Some(c) = chars.next() else {
                break 'runs;
            };
            match byte(c, p) {
                Some(b @ 0x80..=0xbf) if !c.is_ascii() => *slot = b,
                // A lost byte, written `�`: the sequence decodes to `�`.
                _ if c == '\u{fffd}' => lossy = true,
                _ => break 'runs,
            }
            end += c.len_utf8();
        }
        if lossy {
            bytes.extend_from_slice("\u{fffd}".as_bytes());
        } else if std::str::from_utf8(&seq[..n]).is_ok() {
            bytes.extend_from_slice(&seq[..n]);
        } else {
            break;
        }
        seqs += 1;
        long |= n > 2;
        pos = end;
    }
    if seqs == 0 {
        return None;
    }
    let decoded = String::from_utf8(bytes).ok()?;
    Some(PageRun {
        end: pos,
        long,
        seqs,
        decoded,
    })
}

/// Finds the runs of `text` that another code page explains, outside the
/// ranges `taken` (sorted) by Windows-1252 runs; `before` and `after` are
/// the characters around `text` when it is itself a decoded run, and
/// `only` the one page to try there (a layer inside a run read through a
/// page is read through that page again, which keeps the search small),
/// with whether the text around trusts that page (see [`judge_word`]).
///
/// Runs are judged a word at a time (all the runs one page finds in the
/// word together), and when two pages explain a word equally well, the
/// page that explains more of the text's other words wins: ISO-8859-2's
/// `ĂĄ` is `á` in text where ISO-8859-2 is certain elsewhere.
pub(super) fn scan(
    text: &str,
    before: Option<char>,
    after: Option<char>,
    depth: u8,
    taken: &[Range<usize>],
    only: Option<(usize, bool)>,
    out: &mut Vec<Found>,
) {
    if text.is_ascii() {
        return;
    }
    let order: Vec<usize> = only.map_or_else(|| (0..PAGES.len()).collect(), |(p, _)| vec![p]);
    let mut found = Vec::new();
    let mut outer = vec![0; PAGES.len()];
    if let Some((p, true)) = only {
        outer[p] = 1;
    }
    let (votes, sole) = scan_with(
        text,
        (before, after),
        depth,
        taken,
        &order,
        &outer,
        &mut found,
    );
    if votes.iter().any(|&v| v > 0) {
        // Again, with the pages that explained certain words preferred and
        // trusted: there a word that looks clean may be mojibake too (`РІ`,
        // Russian `в` through Windows-1251). Between pages with as many
        // certain words, the one that alone explains more words wins: in
        // German through ISO-8859-2, `MĂ¤rz` reads the same in
        // Windows-1250, `plĂśtzlich` only in ISO-8859-2, and so
        // `Ăźber` is `über`, not Windows-1250's `ßber`.
        let mut preferred = order.clone();
        preferred.sort_by_key(|&p| std::cmp::Reverse((votes[p], sole[p])));
        found.clear();
        let trusted: Vec<usize> = votes.iter().zip(&outer).map(|(v, o)| v + o).collect();
        scan_with(
            text,
            (before, after),
            depth,
            taken,
            &preferred,
            &trusted,
            &mut found,
        );
    }
    // Two certain words through one page make its weaker runs certain:
    // one program damaged the text (`Ă\u{a0}` among `dĂ©cision`s is `à`).
    for f in &mut found {
        if f.page.is_some_and(|p| votes[p] >= 2) {
            f.score = FIX;
        }
    }
    for (p, page) in PAGES.iter().enumerate() {
        let lead = page.high[0x43];
        if votes[p] > 0 && lead.is_alphabetic() {
            let taken: Vec<Range<usize>> = taken
                .iter()
                .chain(found.iter().map(|f| &f.range))
                .cloned()
                .collect();
            found.extend(a_grave(text, lead, p, &taken));
        }
    }
    found.sort_by_key(|f| f.range.start);
    out.extend(found);
}

/// French `à` (`C3 A0`) read through page `p`, whose `C3` is the letter
/// `lead` (`Г`, `Ă`), when its no-break space became a plain space: a
/// word of its own before a small letter (`se trouve Г l’ouest`). Only in
/// text where page `p` is certain elsewhere.
fn a_grave(text: &str, lead: char, p: usize, taken: &[Range<usize>]) -> Vec<Found> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices(lead) {
        let end = i + lead.len_utf8();
        let alone = text[..i]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let mut rest = text[end..].chars();
        let before_word = rest.next() == Some(' ') && rest.next().is_some_and(char::is_lowercase);
        if alone && before_word && !taken.iter().any(|r| r.start < end && i < r.end) {
            out.push(Found {
                range: i..end,
                after: "\u{e0}".to_string(),
                score: FIX,
                lone_pair: false,
                c1: false,
                page: Some(p),
            });
        }
    }
    out
}

/// One scan with pages preferred in `order`; returns the number of
/// certain words each page explained, and of words it alone explained.
fn scan_with(
    text: &str,
    (before, after): (Option<char>, Option<char>),
    depth: u8,
    taken: &[Range<usize>],
    order: &[usize],
    trusted: &[usize],
    out: &mut Vec<Found>,
) -> (Vec<usize>, Vec<usize>) {
    let mut votes = vec![0; PAGES.len()];
    let mut sole = vec![0; PAGES.len()];
    let bytes = text.as_bytes();
    let mut taken = taken.iter().peekable();
    let mut pos = 0;
    while pos < bytes.len() {
        // The next non-ASCII character.
        let Some(off) = bytes[pos..].iter().position(|&b| b >= 0x80) else {
            break;
        };
        let i = pos + off;
        let c = text[i..].chars().next().unwrap_or(' ');
        pos = i + c.len_utf8();
        while taken.peek().is_some_and(|r| r.end <= i) {
            taken.next();
        }
        if let Some(r) = taken.peek().filter(|r| r.start <= i) {
            pos = pos.max(r.end);
            continue;
        }
        // The pre-check: a lead in some page, followed by a continuation
        // in the same page.
        let Some(leads) = BYTES.get(&c) else { continue };
        let conts = text[pos..].chars().next().and_then(|d| BYTES.get(&d));
        let Some(conts) = conts else { continue };
        if !(0..PAGES.len())
            .any(|p| (0xc2..=0xf4).contains(&leads[p]) && (0x80..=0xbf).contains(&conts[p]))
        {
            continue;
        }
        // The word: from the last space before (or the end of the last
        // Windows-1252 run) to the next space (or the next run).
        let floor = out.last().map_or(0, |f: &Found| f.range.end);
        let word_start = text[..i]
            .char_indices()
            .rev()
            .take_while(|(_, c)| !splits(*c))
            .last()
            .map_or(i, |(k, _)| k)
            .max(floor);
        let limit = taken.peek().map_or(text.len(), |r| r.start);
        let word_end = text[i..limit]
            .char_indices()
            .find(|(_, c)| splits(*c))
            .map_or(limit, |(k, _)| i + k);
        if let Some((best, runs)) = judge_word(
            text,
            word_start..word_end,
            i,
            (before, after),
            depth,
            order,
            trusted,
        ) {
            if let [p] = best[..] {
                sole[p] += 1;
            }
            if runs.iter().any(|f| f.score >= FIX) {
                for p in best {
                    votes[p] += 1;
                }
            }
            out.extend(runs);
        }
        pos = pos.max(word_end);
    }
    (votes, sole)
}

/// Returns true for the spaces that end a word. A no-break space does
/// not: it is byte `A0`, a continuation byte in every page (Windows-1251's
/// `Р\u{a0}` is `Р` spelled twice over), and nor does U+0085, byte `85`
/// read as ISO-8859-2 (`Ń\u{85}` is `х`).
fn splits(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{85}')
}

/// Returns true if the repairs `all` (sorted, disjoint) leave the word of
/// `text` around the repair `f` with no badness.
pub(super) fn clean_word(text: &str, f: &Found, all: &[Found]) -> bool {
    word_badness(text, f, all).1 == 0
}

/// How odd the word of `text` around the repair `f` is (from the space
/// before it to the space after it; see [`odd`]), as it is and once the repairs
/// `all` (sorted) that lie in it are made.
pub(super) fn word_badness(text: &str, f: &Found, all: &[Found]) -> (i32, i32) {
    let start = text[..f.range.start]
        .char_indices()
        .rev()
        .take_while(|(_, c)| !splits(*c))
        .last()
        .map_or(f.range.start, |(k, _)| k);
    let end = text[f.range.end..]
        .char_indices()
        .find(|(_, c)| splits(*c))
        .map_or(text.len(), |(k, _)| f.range.end + k);
    let mut word = String::with_capacity(end - start);
    let mut pos = start;
    for g in all {
        if g.range.start >= pos && g.range.end <= end {
            word.push_str(&text[pos..g.range.start]);
            word.push_str(&g.after);
            pos = g.range.end;
        }
    }
    word.push_str(&text[pos..end]);
    (odd(&text[start..end]), odd(&word))
}

/// The [`badness`] of `word`, and two points for each combining mark that
/// starts it or follows a space: a mark on nothing (`Íš` read as U+035A).
fn odd(word: &str) -> i32 {
    let mut prev: Option<char> = None;
    let mut marks = 0;
    for c in word.chars() {
        if prev.is_none_or(char::is_whitespace) && unicode_normalization::char::is_combining_mark(c)
        {
            marks += 2;
        }
        prev = Some(c);
    }
    badness(word) + marks
}

/// Tries every page on the word `word` of `text` (whose first candidate
/// run starts at `first`) and keeps the reading that lowers the word's
/// badness the most: the pages that do equally well, and the runs of the
/// first of them in `order`. A word that looks clean is read only through
/// pages `trusted` (with certain words elsewhere in the text): `Вібіё`
/// spells UTF-8 through Windows-1251 by chance. Inside a run, a trusted
/// page may read a lone two-byte sequence again: MacRoman twice spells
/// the Russian word `в` as `‚Äì‚â§`, whose middle layer `–≤` looks clean.
fn judge_word(
    text: &str,
    word: Range<usize>,
    first: usize,
    (before, after): (Option<char>, Option<char>),
    depth: u8,
    order: &[usize],
    trusted: &[usize],
) -> Option<(Vec<usize>, Vec<Found>)> {
    let was = badness(&text[word.clone()]);
    let mut best: Option<(i32, Vec<usize>, Vec<Found>)> = None;
    for &p in order {
        // A word that looks clean is read through an untrusted page only
        // for punctuation spelled in three characters (below).
        let untrusted = depth == 0 && was == 0 && trusted[p] == 0;
        if untrusted && !punctuation_lead(&text[word.clone()], p) {
            continue;
        }
        let mut runs: Vec<Found> = Vec::new();
        let mut now_word = String::with_capacity(word.len());
        now_word.push_str(&text[word.start..first]);
        // The most sequences in one run, and the points lost.
        let (mut seqs, mut penalty, mut long) = (0, 0, false);
        let mut pos = first;
        let (mut ok, mut unsure) = (true, false);
        while pos < word.end {
            let Some(run) = read_run(&text[..word.end], pos, p) else {
                let c = text[pos..].chars().next().unwrap_or(' ');
                now_word.push(c);
                pos += c.len_utf8();
                continue;
            };
            let mut back = text[..pos].chars().rev();
            let prev = back.next().or(before);
            let prev2 = back.next();
            let next = text[run.end..].chars().next().or(after);
            let decoded = run.decoded;
            match plausibility(&decoded, (prev2, prev), next, run.seqs == 1) {
                Some((pen, _)) => penalty += pen,
                // A layer between may hold what the text cannot: MacRoman
                // writes byte `F0`, the lead of emoji, as U+F8FF (private
                // use); only the layer below it must be plausible.
                None if depth < MAX_DEPTH && decoded.contains('\u{f8ff}') => unsure = true,
                None => {
                    ok = false;
                    break;
                }
            }
            seqs = seqs.max(run.seqs);
            long |= run.long;
            now_word.push_str(&decoded);
            runs.push(Found {
                range: pos..run.end,
                after: decoded,
                score: 0,
                lone_pair: false,
                c1: false,
                page: Some(p),
            });
            pos = run.end;
        }
        if !ok || runs.is_empty() {
            continue;
        }
        if depth < MAX_DEPTH {
            // The next layer, once for the whole stretch from the first run
            // to the last, judged with the rest of the word around it.
            let (start, end) = (runs[0].range.start, runs[runs.len() - 1].range.end);
            let left = &text[word.start..start];
            let right = &text[end..word.end];
            let middle = &now_word[left.len()..now_word.len() - right.len()];
            let inner = super::deeper(left, middle, right, depth + 1, (p, trusted[p] > 0));
            if inner != middle {
                // The text is judged as it comes out: the layer between
                // (`Ð¼ÑƒÐºÑƒ` for `муку`) looks like mojibake, as it is.
                let Some((pen, _)) = plausibility(
                    &inner,
                    (None, left.chars().next_back().or(before)),
                    right.chars().next().or(after),
                    false,
                ) else {
                    continue;
                };
                penalty = pen;
                now_word = format!("{left}{inner}{right}");
                runs = vec![Found {
                    range: start..end,
                    after: inner,
                    score: 0,
                    lone_pair: false,
                    c1: false,
                    page: Some(p),
                }];
            } else if unsure {
                continue;
            }
        }
        let now = badness(&now_word);
        // The word must come out clean: a garble that only gets less odd
        // is left whole. A lone two-byte sequence inside a decoded run must
        // also be odd itself (`’é` decoded from Windows-1251 is not
        // MacRoman for `Վ`).
        if now > 0 || (depth > 0 && was == 0 && seqs < 2 && !long && trusted[p] == 0) {
            continue;
        }
        // Several whole sequences in a row are themselves evidence (real
        // text seldom spells valid UTF-8 twice by chance), and so are a
        // sequence of three or four bytes and a word that comes out clean.
        // `E2 80 xx` and `E2 82 AC` spell the dashes, quotes, bullets
        // and `€` that news is full of, and in no page do their three
        // characters make a word (`‚Äî` in MacRoman, `вЂ”` in
        // Windows-1251): evidence even where the text has no other.
        let punctuation = runs.iter().all(|f| {
            let mut c = f.after.chars();
            c.next()
                .is_some_and(|c| matches!(c, '\u{2010}'..='\u{205e}' | '\u{20ac}'))
                && c.next().is_none()
        });
        if untrusted && !punctuation {
            continue;
        }
        let score = (was - now)
            + (seqs.min(3) as i32 - 1)
            + 1
            + i32::from(long)
            + i32::from(punctuation)
            + penalty;
        if score < INNER {
            continue;
        }
        match &mut best {
            Some((s, pages, _)) if *s == score => pages.push(p),
            Some((s, _, _)) if *s > score => {}
            _ => {
                for f in &mut runs {
                    f.score = score.min(FIX);
                }
                best = Some((score, vec![p], runs));
            }
        }
    }
    best.map(|(_, pages, runs)| (pages, runs))
}

/// Returns true if `word` holds the first two characters of a general
/// punctuation mark or `€` spelled through page `p` (bytes `E2 80`,
/// `E2 81` or `E2 82`).
fn punctuation_lead(word: &str, p: usize) -> bool {
    let mut prev = None;
    for c in word.chars() {
        if prev == Some(0xe2) && matches!(byte(c, p), Some(0x80..=0x82)) && !c.is_ascii() {
            return true;
        }
        prev = byte(c, p);
    }
    false
}

/// How odd `text` looks, in points: what mojibake makes and real text
/// seldom has.
///
/// - a symbol (not a letter, digit, space or ASCII character) right after
///   a letter, unless it often ends words (`’ ” » … — ™ ®`), or right
///   before one, unless it often starts them (`“ ‘ „ « ¿ ¡`);
/// - two such symbols side by side, quotes and dashes aside, and any
///   symbol but `’ · ‐` and the soft hyphen glued inside a word;
/// - a box-drawing character against a non-ASCII letter (line art puts
///   boxes next to boxes and ASCII);
/// - a capital right after a small letter, one of them not ASCII, and an
///   accented capital between a capital and a small letter;
/// - letters of two scripts side by side (Latin, Greek, Cyrillic, other);
/// - a Greek or Cyrillic letter against a digit;
/// - a superscript or fraction between two letters (two points);
/// - C1 control characters.
pub(super) fn badness(text: &str) -> i32 {
    let mut bad = 0;
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if ('\u{80}'..='\u{9f}').contains(&c) {
            bad += 2;
        } else if c.is_numeric()
            && !c.is_ascii()
            && !c.is_alphabetic()
            && prev.is_some_and(char::is_alphabetic)
            && next.is_some_and(char::is_alphabetic)
        {
            // A superscript or fraction between letters: `Î³` (`γ`),
            // `Ã¼ber`.
            bad += 2;
        } else if is_box(c) {
            // Line art puts boxes next to each other and to ASCII; only a
            // box against a non-ASCII letter is odd (`─îe┼ítina`).
            let odd = |x: Option<char>| x.is_some_and(|x| !x.is_ascii() && x.is_alphabetic());
            bad += i32::from(odd(prev)) + i32::from(odd(next));
        } else if odd_symbol(c) {
            let plain =
                |x: char| odd_symbol(x) && !starts_words(x) && !ends_words(x) && !cjk_mark(x);
            // Chinese, Japanese and Korean, written without spaces, glue
            // their brackets and commas to any letter (`「iPhone」`) and
            // quotes to their own letters (`“エコ”という`); other scripts'
            // own marks (`।` `،`) stand against their letters. (Not
            // dashes: `–` is a MacRoman lead byte, `–æ–¥` is not `–斥`.)
            let belongs = |x: char| {
                cjk_mark(c)
                    || (script_mark(c) && native(x))
                    || (super::is_wide_script(x) && cjk_quote(c))
            };
            let letter = |x: Option<char>| x.is_some_and(|x| x.is_alphabetic() && !belongs(x));
            if letter(prev) && !ends_words(c) {
                bad += 1;
            }
            if letter(next) && !starts_words(c) {
                bad += 1;
            }
            // Glued inside a word: a letter before, a letter or another
            // symbol after (`g√§ste`, `dĂ©cision`), except the marks words
            // hold (`l’été`, `col·lecció`, soft hyphens), and dashes set
            // close between English words (`failure—proving`; MacRoman's
            // `–` and `—` are Cyrillic lead bytes, `–ø–æ`, and count).
            let closed_dash = matches!(c, '\u{2013}' | '\u{2014}')
                && prev.is_some_and(|p| p.is_ascii_alphabetic())
                && next.is_some_and(|n| n.is_ascii_alphabetic());
            if !closed_dash
                && !matches!(
                    c,
                    '\u{2019}' | '\u{2bc}' | '\u{b7}' | '\u{2010}' | '\u{2011}' | '\u{ad}'
                )
                && letter(prev)
                && next.is_some_and(|n| {
                    // (Closing marks in a row end a word: `odd”…`.)
                    letter(Some(n)) || (odd_symbol(n) && !(ends_words(c) && ends_words(n)))
                })
            {
                bad += 1;
            }
            // Quotes and dashes around a symbol are not a pile-up (`“×”`),
            // but a sign before a symbol is, whatever the symbol
            // (`√§hnlich`, MacRoman twice for `ähnlich`).
            let quote_or_dash =
                matches!(c as u32, 0x2010..=0x201f | 0xab | 0xbb) || cjk_mark(c) || script_mark(c);
            if (plain(c) && prev.is_some_and(|p| plain(p) || is_box(p)))
                || (!plain(c) && !quote_or_dash && prev.is_some_and(plain))
            {
                bad += 1;
            }
        } else if c.is_alphabetic() {
            if let Some(l) = prev.filter(|l| l.is_alphabetic()) {
                if l.is_lowercase() && c.is_uppercase() && !(l.is_ascii() && c.is_ascii()) {
                    bad += 1;
                }
                // Two capitals, the second accented, then a small letter:
                // `MĂĄm`.
                if l.is_uppercase()
                    && c.is_uppercase()
                    && !c.is_ascii()
                    && next.is_some_and(char::is_lowercase)
                {
                    bad += 1;
                }
                // Chinese, Japanese and Korean glue particles and words to
                // Latin names (`iPhoneを`, `URL을`): not a mixture there.
                let wide = |x: char| super::is_wide_script(x);
                let latin = |x: char| script(x) == Script::Latin;
                if script(l) != script(c) && !(wide(l) && latin(c) || latin(l) && wide(c)) {
                    bad += 1;
                }
            }
            if matches!(script(c), Script::Greek | Script::Cyrillic)
                && (prev.is_some_and(|d| d.is_ascii_digit())
                    || next.is_some_and(|d| d.is_ascii_digit()))
            {
                bad += 1;
            }
        }
        prev = Some(c);
    }
    bad
}

/// Returns true for non-ASCII characters that are neither letters, marks,
/// digits nor spaces (nor `�`, which stands for anything).
fn odd_symbol(c: char) -> bool {
    !c.is_ascii()
        && c != '\u{fffd}'
        && !c.is_alphanumeric()
        && !c.is_whitespace()
        && !unicode_normalization::char::is_combining_mark(c)
}

/// Returns true for punctuation of a script block beyond Latin, Greek and
/// Cyrillic, or of the CJK and full-width blocks (`、` `」` `（` `।` `،`):
/// not the general punctuation, symbols and box drawing that single-byte
/// code pages hold.
fn script_mark(c: char) -> bool {
    matches!(c as u32, 0x530..=0x1fff | 0x2e00..=0xa7ff | 0xfe10..=0xfe6f | 0xff00..=0xffef)
}

/// Returns true for the CJK and full-width punctuation (`、` `「` `（`).
fn cjk_mark(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303f | 0xff00..=0xffef) && !c.is_alphanumeric()
}

/// Returns true for the quotes and marks that Chinese, Japanese and
/// Korean text sets against its letters.
fn cjk_quote(c: char) -> bool {
    matches!(
        c,
        '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' | '\u{2026}' | '\u{203b}' | '\u{2192}'
    ) || c == '\u{30fb}'
}

/// Returns true for letters of scripts other than Latin, Greek and
/// Cyrillic (which [`script_mark`]s stand against).
fn native(c: char) -> bool {
    c.is_alphabetic() && script(c) == Script::Other
}

/// Returns true for box-drawing characters and blocks.
fn is_box(c: char) -> bool {
    ('\u{2500}'..='\u{259f}').contains(&c)
}

/// Symbols that often stand right after a word.
fn ends_words(c: char) -> bool {
    matches!(
        c,
        '\u{2019}'
            | '\u{2018}'
            | '\u{201d}'
            | '\u{201c}'
            | '\u{bb}'
            | '\u{203a}'
            | '\u{2026}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2122}'
            | '\u{ae}'
            | '\u{a9}'
            | '\u{b0}'
            | '\u{b7}'
            | '\u{a0}'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{ad}'
            | '\u{3001}'
            | '\u{3002}'
            | '\u{ff0c}'
    )
}

/// Symbols that often stand right before a word.
fn starts_words(c: char) -> bool {
    matches!(
        c,
        '\u{201c}'
            | '\u{2018}'
            | '\u{201e}'
            | '\u{201a}'
            | '\u{ab}'
            | '\u{2039}'
            | '\u{bf}'
            | '\u{a1}'
            | '\u{2026}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{a0}'
            | '\u{2019}'
            | '\u{b7}'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{ad}'
            | '\u{a3}'
            | '\u{20ac}'
            | '\u{a5}'
            | '\u{a7}'
    )
}

/// A coarse script of a letter.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Other,
}

fn script(c: char) -> Script {
    match c as u32 {
        0..=0x24f | 0x1e00..=0x1eff | 0x2c60..=0x2c7f | 0xa720..=0xa7ff | 0xfb00..=0xfb06 => {
            Script::Latin
        }
        0x370..=0x3ff | 0x1f00..=0x1fff => Script::Greek,
        0x400..=0x52f | 0x1c80..=0x1c8f | 0x2de0..=0x2dff | 0xa640..=0xa69f => Script::Cyrillic,
        _ => Script::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_come_from_decoders() {
        let find = |name: &str| PAGES.iter().position(|p| p.name == name).unwrap();
        assert_eq!(byte('Ă', find("Windows-1250")), Some(0xc3));
        assert_eq!(byte('Р', find("Windows-1251")), Some(0xd0));
        assert_eq!(byte('√', find("MacRoman")), Some(0xc3));
        assert_eq!(byte('─', find("CP437")), Some(0xc4));
        assert_eq!(byte('Ą', find("ISO-8859-2")), Some(0xa1));
        assert_eq!(byte('Ą', find("Windows-1250")), Some(0xa5));
        assert_eq!(byte('a', find("CP437")), Some(b'a'));
        assert_eq!(byte('中', 0), None);
    }

    #[test]
    fn arabic_through_macroman() {
        let mut out = Vec::new();
        scan("ÿ±ÿ≥ÿßŸÑÿ©", None, None, 0, &[], None, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].after, "رسالة");
    }

    #[test]
    fn badness_counts_odd_shapes() {
        assert_eq!(badness("дороге"), 0);
        assert!(badness("РґРѕСЂРѕРіРµ") >= 3);
        assert_eq!(badness("gâteaux"), 0);
        assert!(badness("g√¢teaux") >= 2);
        assert_eq!(badness("«Ça» “quoted” l’été"), 0);
        assert!(badness("─îe┼ítina") >= 2);
        assert_eq!(badness("├┤a┼┐a┼┐a"), 0);
        // Chinese, Japanese and Korean punctuation against letters, Latin
        // names among them, and dashes set close in English are sound.
        assert_eq!(badness("というのは、間違いなく「iPhone」は、"), 0);
        assert_eq!(badness("※「“エコ”という"), 0);
        assert_eq!(badness("URL을 통해 《朝日新闻》报道，日本"), 0);
        assert_eq!(badness("हैं। इस"), 0);
        assert_eq!(badness("failure—proving a neo–payday, “odd”…"), 0);
        assert!(badness("√§hnlich") > 0);
        // MacRoman Russian read as Windows-1252 (`годом` as `–≥–斥–斺`)
        // stays odd: dashes are its lead bytes.
        assert!(badness("–≥–斥–斺") > 0);
    }
}
