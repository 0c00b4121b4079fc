//! Markdown: which bytes are prose, and which are syntax no pass may touch.
//!
//! The file is parsed once with pulldown-cmark, keeping source offsets. Prose
//! is what the parser reports as text outside code, front matter, HTML and
//! autolinks: paragraphs, headings, list items, table cells, block quotes,
//! emphasis, link text and image descriptions. Everything else is protected:
//!
//! - front matter (YAML `---` or TOML `+++` at the top), fenced and indented
//!   code blocks with their indentation, inline code, HTML blocks and inline
//!   HTML (so `<!-- copydesk: … -->` comments too), autolinks;
//! - the destination and title of links and images (`](url "title")`,
//!   `][ref]`), reference definitions (`[ref]: url`), footnote references;
//! - entity and backslash escapes (`&amp;`, `\*`): rewriting them changes
//!   what the Markdown means;
//! - hard line breaks (two trailing spaces), and every other byte of markup
//!   (`#`, `*`, `>`, list markers, table pipes, thematic breaks);
//! - indentation made of anything but spaces and tabs (a no-break space at
//!   the start of a line): fixing it would change the document's structure.
//!
//! Whitespace between and around blocks stays open to the passes, so a
//! paragraph printed twice can still be removed.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use crate::spans::Spans;

/// What the pipeline learns from a Markdown parse.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Bytes no pass may touch, in input coordinates.
    pub protected: Spans,
    /// Ranges of HTML (blocks and inline), where directive comments live.
    pub html: Vec<Range<usize>>,
    /// The `lang` the front matter declares, as written.
    pub lang: Option<String>,
}

/// A link or image being parsed: its whole range and the prose inside.
type OpenLink = (Range<usize>, Vec<Range<usize>>);

/// The parser options: CommonMark plus the GitHub extensions editorial
/// repositories use, and both front-matter styles.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// Parses `text` as Markdown and finds its protected spans and HTML.
pub fn analyse(text: &str) -> Analysis {
    let mut protected: Vec<Range<usize>> = Vec::new();
    let mut prose: Vec<Range<usize>> = Vec::new();
    let mut html: Vec<Range<usize>> = Vec::new();
    // Depth inside constructs whose text is not prose (code, front matter,
    // HTML blocks, autolinks).
    let mut opaque = 0usize;
    // Open links and images: their range and the prose inside them, or
    // `None` for an autolink (protected whole).
    let mut links: Vec<Option<OpenLink>> = Vec::new();
    // The kind of front matter being read, and the language it declares.
    let mut metadata: Option<MetadataBlockKind> = None;
    let mut lang = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                // The range starts after an indented block's indentation;
                // protect the whole first line.
                protected.push(line_start(text, range.start)..range.end);
                opaque += 1;
            }
            Event::Start(Tag::MetadataBlock(kind)) => {
                protected.push(range);
                opaque += 1;
                metadata = Some(kind);
            }
            Event::Text(content) if metadata.is_some() && lang.is_none() => {
                lang = declared_lang(&content, metadata == Some(MetadataBlockKind::YamlStyle));
            }
            Event::Start(Tag::HtmlBlock) => {
                protected.push(range.clone());
                html.push(range);
                opaque += 1;
            }
            Event::End(TagEnd::CodeBlock | TagEnd::MetadataBlock(_) | TagEnd::HtmlBlock) => {
                opaque = opaque.saturating_sub(1);
                metadata = None;
            }
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. }) => {
                if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    protected.push(range);
                    opaque += 1;
                    links.push(None);
                } else {
                    links.push(Some((range, Vec::new())));
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => match links.pop() {
                Some(None) => opaque = opaque.saturating_sub(1),
                Some(Some((whole, inner))) => protected.extend(complement(&whole, &inner)),
                None => {}
            },
            Event::Text(content) if opaque == 0 => {
                if text[range.clone()] == *content {
                    for (_, inner) in links.iter_mut().flatten() {
                        inner.push(range.clone());
                    }
                    prose.push(range);
                } else {
                    // An entity or escape: its source is syntax.
                    protected.push(range);
                }
            }
            Event::SoftBreak if opaque == 0 => {
                for (_, inner) in links.iter_mut().flatten() {
                    inner.push(range.clone());
                }
                prose.push(range);
            }
            Event::InlineHtml(_) => {
                protected.push(range.clone());
                html.push(range);
            }
            Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::HardBreak
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_)
            | Event::Rule => protected.push(range),
            _ => {}
        }
    }
    // Markup between the prose: protect every non-blank run of it.
    let prose = Spans::new(prose);
    let mut pos = 0;
    for r in prose.ranges().iter().chain([&(text.len()..text.len())]) {
        markup_runs(text, pos..r.start, &mut protected);
        pos = r.end;
    }
    odd_indentation(text, &mut protected);
    Analysis {
        protected: Spans::new(protected),
        html,
        lang,
    }
}

/// The value of the top-level `lang` key of front matter `block`: YAML
/// (`lang: fr`, quoted or not) or TOML (`lang = "fr"`). Read line by line,
/// not parsed: the front matter of a document is not trusted input for a
/// YAML parser, and only this one scalar is wanted. A value that is not a
/// plain word (a list, a mapping) is not a language and is not taken.
fn declared_lang(block: &str, yaml: bool) -> Option<String> {
    let sep = if yaml { ':' } else { '=' };
    block.lines().find_map(|line| {
        let rest = line.strip_prefix("lang")?.trim_start_matches([' ', '\t']);
        let value = rest.strip_prefix(sep)?;
        // A trailing comment, then the quotes around the value.
        let value = match value.find(" #") {
            Some(i) => &value[..i],
            None => value,
        }
        .trim();
        let value = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q)?.strip_suffix(*q))
            .unwrap_or(value);
        let word = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        word.then(|| value.to_string())
    })
}

