//! The offline cluster: a small, deterministic model of what a Kubernetes 1.37 cluster does,
//! for troubleshooting scenarios (design.md §3b). It runs nothing: controllers are pure
//! functions over the objects and the time, and what a container does comes from the
//! scenario's declared rules.
//!
//! Built so far: the Deployment controller's arithmetic ([`rollout`]: how far a rolling update
//! may go in each step, and how revisions are numbered, rolled back and listed) and one sync of
//! a Deployment over its ReplicaSets ([`deployment`]) and of a ReplicaSet over its Pods
//! ([`replicaset`]), the kubelet's
//! restart back-off ([`backoff`]), label selectors in both their forms ([`labels`]) and the
//! API server's object store with its metadata and its refusals ([`objects`]), the
//! EndpointSlice controller's view of a Service ([`endpoints`]), what `kubectl get` prints for
//! a Pod and an age ([`print`]), the scheduler's filters with its FailedScheduling message
//! ([`scheduler`]), and the kubelet's check of a container's environment ([`kubelet`]). Each follows the upstream controller's code paths
//! and is tested against the documented behaviour.

pub mod admission;
pub mod backoff;
pub mod binding;
pub(crate) mod conditions;
pub(crate) mod controllers;
pub mod deployment;
pub mod emit;
pub mod endpoints;
pub mod jsonpath;
pub mod kubectl;
pub mod kubelet;
pub mod labels;
pub mod netpol;
pub mod objects;
pub mod pods;
pub mod print;
pub mod replicaset;
pub mod rollout;
pub mod routing;
pub mod scheduler;
pub mod sed;
pub mod shell;
pub mod sim;
pub mod tabwriter;
pub mod text_tools;

use serde_json::Value;

/// `Value::pointer` without its allocations: serde_json unescapes every token into a new
/// String, and the simulator looks up paths millions of times a scenario. Same meaning:
/// `/a/0/b~1c` (with `~1` for `/` and `~0` for `~`), `""` for the value itself.
pub(crate) trait At {
    fn at(&self, path: &str) -> Option<&Value>;
}

impl At for Value {
    fn at(&self, path: &str) -> Option<&Value> {
        if path.is_empty() {
            return Some(self);
        }
        let rest = path.strip_prefix('/')?;
        let mut target = self;
        for token in rest.split('/') {
            let unescaped;
            let token = if token.contains('~') {
                unescaped = token.replace("~1", "/").replace("~0", "~");
                unescaped.as_str()
            } else {
                token
            };
            target = match target {
                Value::Object(map) => map.get(token)?,
                Value::Array(list) => {
                    if token.starts_with('+') || (token.len() > 1 && token.starts_with('0')) {
                        return None;
                    }
                    list.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(target)
    }
}

/// The list at `pointer` in an object, or an empty one when there is none.
pub(crate) fn list<'v>(object: &'v Value, pointer: &str) -> &'v [Value] {
    object
        .at(pointer)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Whether an object's status has the condition `kind` (`Ready`, `Initialized` …) set to True.
pub(crate) fn condition_true(object: &Value, kind: &str) -> bool {
    object
        .at("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|condition| {
            condition.get("type").and_then(Value::as_str) == Some(kind)
                && condition.get("status").and_then(Value::as_str) == Some("True")
        })
}
