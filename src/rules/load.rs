//! Loading rule packs: parse, validate every rule, compile, and reject rule
//! sets that conflict or cycle.
//!
//! Every problem of every pack is collected before failing, each naming the
//! file, the line and column, and the rule id.

use std::cell::Cell;
use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{bound_quotes, bound_quotes_nth, snippet, Error, ErrorKind, Errors, Excerpt};
use crate::fold::fold_phrase;
use crate::rules::cache::{self, Cache, ParsedPack};
use crate::rules::conditions::Context;
use crate::rules::find::{pattern_edits, phrase_edits};
use crate::rules::pack::{Boundary, CaseMode, InQuotes, LevelSpec, PackFile, Protected, RuleSpec};
use crate::rules::{
    builtin, required_literals, Find, Literals, Origin, PackInfo, Pattern, RegexLimits, Rule,
    RuleSet,
};
use crate::spans::Spans;

pub mod yaml;

/// Limits that keep a hostile or broken pack from exhausting the machine.
///
/// These are the defaults of [`Limits`]. YAML nesting depth (128 levels) is
/// bounded by the YAML parser itself; what aliases expand to is bounded by
/// the node and text budgets (see [`yaml`]). Each is refused with a
/// one-line error (see `tests/integration/bad_input.rs`). Packs cannot
/// include other files or name URLs: a pack is read from exactly the paths
/// given, and nothing in the schema makes the loader open anything else.
pub mod limits {
    /// Largest pack file accepted, in bytes.
    pub const MAX_PACK_BYTES: usize = 64 << 20;
    /// Most YAML nodes of one pack, aliases counted each time they are
    /// used: room for [`MAX_RULES`] rules of a few keys each (a rule with
    /// `id`, `find` and `replace` is 7 nodes; the 58,000-rule benchmark
    /// pack is about 400,000).
    pub const MAX_YAML_NODES: usize = 16_000_000;
    /// Most bytes of YAML scalar text of one pack, aliases counted each
    /// time they are used: a pack written out without aliases under
    /// [`MAX_PACK_BYTES`] holds less.
    pub const MAX_YAML_TEXT: usize = MAX_PACK_BYTES;
    /// Most rules accepted over all packs.
    pub const MAX_RULES: usize = 1_000_000;
    /// Longest phrase or pattern, in bytes.
    pub const MAX_PATTERN_BYTES: usize = 4096;
    /// Compiled size limit of one regex, in bytes.
    pub const MAX_REGEX_SIZE: usize = crate::rules::RegexLimits::DEFAULT.size;
    /// Deepest nesting of one regex.
    pub const MAX_REGEX_NEST: u32 = crate::rules::RegexLimits::DEFAULT.nest;
}

/// The limits a [`Loader`] enforces; [`Limits::default`] takes the values
/// in [`limits`]. A program that loads packs from less trusted sources can
/// lower them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest pack, in bytes.
    pub max_pack_bytes: usize,
    /// Most rules over all packs.
    pub max_rules: usize,
    /// Longest phrase or pattern, in bytes.
    pub max_pattern_bytes: usize,
    /// Compiled size limit of one regex, in bytes.
    pub max_regex_size: usize,
    /// Deepest nesting of one regex.
    pub max_regex_nest: u32,
    /// Most YAML nodes of one pack once its aliases are expanded.
    pub max_yaml_nodes: usize,
    /// Most bytes of YAML scalar text of one pack once its aliases are
    /// expanded.
    pub max_yaml_text: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_pack_bytes: limits::MAX_PACK_BYTES,
            max_rules: limits::MAX_RULES,
            max_pattern_bytes: limits::MAX_PATTERN_BYTES,
            max_regex_size: limits::MAX_REGEX_SIZE,
            max_regex_nest: limits::MAX_REGEX_NEST,
            max_yaml_nodes: limits::MAX_YAML_NODES,
            max_yaml_text: limits::MAX_YAML_TEXT,
        }
    }
}

/// Collects pack sources, then validates and compiles them together.
#[derive(Debug, Default)]
pub struct Loader {
    sources: Vec<(PathBuf, String)>,
    limits: Limits,
    cache: Option<Cache>,
}

impl Loader {
    /// Starts with no packs.
    pub fn new() -> Loader {
        Loader::default()
    }

    /// Replaces the limits (see [`Limits`]) for every pack added.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Keeps parsed packs in `cache` (see [`crate::rules::cache`]); off by
    /// default.
    pub fn use_cache(&mut self, cache: Option<Cache>) {
        self.cache = cache;
    }

    /// Adds the default packs compiled into the binary.
    pub fn add_builtin(&mut self) {
        for (name, text) in builtin::PACKS {
            self.sources
                .push((Path::new("<builtin>").join(name), (*text).to_string()));
        }
    }

    /// Reads a pack file: it must be a regular file within the pack size
    /// limit, so a FIFO, a device or a larger file is refused without
    /// blocking or filling memory.
    pub fn add_file(&mut self, path: &Path) -> Result<(), Error> {
        let max = self.limits.max_pack_bytes;
        let text = read_regular_file(path, max, "rule pack")?;
        self.sources.push((path.to_path_buf(), text));
        Ok(())
    }

    /// Adds a pack from memory, named `path` in messages.
    pub fn add_source(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.sources.push((path.into(), text.into()));
    }

