//! Atomic in-place writes: a temporary file in the same directory, the
//! original permissions (and owner, where allowed), fsync, then rename, then
//! fsync of the directory. A reader sees the old file or the new one, never
//! a mix; an unchanged file is never touched.
//!
//! Only a regular file the caller may write is replaced (#20): a FIFO,
//! device or socket is refused (a rename would put a plain file in its
//! place), and so is a file whose permissions deny the caller writing,
//! even when its directory would let the rename through. The new file
//! gets its owner before its mode, since a change of owner clears the
//! setuid and setgid bits.
//!
//! A process killed mid-write (SIGKILL, power loss) cannot remove its
//! temporary file. Temporary files are named `.copydesk-<pid>-<random>.tmp`;
//! the next `--write` into the same directory removes those whose process
//! is gone (on systems with `/proc`), and leaves alone those of a copydesk
//! still running.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, ErrorKind};

/// Prefix of every temporary file.
pub const TEMP_PREFIX: &str = ".copydesk-";
/// Suffix of every temporary file.
pub const TEMP_SUFFIX: &str = ".tmp";

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
    let (target, meta) = replaceable(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    sweep_once(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(|e| fail("create temporary file", e))?;
    tmp.write_all(contents)
        .map_err(|e| fail("write temporary file", e))?;
    // Owner first: fchown clears setuid and setgid, so the mode, with
    // those bits, goes on after it.
    keep_owner(tmp.as_file(), &meta);
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(|e| fail("copy permissions", e))?;
    tmp.as_file().sync_all().map_err(|e| fail("sync", e))?;
    tmp.persist(&target).map_err(|e| fail("rename", e.error))?;
    // The rename is durable once the directory is synced. A failure here
    // leaves the new file in place, so it is not an error.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Checks that `path` may be replaced by [`write_atomic`], and returns the
/// file it names (symlinks resolved) and its metadata. Refused: anything
/// but a regular file, a file without write permission for anyone
/// (read-only, even for root), and a file the caller may not write (the
/// `access(2)` check, which the directory's permissions do not bypass).
/// Reads only metadata, so a FIFO is refused without blocking on it.
pub fn replaceable(path: &Path) -> Result<(PathBuf, fs::Metadata), Error> {
    let fail = |what: &str, e: std::io::Error| {
        Error::new(
            ErrorKind::Input,
            path,
            format!("cannot write: {what}: {e}; file not changed"),
        )
    };
    let target: PathBuf = fs::canonicalize(path).map_err(|e| fail("resolve path", e))?;
    let meta = fs::metadata(&target).map_err(|e| fail("read metadata", e))?;
    check_regular(path, &meta)?;
    if meta.permissions().readonly() {
        return Err(Error::new(
            ErrorKind::Input,
            path,
            "file is read-only; not changed",
        ));
    }
    match may_write(&target) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(Error::new(
                ErrorKind::Input,
                path,
                "permission denied: this user may not write the file; not changed",
            ))
        }
        Err(e) => return Err(fail("check access", e)),
    }
    Ok((target, meta))
}

/// Refuses anything but a regular file: replacing a FIFO, a device or a
/// socket by rename would leave a plain file in its place.
pub fn check_regular(path: &Path, meta: &fs::Metadata) -> Result<(), Error> {
    if meta.is_file() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Input,
        path,
        format!(
            "not a regular file ({}); --write replaces only regular files, not changed",
            crate::input::file_kind(meta)
        ),
    ))
}

/// Whether this process may write `path`, as `access(path, W_OK)` says:
/// the owner, group and other bits (and ACLs) against the caller's ids,
/// and a read-only file system. Root passes on any writable mount.
#[cfg(unix)]
fn may_write(path: &Path) -> std::io::Result<()> {
    rustix::fs::access(path, rustix::fs::Access::WRITE_OK).map_err(std::io::Error::from)
}

#[cfg(not(unix))]
fn may_write(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Gives the new file the old one's owner and group. Only root may give a
/// file away; for anyone else this fails harmlessly and the file belongs to
/// the user who rewrote it, as with any editor that saves by rename.
#[cfg(unix)]
fn keep_owner(file: &fs::File, meta: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_: &fs::File, _: &fs::Metadata) {}

/// Removes stale temporary files from `dir`, once per directory per run.
fn sweep_once(dir: &Path) {
    static SWEPT: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    let mut swept = SWEPT.lock().unwrap_or_else(|e| e.into_inner());
    if swept
        .get_or_insert_with(HashSet::new)
        .insert(dir.to_path_buf())
    {
        sweep_stale(dir);
    }
}

/// Removes the temporary files in `dir` left by copydesk processes that no
/// longer run. Returns how many were removed. Without `/proc` nothing is
/// removed: a file of a live writer must never be deleted.
pub fn sweep_stale(dir: &Path) -> usize {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return 0;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = stale_pid(&name.to_string_lossy()) else {
            continue;
        };
        if pid != std::process::id()
            && !proc.join(pid.to_string()).exists()
            && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// The writer's process id in a temporary file name.
fn stale_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?;
    if !rest.ends_with(TEMP_SUFFIX) {
        return None;
    }
    rest.split('-').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_carry_the_pid() {
        assert_eq!(stale_pid(".copydesk-4242-aB3xYz.tmp"), Some(4242));
        assert_eq!(stale_pid(".copydesk-aB3xYz.tmp"), None);
        assert_eq!(stale_pid(".copydesk-42-x.txt"), None);
        assert_eq!(stale_pid("notes.tmp"), None);
    }

    #[test]
    fn sweep_removes_only_dead_writers_files() {
        let dir = tempfile::tempdir().unwrap();
        // Process ids above the kernel's pid_max (4194304) never run.
        let dead = dir.path().join(".copydesk-999999999-abc.tmp");
        let live = dir
            .path()
            .join(format!(".copydesk-{}-abc.tmp", std::process::id()));
        let other = dir.path().join("article.txt");
        for p in [&dead, &live, &other] {
            fs::write(p, "x").unwrap();
        }
        assert_eq!(sweep_stale(dir.path()), 1);
        assert!(!dead.exists());
        assert!(live.exists());
        assert!(other.exists());
    }
}
