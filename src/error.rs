//! The library's error type: what went wrong, and where.
//!
//! Every error names the file it concerns and, where known, the line and
//! column and the rule id, so the one-line message a user sees on stderr is
//! enough to find the problem.
//!
//! An error never prints a file's contents: a rule pack or config path
//! may name any file (`rules: [/etc/shadow]`), and messages end up in CI
//! logs. A value quoted in a message (between backticks or double quotes,
//! as serde and copydesk quote them) is cut to [`MAX_QUOTE_CHARS`]
//! characters of its first line, and control characters are escaped, so a
//! message is one line and at most a bounded excerpt of the offending line.

use std::fmt;
use std::path::PathBuf;

/// What kind of problem an [`Error`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The rule pack is not valid YAML or does not fit the schema.
    Syntax,
    /// A rule is invalid on its own (empty id, bad regex, …).
    Rule,
    /// Two rules conflict (duplicate id, different replacements, cycle).
    Conflict,
    /// A limit protecting against hostile input was exceeded.
    Limit,
    /// The input could not be read or decoded.
    Input,
}

/// An error with the place it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// What kind of problem this is.
    pub kind: ErrorKind,
    /// The file concerned (a rule pack, or `<builtin>/name.yaml`).
    pub path: PathBuf,
    /// 1-based line and column, when known.
    pub location: Option<(usize, usize)>,
    /// The rule concerned, when there is one.
    pub rule: Option<String>,
    /// What is wrong, in one line.
    pub message: String,
}

impl Error {
    /// Creates an error about `path`.
    pub fn new(kind: ErrorKind, path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        Error {
            kind,
            path: path.into(),
            location: None,
            rule: None,
            message: message.into(),
        }
    }

    /// Adds a line and column.
    pub fn at(mut self, location: Option<(usize, usize)>) -> Error {
        self.location = location;
        self
    }

    /// Adds the rule id.
    pub fn rule(mut self, id: &str) -> Error {
        if !id.is_empty() {
            self.rule = Some(id.to_string());
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, column)) = self.location {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": ")?;
        if let Some(rule) = &self.rule {
            write!(f, "rule `{}`: ", snippet(rule))?;
        }
        f.write_str(&bound_quotes(&self.message, None))
    }
}

/// The most characters of a file's text one quoted value in a message may
/// show.
pub const MAX_QUOTE_CHARS: usize = 80;

/// `text` fit to quote between backticks in a message: its first line, at
/// most [`MAX_QUOTE_CHARS`] characters (`…` marks a cut), with control
/// characters, bidirectional overrides, backslashes and backticks escaped.
pub fn snippet(text: &str) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == MAX_QUOTE_CHARS || c == '\n' || c == '\r' {
            out.push('…');
            break;
        }
        match c {
            '`' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => push_escaped(&mut out, c),
        }
    }
    out
}

/// Returns true for characters that must not reach a terminal or a log
/// raw: controls (escape sequences, line breaks) and the bidirectional
/// overrides and isolates that reorder what is shown.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, c: char) {
    if is_unsafe(c) {
        out.extend(c.escape_default());
    } else {
        out.push(c);
    }
}

/// `msg` with every quoted value (`` `…` ``, or `"…"` in Rust's escaped
/// form, as serde writes an unexpected string) cut to its first line and
/// [`MAX_QUOTE_CHARS`] characters, the first one also to `first` characters
/// when given (the rest of the source line it starts on), and every unsafe
/// character escaped. An unclosed quote runs to the end and is cut the
/// same way, so text never escapes the bound by unbalancing the quotes.
pub fn bound_quotes(msg: &str, first: Option<usize>) -> String {
    let mut out = String::with_capacity(msg.len().min(1024));
    let mut chars = msg.chars();
    let mut nth = 0;
    while let Some(c) = chars.next() {
        if c == '`' || c == '"' {
            let limit = match (nth, first) {
                (0, Some(f)) => f.min(MAX_QUOTE_CHARS),
                _ => MAX_QUOTE_CHARS,
            };
            nth += 1;
            out.push(c);
            bound_one(&mut chars, c, limit, &mut out);
        } else {
            push_escaped(&mut out, c);
        }
    }
    out
}

