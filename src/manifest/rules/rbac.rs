//! RBAC (rbac.authorization.k8s.io/v1): the rules of a Role or ClusterRole, a ClusterRole's
//! aggregation rule, and what a RoleBinding or ClusterRoleBinding refers to: its role and its
//! subjects. Source: rbac validation (pkg/apis/rbac/validation/validation.go), after the
//! defaulting of pkg/apis/rbac/v1/defaults.go (an empty `roleRef.apiGroup` becomes
//! rbac.authorization.k8s.io, and so does a User's or Group's empty `apiGroup`).

use super::Rules;
use super::names::{dns1123_subdomain, path_segment, suggest_dns_name};
use super::str_of;
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Value};
use crate::text::escape_controls;

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// Whether a list field is set with at least one item (`[]`, null or absent are not).
fn has_items(node: &Node, field: &str) -> bool {
    node.get(field)
        .is_some_and(|list| !list.as_seq().is_empty())
}

/// Whether a list field is absent, null or `[]` (a value that is not a list is the schema's to
/// report, so it does not count as missing).
fn lacks_items(node: &Node, field: &str) -> bool {
    match node.get(field).map(|list| &list.value) {
        None | Some(Value::Null) => true,
        Some(Value::Seq(items)) => items.is_empty(),
        Some(_) => false,
    }
}

impl Rules {
    /// rbac validation ValidateRole and ValidateClusterRole: each rule (ValidatePolicyRule),
    /// and a ClusterRole's aggregation rule.
    pub(super) fn role(&mut self, root: &Node, namespaced: bool) {
        let rules = root.get("rules").map(Node::as_seq).unwrap_or_default();
        for (index, rule) in rules.iter().enumerate() {
            self.policy_rule(rule, &Path::root().key("rules").index(index), namespaced);
        }
        if namespaced {
            return;
        }
        let Some((key, aggregation)) = root.entry("aggregationRule") else {
            return;
        };
        if !matches!(aggregation.value, Value::Map(_)) {
            // null is no aggregation rule; any other value is the schema's to report.
            return;
        }
        let path = Path::root()
            .key("aggregationRule")
            .key("clusterRoleSelectors");
        let selectors = aggregation
            .get("clusterRoleSelectors")
            .map(Node::as_seq)
            .unwrap_or_default();
        if lacks_items(aggregation, "clusterRoleSelectors") {
            let at = aggregation
                .entry("clusterRoleSelectors")
                .map_or(key.at, |(key, _)| key.at);
            self.error(
                Rule::MissingField,
                path.clone(),
                at,
                "an aggregation rule needs at least one selector in `clusterRoleSelectors`",
            )
            .help = Some(
                "add `clusterRoleSelectors:` with `- matchLabels:` and the label of the ClusterRoles to combine, or remove `aggregationRule`".to_string(),
            );
        }
        for (index, selector) in selectors.iter().enumerate() {
            self.label_selector(selector, &path.index(index));
        }
    }

