//! Cleans standard input with copydesk's default packs and prints the
//! cleaned text, then each change with its rule id and byte range on
//! stderr: the library's front door, `copydesk::Cleaner`, in a few lines.
//!
//! ```text
//! cargo run --example clean_text < article.txt
//! ```

// An example program prints: that is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{Read, Write};
use std::process::ExitCode;

use copydesk::Cleaner;

fn main() -> ExitCode {
    let cleaner = match Cleaner::new() {
        Ok(cleaner) => cleaner,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::from(2);
        }
    };
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("<stdin>: {e}");
        return ExitCode::from(2);
    }
    let outcome = cleaner.clean(&text);
    for edit in outcome.edits.iter().filter(|e| e.applied) {
        eprintln!(
            "{}..{} {}: {:?} -> {:?}",
            edit.range.start,
            edit.range.end,
            edit.rule,
            edit.before,
            edit.replacement()
        );
    }
    if std::io::stdout()
        .write_all(outcome.output.as_bytes())
        .is_err()
    {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
