//! Runs the real `kubedrill` binary on fixture decks and checks what a user sees: exit codes,
//! and every problem reported at the right file, line and column.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::{copy_dir, kubedrill, stderr, stdout};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks")
}

/// A problem's place and kind: (file, line, column, rule).
type Located = (String, u64, u64, String);

/// `deck check --format json` on one fixture deck: (exit code, problems, the whole document).
fn check_json(deck: &str) -> (i32, Vec<Located>, Value) {
    let data = tempfile::tempdir().unwrap();
    let path = fixtures().join(deck);
    let output = kubedrill(
        &["deck", "check", "--format", "json", path.to_str().unwrap()],
        data.path(),
    );
    let document: Value =
        serde_json::from_str(&stdout(&output)).expect("stdout is one JSON document");
    let problems = document["decks"][0]["problems"]
        .as_array()
        .expect("problems is a list")
        .iter()
        .map(|problem| {
            (
                problem["file"].as_str().unwrap().to_string(),
                problem["line"].as_u64().unwrap(),
                problem["column"].as_u64().unwrap(),
                problem["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (output.status.code().unwrap(), problems, document)
}

fn problem(file: &str, line: u64, column: u64, rule: &str) -> Located {
    (file.to_string(), line, column, rule.to_string())
}

#[test]
fn a_valid_deck_checks_clean_and_exits_0() {
    let data = tempfile::tempdir().unwrap();
    let path = fixtures().join("valid");
    let output = kubedrill(&["deck", "check", path.to_str().unwrap()], data.path());
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains(
            "deck `fixture` is valid: 2 topics, 3 cards, 3 questions, 1 drill, 1 exercise"
        ),
        "{text}"
    );
    let (code, problems, document) = check_json("valid");
    assert_eq!((code, problems.len()), (0, 0));
    assert_eq!(document["valid"], Value::Bool(true));
    assert_eq!(document["decks"][0]["counts"]["cards"], 3);
}

#[test]
fn an_unknown_key_is_reported_where_it_is_with_a_suggestion() {
    let (code, problems, document) = check_json("unknown-key");
    assert_eq!(code, 1);
    assert_eq!(
        problems,
        vec![problem("topics/env/cards.toml", 10, 1, "unknown-key")]
    );
    let reported = &document["decks"][0]["problems"][0];
    assert_eq!(reported["message"], "unknown key `fornt`");
    assert!(
        reported["help"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `front`?")
    );
    assert_eq!(reported["item"], "card `quote-numbers`");
}

#[test]
fn a_duplicate_id_points_at_the_second_use_and_names_the_first() {
    let (code, problems, document) = check_json("duplicate-id");
    assert_eq!(code, 1);
    assert_eq!(
        problems,
        vec![problem("topics/env/drills.toml", 2, 6, "duplicate-id")]
    );
    let help = document["decks"][0]["problems"][0]["help"]
        .as_str()
        .unwrap();
    assert!(help.contains("topics/env/cards.toml:2:6"), "{help}");
}

#[test]
fn a_missing_required_key_is_reported_at_its_table() {
    let (code, problems, document) = check_json("missing-field");
    assert_eq!(code, 1);
    // The card is left out, so the lesson links that pointed at it are reported too.
    assert_eq!(
        problems,
        vec![
            problem("topics/env/cards.toml", 1, 1, "missing-key"),
            problem("topics/env/lesson.en.md", 3, 80, "bad-reference"),
            problem("topics/env/lesson.ko.md", 3, 52, "bad-reference"),
        ]
    );
    assert_eq!(
        document["decks"][0]["problems"][0]["message"],
        "missing required key `back`"
    );
}

#[test]
fn a_toml_syntax_error_has_line_and_column() {
    let (code, problems, _) = check_json("bad-toml");
    assert_eq!(code, 1);
    assert_eq!(
        problems,
        vec![problem("topics/env/quiz.toml", 19, 63, "toml-syntax")]
    );
}

#[test]
fn a_newer_format_version_is_refused_alone_with_what_to_do() {
    let (code, problems, document) = check_json("format-version");
    assert_eq!(code, 1);
    assert_eq!(
        problems,
        vec![problem("deck.toml", 1, 18, "format-version")]
    );
    assert!(
        document["decks"][0]["problems"][0]["help"]
            .as_str()
            .unwrap()
            .contains("upgrade kubedrill")
    );
}

#[test]
fn a_missing_lesson_for_a_declared_language_points_at_the_topic() {
    let (code, problems, document) = check_json("missing-lesson");
    assert_eq!(code, 1);
    assert_eq!(
        problems,
        vec![problem("deck.toml", 16, 6, "missing-lesson")]
    );
    let message = document["decks"][0]["problems"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("topics/init-containers/lesson.ko.md"),
        "{message}"
    );
}

#[test]
fn one_run_lists_all_five_problems_of_a_deck() {
    let (code, problems, _) = check_json("five-problems");
    assert_eq!(code, 1);
    assert_eq!(
        problems,
        vec![
            problem("deck.toml", 5, 1, "unknown-key"),
            problem("deck.toml", 16, 6, "missing-lesson"),
            problem("topics/env/cards.toml", 10, 1, "unknown-key"),
            problem("topics/env/drills.toml", 2, 6, "duplicate-id"),
            problem("topics/env/quiz.toml", 7, 10, "bad-value"),
        ]
    );
}

#[test]
fn text_output_is_rustc_like_with_a_caret_and_help() {
    let data = tempfile::tempdir().unwrap();
    let path = fixtures().join("unknown-key");
    let output = kubedrill(&["deck", "check", path.to_str().unwrap()], data.path());
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("error[unknown-key]: unknown key `fornt` (in card `quote-numbers`)"),
        "{text}"
    );
    assert!(
        text.contains("unknown-key/topics/env/cards.toml:10:1"),
        "{text}"
    );
    assert!(text.contains("10 | fornt = "), "{text}");
    assert!(text.contains("   | ^^^^^"), "{text}");
    assert!(text.contains("= help: did you mean `front`?"), "{text}");
    assert!(text.trim_end().ends_with("unknown-key: 1 error"), "{text}");
}

#[test]
fn checking_several_decks_reports_each_and_exits_with_the_worst() {
    let data = tempfile::tempdir().unwrap();
    let valid = fixtures().join("valid");
    let broken = fixtures().join("duplicate-id");
    let output = kubedrill(
        &[
            "deck",
            "check",
            valid.to_str().unwrap(),
            broken.to_str().unwrap(),
        ],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("deck `fixture` is valid"), "{text}");
    // Both fixtures are deck `fixture`: the second is also a deck that would not load.
    assert!(text.contains("duplicate-id: 2 errors"), "{text}");
    assert!(text.contains("error[duplicate-deck]"), "{text}");
}

#[test]
fn an_unreadable_path_exits_2() {
    let data = tempfile::tempdir().unwrap();
    let output = kubedrill(&["deck", "check", "/no/such/deck"], data.path());
    assert_eq!(output.status.code(), Some(2));
    // Said on standard error, as every error is; the other folders are still checked.
    assert!(
        stderr(&output).starts_with("kubedrill: cannot read deck /no/such/deck: no such folder"),
        "{}",
        stderr(&output)
    );
    let file = fixtures().join("valid/deck.toml");
    let output = kubedrill(
        &["deck", "check", "--format", "json", file.to_str().unwrap()],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        document["decks"][0]["error"]
            .as_str()
            .unwrap()
            .contains("not a folder")
    );
}

#[test]
fn usage_errors_exit_2() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(
        kubedrill(&["deck", "check"], data.path()).status.code(),
        Some(2)
    );
    assert_eq!(
        kubedrill(&["no-such-command"], data.path()).status.code(),
        Some(2)
    );
    assert_eq!(
        kubedrill(&["--lang", "fr"], data.path()).status.code(),
        Some(2)
    );
}

#[test]
fn version_names_the_pinned_kubernetes_version() {
    let data = tempfile::tempdir().unwrap();
    let output = kubedrill(&["--version"], data.path());
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.starts_with(&format!("kubedrill {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains("Kubernetes 1.37"), "{text}");
}

#[test]
fn the_built_in_deck_checks_clean() {
    let data = tempfile::tempdir().unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let output = kubedrill(&["deck", "check", content.to_str().unwrap()], data.path());
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("deck `cka` is valid"));
}

#[test]
fn without_a_command_it_lists_what_is_loaded_and_says_what_to_run() {
    let data = tempfile::tempdir().unwrap();
    let output = kubedrill(&["--lang", "en"], data.path());
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("cka  CKA: Certified Kubernetes Administrator"),
        "{text}"
    );
    assert!(text.contains("configmaps"), "{text}");
    // A build without the interface says so instead.
    let screens = if cfg!(feature = "tui") {
        "The study screens open when kubedrill runs in a terminal"
    } else {
        "This build has no study screens"
    };
    assert!(text.contains(screens), "{text}");
    assert!(text.contains("kubedrill due"), "{text}");

    let output = kubedrill(&["--lang", "ko"], data.path());
    let text = stdout(&output);
    assert!(
        text.contains("CKA: Certified Kubernetes Administrator"),
        "{text}"
    );
    assert!(text.contains("어디서나 쓸 수 있는 명령어"), "{text}");
}

#[test]
fn a_broken_installed_deck_does_not_stop_the_others_loading() {
    let data = tempfile::tempdir().unwrap();
    let decks = data.path().join("decks");
    copy_dir(&fixtures().join("format-version"), &decks.join("newer"));
    copy_dir(&fixtures().join("valid"), &decks.join("fixture"));
    let output = kubedrill(&["deck", "list", "--format", "json"], data.path());
    assert_eq!(output.status.code(), Some(0));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let ids: Vec<&str> = document["decks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|deck| deck["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["cka", "fixture"]);
    let problems = document["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["errors"], 1);
    assert!(problems[0]["origin"].as_str().unwrap().ends_with("newer"));

    let text = stdout(&kubedrill(&["--lang", "en"], data.path()));
    assert!(text.contains("fixture  Fixture deck"), "{text}");
    assert!(
        text.contains("has 1 error(s); its broken parts are left out. Run `kubedrill deck check"),
        "{text}"
    );
}

#[test]
fn a_deck_given_with_the_deck_option_is_studied_in_place() {
    let data = tempfile::tempdir().unwrap();
    let valid = fixtures().join("valid");
    let output = kubedrill(
        &["deck", "list", "--deck", valid.to_str().unwrap()],
        data.path(),
    );
    let text = stdout(&output);
    assert!(text.contains("fixture  Fixture deck"), "{text}");
    assert!(
        text.contains("2 topics, 3 cards, 3 questions, 1 drill, 1 exercise"),
        "{text}"
    );
}

#[test]
fn only_the_built_in_decks_own_folder_replaces_it_so_authors_study_their_working_copy() {
    let data = tempfile::tempdir().unwrap();
    let list = |deck: &str| {
        let output = kubedrill(
            &["deck", "list", "--format", "json", "--deck", deck],
            data.path(),
        );
        assert_eq!(output.status.code(), Some(0));
        serde_json::from_str::<Value>(&stdout(&output)).unwrap()
    };
    // The folder the built-in deck is compiled from stands in for it.
    let own = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
    let document = list(own);
    let decks = document["decks"].as_array().unwrap();
    assert_eq!(decks.len(), 1, "{document}");
    assert_eq!(decks[0]["id"], "cka");
    assert_eq!(decks[0]["origin"], own);
    assert!(
        document["problems"].as_array().unwrap().is_empty(),
        "{document}"
    );
    // Any other folder with the built-in id is left out, and says so.
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("valid"), copy.path());
    let deck_toml = copy.path().join("deck.toml");
    let text = std::fs::read_to_string(&deck_toml).unwrap();
    std::fs::write(
        &deck_toml,
        text.replacen("id = \"fixture\"", "id = \"cka\"", 1),
    )
    .unwrap();
    let document = list(copy.path().to_str().unwrap());
    let decks = document["decks"].as_array().unwrap();
    assert_eq!(decks.len(), 1, "{document}");
    assert_eq!(decks[0]["origin"], "<built-in>");
    assert_eq!(
        document["problems"][0]["origin"],
        copy.path().to_str().unwrap(),
        "{document}"
    );
}

#[test]
fn the_binary_carries_the_built_in_deck_wherever_it_is_run() {
    let data = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("kubedrill");
    std::fs::copy(env!("CARGO_BIN_EXE_kubedrill"), &copy).unwrap();
    let output = Command::new(&copy)
        .args(["deck", "list", "--format", "json", "--data-dir"])
        .arg(data.path())
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["decks"][0]["id"], "cka");
    assert_eq!(document["decks"][0]["origin"], "<built-in>");
    assert!(document["decks"][0]["counts"]["cards"].as_u64().unwrap() >= 20);
    assert_eq!(document["problems"].as_array().unwrap().len(), 0);
}

#[test]
fn escape_sequences_in_a_deck_never_reach_the_terminal() {
    let data = tempfile::tempdir().unwrap();
    let deck = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("valid"), deck.path());
    let cards = deck.path().join("topics/env/cards.toml");
    let text = std::fs::read_to_string(&cards).unwrap();
    std::fs::write(
        &cards,
        text.replacen("tags = ", "\"\\u001b[2J\" = 1\ntags = ", 1),
    )
    .unwrap();
    let output = kubedrill(
        &["deck", "check", deck.path().to_str().unwrap()],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("unknown key `\\u{1b}[2J`"), "{text}");
}

