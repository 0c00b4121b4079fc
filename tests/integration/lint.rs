//! Rule tooling: `rules lint` (and that what it warns about is real),
//! `explain`, shell completions and the man page.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::Command as Cmd;
use predicates::prelude::*;

use crate::util::{bin, clean, copydesk_fixture as copydesk, out, pipeline};

/// Writes `yaml` to `p.yaml` in a fresh directory.
fn pack(yaml: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.yaml");
    fs::write(&path, yaml).unwrap();
    (dir, path)
}

fn lint(path: &Path) -> (Option<i32>, String) {
    let o = Cmd::new(bin())
        .args(["rules", "lint", "--no-default-rules", "--rules"])
        .arg(path)
        .output()
        .unwrap();
    (o.status.code(), String::from_utf8(o.stdout).unwrap())
}

#[test]
fn lint_passes_a_clean_pack() {
    copydesk(&["rules", "lint"])
        .assert()
        .code(0)
        .stdout("3 rules, 0 warnings\n");
}

const WEAK: &str = "pack: weak
rules:
  - id: no-why
    find: global law
    replace: international law
    examples:
      - { before: global law, after: international law }
  - id: no-examples
    find: colour
    replace: color
    why: House spelling.
  - id: keep-only
    find: favour
    replace: favor
    why: House spelling.
    examples:
      - { keep: favourite }
  - id: untested-exception
    find: Russian Federation
    replace: Russia
    why: Spinners expand it.
    unless: [the Russian Federation]
    examples:
      - { before: to Russian Federation, after: to Russia }
";

#[test]
fn lint_reports_missing_why_examples_and_unused_exceptions() {
    let (_dir, path) = pack(WEAK);
    let p = path.display();
    let (code, stdout) = lint(&path);
    assert_eq!(code, Some(1));
    assert_eq!(
        stdout,
        format!(
            "{p}:3:5: rule `no-why`: no-why: no `why`: findings cannot tell the reader why the text is wrong\n\
             {p}:8:5: rule `no-examples`: no-examples: no examples: add `before`/`after` and `keep` cases so `copydesk rules test` checks the rule\n\
             {p}:12:5: rule `keep-only`: no-examples: only `keep` examples: add a `before`/`after` pair that shows the rule firing\n\
             {p}:18:5: rule `untested-exception`: unused-exception: exception `the russian federation` appears in none of the rule's examples; add a `keep` example that shows it protecting a match\n\
             4 rules, 4 warnings\n"
        )
    );
}

const SHADOW: &str = "pack: shadow
rules:
  - id: usa
    find: [usa, united states]
    replace: US
    why: House style.
    examples: [{ before: the usa, after: the US }]
  - id: usa-again
    find: USA
    replace: US
    why: House style.
    examples: [{ before: the USA, after: the US }]
  - id: states-in-quotes
    find: united states
    replace: US
    why: House style.
    in_quotes: skip
    examples: [{ before: the united states, after: the US }]
";

#[test]
fn lint_finds_shadowed_rules_that_really_never_fire() {
    let (_dir, path) = pack(SHADOW);
    let (code, stdout) = lint(&path);
    assert_eq!(code, Some(1));
    let p = path.display();
    assert_eq!(
        stdout,
        format!(
            "{p}:8:5: rule `usa-again`: shadowed: never fires: `USA` is claimed first by rule `usa` ({p}:3:5) with the same replacement; remove it or give it an `unless`/`requires` the other lacks\n\
             {p}:13:5: rule `states-in-quotes`: shadowed: never fires: `united states` is claimed first by rule `usa` ({p}:3:5) with the same replacement; remove it or give it an `unless`/`requires` the other lacks\n\
             3 rules, 2 warnings\n"
        )
    );
    // What lint says holds: the later rules never get an edit.
    let p = pipeline(SHADOW);
    let run = p.run("the USA and the United States, \"the united states\"");
    let rules: Vec<&str> = run.edits.iter().map(|e| &*e.rule).collect();
    assert_eq!(rules, ["usa", "usa", "usa"]);
    // `rules test` shows only the symptom (the rule did not fire on its
    // own example); lint names the rule that takes the match.
    Cmd::new(bin())
        .args(["rules", "test", "--no-default-rules", "--rules"])
        .arg(&path)
        .assert()
        .stdout(predicate::str::contains(
            "rule `usa-again`: example 1: rule did not fire",
        ));
}

