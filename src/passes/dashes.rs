//! The dashes pass: hyphens typed for dashes become dashes, and ellipses
//! take one form.
//!
//! A hyphen with a space on each side between two words (`a Syrian
//! airstrike - a theory`) is never a hyphen: it is a dash that a keyboard,
//! a feed or a scraper flattened. So are `--` and `---` typed between
//! words. They become the dash the document already uses (spaced em dash
//! ` — `, closed em dash `—` or spaced en dash ` – `), or the one the user
//! chose. Everything else with a hyphen is left alone: compounds
//! (`long-awaited`), ranges (`1990-95`, `10 - 12`), negative numbers
//! (`-5`), list bullets (`- item`), rules (`---`, `- - -`), command-line
//! flags (`--help`) and HTML comments (`<!-- -->`).
//!
//! Ellipses are not damage, so by default `...` and `…` are both kept;
//! `ellipsis.style` turns one into the other.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use memchr::memmem;

use crate::edit::{Edit, Level};
use crate::passes::{Context, Pass};
use crate::settings::Settings;
pub use crate::settings::{DashStyle, EllipsisStyle};
use crate::spans::Spans;

/// Rule id: a spaced hyphen used as a dash (`airstrike - a theory`).
pub const SPACED_HYPHEN_DASH: &str = "spaced-hyphen-dash";
/// Rule id: two or three hyphens used as a dash (`word -- word`,
/// `word--word`).
pub const DOUBLE_HYPHEN_DASH: &str = "double-hyphen-dash";
/// Rule id: an ellipsis not in the chosen form.
pub const ELLIPSIS_STYLE: &str = "ellipsis-style";

static SPACED_ID: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(SPACED_HYPHEN_DASH));
static SPACED_WHY: LazyLock<Arc<str>> = LazyLock::new(|| {
    Arc::from("A hyphen with spaces on both sides between words is a flattened dash.")
});
static DOUBLE_ID: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(DOUBLE_HYPHEN_DASH));
static DOUBLE_WHY: LazyLock<Arc<str>> =
    LazyLock::new(|| Arc::from("Two or three hyphens are a typewriter dash."));
static ELLIPSIS_ID: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(ELLIPSIS_STYLE));
static ELLIPSIS_WHY: LazyLock<Arc<str>> =
    LazyLock::new(|| Arc::from("Ellipses are written in one form, as `ellipsis.style` asks."));

impl DashStyle {
    /// The replacement for a hyphen-as-dash, spaces included.
    fn dash(self) -> &'static str {
        match self {
            DashStyle::Em => "\u{2014}",
            DashStyle::EnSpaced => " \u{2013} ",
            _ => " \u{2014} ",
        }
    }
}

/// The dashes and ellipses pass.
#[derive(Clone, Copy, Debug)]
pub struct Dashes {
    /// The dash to write.
    pub style: DashStyle,
    /// The ellipsis to write.
    pub ellipsis: EllipsisStyle,
}

impl Dashes {
    /// Builds the pass from `dashes.style` and `ellipsis.style`.
    pub fn from_settings(settings: &Settings) -> Dashes {
        Dashes {
            style: settings.dashes_style,
            ellipsis: settings.ellipsis_style,
        }
    }
}

impl Pass for Dashes {
    fn name(&self) -> &'static str {
        "dashes"
    }

    fn run(&self, text: &str, cx: &Context<'_>, out: &mut Vec<Edit>) {
        let bytes = text.as_bytes();
        let dashes = self.style != DashStyle::Keep
            && memchr::memchr(b'-', bytes).is_some()
            && (cx.enabled(SPACED_HYPHEN_DASH) || cx.enabled(DOUBLE_HYPHEN_DASH));
        let ellipses = match self.ellipsis {
            EllipsisStyle::Keep => false,
            EllipsisStyle::Char => memmem::find(bytes, b"...").is_some(),
            EllipsisStyle::Dots => memmem::find(bytes, "\u{2026}".as_bytes()).is_some(),
        } && cx.enabled(ELLIPSIS_STYLE);
        if !dashes && !ellipses {
            return;
        }
        let code = Spans::new(cx.code(text).to_vec());
        let free = |r: &Range<usize>| !cx.protected.overlaps(r) && !code.overlaps(r);
        if dashes {
            // With no dash of its own, a document takes its language's.
            let style = match self.style {
                DashStyle::Dominant => dominant_in(text),
                s => Some(s),
            };
            hyphens(text, style, cx, &free, out);
        }
        if ellipses {
            self.ellipses(text, &free, out);
        }
    }
}

