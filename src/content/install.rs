//! Installed decks: `kubedrill deck add DIR` copies a checked deck into `DATA_DIR/decks/ID/`,
//! `kubedrill deck remove ID` takes it out again. Progress is keyed by deck id, never by folder,
//! so removing a deck keeps its progress and adding it back picks it up.
//!
//! A copy is written beside its final place and renamed into it, so an interrupted `add` leaves
//! either the old deck or the new one, never half of each.

use std::io;
use std::path::{Path, PathBuf};

use super::git::{self, GitError, Origin};
use super::source::MAX_FILES;
use super::{DeckReport, SourceError};

mod update;
pub use update::{Changes, UpdateError, Updated, changes, from_git, update};

/// A deck `deck add` installed.
#[derive(Debug)]
pub struct Added {
    /// What checking it found (warnings only); its deck is `Some`.
    pub report: DeckReport,
    /// The installed copy.
    pub target: PathBuf,
    /// Whether it replaced an installed copy of the same deck.
    pub replaced: bool,
    /// Where it came from, for a deck added from git.
    pub origin: Option<Origin>,
}

/// Why `deck add` installed nothing.
#[derive(Debug)]
pub enum AddError {
    /// The folder cannot be read as a deck.
    Unreadable(SourceError),
    /// The deck has errors; the report says which. A deck with errors is never installed.
    HasErrors(Box<DeckReport>),
    /// The deck has the built-in deck's id: it would never be loaded.
    BuiltInId(String),
    /// The folder is the installed copy itself.
    IsInstalledCopy,
    /// Copying it into the installed decks' folder failed.
    Io {
        decks_dir: PathBuf,
        error: io::Error,
    },
    /// The repository could not be fetched.
    Git(GitError),
}

/// Why `deck remove` removed nothing.
#[derive(Debug)]
pub enum RemoveError {
    /// The built-in deck is part of the program.
    BuiltIn,
    /// No installed deck has the id; these are the ids that are installed.
    NotInstalled { installed: Vec<String> },
    /// The installed folder could not be removed.
    Io { folder: PathBuf, error: io::Error },
}

/// Checks and proves the deck folder `from` and, when it has no errors, installs a copy of it
/// under `decks_dir` ([`install`]).
pub fn add(from: &Path, decks_dir: &Path) -> Result<Added, AddError> {
    add_checked(from, decks_dir, None)
}

/// Clones the repository `url` at `reference` (a branch, tag or commit; its default branch when
/// `None`), checks and proves the deck at its top and, when it has no errors, installs it as
/// [`add`] does, with its origin recorded for `deck update`.
pub fn add_from_git(
    url: &str,
    reference: Option<&str>,
    decks_dir: &Path,
) -> Result<Added, AddError> {
    let checkout = git::fetch(url, reference, decks_dir).map_err(AddError::Git)?;
    add_checked(&checkout.dir, decks_dir, Some(&checkout.origin))
}

fn add_checked(from: &Path, decks_dir: &Path, origin: Option<&Origin>) -> Result<Added, AddError> {
    let report = super::check_and_prove(from).map_err(AddError::Unreadable)?;
    let id = match &report.deck {
        Some(deck) if report.error_count() == 0 => deck.id.to_string(),
        _ => return Err(AddError::HasErrors(Box::new(report))),
    };
    if id == super::built_in_id() {
        return Err(AddError::BuiltInId(id));
    }
    if installed_folder(decks_dir, &id).is_some_and(|folder| same_folder(&folder, from)) {
        return Err(AddError::IsInstalledCopy);
    }
    let (target, replaced) =
        install(from, decks_dir, &id, origin).map_err(|error| AddError::Io {
            decks_dir: decks_dir.to_path_buf(),
            error,
        })?;
    Ok(Added {
        report,
        target,
        replaced,
        origin: origin.cloned(),
    })
}

/// Uninstalls the deck `id`; returns the folder it was in.
pub fn remove_deck(decks_dir: &Path, id: &str) -> Result<PathBuf, RemoveError> {
    if id == super::built_in_id() {
        return Err(RemoveError::BuiltIn);
    }
    let Some(folder) = installed_folder(decks_dir, id) else {
        return Err(RemoveError::NotInstalled {
            installed: installed_ids(decks_dir),
        });
    };
    remove_folder(decks_dir, &folder, id)
        .map(|()| folder.clone())
        .map_err(|error| RemoveError::Io { folder, error })
}

/// The ids of the installed decks, in folder order (as their deck.toml says, checked or not:
/// what `deck remove` can remove).
pub fn installed_ids(decks_dir: &Path) -> Vec<String> {
    deck_folders(decks_dir)
        .iter()
        .filter_map(|folder| deck_id_of(folder))
        .collect()
}

/// The folders under `decks_dir`, hidden ones (a copy being made) left out, in name order.
fn deck_folders(decks_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(decks_dir) else {
        return Vec::new();
    };
    let mut folders: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    folders
}

/// Where an installed deck lives: the folder under `decks_dir` whose deck.toml has `id`.
pub fn installed_folder(decks_dir: &Path, id: &str) -> Option<PathBuf> {
    deck_folders(decks_dir)
        .into_iter()
        .find(|folder| deck_id_of(folder).as_deref() == Some(id))
}

/// The `id` a folder's deck.toml declares, read without validating the rest.
fn deck_id_of(folder: &Path) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct JustId {
        id: String,
    }
    let bytes =
        crate::bounded_read::regular_file(&folder.join("deck.toml"), super::source::MAX_FILE_BYTES)
            .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    toml::from_str::<JustId>(&text).ok().map(|deck| deck.id)
}

