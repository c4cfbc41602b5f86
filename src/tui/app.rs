//! The interface's whole state and its one way of changing: [`App::update`] takes an
//! [`Action`] and returns the [`Effect`] it needs, if any. Screens are variants of [`Screen`],
//! dialogs of [`Modal`]; rendering reads `&App` and never changes it.

use std::collections::HashMap;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::action::{Action, Effect};
use super::markdown::{self, Rendered};
use super::theme::Theme;
use crate::grade::GradeReport;
use crate::grade::command::Verdict;
use crate::i18n::Lang;
use crate::manifest::Diagnostic;
use crate::model::{Deck, ItemKind, ItemRef, Library, QuestionAnswer, Topic};
use crate::search::{HitKind, Index};
use crate::srs::{Attempt, ItemState, Phase, Rating, Scheduler, Work, expected_seconds};
use crate::store::stats::Stats;
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

/// What the store says about the decks, refreshed after every rating.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// Today's queue, in order, with each item's state (`None`: new).
    pub queue: Vec<(ItemKey, Option<ItemState>)>,
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
    /// Mock exams taken, and the last one's score.
    pub exams: usize,
    pub last_exam_score: f64,
    /// Why the store could not be read, when it could not: Home says so instead of what is due.
    pub error: Option<String>,
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

/// A study session: a snapshot of a queue worked through item by item.
#[derive(Debug, Clone)]
pub struct Session {
    pub title: String,
    pub items: Vec<(ItemKey, Option<ItemState>)>,
    pub position: usize,
    /// Ratings given, in order, with the review id (for undo).
    pub done: Vec<(ItemKey, Rating, i64)>,
    pub started: Timestamp,
}

#[derive(Debug, Clone)]
pub enum Screen {
    Home {
        selected: usize,
    },
    Topic {
        deck: usize,
        topic: usize,
        selected: usize,
    },
    Lesson(Box<LessonState>),
    Card(CardState),
    Question(QuestionState),
    Exercise(Box<ExerciseState>),
    Drill(DrillState),
    Summary(SummaryState),
    Stats {
        stats: Option<Box<Stats>>,
    },
    Settings {
        selected: usize,
        editing: Option<String>,
    },
    Exam(Box<super::exam::ExamState>),
}

