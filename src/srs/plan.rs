//! The exam-date plan: how many new items a day it takes to see every item a week before the
//! exam and to remember what was learnt on the day, found by running kubedrill's own scheduler
//! forward, day by day, with a simulated learner. Pure: it takes the items' states, the
//! scheduler (the learner's FSRS parameters, retention and exam), the time and the limits.
//!
//! **The simulation.** Each study day from today to the day before the exam, the learner works
//! through the queue [`super::queue::build`] gives — learning steps, due reviews, new items up
//! to the new limit, reviews up to the review limit — and rates each item; every rating goes
//! through [`Scheduler::review`], so exam ramp, interval caps and learning steps are the ones
//! kubedrill will apply. The learner's ratings follow the `fsrs` crate's simulator: a first
//! rating drawn from its first-rating odds; in learning and relearning steps, the next rating
//! drawn from its step transition odds; in review, recall drawn from the FSRS prediction (the
//! item's retrievability on the day), and a remembered item rated Hard, Good or Easy with its
//! review-rating odds. The draws come from a seeded generator, so the same inputs give the same
//! plan; the forecast is the mean of [`RUNS`] runs with different seeds.
//!
//! **The target.** With an exam date the scheduler raises the desired retention to
//! [`EXAM_RETENTION`] (0.95) over the last [`EXAM_RAMP_DAYS`] days and brings back, the day
//! before the exam, any item whose recall there would be below it. So what it aims at on the
//! exam day is 0.95, or the learner's setting when that is higher: [`target_retention`]. The
//! plan is measured against that, not against the everyday setting.
//!
//! **The rule.** Every item must be first seen at least a week before the exam: by the day
//! [`NEW_ITEMS_END_DAYS`] (8) days before it, so the last 7 days hold reviews only. The
//! needed new items a day is the smallest limit that does that for every deck (limits are per
//! deck) and whose simulated mean recall on the exam day reaches the target; when no limit
//! reaches the target (the exam is too close), the one that sees everything in time.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::queue::{self, Limits};
use super::{Day, EXAM_RETENTION, ItemState, Phase, Rating, Scheduler};

/// Days before the exam by which every item must have been seen: the 7 days before the exam
/// hold no new items.
pub const NEW_ITEMS_END_DAYS: i32 = 8;
/// Runs of the simulated learner the forecast is the mean of.
pub const RUNS: u64 = 4;
/// The seed of the first run.
pub const SEED: u64 = 0x6b75_6265_6472_696c;

/// The `fsrs` crate simulator's odds of the first rating (Again, Hard, Good, Easy).
pub const FIRST_RATING_ODDS: [f64; 4] = [0.24, 0.094, 0.495, 0.171];
/// The `fsrs` crate simulator's odds of Hard, Good, Easy for a remembered review.
pub const REVIEW_RATING_ODDS: [f64; 3] = [0.224, 0.631, 0.145];
/// The `fsrs` crate simulator's odds of the next rating in a learning step, by the last rating
/// (Again, Hard, Good).
pub const LEARNING_STEP_ODDS: [[f64; 4]; 3] = [
    [0.3686, 0.0628, 0.5108, 0.0577],
    [0.0442, 0.4553, 0.4457, 0.0549],
    [0.0519, 0.047, 0.8462, 0.055],
];
/// The same for relearning steps.
pub const RELEARNING_STEP_ODDS: [[f64; 4]; 3] = [
    [0.2157, 0.0643, 0.6595, 0.0604],
    [0.05, 0.4638, 0.4475, 0.0387],
    [0.1057, 0.1434, 0.7266, 0.0244],
];

/// The recall the plan aims at on the exam day: what the scheduler aims at there
/// ([`EXAM_RETENTION`]), or the learner's desired retention when it is higher.
pub fn target_retention(desired_retention: f64) -> f64 {
    desired_retention.max(EXAM_RETENTION)
}

/// One item as the plan sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanItem {
    /// Its state (`None`: never studied).
    pub state: Option<ItemState>,
    /// What its review fuzz is derived from (`srs::fuzz_seed`'s key), as the real reviews.
    pub fuzz_key: String,
    /// How long one rating of it takes, in seconds.
    pub seconds: f64,
}

