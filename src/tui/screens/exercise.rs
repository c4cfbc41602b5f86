//! A YAML exercise: the task (with hints asked for, the grade report, the solution as a diff)
//! beside an editor with colours, line numbers and live diagnostics. Ctrl-S grades; `w` grades
//! every save of an answer file; leaving a tried exercise unpassed rates it Again.
//!
//! Its life is [`ExercisePhase`] (Working → Passed, or → Leaving while a give-up rating is
//! saved); where keys go is [`Focus`]; the solution is [`Solution`] (never seen, shown, or
//! seen and hidden again).

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;
use unicode_width::UnicodeWidthStr;

use super::modal::{Modal, Question};
use crate::grade::GradeReport;
use crate::i18n::Lang;
use crate::i18n::localize;
use crate::manifest::Diagnostic;
use crate::model::{Exercise, ItemRef};
use crate::srs::{Attempt, Rating, Work, expected_seconds};
use crate::tui::action::{Action, Effect};
use crate::tui::app::App;
use crate::tui::ctx::{CHECK_DELAY, Ctx, ItemKey, Outcome, stay, stay_with};
use crate::tui::widgets::editor::{editor_with, follow};
use crate::tui::widgets::{check_lines, clean, fit, markdown_lines, panel};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExercisePhase {
    /// Not passed yet: typing, grading, asking for hints.
    Working,
    /// Passed and rated; Enter goes on.
    Passed,
    /// Given up (tried or solution seen): the Again rating is being saved, then the screen
    /// moves on.
    Leaving,
}

/// Where keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The screen's keys (hints, grade, scroll the task).
    Task,
    /// Typing in the editor.
    Editor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solution {
    Unseen,
    Shown,
    /// Seen, then hidden again (it still counts as seen).
    Hidden,
}

#[derive(Debug, Clone)]
pub struct ExerciseState {
    pub key: ItemKey,
    pub editor: TextArea<'static>,
    pub focus: Focus,
    pub phase: ExercisePhase,
    pub solution: Solution,
    /// The first line of the editor on screen.
    pub top: usize,
    /// Live diagnostics of the text as typed, and the edit they belong to.
    pub diagnostics: Vec<Diagnostic>,
    pub generation: u64,
    pub checked_generation: u64,
    /// When the debounced check is due.
    pub check_at: Option<Timestamp>,
    pub report: Option<Box<GradeReport>>,
    pub hints: usize,
    pub tries: u32,
    /// The text last graded (leaving after grading loses nothing).
    pub graded_text: Option<String>,
    pub opened: Timestamp,
    pub prompt_scroll: usize,
    /// The answer file being watched (`w`), as shown: every save is graded.
    pub watching: Option<String>,
}

impl ExerciseState {
    pub fn new(key: ItemKey, exercise: &Exercise, now: Timestamp) -> ExerciseState {
        let text = exercise.starter.clone().unwrap_or_default();
        ExerciseState {
            key,
            editor: editor_with(&text),
            focus: Focus::Task,
            phase: ExercisePhase::Working,
            solution: Solution::Unseen,
            top: 0,
            diagnostics: Vec::new(),
            generation: 0,
            checked_generation: 0,
            // A starter is checked at once: a broken one shows its mistakes on arrival.
            check_at: (!text.trim().is_empty()).then_some(now),
            report: None,
            hints: 0,
            tries: 0,
            graded_text: None,
            opened: now,
            prompt_scroll: 0,
            watching: None,
        }
    }

    /// Whether keys go to the editor.
    pub fn typing(&self) -> bool {
        self.focus == Focus::Editor
    }

    pub fn passed(&self) -> bool {
        self.phase == ExercisePhase::Passed
    }

    pub fn show_solution(&self) -> bool {
        self.solution == Solution::Shown
    }

    pub fn solution_seen(&self) -> bool {
        self.solution != Solution::Unseen
    }

