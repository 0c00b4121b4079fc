//! `.copydesk.yaml`: per-directory configuration, found the way typos and
//! ruff find theirs.
//!
//! An editorial repository keeps its house choices next to its articles:
//! which default packs to load, its own rule files, rules switched off, pass
//! options, and which files a directory walk picks up. For each input file
//! the nearest `.copydesk.yaml` in its directory or above wins (no merging);
//! `--config FILE` names one for every input and `--isolated` ignores them
//! all. Command-line flags then apply on top: defaults < config < flags.
//!
//! A discovered file owned by another user (not root) is ignored with a
//! warning unless `COPYDESK_SAFE_DIRECTORIES` allows its directory, as
//! git's `safe.directory` does: a shared parent folder must not choose the
//! rules that rewrite someone's files.
//!
//! The file is parsed with serde's `deny_unknown_fields`, so a misspelt key
//! is an error naming the file, line and column, never silently ignored.
//! Pack names, option values and globs are checked while parsing, so their
//! errors are placed too.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::locale::ProfilePatch;

use crate::error::{snippet, Error, ErrorKind, Excerpt};
use crate::pipeline::Options;
use crate::registry::Registry;
use crate::rules::builtin;
use crate::rules::load::{may_show, read_regular_file, yaml, yaml_message, Loader};
use crate::rules::RuleSet;
use crate::settings::Settings;

/// What a file given as a config is told when it is not YAML at all.
const NOT_A_CONFIG: &str =
    "not a copydesk config: expected a mapping of settings such as `rules:` or `disable:`";

/// The top-level keys of a config.
const CONFIG_KEYS: &[&str] = &[
    "default-packs",
    "rules",
    "enable",
    "disable",
    "set",
    "include",
    "exclude",
    "lang",
    "languages",
];

/// Largest config file accepted, in bytes: a config is a few lines, so
/// anything near this is a mistake or an attack, refused before parsing.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;

/// What a config may expand to through YAML aliases (each use counted):
/// no more than a config of [`MAX_CONFIG_BYTES`] written out in full.
pub const CONFIG_BUDGET: yaml::Budget = yaml::Budget {
    nodes: 1_000_000,
    text: MAX_CONFIG_BYTES,
};

/// The name of the file looked for in each directory.
pub const FILE_NAME: &str = ".copydesk.yaml";

/// What a directory walk picks up when the config says nothing.
pub const DEFAULT_INCLUDE: &[&str] = &["*.md", "*.markdown", "*.txt"];

/// The names of the default packs, in priority order.
pub fn builtin_pack_names() -> Vec<&'static str> {
    builtin::PACKS
        .iter()
        .map(|(file, _)| file.strip_suffix(".yaml").unwrap_or(file))
        .collect()
}

/// Which default packs to load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackChoice {
    /// Every default pack (the default).
    All,
    /// None of them.
    None,
    /// These, by name (each checked against the default packs).
    Only(Vec<String>),
}

impl<'de> Deserialize<'de> for PackChoice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PackChoice, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PackChoice;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`all`, `none`, or a list of default pack names")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<PackChoice, E> {
                match s {
                    "all" => Ok(PackChoice::All),
                    "none" => Ok(PackChoice::None),
                    _ => Err(E::custom(format!(
                        "expected `all`, `none`, or a list of default pack names, not `{}`",
                        snippet(s)
                    ))),
                }
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PackChoice, A::Error> {
                let known = builtin_pack_names();
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    if !known.contains(&name.as_str()) {
                        return Err(de::Error::custom(format!(
                            "unknown default pack `{}` (known: {})",
                            snippet(&name),
                            known.join(", ")
                        )));
                    }
                    names.push(name);
                }
                Ok(PackChoice::Only(names))
            }
        }
        d.deserialize_any(V)
    }
}

/// Pass options from a `set:` mapping, each checked by
/// [`Settings::set`] as it is read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetList(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for SetList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SetList, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SetList;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of option names to values")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SetList, A::Error> {
                let mut out = Vec::new();
                let mut check = Settings::default();
                while let Some(key) = map.next_key_seed(OptionName)? {
                    // Checked as it is read, so that an error is placed at
                    // the value.
                    let value = map.next_value_seed(Checked {
                        key: &key,
                        check: &mut check,
                    })?;
                    out.push((key, value));
                }
                Ok(SetList(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// The name of an option in a `set:` mapping, checked as it is read so
/// that an unknown one is placed at the key.
struct OptionName;

impl<'de> de::DeserializeSeed<'de> for OptionName {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        let key = String::deserialize(d)?;
        if Settings::knows(&key) {
            return Ok(key);
        }
        let msg = Settings::default()
            .set(&snippet(&key), "")
            .err()
            .unwrap_or_default();
        Err(de::Error::custom(msg))
    }
}

/// One value of a `set:` mapping, checked for its option as it is read.
struct Checked<'a> {
    key: &'a str,
    check: &'a mut Settings,
}

