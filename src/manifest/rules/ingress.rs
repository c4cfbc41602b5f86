//! Ingress and IngressClass (networking.k8s.io/v1), networking validation
//! (pkg/apis/networking/validation/validation.go).
//!
//! - Ingress, ValidateIngressCreate: rules or a default backend; each rule's host a DNS name
//!   (a `*.` wildcard only as the first label, never an IP address); each path's `pathType`,
//!   and its `path` absolute for Exact and Prefix; each backend exactly one of a Service and a
//!   resource, the Service with a name and a port that is a number or a name; TLS hosts and
//!   Secret names; `ingressClassName`, and the old class annotation agreeing with it.
//! - IngressClass, validateIngressClassSpec: a controller that is a domain-prefixed path, and
//!   the shape of `parameters` (scope Cluster or Namespace, a namespace only for Namespace).

use super::names::{dns1035_label, dns1123_label, dns1123_subdomain, path_segment, port_name};
use super::values::{parse_ip, wildcard_host};
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Pos, Value};

const PATH_TYPES: [&str; 3] = ["Exact", "Prefix", "ImplementationSpecific"];

impl Rules {
    /// networking validation ValidateIngressCreate and ValidateIngressSpec.
    pub(super) fn ingress(&mut self, root: &Node, spec: Option<&Node>, path: &Path, anchor: Pos) {
        let rules = spec
            .and_then(|spec| spec.get("rules"))
            .map(Node::as_seq)
            .unwrap_or_default();
        let default_backend = spec
            .and_then(|spec| spec.get("defaultBackend"))
            .filter(|node| !node.is_null());
        if rules.is_empty() && default_backend.is_none() {
            self.error(
                Rule::MissingField,
                path.key("rules"),
                anchor,
                "an Ingress needs `rules` or a `defaultBackend`",
            )
            .help = Some("add `rules:` with a host and its `http.paths`, or `defaultBackend:` with the Service that gets every request".to_string());
        }
        let Some(spec) = spec else {
            return;
        };
        if let Some(backend) = default_backend {
            self.ingress_backend(backend, &path.key("defaultBackend"));
        }
        for (index, rule) in rules.iter().enumerate() {
            let rule_path = path.key("rules").index(index);
            if let Some(host) = rule.get("host")
                && let Some(text) = str_of(host)
                && !text.is_empty()
            {
                self.ingress_host(host, text, rule_path.key("host"), true);
            }
            let Some((http_key, http)) = rule.entry("http") else {
                continue;
            };
            if http.is_null() {
                continue;
            }
            let paths = http.get("paths").map(Node::as_seq).unwrap_or_default();
            if paths.is_empty() {
                self.error(
                    Rule::MissingField,
                    rule_path.key("http").key("paths"),
                    http.get("paths").map_or(http_key.at, |node| node.at),
                    "`http` needs at least one entry in `paths`",
                );
            }
            for (path_index, item) in paths.iter().enumerate() {
                self.ingress_path(item, &rule_path.key("http").key("paths").index(path_index));
            }
        }
        for (index, tls) in spec
            .get("tls")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let tls_path = path.key("tls").index(index);
            for (host_index, host) in tls
                .get("hosts")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if let Some(text) = str_of(host) {
                    self.ingress_host(host, text, tls_path.key("hosts").index(host_index), false);
                }
            }
            if let Some(secret) = tls.get("secretName")
                && let Some(text) = str_of(secret)
                && !text.is_empty()
                && let Some(problem) = dns1123_subdomain(text)
            {
                self.error(
                    Rule::InvalidName,
                    tls_path.key("secretName"),
                    secret.at,
                    format!(
                        "`{}` is not a valid Secret name: {problem}",
                        crate::text::escape_controls(text)
                    ),
                );
            }
        }
        let class = spec.get("ingressClassName");
        if let Some(class) = class
            && let Some(text) = str_of(class)
            && let Some(problem) = dns1123_subdomain(text)
        {
            self.error(
                Rule::InvalidName,
                path.key("ingressClassName"),
                class.at,
                format!(
                    "`{}` is not a valid IngressClass name: {problem}",
                    crate::text::escape_controls(text)
                ),
            )
            .help = Some("`ingressClassName` names an IngressClass, such as `nginx`; `kubectl get ingressclass` lists them".to_string());
        }
        // ValidateIngressCreate: the deprecated annotation must agree with the field.
        const ANNOTATION: &str = "kubernetes.io/ingress.class";
        if let Some(class) = class.and_then(str_of)
            && let Some(annotation) = root.at_path(&["metadata", "annotations", ANNOTATION])
            && let Some(value) = str_of(annotation)
            && value != class
        {
            self.error(
                Rule::InvalidValue,
                Path::root()
                    .key("metadata")
                    .key("annotations")
                    .key(ANNOTATION),
                annotation.at,
                format!(
                    "the annotation `{ANNOTATION}` says `{}` but `ingressClassName` says `{}`",
                    crate::text::escape_controls(value),
                    crate::text::escape_controls(class)
                ),
            )
            .help = Some("the annotation is the old way to choose a class: remove it and keep `ingressClassName`".to_string());
        }
    }

    /// A rule's host (not an IP address, a DNS name with an optional `*.` wildcard) or a TLS
    /// host (the same without the IP rule).
    fn ingress_host(&mut self, node: &Node, text: &str, path: Path, rule: bool) {
        let shown = crate::text::escape_controls(text).into_owned();
        if rule && parse_ip(text).is_some() {
            self.error(
                Rule::InvalidValue,
                path,
                node.at,
                format!("`{shown}` is an IP address; an Ingress host must be a DNS name"),
            )
            .help = Some(
                "leave `host` out to match requests for any host, including the IP address"
                    .to_string(),
            );
            return;
        }
        let Some(problem) = wildcard_host(text) else {
            return;
        };
        let finding = self.error(
            Rule::InvalidValue,
            path,
            node.at,
            format!("`{shown}` is not a valid host name: {problem}"),
        );
        finding.help = Some(
            "a host is a DNS name such as `shop.example.com` or `*.example.com`: no scheme, port or path".to_string(),
        );
        let cleaned = text
            .trim()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_ascii_lowercase();
        finding.suggestion =
            (cleaned != text && wildcard_host(&cleaned).is_none()).then_some(cleaned);
    }

    /// networking validation validateHTTPIngressPath.
    fn ingress_path(&mut self, item: &Node, path: &Path) {
        let path_type = self.enum_field(item, "pathType", path, &PATH_TYPES);
        let written = item.get("path");
        if let Some(kind) = path_type
            && !written.is_some_and(|node| !matches!(node.value, Value::Str(_) | Value::Null))
        {
            let text = written.and_then(str_of).unwrap_or_default();
            let strict = kind != "ImplementationSpecific";
            match written.filter(|node| !node.is_null()) {
                None if strict => {
                    self.error(
                        Rule::MissingField,
                        path.key("path"),
                        item.at,
                        format!("a path of type {kind} needs `path`, starting with `/`"),
                    )
                    .help = Some("add `path: /` to match every request".to_string());
                }
                Some(node) => {
                    if let Some(problem) = http_path_problem(text, strict) {
                        let finding = self.error(
                            Rule::InvalidValue,
                            path.key("path"),
                            node.at,
                            format!(
                                "`{}` is not a valid path: {problem}",
                                crate::text::escape_controls(text)
                            ),
                        );
                        finding.suggestion = (!text.starts_with('/')
                            && http_path_problem(&format!("/{text}"), strict).is_none())
                        .then(|| format!("/{text}"));
                    }
                }
                None => {}
            }
        }
        if let Some(backend) = item.get("backend") {
            self.ingress_backend(backend, &path.key("backend"));
        }
    }

    /// networking validation validateIngressBackend.
    fn ingress_backend(&mut self, backend: &Node, path: &Path) {
        if !matches!(backend.value, Value::Map(_)) {
            return;
        }
        let service = backend.get("service").filter(|node| !node.is_null());
        let resource = backend
            .entry("resource")
            .filter(|(_, node)| !node.is_null());
        match (service, resource) {
            (Some(_), Some((key, _))) => {
                self.error(
                    Rule::ExclusiveFields,
                    path.key("resource"),
                    key.at,
                    "a backend is a `service` or a `resource`, not both",
                );
                return;
            }
            (None, None) => {
                self.error(
                    Rule::MissingField,
                    path.key("service"),
                    backend.at,
                    "a backend needs a `service` (or a `resource`)",
                )
                .help = Some(
                    "such as `service:` with `name: web` and `port:` with `number: 80`".to_string(),
                );
                return;
            }
            _ => {}
        }
        let (Some(service), Some((service_key, _))) = (service, backend.entry("service")) else {
            return;
        };
        let service_path = path.key("service");
        if let Some(name) = service.get("name")
            && let Some(text) = str_of(name)
        {
            // apivalidation.ValidateServiceName (DNS-1035), as for the Service itself.
            let problem = if text.is_empty() {
                Some("it is empty".to_string())
            } else {
                dns1035_label(text)
            };
            if let Some(problem) = problem {
                self.error(
                    Rule::InvalidName,
                    service_path.key("name"),
                    name.at,
                    format!(
                        "`{}` is not a valid Service name: {problem}",
                        crate::text::escape_controls(text)
                    ),
                );
            }
        }
        let port = service.get("port").filter(|node| !node.is_null());
        let name = port
            .and_then(|port| port.get("name"))
            .filter(|node| str_of(node).is_some_and(|text| !text.is_empty()));
        let number = port
            .and_then(|port| port.get("number"))
            .filter(|node| node.value != Value::Int(0) && !node.is_null());
        match (name, number) {
            (Some(_), Some(number)) => {
                self.error(
                    Rule::ExclusiveFields,
                    service_path.key("port").key("number"),
                    number.at,
                    "a backend's port has a `number` or a `name`, not both",
                );
            }
            (Some(name), None) => {
                let text = str_of(name).unwrap_or_default();
                if let Some(problem) = port_name(text) {
                    let finding = self.error(
                        Rule::InvalidName,
                        service_path.key("port").key("name"),
                        name.at,
                        format!(
                            "`{}` is not a valid port name: {problem}",
                            crate::text::escape_controls(text)
                        ),
                    );
                    if text.trim().parse::<u16>().is_ok() {
                        finding.help = Some(format!(
                            "a port given by number goes under `number:`, as `number: {}`",
                            text.trim()
                        ));
                    }
                }
            }
            (None, Some(number)) => {
                if let Value::Int(value) = number.value
                    && !(1..=65535).contains(&value)
                {
                    self.port_out_of_range(
                        service_path.key("port").key("number"),
                        number.at,
                        value,
                    );
                }
            }
            (None, None) => {
                self.error(
                    Rule::MissingField,
                    service_path.key("port"),
                    backend
                        .get("service")
                        .and_then(|service| service.entry("port"))
                        .map_or(service_key.at, |(key, _)| key.at),
                    "a backend's Service needs a `port`, with `number` or `name`",
                )
                .help = Some("such as `port:` with `number: 80`".to_string());
            }
        }
    }

    /// networking validation validateIngressClassSpec and validateIngressClassParametersReference
    /// (after v1 defaulting, which sets a missing `scope` to Cluster).
    pub(super) fn ingress_class(&mut self, spec: Option<&Node>, path: &Path, anchor: Pos) {
        let controller = spec.and_then(|spec| spec.get("controller"));
        match controller.map(|node| (node, str_of(node))) {
            Some((_, None)) => {}
            Some((node, Some(text))) if !text.is_empty() => {
                let problem = if text.len() > 250 {
                    Some(format!(
                        "it has {} characters, at most 250 are allowed",
                        text.len()
                    ))
                } else {
                    domain_prefixed_path(text)
                };
                if let Some(problem) = problem {
                    self.error(
                        Rule::InvalidValue,
                        path.key("controller"),
                        node.at,
                        format!(
                            "`{}` is not a valid controller name: {problem}",
                            crate::text::escape_controls(text)
                        ),
                    )
                    .help = Some("a controller is named by a domain, '/', then a path, such as `k8s.io/ingress-nginx`".to_string());
                }
            }
            other => {
                self.error(
                    Rule::MissingField,
                    path.key("controller"),
                    other.map_or(anchor, |(node, _)| node.at),
                    "an IngressClass needs `spec.controller`",
                )
                .help = Some("name the controller that implements the class, such as `controller: k8s.io/ingress-nginx`".to_string());
            }
        }
        let Some(parameters) = spec
            .and_then(|spec| spec.get("parameters"))
            .filter(|node| !node.is_null())
        else {
            return;
        };
        let parameters_path = path.key("parameters");
        if let Some(group) = parameters.get("apiGroup")
            && let Some(text) = str_of(group)
            && let Some(problem) = dns1123_subdomain(text)
        {
            self.error(
                Rule::InvalidValue,
                parameters_path.key("apiGroup"),
                group.at,
                format!(
                    "`{}` is not a valid API group: {problem}",
                    crate::text::escape_controls(text)
                ),
            );
        }
        for field in ["kind", "name"] {
            if let Some(node) = parameters.get(field)
                && let Some(text) = str_of(node)
                && let Some(problem) = path_segment(text)
                    .or_else(|| text.is_empty().then(|| "it is empty".to_string()))
            {
                self.error(
                    Rule::InvalidName,
                    parameters_path.key(field),
                    node.at,
                    format!(
                        "`{}` is not a valid `{field}`: {problem}",
                        crate::text::escape_controls(text)
                    ),
                );
            }
        }
        let scope = parameters.get("scope").filter(|node| !node.is_null());
        if scope.and_then(str_of).is_some()
            && self
                .enum_field(
                    parameters,
                    "scope",
                    &parameters_path,
                    &["Cluster", "Namespace"],
                )
                .is_none()
        {
            return;
        }
        let namespace = parameters
            .entry("namespace")
            .filter(|(_, node)| !node.is_null());
        match (scope.and_then(str_of).unwrap_or("Cluster"), namespace) {
            ("Namespace", None) => {
                self.error(
                    Rule::MissingField,
                    parameters_path.key("namespace"),
                    scope.map_or(parameters.at, |node| node.at),
                    "parameters of scope Namespace need a `namespace`",
                );
            }
            ("Namespace", Some((_, node))) => {
                if let Some(text) = str_of(node)
                    && let Some(problem) = dns1123_label(text)
                {
                    self.error(
                        Rule::InvalidName,
                        parameters_path.key("namespace"),
                        node.at,
                        format!(
                            "`{}` is not a valid Namespace name: {problem}",
                            crate::text::escape_controls(text)
                        ),
                    );
                }
            }
            (_, Some((key, _))) => {
                self.error(
                    Rule::ForbiddenField,
                    parameters_path.key("namespace"),
                    key.at,
                    "parameters of scope Cluster take no `namespace`",
                )
                .help = Some("set `scope: Namespace` to point at a namespaced resource, or remove `namespace`".to_string());
            }
            _ => {}
        }
    }
}

