//! The screens, one module each: its state, its `update` (an action in, a transition and
//! effects out) and its `draw`. Drawing reads `&App` only: a title bar, the screen on top, the
//! footer's key hints (from the keymap) and any dialog over them. Nothing drawn changes state
//! or does I/O.

pub mod cards;
pub mod drill;
pub mod exam;
pub mod exercise;
pub mod home;
pub mod lesson;
pub mod modal;
pub mod quiz;
pub mod scenario;
pub mod settings;
pub mod stats;
pub mod summary;
pub mod topic;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::action::Action;
use super::app::{App, Screen};
use super::ctx::MIN_SIZE;
use super::keymap;
use super::widgets::{clean, fit};
use modal::Modal;

/// Draws the whole interface.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        too_small(app, frame, area);
        return;
    }
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    title_bar(app, frame, top);
    match app.screen() {
        Screen::Home(state) => home::draw(app, frame, body, state),
        Screen::Topic(state) => topic::draw(app, frame, body, state),
        Screen::Lesson(state) => lesson::draw(app, frame, body, state),
        Screen::Card(state) => cards::draw(app, frame, body, state),
        Screen::Question(state) => quiz::draw(app, frame, body, state),
        Screen::Exercise(state) => exercise::draw(app, frame, body, state),
        Screen::Drill(state) => drill::draw(app, frame, body, state),
        Screen::Scenario(state) => scenario::draw(app, frame, body, state),
        Screen::Summary(state) => summary::draw(app, frame, body, state),
        Screen::Stats(state) => stats::draw(app, frame, body, state),
        Screen::Settings(state) => settings::draw(app, frame, body, state),
        Screen::Exam(state) => exam::draw(app, frame, body, state),
    }
    footer(app, frame, bottom);
    if let Some((message, _)) = &app.toast {
        toast(app, frame, body, message);
    }
    match &app.modal {
        None => {}
        Some(Modal::Help) => modal::help(app, frame, area),
        Some(Modal::Confirm { question, .. }) => modal::confirm(app, frame, area, *question),
        Some(Modal::Search { query, selected }) => {
            modal::search(app, frame, area, query, *selected)
        }
        Some(Modal::Message(message)) => modal::message(app, frame, area, message),
    }
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let text = match app.lang {
        crate::i18n::Lang::En => format!(
            "Terminal too small ({}×{}): kubedrill needs {}×{}.",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        ),
        crate::i18n::Lang::Ko => format!(
            "터미널이 너무 작습니다({}×{}). {}×{} 이상이 필요합니다.",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        ),
    };
    frame.render_widget(
        Paragraph::new(fit(vec![Line::raw(text)], area.width, true)),
        area,
    );
}

/// The session's title and what is left by kind, as Anki counts it (not a total that grows as
/// learning steps come back).
fn session_counts(app: &App, session: &crate::tui::session::Session) -> String {
    let left = session.left();
    match app.tag() {
        "ko" => format!(
            "{} · 새 {} · 학습 중 {} · 복습 {}",
            session.title, left.new, left.learning, left.reviews
        ),
        _ => format!(
            "{} · {} new · {} learning · {} review",
            session.title, left.new, left.learning, left.reviews
        ),
    }
}

