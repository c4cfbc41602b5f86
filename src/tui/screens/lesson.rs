//! The lesson reader: the rendered Markdown, a scroll position, an optional table of contents.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::{clean, panel};
use crate::tui::app::{App, LessonState};

pub fn lesson(app: &App, frame: &mut Frame, area: Rect, lesson: &LessonState) {
    let theme = app.theme;
    let (toc_area, text_area) = if lesson.toc {
        let [toc, text] =
            Layout::horizontal([Constraint::Length(30), Constraint::Min(20)]).areas(area);
        (Some(toc), text)
    } else {
        (None, area)
    };
    let total = lesson.rendered.lines.len();
    let height = usize::from(text_area.height.saturating_sub(2));
    let percent = if total <= height {
        100
    } else {
        (lesson.scroll + height).min(total) * 100 / total
    };
    let title = format!(
        "{} · {percent}%",
        app.topic(lesson.deck, lesson.topic).title.get(app.tag())
    );
    frame.render_widget(
        Paragraph::new(lesson.rendered.lines.clone())
            .scroll((lesson.scroll.min(u16::MAX as usize) as u16, 0))
            .block(panel(app, &title, !lesson.toc)),
        text_area,
    );
    // The chosen link: a marker at its line, and where it leads.
    if let Some(link) = lesson
        .link
        .and_then(|index| lesson.rendered.links.get(index))
        && link.line >= lesson.scroll
        && link.line < lesson.scroll + height
    {
        let row = text_area.y + 1 + (link.line - lesson.scroll) as u16;
        frame.render_widget(
            Span::styled("›", theme.key()),
            Rect {
                x: text_area.x,
                y: row,
                width: 1,
                height: 1,
            },
        );
        let hint = format!(" Enter → {} ", clean(&link.target));
        let width = (unicode_width::UnicodeWidthStr::width(hint.as_str()) as u16)
            .min(text_area.width.saturating_sub(2));
        frame.render_widget(
            Span::styled(hint, theme.selected()),
            Rect {
                x: text_area.x + text_area.width.saturating_sub(width + 1),
                y: text_area.y + text_area.height - 1,
                width,
                height: 1,
            },
        );
    }
    if total > height {
        let mut state = ScrollbarState::new(total.saturating_sub(height)).position(lesson.scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight).style(theme.border()),
            text_area,
            &mut state,
        );
    }
    if let Some(toc_area) = toc_area {
        let lines: Vec<Line> = lesson
            .rendered
            .headings
            .iter()
            .enumerate()
            .map(|(index, heading)| {
                let style = if index == lesson.toc_selected {
                    theme.selected()
                } else {
                    theme.text()
                };
                let indent = "  ".repeat(usize::from(heading.level.saturating_sub(1)));
                Line::from(Span::styled(
                    format!("{indent}{}", clean(&heading.text)),
                    style,
                ))
            })
            .collect();
        let height = usize::from(toc_area.height.saturating_sub(2));
        let scroll = lesson.toc_selected.saturating_sub(height.saturating_sub(2));
        frame.render_widget(
            Paragraph::new(lines)
                .scroll((scroll as u16, 0))
                .block(panel(app, app.t("Contents", "목차"), true)),
            toc_area,
        );
    }
}
