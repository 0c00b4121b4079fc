//! The `copydesk` binary: parse arguments, run, map the outcome to an exit
//! code. All the work is in the `cli` module.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
