//! The EndpointSlice and Endpoints controllers. Their view of one Service: which Pods back it, on which ports, and
//! whether each is ready. It follows the controller's rules in 1.37:
//! - only a Service with a selector is managed (one without stays as its owner wrote it);
//! - a Pod is an endpoint when the selector matches its labels, it is in the Service's
//!   namespace, it has an IP, and it has not finished (`Succeeded` or `Failed`);
//! - `serving` is the Pod's Ready condition, terminating or not; `ready` is the same (always
//!   true with `publishNotReadyAddresses`) but never true for a terminating Pod unless
//!   not-ready addresses are published; `terminating` is a set `deletionTimestamp`;
//! - a `targetPort` that is a number is used as it is; a name is looked up among the Pod's
//!   container ports, and a Pod that does not declare it has no port for that Service port;
//! - endpoints with the same resolved ports share a slice.

use crate::cluster::At as _;
use serde_json::{Value, json};

use super::labels::Selector;
use super::objects::Key;
use super::sim::Cluster;

/// A resolved port: the Service port's name, the Pod's port, the protocol.
pub type Port = (Option<String>, u32, String);

/// One Pod as an endpoint of a Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub ip: String,
    pub pod: String,
    pub uid: String,
    pub node: Option<String>,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    pub ports: Vec<Port>,
}

/// The Service's endpoints among `pods`, ordered by Pod name; `None` for a Service without a
/// selector, which the controller leaves alone.
pub fn endpoints(service: &Value, pods: &[&Value]) -> Option<Vec<Endpoint>> {
    let selector = service.at("/spec/selector").and_then(Value::as_object)?;
    if selector.is_empty() {
        return None;
    }
    let selector = Selector::from_map(
        &selector
            .iter()
            .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_string())))
            .collect(),
    );
    let namespace = service.at("/metadata/namespace").and_then(Value::as_str);
    let publish_not_ready = service
        .at("/spec/publishNotReadyAddresses")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut found: Vec<Endpoint> = pods
        .iter()
        .filter(|pod| pod.at("/metadata/namespace").and_then(Value::as_str) == namespace)
        .filter(|pod| selector.matches(pod.at("/metadata/labels")))
        .filter(|pod| {
            !matches!(
                pod.at("/status/phase").and_then(Value::as_str),
                Some("Succeeded" | "Failed")
            )
        })
        .filter_map(|pod| {
            let ip = pod.at("/status/podIP").and_then(Value::as_str)?;
            let terminating = pod.at("/metadata/deletionTimestamp").is_some();
            let serving = is_ready(pod);
            Some(Endpoint {
                ip: ip.to_string(),
                pod: text(pod, "/metadata/name"),
                uid: text(pod, "/metadata/uid"),
                node: pod
                    .at("/spec/nodeName")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                // Never ready while terminating, unless not-ready addresses are published.
                ready: publish_not_ready || (serving && !terminating),
                serving,
                terminating,
                ports: resolve_ports(service, pod),
            })
        })
        .collect();
    found.sort_by(|a, b| a.pod.cmp(&b.pod));
    Some(found)
}

