//! Card text between kubedrill's Markdown and the HTML of Anki's fields.
//!
//! Markdown → HTML is pulldown-cmark's renderer. HTML → Markdown is written here for the HTML
//! that Anki's editor and pulldown-cmark produce (paragraphs and `<div>` lines, `<br>`, bold,
//! italic, code, preformatted blocks, lists, links, headings, tables, entities); other tags
//! keep their text and lose their markup, and media (`<img>`, `[sound:…]`) is dropped with a
//! warning, since a kubedrill card is text. A general HTML converter (html5ever and friends)
//! would add more to the build than all of this.

use pulldown_cmark::{Options, Parser, html};

/// A card field as Anki HTML. A single paragraph is written without its `<p>`, as Anki's
/// editor writes a one-line field.
pub fn markdown_to_html(markdown: &str) -> String {
    let mut out = String::new();
    html::push_html(
        &mut out,
        Parser::new_ext(
            markdown,
            Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
        ),
    );
    let trimmed = out.trim_end();
    if let Some(inner) = trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
        && !inner.contains("<p>")
    {
        return inner.to_string();
    }
    trimmed.to_string()
}

/// Markdown for an HTML field, and a warning for each thing that could not be kept.
pub fn html_to_markdown(html: &str) -> (String, Vec<String>) {
    let mut converter = Converter::default();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
        } else if rest.starts_with('<')
            && let Some((tag, after)) = Tag::parse(rest)
        {
            converter.tag(&tag);
            rest = after;
        } else {
            // Text up to the next tag (a `<` that starts no tag is text too).
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let end = rest[first..].find('<').map_or(rest.len(), |at| at + first);
            converter.text(&decode_entities(&rest[..end]));
            rest = &rest[end..];
        }
    }
    converter.finish()
}

#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    attributes: Vec<(String, String)>,
}

impl Tag {
    /// `<name attr="v">` at the start of `text`, and what follows it.
    fn parse(text: &str) -> Option<(Tag, &str)> {
        let mut chars = text.char_indices().skip(1).peekable();
        let mut quote = None;
        let mut end = None;
        for (at, c) in chars.by_ref() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(open), c) if c == open => quote = None,
                (None, '>') => {
                    end = Some(at);
                    break;
                }
                _ => {}
            }
        }
        let end = end?;
        let inside = text[1..end].trim();
        let (closing, inside) = match inside.strip_prefix('/') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, inside),
        };
        let inside = inside.trim_end_matches('/').trim_end();
        let name_end = inside
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inside.len());
        let name = inside[..name_end].to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        Some((
            Tag {
                name,
                closing,
                attributes: attributes(&inside[name_end..]),
            },
            &text[end + 1..],
        ))
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

fn attributes(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let close = body.find(quote).unwrap_or(body.len());
                    rest = body.get(close + 1..).unwrap_or("");
                    body[..close].to_string()
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    rest = &after[end..];
                    after[..end].to_string()
                }
            }
        } else {
            String::new()
        };
        if !key.is_empty() {
            found.push((key, decode_entities(&value)));
        }
        rest = rest.trim_start();
    }
    found
}

/// `&amp;`, `&lt;`, `&#39;`, `&#x1F600;`, `&nbsp;` (as a plain space) and the other common
/// named entities; an unknown entity stays as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find(';').filter(|end| *end <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "ndash" => Some('–'),
            "mdash" => Some('—'),
            "hellip" => Some('…'),
            "rarr" => Some('→'),
            "larr" => Some('←'),
            "times" => Some('×'),
            "middot" => Some('·'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Bullets,
    Numbers(u32),
}

