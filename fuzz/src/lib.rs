//! Shared pieces of the fuzz targets: text and rule packs built from
//! `Arbitrary` structs, and the invariants every run of the pipeline keeps.
//!
//! Text is assembled from a vocabulary of rule phrases, separators, quotes
//! and awkward Unicode rather than raw bytes, so the fuzzer reaches matches,
//! overlaps and case folding quickly; a `Raw` piece still lets it put any
//! string anywhere.

use std::ops::Range;
use std::sync::Arc;

use arbitrary::Arbitrary;
use copydesk::edit::ranges_overlap;
use copydesk::rules::load::Loader;
use copydesk::spans::union;
use copydesk::{Document, Kind, Options, Outcome, Pipeline};
use pulldown_cmark::{CodeBlockKind, Event, Options as MdOptions, Parser, Tag};

/// Words that rules are built from and text is made of: phrases of the
/// fixture pack, case variants, and letters whose lowercase changes length.
pub const WORDS: &[&str] = &[
    "global",
    "law",
    "Global",
    "LAW",
    "international",
    "Russian",
    "Federation",
    "Russia",
    "the",
    "The",
    "arrive",
    "they",
    "US",
    "USA",
    "us",
    "a",
    "an",
    "coalition",
    "é",
    "É",
    "e\u{301}",
    "İ",
    "ß",
    "ẞ",
    "Σ",
    "ﬁ",
    "Ǆ",
    "naïve",
    "日本",
    "שלום",
    "مرحبا",
    "😀",
    "👩\u{200d}💻",
    "x",
    "1",
    "_",
];

/// Whitespace and invisible debris between words.
pub const SEPS: &[&str] = &[
    " ", " ", "  ", "\n", "\r\n", "\n\n", "\r\n\r\n", "\t", "\u{a0}", "\u{200b}", "\u{ad}",
    "\u{2028}", "\u{3000}", "\u{b}", "\u{85}", "\r", "\u{feff}", "\u{200f}",
];

/// Punctuation, quotes and protected shapes.
pub const PUNCT: &[&str] = &[
    ".",
    ",",
    "-",
    " - ",
    "'",
    "\"",
    "\u{201c}",
    "\u{201d}",
    "`",
    "[sic]",
    "(",
    ")",
    "@user",
    "#tag",
    "https://example.com/global-law",
    "ed@example.org",
    "report.pdf",
    "\u{2026}",
    "&amp;",
    "\u{c3}\u{a9}",
];

/// Regex fragments for pattern rules.
pub const REGEX: &[&str] = &[
    r"(\p{Ll})",
    r"\.",
    r"\s+",
    r"(\w+)",
    r"\d+",
    r"[a-z]",
    r"x?",
    r"\b",
    r"(?i)",
    r"[\u{a0}]",
    r"^",
    r"$",
    r"(?m)",
    r".",
];

/// One piece of generated text.
#[derive(Arbitrary, Debug, Clone)]
pub enum Piece {
    /// A word of [`WORDS`].
    Word(u8),
    /// A separator of [`SEPS`].
    Sep(u8),
    /// Punctuation of [`PUNCT`].
    Punct(u8),
    /// Anything at all.
    Raw(String),
}

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[usize::from(i) % list.len()]
}

/// Concatenates pieces into text.
pub fn render(pieces: &[Piece]) -> String {
    let mut s = String::new();
    for p in pieces {
        match p {
            Piece::Word(i) => s.push_str(pick(WORDS, *i)),
            Piece::Sep(i) => s.push_str(pick(SEPS, *i)),
            Piece::Punct(i) => s.push_str(pick(PUNCT, *i)),
            Piece::Raw(r) => s.push_str(r),
        }
    }
    s
}

/// A phrase: words joined by single spaces, as rule authors write them.
#[derive(Arbitrary, Debug, Clone)]
pub struct Phrase {
    words: Vec<u8>,
    raw: Option<String>,
}

impl Phrase {
    fn text(&self) -> String {
        if let Some(r) = &self.raw {
            return r.clone();
        }
        let words: Vec<&str> = self.words.iter().take(4).map(|&w| pick(WORDS, w)).collect();
        words.join(" ")
    }
}

/// One generated rule.
#[derive(Arbitrary, Debug, Clone)]
pub struct RuleGen {
    find: Phrase,
    more: Vec<Phrase>,
    replace: Option<Phrase>,
    /// Regex fragments and words; a pattern rule when present.
    pattern: Option<Vec<Result<u8, u8>>>,
    /// `$n` group to put into a pattern replacement.
    group: Option<u8>,
    level: u8,
    case: u8,
    boundary: u8,
    in_quotes: u8,
    /// Words around the phrase that make an `unless` exception.
    unless: Option<(Phrase, Phrase)>,
    requires: Option<Phrase>,
}

