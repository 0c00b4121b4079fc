//! `copydesk clean`: text, diff, check or in-place write.
//!
//! Every input is read and decoded once before anything is printed or
//! written, so a bad input stops the run with nothing touched; then the
//! files are read again and cleaned in batches, each batch's output,
//! diffs, writes and report entries done before the next is read, so
//! memory follows the batch and not the number of files.

use std::fs::Permissions;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use anyhow::{Context as _, Result};

use copydesk::render::{self, json::FileReport, json::FilesWriter};
use copydesk::write::write_atomic;

use super::args::{CleanArgs, DiffStyle};
use super::inputs::{find, for_each_batch, report_errors, validate};
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
            lossy: args.lossy,
            max_record: args.files.max_input_size,
        };
        return super::jsonl::run(&pipeline, field, &args.paths, &options);
    }
    let (sources, mut errors) = find(
        &args.paths,
        &args.files,
        &args.rules,
        args.apply_suggestions,
    )?;
    // Nothing is printed or written while any input is bad: every input is
    // read and decoded once first, and only its size is kept.
    let (sources, invalid) = validate(sources, args.lossy, args.write);
    errors.extend(invalid);
    if !errors.is_empty() {
        return Ok(report_errors(&errors));
    }
    if args.write && sources.iter().any(|s| s.is_stdin()) {
        anyhow::bail!("--write needs file paths, not standard input");
    }
    let mut report = match &args.report {
        Some(path) => {
            let mut file = report_file(path)
                .map(BufWriter::new)
                .with_context(|| format!("{}: cannot write report", path.display()))?;
            let log = FilesWriter::start(&mut file)?;
            Some((path, file, log))
        }
        None => None,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut status = Status::Clean;
    let mut write_errors = Vec::new();
    // Only a report and a diff (which `--check` prints) read the input once
    // it is cleaned.
    let keep_text = report.is_some() || args.diff.is_some() || args.check;
    let mut errors = for_each_batch(sources, args.lossy, keep_text, |input, outcome| {
        let changed = outcome.changed();
        if let Some((path, file, log)) = &mut report {
            let entry = FileReport::new(&input.name, &input.text, &outcome.edits, changed);
            log.add(file, &entry, serde_json::Map::new())
                .with_context(|| format!("{}: cannot write report", path.display()))?;
        }
        if args.write {
            if changed {
                let path = input.path.as_deref().expect("checked: not standard input");
                if let Err(e) = write_atomic(path, outcome.output.as_bytes()) {
                    write_errors.push(e);
                }
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
        Ok(())
    })?;
    errors.extend(write_errors);
    out.flush()?;
    if let Some((path, mut file, log)) = report {
        log.finish(&mut file)
            .and_then(|()| file.into_inner().map_err(io::IntoInnerError::into_error))
            .and_then(|tmp| tmp.persist(path).map(drop).map_err(|e| e.error))
            .with_context(|| format!("{}: cannot write report", path.display()))?;
    }
    Ok(status.max(report_errors(&errors)))
}

/// A temporary file beside the report `path`, renamed over it once the run
/// is done: a run that stops partway leaves the old report (or none), never
/// a partial one.
fn report_file(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(".copydesk-report-")
        .permissions(Permissions::from_mode(0o644))
        .tempfile_in(dir)
}