    /// Validates and compiles every pack added.
    pub fn build(self) -> Result<RuleSet, Errors> {
        let mut errors = Vec::new();
        let mut rules: Vec<Rule> = Vec::new();
        let mut packs = Vec::new();
        let mut seen: FxHashMap<Arc<str>, usize> = FxHashMap::default();
        let keys: Vec<Option<u128>> = self
            .sources
            .iter()
            .map(|(_, text)| self.cache.as_ref().map(|_| cache::hash(text)))
            .collect();
        let hashes: Vec<u128> = keys.iter().flatten().copied().collect();
        // A set that passed every check before (same packs, same version)
        // need not compile its patterns up front to validate them.
        let set_key = cache::set_key(&hashes);
        let trusted = self.cache.as_ref().is_some_and(|c| c.set_checked(set_key));
        let limits = self.limits;
        let mut pending = Vec::new();
        for ((path, text), &key) in self.sources.iter().zip(&keys) {
            if text.len() > limits.max_pack_bytes {
                errors.push(Error::new(
                    ErrorKind::Limit,
                    path,
                    format!(
                        "rule pack is over the limit of {} bytes",
                        limits.max_pack_bytes
                    ),
                ));
                continue;
            }
            let cached = match (&self.cache, key) {
                (Some(c), Some(k)) => c.get(text, k),
                _ => None,
            };
            let ParsedPack {
                file,
                places,
                literals,
            } = match cached {
                Some(p) => p,
                None => match parse(path, text, &limits) {
                    (Some(parsed), schema_errors) if schema_errors.is_empty() => {
                        // Written only once the whole set loads: a pack
                        // refused later (a bad rule, a conflict) leaves
                        // nothing in the cache.
                        if let (Some(_), Some(k)) = (&self.cache, key) {
                            pending.extend(Cache::encode(text, k, &parsed));
                        }
                        parsed
                    }
                    // The rules that fit the schema are still checked, so
                    // that every error of the file is reported at once.
                    (Some(parsed), schema_errors) => {
                        errors.extend(schema_errors);
                        parsed
                    }
                    (None, schema_errors) => {
                        errors.extend(schema_errors);
                        continue;
                    }
                },
            };
            let name: Arc<str> = Arc::from(file.pack.as_str());
            let languages: Option<Arc<[String]>> = file.languages.clone().map(Arc::from);
            packs.push(PackInfo {
                name: name.clone(),
                description: file.description.clone(),
                path: path.clone(),
                languages: languages.clone(),
            });
            for ((spec, location), literals) in file.rules.into_iter().zip(places).zip(literals) {
                if rules.len() >= limits.max_rules {
                    errors.push(Error::new(
                        ErrorKind::Limit,
                        path,
                        format!("more than {} rules loaded", limits.max_rules),
                    ));
                    return Err(Errors(errors));
                }
                let origin = Origin {
                    path: path.clone(),
                    location,
                };
                match compile(
                    spec,
                    &name,
                    &file.defaults,
                    origin,
                    literals,
                    PackText {
                        text,
                        trusted,
                        limits: &limits,
                    },
                ) {
                    Ok(mut rule) => {
                        rule.languages.clone_from(&languages);
                        if let Some(&first) = seen.get(&rule.id) {
                            let f = &rules[first].origin;
                            errors.push(
                                Error::new(
                                    ErrorKind::Conflict,
                                    path,
                                    format!("duplicate id, first defined at {}", place(f)),
                                )
                                .at(rule.origin.location)
                                .rule(&rule.id),
                            );
                            continue;
                        }
                        seen.insert(rule.id.clone(), rules.len());
                        rules.push(rule);
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
        if !errors.is_empty() {
            return Err(Errors(with_excerpts(errors, &self.sources)));
        }
        let (set, overlaps) = RuleSet::compile(rules, packs);
        // Two rules claiming the same phrase clash when both always apply
        // and they replace it differently.
        for c in overlaps {
            let (a, b) = (&set.rules[c.first], &set.rules[c.second]);
            if a.replace == b.replace || !a.requires.is_empty() || !b.requires.is_empty() {
                continue;
            }
            errors.push(
                Error::new(
                    ErrorKind::Conflict,
                    &b.origin.path,
                    format!(
                        "replaces `{}` differently from rule `{}` ({})",
                        snippet(&c.phrase),
                        a.id,
                        place(&a.origin)
                    ),
                )
                .at(b.origin.location)
                .rule(&b.id),
            );
        }
        // The whole-set checks, unless this very set passed them before.
        let checked = match &self.cache {
            Some(c) if errors.is_empty() => Some((c, set_key, trusted)),
            _ => None,
        };
        if !checked.is_some_and(|(_, _, done)| done) {
            errors.extend(cycles(&set));
        }
        if errors.is_empty() {
            if let Some(c) = &self.cache {
                for entry in &pending {
                    c.store(entry);
                }
            }
            if let Some((c, key, false)) = checked {
                c.mark_set_checked(key);
            }
            Ok(set)
        } else {
            Err(Errors(with_excerpts(errors, &self.sources)))
        }
    }
}

/// `errors` in file order, with the excerpt of the line each points into, for those about
/// a rule of a pack that read as one (a rule, a conflict, a limit); YAML
/// errors have theirs already, when they may.
fn with_excerpts(mut errors: Vec<Error>, sources: &[(PathBuf, String)]) -> Vec<Error> {
    // In file order, whichever check found them.
    errors.sort_by_key(|e| {
        let file = sources.iter().position(|(p, _)| *p == e.path);
        (file.unwrap_or(usize::MAX), e.location)
    });
    for e in &mut errors {
        if e.excerpt.is_some() || matches!(e.kind, ErrorKind::Syntax | ErrorKind::Input) {
            continue;
        }
        if let (Some((_, text)), Some((line, column))) =
            (sources.iter().find(|(p, _)| *p == e.path), e.location)
        {
            e.excerpt = Excerpt::of(text, line, column, None).map(Box::new);
        }
    }
    errors
}

/// Reads a file copydesk takes rules or settings from (`what` names it in
/// messages): a regular file of at most `max` bytes of UTF-8.
///
/// The file is opened without blocking and refused unless it is a regular
/// file, so a FIFO never waits for a writer and a device (`/dev/zero`, a
/// terminal) is never read; of a regular file at most `max + 1` bytes are
/// read, so a file growing while it is read cannot fill memory either.
pub(crate) fn read_regular_file(path: &Path, max: usize, what: &str) -> Result<String, Error> {
    let fail = |reason: String| {
        Error::new(
            ErrorKind::Input,
            path,
            format!("cannot read {what}: {reason}"),
        )
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(|e| fail(io_reason(&e)))?;
    let meta = file.metadata().map_err(|e| fail(io_reason(&e)))?;
    if meta.is_dir() {
        return Err(fail("Is a directory".into()));
    }
    if !meta.is_file() {
        return Err(fail(format!(
            "not a regular file ({})",
            crate::input::file_kind(&meta)
        )));
    }
    if meta.len() > max as u64 {
        return Err(Error::new(
            ErrorKind::Limit,
            path,
            format!("{what} is over the limit of {max} bytes"),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(io_reason(&e)))?;
    if bytes.len() > max {
        return Err(Error::new(
            ErrorKind::Limit,
            path,
            format!("{what} is over the limit of {max} bytes"),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorKind::Input,
            path,
            format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })
}

/// The OS reason without Rust's "(os error N)" suffix.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Parses a pack and finds the place of each rule's `id`. Every rule that
/// does not fit the schema is an error (see [`read_pack`]); the pack of the
/// others comes back with them, so that their own errors are found too,
/// unless the file could not be read past an error at all.
fn parse(path: &Path, text: &str, limits: &Limits) -> (Option<ParsedPack>, Vec<Error>) {
    let budget = yaml::Budget {
        nodes: limits.max_yaml_nodes,
        text: limits.max_yaml_text,
    };
    let (file, mut errors) = read_pack(path, text, budget);
    let Some(mut file) = file else {
        return (None, errors);
    };
    if let Some(given) = &file.languages {
        let at = || {
            text.lines()
                .position(|l| l.starts_with("languages:"))
                .map(|n| (n + 1, 1))
        };
        let codes =
            if given.is_empty() {
                Err("the list is empty; leave the key out for a pack that applies to every language"
                .to_string())
            } else {
                given
                    .iter()
                    .map(|g| crate::locale::language_code(g, std::iter::empty()))
                    .collect::<Result<Vec<String>, String>>()
            };
        match codes {
            Ok(codes) => file.languages = Some(codes),
            Err(m) => {
                errors
                    .push(Error::new(ErrorKind::Syntax, path, format!("languages: {m}")).at(at()));
                return (None, errors);
            }
        }
    }
    let ids = id_index(text);
    let mut occurrences: HashMap<&str, usize> = HashMap::new();
    let places = file
        .rules
        .iter()
        .map(|spec| {
            let nth = occurrences.entry(spec.id.as_str()).or_insert(0);
            let place = ids.get(spec.id.as_str()).and_then(|v| v.get(*nth)).copied();
            *nth += 1;
            place
        })
        .collect();
    let literals = file
        .rules
        .iter()
        .map(|spec| {
            let pattern = spec.pattern.as_deref().filter(|_| spec.find.is_none())?;
            required_literals(pattern, spec.case == CaseMode::Insensitive)
        })
        .collect();
    let parsed = ParsedPack {
        file,
        places,
        literals,
    };
    (Some(parsed), errors)
}

/// The most schema errors reported for one pack: each costs a parse of the
/// whole file, and a pack with more has a problem that the first ones show.
const MAX_SCHEMA_ERRORS: usize = 50;

/// Reads a pack, reporting every rule that does not fit the schema, not
/// just the first (#17): serde stops at the first error, so the file is
/// read again with that rule skipped, until it reads or an error is not
/// inside one rule (a top-level key, a YAML syntax error, a limit), which
/// ends it. Returns the pack of the rules that fit, unless an error ended
/// it, and the errors.
fn read_pack(path: &Path, text: &str, budget: yaml::Budget) -> (Option<PackFile>, Vec<Error>) {
    let mut skip = BTreeSet::new();
    let mut errors: Vec<Error> = Vec::new();
    loop {
        let at = Cell::new(None);
        let seed = PackSeed {
            skip: &skip,
            at: &at,
        };
        let e = match yaml::from_str_seed(text, budget, "rule pack", seed) {
            Ok(file) => return (Some(file), errors),
            Err(e) => e,
        };
        let err = yaml_error(path, text, &e);
        // A YAML syntax error is met again however the rules are read.
        let repeated = errors.iter().any(|old| old.location == err.location);
        if !repeated {
            errors.push(err);
        }
        let limit = e.to_string().contains("budget") || e.to_string().contains("limit exceeded");
        match at.get() {
            Some(i) if !repeated && !limit && errors.len() < MAX_SCHEMA_ERRORS => {
                skip.insert(i);
            }
            _ => return (None, errors),
        }
    }
}

/// Reads a [`PackFile`] from YAML as its derived `Deserialize` does, but
/// skips the rules numbered in `skip` and keeps in `at` the number of the
/// rule being read, so that an error is known to be inside that rule.
struct PackSeed<'a> {
    skip: &'a BTreeSet<usize>,
    at: &'a Cell<Option<usize>>,
}

/// The top-level keys of a pack.
const PACK_KEYS: &[&str] = &["pack", "description", "languages", "defaults", "rules"];

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum PackKey {
    Pack,
    Description,
    Languages,
    Defaults,
    Rules,
}

impl<'de> DeserializeSeed<'de> for PackSeed<'_> {
    type Value = PackFile;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<PackFile, D::Error> {
        d.deserialize_struct("PackFile", PACK_KEYS, self)
    }
}

impl<'de> Visitor<'de> for PackSeed<'_> {
    type Value = PackFile;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct PackFile")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PackFile, A::Error> {
        let mut pack = None;
        let mut description = None;
        let mut languages = None;
        let mut defaults = None;
        let mut rules = None;
        while let Some(key) = map.next_key::<PackKey>()? {
            match key {
                PackKey::Pack if pack.is_some() => return Err(de::Error::duplicate_field("pack")),
                PackKey::Pack => pack = Some(map.next_value()?),
                PackKey::Description if description.is_some() => {
                    return Err(de::Error::duplicate_field("description"))
                }
                PackKey::Description => description = Some(map.next_value()?),
                PackKey::Languages if languages.is_some() => {
                    return Err(de::Error::duplicate_field("languages"))
                }
                PackKey::Languages => languages = Some(map.next_value()?),
                PackKey::Defaults if defaults.is_some() => {
                    return Err(de::Error::duplicate_field("defaults"))
                }
                PackKey::Defaults => defaults = Some(map.next_value()?),
                PackKey::Rules if rules.is_some() => {
                    return Err(de::Error::duplicate_field("rules"))
                }
                PackKey::Rules => {
                    rules = Some(map.next_value_seed(RulesSeed {
                        skip: self.skip,
                        at: self.at,
                    })?)
                }
            }
        }
        Ok(PackFile {
            pack: pack.ok_or_else(|| de::Error::missing_field("pack"))?,
            description: description.unwrap_or_default(),
            languages: languages.unwrap_or_default(),
            defaults: defaults.unwrap_or_default(),
            rules: rules.unwrap_or_default(),
        })
    }
}

/// The `rules:` list of a [`PackSeed`].
struct RulesSeed<'a> {
    skip: &'a BTreeSet<usize>,
    at: &'a Cell<Option<usize>>,
}

impl<'de> DeserializeSeed<'de> for RulesSeed<'_> {
    type Value = Vec<RuleSpec>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<RuleSpec>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RulesSeed<'_> {
    type Value = Vec<RuleSpec>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<RuleSpec>, A::Error> {
        let mut rules = Vec::new();
        for i in 0.. {
            self.at.set(Some(i));
            let more = if self.skip.contains(&i) {
                seq.next_element::<de::IgnoredAny>()?.is_some()
            } else {
                match seq.next_element::<RuleSpec>()? {
                    Some(rule) => {
                        rules.push(rule);
                        true
                    }
                    None => false,
                }
            };
            if !more {
                break;
            }
        }
        self.at.set(None);
        Ok(rules)
    }
}

/// `path:line:col` of a rule, for messages.
fn place(origin: &Origin) -> String {
    origin.to_string()
}

/// What [`compile`] knows of a rule's pack: its text (to place errors),
/// whether the set passed every check before, and the limits.
#[derive(Clone, Copy)]
struct PackText<'a> {
    text: &'a str,
    trusted: bool,
    limits: &'a Limits,
}

/// Validates one rule spec and compiles it. A pattern of a `trusted` set
/// (one that passed every check before) is compiled when first needed;
/// any other is compiled, and so validated, now.
fn compile(
    spec: RuleSpec,
    pack: &Arc<str>,
    defaults: &crate::rules::pack::Defaults,
    origin: Origin,
    literals: Option<Literals>,
    pack_text: PackText<'_>,
) -> Result<Rule, Error> {
    let PackText {
        text,
        trusted,
        limits,
    } = pack_text;
    let err = |kind, msg: String| {
        Error::new(kind, &origin.path, msg)
            .at(origin.location)
            .rule(&spec.id)
    };
    if spec.id.trim().is_empty() {
        return Err(err(
            ErrorKind::Rule,
            "rule has an empty or missing `id`".into(),
        ));
    }
    if !spec
        .id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(err(
            ErrorKind::Rule,
            "id may hold only ASCII letters, digits, `-`, `_` and `.`".into(),
        ));
    }
    let level: crate::Level = spec
        .level
        .or(defaults.level)
        .unwrap_or(LevelSpec::Fix)
        .into();
    if spec.replace.is_none() && level != crate::Level::Flag {
        return Err(err(
            ErrorKind::Rule,
            format!("a `{}` rule needs `replace`", level.as_str()),
        ));
    }
    let find = match (&spec.find, &spec.pattern) {
        (Some(_), Some(_)) => {
            return Err(err(
                ErrorKind::Rule,
                "has both `find` and `pattern`; use one".into(),
            ))
        }
        (None, None) => {
            return Err(err(ErrorKind::Rule, "needs `find` or `pattern`".into()));
        }
        (Some(find), None) => {
            let phrases = find.to_vec();
            if phrases.is_empty() || phrases.iter().any(|p| p.trim().is_empty()) {
                return Err(err(ErrorKind::Rule, "`find` is empty".into()));
            }
            if let Some(p) = phrases.iter().find(|p| p.len() > limits.max_pattern_bytes) {
                return Err(err(
                    ErrorKind::Limit,
                    format!(
                        "phrase of {} bytes is over the limit of {}",
                        p.len(),
                        limits.max_pattern_bytes
                    ),
                ));
            }
            Find::Phrases {
                phrases,
                case: spec.case,
            }
        }
        (None, Some(pattern)) => {
            if pattern.len() > limits.max_pattern_bytes {
                return Err(err(
                    ErrorKind::Limit,
                    format!(
                        "pattern of {} bytes is over the limit of {}",
                        pattern.len(),
                        limits.max_pattern_bytes
                    ),
                ));
            }
            let ci = spec.case == CaseMode::Insensitive;
            let regex_limits = RegexLimits {
                size: limits.max_regex_size,
                nest: limits.max_regex_nest,
            };
            if trusted {
                Find::Pattern(Pattern::lazy(pattern.clone(), ci, literals, regex_limits))
            } else {
                let p = Pattern::compiled(pattern.clone(), ci, literals, regex_limits).map_err(
                    |msg| {
                        let e = err(ErrorKind::Rule, format!("invalid pattern: {msg}"));
                        pattern_error(e, pattern, ci, limits, text)
                    },
                )?;
                if p.regex().is_some_and(|re| re.is_match("")) {
                    return Err(err(
                        ErrorKind::Rule,
                        "pattern matches the empty string".into(),
                    ));
                }
                Find::Pattern(p)
            }
        }
    };
    let unless: Vec<String> = spec.unless.iter().map(|u| fold_phrase(u)).collect();
    if let Find::Phrases { phrases, .. } = &find {
        for (u, raw) in unless.iter().zip(&spec.unless) {
            if !phrases.iter().any(|p| u.contains(fold_phrase(p).as_str())) {
                return Err(err(
                    ErrorKind::Rule,
                    format!(
                        "exception `{}` never applies: it does not contain the `find` phrase",
                        snippet(raw)
                    ),
                ));
            }
        }
    }
    for ex in &spec.examples {
        let ok = matches!(
            (&ex.before, &ex.after, &ex.keep),
            (Some(_), Some(_), None) | (None, None, Some(_))
        );
        if !ok {
            return Err(err(
                ErrorKind::Rule,
                "an example is either `before` with `after`, or `keep` alone".into(),
            ));
        }
    }
    if spec.protected.is_some_and(|p| p != Protected::Avoid) && !matches!(find, Find::Pattern(_)) {
        return Err(err(
            ErrorKind::Rule,
            "`protected` other than `avoid` is for pattern rules only".into(),
        ));
    }
    let word_boundary = match spec.boundary {
        Some(b) => b == Boundary::Word,
        None => matches!(find, Find::Phrases { .. }),
    };
    Ok(Rule {
        id: Arc::from(spec.id.as_str()),
        pack: pack.clone(),
        why: Arc::from(spec.why.as_str()),
        level,
        find,
        replace: spec.replace,
        word_boundary,
        unless,
        requires: spec.requires.iter().map(|r| fold_phrase(r)).collect(),
        in_quotes: spec
            .in_quotes
            .or(defaults.in_quotes)
            .unwrap_or(InQuotes::Apply),
        protected: spec.protected.unwrap_or_default(),
        languages: None,
        examples: spec.examples,
        origin,
    })
}

