//! `copydesk check`: findings as snippets (the default), one line each,
//! JSON, SARIF or GitHub annotations — all from the same edits; with
//! `--stats`, each document's spun score.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use copydesk::render::human::{HumanRenderer, Summary};
use copydesk::render::{self, json::FileReport, FileEdits};
use copydesk::score::{Scorer, Stats};
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
    let mut all_stats: Vec<Option<Stats>> = Vec::new();
    for (i, outcome) in run_all(&inputs).into_iter().enumerate() {
        let input = &inputs[i];
        if !outcome.edits.is_empty() {
            status = Status::Changes;
        }
        let stats = args
            .stats
            .then(|| Scorer::new(input.pipeline.rules()).score(&input.text, &outcome.edits));
        let (name, text, edits) = (&input.name, &input.text, &outcome.edits);
        match args.format {
            Format::Human | Format::Concise | Format::Github => {
                match args.format {
                    Format::Human => {
                        human.write_file(&mut out, name, text, edits)?;
                        summary.add(edits);
                    }
                    Format::Concise => render::concise::write_lines(&mut out, name, text, edits)?,
                    _ => render::github::write_annotations(&mut out, name, text, edits)?,
                }
                if let Some(s) = &stats {
                    writeln!(out, "{name}: {}", s.summary())?;
                }
            }
            Format::Json | Format::Sarif => {
                let changed = outcome.changed();
                kept.push((i, outcome.edits, changed));
                all_stats.push(stats);
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
            let mut reports = Vec::new();
            for (f, stats) in files.iter().zip(&all_stats) {
                let report = FileReport::new(f.path, f.text, f.edits, f.changed);
                let mut value = serde_json::to_value(&report)?;
                if let Some(s) = stats {
                    value["stats"] = serde_json::to_value(s)?;
                }
                reports.push(value);
            }
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
