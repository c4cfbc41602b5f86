//! Spaced-repetition scheduling: FSRS-6, pure arithmetic over a given `now`.
//!
//! Words: a **Rating** (Again/Hard/Good/Easy) is how well something was remembered; a
//! **Phase** is where an item is in its life (New, Learning, Review, Relearning); an item's
//! **memory** is its FSRS stability (days until recall drops to 90 %) and difficulty (1–10).
//!
//! The memory model (stability and difficulty after a review, short-term stability for
//! same-day reviews) is the `fsrs` crate's FSRS-6 with its default parameters, or the learner's
//! own once `kubedrill optimize` has fitted them. The crate schedules in whole days only, so the
//! short-term learning and relearning steps (1 m, 10 m / 10 m), the rounding of intervals, fuzz
//! and the maximum interval are written here after py-fsrs, the reference implementation; the
//! tests replay sequences generated with py-fsrs and agree with it to the day.
//!
//! kubedrill adds two things of its own:
//! - an **exam date** ([`ExamPlan`]): as it nears, the desired retention rises, and an item
//!   that would not be remembered well enough on the exam day is never scheduled past it;
//! - graded work is scheduled too: [`Attempt::rating`] turns an exercise or drill result into a
//!   Rating (documented there).

pub mod optimize;
pub mod plan;
pub mod queue;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// How well an item was remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    pub fn from_number(number: i64) -> Option<Rating> {
        Rating::ALL
            .into_iter()
            .find(|rating| *rating as i64 == number)
    }

    pub fn number(self) -> u32 {
        self as u32
    }
}

/// Where an item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Never studied.
    New,
    /// Being learnt: short steps (minutes) until it graduates to Review.
    Learning,
    /// Remembered: intervals in days.
    Review,
    /// Forgotten after being learnt: short steps again.
    Relearning,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::New => "new",
            Phase::Learning => "learning",
            Phase::Review => "review",
            Phase::Relearning => "relearning",
        }
    }

    pub fn from_name(name: &str) -> Option<Phase> {
        [
            Phase::New,
            Phase::Learning,
            Phase::Review,
            Phase::Relearning,
        ]
        .into_iter()
        .find(|phase| phase.name() == name)
    }
}

/// FSRS memory: stability in days, difficulty from 1 to 10.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    pub stability: f64,
    pub difficulty: f64,
}

/// Everything the scheduler knows about one item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemState {
    pub phase: Phase,
    /// The learning or relearning step the item is at (from 0).
    pub step: Option<usize>,
    pub memory: Option<Memory>,
    /// When it is next due.
    pub due: Timestamp,
    pub last_review: Option<Timestamp>,
    /// Reviews so far.
    pub reps: u32,
    /// Times it was forgotten after being learnt.
    pub lapses: u32,
}

impl ItemState {
    /// A never-studied item, due from `now`.
    pub fn new(now: Timestamp) -> ItemState {
        ItemState {
            phase: Phase::New,
            step: None,
            memory: None,
            due: now,
            last_review: None,
            reps: 0,
            lapses: 0,
        }
    }
}

/// The learner's exam: the moment it starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExamPlan {
    pub starts: Timestamp,
}

/// How many days before the exam the desired retention starts to rise.
pub const EXAM_RAMP_DAYS: f64 = 30.0;
/// The retention aimed at on the exam day itself.
pub const EXAM_RETENTION: f64 = 0.95;

/// Scheduler settings (py-fsrs's defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The 21 FSRS-6 parameters; empty means the defaults.
    pub parameters: Vec<f32>,
    /// The probability of recall reviews are scheduled for (0.70–0.99).
    pub desired_retention: f64,
    pub learning_steps: Vec<SignedDuration>,
    pub relearning_steps: Vec<SignedDuration>,
    /// No Review interval is longer (days).
    pub maximum_interval: u32,
    /// Spread Review intervals a little so items learnt together do not stay together.
    pub fuzz: bool,
    pub exam: Option<ExamPlan>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            parameters: Vec::new(),
            desired_retention: 0.9,
            learning_steps: vec![SignedDuration::from_mins(1), SignedDuration::from_mins(10)],
            relearning_steps: vec![SignedDuration::from_mins(10)],
            maximum_interval: 36_500,
            fuzz: true,
            exam: None,
        }
    }
}