impl Checked<'_> {
    fn accept<E: de::Error>(self, value: String) -> Result<String, E> {
        if self.check.set(self.key, &value).is_ok() {
            return Ok(value);
        }
        // The message quotes key and value as given; a valid pair never
        // needs escaping or cutting, so the escaped pair fails the same
        // way, safely quoted.
        let msg = Settings::default()
            .set(&snippet(self.key), &snippet(&value))
            .err()
            .unwrap_or_else(|| format!("option `{}`: invalid", snippet(self.key)));
        Err(E::custom(msg))
    }

    fn not_single<E: de::Error>(&self) -> E {
        E::custom(format!(
            "option `{}` takes a single value",
            snippet(self.key)
        ))
    }
}

impl<'de> de::DeserializeSeed<'de> for Checked<'_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a single value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        self.accept(v.to_string())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        self.accept(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        self.accept(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        self.accept(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        self.accept(serde_yaml::Number::from(v).to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Err(self.not_single())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.not_single())
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.not_single())
    }
}

/// Compiled `include` or `exclude` globs.
///
/// A glob without `/` matches a file or directory name at any depth
/// (`*.md`, `drafts`); one with `/` is anchored at the config file's
/// directory (`news/*.md`, `/archive`). `*` never crosses `/`, `**` does.
/// A path matches if it, or any directory above it, matches.
#[derive(Clone, Debug)]
pub struct Globs {
    /// The globs as written.
    pub patterns: Vec<String>,
    set: GlobSet,
}

impl Globs {
    /// Compiles `patterns`, or names the first bad one.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Globs, String> {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            let p = p.as_ref();
            let body = p.trim_end_matches('/');
            let anchored = body.starts_with('/') || body.contains('/');
            let body = body.trim_start_matches('/');
            let full = if anchored {
                body.to_string()
            } else {
                format!("**/{body}")
            };
            let glob = GlobBuilder::new(&full)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("bad glob `{}`: {}", snippet(p), e.kind()))?;
            b.add(glob);
        }
        let set = b.build().map_err(|e| format!("bad glob: {e}"))?;
        Ok(Globs {
            patterns: patterns.iter().map(|p| p.as_ref().to_string()).collect(),
            set,
        })
    }

    /// Returns true if `rel` (relative to the config's directory) or a
    /// directory above it matches.
    pub fn matches(&self, rel: &Path) -> bool {
        rel.ancestors()
            .filter(|a| !a.as_os_str().is_empty())
            .any(|a| self.set.is_match(a))
    }
}

impl<'de> Deserialize<'de> for Globs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Globs, D::Error> {
        let patterns = Vec::<String>::deserialize(d)?;
        Globs::new(&patterns).map_err(de::Error::custom)
    }
}

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    default_packs: Option<PackChoice>,
    #[serde(default)]
    rules: Vec<PathBuf>,
    #[serde(default)]
    enable: Vec<String>,
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    set: SetList,
    #[serde(default)]
    include: Option<Globs>,
    #[serde(default)]
    exclude: Option<Globs>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    languages: BTreeMap<String, ProfilePatch>,
}

/// A loaded `.copydesk.yaml`.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file, as shown in messages (relative to the working directory
    /// when it is below it).
    pub path: PathBuf,
    /// Its directory, absolute: globs are matched below it.
    pub dir: PathBuf,
    /// `default-packs`, when given.
    pub default_packs: Option<PackChoice>,
    /// `rules`, resolved against the config file's directory.
    pub rules: Vec<PathBuf>,
    /// `enable`: rule ids switched back on (wins over `disable`).
    pub enable: Vec<String>,
    /// `disable`: rule ids switched off.
    pub disable: Vec<String>,
    /// `set`: pass options, already checked.
    pub set: Vec<(String, String)>,
    /// `include`: what a directory walk picks up, when given.
    pub include: Option<Globs>,
    /// `exclude`: what a directory walk skips, when given.
    pub exclude: Option<Globs>,
    /// `lang`: the language of every document, instead of detecting it.
    pub lang: Option<String>,
    /// `languages`: typography profile fields by language code.
    pub languages: BTreeMap<String, ProfilePatch>,
    /// The line and column of each id in `disable` and `enable`, for
    /// messages about unknown ids.
    pub id_places: HashMap<String, (usize, usize)>,
    /// The excerpt of the line of each id in `id_places`, for those
    /// messages.
    pub id_excerpts: HashMap<String, Box<Excerpt>>,
}

impl Config {
    /// Reads and parses the config file at `path`: a regular file of at
    /// most [`MAX_CONFIG_BYTES`] (a FIFO or a device is refused without
    /// being read).
    pub fn load(path: &Path) -> Result<Config, Error> {
        let shown = shown_path(path);
        let text = read_regular_file(path, MAX_CONFIG_BYTES, "config file").map_err(|e| Error {
            path: shown.clone(),
            ..e
        })?;
        let dir = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .unwrap_or(Path::new("."));
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        Config::parse(&shown, &dir, &text)
    }

