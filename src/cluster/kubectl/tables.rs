//! The columns `kubectl get` prints for each kind (the API server's table convertors), with the
//! extra ones of `-o wide`. A kind without its own printer gets NAME and AGE, as kubectl prints
//! a custom resource without printer columns.

use crate::cluster::At as _;
use jiff::Timestamp;
use serde_json::Value;

use crate::cluster::print::{age, deployment_row, node_row, pod_row, replicaset_row, service_row};

fn text<'v>(object: &'v Value, pointer: &str) -> &'v str {
    object
        .at(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn or_none(text: &str) -> String {
    if text.is_empty() {
        "<none>".into()
    } else {
        text.to_string()
    }
}

/// An Ingress's row: class, the first three hosts (`*` for none), the load balancer's
/// addresses, and `80, 443` once it has TLS (the API server's printer).
fn ingress_row(object: &Value, name: String, created: String) -> Vec<String> {
    let rules: Vec<&Value> = object
        .at("/spec/rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let mut hosts: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in &rules {
        if hosts.len() == 3 {
            more = true;
        }
        let host = text(rule, "/host");
        if !more && !host.is_empty() {
            hosts.push(host);
        }
    }
    let hosts = match (hosts.is_empty(), more) {
        (true, _) => "*".to_string(),
        (false, false) => hosts.join(","),
        (false, true) => format!("{} + {} more...", hosts.join(","), rules.len() - 3),
    };
    let address = crate::cluster::print::load_balancer_addresses(object);
    let tls = object
        .at("/spec/tls")
        .and_then(Value::as_array)
        .is_some_and(|list| !list.is_empty());
    vec![
        name,
        match text(object, "/spec/ingressClassName") {
            "" => "<none>".to_string(),
            class => class.to_string(),
        },
        hosts,
        address.join(","),
        if tls { "80, 443" } else { "80" }.to_string(),
        created,
    ]
}

/// A label selector as apimachinery's FormatLabelSelector writes it (`<none>` when empty).
pub(super) fn selector_text(selector: Option<&Value>) -> String {
    let Some(selector) = selector else {
        return "<none>".into();
    };
    let map = selector.get("matchLabels").unwrap_or(selector);
    let mut parts: Vec<String> = map
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, value)| value.is_string())
        .map(|(key, value)| format!("{key}={}", value.as_str().unwrap_or_default()))
        .collect();
    for expression in selector
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let values: Vec<&str> = expression
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let key = text(expression, "/key");
        parts.push(match text(expression, "/operator") {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_string(),
            _ => format!("!{key}"),
        });
    }
    if parts.is_empty() {
        "<none>".into()
    } else {
        parts.join(",")
    }
}

fn containers_and_images(template_spec: Option<&Value>) -> (String, String) {
    let containers: Vec<&Value> = template_spec
        .and_then(|spec| spec.get("containers"))
        .and_then(Value::as_array)
        .map(|list| list.iter().collect())
        .unwrap_or_default();
    (
        containers
            .iter()
            .map(|container| text(container, "/name"))
            .collect::<Vec<_>>()
            .join(","),
        containers
            .iter()
            .map(|container| text(container, "/image"))
            .collect::<Vec<_>>()
            .join(","),
    )
}

fn access_modes(modes: Option<&Value>) -> String {
    modes
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
        .collect::<Vec<_>>()
        .join(",")
}