/// One deck: its items in deck order and what today's limits have used already.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDeck {
    pub items: Vec<PlanItem>,
    /// New items first seen today already.
    pub new_seen_today: usize,
    /// Reviews done today already.
    pub reviews_done_today: usize,
}

/// Everything the plan is computed from.
#[derive(Debug, Clone)]
pub struct PlanInput<'a> {
    /// The scheduler, with the exam in its config.
    pub scheduler: &'a Scheduler,
    pub decks: &'a [PlanDeck],
    pub now: Timestamp,
    pub zone: &'a TimeZone,
    pub day_starts_at: i8,
    pub exam: Date,
    pub new_per_day: usize,
    pub reviews_per_day: usize,
}

/// One day of the forecast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanDay {
    pub date: Date,
    /// New items first seen.
    pub new: usize,
    /// Reviews: ratings of items in the Review phase (what `reviews-per-day` limits).
    pub reviews: usize,
    /// Time for every rating of the day: new items, their learning steps, reviews and
    /// relearning steps.
    pub minutes: f64,
}

/// What one limit leads to (the mean of the runs).
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub new_per_day: usize,
    pub days: Vec<PlanDay>,
    /// The study day the last item is first seen (`None`: some item is never seen before the
    /// exam; today when every item is seen already).
    pub all_seen_by: Option<Date>,
    /// The mean predicted recall of every item on the exam day (an item never seen counts 0).
    pub predicted_recall: f64,
}

/// The plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub exam: Date,
    pub target_retention: f64,
    /// The learner's limit now.
    pub new_per_day: usize,
    /// The smallest limit that meets the rule (`None`: the exam is too close to see the items
    /// not yet seen a week before it).
    pub needed_new_per_day: Option<usize>,
    /// Whether the present limit meets the rule.
    pub on_track: bool,
    /// Items never studied yet.
    pub unseen: usize,
    /// The last day new items may be first seen.
    pub new_items_end: Date,
    /// Whether the needed limit also reaches the target on the exam day (it may not when the
    /// exam is near).
    pub reaches_target: bool,
    /// The forecast at the present limit.
    pub current: Forecast,
    /// The forecast at the needed limit (the present one when on track).
    pub needed: Forecast,
}

impl Plan {
    /// The forecast the plan shows: at the needed limit when it is higher than the present one,
    /// else at the present one.
    pub fn shown(&self) -> &Forecast {
        if self.on_track {
            &self.current
        } else {
            &self.needed
        }
    }
}

/// Why there is no plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanError {
    /// The exam day is today or past: nothing is left to plan.
    ExamPast { exam: Date, today: Date },
}

/// Computes the plan.
pub fn plan(input: &PlanInput<'_>) -> Result<Plan, PlanError> {
    let today = Day::of(input.now, input.zone, input.day_starts_at).date;
    if input.exam <= today {
        return Err(PlanError::ExamPast {
            exam: input.exam,
            today,
        });
    }
    let target = target_retention(input.scheduler.config().desired_retention);
    let new_items_end = input
        .exam
        .checked_sub(jiff::Span::new().days(NEW_ITEMS_END_DAYS))
        .unwrap_or(input.exam);
    let unseen: usize = input
        .decks
        .iter()
        .map(|deck| deck.items.iter().filter(|item| is_new(item)).count())
        .sum();
    let current = forecast(input, input.new_per_day);
    let seen_in_time = |forecast: &Forecast| {
        forecast
            .all_seen_by
            .is_some_and(|date| date <= new_items_end)
    };
    let meets = |forecast: &Forecast| seen_in_time(forecast) && forecast.predicted_recall >= target;
    let least_to_see = least_limit_to_see(input, today, new_items_end);
    let (needed_new_per_day, needed, reaches_target) = match least_to_see {
        None => (None, current.clone(), current.predicted_recall >= target),
        // Everything seen: no limit changes anything.
        Some(_) if unseen == 0 => (Some(0), current.clone(), meets(&current)),
        Some(least) => {
            let least = least.max(1);
            let at_least = forecast(input, least);
            if meets(&at_least) {
                (Some(least), at_least, true)
            } else {
                // More new items earlier leave more time to learn them: the smallest limit that
                // reaches the target, if any does.
                let most = input
                    .decks
                    .iter()
                    .map(|deck| deck.items.len())
                    .max()
                    .unwrap_or(0)
                    .max(least);
                let at_most = forecast(input, most);
                if meets(&at_most) {
                    let (mut low, mut high, mut best) = (least, most, at_most);
                    while high - low > 1 {
                        let middle = low + (high - low) / 2;
                        let at_middle = forecast(input, middle);
                        if meets(&at_middle) {
                            high = middle;
                            best = at_middle;
                        } else {
                            low = middle;
                        }
                    }
                    (Some(high), best, true)
                } else {
                    (Some(least), at_least, false)
                }
            }
        }
    };
    let on_track = match needed_new_per_day {
        Some(needed) => input.new_per_day >= needed,
        None => unseen == 0,
    };
    let needed = if on_track { current.clone() } else { needed };
    Ok(Plan {
        exam: input.exam,
        target_retention: target,
        new_per_day: input.new_per_day,
        needed_new_per_day,
        on_track,
        unseen,
        new_items_end,
        reaches_target,
        current,
        needed,
    })
}

