//! `explain` for every built-in pass rule, kept whole as data. The other
//! command-line cases are in `tests/cmd/` (`cargo test --test cli_cases`).

use std::fs;
use std::path::Path;

use crate::util::bin;

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
