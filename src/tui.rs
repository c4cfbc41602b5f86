//! [feature `tui`] The terminal interface. One state machine: a terminal event becomes an
//! [`Action`] (`keymap`), [`App::update`] hands it to the screen on top, which changes its own
//! state and answers with a transition (stay, go, replace, back) and [`Effect`]s; the app applies
//! the transition, the [`Runner`] carries out the effects (store, grader, `$EDITOR`) and hands
//! each result back as an Action; the screen is drawn from `&App` (`screens`) only when something
//! changed. docs/architecture.md follows one key press through all of it.
//!
//! The loop blocks on the next event; it wakes on its own only for a timed job (the editor's
//! debounced check, a message's timeout), so an idle kubedrill costs no CPU. The terminal is
//! restored on exit, on a panic (`ratatui::init`'s hook), and on SIGTERM, SIGHUP and SIGINT.
//!
//! - `action`: the Action and Effect vocabulary;
//! - `app`: App (the context and the stack of screens), routing, Transition;
//! - `ctx`: what every screen shares (library, clock, progress, dialog, messages);
//! - `session`: a study session's moves between items;
//! - `keymap`: keys → Actions per screen; the footer and help are drawn from it;
//! - `screens`: one module per screen (state, update, draw) and the dialogs;
//! - `widgets`: drawing pieces, the editor and the one-line field;
//! - `markdown`: lessons; `yaml`: the editor's colours; `theme`: styles; `preview`: deck preview.

mod action;
mod app;
mod ctx;
mod keymap;
mod markdown;
mod preview;
mod screens;
mod session;
mod theme;
mod widgets;
mod yaml;

use std::io;
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};

pub use action::{Action, Effect};
pub use app::{App, Screen, Transition};
pub use ctx::{Ctx, ItemKey, Progress};
pub use keymap::action_for;
pub use markdown::{Rendered, render as render_lesson};
pub use preview::{PreviewInfo, Reload, watch_file};
pub use screens::cards::{CardPhase, CardState};
pub use screens::drill::{DrillPhase, DrillState};
pub use screens::exam::{ExamPhase, ExamState, ExamView, TaskState};
pub use screens::exercise::{ExercisePhase, ExerciseState, Focus, Solution};
pub use screens::home::{HomeRow, HomeState};
pub use screens::lesson::LessonState;
pub use screens::modal::{Modal, Question};
pub use screens::quiz::{QuestionState, QuizPhase};
pub use screens::render;
pub use screens::settings::SettingsState;
pub use screens::stats::StatsState;
pub use screens::summary::SummaryState;
pub use screens::topic::{TopicRow, TopicState};
pub use session::Session;
pub use theme::Theme;

use crate::grade::{self, Images};
use crate::i18n::Lang;
use crate::model::{ItemKind, ItemRef, Library};
use crate::store::{AttemptRecord, Setting, Store};
use crate::study;

/// Carries out effects: the only part of the interface that touches the store or the grader.
pub struct Runner {
    pub store: Store,
    /// The time, for each event (tests give a fixed one).
    pub clock: Box<dyn Fn() -> Timestamp>,
    /// The deck folder a preview reads again on `Effect::Reload`.
    pub deck_dir: Option<std::path::PathBuf>,
    /// Where `w` writes an exercise's answer file (the current folder when `None`).
    pub watch_dir: Option<std::path::PathBuf>,
    /// The answer file being watched, while its exercise is on screen.
    pub watched: Option<Watched>,
}

/// An answer file under watch (`w` in an exercise).
pub struct Watched {
    pub path: std::path::PathBuf,
    changes: std::sync::mpsc::Receiver<()>,
    changed_at: Option<std::time::Instant>,
    _watcher: notify::RecommendedWatcher,
}

