//! One integration test binary (as ripgrep does): each module is one area.

#![allow(clippy::print_stderr)]

// Shared helpers: inline packs, running the pipeline.
mod util;

// Matching semantics of phrase and pattern rules.
mod matching;
// Loading: every failure mode of a rule pack.
mod loading;
// The command line: modes, exit codes, writes, diffs, errors.
mod cli;
// The real spun article and the default packs.
mod spun_article;
// Every shipped pack's examples, and pack hygiene.
mod packs;
// Output formats: human, concise, JSON, SARIF, GitHub; word diff; colour.
mod formats;
// The pre-commit hooks with the real pre-commit tool, and the git hook recipe.
mod precommit;
// Rule tooling: rules lint, explain, completions, man page.
mod lint;
