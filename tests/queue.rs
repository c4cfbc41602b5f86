//! Today's queue over the built-in deck with a fixed clock: a lesson first, then what it taught
//! in several kinds; topics mixed once a topic's first pass is done; learning steps that wait.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kubedrill::content;
use kubedrill::model::{ItemKind, Library};
use kubedrill::srs::Rating;
use kubedrill::store::{Setting, Store};
use kubedrill::study::{self, Step};

fn now() -> Timestamp {
    "2026-06-01T09:00:00Z".parse().unwrap()
}

fn built_in() -> Library {
    Library {
        decks: vec![content::built_in().deck.unwrap()],
    }
}

/// Today's queue as (kind, topic) pairs, a lesson's kind being "lesson".
fn queue_of(store: &Store, library: &Library, at: Timestamp) -> Vec<(String, String)> {
    let settings = store.settings().unwrap();
    let today = study::today(library, store, &settings, at, &TimeZone::UTC, |_| true).unwrap();
    today
        .queue
        .iter()
        .map(|step| match *step {
            Step::Lesson { topic, .. } => ("lesson".to_string(), topic.id.to_string()),
            Step::Item(index) => {
                let (entry, _) = &today.items[index];
                (entry.kind().name().to_string(), entry.topic.id.to_string())
            }
        })
        .collect()
}

/// Works through today's queue as a learner would: reads each lesson, rates every item Good,
/// and comes back to learning steps until none is left today.
fn study_the_day(store: &mut Store, library: &Library, start: Timestamp) {
    let settings = store.settings().unwrap();
    let scheduler = study::scheduler(&settings, &TimeZone::UTC).unwrap();
    let mut at = start;
    for _ in 0..20 {
        let today = study::today(library, store, &settings, at, &TimeZone::UTC, |_| true).unwrap();
        if today.queue.is_empty() {
            return;
        }
        for step in &today.queue {
            match *step {
                Step::Lesson { deck, topic } => store
                    .mark_lesson_read(deck.id.as_str(), topic.id.as_str(), at)
                    .unwrap(),
                Step::Item(index) => {
                    let (entry, state) = &today.items[index];
                    study::rate(
                        store,
                        &scheduler,
                        entry,
                        state.clone(),
                        Rating::Good,
                        at,
                        Some(5000),
                        None,
                    )
                    .unwrap();
                }
            }
            at += SignedDuration::from_secs(20);
        }
        // The learning steps come back after their 10 minutes.
        at += SignedDuration::from_mins(11);
    }
    panic!("the day never ended");
}

#[test]
fn a_fresh_profile_starts_with_a_lesson_then_practises_it_in_several_kinds() {
    let dir = tempfile::tempdir().unwrap();
    let library = built_in();
    let store = Store::open_in(dir.path(), now()).unwrap().store;
    let queue = queue_of(&store, &library, now());
    let first_topic = library.decks[0].topics[0].id.to_string();
    assert_eq!(queue[0], ("lesson".to_string(), first_topic.clone()));
    let kinds: std::collections::BTreeSet<&str> =
        queue[1..10].iter().map(|(kind, _)| kind.as_str()).collect();
    assert!(kinds.len() >= 3, "first ten: {:?}", &queue[..10]);
    // Everything after the lesson is the first topic's, within the daily new limit of 20.
    assert!(queue[1..].iter().all(|(_, topic)| *topic == first_topic));
    assert_eq!(queue.len(), 21);
}

#[test]
fn a_lesson_read_to_its_end_leaves_the_queue_and_its_items_stay() {
    let dir = tempfile::tempdir().unwrap();
    let library = built_in();
    let mut store = Store::open_in(dir.path(), now()).unwrap().store;
    let topic = &library.decks[0].topics[0];
    store
        .mark_lesson_read(library.decks[0].id.as_str(), topic.id.as_str(), now())
        .unwrap();
    let queue = queue_of(&store, &library, now());
    assert!(queue.iter().all(|(kind, _)| kind != "lesson"), "{queue:?}");
    assert_eq!(queue.len(), 20);
}