/// Copies the deck folder `from` into `decks_dir/id`, replacing an installed copy of the same
/// deck, with `origin` recorded beside it. Hidden files and folders (`.git`) are not copied.
/// Returns where it was installed and whether it replaced one.
pub fn install(
    from: &Path,
    decks_dir: &Path,
    id: &str,
    origin: Option<&Origin>,
) -> io::Result<(PathBuf, bool)> {
    std::fs::create_dir_all(decks_dir)?;
    let staging = tempfile::Builder::new()
        .prefix(".adding-")
        .tempdir_in(decks_dir)?;
    copy_tree(from, staging.path(), &mut 0)?;
    if let Some(origin) = origin {
        origin.write_into(staging.path())?;
    }
    let target = installed_folder(decks_dir, id).unwrap_or_else(|| decks_dir.join(id));
    let replaced = target.exists();
    if replaced {
        let old = decks_dir.join(format!(".removing-{id}-{}", std::process::id()));
        std::fs::rename(&target, &old)?;
        let staged = staging.keep();
        if let Err(error) = std::fs::rename(&staged, &target) {
            // Put the old deck back rather than leave none.
            let _ = std::fs::rename(&old, &target);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(error);
        }
        std::fs::remove_dir_all(&old)?;
    } else {
        let staged = staging.keep();
        std::fs::rename(&staged, &target)?;
    }
    Ok((target, replaced))
}

fn remove_folder(decks_dir: &Path, folder: &Path, id: &str) -> io::Result<()> {
    // Renamed first, so a deck half deleted is never loaded.
    let doomed = decks_dir.join(format!(".removing-{id}-{}", std::process::id()));
    std::fs::rename(folder, &doomed)?;
    std::fs::remove_dir_all(&doomed)
}

/// Copies a deck's files under `from` into the existing folder `to` (dot files and links left
/// out, each file read as the loader reads it), counting them in `count`.
pub(super) fn copy_tree(from: &Path, to: &Path, count: &mut usize) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        let target = to.join(&name);
        if kind.is_dir() {
            std::fs::create_dir(&target)?;
            copy_tree(&entry.path(), &target, count)?;
        } else if kind.is_file() {
            *count += 1;
            if *count > MAX_FILES {
                return Err(io::Error::other(format!(
                    "the deck has more than {MAX_FILES} files"
                )));
            }
            // Read as the loader reads: a FIFO or device swapped in is refused, never hung on.
            let bytes =
                crate::bounded_read::regular_file(&entry.path(), super::source::MAX_FILE_BYTES)
                    .map_err(|error| {
                        io::Error::other(format!("{}: {error}", entry.path().display()))
                    })?;
            std::fs::write(&target, bytes)?;
        }
        // Symbolic links are not followed: a deck is its own files.
    }
    Ok(())
}

/// Whether `folder` is the deck source kubedrill would read (used to refuse installing a deck
/// over itself).
pub fn same_folder(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/decks")
            .join(name)
    }

    /// A copy of the valid fixture deck whose id is `id`.
    fn deck_with_id(into: &Path, id: &str) -> PathBuf {
        let folder = into.join(id);
        std::fs::create_dir(&folder).unwrap();
        copy_tree(&fixture("valid"), &folder, &mut 0).unwrap();
        let toml = folder.join("deck.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        std::fs::write(
            &toml,
            text.replace("id = \"fixture\"", &format!("id = \"{id}\"")),
        )
        .unwrap();
        folder
    }

    #[test]
    fn a_clean_deck_is_installed_then_replaced_then_removed() {
        let data = tempfile::tempdir().unwrap();
        let decks = data.path().join("decks");
        let added = add(&fixture("valid"), &decks).unwrap();
        assert!(!added.replaced);
        assert_eq!(added.target, decks.join("fixture"));
        assert!(add(&fixture("valid"), &decks).unwrap().replaced);
        assert_eq!(installed_ids(&decks), ["fixture"]);
        assert!(matches!(
            add(&added.target, &decks),
            Err(AddError::IsInstalledCopy)
        ));
        assert_eq!(
            remove_deck(&decks, "fixture").unwrap(),
            decks.join("fixture")
        );
        assert!(installed_ids(&decks).is_empty());
    }

    #[test]
    fn a_deck_with_errors_or_the_built_in_id_is_not_installed() {
        let data = tempfile::tempdir().unwrap();
        let decks = data.path().join("decks");
        match add(&fixture("unknown-key"), &decks) {
            Err(AddError::HasErrors(report)) => assert!(report.error_count() > 0),
            other => panic!("{other:?}"),
        }
        let work = tempfile::tempdir().unwrap();
        let built_in = super::super::built_in_id();
        let imposter = deck_with_id(work.path(), &built_in);
        assert!(matches!(add(&imposter, &decks), Err(AddError::BuiltInId(id)) if id == built_in));
        assert!(matches!(
            add(&work.path().join("none"), &decks),
            Err(AddError::Unreadable(_))
        ));
        assert!(!decks.exists() || installed_ids(&decks).is_empty());
    }

    #[test]
    fn removing_the_built_in_deck_or_an_unknown_id_says_what_is_installed() {
        let data = tempfile::tempdir().unwrap();
        let decks = data.path().join("decks");
        assert!(matches!(
            remove_deck(&decks, &super::super::built_in_id()),
            Err(RemoveError::BuiltIn)
        ));
        add(&fixture("valid"), &decks).unwrap();
        match remove_deck(&decks, "other") {
            Err(RemoveError::NotInstalled { installed }) => assert_eq!(installed, ["fixture"]),
            other => panic!("{other:?}"),
        }
    }
}