#[derive(Debug, Clone)]
pub struct LessonState {
    pub deck: usize,
    pub topic: usize,
    pub rendered: Rendered,
    pub scroll: usize,
    pub toc: bool,
    pub toc_selected: usize,
    /// The link chosen with Tab (an index into `rendered.links`).
    pub link: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct CardState {
    pub key: ItemKey,
    pub revealed: bool,
    pub shown_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct QuestionState {
    pub key: ItemKey,
    /// The option under the cursor.
    pub cursor: usize,
    /// Options marked (several may be right).
    pub marked: Vec<bool>,
    /// A type-in answer.
    pub input: String,
    pub result: Option<bool>,
    pub shown_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct ExerciseState {
    pub key: ItemKey,
    pub editor: TextArea<'static>,
    /// Keys go to the editor (true) or to the screen (false).
    pub typing: bool,
    /// The first line of the editor on screen.
    pub top: usize,
    /// Live diagnostics of the text as typed, and the edit they belong to.
    pub diagnostics: Vec<Diagnostic>,
    pub generation: u64,
    pub checked_generation: u64,
    /// When the debounced check is due.
    pub check_at: Option<Timestamp>,
    pub report: Option<Box<GradeReport>>,
    pub hints: usize,
    pub solution_seen: bool,
    pub show_solution: bool,
    pub tries: u32,
    pub passed: bool,
    pub rated: bool,
    /// Moving on once the give-up rating is saved.
    pub leaving: bool,
    /// The text last graded (leaving after grading loses nothing).
    pub graded_text: Option<String>,
    pub opened: Timestamp,
    pub prompt_scroll: usize,
    /// The answer file being watched (`w`), as shown: every save is graded.
    pub watching: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DrillState {
    pub key: ItemKey,
    pub input: String,
    /// Cursor position, in characters.
    pub cursor: usize,
    /// Which history entry is shown (Up/Down), from the newest.
    pub history_at: Option<usize>,
    pub verdict: Option<Box<Verdict>>,
    pub tries: u32,
    pub shown_answer: bool,
    pub rated: bool,
    pub leaving: bool,
    pub opened: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SummaryState {
    pub title: String,
    pub ratings: [usize; 4],
    pub minutes: f64,
    pub remaining: usize,
}

#[derive(Debug, Clone)]
pub enum Modal {
    Help,
    Confirm { question: Question },
    Search { query: String, selected: usize },
    Message(String),
}

/// The questions a confirm dialog asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    LeaveUnsaved,
    EndSession,
    ShowSolution,
    Quit,
    /// Hand the exam in before the time is up.
    HandIn,
    /// Leave the exam without grading it.
    LeaveExam,
}

#[derive(Debug)]
pub struct App {
    pub lang: Lang,
    pub library: Library,
    /// Decks that could not be loaded cleanly (shown on Home).
    pub deck_warnings: Vec<String>,
    pub settings: Settings,
    pub scheduler: Scheduler,
    pub zone: TimeZone,
    pub now: Timestamp,
    pub theme: Theme,
    pub screen: Screen,
    /// Screens to go back to.
    pub back: Vec<Screen>,
    pub modal: Option<Modal>,
    pub session: Option<Session>,
    pub progress: Progress,
    /// Built on first use: a first frame does not wait for it (14 ms at 10,000 items).
    index: std::cell::OnceCell<Index>,
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
}

/// How long after the last keystroke the editor's manifest is checked.
pub const CHECK_DELAY: SignedDuration = SignedDuration::from_millis(300);
/// How long a message stays.
const TOAST: SignedDuration = SignedDuration::from_secs(4);
/// Below this the layout does not fit: a message asks for a bigger terminal.
pub const MIN_SIZE: (u16, u16) = (40, 12);

impl App {
    pub fn new(
        library: Library,
        settings: Settings,
        scheduler: Scheduler,
        lang: Lang,
        zone: TimeZone,
        now: Timestamp,
        theme: Theme,
    ) -> App {
        App {
            lang,
            library,
            deck_warnings: Vec::new(),
            settings,
            scheduler,
            zone,
            now,
            theme,
            screen: Screen::Home { selected: 0 },
            back: Vec::new(),
            modal: None,
            session: None,
            progress: Progress::default(),
            index: std::cell::OnceCell::new(),
            toast: None,
            history: Vec::new(),
            size: (100, 30),
            quit: false,
            last_rating: None,
            preview: None,
        }
    }

    /// The screen's key bindings as if no dialog were open (for the help overlay).
    pub fn bindings_without_modal(app: &App) -> Vec<super::keymap::Binding> {
        let saved = &app.modal;
        if saved.is_none() {
            return super::keymap::bindings(app);
        }
        super::keymap::screen_bindings(app)
    }

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
        topic_ref
            .cards
            .iter()
            .position(|card| card.id.as_str() == item)
            .map(|index| key(ItemKind::Card, index))
            .or_else(|| {
                topic_ref
                    .questions
                    .iter()
                    .position(|q| q.id.as_str() == item)
                    .map(|index| key(ItemKind::Question, index))
            })
            .or_else(|| {
                topic_ref
                    .drills
                    .iter()
                    .position(|d| d.id.as_str() == item)
                    .map(|index| key(ItemKind::Drill, index))
            })
            .or_else(|| {
                topic_ref
                    .exercises
                    .iter()
                    .position(|e| e.id.as_str() == item)
                    .map(|index| key(ItemKind::Exercise, index))
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
            for topic in 0..deck.topics.len() {
                rows.push(HomeRow::Topic(deck_index, topic));
            }
        }
        if self.exam_size() > 0 {
            rows.push(HomeRow::Exam);
        }
        rows.push(HomeRow::Stats);
        rows.push(HomeRow::Settings);
        rows
    }

    /// A topic screen's rows: its lesson, studying its cards, then each exercise and drill.
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

    pub fn topic_rows(&self, deck: usize, topic: usize) -> Vec<TopicRow> {
        let topic_ref = self.topic(deck, topic);
        let mut rows = vec![TopicRow::Lesson, TopicRow::Study];
        rows.extend((0..topic_ref.exercises.len()).map(TopicRow::Exercise));
        rows.extend((0..topic_ref.drills.len()).map(TopicRow::Drill));
        rows
    }

    pub(super) fn toast(&mut self, message: impl Into<String>) {
        self.toast = Some((message.into(), self.now + TOAST));
    }

    /// When something timed is due (the debounced check, a message): the event loop waits for
    /// input no longer than this, and not at all otherwise.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        let check = match &self.screen {
            Screen::Exercise(state) => state.check_at,
            Screen::Exam(state) => self.exam_deadline(state),
            _ => None,
        };
        [check, self.toast.as_ref().map(|(_, until)| *until)]
            .into_iter()
            .flatten()
            .min()
    }

    /// Whether leaving now would lose typed work.
    fn unsaved_work(&self) -> bool {
        match &self.screen {
            Screen::Exercise(state) => {
                let text = state.editor.lines().join("\n");
                let exercise = match self.item(state.key) {
                    ItemRef::Exercise(exercise) => exercise,
                    _ => return false,
                };
                !state.passed
                    && text.trim() != exercise.starter.as_deref().unwrap_or_default().trim()
                    && !text.trim().is_empty()
                    && state.graded_text.as_deref() != Some(text.as_str())
            }
            Screen::Drill(state) => !state.input.trim().is_empty() && state.verdict.is_none(),
            Screen::Exam(state) => state.phase == super::exam::ExamPhase::Running,
            _ => false,
        }
    }

    pub(super) fn go(&mut self, screen: Screen) {
        let old = std::mem::replace(&mut self.screen, screen);
        self.back.push(old);
    }

    fn go_back(&mut self) -> Option<Effect> {
        let effect = self.leaving_effect();
        if let Screen::Lesson(lesson) = &self.screen {
            self.progress
                .positions
                .insert((lesson.deck, lesson.topic), lesson.scroll);
        }
        match self.back.pop() {
            Some(screen) => self.screen = screen,
            None => self.screen = Screen::Home { selected: 0 },
        }
        effect
    }

    /// What leaving the current screen must save (the lesson position).
    fn leaving_effect(&self) -> Option<Effect> {
        match &self.screen {
            Screen::Lesson(lesson) => Some(Effect::SavePosition {
                deck: lesson.deck,
                topic: lesson.topic,
                line: lesson.scroll,
            }),
            _ => None,
        }
    }

    /// The one place state changes.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if let Some((_, until)) = &self.toast
            && *until <= self.now
        {
            self.toast = None;
        }
        // Results of effects apply wherever the learner is.
        match action {
            Action::Resize(width, height) => {
                self.size = (width, height);
                if let Screen::Lesson(lesson) = &mut self.screen {
                    let width = lesson_width(self.size, lesson.toc);
                    if width != lesson.rendered.width {
                        let anchor = lesson
                            .rendered
                            .headings
                            .iter()
                            .rev()
                            .find(|h| h.line <= lesson.scroll)
                            .map(|h| h.text.clone());
                        let text = self.library.decks[lesson.deck].topics[lesson.topic]
                            .lesson
                            .get(self.lang.tag());
                        lesson.rendered = markdown::render(text, width, self.theme);
                        if let Some(anchor) = anchor
                            && let Some(heading) =
                                lesson.rendered.headings.iter().find(|h| h.text == anchor)
                        {
                            lesson.scroll = heading.line;
                        }
                    }
                }
                return None;
            }
            Action::Tick => return self.tick(),
            Action::Refreshed(progress) => {
                self.progress = *progress;
                return None;
            }
            Action::Failed(message) => {
                self.toast(message);
                return None;
            }
            Action::Rated { key, after, review } => return self.rated(key, after, review),
            Action::Undone(restored) => return self.undone(restored),
            Action::Graded(report) => return self.graded(*report),
            Action::Judged(verdict) => return self.judged(*verdict),
            Action::Checked {
                generation,
                diagnostics,
            } => {
                if let Screen::Exercise(state) = &mut self.screen
                    && state.generation == generation
                {
                    state.diagnostics = diagnostics;
                    state.checked_generation = generation;
                } else {
                    self.exam_checked(generation, diagnostics);
                }
                return None;
            }
            Action::Watching { shown, kept } => {
                if let Screen::Exercise(state) = &mut self.screen {
                    if let Some(text) = &kept {
                        state.editor = editor_with(text);
                        state.generation += 1;
                        state.check_at = Some(self.now);
                    }
                    let message = match (self.lang, kept.is_some()) {
                        (Lang::En, false) => format!(
                            "Watching {shown}: edit it in another window; every save is graded here."
                        ),
                        (Lang::En, true) => {
                            format!("Watching {shown} (kept as it was): every save is graded here.")
                        }
                        (Lang::Ko, false) => format!(
                            "{shown}을(를) 감시합니다. 다른 창에서 고쳐 저장할 때마다 여기서 채점합니다."
                        ),
                        (Lang::Ko, true) => format!(
                            "{shown}을(를) 그대로 두고 감시합니다. 저장할 때마다 여기서 채점합니다."
                        ),
                    };
                    state.watching = Some(shown);
                    self.toast(message);
                }
                return None;
            }
            Action::EditorClosed(result) => {
                match (result, &mut self.screen) {
                    (Ok(text), Screen::Exam(_)) => self.exam_editor_closed(&text),
                    (Ok(text), Screen::Exercise(state)) => {
                        state.editor = editor_with(&text);
                        state.generation += 1;
                        state.check_at = Some(self.now);
                    }
                    (Err(why), _) => self.toast(why),
                    _ => {}
                }
                return None;
            }
            Action::SettingSaved(result) => {
                match result {
                    Ok(settings) => {
                        self.settings = *settings;
                        if let Ok(scheduler) = crate::study::scheduler(&self.settings, &self.zone) {
                            self.scheduler = scheduler;
                        }
                        self.toast(self.t("Saved.", "저장했습니다."));
                        return Some(Effect::Refresh);
                    }
                    Err(why) => self.toast(why),
                }
                return None;
            }
            Action::Reload => {
                return self.preview.is_some().then_some(Effect::Reload);
            }
            Action::Reloaded(reload) => return self.reloaded(*reload),
            Action::ExamGraded(graded) => return self.exam_graded(*graded),
            Action::StatsLoaded(stats) => {
                if let Screen::Stats { stats: slot } = &mut self.screen {
                    *slot = Some(stats);
                }
                return None;
            }
            _ => {}
        }
        // Dialogs take keys first.
        if self.modal.is_some() {
            return self.update_modal(action);
        }
        match action {
            Action::Quit => {
                if self.unsaved_work() || self.session.is_some() {
                    self.modal = Some(Modal::Confirm {
                        question: Question::Quit,
                    });
                    return None;
                }
                self.quit = true;
                return self.leaving_effect().or(Some(Effect::Quit));
            }
            Action::Help => {
                self.modal = Some(Modal::Help);
                return None;
            }
            Action::Search => {
                self.modal = Some(Modal::Search {
                    query: String::new(),
                    selected: 0,
                });
                return None;
            }
            Action::GoStats => {
                self.go(Screen::Stats { stats: None });
                return Some(Effect::LoadStats);
            }
            Action::GoSettings => {
                self.go(Screen::Settings {
                    selected: 0,
                    editing: None,
                });
                return None;
            }
            Action::Continue => return self.start_session(None),
            _ => {}
        }
        let screen = std::mem::replace(&mut self.screen, Screen::Home { selected: 0 });
        let (screen, effect) = self.update_screen(screen, action);
        if let Some(screen) = screen {
            self.screen = screen;
        }
        effect
    }

    fn tick(&mut self) -> Option<Effect> {
        if let Screen::Exam(_) = &self.screen {
            return self.exam_tick();
        }
        if let Screen::Exercise(state) = &mut self.screen
            && let Some(at) = state.check_at
            && at <= self.now
        {
            state.check_at = None;
            return Some(Effect::Check {
                generation: state.generation,
                text: state.editor.lines().join("\n"),
            });
        }
        None
    }

    fn update_modal(&mut self, action: Action) -> Option<Effect> {
        let modal = self.modal.take()?;
        match modal {
            Modal::Help | Modal::Message(_) => match action {
                Action::Back
                | Action::Help
                | Action::Open
                | Action::Quit
                | Action::No
                | Action::Yes => None,
                _ => {
                    self.modal = Some(modal);
                    None
                }
            },
            Modal::Confirm { question } => match action {
                Action::Yes | Action::Open => self.confirmed(question),
                Action::No | Action::Back => None,
                _ => {
                    self.modal = Some(Modal::Confirm { question });
                    None
                }
            },
            Modal::Search {
                mut query,
                mut selected,
            } => {
                let hits = self.index().search(&query, 50).len();
                match action {
                    Action::Back => return None,
                    Action::Up => selected = selected.saturating_sub(1),
                    Action::Down => selected = (selected + 1).min(hits.saturating_sub(1)),
                    Action::Open => return self.open_hit(&query, selected),
                    Action::Paste(text) => {
                        query.push_str(&text.replace(['\n', '\r'], " "));
                        selected = 0;
                    }
                    Action::Key(key) => match key.code {
                        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                            query.push(c);
                            selected = 0;
                        }
                        KeyCode::Backspace => {
                            query.pop();
                            selected = 0;
                        }
                        _ => {}
                    },
                    _ => {}
                }
                self.modal = Some(Modal::Search { query, selected });
                None
            }
        }
    }

