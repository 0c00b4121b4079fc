//! Rule conditions, written once for phrase and pattern rules.
//!
//! The matcher ([`crate::matcher`]) finds where a rule's phrase or pattern
//! occurs; whether the rule applies there is decided here, the same way
//! for both kinds of rule: the match must not touch a protected span, must
//! be whole words (unless the rule says `boundary: none`), must not be
//! followed by an editorial `[sic]`, must not lie inside one of the rule's
//! `unless` phrases, the document must hold one of its `requires` phrases
//! (as whole words), and inside quotation marks it is skipped or only
//! suggested as `in_quotes` says. An edit whose result the next run would
//! rewrite again is reported, never applied, with one of the messages of
//! [`Cascade`].

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::blocks::{self, Blocks};
use crate::edit::Level;
use crate::fold::Folded;
use crate::matcher::{at_word_boundary, word_edges};
use crate::rules::{InQuotes, Protected, RuleSet};
use crate::spans::{quoted_around, Spans};

/// What a pass may consult besides the text.
pub struct Context<'a> {
    /// Spans no pass may touch, in the coordinates of the text.
    pub protected: &'a Spans,
    /// Rule ids switched off by the user.
    pub disabled: &'a std::collections::HashSet<String>,
    /// Whether the document-dependent conditions `in_quotes` and
    /// `requires` are honoured: off only when a rule set is checked against
    /// its own replacements (cycles and cascades), where every rule that
    /// could fire in some document must be considered.
    pub check_quotes: bool,
    /// The parts of the text changed since the pass last ran, when the
    /// pipeline knows them (a later round): a pass whose findings in a
    /// paragraph depend on that paragraph alone may look only at the
    /// paragraphs that hold them, since it would find in the others what it
    /// found before. `None`: look at the whole text.
    pub within: Option<&'a [Range<usize>]>,
    /// The languages of the text's parts (`None`: English throughout).
    pub languages: Option<&'a crate::locale::Languages>,
    /// The paragraphs and code of the text, shared by the passes that read
    /// it (`None`: each pass finds them itself).
    pub(crate) blocks: Option<&'a Blocks>,
    /// Bytes per piece a pass that can read a long text in pieces takes on
    /// its own core, as the schedule decides (`crate::schedule::Stage::piece`):
    /// `usize::MAX` reads the text whole, on this thread.
    pub(crate) piece: usize,
}

impl<'a> Context<'a> {
    /// A context for reading all of a text: every condition honoured,
    /// nothing singled out.
    pub fn whole(
        protected: &'a Spans,
        disabled: &'a std::collections::HashSet<String>,
    ) -> Context<'a> {
        Context {
            protected,
            disabled,
            check_quotes: true,
            within: None,
            languages: None,
            blocks: None,
            piece: crate::schedule::PIECE,
        }
    }

    /// A context for checking rules against their own replacements: no
    /// protected span, the document-dependent conditions off.
    pub(crate) fn self_check(
        none: &'a Spans,
        disabled: &'a std::collections::HashSet<String>,
    ) -> Context<'a> {
        Context {
            protected: none,
            disabled,
            check_quotes: false,
            within: None,
            languages: None,
            blocks: None,
            piece: crate::schedule::PIECE,
        }
    }

    /// The typography profile of the text at byte `at`.
    pub fn profile_at(&self, at: usize) -> &crate::locale::Profile {
        self.languages.unwrap_or(&ENGLISH).at(at)
    }

    /// The language code of the text at byte `at` (`en` when the
    /// languages are not known).
    pub fn lang_at(&self, at: usize) -> &str {
        self.languages.unwrap_or(&ENGLISH).code_at(at)
    }

    /// Returns true unless the user disabled the rule `id`.
    pub fn enabled(&self, id: &str) -> bool {
        !self.disabled.contains(id)
    }

    /// The fenced code blocks of `text`, the text the pass reads.
    pub(crate) fn fences(&self, text: &str) -> Cow<'a, [Range<usize>]> {
        match self.blocks {
            Some(b) => Cow::Borrowed(b.fences(text)),
            None => Cow::Owned(blocks::fences(text)),
        }
    }

    /// The Markdown code of `text`: fenced blocks and inline spans.
    pub(crate) fn code(&self, text: &str) -> Cow<'a, [Range<usize>]> {
        match self.blocks {
            Some(b) => Cow::Borrowed(b.code(text)),
            None => Cow::Owned(blocks::code(text)),
        }
    }

    /// The paragraphs of `text`.
    pub(crate) fn paragraphs(&self, text: &str) -> Cow<'a, [Range<usize>]> {
        match self.blocks {
            Some(b) => Cow::Borrowed(b.paragraphs(text)),
            None => Cow::Owned(blocks::paragraphs(text).collect()),
        }
    }
}

