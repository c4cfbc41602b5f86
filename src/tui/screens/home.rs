//! Home: the decks' topics with their progress, what to do next (today's study, the mock
//! exam, stats, settings), and a preview's deck problems above them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::Lang;
use crate::store::Setting;
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, Screen, Transition};
use crate::tui::ctx::{Ctx, Outcome, stay};
use crate::tui::keymap::Key::{Char as C, Code};
use crate::tui::keymap::{Binding, bind, global, moving};
use crate::tui::widgets::{bar, clean, panel, truncate};
use ratatui::crossterm::event::KeyCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeRow {
    Continue,
    /// A deck's domain (`None`: its topics that name no domain), folded or open.
    Domain(usize, Option<usize>),
    Topic(usize, usize),
    Exam,
    Stats,
    Settings,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeState {
    pub selected: usize,
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "every screen's update takes its action the same way"
)]
pub fn update(state: &mut HomeState, action: Action, ctx: &mut Ctx) -> Outcome {
    let rows = ctx.home_rows();
    let last = rows.len() - 1;
    let selected = &mut state.selected;
    match action {
        Action::Up => *selected = selected.saturating_sub(1),
        Action::Down => *selected = (*selected + 1).min(last),
        Action::Top => *selected = 0,
        Action::Bottom => *selected = last,
        Action::PageDown => *selected = (*selected + 10).min(last),
        Action::PageUp => *selected = selected.saturating_sub(10),
        Action::Scroll(lines) => {
            *selected = (*selected as i64 + i64::from(lines)).clamp(0, last as i64) as usize
        }
        Action::Left => match rows[*selected] {
            HomeRow::Domain(deck, domain) => fold(ctx, deck, domain, true),
            HomeRow::Topic(deck, topic) if !ctx.deck(deck).domains.is_empty() => {
                let domain = ctx.topic(deck, topic).domain;
                if let Some(row) = rows
                    .iter()
                    .position(|row| *row == HomeRow::Domain(deck, domain))
                {
                    *selected = row;
                    fold(ctx, deck, domain, true);
                }
            }
            _ => {}
        },
        Action::Right if matches!(rows[*selected], HomeRow::Domain(..)) => {
            if let HomeRow::Domain(deck, domain) = rows[*selected] {
                fold(ctx, deck, domain, false);
            }
        }
        Action::Open | Action::Right => {
            return match rows[*selected] {
                HomeRow::Continue => ctx.start_session(None),
                HomeRow::Domain(deck, domain) => {
                    let folded = ctx.is_collapsed(deck, domain);
                    fold(ctx, deck, domain, !folded);
                    stay()
                }
                HomeRow::Topic(deck, topic) => (
                    Transition::Go(Screen::Topic(super::topic::TopicState {
                        deck,
                        topic,
                        selected: 0,
                    })),
                    Vec::new(),
                ),
                HomeRow::Exam => {
                    let seed = crate::exam::new_seed(ctx.now);
                    let options = crate::exam::ExamOptions {
                        tasks: ctx.exam_size(),
                        ..crate::exam::ExamOptions::with_seed(seed)
                    };
                    let opened = crate::exam::plan(&ctx.library, &options)
                        .map_err(|error| error.to_string())
                        .and_then(|plan| super::exam::open(ctx, plan));
                    match opened {
                        Ok(state) => (Transition::Go(Screen::Exam(state)), Vec::new()),
                        Err(why) => {
                            ctx.toast(why);
                            stay()
                        }
                    }
                }
                HomeRow::Stats => super::stats::open(),
                HomeRow::Settings => super::settings::open(),
            };
        }
        Action::StudyTopic => {
            if let HomeRow::Topic(deck, topic) = rows[*selected] {
                return ctx.start_session(Some((deck, topic)));
            }
        }
        Action::RaiseNewPerDay => {
            if let Some(needed) = needed_raise(ctx) {
                return crate::tui::ctx::stay_with(vec![Effect::SaveSetting(
                    Setting::NewPerDay,
                    needed.to_string(),
                )]);
            }
        }
        _ => {}
    }
    stay()
}

