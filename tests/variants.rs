//! Parameterized exercises and drills, as a learner and an instructor meet them: each review
//! shows another variant and an undo the same one again (the interface, on a private
//! database), `deck check` names the variant whose solution fails, and `show`/`grade` use the
//! variant the learner would see, or the one `--variant` asks for. The deck is
//! tests/fixtures/decks/variants (an exercise with 4 variants, a drill with 4).

use std::path::{Path, PathBuf};

mod common;
use common::{copy_dir, kubedrill, stderr, stdout};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/decks")
        .join(name)
}

#[test]
fn deck_check_fails_a_deck_whose_variant_makes_the_solution_fail() {
    let data = tempfile::tempdir().unwrap();
    let clean = kubedrill(
        &["deck", "check", fixture("variants").to_str().unwrap()],
        data.path(),
    );
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(
        stdout(&clean).contains("1 drill, 1 exercise"),
        "{}",
        stdout(&clean)
    );

    // Its solution writes port 8080 whatever the parameters say: the variants with the app
    // `api` (port 9090) fail, and the first of them is named with its values.
    let broken = kubedrill(
        &[
            "deck",
            "check",
            fixture("variant-breaks-solution").to_str().unwrap(),
        ],
        data.path(),
    );
    let text = stdout(&broken);
    assert_eq!(broken.status.code(), Some(1), "{text}");
    assert!(text.contains("error[solution-fails]"), "{text}");
    assert!(
        text.contains("(in variant 2 of 4: replicas=3, app={name=api, port=9090}; variant 4 too)"),
        "{text}"
    );
    assert!(
        text.contains("topics/scaling/exercises/replicas.toml:6:1"),
        "{text}"
    );
    assert_eq!(text.matches("error[").count(), 1, "reported once: {text}");
}

#[test]
fn a_placeholder_without_a_parameter_is_an_error_at_its_column() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let deck = work.path().join("deck");
    copy_dir(&fixture("variants"), &deck);
    let drills = deck.join("topics/scaling/drills.toml");
    let text = std::fs::read_to_string(&drills)
        .unwrap()
        .replace("--replicas={{replicas}}", "--replicas={{replica}}");
    std::fs::write(&drills, text).unwrap();
    let output = kubedrill(&["deck", "check", deck.to_str().unwrap()], data.path());
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error[unknown-placeholder]: `{{replica}}` names no parameter"),
        "{text}"
    );
    assert!(text.contains("drills.toml:5:56"), "{text}");
    assert!(text.contains("did you mean `replicas`?"), "{text}");
}

#[test]
fn grade_and_show_use_the_variant_asked_for() {
    let data = tempfile::tempdir().unwrap();
    let deck = fixture("variants");
    let deck = deck.to_str().unwrap();
    let grade = |variant: &str, command: &str| {
        kubedrill(
            &[
                "--deck",
                deck,
                "grade",
                "scaling/scale-deployment",
                "--variant",
                variant,
                "--command",
                command,
            ],
            data.path(),
        )
    };
    // The first parameter varies slowest: 1 web/2, 2 web/3, 3 api/2, 4 api/3.
    let third = grade("3", "kubectl scale deploy api --replicas 2");
    assert_eq!(third.status.code(), Some(0), "{}", stdout(&third));
    assert!(
        stderr(&third).contains("grading variant 3 of 4: name=api, replicas=2"),
        "{}",
        stderr(&third)
    );
    let first = grade("1", "kubectl scale deploy api --replicas 2");
    assert_eq!(first.status.code(), Some(1), "{}", stdout(&first));
    let out_of_range = grade("5", "kubectl scale deploy api --replicas 2");
    assert_eq!(out_of_range.status.code(), Some(2));
    assert!(
        stderr(&out_of_range)
            .contains("`scaling/scale-deployment` has 4 variants: --variant takes 1 to 4, not 5"),
        "{}",
        stderr(&out_of_range)
    );

    let shown = kubedrill(
        &[
            "--deck",
            deck,
            "show",
            "scaling/replicas",
            "--variant",
            "4",
            "--format",
            "json",
        ],
        data.path(),
    );
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));
    let json: serde_json::Value = serde_json::from_str(&stdout(&shown)).unwrap();
    assert_eq!(json["title"], "A Deployment of 4");
    assert_eq!(
        json["variant"],
        serde_json::json!({"number": 4, "count": 4, "values": "replicas=4, app={name=api, port=9090}"})
    );
    assert!(json["task"].as_str().unwrap().contains("`api`"), "{json}");
}

