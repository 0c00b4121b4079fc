//! Sorted, non-overlapping byte ranges: protected spans and quoted regions.

use std::ops::Range;

use crate::blocks::paragraphs_around;

/// A sorted set of disjoint byte ranges with fast overlap queries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spans(Vec<Range<usize>>);

impl Spans {
    /// Builds the set from ranges in any order, merging overlaps.
    pub fn new(mut ranges: Vec<Range<usize>>) -> Spans {
        ranges.retain(|r| !r.is_empty());
        ranges.sort_by_key(|r| r.start);
        let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match out.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => out.push(r),
            }
        }
        Spans(out)
    }

    /// The ranges, sorted.
    pub fn ranges(&self) -> &[Range<usize>] {
        &self.0
    }

    /// Returns true if no range is held.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Returns true if `range` shares a byte with a span (or, for an empty
    /// range, lies strictly inside one).
    pub fn overlaps(&self, range: &Range<usize>) -> bool {
        let k = self.0.partition_point(|s| s.end <= range.start);
        match self.0.get(k) {
            None => false,
            Some(s) if range.is_empty() => s.start < range.start,
            Some(s) => s.start < range.end,
        }
    }

    /// Returns true if `range` lies wholly inside one span.
    pub fn contains(&self, range: &Range<usize>) -> bool {
        let k = self.0.partition_point(|s| s.end < range.end);
        self.0
            .get(k)
            .is_some_and(|s| s.start <= range.start && range.end <= s.end)
    }

    /// The spans that share a byte with `range`, unclipped.
    pub fn meeting(&self, range: &Range<usize>) -> &[Range<usize>] {
        let k = self.0.partition_point(|s| s.end <= range.start);
        let n = self.0[k..].partition_point(|s| s.start < range.end);
        &self.0[k..k + n]
    }

    /// The spans that meet `range`, clipped to it, in the coordinates of
    /// `range` (its start becomes 0): for a pass that works on a part of
    /// the text at a time.
    pub fn within(&self, range: &Range<usize>) -> Spans {
        let k = self.0.partition_point(|s| s.end <= range.start);
        let clipped = self.0[k..]
            .iter()
            .take_while(|s| s.start < range.end)
            .map(|s| s.start.max(range.start) - range.start..s.end.min(range.end) - range.start);
        Spans(clipped.collect())
    }

    /// Moves every span through the applied `edits` (sorted, disjoint, in
    /// the coordinates the spans are in), which either do not touch a span
    /// or remove it whole (a rule's `protected: delete-lines`): a span
    /// inside an edit goes with it.
    pub fn shift(&mut self, edits: &[(Range<usize>, usize)]) {
        let mut delta: isize = 0;
        let mut k = 0;
        self.0.retain_mut(|s| {
            while k < edits.len() && edits[k].0.end <= s.start {
                delta += edits[k].1 as isize - edits[k].0.len() as isize;
                k += 1;
            }
            if edits
                .get(k)
                .is_some_and(|(e, _)| e.start <= s.start && s.end <= e.end)
            {
                return false;
            }
            s.start = (s.start as isize + delta) as usize;
            s.end = (s.end as isize + delta) as usize;
            true
        });
    }
}

/// The ranges of `a` and `b` together.
pub fn union(a: &Spans, b: &Spans) -> Spans {
    if b.is_empty() {
        return a.clone();
    }
    if a.is_empty() {
        return b.clone();
    }
    Spans::new(a.ranges().iter().chain(b.ranges()).cloned().collect())
}

/// Finds the regions between quotation marks, paragraph by paragraph.
///
/// Curly quotes pair by direction, straight double quotes alternate. A
/// paragraph (text between blank lines) closes any quote left open, so one
/// stray mark cannot mark the rest of a document as quoted.
pub fn quoted_regions(text: &str) -> Spans {
    // Bytes, not characters: every mark is found by its UTF-8 bytes, and a
    // byte of any other character is "not blank", as the character is.
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut prev_newline = false;
    for (i, &x) in b.iter().enumerate() {
        match x {
            b'"' => match open.take() {
                Some(s) => out.push(s..i + 1),
                None => open = Some(i),
            },
            b'\n' => {
                if prev_newline {
                    if let Some(s) = open.take() {
                        out.push(s..i);
                    }
                }
                prev_newline = true;
                continue;
            }
            b'\r' | b' ' | b'\t' => continue,
            // “ „ ” (E2 80 9C, E2 80 9E, E2 80 9D)
            0xE2 if b.get(i + 1) == Some(&0x80) => match b.get(i + 2) {
                Some(0x9C | 0x9E) => open = open.or(Some(i)),
                Some(0x9D) => {
                    if let Some(s) = open.take() {
                        out.push(s..i + 3);
                    }
                }
                _ => {}
            },
            // « » (C2 AB, C2 BB)
            0xC2 => match b.get(i + 1) {
                Some(0xAB) => open = open.or(Some(i)),
                Some(0xBB) => {
                    if let Some(s) = open.take() {
                        out.push(s..i + 2);
                    }
                }
                _ => {}
            },
            _ => {}
        }
        prev_newline = false;
    }
    if let Some(s) = open {
        out.push(s..text.len());
    }
    Spans::new(out)
}

