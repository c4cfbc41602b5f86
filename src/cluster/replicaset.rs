//! One sync of the ReplicaSet controller (pkg/controller/replicaset, `syncReplicaSet`): make or
//! delete Pods so that as many active Pods as `spec.replicas` asks for exist, and count them in
//! the ReplicaSet's status. Pure: it takes the ReplicaSet and the Pods it owns and returns what
//! to write.
//!
//! A Pod is active until it has finished (`Succeeded`, `Failed`) or is being deleted. When there
//! are too many, the ones deleted first are those the controller ranks lowest: not yet on a
//! node, then Pending, then not ready, then the most restarted, then the newest (upstream's
//! `ActivePodsWithRanks`, without its co-location ranking).

use crate::cluster::At as _;
use serde_json::{Value, json};

use super::endpoints::is_ready as ready;

/// What one sync writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sync {
    /// Pods to create.
    pub create: Vec<Value>,
    /// Names of Pods to delete.
    pub delete: Vec<String>,
    /// The ReplicaSet's new `status`.
    pub status: Value,
}

fn active(pod: &Value) -> bool {
    !matches!(
        pod.at("/status/phase").and_then(Value::as_str),
        Some("Succeeded" | "Failed")
    ) && pod.at("/metadata/deletionTimestamp").is_none()
}

/// One sync. `owned` are the Pods whose controller reference is this ReplicaSet; `made` counts
/// the Pods made so far in the cluster (it picks new Pods' name suffixes, so replays agree).
pub fn sync(replicaset: &Value, owned: &[&Value], made: u64) -> Sync {
    let wanted = replicaset
        .at("/spec/replicas")
        .and_then(Value::as_u64)
        .unwrap_or(1) as usize;
    let mut pods: Vec<&Value> = owned.iter().copied().filter(|pod| active(pod)).collect();
    let mut sync = Sync::default();
    if pods.len() < wanted {
        for index in 0..(wanted - pods.len()) {
            sync.create
                .push(new_pod(replicaset, made + index as u64 + 1));
        }
    } else if pods.len() > wanted {
        pods.sort_by_key(|pod| deletion_rank(pod));
        sync.delete = pods[..pods.len() - wanted]
            .iter()
            .filter_map(|pod| pod.at("/metadata/name").and_then(Value::as_str))
            .map(str::to_string)
            .collect();
    }
    let live: Vec<&Value> = owned.iter().copied().filter(|pod| active(pod)).collect();
    let ready_count = live.iter().filter(|pod| ready(pod)).count();
    sync.status = json!({
        "replicas": live.len(),
        "fullyLabeledReplicas": live.len(),
        "readyReplicas": ready_count,
        "availableReplicas": ready_count,
        "observedGeneration": replicaset.at("/metadata/generation").cloned().unwrap_or(json!(1)),
    });
    sync
}

