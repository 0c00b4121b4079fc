//! The phrase automaton, of the kind that suits the pack's size, and the
//! thread it is built on.

use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;

use aho_corasick::automaton::Automaton as _;
use aho_corasick::{dfa, nfa, Anchored, Input, Match, MatchKind, PatternID, StartKind};

/// Pattern counts up to which the automaton is a DFA (fastest transitions);
/// above it, a contiguous NFA, far cheaper to build for large packs.
pub(crate) const DFA_MAX_PATTERNS: usize = 100;

/// Pattern counts above which the NFA is built over the patterns' prefixes
/// too ([`Prefixes`]), so that its build stays near-linear in the pack.
///
/// Building an NFA moves its match states ahead of the others, and the
/// remapping that follows walks each cycle of that permutation once per
/// state in it: quadratic when a few prefix states precede a great many
/// match states (`zzqword0` .. `zzqword999999`: 245 s for a million
/// patterns). With every prefix a pattern, every state matches and nothing
/// moves. Below this count the plain NFA is kept (its build costs at most
/// about a second, and scans of ordinary packs stay as they were).
pub(crate) const PREFIXES_MIN_PATTERNS: usize = 50_000;

/// The one Aho-Corasick automaton over every folded phrase, built for
/// anchored searches only, of the kind that suits the pack's size.
///
/// Held as the concrete automaton rather than behind [`aho_corasick::AhoCorasick`]
/// so that each of the many short anchored searches (one per word start) is
/// a direct, inlined call.
#[derive(Debug)]
pub(crate) struct Automaton {
    kind: Kind,
    /// Set when the NFA also holds the patterns' prefixes.
    prefixes: Option<Prefixes>,
}

#[derive(Debug)]
enum Kind {
    Dfa(dfa::DFA),
    Nfa(nfa::contiguous::NFA),
    Sparse(nfa::noncontiguous::NFA),
}

/// The proper prefixes of the patterns that are not patterns themselves,
/// added to the automaton after them (pattern ids from `real` on), each
/// with the longest pattern that is a proper prefix of it.
///
/// An anchored leftmost-longest search that ends on such a prefix found no
/// longer pattern, so the longest pattern there is a prefix of it: the one
/// recorded, found without searching again.
#[derive(Debug)]
struct Prefixes {
    /// Number of real patterns: ids at or above it are prefixes.
    real: usize,
    /// Per added prefix, the longest real pattern it starts with (id and
    /// length).
    longest: Vec<Option<(PatternID, usize)>>,
}

impl Prefixes {
    /// The added prefixes of `patterns` (as pattern index and length) and
    /// their [`Prefixes`] record, in one pass over the patterns in byte
    /// order.
    fn of(patterns: &[String]) -> (Vec<(u32, u32)>, Prefixes) {
        let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
        // Stable: of equal patterns the first (the one a search reports)
        // comes first.
        order.sort_by(|&a, &b| patterns[a as usize].cmp(&patterns[b as usize]));
        let mut added = Vec::new();
        let mut longest = Vec::new();
        // The real patterns that are prefixes of the previous one, shortest
        // first, with their lengths.
        let mut stack: Vec<(PatternID, usize)> = Vec::new();
        let mut prev: &[u8] = &[];
        for &i in &order {
            let p = patterns[i as usize].as_bytes();
            let common = p.iter().zip(prev).take_while(|(a, b)| a == b).count();
            while stack.last().is_some_and(|&(_, len)| len > common) {
                stack.pop();
            }
            // Prefixes up to `common` bytes were met with the previous
            // pattern; the longer ones are new, and none is a pattern (it
            // would sort between the two).
            for len in common + 1..p.len() {
                added.push((i, len as u32));
                longest.push(stack.last().copied());
            }
            if stack.last().is_none_or(|&(_, len)| len < p.len()) {
                stack.push((PatternID::new_unchecked(i as usize), p.len()));
            }
            prev = p;
        }
        (
            added,
            Prefixes {
                real: patterns.len(),
                longest,
            },
        )
    }

    /// The longest real pattern within the match `m` (which it is, unless
    /// `m` is an added prefix).
    #[inline]
    fn real(&self, m: Match) -> Option<Match> {
        let k = m.pattern().as_usize();
        if k < self.real {
            return Some(m);
        }
        let (pid, len) = self.longest[k - self.real]?;
        Some(Match::new(pid, m.start()..m.start() + len))
    }
}

