//! `kubectl describe` for NetworkPolicies (the selector and rules in kubectl's words, no events:
//! describe.go's describeNetworkPolicy), Ingresses (describeIngressV1) and ServiceAccounts
//! (describeServiceAccount), as kubectl 1.37 prints them.

use serde_json::Value;

use super::describe::Lines;
use super::text;
use crate::cluster::At as _;

/// `2026-03-02 09:00:00 +0000 UTC`, as Go prints a time with `%s`.
fn go_time(stamp: &str) -> String {
    stamp
        .parse::<jiff::Timestamp>()
        .map(|time| time.strftime("%Y-%m-%d %H:%M:%S +0000 UTC").to_string())
        .unwrap_or_else(|_| stamp.to_string())
}

fn selector(selector: &Value) -> String {
    super::tables::selector_text(Some(selector))
}

pub(super) fn network_policy(policy: &Value, w: &mut Lines) {
    w.field(0, "Name", text(policy, "/metadata/name"));
    w.field(0, "Namespace", text(policy, "/metadata/namespace"));
    w.field(
        0,
        "Created on",
        &go_time(text(policy, "/metadata/creationTimestamp")),
    );
    w.map(0, "Labels", policy.at("/metadata/labels"), "=");
    w.map(0, "Annotations", policy.at("/metadata/annotations"), ": ");
    w.line(0, "Spec:");
    let pods = policy.at("/spec/podSelector").unwrap_or(&Value::Null);
    if selector(pods) == "<none>" {
        w.line(
            1,
            "PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)",
        );
    } else {
        w.line(1, &format!("PodSelector:     {}", selector(pods)));
    }
    let types: Vec<&str> = policy
        .at("/spec/policyTypes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (kind, rules, peers, direction) in [
        ("Ingress", "/spec/ingress", "from", "ingress"),
        ("Egress", "/spec/egress", "to", "egress"),
    ] {
        if types.contains(&kind) {
            w.line(1, &format!("Allowing {direction} traffic:"));
            rules_lines(policy.at(rules), peers, direction, w);
        } else {
            w.line(1, &format!("Not affecting {direction} traffic"));
        }
    }
    w.line(
        1,
        &format!(
            "Policy Types: {}",
            if types.is_empty() {
                "<none>".to_string()
            } else {
                types.join(", ")
            }
        ),
    );
}

fn rules_lines(rules: Option<&Value>, peers_key: &str, direction: &str, w: &mut Lines) {
    let rules: Vec<&Value> = rules
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let indent = "    ";
    if rules.is_empty() {
        w.line(
            0,
            &format!("{indent}<none> (Selected pods are isolated for {direction} connectivity)"),
        );
        return;
    }
    let (label, any) = if peers_key == "from" {
        ("From", "From: <any> (traffic not restricted by source)")
    } else {
        ("To", "To: <any> (traffic not restricted by destination)")
    };
    for (index, rule) in rules.iter().enumerate() {
        let ports: Vec<&Value> = rule
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        if ports.is_empty() {
            w.line(
                0,
                &format!("{indent}To Port: <any> (traffic allowed to all ports)"),
            );
        }
        for port in ports {
            let protocol = match text(port, "/protocol") {
                "" => "TCP",
                protocol => protocol,
            };
            let number = match port.get("port") {
                Some(Value::String(name)) => name.clone(),
                Some(value) => value.to_string(),
                None => "<nil>".to_string(),
            };
            match port.get("endPort").and_then(Value::as_u64) {
                Some(end) => w.line(
                    0,
                    &format!("{indent}To Port Range: {number}-{end}/{protocol}"),
                ),
                None => w.line(0, &format!("{indent}To Port: {number}/{protocol}")),
            }
        }
        let peers: Vec<&Value> = rule
            .get(peers_key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        if peers.is_empty() {
            w.line(0, &format!("{indent}{any}"));
        }
        for peer in peers {
            w.line(0, &format!("{indent}{label}:"));
            let pods = peer.get("podSelector");
            let namespaces = peer.get("namespaceSelector");
            if let Some(namespaces) = namespaces {
                w.line(
                    1,
                    &format!("{indent}NamespaceSelector: {}", selector(namespaces)),
                );
            }
            if let Some(pods) = pods {
                w.line(1, &format!("{indent}PodSelector: {}", selector(pods)));
            }
            if let (None, None, Some(block)) = (pods, namespaces, peer.get("ipBlock")) {
                let except: Vec<&str> = block
                    .get("except")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                w.line(1, &format!("{indent}IPBlock:"));
                w.line(2, &format!("{indent}CIDR: {}", text(block, "/cidr")));
                w.line(2, &format!("{indent}Except: {}", except.join(", ")));
            }
        }
        if index + 1 != rules.len() {
            w.line(0, &format!("{indent}----------"));
        }
    }
}

/// `kubectl describe ingress`: class, default backend, TLS, the rules table with each backend's
/// ready endpoints (describe.go's describeIngressV1 and formatEndpointSlices). The events follow.
pub(super) fn ingress(cluster: &crate::cluster::sim::Cluster, ingress: &Value, w: &mut Lines) {
    let namespace = text(ingress, "/metadata/namespace");
    w.field(0, "Name", text(ingress, "/metadata/name"));
    w.map(0, "Labels", ingress.at("/metadata/labels"), "=");
    w.field(0, "Namespace", namespace);
    let address = crate::cluster::print::load_balancer_addresses(ingress);
    w.field(0, "Address", &address.join(","));
    w.field(
        0,
        "Ingress Class",
        match text(ingress, "/spec/ingressClassName") {
            "" => "<none>",
            class => class,
        },
    );
    let default_backend = ingress.at("/spec/defaultBackend").map_or_else(
        || "<default>".to_string(),
        |backend| backend_text(cluster, namespace, backend),
    );
    w.field(0, "Default backend", &default_backend);
    let tls: Vec<&Value> = ingress
        .at("/spec/tls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    if !tls.is_empty() {
        w.line(0, "TLS:");
        for entry in tls {
            let hosts: Vec<&str> = entry
                .get("hosts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            match text(entry, "/secretName") {
                "" => w.line(1, &format!("SNI routes {}", hosts.join(","))),
                secret => w.line(1, &format!("{secret} terminates {}", hosts.join(","))),
            }
        }
    }
    w.line(0, "Rules:");
    w.line(1, "Host\tPath\tBackends");
    w.line(1, "----\t----\t--------");
    let mut count = 0;
    for rule in ingress
        .at("/spec/rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(http) = rule.get("http") else {
            continue;
        };
        count += 1;
        let host = match text(rule, "/host") {
            "" => "*",
            host => host,
        };
        w.line(1, &format!("{host}\t"));
        for path in http
            .get("paths")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let backend = path
                .get("backend")
                .map(|backend| backend_text(cluster, namespace, backend))
                .unwrap_or_default();
            w.line(2, &format!("\t{} \t{backend}", text(path, "/path")));
        }
    }
    if count == 0 {
        w.line(1, &format!("*\t*\t{default_backend}"));
    }
    w.map(0, "Annotations", ingress.at("/metadata/annotations"), ": ");
}

