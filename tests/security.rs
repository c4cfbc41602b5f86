//! The boundaries a deck, an answer or a file from a stranger must not cross (docs/security.md),
//! each attacked through the real binary: kubectl's second opinion never writes, reads or
//! connects where it is told to; special files never hang a load; output never carries raw
//! control characters; a deck cannot take another deck's place.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks")
}

/// The binary with a private data directory, colours off, and `PATH` as given.
fn kubedrill(args: &[&str], data_dir: &Path, path: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kubedrill"));
    command
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("KUBEDRILL_DATA_DIR")
        .env_remove("KUBEDRILL_KUBECTL")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    command.output().expect("the kubedrill binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `kubedrill grade cm/create-cm --command TYPED` on `deck`, with `PATH` set to `path` (where a
/// real or a fake kubectl is).
fn grade_drill(deck: &Path, typed: &str, data: &Path, path: &Path) -> Output {
    kubedrill(
        &[
            "grade",
            "cm/create-cm",
            "--deck",
            deck.to_str().unwrap(),
            "--command",
            typed,
        ],
        data,
        Some(path.to_str().unwrap()),
    )
}

/// A copy of the fixture deck whose drill answer tells kubectl to write its CPU profile to
/// `target` (and to read /etc/shadow as a CA and to connect to a server).
fn hostile_kubectl_deck(folder: &Path, target: &Path) -> PathBuf {
    let deck = folder.join("deck");
    std::fs::create_dir_all(deck.join("topics/cm")).unwrap();
    let from = fixtures().join("hostile-kubectl");
    for file in [
        "deck.toml",
        "topics/cm/lesson.en.md",
        "topics/cm/drills.toml",
    ] {
        let text = std::fs::read_to_string(from.join(file)).unwrap();
        std::fs::write(
            deck.join(file),
            text.replace("PROFILE_TARGET", target.to_str().unwrap()),
        )
        .unwrap();
    }
    deck
}

/// The real kubectl's folder, when there is one (CI installs the pinned one and requires it).
fn real_kubectl_folder() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let found = std::env::split_paths(&path).find(|dir| dir.join("kubectl").is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("KUBEDRILL_REQUIRE_KUBECTL").is_none(),
            "KUBEDRILL_REQUIRE_KUBECTL is set but there is no kubectl on PATH"
        );
        eprintln!("no kubectl on PATH: the real-kubectl attack is covered by the fake one only");
    }
    found
}

#[test]
fn a_decks_drill_answer_cannot_make_kubectl_write_a_file() {
    let Some(kubectl) = real_kubectl_folder() else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("precious.txt");
    std::fs::write(&target, "the learner's notes\n").unwrap();
    let deck = hostile_kubectl_deck(folder.path(), &target);
    let data = tempfile::tempdir().unwrap();
    // An answer the flag table calls different (an extra key), so kubectl is asked to render
    // both commands: the deck's own answer included.
    let output = grade_drill(
        &deck,
        "kubectl create configmap app --from-literal=MODE=prod --from-literal=EXTRA=1",
        data.path(),
        &kubectl,
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "the learner's notes\n",
        "kubectl wrote its profile over the learner's file"
    );
}

#[test]
fn a_typed_profile_output_is_ignored_named_and_never_run() {
    let Some(kubectl) = real_kubectl_folder() else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("precious.txt");
    std::fs::write(&target, "keep me\n").unwrap();
    let deck = hostile_kubectl_deck(folder.path(), &folder.path().join("unused"));
    let data = tempfile::tempdir().unwrap();
    let typed = format!(
        "kubectl create cm app --from-literal MODE=prod --profile=cpu --profile-output={}",
        target.display()
    );
    let output = grade_drill(&deck, &typed, data.path(), &kubectl);
    let shown = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("--profile-output is ignored: it makes kubectl read or write a file"),
        "{shown}"
    );
    assert!(shown.contains("--profile is ignored"), "{shown}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
    assert!(!folder.path().join("unused").exists());
}

