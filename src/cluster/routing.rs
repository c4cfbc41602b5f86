//! Which backend an HTTP request reaches: through Ingresses (networking.k8s.io/v1, the rules
//! the API documents: hosts, then paths, the longest path first, Exact before Prefix, then the
//! default backend) or through Gateway API HTTPRoutes attached to Gateways (the
//! gateway.networking.k8s.io/v1 spec: listeners, attachment, matches, precedence, weights,
//! redirects and ReferenceGrants).
//!
//! Simplifications, said in docs/cluster.md: every Ingress given is served by the one ingress
//! controller (its class is a field to check, not a filter); `ImplementationSpecific` paths match
//! as Prefix paths do; a host with its own Ingress rules is served by them alone (the hostless
//! rules do not mix in, as ingress-nginx does); a route's GRPC, TLS and TCP siblings, Service
//! ports' readiness and a Gateway's own status are not modelled.

use std::fmt;

use serde_json::Value;

use super::kubectl::text;
use super::labels::Selector;
use super::{At, list};

const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";

/// An HTTP request, from a URL (`https://shop.example.com/api?x=1`), with an optional method
/// and headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub scheme: String,
    pub host: String,
    pub port: u16,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub method: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn parse(url: &str) -> Result<Request, String> {
        let shown = crate::text::escape_controls(url);
        let (scheme, rest) = match url.split_once("://") {
            Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
            None => ("http".to_string(), url),
        };
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return Err(format!("`{shown}`: the scheme is http or https")),
        };
        let (authority, path_query) = match rest.find(['/', '?']) {
            Some(at) => rest.split_at(at),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse::<u16>()
                    .map_err(|_| format!("`{shown}`: `{port}` is not a port"))?,
            ),
            None => (authority, default_port),
        };
        let host = host.to_ascii_lowercase();
        if host.is_empty()
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return Err(format!(
                "`{shown}` has no host name (write it like http://shop.example.com/path)"
            ));
        }
        let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
        let path = if path.is_empty() { "/" } else { path };
        let query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (key.to_string(), value.to_string())
            })
            .collect();
        Ok(Request {
            scheme,
            host,
            port,
            path: path.to_string(),
            query,
            method: "GET".to_string(),
            headers: Vec::new(),
        })
    }

    fn default_port(&self) -> bool {
        (self.scheme == "http" && self.port == 80) || (self.scheme == "https" && self.port == 443)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)?;
        if !self.default_port() {
            write!(f, ":{}", self.port)?;
        }
        f.write_str(&self.path)?;
        if !self.query.is_empty() {
            let pairs: Vec<String> = self
                .query
                .iter()
                .map(|(key, value)| format!("{key}={value}"))
                .collect();
            write!(f, "?{}", pairs.join("&"))?;
        }
        Ok(())
    }
}

/// A Service port a request is sent to. `port` is a number, or a port name the Service does
/// not define.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backend {
    pub namespace: String,
    pub name: String,
    pub port: String,
}

impl Backend {
    /// `NAME:PORT` (in `namespace`) or `NAMESPACE/NAME:PORT`.
    pub fn parse(text: &str, namespace: &str) -> Result<Backend, String> {
        let shown = crate::text::escape_controls(text);
        let Some((service, port)) = text.rsplit_once(':') else {
            return Err(format!(
                "`{shown}` is not a backend: write SERVICE:PORT, e.g. api:8080"
            ));
        };
        let (namespace, name) = service.split_once('/').unwrap_or((namespace, service));
        if name.is_empty() || port.is_empty() || namespace.is_empty() {
            return Err(format!(
                "`{shown}` is not a backend: write SERVICE:PORT, e.g. api:8080"
            ));
        }
        Ok(Backend {
            namespace: namespace.to_string(),
            name: name.to_string(),
            port: port.to_string(),
        })
    }

    /// As the learner wrote it: without the namespace when it is `namespace`.
    pub fn shown(&self, namespace: &str) -> String {
        if self.namespace == namespace {
            format!("{}:{}", self.name, self.port)
        } else {
            format!("{}/{}:{}", self.namespace, self.name, self.port)
        }
    }
}

/// What answers a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Backends with their weights (one backend: any weight).
    Backends(Vec<(Backend, u64)>),
    /// A redirect to this location.
    Redirect { location: String, status: u64 },
    /// Nothing routes it: 404.
    NotFound,
    /// A route matched but cannot be served (a backend that does not exist or is not allowed):
    /// the reason.
    Error(String),
}

