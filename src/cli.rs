//! The command line: `clean`, `check` and `rules`, and the exit codes.
//!
//! Exit codes: 0 nothing to do, 1 changes or findings (`check`,
//! `clean --check`, failing `rules test`), 2 an error. Errors win.

#![allow(clippy::print_stderr)]

use std::collections::HashSet;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use copydesk::error::Error;
use copydesk::render::{self, json::FileReport};
use copydesk::rules::load::Loader;
use copydesk::rules::{Find, Rule};
use copydesk::settings::Settings;
use copydesk::write::write_atomic;
use copydesk::{Options, Pipeline, RuleSet};

/// Clean scraped news text: rewrite rules, normalisation, diffs.
#[derive(Debug, Parser)]
#[command(name = "copydesk", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print cleaned text (or a diff), or rewrite files in place.
    Clean(CleanArgs),
    /// List what would change, one finding per line.
    Check(CheckArgs),
    /// List, show and test rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

/// Options shared by every command that loads rules.
#[derive(Debug, Args)]
struct RuleArgs {
    /// Load a rule pack (repeatable).
    #[arg(
        long = "rules",
        value_name = "FILE",
        global = true,
        help_heading = "Rules"
    )]
    rules: Vec<PathBuf>,
    /// Do not load the default packs.
    #[arg(long, global = true, help_heading = "Rules")]
    no_default_rules: bool,
    /// Switch a rule off (repeatable, or comma-separated).
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        global = true,
        help_heading = "Rules"
    )]
    disable: Vec<String>,
    /// Set a pass option, e.g. `quotes.style=curly` (repeatable).
    #[arg(
        long = "set",
        value_name = "KEY=VALUE",
        global = true,
        help_heading = "Rules"
    )]
    set: Vec<String>,
}

/// Builds the pass options from `--set` pairs.
fn settings(args: &RuleArgs) -> Result<Settings> {
    let mut s = Settings::default();
    for pair in &args.set {
        s.set_pair(pair)
            .map_err(|e| anyhow::anyhow!("--set: {e}"))?;
    }
    Ok(s)
}

#[derive(Debug, Args)]
struct CleanArgs {
    /// Files to clean; standard input when none or `-`.
    paths: Vec<PathBuf>,
    /// Rewrite files in place (atomically; unchanged files are not touched).
    #[arg(short, long, group = "mode")]
    write: bool,
    /// Print a unified diff instead of the text.
    #[arg(long, group = "mode")]
    diff: bool,
    /// Print the diff and exit 1 if anything would change.
    #[arg(long, group = "mode")]
    check: bool,
    /// Write the JSON change log to FILE.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Apply suggestions as well as fixes.
    #[arg(long)]
    apply_suggestions: bool,
    /// Replace invalid UTF-8 with U+FFFD instead of refusing the file.
    #[arg(long)]
    lossy: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files to check; standard input when none or `-`.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Replace invalid UTF-8 with U+FFFD instead of refusing the file.
    #[arg(long)]
    lossy: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// `path:line:col: rule: before → after (level: why)`.
    Human,
    /// A JSON document with every edit.
    Json,
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List the loaded rules.
    List {
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Show one rule in full.
    Show {
        /// The rule id.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run the examples of the loaded rules (or of the given pack files).
    Test {
        /// Pack files whose examples to run (loaded with the others).
        files: Vec<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
    },
}

/// The exit status, ordered so the worst outcome wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
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
        Command::Clean(args) => clean(args),
        Command::Check(args) => check(args),
        Command::Rules { command } => match command {
            RulesCommand::List { rules } => rules_list(&rules),
            RulesCommand::Show { id, rules } => rules_show(&id, &rules),
            RulesCommand::Test { files, rules } => rules_test(&files, &rules),
        },
    }
}

/// Loads the rule set the options ask for; errors name file:line:col.
fn load_rules(args: &RuleArgs, extra: &[PathBuf]) -> Result<Option<Arc<RuleSet>>> {
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

fn pipeline(args: &RuleArgs, apply_suggestions: bool) -> Result<Option<Pipeline>> {
    let Some(rules) = load_rules(args, &[])? else {
        return Ok(None);
    };
    let options = Options {
        apply_suggestions,
        disabled: args.disable.iter().cloned().collect::<HashSet<_>>(),
        settings: settings(args)?,
    };
    Ok(Some(Pipeline::new(rules, options)))
}

/// One input: its display name, its path (none for stdin), its text.
struct Input {
    name: String,
    path: Option<PathBuf>,
    text: String,
}

/// Reads every input before anything is written, so a bad file stops the
/// run with every file untouched.
fn read_inputs(paths: &[PathBuf], lossy: bool) -> (Vec<Input>, Vec<Error>) {
    let stdin_only = [PathBuf::from("-")];
    let paths = if paths.is_empty() {
        &stdin_only[..]
    } else {
        paths
    };
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let is_stdin = path == Path::new("-");
        let bytes = if is_stdin {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
        } else if path.is_dir() {
            errors.push(Error::new(
                copydesk::ErrorKind::Input,
                path,
                "is a directory",
            ));
            continue;
        } else {
            std::fs::read(path)
        };
        let shown = if is_stdin {
            Path::new("<stdin>")
        } else {
            path.as_path()
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                errors.push(Error::new(
                    copydesk::ErrorKind::Input,
                    shown,
                    format!("cannot read: {}", io_reason(&e)),
                ));
                continue;
            }
        };
        match copydesk::input::decode(shown, bytes, lossy) {
            Ok(text) => inputs.push(Input {
                name: if is_stdin {
                    "-".into()
                } else {
                    path.display().to_string()
                },
                path: (!is_stdin).then(|| path.clone()),
                text,
            }),
            Err(e) => errors.push(e),
        }
    }
    (inputs, errors)
}

