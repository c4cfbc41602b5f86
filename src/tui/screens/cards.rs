//! A flashcard: its front, then (Space) its back and the four ratings with the next interval
//! each would give, as Anki shows them. A card's life is [`CardPhase`]: Front → Back → Rated
//! (the rating is being saved; the session then moves on).

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::ItemRef;
use crate::srs::{ItemState, Rating};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::ctx::{Ctx, ItemKey, Outcome, short_interval_in, stay, stay_with};
use crate::tui::keymap::Key::{Char as C, Code};
use crate::tui::keymap::{Binding, bind, global};
use crate::tui::widgets::{fit, markdown_lines, panel};
use ratatui::crossterm::event::KeyCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardPhase {
    /// The question side: recall the answer.
    Front,
    /// The answer is shown; the learner rates their recall.
    Back,
    /// The rating is being saved.
    Rated(Rating),
}

#[derive(Debug, Clone)]
pub struct CardState {
    pub key: ItemKey,
    pub phase: CardPhase,
    pub shown_at: Timestamp,
}

impl CardState {
    pub fn new(key: ItemKey, now: Timestamp) -> CardState {
        CardState {
            key,
            phase: CardPhase::Front,
            shown_at: now,
        }
    }

    /// Whether the answer side is shown.
    pub fn revealed(&self) -> bool {
        self.phase != CardPhase::Front
    }
}

pub fn update(card: &mut CardState, action: Action, ctx: &mut Ctx) -> Outcome {
    match (card.phase, action) {
        (CardPhase::Front, Action::Reveal | Action::Open) => card.phase = CardPhase::Back,
        (CardPhase::Back, Action::Rate(rating)) => {
            card.phase = CardPhase::Rated(rating);
            let took = ctx.now.duration_since(card.shown_at);
            return stay_with(vec![ctx.rate(card.key, rating, took, None)]);
        }
        // Saved: a card moves on at once.
        (_, Action::Rated { .. }) => return ctx.next_item(),
        (_, Action::Undo) => return ctx.undo(),
        (_, Action::Back) => return ctx.ask_end_or_back(),
        _ => {}
    }
    stay()
}

/// The area the study text is set in: not wider than reads well.
pub(super) fn reading_area(area: Rect) -> Rect {
    let width = area.width.min(90);
    Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    }
}

pub(super) fn where_from(app: &App, key: ItemKey, kind: (&str, &str)) -> String {
    format!(
        "{} · {}",
        app.topic(key.deck, key.topic).title.get(app.tag()),
        app.t(kind.0, kind.1)
    )
}

/// The screen's key bindings: the keymap's table for it, also what the footer and help show.
pub fn bindings(app: &App, card: &CardState) -> Vec<Binding> {
    let mut list = if card.revealed() {
        vec![
            bind(&[C('1')], Action::Rate(Rating::Again), ("again", "다시")),
            bind(&[C('2')], Action::Rate(Rating::Hard), ("hard", "어려움")),
            bind(
                &[C('3'), C(' '), Code(KeyCode::Enter)],
                Action::Rate(Rating::Good),
                ("good", "알맞음"),
            ),
            bind(&[C('4')], Action::Rate(Rating::Easy), ("easy", "쉬움")),
        ]
    } else {
        vec![bind(
            &[C(' '), Code(KeyCode::Enter)],
            Action::Reveal,
            ("show answer", "답 보기"),
        )]
    };
    list.push(bind(&[C('u')], Action::Undo, ("undo", "되돌리기")));
    list.push(bind(
        &[C('q'), Code(KeyCode::Esc)],
        Action::Back,
        ("end", "끝내기"),
    ));
    list.extend(global(app));
    list
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, state: &CardState) {
    let theme = app.theme;
    let ItemRef::Card(card) = app.item(state.key) else {
        return;
    };
    let area = reading_area(area);
    let width = area.width.saturating_sub(4);
    let mut lines = markdown_lines(app, card.front.get(app.tag()), width);
    lines.push(Line::default());
    if state.revealed() {
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
    let lines = fit(lines, area.width.saturating_sub(2), false);
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
    if state.revealed() {
        let before = app.state_of(state.key);
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
                crate::text::pad(&short_interval_in(app.lang, app.now, next.due), 6),
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
