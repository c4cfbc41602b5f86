//! Study plumbing shared by the command line and the terminal interface: the scheduler the
//! learner's settings ask for, today's queue over the loaded decks, and saving a rating or a
//! graded attempt ([`ExerciseAttempt`]: one exercise's count and rating, the same in every
//! front end). It joins [`crate::model`], [`crate::store`] and [`crate::srs`]; it does no
//! I/O beyond the store.

mod attempt;
pub mod order;
pub mod plan;

pub use attempt::{AttemptPhase, ExerciseAttempt, Graded};

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::model::{Deck, ItemId, ItemKind, ItemRef, Library, Topic};
use crate::srs::queue::{self, Limits};
use crate::srs::{self, Config, ConfigError, Day, ExamPlan, ItemState, Phase, Rating, Scheduler};
use crate::store::{RatingRecord, ReviewHistory, Settings, Store, StoreError};

/// The scheduler for the learner's settings. The exam is taken to start at midnight, local
/// time, on the exam date.
pub fn scheduler(settings: &Settings, zone: &TimeZone) -> Result<Scheduler, ConfigError> {
    let exam = settings.exam_date.and_then(|date| {
        zone.to_ambiguous_timestamp(date.at(0, 0, 0, 0))
            .compatible()
            .ok()
            .map(|starts| ExamPlan { starts })
    });
    Scheduler::new(Config {
        parameters: settings.fsrs_parameters.clone(),
        desired_retention: settings.desired_retention,
        maximum_interval: settings.maximum_interval,
        exam,
        ..Config::default()
    })
}

/// One item of a deck with where it lives.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub deck: &'a Deck,
    pub topic: &'a Topic,
    pub item: ItemRef<'a>,
}

impl Entry<'_> {
    /// `TOPIC/ITEM`, what progress is keyed by.
    pub fn key(&self) -> String {
        format!("{}/{}", self.topic.id, self.item_id())
    }

    pub fn item_id(&self) -> &str {
        match self.item {
            ItemRef::Card(card) => card.id.as_str(),
            ItemRef::Question(question) => question.id.as_str(),
            ItemRef::Drill(drill) => drill.id.as_str(),
            ItemRef::Exercise(exercise) => exercise.id.as_str(),
            ItemRef::Scenario(scenario) => scenario.id.as_str(),
        }
    }

    pub fn kind(&self) -> ItemKind {
        self.item.kind()
    }

    /// The key the fuzz of this item's n-th review is derived from.
    pub fn fuzz(&self, reps: u32) -> f64 {
        srs::fuzz_seed(&format!("{}/{}", self.deck.id, self.key()), reps)
    }
}

/// Every item of a deck in study order: topic by topic, each in its first-pass order (the
/// order the lesson teaches it in, [`order::first_pass`]).
pub fn entries(deck: &Deck) -> Vec<Entry<'_>> {
    deck.topics
        .iter()
        .flat_map(|topic| {
            order::first_pass(topic)
                .into_iter()
                .map(move |item| Entry { deck, topic, item })
        })
        .collect()
}

/// The item `id` names, from the decks given with `--deck` first (they come last in the
/// library), then installed decks, then the built-in one: an author working on their own folder
/// gets their own item even when its id is used elsewhere. Also returns the ids of the other
/// decks that have the same id.
pub fn find_item<'l>(
    library: &'l Library,
    id: &ItemId,
) -> Option<(&'l Deck, ItemRef<'l>, Vec<String>)> {
    let mut matches = library
        .decks
        .iter()
        .rev()
        .filter_map(|deck| deck.item(id).map(|item| (deck, item)));
    let (deck, item) = matches.next()?;
    let shadowed = matches.map(|(deck, _)| deck.id.to_string()).collect();
    Some((deck, item, shadowed))
}

/// Every exercise's and drill's id (`TOPIC/ITEM`): what can be graded outside the interface.
pub fn gradable_ids(library: &Library) -> Vec<String> {
    library
        .decks
        .iter()
        .flat_map(|deck| &deck.topics)
        .flat_map(|topic| {
            let exercises = topic.exercises.iter().map(|exercise| exercise.id.as_str());
            let drills = topic.drills.iter().map(|drill| drill.id.as_str());
            exercises
                .chain(drills)
                .map(move |item| format!("{}/{item}", topic.id))
        })
        .collect()
}

/// Every item the library has, by deck id: what progress is kept for. Progress kept for
/// anything else is orphaned ([`Store::orphans`]).
pub fn known_items(library: &Library) -> BTreeMap<String, BTreeSet<String>> {
    library
        .decks
        .iter()
        .map(|deck| {
            let items = entries(deck).iter().map(Entry::key).collect();
            (deck.id.to_string(), items)
        })
        .collect()
}

