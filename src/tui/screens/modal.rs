//! Dialogs over the screen: help (from the keymap), a yes/no question, the search palette, a
//! message. An open dialog gets the keys before the screen does; a confirmed question goes to
//! whoever asked it (`Action::Confirmed`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::search::HitKind;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::ctx::{Ctx, Outcome, stay};
use crate::tui::keymap;
use crate::tui::widgets::{centered, clean, fit, panel};

#[derive(Debug, Clone)]
pub enum Modal {
    Help,
    Confirm { question: Question },
    Search { query: String, selected: usize },
    Message(String),
}

/// The questions a confirm dialog asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    LeaveUnsaved,
    EndSession,
    ShowSolution,
    /// Show a scenario's reference commands (Ctrl-R).
    ShowCommands,
    /// Show a drill's accepted answer (Ctrl-R).
    ShowAnswer,
    /// Throw an exercise's answer away for its starter.
    ResetToStarter,
    Quit,
    /// Hand the exam in before the time is up; how many tasks have no answer, and are flagged.
    HandIn {
        unanswered: usize,
        flagged: usize,
    },
    /// Leave the exam without grading it.
    LeaveExam,
}

/// What a dialog did with a key.
pub enum ModalOutcome {
    /// Kept open, or closed, or a search hit opened.
    Done(Outcome),
    /// Yes to a question: the app or the screen that asked carries it out.
    Confirmed(Question),
}

/// A key while a dialog is open (`ctx.modal` is `Some`).
pub fn update(ctx: &mut Ctx, action: Action) -> ModalOutcome {
    let Some(modal) = ctx.modal.take() else {
        return ModalOutcome::Done(stay());
    };
    match modal {
        Modal::Help | Modal::Message(_) => match action {
            Action::Back
            | Action::Help
            | Action::Open
            | Action::Quit
            | Action::No
            | Action::Yes => {}
            _ => ctx.modal = Some(modal),
        },
        Modal::Confirm { question } => match action {
            Action::Yes | Action::Open => return ModalOutcome::Confirmed(question),
            Action::No | Action::Back => {}
            _ => ctx.modal = Some(Modal::Confirm { question }),
        },
        Modal::Search {
            mut query,
            mut selected,
        } => {
            match action {
                Action::Back => return ModalOutcome::Done(stay()),
                Action::Up => selected = selected.saturating_sub(1),
                // The hits are counted only where the selection needs clamping: a typed key
                // searches once, when the frame is drawn.
                Action::Down => {
                    let hits = ctx.index().search(&query, 50).len();
                    selected = (selected + 1).min(hits.saturating_sub(1));
                }
                Action::Open => {
                    return ModalOutcome::Done(ctx.open_hit(&query, selected).unwrap_or_else(stay));
                }
                Action::Paste(text) => {
                    query.push_str(&text.replace(['\n', '\r'], " "));
                    selected = 0;
                }
                // Typed at the end, with the usual line keys (Backspace, Ctrl-U, Ctrl-W).
                Action::Key(key) => {
                    let before = query.clone();
                    crate::tui::widgets::line::edit_line(&mut query, None, key);
                    if query != before {
                        selected = 0;
                    }
                }
                _ => {}
            }
            ctx.modal = Some(Modal::Search { query, selected });
        }
    }
    ModalOutcome::Done(stay())
}

pub fn help(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    // The screen's bindings, as they are without the dialog.
    let mut shown = App::bindings_without_modal(app);
    shown.dedup_by(|a, b| a.keys == b.keys);
    let mut lines = vec![
        Line::styled(app.t("Keys here", "이 화면의 키"), theme.heading(3)),
        Line::default(),
    ];
    for binding in &shown {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<18}", binding.keys_label()), theme.key()),
            Span::raw(app.t(binding.label.0, binding.label.1).to_string()),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        app.t(
            "The mouse wheel scrolls. Esc or q closes this.",
            "마우스 휠로 스크롤합니다. Esc나 q로 닫습니다.",
        ),
        theme.dim(),
    ));
    let height = (lines.len() as u16 + 2).min(area.height);
    let box_area = centered(area, 60, height);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines).block(panel(app, app.t("Help", "도움말"), true)),
        box_area,
    );
}

