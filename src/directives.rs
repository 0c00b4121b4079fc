//! In-text directives: `copydesk: off`, `on`, `ignore-next-line`,
//! `disable=ID,…` and `enable=ID,…`.
//!
//! An editor sometimes needs a quotation, a list of spun phrases in an
//! article about spinning, or a legal name kept exactly as written. The
//! directive says so where it matters, next to the text, instead of in a
//! config file far away.
//!
//! - In Markdown a directive is an HTML comment, `<!-- copydesk: off -->`,
//!   found by the parser (a comment shown inside a code block is not one).
//! - In plain text it is a line of its own: `copydesk: off`, optionally after
//!   `#` or `//`, or wrapped as `<!-- copydesk: off -->`.
//!
//! `off` … `on` regions and the line after `ignore-next-line` become
//! protected spans; `disable=` regions filter edits by rule id in the
//! pipeline. Directive text itself is always protected. A directive that
//! cannot be understood is reported as a `bad-directive` flag, never
//! guessed at.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::spans::Spans;

/// Rule id of the finding reported for a malformed directive.
pub const BAD_DIRECTIVE: &str = "bad-directive";

/// A directive line in plain text.
static PLAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^[ \t]*(?:<!--[ \t]*copydesk:(?P<html>[^\r\n]*?)-->|(?:(?:\#|//)[ \t]*)?copydesk:(?P<line>[^\r\n]*?))[ \t]*\r?$",
    )
    .expect("directive regex compiles")
});

/// A same-line directive in plain text: `<!-- copydesk: ignore … -->` at
/// the end of a line that holds text before it.
static TRAILING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)[^ \t\r\n][ \t]*(?P<whole><!--[ \t]*copydesk:(?P<cmd>[ \t]*ignore\b[^\r\n>]*?)-->)[ \t]*\r?$",
    )
    .expect("same-line directive regex compiles")
});

/// A directive comment in Markdown HTML.
static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--[ \t]*copydesk:(?P<cmd>[^>]*?)-->").expect("comment regex compiles")
});

/// A directive that could not be understood, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The directive's text in the input.
    pub range: Range<usize>,
    /// What is wrong with it.
    pub message: String,
}

/// The directives of one text, resolved into regions.
#[derive(Debug, Default)]
pub struct Directives {
    /// `off` regions, ignored lines and the directives themselves.
    pub protected: Spans,
    /// Per rule id, the regions where it is disabled.
    disabled: HashMap<String, Vec<Range<usize>>>,
    /// Directives that could not be understood.
    pub problems: Vec<Problem>,
    /// Every rule id a `disable=` or `enable=` names, with the directive's
    /// range: the pipeline, which knows the loaded rules, reports the
    /// unknown ones.
    pub named: Vec<(String, Range<usize>)>,
}

impl Directives {
    /// Returns true if a `disable=` directive switches `rule` off anywhere
    /// in `range` (input coordinates).
    pub fn suppresses(&self, rule: &str, range: &Range<usize>) -> bool {
        let Some(regions) = self.disabled.get(rule) else {
            return false;
        };
        regions.iter().any(|r| {
            if range.is_empty() {
                r.start <= range.start && range.start < r.end
            } else {
                r.start < range.end && range.start < r.end
            }
        })
    }

    /// Returns true if no `disable=` region is open anywhere.
    pub fn disables_nothing(&self) -> bool {
        self.disabled.is_empty()
    }
}

/// One directive found in the text.
struct Found<'t> {
    /// The directive's own text (a line, or a comment).
    range: Range<usize>,
    /// Where the protected directive ends: past the line break for a
    /// directive line, at the comment's end for a Markdown comment.
    own_end: usize,
    /// The end of the line it sits on, past the line break.
    line_end: usize,
    /// What it says, trimmed.
    command: &'t str,
}

