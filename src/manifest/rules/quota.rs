//! ResourceQuota and LimitRange: the names of what they limit, amounts that are not negative
//! (and whole where they count objects), quota scopes and the resources each scope can limit,
//! and a LimitRange's min ≤ defaultRequest ≤ default ≤ max. Source: core validation
//! ValidateResourceQuota and ValidateLimitRange (pkg/apis/core/validation, resource_quotas.go
//! and limit_ranges.go since the file was split), and the name sets of
//! pkg/apis/core/helper/helpers.go.

use std::collections::{BTreeMap, BTreeSet};

use super::names::qualified_name;
use super::{Rules, str_of, written};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::quantity;
use crate::manifest::yaml::{Key, Node, Value};
use crate::text::{did_you_mean, escape_controls};

/// helper standardQuotaResources (and, by prefix, hugepages-* and requests.hugepages-*).
const QUOTA_RESOURCES: [&str; 19] = [
    "pods",
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
    "cpu",
    "memory",
    "requests.storage",
    "persistentvolumeclaims",
    "services",
    "services.nodeports",
    "services.loadbalancers",
    "secrets",
    "configmaps",
    "replicationcontrollers",
    "resourcequotas",
    "ephemeral-storage",
    "requests.ephemeral-storage",
    "limits.ephemeral-storage",
];

/// helper integerResources: amounts that count objects.
const COUNTED: [&str; 9] = [
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
];

/// Quota scopes the API server knows (helper IsStandardResourceQuotaScope, with
/// CrossNamespacePodAffinity and VolumeAttributesClass).
const SCOPES: [&str; 7] = [
    "Terminating",
    "NotTerminating",
    "BestEffort",
    "NotBestEffort",
    "PriorityClass",
    "CrossNamespacePodAffinity",
    "VolumeAttributesClass",
];

/// helper podComputeQuotaResources.
const POD_COMPUTE: [&str; 6] = [
    "cpu",
    "memory",
    "limits.cpu",
    "limits.memory",
    "requests.cpu",
    "requests.memory",
];

/// Scope pairs that exclude each other (validateResourceQuotaScopes' invalidScopePairs).
const CONFLICTING_SCOPES: [(&str, &str); 2] = [
    ("BestEffort", "NotBestEffort"),
    ("Terminating", "NotTerminating"),
];

/// Names a learner writes in a quota as if they were standard ones, and the name the quota
/// knows: the object count of a kind, or the storage that claims request.
const COUNT_NAMES: [(&str, &str); 9] = [
    ("storage", "requests.storage"),
    ("deployments", "count/deployments.apps"),
    ("replicasets", "count/replicasets.apps"),
    ("statefulsets", "count/statefulsets.apps"),
    ("daemonsets", "count/daemonsets.apps"),
    ("jobs", "count/jobs.batch"),
    ("cronjobs", "count/cronjobs.batch"),
    ("ingresses", "count/ingresses.networking.k8s.io"),
    ("serviceaccounts", "count/serviceaccounts"),
];

fn is_quota_resource(name: &str) -> bool {
    QUOTA_RESOURCES.contains(&name)
        || name.starts_with("hugepages-")
        || name.starts_with("requests.hugepages-")
}

/// helper IsExtendedResourceName: outside kubernetes.io, not `requests.`-prefixed.
fn is_extended(name: &str) -> bool {
    name.contains('/')
        && !name.contains("kubernetes.io/")
        && !name.starts_with("requests.")
        && qualified_name(&format!("requests.{name}")).is_none()
}

/// helper IsResourceQuotaScopeValidForResource, for the scopes that track Pods.
fn scope_allows(scope: &str, resource: &str) -> bool {
    match scope {
        "Terminating"
        | "NotTerminating"
        | "NotBestEffort"
        | "PriorityClass"
        | "CrossNamespacePodAffinity" => resource == "pods" || POD_COMPUTE.contains(&resource),
        "BestEffort" => resource == "pods",
        _ => true,
    }
}

/// The amount a quantity stands for (the schema reports one that is not a quantity).
fn amount(node: &Node) -> Option<f64> {
    match &node.value {
        Value::Int(number) => Some(*number as f64),
        Value::Float(number) => Some(*number),
        Value::Str(text) => quantity::parse(text),
        _ => None,
    }
}

