//! Folder exercises (`[kustomize]`, src/grade/folder.rs): the learner's kustomization joins the
//! exercise's files in a fresh folder and is built by the real `kubectl kustomize`. An answer
//! comes from a stranger, so anything it names outside that folder (a remote location, an
//! absolute path, `..` past the folder, Helm charts, plugins) is refused before kubectl runs;
//! a deck whose files would be written outside the folder is refused by `deck check`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DECK: &str = "format_version = 1\nid = \"folder\"\ntitle = \"Folder\"\nlanguages = [\"en\"]\nkubernetes = \"1.37\"\n\n[[topic]]\nid = \"kz\"\ntitle = \"Kustomize\"\n";

const LESSON: &str = "# Kustomize\n\n## Overlays\n\nAn overlay. [Practice](exercise:overlay)\n";

fn exercise(kustomize: &str) -> String {
    format!(
        r#"id = "overlay"
title = "Overlay"
prompt = "Write overlays/prod/kustomization.yaml over the base: names start with prod-, web runs 3 replicas."
solution = """
resources:
  - ../../base
namePrefix: prod-
replicas:
  - name: web
    count: 3
"""

{kustomize}

[[check]]
id = "replicas"
type = "field"
target = "Deployment/prod-web"
path = "spec.replicas"
equals = 3
message = "prod-web runs 3 replicas"

[[wrong]]
answer = """
resources:
  - ../../base
namePrefix: prod-
"""
fails = ["replicas"]

[[wrong]]
answer = """
resources:
  - ../../base
replicas:
  - name: web
    count: 3
"""
fails = ["replicas"]

[[wrong]]
answer = """
resources:
  - ../../base
namePrefix: prod-
replicas:
  - name: web
    count: three
"""
fails = ["build"]
"#
    )
}

const FOLDER: &str = r#"[kustomize]
build = "overlays/prod"
answer = "overlays/prod/kustomization.yaml"

[kustomize.files]
"base/kustomization.yaml" = """
resources:
  - deployment.yaml
"""
"base/deployment.yaml" = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""
"#;