/// Copies one quoted value up to its closing `close`, cut at `limit`
/// characters or its first line break, an escape (`\n`, `\u{1b}`)
/// counting as one character.
fn bound_one(chars: &mut std::str::Chars<'_>, close: char, limit: usize, out: &mut String) {
    let mut shown = 0;
    let mut cut = false;
    let mut token = String::new();
    while let Some(c) = chars.next() {
        if c == close {
            if cut {
                out.push('…');
            }
            out.push(close);
            return;
        }
        token.clear();
        token.push(c);
        if c == '\\' {
            if let Some(d) = chars.next() {
                token.push(d);
                if d == 'u' && close == '"' {
                    for e in chars.by_ref() {
                        token.push(e);
                        if e == '}' {
                            break;
                        }
                    }
                }
            }
        }
        let line_break = matches!(token.as_str(), "\n" | "\r" | "\\n" | "\\r");
        if cut || line_break || shown >= limit {
            cut = true;
            continue;
        }
        shown += 1;
        for t in token.chars() {
            push_escaped(out, t);
        }
    }
    if cut {
        out.push('…');
    }
}

impl std::error::Error for Error {}

/// Several errors found in one go (every problem of a pack is reported).
#[derive(Debug, Default)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Error> for Errors {
    fn from(e: Error) -> Errors {
        Errors(vec![e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_cut_to_their_first_line_and_the_bound() {
        let long = "x".repeat(500);
        let msg = format!("invalid type: string {:?}, expected a sequence", long);
        let b = bound_quotes(&msg, None);
        assert_eq!(
            b,
            format!(
                "invalid type: string \"{}…\", expected a sequence",
                "x".repeat(MAX_QUOTE_CHARS)
            )
        );
        let msg = format!("string {:?}", "first line\nsecret second line");
        assert_eq!(bound_quotes(&msg, None), "string \"first line…\"");
        // `first` bounds the first quoted value only.
        let b = bound_quotes("unknown field `abcdef`, expected `pack`", Some(3));
        assert_eq!(b, "unknown field `abc…`, expected `pack`");
        // An escape counts as one character and is never split.
        let b = bound_quotes(&format!("{:?}", "ab\u{1b}cd"), Some(3));
        assert_eq!(b, "\"ab\\u{1b}…\"");
    }

    #[test]
    fn unbalanced_quotes_and_controls_cannot_leak_text() {
        let secret = "s".repeat(300);
        let b = bound_quotes(&format!("not `{secret}"), None);
        assert!(b.len() < 100, "{b}");
        let b = bound_quotes("a\u{1b}[31mred\nnext\u{202e}", None);
        assert_eq!(b, "a\\u{1b}[31mred\\nnext\\u{202e}");
        assert_eq!(b.lines().count(), 1);
    }

    #[test]
    fn snippets_escape_what_would_end_their_quote() {
        assert_eq!(snippet("a`b\\c"), "a\\`b\\\\c");
        assert_eq!(snippet("one\ntwo"), "one…");
        let s = snippet(&"y".repeat(200));
        assert_eq!(s.chars().count(), MAX_QUOTE_CHARS + 1);
        // A snippet in backticks survives the display bound whole.
        let msg = format!("not `{}`, and `more`", snippet("a`b"));
        assert_eq!(bound_quotes(&msg, None), "not `a\\`b`, and `more`");
        let e = Error::new(
            ErrorKind::Syntax,
            "p.yaml",
            format!("bad `{}`", "z".repeat(90)),
        );
        assert_eq!(e.to_string(), format!("p.yaml: bad `{}…`", "z".repeat(80)));
    }
}
