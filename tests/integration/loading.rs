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
    // Placed at the `[` inside the pattern.
    assert_eq!(
        e,
        "pack.yaml:4:15: rule `b`: invalid pattern: unclosed character class"
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

/// Loads `yaml` under `limits`, returning the error text.
fn error_with(limits: copydesk::rules::load::Limits, yaml: &str) -> String {
    let mut l = Loader::new();
    l.set_limits(limits);
    l.add_source("pack.yaml", yaml);
    l.build().expect_err("pack must be refused").to_string()
}

#[test]
fn every_limit_has_a_clear_error() {
    use copydesk::rules::load::Limits;
    let base = Limits::default();
    let three = "pack: t\nrules:\n  - {id: a, find: a, level: flag}\n  - {id: b, find: b, level: flag}\n  - {id: c, find: c, level: flag}\n";
    let e = error_with(
        Limits {
            max_rules: 2,
            ..base
        },
        three,
    );
    assert_eq!(e, "pack.yaml: more than 2 rules loaded");
    let e = error_with(
        Limits {
            max_pattern_bytes: 8,
            ..base
        },
        "pack: t\nrules:\n  - id: long\n    find: a phrase too long\n    replace: x\n",
    );
    assert_eq!(
        e,
        "pack.yaml:3:5: rule `long`: phrase of 17 bytes is over the limit of 8"
    );
    let e = error_with(
        Limits {
            max_pattern_bytes: 8,
            ..base
        },
        "pack: t\nrules:\n  - id: long\n    pattern: 'a{1,2}b{1,2}c'\n    replace: x\n",
    );
    assert_eq!(
        e,
        "pack.yaml:3:5: rule `long`: pattern of 13 bytes is over the limit of 8"
    );
    let e = error_with(
        Limits {
            max_regex_nest: 3,
            ..base
        },
        "pack: t\nrules:\n  - id: deep\n    pattern: '((((a))))'\n    replace: x\n",
    );
    // Placed at the parenthesis past the limit.
    assert_eq!(
        e,
        "pack.yaml:4:18: rule `deep`: invalid pattern: exceed the maximum number of nested parentheses/brackets (3)"
    );
    assert!(e.contains("nest"), "{e}");
    let e = error_with(
        Limits {
            max_regex_size: 1000,
            ..base
        },
        "pack: t\nrules:\n  - id: big\n    pattern: '\\w{50}'\n    replace: x\n",
    );
    assert!(e.contains("rule `big`: invalid pattern"), "{e}");
    assert!(e.contains("size limit"), "{e}");
    let e = error_with(
        Limits {
            max_pack_bytes: 10,
            ..base
        },
        three,
    );
    assert_eq!(e, "pack.yaml: rule pack is over the limit of 10 bytes");
    // The YAML budgets, aliases counted at each use: 3 rules sharing one
    // anchored list of 4 examples.
    let shared = "pack: t\nrules:\n  - {id: a, find: a, level: flag, examples: &e [{keep: x}, {keep: x}, {keep: x}, {keep: x}]}\n  - {id: b, find: b, level: flag, examples: *e}\n  - {id: c, find: c, level: flag, examples: *e}\n";
    // Under the budget: only the rule's own error.
    let e = error_with(
        Limits {
            max_yaml_nodes: 100,
            ..base
        },
        &format!("{shared}  - {{id: d, find: d}}\n"),
    );
    assert!(
        e.starts_with("pack.yaml:6:6: rule `d`: a `fix` rule needs `replace`"),
        "{e}"
    );
    let e = error_with(
        Limits {
            max_yaml_nodes: 60,
            ..base
        },
        shared,
    );
    assert!(e.starts_with("pack.yaml:3:"), "{e}");
    assert!(e.contains("rule pack is over its budget of 60 YAML nodes, aliases counted each time they are used"), "{e}");
    let e = error_with(
        Limits {
            max_yaml_text: 40,
            ..base
        },
        shared,
    );
    assert!(
        e.contains("rule pack is over its budget of 40 bytes of YAML text"),
        "{e}"
    );
}

#[test]
fn default_regex_nesting_limit_refuses_deep_patterns() {
    let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
    let e = error(&format!(
        "pack: t\nrules:\n  - id: deep\n    pattern: '{deep}'\n    replace: x\n"
    ));
    // Placed inside the pattern, at the parenthesis past the limit.
    assert_eq!(
        e,
        "pack.yaml:4:79: rule `deep`: invalid pattern: exceed the maximum number of nested parentheses/brackets (64)"
    );
}

#[test]
fn yaml_nesting_depth_is_bounded() {
    let e = error(&format!(
        "pack: t\nrules:\n  - id: a\n    find: {}{}\n    replace: x\n",
        "[".repeat(200),
        "]".repeat(200)
    ));
    assert!(e.starts_with("pack.yaml:"), "{e}");
    assert!(e.contains("recursion limit exceeded"), "{e}");
    assert_eq!(e.lines().count(), 1);
}

#[test]
fn flow_style_rules_are_located() {
    let e = error(
        "pack: t\nrules:\n  - {id: a, find: x, replace: y}\n  - {id: a, find: z, replace: w}\n",
    );
    assert_eq!(
        e,
        "pack.yaml:4:6: rule `a`: duplicate id, first defined at pack.yaml:3:6"
    );
}
