//! docs/deck-format.md ends with a complete example deck, one fenced block per file
//! (```` ```toml file=deck.toml ````). This test writes those blocks to a folder and checks the
//! deck, so the documentation's example cannot drift from what the loader accepts. The same
//! blocks are what `kubedrill deck new` writes (tests/cli.rs checks that deck too).

use std::path::Path;

use kubedrill::content;

#[test]
fn the_documented_example_deck_is_valid() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deck-format.md"))
            .unwrap();
    let files = content::scaffold::example_files(&doc);
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
            "topics/env/exercises/app-color-port.toml",
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
        (1, 2, 2, 2)
    );
    // The lesson's own code block survives the outer four-backtick fence.
    assert!(deck.topics[0].lesson.get("en").contains("```yaml\nenv:\n"));
    assert!(deck.topics[0].lesson.get("ko").starts_with("# 환경 변수"));
}
