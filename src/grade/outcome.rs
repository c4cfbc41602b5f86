//! The checks graded by what the objects do together: which connections NetworkPolicies allow
//! (`connection`), which backend a request reaches through Ingresses or HTTPRoutes (`route`),
//! and which PersistentVolume a claim binds to (`binding`). The same evaluators
//! ([`crate::cluster::netpol`], [`crate::cluster::routing`], [`crate::cluster::binding`]) judge
//! an exercise's answer with its `given` objects and a scenario's live cluster.

use serde_json::Value;

use crate::cluster::At as _;
use crate::cluster::binding::{self, Binding};
use crate::cluster::netpol::{Endpoint, World};
use crate::cluster::routing::{self, Answer, Backend, Request};
use crate::model::{BindingExpect, CheckRule, RouteExpect, Target};

/// The verdict and what was found, for a check of one of the three types; `None` for any other
/// rule. `objects` are everything the check may see (answer and given, or the cluster);
/// `namespace` is where names without one live.
pub fn evaluate(
    rule: &CheckRule,
    target: Option<&Target>,
    objects: &[&Value],
    namespace: &str,
) -> Option<(bool, String)> {
    Some(match rule {
        CheckRule::Connection {
            from,
            to,
            port,
            protocol,
            allowed,
        } => connection(objects, namespace, (from, to), port, protocol, *allowed),
        CheckRule::Route {
            url,
            method,
            headers,
            expect,
        } => route(
            objects,
            namespace,
            target,
            (url, method.as_deref(), headers),
            expect,
        ),
        CheckRule::Binding(expect) => claim(objects, namespace, target, expect),
        _ => return None,
    })
}

fn connection(
    objects: &[&Value],
    namespace: &str,
    (from, to): (&str, &str),
    port: &crate::cluster::netpol::Port,
    protocol: &str,
    allowed: bool,
) -> (bool, String) {
    let ends = Endpoint::parse(from, namespace)
        .and_then(|from| Endpoint::parse(to, namespace).map(|to| (from, to)));
    let verdict = ends.and_then(|(from, to)| {
        World::new(objects.iter().copied()).connection(&from, &to, port, protocol)
    });
    match verdict {
        Err(why) => (false, why),
        Ok(verdict) => {
            let said = if verdict.allowed {
                format!("{from} → {to} is {}", verdict.reason)
            } else {
                format!("{from} → {to} is refused: {}", verdict.reason)
            };
            (verdict.allowed == allowed, said)
        }
    }
}

fn route(
    objects: &[&Value],
    namespace: &str,
    target: Option<&Target>,
    (url, method, headers): (&str, Option<&str>, &[(String, String)]),
    expect: &RouteExpect,
) -> (bool, String) {
    let mut request = match Request::parse(url) {
        Ok(request) => request,
        Err(why) => return (false, why),
    };
    if let Some(method) = method {
        request.method = method.to_string();
    }
    request.headers = headers.to_vec();
    let has = |kind: &str| {
        objects
            .iter()
            .any(|object| object.get("kind").and_then(Value::as_str) == Some(kind))
    };
    let routed = match target {
        Some(target) if target.kind == "HTTPRoute" => {
            if !named(objects, target) {
                return (
                    false,
                    format!("there is no HTTPRoute named `{}`", target.name),
                );
            }
            routing::http_route(objects, Some(&target.name), &request)
        }
        Some(target) => {
            if !named(objects, target) {
                return (
                    false,
                    format!("there is no Ingress named `{}`", target.name),
                );
            }
            routing::ingress(objects, Some(&target.name), &request)
        }
        None if has("HTTPRoute") && !has("Ingress") => routing::http_route(objects, None, &request),
        None => routing::ingress(objects, None, &request),
    };
    let found = match &routed.answer {
        Answer::Backends(backends) if backends.len() == 1 => {
            format!("reaches {}", backends[0].0.shown(namespace))
        }
        Answer::Backends(backends) => {
            let shown: Vec<String> = backends
                .iter()
                .map(|(backend, weight)| format!("{} = {weight}", backend.shown(namespace)))
                .collect();
            format!("is split by weight: {}", shown.join(", "))
        }
        Answer::NotFound => "reaches nothing (404)".to_string(),
        Answer::Redirect { location, status } => format!("is redirected ({status}) to {location}"),
        Answer::Error(why) => format!("fails: {why}"),
    };
    let passed = match (expect, &routed.answer) {
        (RouteExpect::NotFound, Answer::NotFound) => true,
        (RouteExpect::Backend(wanted), Answer::Backends(backends)) => {
            let wanted = Backend::parse(wanted, namespace).ok();
            backends.len() == 1 && wanted.as_ref() == Some(&backends[0].0)
        }
        (RouteExpect::Backends(wanted), Answer::Backends(backends)) => {
            same_shares(wanted, backends, namespace)
        }
        (RouteExpect::Redirect(wanted), Answer::Redirect { location, .. }) => {
            let normal = |text: &str| Request::parse(text).map(|request| request.to_string()).ok();
            normal(wanted).is_some() && normal(wanted) == normal(location)
        }
        _ => false,
    };
    (passed, format!("{request} {found} — {}", routed.via))
}

