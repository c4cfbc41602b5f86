//! docs/deck-format.md ends with a complete example deck, one fenced block per file
//! (```` ```toml file=deck.toml ````). This test writes those blocks to a folder and checks the
//! deck, so the documentation's example cannot drift from what the loader accepts.

use std::path::Path;

use kubedrill::content;

/// `(path, contents)` of every fenced block whose info string names a `file=`.
fn example_files(markdown: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let fence_len = line.chars().take_while(|c| *c == '`').count();
        if fence_len < 3 {
            continue;
        }
        let info = &line[fence_len..];
        let Some(path) = info
            .split_whitespace()
            .find_map(|word| word.strip_prefix("file="))
        else {
            continue;
        };
        let mut body = String::new();
        for line in lines.by_ref() {
            let closing = line.trim_end();
            if closing.len() >= fence_len && closing.chars().all(|c| c == '`') {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        files.push((path.to_string(), body));
    }
    files
}

#[test]
fn the_documented_example_deck_is_valid() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deck-format.md"))
            .unwrap();
    let files = example_files(&doc);
    let names: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        names,
        [
            "deck.toml",
            "topics/env/lesson.en.md",
            "topics/env/lesson.ko.md",
            "topics/env/cards.toml",
            "topics/env/quiz.toml",
            "topics/env/drills.toml",
            "topics/env/exercises/webapp-color.toml",
        ]
    );
    let folder = tempfile::tempdir().unwrap();
    for (path, contents) in &files {
        let target = folder.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, contents).unwrap();
    }
    let report = content::check_dir(folder.path()).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let deck = report.deck.expect("the example deck loads");
    assert_eq!(deck.id.as_str(), "example");
    let counts = deck.counts();
    assert_eq!(
        (
            counts.cards,
            counts.questions,
            counts.drills,
            counts.exercises
        ),
        (1, 2, 1, 1)
    );
    // The lesson's own code block survives the outer four-backtick fence.
    assert!(deck.topics[0].lesson.get("en").contains("```yaml\nenv:\n"));
    assert!(deck.topics[0].lesson.get("ko").starts_with("# 환경 변수"));
}
