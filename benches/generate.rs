//! Generated material for the benchmarks: a deck of any size (cards in topics of 500), and a year
//! of review history for it. Shared by the bench files with `#[path = "generate.rs"] mod`.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kubedrill::model::Library;
use kubedrill::srs::{ItemState, Rating};
use kubedrill::store::{ReviewRecord, Store};
use kubedrill::study;

pub const CARDS_PER_TOPIC: usize = 500;

/// What the search benchmarks type, letter by letter: words of the built-in deck and of the
/// generated decks' vocabulary, and an item's number.
pub const SEARCH_QUERIES: [&str; 7] = [
    "rollout undo",
    "maxsurge",
    "configmap envfrom",
    "secret base64",
    "init container",
    "kubectl set image",
    "question 9876",
];

/// The time at `fraction` (0.5: the median) of sorted `times`, in milliseconds.
pub fn percentile_ms(times: &[std::time::Duration], fraction: f64) -> f64 {
    times[((times.len() as f64 * fraction) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0
}

/// Writes a deck `generated` of `cards` flashcards (English and Korean) to `dir`.
pub fn write_deck(dir: &Path, cards: usize) {
    let topics = cards.div_ceil(CARDS_PER_TOPIC);
    let mut deck = String::from(
        "format_version = 1\nid = \"generated\"\ntitle.en = \"Generated deck\"\ntitle.ko = \"생성된 덱\"\nlanguages = [\"en\", \"ko\"]\nkubernetes = \"1.37\"\n",
    );
    for topic in 0..topics {
        writeln!(deck, "\n[[topic]]\nid = \"topic-{topic}\"\ntitle.en = \"Topic {topic}\"\ntitle.ko = \"주제 {topic}\"").unwrap();
        let folder = dir.join(format!("topics/topic-{topic}"));
        std::fs::create_dir_all(&folder).unwrap();
        for language in ["en", "ko"] {
            std::fs::write(
                folder.join(format!("lesson.{language}.md")),
                format!("# Topic {topic}\n\nA generated lesson with a [card](card:card-{topic}-0).\n\n## Section\n\nText.\n"),
            )
            .unwrap();
        }
        let mut file = String::new();
        let first = topic * CARDS_PER_TOPIC;
        for card in first..(first + CARDS_PER_TOPIC).min(cards) {
            writeln!(
                file,
                "[[card]]\nid = \"card-{topic}-{card}\"\nfront.en = \"Question {card}: what does `kubectl rollout undo` do?\"\nfront.ko = \"질문 {card}: `kubectl rollout undo`는 무엇을 하나요?\"\nback.en = \"It rolls the Deployment back to revision {card}.\"\nback.ko = \"Deployment를 리비전 {card}(으)로 되돌립니다.\"\ntags = [\"generated\"]\n"
            )
            .unwrap();
        }
        // The first card of each topic keeps the id the lesson links to.
        let file = file.replacen(
            &format!("id = \"card-{topic}-{first}\""),
            &format!("id = \"card-{topic}-0\""),
            1,
        );
        std::fs::write(folder.join("cards.toml"), file).unwrap();
    }
    std::fs::write(dir.join("deck.toml"), deck).unwrap();
}

/// Writes the cards of [`write_deck`] (their English sides) as a hashcards collection: one
/// Markdown file per topic of question/answer pairs, for the side-by-side `stats` comparison
/// (benches/store.rs).
pub fn write_hashcards_collection(dir: &Path, cards: usize) {
    for topic in 0..cards.div_ceil(CARDS_PER_TOPIC) {
        let mut file = String::new();
        let first = topic * CARDS_PER_TOPIC;
        for card in first..(first + CARDS_PER_TOPIC).min(cards) {
            writeln!(
                file,
                "Q: Question {card}: what does `kubectl rollout undo` do?\nA: It rolls the Deployment back to revision {card}.\n"
            )
            .unwrap();
        }
        std::fs::write(dir.join(format!("topic-{topic}.md")), file).unwrap();
    }
}

/// Words the varied deck's cards are made of: the vocabulary of the CKA topics.
const WORDS: &[&str] = &[
    "pod",
    "deployment",
    "replicaset",
    "service",
    "configmap",
    "secret",
    "volume",
    "container",
    "init",
    "sidecar",
    "rollout",
    "undo",
    "history",
    "status",
    "strategy",
    "maxSurge",
    "maxUnavailable",
    "envFrom",
    "valueFrom",
    "secretKeyRef",
    "configMapKeyRef",
    "command",
    "args",
    "entrypoint",
    "image",
    "label",
    "selector",
    "namespace",
    "probe",
    "readiness",
    "liveness",
    "restartPolicy",
    "tmpfs",
    "base64",
    "encryption",
    "etcd",
    "kubelet",
    "scheduler",
    "taint",
    "toleration",
    "affinity",
    "node",
    "port",
    "targetPort",
    "nodePort",
    "ingress",
    "persistentVolumeClaim",
    "storageClass",
    "job",
    "cronjob",
    "daemonset",
    "statefulset",
    "resources",
    "limits",
    "requests",
    "quota",
    "serviceAccount",
    "role",
    "binding",
    "drain",
];

/// Writes a deck `varied` of `cards` flashcards whose fronts differ as real cards do: each a
/// question of five to nine words drawn from [`WORDS`] (a fixed sequence, so every run is the
/// same deck). Search over it is what a learner meets; over [`write_deck`]'s cards, which all
/// hold the same words, every query matches everything (the worst case).
pub fn write_varied_deck(dir: &Path, cards: usize) {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let topics = cards.div_ceil(CARDS_PER_TOPIC);
    let mut deck = String::from(
        "format_version = 1\nid = \"varied\"\ntitle = \"Varied deck\"\nlanguages = [\"en\"]\n",
    );
    for topic in 0..topics {
        writeln!(
            deck,
            "\n[[topic]]\nid = \"topic-{topic}\"\ntitle = \"Topic {topic}\""
        )
        .unwrap();
        let folder = dir.join(format!("topics/topic-{topic}"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("lesson.en.md"),
            format!("# Topic {topic}\n\nText.\n"),
        )
        .unwrap();
        let mut file = String::new();
        for card in topic * CARDS_PER_TOPIC..((topic + 1) * CARDS_PER_TOPIC).min(cards) {
            let count = 5 + (next() % 5) as usize;
            let words: Vec<&str> = (0..count)
                .map(|_| WORDS[(next() % WORDS.len() as u64) as usize])
                .collect();
            writeln!(
                file,
                "[[card]]\nid = \"card-{card}\"\nfront = \"How does {}?\"\nback = \"{}.\"\n",
                words.join(" "),
                words.iter().rev().cloned().collect::<Vec<_>>().join(" ")
            )
            .unwrap();
        }
        std::fs::write(folder.join("cards.toml"), file).unwrap();
    }
    std::fs::write(dir.join("deck.toml"), deck).unwrap();
}

/// Loads a generated deck.
pub fn load(dir: &Path) -> Library {
    let report = kubedrill::content::check_dir(dir).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems.first());
    Library {
        decks: vec![report.deck.unwrap()],
    }
}

/// A year of history before `now`: every item reviewed `per_item` times, about a month apart,
/// mostly Good with some Again and Hard, saved in one transaction.
pub fn write_history(
    store: &mut Store,
    library: &Library,
    now: Timestamp,
    per_item: usize,
) -> usize {
    let settings = store.settings().unwrap();
    let scheduler = study::scheduler(&settings, &TimeZone::UTC).unwrap();
    let entries = study::entries(&library.decks[0]);
    let keys: Vec<String> = entries.iter().map(|entry| entry.key()).collect();
    let mut records = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let mut state = ItemState::new(now);
        let start = now - SignedDuration::from_hours(24 * 365)
            + SignedDuration::from_mins(index as i64 % 1440);
        for review in 0..per_item {
            let at =
                start + SignedDuration::from_hours(24 * 36 * review as i64 + (index as i64 % 24));
            let rating = match (index * 31 + review * 7) % 10 {
                0 => Rating::Again,
                1 => Rating::Hard,
                _ => Rating::Good,
            };
            let after = scheduler.review(&state, rating, at, entry.fuzz(state.reps));
            records.push((index, rating, at, state.clone(), after.clone()));
            state = after;
        }
    }
    let reviews: Vec<ReviewRecord<'_>> = records
        .iter()
        .map(|(index, rating, at, before, after)| ReviewRecord {
            deck: "generated",
            item: &keys[*index],
            kind: "card",
            rating: *rating,
            at: *at,
            before: before.clone(),
            after: after.clone(),
            duration_ms: Some(5000),
            score: None,
        })
        .collect();
    store.record_reviews(&reviews).unwrap();
    reviews.len()
}