    fn confirmed(&mut self, question: Question) -> Option<Effect> {
        match question {
            Question::Quit => {
                self.quit = true;
                self.leaving_effect().or(Some(Effect::Quit))
            }
            Question::LeaveUnsaved => self.leave_item(true),
            Question::EndSession => self.end_session(),
            Question::HandIn => self.hand_in(),
            Question::LeaveExam => {
                let message = self
                    .t(
                        "Left the exam: it was not graded or saved.",
                        "시험을 나왔습니다. 채점하지도 저장하지도 않았습니다.",
                    )
                    .to_string();
                self.toast(message);
                match self.back.pop() {
                    Some(screen) => self.screen = screen,
                    None => self.screen = Screen::Home { selected: 0 },
                }
                Some(Effect::Refresh)
            }
            Question::ShowSolution => {
                if let Screen::Exercise(state) = &mut self.screen {
                    state.solution_seen = true;
                    state.show_solution = true;
                    state.typing = false;
                }
                None
            }
        }
    }

    fn open_hit(&mut self, query: &str, selected: usize) -> Option<Effect> {
        let target = self.index().search(query, 50).get(selected)?.target.clone();
        let deck = self
            .library
            .decks
            .iter()
            .position(|deck| deck.id.as_str() == target.deck)?;
        let topic = self
            .deck(deck)
            .topics
            .iter()
            .position(|topic| topic.id.as_str() == target.topic)?;
        match target.kind {
            HitKind::Lesson | HitKind::Heading => {
                let line = target.line.unwrap_or(0);
                self.open_lesson(deck, topic, Some(line));
                None
            }
            _ => {
                let key = self.find_item(deck, topic, target.item.as_deref()?)?;
                self.open_item(key, false)
            }
        }
    }

    /// Opens what a lesson link points at: an item, another topic's lesson, or (for a web
    /// page, which a terminal cannot open) its address in a message.
    fn follow_link(&mut self, deck: usize, topic: usize, target: &str) -> Option<Effect> {
        match target.split_once(':') {
            Some(("topic", id)) => {
                if let Some(index) = self
                    .deck(deck)
                    .topics
                    .iter()
                    .position(|t| t.id.as_str() == id)
                {
                    self.open_lesson(deck, index, None);
                }
                None
            }
            Some(("card" | "question" | "exercise" | "drill", id)) => {
                let key = self.find_item(deck, topic, id)?;
                self.open_item(key, false)
            }
            _ => {
                self.toast(crate::text::escape_controls(target).into_owned());
                None
            }
        }
    }

    pub(super) fn open_lesson(&mut self, deck: usize, topic: usize, source_line: Option<usize>) {
        let width = lesson_width(self.size, false);
        let text = self.topic(deck, topic).lesson.get(self.tag());
        let rendered = markdown::render(text, width, self.theme);
        // A heading's line in the Markdown source → its line on screen.
        let scroll = match source_line {
            Some(line) => crate::search::headings(text)
                .iter()
                .position(|(at, _)| *at == line)
                .and_then(|index| {
                    // Headings of level 2–4 in the source; the rendered list also has the title.
                    let rendered_headings: Vec<_> = rendered
                        .headings
                        .iter()
                        .filter(|h| (2..=4).contains(&h.level))
                        .collect();
                    rendered_headings.get(index).map(|h| h.line)
                })
                .unwrap_or(0),
            None => self
                .progress
                .positions
                .get(&(deck, topic))
                .copied()
                .unwrap_or(0),
        };
        let scroll = scroll.min(rendered.lines.len().saturating_sub(1));
        self.go(Screen::Lesson(Box::new(LessonState {
            deck,
            topic,
            rendered,
            scroll,
            toc: false,
            toc_selected: 0,
            link: None,
        })));
    }

    /// Opens one item: within the session, or on its own (from a topic or a search).
    pub(super) fn open_item(&mut self, key: ItemKey, in_session: bool) -> Option<Effect> {
        let screen = self.item_screen(key);
        if in_session {
            self.screen = screen;
        } else {
            self.go(screen);
        }
        None
    }

    /// A fresh screen for one item.
    pub(super) fn item_screen(&self, key: ItemKey) -> Screen {
        let now = self.now;
        match self.item(key) {
            ItemRef::Card(_) => Screen::Card(CardState {
                key,
                revealed: false,
                shown_at: now,
            }),
            ItemRef::Question(question) => {
                let options = match &question.answer {
                    QuestionAnswer::Choice { options, .. } => options.len(),
                    QuestionAnswer::TypeIn { .. } => 0,
                };
                Screen::Question(QuestionState {
                    key,
                    cursor: 0,
                    marked: vec![false; options],
                    input: String::new(),
                    result: None,
                    shown_at: now,
                })
            }
            ItemRef::Exercise(exercise) => {
                let text = exercise.starter.clone().unwrap_or_default();
                Screen::Exercise(Box::new(ExerciseState {
                    key,
                    editor: editor_with(&text),
                    typing: false,
                    top: 0,
                    diagnostics: Vec::new(),
                    generation: 0,
                    checked_generation: 0,
                    // A starter is checked at once: a broken one shows its mistakes on arrival.
                    check_at: (!text.trim().is_empty()).then_some(now),
                    report: None,
                    hints: 0,
                    solution_seen: false,
                    show_solution: false,
                    tries: 0,
                    passed: false,
                    rated: false,
                    leaving: false,
                    graded_text: None,
                    opened: now,
                    prompt_scroll: 0,
                    watching: None,
                }))
            }
            ItemRef::Drill(_) => Screen::Drill(DrillState {
                key,
                input: String::new(),
                cursor: 0,
                history_at: None,
                verdict: None,
                tries: 0,
                shown_answer: false,
                rated: false,
                leaving: false,
                opened: now,
            }),
        }
    }

