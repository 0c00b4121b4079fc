//! The pre-commit hooks, end to end with the real `pre-commit` tool in a
//! temporary git repository, and the plain git hook from
//! `docs/pre-commit.md`.
//!
//! The shipped hooks use `language: rust`, which would make pre-commit build
//! copydesk from git; the test instead declares them as `repo: local`,
//! `language: system` hooks pointing at the built binary, copying `entry`
//! and the file types from the shipped `.pre-commit-hooks.yaml` so the two
//! cannot drift apart.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_yaml::{Mapping, Value};

use crate::util::{bin, fixture};

const SPUN: &str = "The strike violated global law.\n";
const FIXED: &str = "The strike violated international law.\n";

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `python3 -m pre_commit`, installing it with pip when missing. `None`
/// (with a note) when it cannot be had; under `CI=true` that fails.
fn pre_commit() -> Option<Command> {
    let works = || {
        Command::new("python3")
            .args(["-m", "pre_commit", "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !works() {
        let installed = Command::new("python3")
            .args(["-m", "pip", "install", "--user", "--quiet", "pre-commit"])
            .output();
        let ok = installed.as_ref().is_ok_and(|o| o.status.success());
        if !ok || !works() {
            let why = match &installed {
                Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "pre-commit is required in CI and could not be installed: {why}"
            );
            eprintln!(
                "note: pre-commit unavailable (pip could not install it); test skipped: {why}"
            );
            return None;
        }
    }
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "pre_commit"]);
    Some(cmd)
}

/// Runs a command in `dir`; returns its output.
fn run(mut cmd: Command, dir: &Path) -> Output {
    cmd.current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .unwrap()
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new("git");
    cmd.args(args);
    let out = run(cmd, dir);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A fresh repository with an author and no signing.
fn new_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["config", "user.email", "desk@example.org"]);
    git(dir.path(), &["config", "user.name", "Desk"]);
    git(dir.path(), &["config", "commit.gpgsign", "false"]);
    dir
}

/// Quotes a path for pre-commit's shell-like `entry` splitting.
fn quoted(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}