pub fn confirm(app: &App, frame: &mut Frame, area: Rect, question: Question) {
    let counted: String;
    let text = match question {
        Question::LeaveUnsaved => app.t(
            "Leave without grading? What you typed will be lost.",
            "채점하지 않고 나갈까요? 입력한 내용은 사라집니다.",
        ),
        Question::EndSession => app.t(
            "End this session? Ratings given so far are saved.",
            "이번 학습을 끝낼까요? 지금까지 매긴 평가는 저장되어 있습니다.",
        ),
        Question::ShowSolution => app.t(
            "Show the solution? This exercise will then count as not remembered.",
            "풀이를 볼까요? 이 실습은 기억하지 못한 것으로 기록됩니다.",
        ),
        Question::ShowCommands => app.t(
            "Show the solution's commands? This scenario will then count as not remembered.",
            "풀이 명령을 볼까요? 이 시나리오는 기억하지 못한 것으로 기록됩니다.",
        ),
        Question::ShowAnswer => app.t(
            "Show the answer? This drill will then count as not remembered.",
            "정답을 볼까요? 이 명령어 연습은 기억하지 못한 것으로 기록됩니다.",
        ),
        Question::ResetToStarter => app.t(
            "Start again from the starter? Your answer and its saved draft are thrown away.",
            "처음 답안으로 돌아갈까요? 지금 답안과 저장된 초안은 버립니다.",
        ),
        Question::Quit => app.t(
            "Quit kubedrill? Ratings are saved; typed work is not.",
            "kubedrill을 종료할까요? 평가는 저장되어 있지만 입력 중인 내용은 저장되지 않습니다.",
        ),
        Question::HandIn {
            unanswered,
            flagged,
        } => {
            counted = match app.lang {
                crate::i18n::Lang::En => format!(
                    "Hand the exam in now? {} unanswered, {flagged} flagged. Every task is graded as it stands.",
                    crate::text::plural(unanswered, "task")
                ),
                crate::i18n::Lang::Ko => format!(
                    "지금 시험을 제출할까요? 답 없는 과제 {unanswered}개, 표시한 과제 {flagged}개. 모든 과제를 지금 상태 그대로 채점합니다."
                ),
            };
            &counted
        }
        Question::LeaveExam => app.t(
            "Leave the exam? It is not graded and not saved.",
            "시험을 나갈까요? 채점하지 않고 기록도 남기지 않습니다.",
        ),
    };
    let lines = vec![
        Line::raw(text.to_string()),
        Line::default(),
        Line::from(vec![
            Span::styled(" y ", app.theme.key()),
            Span::raw(app.t("yes   ", "예   ")),
            Span::styled(" n ", app.theme.key()),
            Span::raw(app.t("no", "아니요")),
        ]),
    ];
    // As tall as the question wraps to (a count makes the hand-in question longer).
    let lines = fit(lines, centered(area, 56, 6).width.saturating_sub(2), true);
    let box_area = centered(area, 56, (lines.len() as u16 + 2).max(6));
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines).block(panel(app, app.t("Sure?", "확인"), true)),
        box_area,
    );
}

pub fn search(app: &App, frame: &mut Frame, area: Rect, query: &str, selected: usize) {
    let theme = app.theme;
    let box_area = centered(
        area,
        area.width.saturating_sub(8).min(100),
        area.height.saturating_sub(4).min(24),
    );
    let hits = app
        .index()
        .search(query, usize::from(box_area.height.saturating_sub(5)));
    let mut lines = vec![
        Line::from(vec![
            Span::styled("› ", theme.key()),
            Span::styled(format!("{}▏", clean(query)), theme.code()),
        ]),
        Line::default(),
    ];
    if query.trim().is_empty() {
        lines.push(Line::styled(
            app.t(
                "Type to search lessons, sections, cards, questions, exercises, drills and scenarios.",
                "레슨, 절, 카드, 퀴즈, 실습, 명령어 연습, 시나리오를 검색하려면 입력하세요.",
            ),
            theme.dim(),
        ));
    } else if hits.is_empty() {
        lines.push(Line::styled(
            app.t("Nothing matches.", "일치하는 항목이 없습니다."),
            theme.dim(),
        ));
    }
    for (index, hit) in hits.iter().enumerate() {
        let kind = match hit.target.kind {
            HitKind::Lesson => app.t("lesson", "레슨"),
            HitKind::Heading => app.t("section", "절"),
            HitKind::Card => app.t("card", "카드"),
            HitKind::Question => app.t("quiz", "퀴즈"),
            HitKind::Exercise => app.t("exercise", "실습"),
            HitKind::Drill => app.t("drill", "명령어"),
            HitKind::Scenario => app.t("scenario", "시나리오"),
        };
        let base = if index == selected {
            theme.selected()
        } else {
            theme.text()
        };
        let mut spans = vec![
            Span::styled(
                format!(" {} ", crate::text::pad(kind, 8)),
                if index == selected { base } else { theme.dim() },
            ),
            Span::styled(
                format!("{:<16} ", hit.target.topic),
                if index == selected { base } else { theme.dim() },
            ),
        ];
        // The matched letters stand out.
        let width = usize::from(box_area.width.saturating_sub(30));
        for (position, c) in hit.target.title.chars().take(width).enumerate() {
            let style = if hit.positions.contains(&position) {
                base.patch(theme.key())
            } else {
                base
            };
            spans.push(Span::styled(clean(&c.to_string()), style));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines).block(panel(app, app.t("Search", "검색"), true)),
        box_area,
    );
}

pub fn message(app: &App, frame: &mut Frame, area: Rect, message: &str) {
    let box_area = centered(area, 64, 7);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(fit(
            vec![Line::raw(clean(message))],
            box_area.width.saturating_sub(2),
            true,
        ))
        .block(panel(app, app.t("Note", "알림"), true)),
        box_area,
    );
    let _ = keymap::bindings;
}