impl Rules {
    /// core validation ValidateResourceQuotaSpec: each name in `hard`
    /// (ValidateResourceQuotaResourceName) and amount (ValidateResourceQuantityValue), the
    /// scopes (validateResourceQuotaScopes) and the scope selector (validateScopeSelector).
    pub(super) fn resource_quota(&mut self, spec: &Node, path: &Path) {
        let hard = spec.get("hard").map(Node::as_map).unwrap_or_default();
        let hard_path = path.key("hard");
        for (key, value) in hard {
            let name = key.name.as_str();
            let entry_path = hard_path.key(name);
            if name.contains('/') {
                if let Some(problem) = qualified_name(name) {
                    self.error(
                        Rule::InvalidValue,
                        entry_path,
                        key.at,
                        format!(
                            "`{}` is not a valid resource name: {problem}",
                            escape_controls(name)
                        ),
                    );
                    continue;
                }
            } else if !is_quota_resource(name) {
                let finding = self.error(
                    Rule::InvalidValue,
                    entry_path,
                    key.at,
                    format!(
                        "`{}` is not a resource a quota can limit",
                        escape_controls(name)
                    ),
                );
                finding.suggestion = COUNT_NAMES
                    .iter()
                    .find(|(kind, _)| *kind == name.to_ascii_lowercase())
                    .map(|(_, count)| *count)
                    .or_else(|| did_you_mean(name, QUOTA_RESOURCES))
                    .map(str::to_string);
                finding.help = Some(
                    "use pods, requests.cpu, requests.memory, limits.cpu, limits.memory, requests.storage, persistentvolumeclaims, services, secrets or configmaps; count other kinds as count/<resource>.<group> (count/deployments.apps)".to_string(),
                );
                continue;
            }
            let Some(number) = amount(value) else {
                continue;
            };
            if number < 0.0 {
                self.error(
                    Rule::InvalidValue,
                    entry_path,
                    value.at,
                    format!("`{name}` is {}; a quota cannot be negative", written(value)),
                );
            } else if (COUNTED.contains(&name) || is_extended(name))
                && !quantity::same_amount(number, number.round())
            {
                self.error(
                    Rule::InvalidValue,
                    entry_path,
                    value.at,
                    format!(
                        "`{name}` is {}; it counts whole objects or units, so it is a whole number",
                        written(value)
                    ),
                );
            }
        }
        let mut refused: BTreeSet<String> = BTreeSet::new();
        let scopes = spec.get("scopes").map(Node::as_seq).unwrap_or_default();
        let mut seen: Vec<(&str, &Node, usize)> = Vec::new();
        for (index, scope) in scopes.iter().enumerate() {
            let scope_path = path.key("scopes").index(index);
            if !self.one_of(scope, scope_path, &SCOPES) {
                continue;
            }
            let Some(text) = str_of(scope) else {
                continue;
            };
            self.scope_against_hard(text, hard, &hard_path, &mut refused);
            seen.push((text, scope, index));
        }
        self.conflicting_scopes(&seen, &|index| path.key("scopes").index(index));
        let Some(selector) = spec.get("scopeSelector") else {
            return;
        };
        let expressions_path = path.key("scopeSelector").key("matchExpressions");
        let expressions = selector
            .get("matchExpressions")
            .map(Node::as_seq)
            .unwrap_or_default();
        let mut seen: Vec<(&str, &Node, usize)> = Vec::new();
        for (index, expression) in expressions.iter().enumerate() {
            let expression_path = expressions_path.index(index);
            let scope = expression.get("scopeName");
            let scope_text = scope.and_then(str_of);
            if let (Some(scope), Some(text)) = (scope, scope_text)
                && self.one_of(scope, expression_path.key("scopeName"), &SCOPES)
            {
                self.scope_against_hard(text, hard, &hard_path, &mut refused);
                seen.push((text, scope, index));
            }
            self.scope_requirement(expression, &expression_path, scope_text);
        }
        self.conflicting_scopes(&seen, &|index| {
            expressions_path.index(index).key("scopeName")
        });
    }

