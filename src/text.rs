//! Showing untrusted text safely. Decks and manifests come from strangers: a card or a key name
//! may carry terminal escape sequences (`ESC[2J`, OSC 8 links) or bidirectional overrides that
//! reorder what a reader sees. Every message that quotes such text passes through here first.

use std::borrow::Cow;

/// Characters that must never reach a terminal raw: C0 and C1 controls (other than tab and
/// newline), DEL, and the Unicode bidirectional embedding, override and isolate characters.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Returns `text` with every unsafe character written as a visible escape (`\u{1b}`).
/// Newlines and tabs are kept. Borrowed when nothing needed escaping.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`escape_controls`] but keeps every byte offset valid: each unsafe character is replaced
/// by as many `?` as it has bytes. Used for source snippets whose spans are byte ranges.
pub fn mask_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// 1-based line and column (counted in characters, as editors and rustc do) of a byte offset.
/// An offset past the end, or inside a character, is clamped to a valid position.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The candidate `word` was most likely meant to be ("did you mean `name`?"): the one fewest
/// edits away (a swap of two neighbours counts as one edit, so `nmae` → `name`), allowing one
/// edit for words up to 4 characters, two up to 8, three beyond. Ties go to the more similar
/// by Jaro-Winkler.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let length = word.chars().count();
    let allowed = match length {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    candidates
        .into_iter()
        .filter(|candidate| *candidate != word)
        .map(|candidate| {
            (
                strsim::osa_distance(word, candidate),
                strsim::jaro_winkler(word, candidate),
                candidate,
            )
        })
        .filter(|(distance, _, candidate)| {
            *distance <= allowed && *distance < candidate.chars().count()
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)))
        .map(|(_, _, candidate)| candidate)
}

/// `text` padded with spaces to `width` terminal columns (Hangul and other wide characters
/// take two), so columns line up in both languages.
pub fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// `1 error`, `2 errors`: an English count with its noun.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_controls_makes_escape_sequences_visible() {
        assert_eq!(escape_controls("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_controls("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(escape_controls("line\nnext\ttab"), "line\nnext\ttab");
    }

    #[test]
    fn mask_controls_keeps_byte_offsets() {
        let text = "a\u{1b}b\u{9b}c";
        let masked = mask_controls(text);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked, "a?b??c");
    }

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "id = 1\n한국어 = 2";
        assert_eq!(line_column(text, 0), (1, 1));
        let offset = text.find('=').unwrap();
        assert_eq!(line_column(text, offset), (1, 4));
        let second = text.rfind('=').unwrap();
        assert_eq!(line_column(text, second), (2, 5));
        assert_eq!(line_column(text, 10_000), (2, 8));
    }

    #[test]
    fn did_you_mean_finds_close_typos_only() {
        assert_eq!(did_you_mean("nmae", ["name", "optional"]), Some("name"));
        assert_eq!(
            did_you_mean("fornt", ["id", "front", "back"]),
            Some("front")
        );
        assert_eq!(did_you_mean("zzz", ["id", "front", "back"]), None);
        assert_eq!(did_you_mean("kr", ["en", "ko"]), Some("ko"));
        assert_eq!(
            did_you_mean("excercise", ["card", "exercise", "drill"]),
            Some("exercise")
        );
        assert_eq!(did_you_mean("x", ["id", "front"]), None);
    }
}
