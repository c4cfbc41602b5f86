//! A kubectl drill: the task and a command line with the commands typed before (Up/Down).
//! Enter judges the command by what it does, not its spelling. Its life is [`DrillPhase`]:
//! Typing → Judged (wrong: type again) → Passed, or → Leaving while a give-up rating is saved.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::modal::{Modal, Question};
use crate::grade::command::Verdict;
use crate::i18n::localize;
use crate::model::ItemRef;
use crate::srs::{Attempt, Rating, Work, expected_seconds};
use crate::tui::action::{Action, Effect};
use crate::tui::app::App;
use crate::tui::ctx::{Ctx, ItemKey, Outcome, stay, stay_with};
use crate::tui::keymap::Key::{Char as C, Code, Ctrl};
use crate::tui::keymap::{Binding, bind, global, quiet, typing_global};
use crate::tui::widgets::line::{byte_index, edit_line};
use crate::tui::widgets::{clean, fit, markdown_lines, panel};
use ratatui::crossterm::event::KeyCode;

#[derive(Debug, Clone)]
pub enum DrillPhase {
    /// Nothing judged yet.
    Typing,
    /// Judged wrong: the differences are shown; edit and try again.
    Judged(Box<Verdict>),
    /// Judged right and rated; Enter goes on.
    Passed(Box<Verdict>),
    /// Given up: the Again rating is being saved, then the screen moves on.
    Leaving(Option<Box<Verdict>>),
}

#[derive(Debug, Clone)]
pub struct DrillState {
    pub key: ItemKey,
    pub input: String,
    /// Cursor position, in characters.
    pub cursor: usize,
    /// Which history entry is shown (Up/Down), from the newest.
    pub history_at: Option<usize>,
    pub phase: DrillPhase,
    pub tries: u32,
    /// The accepted answer was shown (Ctrl-R).
    pub shown_answer: bool,
    pub opened: Timestamp,
    /// The rating the pass saved, and how long until the drill is due again (`3d`).
    pub recorded: Option<(Rating, String)>,
    /// Which variant of a parameterized drill is on show (0 otherwise).
    pub variant: usize,
}

impl DrillState {
    pub fn new(key: ItemKey, now: Timestamp) -> DrillState {
        DrillState {
            key,
            input: String::new(),
            cursor: 0,
            history_at: None,
            phase: DrillPhase::Typing,
            tries: 0,
            shown_answer: false,
            opened: now,
            recorded: None,
            variant: 0,
        }
    }

    /// The state showing variant `variant` of a parameterized drill.
    pub fn with_variant(mut self, variant: usize) -> DrillState {
        self.variant = variant;
        self
    }

    /// The last verdict, if any.
    pub fn verdict(&self) -> Option<&Verdict> {
        match &self.phase {
            DrillPhase::Typing | DrillPhase::Leaving(None) => None,
            DrillPhase::Judged(verdict)
            | DrillPhase::Passed(verdict)
            | DrillPhase::Leaving(Some(verdict)) => Some(verdict),
        }
    }

    pub fn passed(&self) -> bool {
        matches!(self.phase, DrillPhase::Passed(_))
    }

    /// Whether leaving now would lose a typed, unjudged command.
    pub fn unsaved_work(&self) -> bool {
        !self.input.trim().is_empty() && self.verdict().is_none()
    }

    /// A key on the command line: typing, a paste (one line), and Up/Down through the
    /// commands typed before (`history`, newest last).
    pub fn type_command(&mut self, action: Action, history: &[String]) {
        match action {
            Action::Up if !history.is_empty() => {
                let at = self
                    .history_at
                    .map_or(0, |at| (at + 1).min(history.len() - 1));
                self.history_at = Some(at);
                self.input = history[history.len() - 1 - at].clone();
                self.cursor = self.input.chars().count();
            }
            Action::Down => match self.history_at {
                Some(0) | None => {
                    self.history_at = None;
                    self.input.clear();
                    self.cursor = 0;
                }
                Some(at) => {
                    self.history_at = Some(at - 1);
                    self.input = history[history.len() - at].clone();
                    self.cursor = self.input.chars().count();
                }
            },
            Action::Key(key) => {
                edit_line(&mut self.input, Some(&mut self.cursor), key);
                self.history_at = None;
            }
            Action::Paste(text) => {
                // Pasted lines are the steps of a procedure: one line of input joins them.
                let text = text
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .collect::<Vec<_>>()
                    .join(" && ");
                let at = byte_index(&self.input, self.cursor);
                self.input.insert_str(at, &text);
                self.cursor += text.chars().count();
            }
            _ => {}
        }
    }
}

