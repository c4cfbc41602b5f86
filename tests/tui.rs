//! The terminal interface, driven the way a learner drives it: key events go through the real
//! keymap into the one state machine, effects run against a private database, and every screen
//! and dialog is drawn on a 100×30 test terminal and compared with its snapshot, in English and
//! Korean (tests/snapshots/). The clock is fixed; the deck is tests/fixtures/decks/tui.

#![cfg(feature = "tui")]

use std::cell::Cell;
use std::path::Path;
use std::rc::Rc;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kubedrill::i18n::Lang;
use kubedrill::model::Library;
use kubedrill::store::Store;
use kubedrill::tui::{Action, App, Effect, Modal, Runner, Screen, Theme, action_for, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

mod common;
use common::copy_dir;

struct Harness {
    app: App,
    runner: Runner,
    clock: Rc<Cell<Timestamp>>,
}

const START: &str = "2026-06-01T09:00:00Z";

impl Harness {
    fn new(lang: Lang) -> Harness {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/tui");
        Harness::with(
            Library {
                decks: vec![kubedrill::content::check_dir(&path).unwrap().deck.unwrap()],
            },
            lang,
        )
    }

    fn with(library: Library, lang: Lang) -> Harness {
        let store = Store::in_memory().unwrap();
        let settings = store.settings().unwrap();
        let scheduler = kubedrill::study::scheduler(&settings, &TimeZone::UTC).unwrap();
        let now: Timestamp = START.parse().unwrap();
        let mut app = App::new(
            library,
            settings,
            scheduler,
            lang,
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

    fn event(&mut self, event: &Event) {
        if let Some(action) = action_for(&self.app, event) {
            self.act(action);
        }
    }

    fn act(&mut self, action: Action) {
        let effect = self.runner.dispatch(&mut self.app, action);
        assert!(
            !matches!(effect, Some(Effect::OpenEditor { .. })),
            "the tests never open $EDITOR"
        );
    }

    fn key(&mut self, code: KeyCode) {
        self.event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn ctrl(&mut self, c: char) {
        self.event(&Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '\n' => self.key(KeyCode::Enter),
                c => self.key(KeyCode::Char(c)),
            }
        }
    }

    /// Lets time pass (and the debounced editor check run).
    fn wait(&mut self, seconds: i64) {
        self.clock
            .set(self.clock.get() + SignedDuration::from_secs(seconds));
        self.act(Action::Tick);
    }

    fn screen_at(&mut self, width: u16, height: u16) -> String {
        self.act(Action::Resize(width, height));
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| render(&self.app, frame)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let mut lines = Vec::new();
        for y in 0..height {
            let mut line = String::new();
            let mut x = 0;
            while x < width {
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                // A wide character (Hangul) covers the next cell too.
                x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
            }
            lines.push(line.trim_end().to_string());
        }
        lines.join("\n")
    }

    fn screen(&mut self) -> String {
        self.screen_at(100, 30)
    }

    fn reviews(&self) -> usize {
        self.runner.store.review_count().unwrap()
    }
}

fn both(test: impl Fn(Lang, &str)) {
    test(Lang::En, "en");
    test(Lang::Ko, "ko");
}

/// Opens the first topic (Secrets) from Home.
fn open_secrets(h: &mut Harness) {
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
}

/// Opens the Secrets topic's first exercise from Home.
fn open_secrets_exercise(h: &mut Harness) {
    open_secrets(h);
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
}

const ANSWER: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: busybox\n      command: [sleep, \"3600\"]\n      env:\n        - name: DB_Password\n          valueFrom:\n            secretKeyRef:\n              name: db-secret\n              key: DB_Password\n";

// ---- Snapshots of every screen and dialog ----------------------------------------------------

#[test]
fn home_and_topic_screens() {
    both(|lang, tag| {
        let mut h = Harness::new(lang);
        insta::assert_snapshot!(format!("home_{tag}"), h.screen());
        open_secrets(&mut h);
        insta::assert_snapshot!(format!("topic_{tag}"), h.screen());
        h.keys("?");
        insta::assert_snapshot!(format!("help_{tag}"), h.screen());
    });
}

/// Draw first: with every deck cached, Home's first frame is drawn from the decks' outlines
/// while the decks are read; it says it is counting and shows no number (none would be true
/// yet), and the next frame fills the counts in with every row where it was.
#[test]
fn home_is_drawn_from_the_outline_first_and_filled_in_without_moving() {
    both(|lang, tag| {
        let full = Harness::new(lang).app.library.clone();
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/tui");
        let outline = kubedrill::content::outline(false, None, &[folder]).unwrap();
        assert!(outline.decks[0].topics.iter().all(|t| t.cards.is_empty()));
        let mut h = Harness::with(outline, lang);
        h.app.progress = kubedrill::tui::Progress {
            pending: true,
            ..Default::default()
        };
        let first = h.screen();
        let counting = match lang {
            Lang::En => "Continue: counting what is due…",
            Lang::Ko => "이어서 학습: 오늘 할 항목을 세는 중…",
        };
        assert!(first.contains(counting), "{tag}:\n{first}");
        for number in ["%", " new", "새 ", "tasks", "과제"] {
            assert!(
                !first.contains(number),
                "{tag}: {number:?} before the decks are read:\n{first}"
            );
        }
        h.app.decks_read(full, Vec::new());
        let refreshed = h.runner.run(&h.app, Effect::Refresh).unwrap();
        h.runner.dispatch(&mut h.app, refreshed);
        let filled = h.screen();
        assert_eq!(filled, Harness::new(lang).screen(), "{tag}");
        // Every topic's row is on the same line in both frames.
        for topic in &h.app.library.decks[0].topics {
            let title = topic.title.get(lang.tag());
            let row = |screen: &str| screen.lines().position(|line| line.contains(title));
            assert!(row(&first).is_some(), "{tag}: {title} missing:\n{first}");
            assert_eq!(row(&first), row(&filled), "{tag}: {title} moved");
        }
    });
}

#[test]
fn lesson_reader_with_contents() {
    both(|lang, tag| {
        let mut h = Harness::new(lang);
        open_secrets(&mut h);
        h.key(KeyCode::Enter);
        assert!(matches!(h.app.screen(), Screen::Lesson(_)));
        insta::assert_snapshot!(format!("lesson_{tag}"), h.screen());
        h.keys("t");
        insta::assert_snapshot!(format!("lesson_contents_{tag}"), h.screen());
        h.key(KeyCode::Down);
        h.key(KeyCode::Down);
        h.key(KeyCode::Enter);
        let Screen::Lesson(lesson) = h.app.screen() else {
            panic!()
        };
        assert_eq!(
            lesson.scroll, lesson.rendered.headings[2].line,
            "the contents jump to the section"
        );
    });
}

#[test]
fn flashcard_front_back_and_session_summary() {
    both(|lang, tag| {
        let mut h = Harness::new(lang);
        // Continue opens the first topic's lesson, the session's counts above it; `c` moves on.
        h.keys("c");
        assert!(
            matches!(h.app.screen(), Screen::Lesson(_)),
            "{:?}",
            h.app.screen()
        );
        insta::assert_snapshot!(format!("session_lesson_{tag}"), h.screen());
        h.keys("c");
        insta::assert_snapshot!(format!("card_front_{tag}"), h.screen());
        h.key(KeyCode::Char(' '));
        insta::assert_snapshot!(format!("card_back_{tag}"), h.screen());
        h.keys("q");
        insta::assert_snapshot!(format!("confirm_end_{tag}"), h.screen());
        h.keys("y");
        insta::assert_snapshot!(format!("summary_{tag}"), h.screen());
    });
}

#[test]
fn quiz_questions_choice_and_type_in() {
    both(|lang, tag| {
        let mut h = Harness::new(lang);
        h.keys("cc");
        // The cards the lesson's first section taught (Good), then its question.
        while matches!(h.app.screen(), Screen::Card(_)) {
            h.keys(" 3");
            h.wait(5);
        }
        assert!(
            matches!(h.app.screen(), Screen::Question(_)),
            "{:?}",
            h.app.screen()
        );
        insta::assert_snapshot!(format!("question_choice_{tag}"), h.screen());
        h.keys("1");
        insta::assert_snapshot!(format!("question_choice_wrong_{tag}"), h.screen());
        h.key(KeyCode::Enter);
        // The section's drill comes before the next section's question.
        assert!(matches!(h.app.screen(), Screen::Drill(_)));
        h.keys("kubectl create secret generic db-secret --from-literal=DB_User=root\n");
        h.key(KeyCode::Enter);
        h.keys("base64 -d");
        insta::assert_snapshot!(format!("question_typein_{tag}"), h.screen());
        h.key(KeyCode::Enter);
        let Screen::Question(question) = h.app.screen() else {
            panic!()
        };
        assert_eq!(question.result(), Some(true));
    });
}

#[test]
fn exercise_editor_report_and_solution() {
    both(|lang, tag| {
        let mut h = Harness::new(lang);
        open_secrets(&mut h);
        h.key(KeyCode::Down);
        h.key(KeyCode::Down);
        h.key(KeyCode::Enter);
        assert!(matches!(h.app.screen(), Screen::Exercise(_)));
        insta::assert_snapshot!(format!("exercise_{tag}"), h.screen());
        h.keys("i");
        h.keys("apiVersion: v1\nkind: Pod\nmetadata:\n  nmae: app\n");
        h.wait(1);
        insta::assert_snapshot!(format!("exercise_typing_diagnostics_{tag}"), h.screen());
        h.ctrl('s');
        insta::assert_snapshot!(format!("exercise_report_{tag}"), h.screen());
        h.keys("s");
        h.keys("y");
        insta::assert_snapshot!(format!("exercise_solution_{tag}"), h.screen());
    });
}

#[test]
fn kubectl_drill_wrong_then_right() {
    both(|lang, tag| {
        let mut h = Harness::new(lang);
        open_secrets(&mut h);
        h.key(KeyCode::End);
        h.key(KeyCode::Enter);
        assert!(matches!(h.app.screen(), Screen::Drill(_)));
        h.keys("kubectl create secret db-secret --from-literal=DB_User=root");
        h.key(KeyCode::Enter);
        insta::assert_snapshot!(format!("drill_wrong_{tag}"), h.screen());
        h.ctrl('u');
        h.keys("k create secret generic db-secret --from-literal DB_User=root");
        h.key(KeyCode::Enter);
        insta::assert_snapshot!(format!("drill_right_{tag}"), h.screen());
    });
}

#[test]
fn a_drill_names_the_flags_it_ignored_and_why() {
    both(|lang, _| {
        let mut h = Harness::new(lang);
        open_secrets(&mut h);
        h.key(KeyCode::End);
        h.key(KeyCode::Enter);
        h.keys("k create secret generic db-secret --from-literal DB_User=root --server=https://198.51.100.9");
        h.key(KeyCode::Enter);
        let screen = h.screen();
        let expected = match lang {
            Lang::En => "! --server is ignored: it names a server to connect to",
            Lang::Ko => "! --server 플래그는 무시합니다. 접속할 서버를 지정하므로",
        };
        assert!(screen.contains(expected), "{screen}");
    });
}

#[test]
fn stats_settings_and_search() {
    both(|lang, tag| {
        let mut h = Harness::new(lang);
        h.keys("cc 3");
        h.wait(30);
        h.keys(" 4qy");
        h.key(KeyCode::Enter);
        h.keys("S");
        assert!(
            matches!(
                h.app.screen(),
                Screen::Stats(kubedrill::tui::StatsState { stats: Some(_) })
            ),
            "{:?}",
            h.app.screen()
        );
        insta::assert_snapshot!(format!("stats_{tag}"), h.screen());
        h.keys("q,");
        insta::assert_snapshot!(format!("settings_{tag}"), h.screen());
        h.keys("q/");
        h.keys("tmpfs");
        insta::assert_snapshot!(format!("search_{tag}"), h.screen());
    });
}

#[test]
fn small_terminals_get_a_message_and_nothing_breaks() {
    both(|lang, tag| {
        let mut h = Harness::new(lang);
        insta::assert_snapshot!(format!("too_small_{tag}"), h.screen_at(39, 11));
        for (width, height) in [(1, 1), (2, 40), (200, 2), (40, 12), (80, 24), (200, 50)] {
            h.screen_at(width, height);
            h.keys("c ");
            h.screen_at(width, height);
            h.keys("q");
        }
        assert_eq!(h.app.size, (200, 50));
    });
}

#[test]
fn an_80_by_24_terminal_fits_every_screen() {
    let mut h = Harness::new(Lang::En);
    insta::assert_snapshot!("home_80x24", h.screen_at(80, 24));
    open_secrets_exercise(&mut h);
    insta::assert_snapshot!("exercise_80x24", h.screen_at(80, 24));
}

/// The exercise screen at `width`×`height` after typing 22 lines into the editor: the line
/// being typed must be on screen, whatever height the editor pane really has.
fn typed_past_the_pane(lang: Lang, width: u16, height: u16) -> String {
    let mut h = Harness::new(lang);
    h.act(Action::Resize(width, height));
    open_secrets_exercise(&mut h);
    h.keys("i");
    let lines: Vec<String> = (1..=22).map(|n| format!("key{n:02}: v")).collect();
    h.keys(&lines.join("\n"));
    // The check runs, and its diagnostics take lines from the editor pane.
    h.wait(1);
    h.screen_at(width, height)
}

#[test]
fn the_editor_follows_the_cursor_below_120_columns() {
    both(|lang, tag| {
        for (width, height) in [(80, 24), (100, 30)] {
            let screen = typed_past_the_pane(lang, width, height);
            assert!(
                screen.contains("key22: v"),
                "the line being typed is in view at {width}×{height}:\n{screen}"
            );
            insta::assert_snapshot!(
                format!("exercise_typed_past_{width}x{height}_{tag}"),
                screen
            );
        }
    });
}

/// What the task pane's bottom border says when there is more below.
fn more(lang: Lang) -> &'static str {
    lang.pick("▼ more: PgDn", "▼ 더 보기: PgDn")
}

#[test]
fn a_cut_off_task_says_so_scrolls_and_brings_the_solution_into_view() {
    both(|lang, tag| {
        let heading = lang.pick("The solution, as a diff", "풀이를 내 답안과 비교한 결과");
        let hint = lang.pick("Hint 1:", "힌트 1:");
        for (width, height) in [(80, 24), (100, 30)] {
            let mut h = Harness::new(lang);
            h.act(Action::Resize(width, height));
            open_secrets_exercise(&mut h);
            h.keys("hh");
            insta::assert_snapshot!(
                format!("exercise_two_hints_{width}x{height}_{tag}"),
                h.screen_at(width, height)
            );
            h.keys("sy");
            let screen = h.screen_at(width, height);
            assert!(
                screen.contains(heading),
                "the solution is in view:\n{screen}"
            );
            assert!(screen.contains(more(lang)), "more below is said:\n{screen}");
            insta::assert_snapshot!(
                format!("exercise_solution_in_view_{width}x{height}_{tag}"),
                screen
            );
            // PageUp goes back to the hints; PageDown to the end, where nothing more is said.
            for _ in 0..10 {
                h.key(KeyCode::PageUp);
            }
            let screen = h.screen_at(width, height);
            assert!(screen.contains(hint), "{screen}");
            for _ in 0..20 {
                h.key(KeyCode::PageDown);
            }
            let screen = h.screen_at(width, height);
            assert!(!screen.contains(more(lang)), "at the end:\n{screen}");
        }
    });
}

#[test]
fn grading_again_scrolls_the_task_back_to_the_verdict() {
    both(|lang, tag| {
        let verdict = lang.pick("✗ Not yet", "✗ 아직입니다");
        let mut h = Harness::new(lang);
        h.act(Action::Resize(80, 24));
        open_secrets_exercise(&mut h);
        h.keys("i");
        h.keys("apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n");
        h.key(KeyCode::Esc);
        h.ctrl('s');
        assert!(h.screen_at(80, 24).contains(verdict));
        // Read down the report to the task under it.
        for _ in 0..10 {
            h.key(KeyCode::PageDown);
        }
        assert!(!h.screen_at(80, 24).contains(verdict));
        h.ctrl('s');
        let screen = h.screen_at(80, 24);
        assert!(
            screen.contains(verdict),
            "the new verdict is in view:\n{screen}"
        );
        insta::assert_snapshot!(format!("exercise_graded_again_80x24_{tag}"), screen);
    });
}

// ---- Whole flows through Actions -------------------------------------------------------------

#[test]
fn a_review_session_runs_to_its_summary_and_every_rating_is_saved() {
    let mut h = Harness::new(Lang::En);
    let queued = h.app.progress.queue.len();
    let lessons = h
        .app
        .progress
        .queue
        .iter()
        .filter(|(key, _)| matches!(key, kubedrill::tui::QueueKey::Lesson { .. }))
        .count();
    assert_eq!(
        lessons, 2,
        "each topic's lesson comes before its first item"
    );
    assert_eq!(queued - lessons, 8, "every item of the deck is new");
    let queued = queued - lessons;
    h.keys("c");
    let mut answered = 0;
    let mut read = 0;
    for _ in 0..40 {
        h.wait(20);
        match h.app.screen() {
            // A lesson in the session: `c` moves on to what it taught.
            Screen::Lesson(_) => {
                h.keys("c");
                read += 1;
            }
            Screen::Card(card) if !card.revealed() => h.keys(" "),
            Screen::Card(_) => {
                h.keys("4");
                answered += 1;
            }
            Screen::Question(question) if question.result().is_none() => {
                let ItemRef::Question(item) = h.app.item(question.key) else {
                    panic!()
                };
                match &item.answer {
                    QuestionAnswer::Choice { correct, .. } => h.keys(&(correct[0] + 1).to_string()),
                    QuestionAnswer::TypeIn { accept } => {
                        let answer = accept[0].clone();
                        h.keys(&answer);
                        h.key(KeyCode::Enter);
                    }
                }
                answered += 1;
            }
            Screen::Question(_) => h.key(KeyCode::Enter),
            Screen::Exercise(exercise) if !exercise.passed() => {
                h.keys("i");
                h.act(Action::Paste(ANSWER.to_string()));
                h.ctrl('s');
                answered += 1;
            }
            Screen::Exercise(_) => h.key(KeyCode::Enter),
            Screen::Drill(drill) if drill.verdict().is_none() => {
                h.keys("kubectl create secret generic db-secret --from-literal=DB_User=root\n");
                answered += 1;
            }
            Screen::Drill(_) => h.key(KeyCode::Enter),
            Screen::Summary(summary) => {
                assert_eq!(summary.ratings.iter().sum::<usize>(), answered);
                break;
            }
            other => panic!("unexpected screen {other:?}"),
        }
    }
    assert!(
        matches!(h.app.screen(), Screen::Summary(_)),
        "{:?}",
        h.app.screen()
    );
    assert_eq!(h.reviews(), answered);
    assert_eq!(read, lessons);
    // Questions answered in time rate Good and come back once after their 10-minute step.
    assert!(answered >= queued, "{answered} answers for {queued} items");
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.screen(), Screen::Home { .. }));
    assert!(
        h.app.progress.queue.is_empty(),
        "nothing is due after the session"
    );
}

use kubedrill::model::{ItemRef, QuestionAnswer};

#[test]
fn an_exercise_fails_then_passes_after_a_hint_and_is_rated_hard() {
    let mut h = Harness::new(Lang::En);
    open_secrets_exercise(&mut h);
    // A first try that runs the wrong process.
    h.keys("i");
    h.act(Action::Paste(ANSWER.replace("\"3600\"", "\"36000\"")));
    h.ctrl('s');
    let Screen::Exercise(state) = h.app.screen() else {
        panic!()
    };
    let report = state.report.as_ref().unwrap();
    assert!(!report.passed);
    assert_eq!(
        report
            .checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["runs-sleep"]
    );
    assert_eq!(
        h.reviews(),
        0,
        "a failed try is not rated yet: the learner may fix it"
    );
    h.keys("h");
    let Screen::Exercise(state) = h.app.screen() else {
        panic!()
    };
    assert_eq!(state.attempt.hints, 1);
    assert!(h.screen().contains("Hint 1:"));
    // The learner rewrites the answer (in $EDITOR).
    h.act(Action::EditorClosed(Ok(ANSWER.to_string())));
    h.ctrl('s');
    let Screen::Exercise(state) = h.app.screen() else {
        panic!()
    };
    assert!(state.passed());
    assert_eq!(h.reviews(), 1);
    let key = state.key;
    let saved = h
        .runner
        .store
        .state("tui", "secrets/secret-env")
        .unwrap()
        .unwrap();
    assert_eq!(saved.reps, 1);
    assert_eq!(h.app.progress.states.get(&key), Some(&saved));
    assert!(h.screen().contains("✓ Passed"));
    assert_eq!(
        h.app.last_rating,
        Some(kubedrill::srs::Rating::Hard),
        "passed after a hint: Hard"
    );
}

#[test]
fn an_exercise_counts_with_the_one_attempt_policy_and_a_give_up_is_rated_again() {
    let mut h = Harness::new(Lang::En);
    open_secrets_exercise(&mut h);
    h.keys("h");
    h.keys("s");
    h.keys("y");
    h.keys("i");
    h.act(Action::Paste(ANSWER.replace("\"3600\"", "\"36000\"")));
    h.ctrl('s');
    let Screen::Exercise(state) = h.app.screen() else {
        panic!()
    };
    let attempt = &state.attempt;
    assert_eq!(
        (attempt.tries, attempt.hints, attempt.solution_seen),
        (1, 1, true)
    );
    assert_eq!(attempt.phase, kubedrill::study::AttemptPhase::Working);
    assert_eq!(h.reviews(), 0);
    h.keys("q");
    assert_eq!(h.reviews(), 1, "tried and left: rated");
    assert_eq!(h.app.last_rating, Some(kubedrill::srs::Rating::Again));
    assert!(matches!(h.app.screen(), Screen::Topic(_)));
}

#[test]
fn a_passed_drill_or_exercise_says_which_rating_was_recorded() {
    both(|lang, _| {
        let mut h = Harness::new(lang);
        open_secrets(&mut h);
        h.key(KeyCode::End);
        h.key(KeyCode::Enter);
        h.keys("k create secret generic db-secret --from-literal DB_User=root");
        h.key(KeyCode::Enter);
        let expected = match lang {
            Lang::En => "Rated Easy: next review in 8d",
            Lang::Ko => "평가: 쉬움 · 다음 복습까지 8일",
        };
        let screen = h.screen();
        assert!(screen.contains(expected), "{screen}");
        h.keys("q");
        h.key(KeyCode::Home);
        h.key(KeyCode::Down);
        h.key(KeyCode::Down);
        h.key(KeyCode::Enter);
        assert!(matches!(h.app.screen(), Screen::Exercise(_)));
        h.keys("h");
        h.act(Action::EditorClosed(Ok(ANSWER.to_string())));
        h.ctrl('s');
        let expected = match lang {
            Lang::En => "Rated Hard: next review in",
            Lang::Ko => "평가: 어려움 · 다음 복습까지",
        };
        let screen = h.screen();
        assert!(screen.contains(expected), "{screen}");
        // Given up: the rating is said on the screen that comes next.
        h.keys("q");
        h.key(KeyCode::End);
        h.key(KeyCode::Enter);
        h.keys("kubectl get pods");
        h.key(KeyCode::Enter);
        h.key(KeyCode::Esc);
        let expected = match lang {
            Lang::En => "Rated Again: next review in",
            Lang::Ko => "평가: 다시 · 다음 복습까지",
        };
        let screen = h.screen();
        assert!(screen.contains(expected), "{screen}");
    });
}

#[test]
fn ctrl_r_asks_before_it_shows_a_drills_answer() {
    both(|lang, _| {
        let mut h = Harness::new(lang);
        open_secrets(&mut h);
        h.key(KeyCode::End);
        h.key(KeyCode::Enter);
        h.ctrl('r');
        assert!(
            matches!(h.app.modal, Some(Modal::Confirm { .. })),
            "the answer is not shown without asking"
        );
        let answer = match lang {
            Lang::En => "Answer: ",
            Lang::Ko => "정답: ",
        };
        assert!(!h.screen().contains(answer));
        h.keys("n");
        assert!(!h.screen().contains(answer), "no: nothing shown");
        h.ctrl('r');
        h.keys("y");
        let screen = h.screen();
        assert!(screen.contains(answer), "{screen}");
        let Screen::Drill(drill) = h.app.screen() else {
            panic!()
        };
        assert!(drill.shown_answer);
    });
}

#[test]
fn a_long_checker_diagnostic_is_wrapped_not_cut() {
    both(|lang, _| {
        let mut h = Harness::new(lang);
        open_secrets_exercise(&mut h);
        h.keys("i");
        h.act(Action::Paste(ANSWER.replace(
            "image: busybox",
            "image: busybox\n      image: nginx",
        )));
        h.wait(1);
        let screen = h.screen_at(80, 24);
        let Screen::Exercise(state) = h.app.screen() else {
            panic!()
        };
        let message = kubedrill::i18n::localize(&state.diagnostics[0].message, lang).into_owned();
        assert!(
            unicode_width::UnicodeWidthStr::width(message.as_str()) > 70,
            "a message longer than the pane: {message}"
        );
        // Every word of it is on screen, in the checker's pane at the bottom.
        let checker: String = screen
            .lines()
            .skip_while(|line| !line.contains("Checker") && !line.contains("검사기"))
            .map(|line| line.trim_matches(|c| c == '│' || c == ' '))
            .collect::<Vec<_>>()
            .join(" ");
        for word in message.split_whitespace() {
            assert!(checker.contains(word), "{word:?} is cut off:\n{screen}");
        }
        // At most four lines of it: the editor keeps its room at 80×24.
        let lines: Vec<&str> = screen.lines().collect();
        let top = lines
            .iter()
            .position(|line| line.contains("Checker") || line.contains("검사기"))
            .unwrap();
        let bottom = top
            + lines[top..]
                .iter()
                .position(|line| line.starts_with('└'))
                .unwrap();
        assert!(bottom - top - 1 <= 4, "{screen}");
    });
}

#[test]
fn a_drafted_answer_is_kept_on_leaving_restored_on_opening_and_can_start_again() {
    both(|lang, _| {
        let mut h = Harness::new(lang);
        open_secrets_exercise(&mut h);
        let Screen::Exercise(state) = h.app.screen() else {
            panic!()
        };
        let starter = state.text();
        h.keys("i");
        h.keys("# mine\n");
        h.key(KeyCode::Esc);
        let Screen::Exercise(state) = h.app.screen() else {
            panic!()
        };
        let drafted = state.text();
        h.keys("q");
        assert!(matches!(h.app.screen(), Screen::Topic(_)));
        let kept = match lang {
            Lang::En => "kept as a draft",
            Lang::Ko => "초안으로 남겨 두었습니다",
        };
        assert!(h.screen().contains(kept), "{}", h.screen());
        let saved = h.runner.store.draft("tui", "secrets/secret-env").unwrap();
        assert_eq!(saved.as_deref(), Some(drafted.as_str()));
        // Opened again: the draft is back, and said so.
        h.key(KeyCode::Enter);
        let Screen::Exercise(state) = h.app.screen() else {
            panic!()
        };
        assert_eq!(state.text().trim_end(), drafted.trim_end());
        let (back, again) = match lang {
            Lang::En => ("Your draft is back", "r start again"),
            Lang::Ko => ("지난번 초안을 불러왔습니다", "r 처음부터"),
        };
        let screen = h.screen();
        assert!(screen.contains(back) && screen.contains(again), "{screen}");
        // r asks, then starts again from the starter; the draft is gone.
        h.keys("r");
        assert!(matches!(h.app.modal, Some(Modal::Confirm { .. })));
        h.keys("y");
        let Screen::Exercise(state) = h.app.screen() else {
            panic!()
        };
        assert_eq!(state.text(), starter);
        assert_eq!(
            h.runner.store.draft("tui", "secrets/secret-env").unwrap(),
            None
        );
        // Quitting keeps a draft too.
        h.keys("i");
        h.keys("# again\n");
        h.key(KeyCode::Esc);
        h.keys("Q");
        assert!(h.app.quit);
        assert!(
            h.runner
                .store
                .draft("tui", "secrets/secret-env")
                .unwrap()
                .is_some()
        );
    });
}

#[test]
fn search_jumps_to_a_lesson_section_and_to_an_item() {
    let mut h = Harness::new(Lang::En);
    h.keys("/");
    h.keys("Using it");
    h.key(KeyCode::Enter);
    let Screen::Lesson(lesson) = h.app.screen() else {
        panic!("{:?}", h.app.screen())
    };
    let heading = lesson
        .rendered
        .headings
        .iter()
        .find(|h| h.text == "Using it")
        .unwrap();
    assert_eq!(lesson.scroll, heading.line);
    // A mistyped query is cleared with Ctrl-U, or its last word with Ctrl-W, as in any prompt.
    h.keys("/");
    h.keys("nothing like this");
    h.ctrl('u');
    h.keys("create db-secret wrongword");
    h.ctrl('w');
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.app.screen(), Screen::Drill(_)),
        "{:?}",
        h.app.screen()
    );
    h.key(KeyCode::Esc);
    assert!(
        matches!(h.app.screen(), Screen::Lesson(_)),
        "back goes where the learner was"
    );
}

