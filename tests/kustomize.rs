//! `kubedrill check DIR` on kustomizations (src/manifest/kustomize.rs, src/cli/check.rs): the
//! kustomization's own fields with their lines; the refusals (remote locations, paths out of the
//! directory, Helm, plugins) with kubectl never run; the build by the real kubectl checked and
//! traced to its files; without kubectl, a warning. Tests that need a real kubectl pass with a
//! note where there is none, unless `KUBEDRILL_REQUIRE_KUBECTL` is set (as tests/security.rs).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use kubedrill::manifest::kustomize;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/kustomize")
        .join(name)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", text(&output.stdout)))
}

/// A folder with a fake `kubectl` that logs its arguments and environment to `log`, then
/// prints one ConfigMap, as a build would.
fn fake_kubectl(folder: &Path, log: &Path) -> PathBuf {
    let bin = folder.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = format!(
        "#!/bin/sh\n{{ echo ARGV; for word in \"$@\"; do echo \"$word\"; done; echo ENV; /usr/bin/env; echo END; }} >> '{}'\nprintf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: web\\n'\n",
        log.display()
    );
    let kubectl = bin.join("kubectl");
    std::fs::write(&kubectl, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&kubectl, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// One run of the fake kubectl: (arguments, environment).
type Run = (Vec<String>, Vec<String>);

/// Each run of the fake kubectl.
fn runs(log: &Path) -> Vec<Run> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.split("ARGV\n")
        .filter(|run| !run.is_empty())
        .map(|run| {
            let (argv, rest) = run.split_once("ENV\n").unwrap();
            let (env, _) = rest.split_once("END\n").unwrap();
            let lines = |part: &str| part.lines().map(str::to_string).collect::<Vec<_>>();
            (lines(argv), lines(env))
        })
        .collect()
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
        eprintln!("no kubectl on PATH: the kustomize build is not exercised here");
    }
    found
}

/// Checks `dir` with the fake kubectl on PATH; returns the output and the fake's runs.
fn check_with_fake(dir: &Path, format: &str) -> (Output, Vec<Run>) {
    let folder = tempfile::tempdir().unwrap();
    let log = folder.path().join("kubectl.log");
    let bin = fake_kubectl(folder.path(), &log);
    let output =
        common::kubedrill_on_path(&["check", "--format", format, dir.to_str().unwrap()], &bin);
    (output, runs(&log))
}