#[derive(Default)]
struct Converter {
    /// Finished blocks (paragraphs, lists, code), joined by blank lines at the end.
    blocks: Vec<String>,
    /// The block being written.
    line: String,
    lists: Vec<List>,
    /// The lines of the list being read (nested lists included).
    list_block: Option<String>,
    /// Inside `<pre>`: text is kept as it is, and the language of its `<code>`.
    pre: Option<String>,
    /// Inside `<code>` (not in `<pre>`): the code's text, written with backticks at the end.
    code: Option<String>,
    links: Vec<(Option<String>, usize)>,
    /// A table being read: its rows of cells.
    table: Option<Vec<Vec<String>>>,
    cell: Option<String>,
    warnings: Vec<String>,
}

impl Converter {
    fn out(&mut self) -> &mut String {
        match (&mut self.cell, &mut self.code) {
            (_, Some(code)) => code,
            (Some(cell), None) => cell,
            (None, None) => &mut self.line,
        }
    }

    fn end_block(&mut self) {
        if self.table.is_some() {
            return;
        }
        let line = std::mem::take(&mut self.line);
        let trimmed = line.trim_end();
        if trimmed.trim().is_empty() {
            return;
        }
        match &mut self.list_block {
            // List items are lines of one block.
            Some(block) => {
                if !block.is_empty() {
                    block.push('\n');
                }
                block.push_str(trimmed);
            }
            None => self.blocks.push(trimmed.trim_start().to_string()),
        }
    }

    fn text(&mut self, text: &str) {
        if self.pre.is_some() {
            self.line.push_str(text);
            return;
        }
        if self.code.is_some() {
            self.out().push_str(text);
            return;
        }
        // `[sound:file.mp3]` is Anki's audio reference.
        let mut text = text.to_string();
        while let Some(start) = text.find("[sound:") {
            let end = text[start..]
                .find(']')
                .map_or(text.len(), |end| start + end + 1);
            self.warnings
                .push(format!("dropped the sound {}", &text[start..end]));
            text.replace_range(start..end, "");
        }
        // HTML collapses white space; a newline in the source is a space.
        let mut collapsed = String::new();
        for c in text.chars() {
            let c = if c.is_whitespace() && c != '\u{a0}' {
                ' '
            } else {
                c
            };
            if c == ' '
                && (collapsed.ends_with(' ')
                    || self.out().ends_with([' ', '\n']) && collapsed.is_empty())
            {
                continue;
            }
            collapsed.push(c);
        }
        // A table cell is never at the start of a line.
        let before = match &self.cell {
            Some(cell) => Some(cell.chars().last().unwrap_or(' ')),
            None => self.out().chars().last(),
        };
        let escaped = escape_markdown(&collapsed, before);
        self.out().push_str(&escaped);
    }

