//! `copydesk._copydesk`, the extension module behind the `copydesk` Python
//! package (`python/copydesk/`), and the `copydesk` command it installs.
//!
//! The module is a thin layer over [`copydesk::Cleaner`]: texts cross into
//! Rust once, are cleaned with the GIL released (many at a time on rayon's
//! pool in `clean_many`), and come back as `Result` objects whose edits are
//! made into Python objects only when asked for. Edit ranges are byte
//! ranges in Rust and code point offsets in Python, so that
//! `text[edit.start:edit.end] == edit.before`.

use std::path::PathBuf;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};
use rayon::prelude::*;

/// Runs the copydesk command line with `argv` (the program name first)
/// and returns its exit status (0, 1 or 2), as the binary would: it is the
/// library's own command line, the code the `copydesk` binary runs, so the
/// wheel builds one artefact and its command cannot drift from the binary.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<std::ffi::OsString>) -> u8 {
    py.detach(|| {
        let status = copydesk::cli::run_from(argv);
        // A binary's standard output is flushed when `main` returns; here
        // the interpreter exits instead, which knows nothing of Rust's
        // buffer.
        let _ = std::io::Write::flush(&mut std::io::stdout());
        status
    })
}

/// One edit as Python sees it: code point offsets and owned strings,
/// computed off the GIL; made into an `Edit` object on demand.
struct Found {
    rule: String,
    level: copydesk::Level,
    start: usize,
    end: usize,
    before: String,
    after: Option<String>,
    message: String,
    applied: bool,
}

/// One change copydesk made or proposes.
#[pyclass(module = "copydesk", name = "Edit", frozen, eq)]
#[derive(PartialEq)]
struct Edit {
    /// The id of the rule (or pass rule) that produced it.
    #[pyo3(get)]
    rule: String,
    level: copydesk::Level,
    /// Start, in characters (code points) of the input.
    #[pyo3(get)]
    start: usize,
    /// End (exclusive), in characters of the input.
    #[pyo3(get)]
    end: usize,
    /// The input text it covers: `text[start:end]`.
    #[pyo3(get)]
    before: String,
    /// The replacement, or None for a flag that proposes nothing.
    #[pyo3(get)]
    after: Option<String>,
    /// Why the rule exists.
    #[pyo3(get)]
    message: String,
    /// Whether the edit is part of the cleaned text.
    #[pyo3(get)]
    applied: bool,
}

#[pymethods]
impl Edit {
    /// "fix" (applied by default), "suggest" (applied on request) or
    /// "flag" (never applied).
    #[getter]
    fn level(&self) -> &'static str {
        self.level.as_str()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let repr = |s: &str| PyString::new(py, s).repr().map(|r| r.to_string());
        Ok(format!(
            "Edit(rule={}, level={}, start={}, end={}, before={}, after={}, applied={})",
            repr(&self.rule)?,
            repr(self.level.as_str())?,
            self.start,
            self.end,
            repr(&self.before)?,
            match &self.after {
                Some(a) => repr(a)?,
                None => "None".to_string(),
            },
            if self.applied { "True" } else { "False" }
        ))
    }
}

impl From<Found> for Edit {
    fn from(f: Found) -> Edit {
        Edit {
            rule: f.rule,
            level: f.level,
            start: f.start,
            end: f.end,
            before: f.before,
            after: f.after,
            message: f.message,
            applied: f.applied,
        }
    }
}

/// What cleaning one text gave: the text and every edit.
#[pyclass(module = "copydesk", name = "Result", frozen)]
struct CleanResult {
    /// The cleaned text (the input object itself when nothing changed).
    #[pyo3(get)]
    text: Py<PyString>,
    /// Whether the text changed.
    #[pyo3(get)]
    changed: bool,
    found: std::sync::Mutex<Vec<Found>>,
    edits: PyOnceLock<Py<PyList>>,
}

#[pymethods]
impl CleanResult {
    /// Every edit, applied or not, in input order, as a list of `Edit`.
    #[getter]
    fn edits(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        self.edits
            .get_or_try_init(py, || {
                let found =
                    std::mem::take(&mut *self.found.lock().unwrap_or_else(|e| e.into_inner()));
                let items = found
                    .into_iter()
                    .map(|f| Py::new(py, Edit::from(f)))
                    .collect::<PyResult<Vec<_>>>()?;
                Ok::<_, PyErr>(PyList::new(py, items)?.unbind())
            })
            .map(|l| l.clone_ref(py))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let n = match self.edits.get(py) {
            Some(list) => list.bind(py).len(),
            None => self.found.lock().map_or(0, |f| f.len()),
        };
        Ok(format!(
            "Result(changed={}, edits={n}, text={})",
            if self.changed { "True" } else { "False" },
            self.text.bind(py).repr()?
        ))
    }
}

/// A text cleaned off the GIL: the output when it differs, and the edits.
struct Cleaned {
    output: Option<String>,
    found: Vec<Found>,
}