/// Folds or opens a domain on Home.
fn fold(ctx: &mut Ctx, deck: usize, domain: Option<usize>, folded: bool) {
    let key = ctx.domain_key(deck, domain);
    if folded {
        ctx.collapsed.insert(key);
    } else {
        ctx.collapsed.remove(&key);
    }
}

/// The new-items limit the exam-date plan needs, when it is more than the present one.
pub fn needed_raise(ctx: &Ctx) -> Option<usize> {
    let plan = ctx.progress.plan.as_ref()?;
    let needed = plan.needed_new_per_day?;
    (!plan.on_track && needed > ctx.settings.new_per_day).then_some(needed)
}

/// The exam-date plan's line under Continue: "Exam in N days · on track", or behind and what it
/// takes.
fn plan_line(app: &App) -> Option<Line<'static>> {
    let plan = app.progress.plan.as_ref()?;
    let days = app
        .progress
        .exam_days
        .unwrap_or(plan.shown().days.len() as i64)
        .max(0) as usize;
    let theme = app.theme;
    let (text, style) = match (app.lang, plan.on_track, plan.needed_new_per_day) {
        (Lang::En, true, _) => (
            format!(
                "    Exam in {} · on track",
                crate::text::plural(days, "day")
            ),
            theme.good(),
        ),
        (Lang::Ko, true, _) => (
            format!("    시험까지 {days}일 · 계획대로 진행 중"),
            theme.good(),
        ),
        (Lang::En, false, Some(needed)) => (
            format!(
                "    Exam in {} · behind: {needed} new a day needed (now {})",
                crate::text::plural(days, "day"),
                plan.new_per_day
            ),
            theme.warn(),
        ),
        (Lang::Ko, false, Some(needed)) => (
            format!(
                "    시험까지 {days}일 · 뒤처짐: 하루 새 항목 {needed}개 필요(현재 {}개)",
                plan.new_per_day
            ),
            theme.warn(),
        ),
        (Lang::En, false, None) => (
            format!(
                "    Exam in {} · behind: too close to see the {} new items a week before it",
                crate::text::plural(days, "day"),
                plan.unseen
            ),
            theme.warn(),
        ),
        (Lang::Ko, false, None) => (
            format!(
                "    시험까지 {days}일 · 뒤처짐: 새 항목 {}개를 시험 한 주 전까지 다 볼 수 없습니다",
                plan.unseen
            ),
            theme.warn(),
        ),
    };
    Some(Line::styled(text, style))
}

/// A preview's `deck check` findings, above the study list.
fn preview_panel(app: &App, frame: &mut Frame, area: Rect) -> Rect {
    let Some(preview) = &app.preview else {
        return area;
    };
    let theme = app.theme;
    let mut lines: Vec<Line> = Vec::new();
    let status = match (app.lang, preview.errors, preview.warnings) {
        (Lang::En, 0, 0) => "The deck checks clean.".to_string(),
        (Lang::En, errors, warnings) => format!(
            "{}, {}:",
            crate::text::plural(errors, "error"),
            crate::text::plural(warnings, "warning")
        ),
        (Lang::Ko, 0, 0) => "덱에 문제가 없습니다.".to_string(),
        (Lang::Ko, errors, warnings) => format!("오류 {errors}개, 경고 {warnings}개:"),
    };
    lines.push(Line::styled(
        status,
        if preview.errors > 0 {
            theme.bad()
        } else if preview.warnings > 0 {
            theme.warn()
        } else {
            theme.good()
        },
    ));
    for problem in &preview.problems {
        lines.push(Line::styled(
            format!("  {}", clean(problem)),
            if problem.contains(": error: ") {
                theme.bad()
            } else {
                theme.warn()
            },
        ));
    }
    let reload = match (app.lang, preview.watching) {
        (Lang::En, true) => "Saving a file reloads the deck; R reloads now.",
        (Lang::En, false) => "File changes are not reported here: press R to reload.",
        (Lang::Ko, true) => "파일을 저장하면 덱을 다시 읽습니다. R을 누르면 바로 다시 읽습니다.",
        (Lang::Ko, false) => "이 환경에서는 파일 변경을 알 수 없습니다. R을 눌러 다시 읽으세요.",
    };
    lines.push(Line::styled(reload, theme.dim()));
    let wanted = lines.len() as u16 + 2;
    let height = wanted.min(area.height / 2).max(3);
    let [top, rest] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(3)]).areas(area);
    frame.render_widget(
        Paragraph::new(crate::tui::widgets::fit(
            lines,
            top.width.saturating_sub(2),
            false,
        ))
        .block(panel(app, app.t("deck check", "덱 검사"), false)),
        top,
    );
    rest
}

