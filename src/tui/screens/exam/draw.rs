//! The mock exam: its intro, the countdown line over each task (or the list of tasks), the
//! result with the pass line and each topic's share, and the review of one task.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{ExamPhase, ExamState, ExamView, TaskState};
use crate::exam::PASS_PERCENT;
use crate::i18n::Lang;
use crate::i18n::localize;
use crate::model::{ItemKind, ItemRef};
use crate::tui::app::App;
use crate::tui::widgets::{bar, clean, fit, markdown_lines, panel, truncate};

pub fn draw(app: &App, frame: &mut Frame, area: Rect, state: &ExamState) {
    match (state.phase, state.view) {
        (ExamPhase::Intro, _) => intro(app, frame, area, state),
        (ExamPhase::Running, view) => {
            let [clock, body] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
            countdown(app, frame, clock, state);
            match view {
                ExamView::Overview { selected } => overview(app, frame, body, state, selected),
                _ => match &state.tasks[state.current] {
                    TaskState::Exercise(exercise) => {
                        crate::tui::screens::exercise::draw(app, frame, body, exercise)
                    }
                    TaskState::Drill(drill) => {
                        crate::tui::screens::drill::draw(app, frame, body, drill)
                    }
                    TaskState::Scenario(scenario) => {
                        crate::tui::screens::scenario::draw(app, frame, body, scenario)
                    }
                },
            }
        }
        (
            ExamPhase::Result,
            ExamView::Review {
                task,
                solution,
                scroll,
            },
        ) => review(app, frame, area, state, task, solution, scroll),
        (ExamPhase::Result, view) => {
            let selected = match view {
                ExamView::Results { selected } => selected,
                _ => 0,
            };
            results(app, frame, area, state, selected)
        }
    }
}