/// Why a [`Config`] cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("desired retention must be between 0.70 and 0.99, not {0}")]
    Retention(f64),
    #[error("the FSRS parameters are not usable: {0}")]
    Parameters(String),
}

/// The FSRS-6 scheduler.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: fsrs::FSRS,
    config: Config,
    decay: f64,
    factor: f64,
}

const SECONDS_PER_DAY: i64 = 86_400;

impl Scheduler {
    pub fn new(config: Config) -> Result<Scheduler, ConfigError> {
        if !(0.70..=0.99).contains(&config.desired_retention) {
            return Err(ConfigError::Retention(config.desired_retention));
        }
        let fsrs = fsrs::FSRS::new(&config.parameters)
            .map_err(|error| ConfigError::Parameters(error.to_string()))?;
        let w20 = if config.parameters.len() == 21 {
            f64::from(config.parameters[20])
        } else {
            f64::from(fsrs::DEFAULT_PARAMETERS[20])
        };
        let decay = -w20;
        let factor = 0.9f64.powf(1.0 / decay) - 1.0;
        Ok(Scheduler {
            fsrs,
            config,
            decay,
            factor,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The forgetting curve's exponent: recall after `t` days at stability `s` is
    /// `(1 + factor · t / s) ^ decay`.
    pub fn decay(&self) -> f64 {
        self.decay
    }

    /// The forgetting curve's factor (see [`Scheduler::decay`]).
    pub fn factor(&self) -> f64 {
        self.factor
    }

    /// The probability of recalling the item at `now` (0 for a new item).
    pub fn retrievability(&self, state: &ItemState, now: Timestamp) -> f64 {
        match (state.memory, state.last_review) {
            (Some(memory), Some(last)) => {
                let days = whole_days(now.duration_since(last)).max(0) as f64;
                (1.0 + self.factor * days / memory.stability).powf(self.decay)
            }
            _ => 0.0,
        }
    }

    /// The desired retention at `now`: the setting, raised linearly over the
    /// [`EXAM_RAMP_DAYS`] before the exam up to [`EXAM_RETENTION`] (never lowered).
    pub fn retention_at(&self, now: Timestamp) -> f64 {
        let base = self.config.desired_retention;
        match self.config.exam {
            Some(exam) if now < exam.starts && base < EXAM_RETENTION => {
                let days_left = now.duration_until(exam.starts).as_secs_f64() / 86_400.0;
                let progress = (1.0 - days_left / EXAM_RAMP_DAYS).clamp(0.0, 1.0);
                base + (EXAM_RETENTION - base) * progress
            }
            _ => base,
        }
    }

    /// The state after rating the item at `now`. `fuzz` is a number in [0, 1) that picks the
    /// fuzzed interval (callers derive it from the item and its review count, so replays agree).
    pub fn review(
        &self,
        state: &ItemState,
        rating: Rating,
        now: Timestamp,
        fuzz: f64,
    ) -> ItemState {
        let elapsed = state
            .last_review
            .map(|last| whole_days(now.duration_since(last)).max(0));
        let memory = self.next_memory(state, rating, elapsed);
        let mut next = ItemState {
            phase: state.phase,
            step: state.step,
            memory: Some(memory),
            due: now,
            last_review: Some(now),
            reps: state.reps + 1,
            lapses: state.lapses,
        };
        let wait: Wait = match state.phase {
            Phase::New | Phase::Learning => {
                let step = state.step.unwrap_or(0);
                self.step_wait(&mut next, step, rating, &self.config.learning_steps)
            }
            Phase::Review => {
                if rating == Rating::Again {
                    next.lapses += 1;
                    if self.config.relearning_steps.is_empty() {
                        Wait::Days
                    } else {
                        next.phase = Phase::Relearning;
                        next.step = Some(0);
                        Wait::Exactly(self.config.relearning_steps[0])
                    }
                } else {
                    Wait::Days
                }
            }
            Phase::Relearning => {
                let step = state.step.unwrap_or(0);
                self.step_wait(&mut next, step, rating, &self.config.relearning_steps)
            }
        };
        next.due = match wait {
            Wait::Exactly(duration) => now + duration,
            Wait::Days => {
                next.phase = Phase::Review;
                next.step = None;
                let days = self.interval_days(memory.stability, now, fuzz);
                now + SignedDuration::from_secs(i64::from(days) * SECONDS_PER_DAY)
            }
        };
        next
    }

    /// What each rating would do (for showing "1m  10m  3d  8d" on the rating keys).
    pub fn preview(&self, state: &ItemState, now: Timestamp, fuzz: f64) -> [ItemState; 4] {
        Rating::ALL.map(|rating| self.review(state, rating, now, fuzz))
    }

    fn next_memory(&self, state: &ItemState, rating: Rating, elapsed_days: Option<i64>) -> Memory {
        let current = state.memory.map(|memory| fsrs::MemoryState {
            stability: memory.stability as f32,
            difficulty: memory.difficulty as f32,
        });
        let days = elapsed_days.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32;
        let next = self
            .fsrs
            .next_states(current, self.config.desired_retention as f32, days)
            .expect("FSRS states are finite for valid parameters and memory");
        let chosen = match rating {
            Rating::Again => next.again,
            Rating::Hard => next.hard,
            Rating::Good => next.good,
            Rating::Easy => next.easy,
        };
        Memory {
            stability: f64::from(chosen.memory.stability),
            difficulty: f64::from(chosen.memory.difficulty),
        }
    }

    /// Moves a learning or relearning item along its steps (py-fsrs's rules).
    fn step_wait(
        &self,
        next: &mut ItemState,
        step: usize,
        rating: Rating,
        steps: &[SignedDuration],
    ) -> Wait {
        if next.phase == Phase::New {
            next.phase = Phase::Learning;
        }
        next.step = Some(step);
        if steps.is_empty() || (step >= steps.len() && rating != Rating::Again) {
            return Wait::Days;
        }
        match rating {
            Rating::Again => {
                next.step = Some(0);
                Wait::Exactly(steps[0])
            }
            Rating::Hard => Wait::Exactly(match (step, steps.len()) {
                (0, 1) => steps[0] * 3 / 2,
                (0, _) => (steps[0] + steps[1]) / 2,
                (step, _) => steps[step.min(steps.len() - 1)],
            }),
            Rating::Good if step + 1 >= steps.len() => Wait::Days,
            Rating::Good => {
                next.step = Some(step + 1);
                Wait::Exactly(steps[step + 1])
            }
            Rating::Easy => Wait::Days,
        }
    }

    /// Days until the next review for this stability: FSRS's interval for the retention at
    /// `now` (rounded half to even, as py-fsrs rounds), fuzzed, capped by the maximum interval
    /// and by the exam date.
    fn interval_days(&self, stability: f64, now: Timestamp, fuzz: f64) -> u32 {
        let retention = self.retention_at(now);
        let raw = stability / self.factor * (retention.powf(1.0 / self.decay) - 1.0);
        let maximum = f64::from(self.config.maximum_interval.max(1));
        let mut days = raw.round_ties_even().clamp(1.0, maximum);
        if self.config.fuzz {
            days = fuzzed(days, fuzz, maximum);
        }
        let mut days = days as u32;
        if let Some(exam) = self.config.exam
            && now < exam.starts
        {
            // Never past the exam for an item that would be below the exam's retention there.
            let until_exam = now.duration_until(exam.starts);
            let due = now + SignedDuration::from_secs(i64::from(days) * SECONDS_PER_DAY);
            let exam_days = whole_days(until_exam).max(0) as f64;
            let recall_at_exam = (1.0 + self.factor * exam_days / stability).powf(self.decay);
            if due > exam.starts && recall_at_exam < EXAM_RETENTION {
                days = (whole_days(until_exam) - 1).max(1) as u32;
            }
        }
        days
    }
}

enum Wait {
    Exactly(SignedDuration),
    Days,
}

/// Whole days in a duration, rounded down (as Python's `timedelta.days`).
fn whole_days(duration: SignedDuration) -> i64 {
    duration.as_secs().div_euclid(SECONDS_PER_DAY)
}

/// py-fsrs's fuzz ranges: ±(1 + 15 % of the days in 2.5–7, 10 % in 7–20, 5 % beyond). The
/// day within the range is `fuzz`'s share of it, rounded down (py-fsrs rounds to nearest, which
/// can land one day past its own range).
fn fuzzed(days: f64, fuzz: f64, maximum: f64) -> f64 {
    if days < 2.5 {
        return days;
    }
    let ranges = [
        (2.5, 7.0, 0.15),
        (7.0, 20.0, 0.10),
        (20.0, f64::INFINITY, 0.05),
    ];
    let delta = 1.0
        + ranges
            .iter()
            .map(|(start, end, factor)| factor * (days.min(*end) - start).max(0.0))
            .sum::<f64>();
    let low = (days - delta).round_ties_even().max(2.0);
    let high = (days + delta).round_ties_even().min(maximum);
    let low = low.min(high);
    (fuzz.clamp(0.0, 0.999_999) * (high - low + 1.0) + low)
        .floor()
        .min(maximum)
}

/// A learner's study day: from `day_starts_at` o'clock local time to the same hour the next
/// day (4 am by default, as Anki), so a late-night session still counts for the evening's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: Date,
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Day {
    pub fn of(at: Timestamp, zone: &TimeZone, day_starts_at: i8) -> Day {
        let hour = day_starts_at.clamp(0, 23);
        let local = zone.to_datetime(at);
        let shifted = local
            .checked_sub(SignedDuration::from_hours(i64::from(hour)))
            .unwrap_or(local);
        let date = shifted.date();
        let start_of = |date: Date| {
            zone.to_ambiguous_timestamp(date.at(hour, 0, 0, 0))
                .compatible()
                .unwrap_or(at)
        };
        let next = date.tomorrow().unwrap_or(date);
        Day {
            date,
            start: start_of(date),
            end: start_of(next),
        }
    }
}

/// The result of one graded attempt at an exercise, drill or quiz question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attempt {
    pub passed: bool,
    /// Hints shown before this answer.
    pub hints_used: u32,
    /// The solution was shown (then a pass proves little).
    pub solution_seen: bool,
    /// Submissions so far, this one included (1 = first try).
    pub tries: u32,
    /// Time from opening the task to this submission.
    pub seconds: f64,
    /// How long the task should take someone who knows it (see [`expected_seconds`]).
    pub expected_seconds: f64,
}

impl Attempt {
    /// The Rating a graded attempt counts as:
    /// - not passed, or passed after seeing the solution → **Again**;
    /// - passed after a hint, after more than two tries, or in over twice the expected time →
    ///   **Hard**;
    /// - passed on the first try in at most half the expected time → **Easy**;
    /// - otherwise passed → **Good**.
    pub fn rating(&self) -> Rating {
        if !self.passed || self.solution_seen {
            Rating::Again
        } else if self.hints_used > 0
            || self.tries > 2
            || self.seconds > 2.0 * self.expected_seconds
        {
            Rating::Hard
        } else if self.tries == 1 && self.seconds <= self.expected_seconds / 2.0 {
            Rating::Easy
        } else {
            Rating::Good
        }
    }
}

/// What kind of work an item is, for the time it should take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// A YAML exercise of difficulty 1–3.
    Exercise(u8),
    Drill,
    Question,
}

/// The time a task should take someone who knows it: about what the CKA allows per task.
pub fn expected_seconds(work: Work) -> f64 {
    match work {
        Work::Exercise(difficulty) => 240.0 * f64::from(difficulty.clamp(1, 3)),
        Work::Drill => 45.0,
        Work::Question => 30.0,
    }
}

/// A stable number in [0, 1) for an item's n-th review, so fuzz is the same on every replay.
pub fn fuzz_seed(key: &str, reps: u32) -> f64 {
    // FNV-1a over the key and the count, then the top 53 bits as a fraction.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes().chain(reps.to_le_bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn scheduler(config: Config) -> Scheduler {
        Scheduler::new(Config {
            fuzz: false,
            ..config
        })
        .unwrap()
    }

