//! The specs of the controllers that own Pods — Deployment, ReplicaSet, DaemonSet, StatefulSet,
//! ReplicationController, Job and CronJob — and PodTemplate objects: the selector must select
//! the template's own labels, the rollout strategy must be able to make progress, counts are not
//! negative, and a Deployment's deadline outlasts its `minReadySeconds`. The Pod template itself
//! is handed to [`pod`](super::pod); the other strategies are in [`strategy`](super::strategy),
//! a Job's own fields in [`job`](super::job), a CronJob's in [`cron`](super::cron).

use std::collections::BTreeMap;

use super::{PodContext, Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Key, Node, Pos, Value};
use crate::text::did_you_mean;

impl Rules {
    pub(super) fn workload(&mut self, spec: &Node, path: &Path, kind: &str, context: PodContext) {
        // A StatefulSet's containers may mount its volumeClaimTemplates by name (apps validation
        // ValidatePodTemplateSpecForStatefulSet checks mounts against volumes and claims).
        self.claim_templates = spec
            .get("volumeClaimTemplates")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|claim| {
                claim
                    .at_path(&["metadata", "name"])
                    .and_then(str_of)
                    .map(str::to_string)
            })
            .collect();
        let template_path = path.key("template");
        let template = spec.get("template");
        let template_labels: BTreeMap<&str, &str> = template
            .and_then(|template| template.at_path(&["metadata", "labels"]))
            .map(|labels| {
                labels
                    .as_map()
                    .iter()
                    .filter_map(|(key, value)| Some((key.name.as_str(), str_of(value)?)))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(metadata) = template.and_then(|template| template.get("metadata")) {
            self.labels_and_annotations(metadata, &template_path.key("metadata"));
        }
        if let Some((spec_key, pod_spec)) = template.and_then(|template| template.entry("spec")) {
            let before = self.findings.len();
            let pod_path = template_path.key("spec");
            self.pod_spec(pod_spec, &pod_path, context, spec_key.at);
            // The API server validates a StatefulSet's Pod template on create from 1.34
            // (kubernetes#131790, "Add podSpec validation for create StatefulSet").
            if context == PodContext::StatefulSet && self.version.minor < 34 {
                self.template_not_validated(before, &pod_path);
            }
        }
        // A ReplicationController's selector is a plain map: Rules::replication_controller.
        if kind != "ReplicationController"
            && let Some((key, selector)) = spec.entry("selector")
        {
            // Jobs generate their selector unless manualSelector is set; the others need one
            // that selects their own template. apps validation ValidateDeploymentSpec &c.:
            // "selector does not match template labels", "empty selector is invalid".
            let manual = kind != "Job"
                || spec
                    .get("manualSelector")
                    .is_some_and(|manual| manual.value == Value::Bool(true));
            if manual && template.is_some() {
                self.selector_matches(selector, key, &path.key("selector"), &template_labels, kind);
            }
        }
        if kind == "Deployment" {
            self.deployment_strategy(spec, path);
        }
        for field in [
            "replicas",
            "minReadySeconds",
            "revisionHistoryLimit",
            "parallelism",
            "completions",
            "backoffLimit",
        ] {
            if let Some(value) = spec.get(field)
                && let Value::Int(number) = value.value
                && number < 0
            {
                // apps/batch validation: ValidateNonnegativeField
                self.error(
                    Rule::OutOfRange,
                    path.key(field),
                    value.at,
                    format!("`{field}` cannot be negative"),
                );
            }
        }
        if kind == "Deployment" {
            // apps validation ValidateDeploymentSpec, on the defaulted values (apps v1
            // SetDefaults_Deployment: progressDeadlineSeconds 600, minReadySeconds 0).
            let number = |field: &str| match spec.get(field).map(|node| &node.value) {
                Some(Value::Int(number)) => Some(*number),
                _ => None,
            };
            let deadline = number("progressDeadlineSeconds").unwrap_or(600);
            let min_ready = number("minReadySeconds").unwrap_or(0);
            if deadline <= min_ready {
                let (field, node) = match spec.get("progressDeadlineSeconds") {
                    Some(node) => ("progressDeadlineSeconds", node),
                    None => (
                        "minReadySeconds",
                        spec.get("minReadySeconds").unwrap_or(spec),
                    ),
                };
                self.error(
                    Rule::OutOfRange,
                    path.key(field),
                    node.at,
                    format!("`progressDeadlineSeconds` ({deadline}) must be greater than `minReadySeconds` ({min_ready})"),
                )
                .help = Some("a rollout waits minReadySeconds before counting a Pod as available, so the deadline must be longer; raise progressDeadlineSeconds (default 600) or lower minReadySeconds".to_string());
            }
        }
    }

    fn selector_matches(
        &mut self,
        selector: &Node,
        key: &Key,
        path: &Path,
        labels: &BTreeMap<&str, &str>,
        kind: &str,
    ) {
        let match_labels = selector
            .get("matchLabels")
            .map(Node::as_map)
            .unwrap_or_default();
        let expressions = selector
            .get("matchExpressions")
            .map(Node::as_seq)
            .unwrap_or_default();
        if match_labels.is_empty() && expressions.is_empty() {
            self.error(
                Rule::EmptySelector,
                path.clone(),
                key.at,
                format!("a {kind} needs a selector that selects its Pods; this one is empty"),
            )
            .help = Some(
                "add `matchLabels:` with the labels of `spec.template.metadata.labels`".to_string(),
            );
            return;
        }
        for (label, value) in match_labels {
            let Some(wanted) = str_of(value) else {
                continue;
            };
            match labels.get(label.name.as_str()) {
                Some(actual) if *actual == wanted => {}
                Some(actual) => {
                    let finding = self.error(
                        Rule::SelectorMismatch,
                        path.key("matchLabels").key(&label.name),
                        value.at,
                        format!("the selector wants `{}: {wanted}` but the Pod template's label is `{}: {actual}`", label.name, label.name),
                    );
                    finding.help = Some(format!(
                        "a {kind} only manages Pods its selector matches; make the two values equal"
                    ));
                    finding.suggestion = Some((*actual).to_string());
                }
                None => {
                    self.error(
                        Rule::SelectorMismatch,
                        path.key("matchLabels").key(&label.name),
                        label.at,
                        format!("the selector wants the label `{}: {wanted}`, which the Pod template does not have", label.name),
                    )
                    .help = Some(format!("add `{}: {wanted}` to spec.template.metadata.labels", label.name));
                }
            }
        }
        for (index, expression) in expressions.iter().enumerate() {
            let (Some(label), Some(operator)) = (
                expression.get("key").and_then(str_of),
                expression.get("operator").and_then(str_of),
            ) else {
                continue;
            };
            let values: Vec<&str> = expression
                .get("values")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(str_of)
                .collect();
            let actual = labels.get(label).copied();
            let (matches, known) = match operator {
                "In" => (actual.is_some_and(|actual| values.contains(&actual)), true),
                "NotIn" => (!actual.is_some_and(|actual| values.contains(&actual)), true),
                "Exists" => (actual.is_some(), true),
                "DoesNotExist" => (actual.is_none(), true),
                _ => (true, false),
            };
            let expression_path = path.key("matchExpressions").index(index);
            if !known {
                // apimachinery ValidateLabelSelectorRequirement
                let finding = self.error(
                    Rule::InvalidValue,
                    expression_path.key("operator"),
                    expression
                        .get("operator")
                        .map_or(expression.at, |node| node.at),
                    format!("`{operator}` is not a selector operator"),
                );
                finding.suggestion =
                    did_you_mean(operator, ["In", "NotIn", "Exists", "DoesNotExist"])
                        .map(str::to_string);
                finding.help = Some("use In, NotIn, Exists or DoesNotExist".to_string());
            } else if !self.values_fit(expression, &expression_path, operator) {
                // apimachinery ValidateLabelSelectorRequirement, reported by operator_values.
            } else if !matches {
                self.error(Rule::SelectorMismatch, expression_path, expression.at, format!("the selector's `{label} {operator}` does not match the Pod template's labels"))
                    .help = Some(format!("a {kind} only manages Pods its selector matches"));
            }
        }
    }

    /// apps validation ValidateDeploymentStrategy and ValidateRollingUpdateDeployment.
    fn deployment_strategy(&mut self, spec: &Node, path: &Path) {
        let Some(strategy) = spec.get("strategy") else {
            return;
        };
        let strategy_path = path.key("strategy");
        let kind = strategy.get("type");
        let type_name = kind.and_then(str_of).unwrap_or("RollingUpdate");
        if let Some(kind) = kind
            && let Some(text) = str_of(kind)
            && !["RollingUpdate", "Recreate"].contains(&text)
        {
            let finding = self.error(
                Rule::InvalidValue,
                strategy_path.key("type"),
                kind.at,
                format!("`{text}` is not a Deployment strategy"),
            );
            finding.suggestion =
                did_you_mean(text, ["RollingUpdate", "Recreate"]).map(str::to_string);
            finding.help = Some(
                "a Deployment's strategy type is RollingUpdate (the default) or Recreate"
                    .to_string(),
            );
            return;
        }
        let Some((rolling_key, rolling)) = strategy.entry("rollingUpdate") else {
            return;
        };
        if type_name == "Recreate" {
            if !rolling.is_null() {
                self.error(Rule::InvalidValue, strategy_path.key("rollingUpdate"), rolling_key.at, "`rollingUpdate` may not be set when the strategy type is Recreate")
                    .help = Some("Recreate stops every old Pod before starting new ones, so there is nothing to tune: remove `rollingUpdate`, or use type RollingUpdate".to_string());
            }
            return;
        }
        let rolling_path = strategy_path.key("rollingUpdate");
        let surge = self.surge_value(rolling.get("maxSurge"), &rolling_path.key("maxSurge"));
        let unavailable = self.surge_value(
            rolling.get("maxUnavailable"),
            &rolling_path.key("maxUnavailable"),
        );
        if let Some((value, at)) = unavailable
            && let Surge::Percent(percent) = value
            && percent > 100
        {
            self.error(
                Rule::OutOfRange,
                rolling_path.key("maxUnavailable"),
                at,
                "`maxUnavailable` cannot be more than 100%",
            );
        }
        // Both default to 25% when absent (or null), so only explicit zeros can collide.
        if let (Some((surge, _)), Some((unavailable, at))) = (surge, unavailable)
            && surge.is_zero()
            && unavailable.is_zero()
        {
            self.error(Rule::InvalidValue, rolling_path.key("maxUnavailable"), at, "`maxUnavailable` and `maxSurge` cannot both be 0")
                    .help = Some("with neither an extra Pod nor a missing one allowed, the rollout could never replace a Pod: set one of them above 0".to_string());
        }
    }

    /// Reads an int-or-percent value; reports a string that is not a percentage.
    pub(super) fn surge_value(&mut self, node: Option<&Node>, path: &Path) -> Option<(Surge, Pos)> {
        let node = node?;
        match &node.value {
            Value::Int(number) if *number < 0 => {
                self.error(
                    Rule::OutOfRange,
                    path.clone(),
                    node.at,
                    format!(
                        "`{}` cannot be negative",
                        path.last_key().unwrap_or_default()
                    ),
                );
                None
            }
            Value::Int(number) => Some((Surge::Count(*number), node.at)),
            Value::Str(text) => {
                match text
                    .strip_suffix('%')
                    .and_then(|digits| digits.parse::<i64>().ok())
                {
                    Some(percent) if percent >= 0 => Some((Surge::Percent(percent), node.at)),
                    _ => {
                        let finding = self.error(
                            Rule::InvalidValue,
                            path.clone(),
                            node.at,
                            format!(
                                "`{}` is not a number or a percentage",
                                crate::text::escape_controls(text)
                            ),
                        );
                        finding.help = Some("write a whole number of Pods (1) or a percentage of the replicas (25%)".to_string());
                        finding.suggestion = text
                            .trim()
                            .parse::<i64>()
                            .ok()
                            .map(|number| number.to_string());
                        None
                    }
                }
            }
            _ => None,
        }
    }

    /// Before 1.34, apps validation ValidatePodTemplateSpecForStatefulSet checked the
    /// template's labels and annotations but not its Pod spec (a TODO since StatefulSets
    /// began): the server accepted the StatefulSet and refused each Pod it tried to create. So
    /// against those versions what the walk found in the Pod spec is a warning, except the two
    /// rules ValidateStatefulSetSpec did enforce: restartPolicy Always and no
    /// activeDeadlineSeconds.
    fn template_not_validated(&mut self, from: usize, pod_path: &Path) {
        let enforced = [
            pod_path.key("restartPolicy").to_string(),
            pod_path.key("activeDeadlineSeconds").to_string(),
        ];
        for finding in &mut self.findings[from..] {
            if !enforced.contains(&finding.path.to_string()) {
                finding.warning = true;
            }
        }
    }

    /// A StatefulSet's volumeClaimTemplates are claims the controller creates for each Pod.
    /// Whether the API server checks their spec on create (kubernetes#132212) is not certain
    /// for every supported version, and a claim it refuses leaves the Pod unscheduled either
    /// way: what a PersistentVolumeClaim's spec would be refused for (core validation
    /// ValidatePersistentVolumeClaimSpec, [`storage`](super::storage)) is a warning here.
    pub(super) fn claim_templates(&mut self, spec: &Node, path: &Path) {
        for (index, claim) in spec
            .get("volumeClaimTemplates")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let Some((key, claim_spec)) = claim.entry("spec") else {
                continue;
            };
            let before = self.findings.len();
            self.pvc_spec(
                claim_spec,
                &path.key("volumeClaimTemplates").index(index).key("spec"),
                key.at,
            );
            for finding in &mut self.findings[before..] {
                finding.warning = true;
            }
        }
    }