fn diagnostics(entry: &serde_json::Value) -> Vec<serde_json::Value> {
    entry["diagnostics"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_misspelt_field_is_an_error_at_its_line_with_the_field_meant() {
    let (output, _) = check_with_fake(&fixture("typo"), "json");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    let document = json(&output);
    let entry = &document["files"][0];
    assert!(
        entry["path"]
            .as_str()
            .unwrap()
            .ends_with("typo/kustomization.yaml")
    );
    let found = diagnostics(entry);
    let typo = found
        .iter()
        .find(|d| d["rule"] == "unknown-field")
        .expect("the typo is reported");
    assert_eq!(typo["path"], "namePrefx");
    assert_eq!(
        (typo["line"].as_u64(), typo["column"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(typo["suggestion"], "namePrefix");
    let deprecated = found
        .iter()
        .find(|d| d["rule"] == "deprecated-field")
        .expect("commonLabels is deprecated");
    assert_eq!(deprecated["severity"], "warning");
    assert_eq!(deprecated["line"], 4);
    assert!(
        deprecated["message"]
            .as_str()
            .unwrap()
            .contains("use `labels`")
    );
    let count = found
        .iter()
        .find(|d| d["rule"] == "wrong-type")
        .expect("a quoted count is a string");
    assert_eq!(count["path"], "replicas[0].count");
    assert_eq!(count["line"], 10);
}

#[test]
fn the_deprecated_patch_fields_say_use_patches() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("kustomization.yaml"),
        "patchesStrategicMerge:\n  - |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: web\npatchesJson6902: []\nbases: []\n",
    )
    .unwrap();
    let tree = kustomize::check_tree(folder.path()).unwrap();
    let messages: Vec<&str> = tree.files[0]
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "`patchesStrategicMerge` is deprecated: use `patches`",
            "`patchesJson6902` is deprecated: use `patches`",
            "`bases` is deprecated: use `resources`",
        ]
    );
    assert!(tree.buildable(), "warnings alone do not stop the build");
}

/// Asserts that checking `dir` refuses `refused` (a `refused-source` error on `line`) and never
/// runs kubectl.
fn assert_refused(dir: &Path, line: u64, words: &str) {
    let (output, runs) = check_with_fake(dir, "json");
    let shown = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(runs.is_empty(), "kubectl was run: {runs:?}");
    let document = json(&output);
    let refusals: Vec<serde_json::Value> = document["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(diagnostics)
        .filter(|d| d["rule"] == "refused-source")
        .collect();
    assert!(
        refusals
            .iter()
            .any(|d| d["line"] == line && d["message"].as_str().unwrap().contains(words)),
        "no refusal on line {line} saying {words:?}: {refusals:#?}"
    );
    assert!(
        !document["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|entry| entry["path"].as_str().unwrap().ends_with("(built)")),
        "{shown}"
    );
}

#[test]
fn a_remote_resource_is_refused_and_kubectl_never_runs() {
    assert_refused(&fixture("remote"), 5, "is a remote location");
    assert_refused(&fixture("remote"), 6, "github.com/kubernetes-sigs");
}

#[test]
fn a_path_out_of_the_directory_is_refused() {
    assert_refused(&fixture("outside/app"), 5, "`../outside.yaml` is outside");
}

#[test]
fn an_absolute_generator_file_is_refused() {
    assert_refused(&fixture("absolute"), 8, "`/etc/passwd` is an absolute path");
}

#[test]
fn helm_charts_and_krm_functions_are_refused() {
    assert_refused(&fixture("helm"), 3, "`helmCharts` inflates Helm charts");
    assert_refused(&fixture("plugin"), 6, "configures a KRM function");
}

#[test]
fn an_exec_plugin_and_an_inline_krm_function_are_refused() {
    assert_refused(
        &fixture("exec-plugin"),
        4,
        "kind `ChartInflator`) that is not one of kustomize's builtin plugins",
    );
    assert_refused(
        &fixture("exec-plugin"),
        7,
        "the annotation `config.kubernetes.io/function`",
    );
}

/// A fake kubectl that runs `body` (a shell script) instead of building.
fn scripted_kubectl(folder: &Path, body: &str) -> PathBuf {
    let bin = folder.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let kubectl = bin.join("kubectl");
    std::fs::write(&kubectl, format!("#!/bin/sh\n{body}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&kubectl, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

#[test]
fn kubectls_refusal_is_an_error_in_its_own_words() {
    let folder = tempfile::tempdir().unwrap();
    let bin = scripted_kubectl(
        folder.path(),
        "echo 'error: accumulating resources: \x1b[2Jboom' >&2; exit 1",
    );
    let dir = fixture("builtin-transformer");
    let output =
        common::kubedrill_on_path(&["check", "--format", "json", dir.to_str().unwrap()], &bin);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    let document = json(&output);
    let built = document["files"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert!(built["path"].as_str().unwrap().ends_with("(built)"));
    let found = diagnostics(&built);
    assert_eq!(found[0]["rule"], "kustomize-build");
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "kubectl kustomize could not build the directory: accumulating resources:"
        ),
        "{message}"
    );
    assert!(
        !message.contains('\u{1b}'),
        "a raw escape reached the output: {message:?}"
    );
}

#[test]
fn a_build_larger_than_the_cap_is_an_error_not_a_hang() {
    let folder = tempfile::tempdir().unwrap();
    let bin = scripted_kubectl(folder.path(), "yes 'a: b' | head -c 3000000");
    let dir = fixture("builtin-transformer");
    let output = common::kubedrill_on_path(&["check", dir.to_str().unwrap()], &bin);
    let shown = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("error[kustomize-build]: kubectl kustomize printed more than 1048576 bytes"),
        "{shown}"
    );
}

#[test]
fn a_symbolic_link_out_of_the_directory_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let secret = folder.path().join("secret.yaml");
    std::fs::write(
        &secret,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    )
    .unwrap();
    let tree = folder.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    std::os::unix::fs::symlink(&secret, tree.join("inside.yaml")).unwrap();
    std::fs::write(
        tree.join("kustomization.yaml"),
        "resources:\n  - inside.yaml\n",
    )
    .unwrap();
    assert_refused(&tree, 2, "`inside.yaml` is outside");
}

#[test]
fn a_path_kustomize_would_fetch_is_refused_when_it_is_not_here() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("kustomization.yaml"),
        "resources:\n  - example.com/team/app\n",
    )
    .unwrap();
    assert_refused(folder.path(), 2, "kustomize would try to fetch it");
}

#[test]
fn a_plugin_config_that_cannot_be_read_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("kustomization.yaml"),
        "transformers:\n  - plugin.yaml\n",
    )
    .unwrap();
    std::fs::write(folder.path().join("plugin.yaml"), b"kind: \xff\xfe\n").unwrap();
    assert_refused(folder.path(), 2, "cannot read this config as YAML");
}