/// `api:8080 (10.244.1.5:8080,10.244.2.3:8080)`: the Service port and its ready endpoints, or
/// the error kubectl met looking the Service up.
fn backend_text(
    cluster: &crate::cluster::sim::Cluster,
    namespace: &str,
    backend: &Value,
) -> String {
    if let Some(resource) = backend.get("resource") {
        return format!(
            "APIGroup: {}, Kind: {}, Name: {}",
            match text(resource, "/apiGroup") {
                "" => "<none>",
                group => group,
            },
            text(resource, "/kind"),
            text(resource, "/name")
        );
    }
    let Some(service) = backend.get("service") else {
        return String::new();
    };
    let name = text(service, "/name");
    let number = service
        .at("/port/number")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let port_name = text(service, "/port/name");
    let shown = if number != 0 {
        format!("{name}:{number}")
    } else {
        format!("{name}:{port_name}")
    };
    let Ok(found) = cluster.objects.find("Service", namespace, name) else {
        return format!("{shown} (<error: services \"{name}\" not found>)");
    };
    let mut wanted = "";
    for port in found
        .at("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let port_number = port.get("port").and_then(Value::as_u64).unwrap_or(0);
        if (number != 0 && number == port_number)
            || (!port_name.is_empty() && port_name == text(port, "/name"))
        {
            wanted = text(port, "/name");
        }
    }
    let slices: Vec<Value> = cluster
        .list("EndpointSlice", Some(namespace))
        .into_iter()
        .filter(|slice| text(slice, "/metadata/labels/kubernetes.io~1service-name") == name)
        .collect();
    if slices.is_empty() {
        return format!("{shown} (<none>)");
    }
    let (mut list, mut more, mut count) = (Vec::new(), false, 0);
    for slice in &slices {
        let endpoints: Vec<&Value> = slice
            .get("endpoints")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        let ports: Vec<&Value> = slice
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        for port in ports.iter().filter(|port| text(port, "/name") == wanted) {
            for endpoint in &endpoints {
                if list.len() == 3 {
                    more = true;
                }
                if endpoint.at("/conditions/ready").and_then(Value::as_bool) == Some(false) {
                    continue;
                }
                if !more {
                    list.push(format!(
                        "{}:{}",
                        text(endpoint, "/addresses/0"),
                        port.get("port").and_then(Value::as_u64).unwrap_or(0)
                    ));
                }
                count += 1;
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{shown} ({joined} + {} more...)", count - 3)
    } else {
        format!("{shown} ({joined})")
    }
}

/// `kubectl describe serviceaccount` (1.35 and later): names, then the image pull secrets, one a
/// line under the header (the Mountable secrets and Tokens lines went with kubernetes#117160).
pub(super) fn service_account(account: &Value, w: &mut Lines) {
    w.field(0, "Name", text(account, "/metadata/name"));
    w.field(0, "Namespace", text(account, "/metadata/namespace"));
    w.map(0, "Labels", account.at("/metadata/labels"), "=");
    w.map(0, "Annotations", account.at("/metadata/annotations"), ": ");
    let names: Vec<&str> = account
        .get("imagePullSecrets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|secret| text(secret, "/name"))
        .collect();
    if names.is_empty() {
        w.line(0, "Image pull secrets:\t<none>");
    }
    for (index, name) in names.iter().enumerate() {
        let header = if index == 0 {
            "Image pull secrets:"
        } else {
            "                   "
        };
        w.line(0, &format!("{header}\t{name}"));
    }
}
