//! How a long text is cut for the passes that read it on every core.
//!
//! A pass whose findings on a line depend on that line alone can read a
//! long text in pieces of whole lines on the thread pool and join the
//! edits in text order.

use std::ops::Range;

use rayon::prelude::*;

use crate::edit::Edit;

/// Bytes of text per piece read on its own core.
pub const PIECE: usize = 1 << 20;

/// Splits `text[from..]` into ranges of at least `min` bytes that end
/// after a newline (or at the end).
pub fn line_pieces(
    text: &[u8],
    min: usize,
    from: usize,
) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let from = start.saturating_add(min).min(text.len());
        pos = memchr::memchr(b'\n', &text[from..]).map_or(text.len(), |i| from + i + 1);
        Some(start..pos)
    })
}

/// Splits `pieces` into consecutive runs of at least `min` bytes each
/// (the last may be shorter).
pub fn runs_of(pieces: &[Range<usize>], min: usize) -> Vec<&[Range<usize>]> {
    let mut runs = Vec::new();
    let (mut from, mut bytes) = (0, 0);
    for (k, p) in pieces.iter().enumerate() {
        bytes += p.len();
        if bytes >= min {
            runs.push(&pieces[from..=k]);
            (from, bytes) = (k + 1, 0);
        }
    }
    if from < pieces.len() {
        runs.push(&pieces[from..]);
    }
    runs
}

/// Runs `find` over each of `ranges` (in text order) and appends what it
/// finds to `out` in that order: on the thread pool, a run of ranges of
/// about `min` bytes per task, when there is more than one run; on the
/// calling thread otherwise (a short text starts no pool).
pub fn find_in_pieces(
    ranges: &[Range<usize>],
    min: usize,
    out: &mut Vec<Edit>,
    find: impl Fn(Range<usize>, &mut Vec<Edit>) + Sync,
) {
    in_order(&runs_of(ranges, min), out, |run, out| {
        for r in run.iter() {
            find(r.clone(), out);
        }
    });
}

/// Runs `find` over each of `tasks` and appends what it finds to `out` in
/// task order: on the thread pool when there is more than one task, on the
/// calling thread otherwise.
pub fn in_order<T: Sync>(
    tasks: &[T],
    out: &mut Vec<Edit>,
    find: impl Fn(&T, &mut Vec<Edit>) + Sync,
) {
    if tasks.len() <= 1 {
        for task in tasks {
            find(task, out);
        }
        return;
    }
    let found: Vec<Vec<Edit>> = tasks
        .par_iter()
        .map(|task| {
            let mut edits = Vec::new();
            find(task, &mut edits);
            edits
        })
        .collect();
    out.reserve(found.iter().map(Vec::len).sum());
    for edits in found {
        out.extend(edits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Level;
    use std::sync::Arc;

    /// Pieces tile the text at line ends, runs hold at least `min` bytes,
    /// and the edits of all pieces come back in text order whether the
    /// runs go to the pool or not.
    #[test]
    fn pieces_tile_and_edits_keep_text_order() {
        let text = "one\ntwo two\nthree\n\nfour\nfive five five\nsix".repeat(50);
        let pieces: Vec<_> = line_pieces(text.as_bytes(), 10, 0).collect();
        assert_eq!(pieces.first().map(|p| p.start), Some(0));
        assert_eq!(pieces.last().map(|p| p.end), Some(text.len()));
        for pair in pieces.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
            assert_eq!(text.as_bytes()[pair[0].end - 1], b'\n');
            assert!(pair[0].len() >= 10);
        }
        for run in runs_of(&pieces, 100).iter().rev().skip(1) {
            assert!(run.iter().map(|p| p.len()).sum::<usize>() >= 100);
        }
        let id: Arc<str> = Arc::from("t");
        let find = |r: Range<usize>, out: &mut Vec<Edit>| {
            for (i, _) in text[r.clone()].match_indices("five") {
                let at = r.start + i;
                out.push(Edit::new(&id, Level::Fix, &text, at..at + 4, None, &id));
            }
        };
        let mut whole = Vec::new();
        find(0..text.len(), &mut whole);
        for min in [1, 100, usize::MAX] {
            let mut found = Vec::new();
            find_in_pieces(&pieces, min, &mut found, find);
            assert_eq!(found, whole, "runs of {min}");
        }
        assert_eq!(whole.len(), 150);
    }
}
