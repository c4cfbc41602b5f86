//! Installed decks: `kubedrill deck add DIR` copies a checked deck into `DATA_DIR/decks/ID/`,
//! `kubedrill deck remove ID` takes it out again. Progress is keyed by deck id, never by folder,
//! so removing a deck keeps its progress and adding it back picks it up.
//!
//! A copy is written beside its final place and renamed into it, so an interrupted `add` leaves
//! either the old deck or the new one, never half of each.

use std::io;
use std::path::{Path, PathBuf};

use super::source::MAX_FILES;

/// Where an installed deck lives: the folder under `decks_dir` whose deck.toml has `id`.
pub fn installed_folder(decks_dir: &Path, id: &str) -> Option<PathBuf> {
    let entries = std::fs::read_dir(decks_dir).ok()?;
    let mut folders: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    folders
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
/// deck. Hidden files and folders (`.git`) are not copied. Returns where it was installed and
/// whether it replaced one.
pub fn install(from: &Path, decks_dir: &Path, id: &str) -> io::Result<(PathBuf, bool)> {
    std::fs::create_dir_all(decks_dir)?;
    let staging = tempfile::Builder::new()
        .prefix(".adding-")
        .tempdir_in(decks_dir)?;
    copy_tree(from, staging.path(), &mut 0)?;
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

/// Removes the installed deck `id`; `Ok(None)` when no installed deck has that id.
pub fn remove(decks_dir: &Path, id: &str) -> io::Result<Option<PathBuf>> {
    let Some(folder) = installed_folder(decks_dir, id) else {
        return Ok(None);
    };
    // Renamed first, so a deck half deleted is never loaded.
    let doomed = decks_dir.join(format!(".removing-{id}-{}", std::process::id()));
    std::fs::rename(&folder, &doomed)?;
    std::fs::remove_dir_all(&doomed)?;
    Ok(Some(folder))
}

fn copy_tree(from: &Path, to: &Path, count: &mut usize) -> io::Result<()> {
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
