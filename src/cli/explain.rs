//! `copydesk explain ID`: one rule in prose, as `ruff rule` explains a
//! lint: why it exists, what it finds and writes, how sure it is, where it
//! is defined, and its examples as before → after.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use crate::registry::{shown, Entry, PassRule, Registry};
use crate::rules::{CaseMode, Find, InQuotes};
use crate::Level;

use super::args::RuleArgs;
use super::{rules_here, Status};

/// Runs `explain`.
pub fn run(id: &str, args: &RuleArgs) -> Result<Status> {
    let Some(set) = rules_here(args, &[])?.map(|(_, set)| set) else {
        return Ok(Status::Error);
    };
    let registry = Registry::new(&set);
    let rule = match registry.get(id) {
        Some(Entry::Pack(rule)) => rule,
        Some(Entry::Pass(rule)) => return explain_pass(rule),
        None => {
            anyhow::bail!("{}", registry.unknown(id))
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let place = &rule.origin;
    writeln!(out, "# {}\n", rule.id)?;
    writeln!(out, "From pack `{}` ({place}).\n", rule.pack)?;
    writeln!(out, "{}\n", level(rule.level))?;
    if !rule.why.is_empty() {
        writeln!(out, "## Why\n\n{}\n", rule.why)?;
    }
    writeln!(out, "## What it does\n")?;
    let finds = match &rule.find {
        Find::Phrases { phrases, case } => {
            let list: Vec<String> = phrases.iter().map(|p| format!("`{p}`")).collect();
            let capitals = phrases
                .iter()
                .filter(|p| p.chars().any(char::is_uppercase))
                .count();
            let case = match case {
                CaseMode::Smart if capitals == phrases.len() => "letter case as written",
                CaseMode::Smart if capitals > 0 => {
                    "letter case as written for phrases with capitals, any case otherwise"
                }
                CaseMode::Smart | CaseMode::Insensitive => "any letter case",
                CaseMode::Sensitive => "letter case as written",
            };
            let words = if rule.word_boundary {
                "whole words"
            } else {
                "also inside words"
            };
            format!("Finds {} ({case}, {words})", list.join(", "))
        }
        Find::Pattern(re) => format!("Finds the pattern `{}`", re.as_str()),
    };
    match &rule.replace {
        Some(r) if r.is_empty() => writeln!(out, "{finds} and deletes it.")?,
        Some(r) => writeln!(out, "{finds} and replaces it with `{r}`.")?,
        None => writeln!(out, "{finds} and flags it.")?,
    }
    if !rule.unless.is_empty() {
        writeln!(out, "Leaves it alone inside: {}.", quoted(&rule.unless))?;
    }
    if !rule.requires.is_empty() {
        writeln!(
            out,
            "Only in documents that mention: {}.",
            quoted(&rule.requires)
        )?;
    }
    match rule.in_quotes {
        InQuotes::Apply => {}
        InQuotes::Suggest => writeln!(out, "Inside quotation marks it only suggests.")?,
        InQuotes::Skip => writeln!(out, "Skips text inside quotation marks.")?,
    }
    let changes: Vec<_> = rule
        .examples
        .iter()
        .filter_map(|e| Some((e.before.as_ref()?, e.after.as_ref()?)))
        .collect();
    let keeps: Vec<_> = rule
        .examples
        .iter()
        .filter_map(|e| e.keep.as_ref())
        .collect();
    if !changes.is_empty() {
        writeln!(out, "\n## Examples\n")?;
        for (b, a) in changes {
            writeln!(out, "    {b} → {a}")?;
        }
    }
    if !keeps.is_empty() {
        writeln!(out, "\n## Left alone\n")?;
        for k in keeps {
            writeln!(out, "    {k}")?;
        }
    }
    out.flush()?;
    Ok(Status::Clean)
}

/// What a rule's level means for the commands.
fn level(level: Level) -> &'static str {
    match level {
        Level::Fix => "Fix: applied by `copydesk clean`.",
        Level::Suggest => {
            "Suggestion: reported by `copydesk check`; applied only with `--apply-suggestions`."
        }
        Level::Flag => "Flag: reported by `copydesk check`, never applied.",
    }
}

/// Explains a rule of a built-in pass: its pass, level, why, the options
/// that change it and its examples.
fn explain_pass(rule: &PassRule) -> Result<Status> {
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(out, "# {}\n", rule.id)?;
    writeln!(out, "From the built-in `{}` pass.\n", rule.pass)?;
    writeln!(out, "{}\n", level(rule.level))?;
    writeln!(out, "## Why\n\n{}\n", rule.description)?;
    if !rule.options.is_empty() {
        writeln!(out, "## Options\n")?;
        for key in rule.options {
            let (name, values) = (key.name, key.values().join(" | "));
            let default = key.default_value();
            writeln!(
                out,
                "- `{name}` = {values} (default {default}): {}",
                key.help
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## Examples\n")?;
    for ex in rule.examples {
        let (before, after) = (shown(ex.before), shown(ex.after));
        match ex.set {
            [] => writeln!(out, "    {before} → {after}")?,
            set => writeln!(
                out,
                "    {before} → {after}    (--set {})",
                set.join(" --set ")
            )?,
        }
    }
    out.flush()?;
    Ok(Status::Clean)
}

fn quoted(list: &[String]) -> String {
    list.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
