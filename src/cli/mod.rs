//! The command line: `clean`, `check` and `rules`, and the exit codes.
//!
//! Exit codes: 0 nothing to do, 1 changes or findings (`check`,
//! `clean --check`, failing `rules test`), 2 an error. Errors win.
//! [`args`] declares the arguments, [`inputs`] reads files, and each
//! command has its own module.

mod args;
mod check;
mod clean;
mod inputs;
mod jsonl;
mod rules;

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::Parser;

use copydesk::rules::cache::Cache;
use copydesk::rules::load::Loader;
use copydesk::{Options, Pipeline, RuleSet};

use args::{Cli, Command, RuleArgs, RulesCommand};

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
    match cli.command {
        Command::Clean(args) => clean::run(args),
        Command::Check(args) => check::run(args),
        Command::Rules { command } => match command {
            RulesCommand::List { rules } => rules::list(&rules),
            RulesCommand::Show { id, rules } => rules::show(&id, &rules),
            RulesCommand::Test { files, rules } => rules::test(&files, &rules),
        },
    }
}

/// Loads the rule set the options ask for; errors name file:line:col.
pub fn load_rules(args: &RuleArgs, extra: &[PathBuf]) -> Result<Option<Arc<RuleSet>>> {
    let mut loader = Loader::new();
    loader.use_cache(Cache::from_env());
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
        Ok(set) => {
            let set = Arc::new(set);
            // The rules live until the process exits: freeing a large rule
            // set one allocation at a time costs as much as a tenth of its
            // load, for nothing.
            std::mem::forget(Arc::clone(&set));
            Ok(Some(set))
        }
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
