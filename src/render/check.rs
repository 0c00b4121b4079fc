//! The one-line findings of `copydesk check`:
//! `path:line:col: rule-id: before → after (level: why)`.

use std::io::{self, Write};

use crate::edit::{positions, Edit};
use crate::render::visible;

/// Writes one line per edit of `text`.
pub fn write_lines(out: &mut dyn Write, path: &str, text: &str, edits: &[Edit]) -> io::Result<()> {
    let pos = positions(text, edits);
    for (e, p) in edits.iter().zip(pos) {
        write!(
            out,
            "{path}:{}:{}: {}: {}",
            p.line,
            p.column,
            e.rule,
            visible(&e.before)
        )?;
        match &e.after {
            Some(a) if a.is_empty() => write!(out, " → (deleted)")?,
            Some(a) => write!(out, " → {}", visible(a))?,
            None => {}
        }
        if e.why.is_empty() {
            writeln!(out, " ({})", e.level.as_str())?;
        } else {
            writeln!(out, " ({}: {})", e.level.as_str(), e.why)?;
        }
    }
    Ok(())
}
