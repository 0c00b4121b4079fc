//! `copydesk review`: the HTML redline, one self-contained page for every
//! input, written to a file or standard output.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context as _, Result};

use crate::render::html::{self, ReviewFile};
use crate::write::write_atomic;

use super::args::ReviewArgs;
use super::inputs::{gather, report_errors, run_all};
use super::Status;

/// Runs `review`.
pub fn run(args: ReviewArgs) -> Result<Status> {
    let (inputs, errors) = gather(&args.paths, &args.files, &args.rules, false, args.lossy)?;
    if !errors.is_empty() {
        return Ok(report_errors(&errors));
    }
    let outcomes = run_all(&inputs);
    let files: Vec<ReviewFile<'_>> = inputs
        .iter()
        .zip(&outcomes)
        .map(|(input, outcome)| ReviewFile {
            path: &input.name,
            text: &input.text,
            edits: &outcome.edits,
            rules: input.pipeline.rules(),
        })
        .collect();
    let title = args.title.as_deref().unwrap_or("copydesk review");
    let page = html::page(title, &files);
    let changes: usize = outcomes.iter().map(|o| o.edits.len()).sum();
    match &args.output {
        Some(path) => {
            if path.is_file() {
                write_atomic(path, page.as_bytes())?;
            } else if path.exists() {
                // A device or a pipe (`-o /dev/stdout`) is written to,
                // never replaced.
                std::fs::write(path, page.as_bytes())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
            } else {
                write_new(path, page.as_bytes())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
            }
            eprintln!(
                "copydesk: wrote {}: {} file{}, {} change{}",
                path.display(),
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                changes,
                if changes == 1 { "" } else { "s" }
            );
        }
        None => {
            let mut out = io::stdout().lock();
            out.write_all(page.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(Status::Clean)
}

/// Writes a new file whole or not at all: a temporary file beside it,
/// then a rename.
fn write_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".copydesk-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
