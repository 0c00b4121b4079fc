//! copydesk cleans scraped news text.
//!
//! Start with [`Cleaner`]: build it once from rule packs and options, then
//! [`Cleaner::clean`] any number of texts; each [`Outcome`] holds the
//! cleaned text and every [`Edit`] with its rule id and input range.
//! `examples/clean_text.rs` is a complete program.
//!
//! # The pipeline
//!
//! ```text
//! bytes ─ decode ─ protect ─ passes ─ edits ─ render
//! ```
//!
//! - [`rules`]: YAML rule packs ([`rules::pack`]), loaded and validated by
//!   [`rules::load`] into a [`rules::RuleSet`], linted by [`rules::lint`].
//!   The default packs in `rules/` are compiled in ([`rules::builtin`]).
//! - [`protect`]: spans no pass may touch (URLs, e-mails, handles);
//!   [`markdown`] adds Markdown syntax (code, links, front matter, HTML) and
//!   `directives` the `copydesk: off` regions, for the [`document`] kind.
//! - [`config`]: `.copydesk.yaml` discovery and precedence; `walk`
//!   expands directories into files.
//! - `matcher` (internal): where rules could apply, knowing nothing of
//!   rules: one Aho-Corasick automaton over every phrase, searched over a
//!   `fold`ed copy of the text; regexes compiled when first needed and
//!   the literals that prefilter them. [`rules`] (the `conditions` and
//!   `find` modules) decides where a rule does apply: word boundaries,
//!   `unless`, `requires`, quotes, `[sic]`, case, cascades, the same for
//!   phrase and pattern rules.
//! - [`passes`]: one module per pass. [`passes::phrases`] and
//!   [`passes::patterns`] run the rules; [`passes::paragraphs`] removes
//!   repeated paragraphs.
//! - [`registry`]: every rule, pack or pass, with id, level, description,
//!   examples and options, for `rules list`, `explain`, `--disable`,
//!   SARIF and the review page; [`settings`] the passes' options, one typed
//!   field each.
//! - [`rule_examples`]: runs a rule's examples through a pipeline (`rules
//!   test`).
//! - [`edit`]: the [`edit::Edit`] every pass produces, with rule id, level
//!   and range in the input. [`apply`] composes the edits of all passes so
//!   that applying them to the input gives the output exactly.
//! - `blocks`: paragraphs and Markdown code (fences, inline spans), one
//!   definition for every pass and the matcher, found once per text and
//!   shared by the passes that read it.
//! - `schedule`: the stages in the order they run (encoding repair,
//!   character cleanup, rules, typography, paragraphs), what each reads
//!   and how far around its findings it looks.
//! - `pipeline`: runs the passes in order, in rounds until the text stops
//!   changing, and decides what is applied; `settle` holds back an edit
//!   that would change a protected span.
//! - `render`: unified and word diffs, and the `check` formats (human
//!   snippets, concise lines, JSON, SARIF, GitHub annotations), all from
//!   the same edit list.
//! - [`mod@write`]: atomic in-place writes.
//! - [`score`]: the spun-article score of a document, from its edits.

#![warn(missing_docs)]

pub mod apply;
pub(crate) mod blocks;
// The command line, in the library so that the binary and the Python
// package's `copydesk` command run the same code; not part of the API.
mod cleaner;
#[doc(hidden)]
#[allow(missing_docs, clippy::print_stdout, clippy::print_stderr)]
pub mod cli;
pub(crate) mod code_tokens;
pub mod config;
pub(crate) mod directives;
pub mod document;
pub mod edit;
pub(crate) mod error;
pub(crate) mod fold;
pub(crate) mod input;
pub mod locale;
pub mod markdown;
pub(crate) mod matcher;
pub mod mine;
pub mod passes;
pub(crate) mod pieces;
pub(crate) mod pipeline;
pub mod protect;
pub mod registry;
pub(crate) mod render;
pub mod rule_examples;
pub mod rules;
pub(crate) mod schedule;
pub mod score;
pub mod settings;
pub(crate) mod settle;
pub mod spans;
pub(crate) mod walk;
pub mod write;

pub use cleaner::{Builder, Cleaner};
pub use document::{Document, Kind};
pub use edit::{Edit, Level};
pub use error::{Error, ErrorKind, Errors};
pub use pipeline::{Options, Outcome, Pipeline};
pub use rules::RuleSet;
