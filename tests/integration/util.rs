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