#[test]
fn a_nested_kustomizations_remote_resource_is_refused_too() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::create_dir(folder.path().join("base")).unwrap();
    std::fs::write(
        folder.path().join("kustomization.yaml"),
        "resources:\n  - base\n",
    )
    .unwrap();
    std::fs::write(
        folder.path().join("base/kustomization.yaml"),
        "resources:\n  - git@github.com:owner/repo.git\n",
    )
    .unwrap();
    assert_refused(folder.path(), 2, "is a remote location");
}

#[test]
fn kubectl_builds_inside_the_sandbox_with_the_root_only_restrictor() {
    let dir = fixture("builtin-transformer");
    let (output, runs) = check_with_fake(&dir, "text");
    let shown = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert_eq!(runs.len(), 1, "{shown}");
    let (argv, env) = &runs[0];
    let canonical = std::fs::canonicalize(&dir).unwrap();
    assert_eq!(
        argv,
        &[
            "kustomize",
            canonical.to_str().unwrap(),
            "--load-restrictor",
            "LoadRestrictionsRootOnly",
            "--server=http://127.0.0.1:0",
        ]
    );
    for variable in env {
        let name = variable.split('=').next().unwrap();
        assert!(
            ["KUBECONFIG", "KUBERC", "HOME", "PWD", "SHLVL", "_"].contains(&name),
            "kubectl was given {variable}"
        );
    }
    assert!(env.contains(&"KUBECONFIG=/dev/null".to_string()), "{env:?}");
    assert!(env.contains(&"KUBERC=off".to_string()), "{env:?}");
    assert!(
        shown.contains("(built): valid (1 document built by kubectl kustomize"),
        "{shown}"
    );
}

#[test]
fn without_kubectl_the_fields_are_checked_and_the_build_is_a_warning() {
    let empty = tempfile::tempdir().unwrap();
    let output = common::kubedrill_on_path(
        &["check", fixture("overlay").to_str().unwrap()],
        empty.path(),
    );
    let shown = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains(
            "warning[not-checked]: building the kustomization needs kubectl, which is not on PATH"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("overlay/kustomization.yaml: valid kustomization fields"),
        "{shown}"
    );
    assert!(
        shown.contains("overlay/base/kustomization.yaml: valid kustomization fields"),
        "{shown}"
    );
    // With a typo, the fields still fail without kubectl.
    let output =
        common::kubedrill_on_path(&["check", fixture("typo").to_str().unwrap()], empty.path());
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
}