impl std::fmt::Debug for Watched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watched")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// How long a burst of file events (an editor writes, renames, sets attributes) must be quiet
/// before a watched file is read.
const SETTLE: Duration = Duration::from_millis(150);

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Runner {
    /// Does one effect; returns the Action its result is. `OpenEditor` is the event loop's
    /// (it must suspend the terminal) and returns nothing here.
    pub fn run(&mut self, app: &App, effect: Effect) -> Option<Action> {
        match effect {
            // A failed read leaves no queue to show: Home shows the error, not "nothing due".
            Effect::Refresh => Some(Action::Refreshed(Box::new(
                progress(app, &self.store).unwrap_or_else(|why| Progress {
                    error: Some(why),
                    ..Progress::default()
                }),
            ))),
            Effect::Rate {
                key,
                before,
                rating,
                at,
                duration_ms,
                score,
            } => {
                let entry = app.entry(key);
                match study::rate(
                    &mut self.store,
                    &app.scheduler,
                    &entry,
                    before,
                    rating,
                    at,
                    Some(duration_ms),
                    score,
                ) {
                    Ok((after, review)) => Some(Action::Rated { key, after, review }),
                    Err(error) => Some(Action::Failed(format!(
                        "{} {error}",
                        app.t("Not saved:", "저장하지 못했습니다:")
                    ))),
                }
            }
            Effect::Undo { deck } => {
                let deck_ref = app.deck(deck);
                match self.store.undo_last_review(deck_ref.id.as_str()) {
                    Ok(Some(undone)) => {
                        let key = study::entries(deck_ref)
                            .iter()
                            .position(|entry| entry.key() == undone.item)
                            .and_then(|_| {
                                let (topic, item) = undone.item.split_once('/')?;
                                let topic = deck_ref
                                    .topics
                                    .iter()
                                    .position(|t| t.id.as_str() == topic)?;
                                app.find_item(deck, topic, item)
                            });
                        let restored = (undone.restored.reps > 0).then_some(undone.restored);
                        Some(Action::Undone(key.map(|key| (key, restored))))
                    }
                    Ok(None) => Some(Action::Undone(None)),
                    Err(error) => Some(Action::Failed(error.to_string())),
                }
            }
            Effect::Grade {
                key,
                answer,
                hints,
                duration_ms,
            } => {
                let ItemRef::Exercise(exercise) = app.item(key) else {
                    return None;
                };
                let deck = app.deck(key.deck);
                let entry = app.entry(key);
                let id = crate::model::ItemId {
                    topic: entry.topic.id.clone(),
                    item: exercise.id.clone(),
                };
                let images = Images::built_in().with(&deck.images);
                let report = grade::grade_exercise(
                    &id,
                    exercise,
                    &images,
                    &answer,
                    app.tag(),
                    crate::manifest::Version::pinned(),
                );
                let failed: Vec<&str> = report
                    .checks
                    .iter()
                    .filter(|check| !check.passed)
                    .map(|check| check.id.as_str())
                    .collect();
                let summary = serde_json::json!({ "failed": failed, "errors": report.diagnostics.iter().filter(|d| d.is_error()).count() }).to_string();
                let saved = self.store.record_attempt(&AttemptRecord {
                    deck: deck.id.as_str(),
                    item: &entry.key(),
                    kind: ItemKind::Exercise.name(),
                    at: (self.clock)(),
                    answer: &answer,
                    passed: report.passed,
                    score: report.score,
                    hints_used: hints,
                    duration_ms: Some(duration_ms),
                    summary: &summary,
                });
                if let Err(error) = saved {
                    return Some(Action::Failed(error.to_string()));
                }
                Some(Action::Graded(Box::new(report)))
            }
            Effect::Judge {
                key,
                command,
                duration_ms,
            } => {
                let ItemRef::Drill(drill) = app.item(key) else {
                    return None;
                };
                let accepted: Vec<&str> = std::iter::once(drill.answer.as_str())
                    .chain(drill.accept.iter().map(String::as_str))
                    .collect();
                let verdict = grade::command::judge(
                    &accepted,
                    &command,
                    grade::command::Kubectl::detect().as_ref(),
                );
                let entry = app.entry(key);
                let summary = serde_json::json!({ "differences": verdict.differences }).to_string();
                let _ = self.store.record_attempt(&AttemptRecord {
                    deck: entry.deck.id.as_str(),
                    item: &entry.key(),
                    kind: ItemKind::Drill.name(),
                    at: (self.clock)(),
                    answer: &command,
                    passed: verdict.correct,
                    score: if verdict.correct { 1.0 } else { 0.0 },
                    hints_used: 0,
                    duration_ms: Some(duration_ms),
                    summary: &summary,
                });
                Some(Action::Judged(Box::new(verdict)))
            }
            Effect::Check { generation, text } => {
                let diagnostics =
                    crate::manifest::check(&text, crate::manifest::Version::pinned()).diagnostics;
                Some(Action::Checked {
                    generation,
                    diagnostics,
                })
            }
            Effect::OpenEditor { .. } => None,
            Effect::WatchFile { name, text } => {
                let folder = match &self.watch_dir {
                    Some(dir) => dir.clone(),
                    None => std::env::current_dir().unwrap_or_default(),
                };
                let path = folder.join(format!("{name}.yaml"));
                // An existing answer is never overwritten: it is what gets watched.
                let kept = if path.exists() {
                    match std::fs::read_to_string(&path) {
                        Ok(text) => Some(text),
                        Err(error) => {
                            return Some(Action::Failed(format!(
                                "cannot read {}: {error}",
                                path.display()
                            )));
                        }
                    }
                } else {
                    if let Err(error) = std::fs::write(&path, format!("{text}\n")) {
                        return Some(Action::Failed(format!(
                            "cannot write {}: {error}",
                            path.display()
                        )));
                    }
                    None
                };
                let Some((watcher, changes)) = watch_file(&path) else {
                    return Some(Action::Failed(format!(
                        "cannot watch {}: this file system gives no change events (`kubedrill watch --manual` grades on a key)",
                        path.display()
                    )));
                };
                // Shown as the learner would type it: relative to where they started kubedrill.
                let relative = std::env::current_dir()
                    .ok()
                    .and_then(|here| {
                        path.strip_prefix(here)
                            .ok()
                            .map(std::path::Path::to_path_buf)
                    })
                    .unwrap_or_else(|| path.clone());
                let shown = crate::text::escape_controls(&relative.to_string_lossy()).into_owned();
                self.watched = Some(Watched {
                    path,
                    changes,
                    changed_at: None,
                    _watcher: watcher,
                });
                Some(Action::Watching { shown, kept })
            }
            Effect::SaveSetting(setting, value) => {
                let saved = if value.trim().is_empty() && setting != Setting::Language {
                    self.store.unset_setting(setting).map(|_| String::new())
                } else {
                    self.store.set_setting(setting, &value)
                };
                Some(match saved.and_then(|_| self.store.settings()) {
                    Ok(settings) => Action::SettingSaved(Ok(Box::new(settings))),
                    Err(crate::store::StoreError::Invalid(why)) => Action::SettingSaved(Err(why)),
                    Err(error) => Action::SettingSaved(Err(error.to_string())),
                })
            }
            Effect::LoadStats => Some(
                match self.store.stats(
                    &app.library,
                    &app.scheduler,
                    app.now,
                    &app.zone,
                    app.settings.day_starts_at,
                ) {
                    Ok(stats) => Action::StatsLoaded(Box::new(stats)),
                    Err(error) => Action::Failed(error.to_string()),
                },
            ),
            Effect::SavePosition { deck, topic, line } => {
                let deck_ref = app.deck(deck);
                let _ = self.store.set_lesson_position(
                    deck_ref.id.as_str(),
                    deck_ref.topics[topic].id.as_str(),
                    line,
                );
                None
            }
            Effect::FinishExam(finished) => Some(Action::ExamGraded(Box::new(
                self.finish_exam(app, &finished),
            ))),
            Effect::Reload => self
                .deck_dir
                .as_deref()
                .map(|dir| Action::Reloaded(Box::new(preview::load(dir)))),
            Effect::Quit => None,
        }
    }

    /// Grades a finished exam, saves it, and rates each task for the scheduler: fully right is
    /// Good, anything less (or no answer) Again, so missed tasks come back soon.
    fn finish_exam(
        &mut self,
        app: &App,
        finished: &screens::exam::Finished,
    ) -> screens::exam::Graded {
        let result = crate::exam::grade(&app.library, &finished.plan, &finished.answers, app.tag());
        let tasks = serde_json::json!(
            result
                .tasks
                .iter()
                .map(|task| serde_json::json!({
                    "deck": task.task.deck,
                    "item": task.task.key(),
                    "kind": task.task.kind.name(),
                    "weight": task.task.weight,
                    "fraction": task.fraction,
                    "flagged": task.flagged,
                    "answer": task.answer,
                }))
                .collect::<Vec<_>>()
        )
        .to_string();
        let mut unsaved = self
            .store
            .record_exam(&crate::store::ExamRecord {
                started: finished.started,
                finished: finished.finished,
                seed: finished.plan.seed,
                minutes: finished.plan.minutes,
                topics: &finished.plan.topics,
                score: result.score,
                passed: result.passed,
                tasks: &tasks,
            })
            .err()
            .map(|error| error.to_string());
        let now = (self.clock)();
        let task_time = finished
            .finished
            .duration_since(finished.started)
            .as_millis() as i64
            / finished.keys.len().max(1) as i64;
        for (key, task) in finished.keys.iter().zip(&result.tasks) {
            let entry = app.entry(*key);
            let before = match self.store.state(entry.deck.id.as_str(), &entry.key()) {
                Ok(state) => state,
                Err(error) => {
                    unsaved.get_or_insert(error.to_string());
                    continue;
                }
            };
            let rating = if task.fraction >= 0.999 {
                crate::srs::Rating::Good
            } else {
                crate::srs::Rating::Again
            };
            if let Err(error) = study::rate(
                &mut self.store,
                &app.scheduler,
                &entry,
                before,
                rating,
                now,
                Some(task_time),
                Some(task.fraction),
            ) {
                unsaved.get_or_insert(error.to_string());
            }
        }
        screens::exam::Graded {
            result,
            unsaved: unsaved
                .map(|why| format!("{} {why}", app.t("Not saved:", "저장하지 못했습니다:"))),
        }
    }

    /// A save of the watched answer file, once its burst of file events is over; stops
    /// watching when its exercise has left the screen.
    pub fn poll_watched(&mut self, app: &App) -> Option<Action> {
        let on_screen = matches!(app.screen(), Screen::Exercise(state) if state.watching.is_some());
        if !on_screen {
            self.watched = None;
            return None;
        }
        let watched = self.watched.as_mut()?;
        if watched.changes.try_iter().count() > 0 {
            watched.changed_at = Some(std::time::Instant::now());
        }
        if watched.changed_at.is_some_and(|at| at.elapsed() >= SETTLE) {
            watched.changed_at = None;
            return match std::fs::read_to_string(&watched.path) {
                Ok(text) => Some(Action::FileSaved(text)),
                Err(error) => Some(Action::Failed(format!(
                    "cannot read {}: {error}",
                    watched.path.display()
                ))),
            };
        }
        None
    }

    pub fn dispatch(&mut self, app: &mut App, action: Action) -> Option<Effect> {
        let effect = self.settle(app, action);
        self.show_store_notices(app);
        effect
    }

    /// What the store did on its own (a damaged file moved aside, a deleted or replaced one
    /// left behind) is shown in a message box, or as a toast when a dialog is open: progress is
    /// saved somewhere new, and the screen must not go on as if nothing happened.
    fn show_store_notices(&mut self, app: &mut App) {
        let notices = self.store.take_notices();
        if notices.is_empty() {
            return;
        }
        let text = notices_text(app.lang, &notices);
        if app.modal.is_none() {
            app.modal = Some(Modal::Message(text));
        } else {
            app.toast(text);
        }
    }

    /// Applies an action and every effect it leads to, in order, until the state is settled.
    /// Returns the effect the event loop must carry out itself (`OpenEditor`, `Quit`), if any,
    /// once every other effect has run.
    fn settle(&mut self, app: &mut App, action: Action) -> Option<Effect> {
        app.now = (self.clock)();
        let mut pending: std::collections::VecDeque<Effect> = app.update(action).into();
        let mut for_the_loop = None;
        while let Some(effect) = pending.pop_front() {
            if matches!(effect, Effect::OpenEditor { .. } | Effect::Quit) {
                for_the_loop.get_or_insert(effect);
                continue;
            }
            if let Some(result) = self.run(app, effect) {
                app.now = (self.clock)();
                pending.extend(app.update(result));
            }
        }
        for_the_loop
    }
}

