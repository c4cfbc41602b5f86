//! One sync of the Deployment controller over its ReplicaSets (pkg/controller/deployment,
//! `syncDeployment`): find or make the ReplicaSet of the current template (named by its
//! [`template_hash`]), number revisions, scale for the strategy, and compute the Deployment's
//! status. Pure: it takes the Deployment and the ReplicaSets it owns and returns what to write.

use crate::cluster::At as _;
use serde_json::{Value, json};

use super::rollout::{Fenceposts, Replicas, rolling_sync, template_hash};

const REVISION: &str = "deployment.kubernetes.io/revision";
const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
const MAX: &str = "deployment.kubernetes.io/max-replicas";
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
    DESIRED,
    MAX,
    "deprecated.deployment.rollback.to",
];

/// Copies the Deployment's annotations (all but [`OWN_ANNOTATIONS`]) onto a ReplicaSet's
/// annotation map; true if anything changed. Like the controller, it never removes one.
fn copy_annotations(deployment: &Value, annotations: &mut serde_json::Map<String, Value>) -> bool {
    let mut changed = false;
    if let Some(own) = deployment
        .at("/metadata/annotations")
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
    object.at(pointer).and_then(Value::as_u64).unwrap_or(0) as u32
}

fn revision(replicaset: &Value) -> u64 {
    replicaset
        .at("/metadata/annotations")
        .and_then(|annotations| annotations.get(REVISION))
        .and_then(Value::as_str)
        .and_then(|text| text.parse().ok())
        .unwrap_or(0)
}

fn hash_label(replicaset: &Value) -> Option<&str> {
    replicaset
        .at("/metadata/labels")
        .and_then(|labels| labels.get(HASH))
        .and_then(Value::as_str)
}

