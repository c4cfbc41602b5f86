//! `kubectl describe`: Pods, Deployments, ReplicaSets, Services, Nodes and claims in the layout
//! kubectl 1.37 prints them (aligned by Go's tabwriter), each with its Events; other kinds with
//! their metadata and Events.

use crate::cluster::At as _;
use jiff::Timestamp;
use serde_json::Value;

use super::{Output, Run, describe_more, targets, text};
use crate::cluster::labels::Selector;
use crate::cluster::sim::Cluster;
use crate::cluster::tabwriter;

pub(super) fn describe(run: &mut Run<'_>) -> Output {
    let targets = match targets(&run.typed.positional) {
        Ok(targets) if !targets.is_empty() => targets,
        Ok(_) => {
            return Output::error(
                "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.",
            );
        }
        Err(output) => return output,
    };
    let selector = match run.flag("selector").map(Selector::parse).transpose() {
        Ok(selector) => selector.unwrap_or_default(),
        Err(why) => return Output::error(format!("error: {why}")),
    };
    let mut blocks = Vec::new();
    let mut out = Output::default();
    for (info, name) in targets {
        let objects: Vec<Value> = match name {
            Some(name) => match run.cluster.objects.find(info.kind, &run.namespace, &name) {
                Ok(object) => vec![object.clone()],
                Err(error) => {
                    out.stderr.push_str(&format!("{error}\n"));
                    out.code = 1;
                    continue;
                }
            },
            None => {
                let namespace = if run.all_namespaces || !info.namespaced {
                    None
                } else {
                    Some(run.namespace.as_str())
                };
                run.cluster
                    .objects
                    .list(info.kind, namespace, &selector)
                    .into_iter()
                    .map(|(_, object)| object.clone())
                    .collect()
            }
        };
        for object in objects {
            blocks.push(tabwriter::align(&one(run.cluster, info.kind, &object), 2));
        }
    }
    if blocks.is_empty() && out.stderr.is_empty() {
        return Output {
            stderr: format!("No resources found in {} namespace.\n", run.namespace),
            ..Output::default()
        };
    }
    out.stdout = blocks.join("\n\n");
    out
}

fn one(cluster: &Cluster, kind: &str, object: &Value) -> String {
    let mut w = Lines::default();
    match kind {
        "Pod" => pod(cluster, object, &mut w),
        "Deployment" => describe_more::deployment(cluster, object, &mut w),
        "Service" => describe_more::service(cluster, object, &mut w),
        "Node" => describe_more::node(cluster, object, &mut w),
        "PersistentVolumeClaim" => describe_more::claim(object, &mut w),
        "Ingress" => super::describe_net::ingress(cluster, object, &mut w),
        "ServiceAccount" => super::describe_net::service_account(object, &mut w),
        "NetworkPolicy" => {
            // kubectl prints no events for a NetworkPolicy.
            super::describe_net::network_policy(object, &mut w);
            return w.0;
        }
        _ => describe_more::generic(object, &mut w),
    }
    describe_more::events(cluster, kind, object, &mut w);
    w.0
}

#[derive(Default)]
pub(super) struct Lines(pub(super) String);

impl Lines {
    pub(super) fn field(&mut self, level: usize, key: &str, value: &str) {
        self.0.push_str(&"  ".repeat(level));
        self.0.push_str(key);
        self.0.push_str(":\t");
        self.0.push_str(value);
        self.0.push('\n');
    }

    pub(super) fn line(&mut self, level: usize, text: &str) {
        self.0.push_str(&"  ".repeat(level));
        self.0.push_str(text);
        self.0.push('\n');
    }

    /// `Labels:  a=b` then each further one under it.
    pub(super) fn map(&mut self, level: usize, key: &str, map: Option<&Value>, separator: &str) {
        let entries: Vec<String> = map
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(key, value)| {
                format!(
                    "{key}{separator}{}",
                    value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_string)
                )
            })
            .collect();
        if entries.is_empty() {
            self.field(level, key, "<none>");
            return;
        }
        for (index, entry) in entries.iter().enumerate() {
            if index == 0 {
                self.field(level, key, entry);
            } else {
                self.0.push_str(&"  ".repeat(level));
                self.0.push('\t');
                self.0.push_str(entry);
                self.0.push('\n');
            }
        }
    }
}

pub(super) fn or_none(value: &str) -> &str {
    if value.is_empty() { "<none>" } else { value }
}

