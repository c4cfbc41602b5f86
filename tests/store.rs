//! The progress database keeps a learner's history whatever happens: new files are migrated,
//! unreadable or foreign files are moved aside (never overwritten), a newer file is left alone,
//! edits to a deck's text keep progress, and two processes writing at once lose nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kubedrill::content;
use kubedrill::model::Library;
use kubedrill::srs::{Phase, Rating};
use kubedrill::store::{Setting, Store, StoreError, StoreNotice};
use kubedrill::study;

mod common;
use common::copy_dir;

fn now() -> Timestamp {
    "2026-06-01T09:00:00Z".parse().unwrap()
}

fn fixture_library(path: &Path) -> Library {
    let report = content::check_dir(path).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    Library {
        decks: vec![report.deck.unwrap()],
    }
}

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/valid")
}

/// Rates the first `count` items of today's queue Good; returns their keys.
fn study_some(store: &mut Store, library: &Library, count: usize, at: Timestamp) -> Vec<String> {
    let settings = store.settings().unwrap();
    let scheduler = study::scheduler(&settings, &TimeZone::UTC).unwrap();
    let today = study::today(library, store, &settings, at, &TimeZone::UTC, |_| true).unwrap();
    let chosen: Vec<_> = today.items.into_iter().take(count).collect();
    let mut keys = Vec::new();
    for (entry, state) in chosen {
        study::rate(
            store,
            &scheduler,
            &entry,
            state,
            Rating::Good,
            at,
            Some(4000),
            None,
        )
        .unwrap();
        keys.push(entry.key());
    }
    keys
}

#[test]
fn a_new_file_is_created_with_every_migration() {
    let dir = tempfile::tempdir().unwrap();
    let opened = Store::open_in(&dir.path().join("nested/data"), now()).unwrap();
    assert!(opened.moved_aside.is_none());
    assert_eq!(opened.store.integrity_check().unwrap(), "ok");
    assert_eq!(opened.store.review_count().unwrap(), 0);
    assert_eq!(opened.store.settings().unwrap().new_per_day, 20);
    drop(opened);
    // Opening again finds the schema in place and changes nothing.
    let again = Store::open_in(&dir.path().join("nested/data"), now()).unwrap();
    assert!(again.moved_aside.is_none());
}

#[test]
fn an_empty_file_is_taken_as_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    std::fs::write(&path, b"").unwrap();
    let opened = Store::open(&path, now()).unwrap();
    assert!(opened.moved_aside.is_none());
    assert_eq!(opened.store.review_count().unwrap(), 0);
}

#[test]
fn a_corrupt_file_is_moved_aside_intact_and_a_new_one_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    let garbage = b"this is not SQLite: a learner's file that got damaged".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    let opened = Store::open(&path, now()).unwrap();
    let moved = opened
        .moved_aside
        .expect("the unreadable file is moved aside");
    assert_eq!(moved.from, path);
    assert_eq!(
        moved.to.file_name().unwrap().to_string_lossy(),
        "progress.db.unreadable-20260601T090000Z"
    );
    assert!(
        moved.reason.contains("not a readable SQLite database"),
        "{}",
        moved.reason
    );
    assert_eq!(
        std::fs::read(&moved.to).unwrap(),
        garbage,
        "nothing is lost"
    );
    assert_eq!(opened.store.integrity_check().unwrap(), "ok");
    drop(opened.store);
    let mut opened = Store::open(&path, now()).unwrap();
    assert!(opened.moved_aside.is_none(), "the new database is kept");
    opened.store.set_setting(Setting::NewPerDay, "5").unwrap();
}

#[test]
fn a_damaged_database_page_is_detected_and_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    {
        let library = fixture_library(&fixture());
        let mut opened = Store::open(&path, now()).unwrap();
        study_some(&mut opened.store, &library, 3, now());
        // Check point the WAL into the main file, so damaging the file damages the data.
        drop(opened);
    }
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() >= 4096 * 3, "{} bytes", bytes.len());
    for byte in &mut bytes[4096 + 100..4096 * 2] {
        *byte = 0xAB;
    }
    std::fs::write(&path, &bytes).unwrap();
    let opened = Store::open(&path, now()).unwrap();
    let moved = opened
        .moved_aside
        .expect("a damaged database is moved aside");
    assert!(moved.reason.contains("damaged"), "{}", moved.reason);
    assert_eq!(std::fs::read(&moved.to).unwrap(), bytes);
}

