//! The YAML editor's text area (two-space indent, no hard tabs) and keeping its cursor line in
//! view of the pane it is drawn in.

use ratatui_textarea::TextArea;

/// An editor holding `text`, set up for YAML: two-space indent, no hard tabs.
pub fn editor_with(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.lines().map(str::to_string).collect()
    };
    editor_of_lines(lines)
}

/// The editor holding exactly these lines.
pub fn editor_of_lines(lines: Vec<String>) -> TextArea<'static> {
    let mut editor = TextArea::new(lines);
    editor.set_tab_length(2);
    editor.set_hard_tab_indent(false);
    editor.set_max_histories(500);
    editor
}

/// The first line to show so that line `row` is in a pane of `height` lines that showed
/// `top` first: unchanged while the row is in view, else the least scroll that brings it in.
pub fn follow(top: usize, row: usize, height: usize) -> usize {
    let height = height.max(1);
    if row < top {
        row
    } else if row >= top + height {
        row + 1 - height
    } else {
        top
    }
}

#[cfg(test)]
mod tests {
    use super::follow;

    #[test]
    fn the_view_moves_only_as_far_as_the_cursor_needs() {
        assert_eq!(follow(0, 5, 10), 0);
        assert_eq!(follow(0, 10, 10), 1);
        assert_eq!(follow(8, 3, 10), 3);
        assert_eq!(follow(0, 20, 14), 7);
    }
}