    pub fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    /// Whether leaving now would lose typed work.
    pub fn unsaved_work(&self, ctx: &Ctx) -> bool {
        let ItemRef::Exercise(exercise) = ctx.item(self.key) else {
            return false;
        };
        let text = self.text();
        !self.passed()
            && text.trim() != exercise.starter.as_deref().unwrap_or_default().trim()
            && !text.trim().is_empty()
            && self.graded_text.as_deref() != Some(text.as_str())
    }

    /// The editor holds new text (from `$EDITOR`, a watched file): checked at once.
    pub fn replace_text(&mut self, text: &str, now: Timestamp) {
        self.editor = editor_with(text);
        self.generation += 1;
        self.check_at = Some(now);
    }

    /// The debounced check, when it is due.
    pub fn tick(&mut self, now: Timestamp) -> Vec<Effect> {
        match self.check_at {
            Some(at) if at <= now => {
                self.check_at = None;
                vec![Effect::Check {
                    generation: self.generation,
                    text: self.text(),
                }]
            }
            _ => Vec::new(),
        }
    }

    /// Diagnostics of the text as it was at `generation` (dropped when it changed since).
    pub fn checked(&mut self, generation: u64, diagnostics: Vec<Diagnostic>, area: Rect) {
        if self.generation == generation {
            self.diagnostics = diagnostics;
            self.checked_generation = generation;
            // The checker's pane grows or shrinks with them, and the editor with it.
            self.follow_cursor(area);
        }
    }

    /// The live diagnostics on show: those of the text on screen, or any before a grading.
    pub fn shown_diagnostics(&self) -> &[Diagnostic] {
        if self.checked_generation == self.generation || self.report.is_none() {
            &self.diagnostics
        } else {
            &[]
        }
    }

    /// Scrolls the editor so the cursor's line is in view, the screen's body being `area`.
    pub fn follow_cursor(&mut self, area: Rect) {
        let rows = Panes::of(area, self).editor_rows();
        let ratatui_textarea::DataCursor(row, _) = self.editor.cursor();
        self.top = follow(self.top, row, rows);
    }

    /// A key while the editor has focus: typed text (checked after a pause), a paste, a
    /// scroll; Esc (or Focus) leaves the editor. `area`: the screen's body, where the editor
    /// pane is laid out.
    pub fn type_in(&mut self, action: Action, now: Timestamp, area: Rect) {
        match action {
            Action::Focus | Action::Back => self.focus = Focus::Task,
            Action::Key(key) => {
                let before = self.editor.lines().to_vec();
                self.editor.input(key);
                if self.editor.lines() != before.as_slice() {
                    self.generation += 1;
                    self.check_at = Some(now + CHECK_DELAY);
                }
            }
            Action::Paste(text) => {
                self.editor
                    .insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
                self.generation += 1;
                self.check_at = Some(now + CHECK_DELAY);
            }
            Action::Scroll(lines) => {
                self.top = (self.top as i64 + i64::from(lines)).max(0) as usize
            }
            _ => {}
        }
        self.follow_cursor(area);
    }
}

/// Where the exercise screen's parts go in `area`: the task, the editor's text, the checker's
/// status. Drawing and following the cursor both use it, so the editor scrolls with the
/// height it really has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub task: Rect,
    pub editor: Rect,
    pub status: Rect,
}

impl Panes {
    pub fn of(area: Rect, state: &ExerciseState) -> Panes {
        // Side by side when there is room, else the task above the editor.
        let (task, editor) = if area.width >= 120 {
            let [task, editor] =
                Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)])
                    .areas(area);
            (task, editor)
        } else {
            let task_height = (area.height / 3).max(6);
            let [task, editor] =
                Layout::vertical([Constraint::Length(task_height), Constraint::Min(6)]).areas(area);
            (task, editor)
        };
        let shown = state.shown_diagnostics().len();
        let status_height = if shown == 0 { 1 } else { (shown as u16).min(4) };
        let [text, status] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(status_height + 2)])
                .areas(editor);
        Panes {
            task,
            editor: text,
            status,
        }
    }

    /// The editor's lines on screen (inside its border).
    pub fn editor_rows(&self) -> usize {
        usize::from(self.editor.height.saturating_sub(2)).max(1)
    }
}