    /// The operator and values of one scope selector expression
    /// (validateScopedResourceSelectorRequirement).
    fn scope_requirement(&mut self, expression: &Node, path: &Path, scope: Option<&str>) {
        let Some(operator) = expression.get("operator") else {
            return;
        };
        let Some(text) = str_of(operator) else {
            return;
        };
        let values = expression.entry("values");
        let count = values.map_or(0, |(_, values)| values.as_seq().len());
        let values_at = values.map_or(expression.at, |(key, _)| key.at);
        match text {
            "In" | "NotIn" | "Exists" | "DoesNotExist"
                if text != "Exists"
                    && scope.is_some_and(|scope| {
                        matches!(
                            scope,
                            "Terminating"
                                | "NotTerminating"
                                | "BestEffort"
                                | "NotBestEffort"
                                | "CrossNamespacePodAffinity"
                        )
                    }) =>
            {
                let finding = self.error(
                    Rule::InvalidValue,
                    path.key("operator"),
                    operator.at,
                    format!(
                        "with the scope `{}`, the operator must be Exists",
                        scope.unwrap_or_default()
                    ),
                );
                finding.suggestion = Some("Exists".to_string());
                finding.help = Some(
                    "Terminating, NotTerminating, BestEffort, NotBestEffort and CrossNamespacePodAffinity are true or false for a Pod, with no values to compare".to_string(),
                );
            }
            "In" | "NotIn" if count == 0 => {
                self.error(
                    Rule::MissingField,
                    path.key("values"),
                    values_at,
                    format!("the operator {text} needs at least one value in `values`"),
                )
                .help = Some(
                    "list the values to match, such as `values: [\"high\"]` for the scope PriorityClass".to_string(),
                );
            }
            "Exists" | "DoesNotExist" if count > 0 => {
                self.error(
                    Rule::ForbiddenField,
                    path.key("values"),
                    values_at,
                    format!("the operator {text} takes no `values`"),
                )
                .help = Some(
                    "Exists and DoesNotExist look at the scope only: remove `values`, or use In or NotIn".to_string(),
                );
            }
            _ => {
                self.one_of(
                    operator,
                    path.key("operator"),
                    &["In", "NotIn", "Exists", "DoesNotExist"],
                );
            }
        }
    }

    /// validateResourceQuotaScopes and validateScopedResourceSelectorRequirement ("unsupported
    /// scope applied to resource"): a scope that tracks Pods cannot limit other standard
    /// resources. Reported on the resource, once.
    fn scope_against_hard(
        &mut self,
        scope: &str,
        hard: &[(Key, Node)],
        hard_path: &Path,
        refused: &mut BTreeSet<String>,
    ) {
        for (key, _) in hard {
            let name = key.name.as_str();
            if !is_quota_resource(name) || scope_allows(scope, name) || refused.contains(name) {
                continue;
            }
            refused.insert(name.to_string());
            let finding = self.error(
                Rule::InvalidValue,
                hard_path.key(name),
                key.at,
                format!(
                    "a quota with the scope `{scope}` cannot limit `{}`",
                    escape_controls(name)
                ),
            );
            finding.help = Some(if scope == "BestEffort" {
                "BestEffort Pods request nothing, so a BestEffort quota can only count `pods`; put the other limits in a quota without this scope".to_string()
            } else {
                format!(
                    "the scope `{scope}` selects Pods, so its quota limits only pods, cpu, memory, requests.cpu, requests.memory, limits.cpu and limits.memory; put the other limits in a quota without this scope"
                )
            });
        }
    }

    /// validateResourceQuotaScopes and validateScopedResourceSelectorRequirement ("conflicting
    /// scopes"): BestEffort with NotBestEffort, Terminating with NotTerminating. Reported on
    /// the second.
    fn conflicting_scopes(&mut self, seen: &[(&str, &Node, usize)], path: &dyn Fn(usize) -> Path) {
        for (first, second) in CONFLICTING_SCOPES {
            let one = seen.iter().find(|(scope, _, _)| *scope == first);
            let other = seen.iter().find(|(scope, _, _)| *scope == second);
            if let (Some(one), Some(other)) = (one, other) {
                let (_, node, index) = if one.2 > other.2 { one } else { other };
                self.error(
                    Rule::ExclusiveFields,
                    path(*index),
                    node.at,
                    format!("the scopes `{first}` and `{second}` exclude each other"),
                )
                .help = Some(
                    "no Pod is both, so the quota would match nothing: keep one, or make two quotas".to_string(),
                );
            }
        }
    }

    /// core validation ValidateLimitRange: each item's type (validateLimitRangeTypeName), once
    /// per type (`field.Duplicate`), then [`Self::limit_item`].
    pub(super) fn limit_range(&mut self, spec: &Node, path: &Path) {
        let limits = spec.get("limits").map(Node::as_seq).unwrap_or_default();
        let mut types: BTreeMap<&str, usize> = BTreeMap::new();
        for (index, limit) in limits.iter().enumerate() {
            let limit_path = path.key("limits").index(index);
            let type_node = limit.get("type");
            let limit_type = type_node.and_then(str_of);
            let mut known = false;
            if let (Some(type_node), Some(text)) = (type_node, limit_type) {
                if text.contains('/') {
                    if let Some(problem) = qualified_name(text) {
                        self.error(
                            Rule::InvalidValue,
                            limit_path.key("type"),
                            type_node.at,
                            format!(
                                "`{}` is not a valid limit type: {problem}",
                                escape_controls(text)
                            ),
                        );
                    }
                } else {
                    known = self.one_of(
                        type_node,
                        limit_path.key("type"),
                        &["Container", "Pod", "PersistentVolumeClaim"],
                    );
                }
                if types.insert(text, index).is_some() {
                    self.error(
                        Rule::DuplicateName,
                        limit_path.key("type"),
                        type_node.at,
                        format!("two limits are of type `{}`", escape_controls(text)),
                    )
                    .help =
                        Some("put every resource of one type in one item of `limits`".to_string());
                }
            }
            self.limit_item(limit, &limit_path, limit_type.filter(|_| known));
        }
    }