/// Protects the leading whitespace of lines that holds characters other
/// than spaces and tabs (no-break and other Unicode spaces): Markdown reads
/// indentation as structure, so turning such a character into a space
/// could make a paragraph line into a heading, an HTML block or code, and
/// the next run would see a different document.
fn odd_indentation(text: &str, out: &mut Vec<Range<usize>>) {
    let mut line = 0;
    while line < text.len() {
        let rest = &text[line..];
        let lead = rest
            .char_indices()
            .find(|&(_, c)| !c.is_whitespace() || c == '\n')
            .map_or(rest.len(), |(i, _)| i);
        if rest[..lead]
            .chars()
            .any(|c| c != ' ' && c != '\t' && c != '\r')
        {
            out.push(line..line + lead);
        }
        line = match rest.find('\n') {
            Some(i) => line + i + 1,
            None => text.len(),
        };
    }
}

/// The start of the line holding byte `pos`.
fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// The parts of `whole` not covered by `inner` (sorted, disjoint).
fn complement(whole: &Range<usize>, inner: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = whole.start;
    for r in inner {
        if r.start > pos {
            out.push(pos..r.start);
        }
        pos = pos.max(r.end);
    }
    if pos < whole.end {
        out.push(pos..whole.end);
    }
    out
}

/// Pushes the runs of non-whitespace bytes of `text[gap]` to `out`.
fn markup_runs(text: &str, gap: Range<usize>, out: &mut Vec<Range<usize>>) {
    let mut start = None;
    for (i, b) in text.as_bytes()[gap.clone()].iter().enumerate() {
        let blank = matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        match (blank, start) {
            (false, None) => start = Some(gap.start + i),
            (true, Some(s)) => {
                out.push(s..gap.start + i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..gap.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The protected slices of `text`.
    fn kept(text: &str) -> Vec<&str> {
        analyse(text)
            .protected
            .ranges()
            .iter()
            .map(|r| &text[r.clone()])
            .collect()
    }

    #[test]
    fn prose_is_open_and_markup_is_kept() {
        assert_eq!(kept("# A *b* c\n\nplain text\n"), vec!["#", "*", "*"]);
        assert_eq!(
            kept("- one\n  two\n\n> three\n> four\n"),
            vec!["-", ">", ">"]
        );
    }

    #[test]
    fn code_front_matter_and_html_are_kept_whole() {
        let t = "---\ntitle: a\n---\ntext\n\n    indented  code\n\n```\nfenced\n```\n<div>\nx\n</div>\n";
        assert_eq!(
            kept(t),
            vec![
                "---\ntitle: a\n---",
                "    indented  code\n",
                "```\nfenced\n```",
                "<div>\nx\n</div>\n"
            ]
        );
        assert_eq!(kept("+++\na = 1\n+++\ntext\n"), vec!["+++\na = 1\n+++"]);
        assert_eq!(kept("a `b  c` d"), vec!["`b  c`"]);
    }

    #[test]
    fn links_keep_destinations_not_text() {
        assert_eq!(
            kept("[the text](http://x.org/a \"a title\") and <http://y.org>"),
            vec!["[", "](http://x.org/a \"a title\")", "<http://y.org>"]
        );
        assert_eq!(
            kept("![alt text](i.png)\n\n[ref text][r]\n\n[r]: http://r.org\n"),
            vec!["![", "](i.png)", "[", "][r]", "[r]:", "http://r.org"]
        );
    }

    #[test]
    fn escapes_entities_hard_breaks_and_tables_are_kept() {
        assert_eq!(kept("a &amp; b \\* c"), vec!["&amp;", "\\"]);
        assert_eq!(kept("line  \nnext"), vec!["  \n"]);
        assert_eq!(
            kept("| a | b |\n|---|---|\n| c | d |\n"),
            vec!["|", "|", "|", "|---|---|", "|", "|", "|"]
        );
    }

    #[test]
    fn odd_indentation_is_kept() {
        assert_eq!(
            kept("\u{a0}<!-- x --> a\n  b\n\u{2003} c\n"),
            vec!["\u{a0}<!-- x -->", "\u{2003} "]
        );
    }

    #[test]
    fn front_matter_declares_the_language() {
        let lang = |t: &str| analyse(t).lang;
        assert_eq!(
            lang("---\ntitle: x\nlang: fr\n---\ntext\n").as_deref(),
            Some("fr")
        );
        assert_eq!(
            lang("---\nlang: \"de-CH\" # Swiss\n---\n").as_deref(),
            Some("de-CH")
        );
        assert_eq!(lang("+++\nlang = 'es'\n+++\ntext\n").as_deref(), Some("es"));
        assert_eq!(lang("---\nlang = fr\n---\n"), None, "TOML in YAML");
        assert_eq!(
            lang("---\nlanguage: fr\n  lang: fr\n---\n"),
            None,
            "not top level"
        );
        assert_eq!(lang("---\nlang: [fr, de]\n---\n"), None);
        assert_eq!(lang("text\n\nlang: fr\n"), None, "not front matter");
    }

    #[test]
    fn html_ranges_are_reported() {
        let t = "<!-- x -->\n\ntext <!-- y --> more\n";
        let a = analyse(t);
        let got: Vec<&str> = a.html.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(got, vec!["<!-- x -->\n", "<!-- y -->"]);
    }
}