    /// rbac validation ValidatePolicyRule: `verbs` not empty; a rule is for resources
    /// (`apiGroups` and `resources` both set) or for `nonResourceURLs` (only in a ClusterRole),
    /// never both.
    fn policy_rule(&mut self, rule: &Node, path: &Path, namespaced: bool) {
        if !matches!(rule.value, Value::Map(_)) {
            // A rule that is not a map is the schema's to report.
            return;
        }
        if let Some((key, verbs)) = rule.entry("verbs")
            && matches!(&verbs.value, Value::Seq(items) if items.is_empty())
        {
            self.error(
                Rule::MissingField,
                path.key("verbs"),
                key.at,
                "a rule needs at least one verb in `verbs`",
            )
            .help = Some(
                "list what the rule allows, such as `verbs: [\"get\", \"list\", \"watch\"]`"
                    .to_string(),
            );
        }
        if has_items(rule, "nonResourceURLs") {
            let (key, _) = rule.entry("nonResourceURLs").expect("has items");
            if namespaced {
                self.error(
                    Rule::ForbiddenField,
                    path.key("nonResourceURLs"),
                    key.at,
                    "a Role's rules cannot use `nonResourceURLs`",
                )
                .help = Some(
                    "URLs such as /healthz are not in a namespace: put this rule in a ClusterRole"
                        .to_string(),
                );
            }
            if ["apiGroups", "resources", "resourceNames"]
                .iter()
                .any(|field| has_items(rule, field))
            {
                self.error(
                    Rule::ExclusiveFields,
                    path.key("nonResourceURLs"),
                    key.at,
                    "a rule is either for resources or for `nonResourceURLs`, not both",
                )
                .help = Some(
                    "split it in two rules: one with `apiGroups` and `resources`, one with `nonResourceURLs`".to_string(),
                );
            }
            return;
        }
        for (field, example) in [
            (
                "apiGroups",
                "list the API groups of the resources: \"\" for the core group (pods, services, secrets), apps for deployments, such as `apiGroups: [\"\"]`",
            ),
            (
                "resources",
                "list the resources, such as `resources: [\"pods\"]`",
            ),
        ] {
            if !lacks_items(rule, field) {
                continue;
            }
            let at = rule.entry(field).map_or(rule.at, |(key, _)| key.at);
            self.error(
                Rule::MissingField,
                path.key(field),
                at,
                format!("a rule for resources needs at least one item in `{field}`"),
            )
            .help = Some(example.to_string());
        }
    }

    /// rbac validation ValidateRoleBinding and ValidateClusterRoleBinding: `roleRef` (its group,
    /// its kind — only ClusterRole for a ClusterRoleBinding — and its name) and each subject
    /// (ValidateRoleBindingSubject). Missing fields are the schema's to report; this checks
    /// their values.
    pub(super) fn role_binding(&mut self, root: &Node, cluster: bool) {
        let binding = if cluster {
            "ClusterRoleBinding"
        } else {
            "RoleBinding"
        };
        if let Some(role_ref) = root.get("roleRef") {
            let path = Path::root().key("roleRef");
            if let Some(group) = role_ref.get("apiGroup")
                && let Some(text) = str_of(group)
                && !text.is_empty()
                && text != RBAC_GROUP
            {
                let finding = self.error(
                    Rule::InvalidValue,
                    path.key("apiGroup"),
                    group.at,
                    format!("`{}` is not the API group of a role", escape_controls(text)),
                );
                finding.suggestion = Some(RBAC_GROUP.to_string());
                finding.help = Some(
                    "roles are in the group rbac.authorization.k8s.io (the default when `apiGroup` is left out)".to_string(),
                );
            }
            if let Some(kind) = role_ref.get("kind") {
                if cluster && str_of(kind) == Some("Role") {
                    let finding = self.error(
                        Rule::InvalidValue,
                        path.key("kind"),
                        kind.at,
                        "a ClusterRoleBinding can only refer to a ClusterRole",
                    );
                    finding.suggestion = Some("ClusterRole".to_string());
                    finding.help = Some(
                        "a Role lives in one namespace; to grant it there, use a RoleBinding in that namespace".to_string(),
                    );
                } else if cluster {
                    self.one_of(kind, path.key("kind"), &["ClusterRole"]);
                } else {
                    self.one_of(kind, path.key("kind"), &["Role", "ClusterRole"]);
                }
            }
            if let Some(name) = role_ref.get("name")
                && let Some(text) = str_of(name)
            {
                self.reference_name(name, text, path.key("name"), Named::Role);
            }
        }
        let subjects = root.get("subjects").map(Node::as_seq).unwrap_or_default();
        for (index, subject) in subjects.iter().enumerate() {
            self.subject(subject, &Path::root().key("subjects").index(index), binding);
        }
    }