fn is_new(item: &PlanItem) -> bool {
    item.state
        .as_ref()
        .is_none_or(|state| state.phase == Phase::New)
}

/// The smallest per-deck limit that sees every deck's new items by `end` (`None`: `end` is
/// before today while items are unseen).
fn least_limit_to_see(input: &PlanInput<'_>, today: Date, end: Date) -> Option<usize> {
    let days = end.since(today).map_or(-1, |span| span.get_days()) + 1;
    let mut least = 0;
    for deck in input.decks {
        let unseen = deck.items.iter().filter(|item| is_new(item)).count();
        if unseen == 0 {
            continue;
        }
        if days <= 0 {
            return None;
        }
        // Today's limit is partly used: N - used today + N for each later day >= unseen.
        let days = days as usize;
        let limit = (unseen + deck.new_seen_today).div_ceil(days);
        least = least.max(limit);
    }
    Some(least)
}

/// What the limit `new_per_day` leads to: the mean of [`RUNS`] seeded runs.
pub fn forecast(input: &PlanInput<'_>, new_per_day: usize) -> Forecast {
    let runs: Vec<Run> = (0..RUNS)
        .map(|run| simulate(input, new_per_day, SEED.wrapping_add(run)))
        .collect();
    let count = runs.len() as f64;
    // New items per day are rounded on the running total, so the days add up to what the runs
    // see in all (rounding each day's mean alone could show one item more or less).
    let mut new_so_far = 0.0;
    let mut shown_so_far = 0usize;
    let days = runs[0]
        .days
        .iter()
        .enumerate()
        .map(|(index, day)| {
            let mean = |value: &dyn Fn(&RunDay) -> f64| {
                runs.iter().map(|run| value(&run.days[index])).sum::<f64>() / count
            };
            new_so_far += mean(&|day| day.new as f64);
            let total = new_so_far.round() as usize;
            let new = total.saturating_sub(shown_so_far);
            shown_so_far = shown_so_far.max(total);
            PlanDay {
                date: day.date,
                new,
                reviews: mean(&|day| day.reviews as f64).round() as usize,
                minutes: mean(&|day| day.seconds) / 60.0,
            }
        })
        .collect();
    Forecast {
        new_per_day,
        days,
        // New items do not depend on the ratings: every run sees them on the same days.
        all_seen_by: runs[0].all_seen_by,
        predicted_recall: runs.iter().map(|run| run.recall).sum::<f64>() / count,
    }
}

struct RunDay {
    date: Date,
    new: usize,
    reviews: usize,
    seconds: f64,
}

struct Run {
    days: Vec<RunDay>,
    all_seen_by: Option<Date>,
    recall: f64,
}

