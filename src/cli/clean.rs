//! `copydesk clean`: text, diff, check or in-place write.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use copydesk::render::{self, json::FileReport};
use copydesk::write::write_atomic;

use super::args::CleanArgs;
use super::inputs::{read_inputs, report_errors};
use super::{pipeline, Status};

/// Runs `clean`.
pub fn run(args: CleanArgs) -> Result<Status> {
    let Some(pipeline) = pipeline(&args.rules, args.apply_suggestions)? else {
        return Ok(Status::Error);
    };
    let (inputs, mut errors) = read_inputs(&args.paths, args.lossy);
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
    for input in &inputs {
        let outcome = pipeline.run(&input.text);
        let changed = outcome.changed();
        if args.write {
            if changed {
                writes.push((
                    input.path.clone().expect("checked"),
                    outcome.output.to_string(),
                ));
            }
        } else if args.diff || args.check {
            out.write_all(
                render::diff::unified(&input.name, &input.text, &outcome.output).as_bytes(),
            )?;
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