/// `Mon, 02 Mar 2026 09:00:00 +0000`, as Go's RFC1123Z.
pub(super) fn when(stamp: &str) -> String {
    stamp
        .parse::<Timestamp>()
        .map(|time| time.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string())
        .unwrap_or_else(|_| stamp.to_string())
}

fn pod(cluster: &Cluster, pod: &Value, w: &mut Lines) {
    w.field(0, "Name", text(pod, "/metadata/name"));
    w.field(0, "Namespace", text(pod, "/metadata/namespace"));
    w.field(0, "Priority", "0");
    w.field(
        0,
        "Service Account",
        or_none(text(pod, "/spec/serviceAccountName")),
    );
    let node = text(pod, "/spec/nodeName");
    let node_text = if node.is_empty() {
        "<none>".to_string()
    } else {
        format!("{node}/{}", text(pod, "/status/hostIP"))
    };
    w.field(0, "Node", &node_text);
    if let Some(start) = pod.at("/status/startTime").and_then(Value::as_str) {
        w.field(0, "Start Time", &when(start));
    }
    w.map(0, "Labels", pod.at("/metadata/labels"), "=");
    w.map(0, "Annotations", pod.at("/metadata/annotations"), ": ");
    w.field(0, "Status", text(pod, "/status/phase"));
    let ip = text(pod, "/status/podIP");
    w.field(0, "IP", ip);
    if ip.is_empty() {
        w.field(0, "IPs", "<none>");
    } else {
        w.line(0, "IPs:");
        w.field(1, "IP", ip);
    }
    if let Some(owner) = pod.at("/metadata/ownerReferences/0") {
        w.field(
            0,
            "Controlled By",
            &format!("{}/{}", text(owner, "/kind"), text(owner, "/name")),
        );
    }
    let statuses = |pointer: &str| -> Vec<Value> {
        pod.at(pointer)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for (title, specs, status_list) in [
        (
            "Init Containers",
            "/spec/initContainers",
            statuses("/status/initContainerStatuses"),
        ),
        (
            "Containers",
            "/spec/containers",
            statuses("/status/containerStatuses"),
        ),
    ] {
        let Some(containers) = pod.at(specs).and_then(Value::as_array) else {
            continue;
        };
        w.line(0, &format!("{title}:"));
        for container in containers {
            let name = text(container, "/name");
            let status = status_list
                .iter()
                .find(|status| text(status, "/name") == name)
                .cloned()
                .unwrap_or_default();
            container_block(cluster, pod, container, &status, w);
        }
    }
    w.line(0, "Conditions:");
    w.line(1, "Type\tStatus");
    for condition in pod
        .at("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        w.line(
            1,
            &format!(
                "{} \t{} ",
                text(condition, "/type"),
                text(condition, "/status")
            ),
        );
    }
    w.line(0, "Volumes:");
    let volumes = pod
        .at("/spec/volumes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if volumes.is_empty() {
        w.0.pop();
        w.0.push_str("\t<none>\n");
    }
    for volume in &volumes {
        w.line(1, &format!("{}:", text(volume, "/name")));
        if let Some(claim) = volume.get("persistentVolumeClaim") {
            w.field(2, "Type", "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)");
            w.field(2, "ClaimName", text(claim, "/claimName"));
            w.field(
                2,
                "ReadOnly",
                &claim
                    .get("readOnly")
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
                    .to_string(),
            );
        } else if let Some(map) = volume.get("configMap") {
            w.field(2, "Type", "ConfigMap (a volume populated by a ConfigMap)");
            w.field(2, "Name", text(map, "/name"));
            w.field(
                2,
                "Optional",
                &map.get("optional")
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
                    .to_string(),
            );
        } else if let Some(secret) = volume.get("secret") {
            w.field(2, "Type", "Secret (a volume populated by a Secret)");
            w.field(2, "SecretName", text(secret, "/secretName"));
            w.field(
                2,
                "Optional",
                &secret
                    .get("optional")
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
                    .to_string(),
            );
        } else if let Some(empty) = volume.get("emptyDir") {
            w.field(
                2,
                "Type",
                "EmptyDir (a temporary directory that shares a pod's lifetime)",
            );
            w.field(2, "Medium", text(empty, "/medium"));
            w.field(2, "SizeLimit", or_none(text(empty, "/sizeLimit")));
        } else if let Some(host) = volume.get("hostPath") {
            w.field(2, "Type", "HostPath (bare host directory volume)");
            w.field(2, "Path", text(host, "/path"));
            w.field(2, "HostPathType", text(host, "/type"));
        }
    }
    w.field(0, "QoS Class", text(pod, "/status/qosClass"));
    w.map(0, "Node-Selectors", pod.at("/spec/nodeSelector"), "=");
    let tolerations: Vec<String> = pod
        .at("/spec/tolerations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|toleration| {
            let mut shown = text(toleration, "/key").to_string();
            let value = text(toleration, "/value");
            if !value.is_empty() {
                shown.push('=');
                shown.push_str(value);
            }
            let effect = text(toleration, "/effect");
            if !effect.is_empty() {
                shown.push(':');
                shown.push_str(effect);
            }
            if text(toleration, "/operator") == "Exists" && value.is_empty() {
                shown.push_str(" op=Exists");
            }
            if let Some(seconds) = toleration.get("tolerationSeconds").and_then(Value::as_i64) {
                shown.push_str(&format!(" for {seconds}s"));
            }
            shown
        })
        .collect();
    if tolerations.is_empty() {
        w.field(0, "Tolerations", "<none>");
    }
    for (index, toleration) in tolerations.iter().enumerate() {
        if index == 0 {
            w.field(0, "Tolerations", toleration);
        } else {
            w.0.push('\t');
            w.0.push_str(toleration);
            w.0.push('\n');
        }
    }
}

