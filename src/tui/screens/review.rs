//! Reviewing: a flashcard (front, then the answer and four ratings with their next intervals,
//! as Anki shows them), a quiz question, and the session's summary.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{clean, markdown_lines, panel};
use crate::i18n::Lang;
use crate::model::{ItemRef, QuestionAnswer};
use crate::srs::{ItemState, Rating};
use crate::tui::app::{App, CardState, QuestionState, SummaryState, short_interval};

/// The area the study text is set in: not wider than reads well.
fn reading_area(area: Rect) -> Rect {
    let width = area.width.min(90);
    Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    }
}

fn where_from(app: &App, key: crate::tui::app::ItemKey, kind: (&str, &str)) -> String {
    format!(
        "{} · {}",
        app.topic(key.deck, key.topic).title.get(app.tag()),
        app.t(kind.0, kind.1)
    )
}

pub fn card(app: &App, frame: &mut Frame, area: Rect, state: &CardState) {
    let theme = app.theme;
    let ItemRef::Card(card) = app.item(state.key) else {
        return;
    };
    let area = reading_area(area);
    let width = area.width.saturating_sub(4);
    let mut lines = markdown_lines(app, card.front.get(app.tag()), width);
    lines.push(Line::default());
    if state.revealed {
        lines.push(Line::styled("─".repeat(usize::from(width)), theme.border()));
        lines.push(Line::default());
        lines.extend(markdown_lines(app, card.back.get(app.tag()), width));
        if let Some(explain) = &card.explain {
            lines.push(Line::default());
            for line in markdown_lines(app, explain.get(app.tag()), width) {
                lines.push(line.patch_style(theme.dim()));
            }
        }
    } else {
        lines.push(Line::styled(
            app.t(
                "Recall the answer, then press Space.",
                "답을 떠올린 뒤 Space를 누르세요.",
            ),
            theme.dim(),
        ));
    }
    let lines = super::fit(lines, area.width.saturating_sub(2), false);
    // The card is as tall as its text, with the ratings right under it.
    let height = (lines.len() as u16 + 2).clamp(5, area.height.saturating_sub(3));
    let [text_area, ratings, _] = Layout::vertical([
        Constraint::Length(height),
        Constraint::Length(3),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(lines).block(panel(
            app,
            &where_from(app, state.key, ("card", "카드")),
            true,
        )),
        text_area,
    );
    if state.revealed {
        let before = app_state(app, state.key);
        let fuzz = app
            .entry(state.key)
            .fuzz(before.as_ref().map_or(0, |state| state.reps));
        let preview = app.scheduler.preview(
            before.as_ref().unwrap_or(&ItemState::new(app.now)),
            app.now,
            fuzz,
        );
        let names = [
            (Rating::Again, app.t("Again", "다시")),
            (Rating::Hard, app.t("Hard", "어려움")),
            (Rating::Good, app.t("Good", "알맞음")),
            (Rating::Easy, app.t("Easy", "쉬움")),
        ];
        let mut spans = Vec::new();
        for ((rating, name), next) in names.iter().zip(preview.iter()) {
            let style = match rating {
                Rating::Again => theme.bad(),
                Rating::Hard => theme.warn(),
                Rating::Good => theme.good(),
                Rating::Easy => theme.title(),
            };
            spans.push(Span::styled(format!(" {} ", rating.number()), theme.key()));
            spans.push(Span::styled(format!("{name} "), style));
            spans.push(Span::styled(
                format!("{:<6}", short_interval(app.now, next.due)),
                theme.dim(),
            ));
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)).block(panel(
                app,
                app.t("How well did you recall it?", "얼마나 잘 떠올렸나요?"),
                false,
            )),
            ratings,
        );
    }
}

/// The item's state before this review, as the session saw it.
fn app_state(app: &App, key: crate::tui::app::ItemKey) -> Option<ItemState> {
    if let Some(session) = &app.session
        && let Some((queued, state)) = session.items.get(session.position)
        && *queued == key
    {
        return state.clone();
    }
    app.progress.states.get(&key).cloned()
}

