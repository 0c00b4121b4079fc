//! `copydesk clean --jsonl FIELD`: corpus mode over JSON lines.
//!
//! One record in, one record out, in input order. Only the named string
//! field is rewritten; every other byte of the line is copied unchanged (the
//! field's value is located with `RawValue` and spliced). Records are
//! cleaned in parallel in batches, so memory stays bounded by the batch
//! size however long the stream is. A record that cannot be cleaned
//! (invalid UTF-8, bad JSON, missing or non-string field) passes through
//! byte for byte and is reported on stderr with its line number, and in
//! the report with an `error` key (so the report keeps one line per
//! record): lines out always equal lines in. Records are read as bytes and
//! decoded one by one, so a bad byte spoils its own record only, never the
//! batch around it or the stream after it (#20). The exit code is then 2,
//! unless `--keep-going`: a stage of a larger job (Spark's `RDD.pipe`, a
//! shell loop under `set -e`) usually wants the other records and the
//! per-record errors, not a failed task. `--lossy` cleans a record with
//! invalid UTF-8 as text with U+FFFD in place of the bad bytes instead.
//!
//! A record longer than `--max-input-size` stops the run (exit 2) after
//! every record before it is written: holding it would take that much
//! memory, and an endless line (`/dev/zero`) would never end.
//!
//! With `--min-score` / `--max-score`, records whose spun score (see
//! [`crate::score`]) falls outside the range are dropped from the output
//! and counted on stderr, so a pipeline can keep only clean articles.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read as _, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde_json::value::RawValue;

use crate::render::json::FileReport;
use crate::score::Scorer;
use crate::Pipeline;

use super::Status;

/// Lines per parallel batch (bounds memory together with line length).
const BATCH_LINES: usize = 2048;

/// What became of one record.
struct Done {
    /// The rewritten line, or `None` to copy the record's bytes unchanged.
    line: Option<String>,
    report: Option<String>,
    error: Option<String>,
    /// Left out of the output by the score filter.
    dropped: bool,
}

/// `--min-score` / `--max-score`: the spun scores a record may have.
pub struct ScoreFilter {
    /// The lowest score kept.
    pub min: Option<f64>,
    /// The highest score kept.
    pub max: Option<f64>,
    /// Scores with the pipeline's rules.
    pub scorer: Scorer,
}

impl ScoreFilter {
    fn keeps(&self, score: f64) -> bool {
        self.min.is_none_or(|m| score >= m) && self.max.is_none_or(|m| score <= m)
    }

    fn describe(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("spun score outside {a}..={b}"),
            (Some(a), None) => format!("spun score below {a}"),
            (None, Some(b)) => format!("spun score above {b}"),
            (None, None) => "no filter".to_string(),
        }
    }
}

/// How corpus mode reports.
pub struct Options<'a> {
    /// Where to write the per-record JSON lines report.
    pub report: Option<&'a Path>,
    /// Exit 0 even when a record could not be cleaned.
    pub keep_going: bool,
    /// Drop records outside a spun-score range.
    pub filter: Option<&'a ScoreFilter>,
    /// Clean a record with invalid UTF-8 with U+FFFD in place of the bad
    /// bytes, instead of passing it through as a bad record.
    pub lossy: bool,
    /// The longest record accepted, in bytes (`--max-input-size`).
    pub max_record: u64,
}

