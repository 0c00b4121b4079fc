//! Every shipped pack: its examples hold, and it keeps the hygiene the
//! project promises (a reason and examples for every rule).

use std::sync::Arc;

use copydesk::rule_examples as examples;
use copydesk::rules::load::Loader;
use copydesk::rules::Find;
use copydesk::{Options, Pipeline};

fn defaults() -> Pipeline {
    let mut l = Loader::new();
    l.add_builtin();
    let set = l
        .build()
        .unwrap_or_else(|e| panic!("default packs load: {e}"));
    Pipeline::new(
        Arc::new(set),
        Options {
            apply_suggestions: true,
            ..Options::default()
        },
    )
}

#[test]
fn every_example_of_every_shipped_pack_holds() {
    let p = defaults();
    let mut failures = Vec::new();
    let mut count = 0;
    for rule in &p.rules().rules {
        for (n, ex) in rule.examples.iter().enumerate() {
            count += 1;
            if let Some(problem) = examples::check(&p, rule, ex) {
                failures.push(format!("{} example {}: {problem}", rule.id, n + 1));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(count > 300, "only {count} examples");
}

#[test]
fn every_rule_has_a_reason_and_both_kinds_of_example() {
    let p = defaults();
    for rule in &p.rules().rules {
        assert!(!rule.why.trim().is_empty(), "{} has no why", rule.id);
        assert!(
            rule.examples.iter().any(|e| e.before.is_some()),
            "{} has no before/after example",
            rule.id
        );
        assert!(
            rule.examples.iter().any(|e| e.keep.is_some()),
            "{} has no keep example",
            rule.id
        );
        assert!(
            rule.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            rule.id
        );
    }
}

#[test]
fn default_packs_hold_at_least_150_phrase_rules() {
    let p = defaults();
    let phrases = p
        .rules()
        .rules
        .iter()
        .filter(|r| matches!(r.find, Find::Phrases { .. }))
        .count();
    assert!(phrases >= 150, "only {phrases} phrase rules");
}
