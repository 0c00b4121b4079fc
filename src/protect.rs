//! Spans no pass may touch: URLs, e-mail addresses, @handles, #hashtags,
//! and bare domain or file names.
//!
//! Rewriting any of these breaks a link or changes a name, so they are found
//! once on the input and every pass skips them. The patterns use ASCII word
//! boundaries so the regex crate's lazy DFA can run them at full speed (a
//! Unicode `\b` would force the slow engine on non-ASCII text).
//!
//! The spans are those of one leftmost-first alternation of four shapes
//! (`URL`, `EMAIL`, `TAG`, `NAME`), matched left to right. Compiling
//! that alternation cost more than the rest of a one-file `check` of a short
//! text (its Unicode `\w` classes above all), and most texts contain no
//! protected span at all. So each shape is its own regex, compiled only for
//! a text holding what every match of it contains (`://` or `www.`, `@`,
//! `@` or `#`, a `.` then a known suffix: see `triggers`), and run only
//! on the words that hold it (see `windows`): scanning a long text with
//! the lazy DFA cost about 20 instructions a byte, looking for the
//! triggers costs a fraction of one. The matches of the shapes are merged
//! as the alternation would have found them (see [`protected_spans`]). A
//! test compares the spans with those of the one alternation on news and
//! on adversarial text.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;
use regex::Regex;

use crate::spans::Spans;

/// URLs with a scheme or `www.`.
const URL: &str = r#"(?x)
    (?:(?-u:\b)(?:https?|ftp)://|(?-u:\b)www\.)[^\s<>"'\x60()\[\]{}“”‘’«»‹›]*[^\s<>"'\x60()\[\]{}“”‘’«»‹›.,;:!?]
"#;

/// E-mail addresses.
const EMAIL: &str = r"(?-u:\b)[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?-u:\b)";

/// @handles and #hashtags, with the character before the sigil: not
/// inside a word, nor after the `&` or `;` of a character reference
/// (`&#39;`, `&amp;#x2019;`); a hashtag has a letter, so `#1` and the
/// `#39;` of a reference are not one. The span starts at the sigil.
const TAG: &str = r"(?:^|[^\w@\#&;])(?:@\w+|\#\w*[^\W\d]\w*)";

/// Bare domains and file names: `name.tld` or `name.ext`.
const NAME: &str = r"(?-u:\b)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?i:com|org|net|gov|edu|int|mil|io|co|uk|us|eu|de|fr|ru|cn|info|biz|news|html?|php|aspx?|jsp|pdf|txt|md|csv|json|xml|ya?ml|docx?|xlsx?|pptx?|jpe?g|png|gif|svg|mp[34]|zip|gz|tar|exe|rs|py|js|ts)(?-u:\b)";

/// Every word [`NAME`]'s suffix group matches, ignoring case, each
/// optional letter dropped (a word that starts with one of these is
/// needed for a match; a test checks the list against the group).
const SUFFIXES: &[&[u8]] = &[
    b"com", b"org", b"net", b"gov", b"edu", b"int", b"mil", b"io", b"co", b"uk", b"us", b"eu",
    b"de", b"fr", b"ru", b"cn", b"info", b"biz", b"news", b"htm", b"php", b"asp", b"jsp", b"pdf",
    b"txt", b"md", b"csv", b"json", b"xml", b"yml", b"yaml", b"doc", b"xls", b"ppt", b"jpg",
    b"jpeg", b"png", b"gif", b"svg", b"mp3", b"mp4", b"zip", b"gz", b"tar", b"exe", b"rs", b"py",
    b"js", b"ts",
];

/// The four shapes, in the order of the alternation they stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Url,
    Email,
    Tag,
    Name,
}

const SHAPES: [Shape; 4] = [Shape::Url, Shape::Email, Shape::Tag, Shape::Name];

static REGEXES: [LazyLock<Regex>; 4] = [
    LazyLock::new(|| compile(URL)),
    LazyLock::new(|| compile(EMAIL)),
    LazyLock::new(|| compile(TAG)),
    LazyLock::new(|| compile(NAME)),
];

fn compile(source: &str) -> Regex {
    Regex::new(source).expect("protected-span regex compiles")
}

impl Shape {
    /// The shape's regex, compiled on first use.
    fn regex(self) -> &'static Regex {
        &REGEXES[self as usize]
    }

    /// The protected span of one of the shape's matches: a handle or
    /// hashtag starts at its sigil (the character before is not one).
    fn span(self, m: regex::Match<'_>) -> std::ops::Range<usize> {
        match self {
            Shape::Tag => {
                let sigil = memchr::memchr2(b'@', b'#', m.as_str().as_bytes())
                    .expect("a handle or hashtag has its sigil");
                m.start() + sigil..m.end()
            }
            _ => m.range(),
        }
    }
}