pub fn update(state: &mut DrillState, action: Action, ctx: &mut Ctx) -> Outcome {
    match action {
        Action::Judged(verdict) => return judged(state, *verdict, ctx),
        Action::Rated { after, .. } => {
            let recorded = super::exercise::recorded(ctx, &after);
            if matches!(state.phase, DrillPhase::Leaving(_)) {
                // The screen moves on: the next one says what was saved.
                let text = crate::i18n::rated(ctx.lang, recorded.0, Some(&recorded.1));
                ctx.toast(text);
                return ctx.next_item();
            }
            state.recorded = Some(recorded);
            return stay();
        }
        Action::Confirmed(Question::LeaveUnsaved) => return leave(state, ctx, true),
        Action::Confirmed(Question::ShowAnswer) => {
            state.shown_answer = true;
            return stay();
        }
        _ => {}
    }
    if state.passed() {
        return match action {
            Action::Open | Action::Next => ctx.next_item(),
            Action::Undo => ctx.undo(),
            Action::Back => ctx.ask_end_or_back(),
            _ => stay(),
        };
    }
    match action {
        Action::Open | Action::Submit if !state.input.trim().is_empty() => {
            return stay_with(vec![Effect::Judge {
                key: state.key,
                variant: state.variant,
                command: state.input.clone(),
                duration_ms: ctx.now.duration_since(state.opened).as_millis() as i64,
            }]);
        }
        action @ (Action::Up | Action::Down | Action::Key(_) | Action::Paste(_)) => {
            state.type_command(action, &ctx.history);
        }
        // Asked first, as `s` asks for an exercise's solution: it costs the rating.
        Action::ShowSolution if !state.shown_answer => {
            ctx.modal = Some(Modal::Confirm {
                question: Question::ShowAnswer,
            });
        }
        Action::Next => return leave(state, ctx, true),
        Action::Back => return leave(state, ctx, false),
        _ => {}
    }
    stay()
}

fn judged(state: &mut DrillState, verdict: Verdict, ctx: &mut Ctx) -> Outcome {
    state.tries += 1;
    let correct = verdict.correct;
    let command = state.input.trim().to_string();
    if !command.is_empty() && ctx.history.last() != Some(&command) {
        ctx.history.push(command);
    }
    let verdict = Box::new(verdict);
    match &state.phase {
        DrillPhase::Typing | DrillPhase::Judged(_) if correct => {
            state.phase = DrillPhase::Passed(verdict);
            let took = ctx.now.duration_since(state.opened);
            let attempt = Attempt {
                passed: true,
                hints_used: 0,
                solution_seen: state.shown_answer,
                tries: state.tries,
                seconds: took.as_secs_f64(),
                expected_seconds: expected_seconds(Work::Drill),
            };
            return stay_with(vec![ctx.rate(state.key, attempt.rating(), took, Some(1.0))]);
        }
        DrillPhase::Typing | DrillPhase::Judged(_) => state.phase = DrillPhase::Judged(verdict),
        DrillPhase::Passed(_) => state.phase = DrillPhase::Passed(verdict),
        DrillPhase::Leaving(_) => state.phase = DrillPhase::Leaving(Some(verdict)),
    }
    stay()
}

/// Leaves the drill: first asks when a typed command would be lost (unless `confirmed`); a
/// tried (or revealed) but unpassed drill is rated Again first, and the screen moves on once
/// that is saved; otherwise on to the session's next item, or back.
fn leave(state: &mut DrillState, ctx: &mut Ctx, confirmed: bool) -> Outcome {
    if !confirmed && state.unsaved_work() {
        ctx.modal = Some(Modal::Confirm {
            question: Question::LeaveUnsaved,
        });
        return stay();
    }
    let open = matches!(state.phase, DrillPhase::Typing | DrillPhase::Judged(_));
    if open && (state.tries > 0 || state.shown_answer) {
        let verdict = match &state.phase {
            DrillPhase::Judged(verdict) => Some(verdict.clone()),
            _ => None,
        };
        state.phase = DrillPhase::Leaving(verdict);
        let took = ctx.now.duration_since(state.opened);
        return stay_with(vec![ctx.rate(state.key, Rating::Again, took, Some(0.0))]);
    }
    ctx.next_item()
}

