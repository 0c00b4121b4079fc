//! The entity pass through the whole pipeline: golden cases, idempotence
//! and edit composition over generated text, and the real damage in the
//! AG News corpus.

#![allow(clippy::print_stderr)]

mod common;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use common::pipeline;
use copydesk::Options;
use proptest::prelude::*;

fn clean(text: &str) -> String {
    pipeline(Options::default()).run(text).output.into_owned()
}

#[test]
fn golden() {
    let cases: &[(&str, &str)] = &[
        ("Fish &amp; chips", "Fish & chips"),
        ("&quot;Yes,&quot; she said", "\"Yes,\" she said"),
        // The no-break space from `&nbsp;` is made plain by the unicode pass.
        ("10&nbsp;km", "10 km"),
        ("war&mdash;again", "war\u{2014}again"),
        ("it&#8217;s, it&#x2019;s", "it\u{2019}s, it\u{2019}s"),
        ("&amp;amp; and &amp;#8217;", "& and \u{2019}"),
        ("&shy;soft&#173;", "soft"),
        ("doesn #39;t and the  #36;10 fee", "doesn't and the $10 fee"),
        (
            "said  quot;hi quot; to Johnson  amp; Johnson",
            "said \"hi\" to Johnson & Johnson",
        ),
        ("Sony #146;s player", "Sony\u{2019}s player"),
        ("Reuters &lt;TXN.N&gt;", "Reuters <TXN.N>"),
        // Links are never touched.
        (
            "see https://example.com/?a=1&amp;b=2 &amp; more",
            "see https://example.com/?a=1&amp;b=2 & more",
        ),
        ("R&D; AT&T;", "R&D; AT&T;"),
        ("ranked #1; see #65;", "ranked #1; see #65;"),
    ];
    for (input, want) in cases {
        assert_eq!(&clean(input), want, "input {input:?}");
    }
}

#[test]
fn suggestions_apply_on_request() {
    let text = "Route #40; north";
    assert_eq!(clean(text), text);
    let p = pipeline(Options {
        apply_suggestions: true,
        ..Options::default()
    });
    assert_eq!(p.run(text).output, "Route( north");
}

#[test]
fn rules_can_be_disabled() {
    let mut options = Options::default();
    options
        .disabled
        .insert("html-entity-missing-ampersand".to_string());
    let p = pipeline(options);
    assert_eq!(p.run("it #39;s &amp; x").output, "it #39;s & x");
}

fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "&amp;",
        "&amp;amp;",
        "&quot;",
        "&nbsp;",
        "&#8217;",
        "&#x2019;",
        "&amp;#39;",
        "&#38;",
        "&#35;",
        "#39;",
        " #39;",
        "#36;",
        "39;",
        " quot;",
        "quot;",
        " amp;",
        "amp;",
        "&",
        "#",
        ";",
        " ",
        "  ",
        "a",
        "word",
        "\n",
        "\r\n",
        "&lt;",
        "gt;",
        " http://x.com/?q=1&amp;r ",
        "\u{a0}",
        "\u{200b}",
        "&shy;",
        "&#146;",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn idempotent_and_composed(parts in prop::collection::vec(fragment(), 0..24)) {
        let input: String = parts.concat();
        let p = pipeline(Options::default());
        let once = p.run(&input);
        prop_assert_eq!(copydesk::apply::apply(&input, &once.edits), once.output.as_ref());
        let twice = p.run(&once.output);
        prop_assert_eq!(twice.output.as_ref(), once.output.as_ref());
    }
}

/// Counts damaged references left in `text`: `#NNN;` not after `&`, and
/// ` quot;`-style names.
fn damage(text: &str) -> usize {
    static DAMAGE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(^|[^&])#[0-9]+;|(^|[^&\w])(quot|amp|gt|lt|hellip);").unwrap()
    });
    DAMAGE.find_iter(text).count()
}

#[test]
fn ag_news_damage_is_repaired() {
    let Some(descriptions) = common::ag_news_descriptions() else {
        return;
    };
    assert_eq!(descriptions.len(), 7600);
    let p = pipeline(Options::default());
    let mut per_rule: BTreeMap<(String, &str), usize> = BTreeMap::new();
    let (mut before, mut after) = (0, 0);
    let mut unreported = Vec::new();
    for desc in &descriptions {
        before += damage(desc);
        let out = p.run(desc);
        let left = damage(&out.output);
        after += left;
        // What is left is an apostrophe alone between spaces that running
        // text does not make certain (`Dunkin #39; Donuts`, `Issue #39;`):
        // reported for review, never silently kept.
        let suggested = out
            .edits
            .iter()
            .filter(|e| &*e.rule == "html-entity-missing-ampersand" && !e.applied)
            .count();
        if left > suggested {
            unreported.push(desc.clone());
        }
        for e in &out.edits {
            let status = if e.applied { "applied" } else { "reported" };
            *per_rule.entry((e.rule.to_string(), status)).or_default() += 1;
        }
    }
    eprintln!("AG News descriptions: {} items", descriptions.len());
    eprintln!("damaged references: {before} before, {after} after");
    for ((rule, status), n) in &per_rule {
        eprintln!(
            "  {rule} {status}: {n} ({:.1} per 1,000)",
            *n as f64 * 1000.0 / descriptions.len() as f64
        );
    }
    assert!(before > 2800, "the corpus holds its known damage");
    assert!(
        unreported.is_empty(),
        "damage neither repaired nor reported: {unreported:?}"
    );
    // 15 of 2,832 as measured: the apostrophes alone with no plural, quote
    // or second apostrophe to make them certain.
    assert!(after <= 20, "{after} damaged references left for review");
}

#[test]
fn clean_news_has_only_real_references() {
    let (Some(bbc), Some(gt)) = (common::bbc_news(), common::benchmark("ground-truth.json")) else {
        return;
    };
    let mut texts = common::texts(bbc);
    let bbc_count = texts.len();
    texts.extend(common::texts(gt));
    let p = pipeline(Options::default());
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    for text in &texts {
        for e in p.run(text).edits.iter() {
            if e.rule.starts_with("html-entity") {
                *per_rule.entry(e.rule.to_string()).or_default() += 1;
                // Every finding here is a whole, well-formed reference.
                assert!(
                    e.before.starts_with('&') && e.before.ends_with(';'),
                    "{:?}",
                    e.before
                );
            }
        }
    }
    eprintln!(
        "entity edits on {} BBC + {} benchmark articles: {per_rule:?}",
        bbc_count,
        texts.len() - bbc_count
    );
    assert!(!per_rule.contains_key("html-entity-missing-ampersand"));
}
