//! A topic's page: its lesson, studying its cards, then each exercise and drill with its state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::Lang;
use crate::model::ItemKind;
use crate::srs::Phase;
use crate::tui::action::Action;
use crate::tui::app::{App, Transition};
use crate::tui::ctx::{Ctx, ItemKey, Outcome, short_interval, short_interval_in, stay};
use crate::tui::keymap::Key::{Char as C, Code};
use crate::tui::keymap::{Binding, bind, global, moving};
use crate::tui::widgets::{clean, panel, truncate};
use ratatui::crossterm::event::KeyCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicRow {
    Lesson,
    Study,
    Exercise(usize),
    Scenario(usize),
    Drill(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicState {
    pub deck: usize,
    pub topic: usize,
    pub selected: usize,
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "every screen's update takes its action the same way"
)]
pub fn update(state: &mut TopicState, action: Action, ctx: &mut Ctx) -> Outcome {
    let (deck, topic) = (state.deck, state.topic);
    let rows = ctx.topic_rows(deck, topic);
    let last = rows.len() - 1;
    match action {
        Action::Up => state.selected = state.selected.saturating_sub(1),
        Action::Down => state.selected = (state.selected + 1).min(last),
        Action::Top => state.selected = 0,
        Action::Bottom => state.selected = last,
        Action::Scroll(lines) => {
            state.selected =
                (state.selected as i64 + i64::from(lines)).clamp(0, last as i64) as usize
        }
        Action::Back | Action::Left => return (Transition::Back, Vec::new()),
        Action::StudyTopic => return ctx.start_session(Some((deck, topic))),
        Action::Open | Action::Right => {
            let key = |kind, index| ItemKey {
                deck,
                topic,
                kind,
                index,
            };
            return match rows[state.selected] {
                TopicRow::Lesson => ctx.open_lesson(deck, topic, None),
                TopicRow::Study => ctx.start_session(Some((deck, topic))),
                TopicRow::Exercise(index) => ctx.open_item(key(ItemKind::Exercise, index), false),
                TopicRow::Scenario(index) => ctx.open_item(key(ItemKind::Scenario, index), false),
                TopicRow::Drill(index) => ctx.open_item(key(ItemKind::Drill, index), false),
            };
        }
        _ => {}
    }
    stay()
}

/// The screen's key bindings: the keymap's table for it, also what the footer and help show.
pub fn bindings(app: &App, _state: &TopicState) -> Vec<Binding> {
    let mut list = vec![
        bind(
            &[Code(KeyCode::Enter), C('l')],
            Action::Open,
            ("open", "열기"),
        ),
        bind(&[C('t')], Action::StudyTopic, ("study cards", "카드 학습")),
        bind(
            &[C('q'), Code(KeyCode::Esc), C('h')],
            Action::Back,
            ("back", "뒤로"),
        ),
    ];
    list.extend(moving());
    list.extend(global(app));
    list
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, state: &TopicState) {
    let (deck, topic, selected) = (state.deck, state.topic, state.selected);
    let theme = app.theme;
    let topic_ref = app.topic(deck, topic);
    let [info, list] = Layout::vertical([Constraint::Length(4), Constraint::Min(3)]).areas(area);
    let stats = app.topic_progress(deck, topic);
    let summary = topic_ref
        .summary
        .as_ref()
        .map(|summary| clean(summary.get(app.tag())))
        .unwrap_or_default();
    let counts = topic_ref.counts();
    let numbers = match app.lang {
        Lang::En => format!(
            "{} · {} · {} · {}{} · mastery {:.0}%",
            crate::text::plural(counts.cards, "card"),
            crate::text::plural(counts.questions, "question"),
            crate::text::plural(counts.exercises, "exercise"),
            crate::text::plural(counts.drills, "drill"),
            if topic_ref.scenarios.is_empty() {
                String::new()
            } else {
                format!(
                    " · {}",
                    crate::text::plural(topic_ref.scenarios.len(), "scenario")
                )
            },
            stats.mastery * 100.0
        ),
        Lang::Ko => format!(
            "카드 {} · 퀴즈 {} · 실습 {} · 명령어 {}{} · 숙련도 {:.0}%",
            counts.cards,
            counts.questions,
            counts.exercises,
            counts.drills,
            if topic_ref.scenarios.is_empty() {
                String::new()
            } else {
                format!(" · 시나리오 {}", topic_ref.scenarios.len())
            },
            stats.mastery * 100.0
        ),
    };
    frame.render_widget(
        Paragraph::new(crate::tui::widgets::fit(
            vec![Line::raw(summary), Line::styled(numbers, theme.dim())],
            info.width.saturating_sub(2),
            true,
        ))
        .block(panel(app, topic_ref.title.get(app.tag()), false)),
        info,
    );
    let rows = app.topic_rows(deck, topic);
    let new_cards = app.topic_new_cards(deck, topic);
    let mut lines = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let style = crate::tui::widgets::style_if(index == selected, theme.selected());
        let marker = if index == selected { "▶ " } else { "  " };
        let (label, status) = match *row {
            TopicRow::Lesson => (
                format!("📖 {}", app.t("Read the lesson", "레슨 읽기")),
                String::new(),
            ),
            TopicRow::Study => {
                let text = match app.lang {
                    Lang::En => format!(
                        "🃏 Study the cards and questions ({} due, {} new)",
                        stats.due, new_cards
                    ),
                    Lang::Ko => format!(
                        "🃏 카드와 퀴즈 학습 (예정 {}, 새 항목 {})",
                        stats.due, new_cards
                    ),
                };
                (text, String::new())
            }
            TopicRow::Exercise(index) => {
                let key = ItemKey {
                    deck,
                    topic,
                    kind: crate::model::ItemKind::Exercise,
                    index,
                };
                // A parameterized exercise is listed as the variant opening it shows.
                let exercise = topic_ref.exercises[index].variant(app.variant_of(key));
                (
                    format!("✎ {}", clean(exercise.title.get(app.tag()))),
                    status(app, key),
                )
            }
            TopicRow::Scenario(index) => {
                let key = ItemKey {
                    deck,
                    topic,
                    kind: crate::model::ItemKind::Scenario,
                    index,
                };
                let scenario = topic_ref.scenarios[index].variant(app.variant_of(key));
                (
                    format!("⚙ {}", clean(scenario.title.get(app.tag()))),
                    status(app, key),
                )
            }
            TopicRow::Drill(index) => {
                let key = ItemKey {
                    deck,
                    topic,
                    kind: crate::model::ItemKind::Drill,
                    index,
                };
                let drill = topic_ref.drills[index].variant(app.variant_of(key));
                (
                    format!("$ {}", clean(&first_line(drill.prompt.get(app.tag())))),
                    status(app, key),
                )
            }
        };
        lines.push(Line::from(vec![
            Span::styled(marker, style),
            Span::styled(
                truncate(&label, usize::from(area.width.saturating_sub(16))),
                style,
            ),
            Span::styled(format!("  {status}"), theme.dim()),
        ]));
    }
    let height = usize::from(list.height.saturating_sub(2));
    let scroll = selected.saturating_sub(height.saturating_sub(2));
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(panel(app, app.t("Contents", "내용"), true)),
        list,
    );
}

/// An item's state in a word: new, due, or when it is due.
fn status(app: &App, key: ItemKey) -> String {
    match app.progress.states.get(&key) {
        None => app.t("new", "새 항목").to_string(),
        Some(state) if state.due <= app.now => app.t("due", "예정").to_string(),
        Some(state) if state.phase == Phase::Review => match app.lang {
            Lang::En => format!("in {}", short_interval(app.now, state.due)),
            Lang::Ko => format!("{} 후", short_interval_in(Lang::Ko, app.now, state.due)),
        },
        Some(_) => app.t("learning", "학습 중").to_string(),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().replace('`', "")
}