fn deck(folder: &Path, kustomize: &str) -> PathBuf {
    let root = folder.join("deck");
    std::fs::create_dir_all(root.join("topics/kz/exercises")).unwrap();
    std::fs::write(root.join("deck.toml"), DECK).unwrap();
    std::fs::write(root.join("topics/kz/lesson.en.md"), LESSON).unwrap();
    std::fs::write(
        root.join("topics/kz/exercises/overlay.toml"),
        exercise(kustomize),
    )
    .unwrap();
    root
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `kubedrill grade kz/overlay --deck ROOT FILE` with `answer` in FILE.
fn grade(folder: &Path, root: &Path, answer: &str, path: &std::ffi::OsStr) -> Output {
    let file = folder.join("answer.yaml");
    std::fs::write(&file, answer).unwrap();
    common::kubedrill_on_path(
        &[
            "grade",
            "kz/overlay",
            "--deck",
            root.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
        path,
    )
}

/// A `kubectl` that only records that it ran.
fn tripwire(folder: &Path) -> (PathBuf, PathBuf) {
    let bin = folder.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let marker = folder.join("kubectl-ran");
    let script = format!("#!/bin/sh\ntouch '{}'\nexit 1\n", marker.display());
    let kubectl = bin.join("kubectl");
    std::fs::write(&kubectl, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&kubectl, std::fs::Permissions::from_mode(0o755)).unwrap();
    (bin, marker)
}

#[test]
fn answers_that_reach_outside_the_folder_are_refused_before_kubectl_runs() {
    let folder = tempfile::tempdir().unwrap();
    let root = deck(folder.path(), FOLDER);
    let (bin, marker) = tripwire(folder.path());
    let attacks = [
        (
            "resources:\n  - https://github.com/example/repo//base?ref=main\n",
            "remote",
        ),
        ("resources:\n  - github.com/example/repo/base\n", "remote"),
        ("resources:\n  - /etc\n", "absolute"),
        ("resources:\n  - ../../../../../../etc\n", "outside"),
        (
            "configMapGenerator:\n  - name: leak\n    files:\n      - /etc/passwd\n",
            "absolute",
        ),
        (
            "helmCharts:\n  - name: nginx\n    repo: https://charts.example.com\n",
            "Helm",
        ),
        ("generators:\n  - plugin.yaml\n", "plugin.yaml"),
    ];
    for (answer, expected) in attacks {
        let output = grade(folder.path(), &root, answer, bin.as_os_str());
        let said = text(&output);
        assert!(!output.status.success(), "{answer}: {said}");
        assert!(said.contains(expected), "{answer}: {said}");
        assert!(
            said.contains("not graded: the kustomization did not build"),
            "{answer}: {said}"
        );
        assert!(!marker.exists(), "kubectl ran for {answer}");
    }
}

#[test]
fn a_deck_cannot_place_files_outside_the_exercise_folder() {
    for (kustomize, bad) in [
        (
            FOLDER.replace("\"base/deployment.yaml\"", "\"../../escape.yaml\""),
            "../../escape.yaml",
        ),
        (
            FOLDER.replace("\"base/deployment.yaml\"", "\"/tmp/escape.yaml\""),
            "/tmp/escape.yaml",
        ),
        (
            FOLDER.replace(
                "answer = \"overlays/prod/kustomization.yaml\"",
                "answer = \"../prod/kustomization.yaml\"",
            ),
            "../prod/kustomization.yaml",
        ),
    ] {
        let folder = tempfile::tempdir().unwrap();
        let root = deck(folder.path(), &kustomize);
        let output = common::kubedrill_on_path(
            &["deck", "check", root.to_str().unwrap()],
            std::ffi::OsStr::new("/nonexistent"),
        );
        let said = text(&output);
        assert!(!output.status.success(), "{said}");
        assert!(said.contains(bad), "{said}");
        assert!(said.contains("overlay.toml:"), "names the file: {said}");
    }
}

#[test]
fn without_kubectl_the_exercise_says_it_cannot_be_graded() {
    let folder = tempfile::tempdir().unwrap();
    let root = deck(folder.path(), FOLDER);
    let empty = folder.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let output = grade(
        folder.path(),
        &root,
        "resources:\n  - ../../base\n",
        empty.as_os_str(),
    );
    let said = text(&output);
    assert!(!output.status.success());
    assert!(said.contains("kubectl is not on PATH"), "{said}");
    let check = common::kubedrill_on_path(
        &["deck", "check", root.to_str().unwrap()],
        empty.as_os_str(),
    );
    assert!(check.status.success(), "{}", text(&check));
    assert!(
        text(&check).contains("warning[not-proven]"),
        "{}",
        text(&check)
    );
    // Where kubectl is required (CI), an exercise that cannot be proven is an error.
    let data = tempfile::tempdir().unwrap();
    let required = Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args([
            "deck",
            "check",
            root.to_str().unwrap(),
            "--lang",
            "en",
            "--data-dir",
        ])
        .arg(data.path())
        .env("KUBEDRILL_REQUIRE_KUBECTL", "1")
        .env("NO_COLOR", "1")
        .env("PATH", &empty)
        .output()
        .unwrap();
    assert!(!required.status.success());
    assert!(
        text(&required).contains("error[not-proven]"),
        "{}",
        text(&required)
    );
}

/// The real build: the solution passes, each wrong answer fails where it says. Needs kubectl;
/// passes with a note without one, unless `KUBEDRILL_REQUIRE_KUBECTL` is set (CI sets it).
#[test]
fn a_folder_exercise_is_built_by_kubectl_and_graded() {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let has_kubectl = std::env::split_paths(&path).any(|dir| dir.join("kubectl").is_file());
    if !has_kubectl {
        assert!(
            std::env::var_os("KUBEDRILL_REQUIRE_KUBECTL").is_none(),
            "KUBEDRILL_REQUIRE_KUBECTL is set but kubectl is not on PATH"
        );
        eprintln!("no kubectl on PATH: the folder exercise build is not tested here");
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let root = deck(folder.path(), FOLDER);
    let check = common::kubedrill_on_path(&["deck", "check", root.to_str().unwrap()], &path);
    assert!(check.status.success(), "{}", text(&check));
    assert!(!text(&check).contains("warning"), "{}", text(&check));
    let graded = grade(
        folder.path(),
        &root,
        "resources:\n  - ../../base\nnamePrefix: prod-\n",
        &path,
    );
    let said = text(&graded);
    assert!(said.contains("`spec.replicas` is 1"), "{said}");
}
