//! A Service's spec: its type, and its ports (present unless the Service is headless or an
//! ExternalName, named when there are several, names DNS labels, numbers in range, no port or
//! node port twice, a `targetPort` that is a number or a valid port name, a `nodePort` only
//! where the type opens one, in the default node-port range); the selector's labels; the
//! cluster IP (an address, `None` for headless, never on an ExternalName); an ExternalName's
//! DNS name; session affinity and its timeout; the traffic policies and the fields only a
//! LoadBalancer takes. All of it is core validation ValidateService
//! (pkg/apis/core/validation/validation.go) on the defaulted object (pkg/apis/core/v1
//! SetDefaults_Service: type ClusterIP, sessionAffinity None, protocol TCP, targetPort = port).

use std::collections::HashSet;

use super::names::{dns1123_label, dns1123_subdomain, qualified_name};
use super::values::parse_ip;
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Pos, Value};
use crate::text::did_you_mean;

const TYPES: [&str; 4] = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];

impl Rules {
    /// core validation ValidateService.
    pub(super) fn service(&mut self, spec: &Node, path: &Path, anchor: Pos) {
        // SetDefaults_Service: an empty or missing type is ClusterIP.
        let service_type = spec
            .get("type")
            .and_then(str_of)
            .filter(|text| !text.is_empty())
            .unwrap_or("ClusterIP");
        if let Some(type_node) = spec.get("type")
            && str_of(type_node).is_some_and(|text| !text.is_empty() && !TYPES.contains(&text))
        {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("type"),
                type_node.at,
                format!("`{service_type}` is not a Service type"),
            );
            finding.suggestion = did_you_mean(service_type, TYPES)
                .or_else(|| {
                    TYPES
                        .into_iter()
                        .find(|known| known.eq_ignore_ascii_case(service_type))
                })
                .map(str::to_string);
            finding.help = Some(
                "use ClusterIP (the default), NodePort, LoadBalancer or ExternalName".to_string(),
            );
        }
        let ports = spec.get("ports").map(Node::as_seq).unwrap_or_default();
        if ports.is_empty()
            && service_type != "ExternalName"
            && spec.get("clusterIP").and_then(str_of) != Some("None")
        {
            self.error(
                Rule::MissingField,
                path.key("ports"),
                anchor,
                "a Service needs at least one port",
            )
            .help = Some(
                "add `ports:` with `- port: 80` and `targetPort:` set to the container's port"
                    .to_string(),
            );
        }
        self.service_ports(ports, path, service_type);
        // unversionedvalidation.ValidateLabels(service.Spec.Selector)
        if let Some(selector) = spec.get("selector") {
            self.label_map(selector, &path.key("selector"));
        }
        // The rules below depend on the type: with a type the API server does not know, it
        // reports the type alone.
        if TYPES.contains(&service_type) {
            self.service_addresses(spec, path, service_type, anchor);
            self.service_traffic(spec, path, service_type);
        }
        self.session_affinity(spec, path);
    }

    /// core validation validateServicePort, and ValidateService's checks of duplicate ports and
    /// node ports (by number and protocol) and of `nodePort` on a ClusterIP Service.
    fn service_ports(&mut self, ports: &[Node], path: &Path, service_type: &str) {
        let mut names: HashSet<&str> = HashSet::new();
        let mut numbers: HashSet<(i64, &str)> = HashSet::new();
        let mut node_ports: HashSet<(i64, &str)> = HashSet::new();
        for (index, port) in ports.iter().enumerate() {
            let port_path = path.key("ports").index(index);
            // SetDefaults_Service: an empty or missing protocol is TCP.
            let protocol = port
                .get("protocol")
                .and_then(str_of)
                .filter(|text| !text.is_empty())
                .unwrap_or("TCP");
            match port.get("name").and_then(str_of) {
                Some(name) if !names.insert(name) => {
                    self.error(
                        Rule::DuplicateName,
                        port_path.key("name"),
                        port.at,
                        format!("two ports are named `{name}`"),
                    );
                }
                Some(name) => {
                    // ValidateDNS1123Label(sp.Name)
                    if let Some(problem) = dns1123_label(name)
                        && let Some(name_node) = port.get("name")
                    {
                        self.error(
                            Rule::InvalidName,
                            port_path.key("name"),
                            name_node.at,
                            format!(
                                "`{}` is not a valid port name: {problem}",
                                crate::text::escape_controls(name)
                            ),
                        )
                        .help = Some("a Service port's name is a DNS label: lowercase letters, digits and '-', at most 63 characters".to_string());
                    }
                }
                None if ports.len() > 1 => {
                    self.error(
                        Rule::MissingField,
                        port_path.key("name"),
                        port.at,
                        "when a Service has several ports, each needs a `name`",
                    );
                }
                None => {}
            }
            if let Some(number) = port.get("port")
                && let Value::Int(value) = number.value
            {
                if !(1..=65535).contains(&value) {
                    self.port_out_of_range(port_path.key("port"), number.at, value);
                } else if !numbers.insert((value, protocol)) {
                    self.error(
                        Rule::DuplicatePort,
                        port_path.clone(),
                        port.at,
                        format!("port {value}/{protocol} is listed twice in this Service"),
                    )
                    .help = Some("each port and protocol pair may appear once; remove the copy, or give it another `port`".to_string());
                }
            }
            if let Some(target) = port.get("targetPort") {
                self.target_port(target, &port_path);
            }
            if let Some(node_port) = port.get("nodePort")
                && let Value::Int(value) = node_port.value
                && value != 0
            {
                if service_type == "ClusterIP" {
                    self.error(
                        Rule::InvalidValue,
                        port_path.key("nodePort"),
                        node_port.at,
                        "`nodePort` needs a Service of type NodePort or LoadBalancer",
                    )
                    .help = Some("add `type: NodePort` to the spec".to_string());
                } else if !(30000..=32767).contains(&value) {
                    // Not ValidateService: the node-port allocator
                    // (pkg/registry/core/service/portallocator) refuses a port outside the
                    // kube-apiserver's --service-node-port-range, 30000-32767 by default.
                    self.error(
                        Rule::OutOfRange,
                        port_path.key("nodePort"),
                        node_port.at,
                        format!("node port {value} is outside the default range 30000-32767"),
                    )
                    .help = Some(
                        "clusters use 30000-32767 unless --service-node-port-range says otherwise"
                            .to_string(),
                    );
                } else if !node_ports.insert((value, protocol)) {
                    self.error(
                        Rule::DuplicatePort,
                        port_path.key("nodePort"),
                        node_port.at,
                        format!("node port {value}/{protocol} is used twice in this Service"),
                    )
                    .help = Some("every port of a Service needs its own node port; pick another one, or leave `nodePort` out to get a free one".to_string());
                }
            }
            if let Some(finding) = self.app_protocol(port, &port_path) {
                finding.help = Some(
                    "an appProtocol is a name such as `http`, `h2c` or `kubernetes.io/ws`"
                        .to_string(),
                );
            }
            if port.get("protocol").and_then(str_of) != Some("") {
                self.protocol(port, &port_path);
            }
        }
    }

    /// core validation ValidatePortNumOrName. `targetPort: 0` and `targetPort: ""` are fine:
    /// SetDefaults_Service replaces them with `port`.
    fn target_port(&mut self, target: &Node, port_path: &Path) {
        match &target.value {
            Value::Int(value) if *value != 0 && !(1..=65535).contains(value) => {
                self.port_out_of_range(port_path.key("targetPort"), target.at, *value);
            }
            Value::Str(name) if !name.is_empty() => {
                self.port_name_or_number(name, name, port_path.key("targetPort"), target.at);
            }
            _ => {}
        }
    }

    /// The cluster IP (core validation ValidateServiceClusterIPsRelatedFields and the
    /// type switch of ValidateService) and an ExternalName's DNS name.
    fn service_addresses(&mut self, spec: &Node, path: &Path, service_type: &str, anchor: Pos) {
        let cluster_ip = spec.get("clusterIP");
        match cluster_ip.and_then(|node| Some((node, str_of(node)?))) {
            None | Some((_, "")) => {}
            // An ExternalName with `clusterIP: None` is left to the API server: whether the
            // normalized `clusterIPs: [None]` is refused there is not certain enough to say.
            Some((node, "None")) => {
                if matches!(service_type, "NodePort" | "LoadBalancer") {
                    self.error(
                        Rule::InvalidValue,
                        path.key("clusterIP"),
                        node.at,
                        format!("a {service_type} Service cannot be headless (`clusterIP: None`)"),
                    )
                    .help = Some("a headless Service has no virtual IP for nodes to forward to: remove `clusterIP: None`, or make the type ClusterIP".to_string());
                }
            }
            Some((node, text)) if service_type == "ExternalName" => {
                self.error(
                    Rule::ForbiddenField,
                    path.key("clusterIP"),
                    node.at,
                    format!(
                        "an ExternalName Service has no cluster IP; `{}` may not be set",
                        crate::text::escape_controls(text)
                    ),
                )
                .help = Some(
                    "an ExternalName Service is a DNS alias (a CNAME): remove `clusterIP`"
                        .to_string(),
                );
            }
            Some((node, text)) if parse_ip(text).is_none() => {
                let finding = self.error(
                    Rule::InvalidValue,
                    path.key("clusterIP"),
                    node.at,
                    format!(
                        "`{}` is not an IP address",
                        crate::text::escape_controls(text)
                    ),
                );
                finding.help = Some("`clusterIP` is empty (one is assigned), `None` for a headless Service, or an address of the cluster's service range".to_string());
                finding.suggestion = text
                    .trim()
                    .eq_ignore_ascii_case("none")
                    .then(|| "None".to_string());
            }
            Some(_) => {}
        }
        if service_type == "ExternalName" {
            self.forbid_set_fields(
                spec,
                path,
                &["ipFamilyPolicy", "ipFamilies"],
                "may not be set on an ExternalName Service",
                "an ExternalName Service has no IP addresses, so no IP families: remove the field",
            );
            let external = spec.get("externalName");
            let name = external.and_then(str_of).unwrap_or_default();
            let trimmed = name.strip_suffix('.').unwrap_or(name);
            match external {
                Some(node) if !trimmed.is_empty() => {
                    if let Some(problem) = dns1123_subdomain(trimmed) {
                        let finding = self.error(
                            Rule::InvalidValue,
                            path.key("externalName"),
                            node.at,
                            format!(
                                "`{}` is not a valid DNS name: {problem}",
                                crate::text::escape_controls(name)
                            ),
                        );
                        finding.help = Some("`externalName` is the host name the Service's DNS name points to, such as `db.example.com`: no scheme, port or path".to_string());
                        let lower = name.trim().to_ascii_lowercase();
                        finding.suggestion = (lower != name
                            && dns1123_subdomain(lower.strip_suffix('.').unwrap_or(&lower))
                                .is_none())
                        .then_some(lower);
                    }
                }
                _ if external
                    .is_some_and(|node| !matches!(node.value, Value::Str(_) | Value::Null)) => {}
                _ => {
                    self.error(
                        Rule::MissingField,
                        path.key("externalName"),
                        external.map_or(anchor, |node| node.at),
                        "an ExternalName Service needs `externalName`",
                    )
                    .help = Some("set `externalName:` to the DNS name the Service stands for, such as `db.example.com`".to_string());
                }
            }
        } else {
            self.enum_field(
                spec,
                "ipFamilyPolicy",
                path,
                &["SingleStack", "PreferDualStack", "RequireDualStack"],
            );
            for (index, family) in spec
                .get("ipFamilies")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                self.choice_item(
                    family,
                    path.key("ipFamilies").index(index),
                    &["IPv4", "IPv6"],
                    "IP family",
                );
            }
        }
    }

    /// core validation validateServiceExternalTrafficPolicy, validateServiceInternalTrafficFieldsValue,
    /// and the fields ValidateService allows on a LoadBalancer only.
    fn service_traffic(&mut self, spec: &Node, path: &Path, service_type: &str) {
        // apiservice.ExternallyAccessible
        let external_ips = !spec
            .get("externalIPs")
            .map(Node::as_seq)
            .unwrap_or_default()
            .is_empty();
        let externally_accessible = matches!(service_type, "NodePort" | "LoadBalancer")
            || (service_type == "ClusterIP" && external_ips);
        let external_policy = spec.get("externalTrafficPolicy");
        if let Some(policy) = external_policy
            && let Some(text) = str_of(policy)
            && !text.is_empty()
        {
            if externally_accessible {
                self.enum_field(spec, "externalTrafficPolicy", path, &["Cluster", "Local"]);
            } else {
                self.error(
                    Rule::ForbiddenField,
                    path.key("externalTrafficPolicy"),
                    policy.at,
                    format!("`externalTrafficPolicy` may only be set on a Service reachable from outside the cluster; this one is {service_type}"),
                )
                .help = Some("it applies to NodePort and LoadBalancer Services (or a ClusterIP with `externalIPs`); for traffic inside the cluster, use `internalTrafficPolicy`".to_string());
            }
        }
        self.enum_field(spec, "internalTrafficPolicy", path, &["Cluster", "Local"]);
        let local = external_policy.and_then(str_of) == Some("Local");
        if let Some(health) = spec.get("healthCheckNodePort")
            && let Value::Int(value) = health.value
            && value != 0
            && !(service_type == "LoadBalancer" && local)
        {
            self.error(
                Rule::ForbiddenField,
                path.key("healthCheckNodePort"),
                health.at,
                "`healthCheckNodePort` may only be set on a LoadBalancer Service with `externalTrafficPolicy: Local`",
            );
        }
        if service_type != "LoadBalancer" {
            self.forbid_set_fields(
                spec,
                path,
                &[
                    "allocateLoadBalancerNodePorts",
                    "loadBalancerClass",
                    "loadBalancerSourceRanges",
                ],
                "may only be used when `type` is LoadBalancer",
                "add `type: LoadBalancer`, or remove the field",
            );
        } else if let Some(class) = spec.get("loadBalancerClass")
            && let Some(text) = str_of(class)
            && let Some(problem) = qualified_name(text)
        {
            // validateLoadBalancerClassField: ValidateQualifiedName
            self.error(
                Rule::InvalidValue,
                path.key("loadBalancerClass"),
                class.at,
                format!(
                    "`{}` is not a valid `loadBalancerClass`: {problem}",
                    crate::text::escape_controls(text)
                ),
            );
        }
    }

    /// Each of `fields` that is set (not null, not an empty list) is reported: "`field` {why}".
    fn forbid_set_fields(
        &mut self,
        spec: &Node,
        path: &Path,
        fields: &[&str],
        why: &str,
        help: &str,
    ) {
        for field in fields {
            if let Some((key, node)) = spec.entry(field)
                && !node.is_null()
                && !matches!(&node.value, Value::Seq(items) if items.is_empty())
            {
                self.error(
                    Rule::ForbiddenField,
                    path.key(field),
                    key.at,
                    format!("`{field}` {why}"),
                )
                .help = Some(help.to_string());
            }
        }
    }

    /// core validation ValidateService (sessionAffinity) and validateClientIPAffinityConfig.
    /// With affinity None (the default) SetDefaults_Service drops `sessionAffinityConfig`
    /// silently, so it is no error there; with ClientIP a timeout is 1 to 86400 seconds
    /// (MaxClientIPServiceAffinitySeconds), and a missing one is defaulted to 10800.
    fn session_affinity(&mut self, spec: &Node, path: &Path) {
        // An empty sessionAffinity is defaulted to None.
        if spec.get("sessionAffinity").and_then(str_of) == Some("")
            || self.enum_field(spec, "sessionAffinity", path, &["None", "ClientIP"])
                != Some("ClientIP")
        {
            return;
        }
        if let Some(client) = spec.at_path(&["sessionAffinityConfig", "clientIP"]) {
            self.in_range(
                client,
                "timeoutSeconds",
                &path.key("sessionAffinityConfig").key("clientIP"),
                1,
                86400,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::manifest::{self, Rule, Version};

    /// `containerPort` belongs to a container, not a Service: the schema reports it as unknown,
    /// and no rule of a Pod's ports (the duplicate-port warning) may run on it.
    #[test]
    fn a_container_port_on_a_service_is_only_an_unknown_field() {
        let text = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: a
      port: 80
      containerPort: 8080
    - name: b
      port: 81
      containerPort: 8080
";
        let report = manifest::check(text, Version::pinned());
        let found: Vec<(Rule, &str)> = report
            .diagnostics
            .iter()
            .map(|diagnostic| (diagnostic.rule, diagnostic.path.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (Rule::UnknownField, "spec.ports[0].containerPort"),
                (Rule::UnknownField, "spec.ports[1].containerPort"),
            ]
        );
    }
}