fn named(objects: &[&Value], target: &Target) -> bool {
    objects.iter().any(|object| {
        object.get("kind").and_then(Value::as_str) == Some(target.kind.as_str())
            && object.at("/metadata/name").and_then(Value::as_str) == Some(target.name.as_str())
    })
}

/// Whether the backends split the requests in the wanted proportions (90/10 is 9/1).
fn same_shares(wanted: &[(String, u64)], found: &[(Backend, u64)], namespace: &str) -> bool {
    let mut want: Vec<(Backend, u64)> = Vec::new();
    for (backend, weight) in wanted {
        let Ok(backend) = Backend::parse(backend, namespace) else {
            return false;
        };
        if *weight > 0 {
            add(&mut want, backend, *weight);
        }
    }
    let mut have: Vec<(Backend, u64)> = Vec::new();
    for (backend, weight) in found {
        add(&mut have, backend.clone(), *weight);
    }
    want.sort();
    have.sort();
    let total_want: u64 = want.iter().map(|(_, weight)| weight).sum();
    let total_have: u64 = have.iter().map(|(_, weight)| weight).sum();
    want.len() == have.len()
        && want.iter().zip(&have).all(|((a, wa), (b, wb))| {
            a == b
                && u128::from(*wa) * u128::from(total_have)
                    == u128::from(*wb) * u128::from(total_want)
        })
}

fn add(list: &mut Vec<(Backend, u64)>, backend: Backend, weight: u64) {
    match list.iter_mut().find(|(have, _)| *have == backend) {
        Some((_, total)) => *total += weight,
        None => list.push((backend, weight)),
    }
}

fn claim(
    objects: &[&Value],
    namespace: &str,
    target: Option<&Target>,
    expect: &BindingExpect,
) -> (bool, String) {
    let Some(target) = target else {
        return (false, "this check names no claim".to_string());
    };
    let in_namespace = |object: &Value| {
        object
            .at("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or(namespace)
            == namespace
    };
    let of_kind = |kind: &str| -> Vec<&Value> {
        objects
            .iter()
            .copied()
            .filter(|object| object.get("kind").and_then(Value::as_str) == Some(kind))
            .collect()
    };
    let Some(claim) = of_kind("PersistentVolumeClaim").into_iter().find(|object| {
        in_namespace(object)
            && object.at("/metadata/name").and_then(Value::as_str) == Some(target.name.as_str())
    }) else {
        return (
            false,
            format!("there is no PersistentVolumeClaim named `{}`", target.name),
        );
    };
    let mut claim = claim.clone();
    if claim.at("/metadata/namespace").is_none() {
        claim["metadata"]["namespace"] = Value::String(namespace.to_string());
    }
    // A Pod, or a workload's Pod template, that mounts the claim.
    let consumer = objects.iter().find_map(|object| {
        let kind = object.get("kind").and_then(Value::as_str)?;
        let path = crate::grade::resources::pod_spec_path(kind)?;
        let spec = path
            .iter()
            .try_fold(*object, |value, key| value.get(*key))?;
        let uses = crate::cluster::controllers::claims_in_spec(spec).contains(&target.name);
        (uses && in_namespace(object)).then(|| {
            object
                .at("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        })
    });
    let decided = binding::bind(
        &claim,
        &of_kind("PersistentVolume"),
        &of_kind("StorageClass"),
        consumer.as_deref(),
    );
    let (passed, found) = match (&decided, expect) {
        (Binding::Bound { volume }, BindingExpect::Volume(wanted)) => (
            volume == wanted,
            format!("binds to PersistentVolume `{volume}`"),
        ),
        (Binding::Bound { volume }, _) => (false, format!("binds to PersistentVolume `{volume}`")),
        (Binding::Provisioned { class, provisioner }, expect) => (
            *expect == BindingExpect::Provisioned,
            format!("gets a new volume from StorageClass `{class}` ({provisioner})"),
        ),
        (Binding::Waiting { class }, expect) => (
            *expect == BindingExpect::Waiting,
            format!(
                "waits for a Pod that uses it (StorageClass `{class}` is WaitForFirstConsumer)"
            ),
        ),
        (Binding::Pending(pending), expect) => (
            *expect == BindingExpect::Pending,
            format!("stays Pending ({}: `{}`)", pending.reason, pending.message),
        ),
    };
    (passed, format!("claim `{}` {found}", target.name))
}