#[test]
fn another_programs_database_is_moved_aside_not_written_to() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    {
        // Some other tool's SQLite file where kubedrill's should be.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let opened = Store::open(&path, now()).unwrap();
    let moved = opened
        .moved_aside
        .expect("a foreign database is moved aside");
    assert!(moved.reason.contains("another program"), "{}", moved.reason);
    assert_eq!(std::fs::read(&moved.to).unwrap(), before);
}

#[test]
fn a_database_from_a_newer_kubedrill_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    drop(Store::open(&path, now()).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let error = Store::open(&path, now()).unwrap_err();
    assert!(
        matches!(error, StoreError::Newer { found: 99, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("upgrade kubedrill"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing moved aside"
    );
}

#[test]
fn progress_survives_an_edit_of_the_decks_text_that_keeps_the_ids() {
    let dir = tempfile::tempdir().unwrap();
    let deck = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), deck.path());
    let library = fixture_library(deck.path());
    let mut store = Store::open_in(dir.path(), now()).unwrap().store;
    let studied = study_some(&mut store, &library, 3, now());
    assert_eq!(studied.len(), 3);
    // The instructor rewrites every card's wording and reorders the file; ids stay.
    let cards = deck.path().join("topics/env/cards.toml");
    let text = std::fs::read_to_string(&cards).unwrap();
    let edited = text.replace("front.en = \"", "front.en = \"(Revised) ");
    assert_ne!(edited, text);
    std::fs::write(&cards, edited).unwrap();
    let library = fixture_library(deck.path());
    let states = store.states("fixture").unwrap();
    for key in &studied {
        let state = states
            .get(key)
            .unwrap_or_else(|| panic!("{key} lost its progress"));
        assert_eq!(state.reps, 1);
    }
    let later = now() + SignedDuration::from_mins(30);
    let settings = store.settings().unwrap();
    let today = study::today(&library, &store, &settings, later, &TimeZone::UTC, |_| true).unwrap();
    let learning: Vec<String> = today
        .items
        .iter()
        .filter(|(_, state)| {
            state
                .as_ref()
                .is_some_and(|state| state.phase == Phase::Learning)
        })
        .map(|(entry, _)| entry.key())
        .collect();
    assert_eq!(
        learning.len(),
        3,
        "the studied items come back as learning steps: {learning:?}"
    );
}

#[test]
fn items_that_left_the_deck_are_kept_as_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let library = fixture_library(&fixture());
    let mut store = Store::open_in(dir.path(), now()).unwrap().store;
    let studied = study_some(&mut store, &library, 2, now());
    let mut known: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    known
        .entry("fixture".to_string())
        .or_default()
        .insert(studied[1].clone());
    let orphans = store.orphans(&known).unwrap();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].item, studied[0]);
    assert_eq!(orphans[0].reps, 1);
}

#[test]
fn undo_restores_the_item_and_keeps_the_review_marked() {
    let dir = tempfile::tempdir().unwrap();
    let library = fixture_library(&fixture());
    let mut store = Store::open_in(dir.path(), now()).unwrap().store;
    let first = study_some(&mut store, &library, 1, now());
    let later = now() + SignedDuration::from_mins(2);
    let settings = store.settings().unwrap();
    let scheduler = study::scheduler(&settings, &TimeZone::UTC).unwrap();
    let entries = study::entries(&library.decks[0]);
    let entry = entries
        .iter()
        .find(|entry| entry.key() == first[0])
        .unwrap();
    let before = store.state("fixture", &first[0]).unwrap();
    study::rate(
        &mut store,
        &scheduler,
        entry,
        before.clone(),
        Rating::Again,
        later,
        None,
        None,
    )
    .unwrap();
    assert_eq!(store.review_count().unwrap(), 2);
    let undone = store.undo_last_review("fixture").unwrap().unwrap();
    assert_eq!(undone.rating, Rating::Again);
    assert_eq!(Some(undone.restored), before);
    assert_eq!(store.state("fixture", &first[0]).unwrap(), before);
    assert_eq!(
        store.review_count().unwrap(),
        1,
        "the undone review no longer counts"
    );
    // Undoing the first review makes the item new again.
    store.undo_last_review("fixture").unwrap().unwrap();
    assert_eq!(store.state("fixture", &first[0]).unwrap(), None);
    assert_eq!(store.undo_last_review("fixture").unwrap(), None);
}

