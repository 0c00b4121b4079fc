//! copydesk cleans scraped news text.
//!
//! # The pipeline
//!
//! ```text
//! bytes ─ decode ─ protect ─ passes ─ edits ─ render
//! ```
//!
//! - [`rules`]: YAML rule packs ([`rules::pack`]), loaded and validated by
//!   [`rules::load`] into a [`rules::RuleSet`]. The default packs in `rules/`
//!   are compiled in ([`rules::builtin`]).
//! - [`protect`]: spans no pass may touch (URLs, e-mails, handles).
//! - [`passes`]: one module per pass. [`passes::phrases`] runs every phrase
//!   rule through one Aho-Corasick automaton over a [`fold`]ed copy of the
//!   text; [`passes::patterns`] runs regex rules; [`passes::paragraphs`]
//!   removes repeated paragraphs.
//! - [`edit`]: the [`edit::Edit`] every pass produces, with rule id, level
//!   and range in the input. [`apply`] composes the edits of all passes so
//!   that applying them to the input gives the output exactly.
//! - [`pipeline`]: runs the passes in order and decides what is applied.
//! - [`render`]: text, unified diff, `check` lines and JSON, all from the
//!   same edit list.
//! - [`write`](mod@write): atomic in-place writes.

#![warn(missing_docs)]

pub mod apply;
pub mod edit;
pub mod error;
pub mod fold;
pub mod input;
pub mod passes;
pub mod pipeline;
pub mod protect;
pub mod render;
pub mod rules;
pub mod settings;
pub mod spans;
pub mod write;

pub use edit::{Edit, Level};
pub use error::{Error, ErrorKind};
pub use pipeline::{Options, Outcome, Pipeline};
pub use rules::RuleSet;
