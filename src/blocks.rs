//! How a text divides into blocks: paragraphs, the runs of lines between
//! blank lines, and Markdown code, fenced blocks and inline spans.
//!
//! One definition serves every reader. The matcher's chunks, the windows a
//! later round reads, quote pairing and the repeated-paragraph pass all
//! break at the same blank lines, so a search of one paragraph finds what a
//! search of the whole text finds in it; the quotes, dashes and spacing
//! passes all leave the same code alone. [`Blocks`] holds what was found
//! for one text, so the passes that read that text share one search.

use std::ops::Range;
use std::sync::OnceLock;

/// Returns true for a blank line: nothing but whitespace. A line of
/// no-break spaces (a scraped `<p>&nbsp;</p>`) looks blank and separates
/// paragraphs as an empty one does. `line` holds whole characters.
pub(crate) fn is_blank(line: &[u8]) -> bool {
    // Character by character, so a line of text is judged by its first.
    let mut rest = line;
    while let Some(&b) = rest.first() {
        let len = match b {
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => 1,
            0..=0x7f => return false,
            0xf0.. => 4,
            0xe0.. => 3,
            _ => 2,
        };
        let Some(Ok(c)) = rest.get(..len).map(std::str::from_utf8) else {
            return false;
        };
        if !c.chars().all(char::is_whitespace) {
            return false;
        }
        rest = &rest[len..];
    }
    true
}

/// The end of the line starting at or after `pos`, and the start of the
/// next: a line ends at `\n`, `\r\n` or a lone `\r`.
pub(crate) fn line_end(bytes: &[u8], pos: usize) -> (usize, usize) {
    match memchr::memchr2(b'\n', b'\r', &bytes[pos..]) {
        None => (bytes.len(), bytes.len()),
        Some(off) => {
            let end = pos + off;
            if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                (end, end + 2)
            } else {
                (end, end + 1)
            }
        }
    }
}

/// The paragraphs of `text`: runs of non-blank lines, each without its
/// final line break.
pub(crate) fn paragraphs(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        let mut start = None;
        let mut end = pos;
        while pos < bytes.len() {
            let line_end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
            let line = &bytes[pos..line_end];
            let next = (line_end + 1).min(bytes.len());
            if is_blank(line) {
                if start.is_some() {
                    pos = next;
                    break;
                }
            } else {
                start.get_or_insert(pos);
                end = line_end - usize::from(line.ends_with(b"\r"));
            }
            pos = next;
            if line_end == bytes.len() {
                break;
            }
        }
        start.map(|s| s..end)
    })
}

/// The paragraphs that hold or touch the `changed` ranges of `text`,
/// merged, in order, each from after the blank line before it to after
/// the blank line after it: what a later round reads.
pub(crate) fn paragraphs_around(text: &str, changed: &[Range<usize>]) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut windows: Vec<Range<usize>> = Vec::new();
    for r in changed {
        if windows.last().is_some_and(|w| r.end <= w.end) {
            continue;
        }
        let start = paragraph_start(bytes, r.start.min(text.len()));
        let end = paragraph_end(bytes, r.end.min(text.len()));
        match windows.last_mut() {
            Some(w) if start <= w.end => w.end = w.end.max(end),
            _ => windows.push(start..end),
        }
    }
    windows
}

/// The start of the paragraph holding `at`: just after the blank line
/// before it, or the text's start.
fn paragraph_start(bytes: &[u8], at: usize) -> usize {
    let mut end = at;
    while let Some(nl) = memchr::memrchr(b'\n', &bytes[..end]) {
        let line_start = memchr::memrchr(b'\n', &bytes[..nl]).map_or(0, |k| k + 1);
        if line_start > 0 && is_blank(&bytes[line_start..nl]) {
            return nl + 1;
        }
        end = nl;
    }
    0
}

/// The end of the paragraph holding `at`: just after the blank line after
/// it, or the text's end.
fn paragraph_end(bytes: &[u8], at: usize) -> usize {
    let mut from = at;
    while let Some(k) = memchr::memchr(b'\n', &bytes[from..]) {
        let nl = from + k;
        let line_end = memchr::memchr(b'\n', &bytes[nl + 1..]).map_or(bytes.len(), |j| nl + 1 + j);
        if line_end < bytes.len() && is_blank(&bytes[nl + 1..line_end]) {
            return line_end + 1;
        }
        from = nl + 1;
    }
    bytes.len()
}

