//! Small drawing pieces shared by the screens: panels, centring, untrusted text made safe,
//! text fitted to a width (Hangul included), graded checks as lines, a progress bar; and the
//! editing widgets every screen that takes typed text uses (`editor`, `line`).

pub mod editor;
pub mod line;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use super::ctx::Ctx;

/// A bordered panel with a title.
pub fn panel<'a>(app: &Ctx, title: &str, focused: bool) -> Block<'a> {
    let style = if focused {
        app.theme.focus_border()
    } else {
        app.theme.border()
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(
            format!(" {} ", clean(title)),
            app.theme.title(),
        ))
}

/// A rectangle of `width`×`height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// Deck text is untrusted: control characters are shown escaped, never sent.
pub fn clean(text: &str) -> String {
    crate::text::escape_controls(text).replace('\t', "    ")
}

/// Graded checks as lines: ✓ or ✗, the weight, the message, and under a failed one each line
/// of what was found, with the answer's line number after the first when `with_place`.
pub fn check_lines(
    app: &Ctx,
    checks: &[crate::grade::CheckResult],
    with_place: bool,
) -> Vec<Line<'static>> {
    let theme = app.theme;
    let mut lines = Vec::new();
    for check in checks {
        let (mark, style) = if check.passed {
            ("✓", theme.good())
        } else {
            ("✗", theme.bad())
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::styled(format!("({}) ", check.weight), theme.dim()),
            Span::raw(clean(&check.message)),
        ]));
        if !check.passed
            && let Some(detail) = &check.detail
        {
            let place = match check.line {
                Some(line) if with_place => format!(" ({} {line})", app.t("line", "줄")),
                _ => String::new(),
            };
            for (index, detail_line) in detail.lines().enumerate() {
                let place = if index == 0 { place.as_str() } else { "" };
                lines.push(Line::styled(
                    format!(
                        "    {}{place}",
                        clean(&crate::i18n::localize(detail_line, app.lang))
                    ),
                    theme.dim(),
                ));
            }
        }
    }
    lines
}

/// One line of text whose `code spans` are shown as code, the backticks dropped (quiz options
/// and other short texts that are not laid out as Markdown paragraphs). The code style is laid
/// over `style`, so a highlighted row stays highlighted. An unpaired backtick stays as written.
pub fn inline_code(text: &str, style: Style, code: Style) -> Vec<Span<'static>> {
    let text = clean(text);
    if text.matches('`').count() < 2 {
        return vec![Span::styled(text, style)];
    }
    let mut spans = Vec::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('`') {
        let Some(close) = rest[open + 1..].find('`') else {
            break;
        };
        if open > 0 {
            spans.push(Span::styled(rest[..open].to_string(), style));
        }
        let inside = &rest[open + 1..open + 1 + close];
        spans.push(Span::styled(inside.to_string(), style.patch(code)));
        rest = &rest[open + close + 2..];
    }
    if !rest.is_empty() {
        spans.push(Span::styled(rest.to_string(), style));
    }
    spans
}