/// `e`, about `pattern`, placed at its syntax error inside the pattern as
/// written in `text` (#17): regex-syntax's parser gives the error's span in
/// the pattern, and [`value_columns`] maps it to columns of the YAML line,
/// through quotes and escapes. A pattern not found as written (a block
/// scalar, a multi-line string) keeps the rule's place, and the message
/// tells the character.
fn pattern_error(e: Error, pattern: &str, ci: bool, limits: &Limits, text: &str) -> Error {
    let parsed = regex_syntax::ParserBuilder::new()
        .case_insensitive(ci)
        .nest_limit(limits.max_regex_nest)
        .build()
        .parse(pattern);
    let (kind, span) = match &parsed {
        Err(regex_syntax::Error::Parse(a)) => (a.kind().to_string(), a.span()),
        Err(regex_syntax::Error::Translate(t)) => (t.kind().to_string(), t.span()),
        // Not a syntax error (a size limit): the regex crate's message.
        _ => return e,
    };
    let (start, end) = (span.start.offset, span.end.offset.max(span.start.offset));
    let near = e.location.map_or(1, |(line, _)| line);
    match find_value(text, near, "pattern", pattern) {
        Some((line, columns)) => {
            let column = columns[start];
            let width = columns[end.min(pattern.len())]
                .saturating_sub(column)
                .max(1);
            Error {
                message: format!("invalid pattern: {kind}"),
                location: Some((line, column + 1)),
                excerpt: Excerpt::of(text, line, column + 1, Some(width)).map(Box::new),
                ..e
            }
        }
        None => Error {
            message: format!(
                "invalid pattern: {kind} (at character {} of the pattern)",
                pattern[..start].chars().count() + 1
            ),
            ..e
        },
    }
}