#[test]
fn deck_check_proves_exercises_with_the_grader() {
    let data = tempfile::tempdir().unwrap();
    let deck = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("valid"), deck.path());
    let file = deck.path().join("topics/env/exercises/webapp-color.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    // A solution with the wrong value, a starter that already passes, and a wrong answer that
    // its `fails` says the `color` check rejects, but the check passes.
    let broken = text
        .replacen("          value: pink\n\"\"\"\n\n[[hint]]", "          value: blue\n\"\"\"\n\n[[hint]]", 1)
        .replacen("solution = \"\"\"", "starter = \"\"\"\napiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp-color\nspec:\n  containers:\n    - name: webapp\n      image: kodekloud/webapp-color\n      env:\n        - name: APP_COLOR\n          value: pink\n\"\"\"\nsolution = \"\"\"", 1)
        .replacen("fails = [\"color\"]", "fails = [\"image\"]", 1);
    assert_ne!(broken, text);
    std::fs::write(&file, broken).unwrap();
    let (code, problems, _) = {
        let output = kubedrill(
            &[
                "deck",
                "check",
                "--format",
                "json",
                deck.path().to_str().unwrap(),
            ],
            data.path(),
        );
        let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
        let rules: Vec<String> = document["decks"][0]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["rule"].as_str().unwrap().to_string())
            .collect();
        (output.status.code().unwrap(), rules, document)
    };
    assert_eq!(code, 1);
    assert_eq!(
        problems,
        // The wrong answer now both passes `image` and fails `color` unlisted.
        [
            "starter-passes",
            "solution-fails",
            "wrong-answer-fails-more",
            "wrong-answer-passes"
        ]
    );
}

