//! Quoted values whose later lines are indented less than YAML 1.2 asks, read as go-yaml (and
//! so kubectl) reads them: the lines are indented further, the stream parsed again, and
//! positions mapped back to the text as written.

use super::*;

/// The stream with the later lines of some quoted values indented further, and how to map
/// positions in it back to the stream as written.
pub(super) struct Reindented {
    pub(super) text: String,
    /// Spaces added at the start of each line (1-based line number → count).
    added: std::collections::BTreeMap<usize, usize>,
    pub(super) rounds: usize,
}

impl Reindented {
    pub(super) fn new(text: &str) -> Reindented {
        Reindented {
            text: text.to_string(),
            added: std::collections::BTreeMap::new(),
            rounds: 0,
        }
    }

    /// Indents the later lines of the quoted value whose quote is at `line`, `column` (0-based
    /// characters) to the quote's column. `false` when there is no quoted value there or no
    /// line to indent.
    pub(super) fn indent_quoted(&mut self, line: usize, column: usize) -> bool {
        self.rounds += 1;
        let line_start: usize = self
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let Some((quote_offset, quote)) = self.text[line_start..]
            .char_indices()
            .nth(column)
            .map(|(offset, c)| (line_start + offset, c))
        else {
            return false;
        };
        if quote != '\'' && quote != '"' {
            return false;
        }
        // Where the value ends: the closing quote (`''` is a quote inside single quotes, `\"`
        // inside double quotes).
        let mut end = None;
        let mut chars = self.text[quote_offset + 1..].char_indices().peekable();
        while let Some((offset, c)) = chars.next() {
            match (quote, c) {
                ('"', '\\') => {
                    chars.next();
                }
                ('\'', '\'') if chars.peek().is_some_and(|(_, next)| *next == '\'') => {
                    chars.next();
                }
                (quote, c) if c == quote => {
                    end = Some(quote_offset + 1 + offset);
                    break;
                }
                _ => {}
            }
        }
        let end = end.unwrap_or(self.text.len());
        let last_line = line + self.text[quote_offset..end].matches('\n').count();
        let mut changed = false;
        let mut rebuilt = String::with_capacity(self.text.len() + 64);
        for (index, text_line) in self.text.split_inclusive('\n').enumerate() {
            let number = index + 1;
            let indentation = text_line.len() - text_line.trim_start_matches(' ').len();
            if number > line
                && number <= last_line
                && indentation < column
                && !text_line.trim().is_empty()
            {
                let more = column - indentation;
                rebuilt.extend(std::iter::repeat_n(' ', more));
                *self.added.entry(number).or_default() += more;
                changed = true;
            }
            rebuilt.push_str(text_line);
        }
        self.text = rebuilt;
        changed
    }

    /// A position in the re-indented text as a position in the stream as written.
    pub(super) fn map(&self, at: Pos) -> Pos {
        let before: usize = self.added.range(..at.line).map(|(_, added)| added).sum();
        let here = self.added.get(&at.line).copied().unwrap_or(0);
        let shift = here.min(at.column.saturating_sub(1));
        Pos {
            line: at.line,
            column: at.column - shift,
            offset: at.offset.saturating_sub(before + shift),
            len: at.len,
        }
    }

    pub(super) fn node(&self, node: Node) -> Node {
        let value = match node.value {
            Value::Seq(items) => {
                Value::Seq(items.into_iter().map(|item| self.node(item)).collect())
            }
            Value::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(key, value)| {
                        (
                            Key {
                                name: key.name,
                                at: self.map(key.at),
                            },
                            self.node(value),
                        )
                    })
                    .collect(),
            ),
            other => other,
        };
        Node {
            value,
            at: self.map(node.at),
        }
    }

    pub(super) fn document(&self, document: Document) -> Document {
        Document {
            index: document.index,
            root: self.node(document.root),
        }
    }

    pub(super) fn error(&self, error: SyntaxError) -> SyntaxError {
        let at = self.map(Pos {
            line: error.line,
            column: error.column,
            offset: error.offset,
            len: 0,
        });
        SyntaxError {
            line: at.line,
            column: at.column,
            offset: at.offset,
            ..error
        }
    }
}
