//! Crash safety: a process that reviews in a loop is killed with SIGKILL at random moments, 100
//! times, on the same database. Afterwards `PRAGMA integrity_check` is ok and every review the
//! process had reported as committed is in the log.
//!
//! The reviewing process is this test binary itself, started again with `CRASH_CHILD_DIR` set,
//! running only [`child_reviews_in_a_loop`].

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kubedrill::content;
use kubedrill::model::Library;
use kubedrill::srs::Rating;
use kubedrill::store::Store;
use kubedrill::study;

const CHILD_DIR: &str = "CRASH_CHILD_DIR";

fn library() -> Library {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/valid");
    Library {
        decks: vec![content::check_dir(&path).unwrap().deck.unwrap()],
    }
}

/// In the child: rate items for ever, printing each review's id once it is committed.
#[test]
fn child_reviews_in_a_loop() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return; // Run normally, this test does nothing: it is the crash test's child.
    };
    let library = library();
    let entries = study::entries(&library.decks[0]);
    let mut store = Store::open_in(Path::new(&dir), Timestamp::now())
        .unwrap()
        .store;
    let settings = store.settings().unwrap();
    let scheduler = study::scheduler(&settings, &TimeZone::UTC).unwrap();
    let mut stdout = std::io::stdout().lock();
    let start: Timestamp = "2026-06-01T09:00:00Z".parse().unwrap();
    let offset = store.review_count().unwrap() as i64;
    for round in 0.. {
        let entry = &entries[round % entries.len()];
        let at = start + SignedDuration::from_secs((offset + round as i64) * 30);
        let before = store.state("fixture", &entry.key()).unwrap();
        let rating = if round % 3 == 0 {
            Rating::Again
        } else {
            Rating::Good
        };
        let (_, id) = study::rate(
            &mut store,
            &scheduler,
            entry,
            before,
            rating,
            at,
            Some(1500),
            None,
        )
        .unwrap();
        writeln!(stdout, "committed {id}").unwrap();
        stdout.flush().unwrap();
    }
}

#[test]
fn every_review_reported_as_saved_survives_sigkill_100_times() {
    let dir = tempfile::tempdir().unwrap();
    let mut committed: Vec<i64> = Vec::new();
    // A small deterministic generator for the kill moments (10–70 ms after the first commit).
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut kills_mid_run = 0;
    for _ in 0..100 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "child_reviews_in_a_loop",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (lines, received) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(id) = line.strip_prefix("committed ") {
                    let _ = lines.send(id.parse::<i64>().unwrap());
                }
            }
        });
        // Wait for the child to be writing, then kill it at a random moment.
        let first = received
            .recv_timeout(Duration::from_secs(20))
            .expect("the child commits a review");
        committed.push(first);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(10 + seed % 60));
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, no checkpoint.
        child.wait().unwrap();
        reader.join().unwrap();
        let before = committed.len();
        committed.extend(received.try_iter());
        if committed.len() > before {
            kills_mid_run += 1;
        }
    }
    assert!(
        kills_mid_run >= 50,
        "only {kills_mid_run} kills came in the middle of a run"
    );
    let store = Store::open_in(dir.path(), Timestamp::now()).unwrap();
    assert!(
        store.moved_aside.is_none(),
        "the database was never damaged"
    );
    let store = store.store;
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let missing: Vec<i64> = committed
        .iter()
        .copied()
        .filter(|id| !store.has_review(*id).unwrap())
        .collect();
    assert!(
        missing.is_empty(),
        "reviews reported as saved but lost: {missing:?}"
    );
    assert!(store.review_count().unwrap() >= committed.len());
}
