//! One sync of the Deployment controller over its ReplicaSets (pkg/controller/deployment,
//! `syncDeployment`): find or make the ReplicaSet of the current template (named by its
//! [`template_hash`]), number revisions, scale for the strategy, and compute the Deployment's
//! status. Pure: it takes the Deployment and the ReplicaSets it owns and returns what to write.

use serde_json::{Value, json};

use super::rollout::{Fenceposts, Replicas, rolling_sync, template_hash};

const REVISION: &str = "deployment.kubernetes.io/revision";
const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
#[cfg(test)]
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// The annotations that stay the Deployment's own (pkg/controller/deployment/util's
/// `skipCopyAnnotation`, the same set as kubectl's rollback `annotationsToSkip`): every other
/// annotation of a Deployment is copied to its new ReplicaSet, and `kubectl rollout undo` takes
/// every other annotation back from the ReplicaSet it restores.
pub(crate) const OWN_ANNOTATIONS: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    REVISION_HISTORY,
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// Copies the Deployment's annotations (all but [`OWN_ANNOTATIONS`]) onto a ReplicaSet's
/// annotation map; true if anything changed. Like the controller, it never removes one.
fn copy_annotations(deployment: &Value, annotations: &mut serde_json::Map<String, Value>) -> bool {
    let mut changed = false;
    if let Some(own) = deployment
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
    {
        for (key, value) in own {
            if !OWN_ANNOTATIONS.contains(&key.as_str()) && annotations.get(key) != Some(value) {
                annotations.insert(key.clone(), value.clone());
                changed = true;
            }
        }
    }
    changed
}
const HASH: &str = "pod-template-hash";

/// What one sync writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sync {
    /// ReplicaSets to create.
    pub create: Vec<Value>,
    /// ReplicaSets to replace (same name), with their new replicas or annotations.
    pub update: Vec<Value>,
    /// The Deployment's new `status`.
    pub status: Value,
}

fn replicas_of(replicaset: &Value) -> Replicas {
    Replicas {
        desired: number(replicaset, "/spec/replicas"),
        available: number(replicaset, "/status/availableReplicas"),
    }
}

fn number(object: &Value, pointer: &str) -> u32 {
    object.pointer(pointer).and_then(Value::as_u64).unwrap_or(0) as u32
}

fn revision(replicaset: &Value) -> u64 {
    replicaset
        .pointer("/metadata/annotations")
        .and_then(|annotations| annotations.get(REVISION))
        .and_then(Value::as_str)
        .and_then(|text| text.parse().ok())
        .unwrap_or(0)
}

fn hash_label(replicaset: &Value) -> Option<&str> {
    replicaset
        .pointer("/metadata/labels")
        .and_then(|labels| labels.get(HASH))
        .and_then(Value::as_str)
}

