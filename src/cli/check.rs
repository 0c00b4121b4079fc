//! `copydesk check`: one finding per line, or JSON.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use copydesk::render::{self, json::FileReport};

use super::args::{CheckArgs, Format};
use super::inputs::{read_inputs, report_errors};
use super::{pipeline, Status};

/// Runs `check`.
pub fn run(args: CheckArgs) -> Result<Status> {
    let Some(pipeline) = pipeline(&args.rules, false)? else {
        return Ok(Status::Error);
    };
    let (inputs, errors) = read_inputs(&args.paths, args.lossy);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut status = Status::Clean;
    let mut reports = Vec::new();
    for input in &inputs {
        let outcome = pipeline.run(&input.text);
        if !outcome.edits.is_empty() {
            status = Status::Changes;
        }
        match args.format {
            Format::Human => {
                render::check::write_lines(&mut out, &input.name, &input.text, &outcome.edits)?
            }
            Format::Json => {
                let report =
                    FileReport::new(&input.name, &input.text, &outcome.edits, outcome.changed());
                reports.push(serde_json::to_value(&report)?);
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
