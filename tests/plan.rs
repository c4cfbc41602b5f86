//! The exam-date plan (docs/scheduling.md, "The exam-date plan"): a simulated learner follows
//! the plan's limit through the real queue and scheduler and must see everything a week before
//! the exam and remember it on the day; the default limit is behind when it cannot; the plan's
//! own simulation agrees with the `fsrs` crate's simulator; and the command line says it.

use std::path::Path;
use std::process::{Command, Output};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kubedrill::model::Deck;
use kubedrill::srs::plan::{self, Plan, PlanDeck, PlanInput, PlanItem};
use kubedrill::srs::queue::{self, Limits};
use kubedrill::srs::{Config, ItemState, Phase, Rating, Scheduler};
use kubedrill::store::Settings;
use kubedrill::study;

/// 09:00 UTC: every simulated day is studied from 09:00 (the study day starts at 04:00).
const START: &str = "2027-01-04T09:00:00Z";
const DAY_STARTS_AT: i8 = 4;

fn built_in() -> Deck {
    kubedrill::content::built_in()
        .deck
        .expect("the built-in deck loads")
}

fn start() -> Timestamp {
    START.parse().unwrap()
}

fn date_in(days: i64) -> Date {
    start()
        .to_zoned(TimeZone::UTC)
        .date()
        .checked_add(jiff::Span::new().days(days))
        .unwrap()
}

/// xorshift64*: the test's own seeded generator, independent of the plan's.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The learner: everything in the deck, its states, and on which day each item was first seen.
struct Learner<'a> {
    deck: &'a Deck,
    scheduler: Scheduler,
    states: Vec<Option<ItemState>>,
    first_seen: Vec<Option<i64>>,
    rng: XorShift,
}

