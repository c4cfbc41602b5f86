//! The control plane's loops over the store, one pass each: the node lifecycle controller, the
//! garbage collector, the Deployment and ReplicaSet controllers, the PersistentVolume binder and
//! provisioner, the scheduler, and the EndpointSlice controller. Each writes only what changed,
//! so a pass that changes nothing leaves the store's resourceVersion where it was.

use crate::cluster::At as _;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::binding::Binding;
use super::conditions::with_condition;
use super::kubectl::text;
use super::labels::Selector;
use super::objects::Key;
use super::sim::Cluster;
use super::{deployment, replicaset, rollout, scheduler};

/// Every controller but the kubelets' and the EndpointSlices', in the order a change flows.
pub(super) fn run(cluster: &mut Cluster) {
    root_ca(cluster);
    nodes(cluster);
    garbage_collect(cluster);
    deployments(cluster);
    replicasets(cluster);
    volumes(cluster);
    schedule(cluster);
}

fn stamp(now: Timestamp) -> String {
    now.round(jiff::Unit::Second).unwrap_or(now).to_string()
}

/// Node conditions: Ready while its kubelet runs, Unknown (and the unreachable taints) once it
/// has stopped posting its status.
fn nodes(cluster: &mut Cluster) {
    for key in cluster.objects.keys("Node") {
        let running = !cluster.stopped_kubelets.contains(&key.name);
        // A node already as its kubelet's state says (conditions and taint) is left alone.
        let settled = cluster.objects.get(&key).is_some_and(|node| {
            let ready = node
                .at("/status/conditions")
                .and_then(Value::as_array)
                .and_then(|conditions| {
                    conditions
                        .iter()
                        .find(|condition| condition["type"] == "Ready")
                })
                .and_then(|condition| condition.get("status"))
                .and_then(Value::as_str);
            let unreachable = node
                .at("/spec/taints")
                .and_then(Value::as_array)
                .is_some_and(|taints| {
                    taints
                        .iter()
                        .any(|taint| text(taint, "/key") == "node.kubernetes.io/unreachable")
                });
            if running {
                ready == Some("True") && !unreachable
            } else {
                ready == Some("Unknown") && unreachable
            }
        });
        if settled {
            continue;
        }
        let Some(node) = cluster.objects.get(&key).cloned() else {
            continue;
        };
        let created = text(&node, "/metadata/creationTimestamp").to_string();
        let mut conditions = Vec::new();
        for (kind, reason, message) in [
            (
                "MemoryPressure",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
            ),
            (
                "DiskPressure",
                "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure",
            ),
            (
                "PIDPressure",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
            ),
            ("Ready", "KubeletReady", "kubelet is posting ready status"),
        ] {
            let (status, reason, message) = if running {
                (
                    if kind == "Ready" { "True" } else { "False" },
                    reason,
                    message,
                )
            } else {
                (
                    "Unknown",
                    "NodeStatusUnknown",
                    "Kubelet stopped posting node status.",
                )
            };
            conditions.push(json!({
                "type": kind, "status": status, "reason": reason, "message": message,
                "lastHeartbeatTime": created, "lastTransitionTime": created,
            }));
        }
        let mut status = node.get("status").cloned().unwrap_or_default();
        let previous = status.get("conditions").cloned().unwrap_or_default();
        // Keep transition times of conditions whose status has not moved.
        for condition in &mut conditions {
            if let Some(old) = previous.as_array().into_iter().flatten().find(|old| {
                old.get("type") == condition.get("type")
                    && old.get("status") == condition.get("status")
            }) {
                condition["lastTransitionTime"] = old["lastTransitionTime"].clone();
                condition["lastHeartbeatTime"] = old["lastHeartbeatTime"].clone();
            } else if !previous.as_array().is_none_or(Vec::is_empty) {
                condition["lastTransitionTime"] = json!(stamp(cluster.now));
            }
        }
        status["conditions"] = Value::Array(conditions);
        cluster.objects.set_status(&key, status);
        // The node lifecycle controller's taints for a node it cannot reach.
        let mut taints: Vec<Value> = node
            .at("/spec/taints")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let unreachable = "node.kubernetes.io/unreachable";
        let has = taints
            .iter()
            .any(|taint| text(taint, "/key") == unreachable);
        if !running && !has {
            for effect in ["NoSchedule", "NoExecute"] {
                let mut taint = json!({"key": unreachable, "effect": effect});
                if effect == "NoExecute" {
                    taint["timeAdded"] = json!(stamp(cluster.now));
                }
                taints.push(taint);
            }
        } else if running && has {
            taints.retain(|taint| text(taint, "/key") != unreachable);
        } else {
            continue;
        }
        let mut node = cluster.objects.get(&key).cloned().unwrap_or(node);
        if taints.is_empty() {
            if let Some(spec) = node.get_mut("spec").and_then(Value::as_object_mut) {
                spec.remove("taints");
            }
        } else {
            node["spec"]["taints"] = Value::Array(taints);
        }
        let _ = cluster.objects.replace(node, "");
    }
}

