//! `kubedrill deck preview DIR`: the interface on one deck folder, with a throwaway progress
//! store, reloaded whenever a file of the folder changes (or on `R`). What `deck check` finds is
//! listed on Home, so an author sees each mistake appear and go without leaving the app.
//!
//! A reload builds a new library, so every [`ItemKey`] of the old one is void: the screen the
//! author was on is found again by ids (topic, item) in the new deck, with the lesson's scroll
//! and the exercise's typed text kept; the way back becomes Home and the topic.

use std::path::{Path, PathBuf};

use super::action::Effect;
use super::app::{App, Screen};
use super::ctx::ItemKey;
use super::screens::home::HomeState;
use super::screens::lesson::LessonState;
use super::screens::settings::SettingsState;
use super::screens::stats::StatsState;
use super::screens::topic::TopicState;
use super::widgets::editor::editor_of_lines;
use crate::content;
use crate::diagnostic::Severity;
use crate::model::{ItemKind, Library};

/// The deck folder being previewed and what `deck check` says of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreviewInfo {
    /// The folder as given on the command line.
    pub dir: String,
    /// One line a problem: `file:line:col: error: message`, errors first.
    pub problems: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    /// Whether file changes arrive by themselves (else only `R` reloads).
    pub watching: bool,
    pub reloads: u32,
}

/// A deck folder read again.
#[derive(Debug, Clone)]
pub struct Reload {
    pub library: Library,
    pub problems: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
}

/// Reads, validates and proves the deck folder, as `deck check` does.
pub fn load(dir: &Path) -> Reload {
    match content::check_dir(dir) {
        Err(error) => Reload {
            library: Library::default(),
            problems: vec![error.to_string()],
            errors: 1,
            warnings: 0,
        },
        Ok(mut report) => {
            if let Some(deck) = &report.deck {
                report.problems.extend(crate::grade::prove::prove(
                    deck,
                    crate::manifest::Version::pinned(),
                ));
            }
            let mut problems: Vec<_> = report.problems.iter().collect();
            problems.sort_by_key(|problem| {
                (
                    problem.severity != Severity::Error,
                    problem.file.clone(),
                    problem.line,
                    problem.column,
                )
            });
            let lines = problems
                .iter()
                .map(|problem| {
                    format!(
                        "{}:{}:{}: {}: {}",
                        problem.file,
                        problem.line,
                        problem.column,
                        if problem.severity == Severity::Error {
                            "error"
                        } else {
                            "warning"
                        },
                        problem.message
                    )
                })
                .collect();
            let errors = report.error_count();
            let warnings = report.warning_count();
            Reload {
                library: Library {
                    decks: report.deck.into_iter().collect(),
                },
                problems: lines,
                errors,
                warnings,
            }
        }
    }
}

/// Where the author was, by ids rather than positions.
enum Place {
    Home(usize),
    Topic {
        deck: String,
        topic: String,
        selected: usize,
    },
    Lesson {
        deck: String,
        topic: String,
        scroll: usize,
    },
    Item {
        deck: String,
        topic: String,
        kind: ItemKind,
        id: String,
        /// The exercise's typed answer, line by line, and where the cursor was.
        text: Option<(Vec<String>, (usize, usize))>,
    },
    Stats,
    Settings,
}

impl App {
    fn place(&self) -> Place {
        let ids = |deck: usize, topic: usize| {
            (
                self.deck(deck).id.to_string(),
                self.topic(deck, topic).id.to_string(),
            )
        };
        let item = |key: ItemKey, text: Option<(Vec<String>, (usize, usize))>| {
            let (deck, topic) = ids(key.deck, key.topic);
            Place::Item {
                deck,
                topic,
                kind: key.kind,
                id: self.entry(key).item_id().to_string(),
                text,
            }
        };
        match self.screen() {
            Screen::Home(state) => Place::Home(state.selected),
            Screen::Topic(state) => {
                let (deck, topic) = ids(state.deck, state.topic);
                Place::Topic {
                    deck,
                    topic,
                    selected: state.selected,
                }
            }
            Screen::Lesson(lesson) => {
                let (deck, topic) = ids(lesson.deck, lesson.topic);
                Place::Lesson {
                    deck,
                    topic,
                    scroll: lesson.scroll,
                }
            }
            Screen::Card(state) => item(state.key, None),
            Screen::Question(state) => item(state.key, None),
            Screen::Drill(state) => item(state.key, None),
            Screen::Scenario(state) => item(state.key, None),
            Screen::Exercise(state) => {
                let ratatui_textarea::DataCursor(row, column) = state.editor.cursor();
                item(
                    state.key,
                    Some((state.editor.lines().to_vec(), (row, column))),
                )
            }
            Screen::Stats(_) => Place::Stats,
            Screen::Settings(_) => Place::Settings,
            Screen::Summary(_) | Screen::Exam(_) => Place::Home(0),
        }
    }

    /// The deck and topic with these ids in the current library.
    fn find_topic(&self, deck: &str, topic: &str) -> Option<(usize, usize)> {
        let deck_index = self
            .library
            .decks
            .iter()
            .position(|found| found.id.as_str() == deck)?;
        let topic_index = self.library.decks[deck_index]
            .topics
            .iter()
            .position(|found| found.id.as_str() == topic)?;
        Some((deck_index, topic_index))
    }