#[test]
fn switching_the_language_changes_the_interface_at_once_and_is_saved() {
    let mut h = Harness::new(Lang::En);
    h.keys(",");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.lang, Lang::Ko);
    assert_eq!(
        h.runner.store.settings().unwrap().language.as_deref(),
        Some("ko")
    );
    assert!(h.screen().contains("설정"));
    h.keys("q");
    open_secrets(&mut h);
    h.key(KeyCode::Enter);
    assert!(
        h.screen().contains("Secret 만들기"),
        "the lesson is Korean now"
    );
}

#[test]
fn leaving_typed_work_keeps_it_and_the_lesson_position_is_remembered() {
    let mut h = Harness::new(Lang::En);
    open_secrets(&mut h);
    h.key(KeyCode::Enter);
    h.keys("jjjj");
    h.keys("q");
    h.key(KeyCode::Enter);
    let Screen::Lesson(lesson) = h.app.screen() else {
        panic!()
    };
    assert_eq!(lesson.scroll, 4, "the lesson opens where it was left");
    h.keys("q");
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.keys("i");
    h.keys("kind: Pod");
    h.key(KeyCode::Esc);
    h.keys("q");
    assert!(
        matches!(h.app.screen(), Screen::Topic { .. }),
        "typed work is kept as a draft, not asked about"
    );
    assert!(h.screen().contains("kept as a draft"), "{}", h.screen());
}