/// The languages of a text read without detection: English throughout.
static ENGLISH: std::sync::LazyLock<crate::locale::Languages> =
    std::sync::LazyLock::new(crate::locale::Languages::english);

/// How much text on each side of an edit the context checks read.
pub const CONTEXT_CHARS: usize = 32;

/// An edit's replacement with up to [`CONTEXT_CHARS`] characters of the
/// text on each side: what the next run would see there. The phrase and
/// pattern rules are run over it to tell whether an edit would be
/// rewritten again.
pub struct Probe {
    /// The context before, the replacement, the context after.
    pub text: String,
    /// Where the replacement lies in [`Probe::text`].
    pub replacement: Range<usize>,
    /// Where [`Probe::text`] starts in the edited text.
    pub start: usize,
}

impl Probe {
    /// The probe for replacing `range` of `text` with `after`.
    pub fn new(text: &str, range: &Range<usize>, after: &str) -> Probe {
        let start = text[..range.start]
            .char_indices()
            .rev()
            .take(CONTEXT_CHARS)
            .last()
            .map_or(range.start, |(k, _)| k);
        let end = text[range.end..]
            .char_indices()
            .nth(CONTEXT_CHARS)
            .map_or(text.len(), |(k, _)| range.end + k);
        let mut probe = String::with_capacity(end - start + after.len());
        probe.push_str(&text[start..range.start]);
        let replacement = probe.len()..probe.len() + after.len();
        probe.push_str(after);
        probe.push_str(&text[range.end..end]);
        Probe {
            text: probe,
            replacement,
            start,
        }
    }
}

/// What the conditions read of the whole document, found when first
/// needed and shared by every match in it.
pub(crate) struct Document<'a> {
    /// The whole text.
    pub text: &'a str,
    /// Which `requires` phrases of the rule set occur in it.
    pub requires: &'a OnceLock<Vec<bool>>,
}

/// The quoted regions of the paragraphs around the last match looked at:
/// matches come in text order and are few, the text may be long.
#[derive(Default)]
pub(crate) struct Quotes(Option<(Range<usize>, Spans)>);

impl Quotes {
    /// Returns true if `range` of `text` overlaps a quoted region.
    fn overlap(&mut self, text: &str, range: &Range<usize>) -> bool {
        if !self
            .0
            .as_ref()
            .is_some_and(|(s, _)| s.start <= range.start && range.end <= s.end)
        {
            self.0 = Some(quoted_around(text, range));
        }
        let (_, q) = self.0.as_ref().expect("just found");
        q.overlaps(range)
    }
}

/// A match of rule `index` at `range` of `text` (the document, or a chunk
/// of it that starts at `base`), whose conditions are to be checked.
pub(crate) struct Candidate<'a> {
    /// The rule's index in [`RuleSet::rules`].
    pub index: u32,
    /// The text the match is in.
    pub text: &'a str,
    /// Where `text` starts in the document.
    pub base: usize,
    /// The match, in `text`.
    pub range: Range<usize>,
    /// Whether the phrase or match starts / ends with a word character:
    /// the sides on which a word boundary is needed.
    pub edges: (bool, bool),
}

impl Candidate<'_> {
    /// The edges of `matched` as a candidate's [`Candidate::edges`].
    pub(crate) fn edges_of(matched: &str) -> (bool, bool) {
        word_edges(matched)
    }
}

/// Checks every condition of the candidate's rule; returns the level the
/// edit gets (the rule's, or `suggest` inside quotation marks), or `None`
/// when the rule does not apply there.
pub(crate) fn check(
    set: &RuleSet,
    c: &Candidate<'_>,
    cx: &Context<'_>,
    doc: &Document<'_>,
    quotes: &mut Quotes,
) -> Option<Level> {
    let rule = &set.rules[c.index as usize];
    let range = &c.range;
    if !cx.enabled(&rule.id) {
        return None;
    }
    let span = c.base + range.start..c.base + range.end;
    if cx.protected.overlaps(&span) && !may_remove_protected(rule.protected, cx.protected, c, &span)
    {
        return None;
    }
    if rule.word_boundary && !at_word_boundary(c.text, range, c.edges) {
        return None;
    }
    if followed_by_sic(&c.text[range.end..]) {
        return None;
    }
    if covered_by_unless(c.text, range, &rule.unless) {
        return None;
    }
    // `requires` and `in_quotes` depend on the document; a rule set
    // checked against itself (no `check_quotes`) ignores them.
    if !cx.check_quotes {
        return Some(rule.level);
    }
    // A pack for some languages only: the paragraph's language decides.
    if !rule.applies_to(cx.lang_at(c.base + range.start)) {
        return None;
    }
    if set.requires.needed_by(c.index) {
        let present = doc.requires.get_or_init(|| {
            let mut present = vec![false; set.requires.len()];
            let whole = doc.text;
            set.requires
                .find(whole, std::iter::once(0..whole.len()), &mut present);
            present
        });
        if !set.requires.met(c.index, present) {
            return None;
        }
    }
    let mut level = rule.level;
    if rule.in_quotes != InQuotes::Apply && quotes.overlap(c.text, range) {
        if rule.in_quotes == InQuotes::Skip {
            return None;
        }
        level = level.min(Level::Suggest);
    }
    Some(level)
}

