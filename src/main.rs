//! The `copydesk` binary: parse arguments, run, map the outcome to an exit
//! code. All the work is in the library's `cli` module.

use std::process::ExitCode;

fn main() -> ExitCode {
    copydesk::cli::run()
}

/// The constructor entry, run by the C library before the standard
/// library's start-up code, which would put `/dev/null` on a closed
/// standard output (see `copydesk::cli::STDOUT_CLOSED`). Putting a function
/// there is the one use of `unsafe_code` (the lint counts `link_section`):
/// it runs before `main`, and only asks the kernel about descriptor 1.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
#[used]
#[link_section = ".init_array"]
static NOTE_STDOUT: extern "C" fn() = note_stdout;

#[cfg(target_os = "linux")]
extern "C" fn note_stdout() {
    let closed = rustix::io::fcntl_getfd(std::io::stdout()) == Err(rustix::io::Errno::BADF);
    copydesk::cli::STDOUT_CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
}