const SWAP: &str = "pack: swap
rules:
  - id: swap
    find: a b
    replace: b a
    why: An example of a cascade.
    examples: [{ before: x a b, after: x b a }]
";

#[test]
fn lint_finds_cascades_that_break_idempotence() {
    let (_dir, path) = pack(SWAP);
    let (code, stdout) = lint(&path);
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains(
            "rule `swap`: cascade: its replacement `b a` followed by ` b` forms `a b`, which rule `swap`"
        ),
        "{stdout}"
    );
    // Applied, `a b b` → `b a b` → `b b a`: at run time such an edit is
    // only flagged, so output stays the same on every run.
    let p = pipeline(SWAP);
    let o = clean(&p, "a b b");
    assert_eq!(o.output, "a b b");
    assert_eq!(o.edits[0].level, copydesk::Level::Flag);
    assert_eq!(out(&p, "x a b"), "x b a");
}

#[test]
fn lint_finds_a_cascade_between_two_rules_across_the_right_edge() {
    let yaml = "pack: t
rules:
  - id: global-law
    find: global law
    replace: international law
    why: Spun.
    examples: [{ before: global law, after: international law }]
  - id: law-firm
    find: law firm
    replace: legal practice
    why: House style.
    examples: [{ before: a law firm, after: a legal practice }, { keep: a lawn firm }]
";
    let (_dir, path) = pack(yaml);
    let (code, stdout) = lint(&path);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("rule `global-law`: cascade: its replacement `international law` followed by ` firm` forms `law firm`, which rule `law-firm`"), "{stdout}");
    assert!(stdout.ends_with("2 rules, 1 warning\n"), "{stdout}");
    // Applied, `a global law firm` would become `a international law
    // firm` and then `a international legal practice`: it is flagged.
    let p = pipeline(yaml);
    let o = clean(&p, "a global law firm");
    assert_eq!(o.output, "a global law firm");
    assert_eq!(o.edits[0].level, copydesk::Level::Flag);
    assert_eq!(out(&p, "a global law"), "a international law");
    // A replacement that cannot join a phrase is not reported.
    let quiet = "pack: t
rules:
  - id: global-law
    find: global law
    replace: international law
    why: Spun.
    examples: [{ before: global law, after: international law }]
  - id: lawn-firm
    find: lawn firm
    replace: garden firm
    why: House style.
    examples: [{ before: a lawn firm, after: a garden firm }]
";
    let (_dir, path) = pack(quiet);
    assert_eq!(lint(&path), (Some(0), "2 rules, 0 warnings\n".into()));
}