    /// ValidateLimitRange on one item: no `default` or `defaultRequest` for type Pod, a
    /// storage bound for type PersistentVolumeClaim, the resource names, then the order of the
    /// amounts ([`Self::limit_order`]).
    fn limit_item(&mut self, limit: &Node, path: &Path, limit_type: Option<&str>) {
        let section = |field: &str| limit.get(field).map(Node::as_map).unwrap_or_default();
        if limit_type == Some("Pod") {
            for field in ["default", "defaultRequest"] {
                if let Some((key, _)) = limit.entry(field)
                    && !section(field).is_empty()
                {
                    self.error(
                        Rule::ForbiddenField,
                        path.key(field),
                        key.at,
                        format!("`{field}` is not allowed in a limit of type Pod"),
                    )
                    .help = Some(
                        "defaults are given to each container: move `default` and `defaultRequest` to an item of `type: Container`".to_string(),
                    );
                }
            }
        }
        if limit_type == Some("PersistentVolumeClaim")
            && !["min", "max"]
                .iter()
                .any(|field| section(field).iter().any(|(key, _)| key.name == "storage"))
        {
            self.error(
                Rule::MissingField,
                path.key("max").key("storage"),
                limit.at,
                "a limit of type PersistentVolumeClaim needs `min.storage` or `max.storage`",
            )
            .help = Some(
                "add `max:` with `storage: 10Gi` (or `min:`) to bound the size of claims"
                    .to_string(),
            );
        }
        let fields: &[&str] = if limit_type == Some("Pod") {
            &["max", "min", "maxLimitRequestRatio"]
        } else {
            &[
                "max",
                "min",
                "default",
                "defaultRequest",
                "maxLimitRequestRatio",
            ]
        };
        let mut amounts: BTreeMap<&str, BTreeMap<&str, (f64, &Node)>> = BTreeMap::new();
        for &field in fields {
            for (key, value) in section(field) {
                let name = key.name.as_str();
                if let Some(limit_type) = limit_type
                    && !self.limit_resource_name(limit_type, key, &path.key(field).key(name))
                {
                    continue;
                }
                if let Some(number) = amount(value) {
                    amounts
                        .entry(name)
                        .or_default()
                        .insert(field, (number, value));
                }
            }
        }
        for (name, found) in amounts {
            self.limit_order(name, &found, path);
        }
    }

    /// validateLimitRangeResourceName: a container resource for types Pod and Container
    /// (cpu, memory, ephemeral-storage, hugepages-*), a standard resource otherwise; names with
    /// a domain are extended resources.
    fn limit_resource_name(&mut self, limit_type: &str, key: &Key, path: &Path) -> bool {
        let name = key.name.as_str();
        if name.contains('/') {
            return true;
        }
        let for_containers = matches!(limit_type, "Pod" | "Container");
        let choices: &[&str] = if for_containers {
            &["cpu", "memory", "ephemeral-storage"]
        } else {
            &["storage", "cpu", "memory", "ephemeral-storage"]
        };
        let allowed = choices.contains(&name)
            || name.starts_with("hugepages-")
            || (!for_containers && (is_quota_resource(name) || name == "storage"));
        if allowed {
            return true;
        }
        let finding = self.error(
            Rule::InvalidValue,
            path.clone(),
            key.at,
            format!(
                "`{}` is not a resource a limit of type {limit_type} can set",
                escape_controls(name)
            ),
        );
        finding.suggestion = did_you_mean(name, choices.iter().copied())
            .or_else(|| {
                choices
                    .iter()
                    .copied()
                    .find(|choice| choice.eq_ignore_ascii_case(name))
            })
            .map(str::to_string);
        finding.help = Some(format!(
            "a limit of type {limit_type} sets one of: {}",
            choices.join(", ")
        ));
        false
    }

