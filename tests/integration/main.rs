//! One integration test binary (as ripgrep does): each module is one area.

#![allow(clippy::print_stderr)]

// Shared helpers: inline packs, running the pipeline.
mod util;
// Helpers shared with the other test binaries: the corpus.
#[path = "../common/mod.rs"]
mod common;

// The README and the manual: command reference, flags, links.
mod docs;

// Matching semantics of phrase and pattern rules.
mod matching;
// Loading: every failure mode of a rule pack.
mod loading;
// The command line: modes, exit codes, writes, diffs, errors.
mod cli;
// Corpus mode: JSON lines.
mod corpus_mode;
// The compiled pack cache.
mod cache;
// The progress bar over many files.
mod progress;
// copydesk as a stage of Apache Spark (PySpark, local mode).
mod spark;
// The real spun article and the default packs.
mod spun_article;
// Every shipped pack's examples, and pack hygiene.
mod packs;
// `.copydesk.yaml`: discovery, precedence, errors, `copydesk config`.
mod config;
// Markdown: protected syntax, prose cleaned, file types.
mod markdown;
// `copydesk:` directives in plain text and Markdown.
mod directives;
// Directory walking, ignore files, globs, stable order: a newsroom repo.
mod walk;
// Output formats: human, concise, JSON, SARIF, GitHub; word diff; colour.
mod formats;
// The pre-commit hooks with the real pre-commit tool, and the git hook recipe.
mod precommit;
// Rule tooling: rules lint, explain, completions, man page.
mod lint;
// Command-line cases kept as data: registry, explain, options, --disable.
mod cases;
// `copydesk review`: the HTML redline, in a real browser.
mod review;
// `clean -i`: the terminal review, under tmux.
mod interactive;
// The spun-article score: `check --stats`, corpus filters, calibration.
mod score;
// Bad input: one test per way input or a pack can be wrong.
mod bad_input;
// Crash-safe writes: failures midway, SIGKILL, symlinks, modes.
mod writes;
// Many-file runs in batches: order, writes, reports, bad and changed files.
mod batches;
// One test per bug found by fuzzing and property tests.
mod regressions;
