//! docs/authoring.md walks an instructor through writing a deck and promises that every output
//! it shows is real. This test builds the tutorial's deck from its `file=` blocks, checks it, and
//! runs the documented `kubedrill` commands on it, comparing what they print with the text the
//! tutorial shows right after each command. When the program's wording changes, this test says
//! which example in the tutorial to update.

use std::path::{Path, PathBuf};
use std::process::Command;

use kubedrill::content;

fn tutorial() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/authoring.md"))
        .unwrap()
}

/// The contents of the first ```` ```text ```` block after `after` in the tutorial.
fn text_block_after(doc: &str, after: &str) -> String {
    let start = doc
        .find(after)
        .unwrap_or_else(|| panic!("the tutorial shows `{after}`"));
    let rest = &doc[start + after.len()..];
    let open = rest.find("```text\n").expect("a text block follows") + "```text\n".len();
    let close = rest[open..]
        .find("\n```")
        .expect("the text block is closed");
    format!("{}\n", &rest[open..open + close])
}

/// The tutorial's deck, written to `labels-deck/` inside a fresh folder.
fn write_deck(doc: &str) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let deck = folder.path().join("labels-deck");
    for (path, contents) in content::scaffold::example_files(doc) {
        let target = deck.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, contents).unwrap();
    }
    (folder, deck)
}

/// Runs a documented command line (`kubedrill grade …`) in the deck folder, with a private data
/// directory; returns what it printed on standard output.
fn run(line: &str, deck: &Path, data: &Path) -> String {
    let words = shell_words(
        line.strip_prefix("kubedrill ")
            .expect("a kubedrill command"),
    );
    let output = Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(&words)
        .arg("--data-dir")
        .arg(data)
        .current_dir(deck)
        .env_remove("KUBEDRILL_DATA_DIR")
        .env("NO_COLOR", "1")
        .env("KUBEDRILL_LANG", "en")
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

/// Splits the tutorial's command lines: words, and single-quoted words.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            _ => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

#[test]
fn the_tutorial_deck_checks_clean() {
    let doc = tutorial();
    let (_folder, deck) = write_deck(&doc);
    let report = content::check_dir(&deck).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let loaded = report.deck.expect("the tutorial's deck loads");
    assert_eq!(loaded.id.as_str(), "cka-labels");
    let counts = loaded.counts();
    // The numbers the tutorial's introduction promises.
    assert_eq!(
        (
            counts.cards,
            counts.questions,
            counts.drills,
            counts.exercises
        ),
        (4, 2, 2, 1)
    );
}

#[test]
fn the_tutorial_shows_what_the_commands_print() {
    let doc = tutorial();
    let (folder, deck) = write_deck(&doc);
    let data = tempfile::tempdir().unwrap();
    for command in [
        "kubedrill grade labels/get-pods-by-label --command 'kubectl get po --selector=app=web' --deck .",
        "kubedrill grade labels/get-pods-by-label --command 'kubectl get pods -A -l app=web' --deck .",
    ] {
        let shown = text_block_after(&doc, &format!("```sh\n{command}\n```"));
        assert_eq!(run(command, &deck, data.path()), shown, "{command}");
    }

    // The final `deck check .`, once every file is written.
    let check = "kubedrill deck check .";
    let shown = text_block_after(&doc, "With every file written, the deck checks clean:");
    assert_eq!(run(check, &deck, data.path()), shown);

    // The starter, copied next to the deck as `../answer.yaml`, graded check by check.
    let report = content::check_dir(&deck).unwrap();
    let starter = report.deck.unwrap().topics[0].exercises[0]
        .starter
        .clone()
        .expect("the exercise has a starter");
    std::fs::write(folder.path().join("answer.yaml"), starter).unwrap();
    let grade = "kubedrill grade labels/web-service ../answer.yaml --deck .";
    let shown = text_block_after(&doc, &format!("```sh\n{grade}\n```"));
    assert_eq!(run(grade, &deck, data.path()), shown);

    // The answer that "looks nothing like the solution" really passes.
    let passes = "Here is one\nthat passes all seven checks";
    let at = doc
        .find(passes)
        .expect("the tutorial shows a passing answer");
    let yaml_open = doc[at..].find("```yaml\n").unwrap() + at + "```yaml\n".len();
    let yaml_close = doc[yaml_open..].find("\n```").unwrap() + yaml_open;
    std::fs::write(
        folder.path().join("answer.yaml"),
        format!("{}\n", &doc[yaml_open..yaml_close]),
    )
    .unwrap();
    let shown = text_block_after(&doc[yaml_close..], "");
    assert_eq!(run(grade, &deck, data.path()), shown);
}
