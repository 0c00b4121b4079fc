//! The unicode pass through the whole pipeline: golden cases, its options,
//! idempotence and edit composition over generated text, and what it finds
//! in real news.

#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use copydesk::rules::load::Loader;
use copydesk::{Level, Options, Pipeline};
use proptest::prelude::*;

fn pipeline(settings: &[&str]) -> Pipeline {
    let rules = Loader::new().build().expect("no packs load");
    let mut options = Options::default();
    for pair in settings {
        options.settings.set_pair(pair).unwrap();
    }
    Pipeline::new(Arc::new(rules), options)
}

fn clean(text: &str) -> String {
    pipeline(&[]).run(text).output.into_owned()
}

#[test]
fn golden() {
    let cases: &[(&str, &str)] = &[
        ("cafe\u{301} au lait", "caf\u{e9} au lait"),
        ("glob\u{200b}al war\u{2060}ming", "global warming"),
        ("infor\u{ad}mation", "information"),
        ("\u{feff}Title\n\u{feff}Body", "\u{feff}Title\nBody"),
        ("a\u{0}b\u{1b}c\u{81}d", "abcd"),
        ("one\u{b}two", "one two"),
        ("CRLF\r\nand\ttab\n", "CRLF\r\nand\ttab\n"),
        (
            "\u{a3}10\u{a0}000 at 9\u{202f}am\u{2003}x",
            "\u{a3}10 000 at 9 am x",
        ),
        ("no\u{200d}join", "nojoin"),
        (
            "family \u{1f469}\u{200d}\u{1f467} and \u{2764}\u{fe0f}\u{200d}\u{1f525}",
            "family \u{1f469}\u{200d}\u{1f467} and \u{2764}\u{fe0f}\u{200d}\u{1f525}",
        ),
        (
            "\u{646}\u{627}\u{645}\u{200c}\u{647}\u{627}",
            "\u{646}\u{627}\u{645}\u{200c}\u{647}\u{627}",
        ),
        (
            "\u{915}\u{94d}\u{200c}\u{937}",
            "\u{915}\u{94d}\u{200c}\u{937}",
        ),
        ("lost \u{fffd} byte", "lost \u{fffd} byte"),
        // Composition with the entity pass: `&nbsp;` ends as a plain space,
        // `&shy;` disappears.
        ("10&nbsp;km, co&shy;operate", "10 km, cooperate"),
        // A link is never touched, even its invisible characters.
        (
            "see https://example.com/a\u{200b}b now\u{200b}",
            "see https://example.com/a\u{200b}b now",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(&clean(input), want, "input {input:?}");
    }
}

#[test]
fn replacement_character_is_flagged_only() {
    let out = pipeline(&[]).run("the caf\u{fffd} opened");
    assert!(!out.changed());
    let flags: Vec<_> = out
        .edits
        .iter()
        .filter(|e| &*e.rule == "replacement-character")
        .collect();
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].level, Level::Flag);
    assert_eq!(flags[0].range, 7..10);
}

#[test]
fn options_change_the_output() {
    let text = "\u{fb01}nal 10\u{a0}km\u{b2} cafe\u{301}";
    assert_eq!(clean(text), "\u{fb01}nal 10 km\u{b2} caf\u{e9}");
    assert_eq!(
        pipeline(&["unicode.form=nfkc"]).run(text).output,
        "final 10 km2 caf\u{e9}"
    );
    assert_eq!(
        pipeline(&["unicode.form=none"]).run(text).output,
        "\u{fb01}nal 10 km\u{b2} cafe\u{301}"
    );
    assert_eq!(
        pipeline(&["unicode.spaces=keep"]).run(text).output,
        "\u{fb01}nal 10\u{a0}km\u{b2} caf\u{e9}"
    );
    assert_eq!(
        pipeline(&["unicode.form=nfkc", "unicode.spaces=keep"])
            .run(text)
            .output,
        "final 10\u{a0}km2 caf\u{e9}"
    );
}

#[test]
fn rules_can_be_disabled() {
    let rules = Loader::new().build().unwrap();
    let mut options = Options::default();
    options.disabled.insert("soft-hyphen".to_string());
    options.disabled.insert("unusual-space".to_string());
    let p = Pipeline::new(Arc::new(rules), options);
    assert_eq!(
        p.run("co\u{ad}op\u{a0}x\u{200b}y").output,
        "co\u{ad}op\u{a0}xy"
    );
}

fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "e",
        "word",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        "\u{301}",
        "\u{308}",
        "\u{327}",
        "\u{200b}",
        "\u{2060}",
        "\u{ad}",
        "\u{feff}",
        "\u{200c}",
        "\u{200d}",
        "\u{a0}",
        "\u{2009}",
        "\u{202f}",
        "\u{3000}",
        "\u{0}",
        "\u{7}",
        "\u{b}",
        "\u{c}",
        "\u{7f}",
        "\u{85}",
        "\u{9d}",
        "\u{fffd}",
        "\u{1f469}",
        "\u{1f467}",
        "\u{fe0f}",
        "\u{646}",
        "\u{627}",
        "\u{915}",
        "\u{94d}",
        "\u{e9}",
        "\u{fb01}",
        "\u{b2}",
        "\u{1100}",
        "\u{1161}",
        "\u{ac00}",
        "\u{11a8}",
        "&nbsp;",
        "&shy;",
        "&#8203;",
        "&#x301;",
        " https://x.org/a ",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn idempotent_and_composed(
        parts in prop::collection::vec(fragment(), 0..24),
        form in prop::sample::select(vec!["nfc", "nfkc", "none"]),
        spaces in prop::sample::select(vec!["plain", "keep"]),
    ) {
        let input: String = parts.concat();
        let form = format!("unicode.form={form}");
        let spaces = format!("unicode.spaces={spaces}");
        let p = pipeline(&[&form, &spaces]);
        let once = p.run(&input);
        prop_assert_eq!(copydesk::apply::apply(&input, &once.edits), once.output.as_ref());
        let twice = p.run(&once.output);
        prop_assert_eq!(twice.output.as_ref(), once.output.as_ref());
    }
}

fn corpus(rel: &str) -> Option<std::path::PathBuf> {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")).join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("note: {} is absent; corpus check skipped", path.display());
        None
    }
}

/// Counts edits per rule of the unicode pass over `texts`.
fn count(p: &Pipeline, texts: &[String]) -> BTreeMap<String, usize> {
    const RULES: &[&str] = &[
        "unicode-normalization",
        "zero-width-character",
        "stray-joiner",
        "soft-hyphen",
        "stray-bom",
        "control-character",
        "unusual-space",
        "replacement-character",
    ];
    let mut per_rule = BTreeMap::new();
    for text in texts {
        for e in p.run(text).edits {
            if RULES.contains(&&*e.rule) {
                *per_rule.entry(e.rule.to_string()).or_default() += 1;
            }
        }
    }
    per_rule
}

fn report(name: &str, n: usize, per_rule: &BTreeMap<String, usize>) {
    eprintln!("{name}: {n} texts");
    for (rule, k) in per_rule {
        eprintln!(
            "  {rule}: {k} ({:.1} per 1,000)",
            *k as f64 * 1000.0 / n as f64
        );
    }
}

#[test]
fn bbc_news_is_clean() {
    let Some(bbc) = corpus("bbc-news") else {
        return;
    };
    let mut texts = Vec::new();
    for dir in std::fs::read_dir(bbc).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(dir).unwrap() {
            // sport/199.txt is Latin-1, not UTF-8.
            if let Ok(text) = String::from_utf8(std::fs::read(file.unwrap().path()).unwrap()) {
                texts.push(text);
            }
        }
    }
    assert_eq!(texts.len(), 2224);
    let p = pipeline(&[]);
    let per_rule = count(&p, &texts);
    report("BBC News", texts.len(), &per_rule);
    // ASCII and `£` only, plus a few `&#233;` the entity pass decodes
    // to NFC letters: nothing for this pass.
    assert!(per_rule.is_empty(), "{per_rule:?}");
}

#[test]
fn benchmark_ground_truth() {
    let Some(gt) = corpus("article-extraction-benchmark/ground-truth.json") else {
        return;
    };
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(gt).unwrap()).unwrap();
    let texts: Vec<String> = json
        .as_object()
        .unwrap()
        .values()
        .map(|v| v["articleBody"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts.len(), 181);
    let p = pipeline(&[]);
    let per_rule = count(&p, &texts);
    report("benchmark ground truth", texts.len(), &per_rule);
    // The known debris: 20 zero-width spaces and 5 soft hyphens (runs of
    // them merge into one edit).
    assert!(per_rule
        .get("zero-width-character")
        .is_some_and(|&n| n >= 5));
    assert!(per_rule.get("soft-hyphen").is_some_and(|&n| n >= 1));
    for text in &texts {
        let once = p.run(text);
        assert_eq!(copydesk::apply::apply(text, &once.edits), once.output);
        assert_eq!(p.run(&once.output).output, once.output);
    }
}

#[test]
fn ag_news_descriptions() {
    let Some(path) = corpus("ag-news/test.csv") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    // The description is the last quoted field; `""` is an inner quote.
    let texts: Vec<String> = text
        .lines()
        .filter_map(|l| l.rsplit_once("\",\""))
        .map(|(_, d)| d.trim_end_matches('"').replace("\"\"", "\""))
        .collect();
    assert_eq!(texts.len(), 7600);
    let per_rule = count(&pipeline(&[]), &texts);
    report("AG News descriptions", texts.len(), &per_rule);
}