/// The shipped hooks as local hooks that run the built binary with the
/// fixture pack.
fn local_hooks(ids: &[&str]) -> String {
    let manifest: Vec<Mapping> = serde_yaml::from_str(
        &fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    let mut hooks = Vec::new();
    for id in ids {
        let mut hook = manifest
            .iter()
            .find(|h| h.get("id").and_then(Value::as_str) == Some(*id))
            .unwrap_or_else(|| panic!("hook `{id}` in .pre-commit-hooks.yaml"))
            .clone();
        assert_eq!(hook.get("language").and_then(Value::as_str), Some("rust"));
        let entry = hook.get("entry").and_then(Value::as_str).unwrap();
        let args = entry
            .strip_prefix("copydesk ")
            .expect("entry runs copydesk");
        hook.insert("entry".into(), format!("{} {args}", quoted(&bin())).into());
        hook.insert("language".into(), "system".into());
        hook.remove("minimum_pre_commit_version");
        hook.insert(
            "args".into(),
            Value::Sequence(vec![
                "--no-default-rules".into(),
                "--rules".into(),
                fixture("pack.yaml").display().to_string().into(),
            ]),
        );
        hooks.push(Value::Mapping(hook));
    }
    let mut repo = Mapping::new();
    repo.insert("repo".into(), "local".into());
    repo.insert("hooks".into(), Value::Sequence(hooks));
    let mut config = Mapping::new();
    config.insert("repos".into(), Value::Sequence(vec![Value::Mapping(repo)]));
    serde_yaml::to_string(&config).unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn shipped_manifest_is_valid() {
    let Some(mut pc) = pre_commit() else { return };
    pc.arg("validate-manifest")
        .arg(repo_root().join(".pre-commit-hooks.yaml"));
    let out = run(pc, repo_root());
    assert!(out.status.success(), "{}", text(&out));
}

/// Installs the `copydesk` check hook with the real pre-commit in the git
/// repository `dir` (its cache kept inside, ignored by git), and returns
/// `git commit -q -m MSG` run there.
fn install_check_hook(dir: &Path) -> impl Fn(&str) -> Output + '_ {
    let home = dir.join(".pc-home");
    fs::write(dir.join(".gitignore"), ".pc-home/\n").unwrap();
    fs::write(
        dir.join(".pre-commit-config.yaml"),
        local_hooks(&["copydesk"]),
    )
    .unwrap();
    let mut install = pre_commit().unwrap();
    install.arg("install").env("PRE_COMMIT_HOME", &home);
    let out = run(install, dir);
    assert!(out.status.success(), "{}", text(&out));
    move |msg: &str| {
        let mut cmd = Command::new("git");
        cmd.args(["commit", "-q", "-m", msg])
            .env("PRE_COMMIT_HOME", &home);
        run(cmd, dir)
    }
}

#[test]
fn commit_fails_with_the_diff_then_passes_after_the_fix_hook() {
    let Some(_) = pre_commit() else { return };
    let repo = new_repo();
    let dir = repo.path();
    let commit = install_check_hook(dir);
    fs::create_dir(dir.join("desk")).unwrap();
    fs::write(dir.join("desk/story.md"), SPUN).unwrap();
    fs::write(dir.join("notes.txt"), "Nothing to fix here.\n").unwrap();
    fs::write(dir.join("tool.py"), "# global law\n").unwrap();
    git(dir, &["add", "-A"]);

    // The check hook refuses the commit, shows the change, touches nothing.
    let out = commit("spun");
    let shown = text(&out);
    assert!(!out.status.success(), "commit should fail: {shown}");
    assert!(shown.contains("copydesk"), "{shown}");
    assert!(shown.contains("Failed"), "{shown}");
    assert!(shown.contains("--- a/desk/story.md"), "{shown}");
    assert!(
        shown.contains("-The strike violated global law."),
        "{shown}"
    );
    assert!(
        shown.contains("+The strike violated international law."),
        "{shown}"
    );
    assert!(!shown.contains("tool.py"), "not a prose file: {shown}");
    assert_eq!(fs::read_to_string(dir.join("desk/story.md")).unwrap(), SPUN);

    // With the fix hook as well: it rewrites the file and pre-commit
    // fails the commit because a hook changed files.
    fs::write(
        dir.join(".pre-commit-config.yaml"),
        local_hooks(&["copydesk-fix", "copydesk"]),
    )
    .unwrap();
    git(dir, &["add", ".pre-commit-config.yaml"]);
    let out = commit("spun");
    let shown = text(&out);
    assert!(!out.status.success(), "{shown}");
    assert!(
        shown.contains("files were modified by this hook"),
        "{shown}"
    );
    assert_eq!(
        fs::read_to_string(dir.join("desk/story.md")).unwrap(),
        FIXED
    );
    assert_eq!(
        fs::read_to_string(dir.join("tool.py")).unwrap(),
        "# global law\n"
    );

    // Stage the fix: both hooks pass and the commit lands.
    git(dir, &["add", "-A"]);
    let out = commit("fixed");
    assert!(out.status.success(), "{}", text(&out));
    let committed = git(dir, &["show", "HEAD:desk/story.md"]);
    assert_eq!(String::from_utf8_lossy(&committed.stdout), FIXED);
    let log = git(dir, &["log", "--format=%s"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout), "fixed\n");
}

/// pre-commit names every staged file; the shipped hooks pass
/// `--force-exclude`, so a file the config excludes passes the hook while
/// the others are still checked.
#[test]
fn a_file_the_config_excludes_passes_the_hook() {
    let Some(_) = pre_commit() else { return };
    let repo = new_repo();
    let dir = repo.path();
    let commit = install_check_hook(dir);
    fs::write(dir.join(".copydesk.yaml"), "exclude: [drafts]\n").unwrap();
    fs::create_dir(dir.join("drafts")).unwrap();
    fs::write(dir.join("drafts/wip.md"), SPUN).unwrap();
    git(dir, &["add", "-A"]);
    let out = commit("a draft");
    assert!(
        out.status.success(),
        "excluded, so it passes: {}",
        text(&out)
    );
    assert_eq!(fs::read_to_string(dir.join("drafts/wip.md")).unwrap(), SPUN);

    // A file outside the excluded directory is still checked.
    fs::write(dir.join("story.md"), SPUN).unwrap();
    git(dir, &["add", "-A"]);
    let out = commit("a story");
    let shown = text(&out);
    assert!(!out.status.success(), "{shown}");
    assert!(shown.contains("--- a/story.md"), "{shown}");
    assert!(!shown.contains("drafts/wip.md"), "{shown}");
}

/// The `#!/bin/sh` block of docs/pre-commit.md.
fn documented_git_hook() -> String {
    let doc = fs::read_to_string(repo_root().join("docs/pre-commit.md")).unwrap();
    let start = doc
        .find("```sh\n#!/bin/sh\n")
        .expect("the shell hook in the docs")
        + 6;
    let len = doc[start..].find("```").unwrap();
    doc[start..start + len].to_string()
}

#[test]
fn documented_git_hook_blocks_a_spun_commit() {
    let repo = new_repo();
    let dir = repo.path();
    let hook = dir.join(".git/hooks/pre-commit");
    fs::write(&hook, documented_git_hook()).unwrap();
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    // `copydesk` on the PATH, with the fixture pack instead of the defaults.
    let tools = tempfile::tempdir().unwrap();
    let wrapper: PathBuf = tools.path().join("copydesk");
    fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\ncmd=$1; shift\nexec {} \"$cmd\" --no-default-rules --rules {} \"$@\"\n",
            quoted(&bin()),
            quoted(&fixture("pack.yaml"))
        ),
    )
    .unwrap();
    fs::set_permissions(&wrapper, fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        tools.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let commit = |msg: &str| {
        let mut cmd = Command::new("git");
        cmd.args(["commit", "-q", "-m", msg]).env("PATH", &path);
        run(cmd, dir)
    };
    fs::write(dir.join("a story.md"), SPUN).unwrap();
    fs::write(dir.join("tool.py"), "# global law\n").unwrap();
    git(dir, &["add", "-A"]);
    let out = commit("spun");
    let shown = text(&out);
    assert!(!out.status.success(), "{shown}");
    assert!(
        shown.contains("+The strike violated international law."),
        "{shown}"
    );
    fs::write(dir.join("a story.md"), FIXED).unwrap();
    git(dir, &["add", "-A"]);
    let out = commit("fixed");
    assert!(out.status.success(), "{}", text(&out));
    // A commit of no prose at all runs copydesk on nothing.
    fs::write(dir.join("tool.py"), "# global law, still\n").unwrap();
    git(dir, &["add", "-A"]);
    let out = commit("code only");
    assert!(out.status.success(), "{}", text(&out));
}
