//! The numbers a learner looks at daily: what is due today and in the coming days, reviews per
//! day over the last year, true retention, the streak, and how well each topic is known.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::{Store, StoreError, millis};
use crate::model::Library;
use crate::srs::{Day, Phase, Scheduler};

/// Days of review history shown (a year).
pub const HISTORY_DAYS: i64 = 365;
/// Days of due forecast.
pub const FORECAST_DAYS: i64 = 30;
/// Days over which true retention is measured.
pub const RETENTION_DAYS: i64 = 30;
/// Without an exam date, mastery predicts recall this many days ahead.
pub const MASTERY_DAYS: i64 = 30;
/// Stability (days) from which an item counts as mature, as in Anki.
pub const MATURE_DAYS: f64 = 21.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The learner's study day (it starts at `day-starts-at` local time).
    pub today: Date,
    /// Reviews and learning steps due before today ends (overdue included).
    pub due_today: usize,
    /// Items never studied.
    pub new_items: usize,
    /// Reviews due on each of the next [`FORECAST_DAYS`] days, today first.
    pub forecast: Vec<DayCount>,
    /// Ratings given on each of the last [`HISTORY_DAYS`] days, oldest first, today last.
    pub reviews_per_day: Vec<DayCount>,
    pub retention: Retention,
    /// Consecutive study days with at least one rating, up to today (or yesterday, when today
    /// has none yet).
    pub streak: usize,
    pub total_reviews: usize,
    pub topics: Vec<TopicStats>,
    /// Each deck's domains, with their topics' numbers together (decks without domains have
    /// none).
    pub domains: Vec<DomainStats>,
    /// The day mastery predicts recall for: the exam day, or 30 days from today without one.
    pub mastery_on: Date,
    /// Whether `mastery_on` is the exam day.
    pub mastery_for_exam: bool,
    /// What mastery means, in one line.
    pub mastery_means: String,
    /// Mock exams taken, the newest first.
    pub exams: Vec<ExamStat>,
}

impl Stats {
    /// What the mastery bars mean, short enough for a panel's title (English, or Korean).
    pub fn mastery_title(&self, korean: bool) -> String {
        let on = self.mastery_on;
        match (korean, self.mastery_for_exam) {
            (false, true) => format!("Mastery: predicted recall on exam day {on}, unseen items 0"),
            (false, false) => {
                format!("Mastery: predicted recall in {MASTERY_DAYS} days ({on}), unseen items 0")
            }
            (true, true) => format!("숙련도: 시험일({on})에 기억할 확률, 안 본 항목은 0"),
            (true, false) => {
                format!("숙련도: {MASTERY_DAYS}일 뒤({on})에 기억할 확률, 안 본 항목은 0")
            }
        }
    }

    /// What the mastery bars mean, in one line (English, or Korean).
    pub fn mastery_sentence(&self, korean: bool) -> String {
        let on = self.mastery_on;
        match (korean, self.mastery_for_exam) {
            (false, true) => {
                format!("predicted recall on the exam day ({on}); items never studied count 0.")
            }
            (false, false) => format!(
                "predicted recall in {MASTERY_DAYS} days ({on}); items never studied count 0."
            ),
            (true, true) => format!(
                "시험일({on})에 기억하고 있을 확률의 평균입니다. 학습하지 않은 항목은 0으로 셉니다."
            ),
            (true, false) => format!(
                "{MASTERY_DAYS}일 뒤({on})에 기억하고 있을 확률의 평균입니다. 학습하지 않은 항목은 0으로 셉니다."
            ),
        }
    }

    /// Ratings given over the last `days` study days, today included.
    pub fn reviews_in_last(&self, days: usize) -> usize {
        self.reviews_per_day
            .iter()
            .rev()
            .take(days)
            .map(|day| day.count)
            .sum()
    }

    /// Reviews due over the next `days` days, today included.
    pub fn due_in_next(&self, days: usize) -> usize {
        self.forecast.iter().take(days).map(|day| day.count).sum()
    }

    /// Reviews due tomorrow.
    pub fn due_tomorrow(&self) -> usize {
        self.forecast.get(1).map_or(0, |day| day.count)
    }
}

/// A mock exam in the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamStat {
    /// The local day it was handed in.
    pub date: Date,
    /// 0 to 100.
    pub score: f64,
    pub passed: bool,
    pub tasks: usize,
    pub minutes: u32,
    /// Replays it with `kubedrill exam --seed`.
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayCount {
    pub date: Date,
    pub count: usize,
}

