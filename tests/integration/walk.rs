//! Many files: an editorial repository end to end. Directories are walked
//! honouring `.gitignore`, hidden files and the config's globs; results
//! come out sorted by path whatever the thread count.

use std::fs;
use std::path::Path;

use predicates::prelude::*;

use crate::util::{copydesk_in, fixture, write_tree};

/// An editorial repository: house rules in `style/`, articles in
/// sub-folders, a git-ignored `build/`, hidden `.cache/`, drafts excluded
/// by the config, and `articles/opinion/` with a config of its own.
fn newsroom() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pack = fs::read_to_string(fixture("pack.yaml")).unwrap();
    write_tree(
        dir.path(),
        &[
            ("style/house.yaml", &pack),
            (
                ".copydesk.yaml",
                "default-packs: none\nrules: [style/house.yaml]\nexclude: [drafts, '*.draft.md']\n",
            ),
            (".gitignore", "build/\n"),
            (
                "articles/world/talks.md",
                "# Talks on global law\n\nOfficials from Russian Federation arrived.\n\n```\nglobal law\n```\n",
            ),
            ("articles/world/notes.txt", "global law\n"),
            ("articles/world/x.draft.md", "global law\n"),
            (
                "articles/opinion/.copydesk.yaml",
                "default-packs: none\nrules: [../../style/house.yaml]\ndisable: [global-law]\n",
            ),
            (
                "articles/opinion/column.md",
                "A column on global law and Russian Federation.\n",
            ),
            ("articles/clean.md", "Nothing to fix here.\n"),
            ("articles/page.html", "<p>global law</p>\n"),
            ("drafts/wip.md", "global law\n"),
            ("build/out.md", "global law\n"),
            (".cache/c.md", "global law\n"),
        ],
    );
    fs::write(
        dir.path().join("articles/world/photo.md"),
        b"\x89PNG\0\0global law",
    )
    .unwrap();
    dir
}

fn read(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join(path)).unwrap()
}

#[test]
fn editorial_repository_end_to_end() {
    let repo = newsroom();
    let dir = repo.path();
    copydesk_in(dir)
        .args(["check", "--format", "concise", "."])
        .assert()
        .code(1)
        .stdout(concat!(
            "./articles/opinion/column.md:1:28: russian-federation: Russian Federation → Russia (fix: Spinners expand \"Russia\".)\n",
            "./articles/world/notes.txt:1:1: global-law: global law → international law (fix: Spinners swap \"international\" for \"global\".)\n",
            "./articles/world/talks.md:1:12: global-law: global law → international law (fix: Spinners swap \"international\" for \"global\".)\n",
            "./articles/world/talks.md:3:16: russian-federation: Russian Federation → Russia (fix: Spinners expand \"Russia\".)\n",
        ))
        .stderr(predicates::str::is_match(
            "^copydesk: note: ./articles/world/photo.md: binary file, skipped\n\
             copydesk: 4 files scanned, 3 with findings, 0 errors \\([0-9.]+s\\)\n$",
        )
        .unwrap());

    copydesk_in(dir)
        .args(["clean", "--write", "."])
        .assert()
        .code(0);
    assert_eq!(
        read(dir, "articles/world/talks.md"),
        "# Talks on international law\n\nOfficials from Russia arrived.\n\n```\nglobal law\n```\n"
    );
    assert_eq!(
        read(dir, "articles/opinion/column.md"),
        "A column on global law and Russia.\n"
    );
    assert_eq!(read(dir, "articles/world/notes.txt"), "international law\n");
    // Ignored, hidden, excluded and not-included files are untouched.
    for untouched in [
        "articles/world/x.draft.md",
        "drafts/wip.md",
        "build/out.md",
        ".cache/c.md",
    ] {
        assert_eq!(read(dir, untouched), "global law\n", "{untouched}");
    }
    assert_eq!(read(dir, "articles/page.html"), "<p>global law</p>\n");
    // Clean now: exit 0, nothing printed.
    copydesk_in(dir)
        .args(["check", "--format", "concise", "articles"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn explicit_files_are_always_processed() {
    let repo = newsroom();
    copydesk_in(repo.path())
        .args([
            "clean",
            "build/out.md",
            "drafts/wip.md",
            "articles/page.html",
            ".cache/c.md",
        ])
        .assert()
        .code(0)
        .stdout(
            "international law\ninternational law\n<p>international law</p>\ninternational law\n",
        );
    // A binary file named on the command line is an error.
    copydesk_in(repo.path())
        .args(["check", "--format", "concise", "articles/world/photo.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "articles/world/photo.md: binary file (NUL byte at byte 4), not changed",
        ));
}

#[test]
fn hidden_and_no_ignore_widen_the_walk() {
    let repo = newsroom();
    let files = |args: &[&str]| -> Vec<String> {
        let out = copydesk_in(repo.path())
            .args(["check", "--format", "json", "."])
            .args(args)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    let base = files(&[]);
    assert!(!base
        .iter()
        .any(|p| p.contains("build/") || p.contains(".cache/")));
    assert!(files(&["--no-ignore"]).contains(&"./build/out.md".to_string()));
    assert!(files(&["--hidden"]).contains(&"./.cache/c.md".to_string()));
    // Every file is listed once, sorted by path.
    let mut sorted = base.clone();
    sorted.sort();
    assert_eq!(base, sorted);
}

#[test]
fn include_globs_replace_the_default() {
    let repo = newsroom();
    write_tree(
        repo.path(),
        &[(
            "articles/.copydesk.yaml",
            "default-packs: none\nrules: [../style/house.yaml]\ninclude: ['*.html']\n",
        )],
    );
    copydesk_in(repo.path())
        .args(["check", "--format", "concise", "articles"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "\narticles/page.html:1:4: global-law:",
        ))
        .stdout(predicate::str::contains("opinion/column.md"))
        .stdout(predicate::str::contains("world/talks.md").not());
}

#[test]
fn an_empty_walk_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("a.html", "x"), ("b/c.json", "{}")]);
    copydesk_in(dir.path())
        .args([
            "check",
            "--format",
            "concise",
            "--isolated",
            "--no-default-rules",
            ".",
        ])
        .assert()
        .code(0)
        .stdout("")
        .stderr(
            predicate::str::contains(". : no files to process")
                .or(predicate::str::contains(".: no files to process")),
        );
}

#[test]
fn many_files_come_out_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    // Sizes vary so that parallel workers finish out of order.
    for i in 0..60 {
        let folder = ["a", "b/c", "b", "z"][i % 4];
        let name = format!("{folder}/f{:02}.txt", 59 - i);
        let body = "padding words here. ".repeat((i * 37) % 500) + "global law\n";
        files.push((name, body));
    }
    let owned: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_tree(dir.path(), &owned);
    let run = || {
        copydesk_in(dir.path())
            .args([
                "check",
                "--format",
                "concise",
                "--isolated",
                "--no-default-rules",
                "--rules",
            ])
            .arg(fixture("pack.yaml"))
            .arg(".")
            .output()
            .unwrap()
            .stdout
    };
    let first = String::from_utf8(run()).unwrap();
    let paths: Vec<&str> = first
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(paths.len(), 60);
    let mut sorted = paths.clone();
    sorted.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
    assert_eq!(paths, sorted);
    assert_eq!(
        String::from_utf8(run()).unwrap(),
        first,
        "stable between runs"
    );
}
