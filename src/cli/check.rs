//! `copydesk check`: findings as snippets (the default), one line each,
//! JSON, SARIF or GitHub annotations — all from the same edits; with
//! `--stats`, each document's spun score; with `--statistics`, findings
//! counted per rule instead of listed. `--fail-on` and `--exit-zero`
//! decide which findings make the exit code 1. A run over several files
//! ends with the summary line `clean` prints, on standard error.
//!
//! Files are read and checked in batches ([`for_each_batch`]), and each
//! file's findings are written before the next batch is read. A file that
//! cannot be read does not stop the others, as with any linter; the errors
//! are reported at the end and the exit code is 2. The JSON log is written
//! one file at a time; SARIF names every rule before its results, so it
//! keeps each file's located edits (not its text) until the end.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use crate::edit::Position;
use crate::render::human::{HumanRenderer, Summary};
use crate::render::json::{FileReport, FilesWriter};
use crate::render::statistics::Statistics;
use crate::render::{self, FileEdits};
use crate::score::Scorer;
use crate::{Edit, Pipeline};

use super::args::{CheckArgs, Format};
use super::inputs::{find, for_each_batch, report_errors, Bar};
use super::Status;

/// One file's findings, kept for the SARIF log.
struct Located {
    name: String,
    edits: Vec<Edit>,
    places: Vec<(Position, Position)>,
}

/// Runs `check`.
pub fn run(args: CheckArgs, color: bool) -> Result<Status> {
    let started = std::time::Instant::now();
    let (sources, mut errors) = find(&args.paths, &args.files, &args.rules, false)?;
    // As with `clean`, a bad config or pack (reported as an error, while
    // the inputs of other configs go on) leaves out the summary line.
    let summary_line = super::is_batch(sources.len() + errors.len(), &args.paths)
        && !args.quiet
        && errors.iter().all(|e| e.kind == crate::ErrorKind::Input);
    let (mut scanned, mut with_findings) = (0usize, 0usize);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut status = Status::Clean;
    let fail_on = args.fail_on.level();
    let mut statistics = args.statistics.then(Statistics::default);
    let human = HumanRenderer::new(color, super::stdout_width());
    let mut summary = Summary::default();
    let mut json = match args.format {
        Format::Json if statistics.is_none() => Some(FilesWriter::start(&mut out)?),
        _ => None,
    };
    let mut located: Vec<Located> = Vec::new();
    // SARIF describes rules from the first file's pipeline.
    let mut first: Option<Pipeline> = None;
    let bar = Bar {
        show: !args.quiet,
        writing: false,
    };
    let read_errors = for_each_batch(sources, args.lossy, true, bar, |input, outcome, _| {
        scanned += 1;
        with_findings += usize::from(!outcome.edits.is_empty());
        if !args.exit_zero && outcome.edits.iter().any(|e| e.level >= fail_on) {
            status = Status::Changes;
        }
        let (name, text, edits) = (&input.name, &input.text, &outcome.edits);
        if let Some(statistics) = &mut statistics {
            statistics.add(edits);
            return Ok(());
        }
        let stats = args
            .stats
            .then(|| Scorer::new(input.pipeline.rules()).score(text, edits));
        match (args.format, &mut json) {
            (Format::Json, Some(json)) => {
                let report = FileReport::new(name, text, edits, outcome.changed());
                let mut extra = serde_json::Map::new();
                if let Some(s) = &stats {
                    extra.insert("stats".into(), serde_json::to_value(s)?);
                }
                json.add(&mut out, &report, extra)?;
            }
            (Format::Sarif, _) => {
                first.get_or_insert_with(|| input.pipeline.clone());
                located.push(Located {
                    name: name.clone(),
                    places: render::locate(text, edits),
                    edits: outcome.edits,
                });
            }
            (format, _) => {
                match format {
                    Format::Human => {
                        human.write_file(&mut out, name, text, edits)?;
                        summary.add(edits);
                    }
                    Format::Concise => {
                        render::concise::write_lines(&mut out, name, text, edits, color)?
                    }
                    _ => render::github::write_annotations(&mut out, name, text, edits)?,
                }
                if let Some(s) = &stats {
                    writeln!(out, "{name}: {}", s.summary())?;
                }
            }
        }
        Ok(())
    })?;
    errors.extend(read_errors);
    if let Some(json) = json {
        json.finish(&mut out)?;
    }
    match (args.format, &statistics) {
        (Format::Json, Some(statistics)) => {
            serde_json::to_writer_pretty(&mut out, &statistics.rows())?;
            writeln!(out)?;
        }
        (_, Some(statistics)) => statistics.write_table(&mut out)?,
        (Format::Human, None) if !args.quiet => human.write_summary(&mut out, &summary)?,
        (Format::Sarif, None) => {
            let files: Vec<FileEdits<'_>> = located
                .iter()
                .map(|f| FileEdits {
                    path: &f.name,
                    edits: &f.edits,
                    places: &f.places,
                })
                .collect();
            let uris = render::sarif::uris(&files);
            let rules = first.as_ref().map(Pipeline::rules);
            let log = render::sarif::log(&files, &uris, rules);
            serde_json::to_writer_pretty(&mut out, &log)?;
            writeln!(out)?;
        }
        _ => {}
    }
    out.flush()?;
    let status = status.max(report_errors(&errors));
    if summary_line {
        let outcome = format!("{with_findings} with findings");
        super::batch_summary(scanned, &outcome, errors.len(), started);
    }
    Ok(status)
}
