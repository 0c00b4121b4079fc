//! A progress bar for runs over many files: files done, bytes, bytes per
//! second; with `clean --write`, files cleaned and files written, since
//! writing (each file synced to disk) can take longer than cleaning. Drawn
//! on standard error only when it is a terminal and `-q` is not given, so
//! pipes, logs and CI output never see it, and cleared when the run ends.
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
    /// Files cleaned.
    done: AtomicUsize,
    /// With `writing`: files settled (written, failed or unchanged), and
    /// files written.
    settled: AtomicUsize,
    written: AtomicUsize,
    writing: bool,
}

impl Progress {
    /// A bar for `files` files of `bytes` bytes in all, or, `writing`,
    /// for cleaning and then writing them: its first half fills as files
    /// are cleaned, its second as they are written (or found unchanged).
    /// Hidden unless `show`, off a terminal, or for a single file; the
    /// counts are kept all the same.
    pub fn new(files: usize, bytes: u64, show: bool, writing: bool) -> Progress {
        let show = show && files >= MIN_FILES && std::io::stderr().is_terminal();
        let bar = if !show {
            ProgressBar::hidden()
        } else if writing {
            let bar =
                ProgressBar::with_draw_target(Some(2 * files as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {elapsed}")
                    .expect("a valid template")
                    .progress_chars("=> "),
            );
            bar
        } else {
            let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} \
                     {binary_bytes_per_sec} {elapsed}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar
        };
        let progress = Progress {
            bar,
            files,
            done: AtomicUsize::new(0),
            settled: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
            writing,
        };
        progress.bar.set_message(progress.message());
        progress
    }

    /// Records one cleaned file of `bytes` bytes (callable from any
    /// thread).
    pub fn file_done(&self, bytes: usize) {
        self.done.fetch_add(1, Ordering::Relaxed);
        if !self.bar.is_hidden() {
            self.bar.inc(if self.writing { 1 } else { bytes as u64 });
            self.bar.set_message(self.message());
        }
    }

    /// Records that a cleaned file is done with in a run that writes:
    /// `written` to disk, or left as it was (unchanged, or its write
    /// failed).
    pub fn file_settled(&self, written: bool) {
        self.settled.fetch_add(1, Ordering::Relaxed);
        self.written
            .fetch_add(usize::from(written), Ordering::Relaxed);
        if !self.bar.is_hidden() {
            self.bar.inc(1);
            self.bar.set_message(self.message());
        }
    }

    /// Files written so far.
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// What the bar says: `12/30 files`, or, writing, `30/30 files
    /// cleaned, 7 written`.
    fn message(&self) -> String {
        let done = self.done.load(Ordering::Relaxed);
        let files = self.files;
        if self.writing {
            format!("{done}/{files} files cleaned, {} written", self.written())
        } else {
            format!("{done}/{files} files")
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hidden bar (off a terminal, or `-q`) still counts, so the counts
    /// do not depend on whether anyone watches.
    #[test]
    fn files_cleaned_and_written_are_counted() {
        let p = Progress::new(3, 300, false, true);
        assert_eq!(p.message(), "0/3 files cleaned, 0 written");
        for _ in 0..3 {
            p.file_done(100);
        }
        p.file_settled(true);
        p.file_settled(false);
        p.file_settled(true);
        assert_eq!(p.written(), 2);
        assert_eq!(p.message(), "3/3 files cleaned, 2 written");
        let p = Progress::new(2, 10, false, false);
        p.file_done(5);
        assert_eq!(p.message(), "1/2 files");
    }
}
