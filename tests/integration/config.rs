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
        err,
        "copydesk: error: .copydesk.yaml:3:1: unknown field `disabel`, expected one of `default-packs`, `rules`, `enable`, `disable`, `set`, `include`, `exclude`\n"
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
        .stderr(predicate::str::contains(".copydesk.yaml:3:1: unknown field").count(1));
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