#[test]
fn quitting_from_a_lesson_saves_where_it_was_left_and_then_quits() {
    let mut h = Harness::new(Lang::En);
    open_secrets(&mut h);
    h.key(KeyCode::Enter);
    h.keys("jjj");
    // Quit is one key with two effects: the position's save and the quit; neither is dropped.
    let effects = h.app.update(Action::Quit);
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::SavePosition { line: 3, .. }, Effect::Quit]
        ),
        "{effects:?}"
    );
    let mut h = Harness::new(Lang::En);
    open_secrets(&mut h);
    h.key(KeyCode::Enter);
    h.keys("jjj");
    let last = h.runner.dispatch(&mut h.app, Action::Quit);
    assert!(matches!(last, Some(Effect::Quit)), "{last:?}");
    assert!(h.app.quit);
    let deck = h.app.library.decks[0].id.to_string();
    let saved = h.runner.store.lesson_positions(&deck).unwrap();
    assert_eq!(saved.get("secrets"), Some(&3), "{saved:?}");
}

#[test]
fn undo_takes_back_the_last_rating() {
    let mut h = Harness::new(Lang::En);
    h.keys("cc 3");
    assert_eq!(h.reviews(), 1);
    h.keys("u");
    assert_eq!(h.reviews(), 0);
    let Screen::Card(card) = h.app.screen() else {
        panic!()
    };
    assert!(!card.revealed());
    // The lesson was the session's first entry; the card is back at the second.
    assert_eq!(h.app.session.as_ref().unwrap().position, 1);
}