/// The line (1-based) holding `key: value` nearest after line `near` (or
/// else before it), with the 0-based column in that line of every byte
/// offset of `value` and of its end: where each of its bytes is written,
/// in plain, single- or double-quoted style.
fn find_value(text: &str, near: usize, key: &str, value: &str) -> Option<(usize, Vec<usize>)> {
    let lines: Vec<&str> = text.lines().collect();
    let near = near.saturating_sub(1).min(lines.len());
    let after = (near..lines.len()).take(200);
    let before = (0..near).rev().take(50);
    after.chain(before).find_map(|n| {
        let line = lines[n];
        let mut from = 0;
        while let Some(i) = line[from..].find(key).map(|i| from + i) {
            from = i + key.len();
            let at_key = line[..i]
                .chars()
                .next_back()
                .is_none_or(|c| c.is_whitespace() || matches!(c, '{' | ',' | '-'));
            if let (true, Some(rest)) = (at_key, line[from..].strip_prefix(':')) {
                let skip = line.len() - rest.trim_start().len();
                let column = line[..skip].chars().count();
                if let Some(columns) = value_columns(rest.trim_start(), value) {
                    return Some((n + 1, columns.iter().map(|c| c + column).collect()));
                }
            }
        }
        None
    })
}

/// For a YAML scalar written at the start of `src`, the column (in
/// characters from the start of `src`) of each byte offset of its value,
/// and of its end, when its value is `value`.
fn value_columns(src: &str, value: &str) -> Option<Vec<usize>> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::new();
    let mut columns = Vec::new();
    let mut push = |out: &mut String, c: char, column: usize| {
        out.push(c);
        columns.extend(std::iter::repeat_n(column, c.len_utf8()));
    };
    let end = match chars.first() {
        Some('\'') => {
            let mut i = 1;
            loop {
                match (chars.get(i), chars.get(i + 1)) {
                    (Some('\''), Some('\'')) => {
                        push(&mut out, '\'', i);
                        i += 2;
                    }
                    (Some('\''), _) => break i,
                    (Some(&c), _) => {
                        push(&mut out, c, i);
                        i += 1;
                    }
                    (None, _) => return None,
                }
            }
        }
        Some('"') => {
            let mut i = 1;
            loop {
                match chars.get(i) {
                    Some('"') => break i,
                    Some('\\') => {
                        let (c, len) = match chars.get(i + 1)? {
                            'x' => (hex(&chars, i + 2, 2)?, 4),
                            'u' => (hex(&chars, i + 2, 4)?, 6),
                            'U' => (hex(&chars, i + 2, 8)?, 10),
                            e => (unescape(*e)?, 2),
                        };
                        push(&mut out, c, i);
                        i += len;
                    }
                    Some(&c) => {
                        push(&mut out, c, i);
                        i += 1;
                    }
                    None => return None,
                }
            }
        }
        _ => {
            // A plain scalar: to a comment or the end of the line, or in a
            // flow mapping to its next `,` or `}`.
            let flow = src.contains(['}', ',']);
            let mut end = chars.len();
            for (i, &c) in chars.iter().enumerate() {
                let comment = c == '#' && i > 0 && chars[i - 1].is_whitespace();
                if comment || (flow && matches!(c, ',' | '}')) {
                    end = i;
                    break;
                }
            }
            while end > 0 && chars[end - 1].is_whitespace() {
                end -= 1;
            }
            for (i, &c) in chars.iter().enumerate().take(end) {
                push(&mut out, c, i);
            }
            end
        }
    };
    columns.push(end);
    (out == value).then_some(columns)
}