impl Dashes {
    /// Rewrites ellipses to the chosen form: three dots become `…` and four
    /// `….` (longer runs are leaders and stay); `…` becomes `...`.
    fn ellipses(&self, text: &str, free: &dyn Fn(&Range<usize>) -> bool, out: &mut Vec<Edit>) {
        let bytes = text.as_bytes();
        match self.ellipsis {
            EllipsisStyle::Char => {
                let mut next = 0;
                for s in memmem::find_iter(bytes, b"...") {
                    if s < next {
                        continue;
                    }
                    let run = bytes[s..].iter().take_while(|&&b| b == b'.').count();
                    next = s + run;
                    // Three dots are an ellipsis, four one that ends a
                    // sentence; longer runs are leaders and stay.
                    let after = match run {
                        3 => "\u{2026}",
                        4 => "\u{2026}.",
                        _ => continue,
                    };
                    let r = s..s + run;
                    if free(&r) {
                        out.push(ellipsis_edit(text, r, after));
                    }
                }
            }
            EllipsisStyle::Dots => {
                for s in memmem::find_iter(bytes, "\u{2026}".as_bytes()) {
                    let r = s..s + 3;
                    if free(&r) {
                        out.push(ellipsis_edit(text, r, "..."));
                    }
                }
            }
            EllipsisStyle::Keep => {}
        }
    }
}

fn ellipsis_edit(text: &str, range: Range<usize>, after: &str) -> Edit {
    Edit::new(
        &ELLIPSIS_ID,
        Level::Fix,
        text,
        range,
        Some(after.to_string()),
        &ELLIPSIS_WHY,
    )
}

/// Picks the dash style the document uses most: spaced em, spaced en or
/// closed em dashes (closed en dashes are ranges and say nothing). Ties and
/// documents without dashes take the spaced em dash.
pub fn dominant(text: &str) -> DashStyle {
    dominant_in(text).unwrap_or(DashStyle::EmSpaced)
}

/// The dash style `text` uses most, as [`dominant`] picks it; `None` when
/// it has no dash to go by.
fn dominant_in(text: &str) -> Option<DashStyle> {
    let bytes = text.as_bytes();
    let (mut em_spaced, mut em, mut en_spaced) = (0, 0, 0);
    for s in memmem::find_iter(bytes, b"\xe2\x80") {
        let dash = match bytes.get(s + 2) {
            Some(0x94) => true,
            Some(0x93) => false,
            _ => continue,
        };
        let before = text[..s].chars().next_back();
        let after = text[s + 3..].chars().next();
        let spaced = |c: Option<char>| matches!(c, Some(' ' | '\u{a0}'));
        let closed = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
        match (dash, spaced(before) && spaced(after)) {
            (true, true) => em_spaced += 1,
            (true, false) if closed(before) && closed(after) => em += 1,
            (false, true) => en_spaced += 1,
            _ => {}
        }
    }
    Some(if em_spaced + en_spaced + em == 0 {
        return None;
    } else if em_spaced >= en_spaced && em_spaced >= em {
        DashStyle::EmSpaced
    } else if en_spaced >= em {
        DashStyle::EnSpaced
    } else {
        DashStyle::Em
    })
}

