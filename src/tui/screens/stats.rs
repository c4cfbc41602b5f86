//! Stats: a review calendar, reviews per day, the due forecast, retention, topic mastery. The
//! numbers are loaded by the runner (`Effect::LoadStats`) when the screen opens.

use jiff::ToSpan;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};
use unicode_width::UnicodeWidthStr;

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
    // Below 26 rows (an 80×24 terminal) the charts give up a row so that the calendar keeps
    // its seven weekdays and a topic still shows.
    let chart_rows = if area.height < 26 { 5 } else { 6 };
    let [numbers, calendar, charts, topics] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Length(10),
        Constraint::Length(chart_rows),
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
        .map(|day| day.count as u64)
        .collect();
    chart(
        app,
        frame,
        history,
        app.t("Reviews per day", "일별 복습"),
        &last,
        theme.good(),
        Past,
    );
    let ahead: Vec<u64> = stats.forecast.iter().map(|day| day.count as u64).collect();
    chart(
        app,
        frame,
        forecast,
        app.t("Due in the next 30 days", "앞으로 30일 예정"),
        &ahead,
        theme.warn(),
        Ahead,
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
            &stats.mastery_title(app.lang == Lang::Ko),
            false,
        )),
        topics,
    );
}

/// Which way a chart's days run from today: the last days, today at the right; or the next
/// days, today at the left.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Days {
    Past,
    Ahead,
}
use Days::{Ahead, Past};

/// A bar chart of one count a day, with its axes: the largest count and 0 on the left, and
/// under the bars how far the first and the last day shown are from today.
fn chart(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    title: &str,
    counts: &[u64],
    style: ratatui::style::Style,
    days: Days,
) {
    let theme = app.theme;
    let block = panel(app, title, false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 || inner.width < 8 {
        return;
    }
    // The days that fit `width` columns: the last ones, or the first ones ahead.
    let fit = |width: usize| match days {
        Past => &counts[counts.len().saturating_sub(width)..],
        Ahead => &counts[..counts.len().min(width)],
    };
    let largest = |counts: &[u64]| counts.iter().copied().max().unwrap_or(0).max(1);
    let digits = largest(fit(usize::from(inner.width))).to_string().len();
    let shown = fit(usize::from(inner.width).saturating_sub(digits + 1));
    let most = largest(shown);
    let [left, right] =
        Layout::horizontal([Constraint::Length(digits as u16 + 1), Constraint::Min(1)])
            .areas(inner);
    let [left, _] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(left);
    let [bars, under] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(right);
    // The y axis: the largest count at the top, 0 at the bottom.
    let mut scale = vec![Line::styled(format!("{most:>digits$}┤"), theme.dim())];
    for _ in 2..left.height {
        scale.push(Line::styled(format!("{:>digits$}│", ""), theme.dim()));
    }
    if left.height > 1 {
        scale.push(Line::styled(format!("{:>digits$}┤", 0), theme.dim()));
    }
    frame.render_widget(Paragraph::new(scale), left);
    frame.render_widget(
        Sparkline::default().data(shown).max(most).style(style),
        bars,
    );
    // The x axis: the first and the last day shown, counted from today.
    let span = shown.len().saturating_sub(1);
    let (first, last) = match (days, app.lang) {
        (Past, Lang::En) => (format!("{span}d ago"), "today".to_string()),
        (Past, Lang::Ko) => (format!("{span}일 전"), "오늘".to_string()),
        (Ahead, Lang::En) => ("today".to_string(), format!("in {span}d")),
        (Ahead, Lang::Ko) => ("오늘".to_string(), format!("{span}일 후")),
    };
    let width = usize::from(under.width).min(shown.len().max(1));
    let gap = width.saturating_sub(first.width() + last.width());
    let labels = if gap == 0 {
        last
    } else {
        format!("{first}{}{last}", " ".repeat(gap))
    };
    frame.render_widget(Line::styled(labels, theme.dim()), under);
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
    let mut lines = vec![Line::styled(
        month_labels(app.lang, start, weeks),
        theme.dim(),
    )];
    let names_en = ["Mon", "", "Wed", "", "Fri", "", "Sun"];
    let names_ko = ["월", "", "수", "", "금", "", "일"];
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
        format!(" {} ", app.t("less", "적음")),
        theme.dim(),
    )];
    for heat in 0..5u8 {
        legend.push(Span::styled(
            format!("{} ", HEAT[usize::from(heat)]),
            theme.heat(heat),
        ));
    }
    legend.push(Span::styled(app.t("more", "많음"), theme.dim()));
    // The legend sits on the bottom border: the rows inside are the months and the weekdays.
    legend.push(Span::raw(" "));
    frame.render_widget(
        Paragraph::new(lines).block(
            panel(app, app.t("Review calendar", "복습 달력"), false)
                .title_bottom(Line::from(legend).right_aligned()),
        ),
        area,
    );
}

/// The row above the calendar: each month's name over the first week column that starts in
/// it (`Jan`, or `1월` in Korean), after the 4 columns of the weekday names.
fn month_labels(lang: Lang, start: jiff::civil::Date, weeks: usize) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let name = |month: i8| match lang {
        Lang::En => NAMES[usize::from(month.unsigned_abs()) - 1].to_string(),
        Lang::Ko => format!("{month}월"),
    };
    // (column, label) where a week starts a new month; the first column is labelled too.
    let mut labels: Vec<(usize, String)> = Vec::new();
    let mut previous = None;
    for week in 0..weeks {
        let monday = start
            .checked_add(((week * 7) as i64).days())
            .unwrap_or(start);
        if previous != Some(monday.month()) {
            labels.push((4 + 2 * week, name(monday.month())));
            previous = Some(monday.month());
        }
    }
    // The first column's month gives way when the next month starts too close after it.
    if labels.len() > 1 && labels[0].0 + labels[0].1.width() + 1 > labels[1].0 {
        labels.remove(0);
    }
    let mut row = String::new();
    for (column, label) in labels {
        let used = row.width();
        if column < used + usize::from(used > 0) {
            continue;
        }
        row.push_str(&" ".repeat(column - used));
        row.push_str(&label);
    }
    row
}
