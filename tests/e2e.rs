//! End to end: the real `kubedrill` binary in a pseudo-terminal (portable-pty), keys typed as a
//! learner types them, the screen read back through a terminal emulator (vt100). Two cards are
//! reviewed and one exercise graded; afterwards the database holds exactly those reviews, and
//! the terminal was left as it was found, also when the process is killed, the terminal hangs
//! up or the program panics. The interface is killed with SIGKILL in the middle of sessions,
//! and a deck whose text holds escape sequences is shown without them reaching the terminal.

#![cfg(all(feature = "tui", unix))]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

mod common;
use common::copy_dir;

struct Pty {
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    /// Every byte kubedrill wrote to the terminal.
    raw: Arc<Mutex<Vec<u8>>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Every screen seen, for the failure message.
    seen: Vec<String>,
}

impl Pty {
    fn start(args: &[&str], data: &Path) -> Pty {
        Pty::start_with(args, data, &[])
    }

    fn start_with(args: &[&str], data: &Path, env: &[(&str, &str)]) -> Pty {
        Pty::start_in(None, args, data, env)
    }

    /// Started in the folder `cwd` (the current folder when `None`).
    fn start_in(cwd: Option<&Path>, args: &[&str], data: &Path, env: &[(&str, &str)]) -> Pty {
        let system = native_pty_system();
        let pair = system
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal opens");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_kubedrill"));
        command.args(args);
        command.arg("--data-dir");
        command.arg(data);
        command.env("TERM", "xterm-256color");
        command.env("LANG", "en_US.UTF-8");
        command.env_remove("KUBEDRILL_DATA_DIR");
        command.env_remove("NO_COLOR");
        for (name, value) in env {
            command.env(name, value);
        }
        if let Some(cwd) = cwd {
            command.cwd(cwd);
        }
        let child = pair
            .slave
            .spawn_command(command)
            .expect("kubedrill starts in the pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(30).unwrap(),
            NonZeroU16::new(100).unwrap(),
            0,
        )));
        let shared = screen.clone();
        let raw = Arc::new(Mutex::new(Vec::new()));
        let raw_shared = raw.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                raw_shared
                    .lock()
                    .unwrap()
                    .extend_from_slice(&buffer[..read]);
                shared.lock().unwrap().process(&buffer[..read]);
            }
        });
        // The master must stay open while the child runs.
        std::mem::forget(pair.master);
        Pty {
            writer,
            screen,
            raw,
            child,
            seen: Vec::new(),
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`; the screen is kept for the failure message.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let contents = self.contents();
            if contents.contains(text) {
                self.seen.push(contents.clone());
                return contents;
            }
            if Instant::now() > deadline {
                panic!("the screen never showed {text:?}; it shows:\n{contents}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until `done` holds for the screen; `what` names it for the failure message.
    fn wait_until(&mut self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let contents = self.contents();
            if done(&contents) {
                self.seen.push(contents.clone());
                return contents;
            }
            if Instant::now() > deadline {
                panic!("the screen never showed {what}; it shows:\n{contents}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, bytes: &str) {
        self.send_now(bytes);
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Types without waiting after.
    fn send_now(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn kill(&mut self, signal: &str) {
        let pid = self.child.process_id().expect("the child has a pid");
        let sent = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(pid.to_string())
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// The terminal is as kubedrill found it: main screen, no mouse reporting, no bracketed
    /// paste. Waits a moment for the reader thread to take the last bytes.
    fn assert_restored(&self, after: &str) {
        std::thread::sleep(Duration::from_millis(100));
        let parser = self.screen.lock().unwrap();
        let screen = parser.screen();
        assert!(
            !screen.alternate_screen(),
            "{after}: left the alternate screen"
        );
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "{after}: mouse reporting is off"
        );
        assert!(!screen.bracketed_paste(), "{after}: bracketed paste is off");
    }

    fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(Instant::now() < deadline, "kubedrill did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn review_two_cards_and_grade_an_exercise_by_typing() {
    let data = tempfile::tempdir().unwrap();
    // The test deck without the built-in one, so the session holds only its items.
    let deck = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/tui");
    let mut pty = Pty::start(
        &["--no-built-in", "--deck", deck.to_str().unwrap()],
        data.path(),
    );
    pty.wait_for("Continue: ");
    pty.wait_for("Interface test deck");

    // The topic's lesson comes first; `c` moves on to what it taught.
    pty.send("c");
    pty.wait_for("base64-encoded");
    pty.wait_for("continue");
    pty.send("c");
    // Two cards: reveal, rate.
    pty.wait_for("Is base64 in a Secret encryption?");
    pty.send(" ");
    pty.wait_for("It is an encoding");
    pty.wait_for("4 Easy");
    pty.send("4");
    pty.wait_for("Where does the kubelet keep a Secret");
    pty.send(" ");
    pty.wait_for("In tmpfs (memory)");
    pty.send("3");
    pty.wait_for("Which Secret type needs the keys");
    pty.send("q");
    pty.wait_for("End this session?");
    pty.send("y");
    pty.wait_for("2 answers in");
    pty.send("\r");

    // An exercise, typed line by line (the editor keeps what is typed, indentation included).
    pty.wait_for("Continue: ");
    pty.send("\x1b[B"); // Down to the first topic
    pty.send("\r");
    pty.wait_for("Read the lesson");
    pty.send("jj\r");
    pty.wait_for("A password from a Secret");
    pty.send("i");
    pty.wait_for("typing: Esc to stop");
    for line in [
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        "  name: app",
        "spec:",
        "  containers:",
        "    - name: app",
        "      image: busybox",
        "      command: [sleep, \"3600\"]",
        "      env:",
        "        - name: DB_Password",
        "          valueFrom:",
        "            secretKeyRef: {name: db-secret, key: DB_Password}",
    ] {
        pty.send(line);
        pty.send("\r");
    }
    pty.wait_for("Valid Kubernetes so far");
    pty.send("\x13"); // Ctrl-S
    let report = pty.wait_for("Passed: every check holds");
    assert!(
        report.contains("✓ (1) The container must see `DB_Password` from `db-secret`."),
        "{report}"
    );
    pty.send("\r");
    pty.wait_for("Read the lesson");
    pty.send("Q");
    assert_eq!(pty.exit_code(), 0);
    // The terminal left the alternate screen it drew in.
    assert!(
        !pty.screen.lock().unwrap().screen().alternate_screen(),
        "the terminal was restored"
    );

    let store = kubedrill::store::Store::open_in(data.path(), jiff::Timestamp::now())
        .unwrap()
        .store;
    assert_eq!(
        store.review_count().unwrap(),
        3,
        "two cards and one exercise"
    );
    let card = store
        .state("tui", "secrets/base64-is-encoding")
        .unwrap()
        .unwrap();
    assert_eq!(
        card.phase,
        kubedrill::srs::Phase::Review,
        "Easy graduates at once"
    );
    let exercise = store.state("tui", "secrets/secret-env").unwrap().unwrap();
    assert_eq!(exercise.reps, 1);
    assert!(
        store
            .last_answer("tui", "secrets/secret-env")
            .unwrap()
            .unwrap()
            .contains("secretKeyRef")
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert!(pty.seen.len() > 10);
}

#[test]
fn a_terminal_hangup_or_kill_restores_the_terminal_and_ends_the_process() {
    for (signal, code) in [("TERM", 143), ("HUP", 129)] {
        let data = tempfile::tempdir().unwrap();
        let mut pty = Pty::start(&[], data.path());
        pty.wait_for("Continue: ");
        {
            let parser = pty.screen.lock().unwrap();
            assert!(parser.screen().alternate_screen());
            assert!(parser.screen().bracketed_paste());
        }
        pty.kill(signal);
        assert_eq!(pty.exit_code(), code, "SIG{signal} ends kubedrill");
        pty.assert_restored(&format!("SIG{signal}"));
    }
}

#[test]
fn the_study_screens_exam_and_deck_preview_end_within_a_second_restoring_the_terminal() {
    // `kubedrill exam` held the stdout lock the signal thread needs to restore the terminal,
    // so SIGTERM and SIGHUP left it spinning at 100 % CPU.
    let deck = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/valid");
    for (args, marker) in [
        (vec![], "Continue: "),
        (
            vec!["exam", "--seed", "7"],
            "Press Enter to start the clock.",
        ),
        (
            vec!["deck", "preview", deck.to_str().unwrap()],
            "Continue: ",
        ),
    ] {
        for (signal, code) in [("TERM", 143), ("HUP", 129)] {
            let data = tempfile::tempdir().unwrap();
            let mut pty = Pty::start(&args, data.path());
            pty.wait_for(marker);
            // The cursor is hidden just after the first frame's text: wait for it.
            let deadline = Instant::now() + Duration::from_secs(5);
            while !pty.screen.lock().unwrap().screen().hide_cursor() {
                assert!(Instant::now() < deadline, "{args:?} hides the cursor");
                std::thread::sleep(Duration::from_millis(20));
            }
            assert!(pty.screen.lock().unwrap().screen().alternate_screen());
            let sent = Instant::now();
            pty.kill(signal);
            assert_eq!(pty.exit_code(), code, "SIG{signal} ends {args:?}");
            assert!(
                sent.elapsed() < Duration::from_secs(1),
                "{args:?} took {:?} to end on SIG{signal}",
                sent.elapsed()
            );
            pty.assert_restored(&format!("{args:?} after SIG{signal}"));
            let parser = pty.screen.lock().unwrap();
            assert!(
                !parser.screen().hide_cursor(),
                "{args:?} after SIG{signal}: the cursor is shown again"
            );
        }
        let data = tempfile::tempdir().unwrap();
        let mut hung_up: Vec<&str> = vec!["--data-dir", data.path().to_str().unwrap()];
        hung_up.extend(&args);
        let (code, took) = exit_code_after_hang_up(&hung_up, marker)
            .unwrap_or_else(|| panic!("{args:?} still ran 10 s after its terminal closed"));
        assert_eq!(code, 129, "{args:?} ends when its terminal closes");
        assert!(
            took < Duration::from_secs(1),
            "{args:?} took {took:?} to end after a hang-up"
        );
    }
}

#[test]
fn a_database_moved_aside_at_start_is_told_inside_the_interface() {
    // The notice used to be printed just before the interface took the screen, so it was seen
    // only after quitting.
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("progress.db"),
        "not a database, but somebody's notes",
    )
    .unwrap();
    let mut pty = Pty::start(&[], data.path());
    // The dialog wraps the long path where it must: look for words that stay together.
    let screen = pty.wait_for("It was moved to");
    assert!(pty.screen.lock().unwrap().screen().alternate_screen());
    assert!(screen.contains("progress.db could not be"), "{screen}");
    assert!(screen.contains("progress.db.unreadable-"), "{screen}");
    let moved: Vec<String> = std::fs::read_dir(data.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("progress.db.unreadable-"))
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    // The dialog closes with a key and the session goes on.
    pty.send("\r");
    pty.wait_for("Continue: ");
}

/// Runs kubedrill in a pseudo-terminal made by Python's `pty` module, waits for `marker` on the
/// screen, then closes the terminal (every descriptor of its master side, which portable-pty's
/// reader thread would keep open): a real hang-up, as when a window is closed or ssh drops.
/// Returns the exit code and how long the process took to end after the hang-up, or `None`
/// when it was still running 10 s later.
fn exit_code_after_hang_up(args: &[&str], marker: &str) -> Option<(i32, Duration)> {
    const DRIVER: &str = r#"
import fcntl, os, pty, select, struct, sys, termios, time
marker = sys.argv[1].encode()
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    os.execv(sys.argv[2], sys.argv[2:])
seen, deadline = b"", time.time() + 20
while marker not in seen and time.time() < deadline:
    if select.select([fd], [], [], 0.1)[0]:
        try:
            seen += os.read(fd, 65536)
        except OSError:
            break
closed = time.time()
os.close(fd)
for _ in range(1000):
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        print(os.waitstatus_to_exitcode(status), int((time.time() - closed) * 1000))
        sys.exit(0)
    time.sleep(0.01)
os.kill(pid, 9)
print("running")
"#;
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(DRIVER)
        .arg(marker)
        .arg(env!("CARGO_BIN_EXE_kubedrill"))
        .args(args)
        .env("TERM", "xterm-256color")
        .env("LANG", "en_US.UTF-8")
        .env_remove("KUBEDRILL_DATA_DIR")
        .output()
        .expect("python3 runs (the machine has CPython)");
    let printed = String::from_utf8_lossy(&output.stdout);
    let (code, millis) = printed.trim().split_once(' ')?;
    Some((
        code.parse().ok()?,
        Duration::from_millis(millis.parse().ok()?),
    ))
}

#[test]
fn closing_the_terminal_ends_the_interface_and_watch_mode() {
    // Restoring the terminal used to print an error when it was gone (ratatui::restore's
    // eprintln!), which panicked the signal thread, and the process spun on the dead terminal.
    let data = tempfile::tempdir().unwrap();
    let data = data.path().to_str().unwrap();
    let work = tempfile::tempdir().unwrap();
    let answer = work.path().join("answer.yaml");
    let answer = answer.to_str().unwrap();
    for (args, marker) in [
        (vec!["--data-dir", data], "Continue:"),
        (
            vec![
                "--data-dir",
                data,
                "watch",
                "configmaps/app-config-envfrom",
                answer,
            ],
            "checks,",
        ),
    ] {
        let (code, took) = exit_code_after_hang_up(&args, marker)
            .unwrap_or_else(|| panic!("{args:?} still ran 10 s after its terminal closed"));
        assert_eq!(code, 129, "{args:?} ends on SIGHUP");
        assert!(
            took < Duration::from_secs(1),
            "{args:?} took {took:?} to end after a hang-up"
        );
    }
}

#[test]
fn a_panic_restores_the_terminal_and_says_what_happened() {
    let data = tempfile::tempdir().unwrap();
    // Debug builds panic after the first frame when this is set (src/tui.rs).
    let mut pty = Pty::start_with(&[], data.path(), &[("KUBEDRILL_TEST_PANIC", "1")]);
    assert_eq!(pty.exit_code(), 101, "a panic ends the process");
    pty.assert_restored("a panic");
    let raw = String::from_utf8_lossy(&pty.raw.lock().unwrap()).into_owned();
    assert!(
        raw.contains("KUBEDRILL_TEST_PANIC is set"),
        "the panic message is printed"
    );
    // It is printed on the main screen, after the interface was taken down.
    let left_alternate = raw
        .rfind("\x1b[?1049l")
        .expect("the alternate screen is left");
    assert!(raw.rfind("KUBEDRILL_TEST_PANIC is set").unwrap() > left_alternate);
}

/// A deck of `count` plain cards (studied with `--no-built-in`, so a session holds only them).
fn cards_deck(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir.join("topics/recall")).unwrap();
    std::fs::write(
        dir.join("deck.toml"),
        "format_version = 1\nid = \"recall-drill\"\ntitle = \"Recall drill\"\nlanguages = [\"en\"]\n\n[[topic]]\nid = \"recall\"\ntitle = \"Recall\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("topics/recall/lesson.en.md"),
        "# Recall\n\nCards.\n",
    )
    .unwrap();
    let cards: String = (1..=count)
        .map(|n| {
            format!("[[card]]\nid = \"card-{n}\"\nfront = \"Card number {n}\"\nback = \"Answer {n}\"\n\n")
        })
        .collect();
    std::fs::write(dir.join("topics/recall/cards.toml"), cards).unwrap();
}

#[test]
fn every_rating_shown_as_saved_survives_sigkill_of_the_interface() {
    let data = tempfile::tempdir().unwrap();
    let deck = tempfile::tempdir().unwrap();
    cards_deck(deck.path(), 60);
    let deck = deck.path().to_str().unwrap();
    let set = std::process::Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(["config", "set", "new-per-day", "200", "--data-dir"])
        .arg(data.path())
        .status()
        .unwrap();
    assert!(set.success());
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut random = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    let runs = 8;
    let mut acknowledged = 0;
    for _ in 0..runs {
        let mut pty = Pty::start(&["--no-built-in", "--deck", deck], data.path());
        pty.wait_for("Continue: ");
        pty.send_now("c");
        // Ratings the screen confirms: the next card's front comes only once the last rating
        // is saved.
        let front = |screen: &str| screen.contains("Card number") && !screen.contains("4 Easy");
        pty.wait_for("Today · ");
        // The lesson, while it is unread, comes before the cards: on to them.
        let lesson = |screen: &str| screen.contains("continue to practice");
        if lesson(&pty.wait_until("the lesson or a card", |screen| {
            lesson(screen) || front(screen)
        })) {
            pty.send_now("c");
        }
        for _ in 0..1 + random(4) {
            pty.wait_until("a card's front", front);
            pty.send_now(" ");
            pty.wait_for("4 Easy");
            pty.send_now(["1", "2", "3", "4"][random(4) as usize]);
            pty.wait_until("the next card's front", front);
            acknowledged += 1;
        }
        // One more rating in flight when the process dies: it may or may not be saved.
        pty.wait_for("Card number");
        pty.send_now(" ");
        pty.wait_for("4 Easy");
        pty.send_now("3");
        std::thread::sleep(Duration::from_millis(random(15)));
        pty.kill("KILL");
        pty.exit_code();
    }
    let store = kubedrill::store::Store::open_in(data.path(), jiff::Timestamp::now()).unwrap();
    assert!(
        store.moved_aside.is_none(),
        "the database was never damaged"
    );
    let store = store.store;
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let saved = store.review_count().unwrap();
    assert!(
        (acknowledged..=acknowledged + runs).contains(&saved),
        "{acknowledged} ratings were shown as saved, {saved} are in the database"
    );
}

#[test]
fn escape_sequences_in_a_deck_are_shown_as_text() {
    let data = tempfile::tempdir().unwrap();
    let deck = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/hostile");
    let mut pty = Pty::start(&["--deck", deck.to_str().unwrap()], data.path());
    pty.wait_for("Continue: ");
    // The deck comes after the built-in one: to the bottom of Home, then up to its topic, then
    // open it and its lesson.
    pty.send("G");
    pty.wait_for("Escape sequences \\u{1b}[2J in the title");
    let mut ups = 0;
    while !pty
        .contents()
        .lines()
        .any(|line| line.contains("▶") && line.contains("Escapes \\u{1b}]0;"))
    {
        assert!(ups < 30, "the topic is on Home:\n{}", pty.contents());
        pty.send("\x1b[A");
        ups += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    pty.send("\r");
    pty.wait_for("Read the lesson");
    pty.send("\r");
    let lesson = pty.wait_for("a raw clear-screen \\u{1b}[2J and a raw title change");
    assert!(lesson.contains("\\u{1b}]0;lesson-title\\u{7}"), "{lesson}");
    pty.send("\x1b");
    pty.wait_for("Study the cards");
    pty.send("\x1b[B");
    pty.send("\r");
    let front = pty.wait_for("Before \\u{1b}[2J\\u{1b}[H after: the card front survives");
    // The screen around the card is intact: a clear-screen sent raw would have wiped it.
    assert!(front.contains("kubedrill  Escapes"), "{front}");
    assert!(
        front.contains("Recall the answer, then press Space."),
        "{front}"
    );
    pty.send(" ");
    let back = pty.wait_for("a clipboard write");
    assert!(back.contains("\\u{1b}]0;card-title\\u{7}"), "{back}");
    assert!(back.contains("How well did you recall it?"), "{back}");
    // Nothing of the deck's reached the terminal as a sequence: no title, no clipboard write.
    let raw = pty.raw.lock().unwrap().clone();
    for sequence in ["\x1b]0;", "\x1b]2;", "\x1b]52;"] {
        assert!(
            !raw.windows(sequence.len())
                .any(|w| w == sequence.as_bytes()),
            "{sequence:?} was written to the terminal"
        );
    }
    // Quitting in the middle of a session asks first.
    pty.send("Q");
    pty.wait_for("Quit kubedrill?");
    pty.send("y");
    assert_eq!(pty.exit_code(), 0);
}

#[test]
fn deck_preview_shows_a_saved_edit_without_a_keypress() {
    let data = tempfile::tempdir().unwrap();
    let deck = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/tui"),
        deck.path(),
    );
    let mut pty = Pty::start(
        &["deck", "preview", deck.path().to_str().unwrap()],
        data.path(),
    );
    pty.wait_for("The deck checks clean.");
    // The author saves a change in their editor; the file watcher reloads the deck.
    let deck_toml = deck.path().join("deck.toml");
    let text = std::fs::read_to_string(&deck_toml).unwrap();
    let edited = text.replacen(
        "title.en = \"Secrets\"",
        "title.en = \"Secrets, edited live\"",
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&deck_toml, edited).unwrap();
    pty.wait_for("Secrets, edited live");
    // A mistake shows up on Home with its place, and the rest keeps working.
    std::fs::write(
        &deck_toml,
        text.replacen("format_version = 1", "format_version = 1\nbogus = 2", 1),
    )
    .unwrap();
    let screen = pty.wait_for("unknown key `bogus`");
    assert!(screen.contains("deck.toml:"), "{screen}");
    pty.send("Q");
    assert_eq!(pty.exit_code(), 0);
    assert!(
        std::fs::read_dir(data.path()).map_or(true, |mut entries| entries.next().is_none()),
        "a preview keeps no progress on disk"
    );
}

#[test]
fn watch_mode_grades_each_save_and_keeps_an_existing_answer() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("answer.yaml");
    let mine = "# my earlier answer\napiVersion: v1\nkind: ConfigMap\n";
    std::fs::write(&file, mine).unwrap();
    let mut pty = Pty::start(
        &[
            "watch",
            "configmaps/app-config-envfrom",
            file.to_str().unwrap(),
        ],
        data.path(),
    );
    pty.wait_for("exists already");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        mine,
        "not overwritten"
    );
    pty.send("k");
    pty.wait_for("not passed");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), mine, "kept");
    // The learner's editor saves the answer: graded without a key press.
    let solution = kubedrill::content::built_in()
        .deck
        .unwrap()
        .topics
        .iter()
        .flat_map(|topic| &topic.exercises)
        .find(|exercise| exercise.id.as_str() == "app-config-envfrom")
        .unwrap()
        .solution
        .clone();
    std::fs::write(&file, &solution).unwrap();
    let screen = pty.wait_for("✓ Passed. n: next exercise");
    assert!(screen.contains("passed, 8 of 8 checks"), "{screen}");
    pty.send("q");
    assert_eq!(pty.exit_code(), 0);
    pty.assert_restored("leaving watch mode");
    let store = kubedrill::store::Store::open_in(data.path(), jiff::Timestamp::now())
        .unwrap()
        .store;
    assert_eq!(store.review_count().unwrap(), 1, "the pass is rated once");
}

#[test]
fn editor_gets_every_key_while_it_runs_and_the_interface_takes_them_again_after() {
    // The interface reads the terminal on a thread of its own; while `$EDITOR` runs, that thread
    // must read nothing, or the editor loses keys (and, here, never sees `done`).
    let data = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    let editor = bin.path().join("editor");
    std::fs::write(
        &editor,
        "#!/bin/sh\necho EDITING\nwhile IFS= read -r line; do\n  [ \"$line\" = done ] && break\n  printf '# %s\\n' \"$line\" >> \"$1\"\ndone\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let deck = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/tui");
    let mut pty = Pty::start_with(
        &["deck", "preview", deck.to_str().unwrap()],
        data.path(),
        &[("EDITOR", editor.to_str().unwrap()), ("VISUAL", "")],
    );
    pty.wait_for("Continue: ");
    pty.send("\x1b[B"); // Down to the first topic
    pty.send("\r");
    pty.wait_for("Read the lesson");
    pty.send("jj\r");
    pty.wait_for("e for $EDITOR");
    pty.send("e");
    pty.wait_for("EDITING");
    let lines = [
        "the first line the editor reads, every key of it",
        "a second one, typed at once after the first",
        "and a third, all before the editor ends",
    ];
    for line in lines {
        pty.send_now(&format!("{line}\r"));
    }
    pty.send_now("done\r");
    // The terminal echoes the lines as they are typed: wait for the answer shown afterwards.
    let screen = pty.wait_for(&format!("# {}", lines[2]));
    for line in lines {
        assert!(screen.contains(&format!("# {line}")), "{line}:\n{screen}");
    }
    // Back in the interface, keys are read again: `i` starts typing.
    pty.send("i");
    pty.wait_for("typing: Esc to stop");
    pty.kill("TERM");
    assert_eq!(pty.exit_code(), 143);
    pty.assert_restored("after $EDITOR and SIGTERM");
}

#[test]
fn an_answer_file_under_w_is_graded_on_each_save_without_a_keypress() {
    // The file watcher's changes reach the event loop on its one channel, settle, and are read.
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let deck = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/tui");
    let mut pty = Pty::start_in(
        Some(work.path()),
        &["deck", "preview", deck.to_str().unwrap()],
        data.path(),
        &[],
    );
    pty.wait_for("Continue: ");
    pty.send("\x1b[B"); // Down to the first topic
    pty.send("\r");
    pty.wait_for("Read the lesson");
    pty.send("jj\r");
    pty.wait_for("A password from a Secret");
    pty.send("w");
    pty.wait_for("Watching");
    let file = work.path().join("secret-env.yaml");
    assert!(file.exists(), "w writes the answer file");
    // A burst of saves, as an editor makes: the last one is graded.
    std::fs::write(&file, "apiVersion: v1\nkind: Pod\n").unwrap();
    std::fs::write(
        &file,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: saved-from-outside\n",
    )
    .unwrap();
    pty.wait_for("saved-from-outside");
    pty.kill("TERM");
    assert_eq!(pty.exit_code(), 143);
    pty.assert_restored("after w and SIGTERM");
}

/// Troubleshooting in the interface: find the scenario, investigate with kubectl, fix the Pod
/// (its command cannot be edited in place: replace it), grade with Ctrl-S.
#[test]
fn a_scenario_is_investigated_fixed_and_graded_with_ctrl_s() {
    let data = tempfile::tempdir().unwrap();
    let mut pty = Pty::start(&[], data.path());
    pty.wait_for("Continue: ");
    pty.send("/");
    pty.send("A Pod whose command does not exist");
    pty.wait_for("scenario");
    pty.send("\r");
    pty.wait_for("root@controlplane:~$");
    pty.send("kubectl get pods\r");
    pty.wait_for("CrashLoopBackOff");
    pty.send("k describe po my-app | grep -A2 'Last State'\r");
    pty.wait_for("StartError");
    pty.send("kubectl patch pod my-app -p '{\"spec\":{\"containers\":[{\"name\":\"ubuntu\",\"command\":[\"sleep\",\"3600\"]}]}}'\r");
    pty.wait_for("pod updates may not change fields");
    for line in [
        "cat > my-app.yaml <<EOF",
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        "  name: my-app",
        "spec:",
        "  containers:",
        "  - name: ubuntu",
        "    image: ubuntu-sleeper",
        "    command: [\"sleep\", \"3600\"]",
        "EOF",
    ] {
        pty.send(&format!("{line}\r"));
    }
    pty.send("kubectl replace --force -f my-app.yaml\r");
    pty.wait_for("pod/my-app replaced");
    // Ctrl-S grades the cluster.
    pty.send("\u{13}");
    let screen = pty.wait_for("Solved");
    assert!(
        screen.contains("✓ (2) The container `ubuntu` must run `sleep 3600`."),
        "{screen}"
    );
    assert!(!screen.contains('✗'), "{screen}");
}

/// A scenario is a stranger's text too: its task, logs, files and node text reach the screen as
/// visible escapes, never as sequences (a title change, a clipboard write, a clear-screen).
#[test]
fn escape_sequences_in_a_scenarios_output_are_shown_as_text() {
    let data = tempfile::tempdir().unwrap();
    let deck = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/hostile-scenario");
    let mut pty = Pty::start(
        &["--no-built-in", "--deck", deck.to_str().unwrap()],
        data.path(),
    );
    pty.wait_for("Continue: ");
    pty.send("/");
    pty.send("Escapes");
    pty.wait_for("scenario");
    pty.send("\r");
    let task = pty.wait_for("root@controlplane:~$");
    assert!(
        task.contains("\\u{1b}[2J The task tries a clear-screen"),
        "{task}"
    );
    pty.send("kubectl logs evil\r");
    let logs = pty.wait_for("wiped");
    assert!(
        logs.contains("log says \\u{1b}[2J\\u{1b}[H wiped"),
        "{logs}"
    );
    pty.send("cat /opt/evil.txt\r");
    pty.wait_for("clipboard");
    pty.send("journalctl -u kubelet\r");
    let shown = pty.wait_for("done");
    assert!(
        shown.contains("journal says \\u{1b}]2;host-title\\u{7} done"),
        "{shown}"
    );
    assert!(
        shown.contains("root@controlplane:~$ kubectl logs evil"),
        "the screen was not wiped: {shown}"
    );
    let raw = pty.raw.lock().unwrap().clone();
    for sequence in ["\x1b]0;", "\x1b]2;", "\x1b]52;", "\x1b[2J\x1b[H wiped"] {
        assert!(
            !raw.windows(sequence.len())
                .any(|w| w == sequence.as_bytes()),
            "{sequence:?} was written to the terminal"
        );
    }
}