    /// ValidateLimitRange's comparisons, for one resource: min ≤ defaultRequest ≤ default ≤
    /// max; maxLimitRequestRatio at least 1 and at most max/min; default = defaultRequest for
    /// what cannot be overcommitted (helper IsOvercommitAllowed).
    fn limit_order(&mut self, name: &str, found: &BTreeMap<&str, (f64, &Node)>, path: &Path) {
        // (smaller, larger, where the API server reports it)
        const ORDER: [(&str, &str, &str); 6] = [
            ("min", "max", "min"),
            ("min", "defaultRequest", "defaultRequest"),
            ("defaultRequest", "max", "defaultRequest"),
            ("defaultRequest", "default", "defaultRequest"),
            ("min", "default", "default"),
            ("default", "max", "default"),
        ];
        for (small, large, at) in ORDER {
            let (Some((low, low_node)), Some((high, high_node))) =
                (found.get(small), found.get(large))
            else {
                continue;
            };
            if low > high && !quantity::same_amount(*low, *high) {
                let node = if at == small { low_node } else { high_node };
                self.error(
                    Rule::InvalidValue,
                    path.key(at).key(name),
                    node.at,
                    format!(
                        "{small}.{name} {} is more than {large}.{name} {}",
                        written(low_node),
                        written(high_node)
                    ),
                )
                .help = Some(
                    "a LimitRange's amounts go min ≤ defaultRequest ≤ default ≤ max".to_string(),
                );
            }
        }
        if let Some((ratio, ratio_node)) = found.get("maxLimitRequestRatio") {
            let ratio_path = path.key("maxLimitRequestRatio").key(name);
            if *ratio < 1.0 && !quantity::same_amount(*ratio, 1.0) {
                self.error(
                    Rule::OutOfRange,
                    ratio_path,
                    ratio_node.at,
                    format!(
                        "maxLimitRequestRatio.{name} is {}; a limit is never below its request, so the ratio is at least 1",
                        written(ratio_node)
                    ),
                );
            } else if let (Some((min, _)), Some((max, _))) = (found.get("min"), found.get("max"))
                && *min > 0.0
                && *ratio > max / min
                && !quantity::same_amount(*ratio, max / min)
            {
                let most = format!("{:.3}", max / min)
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string();
                self.error(
                    Rule::InvalidValue,
                    ratio_path,
                    ratio_node.at,
                    format!(
                        "maxLimitRequestRatio.{name} {} is more than max/min, {most}",
                        written(ratio_node)
                    ),
                )
                .help = Some(
                    "no container can reach a ratio above max/min: lower the ratio or widen min and max".to_string(),
                );
            }
        }
        // helper IsOvercommitAllowed: extended resources (with a domain outside
        // kubernetes.io) and hugepages cannot be overcommitted.
        let native = !name.contains('/') || name.contains("kubernetes.io/");
        let overcommit = native && !name.starts_with("hugepages-");
        if !overcommit
            && let (Some((default, default_node)), Some((request, request_node))) =
                (found.get("default"), found.get("defaultRequest"))
            && !quantity::same_amount(*default, *request)
        {
            self.error(
                Rule::InvalidValue,
                path.key("defaultRequest").key(name),
                request_node.at,
                format!(
                    "defaultRequest.{name} {} differs from default.{name} {}",
                    written(request_node),
                    written(default_node)
                ),
            )
            .help = Some(format!(
                "`{name}` cannot be overcommitted, so its request and limit are always equal"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_names_are_sorted_as_the_api_server_sorts_them() {
        assert!(is_quota_resource("requests.cpu"));
        assert!(is_quota_resource("requests.hugepages-2Mi"));
        assert!(!is_quota_resource("storage"));
        assert!(!is_quota_resource("deployments"));
        // Extended resources count whole units; `requests.`-prefixed and kubernetes.io names
        // are not extended.
        assert!(is_extended("count/deployments.apps"));
        assert!(is_extended(
            "gold.storageclass.storage.k8s.io/requests.storage"
        ));
        assert!(!is_extended("requests.nvidia.com/gpu"));
        assert!(!is_extended("kubernetes.io/something"));
        assert!(!is_extended("pods"));
    }

    #[test]
    fn pod_scopes_limit_only_pod_counts_and_compute() {
        assert!(scope_allows("NotTerminating", "limits.memory"));
        assert!(!scope_allows("NotTerminating", "services"));
        assert!(scope_allows("BestEffort", "pods"));
        assert!(!scope_allows("BestEffort", "requests.cpu"));
        assert!(scope_allows("VolumeAttributesClass", "requests.storage"));
    }
}
