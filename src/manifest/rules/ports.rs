//! A container's ports: numbers in range, names valid and unique in the container, and one
//! listener per port and protocol in the whole Pod (its containers share one network, so a
//! second declaration is a warning, as the API server gives). The protocol rule is shared with
//! a Service's ports.

use std::collections::HashSet;

use super::names::{port_name, qualified_name};
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::schema::Finding;
use crate::manifest::yaml::{Node, Pos, Value};

impl Rules {
    /// core validation validateContainerPorts.
    pub(super) fn ports(&mut self, container: &Node, path: &Path) {
        let mut names: HashSet<&str> = HashSet::new();
        for (index, port) in container
            .get("ports")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let port_path = path.key("ports").index(index);
            if let Some(number) = port.get("containerPort")
                && let Value::Int(value) = number.value
                && !(1..=65535).contains(&value)
            {
                self.port_out_of_range(port_path.key("containerPort"), number.at, value);
            }
            if let Some(name_node) = port.get("name")
                && let Some(name) = str_of(name_node)
            {
                if let Some(problem) = port_name(name) {
                    self.error(
                        Rule::InvalidName,
                        port_path.key("name"),
                        name_node.at,
                        format!("`{name}` is not a valid port name: {problem}"),
                    );
                } else if !names.insert(name) {
                    self.error(
                        Rule::DuplicateName,
                        port_path.key("name"),
                        name_node.at,
                        format!("two ports of this container are named `{name}`"),
                    );
                }
            }
            self.protocol(port, &port_path);
            if let Some(number) = port.get("containerPort")
                && let Value::Int(value) = number.value
            {
                let protocol = port
                    .get("protocol")
                    .and_then(str_of)
                    .unwrap_or("TCP")
                    .to_string();
                let host = port.get("hostPort").is_some();
                match self.ports_seen.get(&(value, protocol.clone())) {
                    // core validation (warnings.go): the API server accepts it, with a warning.
                    Some(first) if !host => {
                        let first = first.to_string();
                        let finding = self.error(
                            Rule::DuplicatePort,
                            port_path.key("containerPort"),
                            number.at,
                            format!("port {value}/{protocol} is also declared at {first}; containers of a Pod share one network, so only one can listen on it"),
                        );
                        finding.warning = true;
                        finding.help = Some("the API server accepts this with a warning; if both containers really listen there, the second fails to bind".to_string());
                    }
                    Some(_) => {}
                    None => {
                        self.ports_seen
                            .insert((value, protocol), port_path.key("containerPort"));
                    }
                }
            }
        }
    }

    /// A port number outside 1 to 65535, reported at `path`.
    pub(super) fn port_out_of_range(&mut self, path: Path, at: Pos, value: i64) {
        self.error(
            Rule::OutOfRange,
            path,
            at,
            format!("port {value} is out of range: ports are 1 to 65535"),
        );
    }

    /// A port given as a string is a valid port name (ValidatePortNumOrName); `shown` is the
    /// name as the message writes it. A quoted number gets the number as the suggestion.
    pub(super) fn port_name_or_number(&mut self, name: &str, shown: &str, path: Path, at: Pos) {
        if let Some(problem) = port_name(name) {
            let finding = self.error(
                Rule::InvalidValue,
                path,
                at,
                format!("`{shown}` is not a port number or a port name: {problem}"),
            );
            finding.suggestion = name
                .trim()
                .parse::<u16>()
                .ok()
                .map(|number| number.to_string());
        }
    }

    pub(super) fn protocol(&mut self, port: &Node, path: &Path) {
        if let Some(protocol) = port.get("protocol")
            && let Some(text) = str_of(protocol)
            && !["TCP", "UDP", "SCTP"].contains(&text)
        {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("protocol"),
                protocol.at,
                format!("`{text}` is not a protocol"),
            );
            finding.suggestion = ["TCP", "UDP", "SCTP"]
                .into_iter()
                .find(|known| known.eq_ignore_ascii_case(text))
                .map(str::to_string);
            finding.help = Some("use TCP (the default), UDP or SCTP, in capitals".to_string());
        }
    }

    /// A port's `appProtocol`, a qualified name (ValidateQualifiedName), as a Service's and an
    /// EndpointSlice's ports have it. The finding is returned for the caller's help text.
    pub(super) fn app_protocol(&mut self, port: &Node, port_path: &Path) -> Option<&mut Finding> {
        let app_protocol = port.get("appProtocol")?;
        let text = str_of(app_protocol)?;
        let problem = qualified_name(text)?;
        Some(self.error(
            Rule::InvalidValue,
            port_path.key("appProtocol"),
            app_protocol.at,
            format!(
                "`{}` is not a valid application protocol: {problem}",
                crate::text::escape_controls(text)
            ),
        ))
    }
}
