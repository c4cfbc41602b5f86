//! The reading commands besides get and describe: logs, events, top, auth can-i, config,
//! explain, and rollout (status, history, undo, restart, pause, resume).

use crate::cluster::At as _;
use serde_json::{Value, json};

use super::{Output, Run, kind_of, qualified, targets, text};
use crate::cluster::deployment::OWN_ANNOTATIONS;
use crate::cluster::labels::Selector;
use crate::cluster::print::{human_duration, table};
use crate::cluster::rollout::{History, Revision, rollout_status};

pub(super) fn logs(run: &mut Run<'_>) -> Output {
    let Some(first) = run.typed.positional.first().cloned() else {
        return Output::error(
            "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples",
        );
    };
    let pod_name = match first.split_once('/') {
        // `deployment/web`: one of its Pods, as kubectl picks.
        Some((kind, name)) => match super::pod_for(run, kind, name, |info| {
            format!("error: no pods found for {}", qualified(info, name))
        }) {
            Ok(pod) => pod,
            Err(output) => return output,
        },
        None => first,
    };
    let pod = match run.cluster.objects.find("Pod", &run.namespace, &pod_name) {
        Ok(pod) => pod.clone(),
        Err(error) => return Output::api(&error),
    };
    let containers: Vec<String> = ["/spec/initContainers", "/spec/containers"]
        .iter()
        .flat_map(|pointer| {
            pod.at(pointer)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .map(|container| text(&container, "/name").to_string())
        .collect();
    let apps: Vec<String> = pod
        .at("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|container| text(container, "/name").to_string())
        .collect();
    let container = run
        .flag("container")
        .map(str::to_string)
        .or_else(|| run.typed.positional.get(1).cloned());
    let container = match container {
        Some(name) if containers.contains(&name) => name,
        Some(name) => {
            return Output::error(format!(
                "error: container {name} is not valid for pod {pod_name}"
            ));
        }
        None if apps.len() == 1 => apps[0].clone(),
        None => {
            let default = pod
                .at("/metadata/annotations/kubectl.kubernetes.io~1default-container")
                .and_then(Value::as_str)
                .map_or_else(|| apps.first().cloned().unwrap_or_default(), str::to_string);
            let mut out = print_logs(run, &pod, &pod_name, &default);
            out.stderr.insert_str(
                0,
                &format!(
                    "Defaulted container \"{default}\" out of: {}\n",
                    containers.join(", ")
                ),
            );
            return out;
        }
    };
    print_logs(run, &pod, &pod_name, &container)
}

fn print_logs(run: &Run<'_>, pod: &Value, pod_name: &str, container: &str) -> Output {
    let key = (
        run.namespace.clone(),
        pod_name.to_string(),
        container.to_string(),
    );
    let runtime = run.cluster.runtime.get(&key).cloned().unwrap_or_default();
    let lines = if run.typed.on("previous") {
        match runtime.previous_logs {
            Some(lines) => lines,
            None => {
                return Output::error(format!(
                    "Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{pod_name}\" not found"
                ));
            }
        }
    } else {
        if !runtime_started(pod, container) && runtime.logs.is_empty() {
            let reason = waiting_reason(pod, container);
            return Output::error(format!(
                "Error from server (BadRequest): container \"{container}\" in pod \"{pod_name}\" is waiting to start: {}",
                // The kubelet's words (validateContainerLogStatus).
                match reason.as_str() {
                    "" => "ContainerCreating".to_string(),
                    "ErrImagePull" | "ImagePullBackOff" =>
                        "trying and failing to pull image".to_string(),
                    other => other.to_string(),
                }
            ));
        }
        if runtime.logs.is_empty() && waiting_reason(pod, container) == "CrashLoopBackOff" {
            // Between restarts there is no current container: the kubelet serves the last one's.
            runtime.previous_logs.unwrap_or_default()
        } else {
            runtime.logs
        }
    };
    let tail = run
        .flag("tail")
        .and_then(|value| value.parse::<i64>().ok())
        .unwrap_or(-1);
    let shown: Vec<String> = if tail >= 0 {
        lines
            .iter()
            .rev()
            .take(tail as usize)
            .rev()
            .map(|line| crate::text::escape_controls(line).into_owned())
            .collect()
    } else {
        lines
            .iter()
            .map(|line| crate::text::escape_controls(line).into_owned())
            .collect()
    };
    let mut text = shown.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    Output::out(text)
}

fn runtime_started(pod: &Value, container: &str) -> bool {
    ["/status/containerStatuses", "/status/initContainerStatuses"]
        .iter()
        .any(|pointer| {
            pod.at(pointer)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|status| {
                    text(status, "/name") == container
                        && (status.at("/state/waiting").is_none()
                            || status.at("/lastState/terminated").is_some())
                })
        })
}

fn waiting_reason(pod: &Value, container: &str) -> String {
    ["/status/containerStatuses", "/status/initContainerStatuses"]
        .iter()
        .filter_map(|pointer| pod.at(pointer).and_then(Value::as_array))
        .flatten()
        .find(|status| text(status, "/name") == container)
        .map(|status| text(status, "/state/waiting/reason").to_string())
        .unwrap_or_default()
}

/// `kubectl events` (and `get events`' rows): LAST SEEN, TYPE, REASON, OBJECT, MESSAGE.
/// The event fields `--field-selector` may name (the API server's field set for events).
const EVENT_FIELDS: [&str; 8] = [
    "metadata.namespace",
    "involvedObject.kind",
    "involvedObject.name",
    "involvedObject.namespace",
    "reason",
    "source",
    "reportingComponent",
    "type",
];

/// `kubectl events`, or `kubectl get events` (`by_get`): the same columns; `get` lists them in
/// the API server's order (by event name: the object's name, then when) and says "No
/// resources found" when there are none.
pub(super) fn events(run: &mut Run<'_>, by_get: bool) -> Output {
    let for_object = run.flag("for").map(str::to_string);
    let types: Vec<String> = run
        .typed
        .all("types")
        .iter()
        .flat_map(|types| types.split(','))
        .map(str::to_string)
        .collect();
    // The fields the API server selects events on (others are refused, in its words).
    let field_selector = run.flag("field-selector").map(str::to_string);
    if let Some(selector) = &field_selector {
        for term in selector.split(',') {
            let field = term.split(['!', '=']).next().unwrap_or_default().trim();
            if !EVENT_FIELDS.contains(&field) {
                return Output::error(format!(
                    "Error from server (BadRequest): Unable to find \"/v1, Resource=events\" that match label selector \"\", field selector \"{selector}\": field label not supported: {field}"
                ));
            }
        }
    }
    let mut list: Vec<&crate::cluster::sim::Event> = run
        .cluster
        .events
        .iter()
        .filter(|event| {
            run.all_namespaces || event.namespace == run.namespace || event.kind == "Node"
        })
        .filter(|event| {
            field_selector.as_deref().is_none_or(|selector| {
                let fields = json!({
                    "metadata": {"namespace": event.namespace},
                    "involvedObject": {"kind": event.kind, "name": event.name, "namespace": event.namespace},
                    "reason": event.reason,
                    "source": event.source,
                    "reportingComponent": event.source,
                    "type": if event.normal { "Normal" } else { "Warning" },
                });
                super::get::field_match(&fields, selector)
            })
        })
        .filter(|event| {
            for_object.as_deref().is_none_or(|wanted| {
                let (kind, name) = wanted.split_once('/').unwrap_or(("pod", wanted));
                kind_of(kind).is_ok_and(|info| info.kind == event.kind) && event.name == name
            })
        })
        .filter(|event| {
            types.is_empty()
                || types.iter().any(|kind| {
                    kind.eq_ignore_ascii_case(if event.normal { "Normal" } else { "Warning" })
                })
        })
        .collect();
    if by_get {
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.first.cmp(&b.first)));
    } else {
        list.sort_by_key(|event| event.last);
    }
    if list.is_empty() {
        let what = if by_get { "resources" } else { "events" };
        return Output {
            stderr: if run.all_namespaces {
                format!("No {what} found\n")
            } else {
                format!("No {what} found in {} namespace.\n", run.namespace)
            },
            ..Output::default()
        };
    }
    let mut headers = vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"];
    if run.all_namespaces {
        headers.insert(0, "NAMESPACE");
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|event| {
            let since = human_duration(run.cluster.now.duration_since(event.last));
            let seen = if event.count > 1 {
                format!(
                    "{since} (x{} over {})",
                    event.count,
                    human_duration(run.cluster.now.duration_since(event.first))
                )
            } else {
                since
            };
            let mut row = vec![
                seen,
                if event.normal { "Normal" } else { "Warning" }.to_string(),
                event.reason.clone(),
                format!("{}/{}", event.kind, event.name),
                crate::text::escape_controls(&event.message).into_owned(),
            ];
            if run.all_namespaces {
                row.insert(0, event.namespace.clone());
            }
            row
        })
        .collect();
    Output::out(table(&headers, &rows))
}

