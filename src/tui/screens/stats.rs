//! Stats: a review calendar, reviews per day, the due forecast, retention, topic mastery. The
//! numbers are loaded by the runner (`Effect::LoadStats`) when the screen opens.

use jiff::ToSpan;
use jiff::civil::Weekday;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};

use crate::i18n::Lang;
use crate::store::stats::Stats;
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, Screen, Transition};
use crate::tui::ctx::{Outcome, stay};
use crate::tui::keymap::Key::{Char as C, Code};
use crate::tui::keymap::{Binding, bind, global};
use crate::tui::widgets::{bar, clean, panel};
use ratatui::crossterm::event::KeyCode;

#[derive(Debug, Clone, Default)]
pub struct StatsState {
    /// `None` until the runner has loaded them.
    pub stats: Option<Box<Stats>>,
}

/// Opens the stats screen and asks for the numbers.
pub fn open() -> Outcome {
    (
        Transition::Go(Screen::Stats(StatsState::default())),
        vec![Effect::LoadStats],
    )
}

pub fn update(state: &mut StatsState, action: Action) -> Outcome {
    match action {
        Action::StatsLoaded(stats) => state.stats = Some(stats),
        Action::Back | Action::Left => return (Transition::Back, Vec::new()),
        _ => {}
    }
    stay()
}

/// The screen's key bindings: the keymap's table for it, also what the footer and help show.
pub fn bindings(app: &App, _state: &StatsState) -> Vec<Binding> {
    let mut list = vec![bind(
        &[C('q'), Code(KeyCode::Esc), C('h')],
        Action::Back,
        ("back", "뒤로"),
    )];
    list.extend(global(app));
    list
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, state: &StatsState) {
    let stats = state.stats.as_deref();
    let theme = app.theme;
    let Some(stats) = stats else {
        frame.render_widget(
            Paragraph::new(app.t("Counting…", "집계 중…")).block(panel(
                app,
                app.t("Stats", "통계"),
                true,
            )),
            area,
        );
        return;
    };
    let [numbers, calendar, charts, topics] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Length(10),
        Constraint::Length(6),
        Constraint::Min(3),
    ])
    .areas(area);
    let retention = stats
        .retention
        .rate
        .map_or_else(|| "—".to_string(), |rate| format!("{:.1}%", rate * 100.0));
    let week: usize = stats.forecast.iter().take(7).map(|day| day.count).sum();
    let summary = match app.lang {
        Lang::En => vec![
            Line::raw(format!(
                "Due today {} · next 7 days {week} · new {} · streak {} · {} in all",
                stats.due_today,
                stats.new_items,
                crate::text::plural(stats.streak, "day"),
                crate::text::plural(stats.total_reviews, "review"),
            )),
            Line::raw(format!(
                "True retention over 30 days: {retention} (target {:.0}%)",
                app.scheduler.retention_at(app.now) * 100.0
            )),
        ],
        Lang::Ko => vec![
            Line::raw(format!(
                "오늘 예정 {} · 7일간 {week} · 새 항목 {} · 연속 {}일 · 전체 복습 {}회",
                stats.due_today, stats.new_items, stats.streak, stats.total_reviews
            )),
            Line::raw(format!(
                "최근 30일 실제 기억률: {retention} (목표 {:.0}%)",
                app.scheduler.retention_at(app.now) * 100.0
            )),
        ],
    };
    frame.render_widget(
        Paragraph::new(summary).block(panel(app, app.t("Stats", "통계"), true)),
        numbers,
    );
    heatmap(app, frame, calendar, stats);
    let [history, forecast] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(charts);
    let last: Vec<u64> = stats
        .reviews_per_day
        .iter()
        .rev()
        .take(usize::from(history.width.saturating_sub(2)))
        .rev()
        .map(|day| day.count as u64)
        .collect();
    frame.render_widget(
        Sparkline::default()
            .data(&last)
            .style(theme.good())
            .block(panel(app, app.t("Reviews per day", "일별 복습"), false)),
        history,
    );
    let ahead: Vec<u64> = stats.forecast.iter().map(|day| day.count as u64).collect();
    frame.render_widget(
        Sparkline::default()
            .data(&ahead)
            .style(theme.warn())
            .block(panel(
                app,
                app.t("Due in the next 30 days", "앞으로 30일 예정"),
                false,
            )),
        forecast,
    );
    let mut lines = Vec::new();
    for topic in &stats.topics {
        let title = app
            .library
            .decks
            .iter()
            .find(|deck| deck.id.as_str() == topic.deck)
            .and_then(|deck| deck.topic(&topic.topic))
            .map(|found| clean(found.title.get(app.tag())))
            .unwrap_or_else(|| topic.topic.clone());
        lines.push(Line::from(vec![
            Span::raw(crate::text::pad(&title, 30)),
            Span::styled(format!(" {} ", bar(topic.mastery, 20)), theme.good()),
            Span::styled(
                match app.lang {
                    Lang::En => format!(
                        "{:>3.0}%  studied {}/{}  mature {}",
                        topic.mastery * 100.0,
                        topic.studied,
                        topic.items,
                        topic.mature
                    ),
                    Lang::Ko => format!(
                        "{:>3.0}%  학습 {}/{}  장기 {}",
                        topic.mastery * 100.0,
                        topic.studied,
                        topic.items,
                        topic.mature
                    ),
                },
                theme.dim(),
            ),
        ]));
    }
    let topics = if stats.exams.is_empty() {
        topics
    } else {
        let [mastery, exams] =
            Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
                .areas(topics);
        let mut rows = Vec::new();
        for exam in &stats.exams {
            let (mark, style) = if exam.passed {
                ("✓", theme.good())
            } else {
                ("✗", theme.bad())
            };
            rows.push(Line::from(vec![
                Span::styled(format!("{mark} {:>3.0}%  ", exam.score), style),
                Span::raw(exam.date.to_string()),
                Span::styled(
                    match app.lang {
                        Lang::En => format!(
                            "  {}  seed {}",
                            crate::text::plural(exam.tasks, "task"),
                            exam.seed
                        ),
                        Lang::Ko => format!("  과제 {}개  시드 {}", exam.tasks, exam.seed),
                    },
                    theme.dim(),
                ),
            ]));
        }
        frame.render_widget(
            Paragraph::new(rows).block(panel(app, app.t("Mock exams", "모의 시험"), false)),
            exams,
        );
        mastery
    };
    frame.render_widget(
        Paragraph::new(lines).block(panel(
            app,
            app.t("Mastery by topic", "주제별 숙련도"),
            false,
        )),
        topics,
    );
}

