//! Reading decks: the built-in one compiled into the binary and any folder on disk.
//!
//! - [`files`]: serde structs that mirror the deck files exactly (the field reference);
//! - [`source`]: a deck's files read into memory, with size and count limits;
//! - [`validate`]: files → [`crate::model`], collecting every problem with file:line:column.
//!
//! A broken deck never stops the others: each deck is read and checked on its own, and its
//! problems travel with it in a [`DeckReport`].

pub mod anki;
mod embedded;
pub mod files;
pub mod install;
pub mod scaffold;
pub mod source;
pub mod validate;

use std::path::{Path, PathBuf};

pub use source::{DeckSource, SourceError};

use crate::diagnostic::{Problem, ProblemBuilder};
use crate::model::{Deck, Library};

/// One deck as read: where it came from, its files (to show snippets), the deck when it could be
/// used, and every problem found.
#[derive(Debug)]
pub struct DeckReport {
    pub source: DeckSource,
    pub deck: Option<Deck>,
    pub problems: Vec<Problem>,
}

impl DeckReport {
    pub fn error_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|problem| problem.is_error())
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.problems.len() - self.error_count()
    }
}

/// Validates a deck already in memory.
pub fn check_source(source: DeckSource) -> DeckReport {
    let validated = validate::validate(&source);
    DeckReport {
        source,
        deck: validated.deck,
        problems: validated.problems,
    }
}

/// Reads and validates the deck folder at `path`.
pub fn check_dir(path: &Path) -> Result<DeckReport, SourceError> {
    DeckSource::read_dir(path).map(check_source)
}

/// The built-in deck, validated (its problems are a bug in kubedrill; the tests keep it clean).
pub fn built_in() -> DeckReport {
    check_source(DeckSource::built_in())
}

/// Everything the program studies from: the built-in deck, then every installed deck (each
/// folder under `installed_dir`, in name order), then each extra folder. Decks that fail are
/// reported and left out. A built-in or installed deck whose id is already loaded is left out
/// with a problem; an extra folder (`--deck DIR`, asked for by name) replaces a deck of the same
/// id, so `--deck content/` studies a working copy of the built-in deck.
#[derive(Debug, Default)]
pub struct LoadedLibrary {
    pub library: Library,
    /// Reports of decks that had problems (warnings included), in load order.
    pub reports: Vec<DeckReport>,
    /// Folders that could not be read at all.
    pub unreadable: Vec<SourceError>,
}

pub fn load_library(installed_dir: Option<&Path>, extra: &[PathBuf]) -> LoadedLibrary {
    // The built-in deck is checked on another thread while the folders are read.
    std::thread::scope(|scope| {
        let built_in = scope.spawn(built_in);
        let (folders, installed_count, unreadable) = deck_folders(installed_dir, extra);
        let reports: Vec<Result<DeckReport, SourceError>> =
            folders.iter().map(|folder| check_dir(folder)).collect();
        let mut loaded = LoadedLibrary::default();
        loaded.add(
            built_in
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        loaded.unreadable.extend(unreadable);
        for (index, report) in reports.into_iter().enumerate() {
            match report {
                Ok(report) if index >= installed_count => loaded.replace_or_add(report),
                Ok(report) => loaded.add(report),
                Err(error) => loaded.unreadable.push(error),
            }
        }
        loaded
    })
}

/// The installed deck folders (sorted), then the extra ones: (folders, how many are installed,
/// errors reading the installed folder).
fn deck_folders(
    installed_dir: Option<&Path>,
    extra: &[PathBuf],
) -> (Vec<PathBuf>, usize, Vec<SourceError>) {
    let mut unreadable = Vec::new();
    let mut folders: Vec<PathBuf> = Vec::new();
    if let Some(dir) = installed_dir {
        match std::fs::read_dir(dir) {
            Ok(entries) => {
                let mut installed: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
                    .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
                    .map(|entry| entry.path())
                    .collect();
                installed.sort();
                folders.extend(installed);
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => unreadable.push(SourceError::Io {
                path: dir.to_path_buf(),
                source,
            }),
        }
    }
    let installed_count = folders.len();
    folders.extend(extra.iter().cloned());
    (folders, installed_count, unreadable)
}

impl LoadedLibrary {
    fn replace_or_add(&mut self, mut report: DeckReport) {
        if let Some(deck) = report.deck.take() {
            match self
                .library
                .decks
                .iter_mut()
                .find(|loaded| loaded.id == deck.id)
            {
                Some(loaded) => *loaded = deck,
                None => self.library.decks.push(deck),
            }
        }
        if !report.problems.is_empty() {
            self.reports.push(report);
        }
    }

    fn add(&mut self, mut report: DeckReport) {
        if let Some(deck) = report.deck.take() {
            match self
                .library
                .decks
                .iter()
                .find(|loaded| loaded.id == deck.id)
            {
                Some(first) => report.problems.push(
                    Problem::in_file(
                        "deck.toml",
                        "duplicate-deck",
                        format!(
                            "a deck with id `{}` is already loaded from {}",
                            deck.id, first.origin
                        ),
                    )
                    .help("give this deck another id in deck.toml, or remove one of the two"),
                ),
                None => self.library.decks.push(deck),
            }
        }
        if !report.problems.is_empty() {
            self.reports.push(report);
        }
    }
}
