//! Which connections the NetworkPolicies of a cluster allow (networking.k8s.io/v1, as the docs'
//! "Network Policies" page and the API's comments define them; a CNI plugin that enforces
//! policies implements the same meaning).
//!
//! A connection from a source to a destination on a port and protocol is allowed when the
//! source may send it (egress) and the destination may receive it (ingress). A Pod that no
//! policy selects for a direction is not isolated in that direction and allows everything; once
//! one policy selects it, only what some selecting policy's rules allow gets through (policies
//! add up: there are no deny rules). Policies live in a namespace and select Pods of that
//! namespace only.
//!
//! Simplifications, said in docs/cluster.md: `ipBlock` peers match addresses outside the
//! cluster only (the docs say ipBlock is meant for cluster-external addresses, and whether a
//! plugin applies it to Pod IPs is up to the plugin); host-network Pods and the node's own
//! traffic are not modelled.

use std::fmt;
use std::net::IpAddr;

use serde_json::Value;

use super::labels::Selector;
use super::{At, list};

/// A namespace's labels: its Namespace object's among `objects` (any other kind is skipped),
/// plus `kubernetes.io/metadata.name`, which the API server sets on every namespace (one with
/// no object here still has that label).
pub fn namespace_labels<'a>(objects: impl IntoIterator<Item = &'a Value>, ns: &str) -> Value {
    let mut labels = objects
        .into_iter()
        .find(|object| kind(object) == "Namespace" && name(object) == ns)
        .and_then(|object| object.at("/metadata/labels"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    labels.insert(
        "kubernetes.io/metadata.name".to_string(),
        Value::String(ns.to_string()),
    );
    Value::Object(labels)
}

/// One end of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A Pod, by namespace and name.
    Pod { namespace: String, name: String },
    /// An address outside the cluster.
    Address(IpAddr),
}

impl Endpoint {
    /// `NAMESPACE/NAME`, `NAME` (in `namespace`) or an IP address.
    pub fn parse(text: &str, namespace: &str) -> Result<Endpoint, String> {
        if let Ok(address) = text.parse::<IpAddr>() {
            return Ok(Endpoint::Address(address));
        }
        let (namespace, name) = text.split_once('/').unwrap_or((namespace, text));
        for part in [namespace, name] {
            if let Some(why) = crate::manifest::rules::dns1123_subdomain(part) {
                return Err(format!(
                    "`{}` is neither an IP address nor a Pod as NAMESPACE/NAME: {why}",
                    crate::text::escape_controls(text)
                ));
            }
        }
        Ok(Endpoint::Pod {
            namespace: namespace.to_string(),
            name: name.to_string(),
        })
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Pod { namespace, name } => write!(f, "{namespace}/{name}"),
            Endpoint::Address(address) => write!(f, "{address}"),
        }
    }
}

/// A destination port: a number, or the name of a container port of the destination Pod.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Port {
    Number(u16),
    Name(String),
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Port::Number(number) => write!(f, "{number}"),
            Port::Name(name) => f.write_str(name),
        }
    }
}

/// The verdict on one connection, with the reason in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub reason: String,
}

/// The objects the policies are evaluated over: Pods, Namespaces and NetworkPolicies (any other
/// kind is ignored). An object without `metadata.namespace` is in `default`.
#[derive(Debug)]
pub struct World<'a> {
    pods: Vec<&'a Value>,
    namespaces: Vec<&'a Value>,
    policies: Vec<&'a Value>,
}

fn kind(object: &Value) -> &str {
    object.get("kind").and_then(Value::as_str).unwrap_or("")
}