/// Today's queue and the topics' progress, from the store.
pub fn progress(app: &App, store: &Store) -> Result<Progress, String> {
    let today = study::today(
        &app.library,
        store,
        &app.settings,
        app.now,
        &app.zone,
        |_| true,
    )
    .map_err(|error| error.to_string())?;
    let stats = store
        .stats(
            &app.library,
            &app.scheduler,
            app.now,
            &app.zone,
            app.settings.day_starts_at,
        )
        .map_err(|error| error.to_string())?;
    let key_of = |entry: &study::Entry<'_>| -> Option<ItemKey> {
        let deck = app
            .library
            .decks
            .iter()
            .position(|deck| deck.id == entry.deck.id)?;
        let topic = entry
            .deck
            .topics
            .iter()
            .position(|topic| topic.id == entry.topic.id)?;
        app.find_item(deck, topic, entry.item_id())
    };
    let queue = today
        .items
        .iter()
        .filter_map(|(entry, state)| Some((key_of(entry)?, state.clone())))
        .collect();
    let mut topics: Vec<Vec<ctx::TopicProgress>> = app
        .library
        .decks
        .iter()
        .map(|deck| vec![ctx::TopicProgress::default(); deck.topics.len()])
        .collect();
    for topic in &stats.topics {
        if let Some(deck) = app
            .library
            .decks
            .iter()
            .position(|deck| deck.id.as_str() == topic.deck)
            && let Some(index) = app.library.decks[deck]
                .topics
                .iter()
                .position(|t| t.id.as_str() == topic.topic)
        {
            topics[deck][index] = ctx::TopicProgress {
                items: topic.items,
                studied: topic.studied,
                due: topic.due_today,
                new: topic.items - topic.studied,
                mastery: topic.mastery,
            };
        }
    }
    let mut states = std::collections::HashMap::new();
    let mut positions = std::collections::HashMap::new();
    for (deck_index, deck) in app.library.decks.iter().enumerate() {
        let saved = store
            .states(deck.id.as_str())
            .map_err(|error| error.to_string())?;
        for (topic_index, topic) in deck.topics.iter().enumerate() {
            let kinds = [
                (
                    ItemKind::Card,
                    topic
                        .cards
                        .iter()
                        .map(|item| item.id.as_str())
                        .collect::<Vec<_>>(),
                ),
                (
                    ItemKind::Question,
                    topic
                        .questions
                        .iter()
                        .map(|item| item.id.as_str())
                        .collect(),
                ),
                (
                    ItemKind::Drill,
                    topic.drills.iter().map(|item| item.id.as_str()).collect(),
                ),
                (
                    ItemKind::Exercise,
                    topic
                        .exercises
                        .iter()
                        .map(|item| item.id.as_str())
                        .collect(),
                ),
            ];
            for (kind, ids) in kinds {
                for (index, id) in ids.iter().enumerate() {
                    if let Some(state) = saved.get(&format!("{}/{id}", topic.id)) {
                        states.insert(
                            ItemKey {
                                deck: deck_index,
                                topic: topic_index,
                                kind,
                                index,
                            },
                            state.clone(),
                        );
                    }
                }
            }
        }
        for (topic, line) in store
            .lesson_positions(deck.id.as_str())
            .map_err(|error| error.to_string())?
        {
            if let Some(index) = deck.topics.iter().position(|t| t.id.as_str() == topic) {
                positions.insert((deck_index, index), line);
            }
        }
    }
    let reviewed_today = stats.reviews_per_day.last().map_or(0, |day| day.count);
    let exam_days = app.settings.exam_date.and_then(|date| {
        let days = date.since(today.day.date).ok()?.get_days();
        (days >= 0).then_some(i64::from(days))
    });
    Ok(Progress {
        queue,
        learning: today.learning,
        reviews: today.reviews,
        new: today.new,
        later_today: today.later_today,
        topics,
        states,
        streak: stats.streak,
        reviewed_today,
        exam_days,
        positions,
        exams: stats.exams.len(),
        last_exam_score: stats.exams.first().map_or(0.0, |exam| exam.score),
        error: None,
    })
}

