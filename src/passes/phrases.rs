//! The phrase pass: every phrase rule of every pack, found by the one
//! phrase automaton (`crate::matcher::phrase`) and claimed by the rules
//! whose conditions hold (`crate::rules::conditions`); see
//! `crate::rules::find`.

use std::sync::Arc;

use crate::edit::Edit;
use crate::passes::{Context, Pass};
use crate::rules::find::phrase_edits;
use crate::rules::RuleSet;

/// The pass that runs the phrase rules of a rule set.
pub struct Phrases {
    /// The rules, with their automaton.
    pub rules: Arc<RuleSet>,
}

impl Pass for Phrases {
    fn name(&self) -> &'static str {
        "phrases"
    }

    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        phrase_edits(&self.rules, text, cx, out);
    }
}
