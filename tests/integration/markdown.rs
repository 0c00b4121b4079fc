//! Markdown: code, URLs, front matter and HTML survive byte for byte while
//! the prose around them is fixed.

use std::fs;

use copydesk::{Document, Kind};
use predicates::prelude::*;

use crate::util::{copydesk_in, fixture, pipeline};

/// The fixture pack, loaded without default packs or config files.
const FLAGS: &[&str] = &["--isolated", "--no-default-rules", "--rules"];

fn pack() -> String {
    fixture("pack.yaml").display().to_string()
}

fn md_pipeline() -> copydesk::Pipeline {
    pipeline(&fs::read_to_string(fixture("pack.yaml")).unwrap())
}

/// Cleans `text` as Markdown, checking that the edits rebuild the output
/// and that a second run changes nothing.
fn clean_md(text: &str) -> String {
    let p = md_pipeline();
    let doc = Document::markdown();
    let out = p.run_with(text, &doc);
    assert_eq!(copydesk::apply::apply(text, &out.edits), out.output);
    let again = p.run_with(&out.output, &doc);
    assert_eq!(again.output, out.output, "idempotent");
    out.output.into_owned()
}

#[test]
fn article_fixture_cleans_to_the_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = copydesk_in(dir.path())
        .arg("clean")
        .args(FLAGS)
        .arg(pack())
        .arg(fixture("article.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let expected = fs::read_to_string(fixture("article.clean.md")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn protected_constructs_survive_byte_for_byte() {
    let input = fs::read_to_string(fixture("article.md")).unwrap();
    let output = clean_md(&input);
    for kept in [
        // front matter
        "---\ntitle: Envoy says strike broke global law\ntags: [Russian Federation, global law]\n---\n",
        // inline code
        "`global law`",
        // link destination and title, image source, autolinks
        "](https://example.org/global-law \"global law primer\")",
        "](img/russian-federation.png)",
        "<press@global-law.example>",
        "<https://global-law.example/>",
        // fenced and indented code
        "```yaml\nrule: global law\n```\n",
        "    indented code: global law\n",
        // HTML block and inline HTML
        "<div class=\"note\">\nglobal law in an HTML block\n</div>\n",
        "<span title=\"global law\">",
        // escapes and entities
        "\\*stars\\* and &amp;",
        // reference link label and definition
        "[primer][global law]",
        "[global law]: https://example.org/global-law \"Russian Federation\"\n",
        // table structure
        "|------------|-------------------------|\n",
    ] {
        assert!(input.contains(kept), "fixture holds {kept:?}");
        assert!(output.contains(kept), "output keeps {kept:?}:\n{output}");
    }
    for fixed in [
        "# Talks stall over international law\n",
        "violated *international law* and",
        "officials from\nRussia would attend",
        "One **international law** scholar",
        "> Critics called it a breach of international law,\n",
        "- Point one: international law\n  was cited twice.",
        "[international law explained]",
        "![a map of Russia]",
        "| international law | spun",
        "stay with international law fixed.",
    ] {
        assert!(output.contains(fixed), "output has {fixed:?}:\n{output}");
    }
    // The `unless` exception still holds inside a block quote.
    assert!(output.contains("> and of the Russian Federation charter."));
}

#[test]
fn toml_front_matter_and_crlf_survive() {
    let input = "+++\r\ntitle = \"global law\"\r\n+++\r\nIt broke global law.\r\n\r\n```\r\nglobal law\r\n```\r\n";
    assert_eq!(
        clean_md(input),
        "+++\r\ntitle = \"global law\"\r\n+++\r\nIt broke international law.\r\n\r\n```\r\nglobal law\r\n```\r\n"
    );
}

#[test]
fn hard_breaks_list_markers_and_nested_quotes_are_untouched() {
    let input =
        "Line one global law  \nline two.\n\n* a\n  * b global law\n\n> > deep global law\n";
    assert_eq!(
        clean_md(input),
        "Line one international law  \nline two.\n\n* a\n  * b international law\n\n> > deep international law\n"
    );
}

#[test]
fn a_repeated_paragraph_is_still_removed_in_markdown() {
    let p = md_pipeline();
    let input = "Talks stall\n\nTalks stall\n\nBody text.\n";
    let out = p.run_with(input, &Document::markdown());
    assert_eq!(out.output, "Talks stall\n\nBody text.\n");
}

#[test]
fn file_type_follows_the_extension_or_type_flag() {
    let dir = tempfile::tempdir().unwrap();
    let body = "Prose: global law.\n\n```\nglobal law\n```\n";
    fs::write(dir.path().join("a.md"), body).unwrap();
    fs::write(dir.path().join("a.markdown"), body).unwrap();
    fs::write(dir.path().join("a.txt"), body).unwrap();
    let run = |args: &[&str]| {
        let out = copydesk_in(dir.path())
            .arg("clean")
            .args(args)
            .args(FLAGS)
            .arg(pack())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let as_md = "Prose: international law.\n\n```\nglobal law\n```\n";
    let as_plain = "Prose: international law.\n\n```\ninternational law\n```\n";
    assert_eq!(run(&["a.md"]), as_md);
    assert_eq!(run(&["a.markdown"]), as_md);
    assert_eq!(run(&["a.txt"]), as_plain);
    assert_eq!(run(&["--type", "markdown", "a.txt"]), as_md);
    assert_eq!(run(&["--type", "plain", "a.md"]), as_plain);
    // Standard input is plain unless --type says otherwise.
    let stdin = |args: &[&str]| {
        copydesk_in(dir.path())
            .arg("clean")
            .args(args)
            .args(FLAGS)
            .arg(pack())
            .write_stdin(body)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(stdin(&[]), as_plain.as_bytes());
    assert_eq!(stdin(&["--type", "markdown"]), as_md.as_bytes());
    copydesk_in(dir.path())
        .args(["clean", "--type", "rst"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'rst'"));
}

#[test]
fn kind_is_exposed_for_library_users() {
    assert_eq!(
        Kind::from_path(std::path::Path::new("news/a.md")),
        Kind::Markdown
    );
    // `run` stays plain text: code fences are prose there.
    let p = md_pipeline();
    assert_eq!(
        p.run("```\nglobal law\n```\n").output,
        "```\ninternational law\n```\n"
    );
}

mod invariants {
    use copydesk::Document;
    use proptest::prelude::*;

    /// Pieces of Markdown, prose and directives that stress the offsets.
    const TOKENS: &[&str] = &[
        "global law",
        "Russian Federation",
        "word",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r\n",
        "*",
        "**",
        "_",
        "`",
        "```\n",
        "    ",
        "# ",
        "> ",
        "- ",
        "1. ",
        "|",
        "|---|\n",
        "[",
        "]",
        "](",
        ")",
        "![",
        "<",
        ">",
        "<https://x.org/global law>",
        "&amp;",
        "\\*",
        "---\n",
        "+++\n",
        "é",
        "“",
        "”",
        "\u{a0}",
        "<!-- copydesk: off -->",
        "<!-- copydesk: on -->",
        "<!-- copydesk: ignore-next-line -->",
        "copydesk: disable=global-law",
        "copydesk: enable=global-law",
        "<div>",
        "</div>",
        "[r]: http://r.org\n",
    ];

    fn doc() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(TOKENS), 0..60).prop_map(|t| t.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn edits_rebuild_output_and_runs_are_idempotent(text in doc()) {
            let p = super::md_pipeline();
            for d in [Document::markdown(), Document::plain()] {
                let out = p.run_with(&text, &d);
                prop_assert_eq!(copydesk::apply::apply(&text, &out.edits), out.output.as_ref());
                for e in &out.edits {
                    prop_assert_eq!(&text[e.range.clone()], e.before.as_str());
                }
                let again = p.run_with(&out.output, &d);
                prop_assert_eq!(again.output.as_ref(), out.output.as_ref());
            }
        }
    }
}