fn metrics_available(run: &Run<'_>) -> bool {
    !run.cluster.node_usage.is_empty()
        || run
            .cluster
            .behaviors
            .iter()
            .any(|rule| rule.cpu.is_some() || rule.memory.is_some())
}

pub(super) fn top(run: &mut Run<'_>, what: &str) -> Output {
    if !metrics_available(run) {
        return Output::error("error: Metrics API not available");
    }
    let millicores =
        |text: &str| crate::manifest::quantity::parse(text).map_or(0.0, |cores| cores * 1000.0);
    let mebibytes = |text: &str| {
        crate::manifest::quantity::parse(text).map_or(0.0, |bytes| bytes / 1_048_576.0)
    };
    if what == "node" {
        let mut rows = Vec::new();
        for node in run.cluster.list("Node", None) {
            let name = text(&node, "/metadata/name").to_string();
            if run
                .typed
                .positional
                .first()
                .is_some_and(|wanted| *wanted != name)
            {
                continue;
            }
            if run.cluster.stopped_kubelets.contains(&name) {
                rows.push(vec![
                    name,
                    "<unknown>".into(),
                    "<unknown>".into(),
                    "<unknown>".into(),
                    "<unknown>".into(),
                ]);
                continue;
            }
            let (cpu, memory) = run
                .cluster
                .node_usage
                .get(&name)
                .cloned()
                .unwrap_or_else(|| ("100m".into(), "1Gi".into()));
            let capacity_cpu = millicores(text(&node, "/status/allocatable/cpu"));
            let capacity_memory = mebibytes(text(&node, "/status/allocatable/memory"));
            rows.push(vec![
                name,
                format!("{}m", millicores(&cpu).round()),
                format!(
                    "{}%",
                    (millicores(&cpu) * 100.0 / capacity_cpu.max(1.0)).round()
                ),
                format!("{}Mi", mebibytes(&memory).round()),
                format!(
                    "{}%",
                    (mebibytes(&memory) * 100.0 / capacity_memory.max(1.0)).round()
                ),
            ]);
        }
        return Output::out(table(
            &["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"],
            &rows,
        ));
    }
    let selector = match run.flag("selector").map(Selector::parse).transpose() {
        Ok(selector) => selector.unwrap_or_default(),
        Err(why) => return Output::error(format!("error: {why}")),
    };
    let namespace = if run.all_namespaces {
        None
    } else {
        Some(run.namespace.clone())
    };
    let pods: Vec<Value> = run
        .cluster
        .objects
        .list("Pod", namespace.as_deref(), &selector)
        .into_iter()
        .map(|(_, pod)| pod.clone())
        .collect();
    let mut rows: Vec<(f64, f64, Vec<String>)> = Vec::new();
    for pod in pods {
        let name = text(&pod, "/metadata/name").to_string();
        if run
            .typed
            .positional
            .first()
            .is_some_and(|wanted| *wanted != name)
            || text(&pod, "/status/phase") != "Running"
        {
            continue;
        }
        let namespace = text(&pod, "/metadata/namespace").to_string();
        let (mut cpu, mut memory) = (0.0, 0.0);
        for ((ns, pod_name, _), runtime) in &run.cluster.runtime {
            if *ns == namespace
                && *pod_name == name
                && runtime.state == crate::cluster::pods::State::Running
            {
                cpu += millicores(runtime.cpu.as_deref().unwrap_or("1m"));
                memory += mebibytes(runtime.memory.as_deref().unwrap_or("4Mi"));
            }
        }
        let mut row = vec![
            name,
            format!("{}m", cpu.round()),
            format!("{}Mi", memory.round()),
        ];
        if run.all_namespaces {
            row.insert(0, namespace);
        }
        rows.push((cpu, memory, row));
    }
    if rows.is_empty() {
        return Output {
            stderr: format!("No resources found in {} namespace.\n", run.namespace),
            ..Output::default()
        };
    }
    match run.flag("sort-by") {
        Some("cpu") => rows.sort_by(|a, b| b.0.total_cmp(&a.0)),
        Some("memory") => rows.sort_by(|a, b| b.1.total_cmp(&a.1)),
        _ => {}
    }
    let mut headers = vec!["NAME", "CPU(cores)", "MEMORY(bytes)"];
    if run.all_namespaces {
        headers.insert(0, "NAMESPACE");
    }
    let rows: Vec<Vec<String>> = rows.into_iter().map(|(_, _, row)| row).collect();
    let text = table(&headers, &rows);
    if run.typed.on("no-headers") {
        return Output::out(
            text.split_once('\n')
                .map_or(String::new(), |(_, rest)| rest.to_string()),
        );
    }
    Output::out(text)
}