/// The calendar's cells by heat, readable without colour too.
const HEAT: [&str; 5] = ["·", "░", "▒", "▓", "█"];

/// A calendar of the last weeks: a column per week, a row per weekday, shaded by reviews.
fn heatmap(app: &App, frame: &mut Frame, area: Rect, stats: &Stats) {
    let theme = app.theme;
    let weeks = usize::from(area.width.saturating_sub(8)) / 2;
    let weeks = weeks.clamp(4, 52);
    let days = &stats.reviews_per_day;
    let most = days.iter().map(|day| day.count).max().unwrap_or(0).max(1);
    let level = |count: usize| -> u8 {
        match count {
            0 => 0,
            n if n * 4 <= most => 1,
            n if n * 2 <= most => 2,
            n if n * 4 <= most * 3 => 3,
            _ => 4,
        }
    };
    // The grid starts on the Monday `weeks` weeks back.
    let today = stats.today;
    let monday = today
        .checked_sub((today.weekday().to_monday_zero_offset() as i64).days())
        .unwrap_or(today);
    let start = monday
        .checked_sub(((weeks as i64 - 1) * 7).days())
        .unwrap_or(monday);
    let count_on = |date: jiff::civil::Date| {
        days.iter()
            .find(|day| day.date == date)
            .map_or(0, |day| day.count)
    };
    let names_en = ["Mon", "", "Wed", "", "Fri", "", "Sun"];
    let names_ko = ["월", "", "수", "", "금", "", "일"];
    let mut lines = Vec::new();
    for weekday in 0..7 {
        let name = if app.lang == Lang::Ko {
            names_ko[weekday]
        } else {
            names_en[weekday]
        };
        let mut spans = vec![Span::styled(crate::text::pad(name, 4), theme.dim())];
        for week in 0..weeks {
            let date = start
                .checked_add(((week * 7 + weekday) as i64).days())
                .unwrap_or(start);
            if date > today {
                spans.push(Span::raw("  "));
            } else {
                let heat = level(count_on(date));
                spans.push(Span::styled(
                    format!("{} ", HEAT[usize::from(heat)]),
                    theme.heat(heat),
                ));
            }
        }
        lines.push(Line::from(spans));
    }
    let mut legend = vec![Span::styled(
        format!("    {}  ", app.t("less", "적음")),
        theme.dim(),
    )];
    for heat in 0..5u8 {
        legend.push(Span::styled(
            format!("{} ", HEAT[usize::from(heat)]),
            theme.heat(heat),
        ));
    }
    legend.push(Span::styled(app.t("more", "많음"), theme.dim()));
    lines.push(Line::from(legend));
    let _ = Weekday::Monday;
    frame.render_widget(
        Paragraph::new(lines).block(panel(app, app.t("Review calendar", "복습 달력"), false)),
        area,
    );
}