    /// Starts a session over today's queue, or over one topic's cards and questions.
    fn start_session(&mut self, topic: Option<(usize, usize)>) -> Option<Effect> {
        let items: Vec<(ItemKey, Option<ItemState>)> = match topic {
            None => self.progress.queue.clone(),
            Some((deck, topic)) => {
                // The topic's due items first, then its new cards and questions.
                let mut due: Vec<(ItemKey, Option<ItemState>)> = self
                    .progress
                    .queue
                    .iter()
                    .filter(|(key, _)| key.deck == deck && key.topic == topic)
                    .cloned()
                    .collect();
                let topic_ref = self.topic(deck, topic);
                for (kind, count) in [
                    (ItemKind::Card, topic_ref.cards.len()),
                    (ItemKind::Question, topic_ref.questions.len()),
                ] {
                    for index in 0..count {
                        let key = ItemKey {
                            deck,
                            topic,
                            kind,
                            index,
                        };
                        if !self.progress.states.contains_key(&key)
                            && !due.iter().any(|(queued, _)| *queued == key)
                        {
                            due.push((key, None));
                        }
                    }
                }
                due
            }
        };
        if items.is_empty() {
            let message = self.t("Nothing is due now. New items come tomorrow, or study a topic from Home.", "지금 할 항목이 없습니다. 새 항목은 내일 나오며, 홈에서 주제를 골라 학습할 수도 있습니다.").to_string();
            self.toast(message);
            return None;
        }
        let title = match topic {
            None => self.t("Today", "오늘의 학습").to_string(),
            Some((deck, topic)) => self.topic(deck, topic).title.get(self.tag()).to_string(),
        };
        let first = items[0].0;
        self.session = Some(Session {
            title,
            items,
            position: 0,
            done: Vec::new(),
            started: self.now,
        });
        let back_to = std::mem::replace(&mut self.screen, Screen::Home { selected: 0 });
        self.back.push(back_to);
        self.open_item(first, true)
    }

    /// Moves the session on, or ends it.
    fn advance(&mut self) -> Option<Effect> {
        let Some(session) = &mut self.session else {
            return self.go_back();
        };
        session.position += 1;
        match session.items.get(session.position) {
            Some((key, _)) => {
                let key = *key;
                self.open_item(key, true)
            }
            None => self.end_session(),
        }
    }

    fn end_session(&mut self) -> Option<Effect> {
        let session = self.session.take()?;
        let mut ratings = [0usize; 4];
        for (_, rating, _) in &session.done {
            ratings[rating.number() as usize - 1] += 1;
        }
        let remaining = session.items.len().saturating_sub(session.position + 1);
        self.screen = Screen::Summary(SummaryState {
            title: session.title,
            ratings,
            minutes: self.now.duration_since(session.started).as_secs_f64() / 60.0,
            remaining,
        });
        Some(Effect::Refresh)
    }

    /// Leaves the current item: on to the next in a session, or back. A tried but unpassed
    /// exercise or drill counts as forgotten.
    fn leave_item(&mut self, confirmed: bool) -> Option<Effect> {
        if !confirmed && self.unsaved_work() {
            self.modal = Some(Modal::Confirm {
                question: Question::LeaveUnsaved,
            });
            return None;
        }
        if let Some(effect) = self.give_up_rating() {
            return Some(effect);
        }
        if self.session.is_some() {
            self.advance()
        } else {
            self.go_back()
        }
    }

    /// The Again rating of an exercise or drill tried (or whose answer was shown) but not
    /// passed, saved when the learner moves on.
    fn give_up_rating(&mut self) -> Option<Effect> {
        let now = self.now;
        let (key, opened) = match &mut self.screen {
            Screen::Exercise(state) if !state.rated && (state.tries > 0 || state.solution_seen) => {
                state.rated = true;
                state.leaving = true;
                (state.key, state.opened)
            }
            Screen::Drill(state) if !state.rated && (state.tries > 0 || state.shown_answer) => {
                state.rated = true;
                state.leaving = true;
                (state.key, state.opened)
            }
            _ => return None,
        };
        self.last_rating = Some(Rating::Again);
        Some(self.rate(key, Rating::Again, now.duration_since(opened), Some(0.0)))
    }

    fn state_of(&self, key: ItemKey) -> Option<ItemState> {
        if let Some(session) = &self.session
            && let Some((_, state)) = session
                .items
                .get(session.position)
                .filter(|(queued, _)| *queued == key)
        {
            return state.clone();
        }
        self.progress.states.get(&key).cloned()
    }

    fn rate(
        &self,
        key: ItemKey,
        rating: Rating,
        took: SignedDuration,
        score: Option<f64>,
    ) -> Effect {
        Effect::Rate {
            key,
            before: self.state_of(key),
            rating,
            at: self.now,
            duration_ms: took.as_millis().clamp(0, i128::from(i64::MAX)) as i64,
            score,
        }
    }

    /// A rating was saved: note it, bring learning items back later in the session, move on.
    fn rated(&mut self, key: ItemKey, after: ItemState, review: i64) -> Option<Effect> {
        let rating = self.last_rating.unwrap_or(Rating::Good);
        self.progress.states.insert(key, after.clone());
        if let Some(session) = &mut self.session {
            session.done.push((key, rating, review));
            if matches!(after.phase, Phase::Learning | Phase::Relearning)
                && after.due <= self.now + crate::srs::queue::LEARN_AHEAD
            {
                session.items.push((key, Some(after)));
            }
        }
        match &self.screen {
            // Cards move on at once; questions, exercises and drills stay on their result,
            // unless the learner was leaving.
            Screen::Card(_) => self.advance(),
            Screen::Exercise(state) if state.leaving => self.advance_or_back(),
            Screen::Drill(state) if state.leaving => self.advance_or_back(),
            _ => None,
        }
    }

    fn undone(&mut self, restored: Option<(ItemKey, Option<ItemState>)>) -> Option<Effect> {
        let Some((key, state)) = restored else {
            self.toast(self.t("Nothing to undo.", "되돌릴 것이 없습니다."));
            return None;
        };
        match &state {
            Some(state) => {
                self.progress.states.insert(key, state.clone());
            }
            None => {
                self.progress.states.remove(&key);
            }
        }
        if let Some(session) = &mut self.session {
            session.done.pop();
            // Drop the requeued copy, if the undone rating had requeued it.
            if session.items.len() > session.position + 1
                && session
                    .items
                    .last()
                    .is_some_and(|(queued, _)| *queued == key)
                && session
                    .items
                    .iter()
                    .filter(|(queued, _)| *queued == key)
                    .count()
                    > 1
            {
                session.items.pop();
            }
            if let Some(at) = session.items[..=session.position.min(session.items.len() - 1)]
                .iter()
                .rposition(|(queued, _)| *queued == key)
            {
                session.position = at;
                session.items[at].1 = state;
            }
        }
        self.toast(self.t(
            "Undone: the item is back.",
            "되돌렸습니다. 항목을 다시 보여 드립니다.",
        ));
        self.open_item(key, self.session.is_some())
    }

