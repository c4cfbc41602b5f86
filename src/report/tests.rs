//! Reports made from profiles the library itself fills, on a fixed clock.

use jiff::{Timestamp, ToSpan};

use super::class;
use super::*;
use crate::srs::Rating;
use crate::store::{AttemptRecord, RatingRecord, Settings, Store};

const START: &str = "2026-11-01T09:00:00Z";

fn library() -> Library {
    let folder =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/valid");
    Library {
        decks: vec![crate::content::check_dir(&folder).unwrap().deck.unwrap()],
    }
}

fn day(days: i64) -> Timestamp {
    START.parse::<Timestamp>().unwrap() + (days * 24).hours()
}

fn scheduler() -> Scheduler {
    crate::study::scheduler(&Settings::default(), &jiff::tz::TimeZone::UTC).unwrap()
}

fn rate(store: &mut Store, item: &str, kind: &str, rating: Rating, at: Timestamp) {
    let scheduler = scheduler();
    store
        .record_rating(
            &RatingRecord {
                deck: "fixture",
                item,
                kind,
                rating,
                at,
                duration_ms: Some(12_000),
                score: None,
            },
            |before| scheduler.review(before, rating, at, 0.5),
        )
        .unwrap();
}

fn attempt(store: &mut Store, failed: &[&str], at: Timestamp) {
    let summary = serde_json::json!({ "failed": failed, "errors": 0 }).to_string();
    store
        .record_attempt(&AttemptRecord {
            deck: "fixture",
            item: "env/webapp-color",
            kind: "exercise",
            at,
            answer: "kind: Pod\nmetadata:\n  name: webapp-color\n",
            passed: failed.is_empty(),
            score: if failed.is_empty() { 1.0 } else { 0.5 },
            hints_used: 0,
            duration_ms: Some(60_000),
            summary: &summary,
        })
        .unwrap();
}

/// Ana studies every item three times, well, and recently; Ben forgets one card twice, fails
/// the exercise's `color` check twice, and stops ten days before the report.
fn profiles() -> (Store, Store) {
    let library = library();
    let items: Vec<(String, &str)> = crate::study::entries(&library.decks[0])
        .iter()
        .map(|entry| (entry.key(), entry.kind().name()))
        .collect();
    let mut ana = Store::in_memory().unwrap();
    for days in [0, 3, 10] {
        for (item, kind) in &items {
            rate(&mut ana, item, kind, Rating::Good, day(days));
        }
    }
    let mut ben = Store::in_memory().unwrap();
    rate(&mut ben, "env/value-key", "card", Rating::Again, day(0));
    rate(&mut ben, "env/value-key", "card", Rating::Again, day(1));
    rate(&mut ben, "env/value-key", "card", Rating::Good, day(2));
    attempt(&mut ben, &["color"], day(2));
    attempt(&mut ben, &["color"], day(2));
    attempt(&mut ben, &[], day(2));
    rate(
        &mut ben,
        "env/webapp-color",
        "exercise",
        Rating::Hard,
        day(2),
    );
    (ana, ben)
}

fn export_of(store: &Store, name: &str, with_answers: bool) -> Export {
    export(
        &library(),
        store,
        &scheduler(),
        &ExportRequest {
            name,
            deck: None,
            with_answers,
            exam_date: None,
            now: day(12),
        },
    )
    .unwrap()
}

#[test]
fn an_export_holds_per_item_progress_and_check_failures_and_no_answers_unless_asked() {
    let (_, ben) = profiles();
    let export = export_of(&ben, "Ben", false);
    assert_eq!((export.schema.as_str(), export.version), (SCHEMA, VERSION));
    assert_eq!(export.name, "Ben");
    let card = export
        .items
        .iter()
        .find(|item| item.item == "env/value-key")
        .unwrap();
    assert_eq!((card.attempts, card.again, card.lapses), (3, 2, 0));
    assert_eq!(card.last_rating.as_deref(), Some("good"));
    assert_eq!(card.time_spent_seconds, 36.0);
    let recall = card.predicted_recall.unwrap();
    assert!(recall > 0.0 && recall < 1.0, "{recall}");
    let exercise = export
        .items
        .iter()
        .find(|item| item.item == "env/webapp-color")
        .unwrap();
    assert_eq!(exercise.graded_answers, 3);
    assert_eq!(
        export.checks,
        [CheckReport {
            deck: "fixture".into(),
            item: "env/webapp-color".into(),
            check: "color".into(),
            answers: 3,
            failed: 2,
        }]
    );
    let json = serde_json::to_string(&export).unwrap();
    assert!(!json.contains("webapp-color\\n"), "no answer text: {json}");
    assert!(export.answers.is_none());
    let with = export_of(&ben, "Ben", true);
    assert_eq!(with.answers.unwrap()[0].item, "env/webapp-color");
    // The JSON reads back; another version is refused with what this build reads.
    assert_eq!(read(&json).unwrap(), export);
    let other = json.replace("\"version\":1", "\"version\":2");
    assert!(read(&other).unwrap_err().to_string().contains("version"));
}

#[test]
fn the_class_report_ranks_what_the_class_fails_and_who_is_at_risk() {
    let (ana, ben) = profiles();
    let exports = [export_of(&ana, "Ana", false), export_of(&ben, "Ben", false)];
    let exam = day(14).to_zoned(jiff::tz::TimeZone::UTC).date();
    let report = class::report(&exports, Some(exam), day(12), 10);
    assert_eq!(report.learners, 2);
    assert_eq!(report.items[0].item, "env/value-key");
    assert_eq!(
        (report.items[0].learners_failed, report.items[0].learners),
        (1, 2)
    );
    assert_eq!(report.checks[0].check, "color");
    assert_eq!((report.checks[0].failed, report.checks[0].answers), (2, 3));
    assert!(!report.topics.is_empty());
    assert!(
        report
            .topics
            .windows(2)
            .all(|pair| pair[0].recall <= pair[1].recall)
    );
    let names: Vec<&str> = report.at_risk.iter().map(|row| row.name.as_str()).collect();
    assert_eq!(names, ["Ben"], "{:?}", report.at_risk);
    let ben = &report.at_risk[0];
    assert!(
        ben.reasons
            .iter()
            .any(|reason| reason.contains("no review in 10 days"))
    );
    assert!(ben.reasons.iter().any(|reason| reason.contains("studied")));

    let text = render::text(&report);
    assert!(text.contains("Items the class fails most"));
    assert!(text.contains("fixture/env/value-key"));
    let csv = render::csv(&report);
    assert!(csv.contains("learners-at-risk,Ben,"), "{csv}");
}

/// A name is whatever a learner typed: on the page it is text, never markup.
#[test]
fn the_html_page_is_self_contained_and_escapes_what_learners_typed() {
    let (_, ben) = profiles();
    let hostile = "<script>alert(1)</script> & \"Ben\"";
    let report = class::report(&[export_of(&ben, hostile, false)], None, day(12), 10);
    let page = render::html(&report);
    assert!(!page.contains("<script"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ben&quot;"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "nothing fetched"
    );
    assert!(page.contains("<svg"));
    assert_eq!(page.matches("<table>").count(), 4, "{page}");
}