/// The Service's EndpointSlices as the controller writes them (names are the Service's with a
/// numbered suffix, where a cluster adds five random characters).
pub fn slices(service: &Value, pods: &[&Value]) -> Option<Vec<Value>> {
    let endpoints = endpoints(service, pods)?;
    let name = text(service, "/metadata/name");
    let namespace = text(service, "/metadata/namespace");
    let mut groups: Vec<(Vec<Port>, Vec<&Endpoint>)> = Vec::new();
    for endpoint in &endpoints {
        match groups
            .iter_mut()
            .find(|(ports, _)| *ports == endpoint.ports)
        {
            Some((_, members)) => members.push(endpoint),
            None => groups.push((endpoint.ports.clone(), vec![endpoint])),
        }
    }
    if groups.is_empty() {
        // A selector that matches nothing still has its (empty) slice.
        groups.push((Vec::new(), Vec::new()));
    }
    Some(
        groups
            .into_iter()
            .enumerate()
            .map(|(index, (ports, members))| {
                json!({
                    "apiVersion": "discovery.k8s.io/v1",
                    "kind": "EndpointSlice",
                    "metadata": {
                        "name": format!("{name}-{}", index + 1),
                        "namespace": namespace,
                        "labels": {
                            "kubernetes.io/service-name": name,
                            "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"
                        }
                    },
                    "addressType": "IPv4",
                    "endpoints": members.iter().map(|endpoint| {
                        let mut value = json!({
                            "addresses": [endpoint.ip],
                            "conditions": {
                                "ready": endpoint.ready,
                                "serving": endpoint.serving,
                                "terminating": endpoint.terminating
                            },
                            "targetRef": {
                                "kind": "Pod",
                                "name": endpoint.pod,
                                "namespace": namespace,
                                "uid": endpoint.uid
                            }
                        });
                        if let Some(node) = &endpoint.node {
                            value["nodeName"] = json!(node);
                        }
                        value
                    }).collect::<Vec<_>>(),
                    "ports": ports.iter().map(|(port_name, port, protocol)| {
                        let mut value = json!({"port": port, "protocol": protocol});
                        value["name"] = json!(port_name.clone().unwrap_or_default());
                        value
                    }).collect::<Vec<_>>()
                })
            })
            .collect(),
    )
}

/// The EndpointSlice controller (each Service's slices, named `SERVICE-N`) and the Endpoints
/// controller (each Service's `Endpoints`, deprecated since 1.33 but still kept and still served).
pub(super) fn run(cluster: &mut Cluster) {
    // What both controllers want, computed over one look at the Pods of each namespace.
    let mut wanted: Vec<(Key, Value, Option<Value>, Vec<Value>)> = Vec::new();
    {
        let mut pods_of: std::collections::BTreeMap<&str, Vec<&Value>> = Default::default();
        for (key, service) in cluster.objects.list("Service", None, &Selector::default()) {
            let managed = service
                .at("/spec/selector")
                .and_then(Value::as_object)
                .is_some_and(|selector| !selector.is_empty());
            if !managed {
                continue;
            }
            let pods = pods_of.entry(key.namespace.as_str()).or_insert_with(|| {
                cluster
                    .objects
                    .list("Pod", Some(&key.namespace), &Selector::default())
                    .into_iter()
                    .map(|(_, pod)| pod)
                    .collect()
            });
            let (Some(object), Some(slices)) =
                (endpoints_object(service, pods), slices(service, pods))
            else {
                continue;
            };
            wanted.push((key.clone(), service.clone(), Some(object), slices));
        }
    }
    endpoints_objects(cluster, &wanted);
    for (key, service, _, slices) in wanted {
        let existing: Vec<Key> = cluster
            .objects
            .list(
                "EndpointSlice",
                Some(&key.namespace),
                &Selector::parse(&format!("kubernetes.io/service-name={}", key.name))
                    .unwrap_or_default(),
            )
            .into_iter()
            .map(|(key, _)| key.clone())
            .collect();
        let mut kept = Vec::new();
        for (index, mut slice) in slices.into_iter().enumerate() {
            let name = format!("{}-{}", key.name, index + 1);
            slice["metadata"]["name"] = json!(name);
            slice["metadata"]["namespace"] = json!(key.namespace);
            slice["metadata"]["ownerReferences"] = json!([{
                "apiVersion": "v1", "kind": "Service", "name": key.name,
                "uid": service.at("/metadata/uid").cloned().unwrap_or_default(),
                "controller": true, "blockOwnerDeletion": true,
            }]);
            kept.push(name.clone());
            match cluster.objects.find("EndpointSlice", &key.namespace, &name) {
                Ok(old) => {
                    let same = ["endpoints", "ports", "addressType"]
                        .iter()
                        .all(|field| old.get(*field) == slice.get(*field))
                        && old.at("/metadata/labels") == slice.at("/metadata/labels");
                    if !same {
                        let mut merged = old.clone();
                        for field in ["endpoints", "ports", "addressType"] {
                            merged[field] = slice[field].clone();
                        }
                        merged["metadata"]["labels"] = slice["metadata"]["labels"].clone();
                        if let Some(metadata) = merged["metadata"].as_object_mut() {
                            metadata.remove("resourceVersion");
                        }
                        let _ = cluster.objects.replace(merged, &key.namespace);
                    }
                }
                Err(_) => {
                    let _ = cluster.objects.create(slice, &key.namespace, cluster.now);
                }
            }
        }
        for old in existing {
            if !kept.contains(&old.name) {
                let _ = cluster
                    .objects
                    .delete("EndpointSlice", &old.namespace, &old.name);
            }
        }
    }
}

