//! Case helpers: a replacement given the letter-case shape of the text it
//! replaces, and the line breaks of a hard-wrapped match kept.

/// The letter-case shape of a match, carried over to its replacement.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    AsWritten,
    Upper,
    Title,
    Capitalized,
}

fn shape(matched: &str) -> Shape {
    let mut upper = 0;
    let mut lower = 0;
    for c in matched.chars() {
        upper += usize::from(c.is_uppercase());
        lower += usize::from(c.is_lowercase());
    }
    let first_upper = matched
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase);
    if upper == 0 {
        Shape::AsWritten
    } else if lower == 0 && upper >= 2 {
        Shape::Upper
    } else if !first_upper {
        Shape::AsWritten
    } else if matched.split_whitespace().count() > 1
        && matched.split_whitespace().all(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_none_or(char::is_uppercase)
        })
    {
        Shape::Title
    } else {
        Shape::Capitalized
    }
}

/// Gives `replacement` the case shape of `matched` (`Global law` →
/// `International law`, `GLOBAL LAW` → `INTERNATIONAL LAW`).
pub(crate) fn transfer_case(matched: &str, replacement: &str) -> String {
    match shape(matched) {
        Shape::AsWritten => replacement.to_string(),
        Shape::Upper => replacement.to_uppercase(),
        Shape::Capitalized => capitalize(replacement),
        Shape::Title => replacement
            .split(' ')
            .map(capitalize)
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Keeps the line breaks of a hard-wrapped match in its replacement: gaps
/// map one to one when the word counts agree, otherwise a line break goes
/// to the replacement gap at the same relative place.
pub(crate) fn keep_line_breaks(matched: &str, replacement: &str) -> String {
    let gaps: Vec<&str> = matched
        .split(|c: char| !c.is_whitespace())
        .filter(|g| !g.is_empty())
        .collect();
    if gaps.iter().all(|g| *g == " ") {
        return replacement.to_string();
    }
    let words: Vec<&str> = replacement.split(' ').collect();
    let n = words.len() - 1;
    let mut chosen: Vec<&str> = vec![" "; n];
    if n == gaps.len() {
        chosen.clone_from_slice(&gaps);
    } else if n > 0 {
        for (i, g) in gaps.iter().enumerate() {
            if g.contains('\n') {
                let k = (i * n / gaps.len()).min(n - 1);
                chosen[k] = g;
            }
        }
    }
    let mut out = String::with_capacity(replacement.len() + 2);
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push_str(chosen[i - 1]);
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_shapes_carry_over() {
        assert_eq!(
            transfer_case("global law", "international law"),
            "international law"
        );
        assert_eq!(
            transfer_case("Global law", "international law"),
            "International law"
        );
        assert_eq!(
            transfer_case("Global Law", "international law"),
            "International Law"
        );
        assert_eq!(
            transfer_case("GLOBAL LAW", "international law"),
            "INTERNATIONAL LAW"
        );
        assert_eq!(transfer_case("Émigré", "émigré writer"), "Émigré writer");
        assert_eq!(transfer_case("gLoBal", "x"), "x");
    }

    #[test]
    fn line_breaks_survive_replacement() {
        assert_eq!(
            keep_line_breaks("global\nlaw", "international law"),
            "international\nlaw"
        );
        assert_eq!(
            keep_line_breaks("Russian\r\nFederation", "Russia"),
            "Russia"
        );
        assert_eq!(keep_line_breaks("a\nb c", "x y z w"), "x\ny z w");
    }
}
