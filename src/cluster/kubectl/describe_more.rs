//! `kubectl describe` for Deployments, Services, Nodes, claims and any other kind, and the
//! Events section every description ends with.

use crate::cluster::At as _;
use jiff::Timestamp;
use serde_json::Value;

use super::describe::{Lines, when};
use super::text;
use crate::cluster::print::human_duration;
use crate::cluster::sim::{Cluster, Event};

pub(super) fn deployment(cluster: &Cluster, deployment: &Value, w: &mut Lines) {
    let number = |pointer: &str| deployment.at(pointer).and_then(Value::as_u64).unwrap_or(0);
    w.field(0, "Name", text(deployment, "/metadata/name"));
    w.field(0, "Namespace", text(deployment, "/metadata/namespace"));
    w.field(
        0,
        "CreationTimestamp",
        &when(text(deployment, "/metadata/creationTimestamp")),
    );
    w.map(0, "Labels", deployment.at("/metadata/labels"), "=");
    w.map(
        0,
        "Annotations",
        deployment.at("/metadata/annotations"),
        ": ",
    );
    let selector: Vec<String> = deployment
        .at("/spec/selector/matchLabels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(key, value)| format!("{key}={}", value.as_str().unwrap_or_default()))
        .collect();
    w.field(0, "Selector", &selector.join(","));
    let replicas = number("/spec/replicas");
    w.field(
        0,
        "Replicas",
        &format!(
            "{replicas} desired | {} updated | {} total | {} available | {} unavailable",
            number("/status/updatedReplicas"),
            number("/status/replicas"),
            number("/status/availableReplicas"),
            number("/status/unavailableReplicas")
        ),
    );
    let strategy = text(deployment, "/spec/strategy/type");
    w.field(0, "StrategyType", strategy);
    w.field(
        0,
        "MinReadySeconds",
        &number("/spec/minReadySeconds").to_string(),
    );
    if strategy == "RollingUpdate" {
        let show = |key: &str| {
            crate::cluster::jsonpath::show(
                deployment
                    .at(&format!("/spec/strategy/rollingUpdate/{key}"))
                    .unwrap_or(&Value::Null),
            )
        };
        w.field(
            0,
            "RollingUpdateStrategy",
            &format!(
                "{} max unavailable, {} max surge",
                show("maxUnavailable"),
                show("maxSurge")
            ),
        );
    }
    pod_template(deployment.at("/spec/template"), w);
    w.line(0, "Conditions:");
    w.line(1, "Type\tStatus\tReason");
    w.line(1, "----\t------\t------");
    for condition in deployment
        .at("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        w.line(
            1,
            &format!(
                "{} \t{}\t{}",
                text(condition, "/type"),
                text(condition, "/status"),
                text(condition, "/reason")
            ),
        );
    }
    let uid = text(deployment, "/metadata/uid");
    let hash = crate::cluster::rollout::template_hash(&deployment["spec"]["template"]);
    let owned: Vec<Value> = cluster
        .list("ReplicaSet", Some(text(deployment, "/metadata/namespace")))
        .into_iter()
        .filter(|replicaset| text(replicaset, "/metadata/ownerReferences/0/uid") == uid)
        .collect();
    let rs_text = |replicaset: &Value| {
        format!(
            "{} ({}/{} replicas created)",
            text(replicaset, "/metadata/name"),
            replicaset
                .at("/status/replicas")
                .and_then(Value::as_u64)
                .unwrap_or(0),
            replicaset
                .at("/spec/replicas")
                .and_then(Value::as_u64)
                .unwrap_or(0)
        )
    };
    let old: Vec<String> = owned
        .iter()
        .filter(|replicaset| {
            text(replicaset, "/metadata/labels/pod-template-hash") != hash
                && replicaset
                    .at("/spec/replicas")
                    .and_then(Value::as_u64)
                    .unwrap_or(0)
                    > 0
        })
        .map(rs_text)
        .collect();
    w.field(
        0,
        "OldReplicaSets",
        if old.is_empty() {
            "<none>".to_string()
        } else {
            old.join(", ")
        }
        .as_str(),
    );
    let new = owned
        .iter()
        .find(|replicaset| text(replicaset, "/metadata/labels/pod-template-hash") == hash)
        .map_or("<none>".to_string(), rs_text);
    w.field(0, "NewReplicaSet", &new);
}