    #[test]
    fn a_new_card_walks_the_learning_steps_then_graduates() {
        let scheduler = scheduler(Config::default());
        let now = at("2026-01-01T09:00:00Z");
        let state = ItemState::new(now);
        let [again, hard, good, easy] = scheduler.preview(&state, now, 0.0);
        assert_eq!(again.due, now + SignedDuration::from_mins(1));
        assert_eq!(
            hard.due,
            now + SignedDuration::from_secs(330),
            "halfway between 1m and 10m"
        );
        assert_eq!(good.due, now + SignedDuration::from_mins(10));
        assert_eq!((good.phase, good.step), (Phase::Learning, Some(1)));
        assert_eq!(easy.phase, Phase::Review);
        assert!(easy.due >= now + SignedDuration::from_hours(24 * 8));
        let later = now + SignedDuration::from_mins(10);
        let graduated = scheduler.review(&good, Rating::Good, later, 0.0);
        assert_eq!(graduated.phase, Phase::Review);
        assert_eq!(
            graduated.due.duration_since(later).as_hours() % 24,
            0,
            "whole days"
        );
    }

    #[test]
    fn forgetting_a_review_card_relearns_and_counts_a_lapse() {
        let scheduler = scheduler(Config::default());
        let now = at("2026-01-01T09:00:00Z");
        let learnt = scheduler.review(&ItemState::new(now), Rating::Easy, now, 0.0);
        let later = learnt.due;
        let forgot = scheduler.review(&learnt, Rating::Again, later, 0.0);
        assert_eq!(
            (forgot.phase, forgot.step, forgot.lapses),
            (Phase::Relearning, Some(0), 1)
        );
        assert_eq!(forgot.due, later + SignedDuration::from_mins(10));
        assert!(forgot.memory.unwrap().stability < learnt.memory.unwrap().stability);
    }

