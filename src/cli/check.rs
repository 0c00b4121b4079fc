//! `copydesk check`: one finding per line, or JSON; with `--stats`, each
//! document's spun score.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use copydesk::render::{self, json::FileReport};
use copydesk::score::Scorer;

use super::args::{CheckArgs, Format};
use super::inputs::{gather, report_errors, run_all};
use super::Status;

/// Runs `check`.
pub fn run(args: CheckArgs) -> Result<Status> {
    let (inputs, errors) = gather(&args.paths, &args.files, &args.rules, false, args.lossy)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut status = Status::Clean;
    let mut reports = Vec::new();
    for (input, outcome) in inputs.iter().zip(run_all(&inputs)) {
        if !outcome.edits.is_empty() {
            status = Status::Changes;
        }
        let stats = args
            .stats
            .then(|| Scorer::new(input.pipeline.rules()).score(&input.text, &outcome.edits));
        match args.format {
            Format::Human => {
                render::check::write_lines(&mut out, &input.name, &input.text, &outcome.edits)?;
                if let Some(s) = &stats {
                    writeln!(out, "{}: {}", input.name, s.summary())?;
                }
            }
            Format::Json => {
                let report =
                    FileReport::new(&input.name, &input.text, &outcome.edits, outcome.changed());
                let mut value = serde_json::to_value(&report)?;
                if let Some(s) = &stats {
                    value["stats"] = serde_json::to_value(s)?;
                }
                reports.push(value);
            }
        }
    }
    if let Format::Json = args.format {
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "files": reports }))?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(status.max(report_errors(&errors)))
}
