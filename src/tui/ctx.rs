//! What every screen may read and change besides its own state: the library, the settings and
//! scheduler, the clock, today's progress, the study session, the open dialog, the message at
//! the bottom. A screen's `update` gets `&mut Ctx` next to `&mut` its own state (the two are
//! disjoint fields of `App`), so no screen is ever taken out of the stack to be updated.

use std::collections::HashMap;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::action::Effect;
use super::app::{Screen, Transition};
use super::markdown;
use super::screens::home::HomeRow;
use super::screens::modal::Modal;
use super::screens::topic::TopicRow;
use super::screens::{cards, drill, exercise, lesson, quiz};
use super::session::Session;
use super::theme::Theme;
use crate::i18n::Lang;
use crate::model::{Deck, ItemKind, ItemRef, Library, Topic};
use crate::search::{HitKind, Index};
use crate::srs::{ItemState, Rating, Scheduler};
use crate::store::{Setting, Settings};
use crate::study::Entry;

/// An item's place in the library (the library does not change while the app runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ItemKey {
    pub deck: usize,
    pub topic: usize,
    pub kind: ItemKind,
    pub index: usize,
}

/// An entry of today's queue or of a session: a topic's lesson, or an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueueKey {
    Lesson { deck: usize, topic: usize },
    Item(ItemKey),
}

/// What the store says about the decks, refreshed after every rating.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// Today's queue, in order, with each item's state (`None`: new, or a lesson).
    pub queue: Vec<(QueueKey, Option<ItemState>)>,
    pub learning: usize,
    pub reviews: usize,
    pub new: usize,
    pub later_today: usize,
    /// Per deck, per topic.
    pub topics: Vec<Vec<TopicProgress>>,
    /// Every studied item's state, by key.
    pub states: HashMap<ItemKey, ItemState>,
    pub streak: usize,
    pub reviewed_today: usize,
    pub exam_days: Option<i64>,
    /// Where each lesson was left: (deck, topic) → line.
    pub positions: HashMap<(usize, usize), usize>,
    /// The lessons read to their end: (deck, topic).
    pub lessons_read: std::collections::HashSet<(usize, usize)>,
    /// Mock exams taken, and the last one's score.
    pub exams: usize,
    pub last_exam_score: f64,
    /// Why the store could not be read, when it could not: Home says so instead of what is due.
    pub error: Option<String>,
    /// The exam-date plan, while an exam date is to come (Home says whether it is on track).
    pub plan: Option<crate::srs::plan::Plan>,
    /// Not computed yet: the first frame is drawn from the decks' outlines while the decks are
    /// read (Home leaves the counts blank until the next frame).
    pub pending: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TopicProgress {
    pub items: usize,
    pub studied: usize,
    pub due: usize,
    pub new: usize,
    /// The mean chance of recall now (new items count 0).
    pub mastery: f64,
}

/// A screen's answer to an action: where to go, and the work outside the state it needs.
pub type Outcome = (Transition, Vec<Effect>);

/// Nothing to do.
pub fn stay() -> Outcome {
    (Transition::Stay, Vec::new())
}

/// Staying, with effects.
pub fn stay_with(effects: Vec<Effect>) -> Outcome {
    (Transition::Stay, effects)
}

/// How long after the last keystroke the editor's manifest is checked.
pub const CHECK_DELAY: SignedDuration = SignedDuration::from_millis(300);
/// How long a message stays.
const TOAST: SignedDuration = SignedDuration::from_secs(4);
/// Below this the layout does not fit: a message asks for a bigger terminal.
pub const MIN_SIZE: (u16, u16) = (40, 12);

#[derive(Debug)]
pub struct Ctx {
    pub lang: Lang,
    pub library: Library,
    /// Decks that could not be loaded cleanly (shown on Home).
    pub deck_warnings: Vec<String>,
    pub settings: Settings,
    pub scheduler: Scheduler,
    pub zone: TimeZone,
    pub now: Timestamp,
    pub theme: Theme,
    pub modal: Option<Modal>,
    pub session: Option<Session>,
    pub progress: Progress,
    /// Built on first use: a first frame does not wait for it (14 ms at 10,000 items).
    pub(super) index: std::cell::OnceCell<Index>,
    /// A message at the bottom, and until when.
    pub toast: Option<(String, Timestamp)>,
    /// Commands typed in drills, newest last.
    pub history: Vec<String>,
    pub size: (u16, u16),
    pub quit: bool,
    /// The rating the last answer earned (saved by the runner, then shown in the summary).
    pub last_rating: Option<Rating>,
    /// Set when previewing a deck folder (`kubedrill deck preview`).
    pub preview: Option<super::preview::PreviewInfo>,
    /// Home's folded domains, by deck id and domain id (`""`: the topics that name none).
    pub collapsed: std::collections::BTreeSet<(String, String)>,
}

