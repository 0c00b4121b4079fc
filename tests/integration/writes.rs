//! Crash-safe `--write`: every file ends wholly old or wholly new, even
//! when one write fails midway or the process is killed; symlinks, modes
//! and owners survive; temporary files of a killed run are cleaned up.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command as Cmd;
use predicates::prelude::*;

const PACK: &str =
    "pack: t\nrules:\n  - id: global-law\n    find: global law\n    replace: international law\n";
const OLD: &str = "It broke global law.\n";
const NEW: &str = "It broke international law.\n";

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack.yaml");
    fs::write(&pack, PACK).unwrap();
    (dir, pack)
}

fn copydesk(pack: &Path) -> Cmd {
    let mut c = Cmd::cargo_bin("copydesk").unwrap();
    c.args(["clean", "--write", "--no-default-rules", "--rules"])
        .arg(pack);
    c
}

/// Temporary files copydesk left in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".copydesk-"))
        .collect()
}

fn is_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// Makes a directory refuse new files until dropped: mode 555 for a
/// normal user; for root (whom modes do not stop) the immutable attribute,
/// where the file system has it. `None` when neither works here.
struct Locked(PathBuf, bool);

impl Locked {
    fn new(dir: &Path) -> Option<Locked> {
        if !is_root() {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).ok()?;
            return Some(Locked(dir.to_path_buf(), false));
        }
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Locked(dir.to_path_buf(), true))
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        if self.1 {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        } else {
            let _ = fs::set_permissions(&self.0, fs::Permissions::from_mode(0o755));
        }
    }
}

/// Four files, the third in a directory that refuses the temporary file:
/// its write fails after the first two succeeded. Each file is wholly old
/// or wholly new, the failure names the file, and no temporary file stays.
#[test]
fn one_failed_write_among_many_leaves_each_file_old_or_new() {
    let (dir, pack) = setup();
    let sub = dir.path().join("locked");
    fs::create_dir(&sub).unwrap();
    let files = [
        dir.path().join("a.txt"),
        dir.path().join("b.txt"),
        sub.join("c.txt"),
        dir.path().join("d.txt"),
    ];
    for f in &files {
        fs::write(f, OLD).unwrap();
    }
    let Some(lock) = Locked::new(&sub) else {
        eprintln!(
            "skipped: cannot make a directory refuse new files here (root without chattr +i)"
        );
        return;
    };
    let out = copydesk(&pack).args(&files).output().unwrap();
    drop(lock);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "an error and the summary: {stderr}");
    let err = lines[0];
    assert!(
        err.contains(&format!(
            "{}: cannot write: create temporary file: ",
            files[2].display()
        )),
        "{err}"
    );
    assert!(err.ends_with("file not changed"), "{err}");
    let summary = format!(
        "copydesk: {} files scanned, {} written, 1 error (",
        files.len(),
        files.len() - 1
    );
    assert!(lines[1].starts_with(&summary), "{stderr}");
    for (i, f) in files.iter().enumerate() {
        let want = if i == 2 { OLD } else { NEW };
        assert_eq!(fs::read_to_string(f).unwrap(), want, "{}", f.display());
    }
    assert!(leftovers(dir.path()).is_empty());
    assert!(leftovers(&sub).is_empty());
}

#[test]
fn symlink_is_written_through_to_its_target() {
    let (dir, pack) = setup();
    let target = dir.path().join("real.txt");
    fs::write(&target, OLD).unwrap();
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink("real.txt", &link).unwrap();
    copydesk(&pack).arg(&link).assert().code(0);
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("real.txt"));
    assert_eq!(fs::read_to_string(&target).unwrap(), NEW);
}

#[test]
fn mode_and_owner_are_kept() {
    let (dir, pack) = setup();
    for mode in [0o600, 0o644, 0o664, 0o755, 0o700] {
        let f = dir.path().join(format!("m{mode:o}.txt"));
        fs::write(&f, OLD).unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(mode)).unwrap();
        copydesk(&pack).arg(&f).assert().code(0);
        assert_eq!(fs::read_to_string(&f).unwrap(), NEW);
        let got = fs::metadata(&f).unwrap().permissions().mode() & 0o7777;
        assert_eq!(got, mode, "mode of {}", f.display());
    }
    if is_root() {
        // Only root can give a file away, so only root can keep another
        // user's ownership across the rename.
        let f = dir.path().join("owned.txt");
        fs::write(&f, OLD).unwrap();
        std::os::unix::fs::chown(&f, Some(12345), Some(23456)).unwrap();
        copydesk(&pack).arg(&f).assert().code(0);
        let m = fs::metadata(&f).unwrap();
        assert_eq!((m.uid(), m.gid()), (12345, 23456));
    } else {
        eprintln!("owner check skipped: needs root");
    }
}

