//! `kubedrill deck update`: fetch an installed deck's repository again, show what changes, and
//! install the new commit only when it checks clean.
//!
//! Progress is keyed by deck and item id, so an item that changed keeps its progress, and an
//! item that was removed keeps its progress in the database as well (archived: no deck shows
//! it; `deck orphans` lists it; it is picked up again if the item comes back). Nothing is
//! deleted.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::super::git::{self, GitError, Origin};
use super::super::{DeckReport, check_and_prove, check_dir};
use super::{install, installed_folder, installed_ids};
use crate::model::{After, Deck, shared_texts};

/// What an update changes, by full item id (`TOPIC/ITEM`), each list sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// What `deck update` did.
#[derive(Debug)]
pub enum Updated {
    /// The repository names the commit already installed.
    UpToDate { id: String, origin: Origin },
    /// The new commit was checked and installed.
    Installed {
        id: String,
        from: Origin,
        to: Origin,
        changes: Changes,
        /// What checking it found (warnings only).
        report: Box<DeckReport>,
    },
}

/// Why `deck update` installed nothing; the installed version stays as it was.
#[derive(Debug)]
pub enum UpdateError {
    NotInstalled {
        id: String,
        installed: Vec<String>,
    },
    /// Installed from a folder, not from git: `deck add DIR` again updates it.
    NotFromGit {
        id: String,
        folder: PathBuf,
    },
    Git {
        id: String,
        error: GitError,
    },
    /// The new commit's deck cannot be read as a deck.
    Unreadable {
        id: String,
        error: super::SourceError,
    },
    /// The new commit has errors; `report` says which.
    HasErrors {
        id: String,
        installed: Box<Origin>,
        fetched: Box<Origin>,
        report: Box<DeckReport>,
    },
    /// The repository now holds a deck with another id (progress would not carry over).
    IdChanged {
        id: String,
        new_id: String,
    },
    Io {
        folder: PathBuf,
        error: io::Error,
    },
}

/// Updates the installed deck `id` from the repository it was added from.
pub fn update(decks_dir: &Path, id: &str) -> Result<Updated, UpdateError> {
    let Some(folder) = installed_folder(decks_dir, id) else {
        return Err(UpdateError::NotInstalled {
            id: id.to_string(),
            installed: installed_ids(decks_dir),
        });
    };
    let Some(installed) = Origin::of_installed(&folder) else {
        return Err(UpdateError::NotFromGit {
            id: id.to_string(),
            folder,
        });
    };
    // A branch is followed to its newest commit; a tag or a commit names the same one again.
    let checkout =
        git::fetch(&installed.url, installed.reference.as_deref(), decks_dir).map_err(|error| {
            UpdateError::Git {
                id: id.to_string(),
                error,
            }
        })?;
    if checkout.origin.commit == installed.commit {
        return Ok(Updated::UpToDate {
            id: id.to_string(),
            origin: installed,
        });
    }
    let report = check_and_prove(&checkout.dir).map_err(|error| UpdateError::Unreadable {
        id: id.to_string(),
        error,
    })?;
    let new_deck = match &report.deck {
        Some(deck) if report.error_count() == 0 => deck,
        _ => {
            return Err(UpdateError::HasErrors {
                id: id.to_string(),
                installed: Box::new(installed),
                fetched: Box::new(checkout.origin),
                report: Box::new(report),
            });
        }
    };
    if new_deck.id.as_str() != id {
        return Err(UpdateError::IdChanged {
            id: id.to_string(),
            new_id: new_deck.id.to_string(),
        });
    }
    let old_deck = check_dir(&folder).ok().and_then(|report| report.deck);
    let changes = changes(old_deck.as_ref(), new_deck);
    install(&checkout.dir, decks_dir, id, Some(&checkout.origin)).map_err(|error| {
        UpdateError::Io {
            folder: folder.clone(),
            error,
        }
    })?;
    Ok(Updated::Installed {
        id: id.to_string(),
        from: installed,
        to: checkout.origin,
        changes,
        report: Box::new(report),
    })
}

/// The ids of the installed decks that came from git, in folder order: what `deck update`
/// without a deck updates.
pub fn from_git(decks_dir: &Path) -> Vec<String> {
    installed_ids(decks_dir)
        .into_iter()
        .filter(|id| {
            installed_folder(decks_dir, id)
                .is_some_and(|folder| Origin::of_installed(&folder).is_some())
        })
        .collect()
}

/// Items added, changed and removed from `old` (the installed deck; `None` if it no longer
/// reads) to `new`.
pub fn changes(old: Option<&Deck>, new: &Deck) -> Changes {
    let before = old.map(fingerprints).unwrap_or_default();
    let after = fingerprints(new);
    let mut changes = Changes::default();
    for (id, print) in &after {
        match before.get(id) {
            None => changes.added.push(id.clone()),
            Some(old) if old != print => changes.changed.push(id.clone()),
            Some(_) => {}
        }
    }
    changes.removed = before
        .keys()
        .filter(|id| !after.contains_key(*id))
        .cloned()
        .collect();
    changes
}

/// Each item's content as bytes, by full id. Where an item sits in its file (byte offsets of
/// `after`, an exercise's line numbers) is left out: moving an item is not changing it.
fn fingerprints(deck: &Deck) -> BTreeMap<String, Vec<u8>> {
    fn bytes<T: serde::Serialize>(item: &T) -> Vec<u8> {
        postcard::to_stdvec(item).unwrap_or_default()
    }
    fn unplaced(after: &mut [After]) {
        for after in after {
            after.offset = 0;
        }
    }
    let (prints, _) = shared_texts::collect(|| {
        let mut prints = BTreeMap::new();
        for topic in &deck.topics {
            let mut add = |id: &crate::model::Id, print: Vec<u8>| {
                prints.insert(format!("{}/{id}", topic.id), print);
            };
            for card in &topic.cards {
                let mut card = card.clone();
                unplaced(&mut card.after);
                add(&card.id, bytes(&card));
            }
            for question in &topic.questions {
                let mut question = question.clone();
                unplaced(&mut question.after);
                add(&question.id, bytes(&question));
            }
            for drill in &topic.drills {
                let mut drill = drill.clone();
                unplaced(&mut drill.after);
                let labels = bytes(&drill.variants.labels().collect::<Vec<_>>());
                drill.variants = Default::default();
                add(&drill.id, [bytes(&drill), labels].concat());
            }
            for exercise in &topic.exercises {
                let mut exercise = exercise.clone();
                unplaced(&mut exercise.after);
                exercise.origin = Default::default();
                let labels = bytes(&exercise.variants.labels().collect::<Vec<_>>());
                exercise.variants = Default::default();
                exercise
                    .wrong_answers
                    .iter_mut()
                    .for_each(|wrong| wrong.line = 0);
                add(&exercise.id, [bytes(&exercise), labels].concat());
            }
            for scenario in &topic.scenarios {
                let mut scenario = scenario.clone();
                unplaced(&mut scenario.after);
                scenario.origin = Default::default();
                let labels = bytes(&scenario.variants.labels().collect::<Vec<_>>());
                scenario.variants = Default::default();
                scenario.wrong.iter_mut().for_each(|wrong| wrong.line = 0);
                add(&scenario.id, [bytes(&scenario), labels].concat());
            }
        }
        prints
    });
    prints
}