/// Lower ranks go first: (on a node?, running?, ready?, fewer restarts, older).
fn deletion_rank(
    pod: &Value,
) -> (
    bool,
    bool,
    bool,
    std::cmp::Reverse<u64>,
    std::cmp::Reverse<String>,
) {
    let restarts = pod
        .at("/status/containerStatuses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|status| status.get("restartCount").and_then(Value::as_u64))
        .sum();
    let created = pod
        .at("/metadata/creationTimestamp")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    (
        pod.at("/spec/nodeName").is_some(),
        pod.at("/status/phase").and_then(Value::as_str) == Some("Running"),
        ready(pod),
        std::cmp::Reverse(restarts),
        std::cmp::Reverse(created),
    )
}

/// A Pod of the ReplicaSet's template, named `REPLICASET-xxxxx` as `generateName` names it.
fn new_pod(replicaset: &Value, number: u64) -> Value {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let name = replicaset
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut hash = crate::model::stable_hash(&[name.as_bytes(), &number.to_le_bytes()]);
    let suffix: String = (0..5)
        .map(|_| {
            let letter = ALPHABET[(hash % ALPHABET.len() as u64) as usize] as char;
            hash /= ALPHABET.len() as u64;
            letter
        })
        .collect();
    let template = replicaset.at("/spec/template");
    let mut pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": format!("{name}-{suffix}"),
            "generateName": format!("{name}-"),
            "namespace": replicaset.at("/metadata/namespace").cloned().unwrap_or(json!("default")),
            "ownerReferences": [{
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": name,
                "uid": replicaset.at("/metadata/uid").cloned().unwrap_or(json!("")),
                "controller": true,
                "blockOwnerDeletion": true
            }]
        },
        "status": {"phase": "Pending"}
    });
    if let Some(labels) = template.and_then(|template| template.at("/metadata/labels")) {
        pod["metadata"]["labels"] = labels.clone();
    }
    if let Some(annotations) = template.and_then(|template| template.at("/metadata/annotations")) {
        pod["metadata"]["annotations"] = annotations.clone();
    }
    pod["spec"] = template
        .and_then(|template| template.get("spec"))
        .cloned()
        .unwrap_or(json!({}));
    pod
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replicaset(replicas: u64) -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": "frontend-6d8f7c9b54", "namespace": "shop", "uid": "rs-1", "generation": 1},
            "spec": {"replicas": replicas,
                     "template": {"metadata": {"labels": {"app": "frontend", "pod-template-hash": "6d8f7c9b54"}},
                                  "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}
        })
    }

    fn pod(name: &str, node: Option<&str>, phase: &str, is_ready: bool, created: &str) -> Value {
        let mut pod = json!({
            "metadata": {"name": name, "creationTimestamp": created},
            "spec": {},
            "status": {"phase": phase, "conditions": [{"type": "Ready", "status": if is_ready { "True" } else { "False" }}]}
        });
        if let Some(node) = node {
            pod["spec"]["nodeName"] = json!(node);
        }
        pod
    }

    #[test]
    fn missing_pods_are_made_from_the_template_and_owned_by_the_replicaset() {
        let sync = sync(&replicaset(3), &[], 0);
        assert_eq!(sync.create.len(), 3);
        let first = &sync.create[0];
        let name = first["metadata"]["name"].as_str().unwrap();
        assert!(
            name.starts_with("frontend-6d8f7c9b54-")
                && name.len() == "frontend-6d8f7c9b54-".len() + 5,
            "{name}"
        );
        assert_ne!(
            sync.create[1]["metadata"]["name"],
            first["metadata"]["name"]
        );
        assert_eq!(first["metadata"]["namespace"], "shop");
        assert_eq!(
            first["metadata"]["labels"]["pod-template-hash"],
            "6d8f7c9b54"
        );
        assert_eq!(first["metadata"]["ownerReferences"][0]["uid"], "rs-1");
        assert_eq!(first["spec"]["containers"][0]["image"], "nginx:1.27");
        assert_eq!(first["status"]["phase"], "Pending");
        // The same history makes the same names.
        assert_eq!(super::sync(&replicaset(3), &[], 0).create, sync.create);
    }

    #[test]
    fn scaling_down_deletes_the_pods_that_matter_least_first() {
        let running_old = pod("a", Some("node01"), "Running", true, "2026-06-01T09:00:00Z");
        let running_new = pod("b", Some("node01"), "Running", true, "2026-06-01T09:30:00Z");
        let not_ready = pod(
            "c",
            Some("node02"),
            "Running",
            false,
            "2026-06-01T09:00:00Z",
        );
        let pending = pod(
            "d",
            Some("node02"),
            "Pending",
            false,
            "2026-06-01T09:00:00Z",
        );
        let unscheduled = pod("e", None, "Pending", false, "2026-06-01T09:00:00Z");
        let mut finished = pod("f", Some("node01"), "Failed", false, "2026-06-01T08:00:00Z");
        finished["status"]["phase"] = json!("Failed");
        let owned = [
            &running_old,
            &running_new,
            &not_ready,
            &pending,
            &unscheduled,
            &finished,
        ];
        let sync = sync(&replicaset(1), &owned, 0);
        assert_eq!(
            sync.delete,
            ["e", "d", "c", "b"],
            "the oldest ready Pod stays"
        );
        assert_eq!(sync.status["replicas"], 5, "a failed Pod is not counted");
        assert_eq!(sync.status["readyReplicas"], 2);
    }
}