/// One run of the simulated learner.
fn simulate(input: &PlanInput<'_>, new_per_day: usize, seed: u64) -> Run {
    let scheduler = input.scheduler;
    let mut rng = Rng::new(seed);
    let today = Day::of(input.now, input.zone, input.day_starts_at);
    // Each later day is studied from the same time into it as today's session starts.
    let into_day = input.now.duration_since(today.start);
    let mut days = Vec::new();
    let mut states: Vec<Vec<Option<ItemState>>> = input
        .decks
        .iter()
        .map(|deck| deck.items.iter().map(|item| item.state.clone()).collect())
        .collect();
    // The last rating of an item in (re)learning steps, for the step odds.
    let mut last_ratings: Vec<Vec<Rating>> = input
        .decks
        .iter()
        .map(|deck| vec![Rating::Good; deck.items.len()])
        .collect();
    let all_seen_already = input
        .decks
        .iter()
        .all(|deck| deck.items.iter().all(|item| !is_new(item)));
    let mut all_seen_by = all_seen_already.then_some(today.date);
    let mut day = today.clone();
    while day.date < input.exam {
        let first = day.date == today.date;
        let start = if first {
            input.now
        } else {
            (day.start + into_day).min(day.end - SignedDuration::from_hours(2))
        };
        let mut result = RunDay {
            date: day.date,
            new: 0,
            reviews: 0,
            seconds: 0.0,
        };
        for (deck_index, deck) in input.decks.iter().enumerate() {
            let states = &mut states[deck_index];
            let last_ratings = &mut last_ratings[deck_index];
            let (mut new_seen, mut reviews_done) = if first {
                (deck.new_seen_today, deck.reviews_done_today)
            } else {
                (0, 0)
            };
            let mut clock = start;
            // Rounds of the queue until nothing is left today (a bound keeps a pathological
            // case finite).
            for _ in 0..64 {
                let borrowed: Vec<Option<&ItemState>> = states.iter().map(Option::as_ref).collect();
                let limits = Limits {
                    new_left: new_per_day.saturating_sub(new_seen),
                    reviews_left: input.reviews_per_day.saturating_sub(reviews_done),
                };
                let built = queue::build(&borrowed, clock, day.end, limits);
                if built.is_empty() {
                    // A learning step later today: wait for it.
                    let next = states
                        .iter()
                        .flatten()
                        .filter(|state| matches!(state.phase, Phase::Learning | Phase::Relearning))
                        .map(|state| state.due)
                        .filter(|due| *due > clock && *due < day.end)
                        .min();
                    match next {
                        Some(due) => {
                            clock = due;
                            continue;
                        }
                        None => break,
                    }
                }
                let order: Vec<usize> = built.order().collect();
                for index in order {
                    if clock >= day.end {
                        break;
                    }
                    let item = &deck.items[index];
                    let before = states[index]
                        .clone()
                        .unwrap_or_else(|| ItemState::new(clock));
                    let rating =
                        learner_rating(scheduler, &before, last_ratings[index], start, &mut rng);
                    match before.phase {
                        Phase::New => {
                            new_seen += 1;
                            result.new += 1;
                        }
                        Phase::Review => {
                            reviews_done += 1;
                            result.reviews += 1;
                        }
                        Phase::Learning | Phase::Relearning => {}
                    }
                    let fuzz = super::fuzz_seed(&item.fuzz_key, before.reps);
                    // Rated at the session's start, so days between reviews are whole days
                    // (a review at 09:00 of an item rated at 09:05 the day before would
                    // count 0 days); the queue's clock moves on for the learning steps.
                    let after = scheduler.review(&before, rating, start, fuzz);
                    last_ratings[index] = rating;
                    states[index] = Some(after);
                    result.seconds += item.seconds;
                    clock += SignedDuration::from_secs_f64(item.seconds.max(1.0));
                }
                if clock >= day.end {
                    break;
                }
            }
        }
        if all_seen_by.is_none()
            && states
                .iter()
                .all(|deck| deck.iter().all(|state| state.is_some()))
        {
            all_seen_by = Some(day.date);
        }
        days.push(result);
        day = Day::of(day.end, input.zone, input.day_starts_at);
    }
    let count: usize = states.iter().map(Vec::len).sum();
    let recall_sum: f64 = states
        .iter()
        .flatten()
        .map(|state| {
            state.as_ref().map_or(0.0, |state| {
                recall_on(scheduler, state, day.date, input.zone, input.day_starts_at)
            })
        })
        .sum();
    Run {
        days,
        all_seen_by,
        recall: if count == 0 {
            1.0
        } else {
            recall_sum / count as f64
        },
    }
}