/// The positions of what every match of `shape` contains (its triggers),
/// ascending: `://` or `www.` for a URL, `@` for an e-mail address, `@` or
/// `#` for a handle or hashtag, a `.` then a known suffix for a name.
fn triggers(shape: Shape, text: &[u8]) -> Vec<usize> {
    match shape {
        Shape::Url => {
            let mut at: Vec<usize> = memmem::find_iter(text, b"://")
                .chain(memmem::find_iter(text, b"www."))
                .collect();
            at.sort_unstable();
            at
        }
        Shape::Email => memchr::memchr_iter(b'@', text).collect(),
        Shape::Tag => memchr::memchr2_iter(b'@', b'#', text).collect(),
        Shape::Name => memchr::memchr_iter(b'.', text)
            .filter(|&i| suffix_at(&text[i + 1..]))
            .collect(),
    }
}

/// Where matches of `shape` can lie in `text`, ascending and disjoint: the
/// words (runs without ASCII whitespace) holding a trigger, each with the
/// whitespace byte before it. No shape matches ASCII whitespace except a
/// handle's or hashtag's first character (the one before its sigil), and
/// every match holds a trigger, so every match lies in one of these
/// windows; searching only there finds the same matches, found once per
/// trigger word instead of by a scan of the whole text.
fn windows(shape: Shape, text: &[u8]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for t in triggers(shape, text) {
        let floor = out.last().map_or(0, |w| w.end);
        if t < floor {
            continue;
        }
        let start = text[floor..t]
            .iter()
            .rposition(|b| b.is_ascii_whitespace())
            .map_or(floor, |i| floor + i);
        let end = text[t..]
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .map_or(text.len(), |i| t + i);
        out.push(start..end);
    }
    out
}

/// The matches of one shape, in order, searched only in its windows.
struct ShapeMatches {
    shape: Shape,
    windows: Vec<Range<usize>>,
    /// The first window that can still hold a match.
    next: usize,
}

impl ShapeMatches {
    /// The shape's leftmost match that starts at or after `at`.
    fn find_at<'t>(&mut self, text: &'t str, at: usize) -> Option<regex::Match<'t>> {
        while let Some(w) = self.windows.get(self.next) {
            if w.end > at {
                // The window's end is whitespace or the text's end, so a
                // haystack cut there looks the same to a match's last `\b`.
                let found = self.shape.regex().find_at(&text[..w.end], at.max(w.start));
                if found.is_some() {
                    return found;
                }
            }
            self.next += 1;
        }
        None
    }
}

/// Returns true if `after` starts with one of [`SUFFIXES`], ignoring case
/// as the regex does: ASCII case, and the two non-ASCII characters whose
/// case folds to ASCII letters, `ſ` (s) and the Kelvin sign `K` (k).
fn suffix_at(after: &[u8]) -> bool {
    let mut word = [0u8; 4];
    let mut n = 0;
    let mut rest = after;
    while n < word.len() {
        let (b, len) = match rest {
            [b, ..] if b.is_ascii_alphanumeric() => (b.to_ascii_lowercase(), 1),
            [0xC5, 0xBF, ..] => (b's', 2),
            [0xE2, 0x84, 0xAA, ..] => (b'k', 3),
            _ => break,
        };
        word[n] = b;
        n += 1;
        rest = &rest[len..];
    }
    SUFFIXES.iter().any(|s| word[..n].starts_with(s))
}