/// The OS reason without Rust's "(os error N)" suffix.
fn io_reason(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn report_errors(errors: &[Error]) -> Status {
    for e in errors {
        eprintln!("copydesk: error: {e}");
    }
    if errors.is_empty() {
        Status::Clean
    } else {
        Status::Error
    }
}

fn clean(args: CleanArgs) -> Result<Status> {
    let Some(pipeline) = pipeline(&args.rules, args.apply_suggestions)? else {
        return Ok(Status::Error);
    };
    let (inputs, errors) = read_inputs(&args.paths, args.lossy);
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

fn check(args: CheckArgs) -> Result<Status> {
    let Some(pipeline) = pipeline(&args.rules, false)? else {
        return Ok(Status::Error);
    };
    let (inputs, errors) = read_inputs(&args.paths, args.lossy);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut status = Status::Clean;
    let mut reports = Vec::new();
    for input in &inputs {
        let outcome = pipeline.run(&input.text);
        if !outcome.edits.is_empty() {
            status = Status::Changes;
        }
        match args.format {
            Format::Human => {
                render::check::write_lines(&mut out, &input.name, &input.text, &outcome.edits)?
            }
            Format::Json => {
                let report =
                    FileReport::new(&input.name, &input.text, &outcome.edits, outcome.changed());
                reports.push(serde_json::to_value(&report)?);
            }
        }
    }
    if let Format::Json = args.format {
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "files": reports }))?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(status.max(report_errors(&errors)))
}

/// A one-line summary of what a rule finds.
fn summary(rule: &Rule) -> String {
    let find = match &rule.find {
        Find::Phrases { phrases, .. } => phrases.join(" | "),
        Find::Pattern(re) => format!("/{}/", re.as_str()),
    };
    match &rule.replace {
        Some(r) => format!("{find} → {r}"),
        None => find,
    }
}

fn rules_list(args: &RuleArgs) -> Result<Status> {
    let Some(set) = load_rules(args, &[])? else {
        return Ok(Status::Error);
    };
    let mut out = BufWriter::new(io::stdout().lock());
    for rule in &set.rules {
        writeln!(
            out,
            "{:<32} {:<8} {:<20} {}",
            rule.id,
            rule.level.as_str(),
            rule.pack,
            summary(rule)
        )?;
    }
    out.flush()?;
    Ok(Status::Clean)
}

fn rules_show(id: &str, args: &RuleArgs) -> Result<Status> {
    let Some(set) = load_rules(args, &[])? else {
        return Ok(Status::Error);
    };
    let Some(rule) = set.get(id) else {
        anyhow::bail!("no rule with id `{id}` is loaded (see `copydesk rules list`)");
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let place = match rule.origin.location {
        Some((l, c)) => format!("{}:{l}:{c}", rule.origin.path.display()),
        None => rule.origin.path.display().to_string(),
    };
    writeln!(out, "id:        {}", rule.id)?;
    writeln!(out, "pack:      {} ({place})", rule.pack)?;
    writeln!(out, "level:     {}", rule.level.as_str())?;
    match &rule.find {
        Find::Phrases { phrases, case } => {
            writeln!(out, "find:      {}", phrases.join(" | "))?;
            writeln!(out, "case:      {case:?}")?;
        }
        Find::Pattern(re) => writeln!(out, "pattern:   {}", re.as_str())?,
    }
    if let Some(r) = &rule.replace {
        writeln!(out, "replace:   {r}")?;
    }
    writeln!(
        out,
        "boundary:  {}",
        if rule.word_boundary { "word" } else { "none" }
    )?;
    if !rule.unless.is_empty() {
        writeln!(out, "unless:    {}", rule.unless.join(" | "))?;
    }
    if !rule.requires.is_empty() {
        writeln!(out, "requires:  {}", rule.requires.join(" | "))?;
    }
    writeln!(out, "in quotes: {:?}", rule.in_quotes)?;
    writeln!(out, "why:       {}", rule.why)?;
    for ex in &rule.examples {
        match (&ex.before, &ex.after, &ex.keep) {
            (Some(b), Some(a), _) => writeln!(out, "example:   {b} → {a}")?,
            (_, _, Some(k)) => writeln!(out, "keep:      {k}")?,
            _ => {}
        }
    }
    out.flush()?;
    Ok(Status::Clean)
}

fn rules_test(files: &[PathBuf], args: &RuleArgs) -> Result<Status> {
    let Some(set) = load_rules(args, files)? else {
        return Ok(Status::Error);
    };
    let only: Vec<PathBuf> = files.to_vec();
    let pipeline = Pipeline::new(
        Arc::clone(&set),
        Options {
            apply_suggestions: true,
            disabled: args.disable.iter().cloned().collect(),
            settings: settings(args)?,
        },
    );
    let mut failures = 0;
    let mut run = 0;
    let mut out = BufWriter::new(io::stdout().lock());
    for rule in &set.rules {
        if !only.is_empty() && !only.contains(&rule.origin.path) {
            continue;
        }
        for (n, ex) in rule.examples.iter().enumerate() {
            run += 1;
            if let Some(problem) = copydesk::rules::examples::check(&pipeline, rule, ex) {
                failures += 1;
                let place = match rule.origin.location {
                    Some((l, c)) => format!("{}:{l}:{c}", rule.origin.path.display()),
                    None => rule.origin.path.display().to_string(),
                };
                writeln!(
                    out,
                    "{place}: rule `{}`: example {}: {problem}",
                    rule.id,
                    n + 1
                )?;
            }
        }
    }
    writeln!(out, "{run} examples, {failures} failed")?;
    out.flush()?;
    Ok(if failures > 0 {
        Status::Changes
    } else {
        Status::Clean
    })
}