impl Ctx {
    /// Text in the interface's language.
    pub fn t<'a>(&self, english: &'a str, korean: &'a str) -> &'a str {
        self.lang.pick(english, korean)
    }

    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    pub fn deck(&self, deck: usize) -> &Deck {
        &self.library.decks[deck]
    }

    pub fn topic(&self, deck: usize, topic: usize) -> &Topic {
        &self.library.decks[deck].topics[topic]
    }

    pub fn item(&self, key: ItemKey) -> ItemRef<'_> {
        let topic = self.topic(key.deck, key.topic);
        match key.kind {
            ItemKind::Card => ItemRef::Card(&topic.cards[key.index]),
            ItemKind::Question => ItemRef::Question(&topic.questions[key.index]),
            ItemKind::Drill => ItemRef::Drill(&topic.drills[key.index]),
            ItemKind::Exercise => ItemRef::Exercise(&topic.exercises[key.index]),
            ItemKind::Scenario => ItemRef::Scenario(&topic.scenarios[key.index]),
        }
    }

    pub fn entry(&self, key: ItemKey) -> Entry<'_> {
        Entry {
            deck: self.deck(key.deck),
            topic: self.topic(key.deck, key.topic),
            item: self.item(key),
        }
    }

    /// The key of `TOPIC/ITEM` (or `ITEM` of `topic`) in a deck.
    pub fn find_item(&self, deck: usize, topic: usize, id: &str) -> Option<ItemKey> {
        let (topic_index, item) = match id.split_once('/') {
            Some((topic_id, item)) => (
                self.deck(deck)
                    .topics
                    .iter()
                    .position(|t| t.id.as_str() == topic_id)?,
                item,
            ),
            None => (topic, id),
        };
        let topic_ref = self.topic(deck, topic_index);
        let key = |kind, index| ItemKey {
            deck,
            topic: topic_index,
            kind,
            index,
        };
        let ids: [(ItemKind, Vec<&str>); 5] = [
            (
                ItemKind::Card,
                topic_ref.cards.iter().map(|i| i.id.as_str()).collect(),
            ),
            (
                ItemKind::Question,
                topic_ref.questions.iter().map(|i| i.id.as_str()).collect(),
            ),
            (
                ItemKind::Drill,
                topic_ref.drills.iter().map(|i| i.id.as_str()).collect(),
            ),
            (
                ItemKind::Exercise,
                topic_ref.exercises.iter().map(|i| i.id.as_str()).collect(),
            ),
            (
                ItemKind::Scenario,
                topic_ref.scenarios.iter().map(|i| i.id.as_str()).collect(),
            ),
        ];
        ids.into_iter().find_map(|(kind, ids)| {
            ids.iter()
                .position(|found| *found == item)
                .map(|index| key(kind, index))
        })
    }

    /// How many tasks the exam on Home holds: the CKA's count, or all there are.
    pub fn exam_size(&self) -> usize {
        let available: usize = self
            .library
            .decks
            .iter()
            .flat_map(|deck| deck.topics.iter())
            .map(|topic| topic.exercises.len() + topic.drills.len())
            .sum();
        available.min(crate::exam::DEFAULT_TASKS)
    }

    /// The Home screen's rows: Continue, every topic of every deck, Stats, Settings.
    pub fn home_rows(&self) -> Vec<HomeRow> {
        let mut rows = vec![HomeRow::Continue];
        for (deck_index, deck) in self.library.decks.iter().enumerate() {
            if deck.domains.is_empty() {
                rows.extend((0..deck.topics.len()).map(|topic| HomeRow::Topic(deck_index, topic)));
                continue;
            }
            for group in deck.groups() {
                rows.push(HomeRow::Domain(deck_index, group.domain));
                if !self.is_collapsed(deck_index, group.domain) {
                    rows.extend(
                        group
                            .topics
                            .iter()
                            .map(|topic| HomeRow::Topic(deck_index, *topic)),
                    );
                }
            }
        }
        if self.exam_size() > 0 {
            rows.push(HomeRow::Exam);
        }
        rows.push(HomeRow::Stats);
        rows.push(HomeRow::Settings);
        rows
    }

    /// Whether Home shows a domain folded (`None`: the deck's topics that name no domain).
    pub fn is_collapsed(&self, deck: usize, domain: Option<usize>) -> bool {
        self.collapsed.contains(&self.domain_key(deck, domain))
    }

    pub(crate) fn domain_key(&self, deck: usize, domain: Option<usize>) -> (String, String) {
        let deck = self.deck(deck);
        let domain = domain
            .and_then(|domain| deck.domains.get(domain))
            .map(|domain| domain.id.to_string())
            .unwrap_or_default();
        (deck.id.to_string(), domain)
    }

    /// A topic's progress today (all zero before it is known).
    pub fn topic_progress(&self, deck: usize, topic: usize) -> TopicProgress {
        self.progress
            .topics
            .get(deck)
            .and_then(|topics| topics.get(topic))
            .copied()
            .unwrap_or_default()
    }

    /// A domain's progress on Home: its topics' together, mastery weighed by their items.
    pub fn domain_progress(&self, deck: usize, domain: Option<usize>) -> TopicProgress {
        let mut total = TopicProgress::default();
        let mut mastered = 0.0;
        for (index, topic) in self.deck(deck).topics.iter().enumerate() {
            if topic.domain != domain {
                continue;
            }
            let stats = self.topic_progress(deck, index);
            total.items += stats.items;
            total.studied += stats.studied;
            total.due += stats.due;
            total.new += stats.new;
            mastered += stats.mastery * stats.items as f64;
        }
        if total.items > 0 {
            total.mastery = mastered / total.items as f64;
        }
        total
    }

    /// A topic screen's rows: its lesson, studying its cards, then its exercises, scenarios and
    /// drills, each kind in the order the lesson teaches them (the first pass's order).
    pub fn topic_rows(&self, deck: usize, topic: usize) -> Vec<TopicRow> {
        let topic_ref = self.topic(deck, topic);
        // The first pass holds every item of the topic once; each is found in its own list.
        fn index_in<T>(items: &[T], item: &T) -> Option<usize> {
            items
                .iter()
                .position(|candidate| std::ptr::eq(candidate, item))
        }
        let mut exercises = Vec::new();
        let mut scenarios = Vec::new();
        let mut drills = Vec::new();
        for item in crate::study::order::first_pass(topic_ref) {
            match item {
                ItemRef::Exercise(found) => {
                    exercises.extend(index_in(&topic_ref.exercises, found).map(TopicRow::Exercise))
                }
                ItemRef::Scenario(found) => {
                    scenarios.extend(index_in(&topic_ref.scenarios, found).map(TopicRow::Scenario))
                }
                ItemRef::Drill(found) => {
                    drills.extend(index_in(&topic_ref.drills, found).map(TopicRow::Drill));
                }
                ItemRef::Card(_) | ItemRef::Question(_) => {}
            }
        }
        let mut rows = vec![TopicRow::Lesson, TopicRow::Study];
        rows.extend(exercises);
        rows.extend(scenarios);
        rows.extend(drills);
        rows
    }

    /// The search index of the loaded decks in the interface language.
    pub fn index(&self) -> &Index {
        self.index
            .get_or_init(|| Index::build(&self.library, self.lang.tag()))
    }

    /// Forgets the search index, after the decks or the language changed.
    pub(super) fn reset_index(&mut self) {
        self.index = std::cell::OnceCell::new();
    }

    /// The topic's cards and questions never studied: the new ones a topic session brings in.
    pub fn topic_new_cards(&self, deck: usize, topic: usize) -> usize {
        let topic_ref = self.topic(deck, topic);
        [
            (ItemKind::Card, topic_ref.cards.len()),
            (ItemKind::Question, topic_ref.questions.len()),
        ]
        .into_iter()
        .flat_map(|(kind, count)| {
            (0..count).map(move |index| ItemKey {
                deck,
                topic,
                kind,
                index,
            })
        })
        .filter(|key| !self.progress.states.contains_key(key))
        .count()
    }

    pub fn toast(&mut self, message: impl Into<String>) {
        self.toast = Some((message.into(), self.now + TOAST));
    }

    /// A setting's value as the settings screen shows and edits it.
    pub fn setting_text(&self, setting: Setting) -> String {
        let settings = &self.settings;
        match setting {
            Setting::Language => self.lang.tag().to_string(),
            Setting::DesiredRetention => format!("{:.2}", settings.desired_retention),
            Setting::NewPerDay => settings.new_per_day.to_string(),
            Setting::ReviewsPerDay => settings.reviews_per_day.to_string(),
            Setting::ExamDate => settings
                .exam_date
                .map(|date| date.to_string())
                .unwrap_or_default(),
            Setting::DayStartsAt => settings.day_starts_at.to_string(),
            Setting::MaximumInterval => settings.maximum_interval.to_string(),
            Setting::FsrsParameters => {
                if settings.fsrs_parameters.is_empty() {
                    String::new()
                } else {
                    "fitted".to_string()
                }
            }
        }
    }

    /// A lesson, at a heading's line of the Markdown source, or where it was left.
    pub fn open_lesson(&self, deck: usize, topic: usize, source_line: Option<usize>) -> Outcome {
        let state = lesson::LessonState::open(self, deck, topic, source_line);
        (Transition::Go(Screen::Lesson(Box::new(state))), Vec::new())
    }

    /// Opens a queue entry within the session: a lesson where it was left, or an item.
    pub fn open_step(&self, key: QueueKey) -> Outcome {
        match key {
            QueueKey::Item(key) => self.open_item(key, true),
            QueueKey::Lesson { deck, topic } => {
                let mut state = lesson::LessonState::open(self, deck, topic, None);
                state.in_session = true;
                (
                    Transition::Replace(Screen::Lesson(Box::new(state))),
                    Vec::new(),
                )
            }
        }
    }

    /// Opens one item: within the session (in place of the last), or on its own (from a topic
    /// or a search).
    pub fn open_item(&self, key: ItemKey, in_session: bool) -> Outcome {
        let screen = self.item_screen(key);
        // An exercise left unpassed comes back as it was left.
        let effects = match screen {
            Screen::Exercise(_) => vec![Effect::LoadDraft { key }],
            _ => Vec::new(),
        };
        if in_session {
            (Transition::Replace(screen), effects)
        } else {
            (Transition::Go(screen), effects)
        }
    }

    /// A fresh screen for one item.
    pub fn item_screen(&self, key: ItemKey) -> Screen {
        match self.item(key) {
            ItemRef::Card(_) => Screen::Card(cards::CardState::new(key, self.now)),
            ItemRef::Question(question) => {
                Screen::Question(quiz::QuestionState::new(key, question, self.now))
            }
            ItemRef::Exercise(exercise) => {
                let variant = self.variant_of(key);
                Screen::Exercise(Box::new(
                    exercise::ExerciseState::new(key, exercise.variant(variant), self.now)
                        .with_variant(variant),
                ))
            }
            ItemRef::Drill(_) => Screen::Drill(
                drill::DrillState::new(key, self.now).with_variant(self.variant_of(key)),
            ),
            ItemRef::Scenario(scenario) => {
                let variant = self.variant_of(key);
                Screen::Scenario(Box::new(
                    super::screens::scenario::ScenarioState::new(
                        key,
                        scenario.variant(variant),
                        self.now,
                    )
                    .with_variant(variant),
                ))
            }
        }
    }

    /// The variant of a parameterized item to show now: from the learner's seed and the
    /// item's review count so far, so the next review shows another and an undo the same.
    pub fn variant_of(&self, key: ItemKey) -> usize {
        let entry = self.entry(key);
        let reps = self.progress.states.get(&key).map_or(0, |state| state.reps);
        crate::model::variant_index(
            entry.deck.id.as_str(),
            &entry.key(),
            self.settings.variant_seed,
            reps,
            entry.item.variant_count(),
        )
    }

    /// Opens search hit `selected` for `query`: a lesson at its heading, or an item.
    pub fn open_hit(&self, query: &str, selected: usize) -> Option<Outcome> {
        let target = self.index().search(query, 50).get(selected)?.target.clone();
        let deck = self
            .library
            .decks
            .iter()
            .position(|deck| deck.id.as_str() == &*target.deck)?;
        let topic = self
            .deck(deck)
            .topics
            .iter()
            .position(|topic| topic.id.as_str() == &*target.topic)?;
        match target.kind {
            HitKind::Lesson | HitKind::Heading => {
                Some(self.open_lesson(deck, topic, Some(target.line.unwrap_or(0))))
            }
            _ => {
                let key = self.find_item(deck, topic, target.item.as_deref()?)?;
                Some(self.open_item(key, false))
            }
        }
    }

    /// A saved setting comes back: the scheduler follows it, and the queue is computed again.
    pub fn setting_saved(&mut self, result: Result<Box<Settings>, String>) -> Vec<Effect> {
        match result {
            Ok(settings) => {
                self.settings = *settings;
                if let Ok(scheduler) = crate::study::scheduler(&self.settings, &self.zone) {
                    self.scheduler = scheduler;
                }
                self.toast(self.t("Saved.", "저장했습니다."));
                vec![Effect::Refresh]
            }
            Err(why) => {
                self.toast(crate::i18n::localize(&why, self.lang).into_owned());
                Vec::new()
            }
        }
    }
}