pub fn question(app: &App, frame: &mut Frame, area: Rect, state: &QuestionState) {
    let theme = app.theme;
    let ItemRef::Question(question) = app.item(state.key) else {
        return;
    };
    let area = reading_area(area);
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
                let mark = match (state.result, marked, right) {
                    (Some(_), _, true) => "✓",
                    (Some(_), true, false) => "✗",
                    (_, true, _) => "●",
                    _ => "○",
                };
                let style = match (state.result, right, marked) {
                    (Some(_), true, _) => theme.good(),
                    (Some(_), false, true) => theme.bad(),
                    (None, _, _) if index == state.cursor => theme.selected(),
                    _ => theme.text(),
                };
                let mut spans = vec![
                    Span::styled(format!(" {} ", index + 1), theme.key()),
                    Span::styled(format!("{mark} "), style),
                ];
                spans.extend(super::inline_code(
                    option.get(app.tag()),
                    style,
                    theme.code(),
                ));
                lines.push(Line::from(spans));
            }
        }
        QuestionAnswer::TypeIn { accept } => {
            let shown = format!("> {}", clean(&state.input));
            lines.push(Line::styled(
                if state.result.is_none() {
                    format!("{shown}▏")
                } else {
                    shown
                },
                theme.code(),
            ));
            if state.result == Some(false) {
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
    if let Some(correct) = state.result {
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
        Paragraph::new(super::fit(lines, area.width.saturating_sub(2), false)).block(panel(
            app,
            &where_from(app, state.key, ("question", "퀴즈")),
            true,
        )),
        area,
    );
}

pub fn summary(app: &App, frame: &mut Frame, area: Rect, summary: &SummaryState) {
    let theme = app.theme;
    let total: usize = summary.ratings.iter().sum();
    let mut lines = vec![
        Line::styled(clean(&summary.title), theme.heading(2)),
        Line::default(),
    ];
    let minutes = summary.minutes.round() as u64;
    lines.push(Line::raw(match (app.lang, minutes) {
        (Lang::En, 0) => format!(
            "{total} {} in under a minute.",
            if total == 1 { "answer" } else { "answers" }
        ),
        (Lang::En, 1) => format!(
            "{total} {} in 1 minute.",
            if total == 1 { "answer" } else { "answers" }
        ),
        (Lang::En, _) => format!(
            "{total} {} in {minutes} minutes.",
            if total == 1 { "answer" } else { "answers" }
        ),
        (Lang::Ko, 0) => format!("1분이 안 되는 동안 {total}개에 답했습니다."),
        (Lang::Ko, _) => format!("{minutes}분 동안 {total}개에 답했습니다."),
    }));
    let names = [
        app.t("Again", "다시"),
        app.t("Hard", "어려움"),
        app.t("Good", "알맞음"),
        app.t("Easy", "쉬움"),
    ];
    let styles = [theme.bad(), theme.warn(), theme.good(), theme.title()];
    let mut spans = Vec::new();
    for ((count, name), style) in summary.ratings.iter().zip(names).zip(styles) {
        spans.push(Span::styled(format!("{name} {count}   "), style));
    }
    lines.push(Line::from(spans));
    if total > 0 {
        let remembered = total - summary.ratings[0];
        lines.push(Line::styled(
            match app.lang {
                Lang::En => format!(
                    "Remembered {remembered} of {total} ({:.0}%).",
                    remembered as f64 * 100.0 / total as f64
                ),
                Lang::Ko => format!(
                    "{total}개 중 {remembered}개를 기억했습니다({:.0}%).",
                    remembered as f64 * 100.0 / total as f64
                ),
            },
            theme.dim(),
        ));
    }
    if summary.remaining > 0 {
        lines.push(Line::raw(match app.lang {
            Lang::En => format!("{} items were left for later.", summary.remaining),
            Lang::Ko => format!("{}개는 다음으로 미뤘습니다.", summary.remaining),
        }));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        app.t(
            "Press c to study more, Enter to go home.",
            "c를 누르면 더 학습하고, Enter를 누르면 홈으로 갑니다.",
        ),
        theme.dim(),
    ));
    frame.render_widget(
        Paragraph::new(lines).block(panel(app, app.t("Done", "완료"), true)),
        reading_area(area),
    );
}