/// Finds the protected spans of `text`: the successive non-overlapping
/// matches, left to right, of the alternation of the shapes.
///
/// Each shape that can occur keeps its leftmost match from where the
/// search stands; the alternation's next match is the leftmost of those,
/// the earliest shape winning a tie (leftmost-first: at a given start the
/// alternation takes its first branch that matches there). A shape's
/// match is searched again only once the search has moved past its start.
pub fn protected_spans(text: &str) -> Spans {
    let mut shapes: Vec<ShapeMatches> = SHAPES
        .into_iter()
        .map(|shape| ShapeMatches {
            shape,
            windows: windows(shape, text.as_bytes()),
            next: 0,
        })
        .filter(|s| !s.windows.is_empty())
        .collect();
    let mut next: Vec<Option<regex::Match<'_>>> =
        shapes.iter_mut().map(|s| s.find_at(text, 0)).collect();
    let mut out = Vec::new();
    loop {
        let mut best: Option<usize> = None;
        for (i, m) in next.iter().enumerate() {
            if let Some(m) = m {
                if best.is_none_or(|b| next[b].is_some_and(|b| m.start() < b.start())) {
                    best = Some(i);
                }
            }
        }
        let Some(b) = best else { break };
        let m = next[b].expect("the best shape has a match");
        out.push(shapes[b].shape.span(m));
        // No shape matches the empty string, so the search moves on.
        let at = m.end();
        for (i, n) in next.iter_mut().enumerate() {
            if n.is_some_and(|n| n.start() < at) {
                *n = shapes[i].find_at(text, at);
            }
        }
    }
    Spans::new(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        protected_spans(text)
            .ranges()
            .iter()
            .map(|r| &text[r.clone()])
            .collect()
    }

    #[test]
    fn finds_links_addresses_and_handles() {
        assert_eq!(
            found("See https://example.com/a.b?x=1, mail ed@news.example.org or @copydesk #Syria."),
            vec![
                "https://example.com/a.b?x=1",
                "ed@news.example.org",
                "@copydesk",
                "#Syria"
            ]
        );
    }

    #[test]
    fn finds_bare_domains_and_file_names() {
        assert_eq!(
            found("Read bbc.co.uk or report.pdf; the end.Then"),
            vec!["bbc.co.uk", "report.pdf"]
        );
    }

    #[test]
    fn numbers_and_references_are_not_hashtags() {
        assert!(found("ranked #1, it #39;s, &amp;#x2019; and &#39;").is_empty());
        assert_eq!(found("#2024Olympics #G7"), vec!["#2024Olympics", "#G7"]);
    }

    #[test]
    fn a_url_ends_before_curly_quotes() {
        assert_eq!(
            found("see \u{201c}www.example.com\u{201d} and www.x.org\u{2019}s"),
            vec!["www.example.com", "www.x.org"]
        );
    }

    /// The one alternation the shapes stand for, as it was written before
    /// they were split (the reference the split is checked against).
    static ONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?x)
            # URLs with a scheme or www.
            (?:(?-u:\b)(?:https?|ftp)://|(?-u:\b)www\.)[^\s<>"'\x60()\[\]{}“”‘’«»‹›]*[^\s<>"'\x60()\[\]{}“”‘’«»‹›.,;:!?]
            # e-mail addresses
            | (?-u:\b)[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?-u:\b)
            # @handles and #hashtags (not inside a word, nor after the `&` or
            # `;` of a character reference: `&#39;`, `&amp;#x2019;`); a hashtag
            # has a letter, so `#1` and the `#39;` of a reference are not one
            | (?:^|[^\w@\#&;])(?P<tag>@\w+|\#\w*[^\W\d]\w*)
            # bare domains and file names: name.tld or name.ext
            | (?-u:\b)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?i:com|org|net|gov|edu|int|mil|io|co|uk|us|eu|de|fr|ru|cn|info|biz|news|html?|php|aspx?|jsp|pdf|txt|md|csv|json|xml|ya?ml|docx?|xlsx?|pptx?|jpe?g|png|gif|svg|mp[34]|zip|gz|tar|exe|rs|py|js|ts)(?-u:\b)
            "#,
        )
        .unwrap()
    });

    /// The spans the one alternation finds.
    fn reference(text: &str) -> Vec<std::ops::Range<usize>> {
        ONE.captures_iter(text)
            .map(|c| c.name("tag").or_else(|| c.get(0)).unwrap().range())
            .collect()
    }

    fn same_as_reference(text: &str) {
        assert_eq!(
            protected_spans(text).ranges(),
            Spans::new(reference(text)).ranges(),
            "{text:?}"
        );
    }

    /// Every `articleBody` string in `v`.
    fn bodies(v: &serde_json::Value, out: &mut Vec<String>) {
        for (k, v) in v.as_object().into_iter().flatten() {
            match v.as_str() {
                Some(body) if k == "articleBody" => out.push(body.to_string()),
                _ => bodies(v, out),
            }
        }
    }

    /// Real news, and scraped pages full of links, addresses and handles:
    /// the split shapes find exactly the spans of the one alternation.
    #[test]
    #[allow(clippy::print_stderr)]
    fn split_shapes_find_what_the_alternation_found_on_news() {
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
        let mut texts = Vec::new();
        for topic in std::fs::read_dir(format!("{corpus}/bbc-news"))
            .into_iter()
            .flatten()
            .flatten()
        {
            for f in std::fs::read_dir(topic.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                texts.extend(std::fs::read_to_string(f.path()));
            }
        }
        for pages in ["ground-truth", "output-html-text", "output-trafilatura"] {
            let pages = format!("{corpus}/article-extraction-benchmark/{pages}.json");
            let Ok(json) = std::fs::read_to_string(pages) else {
                continue;
            };
            bodies(&serde_json::from_str(&json).unwrap(), &mut texts);
        }
        texts.extend(std::fs::read_to_string(format!(
            "{corpus}/ag-news/test.csv"
        )));
        if texts.is_empty() {
            eprintln!("note: {corpus} is absent: news skipped");
            return;
        }
        // Spans of each shape: URL, e-mail, handle or hashtag, name.
        let mut spans = [0; 4];
        for text in &texts {
            same_as_reference(text);
            for r in reference(text) {
                let s = &text[r];
                let shape = if s.contains("://") || s.starts_with("www.") {
                    0
                } else if s.starts_with(['@', '#']) {
                    2
                } else if s.contains('@') {
                    1
                } else {
                    3
                };
                spans[shape] += 1;
            }
        }
        eprintln!("spans by shape: {spans:?}");
        assert!(spans.iter().all(|&n| n >= 5), "spans by shape: {spans:?}");
    }

    /// Texts built to make the shapes meet: at the same start, one inside
    /// another, one right after another, at the text's start, with the
    /// non-ASCII case variants of suffix letters.
    #[test]
    fn split_shapes_find_what_the_alternation_found_on_adversarial_text() {
        for text in [
            "ed@news.example.org",
            "@ed@x.com",
            "#tag.com www.#a.com",
            "a@b.co.uk.pdf#x@y",
            "http://a.b@c.de/#h @h.com",
            "x.u\u{17f}",
            "see a.\u{17f}vg",
            "x.Com x.COM x.uſ x.ſvg x.\u{212a}x.jſ x.aſpx",
            "&#39;s &amp;#tag ;@x a;#b",
            "mail:ed@x.org,www.y.org.@z",
            "ftp://x www.",
            "#1 #1a @_ @é #é2",
            "a.b.c.d.e.f.txt.",
            "\u{201c}@who\u{201d} said “#what”",
            "see:https://x.org/a(b)c",
        ] {
            same_as_reference(text);
        }
    }

    proptest::proptest! {
        /// Random runs of the pieces protected spans are made of.
        #[test]
        fn split_shapes_find_what_the_alternation_found(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "@", "#", ".", "://", "http", "www", "ftp", "com", "uk", "ſ", "\u{212a}",
                "&", ";", " ", "\n", "a", "Z", "1", "_", "-", "é", "“", "”", "(", "<",
                ",", "js", "news", "mp4", "%", "+", "!",
            ]), 0..24)
        ) {
            same_as_reference(&pieces.concat());
        }
    }

    /// Only two non-ASCII characters match an ASCII letter ignoring case,
    /// as the regex folds it: the ones [`suffix_at`] reads as letters.
    #[test]
    fn only_two_non_ascii_characters_fold_to_ascii_letters() {
        let letter = Regex::new("^(?i:[a-z])$").unwrap();
        let folding: Vec<char> = (0x80..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| letter.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(folding, vec!['\u{17f}', '\u{212a}']);
    }

    /// [`SUFFIXES`] are the words [`NAME`]'s suffix group matches, with
    /// their optional letters dropped: every word it matches starts with
    /// one, and each is one of them or starts one.
    #[test]
    fn suffixes_cover_the_suffix_group() {
        use regex_syntax::hir::literal::Extractor;
        let group = &NAME[NAME.find("(?i:").unwrap() + 4..NAME.rfind(")(?-u").unwrap()];
        let hir = regex_syntax::parse(group).unwrap();
        let words = Extractor::new().extract(&hir);
        let words: Vec<&[u8]> = words
            .literals()
            .unwrap()
            .iter()
            .map(|l| l.as_bytes())
            .collect();
        for w in &words {
            assert!(SUFFIXES.iter().any(|s| w.starts_with(s)), "{w:?}");
        }
        for s in SUFFIXES {
            assert!(words.iter().any(|w| w.starts_with(s)), "{s:?}");
            assert!(suffix_at(s) && suffix_at(&[s, &b"."[..]].concat()));
        }
        assert!(suffix_at("\u{17f}vg".as_bytes()) && suffix_at("j\u{17f}".as_bytes()));
        assert!(!suffix_at(b"c") && !suffix_at(b" com") && !suffix_at(b"The"));
    }

    #[test]
    fn leaves_prose_alone() {
        assert!(found("It was done. The U.S. said e.g. 3.5 times.").is_empty());
    }
}
