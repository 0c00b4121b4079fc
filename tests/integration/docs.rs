//! The manual keeps up with the code: the command reference is what clap
//! prints, every flag the manual names exists, every flag exists in the
//! manual, and every link inside the README and the manual leads somewhere.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every Markdown page under docs/.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    let mut dirs = vec![root().join("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    pages
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn name(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().display().to_string()
}

#[test]
fn command_reference_is_what_the_cli_prints() {
    let out = Command::cargo_bin("copydesk")
        .unwrap()
        .args(["man", "--markdown"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let path = root().join("docs/commands.md");
    if std::env::var_os("COPYDESK_BLESS").is_some() {
        std::fs::write(&path, &printed).unwrap();
    }
    assert!(
        read(&path) == printed,
        "docs/commands.md differs from `copydesk man --markdown`; \
         rerun with COPYDESK_BLESS=1 to regenerate it"
    );
}

/// The long flags of a text: `--word` tokens.
fn flags(text: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r"(?:^|[^\w-])(--[a-z][a-z0-9-]*[a-z0-9])").unwrap();
    re.captures_iter(text).map(|c| c[1].to_string()).collect()
}

/// The long flags copydesk accepts, from the generated reference.
fn cli_flags() -> BTreeSet<String> {
    let mut all = flags(&read(&root().join("docs/commands.md")));
    // clap's own, not listed per command.
    all.extend(["--help".to_string(), "--version".to_string()]);
    all
}

/// The copydesk commands of a line of shell: each segment between pipes,
/// `&&`, `;` and before a `#` comment whose command is copydesk.
fn copydesk_commands(line: &str) -> Vec<&str> {
    let line = line.split(" #").next().unwrap_or_default();
    line.split(['|', ';', '&', '(', ')'])
        .map(|segment| segment.trim().trim_start_matches("$ "))
        .filter(|segment| segment.split_whitespace().next() == Some("copydesk"))
        .collect()
}

/// The code a page shows for copydesk: copydesk command lines in code
/// spans and code blocks, and code spans that are flags.
fn copydesk_code(text: &str) -> String {
    let mut code = String::new();
    let mut in_block = false;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_block = true,
            Event::End(TagEnd::CodeBlock) => in_block = false,
            Event::Text(t) if in_block => {
                for command in t.lines().flat_map(copydesk_commands) {
                    code.push_str(command);
                    code.push('\n');
                }
            }
            Event::Code(t) if t.starts_with("--") => {
                code.push_str(&t);
                code.push('\n');
            }
            Event::Code(t) => {
                for command in copydesk_commands(&t) {
                    code.push_str(command);
                    code.push('\n');
                }
            }
            _ => {}
        }
    }
    code
}

#[test]
fn every_flag_the_manual_names_exists() {
    let known = cli_flags();
    let mut unknown = Vec::new();
    for page in pages() {
        if page.ends_with("docs/commands.md") {
            continue;
        }
        for flag in flags(&copydesk_code(&read(&page))) {
            if !known.contains(&flag) {
                unknown.push(format!("{}: {flag}", name(&page)));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "flags the manual shows but copydesk does not accept: {unknown:#?}"
    );
}

#[test]
fn every_flag_is_explained_in_the_manual() {
    let mut explained = BTreeSet::new();
    for page in pages() {
        if !page.ends_with("docs/commands.md") {
            explained.extend(flags(&read(&page)));
        }
    }
    let missing: Vec<_> = cli_flags().difference(&explained).cloned().collect();
    assert!(
        missing.is_empty(),
        "flags in `--help` that no page of the manual explains: {missing:?}"
    );
}

/// A heading's anchor as mdBook (and, for these pages, GitHub) makes it.
fn anchor(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The anchors of a page's headings, duplicates numbered as mdBook does.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = BTreeSet::new();
    let mut heading: Option<String> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                let id = anchor(&heading.take().unwrap_or_default());
                let n = seen.entry(id.clone()).or_default();
                out.insert(if *n == 0 {
                    id.clone()
                } else {
                    format!("{id}-{n}")
                });
                *n += 1;
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_link_in_the_readme_and_the_manual_leads_somewhere() {
    let mut broken = Vec::new();
    for page in pages() {
        let text = read(&page);
        let own = anchors(&text);
        for event in Parser::new(&text) {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            let dest = dest_url.to_string();
            if dest.contains("://") || dest.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = match dest.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (dest.as_str(), None),
            };
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            if !target.exists() {
                broken.push(format!("{}: {dest}: no such file", name(&page)));
                continue;
            }
            if let Some(fragment) = fragment {
                let found = if file.is_empty() {
                    own.contains(fragment)
                } else if target.extension().is_some_and(|e| e == "md") {
                    anchors(&read(&target)).contains(fragment)
                } else {
                    true
                };
                if !found {
                    broken.push(format!("{}: {dest}: no such heading", name(&page)));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

#[test]
fn every_page_of_the_manual_is_in_its_table_of_contents() {
    let summary = read(&root().join("docs/SUMMARY.md"));
    let listed: BTreeSet<String> = Parser::new(&summary)
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect();
    let docs = root().join("docs");
    let missing: Vec<_> = pages()
        .into_iter()
        .filter(|p| p.starts_with(&docs) && !p.ends_with("SUMMARY.md"))
        .map(|p| p.strip_prefix(&docs).unwrap().display().to_string())
        .filter(|p| !listed.contains(p))
        .collect();
    assert!(
        missing.is_empty(),
        "pages not in docs/SUMMARY.md: {missing:?}"
    );
}

#[test]
fn the_readme_stays_one_page() {
    let readme = read(&root().join("README.md"));
    assert!(
        readme.len() <= 20 * 1024,
        "README.md is {} bytes; the reference belongs in docs/",
        readme.len()
    );
    let top_level = Parser::new(&readme)
        .filter(|e| {
            matches!(
                e,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                })
            )
        })
        .count();
    assert_eq!(top_level, 1, "one title");
}

#[test]
fn the_manual_states_what_holds_now() {
    // History (commits measured against, what changed since when) belongs
    // in CHANGELOG.md and bench/results/, not in the README or the manual.
    let history =
        regex::Regex::new(r"(?i)\bthis round\b|\brounds ago\b|\bcommit `?[0-9a-f]{7,40}\b")
            .unwrap();
    let mut found = Vec::new();
    for page in pages() {
        for (n, line) in read(&page).lines().enumerate() {
            if let Some(m) = history.find(line) {
                found.push(format!("{}:{}: {}", name(&page), n + 1, m.as_str()));
            }
        }
    }
    assert!(found.is_empty(), "history in the docs: {found:#?}");
}

#[test]
fn the_default_packs_table_counts_each_packs_rules() {
    let row =
        regex::Regex::new(r"\| \[`([a-z-]+)`\]\(\.\./rules/[a-z-]+\.yaml\) \| (\d+) \|").unwrap();
    let table = read(&root().join("docs/rules.md"));
    let mut seen = 0;
    for c in row.captures_iter(&table) {
        let pack = read(&root().join(format!("rules/{}.yaml", &c[1])));
        let rules = pack.lines().filter(|l| l.starts_with("  - id:")).count();
        assert_eq!(c[2].parse::<usize>().unwrap(), rules, "pack {}", &c[1]);
        seen += 1;
    }
    assert!(seen >= 5, "the table lists the default packs");
}