#[test]
fn daily_limits_hold_back_new_items() {
    let dir = tempfile::tempdir().unwrap();
    let library = fixture_library(&fixture());
    let mut store = Store::open_in(dir.path(), now()).unwrap().store;
    store.set_setting(Setting::NewPerDay, "2").unwrap();
    let settings = store.settings().unwrap();
    let today = study::today(&library, &store, &settings, now(), &TimeZone::UTC, |_| true).unwrap();
    assert_eq!(today.new, 2);
    assert!(today.new_held_back > 0);
    study_some(&mut store, &library, 2, now());
    let later = now() + SignedDuration::from_hours(1);
    let today = study::today(&library, &store, &settings, later, &TimeZone::UTC, |_| true).unwrap();
    assert_eq!(today.new, 0, "today's two new items are used up");
    let tomorrow = now() + SignedDuration::from_hours(24);
    let today = study::today(
        &library,
        &store,
        &settings,
        tomorrow,
        &TimeZone::UTC,
        |_| true,
    )
    .unwrap();
    assert_eq!(today.new, 2);
}

#[test]
fn a_card_in_a_learning_step_waits_for_its_step_while_new_items_remain() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library {
        decks: vec![content::built_in().deck.unwrap()],
    };
    let mut store = Store::open_in(dir.path(), now()).unwrap().store;
    let rated = study_some(&mut store, &library, 1, now());
    let settings = store.settings().unwrap();
    let first_of = |at: Timestamp| {
        let today =
            study::today(&library, &store, &settings, at, &TimeZone::UTC, |_| true).unwrap();
        let keys: Vec<String> = today.items.iter().map(|(entry, _)| entry.key()).collect();
        (keys, today.learning)
    };
    // A minute later the card's first step (Good on a new card) is not due: new items come first,
    // and the card is last, learnt ahead only when nothing else is left.
    let (keys, learning) = first_of(now() + SignedDuration::from_mins(1));
    assert_ne!(keys.first(), rated.first(), "the card came straight back");
    assert_eq!(keys.last(), rated.first());
    assert_eq!(learning, 1);
    // Once its step is due it goes first.
    let (keys, _) = first_of(now() + SignedDuration::from_mins(15));
    assert_eq!(keys.first(), rated.first());
}

#[test]
fn settings_are_checked_before_they_are_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path(), now()).unwrap().store;
    assert_eq!(
        store.set_setting(Setting::ExamDate, "2027-03-15").unwrap(),
        "2027-03-15"
    );
    let error = store
        .set_setting(Setting::ExamDate, "15/03/2027")
        .unwrap_err();
    assert!(error.to_string().contains("YYYY-MM-DD"), "{error}");
    assert!(store.set_setting(Setting::DesiredRetention, "1.5").is_err());
    assert_eq!(
        store.settings().unwrap().exam_date.unwrap().to_string(),
        "2027-03-15"
    );
    assert!(store.unset_setting(Setting::ExamDate).unwrap());
    assert_eq!(store.settings().unwrap().exam_date, None);
}

#[test]
fn two_processes_writing_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let library = fixture_library(&fixture());
    drop(Store::open_in(dir.path(), now()).unwrap());
    let writers: Vec<_> = (0..2)
        .map(|writer| {
            let path = dir.path().to_path_buf();
            let library = library.clone();
            std::thread::spawn(move || {
                let mut store = Store::open_in(&path, now()).unwrap().store;
                let settings = store.settings().unwrap();
                let scheduler = study::scheduler(&settings, &TimeZone::UTC).unwrap();
                let entries = study::entries(&library.decks[0]);
                let mut ids = Vec::new();
                for round in 0..150i64 {
                    let entry = &entries[(round as usize * 2 + writer) % entries.len()];
                    let at = now() + SignedDuration::from_secs(round * 60 + writer as i64);
                    let before = store.state("fixture", &entry.key()).unwrap();
                    let (_, id) = study::rate(
                        &mut store,
                        &scheduler,
                        entry,
                        before,
                        Rating::Good,
                        at,
                        None,
                        None,
                    )
                    .expect("a write waits for the other writer instead of failing");
                    ids.push(id);
                }
                ids
            })
        })
        .collect();
    let ids: Vec<i64> = writers
        .into_iter()
        .flat_map(|writer| writer.join().unwrap())
        .collect();
    let store = Store::open_in(dir.path(), now()).unwrap().store;
    assert_eq!(store.review_count().unwrap(), 300);
    for id in ids {
        assert!(store.has_review(id).unwrap());
    }
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

