//! `copydesk rules list | show | test`.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;

use crate::registry::{shown, Entry, PassRule, Registry};
use crate::rules::{Find, Rule};
use crate::Pipeline;

use super::args::RuleArgs;
use super::{rules_here, Status};

/// A one-line summary of what a rule finds.
fn summary(rule: &Rule) -> String {
    let find = match &rule.find {
        Find::Phrases { phrases, .. } => phrases.join(" | "),
        Find::Pattern(re) => format!("/{}/", re.as_str()),
    };
    match &rule.replace {
        Some(r) => format!("{find} → {r}"),
        None => find,
    }
}

/// The languages a pack rule applies to, as `rules list` and `rules show`
/// print them: `en`, `de,fr`, or `all`.
fn languages(rule: &Rule) -> String {
    match rule.languages.as_deref() {
        Some(langs) => langs.join(","),
        None => "all".to_string(),
    }
}

/// Runs `rules list`.
pub fn list(args: &RuleArgs) -> Result<Status> {
    let Some((_, set)) = rules_here(args, &[])? else {
        return Ok(Status::Error);
    };
    let mut out = BufWriter::new(io::stdout().lock());
    for entry in Registry::new(&set).entries() {
        let (summary, languages) = match entry {
            Entry::Pack(rule) => (summary(rule), languages(rule)),
            // The passes run on every language, each by its profile.
            Entry::Pass(rule) => (rule.description.to_string(), "all".to_string()),
        };
        writeln!(
            out,
            "{:<32} {:<8} {:<20} {:<6} {}",
            entry.id(),
            entry.level().as_str(),
            entry.source(),
            languages,
            summary
        )?;
    }
    out.flush()?;
    Ok(Status::Clean)
}

/// Runs `rules show`.
pub fn show(id: &str, args: &RuleArgs) -> Result<Status> {
    let Some((_, set)) = rules_here(args, &[])? else {
        return Ok(Status::Error);
    };
    let registry = Registry::new(&set);
    let rule = match registry.get(id) {
        Some(Entry::Pack(rule)) => rule,
        Some(Entry::Pass(rule)) => return show_pass(rule),
        None => {
            anyhow::bail!("{}", registry.unknown(id))
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let place = &rule.origin;
    writeln!(out, "id:        {}", rule.id)?;
    writeln!(out, "pack:      {} ({place})", rule.pack)?;
    writeln!(out, "level:     {}", rule.level.as_str())?;
    writeln!(out, "languages: {}", languages(rule))?;
    match &rule.find {
        Find::Phrases { phrases, case } => {
            writeln!(out, "find:      {}", phrases.join(" | "))?;
            writeln!(out, "case:      {case:?}")?;
        }
        Find::Pattern(re) => writeln!(out, "pattern:   {}", re.as_str())?,
    }
    if let Some(r) = &rule.replace {
        writeln!(out, "replace:   {r}")?;
    }
    writeln!(
        out,
        "boundary:  {}",
        if rule.word_boundary { "word" } else { "none" }
    )?;
    if !rule.unless.is_empty() {
        writeln!(out, "unless:    {}", rule.unless.join(" | "))?;
    }
    if !rule.requires.is_empty() {
        writeln!(out, "requires:  {}", rule.requires.join(" | "))?;
    }
    writeln!(out, "in quotes: {:?}", rule.in_quotes)?;
    writeln!(out, "why:       {}", rule.why)?;
    for ex in &rule.examples {
        match (&ex.before, &ex.after, &ex.keep) {
            (Some(b), Some(a), _) => writeln!(out, "example:   {b} → {a}")?,
            (_, _, Some(k)) => writeln!(out, "keep:      {k}")?,
            _ => {}
        }
    }
    out.flush()?;
    Ok(Status::Clean)
}

/// Shows a rule of a built-in pass, as [`show`] does a pack rule.
fn show_pass(rule: &PassRule) -> Result<Status> {
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(out, "id:        {}", rule.id)?;
    writeln!(out, "pass:      {} (built in)", rule.pass)?;
    writeln!(out, "level:     {}", rule.level.as_str())?;
    if !rule.options.is_empty() {
        let names: Vec<&str> = rule.options.iter().map(|k| k.name).collect();
        writeln!(out, "options:   {}", names.join(", "))?;
    }
    writeln!(out, "why:       {}", rule.description)?;
    for ex in rule.examples {
        let (before, after) = (shown(ex.before), shown(ex.after));
        match ex.set {
            [] => writeln!(out, "example:   {before} → {after}")?,
            set => writeln!(
                out,
                "example:   {before} → {after} (--set {})",
                set.join(" --set ")
            )?,
        }
    }
    out.flush()?;
    Ok(Status::Clean)
}

/// Runs `rules test`.
pub fn test(files: &[PathBuf], args: &RuleArgs) -> Result<Status> {
    let Some((effective, set)) = rules_here(args, files)? else {
        return Ok(Status::Error);
    };
    let only: Vec<PathBuf> = files.to_vec();
    let pipeline = Pipeline::new(Arc::clone(&set), effective.options(true));
    let mut failures = 0;
    let mut run = 0;
    let mut out = BufWriter::new(io::stdout().lock());
    for rule in &set.rules {
        if !only.is_empty() && !only.contains(&rule.origin.path) {
            continue;
        }
        for (n, ex) in rule.examples.iter().enumerate() {
            run += 1;
            if let Some(problem) = crate::rule_examples::check(&pipeline, rule, ex) {
                failures += 1;
                let place = &rule.origin;
                writeln!(
                    out,
                    "{place}: rule `{}`: example {}: {problem}",
                    rule.id,
                    n + 1
                )?;
            }
        }
    }
    writeln!(out, "{run} examples, {failures} failed")?;
    out.flush()?;
    Ok(if failures > 0 {
        Status::Changes
    } else {
        Status::Clean
    })
}
