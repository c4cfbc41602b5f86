//! Anki interop through the real binary: `deck import` of an Anki text export with headers,
//! quoted fields holding tabs, quotes and newlines, HTML and GUIDs; importing it again updates
//! instead of duplicating; `deck export` then `deck import` gives back the same cards.

use std::path::Path;
use std::process::{Command, Output};

use kubedrill::content::{self, anki};
use kubedrill::model::Deck;

fn kubedrill(args: &[&str], data_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("KUBEDRILL_DATA_DIR")
        .env("NO_COLOR", "1")
        .env("LANG", "en_US.UTF-8")
        .output()
        .expect("the kubedrill binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn sample() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki/pods.txt")
        .to_string_lossy()
        .into_owned()
}

/// A new deck folder (the `deck new` example) in a temp dir.
fn new_deck(data: &Path, parent: &Path) -> std::path::PathBuf {
    let folder = parent.join("class");
    let output = kubedrill(&["deck", "new", folder.to_str().unwrap()], data);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    folder
}

fn load(folder: &Path) -> Deck {
    let report = content::check_dir(folder).unwrap();
    assert!(
        report.problems.is_empty(),
        "the deck is clean: {:#?}",
        report.problems
    );
    report.deck.unwrap()
}

/// (topic, id, front, back, explain, tags) of a card, in English.
type CardText = (String, String, String, String, Option<String>, Vec<String>);

fn cards_of(deck: &Deck) -> Vec<CardText> {
    deck.topics
        .iter()
        .flat_map(|topic| {
            topic.cards.iter().map(|card| {
                (
                    topic.id.to_string(),
                    card.id.to_string(),
                    card.front.get("en").to_string(),
                    card.back.get("en").to_string(),
                    card.explain
                        .as_ref()
                        .map(|explain| explain.get("en").to_string()),
                    card.tags.clone(),
                )
            })
        })
        .collect()
}

#[test]
fn an_anki_export_with_headers_quoting_html_and_guids_imports_into_a_deck() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let folder = new_deck(data.path(), work.path());
    let output = kubedrill(
        &[
            "deck",
            "import",
            &sample(),
            "--deck",
            folder.to_str().unwrap(),
        ],
        data.path(),
    );
    let said = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{said}{}",
        text(&output.stderr)
    );
    assert!(
        said.contains("Imported 6 cards") && said.contains("6 added, 0 updated, 0 unchanged"),
        "{said}"
    );
    assert!(
        said.contains("pods.txt:13: dropped the image pod.png"),
        "media is reported at its line: {said}"
    );
    assert!(said.contains("New topic `pod-basics`"), "{said}");
    assert!(said.contains("New topic `init-containers`"), "{said}");

    let deck = load(&folder);
    let pods = deck
        .topics
        .iter()
        .find(|topic| topic.id.as_str() == "pod-basics")
        .unwrap();
    assert_eq!(
        pods.title.get("en"),
        "Pod basics",
        "the Anki deck's last part"
    );
    assert_eq!(pods.cards.len(), 4);
    let pod = &pods.cards[0];
    assert_eq!(
        pod.front.get("en"),
        "What is a **Pod**?",
        "HTML becomes Markdown"
    );
    assert_eq!(
        pod.back.get("en"),
        "The smallest deployable unit: one or more containers that share a network namespace and volumes.\\\nCreated with `kubectl run`."
    );
    assert_eq!(
        pod.tags,
        ["from-anki", "pods", "basics"],
        "#tags and the tags column"
    );
    // A quoted field holds the separator, doubled quotes and a line break, and is one field.
    let quoting = &pods.cards[2];
    assert_eq!(quoting.front.get("en"), "A field with a tab and \"quotes\"");
    assert_eq!(quoting.back.get("en"), "Line one line two, with a tab here");
    assert_eq!(
        pods.cards[3].id.as_str(),
        "img0001",
        "a GUID that is an id is kept"
    );

    let init = deck
        .topics
        .iter()
        .find(|topic| topic.id.as_str() == "init-containers")
        .unwrap();
    let cloze = &init.cards[0];
    assert_eq!(
        cloze.front.get("en"),
        "Init containers run \\[…\\] before the \\[which containers?\\] start."
    );
    assert_eq!(
        cloze.back.get("en"),
        "Init containers run **one at a time, in order** before the **app containers** start."
    );
    assert!(
        init.lesson.get("en").contains("(card:"),
        "the new topic's lesson lists its cards"
    );
    assert!(
        init.lesson
            .get("ko")
            .starts_with("# Init containers\n\n이 주제의 카드는")
    );
}