    /// Takes a freshly read deck: the library, the index and the problems change, and the
    /// author stays where they were when that place still exists (the screens are built anew:
    /// Home, the topic, then the lesson or item).
    pub(super) fn reloaded(&mut self, reload: Reload) -> Vec<Effect> {
        let place = self.place();
        self.library = reload.library;
        self.reset_index();
        self.session = None;
        self.modal = None;
        self.progress = super::ctx::Progress::default();
        let home = |selected| Screen::Home(HomeState { selected });
        let topic_screen = |deck, topic, selected| {
            Screen::Topic(TopicState {
                deck,
                topic,
                selected,
            })
        };
        let mut stack = vec![home(0)];
        match place {
            Place::Home(selected) => {
                let rows = self.home_rows().len();
                stack = vec![home(selected.min(rows.saturating_sub(1)))];
            }
            Place::Topic {
                deck,
                topic,
                selected,
            } => {
                if let Some((deck, topic)) = self.find_topic(&deck, &topic) {
                    let rows = self.topic_rows(deck, topic).len();
                    stack.push(topic_screen(
                        deck,
                        topic,
                        selected.min(rows.saturating_sub(1)),
                    ));
                }
            }
            Place::Lesson {
                deck,
                topic,
                scroll,
            } => {
                if let Some((deck, topic)) = self.find_topic(&deck, &topic) {
                    stack.push(topic_screen(deck, topic, 0));
                    self.progress.positions.insert((deck, topic), scroll);
                    let lesson = LessonState::open(self.ctx(), deck, topic, None);
                    stack.push(Screen::Lesson(Box::new(lesson)));
                }
            }
            Place::Item {
                deck,
                topic,
                kind,
                id,
                text,
            } => {
                if let Some((deck, topic)) = self.find_topic(&deck, &topic) {
                    stack.push(topic_screen(deck, topic, 0));
                    if let Some(key) = self
                        .find_item(deck, topic, &id)
                        .filter(|key| key.kind == kind)
                    {
                        let mut screen = self.item_screen(key);
                        if let (Some((lines, (row, column))), Screen::Exercise(state)) =
                            (text, &mut screen)
                        {
                            state.editor = editor_of_lines(lines);
                            state.editor.move_cursor(ratatui_textarea::CursorMove::Jump(
                                u16::try_from(row).unwrap_or(u16::MAX),
                                u16::try_from(column).unwrap_or(u16::MAX),
                            ));
                            state.generation += 1;
                            state.check_at = Some(self.now);
                        }
                        stack.push(screen);
                    }
                }
            }
            Place::Stats => stack.push(Screen::Stats(StatsState::default())),
            Place::Settings => stack.push(Screen::Settings(SettingsState::default())),
        }
        self.reset_stack(stack);
        let message = match (self.lang, reload.errors, reload.warnings) {
            (crate::i18n::Lang::En, 0, 0) => "Reloaded: the deck checks clean.".to_string(),
            (crate::i18n::Lang::En, errors, warnings) => format!(
                "Reloaded: {}, {} (listed on Home).",
                crate::text::plural(errors, "error"),
                crate::text::plural(warnings, "warning")
            ),
            (crate::i18n::Lang::Ko, 0, 0) => "다시 읽었습니다. 덱에 문제가 없습니다.".to_string(),
            (crate::i18n::Lang::Ko, errors, warnings) => {
                format!("다시 읽었습니다. 오류 {errors}개, 경고 {warnings}개(홈에 표시).")
            }
        };
        if let Some(preview) = &mut self.preview {
            preview.problems = reload.problems;
            preview.errors = reload.errors;
            preview.warnings = reload.warnings;
            preview.reloads += 1;
        }
        self.toast(message);
        vec![match self.screen() {
            Screen::Stats(_) => Effect::LoadStats,
            _ => Effect::Refresh,
        }]
    }
}

/// Watches `dir` for changes; each change sends `()` on the returned channel. `None` when the
/// platform gives no file events (then `R` reloads by hand).
pub fn watch(dir: &Path) -> Option<(notify::RecommendedWatcher, std::sync::mpsc::Receiver<()>)> {
    use notify::Watcher as _;
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            let _ = sender.send(());
        }
    })
    .ok()?;
    watcher.watch(dir, notify::RecursiveMode::Recursive).ok()?;
    Some((watcher, receiver))
}

/// A watcher on one file: its folder is watched (editors save by writing another file and
/// renaming it over this one) and changes to this name are signalled; reading it is not a
/// change. `None` when the system gives no file events.
pub fn watch_file(
    file: &Path,
) -> Option<(notify::RecommendedWatcher, std::sync::mpsc::Receiver<()>)> {
    use notify::Watcher as _;
    let folder = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = file.file_name()?.to_os_string();
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
            && event
                .paths
                .iter()
                .any(|path| path.file_name() == Some(name.as_os_str()))
        {
            let _ = sender.send(());
        }
    })
    .ok()?;
    watcher
        .watch(&folder, notify::RecursiveMode::NonRecursive)
        .ok()?;
    Some((watcher, receiver))
}

/// The folder, made absolute for watching (a relative path is watched from where kubedrill
/// started).
pub fn absolute(dir: &Path) -> PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}
