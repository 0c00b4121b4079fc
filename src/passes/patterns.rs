//! The pattern pass: regex rules, in pack order, each run only where the
//! prefilter (`crate::matcher::prefilter`) says it can match, its
//! matches kept where the rule's conditions hold
//! (`crate::rules::conditions`); see `crate::rules::find`.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use crate::edit::Edit;
use crate::matcher::prefilter::compile_candidates;
use crate::passes::{Context, Pass};
use crate::rules::find::pattern_edits;
use crate::rules::RuleSet;

/// The pass that runs every pattern rule.
pub struct Patterns {
    /// The rules.
    pub rules: Arc<RuleSet>,
}

impl Pass for Patterns {
    fn name(&self) -> &'static str {
        "patterns"
    }

    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        let first = out.len();
        pattern_edits(&self.rules, text, cx, out);
        drop_covered_flags(out, first);
    }

    /// The first short text's candidate regexes (see `prepare_ahead`).
    fn ahead<'a>(
        &'a self,
        text: &'a str,
        disabled: &'a HashSet<String>,
    ) -> Option<Box<dyn FnOnce() + Send + 'a>> {
        prepare_ahead(&self.rules, text, disabled).map(|job| Box::new(job) as _)
    }
}

/// Drops each bare flag (a finding that proposes nothing) among
/// `edits[first..]` that lies inside another of them that proposes a
/// replacement: that finding already reports the place, and applying it
/// removes or rewrites the flagged text (the `</a>` of a complete link that
/// `markup-link` removes, which `markup-tag-unsure` would flag alone).
fn drop_covered_flags(edits: &mut Vec<Edit>, first: usize) {
    let mut covers: Vec<Range<usize>> = edits[first..]
        .iter()
        .filter(|e| e.after.is_some())
        .map(|e| e.range.clone())
        .collect();
    if covers.is_empty() {
        return;
    }
    covers.sort_unstable_by_key(|r| r.start);
    // The furthest end among the covers up to each one: a flag is covered
    // iff the furthest-reaching cover starting at or before it reaches its
    // end.
    let reach = crate::spans::reach(&covers);
    let covered = |r: &Range<usize>| {
        let upto = covers.partition_point(|c| c.start <= r.start);
        upto > 0 && reach[upto - 1] >= r.end
    };
    let mut i = 0;
    edits.retain(|e| {
        let ours = i >= first;
        i += 1;
        !ours || e.after.is_some() || !covered(&e.range)
    });
}

/// A job that compiles the regexes the first text a rule set cleans is
/// likely to need, for a pipeline to run on another core while its earlier
/// passes run (a one-file `check` otherwise compiles them on its own path
/// when it reaches the pattern pass): those of the enabled rules whose
/// literals occur in it. `None` unless `text` is the first short text.
fn prepare_ahead<'a>(
    set: &'a RuleSet,
    text: &'a str,
    disabled: &'a HashSet<String>,
) -> Option<impl FnOnce() + Send + 'a> {
    if set.patterns.is_empty() || !set.prefilter.first_short_text(text) {
        return None;
    }
    Some(move || {
        let targets = set.pattern_targets(|rule| !disabled.contains(&*rule.id));
        compile_candidates(&targets, text);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::pattern::SHORT_TEXT;
    use crate::matcher::prefilter::{scope_by_search, Scope};
    use crate::rules::load::Loader;
    use crate::rules::Find;

    /// The job a pipeline starts for the first short text compiles the
    /// regexes of exactly the rules whose literals occur in it (and are not
    /// switched off); a second text, or a long one, gets no job.
    #[test]
    fn the_first_short_text_compiles_its_candidates_ahead() {
        let dir = tempfile::tempdir().unwrap();
        let warm = || {
            let mut l = Loader::new();
            l.use_cache(Some(crate::rules::cache::Cache::new(dir.path())));
            l.add_builtin();
            l.build().expect("default packs load")
        };
        warm();
        let set = warm();
        let text = "Police disbursed the crowd. Share this article\nIt was agreed in principal.\n";
        let lower = text.to_ascii_lowercase();
        let off = set.rules[set.patterns[0]].id.to_string();
        let disabled: HashSet<String> = std::iter::once(off.clone()).collect();
        assert!(prepare_ahead(&set, &"x".repeat(SHORT_TEXT), &disabled).is_none());
        prepare_ahead(&set, text, &disabled).expect("a job for the first short text")();
        assert!(prepare_ahead(&set, text, &disabled).is_none());
        let mut ready = 0;
        for &ri in &set.patterns {
            let rule = &set.rules[ri];
            let Find::Pattern(p) = &rule.find else {
                continue;
            };
            let candidate =
                *rule.id != *off && scope_by_search(p, lower.as_bytes(), None) != Scope::Nowhere;
            assert_eq!(p.is_ready(text.len()), candidate, "{}", rule.id);
            ready += usize::from(candidate);
        }
        assert!(
            ready > 0 && ready < set.patterns.len() / 4,
            "{ready} compiled"
        );
    }
}
