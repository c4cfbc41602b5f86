//! `kubedrill scenario`: a script run on a scenario's offline cluster and graded, as a user runs
//! it from a shell or a CI job, in text and JSON.

use std::fs;

use serde_json::Value;

mod common;
use common::{kubedrill, stdout};

const FIX: &str = r#"kubectl get pods
kubectl get pod my-app -o yaml > my-app.yaml
sed -i 's/^\(    - \)sleep2\.0$/\1sleep\n\1"3600"/' my-app.yaml
kubectl replace --force -f my-app.yaml
"#;

#[test]
fn a_fixing_script_passes_with_every_check_and_its_transcript() {
    let data = tempfile::tempdir().unwrap();
    let script = data.path().join("fix.txt");
    // `kubectl run` would name the container `my-app`: the task keeps `ubuntu`, so a heredoc.
    fs::write(
        &script,
        "kubectl delete pod my-app\ncat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Pod\n\
         metadata:\n  name: my-app\nspec:\n  containers:\n  - name: ubuntu\n    image: ubuntu-sleeper\n\
         \x20   command: [sleep, \"3600\"]\nEOF\n",
    )
    .unwrap();
    let output = kubedrill(
        &[
            "scenario",
            "run",
            "troubleshooting/crashloop-command",
            "--script",
            script.to_str().unwrap(),
        ],
        data.path(),
    );
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "$ kubectl delete pod my-app\npod \"my-app\" deleted\n$ cat <<EOF | kubectl apply -f -\n"
        ),
        "{text}"
    );
    assert!(text.contains("EOF\npod/my-app created\n"), "{text}");
    assert!(text.contains("✓"), "{text}");
    assert!(!text.contains("✗"), "{text}");
    assert_eq!(output.status.code(), Some(0), "{text}");
}

#[test]
fn json_reports_each_command_and_each_check() {
    let data = tempfile::tempdir().unwrap();
    let script = data.path().join("fix.txt");
    fs::write(&script, FIX).unwrap();
    let output = kubedrill(
        &[
            "scenario",
            "run",
            "troubleshooting/crashloop-command",
            "--script",
            script.to_str().unwrap(),
            "--format",
            "json",
        ],
        data.path(),
    );
    let document: Value = serde_json::from_str(&stdout(&output)).expect("one JSON document");
    let steps = document["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 4);
    assert_eq!(steps[0]["command"], "kubectl get pods");
    assert!(
        steps[0]["stdout"]
            .as_str()
            .unwrap()
            .contains("CrashLoopBackOff")
    );
    assert_eq!(
        steps[3]["stdout"],
        "pod \"my-app\" deleted\npod/my-app replaced\n"
    );
    let checks = document["grade"]["checks"].as_array().unwrap();
    assert!(checks.len() >= 2, "{checks:?}");
    for check in checks {
        assert!(check["id"].as_str().is_some_and(|id| !id.is_empty()));
        assert_eq!(check["passed"], true, "{check}");
    }
    assert_eq!(document["grade"]["passed"], true);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_script_that_fixes_nothing_fails_and_says_which_checks() {
    let data = tempfile::tempdir().unwrap();
    let script = data.path().join("look.txt");
    fs::write(&script, "kubectl describe pod my-app\n").unwrap();
    let output = kubedrill(
        &[
            "scenario",
            "run",
            "troubleshooting/crashloop-command",
            "--script",
            script.to_str().unwrap(),
            "--format",
            "json",
        ],
        data.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["grade"]["passed"], false);
    assert!(
        document["grade"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|check| check["passed"] == false && !check["message"].as_str().unwrap().is_empty())
    );
}

/// A deck of the instructor's own: a scenario whose checks look in another namespace.
#[test]
fn a_check_may_look_in_another_namespace() {
    let data = tempfile::tempdir().unwrap();
    let deck = data.path().join("deck");
    fs::create_dir_all(deck.join("topics/ns/scenarios")).unwrap();
    fs::write(
        deck.join("deck.toml"),
        "format_version = 1\nid = \"nsdeck\"\ntitle = \"Namespaces\"\nlanguages = [\"en\"]\n\n[[topic]]\nid = \"ns\"\ntitle = \"Namespaces\"\n",
    )
    .unwrap();
    fs::write(
        deck.join("topics/ns/lesson.en.md"),
        "# Namespaces\n\nA lesson.\n",
    )
    .unwrap();
    fs::write(
        deck.join("topics/ns/scenarios/scale-prod.toml"),
        r#"id = "scale-prod"
title.en = "Scale the shop in prod"
difficulty = 1
task.en = "Scale the Deployment `shop` in the namespace `prod` to 3 replicas."
solution = "kubectl scale deployment shop -n prod --replicas=3"

[cluster]
manifests = """
apiVersion: v1
kind: Namespace
metadata:
  name: prod
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: prod
spec:
  replicas: 1
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: shop
        image: nginx:1.27
"""
[cluster.images."nginx:1.27"]

[[check]]
id = "replicas"
type = "field"
target = "Deployment/shop"
namespace = "prod"
path = "status.readyReplicas"
equals = 3
message.en = "`shop` in `prod` must have 3 ready replicas."

[[check]]
id = "pods"
type = "count"
target = "Pod"
selector = "app=shop"
namespace = "prod"
equals = 3
message.en = "`prod` must run 3 Pods of `shop`."

[[wrong]]
script = "kubectl scale deployment shop --replicas=3"
fails = ["replicas", "pods"]
why.en = "Without `-n prod` kubectl looks in `default`, which has no `shop`."
"#,
    )
    .unwrap();
    let checked = kubedrill(&["deck", "check", deck.to_str().unwrap()], data.path());
    assert_eq!(checked.status.code(), Some(0), "{}", stdout(&checked));
    assert!(
        stdout(&checked).contains("1 scenario"),
        "{}",
        stdout(&checked)
    );

    // A namespace that is not a DNS label is named, with its line and column.
    let file = deck.join("topics/ns/scenarios/scale-prod.toml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replacen("namespace = \"prod\"", "namespace = \"Prod\"", 1),
    )
    .unwrap();
    let refused = kubedrill(&["deck", "check", deck.to_str().unwrap()], data.path());
    let report = stdout(&refused);
    assert_eq!(refused.status.code(), Some(1), "{report}");
    assert!(
        report.contains("scale-prod.toml:39:13")
            && report.contains("`Prod` is not a namespace name: it has uppercase letters"),
        "{report}"
    );
}
