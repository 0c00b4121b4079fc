//! `.copydesk.yaml`: discovery, precedence (defaults < config < flags),
//! errors with file:line:column, and `copydesk config`.

use std::fs;
use std::path::Path;

use predicates::prelude::*;

use crate::util::{copydesk_in, fixture, write_tree};

/// A repository with a root config that loads the fixture pack as its
/// house rules, and a sub-folder whose config switches `global-law` off.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pack = fs::read_to_string(fixture("pack.yaml")).unwrap();
    write_tree(
        dir.path(),
        &[
            ("house.yaml", &pack),
            (
                ".copydesk.yaml",
                "# house style\ndefault-packs: none\nrules: [house.yaml]\n",
            ),
            (
                "opinion/.copydesk.yaml",
                "default-packs: none\nrules: [../house.yaml]\ndisable: [global-law]\n",
            ),
            ("news/a.txt", "global law and Russian Federation\n"),
            ("opinion/b.txt", "global law and Russian Federation\n"),
        ],
    );
    dir
}

fn clean(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = copydesk_in(dir).arg("clean").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn nearest_config_wins_and_rule_paths_are_relative_to_it() {
    let dir = repo();
    let (code, out, err) = clean(dir.path(), &["news/a.txt", "opinion/b.txt"]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(
        out, "international law and Russia\nglobal law and Russia\n",
        "news/ uses the root config, opinion/ its own"
    );
    // From inside a sub-folder, the configs above are still found.
    let (_, out, _) = clean(&dir.path().join("opinion"), &["b.txt", "../news/a.txt"]);
    assert_eq!(out, "global law and Russia\ninternational law and Russia\n");
}

#[test]
fn standard_input_uses_the_config_of_the_working_directory() {
    let dir = repo();
    copydesk_in(&dir.path().join("opinion"))
        .arg("clean")
        .write_stdin("global law, Russian Federation")
        .assert()
        .success()
        .stdout("global law, Russia");
}

#[test]
fn flags_win_over_the_config() {
    let dir = repo();
    // --enable brings back what the config disabled; --disable adds.
    let (_, out, _) = clean(
        dir.path(),
        &[
            "opinion/b.txt",
            "--enable",
            "global-law",
            "--disable",
            "russian-federation",
        ],
    );
    assert_eq!(out, "international law and Russian Federation\n");
    // --rules adds to the config's rule files.
    let extra = dir.path().join("extra.yaml");
    fs::write(
        &extra,
        "pack: extra\nrules:\n  - id: and-also\n    find: and\n    replace: as well as\n",
    )
    .unwrap();
    let (_, out, _) = clean(dir.path(), &["news/a.txt", "--rules", "extra.yaml"]);
    assert_eq!(out, "international law as well as Russia\n");
}

#[test]
fn explicit_config_and_isolated_skip_discovery() {
    let dir = repo();
    // --config: one file for every input, whatever folder it is in.
    let (_, out, _) = clean(
        dir.path(),
        &[
            "news/a.txt",
            "opinion/b.txt",
            "--config",
            "opinion/.copydesk.yaml",
        ],
    );
    assert_eq!(out, "global law and Russia\nglobal law and Russia\n");
    // --isolated: no config, so only what the flags load.
    let (_, out, _) = clean(
        dir.path(),
        &["opinion/b.txt", "--isolated", "--no-default-rules"],
    );
    assert_eq!(out, "global law and Russian Federation\n");
    let (code, _, err) = clean(dir.path(), &["--isolated", "--config", "x.yaml"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn unknown_key_is_an_error_with_place_and_nothing_is_written() {
    let dir = repo();
    fs::write(
        dir.path().join(".copydesk.yaml"),
        "default-packs: none\nrules: [house.yaml]\ndisabel: [global-law]\n",
    )
    .unwrap();
    let (code, out, err) = clean(dir.path(), &["--write", "news/a.txt"]);
    assert_eq!(code, Some(2));
    assert_eq!(out, "");
    assert_eq!(
        crate::util::error_lines(&err),
        "copydesk: error: .copydesk.yaml:3:1: unknown field `disabel`, expected one of `default-packs`, `rules`, `enable`, `disable`, `set`, `include`, `exclude`, `lang`, `languages`; did you mean `disable`?\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("news/a.txt")).unwrap(),
        "global law and Russian Federation\n"
    );
    // The file governing a sub-folder is named with its path, once.
    copydesk_in(dir.path())
        .args([
            "check",
            "--format",
            "concise",
            "news/a.txt",
            "news/a.txt",
            "opinion/b.txt",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".copydesk.yaml:3:1").count(1))
        .stderr(predicate::str::contains("unknown field `disabel`").count(1));
}

#[test]
fn bad_values_are_placed_too() {
    let dir = repo();
    let cases = [
        (
            "default-packs: [entity-names, nope]\n",
            ".copydesk.yaml:1:",
            "unknown default pack `nope` (known: entity-names,",
        ),
        (
            "default-packs: some\n",
            ".copydesk.yaml:1:",
            "expected `all`, `none`, or a list of default pack names, not `some`",
        ),
        (
            "rules: []\nset:\n  nope.key: 1\n",
            ".copydesk.yaml:3:",
            "unknown option `nope.key`",
        ),
        ("include: ['[a']\n", ".copydesk.yaml:1:", "bad glob `[a`"),
        ("rules: [\n", ".copydesk.yaml:", "did not find expected"),
    ];
    for (yaml, place, msg) in cases {
        fs::write(dir.path().join(".copydesk.yaml"), yaml).unwrap();
        let (code, _, err) = clean(dir.path(), &["news/a.txt"]);
        let err = crate::util::error_lines(&err);
        assert_eq!(code, Some(2), "{yaml}");
        assert!(
            err.starts_with(&format!("copydesk: error: {place}")),
            "{yaml}: {err}"
        );
        assert!(err.contains(msg), "{yaml}: {err}");
    }
    // A missing rule file named by the config is an error too.
    fs::write(
        dir.path().join(".copydesk.yaml"),
        "default-packs: none\nrules: [missing.yaml]\n",
    )
    .unwrap();
    let (code, _, err) = clean(dir.path(), &["news/a.txt"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("missing.yaml: cannot read rule pack"), "{err}");
}

#[test]
fn an_empty_config_means_the_defaults() {
    let dir = repo();
    fs::write(dir.path().join(".copydesk.yaml"), "# nothing yet\n").unwrap();
    let out = copydesk_in(dir.path())
        .args(["config", "news/a.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let shown: serde_yaml::Value = serde_yaml::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["config"], ".copydesk.yaml");
    let packs: Vec<&str> = shown["default-packs"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(packs, copydesk::config::builtin_pack_names());
}

#[test]
fn config_command_prints_the_effective_configuration() {
    let dir = repo();
    fs::write(
        dir.path().join("opinion/.copydesk.yaml"),
        "default-packs: [entity-names]\nrules: [../house.yaml]\ndisable: [global-law, the-arrive]\nenable: [the-arrive]\nexclude: [drafts]\n",
    )
    .unwrap();
    write_tree(dir.path(), &[("opinion/drafts/x.md", "draft\n")]);
    let show = |args: &[&str]| -> serde_yaml::Value {
        let out = copydesk_in(dir.path())
            .arg("config")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        serde_yaml::from_slice(&out.stdout).unwrap()
    };
    let s = show(&["opinion/b.txt"]);
    assert_eq!(s["path"], "opinion/b.txt");
    assert_eq!(s["type"], "plain");
    assert_eq!(s["included"], true);
    assert_eq!(s["config"], "opinion/.copydesk.yaml");
    assert_eq!(
        s["default-packs"],
        serde_yaml::from_str::<serde_yaml::Value>("[entity-names]").unwrap()
    );
    assert_eq!(
        s["rules"],
        serde_yaml::from_str::<serde_yaml::Value>("[house.yaml]").unwrap()
    );
    assert_eq!(
        s["disable"],
        serde_yaml::from_str::<serde_yaml::Value>("[global-law]").unwrap()
    );
    assert_eq!(
        s["exclude"],
        serde_yaml::from_str::<serde_yaml::Value>("[drafts]").unwrap()
    );
    assert_eq!(
        s["include"],
        serde_yaml::from_str::<serde_yaml::Value>("['*.md', '*.markdown', '*.txt']").unwrap()
    );
    // Flags are layered on top.
    let s = show(&[
        "opinion/drafts/x.md",
        "--no-default-rules",
        "--rules",
        "extra.yaml",
        "--enable",
        "global-law",
        "--disable",
        "x",
    ]);
    assert_eq!(s["type"], "markdown");
    assert_eq!(s["included"], false, "excluded by drafts");
    assert_eq!(
        s["default-packs"],
        serde_yaml::from_str::<serde_yaml::Value>("[]").unwrap()
    );
    assert_eq!(
        s["rules"],
        serde_yaml::from_str::<serde_yaml::Value>("[house.yaml, extra.yaml]").unwrap()
    );
    assert_eq!(
        s["disable"],
        serde_yaml::from_str::<serde_yaml::Value>("[x]").unwrap()
    );
    // A directory shows the config of its files; no type.
    let s = show(&["news"]);
    assert_eq!(s["config"], ".copydesk.yaml");
    assert!(s.get("type").is_none());
    // Isolated: no config.
    let s = show(&["--isolated"]);
    assert!(s["config"].is_null());
    // A missing path is an error.
    copydesk_in(dir.path())
        .args(["config", "nope.md"])
        .assert()
        .code(2)
        .stderr("copydesk: error: nope.md: no such file or directory\n");
}

#[test]
fn rules_commands_use_the_config_of_the_working_directory() {
    let dir = repo();
    copydesk_in(dir.path())
        .args(["rules", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("global-law"))
        .stdout(predicate::str::contains("russian-federation"));
    copydesk_in(dir.path())
        .args(["rules", "list", "--isolated", "--no-default-rules"])
        .assert()
        .success()
        // Only the built-in passes' rules: no pack is loaded.
        .stdout(predicate::function(|out: &str| {
            out.lines()
                .all(|l| l.split_whitespace().nth(2).unwrap().starts_with("pass:"))
        }));
}

/// A file that is not YAML and whose text must never reach stderr: several
/// lines, one of them long, every one holding the word `TOPSECRET`.
fn secret_file(dir: &Path) -> std::path::PathBuf {
    let text = format!(
        "root:x:0:0:TOPSECRET-root:/root:/bin/bash\nAPI_KEY=TOPSECRET-{}\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAATOPSECRET\n",
        "k".repeat(3000)
    );
    let path = dir.join("secret.env");
    fs::write(&path, text).unwrap();
    path
}

/// Asserts a run exits 2 without printing any of the secret, and returns
/// stderr.
fn refused_quietly(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("TOPSECRET"), "secret printed: {stderr}");
    assert!(!stdout.contains("TOPSECRET"), "secret printed: {stdout}");
    assert!(!stderr.contains("root:x"), "{stderr}");
    stderr
}

#[test]
fn errors_never_print_another_files_contents() {
    let dir = repo();
    let secret = secret_file(dir.path());
    // Named as a rule file by a discovered config.
    fs::write(
        dir.path().join(".copydesk.yaml"),
        format!("rules: [{}]\n", secret.display()),
    )
    .unwrap();
    let err = refused_quietly(copydesk_in(dir.path()).args(["check", "news/a.txt"]));
    assert!(
        err.contains(
            "secret.env:1:1: not a rule pack: expected a mapping with `pack:` and `rules:`"
        ),
        "{err}"
    );
    // Given as the config.
    let err = refused_quietly(
        copydesk_in(dir.path())
            .args(["check", "news/a.txt", "--config"])
            .arg(&secret),
    );
    assert!(
        err.contains("secret.env:1:1: not a copydesk config"),
        "{err}"
    );
    // A YAML file of secrets as the config: the key is named, not its value.
    fs::write(
        dir.path().join(".copydesk.yaml"),
        "token: TOPSECRET-token-value\n",
    )
    .unwrap();
    let err = refused_quietly(copydesk_in(dir.path()).args(["check", "news/a.txt"]));
    assert!(err.contains("unknown field `token`"), "{err}");
    // A value holding backticks stays inside its quote, cut.
    fs::write(
        dir.path().join(".copydesk.yaml"),
        format!(
            "set:\n  quotes.style: \"a`b{}TOPSECRET\"\n",
            "s".repeat(200)
        ),
    )
    .unwrap();
    let err = refused_quietly(copydesk_in(dir.path()).args(["check", "news/a.txt"]));
    assert!(err.contains("not `a\\`bsss"), "{err}");
    // A file that is not YAML, whose first line reads as a key holding
    // backticks: nothing of it is quoted (found by the `config` fuzz
    // target).
    fs::write(
        dir.path().join(".copydesk.yaml"),
        format!("k`{}TOPSECRET`z: []\n[]r] x\n", "s".repeat(300)),
    )
    .unwrap();
    let err = refused_quietly(copydesk_in(dir.path()).args(["check", "news/a.txt"]));
    assert_eq!(
        err,
        "copydesk: error: .copydesk.yaml:1:1: not a copydesk config: expected a mapping of settings such as `rules:` or `disable:` (unknown field …)\n"
    );
}

/// A config that is not a regular file (`/dev/zero`, a FIFO), named with
/// `--config` or found by discovery, is refused at once: never read
/// whole, never waited on. A regular one over 1 MiB is refused unread.
#[test]
fn special_and_oversized_configs_are_refused_without_blocking() {
    let dir = repo();
    let fifo = dir.path().join("config.fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let big = dir.path().join("big.yaml");
    fs::File::create(&big)
        .unwrap()
        .set_len(copydesk::config::MAX_CONFIG_BYTES as u64 + 1)
        .unwrap();
    let run = |args: &[&std::ffi::OsStr]| {
        let start = std::time::Instant::now();
        let out = copydesk_in(dir.path())
            .args(["check", "news/a.txt"])
            .args(args)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        assert!(start.elapsed().as_secs() < 10, "{args:?}");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let config = std::ffi::OsStr::new("--config");
    let err = run(&[config, "/dev/zero".as_ref()]);
    assert_eq!(
        err,
        "copydesk: error: /dev/zero: cannot read config file: not a regular file (a character device)\n"
    );
    let err = run(&[config, fifo.as_os_str()]);
    assert!(
        err.ends_with("config.fifo: cannot read config file: not a regular file (a FIFO)\n"),
        "{err}"
    );
    let err = run(&[config, big.as_os_str()]);
    assert!(
        err.ends_with(&format!(
            "big.yaml: config file is over the limit of {} bytes\n",
            copydesk::config::MAX_CONFIG_BYTES
        )),
        "{err}"
    );
    // Found by discovery: a FIFO in the file's folder.
    assert!(std::process::Command::new("mkfifo")
        .arg(dir.path().join("news/.copydesk.yaml"))
        .status()
        .unwrap()
        .success());
    let err = run(&[]);
    assert!(
        err.contains("news/.copydesk.yaml: cannot read config file: not a regular file (a FIFO)"),
        "{err}"
    );
}

/// A discovered config owned by another user (not root) is ignored with
/// one warning, and the search goes on above it; `--config` or
/// `COPYDESK_SAFE_DIRECTORIES` (a directory, a tree as `DIR/*`, or `*`)
/// honours it again, and so does running as root through sudo for the
/// user who ran it (`SUDO_UID`). A symlink to such a file is foreign too.
/// Needs root to give the file away; skipped with a note otherwise.
#[test]
fn a_config_owned_by_another_user_is_ignored_unless_allowed() {
    let dir = repo();
    let theirs = dir.path().join("opinion/.copydesk.yaml");
    if let Err(e) = std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)) {
        eprintln!("note: cannot chown as this user ({e}): test skipped");
        return;
    }
    let run_with = |args: &[&str], env: &[(&str, &std::ffi::OsStr)]| {
        let mut cmd = copydesk_in(dir.path());
        cmd.env_remove("COPYDESK_SAFE_DIRECTORIES")
            .env_remove("SUDO_UID");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.arg("clean").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let run = |args: &[&str], safe: Option<&std::ffi::OsStr>| match safe {
        Some(v) => run_with(args, &[("COPYDESK_SAFE_DIRECTORIES", v)]),
        None => run_with(args, &[]),
    };
    fs::copy(
        dir.path().join("opinion/b.txt"),
        dir.path().join("opinion/c.txt"),
    )
    .unwrap();
    let files = ["opinion/b.txt", "opinion/c.txt"];
    // Ignored: the root config above it governs (global-law applies).
    let (out, err) = run(&files, None);
    assert_eq!(out, "international law and Russia\n".repeat(2));
    assert_eq!(
        err,
        "copydesk: warning: ignoring opinion/.copydesk.yaml: owned by uid 65534, neither you nor root (name it with --config, or add its directory to COPYDESK_SAFE_DIRECTORIES)\n"
    );
    // Named with --config: honoured, no warning.
    let (out, err) = run(
        &["opinion/b.txt", "--config", "opinion/.copydesk.yaml"],
        None,
    );
    assert_eq!(
        (out.as_str(), err.as_str()),
        ("global law and Russia\n", "")
    );
    // Allowed by directory (a list, as PATH), by a tree above it, or all
    // with `*`.
    let list = std::env::join_paths([Path::new("/nowhere"), &dir.path().join("opinion")]).unwrap();
    let tree = format!("{}/*", dir.path().display());
    for safe in [list.as_os_str(), tree.as_ref(), "*".as_ref()] {
        let (out, err) = run(&["opinion/b.txt"], Some(safe));
        assert_eq!(
            (out.as_str(), err.as_str()),
            ("global law and Russia\n", ""),
            "{safe:?}"
        );
    }
    // Another directory allowed, or a tree beside it: still ignored.
    let beside = format!("{}/*", dir.path().join("news").display());
    for safe in [dir.path().as_os_str(), beside.as_ref()] {
        let (_, err) = run(&["opinion/b.txt"], Some(safe));
        assert!(
            err.contains("warning: ignoring opinion/.copydesk.yaml"),
            "{safe:?}: {err}"
        );
    }
    // Run as root through sudo by its owner: honoured; by another user: not.
    let (out, err) = run_with(&["opinion/b.txt"], &[("SUDO_UID", "65534".as_ref())]);
    assert_eq!(
        (out.as_str(), err.as_str()),
        ("global law and Russia\n", "")
    );
    let (_, err) = run_with(&["opinion/b.txt"], &[("SUDO_UID", "65533".as_ref())]);
    assert!(
        err.contains("warning: ignoring opinion/.copydesk.yaml"),
        "{err}"
    );
    // A link of our own to their file is theirs.
    std::os::unix::fs::symlink(&theirs, dir.path().join("news/.copydesk.yaml")).unwrap();
    let (out, err) = run(&["news/a.txt"], None);
    assert_eq!(out, "international law and Russia\n");
    assert!(
        err.contains("warning: ignoring news/.copydesk.yaml: owned by uid 65534"),
        "{err}"
    );
    fs::remove_file(dir.path().join("news/.copydesk.yaml")).unwrap();
    // Root's own files stay trusted.
    std::os::unix::fs::chown(&theirs, Some(0), Some(0)).unwrap();
    let (out, err) = run(&["opinion/b.txt"], None);
    assert_eq!(
        (out.as_str(), err.as_str()),
        ("global law and Russia\n", "")
    );
}

/// A config whose aliases expand past its budget (1,000,000 nodes, 1 MiB
/// of text) is refused naming the budget: two small files that expand to
/// 2 million nodes (a 2,000-item list used 1,000 times under `set:`) and
/// to 2 MB of text (a 1,000-byte rule id used 2,000 times).
#[test]
fn config_alias_amplification_is_refused_at_the_budget() {
    let dir = repo();
    let items = vec!["x"; 2000].join(",");
    let uses = vec!["*a"; 1000].join(",");
    let id = "i".repeat(1000);
    let ids = vec!["*i"; 2000].join(",");
    let budget = copydesk::config::CONFIG_BUDGET;
    for (yaml, want) in [
        // An option's value is checked as it is read: a list is refused
        // at its first node, before any alias in it is expanded.
        (
            format!("set:\n  quotes.style: [&a [{items}], {uses}]\n"),
            "option `quotes.style` takes a single value".to_string(),
        ),
        (
            format!("disable: [&i {id}, {ids}]\n"),
            format!(
                "config file is over its budget of {} bytes of YAML text",
                budget.text
            ),
        ),
    ] {
        assert!(yaml.len() < 20_000);
        fs::write(dir.path().join(".copydesk.yaml"), &yaml).unwrap();
        let start = std::time::Instant::now();
        let (code, _, err) = clean(dir.path(), &["news/a.txt"]);
        let err = crate::util::error_lines(&err);
        assert!(start.elapsed().as_secs() < 10);
        assert_eq!(code, Some(2), "{err}");
        assert!(err.starts_with("copydesk: error: .copydesk.yaml:"), "{err}");
        assert!(err.contains(&want), "{err}");
    }
}