/// Today's queue over the loaded decks (or the decks `filter` keeps).
#[derive(Debug, Clone)]
pub struct Today<'a> {
    pub day: Day,
    /// Today's items, in the order they come, with each item's state (`None`: new).
    pub items: Vec<(Entry<'a>, Option<ItemState>)>,
    /// Everything in the order Continue shows it: the items, and before a topic's first new
    /// item its lesson while it is unread.
    pub queue: Vec<Step<'a>>,
    pub learning: usize,
    pub reviews: usize,
    pub new: usize,
    /// Unread lessons in the queue.
    pub lessons: usize,
    /// Learning steps due later today.
    pub later_today: usize,
    pub reviews_held_back: usize,
    pub new_held_back: usize,
}

/// One entry of today's queue.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// A topic's lesson, not yet read to its end.
    Lesson { deck: &'a Deck, topic: &'a Topic },
    /// `items[i]`.
    Item(usize),
}

/// Builds today's queue. The order:
/// 1. learning and relearning steps that are due (they are on a clock of minutes);
/// 2. reviews, most overdue first, topics taking turns (what was learnt together is not
///    reviewed together, so each answer is recalled rather than carried over from the last);
/// 3. new items, deck by deck and topic by topic in each topic's first-pass order, a topic's
///    unread lesson before its first new item;
/// 4. learning steps due within [`queue::LEARN_AHEAD`], only once nothing else is left.
pub fn today<'a>(
    library: &'a Library,
    store: &Store,
    settings: &Settings,
    now: Timestamp,
    zone: &TimeZone,
    keep: impl Fn(&Entry<'_>) -> bool,
) -> Result<Today<'a>, StoreError> {
    let day = Day::of(now, zone, settings.day_starts_at);
    let mut today = Today {
        day: day.clone(),
        items: Vec::new(),
        queue: Vec::new(),
        learning: 0,
        reviews: 0,
        new: 0,
        lessons: 0,
        later_today: 0,
        reviews_held_back: 0,
        new_held_back: 0,
    };
    // Each part of the order, as (entry, state) pairs; the due time sorts learning steps.
    type Part<'a> = Vec<(Entry<'a>, Option<ItemState>)>;
    let mut learning: Vec<(Timestamp, Entry<'a>, Option<ItemState>)> = Vec::new();
    let mut reviews: Part<'a> = Vec::new();
    let mut new: Vec<(Entry<'a>, Option<ItemState>, bool)> = Vec::new();
    let mut ahead: Vec<(Timestamp, Entry<'a>, Option<ItemState>)> = Vec::new();
    for deck in &library.decks {
        let mut states = store.states(deck.id.as_str())?;
        let read = store.lessons_read(deck.id.as_str())?;
        let entries: Vec<Entry<'a>> = entries(deck)
            .into_iter()
            .filter(|entry| keep(entry))
            .collect();
        let deck_states: Vec<Option<ItemState>> = entries
            .iter()
            .map(|entry| states.remove(&entry.key()))
            .collect();
        let done = store.day_counts(deck.id.as_str(), day.start, day.end)?;
        let limits = Limits {
            new_left: settings.new_per_day.saturating_sub(done.new_seen),
            reviews_left: settings.reviews_per_day.saturating_sub(done.reviews_done),
        };
        let borrowed: Vec<Option<&ItemState>> = deck_states.iter().map(Option::as_ref).collect();
        let queue = queue::build(&borrowed, now, day.end, limits);
        today.later_today += queue.later_today;
        today.reviews_held_back += queue.reviews_held_back;
        today.new_held_back += queue.new_held_back;
        let pair = |index: usize| (entries[index], deck_states[index].clone());
        let due = |index: usize| deck_states[index].as_ref().map_or(now, |state| state.due);
        learning.extend(queue.learning.iter().map(|&index| {
            let (entry, state) = pair(index);
            (due(index), entry, state)
        }));
        ahead.extend(queue.learn_ahead.iter().map(|&index| {
            let (entry, state) = pair(index);
            (due(index), entry, state)
        }));
        reviews.extend(queue.reviews.iter().map(|&index| pair(index)));
        new.extend(queue.new.iter().map(|&index| {
            let (entry, state) = pair(index);
            let unread = !read.contains(entry.topic.id.as_str());
            (entry, state, unread)
        }));
    }
    learning.sort_by_key(|(due, ..)| *due);
    ahead.sort_by_key(|(due, ..)| *due);
    today.learning = learning.len() + ahead.len();
    today.reviews = reviews.len();
    today.new = new.len();
    let push = |today: &mut Today<'a>, entry: Entry<'a>, state: Option<ItemState>| {
        today.queue.push(Step::Item(today.items.len()));
        today.items.push((entry, state));
    };
    for (_, entry, state) in learning {
        push(&mut today, entry, state);
    }
    for (entry, state) in topics_take_turns(reviews) {
        push(&mut today, entry, state);
    }
    let mut lesson_shown: Option<(&str, &str)> = None;
    for (entry, state, unread) in new {
        let topic = (entry.deck.id.as_str(), entry.topic.id.as_str());
        if unread && lesson_shown != Some(topic) {
            today.queue.push(Step::Lesson {
                deck: entry.deck,
                topic: entry.topic,
            });
            today.lessons += 1;
            lesson_shown = Some(topic);
        }
        push(&mut today, entry, state);
    }
    for (_, entry, state) in ahead {
        push(&mut today, entry, state);
    }
    Ok(today)
}

/// Reviews (most overdue first) reordered so topics take turns: the most overdue item of each
/// topic in turn, the topics ranked by their most overdue item.
fn topics_take_turns<'a>(
    reviews: Vec<(Entry<'a>, Option<ItemState>)>,
) -> Vec<(Entry<'a>, Option<ItemState>)> {
    let mut sorted = reviews;
    sorted.sort_by_key(|(_, state)| state.as_ref().map(|state| state.due));
    let mut topics: Vec<((String, String), std::collections::VecDeque<_>)> = Vec::new();
    for pair in sorted {
        let key = (pair.0.deck.id.to_string(), pair.0.topic.id.to_string());
        match topics.iter_mut().find(|(topic, _)| *topic == key) {
            Some((_, items)) => items.push_back(pair),
            None => topics.push((key, std::collections::VecDeque::from([pair]))),
        }
    }
    let mut order = Vec::new();
    while topics.iter().any(|(_, items)| !items.is_empty()) {
        for (_, items) in &mut topics {
            if let Some(pair) = items.pop_front() {
                order.push(pair);
            }
        }
    }
    order
}

/// Today's items of one phase or another, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhaseCounts {
    /// Learning and relearning steps.
    pub learning: usize,
    pub reviews: usize,
    pub new: usize,
}

/// One topic's share of today's study.
#[derive(Debug, Clone, Copy)]
pub struct TopicDue<'a> {
    pub deck: &'a Deck,
    pub topic: &'a Topic,
    pub counts: PhaseCounts,
}