fn container_block(
    cluster: &Cluster,
    pod: &Value,
    container: &Value,
    status: &Value,
    w: &mut Lines,
) {
    w.line(1, &format!("{}:", text(container, "/name")));
    if let Some(id) = status.get("containerID").and_then(Value::as_str) {
        w.field(2, "Container ID", id);
    }
    w.field(2, "Image", text(container, "/image"));
    w.field(2, "Image ID", text(status, "/imageID"));
    let ports: Vec<String> = container
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|port| {
            format!(
                "{}/{}",
                port.get("containerPort")
                    .and_then(Value::as_u64)
                    .unwrap_or(0),
                port.get("protocol")
                    .and_then(Value::as_str)
                    .unwrap_or("TCP")
            )
        })
        .collect();
    w.field(
        2,
        "Port",
        &if ports.is_empty() {
            "<none>".to_string()
        } else {
            ports.join(", ")
        },
    );
    w.field(
        2,
        "Host Port",
        if ports.is_empty() {
            "<none>".to_string()
        } else {
            ports
                .iter()
                .map(|port| format!("0/{}", port.rsplit('/').next().unwrap_or("TCP")))
                .collect::<Vec<_>>()
                .join(", ")
        }
        .as_str(),
    );
    for (key, field) in [("Command", "command"), ("Args", "args")] {
        if let Some(words) = container.get(field).and_then(Value::as_array) {
            w.line(2, &format!("{key}:"));
            for word in words {
                w.line(3, word.as_str().unwrap_or_default());
            }
        }
    }
    state_lines(w, "State", status.get("state"));
    let last = status
        .get("lastState")
        .filter(|last| last.as_object().is_some_and(|map| !map.is_empty()));
    if last.is_some() {
        state_lines(w, "Last State", last);
    }
    w.field(
        2,
        "Ready",
        if status.get("ready").and_then(Value::as_bool) == Some(true) {
            "True"
        } else {
            "False"
        },
    );
    w.field(
        2,
        "Restart Count",
        &status
            .get("restartCount")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            .to_string(),
    );
    for (key, field) in [("Limits", "limits"), ("Requests", "requests")] {
        if let Some(map) = container
            .at(&format!("/resources/{field}"))
            .and_then(Value::as_object)
            .filter(|map| !map.is_empty())
        {
            w.line(2, &format!("{key}:"));
            for (resource, value) in map {
                w.field(3, resource, &crate::cluster::jsonpath::show(value));
            }
        }
    }
    if let Some(probe) = container.get("readinessProbe") {
        w.field(2, "Readiness", &probe_text(probe));
    }
    if let Some(probe) = container.get("livenessProbe") {
        w.field(2, "Liveness", &probe_text(probe));
    }
    let env_from: Vec<&Value> = container
        .get("envFrom")
        .and_then(Value::as_array)
        .map(|list| list.iter().collect())
        .unwrap_or_default();
    if !env_from.is_empty() {
        w.line(2, "Environment Variables from:");
        for source in env_from {
            let (name, kind, optional) = if let Some(map) = source.get("configMapRef") {
                (
                    text(map, "/name"),
                    "ConfigMap",
                    map.get("optional")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                )
            } else if let Some(secret) = source.get("secretRef") {
                (
                    text(secret, "/name"),
                    "Secret",
                    secret
                        .get("optional")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                )
            } else {
                continue;
            };
            w.line(3, &format!("{name}\t{kind}\tOptional: {optional}"));
        }
    }
    let env: Vec<&Value> = container
        .get("env")
        .and_then(Value::as_array)
        .map(|list| list.iter().collect())
        .unwrap_or_default();
    if env.is_empty() {
        w.field(2, "Environment", "<none>");
    } else {
        w.line(2, "Environment:");
        for variable in env {
            let name = text(variable, "/name");
            let value = if let Some(value) = variable.get("value").and_then(Value::as_str) {
                value.to_string()
            } else if let Some(key) = variable.at("/valueFrom/configMapKeyRef") {
                format!(
                    "<set to the key '{}' of config map '{}'>",
                    text(key, "/key"),
                    text(key, "/name")
                )
            } else if let Some(key) = variable.at("/valueFrom/secretKeyRef") {
                format!(
                    "<set to the key '{}' in secret '{}'>",
                    text(key, "/key"),
                    text(key, "/name")
                )
            } else if let Some(field) = variable.at("/valueFrom/fieldRef") {
                format!(
                    " ({}:{})",
                    field
                        .get("apiVersion")
                        .and_then(Value::as_str)
                        .unwrap_or("v1"),
                    text(field, "/fieldPath")
                )
            } else {
                String::new()
            };
            let optional = variable
                .at("/valueFrom/configMapKeyRef/optional")
                .or_else(|| variable.at("/valueFrom/secretKeyRef/optional"))
                .and_then(Value::as_bool)
                .map(|optional| format!("\tOptional: {optional}"))
                .unwrap_or_default();
            w.line(3, &format!("{name}:\t{value}{optional}"));
        }
    }
    let mounts: Vec<&Value> = container
        .get("volumeMounts")
        .and_then(Value::as_array)
        .map(|list| list.iter().collect())
        .unwrap_or_default();
    if mounts.is_empty() {
        w.field(2, "Mounts", "<none>");
    } else {
        w.line(2, "Mounts:");
        for mount in mounts {
            let mode = if mount.get("readOnly").and_then(Value::as_bool) == Some(true) {
                "ro"
            } else {
                "rw"
            };
            w.line(
                3,
                &format!(
                    "{} from {} ({mode})",
                    text(mount, "/mountPath"),
                    text(mount, "/name")
                ),
            );
        }
    }
    let _ = (cluster, pod);
}

