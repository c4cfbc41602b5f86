//! The end of a session: how many of each rating, how long it took, what is left for today.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::Lang;
use crate::tui::action::Action;
use crate::tui::app::{App, Transition};
use crate::tui::ctx::{Outcome, stay};
use crate::tui::keymap::Key::{Char as C, Code};
use crate::tui::keymap::{Binding, bind, global};
use crate::tui::widgets::{clean, panel};
use ratatui::crossterm::event::KeyCode;

#[derive(Debug, Clone, PartialEq)]
pub struct SummaryState {
    pub title: String,
    pub ratings: [usize; 4],
    pub minutes: f64,
    pub remaining: usize,
}

/// Enter or Esc goes back; `c` (a global key) studies on.
#[expect(
    clippy::needless_pass_by_value,
    reason = "every screen's update takes its action the same way"
)]
pub fn update(action: Action) -> Outcome {
    match action {
        Action::Back | Action::Open => (Transition::Back, Vec::new()),
        _ => stay(),
    }
}

/// The screen's key bindings: the keymap's table for it, also what the footer and help show.
pub fn bindings(app: &App, _state: &SummaryState) -> Vec<Binding> {
    let mut list = vec![
        bind(
            &[Code(KeyCode::Enter), C('q'), Code(KeyCode::Esc)],
            Action::Back,
            ("home", "홈"),
        ),
        bind(&[C('c')], Action::Continue, ("study more", "더 학습")),
    ];
    list.extend(global(app));
    list
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, summary: &SummaryState) {
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
        (Lang::Ko, 0) => format!("1분도 안 되어 {total}개에 답했습니다."),
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
            Lang::En if summary.remaining == 1 => "1 item was left for later.".to_string(),
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
        super::cards::reading_area(area),
    );
}
