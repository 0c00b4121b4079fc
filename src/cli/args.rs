//! The command-line arguments (clap derive).

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Overrides;
use crate::settings::Settings;
use crate::{Kind, Level};

/// Clean scraped news text: rewrite rules, normalisation, diffs.
#[derive(Debug, Parser)]
#[command(name = "copydesk", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour output: auto (a terminal without `NO_COLOR`), always, never.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorWhen::Auto,
        global = true
    )]
    pub color: ColorWhen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when writing to a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print cleaned text (or a diff), or rewrite files in place.
    Clean(CleanArgs),
    /// List what would change: annotated snippets, or one line per finding,
    /// JSON, SARIF or GitHub annotations (`--format`).
    Check(CheckArgs),
    /// List, show, test and lint rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Print the configuration in force for a path, as YAML.
    Config(ConfigArgs),
    /// Explain a rule: why it exists, what it finds and replaces, examples.
    Explain {
        /// The rule id.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per command to a
    /// directory.
    Man {
        /// Write copydesk.1, copydesk-clean.1, … here instead.
        #[arg(long, value_name = "DIR", conflicts_with = "markdown")]
        out_dir: Option<PathBuf>,
        /// Print the command reference as Markdown instead (the manual's
        /// docs/commands.md).
        #[arg(long)]
        markdown: bool,
    },
    /// Write an HTML redline to review, accept and reject changes in a
    /// browser.
    Review(ReviewArgs),
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
    /// Switch a rule back on, over `--disable` and the config (repeatable).
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        global = true,
        help_heading = "Rules"
    )]
    pub enable: Vec<String>,
    /// Use this config file for every input instead of the nearest
    /// `.copydesk.yaml`.
    #[arg(
        long,
        value_name = "FILE",
        global = true,
        conflicts_with = "isolated",
        help_heading = "Config"
    )]
    pub config: Option<PathBuf>,
    /// Ignore every `.copydesk.yaml`.
    #[arg(long, global = true, help_heading = "Config")]
    pub isolated: bool,
    /// Set a pass option, e.g. `quotes.style=curly` (repeatable).
    #[arg(
        long = "set",
        value_name = "KEY=VALUE",
        global = true,
        help_heading = "Rules"
    )]
    pub set: Vec<String>,
    /// The language of every input (an ISO 639 code such as `fr` or `de`),
    /// over the config's and a Markdown front matter's, instead of
    /// detecting it: it picks the typography the passes keep.
    #[arg(long, value_name = "CODE", global = true, help_heading = "Rules")]
    pub lang: Option<String>,
}

/// The command line's layer over the config files; `--set` pairs are
/// checked here.
pub fn overrides(args: &RuleArgs) -> Result<Overrides> {
    let mut set = Vec::new();
    for pair in &args.set {
        Settings::default()
            .set_pair(pair)
            .map_err(|e| anyhow::anyhow!("--set: {e}"))?;
        let (k, v) = pair.split_once('=').expect("checked by set_pair");
        set.push((k.trim().to_string(), v.trim().to_string()));
    }
    Ok(Overrides {
        no_default_rules: args.no_default_rules,
        rules: args.rules.clone(),
        enable: args.enable.clone(),
        disable: args.disable.clone(),
        set,
        lang: args.lang.clone(),
    })
}

/// How inputs are found and read.
#[derive(Debug, Args)]
pub struct FileArgs {
    /// Read every input as this type (default: from the extension; standard
    /// input is plain).
    #[arg(long = "type", value_enum, value_name = "TYPE", help_heading = "Files")]
    pub kind: Option<TypeArg>,
    /// Walk hidden files and directories too.
    #[arg(long, help_heading = "Files")]
    pub hidden: bool,
    /// Do not honour `.gitignore`, `.ignore` and git's exclude files.
    #[arg(long, help_heading = "Files")]
    pub no_ignore: bool,
    /// Skip files matching GLOB when walking a directory, on top of the
    /// config's `exclude` (repeatable; anchored at the working directory
    /// when it holds a `/`).
    #[arg(long, value_name = "GLOB", help_heading = "Files")]
    pub exclude: Vec<String>,
    /// Treat standard input as the file PATH: its type, config and (with
    /// `--force-exclude`) excludes come from PATH, and findings name it.
    /// Nothing is read from or written to PATH.
    #[arg(long, value_name = "PATH", help_heading = "Files")]
    pub stdin_filename: Option<PathBuf>,
    /// Apply the excludes (the config's and `--exclude`) to files named on
    /// the command line too, as a pre-commit hook needs: it names every
    /// staged file.
    #[arg(long, help_heading = "Files")]
    pub force_exclude: bool,
    /// Refuse an input larger than SIZE (bytes, or with a suffix: `512K`,
    /// `64M`, `4G`, `1T` in powers of 1024; `KB`, `MB`, `GB`, `TB` in powers
    /// of 1000). With `--jsonl`, the limit of one record.
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "4G",
        value_parser = parse_size,
        help_heading = "Files"
    )]
    pub max_input_size: u64,
}

