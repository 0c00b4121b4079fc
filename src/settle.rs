//! Holds back the edits of one stage that would change a protected span.
//!
//! Whether text is a URL, an address, a handle or a file name depends on
//! its neighbours as well as its own characters: a removed control glues a
//! word to a URL (`The\u{8d}http://…`), which is then no URL, and a mark
//! written right after a URL can become part of it. An edit that makes a
//! span appear, vanish or change is left unapplied (it stays in the report),
//! so what the input protects stays protected and every pass, in this run
//! and the next, sees the same spans.
//!
//! No protected span contains whitespace, so the check only reads the
//! stretch around each applied edit up to the nearest whitespace on either
//! side: text that has edits costs a little more, never a second scan of the
//! whole document.

use std::ops::Range;

use crate::code_tokens::plain_spans;
use crate::edit::Edit;
use crate::spans::Spans;

/// A document's structure as it stands, and how to find it on a text.
pub type Structure<'a> = (&'a Spans, &'a dyn Fn(&str) -> Spans);

/// The applied ranges of `edits` (sorted, disjoint) and their new lengths.
pub fn shifts(edits: &[Edit]) -> Vec<(Range<usize>, usize)> {
    edits
        .iter()
        .filter(|e| e.applied)
        .map(|e| (e.range.clone(), e.replacement().len()))
        .collect()
}

/// Leaves unapplied every applied edit of `edits` (one stage's, sorted,
/// over `text`) that changes the plain protections `plain` (those of
/// `text`).
///
/// Returns the applied ranges and new lengths, and moves `plain` to the
/// stage's output.
///
/// `structure`, for a Markdown document, is its structure (Markdown
/// syntax, directives) as it stands on `text`, with the function that
/// finds it on a text: an edit that makes structure appear or vanish (a
/// removed NUL that turns a hard line break into a blank line) is held back
/// the same way.
pub fn settle_stage(
    text: &str,
    edits: &mut [Edit],
    plain: &mut Spans,
    structure: Option<Structure<'_>>,
) -> Vec<(Range<usize>, usize)> {
    // Unapplying an edit can change what its neighbours form, so check
    // again until nothing changes.
    while blame(text, edits, plain) || structure.is_some_and(|s| blame_structure(text, edits, s)) {}
    let shifts = shifts(edits);
    if !shifts.is_empty() {
        plain.shift(&shifts);
    }
    shifts
}

/// Checks each stretch of text around applied edits and unapplies the
/// edits that changed its protected spans; returns true if it unapplied any.
fn blame(text: &str, edits: &mut [Edit], plain: &Spans) -> bool {
    let applied: Vec<usize> = (0..edits.len()).filter(|&i| edits[i].applied).collect();
    let mut blamed = false;
    let mut k = 0;
    let mut floor = 0;
    let mut window = String::new();
    while k < applied.len() {
        // One stretch: from the whitespace before the first edit to the
        // whitespace after the last one it reaches.
        let start = stretch_start(text, floor, edits[applied[k]].range.start);
        let first = k;
        let mut end = stretch_end(text, edits[applied[k]].range.end);
        k += 1;
        while k < applied.len() && edits[applied[k]].range.start <= end {
            // `end` is whitespace or the text's end: an edit ending before
            // it ends its stretch there too, and is not searched from
            // again (a long run without whitespace and with many edits
            // would be read once per edit).
            let edit_end = edits[applied[k]].range.end;
            if edit_end > end {
                end = stretch_end(text, edit_end);
            }
            k += 1;
        }
        floor = end;
        let members = &applied[first..k];
        // The stretch as the edits leave it, and where each replacement
        // lands in it.
        window.clear();
        let mut pos = start;
        let mut placed = Vec::with_capacity(members.len());
        let mut shifts = Vec::with_capacity(members.len());
        for &i in members {
            let e = &edits[i];
            window.push_str(&text[pos..e.range.start]);
            let at = window.len();
            window.push_str(e.replacement());
            placed.push(at..window.len());
            shifts.push((
                e.range.start - start..e.range.end - start,
                e.replacement().len(),
            ));
            pos = e.range.end;
        }
        window.push_str(&text[pos..end]);
        let found = plain_spans(&window);
        // The spans inside the stretch, found by bisection (the spans are
        // sorted): a walk over all of them per stretch made a text with
        // many edits and many spans quadratic.
        let ranges = plain.ranges();
        let first_inside = ranges.partition_point(|r| r.start < start);
        let mut expected = Spans::new(
            ranges[first_inside..]
                .iter()
                .take_while(|r| r.start < end)
                .filter(|r| r.end <= end)
                .map(|r| r.start - start..r.end - start)
                .collect(),
        );
        expected.shift(&shifts);
        let placed = members.iter().copied().zip(placed);
        blamed |= unapply_where_changed(edits, placed, &found, &expected);
    }
    blamed
}

