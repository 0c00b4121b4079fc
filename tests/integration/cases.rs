//! Command-line cases kept as data: each `cases/NAME.txt` holds a command,
//! its standard input and the exit code, standard output and standard
//! error expected of it, compared whole. A case runs in `cases/NAME.in/`
//! when that folder exists (a config file to find), else in an empty
//! folder. `COPYDESK_BLESS=1 cargo test --test integration cases` rewrites
//! the expected part of every case from what the command does; review the
//! diff before committing it.
//!
//! The format, line by line:
//!
//! ```text
//! # a comment on what the case shows
//! $ copydesk ARG ARG…        the command (arguments split on spaces)
//! < a line of standard input (repeatable; none: empty input)
//! ? 2                        the exit code
//! --- stdout
//! …
//! --- stderr
//! …
//! ```

use std::fs;
use std::path::Path;

use crate::util::bin;

/// One case read from its file.
struct Case {
    /// Everything up to the exit code: comments, command, input.
    head: String,
    args: Vec<String>,
    stdin: String,
    expected: String,
}

fn parse(text: &str) -> Case {
    let (head, expected) = match text.find("\n? ") {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => (text, ""),
    };
    let mut args = Vec::new();
    let mut stdin = String::new();
    for line in head.lines() {
        if let Some(command) = line.strip_prefix("$ copydesk ") {
            args = command.split(' ').map(str::to_string).collect();
        } else if let Some(input) = line.strip_prefix("< ") {
            stdin.push_str(input);
            stdin.push('\n');
        }
    }
    assert!(!args.is_empty(), "a case needs a `$ copydesk …` line");
    Case {
        head: head.to_string(),
        args,
        stdin,
        expected: expected.to_string(),
    }
}

/// What the command did, in the case file's format.
fn run(case: &Case, dir: &Path) -> String {
    let out = assert_cmd::Command::new(bin())
        .args(&case.args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .write_stdin(case.stdin.as_bytes())
        .output()
        .unwrap();
    format!(
        "? {}\n--- stdout\n{}--- stderr\n{}",
        out.status
            .code()
            .map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn every_case_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/cases");
    let bless = std::env::var_os("COPYDESK_BLESS").is_some();
    let mut names: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    let mut failed = Vec::new();
    for path in names {
        let case = parse(&fs::read_to_string(&path).unwrap());
        let here = path.with_extension("in");
        let empty = tempfile::tempdir().unwrap();
        let dir = if here.is_dir() { &here } else { empty.path() };
        let actual = run(&case, dir);
        if actual == case.expected {
            continue;
        }
        if bless {
            fs::write(&path, format!("{}{actual}", case.head)).unwrap();
        } else {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            eprintln!("{name}: expected\n{}\ngot\n{actual}", case.expected);
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "cases that differ: {failed:?}");
}

/// `explain` works for every rule of every built-in pass: their pages,
/// one after another, are kept whole in `cases/explain-every-pass-rule.md`
/// (rewritten under `COPYDESK_BLESS=1`, as the cases are).
#[test]
fn every_pass_rule_is_explained() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/integration/cases/explain-every-pass-rule.md");
    let mut actual = String::new();
    for rule in copydesk::registry::PASS_RULES {
        let out = assert_cmd::Command::new(bin())
            .args(["explain", rule.id, "--no-default-rules"])
            .current_dir(tempfile::tempdir().unwrap().path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "explain {}", rule.id);
        assert!(out.stderr.is_empty(), "explain {}", rule.id);
        actual.push_str(&String::from_utf8(out.stdout).unwrap());
        actual.push_str("\n---\n\n");
    }
    if std::env::var_os("COPYDESK_BLESS").is_some() {
        fs::write(&path, &actual).unwrap();
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "explain pages differ from {}",
        path.display()
    );
}
