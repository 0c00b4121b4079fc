//! Expanding a directory argument into the files below it.
//!
//! An editorial repository holds drafts, build output and vendored files
//! that nobody wants rewritten. The walk honours `.gitignore`, `.ignore`
//! and git's exclude files (inside a git repository or not) and skips
//! hidden files, as ripgrep does; the caller then filters by the config's
//! include and exclude globs. Files come back sorted by path, so output
//! is stable however many threads clean them.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::error::{Error, ErrorKind};

/// How a directory is walked.
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Walk hidden files and directories too.
    pub hidden: bool,
    /// Ignore `.gitignore`, `.ignore` and git's exclude files.
    pub no_ignore: bool,
}

/// The regular files below `dir`, sorted by path, and an error for each
/// entry that could not be read.
pub fn files(dir: &Path, opts: &WalkOptions) -> (Vec<PathBuf>, Vec<Error>) {
    let mut builder = WalkBuilder::new(dir);
    builder
        .hidden(!opts.hidden)
        .ignore(!opts.no_ignore)
        .git_ignore(!opts.no_ignore)
        .git_global(!opts.no_ignore)
        .git_exclude(!opts.no_ignore)
        .parents(!opts.no_ignore)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_path(|a, b| a.cmp(b));
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for entry in builder.build() {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => found.push(e.into_path()),
            Ok(_) => {}
            Err(e) => errors.push(walk_error(dir, &e)),
        }
    }
    (found, errors)
}

/// A walk error as one line naming the path it concerns.
fn walk_error(dir: &Path, e: &ignore::Error) -> Error {
    let mut path = dir.to_path_buf();
    let mut cur = e;
    loop {
        match cur {
            ignore::Error::WithPath { path: p, err } => {
                path = p.clone();
                cur = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                cur = err
            }
            _ => break,
        }
    }
    let reason = match cur {
        ignore::Error::Io(io) => {
            let s = io.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
        other => other.to_string(),
    };
    Error::new(ErrorKind::Input, path, format!("cannot read: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn walks_sorted_and_skips_ignored_and_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "b.md",
            "a/z.md",
            "a.md",
            ".hidden/x.md",
            "out/y.md",
            ".dot.md",
        ] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "x").unwrap();
        }
        fs::write(root.join(".gitignore"), "out/\n").unwrap();
        let (found, errors) = files(root, &WalkOptions::default());
        assert!(errors.is_empty());
        let rel: Vec<_> = found
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_str().unwrap().to_string())
            .collect();
        assert_eq!(rel, vec!["a/z.md", "a.md", "b.md"]);
        let (all, _) = files(
            root,
            &WalkOptions {
                hidden: true,
                no_ignore: true,
            },
        );
        assert_eq!(all.len(), 7, "{all:?}");
    }
}