fn name(object: &Value) -> &str {
    object
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn namespace(object: &Value) -> &str {
    object
        .at("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("default")
}

impl<'a> World<'a> {
    pub fn new(objects: impl IntoIterator<Item = &'a Value>) -> World<'a> {
        let mut world = World {
            pods: Vec::new(),
            namespaces: Vec::new(),
            policies: Vec::new(),
        };
        for object in objects {
            match kind(object) {
                "Pod" => world.pods.push(object),
                "Namespace" => world.namespaces.push(object),
                "NetworkPolicy" => world.policies.push(object),
                _ => {}
            }
        }
        world
    }

    fn pod(&self, endpoint: &Endpoint) -> Result<Option<&'a Value>, String> {
        match endpoint {
            Endpoint::Address(_) => Ok(None),
            Endpoint::Pod {
                namespace: ns,
                name: pod,
            } => self
                .pods
                .iter()
                .find(|object| namespace(object) == ns && name(object) == pod)
                .map(|object| Some(*object))
                .ok_or_else(|| {
                    let known: Vec<String> = self
                        .pods
                        .iter()
                        .map(|object| format!("{}/{}", namespace(object), name(object)))
                        .collect();
                    format!(
                        "there is no Pod {endpoint} (the Pods are: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    )
                }),
        }
    }

    /// A namespace's labels: its object's, plus `kubernetes.io/metadata.name`, which the API
    /// server sets on every namespace (a namespace with no object here still has that one).
    fn namespace_labels(&self, ns: &str) -> Value {
        namespace_labels(self.namespaces.iter().copied(), ns)
    }

    /// Whether the source may open a connection to the destination on `port`/`protocol`.
    pub fn connection(
        &self,
        from: &Endpoint,
        to: &Endpoint,
        port: &Port,
        protocol: &str,
    ) -> Result<Verdict, String> {
        let source = self.pod(from)?;
        let destination = self.pod(to)?;
        let number = match port {
            Port::Number(number) => *number,
            Port::Name(port_name) => {
                let Some(pod) = destination else {
                    return Err(format!(
                        "port `{port_name}` is a name, and only a Pod's container ports have names ({to} is an address)"
                    ));
                };
                named_port(pod, port_name, protocol).ok_or_else(|| {
                    format!("Pod {to} has no container port named `{port_name}` ({protocol})")
                })?
            }
        };
        let shown = format!("{protocol} {number}");
        let egress = match (source, from) {
            (Some(pod), _) => {
                self.direction(pod, Direction::Egress, to, destination, number, protocol)
            }
            (None, _) => Ok(None),
        };
        let egress = egress?;
        if let Some(Isolation {
            allowed_by: None,
            policies,
        }) = &egress
        {
            return Ok(Verdict {
                allowed: false,
                reason: format!(
                    "{from} is isolated for egress by {}, and no rule of {} lets it reach {to} on {shown}",
                    named_policies(policies),
                    if policies.len() == 1 { "it" } else { "them" }
                ),
            });
        }
        let ingress = match destination {
            Some(pod) => self.direction(pod, Direction::Ingress, from, source, number, protocol)?,
            None => None,
        };
        if let Some(Isolation {
            allowed_by: None,
            policies,
        }) = &ingress
        {
            return Ok(Verdict {
                allowed: false,
                reason: format!(
                    "{to} is isolated for ingress by {}, and no rule of {} lets {from} in on {shown}",
                    named_policies(policies),
                    if policies.len() == 1 { "it" } else { "them" }
                ),
            });
        }
        let half = |isolation: &Option<Isolation>, end: &Endpoint, direction: &str| match isolation
        {
            None if matches!(end, Endpoint::Address(_)) => {
                format!("{end} is outside the cluster (no policy applies to it)")
            }
            None => format!("no NetworkPolicy selects {end} for {direction}"),
            Some(Isolation { allowed_by, .. }) => format!(
                "NetworkPolicy `{}` allows {direction} {} {end}",
                allowed_by.as_deref().unwrap_or_default(),
                if direction == "egress" { "from" } else { "to" }
            ),
        };
        Ok(Verdict {
            allowed: true,
            reason: format!(
                "allowed on {shown}: {}; {}",
                half(&egress, from, "egress"),
                half(&ingress, to, "ingress")
            ),
        })
    }

    /// The policies that isolate `pod` in `direction`, and the first that allows the
    /// connection with `peer` (`None` when the Pod is not isolated in that direction).
    fn direction(
        &self,
        pod: &Value,
        direction: Direction,
        peer: &Endpoint,
        peer_pod: Option<&Value>,
        port: u16,
        protocol: &str,
    ) -> Result<Option<Isolation>, String> {
        let selecting: Vec<&Value> = self
            .policies
            .iter()
            .copied()
            .filter(|policy| namespace(policy) == namespace(pod))
            .filter(|policy| {
                Selector::from_object(policy.at("/spec/podSelector").unwrap_or(&Value::Null))
                    .matches(pod.at("/metadata/labels"))
            })
            .filter(|policy| policy_types(policy).contains(&direction))
            .collect();
        if selecting.is_empty() {
            return Ok(None);
        }
        // The port named on the far side is looked up on the destination Pod.
        let destination = match direction {
            Direction::Ingress => Some(pod),
            Direction::Egress => peer_pod,
        };
        let allowed_by = selecting
            .iter()
            .find(|policy| {
                list(policy, direction.rules()).iter().any(|rule| {
                    self.peers_match(policy, rule, direction, peer, peer_pod)
                        && ports_match(rule, port, protocol, destination)
                })
            })
            .map(|policy| name(policy).to_string());
        Ok(Some(Isolation {
            allowed_by,
            policies: selecting
                .iter()
                .map(|policy| name(policy).to_string())
                .collect(),
        }))
    }

    /// Whether a rule's `from`/`to` list admits the peer (an absent or empty list admits all).
    fn peers_match(
        &self,
        policy: &Value,
        rule: &Value,
        direction: Direction,
        peer: &Endpoint,
        peer_pod: Option<&Value>,
    ) -> bool {
        let peers = list(rule, direction.peers());
        if peers.is_empty() {
            return true;
        }
        peers.iter().any(|item| match (peer, peer_pod) {
            (Endpoint::Address(address), _) => item
                .get("ipBlock")
                .is_some_and(|block| in_block(block, *address)),
            (Endpoint::Pod { .. }, None) => false,
            (Endpoint::Pod { .. }, Some(pod)) => {
                if item.get("ipBlock").is_some() {
                    return false;
                }
                let pods = item.get("podSelector");
                let namespaces = item.get("namespaceSelector");
                if pods.is_none() && namespaces.is_none() {
                    return false;
                }
                let namespace_ok = match namespaces {
                    None => namespace(pod) == namespace(policy),
                    Some(selector) => Selector::from_object(selector)
                        .matches(Some(&self.namespace_labels(namespace(pod)))),
                };
                let pod_ok = pods.is_none_or(|selector| {
                    Selector::from_object(selector).matches(pod.at("/metadata/labels"))
                });
                namespace_ok && pod_ok
            }
        })
    }
}

struct Isolation {
    /// The first selecting policy whose rules allow the connection.
    allowed_by: Option<String>,
    /// Every policy that selects the Pod in this direction.
    policies: Vec<String>,
}

fn named_policies(policies: &[String]) -> String {
    let names: Vec<String> = policies.iter().map(|name| format!("`{name}`")).collect();
    match names.as_slice() {
        [one] => format!("NetworkPolicy {one}"),
        _ => format!("NetworkPolicies {}", names.join(", ")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    fn rules(self) -> &'static str {
        match self {
            Direction::Ingress => "/spec/ingress",
            Direction::Egress => "/spec/egress",
        }
    }

    fn peers(self) -> &'static str {
        match self {
            Direction::Ingress => "/from",
            Direction::Egress => "/to",
        }
    }
}

/// `spec.policyTypes`, or its default when omitted: Ingress, and Egress too when the policy has
/// egress rules.
fn policy_types(policy: &Value) -> Vec<Direction> {
    let written = list(policy, "/spec/policyTypes");
    if written.is_empty() {
        let mut types = vec![Direction::Ingress];
        if !list(policy, "/spec/egress").is_empty() {
            types.push(Direction::Egress);
        }
        return types;
    }
    written
        .iter()
        .filter_map(|kind| match kind.as_str() {
            Some("Ingress") => Some(Direction::Ingress),
            Some("Egress") => Some(Direction::Egress),
            _ => None,
        })
        .collect()
}

/// Whether a rule's `ports` admit the port (an absent or empty list admits every port). A named
/// port is looked up in the destination Pod's containers; `endPort` makes a range.
fn ports_match(rule: &Value, port: u16, protocol: &str, destination: Option<&Value>) -> bool {
    let ports = list(rule, "/ports");
    if ports.is_empty() {
        return true;
    }
    ports.iter().any(|entry| {
        let entry_protocol = entry
            .get("protocol")
            .and_then(Value::as_str)
            .unwrap_or("TCP");
        if entry_protocol != protocol {
            return false;
        }
        match entry.get("port") {
            None => true,
            Some(Value::String(port_name)) => destination
                .and_then(|pod| named_port(pod, port_name, protocol))
                .is_some_and(|number| number == port),
            Some(value) => {
                let start = value.as_u64().unwrap_or(0);
                let end = entry
                    .get("endPort")
                    .and_then(Value::as_u64)
                    .unwrap_or(start);
                (start..=end).contains(&u64::from(port))
            }
        }
    })
}

/// The number of a Pod's container port with this name and protocol.
fn named_port(pod: &Value, port_name: &str, protocol: &str) -> Option<u16> {
    list(pod, "/spec/containers")
        .iter()
        .chain(list(pod, "/spec/initContainers"))
        .flat_map(|container| list(container, "/ports"))
        .find(|port| {
            port.get("name").and_then(Value::as_str) == Some(port_name)
                && port
                    .get("protocol")
                    .and_then(Value::as_str)
                    .unwrap_or("TCP")
                    == protocol
        })
        .and_then(|port| port.get("containerPort").and_then(Value::as_u64))
        .and_then(|number| u16::try_from(number).ok())
}

/// Whether an address is in an ipBlock's `cidr` and in none of its `except` ranges.
fn in_block(block: &Value, address: IpAddr) -> bool {
    let contains = |cidr: &Value| {
        cidr.as_str()
            .is_some_and(|cidr| cidr_contains(cidr, address))
    };
    block.get("cidr").is_some_and(contains) && !list(block, "/except").iter().any(contains)
}

/// Whether `address` lies in the CIDR range `cidr` (`10.0.0.0/8`, `2001:db8::/32`).
pub fn cidr_contains(cidr: &str, address: IpAddr) -> bool {
    let Some((base, bits)) = cidr.split_once('/') else {
        return false;
    };
    let (Ok(base), Ok(bits)) = (base.parse::<IpAddr>(), bits.parse::<u32>()) else {
        return false;
    };
    match (base, address) {
        (IpAddr::V4(base), IpAddr::V4(address)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(base) & mask == u32::from(address) & mask
        }
        (IpAddr::V6(base), IpAddr::V6(address)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(base) & mask == u128::from(address) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