/// A fake `kubectl` that writes its arguments, its environment and what its HOME holds to
/// `log`, then prints a ConfigMap, so the grader believes it.
fn fake_kubectl(folder: &Path, log: &Path) -> PathBuf {
    let bin = folder.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = format!(
        "#!/bin/sh\n{{ echo ARGV; for word in \"$@\"; do echo \"$word\"; done; echo ENV; /usr/bin/env; echo HOME_FILES; /bin/ls -A \"$HOME\"; echo END; }} >> '{}'\necho '{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"app\"}}}}'\n",
        log.display()
    );
    let kubectl = bin.join("kubectl");
    std::fs::write(&kubectl, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&kubectl, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// Each run of the fake kubectl: (arguments, environment, files in its HOME).
fn runs(log: &Path) -> Vec<(Vec<String>, Vec<String>, Vec<String>)> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.split("ARGV\n")
        .filter(|run| !run.is_empty())
        .map(|run| {
            let (argv, rest) = run.split_once("ENV\n").unwrap();
            let (env, rest) = rest.split_once("HOME_FILES\n").unwrap();
            let (home, _) = rest.split_once("END\n").unwrap();
            let lines = |part: &str| part.lines().map(str::to_string).collect::<Vec<_>>();
            (lines(argv), lines(env), lines(home))
        })
        .collect()
}

#[test]
fn no_path_server_or_credential_flag_ever_reaches_kubectl() {
    let folder = tempfile::tempdir().unwrap();
    let log = folder.path().join("kubectl.log");
    let bin = fake_kubectl(folder.path(), &log);
    let deck = hostile_kubectl_deck(folder.path(), &folder.path().join("profile.out"));
    let data = tempfile::tempdir().unwrap();
    let typed = "kubectl --server https://198.51.100.9 create configmap app --from-literal=MODE=prod --from-literal=EXTRA=1 --client-key=/etc/passwd --client-certificate=/etc/passwd --certificate-authority=/etc/shadow --proxy-url=http://198.51.100.9:3128 --token=abc --cache-dir=/tmp/elsewhere --kuberc=/etc/passwd -v=9 --profile=cpu --profile-output=/tmp/kubedrill-profile";
    let output = grade_drill(&deck, typed, data.path(), &bin);
    let shown = text(&output.stdout);
    let runs = runs(&log);
    assert_eq!(
        runs.len(),
        2,
        "kubectl renders the deck's answer and the typed one: {shown}"
    );
    // The fake prints the same object for both, so kubectl's opinion decided: passed.
    assert_eq!(output.status.code(), Some(0), "{shown}");
    for (argv, env, home) in &runs {
        for word in argv {
            let allowed = !word.starts_with('-')
                || word.starts_with("--from-literal=")
                || [
                    "--dry-run=client",
                    "--output=json",
                    "--server=http://127.0.0.1:0",
                ]
                .contains(&word.as_str());
            assert!(allowed, "kubectl was given {word}: {argv:?}");
        }
        assert!(
            argv.iter()
                .any(|word| word == "--server=http://127.0.0.1:0")
        );
        let mut names: Vec<&str> = env
            .iter()
            .filter_map(|line| line.split_once('=').map(|(name, _)| name))
            // Set by the shell that runs the fake itself.
            .filter(|name| !["PWD", "SHLVL", "_", "OLDPWD"].contains(name))
            .collect();
        names.sort_unstable();
        assert_eq!(names, ["HOME", "KUBECONFIG", "KUBERC"], "{env:?}");
        assert!(env.contains(&"KUBECONFIG=/dev/null".to_string()));
        assert!(home.is_empty(), "HOME was not fresh: {home:?}");
        let home_dir = env
            .iter()
            .find_map(|line| line.strip_prefix("HOME="))
            .unwrap();
        assert!(
            !Path::new(home_dir).exists(),
            "the temporary HOME was left behind"
        );
    }
    for flag in [
        "--server",
        "--client-key",
        "--certificate-authority",
        "--proxy-url",
        "--token",
        "--profile-output",
        "-v",
    ] {
        assert!(
            shown.contains(&format!("  ! {flag} is ignored: ")),
            "{flag} not named: {shown}"
        );
    }
}

#[test]
fn a_kubeconfig_or_context_is_graded_but_never_passed_to_kubectl() {
    let folder = tempfile::tempdir().unwrap();
    let log = folder.path().join("kubectl.log");
    let bin = fake_kubectl(folder.path(), &log);
    let deck = hostile_kubectl_deck(folder.path(), &folder.path().join("profile.out"));
    let data = tempfile::tempdir().unwrap();
    let output = grade_drill(
        &deck,
        "kubectl create configmap app --from-literal=MODE=prod --kubeconfig=/etc/passwd --context=prod",
        data.path(),
        &bin,
    );
    let shown = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("--kubeconfig=/etc/passwd is not asked for"),
        "{shown}"
    );
    assert!(runs(&log).is_empty(), "kubectl ran: {:?}", runs(&log));
}