/// A row of one text after the selection marker.
fn row_line(
    marker: &'static str,
    text: impl Into<std::borrow::Cow<'static, str>>,
    marker_style: Style,
    text_style: Style,
) -> Line<'static> {
    Line::from(vec![
        Span::styled(marker, marker_style),
        Span::styled(text, text_style),
    ])
}

/// A deck's name above its topics.
fn deck_heading(app: &App, deck: usize, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::default());
    let deck_ref = app.deck(deck);
    lines.push(Line::from(vec![
        Span::styled(
            format!("  {}", clean(deck_ref.title.get(app.tag()))),
            app.theme.heading(2),
        ),
        Span::styled(format!("  {}", deck_ref.id), app.theme.dim()),
    ]));
}

/// A row's mastery bar, what is due and what is new.
fn progress_spans(app: &App, stats: &crate::tui::ctx::TopicProgress) -> Vec<Span<'static>> {
    let theme = app.theme;
    if app.progress.pending {
        // Blank until the decks are read (the next frame): nothing to show is better than a 0.
        return Vec::new();
    }
    let due = if stats.due > 0 {
        match app.lang {
            Lang::En => format!("{:>3} due", stats.due),
            Lang::Ko => format!("예정 {:>3}", stats.due),
        }
    } else {
        "       ".to_string()
    };
    let unseen = stats.items.saturating_sub(stats.studied);
    let new = match app.lang {
        Lang::En => format!("{unseen:>3} new"),
        Lang::Ko => format!("새 {unseen:>3}"),
    };
    vec![
        Span::styled(format!(" {} ", bar(stats.mastery, 10)), theme.good()),
        Span::styled(format!("{:>3.0}%  ", stats.mastery * 100.0), theme.dim()),
        Span::styled(
            due,
            if stats.due > 0 {
                theme.warn()
            } else {
                theme.dim()
            },
        ),
        Span::styled(format!("  {new}"), theme.dim()),
    ]
}

