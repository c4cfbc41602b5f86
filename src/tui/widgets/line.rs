//! A one-line text field (a drill's command line, a typed answer, a setting, the search box):
//! the usual editing keys, with the cursor counted in characters.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The byte index of character `chars` of `text` (its length past the end).
pub fn byte_index(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(index, _)| index)
}

/// Edits a one-line field with the usual keys (Backspace, Delete, arrows, Home/End, Ctrl-U,
/// Ctrl-W); `cursor` is in characters, `None` for fields typed at the end only.
pub fn edit_line(text: &mut String, cursor: Option<&mut usize>, key: KeyEvent) {
    let mut end = text.chars().count();
    let at = match &cursor {
        Some(cursor) => (**cursor).min(end),
        None => end,
    };
    let mut at = at;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => {
            let byte = byte_index(text, at);
            text.replace_range(..byte, "");
            at = 0;
        }
        KeyCode::Char('w') if ctrl => {
            let before: String = text.chars().take(at).collect();
            let trimmed = before.trim_end();
            let start = trimmed
                .rfind(' ')
                .map_or(0, |space| trimmed[..space + 1].chars().count());
            let (from, to) = (byte_index(text, start), byte_index(text, at));
            text.replace_range(from..to, "");
            at = start;
        }
        KeyCode::Char('a') if ctrl => at = 0,
        KeyCode::Char('e') if ctrl => at = end,
        KeyCode::Char(c) if !ctrl => {
            let byte = byte_index(text, at);
            text.insert(byte, c);
            at += 1;
        }
        KeyCode::Backspace if at > 0 => {
            let byte = byte_index(text, at - 1);
            text.remove(byte);
            at -= 1;
        }
        KeyCode::Delete if at < end => {
            let byte = byte_index(text, at);
            text.remove(byte);
        }
        KeyCode::Left => at = at.saturating_sub(1),
        KeyCode::Right => at = (at + 1).min(end),
        KeyCode::Home => at = 0,
        KeyCode::End => at = end,
        _ => {}
    }
    end = text.chars().count();
    if let Some(cursor) = cursor {
        *cursor = at.min(end);
    }
}