#[test]
fn once_the_first_topic_is_seen_the_next_days_mix_topics_and_kinds() {
    let dir = tempfile::tempdir().unwrap();
    let library = built_in();
    let mut store = Store::open_in(dir.path(), now()).unwrap().store;
    let first = &library.decks[0].topics[0];
    let first_items = first.counts().total();
    // Enough new items a day to finish the first topic on day one.
    store
        .set_setting(Setting::NewPerDay, &first_items.to_string())
        .unwrap();
    study_the_day(&mut store, &library, now());
    let states = store.states(library.decks[0].id.as_str()).unwrap();
    let prefix = format!("{}/", first.id);
    assert_eq!(
        states.keys().filter(|key| key.starts_with(&prefix)).count(),
        first_items,
        "day one saw every item of the first topic"
    );
    // Day two: the second topic's lesson and new items (the first topic's reviews come when
    // FSRS says, a day or a few later).
    let day_two = now() + SignedDuration::from_hours(24);
    let queue = queue_of(&store, &library, day_two);
    let second = library.decks[0].topics[1].id.as_str();
    assert!(queue.contains(&("lesson".to_string(), second.to_string())));
    // A day later still, reviews of the first topic and the second's items share the queue.
    study_the_day(&mut store, &library, day_two);
    let queue = queue_of(&store, &library, now() + SignedDuration::from_hours(24 * 4));
    let topics: std::collections::BTreeSet<&str> =
        queue.iter().map(|(_, topic)| topic.as_str()).collect();
    assert!(topics.len() >= 2, "{queue:?}");
}

#[test]
fn a_card_on_a_ten_minute_step_waits_its_ten_minutes_while_new_items_remain() {
    let dir = tempfile::tempdir().unwrap();
    let library = built_in();
    let mut store = Store::open_in(dir.path(), now()).unwrap().store;
    let settings = store.settings().unwrap();
    let scheduler = study::scheduler(&settings, &TimeZone::UTC).unwrap();
    let today = study::today(&library, &store, &settings, now(), &TimeZone::UTC, |_| true).unwrap();
    let (entry, _) = today
        .items
        .iter()
        .find(|(entry, _)| entry.kind() == ItemKind::Card)
        .unwrap();
    // Good on a new card: its next step is 10 minutes away.
    let (state, _) = study::rate(
        &mut store,
        &scheduler,
        entry,
        None,
        Rating::Good,
        now(),
        Some(3000),
        None,
    )
    .unwrap();
    let second = now();
    assert_eq!(state.due, second + SignedDuration::from_mins(10));
    let key = entry.key();
    let position = |at: Timestamp| {
        let today =
            study::today(&library, &store, &settings, at, &TimeZone::UTC, |_| true).unwrap();
        let keys: Vec<String> = today.items.iter().map(|(entry, _)| entry.key()).collect();
        (keys.iter().position(|queued| *queued == key), keys.len())
    };
    // At every minute before the step is due it is the last entry, after every new item.
    for minute in 1..10 {
        let (at, len) = position(second + SignedDuration::from_mins(minute));
        assert_eq!(at, Some(len - 1), "shown {minute} minutes into its step");
    }
    // Its step has come: it goes first.
    assert_eq!(position(second + SignedDuration::from_mins(10)).0, Some(0));
}

#[test]
fn due_json_lists_the_queue_in_continues_order_lesson_first() {
    let data = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(["due", "--format", "json", "--data-dir"])
        .arg(data.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let queue = document["queue"].as_array().unwrap();
    let library = built_in();
    let first_topic = library.decks[0].topics[0].id.as_str();
    assert_eq!(queue[0]["kind"], "lesson");
    assert_eq!(queue[0]["state"], "unread");
    assert_eq!(queue[0]["topic"], first_topic);
    assert_eq!(queue[0]["id"], first_topic);
    // Then the 20 new items of the day, each named TOPIC/ITEM, in several kinds.
    assert_eq!(queue.len(), 21);
    let kinds: std::collections::BTreeSet<&str> = queue[1..]
        .iter()
        .map(|entry| {
            assert_eq!(entry["state"], "new");
            let id = entry["id"].as_str().unwrap();
            assert!(id.starts_with(&format!("{first_topic}/")), "{id}");
            entry["kind"].as_str().unwrap()
        })
        .collect();
    assert!(kinds.len() >= 3, "{kinds:?}");
    assert_eq!(document["total"], 20, "the lesson is not an item");
}