/// `auth can-i VERB RESOURCE [--as]`: the cluster's RBAC, with the admin's own answer `yes`.
pub(super) fn can_i(run: &mut Run<'_>) -> Output {
    let verb = run.typed.positional.first().cloned().unwrap_or_default();
    let resource = run.typed.positional.get(1).cloned().unwrap_or_default();
    let Some(user) = run.flag("as").map(str::to_string) else {
        return Output::out("yes\n");
    };
    let (kind_word, name) = resource
        .split_once('/')
        .map_or((resource.as_str(), None), |(kind, name)| (kind, Some(name)));
    let plural =
        kind_of(kind_word).map_or_else(|_| kind_word.to_string(), |info| info.plural.to_string());
    let namespace = run.namespace.clone();
    let subject_matches = |subject: &Value| match user.strip_prefix("system:serviceaccount:") {
        Some(rest) => {
            let (ns, sa) = rest.split_once(':').unwrap_or(("", rest));
            text(subject, "/kind") == "ServiceAccount"
                && text(subject, "/name") == sa
                && text(subject, "/namespace") == ns
        }
        None => text(subject, "/kind") == "User" && text(subject, "/name") == user,
    };
    let rule_allows = |rule: &Value| {
        let has = |field: &str, wanted: &str| {
            rule.get(field)
                .and_then(Value::as_array)
                .is_some_and(|list| {
                    list.iter()
                        .any(|item| item.as_str() == Some(wanted) || item.as_str() == Some("*"))
                })
        };
        has("verbs", &verb)
            && has("resources", &plural)
            && rule
                .get("resourceNames")
                .and_then(Value::as_array)
                .is_none_or(|names| {
                    names.is_empty()
                        || name.is_some_and(|name| {
                            names.iter().any(|item| item.as_str() == Some(name))
                        })
                })
    };
    let mut allowed = false;
    for (binding_kind, role_namespace) in [
        ("RoleBinding", Some(namespace.as_str())),
        ("ClusterRoleBinding", None),
    ] {
        for binding in run.cluster.list(binding_kind, role_namespace) {
            if !binding
                .get("subjects")
                .and_then(Value::as_array)
                .is_some_and(|subjects| subjects.iter().any(subject_matches))
            {
                continue;
            }
            let role_kind = text(&binding, "/roleRef/kind");
            let role_name = text(&binding, "/roleRef/name");
            let role = if role_kind == "Role" {
                run.cluster.objects.find("Role", &namespace, role_name).ok()
            } else {
                run.cluster.objects.find("ClusterRole", "", role_name).ok()
            };
            if role
                .and_then(|role| role.get("rules"))
                .and_then(Value::as_array)
                .is_some_and(|rules| rules.iter().any(rule_allows))
            {
                allowed = true;
            }
        }
    }
    if allowed {
        Output::out("yes\n")
    } else {
        Output {
            stdout: "no\n".into(),
            code: 1,
            ..Output::default()
        }
    }
}

