//! Generated Markdown documents (front matter, headings, code, links,
//! lists, tables, HTML) cleaned as Markdown (`Pipeline::run_with` with
//! `Document::markdown()`): every pipeline promise holds (the protected
//! spans include the Markdown syntax), fenced code, indented code, code
//! spans and front matter come out byte for byte, and link targets with a
//! scheme are never rewritten. An input that starts with `text:` is a
//! Markdown file, cleaned with the fixture and default packs.

#![no_main]

use std::sync::LazyLock;

use arbitrary::{Arbitrary, Unstructured};
use copydesk::Pipeline;
use copydesk_fuzz::{check_markdown, fixture_pipeline, render, PackGen, Piece, TEXT_SEED};
use libfuzzer_sys::{fuzz_target, Corpus};

static FIXTURE: LazyLock<Pipeline> = LazyLock::new(fixture_pipeline);

#[derive(Arbitrary, Debug)]
enum Block {
    Heading(u8, Vec<Piece>),
    Para(Vec<Inline>),
    Fence(Vec<Piece>),
    Indented(Vec<Piece>),
    List(Vec<Vec<Inline>>),
    Quote(Vec<Inline>),
    Table(Vec<Vec<Piece>>),
    Html(Vec<Piece>),
    Rule,
}

#[derive(Arbitrary, Debug)]
enum Inline {
    Text(Vec<Piece>),
    Code(Vec<Piece>),
    Emph(Vec<Piece>),
    Strong(Vec<Piece>),
    Link(Vec<Piece>, u8),
    Image(Vec<Piece>, u8),
    Autolink(u8),
}

#[derive(Arbitrary, Debug)]
struct Input {
    pack: PackGen,
    front_matter: Option<Vec<Piece>>,
    blocks: Vec<Block>,
    crlf: bool,
}

const URLS: &[&str] = &[
    "https://example.com/global-law",
    "http://example.org/Russian_Federation?q=global+law#US",
    "https://example.com/a_(b)",
    "./global law.md",
];

fn url(i: u8) -> &'static str {
    URLS[usize::from(i) % URLS.len()]
}

fn inline(i: &Inline, out: &mut String) {
    match i {
        Inline::Text(p) => out.push_str(&render(p)),
        Inline::Code(p) => out.push_str(&format!("`{}`", render(p))),
        Inline::Emph(p) => out.push_str(&format!("*{}*", render(p))),
        Inline::Strong(p) => out.push_str(&format!("__{}__", render(p))),
        Inline::Link(p, u) => out.push_str(&format!("[{}]({})", render(p), url(*u))),
        Inline::Image(p, u) => {
            out.push_str(&format!("![{}]({} \"global law\")", render(p), url(*u)))
        }
        Inline::Autolink(u) => out.push_str(&format!("<{}>", url(*u))),
    }
}

fn document(input: &Input) -> String {
    let mut d = String::new();
    if let Some(fm) = &input.front_matter {
        d.push_str(&format!("---\ntitle: {}\n---\n\n", render(fm)));
    }
    for b in &input.blocks {
        match b {
            Block::Heading(n, p) => {
                d.push_str(&"#".repeat(usize::from(n % 6) + 1));
                d.push(' ');
                d.push_str(&render(p));
            }
            Block::Para(xs) => xs.iter().for_each(|x| inline(x, &mut d)),
            Block::Fence(p) => d.push_str(&format!("```text\n{}\n```", render(p))),
            Block::Indented(p) => d.push_str(&format!("    {}", render(p))),
            Block::List(items) => {
                for it in items {
                    d.push_str("- ");
                    it.iter().for_each(|x| inline(x, &mut d));
                    d.push('\n');
                }
            }
            Block::Quote(xs) => {
                d.push_str("> ");
                xs.iter().for_each(|x| inline(x, &mut d));
            }
            Block::Table(rows) => {
                for (k, r) in rows.iter().enumerate() {
                    d.push_str(&format!("| {} | x |\n", render(r)));
                    if k == 0 {
                        d.push_str("|---|---|\n");
                    }
                }
            }
            Block::Html(p) => d.push_str(&format!("<p class=\"global law\">{}</p>", render(p))),
            Block::Rule => d.push_str("***"),
        }
        d.push_str("\n\n");
    }
    if input.crlf {
        d = d.replace('\n', "\r\n");
    }
    d
}

/// Checks the promises of a Markdown run, that code and front matter come
/// out byte for byte, and that link targets with a scheme survive whole.
fn check_doc(pipeline: &Pipeline, doc: &str) {
    let out = check_markdown(pipeline, doc);
    for u in URLS.iter().filter(|u| u.contains("://")) {
        assert_eq!(
            doc.matches(u).count(),
            out.output.matches(u).count(),
            "link target {u} rewritten in {doc:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| -> Corpus {
    if let Some(text) = data.strip_prefix(TEXT_SEED) {
        let Ok(text) = std::str::from_utf8(text) else {
            return Corpus::Reject;
        };
        check_doc(&FIXTURE, text);
        return Corpus::Keep;
    }
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return Corpus::Reject;
    };
    let Some(pipeline) = input.pack.pipeline() else {
        return Corpus::Reject;
    };
    let doc = document(&input);
    input.pack.debug(&doc);
    check_doc(&pipeline, &doc);
    Corpus::Keep
});
