//! Decoding input bytes: UTF-8 only, binary refused, every error placed.

use std::path::Path;

use crate::error::{Error, ErrorKind};

/// Decodes `bytes` read from `path` as UTF-8 text.
///
/// A NUL byte marks a binary file; invalid UTF-8 is refused with its byte
/// offset and line, unless `lossy` asks for U+FFFD replacement.
pub fn decode(path: &Path, bytes: Vec<u8>, lossy: bool) -> Result<String, Error> {
    if let Some(at) = memchr_nul(&bytes) {
        return Err(Error::new(
            ErrorKind::Input,
            path,
            format!("binary file (NUL byte at byte {at}), not changed"),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Error::new(
                ErrorKind::Input,
                path,
                format!(
                    "invalid UTF-8 at byte {at} (line {line}); not changed (--lossy replaces bad bytes with U+FFFD)"
                ),
            )
            .at(None))
        }
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_binary_and_bad_utf8_with_offsets() {
        let p = Path::new("f.txt");
        let e = decode(p, b"ab\ncd\xff".to_vec(), false).unwrap_err();
        assert_eq!(e.to_string(), "f.txt: invalid UTF-8 at byte 5 (line 2); not changed (--lossy replaces bad bytes with U+FFFD)");
        assert!(decode(p, b"a\0b".to_vec(), false)
            .unwrap_err()
            .to_string()
            .contains("NUL byte at byte 1"));
        assert_eq!(decode(p, b"a\xffb".to_vec(), true).unwrap(), "a\u{fffd}b");
    }
}
