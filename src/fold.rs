//! Case and whitespace folding, so one automaton can match smart case and
//! hard-wrapped phrases.
//!
//! The folded text is lowercase with every run of whitespace (line breaks
//! included) collapsed to one space. Folding changes lengths only at a few
//! places, so instead of a per-byte offset table it keeps sparse marks where
//! the alignment shifts: memory stays proportional to the changes.

/// A folded copy of a text that can map its offsets back to the original.
#[derive(Debug, Default)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// `(folded, original)` offset pairs after each length-changing fold.
    marks: Vec<(usize, usize)>,
}

impl Folded {
    /// Folds `text`.
    pub fn new(text: &str) -> Folded {
        let mut f = Folded {
            text: String::with_capacity(text.len()),
            marks: Vec::new(),
        };
        fold_into(text, &mut f.text, Some(&mut f.marks));
        f
    }

    /// Maps an offset of the folded text back to the original text.
    pub fn to_original(&self, folded: usize) -> usize {
        let k = self.marks.partition_point(|&(f, _)| f <= folded);
        match k.checked_sub(1) {
            None => folded,
            Some(i) => self.marks[i].1 + (folded - self.marks[i].0),
        }
    }
}

/// Folds a rule phrase: lowercase, whitespace collapsed, ends trimmed.
pub fn fold_phrase(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len());
    fold_into(phrase.trim(), &mut out, None);
    out
}

/// Returns true if `a` and `b` are equal once whitespace runs are collapsed
/// (the case-sensitive comparison of a phrase against matched text).
pub fn eq_ignoring_space_runs(a: &str, b: &str) -> bool {
    let mut x = a.split_whitespace();
    let mut y = b.split_whitespace();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q => {}
            _ => return false,
        }
    }
}

fn fold_into(text: &str, out: &mut String, mut marks: Option<&mut Vec<(usize, usize)>>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_whitespace() || b == 0x0b {
                let start = i;
                i = skip_space(text, i);
                out.push(' ');
                if i - start != 1 || b != b' ' {
                    if let Some(m) = marks.as_deref_mut() {
                        m.push((out.len(), i));
                    }
                }
            } else {
                out.push(b.to_ascii_lowercase() as char);
                i += 1;
            }
            continue;
        }
        let c = text[i..].chars().next().expect("char boundary");
        if c.is_whitespace() {
            i = skip_space(text, i);
            out.push(' ');
            if let Some(m) = marks.as_deref_mut() {
                m.push((out.len(), i));
            }
            continue;
        }
        let before = out.len();
        out.extend(c.to_lowercase());
        i += c.len_utf8();
        if out.len() - before != c.len_utf8() {
            if let Some(m) = marks.as_deref_mut() {
                m.push((out.len(), i));
            }
        }
    }
}

/// Returns the offset after the run of whitespace starting at `i`.
fn skip_space(text: &str, mut i: usize) -> usize {
    for c in text[i..].chars() {
        if !c.is_whitespace() {
            break;
        }
        i += c.len_utf8();
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_space_runs_and_maps_back() {
        let text = "Global\r\n  LAW é ÉMIGRÉ";
        let f = Folded::new(text);
        assert_eq!(f.text, "global law é émigré");
        let law = f.text.find("law").unwrap();
        assert_eq!(&text[f.to_original(law)..f.to_original(law + 3)], "LAW");
        let em = f.text.find("émigré").unwrap();
        assert_eq!(&text[f.to_original(em)..], "ÉMIGRÉ");
    }

    #[test]
    fn length_changing_lowercase_keeps_alignment() {
        let text = "İx global";
        let f = Folded::new(text);
        let g = f.text.find("global").unwrap();
        assert_eq!(&text[f.to_original(g)..], "global");
    }

    #[test]
    fn phrases_fold_like_text() {
        assert_eq!(fold_phrase("  Global \n Law "), "global law");
        assert!(eq_ignoring_space_runs(
            "Russian\n Federation",
            "Russian Federation"
        ));
        assert!(!eq_ignoring_space_runs(
            "russian federation",
            "Russian Federation"
        ));
    }
}