/// Unapplies the applied edits that meet a change of the document's
/// structure; returns true if it unapplied any. The structure is found on
/// the whole text (Markdown blocks reach far), so this runs only for a
/// stage that has applied edits.
fn blame_structure(text: &str, edits: &mut [Edit], (structure, find): Structure<'_>) -> bool {
    let shifts = shifts(edits);
    if shifts.is_empty() {
        return false;
    }
    let mut expected = structure.clone();
    expected.shift(&shifts);
    let found = find(&crate::apply::apply(text, edits));
    // Where each applied replacement lands in the edited text.
    let mut delta: isize = 0;
    let mut placed = Vec::new();
    for (i, e) in edits.iter().enumerate().filter(|(_, e)| e.applied) {
        let start = e.range.start.saturating_add_signed(delta);
        placed.push((i, start..start + e.replacement().len()));
        delta += e.replacement().len() as isize - e.range.len() as isize;
    }
    // A change no edit touches (a fence closed far away) is the text's
    // own: it is taken as it is.
    unapply_where_changed(edits, placed, &found, &expected)
}

/// Unapplies each edit (by index, with where its replacement lands) that
/// meets a span in `found` but not `expected` or the reverse; returns true
/// if it unapplied any.
fn unapply_where_changed(
    edits: &mut [Edit],
    placed: impl IntoIterator<Item = (usize, Range<usize>)>,
    found: &Spans,
    expected: &Spans,
) -> bool {
    if found == expected {
        return false;
    }
    // Spans are sorted and disjoint: one lookup by start each.
    let missing_from = |spans: &Spans, r: &Range<usize>| {
        spans
            .ranges()
            .binary_search_by_key(&r.start, |s| s.start)
            .map_or(true, |k| spans.ranges()[k] != *r)
    };
    let mut changed: Vec<Range<usize>> = found
        .ranges()
        .iter()
        .filter(|r| missing_from(expected, r))
        .chain(expected.ranges().iter().filter(|r| missing_from(found, r)))
        .cloned()
        .collect();
    changed.sort_by_key(|c| c.start);
    // The furthest end among the changes up to each one: a replacement
    // meets a change iff one starting at or before its end reaches its
    // start, so each is checked by bisection, not against every change.
    let reach = crate::spans::reach(&changed);
    let mut blamed = false;
    for (i, at) in placed {
        let upto = changed.partition_point(|c| c.start <= at.end);
        if upto > 0 && reach[upto - 1] >= at.start {
            edits[i].applied = false;
            blamed = true;
        }
    }
    blamed
}

/// Where the stretch around an edit at `pos` starts: after the last
/// whitespace before it, but not before `floor` (the end of the previous
/// stretch, which keeps the scan linear).
fn stretch_start(text: &str, floor: usize, pos: usize) -> usize {
    text[floor..pos]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(floor, |(i, c)| floor + i + c.len_utf8())
}

/// Where the stretch around an edit ending at `pos` ends: at the first
/// whitespace after it, or the end of the text.
fn stretch_end(text: &str, pos: usize) -> usize {
    text[pos..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(text.len(), |(i, _)| pos + i)
}

#[cfg(test)]
mod tests {

    use super::*;

    fn edit(text: &str, range: Range<usize>, after: &str) -> Edit {
        Edit::applied_fix("t", text, range, after)
    }

    #[test]
    fn an_edit_gluing_a_word_to_a_url_is_held_back() {
        let text = "See The\u{feff}www.example.com and x\u{feff}y.";
        let mut plain = plain_spans(text);
        let bom = text.find('\u{feff}').unwrap();
        let other = text.rfind('\u{feff}').unwrap();
        let mut edits = vec![
            edit(text, bom..bom + 3, ""),
            edit(text, other..other + 3, ""),
        ];
        let shifts = settle_stage(text, &mut edits, &mut plain, None);
        assert!(!edits[0].applied, "the URL would lose its protection");
        assert!(edits[1].applied, "elsewhere the edit applies");
        assert_eq!(shifts.len(), 1);
        let out = crate::apply::apply(text, &edits);
        assert_eq!(plain, plain_spans(&out), "spans moved to the output");
    }

    #[test]
    fn a_mark_written_after_a_url_is_held_back() {
        let text = "at www.example.com/a\" now";
        let mut plain = plain_spans(text);
        let q = text.find('"').unwrap();
        let mut edits = vec![edit(text, q..q + 1, "x")];
        settle_stage(text, &mut edits, &mut plain, None);
        assert!(!edits[0].applied);
    }
}