impl Cleaned {
    fn into_py(self, py: Python<'_>, input: &Bound<'_, PyString>) -> PyResult<CleanResult> {
        let changed = self.output.is_some();
        let text = match self.output {
            Some(out) => PyString::new(py, &out).unbind(),
            None => input.clone().unbind(),
        };
        Ok(CleanResult {
            text,
            changed,
            found: std::sync::Mutex::new(self.found),
            edits: PyOnceLock::new(),
        })
    }
}

/// Cleans `text`; edits get code point offsets.
fn clean_one(cleaner: &copydesk::Cleaner, text: &str) -> Cleaned {
    let outcome = cleaner.clean(text);
    let changed = outcome.changed();
    let found = found(text, &outcome.edits);
    Cleaned {
        output: changed.then(|| outcome.output.into_owned()),
        found,
    }
}

/// The edits with their byte ranges turned into code point offsets: one
/// walk over the text however many edits there are (none for ASCII).
fn found(text: &str, edits: &[copydesk::Edit]) -> Vec<Found> {
    let mut offsets: Vec<usize> = edits
        .iter()
        .flat_map(|e| [e.range.start, e.range.end])
        .collect();
    let ascii = text.is_ascii();
    if !ascii {
        offsets.sort_unstable();
        offsets.dedup();
    }
    // chars[i] = code points before byte offsets[i].
    let mut chars = Vec::with_capacity(offsets.len());
    if !ascii {
        let mut count = 0;
        let mut byte = 0;
        for &offset in &offsets {
            count += text[byte..offset].chars().count();
            byte = offset;
            chars.push(count);
        }
    }
    let to_char = |b: usize| {
        if ascii {
            b
        } else {
            chars[offsets.binary_search(&b).unwrap_or_else(|i| i)]
        }
    };
    edits
        .iter()
        .map(|e| Found {
            rule: e.rule.to_string(),
            level: e.level,
            start: to_char(e.range.start),
            end: to_char(e.range.end),
            before: e.before.to_string(),
            after: e.after.as_ref().map(|a| a.to_string()),
            message: message(e),
            applied: e.applied,
        })
        .collect()
}

/// Why the edit's rule exists: the rule's `why`, else the pass rule's
/// description.
fn message(e: &copydesk::Edit) -> String {
    if !e.why.is_empty() {
        return e.why.to_string();
    }
    copydesk::registry::pass_rule(&e.rule)
        .map(|r| r.description.to_string())
        .unwrap_or_default()
}

/// Rule packs and options, loaded and compiled once, for any number of
/// texts.
///
/// `rules`: a rule pack file or an iterable of them, loaded after the
/// default packs (`default_rules=False` leaves those out). `config`: a
/// `.copydesk.yaml`, read as `copydesk --config` reads it. `options`: pass
/// options as `--set` takes them (`{"quotes.style": "straight"}`; booleans
/// mean on/off). `disable`: rule, pack or pass ids to switch off.
/// `apply_suggestions`: apply `suggest` edits too. `lang`: a language tag
/// (`"fr"`, `"de-CH"`) to read every text as that language instead of
/// detecting it, as `copydesk --lang` does; ValueError for one that names
/// no language.
///
/// Raises copydesk.RulePackError for a pack or config that cannot be
/// loaded, ValueError for a bad option.
#[pyclass(module = "copydesk", name = "Cleaner", frozen)]
struct Cleaner {
    inner: copydesk::Cleaner,
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (rules=None, config=None, default_rules=true, options=None, *, apply_suggestions=false, disable=None, lang=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        rules: Option<&Bound<'_, PyAny>>,
        config: Option<PathBuf>,
        default_rules: bool,
        options: Option<&Bound<'_, PyDict>>,
        apply_suggestions: bool,
        disable: Option<Vec<String>>,
        lang: Option<String>,
    ) -> PyResult<Cleaner> {
        let mut builder = copydesk::Cleaner::builder()
            .default_packs(default_rules)
            .apply_suggestions(apply_suggestions);
        if let Some(lang) = lang {
            check_lang(&lang)?;
            builder = builder.lang(lang);
        }
        for path in pack_paths(rules)? {
            builder = builder.pack_file(path);
        }
        if let Some(config) = config {
            builder = builder.config_file(config);
        }
        for id in disable.unwrap_or_default() {
            builder = builder.disable(id);
        }
        if let Some(options) = options {
            for (key, value) in options.iter() {
                let key: String = key
                    .extract()
                    .map_err(|_| PyValueError::new_err("option names must be strings"))?;
                let value = option_value(&value)?;
                copydesk::settings::Settings::default()
                    .set(&key, &value)
                    .map_err(|e| PyValueError::new_err(format!("options: {e}")))?;
                builder = builder.set(&key, &value);
            }
        }
        let inner = py
            .detach(|| builder.build())
            .map_err(|errors| pack_error(py, errors))?;
        Ok(Cleaner { inner })
    }

