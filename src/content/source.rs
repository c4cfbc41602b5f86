//! A deck's files in memory: read once from a folder (bounded) or from the copy compiled into the
//! binary. Validation works on this, never on the file system, so it is the same code for both and
//! a test can build a deck from strings.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::bounded_read::ReadError;
use crate::diagnostic::{Problem, ProblemBuilder};
use crate::model::DeckOrigin;

/// A file larger than this is refused (a lesson is a few KiB; a megabyte is a mistake or hostile).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// A deck with more files than this is refused.
pub const MAX_FILES: usize = 2000;
/// Folders nest at most this deep (`topics/ID/exercises/` is 3).
pub const MAX_DEPTH: usize = 6;

/// The files of one deck, by path relative to the deck folder with `/` separators.
#[derive(Debug, Clone)]
pub struct DeckSource {
    pub origin: DeckOrigin,
    pub files: BTreeMap<String, Vec<u8>>,
    /// Files that were refused while reading (too large, links, too deep), as problems.
    pub refused: Vec<Problem>,
}

/// Why a deck folder could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{}: no such folder", .0.display())]
    NotFound(PathBuf),
    #[error("{}: not a folder (a deck is a folder with a deck.toml)", .0.display())]
    NotAFolder(PathBuf),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

impl DeckSource {
    /// The built-in deck (the project's `content/` folder, embedded at build time).
    pub fn built_in() -> DeckSource {
        DeckSource::from_files(DeckOrigin::BuiltIn, super::embedded::files())
    }

    /// Only the built-in deck's deck.toml: what a deck loaded from the cache keeps of its files.
    pub fn built_in_deck_toml() -> DeckSource {
        DeckSource::from_files(
            DeckOrigin::BuiltIn,
            [("deck.toml".to_string(), super::embedded::DECK_TOML.to_vec())],
        )
    }

    /// Only the deck.toml of the deck folder at `root` (see [`DeckSource::built_in_deck_toml`]).
    pub fn deck_toml_of(root: &Path) -> Result<DeckSource, SourceError> {
        let path = root.join("deck.toml");
        let bytes = crate::bounded_read::regular_file(&path, MAX_FILE_BYTES).map_err(|error| {
            SourceError::Io {
                path: path.clone(),
                source: io::Error::other(error.to_string()),
            }
        })?;
        Ok(DeckSource::from_files(
            DeckOrigin::Directory(root.to_path_buf()),
            [("deck.toml".to_string(), bytes)],
        ))
    }

    /// A deck from in-memory files (tests, generated decks).
    pub fn from_files(
        origin: DeckOrigin,
        files: impl IntoIterator<Item = (String, Vec<u8>)>,
    ) -> DeckSource {
        DeckSource {
            origin,
            files: files.into_iter().collect(),
            refused: Vec::new(),
        }
    }

