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

/// The 1-based line and column (in characters) of a byte offset (shared with the build script's
/// check of the built-in deck).
pub use crate::content::build_check::line_column;

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

/// `text` cut to `width` cells, with an ellipsis when cut: the result is never wider than
/// `width`, measured in terminal columns (Hangul takes two).
pub fn truncate(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `text` padded with spaces to `width` terminal columns (Hangul and other wide characters
/// take two), so columns line up in both languages.
pub fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// Markdown as plain terminal text, for output that has no styles (`kubedrill watch`, `show`):
/// emphasis loses its `*`, inline code keeps its backticks (they read as code in a terminal, as
/// in rustc's messages), list items get `•` or their number, code blocks are indented, a link
/// shows its address after its text, and paragraphs are separated by one empty line. Control
/// characters are escaped.
pub fn markdown_plain(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut out = String::new();
    // Per open list: the next number, or None for bullets.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut in_code_block = false;
    let mut link: Option<String> = None;
    let blank_line = |out: &mut String| {
        if !out.is_empty() && !out.ends_with("\n\n") {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
        }
    };
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::BlockQuote(_))
                if lists.is_empty() =>
            {
                blank_line(&mut out);
            }
            Event::Start(Tag::List(first)) => {
                if lists.is_empty() {
                    blank_line(&mut out);
                }
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"   ".repeat(depth));
                match lists.last_mut() {
                    Some(Some(number)) => {
                        out.push_str(&format!("{number}. "));
                        *number += 1;
                    }
                    _ => out.push_str("• "),
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                blank_line(&mut out);
                in_code_block = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.into_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take() {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::Text(text) if in_code_block => {
                for line in text.lines() {
                    out.push_str("    ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
            Event::Text(text) => {
                // A list item's continuation lines line up under its text.
                let indent = "   ".repeat(lists.len());
                out.push_str(&text.replace('\n', &format!("\n{indent}")));
            }
            Event::Code(code) => {
                out.push('`');
                out.push_str(&code);
                out.push('`');
            }
            Event::SoftBreak => {
                out.push('\n');
                out.push_str(&"   ".repeat(lists.len()));
            }
            Event::HardBreak => out.push('\n'),
            Event::Rule => {
                blank_line(&mut out);
                out.push_str("———");
            }
            Event::Html(html) | Event::InlineHtml(html) => out.push_str(&html),
            _ => {}
        }
    }
    let trimmed = out.trim_matches('\n');
    escape_controls(trimmed).into_owned()
}

/// `line` broken at spaces into pieces no wider than `columns` terminal columns (Hangul counts
/// two), each continuation indented like the line itself so a list item's text stays in its
/// column. A word wider than the room is cut where it must be.
pub fn wrap(line: &str, columns: usize) -> Vec<String> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if line.width() <= columns || columns < 8 {
        return vec![line.to_string()];
    }
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let mut pieces = Vec::new();
    let mut current = String::new();
    for word in line.trim_start_matches(' ').split(' ') {
        let prefix = if current.is_empty() {
            if pieces.is_empty() {
                indent.as_str()
            } else {
                ""
            }
        } else {
            " "
        };
        let start_fresh = |pieces: &mut Vec<String>, current: &mut String| {
            if !current.is_empty() {
                pieces.push(std::mem::take(current));
            }
            current.push_str(&indent);
        };
        if current.width() + prefix.width() + word.width() > columns {
            if !current.trim().is_empty() {
                start_fresh(&mut pieces, &mut current);
            } else if current.is_empty() {
                current.push_str(&indent);
            }
            // A word wider than a whole line is cut.
            for c in word.chars() {
                if current.width() + c.width().unwrap_or(0) > columns {
                    start_fresh(&mut pieces, &mut current);
                }
                current.push(c);
            }
        } else {
            current.push_str(prefix);
            current.push_str(word);
        }
    }
    if !current.trim().is_empty() {
        pieces.push(current);
    }
    pieces
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

    #[test]
    fn markdown_becomes_plain_text_without_its_markers() {
        let task = "Write two resources:\n\n1. A ConfigMap `app-config`.\n2. A Pod that loads\n   **every** key with *envFrom*.\n\nSee [the docs](https://kubernetes.io).\n\n```yaml\nkind: Pod\n```\n";
        assert_eq!(
            markdown_plain(task),
            "Write two resources:\n\n1. A ConfigMap `app-config`.\n2. A Pod that loads\n   every key with envFrom.\n\nSee the docs (https://kubernetes.io).\n\n    kind: Pod"
        );
        assert_eq!(markdown_plain("- a\n- b\n"), "• a\n• b");
        assert_eq!(markdown_plain("x \u{1b}[2J"), "x \\u{1b}[2J");
    }

    #[test]
    fn lines_wrap_at_spaces_and_keep_their_indent() {
        assert_eq!(wrap("short", 20), ["short"]);
        assert_eq!(
            wrap("     every key of app-config as environment", 20),
            [
                "     every key of",
                "     app-config as",
                "     environment"
            ]
        );
        // Hangul is two columns wide, and breaks between words, not inside them.
        assert_eq!(
            wrap("ReplicaSet을 만들고 롤백합니다", 18),
            ["ReplicaSet을", "만들고 롤백합니다"]
        );
        assert_eq!(wrap("abcdefghijkl", 8), ["abcdefgh", "ijkl"]);
        for piece in wrap(
            "  ✗ envfrom-ref (2 points)  The container must load `app-config` with `envFrom`",
            30,
        ) {
            assert!(
                unicode_width::UnicodeWidthStr::width(piece.as_str()) <= 30,
                "{piece}"
            );
        }
    }
}
