//! The library's error type: what went wrong, and where.
//!
//! Every error names the file it concerns and, where known, the line and
//! column and the rule id, so the one-line message a user sees on stderr is
//! enough to find the problem.

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
            write!(f, "rule `{rule}`: ")?;
        }
        write!(f, "{}", self.message)
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
