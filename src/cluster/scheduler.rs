//! The scheduler's filters and its FailedScheduling message, as kube-scheduler 1.37 runs them
//! with the default plugins: for each node the filters run in the default order
//! (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodeResourcesFit) and the first
//! that fails gives the node's reason; a Pod no node fits gets the message `kubectl describe`
//! shows in its events, reasons counted and sorted as the scheduler sorts them.
//!
//! Simplified, and said so in docs: among the nodes that fit, the one with the fewest Pods is
//! chosen (then by name) where the real scheduler scores them; preemption never finds victims
//! (scenarios run every Pod at the default priority).

use crate::cluster::At as _;
use serde_json::Value;

use crate::grade::process::quantity;

/// Why a node does not fit a Pod: the first filter that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unfit {
    /// Cordoned (`spec.unschedulable`).
    Unschedulable,
    /// `spec.nodeName` names another node.
    NodeName,
    /// A `NoSchedule` or `NoExecute` taint the Pod does not tolerate.
    Taint { key: String, value: String },
    /// `nodeSelector` or required node affinity.
    Affinity,
    /// Requests beyond what is left of the node's allocatable.
    Insufficient(Vec<&'static str>),
}

impl Unfit {
    /// The reason as the scheduler counts it ("node(s) …", or one per resource).
    fn reasons(&self) -> Vec<String> {
        match self {
            Unfit::Unschedulable => vec!["node(s) were unschedulable".into()],
            Unfit::NodeName => vec!["node(s) didn't match the requested node name".into()],
            // Since 1.35 the scheduler no longer names the taint's key and value.
            Unfit::Taint { .. } => vec!["node(s) had untolerated taint(s)".into()],
            Unfit::Affinity => vec!["node(s) didn't match Pod's node affinity/selector".into()],
            Unfit::Insufficient(resources) => resources
                .iter()
                .map(|resource| format!("Insufficient {resource}"))
                .collect(),
        }
    }

    /// Whether evicting other Pods could make room (only for resources).
    fn preemption_could_help(&self) -> bool {
        matches!(self, Unfit::Insufficient(_))
    }
}

/// Whether `node` fits `pod`, given the Pods already bound to it.
pub fn filter(pod: &Value, node: &Value, on_node: &[&Value]) -> Result<(), Unfit> {
    let node_name = node
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if node.at("/spec/unschedulable").and_then(Value::as_bool) == Some(true) {
        // Tolerating the unschedulable taint lets a Pod (a DaemonSet's) in anyway.
        if !tolerated(pod, "node.kubernetes.io/unschedulable", "", "NoSchedule") {
            return Err(Unfit::Unschedulable);
        }
    }
    if let Some(wanted) = pod.at("/spec/nodeName").and_then(Value::as_str)
        && !wanted.is_empty()
        && wanted != node_name
    {
        return Err(Unfit::NodeName);
    }
    for taint in node
        .at("/spec/taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let field = |name: &str| taint.get(name).and_then(Value::as_str).unwrap_or_default();
        let effect = field("effect");
        if matches!(effect, "NoSchedule" | "NoExecute")
            && !tolerated(pod, field("key"), field("value"), effect)
        {
            return Err(Unfit::Taint {
                key: field("key").to_string(),
                value: field("value").to_string(),
            });
        }
    }
    if !affinity_matches(pod, node) {
        return Err(Unfit::Affinity);
    }
    let mut short = Vec::new();
    for (resource, name) in [("cpu", "cpu"), ("memory", "memory")] {
        let allocatable = node
            .at(&format!("/status/allocatable/{resource}"))
            .and_then(quantity);
        let Some(allocatable) = allocatable else {
            continue;
        };
        let used: f64 = on_node.iter().map(|other| requests(other, resource)).sum();
        if requests(pod, resource) > 0.0 && used + requests(pod, resource) > allocatable {
            short.push(name);
        }
    }
    if short.is_empty() {
        Ok(())
    } else {
        Err(Unfit::Insufficient(short))
    }
}