/// The predicted recall of an item on the study day `date`: FSRS's retrievability after the
/// study days since its last review (an item reviewed the day before has waited one day).
pub fn recall_on(
    scheduler: &Scheduler,
    state: &ItemState,
    date: Date,
    zone: &TimeZone,
    day_starts_at: i8,
) -> f64 {
    let (Some(memory), Some(last)) = (state.memory, state.last_review) else {
        return 0.0;
    };
    let last_day = Day::of(last, zone, day_starts_at).date;
    let days = date
        .since(last_day)
        .map_or(0, |span| span.get_days())
        .max(0);
    let then = Timestamp::UNIX_EPOCH;
    let as_if = ItemState {
        memory: Some(memory),
        last_review: Some(then),
        ..state.clone()
    };
    scheduler.retrievability(
        &as_if,
        then + SignedDuration::from_hours(24 * i64::from(days)),
    )
}

/// The simulated learner's rating of an item (the `fsrs` crate simulator's model).
fn learner_rating(
    scheduler: &Scheduler,
    state: &ItemState,
    last: Rating,
    now: Timestamp,
    rng: &mut Rng,
) -> Rating {
    let row = (last.number() as usize).clamp(1, 3) - 1;
    match state.phase {
        Phase::New => pick(&FIRST_RATING_ODDS, rng),
        Phase::Learning => pick(&LEARNING_STEP_ODDS[row], rng),
        Phase::Relearning => pick(&RELEARNING_STEP_ODDS[row], rng),
        Phase::Review => {
            let recall = scheduler.retrievability(state, now);
            if rng.next_f64() < recall {
                match pick(
                    &[
                        0.0,
                        REVIEW_RATING_ODDS[0],
                        REVIEW_RATING_ODDS[1],
                        REVIEW_RATING_ODDS[2],
                    ],
                    rng,
                ) {
                    Rating::Again => Rating::Good,
                    rating => rating,
                }
            } else {
                Rating::Again
            }
        }
    }
}

/// A rating drawn with the given odds (Again, Hard, Good, Easy).
fn pick(odds: &[f64; 4], rng: &mut Rng) -> Rating {
    let total: f64 = odds.iter().sum();
    let mut draw = rng.next_f64() * total;
    for (rating, odd) in Rating::ALL.into_iter().zip(odds) {
        if draw < *odd {
            return rating;
        }
        draw -= odd;
    }
    Rating::Easy
}