#[test]
fn stale_temporary_files_of_a_dead_run_are_swept() {
    let (dir, pack) = setup();
    let f = dir.path().join("a.txt");
    fs::write(&f, OLD).unwrap();
    // Left by a process that no longer exists (ids above pid_max never do).
    let stale = dir.path().join(".copydesk-999999999-Xy12Ab.tmp");
    fs::write(&stale, "half a file").unwrap();
    let unrelated = dir.path().join(".copydesk-notes.txt");
    fs::write(&unrelated, "x").unwrap();
    copydesk(&pack).arg(&f).assert().code(0).stderr("");
    assert!(!stale.exists(), "stale temporary file removed");
    assert!(unrelated.exists(), "other files untouched");
    assert_eq!(fs::read_to_string(&f).unwrap(), NEW);
}

/// SIGKILL while a large file is being written: the file is always the old
/// one or the new one, byte for byte, and the temporary file a kill leaves
/// is removed by the next run. `COPYDESK_KILL_MB` sets the size (default
/// 100).
#[test]
fn sigkill_during_write_never_leaves_a_partial_file() {
    let mb: usize = std::env::var("COPYDESK_KILL_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let (dir, pack) = setup();
    let line_old = "Ministers said the strike violated global law again.\n";
    let line_new = "Ministers said the strike violated international law again.\n";
    let n = mb * 1_000_000 / line_old.len();
    let old = line_old.repeat(n);
    let new = line_new.repeat(n);
    let f = dir.path().join("big.txt");
    let bin = assert_cmd::cargo::cargo_bin("copydesk");
    let mut outcomes = Vec::new();
    // Each trial waits for the temporary file to appear, then kills after a
    // growing delay: early in the write, later in it, and (the last) not at
    // all.
    for delay_ms in [0u64, 5, 25, 100, 400, 2000, u64::MAX] {
        fs::write(&f, &old).unwrap();
        let mut child = Command::new(&bin)
            .args(["clean", "--write", "--no-default-rules", "--rules"])
            .arg(&pack)
            .arg(&f)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let mut killed = false;
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if delay_ms != u64::MAX && !leftovers(dir.path()).is_empty() {
                std::thread::sleep(Duration::from_millis(delay_ms));
                child.kill().unwrap(); // SIGKILL
                killed = true;
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(600), "run hung");
            std::thread::sleep(Duration::from_millis(1));
        }
        let status = child.wait().unwrap();
        let now = fs::read(&f).unwrap();
        let which = if now == old.as_bytes() {
            "old"
        } else if now == new.as_bytes() {
            "new"
        } else {
            panic!(
                "partial file after kill at +{delay_ms} ms: {} bytes (old {}, new {})",
                now.len(),
                old.len(),
                new.len()
            );
        };
        outcomes.push((delay_ms, killed, status.code(), which));
        if !killed {
            assert_eq!(status.code(), Some(0));
            assert_eq!(which, "new");
        }
    }
    eprintln!("kill trials (delay ms, killed, exit, file): {outcomes:?}");
    // A killed run cannot remove its temporary file; the next run does.
    fs::write(&f, &old).unwrap();
    Cmd::new(&bin)
        .args(["clean", "--write", "--no-default-rules", "--rules"])
        .arg(&pack)
        .arg(&f)
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

/// `--write` never replaces a FIFO with a regular file (#20). The FIFO is
/// refused from its metadata before it is opened, so copydesk neither
/// blocks on it nor reads what a writer sends; like any bad input it is
/// reported and the other files are written. Before, with a writer feeding it twice (once per
/// read), the FIFO became a plain file holding the cleaned text.
#[test]
fn special_files_are_refused_and_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let (dir, pack) = setup();
    let good = dir.path().join("good.txt");
    fs::write(&good, OLD).unwrap();
    let fifo = dir.path().join("fifo.txt");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut writer = Command::new("sh")
        .arg("-c")
        .arg("for i in 1 2; do printf 'global law\\n' > \"$0\"; done")
        .arg(&fifo)
        .spawn()
        .unwrap();
    let out = copydesk(&pack)
        .arg(&good)
        .arg(&fifo)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let _ = writer.kill();
    let _ = writer.wait();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr,
        format!(
            "copydesk: error: {}: not a regular file (a FIFO); --write replaces only regular files, not changed\n",
            fifo.display()
        ) + "copydesk: 1 file scanned, 1 written, 1 error ("
            + stderr.rsplit_once(" error (").map_or("", |(_, t)| t)
    );
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(
        fs::read_to_string(&good).unwrap(),
        NEW,
        "the regular file is still written"
    );
    // A device is refused the same way, without reading it.
    copydesk(&pack)
        .arg("/dev/zero")
        .timeout(Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/dev/zero: not a regular file (a character device)",
        ));
    // The library refuses too, for a file that became special after
    // copydesk read it.
    let e = copydesk::write::write_atomic(&fifo, b"x").unwrap_err();
    assert!(e.to_string().contains("not a regular file (a FIFO)"), "{e}");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

