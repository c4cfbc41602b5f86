//! Against real git repositories made in temporary folders (no network).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;
use crate::content::install::{self, AddError, UpdateError, Updated};

/// Runs git in `dir` as a test author, with no user or system configuration.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Instructor")
        .env("GIT_AUTHOR_EMAIL", "instructor@example.com")
        .env("GIT_COMMITTER_NAME", "Instructor")
        .env("GIT_COMMITTER_EMAIL", "instructor@example.com")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A repository holding `deck new`'s deck (id `class`) at its top, one commit on `main`.
fn repository(root: &Path) -> PathBuf {
    let repo = root.join("class-deck");
    crate::content::scaffold::write_new_deck(&repo, "class", None).unwrap();
    let mut cards = std::fs::read_to_string(cards_file(&repo)).unwrap();
    for id in ["second", "third"] {
        cards.push_str(&card(id, &format!("The {id} card")));
    }
    std::fs::write(cards_file(&repo), cards).unwrap();
    git(&repo, &["init", "--quiet"]);
    commit_all(&repo, "first version");
    repo
}

fn card(id: &str, text: &str) -> String {
    format!(
        "\n[[card]]\nid = \"{id}\"\nfront.en = \"{text}?\"\nfront.ko = \"{text}?\"\nback.en = \"{text}.\"\nback.ko = \"{text}.\"\n"
    )
}

fn commit_all(repo: &Path, message: &str) -> String {
    git(repo, &["add", "--all"]);
    git(repo, &["commit", "--quiet", "-m", message]);
    git(repo, &["rev-parse", "HEAD"])
}

fn cards_file(repo: &Path) -> PathBuf {
    let topics = std::fs::read_dir(repo.join("topics")).unwrap();
    let topic = topics.map(|entry| entry.unwrap().path()).min().unwrap();
    topic.join("cards.toml")
}

/// The `[[card]]` tables of the first topic's cards file, as written.
fn card_tables(repo: &Path) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(cards_file(repo)).unwrap();
    let mut parts = text.split("[[card]]");
    let head = parts.next().unwrap().to_string();
    (head, parts.map(str::to_string).collect())
}

fn card_id(table: &str) -> String {
    let line = table.lines().find(|line| line.starts_with("id")).unwrap();
    line.split('"').nth(1).unwrap().to_string()
}