/// Overwrites the page holding the items table with garbage, as a failing disk might, in a
/// closed database (its log already checkpointed into the file). Returns the damaged bytes.
fn damage_items_page(path: &Path) -> Vec<u8> {
    let (root, page_size) = {
        let conn = rusqlite::Connection::open(path).unwrap();
        let root: i64 = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'items'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        let page_size: i64 = conn
            .query_row("PRAGMA page_size", [], |row| row.get(0))
            .unwrap();
        (root as usize, page_size as usize)
    };
    let mut bytes = std::fs::read(path).unwrap();
    let start = (root - 1) * page_size;
    assert!(bytes.len() >= start + page_size, "{} bytes", bytes.len());
    bytes[start..start + page_size].fill(0xAB);
    std::fs::write(path, &bytes).unwrap();
    bytes
}

/// The file names in a folder, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn two_kubedrills_rating_one_item_both_count_and_undo_takes_each_back() {
    let dir = tempfile::tempdir().unwrap();
    let library = fixture_library(&fixture());
    let entries = study::entries(&library.decks[0]);
    let entry = &entries[0];
    let key = entry.key();
    let mut first = Store::open_in(dir.path(), now()).unwrap().store;
    let mut second = Store::open_in(dir.path(), now()).unwrap().store;
    let settings = first.settings().unwrap();
    let scheduler = study::scheduler(&settings, &TimeZone::UTC).unwrap();
    // Both show the card, so both read the same state before it is rated anywhere.
    let shown_first = first.state("fixture", &key).unwrap();
    let shown_second = second.state("fixture", &key).unwrap();
    assert_eq!(shown_first, None);
    assert_eq!(shown_second, None);
    let (at_first, at_second) = (now(), now() + SignedDuration::from_mins(1));
    study::rate(
        &mut first,
        &scheduler,
        entry,
        shown_first,
        Rating::Good,
        at_first,
        None,
        None,
    )
    .unwrap();
    study::rate(
        &mut second,
        &scheduler,
        entry,
        shown_second,
        Rating::Again,
        at_second,
        None,
        None,
    )
    .unwrap();
    // What the scheduler makes of Good and then Again, one after the other.
    let once = scheduler.review(
        &kubedrill::srs::ItemState::new(at_first),
        Rating::Good,
        at_first,
        entry.fuzz(0),
    );
    let twice = scheduler.review(&once, Rating::Again, at_second, entry.fuzz(1));
    let state = first.state("fixture", &key).unwrap().unwrap();
    assert_eq!(state.reps, 2, "the first rating still counts: {state:?}");
    assert_eq!(
        (state.phase, state.step, state.memory, state.lapses),
        (twice.phase, twice.step, twice.memory, twice.lapses)
    );
    assert_eq!(state.due.as_millisecond(), twice.due.as_millisecond());
    assert_eq!(first.review_count().unwrap(), 2);
    // The second review logged the state it was applied to, so undo goes back one rating.
    let undone = second.undo_last_review("fixture").unwrap().unwrap();
    assert_eq!(undone.rating, Rating::Again);
    assert_eq!(undone.restored.reps, 1);
    assert_eq!(
        undone.restored.due.as_millisecond(),
        once.due.as_millisecond()
    );
    assert_eq!(first.state("fixture", &key).unwrap(), Some(undone.restored));
    first.undo_last_review("fixture").unwrap().unwrap();
    assert_eq!(second.state("fixture", &key).unwrap(), None);
}

/// A database at `path` with some study in it, opened a second time today (which checks the
/// file and notes that it did), then damaged in its items' page; returns the damaged bytes.
fn damaged_after_the_days_check(path: &Path, library: &Library) -> Vec<u8> {
    {
        let mut store = Store::open(path, now()).unwrap().store;
        study_some(&mut store, library, 3, now());
    }
    drop(Store::open(path, now()).unwrap());
    damage_items_page(path)
}

