//! The phrase automaton, of the kind that suits the pack's size, and the
//! thread it is built on.

use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;

use aho_corasick::automaton::Automaton as _;
use aho_corasick::{dfa, nfa, Anchored, Input, MatchKind, StartKind};

/// Pattern counts up to which the automaton is a DFA (fastest transitions);
/// above it, a contiguous NFA, far cheaper to build for large packs.
pub(crate) const DFA_MAX_PATTERNS: usize = 100;

/// The one Aho-Corasick automaton over every folded phrase, built for
/// anchored searches only, of the kind that suits the pack's size.
///
/// Held as the concrete automaton rather than behind [`aho_corasick::AhoCorasick`]
/// so that each of the many short anchored searches (one per word start) is
/// a direct, inlined call.
#[derive(Debug)]
pub(crate) enum Automaton {
    Dfa(dfa::DFA),
    Nfa(nfa::contiguous::NFA),
    Sparse(nfa::noncontiguous::NFA),
}

impl Automaton {
    /// Builds the automaton over `patterns`: a DFA up to `dfa_max`
    /// patterns, else a contiguous NFA (or, if that outgrows its state-id
    /// space, a noncontiguous one).
    pub(crate) fn build(patterns: &[String], dfa_max: usize) -> Automaton {
        if patterns.len() <= dfa_max {
            let built = dfa::Builder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                .prefilter(false)
                .build(patterns);
            if let Ok(d) = built {
                return Automaton::Dfa(d);
            }
        }
        let built = nfa::contiguous::Builder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .prefilter(false)
            // Dense transitions for the first three bytes, where most
            // anchored searches end (measured: a few percent faster scans).
            .dense_depth(3)
            .build(patterns);
        match built {
            Ok(n) => Automaton::Nfa(n),
            Err(_) => Automaton::Sparse(
                nfa::noncontiguous::Builder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .prefilter(false)
                    .build(patterns)
                    .expect("phrase automaton builds"),
            ),
        }
    }

    /// The longest pattern that starts exactly at `at` in `hay`.
    #[inline]
    pub(crate) fn longest_at(&self, hay: &[u8], at: usize) -> Option<aho_corasick::Match> {
        let input = Input::new(hay).span(at..hay.len()).anchored(Anchored::Yes);
        let found = match self {
            Automaton::Dfa(a) => a.try_find(&input),
            Automaton::Nfa(a) => a.try_find(&input),
            Automaton::Sparse(a) => a.try_find(&input),
        };
        found.expect("anchored searches are supported")
    }
}

/// A value built on its own thread, waited for where it is first needed.
pub(crate) struct Background<T> {
    value: OnceLock<T>,
    job: Mutex<Option<JoinHandle<T>>>,
}

impl<T: Send + 'static> Background<T> {
    /// Starts building with `build` on a new thread.
    pub(crate) fn start(build: impl FnOnce() -> T + Send + 'static) -> Background<T> {
        Background {
            value: OnceLock::new(),
            job: Mutex::new(Some(std::thread::spawn(build))),
        }
    }

    /// A value already built.
    pub(crate) fn ready(value: T) -> Background<T> {
        Background {
            value: OnceLock::from(value),
            job: Mutex::new(None),
        }
    }

    /// The value, once built.
    pub(crate) fn get(&self) -> &T {
        self.value.get_or_init(|| {
            let job = self.job.lock().expect("not poisoned").take();
            match job.expect("started").join() {
                Ok(value) => value,
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }
}

impl<T> std::fmt::Debug for Background<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.value.get().is_some() {
            "Background(built)"
        } else {
            "Background(building)"
        })
    }
}