/// Starts the interface on `library` with the progress in `store`; returns when the learner
/// quits. The terminal is restored whatever happens.
/// The interface on a library and an open store. `moved_aside`: the database opening had to
/// move aside, told in a dialog at start (printed before the interface took the screen, it
/// was seen only after quitting).
pub fn run(
    library: Library,
    warnings: Vec<String>,
    store: Store,
    moved_aside: Option<crate::store::MovedAside>,
    lang: Lang,
    exam: Option<crate::exam::ExamPlan>,
) -> io::Result<()> {
    let zone = TimeZone::system();
    let settings = store.settings().map_err(io::Error::other)?;
    let scheduler = study::scheduler(&settings, &zone).map_err(io::Error::other)?;
    let mut app = App::new(
        library,
        settings,
        scheduler,
        lang,
        zone,
        Timestamp::now(),
        Theme::from_env(),
    );
    app.deck_warnings = warnings;
    if let Some(plan) = exam {
        app.open_exam(plan).map_err(io::Error::other)?;
    }
    if let Some(moved) = moved_aside {
        let notice = crate::store::StoreNotice::MovedAside(moved);
        app.modal = Some(Modal::Message(notices_text(lang, &[notice])));
    }
    let mut runner = Runner {
        store,
        clock: Box::new(Timestamp::now),
        deck_dir: None,
        watch_dir: None,
        watched: None,
    };
    with_terminal(|terminal| event_loop(terminal, &mut app, &mut runner, None))
}