/// Of the reviews of learnt items in the last [`RETENTION_DAYS`] days, how many were
/// remembered (anything but Again): FSRS's "true retention".
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Retention {
    pub remembered: usize,
    pub forgotten: usize,
    /// `None` with no such reviews yet.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicStats {
    pub deck: String,
    pub topic: String,
    /// The id of the deck's domain the topic belongs to.
    pub domain: Option<String>,
    pub items: usize,
    /// Items studied at least once.
    pub studied: usize,
    /// Items whose stability is at least [`MATURE_DAYS`].
    pub mature: usize,
    /// The mean predicted chance of recalling an item of the topic on [`Stats::mastery_on`]
    /// (never-studied items count 0): the mastery bar.
    pub mastery: f64,
    pub due_today: usize,
}

/// A domain's topics together: mastery is weighed by their items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainStats {
    pub deck: String,
    /// `None`: the deck's topics that name no domain.
    pub domain: Option<String>,
    /// Its share of the exam in percent, when the deck says.
    pub weight: Option<u32>,
    pub topics: usize,
    pub items: usize,
    pub studied: usize,
    pub mature: usize,
    pub mastery: f64,
    pub due_today: usize,
}

impl DomainStats {
    /// Sums the stats of a deck's topics by domain, in the deck's domain order.
    fn of(deck: &crate::model::Deck, topics: &[TopicStats]) -> Vec<DomainStats> {
        if deck.domains.is_empty() {
            return Vec::new();
        }
        deck.groups()
            .into_iter()
            .map(|group| {
                let domain = group.domain.map(|index| &deck.domains[index]);
                let mut sum = DomainStats {
                    deck: deck.id.to_string(),
                    domain: domain.map(|domain| domain.id.to_string()),
                    weight: domain.and_then(|domain| domain.weight),
                    topics: group.topics.len(),
                    items: 0,
                    studied: 0,
                    mature: 0,
                    mastery: 0.0,
                    due_today: 0,
                };
                let mut recall = 0.0;
                for topic in group.topics.iter().filter_map(|index| topics.get(*index)) {
                    sum.items += topic.items;
                    sum.studied += topic.studied;
                    sum.mature += topic.mature;
                    sum.due_today += topic.due_today;
                    recall += topic.mastery * topic.items as f64;
                }
                if sum.items > 0 {
                    sum.mastery = recall / sum.items as f64;
                }
                sum
            })
            .collect()
    }
}

impl Store {
    /// Stats over the decks of `library` at `now`.
    pub fn stats(
        &self,
        library: &Library,
        scheduler: &Scheduler,
        now: Timestamp,
        zone: &TimeZone,
        day_starts_at: i8,
    ) -> Result<Stats, StoreError> {
        let today = Day::of(now, zone, day_starts_at);
        // Mastery predicts the exam day, or a month ahead: what will be remembered, not what
        // was just seen (recall right after a first look is close to 100 %).
        let exam = scheduler.config().exam.filter(|exam| exam.starts > now);
        let horizon = exam.map_or(
            now + SignedDuration::from_hours(24 * MASTERY_DAYS),
            |exam| exam.starts,
        );
        let mastery_on = horizon.to_zoned(zone.clone()).date();
        let mut stats = Stats {
            mastery_on,
            mastery_for_exam: exam.is_some(),
            mastery_means: String::new(),
            today: today.date,
            due_today: 0,
            new_items: 0,
            forecast: (0..FORECAST_DAYS)
                .map(|offset| DayCount {
                    date: today.date.saturating_add(jiff::Span::new().days(offset)),
                    count: 0,
                })
                .collect(),
            reviews_per_day: Vec::new(),
            retention: Retention {
                remembered: 0,
                forgotten: 0,
                rate: None,
            },
            streak: 0,
            total_reviews: self.review_count()?,
            topics: Vec::new(),
            domains: Vec::new(),
            exams: self
                .exams()?
                .into_iter()
                .map(|exam| ExamStat {
                    date: exam.finished.to_zoned(zone.clone()).date(),
                    score: exam.score,
                    passed: exam.passed,
                    tasks: exam.tasks,
                    minutes: exam.minutes,
                    seed: exam.seed,
                })
                .collect(),
        };
        for deck in &library.decks {
            let states = self.states(deck.id.as_str())?;
            let first = stats.topics.len();
            for topic in &deck.topics {
                let mut topic_stats = TopicStats {
                    deck: deck.id.to_string(),
                    topic: topic.id.to_string(),
                    domain: topic
                        .domain
                        .and_then(|domain| deck.domains.get(domain))
                        .map(|domain| domain.id.to_string()),
                    items: 0,
                    studied: 0,
                    mature: 0,
                    mastery: 0.0,
                    due_today: 0,
                };
                let mut recall = 0.0;
                for item in topic_item_ids(topic) {
                    topic_stats.items += 1;
                    let Some(state) = states.get(&format!("{}/{item}", topic.id)) else {
                        stats.new_items += 1;
                        continue;
                    };
                    if state.phase == Phase::New {
                        stats.new_items += 1;
                        continue;
                    }
                    topic_stats.studied += 1;
                    if state
                        .memory
                        .is_some_and(|memory| memory.stability >= MATURE_DAYS)
                    {
                        topic_stats.mature += 1;
                    }
                    recall += scheduler.retrievability(state, horizon);
                    if state.due < today.end {
                        topic_stats.due_today += 1;
                        stats.due_today += 1;
                    }
                    if state.phase == Phase::Review {
                        let days = if state.due < today.end {
                            0
                        } else {
                            Day::of(state.due, zone, day_starts_at)
                                .date
                                .since(today.date)
                                .map_or(i64::MAX, |span| i64::from(span.get_days()))
                        };
                        if let Some(slot) = stats.forecast.get_mut(days as usize) {
                            slot.count += 1;
                        }
                    }
                }
                topic_stats.mastery = if topic_stats.items == 0 {
                    0.0
                } else {
                    recall / topic_stats.items as f64
                };
                stats.topics.push(topic_stats);
            }
            let domains = DomainStats::of(deck, &stats.topics[first..]);
            stats.domains.extend(domains);
        }
        // The forecast's today counts learning steps too.
        if let Some(first) = stats.forecast.first_mut() {
            first.count = stats.due_today;
        }
        self.history(&mut stats, &today, zone, day_starts_at)?;
        stats.mastery_means = format!("Mastery: {}", stats.mastery_sentence(false));
        Ok(stats)
    }

