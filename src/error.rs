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
//!
//! An error in a rule pack or config may carry an [`Excerpt`] of the line
//! it points into; [`Error::render`] then shows it as rustc does (#17):
//!
//! ```text
//! copydesk: error: rule `a`: unknown field `fnd`, expected one of `id`, …
//!  --> house.yaml:6:5
//!   |
//! 6 |     fnd: z
//!   |     ^^^
//!   |
//!   = help: did you mean `find`?
//! ```
//!
//! The excerpt is held to the same rule as quoted values: a window of at
//! most [`MAX_EXCERPT_CHARS`] characters of that one line, unsafe
//! characters replaced, cut at a quoted value's first line break; and the loaders attach one only to a
//! file that reads as YAML of their schema up to that line (see
//! `rules::load::may_show_lines`), so a file that is not (a private key, a
//! `.env`) is never shown.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

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
    pub rule: Option<Box<str>>,
    /// What is wrong, in one line.
    pub message: String,
    /// What would fix it, when something can tell ("did you mean
    /// `replace`?"): shown as a `help:` line, or after a `;` on one line.
    pub help: Option<Box<str>>,
    /// The line of the file the error points into, when it may be shown.
    /// (Boxed: most errors have none, and every `Result` carries the
    /// size.)
    pub excerpt: Option<Box<Excerpt>>,
}

/// A bounded window of the line an error points into, and the part of it
/// to underline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    /// The line as shown: what comes before the window as spaces (then
    /// `…`), at most [`MAX_EXCERPT_CHARS`] characters of the line, `…`
    /// where it was cut. Each character stays in its column, so that the
    /// column of the span is the column in the file: an unsafe character
    /// (a control, a bidirectional override) shows as `�`.
    pub text: String,
    /// The byte range of `text` to underline (never empty unless `text`
    /// is).
    pub span: Range<usize>,
}

/// The most characters of a line an [`Excerpt`] shows: as many as of a
/// quoted value.
pub const MAX_EXCERPT_CHARS: usize = MAX_QUOTE_CHARS;

impl Excerpt {
    /// The excerpt of line `line` (1-based) of `text` around `width`
    /// characters from `column` (1-based, in characters); without a width,
    /// the YAML token at the column (a key, a plain value, or a quoted one
    /// up to its closing quote). `None` when there is no such line.
    pub fn of(text: &str, line: usize, column: usize, width: Option<usize>) -> Option<Excerpt> {
        let raw = text.lines().nth(line.checked_sub(1)?)?;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let chars: Vec<char> = raw.chars().collect();
        let start = column.saturating_sub(1).min(chars.len());
        let width = width.unwrap_or_else(|| token_width(&chars[start..])).max(1);
        // A quoted value is shown up to its first line break, as quoted
        // values in messages are.
        let end_of_line = first_escaped_break(&chars).unwrap_or(chars.len());
        // From the start of the line, unless that would leave the span
        // near or past the window's end.
        let from = if start < MAX_EXCERPT_CHARS * 3 / 5 {
            0
        } else {
            start - MAX_EXCERPT_CHARS / 2
        };
        let to = (from + MAX_EXCERPT_CHARS).min(end_of_line).max(from);
        let mut out = String::new();
        if from > 0 {
            out.extend(std::iter::repeat_n(' ', from - 1));
            out.push('…');
        }
        let mut span = None::<Range<usize>>;
        for (i, &c) in chars.iter().enumerate().take(to).skip(from) {
            let at = out.len();
            out.push(if c != '\t' && is_unsafe(c) {
                '\u{fffd}'
            } else {
                c
            });
            if (start..start + width).contains(&i) {
                span = Some(span.map_or(at..out.len(), |s| s.start..out.len()));
            }
        }
        if to < chars.len() {
            let at = out.len();
            out.push('…');
            // A span cut off points at the cut.
            span.get_or_insert(at..out.len());
        }
        let span = span.unwrap_or(out.len()..out.len());
        Some(Excerpt { text: out, span })
    }
}

/// The width in characters of the YAML token at the start of `chars`.
fn token_width(chars: &[char]) -> usize {
    match chars.first() {
        Some(&q @ ('"' | '\'')) => {
            let mut i = 1;
            while i < chars.len() {
                match chars[i] {
                    '\\' if q == '"' => i += 1,
                    c if c == q => return i + 1,
                    _ => {}
                }
                i += 1;
            }
            chars.len()
        }
        _ => chars
            .iter()
            .position(|&c| c.is_whitespace() || matches!(c, ':' | ',' | '{' | '}' | '[' | ']'))
            .unwrap_or(chars.len()),
    }
}

