//! Code in plain text: tokens that are program text, not prose, so that
//! no quote, spacing, ellipsis or rule edit touches them (#16). Tech news
//! quotes code inline: `console.log(data)`, `os.path`, `(b'')`,
//! `version: '3.7'`. Curling their quotes or reading `os.path` as a lost
//! ellipsis breaks them.
//!
//! Each shape is found within one whitespace-delimited token (with the
//! `key:` of `key: 'value'` the only look past a space), so that finding
//! them again around an edit finds the same spans (see `settle`). The
//! spans join the plain protections of [`crate::protect`].

use std::sync::LazyLock;

use regex::Regex;

use crate::protect::protected_spans;
use crate::spans::{union, Spans};

/// Dotted identifiers: `a.b`, `a.b.c`, with `$` and `_` in names (ASCII
/// classes: the regex runs on every text with a dot, and Unicode `\w`
/// would force its slow engine).
static DOTTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)+").expect("valid regex")
});

/// String literals: empty ones between brackets or after `=` (`('')`,
/// `(b'')`, `[""]`), any in a call (`setup('bdd')`), quoted versions
/// (`'3.7'`) and quoted values after `key:` (`image: 'nginx:1.25'`).
static LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        [(\[{=,] [bBrRuUfF]{0,2} (?:''|"") [)\]},;]
      | [A-Za-z0-9_]\( [bBrRuUfF]{0,2} (?:'[^'\s]*'|"[^"\s]*") [),]
      | ['"] [0-9]+ (?:\.[0-9]+)+ ['"]
      | [A-Za-z_][A-Za-z0-9_.-]*:\ (?:'[^'\s]*[\d.:/_-][^'\s]*'|"[^"\s]*[\d.:/_-][^"\s]*")
    "#,
    )
    .expect("valid regex")
});

/// First names of dotted identifiers that are code whatever follows:
/// language and library roots and the objects tech writing quotes most.
const ROOTS: &[&str] = &[
    "console",
    "os",
    "sys",
    "path",
    "process",
    "window",
    "document",
    "django",
    "flask",
    "np",
    "pd",
    "plt",
    "json",
    "math",
    "self",
    "this",
    "std",
    "java",
    "javax",
    "org",
    "com",
    "net",
    "req",
    "res",
    "ctx",
    "evt",
    "module",
    "exports",
    "require",
    "react",
    "torch",
    "tf",
    "re",
    "github",
    "event",
    "args",
    "config",
    "settings",
    "request",
    "response",
    "app",
    "db",
    "fs",
    "util",
    "http",
    "urllib",
    "numpy",
    "pandas",
    "collections",
    "typing",
    "asyncio",
    "logging",
];

/// Last names that make a dotted identifier code: file extensions not
/// among [`crate::protect`]'s and members quoted from every language.
const LEAVES: &[&str] = &[
    "dll",
    "so",
    "sh",
    "exe",
    "cfg",
    "ini",
    "length",
    "prototype",
];

/// Compiles the token regexes on a thread of their own, so that a run on
/// one short text does not wait for them: the string-literal regex's
/// Unicode classes take about two million instructions to compile, a sixth
/// of what `check` spends on a 5 KB article, and at start-up the second
/// core is idle while the rule packs load on the first.
pub fn compile_in_background() {
    std::thread::spawn(|| {
        LazyLock::force(&DOTTED);
        LazyLock::force(&LITERAL);
    });
}

/// The plain protections: [`protected_spans`] and the code tokens.
pub fn plain_spans(text: &str) -> Spans {
    let found = protected_spans(text);
    let code = code_spans(text);
    if code.is_empty() {
        found
    } else {
        union(&found, &code)
    }
}

/// The code tokens of `text`.
pub fn code_spans(text: &str) -> Spans {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    if memchr::memchr(b'.', bytes).is_some() {
        for m in DOTTED.find_iter(text) {
            if is_code(text, m.start(), m.end()) {
                out.push(m.range());
            }
        }
    }
    if memchr::memchr2(b'\'', b'"', bytes).is_some() {
        for m in LITERAL.find_iter(text) {
            let r = m.range();
            // The bracket or name around a literal stays editable.
            let s = m.as_str();
            let start = if s.starts_with(['(', '[', '{', '=', ',']) {
                r.start + 1
            } else if s.starts_with(['\'', '"']) || s.contains(": ") {
                r.start
            } else {
                r.start + s.find('(').map_or(0, |i| i + 1)
            };
            let end = r.start + s.rfind(['\'', '"']).map_or(s.len(), |i| i + 1);
            out.push(start..end);
        }
    }
    Spans::new(out)
}

/// Returns true if the dotted identifier `text[s..e]` is code: a name with a capital after a small letter, `_`, `$` or
/// a digit, a known root or leaf, code punctuation right before or after
/// it (`(`, `[`, `=`, `;`, a backtick...), or double quotes around it
/// alone (a JSON value). `it.it's` and `gas.we` stay prose.
fn is_code(text: &str, s: usize, e: usize) -> bool {
    let token = &text[s..e];
    let names: Vec<&str> = token.split('.').collect();
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    names.iter().any(|n| {
        n.contains(['_', '$'])
            || n.chars().any(|c| c.is_ascii_digit())
            || n.as_bytes()
                .windows(2)
                .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
    }) || ROOTS.contains(&names[0])
        || LEAVES.contains(&names[names.len() - 1])
        || before.is_some_and(|c| matches!(c, '(' | '[' | '{' | '=' | '!' | '$' | '/' | '.' | '`'))
        || after
            .is_some_and(|c| matches!(c, '(' | '[' | ')' | ';' | '{' | '}' | '=' | ':' | '/' | '`'))
        || (before == Some('"') && after == Some('"'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        code_spans(text)
            .ranges()
            .iter()
            .map(|r| &text[r.clone()])
            .collect()
    }

    #[test]
    fn code_in_prose() {
        assert_eq!(found("with ('') or (b'') here"), ["''", "b''"]);
        assert_eq!(found("set version: '3.7' now"), ["version: '3.7'"]);
        assert_eq!(
            found("image: \"nginx:latest\""),
            ["image: \"nginx:latest\""]
        );
        assert_eq!(found("mocha.setup('bdd'); x"), ["mocha.setup", "'bdd'"]);
        assert_eq!(
            found("use django.contrib and os.path, console.log it"),
            ["django.contrib", "os.path", "console.log"]
        );
        assert_eq!(
            found("github.event.issue.title and clone.bodyUsed, ntdll.dll"),
            ["github.event.issue.title", "clone.bodyUsed", "ntdll.dll"]
        );
    }

    #[test]
    fn prose_stays_prose() {
        for t in [
            "the gas.we lost it.it's gone",
            "He said: \"Go\" and ('Yes') then \"3\" and 'the end'",
            "(the \"best\") film, \"2.5\" stars",
        ] {
            let f = found(t);
            assert!(f.iter().all(|s| s.contains("2.5")), "{t}: {f:?}");
        }
    }
}
