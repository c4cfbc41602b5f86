//! Lessons: Markdown (CommonMark + tables) turned into lines wrapped to the screen's width, with
//! the headings (for the table of contents and `[`/`]`) and the deck links (`card:ID`) found
//! on the way. Wrapping happens here, not in the widget, so scrolling and jumping to a heading
//! land on exact lines, and wide characters (Hangul) are measured in terminal columns.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::Theme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub line: usize,
    pub level: u8,
    pub text: String,
}

/// A link in the lesson: to a deck item (`card:ID`, `exercise:TOPIC/ID`) or a web page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub line: usize,
    pub text: String,
    pub target: String,
}

#[derive(Debug, Clone)]
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub width: u16,
}

/// Renders `markdown` for a text area `width` columns wide.
pub fn render(markdown: &str, width: u16, theme: Theme) -> Rendered {
    let width = usize::from(width.max(20));
    let mut out = Writer {
        theme,
        width,
        lines: Vec::new(),
        headings: Vec::new(),
        links: Vec::new(),
        spans: Vec::new(),
        styles: Vec::new(),
        lists: Vec::new(),
        quote: 0,
        heading: None,
        link: None,
        code: None,
        table: None,
        pending_item: None,
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        out.event(event);
    }
    out.flush_paragraph();
    while out.lines.last().is_some_and(|line| line.width() == 0) {
        out.lines.pop();
    }
    Rendered {
        lines: out.lines,
        headings: out.headings,
        links: out.links,
        width: width as u16,
    }
}

struct CodeBlock {
    language: String,
    text: String,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    cell: String,
    row: Vec<String>,
}

struct Writer {
    theme: Theme,
    width: usize,
    lines: Vec<Line<'static>>,
    headings: Vec<Heading>,
    links: Vec<Link>,
    /// The paragraph being built.
    spans: Vec<Span<'static>>,
    styles: Vec<Style>,
    /// Open lists: the next number (`None` for bullets).
    lists: Vec<Option<u64>>,
    quote: usize,
    heading: Option<(u8, String)>,
    /// The link being read: (target, where its text starts in `spans`).
    link: Option<(String, usize)>,
    code: Option<CodeBlock>,
    table: Option<Table>,
    /// The marker of a list item whose first paragraph has not started yet.
    pending_item: Option<String>,
}

impl Writer {
    fn style(&self) -> Style {
        self.styles
            .iter()
            .fold(self.theme.text(), |style, next| style.patch(*next))
    }