/// The node a Pod goes to, or the scheduler's message when none fits. `pods` are every Pod
/// already bound (their `spec.nodeName` set).
pub fn schedule(pod: &Value, nodes: &[&Value], pods: &[&Value]) -> Result<String, String> {
    let name_of = |node: &Value| {
        node.at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let mut fitting: Vec<(usize, String)> = Vec::new();
    let mut failures: Vec<Unfit> = Vec::new();
    for node in nodes {
        let name = name_of(node);
        let on_node: Vec<&Value> = pods
            .iter()
            .copied()
            .filter(|other| other.at("/spec/nodeName").and_then(Value::as_str) == Some(&name))
            .collect();
        match filter(pod, node, &on_node) {
            Ok(()) => fitting.push((on_node.len(), name)),
            Err(unfit) => failures.push(unfit),
        }
    }
    if let Some((_, name)) = fitting.into_iter().min() {
        return Ok(name);
    }
    Err(fit_error(nodes.len(), &failures))
}

/// `0/N nodes are available: <counted reasons>. no new claims to deallocate, preemption: 0/N nodes are available: <…>.`
fn fit_error(nodes: usize, failures: &[Unfit]) -> String {
    let counted = |reasons: Vec<String>| -> String {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for reason in reasons {
            match counts.iter_mut().find(|(known, _)| *known == reason) {
                Some((_, count)) => *count += 1,
                None => counts.push((reason, 1)),
            }
        }
        let mut texts: Vec<String> = counts
            .into_iter()
            .map(|(reason, count)| format!("{count} {reason}"))
            .collect();
        texts.sort();
        texts.join(", ")
    };
    let reasons = counted(failures.iter().flat_map(Unfit::reasons).collect());
    let preemption = counted(
        failures
            .iter()
            .map(|unfit| {
                if unfit.preemption_could_help() {
                    "No preemption victims found for incoming pod".to_string()
                } else {
                    "Preemption is not helpful for scheduling".to_string()
                }
            })
            .collect(),
    );
    if nodes == 0 {
        return "no nodes available to schedule pods".into();
    }
    format!(
        "0/{nodes} nodes are available: {reasons}. no new claims to deallocate, preemption: 0/{nodes} nodes are available: {preemption}."
    )
}

/// Whether one of the Pod's tolerations tolerates the taint.
fn tolerated(pod: &Value, key: &str, value: &str, effect: &str) -> bool {
    pod.at("/spec/tolerations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|toleration| {
            let field = |name: &str| {
                toleration
                    .get(name)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            };
            let effect_ok = field("effect").is_empty() || field("effect") == effect;
            let key_ok = field("key").is_empty() || field("key") == key;
            let value_ok = match field("operator") {
                "Exists" => true,
                // Equal is the default; an empty key needs Exists.
                _ => !field("key").is_empty() && field("value") == value,
            };
            effect_ok && key_ok && value_ok
        })
}

/// `nodeSelector` (every label equal) and the required node affinity (any term, each of whose
/// expressions holds).
fn affinity_matches(pod: &Value, node: &Value) -> bool {
    let labels = node.at("/metadata/labels");
    let label = |key: &str| {
        labels
            .and_then(|labels| labels.get(key))
            .and_then(Value::as_str)
    };
    let selector_ok = pod
        .at("/spec/nodeSelector")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .all(|(key, value)| label(key) == value.as_str());
    if !selector_ok {
        return false;
    }
    let Some(terms) = pod
        .at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array)
    else {
        return true;
    };
    let node_name = node.at("/metadata/name").and_then(Value::as_str);
    terms.iter().any(|term| {
        let key_of = |expression: &Value| {
            expression
                .get("key")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let holds = |expression: &Value, actual: Option<&str>| {
            let values: Vec<&str> = expression
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let number = |text: Option<&str>| text.and_then(|text| text.parse::<i64>().ok());
            match expression.get("operator").and_then(Value::as_str) {
                Some("In") => actual.is_some_and(|actual| values.contains(&actual)),
                Some("NotIn") => actual.is_none_or(|actual| !values.contains(&actual)),
                Some("Exists") => actual.is_some(),
                Some("DoesNotExist") => actual.is_none(),
                Some("Gt") => matches!((number(actual), number(values.first().copied())), (Some(a), Some(b)) if a > b),
                Some("Lt") => matches!((number(actual), number(values.first().copied())), (Some(a), Some(b)) if a < b),
                _ => false,
            }
        };
        let expressions = term.get("matchExpressions").and_then(Value::as_array);
        let fields = term.get("matchFields").and_then(Value::as_array);
        // A term with no requirements matches nothing.
        if expressions.is_none_or(Vec::is_empty) && fields.is_none_or(Vec::is_empty) {
            return false;
        }
        expressions
            .into_iter()
            .flatten()
            .all(|expression| holds(expression, label(&key_of(expression))))
            && fields.into_iter().flatten().all(|expression| {
                let actual = (key_of(expression) == "metadata.name")
                    .then_some(node_name)
                    .flatten();
                holds(expression, actual)
            })
    })
}