/// The screen's key bindings: the keymap's table for it, also what the footer and help show.
pub fn bindings(app: &App, drill: &DrillState) -> Vec<Binding> {
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

pub fn draw(app: &App, frame: &mut Frame, area: Rect, state: &DrillState) {
    let theme = app.theme;
    let ItemRef::Drill(drill) = app.item(state.key).variant(state.variant) else {
        return;
    };
    let width = area.width.min(100);
    let area = Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    };
    let text_width = width.saturating_sub(4);
    let mut lines = markdown_lines(app, drill.prompt.get(app.tag()), text_width);
    let steps = drill
        .answer
        .lines()
        .filter(|line| !line.trim().is_empty())
        .count();
    if steps > 1 {
        // A procedure: one line of input holds every step.
        lines.push(Line::styled(
            if app.lang == crate::i18n::Lang::Ko {
                format!("{steps}단계 절차입니다. 명령을 순서대로 && 나 ; 로 이어서 입력하세요.")
            } else {
                format!(
                    "A procedure of {steps} steps: type its commands in order, joined with && or ;"
                )
            },
            theme.dim(),
        ));
    }
    lines.push(Line::default());
    let input = clean(&state.input);
    lines.push(Line::from(vec![
        Span::styled("$ ", theme.key()),
        Span::styled(input, theme.code()),
    ]));
    let prompt_line = lines.len() - 1;
    if let Some(verdict) = state.verdict() {
        lines.push(Line::default());
        if verdict.correct {
            lines.push(Line::styled(
                app.t(
                    "✓ That does what the task asks.",
                    "✓ 과제가 요구하는 대로 동작합니다.",
                ),
                theme.good(),
            ));
            if let Some((rating, next)) = &state.recorded {
                lines.push(Line::styled(
                    crate::i18n::rated(app.lang, *rating, Some(next)),
                    theme.title(),
                ));
            }
        } else {
            lines.push(Line::styled(
                app.t("✗ Not yet:", "✗ 아직입니다:"),
                theme.bad(),
            ));
            // A procedure's findings about one step come under that step's line (`step 3, …:`).
            for difference in &verdict.differences {
                let text = difference.trim_start();
                let bullet = if text.len() < difference.len() {
                    "      – "
                } else {
                    "  • "
                };
                lines.push(Line::styled(
                    format!("{bullet}{}", clean(&localize(text, app.lang))),
                    theme.text(),
                ));
            }
            lines.push(Line::styled(
                app.t(
                    "Edit the command and press Enter again.",
                    "명령을 고친 뒤 다시 Enter를 누르세요.",
                ),
                theme.dim(),
            ));
        }
        // Flags left out of grading (`--server`, `--profile-output`), each with why.
        for warning in crate::grade::command::ignored_flag_warnings(&state.input, &verdict.ignored)
        {
            lines.push(Line::styled(
                format!("  ! {}", clean(&localize(&warning.message, app.lang))),
                theme.warn(),
            ));
        }
    }
    let failed = state.verdict().is_some_and(|verdict| !verdict.correct);
    if state.shown_answer || state.verdict().is_some_and(|verdict| verdict.correct) || failed {
        if state.shown_answer {
            lines.push(Line::default());
            let mut answer_lines = drill.answer.lines().filter(|line| !line.trim().is_empty());
            lines.push(Line::from(vec![
                Span::styled(app.t("Answer: ", "정답: "), theme.dim()),
                Span::styled(clean(answer_lines.next().unwrap_or_default()), theme.good()),
            ]));
            // A procedure's later steps, one a line under the first.
            let indent = app.t("Answer: ", "정답: ").width();
            for step in answer_lines {
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(indent)),
                    Span::styled(clean(step.trim()), theme.good()),
                ]));
            }
        }
        if let Some(explain) = &drill.explain
            && (state.shown_answer || state.verdict().is_some())
        {
            lines.push(Line::default());
            for line in markdown_lines(app, explain.get(app.tag()), text_width) {
                lines.push(line.patch_style(theme.dim()));
            }
        }
    }
    let title = format!(
        "{} · {}",
        app.topic(state.key.deck, state.key.topic)
            .title
            .get(app.tag()),
        app.t("command drill", "명령어 연습")
    );
    frame.render_widget(
        Paragraph::new(fit(lines, area.width.saturating_sub(2), false))
            .block(panel(app, &title, true)),
        area,
    );
    let typing = !state.verdict().is_some_and(|verdict| verdict.correct);
    if typing {
        let before: String = state.input.chars().take(state.cursor).collect();
        let x = area.x + 1 + 2 + clean(&before).width() as u16;
        let y = area.y + 1 + prompt_line as u16;
        if x < area.x + area.width - 1 && y < area.y + area.height - 1 {
            frame.set_cursor_position(Position { x, y });
        }
    }
}