/// What is wrong with an Ingress path (validateHTTPIngressPath): an Exact or Prefix path
/// (`strict`) starts with `/` and has none of the sequences the API server refuses; an
/// ImplementationSpecific path, when given, starts with `/`.
fn http_path_problem(text: &str, strict: bool) -> Option<String> {
    if (strict || !text.is_empty()) && !text.starts_with('/') {
        return Some("it must start with `/`".to_string());
    }
    if !strict {
        return None;
    }
    if let Some(bad) = ["//", "/./", "/../", "%2f", "%2F"]
        .into_iter()
        .find(|bad| text.contains(bad))
    {
        return Some(format!("it may not contain `{bad}`"));
    }
    ["/..", "/."]
        .into_iter()
        .find(|bad| text.ends_with(bad))
        .map(|bad| format!("it may not end with `{bad}`"))
}

/// apimachinery IsDomainPrefixedPath: `domain/path`, the domain a DNS subdomain and the path
/// of URL path characters.
fn domain_prefixed_path(text: &str) -> Option<String> {
    let Some((domain, rest)) = text
        .split_once('/')
        .filter(|(domain, rest)| !domain.is_empty() && !rest.is_empty())
    else {
        return Some("it must be a domain, '/', then a path".to_string());
    };
    if let Some(problem) = dns1123_subdomain(domain) {
        return Some(format!(
            "its domain `{domain}` is not a DNS subdomain ({problem})"
        ));
    }
    rest.chars()
        .find(|c| !c.is_ascii_alphanumeric() && !"/-._~%!$&'()*+,;=:".contains(*c))
        .map(|bad| format!("its path contains {bad:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked_as_validate_http_ingress_path_does() {
        assert_eq!(http_path_problem("/", true), None);
        assert_eq!(http_path_problem("/api/v1", true), None);
        assert!(http_path_problem("", true).is_some());
        assert!(http_path_problem("api", true).is_some());
        assert!(http_path_problem("/a//b", true).is_some());
        assert!(http_path_problem("/a/%2Fb", true).is_some());
        assert!(http_path_problem("/a/..", true).is_some());
        assert!(http_path_problem("/a/.", true).is_some());
        // ImplementationSpecific: empty is fine, otherwise only the leading `/` is checked.
        assert_eq!(http_path_problem("", false), None);
        assert_eq!(http_path_problem("/a//b", false), None);
        assert!(http_path_problem("a", false).is_some());
    }

    #[test]
    fn controllers_are_domain_prefixed_paths() {
        assert_eq!(domain_prefixed_path("k8s.io/ingress-nginx"), None);
        assert_eq!(domain_prefixed_path("example.com/a/b:c"), None);
        assert!(domain_prefixed_path("nginx").is_some());
        assert!(domain_prefixed_path("example.com/").is_some());
        assert!(domain_prefixed_path("/nginx").is_some());
        assert!(domain_prefixed_path("Example.com/nginx").is_some());
        assert!(domain_prefixed_path("example.com/a b").is_some());
    }
}
