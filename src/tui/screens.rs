//! Drawing, from `&App` only: a title bar, the screen, the footer's key hints (from the keymap)
//! and any dialog on top. Nothing here changes state or does I/O. One file per screen.

mod exercise;
mod home;
mod lesson;
mod modal;
mod review;
mod stats;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::app::{App, MIN_SIZE, Modal, Screen};
use super::keymap;

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
    match &app.screen {
        Screen::Home { selected } => home::home(app, frame, body, *selected),
        Screen::Topic {
            deck,
            topic,
            selected,
        } => home::topic(app, frame, body, *deck, *topic, *selected),
        Screen::Lesson(lesson) => lesson::lesson(app, frame, body, lesson),
        Screen::Card(card) => review::card(app, frame, body, card),
        Screen::Question(question) => review::question(app, frame, body, question),
        Screen::Exercise(exercise) => exercise::exercise(app, frame, body, exercise),
        Screen::Drill(drill) => exercise::drill(app, frame, body, drill),
        Screen::Summary(summary) => review::summary(app, frame, body, summary),
        Screen::Stats { stats } => stats::stats(app, frame, body, stats.as_deref()),
        Screen::Settings { selected, editing } => {
            stats::settings(app, frame, body, *selected, editing.as_deref())
        }
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
        crate::cli::Lang::En => format!(
            "Terminal too small ({}×{}): kubedrill needs {}×{}.",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        ),
        crate::cli::Lang::Ko => format!(
            "터미널이 너무 작습니다({}×{}). {}×{} 이상이 필요합니다.",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        ),
    };
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn title_bar(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let place = match &app.screen {
        Screen::Home { .. } => app.t("Home", "홈").to_string(),
        Screen::Topic { deck, topic, .. } => {
            app.topic(*deck, *topic).title.get(app.tag()).to_string()
        }
        Screen::Lesson(lesson) => app
            .topic(lesson.deck, lesson.topic)
            .title
            .get(app.tag())
            .to_string(),
        Screen::Card(_) | Screen::Question(_) | Screen::Exercise(_) | Screen::Drill(_) => {
            match &app.session {
                Some(session) => format!(
                    "{} · {}/{}",
                    session.title,
                    (session.position + 1).min(session.items.len()),
                    session.items.len()
                ),
                None => app.t("Practice", "연습").to_string(),
            }
        }
        Screen::Summary(_) => app.t("Session done", "학습 완료").to_string(),
        Screen::Stats { .. } => app.t("Stats", "통계").to_string(),
        Screen::Settings { .. } => app.t("Settings", "설정").to_string(),
    };
    let mut right = Vec::new();
    if app.progress.streak > 0 {
        right.push(match app.lang {
            crate::cli::Lang::En => format!("streak {}d", app.progress.streak),
            crate::cli::Lang::Ko => format!("연속 {}일", app.progress.streak),
        });
    }
    if let Some(days) = app.progress.exam_days {
        right.push(match app.lang {
            crate::cli::Lang::En => format!("exam in {days}d"),
            crate::cli::Lang::Ko => format!("시험까지 {days}일"),
        });
    }
    if let Some(preview) = &app.preview {
        right.insert(
            0,
            match app.lang {
                crate::cli::Lang::En => format!("preview of {}", preview.dir),
                crate::cli::Lang::Ko => format!("{} 미리 보기", preview.dir),
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

/// The key hints of the bindings in force, as many as fit.
fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    for binding in keymap::bindings(app)
        .iter()
        .filter(|binding| binding.footer)
    {
        let keys = binding.keys_label();
        let label = app.t(binding.label.0, binding.label.1);
        let width = keys.width() + label.width() + 3;
        if used + width > usize::from(area.width) {
            break;
        }
        spans.push(Span::styled(format!(" {keys}"), theme.key()));
        spans.push(Span::styled(format!(" {label} "), theme.dim()));
        used += width;
    }
    frame.render_widget(Line::from(spans), area);
}

fn toast(app: &App, frame: &mut Frame, body: Rect, message: &str) {
    let width = (message.width() as u16 + 4).min(body.width);
    let area = Rect {
        x: body.x + (body.width - width) / 2,
        y: body.y + body.height.saturating_sub(2),
        width,
        height: 1,
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Line::styled(format!("  {}  ", clean(message)), app.theme.selected()),
        area,
    );
}

/// A bordered panel with a title.
fn panel<'a>(app: &App, title: &str, focused: bool) -> Block<'a> {
    let style = if focused {
        app.theme.focus_border()
    } else {
        app.theme.border()
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(
            format!(" {} ", clean(title)),
            app.theme.title(),
        ))
}

/// A rectangle of `width`×`height` centred in `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// Deck text is untrusted: control characters are shown escaped, never sent.
pub fn clean(text: &str) -> String {
    crate::text::escape_controls(text).replace('\t', "    ")
}

/// A progress bar of `width` cells for a fraction.
fn bar(fraction: f64, width: usize) -> String {
    let filled = (fraction.clamp(0.0, 1.0) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// Markdown text (prompts, card sides) laid out to a width, as styled lines.
fn markdown_lines(app: &App, text: &str, width: u16) -> Vec<Line<'static>> {
    super::markdown::render(text, width, app.theme).lines
}

fn style_if(condition: bool, style: Style) -> Style {
    if condition { style } else { Style::new() }
}