/// The answer and what decided it (`Ingress \`shop\`, path /api (Prefix)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Routed {
    pub answer: Answer,
    pub via: String,
}

fn namespace_of(object: &Value) -> &str {
    match text(object, "/metadata/namespace") {
        "" => "default",
        namespace => namespace,
    }
}

fn of_kind<'a>(objects: &[&'a Value], kind: &str) -> Vec<&'a Value> {
    objects
        .iter()
        .copied()
        .filter(|object| text(object, "/kind") == kind)
        .collect()
}

/// A path element by element: `/api` is a prefix of `/api` and `/api/x`, not of `/apix`; a
/// trailing slash does not count.
fn prefix_matches(prefix: &str, path: &str) -> bool {
    let elements = |text: &str| -> Vec<String> {
        text.split('/')
            .filter(|part| !part.is_empty())
            .map(str::to_string)
            .collect()
    };
    let prefix = elements(prefix);
    let path = elements(path);
    path.len() >= prefix.len() && prefix.iter().zip(&path).all(|(a, b)| a == b)
}

/// The Service port an Ingress or route backend names, resolved against the Service when the
/// port is a name. `Err` when the Service does not exist.
fn service_backend(
    objects: &[&Value],
    namespace: &str,
    name: &str,
    port: &Value,
) -> Result<Backend, String> {
    let service = objects.iter().find(|object| {
        text(object, "/kind") == "Service"
            && namespace_of(object) == namespace
            && text(object, "/metadata/name") == name
    });
    let Some(service) = service else {
        return Err(format!(
            "Service `{name}` does not exist in namespace `{namespace}`"
        ));
    };
    let port = match port {
        Value::String(port_name) => list(service, "/spec/ports")
            .iter()
            .find(|entry| text(entry, "/name") == port_name)
            .and_then(|entry| entry.get("port"))
            .and_then(Value::as_u64)
            .map_or_else(|| port_name.clone(), |number| number.to_string()),
        other => other.as_u64().map_or_else(String::new, |n| n.to_string()),
    };
    let defined = list(service, "/spec/ports").iter().any(|entry| {
        entry
            .get("port")
            .and_then(Value::as_u64)
            .map(|n| n.to_string())
            == Some(port.clone())
    });
    if !defined {
        return Err(format!("Service `{name}` has no port {port}"));
    }
    Ok(Backend {
        namespace: namespace.to_string(),
        name: name.to_string(),
        port,
    })
}

// ---------------------------------------------------------------- Ingress

/// Ingress host matching: exact, or `*.example.com` for exactly one more label.
fn ingress_host_matches(rule_host: &str, host: &str) -> bool {
    match rule_host.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(first, rest)| !first.is_empty() && rest == suffix),
        None => rule_host == host,
    }
}