#[test]
fn a_lesson_link_opens_its_card_and_back_returns_to_the_lesson() {
    let mut h = Harness::new(Lang::En);
    open_secrets(&mut h);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Tab);
    let screen = h.screen();
    assert!(
        screen.contains("Enter → card:base64-is-encoding"),
        "{screen}"
    );
    h.key(KeyCode::Enter);
    let Screen::Card(card) = h.app.screen() else {
        panic!("{:?}", h.app.screen())
    };
    assert_eq!(
        h.app.item(card.key).kind(),
        kubedrill::model::ItemKind::Card
    );
    h.keys(" 3");
    assert_eq!(
        h.reviews(),
        1,
        "a card opened from the lesson is a real review"
    );
    assert!(
        matches!(h.app.screen(), Screen::Lesson(_)),
        "{:?}",
        h.app.screen()
    );
}

#[test]
fn a_broken_starter_shows_its_mistakes_as_soon_as_the_exercise_opens() {
    let built_in = Library {
        decks: vec![kubedrill::content::built_in().deck.unwrap()],
    };
    let mut h = Harness::with(built_in, Lang::En);
    h.act(Action::Search);
    h.keys("Fix a Secret written in plain text");
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.app.screen(), Screen::Exercise(_)),
        "{}",
        h.screen()
    );
    h.wait(0);
    let screen = h.screen();
    assert!(
        screen.contains("not valid base64") && !screen.contains("Valid Kubernetes so far"),
        "{screen}"
    );
}

