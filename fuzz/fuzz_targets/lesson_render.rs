//! The lesson renderer on arbitrary Markdown at any width: it must never panic, no line may be
//! wider than the text area, and headings and links point at lines that exist.
#![no_main]

use kubedrill::tui::{Theme, render_lesson};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&width, rest)) = data.split_first() else { return };
    let Ok(markdown) = std::str::from_utf8(rest) else { return };
    let width = u16::from(width).max(20);
    let rendered = render_lesson(markdown, width, Theme { color: true });
    for line in &rendered.lines {
        assert!(line.width() <= usize::from(width), "{} > {width}: {line:?}", line.width());
    }
    for heading in &rendered.headings {
        assert!(heading.line < rendered.lines.len().max(1));
    }
    for link in &rendered.links {
        assert!(link.line < rendered.lines.len().max(1));
    }
});
