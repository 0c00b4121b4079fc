//! The pack cache: a warm run behaves exactly like a cold one, a damaged
//! cache is ignored, and a bad pack is refused whatever the cache holds.

use std::fs;
use std::path::Path;

use assert_cmd::Command as Cmd;
use predicates::prelude::*;

fn copydesk(cache: &Path, pack: &Path) -> Cmd {
    let mut cmd = Cmd::cargo_bin("copydesk").unwrap();
    cmd.env("COPYDESK_CACHE_DIR", cache)
        .args(["clean", "--no-default-rules", "--rules"])
        .arg(pack);
    cmd
}

const PACK: &str = "pack: t\nrules:\n  - id: global-law\n    find: [global law, worldwide law]\n    replace: international law\n";

fn entries(dir: &Path, prefix: &str) -> Vec<std::path::PathBuf> {
    fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().path())
                .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn warm_runs_match_cold_runs_and_damage_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let pack = dir.path().join("pack.yaml");
    fs::write(&pack, PACK).unwrap();
    for _ in 0..2 {
        copydesk(&cache, &pack)
            .write_stdin("It broke Worldwide law.\n")
            .assert()
            .success()
            .stdout("It broke International law.\n");
    }
    let packs = entries(&cache, "pack-");
    assert_eq!(packs.len(), 1, "one entry per pack");
    assert_eq!(
        entries(&cache, "set-").len(),
        1,
        "the checked set is marked"
    );
    fs::write(&packs[0], b"not a cache entry").unwrap();
    copydesk(&cache, &pack)
        .write_stdin("It broke Worldwide law.\n")
        .assert()
        .success()
        .stdout("It broke International law.\n");
    // Deleting the cache at any time is safe.
    fs::remove_dir_all(&cache).unwrap();
    copydesk(&cache, &pack)
        .write_stdin("global law\n")
        .assert()
        .success()
        .stdout("international law\n");
}

#[test]
fn an_edited_pack_is_parsed_again_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let pack = dir.path().join("pack.yaml");
    fs::write(&pack, PACK).unwrap();
    copydesk(&cache, &pack).write_stdin("").assert().success();
    // Same file, now with a cycle: refused, with its place.
    let cyclic =
        format!("{PACK}  - id: back\n    find: international law\n    replace: global law\n");
    fs::write(&pack, cyclic).unwrap();
    copydesk(&cache, &pack)
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rule `global-law`: cycle"));
}

#[test]
fn the_cache_can_be_switched_off() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack.yaml");
    fs::write(&pack, PACK).unwrap();
    let mut cmd = Cmd::cargo_bin("copydesk").unwrap();
    cmd.env("COPYDESK_CACHE_DIR", "off")
        .env("XDG_CACHE_HOME", dir.path().join("xdg"))
        .args(["clean", "--no-default-rules", "--rules"])
        .arg(&pack)
        .write_stdin("global law")
        .assert()
        .success()
        .stdout("international law");
    assert!(!dir.path().join("xdg").exists());
}

/// A pack that is refused (here: a rule with no `replace`; then one over
/// the YAML text budget) leaves nothing in the cache, so a later run parses
/// and checks it again, and no expanded copy of it sits on disk.
#[test]
fn a_refused_pack_is_not_cached() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let pack = dir.path().join("pack.yaml");
    let phrase = "lol ".repeat(2000);
    let uses = vec!["*u"; 10_000].join(", ");
    for yaml in [
        "pack: t\nrules:\n  - id: a\n    find: x\n".to_string(),
        format!("pack: t\nrules:\n  - id: lol\n    find: lol\n    replace: LOL\n    why: &u \"{phrase}\"\n    unless: [{uses}]\n"),
    ] {
        fs::write(&pack, &yaml).unwrap();
        for _ in 0..2 {
            copydesk(&cache, &pack).write_stdin("x").assert().code(2);
        }
        assert_eq!(entries(&cache, "pack-"), Vec::<std::path::PathBuf>::new());
        assert_eq!(entries(&cache, "set-").len(), 0);
    }
    fs::write(&pack, PACK).unwrap();
    copydesk(&cache, &pack).write_stdin("x").assert().success();
    assert_eq!(entries(&cache, "pack-").len(), 1);
}