    fn event(&mut self, event: Event<'_>) {
        if let Some(table) = &mut self.table {
            match event {
                Event::Text(text) | Event::Code(text) => table.cell.push_str(&text),
                Event::SoftBreak | Event::HardBreak => table.cell.push(' '),
                Event::End(TagEnd::TableCell) => {
                    let cell = std::mem::take(&mut table.cell);
                    table.row.push(cell.trim().to_string());
                }
                Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                    let row = std::mem::take(&mut table.row);
                    table.rows.push(row);
                }
                Event::End(TagEnd::Table) => {
                    let table = self.table.take().unwrap_or_default();
                    self.write_table(&table.rows);
                }
                _ => {}
            }
            return;
        }
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(text) => code.text.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    let code = self.code.take().expect("in a code block");
                    self.write_code(&code);
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush_paragraph();
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                };
                self.heading = Some((level, String::new()));
                self.styles.push(self.theme.heading(level));
            }
            Event::End(TagEnd::Heading(_)) => {
                self.styles.pop();
                // A heading with no text (`#` alone) is not a place to jump to.
                if let Some((level, text)) = self.heading.take()
                    && !text.trim().is_empty()
                {
                    self.blank();
                    self.headings.push(Heading {
                        line: self.lines.len(),
                        level,
                        text: text.trim().to_string(),
                    });
                    let prefix = if level <= 2 { "" } else { "▸ " };
                    self.write_wrapped(prefix, "");
                    if level == 1 {
                        let rule: String = "═".repeat(text.trim().width().min(self.width));
                        self.lines.push(Line::styled(rule, self.theme.heading(2)));
                    }
                    self.blank();
                } else {
                    self.spans.clear();
                }
            }
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                self.flush_paragraph();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush_paragraph();
                self.quote += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.flush_paragraph();
                self.quote = self.quote.saturating_sub(1);
                self.blank();
            }
            Event::Start(Tag::List(start)) => {
                self.flush_paragraph();
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush_paragraph();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            Event::Start(Tag::Item) => {
                self.flush_paragraph();
                let marker = match self.lists.last_mut() {
                    Some(Some(number)) => {
                        let marker = format!("{number}. ");
                        *number += 1;
                        marker
                    }
                    _ => "• ".to_string(),
                };
                self.pending_item = Some(marker);
            }
            Event::End(TagEnd::Item) => self.flush_paragraph(),
            Event::Start(Tag::CodeBlock(kind)) => {
                self.flush_paragraph();
                let language = match kind {
                    CodeBlockKind::Fenced(language) => language.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeBlock {
                    language,
                    text: String::new(),
                });
            }
            Event::Start(Tag::Table(_)) => {
                self.flush_paragraph();
                self.table = Some(Table::default());
            }
            Event::Start(Tag::Emphasis) => self
                .styles
                .push(Style::new().add_modifier(Modifier::ITALIC)),
            Event::Start(Tag::Strong) => {
                self.styles.push(Style::new().add_modifier(Modifier::BOLD))
            }
            Event::Start(Tag::Strikethrough) => self
                .styles
                .push(Style::new().add_modifier(Modifier::CROSSED_OUT)),
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                self.styles.pop();
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.link = Some((dest_url.to_string(), self.spans.len()));
                self.styles.push(self.theme.link());
            }
            Event::End(TagEnd::Link) => {
                self.styles.pop();
                if let Some((target, start)) = self.link.take() {
                    // The spans may have been laid out meanwhile (a link around a heading's
                    // end, in a table cell): then the link's text starts with what is left.
                    let text: String = self.spans[start.min(self.spans.len())..]
                        .iter()
                        .map(|span| span.content.as_ref())
                        .collect();
                    if let Some(shown) = web_address(&target) {
                        self.spans
                            .push(Span::styled(format!(" ‹{shown}›"), self.theme.dim()));
                    }
                    // The line is known once the paragraph is wrapped; remember the text for now.
                    self.links.push(Link {
                        line: usize::MAX,
                        text,
                        target,
                    });
                }
            }
            Event::Text(text) => {
                if let Some((_, heading)) = &mut self.heading {
                    heading.push_str(&text);
                }
                let style = self.style();
                self.spans.push(Span::styled(clean(&text), style));
            }
            Event::Code(text) => {
                if let Some((_, heading)) = &mut self.heading {
                    heading.push_str(&text);
                }
                let style = self.style().patch(self.theme.code());
                self.spans.push(Span::styled(clean(&text), style));
            }
            Event::SoftBreak => self.spans.push(Span::raw(" ")),
            Event::HardBreak => self.flush_paragraph(),
            Event::Rule => {
                self.flush_paragraph();
                self.lines.push(Line::styled(
                    "─".repeat(self.width.min(60)),
                    self.theme.border(),
                ));
                self.blank();
            }
            Event::Html(html) => {
                // Shown as written, dimmed; an HTML block's line breaks are wrapped like text.
                let text = html.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    self.spans
                        .push(Span::styled(format!("{} ", clean(&text)), self.theme.dim()));
                }
            }
            Event::InlineHtml(html) => {
                let text = html.replace(['\n', '\r'], " ");
                self.spans
                    .push(Span::styled(clean(&text), self.theme.dim()));
            }
            _ => {}
        }
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|line| line.width() > 0) {
            self.lines.push(Line::default());
        }
    }

    /// The indentation every line of the current block starts with.
    fn indent(&self) -> String {
        let mut indent = "│ ".repeat(self.quote);
        indent.push_str(&"  ".repeat(self.lists.len().saturating_sub(1)));
        // However deep the quotes and lists nest, half the width is left for the text (each
        // character here is one column).
        if indent.chars().count() > self.width / 2 {
            indent = indent.chars().take(self.width / 2).collect();
        }
        indent
    }

    fn flush_paragraph(&mut self) {
        if self.spans.is_empty() && self.pending_item.is_none() {
            return;
        }
        let marker = self.pending_item.take().unwrap_or_default();
        let continuation = " ".repeat(marker.width());
        let base = self.indent();
        self.write_wrapped(&format!("{base}{marker}"), &format!("{base}{continuation}"));
    }

    /// Wraps the paragraph's spans to the width, the first line after `first`, the others
    /// after `rest`; places the links found in it. Lines break at spaces only: a word in two
    /// styles (`ReplicaSet`을, a code span and its Korean particle) stays on one line.
    fn write_wrapped(&mut self, first: &str, rest: &str) {
        let spans = std::mem::take(&mut self.spans);
        let start_line = self.lines.len();
        let mut line: Vec<Span<'static>> = vec![Span::styled(first.to_string(), self.theme.dim())];
        let mut used = first.width();
        // Where the text of the current line starts (after its indentation or marker).
        let mut line_start = used;
        let mut placed: Vec<(String, usize)> = Vec::new();
        for word in words(spans) {
            let space = word
                .first()
                .is_some_and(|span| span.content.starts_with(' '));
            let word_width: usize = word.iter().map(Span::width).sum();
            if space {
                // A break eats the spaces at the start of the next line.
                if used == line_start && self.lines.len() > start_line {
                    continue;
                }
                // Spaces where the line ends: only what still fits (the next word wraps).
                let fits = word_width.min(self.width.saturating_sub(used));
                if fits > 0 {
                    line.push(Span::styled(" ".repeat(fits), word[0].style));
                    used += fits;
                }
                continue;
            }
            if used + word_width > self.width && used > line_start {
                self.lines.push(Line::from(std::mem::take(&mut line)));
                line.push(Span::styled(rest.to_string(), self.theme.dim()));
                used = rest.width();
                line_start = used;
            }
            if word_width > self.width.saturating_sub(used) {
                // A word longer than the line: break it by columns.
                for span in word {
                    let mut chunk = String::new();
                    for c in span.content.chars() {
                        let w = c.width().unwrap_or(0);
                        if used + w > self.width && used > line_start {
                            line.push(Span::styled(std::mem::take(&mut chunk), span.style));
                            self.lines.push(Line::from(std::mem::take(&mut line)));
                            line.push(Span::styled(rest.to_string(), self.theme.dim()));
                            used = rest.width();
                            line_start = used;
                        }
                        chunk.push(c);
                        used += w;
                    }
                    placed.push((chunk.clone(), self.lines.len()));
                    line.push(Span::styled(chunk, span.style));
                }
                continue;
            }
            for span in word {
                placed.push((span.content.to_string(), self.lines.len()));
                used += span.width();
                line.push(span);
            }
        }
        self.lines.push(Line::from(line));
        // Each link of this paragraph is on the line where its text first appears.
        for link in self.links.iter_mut().filter(|link| link.line == usize::MAX) {
            let first_word = link
                .text
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            link.line = placed
                .iter()
                .find(|(piece, _)| piece.contains(&first_word))
                .map_or(start_line, |(_, line)| *line);
        }
    }

    fn write_code(&mut self, code: &CodeBlock) {
        let base = self.indent();
        let lines: Vec<String> = code
            .text
            .trim_end_matches('\n')
            .lines()
            .map(str::to_string)
            .collect();
        let yaml = matches!(code.language.as_str(), "yaml" | "yml");
        let highlighted: Vec<Vec<Span<'static>>> = if yaml {
            super::yaml::highlight(&lines, self.theme)
        } else {
            lines
                .iter()
                .map(|line| vec![Span::styled(line.clone(), self.theme.code())])
                .collect()
        };
        let bar = Span::styled(format!("{base}  ▏"), self.theme.border());
        // A line longer than the text area goes on under a dotted bar, broken after a space
        // where there is one (cut by columns where there is none): code is never clipped out
        // of sight, and the bar tells a wrapped line from a new one.
        let wrapped_bar = Span::styled(format!("{base}  ┊"), self.theme.border());
        let room = self.width.saturating_sub(bar.width()).max(1);
        for spans in highlighted {
            let chars: Vec<(char, Style)> = spans
                .iter()
                .flat_map(|span| {
                    let style = span.style;
                    clean(&span.content)
                        .chars()
                        .map(move |c| (c, style))
                        .collect::<Vec<_>>()
                })
                .collect();
            for (index, row) in code_rows(&chars, room).into_iter().enumerate() {
                let mut line = vec![if index == 0 {
                    bar.clone()
                } else {
                    wrapped_bar.clone()
                }];
                for (c, style) in row {
                    let after_bar = line.len() > 1;
                    match line.last_mut() {
                        Some(last) if after_bar && last.style == style => {
                            last.content.to_mut().push(c)
                        }
                        _ => line.push(Span::styled(c.to_string(), style)),
                    }
                }
                self.lines.push(Line::from(line));
            }
        }
        self.blank();
    }

    fn write_table(&mut self, rows: &[Vec<String>]) {
        // Measured as shown: a control character takes the room of its escape.
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|row| row.iter().map(|cell| clean(cell)).collect())
            .collect();
        let rows = rows.as_slice();
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let mut widths = vec![0usize; columns];
        for row in rows {
            for (index, cell) in row.iter().enumerate() {
                widths[index] = widths[index].max(cell.width());
            }
        }
        let base = self.indent();
        let available = self.width.saturating_sub(base.width() + 3 * columns + 1);
        let total: usize = widths.iter().sum();
        if total > available {
            // Too wide for the screen: each row as "column: value" lines.
            let header = rows.first().cloned().unwrap_or_default();
            for row in rows.iter().skip(1) {
                for (index, cell) in row.iter().enumerate() {
                    let name = header.get(index).cloned().unwrap_or_default();
                    self.spans
                        .push(Span::styled(format!("{name}: "), self.theme.dim()));
                    self.spans.push(Span::raw(cell.clone()));
                    let marker = if index == 0 { "• " } else { "  " };
                    let base = self.indent();
                    self.write_wrapped(&format!("{base}{marker}"), &format!("{base}    "));
                }
            }
            self.blank();
            return;
        }
        let border = self.theme.border();
        let rule = |left: &str, middle: &str, right: &str| {
            let inner: Vec<String> = widths.iter().map(|width| "─".repeat(width + 2)).collect();
            Line::styled(format!("{base}{left}{}{right}", inner.join(middle)), border)
        };
        self.lines.push(rule("┌", "┬", "┐"));
        for (row_index, row) in rows.iter().enumerate() {
            let mut spans = vec![Span::styled(format!("{base}│"), border)];
            for (index, width) in widths.iter().enumerate() {
                let cell = row.get(index).cloned().unwrap_or_default();
                let style = if row_index == 0 {
                    self.theme.title()
                } else {
                    self.theme.text()
                };
                spans.push(Span::styled(
                    format!(" {}{} ", cell, " ".repeat(width - cell.width())),
                    style,
                ));
                spans.push(Span::styled("│", border));
            }
            self.lines.push(Line::from(spans));
            if row_index == 0 {
                self.lines.push(rule("├", "┼", "┤"));
            }
        }
        self.lines.push(rule("└", "┴", "┘"));
        self.blank();
    }
}