/// The label the Endpoints controller puts on what it manages.
const MANAGED_BY: &str = "endpoints.kubernetes.io/managed-by";

/// The Service's `Endpoints` as the Endpoints controller writes them: ready Pods under
/// `addresses`, the others under `notReadyAddresses` (terminating Pods left out unless not-ready
/// addresses are published), grouped into subsets by their ports, addresses in IP order; no
/// `subsets` when nothing backs it. `None` for a Service without a selector.
pub fn endpoints_object(service: &Value, pods: &[&Value]) -> Option<Value> {
    let found = endpoints(service, pods)?;
    let publish_not_ready = service
        .at("/spec/publishNotReadyAddresses")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let has_ports = service
        .at("/spec/ports")
        .and_then(Value::as_array)
        .is_some_and(|ports| !ports.is_empty());
    let namespace = text(service, "/metadata/namespace");
    let mut groups: Vec<(Vec<Port>, Vec<&Endpoint>)> = Vec::new();
    for endpoint in &found {
        if (endpoint.terminating && !publish_not_ready) || (has_ports && endpoint.ports.is_empty())
        {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(ports, _)| *ports == endpoint.ports)
        {
            Some((_, members)) => members.push(endpoint),
            None => groups.push((endpoint.ports.clone(), vec![endpoint])),
        }
    }
    let ip_order = |ip: &str| -> Vec<u32> {
        ip.split('.')
            .map(|part| part.parse().unwrap_or(0))
            .collect()
    };
    let subsets: Vec<Value> = groups
        .into_iter()
        .map(|(ports, mut members)| {
            members.sort_by_key(|endpoint| ip_order(&endpoint.ip));
            let address = |endpoint: &&Endpoint| {
                let mut value = json!({
                    "ip": endpoint.ip,
                    "targetRef": {"kind": "Pod", "name": endpoint.pod, "namespace": namespace, "uid": endpoint.uid}
                });
                if let Some(node) = &endpoint.node {
                    value["nodeName"] = json!(node);
                }
                value
            };
            let mut subset = json!({});
            let (ready, not_ready): (Vec<&Endpoint>, Vec<&Endpoint>) =
                members.into_iter().partition(|endpoint| endpoint.ready);
            if !ready.is_empty() {
                subset["addresses"] = ready.iter().map(address).collect();
            }
            if !not_ready.is_empty() {
                subset["notReadyAddresses"] = not_ready.iter().map(address).collect();
            }
            if !ports.is_empty() {
                subset["ports"] = ports
                    .iter()
                    .map(|(name, port, protocol)| {
                        let mut value = json!({"port": port, "protocol": protocol});
                        if let Some(name) = name.as_deref().filter(|name| !name.is_empty()) {
                            value["name"] = json!(name);
                        }
                        value
                    })
                    .collect();
            }
            subset
        })
        .collect();
    let mut labels = service
        .at("/metadata/labels")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    labels[MANAGED_BY] = json!("endpoint-controller");
    let mut object = json!({
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": text(service, "/metadata/name"), "namespace": namespace, "labels": labels},
    });
    if !subsets.is_empty() {
        object["subsets"] = json!(subsets);
    }
    Some(object)
}

