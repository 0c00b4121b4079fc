//! The one-line findings of `copydesk check --format concise`:
//! `path:line:col: rule-id: before → after (level: why)`.
//!
//! One finding per line, so `grep`, `sort`, editors' quickfix lists and
//! tests can read it; the format is stable. With colour (a terminal, or
//! `--color always`) the path is bold and the rule id takes its level's
//! colour, as ruff's concise output does; the characters are the same.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::edit::{positions, Edit, Level};
use crate::render::describe;

/// Writes one line per edit of `text`, coloured if `color`.
pub fn write_lines(
    out: &mut dyn Write,
    path: &str,
    text: &str,
    edits: &[Edit],
    color: bool,
) -> io::Result<()> {
    let pos = positions(text, edits);
    let paint = |style: Style| if color { style } else { Style::new() };
    let bold = paint(Style::new().bold());
    for (e, p) in edits.iter().zip(pos) {
        let level = paint(
            match e.level {
                Level::Fix => AnsiColor::Yellow,
                Level::Suggest => AnsiColor::Cyan,
                Level::Flag => AnsiColor::Magenta,
            }
            .on_default()
            .bold(),
        );
        writeln!(
            out,
            "{bold}{path}{bold:#}:{}:{}: {level}{}{level:#}: {}",
            p.line,
            p.column,
            e.rule,
            describe(e)
        )?;
    }
    Ok(())
}
