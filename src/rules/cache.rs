//! A compiled cache of parsed rule packs, so that a large pack is parsed
//! once, not on every run.
//!
//! Parsing YAML costs about 400 instructions per byte: for a pack of 58,000
//! rules (3.7 MB) that is most of the load time, paid again by every
//! pre-commit hook and every shell pipeline. The cache keeps each pack's
//! parsed form in a compact binary file (postcard) named by the program
//! version, the cache format and a 128-bit hash of the pack's text (so
//! builds sharing the directory keep their own entries). A second marker, named by the hash of a whole set of
//! packs, records that the set passed the whole-set checks (conflicts and
//! cycles), so a warm load does no per-rule search either.
//!
//! The cache is only an accelerator:
//! - every entry carries a header (format, copydesk version, the length and
//!   hash of the source) that is checked before use; anything unexpected,
//!   truncated or undecodable is a miss, and the pack is parsed again;
//! - entries are written atomically (temporary file, then rename), so
//!   concurrent runs never read a partial entry;
//! - failing to write is silent, and deleting the directory at any time is
//!   safe;
//! - only packs of a set that loaded are written: a pack refused for any
//!   reason (a bad rule, a conflict, a YAML budget) leaves nothing behind;
//! - the directory is bounded: after each write the entries beyond
//!   [`MAX_CACHE_BYTES`] in total are removed, least recently used first (a
//!   hit refreshes an entry's modification time). An entry larger than the
//!   whole bound is not written. Only copydesk's own entries are counted
//!   and removed.
//!
//! It lives in `$COPYDESK_CACHE_DIR`, else `$XDG_CACHE_HOME/copydesk`, else
//! `~/.cache/copydesk`; `COPYDESK_CACHE_DIR=off` turns it off.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::rules::pack::PackFile;
use crate::rules::Literals;

/// Bumped whenever the cached layout changes, or what is cached is worked
/// out differently (the literals of [`crate::rules::required_literals`]),
/// or a pack must pass more checks to be cached (9: the YAML budgets, so
/// an entry written before them cannot let a pack skip them; 10: a pack's
/// `languages`; 11: literals as byte blocks; 12: a rule's `protected`;
/// 13: `one_line` for patterns whose every branch ends its line).
const FORMAT: u32 = 13;
const MAGIC: [u8; 4] = *b"CDPK";
/// The program version, part of every entry's header and name.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The most bytes the cache directory's entries may take together.
pub const MAX_CACHE_BYTES: u64 = 256 << 20;

/// The 128-bit hash naming a pack's cache entry.
pub fn hash(text: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

/// A parsed pack, the place of each rule's `id`, and the literals its
/// patterns need.
#[derive(Debug, Serialize, Deserialize)]
pub struct ParsedPack {
    /// The pack as written.
    pub file: PackFile,
    /// 1-based line and column of each rule's `id`, in rule order.
    pub places: Vec<Option<(usize, usize)>>,
    /// For each rule, in rule order: the literals one of which every match
    /// of its pattern contains (see [`crate::rules::Pattern::literals`]);
    /// `None` for phrase rules and patterns without a finite set. Kept here
    /// because extracting them means parsing the regex.
    pub literals: Vec<Option<Literals>>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    magic: [u8; 4],
    format: u32,
    version: String,
    len: u64,
    hash: u128,
}

#[derive(Deserialize)]
struct Entry {
    header: Header,
    pack: ParsedPack,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    header: Header,
    pack: &'a ParsedPack,
}

fn header(text: &str, key: u128) -> Header {
    Header {
        magic: MAGIC,
        format: FORMAT,
        version: VERSION.to_string(),
        len: text.len() as u64,
        hash: key,
    }
}

/// A cache directory.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
    max_bytes: u64,
}