/// Returns true if the candidate's match, which touches protected spans,
/// may remove them as its rule's `protected` allows: each lies wholly inside
/// the match, and for `delete-lines` the match is whole lines, from a
/// line's start to past its line break or to the end of the text. What the
/// replacement may hold is checked once it is known
/// ([`replacement_drops_protected`]).
fn may_remove_protected(
    how: Protected,
    protected: &Spans,
    c: &Candidate<'_>,
    span: &Range<usize>,
) -> bool {
    let inside = protected
        .meeting(span)
        .iter()
        .all(|s| span.start <= s.start && s.end <= span.end);
    let range = &c.range;
    let whole_lines = || {
        // Only in a whole text are the line's start and end seen.
        let head = range.start == 0 || c.text[..range.start].ends_with('\n');
        let tail = range.end == c.text.len() || c.text[..range.end].ends_with('\n');
        c.base == 0 && head && tail
    };
    match how {
        Protected::Avoid => false,
        Protected::DeleteLines => inside && whole_lines(),
        Protected::DeleteWhole => inside,
    }
}

/// Returns true if `after`, the replacement of `range` of `text`, keeps no
/// protected span the match holds (or it holds none): `delete-lines`
/// deletes (its replacement is empty), `delete-whole` may keep text around
/// the spans but none of their own (a protected span is removed, never
/// moved or cut).
pub(crate) fn replacement_drops_protected(
    how: Protected,
    protected: &Spans,
    text: &str,
    range: &Range<usize>,
    after: Option<&str>,
) -> bool {
    let spans = protected.meeting(range);
    if spans.is_empty() {
        return true;
    }
    let after = after.unwrap_or("");
    match how {
        Protected::Avoid => false,
        Protected::DeleteLines => after.is_empty(),
        Protected::DeleteWhole => spans.iter().all(|s| !after.contains(&text[s.clone()])),
    }
}

/// Returns true if `rest` starts with an editorial `[sic]`: the writer
/// meant the text as it is.
fn followed_by_sic(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\u{a0}']);
    rest.get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("[sic]"))
}

/// Returns true if one of the folded `unless` phrases occurs, as whole
/// words, in `text` around `range` (checked on a small window, folded on
/// the fly).
fn covered_by_unless(text: &str, range: &Range<usize>, unless: &[String]) -> bool {
    if unless.is_empty() {
        return false;
    }
    let longest = unless.iter().map(String::len).max().unwrap_or(0);
    let mut lo = range.start.saturating_sub(longest * 2);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (range.end + longest * 2).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    let folded = Folded::new(&text[lo..hi]);
    unless.iter().any(|u| {
        folded.as_str().match_indices(u.as_str()).any(|(i, _)| {
            let s = lo + folded.to_original(i);
            let e = lo + folded.to_original(i + u.len());
            s <= range.start && range.end <= e && at_word_boundary(text, &(s..e), word_edges(u))
        })
    })
}

/// Why an edit is reported but never applied: the next run would change
/// the text again.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Cascade {
    /// The replacement, seen on its own, is rewritten by a rule.
    Rewritten,
    /// With the text around it, the rule (or another) matches again.
    MatchesAgain,
}

/// `rule`'s reason, followed by why the edit is not applied.
pub(crate) fn not_applied(why: &str, cascade: Cascade) -> Arc<str> {
    let reason = match cascade {
        Cascade::Rewritten => "the replacement would itself be rewritten",
        Cascade::MatchesAgain => "with the text around it the rule would match again",
    };
    Arc::from(format!(
        "{why}{}not applied: {reason}, so output would change on every run",
        if why.is_empty() { "" } else { " — " }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sic_protects() {
        assert!(followed_by_sic(" [sic] said"));
        assert!(followed_by_sic("[SIC]"));
        assert!(!followed_by_sic(" sic"));
    }
}
