//! Reading inputs: files and standard input, decoded before anything is
//! written.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use copydesk::error::Error;

use super::Status;

/// One input: its display name, its path (none for stdin), its text.
pub struct Input {
    pub name: String,
    pub path: Option<PathBuf>,
    pub text: String,
    /// `--lossy` replaced invalid UTF-8: writing the text back would
    /// destroy those bytes, so `--write` refuses the file.
    pub replaced: bool,
}

/// Reads every input before anything is written, so a bad file stops the
/// run with every file untouched.
pub fn read_inputs(paths: &[PathBuf], lossy: bool) -> (Vec<Input>, Vec<Error>) {
    let stdin_only = [PathBuf::from("-")];
    let paths = if paths.is_empty() {
        &stdin_only[..]
    } else {
        paths
    };
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let is_stdin = path == Path::new("-");
        let bytes = if is_stdin {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
        } else if path.is_dir() {
            errors.push(Error::new(
                copydesk::ErrorKind::Input,
                path,
                "is a directory",
            ));
            continue;
        } else {
            std::fs::read(path)
        };
        let shown = if is_stdin {
            Path::new("<stdin>")
        } else {
            path.as_path()
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                errors.push(Error::new(
                    copydesk::ErrorKind::Input,
                    shown,
                    format!("cannot read: {}", io_reason(&e)),
                ));
                continue;
            }
        };
        let replaced = lossy && std::str::from_utf8(&bytes).is_err();
        match copydesk::input::decode(shown, bytes, lossy) {
            Ok(text) => inputs.push(Input {
                name: if is_stdin {
                    "-".into()
                } else {
                    path.display().to_string()
                },
                path: (!is_stdin).then(|| path.clone()),
                text,
                replaced,
            }),
            Err(e) => errors.push(e),
        }
    }
    (inputs, errors)
}

/// The OS reason without Rust's "(os error N)" suffix.
fn io_reason(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

pub fn report_errors(errors: &[Error]) -> Status {
    for e in errors {
        eprintln!("copydesk: error: {e}");
    }
    if errors.is_empty() {
        Status::Clean
    } else {
        Status::Error
    }
}