fn contract_sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/contract")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn grade_prints_the_contract_json_and_exits_by_the_verdict() {
    let data = tempfile::tempdir().unwrap();
    let exercise = "configmaps/app-config-envfrom";
    let output = kubedrill(
        &[
            "grade",
            exercise,
            &contract_sample("good.yaml"),
            "--format",
            "json",
        ],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["id"], exercise);
    assert_eq!(report["passed"], true);
    assert_eq!(report["score"], 1.0);
    assert!(report["diagnostics"].as_array().unwrap().is_empty());
    for check in report["checks"].as_array().unwrap() {
        assert_eq!(check["passed"], true, "{check}");
        assert!(check["weight"].as_u64().unwrap() >= 1);
        assert!(!check["message"].as_str().unwrap().is_empty());
    }

    let output = kubedrill(
        &[
            "grade",
            exercise,
            &contract_sample("seed-typo.yaml"),
            "--format",
            "json",
        ],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["passed"], false);
    assert_eq!(report["score"], 0.0);
    let typo = &report["diagnostics"][0];
    assert_eq!(
        typo["path"],
        "spec.containers[0].envFrom[0].configMapRef.nmae"
    );
    assert_eq!(
        (typo["line"].as_u64(), typo["column"].as_u64()),
        (Some(20), Some(13))
    );
    let failed: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|check| check["passed"] == false)
        .map(|check| check["id"].as_str().unwrap())
        .collect();
    assert!(failed.contains(&"envfrom-ref"), "{failed:?}");
}

