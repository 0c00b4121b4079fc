//! The `copydesk` binary: parse arguments, run, map the outcome to an exit
//! code. All the work is in the `cli` module.

// The binary is where printing belongs; the library must not print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