fn topic_id(repo: &Path) -> String {
    let file = cards_file(repo);
    file.parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_deck_is_added_by_file_url_and_by_path_with_its_commit_recorded() {
    let root = tempfile::tempdir().unwrap();
    let repo = repository(root.path());
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let decks = root.path().join("data/decks");

    let url = format!("file://{}", repo.display());
    let added = install::add_from_git(&url, None, &decks).unwrap();
    assert_eq!(added.target, decks.join("class"));
    let origin = Origin::of_installed(&added.target).unwrap();
    assert_eq!(origin.commit, head);
    assert_eq!(
        (origin.url.as_str(), origin.kind.as_str()),
        (url.as_str(), "branch")
    );
    assert!(
        !added.target.join(".git").exists(),
        "only the deck is installed"
    );
    assert!(added.target.join("deck.toml").is_file());

    let by_path = install::add_from_git(repo.to_str().unwrap(), None, &decks).unwrap();
    assert!(by_path.replaced);
    let origin = Origin::of_installed(&by_path.target).unwrap();
    assert_eq!(origin.url, repo.to_string_lossy());
    assert!(is_repository(repo.to_str().unwrap()));
    assert!(is_repository("https://example.com/deck.git"));
    assert!(is_repository("git@example.com:class/deck.git"));
    assert!(!is_repository(root.path().to_str().unwrap()));
    // Nothing of the fetch is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&decks)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["class"]);
}

#[test]
fn a_tag_pins_the_deck_and_update_keeps_it() {
    let root = tempfile::tempdir().unwrap();
    let repo = repository(root.path());
    let tagged = git(&repo, &["rev-parse", "HEAD"]);
    git(&repo, &["tag", "v1"]);
    let (head, cards) = card_tables(&repo);
    std::fs::write(cards_file(&repo), format!("{head}[[card]]{}", cards[0])).unwrap();
    commit_all(&repo, "fewer cards");
    let decks = root.path().join("decks");

    let added = install::add_from_git(repo.to_str().unwrap(), Some("v1"), &decks).unwrap();
    let origin = Origin::of_installed(&added.target).unwrap();
    assert_eq!(
        (origin.commit.as_str(), origin.kind.as_str()),
        (tagged.as_str(), "tag")
    );
    match install::update(&decks, "class").unwrap() {
        Updated::UpToDate { origin, .. } => assert_eq!(origin.commit, tagged),
        other => panic!("{other:?}"),
    }
    // A commit can be pinned too, and a branch by name.
    let first = install::add_from_git(repo.to_str().unwrap(), Some(&tagged[..10]), &decks).unwrap();
    assert_eq!(first.origin.unwrap().kind, "commit");
    let branch = install::add_from_git(repo.to_str().unwrap(), Some("main"), &decks).unwrap();
    assert_ne!(branch.origin.unwrap().commit, tagged);
    match install::add_from_git(repo.to_str().unwrap(), Some("v9"), &decks) {
        Err(AddError::Git(GitError::NoSuchReference { reference, .. })) => {
            assert_eq!(reference, "v9")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_update_shows_added_changed_and_removed_items_and_installs_the_new_commit() {
    let root = tempfile::tempdir().unwrap();
    let repo = repository(root.path());
    let decks = root.path().join("decks");
    install::add_from_git(repo.to_str().unwrap(), None, &decks).unwrap();
    let topic = topic_id(&repo);
    let (head, cards) = card_tables(&repo);
    assert!(cards.len() >= 2, "the example has two cards or more");
    let (changed, removed) = (card_id(&cards[0]), card_id(&cards[1]));
    let edited = {
        let line = cards[0]
            .lines()
            .find(|line| line.starts_with("back.en"))
            .unwrap();
        cards[0].replacen(line, "back.en = \"An answer said another way.\"", 1)
    };
    let added = card("brand-new", "A new card");
    let mut text = format!("{head}[[card]]{edited}{added}");
    for card in &cards[2..] {
        text.push_str("[[card]]");
        text.push_str(card);
    }
    std::fs::write(cards_file(&repo), text).unwrap();
    let new_commit = commit_all(&repo, "second version");
    // Progress on the card that changes and on the one that goes.
    let now: jiff::Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
    let mut store = crate::store::Store::open_in(root.path(), now)
        .unwrap()
        .store;
    for item in [&changed, &removed] {
        let full = format!("{topic}/{item}");
        let rating = crate::store::RatingRecord {
            deck: "class",
            item: &full,
            kind: "card",
            rating: crate::srs::Rating::Good,
            at: now,
            duration_ms: Some(4000),
            score: None,
        };
        store
            .record_rating(&rating, |before| before.clone())
            .unwrap();
    }

    match install::update(&decks, "class").unwrap() {
        Updated::Installed { changes, to, .. } => {
            assert_eq!(changes.added, [format!("{topic}/brand-new")]);
            assert_eq!(changes.changed, [format!("{topic}/{changed}")]);
            assert_eq!(changes.removed, [format!("{topic}/{removed}")]);
            assert_eq!(to.commit, new_commit);
        }
        other => panic!("{other:?}"),
    }
    let installed = crate::content::check_dir(&decks.join("class")).unwrap();
    let deck = installed.deck.unwrap();
    assert!(deck.topics[0].item("brand-new").is_some());
    assert!(deck.topics[0].item(&removed).is_none());
    assert_eq!(
        Origin::of_installed(&decks.join("class")).unwrap().commit,
        new_commit
    );
    assert!(matches!(
        install::update(&decks, "class").unwrap(),
        Updated::UpToDate { .. }
    ));
    // Progress kept on the changed card; the removed card's kept as well, archived: no deck
    // shows it, `deck orphans` lists it.
    let changed_id = format!("{topic}/{changed}");
    assert!(store.state("class", &changed_id).unwrap().is_some());
    let library = crate::content::load_library(false, Some(&decks), &[]).library;
    let orphans = store.orphans(&crate::study::known_items(&library)).unwrap();
    let orphaned: Vec<&str> = orphans.iter().map(|orphan| orphan.item.as_str()).collect();
    assert_eq!(orphaned, [format!("{topic}/{removed}")]);
}

#[test]
fn a_broken_update_is_refused_with_its_problems_and_the_installed_deck_stays() {
    let root = tempfile::tempdir().unwrap();
    let repo = repository(root.path());
    let decks = root.path().join("decks");
    let installed = install::add_from_git(repo.to_str().unwrap(), None, &decks).unwrap();
    let before = installed.origin.unwrap().commit;
    let mut text = std::fs::read_to_string(cards_file(&repo)).unwrap();
    text.push_str("\n[[card]]\nid = \"Not An Id\"\nfront = \"f\"\nback = \"b\"\n");
    std::fs::write(cards_file(&repo), &text).unwrap();
    commit_all(&repo, "broken");

    match install::update(&decks, "class") {
        Err(UpdateError::HasErrors {
            report, installed, ..
        }) => {
            assert_eq!(installed.commit, before);
            let problem = report.problems.iter().find(|p| p.is_error()).unwrap();
            assert!(problem.file.ends_with("cards.toml"), "{problem:?}");
            let line = text.lines().position(|l| l.contains("Not An Id")).unwrap() + 1;
            assert_eq!(problem.line, line);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        Origin::of_installed(&decks.join("class")).unwrap().commit,
        before
    );
    let still = crate::content::check_dir(&decks.join("class")).unwrap();
    assert_eq!(still.error_count(), 0);
    assert!(still.deck.is_some());
}

#[test]
fn a_deck_added_from_a_folder_is_not_updated_from_git() {
    let root = tempfile::tempdir().unwrap();
    let repo = repository(root.path());
    let decks = root.path().join("decks");
    install::add(&repo, &decks).unwrap();
    assert!(matches!(
        install::update(&decks, "class"),
        Err(UpdateError::NotFromGit { .. })
    ));
    assert!(install::from_git(&decks).is_empty());
}

/// What a stranger's URL or ref could try: an option in place of a URL, git's `ext::`
/// transport (which runs a command), an option in place of a ref; and a server that is not
/// there. None runs anything, and nothing is left half installed.
#[test]
fn urls_and_refs_cannot_run_commands_and_a_failed_fetch_installs_nothing() {
    let root = tempfile::tempdir().unwrap();
    let repo = repository(root.path());
    let decks = root.path().join("decks");
    let marker = root.path().join("pwned");
    let attacks = [
        format!("--upload-pack=touch {}", marker.display()),
        format!("ext::sh -c touch% {}", marker.display()),
    ];
    for url in &attacks {
        assert!(install::add_from_git(url, None, &decks).is_err(), "{url}");
    }
    let option_ref = format!("--output={}", marker.display());
    assert!(matches!(
        install::add_from_git(repo.to_str().unwrap(), Some(&option_ref), &decks),
        Err(AddError::Git(GitError::BadReference(_)))
    ));
    match install::add_from_git("http://127.0.0.1:9/class.git", None, &decks) {
        Err(AddError::Git(GitError::Failed { message, .. })) => {
            assert!(!message.is_empty())
        }
        other => panic!("{other:?}"),
    }
    assert!(!marker.exists(), "a URL ran a command");
    let left: Vec<_> = std::fs::read_dir(&decks)
        .map(|entries| entries.map(|entry| entry.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}