/// Finds hyphens typed for dashes and replaces them by `style`'s dash.
fn hyphens(
    text: &str,
    style: Option<DashStyle>,
    cx: &Context<'_>,
    free: &dyn Fn(&Range<usize>) -> bool,
    out: &mut Vec<Edit>,
) {
    let bytes = text.as_bytes();
    let mut next = 0;
    for s in memchr::memchr_iter(b'-', bytes) {
        if s < next {
            continue; // inside a run already seen
        }
        let e = s + bytes[s..].iter().take_while(|&&b| b == b'-').count();
        next = e;
        let run = e - s;
        if run > 3 {
            continue;
        }
        let style = style.unwrap_or_else(|| cx.profile_at(s).dash);
        if style == DashStyle::Keep {
            continue;
        }
        let ls = skip_spaces_back(text, s);
        let re = skip_spaces_fwd(text, e);
        let left = text[..ls].chars().next_back();
        let right = text[re..].chars().next();
        let (Some(l), Some(r)) = (left, right) else {
            continue;
        };
        let (range, after, id, why) = if ls < s && e < re {
            // Spaced: `word - word`, `word -- word`.
            if !dash_neighbour(l)
                || !dash_neighbour(r)
                || (l.is_ascii_digit() && r.is_ascii_digit())
                || is_range(&text[..ls], &text[re..])
            {
                continue;
            }
            let (id, why) = if run == 1 {
                (&SPACED_ID, &SPACED_WHY)
            } else {
                (&DOUBLE_ID, &DOUBLE_WHY)
            };
            (ls..re, style.dash(), id, why)
        } else if ls == s && e == re && run >= 2 {
            // Closed: `word--word`; between numbers a range (`1990--95`).
            let left_ok = l.is_alphanumeric() || closes_before_dash(l);
            let right_ok = r.is_alphanumeric() || opens_after_dash(r);
            if !left_ok || !right_ok || !(l.is_alphanumeric() || r.is_alphanumeric()) {
                continue;
            }
            let after = if run == 2 && l.is_ascii_digit() && r.is_ascii_digit() {
                "\u{2013}"
            } else {
                style.dash()
            };
            (s..e, after, &DOUBLE_ID, &DOUBLE_WHY)
        } else {
            continue;
        };
        if !cx.enabled(id) || !free(&range) {
            continue;
        }
        out.push(Edit::new(
            id,
            Level::Fix,
            text,
            range,
            Some(after.to_string()),
            why,
        ));
    }
}

/// Currency signs a figure may open with.
const CURRENCY: &[char] = &['$', '€', '£', '¥', '₹', '₽', '₩'];

/// Returns true if a spaced hyphen between `before` and `after` joins two
/// quantities of one kind (`$50 - $100`, `9am - 5pm`, `5% - 10%`,
/// `2300 GMT - 0100 GMT`): a range, left as written, not a dash. Amounts
/// and percentages must rise: `£35bn - £2.5bn less` and `£50bn - 14%
/// higher` are asides.
fn is_range(before: &str, after: &str) -> bool {
    let left_token = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let left = quantity(left_token).or_else(|| {
        // A number and its unit word: `3 km`, `2300 GMT`.
        let unit = left_token;
        let ok = (1..=3).contains(&unit.chars().count()) && unit.chars().all(char::is_alphabetic);
        let number = before[..before.len() - unit.len()]
            .trim_end()
            .rsplit(char::is_whitespace)
            .next()?;
        let q = quantity(number).filter(|q| ok && q.suffix.is_empty())?;
        Some(Quantity { suffix: unit, ..q })
    });
    let right_token = after.split(char::is_whitespace).next().unwrap_or("");
    let right_token = right_token.trim_end_matches([',', '.', ';', ':', ')', '!', '?']);
    let right = quantity(right_token).map(|q| {
        if !q.suffix.is_empty() {
            return q;
        }
        // `3 km - 5 km`: the unit after the number.
        let rest = after[right_token.len()..].trim_start();
        let unit = rest
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        if left.is_some_and(|l| !l.suffix.is_empty() && l.suffix == unit) {
            Quantity { suffix: unit, ..q }
        } else {
            q
        }
    });
    let (Some(l), Some(r)) = (left, right) else {
        return false;
    };
    let clock = |s: &str| matches!(s.to_ascii_lowercase().as_str(), "am" | "pm");
    let same_suffix = l.suffix == r.suffix || (clock(l.suffix) && clock(r.suffix));
    let amount = l.currency.is_some() || l.suffix == "%";
    l.currency == r.currency && same_suffix && (!amount || r.value >= l.value)
}

