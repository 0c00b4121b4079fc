//! Output formats of `copydesk check` and the diffs of `clean`, read back
//! the way their consumers read them: SARIF against the 2.1.0 schema and
//! by applying its fixes, GitHub workflow commands by parsing them, the
//! human snippets and the word diff as a person reads them, and colour as
//! a terminal gets it.

use std::fs;
use std::path::Path;
use std::process::Command;

use predicates::prelude::*;
use serde_json::Value;

use crate::util::{bin, copydesk_fixture as copydesk, fixture};

const ARTICLE_CLEANED_ALL: &str = "Talks Stall\n\nThe envoy said the strike violated international law.\nOfficials from Russia will meet them when they arrive.\n";

fn stdout_of(cmd: &mut assert_cmd::Command) -> (Option<i32>, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

#[test]
fn human_is_the_default_and_shows_snippets_with_carets() {
    let path = fixture("article.txt");
    let shown = path.display().to_string();
    let (code, out) = stdout_of(copydesk(&["check"]).arg(&path));
    assert_eq!(code, Some(1));
    let expected_global = format!(
        "fix[global-law]: Spinners swap \"international\" for \"global\".\n \
         --> {shown}:5:36\n  \
         |\n\
         5 | The envoy said the strike violated global law.\n  \
         |                                    ^^^^^^^^^^ international law\n"
    );
    assert!(out.contains(&expected_global), "{out}");
    assert!(
        out.contains(&format!(
            "suggest[the-arrive]: A dropped pronoun.\n --> {shown}:6:50\n"
        )),
        "{out}"
    );
    assert!(
        out.contains("= note: applied only with `--apply-suggestions`"),
        "{out}"
    );
    // The deleted headline is marked on its own line.
    assert!(
        out.contains("3 | Talks Stall\n  | ^^^^^^^^^^^ delete\n"),
        "{out}"
    );
    assert!(
        out.ends_with(
            "Found 4 findings in 1 file (3 fixes, 1 suggestion).\n\
             [*] 3 fixable with `copydesk clean --write` (1 suggestion withheld: add `--apply-suggestions` to apply it).\n"
        ),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "no colour into a pipe: {out:?}");
    // Nothing to report: nothing printed, exit 0.
    copydesk(&["check"])
        .write_stdin("clean text\n")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn human_hint_when_only_suggestions_remain() {
    copydesk(&["check"])
        .write_stdin("They wait when the arrive.\n")
        .assert()
        .code(1)
        .stdout(predicate::str::ends_with(
            "Found 1 finding in 1 file (1 suggestion).\n\
             No fixes available (1 suggestion withheld: apply with `copydesk clean --write --apply-suggestions`).\n",
        ));
}

#[test]
fn human_trims_a_long_paragraph_around_the_match() {
    let long = format!(
        "{} global law {}\n",
        "word ".repeat(400),
        "tail ".repeat(400)
    );
    let (code, out) = stdout_of(copydesk(&["check"]).write_stdin(long.clone()));
    assert_eq!(code, Some(1));
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest <= 150, "a {longest}-column line: {out}");
    assert!(out.contains("global law"), "{out}");
    assert!(out.contains(" --> -:1:2002"), "{out}");
}

#[test]
fn concise_and_human_report_the_same_findings() {
    let path = fixture("article.txt");
    let shown = path.display().to_string();
    let (_, concise) = stdout_of(copydesk(&["check", "--format", "concise"]).arg(&path));
    let (_, human) = stdout_of(copydesk(&["check", "--format", "human"]).arg(&path));
    let human: Vec<&str> = human.lines().collect();
    assert_eq!(concise.lines().count(), 4);
    for l in concise.lines() {
        let rest = l.strip_prefix(&format!("{shown}:")).unwrap();
        let mut it = rest.splitn(4, ':');
        let (line, col, rule) = (
            it.next().unwrap(),
            it.next().unwrap(),
            it.next().unwrap().trim(),
        );
        // The snippet's title names the rule; the line below it, the place.
        let title = human
            .iter()
            .position(|h| h.contains(&format!("[{rule}]: ")))
            .unwrap_or_else(|| panic!("{rule} in {human:#?}"));
        assert_eq!(human[title + 1], format!(" --> {shown}:{line}:{col}"));
    }
}

/// Converts a 1-based line and column (in code points) to a byte offset.
fn offset(text: &str, line: u64, column: u64) -> usize {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n').unwrap() + 1;
    }
    text[start..]
        .char_indices()
        .map(|(i, _)| start + i)
        .chain(std::iter::once(text.len()))
        .nth(column as usize - 1)
        .unwrap()
}