/// Splits `text` into chunks of at least `min` bytes that end after a
/// blank line (or at the end), yielding `(offset, chunk)`. Phrases never
/// span a blank line, so each chunk can be folded and searched alone.
pub(crate) fn paragraph_chunks(text: &str, min: usize) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let mut search = (start + min).min(text.len());
        while !text.is_char_boundary(search) {
            search += 1;
        }
        let end = loop {
            match memchr::memchr(b'\n', &bytes[search..]) {
                None => break text.len(),
                Some(k) => {
                    let nl = search + k;
                    let line_end =
                        memchr::memchr(b'\n', &bytes[nl + 1..]).map_or(text.len(), |j| nl + 1 + j);
                    if is_blank(&bytes[nl + 1..line_end]) {
                        break (line_end + 1).min(text.len());
                    }
                    search = nl + 1;
                }
            }
        };
        pos = end;
        Some((start, &text[start..end]))
    })
}

/// Returns the fence character and length if `line` opens a fenced code
/// block: three or more backticks or tildes, indented at most three
/// spaces, and no backtick after a backtick fence.
pub(crate) fn fence_open(line: &str) -> Option<(u8, usize)> {
    let rest = line.trim_start_matches(' ');
    if line.len() - rest.len() > 3 {
        return None;
    }
    let ch = *rest.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let n = rest.bytes().take_while(|&b| b == ch).count();
    if n < 3 || (ch == b'`' && rest[n..].contains('`')) {
        return None;
    }
    Some((ch, n))
}

/// Returns true if `line` closes a fence opened with `n` times `ch`: as
/// many of them or more, and nothing after but spaces.
pub(crate) fn is_fence_close(line: &str, ch: u8, n: usize) -> bool {
    let rest = line.trim_start_matches(' ');
    if line.len() - rest.len() > 3 {
        return false;
    }
    let m = rest.bytes().take_while(|&b| b == ch).count();
    m >= n && rest[m..].trim().is_empty()
}

/// The fenced code blocks of `text`, in order, each from the start of its
/// opening line to the end of its closing line (or of the text). Only a
/// line holding three backticks or tildes can open or close one, so only
/// those lines are looked at.
pub(crate) fn fences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    // The start of the line of each hit, in order: the search back stops
    // at the hit before, whose line start holds when no break lies
    // between, so a long line with many hits is read once.
    let line_starts = |needle: &'static [u8]| {
        let (mut upto, mut start) = (0, 0);
        memchr::memmem::find_iter(bytes, needle).map(move |at| {
            start =
                memchr::memrchr2(b'\n', b'\r', &bytes[upto..at]).map_or(start, |i| upto + i + 1);
            upto = at;
            start
        })
    };
    let mut starts: Vec<usize> = line_starts(b"```")
        .chain(line_starts(b"~~~"))
        // A BOM belongs to no line's text.
        .map(|at| {
            if at == 0 && text.starts_with('\u{feff}') {
                3
            } else {
                at
            }
        })
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let mut blocks = Vec::new();
    let mut open: Option<(usize, u8, usize)> = None;
    for start in starts {
        let (end, next) = line_end(bytes, start);
        let line = &text[start..end];
        match open {
            None => {
                if let Some((ch, n)) = fence_open(line) {
                    open = Some((start, ch, n));
                }
            }
            Some((from, ch, n)) => {
                if is_fence_close(line, ch, n) {
                    blocks.push(from..next);
                    open = None;
                }
            }
        }
    }
    if let Some((from, _, _)) = open {
        blocks.push(from..text.len());
    }
    blocks
}