/// A figure: its currency sign, value and what follows the digits.
#[derive(Clone, Copy)]
struct Quantity<'t> {
    currency: Option<char>,
    value: f64,
    suffix: &'t str,
}

/// Reads `token` as a figure: a currency sign or not, digits (with `.`,
/// `,` or `:` between), then at most a percent sign or three letters
/// (`9am`, `$5bn`, `10km`).
fn quantity(token: &str) -> Option<Quantity<'_>> {
    let currency = token.chars().next().filter(|c| CURRENCY.contains(c));
    let rest = &token[currency.map_or(0, char::len_utf8)..];
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | ':')))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(digits);
    let shaped = number.starts_with(|c: char| c.is_ascii_digit())
        && number.ends_with(|c: char| c.is_ascii_digit())
        && (suffix.is_empty()
            || suffix == "%"
            || (suffix.chars().count() <= 3 && suffix.chars().all(char::is_alphabetic)));
    if !shaped {
        return None;
    }
    let value = number.replace([',', ':'], "").parse().unwrap_or(0.0);
    Some(Quantity {
        currency,
        value,
        suffix,
    })
}

/// Returns true for a character that may stand next to a spaced dash: not
/// a space, not another dash, and not markup such as `<!--`, `|` or `=`.
fn dash_neighbour(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(
            c,
            '-' | '\u{2013}'
                | '\u{2014}'
                | '<'
                | '>'
                | '|'
                | '='
                | '+'
                | '*'
                | '/'
                | '\\'
                | '#'
                | '~'
                | '_'
                | '\u{feff}'
        )
}

/// Punctuation that may end the word before a closed `--`.
fn closes_before_dash(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '?' | ')' | ']' | '"' | '\'' | '\u{201d}' | '\u{2019}' | '\u{2026}'
    )
}

/// Punctuation that may start the word after a closed `--`.
fn opens_after_dash(c: char) -> bool {
    matches!(c, '(' | '[' | '"' | '\'' | '\u{201c}' | '\u{2018}')
}

/// Moves back over spaces and no-break spaces before `pos`.
fn skip_spaces_back(text: &str, mut pos: usize) -> usize {
    loop {
        let t = &text[..pos];
        if t.ends_with(' ') {
            pos -= 1;
        } else if t.ends_with('\u{a0}') {
            pos -= 2;
        } else {
            return pos;
        }
    }
}

