//! Reading decks: the built-in one compiled into the binary and any folder on disk.
//!
//! - [`files`]: serde structs that mirror the deck files exactly (the field reference);
//! - [`source`]: a deck's files read into memory, with size and count limits;
//! - [`validate`]: files → [`crate::model`], collecting every problem with file:line:column.
//!
//! A broken deck never stops the others: each deck is read and checked on its own, and its
//! problems travel with it in a [`DeckReport`].

pub mod anki;
pub mod build_check;
pub mod cache;
mod embedded;
pub mod files;
pub mod git;
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

/// Reads, validates and proves the deck folder at `path`: what `deck check` reports for it.
/// Content is code: every exercise is proved with the grader itself (its solution passes, its
/// starter and each listed wrong answer fail as they should).
pub fn check_and_prove(path: &Path) -> Result<DeckReport, SourceError> {
    let mut report = check_dir(path)?;
    if let Some(deck) = &report.deck {
        report.problems.extend(crate::grade::prove::prove(
            deck,
            crate::manifest::Version::pinned(),
        ));
        report
            .problems
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    }
    Ok(report)
}

/// Checks and proves several deck folders as `deck check` does ([`check_and_prove`]), each
/// given with the name its problems call it by. A deck that reuses an id taken by an earlier
/// one (or by the built-in deck) gets a `duplicate-deck` error, because it would not be loaded
/// beside it; the built-in deck's own source folder is that deck, not a rival.
pub fn check_folders(folders: &[(PathBuf, String)]) -> Vec<Result<DeckReport, SourceError>> {
    // Ids taken so far, and by whom (`None`: the built-in deck).
    let mut taken: Vec<(String, Option<&str>)> = vec![(built_in_id(), None)];
    folders
        .iter()
        .map(|(path, name)| {
            let mut report = check_and_prove(path)?;
            if let Some(deck) = &report.deck {
                let id = deck.id.to_string();
                match taken.iter().find(|(other, _)| *other == id) {
                    Some((_, first)) if first.is_some() || !is_built_in_source(path) => {
                        let problem = duplicate_deck(&report.source, *first);
                        report.problems.push(problem);
                    }
                    Some(_) => {}
                    None => taken.push((id, Some(name))),
                }
            }
            Ok(report)
        })
        .collect()
}

/// The built-in deck, validated (its problems are a bug in kubedrill; the tests keep it clean).
pub fn built_in() -> DeckReport {
    check_source(DeckSource::built_in())
}

/// Validates a deck to study it: as [`check_source`], but a parameterized item's variants after
/// the first are made when first shown ([`validate::validate_to_study`]).
pub fn load_source(source: DeckSource) -> DeckReport {
    let validated = validate::validate_to_study(&source);
    DeckReport {
        source,
        deck: validated.deck,
        problems: validated.problems,
    }
}

/// The folder the built-in deck was compiled from. `--deck` on it (or a path to the same
/// folder) studies the working copy in place of the embedded one: how the built-in deck's
/// authors try their changes.
pub fn built_in_source_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// Whether `folder` is the folder the built-in deck was compiled from.
pub fn is_built_in_source(folder: &Path) -> bool {
    install::same_folder(folder, &built_in_source_folder())
}

/// The built-in deck's id (`cka`), read from its embedded deck.toml without checking the rest.
pub fn built_in_id() -> String {
    let source = DeckSource::built_in_deck_toml();
    id_in(source.text("deck.toml").unwrap_or_default())
        .map(|(id, _)| id)
        .expect("the built-in deck.toml has an id")
}