#[test]
fn grade_in_korean_shows_the_korean_check_messages() {
    let data = tempfile::tempdir().unwrap();
    let output = kubedrill(
        &[
            "--lang",
            "ko",
            "grade",
            "configmaps/app-config-envfrom",
            &contract_sample("seed-typo.yaml"),
        ],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("✗ envfrom-ref (2점)  컨테이너는 `envFrom`"),
        "{text}"
    );
    assert!(
        text.contains("--> "),
        "the diagnostic snippet is printed: {text}"
    );
    assert!(
        text.contains("알 수 없는 필드 `nmae`") && text.contains("혹시 `name`인가요?"),
        "the checker speaks Korean too: {text}"
    );
    assert!(text.contains("불합격"), "{text}");
}

#[test]
fn grade_refuses_unknown_ids_and_missing_answers_with_exit_2() {
    let data = tempfile::tempdir().unwrap();
    let output = kubedrill(
        &[
            "grade",
            "configmaps/app-config-envfrm",
            &contract_sample("good.yaml"),
        ],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("did you mean `configmaps/app-config-envfrom`?"),
        "{error}"
    );
    let output = kubedrill(&["grade", "configmaps/app-config-envfrom"], data.path());
    assert_eq!(output.status.code(), Some(2));
    let output = kubedrill(
        &[
            "grade",
            "configmaps/app-config-envfrom",
            "/no/such/answer.yaml",
        ],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let output = kubedrill(&["grade", "configmaps/create-app-config"], data.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--command"));
}

#[test]
fn grade_judges_a_drill_command_by_meaning() {
    let data = tempfile::tempdir().unwrap();
    let drill = "configmaps/create-app-config";
    let output = kubedrill(
        &[
            "grade",
            drill,
            "--command",
            "k create cm app-config --from-literal APP_MODE=prod --from-literal='APP_COLOR=blue'",
            "--format",
            "json",
        ],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["passed"], true);
    assert_eq!(report["checks"][0]["id"], "command");

    let output = kubedrill(
        &[
            "grade",
            drill,
            "--command",
            "kubectl create configmap app-config --from-literal=APP_COLOR=blue,APP_MODE=prod",
        ],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("✗ command"), "{text}");
    assert!(
        text.contains("missing --from-literal=APP_MODE=prod"),
        "{text}"
    );
    // The drill's own explanation follows, so a wrong answer teaches.
    assert!(text.contains("One `--from-literal` per key."), "{text}");
}

#[test]
fn check_speaks_the_learners_language_in_text_and_english_in_json() {
    let data = tempfile::tempdir().unwrap();
    let sample = contract_sample("seed-typo.yaml");
    let korean = kubedrill(&["--lang", "ko", "check", &sample], data.path());
    assert_eq!(korean.status.code(), Some(1));
    let text = stdout(&korean);
    assert!(text.contains("알 수 없는 필드 `nmae`"), "{text}");
    assert!(text.contains("혹시 `name`인가요?"), "{text}");
    assert!(text.contains(": 오류 1개"), "{text}");
    let json = kubedrill(
        &["--lang", "ko", "check", "--format", "json", &sample],
        data.path(),
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        report["files"][0]["diagnostics"][0]["message"], "unknown field `nmae`",
        "JSON is for tools: its messages stay English whatever the language"
    );
}

#[test]
fn a_new_deck_passes_deck_check_and_installs_updates_and_uninstalls() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let folder = work.path().join("Class Deck");
    let folder_text = folder.to_str().unwrap();
    let created = kubedrill(
        &["deck", "new", folder_text, "--title", "Class of 2027"],
        data.path(),
    );
    assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
    assert!(stdout(&created).contains("Created deck `class-deck`"));
    let checked = kubedrill(&["deck", "check", folder_text], data.path());
    assert_eq!(checked.status.code(), Some(0), "{}", stdout(&checked));
    assert!(
        stdout(&checked).contains(
            "deck `class-deck` is valid: 1 topic, 1 card, 2 questions, 2 drills, 2 exercises"
        ),
        "{}",
        stdout(&checked)
    );
    // Never written over.
    let again = kubedrill(&["deck", "new", folder_text], data.path());
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));

    let added = kubedrill(&["deck", "add", folder_text], data.path());
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    assert!(stdout(&added).contains("Installed deck `class-deck`"));
    let listed = stdout(&kubedrill(&["deck", "list"], data.path()));
    assert!(listed.contains("class-deck  Class of 2027"), "{listed}");

    // An edit, installed again, replaces the copy.
    let deck_toml = folder.join("deck.toml");
    let text = std::fs::read_to_string(&deck_toml).unwrap();
    std::fs::write(
        &deck_toml,
        text.replace("Class of 2027", "Class of 2027, revised"),
    )
    .unwrap();
    let updated = kubedrill(&["deck", "add", folder_text], data.path());
    assert!(stdout(&updated).contains("Updated deck `class-deck`"));
    let listed = stdout(&kubedrill(&["deck", "list"], data.path()));
    assert!(listed.contains("Class of 2027, revised"), "{listed}");
    assert_eq!(
        std::fs::read_dir(data.path().join("decks"))
            .unwrap()
            .count(),
        1,
        "one installed copy, no leftovers"
    );

    let removed = kubedrill(&["deck", "remove", "class-deck"], data.path());
    assert_eq!(removed.status.code(), Some(0));
    assert!(stdout(&removed).contains("progress is kept"));
    assert!(!stdout(&kubedrill(&["deck", "list"], data.path())).contains("class-deck"));
    let missing = kubedrill(&["deck", "remove", "class-deck"], data.path());
    assert_eq!(
        missing.status.code(),
        Some(2),
        "an unknown id is a usage error"
    );
    assert!(stderr(&missing).starts_with("kubedrill: no installed deck has the id `class-deck`"));
    let built_in = kubedrill(&["deck", "remove", "cka"], data.path());
    assert_eq!(built_in.status.code(), Some(2));
}