fn pod_template(template: Option<&Value>, w: &mut Lines) {
    let Some(template) = template else {
        return;
    };
    w.line(0, "Pod Template:");
    w.map(1, "Labels", template.at("/metadata/labels"), "=");
    for (title, pointer) in [
        ("Init Containers", "/spec/initContainers"),
        ("Containers", "/spec/containers"),
    ] {
        let Some(containers) = template.at(pointer).and_then(Value::as_array) else {
            continue;
        };
        w.line(1, &format!("{title}:"));
        for container in containers {
            // kubectl indents a template's containers by 3 and their fields by 4.
            w.0.push_str(&format!("   {}:\n", text(container, "/name")));
            w.field(2, "Image", text(container, "/image"));
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
                3,
                "Port",
                if ports.is_empty() {
                    "<none>".to_string()
                } else {
                    ports.join(", ")
                }
                .as_str(),
            );
            w.field(
                3,
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
                    let value = variable.get("value").and_then(Value::as_str).map_or_else(
                        || {
                            variable.at("/valueFrom/configMapKeyRef").map_or_else(
                                String::new,
                                |key| {
                                    format!(
                                        "<set to the key '{}' of config map '{}'>",
                                        text(key, "/key"),
                                        text(key, "/name")
                                    )
                                },
                            )
                        },
                        str::to_string,
                    );
                    w.line(3, &format!("{}:\t{value}", text(variable, "/name")));
                }
            }
            w.field(2, "Mounts", "<none>");
        }
    }
    w.field(1, "Volumes", "<none>");
    w.field(1, "Node-Selectors", "<none>");
    w.field(1, "Tolerations", "<none>");
}

pub(super) fn service(cluster: &Cluster, service: &Value, w: &mut Lines) {
    w.field(0, "Name", text(service, "/metadata/name"));
    w.field(0, "Namespace", text(service, "/metadata/namespace"));
    w.map(0, "Labels", service.at("/metadata/labels"), "=");
    w.map(0, "Annotations", service.at("/metadata/annotations"), ": ");
    let selector: Vec<String> = service
        .at("/spec/selector")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(key, value)| format!("{key}={}", value.as_str().unwrap_or_default()))
        .collect();
    w.field(
        0,
        "Selector",
        if selector.is_empty() {
            "<none>".to_string()
        } else {
            selector.join(",")
        }
        .as_str(),
    );
    w.field(0, "Type", text(service, "/spec/type"));
    w.field(0, "IP Family Policy", text(service, "/spec/ipFamilyPolicy"));
    w.field(0, "IP Families", "IPv4");
    w.field(0, "IP", text(service, "/spec/clusterIP"));
    w.field(0, "IPs", text(service, "/spec/clusterIP"));
    let namespace = text(service, "/metadata/namespace");
    let name = text(service, "/metadata/name");
    let slices: Vec<Value> = cluster
        .list("EndpointSlice", Some(namespace))
        .into_iter()
        .filter(|slice| text(slice, "/metadata/labels/kubernetes.io~1service-name") == name)
        .collect();
    for port in service
        .at("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let port_name = text(port, "/name");
        let number = port.get("port").and_then(Value::as_u64).unwrap_or(0);
        let protocol = port
            .get("protocol")
            .and_then(Value::as_str)
            .unwrap_or("TCP");
        w.field(
            0,
            "Port",
            &format!("{}\t{number}/{protocol}", or_unset(port_name)),
        );
        w.field(
            0,
            "TargetPort",
            &format!(
                "{}/{protocol}",
                crate::cluster::jsonpath::show(port.get("targetPort").unwrap_or(&Value::Null))
            ),
        );
        if let Some(node_port) = port.get("nodePort").and_then(Value::as_u64) {
            w.field(
                0,
                "NodePort",
                &format!("{}\t{node_port}/{protocol}", or_unset(port_name)),
            );
        }
        let mut addresses = Vec::new();
        for slice in &slices {
            let slice_port = slice
                .get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|candidate| {
                    candidate
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        == port_name
                })
                .and_then(|candidate| candidate.get("port").and_then(Value::as_u64));
            for endpoint in slice
                .get("endpoints")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if endpoint.at("/conditions/ready").and_then(Value::as_bool) != Some(false)
                    && let (Some(address), Some(slice_port)) = (
                        endpoint.at("/addresses/0").and_then(Value::as_str),
                        slice_port,
                    )
                {
                    addresses.push(format!("{address}:{slice_port}"));
                }
            }
        }
        w.field(0, "Endpoints", &addresses.join(","));
    }
    w.field(
        0,
        "Session Affinity",
        text(service, "/spec/sessionAffinity"),
    );
    if matches!(text(service, "/spec/type"), "NodePort" | "LoadBalancer") {
        w.field(
            0,
            "External Traffic Policy",
            text(service, "/spec/externalTrafficPolicy"),
        );
    }
    w.field(
        0,
        "Internal Traffic Policy",
        text(service, "/spec/internalTrafficPolicy"),
    );
}