#[test]
fn importing_again_updates_the_cards_and_keeps_what_the_author_added() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let folder = new_deck(data.path(), work.path());
    let deck_arg = folder.to_str().unwrap().to_string();
    let first = kubedrill(
        &["deck", "import", &sample(), "--deck", &deck_arg],
        data.path(),
    );
    assert_eq!(first.status.code(), Some(0));
    // The author translates a card into Korean by hand.
    let cards_file = folder.join("topics/pod-basics/cards.toml");
    let cards = std::fs::read_to_string(&cards_file).unwrap();
    let translated = cards.replacen(
        "front.en = \"What is a **Pod**?\"",
        "front.en = \"What is a **Pod**?\"\nfront.ko = \"**Pod**란 무엇인가요?\"",
        1,
    );
    assert_ne!(cards, translated);
    std::fs::write(&cards_file, translated).unwrap();
    // In Anki, someone rewords one answer and exports again.
    let edited = work.path().join("pods-v2.txt");
    let original = std::fs::read_to_string(sample()).unwrap();
    std::fs::write(
        &edited,
        original.replace(
            "Add <code>-l app=web</code> to filter.",
            "Add <code>-l app=web</code> to keep only the web Pods.",
        ),
    )
    .unwrap();
    let second = kubedrill(
        &[
            "deck",
            "import",
            edited.to_str().unwrap(),
            "--deck",
            &deck_arg,
        ],
        data.path(),
    );
    let said = text(&second.stdout);
    assert!(said.contains("0 added, 1 updated, 5 unchanged"), "{said}");
    let deck = load(&folder);
    let pods = deck
        .topics
        .iter()
        .find(|topic| topic.id.as_str() == "pod-basics")
        .unwrap();
    assert_eq!(pods.cards.len(), 4, "no copies");
    assert!(
        pods.cards[1]
            .back
            .get("en")
            .ends_with("to keep only the web Pods.")
    );
    assert_eq!(
        pods.cards[0].front.get("ko"),
        "**Pod**란 무엇인가요?",
        "the translation is kept"
    );
    // And a third time, nothing to do.
    let third = kubedrill(
        &[
            "deck",
            "import",
            edited.to_str().unwrap(),
            "--deck",
            &deck_arg,
        ],
        data.path(),
    );
    assert!(text(&third.stdout).contains("0 added, 0 updated, 6 unchanged"));
}

#[test]
fn the_built_in_cards_survive_export_then_import() {
    // Library level, every built-in card: Markdown → Anki HTML → Markdown gives the same text.
    let deck = content::built_in().deck.unwrap();
    let exported = anki::export(&deck, "en");
    let parsed = anki::parse(&exported, Some("txt")).unwrap();
    let (cards, warnings) = anki::cards(&parsed, None);
    assert!(warnings.is_empty(), "{warnings:?}");
    let original = cards_of(&deck);
    assert_eq!(cards.len(), original.len());
    // The same card on screen: the Markdown may differ in spelling (a blank line after a
    // code block), never in what it renders.
    let shown = |markdown: &str| anki::html::markdown_to_html(markdown);
    let mut spelled_the_same = 0;
    for (card, (topic, id, front, back, explain, tags)) in cards.iter().zip(&original) {
        assert_eq!((&card.topic, &card.id), (topic, id));
        assert_eq!(shown(&card.front), shown(front), "{topic}/{id} front");
        assert_eq!(shown(&card.back), shown(back), "{topic}/{id} back");
        assert_eq!(
            card.explain.as_deref().map(shown),
            explain.as_deref().map(shown),
            "{topic}/{id} explain"
        );
        assert_eq!(&card.tags, tags, "{topic}/{id} tags");
        if (&card.front, &card.back, &card.explain) == (front, back, explain) {
            spelled_the_same += 1;
        }
    }
    assert!(
        spelled_the_same * 10 >= original.len() * 9,
        "most cards come back letter for letter: {spelled_the_same} of {}",
        original.len()
    );
}

#[test]
fn deck_export_then_deck_import_round_trips_through_files() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/valid");
    let file = work.path().join("valid.txt");
    let exported = kubedrill(
        &[
            "deck",
            "export",
            source.to_str().unwrap(),
            "-o",
            file.to_str().unwrap(),
        ],
        data.path(),
    );
    assert_eq!(
        exported.status.code(),
        Some(0),
        "{}",
        text(&exported.stderr)
    );
    assert!(
        text(&exported.stdout).contains("Wrote 3 cards of deck `fixture`"),
        "{}",
        text(&exported.stdout)
    );
    let folder = new_deck(data.path(), work.path());
    let imported = kubedrill(
        &[
            "deck",
            "import",
            file.to_str().unwrap(),
            "--deck",
            folder.to_str().unwrap(),
        ],
        data.path(),
    );
    assert_eq!(
        imported.status.code(),
        Some(0),
        "{}",
        text(&imported.stdout)
    );
    let before = cards_of(&load(&source));
    let after: Vec<_> = cards_of(&load(&folder))
        .into_iter()
        .filter(|(_, id, ..)| id != "env-value-field")
        .collect();
    assert_eq!(after, before);
}