fn sarif_of(args: &[&str], input: &Path) -> Value {
    let (code, out) = stdout_of(copydesk(args).arg(input));
    assert_eq!(code, Some(1));
    serde_json::from_str(&out).unwrap()
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    // tests/fixtures/sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 schema
    // (final "rtm.5" revision, draft-04), as shipped in the MIT-licensed npm
    // package @microsoft/jest-sarif 1.0.0-beta.0 at
    // lib/schemas/sarif-2.1.0-rtm.5.json; the same file is published at
    // https://json.schemastore.org/sarif-2.1.0.json.
    let mut schema: Value =
        serde_json::from_str(&fs::read_to_string(fixture("sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    // The schema's two `language` patterns have a stray `]`, a literal in
    // ECMAScript regexes but an error for Rust's; escape it so the schema
    // itself passes meta-validation (copydesk does not emit `language`).
    for def in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".into();
    }
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let log = sarif_of(&["check", "--format", "sarif"], &fixture("article.txt"));
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema does catch a broken log, so the check above means something.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_describes_rules_levels_and_regions() {
    let path = fixture("article.txt");
    let log = sarif_of(&["check", "--format", "sarif"], &path);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "copydesk");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "global-law",
            "repeated-paragraph",
            "russian-federation",
            "the-arrive"
        ]
    );
    let global = &rules[0];
    assert_eq!(
        global["shortDescription"]["text"],
        "Spinners swap \"international\" for \"global\"."
    );
    assert!(global["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("Finds `global law` and replaces it with `international law`."));
    assert_eq!(global["defaultConfiguration"]["level"], "warning");
    assert_eq!(rules[3]["defaultConfiguration"]["level"], "note");
    // A pass rule is described from the registry: what it repairs, its
    // pass, an example, its level, and where to read more.
    assert_eq!(
        rules[1],
        serde_json::json!({
            "id": "repeated-paragraph",
            "shortDescription": {
                "text": "A paragraph that repeats the one before it word for word, as scrapers leave it."
            },
            "help": {
                "text": "A paragraph that repeats the one before it word for word, as scrapers leave it.\n\n\
                         From the built-in \"paragraphs\" pass; for example \
                         Same words.⏎⏎Same words.⏎ → Same words.⏎.",
                "markdown": "A paragraph that repeats the one before it word for word, as scrapers leave it.\n\n\
                             From the built-in `paragraphs` pass; for example \
                             Same words.⏎⏎Same words.⏎ → Same words.⏎.\n\n\
                             Run `copydesk explain repeated-paragraph` for more."
            },
            "defaultConfiguration": { "level": "warning" },
            "properties": { "copydesk-level": "fix", "tags": ["pass:paragraphs"] }
        })
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"], "ruleIndex points at the rule");
    }
    let g = results
        .iter()
        .find(|r| r["ruleId"] == "global-law")
        .unwrap();
    assert_eq!(g["level"], "warning");
    let loc = &g["locations"][0]["physicalLocation"];
    // An absolute path becomes a file:// URI.
    assert_eq!(
        loc["artifactLocation"]["uri"],
        format!("file://{}", path.display()).as_str()
    );
    assert_eq!(
        loc["region"],
        serde_json::json!({"startLine": 5, "startColumn": 36, "endLine": 5, "endColumn": 46})
    );
    let s = results
        .iter()
        .find(|r| r["ruleId"] == "the-arrive")
        .unwrap();
    assert_eq!(s["level"], "note");
    assert_eq!(s["properties"]["applied"], false);
    assert_eq!(s["properties"]["copydesk-level"], "suggest");
}

#[test]
fn sarif_fixes_rebuild_the_cleaned_text() {
    // Columns count code points: put a non-ASCII character before a match.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a b.txt");
    let mut text = fs::read_to_string(fixture("article.txt")).unwrap();
    text = text.replace("The envoy", "Émile, the envoy,");
    fs::write(&input, &text).unwrap();
    let log = sarif_of(&["check", "--format", "sarif"], &input);
    let mut replacements = Vec::new();
    for r in log["runs"][0]["results"].as_array().unwrap() {
        let change = &r["fixes"][0]["artifactChanges"][0];
        assert!(change["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/a%20b.txt"));
        assert!(change["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("file:///"));
        let rep = &change["replacements"][0];
        let d = &rep["deletedRegion"];
        let start = offset(
            &text,
            d["startLine"].as_u64().unwrap(),
            d["startColumn"].as_u64().unwrap(),
        );
        let end = offset(
            &text,
            d["endLine"].as_u64().unwrap(),
            d["endColumn"].as_u64().unwrap(),
        );
        replacements.push((
            start,
            end,
            rep["insertedContent"]["text"].as_str().unwrap().to_string(),
        ));
    }
    replacements.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut fixed = text.clone();
    for (s, e, t) in replacements {
        fixed.replace_range(s..e, &t);
    }
    assert_eq!(
        fixed,
        ARTICLE_CLEANED_ALL.replace("The envoy", "Émile, the envoy,")
    );
}

#[test]
fn json_parses_back_with_the_same_places_as_sarif() {
    let path = fixture("article.txt");
    let (_, out) = stdout_of(
        copydesk(&["check", "--format", "json"])
            .arg(&path)
            .arg("-")
            .write_stdin("global law"),
    );
    let json: Value = serde_json::from_str(&out).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[1]["path"], "-");
    assert_eq!(files[1]["edits"][0]["end"]["column"], 11);
    let log = sarif_of(&["check", "--format", "sarif"], &path);
    let results = log["runs"][0]["results"].as_array().unwrap();
    for (e, r) in files[0]["edits"].as_array().unwrap().iter().zip(results) {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(e["rule"], r["ruleId"]);
        assert_eq!(e["start"]["line"], region["startLine"]);
        assert_eq!(e["start"]["column"], region["startColumn"]);
        assert_eq!(e["end"]["line"], region["endLine"]);
        assert_eq!(e["end"]["column"], region["endColumn"]);
    }
}

/// One parsed workflow command.
#[derive(Debug)]
struct Annotation {
    level: String,
    props: Vec<(String, String)>,
    message: String,
}

impl Annotation {
    fn prop(&self, key: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Parses `::level k=v,k=v::message` as the Actions runner does.
fn parse_github(line: &str) -> Annotation {
    let rest = line.strip_prefix("::").expect("starts with ::");
    let (head, message) = rest.split_once("::").expect("has ::message");
    let (level, props) = head.split_once(' ').expect("has properties");
    let props = props
        .split(',')
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("key=value");
            (k.to_string(), unescape(v))
        })
        .collect();
    Annotation {
        level: level.to_string(),
        props,
        message: unescape(message),
    }
}

#[test]
fn github_commands_parse_back() {
    let path = fixture("article.txt");
    let (code, out) = stdout_of(copydesk(&["check", "--format", "github"]).arg(&path));
    assert_eq!(code, Some(1));
    let (_, concise) = stdout_of(copydesk(&["check", "--format", "concise"]).arg(&path));
    let anns: Vec<Annotation> = out.lines().map(parse_github).collect();
    assert_eq!(anns.len(), 4);
    // GitHub matches paths against the checkout: relative, as the working
    // directory sees them.
    let cwd = std::env::current_dir().unwrap();
    let shown = path.strip_prefix(&cwd).unwrap().display().to_string();
    for (a, c) in anns.iter().zip(concise.lines()) {
        assert_eq!(a.prop("file"), Some(shown.as_str()));
        // The message is the concise finding without its place.
        let rule = a.prop("title").unwrap();
        let rule = rule
            .strip_prefix("copydesk (")
            .and_then(|r| r.strip_suffix(')'))
            .unwrap();
        let tail = c.split_once(&format!(": {rule}: ")).unwrap().1;
        assert_eq!(a.message, tail);
    }
    let g = &anns[1];
    assert_eq!(g.level, "warning");
    assert_eq!(
        (
            g.prop("line"),
            g.prop("col"),
            g.prop("endLine"),
            g.prop("endColumn")
        ),
        (Some("5"), Some("36"), Some("5"), Some("46"))
    );
    assert_eq!(anns[3].level, "notice");
    // The deleted paragraph spans lines 3–4: no columns.
    assert_eq!(
        (
            anns[0].prop("line"),
            anns[0].prop("endLine"),
            anns[0].prop("col")
        ),
        (Some("3"), Some("4"), None)
    );
}

#[test]
fn github_escapes_properties_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("p.yaml");
    fs::write(
        &pack,
        "pack: p\nrules:\n  - id: percent\n    find: per cent\n    replace: '%'\n    why: 'House style: 5%, not 5 per cent.'\n",
    )
    .unwrap();
    let input = dir.path().join("a,b:c.txt");
    fs::write(&input, "up 5 per cent\n").unwrap();
    let out = assert_cmd::Command::new(bin())
        .args([
            "check",
            "--format",
            "github",
            "--no-default-rules",
            "--rules",
        ])
        .arg(&pack)
        .arg(&input)
        .output()
        .unwrap();
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(line.contains("a%2Cb%3Ac.txt,line=1,col=6,"), "{line}");
    assert!(
        line.trim_end()
            .ends_with("::per cent → %25 (fix: House style: 5%25, not 5 per cent.)"),
        "{line}"
    );
    let a = parse_github(line.trim_end());
    assert_eq!(a.prop("file"), Some(input.display().to_string().as_str()));
    assert_eq!(
        a.message,
        "per cent → % (fix: House style: 5%, not 5 per cent.)"
    );
}

#[test]
fn word_diff_marks_changed_words() {
    copydesk(&["clean", "--diff=word"])
        .arg(fixture("article.txt"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "The envoy said the strike violated [-global-]{+international+} law.\n\
             Officials from [-Russian Federation-]{+Russia+} will meet them when the arrive.\n",
        ))
        .stdout(predicate::str::contains("\n[-Talks Stall-]\n"));
    // `--diff` alone and `--diff=unified` are the unified diff.
    let (_, plain) = stdout_of(copydesk(&["clean", "--diff"]).arg(fixture("article.txt")));
    let (_, unified) =
        stdout_of(copydesk(&["clean", "--diff=unified"]).arg(fixture("article.txt")));
    assert_eq!(plain, unified);
    assert!(plain.contains("\n-The envoy said the strike violated global law.\n"));
    copydesk(&["clean", "--diff=word"])
        .write_stdin("nothing to do\n")
        .assert()
        .code(0)
        .stdout("");
    copydesk(&["clean", "--diff=words"])
        .write_stdin("")
        .assert()
        .code(2);
}

#[test]
fn color_always_paints_and_never_does_not() {
    let (_, word) = stdout_of(
        copydesk(&["clean", "--diff=word", "--color=always"]).arg(fixture("article.txt")),
    );
    assert!(
        word.contains("violated \u{1b}[31mglobal\u{1b}[0m\u{1b}[32minternational\u{1b}[0m law"),
        "{word:?}"
    );
    assert!(
        !word.contains("[-"),
        "colour replaces the brackets: {word:?}"
    );
    let (_, unified) =
        stdout_of(copydesk(&["clean", "--diff", "--color=always"]).arg(fixture("article.txt")));
    assert!(unified.contains("\u{1b}[32m+The envoy"), "{unified:?}");
    let (_, human) =
        stdout_of(copydesk(&["check", "--color", "always"]).arg(fixture("article.txt")));
    assert!(human.contains("\u{1b}["), "{human:?}");
    for args in [["check", "--color=never"], ["clean", "--diff=word"]] {
        let (_, out) = stdout_of(
            copydesk(&args)
                .env("CLICOLOR_FORCE", "1")
                .arg("--color=never")
                .arg(fixture("article.txt")),
        );
        assert!(!out.contains('\u{1b}'), "{out:?}");
    }
}

/// The concise format takes colour as the others do: the path bold, the
/// rule id in its level's colour, and the same characters once the
/// escapes are taken out.
#[test]
fn concise_is_coloured_only_when_asked_and_reads_the_same() {
    let path = fixture("article.txt");
    let (_, plain) =
        stdout_of(copydesk(&["check", "--format", "concise", "--color=never"]).arg(&path));
    let (_, painted) =
        stdout_of(copydesk(&["check", "--format", "concise", "--color=always"]).arg(&path));
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
    let shown = path.display().to_string();
    assert!(
        painted.starts_with(&format!("\u{1b}[1m{shown}\u{1b}[0m:")),
        "{painted:?}"
    );
    assert!(
        painted.contains("\u{1b}[1m\u{1b}[33mglobal-law\u{1b}[0m: "),
        "a fix's id is yellow: {painted:?}"
    );
    assert!(
        painted.contains("\u{1b}[1m\u{1b}[36mthe-arrive\u{1b}[0m: "),
        "a suggestion's id is cyan: {painted:?}"
    );
    assert_eq!(anstream::adapter::strip_str(&painted).to_string(), plain);
}

/// Runs copydesk on a pseudo-terminal (util-linux `script`), so `--color
/// auto` sees a terminal. `None` when `script` is not installed.
fn on_terminal(args: &str, no_color: bool) -> Option<String> {
    let probe = Command::new("script").arg("--version").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("note: util-linux `script` not found; terminal colour test skipped");
        return None;
    }
    let cmd = format!(
        "{} {args} --no-default-rules --rules {} {}",
        bin().display(),
        fixture("pack.yaml").display(),
        fixture("article.txt").display()
    );
    let mut script = Command::new("script");
    script
        .args(["-qec", &cmd, "/dev/null"])
        .env_remove("NO_COLOR");
    script.env_remove("CLICOLOR_FORCE").env("TERM", "xterm");
    if no_color {
        script.env("NO_COLOR", "1");
    }
    let out = script.output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}

#[test]
fn color_auto_follows_the_terminal_and_no_color() {
    let Some(tty) = on_terminal("clean --diff=word", false) else {
        return;
    };
    assert!(tty.contains("\u{1b}[31mglobal\u{1b}[0m"), "{tty:?}");
    let muted = on_terminal("clean --diff=word", true).unwrap();
    assert!(!muted.contains('\u{1b}'), "{muted:?}");
    assert!(muted.contains("[-global-]{+international+}"), "{muted:?}");
    let human = on_terminal("check", false).unwrap();
    assert!(human.contains("\u{1b}["), "{human:?}");
    let human = on_terminal("check", true).unwrap();
    assert!(!human.contains('\u{1b}'), "{human:?}");
}
