//! Keys → Actions, per screen, from one table: the footer's hints and the help overlay are
//! drawn from the same [`Binding`]s that decide what a key does, so they never disagree.
//! Dialogs get keys first, then the screen; where a text field has focus, keys that are not
//! bound go to the field.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind,
};

use super::action::Action;
use super::app::{App, Screen};
use super::screens::home::HomeRow;
use super::screens::modal::Modal;
use crate::model::{ItemRef, QuestionAnswer};
use crate::srs::Rating;

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

fn bind(keys: &[Key], action: Action, label: (&'static str, &'static str)) -> Binding {
    Binding {
        keys: keys.to_vec(),
        action,
        label,
        footer: true,
    }
}

fn quiet(keys: &[Key], action: Action, label: (&'static str, &'static str)) -> Binding {
    Binding {
        footer: false,
        ..bind(keys, action, label)
    }
}

use Key::{Char as C, Code, Ctrl};

fn moving() -> Vec<Binding> {
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

fn global(app: &App) -> Vec<Binding> {
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
fn typing_global() -> Vec<Binding> {
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
        Screen::Home(home) => {
            let selected = &home.selected;
            let mut list = vec![
                bind(
                    &[Code(KeyCode::Enter), C('l')],
                    Action::Open,
                    ("open", "열기"),
                ),
                bind(&[C('c')], Action::Continue, ("study today", "오늘 학습")),
            ];
            if matches!(app.home_rows().get(*selected), Some(HomeRow::Topic(..))) {
                list.push(bind(
                    &[C('t')],
                    Action::StudyTopic,
                    ("study topic", "주제 학습"),
                ));
            }
            list.push(bind(&[C('S')], Action::GoStats, ("stats", "통계")));
            list.push(bind(&[C(',')], Action::GoSettings, ("settings", "설정")));
            list.push(bind(&[C('q')], Action::Quit, ("quit", "종료")));
            list.extend(moving());
            list.extend(global(app));
            list
        }
        Screen::Topic(_) => {
            let mut list = vec![
                bind(
                    &[Code(KeyCode::Enter), C('l')],
                    Action::Open,
                    ("open", "열기"),
                ),
                bind(&[C('t')], Action::StudyTopic, ("study cards", "카드 학습")),
                bind(
                    &[C('q'), Code(KeyCode::Esc), C('h')],
                    Action::Back,
                    ("back", "뒤로"),
                ),
            ];
            list.extend(moving());
            list.extend(global(app));
            list
        }
        Screen::Lesson(lesson) => {
            if lesson.toc {
                vec![
                    bind(&[Code(KeyCode::Enter)], Action::Open, ("go to", "이동")),
                    quiet(&[C('k'), Code(KeyCode::Up)], Action::Up, ("up", "위로")),
                    quiet(
                        &[C('j'), Code(KeyCode::Down)],
                        Action::Down,
                        ("down", "아래로"),
                    ),
                    bind(
                        &[C('t'), Code(KeyCode::Esc), C('q')],
                        Action::ToggleToc,
                        ("close contents", "목차 닫기"),
                    ),
                ]
            } else {
                let mut list = vec![
                    bind(&[C('t')], Action::ToggleToc, ("contents", "목차")),
                    bind(
                        &[C(']'), C('n')],
                        Action::NextHeading,
                        ("next section", "다음 절"),
                    ),
                    bind(
                        &[C('['), C('p')],
                        Action::PreviousHeading,
                        ("previous section", "이전 절"),
                    ),
                    bind(&[C('c')], Action::StudyTopic, ("study cards", "카드 학습")),
                    bind(&[Code(KeyCode::Tab)], Action::NextLink, ("links", "링크")),
                    quiet(
                        &[Code(KeyCode::BackTab)],
                        Action::PreviousLink,
                        ("previous link", "이전 링크"),
                    ),
                    quiet(
                        &[Code(KeyCode::Enter)],
                        Action::Open,
                        ("follow the link", "링크 열기"),
                    ),
                    quiet(&[C(' ')], Action::PageDown, ("page down", "한 쪽 아래")),
                    bind(
                        &[C('q'), Code(KeyCode::Esc)],
                        Action::Back,
                        ("back", "뒤로"),
                    ),
                ];
                list.extend(moving());
                list.extend(global(app));
                list
            }
        }
        Screen::Card(card) => {
            let mut list = if card.revealed() {
                vec![
                    bind(&[C('1')], Action::Rate(Rating::Again), ("again", "다시")),
                    bind(&[C('2')], Action::Rate(Rating::Hard), ("hard", "어려움")),
                    bind(
                        &[C('3'), C(' '), Code(KeyCode::Enter)],
                        Action::Rate(Rating::Good),
                        ("good", "알맞음"),
                    ),
                    bind(&[C('4')], Action::Rate(Rating::Easy), ("easy", "쉬움")),
                ]
            } else {
                vec![bind(
                    &[C(' '), Code(KeyCode::Enter)],
                    Action::Reveal,
                    ("show answer", "답 보기"),
                )]
            };
            list.push(bind(&[C('u')], Action::Undo, ("undo", "되돌리기")));
            list.push(bind(
                &[C('q'), Code(KeyCode::Esc)],
                Action::Back,
                ("end", "끝내기"),
            ));
            list.extend(global(app));
            list
        }
        Screen::Question(question) => question_bindings(app, question),
        Screen::Exercise(exercise) => {
            if exercise.typing() {
                let mut list = vec![
                    bind(
                        &[Ctrl('s'), Code(KeyCode::F(5))],
                        Action::Submit,
                        ("grade", "채점"),
                    ),
                    bind(
                        &[Code(KeyCode::Esc)],
                        Action::Focus,
                        ("stop typing", "편집 끝"),
                    ),
                ];
                list.extend(typing_global());
                list
            } else if exercise.passed() {
                let mut list = vec![
                    bind(
                        &[Code(KeyCode::Enter), C('n')],
                        Action::Next,
                        ("next", "다음"),
                    ),
                    bind(&[C('s')], Action::ShowSolution, ("solution", "풀이")),
                    bind(&[C('u')], Action::Undo, ("undo", "되돌리기")),
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
                    bind(
                        &[C('q'), Code(KeyCode::Esc)],
                        Action::Back,
                        ("back", "뒤로"),
                    ),
                ];
                list.extend(global(app));
                list
            } else {
                let mut list = vec![
                    bind(
                        &[C('i'), Code(KeyCode::Enter)],
                        Action::Focus,
                        ("edit", "편집"),
                    ),
                    bind(
                        &[Ctrl('s'), Code(KeyCode::F(5))],
                        Action::Submit,
                        ("grade", "채점"),
                    ),
                    bind(&[C('h')], Action::Hint, ("hint", "힌트")),
                    bind(&[C('s')], Action::ShowSolution, ("solution", "풀이")),
                    bind(
                        &[C('e')],
                        Action::ExternalEditor,
                        ("$EDITOR", "외부 편집기"),
                    ),
                    quiet(
                        &[C('w')],
                        Action::Watch,
                        (
                            "watch a file: grade every save",
                            "파일 감시: 저장할 때마다 채점",
                        ),
                    ),
                    bind(&[C('n')], Action::Next, ("skip", "건너뛰기")),
                    quiet(&[C('u')], Action::Undo, ("undo", "되돌리기")),
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
                    bind(
                        &[C('q'), Code(KeyCode::Esc)],
                        Action::Back,
                        ("back", "뒤로"),
                    ),
                ];
                list.extend(global(app));
                list
            }
        }
        Screen::Drill(drill) => {
            if drill.passed() {
                let mut list = vec![
                    bind(
                        &[Code(KeyCode::Enter), C('n')],
                        Action::Next,
                        ("next", "다음"),
                    ),
                    bind(&[C('u')], Action::Undo, ("undo", "되돌리기")),
                    bind(
                        &[C('q'), Code(KeyCode::Esc)],
                        Action::Back,
                        ("back", "뒤로"),
                    ),
                ];
                list.extend(global(app));
                list
            } else {
                let mut list = vec![
                    bind(&[Code(KeyCode::Enter)], Action::Submit, ("check", "채점")),
                    quiet(
                        &[Code(KeyCode::Up)],
                        Action::Up,
                        ("previous command", "이전 명령"),
                    ),
                    quiet(
                        &[Code(KeyCode::Down)],
                        Action::Down,
                        ("next command", "다음 명령"),
                    ),
                    bind(
                        &[Ctrl('r')],
                        Action::ShowSolution,
                        ("show answer", "정답 보기"),
                    ),
                    bind(&[Ctrl('n')], Action::Next, ("skip", "건너뛰기")),
                    bind(&[Code(KeyCode::Esc)], Action::Back, ("back", "뒤로")),
                ];
                list.extend(typing_global());
                list
            }
        }
        Screen::Summary(_) => {
            let mut list = vec![
                bind(
                    &[Code(KeyCode::Enter), C('q'), Code(KeyCode::Esc)],
                    Action::Back,
                    ("home", "홈"),
                ),
                bind(&[C('c')], Action::Continue, ("study more", "더 학습")),
            ];
            list.extend(global(app));
            list
        }
        Screen::Stats(_) => {
            let mut list = vec![bind(
                &[C('q'), Code(KeyCode::Esc), C('h')],
                Action::Back,
                ("back", "뒤로"),
            )];
            list.extend(global(app));
            list
        }
        Screen::Settings(settings) => {
            if settings.editing.is_some() {
                let mut list = vec![
                    bind(&[Code(KeyCode::Enter)], Action::Open, ("save", "저장")),
                    bind(&[Code(KeyCode::Esc)], Action::Back, ("cancel", "취소")),
                ];
                list.extend(typing_global());
                list
            } else {
                let mut list = vec![
                    bind(&[Code(KeyCode::Enter)], Action::Open, ("change", "변경")),
                    quiet(
                        &[Code(KeyCode::Left), Code(KeyCode::Right)],
                        Action::Right,
                        ("switch language", "언어 전환"),
                    ),
                    bind(
                        &[C('q'), Code(KeyCode::Esc)],
                        Action::Back,
                        ("back", "뒤로"),
                    ),
                ];
                list.extend(moving());
                list.extend(global(app));
                list
            }
        }
        Screen::Exam(exam) => exam_bindings(app, exam),
    };
    list.dedup_by(|a, b| a.keys == b.keys);
    list
}

fn exam_bindings(app: &App, exam: &super::screens::exam::ExamState) -> Vec<Binding> {
    use super::screens::exam::{ExamPhase, ExamView, TaskState};
    let mut list = match (exam.phase, exam.view) {
        (ExamPhase::Intro, _) => vec![
            bind(
                &[Code(KeyCode::Enter)],
                Action::Open,
                ("start the clock", "시작"),
            ),
            bind(
                &[C('q'), Code(KeyCode::Esc)],
                Action::Back,
                ("back", "뒤로"),
            ),
        ],
        (ExamPhase::Running, ExamView::Overview { .. }) => {
            let mut list = vec![
                bind(
                    &[Code(KeyCode::Enter)],
                    Action::Open,
                    ("open task", "과제 열기"),
                ),
                bind(&[C('f')], Action::Flag, ("flag", "표시")),
                bind(&[C('x')], Action::HandIn, ("hand in", "제출")),
                bind(
                    &[C('o'), Code(KeyCode::Tab)],
                    Action::Overview,
                    ("back to task", "과제로"),
                ),
                bind(
                    &[C('q'), Code(KeyCode::Esc)],
                    Action::Back,
                    ("leave exam", "시험 나가기"),
                ),
            ];
            list.extend(moving());
            list
        }
        (ExamPhase::Running, _) => match exam.tasks.get(exam.current) {
            Some(TaskState::Exercise(exercise)) if exercise.typing() => {
                let mut list = vec![
                    bind(
                        &[Code(KeyCode::Esc)],
                        Action::Focus,
                        ("stop typing", "편집 끝"),
                    ),
                    bind(&[Ctrl('n')], Action::ExamNext, ("next task", "다음 과제")),
                    bind(
                        &[Ctrl('p')],
                        Action::ExamPrevious,
                        ("previous task", "이전 과제"),
                    ),
                    bind(&[Ctrl('f')], Action::Flag, ("flag", "표시")),
                ];
                list.extend(typing_global());
                list
            }
            Some(TaskState::Drill(_)) => {
                let mut list = vec![
                    bind(
                        &[Code(KeyCode::Enter)],
                        Action::Open,
                        ("next task", "다음 과제"),
                    ),
                    bind(
                        &[Ctrl('p')],
                        Action::ExamPrevious,
                        ("previous task", "이전 과제"),
                    ),
                    bind(&[Ctrl('f')], Action::Flag, ("flag", "표시")),
                    bind(
                        &[Code(KeyCode::Tab)],
                        Action::Overview,
                        ("all tasks", "전체 과제"),
                    ),
                    bind(&[Ctrl('x')], Action::HandIn, ("hand in", "제출")),
                    quiet(
                        &[Code(KeyCode::Up)],
                        Action::Up,
                        ("previous command", "이전 명령"),
                    ),
                    quiet(
                        &[Code(KeyCode::Down)],
                        Action::Down,
                        ("next command", "다음 명령"),
                    ),
                    bind(
                        &[Code(KeyCode::Esc)],
                        Action::Back,
                        ("all tasks", "전체 과제"),
                    ),
                ];
                list.extend(typing_global());
                list
            }
            _ => {
                let mut list = vec![
                    bind(
                        &[C('i'), Code(KeyCode::Enter)],
                        Action::Focus,
                        ("edit", "편집"),
                    ),
                    bind(
                        &[C('n'), C(']')],
                        Action::ExamNext,
                        ("next task", "다음 과제"),
                    ),
                    bind(
                        &[C('p'), C('[')],
                        Action::ExamPrevious,
                        ("previous task", "이전 과제"),
                    ),
                    bind(&[C('f')], Action::Flag, ("flag", "표시")),
                    bind(
                        &[C('o'), Code(KeyCode::Tab)],
                        Action::Overview,
                        ("all tasks", "전체 과제"),
                    ),
                    bind(
                        &[C('e')],
                        Action::ExternalEditor,
                        ("$EDITOR", "외부 편집기"),
                    ),
                    bind(&[C('x')], Action::HandIn, ("hand in", "제출")),
                    quiet(&[C('h')], Action::Hint, ("hint", "힌트")),
                    quiet(&[C('s')], Action::ShowSolution, ("solution", "풀이")),
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
                    bind(
                        &[C('q'), Code(KeyCode::Esc)],
                        Action::Back,
                        ("all tasks", "전체 과제"),
                    ),
                ];
                list.extend(global(app));
                list
            }
        },
        (ExamPhase::Result, ExamView::Review { .. }) => {
            let mut list = vec![
                bind(&[C('s')], Action::ShowSolution, ("solution", "풀이")),
                bind(
                    &[C('n'), C(']')],
                    Action::ExamNext,
                    ("next task", "다음 과제"),
                ),
                bind(
                    &[C('p'), C('[')],
                    Action::ExamPrevious,
                    ("previous task", "이전 과제"),
                ),
                bind(
                    &[C('q'), Code(KeyCode::Esc)],
                    Action::Back,
                    ("results", "결과"),
                ),
            ];
            list.extend(moving());
            list
        }
        (ExamPhase::Result, _) => {
            let mut list = vec![
                bind(
                    &[Code(KeyCode::Enter)],
                    Action::Open,
                    ("review task", "과제 검토"),
                ),
                bind(&[C('q'), Code(KeyCode::Esc)], Action::Back, ("done", "끝")),
            ];
            list.extend(moving());
            list
        }
    };
    if exam.phase != ExamPhase::Running
        || !matches!(exam.tasks.get(exam.current), Some(TaskState::Drill(_)))
            && !matches!(exam.tasks.get(exam.current), Some(TaskState::Exercise(e)) if e.typing())
    {
        list.push(bind(&[C('?')], Action::Help, ("help", "도움말")));
        list.push(quiet(
            &[C('Q'), Ctrl('c')],
            Action::Quit,
            ("quit kubedrill", "kubedrill 종료"),
        ));
    }
    list
}

fn question_bindings(app: &App, question: &super::screens::quiz::QuestionState) -> Vec<Binding> {
    let ItemRef::Question(item) = app.item(question.key) else {
        return Vec::new();
    };
    if question.result().is_some() {
        let mut list = vec![
            bind(
                &[Code(KeyCode::Enter), C(' ')],
                Action::Next,
                ("continue", "계속"),
            ),
            bind(&[C('u')], Action::Undo, ("undo", "되돌리기")),
            bind(
                &[C('q'), Code(KeyCode::Esc)],
                Action::Back,
                ("end", "끝내기"),
            ),
        ];
        list.extend(global(app));
        return list;
    }
    match &item.answer {
        QuestionAnswer::Choice { options, correct } => {
            let mut list: Vec<Binding> = (0..options.len().min(9))
                .map(|index| {
                    quiet(
                        &[C(char::from(b'1' + index as u8))],
                        Action::Choose(index),
                        ("choose", "선택"),
                    )
                })
                .collect();
            list.push(bind(
                &[Code(KeyCode::Enter)],
                Action::Open,
                ("answer", "답하기"),
            ));
            if correct.len() > 1 {
                list.push(bind(&[C(' ')], Action::Reveal, ("mark", "표시")));
            }
            list.push(quiet(
                &[C('k'), Code(KeyCode::Up)],
                Action::Up,
                ("up", "위로"),
            ));
            list.push(quiet(
                &[C('j'), Code(KeyCode::Down)],
                Action::Down,
                ("down", "아래로"),
            ));
            list.push(bind(&[C('u')], Action::Undo, ("undo", "되돌리기")));
            list.push(bind(
                &[C('q'), Code(KeyCode::Esc)],
                Action::Back,
                ("end", "끝내기"),
            ));
            list.extend(global(app));
            list
        }
        QuestionAnswer::TypeIn { .. } => {
            let mut list = vec![
                bind(&[Code(KeyCode::Enter)], Action::Open, ("answer", "답하기")),
                bind(&[Code(KeyCode::Esc)], Action::Back, ("end", "끝내기")),
            ];
            list.extend(typing_global());
            list
        }
    }
}

/// Whether unbound keys go to a text field now.
fn typing(app: &App) -> bool {
    match (&app.modal, app.screen()) {
        (Some(Modal::Search { .. }), _) => true,
        (Some(_), _) => false,
        (None, Screen::Exercise(exercise)) => exercise.typing(),
        (None, Screen::Drill(drill)) => !drill.passed(),
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
                    Some(TaskState::Drill(_)) => true,
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
