//! The EndpointSlice controller's view of one Service: which Pods back it, on which ports, and
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

use serde_json::{Value, json};

use super::labels::Selector;

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
    let selector = service
        .pointer("/spec/selector")
        .and_then(Value::as_object)?;
    if selector.is_empty() {
        return None;
    }
    let selector = Selector::from_map(
        &selector
            .iter()
            .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_string())))
            .collect(),
    );
    let namespace = service
        .pointer("/metadata/namespace")
        .and_then(Value::as_str);
    let publish_not_ready = service
        .pointer("/spec/publishNotReadyAddresses")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut found: Vec<Endpoint> = pods
        .iter()
        .filter(|pod| pod.pointer("/metadata/namespace").and_then(Value::as_str) == namespace)
        .filter(|pod| selector.matches(pod.pointer("/metadata/labels")))
        .filter(|pod| {
            !matches!(
                pod.pointer("/status/phase").and_then(Value::as_str),
                Some("Succeeded" | "Failed")
            )
        })
        .filter_map(|pod| {
            let ip = pod.pointer("/status/podIP").and_then(Value::as_str)?;
            let terminating = pod.pointer("/metadata/deletionTimestamp").is_some();
            let serving = is_ready(pod);
            Some(Endpoint {
                ip: ip.to_string(),
                pod: text(pod, "/metadata/name"),
                uid: text(pod, "/metadata/uid"),
                node: pod
                    .pointer("/spec/nodeName")
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

fn text(object: &Value, pointer: &str) -> String {
    object
        .pointer(pointer)
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
        .pointer("/spec/containers")
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
        .pointer("/spec/ports")
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
