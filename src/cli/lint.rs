//! `copydesk rules lint`: warnings about the loaded rules, one per line,
//! and exit 1 when there are any.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use copydesk::rules::lint::lint;

use super::args::RuleArgs;
use super::{rules_here, Status};

/// Runs `rules lint`.
pub fn run(args: &RuleArgs) -> Result<Status> {
    let Some(set) = rules_here(args, &[])?.map(|(_, set)| set) else {
        return Ok(Status::Error);
    };
    let warnings = lint(&set);
    let mut out = BufWriter::new(io::stdout().lock());
    for w in &warnings {
        writeln!(out, "{w}")?;
    }
    writeln!(
        out,
        "{} rules, {} warning{}",
        set.rules.len(),
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" }
    )?;
    out.flush()?;
    Ok(if warnings.is_empty() {
        Status::Clean
    } else {
        Status::Changes
    })
}