impl<'a> Learner<'a> {
    fn new(deck: &'a Deck, exam: Date) -> Learner<'a> {
        let settings = Settings {
            exam_date: Some(exam),
            ..Settings::default()
        };
        let count = study::entries(deck).len();
        Learner {
            deck,
            scheduler: study::scheduler(&settings, &TimeZone::UTC).unwrap(),
            states: vec![None; count],
            first_seen: vec![None; count],
            rng: XorShift(0x9e37_79b9_7f4a_7c15),
        }
    }

    /// The plan on day `day`, as kubedrill would compute it with these states.
    fn plan(&self, day: i64, exam: Date, new_per_day: usize) -> Plan {
        let decks = [PlanDeck {
            items: study::entries(self.deck)
                .iter()
                .zip(&self.states)
                .map(|(entry, state)| PlanItem {
                    state: state.clone(),
                    fuzz_key: format!("{}/{}", self.deck.id, entry.key()),
                    seconds: 20.0,
                })
                .collect(),
            new_seen_today: 0,
            reviews_done_today: 0,
        }];
        plan::plan(&PlanInput {
            scheduler: &self.scheduler,
            decks: &decks,
            now: start() + SignedDuration::from_hours(24 * day),
            zone: &TimeZone::UTC,
            day_starts_at: DAY_STARTS_AT,
            exam,
            new_per_day,
            reviews_per_day: 200,
        })
        .unwrap()
    }

    /// One study day: the real queue, one item at a time (30 seconds each), until nothing is
    /// left; recall of a review is drawn from the FSRS prediction, new items and steps are
    /// rated Good.
    fn study_day(&mut self, day: i64, new_per_day: usize) {
        let entries = study::entries(self.deck);
        let mut clock = start() + SignedDuration::from_hours(24 * day);
        let day_end = start() + SignedDuration::from_hours(24 * day + 19);
        let (mut new_seen, mut reviews_done) = (0, 0);
        loop {
            let borrowed: Vec<Option<&ItemState>> =
                self.states.iter().map(Option::as_ref).collect();
            let limits = Limits {
                new_left: new_per_day.saturating_sub(new_seen),
                reviews_left: 200usize.saturating_sub(reviews_done),
            };
            let built = queue::build(&borrowed, clock, day_end, limits);
            let Some(index) = built.order().next() else {
                let next_step = self
                    .states
                    .iter()
                    .flatten()
                    .filter(|state| matches!(state.phase, Phase::Learning | Phase::Relearning))
                    .map(|state| state.due)
                    .filter(|due| *due > clock && *due < day_end)
                    .min();
                match next_step {
                    Some(due) => {
                        clock = due;
                        continue;
                    }
                    None => break,
                }
            };
            let before = self.states[index]
                .clone()
                .unwrap_or_else(|| ItemState::new(clock));
            let rating = match before.phase {
                Phase::New => {
                    new_seen += 1;
                    self.first_seen[index] = Some(day);
                    Rating::Good
                }
                Phase::Review => {
                    reviews_done += 1;
                    let session = start() + SignedDuration::from_hours(24 * day);
                    if self.rng.next() < self.scheduler.retrievability(&before, session) {
                        Rating::Good
                    } else {
                        Rating::Again
                    }
                }
                Phase::Learning | Phase::Relearning => Rating::Good,
            };
            let fuzz = entries[index].fuzz(before.reps);
            // Rated as of the session's start (09:00), as the plan counts: days between reviews
            // are whole days, the FSRS unit. (Rated at the advancing clock, an item reviewed
            // at 09:05 and due at 09:00 the next day counts 0 days and comes back more often;
            // the recall on day 30 is then about 0.98, still within the 0.03.)
            let session = start() + SignedDuration::from_hours(24 * day);
            self.states[index] = Some(self.scheduler.review(&before, rating, session, fuzz));
            clock += SignedDuration::from_secs(30);
        }
    }

    /// The mean predicted recall of every item on `date` (never seen: 0).
    fn mean_recall_on(&self, date: Date) -> f64 {
        let sum: f64 = self
            .states
            .iter()
            .map(|state| {
                state.as_ref().map_or(0.0, |state| {
                    plan::recall_on(&self.scheduler, state, date, &TimeZone::UTC, DAY_STARTS_AT)
                })
            })
            .sum();
        sum / self.states.len() as f64
    }
}

#[test]
fn a_learner_on_the_plans_limit_sees_everything_by_day_22_and_remembers_it_on_exam_day_30() {
    let deck = built_in();
    let exam = date_in(30);
    let mut learner = Learner::new(&deck, exam);
    let first = learner.plan(0, exam, 20);
    assert_eq!(first.target_retention, 0.95, "the scheduler's exam-day aim");
    assert_eq!(
        first.new_items_end,
        date_in(22),
        "the last week is reviews only"
    );
    let needed = first.needed_new_per_day.expect("30 days are enough");
    // 23 days (0 to 22) for every item: at least a 23rd of the deck a day, more when seeing the
    // last ones that late would leave the exam-day recall under the target.
    let items = study::entries(&deck).len();
    assert!(
        needed >= items.div_ceil(23),
        "{needed} for {items} items in 23 days"
    );
    for day in 0..30 {
        learner.study_day(day, needed);
    }
    let last_first_seen = learner.first_seen.iter().map(|day| day.unwrap()).max();
    assert!(
        last_first_seen.unwrap() < 23,
        "every item first seen before day 23, the last on day {last_first_seen:?}"
    );
    let recall = learner.mean_recall_on(exam);
    assert!(
        (recall - first.target_retention).abs() <= 0.03,
        "mean predicted recall on day 30: {recall:.4}, aim {}",
        first.target_retention
    );
    // The plan foresaw it.
    let shown = first.shown();
    assert!(shown.all_seen_by.unwrap() <= date_in(22));
    assert!((shown.predicted_recall - recall).abs() <= 0.03);
    assert_eq!(shown.days.len(), 30, "today to the day before the exam");
}

#[test]
fn the_default_twenty_a_day_is_behind_from_day_1_when_it_cannot_see_everything_in_time() {
    let deck = built_in();
    let items = study::entries(&deck).len();
    // With the exam on day 30, 20 a day sees the built-in deck in 23 days exactly when it has
    // at most 460 items; the plan says so rather than crying wolf.
    let exam_30 = date_in(30);
    let plan_30 = Learner::new(&deck, exam_30).plan(0, exam_30, 20);
    assert_eq!(plan_30.on_track, items <= 20 * 23, "{items} items");
    // The nearest exam 20 a day cannot serve: one day of new items short.
    let new_days = items.div_ceil(20) as i64 - 1;
    let exam = date_in(new_days + 7);
    let mut learner = Learner::new(&deck, exam);
    let plan = learner.plan(0, exam, 20);
    assert!(!plan.on_track, "behind from day 1");
    let needed = plan.needed_new_per_day.unwrap();
    assert_eq!(needed, items.div_ceil(new_days as usize));
    assert!(needed > 20);
    learner.study_day(0, 20);
    assert!(!learner.plan(1, exam, 20).on_track, "and still on day 2");
    for day in 1..new_days {
        learner.study_day(day, 20);
    }
    let unseen = learner
        .first_seen
        .iter()
        .filter(|day| day.is_none())
        .count();
    assert!(
        unseen > 0,
        "the warning was right: {unseen} items left unseen"
    );
}

#[test]
fn without_an_exam_the_plans_simulation_agrees_with_the_fsrs_crates_simulator() {
    // 300 new items, 10 a day, 60 days, no fuzz, no limits on reviews: the plan's learner and
    // kubedrill's scheduler against fsrs::simulate with the same rating odds and 2 learning
    // and 1 relearning steps.
    let (size, per_day, span) = (300usize, 10usize, 60usize);
    let scheduler = Scheduler::new(Config {
        fuzz: false,
        ..Config::default()
    })
    .unwrap();
    let decks = [PlanDeck {
        items: (0..size)
            .map(|index| PlanItem {
                state: None,
                fuzz_key: format!("item-{index}"),
                seconds: 10.0,
            })
            .collect(),
        new_seen_today: 0,
        reviews_done_today: 0,
    }];
    let input = PlanInput {
        scheduler: &scheduler,
        decks: &decks,
        now: start(),
        zone: &TimeZone::UTC,
        day_starts_at: DAY_STARTS_AT,
        // Here only the end of the simulation: the scheduler has no exam.
        exam: date_in(span as i64),
        new_per_day: per_day,
        reviews_per_day: usize::MAX,
    };
    let ours = plan::forecast(&input, per_day);
    let config = fsrs::SimulatorConfig {
        deck_size: size,
        learn_span: span + 1,
        max_cost_perday: f32::INFINITY,
        learn_limit: per_day,
        ..fsrs::SimulatorConfig::default()
    };
    let runs = 20;
    let (mut reviews, mut memorized) = (0.0, 0.0);
    for seed in 0..runs {
        let theirs =
            fsrs::simulate(&config, &fsrs::DEFAULT_PARAMETERS, 0.9, Some(seed), None).unwrap();
        reviews += theirs.review_cnt_per_day[..span].iter().sum::<usize>() as f64;
        memorized += f64::from(theirs.memorized_cnt_per_day[span]);
        assert_eq!(theirs.learn_cnt_per_day[..span].iter().sum::<usize>(), size);
    }
    let (reviews, memorized) = (reviews / runs as f64, memorized / runs as f64);
    let our_reviews = ours.days.iter().map(|day| day.reviews).sum::<usize>() as f64;
    let our_new: usize = ours.days.iter().map(|day| day.new).sum();
    assert_eq!(our_new, size);
    assert_eq!(ours.days[0].new, per_day);
    // The stated tolerance: reviews within 10 %, recall on the last day within 0.02.
    assert!(
        (our_reviews - reviews).abs() <= 0.10 * reviews,
        "reviews over {span} days: ours {our_reviews}, fsrs {reviews}"
    );
    let their_recall = memorized / size as f64;
    assert!(
        (ours.predicted_recall - their_recall).abs() <= 0.02,
        "mean recall on day {span}: ours {:.4}, fsrs {their_recall:.4}",
        ours.predicted_recall
    );
}

/// Runs the binary with a private data directory at a fixed time.
fn kubedrill(args: &[&str], data_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("KUBEDRILL_DATA_DIR")
        .env("KUBEDRILL_NOW", START)
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .output()
        .expect("the kubedrill binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn plan_json_lists_every_day_to_the_exam_with_new_reviews_and_minutes() {
    let data = tempfile::tempdir().unwrap();
    let exam = date_in(14).to_string();
    let set = kubedrill(&["config", "set", "exam-date", &exam], data.path());
    assert_eq!(set.status.code(), Some(0), "{}", text(&set.stderr));
    let output = kubedrill(&["plan", "--format", "json"], data.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["exam_date"], exam.as_str());
    assert_eq!(document["target_retention"], 0.95);
    assert_eq!(document["new_per_day"], 20);
    let days = document["days"].as_array().unwrap();
    assert_eq!(days.len(), 14);
    assert_eq!(days[0]["date"], date_in(0).to_string());
    assert_eq!(days[13]["date"], date_in(13).to_string());
    for day in days {
        assert!(day["new"].is_u64() && day["reviews"].is_u64() && day["minutes"].is_f64());
    }
    // 14 days out leaves 7 days for new items: the built-in deck needs more than 20 a day, at
    // least a seventh of it a day, and more when seeing them that late would leave the exam-day
    // recall under the target (the planner then takes the smallest limit that reaches it).
    let items = study::entries(&built_in()).len();
    let needed = document["needed_new_per_day"].as_u64().unwrap() as usize;
    assert!(needed >= items.div_ceil(7), "{needed} for {items} items");
    assert_eq!(document["on_track"], false);
    assert_eq!(document["new_items_end"], date_in(6).to_string());
    assert_eq!(document["minutes_source"]["card"], "default");
    // The days are at the needed limit: every item is seen by day 6, none after.
    let new: u64 = days.iter().map(|day| day["new"].as_u64().unwrap()).sum();
    assert_eq!(new, items as u64);
    assert!(days[7..].iter().all(|day| day["new"] == 0));
    assert!(
        days.iter()
            .all(|day| day["new"].as_u64().unwrap() as usize <= needed)
    );
    // The same in words, and `due` warns.
    let words = text(&kubedrill(&["plan", "--lang", "en"], data.path()).stdout);
    assert!(
        words.contains(&format!("Behind: {needed} new a day needed (now 20)")),
        "{words}"
    );
    assert!(words.contains(&format!("kubedrill config set new-per-day {needed}")));
    let korean = text(&kubedrill(&["plan", "--lang", "ko"], data.path()).stdout);
    assert!(
        korean.contains(&format!("뒤처짐: 하루 새 항목 {needed}개 필요(현재 20개)")),
        "{korean}"
    );
    let due = text(&kubedrill(&["due", "--lang", "en"], data.path()).stdout);
    assert!(
        due.contains(&format!(
            "{needed} a day are needed: kubedrill config set new-per-day {needed}"
        )),
        "{due}"
    );
    let due_json: serde_json::Value =
        serde_json::from_slice(&kubedrill(&["due", "--format", "json"], data.path()).stdout)
            .unwrap();
    assert_eq!(due_json["plan_warning"]["needed_new_per_day"], needed);
    // Raised, it is on track and `due` says nothing.
    let raise = kubedrill(
        &["config", "set", "new-per-day", &needed.to_string()],
        data.path(),
    );
    assert_eq!(raise.status.code(), Some(0));
    let words = text(&kubedrill(&["plan"], data.path()).stdout);
    assert!(words.contains("On track"), "{words}");
    let due_json: serde_json::Value =
        serde_json::from_slice(&kubedrill(&["due", "--format", "json"], data.path()).stdout)
            .unwrap();
    assert!(due_json["plan_warning"].is_null());
}

#[test]
fn a_past_or_missing_exam_date_exits_2_saying_what_to_do() {
    let data = tempfile::tempdir().unwrap();
    let none = kubedrill(&["plan"], data.path());
    assert_eq!(none.status.code(), Some(2));
    assert!(
        text(&none.stderr).contains("no exam date is set"),
        "{}",
        text(&none.stderr)
    );
    let past = kubedrill(&["plan", "--exam-date", "2026-12-01"], data.path());
    assert_eq!(past.status.code(), Some(2));
    let said = text(&past.stderr);
    assert!(
        said.contains("the exam date 2026-12-01 is in the past (today is 2027-01-04)"),
        "{said}"
    );
    assert!(past.stdout.is_empty());
    let json = kubedrill(
        &["plan", "--format", "json", "--exam-date", "2026-12-01"],
        data.path(),
    );
    assert_eq!(json.status.code(), Some(2));
    assert!(json.stdout.is_empty());
    // The setting refuses a past date too.
    let set = kubedrill(&["config", "set", "exam-date", "2026-12-01"], data.path());
    assert_eq!(set.status.code(), Some(2));
    assert!(
        text(&set.stderr).contains("in the past"),
        "{}",
        text(&set.stderr)
    );
    let korean = kubedrill(
        &["plan", "--lang", "ko", "--exam-date", "2026-12-01"],
        data.path(),
    );
    assert_eq!(korean.status.code(), Some(2));
    assert!(
        text(&korean.stderr).contains("이미 지났습니다"),
        "{}",
        text(&korean.stderr)
    );
}

#[test]
fn setting_or_clearing_the_exam_date_leaves_the_history_alone() {
    let data = tempfile::tempdir().unwrap();
    let deck = built_in();
    let entries = study::entries(&deck);
    let scheduler = Scheduler::new(Config::default()).unwrap();
    let rated_at = start() - SignedDuration::from_hours(24 * 3);
    {
        let mut store = kubedrill::store::Store::open_in(data.path(), start())
            .unwrap()
            .store;
        for entry in &entries[..5] {
            study::rate(
                &mut store,
                &scheduler,
                entry,
                None,
                Rating::Good,
                rated_at,
                Some(8_000),
                None,
            )
            .unwrap();
        }
    }
    let history = || {
        let store = kubedrill::store::Store::open_in(data.path(), start())
            .unwrap()
            .store;
        let mut states: Vec<(String, ItemState)> = store
            .states(deck.id.as_str())
            .unwrap()
            .into_iter()
            .collect();
        states.sort_by(|a, b| a.0.cmp(&b.0));
        (store.review_count().unwrap(), states)
    };
    let before = history();
    assert_eq!(before.0, 5);
    let exam = date_in(20).to_string();
    for args in [
        vec!["config", "set", "exam-date", exam.as_str()],
        vec!["plan"],
        vec!["due"],
        vec!["config", "unset", "exam-date"],
    ] {
        let output = kubedrill(&args, data.path());
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert_eq!(history(), before, "after {args:?}");
    }
}
