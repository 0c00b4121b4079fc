//! Every way a rule pack can be wrong gets one clear error naming the file,
//! line and column, and the rule.

use copydesk::rules::load::Loader;

fn error(yaml: &str) -> String {
    let mut l = Loader::new();
    l.add_source("pack.yaml", yaml);
    l.build().expect_err("pack must be refused").to_string()
}

#[test]
fn yaml_syntax_error() {
    let e = error("pack: t\nrules:\n  - id: a\n    find: \"unclosed\n");
    assert!(e.starts_with("pack.yaml:"), "{e}");
}

#[test]
fn unknown_key_at_top_and_in_rule() {
    let e = error("pack: t\nrulez: []\n");
    assert!(e.starts_with("pack.yaml:2:1: unknown field `rulez`"), "{e}");
    let e = error("pack: t\nrules:\n  - id: a\n    find: x\n    replace: y\n    levle: fix\n");
    assert!(
        e.starts_with("pack.yaml:6:5: rule `a`: rules[0]: unknown field `levle`"),
        "{e}"
    );
}

#[test]
fn empty_and_duplicate_ids() {
    let e = error("pack: t\nrules:\n  - id: ''\n    find: x\n    replace: y\n");
    assert!(e.contains("empty or missing `id`"), "{e}");
    let e = error("pack: t\nrules:\n  - id: a\n    find: x\n    replace: y\n  - id: a\n    find: q\n    replace: r\n");
    assert!(
        e.starts_with("pack.yaml:6:5: rule `a`: duplicate id"),
        "{e}"
    );
}

#[test]
fn empty_find_and_invalid_regex() {
    let e = error("pack: t\nrules:\n  - id: a\n    find: []\n    replace: y\n");
    assert!(
        e.starts_with("pack.yaml:3:5: rule `a`: `find` is empty"),
        "{e}"
    );
    let e = error("pack: t\nrules:\n  - id: b\n    pattern: '[a-'\n    replace: y\n");
    assert!(
        e.starts_with("pack.yaml:3:5: rule `b`: invalid pattern"),
        "{e}"
    );
}

#[test]
fn oversized_regex_is_refused_with_a_limit() {
    let e = error("pack: t\nrules:\n  - id: big\n    pattern: '(\\w{100}){100}'\n    replace: y\n");
    assert!(e.contains("rule `big`: invalid pattern"), "{e}");
    assert!(e.contains("size limit"), "{e}");
}

#[test]
fn conflicting_replacements_across_packs() {
    let mut l = Loader::new();
    l.add_source(
        "one.yaml",
        "pack: one\nrules:\n  - id: a\n    find: colour\n    replace: color\n",
    );
    l.add_source(
        "two.yaml",
        "pack: two\nrules:\n  - id: b\n    find: colour\n    replace: hue\n",
    );
    let e = l.build().unwrap_err().to_string();
    assert_eq!(
        e,
        "two.yaml:3:5: rule `b`: replaces `colour` differently from rule `a` (one.yaml:3:5)"
    );
}

#[test]
fn cycles_name_both_rules() {
    let e = error("pack: t\nrules:\n  - id: us-usa\n    find: US\n    replace: USA\n  - id: usa-us\n    find: USA\n    replace: US\n");
    assert!(
        e.contains("pack.yaml:3:5: rule `us-usa`: cycle: its replacement `USA` is rewritten by rule `usa-us` (pack.yaml:6:5)"),
        "{e}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let e = error("pack: t\nrules:\n  - id: a\n    find: ''\n    replace: y\n  - id: b\n    pattern: '('\n    replace: y\n");
    assert_eq!(e.lines().count(), 2, "{e}");
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let mut bomb = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for n in names {
        bomb.push_str(&format!(
            "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = n;
    }
    bomb.push_str("pack: t\n");
    let start = std::time::Instant::now();
    let e = error(&bomb);
    assert!(start.elapsed().as_secs() < 5);
    assert!(e.starts_with("pack.yaml"), "{e}");
}