/// The quoted regions of `text` that [`quoted_regions`] finds in the
/// paragraphs around `range` (`crate::blocks::paragraphs_around`), in the text's
/// coordinates: a blank line closes every quote, so those paragraphs are
/// read on their own, and a few matches cost a few paragraphs, not the
/// whole text. Returns the stretch read and its regions.
pub fn quoted_around(text: &str, range: &Range<usize>) -> (Range<usize>, Spans) {
    let stretch = paragraphs_around(text, std::slice::from_ref(range))
        .pop()
        .expect("a range lies in a paragraph");
    let at = stretch.start;
    let regions = quoted_regions(&text[stretch.clone()]);
    let moved = regions.ranges().iter().map(|r| r.start + at..r.end + at);
    (stretch, Spans::new(moved.collect()))
}

/// Carries changed ranges (sorted, disjoint, in the text before `edits`)
/// into the text after `edits` (sorted, each with the length of its
/// replacement), grown to cover any edit they overlap, and adds the edits'
/// own replacements: what has changed, in the new text. The mojibake pass
/// keeps its repairs this way, the pipeline what changed since a pass last
/// ran.
pub fn carry(replaced: &[Range<usize>], edits: &[(Range<usize>, usize)]) -> Vec<Range<usize>> {
    let (mut starts, mut ends) = (Mapper::new(edits), Mapper::new(edits));
    let mut moved = replaced
        .iter()
        .map(|r| starts.map(r.start, false)..ends.map(r.end, true))
        .peekable();
    let mut delta = 0isize;
    let mut added = edits
        .iter()
        .map(|(r, len)| {
            let start = r.start.saturating_add_signed(delta);
            delta += *len as isize - r.len() as isize;
            start..start + len
        })
        .peekable();
    // Both lists come sorted by start: merged as they come (the moved
    // first on a tie, as a stable sort of the two would put them), with no
    // list of them all beside the result (#20: dense edits made it three).
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(replaced.len() + edits.len());
    let mut last_start = 0;
    loop {
        let r = match (moved.peek(), added.peek()) {
            (Some(a), Some(b)) if b.start < a.start => added.next(),
            (Some(_), _) => moved.next(),
            (None, _) => added.next(),
        };
        let Some(r) = r else { break };
        debug_assert!(r.start >= last_start, "carried ranges come sorted");
        last_start = r.start;
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Maps positions, in increasing order, through sorted edits.
struct Mapper<'a> {
    edits: &'a [(Range<usize>, usize)],
    next: usize,
    delta: isize,
}

impl<'a> Mapper<'a> {
    fn new(edits: &'a [(Range<usize>, usize)]) -> Mapper<'a> {
        Mapper {
            edits,
            next: 0,
            delta: 0,
        }
    }

    /// Maps `pos`; a position inside an edit goes to the start of its
    /// replacement, or to its end when `end` is set.
    fn map(&mut self, pos: usize, end: bool) -> usize {
        while let Some((r, len)) = self.edits.get(self.next) {
            if pos <= r.start {
                break;
            }
            if pos < r.end {
                let start = r.start.saturating_add_signed(self.delta);
                return if end { start + len } else { start };
            }
            self.delta += *len as isize - r.len() as isize;
            self.next += 1;
        }
        pos.saturating_add_signed(self.delta)
    }
}

/// The furthest end among `ranges` (sorted by start) up to each one: a
/// point lies in one of the ranges starting at or before it iff the reach
/// at the last such range gets past it, so a lookup is one bisection.
pub(crate) fn reach(ranges: &[Range<usize>]) -> Vec<usize> {
    ranges
        .iter()
        .scan(0, |far, r| {
            *far = r.end.max(*far);
            Some(*far)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_queries() {
        let s = Spans::new(vec![10..20, 0..5, 3..7]);
        assert_eq!(s.ranges(), &[0..7, 10..20]);
        assert!(s.overlaps(&(6..8)));
        assert!(!s.overlaps(&(7..10)));
        assert!(s.overlaps(&(15..15)));
        assert!(!s.overlaps(&(10..10)));
        assert!(s.contains(&(11..20)));
        assert!(!s.contains(&(9..12)));
    }

    #[test]
    fn quotes_pair_within_paragraphs() {
        let t = "a \"b\" c \u{201c}d\u{201d}\n\n\"open\n\nafter";
        let q = quoted_regions(t);
        let got: Vec<&str> = q.ranges().iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(got, vec!["\"b\"", "\u{201c}d\u{201d}", "\"open\n"]);
    }

    /// The regions found byte by byte are those a walk over the
    /// characters finds, on texts made of marks, line breaks, blanks and
    /// other characters (some of them sharing the marks' first bytes).
    #[test]
    fn quoted_regions_match_a_walk_over_characters() {
        fn by_chars(text: &str) -> Spans {
            let mut out = Vec::new();
            let mut open: Option<usize> = None;
            let mut prev_newline = false;
            for (i, c) in text.char_indices() {
                match c {
                    '\u{201c}' | '\u{201e}' | '\u{00ab}' => open = open.or(Some(i)),
                    '\u{201d}' | '\u{00bb}' => {
                        if let Some(s) = open.take() {
                            out.push(s..i + c.len_utf8());
                        }
                    }
                    '"' => match open.take() {
                        Some(s) => out.push(s..i + 1),
                        None => open = Some(i),
                    },
                    '\n' if prev_newline => {
                        if let Some(s) = open.take() {
                            out.push(s..i);
                        }
                    }
                    _ => {}
                }
                if c == '\n' {
                    prev_newline = true;
                } else if c != '\r' && c != ' ' && c != '\t' {
                    prev_newline = false;
                }
            }
            if let Some(s) = open {
                out.push(s..text.len());
            }
            Spans::new(out)
        }
        let parts = [
            "\"", "\u{201c}", "\u{201d}", "\u{201e}", "\u{ab}", "\u{bb}", "\n", "\r", " ", "\t",
            "a", "\u{2019}", "\u{2014}", "\u{a0}", "\u{c9}", "\u{2020}", "\u{85}",
        ];
        let mut next = crate::rules::test_texts::numbers(0x2545_f491);
        for _ in 0..5000 {
            let text = crate::rules::test_texts::pieced(&parts, 40, &mut next);
            assert_eq!(quoted_regions(&text), by_chars(&text), "{text:?}");
        }
    }

    /// The regions found around a range are those the whole text has
    /// there: a range overlaps a quoted region of the stretch exactly when
    /// it overlaps one of the whole text.
    #[test]
    fn quoted_around_a_range_matches_the_whole_text() {
        let parts = [
            "\"", "\u{201c}", "\u{201d}", "\n", "\n\n", "\r\n", " ", "\t", "a", "bc",
        ];
        let mut next = crate::rules::test_texts::numbers(0x9e37_79b9);
        let mut checked = 0;
        for _ in 0..3000 {
            let text = crate::rules::test_texts::pieced(&parts, 30, &mut next);
            let whole = quoted_regions(&text);
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for _ in 0..8 {
                let a = bounds[next() % bounds.len()];
                let b = bounds[next() % bounds.len()];
                let range = a.min(b)..a.max(b);
                let (stretch, around) = quoted_around(&text, &range);
                assert!(stretch.start <= range.start && range.end <= stretch.end);
                assert_eq!(
                    around.overlaps(&range),
                    whole.overlaps(&range),
                    "{text:?} {range:?}"
                );
                checked += usize::from(whole.overlaps(&range));
            }
        }
        assert!(checked > 1000, "only {checked} ranges in quotes");
    }

    #[test]
    fn shift_moves_spans_past_edits() {
        let mut s = Spans::new(vec![10..12, 20..21]);
        s.shift(&[(0..2, 5)]);
        assert_eq!(s.ranges(), &[13..15, 23..24]);
    }

    #[test]
    fn shift_drops_spans_an_edit_removes_whole() {
        let mut s = Spans::new(vec![3..5, 10..12, 20..21]);
        s.shift(&[(8..13, 0), (15..16, 2)]);
        assert_eq!(s.ranges(), &[3..5, 16..17]);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn carry_maps_replaced_ranges() {
        // "aXXbYc": XX (1..3) -> "z", then Y (4..5) -> "ww".
        let first = carry(&[], &[(1..3, 1)]);
        assert_eq!(first, vec![1..2]);
        let second = carry(&first, &[(3..4, 2)]);
        assert_eq!(second, vec![1..2, 3..5]);
        // An edit inside an old replacement grows it.
        assert_eq!(carry(&[2..6], &[(3..4, 3)]), vec![2..8]);
    }

    /// Ranges move with the edits before them, stretch over an insertion
    /// inside them, and the edits' own new ranges join them.
    #[test]
    fn changed_ranges_move_through_a_stage() {
        let ranges = [2..4, 10..12];
        // `0..1` grows by 2, `5..7` is deleted, 2 bytes go in at 11.
        let shifts = [(0..1, 3), (5..7, 0), (11..11, 2)];
        assert_eq!(carry(&ranges, &shifts), vec![0..3, 4..6, 7..7, 10..14]);
    }
}