/// The root CA publisher: every namespace has the ConfigMap `kube-root-ca.crt` with the
/// cluster's CA certificate (made up here, the same in every scenario).
fn root_ca(cluster: &mut Cluster) {
    for key in cluster.objects.keys("Namespace") {
        if cluster
            .objects
            .find("ConfigMap", &key.name, "kube-root-ca.crt")
            .is_ok()
        {
            continue;
        }
        let mut body = String::new();
        let mut hash = crate::model::stable_hash(&[b"kubedrill cluster CA"]);
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for line in 0..17 {
            let width = if line == 16 { 20 } else { 64 };
            for _ in 0..width {
                hash = hash
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                body.push(alphabet[(hash >> 58) as usize] as char);
            }
            body.push('\n');
        }
        let certificate = format!(
            "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgI{body}-----END CERTIFICATE-----\n"
        );
        let _ = cluster.objects.create(
            json!({
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "kube-root-ca.crt", "namespace": key.name,
                             "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}},
                "data": {"ca.crt": certificate},
            }),
            &key.name,
            cluster.now,
        );
    }
}

/// Deletes what an owner that is gone controlled (background cascading deletion).
fn garbage_collect(cluster: &mut Cluster) {
    let uids: std::collections::BTreeSet<String> = cluster
        .objects
        .all()
        .filter_map(|(_, object)| object.at("/metadata/uid").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let orphans: Vec<Key> = cluster
        .objects
        .all()
        .filter(|(_, object)| {
            object
                .at("/metadata/ownerReferences")
                .and_then(Value::as_array)
                .is_some_and(|owners| {
                    !owners.is_empty()
                        && owners
                            .iter()
                            .all(|owner| !uids.contains(text(owner, "/uid")))
                })
        })
        .map(|(key, _)| key.clone())
        .collect();
    let released: Vec<Key> = cluster
        .objects
        .all()
        .filter(|(key, object)| {
            key.kind == "PersistentVolumeClaim"
                && object.at("/metadata/deletionTimestamp").is_some()
        })
        .map(|(key, _)| key.clone())
        .filter(|key| {
            !cluster.list("Pod", Some(&key.namespace)).iter().any(|pod| {
                !matches!(text(pod, "/status/phase"), "Succeeded" | "Failed")
                    && pod.at("/spec/nodeName").is_some()
                    && claims_of(pod).contains(&key.name)
            })
        })
        .collect();
    for key in released {
        let _ = cluster.objects.delete(&key.kind, &key.namespace, &key.name);
    }
    for key in orphans {
        let _ = cluster.objects.delete(&key.kind, &key.namespace, &key.name);
        cluster.runtime.retain(|(namespace, pod, _), _| {
            !(key.kind == "Pod" && *namespace == key.namespace && *pod == key.name)
        });
    }
}

/// The objects of `kind` in `namespace` whose controller is the object with `uid`.
fn owned<'c>(cluster: &'c Cluster, kind: &str, namespace: &str, uid: &str) -> Vec<&'c Value> {
    let mut found: Vec<&Value> = cluster
        .objects
        .list(kind, Some(namespace), &Selector::default())
        .into_iter()
        .map(|(_, object)| object)
        .filter(|object| {
            object
                .at("/metadata/ownerReferences")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|owner| text(owner, "/uid") == uid)
        })
        .collect();
    found.sort_by(|a, b| {
        text(a, "/metadata/creationTimestamp")
            .cmp(text(b, "/metadata/creationTimestamp"))
            .then_with(|| text(a, "/metadata/name").cmp(text(b, "/metadata/name")))
    });
    found
}

