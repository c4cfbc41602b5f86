//! A line-by-line YAML highlighter that copes with half-typed, invalid YAML (what an editor
//! shows while the learner types): keys, strings, numbers and booleans, comments, list dashes,
//! flow punctuation, and block scalars (`|`, `>`) carried across lines.

use ratatui::style::Style;
use ratatui::text::Span;

use super::theme::Theme;

/// Highlights every line; a block scalar's body is coloured as a string.
pub fn highlight(lines: &[String], theme: Theme) -> Vec<Vec<Span<'static>>> {
    let mut out = Vec::with_capacity(lines.len());
    // The indentation a block scalar's body must exceed, while inside one.
    let mut block: Option<usize> = None;
    for line in lines {
        let indent = line.len() - line.trim_start().len();
        if let Some(parent) = block {
            if line.trim().is_empty() || indent > parent {
                out.push(vec![Span::styled(line.clone(), theme.yaml_string())]);
                continue;
            }
            block = None;
        }
        let (spans, opens_block) = highlight_line(line, theme);
        if opens_block {
            block = Some(indent);
        }
        out.push(spans);
    }
    out
}

/// One line's spans, and whether it opens a block scalar.
fn highlight_line(line: &str, theme: Theme) -> (Vec<Span<'static>>, bool) {
    let mut spans = Vec::new();
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if !indent.is_empty() {
        spans.push(Span::raw(indent.to_string()));
    }
    if trimmed == "---" || trimmed == "..." || trimmed.starts_with("--- ") {
        spans.push(Span::styled(trimmed.to_string(), theme.yaml_punctuation()));
        return (spans, false);
    }
    let mut rest = trimmed;
    // List dashes: `- `, possibly several (`- - a`).
    while let Some(after) = rest
        .strip_prefix("- ")
        .or_else(|| (rest == "-").then_some(""))
    {
        spans.push(Span::styled("- ".to_string(), theme.yaml_punctuation()));
        let spaces = after.len() - after.trim_start().len();
        if spaces > 0 {
            spans.push(Span::raw(" ".repeat(spaces)));
        }
        rest = after.trim_start();
    }
    if rest.starts_with('#') {
        spans.push(Span::styled(rest.to_string(), theme.yaml_comment()));
        return (spans, false);
    }
    // `key:` (plain or quoted), then the value.
    let mut opens_block = false;
    if let Some(colon) = key_end(rest) {
        spans.push(Span::styled(rest[..colon].to_string(), theme.yaml_key()));
        spans.push(Span::styled(":".to_string(), theme.yaml_punctuation()));
        rest = &rest[colon + 1..];
        let value = rest.trim_start();
        let block_indicator = value.split('#').next().unwrap_or_default().trim_end();
        opens_block = block_indicator.starts_with(['|', '>'])
            && block_indicator[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == '+');
    } else if rest.starts_with(['|', '>']) {
        opens_block = true;
    }
    value_spans(rest, theme, &mut spans);
    (spans, opens_block)
}

/// Where a mapping key ends (the `:` followed by a space or the end), outside quotes and flow.
fn key_end(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (index, c) in text.char_indices() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if index == 0 => quote = Some(c),
            (None, '{' | '[' | '#') => return None,
            (None, ':') => {
                let next = text[index + 1..].chars().next();
                if next.is_none_or(char::is_whitespace) {
                    return (index > 0).then_some(index);
                }
            }
            _ => {}
        }
    }
    None
}

