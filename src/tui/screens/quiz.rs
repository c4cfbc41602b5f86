//! A quiz question: multiple choice (one or several right) or a typed answer. Answering rates
//! it at once; the result and the explanation stay until Enter. Its life is [`QuizPhase`].

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::{ItemRef, Question, QuestionAnswer};
use crate::srs::{Attempt, Work, expected_seconds};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::ctx::{Ctx, ItemKey, Outcome, stay, stay_with};
use crate::tui::keymap::Key::{Char as C, Code};
use crate::tui::keymap::{Binding, bind, global, quiet, typing_global};
use crate::tui::widgets::line::edit_line;
use crate::tui::widgets::{clean, fit, inline_code, markdown_lines, panel};
use ratatui::crossterm::event::KeyCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuizPhase {
    Answering,
    /// Answered (and the rating sent): right or not.
    Answered {
        correct: bool,
    },
}

#[derive(Debug, Clone)]
pub struct QuestionState {
    pub key: ItemKey,
    /// The option under the cursor.
    pub cursor: usize,
    /// Options marked (several may be right).
    pub marked: Vec<bool>,
    /// A type-in answer.
    pub input: String,
    pub phase: QuizPhase,
    pub shown_at: Timestamp,
}

impl QuestionState {
    pub fn new(key: ItemKey, question: &Question, now: Timestamp) -> QuestionState {
        let options = match &question.answer {
            QuestionAnswer::Choice { options, .. } => options.len(),
            QuestionAnswer::TypeIn { .. } => 0,
        };
        QuestionState {
            key,
            cursor: 0,
            marked: vec![false; options],
            input: String::new(),
            phase: QuizPhase::Answering,
            shown_at: now,
        }
    }

    /// Whether the answer was right, once answered.
    pub fn result(&self) -> Option<bool> {
        match self.phase {
            QuizPhase::Answering => None,
            QuizPhase::Answered { correct } => Some(correct),
        }
    }
}

pub fn update(state: &mut QuestionState, action: Action, ctx: &mut Ctx) -> Outcome {
    let ItemRef::Question(question) = ctx.item(state.key) else {
        return stay();
    };
    let answer = question.answer.clone();
    if let QuizPhase::Answered { .. } = state.phase {
        return match action {
            Action::Open | Action::Reveal | Action::Next => ctx.next_item(),
            Action::Undo => ctx.undo(),
            Action::Back => ctx.ask_end_or_back(),
            _ => stay(),
        };
    }
    match (&answer, action) {
        (QuestionAnswer::Choice { .. }, Action::Up) => {
            state.cursor = state.cursor.saturating_sub(1)
        }
        (QuestionAnswer::Choice { options, .. }, Action::Down) => {
            state.cursor = (state.cursor + 1).min(options.len() - 1)
        }
        (QuestionAnswer::Choice { options, correct }, Action::Choose(index))
            if index < options.len() =>
        {
            state.cursor = index;
            if correct.len() == 1 {
                state.marked = vec![false; options.len()];
                state.marked[index] = true;
                return answer_question(state, ctx);
            }
            state.marked[index] = !state.marked[index];
        }
        (QuestionAnswer::Choice { correct, .. }, Action::Reveal) if correct.len() > 1 => {
            let cursor = state.cursor;
            state.marked[cursor] = !state.marked[cursor];
        }
        (QuestionAnswer::Choice { correct, .. }, Action::Open) => {
            if correct.len() == 1 || !state.marked.iter().any(|marked| *marked) {
                state.marked = vec![false; state.marked.len()];
                let cursor = state.cursor;
                state.marked[cursor] = true;
            }
            return answer_question(state, ctx);
        }
        (QuestionAnswer::TypeIn { .. }, Action::Open) if !state.input.trim().is_empty() => {
            return answer_question(state, ctx);
        }
        (QuestionAnswer::TypeIn { .. }, Action::Key(key)) => edit_line(&mut state.input, None, key),
        (QuestionAnswer::TypeIn { .. }, Action::Paste(text)) => {
            state.input.push_str(&text.replace(['\n', '\r'], " "))
        }
        (_, Action::Undo) => return ctx.undo(),
        (_, Action::Back) => return ctx.ask_end_or_back(),
        _ => {}
    }
    stay()
}

