//! Command-line cases kept as data: each `tests/cmd/NAME.md` holds console
//! blocks (`$ command`, `? exit code`, then stdout and stderr as printed),
//! run in `tests/cmd/NAME.in/`; a `NAME.toml` case is one command with its
//! standard input. `TRYCMD=overwrite cargo test --test
//! cli_cases` rewrites them after an intended change; review the diff.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .case("tests/cmd/*.md")
        .case("tests/cmd/*.toml");
}
