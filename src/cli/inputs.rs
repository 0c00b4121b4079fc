//! Finding and reading inputs: files, directories (walked) and standard
//! input, each with the config that governs it and the pipeline built for
//! that config. Everything is read and decoded before anything is written.

use std::collections::{HashMap, HashSet};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;

use copydesk::config::{self, Config, Effective, Overrides, Resolver};
use copydesk::error::Error;
use copydesk::walk::{self, WalkOptions};
use copydesk::{Document, Kind, Outcome, Pipeline};

use super::args::{self, FileArgs, RuleArgs};
use super::progress::Progress;
use super::{load_rules, Status};

/// One input: its display name, its path (none for stdin), its text, how
/// it is read, and the pipeline of its config.
pub struct Input {
    pub name: String,
    pub path: Option<PathBuf>,
    pub text: String,
    pub doc: Document,
    pub pipeline: Pipeline,
    /// `--lossy` replaced invalid UTF-8: writing the text back would
    /// destroy those bytes, so `--write` refuses the file.
    pub replaced: bool,
}

/// A file to read, found on the command line or by walking.
struct Source {
    /// `None` for standard input.
    path: Option<PathBuf>,
    /// Named on the command line (a binary file is then an error, not a
    /// note).
    explicit: bool,
    config: Option<Arc<Config>>,
}

/// Finds every input, reads and decodes it, and builds one pipeline per
/// distinct config. Errors (unreadable or binary files named explicitly,
/// bad configs, bad rule packs) are collected, not fatal, so every problem
/// is reported at once.
pub fn gather(
    paths: &[PathBuf],
    files: &FileArgs,
    rules: &RuleArgs,
    apply_suggestions: bool,
    lossy: bool,
) -> Result<(Vec<Input>, Vec<Error>)> {
    let overrides = args::overrides(rules)?;
    let mut resolver = Resolver::new(rules.config.as_deref(), rules.isolated);
    let mut errors: Vec<Error> = Vec::new();
    let sources = find_sources(paths, files, &mut resolver, &mut errors);

    let read: Vec<Result<Option<(String, bool)>, Error>> = sources
        .par_iter()
        .map(|s| read_source(s.path.as_deref(), s.explicit, lossy))
        .collect();

    let mut pipelines: HashMap<Option<PathBuf>, Option<Pipeline>> = HashMap::new();
    let mut inputs = Vec::new();
    for (source, text) in sources.into_iter().zip(read) {
        let (text, replaced) = match text {
            Ok(Some(read)) => read,
            Ok(None) => {
                let path = source.path.as_deref().unwrap_or(Path::new("-"));
                eprintln!("copydesk: note: {}: binary file, skipped", path.display());
                continue;
            }
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let key = source.config.as_ref().map(|c| c.path.clone());
        let pipeline = match pipelines.get(&key) {
            Some(p) => p.clone(),
            None => {
                let p = build(
                    source.config.as_deref(),
                    &overrides,
                    apply_suggestions,
                    &mut errors,
                )?;
                pipelines.insert(key, p.clone());
                p
            }
        };
        let Some(pipeline) = pipeline else {
            continue;
        };
        let kind = match (files.kind, &source.path) {
            (Some(t), _) => t.into(),
            (None, Some(p)) => Kind::from_path(p),
            (None, None) => Kind::Plain,
        };
        inputs.push(Input {
            name: source
                .path
                .as_ref()
                .map_or_else(|| "-".into(), |p| p.display().to_string()),
            path: source.path,
            text,
            doc: Document { kind },
            pipeline,
            replaced,
        });
    }
    Ok((inputs, errors))
}

/// Cleans every input in parallel; the outcomes are in input order. A
/// progress bar shows on a terminal while many files are cleaned.
pub fn run_all(inputs: &[Input]) -> Vec<Outcome<'_>> {
    let bytes = inputs.iter().map(|i| i.text.len() as u64).sum();
    let progress = Progress::new(inputs.len(), bytes);
    let outcomes = inputs
        .par_iter()
        .map(|i| {
            let outcome = i.pipeline.run_with(&i.text, &i.doc);
            progress.file_done(i.text.len());
            outcome
        })
        .collect();
    progress.finish();
    outcomes
}