/// The lesson text's width for a terminal size (the table of contents takes a column).
pub fn lesson_width(size: (u16, u16), toc: bool) -> u16 {
    let width = size.0.saturating_sub(4).min(100);
    if toc {
        width.saturating_sub(30).max(20)
    } else {
        width.max(20)
    }
}

/// Renders a topic's lesson to a width.
pub fn render_lesson(ctx: &Ctx, deck: usize, topic: usize, width: u16) -> markdown::Rendered {
    let text = ctx.topic(deck, topic).lesson.get(ctx.tag());
    markdown::render(text, width, ctx.theme)
}

/// How long until a due time, the way the rating buttons show it: `1m`, `10m`, `3d`, `2mo` in
/// English; in Korean `1분`, `10분`, `3일`, `2개월` (Anki's Korean words: 분, 시간, 일, 개월, 년).
pub fn short_interval_in(lang: Lang, from: Timestamp, to: Timestamp) -> String {
    let english = short_interval(from, to);
    if lang == Lang::En {
        return english;
    }
    let split = english
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(english.len());
    let (number, unit) = english.split_at(split);
    let unit = match unit {
        "m" => "분",
        "h" => "시간",
        "d" => "일",
        "mo" => "개월",
        "y" => "년",
        other => other,
    };
    format!("{number}{unit}")
}