/// What a Pod asks of a node for `resource`: its containers' and sidecars' requests summed,
/// or the largest single init container's if that is more (the effective request).
fn requests(pod: &Value, resource: &str) -> f64 {
    let request = |container: &Value| {
        container
            .at(&format!("/resources/requests/{resource}"))
            .and_then(quantity)
            .unwrap_or(0.0)
    };
    let containers = |key: &str| -> Vec<&Value> {
        pod.at(&format!("/spec/{key}"))
            .and_then(Value::as_array)
            .map(|items| items.iter().collect())
            .unwrap_or_default()
    };
    let init = containers("initContainers");
    let sidecars: f64 = init
        .iter()
        .filter(|container| {
            container.get("restartPolicy").and_then(Value::as_str) == Some("Always")
        })
        .map(|container| request(container))
        .sum();
    let running: f64 = containers("containers")
        .iter()
        .map(|container| request(container))
        .sum::<f64>()
        + sidecars;
    let largest_init = init
        .iter()
        .filter(|container| {
            container.get("restartPolicy").and_then(Value::as_str) != Some("Always")
        })
        .map(|container| request(container))
        .fold(0.0, f64::max);
    running.max(largest_init)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn node(name: &str, labels: Value, taints: Value) -> Value {
        let mut node = json!({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name},
            "status": {"allocatable": {"cpu": "2", "memory": "4Gi"}}
        });
        node["metadata"]["labels"] = labels;
        node["spec"] = json!({});
        node["spec"]["taints"] = taints;
        node
    }

    fn gpu_job(tolerations: Value) -> Value {
        let mut pod = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "gpu-job", "namespace": "default"},
            "spec": {"nodeSelector": {"gpu": "true"},
                     "containers": [{"name": "job", "image": "busybox", "command": ["sleep", "3600"]}]}
        });
        pod["spec"]["tolerations"] = tolerations;
        pod
    }

    fn nodes() -> (Value, Value) {
        (
            node(
                "node01",
                json!({"gpu": "true"}),
                json!([{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]),
            ),
            node("node02", json!({}), json!([])),
        )
    }

    #[test]
    fn a_pod_that_fits_no_node_gets_the_schedulers_counted_reasons() {
        let (node01, node02) = nodes();
        let error = schedule(&gpu_job(json!([])), &[&node01, &node02], &[]).unwrap_err();
        assert_eq!(
            error,
            "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
        );
    }

    #[test]
    fn a_toleration_for_the_taint_lets_the_pod_onto_the_labelled_node() {
        let (node01, node02) = nodes();
        let equal = json!([{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]);
        assert_eq!(
            schedule(&gpu_job(equal), &[&node01, &node02], &[]).unwrap(),
            "node01"
        );
        let exists = json!([{"key": "dedicated", "operator": "Exists"}]);
        assert_eq!(
            schedule(&gpu_job(exists), &[&node01, &node02], &[]).unwrap(),
            "node01"
        );
        // The wrong value, or another effect, does not tolerate it.
        let wrong = json!([{"key": "dedicated", "value": "cpu", "effect": "NoSchedule"}]);
        assert!(schedule(&gpu_job(wrong), &[&node01, &node02], &[]).is_err());
        let other_effect = json!([{"key": "dedicated", "value": "gpu", "effect": "NoExecute"}]);
        assert!(schedule(&gpu_job(other_effect), &[&node01, &node02], &[]).is_err());
    }

    #[test]
    fn a_cordoned_node_and_the_control_plane_taint_are_reasons_of_their_own() {
        let mut cordoned = node("node01", json!({}), json!([]));
        cordoned["spec"]["unschedulable"] = json!(true);
        let control_plane = node(
            "controlplane",
            json!({}),
            json!([{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]),
        );
        let pod = json!({"spec": {"containers": [{"name": "app", "image": "nginx"}]}});
        assert_eq!(
            schedule(&pod, &[&control_plane, &cordoned], &[]).unwrap_err(),
            "0/2 nodes are available: 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
        );
    }

    #[test]
    fn requests_beyond_what_is_left_are_insufficient_and_preemption_finds_no_victims() {
        let worker = node("node01", json!({}), json!([]));
        let big = |name: &str, cpu: &str| {
            json!({"metadata": {"name": name}, "spec": {"nodeName": "node01", "containers": [
                {"name": "app", "image": "nginx", "resources": {"requests": {"cpu": cpu, "memory": "1Gi"}}}]}})
        };
        let running = big("a", "1500m");
        let mut pending = big("b", "600m");
        pending["spec"].as_object_mut().unwrap().remove("nodeName");
        assert_eq!(
            schedule(&pending, &[&worker], &[&running]).unwrap_err(),
            "0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
        );
        let mut small = big("c", "500m");
        small["spec"].as_object_mut().unwrap().remove("nodeName");
        assert_eq!(schedule(&small, &[&worker], &[&running]).unwrap(), "node01");
    }

    #[test]
    fn required_node_affinity_any_term_each_expression() {
        let ssd = node("node01", json!({"disk": "ssd", "zone": "a"}), json!([]));
        let hdd = node("node02", json!({"disk": "hdd", "zone": "a"}), json!([]));
        let pod = json!({"spec": {"containers": [{"name": "db", "image": "postgres:16"}], "affinity": {"nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd", "nvme"]},
                                      {"key": "zone", "operator": "Exists"}]}]}}}}});
        assert_eq!(schedule(&pod, &[&hdd, &ssd], &[]).unwrap(), "node01");
        assert!(filter(&pod, &hdd, &[]).is_err());
        // The least busy of the nodes that fit.
        let any = json!({"spec": {"containers": [{"name": "web", "image": "nginx"}]}});
        let busy = json!({"spec": {"nodeName": "node01", "containers": []}});
        assert_eq!(schedule(&any, &[&ssd, &hdd], &[&busy]).unwrap(), "node02");
    }
}