    /// Parses config `text`; `path` names it in messages and resolves rule
    /// files, `dir` is where its globs are anchored.
    pub fn parse(path: &Path, dir: &Path, text: &str) -> Result<Config, Error> {
        let raw: RawConfig =
            match yaml::from_str::<Option<RawConfig>>(text, CONFIG_BUDGET, "config file") {
                Ok(raw) => raw.unwrap_or_default(),
                Err(e) => {
                    let problem = yaml_message(&e, text, NOT_A_CONFIG);
                    let show = problem
                        .location
                        .is_some_and(|(line, _)| may_show(&problem, text, line, CONFIG_KEYS));
                    let mut err = Error::new(ErrorKind::Syntax, path, problem.message)
                        .at(problem.location)
                        .help(problem.help);
                    if show {
                        err = err.excerpt_of(text, problem.width);
                    }
                    return Err(err);
                }
            };
        let base = path.parent().unwrap_or(Path::new(""));
        let id_places = id_places(text, raw.disable.iter().chain(&raw.enable));
        let languages = profile_codes(text, path, raw.languages)?;
        let lang = match &raw.lang {
            Some(given) => Some(
                crate::locale::language_code(given, languages.keys()).map_err(|m| {
                    Error::new(ErrorKind::Syntax, path, format!("lang: {m}"))
                        .at(top_value_place(text, "lang"))
                })?,
            ),
            None => None,
        };
        // The file read as a config: its lines may be shown.
        let id_excerpts = id_places
            .iter()
            .filter_map(|(id, &(line, column))| {
                let excerpt = Excerpt::of(text, line, column, Some(id.chars().count()))?;
                Some((id.clone(), Box::new(excerpt)))
            })
            .collect();
        Ok(Config {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            default_packs: raw.default_packs,
            rules: raw.rules.iter().map(|r| normalize(&base.join(r))).collect(),
            enable: raw.enable,
            disable: raw.disable,
            set: raw.set.0,
            include: raw.include,
            exclude: raw.exclude,
            lang,
            languages,
            id_places,
            id_excerpts,
        })
    }

    /// Returns true if a directory walk picks up `file` (absolute): it
    /// matches `include` (or the default include) and not `exclude`.
    pub fn selects(&self, file: &Path) -> bool {
        let rel = file.strip_prefix(&self.dir).unwrap_or(file);
        let included = match &self.include {
            Some(g) => g.matches(rel),
            None => default_include().matches(rel),
        };
        included && !self.exclude.as_ref().is_some_and(|g| g.matches(rel))
    }

    /// Returns true if `file` (absolute) matches `exclude`: what
    /// `--force-exclude` skips even when the file is named.
    pub fn excludes(&self, file: &Path) -> bool {
        let rel = file.strip_prefix(&self.dir).unwrap_or(file);
        self.exclude.as_ref().is_some_and(|g| g.matches(rel))
    }