/// Where the first `\n` or `\r` escape inside a double-quoted value of a
/// YAML line starts: what follows is, for the value, another line.
fn first_escaped_break(chars: &[char]) -> Option<usize> {
    let mut quoted = false;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '"' => quoted = !quoted,
            '\\' if quoted => {
                if matches!(chars.get(i + 1), Some('n' | 'r' | 'N' | 'L' | 'P')) {
                    return Some(i);
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
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
            help: None,
            excerpt: None,
        }
    }

    /// Adds a hint (`did you mean …?`).
    pub fn help(mut self, help: Option<String>) -> Error {
        self.help = help.map(String::into_boxed_str);
        self
    }

    /// Adds the excerpt of `text`, the file the error is about, at its
    /// location, `width` characters underlined (see `Excerpt::of`). The
    /// caller decides the file may be shown.
    pub fn excerpt_of(mut self, text: &str, width: Option<usize>) -> Error {
        if let Some((line, column)) = self.location {
            self.excerpt = Excerpt::of(text, line, column, width).map(Box::new);
        }
        self
    }

    /// The error as printed on standard error after `copydesk: error: `:
    /// one line, or, with an excerpt, the rustc form (see the module doc);
    /// `color` styles it.
    pub fn render(&self, color: bool) -> String {
        let (Some(excerpt), Some((line, _))) = (&self.excerpt, self.location) else {
            return format!("copydesk: error: {self}");
        };
        let mut title = String::new();
        if let Some(rule) = &self.rule {
            title.push_str(&format!("rule `{}`: ", snippet(rule)));
        }
        title.push_str(&bound_quotes(&self.message, None));
        // The header's column is the span's in the snippet, which keeps
        // every character in its column.
        let path = bound_quotes(&self.path.display().to_string(), None);
        let mut group = Level::ERROR
            .with_name("copydesk: error")
            .primary_title(title)
            .element(
                Snippet::source(&excerpt.text)
                    .path(path)
                    .line_start(line)
                    .fold(false)
                    .annotation(AnnotationKind::Primary.span(excerpt.span.clone())),
            );
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(bound_quotes(help, None)));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group]).to_string()
    }

    /// Adds a line and column.
    pub fn at(mut self, location: Option<(usize, usize)>) -> Error {
        self.location = location;
        self
    }

    /// Adds the rule id.
    pub fn rule(mut self, id: &str) -> Error {
        if !id.is_empty() {
            self.rule = Some(id.into());
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
        f.write_str(&bound_quotes(&self.message, None))?;
        if let Some(help) = &self.help {
            write!(f, "; {}", bound_quotes(help, None))?;
        }
        Ok(())
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
    bound_quotes_nth(msg, first.map(|f| (0, f)))
}

/// [`bound_quotes`], with the quoted value numbered `which.0` (from 0)
/// cut to `which.1` characters instead of the first.
pub fn bound_quotes_nth(msg: &str, which: Option<(usize, usize)>) -> String {
    let mut out = String::with_capacity(msg.len().min(1024));
    let mut chars = msg.chars();
    let mut nth = 0;
    while let Some(c) = chars.next() {
        if c == '`' || c == '"' {
            let limit = match which {
                Some((n, f)) if n == nth => f.min(MAX_QUOTE_CHARS),
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
    fn errors_with_an_excerpt_render_as_rustc_does() {
        let text = "pack: t\nrules:\n  - id: a\n    fnd: z\n";
        let e = Error::new(ErrorKind::Syntax, "house.yaml", "unknown field `fnd`")
            .at(Some((4, 5)))
            .rule("a")
            .help(Some("did you mean `find`?".into()))
            .excerpt_of(text, None);
        assert_eq!(
            e.render(false),
            "copydesk: error: rule `a`: unknown field `fnd`
 --> house.yaml:4:5
  |
4 |     fnd: z
  |     ^^^
  |
  = help: did you mean `find`?"
        );
        // On one line, the help follows the message.
        assert_eq!(
            e.to_string(),
            "house.yaml:4:5: rule `a`: unknown field `fnd`; did you mean `find`?"
        );
        // Without an excerpt, the one line.
        let e = Error::new(ErrorKind::Input, "a.txt", "cannot read");
        assert_eq!(e.render(false), "copydesk: error: a.txt: cannot read");
    }

    #[test]
    fn excerpts_are_a_bounded_escaped_window_of_one_line() {
        // A quoted token is underlined to its closing quote.
        let e = Excerpt::of("a: 'x y' z\n", 1, 4, None).unwrap();
        assert_eq!(&e.text[e.span.clone()], "'x y'");
        // A long line: a window around the column, cut with `…`, each
        // character in its column.
        let long = format!("k: {}TARGET{}\n", "a".repeat(200), "b".repeat(200));
        let e = Excerpt::of(&long, 1, 204, Some(6)).unwrap();
        assert_eq!(&e.text[e.span.clone()], "TARGET");
        assert_eq!(e.text[..e.span.start].chars().count(), 203);
        let shown = e.text.trim_start();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= MAX_EXCERPT_CHARS + 2);
        // Controls are replaced; a double-quoted value stops at its first
        // line break.
        let e = Excerpt::of("k: \"a\\nSECRET\" \u{1b}[31m\n", 1, 4, None).unwrap();
        assert_eq!(e.text, "k: \"a…");
        let e = Excerpt::of("k: v\u{1b}[31m\u{202e}\n", 1, 1, None).unwrap();
        assert_eq!(e.text, "k: v\u{fffd}[31m\u{fffd}");
        assert_eq!(&e.text[e.span.clone()], "k");
        // No such line: no excerpt.
        assert_eq!(Excerpt::of("k: v\n", 3, 1, None), None);
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