/// A copy of the fixture deck to edit, and a harness previewing it.
fn previewing(lang: Lang) -> (Harness, tempfile::TempDir) {
    let folder = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/tui");
    copy_dir(&source, folder.path());
    let loaded = kubedrill::content::check_dir(folder.path()).unwrap();
    let mut h = Harness::with(
        Library {
            decks: vec![loaded.deck.unwrap()],
        },
        lang,
    );
    h.runner.deck_dir = Some(folder.path().to_path_buf());
    h.app.preview = Some(kubedrill::tui::PreviewInfo {
        dir: "my-deck".to_string(),
        watching: true,
        ..Default::default()
    });
    (h, folder)
}

#[test]
fn a_previewed_deck_reloads_its_edits_and_lists_its_problems_where_the_author_is() {
    let (mut h, folder) = previewing(Lang::En);
    assert!(h.screen().contains("The deck checks clean."));
    // The author reads the lesson, edits it, saves: the lesson reloads in place.
    open_secrets(&mut h);
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.app.screen(), Screen::Lesson(_)),
        "{}",
        h.screen()
    );
    let lesson = folder.path().join("topics/secrets/lesson.en.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&lesson, text.replacen("# Secrets", "# Secrets, revised", 1)).unwrap();
    h.keys("R");
    assert!(matches!(h.app.screen(), Screen::Lesson(_)), "still reading");
    let screen = h.screen();
    assert!(screen.contains("Secrets, revised"), "{screen}");
    // A broken card: the deck keeps working and Home names the mistake with its place.
    let cards = folder.path().join("topics/secrets/cards.toml");
    let text = std::fs::read_to_string(&cards).unwrap();
    std::fs::write(
        &cards,
        format!("{text}\n[[card]]\nid = \"no-back\"\nfront = \"What?\"\n"),
    )
    .unwrap();
    h.act(Action::Reload);
    h.key(KeyCode::Esc);
    h.key(KeyCode::Esc);
    let screen = h.screen();
    assert!(screen.contains("1 error, 0 warnings:"), "{screen}");
    assert!(
        screen.contains("topics/secrets/cards.toml:")
            && screen.contains("missing required key `back`"),
        "{screen}"
    );
    assert!(screen.contains("preview of my-deck"), "{screen}");
    // Fixed again: clean.
    std::fs::write(&cards, text).unwrap();
    h.act(Action::Reload);
    assert!(h.screen().contains("The deck checks clean."));
    assert_eq!(h.app.preview.as_ref().unwrap().reloads, 3);
}

#[test]
fn reload_keeps_the_typed_answer_of_an_open_exercise() {
    let (mut h, folder) = previewing(Lang::En);
    open_secrets_exercise(&mut h);
    h.keys("i");
    h.act(Action::Paste("apiVersion: v1\nkind: Pod\n".to_string()));
    h.key(KeyCode::Esc);
    let exercise = folder
        .path()
        .join("topics/secrets/exercises/secret-env.toml");
    let text = std::fs::read_to_string(&exercise).unwrap();
    let edited = text.replacen("title.en = \"", "title.en = \"(edited) ", 1);
    assert_ne!(text, edited);
    std::fs::write(&exercise, edited).unwrap();
    h.keys("R");
    let Screen::Exercise(state) = h.app.screen() else {
        panic!("{}", h.screen())
    };
    assert_eq!(
        state.editor.lines().join("\n"),
        "apiVersion: v1\nkind: Pod\n"
    );
    assert!(h.screen().contains("(edited)"), "{}", h.screen());
}

// ---- The mock exam -----------------------------------------------------------------------------

/// Opens the exam from Home (its row comes after the topics).
fn open_exam(h: &mut Harness) {
    let rows = h.app.home_rows();
    let at = rows
        .iter()
        .position(|row| *row == kubedrill::tui::HomeRow::Exam)
        .expect("Home offers the exam");
    for _ in 0..at {
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::Enter);
}

fn exam(h: &Harness) -> &kubedrill::tui::ExamState {
    match h.app.screen() {
        Screen::Exam(state) => state,
        _ => panic!("not the exam: {:?}", h.app.screen()),
    }
}

/// The task index of the drill and of the exercise (the draw decides the order).
fn exam_tasks(h: &Harness) -> (usize, usize) {
    let state = exam(h);
    let drill = state
        .plan
        .tasks
        .iter()
        .position(|task| task.kind == kubedrill::model::ItemKind::Drill)
        .unwrap();
    (drill, 1 - drill)
}

/// Goes to task `index` through the list of tasks.
fn to_task(h: &mut Harness, index: usize) {
    h.act(Action::Overview);
    let current = match exam(h).view {
        kubedrill::tui::ExamView::Overview { selected } => selected,
        other => panic!("{other:?}"),
    };
    for _ in current..index {
        h.key(KeyCode::Down);
    }
    for _ in index..current {
        h.key(KeyCode::Up);
    }
    h.key(KeyCode::Enter);
    assert_eq!(exam(h).current, index);
}

#[test]
fn exam_screens() {
    both(|lang, tag| {
        let mut h = Harness::new(lang);
        open_exam(&mut h);
        insta::assert_snapshot!(format!("exam_intro_{tag}"), h.screen());
        h.key(KeyCode::Enter);
        let (drill, exercise) = exam_tasks(&h);
        to_task(&mut h, drill);
        h.keys("kubectl create secret generic db-secret --from-literal=DB_User=root");
        insta::assert_snapshot!(format!("exam_drill_{tag}"), h.screen());
        h.ctrl('f');
        to_task(&mut h, exercise);
        h.wait(15 * 60);
        insta::assert_snapshot!(format!("exam_exercise_{tag}"), h.screen());
        h.keys("o");
        insta::assert_snapshot!(format!("exam_overview_{tag}"), h.screen());
        h.keys("x");
        insta::assert_snapshot!(format!("exam_hand_in_{tag}"), h.screen());
        h.keys("y");
        insta::assert_snapshot!(format!("exam_result_{tag}"), h.screen());
        h.key(KeyCode::Enter);
        h.keys("s");
        insta::assert_snapshot!(format!("exam_review_{tag}"), h.screen());
    });
}

#[test]
fn an_exam_runs_out_of_time_hands_itself_in_and_feeds_the_scheduler() {
    let mut h = Harness::new(Lang::En);
    open_exam(&mut h);
    assert_eq!(exam(&h).plan.tasks.len(), 2, "every task of the small deck");
    h.key(KeyCode::Enter);
    let (drill, exercise) = exam_tasks(&h);
    // No hints or solutions while the clock runs.
    to_task(&mut h, exercise);
    h.keys("h");
    assert!(
        h.screen()
            .contains("No hints or solutions until the exam is handed in."),
        "{}",
        h.screen()
    );
    let Screen::Exam(state) = h.app.screen() else {
        panic!()
    };
    let kubedrill::tui::TaskState::Exercise(editor) = &state.tasks[exercise] else {
        panic!()
    };
    assert_eq!(editor.attempt.hints, 0);
    // The exercise: half right (the Pod, but the wrong variable).
    h.keys("i");
    h.act(Action::Paste(ANSWER.replace("DB_Password\n", "DB_PASS\n")));
    h.key(KeyCode::Esc);
    // The drill: right, then moved on with Enter.
    to_task(&mut h, drill);
    h.keys("kubectl create secret generic db-secret --from-literal DB_User=root");
    h.keys("\n");
    // The countdown colours as time runs down, and the last minute is an alarm.
    h.wait(119 * 60);
    assert!(h.screen().contains("1:00 left"), "{}", h.screen());
    let before_end = h.reviews();
    h.wait(61);
    let state = exam(&h);
    assert!(state.timed_out, "handed in at zero");
    let result = state.result.as_ref().expect("graded");
    assert_eq!(result.tasks[drill].fraction, 1.0);
    assert!(result.tasks[exercise].fraction < 1.0);
    let expected = f64::from(result.tasks[drill].task.weight)
        + result.tasks[exercise].fraction * f64::from(result.tasks[exercise].task.weight);
    assert!((result.score - expected).abs() < 1e-9);
    assert!(h.screen().contains("The time ran out"), "{}", h.screen());
    // Saved, and both tasks were rated: the drill Good, the missed exercise Again.
    assert_eq!(h.reviews(), before_end + 2);
    let exams = h.runner.store.exams().unwrap();
    assert_eq!(exams.len(), 1);
    assert_eq!(exams[0].seed, exam(&h).plan.seed);
    let missed = h
        .runner
        .store
        .state("tui", "secrets/secret-env")
        .unwrap()
        .unwrap();
    assert_eq!(missed.lapses + missed.reps, 1);
    assert!(
        missed.due <= h.app.now + jiff::SignedDuration::from_mins(10),
        "a missed task comes back within minutes"
    );
    let passed = h
        .runner
        .store
        .state("tui", "secrets/create-db-secret")
        .unwrap()
        .unwrap();
    assert!(
        passed.due > missed.due,
        "a right task waits longer than a missed one"
    );
    assert_eq!(passed.reps, 1);
    // Stats lists it; Home says an exam was taken.
    h.keys("q");
    assert!(h.screen().contains("1 taken"), "{}", h.screen());
}