    fn graded(&mut self, report: GradeReport) -> Option<Effect> {
        let now = self.now;
        let Screen::Exercise(state) = &mut self.screen else {
            return None;
        };
        state.tries += 1;
        state.typing = false;
        state.graded_text = Some(state.editor.lines().join("\n"));
        let passed = report.passed;
        let score = report.score;
        state.report = Some(Box::new(report));
        if passed && !state.rated {
            state.passed = true;
            state.rated = true;
            let key = state.key;
            let Screen::Exercise(state) = &self.screen else {
                return None;
            };
            let difficulty = match self.item(key) {
                ItemRef::Exercise(exercise) => exercise.difficulty,
                _ => 1,
            };
            let attempt = Attempt {
                passed: true,
                hints_used: state.hints as u32,
                solution_seen: state.solution_seen,
                tries: state.tries,
                seconds: now.duration_since(state.opened).as_secs_f64(),
                expected_seconds: expected_seconds(Work::Exercise(difficulty)),
            };
            let (key, opened) = (state.key, state.opened);
            let rating = attempt.rating();
            self.last_rating = Some(rating);
            return Some(self.rate(key, rating, now.duration_since(opened), Some(score)));
        }
        None
    }

    fn judged(&mut self, verdict: Verdict) -> Option<Effect> {
        let now = self.now;
        let Screen::Drill(state) = &mut self.screen else {
            return None;
        };
        state.tries += 1;
        let correct = verdict.correct;
        let command = state.input.trim().to_string();
        state.verdict = Some(Box::new(verdict));
        if !command.is_empty() && self.history.last() != Some(&command) {
            self.history.push(command);
        }
        let Screen::Drill(state) = &mut self.screen else {
            return None;
        };
        if correct && !state.rated {
            state.rated = true;
            let attempt = Attempt {
                passed: true,
                hints_used: 0,
                solution_seen: state.shown_answer,
                tries: state.tries,
                seconds: now.duration_since(state.opened).as_secs_f64(),
                expected_seconds: expected_seconds(Work::Drill),
            };
            let (key, opened) = (state.key, state.opened);
            let rating = attempt.rating();
            self.last_rating = Some(rating);
            return Some(self.rate(key, rating, now.duration_since(opened), Some(1.0)));
        }
        None
    }

    /// The screen's own keys. Returns the screen to show (None: `self.screen` was set anew).
    fn update_screen(
        &mut self,
        screen: Screen,
        action: Action,
    ) -> (Option<Screen>, Option<Effect>) {
        match screen {
            Screen::Home { mut selected } => {
                let rows = self.home_rows();
                match action {
                    Action::Up => selected = selected.saturating_sub(1),
                    Action::Down => selected = (selected + 1).min(rows.len() - 1),
                    Action::Top => selected = 0,
                    Action::Bottom => selected = rows.len() - 1,
                    Action::PageDown => selected = (selected + 10).min(rows.len() - 1),
                    Action::PageUp => selected = selected.saturating_sub(10),
                    Action::Scroll(lines) => {
                        selected = (selected as i64 + i64::from(lines))
                            .clamp(0, rows.len() as i64 - 1)
                            as usize
                    }
                    Action::Back => {
                        self.screen = Screen::Home { selected };
                        return (None, self.update(Action::Quit));
                    }
                    Action::Open | Action::Right => {
                        self.screen = Screen::Home { selected };
                        let effect = match rows[selected] {
                            HomeRow::Continue => self.start_session(None),
                            HomeRow::Topic(deck, topic) => {
                                self.go(Screen::Topic {
                                    deck,
                                    topic,
                                    selected: 0,
                                });
                                None
                            }
                            HomeRow::Exam => {
                                let seed = crate::exam::new_seed(self.now);
                                let options = crate::exam::ExamOptions {
                                    tasks: self.exam_size(),
                                    ..crate::exam::ExamOptions::with_seed(seed)
                                };
                                let opened = crate::exam::plan(&self.library, &options)
                                    .map_err(|error| error.to_string())
                                    .and_then(|plan| self.open_exam(plan));
                                if let Err(why) = opened {
                                    self.toast(why);
                                }
                                None
                            }
                            HomeRow::Stats => self.update(Action::GoStats),
                            HomeRow::Settings => self.update(Action::GoSettings),
                        };
                        return (None, effect);
                    }
                    Action::StudyTopic => {
                        if let HomeRow::Topic(deck, topic) = rows[selected] {
                            self.screen = Screen::Home { selected };
                            return (None, self.start_session(Some((deck, topic))));
                        }
                    }
                    _ => {}
                }
                (Some(Screen::Home { selected }), None)
            }
            Screen::Topic {
                deck,
                topic,
                mut selected,
            } => {
                let rows = self.topic_rows(deck, topic);
                match action {
                    Action::Up => selected = selected.saturating_sub(1),
                    Action::Down => selected = (selected + 1).min(rows.len() - 1),
                    Action::Top => selected = 0,
                    Action::Bottom => selected = rows.len() - 1,
                    Action::Scroll(lines) => {
                        selected = (selected as i64 + i64::from(lines))
                            .clamp(0, rows.len() as i64 - 1)
                            as usize
                    }
                    Action::Back | Action::Left => {
                        self.screen = Screen::Topic {
                            deck,
                            topic,
                            selected,
                        };
                        return (None, self.go_back());
                    }
                    Action::StudyTopic => {
                        self.screen = Screen::Topic {
                            deck,
                            topic,
                            selected,
                        };
                        return (None, self.start_session(Some((deck, topic))));
                    }
                    Action::Open | Action::Right => {
                        self.screen = Screen::Topic {
                            deck,
                            topic,
                            selected,
                        };
                        let effect = match rows[selected] {
                            TopicRow::Lesson => {
                                self.open_lesson(deck, topic, None);
                                None
                            }
                            TopicRow::Study => self.start_session(Some((deck, topic))),
                            TopicRow::Exercise(index) => self.open_item(
                                ItemKey {
                                    deck,
                                    topic,
                                    kind: ItemKind::Exercise,
                                    index,
                                },
                                false,
                            ),
                            TopicRow::Drill(index) => self.open_item(
                                ItemKey {
                                    deck,
                                    topic,
                                    kind: ItemKind::Drill,
                                    index,
                                },
                                false,
                            ),
                        };
                        return (None, effect);
                    }
                    _ => {}
                }
                (
                    Some(Screen::Topic {
                        deck,
                        topic,
                        selected,
                    }),
                    None,
                )
            }
            Screen::Lesson(mut lesson) => {
                let height = usize::from(self.size.1.saturating_sub(4)).max(1);
                let last = lesson.rendered.lines.len().saturating_sub(1);
                let headings = lesson.rendered.headings.clone();
                if lesson.toc {
                    match action {
                        Action::Up => lesson.toc_selected = lesson.toc_selected.saturating_sub(1),
                        Action::Down => {
                            lesson.toc_selected =
                                (lesson.toc_selected + 1).min(headings.len().saturating_sub(1))
                        }
                        Action::Open | Action::Right => {
                            if let Some(heading) = headings.get(lesson.toc_selected) {
                                lesson.scroll = heading.line;
                            }
                            lesson.toc = false;
                            self.rewrap(&mut lesson);
                        }
                        Action::ToggleToc | Action::Back | Action::Left => {
                            lesson.toc = false;
                            self.rewrap(&mut lesson);
                        }
                        _ => {}
                    }
                    return (Some(Screen::Lesson(lesson)), None);
                }
                match action {
                    Action::Up => {
                        lesson.scroll = lesson.scroll.saturating_sub(1);
                        lesson.link = None;
                    }
                    Action::Down => {
                        lesson.scroll = (lesson.scroll + 1).min(last);
                        lesson.link = None;
                    }
                    Action::PageUp => lesson.scroll = lesson.scroll.saturating_sub(height),
                    Action::PageDown => lesson.scroll = (lesson.scroll + height).min(last),
                    Action::Top => lesson.scroll = 0,
                    Action::Bottom => lesson.scroll = last.saturating_sub(height / 2),
                    Action::Scroll(lines) => {
                        lesson.scroll =
                            (lesson.scroll as i64 + i64::from(lines)).clamp(0, last as i64) as usize
                    }
                    Action::NextHeading => {
                        if let Some(heading) = headings.iter().find(|h| h.line > lesson.scroll) {
                            lesson.scroll = heading.line;
                        }
                    }
                    Action::PreviousHeading => {
                        if let Some(heading) =
                            headings.iter().rev().find(|h| h.line < lesson.scroll)
                        {
                            lesson.scroll = heading.line;
                        }
                    }
                    Action::ToggleToc => {
                        lesson.toc = true;
                        lesson.toc_selected = headings
                            .iter()
                            .rposition(|h| h.line <= lesson.scroll)
                            .unwrap_or(0);
                        self.rewrap(&mut lesson);
                    }
                    Action::NextLink | Action::PreviousLink => {
                        let links = &lesson.rendered.links;
                        let visible =
                            |line: usize| line >= lesson.scroll && line < lesson.scroll + height;
                        let order: Vec<usize> = (0..links.len())
                            .filter(|index| visible(links[*index].line))
                            .collect();
                        lesson.link = match (
                            lesson.link.and_then(|current| {
                                order.iter().position(|index| *index == current)
                            }),
                            matches!(action, Action::NextLink),
                        ) {
                            (None, _) => order.first().copied(),
                            (Some(at), true) => order.get(at + 1).or(order.first()).copied(),
                            (Some(at), false) => {
                                order.get(at.wrapping_sub(1)).or(order.last()).copied()
                            }
                        };
                    }
                    Action::Open => {
                        if let Some(link) = lesson
                            .link
                            .and_then(|index| lesson.rendered.links.get(index))
                            .cloned()
                        {
                            let (deck, topic) = (lesson.deck, lesson.topic);
                            self.screen = Screen::Lesson(lesson);
                            return (None, self.follow_link(deck, topic, &link.target));
                        }
                    }
                    Action::StudyTopic => {
                        let (deck, topic) = (lesson.deck, lesson.topic);
                        self.screen = Screen::Lesson(lesson);
                        let save = self.leaving_effect();
                        let effect = self.start_session(Some((deck, topic)));
                        return (None, effect.or(save));
                    }
                    Action::Back | Action::Left => {
                        self.screen = Screen::Lesson(lesson);
                        return (None, self.go_back());
                    }
                    _ => {}
                }
                (Some(Screen::Lesson(lesson)), None)
            }
            Screen::Card(mut card) => {
                match action {
                    Action::Reveal | Action::Open if !card.revealed => card.revealed = true,
                    Action::Rate(rating) if card.revealed => {
                        let effect = self.rate(
                            card.key,
                            rating,
                            self.now.duration_since(card.shown_at),
                            None,
                        );
                        self.last_rating = Some(rating);
                        return (Some(Screen::Card(card)), Some(effect));
                    }
                    Action::Undo => return (Some(Screen::Card(card)), self.undo()),
                    Action::Back => {
                        self.screen = Screen::Card(card);
                        return (None, self.ask_end_or_back());
                    }
                    _ => {}
                }
                (Some(Screen::Card(card)), None)
            }
            Screen::Question(question) => self.update_question(question, action),
            Screen::Exercise(exercise) => self.update_exercise(exercise, action),
            Screen::Drill(drill) => self.update_drill(drill, action),
            Screen::Summary(summary) => match action {
                Action::Back | Action::Open => {
                    self.screen = Screen::Summary(summary);
                    (None, self.go_back())
                }
                Action::Continue => (Some(Screen::Summary(summary)), self.start_session(None)),
                _ => (Some(Screen::Summary(summary)), None),
            },
            Screen::Stats { stats } => match action {
                Action::Back | Action::Left => {
                    self.screen = Screen::Stats { stats };
                    (None, self.go_back())
                }
                _ => (Some(Screen::Stats { stats }), None),
            },
            Screen::Settings { selected, editing } => {
                self.update_settings(selected, editing, action)
            }
            Screen::Exam(state) => self.update_exam(state, action),
        }
    }