fn or_unset(name: &str) -> &str {
    if name.is_empty() { "<unset>" } else { name }
}

pub(super) fn node(cluster: &Cluster, node: &Value, w: &mut Lines) {
    let name = text(node, "/metadata/name");
    w.field(0, "Name", name);
    let roles: Vec<&str> = node
        .at("/metadata/labels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(key, _)| key.strip_prefix("node-role.kubernetes.io/"))
        .collect();
    w.field(
        0,
        "Roles",
        if roles.is_empty() {
            "<none>".to_string()
        } else {
            roles.join(",")
        }
        .as_str(),
    );
    w.map(0, "Labels", node.at("/metadata/labels"), "=");
    w.field(0, "Annotations", "<none>");
    w.field(
        0,
        "CreationTimestamp",
        &when(text(node, "/metadata/creationTimestamp")),
    );
    let taints: Vec<String> = node
        .at("/spec/taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|taint| {
            let value = text(taint, "/value");
            if value.is_empty() {
                format!("{}:{}", text(taint, "/key"), text(taint, "/effect"))
            } else {
                format!("{}={value}:{}", text(taint, "/key"), text(taint, "/effect"))
            }
        })
        .collect();
    if taints.is_empty() {
        w.field(0, "Taints", "<none>");
    }
    for (index, taint) in taints.iter().enumerate() {
        if index == 0 {
            w.field(0, "Taints", taint);
        } else {
            w.0.push('\t');
            w.0.push_str(taint);
            w.0.push('\n');
        }
    }
    w.field(
        0,
        "Unschedulable",
        &(node.at("/spec/unschedulable").and_then(Value::as_bool) == Some(true)).to_string(),
    );
    w.line(0, "Conditions:");
    w.line(
        1,
        "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage",
    );
    w.line(
        1,
        "----\t------\t-----------------\t------------------\t------\t-------",
    );
    for condition in node
        .at("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        w.line(
            1,
            &format!(
                "{} \t{} \t{} \t{} \t{} \t{}",
                text(condition, "/type"),
                text(condition, "/status"),
                when(text(condition, "/lastHeartbeatTime")),
                when(text(condition, "/lastTransitionTime")),
                text(condition, "/reason"),
                text(condition, "/message")
            ),
        );
    }
    w.line(0, "Addresses:");
    for address in node
        .at("/status/addresses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        w.field(1, text(address, "/type"), text(address, "/address"));
    }
    for (title, pointer) in [
        ("Capacity", "/status/capacity"),
        ("Allocatable", "/status/allocatable"),
    ] {
        w.line(0, &format!("{title}:"));
        for (key, value) in node
            .at(pointer)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            w.field(1, key, value.as_str().unwrap_or_default());
        }
    }
    w.line(0, "System Info:");
    for (key, pointer) in [
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
    ] {
        w.field(1, key, text(node, &format!("/status/nodeInfo/{pointer}")));
    }
    w.field(0, "PodCIDR", text(node, "/spec/podCIDR"));
    w.field(0, "PodCIDRs", text(node, "/spec/podCIDR"));
    let pods: Vec<Value> = cluster
        .list("Pod", None)
        .into_iter()
        .filter(|pod| {
            text(pod, "/spec/nodeName") == name
                && !matches!(text(pod, "/status/phase"), "Succeeded" | "Failed")
        })
        .collect();
    w.line(
        0,
        &format!("Non-terminated Pods:\t({} in total)", pods.len()),
    );
    w.line(
        1,
        "Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge",
    );
    w.line(
        1,
        "---------\t----\t------------\t----------\t---------------\t-------------\t---",
    );
    let allocatable = |resource: &str| {
        node.at(&format!("/status/allocatable/{resource}"))
            .and_then(crate::grade::process::quantity)
            .unwrap_or(0.0)
    };
    let (cpu, memory) = (allocatable("cpu"), allocatable("memory"));
    let mut totals = [0.0f64; 4];
    for pod in &pods {
        let created = text(pod, "/metadata/creationTimestamp")
            .parse::<Timestamp>()
            .ok();
        let sums = pod_resources(pod);
        for (total, value) in totals.iter_mut().zip(sums) {
            *total += value;
        }
        w.line(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                text(pod, "/metadata/namespace"),
                text(pod, "/metadata/name"),
                share(sums[0], cpu, true),
                share(sums[1], cpu, true),
                share(sums[2], memory, false),
                share(sums[3], memory, false),
                created.map_or_else(String::new, |created| human_duration(
                    cluster.now.duration_since(created)
                ))
            ),
        );
    }
    w.line(0, "Allocated resources:");
    w.line(
        1,
        "(Total limits may be over 100 percent, i.e., overcommitted.)",
    );
    w.line(1, "Resource\tRequests\tLimits");
    w.line(1, "--------\t--------\t------");
    w.line(
        1,
        &format!(
            "cpu\t{}\t{}",
            share(totals[0], cpu, true),
            share(totals[1], cpu, true)
        ),
    );
    w.line(
        1,
        &format!(
            "memory\t{}\t{}",
            share(totals[2], memory, false),
            share(totals[3], memory, false)
        ),
    );
    w.line(1, "ephemeral-storage\t0 (0%)\t0 (0%)");
    w.line(1, "hugepages-2Mi\t0 (0%)\t0 (0%)");
}

