//! The command line: `clean`, `check`, `rules`, `explain`, and the
//! generated `completions` and `man` page; and the exit codes.
//!
//! Exit codes: 0 nothing to do, 1 changes or findings (`check`,
//! `clean --check`, failing `rules test`, `rules lint` warnings), 2 an
//! error. Errors win. [`args`] declares the arguments, [`inputs`] reads
//! files, and each command has its own module.

mod args;
mod check;
mod clean;
mod explain;
mod generate;
mod inputs;
mod lint;
mod rules;

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::Parser;

use copydesk::rules::load::Loader;
use copydesk::{Options, Pipeline, RuleSet};

use args::{Cli, ColorWhen, Command, RuleArgs, RulesCommand};

/// The exit status, ordered so the worst outcome wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Clean,
    Changes,
    Error,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(match s {
            Status::Clean => 0,
            Status::Changes => 1,
            Status::Error => 2,
        })
    }
}

/// Runs the command line and returns the exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match dispatch(cli) {
        Ok(status) => status.into(),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
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
    })
}

fn dispatch(cli: Cli) -> Result<Status> {
    let color = color_stdout(cli.color);
    match cli.command {
        Command::Clean(args) => clean::run(args, color),
        Command::Check(args) => check::run(args, color),
        Command::Rules { command } => match command {
            RulesCommand::List { rules } => rules::list(&rules),
            RulesCommand::Show { id, rules } => rules::show(&id, &rules),
            RulesCommand::Test { files, rules } => rules::test(&files, &rules),
            RulesCommand::Lint { rules } => lint::run(&rules),
        },
        Command::Explain { id, rules } => explain::run(&id, &rules),
        Command::Completions { shell } => generate::completions(shell),
        Command::Man { out_dir } => generate::man(out_dir.as_deref()),
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

/// The width to fit output to: the terminal's, else 140 columns.
fn stdout_width() -> usize {
    terminal_size::terminal_size_of(io::stdout()).map_or(140, |(w, _)| usize::from(w.0).max(40))
}

/// Loads the rule set the options ask for; errors name file:line:col.
pub fn load_rules(args: &RuleArgs, extra: &[PathBuf]) -> Result<Option<Arc<RuleSet>>> {
    let mut loader = Loader::new();
    if !args.no_default_rules {
        loader.add_builtin();
    }
    let mut failed = false;
    for path in args.rules.iter().chain(extra) {
        if let Err(e) = loader.add_file(path) {
            eprintln!("copydesk: error: {e}");
            failed = true;
        }
    }
    if failed {
        return Ok(None);
    }
    match loader.build() {
        Ok(set) => Ok(Some(Arc::new(set))),
        Err(errors) => {
            for e in errors.0 {
                eprintln!("copydesk: error: {e}");
            }
            Ok(None)
        }
    }
}

pub fn pipeline(args: &RuleArgs, apply_suggestions: bool) -> Result<Option<Pipeline>> {
    let Some(rules) = load_rules(args, &[])? else {
        return Ok(None);
    };
    let options = Options {
        apply_suggestions,
        disabled: args.disable.iter().cloned().collect(),
        settings: args::settings(args)?,
    };
    Ok(Some(Pipeline::new(rules, options)))
}
