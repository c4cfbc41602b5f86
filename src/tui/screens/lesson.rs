//! The lesson reader: the rendered Markdown, a scroll position, an optional table of contents,
//! links chosen with Tab and followed with Enter. Leaving saves where the learner was.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, Transition};
use crate::tui::ctx::{Ctx, Outcome, lesson_width, render_lesson, stay};
use crate::tui::keymap::Key::{Char as C, Code};
use crate::tui::keymap::{Binding, bind, global, moving, quiet};
use crate::tui::markdown::{Heading, Rendered};
use crate::tui::theme::Theme;
use crate::tui::widgets::{clean, panel, truncate};
use ratatui::crossterm::event::KeyCode;

#[derive(Debug, Clone)]
pub struct LessonState {
    pub deck: usize,
    pub topic: usize,
    pub rendered: Rendered,
    pub scroll: usize,
    /// The table of contents, when open: the heading under its cursor.
    pub contents: Option<usize>,
    /// The link chosen with Tab (an index into `rendered.links`).
    pub link: Option<usize>,
    /// Opened as an entry of a study session: a key moves on to the session's next entry.
    pub in_session: bool,
    /// Read to its end (now or before): marked once.
    pub read: bool,
}

impl LessonState {
    /// A topic's lesson at a heading's line of the Markdown source, or where it was left.
    pub fn open(ctx: &Ctx, deck: usize, topic: usize, source_line: Option<usize>) -> LessonState {
        let width = lesson_width(ctx.size, false);
        let text = ctx.topic(deck, topic).lesson.get(ctx.tag());
        let rendered = render_lesson(ctx, deck, topic, width);
        // A heading's line in the Markdown source → its line on screen.
        let scroll = match source_line {
            Some(line) => crate::search::headings(text)
                .iter()
                .position(|(at, _)| *at == line)
                .and_then(|index| {
                    // Headings of level 2–4 in the source; the rendered list also has the title.
                    let rendered_headings: Vec<_> = rendered
                        .headings
                        .iter()
                        .filter(|h| (2..=4).contains(&h.level))
                        .collect();
                    rendered_headings.get(index).map(|h| h.line)
                })
                .unwrap_or(0),
            None => ctx
                .progress
                .positions
                .get(&(deck, topic))
                .copied()
                .unwrap_or(0),
        };
        let scroll = scroll.min(rendered.lines.len().saturating_sub(1));
        LessonState {
            deck,
            topic,
            rendered,
            scroll,
            contents: None,
            link: None,
            in_session: false,
            read: ctx.progress.lessons_read.contains(&(deck, topic)),
        }
    }

    /// Whether the end of the lesson is on screen.
    fn end_in_view(&self, ctx: &Ctx) -> bool {
        let height = usize::from(ctx.size.1.saturating_sub(4)).max(1);
        self.scroll + height >= self.rendered.lines.len()
    }

    /// Lays the lesson out again when its width changed, keeping the section in view.
    fn rewrap(&mut self, ctx: &Ctx) {
        let width = lesson_width(ctx.size, self.contents.is_some());
        if width == self.rendered.width {
            return;
        }
        let anchor = self
            .rendered
            .headings
            .iter()
            .rev()
            .find(|h| h.line <= self.scroll)
            .map(|h| h.text.clone());
        self.rendered = render_lesson(ctx, self.deck, self.topic, width);
        if let Some(anchor) = anchor
            && let Some(heading) = self.rendered.headings.iter().find(|h| h.text == anchor)
        {
            self.scroll = heading.line;
        }
    }

    fn save_position(&self) -> Effect {
        Effect::SavePosition {
            deck: self.deck,
            topic: self.topic,
            line: self.scroll,
        }
    }
}

/// Leaving the lesson remembers where it was left.
pub fn leave(lesson: &LessonState, ctx: &mut Ctx) -> Vec<Effect> {
    ctx.progress
        .positions
        .insert((lesson.deck, lesson.topic), lesson.scroll);
    vec![lesson.save_position()]
}