/// A small seeded generator (SplitMix64): the same seed gives the same plan everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{Config, ExamPlan};

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn scheduler(exam: &str) -> Scheduler {
        Scheduler::new(Config {
            exam: Some(ExamPlan { starts: at(exam) }),
            ..Config::default()
        })
        .unwrap()
    }

    fn deck(new: usize, seen: usize, now: Timestamp, scheduler: &Scheduler) -> PlanDeck {
        let studied = scheduler.review(&ItemState::new(now), Rating::Easy, now, 0.5);
        let items = (0..new + seen)
            .map(|index| PlanItem {
                state: (index >= new).then(|| studied.clone()),
                fuzz_key: format!("t/item-{index}"),
                seconds: 12.0,
            })
            .collect();
        PlanDeck {
            items,
            new_seen_today: 0,
            reviews_done_today: 0,
        }
    }

    fn input<'a>(
        scheduler: &'a Scheduler,
        decks: &'a [PlanDeck],
        zone: &'a TimeZone,
        now: Timestamp,
        exam: &str,
        new_per_day: usize,
    ) -> PlanInput<'a> {
        PlanInput {
            scheduler,
            decks,
            now,
            zone,
            day_starts_at: 4,
            exam: exam.parse().unwrap(),
            new_per_day,
            reviews_per_day: 200,
        }
    }

    #[test]
    fn the_target_is_the_exam_days_retention_or_a_higher_setting() {
        assert_eq!(target_retention(0.9), 0.95);
        assert_eq!(target_retention(0.97), 0.97);
    }

    #[test]
    fn the_needed_limit_sees_every_deck_by_eight_days_before_the_exam() {
        let now = at("2027-01-04T09:00:00Z");
        let scheduler = scheduler("2027-01-24T00:00:00Z");
        // 20 days out: new items on days 0 to 12, 13 days. 100 items need 8 a day.
        let mut decks = vec![deck(100, 0, now, &scheduler), deck(10, 5, now, &scheduler)];
        let plan = super::plan(&input(
            &scheduler,
            &decks,
            &TimeZone::UTC,
            now,
            "2027-01-24",
            5,
        ))
        .unwrap();
        assert_eq!(plan.new_items_end.to_string(), "2027-01-16");
        assert_eq!(plan.needed_new_per_day, Some(8));
        assert!(!plan.on_track);
        assert_eq!(plan.unseen, 110);
        let shown = plan.shown();
        assert_eq!(shown.new_per_day, 8);
        assert_eq!(shown.days.len(), 20);
        assert!(shown.all_seen_by.unwrap() <= plan.new_items_end);
        let new: usize = shown.days.iter().map(|day| day.new).sum();
        assert_eq!(new, 110);
        assert!(shown.days.iter().all(|day| day.minutes >= 0.0));
        // Items seen today already use today's limit: 4 seen, 100 left: (100 + 4) / 13 → 8.
        decks[0].new_seen_today = 4;
        decks[0].items.truncate(100);
        let plan = super::plan(&input(
            &scheduler,
            &decks,
            &TimeZone::UTC,
            now,
            "2027-01-24",
            8,
        ))
        .unwrap();
        assert_eq!(plan.needed_new_per_day, Some(8));
        assert!(plan.on_track);
        assert_eq!(
            plan.shown().days[0].new,
            4 + 8,
            "what is left of today's limit, and the other deck's own"
        );
    }

    #[test]
    fn the_same_progress_gives_the_same_plan() {
        let now = at("2027-01-04T09:00:00Z");
        let scheduler = scheduler("2027-02-03T00:00:00Z");
        let decks = [deck(60, 20, now, &scheduler)];
        let first = super::plan(&input(
            &scheduler,
            &decks,
            &TimeZone::UTC,
            now,
            "2027-02-03",
            20,
        ))
        .unwrap();
        let again = super::plan(&input(
            &scheduler,
            &decks,
            &TimeZone::UTC,
            now,
            "2027-02-03",
            20,
        ))
        .unwrap();
        assert_eq!(first, again);
        assert!(first.on_track);
        assert!(first.reaches_target, "{}", first.current.predicted_recall);
    }

    #[test]
    fn an_exam_a_week_away_names_no_limit_and_one_past_is_refused() {
        let now = at("2027-01-04T09:00:00Z");
        let scheduler = scheduler("2027-01-10T00:00:00Z");
        let decks = [deck(5, 5, now, &scheduler)];
        let plan_near = super::plan(&input(
            &scheduler,
            &decks,
            &TimeZone::UTC,
            now,
            "2027-01-10",
            20,
        ))
        .unwrap();
        assert_eq!(plan_near.needed_new_per_day, None);
        assert!(!plan_near.on_track);
        assert_eq!(plan_near.shown().days.len(), 6);
        let seen = [deck(0, 5, now, &scheduler)];
        let done = super::plan(&input(
            &scheduler,
            &seen,
            &TimeZone::UTC,
            now,
            "2027-01-10",
            20,
        ))
        .unwrap();
        assert!(done.on_track, "nothing left to see");
        for past in ["2027-01-04", "2027-01-01"] {
            assert_eq!(
                super::plan(&input(&scheduler, &decks, &TimeZone::UTC, now, past, 20)),
                Err(PlanError::ExamPast {
                    exam: past.parse().unwrap(),
                    today: "2027-01-04".parse().unwrap(),
                })
            );
        }
    }
}
