//! The runner: carries out the effects `App::update` asks for, one after another, and feeds
//! each result back as an Action until the state settles. The only part of the interface that
//! touches the store, the grader, the checker or files; `OpenEditor` and `Quit` go back to the
//! event loop (they need the terminal).

use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::action::{Action, Effect};
use super::app::{App, Screen};
use super::ctx::{ItemKey, Progress, QueueKey, TopicProgress};
use super::screens::exam::{Finished, Graded};
use super::screens::modal::Modal;
use super::{notices_text, preview, watch_file};
use crate::grade::{self, Images};
use crate::model::{ItemKind, ItemRef};
use crate::store::{AttemptRecord, Setting, Store};
use crate::study;
use crate::watch::Debounce;

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
    /// The watcher's signals, until the event loop takes them onto its channel
    /// ([`Runner::take_watch_changes`]); a test without a loop reads them here.
    changes: Option<std::sync::mpsc::Receiver<()>>,
    /// A burst of saves is read once it is quiet.
    debounce: Debounce,
    _watcher: notify::RecommendedWatcher,
}

impl std::fmt::Debug for Watched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watched")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

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
                variant,
                answer,
                hints,
                duration_ms,
            } => {
                let ItemRef::Exercise(exercise) = app.item(key).variant(variant) else {
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
                variant,
                command,
                duration_ms,
            } => {
                let ItemRef::Drill(drill) = app.item(key).variant(variant) else {
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
            Effect::LoadDraft { key } => {
                let entry = app.entry(key);
                match self.store.draft(entry.deck.id.as_str(), &entry.key()) {
                    Ok(Some(text)) => Some(Action::DraftLoaded { key, text }),
                    Ok(None) => None,
                    Err(error) => Some(Action::Failed(error.to_string())),
                }
            }
            Effect::SaveDraft { key, text } => {
                let entry = app.entry(key);
                let saved = self.store.set_draft(
                    entry.deck.id.as_str(),
                    &entry.key(),
                    text.as_deref(),
                    (self.clock)(),
                );
                saved.err().map(|error| Action::Failed(error.to_string()))
            }
            Effect::Check {
                generation,
                text,
                folder,
            } => {
                let diagnostics = match folder {
                    // A kustomization is checked as kustomize reads it, in its folder.
                    Some(task) => crate::grade::folder::check_answer(&task, &text),
                    None => {
                        crate::manifest::check(&text, crate::manifest::Version::pinned())
                            .diagnostics
                    }
                };
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
                            return Some(Action::Failed(crate::i18n::file_error(
                                app.lang, &path, false, &error,
                            )));
                        }
                    }
                } else {
                    if let Err(error) = std::fs::write(&path, format!("{text}\n")) {
                        return Some(Action::Failed(crate::i18n::file_error(
                            app.lang, &path, true, &error,
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
                    changes: Some(changes),
                    debounce: Debounce::default(),
                    _watcher: watcher,
                });
                Some(Action::Watching { shown, kept })
            }
            Effect::SaveSetting(setting, value) => {
                let saved = if value.trim().is_empty() && setting != Setting::Language {
                    self.store.unset_setting(setting).map(|_| String::new())
                } else {
                    let today = app.now.to_zoned(app.zone.clone()).date();
                    self.store.set_setting_on(setting, &value, today)
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
            Effect::LessonRead { deck, topic } => {
                let deck_ref = app.deck(deck);
                let _ = self.store.mark_lesson_read(
                    deck_ref.id.as_str(),
                    deck_ref.topics[topic].id.as_str(),
                    app.now,
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
    fn finish_exam(&mut self, app: &App, finished: &Finished) -> Graded {
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
        Graded {
            result,
            unsaved: unsaved
                .map(|why| format!("{} {why}", app.t("Not saved:", "저장하지 못했습니다:"))),
        }
    }

    /// A save of the watched answer file, once its burst of file events is over; stops
    /// watching when its exercise has left the screen. For a caller without the event loop (the
    /// tests): the loop itself blocks on its channel and calls the pieces below.
    pub fn poll_watched(&mut self, app: &App) -> Option<Action> {
        self.stop_watching_off_screen(app);
        let watched = self.watched.as_mut()?;
        let changed = watched
            .changes
            .as_ref()
            .is_some_and(|changes| changes.try_iter().count() > 0);
        if changed {
            watched.debounce.changed(Instant::now());
        }
        self.watched_due(app.lang, Instant::now())
    }

    /// Stops watching the answer file once its exercise has left the screen.
    pub(super) fn stop_watching_off_screen(&mut self, app: &App) {
        let on_screen = matches!(app.screen(), Screen::Exercise(state) if state.watching.is_some());
        if !on_screen {
            self.watched = None;
        }
    }

    /// The signals of a newly watched answer file, for the event loop's channel, with its path.
    pub(super) fn take_watch_changes(
        &mut self,
    ) -> Option<(std::path::PathBuf, std::sync::mpsc::Receiver<()>)> {
        let watched = self.watched.as_mut()?;
        Some((watched.path.clone(), watched.changes.take()?))
    }

    /// The answer file at `path` changed at `now` (a change of a file no longer watched is
    /// dropped).
    pub(super) fn answer_changed(&mut self, path: &std::path::Path, now: Instant) {
        if let Some(watched) = self.watched.as_mut().filter(|w| w.path == path) {
            watched.debounce.changed(now);
        }
    }

    /// How long until a save of the answer file is quiet enough to read (`None`: none pending).
    pub(super) fn watch_wait(&self, now: Instant) -> Option<Duration> {
        self.watched.as_ref()?.debounce.wait(now)
    }

    /// The watched file's text, when a save of it has settled at `now` (or why it cannot be
    /// read, in `lang`).
    pub(super) fn watched_due(&mut self, lang: crate::i18n::Lang, now: Instant) -> Option<Action> {
        let watched = self.watched.as_mut()?;
        if !watched.debounce.take_due(now) {
            return None;
        }
        Some(match std::fs::read_to_string(&watched.path) {
            Ok(text) => Action::FileSaved(text),
            Err(error) => {
                Action::Failed(crate::i18n::file_error(lang, &watched.path, false, &error))
            }
        })
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
    let position = |deck: &crate::model::Deck, topic: &crate::model::Topic| {
        let deck_index = app.library.decks.iter().position(|d| d.id == deck.id)?;
        let topic_index = deck.topics.iter().position(|t| t.id == topic.id)?;
        Some((deck_index, topic_index))
    };
    let queue = today
        .queue
        .iter()
        .filter_map(|step| match *step {
            study::Step::Item(index) => {
                let (entry, state) = &today.items[index];
                Some((QueueKey::Item(key_of(entry)?), state.clone()))
            }
            study::Step::Lesson { deck, topic } => {
                let (deck, topic) = position(deck, topic)?;
                Some((QueueKey::Lesson { deck, topic }, None))
            }
        })
        .collect();
    let mut topics: Vec<Vec<TopicProgress>> = app
        .library
        .decks
        .iter()
        .map(|deck| vec![TopicProgress::default(); deck.topics.len()])
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
            topics[deck][index] = TopicProgress {
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
    let mut lessons_read = std::collections::HashSet::new();
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
        for topic in store
            .lessons_read(deck.id.as_str())
            .map_err(|error| error.to_string())?
        {
            if let Some(index) = deck.topics.iter().position(|t| t.id.as_str() == topic) {
                lessons_read.insert((deck_index, index));
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
        lessons_read,
        exams: stats.exams.len(),
        last_exam_score: stats.exams.first().map_or(0.0, |exam| exam.score),
        error: None,
        plan: study::plan::exam_plan(&app.library, store, &app.settings, app.now, &app.zone)
            .ok()
            .map(|exam_plan| exam_plan.plan),
        pending: false,
    })
}