/// A Pod's CPU requests and limits (cores) and memory requests and limits (bytes), summed over
/// its containers (a request defaults to the limit).
fn pod_resources(pod: &Value) -> [f64; 4] {
    let mut sums = [0.0; 4];
    for container in pod
        .at("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let get = |kind: &str, resource: &str| {
            container
                .at(&format!("/resources/{kind}/{resource}"))
                .and_then(crate::grade::process::quantity)
        };
        for (index, (kind, resource)) in [
            ("requests", "cpu"),
            ("limits", "cpu"),
            ("requests", "memory"),
            ("limits", "memory"),
        ]
        .iter()
        .enumerate()
        {
            let value = if *kind == "requests" {
                get("requests", resource).or_else(|| get("limits", resource))
            } else {
                get("limits", resource)
            };
            sums[index] += value.unwrap_or(0.0);
        }
    }
    sums
}

/// `250m (12%)`, `64Mi (1%)`, `0 (0%)`: an amount as kubectl prints it, and its share of what
/// the node can allocate.
fn share(amount: f64, allocatable: f64, cpu: bool) -> String {
    let percent = if allocatable > 0.0 {
        (amount * 100.0 / allocatable).floor()
    } else {
        0.0
    };
    let text = if amount == 0.0 {
        "0".to_string()
    } else if cpu {
        let millis = (amount * 1000.0).round() as u64;
        if millis.is_multiple_of(1000) {
            (millis / 1000).to_string()
        } else {
            format!("{millis}m")
        }
    } else {
        let bytes = amount.round() as u64;
        match [("Gi", 1u64 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)]
            .iter()
            .find(|(_, unit)| bytes.is_multiple_of(*unit))
        {
            Some((suffix, unit)) => format!("{}{suffix}", bytes / unit),
            None => bytes.to_string(),
        }
    };
    format!("{text} ({percent}%)")
}