#[test]
fn deck_check_warns_about_drill_answers_with_such_flags() {
    let folder = tempfile::tempdir().unwrap();
    let deck = hostile_kubectl_deck(folder.path(), Path::new("/tmp/profile.out"));
    let data = tempfile::tempdir().unwrap();
    let output = kubedrill(
        &["deck", "check", "--format", "json", deck.to_str().unwrap()],
        data.path(),
        None,
    );
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let warned: Vec<(String, u64, u64)> = document["decks"][0]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|problem| problem["rule"] == "ignored-flag")
        .map(|problem| {
            (
                problem["message"].as_str().unwrap().to_string(),
                problem["line"].as_u64().unwrap(),
                problem["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let flags: Vec<&str> = warned
        .iter()
        .map(|(message, _, _)| message.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        flags,
        [
            "--profile",
            "--profile-output",
            "--certificate-authority",
            "--server"
        ]
    );
    assert!(warned.iter().all(|(_, line, _)| *line == 6));
    assert_eq!(warned[0].2, 65, "the column of --profile in the answer");
}

/// Makes a FIFO at `path` with mkfifo(1).
fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[test]
fn a_fifo_in_a_deck_is_an_error_within_a_second_not_a_hang() {
    let folder = tempfile::tempdir().unwrap();
    let deck = folder.path().join("deck");
    let source = fixtures().join("valid");
    let copied = Command::new("cp")
        .arg("-r")
        .arg(&source)
        .arg(&deck)
        .status()
        .unwrap();
    assert!(copied.success());
    std::fs::remove_file(deck.join("topics/env/lesson.ko.md")).unwrap();
    mkfifo(&deck.join("topics/env/lesson.ko.md"));
    let data = tempfile::tempdir().unwrap();
    for args in [
        vec!["deck", "check", deck.to_str().unwrap()],
        vec!["deck", "list", "--deck", deck.to_str().unwrap()],
    ] {
        // The same command over the valid deck: what loading costs on this machine (the
        // built-in deck is loaded too, and a debug build on busy cores is slow), so the bound
        // below measures the FIFO alone: at most a second more, never a hang.
        let baseline = {
            let valid: Vec<&str> = args
                .iter()
                .map(|arg| {
                    if *arg == deck.to_str().unwrap() {
                        source.to_str().unwrap()
                    } else {
                        arg
                    }
                })
                .collect();
            let started = Instant::now();
            kubedrill(&valid, data.path(), None);
            started.elapsed()
        };
        let started = Instant::now();
        let output = kubedrill(&args, data.path(), None);
        assert!(
            started.elapsed() < baseline + Duration::from_secs(1),
            "{args:?} took {:?} (the valid deck: {baseline:?})",
            started.elapsed()
        );
        let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
        if args[1] == "check" {
            assert_eq!(output.status.code(), Some(1), "{all}");
            assert!(all.contains("not-a-regular-file"), "{all}");
            assert!(all.contains("topics/env/lesson.ko.md"), "{all}");
            assert!(all.contains("a FIFO (named pipe)"), "{all}");
        }
    }
}

#[test]
fn check_refuses_a_fifo_or_a_device_at_once_but_reads_standard_input() {
    let folder = tempfile::tempdir().unwrap();
    let fifo = folder.path().join("pod.yaml");
    mkfifo(&fifo);
    let data = tempfile::tempdir().unwrap();
    for path in [fifo.to_str().unwrap(), "/dev/zero"] {
        let started = Instant::now();
        let output = kubedrill(&["check", path], data.path(), None);
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(output.status.code(), Some(2));
        // An error is said on standard error.
        let shown = text(&output.stderr);
        assert!(shown.contains("not a regular file"), "{shown}");
        assert!(shown.contains("kubedrill check -"), "{shown}");
    }
}

/// A copy of the fixture deck `valid` with its id changed to `id`.
fn deck_with_id(folder: &Path, name: &str, id: &str) -> PathBuf {
    let deck = folder.join(name);
    let copied = Command::new("cp")
        .arg("-r")
        .arg(fixtures().join("valid"))
        .arg(&deck)
        .status()
        .unwrap();
    assert!(copied.success());
    let toml = std::fs::read_to_string(deck.join("deck.toml")).unwrap();
    std::fs::write(
        deck.join("deck.toml"),
        toml.replace("id = \"fixture\"", &format!("id = \"{id}\"")),
    )
    .unwrap();
    deck
}

#[test]
fn a_deck_cannot_take_the_built_in_decks_id() {
    let folder = tempfile::tempdir().unwrap();
    let impostor = deck_with_id(folder.path(), "impostor", "cka");
    let data = tempfile::tempdir().unwrap();
    let impostor = impostor.to_str().unwrap();
    let checked = kubedrill(&["deck", "check", impostor], data.path(), None);
    let shown = text(&checked.stdout);
    assert_eq!(checked.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("error[duplicate-deck]: `cka` is the built-in deck's id"),
        "{shown}"
    );
    assert!(shown.contains("impostor/deck.toml:2:6"), "{shown}");
    // Loading: the built-in deck stays, the impostor is left out with a visible warning.
    let listed = kubedrill(&["--deck", impostor, "deck", "list"], data.path(), None);
    let shown = format!("{}{}", text(&listed.stdout), text(&listed.stderr));
    assert!(shown.contains("(<built-in>)"), "{shown}");
    assert!(
        !shown.contains("Fixture deck"),
        "the impostor was loaded: {shown}"
    );
    let home = kubedrill(&["--deck", impostor], data.path(), None);
    let shown = text(&home.stdout);
    assert!(
        shown.contains("impostor: `cka` is the built-in deck's id, so this deck is not loaded"),
        "{shown}"
    );
    // The built-in deck's own source folder is that deck, not a rival.
    let own = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
    let checked = kubedrill(&["deck", "check", own], data.path(), None);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stdout));
}

#[test]
fn two_decks_with_one_id_keep_the_first_and_say_so() {
    let folder = tempfile::tempdir().unwrap();
    let first = deck_with_id(folder.path(), "first", "shared");
    let second = deck_with_id(folder.path(), "second", "shared");
    std::fs::write(
        second.join("deck.toml"),
        std::fs::read_to_string(second.join("deck.toml"))
            .unwrap()
            .replace("Fixture deck", "Second deck"),
    )
    .unwrap();
    let (first, second) = (first.to_str().unwrap(), second.to_str().unwrap());
    let data = tempfile::tempdir().unwrap();
    let checked = kubedrill(&["deck", "check", first, second], data.path(), None);
    let shown = text(&checked.stdout);
    assert_eq!(checked.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains(&format!("{first}: deck `shared` is valid")),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(
            "a deck with id `shared` is already loaded from {first}, so this one is not loaded"
        )),
        "{shown}"
    );
    let listed = kubedrill(
        &["--deck", first, "--deck", second, "deck", "list"],
        data.path(),
        None,
    );
    let shown = format!("{}{}", text(&listed.stdout), text(&listed.stderr));
    assert!(shown.contains("Fixture deck"), "{shown}");
    assert!(
        !shown.contains("Second deck"),
        "the later deck replaced the first: {shown}"
    );
    assert!(shown.contains("so this one is not loaded"), "{shown}");
}