    /// Reads every file of the deck folder at `root`. Hidden files and folders (`.git`) are
    /// skipped; symbolic links are not followed (a deck cannot make kubedrill read outside it);
    /// oversized files, and files past the count or depth limits, are refused with a problem.
    pub fn read_dir(root: &Path) -> Result<DeckSource, SourceError> {
        let metadata = std::fs::metadata(root).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => SourceError::NotFound(root.to_path_buf()),
            _ => SourceError::Io {
                path: root.to_path_buf(),
                source,
            },
        })?;
        if !metadata.is_dir() {
            return Err(SourceError::NotAFolder(root.to_path_buf()));
        }
        let mut source = DeckSource {
            origin: DeckOrigin::Directory(root.to_path_buf()),
            files: BTreeMap::new(),
            refused: Vec::new(),
        };
        source.read_folder(root, "", 0)?;
        Ok(source)
    }

    fn read_folder(
        &mut self,
        folder: &Path,
        prefix: &str,
        depth: usize,
    ) -> Result<(), SourceError> {
        let io_error = |source| SourceError::Io {
            path: folder.to_path_buf(),
            source,
        };
        let mut entries = std::fs::read_dir(folder)
            .map_err(io_error)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(io_error)?;
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let relative = format!("{prefix}{name}");
            let path = entry.path();
            let file_type = entry.file_type().map_err(|source| SourceError::Io {
                path: path.clone(),
                source,
            })?;
            if file_type.is_symlink() {
                self.refuse(
                    &relative,
                    "symbolic-link",
                    "symbolic links are not followed in a deck",
                )
                .help("copy the file into the deck folder instead of linking to it");
            } else if file_type.is_dir() {
                if depth + 1 >= MAX_DEPTH {
                    self.refuse(
                        &relative,
                        "too-deep",
                        format!("folders nest at most {MAX_DEPTH} deep in a deck"),
                    );
                } else {
                    self.read_folder(&path, &format!("{relative}/"), depth + 1)?;
                }
            } else if self.files.len() >= MAX_FILES {
                self.refuse(
                    &relative,
                    "too-many-files",
                    format!("a deck has at most {MAX_FILES} files; the rest were not read"),
                );
                return Ok(());
            } else {
                // Only regular files, read through the bounded reader: a FIFO or a device
                // would otherwise hang the load or fill memory (their size reads as 0).
                match crate::bounded_read::regular_file(&path, MAX_FILE_BYTES) {
                    Ok(bytes) => {
                        self.files.insert(relative, bytes);
                    }
                    Err(ReadError::TooLarge { cap }) => {
                        self.refuse(
                            &relative,
                            "file-too-large",
                            format!(
                                "this file has more than {cap} bytes, the most a deck file may have"
                            ),
                        )
                        .help("split it into smaller files, or leave it out of the deck folder");
                    }
                    Err(ReadError::NotRegular(what)) => {
                        self.refuse(
                            &relative,
                            "not-a-regular-file",
                            format!("this is {what}; a deck holds only regular files"),
                        )
                        .help("remove it from the deck folder (a deck is plain text files)");
                    }
                    Err(ReadError::Io(source)) => return Err(SourceError::Io { path, source }),
                }
            }
        }
        Ok(())
    }

    fn refuse(
        &mut self,
        file: &str,
        rule: &'static str,
        message: impl Into<String>,
    ) -> &mut Problem {
        self.refused.push(Problem::in_file(file, rule, message));
        self.refused.last_mut().expect("just pushed")
    }

    /// A file's text, when it exists and is UTF-8.
    pub fn text(&self, file: &str) -> Option<&str> {
        self.files
            .get(file)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
    }

    /// How the deck's folder is shown before file names in messages.
    pub fn display_root(&self) -> String {
        self.origin.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_a_folder_skips_hidden_files_and_refuses_links_and_oversized_files() {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path();
        std::fs::create_dir_all(root.join(".git/objects")).unwrap();
        std::fs::write(root.join(".git/objects/blob"), "not deck content").unwrap();
        std::fs::create_dir_all(root.join("topics/env")).unwrap();
        std::fs::write(root.join("deck.toml"), "id = \"x\"").unwrap();
        std::fs::write(
            root.join("topics/env/big.md"),
            vec![b'a'; MAX_FILE_BYTES as usize + 1],
        )
        .unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("topics/env/lesson.en.md")).unwrap();

        let source = DeckSource::read_dir(root).unwrap();
        let files: Vec<&str> = source.files.keys().map(String::as_str).collect();
        assert_eq!(files, ["deck.toml"]);
        let refused: Vec<(&str, &str)> = source
            .refused
            .iter()
            .map(|p| (p.file.as_str(), p.rule))
            .collect();
        assert_eq!(
            refused,
            [
                ("topics/env/big.md", "file-too-large"),
                ("topics/env/lesson.en.md", "symbolic-link")
            ]
        );
    }

    #[test]
    fn a_fifo_or_a_device_in_a_deck_is_refused_within_a_second() {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path();
        std::fs::write(root.join("deck.toml"), "id = \"x\"").unwrap();
        std::fs::create_dir_all(root.join("topics/env")).unwrap();
        let fifo = root.join("topics/env/lesson.en.md");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        // A device node needs root to make; where it cannot be made, the FIFO alone is tested
        // here and the device case by bounded_read's own test on /dev/zero.
        let device = root.join("topics/env/cards.toml");
        let made_device = std::process::Command::new("mknod")
            .arg(&device)
            .args(["c", "1", "5"])
            .status()
            .is_ok_and(|status| status.success());
        let started = std::time::Instant::now();
        let source = DeckSource::read_dir(root).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let refused: Vec<(&str, &str)> = source
            .refused
            .iter()
            .map(|p| (p.file.as_str(), p.rule))
            .collect();
        let mut expected = vec![("topics/env/lesson.en.md", "not-a-regular-file")];
        if made_device {
            expected.insert(0, ("topics/env/cards.toml", "not-a-regular-file"));
        }
        assert_eq!(refused, expected);
        assert!(source.refused.iter().any(|p| p.message.contains("a FIFO")));
        assert_eq!(source.files.keys().collect::<Vec<_>>(), ["deck.toml"]);
    }

    #[test]
    fn reading_a_missing_folder_or_a_file_is_an_error_that_names_it() {
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("nope");
        assert!(
            matches!(DeckSource::read_dir(&missing), Err(SourceError::NotFound(path)) if path == missing)
        );
        let file = folder.path().join("deck.toml");
        std::fs::write(&file, "").unwrap();
        let error = DeckSource::read_dir(&file).unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("deck.toml: not a folder (a deck is a folder with a deck.toml)")
        );
    }

    #[test]
    fn the_built_in_deck_is_embedded() {
        let source = DeckSource::built_in();
        assert_eq!(source.origin, DeckOrigin::BuiltIn);
        assert!(
            source
                .text("deck.toml")
                .is_some_and(|text| text.contains("id = \"cka\""))
        );
    }
}