    fn ask_end_or_back(&mut self) -> Option<Effect> {
        if self.session.is_some() {
            self.modal = Some(Modal::Confirm {
                question: Question::EndSession,
            });
            None
        } else {
            self.go_back()
        }
    }

    fn undo(&mut self) -> Option<Effect> {
        let deck = self.session.as_ref()?.done.last()?.0.deck;
        Some(Effect::Undo { deck })
    }

    fn rewrap(&self, lesson: &mut LessonState) {
        let width = lesson_width(self.size, lesson.toc);
        if width != lesson.rendered.width {
            let text = self.topic(lesson.deck, lesson.topic).lesson.get(self.tag());
            let anchor = lesson
                .rendered
                .headings
                .iter()
                .rev()
                .find(|h| h.line <= lesson.scroll)
                .map(|h| h.text.clone());
            lesson.rendered = markdown::render(text, width, self.theme);
            if let Some(anchor) = anchor
                && let Some(heading) = lesson.rendered.headings.iter().find(|h| h.text == anchor)
            {
                lesson.scroll = heading.line;
            }
        }
    }

    fn update_question(
        &mut self,
        mut state: QuestionState,
        action: Action,
    ) -> (Option<Screen>, Option<Effect>) {
        let ItemRef::Question(question) = self.item(state.key) else {
            return (Some(Screen::Question(state)), None);
        };
        let answer = question.answer.clone();
        if state.result.is_some() {
            return match action {
                Action::Open | Action::Reveal | Action::Next => {
                    self.screen = Screen::Question(state);
                    (None, self.advance_or_back())
                }
                Action::Undo => (Some(Screen::Question(state)), self.undo()),
                Action::Back => {
                    self.screen = Screen::Question(state);
                    (None, self.ask_end_or_back())
                }
                _ => (Some(Screen::Question(state)), None),
            };
        }
        match (&answer, action) {
            (QuestionAnswer::Choice { .. }, Action::Up) => {
                state.cursor = state.cursor.saturating_sub(1)
            }
            (QuestionAnswer::Choice { options, .. }, Action::Down) => {
                state.cursor = (state.cursor + 1).min(options.len() - 1)
            }
            (QuestionAnswer::Choice { options, correct }, Action::Choose(index))
                if index < options.len() =>
            {
                state.cursor = index;
                if correct.len() == 1 {
                    state.marked = vec![false; options.len()];
                    state.marked[index] = true;
                    return self.answer_question(state);
                }
                state.marked[index] = !state.marked[index];
            }
            (QuestionAnswer::Choice { correct, .. }, Action::Reveal) if correct.len() > 1 => {
                let cursor = state.cursor;
                state.marked[cursor] = !state.marked[cursor];
            }
            (QuestionAnswer::Choice { correct, .. }, Action::Open) => {
                if correct.len() == 1 || !state.marked.iter().any(|marked| *marked) {
                    state.marked = vec![false; state.marked.len()];
                    let cursor = state.cursor;
                    state.marked[cursor] = true;
                }
                return self.answer_question(state);
            }
            (QuestionAnswer::TypeIn { .. }, Action::Open) if !state.input.trim().is_empty() => {
                return self.answer_question(state);
            }
            (QuestionAnswer::TypeIn { .. }, Action::Key(key)) => {
                edit_line(&mut state.input, None, key)
            }
            (QuestionAnswer::TypeIn { .. }, Action::Paste(text)) => {
                state.input.push_str(&text.replace(['\n', '\r'], " "))
            }
            (_, Action::Undo) => return (Some(Screen::Question(state)), self.undo()),
            (_, Action::Back) => {
                self.screen = Screen::Question(state);
                return (None, self.ask_end_or_back());
            }
            _ => {}
        }
        (Some(Screen::Question(state)), None)
    }

