//! A container's environment: `env` (valid names, `value` or `valueFrom` but not both, one
//! source per `valueFrom`, the Pod fields and container resources a variable may read, and the
//! divisor it reads them with) and `envFrom` (one of `configMapRef` and `secretRef`, a valid
//! prefix). Which names are valid depends on the version ([`Feature::RelaxedEnvVarNames`]).

use std::collections::HashSet;

use super::names::{env_var_name, qualified_name};
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::quantity;
use crate::manifest::version::Feature;
use crate::manifest::yaml::{Key, Node, Value};
use crate::text::did_you_mean;

impl Rules {
    /// core validation ValidateEnv / validateEnvVarValueFrom.
    pub(super) fn env(&mut self, container: &Node, path: &Path) {
        let relaxed = self.version.has(Feature::RelaxedEnvVarNames);
        let mut seen_names: HashSet<&str> = HashSet::new();
        for (index, variable) in container
            .get("env")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let variable_path = path.key("env").index(index);
            let name_node = variable.get("name");
            if let Some(name) = name_node.and_then(str_of) {
                let at = name_node.map_or(variable.at, |node| node.at);
                if let Some(problem) = env_var_name(name, relaxed) {
                    self.error(
                        Rule::InvalidName,
                        variable_path.key("name"),
                        at,
                        format!(
                            "`{}` is not a valid environment variable name: {problem}",
                            crate::text::escape_controls(name)
                        ),
                    );
                }
                seen_names.insert(name);
            }
            let value = variable.entry("value").filter(|(_, node)| !node.is_null());
            let value_from = variable
                .entry("valueFrom")
                .filter(|(_, node)| !node.is_null());
            // Only a non-empty `value` conflicts (core validation: len(ev.Value) != 0).
            let value = value.filter(|(_, node)| str_of(node) != Some(""));
            if let (Some(_), Some((from_key, _))) = (value, value_from) {
                self.error(Rule::ExclusiveFields, variable_path.key("valueFrom"), from_key.at, "an environment variable has `value` or `valueFrom`, not both")
                    .help = Some("keep `value` for a fixed string, or `valueFrom` to read it from a ConfigMap, Secret or the Pod".to_string());
            }
            let Some((from_key, from)) = value_from else {
                continue;
            };
            let from_path = variable_path.key("valueFrom");
            let sources: Vec<&Key> = from
                .as_map()
                .iter()
                .filter(|(_, node)| !node.is_null())
                .map(|(key, _)| key)
                .collect();
            match sources.as_slice() {
                [] => {
                    self.error(Rule::OneSource, from_path.clone(), from_key.at, "`valueFrom` needs exactly one source")
                        .help = Some("use one of configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef or fileKeyRef".to_string());
                }
                [_] => {}
                [_, second, ..] => {
                    let listed: Vec<&str> = sources.iter().map(|key| key.name.as_str()).collect();
                    self.error(
                        Rule::OneSource,
                        from_path.key(&second.name),
                        second.at,
                        format!(
                            "`valueFrom` takes exactly one source; this one has {}",
                            listed.join(", ")
                        ),
                    );
                }
            }
            if let Some(field_ref) = from.get("fieldRef")
                && let Some(field_path) = field_ref.get("fieldPath")
                && let Some(text) = str_of(field_path)
                && !env_field_path_supported(text)
            {
                let finding = self.error(
                    Rule::InvalidValue,
                    from_path.key("fieldRef").key("fieldPath"),
                    field_path.at,
                    format!("`{text}` is not a field an environment variable can read"),
                );
                finding.suggestion =
                    did_you_mean(text, ENV_FIELD_PATHS.iter().copied()).map(str::to_string);
                finding.help = Some(format!(
                    "supported: {}, metadata.labels['KEY'], metadata.annotations['KEY']",
                    ENV_FIELD_PATHS.join(", ")
                ));
            }
            if let Some(resource_ref) = from.get("resourceFieldRef")
                && let Some(resource) = resource_ref.get("resource").and_then(str_of)
                && let Some(divisor) = resource_ref.get("divisor")
            {
                self.divisor(
                    resource,
                    divisor,
                    from_path.key("resourceFieldRef").key("divisor"),
                );
            }
            if let Some(resource_ref) = from.get("resourceFieldRef")
                && let Some(resource) = resource_ref.get("resource")
                && let Some(text) = str_of(resource)
                && !RESOURCE_FIELDS.contains(&text)
                && !text.starts_with("limits.hugepages-")
                && !text.starts_with("requests.hugepages-")
            {
                let finding = self.error(
                    Rule::InvalidValue,
                    from_path.key("resourceFieldRef").key("resource"),
                    resource.at,
                    format!("`{text}` is not a resource an environment variable can read"),
                );
                finding.suggestion =
                    did_you_mean(text, RESOURCE_FIELDS.iter().copied()).map(str::to_string);
                finding.help = Some(format!("supported: {}", RESOURCE_FIELDS.join(", ")));
            }
        }
    }

    /// core validation validateContainerResourceDivisor: CPU is divided by 1 or 1m; memory,
    /// ephemeral storage and hugepages by 1 or a power of 1000 or 1024 (1k, 1Mi, …, 1E).
    fn divisor(&mut self, resource: &str, divisor: &Node, path: Path) {
        let text = match &divisor.value {
            Value::Int(number) => number.to_string(),
            Value::Str(text) => text.clone(),
            _ => return,
        };
        let cpu = resource.ends_with(".cpu");
        let allowed: &[&str] = if cpu {
            &["1m", "1"]
        } else {
            &[
                "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei",
            ]
        };
        // The API server compares the canonical form, so `0.001` is `1m` and `1024` is `1Ki`.
        let amount = quantity::parse(&text);
        let allowed_amount = amount.is_some_and(|amount| {
            allowed
                .iter()
                .filter_map(|name| quantity::parse(name))
                .any(|allowed| quantity::same_amount(amount, allowed))
        });
        if !allowed_amount {
            self.error(
                Rule::InvalidValue,
                path,
                divisor.at,
                format!("`{text}` is not a divisor for {resource}"),
            )
            .help = Some(if cpu {
                "CPU takes divisor 1 (cores) or 1m (millicores)".to_string()
            } else {
                format!("use one of {}", allowed.join(", "))
            });
        }
    }

    /// core validation ValidateEnvFrom: exactly one of configMapRef and secretRef per item.
    pub(super) fn env_from(&mut self, container: &Node, path: &Path) {
        let relaxed = self.version.has(Feature::RelaxedEnvVarNames);
        for (index, source) in container
            .get("envFrom")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let source_path = path.key("envFrom").index(index);
            let refs: Vec<&Key> = source
                .as_map()
                .iter()
                .filter(|(key, node)| {
                    (key.name == "configMapRef" || key.name == "secretRef") && !node.is_null()
                })
                .map(|(key, _)| key)
                .collect();
            match refs.as_slice() {
                [] => {
                    self.error(Rule::OneSource, source_path.clone(), source.at, "an `envFrom` item needs `configMapRef` or `secretRef`")
                        .help = Some("write `- configMapRef:` with `name: CONFIGMAP`, or `- secretRef:` with `name: SECRET`".to_string());
                }
                [_] => {}
                [_, second, ..] => {
                    self.error(
                        Rule::OneSource,
                        source_path.key(&second.name),
                        second.at,
                        "an `envFrom` item has `configMapRef` or `secretRef`, not both",
                    )
                    .help = Some("make them two items of the `envFrom` list".to_string());
                }
            }
            if let Some(prefix) = source.get("prefix")
                && let Some(text) = str_of(prefix).filter(|text| !text.is_empty())
                && let Some(problem) = env_var_name(text, relaxed)
            {
                self.error(
                    Rule::InvalidValue,
                    source_path.key("prefix"),
                    prefix.at,
                    format!("`{text}` is not a valid prefix: {problem}"),
                );
            }
        }
    }
}

/// Fields of the Pod an environment variable can read with fieldRef (besides labels and
/// annotations by key). Source: core validation validEnvDownwardAPIFieldPathExpressions.
const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// core validation validContainerResourceFieldPathExpressions.
const RESOURCE_FIELDS: &[&str] = &[
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

fn env_field_path_supported(path: &str) -> bool {
    if ENV_FIELD_PATHS.contains(&path) {
        return true;
    }
    ["metadata.labels['", "metadata.annotations['"]
        .iter()
        .any(|prefix| {
            path.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix("']"))
                .is_some_and(|key| !key.is_empty() && qualified_name(key).is_none())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_for_env_are_the_documented_ones() {
        assert!(env_field_path_supported("metadata.name"));
        assert!(env_field_path_supported("status.podIP"));
        assert!(env_field_path_supported("metadata.labels['app']"));
        assert!(!env_field_path_supported("metadata.labels"));
        assert!(!env_field_path_supported("spec.containers"));
    }
}
