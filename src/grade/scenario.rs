//! Grades a troubleshooting scenario by what the cluster does: the learner's commands run in the
//! scenario's shell, the cluster settles (simulated time runs until nothing changes, at most ten
//! minutes), then each check looks at the final objects, the exam machine's files or a kubectl
//! command's output. `deck check` proves each scenario the same way: its solution passes, each
//! wrong script fails the checks it names.

use serde_json::Value;

use super::checks::{self, Context, Outcome};
use super::report::{CheckResult, GradeReport};
use super::resources::Resource;
use crate::cluster::kubectl::Output;
use crate::cluster::labels::Selector;
use crate::cluster::shell::Shell;
use crate::cluster::sim::Cluster;
use crate::diagnostic::{Problem, Severity};
use crate::model::world::Scenario;
use crate::model::{Check, CheckRule, Deck, FieldExpect, ItemId, Target};

/// A scenario's cluster and shell, ready for the learner.
pub fn start(scenario: &Scenario) -> Result<Shell, String> {
    Cluster::start(&scenario.world).map(Shell::new)
}

/// An editor for scripts: no one is there to type, so an edit changes nothing.
pub fn no_editor(_: &str) -> Option<String> {
    None
}

/// Runs a script (one command per line) from the scenario's start, then grades.
pub fn run_script(
    id: &ItemId,
    scenario: &Scenario,
    script: &str,
    language: &str,
) -> Result<(Vec<(String, Output)>, GradeReport), String> {
    let mut shell = start(scenario)?;
    let initial = shell.cluster.clone();
    let transcript = shell.run_script(script, &mut no_editor);
    let report = grade(id, scenario, &initial, &mut shell, language);
    Ok((transcript, report))
}

/// Lets the cluster settle, then judges every check.
pub fn grade(
    id: &ItemId,
    scenario: &Scenario,
    initial: &Cluster,
    shell: &mut Shell,
    language: &str,
) -> GradeReport {
    shell.cluster.settle();
    let results = scenario
        .checks
        .iter()
        .map(|check| {
            let outcome = evaluate(check, initial, shell);
            CheckResult {
                id: check.id.to_string(),
                passed: outcome.passed,
                weight: check.points,
                message: check.message.get(language).to_string(),
                detail: outcome.detail,
                path: outcome.path,
                line: None,
            }
        })
        .collect();
    GradeReport::new(id.to_string(), results, Vec::new())
}

fn verdict(passed: bool, detail: String) -> Outcome {
    Outcome {
        passed,
        detail: Some(detail),
        path: None,
        line: None,
    }
}

fn resource(object: &Value) -> Resource<'static> {
    Resource {
        kind: object
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        name: object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        object: object.clone(),
        node: None,
        document: 0,
    }
}

/// The objects a check's target names, with their kind filled in.
fn targets(
    cluster: &Cluster,
    target: &Target,
    selector: Option<&str>,
    namespace: &str,
) -> Result<Vec<Value>, String> {
    let info = crate::manifest::schema::kind_by_name(&target.kind, None)
        .ok_or_else(|| format!("kubedrill knows no kind `{}`", target.kind))?;
    let with_kind = |object: &Value| {
        let mut object = object.clone();
        object["kind"] = Value::String(info.kind.to_string());
        object["apiVersion"] = Value::String(info.api_version.to_string());
        object
    };
    match selector {
        Some(selector) => {
            let selector = Selector::parse(selector)?;
            Ok(cluster
                .objects
                .list(info.kind, info.namespaced.then_some(namespace), &selector)
                .into_iter()
                .map(|(_, object)| with_kind(object))
                .collect())
        }
        None => Ok(cluster
            .objects
            .find(info.kind, namespace, &target.name)
            .map(|object| vec![with_kind(object)])
            .unwrap_or_default()),
    }
}