/// One sync of `deployment`, which owns `owned` (its ReplicaSets, oldest first).
pub fn sync(deployment: &Value, owned: &[&Value]) -> Sync {
    let name = deployment
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let replicas = deployment
        .pointer("/spec/replicas")
        .and_then(Value::as_u64)
        .unwrap_or(1) as u32;
    let template = deployment
        .pointer("/spec/template")
        .cloned()
        .unwrap_or_default();
    let hash = template_hash(&template);
    let paused = deployment.pointer("/spec/paused").and_then(Value::as_bool) == Some(true);
    let mut sync = Sync::default();
    let mut all: Vec<Value> = owned
        .iter()
        .map(|replicaset| (*replicaset).clone())
        .collect();
    let max_revision = all.iter().map(revision).max().unwrap_or(0);
    let new_index = all
        .iter()
        .position(|replicaset| hash_label(replicaset) == Some(&hash));
    let new_index = match new_index {
        // A paused Deployment makes no new ReplicaSet.
        None if paused => None,
        None => {
            let replicaset = new_replicaset(deployment, name, &template, &hash, max_revision + 1);
            sync.create.push(replicaset.clone());
            all.push(replicaset);
            Some(all.len() - 1)
        }
        Some(index) => {
            // Rolled back to an old template: its ReplicaSet takes the next revision, and its
            // old number moves to the revision history. Either way the new ReplicaSet takes the
            // Deployment's annotations (an annotated change-cause reaches the history so).
            let current = revision(&all[index]);
            let annotations = all[index]["metadata"]
                .as_object_mut()
                .map(|metadata| metadata.entry("annotations").or_insert_with(|| json!({})));
            if let Some(Value::Object(annotations)) = annotations {
                let mut changed = copy_annotations(deployment, annotations);
                if current < max_revision {
                    let history = annotations
                        .get(REVISION_HISTORY)
                        .and_then(Value::as_str)
                        .map(|history| format!("{history},{current}"))
                        .unwrap_or_else(|| current.to_string());
                    annotations.insert(REVISION.into(), json!((max_revision + 1).to_string()));
                    annotations.insert(REVISION_HISTORY.into(), json!(history));
                    changed = true;
                }
                if changed {
                    sync.update.push(all[index].clone());
                }
            }
            Some(index)
        }
    };
    if !paused && let Some(new_index) = new_index {
        let old: Vec<usize> = (0..all.len()).filter(|index| *index != new_index).collect();
        let strategy = deployment
            .pointer("/spec/strategy/type")
            .and_then(Value::as_str)
            .unwrap_or("RollingUpdate");
        let (new_desired, old_desired): (u32, Vec<u32>) = if strategy == "Recreate" {
            // Every old Pod goes first; the new ReplicaSet scales up once none is left.
            let old_running: u32 = old
                .iter()
                .map(|index| number(&all[*index], "/status/replicas"))
                .sum();
            if old
                .iter()
                .any(|index| replicas_of(&all[*index]).desired > 0)
                || old_running > 0
            {
                (0, vec![0; old.len()])
            } else {
                (replicas, vec![0; old.len()])
            }
        } else {
            let fence =
                Fenceposts::of(replicas, deployment.pointer("/spec/strategy/rollingUpdate"));
            let olds: Vec<Replicas> = old.iter().map(|index| replicas_of(&all[*index])).collect();
            rolling_sync(replicas, fence, replicas_of(&all[new_index]), &olds)
        };
        let mut scale = |index: usize, desired: u32| {
            if number(&all[index], "/spec/replicas") != desired
                || sync
                    .create
                    .iter()
                    .any(|created| created["metadata"]["name"] == all[index]["metadata"]["name"])
            {
                all[index]["spec"]["replicas"] = json!(desired);
                let named = all[index]["metadata"]["name"].clone();
                if let Some(created) = sync
                    .create
                    .iter_mut()
                    .find(|created| created["metadata"]["name"] == named)
                {
                    *created = all[index].clone();
                } else if let Some(updated) = sync
                    .update
                    .iter_mut()
                    .find(|updated| updated["metadata"]["name"] == named)
                {
                    *updated = all[index].clone();
                } else {
                    sync.update.push(all[index].clone());
                }
            }
        };
        scale(new_index, new_desired);
        for (index, desired) in old.into_iter().zip(old_desired) {
            scale(index, desired);
        }
    }
    let sum = |pointer: &str| -> u32 {
        all.iter()
            .map(|replicaset| number(replicaset, pointer))
            .sum()
    };
    let available = sum("/status/availableReplicas");
    sync.status = json!({
        "observedGeneration": deployment.pointer("/metadata/generation").cloned().unwrap_or(json!(1)),
        "replicas": sum("/status/replicas"),
        "updatedReplicas": new_index.map_or(0, |index| number(&all[index], "/status/replicas")),
        "readyReplicas": sum("/status/readyReplicas"),
        "availableReplicas": available,
        "unavailableReplicas": replicas.saturating_sub(available),
    });
    sync
}