/// The character of a `\u`-style escape of `n` hex digits at `at`.
fn hex(chars: &[char], at: usize, n: usize) -> Option<char> {
    let digits: String = chars.get(at..at + n)?.iter().collect();
    char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
}

/// The character a YAML double-quoted escape `\e` stands for.
fn unescape(e: char) -> Option<char> {
    Some(match e {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'r' => '\r',
        'e' => '\u{1b}',
        ' ' => ' ',
        '"' => '"',
        '/' => '/',
        '\\' => '\\',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        _ => return None,
    })
}

/// Finds rules whose replacement another loaded rule would rewrite: such a
/// pair makes output depend on how often copydesk runs.
fn cycles(set: &RuleSet) -> Vec<Error> {
    let empty = Spans::default();
    let disabled = Default::default();
    let cx = Context::self_check(&empty, &disabled);
    let mut errors = Vec::new();
    let mut edits = Vec::new();
    let by_id: HashMap<&str, &Rule> = set.rules.iter().map(|r| (&*r.id, r)).collect();
    for rule in &set.rules {
        let Some(replace) = &rule.replace else {
            continue;
        };
        // A pattern's template is checked when it is literal; one with
        // captures is checked on each match at run time (see
        // `rules::find`).
        if !rule.is_phrase() && replace.contains('$') {
            continue;
        }
        edits.clear();
        phrase_edits(set, replace, &cx, &mut edits);
        pattern_edits(set, replace, &cx, &mut edits);
        if let Some(e) = edits.iter().find(|e| e.after.is_some()) {
            let other = by_id[&*e.rule];
            errors.push(
                Error::new(
                    ErrorKind::Conflict,
                    &rule.origin.path,
                    format!(
                        "cycle: its replacement `{}` is rewritten by rule `{}` ({}), so output would change on every run",
                        snippet(replace),
                        other.id,
                        place(&other.origin)
                    ),
                )
                .at(rule.origin.location)
                .rule(&rule.id),
            );
        }
    }
    errors
}

