//! The command line: `clean`, `check`, `rules`, `explain`, and the
//! generated `completions` and `man` page; and the exit codes.
//!
//! Exit codes: 0 nothing to do, 1 changes or findings (`check`,
//! `clean --check`, failing `rules test`, `rules lint` warnings), 2 an
//! error. Errors win. `args` declares the arguments, `inputs` finds and
//! reads files with their configs, and each command has its own module.

mod args;
mod check;
mod clean;
mod config;
mod explain;
mod generate;
mod inputs;
mod interactive;
mod jsonl;
mod lint;
mod mine;
mod progress;
mod review;
mod rules;

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Result;
use clap::Parser;

use crate::config::{Effective, Resolver};
use crate::error::Error;
use crate::rules::cache::Cache;
use crate::{Pipeline, RuleSet};

use args::{Cli, ColorWhen, Command, RuleArgs, RulesCommand};

/// The exit status, ordered so the worst outcome wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Clean,
    Changes,
    Error,
}

impl From<Status> for u8 {
    fn from(s: Status) -> u8 {
        match s {
            Status::Clean => 0,
            Status::Changes => 1,
            Status::Error => 2,
        }
    }
}

/// Runs the command line and returns the exit code.
pub fn run() -> ExitCode {
    ExitCode::from(run_from(std::env::args_os()))
}

/// Runs the command line on `args` (the program name first) and returns
/// the exit status. The Python package's `copydesk` command runs the CLI
/// through here with `sys.argv`: inside an interpreter the process's own
/// arguments name Python, not copydesk.
pub fn run_from<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    if STDOUT_CLOSED.load(Ordering::Relaxed) && prints(&cli.command) {
        eprintln!("copydesk: error: standard output is closed");
        return Status::Error.into();
    }
    match dispatch(cli) {
        Ok(status) => status.into(),
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            eprintln!("copydesk: error: {e:#}");
            Status::Error.into()
        }
    }
}

/// Returns true if the error is a closed stdout (`| head`): not a failure.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            // JSON output fails through serde_json, which wraps the io error.
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

/// Whether descriptor 1 was closed when the process started (`copydesk
/// clean >&-`). The standard library puts `/dev/null` on a closed standard
/// descriptor before `main` (so that no file opened later takes its number),
/// after which writes to it succeed and the output would be lost with exit 0
/// (#20). `/dev/null` opened by the caller (`> /dev/null`, Python's
/// `subprocess.DEVNULL`) looks the same, so the binary looks at the
/// descriptor before that, from its constructor list (`src/main.rs`), and
/// sets this; a host that runs the command line in its own process (the
/// Python package) leaves it unset.
pub static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether the command prints its results to standard output; `clean
/// --write`, `clean -i`, `review -o` and `man -o` do not and may run with
/// it closed.
fn prints(command: &Command) -> bool {
    match command {
        Command::Clean(args) => args.jsonl.is_some() || !(args.write || args.interactive),
        Command::Review(args) => args.output.is_none(),
        Command::Man { out_dir, .. } => out_dir.is_none(),
        _ => true,
    }
}

fn dispatch(cli: Cli) -> Result<Status> {
    let color = color_stdout(cli.color);
    if matches!(cli.command, Command::Clean(_) | Command::Check(_)) {
        crate::code_tokens::compile_in_background();
    }
    let stderr_color = match cli.color {
        ColorWhen::Auto => 0,
        ColorWhen::Always => 1,
        ColorWhen::Never => 2,
    };
    STDERR_COLOR.store(stderr_color, Ordering::Relaxed);
    match cli.command {
        Command::Clean(args) => clean::run(args, color),
        Command::Check(args) => check::run(args, color),
        Command::Rules { command } => match command {
            RulesCommand::List { rules } => rules::list(&rules),
            RulesCommand::Show { id, rules } => rules::show(&id, &rules),
            RulesCommand::Test { files, rules } => rules::test(&files, &rules),
            RulesCommand::Lint { files, rules } => lint::run(&files, &rules),
            RulesCommand::Mine(args) => mine::run(&args),
        },
        Command::Config(args) => config::run(args),
        Command::Explain { id, rules } => explain::run(&id, &rules),
        Command::Completions { shell } => generate::completions(shell),
        Command::Man { markdown: true, .. } => generate::markdown(),
        Command::Man { out_dir, .. } => generate::man(out_dir.as_deref()),
        Command::Review(args) => review::run(args),
    }
}