fn deployments(cluster: &mut Cluster) {
    for key in cluster.objects.keys("Deployment") {
        let Some(deployment) = cluster.objects.get(&key).cloned() else {
            continue;
        };
        let uid = text(&deployment, "/metadata/uid").to_string();
        // What the sync wants, and each ReplicaSet's replicas before it.
        let (sync, before_of) = {
            let replicasets = owned(cluster, "ReplicaSet", &key.namespace, &uid);
            let before_of: Vec<(String, u64)> = replicasets
                .iter()
                .map(|replicaset| {
                    (
                        text(replicaset, "/metadata/name").to_string(),
                        replicaset
                            .at("/spec/replicas")
                            .and_then(Value::as_u64)
                            .unwrap_or(0),
                    )
                })
                .collect();
            (deployment::sync(&deployment, &replicasets), before_of)
        };
        for created in sync.create {
            let name = text(&created, "/metadata/name").to_string();
            let wanted = created
                .at("/spec/replicas")
                .and_then(Value::as_u64)
                .unwrap_or(0);
            if cluster
                .objects
                .create(created, &key.namespace, cluster.now)
                .is_ok()
                && wanted > 0
            {
                scaled(cluster, &deployment, &name, 0, wanted);
            }
        }
        for updated in sync.update {
            let name = text(&updated, "/metadata/name").to_string();
            let before = before_of
                .iter()
                .find(|(old, _)| *old == name)
                .map_or(0, |(_, replicas)| *replicas);
            let after = updated
                .at("/spec/replicas")
                .and_then(Value::as_u64)
                .unwrap_or(0);
            let mut updated = updated;
            if let Some(metadata) = updated["metadata"].as_object_mut() {
                metadata.remove("resourceVersion");
            }
            if cluster.objects.replace(updated, &key.namespace).is_ok() && before != after {
                scaled(cluster, &deployment, &name, before, after);
            }
        }
        // The Deployment carries its current revision.
        let template_hash = rollout::template_hash(&deployment["spec"]["template"]);
        let current_revision = owned(cluster, "ReplicaSet", &key.namespace, &uid)
            .iter()
            .find(|replicaset| {
                text(replicaset, "/metadata/labels/pod-template-hash") == template_hash
            })
            .map(|replicaset| {
                text(
                    replicaset,
                    "/metadata/annotations/deployment.kubernetes.io~1revision",
                )
                .to_string()
            });
        if let Some(revision) = current_revision.filter(|revision| !revision.is_empty())
            && text(
                &deployment,
                "/metadata/annotations/deployment.kubernetes.io~1revision",
            ) != revision
        {
            let mut updated = cluster.objects.get(&key).cloned().unwrap_or_default();
            if !updated["metadata"]
                .get("annotations")
                .is_some_and(Value::is_object)
            {
                updated["metadata"]["annotations"] = json!({});
            }
            updated["metadata"]["annotations"]["deployment.kubernetes.io/revision"] =
                json!(revision);
            if let Some(metadata) = updated["metadata"].as_object_mut() {
                metadata.remove("resourceVersion");
            }
            let _ = cluster.objects.replace(updated, &key.namespace);
        }
        let status = deployment_status(cluster, &deployment, sync.status, &template_hash);
        if let Some(due) = progress_deadline(&deployment, &status) {
            cluster.wake_at(due);
        }
        cluster.objects.set_status(&key, status);
    }
}