/// Cleans the `field` of every JSON line of each input.
pub fn run(
    pipeline: &Pipeline,
    field: &str,
    paths: &[PathBuf],
    options: &Options<'_>,
) -> Result<Status> {
    let report = options.report;
    let filter = options.filter;
    if let Some(ScoreFilter {
        min: Some(min),
        max: Some(max),
        ..
    }) = filter
    {
        anyhow::ensure!(min <= max, "--min-score {min} is above --max-score {max}");
    }
    let stdin_only = [PathBuf::from("-")];
    let paths = if paths.is_empty() {
        &stdin_only[..]
    } else {
        paths
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut report_out = match report {
        Some(p) => {
            Some(BufWriter::new(File::create(p).with_context(|| {
                format!("{}: cannot write report", p.display())
            })?))
        }
        None => None,
    };
    let mut status = Status::Clean;
    let (mut records, mut dropped) = (0usize, 0usize);
    for path in paths {
        let name = if path == Path::new("-") {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let mut reader: Box<dyn BufRead> = if path == Path::new("-") {
            Box::new(BufReader::new(io::stdin().lock()))
        } else {
            Box::new(BufReader::new(
                File::open(path).with_context(|| format!("{name}: cannot read"))?,
            ))
        };
        let mut number = 0usize;
        loop {
            let (batch, stop) = read_batch(&mut *reader, options.max_record);
            let first = number + 1;
            number += batch.len();
            let done: Vec<Done> = batch
                .par_iter()
                .enumerate()
                .map(|(i, bytes)| {
                    let number = first + i;
                    let with_report = report.is_some();
                    match std::str::from_utf8(bytes) {
                        Ok(line) => {
                            clean_record(pipeline, field, line, number, with_report, filter)
                        }
                        Err(_) if options.lossy => {
                            let line = String::from_utf8_lossy(bytes);
                            let mut d =
                                clean_record(pipeline, field, &line, number, with_report, filter);
                            d.line.get_or_insert_with(|| line.into_owned());
                            d
                        }
                        Err(e) => bad_record(
                            format!(
                                "invalid UTF-8 at byte {} of the record (--lossy replaces bad bytes with U+FFFD)",
                                e.valid_up_to()
                            ),
                            number,
                            with_report,
                        ),
                    }
                })
                .collect();
            for (i, (d, bytes)) in done.into_iter().zip(&batch).enumerate() {
                if !bytes.trim_ascii().is_empty() {
                    records += 1;
                }
                if d.dropped {
                    dropped += 1;
                } else {
                    out.write_all(d.line.as_ref().map_or(&bytes[..], |l| l.as_bytes()))?;
                    out.write_all(b"\n")?;
                }
                if let Some(e) = d.error {
                    eprintln!(
                        "copydesk: error: {name}:{}: {e}; record passed through unchanged",
                        first + i
                    );
                    if !options.keep_going {
                        status = Status::Error;
                    }
                }
                if let (Some(r), Some(w)) = (d.report, report_out.as_mut()) {
                    w.write_all(r.as_bytes())?;
                    w.write_all(b"\n")?;
                }
            }
            match stop {
                Stop::More => {}
                Stop::End => break,
                Stop::Failed(e) => {
                    // Everything read before the failure is out: flush it,
                    // then stop.
                    out.flush()?;
                    if let Some(w) = report_out.as_mut() {
                        w.flush()?;
                    }
                    return Err(match e {
                        ReadFailure::Io(e) => anyhow::Error::new(e)
                            .context(format!("{name}: cannot read line {}", number + 1)),
                        ReadFailure::TooLong => anyhow::anyhow!(
                            "{name}:{}: record is over the limit of {} (--max-input-size); stopped after the records before it",
                            number + 1,
                            super::args::show_size(options.max_record)
                        ),
                    });
                }
            }
        }
    }
    out.flush()?;
    if let Some(w) = report_out.as_mut() {
        w.flush()?;
    }
    if let Some(f) = filter {
        eprintln!(
            "copydesk: note: {dropped} of {records} record{} dropped ({})",
            if records == 1 { "" } else { "s" },
            f.describe()
        );
    }
    Ok(status)
}

/// Cleans one record, splicing the new value into the original line.
fn clean_record(
    pipeline: &Pipeline,
    field: &str,
    line: &str,
    number: usize,
    report: bool,
    filter: Option<&ScoreFilter>,
) -> Done {
    let unchanged = |error: String| bad_record(error, number, report);
    if line.trim().is_empty() {
        return Done {
            line: None,
            report: None,
            error: None,
            dropped: false,
        };
    }
    let map: BTreeMap<&str, &RawValue> = match serde_json::from_str(line) {
        Ok(m) => m,
        Err(e) => return unchanged(format!("not a JSON object: {e}")),
    };
    let Some(raw) = map.get(field) else {
        return unchanged(format!("no field `{field}`"));
    };
    let text: String = match serde_json::from_str(raw.get()) {
        Ok(t) => t,
        Err(_) => return unchanged(format!("field `{field}` is not a string")),
    };
    let start = raw.get().as_ptr() as usize - line.as_ptr() as usize;
    let end = start + raw.get().len();
    let outcome = pipeline.run(&text);
    let stats = filter.map(|f| f.scorer.score(&text, &outcome.edits));
    let dropped = match (filter, &stats) {
        (Some(f), Some(s)) => !f.keeps(s.score),
        _ => false,
    };
    let report = report.then(|| {
        let name = format!("record {number}");
        let r = FileReport::new(&name, &text, &outcome.edits, outcome.changed());
        let mut value =
            serde_json::json!({ "record": number, "changed": r.changed, "edits": r.edits().collect::<Vec<_>>() });
        if let Some(s) = &stats {
            value["stats"] = serde_json::to_value(s).expect("stats serialise");
            value["dropped"] = dropped.into();
        }
        value.to_string()
    });
    if !outcome.changed() || dropped {
        return Done {
            line: None,
            report,
            error: None,
            dropped,
        };
    }
    let value = serde_json::to_string(&*outcome.output).expect("a string serialises");
    let mut new = String::with_capacity(line.len() + value.len());
    new.push_str(&line[..start]);
    new.push_str(&value);
    new.push_str(&line[end..]);
    Done {
        line: Some(new),
        report,
        error: None,
        dropped: false,
    }
}

/// A record passed through unchanged because of `error`.
fn bad_record(error: String, number: usize, report: bool) -> Done {
    Done {
        line: None,
        report: report.then(|| {
            serde_json::json!({ "record": number, "changed": false, "error": error }).to_string()
        }),
        error: Some(error),
        dropped: false,
    }
}

/// Why reading a stream stopped before its end.
enum ReadFailure {
    /// The operating system refused a read.
    Io(io::Error),
    /// A record is longer than the limit.
    TooLong,
}

/// What follows a batch.
enum Stop {
    /// More records may follow.
    More,
    /// The stream ended.
    End,
    /// The stream cannot be read further.
    Failed(ReadFailure),
}

/// Reads up to [`BATCH_LINES`] records as bytes, each without its line
/// end (`\n` or `\r\n`, as `BufRead::lines` has it). Bytes are not
/// decoded here: a record that is not UTF-8 is one bad record, not the end
/// of the stream. A record is read at most `max + 1` bytes far, so an
/// endless line costs bounded memory.
fn read_batch(reader: &mut dyn BufRead, max: u64) -> (Vec<Vec<u8>>, Stop) {
    let mut batch = Vec::with_capacity(BATCH_LINES);
    while batch.len() < BATCH_LINES {
        let mut record = Vec::new();
        // The line end counts as one byte beyond the limit.
        match (&mut *reader)
            .take(max.saturating_add(1))
            .read_until(b'\n', &mut record)
        {
            Ok(0) => return (batch, Stop::End),
            Ok(_) => {}
            Err(e) => return (batch, Stop::Failed(ReadFailure::Io(e))),
        }
        if record.last() == Some(&b'\n') {
            record.pop();
            if record.last() == Some(&b'\r') {
                record.pop();
            }
        } else if record.len() as u64 > max {
            return (batch, Stop::Failed(ReadFailure::TooLong));
        }
        batch.push(record);
    }
    (batch, Stop::More)
}
