//! GitHub Actions workflow commands: each finding becomes an annotation on
//! the pull request's diff.
//!
//! ```text
//! ::warning file=a.md,line=5,col=36,endLine=5,endColumn=46,title=copydesk (global-law)::global law → international law (fix: …)
//! ```
//!
//! Levels map as in [`super::sarif`]: a `fix` is a `warning`, a `suggest`
//! or `flag` a `notice`. Values are escaped as GitHub's runner reads them
//! (the `@actions/core` toolkit's `escapeData` / `escapeProperty`): `%`,
//! CR and LF everywhere, plus `:` and `,` inside properties. Columns are
//! sent only for one-line findings, since GitHub ignores them otherwise.

use std::io::{self, Write};

use crate::edit::{Edit, Level};
use crate::render::{describe, locate};

/// Returns the workflow-command level for a copydesk level.
pub fn command(level: Level) -> &'static str {
    match level {
        Level::Fix => "warning",
        Level::Suggest | Level::Flag => "notice",
    }
}

/// Writes one workflow command per edit of `text`.
pub fn write_annotations(
    out: &mut dyn Write,
    path: &str,
    text: &str,
    edits: &[Edit],
) -> io::Result<()> {
    let path = &*repo_path(path);
    for (e, (start, mut end)) in edits.iter().zip(locate(text, edits)) {
        // An edit that ends with a line break ends on that line for a
        // reader (SARIF keeps the exact, exclusive end).
        if end.line > start.line && end.column == 1 {
            end.line -= 1;
        }
        let mut props = format!("file={},line={}", escape_property(path), start.line);
        if start.line == end.line {
            props.push_str(&format!(
                ",col={},endLine={},endColumn={}",
                start.column, end.line, end.column
            ));
        } else {
            props.push_str(&format!(",endLine={}", end.line));
        }
        props.push_str(&format!(
            ",title={}",
            escape_property(&format!("copydesk ({})", e.rule))
        ));
        writeln!(
            out,
            "::{} {props}::{}",
            command(e.level),
            escape_data(&describe(e))
        )?;
    }
    Ok(())
}

/// The path as GitHub matches it against the repository: relative, with
/// no leading `./` (a walk of `.` names `./a.md`); an absolute path below
/// the working directory (the checkout, in a workflow) is made relative.
pub fn repo_path(path: &str) -> std::borrow::Cow<'_, str> {
    let p = std::path::Path::new(path);
    if p.is_absolute() {
        if let Some(rel) = std::env::current_dir()
            .ok()
            .and_then(|cwd| p.strip_prefix(cwd).ok().map(|r| r.display().to_string()))
        {
            return rel.into();
        }
        return path.into();
    }
    let mut rel = path;
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest.trim_start_matches('/');
    }
    rel.into()
}

/// Escapes a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_without_dot_slash() {
        assert_eq!(repo_path("./news/a.md"), "news/a.md");
        assert_eq!(repo_path(".//./a.md"), "a.md");
        assert_eq!(repo_path("news/a.md"), "news/a.md");
        let cwd = std::env::current_dir().unwrap();
        let abs = cwd.join("x/y.md");
        assert_eq!(repo_path(abs.to_str().unwrap()), "x/y.md");
        assert_eq!(repo_path("/elsewhere/z.md"), "/elsewhere/z.md");
    }

    #[test]
    fn escapes_as_the_toolkit_does() {
        assert_eq!(escape_data("50% off\r\nnow"), "50%25 off%0D%0Anow");
        assert_eq!(escape_property("a,b:c%"), "a%2Cb%3Ac%25");
    }
}
