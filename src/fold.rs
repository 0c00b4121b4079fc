//! Case and whitespace folding, so one automaton can match smart case and
//! hard-wrapped phrases.
//!
//! The folded text is lowercase with every run of whitespace inside a
//! paragraph (a single line break included) collapsed to one space; a run
//! holding a blank line becomes a line feed, so no phrase matches across
//! paragraphs. Folding changes lengths only at a few places, so instead of a
//! per-byte offset table it keeps sparse marks where the alignment shifts:
//! memory stays proportional to the changes. ASCII text is copied in bulk
//! runs, which keeps the fold near memory speed.

/// A folded copy of a text that can map its offsets back to the original.
#[derive(Debug, Default)]
pub struct Folded {
    bytes: Vec<u8>,
    /// `(folded, original)` offset pairs after each length-changing fold.
    marks: Vec<(usize, usize)>,
}

impl Folded {
    /// Folds `text`.
    pub fn new(text: &str) -> Folded {
        let mut f = Folded::default();
        f.refold(text);
        f
    }

    /// Folds `text` into this buffer, reusing its allocation.
    pub fn refold(&mut self, text: &str) {
        self.bytes.clear();
        self.marks.clear();
        fold_into(text, &mut self.bytes, Some(&mut self.marks));
    }

    /// The folded text as bytes (always valid UTF-8).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes).expect("folding keeps UTF-8 valid")
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
    let mut out = Vec::with_capacity(phrase.len());
    fold_into(phrase.trim(), &mut out, None);
    String::from_utf8(out).expect("folding keeps UTF-8 valid")
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

/// ASCII bytes folding copies as they are (lowercased): everything but
/// whitespace; non-ASCII bytes are folded one character at a time.
static FOLD_PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = !is_ascii_space(b as u8);
        b += 1;
    }
    t
};

const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn fold_into(text: &str, out: &mut Vec<u8>, mut marks: Option<&mut Vec<(usize, usize)>>) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        // Bulk copy of ASCII non-space bytes and single spaces between them.
        let start = i;
        while i < n {
            // Runs of plain bytes first, one table lookup each.
            while i < n && FOLD_PLAIN[usize::from(b[i])] {
                i += 1;
            }
            if i >= n || b[i] != b' ' {
                break;
            }
            // A single space before a plain byte or the end stays as is.
            if i + 1 < n && !FOLD_PLAIN[usize::from(b[i + 1])] {
                break;
            }
            i += 1;
        }
        if i > start {
            let at = out.len();
            out.extend_from_slice(&b[start..i]);
            out[at..].make_ascii_lowercase();
        }
        if i >= n {
            break;
        }
        let c = text[i..].chars().next().expect("char boundary");
        if c.is_whitespace() {
            let run_start = i;
            let mut newlines = 0;
            for w in text[i..].chars() {
                if !w.is_whitespace() {
                    break;
                }
                newlines += usize::from(w == '\n');
                i += w.len_utf8();
            }
            out.push(if newlines >= 2 { b'\n' } else { b' ' });
            if i - run_start != 1 || c != ' ' {
                if let Some(m) = marks.as_deref_mut() {
                    m.push((out.len(), i));
                }
            }
            continue;
        }
        let before = out.len();
        let mut buf = [0u8; 4];
        for l in c.to_lowercase() {
            out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
        }
        i += c.len_utf8();
        if out.len() - before != c.len_utf8() {
            if let Some(m) = marks.as_deref_mut() {
                m.push((out.len(), i));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_space_runs_and_maps_back() {
        let text = "Global\r\n  LAW é ÉMIGRÉ";
        let f = Folded::new(text);
        assert_eq!(f.as_str(), "global law é émigré");
        let law = f.as_str().find("law").unwrap();
        assert_eq!(&text[f.to_original(law)..f.to_original(law + 3)], "LAW");
        let em = f.as_str().find("émigré").unwrap();
        assert_eq!(&text[f.to_original(em)..], "ÉMIGRÉ");
    }

    #[test]
    fn blank_lines_fold_to_a_line_feed() {
        let f = Folded::new("global\n\nlaw and global\r\n \r\nlaw");
        assert_eq!(f.as_str(), "global\nlaw and global\nlaw");
    }

    #[test]
    fn length_changing_lowercase_keeps_alignment() {
        let text = "İx global";
        let f = Folded::new(text);
        let g = f.as_str().find("global").unwrap();
        assert_eq!(&text[f.to_original(g)..], "global");
    }

    #[test]
    fn space_before_non_ascii_space_collapses() {
        let text = "a \u{a0}b";
        let f = Folded::new(text);
        assert_eq!(f.as_str(), "a b");
        assert_eq!(f.to_original(2), 4);
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