#[test]
fn damage_found_after_the_days_check_is_moved_aside_and_a_new_database_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    let library = fixture_library(&fixture());
    let damaged = damaged_after_the_days_check(&path, &library);
    let opened = Store::open(&path, now()).unwrap();
    assert!(
        opened.moved_aside.is_none(),
        "the file was checked today, so opening it does not read the damaged page"
    );
    let mut store = opened.store;
    assert_eq!(store.take_notices(), []);
    // The first read of the damaged page: a new database, and a notice saying so.
    let states = store.states("fixture").unwrap();
    assert!(states.is_empty(), "{states:?}");
    let notices = store.take_notices();
    let [StoreNotice::MovedAside(moved)] = notices.as_slice() else {
        panic!("{notices:?}")
    };
    assert_eq!(moved.from, path);
    assert!(moved.reason.contains("damaged"), "{}", moved.reason);
    assert!(
        moved
            .to
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("progress.db.unreadable-"),
        "{}",
        moved.to.display()
    );
    assert_eq!(
        std::fs::read(&moved.to).unwrap(),
        damaged,
        "nothing is lost"
    );
    let notice = kubedrill::i18n::store_notice(
        kubedrill::i18n::Lang::En,
        &notices[0],
        kubedrill::i18n::PathStyle::Full,
    );
    assert!(
        notice.contains("could not be used") && notice.contains(&*moved.to.to_string_lossy()),
        "{notice}"
    );
    // Studying goes on in the new database, which is sound.
    study_some(&mut store, &library, 1, now());
    assert_eq!(store.review_count().unwrap(), 1);
    assert_eq!(store.take_notices(), []);
    drop(store);
    let again = Store::open(&path, now()).unwrap();
    assert!(again.moved_aside.is_none());
    assert_eq!(again.store.integrity_check().unwrap(), "ok");
    assert_eq!(again.store.review_count().unwrap(), 1);
}

#[test]
fn a_write_that_meets_damage_is_saved_in_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    let library = fixture_library(&fixture());
    damaged_after_the_days_check(&path, &library);
    let mut store = Store::open(&path, now()).unwrap().store;
    let entries = study::entries(&library.decks[0]);
    let scheduler = study::scheduler(&store.settings().unwrap(), &TimeZone::UTC).unwrap();
    let (after, id) = study::rate(
        &mut store,
        &scheduler,
        &entries[0],
        None,
        Rating::Good,
        now(),
        None,
        None,
    )
    .expect("the rating is saved in the new database");
    assert_eq!(after.reps, 1);
    assert!(matches!(
        store.take_notices().as_slice(),
        [StoreNotice::MovedAside(_)]
    ));
    drop(store);
    let store = Store::open(&path, now()).unwrap().store;
    assert!(store.has_review(id).unwrap());
    assert_eq!(store.review_count().unwrap(), 1);
}

#[test]
fn a_database_deleted_mid_session_gets_the_next_rating_in_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    let library = fixture_library(&fixture());
    let mut store = Store::open(&path, now()).unwrap().store;
    study_some(&mut store, &library, 2, now());
    // As `rm progress.db` would: the companions stay, held open by the store.
    std::fs::remove_file(&path).unwrap();
    let later = now() + SignedDuration::from_mins(5);
    let studied = study_some(&mut store, &library, 1, later);
    let notices = store.take_notices();
    let [
        StoreNotice::Replaced {
            path: where_,
            deleted: true,
            rescued: Some(rescued),
            moved_aside: None,
        },
    ] = notices.as_slice()
    else {
        panic!("{notices:?}")
    };
    assert_eq!(where_, &path);
    assert_eq!(store.review_count().unwrap(), 1);
    drop(store);
    // The rating is in the file at the path, not in the deleted one.
    let store = Store::open(&path, now()).unwrap().store;
    assert_eq!(store.review_count().unwrap(), 1);
    assert!(store.state("fixture", &studied[0]).unwrap().is_some());
    assert_eq!(store.integrity_check().unwrap(), "ok");
    // And what the deleted file held, shown as saved before, was copied beside it.
    let copy = Store::open(rescued, now()).unwrap();
    assert!(copy.moved_aside.is_none());
    assert_eq!(copy.store.review_count().unwrap(), 2);
    drop(copy);
    let names = names_in(dir.path());
    assert!(
        !names.iter().any(|name| name.contains("orphaned")),
        "the deleted file's log went with it: {names:?}"
    );
    let notice = kubedrill::i18n::store_notice(
        kubedrill::i18n::Lang::En,
        &notices[0],
        kubedrill::i18n::PathStyle::Full,
    );
    assert!(notice.contains("was deleted"), "{notice}");
    assert!(notice.contains(&*rescued.to_string_lossy()), "{notice}");
}