fn quote(s: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar.
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20
                || c == '\u{7f}'
                || c == '\u{85}'
                || c == '\u{2028}'
                || c == '\u{2029}'
                || c == '\u{feff}' =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl RuleGen {
    /// Writes this rule as one YAML list item.
    fn yaml(&self, n: usize, out: &mut String) {
        out.push_str(&format!("  - id: r{n}\n"));
        let find = self.find.text();
        match &self.pattern {
            Some(frags) => {
                let mut re = String::new();
                for f in frags.iter().take(6) {
                    match f {
                        Ok(i) => re.push_str(pick(REGEX, *i)),
                        Err(w) => re.push_str(&regex_escape(pick(WORDS, *w))),
                    }
                }
                out.push_str(&format!("    pattern: {}\n", quote(&re)));
            }
            None if self.more.is_empty() => {
                out.push_str(&format!("    find: {}\n", quote(&find)));
            }
            None => {
                out.push_str(&format!("    find: [{}", quote(&find)));
                for p in self.more.iter().take(3) {
                    out.push_str(&format!(", {}", quote(&p.text())));
                }
                out.push_str("]\n");
            }
        }
        let level = ["fix", "suggest", "flag"][usize::from(self.level % 3)];
        let mut replace = self.replace.as_ref().map(Phrase::text);
        if let (Some(r), Some(g), Some(_)) = (&mut replace, self.group, &self.pattern) {
            r.push_str(&format!("${{{}}}", g % 3));
        }
        match replace {
            Some(r) => out.push_str(&format!("    replace: {}\n", quote(&r))),
            None if level != "flag" => out.push_str("    replace: \"\"\n"),
            None => {}
        }
        out.push_str(&format!("    level: {level}\n"));
        out.push_str(&format!(
            "    case: {}\n",
            ["smart", "sensitive", "insensitive"][usize::from(self.case % 3)]
        ));
        if !self.boundary.is_multiple_of(3) {
            out.push_str(&format!(
                "    boundary: {}\n",
                ["word", "none"][usize::from(self.boundary % 2)]
            ));
        }
        out.push_str(&format!(
            "    in_quotes: {}\n",
            ["apply", "suggest", "skip"][usize::from(self.in_quotes % 3)]
        ));
        if let (Some((before, after)), None) = (&self.unless, &self.pattern) {
            let u = format!("{} {find} {}", before.text(), after.text());
            out.push_str(&format!("    unless: [{}]\n", quote(u.trim())));
        }
        if let Some(r) = &self.requires {
            out.push_str(&format!("    requires: [{}]\n", quote(&r.text())));
        }
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~ ".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A generated rule set: a few rules in one pack, maybe with the defaults.
#[derive(Arbitrary, Debug, Clone)]
pub struct PackGen {
    rules: Vec<RuleGen>,
    /// Load the default packs too.
    pub defaults: bool,
    /// Apply suggestions as well as fixes.
    pub apply_suggestions: bool,
}

impl PackGen {
    /// The pack as YAML text.
    pub fn yaml(&self) -> String {
        let mut y = String::from("pack: fuzz\nrules:\n");
        for (n, r) in self.rules.iter().take(6).enumerate() {
            r.yaml(n, &mut y);
        }
        if self.rules.is_empty() {
            y = "pack: fuzz\n".into();
        }
        y
    }

    /// Prints the pack and `text` when `COPYDESK_FUZZ_DEBUG` is set, to
    /// read a crash while replaying it.
    pub fn debug(&self, text: &str) {
        if std::env::var_os("COPYDESK_FUZZ_DEBUG").is_some() {
            eprintln!(
                "defaults: {}\n--- pack\n{}--- text\n{text:?}",
                self.defaults,
                self.yaml()
            );
        }
    }

    /// The pipeline, or `None` when the loader refuses the pack (which is
    /// a correct answer, checked by the `load_pack` target).
    pub fn pipeline(&self) -> Option<Pipeline> {
        let mut loader = Loader::new();
        if self.defaults {
            loader.add_builtin();
        }
        loader.add_source("fuzz.yaml", self.yaml());
        let set = loader.build().ok()?;
        Some(Pipeline::new(
            Arc::new(set),
            Options {
                apply_suggestions: self.apply_suggestions,
                ..Options::default()
            },
        ))
    }
}

/// The fixture pack of the tests, for seeds given as plain text.
pub const FIXTURE_PACK: &str = include_str!("../../tests/fixtures/pack.yaml");

/// The fixture pack plus the default packs: the rule set a seed that
/// starts with [`TEXT_SEED`] is cleaned with.
pub fn fixture_pipeline() -> Pipeline {
    let mut loader = Loader::new();
    loader.add_builtin();
    // The fixture's rules under their own ids: the default packs hold
    // rules of the same names (as in `tests/properties.rs`).
    loader.add_source(
        "fixture.yaml",
        FIXTURE_PACK.replace("- id: ", "- id: fixture-"),
    );
    let set = loader.build().expect("fixture pack loads");
    Pipeline::new(Arc::new(set), Options::default())
}

/// Prefix of a plain-text seed: the rest of the input is the text itself,
/// cleaned with [`fixture_pipeline`]. Lets the seed corpus be readable
/// files that the fuzzer mutates byte by byte.
pub const TEXT_SEED: &[u8] = b"text:";

/// A unified diff of two texts, for panic messages.
pub fn diff(a: &str, b: &str, left: &str, right: &str) -> String {
    similar::TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(2)
        .header(left, right)
        .to_string()
}

/// Cleans `text` and panics, with a diff, if any promise is broken:
/// edits name their input bytes, the applied edits rebuild the output,
/// no applied edit touches a protected span, and cleaning the output
/// changes nothing.
pub fn check(p: &Pipeline, text: &str) {
    check_with(p, text, &Document::plain());
}

/// [`check`] for a text read as `doc`: the same promises for
/// `Pipeline::run_with`, where the protected spans are the plain ones plus,
/// for Markdown, the syntax `copydesk::markdown::analyse` finds. Returns the
/// outcome, for further checks.
pub fn check_with<'a>(p: &Pipeline, text: &'a str, doc: &Document) -> Outcome<'a> {
    let out = p.run_with(text, doc);
    let mut last_end = 0;
    for e in &out.edits {
        assert_eq!(
            text.get(e.range.clone()),
            Some(e.before.as_str()),
            "edit `{}` {:?} names bytes that are not its `before` in {text:?}",
            e.rule,
            e.range
        );
        if e.applied {
            assert!(
                e.range.start >= last_end,
                "applied edits overlap at {:?}: {:#?}",
                e.range,
                out.edits
            );
            last_end = e.range.end;
        }
    }
    let rebuilt = copydesk::apply::apply(text, &out.edits);
    if rebuilt != out.output {
        panic!(
            "applying the edits does not give the output\ninput: {text:?}\nedits: {:#?}\n{}",
            out.edits,
            diff(&out.output, &rebuilt, "output", "edits applied")
        );
    }
    let plain = copydesk::protect::protected_spans(text);
    let protected = match doc.kind {
        Kind::Plain => plain,
        Kind::Markdown => union(&plain, &copydesk::markdown::analyse(text).protected),
    };
    for e in out.edits.iter().filter(|e| e.applied) {
        assert!(
            !protected.overlaps(&e.range),
            "edit `{}` {:?} touches a protected span {:?} in {text:?}",
            e.rule,
            e.range,
            protected.ranges()
        );
    }
    let again = p.run_with(&out.output, doc);
    if again.output != out.output {
        panic!(
            "not idempotent ({:?})\ninput:  {text:?}\nonce:   {:?}\ntwice:  {:?}\nsecond run's edits: {:#?}\n{}",
            doc.kind,
            out.output,
            again.output,
            again.edits.iter().filter(|e| e.applied).collect::<Vec<_>>(),
            diff(&out.output, &again.output, "clean(x)", "clean(clean(x))")
        );
    }
    out
}

/// The parser options `copydesk::markdown` reads documents with.
fn md_options() -> MdOptions {
    MdOptions::ENABLE_TABLES
        | MdOptions::ENABLE_FOOTNOTES
        | MdOptions::ENABLE_STRIKETHROUGH
        | MdOptions::ENABLE_TASKLISTS
        | MdOptions::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | MdOptions::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// The source ranges of a Markdown text's code and front matter, found by
/// a parse of its own (not the library's list of protected spans): fenced
/// code blocks with their fences, indented code blocks from the start of
/// their first line, inline code spans with their backticks, and front
/// matter with its delimiters.
pub fn code_regions(text: &str) -> Vec<(&'static str, Range<usize>)> {
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(text, md_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => out.push(("fence", range)),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                let start = text[..range.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                out.push(("indented code", start..range.end));
            }
            Event::Start(Tag::MetadataBlock(_)) => out.push(("front matter", range)),
            Event::Code(_) => out.push(("code span", range)),
            _ => {}
        }
    }
    out
}

/// Cleans `text` as Markdown with every promise of [`check_with`], and
/// panics unless each fence, indented code block, code span and the front
/// matter ([`code_regions`]) comes out byte for byte, at the place the
/// applied edits move it to.
pub fn check_markdown<'a>(p: &Pipeline, text: &'a str) -> Outcome<'a> {
    let out = check_with(p, text, &Document::markdown());
    let applied: Vec<&copydesk::Edit> = out.edits.iter().filter(|e| e.applied).collect();
    for (what, r) in code_regions(text) {
        // An insertion strictly inside counts as overlapping too.
        if let Some(e) = applied.iter().find(|e| ranges_overlap(&e.range, &r)) {
            panic!(
                "edit `{}` {:?} changes a {what} {r:?} ({:?}) in {text:?}",
                e.rule,
                e.range,
                &text[r.clone()]
            );
        }
        // Where the region lands: moved by every applied edit before it.
        let mut start = r.start as isize;
        for e in applied.iter().filter(|e| e.range.end <= r.start) {
            start += e.replacement().len() as isize - e.range.len() as isize;
        }
        let start = start as usize;
        assert_eq!(
            out.output.get(start..start + r.len()),
            Some(&text[r.clone()]),
            "{what} {r:?} does not come out byte for byte\ninput:  {text:?}\noutput: {:?}",
            out.output
        );
    }
    out
}
