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
// Bad input: one test per way input or a pack can be wrong.
mod bad_input;
// Crash-safe writes: failures midway, SIGKILL, symlinks, modes.
mod writes;
// One test per bug found by fuzzing and property tests.
mod regressions;
