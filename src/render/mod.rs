//! Renderers: every output format reads the same edit list.
//!
//! [`diff`] makes a unified diff, [`check`] the one-line findings of
//! `copydesk check`, [`json`] the machine-readable change log, [`html`] the
//! redline page of `copydesk review`.

pub mod check;
pub mod diff;
pub mod html;
pub mod json;

use std::borrow::Cow;

/// Shows invisible characters of a snippet so a finding fits on one line.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| c.is_control() || c == '\u{a0}' || c.is_whitespace() && c != ' ')
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || (c.is_whitespace() && c != ' ') => {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}