/// Expands the command line into sources: `-` is standard input, a
/// directory is walked (sorted, ignore files and the config's globs
/// honoured), anything else is a file processed as named.
fn find_sources(
    paths: &[PathBuf],
    files: &FileArgs,
    resolver: &mut Resolver,
    errors: &mut Vec<Error>,
) -> Vec<Source> {
    let stdin_only = [PathBuf::from("-")];
    let paths = if paths.is_empty() {
        &stdin_only[..]
    } else {
        paths
    };
    let walk = WalkOptions {
        hidden: files.hidden,
        no_ignore: files.no_ignore,
    };
    let note = |errors: &mut Vec<Error>, e: Error| {
        // A broken config is met once per file it governs: report it once.
        if !errors.contains(&e) {
            errors.push(e);
        }
    };
    let mut sources = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for path in paths {
        if path == Path::new("-") {
            match resolver.for_dir(Path::new(".")) {
                Ok(config) => sources.push(Source {
                    path: None,
                    explicit: true,
                    config,
                }),
                Err(e) => note(errors, e),
            }
            continue;
        }
        if !path.is_dir() {
            match resolver.for_file(path) {
                Ok(config) if seen.insert(path.clone()) => sources.push(Source {
                    path: Some(path.clone()),
                    explicit: true,
                    config,
                }),
                Ok(_) => {}
                Err(e) => note(errors, e),
            }
            continue;
        }
        let (found, walk_errors) = walk::files(path, &walk);
        errors.extend(walk_errors);
        let before = (sources.len(), errors.len());
        for file in found {
            let config = match resolver.for_file(&file) {
                Ok(c) => c,
                Err(e) => {
                    note(errors, e);
                    continue;
                }
            };
            let selected = match &config {
                Some(c) => c.selects(&std::fs::canonicalize(&file).unwrap_or(file.clone())),
                None => config::default_selects(&file),
            };
            if selected && seen.insert(file.clone()) {
                sources.push(Source {
                    path: Some(file),
                    explicit: false,
                    config,
                });
            }
        }
        if (sources.len(), errors.len()) == before {
            eprintln!(
                "copydesk: note: {}: no files to process (see `copydesk config {}`)",
                path.display(),
                path.display()
            );
        }
    }
    sources
}

/// Reads and decodes one input, and tells whether `--lossy` replaced
/// invalid bytes. `Ok(None)` is a binary file found by walking: skipped
/// with a note, not an error.
fn read_source(
    path: Option<&Path>,
    explicit: bool,
    lossy: bool,
) -> Result<Option<(String, bool)>, Error> {
    let bytes = match path {
        None => {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
        }
        Some(p) => std::fs::read(p),
    };
    let shown = path.unwrap_or(Path::new("<stdin>"));
    let bytes = bytes.map_err(|e| {
        Error::new(
            copydesk::ErrorKind::Input,
            shown,
            format!("cannot read: {}", io_reason(&e)),
        )
    })?;
    if !explicit && bytes.contains(&0) {
        return Ok(None);
    }
    let replaced = lossy && std::str::from_utf8(&bytes).is_err();
    copydesk::input::decode(shown, bytes, lossy).map(|t| Some((t, replaced)))
}

/// Builds the pipeline for one config, or records why it cannot be built.
fn build(
    config: Option<&Config>,
    overrides: &Overrides,
    apply_suggestions: bool,
    errors: &mut Vec<Error>,
) -> Result<Option<Pipeline>> {
    let effective = Effective::resolve(config, overrides).map_err(anyhow::Error::msg)?;
    match load_rules(&effective, &[]) {
        Ok(rules) => Ok(Some(Pipeline::new(
            rules,
            effective.options(apply_suggestions),
        ))),
        Err(errs) => {
            errors.extend(errs);
            Ok(None)
        }
    }
}

/// The OS reason without Rust's "(os error N)" suffix.
fn io_reason(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

pub fn report_errors(errors: &[Error]) -> Status {
    for e in errors {
        eprintln!("copydesk: error: {e}");
    }
    if errors.is_empty() {
        Status::Clean
    } else {
        Status::Error
    }
}
