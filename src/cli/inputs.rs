//! Finding and reading inputs: files, directories (walked) and standard
//! input, each with the config that governs it and the pipeline built for
//! that config.
//!
//! Many-file runs ([`for_each_batch`]) read and clean in batches bounded by
//! bytes, so memory depends on the batch and the largest file, not on how
//! many files there are. `clean` first runs [`validate`] over every input,
//! so that every input is read and checked before anything is printed or
//! written, and the bad ones are left out; `clean -i` and `review` need
//! every file at once ([`gather`]).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;

use crate::config::{self, Config, Effective, Globs, Overrides, Resolver};
use crate::error::Error;
use crate::input::{self, read_bounded, Contents};
use crate::walk::{self, WalkOptions};
use crate::{Document, Kind, Outcome, Pipeline};

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
    /// Standard input that `--stdin-filename` and `--force-exclude`
    /// exclude: `clean` passes it through, `check` reports nothing.
    pub excluded: bool,
}

/// A file to read, found on the command line or by walking.
struct Found {
    /// `None` for standard input.
    path: Option<PathBuf>,
    /// Named on the command line (a binary file is then an error, not a
    /// note).
    explicit: bool,
    config: Option<Arc<Config>>,
    /// Standard input that `--stdin-filename` names and `--force-exclude`
    /// excludes: passed through unchanged, nothing reported.
    excluded: bool,
}

/// An input found, with its pipeline and how it is read, but not read yet
/// (or, for standard input, read once and kept: it cannot be read again).
pub struct Source {
    name: String,
    path: Option<PathBuf>,
    explicit: bool,
    doc: Document,
    pipeline: Pipeline,
    /// Bytes to read: measured by [`validate`], else the file's size on
    /// disk (0 for standard input); sizes the batches and the progress bar.
    size: u64,
    /// The text [`validate`] read and kept: standard input's (it cannot be
    /// read twice) and a lone source's (a second read would only cost).
    kept: Option<(String, bool)>,
    /// [`validate`] read and decoded this source: reading it again must
    /// succeed, or the file changed during the run.
    validated: bool,
    /// Standard input excluded by `--stdin-filename` and `--force-exclude`.
    excluded: bool,
    /// The most bytes it may hold (`--max-input-size`).
    limit: u64,
}

impl Source {
    /// Returns true if this is standard input.
    pub fn is_stdin(&self) -> bool {
        self.path.is_none()
    }
}

/// Input bytes read and cleaned at once in a many-file run (at least one
/// file, however large). Memory follows the batch, not the run: a batch's
/// texts, outputs and edits are dropped before the next one is read. 32 MB
/// keeps both cores busy on small files while a run over a tree larger
/// than memory stays near a few times this plus the largest file.
const BATCH_BYTES: u64 = 32 << 20;

/// Hidden override of [`BATCH_BYTES`] for the tests, which need runs of
/// several batches without writing 32 MB of files. Not a user setting.
const BATCH_BYTES_ENV: &str = "COPYDESK_TEST_BATCH_BYTES";

/// Finds every input, reads and decodes all of them, and builds one
/// pipeline per distinct config: the whole run in memory, for the commands
/// that need every file at once (`clean -i`, `review`). Errors (unreadable
/// or binary files named explicitly, bad configs, bad rule packs) are
/// collected, not fatal, so every problem is reported at once.
pub fn gather(
    paths: &[PathBuf],
    files: &FileArgs,
    rules: &RuleArgs,
    apply_suggestions: bool,
    lossy: bool,
) -> Result<(Vec<Input>, Vec<Error>)> {
    let (sources, mut errors) = find(paths, files, rules, apply_suggestions)?;
    let (inputs, read_errors) = read_all(sources, lossy);
    errors.extend(read_errors);
    Ok((inputs, errors))
}

