//! `copydesk clean`: text, diff, check or in-place write.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use copydesk::render::{self, json::FileReport};
use copydesk::write::write_atomic;

use super::args::{CleanArgs, DiffStyle};
use super::inputs::{gather, report_errors, run_all};
use super::Status;

/// Runs `clean`.
pub fn run(args: CleanArgs, color: bool) -> Result<Status> {
    if args.interactive {
        return super::interactive::run(&args);
    }
    if let Some(field) = &args.jsonl {
        let Some(pipeline) = super::pipeline_here(&args.rules, args.apply_suggestions)? else {
            return Ok(Status::Error);
        };
        let filter = (args.min_score.is_some() || args.max_score.is_some()).then(|| {
            super::jsonl::ScoreFilter {
                min: args.min_score,
                max: args.max_score,
                scorer: copydesk::score::Scorer::new(pipeline.rules()),
            }
        });
        let options = super::jsonl::Options {
            report: args.report.as_deref(),
            keep_going: args.keep_going,
            filter: filter.as_ref(),
        };
        return super::jsonl::run(&pipeline, field, &args.paths, &options);
    }
    let (inputs, mut errors) = gather(
        &args.paths,
        &args.files,
        &args.rules,
        args.apply_suggestions,
        args.lossy,
    )?;
    if args.write {
        // `--lossy` is for reading: writing U+FFFD over the bytes it could
        // not decode would lose them for good.
        for input in inputs.iter().filter(|i| i.replaced) {
            errors.push(copydesk::Error::new(
                copydesk::ErrorKind::Input,
                &input.name,
                "invalid UTF-8; --write would replace the bad bytes with U+FFFD, so the file is not changed",
            ));
        }
    }
    if !errors.is_empty() {
        return Ok(report_errors(&errors));
    }
    if args.write && inputs.iter().any(|i| i.path.is_none()) {
        anyhow::bail!("--write needs file paths, not standard input");
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut status = Status::Clean;
    let mut reports = Vec::new();
    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    for (input, outcome) in inputs.iter().zip(run_all(&inputs)) {
        let changed = outcome.changed();
        if args.write {
            if changed {
                writes.push((
                    input.path.clone().expect("checked"),
                    outcome.output.to_string(),
                ));
            }
        } else if args.diff.is_some() || args.check {
            let (name, old, new) = (&input.name, &input.text, &outcome.output);
            let diff = match args.diff {
                Some(DiffStyle::Word) => render::word_diff::word_diff(name, old, new, color),
                _ if color => render::diff::paint(&render::diff::unified(name, old, new)),
                _ => render::diff::unified(name, old, new),
            };
            out.write_all(diff.as_bytes())?;
            if changed && args.check {
                status = Status::Changes;
            }
        } else {
            out.write_all(outcome.output.as_bytes())?;
        }
        if args.report.is_some() {
            let report = FileReport::new(&input.name, &input.text, &outcome.edits, changed);
            reports.push(serde_json::to_value(&report)?);
        }
    }
    out.flush()?;
    let mut errors = Vec::new();
    for (path, text) in &writes {
        if let Err(e) = write_atomic(path, text.as_bytes()) {
            errors.push(e);
        }
    }
    if let Some(path) = &args.report {
        let doc = serde_json::json!({ "files": reports });
        std::fs::write(path, serde_json::to_string_pretty(&doc)? + "\n")
            .with_context(|| format!("{}: cannot write report", path.display()))?;
    }
    Ok(status.max(report_errors(&errors)))
}