/// The body of a terminal of `size`: all but the title bar and the footer.
pub fn body(size: (u16, u16)) -> Rect {
    Rect::new(0, 1, size.0, size.1.saturating_sub(2))
}

pub fn update(state: &mut ExerciseState, action: Action, ctx: &mut Ctx) -> Outcome {
    // Results of effects, whatever has focus.
    match action {
        Action::Tick => return stay_with(state.tick(ctx.now)),
        Action::Checked {
            generation,
            diagnostics,
        } => {
            state.checked(generation, diagnostics, body(ctx.size));
            return stay();
        }
        Action::Graded(report) => return graded(state, *report, ctx, body(ctx.size)),
        Action::Watching { shown, kept } => {
            watching(state, shown, kept.as_deref(), ctx);
            return stay();
        }
        Action::EditorClosed(Ok(text)) => {
            state.replace_text(&text, ctx.now);
            return stay();
        }
        Action::Rated { .. } if state.phase == ExercisePhase::Leaving => return ctx.next_item(),
        Action::Rated { .. } => return stay(),
        Action::Confirmed(Question::ShowSolution) => {
            state.solution = Solution::Shown;
            state.focus = Focus::Task;
            state.scroll_to_answer(ctx, body(ctx.size));
            return stay();
        }
        Action::Confirmed(Question::LeaveUnsaved) => return leave(state, ctx, true),
        Action::Resize(..) => {
            state.follow_cursor(body(ctx.size));
            return stay();
        }
        _ => {}
    }
    if state.typing() {
        if let Action::Submit = action {
            return submit(state, ctx);
        }
        state.type_in(action, ctx.now, body(ctx.size));
        return stay();
    }
    match action {
        Action::Focus | Action::Open if !state.passed() => {
            state.focus = Focus::Editor;
            if state.solution == Solution::Shown {
                state.solution = Solution::Hidden;
            }
        }
        Action::Open | Action::Next if state.passed() => return ctx.next_item(),
        Action::Next => return leave(state, ctx, false),
        Action::Submit => return submit(state, ctx),
        Action::Hint => {
            let hints = match ctx.item(state.key) {
                ItemRef::Exercise(exercise) => exercise.hints.len(),
                _ => 0,
            };
            if state.hints < hints {
                state.hints += 1;
            } else {
                let message = ctx
                    .t(
                        "No more hints: `s` shows the solution.",
                        "힌트가 더 없습니다. `s`를 누르면 풀이를 볼 수 있습니다.",
                    )
                    .to_string();
                ctx.toast(message);
            }
        }
        Action::ShowSolution => match state.solution {
            Solution::Shown => state.solution = Solution::Hidden,
            Solution::Unseen if !state.passed() => {
                ctx.modal = Some(Modal::Confirm {
                    question: Question::ShowSolution,
                })
            }
            Solution::Hidden | Solution::Unseen => {
                state.solution = Solution::Shown;
                state.scroll_to_answer(ctx, body(ctx.size));
            }
        },
        Action::ExternalEditor => {
            return stay_with(vec![Effect::OpenEditor { text: state.text() }]);
        }
        Action::Watch if state.watching.is_none() => {
            let ItemRef::Exercise(exercise) = ctx.item(state.key) else {
                return stay();
            };
            let name = exercise.id.to_string();
            return stay_with(vec![Effect::WatchFile {
                name,
                text: state.text(),
            }]);
        }
        Action::FileSaved(text) if state.watching.is_some() && !state.passed() => {
            state.editor = editor_with(&text);
            state.generation += 1;
            return submit(state, ctx);
        }
        Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Scroll(_) => {
            state.scroll_key(ctx, body(ctx.size), &action);
        }
        Action::Undo => return ctx.undo(),
        Action::Back => return leave(state, ctx, false),
        _ => {}
    }
    stay()
}

fn submit(state: &mut ExerciseState, ctx: &Ctx) -> Outcome {
    state.focus = Focus::Task;
    stay_with(vec![Effect::Grade {
        key: state.key,
        answer: state.text(),
        hints: state.hints as u32,
        duration_ms: ctx.now.duration_since(state.opened).as_millis() as i64,
    }])
}

