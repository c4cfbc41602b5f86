use std::fs::File;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::content::{LoadedLibrary, load_library, load_library_cached};
use crate::model::{Deck, ItemRef};

/// A deck folder written by `deck new`, its files dated an hour ago (settled: cacheable).
fn new_deck(root: &Path) -> std::path::PathBuf {
    let dir = root.join("deck");
    crate::content::scaffold::write_new_deck(&dir, "cached", None).unwrap();
    age_all(&dir, Duration::from_secs(3600));
    dir
}

fn age_all(dir: &Path, age: Duration) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            age_all(&path, age);
        } else {
            set_age(&path, age);
        }
    }
}

fn set_age(path: &Path, age: Duration) {
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(SystemTime::now() - age)
        .unwrap();
}

fn load(cache: &Path, deck: &Path) -> LoadedLibrary {
    load_library_cached(cache, false, None, &[deck.to_path_buf()])
}

fn only_deck(loaded: &LoadedLibrary) -> &Deck {
    assert!(loaded.reports.is_empty(), "{:?}", loaded.reports);
    assert_eq!(loaded.library.decks.len(), 1);
    &loaded.library.decks[0]
}

fn first_card_front(deck: &Deck) -> String {
    deck.topics[0].cards[0].front.get("en").to_string()
}

fn cache_files(cache: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(cache)
        .map(|entries| entries.map(|entry| entry.unwrap().path()).collect())
        .unwrap_or_default()
}

/// The file of the first topic's cards, and the first card's front.
fn cards_file(deck: &Path) -> (std::path::PathBuf, String) {
    let loaded = load_library(false, None, &[deck.to_path_buf()]);
    let old = first_card_front(only_deck(&loaded));
    let topic = loaded.library.decks[0].topics[0].id.to_string();
    (deck.join("topics").join(topic).join("cards.toml"), old)
}

/// The file of the first topic's cards, and that file's text with the first card's front
/// replaced by `front` (same length, so the file's size does not change).
fn with_front(deck: &Path, front: &str) -> (std::path::PathBuf, String, String) {
    let (path, old) = cards_file(deck);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(old.len(), front.len(), "the test keeps the size: {old:?}");
    let edited = text.replacen(&old, front, 1);
    assert_ne!(edited, text);
    (path, old, edited)
}

#[test]
fn a_deck_edited_after_caching_is_read_again() {
    let root = tempfile::tempdir().unwrap();
    let (deck, cache) = (new_deck(root.path()), root.path().join("cache"));
    let first = load(&cache, &deck);
    let before = first_card_front(only_deck(&first));
    assert_eq!(cache_files(&cache).len(), 1, "a clean deck is cached");

    let replacement: String = before.chars().rev().collect();
    let (path, _, edited) = with_front(&deck, &replacement);
    // Same size and the same modification time: the stamps match, so the cache is what loads
    // (which shows that a second start really reads the cache).
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, &edited).unwrap();
    File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    assert_eq!(first_card_front(only_deck(&load(&cache, &deck))), before);

    // Saved again later (a new modification time): the file is newer than the cache and wins.
    set_age(&path, Duration::from_secs(60));
    assert_eq!(
        first_card_front(only_deck(&load(&cache, &deck))),
        replacement
    );
    // A file added to the deck changes the stamps too.
    std::fs::write(deck.join("notes.txt"), "x").unwrap();
    set_age(&deck.join("notes.txt"), Duration::from_secs(60));
    let _ = load(&cache, &deck);
    std::fs::remove_file(deck.join("notes.txt")).unwrap();
    assert_eq!(
        first_card_front(only_deck(&load(&cache, &deck))),
        replacement
    );
}

#[test]
fn a_file_saved_moments_ago_is_not_trusted_to_the_cache() {
    let root = tempfile::tempdir().unwrap();
    let (deck, cache) = (new_deck(root.path()), root.path().join("cache"));
    set_age(&deck.join("deck.toml"), Duration::ZERO);
    let _ = only_deck(&load(&cache, &deck)).clone();
    assert!(cache_files(&cache).is_empty(), "{:?}", cache_files(&cache));
}

#[test]
fn a_truncated_or_corrupt_cache_is_ignored_and_written_again() {
    let root = tempfile::tempdir().unwrap();
    let (deck, cache) = (new_deck(root.path()), root.path().join("cache"));
    let expected = first_card_front(only_deck(&load(&cache, &deck)));
    let file = cache_files(&cache).pop().unwrap();
    let whole = std::fs::read(&file).unwrap();

    std::fs::write(&file, &whole[..whole.len() / 2]).unwrap();
    assert_eq!(first_card_front(only_deck(&load(&cache, &deck))), expected);
    assert_eq!(std::fs::read(&file).unwrap(), whole, "written again whole");

    let mut garbage = whole.clone();
    for byte in garbage.iter_mut().skip(8).step_by(7) {
        *byte ^= 0x5a;
    }
    std::fs::write(&file, &garbage).unwrap();
    assert_eq!(first_card_front(only_deck(&load(&cache, &deck))), expected);

    std::fs::write(&file, b"").unwrap();
    assert_eq!(first_card_front(only_deck(&load(&cache, &deck))), expected);
    assert_eq!(std::fs::read(&file).unwrap(), whole);
}

#[test]
fn a_deck_with_problems_is_not_cached() {
    let root = tempfile::tempdir().unwrap();
    let (deck, cache) = (new_deck(root.path()), root.path().join("cache"));
    let (path, _) = cards_file(&deck);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[[card]]\nid = \"Not An Id\"\nfront = \"f\"\nback = \"b\"\n");
    std::fs::write(&path, text).unwrap();
    age_all(&deck, Duration::from_secs(3600));
    let loaded = load(&cache, &deck);
    assert!(!loaded.reports.is_empty(), "the bad card is a problem");
    assert!(cache_files(&cache).is_empty());
}