/// Turns a serde_yaml error into one line naming the place and, when the
/// error sits inside a rule, its id; with the excerpt of the line when the
/// file may be shown (see [`may_show_lines`]).
fn yaml_error(path: &Path, text: &str, e: &serde_yaml::Error) -> Error {
    let mut problem = yaml_message(e, text, NOT_A_PACK);
    if text.trim().is_empty() {
        problem.message = "empty rule pack".into();
    }
    let show = problem
        .location
        .is_some_and(|(line, _)| may_show(&problem, text, line, PACK_KEYS));
    let mut err = Error::new(ErrorKind::Syntax, path, problem.message)
        .at(problem.location)
        .help(problem.help);
    if let Some((line, _)) = problem.location {
        if let Some(id) = id_before_line(text, line) {
            err = err.rule(&id);
        }
    }
    if show {
        err = err.excerpt_of(text, problem.width);
    }
    err
}

/// What a file given as a pack is told when it is not YAML at all.
const NOT_A_PACK: &str = "not a rule pack: expected a mapping with `pack:` and `rules:`";

/// A YAML error as copydesk reports it.
pub(crate) struct YamlProblem {
    /// One line, quoting no more than a bounded excerpt of the file.
    pub message: String,
    /// 1-based line and column.
    pub location: Option<(usize, usize)>,
    /// The nearest key or value of the schema, when one was misspelt.
    pub help: Option<String>,
    /// Characters to underline from the location, when not the token
    /// there.
    pub width: Option<usize>,
    /// The file is not YAML (or not a mapping) at all: nothing of it may
    /// be shown.
    pub not_yaml: bool,
}

/// The message and place of a YAML error in `text`, quoting no more of
/// the file than a bounded excerpt of the offending line (see
/// [`crate::error`]).
///
/// serde quotes the value it could not use (`invalid type: string "…"`),
/// and a value may be a whole file: a file that is not YAML at all reads
/// as one long plain scalar (`/etc/passwd`, a private key, a `.env`). So
/// when the document is not a mapping, or does not even parse on its
/// first line, the message is `not_yaml` alone (with the parser's reason,
/// which quotes nothing); otherwise the first quoted value is cut at the
/// end of the line it starts on, and every quoted value to
/// [`crate::error::MAX_QUOTE_CHARS`] characters.
///
/// A quoted string that is never closed is placed at its opening quote:
/// the parser finds the problem only at the end of the file.
pub(crate) fn yaml_message(e: &serde_yaml::Error, text: &str, not_yaml: &str) -> YamlProblem {
    let mut location = e.location().map(|l| (l.line(), l.column()));
    let mut msg = e.to_string();
    let mut width = None;
    if let Some(start) = unclosed_quote(&msg) {
        location = Some(start);
        msg = "unterminated quoted string: its closing quote is missing".into();
        width = Some(1);
    }
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    let help = nearest_key(&msg).map(|key| format!("did you mean `{key}`?"));
    let problem = |message: String, help: Option<String>, not_yaml: bool| YamlProblem {
        message,
        location,
        help,
        width,
        not_yaml,
    };
    match root_is_mapping(text) {
        Some(true) => {}
        Some(false) => return problem(not_yaml.to_string(), None, true),
        None if location.is_some_and(|(line, _)| line <= 1) => {
            // Not YAML, so nothing of the file is quoted: the reason stops
            // at its first quote, since a backtick in the quoted text
            // could end the quote early and leave the rest unbounded.
            let reason = match msg.find(['`', '"']) {
                Some(i) => format!("{} …", msg[..i].trim_end()),
                None => msg,
            };
            let reason = bound_quotes(&reason, None);
            return problem(format!("{not_yaml} ({reason})"), None, true);
        }
        None => {}
    }
    // The value quoted from the place of the error (the first, unless
    // another one is what the line holds there) is cut at the end of the
    // line it starts on.
    let rest_of_line = location.and_then(|(line, column)| {
        let l = text.lines().nth(line.checked_sub(1)?)?;
        let here: String = l.chars().skip(column.saturating_sub(1)).take(40).collect();
        let nth = quoted(&msg)
            .position(|q| !q.is_empty() && here.starts_with(q))
            .unwrap_or(0);
        Some((
            nth,
            l.chars().count().saturating_sub(column.saturating_sub(1)),
        ))
    });
    let mut msg = bound_quotes_nth(&msg, rest_of_line);
    // A key or value holding the quote character itself could end its
    // quote early and leave text unbounded: no message from the parser is
    // longer than this, so cut any that is.
    if let Some((i, _)) = msg.char_indices().nth(MAX_YAML_MESSAGE_CHARS) {
        msg.truncate(i);
        msg.push('…');
    }
    // The key suggested is one of the schema's, never text of the file.
    problem(msg, help, false)
}

/// The values quoted in `msg` between backticks or double quotes, as
/// [`bound_quotes`] counts them (escapes left as written).
fn quoted(msg: &str) -> impl Iterator<Item = &str> {
    let mut rest = msg;
    std::iter::from_fn(move || {
        let open = rest.find(['`', '"'])?;
        let close_char = rest[open..].chars().next()?;
        let body = &rest[open + 1..];
        let close = body.find(close_char).unwrap_or(body.len());
        rest = body.get(close + 1..).unwrap_or("");
        Some(&body[..close])
    })
}

/// Where a quoted string that the parser ran off the end of the file in
/// starts, from its message (`found unexpected end of stream at line 9
/// column 1, while scanning a quoted scalar at line 3 column 11`): the
/// parser keeps the place only in its message.
fn unclosed_quote(msg: &str) -> Option<(usize, usize)> {
    if !msg.starts_with("found unexpected end of stream") {
        return None;
    }
    let (_, place) = msg.split_once(", while scanning a quoted scalar at line ")?;
    let (line, column) = place.split_once(" column ")?;
    let column = column.split(|c: char| !c.is_ascii_digit()).next()?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// Whether the error `problem` at `line` of `text` may show that line: a
/// file that is YAML at all, read as one of the schema's up to the line
/// (see [`may_show_lines`]), or whose key at fault is a misspelling of one
/// of the schema's (`disabel:` on the first line of a config).
pub(crate) fn may_show(problem: &YamlProblem, text: &str, line: usize, keys: &[&str]) -> bool {
    !problem.not_yaml && (problem.help.is_some() || may_show_lines(text, line, keys))
}

/// Whether an error at `line` of `text` may show that line: only when the
/// lines before it read as a YAML mapping holding one of the schema's
/// top-level `keys`. A file that is not a pack or config (a `.env`, a key
/// file, YAML of another program) is never shown, whatever its errors.
pub(crate) fn may_show_lines(text: &str, line: usize, keys: &[&str]) -> bool {
    let end = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    root_keys(&text[..end], keys) == Some(true)
}

/// For serde's "unknown field `X`, expected one of `a`, `b`, …" (or
/// "unknown variant", or a config's "unknown option `X` (known: …)"), the
/// expected key nearest to X, when it is close enough to be the one meant
/// (at most a third of its characters edited, at least one).
fn nearest_key(msg: &str) -> Option<String> {
    let (field, known): (&str, Vec<&str>) =
        if let Some((_, rest)) = msg.split_once("unknown option `") {
            // `set:`: "unknown option `X` (known: a, b, c)".
            let (field, known) = rest.split_once("` (known: ")?;
            (field, known.trim_end_matches(')').split(", ").collect())
        } else {
            let rest = msg
                .split_once("unknown field `")
                .or_else(|| msg.split_once("unknown variant `"))?
                .1;
            let (field, expected) = rest.split_once("`, expected ")?;
            (field, expected.split('`').skip(1).step_by(2).collect())
        };
    let limit = (field.chars().count() / 3).max(1);
    known
        .into_iter()
        .map(|key| (strsim::damerau_levenshtein(field, key), key))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, key)| key.to_string())
}