#[test]
fn leaving_an_exam_asks_first_and_records_nothing() {
    let mut h = Harness::new(Lang::En);
    open_exam(&mut h);
    h.key(KeyCode::Enter);
    h.act(Action::Overview);
    h.keys("q");
    assert!(h.screen().contains("Leave the exam?"), "{}", h.screen());
    h.keys("n");
    assert!(matches!(h.app.screen(), Screen::Exam(_)));
    h.keys("q");
    h.keys("y");
    assert!(matches!(h.app.screen(), Screen::Home { .. }));
    assert_eq!(h.runner.store.exams().unwrap().len(), 0);
    assert_eq!(h.reviews(), 0);
}

#[test]
fn the_exam_editor_says_grading_is_at_hand_in_and_hand_in_counts_what_is_open() {
    both(|lang, _| {
        let mut options = kubedrill::exam::ExamOptions::with_seed(7);
        options.minutes = 1;
        options.tasks = 2;
        let mut h = Harness::new(lang);
        let plan = kubedrill::exam::plan(&h.app.library, &options).unwrap();
        h.app.open_exam(plan).unwrap();
        let intro = h.screen();
        let minutes = match lang {
            Lang::En => "2 tasks in 1 minute:",
            Lang::Ko => "1분 동안 과제 2개",
        };
        assert!(intro.contains(minutes), "{intro}");
        h.key(KeyCode::Enter);
        let (drill, exercise) = exam_tasks(&h);
        to_task(&mut h, exercise);
        h.keys("i");
        let screen = h.screen();
        let (grades_at_hand_in, ctrl_s) = match lang {
            Lang::En => ("graded when you hand in", "Ctrl-S"),
            Lang::Ko => ("제출할 때 채점", "Ctrl-S"),
        };
        assert!(screen.contains(grades_at_hand_in), "{screen}");
        assert!(
            !screen.contains(ctrl_s),
            "Ctrl-S grades nothing here: {screen}"
        );
        h.key(KeyCode::Esc);
        h.keys("f");
        to_task(&mut h, drill);
        h.keys("kubectl get pods");
        h.act(kubedrill::tui::Action::HandIn);
        let screen = h.screen();
        let counted = match lang {
            Lang::En => "1 task unanswered, 1 flagged.",
            Lang::Ko => "답 없는 과제 1개, 표시한 과제",
        };
        assert!(screen.contains(counted), "{screen}");
    });
}

#[test]
fn the_same_seed_replays_the_same_exam() {
    let library = || Library {
        decks: vec![kubedrill::content::built_in().deck.unwrap()],
    };
    let options = kubedrill::exam::ExamOptions::with_seed(2026);
    let first = kubedrill::exam::plan(&library(), &options).unwrap();
    let mut h = Harness::with(library(), Lang::En);
    h.app.open_exam(first).unwrap();
    h.key(KeyCode::Enter);
    let shown: Vec<String> = exam(&h).plan.tasks.iter().map(|task| task.key()).collect();
    let again = kubedrill::exam::plan(&library(), &options).unwrap();
    assert_eq!(
        shown,
        again
            .tasks
            .iter()
            .map(|task| task.key())
            .collect::<Vec<_>>()
    );
}

/// Every framed row ends in its frame: no wide character (Hangul) runs over a border.
fn assert_frames_hold(screen: &str, what: &str) {
    for (number, row) in screen.lines().enumerate() {
        if row.starts_with('│') {
            // The right side is the frame, or a scrollbar drawn on it (track, thumb, arrows).
            assert!(
                row.ends_with(['│', '║', '█', '▲', '▼']),
                "{what}: row {number} runs over its frame:\n{screen}"
            );
        }
    }
}

#[test]
fn korean_text_never_runs_over_a_frame_at_any_width() {
    let built_in = || Library {
        decks: vec![kubedrill::content::built_in().deck.unwrap()],
    };
    for (width, height) in [(80, 24), (81, 24), (100, 30), (117, 40)] {
        let mut h = Harness::with(built_in(), Lang::Ko);
        let check = |h: &mut Harness, what: &str| {
            let screen = h.screen_at(width, height);
            assert_frames_hold(&screen, &format!("{what} at {width}x{height}"));
        };
        check(&mut h, "home");
        h.keys("c");
        check(&mut h, "the lesson in a session");
        h.keys("c");
        check(&mut h, "first card");
        h.keys(" ");
        check(&mut h, "card back");
        h.keys("q");
        h.keys("y");
        h.key(KeyCode::Esc);
        open_exam(&mut h);
        check(&mut h, "exam intro");
        h.key(KeyCode::Enter);
        for _ in 0..5 {
            check(&mut h, "exam task");
            h.act(Action::ExamNext);
        }
        h.act(Action::Overview);
        check(&mut h, "exam overview");
    }
}

/// Waits (really: the file watcher runs on its own thread) for the watched file's save.
fn wait_for_save(h: &mut Harness) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Some(action) = h.runner.poll_watched(&h.app) {
            h.act(action);
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the save was never seen"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn w_watches_an_answer_file_and_grades_every_save() {
    let mut h = Harness::new(Lang::En);
    let folder = tempfile::tempdir().unwrap();
    h.runner.watch_dir = Some(folder.path().to_path_buf());
    open_secrets_exercise(&mut h);
    let Screen::Exercise(state) = h.app.screen() else {
        panic!("{:?}", h.app.screen())
    };
    let starter = state.editor.lines().join("\n");
    h.keys("w");
    let files: Vec<_> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let file = files[0].clone();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format!("{starter}\n")
    );
    let screen = h.screen();
    assert!(screen.contains("watching"), "{screen}");
    // Saved from another window, with a mistake: graded, not passed.
    std::fs::write(&file, ANSWER.replace("secretKeyRef", "secretKeyRf")).unwrap();
    wait_for_save(&mut h);
    let Screen::Exercise(state) = h.app.screen() else {
        panic!()
    };
    assert_eq!(state.attempt.tries, 1);
    assert!(!state.passed());
    assert!(h.screen().contains("secretKeyRf"));
    // Saved again, right this time: passed and rated, as with Ctrl-S.
    std::fs::write(&file, ANSWER).unwrap();
    wait_for_save(&mut h);
    let Screen::Exercise(state) = h.app.screen() else {
        panic!()
    };
    assert!(state.passed(), "{:?}", state.report);
    assert_eq!(h.reviews(), 1);
    // Leaving the exercise stops the watch.
    h.keys("q");
    assert!(h.runner.poll_watched(&h.app).is_none());
    assert!(h.runner.watched.is_none());
}

#[test]
fn w_keeps_an_answer_file_that_exists() {
    let mut h = Harness::new(Lang::Ko);
    let folder = tempfile::tempdir().unwrap();
    h.runner.watch_dir = Some(folder.path().to_path_buf());
    open_secrets_exercise(&mut h);
    let Screen::Exercise(state) = h.app.screen() else {
        panic!()
    };
    let id = match h.app.item(state.key) {
        kubedrill::model::ItemRef::Exercise(exercise) => exercise.id.to_string(),
        _ => panic!(),
    };
    let file = folder.path().join(format!("{id}.yaml"));
    std::fs::write(&file, "# 어제 쓴 답\n").unwrap();
    h.keys("w");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# 어제 쓴 답\n");
    let Screen::Exercise(state) = h.app.screen() else {
        panic!()
    };
    assert_eq!(state.editor.lines().join("\n"), "# 어제 쓴 답");
    assert!(h.screen().contains("그대로 두고 감시합니다"));
}