/// `1:05:09`, or `4:09` under an hour.
fn clock_text(seconds: i64) -> String {
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// The time left, coloured as it runs down: from 15 minutes a warning, from 5 an alarm, the
/// last minute reversed.
fn clock_style(app: &App, seconds: i64) -> Style {
    let theme = app.theme;
    match seconds {
        ..=60 => theme.bad().add_modifier(Modifier::REVERSED),
        61..=300 => theme.bad(),
        301..=900 => theme.warn().add_modifier(Modifier::BOLD),
        _ => theme.good(),
    }
}

/// What a task is, in a few words: `YAML · 7%`, `kubectl · 3%`, `troubleshooting · 5%`.
fn task_label(app: &App, state: &ExamState, index: usize) -> String {
    let task = &state.plan.tasks[index];
    let kind = match (task.kind, app.lang) {
        (ItemKind::Exercise, Lang::En) => "YAML",
        (ItemKind::Exercise, Lang::Ko) => "YAML",
        (ItemKind::Scenario, Lang::En) => "troubleshooting",
        (ItemKind::Scenario, Lang::Ko) => "트러블슈팅",
        (_, Lang::En) => "kubectl",
        (_, Lang::Ko) => "kubectl",
    };
    format!("{kind} · {}%", task.weight)
}

fn task_title(app: &App, state: &ExamState, index: usize) -> String {
    match app.item(state.keys[index]).variant(state.variant(index)) {
        ItemRef::Exercise(exercise) => clean(exercise.title.get(app.tag())),
        ItemRef::Drill(drill) => {
            let prompt = drill.prompt.get(app.tag());
            clean(prompt.lines().next().unwrap_or_default()).replace('`', "")
        }
        ItemRef::Scenario(scenario) => clean(scenario.title.get(app.tag())),
        _ => String::new(),
    }
}

fn starter(app: &App, state: &ExamState, index: usize) -> Option<String> {
    match app.item(state.keys[index]).variant(state.variant(index)) {
        ItemRef::Exercise(exercise) => exercise.starter.clone(),
        _ => None,
    }
}

fn countdown(app: &App, frame: &mut Frame, area: Rect, state: &ExamState) {
    let theme = app.theme;
    let seconds = state.left(app.now).as_secs();
    let answered = (0..state.tasks.len())
        .filter(|index| state.answered(*index, starter(app, state, *index).as_deref()))
        .count();
    let flagged = state.flagged.iter().filter(|flag| **flag).count();
    let position = match app.lang {
        Lang::En => format!(
            " Task {}/{} · {} · {answered} answered · {flagged} flagged",
            state.current + 1,
            state.tasks.len(),
            task_label(app, state, state.current)
        ),
        Lang::Ko => format!(
            " 과제 {}/{} · {} · 답 {answered}개 · 표시 {flagged}개",
            state.current + 1,
            state.tasks.len(),
            task_label(app, state, state.current)
        ),
    };
    let flag = if state.flagged[state.current] {
        app.t("  ⚑ flagged", "  ⚑ 표시함")
    } else {
        ""
    };
    let left = match app.lang {
        Lang::En => format!(" {} left ", clock_text(seconds)),
        Lang::Ko => format!(" 남은 시간 {} ", clock_text(seconds)),
    };
    let used = unicode_width::UnicodeWidthStr::width(position.as_str())
        + unicode_width::UnicodeWidthStr::width(flag)
        + unicode_width::UnicodeWidthStr::width(left.as_str());
    let gap = usize::from(area.width).saturating_sub(used);
    frame.render_widget(
        Line::from(vec![
            Span::styled(position, theme.title()),
            Span::styled(flag, theme.warn()),
            Span::raw(" ".repeat(gap)),
            Span::styled(left, clock_style(app, seconds)),
        ]),
        area,
    );
}

fn intro(app: &App, frame: &mut Frame, area: Rect, state: &ExamState) {
    let theme = app.theme;
    let (exercises, drills, scenarios) = state.mix();
    let plan = &state.plan;
    let mut kinds: Vec<String> = Vec::new();
    for (count, en, ko) in [
        (exercises, "YAML task", "YAML 과제"),
        (drills, "shell command", "셸 명령"),
        (scenarios, "troubleshooting scenario", "트러블슈팅 시나리오"),
    ] {
        if count > 0 {
            kinds.push(match app.lang {
                Lang::En => crate::text::plural(count, en),
                Lang::Ko => format!("{ko} {count}개"),
            });
        }
    }
    let kinds = match (app.lang, kinds.len()) {
        (Lang::En, 2..) => {
            let last = kinds.pop().unwrap_or_default();
            format!("{} and {last}", kinds.join(", "))
        }
        _ => kinds.join(", "),
    };
    let mut lines = vec![
        Line::styled(
            match app.lang {
                Lang::En => format!(
                    "{} in {}: {kinds}.",
                    crate::text::plural(plan.tasks.len(), "task"),
                    crate::text::plural(plan.minutes as usize, "minute"),
                ),
                Lang::Ko => format!(
                    "{}분 동안 과제 {}개: {kinds}.",
                    plan.minutes,
                    plan.tasks.len()
                ),
            },
            theme.title(),
        ),
        Line::default(),
    ];
    let rules: [(&str, &str); 6] = [
        (
            "Each task is worth its share of 100% (shown with it); partly right answers earn part of it.",
            "과제마다 배점이 있고(과제 옆에 표시) 100%를 나눠 가집니다. 일부만 맞으면 일부 점수를 받습니다.",
        ),
        (
            "You pass with 66%, as in the CKA.",
            "CKA와 같이 66% 이상이면 합격입니다.",
        ),
        (
            "Move between tasks freely (n / p, or the list with o) and flag one to come back to (f).",
            "과제 사이를 자유롭게 오갈 수 있고(n / p, 목록은 o), 나중에 볼 과제는 표시해 두세요(f).",
        ),
        (
            "No hints and no solutions until you hand in (x); the exam hands itself in at 0:00.",
            "제출하기(x) 전에는 힌트와 풀이를 볼 수 없습니다. 시간이 다 되면 자동으로 제출됩니다.",
        ),
        (
            "Afterwards: your score per topic, every check, and each solution to compare.",
            "제출하면 주제별 점수와 모든 검사 결과를 보고, 풀이와 비교할 수 있습니다.",
        ),
        (
            "Tasks you miss come back sooner in your daily study.",
            "틀린 과제는 매일 학습에 더 일찍 다시 나옵니다.",
        ),
    ];
    for (english, korean) in rules {
        lines.push(Line::raw(format!("  • {}", app.t(english, korean))));
    }
    lines.push(Line::default());
    if plan.domains.iter().any(|domain| domain.domain.is_some()) {
        // Each domain with its topics when that fits; on a short terminal one line per domain,
        // so the replay and start lines stay on screen.
        let width = area.width.saturating_sub(2);
        let mut full = lines.clone();
        domain_lines(app, plan, width, false, &mut full);
        full.push(Line::default());
        if fit(full.clone(), width, false).len() + 2 <= usize::from(area.height.saturating_sub(2)) {
            lines = full;
        } else {
            domain_lines(app, plan, width, true, &mut lines);
        }
    } else {
        topic_lines(app, plan, &mut lines);
        lines.push(Line::default());
    }
    let replay = replay_command(state);
    lines.push(Line::styled(
        match app.lang {
            Lang::En => format!("`{replay}` gives this exam again."),
            Lang::Ko => format!("`{replay}`로 같은 시험을 다시 볼 수 있습니다."),
        },
        theme.dim(),
    ));
    lines.push(Line::styled(
        app.t(
            "Press Enter to start the clock.",
            "Enter를 누르면 시작합니다.",
        ),
        theme.title(),
    ));
    frame.render_widget(
        Paragraph::new(fit(lines, area.width.saturating_sub(2), false)).block(panel(
            app,
            app.t("Mock exam", "모의 시험"),
            true,
        )),
        area,
    );
}

/// The intro's topics: each with its tasks and their weight.
fn topic_lines(app: &App, plan: &crate::exam::ExamPlan, lines: &mut Vec<Line<'static>>) {
    let mut topics: Vec<(&str, u32, usize)> = Vec::new();
    for task in &plan.tasks {
        match topics.iter_mut().find(|(topic, ..)| *topic == task.topic) {
            Some(entry) => {
                entry.1 += task.weight;
                entry.2 += 1;
            }
            None => topics.push((&task.topic, task.weight, 1)),
        }
    }
    lines.push(Line::styled(app.t("Topics", "주제"), app.theme.heading(2)));
    for (topic, weight, count) in topics {
        let title = topic_title(app, topic);
        lines.push(Line::raw(match app.lang {
            Lang::En => format!(
                "  {title}: {}, {weight}%",
                crate::text::plural(count, "task")
            ),
            Lang::Ko => format!("  {title}: 과제 {count}개, {weight}%"),
        }));
    }
}

fn topic_title(app: &App, topic: &str) -> String {
    app.library
        .decks
        .iter()
        .flat_map(|deck| deck.topics.iter())
        .find(|found| found.id.as_str() == topic)
        .map_or_else(
            || topic.to_string(),
            |found| clean(found.title.get(app.tag())),
        )
}

/// The intro's domains: each with its tasks, what they weigh in this exam, and the domain's
/// weight in the deck when that differs (the domains without tasks leave their share to the
/// others).
fn domain_lines(
    app: &App,
    plan: &crate::exam::ExamPlan,
    width: u16,
    compact: bool,
    lines: &mut Vec<Line<'static>>,
) {
    let theme = app.theme;
    lines.push(Line::styled(
        app.t("Tasks by domain", "영역별 과제"),
        theme.heading(2),
    ));
    let mut scaled = false;
    for part in &plan.domains {
        let deck = app
            .library
            .decks
            .iter()
            .find(|deck| deck.id.as_str() == part.deck);
        let domain = deck
            .zip(part.domain.as_ref())
            .and_then(|(deck, id)| deck.domains.iter().find(|domain| domain.id.as_str() == id));
        let title = domain.map_or_else(
            || app.t("Other topics", "그 밖의 주제").to_string(),
            |domain| clean(domain.title.get(app.tag())),
        );
        let of_deck = domain.and_then(|domain| domain.weight);
        scaled |= of_deck.is_some_and(|weight| weight != part.weight);
        let topics: Vec<String> = {
            let mut seen: Vec<&str> = Vec::new();
            for task in plan
                .tasks
                .iter()
                .filter(|task| task.deck == part.deck && task.domain == part.domain)
            {
                if !seen.contains(&task.topic.as_str()) {
                    seen.push(&task.topic);
                }
            }
            seen.into_iter()
                .map(|topic| topic_title(app, topic))
                .collect()
        };
        let weight = match (app.lang, of_deck) {
            (Lang::En, Some(of_deck)) if of_deck != part.weight => {
                format!("{}% (CKA {of_deck}%)", part.weight)
            }
            (Lang::Ko, Some(of_deck)) if of_deck != part.weight => {
                format!("{}%(CKA {of_deck}%)", part.weight)
            }
            _ => format!("{}%", part.weight),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {title}: "), theme.title()),
            Span::raw(match app.lang {
                Lang::En => format!("{}, {weight}", crate::text::plural(part.tasks, "task")),
                Lang::Ko => format!("과제 {}개, {weight}", part.tasks),
            }),
        ]));
        if compact {
            continue;
        }
        // One line: titles may hold commas, so a middle dot separates them.
        lines.push(Line::styled(
            format!(
                "    {}",
                truncate(&topics.join(" · "), usize::from(width).saturating_sub(4))
            ),
            theme.dim(),
        ));
    }
    if scaled && !compact {
        lines.push(Line::styled(
            app.t(
                "Domains with no tasks yet leave their share to the others.",
                "아직 과제가 없는 영역의 비중은 나머지 영역이 나눠 가집니다.",
            ),
            theme.dim(),
        ));
    }
}

