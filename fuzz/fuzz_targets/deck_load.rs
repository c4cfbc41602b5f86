//! The deck loader on an arbitrary file inside an otherwise valid deck (the first byte picks which:
//! deck.toml, cards, quiz, drills, an exercise or images.toml): it must never panic, and every
//! problem must name a line and column inside its file; the problems render as `deck check`
//! prints them.
#![no_main]

use kubedrill::content;
use kubedrill::model::DeckOrigin;
use libfuzzer_sys::fuzz_target;

const DECK: &str = "format_version = 1\nid = \"f\"\ntitle = \"F\"\nlanguages = [\"en\", \"ko\"]\n\n[[topic]]\nid = \"t\"\ntitle = \"T\"\n";

const TARGETS: [&str; 6] = [
    "deck.toml",
    "topics/t/cards.toml",
    "topics/t/quiz.toml",
    "topics/t/drills.toml",
    "topics/t/exercises/e.toml",
    "images.toml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, data)) = data.split_first() else { return };
    let target = TARGETS[usize::from(which) % TARGETS.len()];
    let mut files = vec![
        ("deck.toml".to_string(), DECK.as_bytes().to_vec()),
        ("topics/t/lesson.en.md".to_string(), b"# T\n".to_vec()),
        ("topics/t/lesson.ko.md".to_string(), b"# T\n".to_vec()),
    ];
    files.retain(|(path, _)| path != target);
    files.push((target.to_string(), data.to_vec()));
    // The loader and validator only: proving exercises runs the grader, which has targets of
    // its own (manifest_check), and would make each run a hundred times slower.
    let report =
        content::check_source(content::DeckSource::from_files(DeckOrigin::BuiltIn, files));
    for problem in &report.problems {
        assert!(problem.line >= 1 && problem.column >= 1, "{problem:?}");
    }
    let source = &report.source;
    let _ = kubedrill::diagnostic::render_text(&report.problems, "", |file| source.text(file), false);
});