/// The longest message a YAML error may give, in characters: the longest
/// serde or copydesk writes (`unknown field …, expected one of` the 12 keys
/// of a rule, behind the path to it) is well under.
const MAX_YAML_MESSAGE_CHARS: usize = 400;

/// Whether the YAML document in `text` is a mapping, or `None` when it
/// does not parse. Aliases are skipped, not expanded, so this is linear in
/// the text.
fn root_is_mapping(text: &str) -> Option<bool> {
    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    struct Root(bool);
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Root;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any YAML node")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Root, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Root(true))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Root, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Root(false))
        }
        fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Root, A::Error> {
            let (IgnoredAny, variant) = data.variant::<IgnoredAny>()?;
            de::VariantAccess::newtype_variant::<IgnoredAny>(variant)?;
            Ok(Root(false))
        }
        fn visit_bool<E>(self, _: bool) -> Result<Root, E> {
            Ok(Root(false))
        }
        fn visit_i64<E>(self, _: i64) -> Result<Root, E> {
            Ok(Root(false))
        }
        fn visit_i128<E>(self, _: i128) -> Result<Root, E> {
            Ok(Root(false))
        }
        fn visit_u64<E>(self, _: u64) -> Result<Root, E> {
            Ok(Root(false))
        }
        fn visit_u128<E>(self, _: u128) -> Result<Root, E> {
            Ok(Root(false))
        }
        fn visit_f64<E>(self, _: f64) -> Result<Root, E> {
            Ok(Root(false))
        }
        fn visit_str<E>(self, _: &str) -> Result<Root, E> {
            Ok(Root(false))
        }
        fn visit_unit<E>(self) -> Result<Root, E> {
            Ok(Root(false))
        }
        fn visit_none<E>(self) -> Result<Root, E> {
            Ok(Root(false))
        }
    }
    impl<'de> serde::Deserialize<'de> for Root {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Root, D::Error> {
            d.deserialize_any(V)
        }
    }
    serde_yaml::from_str::<Root>(text).ok().map(|r| r.0)
}

/// Whether the YAML document in `text` is a mapping with one of `keys` at
/// its top level (`None` when it does not parse). Keys and values are read
/// without keeping them, aliases skipped, as in [`root_is_mapping`].
fn root_keys(text: &str, keys: &[&str]) -> Option<bool> {
    use serde::de::IgnoredAny;
    use std::fmt;

    struct Root<'a>(&'a [&'a str]);
    struct Key<'a>(&'a [&'a str]);
    impl<'de> Visitor<'de> for Key<'_> {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a key")
        }
        fn visit_str<E>(self, v: &str) -> Result<bool, E> {
            Ok(self.0.contains(&v))
        }
        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(false)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(false)
        }
    }
    impl<'de> DeserializeSeed<'de> for Key<'_> {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Root<'_> {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let mut known = false;
            while let Some(k) = map.next_key_seed(Key(self.0))? {
                known |= k;
                map.next_value::<IgnoredAny>()?;
            }
            Ok(known)
        }
    }
    impl<'de> DeserializeSeed<'de> for Root<'_> {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(self)
        }
    }
    Root(keys)
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .ok()
}

/// Returns the value of an `id:` key on a line, if the line holds one,
/// with its column: block style (`- id: a`, `id: a`) or flow style
/// (`- {id: a, find: x}`).
fn id_on_line(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    let mut col = line.len() - trimmed.len();
    let mut rest = trimmed;
    if let Some(r) = rest.strip_prefix("- ") {
        col += rest.len() - r.trim_start().len();
        rest = r.trim_start();
    }
    if let Some(r) = rest.strip_prefix('{') {
        col += rest.len() - r.trim_start().len();
        rest = r.trim_start();
    }
    let value = rest.strip_prefix("id:")?.trim();
    let value = value.split(" #").next().unwrap_or("");
    let value = match value.find([',', '}']) {
        Some(i) if !value.starts_with(['"', '\'']) => &value[..i],
        _ => value,
    };
    let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
    Some((col, value))
}

/// The line and column of every `id:` of a pack, by id, in file order.
///
/// Built in one pass over the text: looking each rule up separately made
/// loading quadratic in the pack size (a million-rule pack never finished).
fn id_index(text: &str) -> HashMap<&str, Vec<(usize, usize)>> {
    let mut index: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if let Some((col, v)) = id_on_line(line) {
            index.entry(v).or_default().push((n + 1, col + 1));
        }
    }
    index
}