/// When a rollout still progressing runs out of time (`progressDeadlineSeconds` after its last
/// progress): the moment its Progressing condition would turn False.
fn progress_deadline(deployment: &Value, status: &Value) -> Option<Timestamp> {
    let progressing = status
        .get("conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|condition| condition["type"] == "Progressing")?;
    if progressing["status"] != "True" || progressing["reason"] != "ReplicaSetUpdated" {
        return None;
    }
    let since: Timestamp = progressing
        .get("lastUpdateTime")
        .and_then(Value::as_str)?
        .parse()
        .ok()?;
    let deadline = deployment
        .at("/spec/progressDeadlineSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(600);
    Some(since + SignedDuration::from_secs(deadline + 1))
}

/// The Deployment's conditions on top of its counts: Available, and Progressing with its
/// deadline.
fn deployment_status(
    cluster: &Cluster,
    deployment: &Value,
    mut status: Value,
    hash: &str,
) -> Value {
    let name = text(deployment, "/metadata/name");
    let replicas = deployment
        .at("/spec/replicas")
        .and_then(Value::as_u64)
        .unwrap_or(1) as u32;
    let fence = rollout::Fenceposts::of(replicas, deployment.at("/spec/strategy/rollingUpdate"));
    let available = status["availableReplicas"].as_u64().unwrap_or(0) as u32;
    let updated = status["updatedReplicas"].as_u64().unwrap_or(0) as u32;
    let total = status["replicas"].as_u64().unwrap_or(0) as u32;
    let old = deployment.get("status").cloned().unwrap_or_default();
    let new_rs = format!("{name}-{hash}");
    let conditions = old.get("conditions").cloned();
    let minimum = available >= fence.least(replicas);
    let mut conditions = with_condition(
        conditions.as_ref(),
        "Available",
        if minimum { "True" } else { "False" },
        Some(if minimum {
            "MinimumReplicasAvailable"
        } else {
            "MinimumReplicasUnavailable"
        }),
        Some(if minimum {
            "Deployment has minimum availability."
        } else {
            "Deployment does not have minimum availability."
        }),
        cluster.now,
    );
    let complete = updated == replicas && total == replicas && available == replicas;
    let counts_moved = [
        "replicas",
        "updatedReplicas",
        "readyReplicas",
        "availableReplicas",
    ]
    .iter()
    .any(|field| old.get(*field) != status.get(*field));
    let previous = conditions
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|condition| condition["type"] == "Progressing")
        })
        .cloned();
    let last_update = previous
        .as_ref()
        .and_then(|condition| condition.get("lastUpdateTime"))
        .and_then(Value::as_str)
        .and_then(|text| text.parse::<Timestamp>().ok());
    let deadline = deployment
        .at("/spec/progressDeadlineSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(600);
    let paused = deployment.at("/spec/paused").and_then(Value::as_bool) == Some(true);
    let (state, reason, message, update) = if complete {
        (
            "True",
            "NewReplicaSetAvailable",
            format!("ReplicaSet \"{new_rs}\" has successfully progressed."),
            counts_moved || previous.is_none(),
        )
    } else if paused {
        (
            "Unknown",
            "DeploymentPaused",
            "Deployment is paused".to_string(),
            false,
        )
    } else if !counts_moved
        && last_update.is_some_and(|since| {
            cluster.now.duration_since(since) > SignedDuration::from_secs(deadline)
        })
        || previous.as_ref().is_some_and(|condition| {
            condition["reason"] == "ProgressDeadlineExceeded" && !counts_moved
        })
    {
        (
            "False",
            "ProgressDeadlineExceeded",
            format!("ReplicaSet \"{new_rs}\" has timed out progressing."),
            false,
        )
    } else {
        (
            "True",
            "ReplicaSetUpdated",
            format!("ReplicaSet \"{new_rs}\" is progressing."),
            counts_moved || previous.is_none(),
        )
    };
    conditions = with_condition(
        Some(&conditions),
        "Progressing",
        state,
        Some(reason),
        Some(&message),
        cluster.now,
    );
    if let Some(list) = conditions.as_array_mut() {
        for condition in list.iter_mut() {
            let since = if condition["type"] == "Progressing" && !update {
                previous
                    .as_ref()
                    .and_then(|old| old.get("lastUpdateTime").cloned())
                    .unwrap_or_else(|| json!(stamp(cluster.now)))
            } else if condition["type"] == "Available" {
                old.get("conditions")
                    .and_then(Value::as_array)
                    .and_then(|list| {
                        list.iter().find(|old| {
                            old["type"] == "Available" && old["status"] == condition["status"]
                        })
                    })
                    .and_then(|old| old.get("lastUpdateTime").cloned())
                    .unwrap_or_else(|| json!(stamp(cluster.now)))
            } else {
                json!(stamp(cluster.now))
            };
            condition["lastUpdateTime"] = since;
            if let Some(object) = condition.as_object_mut() {
                object.remove("lastProbeTime");
            }
        }
    }
    status["conditions"] = conditions;
    status
}