    /// Cleans one text; returns a `Result`.
    fn clean(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<CleanResult> {
        let owned = text.to_cow()?.into_owned();
        py.detach(|| clean_one(&self.inner, &owned))
            .into_py(py, text)
    }

    /// Every finding in `text`, applied or not, as a list of `Edit`; the
    /// text itself is not changed.
    fn check(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<Vec<Edit>> {
        let owned = text.to_cow()?.into_owned();
        let found = py.detach(|| found(&owned, &self.inner.clean(&owned).edits));
        Ok(found.into_iter().map(Edit::from).collect())
    }

    /// Cleans every text of `texts` (any iterable of str), in parallel
    /// with the GIL released; returns the results in input order.
    #[pyo3(signature = (texts, threads=None))]
    fn clean_many(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Vec<CleanResult>> {
        let pool = match threads {
            None => None,
            Some(0) => return Err(PyValueError::new_err("threads must be at least 1")),
            Some(n) => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| PyValueError::new_err(e.to_string()))?,
            ),
        };
        let mut inputs = Vec::new();
        let mut owned = Vec::new();
        for item in texts.try_iter()? {
            let item = item?;
            let text = item.cast_into::<PyString>().map_err(|e| {
                pyo3::exceptions::PyTypeError::new_err(format!(
                    "clean_many takes str items, not {}",
                    e.into_inner()
                        .get_type()
                        .name()
                        .map_or("?".into(), |n| n.to_string())
                ))
            })?;
            owned.push(text.to_cow()?.into_owned());
            inputs.push(text);
        }
        let inner = &self.inner;
        let cleaned: Vec<Cleaned> = py.detach(|| {
            let work = || owned.par_iter().map(|t| clean_one(inner, t)).collect();
            match &pool {
                Some(pool) => pool.install(work),
                None => work(),
            }
        });
        cleaned
            .into_iter()
            .zip(&inputs)
            .map(|(c, input)| c.into_py(py, input))
            .collect()
    }

    /// The spun-article score of `text`: spinner hits per 1,000
    /// words (see the manual).
    fn score(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<f64> {
        let owned = text.to_cow()?.into_owned();
        Ok(py.detach(|| self.inner.score(&owned).score))
    }

    /// The ids of every rule the cleaner's packs hold.
    fn rule_ids(&self) -> Vec<String> {
        self.inner
            .rules()
            .rules
            .iter()
            .map(|r| r.id.to_string())
            .collect()
    }
}

/// `rules=`: one path (str or os.PathLike) or an iterable of them.
fn pack_paths(rules: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathBuf>> {
    let Some(rules) = rules else {
        return Ok(Vec::new());
    };
    if let Ok(one) = rules.extract::<PathBuf>() {
        return Ok(vec![one]);
    }
    rules
        .try_iter()
        .map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err("rules must be a path or an iterable of paths")
        })?
        .map(|p| p?.extract::<PathBuf>())
        .collect()
}

/// An option value as `--set` takes it: booleans are `on` / `off`.
fn option_value(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(b) = value.cast::<pyo3::types::PyBool>() {
        return Ok(if b.is_true() { "on" } else { "off" }.to_string());
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    Err(PyValueError::new_err(format!(
        "option values must be str or bool, not {}",
        value.get_type().name()?
    )))
}

/// A language tag: letters, with subtags after `-` or `_` (`fr`, `pt-BR`),
/// naming a language (ISO 639), or a private-use code (`x-house`) that a
/// config's `languages:` defines, which only the build can check.
fn check_lang(lang: &str) -> PyResult<()> {
    let mut parts = lang.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    let is_tag = (1..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if !is_tag {
        return Err(PyValueError::new_err(format!(
            "lang={lang:?} is not a language tag (such as \"fr\" or \"de-CH\")"
        )));
    }
    if primary.eq_ignore_ascii_case("x") {
        return Ok(());
    }
    copydesk::locale::language_code(lang, std::iter::empty())
        .map(drop)
        .map_err(|m| PyValueError::new_err(format!("lang={lang:?}: {m}")))
}

/// `copydesk.RulePackError` for the problems a build found: the first
/// gives `path`, `line`, `column` and `rule`; the message lists them all.
fn pack_error(py: Python<'_>, errors: copydesk::Errors) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let class = py.import("copydesk._errors")?.getattr("RulePackError")?;
        let message = errors
            .0
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        let kwargs = PyDict::new(py);
        if let Some(first) = errors.0.first() {
            kwargs.set_item("path", first.path.display().to_string())?;
            kwargs.set_item("line", first.location.map(|l| l.0))?;
            kwargs.set_item("column", first.location.map(|l| l.1))?;
            kwargs.set_item("rule", first.rule.as_deref())?;
        }
        let all = errors
            .0
            .iter()
            .map(|e| {
                (
                    e.path.display().to_string(),
                    e.location.map(|l| l.0),
                    e.location.map(|l| l.1),
                    e.to_string(),
                )
            })
            .collect::<Vec<_>>();
        kwargs.set_item("errors", all)?;
        Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    };
    make().unwrap_or_else(|e| e)
}

/// The extension module.
#[pymodule]
fn _copydesk(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cleaner>()?;
    m.add_class::<CleanResult>()?;
    m.add_class::<Edit>()?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
