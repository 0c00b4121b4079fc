//! `copydesk clean -i` driven as a person would, in a terminal: tmux runs
//! it, `send-keys` types the answers and `capture-pane` reads the screen.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::util::{copydesk_in, fixture};

const ARTICLE: &str = "Talks Stall\n\nTalks Stall\n\nThe envoy said the strike violated global law.\nOfficials from Russian Federation will meet them when the arrive.\n";

/// One tmux server of our own (its own socket), killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `command` in a detached 160×50 session, or `None` (with a
    /// note) when tmux is missing outside CI.
    fn start(command: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "tmux is required in CI; .ci/run installs it"
            );
            eprintln!("note: tmux not found; skipping the terminal test");
            return None;
        }
        let socket = format!(
            "copydesk-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null"])
            .args(["new-session", "-d", "-s", "t", "-x", "160", "-y", "50"])
            .arg(command)
            .status()
            .unwrap();
        assert!(status.success());
        Some(Tmux { socket })
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "t"])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Types `answer` and Enter once the screen shows `expect` one more
    /// time than it did (each question is a new prompt line).
    fn answer(&self, expect: &str, answer: &str) {
        let seen = self.screen().matches(expect).count();
        self.keys(&["-l", answer]);
        self.keys(&["Enter"]);
        self.wait_for_count(expect, seen + 1);
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-J", "-t", "t"])
            .args(["-S", "-200"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until `text` appears at least `n` times on the screen.
    fn wait_for_count(&self, text: &str, n: usize) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.matches(text).count() >= n {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited for {text:?} ×{n}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_for_count(text, 1)
    }
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

/// The shell command that runs `clean -i` on `files` in `dir`, then prints
/// its exit code and waits to be read.
fn command(dir: &Path, files: &str) -> String {
    format!(
        "cd '{}' && NO_COLOR=1 '{}' clean -i --no-default-rules --rules '{}' {files}; echo EXIT=$?; sleep 60",
        dir.display(),
        env!("CARGO_BIN_EXE_copydesk"),
        fixture("pack.yaml").display()
    )
}

const PROMPT: &str = "Apply this change [y,n,a,d,q,e,?]?";

#[test]
fn interactive_yes_no_edit_and_all() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("article.txt");
    fs::write(&file, ARTICLE).unwrap();
    let Some(tmux) = Tmux::start(&command(dir.path(), "article.txt")) else {
        return;
    };
    // 1/4: the repeated headline, with its reason and the line marked.
    let screen = tmux.wait_for(PROMPT);
    assert!(
        screen.contains("article.txt:3:1: repeated-paragraph (fix)"),
        "{screen}"
    );
    assert!(screen.contains("(1/4) Apply this change"), "{screen}");
    assert!(
        screen.contains("  - [-Talks Stall\\n\\n-]The envoy said")
            && screen.contains("  + The envoy said the strike violated global law."),
        "{screen}"
    );
    tmux.answer(PROMPT, "?");
    assert!(tmux
        .screen()
        .contains("d - do not apply this change nor any remaining"));
    tmux.answer(PROMPT, "y");
    // 2/4: global law, shown with the change marked; keep it.
    let screen = tmux.screen();
    assert!(
        screen.contains("article.txt:5:36: global-law (fix)"),
        "{screen}"
    );
    assert!(
        screen.contains("  - The envoy said the strike violated [-global law-]."),
        "{screen}"
    );
    assert!(
        screen.contains("  + The envoy said the strike violated {+international law+}."),
        "{screen}"
    );
    tmux.answer(PROMPT, "n");
    // 3/4: type a replacement of our own.
    tmux.keys(&["e", "Enter"]);
    tmux.wait_for("Replace `Russian Federation` with (empty line: back):");
    tmux.answer(PROMPT, "Moscow");
    let screen = tmux.screen();
    assert!(
        screen.contains("  + Officials from {+Moscow+} will meet"),
        "{screen}"
    );
    // 4/4: the suggestion; `a` takes it and whatever remains.
    assert!(screen.contains("(4/4) Apply this change"), "{screen}");
    assert!(screen.contains("the-arrive (suggest)"), "{screen}");
    tmux.keys(&["a", "Enter"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(
        screen.contains("article.txt: 3 of 4 changes accepted; written"),
        "{screen}"
    );
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "Talks Stall\n\nThe envoy said the strike violated global law.\nOfficials from Moscow will meet them when they arrive.\n"
    );
}

/// `a` takes the remaining fixes unseen, but a suggestion after it is
/// still shown and asked: nothing an editor never saw but a fix is applied.
#[test]
fn all_takes_the_fixes_and_still_asks_about_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("article.txt");
    fs::write(&file, ARTICLE).unwrap();
    let Some(tmux) = Tmux::start(&command(dir.path(), "article.txt")) else {
        return;
    };
    // 1/4: `a` on the first fix.
    tmux.wait_for("(1/4) Apply this change");
    tmux.keys(&["a", "Enter"]);
    // 2/4 and 3/4 are fixes, taken unseen; 4/4, the suggestion, is asked.
    let screen = tmux.wait_for("(4/4) Apply this change");
    assert!(screen.contains("the-arrive (suggest)"), "{screen}");
    assert!(!screen.contains("(2/4)"), "{screen}");
    tmux.keys(&["n", "Enter"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(
        screen.contains("article.txt: 3 of 4 changes accepted; written"),
        "{screen}"
    );
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "Talks Stall\n\nThe envoy said the strike violated international law.\nOfficials from Russia will meet them when the arrive.\n"
    );
}

#[test]
fn interactive_done_and_quit_leave_the_rest_alone() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        fs::write(dir.path().join(name), ARTICLE).unwrap();
    }
    let Some(tmux) = Tmux::start(&command(dir.path(), "a.txt b.txt c.txt")) else {
        return;
    };
    // a.txt: accept the first change, then `d`: done with this file.
    tmux.wait_for(PROMPT);
    tmux.answer(PROMPT, "y");
    tmux.keys(&["d", "Enter"]);
    // b.txt: `q` at the first question.
    let screen = tmux.wait_for("b.txt:3:1: repeated-paragraph");
    assert!(
        screen.contains("a.txt: 1 of 4 changes accepted; written"),
        "{screen}"
    );
    tmux.keys(&["q", "Enter"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(
        screen.contains("b.txt: 0 of 4 changes accepted; file left as it was"),
        "{screen}"
    );
    assert!(
        !screen.contains("c.txt:"),
        "c.txt was not asked about: {screen}"
    );
    assert!(screen.contains("EXIT=0"), "{screen}");
    let read = |n: &str| fs::read_to_string(dir.path().join(n)).unwrap();
    assert_eq!(
        read("a.txt"),
        "Talks Stall\n\nThe envoy said the strike violated global law.\nOfficials from Russian Federation will meet them when the arrive.\n"
    );
    assert_eq!(read("b.txt"), ARTICLE);
    assert_eq!(read("c.txt"), ARTICLE);
}

#[test]
fn interactive_refuses_without_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), ARTICLE).unwrap();
    copydesk_in(dir.path())
        .args(["clean", "-i", "a.txt"])
        .write_stdin("y\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "standard input is not one (use --write or --diff in scripts)",
        ));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        ARTICLE
    );
    copydesk_in(dir.path())
        .args(["clean", "-i", "--write", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be used with"));
}