    /// The `include` globs in force, as written.
    pub fn include_patterns(&self) -> Vec<String> {
        match &self.include {
            Some(g) => g.patterns.clone(),
            None => DEFAULT_INCLUDE.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// The `languages:` profiles keyed by the codes the text's languages are
/// known by: an ISO 639 code as its shortest form (`deu` → `de`), `default`
/// and private-use codes (`x-house`) as written. Any other key is an error
/// at its line: a profile under a misspelt code would silently apply to
/// nothing.
fn profile_codes(
    text: &str,
    path: &Path,
    given: BTreeMap<String, ProfilePatch>,
) -> Result<BTreeMap<String, ProfilePatch>, Error> {
    let mut out = BTreeMap::new();
    for (key, patch) in given {
        let code = if key == "default" || key.starts_with("x-") {
            key
        } else {
            crate::locale::language_code(&key, std::iter::empty()).map_err(|m| {
                Error::new(ErrorKind::Syntax, path, format!("languages: {m}"))
                    .at(nested_key_place(text, "languages", &key))
                    .help(Some(
                        "a profile of your own takes a private-use code such as `x-house`"
                            .to_string(),
                    ))
            })?
        };
        out.insert(code, patch);
    }
    Ok(out)
}

/// Where `key` first appears as a key under the top-level `parent:` of
/// config `text` (1-based line and column).
fn nested_key_place(text: &str, parent: &str, key: &str) -> Option<Place> {
    let mut inside = false;
    for (n, line) in text.lines().enumerate() {
        if !line.starts_with([' ', '\t', '#']) && !line.trim().is_empty() {
            inside = line
                .strip_prefix(parent)
                .is_some_and(|r| r.starts_with(':'));
            continue;
        }
        let trimmed = line.trim_start();
        let unquoted = trimmed.trim_start_matches(['"', '\'']);
        if inside && unquoted.starts_with(key) {
            return Some((
                n + 1,
                line[..line.len() - trimmed.len()].chars().count() + 1,
            ));
        }
    }
    None
}

/// The line and column of the value of the top-level `key` in `text`.
fn top_value_place(text: &str, key: &str) -> Option<Place> {
    text.lines().enumerate().find_map(|(n, line)| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let value = rest.len() - rest.trim_start().len();
        Some((n + 1, line[..key.len() + 1 + value].chars().count() + 1))
    })
}

/// Where each of `ids` first appears under a top-level `disable:` or
/// `enable:` key of config `text` (1-based line and column), found in the
/// text as the rule packs' ids are: the parser keeps no positions.
fn id_places<'a>(
    text: &str,
    ids: impl Iterator<Item = &'a String>,
) -> HashMap<String, (usize, usize)> {
    // The lines of the two lists: from the key to the next top-level key.
    let mut lines: Vec<(usize, &str, usize)> = Vec::new();
    let mut inside = false;
    for (n, line) in text.lines().enumerate() {
        let top = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if top {
            inside = line.starts_with("disable:") || line.starts_with("enable:");
        }
        if inside {
            let from = if top {
                line.find(':').map_or(0, |i| i + 1)
            } else {
                0
            };
            lines.push((n + 1, line, from));
        }
    }
    let is_id = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut places = HashMap::new();
    for id in ids {
        if id.is_empty() || places.contains_key(id) {
            continue;
        }
        let found = lines.iter().find_map(|(n, line, from)| {
            line.match_indices(id.as_str())
                .filter(|(i, _)| *i >= *from)
                .find(|(i, _)| {
                    let before = line[..*i].chars().next_back();
                    let after = line[i + id.len()..].chars().next();
                    !before.is_some_and(is_id) && !after.is_some_and(is_id)
                })
                .map(|(i, _)| (*n, line[..i].chars().count() + 1))
        });
        if let Some(place) = found {
            places.insert(id.clone(), place);
        }
    }
    places
}

/// Returns true if a directory walk without a config picks up `file`.
pub fn default_selects(file: &Path) -> bool {
    default_include().matches(Path::new(file.file_name().unwrap_or_default()))
}

fn default_include() -> &'static Globs {
    static G: std::sync::LazyLock<Globs> =
        std::sync::LazyLock::new(|| Globs::new(DEFAULT_INCLUDE).expect("default globs compile"));
    &G
}

/// Removes `.` and resolves `..` against the components before it, without
/// touching the file system (`site/news/../house.yaml` is `site/house.yaml`).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                match last {
                    Some(Component::Normal(_)) => {
                        out.pop();
                    }
                    Some(Component::RootDir) => {}
                    _ => out.push(".."),
                }
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// `path` relative to the working directory when it is below it.
fn shown_path(path: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return path.to_path_buf();
    };
    match path.strip_prefix(&cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

/// Finds the config that applies to each directory, loading each file once.
#[derive(Debug)]
pub struct Resolver {
    mode: Mode,
    /// Canonical directory → the config file that governs it.
    found: HashMap<PathBuf, Option<PathBuf>>,
    /// Config file → the loaded config or why it failed.
    loaded: HashMap<PathBuf, Result<Arc<Config>, Error>>,
    /// Who may own a discovered config, and where anyone may.
    trust: Trust,
}

#[derive(Debug)]
enum Mode {
    Isolated,
    Explicit(Result<Arc<Config>, Error>),
    Discover,
}

impl Resolver {
    /// `explicit` is `--config FILE`; `isolated` ignores every config file.
    pub fn new(explicit: Option<&Path>, isolated: bool) -> Resolver {
        let mode = match (explicit, isolated) {
            (_, true) => Mode::Isolated,
            (Some(p), false) => Mode::Explicit(Config::load(p).map(Arc::new)),
            (None, false) => Mode::Discover,
        };
        Resolver {
            mode,
            found: HashMap::new(),
            loaded: HashMap::new(),
            trust: Trust::from_env(),
        }
    }

    /// The config for a file at `path` (whose directory is searched).
    pub fn for_file(&mut self, path: &Path) -> Result<Option<Arc<Config>>, Error> {
        match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => self.for_dir(p),
            _ => self.for_dir(Path::new(".")),
        }
    }

    /// The config for files in `dir`: the nearest `.copydesk.yaml` in it or
    /// above it.
    pub fn for_dir(&mut self, dir: &Path) -> Result<Option<Arc<Config>>, Error> {
        match &self.mode {
            Mode::Isolated => return Ok(None),
            Mode::Explicit(c) => return c.clone().map(Some),
            Mode::Discover => {}
        }
        let Ok(start) = std::fs::canonicalize(dir) else {
            return Ok(None);
        };
        let Some(file) = self.discover(&start) else {
            return Ok(None);
        };
        self.loaded
            .entry(file.clone())
            .or_insert_with(|| Config::load(&file).map(Arc::new))
            .clone()
            .map(Some)
    }

    /// Walks up from `start` (canonical) to the first directory holding a
    /// config file, remembering the answer for every directory passed.
    fn discover(&mut self, start: &Path) -> Option<PathBuf> {
        let mut passed = Vec::new();
        let mut cur = Some(start);
        let hit = loop {
            let Some(dir) = cur else { break None };
            if let Some(known) = self.found.get(dir) {
                break known.clone();
            }
            passed.push(dir.to_path_buf());
            let candidate = dir.join(FILE_NAME);
            // Anything but a directory counts, so a FIFO or a device put
            // there is refused when loaded instead of silently skipped.
            if std::fs::metadata(&candidate).is_ok_and(|m| !m.is_dir()) {
                match self.foreign_owner(dir, &candidate) {
                    None => break Some(candidate),
                    Some(uid) => warn_ignored(&candidate, uid),
                }
            }
            cur = dir.parent();
        };
        for dir in passed {
            self.found.insert(dir, hit.clone());
        }
        hit
    }
}