impl Cache {
    /// A cache in `dir` (created when first written), bounded by
    /// [`MAX_CACHE_BYTES`].
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache {
            dir: dir.into(),
            max_bytes: MAX_CACHE_BYTES,
        }
    }

    /// The same cache bounded by `max_bytes` instead.
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Cache {
        self.max_bytes = max_bytes;
        self
    }

    /// The cache the environment asks for, or `None` when it is off or no
    /// home directory is known.
    pub fn from_env() -> Option<Cache> {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        if let Some(dir) = var("COPYDESK_CACHE_DIR") {
            if dir == "off" {
                return None;
            }
            return Some(Cache::new(dir));
        }
        if let Some(xdg) = var("XDG_CACHE_HOME") {
            return Some(Cache::new(Path::new(&xdg).join("copydesk")));
        }
        var("HOME").map(|home| Cache::new(Path::new(&home).join(".cache").join("copydesk")))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn pack_path(&self, key: u128) -> PathBuf {
        self.dir
            .join(entry_name("pack", key, "bin", FORMAT, VERSION))
    }

    fn set_path(&self, key: u128) -> PathBuf {
        self.dir.join(entry_name("set", key, "ok", FORMAT, VERSION))
    }

    /// The parsed form of `text`, if a valid entry for it exists; a hit
    /// marks the entry as recently used.
    pub fn get(&self, text: &str, key: u128) -> Option<ParsedPack> {
        let path = self.pack_path(key);
        let bytes = fs::read(&path).ok()?;
        let entry: Entry = postcard::from_bytes(&bytes).ok()?;
        let want = header(text, key);
        let h = &entry.header;
        let valid = h.magic == want.magic
            && h.format == want.format
            && h.version == want.version
            && h.len == want.len
            && h.hash == want.hash
            && entry.pack.places.len() == entry.pack.file.rules.len()
            && entry.pack.literals.len() == entry.pack.file.rules.len();
        if valid {
            touch(&path);
        }
        valid.then_some(entry.pack)
    }

    /// Stores the parsed form of `text` (best effort).
    pub fn put(&self, text: &str, key: u128, pack: &ParsedPack) {
        if let Some(entry) = Cache::encode(text, key, pack) {
            self.store(&entry);
        }
    }

    /// The entry for the parsed form of `text`, to [`Cache::store`] once
    /// the pack is known to load (it is consumed by loading).
    pub fn encode(text: &str, key: u128, pack: &ParsedPack) -> Option<Encoded> {
        let entry = EntryRef {
            header: header(text, key),
            pack,
        };
        let bytes = postcard::to_stdvec(&entry).ok()?;
        Some(Encoded { key, bytes })
    }

    /// Writes an encoded entry (best effort), then keeps the directory
    /// within its bound.
    pub fn store(&self, entry: &Encoded) {
        if entry.bytes.len() as u64 > self.max_bytes {
            return;
        }
        self.write(&self.pack_path(entry.key), &entry.bytes);
        self.evict();
    }

    /// Removes copydesk's entries, least recently used first, until they
    /// take at most the bound together.
    fn evict(&self) {
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return;
        };
        let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = dir
            .flatten()
            .filter(|e| is_entry_name(&e.file_name().to_string_lossy()))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                let used = meta.modified().ok()?;
                meta.is_file().then(|| (used, meta.len(), e.path()))
            })
            .collect();
        let mut total: u64 = entries.iter().map(|(_, len, _)| len).sum();
        if total <= self.max_bytes {
            return;
        }
        entries.sort();
        for (_, len, path) in entries {
            if total <= self.max_bytes {
                break;
            }
            if fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
    }

    /// Returns true if the set of packs named by `key` passed the whole-set
    /// checks before.
    pub fn set_checked(&self, key: u128) -> bool {
        fs::read(self.set_path(key)).is_ok_and(|b| b == set_marker())
    }

    /// Records that the set of packs named by `key` passed the whole-set
    /// checks (best effort).
    pub fn mark_set_checked(&self, key: u128) {
        self.write(&self.set_path(key), &set_marker());
    }

    /// Writes `bytes` to `path` through a temporary file and a rename.
    fn write(&self, path: &Path, bytes: &[u8]) {
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let Ok(mut tmp) = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&self.dir)
        else {
            return;
        };
        if tmp.write_all(bytes).is_ok() {
            let _ = tmp.persist(path);
        }
    }
}

/// A pack's cache entry, encoded and not yet written.
#[derive(Debug)]
pub struct Encoded {
    key: u128,
    bytes: Vec<u8>,
}

/// Marks a file as just used (best effort): eviction goes by modification
/// time.
fn touch(path: &Path) {
    if let Ok(f) = fs::File::options().write(true).open(path) {
        let _ = f.set_modified(std::time::SystemTime::now());
    }
}

/// Returns true for the names of copydesk's entries (of any version or
/// format), the only files eviction counts or removes.
fn is_entry_name(name: &str) -> bool {
    (name.starts_with("pack-") && name.ends_with(".bin"))
        || (name.starts_with("set-") && name.ends_with(".ok"))
}

/// The name of a cache entry: its kind, the cache format and program
/// version that wrote it, then its key. Builds of other versions or cache
/// formats sharing the directory then keep their own entries instead of
/// replacing each other's (each one finding the other's entry invalid,
/// parsing the pack again and writing its own over it, on every run).
fn entry_name(kind: &str, key: u128, ext: &str, format: u32, version: &str) -> String {
    // A version is semver (`[0-9A-Za-z.+-]`); anything else is kept out of
    // the file name all the same.
    let version: String = version
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{kind}-{version}-f{format}-{key:032x}.{ext}")
}

/// The content of a set marker: the format and version that checked it.
fn set_marker() -> Vec<u8> {
    format!("copydesk {} cache {FORMAT}\n", VERSION).into_bytes()
}

