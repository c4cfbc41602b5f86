//! The validated model of a deck, kept between runs so that a deck already checked loads
//! without reading and checking every file again.
//!
//! One file per deck under the data directory's `cache/decks/`: a header (format and the build
//! of kubedrill that wrote it), then the deck's key, the stamps of the files it was made from
//! and the deck itself, in postcard's compact binary form. A cache is used only when every
//! stamp still matches: the built-in deck by the build that embedded it; a deck folder by each
//! file's path, size and modification time (read from the folder's metadata, not its files).
//! A file changed, added or removed only inside some topics' folders means those topics are read
//! and checked again and the others taken from the cache ([`Cached::Earlier`]); any other change,
//! a different build, or a cache that cannot be read whole (truncated, corrupt, another format)
//! means the deck is read and checked as if there were no cache. Either way the cache is written
//! again.
//!
//! Only decks without any problem are cached: a deck with problems is read in full each time,
//! so its report can show the lines at fault. A file modified in the last two seconds is not
//! trusted to a cache (a second edit within the file system's timestamp resolution could keep
//! the same stamp), so a deck being edited is checked on every start until it rests.

use std::collections::{BTreeSet, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::source::{MAX_DEPTH, MAX_FILE_BYTES, MAX_FILES};
use crate::model::{Deck, DeckOrigin};

/// The first bytes of a cache file: what it is and the layout of what follows.
const MAGIC: &[u8; 8] = b"kdcache1";

/// A file younger than this is not trusted to a cache (see the module's notes).
const SETTLE: Duration = Duration::from_secs(2);

/// The build of kubedrill: its version and a hash of its sources and built-in content, so that
/// a cache written by another build (whose model or checks may differ) is never read.
fn build_id() -> &'static str {
    super::embedded::BUILD_ID
}

/// One file a cached deck was made from, as the folder's metadata describes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub path: String,
    pub size: u64,
    pub modified_secs: u64,
    pub modified_nanos: u32,
}

/// What identifies a deck's cache: its key (`builtin`, or the folder's full path) and the
/// stamps of its files (none for the built-in deck: the build id covers it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheKey {
    pub key: String,
    pub stamps: Vec<Stamp>,
    /// The newest modification among the stamps.
    newest: Option<SystemTime>,
}

impl CacheKey {
    /// The built-in deck's key.
    pub fn built_in() -> CacheKey {
        CacheKey {
            key: "builtin".to_string(),
            stamps: Vec::new(),
            newest: None,
        }
    }

    /// The key of the deck folder at `root`, from its files' metadata, walked as
    /// [`super::DeckSource::read_dir`] reads it. `None` when the folder holds anything the
    /// reader would refuse (a link, a file too large, too many files or folders too deep): such
    /// a deck is read in full so that its problems are reported.
    pub fn of_folder(root: &Path) -> Option<CacheKey> {
        let full = root.canonicalize().ok()?;
        let mut key = CacheKey {
            key: full.to_string_lossy().into_owned(),
            stamps: Vec::new(),
            newest: None,
        };
        key.walk(&full, "", 0)?;
        Some(key)
    }

    fn walk(&mut self, folder: &Path, prefix: &str, depth: usize) -> Option<()> {
        let mut entries = std::fs::read_dir(folder)
            .ok()?
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            let name = entry.file_name().into_string().ok()?;
            if name.starts_with('.') {
                continue;
            }
            let kind = entry.file_type().ok()?;
            let relative = format!("{prefix}{name}");
            if kind.is_dir() {
                if depth + 1 >= MAX_DEPTH {
                    return None;
                }
                self.walk(&entry.path(), &format!("{relative}/"), depth + 1)?;
            } else if kind.is_file() {
                let metadata = entry.metadata().ok()?;
                if metadata.len() > MAX_FILE_BYTES || self.stamps.len() >= MAX_FILES {
                    return None;
                }
                let modified = metadata.modified().ok()?;
                let since = modified.duration_since(SystemTime::UNIX_EPOCH).ok()?;
                self.newest = self.newest.max(Some(modified));
                self.stamps.push(Stamp {
                    path: relative,
                    size: metadata.len(),
                    modified_secs: since.as_secs(),
                    modified_nanos: since.subsec_nanos(),
                });
            } else {
                return None;
            }
        }
        Some(())
    }

    /// Whether the files are old enough to trust to a cache.
    fn settled(&self) -> bool {
        self.newest
            .is_none_or(|newest| newest + SETTLE <= SystemTime::now())
    }

    /// The cache file's name: a stable hash of the key.
    fn file_name(&self) -> String {
        let hash = crate::model::stable_hash(&[self.key.as_bytes()]);
        format!("{hash:016x}.bin")
    }
}