/// Parses a size: a whole number of bytes with an optional unit, `K`,
/// `M`, `G`, `T` (or `KiB` … `TiB`) in powers of 1024, `KB` … `TB` in
/// powers of 1000, as GNU coreutils reads them; `B` alone is bytes.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 4G, 512M, 100000)"))?;
    let unit = unit.trim();
    let (power, base) = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => (0, 1024),
        "K" | "KIB" => (1, 1024),
        "M" | "MIB" => (2, 1024),
        "G" | "GIB" => (3, 1024),
        "T" | "TIB" => (4, 1024),
        "KB" => (1, 1000),
        "MB" => (2, 1000),
        "GB" => (3, 1000),
        "TB" => (4, 1000),
        _ => {
            return Err(format!(
                "unknown unit `{unit}` (use K, M, G, T, KB, MB, GB or TB)"
            ))
        }
    };
    (0..power)
        .try_fold(n, |n, _| n.checked_mul(base))
        .ok_or_else(|| format!("`{s}` is too large"))
}

/// Shows a size as `--max-input-size` reads it: `4 GiB`, `512 MiB`, or
/// bytes when it is no whole number of a unit.
pub fn show_size(n: u64) -> String {
    for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if n >= 1 << shift && n % (1 << shift) == 0 {
            return format!("{} {unit}", n >> shift);
        }
    }
    format!("{n} bytes")
}

/// `--type`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TypeArg {
    /// CommonMark: code, links, front matter and HTML are kept.
    Markdown,
    /// Plain text.
    Plain,
}

impl From<TypeArg> for Kind {
    fn from(t: TypeArg) -> Kind {
        match t {
            TypeArg::Markdown => Kind::Markdown,
            TypeArg::Plain => Kind::Plain,
        }
    }
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The file or directory whose configuration to show (default: `.`).
    pub path: Option<PathBuf>,
    /// Show the type as if `--type` were given.
    #[arg(long = "type", value_enum, value_name = "TYPE", help_heading = "Files")]
    pub kind: Option<TypeArg>,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files or directories to clean; standard input when none or `-`.
    pub paths: Vec<PathBuf>,
    /// Rewrite files in place (atomically; unchanged files are not touched).
    #[arg(short, long, group = "mode")]
    pub write: bool,
    /// Print a diff instead of the text: `unified` (the default, for
    /// `git apply`) or `word` (changed words marked in place, for reading).
    #[arg(
        long,
        group = "mode",
        value_enum,
        value_name = "STYLE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "unified"
    )]
    pub diff: Option<DiffStyle>,
    /// Print the diff and exit 1 if anything would change.
    #[arg(long, group = "mode")]
    pub check: bool,
    /// Write the JSON change log to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Apply suggestions as well as fixes.
    #[arg(long)]
    pub apply_suggestions: bool,
    /// Replace invalid UTF-8 with U+FFFD instead of refusing the file:
    /// in the output only (`--lossy`), or also on disk (`--lossy=write`,
    /// which lets `--write` and `-i` replace the bad bytes for good).
    #[arg(
        long,
        value_enum,
        value_name = "WHERE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "output"
    )]
    pub lossy: Option<Lossy>,
    /// Ask about each change in the terminal (y/n/a/d/q/e, as `git add -p`),
    /// then write each file with the accepted changes.
    #[arg(short, long, conflicts_with_all = ["write", "diff", "check", "jsonl"])]
    pub interactive: bool,
    /// No summary line on standard error after `--write`, `--check` or
    /// `--diff` over several files, and no progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Corpus mode: read JSON lines and clean this string field of each.
    #[arg(long, value_name = "FIELD", conflicts_with_all = ["write", "diff", "check"])]
    pub jsonl: Option<String>,
    /// Corpus mode: a bad record (invalid UTF-8, not JSON, no such string
    /// field) is still passed through unchanged and reported, but the exit
    /// code stays 0 (for Spark's `RDD.pipe` and other runners that fail a
    /// task on exit 2).
    #[arg(long, requires = "jsonl")]
    pub keep_going: bool,
    /// Corpus mode: drop records whose spun score (spinner hits
    /// per 1,000 words) is below N.
    #[arg(long, value_name = "N", requires = "jsonl", help_heading = "Corpus")]
    pub min_score: Option<f64>,
    /// Corpus mode: drop records whose spun score is above N (`0` keeps
    /// only records without a spinner phrase).
    #[arg(long, value_name = "N", requires = "jsonl", help_heading = "Corpus")]
    pub max_score: Option<f64>,
    #[command(flatten)]
    pub files: FileArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// `clean --lossy`: where replaced bytes may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lossy {
    /// Into the output: printed text, diffs, reports. A file with bad
    /// bytes is not rewritten (`--write` reports it and skips it).
    Output,
    /// Onto disk as well: `--write` and `-i` write U+FFFD over the bytes
    /// that did not decode, which are then lost.
    Write,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffStyle {
    /// A unified diff that `git apply` accepts.
    Unified,
    /// Changed words marked in place: `[-old-]{+new+}`, or coloured.
    Word,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; standard input when none or `-`.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also give each document's spun score: spinner hits per 1,000 words,
    /// the share of sentences touched, and a verdict (spun or clean).
    #[arg(long)]
    pub stats: bool,
    /// Replace invalid UTF-8 with U+FFFD instead of refusing the file.
    #[arg(long)]
    pub lossy: bool,
    /// The weakest finding that makes the exit code 1: `fix` (fixes only),
    /// `suggest` (fixes and suggestions) or `flag` (any finding).
    #[arg(long, value_enum, default_value_t = FailOn::Flag)]
    pub fail_on: FailOn,
    /// Exit 0 whatever is found (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Instead of the findings, how many each rule made, most first (a
    /// table, or JSON with `--format json`).
    #[arg(long, conflicts_with = "stats")]
    pub statistics: bool,
    /// Print the findings only: no summary after them, and no summary
    /// line or progress bar on standard error.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub files: FileArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Which findings fail `check` (`--fail-on`): this level and stronger ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Fixes only.
    Fix,
    /// Fixes and suggestions.
    Suggest,
    /// Any finding, flags included.
    Flag,
}