fn answer_question(state: &mut QuestionState, ctx: &mut Ctx) -> Outcome {
    let ItemRef::Question(question) = ctx.item(state.key) else {
        return stay();
    };
    let correct = match &question.answer {
        QuestionAnswer::Choice { correct, .. } => {
            let picked: Vec<usize> = state
                .marked
                .iter()
                .enumerate()
                .filter(|(_, marked)| **marked)
                .map(|(index, _)| index)
                .collect();
            let mut wanted = correct.clone();
            wanted.sort_unstable();
            picked == wanted
        }
        QuestionAnswer::TypeIn { accept } => {
            let normalize = |text: &str| {
                text.trim()
                    .trim_matches(['"', '\'', '`'])
                    .trim()
                    .to_lowercase()
            };
            accept
                .iter()
                .any(|accepted| normalize(accepted) == normalize(&state.input))
        }
    };
    state.phase = QuizPhase::Answered { correct };
    let took = ctx.now.duration_since(state.shown_at);
    let attempt = Attempt {
        passed: correct,
        hints_used: 0,
        solution_seen: false,
        tries: 1,
        seconds: took.as_secs_f64(),
        expected_seconds: expected_seconds(Work::Question),
    };
    let score = Some(if correct { 1.0 } else { 0.0 });
    stay_with(vec![ctx.rate(state.key, attempt.rating(), took, score)])
}

/// The screen's key bindings: the keymap's table for it, also what the footer and help show.
pub fn bindings(app: &App, question: &QuestionState) -> Vec<Binding> {
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

pub fn draw(app: &App, frame: &mut Frame, area: Rect, state: &QuestionState) {
    let theme = app.theme;
    let ItemRef::Question(question) = app.item(state.key) else {
        return;
    };
    let area = super::cards::reading_area(area);
    let width = area.width.saturating_sub(4);
    let mut lines = markdown_lines(app, question.question.get(app.tag()), width);
    lines.push(Line::default());
    match &question.answer {
        QuestionAnswer::Choice { options, correct } => {
            if correct.len() > 1 {
                lines.push(Line::styled(
                    app.t(
                        "More than one answer is right: mark each with Space, then Enter.",
                        "정답이 여러 개입니다. Space로 하나씩 표시한 뒤 Enter를 누르세요.",
                    ),
                    theme.dim(),
                ));
            }
            for (index, option) in options.iter().enumerate() {
                let marked = state.marked.get(index).copied().unwrap_or(false);
                let right = correct.contains(&index);
                let mark = match (state.result(), marked, right) {
                    (Some(_), _, true) => "✓",
                    (Some(_), true, false) => "✗",
                    (_, true, _) => "●",
                    _ => "○",
                };
                let style = match (state.result(), right, marked) {
                    (Some(_), true, _) => theme.good(),
                    (Some(_), false, true) => theme.bad(),
                    (None, _, _) if index == state.cursor => theme.selected(),
                    _ => theme.text(),
                };
                let mut spans = vec![
                    Span::styled(format!(" {} ", index + 1), theme.key()),
                    Span::styled(format!("{mark} "), style),
                ];
                spans.extend(inline_code(option.get(app.tag()), style, theme.code()));
                lines.push(Line::from(spans));
            }
        }
        QuestionAnswer::TypeIn { accept } => {
            let shown = format!("> {}", clean(&state.input));
            lines.push(Line::styled(
                if state.result().is_none() {
                    format!("{shown}▏")
                } else {
                    shown
                },
                theme.code(),
            ));
            if state.result() == Some(false) {
                lines.push(Line::from(vec![
                    Span::styled(app.t("Accepted: ", "정답: "), theme.dim()),
                    Span::styled(
                        accept
                            .iter()
                            .map(|answer| clean(answer))
                            .collect::<Vec<_>>()
                            .join(", "),
                        theme.good(),
                    ),
                ]));
            }
        }
    }
    if let Some(correct) = state.result() {
        lines.push(Line::default());
        lines.push(if correct {
            Line::styled(app.t("✓ Right.", "✓ 정답입니다."), theme.good())
        } else {
            Line::styled(app.t("✗ Not quite.", "✗ 틀렸습니다."), theme.bad())
        });
        if let Some(explain) = &question.explain {
            lines.extend(markdown_lines(app, explain.get(app.tag()), width));
        }
    }
    frame.render_widget(
        Paragraph::new(fit(lines, area.width.saturating_sub(2), false)).block(panel(
            app,
            &super::cards::where_from(app, state.key, ("question", "퀴즈")),
            true,
        )),
        area,
    );
}
