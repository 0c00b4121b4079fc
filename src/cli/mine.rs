//! `copydesk rules mine`: candidate spun phrases from a suspect text and a
//! sound reference (see [`crate::mine`]).

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use crate::mine::{Candidate, Miner};

use super::args::{MineArgs, MineFormat};
use super::inputs::{find, read_each, report_errors};
use super::{rules_here, Status};

/// Runs `rules mine`: the reference is read whole first, then the suspect
/// text, each file once.
pub fn run(args: &MineArgs) -> Result<Status> {
    let Some((_, set)) = rules_here(&args.rules, &[])? else {
        return Ok(Status::Error);
    };
    let dash = std::path::Path::new("-");
    if args.reference.iter().any(|p| p == dash) && args.suspect.iter().any(|p| p == dash) {
        anyhow::bail!("standard input (`-`) can be the suspect text or the reference, not both");
    }
    let (reference, mut errors) = find(&args.reference, &args.files, &args.rules, false)?;
    let (suspect, more) = find(&args.suspect, &args.files, &args.rules, false)?;
    errors.extend(more);
    if !errors.is_empty() {
        return Ok(report_errors(&errors));
    }
    let mut miner = Miner::new().with_synonyms(&set);
    let mut errors = read_each(reference, false, |input| miner.add_reference(&input.text));
    errors.extend(read_each(suspect, false, |input| {
        miner.add_suspect(&input.text)
    }));
    if !errors.is_empty() {
        return Ok(report_errors(&errors));
    }
    let candidates = miner.candidates(args.top);
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        MineFormat::Json => {
            let json: Vec<serde_json::Value> = candidates.iter().map(to_json).collect();
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        MineFormat::Human => {
            for (n, c) in candidates.iter().enumerate() {
                write_human(&mut out, n + 1, c)?;
            }
            let (reference, suspect) = miner.words();
            writeln!(
                out,
                "{} candidate{} from {suspect} suspect words against {reference} reference words",
                candidates.len(),
                if candidates.len() == 1 { "" } else { "s" },
            )?;
        }
    }
    out.flush()?;
    Ok(Status::Clean)
}

/// One candidate for people: the swap, the counts, the examples and the
/// draft rule, indented to paste under a pack's `rules:`.
fn write_human(out: &mut impl Write, rank: usize, c: &Candidate) -> io::Result<()> {
    writeln!(
        out,
        "{rank}. {} → {} (score {:.2})",
        c.phrase, c.original, c.score
    )?;
    writeln!(
        out,
        "   suspect {}, reference {}; \"{}\": reference {}, suspect {}",
        c.suspect, c.reference, c.original, c.original_reference, c.original_suspect
    )?;
    for line in &c.examples {
        writeln!(out, "   > {line}")?;
    }
    for line in c.draft_rule().to_yaml().lines() {
        writeln!(out, "     {line}")?;
    }
    writeln!(out)
}

/// One candidate as JSON: its fields and its draft rule.
fn to_json(c: &Candidate) -> serde_json::Value {
    let mut value = serde_json::to_value(c).expect("a candidate serialises");
    value["rule"] = serde_json::to_value(c.draft_rule()).expect("a rule serialises");
    value
}