fn scaled(cluster: &mut Cluster, deployment: &Value, replicaset: &str, from: u64, to: u64) {
    let direction = if to > from { "up" } else { "down" };
    cluster.record(
        deployment,
        true,
        "ScalingReplicaSet",
        &format!("Scaled {direction} replica set {replicaset} from {from} to {to}"),
        "deployment-controller",
    );
}

fn replicasets(cluster: &mut Cluster) {
    for key in cluster.objects.keys("ReplicaSet") {
        let Some(replicaset) = cluster.objects.get(&key).cloned() else {
            continue;
        };
        let uid = text(&replicaset, "/metadata/uid").to_string();
        let sync = replicaset::sync(
            &replicaset,
            &owned(cluster, "Pod", &key.namespace, &uid),
            cluster.objects.made(),
        );
        for pod in sync.create {
            let name = text(&pod, "/metadata/name").to_string();
            let mut pod = pod;
            crate::grade::resources::apply_defaults("Pod", &mut pod);
            super::admission::admit(cluster, &mut pod);
            if cluster
                .objects
                .create(pod, &key.namespace, cluster.now)
                .is_ok()
            {
                cluster.record(
                    &replicaset,
                    true,
                    "SuccessfulCreate",
                    &format!("Created pod: {name}"),
                    "replicaset-controller",
                );
            }
        }
        for name in sync.delete {
            if cluster.objects.delete("Pod", &key.namespace, &name).is_ok() {
                cluster.runtime.retain(|(namespace, pod, _), _| {
                    !(*namespace == key.namespace && *pod == name)
                });
                cluster.record(
                    &replicaset,
                    true,
                    "SuccessfulDelete",
                    &format!("Deleted pod: {name}"),
                    "replicaset-controller",
                );
            }
        }
        let mut status = sync.status;
        status["observedGeneration"] = replicaset
            .at("/metadata/generation")
            .cloned()
            .unwrap_or(json!(1));
        cluster.objects.set_status(&key, status);
    }
}

/// The claims a Pod's volumes name.
pub(crate) fn claims_of(pod: &Value) -> Vec<String> {
    pod.get("spec").map(claims_in_spec).unwrap_or_default()
}

/// The claims a Pod spec's volumes name (a Pod's, or a workload's Pod template's).
pub(crate) fn claims_in_spec(spec: &Value) -> Vec<String> {
    super::list(spec, "/volumes")
        .iter()
        .filter_map(|volume| {
            volume
                .at("/persistentVolumeClaim/claimName")
                .and_then(Value::as_str)
        })
        .map(str::to_string)
        .collect()
}

/// The PersistentVolume controller: binds claims to matching volumes, and provisions a volume
/// for a claim whose StorageClass has a provisioner ([`crate::cluster::binding`] decides).
fn volumes(cluster: &mut Cluster) {
    for key in cluster.objects.keys("PersistentVolumeClaim") {
        let Some(claim) = cluster.objects.get(&key).cloned() else {
            continue;
        };
        if text(&claim, "/status/phase") == "Bound" {
            continue;
        }
        let volumes: Vec<Value> = cluster.list("PersistentVolume", None);
        let classes: Vec<Value> = cluster.list("StorageClass", None);
        let consumer = cluster
            .objects
            .list("Pod", Some(&key.namespace), &Selector::default())
            .into_iter()
            .find(|(_, pod)| claims_of(pod).contains(&key.name))
            .map(|(pod, _)| pod.name.clone());
        let decided = crate::cluster::binding::bind(
            &claim,
            &volumes.iter().collect::<Vec<_>>(),
            &classes.iter().collect::<Vec<_>>(),
            consumer.as_deref(),
        );
        match decided {
            Binding::Bound { volume } => bind(cluster, &key, &claim, &volume),
            Binding::Waiting { .. } => record_every(
                cluster,
                &claim,
                true,
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding",
                "persistentvolume-controller",
            ),
            Binding::Pending(pending) => record_every(
                cluster,
                &claim,
                !pending.warning,
                pending.reason,
                &pending.message,
                "persistentvolume-controller",
            ),
            Binding::Provisioned { class, provisioner } => {
                provision(cluster, &key, &claim, &class, &provisioner);
            }
        }
    }
}