/// The environment variable listing directories whose `.copydesk.yaml` is
/// honoured whoever owns it, separated like `PATH` (`:`): `DIR` allows
/// the config in DIR, `DIR/*` the configs in DIR and every directory
/// below it, `*` every directory. As git's `safe.directory`: by default a
/// discovered config owned by another user (not root) is ignored, because
/// whoever can write a parent folder (`/tmp`, a shared checkout) could
/// otherwise choose the rules that rewrite your files.
///
/// An environment variable rather than a setting in a config file: the
/// allow-list must come from the user running copydesk, never from a file
/// it is deciding whether to trust, and it reaches hooks and CI jobs the
/// way `COPYDESK_CACHE_DIR` does.
pub const SAFE_DIRECTORIES_VAR: &str = "COPYDESK_SAFE_DIRECTORIES";

/// Which discovered configs are honoured whoever owns them, and whose
/// configs are honoured anywhere.
#[derive(Debug, Default)]
struct Trust {
    /// Owners always trusted besides root: the effective user and, when
    /// running as root through `sudo`, the user who ran it.
    owners: Vec<u32>,
    /// Every directory is allowed (`*`).
    all: bool,
    /// Allowed directories, canonical where they exist; `true` when the
    /// directories below are allowed too (`DIR/*`).
    dirs: Vec<(PathBuf, bool)>,
}

impl Trust {
    /// The trust this process runs with: its users, and
    /// [`SAFE_DIRECTORIES_VAR`].
    fn from_env() -> Trust {
        let mut trust = Trust::parse(std::env::var_os(SAFE_DIRECTORIES_VAR).as_deref());
        trust.owners = trusted_owners(std::env::var("SUDO_UID").ok().as_deref());
        trust
    }

    /// The allow-list in `value` (see [`SAFE_DIRECTORIES_VAR`]).
    fn parse(value: Option<&std::ffi::OsStr>) -> Trust {
        let mut trust = Trust::default();
        for entry in value.into_iter().flat_map(std::env::split_paths) {
            if entry.as_os_str() == "*" {
                trust.all = true;
                continue;
            }
            let (dir, below) = match entry.to_str().and_then(|e| e.strip_suffix("/*")) {
                Some(dir) => (PathBuf::from(if dir.is_empty() { "/" } else { dir }), true),
                None => (entry, false),
            };
            if !dir.as_os_str().is_empty() {
                let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
                trust.dirs.push((dir, below));
            }
        }
        trust
    }

    /// Returns true if the list allows a config in `dir` (canonical).
    fn allows(&self, dir: &Path) -> bool {
        self.all
            || self
                .dirs
                .iter()
                .any(|(d, below)| d == dir || (*below && dir.starts_with(d)))
    }
}

/// Owners whose configs are trusted besides root: the effective user and,
/// when that is root and `sudo_uid` (`SUDO_UID`) names a user, that user,
/// as git does: `sudo copydesk clean --write` in your own checkout still
/// honours your config.
#[cfg(unix)]
fn trusted_owners(sudo_uid: Option<&str>) -> Vec<u32> {
    let me = rustix::process::geteuid().as_raw();
    let mut owners = vec![me];
    if me == 0 {
        owners.extend(sudo_uid.and_then(|u| u.trim().parse::<u32>().ok()));
    }
    owners
}

#[cfg(not(unix))]
fn trusted_owners(_sudo_uid: Option<&str>) -> Vec<u32> {
    Vec::new()
}

impl Resolver {
    /// The owner of `file` (a config found in `dir`) when it is neither
    /// root nor a trusted user and `dir` is not allowed by
    /// [`SAFE_DIRECTORIES_VAR`]; such a config is ignored. A symlink is
    /// judged by its own owner and its target's.
    fn foreign_owner(&self, dir: &Path, file: &Path) -> Option<u32> {
        if self.trust.allows(dir) {
            return None;
        }
        foreign_owner(file, &self.trust.owners)
    }
}