pub(super) fn claim(claim: &Value, w: &mut Lines) {
    w.field(0, "Name", text(claim, "/metadata/name"));
    w.field(0, "Namespace", text(claim, "/metadata/namespace"));
    w.field(0, "StorageClass", text(claim, "/spec/storageClassName"));
    w.field(0, "Status", text(claim, "/status/phase"));
    w.field(0, "Volume", text(claim, "/spec/volumeName"));
    w.map(0, "Labels", claim.at("/metadata/labels"), "=");
    w.map(0, "Annotations", claim.at("/metadata/annotations"), ": ");
    w.field(0, "Finalizers", "[kubernetes.io/pvc-protection]");
    w.field(0, "Capacity", text(claim, "/status/capacity/storage"));
    let modes: Vec<&str> = claim
        .at("/status/accessModes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|mode| match mode {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            other => other,
        })
        .collect();
    w.field(0, "Access Modes", &modes.join(","));
    w.field(0, "VolumeMode", text(claim, "/spec/volumeMode"));
    w.field(0, "Used By", "<none>");
}

pub(super) fn generic(object: &Value, w: &mut Lines) {
    w.field(0, "Name", text(object, "/metadata/name"));
    if let Some(namespace) = object.at("/metadata/namespace").and_then(Value::as_str) {
        w.field(0, "Namespace", namespace);
    }
    w.map(0, "Labels", object.at("/metadata/labels"), "=");
    w.map(0, "Annotations", object.at("/metadata/annotations"), ": ");
    if let Some(data) = object.get("data").and_then(Value::as_object) {
        w.line(0, "");
        w.line(0, "Data");
        w.line(0, "====");
        let secret = object.get("kind").and_then(Value::as_str) == Some("Secret");
        for (key, value) in data {
            let value = value.as_str().unwrap_or_default();
            if secret {
                let bytes =
                    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, value)
                        .map_or(0, |bytes| bytes.len());
                w.line(0, &format!("{key}:\t{bytes} bytes"));
            } else {
                w.line(0, &format!("{key}:"));
                w.line(0, "----");
                w.line(0, value);
                w.line(0, "");
            }
        }
    }
}

pub(super) fn events(cluster: &Cluster, kind: &str, object: &Value, w: &mut Lines) {
    let name = text(object, "/metadata/name");
    let namespace = object
        .at("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("default");
    let mut list: Vec<&Event> = cluster
        .events
        .iter()
        .filter(|event| {
            event.kind == kind
                && event.name == name
                && (event.namespace == namespace || kind == "Node")
        })
        .collect();
    list.sort_by_key(|event| event.last);
    if list.is_empty() {
        w.line(0, "Events:\t<none>");
        return;
    }
    w.line(0, "Events:");
    w.line(1, "Type\tReason\tAge\tFrom\tMessage");
    w.line(1, "----\t------\t----\t----\t-------");
    for event in list {
        let since = |time: Timestamp| human_duration(cluster.now.duration_since(time));
        let age = if event.count > 1 {
            format!(
                "{} (x{} over {})",
                since(event.last),
                event.count,
                since(event.first)
            )
        } else {
            since(event.first)
        };
        w.line(
            1,
            &format!(
                "{}\t{}\t{age}\t{}\t{}",
                if event.normal { "Normal" } else { "Warning" },
                event.reason,
                event.source,
                crate::text::escape_controls(event.message.trim())
            ),
        );
    }
}