#[test]
fn a_database_replaced_mid_session_by_another_kubedrill_file_gets_the_rating() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    let library = fixture_library(&fixture());
    let mut store = Store::open(&path, now()).unwrap().store;
    study_some(&mut store, &library, 2, now());
    // A backup restored over it (a rename, as `mv` and sync tools do).
    let backup = dir.path().join("backup.db");
    {
        let mut other = Store::open(&backup, now()).unwrap().store;
        other.set_setting(Setting::NewPerDay, "7").unwrap();
        study_some(&mut other, &library, 1, now());
    }
    std::fs::rename(&backup, &path).unwrap();
    store.set_setting(Setting::ReviewsPerDay, "50").unwrap();
    let notices = store.take_notices();
    assert!(
        matches!(
            notices.as_slice(),
            [StoreNotice::Replaced {
                deleted: false,
                rescued: Some(_),
                moved_aside: None,
                ..
            }]
        ),
        "{notices:?}"
    );
    // From now on the store is the restored file's.
    assert_eq!(store.settings().unwrap().new_per_day, 7);
    assert_eq!(store.review_count().unwrap(), 1);
    drop(store);
    let store = Store::open(&path, now()).unwrap().store;
    let settings = store.settings().unwrap();
    assert_eq!((settings.new_per_day, settings.reviews_per_day), (7, 50));
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn a_foreign_file_put_in_place_mid_session_is_moved_aside_and_the_rating_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    let library = fixture_library(&fixture());
    let mut store = Store::open(&path, now()).unwrap().store;
    study_some(&mut store, &library, 2, now());
    let garbage = b"not a database at all".repeat(100);
    let stranger = dir.path().join("stranger");
    std::fs::write(&stranger, &garbage).unwrap();
    std::fs::rename(&stranger, &path).unwrap();
    study_some(&mut store, &library, 1, now());
    let notices = store.take_notices();
    let [
        StoreNotice::Replaced {
            deleted: false,
            moved_aside: Some(moved),
            ..
        },
    ] = notices.as_slice()
    else {
        panic!("{notices:?}")
    };
    assert_eq!(std::fs::read(&moved.to).unwrap(), garbage, "never deleted");
    drop(store);
    let store = Store::open(&path, now()).unwrap().store;
    assert_eq!(store.review_count().unwrap(), 1);
}

#[test]
fn a_database_deleted_under_two_kubedrills_is_never_mixed_with_the_old_files_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    let library = fixture_library(&fixture());
    let mut first = Store::open(&path, now()).unwrap().store;
    let mut second = Store::open(&path, now()).unwrap().store;
    study_some(&mut first, &library, 2, now());
    std::fs::remove_file(&path).unwrap();
    // A third kubedrill starts meanwhile: the old file's log, still open in two processes,
    // must not be replayed into its new database.
    let mut third = Store::open(&path, now()).unwrap().store;
    assert_eq!(third.review_count().unwrap(), 0);
    assert_eq!(third.integrity_check().unwrap(), "ok");
    study_some(&mut third, &library, 1, now());
    // The two older ones move to the new file on their next write, and leave its log alone.
    first.set_setting(Setting::NewPerDay, "9").unwrap();
    second.set_setting(Setting::ReviewsPerDay, "90").unwrap();
    for store in [&first, &second] {
        assert!(matches!(
            store.take_notices().as_slice(),
            [StoreNotice::Replaced { deleted: false, .. }]
        ));
    }
    drop(first);
    drop(second);
    assert_eq!(third.review_count().unwrap(), 1);
    study_some(
        &mut third,
        &library,
        1,
        now() + SignedDuration::from_mins(1),
    );
    drop(third);
    let store = Store::open(&path, now()).unwrap();
    assert!(store.moved_aside.is_none());
    let store = store.store;
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.review_count().unwrap(), 2);
    let settings = store.settings().unwrap();
    assert_eq!((settings.new_per_day, settings.reviews_per_day), (9, 90));
}

