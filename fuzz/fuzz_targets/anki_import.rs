//! Anki import on arbitrary files: reading the text format, turning notes into cards and their
//! HTML into Markdown must never panic, and every warning names a line of the file.
#![no_main]

use kubedrill::content::anki;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = text.lines().count().max(1);
    if let Ok(file) = anki::parse(text, None) {
        let (cards, warnings) = anki::cards(&file, None);
        for warning in &warnings {
            assert!(warning.line >= 1 && warning.line <= lines + 1, "{warning:?}");
        }
        for card in &cards {
            assert!(!card.front.is_empty() && !card.back.is_empty());
            let html = anki::html::markdown_to_html(&card.front);
            let _ = anki::html::html_to_markdown(&html);
        }
    }
    let _ = anki::html::html_to_markdown(text);
});
