//! The exam-date plan for the loaded decks: the items' states and today's counts from the store,
//! the time a rating takes from the learner's own review log, handed to [`crate::srs::plan`].
//! What `kubedrill plan`, `kubedrill due` and Home call.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::model::{ItemRef, Library};
use crate::srs::plan::{self, Plan, PlanDeck, PlanError, PlanInput, PlanItem};
use crate::srs::{ConfigError, Day, Work};
use crate::store::{Settings, Store, StoreError};

/// Reviews of a kind needed before their mean time replaces the default.
pub const OWN_TIME_AFTER: usize = 20;
/// The default time of one rating of a flashcard, in seconds.
pub const CARD_SECONDS: f64 = 15.0;

/// How long one rating of a kind of item is taken to last.
#[derive(Debug, Clone, PartialEq)]
pub struct KindTime {
    /// `card`, `question`, `drill`, `exercise`.
    pub kind: &'static str,
    /// Seconds a rating (an exercise: of difficulty 2 when the default applies).
    pub seconds: f64,
    /// Reviews of the kind with a time in the log.
    pub reviews: usize,
    /// Whether `seconds` is the learner's own mean (else the default).
    pub own: bool,
}

/// The plan, with where its minutes come from.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamPlan {
    pub plan: Plan,
    pub times: Vec<KindTime>,
}

/// Why there is no plan.
#[derive(Debug)]
pub enum PlanProblem {
    /// No exam date is set (or given).
    NoExamDate,
    /// The exam date is today or past.
    ExamPast {
        exam: Date,
        today: Date,
    },
    Store(StoreError),
    Settings(ConfigError),
}

impl From<StoreError> for PlanProblem {
    fn from(error: StoreError) -> PlanProblem {
        PlanProblem::Store(error)
    }
}

/// The default time of one rating: a card's [`CARD_SECONDS`], else what the task should take
/// someone who knows it ([`crate::srs::expected_seconds`]).
fn default_seconds(item: &ItemRef<'_>) -> f64 {
    match item {
        ItemRef::Card(_) => CARD_SECONDS,
        ItemRef::Question(_) => crate::srs::expected_seconds(Work::Question),
        ItemRef::Drill(_) => crate::srs::expected_seconds(Work::Drill),
        ItemRef::Exercise(exercise) => {
            crate::srs::expected_seconds(Work::Exercise(exercise.difficulty))
        }
        // A scenario is investigated and fixed: about as long as a hard exercise and more.
        ItemRef::Scenario(scenario) => crate::srs::expected_seconds(Work::Exercise(
            scenario.difficulty.saturating_add(1).min(3),
        )),
    }
}

