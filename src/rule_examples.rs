//! Rule examples are tests: `copydesk rules test` and the test suite run
//! them with every loaded pack.

use crate::apply::apply;
use crate::pipeline::Pipeline;
use crate::rules::{Example, Rule};

/// Runs one example of `rule` through `pipeline` (which should apply
/// suggestions). Returns what went wrong, or `None` if it holds.
///
/// A `before` must come out as `after`, with an edit by this rule; `after`
/// must then stay unchanged (idempotence); a `keep` must not be touched by
/// this rule. In every case the edits must rebuild the output.
///
/// The examples of a pack for other languages than English are read in
/// the pack's first language: most are too short to be detected.
pub fn check(pipeline: &Pipeline, rule: &Rule, ex: &Example) -> Option<String> {
    let reading;
    let pipeline = match rule.languages.as_deref() {
        Some(langs) if !langs.iter().any(|l| l == "en") => {
            reading = pipeline.reading_as(&langs[0]);
            &reading
        }
        _ => pipeline,
    };
    let fired = |edits: &[crate::Edit]| {
        edits
            .iter()
            .any(|e| e.rule == rule.id || e.also.contains(&rule.id))
    };
    match (&ex.before, &ex.after, &ex.keep) {
        (Some(before), Some(after), _) => {
            let out = pipeline.run(before);
            if apply(before, &out.edits) != out.output {
                return Some("edits do not rebuild the output".into());
            }
            if !fired(&out.edits) {
                return Some(format!("rule did not fire on {before:?}"));
            }
            if rule.level == crate::Level::Flag {
                return None;
            }
            if out.output != *after {
                return Some(format!("expected {after:?}, got {:?}", out.output));
            }
            let again = pipeline.run(after);
            if again.output != *after {
                return Some(format!(
                    "not idempotent: {after:?} becomes {:?}",
                    again.output
                ));
            }
            None
        }
        (_, _, Some(keep)) => {
            let out = pipeline.run(keep);
            if fired(&out.edits) {
                let e = out
                    .edits
                    .iter()
                    .find(|e| e.rule == rule.id)
                    .unwrap_or(&out.edits[0]);
                return Some(format!(
                    "changed a keep example: {:?} → {:?}",
                    e.before,
                    e.replacement()
                ));
            }
            None
        }
        _ => Some("malformed example".into()),
    }
}