/// The paragraph's words and the runs of spaces between them, in order, each as its spans: a
/// word may span several styles (`ReplicaSet`을) and is never broken between them.
fn words(spans: Vec<Span<'static>>) -> Vec<Vec<Span<'static>>> {
    let mut words: Vec<Vec<Span<'static>>> = Vec::new();
    let mut last_was_space = None;
    for span in spans {
        for piece in split_keeping_spaces(&span.content) {
            let space = piece.starts_with(' ');
            let piece = Span::styled(piece.to_string(), span.style);
            match words.last_mut() {
                Some(word) if last_was_space == Some(space) => word.push(piece),
                _ => words.push(vec![piece]),
            }
            last_was_space = Some(space);
        }
    }
    words
}

/// A code line broken into rows of at most `room` columns: after the last space that fits
/// (not in the line's indentation), or by columns when a row has no such space. Every
/// character is kept, spaces included, so the code reads back exactly.
fn code_rows(chars: &[(char, Style)], room: usize) -> Vec<Vec<(char, Style)>> {
    let width = |c: char| c.width().unwrap_or(0);
    let indent = chars.iter().take_while(|(c, _)| *c == ' ').count();
    let mut rows = Vec::new();
    let mut start = 0;
    loop {
        let mut used = 0;
        let mut end = start;
        while end < chars.len() && (used + width(chars[end].0) <= room || end == start) {
            used += width(chars[end].0);
            end += 1;
        }
        if end < chars.len() {
            // Break after the last space of the row, when the row has text before it.
            if let Some(space) = (start.max(indent)..end)
                .rev()
                .find(|&index| chars[index].0 == ' ' && index > start.max(indent))
            {
                end = space + 1;
            }
        }
        rows.push(chars[start..end].to_vec());
        if end >= chars.len() {
            return rows;
        }
        start = end;
    }
}

/// Words and the spaces between them, in order (so spacing is kept and lines can break).
fn split_keeping_spaces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (index, c) in text.char_indices() {
        let space = c == ' ';
        if in_space.is_some_and(|was| was != space) {
            pieces.push(&text[start..index]);
            start = index;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// A web link's address as shown after its text, without the scheme.
fn web_address(target: &str) -> Option<String> {
    let rest = target
        .strip_prefix("https://")
        .or_else(|| target.strip_prefix("http://"))?;
    Some(clean(rest.trim_end_matches('/')))
}

/// Deck text may carry control characters: never let one reach the terminal.
fn clean(text: &str) -> String {
    crate::text::escape_controls(text).replace('\t', "    ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rendered: &Rendered) -> Vec<String> {
        rendered
            .lines
            .iter()
            .map(|line| {
                line.spans
                    .iter()
                    .map(|span| span.content.as_ref())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn headings_lists_code_and_links_are_laid_out_with_their_positions() {
        let lesson = "# Secrets\n\nBase64 is **not** encryption.\n\n## Creating\n\n- one `kubectl` line\n- two\n\n```yaml\nkind: Secret # plain\n```\n\nTest yourself: [card](card:base64-not-encryption). Read more: [Secrets](https://kubernetes.io/docs/concepts/configuration/secret/)\n";
        let rendered = render(lesson, 60, Theme { color: false });
        let lines = text(&rendered);
        assert_eq!(lines[0], "Secrets");
        assert!(lines[1].starts_with("═══"));
        assert!(
            lines.iter().any(|line| line == "Base64 is not encryption."),
            "{lines:#?}"
        );
        assert_eq!(
            rendered
                .headings
                .iter()
                .map(|h| (h.level, h.text.as_str()))
                .collect::<Vec<_>>(),
            [(1, "Secrets"), (2, "Creating")]
        );
        assert_eq!(lines[rendered.headings[1].line], "Creating");
        assert!(
            lines.iter().any(|line| line == "• one kubectl line"),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|line| line.contains("▏kind: Secret # plain"))
        );
        let link = rendered
            .links
            .iter()
            .find(|link| link.target == "card:base64-not-encryption")
            .unwrap();
        assert!(lines[link.line].contains("card"));
        assert!(
            lines
                .iter()
                .any(|line| line.contains("‹kubernetes.io/docs/concepts/configuration/secret›"))
        );
    }

    #[test]
    fn a_space_where_a_line_ends_never_widens_it() {
        // Found by the lesson_render fuzz target in the built-in ConfigMaps lesson: the space
        // after `whose` made an 81-column line at width 80.
        let lesson = include_str!("../../content/topics/configmaps/lesson.en.md");
        for width in 20..=120 {
            let rendered = render(lesson, width, Theme { color: false });
            for line in &rendered.lines {
                assert!(
                    line.width() <= usize::from(width),
                    "{} > {width}: {line:?}",
                    line.width()
                );
            }
        }
        let rendered = render("aaaaaaaaa bbbbbbbbbb   cccc", 20, Theme { color: false });
        assert_eq!(text(&rendered), ["aaaaaaaaa bbbbbbbbbb", "cccc"]);
        // A code line longer than the area goes on under a dotted bar.
        let code = format!("```sh\n{}\n```\n", "x".repeat(30));
        let rendered = render(&code, 20, Theme { color: false });
        assert_eq!(
            text(&rendered),
            [
                format!("  ▏{}", "x".repeat(17)),
                format!("  ┊{}", "x".repeat(13))
            ]
        );
    }

    #[test]
    fn korean_wraps_by_terminal_columns() {
        let lesson = "Secret은 base64로 인코딩될 뿐 암호화되지 않으므로 Secret을 읽을 수 있는 사람은 누구나 값을 볼 수 있습니다.";
        let rendered = render(lesson, 30, Theme { color: false });
        for line in &rendered.lines {
            assert!(line.width() <= 30, "{:?} is {} columns", line, line.width());
        }
        assert!(rendered.lines.len() >= 3);
    }

    #[test]
    fn a_word_is_never_split_from_its_korean_particle() {
        // `ReplicaSet`을 is one word in two styles: it moves to the next line whole.
        let lesson = "Deployment는 새 `ReplicaSet`을 만들고 이전 `ReplicaSet`을 줄입니다.";
        for width in 20..=40 {
            let lines = text(&render(lesson, width, Theme { color: false }));
            for line in &lines {
                assert!(
                    !line.ends_with("ReplicaSet") && !line.starts_with('을'),
                    "{width}: {lines:#?}"
                );
            }
        }
        let lines: Vec<String> = text(&render(lesson, 24, Theme { color: false }))
            .iter()
            .map(|line| line.trim_end().to_string())
            .collect();
        assert_eq!(
            lines,
            [
                "Deployment는 새",
                "ReplicaSet을 만들고 이전",
                "ReplicaSet을 줄입니다."
            ]
        );
    }

    #[test]
    fn a_long_code_line_breaks_after_a_space_under_the_dotted_bar() {
        let code = "```sh\nkubectl create deployment web --image=nginx --replicas=3\n```\n";
        let lines = text(&render(code, 40, Theme { color: false }));
        assert_eq!(
            lines,
            [
                "  ▏kubectl create deployment web ",
                "  ┊--image=nginx --replicas=3"
            ]
        );
        // Nothing is lost: the rows read back as the line.
        let joined: String = lines.iter().map(|line| &line[5..]).collect();
        assert_eq!(
            joined,
            "kubectl create deployment web --image=nginx --replicas=3"
        );
    }

    #[test]
    fn tables_are_boxed_or_listed_when_too_wide() {
        let lesson = "| type | keys |\n|---|---|\n| kubernetes.io/tls | tls.crt, tls.key |\n";
        let wide = text(&render(lesson, 80, Theme { color: false }));
        assert!(
            wide[0].starts_with('┌') && wide[1].contains("type"),
            "{wide:#?}"
        );
        let narrow = text(&render(lesson, 20, Theme { color: false }));
        assert!(
            narrow.iter().any(|line| line.starts_with("• type:")),
            "{narrow:#?}"
        );
    }

    #[test]
    fn escape_sequences_in_a_lesson_are_shown_not_sent() {
        let rendered = render("Danger \u{1b}[2J here", 40, Theme { color: false });
        assert!(text(&rendered)[0].contains("\\u{1b}[2J"));
    }
}