/// The Markdown code of `text`, in order: its fenced blocks and the
/// inline code spans outside them, whose quotes and dashes are not prose.
///
/// An inline span needs a closing backtick run of the same length right
/// after a character that is neither a space nor a dash, so that TeX quotes
/// such as `` `a' and `b' `` are not taken for code.
pub(crate) fn code(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    if memchr::memchr(b'`', bytes).is_none() {
        return out;
    }
    let mut pos = 0;
    for fence in fences(text)
        .into_iter()
        .chain(std::iter::once(text.len()..text.len()))
    {
        // The lines between the last fence and this one.
        while pos < fence.start {
            let Some(tick) = memchr::memchr(b'`', &bytes[pos..fence.start]) else {
                break;
            };
            let line_start =
                memchr::memrchr(b'\n', &bytes[pos..pos + tick]).map_or(pos, |i| pos + i + 1);
            let line_end = memchr::memchr(b'\n', &bytes[pos + tick..fence.start])
                .map_or(fence.start, |i| pos + tick + i + 1);
            inline_code(text, line_start..line_end, &mut out);
            pos = line_end;
        }
        if !fence.is_empty() {
            out.push(fence.clone());
        }
        pos = pos.max(fence.end);
    }
    out
}

/// Finds inline code spans in one line.
///
/// Each backtick run looks up the next run of the same length through a
/// table built once per line, so a line of unmatched runs stays linear.
fn inline_code(text: &str, line: Range<usize>, out: &mut Vec<Range<usize>>) {
    let bytes = &text.as_bytes()[..line.end];
    let Some(first) = memchr::memchr(b'`', &bytes[line.start..]) else {
        return;
    };
    // Every run of backticks in the line, as (start, length).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = line.start + first;
    while let Some(off) = memchr::memchr(b'`', &bytes[i..]) {
        let s = i + off;
        let len = bytes[s..].iter().take_while(|&&b| b == b'`').count();
        runs.push((s, len));
        i = s + len;
    }
    // The index of the next run of the same length, for each run.
    let mut next_same = vec![usize::MAX; runs.len()];
    let mut seen: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (k, &(_, len)) in runs.iter().enumerate().rev() {
        if let Some(j) = seen.insert(len, k) {
            next_same[k] = j;
        }
    }
    let mut k = 0;
    while k < runs.len() {
        let (s, len) = runs[k];
        let escaped = s > 0 && bytes[s - 1] == b'\\';
        let Some(&(t, _)) = runs.get(next_same[k]).filter(|_| !escaped) else {
            k += 1;
            continue;
        };
        // The next run of the same length closes the span if it follows a
        // character that is not a space; a dash counts as a space here
        // too, so that the dashes pass closing up ` - ` cannot create a
        // code span.
        let before = text[..t].chars().next_back();
        if before.is_some_and(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2013}' | '\u{2014}'))
        {
            out.push(s..t + len);
            k = next_same[k] + 1;
        } else {
            k += 1;
        }
    }
}

/// The blocks of one text, found when a pass first asks for them and
/// shared by every pass that reads the same text. The pipeline starts a
/// new one whenever an edit is applied.
#[derive(Debug, Default)]
pub(crate) struct Blocks {
    fences: OnceLock<Vec<Range<usize>>>,
    code: OnceLock<Vec<Range<usize>>>,
    paragraphs: OnceLock<Vec<Range<usize>>>,
}

impl Blocks {
    /// The fenced code blocks of `text` ([`fences`]).
    pub(crate) fn fences(&self, text: &str) -> &[Range<usize>] {
        self.fences.get_or_init(|| fences(text))
    }

    /// The Markdown code of `text` ([`code`]).
    pub(crate) fn code(&self, text: &str) -> &[Range<usize>] {
        self.code.get_or_init(|| code(text))
    }