/// How long until a due time in English (see [`short_interval_in`]).
pub fn short_interval(from: Timestamp, to: Timestamp) -> String {
    let minutes = to.duration_since(from).as_secs_f64() / 60.0;
    if minutes < 60.0 {
        format!("{}m", minutes.round().max(1.0))
    } else if minutes < 60.0 * 24.0 {
        format!("{}h", (minutes / 60.0).round())
    } else {
        let days = minutes / (60.0 * 24.0);
        if days < 30.0 {
            format!("{}d", days.round())
        } else if days < 365.0 {
            format!("{:.1}mo", days / 30.0).replace(".0mo", "mo")
        } else {
            format!("{:.1}y", days / 365.0).replace(".0y", "y")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_are_in_the_interface_language() {
        let now: Timestamp = "2026-06-01T09:00:00Z".parse().unwrap();
        let after = |seconds: i64| now + SignedDuration::from_secs(seconds);
        let both = |seconds| {
            (
                short_interval_in(Lang::En, now, after(seconds)),
                short_interval_in(Lang::Ko, now, after(seconds)),
            )
        };
        assert_eq!(both(60), ("1m".into(), "1분".into()));
        assert_eq!(both(3 * 3600), ("3h".into(), "3시간".into()));
        assert_eq!(both(8 * 86_400), ("8d".into(), "8일".into()));
        assert_eq!(both(60 * 86_400), ("2mo".into(), "2개월".into()));
        assert_eq!(both(550 * 86_400), ("1.5y".into(), "1.5년".into()));
    }
}