    #[test]
    fn fuzz_stays_within_py_fsrs_ranges_and_is_reproducible() {
        for (days, low, high) in [(2.0, 2.0, 2.0), (10.0, 8.0, 12.0), (100.0, 93.0, 107.0)] {
            for step in 0..100 {
                let fuzzed = fuzzed(days, f64::from(step) / 100.0, 36_500.0);
                assert!((low..=high).contains(&fuzzed), "{days} → {fuzzed}");
            }
        }
        assert_eq!(
            fuzz_seed("cka/configmaps/x", 3),
            fuzz_seed("cka/configmaps/x", 3)
        );
        assert_ne!(
            fuzz_seed("cka/configmaps/x", 3),
            fuzz_seed("cka/configmaps/x", 4)
        );
    }

    #[test]
    fn near_the_exam_retention_rises_and_weak_items_come_back_before_it() {
        let now = at("2026-03-01T09:00:00Z");
        let exam = ExamPlan {
            starts: at("2026-03-11T09:00:00Z"),
        };
        let plain = scheduler(Config::default());
        let with_exam = scheduler(Config {
            exam: Some(exam),
            ..Config::default()
        });
        assert_eq!(plain.retention_at(now), 0.9);
        let retention = with_exam.retention_at(now);
        assert!(
            (retention - (0.9 + 0.05 * 20.0 / 30.0)).abs() < 1e-9,
            "{retention}"
        );
        assert_eq!(
            with_exam.retention_at(exam.starts),
            0.9,
            "after the exam: the setting again"
        );
        // An item known for a week or so would next be due after the exam, when it would be
        // below the exam's retention: with the exam in 10 days it comes back before it.
        let weak = ItemState {
            phase: Phase::Review,
            step: None,
            memory: Some(Memory {
                stability: 8.0,
                difficulty: 7.0,
            }),
            due: now,
            last_review: Some(now - SignedDuration::from_hours(24 * 8)),
            reps: 5,
            lapses: 0,
        };
        let without = with_exam.review(&weak, Rating::Good, now, 0.0);
        let uncapped = plain.review(&weak, Rating::Good, now, 0.0);
        assert!(uncapped.due > exam.starts);
        let capped = without;
        assert!(capped.due < exam.starts, "{} is after the exam", capped.due);
        // An item so stable it will still be remembered on the day keeps its interval.
        let solid = ItemState {
            memory: Some(Memory {
                stability: 3000.0,
                difficulty: 2.0,
            }),
            last_review: Some(now - SignedDuration::from_hours(24 * 400)),
            ..weak
        };
        assert!(with_exam.review(&solid, Rating::Good, now, 0.0).due > exam.starts);
    }