pub(super) fn config(run: &mut Run<'_>, what: &str) -> Output {
    match what {
        "current-context" => Output::out("kubernetes-admin@kubernetes\n"),
        "get-contexts" => Output::out(table(
            &["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"],
            &[vec![
                "*".into(),
                "kubernetes-admin@kubernetes".into(),
                "kubernetes".into(),
                "kubernetes-admin".into(),
                if run.cluster.namespace == "default" {
                    String::new()
                } else {
                    run.cluster.namespace.clone()
                },
            ]],
        )),
        "set-context" => match run.flag("namespace") {
            Some(namespace) => {
                run.cluster.namespace = namespace.to_string();
                Output::out("Context \"kubernetes-admin@kubernetes\" modified.\n")
            }
            None => Output::out("Context \"kubernetes-admin@kubernetes\" modified.\n"),
        },
        "use-context" => {
            let name = run.typed.positional.first().cloned().unwrap_or_default();
            if name == "kubernetes-admin@kubernetes" {
                Output::out(format!("Switched to context \"{name}\".\n"))
            } else {
                Output::error(format!(
                    "error: no context exists with the name: \"{name}\""
                ))
            }
        }
        _ => {
            let namespace = if run.cluster.namespace == "default" {
                String::new()
            } else {
                format!("\n    namespace: {}", run.cluster.namespace)
            };
            Output::out(format!(
                "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: https://controlplane:6443\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes{namespace}\n    user: kubernetes-admin\n  name: kubernetes-admin@kubernetes\ncurrent-context: kubernetes-admin@kubernetes\nkind: Config\npreferences: {{}}\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: DATA+OMITTED\n    client-key-data: DATA+OMITTED\n"
            ))
        }
    }
}

