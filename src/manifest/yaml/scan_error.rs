//! A scanner error turned into what a learner should fix, at the place to fix it: a key
//! indented deeper or less than its neighbours, a list item out of line, a tab met while reading
//! the line above, a missing `:`, a value with `: ` in it.

use super::truncate;
use crate::text::escape_controls;

/// Turns the parser's error into what a learner should fix, at the place to fix it.
pub(super) fn explain_scan_error(
    text: &str,
    line: usize,
    column: usize,
    info: &str,
) -> (usize, usize, String) {
    let lines: Vec<&str> = text.lines().collect();
    // A tab used for indentation: point at the tab, not at what follows it. The parser may
    // notice it while still reading the value of the line above ("while scanning a plain
    // scalar, found a tab"), so the tab can be on this line or a later one.
    if info.contains("tab") {
        let tabbed = (line.max(1)..=lines.len()).find_map(|number| {
            let current = lines[number - 1];
            current
                .find('\t')
                .filter(|tab| current[..*tab].trim().is_empty())
                .map(|tab| (number, tab + 1))
        });
        if let Some((number, column)) = tabbed {
            return (
                number,
                column,
                "YAML does not allow tabs for indentation; indent with spaces".to_string(),
            );
        }
    }
    // A flow list or map left open on the line before the error: that is the mistake.
    let previous = (1..line).rev().find(|number| {
        let content = lines.get(number - 1).map_or("", |text| text.trim());
        !content.is_empty() && !content.starts_with('#')
    });
    if let Some((opener_column, opener)) =
        previous.and_then(|previous| unclosed_flow(lines[previous - 1]))
    {
        let closer = if opener == '[' { ']' } else { '}' };
        let what = if opener == '[' { "list" } else { "map" };
        let message = format!("this `{opener}` is never closed: end the {what} with `{closer}`");
        return (previous.unwrap_or(line), opener_column, message);
    }
    if let Some(explained) = explain_indentation(&lines, line, column, info) {
        return explained;
    }
    let message = if info.contains("recursion limit") {
        "the input nests lists and maps deeper than kubedrill reads; no manifest needs this"
            .to_string()
    } else {
        crate::text::escape_controls(info).into_owned()
    };
    (line, column, message)
}

/// One line of block YAML as far as indentation goes (0-based columns; indentation is ASCII).
#[derive(Debug, Clone, Copy)]
struct Layout<'t> {
    /// 1-based line number.
    number: usize,
    /// Where the line's content starts.
    start: usize,
    /// The `-` of a list item that starts here.
    dash: Option<usize>,
    /// Where the key (or the item's value) starts: after the `- ` of an item.
    key_column: usize,
    /// The key, when the line (or its item) starts with one (`name` of `- name: web`).
    key: Option<&'t str>,
    /// The content after the `- `, for a line without a key.
    content: &'t str,
}

impl Layout<'_> {
    /// The column that closes the levels above it: the item's `-`, else the key's.
    fn level(&self) -> usize {
        self.dash.unwrap_or(self.key_column)
    }

    /// How a message names the line: its key, or what it holds.
    fn name(&self) -> String {
        let name = self.key.unwrap_or(self.content);
        escape_controls(&truncate(name, 30)).into_owned()
    }
}

/// The layout of line `number`, or `None` for a blank or comment-only line, a document marker,
/// or one indented with anything but spaces.
fn layout<'t>(lines: &[&'t str], number: usize) -> Option<Layout<'t>> {
    let text = *lines.get(number.checked_sub(1)?)?;
    let text = text.strip_suffix('\r').unwrap_or(text);
    let start = text.len() - text.trim_start_matches(' ').len();
    let rest = &text[start..];
    if rest.is_empty() || rest.starts_with(['#', '\t']) || rest.starts_with("---") {
        return None;
    }
    let (dash, key_column, content) = match rest.strip_prefix('-') {
        Some(after) if after.is_empty() || after.starts_with(' ') => {
            let value = after.trim_start_matches(' ');
            (Some(start), start + rest.len() - value.len(), value)
        }
        _ => (None, start, rest),
    };
    Some(Layout {
        number,
        start,
        dash,
        key_column,
        key: plain_key(content),
        content,
    })
}

/// The key a line's content starts with (`name` of `name: web`), when it is a plain one.
fn plain_key(content: &str) -> Option<&str> {
    let end = content
        .find(": ")
        .or_else(|| content.strip_suffix(':').map(str::len))?;
    let key = &content[..end];
    (!key.is_empty() && !key.starts_with(['"', '\'', '[', '{', '&', '*', '!', '#', '-', '?']))
        .then_some(key)
}

/// The lines above `number` that hold it (innermost first): each is to the left of the one
/// before it, as the levels of block YAML are.
fn levels_above<'t>(lines: &[&'t str], number: usize) -> Vec<Layout<'t>> {
    let mut levels: Vec<Layout<'t>> = Vec::new();
    for above in (1..number).rev() {
        let Some(layout) = layout(lines, above) else {
            continue;
        };
        let limit = levels.last().map_or(usize::MAX, Layout::level);
        if layout.key_column < limit || layout.level() < limit {
            let level = layout.level();
            levels.push(layout);
            if level == 0 {
                break;
            }
        }
    }
    levels
}

