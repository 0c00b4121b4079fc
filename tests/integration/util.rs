//! Helpers shared by the integration tests.

use std::sync::Arc;

use copydesk::rules::load::Loader;
use copydesk::{Edit, Options, Outcome, Pipeline};

/// Builds a pipeline from an inline pack (no default packs).
pub fn pipeline(yaml: &str) -> Pipeline {
    pipeline_with(yaml, Options::default())
}

/// Builds a pipeline from an inline pack with options.
pub fn pipeline_with(yaml: &str, options: Options) -> Pipeline {
    let mut loader = Loader::new();
    loader.add_source("inline.yaml", yaml);
    let set = loader.build().unwrap_or_else(|e| panic!("pack loads: {e}"));
    Pipeline::new(Arc::new(set), options)
}

/// Cleans `text` and checks the invariants every run must keep.
pub fn clean<'a>(p: &Pipeline, text: &'a str) -> Outcome<'a> {
    let out = p.run(text);
    assert_eq!(
        copydesk::apply::apply(text, &out.edits),
        out.output,
        "edits rebuild the output"
    );
    let again = p.run(&out.output);
    assert_eq!(again.output, out.output, "idempotent");
    out
}

/// The output of cleaning `text`.
pub fn out(p: &Pipeline, text: &str) -> String {
    clean(p, text).output.into_owned()
}

/// `(rule, before, after, applied)` of each edit.
pub fn summary(edits: &[Edit]) -> Vec<(String, String, Option<String>, bool)> {
    edits
        .iter()
        .map(|e| {
            (
                e.rule.to_string(),
                e.before.to_string(),
                e.after.as_ref().map(ToString::to_string),
                e.applied,
            )
        })
        .collect()
}

/// A file under `tests/fixtures/`.
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Writes each `(path, contents)` under `dir`, creating folders.
pub fn write_tree(dir: &std::path::Path, files: &[(&str, &str)]) {
    for (path, contents) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }
}

/// `copydesk` run from `dir`, with nothing else added.
pub fn copydesk_in(dir: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("copydesk").unwrap();
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// The built `copydesk` binary.
pub fn bin() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_copydesk"))
}

/// `copydesk ARGS --no-default-rules --rules tests/fixtures/pack.yaml`.
pub fn copydesk_fixture(args: &[&str]) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin());
    cmd.args(args)
        .arg("--no-default-rules")
        .arg("--rules")
        .arg(fixture("pack.yaml"));
    cmd
}

/// Errors on `stderr` as one line each, `copydesk: error: PATH:LINE:COL:
/// MESSAGE; HELP`, however they were shown: the form with the line of the
/// file and a caret (see `Error::render`) folded back, after checking that
/// each line it shows is a bounded window. Other lines stay as they are.
pub fn error_lines(stderr: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut lines = stderr.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(title) = line.strip_prefix("copydesk: error: ") else {
            out.push(line.to_string());
            continue;
        };
        let Some(place) = lines
            .peek()
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            out.push(line.to_string());
            continue;
        };
        let place = place.to_string();
        lines.next();
        let mut help = String::new();
        while let Some(l) = lines.next_if(|l| !l.starts_with("copydesk: ")) {
            let body = l.split_once('|').map_or(l, |(_, b)| b).trim();
            if let Some(h) = body.strip_prefix("= help: ") {
                help = format!("; {h}");
            }
            assert!(l.chars().count() < 150, "an excerpt line too long: {l}");
        }
        out.push(format!("copydesk: error: {place}: {title}{help}"));
    }
    let mut s = out.join("\n");
    if stderr.ends_with('\n') {
        s.push('\n');
    }
    s
}