/// setuid and setgid survive a rewrite (#20): the owner is set before the
/// mode, because a change of owner clears both bits. Before, the mode was
/// set first and the `fchown` that followed stripped them.
#[test]
fn setuid_and_setgid_bits_are_kept() {
    let (dir, pack) = setup();
    for mode in [0o4755, 0o2755, 0o6755, 0o4700] {
        let f = dir.path().join(format!("s{mode:o}.txt"));
        fs::write(&f, OLD).unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(mode)).unwrap();
        if is_root() {
            // Someone else's file, as a setuid program usually is.
            std::os::unix::fs::chown(&f, Some(12345), Some(23456)).unwrap();
            fs::set_permissions(&f, fs::Permissions::from_mode(mode)).unwrap();
        }
        copydesk(&pack).arg(&f).assert().code(0);
        assert_eq!(fs::read_to_string(&f).unwrap(), NEW);
        let m = fs::metadata(&f).unwrap();
        assert_eq!(
            m.permissions().mode() & 0o7777,
            mode,
            "mode of {}",
            f.display()
        );
        if is_root() {
            assert_eq!((m.uid(), m.gid()), (12345, 23456));
        }
    }
}

/// A file the caller may not write is refused even when its directory
/// would let a rename replace it (#20: the file was replaced and changed
/// owner). Tests run as root, whom permissions do not stop, so the run
/// drops to uid/gid 65534 with `setpriv`; skipped with a note where that
/// cannot be done (not root, no `setpriv`).
#[test]
fn file_the_caller_cannot_write_is_refused_in_a_writable_directory() {
    if !is_root() || Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped: needs root and setpriv to run as another user");
        return;
    }
    let (dir, pack) = setup();
    // Anyone may create and rename files here (no sticky bit).
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let theirs = dir.path().join("theirs.txt");
    fs::write(&theirs, OLD).unwrap();
    fs::set_permissions(&theirs, fs::Permissions::from_mode(0o644)).unwrap();
    let mine = dir.path().join("mine.txt");
    fs::write(&mine, OLD).unwrap();
    std::os::unix::fs::chown(&mine, Some(65534), Some(65534)).unwrap();
    let run = |file: &Path| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(assert_cmd::cargo::cargo_bin("copydesk"))
            .args([
                "clean",
                "--write",
                "--isolated",
                "--no-default-rules",
                "--rules",
            ])
            .arg(&pack)
            .arg(file)
            .env("COPYDESK_CACHE_DIR", "off")
            .output()
            .unwrap()
    };
    let out = run(&theirs);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "copydesk: error: {}: permission denied: this user may not write the file; not changed\n",
            theirs.display()
        )
    );
    assert_eq!(fs::read_to_string(&theirs).unwrap(), OLD);
    assert_eq!(fs::metadata(&theirs).unwrap().uid(), 0, "still root's");
    assert!(leftovers(dir.path()).is_empty());
    // The same user's own file in the same directory is written.
    let out = run(&mine);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(fs::read_to_string(&mine).unwrap(), NEW);
}

