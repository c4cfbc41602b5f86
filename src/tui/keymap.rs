//! Keys → Actions, per screen, from one table: the footer's hints and the help overlay are
//! drawn from the same [`Binding`]s that decide what a key does, so they never disagree. Each
//! screen lists its own bindings (`screens::*::bindings`, as gitui's `commands()`); this module
//! holds the keys shared by all, and turns an event into an Action.
//! Dialogs get keys first, then the screen; where a text field has focus, keys that are not
//! bound go to the field.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind,
};

use super::action::Action;
use super::app::{App, Screen};
use super::screens;
use super::screens::modal::Modal;
use crate::model::{ItemRef, QuestionAnswer};

/// A key as bindings name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
}

impl Key {
    fn matches(self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match (self, event.code) {
            (Key::Char(wanted), KeyCode::Char(typed)) => !ctrl && typed == wanted,
            (Key::Ctrl(wanted), KeyCode::Char(typed)) => {
                ctrl && typed.eq_ignore_ascii_case(&wanted)
            }
            (Key::Code(wanted), typed) => !ctrl && wanted == typed,
            _ => false,
        }
    }

    fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".to_string(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Code(code) => match code {
                KeyCode::Enter => "Enter".to_string(),
                KeyCode::Esc => "Esc".to_string(),
                KeyCode::Up => "↑".to_string(),
                KeyCode::Down => "↓".to_string(),
                KeyCode::Left => "←".to_string(),
                KeyCode::Right => "→".to_string(),
                KeyCode::PageUp => "PgUp".to_string(),
                KeyCode::PageDown => "PgDn".to_string(),
                KeyCode::Home => "Home".to_string(),
                KeyCode::End => "End".to_string(),
                KeyCode::Tab => "Tab".to_string(),
                KeyCode::F(n) => format!("F{n}"),
                other => format!("{other:?}"),
            },
        }
    }
}

/// One entry of the table: its keys, what it does, and what the footer calls it.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub label: (&'static str, &'static str),
    /// Shown in the footer (the help overlay shows every binding).
    pub footer: bool,
}

impl Binding {
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(|key| key.label())
            .collect::<Vec<_>>()
            .join("/")
    }
}

pub(super) fn bind(keys: &[Key], action: Action, label: (&'static str, &'static str)) -> Binding {
    Binding {
        keys: keys.to_vec(),
        action,
        label,
        footer: true,
    }
}

pub(super) fn quiet(keys: &[Key], action: Action, label: (&'static str, &'static str)) -> Binding {
    Binding {
        footer: false,
        ..bind(keys, action, label)
    }
}

use Key::{Char as C, Code, Ctrl};

pub(super) fn moving() -> Vec<Binding> {
    vec![
        quiet(&[C('k'), Code(KeyCode::Up)], Action::Up, ("up", "위로")),
        quiet(
            &[C('j'), Code(KeyCode::Down)],
            Action::Down,
            ("down", "아래로"),
        ),
        quiet(
            &[Code(KeyCode::PageUp), Ctrl('u')],
            Action::PageUp,
            ("page up", "한 쪽 위"),
        ),
        quiet(
            &[Code(KeyCode::PageDown), Ctrl('d')],
            Action::PageDown,
            ("page down", "한 쪽 아래"),
        ),
        quiet(
            &[C('g'), Code(KeyCode::Home)],
            Action::Top,
            ("top", "맨 위"),
        ),
        quiet(
            &[C('G'), Code(KeyCode::End)],
            Action::Bottom,
            ("bottom", "맨 아래"),
        ),
    ]
}

/// Scrolling an exercise's task pane while the editor does not have the keys (the Exercise
/// screen and the exam's exercise tasks).
pub(super) fn task_scrolling() -> [Binding; 4] {
    [
        quiet(
            &[C('k'), Code(KeyCode::Up)],
            Action::Up,
            ("scroll task up", "과제 위로"),
        ),
        quiet(
            &[C('j'), Code(KeyCode::Down)],
            Action::Down,
            ("scroll task down", "과제 아래로"),
        ),
        quiet(
            &[Code(KeyCode::PageUp)],
            Action::PageUp,
            ("task: a page up", "과제: 한 쪽 위로"),
        ),
        quiet(
            &[Code(KeyCode::PageDown)],
            Action::PageDown,
            ("task: a page down", "과제: 한 쪽 아래로"),
        ),
    ]
}

pub(super) fn global(app: &App) -> Vec<Binding> {
    let mut list = vec![
        bind(&[C('/'), Ctrl('k')], Action::Search, ("search", "검색")),
        bind(&[C('?')], Action::Help, ("help", "도움말")),
        quiet(
            &[C('Q'), Ctrl('c')],
            Action::Quit,
            ("quit kubedrill", "kubedrill 종료"),
        ),
    ];
    if app.preview.is_some() {
        list.push(bind(
            &[C('R')],
            Action::Reload,
            ("reload deck", "덱 다시 읽기"),
        ));
    }
    list
}

