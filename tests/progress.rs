//! The progress commands on the real binary: `due`, `stats`, `config`, `deck orphans` and
//! `optimize`, on a data folder whose reviews were made through the library, at a fixed time.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kubedrill::content;
use kubedrill::model::Library;
use kubedrill::srs::Rating;
use kubedrill::store::Store;
use kubedrill::study;
use serde_json::Value;

const NOW: &str = "2026-06-10T09:00:00Z";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/valid")
}

fn library() -> Library {
    Library {
        decks: vec![content::check_dir(&fixture()).unwrap().deck.unwrap()],
    }
}

fn kubedrill(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .arg("--deck")
        .arg(fixture())
        .env("KUBEDRILL_NOW", NOW)
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env_remove("KUBEDRILL_DATA_DIR")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Reviews every fixture item once a day for the week before NOW, Good except one Again.
fn week_of_study(data: &Path) {
    let library = library();
    let mut store = Store::open_in(data, Timestamp::now()).unwrap().store;
    let settings = store.settings().unwrap();
    let scheduler = study::scheduler(&settings, &TimeZone::UTC).unwrap();
    let now: Timestamp = NOW.parse().unwrap();
    let entries = study::entries(&library.decks[0]);
    for day in (1..=7).rev() {
        let at = now - SignedDuration::from_hours(24 * day);
        for (index, entry) in entries.iter().enumerate() {
            let before = store.state("fixture", &entry.key()).unwrap();
            let rating = if day == 3 && index == 0 {
                Rating::Again
            } else {
                Rating::Good
            };
            study::rate(
                &mut store,
                &scheduler,
                entry,
                before,
                rating,
                at,
                Some(3000),
                None,
            )
            .unwrap();
        }
    }
}

#[test]
fn due_lists_new_items_of_a_fresh_deck_within_the_daily_limit() {
    let data = tempfile::tempdir().unwrap();
    let output = kubedrill(data.path(), &["config", "set", "new-per-day", "3"]);
    assert_eq!(output.status.code(), Some(0));
    let due = json(&kubedrill(data.path(), &["due", "--format", "json"]));
    assert_eq!(due["date"], "2026-06-10");
    let fixture_new: u64 = due["topics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|topic| topic["deck"] == "fixture")
        .map(|topic| topic["new"].as_u64().unwrap())
        .sum();
    assert_eq!(fixture_new, 3, "{due}");
    let text = String::from_utf8(kubedrill(data.path(), &["due"]).stdout).unwrap();
    assert!(text.starts_with("Today (2026-06-10): "), "{text}");
    assert!(text.contains("Held back by today's limits"), "{text}");
}

#[test]
fn dues_topics_add_up_to_its_totals_in_the_decks_topic_order() {
    let data = tempfile::tempdir().unwrap();
    week_of_study(data.path());
    let due = json(&kubedrill(data.path(), &["due", "--format", "json"]));
    let topics = due["topics"].as_array().unwrap();
    let mut total = 0;
    for phase in ["learning", "reviews", "new"] {
        let sum: u64 = topics
            .iter()
            .map(|topic| topic[phase].as_u64().unwrap())
            .sum();
        assert_eq!(Some(sum), due[phase].as_u64(), "{phase}: {due}");
        total += sum;
    }
    assert_eq!(due["total"].as_u64(), Some(total));
    // Deck by deck, the built-in deck first; a deck's topics in the deck's own order.
    let decks: Vec<&str> = topics
        .iter()
        .map(|topic| topic["deck"].as_str().unwrap())
        .collect();
    assert!(decks.is_sorted_by_key(|deck| *deck != "cka"), "{decks:?}");
    let fixture: Vec<&str> = topics
        .iter()
        .filter(|topic| topic["deck"] == "fixture")
        .map(|topic| topic["topic"].as_str().unwrap())
        .collect();
    let library = library();
    let in_deck_order: Vec<&str> = library.decks[0]
        .topics
        .iter()
        .map(|topic| topic.id.as_str())
        .filter(|id| fixture.contains(id))
        .collect();
    assert_eq!(fixture, in_deck_order);
}

#[test]
fn stats_count_the_weeks_reviews_the_streak_and_retention() {
    let data = tempfile::tempdir().unwrap();
    week_of_study(data.path());
    let stats = json(&kubedrill(data.path(), &["stats", "--format", "json"]));
    let items = library().decks[0].counts().total() as u64;
    assert_eq!(stats["total_reviews"].as_u64(), Some(items * 7));
    assert_eq!(
        stats["streak"], 7,
        "a rating on each of the last seven days, none yet today"
    );
    let per_day = stats["reviews_per_day"].as_array().unwrap();
    assert_eq!(per_day.len(), 365);
    assert_eq!(per_day.last().unwrap()["date"], "2026-06-10");
    assert_eq!(per_day[per_day.len() - 2]["count"].as_u64(), Some(items));
    let retention = &stats["retention"];
    assert!(retention["forgotten"].as_u64().unwrap() <= 1);
    assert!(retention["rate"].as_f64().unwrap() > 0.8);
    let topics: Vec<&Value> = stats["topics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|topic| topic["deck"] == "fixture")
        .collect();
    assert_eq!(topics.len(), 2);
    for topic in topics {
        assert_eq!(topic["studied"], topic["items"]);
        assert!(topic["mastery"].as_f64().unwrap() > 0.5, "{topic}");
    }
    let text =
        String::from_utf8(kubedrill(data.path(), &["--lang", "ko", "stats"]).stdout).unwrap();
    assert!(text.contains("연속 7일"), "{text}");
}

#[test]
fn the_exam_date_shows_in_due_and_raises_the_retention_target() {
    let data = tempfile::tempdir().unwrap();
    let output = kubedrill(data.path(), &["config", "set", "exam-date", "2026-06-20"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("exam-date = 2026-06-20"));
    let due = json(&kubedrill(data.path(), &["due", "--format", "json"]));
    assert_eq!(due["exam_in_days"], 10);
    let stats = json(&kubedrill(data.path(), &["stats", "--format", "json"]));
    let target = stats["desired_retention"].as_f64().unwrap();
    assert!(target > 0.9 && target < 0.95, "{target}");
    let bad = kubedrill(data.path(), &["config", "set", "exam-date", "June 20"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn a_saved_language_is_used_when_no_lang_option_is_given() {
    let data = tempfile::tempdir().unwrap();
    kubedrill(data.path(), &["config", "set", "language", "ko"]);
    let text = String::from_utf8(kubedrill(data.path(), &["due"]).stdout).unwrap();
    assert!(text.starts_with("오늘(2026-06-10)"), "{text}");
    let text = String::from_utf8(kubedrill(data.path(), &["--lang", "en", "due"]).stdout).unwrap();
    assert!(text.starts_with("Today"), "{text}");
}

#[test]
fn orphans_lists_progress_of_items_the_deck_no_longer_has() {
    let data = tempfile::tempdir().unwrap();
    week_of_study(data.path());
    let orphans = json(&kubedrill(
        data.path(),
        &["deck", "orphans", "--format", "json"],
    ));
    assert_eq!(orphans["orphans"].as_array().unwrap().len(), 0);
    // Without the fixture deck loaded, all its progress is orphaned, and kept.
    let output = Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(["deck", "orphans", "--format", "json", "--data-dir"])
        .arg(data.path())
        .output()
        .unwrap();
    let orphans = json(&output);
    let items = library().decks[0].counts().total();
    assert_eq!(orphans["orphans"].as_array().unwrap().len(), items);
    assert_eq!(orphans["orphans"][0]["reviews"], 7);
}

#[test]
fn optimize_says_how_much_history_it_needs() {
    let data = tempfile::tempdir().unwrap();
    week_of_study(data.path());
    let output = kubedrill(data.path(), &["optimize"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let reviews = library().decks[0].counts().total() * 7;
    assert!(
        text.contains(&format!(
            "{reviews} reviews, and fitting needs at least 400"
        )),
        "{text}"
    );
}

#[test]
fn a_corrupt_database_is_reported_moved_and_replaced() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("progress.db"),
        b"garbage, not a database".repeat(100),
    )
    .unwrap();
    let output = kubedrill(data.path(), &["due"]);
    assert_eq!(output.status.code(), Some(0));
    let error = String::from_utf8(output.stderr).unwrap();
    assert!(error.contains("could not be used"), "{error}");
    assert!(
        error.contains("progress.db.unreadable-20260610T090000Z"),
        "{error}"
    );
    assert!(error.contains("nothing was deleted"), "{error}");
    assert!(
        data.path()
            .join("progress.db.unreadable-20260610T090000Z")
            .is_file()
    );
}

#[test]
fn due_moves_a_database_damaged_after_the_days_check_aside_and_says_so() {
    let data = tempfile::tempdir().unwrap();
    week_of_study(data.path());
    // The day's first `due` checks the whole file and notes that it did.
    let first = kubedrill(data.path(), &["due"]);
    assert_eq!(first.status.code(), Some(0));
    assert!(
        first.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    // Then a page of the items table is overwritten, as a failing disk might.
    let path = data.path().join("progress.db");
    let (root, page_size) = {
        let conn = rusqlite::Connection::open(&path).unwrap();
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
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[(root - 1) * page_size..root * page_size].fill(0xAB);
    std::fs::write(&path, &bytes).unwrap();
    let output = kubedrill(data.path(), &["due"]);
    let error = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{error}");
    assert!(error.contains("could not be used"), "{error}");
    assert!(error.contains("damaged"), "{error}");
    assert!(error.contains("nothing was deleted"), "{error}");
    assert!(
        !error.contains("database disk image is malformed\n"),
        "not a bare SQLite error: {error}"
    );
    let moved = data.path().join("progress.db.unreadable-20260610T090000Z");
    assert!(error.contains(&*moved.to_string_lossy()), "{error}");
    assert_eq!(std::fs::read(&moved).unwrap(), bytes, "moved aside intact");
    // The new database starts from nothing: everything is new again, and says so.
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("Today (2026-06-10): "), "{text}");
    let again = kubedrill(data.path(), &["due"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        again.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

#[test]
fn one_day_and_one_task_are_singular() {
    let data = tempfile::tempdir().unwrap();
    let set = kubedrill(data.path(), &["config", "set", "exam-date", "2026-06-11"]);
    assert_eq!(
        set.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let due = String::from_utf8(kubedrill(data.path(), &["due"]).stdout).unwrap();
    assert!(due.contains("Exam in 1 day (2026-06-11)."), "{due}");
    let stats = String::from_utf8(kubedrill(data.path(), &["stats"]).stdout).unwrap();
    assert!(
        stats.contains("streak 0 days · 0 reviews in all"),
        "{stats}"
    );
    assert!(stats.contains("Exam 2026-06-11: in 1 day"), "{stats}");
    let plan = String::from_utf8(
        kubedrill(
            data.path(),
            &[
                "exam",
                "--plan",
                "--tasks",
                "1",
                "--minutes",
                "1",
                "--seed",
                "3",
            ],
        )
        .stdout,
    )
    .unwrap();
    assert!(
        plan.starts_with("Mock exam, seed 3: 1 task in 1 minute"),
        "{plan}"
    );
}