/// Keeps every selector Service's `Endpoints` as `services` want them (Service, its Endpoints,
/// its slices), and removes those whose Service is gone.
fn endpoints_objects(cluster: &mut Cluster, services: &[(Key, Value, Option<Value>, Vec<Value>)]) {
    for (key, _, wanted, _) in services {
        let Some(wanted) = wanted.clone() else {
            continue;
        };
        match cluster.objects.find("Endpoints", &key.namespace, &key.name) {
            Ok(old) => {
                if old.get("subsets") != wanted.get("subsets")
                    || old.at("/metadata/labels") != wanted.at("/metadata/labels")
                {
                    let mut merged = old.clone();
                    match wanted.get("subsets") {
                        Some(subsets) => merged["subsets"] = subsets.clone(),
                        None => {
                            if let Some(map) = merged.as_object_mut() {
                                map.remove("subsets");
                            }
                        }
                    }
                    merged["metadata"]["labels"] = wanted["metadata"]["labels"].clone();
                    if let Some(metadata) = merged["metadata"].as_object_mut() {
                        metadata.remove("resourceVersion");
                    }
                    let _ = cluster.objects.replace(merged, &key.namespace);
                }
            }
            Err(_) => {
                let _ = cluster.objects.create(wanted, &key.namespace, cluster.now);
            }
        }
    }
    for key in cluster.objects.keys("Endpoints") {
        let managed = cluster
            .objects
            .get(&key)
            .and_then(|object| object.at("/metadata/labels"))
            .and_then(|labels| labels.get(MANAGED_BY))
            .is_some();
        let service_left = cluster
            .objects
            .find("Service", &key.namespace, &key.name)
            .is_err();
        if managed && service_left {
            let _ = cluster
                .objects
                .delete("Endpoints", &key.namespace, &key.name);
        }
    }
}