/// Returns the id of the rule whose `id:` line is nearest before `line`.
fn id_before_line(text: &str, line: usize) -> Option<String> {
    text.lines()
        .take(line)
        .filter_map(|l| id_on_line(l).map(|(_, v)| v.to_string()))
        .last()
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> Result<RuleSet, Errors> {
        let mut l = Loader::new();
        l.add_source("test.yaml", yaml);
        l.build()
    }

    /// A set that passed every check before compiles its patterns only when
    /// a text needs them, and finds exactly what an eagerly compiled set
    /// finds; a set never checked compiles (and so validates) them at load.
    #[test]
    fn checked_sets_compile_patterns_when_needed() {
        let dir = tempfile::tempdir().unwrap();
        let cached = || {
            let mut l = Loader::new();
            l.use_cache(Some(Cache::new(dir.path())));
            l.add_builtin();
            l.build().expect("default packs load")
        };
        // Ready for a short text: compiled.
        let compiled = |set: &RuleSet| {
            set.patterns
                .iter()
                .filter(|&&ri| matches!(&set.rules[ri].find, Find::Pattern(p) if p.is_ready(0)))
                .count()
        };
        let cold = cached();
        assert_eq!(compiled(&cold), cold.patterns.len());
        let warm = cached();
        assert_eq!(compiled(&warm), 0);
        let text = "Police disbursed the crowd. It was agreed in principal.\nShare this article\n";
        let empty = Spans::default();
        let disabled = Default::default();
        let cx = Context::whole(&empty, &disabled);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        pattern_edits(&cold, text, &cx, &mut a);
        pattern_edits(&warm, text, &cx, &mut b);
        assert!(a.len() >= 2, "{a:?}");
        assert_eq!(a, b);
        let n = compiled(&warm);
        assert!(n >= 2 && n * 4 < warm.patterns.len(), "{n} compiled");
    }

    fn err(yaml: &str) -> String {
        load(yaml).unwrap_err().to_string()
    }

    #[test]
    fn unknown_key_names_place_and_rule() {
        let e = err("pack: t\nrules:\n  - id: a\n    find: x\n    replace: y\n    fnd: z\n");
        assert!(e.starts_with("test.yaml:6:5: rule `a`: "), "{e}");
        assert!(e.contains("unknown field `fnd`"), "{e}");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let e = err("pack: t\nrules:\n  - id: a\n    find: x\n    replace: y\n  - id: a\n    find: z\n    replace: w\n");
        assert!(
            e.contains("test.yaml:6:5: rule `a`: duplicate id, first defined at test.yaml:3:5"),
            "{e}"
        );
    }

    #[test]
    fn bad_rules_are_rejected() {
        assert!(
            err("pack: t\nrules:\n  - find: x\n    replace: y\n").contains("empty or missing `id`")
        );
        assert!(
            err("pack: t\nrules:\n  - id: a\n    find: ' '\n    replace: y\n")
                .contains("`find` is empty")
        );
        assert!(
            err("pack: t\nrules:\n  - id: a\n    pattern: '(x'\n    replace: y\n")
                .contains("invalid pattern")
        );
        assert!(
            err("pack: t\nrules:\n  - id: a\n    pattern: 'x*'\n    replace: y\n")
                .contains("empty string")
        );
        assert!(err("pack: t\nrules:\n  - id: a\n    find: x\n").contains("needs `replace`"));
        assert!(
            err("pack: t\nrules:\n  - id: a\n    find: x\n    replace: y\n    unless: [z]\n")
                .contains("never applies")
        );
    }

    #[test]
    fn conflicts_and_cycles_are_rejected() {
        let e = err("pack: t\nrules:\n  - id: a\n    find: colour\n    replace: color\n  - id: b\n    find: Colour\n    replace: hue\n");
        assert!(
            e.contains("rule `b`: replaces `Colour` differently from rule `a`"),
            "{e}"
        );
        let e = err("pack: t\nrules:\n  - id: us-usa\n    find: US\n    replace: USA\n  - id: usa-us\n    find: USA\n    replace: US\n");
        assert!(e.contains("rule `us-usa`: cycle"), "{e}");
        assert!(e.contains("rule `usa-us`"), "{e}");
    }

    #[test]
    fn an_unknown_key_is_told_the_nearest_one() {
        let msg = "rules[0]: unknown field `levle`, expected one of `id`, `find`, `level`, `why`";
        assert_eq!(nearest_key(msg).as_deref(), Some("level"));
        let msg = "unknown field `zzzzzz`, expected one of `id`, `find`";
        assert_eq!(nearest_key(msg), None);
        let msg = "unknown field `rulez`, expected `pack` or `rules`";
        assert_eq!(nearest_key(msg).as_deref(), Some("rules"));
    }

    /// Every rule that does not fit the schema is reported, each at its
    /// place, and the rules that do are still checked (#17).
    #[test]
    fn every_schema_error_is_reported_and_the_other_rules_checked() {
        let yaml = "pack: t\nrules:\n  - id: a\n    fnd: x\n  - id: b\n    find: y\n    replace: z\n    level: fixx\n  - id: c\n    pattern: '(x'\n    replace: w\n  - id: d\n    find: q\n    replace: r\n";
        let errors = load(yaml).unwrap_err().0;
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "test.yaml:4:5: rule `a`: rules[0]: unknown field `fnd`, expected one of `id`, `find`, `pattern`, `replace`, `why`, `level`, `case`, `boundary`, `unless`, `requires`, `in_quotes`, `protected`, `examples`; did you mean `find`?",
                "test.yaml:8:12: rule `b`: rules[1].level: unknown variant `fixx`, expected one of `fix`, `suggest`, `flag`; did you mean `fix`?",
                "test.yaml:10:15: rule `c`: invalid pattern: unclosed group",
            ]
        );
        // Each shows its line, the place underlined.
        let shown: Vec<&str> = errors
            .iter()
            .map(|e| {
                let x = e.excerpt.as_ref().unwrap();
                &x.text[x.span.clone()]
            })
            .collect();
        assert_eq!(shown, ["fnd", "fixx", "("]);
        // A YAML syntax error ends the reading: it is reported once.
        let e = load("pack: t\nrules:\n  - id: a\n    find: [x\n  - id: b\n").unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
    }

    #[test]
    fn an_unterminated_quote_is_placed_where_it_starts() {
        let e = load("pack: t\nrules:\n  - id: a\n    find: 'global law\n    replace: y\n  - id: b\n    find: z\n    replace: w\n")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "test.yaml:4:11: rule `a`: unterminated quoted string: its closing quote is missing"
        );
    }

    /// Bytes of a pattern map to the columns where they are written,
    /// through each YAML style's quotes and escapes.
    #[test]
    fn pattern_bytes_map_to_their_columns() {
        assert_eq!(value_columns("a(b # c", "a(b"), Some(vec![0, 1, 2, 3]));
        assert_eq!(value_columns("'it''s'", "it's"), Some(vec![1, 2, 3, 5, 6]));
        assert_eq!(
            value_columns(r#""\\d\u00e9" x"#, "\\dé"),
            Some(vec![1, 3, 4, 4, 10])
        );
        assert_eq!(value_columns("x, replace: y}", "x"), Some(vec![0, 1]));
        assert_eq!(value_columns("'other'", "x"), None);
        let text = "pack: t\nrules:\n  - id: a\n    replace: y\n    pattern: \"\\\\w(\"\n";
        assert_eq!(
            find_value(text, 3, "pattern", "\\w(").map(|(l, c)| (l, c[2])),
            Some((5, 17))
        );
    }

    #[test]
    fn yaml_syntax_error_has_location() {
        let e = err("pack: t\nrules:\n  - id: a\n    find: [x\n");
        assert!(e.starts_with("test.yaml:"), "{e}");
        assert!(e.split(':').nth(1).unwrap().parse::<usize>().is_ok(), "{e}");
    }
}