/// Which backend the Ingresses send a request to (`only`: one Ingress by name).
pub fn ingress(objects: &[&Value], only: Option<&str>, request: &Request) -> Routed {
    let ingresses: Vec<&Value> = of_kind(objects, "Ingress")
        .into_iter()
        .filter(|object| only.is_none_or(|name| text(object, "/metadata/name") == name))
        .collect();
    // The rules of the most specific host that has any: exact, then wildcard, then hostless.
    let rules: Vec<(&Value, &Value)> = ingresses
        .iter()
        .flat_map(|ingress| {
            list(ingress, "/spec/rules")
                .iter()
                .map(move |rule| (*ingress, rule))
        })
        .collect();
    let exact: Vec<_> = rules
        .iter()
        .filter(|(_, rule)| text(rule, "/host") == request.host)
        .collect();
    let wildcard: Vec<_> = rules
        .iter()
        .filter(|(_, rule)| {
            let host = text(rule, "/host");
            host.starts_with("*.") && ingress_host_matches(host, &request.host)
        })
        .collect();
    let hostless: Vec<_> = rules
        .iter()
        .filter(|(_, rule)| text(rule, "/host").is_empty())
        .collect();
    let group = [exact, wildcard, hostless]
        .into_iter()
        .find(|group| !group.is_empty())
        .unwrap_or_default();
    // The longest matching path; Exact before Prefix at the same length.
    let mut best: Option<(usize, bool, &Value, &Value)> = None;
    for (ingress, rule) in group {
        for path in list(rule, "/http/paths") {
            let value = match text(path, "/path") {
                "" => "/",
                value => value,
            };
            let exact = text(path, "/pathType") == "Exact";
            let matched = if exact {
                value == request.path
            } else {
                prefix_matches(value, &request.path)
            };
            if !matched {
                continue;
            }
            let key = (value.len(), exact);
            if best.is_none_or(|(length, was_exact, _, _)| key > (length, was_exact)) {
                best = Some((value.len(), exact, ingress, path));
            }
        }
    }
    if let Some((_, _, ingress, path)) = best {
        let via = format!(
            "Ingress `{}`, path {} ({})",
            text(ingress, "/metadata/name"),
            match text(path, "/path") {
                "" => "/",
                value => value,
            },
            match text(path, "/pathType") {
                "" => "ImplementationSpecific",
                kind => kind,
            }
        );
        return Routed {
            answer: ingress_backend(objects, namespace_of(ingress), path.get("backend")),
            via,
        };
    }
    match ingresses
        .iter()
        .find(|ingress| ingress.at("/spec/defaultBackend").is_some())
    {
        Some(ingress) => Routed {
            answer: ingress_backend(
                objects,
                namespace_of(ingress),
                ingress.at("/spec/defaultBackend"),
            ),
            via: format!(
                "the default backend of Ingress `{}` (no rule matches)",
                text(ingress, "/metadata/name")
            ),
        },
        None => Routed {
            answer: Answer::NotFound,
            via: if ingresses.is_empty() {
                "there is no Ingress".to_string()
            } else {
                "no rule matches and there is no default backend".to_string()
            },
        },
    }
}

fn ingress_backend(objects: &[&Value], namespace: &str, backend: Option<&Value>) -> Answer {
    let Some(backend) = backend else {
        return Answer::Error("the path has no backend".to_string());
    };
    if let Some(resource) = backend.get("resource") {
        return Answer::Error(format!(
            "the backend is the resource {}/{}, not a Service",
            text(resource, "/kind"),
            text(resource, "/name")
        ));
    }
    let port = backend
        .at("/service/port/number")
        .or_else(|| backend.at("/service/port/name"))
        .cloned()
        .unwrap_or(Value::Null);
    match service_backend(objects, namespace, text(backend, "/service/name"), &port) {
        Ok(found) => Answer::Backends(vec![(found, 1)]),
        Err(why) => Answer::Error(format!("{why}: the controller answers 503")),
    }
}

// ---------------------------------------------------------------- Gateway API

/// Gateway API hostname matching: exact, or `*.example.com` for one or more labels in front.
fn gateway_host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(suffix) => host.len() > suffix.len() && host.ends_with(suffix),
        None => pattern == host,
    }
}

