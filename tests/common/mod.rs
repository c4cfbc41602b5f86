//! Helpers shared by the integration tests (each test file that needs one says `mod common;`).
#![allow(dead_code, reason = "each test crate uses only some of these")]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary with a private data directory, so no test reads the user's real one.
pub fn kubedrill(args: &[&str], data_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("KUBEDRILL_DATA_DIR")
        .env("NO_COLOR", "1")
        .output()
        .expect("the kubedrill binary runs")
}

/// Runs the binary as a learner in English would, with a private data directory, colours off,
/// no input, and `PATH` as given (so a test decides whether a kubectl, real or fake, is found).
/// The variables that turn kubectl off or make it required are the test's to set, not inherited.
pub fn kubedrill_on_path(args: &[&str], path: impl AsRef<std::ffi::OsStr>) -> Output {
    let data = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(args)
        .arg("--data-dir")
        .arg(data.path())
        .args(["--lang", "en"])
        .env_remove("KUBEDRILL_DATA_DIR")
        .env_remove("KUBEDRILL_KUBECTL")
        .env_remove("KUBEDRILL_REQUIRE_KUBECTL")
        .env("NO_COLOR", "1")
        .env("PATH", path)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the kubedrill binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Copies a folder tree (a fixture deck) to `to`, creating it.
pub fn copy_dir(from: &Path, to: &Path) {
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
