//! Spans no pass may touch: URLs, e-mail addresses, @handles, #hashtags,
//! and bare domain or file names.
//!
//! Rewriting any of these breaks a link or changes a name, so they are found
//! once on the input and every pass skips them. The pattern uses ASCII word
//! boundaries so the regex crate's lazy DFA can run it at full speed (a
//! Unicode `\b` would force the slow engine on non-ASCII text).

use std::sync::LazyLock;

use regex::Regex;

use crate::spans::Spans;

/// One alternation for every protected shape; compiled once per process.
static PROTECTED: LazyLock<Regex> = LazyLock::new(|| {
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
    .expect("protected-span regex compiles")
});

/// Finds the protected spans of `text`.
pub fn protected_spans(text: &str) -> Spans {
    let mut out = Vec::new();
    for caps in PROTECTED.captures_iter(text) {
        // The handle/hashtag branch consumes the character before the sigil.
        let m = caps.name("tag").or_else(|| caps.get(0));
        out.extend(m.map(|m| m.range()));
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

    #[test]
    fn leaves_prose_alone() {
        assert!(found("It was done. The U.S. said e.g. 3.5 times.").is_empty());
    }
}