impl<'a> Today<'a> {
    /// Today's items per topic, in the library's order (deck by deck, topic by topic); a topic
    /// with nothing to study today is left out.
    pub fn per_topic(&self) -> Vec<TopicDue<'a>> {
        // Decks come in library order in `items`; topics are put in their deck's order.
        let mut decks: Vec<&Deck> = Vec::new();
        let mut per_topic: BTreeMap<(usize, usize), TopicDue<'a>> = BTreeMap::new();
        for (entry, state) in &self.items {
            let deck_rank = decks
                .iter()
                .position(|deck| deck.id == entry.deck.id)
                .unwrap_or_else(|| {
                    decks.push(entry.deck);
                    decks.len() - 1
                });
            let topic_index = entry
                .deck
                .topics
                .iter()
                .position(|topic| topic.id == entry.topic.id)
                .unwrap_or(0);
            let due = per_topic
                .entry((deck_rank, topic_index))
                .or_insert(TopicDue {
                    deck: entry.deck,
                    topic: entry.topic,
                    counts: PhaseCounts::default(),
                });
            match state.as_ref().map(|state| state.phase) {
                None | Some(Phase::New) => due.counts.new += 1,
                Some(Phase::Learning | Phase::Relearning) => due.counts.learning += 1,
                Some(Phase::Review) => due.counts.reviews += 1,
            }
        }
        per_topic.into_values().collect()
    }
}

/// Whole days from `today` to the exam day; `Some(0)` on the day itself, `None` without an exam
/// date or once it is past.
pub fn days_to_exam(exam: Option<Date>, today: Date) -> Option<i32> {
    let days = exam?.since(today).ok()?.get_days();
    (days >= 0).then_some(days)
}