/// The owner of `file` (or, for a symlink, of the link or its target)
/// when it is neither root nor one of `trusted`.
#[cfg(unix)]
fn foreign_owner(file: &Path, trusted: &[u32]) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    [std::fs::symlink_metadata(file), std::fs::metadata(file)]
        .into_iter()
        .flatten()
        .map(|m| m.uid())
        .find(|uid| *uid != 0 && !trusted.contains(uid))
}

#[cfg(not(unix))]
fn foreign_owner(_file: &Path, _trusted: &[u32]) -> Option<u32> {
    None
}

/// Says on stderr, in one line, that a config file is ignored and why.
///
/// Printed by the library itself so that every command that discovers
/// configs says it; each file is named once per run.
#[allow(clippy::print_stderr)]
fn warn_ignored(file: &Path, uid: u32) {
    static WARNED: std::sync::Mutex<BTreeSet<PathBuf>> = std::sync::Mutex::new(BTreeSet::new());
    let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
    if warned.insert(file.to_path_buf()) {
        eprintln!(
            "copydesk: warning: ignoring {}: owned by uid {uid}, neither you nor root \
             (name it with --config, or add its directory to {SAFE_DIRECTORIES_VAR})",
            shown_path(file).display()
        );
    }
}

/// A 1-based line and column in a file.
pub type Place = (usize, usize);

/// A rule id a config or flag names: the id, the file or flag, its line
/// and column in the file and the excerpt of that line.
pub type Named = (String, PathBuf, Option<Place>, Option<Box<Excerpt>>);

/// What the command line adds on top of a config file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--no-default-rules`.
    pub no_default_rules: bool,
    /// `--rules FILE`, loaded after the config's rule files.
    pub rules: Vec<PathBuf>,
    /// `--enable ID`.
    pub enable: Vec<String>,
    /// `--disable ID`.
    pub disable: Vec<String>,
    /// `--set KEY=VALUE`, split.
    pub set: Vec<(String, String)>,
    /// `--lang CODE`.
    pub lang: Option<String>,
}

/// The settings in force for the files governed by one config: defaults,
/// then the config, then the command line.
#[derive(Clone, Debug)]
pub struct Effective {
    /// The config file, if one applies.
    pub config: Option<PathBuf>,
    /// The default packs to load, in priority order.
    pub default_packs: Vec<String>,
    /// Rule files to load: the config's, then `--rules`.
    pub rules: Vec<PathBuf>,
    /// Rule ids switched off.
    pub disabled: BTreeSet<String>,
    /// Every rule id a `disable` or `enable` names, with where: the config
    /// file or the command-line flag. Checked against the registry once the
    /// rules are loaded ([`Effective::unknown_rules`]), and the id's line
    /// and column in the config file.
    pub named: Vec<Named>,
    /// Pass options.
    pub settings: Settings,
}

impl Effective {
    /// Layers `cli` over `config` over the defaults. Within one layer
    /// `enable` wins over `disable`; a later layer wins over an earlier one.
    pub fn resolve(config: Option<&Config>, cli: &Overrides) -> Result<Effective, String> {
        let names = builtin_pack_names();
        let default_packs = match (
            cli.no_default_rules,
            config.and_then(|c| c.default_packs.as_ref()),
        ) {
            (true, _) | (false, Some(PackChoice::None)) => Vec::new(),
            (false, None | Some(PackChoice::All)) => names.iter().map(|s| s.to_string()).collect(),
            (false, Some(PackChoice::Only(only))) => names
                .iter()
                .filter(|n| only.iter().any(|o| o == *n))
                .map(|s| s.to_string())
                .collect(),
        };
        let mut disabled = BTreeSet::new();
        let mut settings = Settings::default();
        let mut rules = Vec::new();
        let mut named = Vec::new();
        if let Some(c) = config {
            layer(&mut disabled, &c.disable, &c.enable);
            let ids = c.disable.iter().chain(&c.enable);
            named.extend(ids.map(|id| {
                let place = c.id_places.get(id).copied();
                let excerpt = c.id_excerpts.get(id).cloned();
                (id.clone(), c.path.clone(), place, excerpt)
            }));
            for (k, v) in &c.set {
                settings
                    .set(k, v)
                    .map_err(|e| format!("{}: {e}", c.path.display()))?;
            }
            rules.extend(c.rules.iter().cloned());
            settings.locale.config_lang.clone_from(&c.lang);
            settings.locale.patches.clone_from(&c.languages);
        }
        if let Some(given) = &cli.lang {
            let custom = config.into_iter().flat_map(|c| c.languages.keys());
            let code =
                crate::locale::language_code(given, custom).map_err(|m| format!("--lang: {m}"))?;
            settings.locale.lang = Some(code);
        }
        layer(&mut disabled, &cli.disable, &cli.enable);
        named.extend(
            cli.disable
                .iter()
                .map(|id| (id.clone(), "--disable".into(), None, None)),
        );
        named.extend(
            cli.enable
                .iter()
                .map(|id| (id.clone(), "--enable".into(), None, None)),
        );
        for (k, v) in &cli.set {
            settings.set(k, v).map_err(|e| format!("--set: {e}"))?;
        }
        rules.extend(cli.rules.iter().cloned());
        Ok(Effective {
            config: config.map(|c| c.path.clone()),
            default_packs,
            rules,
            disabled,
            named,
            settings,
        })
    }