fn graded(state: &mut ExerciseState, report: GradeReport, ctx: &mut Ctx, area: Rect) -> Outcome {
    state.tries += 1;
    state.focus = Focus::Task;
    state.graded_text = Some(state.text());
    let passed = report.passed;
    let score = report.score;
    state.report = Some(Box::new(report));
    // The verdict in view, wherever the pane was scrolled before.
    if state.solution != Solution::Shown {
        state.scroll_to_answer(ctx, area);
    }
    if !passed || state.phase != ExercisePhase::Working {
        return stay();
    }
    state.phase = ExercisePhase::Passed;
    let difficulty = match ctx.item(state.key) {
        ItemRef::Exercise(exercise) => exercise.difficulty,
        _ => 1,
    };
    let took = ctx.now.duration_since(state.opened);
    let attempt = Attempt {
        passed: true,
        hints_used: state.hints as u32,
        solution_seen: state.solution_seen(),
        tries: state.tries,
        seconds: took.as_secs_f64(),
        expected_seconds: expected_seconds(Work::Exercise(difficulty)),
    };
    stay_with(vec![ctx.rate(
        state.key,
        attempt.rating(),
        took,
        Some(score),
    )])
}

fn watching(state: &mut ExerciseState, shown: String, kept: Option<&str>, ctx: &mut Ctx) {
    if let Some(text) = kept {
        state.replace_text(text, ctx.now);
    }
    let message = match (ctx.lang, kept.is_some()) {
        (Lang::En, false) => {
            format!("Watching {shown}: edit it in another window; every save is graded here.")
        }
        (Lang::En, true) => {
            format!("Watching {shown} (kept as it was): every save is graded here.")
        }
        (Lang::Ko, false) => {
            format!("{shown}을(를) 감시합니다. 다른 창에서 고쳐 저장할 때마다 여기서 채점합니다.")
        }
        (Lang::Ko, true) => {
            format!("{shown}을(를) 그대로 두고 감시합니다. 저장할 때마다 여기서 채점합니다.")
        }
    };
    state.watching = Some(shown);
    ctx.toast(message);
}

/// Leaves the exercise: first asks when typed work would be lost (unless `confirmed`); a
/// tried (or peeked at) but unpassed exercise is rated Again first, and the screen moves on
/// once that is saved; otherwise on to the session's next item, or back.
fn leave(state: &mut ExerciseState, ctx: &mut Ctx, confirmed: bool) -> Outcome {
    if !confirmed && state.unsaved_work(ctx) {
        ctx.modal = Some(Modal::Confirm {
            question: Question::LeaveUnsaved,
        });
        return stay();
    }
    if state.phase == ExercisePhase::Working && (state.tries > 0 || state.solution_seen()) {
        state.phase = ExercisePhase::Leaving;
        let took = ctx.now.duration_since(state.opened);
        return stay_with(vec![ctx.rate(state.key, Rating::Again, took, Some(0.0))]);
    }
    ctx.next_item()
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, state: &ExerciseState) {
    let ItemRef::Exercise(exercise) = app.item(state.key) else {
        return;
    };
    let panes = Panes::of(area, state);
    task_pane(app, frame, panes.task, state, exercise);
    editor_pane(app, frame, &panes, state);
}