/// Which backend the HTTPRoutes (`only`: one by name) send a request to, as the Gateways they
/// attach to receive it: the URL's scheme and port pick the listeners (http → HTTP, https →
/// HTTPS).
pub fn http_route(objects: &[&Value], only: Option<&str>, request: &Request) -> Routed {
    let gateways = of_kind(objects, "Gateway");
    let protocol = if request.scheme == "https" {
        "HTTPS"
    } else {
        "HTTP"
    };
    let listeners: Vec<(&Value, &Value)> = gateways
        .iter()
        .flat_map(|gateway| {
            list(gateway, "/spec/listeners")
                .iter()
                .map(move |l| (*gateway, l))
        })
        .filter(|(_, listener)| {
            text(listener, "/protocol") == protocol
                && listener.get("port").and_then(Value::as_u64) == Some(u64::from(request.port))
                && match text(listener, "/hostname") {
                    "" => true,
                    pattern => gateway_host_matches(pattern, &request.host),
                }
        })
        .collect();
    if listeners.is_empty() {
        let all: Vec<String> = gateways
            .iter()
            .flat_map(|gateway| {
                list(gateway, "/spec/listeners")
                    .iter()
                    .map(move |listener| {
                        format!(
                            "{} {} {}{}",
                            text(gateway, "/metadata/name"),
                            text(listener, "/protocol"),
                            listener.get("port").and_then(Value::as_u64).unwrap_or(0),
                            match text(listener, "/hostname") {
                                "" => String::new(),
                                host => format!(" {host}"),
                            }
                        )
                    })
            })
            .collect();
        return Routed {
            answer: Answer::NotFound,
            via: if all.is_empty() {
                "there is no Gateway listener to receive it".to_string()
            } else {
                format!(
                    "no Gateway listener takes {protocol} on port {} for {} (the listeners are {})",
                    request.port,
                    request.host,
                    all.join("; ")
                )
            },
        };
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    let routes: Vec<&Value> = of_kind(objects, "HTTPRoute")
        .into_iter()
        .filter(|route| only.is_none_or(|name| text(route, "/metadata/name") == name))
        .collect();
    let mut unattached: Vec<String> = Vec::new();
    for route in &routes {
        let attached = listeners
            .iter()
            .any(|(gateway, listener)| attaches(objects, route, gateway, listener));
        if !attached {
            unattached.push(format!("`{}`", text(route, "/metadata/name")));
            continue;
        }
        let Some(hostname) = route_hostname(route, &request.host) else {
            continue;
        };
        for (index, rule) in list(route, "/spec/rules").iter().enumerate() {
            let default_match = [Value::Object(Default::default())];
            let matches = match list(rule, "/matches") {
                [] => &default_match[..],
                written => written,
            };
            for matched in matches {
                if let Some(rank) = match_rank(matched, request) {
                    candidates.push(Candidate {
                        key: (
                            hostname.0, hostname.1, rank.0, rank.1, rank.2, rank.3, rank.4,
                        ),
                        route,
                        rule,
                        index,
                        prefix: rank.5,
                    });
                }
            }
        }
    }
    // Highest precedence first; ties go to the route first by namespace/name, then rule order.
    candidates.sort_by(|a, b| {
        b.key.cmp(&a.key).then_with(|| {
            let name = |route: &Value| {
                format!("{}/{}", namespace_of(route), text(route, "/metadata/name"))
            };
            name(a.route)
                .cmp(&name(b.route))
                .then(a.index.cmp(&b.index))
        })
    });
    let Some(best) = candidates.first() else {
        return Routed {
            answer: Answer::NotFound,
            via: if routes.is_empty() {
                "there is no HTTPRoute".to_string()
            } else if unattached.len() == routes.len() {
                format!(
                    "HTTPRoute {} is not attached to a Gateway listener that receives the request (check parentRefs, sectionName and the listener's allowedRoutes)",
                    unattached.join(", ")
                )
            } else {
                "no HTTPRoute rule matches the request's host, path, method, headers and query"
                    .to_string()
            },
        };
    };
    let via = format!(
        "HTTPRoute `{}`, rule {}",
        text(best.route, "/metadata/name"),
        best.index + 1
    );
    Routed {
        answer: rule_answer(
            objects,
            best.route,
            best.rule,
            best.prefix.as_deref(),
            request,
        ),
        via,
    }
}

struct Candidate<'v> {
    key: (usize, usize, u8, usize, bool, usize, usize),
    route: &'v Value,
    rule: &'v Value,
    index: usize,
    /// The PathPrefix value that matched, for ReplacePrefixMatch.
    prefix: Option<String>,
}

