//! The one-line findings of `copydesk check --format concise`:
//! `path:line:col: rule-id: before → after (level: why)`.
//!
//! One finding per line, so `grep`, `sort`, editors' quickfix lists and
//! tests can read it; the format is stable.

use std::io::{self, Write};

use crate::edit::{positions, Edit};
use crate::render::describe;

/// Writes one line per edit of `text`.
pub fn write_lines(out: &mut dyn Write, path: &str, text: &str, edits: &[Edit]) -> io::Result<()> {
    let pos = positions(text, edits);
    for (e, p) in edits.iter().zip(pos) {
        writeln!(
            out,
            "{path}:{}:{}: {}: {}",
            p.line,
            p.column,
            e.rule,
            describe(e)
        )?;
    }
    Ok(())
}