#[test]
fn without_variant_show_is_the_same_on_every_run_and_grade_agrees_with_it() {
    let data = tempfile::tempdir().unwrap();
    let deck = fixture("variants");
    let deck = deck.to_str().unwrap();
    let show = || {
        let output = kubedrill(
            &[
                "--deck",
                deck,
                "show",
                "scaling/scale-deployment",
                "--format",
                "json",
            ],
            data.path(),
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        serde_json::from_str::<serde_json::Value>(&stdout(&output)).unwrap()
    };
    let first = show();
    // The learner's seed is kept, so a restart shows the same variant.
    assert_eq!(show(), first);
    let values = first["variant"]["values"].as_str().unwrap().to_string();
    let (name, replicas) = values
        .strip_prefix("name=")
        .and_then(|rest| rest.split_once(", replicas="))
        .unwrap();
    let command = format!("kubectl scale deployment {name} --replicas={replicas}");
    let graded = kubedrill(
        &[
            "--deck",
            deck,
            "grade",
            "scaling/scale-deployment",
            "--command",
            &command,
        ],
        data.path(),
    );
    assert_eq!(graded.status.code(), Some(0), "{}", stdout(&graded));
}

#[cfg(feature = "tui")]
mod interface {
    use std::cell::Cell;
    use std::rc::Rc;

    use jiff::tz::TimeZone;
    use jiff::{SignedDuration, Timestamp};
    use kubedrill::i18n::Lang;
    use kubedrill::model::{ItemKind, ItemRef, Library};
    use kubedrill::store::Store;
    use kubedrill::tui::{Action, App, Effect, Runner, Screen, Theme, action_for, render};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    struct Harness {
        app: App,
        runner: Runner,
        clock: Rc<Cell<Timestamp>>,
    }

    impl Harness {
        fn new(seed: u64) -> Harness {
            let deck = kubedrill::content::check_dir(&super::fixture("variants"))
                .unwrap()
                .deck
                .unwrap();
            let store = Store::in_memory().unwrap();
            let mut settings = store.settings().unwrap();
            settings.variant_seed = seed;
            let scheduler = kubedrill::study::scheduler(&settings, &TimeZone::UTC).unwrap();
            let now: Timestamp = "2026-06-01T09:00:00Z".parse().unwrap();
            let mut app = App::new(
                Library { decks: vec![deck] },
                settings,
                scheduler,
                Lang::En,
                TimeZone::UTC,
                now,
                Theme { color: false },
            );
            app.size = (100, 30);
            let clock = Rc::new(Cell::new(now));
            let shared = clock.clone();
            let mut runner = Runner {
                store,
                clock: Box::new(move || shared.get()),
                deck_dir: None,
                watch_dir: None,
                watched: None,
            };
            let refreshed = runner.run(&app, Effect::Refresh).unwrap();
            runner.dispatch(&mut app, refreshed);
            Harness { app, runner, clock }
        }

        fn act(&mut self, action: Action) {
            let effect = self.runner.dispatch(&mut self.app, action);
            assert!(!matches!(effect, Some(Effect::OpenEditor { .. })));
        }

        fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) {
            if let Some(action) = action_for(&self.app, &Event::Key(KeyEvent::new(code, modifiers)))
            {
                self.act(action);
            }
        }

        fn keys(&mut self, text: &str) {
            for c in text.chars() {
                match c {
                    '\n' => self.key(KeyCode::Enter, KeyModifiers::NONE),
                    c => self.key(KeyCode::Char(c), KeyModifiers::NONE),
                }
            }
        }

        fn wait(&mut self, seconds: i64) {
            self.clock
                .set(self.clock.get() + SignedDuration::from_secs(seconds));
            self.act(Action::Tick);
        }

        fn screen(&self) -> String {
            let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
            terminal.draw(|frame| render(&self.app, frame)).unwrap();
            let buffer = terminal.backend().buffer().clone();
            buffer
                .content()
                .iter()
                .map(|cell| cell.symbol())
                .collect::<String>()
        }
    }

    /// One showing of a parameterized item: its kind, the variant, and what it asks.
    #[derive(Debug, Clone, PartialEq)]
    struct Showing {
        kind: ItemKind,
        variant: usize,
        text: String,
    }

    #[test]
    fn two_reviews_show_two_variants_and_an_undo_shows_the_same_again() {
        for seed in [0, 7, 12_345] {
            let mut h = Harness::new(seed);
            let mut shown: Vec<Showing> = Vec::new();
            let mut undone: Vec<ItemKind> = Vec::new();
            // Two study sessions, the second when both items are due for review again.
            for _ in 0..2 {
                h.keys("c");
                for _ in 0..60 {
                    h.wait(20);
                    match h.app.screen() {
                        Screen::Exercise(state) if !state.passed() => {
                            let (key, variant) = (state.key, state.variant);
                            let ItemRef::Exercise(exercise) = h.app.item(key).variant(variant)
                            else {
                                panic!()
                            };
                            let (title, solution) = (
                                exercise.title.get("en").to_string(),
                                exercise.solution.clone(),
                            );
                            let exercise_prompt = exercise.prompt.get("en").to_string();
                            assert!(h.screen().contains(&title), "{title} is on screen");
                            shown.push(Showing {
                                kind: ItemKind::Exercise,
                                variant,
                                text: format!("{title}\n{}", exercise_prompt),
                            });
                            h.keys("i");
                            h.act(Action::Paste(solution));
                            h.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
                            assert!(
                                matches!(h.app.screen(), Screen::Exercise(state) if state.passed()),
                                "the variant's own solution passes"
                            );
                            if !undone.contains(&ItemKind::Exercise) {
                                // Take the rating back: the same variant comes back.
                                h.keys("u");
                                undone.push(ItemKind::Exercise);
                            }
                        }
                        Screen::Drill(state) if state.verdict().is_none() => {
                            let (key, variant) = (state.key, state.variant);
                            let ItemRef::Drill(drill) = h.app.item(key).variant(variant) else {
                                panic!()
                            };
                            let (prompt, answer) =
                                (drill.prompt.get("en").to_string(), drill.answer.clone());
                            let plain = prompt.replace('`', "");
                            assert!(h.screen().contains(&plain), "{plain} is on screen");
                            shown.push(Showing {
                                kind: ItemKind::Drill,
                                variant,
                                text: prompt,
                            });
                            h.keys(&format!("{answer}\n"));
                            assert!(
                                matches!(h.app.screen(), Screen::Drill(state) if state.passed()),
                                "the variant's own answer is right"
                            );
                            if !undone.contains(&ItemKind::Drill) {
                                h.keys("u");
                                undone.push(ItemKind::Drill);
                            }
                        }
                        Screen::Exercise(_) | Screen::Drill(_) => h.keys("\n"),
                        // A new topic's lesson may come first in a session.
                        Screen::Lesson(_) => h.act(Action::Next),
                        Screen::Summary(_) => break,
                        other => panic!("unexpected screen {other:?}"),
                    }
                }
                assert!(matches!(h.app.screen(), Screen::Summary(_)));
                h.keys("\n");
                h.wait(365 * 24 * 3600);
                let refreshed = h.runner.run(&h.app, Effect::Refresh).unwrap();
                h.runner.dispatch(&mut h.app, refreshed);
            }
            assert_eq!(undone.len(), 2, "{shown:#?}");
            for kind in [ItemKind::Exercise, ItemKind::Drill] {
                let of_kind: Vec<&Showing> = shown
                    .iter()
                    .filter(|showing| showing.kind == kind)
                    .collect();
                assert!(of_kind.len() >= 3, "{kind:?}: {shown:#?}");
                // Shown, undone, shown again: the same variant, the same text.
                assert_eq!(of_kind[0], of_kind[1], "after an undo: {shown:#?}");
                // The next review: another variant, and it reads differently.
                assert_ne!(of_kind[1].variant, of_kind[2].variant, "{shown:#?}");
                assert_ne!(of_kind[1].text, of_kind[2].text, "{shown:#?}");
            }
        }
    }
}