/// Moves forward over spaces and no-break spaces from `pos`.
fn skip_spaces_fwd(text: &str, mut pos: usize) -> usize {
    loop {
        let t = &text[pos..];
        if t.starts_with(' ') {
            pos += 1;
        } else if t.starts_with('\u{a0}') {
            pos += 2;
        } else {
            return pos;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn run(style: DashStyle, ellipsis: EllipsisStyle, text: &str) -> String {
        let protected = crate::protect::protected_spans(text);
        let disabled = HashSet::new();
        let cx = Context::whole(&protected, &disabled);
        let mut edits = Vec::new();
        Dashes { style, ellipsis }.run(text, &cx, &mut edits);
        edits.sort_by_key(|e| e.range.start);
        let mut out = String::new();
        let mut pos = 0;
        for e in &edits {
            out.push_str(&text[pos..e.range.start]);
            out.push_str(e.after.as_deref().unwrap());
            pos = e.range.end;
        }
        out.push_str(&text[pos..]);
        out
    }

    fn dom(text: &str) -> String {
        run(DashStyle::Dominant, EllipsisStyle::Keep, text)
    }

    macro_rules! table {
        ($f:ident, $( $name:ident: $input:expr => $want:expr; )*) => {
            $( #[test] fn $name() { assert_eq!($f($input), $want, "input: {:?}", $input); } )*
        };
    }

    table! { dom,
        d01_article: "hit by a Syrian airstrike - a theory" => "hit by a Syrian airstrike — a theory";
        d02_article: "a Syrian air base - a strike" => "a Syrian air base — a strike";
        d03_double: "loans agreed -- but not yet made" => "loans agreed — but not yet made";
        d04_closed_double: "em--dash and em---dash" => "em — dash and em — dash";
        d05_range: "in 1990-95, pages 10-12, 16 - 21 year olds" => "in 1990-95, pages 10-12, 16 - 21 year olds";
        d06_compound: "a long-awaited, well-known -5 degrees" => "a long-awaited, well-known -5 degrees";
        d07_bullets: "- item\n  - nested\n" => "- item\n  - nested\n";
        d08_rules: "---\n- - -\n----\n" => "---\n- - -\n----\n";
        d09_html_comment: "<!-- -- -->" => "<!-- -- -->";
        d10_flags: "run copydesk --help now" => "run copydesk --help now";
        d11_numbers_range: "1--2 and 1440--80" => "1–2 and 1440–80";
        d12_follow_en: "a – b and c - d" => "a – b and c – d";
        d13_follow_em: "a—b and c - d" => "a—b and c—d";
        d14_quotes: "'bumping' - when" => "'bumping' — when";
        d15_line_end: "word -\nnext" => "word -\nnext";
        d16_one_side: "antici- pation and 10 -12" => "antici- pation and 10 -12";
        d17_code: "`a - b` c - d" => "`a - b` c — d";
        d18_url: "see http://a.com/x - y" => "see http://a.com/x — y";
        d19_nbsp: "a\u{a0}- b" => "a — b";
        d20_cyrillic: "диеты - что" => "диеты — что";
        d21_signature: "question. -- CONCERNED SISTER" => "question. — CONCERNED SISTER";
        d22_money_range: "from $50 - $100, £5 - £10 or $5bn - $10bn" => "from $50 - $100, £5 - £10 or $5bn - $10bn";
        d23_time_range: "open 9am - 5pm, 9:00 - 17:00" => "open 9am - 5pm, 9:00 - 17:00";
        d24_percent_range: "rates of 5% - 10% and 3 km - 5 km" => "rates of 5% - 10% and 3 km - 5 km";
        d25_years: "from 1990 - 1995." => "from 1990 - 1995.";
        d26_figure_then_words: "worth $50 - was signed, 9am - a start" => "worth $50 — was signed, 9am — a start";
        d27_asides_between_figures: "are £35bn - £2.5bn less, £50bn - 14% higher" => "are £35bn — £2.5bn less, £50bn — 14% higher";
        d28_unit_words: "from 2300 GMT - 0100 GMT, 3 km - 5 km" => "from 2300 GMT - 0100 GMT, 3 km - 5 km";
    }

    #[test]
    fn styles() {
        let t = "airstrike - a theory";
        assert_eq!(
            run(DashStyle::Em, EllipsisStyle::Keep, t),
            "airstrike—a theory"
        );
        assert_eq!(
            run(DashStyle::EmSpaced, EllipsisStyle::Keep, t),
            "airstrike — a theory"
        );
        assert_eq!(
            run(DashStyle::EnSpaced, EllipsisStyle::Keep, t),
            "airstrike – a theory"
        );
        assert_eq!(run(DashStyle::Keep, EllipsisStyle::Keep, t), t);
    }

    #[test]
    fn ellipses() {
        let t = "Wait... what…. Leaders..... and .. end...";
        assert_eq!(
            run(DashStyle::Keep, EllipsisStyle::Char, "so.... and...and"),
            "so…. and…and"
        );
        assert_eq!(run(DashStyle::Keep, EllipsisStyle::Keep, t), t);
        assert_eq!(
            run(DashStyle::Keep, EllipsisStyle::Char, t),
            "Wait… what…. Leaders..... and .. end…"
        );
        assert_eq!(
            run(DashStyle::Keep, EllipsisStyle::Dots, t),
            "Wait... what.... Leaders..... and .. end..."
        );
    }

    #[test]
    fn dominant_counts_spacing() {
        assert_eq!(dominant("no dashes"), DashStyle::EmSpaced);
        assert_eq!(dominant("a – b – c — d"), DashStyle::EnSpaced);
        assert_eq!(dominant("a—b c—d e — f"), DashStyle::Em);
        assert_eq!(dominant("1990–95 only"), DashStyle::EmSpaced);
    }
}
