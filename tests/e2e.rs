//! End to end: the real `kubedrill` binary in a pseudo-terminal (portable-pty), keys typed as a
//! learner types them, the screen read back through a terminal emulator (vt100). Two cards are
//! reviewed and one exercise graded; afterwards the database holds exactly those reviews, and
//! the terminal was left as it was found, also when the process is killed or the terminal hangs
//! up.

#![cfg(all(feature = "tui", unix))]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Pty {
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Every screen seen, for the failure message.
    seen: Vec<String>,
}

impl Pty {
    fn start(args: &[&str], data: &Path) -> Pty {
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
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                shared.lock().unwrap().process(&buffer[..read]);
            }
        });
        // The master must stay open while the child runs.
        std::mem::forget(pair.master);
        Pty {
            writer,
            screen,
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

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
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
    // The test deck under the built-in deck's id, so it takes the built-in deck's place and
    // the session holds only its items.
    let deck = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/tui"),
        deck.path(),
    );
    let deck_toml = deck.path().join("deck.toml");
    let text =
        std::fs::read_to_string(&deck_toml)
            .unwrap()
            .replacen("id = \"tui\"", "id = \"cka\"", 1);
    std::fs::write(&deck_toml, text).unwrap();
    let mut pty = Pty::start(&["--deck", deck.path().to_str().unwrap()], data.path());
    pty.wait_for("Continue: ");
    pty.wait_for("Interface test deck");

    // Two cards: reveal, rate.
    pty.send("c");
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
        .state("cka", "secrets/base64-is-encoding")
        .unwrap()
        .unwrap();
    assert_eq!(
        card.phase,
        kubedrill::srs::Phase::Review,
        "Easy graduates at once"
    );
    let exercise = store.state("cka", "secrets/secret-env").unwrap().unwrap();
    assert_eq!(exercise.reps, 1);
    assert!(
        store
            .last_answer("cka", "secrets/secret-env")
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
        assert!(pty.screen.lock().unwrap().screen().alternate_screen());
        let pid = pty.child.process_id().expect("the child has a pid");
        let sent = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(pid.to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        assert_eq!(pty.exit_code(), code, "SIG{signal} ends kubedrill");
        // Give the reader thread a moment to take the last bytes.
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            !pty.screen.lock().unwrap().screen().alternate_screen(),
            "SIG{signal}: the terminal was restored"
        );
    }
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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