/// A progress bar of `width` cells for a fraction.
pub fn bar(fraction: f64, width: usize) -> String {
    let filled = (fraction.clamp(0.0, 1.0) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// Markdown text (prompts, card sides) laid out to a width, as styled lines.
pub fn markdown_lines(app: &Ctx, text: &str, width: u16) -> Vec<Line<'static>> {
    super::markdown::render(text, width, app.theme).lines
}

/// Lines broken to `width` cells, at spaces where it can and inside a word where it must.
///
/// Used instead of `Paragraph::wrap`, which in ratatui 0.30 can let a wide character (Hangul)
/// that does not fit the last cell spill onto the border (ratatui issue #2679). With `trim`,
/// the spaces at a break are dropped.
pub fn fit<'a>(lines: Vec<Line<'a>>, width: u16, trim: bool) -> Vec<Line<'static>> {
    use unicode_width::UnicodeWidthChar;
    let width = usize::from(width.max(1));
    let mut out = Vec::new();
    for line in lines {
        let chars: Vec<(char, Style)> = line
            .spans
            .iter()
            .flat_map(|span| span.content.chars().map(move |c| (c, span.style)))
            .collect();
        let cells = |c: char| c.width().unwrap_or(0);
        let total: usize = chars.iter().map(|(c, _)| cells(*c)).sum();
        let finish = |row: Vec<(char, Style)>| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            for (c, style) in row {
                match spans.last_mut() {
                    Some(last) if last.style == style => last.content.to_mut().push(c),
                    _ => spans.push(Span::styled(c.to_string(), style)),
                }
            }
            let mut fitted = Line::from(spans).style(line.style);
            fitted.alignment = line.alignment;
            fitted
        };
        if total <= width {
            out.push(finish(chars));
            continue;
        }
        // Words and the spaces between them.
        let mut tokens: Vec<Vec<(char, Style)>> = Vec::new();
        for (c, style) in chars {
            let space = c == ' ';
            match tokens.last_mut() {
                Some(token)
                    if token
                        .first()
                        .is_some_and(|(first, _)| (*first == ' ') == space) =>
                {
                    token.push((c, style))
                }
                _ => tokens.push(vec![(c, style)]),
            }
        }
        let mut row: Vec<(char, Style)> = Vec::new();
        let mut used = 0;
        // Whether this line has been broken already (its next row may drop leading spaces).
        let mut broke = false;
        for token in tokens {
            let token_width: usize = token.iter().map(|(c, _)| cells(*c)).sum();
            let space = token.first().is_some_and(|(c, _)| *c == ' ');
            if used + token_width <= width {
                if !(trim && space && used == 0 && broke) {
                    row.extend(token);
                    used += token_width;
                }
                continue;
            }
            if space {
                out.push(finish(std::mem::take(&mut row)));
                broke = true;
                used = 0;
                if !trim {
                    let kept: Vec<_> = token.into_iter().take(width).collect();
                    used = kept.len();
                    row.extend(kept);
                }
                continue;
            }
            if token_width <= width && used > 0 {
                out.push(finish(std::mem::take(&mut row)));
                broke = true;
                used = 0;
            }
            for (c, style) in token {
                let w = cells(c);
                if used + w > width && used > 0 {
                    out.push(finish(std::mem::take(&mut row)));
                    broke = true;
                    used = 0;
                }
                row.push((c, style));
                used += w;
            }
        }
        if !row.is_empty() {
            out.push(finish(row));
        }
    }
    out
}

pub fn style_if(condition: bool, style: Style) -> Style {
    if condition { style } else { Style::new() }
}

pub use crate::text::truncate;

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(lines: &[Line]) -> Vec<usize> {
        lines.iter().map(Line::width).collect()
    }

    #[test]
    fn truncate_ends_a_cut_text_with_an_ellipsis_by_columns() {
        use unicode_width::UnicodeWidthStr;
        assert_eq!(truncate("Secrets", 10), "Secrets");
        assert_eq!(truncate("Environment variables", 10), "Environme…");
        // Hangul is two columns: the ellipsis takes the room a cut syllable leaves.
        assert_eq!(truncate("환경 변수를 주입하기", 10), "환경 변수…");
        for width in 1..20 {
            let cut = truncate("환경 변수를 Pod에 주입하기", width);
            assert!(cut.width() <= width && cut.ends_with('…'), "{width}: {cut}");
        }
    }

    #[test]
    fn text_is_broken_to_the_width_even_with_wide_characters() {
        let korean = Line::raw("과제 사이를 자유롭게 오갈 수 있고 나중에 볼 과제는 표시해 두세요");
        for width in 5..30 {
            let fitted = fit(vec![korean.clone()], width, true);
            assert!(
                widths(&fitted).iter().all(|w| *w <= usize::from(width)),
                "{width}: {fitted:?}"
            );
            let text: String = fitted
                .iter()
                .map(|line| line.to_string().replace(' ', ""))
                .collect();
            assert_eq!(text, korean.to_string().replace(' ', ""), "nothing lost");
        }
        // Words stay whole where they fit; a word longer than the width is broken.
        let fitted = fit(vec![Line::raw("one two three")], 7, true);
        assert_eq!(
            fitted.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["one two", "three"]
        );
        let fitted = fit(vec![Line::raw("abcdefghij")], 4, true);
        assert_eq!(widths(&fitted), [4, 4, 2]);
        // Styles survive the break.
        let styled = Line::from(vec![
            Span::raw("plain "),
            Span::styled("bold words", Style::new().bold()),
        ]);
        let fitted = fit(vec![styled], 8, true);
        assert_eq!(fitted[1].spans[0].style, Style::new().bold());
    }
}
