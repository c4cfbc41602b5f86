//! One container of a Pod spec: its name (a DNS label, unique in the Pod), its image (required
//! in a Pod and in every template), its pull policy, its own restart policy and restart
//! rules, and its probes and lifecycle hooks. The rest of a container has a subject of its own
//! ([`env`](super::env), [`volumes`](super::volumes), [`ports`](super::ports),
//! [`resources`](super::resources)), called from [`Rules::container`].

use std::collections::HashSet;

use super::names::{dns1123_label, port_name, suggest_dns_name};
use super::{PodContext, Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::version::Feature;
use crate::manifest::yaml::{Node, Pos, Value};
use crate::text::did_you_mean;

impl Rules {
    pub(super) fn container(
        &mut self,
        container: &Node,
        path: &Path,
        volumes: &[&str],
        names: &mut HashSet<String>,
        init: bool,
        context: PodContext,
    ) {
        let name = container.entry("name");
        if let Some((_, name_node)) = name
            && let Some(text) = str_of(name_node)
        {
            if let Some(problem) = dns1123_label(text) {
                let finding = self.error(
                    Rule::InvalidName,
                    path.key("name"),
                    name_node.at,
                    format!(
                        "`{}` is not a valid container name: {problem}",
                        crate::text::escape_controls(text)
                    ),
                );
                finding.suggestion = suggest_dns_name(text).filter(|suggestion| suggestion != text);
            }
            if !names.insert(text.to_string()) {
                self.error(
                    Rule::DuplicateName,
                    path.key("name"),
                    name_node.at,
                    format!("two containers of this Pod are named `{text}`"),
                )
                .help = Some(
                    "container names are unique across containers and initContainers; rename one"
                        .to_string(),
                );
            }
        }
        // core validation validateContainerCommon: every container needs an image, in a Pod and
        // in every template (a StatefulSet's template is not validated: see PodContext);
        // validateContainerOnlyForPod: a Pod's image has no leading or trailing whitespace.
        match container.get("image") {
            Some(image) if str_of(image).is_some_and(|text| !text.is_empty()) => {
                if context == PodContext::Pod
                    && let Some(text) = str_of(image)
                    && text.trim() != text
                {
                    let finding = self.error(
                        Rule::InvalidValue,
                        path.key("image"),
                        image.at,
                        format!(
                            "the image `{}` has leading or trailing whitespace",
                            crate::text::escape_controls(text)
                        ),
                    );
                    finding.suggestion =
                        Some(text.trim().to_string()).filter(|trimmed| !trimmed.is_empty());
                }
            }
            Some(image) if !image.is_null() && str_of(image).is_none() => {}
            _ => {
                let at = name.map_or(container.at, |(key, _)| key.at);
                self.error(
                    Rule::MissingField,
                    path.key("image"),
                    at,
                    "missing required field `image`",
                )
                .help = Some(
                    "every container of a Pod runs an image: add `image: NAME[:TAG]`".to_string(),
                );
            }
        }
        if let Some(policy) = container
            .get("imagePullPolicy")
            .filter(|node| !node.is_null())
            && let Some(text) = str_of(policy)
            // "" is defaulted like an absent policy (v1 SetDefaults_Container).
            && !text.is_empty()
            && !["Always", "IfNotPresent", "Never"].contains(&text)
        {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("imagePullPolicy"),
                policy.at,
                format!("`{text}` is not an image pull policy"),
            );
            finding.suggestion =
                did_you_mean(text, ["Always", "IfNotPresent", "Never"]).map(str::to_string);
            finding.help = Some("use Always, IfNotPresent or Never".to_string());
        }
        self.container_restart(container, path, init);
        self.probes(container, path, init);
        self.env(container, path);
        self.env_from(container, path);
        self.volume_mounts(container, path, volumes);
        self.ports(container, path);
        self.resources(container, path);
    }

    /// Probes and lifecycle hooks: core validation validateInitContainers forbids them on an
    /// init container that is not a sidecar (restartPolicy Always); validateHTTPGetAction /
    /// validateTCPSocketAction / validateGRPCAction check their ports (a number 1–65535, or a
    /// named port of the container: lowercase, at most 15 characters, with a letter).
    fn probes(&mut self, container: &Node, path: &Path, init: bool) {
        let sidecar = container.get("restartPolicy").and_then(str_of) == Some("Always");
        for field in [
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "lifecycle",
        ] {
            let Some((key, node)) = container.entry(field).filter(|(_, node)| !node.is_null())
            else {
                continue;
            };
            if init && !sidecar {
                self.error(
                    Rule::ForbiddenField,
                    path.key(field),
                    key.at,
                    format!("`{field}` may not be set on an init container (unless it is a sidecar with restartPolicy: Always)"),
                )
                .help = Some(if field == "lifecycle" {
                    "an init container runs once to completion, so lifecycle hooks do not apply; move them to an app container, or make this one a native sidecar".to_string()
                } else {
                    "an init container runs once to completion, so it is never probed; move the probe to an app container, or make this one a native sidecar".to_string()
                });
            }
            let handlers: Vec<(Path, &Node, Pos)> = if field == "lifecycle" {
                ["postStart", "preStop"]
                    .iter()
                    .filter_map(|hook| {
                        node.entry(hook)
                            .filter(|(_, handler)| !handler.is_null())
                            .map(|(hook_key, handler)| {
                                (path.key(field).key(hook), handler, hook_key.at)
                            })
                    })
                    .collect()
            } else {
                vec![(path.key(field), node, key.at)]
            };
            let checked = !init || sidecar;
            if checked && field != "lifecycle" {
                self.probe(node, &path.key(field), field);
            }
            for (handler_path, handler, anchor) in handlers {
                if checked {
                    self.handler(handler, &handler_path, anchor, field == "lifecycle");
                }
                for action in ["httpGet", "tcpSocket", "grpc"] {
                    if let Some(port) = handler.get(action).and_then(|action| action.get("port")) {
                        self.probe_port(
                            port,
                            handler_path.key(action).key("port"),
                            action == "grpc",
                        );
                    }
                }
            }
        }
    }

    fn probe_port(&mut self, port: &Node, path: Path, number_only: bool) {
        match &port.value {
            Value::Int(number) if !(1..=65535).contains(number) => {
                self.port_out_of_range(path, port.at, *number);
            }
            Value::Str(name) if number_only => {
                self.error(
                    Rule::WrongType,
                    path,
                    port.at,
                    format!(
                        "a gRPC probe's port is a number, not `{}`",
                        crate::text::escape_controls(name)
                    ),
                );
            }
            Value::Str(name) => {
                if let Some(problem) = port_name(name) {
                    let finding = self.error(
                        Rule::InvalidValue,
                        path,
                        port.at,
                        format!(
                            "`{}` is not a port number or a port name: {problem}",
                            crate::text::escape_controls(name)
                        ),
                    );
                    if name.parse::<u16>().is_ok() {
                        finding.suggestion = Some(name.clone());
                        finding.help = Some("a quoted number is read as a port name; remove the quotes to use the number".to_string());
                    }
                }
            }
            _ => {}
        }
    }

    /// Container-level restartPolicy and restartPolicyRules. core validation
    /// validateInitContainers / validateContainers and validateContainerRestartPolicy;
    /// the rules for regular containers arrived with [`Feature::ContainerRestartRules`].
    fn container_restart(&mut self, container: &Node, path: &Path, init: bool) {
        let rules_on = self.version.has(Feature::ContainerRestartRules);
        let policy = container
            .get("restartPolicy")
            .filter(|node| !node.is_null());
        if let Some(policy) = policy
            && let Some(text) = str_of(policy)
        {
            let allowed: &[&str] = if rules_on {
                &["Always", "OnFailure", "Never"]
            } else if init {
                &["Always"]
            } else {
                &[]
            };
            if allowed.is_empty() {
                self.error(Rule::InvalidValue, path.key("restartPolicy"), policy.at, format!("a regular container cannot set restartPolicy before Kubernetes 1.35 (checking against {})", self.version))
                        .help = Some("remove it to follow the Pod's restartPolicy; from 1.35 the ContainerRestartRules feature allows it".to_string());
            } else if !allowed.contains(&text) {
                let finding = self.error(
                    Rule::InvalidValue,
                    path.key("restartPolicy"),
                    policy.at,
                    format!("`{text}` is not allowed as a container restartPolicy here"),
                );
                finding.suggestion =
                    did_you_mean(text, allowed.iter().copied()).map(str::to_string);
                finding.help = Some(format!(
                    "allowed: {}{}",
                    allowed.join(", "),
                    if init && !rules_on {
                        " (which makes the init container a sidecar)"
                    } else {
                        ""
                    }
                ));
            }
        }
        let Some((rules_key, rules)) = container
            .entry("restartPolicyRules")
            .filter(|(_, node)| !node.is_null())
        else {
            return;
        };
        let rules_path = path.key("restartPolicyRules");
        if !rules_on {
            self.error(
                Rule::InvalidValue,
                rules_path,
                rules_key.at,
                format!(
                    "restartPolicyRules needs Kubernetes 1.35 or later (checking against {})",
                    self.version
                ),
            );
            return;
        }
        if policy.is_none() {
            self.error(
                Rule::MissingField,
                path.key("restartPolicy"),
                rules_key.at,
                "a container with restartPolicyRules must set restartPolicy explicitly",
            )
            .help = Some(
                "add `restartPolicy:` (Never, OnFailure or Always), even when it equals the Pod's"
                    .to_string(),
            );
        }
        let items = rules.as_seq();
        if items.len() > 20 {
            self.error(
                Rule::OutOfRange,
                rules_path.clone(),
                rules_key.at,
                format!(
                    "at most 20 restart rules are allowed, found {}",
                    items.len()
                ),
            );
        }
        for (index, rule) in items.iter().enumerate() {
            let rule_path = rules_path.index(index);
            if let Some(action) = rule.get("action")
                && let Some(text) = str_of(action).filter(|text| *text != "Restart")
            {
                self.error(
                    Rule::InvalidValue,
                    rule_path.key("action"),
                    action.at,
                    format!("`{text}` is not a restart rule action: the only action is Restart"),
                )
                .suggestion = Some("Restart".to_string());
            }
            if let Some(codes) = rule.get("exitCodes") {
                if let Some(operator) = codes.get("operator")
                    && let Some(text) =
                        str_of(operator).filter(|text| !["In", "NotIn"].contains(text))
                {
                    let finding = self.error(
                        Rule::InvalidValue,
                        rule_path.key("exitCodes").key("operator"),
                        operator.at,
                        format!("`{text}` is not an exit code operator"),
                    );
                    finding.suggestion = did_you_mean(text, ["In", "NotIn"]).map(str::to_string);
                    finding.help = Some("use In or NotIn".to_string());
                }
                let values = codes.get("values").map(Node::as_seq).unwrap_or_default();
                if values.len() > 255 {
                    self.error(
                        Rule::OutOfRange,
                        rule_path.key("exitCodes").key("values"),
                        codes.at,
                        "at most 255 exit codes are allowed in one rule",
                    );
                }
            }
        }
    }
}