impl Automaton {
    /// Builds the automaton over `patterns`: a DFA up to `dfa_max`
    /// patterns, else a contiguous NFA (or, if that outgrows its state-id
    /// space, a noncontiguous one), over the prefixes as well above
    /// [`PREFIXES_MIN_PATTERNS`].
    pub(crate) fn build(patterns: &[String], dfa_max: usize) -> Automaton {
        if patterns.len() <= dfa_max {
            let built = dfa::Builder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                .prefilter(false)
                .build(patterns);
            if let Ok(d) = built {
                return Automaton {
                    kind: Kind::Dfa(d),
                    prefixes: None,
                };
            }
        }
        Automaton::nfa(patterns, patterns.len() > PREFIXES_MIN_PATTERNS)
    }

    /// An NFA over `patterns`, and over their prefixes if `with_prefixes`.
    fn nfa(patterns: &[String], with_prefixes: bool) -> Automaton {
        let (added, prefixes) = if with_prefixes {
            let (added, prefixes) = Prefixes::of(patterns);
            (added, Some(prefixes))
        } else {
            (Vec::new(), None)
        };
        let all = || {
            patterns.iter().map(String::as_bytes).chain(
                added
                    .iter()
                    .map(|&(i, len)| &patterns[i as usize].as_bytes()[..len as usize]),
            )
        };
        let built = nfa::contiguous::Builder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .prefilter(false)
            // Dense transitions for the first three bytes, where most
            // anchored searches end (measured: a few percent faster scans).
            .dense_depth(3)
            .build(all());
        let kind = match built {
            Ok(n) => Kind::Nfa(n),
            Err(_) => Kind::Sparse(
                nfa::noncontiguous::Builder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .prefilter(false)
                    .build(all())
                    .expect("phrase automaton builds"),
            ),
        };
        Automaton { kind, prefixes }
    }

    /// The longest pattern that starts exactly at `at` in `hay`.
    #[inline]
    pub(crate) fn longest_at(&self, hay: &[u8], at: usize) -> Option<aho_corasick::Match> {
        let input = Input::new(hay).span(at..hay.len()).anchored(Anchored::Yes);
        let found = match &self.kind {
            Kind::Dfa(a) => a.try_find(&input),
            Kind::Nfa(a) => a.try_find(&input),
            Kind::Sparse(a) => a.try_find(&input),
        };
        let found = found.expect("anchored searches are supported");
        match &self.prefixes {
            None => found,
            Some(prefixes) => found.and_then(|m| prefixes.real(m)),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every position's longest pattern, as (pattern, end).
    fn all_longest(a: &Automaton, hay: &str) -> Vec<Option<(usize, usize)>> {
        (0..=hay.len())
            .map(|at| {
                a.longest_at(hay.as_bytes(), at)
                    .map(|m| (m.pattern().as_usize(), m.end()))
            })
            .collect()
    }

    #[test]
    fn prefixes_find_what_the_patterns_alone_find() {
        // Nested patterns, a duplicate, prefixes shared by many patterns,
        // multibyte text cut mid-character by a prefix.
        let mut patterns: Vec<String> = [
            "zz",
            "zzqword1",
            "zzqword12",
            "a",
            "ab",
            "abcd",
            "abcdef",
            "ab",
            "b",
            "bca",
            "éa",
            "ée",
            "x y z",
            "x y",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        patterns.extend((0..300).map(|i| format!("zzqword{i}")));
        let plain = Automaton::nfa(&patterns, false);
        let prefixed = Automaton::nfa(&patterns, true);
        assert!(prefixed.prefixes.as_ref().unwrap().longest.len() > 10);
        let hay = "zzqword123 zzqwordx zzq abcde abcdefg abc ab bcab éé éa x y z x y w zzqword29 \
                   zzqword2999 zzqword1";
        let expected = all_longest(&plain, hay);
        assert!(expected.iter().filter(|m| m.is_some()).count() > 15);
        assert_eq!(all_longest(&prefixed, hay), expected);
    }

    #[test]
    fn large_packs_get_prefixes() {
        let few: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
        assert!(Automaton::build(&few, DFA_MAX_PATTERNS).prefixes.is_none());
        let many: Vec<String> = (0..=PREFIXES_MIN_PATTERNS)
            .map(|i| format!("zzqword{i}"))
            .collect();
        let a = Automaton::build(&many, DFA_MAX_PATTERNS);
        assert!(a.prefixes.is_some());
        let m = a.longest_at(b"zzqword4999x", 0).unwrap();
        assert_eq!((m.pattern().as_usize(), m.end()), (4999, 11));
        assert!(a.longest_at(b"zzqword", 0).is_none());
    }
}