/// The key of a set of packs, from their hashes in load order.
pub fn set_key(hashes: &[u128]) -> u128 {
    let mut bytes = Vec::with_capacity(hashes.len() * 16 + 16);
    bytes.extend_from_slice(VERSION.as_bytes());
    for h in hashes {
        bytes.extend_from_slice(&h.to_le_bytes());
    }
    xxhash_rust::xxh3::xxh3_128(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> ParsedPack {
        let file: PackFile = serde_yaml::from_str(text).unwrap();
        let places = vec![Some((3, 5)); file.rules.len()];
        let literals = vec![None; file.rules.len()];
        ParsedPack {
            file,
            places,
            literals,
        }
    }

    const PACK: &str = "pack: t\nrules:\n  - id: a\n    find: [x, y]\n    replace: z\n  - id: b\n    find: w\n    level: flag\n";

    #[test]
    fn round_trips_and_rejects_other_text() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let key = hash(PACK);
        assert!(cache.get(PACK, key).is_none());
        cache.put(PACK, key, &parsed(PACK));
        let back = cache.get(PACK, key).expect("hit");
        assert_eq!(back.file.rules.len(), 2);
        assert_eq!(
            back.file.rules[0].find.as_ref().unwrap().to_vec(),
            ["x", "y"]
        );
        assert_eq!(back.places[1], Some((3, 5)));
        // Same key, different text (length differs): a miss.
        assert!(cache.get("pack: t\n", key).is_none());
    }

    #[test]
    fn corrupt_entries_are_misses() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let key = hash(PACK);
        cache.put(PACK, key, &parsed(PACK));
        let path = cache.pack_path(key);
        let bytes = fs::read(&path).unwrap();
        fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(cache.get(PACK, key).is_none());
        fs::write(&path, b"garbage").unwrap();
        assert!(cache.get(PACK, key).is_none());
    }

    #[test]
    fn entry_names_depend_on_format_and_version() {
        let key = hash(PACK);
        let here = entry_name("pack", key, "bin", FORMAT, VERSION);
        assert!(
            here.starts_with(&format!("pack-{VERSION}-f{FORMAT}-")),
            "{here}"
        );
        assert_ne!(here, entry_name("pack", key, "bin", FORMAT + 1, VERSION));
        assert_ne!(here, entry_name("pack", key, "bin", FORMAT, "0.0.1-other"));
        assert_ne!(
            entry_name("set", key, "ok", FORMAT, VERSION),
            entry_name("set", key, "ok", FORMAT - 1, VERSION)
        );
        assert_eq!(
            entry_name("pack", 1, "bin", 3, "1.2.0+a/b"),
            format!("pack-1.2.0_a_b-f3-{:032x}.bin", 1)
        );
    }

    #[test]
    fn another_builds_entry_is_left_alone() {
        // What a build with another cache format leaves for the same pack.
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let key = hash(PACK);
        let theirs = dir
            .path()
            .join(entry_name("pack", key, "bin", FORMAT + 1, VERSION));
        fs::write(&theirs, b"another build's entry").unwrap();
        assert!(cache.get(PACK, key).is_none());
        cache.put(PACK, key, &parsed(PACK));
        // Both stay: this build hits its own entry, the other keeps its.
        assert!(cache.get(PACK, key).is_some());
        assert_eq!(fs::read(&theirs).unwrap(), b"another build's entry");
        assert_ne!(cache.pack_path(key), theirs);
    }

    /// Past the bound, the least recently used entries go first: a hit
    /// counts as a use; files that are not entries are left alone; an
    /// entry over the whole bound is not written.
    #[test]
    fn the_directory_is_bounded_least_recently_used_first() {
        use std::time::{Duration, SystemTime};
        let dir = tempfile::tempdir().unwrap();
        let texts: Vec<String> = (0..4)
            .map(|i| format!("pack: t{i}\nrules:\n  - id: a\n    find: x{i}\n    replace: y\n"))
            .collect();
        let size = {
            let probe = Cache::new(dir.path().join("probe"));
            probe.put(&texts[0], hash(&texts[0]), &parsed(&texts[0]));
            fs::metadata(probe.pack_path(hash(&texts[0])))
                .unwrap()
                .len()
        };
        // Room for three entries of this size.
        let cache = Cache::new(dir.path()).with_max_bytes(size * 3 + size / 2);
        fs::write(dir.path().join("notes.txt"), vec![b'n'; size as usize * 10]).unwrap();
        let age = |key: u128, secs: u64| {
            let f = fs::File::options()
                .write(true)
                .open(cache.pack_path(key))
                .unwrap();
            f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
                .unwrap();
        };
        for (i, t) in texts[..3].iter().enumerate() {
            cache.put(t, hash(t), &parsed(t));
            age(hash(t), 1000 + i as u64);
        }
        // The oldest is used again, so the second is now the oldest.
        assert!(cache.get(&texts[0], hash(&texts[0])).is_some());
        cache.put(&texts[3], hash(&texts[3]), &parsed(&texts[3]));
        let present: Vec<bool> = texts
            .iter()
            .map(|t| cache.get(t, hash(t)).is_some())
            .collect();
        assert_eq!(present, [true, false, true, true]);
        assert!(dir.path().join("notes.txt").exists());
        let tiny = Cache::new(dir.path().join("tiny")).with_max_bytes(size - 1);
        tiny.put(&texts[0], hash(&texts[0]), &parsed(&texts[0]));
        assert!(!tiny.pack_path(hash(&texts[0])).exists());
    }

    #[test]
    fn set_markers() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("sub"));
        let key = set_key(&[hash("a"), hash("b")]);
        assert_ne!(key, set_key(&[hash("b"), hash("a")]));
        assert!(!cache.set_checked(key));
        cache.mark_set_checked(key);
        assert!(cache.set_checked(key));
    }
}