/// The id `deck new` gives a deck in `folder` when none is asked for: the folder's name made an
/// id (`My CKA Deck` → `my-cka-deck`); `.` stands for the current folder's own name.
pub fn default_deck_id(folder: &Path) -> String {
    let name = folder
        .canonicalize()
        .ok()
        .and_then(|full| {
            full.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .or_else(|| {
            folder
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_default();
    scaffold::id_from_name(&name)
}

/// A deck.toml's `id` and where it is written, without checking the rest.
fn id_in(deck_toml: &str) -> Option<(String, std::ops::Range<usize>)> {
    let table = toml::de::DeTable::parse(deck_toml).ok()?;
    let id = table.get_ref().get("id")?;
    Some((id.get_ref().as_str()?.to_string(), id.span()))
}

/// The problem of a deck whose id is already taken by the deck from `first` (`None`: the
/// built-in deck): an error at its deck.toml's `id`, because two decks with one id would share
/// progress and items.
pub fn duplicate_deck(source: &DeckSource, first: Option<&str>) -> Problem {
    let text = source.text("deck.toml").unwrap_or_default();
    let (id, span) = id_in(text).unwrap_or_default();
    let message = match first {
        Some(first) => format!(
            "a deck with id `{id}` is already loaded from {first}, so this one is not loaded"
        ),
        None => format!("`{id}` is the built-in deck's id, so this deck is not loaded"),
    };
    Problem::at("deck.toml", text, span, "duplicate-deck", message)
    .help("give this deck its own id in deck.toml: progress is kept by deck id, so two decks with one id would share it")
}

/// Everything the program studies from: the built-in deck, then every installed deck (each
/// folder under `installed_dir`, in name order), then each extra folder. Decks that fail are
/// reported and left out. A deck whose id is already loaded is left out with a
/// `duplicate-deck` problem (the first one stays), never silently replaced; the one exception
/// is `--deck` on the built-in deck's own source folder ([`is_built_in_source`]).
#[derive(Debug, Default)]
pub struct LoadedLibrary {
    pub library: Library,
    /// Reports of decks that had problems (warnings included), in load order.
    pub reports: Vec<DeckReport>,
    /// Folders that could not be read at all.
    pub unreadable: Vec<SourceError>,
}

/// Loads the library; `with_built_in: false` leaves the built-in deck out (`--no-built-in`:
/// a class deck studied on its own). Every deck is read and checked.
pub fn load_library(
    with_built_in: bool,
    installed_dir: Option<&Path>,
    extra: &[PathBuf],
) -> LoadedLibrary {
    load_library_with(None, with_built_in, installed_dir, extra)
}

/// [`load_library`] with a deck cache in `cache_dir` ([`cache`]): a deck whose files are as
/// they were when it was last checked clean loads from there; any other is read, checked and
/// cached again.
pub fn load_library_cached(
    cache_dir: &Path,
    with_built_in: bool,
    installed_dir: Option<&Path>,
    extra: &[PathBuf],
) -> LoadedLibrary {
    load_library_with(Some(cache_dir), with_built_in, installed_dir, extra)
}

/// The outlines of the decks [`load_library`] would load, each from its deck.toml alone
/// ([`validate::outline`]: names, domains and topics, nothing else read): what the interface
/// draws Home's first frame from while the decks are read. `None` unless every deck's outline is
/// sound and the decks load plainly (no folder unreadable, no id twice, no built-in deck's own
/// folder, every topic's folder there), in which case the interface reads the decks first.
pub fn outline(
    with_built_in: bool,
    installed_dir: Option<&Path>,
    extra: &[PathBuf],
) -> Option<Library> {
    let mut decks = Vec::new();
    if with_built_in {
        decks.push(validate::outline(&DeckSource::built_in_deck_toml())?);
    }
    let (folders, _, unreadable) = deck_folders(installed_dir, extra);
    if !unreadable.is_empty() {
        return None;
    }
    for folder in &folders {
        if is_built_in_source(folder) {
            return None;
        }
        let deck = validate::outline(&DeckSource::deck_toml_of(folder).ok()?)?;
        // A topic without its folder is left out of the deck the check builds.
        let folders_there = deck
            .topics
            .iter()
            .all(|topic| folder.join("topics").join(topic.id.as_str()).is_dir());
        if !folders_there || decks.iter().any(|other: &Deck| other.id == deck.id) {
            return None;
        }
        decks.push(deck);
    }
    Some(Library { decks })
}

fn load_library_with(
    cache_dir: Option<&Path>,
    with_built_in: bool,
    installed_dir: Option<&Path>,
    extra: &[PathBuf],
) -> LoadedLibrary {
    // A cached built-in deck loads here (a few milliseconds; another thread's allocator arena
    // would grow page by page); one checked from its files, on another thread while the
    // folders are read.
    let mut cached_built_in = None;
    if with_built_in && let Some(dir) = cache_dir {
        let origin = crate::model::DeckOrigin::BuiltIn;
        cached_built_in = cache::load(dir, &cache::CacheKey::built_in(), &origin)
            .map(|deck| cached_report(DeckSource::built_in_deck_toml(), deck));
    }
    std::thread::scope(|scope| {
        let built_in = with_built_in.then(|| match cached_built_in {
            Some(report) => Ok(report),
            None => Err(scope.spawn(|| load_built_in(cache_dir))),
        });
        let (folders, installed_count, unreadable) = deck_folders(installed_dir, extra);
        let reports: Vec<Result<DeckReport, SourceError>> = folders
            .iter()
            .map(|folder| load_folder(cache_dir, folder))
            .collect();
        let mut loaded = LoadedLibrary::default();
        match built_in {
            Some(Ok(report)) => loaded.add(report),
            Some(Err(checking)) => loaded.add(
                checking
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            ),
            None => {}
        }
        loaded.unreadable.extend(unreadable);
        for (index, report) in reports.into_iter().enumerate() {
            match report {
                Ok(report) if index >= installed_count && is_built_in_source(&folders[index]) => {
                    loaded.replace_or_add(report);
                }
                Ok(report) => loaded.add(report),
                Err(error) => loaded.unreadable.push(error),
            }
        }
        loaded
    })
}

/// The built-in deck checked from its files, and cached when `cache_dir` is given.
fn load_built_in(cache_dir: Option<&Path>) -> DeckReport {
    let key = cache::CacheKey::built_in();
    let report = load_source(DeckSource::built_in());
    keep(cache_dir, &key, &report);
    report
}

/// The deck folder at `folder` to study, from the cache when none of its files changed since
/// it was cached.
fn load_folder(cache_dir: Option<&Path>, folder: &Path) -> Result<DeckReport, SourceError> {
    let key = cache_dir.and_then(|_| cache::CacheKey::of_folder(folder));
    let mut earlier = None;
    if let (Some(dir), Some(key)) = (cache_dir, &key) {
        let origin = crate::model::DeckOrigin::Directory(folder.to_path_buf());
        match cache::lookup(dir, key, &origin) {
            Some(cache::Cached::Current(deck)) => {
                return Ok(cached_report(DeckSource::deck_toml_of(folder)?, deck));
            }
            Some(cache::Cached::Earlier { deck, changed }) => earlier = Some((deck, changed)),
            None => {}
        }
    }
    let source = DeckSource::read_dir(folder)?;
    // A deck edited in a few topics: only those are checked again.
    let report = match earlier {
        Some((deck, changed)) => {
            let validated = validate::validate_to_study_reusing(&source, deck, &changed);
            DeckReport {
                source,
                deck: validated.deck,
                problems: validated.problems,
            }
        }
        None => load_source(source),
    };
    if let Some(key) = &key {
        keep(cache_dir, key, &report);
    }
    Ok(report)
}

/// A deck loaded from the cache: clean (only clean decks are cached), with its deck.toml at
/// hand in case its id turns out to be taken.
fn cached_report(source: DeckSource, deck: Deck) -> DeckReport {
    DeckReport {
        source,
        deck: Some(deck),
        problems: Vec::new(),
    }
}

/// Caches a deck checked without any problem.
fn keep(cache_dir: Option<&Path>, key: &cache::CacheKey, report: &DeckReport) {
    if let (Some(dir), Some(deck), true) = (cache_dir, &report.deck, report.problems.is_empty()) {
        // A cache that cannot be written only means the next start checks the deck again.
        let _ = cache::store(dir, key, deck);
    }
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
    // The same folder named twice (`--deck a --deck ./a`) is one deck, read once.
    for folder in extra {
        if !folders[installed_count..]
            .iter()
            .any(|other| install::same_folder(other, folder))
        {
            folders.push(folder.clone());
        }
    }
    (folders, installed_count, unreadable)
}

/// Why a deck was left out of the library, in whole or in part: what the learner is told when
/// the decks are loaded.
#[derive(Debug)]
pub enum LoadProblem<'a> {
    /// The built-in deck has errors: a bug in this build (the tests keep it clean); its broken
    /// parts are left out.
    BuiltInBroken { origin: String, errors: usize },
    /// A deck whose id another loaded deck has: left out whole. `message` says which.
    DuplicateDeck {
        origin: String,
        errors: usize,
        message: &'a str,
    },
    /// A deck with errors: its broken parts are left out.
    Broken { origin: String, errors: usize },
    /// A folder that could not be read at all.
    Unreadable(&'a SourceError),
}

impl LoadedLibrary {
    /// What was left out, deck by deck, then the folders that could not be read. Decks with
    /// warnings only are not a problem.
    pub fn problems(&self) -> Vec<LoadProblem<'_>> {
        let mut problems = Vec::new();
        for report in &self.reports {
            let errors = report.error_count();
            if errors == 0 {
                continue;
            }
            let origin = report.source.origin.to_string();
            problems.push(
                if report.source.origin == crate::model::DeckOrigin::BuiltIn {
                    LoadProblem::BuiltInBroken { origin, errors }
                } else if let Some(duplicate) = report
                    .problems
                    .iter()
                    .find(|problem| problem.rule == "duplicate-deck")
                {
                    LoadProblem::DuplicateDeck {
                        origin,
                        errors,
                        message: &duplicate.message,
                    }
                } else {
                    LoadProblem::Broken { origin, errors }
                },
            );
        }
        problems.extend(self.unreadable.iter().map(LoadProblem::Unreadable));
        problems
    }

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
                Some(first) => {
                    let first = match &first.origin {
                        crate::model::DeckOrigin::BuiltIn => None,
                        origin => Some(origin.to_string()),
                    };
                    report
                        .problems
                        .push(duplicate_deck(&report.source, first.as_deref()));
                }
                None => self.library.decks.push(deck),
            }
        }
        if !report.problems.is_empty() {
            self.reports.push(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build script's check (build.rs runs `build_check` on `content/` and stops the build on
    /// any finding) on a deliberately broken deck: it finds each mistake at the place, and with
    /// the message, that `deck check` reports, and a clean deck passes.
    #[test]
    fn the_build_time_check_refuses_a_broken_deck_with_deck_checks_messages() {
        let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/valid");
        let mut source = DeckSource::read_dir(&valid).unwrap();
        let files = |source: &DeckSource| -> Vec<(String, Vec<u8>)> {
            source
                .files
                .iter()
                .map(|(file, bytes)| (file.clone(), bytes.clone()))
                .collect()
        };
        let check = |files: &[(String, Vec<u8>)]| {
            build_check::check(files.iter().map(|(f, b)| (f.as_str(), b.as_slice())))
        };
        assert_eq!(check(&files(&source)), []);
        assert!(validate::validate(&source).problems.is_empty());

        // A string left open on line 2 of a card file, and a Latin-1 byte in a lesson.
        let cards = source
            .files
            .get_mut("topics/init-containers/cards.toml")
            .unwrap();
        let text = String::from_utf8(cards.clone()).unwrap();
        *cards = text
            .replacen("\nid = \"run-order\"", "\nid = \"run-order", 1)
            .into_bytes();
        let lesson = source.files.get_mut("topics/env/lesson.ko.md").unwrap();
        lesson.splice(0..0, *b"# caf\xe9\n");
        let findings = check(&files(&source));
        let places: Vec<(&str, usize, usize, &str)> = findings
            .iter()
            .map(|f| (f.file.as_str(), f.line, f.column, f.rule))
            .collect();
        assert_eq!(
            places,
            [
                ("topics/env/lesson.ko.md", 1, 6, "not-utf8"),
                ("topics/init-containers/cards.toml", 2, 16, "toml-syntax"),
            ],
            "{findings:#?}"
        );
        assert!(findings[0].message.contains("not UTF-8"), "{findings:#?}");
        assert!(
            findings[1].message.starts_with("TOML syntax: "),
            "{findings:#?}"
        );

        // What the build prints, file:line:column first.
        let printed = build_check::render(&findings, "content");
        assert!(
            printed.contains(
                "content/topics/init-containers/cards.toml:2:16: error[toml-syntax]: TOML syntax: "
            ),
            "{printed}"
        );
        assert!(
            printed.contains(
                "content/topics/env/lesson.ko.md:1:6: error[not-utf8]: this file is not UTF-8 text"
            ),
            "{printed}"
        );

        // `deck check` reports the same problems at the same places.
        let problems = validate::validate(&source).problems;
        for finding in &findings {
            assert!(
                problems.iter().any(|problem| problem.file == finding.file
                    && (problem.line, problem.column) == (finding.line, finding.column)
                    && problem.rule == finding.rule
                    && problem.message == finding.message
                    && problem.help.as_deref() == Some(finding.help)),
                "deck check does not report {finding:?}: {problems:#?}"
            );
        }
    }

    /// A deck's outline (Home's first frame) is read from deck.toml alone and names what the
    /// checked deck holds: the same deck, domains and topics in order, with nothing inside.
    #[test]
    fn an_outline_is_the_checked_decks_names_read_from_deck_toml_alone() {
        let built_in = load_library(true, None, &[]).library.decks.remove(0);
        let drawn = outline(true, None, &[]).unwrap().decks.remove(0);
        assert_eq!(
            (&drawn.id, &drawn.title, &drawn.domains),
            (&built_in.id, &built_in.title, &built_in.domains)
        );
        let names = |deck: &Deck| -> Vec<(String, String, Option<usize>)> {
            deck.topics
                .iter()
                .map(|t| (t.id.to_string(), t.title.get("ko").to_string(), t.domain))
                .collect()
        };
        assert_eq!(names(&drawn), names(&built_in));
        assert!(
            drawn
                .topics
                .iter()
                .all(|t| t.counts() == Default::default())
        );

        // A folder deck: its topics' files are not read (a broken card file changes nothing)…
        let root = tempfile::tempdir().unwrap();
        let deck = root.path().join("deck");
        scaffold::write_new_deck(&deck, "outlined", None).unwrap();
        let checked = check_dir(&deck).unwrap().deck.unwrap();
        let topic = checked.topics[0].id.to_string();
        let cards = deck.join("topics").join(&topic).join("cards.toml");
        std::fs::write(&cards, "[[card]\n").unwrap();
        let folders = [deck.clone()];
        let outlined = outline(false, None, &folders).unwrap().decks.remove(0);
        assert_eq!(names(&outlined), names(&checked));
        // …but a deck.toml with a problem, or a topic without its folder, gives no outline:
        // the interface then reads the decks before its first frame.
        std::fs::remove_dir_all(deck.join("topics").join(&topic)).unwrap();
        assert!(outline(false, None, &folders).is_none());
        std::fs::write(deck.join("deck.toml"), "id = \"x\"\n").unwrap();
        assert!(outline(false, None, &folders).is_none());
        assert!(outline(true, None, &[root.path().join("missing")]).is_none());
    }

    /// The built-in deck passes the build's check (it could not have been built otherwise; this
    /// keeps the check and the embedded files in step).
    #[test]
    fn the_built_in_deck_passes_the_build_time_check() {
        let source = DeckSource::built_in();
        let findings = build_check::check(
            source
                .files
                .iter()
                .map(|(file, bytes)| (file.as_str(), bytes.as_slice())),
        );
        assert_eq!(findings, []);
        assert!(source.files.len() > 300, "{} files", source.files.len());
    }

    #[test]
    fn a_folder_checked_twice_or_with_the_built_in_id_is_a_duplicate_deck() {
        let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/valid");
        let folders = [
            (valid.clone(), "first".to_string()),
            (valid, "second".to_string()),
            (built_in_source_folder(), "content".to_string()),
        ];
        let reports: Vec<DeckReport> = check_folders(&folders)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let duplicates = |report: &DeckReport| -> Vec<String> {
            report
                .problems
                .iter()
                .filter(|problem| problem.rule == "duplicate-deck")
                .map(|problem| problem.message.clone())
                .collect()
        };
        assert!(duplicates(&reports[0]).is_empty());
        assert_eq!(
            duplicates(&reports[1]),
            ["a deck with id `fixture` is already loaded from first, so this one is not loaded"]
        );
        // The built-in deck's own folder is that deck, not a rival.
        assert!(duplicates(&reports[2]).is_empty());
    }
}