/// The task pane's text for a pane `pane_width` cells wide, fitted to the inside of its border,
/// and the line where what the learner asked for last starts (the solution or the grade
/// report; 0 when neither is shown): the pane scrolls there when it appears.
fn task_text(
    app: &Ctx,
    state: &ExerciseState,
    exercise: &Exercise,
    pane_width: u16,
) -> (Vec<Line<'static>>, usize) {
    let theme = app.theme;
    let width = pane_width.saturating_sub(4);
    let mut lines: Vec<Line> = Vec::new();
    // Hints asked for come first: the learner is waiting for them.
    for (index, hint) in exercise.hints.iter().take(state.hints).enumerate() {
        let label = match app.lang {
            Lang::En => format!("Hint {}: ", index + 1),
            Lang::Ko => format!("힌트 {}: ", index + 1),
        };
        let mut hint_lines = markdown_lines(app, hint.get(app.tag()), width.saturating_sub(9));
        if let Some(first) = hint_lines.first_mut() {
            first.spans.insert(0, Span::styled(label, theme.warn()));
        }
        lines.extend(hint_lines);
        lines.push(Line::default());
    }
    let section = lines.len();
    if state.show_solution() {
        lines.push(Line::styled(
            app.t(
                "The solution, as a diff against your answer (- yours, + the solution):",
                "풀이를 내 답안과 비교한 결과입니다(- 내 답안, + 풀이):",
            ),
            theme.dim(),
        ));
        let answer: Vec<String> = state.editor.lines().to_vec();
        let solution: Vec<String> = exercise
            .solution
            .trim_start_matches('\n')
            .lines()
            .map(str::to_string)
            .collect();
        for (mark, line) in diff(&answer, &solution) {
            let style = match mark {
                '-' => theme.bad(),
                '+' => theme.good(),
                _ => theme.dim(),
            };
            lines.push(Line::styled(format!("{mark} {}", clean(&line)), style));
        }
    } else if let Some(report) = &state.report {
        lines.push(if report.passed {
            Line::styled(
                app.t(
                    "✓ Passed: every check holds.",
                    "✓ 통과: 모든 검사를 통과했습니다.",
                ),
                theme.good(),
            )
        } else {
            Line::styled(
                match app.lang {
                    Lang::En => format!("✗ Not yet: {:.0}% of the points.", report.score * 100.0),
                    Lang::Ko => format!("✗ 아직입니다: {:.0}점(100점 만점)", report.score * 100.0),
                },
                theme.bad(),
            )
        });
        let errors: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            lines.push(Line::styled(
                app.t(
                    "The API server would refuse this manifest:",
                    "API 서버가 이 매니페스트를 거부합니다:",
                ),
                theme.bad(),
            ));
            for (index, diagnostic) in errors.into_iter().enumerate() {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("  {}:{} ", diagnostic.line, diagnostic.column),
                        theme.key(),
                    ),
                    Span::raw(clean(&localize(&diagnostic.message, app.lang))),
                ]));
                if let Some(suggestion) = &diagnostic.suggestion {
                    lines.push(Line::styled(
                        format!("      → {}", clean(suggestion)),
                        theme.good(),
                    ));
                }
                // The first error's advice only: the checks below must stay in view.
                if index == 0
                    && let Some(help) = &diagnostic.help
                {
                    lines.push(Line::styled(
                        format!("      {}", clean(&localize(help, app.lang))),
                        theme.dim(),
                    ));
                }
            }
        }
        lines.extend(check_lines(app, &report.checks, true));
        if report.passed {
            lines.push(Line::default());
            lines.push(Line::styled(
                app.t(
                    "Press Enter for the next one.",
                    "Enter를 누르면 다음으로 넘어갑니다.",
                ),
                theme.dim(),
            ));
        }
        lines.push(Line::default());
        lines.push(Line::styled("─".repeat(usize::from(width)), theme.border()));
        lines.extend(markdown_lines(app, exercise.prompt.get(app.tag()), width));
    } else {
        lines.extend(markdown_lines(app, exercise.prompt.get(app.tag()), width));
    }
    let inner = pane_width.saturating_sub(2);
    let section = if state.show_solution() || state.report.is_some() {
        let before: Vec<Line> = lines[..section].to_vec();
        fit(before, inner, false).len()
    } else {
        0
    };
    (fit(lines, inner, false), section)
}