/// What the interface shows when the store fails or acts on its own.
#[cfg(feature = "tui")]
mod interface {
    use super::*;
    use kubedrill::i18n::Lang;
    use kubedrill::tui::{Action, App, Effect, Modal, Runner, Screen, Theme, action_for, render};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    /// The interface on the tui fixture deck and `store`, after its first refresh.
    fn start(store: Store, lang: Lang) -> (App, Runner) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/tui");
        let library = Library {
            decks: vec![content::check_dir(&path).unwrap().deck.unwrap()],
        };
        let settings = Store::in_memory().unwrap().settings().unwrap();
        let scheduler = study::scheduler(&settings, &TimeZone::UTC).unwrap();
        let mut app = App::new(
            library,
            settings,
            scheduler,
            lang,
            TimeZone::UTC,
            now(),
            Theme { color: false },
        );
        app.size = (100, 30);
        let mut runner = Runner {
            store,
            clock: Box::new(now),
            deck_dir: None,
            watch_dir: None,
            watched: None,
        };
        if let Some(refreshed) = runner.run(&app, Effect::Refresh) {
            runner.dispatch(&mut app, refreshed);
        }
        (app, runner)
    }

    fn key(app: &mut App, runner: &mut Runner, c: char) {
        let event = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        if let Some(action) = action_for(app, &event) {
            runner.dispatch(app, action);
        }
    }

    fn screen(app: &App) -> String {
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        terminal.draw(|frame| render(app, frame)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let mut lines = Vec::new();
        for y in 0..30 {
            let mut line = String::new();
            let mut x = 0;
            while x < 100 {
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                // A wide character (Hangul) covers the next cell too.
                x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
            }
            lines.push(line);
        }
        lines.join("\n")
    }

    #[test]
    fn home_says_the_progress_could_not_be_read_not_that_nothing_is_due() {
        for lang in [Lang::En, Lang::Ko] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("progress.db");
            let store = Store::open(&path, now()).unwrap().store;
            // Another program breaks the file's tables under the open store.
            rusqlite::Connection::open(&path)
                .unwrap()
                .execute_batch("DROP TABLE reviews")
                .unwrap();
            let (app, _runner) = start(store, lang);
            assert!(app.progress.error.is_some());
            let shown = screen(&app);
            assert!(!shown.contains("Nothing due"), "{shown}");
            assert!(!shown.contains("지금 할 항목이 없습니다"), "{shown}");
            let said = match lang {
                Lang::En => "Progress could not be read",
                Lang::Ko => "진행 기록을 읽지 못해",
            };
            assert!(shown.contains(said), "{shown}");
        }
    }

    #[test]
    fn a_rating_after_the_database_was_deleted_says_where_it_was_saved() {
        for lang in [Lang::En, Lang::Ko] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("progress.db");
            let store = Store::open(&path, now()).unwrap().store;
            let (mut app, mut runner) = start(store, lang);
            // Continue opens the first topic's lesson; `c` goes on to its first card.
            key(&mut app, &mut runner, 'c');
            assert!(matches!(app.screen(), Screen::Lesson(_)));
            key(&mut app, &mut runner, 'c');
            assert!(
                matches!(app.screen(), Screen::Card(_)),
                "{:?}",
                app.screen()
            );
            std::fs::remove_file(&path).unwrap();
            key(&mut app, &mut runner, ' ');
            key(&mut app, &mut runner, '3');
            let Some(Modal::Message(message)) = &app.modal else {
                panic!("no message: {:?}", app.modal)
            };
            let said = match lang {
                Lang::En => "was deleted while kubedrill was running",
                Lang::Ko => "삭제되어 그 자리에 새 데이터베이스를 시작했습니다",
            };
            assert!(message.contains(said), "{message}");
            assert!(message.contains("progress.db.rescued-"), "{message}");
            let shown = screen(&app);
            let last_words = match lang {
                Lang::En => "copied to",
                Lang::Ko => "복사해 두었습니다",
            };
            assert!(
                shown.contains(last_words),
                "the whole message fits: {shown}"
            );
            // The rating is in the file now at the path.
            runner.dispatch(&mut app, Action::Back);
            drop(runner);
            let store = Store::open(&path, now()).unwrap().store;
            assert_eq!(store.review_count().unwrap(), 1);
        }
    }
}
