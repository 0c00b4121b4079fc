//! Any text as a `.copydesk.yaml`: the parser answers with a config or one
//! bounded, one-line error naming the file, never a panic or a hang
//! (aliases are counted against the config's YAML budget). A config that
//! parses layers over the defaults without error (its `set:` values were
//! checked while parsing), its rule paths come out normalised, and its
//! `exclude` always wins over `include`.

#![no_main]

use std::path::{Component, Path};

use copydesk::config::{Config, Effective, Overrides};
use libfuzzer_sys::{fuzz_target, Corpus};

/// Where the config is said to be: messages start with it, rule paths are
/// resolved against its folder and globs anchored at `DIR`.
const FILE: &str = "site/.copydesk.yaml";
const DIR: &str = "/site";

/// The longest error a config may give, in characters: the file and its
/// place, and a message the loader cuts to 400 characters (escapes of
/// control characters in a quoted value may lengthen it a little).
const MAX_ERROR_CHARS: usize = 600;

/// Paths a directory walk might meet below the config's folder.
const FILES: &[&str] = &[
    "/site/a.md",
    "/site/news/a.md",
    "/site/news/deep/b.txt",
    "/site/drafts/c.markdown",
    "/site/top.txt",
    "/site/.hidden/x.md",
    "/site/x.html",
    "/elsewhere/a.md",
];

fuzz_target!(|data: &[u8]| -> Corpus {
    let Ok(text) = std::str::from_utf8(data) else {
        return Corpus::Reject;
    };
    let config = match Config::parse(Path::new(FILE), Path::new(DIR), text) {
        Ok(c) => c,
        Err(e) => {
            check_error(&e.to_string());
            return Corpus::Keep;
        }
    };
    // Every `set:` value was checked while parsing, so layering cannot
    // fail; and within the config's layer `enable` wins over `disable`.
    let effective = Effective::resolve(Some(&config), &Overrides::default())
        .unwrap_or_else(|e| panic!("a parsed config failed to resolve: {e}"));
    for id in &config.enable {
        assert!(!effective.disabled.contains(id), "{id} enabled yet disabled");
    }
    for id in &config.disable {
        assert!(
            effective.disabled.contains(id) || config.enable.contains(id),
            "{id} neither disabled nor enabled"
        );
    }
    // Flags win over the config.
    let cli = Overrides {
        no_default_rules: true,
        enable: config.disable.clone(),
        ..Overrides::default()
    };
    let flagged = Effective::resolve(Some(&config), &cli).expect("flags layer");
    assert!(flagged.default_packs.is_empty() && flagged.disabled.is_empty());
    // Rule paths are joined to the config's folder and normalised: no `.`,
    // and `..` only at the start.
    for rule in &config.rules {
        let mut normal = false;
        for c in rule.components() {
            match c {
                Component::CurDir => {
                    assert_eq!(rule, Path::new("."), "{rule:?} keeps a `.`")
                }
                Component::ParentDir => assert!(!normal, "{rule:?} keeps an inner `..`"),
                _ => normal = true,
            }
        }
    }
    // Selection never panics, and what `exclude` matches is never picked.
    for file in FILES {
        let file = Path::new(file);
        let selected = config.selects(file);
        if let Some(exclude) = &config.exclude {
            let rel = file.strip_prefix(DIR).unwrap_or(file);
            if exclude.matches(rel) {
                assert!(!selected, "{file:?} is excluded yet selected");
            }
        }
    }
    Corpus::Keep
});

/// A config error is one line, names the file, escapes anything a
/// terminal would act on, and quotes no more than a bounded part of it.
fn check_error(line: &str) {
    assert!(line.starts_with(FILE), "{line}");
    assert!(
        line.chars().count() <= MAX_ERROR_CHARS,
        "{} characters: {line}",
        line.chars().count()
    );
    assert!(
        !line.chars().any(|c| c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
        "unescaped character in {line:?}"
    );
}
