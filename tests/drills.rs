//! The kubectl drill grader against a corpus of real kubectl behaviour (`fixtures/drills.toml`):
//! every equivalent spelling passes, every command that does something else fails with an
//! explanation that names what differs. Runs with no kubectl at all.

use kubedrill::grade::command::{Kubectl, judge, parse};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    expected: String,
    answer: String,
    equivalent: bool,
    mentions: Option<String>,
    why: String,
}

fn corpus() -> Vec<Case> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/drills.toml"
    ))
    .expect("the drill corpus is readable");
    toml::from_str::<Corpus>(&text)
        .expect("the drill corpus parses")
        .case
}

#[test]
fn the_corpus_is_large_and_balanced() {
    let cases = corpus();
    let equivalent = cases.iter().filter(|case| case.equivalent).count();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    assert!(equivalent >= 20 && cases.len() - equivalent >= 20);
    for case in cases.iter().filter(|case| !case.equivalent) {
        assert!(
            case.mentions.is_some(),
            "a non-equivalent case names what differs: {case:?}"
        );
    }
}

#[test]
fn every_case_is_judged_as_kubectl_would_without_kubectl() {
    let mut wrong = Vec::new();
    for case in corpus() {
        let verdict = judge(&[&case.expected], &case.answer, None);
        if verdict.correct != case.equivalent {
            wrong.push(format!(
                "{}\n    vs {}\n    expected {}, got {} ({}) {:?}",
                case.expected,
                case.answer,
                if case.equivalent {
                    "equivalent"
                } else {
                    "different"
                },
                if verdict.correct {
                    "equivalent"
                } else {
                    "different"
                },
                case.why,
                verdict.differences
            ));
            continue;
        }
        if let Some(word) = &case.mentions {
            let explanation = verdict.differences.join("; ");
            if !explanation.to_lowercase().contains(&word.to_lowercase()) {
                wrong.push(format!(
                    "{}\n    vs {}\n    the explanation does not mention `{word}`: {explanation}",
                    case.expected, case.answer
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of the corpus cases are judged wrongly:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The cross-check needs a real kubectl. Where there is none the tests below say so and pass,
/// unless `KUBEDRILL_REQUIRE_KUBECTL` is set (CI installs kubectl and sets it).
fn kubectl() -> Option<Kubectl> {
    let found = Kubectl::detect();
    if found.is_none() {
        assert!(
            std::env::var_os("KUBEDRILL_REQUIRE_KUBECTL").is_none(),
            "KUBEDRILL_REQUIRE_KUBECTL is set but there is no kubectl on PATH"
        );
        eprintln!("no kubectl on PATH: the kubectl cross-check is not exercised here");
    }
    found
}

#[test]
fn kubectl_never_changes_a_verdict_of_the_corpus() {
    let Some(kubectl) = kubectl() else { return };
    let mut wrong = Vec::new();
    for case in corpus() {
        let verdict = judge(&[&case.expected], &case.answer, Some(&kubectl));
        if verdict.correct != case.equivalent {
            wrong.push(format!(
                "{} vs {}: {:?}",
                case.expected, case.answer, verdict
            ));
        }
    }
    assert!(wrong.is_empty(), "with kubectl:\n{}", wrong.join("\n"));
}

#[test]
fn kubectl_knows_what_the_flag_table_does_not() {
    let Some(kubectl) = kubectl() else { return };
    // kubectl reads int flags with base prefixes: `+3` is 3 and `010` is octal 8.
    let expected = "kubectl create deployment web --image=nginx --replicas=8";
    for answer in [
        "kubectl create deployment web --image=nginx --replicas=010",
        "kubectl create deploy web --image=nginx -r +8",
    ] {
        assert!(!judge(&[expected], answer, None).correct, "{answer}");
        let verdict = judge(&[expected], answer, Some(&kubectl));
        assert!(
            verdict.correct && verdict.by_kubectl,
            "{answer}: {verdict:?}"
        );
    }
    // An empty --type is left out of the Secret, which the API server then stores as Opaque.
    let verdict = judge(
        &["kubectl create secret generic s --from-literal=A=1"],
        "kubectl create secret generic s --from-literal=A=1 --type=",
        Some(&kubectl),
    );
    assert!(verdict.correct && verdict.by_kubectl, "{verdict:?}");
}

#[test]
fn kubectl_renders_the_object_a_create_command_makes() {
    let Some(kubectl) = kubectl() else { return };
    let command = parse(
        "kubectl create cm app-config --from-literal=APP_COLOR=blue --from-literal APP_MODE=prod",
    )
    .unwrap();
    let object = kubectl
        .render(&command)
        .expect("kubectl renders a ConfigMap offline");
    assert_eq!(object["kind"], "ConfigMap");
    assert_eq!(object["metadata"]["name"], "app-config");
    assert_eq!(
        object["data"],
        serde_json::json!({"APP_COLOR": "blue", "APP_MODE": "prod"})
    );
    let command = parse("kubectl create deployment web --image=nginx -- sleep 10").unwrap();
    let object = kubectl
        .render(&command)
        .expect("kubectl renders a Deployment offline");
    assert_eq!(
        object["spec"]["template"]["spec"]["containers"][0]["command"],
        serde_json::json!(["sleep", "10"])
    );
}

#[test]
fn kubectl_is_never_asked_to_read_files_or_reach_a_server() {
    let Some(kubectl) = kubectl() else { return };
    for command in [
        "kubectl create configmap x --from-file=/etc/passwd",
        "kubectl create configmap x --from-env-file=/etc/environment",
        "kubectl create secret tls t --cert=/etc/ssl/a.crt --key=/etc/ssl/a.key",
        "kubectl apply -f pod.yaml",
        "kubectl run web --image=nginx",
        "kubectl get pods",
    ] {
        let parsed = parse(command).unwrap();
        assert_eq!(kubectl.render(&parsed), None, "{command}");
    }
}