    /// An error for each rule id that `disable` or `enable` names and no
    /// loaded pack, built-in pass or directive check reports: a misspelt id
    /// would otherwise switch nothing off, silently.
    pub fn unknown_rules(&self, rules: &RuleSet) -> Vec<Error> {
        let registry = Registry::new(rules);
        self.named
            .iter()
            .filter(|(id, _, _, _)| !registry.knows(id))
            .map(|(id, place, location, excerpt)| {
                let (message, help) = registry.unknown_with_help(id);
                Error {
                    excerpt: excerpt.clone(),
                    ..Error::new(ErrorKind::Rule, place, message)
                        .at(*location)
                        .help(help)
                }
            })
            .collect()
    }

    /// A loader with the packs this configuration asks for, or every
    /// rule file that cannot be read.
    pub fn loader(&self) -> Result<Loader, Vec<Error>> {
        let mut loader = Loader::new();
        for name in &self.default_packs {
            let file = format!("{name}.yaml");
            if let Some((_, text)) = builtin::PACKS.iter().find(|(f, _)| *f == file) {
                loader.add_source(Path::new("<builtin>").join(&file), *text);
            }
        }
        let mut errors = Vec::new();
        for path in &self.rules {
            if let Err(e) = loader.add_file(path) {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            Ok(loader)
        } else {
            Err(errors)
        }
    }

    /// The pipeline options this configuration gives.
    pub fn options(&self, apply_suggestions: bool) -> Options {
        Options {
            apply_suggestions,
            disabled: self.disabled.iter().cloned().collect(),
            settings: self.settings.clone(),
        }
    }
}

/// Applies one layer's `disable` and then its `enable`.
fn layer(disabled: &mut BTreeSet<String>, disable: &[String], enable: &[String]) {
    disabled.extend(disable.iter().cloned());
    for id in enable {
        disabled.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        Config::parse(Path::new("site/.copydesk.yaml"), Path::new("/site"), text)
    }

    #[test]
    fn empty_and_comment_only_files_are_defaults() {
        for t in ["", "# nothing yet\n"] {
            let c = parse(t).unwrap();
            assert_eq!(c.default_packs, None);
            assert!(c.rules.is_empty() && c.set.is_empty());
        }
    }

    #[test]
    fn keys_are_read_and_rule_paths_resolved() {
        let c = parse(
            "default-packs: [entity-names]\nrules: [house.yaml]\ndisable: [a]\nenable: [b]\nexclude: [drafts]\n",
        )
        .unwrap();
        assert_eq!(
            c.default_packs,
            Some(PackChoice::Only(vec!["entity-names".into()]))
        );
        assert_eq!(c.rules, vec![PathBuf::from("site/house.yaml")]);
        let up = parse("rules: [../up.yaml, ../../../out.yaml, ./here.yaml]\n").unwrap();
        assert_eq!(
            up.rules,
            vec![
                PathBuf::from("up.yaml"),
                PathBuf::from("../../out.yaml"),
                PathBuf::from("site/here.yaml")
            ]
        );
        assert!(c.selects(Path::new("/site/a/b.md")));
        assert!(!c.selects(Path::new("/site/drafts/b.md")));
        assert!(!c.selects(Path::new("/site/a/b.html")));
        assert_eq!(
            parse("default-packs: none\n").unwrap().default_packs,
            Some(PackChoice::None)
        );
    }

    #[test]
    fn errors_are_placed() {
        let e = parse("rules: []\ncolour: red\n").unwrap_err().to_string();
        assert!(
            e.starts_with("site/.copydesk.yaml:2:1: unknown field `colour`"),
            "{e}"
        );
        let e = parse("default-packs: [nope]\n").unwrap_err().to_string();
        assert!(e.starts_with("site/.copydesk.yaml:1:"), "{e}");
        assert!(e.contains("unknown default pack `nope`"), "{e}");
        let e = parse("default-packs: some\n").unwrap_err().to_string();
        assert!(e.contains("not `some`"), "{e}");
        let e = parse("set:\n  nope.key: x\n").unwrap_err().to_string();
        assert!(e.starts_with("site/.copydesk.yaml:2:"), "{e}");
        assert!(e.contains("unknown option `nope.key`"), "{e}");
        let e = parse("include: ['a[']\n").unwrap_err().to_string();
        assert!(e.contains("bad glob `a[`"), "{e}");
    }

    #[test]
    fn globs_anchor_with_a_slash() {
        let g = Globs::new(&["news/*.md", "/top.txt", "old"]).unwrap();
        assert!(g.matches(Path::new("news/a.md")));
        assert!(!g.matches(Path::new("x/news/a.md")));
        assert!(!g.matches(Path::new("news/deep/a.md")));
        assert!(g.matches(Path::new("top.txt")));
        assert!(!g.matches(Path::new("x/top.txt")));
        assert!(g.matches(Path::new("x/old/a.md")));
    }

    #[test]
    fn safe_directories_allow_a_directory_a_tree_or_all() {
        let t = Trust::parse(Some("/srv/one:/srv/tree/*::/nowhere".as_ref()));
        assert!(!t.all);
        assert!(t.allows(Path::new("/srv/one")));
        assert!(!t.allows(Path::new("/srv/one/below")));
        assert!(!t.allows(Path::new("/srv")));
        assert!(t.allows(Path::new("/srv/tree")));
        assert!(t.allows(Path::new("/srv/tree/a/b")));
        assert!(!t.allows(Path::new("/srv/treehouse")));
        assert!(Trust::parse(Some("/*".as_ref())).allows(Path::new("/any/dir")));
        assert!(Trust::parse(Some("/a:*".as_ref())).allows(Path::new("/b")));
        for unset in [None, Some("".as_ref())] {
            assert!(!Trust::parse(unset).allows(Path::new("/")));
        }
    }

    #[cfg(unix)]
    #[test]
    fn sudo_uid_is_trusted_only_under_root() {
        let me = rustix::process::geteuid().as_raw();
        let owners = trusted_owners(Some("4242"));
        assert_eq!(owners.contains(&4242), me == 0, "{owners:?}");
        assert_eq!(trusted_owners(Some("not a uid")), vec![me]);
        assert_eq!(trusted_owners(None), vec![me]);
    }

    #[test]
    fn layers_apply_in_order() {
        let c = parse("disable: [a, b]\nenable: [b]\ndefault-packs: none\n").unwrap();
        let cli = Overrides {
            enable: vec!["a".into()],
            disable: vec!["c".into()],
            ..Overrides::default()
        };
        let e = Effective::resolve(Some(&c), &cli).unwrap();
        assert_eq!(e.disabled.into_iter().collect::<Vec<_>>(), vec!["c"]);
        assert!(e.default_packs.is_empty());
        let e = Effective::resolve(None, &Overrides::default()).unwrap();
        assert_eq!(e.default_packs, builtin_pack_names());
    }

    #[test]
    fn language_and_profiles_from_the_config_and_the_command_line() {
        let c = parse("lang: de\nlanguages:\n  de: { dash: em-spaced }\n").unwrap();
        let e = Effective::resolve(Some(&c), &Overrides::default()).unwrap();
        assert_eq!(e.settings.locale.config_lang.as_deref(), Some("de"));
        assert_eq!(e.settings.locale.lang, None);
        assert_eq!(
            e.settings.locale.patches["de"].dash,
            Some(crate::settings::DashStyle::EmSpaced)
        );
        let cli = Overrides {
            lang: Some("fr".into()),
            ..Overrides::default()
        };
        let e = Effective::resolve(Some(&c), &cli).unwrap();
        assert_eq!(e.settings.locale.lang.as_deref(), Some("fr"));
        assert!(parse("languages:\n  de: { dashes: em }\n").is_err());
    }

    #[test]
    fn profiles_are_keyed_by_known_codes() {
        let c = parse("languages:\n  deu: { dash: em-spaced }\n  default: {}\n  x-house: {}\n")
            .unwrap();
        assert_eq!(
            c.languages.keys().collect::<Vec<_>>(),
            ["de", "default", "x-house"]
        );
        let e = parse("languages:\n  de: {}\n  fench: { dash: em }\n").unwrap_err();
        assert_eq!(e.location, Some((3, 3)));
        assert!(e
            .message
            .starts_with("languages: unknown language `fench`; did you mean `fr`?"));
    }

    #[test]
    fn an_unknown_language_is_an_error_with_its_place() {
        let e = parse("set:\n  quotes.style: curly\nlang:  fench\n").unwrap_err();
        assert_eq!(e.location, Some((3, 8)));
        assert!(e
            .message
            .starts_with("lang: unknown language `fench`; did you mean `fr`?"));
        let c = parse("lang: pt-BR\nlanguages:\n  x-house: {}\n").unwrap();
        assert_eq!(c.lang.as_deref(), Some("pt"));
        assert!(parse("lang: x-house\nlanguages:\n  x-house: {}\n").is_ok());
        let cli = |lang: &str| Overrides {
            lang: Some(lang.into()),
            ..Overrides::default()
        };
        let e = Effective::resolve(Some(&c), &cli("x-house")).unwrap();
        assert_eq!(e.settings.locale.lang.as_deref(), Some("x-house"));
        let e = Effective::resolve(None, &cli("x-house")).unwrap_err();
        assert!(e.starts_with("--lang: unknown language `x-house`"), "{e}");
    }
}
