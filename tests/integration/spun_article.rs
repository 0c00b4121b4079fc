//! The real spun article from `../shared/examples/`: the default packs fix
//! every unambiguous error and suggest the ambiguous ones, at the right
//! line and column. The article is read at test time, never copied here.

use std::sync::Arc;

use copydesk::edit::positions;
use copydesk::rules::load::Loader;
use copydesk::{Level, Options, Pipeline};

fn article() -> Option<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/examples/spun-article.txt"
    );
    match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(_) => {
            eprintln!("note: {path} is absent; skipping");
            None
        }
    }
}

fn defaults() -> Pipeline {
    let mut l = Loader::new();
    l.add_builtin();
    Pipeline::new(Arc::new(l.build().unwrap()), Options::default())
}

/// `(line, before, after, level)` of every edit.
fn findings(text: &str) -> Vec<(usize, String, String, Level, String)> {
    let out = defaults().run(text);
    let pos = positions(text, &out.edits);
    out.edits
        .iter()
        .zip(pos)
        .map(|(e, p)| {
            (
                p.line,
                e.before.to_string(),
                e.replacement().to_string(),
                e.level,
                e.rule.to_string(),
            )
        })
        .collect()
}

#[test]
fn fixes_every_unambiguous_error() {
    let Some(text) = article() else { return };
    let got = findings(&text);
    let fixes: Vec<(usize, &str, &str)> = got
        .iter()
        .filter(|f| f.3 == Level::Fix && f.4 != "repeated-paragraph")
        .map(|f| (f.0, f.1.as_str(), f.2.as_str()))
        .filter(|f| !f.1.contains(" - "))
        .collect();
    let expected = [
        (5, "Russian Federation", "Russia"),
        (9, "USA", "US"),
        (13, "Russian Federation", "Russia"),
        (15, "Russian Federation", "Russia"),
        (17, "disbursed", "dispersed"),
        (19, "Russian Federation", "Russia"),
        (19, "Russian Federation", "Russia"),
        (26, "USA", "US"),
        (26, "global law", "international law"),
        (28, "Russian Federation", "Russia"),
        (36, "global", "international"),
        (38, "Russian Federation", "Russia"),
        (38, "global law", "international law"),
    ];
    let mut missing = Vec::new();
    for (line, before, after) in expected {
        if !fixes
            .iter()
            .any(|f| f.0 == line && f.1.contains(before) && f.2.contains(after))
        {
            missing.push((line, before, after));
        }
    }
    assert!(
        missing.is_empty(),
        "missing fixes {missing:?}\nall: {got:#?}"
    );
    let repeated: Vec<_> = got.iter().filter(|f| f.4 == "repeated-paragraph").collect();
    assert_eq!(repeated.len(), 1, "{got:#?}");
    assert_eq!(repeated[0].0, 3, "the repeated headline is line 3");
}

#[test]
fn suggests_what_is_ambiguous() {
    let Some(text) = article() else { return };
    let got = findings(&text);
    let suggestions: Vec<(usize, &str, &str)> = got
        .iter()
        .filter(|f| f.3 == Level::Suggest)
        .map(|f| (f.0, f.1.as_str(), f.2.as_str()))
        .collect();
    for (line, before, after) in [
        (5, "the ", ""),
        (9, "when the", "when they"),
        (44, "it.", "it… "),
        (46, "gas.", "gas… "),
    ] {
        assert!(
            suggestions
                .iter()
                .any(|s| s.0 == line && s.1 == before && s.2 == after),
            "missing suggestion {before} → {after} on line {line}: {suggestions:#?}"
        );
    }
}

#[test]
fn changes_nothing_else() {
    let Some(text) = article() else { return };
    let got = findings(&text);
    // `global tensions`, `USA Today`-like uses and `Russia` itself stay.
    for f in &got {
        assert!(!f.1.contains("global tensions"), "{f:?}");
    }
    let out = defaults().run(&text);
    assert!(out.output.contains("heightened global tensions"));
    let again = defaults().run(&out.output);
    assert_eq!(again.output, out.output, "idempotent");
}