/// The screen's key bindings: the keymap's table for it, also what the footer and help show.
pub fn bindings(app: &App, home: &HomeState) -> Vec<Binding> {
    let selected = &home.selected;
    let mut list = vec![
        bind(
            &[Code(KeyCode::Enter), C('l'), C(' ')],
            Action::Open,
            if matches!(app.home_rows().get(*selected), Some(HomeRow::Domain(..))) {
                ("fold/unfold", "접기/펼치기")
            } else {
                ("open", "열기")
            },
        ),
        bind(&[C('c')], Action::Continue, ("study today", "오늘 학습")),
    ];
    match app.home_rows().get(*selected) {
        Some(HomeRow::Topic(deck, _)) => {
            list.push(bind(
                &[C('t')],
                Action::StudyTopic,
                ("study topic", "주제 학습"),
            ));
            if !app.deck(*deck).domains.is_empty() {
                list.push(bind(
                    &[C('h'), Code(KeyCode::Left)],
                    Action::Left,
                    ("fold domain", "영역 접기"),
                ));
            }
        }
        Some(HomeRow::Domain(..)) => {
            list.push(bind(
                &[C('h'), Code(KeyCode::Left)],
                Action::Left,
                ("fold", "접기"),
            ));
            list.push(bind(
                &[Code(KeyCode::Right)],
                Action::Right,
                ("unfold", "펼치기"),
            ));
        }
        _ => {}
    }
    if needed_raise(app).is_some() {
        list.push(bind(
            &[C('+')],
            Action::RaiseNewPerDay,
            ("raise new a day", "하루 새 항목 늘리기"),
        ));
    }
    list.push(bind(&[C('S')], Action::GoStats, ("stats", "통계")));
    list.push(bind(&[C(',')], Action::GoSettings, ("settings", "설정")));
    list.push(bind(&[C('q')], Action::Quit, ("quit", "종료")));
    list.extend(moving());
    list.extend(global(app));
    list
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, state: &HomeState) {
    let selected = state.selected;
    let area = preview_panel(app, frame, area);
    let theme = app.theme;
    let rows = app.home_rows();
    let progress = &app.progress;
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    let name_width = usize::from(area.width.saturating_sub(2))
        .saturating_sub(44)
        .clamp(16, 34);
    let mut last_deck = None;
    for (index, row) in rows.iter().enumerate() {
        let style = crate::tui::widgets::style_if(index == selected, theme.selected());
        let marker = if index == selected { "▶ " } else { "  " };
        if index == selected {
            selected_line = lines.len();
        }
        match *row {
            HomeRow::Continue if progress.error.is_some() => {
                // Wrapped: the reason names the database's path, so it runs long.
                let why = progress.error.as_deref().unwrap_or_default();
                let text = crate::i18n::progress_unreadable(app.lang, &clean(why));
                let wrapped = crate::tui::widgets::fit(
                    vec![Line::from(Span::styled(text, style.patch(theme.bad())))],
                    area.width.saturating_sub(6),
                    true,
                );
                for (index, line) in wrapped.into_iter().enumerate() {
                    let lead = if index == 0 { marker } else { "  " };
                    let mut spans = vec![Span::styled(lead, style)];
                    spans.extend(line.spans);
                    lines.push(Line::from(spans));
                }
            }
            HomeRow::Continue if progress.pending => {
                // The first frame, drawn while the decks are read: the next fills this in.
                let text = app.t(
                    "Continue: counting what is due…",
                    "이어서 학습: 오늘 할 항목을 세는 중…",
                );
                lines.push(row_line(marker, text, style, style.patch(theme.title())));
            }
            HomeRow::Continue => {
                // Lessons are counted apart from items: "lesson + 20 to study".
                let lessons = progress
                    .queue
                    .iter()
                    .filter(|(key, _)| matches!(key, crate::tui::ctx::QueueKey::Lesson { .. }))
                    .count();
                let total = progress.queue.len() - lessons;
                let read_first = match (app.lang, lessons) {
                    (_, 0) => String::new(),
                    (Lang::En, 1) => "lesson + ".to_string(),
                    (Lang::En, n) => format!("{n} lessons + "),
                    (Lang::Ko, n) => format!("레슨 {n}개 + "),
                };
                let text = match (app.lang, total + lessons) {
                    (Lang::En, 0) => {
                        "Nothing due now: well done. Pick a topic to learn more.".to_string()
                    }
                    (Lang::Ko, 0) => {
                        "지금 할 항목이 없습니다. 잘하셨습니다! 주제를 골라 더 학습해 보세요."
                            .to_string()
                    }
                    (Lang::En, _) => format!(
                        "Continue: {read_first}{total} to study now ({} learning, {}, {} new)",
                        progress.learning,
                        crate::text::plural(progress.reviews, "review"),
                        progress.new
                    ),
                    (Lang::Ko, _) => format!(
                        "이어서 학습: {read_first}지금 {total}개 (학습 중 {}, 복습 {}, 새 항목 {})",
                        progress.learning, progress.reviews, progress.new
                    ),
                };
                lines.push(Line::from(vec![
                    Span::styled(marker, style),
                    Span::styled(text, style.patch(theme.title())),
                ]));
                if progress.later_today > 0 {
                    let later = match app.lang {
                        Lang::En => format!(
                            "    {} {} back later today",
                            crate::text::plural(progress.later_today, "more learning step"),
                            if progress.later_today == 1 {
                                "comes"
                            } else {
                                "come"
                            }
                        ),
                        Lang::Ko => format!(
                            "    학습 단계 {}개가 오늘 중에 다시 돌아옵니다",
                            progress.later_today
                        ),
                    };
                    lines.push(Line::styled(later, theme.dim()));
                }
                if let Some(line) = plan_line(app) {
                    lines.push(line);
                }
            }
            HomeRow::Domain(deck, domain) => {
                if last_deck != Some(deck) {
                    deck_heading(app, deck, &mut lines);
                    last_deck = Some(deck);
                }
                let deck_ref = app.deck(deck);
                let (name, weight) = match domain.and_then(|domain| deck_ref.domains.get(domain)) {
                    Some(domain) => (
                        clean(domain.title.get(app.tag())),
                        domain.weight.map(|weight| format!("{weight:>3}%")),
                    ),
                    None => (app.t("Other topics", "그 밖의 주제").to_string(), None),
                };
                let folded = app.is_collapsed(deck, domain);
                let arrow = if folded { "▸ " } else { "▾ " };
                // The weight stands where a topic's name ends, so the bars line up.
                let weight = weight.unwrap_or_else(|| "    ".to_string());
                let width = name_width.saturating_sub(5);
                let title = format!(
                    "{} {weight}",
                    crate::text::pad(&truncate(&name, width), width)
                );
                let stats = app.domain_progress(deck, domain);
                let mut spans = vec![
                    Span::styled(marker, style),
                    Span::styled(arrow, style.patch(theme.dim())),
                    Span::styled(title, style.patch(theme.title())),
                ];
                spans.extend(progress_spans(app, &stats));
                lines.push(Line::from(spans));
            }
            HomeRow::Topic(deck, topic) => {
                if last_deck != Some(deck) {
                    deck_heading(app, deck, &mut lines);
                    last_deck = Some(deck);
                }
                let topic_ref = app.topic(deck, topic);
                let stats = app.topic_progress(deck, topic);
                let title = crate::text::pad(
                    &truncate(&clean(topic_ref.title.get(app.tag())), name_width),
                    name_width,
                );
                let mut spans = vec![
                    Span::styled(format!("{marker}  "), style),
                    Span::styled(title, style),
                ];
                spans.extend(progress_spans(app, &stats));
                lines.push(Line::from(spans));
            }
            HomeRow::Exam => {
                lines.push(Line::default());
                let exams = app.progress.exams;
                let size = app.exam_size();
                let text = match (app.lang, exams) {
                    // Before the decks are read, the number of tasks is not known.
                    (Lang::En, _) if app.progress.pending => format!(
                        "Mock exam: {} minutes, graded like the CKA",
                        crate::exam::DEFAULT_MINUTES
                    ),
                    (Lang::Ko, _) if app.progress.pending => format!(
                        "모의 시험: {}분, CKA처럼 채점",
                        crate::exam::DEFAULT_MINUTES
                    ),
                    (Lang::En, 0) => format!(
                        "Mock exam: {} in {} minutes, graded like the CKA",
                        crate::text::plural(size, "task"),
                        crate::exam::DEFAULT_MINUTES
                    ),
                    (Lang::En, _) => format!(
                        "Mock exam: {} in {} minutes ({exams} taken, last {:.0}%)",
                        crate::text::plural(size, "task"),
                        crate::exam::DEFAULT_MINUTES,
                        app.progress.last_exam_score
                    ),
                    (Lang::Ko, 0) => format!(
                        "모의 시험: {}분 동안 과제 {size}개, CKA처럼 채점",
                        crate::exam::DEFAULT_MINUTES,
                    ),
                    (Lang::Ko, _) => format!(
                        "모의 시험: {}분 동안 과제 {size}개 ({exams}회 응시, 최근 {:.0}%)",
                        crate::exam::DEFAULT_MINUTES,
                        app.progress.last_exam_score
                    ),
                };
                lines.push(row_line(marker, text, style, style));
            }
            HomeRow::Stats => {
                let text = app.t(
                    "Stats: calendar, retention, forecast",
                    "통계: 학습 달력, 기억률, 예정",
                );
                lines.push(row_line(marker, text, style, style));
            }
            HomeRow::Settings => {
                let text = app.t(
                    "Settings: language, exam date, daily limits",
                    "설정: 언어, 시험일, 하루 한도",
                );
                lines.push(row_line(marker, text, style, style));
            }
        }
    }
    for warning in &app.deck_warnings {
        lines.push(Line::styled(
            format!("  ⚠ {}", clean(warning)),
            theme.warn(),
        ));
    }
    let height = usize::from(area.height.saturating_sub(2));
    let scroll = selected_line.saturating_sub(height.saturating_sub(3));
    let title = app.t("Study", "학습");
    frame.render_widget(
        Paragraph::new(lines)
            .block(panel(app, title, true))
            .scroll((scroll as u16, 0)),
        area,
    );
}