pub fn update(lesson: &mut LessonState, action: Action, ctx: &mut Ctx) -> Outcome {
    let (transition, mut effects) = match action {
        // In a session: on to what the lesson taught (its place is saved as it is left).
        Action::Next if lesson.in_session => ctx.next_item(),
        Action::Back | Action::Left if lesson.in_session => ctx.ask_end_or_back(),
        action => navigate(lesson, action, ctx),
    };
    // Read to its end: the lesson leaves the queue (once; reading it again changes nothing).
    if !lesson.read && lesson.end_in_view(ctx) {
        lesson.read = true;
        ctx.progress
            .lessons_read
            .insert((lesson.deck, lesson.topic));
        effects.push(Effect::LessonRead {
            deck: lesson.deck,
            topic: lesson.topic,
        });
    }
    (transition, effects)
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "every screen's update takes its action the same way"
)]
fn navigate(lesson: &mut LessonState, action: Action, ctx: &mut Ctx) -> Outcome {
    if let Action::Resize(..) = action {
        lesson.rewrap(ctx);
        return stay();
    }
    let height = usize::from(ctx.size.1.saturating_sub(4)).max(1);
    let last = lesson.rendered.lines.len().saturating_sub(1);
    let headings = &lesson.rendered.headings;
    if let Some(selected) = lesson.contents {
        match action {
            Action::Up => lesson.contents = Some(selected.saturating_sub(1)),
            Action::Down => {
                lesson.contents = Some((selected + 1).min(headings.len().saturating_sub(1)))
            }
            Action::Open | Action::Right => {
                if let Some(heading) = headings.get(selected) {
                    lesson.scroll = heading.line;
                }
                lesson.contents = None;
                lesson.rewrap(ctx);
            }
            Action::ToggleToc | Action::Back | Action::Left => {
                lesson.contents = None;
                lesson.rewrap(ctx);
            }
            _ => {}
        }
        return stay();
    }
    match action {
        Action::Up => {
            lesson.scroll = lesson.scroll.saturating_sub(1);
            lesson.link = None;
        }
        Action::Down => {
            lesson.scroll = (lesson.scroll + 1).min(last);
            lesson.link = None;
        }
        Action::PageUp => lesson.scroll = lesson.scroll.saturating_sub(height),
        Action::PageDown => lesson.scroll = (lesson.scroll + height).min(last),
        Action::Top => lesson.scroll = 0,
        Action::Bottom => lesson.scroll = last.saturating_sub(height / 2),
        Action::Scroll(lines) => {
            lesson.scroll = (lesson.scroll as i64 + i64::from(lines)).clamp(0, last as i64) as usize
        }
        Action::NextHeading => {
            if let Some(heading) = headings.iter().find(|h| h.line > lesson.scroll) {
                lesson.scroll = heading.line;
            }
        }
        Action::PreviousHeading => {
            if let Some(heading) = headings.iter().rev().find(|h| h.line < lesson.scroll) {
                lesson.scroll = heading.line;
            }
        }
        Action::ToggleToc => {
            lesson.contents = Some(
                headings
                    .iter()
                    .rposition(|h| h.line <= lesson.scroll)
                    .unwrap_or(0),
            );
            lesson.rewrap(ctx);
        }
        Action::NextLink | Action::PreviousLink => {
            let links = &lesson.rendered.links;
            let visible = |line: usize| line >= lesson.scroll && line < lesson.scroll + height;
            let order: Vec<usize> = (0..links.len())
                .filter(|index| visible(links[*index].line))
                .collect();
            lesson.link = match (
                lesson
                    .link
                    .and_then(|current| order.iter().position(|index| *index == current)),
                matches!(action, Action::NextLink),
            ) {
                (None, _) => order.first().copied(),
                (Some(at), true) => order.get(at + 1).or(order.first()).copied(),
                (Some(at), false) => order.get(at.wrapping_sub(1)).or(order.last()).copied(),
            };
        }
        Action::Open => {
            if let Some(link) = lesson
                .link
                .and_then(|index| lesson.rendered.links.get(index))
            {
                return follow_link(ctx, lesson.deck, lesson.topic, &link.target);
            }
        }
        Action::StudyTopic => {
            // The lesson stays under the session, so its place is saved now.
            let (transition, mut effects) = ctx.start_session(Some((lesson.deck, lesson.topic)));
            effects.push(lesson.save_position());
            return (transition, effects);
        }
        Action::Back | Action::Left => return (Transition::Back, Vec::new()),
        _ => {}
    }
    stay()
}

/// Opens what a lesson link points at: an item, another topic's lesson, or (for a web page,
/// which a terminal cannot open) its address in a message.
fn follow_link(ctx: &mut Ctx, deck: usize, topic: usize, target: &str) -> Outcome {
    match target.split_once(':') {
        Some(("topic", id)) => match ctx
            .deck(deck)
            .topics
            .iter()
            .position(|t| t.id.as_str() == id)
        {
            Some(index) => ctx.open_lesson(deck, index, None),
            None => stay(),
        },
        Some(("card" | "question" | "exercise" | "drill", id)) => {
            match ctx.find_item(deck, topic, id) {
                Some(key) => ctx.open_item(key, false),
                None => stay(),
            }
        }
        _ => {
            ctx.toast(crate::text::escape_controls(target).into_owned());
            stay()
        }
    }
}

