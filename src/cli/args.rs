//! The command-line arguments (clap derive).

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};

use copydesk::settings::Settings;

/// Clean scraped news text: rewrite rules, normalisation, diffs.
#[derive(Debug, Parser)]
#[command(name = "copydesk", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
pub struct RuleArgs {
    /// Load a rule pack (repeatable).
    #[arg(
        long = "rules",
        value_name = "FILE",
        global = true,
        help_heading = "Rules"
    )]
    pub rules: Vec<PathBuf>,
    /// Do not load the default packs.
    #[arg(long, global = true, help_heading = "Rules")]
    pub no_default_rules: bool,
    /// Switch a rule off (repeatable, or comma-separated).
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        global = true,
        help_heading = "Rules"
    )]
    pub disable: Vec<String>,
    /// Set a pass option, e.g. `quotes.style=curly` (repeatable).
    #[arg(
        long = "set",
        value_name = "KEY=VALUE",
        global = true,
        help_heading = "Rules"
    )]
    pub set: Vec<String>,
}

/// Builds the pass options from `--set` pairs.
pub fn settings(args: &RuleArgs) -> Result<Settings> {
    let mut s = Settings::default();
    for pair in &args.set {
        s.set_pair(pair)
            .map_err(|e| anyhow::anyhow!("--set: {e}"))?;
    }
    Ok(s)
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files to clean; standard input when none or `-`.
    pub paths: Vec<PathBuf>,
    /// Rewrite files in place (atomically; unchanged files are not touched).
    #[arg(short, long, group = "mode")]
    pub write: bool,
    /// Print a unified diff instead of the text.
    #[arg(long, group = "mode")]
    pub diff: bool,
    /// Print the diff and exit 1 if anything would change.
    #[arg(long, group = "mode")]
    pub check: bool,
    /// Write the JSON change log to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Apply suggestions as well as fixes.
    #[arg(long)]
    pub apply_suggestions: bool,
    /// Replace invalid UTF-8 with U+FFFD instead of refusing the file.
    #[arg(long)]
    pub lossy: bool,
    /// Corpus mode: read JSON lines and clean this string field of each.
    #[arg(long, value_name = "FIELD", conflicts_with_all = ["write", "diff", "check"])]
    pub jsonl: Option<String>,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files to check; standard input when none or `-`.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Replace invalid UTF-8 with U+FFFD instead of refusing the file.
    #[arg(long)]
    pub lossy: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// `path:line:col: rule: before → after (level: why)`.
    Human,
    /// A JSON document with every edit.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
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