    #[test]
    fn graded_attempts_map_to_ratings_as_documented() {
        let base = Attempt {
            passed: true,
            hints_used: 0,
            solution_seen: false,
            tries: 1,
            seconds: 200.0,
            expected_seconds: 240.0,
        };
        assert_eq!(base.rating(), Rating::Good);
        assert_eq!(
            Attempt {
                passed: false,
                ..base
            }
            .rating(),
            Rating::Again
        );
        assert_eq!(
            Attempt {
                solution_seen: true,
                ..base
            }
            .rating(),
            Rating::Again
        );
        assert_eq!(
            Attempt {
                hints_used: 1,
                ..base
            }
            .rating(),
            Rating::Hard
        );
        assert_eq!(Attempt { tries: 3, ..base }.rating(), Rating::Hard);
        assert_eq!(
            Attempt {
                seconds: 500.0,
                ..base
            }
            .rating(),
            Rating::Hard
        );
        assert_eq!(
            Attempt {
                seconds: 100.0,
                ..base
            }
            .rating(),
            Rating::Easy
        );
        assert_eq!(
            Attempt {
                seconds: 100.0,
                tries: 2,
                ..base
            }
            .rating(),
            Rating::Good
        );
    }

    #[test]
    fn a_study_day_starts_at_the_chosen_local_hour() {
        let seoul = TimeZone::get("Asia/Seoul").unwrap();
        // 02:30 in Seoul on 3 March still belongs to the study day of 2 March.
        let late = at("2026-03-02T17:30:00Z");
        let day = Day::of(late, &seoul, 4);
        assert_eq!(day.date.to_string(), "2026-03-02");
        assert_eq!(day.start, at("2026-03-01T19:00:00Z"), "04:00 in Seoul");
        assert_eq!(day.end, at("2026-03-02T19:00:00Z"));
        assert_eq!(
            Day::of(at("2026-03-02T19:00:00Z"), &seoul, 4)
                .date
                .to_string(),
            "2026-03-03"
        );
        assert_eq!(
            Day::of(late, &TimeZone::UTC, 0).date.to_string(),
            "2026-03-02"
        );
    }

    #[test]
    fn bad_settings_are_refused() {
        assert_eq!(
            Scheduler::new(Config {
                desired_retention: 0.5,
                ..Config::default()
            })
            .unwrap_err(),
            ConfigError::Retention(0.5)
        );
        assert!(
            Scheduler::new(Config {
                parameters: vec![1.0; 5],
                ..Config::default()
            })
            .is_err()
        );
    }
}
