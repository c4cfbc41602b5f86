//! A Service's spec: its type, and its ports (present unless the Service is headless or an
//! ExternalName, named when there are several, numbers in range, a `targetPort` that is a
//! number or a valid port name, a `nodePort` only where the type opens one, in the default
//! node-port range).

use std::collections::HashSet;

use super::names::port_name;
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Pos, Value};
use crate::text::did_you_mean;

impl Rules {
    /// core validation ValidateService.
    pub(super) fn service(&mut self, spec: &Node, path: &Path, anchor: Pos) {
        const TYPES: [&str; 4] = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
        let service_type = spec.get("type").and_then(str_of).unwrap_or("ClusterIP");
        if let Some(type_node) = spec.get("type")
            && str_of(type_node).is_some_and(|text| !TYPES.contains(&text))
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
        let mut names: HashSet<&str> = HashSet::new();
        for (index, port) in ports.iter().enumerate() {
            let port_path = path.key("ports").index(index);
            match port.get("name").and_then(str_of) {
                Some(name) if !names.insert(name) => {
                    self.error(
                        Rule::DuplicateName,
                        port_path.key("name"),
                        port.at,
                        format!("two ports are named `{name}`"),
                    );
                }
                Some(_) => {}
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
                && !(1..=65535).contains(&value)
            {
                self.error(
                    Rule::OutOfRange,
                    port_path.key("port"),
                    number.at,
                    format!("port {value} is out of range: ports are 1 to 65535"),
                );
            }
            if let Some(target) = port.get("targetPort") {
                match &target.value {
                    Value::Int(value) if !(1..=65535).contains(value) => {
                        self.error(
                            Rule::OutOfRange,
                            port_path.key("targetPort"),
                            target.at,
                            format!("port {value} is out of range: ports are 1 to 65535"),
                        );
                    }
                    Value::Str(name) => {
                        if let Some(problem) = port_name(name) {
                            let finding = self.error(
                                Rule::InvalidValue,
                                port_path.key("targetPort"),
                                target.at,
                                format!("`{name}` is not a port number or a port name: {problem}"),
                            );
                            finding.suggestion = name
                                .trim()
                                .parse::<u16>()
                                .ok()
                                .map(|number| number.to_string());
                        }
                    }
                    _ => {}
                }
            }
            if let Some(node_port) = port.get("nodePort")
                && let Value::Int(value) = node_port.value
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
                }
            }
            self.protocol(port, &port_path);
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