/// Each item's reviews as the optimizer reads them: (study day, rating), the days counted in
/// the learner's study days (they start at `day_starts_at` in `zone`), as the scheduler counts
/// them.
pub fn optimizer_histories(
    history: &ReviewHistory,
    zone: &TimeZone,
    day_starts_at: i8,
) -> Vec<srs::optimize::History> {
    let epoch = Day::of(Timestamp::UNIX_EPOCH, zone, day_starts_at).date;
    history
        .values()
        .map(|reviews| {
            reviews
                .iter()
                .map(|(at, rating)| {
                    let date = Day::of(*at, zone, day_starts_at).date;
                    let day = date
                        .since(epoch)
                        .map_or(0, |span| i64::from(span.get_days()));
                    (day, *rating)
                })
                .collect()
        })
        .collect()
}

/// Rates an item and saves the review; returns the new state and the review's id. The rating
/// applies to the item's state as the database holds it when the review is written, not to
/// `_shown`, the state the caller read when it showed the item: another kubedrill on the same
/// profile may have rated the item since, and both ratings must count. (`_shown` stays for the
/// callers that still pass it.)
#[allow(clippy::too_many_arguments)]
pub fn rate(
    store: &mut Store,
    scheduler: &Scheduler,
    entry: &Entry<'_>,
    _shown: Option<ItemState>,
    rating: Rating,
    now: Timestamp,
    duration_ms: Option<i64>,
    score: Option<f64>,
) -> Result<(ItemState, i64), StoreError> {
    let key = entry.key();
    let recorded = store.record_rating(
        &RatingRecord {
            deck: entry.deck.id.as_str(),
            item: &key,
            kind: entry.kind().name(),
            rating,
            at: now,
            duration_ms,
            score,
        },
        |before| scheduler.review(before, rating, now, entry.fuzz(before.reps)),
    )?;
    Ok((recorded.after, recorded.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The valid fixture deck, for the tests of this module and its children.
    pub(crate) fn fixture() -> Library {
        let folder =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/valid");
        Library {
            decks: vec![crate::content::check_dir(&folder).unwrap().deck.unwrap()],
        }
    }

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn days_to_the_exam_count_down_to_zero_on_the_day_and_stop_after_it() {
        let today = date("2026-06-10");
        assert_eq!(days_to_exam(Some(date("2026-06-20")), today), Some(10));
        assert_eq!(days_to_exam(Some(date("2026-06-11")), today), Some(1));
        assert_eq!(days_to_exam(Some(today), today), Some(0));
        assert_eq!(days_to_exam(Some(date("2026-06-09")), today), None);
        assert_eq!(days_to_exam(None, today), None);
    }

    #[test]
    fn per_topic_counts_each_phase_in_the_decks_topic_order_whatever_the_queue_order() {
        let library = fixture();
        let now = Timestamp::UNIX_EPOCH;
        let mut learning = ItemState::new(now);
        learning.phase = Phase::Learning;
        let mut review = ItemState::new(now);
        review.phase = Phase::Review;
        let entries = entries(&library.decks[0]);
        let last = entries.len() - 1;
        // The queue puts the last topic's item first.
        let items = vec![
            (entries[last], Some(review)),
            (entries[0], Some(learning)),
            (entries[1], None),
        ];
        let today = Today {
            day: Day::of(now, &TimeZone::UTC, 4),
            items,
            queue: Vec::new(),
            learning: 1,
            reviews: 1,
            new: 1,
            lessons: 0,
            later_today: 0,
            reviews_held_back: 0,
            new_held_back: 0,
        };
        let per_topic = today.per_topic();
        let topics: Vec<&str> = per_topic.iter().map(|due| due.topic.id.as_str()).collect();
        let first_topic = entries[0].topic.id.as_str();
        let last_topic = entries[last].topic.id.as_str();
        assert_ne!(first_topic, last_topic, "the fixture has two topics");
        assert_eq!(topics, [first_topic, last_topic]);
        assert_eq!(
            per_topic[0].counts,
            PhaseCounts {
                learning: 1,
                reviews: 0,
                new: usize::from(entries[1].topic.id == entries[0].topic.id)
            }
        );
        assert_eq!(per_topic[1].counts.reviews, 1);
    }

    #[test]
    fn an_item_is_found_in_the_last_deck_that_has_it_and_the_others_are_named() {
        let mut library = fixture();
        let mut copy = library.decks[0].clone();
        copy.id = crate::model::Id::parse("copy").unwrap();
        library.decks.push(copy);
        let id = gradable_ids(&library)[0].clone();
        let (deck, _, shadowed) = find_item(&library, &ItemId::parse(&id).unwrap()).unwrap();
        assert_eq!(deck.id.as_str(), "copy");
        assert_eq!(shadowed, ["fixture"]);
        assert!(find_item(&library, &ItemId::parse("no/such-item").unwrap()).is_none());
    }
}