    /// The paragraphs of `text` ([`paragraphs`]).
    pub(crate) fn paragraphs(&self, text: &str) -> &[Range<usize>] {
        self.paragraphs.get_or_init(|| paragraphs(text).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paragraphs() {
        let t = "one\ntwo\n\n \t\nthree\r\n\r\nfour";
        let got: Vec<&str> = paragraphs(t).map(|r| &t[r]).collect();
        assert_eq!(got, ["one\ntwo", "three", "four"]);
        // A line of no-break spaces looks blank and is a break; a
        // no-break space inside a line is text.
        let t = "Oui\n\u{a0}\nNon\u{a0}!";
        let got: Vec<&str> = paragraphs(t).map(|r| &t[r]).collect();
        assert_eq!(got, ["Oui", "Non\u{a0}!"]);
    }

    /// The window around a change is its paragraph, from after the blank
    /// line before it to after the blank line after it (a line of spaces,
    /// tabs or a carriage return is blank too).
    #[test]
    fn changes_are_read_with_their_paragraphs() {
        let text = "a\n\nb c\nd\n \r\ne\n\nf";
        let one = |r: Range<usize>| -> Vec<Range<usize>> { std::iter::once(r).collect() };
        assert_eq!(paragraphs_around(text, &one(5..6)), one(3..12));
        // Changes in neighbouring paragraphs make one window.
        assert_eq!(paragraphs_around(text, &[0..1, 11..12]), one(0..15));
        // A change touching a blank line takes the paragraph before too.
        assert_eq!(paragraphs_around(text, &one(14..15)), one(12..16));
    }

    #[test]
    fn chunks_end_after_blank_lines() {
        let text = "aaa\nbbb\n\nccc\n \nddd";
        let chunks: Vec<(usize, &str)> = paragraph_chunks(text, 2).collect();
        assert_eq!(
            chunks,
            vec![(0, "aaa\nbbb\n\n"), (9, "ccc\n \n"), (15, "ddd")]
        );
        let all: String = paragraph_chunks(text, 1000).map(|(_, c)| c).collect();
        assert_eq!(all, text);
    }

    /// Every reader breaks at the same lines: the paragraphs, the chunks
    /// and the windows agree on texts whose blank lines hold other
    /// spaces.
    #[test]
    fn readers_agree_on_blank_lines() {
        for text in [
            "a\n\u{a0}\nb\n\nc",
            "a\n\u{3000}\nb\n \nc",
            "a\n\t\r\nb\n\u{2028}\nc",
        ] {
            let paras: Vec<Range<usize>> = paragraphs(text).collect();
            let chunk_starts: Vec<usize> = paragraph_chunks(text, 1).map(|(at, _)| at).collect();
            let para_starts: Vec<usize> = paras.iter().map(|p| p.start).collect();
            assert_eq!(chunk_starts, para_starts, "{text:?}");
            for p in &paras {
                let w = paragraphs_around(text, std::slice::from_ref(p));
                assert_eq!(w[0].start, p.start, "{text:?}");
            }
        }
    }

    #[test]
    fn line_ends() {
        let b = b"a\r\nb\rc\nd";
        assert_eq!(line_end(b, 0), (1, 3));
        assert_eq!(line_end(b, 3), (4, 5));
        assert_eq!(line_end(b, 5), (6, 7));
        assert_eq!(line_end(b, 7), (8, 8));
    }

    #[test]
    fn fence_lines() {
        assert_eq!(fence_open("```rust"), Some((b'`', 3)));
        assert_eq!(fence_open("  ~~~~"), Some((b'~', 4)));
        assert_eq!(fence_open("``a``"), None);
        assert_eq!(fence_open("```a```"), None);
        assert!(is_fence_close("````", b'`', 3));
        assert!(!is_fence_close("``", b'`', 3));
        assert!(!is_fence_close("``` rust", b'`', 3));
    }

    #[test]
    fn code_spans_and_fences() {
        let t = "a `x` b\n```\nc `d\n```\ne ``y`z`` f `g' and `h'\n~~~~\nopen";
        let spans: Vec<&str> = code(t).iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(spans, ["`x`", "```\nc `d\n```\n", "``y`z``", "~~~~\nopen"]);
        // A line of backticks with code after it on the same line is an
        // inline span, not a fence that runs to the end of the text.
        let t = "```code``` and \"quotes\"\nmore \"text\"";
        let spans: Vec<&str> = code(t).iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(spans, ["```code```"]);
        // A fence is closed only by a run as long as its opening one.
        let t = "````\n```\nstill code\n````\nprose";
        assert_eq!(code(t), vec![0..25]);
    }

    #[test]
    fn blocks_are_found_once() {
        let t = "a\n\n```\nb\n```\n";
        let b = Blocks::default();
        assert_eq!(b.fences(t), fences(t));
        assert!(std::ptr::eq(b.fences(t), b.fences(t)));
        assert_eq!(b.paragraphs(t).len(), 2);
        assert_eq!(b.code(t).to_vec(), vec![3..13]);
    }
}