/// The screen's key bindings: the keymap's table for it, also what the footer and help show.
pub fn bindings(app: &App, lesson: &LessonState) -> Vec<Binding> {
    if lesson.contents.is_some() {
        vec![
            bind(&[Code(KeyCode::Enter)], Action::Open, ("go to", "이동")),
            quiet(&[C('k'), Code(KeyCode::Up)], Action::Up, ("up", "위로")),
            quiet(
                &[C('j'), Code(KeyCode::Down)],
                Action::Down,
                ("down", "아래로"),
            ),
            bind(
                &[C('t'), Code(KeyCode::Esc), C('q')],
                Action::ToggleToc,
                ("close contents", "목차 닫기"),
            ),
        ]
    } else {
        let mut list = Vec::new();
        // In a session the way on comes first, so a narrow footer keeps it; `c` there moves on
        // to what the lesson taught instead of starting a topic session.
        if lesson.in_session {
            list.push(bind(
                &[C('c')],
                Action::Next,
                ("continue to practice", "이어서 연습"),
            ));
        }
        list.extend([
            bind(&[C('t')], Action::ToggleToc, ("contents", "목차")),
            bind(
                &[C(']'), C('n')],
                Action::NextHeading,
                ("next section", "다음 절"),
            ),
            bind(
                &[C('['), C('p')],
                Action::PreviousHeading,
                ("previous section", "이전 절"),
            ),
            bind(&[C('c')], Action::StudyTopic, ("study cards", "카드 학습")),
            bind(&[Code(KeyCode::Tab)], Action::NextLink, ("links", "링크")),
            quiet(
                &[Code(KeyCode::BackTab)],
                Action::PreviousLink,
                ("previous link", "이전 링크"),
            ),
            quiet(
                &[Code(KeyCode::Enter)],
                Action::Open,
                ("follow the link", "링크 열기"),
            ),
            quiet(&[C(' ')], Action::PageDown, ("page down", "한 쪽 아래")),
            bind(
                &[C('q'), Code(KeyCode::Esc)],
                Action::Back,
                ("back", "뒤로"),
            ),
        ]);
        if lesson.in_session {
            list.retain(|binding| !matches!(binding.action, Action::StudyTopic));
        }
        list.extend(moving());
        list.extend(global(app));
        list
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, lesson: &LessonState) {
    let theme = app.theme;
    let (toc_area, text_area) = if lesson.contents.is_some() {
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
            .block(panel(app, &title, lesson.contents.is_none())),
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
        // On the frame's right side, between its corners.
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight).style(theme.border()),
            text_area.inner(ratatui::layout::Margin {
                vertical: 1,
                horizontal: 0,
            }),
            &mut state,
        );
    }
    if let Some(toc_area) = toc_area {
        let lines = contents_lines(
            theme,
            &lesson.rendered.headings,
            lesson.contents,
            usize::from(toc_area.width.saturating_sub(2)),
        );
        let height = usize::from(toc_area.height.saturating_sub(2));
        let scroll = lesson
            .contents
            .unwrap_or(0)
            .saturating_sub(height.saturating_sub(2));
        frame.render_widget(
            Paragraph::new(lines)
                .scroll((scroll as u16, 0))
                .block(panel(app, app.t("Contents", "목차"), true)),
            toc_area,
        );
    }
}

/// The table of contents: one line per heading, indented by level, a heading too long for
/// `width` columns cut with `…` (by display width: Hangul takes two).
fn contents_lines(
    theme: Theme,
    headings: &[Heading],
    selected: Option<usize>,
    width: usize,
) -> Vec<Line<'static>> {
    headings
        .iter()
        .enumerate()
        .map(|(index, heading)| {
            let style = if Some(index) == selected {
                theme.selected()
            } else {
                theme.text()
            };
            let indent = "  ".repeat(usize::from(heading.level.saturating_sub(1)));
            Line::from(Span::styled(
                truncate(&format!("{indent}{}", clean(&heading.text)), width),
                style,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_heading_in_the_contents_ends_with_an_ellipsis() {
        let headings = [
            Heading {
                line: 0,
                level: 1,
                text: "Secrets".into(),
            },
            Heading {
                line: 9,
                level: 2,
                text: "Secret을 환경 변수와 볼륨으로 Pod에 주입하기".into(),
            },
        ];
        let lines: Vec<String> = contents_lines(Theme { color: false }, &headings, Some(1), 28)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(lines, ["Secrets", "  Secret을 환경 변수와 볼륨…"]);
    }
}
