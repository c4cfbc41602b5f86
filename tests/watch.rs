//! Watch mode's state machine driven as the terminal driver drives it: the answer file is really
//! written in a temporary folder and read back after each "save", and what a learner would see
//! (the report, the hints, the passed line) and what is saved (attempts, the rating) is checked.

use std::path::Path;

use jiff::Timestamp;
use kubedrill::i18n::Lang;
use kubedrill::model::{Deck, ItemId};
use kubedrill::srs::Rating;
use kubedrill::watch::{Effect, Event, Watch, next_exercise};

fn deck() -> Deck {
    kubedrill::content::built_in().deck.unwrap()
}

fn id(text: &str) -> ItemId {
    ItemId::parse(text).unwrap()
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_780_000_000 + seconds).unwrap()
}

fn save(file: &Path, text: &str) -> Event {
    std::fs::write(file, text).unwrap();
    Event::Saved(std::fs::read_to_string(file).map_err(|e| e.to_string()))
}

fn attempts(effects: &[Effect]) -> Vec<bool> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Attempt { passed, .. } => Some(*passed),
            Effect::Rate { .. } => None,
        })
        .collect()
}

fn ratings(effects: &[Effect]) -> Vec<Rating> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Rate { rating, .. } => Some(*rating),
            Effect::Attempt { .. } => None,
        })
        .collect()
}

#[test]
fn each_save_is_graded_and_the_first_pass_is_rated() {
    let deck = deck();
    let exercise_id = id("configmaps/app-config-envfrom");
    let exercise = match deck.item(&exercise_id).unwrap() {
        kubedrill::model::ItemRef::Exercise(exercise) => exercise,
        other => panic!("{other:?}"),
    };
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("app-config-envfrom.yaml");
    std::fs::write(&file, Watch::starter(exercise, Lang::En)).unwrap();
    let mut watch = Watch::new(
        &deck,
        exercise,
        exercise_id.clone(),
        "app-config-envfrom.yaml".into(),
        Lang::En,
        at(0),
    );
    // Opening grades the starter to show what is left; it is not a try.
    let opened = watch.update(
        Event::Opened(Ok(std::fs::read_to_string(&file).unwrap())),
        at(1),
    );
    assert!(opened.is_empty());
    let screen = watch.render(None);
    assert!(screen.contains("not passed, 0 of 8 checks"), "{screen}");
    assert!(screen.contains("when watching began"), "{screen}");

    // A save with a typo: graded, a failed attempt, the checker's error with its place.
    let solution = exercise.solution.clone();
    let typo = solution.replacen("envFrom", "envFron", 1);
    let effects = watch.update(save(&file, &typo), at(30));
    assert_eq!(attempts(&effects), [false]);
    assert!(ratings(&effects).is_empty());
    let screen = watch.render(None);
    assert!(
        screen.contains("unknown field `envFron`") && screen.contains("app-config-envfrom.yaml:"),
        "{screen}"
    );
    assert!(screen.contains("1 graded save so far"), "{screen}");
    // The editor saves again without a change (or only touches the file): not a new try.
    assert!(watch.update(save(&file, &typo), at(31)).is_empty());
    assert_eq!(watch.attempt.tries, 1);

    // A hint, then the right answer: passed, and rated Hard because a hint was used.
    watch.update(Event::Hint, at(40));
    assert!(watch.render(None).contains("hint 1: "));
    let effects = watch.update(save(&file, &solution), at(60));
    assert_eq!(attempts(&effects), [true]);
    assert_eq!(ratings(&effects), [Rating::Hard]);
    let (_, next) = next_exercise(&deck, &exercise_id).unwrap();
    let screen = watch.render(Some(next.title.get("en")));
    assert!(screen.contains("passed, 8 of 8 checks"), "{screen}");
    assert!(
        screen.contains(&format!(
            "✓ Passed. n: next exercise ({})",
            next.title.get("en")
        )),
        "{screen}"
    );
    // Leaving after the pass saves nothing more; passing again is an attempt, not a rating.
    assert!(watch.update(Event::Leave, at(61)).is_empty());
    let effects = watch.update(save(&file, &format!("{solution}\n")), at(62));
    assert_eq!(attempts(&effects), [true]);
    assert!(ratings(&effects).is_empty());
}

#[test]
fn leaving_after_a_failed_save_rates_again_and_r_regrades_by_hand() {
    let deck = deck();
    let exercise_id = id("secrets/db-secret-envfrom");
    let Some(kubedrill::model::ItemRef::Exercise(exercise)) = deck.item(&exercise_id) else {
        panic!("the built-in deck has {exercise_id}");
    };
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("answer.yaml");
    let mut watch = Watch::new(
        &deck,
        exercise,
        exercise_id,
        "answer.yaml".into(),
        Lang::Ko,
        at(0),
    );
    // A missing file is shown, not fatal.
    watch.update(
        Event::Opened(Err("No such file or directory".into())),
        at(0),
    );
    assert!(watch.render(None).contains("답 파일을 읽을 수 없습니다"));
    std::fs::write(&file, "apiVersion: v1\nkind: Pod\n").unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    // With no file watcher, `r` grades: once per text.
    let effects = watch.update(Event::Recheck(Ok(text.clone())), at(10));
    assert_eq!(attempts(&effects), [false]);
    assert!(watch.update(Event::Recheck(Ok(text)), at(11)).is_empty());
    let screen = watch.render(None);
    assert!(screen.contains("지금까지 1번 채점"), "{screen}");
    assert_eq!(
        ratings(&watch.update(Event::Leave, at(20))),
        [Rating::Again]
    );
}

#[test]
fn a_file_in_a_missing_folder_is_refused_before_anything_starts() {
    let data = tempfile::tempdir().unwrap();
    let missing = data.path().join("no-such-folder/answer.yaml");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(["watch", "configmaps/app-config-envfrom"])
        .arg(&missing)
        .arg("--data-dir")
        .arg(data.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("no-such-folder does not exist; create it first"),
        "{said}"
    );
    assert!(
        !data.path().join("no-such-folder").exists(),
        "no folder was made"
    );
}
