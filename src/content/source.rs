//! A deck's files in memory: read once from a folder (bounded) or from the copy compiled into the
//! binary. Validation works on this, never on the file system, so it is the same code for both and
//! a test can build a deck from strings.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

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
        DeckSource::from_files(
            DeckOrigin::BuiltIn,
            super::embedded::FILES
                .iter()
                .map(|(path, bytes)| (path.to_string(), bytes.to_vec())),
        )
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
                let size = entry
                    .metadata()
                    .map_err(|source| SourceError::Io {
                        path: path.clone(),
                        source,
                    })?
                    .len();
                if size > MAX_FILE_BYTES {
                    self.refuse(
                        &relative,
                        "file-too-large",
                        format!(
                            "this file has {size} bytes; a deck file has at most {MAX_FILE_BYTES}"
                        ),
                    );
                    continue;
                }
                let bytes =
                    std::fs::read(&path).map_err(|source| SourceError::Io { path, source })?;
                self.files.insert(relative, bytes);
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