pub(super) fn explain(run: &Run<'_>) -> Output {
    let query = run.typed.positional.join(" ");
    match crate::manifest::schema::explain(&query) {
        Ok(explanation) => Output::out(explanation.render()),
        Err(error) => Output::error(format!("error: {error}")),
    }
}

/// The Deployment's revisions (by template hash) and each revision's Pod template.
/// A Deployment's revisions, and each revision's ReplicaSet (hash, Pod template, annotations).
fn history_of(run: &Run<'_>, deployment: &Value) -> (History, Vec<(String, Value, Value)>) {
    let uid = text(deployment, "/metadata/uid");
    let mut entries = Vec::new();
    let mut templates = Vec::new();
    for replicaset in run
        .cluster
        .list("ReplicaSet", Some(text(deployment, "/metadata/namespace")))
        .into_iter()
        .filter(|replicaset| text(replicaset, "/metadata/ownerReferences/0/uid") == uid)
    {
        let hash = text(&replicaset, "/metadata/labels/pod-template-hash").to_string();
        entries.push(Revision {
            number: text(
                &replicaset,
                "/metadata/annotations/deployment.kubernetes.io~1revision",
            )
            .parse::<u64>()
            .unwrap_or(0),
            template: hash.clone(),
            change_cause: replicaset
                .at("/metadata/annotations/kubernetes.io~1change-cause")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
        templates.push((
            hash,
            replicaset.at("/spec/template").cloned().unwrap_or_default(),
            replicaset
                .at("/metadata/annotations")
                .cloned()
                .unwrap_or_default(),
        ));
    }
    (History::from_revisions(entries), templates)
}

pub(super) fn rollout(run: &mut Run<'_>, what: &str) -> Output {
    let targets = match targets(&run.typed.positional) {
        Ok(targets) => targets,
        Err(output) => return output,
    };
    let Some((info, Some(name))) = targets.into_iter().next() else {
        return Output::error(format!(
            "error: required resource not specified\nSee 'kubectl rollout {what} -h' for help and examples"
        ));
    };
    let label = qualified(info, &name);
    let deployment = match run.cluster.objects.find(info.kind, &run.namespace, &name) {
        Ok(object) => object.clone(),
        Err(error) => return Output::api(&error),
    };
    if info.kind != "Deployment" {
        return Output::error(format!(
            "error: the offline cluster rolls out Deployments only; {label} is a {}",
            info.kind
        ));
    }
    let paused = deployment.at("/spec/paused").and_then(Value::as_bool) == Some(true);
    match what {
        "restart" if paused => {
            return Output::error(format!(
                "error: deployments.apps \"{name}\" can't restart paused deployment (run rollout resume first)"
            ));
        }
        "undo" if paused => {
            return Output::error(
                "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
            );
        }
        _ => {}
    }
    match what {
        "status" => {
            let timeout = run
                .flag("timeout")
                .and_then(|value| value.trim_end_matches('s').parse::<i64>().ok());
            let watch = run.flag("watch").is_none_or(|value| value != "false");
            // Watching: let the rollout run (bounded, as `--timeout` or a few minutes would).
            let mut text_out = String::new();
            let limit = timeout.unwrap_or(if watch { 600 } else { 0 });
            let mut waited = 0;
            loop {
                let current = run
                    .cluster
                    .objects
                    .find("Deployment", &run.namespace, &name)
                    .cloned()
                    .unwrap_or_default();
                match rollout_status(&current) {
                    Err(message) => {
                        return Output {
                            stdout: text_out,
                            stderr: format!("error: {message}\n"),
                            code: 1,
                        };
                    }
                    Ok((message, done)) => {
                        if !text_out.ends_with(&format!("{message}\n")) {
                            text_out.push_str(&message);
                            text_out.push('\n');
                        }
                        if done || !watch || waited >= limit {
                            if !done && watch && waited >= limit && timeout.is_some() {
                                return Output {
                                    stdout: text_out,
                                    stderr: "error: timed out waiting for the condition\n".into(),
                                    code: 1,
                                };
                            }
                            return Output::out(text_out);
                        }
                    }
                }
                run.cluster.advance(jiff::SignedDuration::from_secs(1));
                waited += 1;
            }
        }
        "history" => {
            let (history, templates) = history_of(run, &deployment);
            if let Some(revision) = run
                .flag("revision")
                .and_then(|value| value.parse::<u64>().ok())
                .filter(|revision| *revision > 0)
            {
                let template = history
                    .revisions()
                    .into_iter()
                    .find(|entry| entry.number == revision)
                    .and_then(|entry| templates.iter().find(|(hash, ..)| *hash == entry.template))
                    .map(|(_, template, _)| template.clone());
                return match template {
                    Some(template) => Output::out(format!(
                        "{label} with revision #{revision}\n{}",
                        template_text(&template)
                    )),
                    None => Output::error("error: unable to find the specified revision"),
                };
            }
            Output::out(history.print(&label))
        }
        "undo" => {
            let (history, templates) = history_of(run, &deployment);
            let to = run
                .flag("to-revision")
                .and_then(|value| value.parse::<u64>().ok())
                .filter(|revision| *revision > 0);
            match history.undo_target(&name, to) {
                Err(crate::cluster::rollout::UndoError::Skipped(number)) => Output::out(format!(
                    "{label} skipped rollback (current template already matches revision {number})\n"
                )),
                Err(error) => Output::error(format!("error: {error}")),
                Ok(target) => {
                    let (mut template, annotations) = templates
                        .iter()
                        .find(|(hash, ..)| *hash == target.template)
                        .map(|(_, template, annotations)| (template.clone(), annotations.clone()))
                        .unwrap_or_default();
                    if let Some(labels) = template
                        .pointer_mut("/metadata/labels")
                        .and_then(Value::as_object_mut)
                    {
                        labels.remove("pod-template-hash");
                    }
                    let mut updated = deployment.clone();
                    updated["spec"]["template"] = template;
                    if let Some(map) = updated["metadata"].as_object_mut() {
                        map.remove("resourceVersion");
                    }
                    let skipped = updated.get("spec") == deployment.get("spec");
                    // As kubectl's rollbacker does, the Deployment's annotations are replaced:
                    // it keeps its own revision bookkeeping and last-applied configuration and
                    // takes every other annotation (the change-cause among them) from the
                    // ReplicaSet it restores, so the new revision carries that revision's cause.
                    let mut merged = serde_json::Map::new();
                    if let Some(own) = deployment
                        .at("/metadata/annotations")
                        .and_then(Value::as_object)
                    {
                        for (key, value) in own {
                            if OWN_ANNOTATIONS.contains(&key.as_str()) {
                                merged.insert(key.clone(), value.clone());
                            }
                        }
                    }
                    if let Some(restored) = annotations.as_object() {
                        for (key, value) in restored {
                            if !OWN_ANNOTATIONS.contains(&key.as_str()) {
                                merged.insert(key.clone(), value.clone());
                            }
                        }
                    }
                    updated["metadata"]["annotations"] = Value::Object(merged);
                    if skipped {
                        return Output::out(format!(
                            "{label} skipped rollback (current template already matches revision {})\n",
                            target.number
                        ));
                    }
                    match run.cluster.objects.replace(updated, &run.namespace) {
                        Ok(_) => Output::out(format!("{label} rolled back\n")),
                        Err(error) => Output::api(&error),
                    }
                }
            }
        }
        "restart" => {
            let mut updated = deployment;
            if !updated
                .at("/spec/template/metadata/annotations")
                .is_some_and(Value::is_object)
            {
                updated["spec"]["template"]["metadata"]["annotations"] = json!({});
            }
            updated["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] =
                json!(run.cluster.now.to_string());
            if let Some(map) = updated["metadata"].as_object_mut() {
                map.remove("resourceVersion");
            }
            match run.cluster.objects.replace(updated, &run.namespace) {
                Ok(_) => Output::out(format!("{label} restarted\n")),
                Err(error) => Output::api(&error),
            }
        }
        "pause" | "resume" => {
            let pause = what == "pause";
            let paused = deployment.at("/spec/paused").and_then(Value::as_bool) == Some(true);
            if paused == pause {
                return Output::error(format!(
                    "error: {label} is {}",
                    if pause {
                        "already paused"
                    } else {
                        "not paused"
                    }
                ));
            }
            let mut updated = deployment;
            if pause {
                updated["spec"]["paused"] = json!(true);
            } else if let Some(spec) = updated["spec"].as_object_mut() {
                spec.remove("paused");
            }
            if let Some(map) = updated["metadata"].as_object_mut() {
                map.remove("resourceVersion");
            }
            match run.cluster.objects.replace(updated, &run.namespace) {
                Ok(_) => Output::out(format!(
                    "{label} {}\n",
                    if pause { "paused" } else { "resumed" }
                )),
                Err(error) => Output::api(&error),
            }
        }
        other => Output::error(format!(
            "error: unknown command \"{other}\" for \"kubectl rollout\""
        )),
    }
}

/// A revision's Pod template as `rollout history --revision` prints it.
fn template_text(template: &Value) -> String {
    let mut out = String::from("Pod Template:\n");
    let labels: Vec<String> = template
        .at("/metadata/labels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(key, value)| format!("{key}={}", value.as_str().unwrap_or_default()))
        .collect();
    out.push_str(&format!("  Labels:\t{}\n", labels.join("\n\t")));
    out.push_str("  Containers:\n");
    for container in template
        .at("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.push_str(&format!("   {}:\n    Image:\t{}\n    Port:\t<none>\n    Host Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n", text(container, "/name"), text(container, "/image")));
    }
    out.push_str("  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n");
    crate::cluster::tabwriter::align(&out, 1)
}