#[test]
fn settings_refuse_a_past_exam_date_in_the_learners_language() {
    let mut h = Harness::new(Lang::Ko);
    h.keys(",");
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.keys("2026-01-01\n");
    let toast = h
        .app
        .toast
        .clone()
        .map(|(text, _)| text)
        .unwrap_or_default();
    assert!(toast.contains("이미 지난 날짜"), "{toast}");
    assert_eq!(h.app.settings.exam_date, None);
    h.key(KeyCode::Enter);
    h.keys("soon\n");
    let toast = h
        .app
        .toast
        .clone()
        .map(|(text, _)| text)
        .unwrap_or_default();
    assert!(toast.contains("YYYY-MM-DD 형식"), "{toast}");
}

// ---- Idle means blocked ------------------------------------------------------------------------

/// The event loop blocks with no timeout while `next_deadline` is `None`: an idle screen has
/// none, and each timed job (the editor's debounced check, a message's end, the exam's clock)
/// gives one only while it is pending, and none once it has run.
#[test]
fn an_idle_interface_has_nothing_to_wake_for() {
    let mut h = Harness::new(Lang::En);
    assert_eq!(h.app.next_deadline(), None, "Home, nothing pending");
    open_secrets_exercise(&mut h);
    assert_eq!(h.app.next_deadline(), None, "an exercise, untouched");
    h.keys("ia");
    assert!(h.app.next_deadline().is_some(), "a typed key: its check");
    h.wait(1);
    h.key(KeyCode::Esc);
    assert_eq!(h.app.next_deadline(), None, "checked");
    h.act(Action::Failed("a message".to_string()));
    let shown = h.app.next_deadline().expect("a message ends");
    assert_eq!(
        shown.duration_since(h.app.now),
        SignedDuration::from_secs(4)
    );
    h.wait(5);
    assert_eq!(h.app.next_deadline(), None, "the message is gone");

    let mut h = Harness::new(Lang::En);
    open_exam(&mut h);
    assert_eq!(h.app.next_deadline(), None, "the intro: no clock yet");
    h.key(KeyCode::Enter);
    let tick = h.app.next_deadline().expect("the clock runs");
    assert!(tick > h.app.now && tick <= h.app.now + SignedDuration::from_secs(1));
}

#[test]
fn an_80_column_footer_keeps_help_and_back() {
    both(|lang, _| {
        let mut h = Harness::new(lang);
        open_secrets_exercise(&mut h);
        let screen = h.screen_at(80, 24);
        let footer = screen.lines().last().unwrap_or_default();
        let (help, back) = match lang {
            Lang::En => ("? help", "q/Esc back"),
            Lang::Ko => ("? 도움말", "q/Esc 뒤로"),
        };
        assert!(footer.contains(help) && footer.contains(back), "{footer}");
    });
}

#[test]
fn a_long_message_is_drawn_inside_the_frame() {
    both(|lang, _| {
        let mut h = Harness::new(lang);
        h.keys(",");
        h.key(KeyCode::Down);
        h.key(KeyCode::Enter);
        h.keys("2026-01-01\n");
        for (width, height) in [(80, 24), (100, 30)] {
            let screen = h.screen_at(width, height);
            // The settings panel fills the body: each of its rows keeps both side borders.
            let rows: Vec<&str> = screen.lines().collect();
            for row in &rows[2..usize::from(height) - 2] {
                assert!(row.starts_with('│') && row.ends_with('│'), "{screen}");
            }
            assert!(rows[usize::from(height) - 2].starts_with('└'), "{screen}");
            // And the whole message is there, its last words too.
            let end = match lang {
                Lang::En => "without one",
                Lang::Ko => "설정을 비우세요",
            };
            assert!(screen.contains(end), "{screen}");
        }
    });
}

#[test]
fn english_counts_of_one_are_singular() {
    let mut h = Harness::new(Lang::En);
    // One card rated Easy, and eleven days later it is the one review due.
    h.keys("cc 4qy");
    h.key(KeyCode::Enter);
    h.wait(11 * 86_400);
    let refreshed = h.runner.run(&h.app, Effect::Refresh).unwrap();
    h.runner.dispatch(&mut h.app, refreshed);
    let screen = h.screen();
    assert!(screen.contains(", 1 review, "), "{screen}");
    assert!(!screen.contains(" 1 reviews"), "{screen}");
}

#[test]
fn stats_label_the_calendars_months_and_the_charts_axes() {
    both(|lang, _| {
        let mut h = Harness::new(lang);
        h.keys("cc 3");
        h.wait(30);
        h.keys(" 4qy");
        h.key(KeyCode::Enter);
        h.keys("S");
        let (june, today, ago, ahead) = match lang {
            Lang::En => ("Jun", "today", "d ago", "in "),
            Lang::Ko => ("6월", "오늘", "일 전", "일 후"),
        };
        for (width, height) in [(80, 24), (100, 30)] {
            let screen = h.screen_at(width, height);
            let rows: Vec<&str> = screen.lines().collect();
            // The months above the week columns, the weekdays under them.
            let mondays = rows
                .iter()
                .position(|row| row.starts_with("│Mon") || row.starts_with("│월"))
                .unwrap_or_else(|| panic!("{screen}"));
            assert!(rows[mondays - 1].contains(june), "{screen}");
            // Both charts: the largest count and 0 on the y axis, the days on the x axis.
            assert!(screen.matches(today).count() >= 2, "{screen}");
            assert!(screen.contains(ago) && screen.contains(ahead), "{screen}");
            assert!(screen.contains("0┤"), "{screen}");
            assert_frames_hold(&screen, "stats");
        }
    });
}

// ---- The exam-date plan on Home ---------------------------------------------------------------

/// Saves settings the way the settings screen does (through the runner), then lets the
/// "Saved." message go.
fn set(h: &mut Harness, setting: kubedrill::store::Setting, value: &str) {
    let saved = h
        .runner
        .run(&h.app, Effect::SaveSetting(setting, value.to_string()))
        .unwrap();
    h.act(saved);
    h.wait(5);
}

#[test]
fn home_says_whether_the_exam_plan_is_on_track_and_plus_raises_the_limit() {
    use kubedrill::store::Setting;
    both(|lang, tag| {
        let mut h = Harness::new(lang);
        let items: usize = h
            .app
            .library
            .decks
            .iter()
            .map(|deck| kubedrill::study::entries(deck).len())
            .sum();
        // Ten days out: new items on days 0 to 2 only (the last week is for reviews).
        set(&mut h, Setting::ExamDate, "2026-06-11");
        set(&mut h, Setting::NewPerDay, "1");
        let needed = items.div_ceil(3);
        assert!(needed > 1, "{items} items");
        let screen = h.screen();
        let behind = match lang {
            Lang::En => format!("Exam in 10 days · behind: {needed} new a day needed (now 1)"),
            Lang::Ko => format!("시험까지 10일 · 뒤처짐: 하루 새 항목 {needed}개 필요(현재 1개)"),
        };
        assert!(screen.contains(&behind), "{screen}");
        insta::assert_snapshot!(format!("home_plan_behind_{tag}"), screen);
        // + raises the limit to what is needed, saved like any setting.
        h.keys("+");
        h.wait(5);
        assert_eq!(h.runner.store.settings().unwrap().new_per_day, needed);
        assert_eq!(h.app.settings.new_per_day, needed);
        let screen = h.screen();
        let on_track = match lang {
            Lang::En => "Exam in 10 days · on track",
            Lang::Ko => "시험까지 10일 · 계획대로 진행 중",
        };
        assert!(screen.contains(on_track), "{screen}");
        insta::assert_snapshot!(format!("home_plan_on_track_{tag}"), screen);
        // On track, + does nothing.
        h.keys("+");
        assert_eq!(h.runner.store.settings().unwrap().new_per_day, needed);
    });
}

#[test]
fn a_lesson_read_to_its_end_in_a_session_leaves_the_queue() {
    let mut h = Harness::new(Lang::En);
    let lessons = |h: &Harness| {
        h.app
            .progress
            .queue
            .iter()
            .filter(|(key, _)| matches!(key, kubedrill::tui::QueueKey::Lesson { .. }))
            .count()
    };
    assert_eq!(lessons(&h), 2);
    // The first lesson, read to its end, then on to its items; the session ends there.
    h.keys("c");
    let Screen::Lesson(lesson) = h.app.screen() else {
        panic!("{:?}", h.app.screen())
    };
    let (deck, topic) = (lesson.deck, lesson.topic);
    h.keys("G");
    h.keys("c");
    assert!(matches!(h.app.screen(), Screen::Card(_)));
    h.keys("qy");
    h.key(KeyCode::Enter);
    let read = h.runner.store.lessons_read("tui").unwrap();
    let topic_id = h.app.library.decks[deck].topics[topic].id.to_string();
    assert!(read.contains(&topic_id), "{read:?}");
    // Home's queue now opens with the first topic's items; only the second lesson is left.
    assert_eq!(lessons(&h), 1);
    assert!(matches!(
        h.app.progress.queue.first(),
        Some((kubedrill::tui::QueueKey::Item(_), _))
    ));
}