fn title_bar(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let place = match app.screen() {
        Screen::Home(_) => app.t("Home", "홈").to_string(),
        Screen::Topic(state) => app
            .topic(state.deck, state.topic)
            .title
            .get(app.tag())
            .to_string(),
        Screen::Lesson(lesson) => match &app.session {
            // The lesson's own title is on its frame.
            Some(session) if lesson.in_session => session_counts(app, session),
            _ => app
                .topic(lesson.deck, lesson.topic)
                .title
                .get(app.tag())
                .to_string(),
        },
        Screen::Card(_)
        | Screen::Question(_)
        | Screen::Exercise(_)
        | Screen::Drill(_)
        | Screen::Scenario(_) => match &app.session {
            Some(session) => session_counts(app, session),
            None => app.t("Practice", "연습").to_string(),
        },
        Screen::Summary(_) => app.t("Session done", "학습 완료").to_string(),
        Screen::Stats(_) => app.t("Stats", "통계").to_string(),
        Screen::Settings(_) => app.t("Settings", "설정").to_string(),
        Screen::Exam(state) => match state.phase {
            exam::ExamPhase::Result => app.t("Mock exam: result", "모의 시험 결과").to_string(),
            _ => app.t("Mock exam", "모의 시험").to_string(),
        },
    };
    let mut right = Vec::new();
    if app.progress.streak > 0 {
        right.push(match app.lang {
            crate::i18n::Lang::En => format!("streak {}d", app.progress.streak),
            crate::i18n::Lang::Ko => format!("연속 {}일", app.progress.streak),
        });
    }
    if let Some(days) = app.progress.exam_days {
        right.push(match app.lang {
            crate::i18n::Lang::En => format!("exam in {days}d"),
            crate::i18n::Lang::Ko => format!("시험까지 {days}일"),
        });
    }
    if let Some(preview) = &app.preview {
        right.insert(
            0,
            match app.lang {
                crate::i18n::Lang::En => format!("preview of {}", preview.dir),
                crate::i18n::Lang::Ko => format!("{} 미리 보기", preview.dir),
            },
        );
    }
    let right = right.join(" · ");
    let left = vec![
        Span::styled(" kubedrill ", theme.selected()),
        Span::raw(" "),
        Span::styled(clean(&place), theme.title()),
    ];
    let used: usize = left.iter().map(|span| span.content.width()).sum();
    let gap = usize::from(area.width).saturating_sub(used + right.width() + 1);
    let mut spans = left;
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::styled(right, theme.dim()));
    frame.render_widget(Line::from(spans), area);
}

/// The key hints of the bindings in force, as many as fit. `? help` and the way back (`q back`,
/// on Home `q quit`) are kept whatever the width; the others are in the order of importance
/// their screen lists them in, and the least important are dropped first.
fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let mut seen = std::collections::HashSet::new();
    let shown: Vec<(String, &str, bool)> = keymap::bindings(app)
        .iter()
        // A key a screen binds itself and the shared table binds too is hinted once.
        // So is an action under two sets of keys with one name (the exam's `o/Tab` and `q/Esc`:
        // all tasks).
        .filter(|binding| {
            binding.footer
                && seen.insert(binding.keys_label())
                && seen.insert(binding.label.0.to_string())
        })
        .map(|binding| {
            let pinned = matches!(binding.action, Action::Help | Action::Back | Action::Quit);
            (
                binding.keys_label(),
                app.t(binding.label.0, binding.label.1),
                pinned,
            )
        })
        .collect();
    let cost = |(keys, label, _): &(String, &str, bool)| keys.width() + label.width() + 3;
    let mut room = usize::from(area.width);
    let mut keep = vec![false; shown.len()];
    // The pinned hints first, then the rest in order while they fit.
    for pinned_pass in [true, false] {
        for (index, hint) in shown.iter().enumerate() {
            if hint.2 == pinned_pass && cost(hint) <= room {
                keep[index] = true;
                room -= cost(hint);
            }
        }
    }
    let mut spans: Vec<Span> = Vec::new();
    for (hint, _) in shown.iter().zip(&keep).filter(|(_, keep)| **keep) {
        spans.push(Span::styled(format!(" {}", hint.0), theme.key()));
        spans.push(Span::styled(format!(" {} ", hint.1), theme.dim()));
    }
    frame.render_widget(Line::from(spans), area);
}

/// A message drawn inside the screen's frame, above its bottom border: wrapped to the room
/// between the side borders (a long one takes several rows), never over a border.
fn toast(app: &App, frame: &mut Frame, body: Rect, message: &str) {
    let inner = body.width.saturating_sub(2);
    let room = usize::from(inner.saturating_sub(4)).max(1);
    let mut lines = crate::text::wrap(&clean(message), room);
    let rows = usize::from(body.height.saturating_sub(2)).max(1);
    lines.truncate(rows);
    let widest = lines.iter().map(|line| line.width()).max().unwrap_or(0);
    let width = (widest as u16 + 4).min(inner);
    let height = lines.len() as u16;
    let area = Rect {
        x: body.x + 1 + (inner - width) / 2,
        y: (body.y + body.height.saturating_sub(1)).saturating_sub(height),
        width,
        height,
    };
    frame.render_widget(Clear, area);
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|line| {
            Line::styled(
                crate::text::pad(&format!("  {line}"), usize::from(width)),
                app.theme.selected(),
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