    fn history(
        &self,
        stats: &mut Stats,
        today: &Day,
        zone: &TimeZone,
        day_starts_at: i8,
    ) -> Result<(), StoreError> {
        let first_day = today
            .date
            .saturating_sub(jiff::Span::new().days(HISTORY_DAYS - 1));
        let since = today.start - SignedDuration::from_hours(24 * (HISTORY_DAYS - 1));
        let retention_since = today.end - SignedDuration::from_hours(24 * RETENTION_DAYS);
        // One pass over the rows, its totals kept apart so that a pass run again (after the
        // file turned out damaged and a new one was started) starts from nothing.
        let (per_day, remembered, forgotten) = self.read(|conn| {
            let mut per_day: BTreeMap<Date, usize> = BTreeMap::new();
            let (mut remembered, mut forgotten) = (0, 0);
            let mut statement = conn.prepare_cached(
                "SELECT reviewed_at, rating, before_phase FROM reviews
                 WHERE undone = 0 AND reviewed_at >= ?1 ORDER BY reviewed_at",
            )?;
            let rows =
                statement.query_map([millis(since - SignedDuration::from_hours(48))], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, String>(2)?,
                    ))
                })?;
            // Reviews come in time order: convert a time to its study day only when it leaves
            // the day before, so 100,000 reviews cost a few hundred time-zone conversions.
            let mut current: Option<Day> = None;
            for row in rows {
                let (at, rating, phase) = row?;
                let at = super::timestamp(at);
                let day = match &current {
                    Some(day) if at >= day.start && at < day.end => day.clone(),
                    _ => {
                        let day = Day::of(at, zone, day_starts_at);
                        current = Some(day.clone());
                        day
                    }
                };
                if day.date >= first_day && day.date <= today.date {
                    *per_day.entry(day.date).or_default() += 1;
                }
                if at >= retention_since && phase == "review" {
                    if rating > 1 {
                        remembered += 1;
                    } else {
                        forgotten += 1;
                    }
                }
            }
            Ok((per_day, remembered, forgotten))
        })?;
        stats.retention.remembered = remembered;
        stats.retention.forgotten = forgotten;
        let total = stats.retention.remembered + stats.retention.forgotten;
        stats.retention.rate =
            (total > 0).then(|| stats.retention.remembered as f64 / total as f64);
        stats.reviews_per_day = (0..HISTORY_DAYS)
            .map(|offset| {
                let date = first_day.saturating_add(jiff::Span::new().days(offset));
                DayCount {
                    date,
                    count: per_day.get(&date).copied().unwrap_or(0),
                }
            })
            .collect();
        let mut days = stats.reviews_per_day.iter().rev().peekable();
        if days.peek().is_some_and(|day| day.count == 0) {
            days.next();
        }
        stats.streak = days.take_while(|day| day.count > 0).count();
        Ok(())
    }
}

/// The full ids of a topic's items, cards first.
fn topic_item_ids(topic: &crate::model::Topic) -> impl Iterator<Item = &str> {
    topic
        .cards
        .iter()
        .map(|card| card.id.as_str())
        .chain(topic.questions.iter().map(|question| question.id.as_str()))
        .chain(topic.drills.iter().map(|drill| drill.id.as_str()))
        .chain(topic.exercises.iter().map(|exercise| exercise.id.as_str()))
        .chain(topic.scenarios.iter().map(|scenario| scenario.id.as_str()))
}