#[test]
fn explain_tells_why_what_where_and_shows_examples() {
    let pack = crate::util::fixture("pack.yaml");
    copydesk(&["explain", "russian-federation"])
        .assert()
        .code(0)
        .stdout(format!(
            "# russian-federation\n\n\
             From pack `fixture` ({}:11:5).\n\n\
             Fix: applied by `copydesk clean`.\n\n\
             ## Why\n\nSpinners expand \"Russia\".\n\n\
             ## What it does\n\n\
             Finds `Russian Federation` (letter case as written, whole words) and replaces it with `Russia`.\n\
             Leaves it alone inside: `the russian federation`.\n\n\
             ## Examples\n\n    a visit to Russian Federation → a visit to Russia\n\n\
             ## Left alone\n\n    the Russian Federation\n",
            pack.display()
        ));
    copydesk(&["explain", "the-arrive"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Suggestion: reported by `copydesk check`; applied only with `--apply-suggestions`.",
        ))
        .stdout(predicate::str::contains(
            "Finds `when the arrive` (any letter case, whole words)",
        ));
    copydesk(&["explain", "no-such-rule"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("unknown rule `no-such-rule`"));
}

/// Completes `words` (the last one being typed) with the bash script.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let script = Command::new(bin())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(script.status.success());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copydesk.bash");
    fs::write(&file, &script.stdout).unwrap();
    let line = words.join(" ");
    let program = format!(
        "source '{}'\nCOMP_WORDS=({line})\nCOMP_CWORD={}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n_copydesk copydesk '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        file.display(),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &program])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut v: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(String::from)
        .collect();
    v.sort();
    v
}

#[test]
fn bash_completion_completes_commands_options_and_values() {
    assert_eq!(bash_complete(&["copydesk", "ch"]), ["check"]);
    assert_eq!(bash_complete(&["copydesk", "ex"]), ["explain"]);
    assert!(bash_complete(&["copydesk", "check", "--fo"]).contains(&"--format".to_string()));
    assert_eq!(
        bash_complete(&["copydesk", "check", "--format", ""]),
        ["concise", "github", "human", "json", "sarif"]
    );
    assert_eq!(bash_complete(&["copydesk", "rules", "l"]), ["lint", "list"]);
}

#[test]
fn completions_for_other_shells_parse() {
    for (shell, marker) in [
        ("zsh", "#compdef copydesk"),
        ("fish", "complete -c copydesk"),
        ("elvish", "edit:completion:arg-completer[copydesk]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = Command::new(bin())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("explain"), "{shell}");
        // Syntax-check with the shell itself where it is installed.
        let check = match shell {
            "zsh" => Some(("zsh", vec!["-n"])),
            "fish" => Some(("fish", vec!["--no-execute"])),
            _ => None,
        };
        if let Some((prog, args)) = check {
            let dir = tempfile::tempdir().unwrap();
            let f = dir.path().join("script");
            fs::write(&f, &script).unwrap();
            match Command::new(prog).args(&args).arg(&f).output() {
                Ok(o) => assert!(
                    o.status.success(),
                    "{prog}: {}",
                    String::from_utf8_lossy(&o.stderr)
                ),
                Err(_) => eprintln!("note: {prog} not installed; syntax check skipped"),
            }
        }
    }
    Cmd::new(bin())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn man_page_renders_with_every_command_and_the_exit_codes() {
    let out = Command::new(bin()).arg("man").output().unwrap();
    assert!(out.status.success());
    let roff = String::from_utf8(out.stdout).unwrap();
    assert!(roff.contains(".TH copydesk 1"), "{roff}");
    for word in [
        "copydesk\\-check(1)",
        "copydesk\\-explain(1)",
        "EXIT STATUS",
        "NO_COLOR",
    ] {
        assert!(roff.contains(word), "{word} in {roff}");
    }
    // groff reads it without a warning, and the text says what we wrote.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("copydesk.1");
    fs::write(&page, &roff).unwrap();
    match Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
        .arg(&page)
        .output()
    {
        Ok(o) => {
            assert!(o.status.success());
            assert_eq!(String::from_utf8_lossy(&o.stderr), "", "groff warnings");
            let text = String::from_utf8_lossy(&o.stdout);
            let plain: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(plain.contains("EXIT STATUS"), "{plain}");
            assert!(
                plain.contains("2 An error: unreadable, binary or non-UTF-8 input"),
                "{plain}"
            );
        }
        Err(_) => eprintln!("note: groff not installed; man page rendering not checked"),
    }
    // One page per command in a directory.
    let pages = dir.path().join("man1");
    Cmd::new(bin())
        .args(["man", "--out-dir"])
        .arg(&pages)
        .assert()
        .success()
        .stdout("");
    for name in [
        "copydesk.1",
        "copydesk-check.1",
        "copydesk-rules-lint.1",
        "copydesk-explain.1",
    ] {
        assert!(pages.join(name).is_file(), "{name}");
    }
    assert_eq!(fs::read_to_string(pages.join("copydesk.1")).unwrap(), roff);
    let check = fs::read_to_string(pages.join("copydesk-check.1")).unwrap();
    assert!(check.contains("sarif"), "{check}");
}
