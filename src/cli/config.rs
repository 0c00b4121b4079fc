//! `copydesk config [PATH]`: the configuration in force for a path, as
//! YAML, so "why did (or didn't) copydesk touch this file?" has an answer.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use crate::config::{self, Effective, Resolver, DEFAULT_INCLUDE};
use crate::Kind;

use super::args::{self, ConfigArgs};
use super::Status;

/// What `copydesk config` prints, in this order.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Shown {
    path: String,
    /// Files only: how the file is read.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    /// Files only: whether a directory walk picks it up (explicit file
    /// arguments are always processed).
    #[serde(skip_serializing_if = "Option::is_none")]
    included: Option<bool>,
    config: Option<String>,
    default_packs: Vec<String>,
    rules: Vec<String>,
    disable: Vec<String>,
    set: BTreeMap<&'static str, String>,
    include: Vec<String>,
    exclude: Vec<String>,
}

/// Runs `config`.
pub fn run(args: ConfigArgs) -> Result<Status> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !path.exists() {
        anyhow::bail!("{}: no such file or directory", path.display());
    }
    let overrides = args::overrides(&args.rules)?;
    let mut resolver = Resolver::new(args.rules.config.as_deref(), args.rules.isolated);
    let is_dir = path.is_dir();
    let found = if is_dir {
        resolver.for_dir(&path)
    } else {
        resolver.for_file(&path)
    };
    let config = match found {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}", e.render(super::color_stderr()));
            return Ok(Status::Error);
        }
    };
    let effective =
        Effective::resolve(config.as_deref(), &overrides).map_err(anyhow::Error::msg)?;
    let included = (!is_dir).then(|| match &config {
        Some(c) => c.selects(&std::fs::canonicalize(&path).unwrap_or(path.clone())),
        None => config::default_selects(&path),
    });
    let shown = Shown {
        path: path.display().to_string(),
        kind: (!is_dir).then(|| {
            args.kind
                .map_or_else(|| Kind::from_path(&path), Into::into)
                .as_str()
        }),
        included,
        config: effective.config.as_deref().map(display),
        default_packs: effective.default_packs.clone(),
        rules: effective.rules.iter().map(|p| display(p)).collect(),
        disable: effective.disabled.iter().cloned().collect(),
        set: effective.settings.effective().into_iter().collect(),
        include: config.as_ref().map_or_else(
            || DEFAULT_INCLUDE.iter().map(|s| s.to_string()).collect(),
            |c| c.include_patterns(),
        ),
        exclude: config
            .as_ref()
            .and_then(|c| c.exclude.as_ref())
            .map_or_else(Vec::new, |g| g.patterns.clone()),
    };
    let mut out = io::stdout().lock();
    out.write_all(serde_yaml::to_string(&shown)?.as_bytes())?;
    out.flush()?;
    Ok(Status::Clean)
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