/// A new volume for the claim from its class's provisioner, bound to it at once.
fn provision(cluster: &mut Cluster, key: &Key, claim: &Value, class: &str, provisioner: &str) {
    let Ok(storage_class) = cluster.objects.find("StorageClass", "", class).cloned() else {
        return;
    };
    let modes = claim.at("/spec/accessModes").cloned().unwrap_or(json!([]));
    let uid = text(claim, "/metadata/uid").to_string();
    let volume_name = format!("pvc-{uid}");
    let volume = json!({
        "apiVersion": "v1", "kind": "PersistentVolume",
        "metadata": {"name": volume_name, "annotations": {"pv.kubernetes.io/provisioned-by": provisioner}},
        "spec": {
            "capacity": {"storage": claim.at("/spec/resources/requests/storage").cloned().unwrap_or(json!("1Gi"))},
            "accessModes": modes,
            "persistentVolumeReclaimPolicy": storage_class.get("reclaimPolicy").cloned().unwrap_or(json!("Delete")),
            "storageClassName": class,
            "volumeMode": "Filesystem",
            "hostPath": {"path": format!("/var/lib/kubedrill-provisioner/{}_{}", key.namespace, key.name)},
        },
        "status": {"phase": "Available"}
    });
    cluster.record(claim, true, "ExternalProvisioning", &format!("Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."), "persistentvolume-controller");
    if cluster.objects.create(volume, "", cluster.now).is_ok() {
        cluster.record(
            claim,
            true,
            "ProvisioningSucceeded",
            &format!("Successfully provisioned volume {volume_name}"),
            provisioner,
        );
        bind(cluster, key, claim, &volume_name);
    }
}

fn bind(cluster: &mut Cluster, key: &Key, claim: &Value, volume_name: &str) {
    let Ok(mut volume) = cluster
        .objects
        .find("PersistentVolume", "", volume_name)
        .cloned()
    else {
        return;
    };
    volume["spec"]["claimRef"] = json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "name": key.name, "namespace": key.namespace,
        "uid": claim.at("/metadata/uid").cloned().unwrap_or_default(),
    });
    volume["status"] = json!({"phase": "Bound"});
    if let Some(metadata) = volume["metadata"].as_object_mut() {
        metadata.remove("resourceVersion");
    }
    let _ = cluster.objects.replace(volume.clone(), "");
    let mut claim = claim.clone();
    claim["spec"]["volumeName"] = json!(volume_name);
    if let Some(metadata) = claim["metadata"].as_object_mut() {
        metadata.remove("resourceVersion");
    }
    if claim.at("/spec/storageClassName").is_none()
        && let Some(class) = volume.at("/spec/storageClassName")
    {
        claim["spec"]["storageClassName"] = class.clone();
    }
    claim["status"] = json!({
        "phase": "Bound",
        "accessModes": volume.at("/spec/accessModes").cloned().unwrap_or(json!([])),
        "capacity": volume.at("/spec/capacity").cloned().unwrap_or(json!({})),
    });
    let _ = cluster.objects.replace(claim, &key.namespace);
}