/// Decides whether output to stdout is coloured: `--color`, then
/// `NO_COLOR` / `CLICOLOR_FORCE` and whether stdout is a terminal (the
/// `anstream` rules).
fn color_stdout(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
        }
    }
}

/// Whether errors on stderr are coloured: `--color` as given for stdout
/// (see [`STDERR_COLOR`]), or, left to `auto`, when stderr is a terminal
/// and `NO_COLOR` is unset (the `anstream` rules).
fn color_stderr() -> bool {
    match STDERR_COLOR.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => anstream::AutoStream::choice(&io::stderr()) != anstream::ColorChoice::Never,
    }
}

/// `--color` for stderr: 0 auto, 1 always, 2 never.
static STDERR_COLOR: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// The width to fit output to: the terminal's, else 140 columns.
fn stdout_width() -> usize {
    terminal_size::terminal_size_of(io::stdout()).map_or(140, |(w, _)| usize::from(w.0).max(40))
}

/// Whether a run is a batch, which ends with a summary line on standard
/// error: more than one input (`inputs` counts the bad ones too), or a
/// directory walked, however few files it held.
fn is_batch(inputs: usize, paths: &[PathBuf]) -> bool {
    inputs > 1 || paths.iter().any(|p| p.is_dir())
}

/// Prints the line that ends a batch run on standard error, the same for
/// `clean` and `check`: the files scanned, what `outcome` says of them
/// (`2 written`, `1 with findings`), the errors and the time. On standard
/// error so that JSON, SARIF and GitHub output on standard output stay
/// machine-readable.
fn batch_summary(scanned: usize, outcome: &str, errors: usize, started: std::time::Instant) {
    eprintln!(
        "copydesk: {} scanned, {outcome}, {} ({:.2}s)",
        plural(scanned, "file"),
        plural(errors, "error"),
        started.elapsed().as_secs_f64()
    );
}

/// `1 file`, `2 files`.
fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The effective configuration for files in `dir` (the `rules` commands
/// use the working directory), or `None` after printing why there is none.
pub fn effective_for(args: &RuleArgs, dir: &Path) -> Result<Option<Effective>> {
    let overrides = args::overrides(args)?;
    let mut resolver = Resolver::new(args.config.as_deref(), args.isolated);
    let config = match resolver.for_dir(dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}", e.render(color_stderr()));
            return Ok(None);
        }
    };
    Effective::resolve(config.as_deref(), &overrides)
        .map(Some)
        .map_err(anyhow::Error::msg)
}

/// Loads the rule set a configuration asks for, plus the `extra` pack
/// files; every error names file:line:col.
pub fn load_rules(effective: &Effective, extra: &[PathBuf]) -> Result<Arc<RuleSet>, Vec<Error>> {
    let mut loader = effective.loader()?;
    loader.use_cache(Cache::from_env());
    let errors: Vec<Error> = extra
        .iter()
        .filter_map(|p| loader.add_file(p).err())
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let set = Arc::new(loader.build().map_err(|e| e.0)?);
    let unknown = effective.unknown_rules(&set);
    if !unknown.is_empty() {
        return Err(unknown);
    }
    // The rules live until the process exits: freeing a large rule set
    // one allocation at a time costs a tenth of its load, for nothing.
    std::mem::forget(Arc::clone(&set));
    Ok(set)
}

/// The configuration and rules for the working directory, or `None`
/// after printing every error.
pub fn rules_here(args: &RuleArgs, extra: &[PathBuf]) -> Result<Option<(Effective, Arc<RuleSet>)>> {
    let Some(effective) = effective_for(args, Path::new("."))? else {
        return Ok(None);
    };
    match load_rules(&effective, extra) {
        Ok(set) => Ok(Some((effective, set))),
        Err(errors) => {
            inputs::report_errors(&errors);
            Ok(None)
        }
    }
}

/// The pipeline for the working directory's configuration (used by
/// `clean --jsonl`, whose records are not files), or `None` after printing
/// every error.
pub fn pipeline_here(args: &RuleArgs, apply_suggestions: bool) -> Result<Option<Pipeline>> {
    Ok(rules_here(args, &[])?
        .map(|(effective, rules)| Pipeline::new(rules, effective.options(apply_suggestions))))
}