    /// rbac validation ValidateRoleBindingSubject.
    fn subject(&mut self, subject: &Node, path: &Path, binding: &str) {
        let kind = subject.get("kind").and_then(str_of);
        let name = subject.get("name");
        if let Some(name) = name
            && str_of(name) == Some("")
        {
            self.error(
                Rule::MissingField,
                path.key("name"),
                name.at,
                "a subject needs a `name`",
            );
        }
        let group = subject.get("apiGroup");
        let group_text = group.and_then(str_of).unwrap_or_default();
        match kind {
            Some("ServiceAccount") => {
                if let Some(name) = name
                    && let Some(text) = str_of(name)
                    && !text.is_empty()
                    && let Some(problem) = dns1123_subdomain(text)
                {
                    let finding = self.error(
                        Rule::InvalidName,
                        path.key("name"),
                        name.at,
                        format!(
                            "`{}` is not a valid ServiceAccount name: {problem}",
                            escape_controls(text)
                        ),
                    );
                    finding.suggestion =
                        suggest_dns_name(text).filter(|suggestion| suggestion != text);
                }
                if let Some(group) = group
                    && !group_text.is_empty()
                {
                    self.error(
                        Rule::InvalidValue,
                        path.key("apiGroup"),
                        group.at,
                        format!(
                            "a ServiceAccount subject has no `apiGroup`, not `{}`",
                            escape_controls(group_text)
                        ),
                    )
                    .help = Some(
                        "ServiceAccounts are in the core group: remove `apiGroup` (or write `apiGroup: \"\"`); rbac.authorization.k8s.io is for User and Group subjects".to_string(),
                    );
                }
                let namespace = subject
                    .get("namespace")
                    .and_then(str_of)
                    .unwrap_or_default();
                if binding == "ClusterRoleBinding" && namespace.is_empty() {
                    let at = subject
                        .entry("namespace")
                        .map_or(subject.at, |(key, _)| key.at);
                    self.error(
                        Rule::MissingField,
                        path.key("namespace"),
                        at,
                        "a ServiceAccount subject of a ClusterRoleBinding needs its `namespace`",
                    )
                    .help = Some(
                        "a ClusterRoleBinding has no namespace to take it from: add the ServiceAccount's namespace, such as `namespace: default`".to_string(),
                    );
                }
            }
            Some("User" | "Group") => {
                if let Some(group) = group
                    && !group_text.is_empty()
                    && group_text != RBAC_GROUP
                {
                    let finding = self.error(
                        Rule::InvalidValue,
                        path.key("apiGroup"),
                        group.at,
                        format!(
                            "`{}` is not the API group of a {} subject",
                            escape_controls(group_text),
                            kind.unwrap_or_default()
                        ),
                    );
                    finding.suggestion = Some(RBAC_GROUP.to_string());
                    finding.help = Some(
                        "User and Group subjects are in the group rbac.authorization.k8s.io (the default when `apiGroup` is left out)".to_string(),
                    );
                }
            }
            Some(_) => {
                if let Some(kind) = subject.get("kind") {
                    self.one_of(kind, path.key("kind"), &["ServiceAccount", "User", "Group"]);
                }
            }
            None => {}
        }
    }

    /// A name another object is found by: not empty, and a path segment (rbac validation
    /// ValidateRBACName, autoscaling validation ValidateCrossVersionObjectReference and
    /// validateMetricIdentifier). `what` says which reference it is.
    pub(super) fn reference_name(&mut self, node: &Node, text: &str, path: Path, what: Named) {
        let (empty, invalid) = match what {
            Named::Role => ("`name` is empty: it names the role to bind", "role name"),
            Named::Workload => (
                "`name` is empty: it names the workload to scale",
                "name for the workload to scale",
            ),
            Named::Kind => ("`kind` is empty: it names the kind of the object", "kind"),
            Named::Measured => (
                "`name` is empty: it names the object to measure",
                "name for the object to measure",
            ),
            Named::Metric => (
                "`name` is empty: it names the metric to read",
                "metric name",
            ),
        };
        if text.is_empty() {
            self.error(Rule::MissingField, path, node.at, empty);
        } else if let Some(problem) = path_segment(text) {
            self.error(
                Rule::InvalidName,
                path,
                node.at,
                format!(
                    "`{}` is not a valid {invalid}: {problem}",
                    escape_controls(text)
                ),
            );
        }
    }
}

/// What a [`Rules::reference_name`] names.
#[derive(Debug, Clone, Copy)]
pub(super) enum Named {
    Role,
    Workload,
    Kind,
    Measured,
    Metric,
}
