//! Atomic in-place writes: a temporary file in the same directory, the
//! original permissions, fsync, then rename. A reader sees the old file or
//! the new one, never a mix; an unchanged file is never touched.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind};

/// Replaces the contents of `path` with `contents` atomically.
///
/// A symlink is written through to its target, so the link survives.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let fail = |what: &str, e: std::io::Error| {
        Error::new(
            ErrorKind::Input,
            path,
            format!("cannot write: {what}: {e}; file not changed"),
        )
    };
    let target: PathBuf = fs::canonicalize(path).map_err(|e| fail("resolve path", e))?;
    let meta = fs::metadata(&target).map_err(|e| fail("read metadata", e))?;
    if meta.permissions().readonly() {
        return Err(Error::new(
            ErrorKind::Input,
            path,
            "file is read-only; not changed",
        ));
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".copydesk-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| fail("create temporary file", e))?;
    tmp.write_all(contents)
        .map_err(|e| fail("write temporary file", e))?;
    fs::set_permissions(tmp.path(), meta.permissions()).map_err(|e| fail("copy permissions", e))?;
    tmp.as_file().sync_all().map_err(|e| fail("sync", e))?;
    tmp.persist(&target).map_err(|e| fail("rename", e.error))?;
    Ok(())
}
