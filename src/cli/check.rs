//! `copydesk check`: findings as snippets (the default), one line each,
//! JSON, SARIF or GitHub annotations — all from the same edits.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use copydesk::render::human::{HumanRenderer, Summary};
use copydesk::render::{self, json::FileReport, FileEdits};
use copydesk::Edit;

use super::args::{CheckArgs, Format};
use super::inputs::{gather, report_errors, run_all};
use super::Status;

/// Runs `check`.
pub fn run(args: CheckArgs, color: bool) -> Result<Status> {
    let (inputs, errors) = gather(&args.paths, &args.files, &args.rules, false, args.lossy)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut status = Status::Clean;
    let human = HumanRenderer::new(color, super::stdout_width());
    let mut summary = Summary::default();
    // Whole-run formats (JSON, SARIF) keep each file's edits until the end.
    let mut kept: Vec<(usize, Vec<Edit>, bool)> = Vec::new();
    for (i, outcome) in run_all(&inputs).into_iter().enumerate() {
        let input = &inputs[i];
        if !outcome.edits.is_empty() {
            status = Status::Changes;
        }
        let (name, text, edits) = (&input.name, &input.text, &outcome.edits);
        match args.format {
            Format::Human => {
                human.write_file(&mut out, name, text, edits)?;
                summary.add(edits);
            }
            Format::Concise => render::concise::write_lines(&mut out, name, text, edits)?,
            Format::Github => render::github::write_annotations(&mut out, name, text, edits)?,
            Format::Json | Format::Sarif => {
                let changed = outcome.changed();
                kept.push((i, outcome.edits, changed));
            }
        }
    }
    let files: Vec<FileEdits<'_>> = kept
        .iter()
        .map(|(i, edits, changed)| FileEdits {
            path: &inputs[*i].name,
            text: &inputs[*i].text,
            edits,
            changed: *changed,
        })
        .collect();
    match args.format {
        Format::Human => human.write_summary(&mut out, &summary)?,
        Format::Json => {
            let reports: Vec<FileReport<'_>> = files
                .iter()
                .map(|f| FileReport::new(f.path, f.text, f.edits, f.changed))
                .collect();
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "files": reports }))?;
            writeln!(out)?;
        }
        Format::Sarif => {
            let uris = render::sarif::uris(&files);
            let rules = inputs.first().map(|i| i.pipeline.rules());
            let log = render::sarif::log(&files, &uris, rules);
            serde_json::to_writer_pretty(&mut out, &log)?;
            writeln!(out)?;
        }
        Format::Concise | Format::Github => {}
    }
    out.flush()?;
    Ok(status.max(report_errors(&errors)))
}