/// Whether a route may attach to a listener: a parentRef names its Gateway (and the listener by
/// sectionName or port when given), and the listener's allowedRoutes let the route's namespace
/// and kind in, and their hostnames intersect.
fn attaches(objects: &[&Value], route: &Value, gateway: &Value, listener: &Value) -> bool {
    let route_namespace = namespace_of(route);
    let referenced = list(route, "/spec/parentRefs").iter().any(|parent| {
        let group = match text(parent, "/group") {
            "" => GATEWAY_GROUP,
            group => group,
        };
        let kind = match text(parent, "/kind") {
            "" => "Gateway",
            kind => kind,
        };
        let namespace = match text(parent, "/namespace") {
            "" => route_namespace,
            namespace => namespace,
        };
        group == GATEWAY_GROUP
            && kind == "Gateway"
            && text(parent, "/name") == text(gateway, "/metadata/name")
            && namespace == namespace_of(gateway)
            && match text(parent, "/sectionName") {
                "" => true,
                section => section == text(listener, "/name"),
            }
            && parent
                .get("port")
                .and_then(Value::as_u64)
                .is_none_or(|port| Some(port) == listener.get("port").and_then(Value::as_u64))
    });
    if !referenced {
        return false;
    }
    let namespaces_ok = match text(listener, "/allowedRoutes/namespaces/from") {
        "All" => true,
        "Selector" => {
            let selector = Selector::from_object(
                listener
                    .at("/allowedRoutes/namespaces/selector")
                    .unwrap_or(&Value::Null),
            );
            let labels = super::netpol::namespace_labels(objects.iter().copied(), route_namespace);
            selector.matches(Some(&labels))
        }
        // Same, the default.
        _ => route_namespace == namespace_of(gateway),
    };
    let kinds = list(listener, "/allowedRoutes/kinds");
    let kind_ok = kinds.is_empty()
        || kinds.iter().any(|kind| {
            text(kind, "/kind") == "HTTPRoute" && matches!(text(kind, "/group"), "" | GATEWAY_GROUP)
        });
    let hostnames_ok = match text(listener, "/hostname") {
        "" => true,
        listener_host => {
            let hostnames = list(route, "/spec/hostnames");
            hostnames.is_empty()
                || hostnames.iter().filter_map(Value::as_str).any(|host| {
                    gateway_host_matches(listener_host, host)
                        || gateway_host_matches(host, listener_host)
                        || host == listener_host
                })
        }
    };
    namespaces_ok && kind_ok && hostnames_ok
}

/// The route hostname the request's host matches, as (characters of a non-wildcard match,
/// characters of any match); `(0, 0)` for a route without hostnames; `None` when it has
/// hostnames and none matches.
fn route_hostname(route: &Value, host: &str) -> Option<(usize, usize)> {
    let hostnames: Vec<&str> = list(route, "/spec/hostnames")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if hostnames.is_empty() {
        return Some((0, 0));
    }
    hostnames
        .iter()
        .filter(|pattern| gateway_host_matches(pattern, host))
        .map(|pattern| {
            if pattern.starts_with('*') {
                (0, pattern.len())
            } else {
                (pattern.len(), pattern.len())
            }
        })
        .max()
}

type Rank = (u8, usize, bool, usize, usize, Option<String>);

/// Whether one `matches` entry takes the request, and its precedence: path kind (Exact 2,
/// PathPrefix 1, RegularExpression 0), path length, method, header count, query count; and
/// the prefix that matched.
fn match_rank(matched: &Value, request: &Request) -> Option<Rank> {
    let kind = match text(matched, "/path/type") {
        "" => "PathPrefix",
        kind => kind,
    };
    let value = match text(matched, "/path/value") {
        "" => "/",
        value => value,
    };
    let (path_rank, prefix) = match kind {
        "Exact" => (2, None),
        "PathPrefix" => (1, Some(value.to_string())),
        _ => (0, None),
    };
    let path_ok = match kind {
        "Exact" => value == request.path,
        "PathPrefix" => prefix_matches(value, &request.path),
        _ => full_match(value, &request.path),
    };
    if !path_ok {
        return None;
    }
    let method = text(matched, "/method");
    if !method.is_empty() && method != request.method {
        return None;
    }
    let headers = list(matched, "/headers");
    for header in headers {
        let found = request.header(text(header, "/name"))?;
        let wanted = text(header, "/value");
        let ok = match text(header, "/type") {
            "RegularExpression" => full_match(wanted, found),
            _ => wanted == found,
        };
        if !ok {
            return None;
        }
    }
    let queries = list(matched, "/queryParams");
    for query in queries {
        let name = text(query, "/name");
        let found = request
            .query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())?;
        let wanted = text(query, "/value");
        let ok = match text(query, "/type") {
            "RegularExpression" => full_match(wanted, found),
            _ => wanted == found,
        };
        if !ok {
            return None;
        }
    }
    Some((
        path_rank,
        value.len(),
        !method.is_empty(),
        headers.len(),
        queries.len(),
        prefix,
    ))
}

fn full_match(pattern: &str, text: &str) -> bool {
    regex_lite::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|regex| regex.is_match(text))
}

