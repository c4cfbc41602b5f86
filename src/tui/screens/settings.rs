//! Settings: the interface language (switched at once), the exam date, desired retention,
//! daily limits, when a day starts. Enter edits a value; the runner saves and checks it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::Lang;
use crate::store::Setting;
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, Screen, Transition};
use crate::tui::ctx::{Ctx, Outcome, stay, stay_with};
use crate::tui::keymap::Key::{Char as C, Code};
use crate::tui::keymap::{Binding, bind, global, moving, quiet, typing_global};
use crate::tui::widgets::line::edit_line;
use crate::tui::widgets::{clean, panel};
use ratatui::crossterm::event::KeyCode;

/// The rows of the settings screen, in order.
pub const SETTINGS_ROWS: [Setting; 6] = [
    Setting::Language,
    Setting::ExamDate,
    Setting::DesiredRetention,
    Setting::NewPerDay,
    Setting::ReviewsPerDay,
    Setting::DayStartsAt,
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsState {
    pub selected: usize,
    /// The value being typed, while one is edited.
    pub editing: Option<String>,
}

pub fn open() -> Outcome {
    (
        Transition::Go(Screen::Settings(SettingsState::default())),
        Vec::new(),
    )
}

pub fn update(state: &mut SettingsState, action: Action, ctx: &mut Ctx) -> Outcome {
    let rows = SETTINGS_ROWS;
    if let Some(text) = &mut state.editing {
        match action {
            Action::Open => {
                let text = state.editing.take().unwrap_or_default();
                return stay_with(vec![Effect::SaveSetting(rows[state.selected], text)]);
            }
            Action::Back => state.editing = None,
            Action::Key(key) => edit_line(text, None, key),
            Action::Paste(paste) => text.push_str(paste.trim()),
            _ => {}
        }
        return stay();
    }
    match action {
        Action::Up => state.selected = state.selected.saturating_sub(1),
        Action::Down => state.selected = (state.selected + 1).min(rows.len() - 1),
        Action::Left | Action::Right | Action::Open
            if rows[state.selected] == Setting::Language =>
        {
            ctx.lang = match ctx.lang {
                Lang::En => Lang::Ko,
                Lang::Ko => Lang::En,
            };
            ctx.reset_index();
            return stay_with(vec![Effect::SaveSetting(
                Setting::Language,
                ctx.lang.tag().to_string(),
            )]);
        }
        Action::Open => state.editing = Some(ctx.setting_text(rows[state.selected])),
        Action::Back | Action::Left => return (Transition::Back, Vec::new()),
        _ => {}
    }
    stay()
}

/// The screen's key bindings: the keymap's table for it, also what the footer and help show.
pub fn bindings(app: &App, settings: &SettingsState) -> Vec<Binding> {
    if settings.editing.is_some() {
        let mut list = vec![
            bind(&[Code(KeyCode::Enter)], Action::Open, ("save", "저장")),
            bind(&[Code(KeyCode::Esc)], Action::Back, ("cancel", "취소")),
        ];
        list.extend(typing_global());
        list
    } else {
        let mut list = vec![
            bind(&[Code(KeyCode::Enter)], Action::Open, ("change", "변경")),
            quiet(
                &[Code(KeyCode::Left), Code(KeyCode::Right)],
                Action::Right,
                ("switch language", "언어 전환"),
            ),
            bind(
                &[C('q'), Code(KeyCode::Esc)],
                Action::Back,
                ("back", "뒤로"),
            ),
        ];
        list.extend(moving());
        list.extend(global(app));
        list
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, state: &SettingsState) {
    let (selected, editing) = (state.selected, state.editing.as_deref());
    let theme = app.theme;
    let mut lines = Vec::new();
    for (index, setting) in SETTINGS_ROWS.iter().enumerate() {
        let name = match setting {
            Setting::Language => app.t("Language", "언어"),
            Setting::ExamDate => app.t("Exam date", "시험일"),
            Setting::DesiredRetention => app.t("Desired retention", "목표 기억률"),
            Setting::NewPerDay => app.t("New items a day", "하루 새 항목 수"),
            Setting::ReviewsPerDay => app.t("Reviews a day", "하루 복습 수"),
            Setting::DayStartsAt => app.t("Day starts at (hour)", "하루 시작 시각(시)"),
            _ => "",
        };
        let value = match (editing, index == selected) {
            (Some(text), true) => format!("{}▏", clean(text)),
            _ => {
                let value = app.setting_text(*setting);
                match (setting, value.is_empty()) {
                    (Setting::Language, _) => {
                        if app.lang == Lang::Ko {
                            "한국어 (ko)".to_string()
                        } else {
                            "English (en)".to_string()
                        }
                    }
                    (_, true) => app.t("not set", "설정 안 함").to_string(),
                    _ => value,
                }
            }
        };
        let style = if index == selected {
            theme.selected()
        } else {
            theme.text()
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", crate::text::pad(name, 26)), style),
            Span::styled(
                format!(" {value}"),
                if editing.is_some() && index == selected {
                    theme.code()
                } else {
                    theme.text()
                },
            ),
        ]));
        if index == selected {
            let help = match setting {
                Setting::Language => app.t("Enter or ←/→ switches; lessons and the interface follow at once.", "Enter나 ←/→로 바꿉니다. 레슨과 화면 언어가 바로 바뀝니다."),
                Setting::ExamDate => app.t("YYYY-MM-DD. As it nears, reviews aim higher and nothing weak is left for after it. Empty to unset.", "YYYY-MM-DD 형식입니다. 시험이 다가올수록 목표 기억률이 높아지고, 약한 항목은 시험 뒤로 미뤄지지 않습니다. 비우면 해제합니다."),
                Setting::DesiredRetention => app.t("0.70–0.99: the chance of remembering an item when it comes back (default 0.90).", "0.70–0.99: 항목이 다시 나올 때 기억하고 있을 확률입니다(기본값 0.90)."),
                Setting::NewPerDay => app.t("New cards, questions, exercises and drills a day, per deck (default 20).", "덱마다 하루에 새로 보는 카드·퀴즈·실습·명령어 연습 수입니다(기본값 20)."),
                Setting::ReviewsPerDay => app.t("Reviews a day, per deck (default 200).", "덱마다 하루 복습 수입니다(기본값 200)."),
                Setting::DayStartsAt => app.t("0–23: the hour a new study day starts (default 4).", "0–23: 새 학습일이 시작되는 시각입니다(기본값 4시)."),
                _ => "",
            };
            lines.push(Line::styled(format!("   {help}"), theme.dim()));
        }
    }
    frame.render_widget(
        Paragraph::new(lines).block(panel(app, app.t("Settings", "설정"), true)),
        area,
    );
}
