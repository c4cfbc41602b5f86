//! Where a Pod may run (core validation ValidatePodSpec and what it calls): `nodeSelector`
//! (label keys and values), `affinity` (validateAffinity: node selector terms and their
//! requirements, pod affinity terms, weights), `tolerations` (ValidateTolerations),
//! `topologySpreadConstraints` (validateTopologySpreadConstraints), `priorityClassName` and
//! `preemptionPolicy`. Label selectors inside them follow apimachinery ValidateLabelSelector.

use std::collections::HashMap;

use super::fields::has;
use super::names::{dns1123_label, dns1123_subdomain, label_value, qualified_name};
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Pos};

const NODE_OPERATORS: [&str; 6] = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];

impl Rules {
    pub(super) fn scheduling(&mut self, spec: &Node, path: &Path) {
        if let Some(selector) = spec.get("nodeSelector") {
            self.label_map(selector, &path.key("nodeSelector"));
        }
        if let Some(node) = spec.get("priorityClassName")
            && let Some(name) = str_of(node).filter(|name| !name.is_empty())
            && let Some(problem) = dns1123_subdomain(name)
        {
            self.error(
                Rule::InvalidName,
                path.key("priorityClassName"),
                node.at,
                format!(
                    "`{}` is not a valid PriorityClass name: {problem}",
                    crate::text::escape_controls(name)
                ),
            );
        }
        self.enum_field(
            spec,
            "preemptionPolicy",
            path,
            &["PreemptLowerPriority", "Never"],
        );
        if let Some(affinity) = spec.get("affinity") {
            self.affinity(affinity, &path.key("affinity"));
        }
        for (index, toleration) in spec
            .get("tolerations")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            self.toleration(toleration, &path.key("tolerations").index(index));
        }
        self.topology_spread(spec, path);
    }

    fn label_key(&mut self, key: &str, at: Pos, path: Path) {
        if let Some(problem) = qualified_name(key) {
            self.error(
                Rule::InvalidLabel,
                path,
                at,
                format!(
                    "`{}` is not a valid label key: {problem}",
                    crate::text::escape_controls(key)
                ),
            );
        }
    }

    /// One node selector requirement of a preferred term: its key and the values its operator
    /// takes ([`selectors`](super::selectors)' `node_selector_requirement`, core validation
    /// ValidateNodeSelectorRequirement), and the operator's name. Values are only checked for
    /// a known operator, so at most one of the last two is reported.
    fn node_requirement(&mut self, requirement: &Node, path: &Path) {
        self.node_selector_requirement(requirement, path);
        self.enum_field(requirement, "operator", path, &NODE_OPERATORS);
    }

    fn affinity(&mut self, affinity: &Node, path: &Path) {
        const REQUIRED: &str = "requiredDuringSchedulingIgnoredDuringExecution";
        const PREFERRED: &str = "preferredDuringSchedulingIgnoredDuringExecution";
        if let Some(node_affinity) = affinity.get("nodeAffinity") {
            let node_path = path.key("nodeAffinity");
            if let Some(required) = node_affinity.get(REQUIRED).filter(|node| !node.is_null()) {
                let required_path = node_path.key(REQUIRED);
                self.node_selector(required, &required_path);
                for (index, term) in required
                    .get("nodeSelectorTerms")
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    let term_path = required_path.key("nodeSelectorTerms").index(index);
                    // selectors::node_selector leaves the operator's name to its callers.
                    for (position, expression) in term
                        .get("matchExpressions")
                        .map(Node::as_seq)
                        .unwrap_or_default()
                        .iter()
                        .enumerate()
                    {
                        self.enum_field(
                            expression,
                            "operator",
                            &term_path.key("matchExpressions").index(position),
                            &NODE_OPERATORS,
                        );
                    }
                    self.match_fields(term, &term_path);
                }
            }
            for (index, term) in node_affinity
                .get(PREFERRED)
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let term_path = node_path.key(PREFERRED).index(index);
                self.in_range(term, "weight", &term_path, 1, 100);
                if let Some(preference) = term.get("preference") {
                    self.node_selector_term(preference, &term_path.key("preference"));
                }
            }
        }
        for kind in ["podAffinity", "podAntiAffinity"] {
            let Some(pod_affinity) = affinity.get(kind) else {
                continue;
            };
            let kind_path = path.key(kind);
            for (index, term) in pod_affinity
                .get(REQUIRED)
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                self.pod_affinity_term(term, &kind_path.key(REQUIRED).index(index));
            }
            for (index, weighted) in pod_affinity
                .get(PREFERRED)
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let weighted_path = kind_path.key(PREFERRED).index(index);
                self.in_range(weighted, "weight", &weighted_path, 1, 100);
                if let Some(term) = weighted.get("podAffinityTerm") {
                    self.pod_affinity_term(term, &weighted_path.key("podAffinityTerm"));
                }
            }
        }
    }

    /// core validation ValidateNodeSelectorTerm, for a preferred term.
    fn node_selector_term(&mut self, term: &Node, path: &Path) {
        for (index, requirement) in term
            .get("matchExpressions")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            self.node_requirement(requirement, &path.key("matchExpressions").index(index));
        }
        self.match_fields(term, path);
    }

    /// core validation ValidateNodeFieldSelectorRequirement: only `metadata.name`, with In or
    /// NotIn and one value.
    fn match_fields(&mut self, term: &Node, path: &Path) {
        for (index, requirement) in term
            .get("matchFields")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let field_path = path.key("matchFields").index(index);
            if let Some(key) = requirement.get("key")
                && let Some(text) = str_of(key)
                && text != "metadata.name"
            {
                let finding = self.error(
                    Rule::InvalidValue,
                    field_path.key("key"),
                    key.at,
                    format!(
                        "`{}` is not a node field: `matchFields` only selects by metadata.name",
                        crate::text::escape_controls(text)
                    ),
                );
                finding.suggestion = Some("metadata.name".to_string());
            }
            if let Some(operator) =
                self.enum_field(requirement, "operator", &field_path, &["In", "NotIn"])
                && requirement
                    .get("values")
                    .map_or(0, |node| node.as_seq().len())
                    != 1
            {
                let at = requirement
                    .get("operator")
                    .map_or(requirement.at, |node| node.at);
                self.error(
                    Rule::InvalidValue,
                    field_path.key("values"),
                    at,
                    format!("`matchFields` with {operator} takes exactly one node name"),
                );
            }
        }
    }

    /// core validation validatePodAffinityTerm.
    fn pod_affinity_term(&mut self, term: &Node, path: &Path) {
        if let Some(selector) = term.get("labelSelector") {
            self.label_selector(selector, &path.key("labelSelector"));
        }
        if let Some(selector) = term.get("namespaceSelector") {
            self.label_selector(selector, &path.key("namespaceSelector"));
        }
        for (index, namespace) in term
            .get("namespaces")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if let Some(name) = str_of(namespace)
                && let Some(problem) = dns1123_label(name)
            {
                self.error(
                    Rule::InvalidName,
                    path.key("namespaces").index(index),
                    namespace.at,
                    format!(
                        "`{}` is not a valid namespace name: {problem}",
                        crate::text::escape_controls(name)
                    ),
                );
            }
        }
        // A missing topologyKey is the schema's missing-field; an empty one is this rule's.
        if let Some(node) = term.get("topologyKey")
            && let Some(key) = str_of(node)
        {
            if key.is_empty() {
                self.error(
                    Rule::MissingField,
                    path.key("topologyKey"),
                    node.at,
                    "a pod affinity term's `topologyKey` cannot be empty",
                )
                .help = Some("the topology key says what counts as \"together\": kubernetes.io/hostname for the same node, topology.kubernetes.io/zone for the same zone".to_string());
            } else {
                self.label_key(key, node.at, path.key("topologyKey"));
            }
        }
    }

    /// core validation ValidateTolerations.
    fn toleration(&mut self, toleration: &Node, path: &Path) {
        let key = toleration.get("key").and_then(str_of).unwrap_or_default();
        if let Some(node) = toleration.get("key")
            && !key.is_empty()
        {
            self.label_key(key, node.at, path.key("key"));
        }
        let written = toleration.get("operator").and_then(str_of);
        // Gt and Lt compare numbers behind the TaintTolerationComparisonOperators gate (alpha
        // in 1.35); whether 1.37 serves them by default is not certain, so they pass unjudged
        // (but for the key they need like Equal).
        let comparison = matches!(written, Some("Gt" | "Lt"));
        let operator = if comparison {
            None
        } else {
            self.defaulted_enum(toleration, "operator", path, &["Equal", "Exists"])
        };
        // An empty operator means Equal.
        let equal = written.is_none_or(|text| text.is_empty() || text == "Equal");
        if key.is_empty() && (equal || comparison) {
            let at = toleration
                .get("operator")
                .map_or(toleration.at, |node| node.at);
            let finding = self.error(
                Rule::InvalidValue,
                path.key("operator"),
                at,
                "a toleration without a `key` must use `operator: Exists`",
            );
            finding.help = Some("with no key and Exists it tolerates every taint; to tolerate one taint, add its `key`".to_string());
            if written.is_some() {
                finding.suggestion = Some("Exists".to_string());
            }
        }
        let value = toleration.get("value");
        if let Some(node) = value
            && let Some(text) = str_of(node)
        {
            if operator == Some("Exists") && !text.is_empty() {
                self.error(
                    Rule::ForbiddenField,
                    path.key("value"),
                    node.at,
                    "a toleration with `operator: Exists` takes no `value`",
                )
                .help = Some("Exists matches the key with any value: remove `value`, or use `operator: Equal`".to_string());
            } else if equal && let Some(problem) = label_value(text) {
                self.error(
                    Rule::InvalidLabel,
                    path.key("value"),
                    node.at,
                    format!(
                        "`{}` is not a valid label value: {problem}",
                        crate::text::escape_controls(text)
                    ),
                )
                .help = Some("label values have at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit".to_string());
            }
        }
        let effect = if toleration.get("effect").and_then(str_of) == Some("") {
            None
        } else {
            self.enum_field(
                toleration,
                "effect",
                path,
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            )
        };
        // An effect that is not one was reported above; judge tolerationSeconds against it no
        // further.
        let effect_text = toleration.get("effect").and_then(str_of);
        let invalid_effect = effect_text.is_some_and(|text| !text.is_empty()) && effect.is_none();
        if let Some((seconds_key, _)) = toleration
            .entry("tolerationSeconds")
            .filter(|(_, node)| !node.is_null())
            && effect != Some("NoExecute")
            && !invalid_effect
        {
            let at = toleration
                .get("effect")
                .map_or(seconds_key.at, |node| node.at);
            let finding = self.error(
                Rule::InvalidValue,
                path.key("effect"),
                at,
                "`tolerationSeconds` needs `effect: NoExecute`",
            );
            finding.help = Some("tolerationSeconds is how long a running Pod stays after a NoExecute taint appears; other effects never evict: set `effect: NoExecute` or remove tolerationSeconds".to_string());
        }
    }

    /// core validation validateTopologySpreadConstraints.
    fn topology_spread(&mut self, spec: &Node, path: &Path) {
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        for (index, constraint) in spec
            .get("topologySpreadConstraints")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let item = path.key("topologySpreadConstraints").index(index);
            self.positive(constraint, "maxSkew", &item);
            let key = constraint.get("topologyKey");
            if let Some(node) = key
                && str_of(node) == Some("")
            {
                self.error(
                    Rule::MissingField,
                    item.key("topologyKey"),
                    node.at,
                    "`topologyKey` cannot be empty",
                )
                .help = Some("name the node label to spread over, such as topology.kubernetes.io/zone or kubernetes.io/hostname".to_string());
            }
            let action = self.enum_field(
                constraint,
                "whenUnsatisfiable",
                &item,
                &["DoNotSchedule", "ScheduleAnyway"],
            );
            if let (Some(node), Some(action)) = (key, action)
                && let Some(text) = str_of(node)
            {
                let pair = (text.to_string(), action.to_string());
                if let Some(first) = seen.get(&pair) {
                    self.error(
                        Rule::DuplicateName,
                        item.key("topologyKey"),
                        node.at,
                        format!("constraint {first} already spreads over `{text}` with {action}"),
                    )
                    .help = Some(
                        "each topologyKey and whenUnsatisfiable pair may appear once: merge the two"
                            .to_string(),
                    );
                } else {
                    seen.insert(pair, index);
                }
            }
            if let Some((domains_key, _)) = constraint
                .entry("minDomains")
                .filter(|(_, node)| !node.is_null())
            {
                self.positive(constraint, "minDomains", &item);
                if let Some(action) = action
                    && action != "DoNotSchedule"
                {
                    self.error(
                        Rule::InvalidValue,
                        item.key("minDomains"),
                        domains_key.at,
                        format!(
                            "`minDomains` needs `whenUnsatisfiable: DoNotSchedule`, not {action}"
                        ),
                    );
                }
            }
            for field in ["nodeAffinityPolicy", "nodeTaintsPolicy"] {
                self.enum_field(constraint, field, &item, &["Honor", "Ignore"]);
            }
            if let Some((keys_key, keys)) = constraint.entry("matchLabelKeys")
                && !keys.as_seq().is_empty()
                && !has(constraint, "labelSelector")
            {
                self.error(
                    Rule::ForbiddenField,
                    item.key("matchLabelKeys"),
                    keys_key.at,
                    "`matchLabelKeys` needs a `labelSelector`",
                );
            }
            if let Some(selector) = constraint.get("labelSelector") {
                self.label_selector(selector, &item.key("labelSelector"));
            }
        }
    }
}