#[test]
fn a_lesson_left_midway_stays_in_the_queue_and_opens_where_it_was_left() {
    let library = Library {
        decks: vec![kubedrill::content::built_in().deck.unwrap()],
    };
    let mut h = Harness::with(library, Lang::En);
    h.keys("c");
    h.keys("nn");
    let Screen::Lesson(lesson) = h.app.screen() else {
        panic!("{:?}", h.app.screen())
    };
    let place = lesson.scroll;
    assert!(place > 0);
    h.keys("c");
    assert!(matches!(h.app.screen(), Screen::Card(_)));
    h.keys("qy");
    h.key(KeyCode::Enter);
    assert!(h.runner.store.lessons_read("cka").unwrap().is_empty());
    // Continue opens it again, at the section it was left at.
    h.keys("c");
    let Screen::Lesson(lesson) = h.app.screen() else {
        panic!("{:?}", h.app.screen())
    };
    assert_eq!(lesson.scroll, place);
}

/// The mock exam over the built-in deck: its troubleshooting scenarios are named in the intro and
/// in the list of tasks (title and kind), in English and Korean.
#[test]
fn the_exam_lists_its_scenarios_by_title() {
    both(|lang, _| {
        let library = Library {
            decks: vec![kubedrill::content::built_in().deck.unwrap()],
        };
        let mut h = Harness::with(library, lang);
        open_exam(&mut h);
        let scenarios: Vec<String> = exam(&h)
            .plan
            .tasks
            .iter()
            .filter(|task| task.kind == kubedrill::model::ItemKind::Scenario)
            .map(|task| {
                let id = kubedrill::model::ItemId::parse(&format!("{}/{}", task.topic, task.item))
                    .unwrap();
                match h.app.library.decks[0].item(&id) {
                    Some(kubedrill::model::ItemRef::Scenario(scenario)) => scenario
                        .title
                        .get(if lang == Lang::Ko { "ko" } else { "en" })
                        .to_string(),
                    other => panic!("{other:?}"),
                }
            })
            .collect();
        assert!(!scenarios.is_empty());
        let intro = h.screen();
        assert!(
            intro.contains(match lang {
                Lang::En => "troubleshooting scenario",
                Lang::Ko => "트러블슈팅 시나리오",
            }),
            "{intro}"
        );
        h.key(KeyCode::Enter);
        h.act(Action::Overview);
        let list = h.screen();
        let first: String = scenarios[0].chars().take(12).collect();
        assert!(list.contains(&first), "{first:?} missing from\n{list}");
        assert!(
            list.contains(match lang {
                Lang::En => "troubleshooting ·",
                Lang::Ko => "트러블슈팅 ·",
            }),
            "{list}"
        );
    });
}

/// The built-in deck on Home: its topics under the CKA's domains, each domain with its weight and
/// its topics' progress together; Enter folds a domain and opens it again, `h` on a topic folds
/// the topic's domain. The mock exam's intro says what each domain gives and weighs.
#[test]
fn home_groups_the_built_in_deck_by_domain_and_the_exam_draws_across_them() {
    use kubedrill::tui::HomeRow;
    both(|lang, tag| {
        let library = Library {
            decks: vec![kubedrill::content::built_in().deck.unwrap()],
        };
        let mut h = Harness::with(library, lang);
        let home = h.screen();
        insta::assert_snapshot!(format!("home_domains_{tag}"), home);
        let (architecture, workloads, troubleshooting) = match lang {
            Lang::En => (
                "Cluster Architecture",
                "Workloads & Scheduling",
                "Troubleshooting",
            ),
            Lang::Ko => ("클러스터 아키텍처", "워크로드와 스케줄링", "트러블슈팅"),
        };
        assert!(home.contains(&format!("▾ {architecture}")), "{home}");
        assert!(home.contains(&format!("▾ {workloads}")), "{home}");
        assert!(home.contains("25%") && home.contains("15%"), "{home}");
        // Rows: Continue, then the first domain and its topics.
        let rows = h.app.home_rows();
        assert_eq!(rows[1], HomeRow::Domain(0, Some(0)));
        let topics = |rows: &[HomeRow]| {
            rows.iter()
                .filter(|row| matches!(row, HomeRow::Topic(..)))
                .count()
        };
        assert_eq!(topics(&rows), 33);
        h.key(KeyCode::Down);
        h.key(KeyCode::Enter);
        assert_eq!(
            topics(&h.app.home_rows()),
            24,
            "the other domains' topics stay open"
        );
        assert!(
            h.screen().contains(&format!("▸ {architecture}")),
            "{}",
            h.screen()
        );
        // Folding Workloads & Scheduling too leaves room for the last domain.
        h.key(KeyCode::Down);
        h.key(KeyCode::Enter);
        assert_eq!(topics(&h.app.home_rows()), 11);
        let screen = h.screen();
        assert!(screen.contains(&format!("▸ {workloads}")), "{screen}");
        assert!(
            screen.contains(troubleshooting) && screen.contains("30%"),
            "{screen}"
        );
        h.key(KeyCode::Enter);
        assert_eq!(topics(&h.app.home_rows()), 24, "Enter opens it again");
        h.key(KeyCode::Up);
        h.key(KeyCode::Enter);
        assert_eq!(topics(&h.app.home_rows()), 33);
        // `h` on a topic folds its domain and leaves the cursor on the domain.
        h.key(KeyCode::Down);
        h.keys("h");
        assert_eq!(topics(&h.app.home_rows()), 24);
        match h.app.screen() {
            kubedrill::tui::Screen::Home(state) => assert_eq!(state.selected, 1),
            other => panic!("{other:?}"),
        }
        h.key(KeyCode::Right);
        assert_eq!(topics(&h.app.home_rows()), 33, "→ opens it");
        // The exam draws from every domain, by the CKA's weights.
        h.keys("g");
        open_exam(&mut h);
        let plan = &exam(&h).plan;
        let domains: Vec<(Option<&str>, usize, u32)> = plan
            .domains
            .iter()
            .map(|domain| (domain.domain.as_deref(), domain.tasks, domain.weight))
            .collect();
        assert_eq!(
            domains,
            [
                (Some("cluster-architecture"), 4, 25),
                (Some("workloads-scheduling"), 3, 15),
                (Some("services-networking"), 3, 20),
                (Some("storage"), 2, 10),
                (Some("troubleshooting"), 5, 30)
            ]
        );
        let intro = h.screen();
        insta::assert_snapshot!(format!("exam_plan_domains_{tag}"), intro);
        assert!(
            intro.contains(match lang {
                Lang::En => "Tasks by domain",
                Lang::Ko => "영역별 과제",
            }),
            "{intro}"
        );
        // Every domain has tasks, so each weighs what the CKA weighs it (no "CKA n%" aside).
        assert!(
            intro.contains(workloads) && intro.contains("15%") && !intro.contains("(CKA"),
            "{intro}"
        );
    });
}

/// A topic screen lists its exercises in the order its lesson teaches them (the order Continue
/// brings them in), not in the order of their files: RBAC's lesson starts with pod-reader.
#[test]
fn a_topic_lists_its_exercises_in_the_order_its_lesson_teaches_them() {
    use kubedrill::tui::TopicRow;
    let deck = kubedrill::content::built_in().deck.unwrap();
    let topic = deck
        .topics
        .iter()
        .position(|topic| topic.id.as_str() == "rbac")
        .unwrap();
    let exercises: Vec<String> = deck.topics[topic]
        .exercises
        .iter()
        .map(|exercise| exercise.id.as_str().to_string())
        .collect();
    let h = Harness::with(Library { decks: vec![deck] }, Lang::En);
    let listed: Vec<&str> = h
        .app
        .topic_rows(0, topic)
        .into_iter()
        .filter_map(|row| match row {
            TopicRow::Exercise(index) => Some(exercises[index].as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(listed.len(), exercises.len(), "every exercise has its row");
    assert_eq!(listed[0], "pod-reader", "{listed:?}");
    assert_ne!(exercises[0], "pod-reader", "the files list another first");
}
