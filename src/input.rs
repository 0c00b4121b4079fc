//! Reading and decoding input bytes: UTF-8 only, binary refused, size
//! bounded, every error placed.
//!
//! Input is read in chunks and each chunk is checked as it arrives, so an
//! endless input (`/dev/zero`, a stream that never ends) is refused at its
//! first NUL byte or at the size limit, never read whole (#20).

use std::io::{self, Read as _};
use std::path::Path;

use crate::error::{Error, ErrorKind};

/// Decodes `bytes` read from `path` as UTF-8 text.
///
/// A NUL byte marks a binary file; invalid UTF-8 is refused with its byte
/// offset and line, unless `lossy` asks for U+FFFD replacement.
pub fn decode(path: &Path, bytes: Vec<u8>, lossy: bool) -> Result<String, Error> {
    if let Some(at) = memchr_nul(&bytes) {
        return Err(binary(path, at as u64));
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

/// Bytes read and checked at a time.
const CHUNK: u64 = 1 << 20;

/// What [`read_bounded`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Contents {
    /// Every byte, none of them NUL.
    Text(Vec<u8>),
    /// A NUL byte at this offset: a binary file, read no further.
    Binary(u64),
    /// More than the limit: read no further than limit + 1 bytes.
    TooLarge,
}

/// Reads `reader` to its end in chunks of 1 MiB, stopping at the first
/// chunk holding a NUL byte or once more than `limit` bytes came. `hint`
/// (the size on disk, when known) sizes the buffer up front.
pub fn read_bounded(mut reader: impl io::Read, limit: u64, hint: u64) -> io::Result<Contents> {
    let cap = hint.min(limit).saturating_add(1);
    let mut buf = Vec::with_capacity(usize::try_from(cap).unwrap_or(usize::MAX));
    loop {
        let start = buf.len();
        let n = (&mut reader).take(CHUNK).read_to_end(&mut buf)?;
        if let Some(at) = memchr_nul(&buf[start..]) {
            return Ok(Contents::Binary((start + at) as u64));
        }
        if buf.len() as u64 > limit {
            return Ok(Contents::TooLarge);
        }
        if n == 0 {
            return Ok(Contents::Text(buf));
        }
    }
}

/// The error for a NUL byte at `at` in `path`.
pub fn binary(path: &Path, at: u64) -> Error {
    Error::new(
        ErrorKind::Input,
        path,
        format!("binary file (NUL byte at byte {at}), not changed"),
    )
}

/// The error for an input over the size limit, which it names as `shown`.
pub fn too_large(path: &Path, shown: &str) -> Error {
    Error::new(
        ErrorKind::Limit,
        path,
        format!("input is over the limit of {shown} (--max-input-size); not changed"),
    )
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

/// Names the type of a file that is not a regular one, for the messages
/// that refuse it (`--write` targets, packs, configs).
pub(crate) fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
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

    #[test]
    fn reads_in_chunks_and_stops_early() {
        let text = vec![b'a'; 3 * CHUNK as usize + 5];
        assert_eq!(
            read_bounded(&text[..], 10 * CHUNK, 0).unwrap(),
            Contents::Text(text.clone())
        );
        // Exactly at the limit is fine; one byte more is not.
        assert_eq!(
            read_bounded(&text[..], text.len() as u64, text.len() as u64).unwrap(),
            Contents::Text(text.clone())
        );
        assert_eq!(
            read_bounded(&text[..], text.len() as u64 - 1, 0).unwrap(),
            Contents::TooLarge
        );
        // An endless reader ends at the limit, or at its first NUL.
        assert_eq!(
            read_bounded(io::repeat(b'a'), 5 * CHUNK, 0).unwrap(),
            Contents::TooLarge
        );
        assert_eq!(
            read_bounded(io::repeat(0), u64::MAX, 0).unwrap(),
            Contents::Binary(0)
        );
        let mut late = text.clone();
        late[2 * CHUNK as usize + 7] = 0;
        assert_eq!(
            read_bounded(io::Read::chain(&late[..], io::repeat(b'a')), u64::MAX, 0).unwrap(),
            Contents::Binary(2 * CHUNK + 7)
        );
        assert_eq!(
            read_bounded(&b""[..], 0, 0).unwrap(),
            Contents::Text(Vec::new())
        );
    }
}