    fn answer_question(&mut self, mut state: QuestionState) -> (Option<Screen>, Option<Effect>) {
        let ItemRef::Question(question) = self.item(state.key) else {
            return (Some(Screen::Question(state)), None);
        };
        let correct = match &question.answer {
            QuestionAnswer::Choice { correct, .. } => {
                let picked: Vec<usize> = state
                    .marked
                    .iter()
                    .enumerate()
                    .filter(|(_, marked)| **marked)
                    .map(|(index, _)| index)
                    .collect();
                let mut wanted = correct.clone();
                wanted.sort_unstable();
                picked == wanted
            }
            QuestionAnswer::TypeIn { accept } => {
                let normalize = |text: &str| {
                    text.trim()
                        .trim_matches(['"', '\'', '`'])
                        .trim()
                        .to_lowercase()
                };
                accept
                    .iter()
                    .any(|accepted| normalize(accepted) == normalize(&state.input))
            }
        };
        state.result = Some(correct);
        let attempt = Attempt {
            passed: correct,
            hints_used: 0,
            solution_seen: false,
            tries: 1,
            seconds: self.now.duration_since(state.shown_at).as_secs_f64(),
            expected_seconds: expected_seconds(Work::Question),
        };
        let rating = attempt.rating();
        self.last_rating = Some(rating);
        let effect = self.rate(
            state.key,
            rating,
            self.now.duration_since(state.shown_at),
            Some(if correct { 1.0 } else { 0.0 }),
        );
        (Some(Screen::Question(state)), Some(effect))
    }

    fn advance_or_back(&mut self) -> Option<Effect> {
        if self.session.is_some() {
            self.advance()
        } else {
            self.go_back()
        }
    }

    fn update_exercise(
        &mut self,
        mut state: Box<ExerciseState>,
        action: Action,
    ) -> (Option<Screen>, Option<Effect>) {
        if state.typing {
            if let Action::Submit = action {
                return self.submit_exercise(state);
            }
            self.type_in_editor(&mut state, action);
            return (Some(Screen::Exercise(state)), None);
        }
        match action {
            Action::Focus | Action::Open if !state.passed => {
                state.typing = true;
                state.show_solution = false;
            }
            Action::Open | Action::Next if state.passed => {
                self.screen = Screen::Exercise(state);
                return (None, self.advance_or_back());
            }
            Action::Next => {
                self.screen = Screen::Exercise(state);
                return (None, self.leave_item(false));
            }
            Action::Submit => return self.submit_exercise(state),
            Action::Hint => {
                let hints = match self.item(state.key) {
                    ItemRef::Exercise(exercise) => exercise.hints.len(),
                    _ => 0,
                };
                if state.hints < hints {
                    state.hints += 1;
                } else {
                    let message = self
                        .t(
                            "No more hints: `s` shows the solution.",
                            "힌트가 더 없습니다. `s`를 누르면 풀이를 볼 수 있습니다.",
                        )
                        .to_string();
                    self.toast(message);
                }
            }
            Action::ShowSolution => {
                if state.solution_seen || state.passed {
                    state.show_solution = !state.show_solution;
                } else {
                    self.modal = Some(Modal::Confirm {
                        question: Question::ShowSolution,
                    });
                }
            }
            Action::ExternalEditor => {
                let text = state.editor.lines().join("\n");
                return (
                    Some(Screen::Exercise(state)),
                    Some(Effect::OpenEditor { text }),
                );
            }
            Action::Watch if state.watching.is_none() => {
                let name = match self.item(state.key) {
                    ItemRef::Exercise(exercise) => exercise.id.to_string(),
                    _ => return (Some(Screen::Exercise(state)), None),
                };
                let text = state.editor.lines().join("\n");
                return (
                    Some(Screen::Exercise(state)),
                    Some(Effect::WatchFile { name, text }),
                );
            }
            Action::FileSaved(text) if state.watching.is_some() && !state.passed => {
                state.editor = editor_with(&text);
                state.generation += 1;
                return self.submit_exercise(state);
            }
            Action::Up => state.prompt_scroll = state.prompt_scroll.saturating_sub(1),
            Action::Down => state.prompt_scroll += 1,
            Action::Scroll(lines) => {
                state.prompt_scroll =
                    (state.prompt_scroll as i64 + i64::from(lines)).max(0) as usize
            }
            Action::Undo => return (Some(Screen::Exercise(state)), self.undo()),
            Action::Back => {
                self.screen = Screen::Exercise(state);
                return self.back_from_item();
            }
            _ => {}
        }
        (Some(Screen::Exercise(state)), None)
    }

    /// Back from the exercise or drill on screen: first asks when typed work would be lost; in a
    /// session moves on to the next item, otherwise saves a give-up rating if one is due and
    /// goes back.
    fn back_from_item(&mut self) -> (Option<Screen>, Option<Effect>) {
        if self.unsaved_work() {
            self.modal = Some(Modal::Confirm {
                question: Question::LeaveUnsaved,
            });
            return (None, None);
        }
        if self.session.is_some() {
            return (None, self.leave_item(true));
        }
        let effect = self.give_up_rating();
        (None, effect.or_else(|| self.go_back()))
    }

    /// A key while the editor has focus: typed text (checked after a pause), a paste, a scroll;
    /// Esc (or Focus) leaves the editor.
    pub(super) fn type_in_editor(&self, state: &mut ExerciseState, action: Action) {
        match action {
            Action::Focus | Action::Back => state.typing = false,
            Action::Key(key) => {
                let before = state.editor.lines().to_vec();
                state.editor.input(key);
                if state.editor.lines() != before.as_slice() {
                    state.generation += 1;
                    state.check_at = Some(self.now + CHECK_DELAY);
                }
            }
            Action::Paste(text) => {
                state
                    .editor
                    .insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
                state.generation += 1;
                state.check_at = Some(self.now + CHECK_DELAY);
            }
            Action::Scroll(lines) => {
                state.top = (state.top as i64 + i64::from(lines)).max(0) as usize
            }
            _ => {}
        }
        self.follow_cursor(state);
    }

    fn submit_exercise(
        &mut self,
        mut state: Box<ExerciseState>,
    ) -> (Option<Screen>, Option<Effect>) {
        let answer = state.editor.lines().join("\n");
        state.typing = false;
        let effect = Effect::Grade {
            key: state.key,
            answer,
            hints: state.hints as u32,
            duration_ms: self.now.duration_since(state.opened).as_millis() as i64,
        };
        (Some(Screen::Exercise(state)), Some(effect))
    }

    /// Keeps the editor's cursor line on screen.
    fn follow_cursor(&self, state: &mut ExerciseState) {
        let ratatui_textarea::DataCursor(row, _) = state.editor.cursor();
        let height = usize::from(self.size.1.saturating_sub(8)).max(3);
        if row < state.top {
            state.top = row;
        } else if row >= state.top + height {
            state.top = row + 1 - height;
        }
    }