/// Finds every input and builds one pipeline per distinct config, reading
/// nothing yet. Errors (bad paths, bad configs, bad rule packs) are
/// collected, not fatal; a source whose rules do not load is left out.
pub fn find(
    paths: &[PathBuf],
    files: &FileArgs,
    rules: &RuleArgs,
    apply_suggestions: bool,
) -> Result<(Vec<Source>, Vec<Error>)> {
    let overrides = args::overrides(rules)?;
    let mut resolver = Resolver::new(rules.config.as_deref(), rules.isolated);
    let mut errors: Vec<Error> = Vec::new();
    let found = find_sources(paths, files, &mut resolver, &mut errors);
    let mut pipelines: HashMap<Option<PathBuf>, Option<Pipeline>> = HashMap::new();
    let mut sources = Vec::with_capacity(found.len());
    for f in found {
        let key = f.config.as_ref().map(|c| c.path.clone());
        let pipeline = match pipelines.get(&key) {
            Some(p) => p.clone(),
            None => {
                let p = build(
                    f.config.as_deref(),
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
        let kind = match (files.kind, &f.path, &files.stdin_filename) {
            (Some(t), _, _) => t.into(),
            (None, Some(p), _) | (None, None, Some(p)) => Kind::from_path(p),
            (None, None, None) => Kind::Plain,
        };
        let name = match (&f.path, &files.stdin_filename) {
            (Some(p), _) | (None, Some(p)) => p.display().to_string(),
            (None, None) => "-".into(),
        };
        let size = f
            .path
            .as_deref()
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(0, |m| m.len());
        sources.push(Source {
            name,
            excluded: f.excluded,
            path: f.path,
            explicit: f.explicit,
            doc: Document { kind },
            pipeline,
            size,
            kept: None,
            validated: false,
            limit: files.max_input_size,
        });
    }
    Ok((sources, errors))
}

/// The validation pass of a run that touches no bad input: reads and
/// decodes every source in parallel, exactly as the run will, returns the
/// good ones and an error for each bad one,
/// and keeps only what the run needs (sizes, standard input's text), so
/// that memory does not grow with the number of files. A binary file found
/// by walking is left out with a note. With `writing` (`--write`), a file
/// `--lossy` had to repair is an error: writing U+FFFD over the bytes it
/// could not decode would lose them for good; and so is anything but a
/// regular file, found from its metadata before it is opened (a FIFO
/// would block the read, a device like `/dev/zero` never end it, and
/// neither may be replaced).
pub fn validate(sources: Vec<Source>, lossy: bool, writing: bool) -> (Vec<Source>, Vec<Error>) {
    // Each text is dropped by the worker that read it: only sizes (and
    // standard input, or a lone source) outlive the pass.
    // `Ok(Some(replaced))`: it reads.
    let lone = sources.len() == 1;
    let checked: Vec<(Source, Result<Option<bool>, Error>)> = sources
        .into_par_iter()
        .map(|mut source| {
            if let (true, Some(path)) = (writing, source.path.as_deref()) {
                let regular = std::fs::metadata(path)
                    .map_err(|e| {
                        Error::new(
                            crate::ErrorKind::Input,
                            path,
                            format!("cannot read: {}", io_reason(&e)),
                        )
                    })
                    .and_then(|meta| crate::write::check_regular(path, &meta));
                if let Err(e) = regular {
                    return (source, Err(e));
                }
            }
            let read = read_source(source.path.as_deref(), source.explicit, lossy, source.limit);
            let read = read.map(|read| {
                read.map(|(text, replaced)| {
                    source.size = text.len() as u64;
                    source.validated = true;
                    if lone || source.is_stdin() {
                        source.kept = Some((text, replaced));
                    }
                    replaced
                })
            });
            (source, read)
        })
        .collect();
    let mut kept = Vec::with_capacity(checked.len());
    let mut errors = Vec::new();
    for (source, read) in checked {
        match read {
            Ok(Some(true)) if writing => errors.push(replaced_not_written(&source.name)),
            Ok(Some(_)) => kept.push(source),
            Ok(None) => note_binary(&source),
            Err(e) => errors.push(e),
        }
    }
    (kept, errors)
}

/// Cleans `sources` batch by batch (see [`BATCH_BYTES`]): each batch is
/// read and cleaned in parallel, then handed to `each` one input at a
/// time, in input order, and dropped before the next batch is read. A
/// progress bar sized from the sources shows on a terminal (see [`Bar`]). Returns the
/// errors of reading (a validated file that no longer reads as it did is
/// one); `each` stops the run by returning an error. Unless `keep_text`,
/// `each` gets the input without its text, which the pipeline took to
/// clean in place (a long file is then held once, not twice).
pub fn for_each_batch(
    sources: Vec<Source>,
    lossy: bool,
    keep_text: bool,
    bar: Bar,
    mut each: impl FnMut(&Input, Outcome<'_>, &Progress) -> Result<()>,
) -> Result<Vec<Error>> {
    let bytes = sources.iter().map(|s| s.size).sum();
    let progress = Progress::new(sources.len(), bytes, bar.show, bar.writing);
    let mut errors = Vec::new();
    for batch in batches(sources) {
        let (mut inputs, read_errors) = read_all(batch, lossy);
        errors.extend(read_errors);
        if keep_text {
            for (input, outcome) in inputs.iter().zip(clean_all(&inputs, &progress)) {
                each(input, outcome, &progress)?;
            }
        } else {
            let outcomes = clean_all_owned(&mut inputs, &progress);
            for (input, outcome) in inputs.iter().zip(outcomes) {
                each(input, outcome, &progress)?;
            }
        }
    }
    progress.finish();
    Ok(errors)
}

/// Reads `sources` batch by batch (see [`BATCH_BYTES`]), each batch in
/// parallel, and hands each input to `each` in input order without
/// cleaning it; returns the errors of reading. For the commands that only
/// read text (`rules mine`).
pub fn read_each(sources: Vec<Source>, lossy: bool, mut each: impl FnMut(&Input)) -> Vec<Error> {
    let mut errors = Vec::new();
    for batch in batches(sources) {
        let (inputs, read_errors) = read_all(batch, lossy);
        errors.extend(read_errors);
        inputs.iter().filter(|i| !i.excluded).for_each(&mut each);
    }
    errors
}

/// What the progress bar of [`for_each_batch`] shows.
#[derive(Clone, Copy, Debug)]
pub struct Bar {
    /// Drawn at all (on a terminal): not with `-q`.
    pub show: bool,
    /// The run writes the files it changes (`clean --write`): the bar
    /// goes on through the writes, which `each` reports
    /// ([`Progress::file_settled`]).
    pub writing: bool,
}

/// `sources` in order, cut into batches of at most the batch budget's
/// bytes (a larger file makes a batch of its own).
fn batches(sources: Vec<Source>) -> impl Iterator<Item = Vec<Source>> {
    let budget = batch_budget();
    let mut rest = sources.into_iter().peekable();
    std::iter::from_fn(move || {
        rest.peek()?;
        let mut batch = Vec::new();
        let mut bytes = 0;
        while let Some(s) = rest.next_if(|s| batch.is_empty() || bytes + s.size <= budget) {
            bytes += s.size;
            batch.push(s);
        }
        Some(batch)
    })
}

/// The batch budget: [`BATCH_BYTES`], or the tests' override.
fn batch_budget() -> u64 {
    std::env::var(BATCH_BYTES_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(BATCH_BYTES)
}

/// Reads `sources` in parallel into inputs, in order. A binary file found
/// by walking is skipped with a note, unless validation read it as text:
/// then it changed during the run and is an error, as is any read error.
fn read_all(sources: Vec<Source>, lossy: bool) -> (Vec<Input>, Vec<Error>) {
    let read_one = |s: &Source| read_source(s.path.as_deref(), s.explicit, lossy, s.limit);
    // A lone file is read here: handing it to the thread pool would start
    // the pool and wait for one of its threads, for nothing.
    let read: Vec<Result<Option<(String, bool)>, Error>> = if sources.len() == 1 {
        sources
            .iter()
            .filter(|s| s.kept.is_none())
            .map(read_one)
            .collect()
    } else {
        sources
            .par_iter()
            .filter(|s| s.kept.is_none())
            .map(read_one)
            .collect()
    };
    let mut read = read.into_iter();
    let mut inputs = Vec::with_capacity(sources.len());
    let mut errors = Vec::new();
    for mut source in sources {
        let read = match source.kept.take() {
            Some(kept) => Ok(Some(kept)),
            None => read.next().expect("one read per file"),
        };
        let (text, replaced) = match read {
            Ok(Some(read)) => read,
            Ok(None) if source.validated => {
                errors.push(changed(Error::new(
                    crate::ErrorKind::Input,
                    &source.name,
                    "now a binary file",
                )));
                continue;
            }
            Ok(None) => {
                note_binary(&source);
                continue;
            }
            Err(e) if source.validated => {
                errors.push(changed(e));
                continue;
            }
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        inputs.push(Input {
            name: source.name,
            path: source.path,
            text,
            doc: source.doc,
            pipeline: source.pipeline,
            replaced,
            excluded: source.excluded,
        });
    }
    (inputs, errors)
}

/// The error for a file `--lossy` repaired in a run that writes files:
/// writing U+FFFD over the bytes it could not decode would lose them.
pub fn replaced_not_written(name: &str) -> Error {
    Error::new(
        crate::ErrorKind::Input,
        name,
        "invalid UTF-8; --write would replace the bad bytes with U+FFFD, so the file is not changed (--lossy=write writes them)",
    )
}

/// Marks the error of a file that read well in the validation pass and no
/// longer does: someone changed it while copydesk ran, after other files
/// may already have been written.
fn changed(e: Error) -> Error {
    Error {
        message: format!("changed during the run, not processed: {}", e.message),
        ..e
    }
}

/// Says on stderr that a binary file found by walking is skipped.
fn note_binary(source: &Source) {
    eprintln!("copydesk: note: {}: binary file, skipped", source.name);
}

/// Cleans every input in parallel; the outcomes are in input order. A
/// progress bar shows on a terminal while many files are cleaned.
pub fn run_all(inputs: &[Input]) -> Vec<Outcome<'_>> {
    let bytes = inputs.iter().map(|i| i.text.len() as u64).sum();
    let progress = Progress::new(inputs.len(), bytes, true, false);
    let outcomes = clean_all(inputs, &progress);
    progress.finish();
    outcomes
}

/// Cleans `inputs` in parallel, in order, counting each on `progress`.
/// A lone input is cleaned on this thread (its passes still use the pool
/// where they split their work).
fn clean_all<'a>(inputs: &'a [Input], progress: &Progress) -> Vec<Outcome<'a>> {
    let clean = |i: &'a Input| {
        let outcome = if i.excluded {
            unchanged(Cow::Borrowed(&i.text))
        } else {
            i.pipeline.run_with(&i.text, &i.doc)
        };
        progress.file_done(i.text.len());
        outcome
    };
    if inputs.len() == 1 {
        return inputs.iter().map(clean).collect();
    }
    inputs.par_iter().map(clean).collect()
}

/// Cleans `inputs` as [`clean_all`] does, handing each text to the
/// pipeline (which rewrites it in place) and leaving it empty.
fn clean_all_owned(inputs: &mut [Input], progress: &Progress) -> Vec<Outcome<'static>> {
    let clean = |i: &mut Input| {
        let text = std::mem::take(&mut i.text);
        let len = text.len();
        let outcome = if i.excluded {
            unchanged(Cow::Owned(text))
        } else {
            i.pipeline.run_owned(text, &i.doc)
        };
        progress.file_done(len);
        outcome
    };
    if inputs.len() == 1 {
        return inputs.iter_mut().map(clean).collect();
    }
    inputs.par_iter_mut().map(clean).collect()
}

/// The outcome of an input that is not cleaned (excluded standard input):
/// its text as it came, no edits.
fn unchanged(text: Cow<'_, str>) -> Outcome<'_> {
    Outcome {
        output: text,
        edits: Vec::new(),
    }
}

/// Expands the command line into sources: `-` is standard input, a
/// directory is walked (sorted, ignore files and the config's globs
/// honoured), anything else is a file processed as named.
fn find_sources(
    paths: &[PathBuf],
    files: &FileArgs,
    resolver: &mut Resolver,
    errors: &mut Vec<Error>,
) -> Vec<Found> {
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
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| cwd.join(p));
    // `--exclude` globs are anchored at the working directory.
    let cli_exclude = match Globs::new(&files.exclude) {
        Ok(g) => (!files.exclude.is_empty()).then_some(g),
        Err(e) => {
            errors.push(Error::new(crate::ErrorKind::Syntax, "--exclude", e));
            return Vec::new();
        }
    };
    let cli_excludes = |file: &Path| {
        cli_exclude.as_ref().is_some_and(|g| {
            let file = absolute(file);
            g.matches(file.strip_prefix(&cwd).unwrap_or(&file))
        })
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
            // `--stdin-filename`: the config of the nearest existing
            // directory above the path it names.
            let named = files.stdin_filename.as_deref();
            let dir = named
                .and_then(Path::parent)
                .and_then(|p| p.ancestors().find(|a| a.is_dir()))
                .unwrap_or(Path::new("."));
            match resolver.for_dir(dir) {
                Ok(config) => {
                    let excluded = named.is_some_and(|p| {
                        files.force_exclude
                            && (cli_excludes(p)
                                || config.as_ref().is_some_and(|c| c.excludes(&absolute(p))))
                    });
                    sources.push(Found {
                        path: None,
                        explicit: true,
                        config,
                        excluded,
                    });
                }
                Err(e) => note(errors, e),
            }
            continue;
        }
        if !path.is_dir() {
            match resolver.for_file(path) {
                // `--force-exclude`: a named file is skipped as a walked
                // one would be, silently (a hook names whatever is staged).
                Ok(config)
                    if files.force_exclude
                        && (cli_excludes(path)
                            || config.as_ref().is_some_and(|c| c.excludes(&absolute(path)))) => {}
                Ok(config) if seen.insert(path.clone()) => sources.push(Found {
                    path: Some(path.clone()),
                    explicit: true,
                    config,
                    excluded: false,
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
            } && !cli_excludes(&file);
            if selected && seen.insert(file.clone()) {
                sources.push(Found {
                    path: Some(file),
                    explicit: false,
                    config,
                    excluded: false,
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
    limit: u64,
) -> Result<Option<(String, bool)>, Error> {
    let shown = path.unwrap_or(Path::new("<stdin>"));
    let fail = |e: io::Error| {
        Error::new(
            crate::ErrorKind::Input,
            shown,
            format!("cannot read: {}", io_reason(&e)),
        )
    };
    // A file's size on disk is checked before a byte is read; a stream's
    // (standard input, a pipe, a device) as it is read.
    let read = match path {
        None => read_bounded(io::stdin().lock(), limit, 0),
        Some(p) => {
            let file = std::fs::File::open(p).map_err(fail)?;
            let size = file.metadata().map_err(fail)?.len();
            if size > limit {
                return Err(input::too_large(shown, &args::show_size(limit)));
            }
            read_bounded(file, limit, size)
        }
    };
    let bytes = match read.map_err(fail)? {
        Contents::Text(bytes) => bytes,
        Contents::Binary(_) if !explicit => return Ok(None),
        Contents::Binary(at) => return Err(input::binary(shown, at)),
        Contents::TooLarge => return Err(input::too_large(shown, &args::show_size(limit))),
    };
    let replaced = lossy && std::str::from_utf8(&bytes).is_err();
    input::decode(shown, bytes, lossy).map(|t| Some((t, replaced)))
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

/// Prints every error on standard error (see [`Error::render`]) and
/// returns the status they make.
pub fn report_errors(errors: &[Error]) -> Status {
    let color = super::color_stderr();
    for e in errors {
        eprintln!("{}", e.render(color));
    }
    if errors.is_empty() {
        Status::Clean
    } else {
        Status::Error
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::rules::load::Loader;

    use super::*;

    fn source(path: &Path, validated: bool) -> Source {
        Source {
            name: path.display().to_string(),
            path: Some(path.to_path_buf()),
            explicit: true,
            doc: Document::plain(),
            pipeline: Pipeline::new(Arc::new(Loader::new().build().unwrap()), Default::default()),
            size: 0,
            kept: None,
            validated,
            excluded: false,
            limit: u64::MAX,
        }
    }

    /// A file validation read as text and that no longer decodes was
    /// changed by someone during the run: an error naming it, while the
    /// other files are read as usual.
    #[test]
    fn a_file_changed_after_validation_is_an_error_and_the_others_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.txt");
        let changed = dir.path().join("changed.txt");
        fs::write(&good, "global law\n").unwrap();
        fs::write(&changed, b"global law \xff\n").unwrap();
        let (inputs, errors) = read_all(vec![source(&good, true), source(&changed, true)], false);
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0].text, "global law\n");
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [format!(
                "{}: changed during the run, not processed: invalid UTF-8 at byte 11 (line 1); not changed (--lossy replaces bad bytes with U+FFFD)",
                changed.display()
            )]
        );
        // Never validated, the same file is an ordinary bad input.
        let (_, errors) = read_all(vec![source(&changed, false)], false);
        assert!(!errors[0].message.starts_with("changed during the run"));
    }
}
