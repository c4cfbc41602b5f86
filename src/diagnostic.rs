//! Problems found in a deck, and their two renderings: rustc-like text with a snippet and a caret
//! for people, JSON for tools. Every problem says where (file, line, column), which item, what is
//! wrong and, where a fix is known, what to do.

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

use crate::text::{escape_controls, line_column, mask_controls};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file of a deck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// The file, relative to the deck's folder, with `/` separators (`topics/env/cards.toml`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The item the problem is in (`card env-value-field`), when there is one.
    pub item: Option<String>,
    /// A stable, kebab-case name for the kind of problem (`unknown-key`, `duplicate-id`).
    pub rule: &'static str,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Byte range in the file, for the snippet.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}

impl Problem {
    /// A problem at `span` of `text` (the file's contents).
    pub fn at(
        file: &str,
        text: &str,
        span: Range<usize>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Problem {
        let (line, column) = line_column(text, span.start);
        Problem {
            severity: Severity::Error,
            file: file.to_string(),
            line,
            column,
            item: None,
            rule,
            message: message.into(),
            help: None,
            span: Some(span),
        }
    }

    /// A problem about a whole file (or a file that is missing): reported at 1:1.
    pub fn in_file(file: &str, rule: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            file: file.to_string(),
            line: 1,
            column: 1,
            item: None,
            rule,
            message: message.into(),
            help: None,
            span: None,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Builder methods that work on a new `Problem` and on a `&mut Problem` just pushed to a list.
pub trait ProblemBuilder: Sized {
    fn problem_mut(&mut self) -> &mut Problem;

    /// What to do about it.
    fn help(mut self, help: impl Into<String>) -> Self {
        self.problem_mut().help = Some(help.into());
        self
    }

    fn warning(mut self) -> Self {
        self.problem_mut().severity = Severity::Warning;
        self
    }

    /// Names the item the problem is in.
    fn item(mut self, item: Option<String>) -> Self {
        self.problem_mut().item = item;
        self
    }
}

impl ProblemBuilder for Problem {
    fn problem_mut(&mut self) -> &mut Problem {
        self
    }
}

impl ProblemBuilder for &mut Problem {
    fn problem_mut(&mut self) -> &mut Problem {
        self
    }
}

/// Whether text output may use colour: never when NO_COLOR is set (https://no-color.org) or
/// output is not a terminal.
pub fn use_color(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// Renders problems as rustc does: `error[rule]: message`, `--> path:line:col`, the source line
/// with a caret under the span, then `= help: ...`. `source` returns a file's text by its
/// deck-relative name; `display_root` is prefixed to file names (the deck folder as given).
pub fn render_text<'s>(
    problems: &[Problem],
    display_root: &str,
    source: impl Fn(&str) -> Option<&'s str>,
    color: bool,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for problem in problems {
        let path = escape_controls(&join_path(display_root, &problem.file)).into_owned();
        let mut title = problem.message.clone();
        if let Some(item) = &problem.item {
            title = format!("{title} (in {item})");
        }
        let title = escape_controls(&title).into_owned();
        let level = match problem.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let text = source(&problem.file);
        let group = match (&problem.span, text) {
            (Some(span), Some(text)) => {
                let masked = mask_controls(text);
                let span = first_line(&masked, span.clone());
                level.primary_title(title).id(problem.rule).element(
                    Snippet::source(masked.into_owned())
                        .path(path)
                        .annotation(AnnotationKind::Primary.span(span)),
                )
            }
            _ => level.primary_title(title).id(problem.rule).element(
                Origin::path(path)
                    .line(problem.line)
                    .char_column(problem.column),
            ),
        };
        let group = match &problem.help {
            Some(help) => group.element(Level::HELP.message(escape_controls(help).into_owned())),
            None => group,
        };
        let report: [Group; 1] = [group];
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out
}

/// Keeps a span on its first line (a missing-key error spans a whole table; the caret belongs
/// under its header) and never empty, so the caret shows.
fn first_line(text: &str, span: Range<usize>) -> Range<usize> {
    let start = span.start.min(text.len());
    let end = text[start..span.end.clamp(start, text.len())]
        .find('\n')
        .map_or(span.end.min(text.len()), |newline| start + newline);
    if end > start {
        start..end
    } else if text[start..].starts_with(['\n', '\r']) || start == text.len() {
        // At the end of a line: an empty span puts the caret just after the last character.
        start..start
    } else {
        let next = text[start..].chars().next().map_or(0, char::len_utf8);
        start..start + next
    }
}

/// `root/file`, without doubling a trailing slash; the built-in deck shows as `<built-in>/file`.
pub fn join_path(root: &str, file: &str) -> String {
    if root.is_empty() {
        file.to_string()
    } else {
        format!("{}/{}", root.trim_end_matches('/'), file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rendering_shows_location_caret_and_help() {
        let text = "id = \"x\"\nfornt = \"a\"\n";
        let span = text.find("fornt").unwrap()..text.find("fornt").unwrap() + 5;
        let problem = Problem::at(
            "topics/t/cards.toml",
            text,
            span,
            "unknown-key",
            "unknown key `fornt`",
        )
        .help("did you mean `front`?");
        assert_eq!((problem.line, problem.column), (2, 1));
        let out = render_text(&[problem], "deck", |_| Some(text), false);
        assert!(
            out.contains("error[unknown-key]: unknown key `fornt`"),
            "{out}"
        );
        assert!(out.contains("--> deck/topics/t/cards.toml:2:1"), "{out}");
        assert!(out.contains("^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `front`?"), "{out}");
    }

    #[test]
    fn text_rendering_never_prints_raw_escape_sequences() {
        let text = "front = \"\u{1b}[2J\"\nfornt = 1\n";
        let span = text.find("fornt").unwrap()..text.find("fornt").unwrap() + 5;
        let problem = Problem::at(
            "cards.toml",
            text,
            span,
            "unknown-key",
            "unknown key `\u{1b}]8;;x`",
        );
        let out = render_text(&[problem], "", |_| Some(text), false);
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(out.contains("\\u{1b}]8;;x"), "{out}");
    }

    #[test]
    fn a_file_level_problem_still_names_line_and_column() {
        let problem = Problem::in_file(
            "topics/t/lesson.ko.md",
            "missing-lesson",
            "no Korean lesson",
        );
        let out = render_text(&[problem], "deck", |_| None, false);
        assert!(out.contains("deck/topics/t/lesson.ko.md:1:1"), "{out}");
    }
}