fn schedule(cluster: &mut Cluster) {
    let nodes: Vec<Value> = cluster.list("Node", None);
    for key in cluster.objects.keys("Pod") {
        let Some(pod) = cluster.objects.get(&key).cloned() else {
            continue;
        };
        if pod.at("/spec/nodeName").is_some() || pod.at("/metadata/deletionTimestamp").is_some() {
            continue;
        }
        let bound: Vec<Value> = cluster
            .list("Pod", None)
            .into_iter()
            .filter(|other| other.at("/spec/nodeName").is_some())
            .collect();
        let bound_refs: Vec<&Value> = bound.iter().collect();
        let node_refs: Vec<&Value> = nodes.iter().collect();
        let count = nodes.len();
        let mut verdict = Ok(());
        for claim in claims_of(&pod) {
            match cluster
                .objects
                .find("PersistentVolumeClaim", &key.namespace, &claim)
            {
                Err(_) => {
                    verdict = Err(format!(
                        "0/{count} nodes are available: persistentvolumeclaim \"{claim}\" not found. no new claims to deallocate, preemption: 0/{count} nodes are available: {count} Preemption is not helpful for scheduling."
                    ));
                    break;
                }
                Ok(found) if text(found, "/status/phase") != "Bound" => {
                    let class = text(found, "/spec/storageClassName").to_string();
                    let waits =
                        !class.is_empty()
                            && cluster.objects.find("StorageClass", "", &class).is_ok_and(
                                |class| text(class, "/volumeBindingMode") == "WaitForFirstConsumer",
                            );
                    if !waits {
                        verdict = Err(format!(
                            "0/{count} nodes are available: pod has unbound immediate PersistentVolumeClaims. no new claims to deallocate, preemption: 0/{count} nodes are available: {count} Preemption is not helpful for scheduling."
                        ));
                        break;
                    }
                }
                Ok(_) => {}
            }
        }
        let result = verdict.and_then(|()| scheduler::schedule(&pod, &node_refs, &bound_refs));
        match result {
            Ok(node) => {
                let mut placed = pod.clone();
                placed["spec"]["nodeName"] = json!(node);
                if let Some(metadata) = placed["metadata"].as_object_mut() {
                    metadata.remove("resourceVersion");
                }
                let conditions = with_condition(
                    pod.at("/status/conditions"),
                    "PodScheduled",
                    "True",
                    None,
                    None,
                    cluster.now,
                );
                placed["status"]["conditions"] = conditions;
                if cluster.objects.replace(placed, &key.namespace).is_ok() {
                    cluster.record(
                        &pod,
                        true,
                        "Scheduled",
                        &format!(
                            "Successfully assigned {}/{} to {node}",
                            key.namespace, key.name
                        ),
                        "default-scheduler",
                    );
                }
            }
            Err(message) => {
                let conditions = with_condition(
                    pod.at("/status/conditions"),
                    "PodScheduled",
                    "False",
                    Some("Unschedulable"),
                    Some(&message),
                    cluster.now,
                );
                let mut status = pod
                    .get("status")
                    .cloned()
                    .unwrap_or_else(|| json!({"phase": "Pending"}));
                status["conditions"] = conditions;
                status["phase"] = json!("Pending");
                if cluster.objects.set_status(&key, status)
                    || recorded_long_ago(cluster, &key, "FailedScheduling")
                {
                    cluster.record(
                        &pod,
                        false,
                        "FailedScheduling",
                        &message,
                        "default-scheduler",
                    );
                    // The scheduler retries an unschedulable Pod within five minutes.
                    let retry = cluster.now + SignedDuration::from_secs(300);
                    cluster.wake_at(retry);
                }
            }
        }
    }
}

/// Records an event at most every 15 seconds (the PersistentVolume controller's resync).
fn record_every(
    cluster: &mut Cluster,
    about: &Value,
    normal: bool,
    reason: &str,
    message: &str,
    source: &str,
) {
    record_after(
        cluster,
        about,
        (normal, reason, message, source),
        SignedDuration::from_secs(15),
    );
}

/// Records an event unless the same one was recorded less than `gap` ago.
pub(super) fn record_after(
    cluster: &mut Cluster,
    about: &Value,
    (normal, reason, message, source): (bool, &str, &str, &str),
    gap: SignedDuration,
) {
    let name = text(about, "/metadata/name");
    let recent = cluster.events.iter().any(|event| {
        event.name == name
            && event.reason == reason
            && event.message == message
            && cluster.now.duration_since(event.last) < gap
    });
    if !recent {
        cluster.record(about, normal, reason, message, source);
        // The next repeat, if the cause is still there then.
        let next = cluster.now + gap;
        cluster.wake_at(next);
    }
}

/// Whether the last event of `reason` about a Pod is more than five minutes old (the
/// scheduler's retry of an unschedulable Pod).
fn recorded_long_ago(cluster: &Cluster, key: &Key, reason: &str) -> bool {
    cluster
        .events
        .iter()
        .filter(|event| {
            event.name == key.name && event.namespace == key.namespace && event.reason == reason
        })
        .map(|event| event.last)
        .max()
        .is_none_or(|last| cluster.now.duration_since(last) >= SignedDuration::from_secs(300))
}