/// The command that draws this exam again.
fn replay_command(state: &ExamState) -> String {
    let plan = &state.plan;
    let mut command = format!("kubedrill exam --seed {}", plan.seed);
    if plan.tasks.len() != crate::exam::DEFAULT_TASKS {
        command.push_str(&format!(" --tasks {}", plan.tasks.len()));
    }
    if plan.minutes != crate::exam::DEFAULT_MINUTES {
        command.push_str(&format!(" --minutes {}", plan.minutes));
    }
    if !plan.topics.is_empty() {
        command.push_str(&format!(" --topics {}", plan.topics.join(",")));
    }
    command
}

fn overview(app: &App, frame: &mut Frame, area: Rect, state: &ExamState, selected: usize) {
    let theme = app.theme;
    let mut lines = Vec::new();
    for index in 0..state.tasks.len() {
        let answered = state.answered(index, starter(app, state, index).as_deref());
        let mark = match (state.flagged[index], answered, state.visited[index]) {
            (true, ..) => ("⚑", theme.warn()),
            (false, true, _) => ("●", theme.good()),
            (false, false, true) => ("○", theme.dim()),
            (false, false, false) => ("·", theme.dim()),
        };
        let chosen = index == selected;
        let row_style = crate::tui::widgets::style_if(chosen, theme.selected());
        lines.push(Line::from(vec![
            Span::styled(if chosen { "▶ " } else { "  " }, row_style),
            Span::styled(format!("{:>2}. ", index + 1), row_style),
            Span::styled(format!("{} ", mark.0), mark.1),
            Span::styled(
                crate::tui::widgets::truncate(
                    &task_title(app, state, index),
                    usize::from(area.width).saturating_sub(28),
                ),
                row_style,
            ),
            Span::styled(format!("  {}", task_label(app, state, index)), theme.dim()),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        app.t(
            "● answered   ○ opened   · not opened   ⚑ flagged",
            "● 답함   ○ 열어 봄   · 안 열어 봄   ⚑ 표시함",
        ),
        theme.dim(),
    ));
    let height = usize::from(area.height.saturating_sub(2));
    let scroll = selected.saturating_sub(height.saturating_sub(3));
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(panel(app, app.t("All tasks", "전체 과제"), true)),
        area,
    );
}

fn results(app: &App, frame: &mut Frame, area: Rect, state: &ExamState, selected: usize) {
    let theme = app.theme;
    let Some(result) = &state.result else {
        frame.render_widget(
            Paragraph::new(app.t("Grading…", "채점 중…")).block(panel(
                app,
                app.t("Result", "결과"),
                true,
            )),
            area,
        );
        return;
    };
    let mut lines = Vec::new();
    let verdict = match (app.lang, result.passed) {
        (Lang::En, true) => format!(
            "✓ Passed: {:.0}% (the pass line is {PASS_PERCENT:.0}%)",
            result.score
        ),
        (Lang::En, false) => format!(
            "✗ Not passed: {:.0}% (the pass line is {PASS_PERCENT:.0}%)",
            result.score
        ),
        (Lang::Ko, true) => format!("✓ 합격: {:.0}% (합격선 {PASS_PERCENT:.0}%)", result.score),
        (Lang::Ko, false) => format!("✗ 불합격: {:.0}% (합격선 {PASS_PERCENT:.0}%)", result.score),
    };
    lines.push(Line::styled(
        verdict,
        if result.passed {
            theme.good()
        } else {
            theme.bad()
        },
    ));
    if state.timed_out {
        lines.push(Line::styled(
            app.t(
                "The time ran out: the exam was handed in as it stood.",
                "시간이 다 되어 그때까지의 답안으로 제출되었습니다.",
            ),
            theme.warn(),
        ));
    }
    lines.push(Line::default());
    let name_width = 28;
    for topic in &result.topics {
        let title = app
            .library
            .decks
            .iter()
            .flat_map(|deck| deck.topics.iter())
            .find(|found| found.id.as_str() == topic.topic)
            .map_or_else(
                || topic.topic.clone(),
                |found| clean(found.title.get(app.tag())),
            );
        let share = if topic.possible == 0 {
            0.0
        } else {
            topic.earned / f64::from(topic.possible)
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "  {}",
                crate::text::pad(
                    &crate::tui::widgets::truncate(&title, name_width),
                    name_width
                )
            )),
            Span::styled(format!(" {} ", bar(share, 10)), theme.good()),
            Span::styled(
                format!("{:>4.1} / {}%", topic.earned, topic.possible),
                theme.dim(),
            ),
        ]));
    }
    lines.push(Line::default());
    for (index, task) in result.tasks.iter().enumerate() {
        let (mark, style) = if task.fraction >= 0.999 {
            ("✓", theme.good())
        } else if task.fraction > 0.0 {
            ("◐", theme.warn())
        } else {
            ("✗", theme.bad())
        };
        let chosen = index == selected;
        let row_style = crate::tui::widgets::style_if(chosen, theme.selected());
        let unanswered = if task.answer.is_none() {
            app.t("  (no answer)", "  (답 없음)")
        } else {
            ""
        };
        lines.push(Line::from(vec![
            Span::styled(if chosen { "▶ " } else { "  " }, row_style),
            Span::styled(format!("{mark} "), style),
            Span::styled(
                format!(
                    "{:>2}. {}",
                    index + 1,
                    crate::tui::widgets::truncate(
                        &task_title(app, state, index),
                        usize::from(area.width).saturating_sub(34),
                    )
                ),
                row_style,
            ),
            Span::styled(
                format!("  {:.1}/{}%{unanswered}", task.earned(), task.task.weight),
                theme.dim(),
            ),
        ]));
    }
    let height = usize::from(area.height.saturating_sub(2));
    let selected_line = lines.len() - result.tasks.len() + selected;
    let scroll = selected_line.saturating_sub(height.saturating_sub(2));
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(panel(app, app.t("Result", "결과"), true)),
        area,
    );
}

