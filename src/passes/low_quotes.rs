//! Quote pairs in languages whose quotations open low and close with
//! `“` (German `„…“`): the quotes pass leaves their paragraphs alone, and
//! here only the pairs typed with an English mark on one side are
//! repaired: `"…“` and `“…“` open with `„`, `„…”` closes with `“`.
//! English curly quotes are never imposed on them.

use std::ops::Range;

use crate::edit::{Edit, Level};
use crate::locale::Profile;

/// Returns true if `profile`'s quotations open with another mark and
/// close with `“` (so a `“` closing a pair is sound, not backwards).
pub fn applies(profile: &Profile) -> bool {
    profile.quotes[1] == "\u{201c}" && profile.quotes[0] != "\u{201c}"
}

/// Appends the repairs of the double-quote pairs of paragraph `para` of
/// `text`, written in `profile`; `skip` says whether a range is code or
/// protected.
pub fn repair(
    text: &str,
    para: Range<usize>,
    profile: &Profile,
    skip: &dyn Fn(&Range<usize>) -> bool,
    rule: (&std::sync::Arc<str>, &std::sync::Arc<str>),
    out: &mut Vec<Edit>,
) {
    let opener = profile.quotes[0].as_str();
    let Some(low) = opener.chars().next() else {
        return;
    };
    let marks: Vec<(usize, char)> = text[para.clone()]
        .char_indices()
        .filter(|&(_, c)| matches!(c, '"' | '\u{201c}' | '\u{201d}') || c == low)
        .map(|(i, c)| (para.start + i, c))
        .filter(|&(i, c)| !skip(&(i..i + c.len_utf8())))
        .collect();
    let mut k = 0;
    while k + 1 < marks.len() {
        let (a, ca) = marks[k];
        let (b, cb) = marks[k + 1];
        if !opens(text, a, ca) || !closes(text, b, cb) {
            k += 1;
            continue;
        }
        let (range, after) = match (ca, cb) {
            ('"' | '\u{201c}', '\u{201c}') => (a..a + ca.len_utf8(), opener),
            (o, '\u{201d}') if o == low => (b..b + cb.len_utf8(), "\u{201c}"),
            _ => {
                k += 2;
                continue;
            }
        };
        out.push(Edit::new(
            rule.0,
            Level::Fix,
            text,
            range,
            Some(after.to_string()),
            rule.1,
        ));
        k += 2;
    }
}

/// Returns true if the mark `c` at `at` stands where a quotation opens:
/// after a space, a bracket or a dash (or at the start), before a word.
fn opens(text: &str, at: usize, c: char) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + c.len_utf8()..].chars().next();
    before.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '\u{2014}' | '\u{2013}'))
        && after.is_some_and(char::is_alphanumeric)
}

/// Returns true if the mark `c` at `at` stands where a quotation closes:
/// after a word or a mark, before a space, a mark or the end.
fn closes(text: &str, at: usize, c: char) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + c.len_utf8()..].chars().next();
    before.is_some_and(|p| !p.is_whitespace()) && after.is_none_or(|n| !n.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Profiles;
    use std::sync::Arc;

    fn fixed(text: &str) -> String {
        let profiles = Profiles::builtin();
        let de = profiles.get(profiles.index("de"));
        assert!(applies(de));
        let id: Arc<str> = Arc::from("mismatched-quotes");
        let mut out = Vec::new();
        repair(text, 0..text.len(), de, &|_| false, (&id, &id), &mut out);
        let mut s = text.to_string();
        for e in out.iter().rev() {
            s.replace_range(e.range.clone(), e.after.as_deref().unwrap());
        }
        s
    }

    #[test]
    fn german_pairs() {
        assert_eq!(
            fixed("Er sagte \"Hallo\u{201c} und ging."),
            "Er sagte \u{201e}Hallo\u{201c} und ging."
        );
        assert_eq!(
            fixed("Er sagte \u{201c}Hallo\u{201c}."),
            "Er sagte \u{201e}Hallo\u{201c}."
        );
        assert_eq!(
            fixed("\u{201e}Hallo\u{201d}, sagte er."),
            "\u{201e}Hallo\u{201c}, sagte er."
        );
        for sound in [
            "Er sagte \u{201e}Hallo\u{201c} und ging.",
            "Er sagte \"Hallo\" und ging.",
            "Zoll: 5\u{201c} lang",
        ] {
            assert_eq!(fixed(sound), sound);
        }
        assert!(!applies(
            Profiles::builtin().get(Profiles::builtin().english())
        ));
    }
}