/// Keys that still work while a text field has focus.
pub(super) fn typing_global() -> Vec<Binding> {
    vec![quiet(
        &[Ctrl('c')],
        Action::Quit,
        ("quit kubedrill", "kubedrill 종료"),
    )]
}

/// The bindings in force now, most specific first.
pub fn bindings(app: &App) -> Vec<Binding> {
    match &app.modal {
        Some(modal) => modal_bindings(modal),
        None => screen_bindings(app),
    }
}

fn modal_bindings(modal: &Modal) -> Vec<Binding> {
    {
        match modal {
            Modal::Help | Modal::Message(_) => vec![bind(
                &[Code(KeyCode::Esc), C('q'), C('?'), Code(KeyCode::Enter)],
                Action::Back,
                ("close", "닫기"),
            )],
            Modal::Confirm { .. } => vec![
                bind(&[C('y'), Code(KeyCode::Enter)], Action::Yes, ("yes", "예")),
                bind(&[C('n'), Code(KeyCode::Esc)], Action::No, ("no", "아니요")),
            ],
            Modal::Search { .. } => vec![
                bind(&[Code(KeyCode::Enter)], Action::Open, ("open", "열기")),
                quiet(
                    &[Code(KeyCode::Up), Ctrl('p')],
                    Action::Up,
                    ("previous", "이전"),
                ),
                quiet(
                    &[Code(KeyCode::Down), Ctrl('n')],
                    Action::Down,
                    ("next", "다음"),
                ),
                bind(&[Code(KeyCode::Esc)], Action::Back, ("close", "닫기")),
                quiet(&[Ctrl('c')], Action::Back, ("close", "닫기")),
            ],
        }
    }
}

/// The current screen's own bindings (what the help overlay lists).
pub fn screen_bindings(app: &App) -> Vec<Binding> {
    let mut list = match app.screen() {
        Screen::Home(state) => screens::home::bindings(app, state),
        Screen::Topic(state) => screens::topic::bindings(app, state),
        Screen::Lesson(state) => screens::lesson::bindings(app, state),
        Screen::Card(state) => screens::cards::bindings(app, state),
        Screen::Question(state) => screens::quiz::bindings(app, state),
        Screen::Exercise(state) => screens::exercise::bindings(app, state),
        Screen::Drill(state) => screens::drill::bindings(app, state),
        Screen::Scenario(state) => screens::scenario::bindings(app, state),
        Screen::Summary(state) => screens::summary::bindings(app, state),
        Screen::Stats(state) => screens::stats::bindings(app, state),
        Screen::Settings(state) => screens::settings::bindings(app, state),
        Screen::Exam(state) => screens::exam::bindings(app, state),
    };
    list.dedup_by(|a, b| a.keys == b.keys);
    list
}

/// Whether unbound keys go to a text field now.
fn typing(app: &App) -> bool {
    match (&app.modal, app.screen()) {
        (Some(Modal::Search { .. }), _) => true,
        (Some(_), _) => false,
        (None, Screen::Exercise(exercise)) => exercise.typing(),
        (None, Screen::Drill(drill)) => !drill.passed(),
        (None, Screen::Scenario(scenario)) => !scenario.passed,
        (None, Screen::Question(question)) => {
            question.result().is_none()
                && matches!(app.item(question.key), ItemRef::Question(item) if matches!(item.answer, QuestionAnswer::TypeIn { .. }))
        }
        (None, Screen::Settings(settings)) => settings.editing.is_some(),
        (None, Screen::Exam(exam)) => {
            use super::screens::exam::{ExamPhase, ExamView, TaskState};
            exam.phase == ExamPhase::Running
                && exam.view == ExamView::Task
                && match exam.tasks.get(exam.current) {
                    Some(TaskState::Exercise(exercise)) => exercise.typing(),
                    Some(TaskState::Drill(_) | TaskState::Scenario(_)) => true,
                    None => false,
                }
        }
        _ => false,
    }
}

/// The action a terminal event means now, if any.
pub fn action_for(app: &App, event: &Event) -> Option<Action> {
    match event {
        Event::Resize(width, height) => Some(Action::Resize(*width, *height)),
        Event::Paste(text) => Some(Action::Paste(text.clone())),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollUp => Some(Action::Scroll(-3)),
            MouseEventKind::ScrollDown => Some(Action::Scroll(3)),
            _ => None,
        },
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            let found = bindings(app)
                .into_iter()
                .find(|binding| binding.keys.iter().any(|bound| bound.matches(key)));
            match found {
                Some(binding) => Some(binding.action),
                None if typing(app) => Some(Action::Key(*key)),
                None => None,
            }
        }
        _ => None,
    }
}