#[test]
fn a_mock_exam_sets_each_tasks_variant_from_its_seed_and_grades_against_it() {
    use kubedrill::exam::{ExamOptions, grade, plan};
    use kubedrill::model::{ItemId, ItemRef, Library};
    let deck = kubedrill::content::check_dir(&fixture("variants"))
        .unwrap()
        .deck
        .unwrap();
    let library = Library { decks: vec![deck] };
    let options = |seed| ExamOptions {
        tasks: 2,
        ..ExamOptions::with_seed(seed)
    };
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..12 {
        let drawn = plan(&library, &options(seed)).unwrap();
        let answers: Vec<(Option<String>, bool)> = drawn
            .tasks
            .iter()
            .map(|task| {
                let item = library.decks[0]
                    .item(&ItemId::parse(&task.key()).unwrap())
                    .unwrap();
                let variant = task.variant(drawn.seed, item);
                // The same exam (a replay with --seed) asks the same variant.
                assert_eq!(variant, task.variant(seed, item));
                seen.insert((task.key(), variant));
                let answer = match item.variant(variant) {
                    ItemRef::Exercise(exercise) => exercise.solution.clone(),
                    ItemRef::Drill(drill) => drill.answer.clone(),
                    _ => unreachable!(),
                };
                (Some(answer), false)
            })
            .collect();
        let result = grade(&library, &drawn, &answers, "en");
        assert_eq!(result.score, 100.0, "seed {seed}: {:#?}", result.tasks);
    }
    // Different exams ask different variants.
    assert!(seen.len() > 2, "{seen:?}");
}

#[test]
fn a_deck_loaded_to_study_makes_each_variant_when_shown_and_the_same_as_deck_check() {
    use kubedrill::content::{self, source::DeckSource};
    let checked = content::built_in().deck.unwrap();
    let studied = content::load_source(DeckSource::built_in()).deck.unwrap();
    let mut compared = 0;
    for (checked_topic, studied_topic) in checked.topics.iter().zip(&studied.topics) {
        for (a, b) in checked_topic.exercises.iter().zip(&studied_topic.exercises) {
            assert_eq!(a.variant_count(), b.variant_count());
            for index in 0..a.variant_count() {
                assert_eq!(a.variant_label(index), b.variant_label(index));
                assert_eq!(
                    format!("{:?}", a.variant(index)),
                    format!("{:?}", b.variant(index))
                );
                compared += 1;
            }
        }
        for (a, b) in checked_topic.drills.iter().zip(&studied_topic.drills) {
            assert_eq!(a.variant_count(), b.variant_count());
            for index in 0..a.variant_count() {
                assert_eq!(
                    format!("{:?}", a.variant(index)),
                    format!("{:?}", b.variant(index))
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 500, "{compared} variants compared");
}