fn text_expect(found: &str, expect: &FieldExpect) -> (bool, String) {
    let trimmed = found.trim();
    match expect {
        FieldExpect::Equals(Value::String(wanted)) => (
            trimmed == wanted.trim(),
            format!("it holds `{}`", crate::text::escape_controls(trimmed)),
        ),
        FieldExpect::Equals(other) => (
            *other == Value::String(trimmed.to_string()) || trimmed == other.to_string().as_str(),
            format!("it holds `{}`", crate::text::escape_controls(trimmed)),
        ),
        FieldExpect::Contains(Value::String(wanted)) => (
            found.contains(wanted.as_str()),
            format!(
                "it holds `{}`",
                crate::text::escape_controls(&shorten(trimmed))
            ),
        ),
        FieldExpect::Matches(pattern) => (
            regex_lite::Regex::new(pattern).is_ok_and(|regex| regex.is_match(trimmed)),
            format!(
                "it holds `{}`",
                crate::text::escape_controls(&shorten(trimmed))
            ),
        ),
        FieldExpect::Present(wanted) => (
            trimmed.is_empty() != *wanted,
            if trimmed.is_empty() {
                "it is empty".into()
            } else {
                "it has text".into()
            },
        ),
        _ => (
            false,
            "this check's expectation does not apply to text".into(),
        ),
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 120 {
        format!("{}…", text.chars().take(120).collect::<String>())
    } else {
        text.to_string()
    }
}

/// The kinds a `connection`, `route` or `binding` check looks at on the live cluster.
const OUTCOME_KINDS: &[&str] = &[
    "Pod",
    "Namespace",
    "NetworkPolicy",
    "Service",
    "Ingress",
    "Gateway",
    "HTTPRoute",
    "ReferenceGrant",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "StorageClass",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
];

fn evaluate(check: &Check, initial: &Cluster, shell: &mut Shell) -> Outcome {
    match &check.rule {
        CheckRule::File { path, expect } => {
            let path = crate::cluster::kubectl::absolute(path);
            match shell.cluster.files.get(&path) {
                None => verdict(
                    matches!(expect, FieldExpect::Present(false)),
                    format!("there is no file {path}"),
                ),
                Some(found) => {
                    let (passed, detail) = text_expect(found, expect);
                    verdict(passed, format!("{path}: {detail}"))
                }
            }
        }
        CheckRule::Output { command, expect } => {
            let mut probe = shell.clone();
            let words: Vec<String> = match shlex::split(command) {
                Some(words)
                    if words
                        .first()
                        .is_some_and(|first| first == "kubectl" || first == "k") =>
                {
                    words[1..].to_vec()
                }
                _ => return verdict(false, format!("`{command}` is not a kubectl command")),
            };
            let output =
                crate::cluster::kubectl::run(&mut probe.cluster, &words, None, &mut no_editor);
            let (passed, detail) =
                text_expect(&format!("{}{}", output.stdout, output.stderr), expect);
            verdict(passed, format!("`{command}`: {detail}"))
        }
        rule @ (CheckRule::Connection { .. } | CheckRule::Route { .. } | CheckRule::Binding(_)) => {
            let namespace = check
                .namespace
                .clone()
                .unwrap_or_else(|| shell.cluster.namespace.clone());
            let objects: Vec<Value> = OUTCOME_KINDS
                .iter()
                .flat_map(|kind| shell.cluster.list(kind, None))
                .collect();
            let objects: Vec<&Value> = objects.iter().collect();
            let (passed, detail) =
                crate::grade::outcome::evaluate(rule, check.target.as_ref(), &objects, &namespace)
                    .unwrap_or((false, "not an outcome check".to_string()));
            verdict(passed, detail)
        }
        rule => {
            let Some(target) = &check.target else {
                return verdict(false, "this check names no target".into());
            };
            // An endpoints check's selector picks the Pods, not the Service.
            let selector = match rule {
                CheckRule::Endpoints { .. } => None,
                _ => check.selector.as_deref(),
            };
            let namespace = check
                .namespace
                .clone()
                .unwrap_or_else(|| shell.cluster.namespace.clone());
            let found = match targets(&shell.cluster, target, selector, &namespace) {
                Ok(found) => found,
                Err(why) => return verdict(false, why),
            };
            let what = match selector {
                Some(selector) => format!("{} with {selector}", target.kind),
                None => format!("{} `{}`", target.kind, target.name),
            };
            match rule {
                CheckRule::Count(expect) => {
                    let count = found.len();
                    let passed = match expect {
                        FieldExpect::Equals(wanted) => wanted.as_u64() == Some(count as u64),
                        FieldExpect::Compare(comparison, bound) => {
                            let count = count as f64;
                            match comparison {
                                crate::model::Comparison::Greater => count > *bound,
                                crate::model::Comparison::GreaterOrEqual => count >= *bound,
                                crate::model::Comparison::Less => count < *bound,
                                crate::model::Comparison::LessOrEqual => count <= *bound,
                            }
                        }
                        _ => false,
                    };
                    return verdict(passed, format!("the cluster has {count} {what}"));
                }
                CheckRule::Unchanged { path } => {
                    let before =
                        match targets(initial, target, check.selector.as_deref(), &namespace) {
                            Ok(before) => before,
                            Err(why) => return verdict(false, why),
                        };
                    if found.is_empty() {
                        return verdict(false, format!("the cluster has no {what} any more"));
                    }
                    let pointer = format!("/{}", path.replace('.', "/"));
                    let changed: Vec<String> = found
                        .iter()
                        .filter(|object| {
                            let name = object.pointer("/metadata/name");
                            let old = before
                                .iter()
                                .find(|old| old.pointer("/metadata/name") == name);
                            old.is_none_or(|old| old.pointer(&pointer) != object.pointer(&pointer))
                        })
                        .filter_map(|object| {
                            object
                                .pointer("/metadata/name")
                                .and_then(Value::as_str)
                                .map(str::to_string)
                        })
                        .collect();
                    return if changed.is_empty() {
                        verdict(true, format!("`{path}` of {what} is as it was"))
                    } else {
                        verdict(
                            false,
                            format!(
                                "`{path}` of {} changed (or it was made anew)",
                                changed.join(", ")
                            ),
                        )
                    };
                }
                CheckRule::Endpoints { selector, port } => {
                    return endpoints(&shell.cluster, &found, selector, *port, &what);
                }
                _ => {}
            }
            if found.is_empty() {
                return verdict(false, format!("the cluster has no {what}"));
            }
            let images = crate::cluster::pods::images(&shell.cluster);
            let related: Vec<Resource<'static>> = ["ConfigMap", "Secret"]
                .iter()
                .flat_map(|kind| shell.cluster.list(kind, Some(&namespace)))
                .map(|object| resource(&object))
                .collect();
            for object in &found {
                let answer = vec![resource(object)];
                let mut named = check.clone();
                named.target = Some(Target {
                    kind: answer[0].kind.clone(),
                    name: answer[0].name.clone(),
                });
                let context = Context {
                    answer: &answer,
                    cluster: answer.iter().chain(related.iter()).collect(),
                    images: &images,
                    targets: Vec::new(),
                };
                let outcome = checks::evaluate(&named, &context);
                if !outcome.passed {
                    let detail = outcome
                        .detail
                        .map(|detail| format!("{} `{}`: {detail}", answer[0].kind, answer[0].name));
                    return Outcome { detail, ..outcome };
                }
            }
            verdict(true, format!("{what}: every one passes"))
        }
    }
}

fn endpoints(
    cluster: &Cluster,
    services: &[Value],
    selector: &str,
    port: u32,
    what: &str,
) -> Outcome {
    let Some(service) = services.first() else {
        return verdict(false, format!("the cluster has no {what}"));
    };
    let Ok(selector) = Selector::parse(selector) else {
        return verdict(false, format!("`{selector}` is not a label selector"));
    };
    let namespace = service
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("default");
    let wanted: std::collections::BTreeSet<String> = cluster
        .objects
        .list("Pod", Some(namespace), &selector)
        .into_iter()
        .filter(|(_, pod)| crate::cluster::condition_true(pod, "Ready"))
        .filter_map(|(_, pod)| {
            pod.pointer("/status/podIP")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    let name = service
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut have = std::collections::BTreeSet::new();
    let mut ports = std::collections::BTreeSet::new();
    for slice in cluster.list("EndpointSlice", Some(namespace)) {
        if slice
            .pointer("/metadata/labels/kubernetes.io~1service-name")
            .and_then(Value::as_str)
            != Some(name)
        {
            continue;
        }
        for slice_port in slice
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(number) = slice_port.get("port").and_then(Value::as_u64) {
                ports.insert(number as u32);
            }
        }
        for endpoint in slice
            .get("endpoints")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if endpoint
                .pointer("/conditions/ready")
                .and_then(Value::as_bool)
                != Some(false)
                && let Some(address) = endpoint.pointer("/addresses/0").and_then(Value::as_str)
            {
                have.insert(address.to_string());
            }
        }
    }
    let shown = |set: &std::collections::BTreeSet<String>| {
        if set.is_empty() {
            "none".to_string()
        } else {
            set.iter().cloned().collect::<Vec<_>>().join(", ")
        }
    };
    if wanted.is_empty() {
        return verdict(false, "no ready Pod matches the selector".into());
    }
    if have != wanted {
        return verdict(
            false,
            format!(
                "Service `{name}` has endpoints {}; the ready Pods are {}",
                shown(&have),
                shown(&wanted)
            ),
        );
    }
    if !ports.contains(&port) || ports.len() != 1 {
        return verdict(
            false,
            format!(
                "Service `{name}`'s endpoints are on port {}, not {port}",
                ports
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    verdict(
        true,
        format!("Service `{name}` has every ready Pod on port {port}"),
    )
}

/// Every scenario problem of a deck: a solution that does not pass, a wrong script that does not
/// fail where it says.
pub fn prove(deck: &Deck) -> Vec<Problem> {
    let mut problems = Vec::new();
    for topic in &deck.topics {
        for template in &topic.scenarios {
            let id = ItemId {
                topic: topic.id.clone(),
                item: template.id.clone(),
            };
            let per_variant: Vec<Vec<Problem>> = (0..template.variant_count())
                .map(|index| prove_scenario(&id, template.variant(index)))
                .collect();
            problems.extend(super::prove::merge_variant_problems(
                &per_variant,
                |index| {
                    template
                        .variant_label(index)
                        .unwrap_or_default()
                        .to_string()
                },
            ));
        }
    }
    problems
}

fn prove_scenario(id: &ItemId, scenario: &Scenario) -> Vec<Problem> {
    let at = |line: usize, rule: &'static str, message: String| Problem {
        severity: Severity::Error,
        file: scenario.origin.file.clone(),
        line,
        column: 1,
        item: Some(format!("scenario `{}`", scenario.id)),
        rule,
        message,
        help: None,
        span: None,
    };
    let mut problems = Vec::new();
    match run_script(id, scenario, &scenario.solution, "en") {
        Err(why) => problems.push(at(
            scenario.origin.id_line,
            "scenario-broken",
            format!("the starting cluster cannot be made: {why}"),
        )),
        Ok((_, report)) => {
            let failed: Vec<String> = report
                .checks
                .iter()
                .filter(|check| !check.passed)
                .map(|check| {
                    format!(
                        "`{}` ({})",
                        check.id,
                        check.detail.clone().unwrap_or_default()
                    )
                })
                .collect();
            if !failed.is_empty() {
                problems.push(at(
                    scenario.origin.solution_line,
                    "solution-fails",
                    format!("the solution does not pass: {}", failed.join("; ")),
                ));
            }
            // A scenario already solved before anything is typed teaches nothing.
            if let Ok((_, untouched)) = run_script(id, scenario, "", "en")
                && untouched.passed
            {
                problems.push(at(scenario.origin.id_line, "already-solved", "the scenario passes before anything is done: its checks do not look at the fault".into()));
            }
        }
    }
    for wrong in &scenario.wrong {
        let Ok((_, report)) = run_script(id, scenario, &wrong.script, "en") else {
            continue;
        };
        for wanted in &wrong.fails {
            if report
                .check(wanted.as_str())
                .is_some_and(|check| check.passed)
            {
                problems.push(at(
                    wrong.line,
                    "wrong-passes",
                    format!("this wrong script passes the check `{wanted}` it is meant to fail"),
                ));
            }
        }
    }
    problems
}