/// What a directive asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command<'t> {
    Off,
    On,
    IgnoreNextLine,
    /// `ignore` (every rule) or `ignore ID,…` at the end of a line: that
    /// line only.
    IgnoreLine(Vec<&'t str>),
    Disable(Vec<&'t str>),
    Enable(Vec<&'t str>),
}

/// Parses a directive's command, or explains why it cannot.
fn command(s: &str) -> Result<Command<'_>, String> {
    match s {
        "off" => return Ok(Command::Off),
        "on" => return Ok(Command::On),
        "ignore-next-line" => return Ok(Command::IgnoreNextLine),
        "ignore" => return Ok(Command::IgnoreLine(Vec::new())),
        _ => {}
    }
    if let Some(list) = s
        .strip_prefix("ignore ")
        .or_else(|| s.strip_prefix("ignore="))
    {
        let ids = list
            .split([',', ' ', '\t'])
            .filter(|id| !id.is_empty())
            .collect();
        return Ok(Command::IgnoreLine(ids));
    }
    if let Some((verb, list)) = s.split_once('=') {
        let list: Vec<&str> = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let verb = verb.trim();
        if list.is_empty() && (verb == "disable" || verb == "enable") {
            return Err(format!("`{verb}=` names no rule id"));
        }
        match verb {
            "disable" => return Ok(Command::Disable(list)),
            "enable" => return Ok(Command::Enable(list)),
            _ => {}
        }
    }
    Err(format!(
        "unknown copydesk directive `{s}` (known: off, on, ignore-next-line, ignore [ID,…], disable=ID,…, enable=ID,…)"
    ))
}

/// The end of the line holding `pos`, past its line break.
fn end_of_line(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

/// Finds the directives of a plain-text document: lines of their own.
pub fn parse_plain(text: &str) -> Directives {
    if !text.contains("copydesk:") {
        return Directives::default();
    }
    let mut found = Vec::new();
    for caps in PLAIN.captures_iter(text) {
        let whole = caps.get(0).expect("group 0");
        let cmd = caps
            .name("html")
            .or_else(|| caps.name("line"))
            .map_or("", |m| m.as_str().trim());
        // Prose that happens to start with "copydesk:" is not a directive:
        // only a single word (or a `verb=list`) is read as one.
        if cmd.contains(' ') && !cmd.contains('=') {
            continue;
        }
        let line_end = end_of_line(text, whole.end());
        found.push(Found {
            range: whole.range(),
            own_end: line_end,
            line_end,
            command: cmd,
        });
    }
    for caps in TRAILING.captures_iter(text) {
        let whole = caps.name("whole").expect("group whole");
        found.push(Found {
            range: whole.range(),
            own_end: whole.end(),
            line_end: end_of_line(text, whole.end()),
            command: caps.name("cmd").map_or("", |m| m.as_str().trim()),
        });
    }
    found.sort_by_key(|f| f.range.start);
    resolve(text, found)
}

/// Finds the directives of a Markdown document: comments inside the HTML
/// ranges the parser found.
pub fn parse_markdown(text: &str, html: &[Range<usize>]) -> Directives {
    let mut found = Vec::new();
    for r in html {
        let slice = &text[r.clone()];
        if !slice.contains("copydesk:") {
            continue;
        }
        for caps in COMMENT.captures_iter(slice) {
            let whole = caps.get(0).expect("group 0");
            let range = r.start + whole.start()..r.start + whole.end();
            found.push(Found {
                own_end: range.end,
                line_end: end_of_line(text, range.end),
                range,
                command: caps.name("cmd").map_or("", |m| m.as_str().trim()),
            });
        }
    }
    found.sort_by_key(|f| f.range.start);
    resolve(text, found)
}

/// Turns directives, in order, into regions.
fn resolve(text: &str, found: Vec<Found<'_>>) -> Directives {
    let mut protected = Vec::new();
    let mut disabled: HashMap<String, Vec<Range<usize>>> = HashMap::new();
    let mut open: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    let mut named = Vec::new();
    let mut off: Option<usize> = None;
    for f in &found {
        protected.push(f.range.start..f.own_end);
        let cmd = match command(f.command) {
            Ok(c) => c,
            Err(message) => {
                if off.is_none() {
                    problems.push(Problem {
                        range: f.range.clone(),
                        message,
                    });
                }
                continue;
            }
        };
        if let Some(start) = off {
            // Inside an `off` region only `on` is read.
            if cmd == Command::On {
                protected.push(start..f.own_end);
                off = None;
            }
            continue;
        }
        match cmd {
            Command::Off => off = Some(f.range.start),
            Command::On => problems.push(Problem {
                range: f.range.clone(),
                message: "`copydesk: on` without an earlier `copydesk: off`".into(),
            }),
            Command::IgnoreNextLine => {
                let next = end_of_line(text, f.line_end);
                protected.push(f.line_end..next);
            }
            Command::IgnoreLine(ids) => {
                let start = text[..f.range.start].rfind('\n').map_or(0, |i| i + 1);
                if ids.is_empty() {
                    protected.push(start..f.range.start);
                }
                for id in ids {
                    named.push((id.to_string(), f.range.clone()));
                    disabled
                        .entry(id.to_string())
                        .or_default()
                        .push(start..f.line_end);
                }
            }
            Command::Disable(ids) => {
                for id in ids {
                    named.push((id.to_string(), f.range.clone()));
                    open.entry(id).or_insert(f.range.end);
                }
            }
            Command::Enable(ids) => {
                for id in ids {
                    named.push((id.to_string(), f.range.clone()));
                    match open.remove(id) {
                        Some(start) => disabled
                            .entry(id.to_string())
                            .or_default()
                            .push(start..f.range.start),
                        None => problems.push(Problem {
                            range: f.range.clone(),
                            message: format!("`enable={id}` without an earlier `disable={id}`"),
                        }),
                    }
                }
            }
        }
    }
    if let Some(start) = off {
        protected.push(start..text.len());
    }
    for (id, start) in open {
        disabled
            .entry(id.to_string())
            .or_default()
            .push(start..text.len());
    }
    Directives {
        protected: Spans::new(protected),
        disabled,
        problems,
        named,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept<'t>(text: &'t str, d: &Directives) -> Vec<&'t str> {
        d.protected
            .ranges()
            .iter()
            .map(|r| &text[r.clone()])
            .collect()
    }

    /// `<!-- copydesk: ignore ID -->` at the end of a line switches the
    /// rule off on that line only; bare `ignore` protects the line; on a
    /// line of its own the comment is no same-line directive.
    #[test]
    fn same_line_ignore_covers_its_line_only() {
        let t = "a x <!-- copydesk: ignore r1, r2 -->\nb x\nc x <!-- copydesk: ignore -->\n";
        let d = parse_plain(t);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let line1 = 0..t.find('\n').unwrap();
        assert!(d.suppresses("r1", &(2..3)));
        assert!(d.suppresses("r2", &(2..3)));
        assert!(!d.suppresses("r1", &(line1.end + 3..line1.end + 4)));
        let kept = kept(t, &d);
        assert!(kept.iter().any(|k| k.starts_with("c x ")), "{kept:?}");
        assert!(!kept.iter().any(|k| k.starts_with('b')), "{kept:?}");
        assert_eq!(d.named.len(), 2);
    }

    #[test]
    fn plain_off_on_and_ignore_next_line() {
        let t = "a\ncopydesk: off\nb\n# copydesk: on\nc\n// copydesk: ignore-next-line\nd\ne\n";
        let d = parse_plain(t);
        assert_eq!(
            kept(t, &d),
            vec![
                "copydesk: off\nb\n# copydesk: on\n",
                "// copydesk: ignore-next-line\nd\n"
            ]
        );
        assert!(d.problems.is_empty());
    }

    #[test]
    fn crlf_lines_are_read_and_kept_whole() {
        let t = "a\r\ncopydesk: off\r\nb\r\ncopydesk: on\r\nc\r\n";
        let d = parse_plain(t);
        assert_eq!(kept(t, &d), vec!["copydesk: off\r\nb\r\ncopydesk: on\r\n"]);
        assert!(d.problems.is_empty());
    }

    #[test]
    fn off_runs_to_the_end_without_on() {
        let t = "a\n<!-- copydesk: off -->\nb\n";
        assert_eq!(
            kept(t, &parse_plain(t)),
            vec!["<!-- copydesk: off -->\nb\n"]
        );
    }

    #[test]
    fn disable_regions_are_per_rule() {
        let t = "x\ncopydesk: disable=a, b\ny\ncopydesk: enable=a\nz\n";
        let d = parse_plain(t);
        let y = t.find("\ny\n").unwrap() + 1;
        let z = t.find("\nz\n").unwrap() + 1;
        assert!(d.suppresses("a", &(y..y + 1)));
        assert!(d.suppresses("b", &(y..y + 1)));
        assert!(!d.suppresses("a", &(z..z + 1)));
        assert!(d.suppresses("b", &(z..z + 1)));
        assert!(!d.suppresses("a", &(0..1)));
        assert!(!d.suppresses("c", &(y..y + 1)));
    }

    #[test]
    fn malformed_directives_are_problems_and_prose_is_not_a_directive() {
        let t = "copydesk: of\ncopydesk: on\ncopydesk: enable=x\ncopydesk: disable=\ncopydesk: a tool for editors\n";
        let d = parse_plain(t);
        let msgs: Vec<&str> = d.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(msgs[0].starts_with("unknown copydesk directive `of`"));
        assert!(msgs[1].contains("without an earlier `copydesk: off`"));
        assert!(msgs[2].contains("without an earlier `disable=x`"));
        assert!(msgs[3].contains("names no rule id"));
        assert!(!kept(t, &d).concat().contains("a tool"));
    }

    #[test]
    fn markdown_reads_comments_only_inside_html() {
        let t =
            "a <!-- copydesk: off --> b <!-- copydesk: on --> c\n\n`<!-- copydesk: off -->` d\n";
        let md = crate::markdown::analyse(t);
        let d = parse_markdown(t, &md.html);
        assert_eq!(
            kept(t, &d),
            vec!["<!-- copydesk: off --> b <!-- copydesk: on -->"]
        );
    }
}