impl FailOn {
    /// The weakest level that fails.
    pub fn level(self) -> Level {
        match self {
            FailOn::Fix => Level::Fix,
            FailOn::Suggest => Level::Suggest,
            FailOn::Flag => Level::Flag,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source snippets with the finding marked, and a summary.
    Human,
    /// One line per finding: `path:line:col: rule: before → after (level: why)`.
    Concise,
    /// A JSON document with every edit.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
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
    /// Warn about rules that never fire, lack examples or a reason, have
    /// unexercised exceptions, or whose output can form another rule's
    /// phrase (exit 1 when there are warnings). Given pack files, lints
    /// those, and lists separately what they do against the other loaded
    /// packs.
    Lint {
        /// Pack files to lint (loaded with the others).
        files: Vec<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Propose candidate spun phrases: word pairs and triples frequent in
    /// the suspect text, absent or rare in the reference, one word away
    /// from a collocation the reference uses often; each with counts,
    /// example lines and a draft rule.
    Mine(MineArgs),
}

/// `rules mine`.
#[derive(Debug, Args)]
pub struct MineArgs {
    /// Suspect files or directories (`-` for standard input).
    #[arg(required = true, value_name = "SUSPECT")]
    pub suspect: Vec<PathBuf>,
    /// Sound text to compare with: files or directories (repeatable).
    #[arg(long, required = true, num_args = 1.., value_name = "SOUND")]
    pub reference: Vec<PathBuf>,
    /// How many candidates to print, best first.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MineFormat::Human)]
    pub format: MineFormat,
    #[command(flatten)]
    pub files: FileArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// `rules mine --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MineFormat {
    /// Each candidate with its counts, examples and draft rule.
    Human,
    /// A JSON array of candidates, each with its draft rule.
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn diff_takes_an_optional_style() {
        let style = |args: &[&str]| match Cli::try_parse_from(args).unwrap().command {
            Command::Clean(c) => c.diff,
            _ => unreachable!(),
        };
        assert_eq!(style(&["copydesk", "clean"]), None);
        assert_eq!(
            style(&["copydesk", "clean", "--diff"]),
            Some(DiffStyle::Unified)
        );
        assert_eq!(
            style(&["copydesk", "clean", "--diff=word"]),
            Some(DiffStyle::Word)
        );
        // Without `=` the next word is a path, not a style.
        assert_eq!(
            style(&["copydesk", "clean", "--diff", "word"]),
            Some(DiffStyle::Unified)
        );
        assert!(Cli::try_parse_from(["copydesk", "clean", "--diff=word", "--write", "x"]).is_err());
    }

    #[test]
    fn sizes_parse_with_units_and_show_back() {
        assert_eq!(parse_size("100000"), Ok(100_000));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("64m"), Ok(64 << 20));
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("4GiB"), Ok(4 << 30));
        assert_eq!(parse_size("2 GB"), Ok(2_000_000_000));
        assert_eq!(parse_size("1T"), Ok(1 << 40));
        assert!(parse_size("").is_err());
        assert!(parse_size("4X").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("99999999999T").is_err());
        assert_eq!(show_size(4 << 30), "4 GiB");
        assert_eq!(show_size(512 << 20), "512 MiB");
        assert_eq!(show_size(1000), "1000 bytes");
    }
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Files or directories to review; standard input when none or `-`.
    pub paths: Vec<PathBuf>,
    /// Write the page to FILE (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The page title (default: "copydesk review").
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Replace invalid UTF-8 with U+FFFD instead of refusing the file.
    #[arg(long)]
    pub lossy: bool,
    #[command(flatten)]
    pub files: FileArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
}