#[test]
fn a_deck_with_errors_is_not_installed() {
    let data = tempfile::tempdir().unwrap();
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/five-problems");
    let output = kubedrill(&["deck", "add", broken.to_str().unwrap()], data.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("Not installed"),
        "{}",
        stdout(&output)
    );
    assert!(
        !data.path().join("decks").exists()
            || std::fs::read_dir(data.path().join("decks"))
                .unwrap()
                .count()
                == 0
    );
    // A deck under the built-in deck's id would shadow it: refused with what to do.
    let work = tempfile::tempdir().unwrap();
    let folder = work.path().join("cka");
    let created = kubedrill(&["deck", "new", folder.to_str().unwrap()], data.path());
    assert_eq!(created.status.code(), Some(0));
    let output = kubedrill(&["deck", "add", folder.to_str().unwrap()], data.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("built-in deck's id"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn exam_plan_is_the_same_for_the_same_seed_and_needs_no_terminal() {
    let data = tempfile::tempdir().unwrap();
    let plan = |seed: &str| {
        let output = kubedrill(
            &["exam", "--plan", "--seed", seed, "--format", "json"],
            data.path(),
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        serde_json::from_str::<Value>(&stdout(&output)).unwrap()
    };
    let first = plan("7");
    assert_eq!(first, plan("7"));
    assert_ne!(first["tasks"], plan("8")["tasks"]);
    let tasks = first["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 17);
    let weights: u64 = tasks
        .iter()
        .map(|task| task["weight"].as_u64().unwrap())
        .sum();
    assert_eq!(weights, 100);
    assert!(
        tasks
            .iter()
            .all(|task| ["exercise", "drill", "scenario"].contains(&task["kind"].as_str().unwrap()))
    );
    // Text, for a person; a topic filter; a clear error for a typo.
    let text = stdout(&kubedrill(
        &[
            "exam", "--plan", "--seed", "7", "--tasks", "4", "--topics", "secrets",
        ],
        data.path(),
    ));
    assert!(
        text.starts_with("Mock exam, seed 7: 4 tasks in 120 minutes (pass line 66%)"),
        "{text}"
    );
    assert_eq!(
        text.lines()
            .filter(|line| line.contains("secrets/"))
            .count(),
        4
    );
    let typo = kubedrill(&["exam", "--plan", "--topics", "secretz"], data.path());
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("no topic `secretz`"),
        "{}",
        stderr(&typo)
    );
    // The exam itself needs a terminal, and says what works without one.
    let piped = kubedrill(&["exam"], data.path());
    assert_eq!(piped.status.code(), Some(2));
    assert!(stderr(&piped).contains("kubedrill exam --plan"));
}

#[test]
fn grade_takes_the_item_from_the_deck_named_with_deck_when_ids_clash() {
    // The example deck of `deck new` reuses the built-in id `env/run-with-env` for another drill.
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let folder = work.path().join("class");
    let folder_text = folder.to_str().unwrap();
    let created = kubedrill(&["deck", "new", folder_text], data.path());
    assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
    let answer = "kubectl run webapp --image=nginx --env=APP_COLOR=pink";
    let mine = kubedrill(
        &[
            "grade",
            "env/run-with-env",
            "--command",
            answer,
            "--deck",
            folder_text,
        ],
        data.path(),
    );
    assert_eq!(mine.status.code(), Some(0), "{}", stdout(&mine));
    assert!(stdout(&mine).contains("Run a Pod `webapp` from image `nginx`"));
    assert!(
        stderr(&mine).contains("the same id is also in `cka`"),
        "{}",
        stderr(&mine)
    );
    // Without `--deck`, the built-in drill (Pod `webapp-color`) is graded, and the answer is wrong.
    let built_in = kubedrill(
        &["grade", "env/run-with-env", "--command", answer],
        data.path(),
    );
    assert_eq!(built_in.status.code(), Some(1), "{}", stdout(&built_in));
    assert!(
        !stderr(&built_in).contains("the same id is also in"),
        "{}",
        stderr(&built_in)
    );
    // Grading here is a check, not study, and says so (on stderr: stdout stays the report).
    assert!(
        stderr(&built_in).contains("note: not recorded in your progress"),
        "{}",
        stderr(&built_in)
    );
}

#[test]
fn completions_complete_subcommands_in_bash_and_every_shell_gets_a_script() {
    let data = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = kubedrill(&["completions", shell], data.path());
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        assert!(script.contains("kubedrill"), "{shell}");
        assert!(
            script.contains("preview"),
            "{shell}: deck preview is offered"
        );
    }
    // bash loads the script and completes `kubedrill de` and `kubedrill deck pr`.
    let script = stdout(&kubedrill(&["completions", "bash"], data.path()));
    let path = data.path().join("kubedrill.bash");
    std::fs::write(&path, script).unwrap();
    let complete = |words: &str, current: usize| {
        let output = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source '{}'; COMP_WORDS=({words}); COMP_CWORD={current}; COMP_LINE='{words}'; COMP_POINT=${{#COMP_LINE}}; _kubedrill kubedrill; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
                path.display()
            ))
            .output()
            .unwrap();
        stdout(&output)
    };
    assert!(
        complete("kubedrill de", 1)
            .lines()
            .any(|word| word == "deck")
    );
    assert!(
        complete("kubedrill deck pr", 2)
            .lines()
            .any(|word| word == "preview")
    );
}

#[test]
fn the_man_page_documents_every_command() {
    let data = tempfile::tempdir().unwrap();
    let output = kubedrill(&["man"], data.path());
    assert_eq!(output.status.code(), Some(0));
    let page = stdout(&output);
    assert!(page.contains(".TH kubedrill 1"), "{page}");
    for command in [
        "check",
        "grade",
        "deck",
        "due",
        "stats",
        "exam",
        "search",
        "completions",
    ] {
        assert!(
            page.contains(&format!("kubedrill\\-{command}(1)")),
            "{command}: {page}"
        );
    }
    assert!(page.contains("Exit status: 0 valid or passed"));
}

#[test]
fn an_exam_date_in_the_past_is_refused_and_settings_errors_speak_korean() {
    let data = tempfile::tempdir().unwrap();
    let set = |lang: &str, value: &str| {
        Command::new(env!("CARGO_BIN_EXE_kubedrill"))
            .args(["--lang", lang, "config", "set", "exam-date", value])
            .arg("--data-dir")
            .arg(data.path())
            .env("KUBEDRILL_NOW", "2026-12-06T10:00:00Z")
            .env("TZ", "UTC")
            .output()
            .unwrap()
    };
    let past = set("en", "2026-12-05");
    assert_eq!(past.status.code(), Some(2));
    assert!(
        stderr(&past).contains("exam-date 2026-12-05 is in the past (today is 2026-12-06)"),
        "{}",
        stderr(&past)
    );
    assert_eq!(
        set("en", "2026-12-06").status.code(),
        Some(0),
        "today is fine"
    );
    let korean = set("ko", "2026-11-30");
    assert!(
        stderr(&korean).contains("exam-date 2026-11-30: 이미 지난 날짜입니다(오늘은 2026-12-06)"),
        "{}",
        stderr(&korean)
    );
    let korean = set("ko", "15/03/2027");
    assert!(
        stderr(&korean).contains("YYYY-MM-DD 형식의 날짜"),
        "{}",
        stderr(&korean)
    );
}

#[test]
fn show_prints_a_task_and_its_starter_without_the_interface() {
    let data = tempfile::tempdir().unwrap();
    let shown = kubedrill(&["show", "configmaps/app-config-envfrom"], data.path());
    assert_eq!(shown.status.code(), Some(0));
    let text = stdout(&shown);
    assert!(
        text.starts_with("Load a whole ConfigMap with envFrom ★  (configmaps/app-config-envfrom)"),
        "{text}"
    );
    assert!(
        // The task's Markdown is plain text: no `**` around "every".
        text.contains("loads\n   every key of `app-config`"),
        "{text}"
    );
    assert!(text.contains("kubedrill grade configmaps/app-config-envfrom answer.yaml"));
    // The starter, ready to redirect into a file that `grade` then reads.
    let starter = kubedrill(
        &["show", "secrets/fix-plain-text-data", "--starter"],
        data.path(),
    );
    assert_eq!(starter.status.code(), Some(0), "{}", stderr(&starter));
    assert!(
        stdout(&starter).starts_with("apiVersion: v1\nkind: Secret"),
        "{}",
        stdout(&starter)
    );
    let json: Value = serde_json::from_str(&stdout(&kubedrill(
        &["show", "configmaps/app-config-envfrom", "--format", "json"],
        data.path(),
    )))
    .unwrap();
    assert_eq!(json["kind"], "exercise");
    assert_eq!(json["hints"], 3);
    // An unknown id is a usage error with the closest one; a card is studied in the app.
    let unknown = kubedrill(&["show", "configmaps/app-config-envfrm"], data.path());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean `configmaps/app-config-envfrom`?"));
}

#[test]
fn every_error_is_one_line_on_stderr_with_the_path_and_a_plain_reason_and_exit_2() {
    let data = tempfile::tempdir().unwrap();
    let said = |args: &[&str]| {
        let output = kubedrill(args, data.path());
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "{args:?}: {}", stdout(&output));
        stderr(&output)
    };
    assert_eq!(
        said(&["grade", "configmaps/app-config-envfrom", "/no/such.yaml"]),
        "kubedrill: cannot read /no/such.yaml: no such file\n"
    );
    assert_eq!(
        said(&[
            "--lang",
            "ko",
            "grade",
            "configmaps/app-config-envfrom",
            "/no/such.yaml"
        ]),
        "kubedrill: /no/such.yaml: 읽을 수 없습니다 (그런 파일이 없습니다)\n"
    );
    assert_eq!(
        said(&["deck", "export", "cka", "-o", "/no/such/folder/cards.txt"]),
        "kubedrill: cannot write /no/such/folder/cards.txt: no such folder\n"
    );
    assert_eq!(
        said(&["check", "/no/such.yaml"]),
        "kubedrill: cannot read /no/such.yaml: no such file\n"
    );
    assert_eq!(
        said(&["--lang", "ko", "deck", "remove", "cka"]),
        "kubedrill: 내장 덱은 kubedrill의 일부라서 제거할 수 없습니다\n"
    );
    // A data folder that is a file: the progress database cannot be opened.
    let file = data.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let output = kubedrill(&["due"], &file);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("kubedrill: cannot create the folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unknown_or_ungradable_id_is_said_in_korean_with_the_closest_id() {
    let data = tempfile::tempdir().unwrap();
    for command in ["grade", "show"] {
        let output = kubedrill(
            &["--lang", "ko", command, "configmaps/app-config-envfrm"],
            data.path(),
        );
        assert_eq!(output.status.code(), Some(2));
        assert_eq!(
            stderr(&output),
            "kubedrill: `configmaps/app-config-envfrm`라는 실습이나 명령어 연습은 없습니다. 혹시 `configmaps/app-config-envfrom`인가요?\n"
        );
    }
    let output = kubedrill(
        &["--lang", "ko", "grade", "configmaps/app-config-envfrom"],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("답 파일을 주세요"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn json_says_an_unreadable_file_in_english_whatever_the_language() {
    let data = tempfile::tempdir().unwrap();
    let output = kubedrill(
        &["--lang", "ko", "check", "--format", "json", "/no/such.yaml"],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        document["files"][0]["error"],
        "cannot read /no/such.yaml: no such file"
    );
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

/// `stats` and `due` report the built-in deck by CKA domain, in both languages and in JSON.
#[test]
fn stats_and_due_report_each_domain_then_its_topics() {
    let data = tempfile::tempdir().unwrap();
    let stats = stdout(&kubedrill(&["stats", "--lang", "en"], data.path()));
    let domain = stats
        .lines()
        .position(|line| line.starts_with("Workloads & Scheduling 15%"))
        .unwrap_or_else(|| panic!("{stats}"));
    assert!(
        stats
            .lines()
            .nth(domain + 1)
            .unwrap()
            .starts_with("  cka/pods-labels"),
        "{stats}"
    );
    assert!(stats.contains("\nTroubleshooting 30%"), "{stats}");
    let korean = stdout(&kubedrill(&["stats", "--lang", "ko"], data.path()));
    assert!(korean.contains("\n워크로드와 스케줄링 15%"), "{korean}");
    let json: Value = serde_json::from_str(&stdout(&kubedrill(
        &["stats", "--format", "json"],
        data.path(),
    )))
    .unwrap();
    let domains = json["domains"].as_array().unwrap();
    assert_eq!(domains[0]["domain"], "cluster-architecture");
    assert_eq!(domains[0]["weight"], 25);
    assert_eq!(domains[1]["domain"], "workloads-scheduling");
    assert_eq!(domains[1]["weight"], 15);
    assert_eq!(domains[1]["topics"], 13);
    let due = stdout(&kubedrill(&["due", "--lang", "en"], data.path()));
    assert!(
        due.contains("    Workloads & Scheduling (15%): 20 new"),
        "{due}"
    );
    assert!(due.contains("      pods-labels"), "{due}");
    let json: Value = serde_json::from_str(&stdout(&kubedrill(
        &["due", "--format", "json"],
        data.path(),
    )))
    .unwrap();
    assert_eq!(json["topics"][0]["domain"], "workloads-scheduling");
}