    /// A v1 ReplicationController (core validation ValidateReplicationControllerSpec): its
    /// selector is a plain map that defaults to the template's labels (v1
    /// SetDefaults_ReplicationController), so it must end up non-empty and match them; the
    /// template is required and its Pods always restart.
    pub(super) fn replication_controller(&mut self, spec: &Node, path: &Path, spec_key: Pos) {
        let Some((_, template)) = spec.entry("template").filter(|(_, node)| !node.is_null()) else {
            self.error(
                Rule::MissingField,
                path.key("template"),
                spec_key,
                "a ReplicationController needs a Pod `template`",
            )
            .help = Some("add `template:` with `metadata.labels` and a Pod `spec`".to_string());
            return;
        };
        self.workload(
            spec,
            path,
            "ReplicationController",
            PodContext::AlwaysRestart,
        );
        let labels = template
            .at_path(&["metadata", "labels"])
            .map(Node::as_map)
            .unwrap_or_default();
        let selector = spec.entry("selector").filter(|(_, node)| !node.is_null());
        let entries = selector.map(|(_, node)| node.as_map()).unwrap_or_default();
        if entries.is_empty() {
            if labels.is_empty() {
                let at = selector.map_or(spec_key, |(key, _)| key.at);
                self.error(
                    Rule::EmptySelector,
                    path.key("selector"),
                    at,
                    "a ReplicationController needs a selector, or template labels to default it from",
                )
                .help = Some("add labels to `spec.template.metadata.labels`; the selector defaults to them".to_string());
            }
            return;
        }
        let template_labels: BTreeMap<&str, &str> = labels
            .iter()
            .filter_map(|(key, value)| Some((key.name.as_str(), str_of(value)?)))
            .collect();
        for (label, value) in entries {
            let Some(wanted) = str_of(value) else {
                continue;
            };
            match template_labels.get(label.name.as_str()) {
                Some(actual) if *actual == wanted => {}
                Some(actual) => {
                    let finding = self.error(
                        Rule::SelectorMismatch,
                        path.key("selector").key(&label.name),
                        value.at,
                        format!("the selector wants `{}: {wanted}` but the Pod template's label is `{}: {actual}`", label.name, label.name),
                    );
                    finding.help = Some("a ReplicationController only manages Pods its selector matches; make the two values equal".to_string());
                    finding.suggestion = Some((*actual).to_string());
                }
                None => {
                    self.error(
                        Rule::SelectorMismatch,
                        path.key("selector").key(&label.name),
                        label.at,
                        format!("the selector wants the label `{}: {wanted}`, which the Pod template does not have", label.name),
                    )
                    .help = Some(format!("add `{}: {wanted}` to spec.template.metadata.labels", label.name));
                }
            }
        }
    }