/// One sync of `deployment`, which owns `owned` (its ReplicaSets, oldest first).
pub fn sync(deployment: &Value, owned: &[&Value]) -> Sync {
    let name = deployment
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let replicas = deployment
        .at("/spec/replicas")
        .and_then(Value::as_u64)
        .unwrap_or(1) as u32;
    let template = deployment.at("/spec/template").cloned().unwrap_or_default();
    let hash = template_hash(&template);
    let paused = deployment.at("/spec/paused").and_then(Value::as_bool) == Some(true);
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
    let strategy = deployment
        .at("/spec/strategy/type")
        .and_then(Value::as_str)
        .unwrap_or("RollingUpdate");
    let surge = if strategy == "Recreate" {
        0
    } else {
        Fenceposts::of(replicas, deployment.at("/spec/strategy/rollingUpdate")).surge
    };
    // A scaling event (the active ReplicaSets were sized for other replicas): this sync only
    // scales, paused or not, as the controller's `sync` does.
    let scaled = scaling_event(&all, replicas)
        .then(|| scale_event(&all, new_index, replicas, surge, strategy != "Recreate"))
        .flatten();
    let scaling = scaled.is_some();
    let mut sizes: Vec<(usize, u32)> = scaled.unwrap_or_default();
    if !scaling
        && !paused
        && let Some(new_index) = new_index
    {
        let old: Vec<usize> = (0..all.len()).filter(|index| *index != new_index).collect();
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
            let fence = Fenceposts::of(replicas, deployment.at("/spec/strategy/rollingUpdate"));
            let olds: Vec<Replicas> = old.iter().map(|index| replicas_of(&all[*index])).collect();
            rolling_sync(replicas, fence, replicas_of(&all[new_index]), &olds)
        };
        sizes.push((new_index, new_desired));
        sizes.extend(old.into_iter().zip(old_desired));
    }
    {
        // scaleReplicaSet: a ReplicaSet the controller sizes also records what it was sized for.
        let mut scale = |index: usize, desired: u32| {
            let record = |replicaset: &mut Value| {
                if let Some(Value::Object(annotations)) = replicaset["metadata"]
                    .as_object_mut()
                    .map(|metadata| metadata.entry("annotations").or_insert_with(|| json!({})))
                {
                    let mut changed = false;
                    for (key, value) in [(DESIRED, replicas), (MAX, replicas + surge)] {
                        let value = json!(value.to_string());
                        if annotations.get(key) != Some(&value) {
                            annotations.insert(key.into(), value);
                            changed = true;
                        }
                    }
                    changed
                } else {
                    false
                }
            };
            let resized = number(&all[index], "/spec/replicas") != desired;
            if resized {
                all[index]["spec"]["replicas"] = json!(desired);
            }
            let recorded = (resized || scaling) && record(&mut all[index]);
            if resized
                || recorded
                || sync
                    .create
                    .iter()
                    .any(|created| created["metadata"]["name"] == all[index]["metadata"]["name"])
            {
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
        for (index, desired) in sizes {
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
        "observedGeneration": deployment.at("/metadata/generation").cloned().unwrap_or(json!(1)),
        "replicas": sum("/status/replicas"),
        "updatedReplicas": new_index.map_or(0, |index| number(&all[index], "/status/replicas")),
        "readyReplicas": sum("/status/readyReplicas"),
        "availableReplicas": available,
        "unavailableReplicas": replicas.saturating_sub(available),
    });
    sync
}

fn annotated(replicaset: &Value, key: &str) -> Option<u32> {
    replicaset
        .at("/metadata/annotations")
        .and_then(|annotations| annotations.get(key))
        .and_then(Value::as_str)
        .and_then(|text| text.parse().ok())
}

/// isScalingEvent: an active ReplicaSet (one asking for Pods) was sized for another number of
/// replicas than the Deployment's (one without the annotation says nothing).
fn scaling_event(all: &[Value], replicas: u32) -> bool {
    all.iter().any(|replicaset| {
        number(replicaset, "/spec/replicas") > 0
            && annotated(replicaset, DESIRED).is_some_and(|desired| desired != replicas)
    })
}

/// The controller's `scale`: the sizes the ReplicaSets take after the Deployment was scaled.
/// One active ReplicaSet (or none: the newest) takes the new size; a saturated new one leaves
/// the old ones nothing; during a rolling update the Pods to add or remove (up to replicas +
/// maxSurge) are shared in proportion to each active ReplicaSet's size, the rest going to the
/// largest (getReplicaSetFraction, GetProportion). `None`: a Recreate Deployment with more than
/// one active ReplicaSet, which its rollout sizes.
fn scale_event(
    all: &[Value],
    new_index: Option<usize>,
    replicas: u32,
    surge: u32,
    rolling: bool,
) -> Option<Vec<(usize, u32)>> {
    let size = |index: usize| number(&all[index], "/spec/replicas");
    let active: Vec<usize> = (0..all.len()).filter(|index| size(*index) > 0).collect();
    if active.len() <= 1 {
        let target = active
            .first()
            .copied()
            .or(new_index)
            .or(all.len().checked_sub(1));
        return Some(
            target
                .map(|index| vec![(index, replicas)])
                .unwrap_or_default(),
        );
    }
    if let Some(new_index) = new_index
        && size(new_index) == replicas
        && annotated(&all[new_index], DESIRED) == Some(replicas)
        && number(&all[new_index], "/status/availableReplicas") == replicas
    {
        return Some(
            active
                .into_iter()
                .filter(|index| *index != new_index)
                .map(|index| (index, 0))
                .collect(),
        );
    }
    // Recreate has no proportions: its rollout goes on.
    if !rolling {
        return None;
    }
    let current: i64 = active.iter().map(|index| i64::from(size(*index))).sum();
    let allowed = if replicas > 0 {
        i64::from(replicas + surge)
    } else {
        0
    };
    let to_add = allowed - current;
    let mut order = active;
    // Larger first; among equals the newer first when adding, the older first when removing
    // (`all` is oldest first).
    order.sort_by(|a, b| {
        size(*b)
            .cmp(&size(*a))
            .then(if to_add > 0 { b.cmp(a) } else { a.cmp(b) })
    });
    let mut sizes: Vec<(usize, i64)> = Vec::new();
    let mut added = 0i64;
    for index in &order {
        let own = i64::from(size(*index));
        let mut proportion = 0;
        if to_add != 0 && to_add != added {
            let fraction = if replicas == 0 {
                -own
            } else {
                let sized_for = annotated(&all[*index], MAX).map_or(current, i64::from);
                let scaled = (own * allowed) as f64 / sized_for.max(1) as f64;
                (scaled + 0.5).floor() as i64 - own
            };
            let left = to_add - added;
            proportion = if to_add > 0 {
                fraction.min(left)
            } else {
                fraction.max(left)
            };
        }
        added += proportion;
        sizes.push((*index, own + proportion));
    }
    // What rounding left over goes to the first (largest).
    if let Some(first) = sizes.first_mut() {
        first.1 = (first.1 + to_add - added).max(0);
    }
    Some(
        sizes
            .into_iter()
            .map(|(index, size)| (index, size.max(0) as u32))
            .collect(),
    )
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
        .at("/spec/selector")
        .cloned()
        .unwrap_or(json!({}));
    selector["matchLabels"][HASH] = json!(hash);
    let mut labels = template["metadata"]["labels"].clone();
    labels[HASH] = json!(hash);
    let replicas = deployment
        .at("/spec/replicas")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    let surge = if deployment.at("/spec/strategy/type").and_then(Value::as_str) == Some("Recreate")
    {
        0
    } else {
        u64::from(
            Fenceposts::of(
                replicas as u32,
                deployment.at("/spec/strategy/rollingUpdate"),
            )
            .surge,
        )
    };
    let mut annotations = json!({
        REVISION: revision.to_string(),
        DESIRED: replicas.to_string(),
        MAX: (replicas + surge).to_string(),
    });
    if let Some(annotations) = annotations.as_object_mut() {
        copy_annotations(deployment, annotations);
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": format!("{name}-{hash}"),
            "namespace": deployment.at("/metadata/namespace").cloned().unwrap_or(json!("default")),
            "labels": labels,
            "annotations": annotations,
            "ownerReferences": [{
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": name,
                "uid": deployment.at("/metadata/uid").cloned().unwrap_or(json!("")),
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

    /// A ReplicaSet of `deployment`'s template for `image`, sized for 10 (+3 surge).
    fn replicaset(image: &str, replicas: u32, available: u32, revision: u32) -> Value {
        let template = deployment(image, json!({}))["spec"]["template"].clone();
        let hash = template_hash(&template);
        json!({
            "metadata": {"name": format!("frontend-{hash}"), "labels": {"app": "frontend", HASH: hash},
                         "annotations": {REVISION: revision.to_string(), DESIRED: "10", MAX: "13"}},
            "spec": {"replicas": replicas, "template": template},
            "status": {"replicas": replicas, "availableReplicas": available}
        })
    }

    /// The documentation's proportional scaling: 10 replicas, maxSurge 3, maxUnavailable 2, a
    /// rollout stuck on an image that does not pull (8 old, 5 new), scaled to 15: of the 5 Pods
    /// to add (15 + 3 - 13), 3 go to the old ReplicaSet and 2 to the new one.
    #[test]
    fn scaling_during_a_rollout_shares_the_new_pods_in_proportion() {
        let strategy =
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 3, "maxUnavailable": 2}});
        let mut scaled = deployment("nginx:bad", strategy);
        scaled["spec"]["replicas"] = json!(15);
        let old = replicaset("nginx:1.26", 8, 8, 1);
        let new = replicaset("nginx:bad", 5, 0, 2);
        let sync = sync(&scaled, &[&old, &new]);
        let size = |name: &Value| {
            sync.update
                .iter()
                .find(|written| written["metadata"]["name"] == *name)
                .map(|written| {
                    (
                        written["spec"]["replicas"].as_u64().unwrap(),
                        written["metadata"]["annotations"][DESIRED].clone(),
                        written["metadata"]["annotations"][MAX].clone(),
                    )
                })
        };
        assert_eq!(
            size(&old["metadata"]["name"]),
            Some((11, json!("15"), json!("18")))
        );
        assert_eq!(
            size(&new["metadata"]["name"]),
            Some((7, json!("15"), json!("18")))
        );
        // Sized for 15 now: the next sync is the rollout's again, which cannot go on.
        let mut stuck = settle(vec![old, new], &sync);
        stuck[1]["status"]["availableReplicas"] = json!(0);
        let again = super::sync(&scaled, &stuck.iter().collect::<Vec<_>>());
        assert!(
            again.update.is_empty() && again.create.is_empty(),
            "{again:?}"
        );

        // Scaled down to 5 while stuck: the Pods to remove are shared in proportion too.
        scaled["spec"]["replicas"] = json!(5);
        let down = super::sync(&scaled, &stuck.iter().collect::<Vec<_>>());
        let sizes: Vec<u64> = down
            .update
            .iter()
            .map(|written| written["spec"]["replicas"].as_u64().unwrap())
            .collect();
        // Down to 5 + 3 surge: 11 * 8 / 18 rounds to 5, 7 * 8 / 18 to 3.
        assert_eq!(sizes, [5, 3]);
    }

    #[test]
    fn a_paused_deployment_still_scales() {
        let mut paused = deployment("nginx:1.26", json!({}));
        paused["spec"]["paused"] = json!(true);
        paused["spec"]["replicas"] = json!(6);
        let only = replicaset("nginx:1.26", 10, 10, 1);
        let sync = sync(&paused, &[&only]);
        assert_eq!(sync.update.len(), 1);
        assert_eq!(sync.update[0]["spec"]["replicas"], 6);
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
