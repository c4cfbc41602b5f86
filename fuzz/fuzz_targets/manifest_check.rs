//! The manifest checker on arbitrary bytes: it must never panic, and every diagnostic must point
//! inside the input.
#![no_main]

use kubedrill::cli::Lang;
use kubedrill::manifest::{self, Version};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let report = manifest::check(text, Version::pinned());
    for diagnostic in &report.diagnostics {
        assert!(diagnostic.line >= 1 && diagnostic.column >= 1, "{diagnostic:?}");
        assert!(diagnostic.offset <= text.len(), "{diagnostic:?}");
    }
    // The text rendering slices the source by those offsets, in both languages (the Korean
    // templates fill in parts of the English message).
    let localized: Vec<_> = report.diagnostics.iter().cloned().map(|d| d.localized(Lang::Ko)).collect();
    let _ = manifest::diagnostic::render_text(&report.diagnostics, "fuzz.yaml", text, false, Lang::En);
    let _ = manifest::diagnostic::render_text(&localized, "fuzz.yaml", text, true, Lang::Ko);
});