    fn tag(&mut self, tag: &Tag) {
        let opening = !tag.closing;
        match tag.name.as_str() {
            "br" => {
                if self.pre.is_some() {
                    self.line.push('\n');
                } else if let Some(cell) = &mut self.cell {
                    cell.push(' ');
                } else if !self.line.trim().is_empty() {
                    let trimmed = self.line.trim_end().len();
                    self.line.truncate(trimmed);
                    self.line.push_str("\\\n");
                }
            }
            "p" | "div" | "blockquote" => self.end_block(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.end_block();
                if opening {
                    let level = usize::from(tag.name.as_bytes()[1] - b'0');
                    self.line.push_str(&"#".repeat(level));
                    self.line.push(' ');
                }
            }
            "b" | "strong" => self.out().push_str("**"),
            "i" | "em" => self.out().push('*'),
            "s" | "del" | "strike" => self.out().push_str("~~"),
            "code" if self.pre.is_some() => {
                if opening
                    && let Some(language) = tag
                        .attribute("class")
                        .and_then(|class| class.strip_prefix("language-"))
                {
                    self.pre = Some(language.to_string());
                }
            }
            "code" => {
                if opening {
                    self.code = Some(String::new());
                } else if let Some(code) = self.code.take() {
                    let fence = "`".repeat(longest_run(&code, '`') + 1);
                    let pad = if code.starts_with('`') || code.ends_with('`') {
                        " "
                    } else {
                        ""
                    };
                    let written = format!("{fence}{pad}{code}{pad}{fence}");
                    self.out().push_str(&written);
                }
            }
            "pre" => {
                if opening {
                    self.end_block();
                    self.pre = Some(String::new());
                } else if let Some(language) = self.pre.take() {
                    let body = std::mem::take(&mut self.line);
                    let body = body.strip_suffix('\n').unwrap_or(&body);
                    let fence = "`".repeat(longest_run(body, '`').max(2) + 1);
                    self.blocks
                        .push(format!("{fence}{language}\n{body}\n{fence}"));
                }
            }
            "ul" | "ol" => {
                self.end_block();
                if opening {
                    self.list_block.get_or_insert_with(String::new);
                    self.lists.push(if tag.name == "ul" {
                        List::Bullets
                    } else {
                        List::Numbers(
                            tag.attribute("start")
                                .and_then(|start| start.parse().ok())
                                .unwrap_or(1),
                        )
                    });
                } else {
                    self.lists.pop();
                    if self.lists.is_empty()
                        && let Some(block) = self.list_block.take()
                        && !block.is_empty()
                    {
                        self.blocks.push(block);
                    }
                }
            }
            "li" => {
                self.end_block();
                if opening {
                    let depth = self.lists.len().saturating_sub(1);
                    let marker = match self.lists.last_mut() {
                        Some(List::Numbers(next)) => {
                            let marker = format!("{next}. ");
                            *next += 1;
                            marker
                        }
                        _ => "- ".to_string(),
                    };
                    self.line.push_str(&"  ".repeat(depth));
                    self.line.push_str(&marker);
                }
            }
            "a" => {
                if opening {
                    let href = tag.attribute("href").map(str::to_string);
                    let at = self.out().len();
                    self.links.push((href, at));
                } else if let Some((href, at)) = self.links.pop() {
                    let out = self.out();
                    let text = out.split_off(at.min(out.len()));
                    match href {
                        Some(href) if text == href || text.is_empty() => {
                            out.push_str(&format!("<{href}>"));
                        }
                        Some(href) => out.push_str(&format!("[{text}]({href})")),
                        None => out.push_str(&text),
                    }
                }
            }
            "img" => {
                let source = tag.attribute("src").unwrap_or("an image");
                self.warnings.push(format!("dropped the image {source}"));
            }
            "hr" => {
                self.end_block();
                if opening {
                    self.blocks.push("---".to_string());
                }
            }
            "table" => {
                if opening {
                    self.end_block();
                    self.table = Some(Vec::new());
                } else if let Some(rows) = self.table.take() {
                    self.blocks.push(table_markdown(&rows));
                }
            }
            "tr" => {
                if opening && let Some(rows) = &mut self.table {
                    rows.push(Vec::new());
                }
            }
            "td" | "th" => {
                if opening {
                    self.cell = Some(String::new());
                } else if let Some(cell) = self.cell.take()
                    && let Some(row) = self.table.as_mut().and_then(|rows| rows.last_mut())
                {
                    row.push(cell.trim().replace('|', "\\|"));
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> (String, Vec<String>) {
        if let Some(code) = self.code.take() {
            self.line.push_str(&code);
        }
        self.end_block();
        if let Some(block) = self.list_block.take()
            && !block.is_empty()
        {
            self.blocks.push(block);
        }
        let text = self.blocks.join("\n\n");
        (text, self.warnings)
    }
}

fn table_markdown(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if columns == 0 {
        return String::new();
    }
    let mut lines = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let cells: Vec<&str> = (0..columns)
            .map(|column| row.get(column).map_or("", String::as_str))
            .collect();
        lines.push(format!("| {} |", cells.join(" | ")));
        if index == 0 {
            lines.push(format!("|{}|", vec![" --- "; columns].join("|")));
        }
    }
    lines.join("\n")
}

fn longest_run(text: &str, of: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == of {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// Text escaped so Markdown reads it as written: `2 * 3`, `[x]`, `<tag>`, a `\` and a
/// backtick stay themselves. An underscore inside a word needs no escape.
fn escape_markdown(text: &str, before: Option<char>) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (index, &c) in chars.iter().enumerate() {
        let previous = if index == 0 {
            before
        } else {
            Some(chars[index - 1])
        };
        let next = chars.get(index + 1).copied();
        let at_line_start = previous.is_none_or(|previous| previous == '\n');
        let needs = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' => true,
            '_' => {
                !(previous.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            // A heading, quote or list marker only at the start of a line, and (but for
            // `>`) only before a space.
            '>' => at_line_start,
            '#' | '-' | '+' => {
                at_line_start && next.is_none_or(|next| next == ' ' || (c == '#' && next == '#'))
            }
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        html_to_markdown(html).0
    }

    #[test]
    fn anki_editor_html_becomes_markdown() {
        assert_eq!(
            md("What does <b>envFrom</b> do?"),
            "What does **envFrom** do?"
        );
        assert_eq!(
            md("<div>first line</div><div>second&nbsp;line</div>"),
            "first line\n\nsecond line"
        );
        assert_eq!(md("one<br>two<br/>three"), "one\\\ntwo\\\nthree");
        assert_eq!(
            md("use <code>kubectl get pods</code>"),
            "use `kubectl get pods`"
        );
        assert_eq!(md("a &lt;b&gt; &amp; c &#39;d&#x27;"), "a \\<b> & c 'd'");
        assert_eq!(
            md("2 * 3 = 6, snake_case, _x_"),
            "2 \\* 3 = 6, snake_case, \\_x\\_"
        );
        assert_eq!(
            md("<ul><li>one</li><li>two <i>ish</i></li></ul><p>after</p>"),
            "- one\n- two *ish*\n\nafter"
        );
        assert_eq!(md("<ol><li>a</li><li>b</li></ol>"), "1. a\n2. b");
        assert_eq!(
            md("see <a href=\"https://kubernetes.io/docs/\">the docs</a>"),
            "see [the docs](https://kubernetes.io/docs/)"
        );
        assert_eq!(
            md("<pre><code class=\"language-yaml\">env:\n  - name: A\n</code></pre>"),
            "```yaml\nenv:\n  - name: A\n```"
        );
        assert_eq!(
            md(
                "<table><tr><th>flag</th><th>meaning</th></tr><tr><td>-n</td><td>namespace</td></tr></table>"
            ),
            "| flag | meaning |\n| --- | --- |\n| -n | namespace |"
        );
    }

    #[test]
    fn media_is_dropped_with_a_warning_and_unknown_tags_keep_their_text() {
        let (text, warnings) = html_to_markdown(
            "<span style=\"color: red\">red</span> <img src=\"pod.png\"> [sound:pod.mp3]<font color=blue>blue</font>",
        );
        assert_eq!(text, "red blue");
        assert_eq!(
            warnings,
            [
                "dropped the image pod.png",
                "dropped the sound [sound:pod.mp3]"
            ]
        );
    }

    #[test]
    fn markdown_survives_a_trip_through_html() {
        for markdown in [
            "`name` and `value`, in a list under `env`.",
            "**Bold** and *italic* with `code`",
            "Line one\\\nline two",
            "First paragraph.\n\nSecond paragraph.",
            "- one\n- two\n- three",
            "1. first\n2. second",
            "```yaml\nenv:\n  - name: APP_COLOR\n    value: pink\n```",
            "| flag | meaning |\n| --- | --- |\n| -n | namespace |",
            "See [the docs](https://kubernetes.io/docs/concepts/).",
            "2 \\* 3 and snake_case",
            "A ``code with ` inside`` span",
        ] {
            let html = markdown_to_html(markdown);
            assert_eq!(md(&html), markdown, "via {html:?}");
        }
    }
}