/// A report that cannot be written stops `clean --write` with exit 2
/// before any file is rewritten (#20: a report to a directory failed only
/// at the end, after every file was rewritten). A report into a device is
/// written into, never replaced.
#[test]
fn report_that_cannot_be_written_stops_the_run_before_any_write() {
    let (dir, pack) = setup();
    let f = dir.path().join("a.txt");
    fs::write(&f, OLD).unwrap();
    let folder = dir.path().join("reports");
    fs::create_dir(&folder).unwrap();
    for (report, reason) in [
        (folder.clone(), "is a directory"),
        (folder.join("missing/r.json"), "No such file or directory"),
    ] {
        copydesk(&pack)
            .arg("--report")
            .arg(&report)
            .arg(&f)
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with(format!(
                "copydesk: error: {}: cannot write report: {reason}",
                report.display()
            )));
        assert_eq!(fs::read_to_string(&f).unwrap(), OLD, "{}", report.display());
    }
    assert!(leftovers(&folder).is_empty() && leftovers(dir.path()).is_empty());
    // A full disk, as a link to /dev/full: the report entry for the first
    // file is written, and fails, before that file is rewritten.
    let full = dir.path().join("full.json");
    std::os::unix::fs::symlink("/dev/full", &full).unwrap();
    copydesk(&pack)
        .arg("--report")
        .arg(&full)
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("No space left on device"));
    assert_eq!(fs::read_to_string(&f).unwrap(), OLD);
    // A link to a device: the report goes into the device, the link stays.
    let link = dir.path().join("null.json");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    copydesk(&pack)
        .arg("--report")
        .arg(&link)
        .arg(&f)
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(&f).unwrap(), NEW);
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

/// Runs copydesk by way of `sh`, with `redirect` applied to it.
fn with_redirect(redirect: &str, args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" \"$@\" {redirect}"))
        .arg(assert_cmd::cargo::cargo_bin("copydesk"))
        .args(args)
        .output()
        .unwrap()
}

/// A closed standard output (`>&-`) is an error, exit 2, for a command that
/// prints (#20: the output was discarded with exit 0); `--write` prints
/// nothing and still works. A full one (`> /dev/full`) is an error naming
/// standard output. `/dev/null` opened for reading and writing, as Python's
/// `subprocess.DEVNULL` does, is not mistaken for a closed one.
#[test]
fn closed_or_full_stdout_is_an_error() {
    let (dir, pack) = setup();
    let f = dir.path().join("a.txt");
    fs::write(&f, OLD).unwrap();
    let rules = [
        "--no-default-rules".as_ref(),
        "--rules".as_ref(),
        pack.as_os_str(),
    ];
    for cmd in [
        &["clean"][..],
        &["clean", "--check"],
        &["clean", "--diff"],
        &["check"],
    ] {
        let mut args: Vec<&std::ffi::OsStr> = cmd.iter().map(|a| a.as_ref()).collect();
        args.extend(rules);
        args.push(f.as_os_str());
        let out = with_redirect(">&-", &args);
        assert_eq!(out.status.code(), Some(2), "{cmd:?} {out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "copydesk: error: standard output is closed\n"
        );
        let out = with_redirect("> /dev/full", &args);
        assert_eq!(out.status.code(), Some(2), "{cmd:?} {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("No space left on device"),
            "{out:?}"
        );
        let out = with_redirect("1<> /dev/null", &args);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{cmd:?} {out:?}");
        assert!(out.stderr.is_empty(), "{out:?}");
    }
    let out = with_redirect(
        "> /dev/full",
        &[
            "clean".as_ref(),
            rules[0],
            rules[1],
            rules[2],
            f.as_os_str(),
        ],
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("copydesk: error: cannot write standard output: "),
        "{out:?}"
    );
    assert_eq!(fs::read_to_string(&f).unwrap(), OLD);
    let mut args = vec!["clean".as_ref(), "--write".as_ref()];
    args.extend(rules);
    args.push(f.as_os_str());
    let out = with_redirect(">&-", &args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(fs::read_to_string(&f).unwrap(), NEW);
}