/// Store notices as one message for a dialog.
fn notices_text(lang: Lang, notices: &[crate::store::StoreNotice]) -> String {
    notices
        .iter()
        .map(|notice| {
            let text = crate::i18n::store_notice(lang, notice, crate::i18n::PathStyle::Beside);
            // Written to follow `kubedrill: `; alone, an English sentence takes a capital.
            let mut chars = text.chars();
            match (lang, chars.next()) {
                (Lang::En, Some(first)) => first.to_uppercase().chain(chars).collect(),
                _ => text,
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Runs `body` on the terminal set up for the interface, and puts the terminal back after.
fn with_terminal(body: impl FnOnce(&mut DefaultTerminal) -> io::Result<()>) -> io::Result<()> {
    install_signal_restore();
    // Our own panic hook, not ratatui's: that one leaves mouse reporting and bracketed paste
    // on, and prints with eprintln!, which panics again (an abort) when the terminal is gone.
    let print_panic = std::panic::take_hook();
    let mut terminal = ratatui::init();
    std::panic::set_hook(Box::new(move |info| {
        restore_quietly();
        print_panic(info);
    }));
    let _ = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    let result = body(&mut terminal);
    // Quietly: after a hang-up the body ends with a read error, and ratatui::restore() would
    // report the dead terminal with eprintln!, a panic (exit 101) racing the SIGHUP.
    restore_quietly();
    result
}

/// `kubedrill deck preview DIR`: the interface on that deck alone, with progress kept in memory
/// only, reloading whenever a file of the folder changes.
pub fn preview(dir: &std::path::Path, shown: &str, lang: Lang) -> io::Result<()> {
    let dir = preview::absolute(dir);
    let store = Store::in_memory().map_err(io::Error::other)?;
    let settings = store.settings().map_err(io::Error::other)?;
    let zone = TimeZone::system();
    let scheduler = study::scheduler(&settings, &zone).map_err(io::Error::other)?;
    let loaded = preview::load(&dir);
    let watcher = preview::watch(&dir);
    let mut app = App::new(
        loaded.library,
        settings,
        scheduler,
        lang,
        zone,
        Timestamp::now(),
        Theme::from_env(),
    );
    app.preview = Some(preview::PreviewInfo {
        dir: shown.to_string(),
        problems: loaded.problems,
        errors: loaded.errors,
        warnings: loaded.warnings,
        watching: watcher.is_some(),
        reloads: 0,
    });
    let mut runner = Runner {
        store,
        clock: Box::new(Timestamp::now),
        deck_dir: Some(dir),
        watch_dir: None,
        watched: None,
    };
    let changes = watcher.as_ref().map(|(_, receiver)| receiver);
    with_terminal(|terminal| event_loop(terminal, &mut app, &mut runner, changes))
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    runner: &mut Runner,
    changes: Option<&std::sync::mpsc::Receiver<()>>,
) -> io::Result<()> {
    /// How often a preview (or a watched answer file) is looked at for changes; a burst of
    /// saves must then be quiet for SETTLE before the files are read.
    const WATCH: Duration = Duration::from_millis(100);
    let size = terminal.size().map_err(io::Error::other)?;
    app.size = (size.width, size.height);
    runner.dispatch(app, Action::Tick);
    if let Some(refreshed) = runner.run(app, Effect::Refresh) {
        runner.dispatch(app, refreshed);
    }
    let mut dirty = true;
    let mut changed_at: Option<std::time::Instant> = None;
    loop {
        if dirty {
            terminal
                .draw(|frame| screens::render(app, frame))
                .map_err(terminal_error)?;
            dirty = false;
            // Lets the end-to-end tests prove the terminal is restored after a panic; debug
            // builds only, so a release binary has no way to be made to panic on purpose.
            #[cfg(debug_assertions)]
            if std::env::var_os("KUBEDRILL_TEST_PANIC").is_some() {
                panic!("KUBEDRILL_TEST_PANIC is set");
            }
        }
        if app.quit {
            return Ok(());
        }
        if let Some(action) = runner.poll_watched(app) {
            runner.dispatch(app, action);
            dirty = true;
            continue;
        }
        if let Some(changes) = changes {
            if changes.try_iter().count() > 0 {
                changed_at = Some(std::time::Instant::now());
            }
            if changed_at.is_some_and(|at| at.elapsed() >= SETTLE) {
                changed_at = None;
                runner.dispatch(app, Action::Reload);
                dirty = true;
                continue;
            }
        }
        // Block until the next event; wake on our own only for a timed job (and, in a
        // preview, to look for file changes).
        let timeout = app
            .next_deadline()
            .map(|deadline| {
                let left = deadline.duration_since(Timestamp::now()).as_millis().max(1);
                Duration::from_millis(u64::try_from(left).unwrap_or(1))
            })
            .map(|timeout| {
                if changes.is_some() || runner.watched.is_some() {
                    timeout.min(WATCH)
                } else {
                    timeout
                }
            })
            .or((changes.is_some() || runner.watched.is_some()).then_some(WATCH));
        let ready = match timeout {
            Some(timeout) => event::poll(timeout).map_err(terminal_error)?,
            None => true,
        };
        let action = if ready {
            let event = event::read().map_err(terminal_error)?;
            keymap::action_for(app, &event)
        } else if app
            .next_deadline()
            .is_some_and(|deadline| deadline <= Timestamp::now())
        {
            Some(Action::Tick)
        } else {
            None
        };
        let Some(action) = action else {
            continue;
        };
        dirty = true;
        match runner.dispatch(app, action) {
            Some(Effect::OpenEditor { text }) => {
                let result = edit_outside(terminal, &text);
                runner.dispatch(app, Action::EditorClosed(result));
            }
            Some(Effect::Quit) => return Ok(()),
            _ => {}
        }
    }
}

/// The editor to run, from `$VISUAL`, else `$EDITOR`, else vi, split as a shell would split it
/// (`code --wait`): the program and its arguments, or why it cannot be run.
fn editor_command(
    visual: Option<String>,
    editor: Option<String>,
) -> Result<(String, Vec<String>), String> {
    let set = |value: Option<String>| value.filter(|value| !value.trim().is_empty());
    let (variable, value) = match (set(visual), set(editor)) {
        (Some(visual), _) => ("$VISUAL", visual),
        (None, Some(editor)) => ("$EDITOR", editor),
        (None, None) => return Ok(("vi".to_string(), Vec::new())),
    };
    let words = shlex::split(&value).ok_or_else(|| {
        format!("{variable} has an unclosed quote: {value}; set it to a command such as `vim` or `code --wait`")
    })?;
    match words.split_first() {
        Some((program, arguments)) => Ok((program.clone(), arguments.to_vec())),
        // `#vim` is all comment to a shell: no command at all.
        None => Err(format!(
            "{variable} names no command ({value}); set it to a command such as `vim` or `code --wait`"
        )),
    }
}

/// Suspends the interface, edits `text` in `$VISUAL` or `$EDITOR` (vi when neither is set),
/// and comes back with the edited text.
fn edit_outside(terminal: &mut DefaultTerminal, text: &str) -> Result<String, String> {
    let (program, arguments) =
        editor_command(std::env::var("VISUAL").ok(), std::env::var("EDITOR").ok())
            .map_err(|why| crate::text::escape_controls(&why).into_owned())?;
    let file = tempfile::Builder::new()
        .prefix("kubedrill-")
        .suffix(".yaml")
        .tempfile()
        .map_err(|error| error.to_string())?;
    std::fs::write(file.path(), text).map_err(|error| error.to_string())?;
    restore_quietly();
    let status = std::process::Command::new(&program)
        .args(&arguments)
        .arg(file.path())
        .status();
    // Back to the interface (ratatui::init without installing its panic hook a second time).
    let _ = enable_raw_mode();
    let _ = execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    );
    let _ = terminal.clear();
    match status {
        Ok(status) if status.success() => {
            std::fs::read_to_string(file.path()).map_err(|error| error.to_string())
        }
        Ok(status) => Err(format!(
            "{program} exited with {status}; the answer is unchanged"
        )),
        Err(error) => Err(format!("cannot run {program}: {error} (set $EDITOR)")),
    }
}

/// On SIGTERM, SIGHUP or SIGINT the terminal is put back before the process ends. Every rating
/// shown as saved is already committed, so nothing is lost.
/// Puts the terminal back (main screen, cursor, no raw mode, mouse reporting or bracketed paste)
/// from a signal or a panic. Not `ratatui::restore()`: on a hung-up terminal its error message
/// (eprintln!) panics. Every step ignores its error; the terminal may be gone.
fn restore_quietly() {
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        ratatui::crossterm::terminal::LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = ratatui::crossterm::terminal::disable_raw_mode();
}

/// An error reading or writing the terminal is most often a hang-up whose SIGHUP is on its way:
/// a moment for the signal thread to end the process as a hang-up, before the error is reported.
pub(crate) fn terminal_error(error: io::Error) -> io::Error {
    std::thread::sleep(Duration::from_millis(200));
    error
}

pub(crate) fn install_signal_restore() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            restore_quietly();
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::editor_command;

    fn some(text: &str) -> Option<String> {
        Some(text.to_string())
    }

    #[test]
    fn the_editor_is_split_as_a_shell_would_and_a_bad_one_is_an_error_not_a_panic() {
        assert_eq!(editor_command(None, None), Ok(("vi".to_string(), vec![])));
        assert_eq!(
            editor_command(some(" "), some("code --wait")),
            Ok(("code".to_string(), vec!["--wait".to_string()]))
        );
        assert_eq!(
            editor_command(some("hx"), some("vim")),
            Ok(("hx".to_string(), vec![]))
        );
        // `#vim` is a shell comment: no command (this panicked on an empty word list).
        let why = editor_command(None, some("#vim")).unwrap_err();
        assert!(why.starts_with("$EDITOR names no command (#vim)"), "{why}");
        let why = editor_command(some("'vim"), None).unwrap_err();
        assert!(why.starts_with("$VISUAL has an unclosed quote"), "{why}");
    }
}