/// The built-in deck from the cache is the deck checked from its files: the same items, and a
/// parameterized item's later variants (made from their file when first shown) the same.
#[test]
fn the_built_in_deck_from_the_cache_is_the_checked_deck() {
    let root = tempfile::tempdir().unwrap();
    let cache = root.path().join("cache");
    let checked = load_library(true, None, &[]);
    let _ = load_library_cached(&cache, true, None, &[]);
    assert_eq!(cache_files(&cache).len(), 1);
    let cached = load_library_cached(&cache, true, None, &[]);
    let (checked, cached) = (&checked.library.decks[0], &cached.library.decks[0]);
    assert_eq!(cached.origin, crate::model::DeckOrigin::BuiltIn);
    assert_eq!(checked.counts(), cached.counts());
    let mut varied = 0;
    for (a, b) in checked.topics.iter().zip(&cached.topics) {
        assert_eq!(a.lesson, b.lesson);
        for (a, b) in a.cards.iter().zip(&b.cards) {
            assert_eq!((&a.id, &a.front, &a.back), (&b.id, &b.front, &b.back));
        }
        for (a, b) in a.drills.iter().zip(&b.drills) {
            for index in 0..a.variant_count() {
                let (a, b) = (a.variant(index), b.variant(index));
                assert_eq!((&a.id, &a.answer, &a.prompt), (&b.id, &b.answer, &b.prompt));
            }
            varied += usize::from(a.variant_count() > 1);
        }
        for (a, b) in a.exercises.iter().zip(&b.exercises) {
            let last = a.variant_count() - 1;
            let (a, b) = (
                ItemRef::Exercise(a).variant(last),
                ItemRef::Exercise(b).variant(last),
            );
            let (ItemRef::Exercise(a), ItemRef::Exercise(b)) = (a, b) else {
                unreachable!()
            };
            assert_eq!((&a.solution, &a.prompt), (&b.solution, &b.prompt));
            assert_eq!(format!("{:?}", a.checks), format!("{:?}", b.checks));
        }
    }
    assert!(varied > 10, "the built-in deck has drills that vary");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    crate::content::install::copy_tree(from, to, &mut 0).unwrap();
}

/// The first card's front of topic `topic`.
fn front_of(deck: &Deck, topic: &str) -> String {
    let topic = deck.topics.iter().find(|t| t.id.as_str() == topic).unwrap();
    topic.cards[0].front.get("en").to_string()
}

/// A deck edited in one topic: only that topic is checked again, the others come from the cache
/// as they were (shown by an edit to another topic that keeps its file's size and time, which
/// the cache cannot see), a mistake in the edited topic is reported with its line, and a change
/// outside the topics' folders has the whole deck checked again.
#[test]
fn an_edited_topic_is_checked_again_and_the_others_come_from_the_cache() {
    let root = tempfile::tempdir().unwrap();
    let deck = root.path().join("deck");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/valid"),
        &deck,
    );
    age_all(&deck, Duration::from_secs(3600));
    let cache = root.path().join("cache");
    let first = load(&cache, &deck);
    let env_front = front_of(only_deck(&first), "env");
    assert_eq!(env_front, "Which key holds a plain variable's value?");

    // env's cards changed, but with the same size and time: its stamp is as cached.
    let env_cards = deck.join("topics/env/cards.toml");
    let modified = std::fs::metadata(&env_cards).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&env_cards).unwrap();
    std::fs::write(&env_cards, text.replacen("Which key", "WHICH KEY", 1)).unwrap();
    File::options()
        .write(true)
        .open(&env_cards)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    // init-containers' cards saved later with a new front.
    let init_cards = deck.join("topics/init-containers/cards.toml");
    let text = std::fs::read_to_string(&init_cards).unwrap();
    std::fs::write(
        &init_cards,
        text.replacen("In what order", "In which order", 1),
    )
    .unwrap();
    set_age(&init_cards, Duration::from_secs(60));

    let second = load(&cache, &deck);
    let loaded = only_deck(&second);
    assert_eq!(front_of(loaded, "env"), env_front, "env was not read again");
    assert!(front_of(loaded, "init-containers").starts_with("In which order"));
    assert_eq!(
        front_of(only_deck(&load(&cache, &deck)), "init-containers"),
        front_of(loaded, "init-containers"),
        "cached again with the new topic"
    );

    // A mistake in the edited topic: reported at its line; the other topic still loads.
    std::fs::write(
        &init_cards,
        format!("{text}\n[[card]]\nid = \"Bad Id\"\nfront = \"f\"\nback = \"b\"\n"),
    )
    .unwrap();
    set_age(&init_cards, Duration::from_secs(30));
    let broken = load(&cache, &deck);
    let problems: Vec<_> = broken.reports.iter().flat_map(|r| &r.problems).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.file == "topics/init-containers/cards.toml" && p.line > 1),
        "{problems:?}"
    );
    assert_eq!(front_of(&broken.library.decks[0], "env"), env_front);

    // deck.toml saved again: the whole deck is checked, and env's edit is seen at last.
    std::fs::write(&init_cards, &text).unwrap();
    set_age(&init_cards, Duration::from_secs(20));
    set_age(&deck.join("deck.toml"), Duration::from_secs(10));
    let whole = load(&cache, &deck);
    assert!(front_of(only_deck(&whole), "env").starts_with("WHICH KEY"));
}