/// The ReplicaSet of the Deployment's current template, asking for no Pods yet.
fn new_replicaset(
    deployment: &Value,
    name: &str,
    template: &Value,
    hash: &str,
    revision: u64,
) -> Value {
    let mut template = template.clone();
    template["metadata"]["labels"][HASH] = json!(hash);
    let mut selector = deployment
        .pointer("/spec/selector")
        .cloned()
        .unwrap_or(json!({}));
    selector["matchLabels"][HASH] = json!(hash);
    let mut labels = template["metadata"]["labels"].clone();
    labels[HASH] = json!(hash);
    let mut annotations = json!({
        REVISION: revision.to_string(),
        "deployment.kubernetes.io/desired-replicas": deployment.pointer("/spec/replicas").and_then(Value::as_u64).unwrap_or(1).to_string(),
    });
    if let Some(annotations) = annotations.as_object_mut() {
        copy_annotations(deployment, annotations);
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": format!("{name}-{hash}"),
            "namespace": deployment.pointer("/metadata/namespace").cloned().unwrap_or(json!("default")),
            "labels": labels,
            "annotations": annotations,
            "ownerReferences": [{
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": name,
                "uid": deployment.pointer("/metadata/uid").cloned().unwrap_or(json!("")),
                "controller": true,
                "blockOwnerDeletion": true
            }]
        },
        "spec": {"replicas": 0, "selector": selector, "template": template}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(image: &str, strategy: Value) -> Value {
        let mut deployment = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "frontend", "namespace": "default", "uid": "d-1", "generation": 2},
            "spec": {"replicas": 4, "selector": {"matchLabels": {"app": "frontend"}},
                     "template": {"metadata": {"labels": {"app": "frontend"}},
                                  "spec": {"containers": [{"name": "web", "image": image}]}}}
        });
        deployment["spec"]["strategy"] = strategy;
        deployment
    }

    /// The ReplicaSets after a sync, with every Pod they ask for present and available.
    fn settle(owned: Vec<Value>, sync: &Sync) -> Vec<Value> {
        let mut all = owned;
        for written in sync.update.iter().chain(&sync.create) {
            match all
                .iter_mut()
                .find(|replicaset| replicaset["metadata"]["name"] == written["metadata"]["name"])
            {
                Some(replicaset) => *replicaset = written.clone(),
                None => all.push(written.clone()),
            }
        }
        for replicaset in &mut all {
            let desired = replicaset["spec"]["replicas"].clone();
            replicaset["status"] = json!({"replicas": desired, "readyReplicas": desired, "availableReplicas": desired});
        }
        all
    }

    fn run(deployment: &Value, mut owned: Vec<Value>) -> (Vec<Value>, Vec<Vec<u64>>) {
        let mut steps = Vec::new();
        for _ in 0..20 {
            let borrowed: Vec<&Value> = owned.iter().collect();
            let sync = sync(deployment, &borrowed);
            if sync.create.is_empty() && sync.update.is_empty() {
                break;
            }
            owned = settle(owned, &sync);
            steps.push(
                owned
                    .iter()
                    .map(|rs| rs["spec"]["replicas"].as_u64().unwrap())
                    .collect(),
            );
        }
        (owned, steps)
    }

    #[test]
    fn a_new_deployment_makes_its_first_replicaset_and_scales_it_up() {
        let (owned, steps) = run(&deployment("nginx:1.26", json!({})), Vec::new());
        assert_eq!(owned.len(), 1);
        let replicaset = &owned[0];
        let hash = template_hash(&deployment("nginx:1.26", json!({}))["spec"]["template"]);
        assert_eq!(replicaset["metadata"]["name"], format!("frontend-{hash}"));
        assert_eq!(replicaset["metadata"]["labels"][HASH], hash);
        assert_eq!(replicaset["spec"]["selector"]["matchLabels"][HASH], hash);
        assert_eq!(replicaset["metadata"]["annotations"][REVISION], "1");
        assert_eq!(replicaset["metadata"]["ownerReferences"][0]["uid"], "d-1");
        assert_eq!(steps.last().unwrap(), &[4]);
    }

    #[test]
    fn an_image_change_rolls_out_and_an_undo_renumbers_the_old_replicaset() {
        let (first, _) = run(&deployment("nginx:1.26", json!({})), Vec::new());
        let mut updated = deployment("nginx:1.27", json!({}));
        updated["metadata"]["annotations"] = json!({CHANGE_CAUSE: "image updated to 1.27"});
        let (second, steps) = run(&updated, first);
        // Within the fenceposts of 4 replicas: at most 5 Pods, the old set drained to 0.
        assert!(
            steps.iter().all(|step| step.iter().sum::<u64>() <= 5),
            "{steps:?}"
        );
        assert_eq!(steps.last().unwrap(), &[0, 4]);
        assert_eq!(second[1]["metadata"]["annotations"][REVISION], "2");
        assert_eq!(
            second[1]["metadata"]["annotations"][CHANGE_CAUSE],
            "image updated to 1.27"
        );
        // kubectl rollout undo puts revision 1's template back: that ReplicaSet becomes 3.
        let (third, _) = run(&deployment("nginx:1.26", json!({})), second);
        assert_eq!(third[0]["metadata"]["annotations"][REVISION], "3");
        assert_eq!(third[0]["metadata"]["annotations"][REVISION_HISTORY], "1");
        assert_eq!(
            (
                third[0]["spec"]["replicas"].as_u64(),
                third[1]["spec"]["replicas"].as_u64()
            ),
            (Some(4), Some(0))
        );
        let status = sync(
            &deployment("nginx:1.26", json!({})),
            &third.iter().collect::<Vec<_>>(),
        )
        .status;
        assert_eq!(status["availableReplicas"], 4);
        assert_eq!(status["updatedReplicas"], 4);
        assert_eq!(status["observedGeneration"], 2);
    }

    #[test]
    fn recreate_drains_every_old_pod_before_the_new_replicaset_grows_and_paused_waits() {
        let (first, _) = run(
            &deployment("nginx:1.26", json!({"type": "Recreate"})),
            Vec::new(),
        );
        let (_, steps) = run(
            &deployment("nginx:1.27", json!({"type": "Recreate"})),
            first.clone(),
        );
        assert_eq!(steps, [vec![0, 0], vec![0, 4]]);
        let mut paused = deployment("nginx:1.27", json!({}));
        paused["spec"]["paused"] = json!(true);
        let borrowed: Vec<&Value> = first.iter().collect();
        let sync = sync(&paused, &borrowed);
        assert!(sync.create.is_empty() && sync.update.is_empty());
        assert_eq!(sync.status["updatedReplicas"], 0);
    }
}
