//! `copydesk clean`: text, diff, check or in-place write.
//!
//! Every input is read and decoded once before anything is printed or
//! written; an input that cannot be read or decoded is reported and left
//! out, and the others are processed (exit 2 at the end), as linters and
//! formatters do with unreadable files. A bad config or pack stops the
//! run before anything is read. Then the
//! files are read again and cleaned in batches, each batch's output,
//! diffs, writes and report entries done before the next is read, so
//! memory follows the batch and not the number of files.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use anyhow::{Context as _, Result};

use crate::render::{self, json::FileReport, json::FilesWriter};
use crate::write::write_atomic;
use crate::ErrorKind;

use super::args::{CleanArgs, DiffStyle, Lossy};
use super::inputs::{find, for_each_batch, report_errors, validate, Bar};
use super::Status;

/// What a failed write to standard output (`> /dev/full`) is called.
const STDOUT: &str = "cannot write standard output";

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
                scorer: crate::score::Scorer::new(pipeline.rules()),
            }
        });
        let options = super::jsonl::Options {
            report: args.report.as_deref(),
            keep_going: args.keep_going,
            filter: filter.as_ref(),
            lossy: args.lossy.is_some(),
            max_record: args.files.max_input_size,
        };
        return super::jsonl::run(&pipeline, field, &args.paths, &options);
    }
    // The report is opened first: a report that cannot be written (a
    // directory, a missing or unwritable directory) stops the run before
    // any input is read or any file rewritten (#20).
    let report_out = match &args.report {
        Some(path) => Some((
            path,
            Report::open(path)
                .with_context(|| format!("{}: cannot write report", path.display()))?,
        )),
        None => None,
    };
    let (sources, mut errors) = find(
        &args.paths,
        &args.files,
        &args.rules,
        args.apply_suggestions,
    )?;
    // A bad config or pack stops the run before anything is read.
    if errors.iter().any(|e| e.kind != ErrorKind::Input) {
        return Ok(report_errors(&errors));
    }
    // Every input is read and decoded once before anything is printed or
    // written, keeping only its size; one that cannot be read or decoded
    // is reported at the end and left out, and the others go on (exit 2).
    let lossy = args.lossy.is_some();
    let write_replaced = args.lossy == Some(Lossy::Write);
    let (sources, invalid) = validate(sources, lossy, args.write && !write_replaced);
    errors.extend(invalid);
    if args.write && sources.iter().any(|s| s.is_stdin()) {
        anyhow::bail!("--write needs file paths, not standard input");
    }
    // A run over several files (or a directory) that writes, checks or
    // diffs ends with a summary line; cleaned text on stdout (a filter)
    // gets none, as with `ruff format`.
    let summary = super::is_batch(sources.len() + errors.len(), &args.paths)
        && !args.quiet
        && (args.write || args.check || args.diff.is_some());
    let started = std::time::Instant::now();
    let (mut scanned, mut changed_files) = (0usize, 0usize);
    let mut report = match report_out {
        Some((path, out)) => {
            let mut file = BufWriter::new(out);
            let log = FilesWriter::start(&mut file)
                .with_context(|| format!("{}: cannot write report", path.display()))?;
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
    let bar = Bar {
        show: !args.quiet,
        writing: args.write,
    };
    let read_errors = for_each_batch(
        sources,
        lossy,
        keep_text,
        bar,
        |input, outcome, progress| {
            let changed = outcome.changed();
            scanned += 1;
            changed_files += usize::from(changed);
            if let Some((path, file, log)) = &mut report {
                let entry = FileReport::new(&input.name, &input.text, &outcome.edits, changed);
                log.add(file, &entry, serde_json::Map::new())
                    // With --write, the entry is on disk before its file is
                    // rewritten: a report that fails (a full disk) stops the
                    // run before the file it could not record is touched.
                    .and_then(|()| if args.write { file.flush() } else { Ok(()) })
                    .with_context(|| format!("{}: cannot write report", path.display()))?;
            }
            if args.write {
                let mut written = false;
                if changed {
                    let path = input.path.as_deref().expect("checked: not standard input");
                    match write_atomic(path, outcome.output.as_bytes()) {
                        Ok(()) => written = true,
                        Err(e) => write_errors.push(e),
                    }
                }
                progress.file_settled(written);
            } else if args.diff.is_some() || args.check {
                let (name, old, edits) = (&input.name, &input.text, &outcome.edits);
                // Written as it is made: a long document's diff is never
                // held whole, coloured or not.
                match args.diff {
                    Some(DiffStyle::Word) => {
                        render::word_diff::write_word_diff(&mut out, name, old, edits, color)
                    }
                    _ if color => render::diff::write_painted(&mut out, name, old, edits),
                    _ => render::diff::write_unified(&mut out, name, old, edits),
                }
                .context(STDOUT)?;
                if changed && args.check {
                    status = Status::Changes;
                }
            } else {
                out.write_all(outcome.output.as_bytes()).context(STDOUT)?;
            }
            Ok(())
        },
    )?;
    errors.extend(read_errors);
    // A file that could not be written was not changed.
    let written = changed_files - write_errors.len();
    errors.extend(write_errors);
    out.flush().context(STDOUT)?;
    if let Some((path, mut file, log)) = report {
        log.finish(&mut file)
            .and_then(|()| file.into_inner().map_err(io::IntoInnerError::into_error))
            .and_then(|out| out.finish(path))
            .with_context(|| format!("{}: cannot write report", path.display()))?;
    }
    let status = status.max(report_errors(&errors));
    if summary {
        let outcome = if args.write {
            format!("{written} written")
        } else {
            format!("{changed_files} to change")
        };
        super::batch_summary(scanned, &outcome, errors.len(), started);
    }
    Ok(status)
}

/// Where the report goes.
enum Report {
    /// A temporary file beside the report's path, renamed over it once
    /// the run is done: a run that stops partway leaves the old report (or
    /// none), never a partial one.
    Temp(tempfile::NamedTempFile),
    /// An existing device or pipe (`--report /dev/stderr`), written into:
    /// replacing it would put a plain file in its place.
    Direct(File),
}

impl Report {
    /// Opens the report for `path`; refuses a directory.
    fn open(path: &Path) -> io::Result<Report> {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            )),
            Ok(m) if !m.is_file() => OpenOptions::new()
                .write(true)
                .open(path)
                .map(Report::Direct),
            _ => report_file(path).map(Report::Temp),
        }
    }

    /// Puts the finished report in place.
    fn finish(self, path: &Path) -> io::Result<()> {
        match self {
            Report::Temp(tmp) => tmp.persist(path).map(drop).map_err(|e| e.error),
            Report::Direct(mut f) => f.flush(),
        }
    }
}

impl Write for Report {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Report::Temp(t) => t.write(buf),
            Report::Direct(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Report::Temp(t) => t.flush(),
            Report::Direct(f) => f.flush(),
        }
    }
}

/// A temporary file beside the report `path`, in its directory, so the
/// rename that puts it in place cannot cross file systems. Creating it
/// checks that the directory exists and takes new files.
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