fn probe_text(probe: &Value) -> String {
    let number =
        |key: &str, default: u64| probe.get(key).and_then(Value::as_u64).unwrap_or(default);
    let action = if let Some(get) = probe.get("httpGet") {
        format!(
            "http-get http://:{}{}",
            crate::cluster::jsonpath::show(get.get("port").unwrap_or(&Value::Null)),
            text(get, "/path")
        )
    } else if let Some(socket) = probe.get("tcpSocket") {
        format!(
            "tcp-socket :{}",
            crate::cluster::jsonpath::show(socket.get("port").unwrap_or(&Value::Null))
        )
    } else if let Some(exec) = probe.at("/exec/command").and_then(Value::as_array) {
        format!(
            "exec [{}]",
            exec.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" ")
        )
    } else {
        "unknown".into()
    };
    format!(
        "{action} delay={}s timeout={}s period={}s #success={} #failure={}",
        number("initialDelaySeconds", 0),
        number("timeoutSeconds", 1),
        number("periodSeconds", 10),
        number("successThreshold", 1),
        number("failureThreshold", 3)
    )
}

fn state_lines(w: &mut Lines, key: &str, state: Option<&Value>) {
    let Some(state) = state
        .and_then(Value::as_object)
        .and_then(|map| map.iter().next())
    else {
        w.field(2, key, "Waiting");
        return;
    };
    match state.0.as_str() {
        "running" => {
            w.field(2, key, "Running");
            w.field(3, "Started", &when(text(state.1, "/startedAt")));
        }
        "waiting" => {
            w.field(2, key, "Waiting");
            let reason = text(state.1, "/reason");
            if !reason.is_empty() {
                w.field(3, "Reason", reason);
            }
        }
        _ => {
            w.field(2, key, "Terminated");
            w.field(3, "Reason", text(state.1, "/reason"));
            let message = text(state.1, "/message");
            if !message.is_empty() {
                w.field(3, "Message", message);
            }
            w.field(
                3,
                "Exit Code",
                &state
                    .1
                    .get("exitCode")
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
                    .to_string(),
            );
            w.field(3, "Started", &when(text(state.1, "/startedAt")));
            w.field(3, "Finished", &when(text(state.1, "/finishedAt")));
        }
    }
}