fn task_pane(app: &App, frame: &mut Frame, area: Rect, state: &ExerciseState, exercise: &Exercise) {
    let theme = app.theme;
    let (lines, _) = task_text(app, state, exercise, area.width);
    let height = usize::from(area.height.saturating_sub(2));
    let last = lines.len().saturating_sub(height);
    let scroll = state.prompt_scroll.min(last);
    let title = format!(
        "{} {}",
        clean(exercise.title.get(app.tag())),
        "★".repeat(usize::from(exercise.difficulty))
    );
    let total = lines.len();
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(u16::MAX as usize) as u16, 0))
            .block(panel(app, &title, !state.typing())),
        area,
    );
    // Text above or below the pane is said on its border, with the key that shows it (no
    // scrollbar: the border's last column stays a border).
    let mut marker = |text: String, y: u16| {
        let width = (text.width() as u16).min(area.width.saturating_sub(4));
        let at = Rect {
            x: area.x + area.width.saturating_sub(width + 2),
            y,
            width,
            height: 1,
        };
        frame.render_widget(Line::styled(text, theme.key()), at);
    };
    if total > height && area.height > 2 {
        if scroll > 0 {
            marker(" ▲ PgUp ".to_string(), area.y);
        }
        if scroll < last {
            marker(
                format!(" {} ", app.t("▼ more: PgDn", "▼ 더 보기: PgDn")),
                area.y + area.height - 1,
            );
        }
    }
}

impl ExerciseState {
    /// Scrolls the task pane (of a screen whose body is `area`) by `lines`, within its text.
    pub fn scroll_task(&mut self, ctx: &Ctx, area: Rect, lines: i64) {
        let ItemRef::Exercise(exercise) = ctx.item(self.key) else {
            return;
        };
        let pane = Panes::of(area, self).task;
        let (text, _) = task_text(ctx, self, exercise, pane.width);
        let last = text
            .len()
            .saturating_sub(usize::from(pane.height.saturating_sub(2)));
        self.prompt_scroll =
            (self.prompt_scroll.min(last) as i64 + lines).clamp(0, last as i64) as usize;
    }

    /// Scrolls the task pane to what the learner asked for last (the solution, the grade
    /// report), so it is in view.
    pub fn scroll_to_answer(&mut self, ctx: &Ctx, area: Rect) {
        let ItemRef::Exercise(exercise) = ctx.item(self.key) else {
            return;
        };
        let pane = Panes::of(area, self).task;
        let (_, section) = task_text(ctx, self, exercise, pane.width);
        self.prompt_scroll = section;
    }

    /// A scrolling key for the task pane: one line, a page, or the wheel's lines.
    pub fn scroll_key(&mut self, ctx: &Ctx, area: Rect, action: &Action) -> bool {
        let page = i64::from(Panes::of(area, self).task.height.saturating_sub(3).max(1));
        let lines = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            Action::Scroll(lines) => i64::from(*lines),
            _ => return false,
        };
        self.scroll_task(ctx, area, lines);
        true
    }
}