    /// A v1 PodTemplate (core validation ValidatePodTemplate): `template` is validated as any
    /// Pod template, whatever its restart policy.
    pub(super) fn pod_template(&mut self, root: &Node) {
        let template_path = Path::root().key("template");
        let Some(template) = root.get("template") else {
            return;
        };
        if let Some(metadata) = template.get("metadata") {
            self.labels_and_annotations(metadata, &template_path.key("metadata"));
        }
        if let Some((spec_key, pod_spec)) = template.entry("spec") {
            self.pod_spec(
                pod_spec,
                &template_path.key("spec"),
                PodContext::Template,
                spec_key.at,
            );
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Surge {
    Count(i64),
    Percent(i64),
}

impl Surge {
    pub(super) fn is_zero(self) -> bool {
        matches!(self, Surge::Count(0) | Surge::Percent(0))
    }
}

#[cfg(test)]
mod tests {
    use crate::manifest::{self, Version};

    const NO_IMAGE: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
";

    #[test]
    fn a_statefulset_template_is_validated_from_1_34_and_only_warned_about_before() {
        let old = manifest::check(NO_IMAGE, Version { minor: 33 });
        assert_eq!(old.diagnostics.len(), 1);
        assert!(!old.diagnostics[0].is_error(), "{:?}", old.diagnostics);
        let new = manifest::check(NO_IMAGE, Version { minor: 34 });
        assert_eq!(new.diagnostics.len(), 1);
        assert!(new.diagnostics[0].is_error(), "{:?}", new.diagnostics);
    }
}