/// A cache file's contents after the magic bytes, followed by the deck: what it was made from,
/// and the texts the deck's variant recipes share ([`crate::model::shared_texts`]).
#[derive(Serialize, Deserialize)]
struct Header {
    build: String,
    key: String,
    stamps: Vec<Stamp>,
    texts: Vec<Arc<str>>,
}

/// The folder cache files live in, under a data directory.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("cache").join("decks")
}

/// The deck cached for `key` under `cache_dir`, when the cache matches it exactly; `origin` is
/// where the deck is read from now.
pub fn load(cache_dir: &Path, key: &CacheKey, origin: &DeckOrigin) -> Option<Deck> {
    match lookup(cache_dir, key, origin)? {
        Cached::Current(deck) => Some(deck),
        Cached::Earlier { .. } => None,
    }
}

/// What the cache holds for a deck.
#[derive(Debug)]
pub enum Cached {
    /// Made from the files as they are.
    Current(Deck),
    /// Made by this build from an earlier state of the files, where only the files of
    /// `changed` topics differ (deck.toml and everything outside `topics/` as they were): the
    /// other topics can be taken from it as they are, and only these checked again.
    Earlier {
        deck: Deck,
        changed: BTreeSet<String>,
    },
}

/// The deck cached for `key` under `cache_dir`: current, or earlier with only some topics'
/// files changed since; `None` for anything else (another build, another deck, a change outside
/// the topics' folders, a cache that cannot be read whole).
pub fn lookup(cache_dir: &Path, key: &CacheKey, origin: &DeckOrigin) -> Option<Cached> {
    let bytes = std::fs::read(cache_dir.join(key.file_name())).ok()?;
    let body = bytes.strip_prefix(MAGIC)?;
    let (header, rest): (Header, _) = postcard::take_from_bytes(body).ok()?;
    if header.build != build_id() || header.key != key.key {
        return None;
    }
    let current = header.stamps == key.stamps;
    // Before decoding the deck, whether its files' changes are ones it can help with.
    let changed = match current {
        true => BTreeSet::new(),
        false => changed_folders(&header.stamps, &key.stamps)?,
    };
    let mut deck: Deck =
        crate::model::shared_texts::provide(header.texts, || postcard::from_bytes(rest)).ok()?;
    deck.origin = origin.clone();
    if current {
        return Some(Cached::Current(deck));
    }
    let known = |topic: &String| deck.topics.iter().any(|t| t.id.as_str() == topic);
    changed
        .iter()
        .all(known)
        .then_some(Cached::Earlier { deck, changed })
}

/// The topics (`topics/ID/…`) whose files differ between two sets of stamps (a file changed,
/// added or removed); `None` when a file outside a topic's folder differs.
fn changed_folders(before: &[Stamp], now: &[Stamp]) -> Option<BTreeSet<String>> {
    let (before_set, now_set): (HashSet<&Stamp>, HashSet<&Stamp>) =
        (before.iter().collect(), now.iter().collect());
    let differs = before_set.symmetric_difference(&now_set);
    let mut topics = BTreeSet::new();
    for stamp in differs {
        let (topic, _) = stamp.path.strip_prefix("topics/")?.split_once('/')?;
        topics.insert(topic.to_string());
    }
    Some(topics)
}

/// Keeps `deck` for `key` under `cache_dir`, written whole or not at all (a temporary file
/// renamed into place). A failure only means the next start checks the deck again.
pub fn store(cache_dir: &Path, key: &CacheKey, deck: &Deck) -> std::io::Result<()> {
    if !key.settled() {
        return Ok(());
    }
    let (deck, texts) = crate::model::shared_texts::collect(|| postcard::to_stdvec(deck));
    let deck = deck.map_err(std::io::Error::other)?;
    let header = Header {
        build: build_id().to_string(),
        key: key.key.clone(),
        stamps: key.stamps.clone(),
        texts,
    };
    let mut bytes = MAGIC.to_vec();
    bytes.extend(postcard::to_stdvec(&header).map_err(std::io::Error::other)?);
    bytes.extend(deck);
    std::fs::create_dir_all(cache_dir)?;
    let mut file = tempfile::NamedTempFile::new_in(cache_dir)?;
    file.write_all(&bytes)?;
    file.persist(cache_dir.join(key.file_name()))
        .map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests;
