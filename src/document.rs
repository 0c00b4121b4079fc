//! What kind of document a text is, and the spans that kind protects.
//!
//! The passes only see text and protected spans. A [`Document`] tells the
//! pipeline how to find those spans: plain text has its own protections
//! ([`crate::protect`]), Markdown adds its syntax ([`crate::markdown`]), and
//! both honour `copydesk:` directives (`crate::directives`).

use std::path::Path;
use std::str::FromStr;

use crate::directives::{self, Directives};
use crate::markdown;
use crate::spans::Spans;

/// The file type, which decides how a text is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Plain text: every byte is prose except what [`crate::protect`] finds.
    #[default]
    Plain,
    /// CommonMark with GitHub tables, footnotes and front matter.
    Markdown,
}

impl Kind {
    /// The kind a file's extension implies: `.md` and `.markdown` are
    /// Markdown, anything else is plain text.
    pub fn from_path(path: &Path) -> Kind {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") => {
                Kind::Markdown
            }
            _ => Kind::Plain,
        }
    }

    /// The lowercase name used by `--type` and `copydesk config`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Plain => "plain",
            Kind::Markdown => "markdown",
        }
    }
}

impl FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Kind, String> {
        match s {
            "plain" => Ok(Kind::Plain),
            "markdown" => Ok(Kind::Markdown),
            _ => Err(format!("unknown type `{s}` (known: markdown, plain)")),
        }
    }
}

/// What the pipeline needs to know about a text besides its bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// How the text is read.
    pub kind: Kind,
}

impl Document {
    /// A plain-text document.
    pub fn plain() -> Document {
        Document { kind: Kind::Plain }
    }

    /// A Markdown document.
    pub fn markdown() -> Document {
        Document {
            kind: Kind::Markdown,
        }
    }
}

/// The spans of a text no pass may touch, and its directives.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// Markdown syntax, `off` regions and directive lines, in input
    /// coordinates: the document's structure, found once.
    pub structure: Spans,
    /// `disable=` regions and malformed directives.
    pub directives: Directives,
    /// The language the Markdown front matter declares (`lang:`), as
    /// written.
    pub lang: Option<String>,
}

/// Finds the structure `text`, read as `doc`, keeps away from the passes.
///
/// The plain protections ([`crate::protect`]: URLs, addresses, handles) are
/// not part of it: the pipeline finds them again on the text each pass
/// sees.
pub(crate) fn prepare(text: &str, doc: &Document) -> Prepared {
    let (structure, directives, lang) = match doc.kind {
        Kind::Plain => (None, directives::parse_plain(text), None),
        Kind::Markdown => {
            let md = markdown::analyse(text);
            let d = directives::parse_markdown(text, &md.html);
            (Some(md.protected), d, md.lang)
        }
    };
    let mut all = directives.protected.ranges().to_vec();
    if let Some(s) = &structure {
        all.extend_from_slice(s.ranges());
    }
    Prepared {
        structure: Spans::new(all),
        directives,
        lang,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_comes_from_the_extension() {
        assert_eq!(Kind::from_path(Path::new("a/b.md")), Kind::Markdown);
        assert_eq!(Kind::from_path(Path::new("b.MARKDOWN")), Kind::Markdown);
        assert_eq!(Kind::from_path(Path::new("b.txt")), Kind::Plain);
        assert_eq!(Kind::from_path(Path::new("README")), Kind::Plain);
        assert_eq!("markdown".parse::<Kind>(), Ok(Kind::Markdown));
        assert!("rst".parse::<Kind>().is_err());
    }
}