fn text(object: &Value, pointer: &str) -> String {
    object
        .at(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Whether the Pod's Ready condition is True.
pub(crate) fn is_ready(pod: &Value) -> bool {
    super::condition_true(pod, "Ready")
}

/// Each Service port the Pod can serve: (its name, the Pod's port, protocol).
fn resolve_ports(service: &Value, pod: &Value) -> Vec<Port> {
    let container_ports: Vec<&Value> = pod
        .at("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|container| {
            container
                .get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .collect();
    service
        .at("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|port| {
            let protocol = port
                .get("protocol")
                .and_then(Value::as_str)
                .unwrap_or("TCP")
                .to_string();
            let name = port.get("name").and_then(Value::as_str).map(str::to_string);
            let target = match port.get("targetPort") {
                Some(Value::Number(number)) => number.as_u64()? as u32,
                Some(Value::String(wanted)) => container_ports
                    .iter()
                    .find(|declared| {
                        declared.get("name").and_then(Value::as_str) == Some(wanted.as_str())
                            && declared
                                .get("protocol")
                                .and_then(Value::as_str)
                                .unwrap_or("TCP")
                                == protocol
                    })
                    .and_then(|declared| declared.get("containerPort"))
                    .and_then(Value::as_u64)? as u32,
                // Unset: the same as `port`.
                _ => port.get("port").and_then(Value::as_u64)? as u32,
            };
            Some((name, target, protocol))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(selector: &Value, ports: &Value) -> Value {
        json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": selector, "ports": ports}
        })
    }

    fn pod(name: &str, app: &str, ip: Option<&str>, ready: bool) -> Value {
        let mut pod = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": app}, "uid": format!("uid-{name}")},
            "spec": {"nodeName": "node01", "containers": [{"name": "web", "image": "nginx:1.27",
                     "ports": [{"name": "http", "containerPort": 80}]}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}
        });
        if let Some(ip) = ip {
            pod["status"]["podIP"] = json!(ip);
        }
        pod
    }

    #[test]
    fn ready_pods_with_an_ip_are_ready_endpoints_the_others_are_listed_as_they_are() {
        let service = service(
            &json!({"app": "webapp"}),
            &json!([{"port": 80, "targetPort": 8080}]),
        );
        let running = pod("webapp-a", "webapp", Some("10.244.1.5"), true);
        let starting = pod("webapp-b", "webapp", Some("10.244.1.6"), false);
        let pending = pod("webapp-c", "webapp", None, false);
        let mut leaving = pod("webapp-d", "webapp", Some("10.244.1.8"), true);
        leaving["metadata"]["deletionTimestamp"] = json!("2026-06-01T09:00:00Z");
        let mut finished = pod("webapp-e", "webapp", Some("10.244.1.9"), false);
        finished["status"]["phase"] = json!("Succeeded");
        let other = pod("api-a", "api", Some("10.244.2.5"), true);
        let pods = [&running, &starting, &pending, &leaving, &finished, &other];
        let found = endpoints(&service, &pods).unwrap();
        let summary: Vec<(&str, bool, bool, bool)> = found
            .iter()
            .map(|e| (e.pod.as_str(), e.ready, e.serving, e.terminating))
            .collect();
        assert_eq!(
            summary,
            [
                ("webapp-a", true, true, false),
                ("webapp-b", false, false, false),
                ("webapp-d", false, true, true),
            ]
        );
        assert_eq!(found[0].ports, [(None, 8080, "TCP".to_string())]);
    }

    #[test]
    fn a_selector_that_matches_no_pod_gives_an_empty_slice_and_none_gives_no_management() {
        // The scenario's mistake: the Service selects app=web, the Pods are app=webapp.
        let service_web = service(
            &json!({"app": "web"}),
            &json!([{"port": 80, "targetPort": 8080}]),
        );
        let running = pod("webapp-a", "webapp", Some("10.244.1.5"), true);
        let slices = slices(&service_web, &[&running]).unwrap();
        assert_eq!(slices.len(), 1);
        assert_eq!(slices[0]["endpoints"], json!([]));
        assert_eq!(
            slices[0]["metadata"]["labels"]["kubernetes.io/service-name"],
            "web"
        );
        let manual = service(&json!({}), &json!([{"port": 80}]));
        assert!(endpoints(&manual, &[&running]).is_none());
    }

    #[test]
    fn a_named_target_port_resolves_per_pod_and_groups_the_slices() {
        let service = service(
            &json!({"app": "webapp"}),
            &json!([{"name": "http", "port": 80, "targetPort": "http"}]),
        );
        let declares = pod("webapp-a", "webapp", Some("10.244.1.5"), true);
        let mut other_port = pod("webapp-b", "webapp", Some("10.244.1.6"), true);
        other_port["spec"]["containers"][0]["ports"][0]["containerPort"] = json!(8080);
        let mut undeclared = pod("webapp-c", "webapp", Some("10.244.1.7"), true);
        undeclared["spec"]["containers"][0]["ports"] = json!([]);
        let slices = slices(&service, &[&declares, &other_port, &undeclared]).unwrap();
        let ports: Vec<&Value> = slices.iter().map(|slice| &slice["ports"]).collect();
        assert_eq!(
            ports,
            [
                &json!([{"name": "http", "port": 80, "protocol": "TCP"}]),
                &json!([{"name": "http", "port": 8080, "protocol": "TCP"}]),
                &json!([]),
            ]
        );
        assert_eq!(slices[0]["endpoints"][0]["targetRef"]["name"], "webapp-a");
        assert_eq!(slices[0]["endpoints"][0]["nodeName"], "node01");
    }

    #[test]
    fn publish_not_ready_addresses_makes_every_pod_ready_but_not_serving() {
        let mut service = service(&json!({"app": "db"}), &json!([{"port": 5432}]));
        service["spec"]["publishNotReadyAddresses"] = json!(true);
        let starting = pod("db-0", "db", Some("10.244.3.2"), false);
        let found = endpoints(&service, &[&starting]).unwrap();
        assert!(found[0].ready && !found[0].serving);
        assert_eq!(found[0].ports, [(None, 5432, "TCP".to_string())]);
    }
}
