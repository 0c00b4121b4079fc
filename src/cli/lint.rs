//! `copydesk rules lint [FILE…]`: warnings about the loaded rules, one per
//! line, and exit 1 when there are any.
//!
//! Given pack files, it lints those: their own warnings first, then, under
//! a heading, what only shows against the other loaded packs (a phrase one
//! of them claims first, a replacement that forms another pack's phrase, a
//! loaded rule the named packs shadow). The built-in packs' own warnings
//! are left out, so an author sees the three about their pack, not the
//! hundreds about the defaults.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Result;

use crate::rules::cache::Cache;
use crate::rules::lint::{lint, Warning};
use crate::rules::load::Loader;

use super::args::RuleArgs;
use super::inputs::report_errors;
use super::{load_rules, rules_here, Status};

/// Runs `rules lint`.
pub fn run(files: &[PathBuf], args: &RuleArgs) -> Result<Status> {
    let Some((effective, set)) = rules_here(args, files)? else {
        return Ok(Status::Error);
    };
    let mut out = BufWriter::new(io::stdout().lock());
    if files.is_empty() {
        let warnings = lint(&set);
        for w in &warnings {
            writeln!(out, "{w}")?;
        }
        writeln!(out, "{} rules, {}", set.rules.len(), count(warnings.len()))?;
        out.flush()?;
        return Ok(status(warnings.len()));
    }
    // The named packs alone, and the loaded packs without them.
    let mut loader = Loader::new();
    loader.use_cache(Cache::from_env());
    let mut errors: Vec<_> = files
        .iter()
        .filter_map(|p| loader.add_file(p).err())
        .collect();
    let own_set = match loader.build() {
        Ok(s) if errors.is_empty() => s,
        Ok(_) => return Ok(report_errors(&errors)),
        Err(e) => {
            errors.extend(e.0);
            return Ok(report_errors(&errors));
        }
    };
    let base = match load_rules(&effective, &[]) {
        Ok(s) => s,
        Err(e) => return Ok(report_errors(&e)),
    };
    let own = lint(&own_set);
    let before = lint(&base);
    let cross: Vec<Warning> = lint(&set)
        .into_iter()
        .filter(|w| !own.contains(w) && !before.contains(w))
        .collect();
    for w in &own {
        writeln!(out, "{w}")?;
    }
    if !cross.is_empty() {
        writeln!(out, "against the other loaded packs:")?;
        for w in &cross {
            writeln!(out, "{w}")?;
        }
    }
    writeln!(
        out,
        "{} rules, {}, {} against the other loaded packs",
        own_set.rules.len(),
        count(own.len()),
        cross.len()
    )?;
    out.flush()?;
    Ok(status(own.len() + cross.len()))
}

/// `N warning(s)`.
fn count(n: usize) -> String {
    format!("{n} warning{}", if n == 1 { "" } else { "s" })
}

/// Exit 1 when anything was warned about.
fn status(warnings: usize) -> Status {
    if warnings == 0 {
        Status::Clean
    } else {
        Status::Changes
    }
}