/// The headers of a kind's table.
pub fn headers(kind: &str, wide: bool) -> Vec<&'static str> {
    let mut headers: Vec<&'static str> = match kind {
        "Pod" => vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        "Deployment" => vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        "ReplicaSet" => vec!["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
        "Service" => vec![
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE",
        ],
        "Node" => vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        "ConfigMap" => vec!["NAME", "DATA", "AGE"],
        "Secret" => vec!["NAME", "TYPE", "DATA", "AGE"],
        "Namespace" => vec!["NAME", "STATUS", "AGE"],
        "PersistentVolumeClaim" => vec![
            "NAME",
            "STATUS",
            "VOLUME",
            "CAPACITY",
            "ACCESS MODES",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "AGE",
        ],
        "PersistentVolume" => vec![
            "NAME",
            "CAPACITY",
            "ACCESS MODES",
            "RECLAIM POLICY",
            "STATUS",
            "CLAIM",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "REASON",
            "AGE",
        ],
        "StorageClass" => vec![
            "NAME",
            "PROVISIONER",
            "RECLAIMPOLICY",
            "VOLUMEBINDINGMODE",
            "ALLOWVOLUMEEXPANSION",
            "AGE",
        ],
        "EndpointSlice" => vec!["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
        "NetworkPolicy" => vec!["NAME", "POD-SELECTOR", "AGE"],
        "Ingress" => vec!["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
        "Endpoints" => vec!["NAME", "ENDPOINTS", "AGE"],
        "ServiceAccount" => vec!["NAME", "AGE"],
        "DaemonSet" => vec![
            "NAME",
            "DESIRED",
            "CURRENT",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "NODE SELECTOR",
            "AGE",
        ],
        "StatefulSet" => vec!["NAME", "READY", "AGE"],
        "Job" => vec!["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
        "Role" | "ClusterRole" => vec!["NAME", "CREATED AT"],
        "RoleBinding" => vec!["NAME", "ROLE", "AGE"],
        "ClusterRoleBinding" => vec!["NAME", "ROLE", "AGE"],
        _ => vec!["NAME", "AGE"],
    };
    if wide {
        headers.extend(match kind {
            "Pod" => vec!["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
            "Deployment" | "ReplicaSet" => vec!["CONTAINERS", "IMAGES", "SELECTOR"],
            "Service" => vec!["SELECTOR"],
            "Node" => vec![
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
            "PersistentVolumeClaim" | "PersistentVolume" => vec!["VOLUMEMODE"],
            "RoleBinding" | "ClusterRoleBinding" => vec!["USERS", "GROUPS", "SERVICEACCOUNTS"],
            _ => vec![],
        });
    }
    headers
}

/// One object's cells under [`headers`].
pub fn row(kind: &str, object: &Value, now: Timestamp, wide: bool) -> Vec<String> {
    let name = text(object, "/metadata/name").to_string();
    let created = age(
        object
            .at("/metadata/creationTimestamp")
            .and_then(Value::as_str),
        now,
    );
    let count = |pointer: &str| {
        object
            .at(pointer)
            .and_then(Value::as_object)
            .map_or(0, serde_json::Map::len)
    };
    let number = |pointer: &str| object.at(pointer).and_then(Value::as_u64).unwrap_or(0);
    let mut cells = match kind {
        "NetworkPolicy" => vec![name, selector_text(object.at("/spec/podSelector")), created],
        "Ingress" => ingress_row(object, name, created),
        "Pod" => {
            let row = pod_row(object, now);
            vec![row.name, row.ready, row.status, row.restarts, row.age]
        }
        "Deployment" => deployment_row(object, now),
        "ReplicaSet" => replicaset_row(object, now),
        "Service" => service_row(object, now),
        "Node" => node_row(object, now),
        "ConfigMap" => vec![
            name,
            (count("/data") + count("/binaryData")).to_string(),
            created,
        ],
        "Secret" => vec![
            name,
            text(object, "/type").to_string(),
            count("/data").to_string(),
            created,
        ],
        "Namespace" => vec![name, "Active".into(), created],
        "PersistentVolumeClaim" => {
            let bound = text(object, "/status/phase") == "Bound";
            let phase = if object.at("/metadata/deletionTimestamp").is_some() {
                "Terminating"
            } else {
                text(object, "/status/phase")
            };
            vec![
                name,
                phase.to_string(),
                text(object, "/spec/volumeName").to_string(),
                if bound {
                    text(object, "/status/capacity/storage").to_string()
                } else {
                    String::new()
                },
                if bound {
                    access_modes(object.at("/status/accessModes"))
                } else {
                    String::new()
                },
                or_none(text(object, "/spec/storageClassName")),
                "<unset>".into(),
                created,
            ]
        }
        "PersistentVolume" => {
            let claim = object
                .at("/spec/claimRef")
                .map(|claim| format!("{}/{}", text(claim, "/namespace"), text(claim, "/name")))
                .unwrap_or_default();
            vec![
                name,
                text(object, "/spec/capacity/storage").to_string(),
                access_modes(object.at("/spec/accessModes")),
                text(object, "/spec/persistentVolumeReclaimPolicy").to_string(),
                text(object, "/status/phase").to_string(),
                claim,
                text(object, "/spec/storageClassName").to_string(),
                "<unset>".into(),
                text(object, "/status/reason").to_string(),
                created,
            ]
        }
        "StorageClass" => {
            let default = text(
                object,
                "/metadata/annotations/storageclass.kubernetes.io~1is-default-class",
            ) == "true";
            vec![
                if default {
                    format!("{name} (default)")
                } else {
                    name
                },
                text(object, "/provisioner").to_string(),
                object
                    .get("reclaimPolicy")
                    .and_then(Value::as_str)
                    .unwrap_or("Delete")
                    .to_string(),
                object
                    .get("volumeBindingMode")
                    .and_then(Value::as_str)
                    .unwrap_or("Immediate")
                    .to_string(),
                object
                    .get("allowVolumeExpansion")
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
                    .to_string(),
                created,
            ]
        }
        "Endpoints" => vec![name, endpoints_column(object), created],
        "EndpointSlice" => {
            let ports: Vec<String> = object
                .get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|port| port.get("port").and_then(Value::as_u64))
                .map(|port| port.to_string())
                .collect();
            let addresses: Vec<String> = object
                .get("endpoints")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|endpoint| endpoint.at("/addresses/0").and_then(Value::as_str))
                .map(str::to_string)
                .collect();
            let shown = if addresses.len() > 3 {
                format!(
                    "{} + {} more...",
                    addresses[..3].join(","),
                    addresses.len() - 3
                )
            } else if addresses.is_empty() {
                "<unset>".into()
            } else {
                addresses.join(",")
            };
            vec![
                name,
                text(object, "/addressType").to_string(),
                if ports.is_empty() {
                    "<unset>".into()
                } else {
                    ports.join(",")
                },
                shown,
                created,
            ]
        }
        // The SECRETS column went in 1.35 (kubernetes#117160).
        "ServiceAccount" => vec![name, created],
        "DaemonSet" => {
            let selector: Vec<String> = object
                .at("/spec/template/spec/nodeSelector")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(key, value)| format!("{key}={}", value.as_str().unwrap_or_default()))
                .collect();
            vec![
                name,
                number("/status/desiredNumberScheduled").to_string(),
                number("/status/currentNumberScheduled").to_string(),
                number("/status/numberReady").to_string(),
                number("/status/updatedNumberScheduled").to_string(),
                number("/status/numberAvailable").to_string(),
                if selector.is_empty() {
                    "<none>".into()
                } else {
                    selector.join(",")
                },
                created,
            ]
        }
        "StatefulSet" => vec![
            name,
            format!(
                "{}/{}",
                number("/status/readyReplicas"),
                object
                    .at("/spec/replicas")
                    .and_then(Value::as_u64)
                    .unwrap_or(1)
            ),
            created,
        ],
        "Job" => {
            let completions = object
                .at("/spec/completions")
                .and_then(Value::as_u64)
                .unwrap_or(1);
            let status = if number("/status/succeeded") >= completions {
                "Complete"
            } else if number("/status/failed") > 0 && number("/status/active") == 0 {
                "Failed"
            } else {
                "Running"
            };
            vec![
                name,
                status.into(),
                format!("{}/{completions}", number("/status/succeeded")),
                String::new(),
                created,
            ]
        }
        "Role" | "ClusterRole" => vec![
            name,
            text(object, "/metadata/creationTimestamp").to_string(),
        ],
        "RoleBinding" | "ClusterRoleBinding" => vec![
            name,
            format!(
                "{}/{}",
                text(object, "/roleRef/kind"),
                text(object, "/roleRef/name")
            ),
            created,
        ],
        _ => vec![name, created],
    };
    if wide {
        match kind {
            "Pod" => {
                cells.push(or_none(text(object, "/status/podIP")));
                cells.push(or_none(text(object, "/spec/nodeName")));
                cells.push(or_none(text(object, "/status/nominatedNodeName")));
                cells.push("<none>".into());
            }
            "Deployment" | "ReplicaSet" => {
                let (containers, images) = containers_and_images(object.at("/spec/template/spec"));
                cells.push(containers);
                cells.push(images);
                cells.push(selector_text(object.at("/spec/selector")));
            }
            "Service" => cells.push(selector_text(object.at("/spec/selector"))),
            "Node" => {
                let address = |kind: &str| {
                    object
                        .at("/status/addresses")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .find(|address| text(address, "/type") == kind)
                        .map_or("<none>".to_string(), |address| {
                            text(address, "/address").to_string()
                        })
                };
                cells.push(address("InternalIP"));
                cells.push(address("ExternalIP"));
                cells.push(text(object, "/status/nodeInfo/osImage").to_string());
                cells.push(text(object, "/status/nodeInfo/kernelVersion").to_string());
                cells.push(text(object, "/status/nodeInfo/containerRuntimeVersion").to_string());
            }
            "PersistentVolumeClaim" | "PersistentVolume" => {
                cells.push(text(object, "/spec/volumeMode").to_string())
            }
            "RoleBinding" | "ClusterRoleBinding" => {
                let of = |wanted: &str| {
                    let names: Vec<String> = object
                        .get("subjects")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter(|subject| text(subject, "/kind") == wanted)
                        .map(|subject| {
                            if wanted == "ServiceAccount" {
                                format!(
                                    "{}/{}",
                                    text(subject, "/namespace"),
                                    text(subject, "/name")
                                )
                            } else {
                                text(subject, "/name").to_string()
                            }
                        })
                        .collect();
                    names.join(", ")
                };
                cells.push(of("User"));
                cells.push(of("Group"));
                cells.push(of("ServiceAccount"));
            }
            _ => {}
        }
    }
    cells
}

/// The ENDPOINTS column of `kubectl get endpoints` (the printer's formatEndpoints): each ready
/// address with each port, at most three, then "+ N more..."; `<none>` without subsets.
fn endpoints_column(object: &Value) -> String {
    let Some(subsets) = object.get("subsets").and_then(Value::as_array) else {
        return "<none>".into();
    };
    if subsets.is_empty() {
        return "<none>".into();
    }
    let mut list: Vec<String> = Vec::new();
    let mut count = 0;
    for subset in subsets {
        let addresses: Vec<&str> = subset
            .get("addresses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|address| address.get("ip").and_then(Value::as_str))
            .collect();
        let ports: Vec<u64> = subset
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|port| port.get("port").and_then(Value::as_u64))
            .collect();
        if ports.is_empty() {
            count += addresses.len();
            list.extend(addresses.iter().map(|ip| (*ip).to_string()));
        } else {
            for port in ports {
                count += addresses.len();
                list.extend(addresses.iter().map(|ip| format!("{ip}:{port}")));
            }
        }
    }
    if count > 3 {
        format!("{} + {} more...", list[..3].join(","), count - 3)
    } else {
        list.join(",")
    }
}
