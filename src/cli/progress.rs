//! A progress bar for runs over many files: files done, bytes, bytes per
//! second. Drawn on standard error only when it is a terminal, so pipes,
//! logs and CI output never see it, and cleared when the run ends.
//!
//! The bar is drawn from the worker threads: a caller must not hold the
//! standard error lock while files are being cleaned (it would wait for
//! the workers, and they for the lock).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs with fewer files than this finish too fast for a bar to help.
const MIN_FILES: usize = 2;

/// Progress over a known set of files.
pub struct Progress {
    bar: ProgressBar,
    files: usize,
    done: AtomicUsize,
}

impl Progress {
    /// A bar for `files` files of `bytes` bytes in all; hidden off a
    /// terminal or for a single file.
    pub fn new(files: usize, bytes: u64) -> Progress {
        let show = files >= MIN_FILES && std::io::stderr().is_terminal();
        let bar = if show {
            let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} files [{bar:30}] {binary_bytes}/{binary_total_bytes} \
                     {binary_bytes_per_sec} {elapsed}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.set_message(format!("0/{files}"));
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress {
            bar,
            files,
            done: AtomicUsize::new(0),
        }
    }

    /// Records one finished file of `bytes` bytes (callable from any
    /// thread).
    pub fn file_done(&self, bytes: usize) {
        if self.bar.is_hidden() {
            return;
        }
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        self.bar.inc(bytes as u64);
        self.bar.set_message(format!("{done}/{}", self.files));
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
