//! Skipping plain ASCII a block at a time.
//!
//! The unicode and entity passes act on characters outside printable
//! ASCII, which news text holds a few of per line. Testing a whole block of
//! bytes before looking for the first unusual one lets the compiler use
//! vector compares where a byte-by-byte loop would stop at every byte.

/// Bytes tested at once.
const BLOCK: usize = 32;

/// Returns true for a byte other than printable ASCII, tab, LF and CR:
/// a control, DEL, or part of a character outside ASCII.
pub fn is_unusual(b: u8) -> bool {
    b >= 0x7f || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
}

/// The offset of the first unusual byte of `bytes` at or after `from`.
pub fn next_unusual(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut blocks = rest.chunks_exact(BLOCK);
    let mut at = from;
    for block in &mut blocks {
        // Non-short-circuiting operators over the whole block: the loop
        // becomes vector compares (a `fold` with `||` inside does not).
        let mut any = false;
        for &b in block {
            let plain = (b.wrapping_sub(0x20) < 0x5f) | (b == b'\t') | (b == b'\n') | (b == b'\r');
            any |= !plain;
        }
        if any {
            return block.iter().position(|&b| is_unusual(b)).map(|k| at + k);
        }
        at += BLOCK;
    }
    let tail = blocks.remainder();
    tail.iter().position(|&b| is_unusual(b)).map(|k| at + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_a_byte_loop_finds() {
        let line = "Plain text,\tand a line\r\n".repeat(5);
        for (k, odd) in ["é", "\u{7f}", "\u{0}", "\u{b}", "\u{200b}", "’"]
            .iter()
            .enumerate()
        {
            for at in [0, 1, 31, 32, 33, 63, 64, 70, line.len()] {
                let text = format!("{}{odd}{}", &line[..at], &line[at..]);
                let bytes = text.as_bytes();
                for from in [0, at.saturating_sub(1), at, at + 1, text.len()] {
                    let want = bytes
                        .iter()
                        .skip(from)
                        .position(|&b| is_unusual(b))
                        .map(|k| from + k);
                    assert_eq!(next_unusual(bytes, from), want, "{k} at {at} from {from}");
                }
            }
        }
        assert_eq!(next_unusual(line.as_bytes(), 0), None);
        assert_eq!(next_unusual(b"abc", 9), None);
    }

    #[test]
    fn only_printable_ascii_tab_and_line_ends_are_plain() {
        let plain: Vec<u8> = (0u8..=255).filter(|&b| !is_unusual(b)).collect();
        let mut want = vec![b'\t', b'\n', b'\r'];
        want.extend(0x20..0x7f);
        assert_eq!(plain, want);
    }
}