fn review(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    state: &ExamState,
    task: usize,
    solution: bool,
    scroll: usize,
) {
    let theme = app.theme;
    let Some(result) = state
        .result
        .as_ref()
        .and_then(|result| result.tasks.get(task))
    else {
        return;
    };
    let width = area.width.saturating_sub(4);
    let mut lines: Vec<Line> = Vec::new();
    let (prompt, answer_text) = match app.item(state.keys[task]).variant(state.variant(task)) {
        ItemRef::Exercise(exercise) => (
            exercise.prompt.get(app.tag()),
            Some(exercise.solution.as_str()),
        ),
        ItemRef::Drill(drill) => (drill.prompt.get(app.tag()), Some(drill.answer.as_str())),
        _ => ("", None),
    };
    lines.extend(markdown_lines(app, prompt, width));
    lines.push(Line::default());
    lines.push(Line::styled(
        match app.lang {
            Lang::En => format!("Earned {:.1} of {}%", result.earned(), result.task.weight),
            Lang::Ko => format!("{}% 중 {:.1}% 획득", result.task.weight, result.earned()),
        },
        theme.title(),
    ));
    for diagnostic in result.diagnostics.iter().filter(|d| d.is_error()) {
        lines.push(Line::styled(
            format!(
                "  {}:{} {}",
                diagnostic.line,
                diagnostic.column,
                clean(&localize(&diagnostic.message, app.lang))
            ),
            theme.bad(),
        ));
    }
    lines.extend(crate::tui::widgets::check_lines(app, &result.checks, false));
    lines.push(Line::default());
    lines.push(Line::styled(
        app.t("Your answer", "내 답안"),
        theme.heading(3),
    ));
    match &result.answer {
        Some(answer) => {
            for line in answer.lines() {
                lines.push(Line::styled(format!("  {}", clean(line)), theme.code()));
            }
        }
        None => lines.push(Line::styled(
            app.t("  (no answer)", "  (답 없음)"),
            theme.dim(),
        )),
    }
    lines.push(Line::default());
    if solution {
        lines.push(Line::styled(app.t("Solution", "풀이"), theme.heading(3)));
        for line in answer_text.unwrap_or_default().lines() {
            lines.push(Line::styled(format!("  {}", clean(line)), theme.good()));
        }
    } else {
        lines.push(Line::styled(
            app.t("Press s for the solution.", "s를 누르면 풀이를 봅니다."),
            theme.dim(),
        ));
    }
    let title = match app.lang {
        Lang::En => format!(
            "Task {} of {}: {}",
            task + 1,
            state.tasks.len(),
            task_title(app, state, task)
        ),
        Lang::Ko => format!(
            "과제 {}/{}: {}",
            task + 1,
            state.tasks.len(),
            task_title(app, state, task)
        ),
    };
    let lines = fit(lines, area.width.saturating_sub(2), false);
    let max_scroll = lines
        .len()
        .saturating_sub(usize::from(area.height.saturating_sub(2)));
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(max_scroll) as u16, 0))
            .block(panel(app, &title, true)),
        area,
    );
}