#[test]
fn deck_export_to_standard_output_escapes_control_characters() {
    let folder = tempfile::tempdir().unwrap();
    let deck = deck_with_id(folder.path(), "loud", "loud");
    // An OSC 52 clipboard write, a screen clear, a C1 CSI and a right-to-left override.
    std::fs::write(
        deck.join("topics/env/cards.toml"),
        "[[card]]\nid = \"loud\"\nfront = \"clip \\u001b]52;c;cHduZWQ=\\u0007 clear \\u001b[2J\"\nback = \"c1 \\u009b31m rtlo \\u202e txt.exe\"\n",
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let output = kubedrill(
        &["deck", "export", deck.to_str().unwrap()],
        data.path(),
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let shown = text(&output.stdout);
    for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(
            !shown.contains(raw),
            "{raw:?} reached the terminal: {shown:?}"
        );
    }
    assert!(
        shown.contains("clip \\u{1b}]52;c;cHduZWQ=\\u{7} clear \\u{1b}[2J"),
        "{shown}"
    );
    // A file gets the cards as written, for Anki.
    let file = folder.path().join("cards.txt");
    let written = kubedrill(
        &[
            "deck",
            "export",
            deck.to_str().unwrap(),
            "-o",
            file.to_str().unwrap(),
        ],
        data.path(),
        None,
    );
    assert_eq!(written.status.code(), Some(0));
    assert!(std::fs::read_to_string(&file).unwrap().contains('\u{1b}'));
}