#[test]
fn a_kustomization_file_named_on_the_command_line_is_its_directory() {
    let empty = tempfile::tempdir().unwrap();
    let file = fixture("typo").join("kustomization.yaml");
    let output = common::kubedrill_on_path(
        &["check", "--format", "json", file.to_str().unwrap()],
        empty.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        json(&output)["files"][0]["diagnostics"][0]["rule"],
        "unknown-field"
    );
}

#[test]
fn a_folder_without_a_kustomization_is_an_error() {
    let folder = tempfile::tempdir().unwrap();
    let output =
        common::kubedrill_on_path(&["check", folder.path().to_str().unwrap()], folder.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("a folder without a kustomization.yaml"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn the_real_kubectl_builds_a_base_and_overlay_and_the_result_is_checked() {
    let Some(kubectl) = real_kubectl_folder() else {
        return;
    };
    let output =
        common::kubedrill_on_path(&["check", fixture("overlay").to_str().unwrap()], &kubectl);
    let shown = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("overlay (built): valid (3 documents built by kubectl kustomize"),
        "{shown}"
    );
}

#[test]
fn a_patch_that_breaks_an_object_is_reported_in_the_built_stream_with_its_source() {
    let Some(kubectl) = real_kubectl_folder() else {
        return;
    };
    let dir = fixture("bad-patch");
    let output = common::kubedrill_on_path(
        &["check", "--format", "json", dir.to_str().unwrap()],
        &kubectl,
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    let document = json(&output);
    let built = document["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| {
            entry["path"]
                .as_str()
                .unwrap()
                .ends_with("bad-patch (built)")
        })
        .expect("the build is an entry");
    let found = diagnostics(built);
    let replicas = found
        .iter()
        .find(|d| d["path"] == "spec.replicas")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(replicas["rule"], "wrong-type");
    assert_eq!(replicas["kind"], "Deployment");
    let source = built["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|source| source["document"] == replicas["document"])
        .expect("the Deployment's source is known");
    assert!(
        source["file"]
            .as_str()
            .unwrap()
            .ends_with("bad-patch/base/deployment.yaml"),
        "{source}"
    );
    let output = common::kubedrill_on_path(&["check", dir.to_str().unwrap()], &kubectl);
    let shown = text(&output.stdout);
    assert!(
        shown.contains("\nnote: built by kustomize from ")
            && shown.contains("bad-patch/base/deployment.yaml"),
        "{shown}"
    );
}

#[test]
fn every_kustomize_message_has_korean() {
    let catalog = kubedrill::i18n::catalog();
    let mut messages = Vec::new();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kustomize");
    for entry in std::fs::read_dir(&folder).unwrap() {
        let dir = entry.unwrap().path();
        let dir = if dir.ends_with("outside") {
            dir.join("app")
        } else {
            dir
        };
        let tree = kustomize::check_tree(&dir).unwrap();
        for file in &tree.files {
            for diagnostic in &file.diagnostics {
                messages.push(diagnostic.message.clone());
                messages.extend(diagnostic.help.clone());
            }
        }
    }
    // The limits, and the build's own messages (src/cli/check.rs).
    messages.extend(
        [
            "the kustomizations of this directory name more than 1000 paths, more than kubedrill follows; it does not build the directory",
            "this directory reaches more than 64 kustomizations, more than kubedrill follows; it does not build the directory",
            "kubedrill cannot read this config as YAML (UTF-8, at most 1 MiB) to see which plugin it configures, so it does not build this directory",
            "building the kustomization needs kubectl, which is not on PATH; only its own fields were checked",
            "install kubectl to check the objects the kustomization makes",
            "kubectl kustomize could not build the directory: accumulating resources: nope",
            "kubectl kustomize did not finish within 20 seconds, so it was stopped",
            "kubectl kustomize printed more than 1048576 bytes (1 MiB), more than kubedrill checks at a time",
        ]
        .map(str::to_string),
    );
    let missing: Vec<&String> = messages
        .iter()
        .filter(|message| catalog.template_of(message).is_none())
        .collect();
    assert!(missing.is_empty(), "no Korean for: {missing:#?}");
}