/// A wrongly indented key or list item, or a key without its colon, named at the line where
/// it is, with what is wrong; `None` when the error is something else.
fn explain_indentation(
    lines: &[&str],
    line: usize,
    column: usize,
    info: &str,
) -> Option<(usize, usize, String)> {
    let mapping_value = info.contains("mapping values are not allowed");
    let expected_key = info.contains("did not find expected key");
    let expected_dash = info.contains("did not find expected '-'");
    let expected_colon = info.contains("expect ':'") || info.contains("expected ':'");
    if !(mapping_value || expected_key || expected_dash || expected_colon) {
        return None;
    }
    if expected_colon {
        // The parser notices the missing `:` at the line after, or at the line's end.
        return (1..=line)
            .rev()
            .filter_map(|number| layout(lines, number))
            .take(2)
            .find_map(missing_colon);
    }
    let here = layout(lines, line)?;
    let levels = levels_above(lines, line);
    let above = levels.first()?;
    let what = match here.key {
        _ if here.dash.is_some() => "this list item".to_string(),
        Some(key) => format!("`{}`", escape_controls(key)),
        None => "this line".to_string(),
    };
    if mapping_value {
        // `key: a: b`: the colon is inside the value, not after the line's key.
        let key_colon = here.key_column + here.key.map_or(0, |key| key.chars().count()) + 1;
        if here.key.is_none() || column != key_colon {
            return Some((
                line,
                column,
                "this value has `: ` in it, which YAML reads as the start of another key; put the whole value in quotes".to_string(),
            ));
        }
        if here.start <= above.key_column {
            // Not deeper: the line above may be a key without its colon (`name web`).
            return missing_colon(*above);
        }
    }
    let start = here.start;
    let message = if start > above.key_column {
        let items = if here.dash.is_some() {
            "items of one list"
        } else {
            "keys of one map"
        };
        format!(
            "{what} is indented deeper than `{}` on the line above (column {}), so YAML reads it as part of that key's value; {items} line up",
            above.name(),
            above.key_column + 1
        )
    } else if let Some(list) = levels
        .iter()
        .find(|level| level.dash == Some(start) && here.dash.is_none())
    {
        let parent = levels.iter().find(|level| level.level() < start);
        match parent {
            Some(parent) => format!(
                "{what} is at the column of the list's `-` (column {}), where YAML expects another `- ` item; indent it to column {} to put it in the item, or to column {} beside `{}`",
                start + 1,
                list.key_column + 1,
                parent.key_column + 1,
                parent.name()
            ),
            None => format!(
                "{what} is at the column of the list's `-` (column {}), where YAML expects another `- ` item; indent it to column {} to put it in the item",
                start + 1,
                list.key_column + 1
            ),
        }
    } else if let (Some(_), Some(item), Some(outer)) = (
        here.dash,
        levels
            .iter()
            .find(|level| level.dash.is_some_and(|dash| dash > start)),
        levels.iter().find(|level| level.level() < start),
    ) {
        format!(
            "this list item is indented less than the item above it (column {}) and more than `{}` (column {}); items of one list line up",
            item.level() + 1,
            outer.name(),
            outer.key_column + 1
        )
    } else if start < above.key_column {
        // The nearest line of the deepest level still right of this one.
        let deeper = || levels.iter().take_while(|level| level.key_column > start);
        let column = deeper().map(|level| level.key_column).min()?;
        let inner = deeper().find(|level| level.key_column == column)?;
        let outer = levels.iter().find(|level| level.level() < start);
        let lines_up = if here.dash.is_some() {
            "items of one list"
        } else {
            "keys of one map"
        };
        match outer {
            Some(outer)
                if outer
                    .dash
                    .is_some_and(|dash| dash < start && start < outer.key_column) =>
            {
                format!(
                    "{what} is indented less than `{}` above it (column {}) and more than the `-` of its list item (column {}); {lines_up} line up",
                    inner.name(),
                    inner.key_column + 1,
                    outer.level() + 1
                )
            }
            Some(outer) => format!(
                "{what} is indented less than `{}` above it (column {}) and more than `{}` (column {}); {lines_up} line up",
                inner.name(),
                inner.key_column + 1,
                outer.name(),
                outer.key_column + 1
            ),
            None => return None,
        }
    } else {
        return None;
    };
    Some((line, start + 1, message))
}

/// A line whose content is words with no `:` (`image nginx`): the key's colon was left out.
fn missing_colon(layout: Layout<'_>) -> Option<(usize, usize, String)> {
    let content = layout.content.trim_end();
    if layout.key.is_some() || content.contains(':') {
        return None;
    }
    let (key, value) = content.split_once(' ')?;
    let key_like = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    if !key_like || layout.dash.is_some() && value.trim().is_empty() {
        return None;
    }
    Some((
        layout.number,
        layout.key_column + 1,
        format!(
            "`{}` has no `:` after its key; write the key, a colon and a space, such as `{}: {}`",
            escape_controls(&truncate(content, 40)),
            escape_controls(key),
            escape_controls(&truncate(value.trim(), 30))
        ),
    ))
}

/// The 1-based column and character of the last `[` or `{` a line opens and does not close,
/// outside quotes and comments.
fn unclosed_flow(line: &str) -> Option<(usize, char)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut escaped = false;
    for (column, c) in line.chars().enumerate() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' if previous == ' ' || "[{,:".contains(previous) => quote = Some(c),
                '#' if previous == ' ' => break,
                '[' | '{' => open.push((column + 1, c)),
                ']' | '}' => {
                    open.pop();
                }
                _ => {}
            },
        }
        previous = c;
    }
    open.pop()
}