    fn update_drill(
        &mut self,
        mut state: DrillState,
        action: Action,
    ) -> (Option<Screen>, Option<Effect>) {
        if state
            .verdict
            .as_ref()
            .is_some_and(|verdict| verdict.correct)
        {
            return match action {
                Action::Open | Action::Next => {
                    self.screen = Screen::Drill(state);
                    (None, self.advance_or_back())
                }
                Action::Undo => (Some(Screen::Drill(state)), self.undo()),
                Action::Back => {
                    self.screen = Screen::Drill(state);
                    (None, self.ask_end_or_back())
                }
                _ => (Some(Screen::Drill(state)), None),
            };
        }
        match action {
            Action::Open | Action::Submit if !state.input.trim().is_empty() => {
                let effect = Effect::Judge {
                    key: state.key,
                    command: state.input.clone(),
                    duration_ms: self.now.duration_since(state.opened).as_millis() as i64,
                };
                return (Some(Screen::Drill(state)), Some(effect));
            }
            action @ (Action::Up | Action::Down | Action::Key(_) | Action::Paste(_)) => {
                self.type_command(&mut state, action);
            }
            Action::ShowSolution => state.shown_answer = true,
            Action::Next => {
                self.screen = Screen::Drill(state);
                return (None, self.leave_item(true));
            }
            Action::Back => {
                self.screen = Screen::Drill(state);
                return self.back_from_item();
            }
            _ => {}
        }
        (Some(Screen::Drill(state)), None)
    }

    /// A key on a drill's command line: typing, a paste (one line), and Up/Down through the
    /// commands typed before.
    pub(super) fn type_command(&self, state: &mut DrillState, action: Action) {
        match action {
            Action::Up if !self.history.is_empty() => {
                let at = state
                    .history_at
                    .map_or(0, |at| (at + 1).min(self.history.len() - 1));
                state.history_at = Some(at);
                state.input = self.history[self.history.len() - 1 - at].clone();
                state.cursor = state.input.chars().count();
            }
            Action::Down => match state.history_at {
                Some(0) | None => {
                    state.history_at = None;
                    state.input.clear();
                    state.cursor = 0;
                }
                Some(at) => {
                    state.history_at = Some(at - 1);
                    state.input = self.history[self.history.len() - at].clone();
                    state.cursor = state.input.chars().count();
                }
            },
            Action::Key(key) => {
                edit_line(&mut state.input, Some(&mut state.cursor), key);
                state.history_at = None;
            }
            Action::Paste(text) => {
                let text = text.replace(['\n', '\r'], " ");
                let at = byte_index(&state.input, state.cursor);
                state.input.insert_str(at, &text);
                state.cursor += text.chars().count();
            }
            _ => {}
        }
    }

    fn update_settings(
        &mut self,
        mut selected: usize,
        mut editing: Option<String>,
        action: Action,
    ) -> (Option<Screen>, Option<Effect>) {
        let rows = SETTINGS_ROWS;
        if let Some(mut text) = editing.take() {
            match action {
                Action::Open => {
                    let setting = rows[selected];
                    return (
                        Some(Screen::Settings {
                            selected,
                            editing: None,
                        }),
                        Some(Effect::SaveSetting(setting, text)),
                    );
                }
                Action::Back => {
                    return (
                        Some(Screen::Settings {
                            selected,
                            editing: None,
                        }),
                        None,
                    );
                }
                Action::Key(key) => edit_line(&mut text, None, key),
                Action::Paste(paste) => text.push_str(paste.trim()),
                _ => {}
            }
            return (
                Some(Screen::Settings {
                    selected,
                    editing: Some(text),
                }),
                None,
            );
        }
        match action {
            Action::Up => selected = selected.saturating_sub(1),
            Action::Down => selected = (selected + 1).min(rows.len() - 1),
            Action::Left | Action::Right | Action::Open if rows[selected] == Setting::Language => {
                self.lang = match self.lang {
                    Lang::En => Lang::Ko,
                    Lang::Ko => Lang::En,
                };
                self.reset_index();
                return (
                    Some(Screen::Settings {
                        selected,
                        editing: None,
                    }),
                    Some(Effect::SaveSetting(
                        Setting::Language,
                        self.lang.tag().to_string(),
                    )),
                );
            }
            Action::Open => {
                let current = self.setting_text(rows[selected]);
                return (
                    Some(Screen::Settings {
                        selected,
                        editing: Some(current),
                    }),
                    None,
                );
            }
            Action::Back | Action::Left => {
                self.screen = Screen::Settings {
                    selected,
                    editing: None,
                };
                return (None, self.go_back());
            }
            _ => {}
        }
        (
            Some(Screen::Settings {
                selected,
                editing: None,
            }),
            None,
        )
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
}

/// The rows of the settings screen, in order.
pub const SETTINGS_ROWS: [Setting; 6] = [
    Setting::Language,
    Setting::ExamDate,
    Setting::DesiredRetention,
    Setting::NewPerDay,
    Setting::ReviewsPerDay,
    Setting::DayStartsAt,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeRow {
    Continue,
    Topic(usize, usize),
    Exam,
    Stats,
    Settings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicRow {
    Lesson,
    Study,
    Exercise(usize),
    Drill(usize),
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

/// An editor holding `text`, set up for YAML: two-space indent, no hard tabs.
pub fn editor_with(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.lines().map(str::to_string).collect()
    };
    editor_of_lines(lines)
}

/// The editor holding exactly these lines.
pub fn editor_of_lines(lines: Vec<String>) -> TextArea<'static> {
    let mut editor = TextArea::new(lines);
    editor.set_tab_length(2);
    editor.set_hard_tab_indent(false);
    editor.set_max_histories(500);
    editor
}

fn byte_index(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(index, _)| index)
}

/// Edits a one-line field with the usual keys (Backspace, Delete, arrows, Home/End, Ctrl-U,
/// Ctrl-W); `cursor` is in characters, `None` for fields typed at the end only.
pub fn edit_line(text: &mut String, cursor: Option<&mut usize>, key: KeyEvent) {
    let mut end = text.chars().count();
    let at = match &cursor {
        Some(cursor) => (**cursor).min(end),
        None => end,
    };
    let mut at = at;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => {
            let byte = byte_index(text, at);
            text.replace_range(..byte, "");
            at = 0;
        }
        KeyCode::Char('w') if ctrl => {
            let before: String = text.chars().take(at).collect();
            let trimmed = before.trim_end();
            let start = trimmed
                .rfind(' ')
                .map_or(0, |space| trimmed[..space + 1].chars().count());
            let (from, to) = (byte_index(text, start), byte_index(text, at));
            text.replace_range(from..to, "");
            at = start;
        }
        KeyCode::Char('a') if ctrl => at = 0,
        KeyCode::Char('e') if ctrl => at = end,
        KeyCode::Char(c) if !ctrl => {
            let byte = byte_index(text, at);
            text.insert(byte, c);
            at += 1;
        }
        KeyCode::Backspace if at > 0 => {
            let byte = byte_index(text, at - 1);
            text.remove(byte);
            at -= 1;
        }
        KeyCode::Delete if at < end => {
            let byte = byte_index(text, at);
            text.remove(byte);
        }
        KeyCode::Left => at = at.saturating_sub(1),
        KeyCode::Right => at = (at + 1).min(end),
        KeyCode::Home => at = 0,
        KeyCode::End => at = end,
        _ => {}
    }
    end = text.chars().count();
    if let Some(cursor) = cursor {
        *cursor = at.min(end);
    }
}

/// How long until a due time, the way the rating buttons show it: `1m`, `10m`, `3d`, `2mo`.
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