/// Colours a value: strings, numbers, literals, flow punctuation, a trailing comment.
fn value_spans(text: &str, theme: Theme, spans: &mut Vec<Span<'static>>) {
    let mut chars = text.char_indices().peekable();
    let mut plain_start: Option<usize> = None;
    let flush = |spans: &mut Vec<Span<'static>>, start: &mut Option<usize>, end: usize| {
        if let Some(begin) = start.take() {
            let word = &text[begin..end];
            spans.push(Span::styled(word.to_string(), scalar_style(word, theme)));
        }
    };
    while let Some((index, c)) = chars.next() {
        match c {
            '"' | '\'' if plain_start.is_none() => {
                let mut end = text.len();
                let mut escaped = false;
                for (at, next) in chars.by_ref() {
                    if c == '"' && next == '\\' && !escaped {
                        escaped = true;
                        continue;
                    }
                    if next == c && !escaped {
                        end = at + next.len_utf8();
                        break;
                    }
                    escaped = false;
                }
                spans.push(Span::styled(
                    text[index..end].to_string(),
                    theme.yaml_string(),
                ));
            }
            '#' if index == 0 || text[..index].ends_with(char::is_whitespace) => {
                flush(spans, &mut plain_start, index);
                spans.push(Span::styled(
                    text[index..].to_string(),
                    theme.yaml_comment(),
                ));
                return;
            }
            '{' | '}' | '[' | ']' | ',' => {
                flush(spans, &mut plain_start, index);
                spans.push(Span::styled(c.to_string(), theme.yaml_punctuation()));
            }
            ':' if plain_start.is_some()
                && chars.peek().is_none_or(|(_, next)| next.is_whitespace()) =>
            {
                // A key inside a flow mapping: `{name: app}`.
                if let Some(begin) = plain_start.take() {
                    spans.push(Span::styled(
                        text[begin..index].to_string(),
                        theme.yaml_key(),
                    ));
                }
                spans.push(Span::styled(":".to_string(), theme.yaml_punctuation()));
            }
            c if c.is_whitespace() => {
                flush(spans, &mut plain_start, index);
                spans.push(Span::raw(c.to_string()));
            }
            _ => {
                if plain_start.is_none() {
                    plain_start = Some(index);
                }
            }
        }
    }
    flush(spans, &mut plain_start, text.len());
}

fn scalar_style(word: &str, theme: Theme) -> Style {
    let literal = matches!(
        word,
        "true"
            | "false"
            | "True"
            | "False"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "null"
            | "~"
            | "y"
            | "n"
    );
    if literal || word.parse::<f64>().is_ok() || word.starts_with("0o") || word.starts_with("0x") {
        theme.yaml_number()
    } else if word.starts_with(['|', '>', '&', '*', '!']) {
        theme.yaml_punctuation()
    } else {
        theme.text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styled(line: &str) -> Vec<(String, Style)> {
        let theme = Theme { color: true };
        highlight(&[line.to_string()], theme)[0]
            .iter()
            .map(|span| (span.content.to_string(), span.style))
            .filter(|(text, _)| !text.trim().is_empty())
            .collect()
    }

    #[test]
    fn keys_values_and_comments_get_their_colours() {
        let theme = Theme { color: true };
        assert_eq!(
            styled("  name: app-config # the ConfigMap"),
            [
                ("name".to_string(), theme.yaml_key()),
                (":".to_string(), theme.yaml_punctuation()),
                ("app-config".to_string(), theme.text()),
                ("# the ConfigMap".to_string(), theme.yaml_comment()),
            ]
        );
        assert_eq!(
            styled("- containerPort: 8080")[3],
            ("8080".to_string(), theme.yaml_number())
        );
        assert_eq!(
            styled("args: [\"10\", sleep]")[3],
            ("\"10\"".to_string(), theme.yaml_string())
        );
        assert_eq!(
            styled("value: yes")[2].1,
            theme.yaml_number(),
            "a YAML boolean stands out"
        );
    }

    #[test]
    fn half_typed_yaml_does_not_break_it() {
        for line in [
            "  - name: \"unclosed",
            "key:",
            ": value",
            "- - - x",
            "{a: [b,",
            "   ",
            "#",
            "a: 'it''s'",
        ] {
            let spans = highlight(&[line.to_string()], Theme { color: true });
            let joined: String = spans[0].iter().map(|span| span.content.as_ref()).collect();
            assert_eq!(joined, line, "the text is kept exactly");
        }
    }

    #[test]
    fn a_block_scalar_body_is_a_string() {
        let theme = Theme { color: true };
        let lines: Vec<String> = [
            "data:",
            "  app.properties: |",
            "    color: blue",
            "    mode: prod",
            "  other: x",
        ]
        .iter()
        .map(|line| line.to_string())
        .collect();
        let spans = highlight(&lines, theme);
        assert_eq!(spans[2][0].style, theme.yaml_string());
        assert_eq!(spans[3][0].style, theme.yaml_string());
        assert_eq!(
            spans[4][1].style,
            theme.yaml_key(),
            "the block ends at the key's indentation"
        );
    }
}