/// The plan toward `settings.exam_date` over every loaded deck.
pub fn exam_plan(
    library: &Library,
    store: &Store,
    settings: &Settings,
    now: Timestamp,
    zone: &TimeZone,
) -> Result<ExamPlan, PlanProblem> {
    let exam = settings.exam_date.ok_or(PlanProblem::NoExamDate)?;
    let today = Day::of(now, zone, settings.day_starts_at);
    if exam <= today.date {
        return Err(PlanProblem::ExamPast {
            exam,
            today: today.date,
        });
    }
    let scheduler = super::scheduler(settings, zone).map_err(PlanProblem::Settings)?;
    let own: BTreeMap<String, (usize, f64)> = store.review_durations()?;
    let own_seconds = |kind: &str| {
        own.get(kind)
            .filter(|(count, _)| *count >= OWN_TIME_AFTER)
            .map(|(_, seconds)| *seconds)
    };
    let mut decks = Vec::new();
    for deck in &library.decks {
        let mut states = store.states(deck.id.as_str())?;
        let done = store.day_counts(deck.id.as_str(), today.start, today.end)?;
        let items = super::entries(deck)
            .iter()
            .map(|entry| PlanItem {
                state: states.remove(&entry.key()),
                fuzz_key: format!("{}/{}", deck.id, entry.key()),
                seconds: own_seconds(entry.kind().name())
                    .unwrap_or_else(|| default_seconds(&entry.item)),
            })
            .collect();
        decks.push(PlanDeck {
            items,
            new_seen_today: done.new_seen,
            reviews_done_today: done.reviews_done,
        });
    }
    let input = PlanInput {
        scheduler: &scheduler,
        decks: &decks,
        now,
        zone,
        day_starts_at: settings.day_starts_at,
        exam,
        new_per_day: settings.new_per_day,
        reviews_per_day: settings.reviews_per_day,
    };
    let plan = plan::plan(&input)
        .map_err(|PlanError::ExamPast { exam, today }| PlanProblem::ExamPast { exam, today })?;
    let times = [
        ("card", CARD_SECONDS),
        ("question", crate::srs::expected_seconds(Work::Question)),
        ("drill", crate::srs::expected_seconds(Work::Drill)),
        ("exercise", crate::srs::expected_seconds(Work::Exercise(2))),
    ]
    .into_iter()
    .map(|(kind, default)| {
        let reviews = own.get(kind).map_or(0, |(count, _)| *count);
        let mine = own_seconds(kind);
        KindTime {
            kind,
            seconds: mine.unwrap_or(default),
            reviews,
            own: mine.is_some(),
        }
    })
    .collect();
    Ok(ExamPlan { plan, times })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::Rating;
    use crate::store::RatingRecord;

    use crate::study::tests::fixture;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    /// `count` ratings of `kind` items taking `millis` each, a day apart, some days ago.
    fn rated(store: &mut Store, kind: &str, count: usize, millis: i64) {
        for index in 0..count {
            let when =
                at("2026-10-01T09:00:00Z") + jiff::SignedDuration::from_hours(24 * index as i64);
            store
                .record_rating(
                    &RatingRecord {
                        deck: "elsewhere",
                        item: &format!("t/{kind}-{index}"),
                        kind,
                        rating: Rating::Good,
                        at: when,
                        duration_ms: Some(millis),
                        score: None,
                    },
                    // A stand-in schedule: the log is what counts here.
                    |before| crate::srs::ItemState {
                        phase: crate::srs::Phase::Review,
                        memory: Some(crate::srs::Memory {
                            stability: 3.0,
                            difficulty: 5.0,
                        }),
                        due: when + jiff::SignedDuration::from_hours(24),
                        last_review: Some(when),
                        reps: before.reps + 1,
                        ..before.clone()
                    },
                )
                .unwrap();
        }
    }

    #[test]
    fn minutes_use_the_learners_own_times_once_a_kind_has_twenty_reviews() {
        let library = fixture();
        let mut store = Store::in_memory().unwrap();
        rated(&mut store, "card", 20, 6_000);
        rated(&mut store, "question", 19, 6_000);
        // A rating left open for an hour counts 20 minutes.
        rated(&mut store, "drill", 19, 10_000);
        rated(&mut store, "drill", 1, 3_600_000);
        let settings = Settings {
            exam_date: Some("2026-12-31".parse().unwrap()),
            ..Settings::default()
        };
        let now = at("2026-12-01T09:00:00Z");
        let exam_plan = exam_plan(&library, &store, &settings, now, &TimeZone::UTC).unwrap();
        let time = |kind: &str| {
            exam_plan
                .times
                .iter()
                .find(|time| time.kind == kind)
                .cloned()
                .unwrap()
        };
        assert_eq!((time("card").own, time("card").seconds), (true, 6.0));
        assert_eq!(
            (time("question").own, time("question").seconds),
            (false, 30.0)
        );
        let drill = time("drill");
        assert!(drill.own);
        assert!((drill.seconds - (19.0 * 10.0 + 1200.0) / 20.0).abs() < 1e-9);
        assert_eq!(exam_plan.plan.shown().days.len(), 30);
    }

    #[test]
    fn no_plan_without_an_exam_date_or_with_one_past() {
        let library = fixture();
        let store = Store::in_memory().unwrap();
        let now = at("2026-12-01T09:00:00Z");
        let plan = |exam: Option<&str>| {
            let settings = Settings {
                exam_date: exam.map(|date| date.parse().unwrap()),
                ..Settings::default()
            };
            exam_plan(&library, &store, &settings, now, &TimeZone::UTC)
        };
        assert!(matches!(plan(None), Err(PlanProblem::NoExamDate)));
        assert!(matches!(
            plan(Some("2026-11-30")),
            Err(PlanProblem::ExamPast { .. })
        ));
        assert!(matches!(
            plan(Some("2026-12-01")),
            Err(PlanProblem::ExamPast { .. })
        ));
        assert!(plan(Some("2026-12-02")).is_ok());
    }
}