fn editor_pane(app: &App, frame: &mut Frame, panes: &Panes, state: &ExerciseState) {
    let theme = app.theme;
    let lines = state.editor.lines();
    let shown: Vec<&Diagnostic> = state.shown_diagnostics().iter().collect();
    let status_height = panes.status.height.saturating_sub(2);
    let (text_area, status_area) = (panes.editor, panes.status);
    let inner_height = usize::from(text_area.height.saturating_sub(2));
    let number_width = lines.len().to_string().len().max(2);
    let highlighted = crate::tui::yaml::highlight(
        &lines[state.top.min(lines.len())..(state.top + inner_height).min(lines.len())],
        theme,
    );
    let mut rendered = Vec::new();
    for (offset, spans) in highlighted.into_iter().enumerate() {
        let line_number = state.top + offset + 1;
        let error = shown.iter().any(|d| d.line == line_number && d.is_error());
        let warning = shown.iter().any(|d| d.line == line_number && !d.is_error());
        let gutter = if error {
            Span::styled("●", theme.bad())
        } else if warning {
            Span::styled("●", theme.warn())
        } else {
            Span::raw(" ")
        };
        let mut line = vec![
            gutter,
            Span::styled(format!("{line_number:>number_width$} "), theme.dim()),
        ];
        line.extend(
            spans
                .into_iter()
                .map(|span| Span::styled(clean(&span.content), span.style)),
        );
        rendered.push(Line::from(line));
    }
    let watching;
    let title = if let Some(file) = &state.watching {
        watching = match app.lang {
            Lang::En => format!("Your answer · watching {}", clean(file)),
            Lang::Ko => format!("답안 · {} 감시 중", clean(file)),
        };
        watching.as_str()
    } else if state.typing() {
        app.t(
            "Your answer (typing: Esc to stop, Ctrl-S to grade)",
            "답안 (편집 중: Esc로 끝내기, Ctrl-S로 채점)",
        )
    } else {
        app.t(
            "Your answer (i to edit, e for $EDITOR)",
            "답안 (i로 편집, e로 외부 편집기)",
        )
    };
    frame.render_widget(
        Paragraph::new(rendered).block(panel(app, title, state.typing())),
        text_area,
    );
    if state.typing() {
        let ratatui_textarea::DataCursor(row, column) = state.editor.cursor();
        if row >= state.top && row < state.top + inner_height {
            let before: String = lines
                .get(row)
                .map(|line| line.chars().take(column).collect())
                .unwrap_or_default();
            let x = text_area.x + 1 + 1 + number_width as u16 + 1 + clean(&before).width() as u16;
            let y = text_area.y + 1 + (row - state.top) as u16;
            if x < text_area.x + text_area.width - 1 {
                frame.set_cursor_position(Position { x, y });
            }
        }
    }
    let mut status: Vec<Line> = Vec::new();
    if shown.is_empty() {
        let text = if lines.iter().all(|line| line.trim().is_empty()) {
            app.t(
                "Write the manifest; it is checked as you type.",
                "매니페스트를 작성하세요. 입력하는 동안 검사합니다.",
            )
        } else if state.check_at.is_some() {
            app.t("Checking…", "검사 중…")
        } else {
            app.t(
                "✓ Valid Kubernetes so far.",
                "✓ 지금까지 올바른 Kubernetes 매니페스트입니다.",
            )
        };
        status.push(Line::styled(
            text,
            if text.starts_with('✓') {
                theme.good()
            } else {
                theme.dim()
            },
        ));
    }
    for diagnostic in shown.iter().take(usize::from(status_height)) {
        let style: Style = if diagnostic.is_error() {
            theme.bad()
        } else {
            theme.warn()
        };
        let mut spans = vec![
            Span::styled(format!("{}:{} ", diagnostic.line, diagnostic.column), style),
            Span::raw(clean(&localize(&diagnostic.message, app.lang))),
        ];
        if let Some(suggestion) = &diagnostic.suggestion {
            spans.push(Span::styled(
                format!(" → {}", clean(suggestion)),
                theme.good(),
            ));
        }
        status.push(Line::from(spans));
    }
    frame.render_widget(
        Paragraph::new(status).block(panel(app, app.t("Checker", "검사기"), false)),
        status_area,
    );
}

/// A line diff (longest common subsequence): `' '` kept, `'-'` only in `ours`, `'+'` only in
/// `theirs`.
pub fn diff(ours: &[String], theirs: &[String]) -> Vec<(char, String)> {
    let (n, m) = (ours.len(), theirs.len());
    let mut common = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] = if ours[i].trim_end() == theirs[j].trim_end() {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n && j < m {
        if ours[i].trim_end() == theirs[j].trim_end() {
            out.push((' ', theirs[j].clone()));
            i += 1;
            j += 1;
        } else if common[i + 1][j] >= common[i][j + 1] {
            out.push(('-', ours[i].clone()));
            i += 1;
        } else {
            out.push(('+', theirs[j].clone()));
            j += 1;
        }
    }
    out.extend(ours[i..].iter().map(|line| ('-', line.clone())));
    out.extend(theirs[j..].iter().map(|line| ('+', line.clone())));
    out
}

#[cfg(test)]
mod tests {
    use super::diff;

    #[test]
    fn the_diff_keeps_common_lines_and_marks_the_rest() {
        let ours: Vec<String> = ["a", "b", "x", "d"].iter().map(|s| s.to_string()).collect();
        let theirs: Vec<String> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let marks: String = diff(&ours, &theirs).iter().map(|(mark, _)| *mark).collect();
        assert_eq!(marks, "  -+ +");
    }
}