fn rule_answer(
    objects: &[&Value],
    route: &Value,
    rule: &Value,
    prefix: Option<&str>,
    request: &Request,
) -> Answer {
    if let Some(redirect) = list(rule, "/filters")
        .iter()
        .find(|filter| text(filter, "/type") == "RequestRedirect")
        .and_then(|filter| filter.get("requestRedirect"))
    {
        return redirect_answer(redirect, prefix, request);
    }
    let route_namespace = namespace_of(route);
    let mut backends = Vec::new();
    let mut problems = Vec::new();
    for reference in list(rule, "/backendRefs") {
        let weight = reference.get("weight").and_then(Value::as_u64).unwrap_or(1);
        if weight == 0 {
            continue;
        }
        let kind = match text(reference, "/kind") {
            "" => "Service",
            kind => kind,
        };
        let group = text(reference, "/group");
        let name = text(reference, "/name");
        if kind != "Service" || !group.is_empty() {
            problems.push(format!("backend {kind} `{name}` is not a Service"));
            continue;
        }
        let namespace = match text(reference, "/namespace") {
            "" => route_namespace,
            namespace => namespace,
        };
        if namespace != route_namespace && !granted(objects, route_namespace, namespace, name) {
            problems.push(format!(
                "no ReferenceGrant in namespace `{namespace}` lets HTTPRoutes of `{route_namespace}` use Service `{name}` (RefNotPermitted)"
            ));
            continue;
        }
        let port = reference.get("port").cloned().unwrap_or(Value::Null);
        match service_backend(objects, namespace, name, &port) {
            Ok(backend) => backends.push((backend, weight)),
            Err(why) => problems.push(format!("{why} (BackendNotFound)")),
        }
    }
    if !problems.is_empty() {
        return Answer::Error(format!("{}: those requests get a 500", problems.join("; ")));
    }
    if backends.is_empty() {
        return Answer::Error(
            "the rule has no backend with a weight above 0: the Gateway answers 500".to_string(),
        );
    }
    Answer::Backends(backends)
}

/// Whether a ReferenceGrant in `to_namespace` lets HTTPRoutes of `from_namespace` refer to the
/// Service `name`.
fn granted(objects: &[&Value], from_namespace: &str, to_namespace: &str, name: &str) -> bool {
    objects.iter().any(|grant| {
        text(grant, "/kind") == "ReferenceGrant"
            && namespace_of(grant) == to_namespace
            && list(grant, "/spec/from").iter().any(|from| {
                text(from, "/group") == GATEWAY_GROUP
                    && text(from, "/kind") == "HTTPRoute"
                    && text(from, "/namespace") == from_namespace
            })
            && list(grant, "/spec/to").iter().any(|to| {
                text(to, "/group").is_empty()
                    && text(to, "/kind") == "Service"
                    && match text(to, "/name") {
                        "" => true,
                        granted => granted == name,
                    }
            })
    })
}

/// The Location of a RequestRedirect: scheme, hostname, port and path from the filter where
/// it sets them, else the request's; the port of a new scheme is its well-known one, left out
/// of the Location.
fn redirect_answer(redirect: &Value, prefix: Option<&str>, request: &Request) -> Answer {
    let scheme = match text(redirect, "/scheme") {
        "" => request.scheme.clone(),
        scheme => scheme.to_string(),
    };
    let host = match text(redirect, "/hostname") {
        "" => request.host.clone(),
        host => host.to_string(),
    };
    let port = match redirect.get("port").and_then(Value::as_u64) {
        Some(port) => port,
        None if !text(redirect, "/scheme").is_empty() => {
            if scheme == "https" {
                443
            } else {
                80
            }
        }
        None => u64::from(request.port),
    };
    let path = match text(redirect, "/path/type") {
        "ReplaceFullPath" => text(redirect, "/path/replaceFullPath").to_string(),
        "ReplacePrefixMatch" => {
            let replacement = text(redirect, "/path/replacePrefixMatch");
            let prefix = prefix.unwrap_or("/").trim_end_matches('/');
            let rest = request.path.strip_prefix(prefix).unwrap_or(&request.path);
            let joined = format!("{}{}", replacement.trim_end_matches('/'), rest);
            if joined.is_empty() {
                "/".to_string()
            } else {
                joined
            }
        }
        _ => request.path.clone(),
    };
    let mut location = Request {
        scheme,
        host,
        port: u16::try_from(port).unwrap_or(80),
        path,
        ..request.clone()
    }
    .to_string();
    if location.is_empty() {
        location = "/".to_string();
    }
    Answer::Redirect {
        location,
        status: redirect
            .get("statusCode")
            .and_then(Value::as_u64)
            .unwrap_or(302),
    }
}

#[cfg(test)]
mod tests;
