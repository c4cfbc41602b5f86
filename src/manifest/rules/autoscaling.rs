//! HorizontalPodAutoscaler, autoscaling/v1 and autoscaling/v2: replica bounds, the target to
//! scale, v1's CPU target, v2's metrics (the member that matches each type, the target's
//! values) and scaling behavior (policies, periods, windows). Source: autoscaling validation
//! (pkg/apis/autoscaling/validation/validation.go), which checks both versions after
//! conversion to one internal type and after defaulting (`minReplicas` 1; scaling rules left
//! out get the default policies).

use super::names::{dns1123_label, suggest_dns_name};
use super::rbac::Named;
use super::{Rules, str_of, written};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::quantity;
use crate::manifest::yaml::{Node, Value};
use crate::text::{did_you_mean, escape_controls};

/// autoscaling MaxPeriodSeconds.
const MAX_PERIOD_SECONDS: i64 = 1800;
/// autoscaling MaxStabilizationWindowSeconds.
const MAX_STABILIZATION_WINDOW_SECONDS: i64 = 3600;

/// Each metric source type and the member that holds its details.
const METRIC_TYPES: [(&str, &str); 5] = [
    ("Resource", "resource"),
    ("Pods", "pods"),
    ("Object", "object"),
    ("External", "external"),
    ("ContainerResource", "containerResource"),
];

impl Rules {
    /// autoscaling validation validateHorizontalPodAutoscalerSpec: `minReplicas` at least 1
    /// (0 only with the alpha HPAScaleToZero gate, off by default), `maxReplicas` at least 1 and
    /// at least `minReplicas`, the scale target, then v1's CPU target or v2's metrics and
    /// behavior.
    pub(super) fn horizontal_pod_autoscaler(&mut self, spec: &Node, path: &Path, v1: bool) {
        if let Some(finding) =
            self.whole_in_range(spec.get("minReplicas"), path.key("minReplicas"), 1, None)
        {
            finding.help = Some(
                "an autoscaler keeps at least one replica; scaling to zero needs the alpha HPAScaleToZero feature gate, which is off by default".to_string(),
            );
        }
        let max = spec.get("maxReplicas");
        if self
            .whole_in_range(max, path.key("maxReplicas"), 1, None)
            .is_none()
            && let Some(max) = max
            && let Value::Int(most) = max.value
            && let Some(Value::Int(least)) = spec.get("minReplicas").map(|node| &node.value)
            && most < *least
        {
            self.error(
                Rule::OutOfRange,
                path.key("maxReplicas"),
                max.at,
                format!("`maxReplicas` ({most}) is less than `minReplicas` ({least})"),
            )
            .help = Some("raise maxReplicas or lower minReplicas".to_string());
        }
        if let Some(target) = spec.get("scaleTargetRef") {
            self.object_reference(target, &path.key("scaleTargetRef"), Named::Workload);
        }
        if v1 {
            // Converted to a Resource metric on cpu with an averageUtilization target
            // (validateMetricTarget: at least 1).
            self.whole_in_range(
                spec.get("targetCPUUtilizationPercentage"),
                path.key("targetCPUUtilizationPercentage"),
                1,
                None,
            );
            return;
        }
        let metrics = spec.get("metrics").map(Node::as_seq).unwrap_or_default();
        for (index, metric) in metrics.iter().enumerate() {
            self.metric(metric, &path.key("metrics").index(index));
        }
        if let Some(behavior) = spec.get("behavior") {
            for direction in ["scaleUp", "scaleDown"] {
                if let Some(rules) = behavior.get(direction)
                    && !rules.is_null()
                {
                    self.scaling_rules(rules, &path.key("behavior").key(direction));
                }
            }
        }
    }

    /// ValidateCrossVersionObjectReference: `kind` and `name` set, each a path segment.
    fn object_reference(&mut self, reference: &Node, path: &Path, what: Named) {
        if let Some(kind) = reference.get("kind")
            && let Some(text) = str_of(kind)
        {
            self.reference_name(kind, text, path.key("kind"), Named::Kind);
        }
        if let Some(name) = reference.get("name")
            && let Some(text) = str_of(name)
        {
            self.reference_name(name, text, path.key("name"), what);
        }
    }

    /// validateMetricSpec: a known type, the member of that type set and no other, then the
    /// source's own rules.
    fn metric(&mut self, metric: &Node, path: &Path) {
        let Some(type_node) = metric.get("type") else {
            return;
        };
        let allowed: Vec<&str> = METRIC_TYPES.iter().map(|(kind, _)| *kind).collect();
        if !self.one_of(type_node, path.key("type"), &allowed) {
            return;
        }
        let Some(kind) = str_of(type_node) else {
            return;
        };
        let member = METRIC_TYPES
            .iter()
            .find(|(name, _)| *name == kind)
            .map_or("", |(_, member)| *member);
        let present: Vec<(&str, &str)> = METRIC_TYPES
            .iter()
            .copied()
            .filter(|(_, field)| metric.get(field).is_some_and(|node| !node.is_null()))
            .collect();
        let source = metric.get(member).filter(|node| !node.is_null());
        if source.is_none() {
            let finding = self.error(
                Rule::MissingField,
                path.key(member),
                type_node.at,
                format!("a metric of type {kind} needs `{member}`"),
            );
            if let [(other, field)] = present.as_slice() {
                finding.suggestion = Some((*other).to_string());
                finding.help = Some(format!(
                    "the metric's details are under `{field}`, so its type is {other}"
                ));
            } else {
                finding.help = Some(format!(
                    "add `{member}:` with what to measure and its `target`"
                ));
            }
        }
        for (_, field) in &present {
            if *field == member || source.is_none() && present.len() == 1 {
                continue;
            }
            let (key, _) = metric.entry(field).expect("present");
            self.error(
                Rule::ForbiddenField,
                path.key(field),
                key.at,
                format!("a metric of type {kind} takes only `{member}`, not `{field}`"),
            )
            .help = Some(
                "each item of `metrics` describes one metric: move this one to its own item with its own `type`".to_string(),
            );
        }
        let Some(source) = source else {
            return;
        };
        let source_path = path.key(member);
        match kind {
            "Resource" | "ContainerResource" => {
                if kind == "ContainerResource" {
                    self.container_resource_names(source, &source_path);
                } else if let Some(name) = source.get("name")
                    && str_of(name) == Some("")
                {
                    // validateResourceSource: "must specify a resource name".
                    self.error(
                        Rule::MissingField,
                        source_path.key("name"),
                        name.at,
                        "`name` is empty: it names the resource to measure, such as cpu or memory",
                    );
                }
                self.metric_target(
                    source,
                    &source_path,
                    &["averageUtilization", "averageValue"],
                    true,
                );
            }
            "Pods" => {
                self.metric_name(source, &source_path);
                self.metric_target(source, &source_path, &["averageValue"], false);
            }
            "Object" => {
                if let Some(described) = source.get("describedObject") {
                    self.object_reference(
                        described,
                        &source_path.key("describedObject"),
                        Named::Measured,
                    );
                }
                self.metric_name(source, &source_path);
                self.metric_target(source, &source_path, &["value", "averageValue"], false);
            }
            _ => {
                self.metric_name(source, &source_path);
                self.metric_target(source, &source_path, &["value", "averageValue"], true);
            }
        }
    }

    /// validateMetricIdentifier: the metric's name, set and a path segment.
    fn metric_name(&mut self, source: &Node, path: &Path) {
        if let Some(name) = source.at_path(&["metric", "name"])
            && let Some(text) = str_of(name)
        {
            self.reference_name(name, text, path.key("metric").key("name"), Named::Metric);
        }
    }

    /// validateContainerResourceSource: the container's name is a DNS label; the resource is a
    /// container resource (core v1 validation ValidateContainerResourceName).
    fn container_resource_names(&mut self, source: &Node, path: &Path) {
        if let Some(container) = source.get("container")
            && let Some(text) = str_of(container)
        {
            if text.is_empty() {
                self.error(
                    Rule::MissingField,
                    path.key("container"),
                    container.at,
                    "`container` is empty: it names the container whose usage is measured",
                );
            } else if let Some(problem) = dns1123_label(text) {
                let finding = self.error(
                    Rule::InvalidName,
                    path.key("container"),
                    container.at,
                    format!(
                        "`{}` is not a valid container name: {problem}",
                        escape_controls(text)
                    ),
                );
                finding.suggestion = suggest_dns_name(text).filter(|suggestion| suggestion != text);
            }
        }
        if let Some(name) = source.get("name")
            && let Some(text) = str_of(name)
            && !text.contains('/')
            && !["cpu", "memory", "ephemeral-storage"].contains(&text)
            && !text.starts_with("hugepages-")
        {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("name"),
                name.at,
                format!("`{}` is not a container resource", escape_controls(text)),
            );
            finding.suggestion = ["cpu", "memory", "ephemeral-storage"]
                .into_iter()
                .find(|known| known.eq_ignore_ascii_case(text))
                .or_else(|| did_you_mean(text, ["cpu", "memory", "ephemeral-storage"]))
                .map(str::to_string);
            finding.help = Some(
                "use cpu, memory, ephemeral-storage or hugepages-SIZE; extended resources carry a domain, such as example.com/gpu".to_string(),
            );
        }
    }

    /// validateMetricTarget (a known type; `value` and `averageValue` above 0;
    /// `averageUtilization` at least 1), and what each source asks of its target: one of
    /// `needs` set, and when `one_only`, not two of them.
    fn metric_target(&mut self, source: &Node, path: &Path, needs: &[&str], one_only: bool) {
        let Some((target_key, target)) = source.entry("target") else {
            return;
        };
        if target.is_null() {
            return;
        }
        let target_path = path.key("target");
        if let Some(kind) = target.get("type") {
            self.one_of(
                kind,
                target_path.key("type"),
                &["Utilization", "Value", "AverageValue"],
            );
        }
        for field in ["value", "averageValue"] {
            if let Some(node) = target.get(field) {
                let amount = match &node.value {
                    Value::Int(number) => Some(*number as f64),
                    Value::Float(number) => Some(*number),
                    Value::Str(text) => quantity::parse(text),
                    _ => None,
                };
                if amount.is_some_and(|amount| amount <= 0.0) {
                    self.error(
                        Rule::OutOfRange,
                        target_path.key(field),
                        node.at,
                        format!("`{field}` is {}; it must be more than 0", written(node)),
                    );
                }
            }
        }
        self.whole_in_range(
            target.get("averageUtilization"),
            target_path.key("averageUtilization"),
            1,
            None,
        );
        let set: Vec<&str> = needs
            .iter()
            .copied()
            .filter(|field| target.get(field).is_some_and(|node| !node.is_null()))
            .collect();
        match set.as_slice() {
            [] => {
                let wanted = needs
                    .iter()
                    .map(|field| format!("`{field}`"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                self.error(
                    Rule::MissingField,
                    target_path.key(needs[0]),
                    target_key.at,
                    format!("this metric's target needs {wanted}"),
                )
                .help = Some(
                    "say what to aim for: averageUtilization is a percentage of the Pods' requests (type Utilization), averageValue an amount per Pod (type AverageValue), value a total (type Value)".to_string(),
                );
            }
            [_, second, ..] if one_only => {
                let (key, _) = target.entry(second).expect("set");
                self.error(
                    Rule::ExclusiveFields,
                    target_path.key(second),
                    key.at,
                    format!("set `{}` or `{second}` in a target, not both", set[0]),
                )
                .help = Some(
                    "a target aims at one number: keep the one that matches the target's `type`"
                        .to_string(),
                );
            }
            _ => {}
        }
    }

    /// validateScalingRules and validateScalingPolicy.
    fn scaling_rules(&mut self, rules: &Node, path: &Path) {
        self.whole_in_range(
            rules.get("stabilizationWindowSeconds"),
            path.key("stabilizationWindowSeconds"),
            0,
            Some(MAX_STABILIZATION_WINDOW_SECONDS),
        );
        if let Some(select) = rules.get("selectPolicy") {
            self.one_of(
                select,
                path.key("selectPolicy"),
                &["Max", "Min", "Disabled"],
            );
        }
        let Some((key, policies)) = rules.entry("policies") else {
            return;
        };
        if matches!(&policies.value, Value::Seq(items) if items.is_empty()) {
            self.error(
                Rule::MissingField,
                path.key("policies"),
                key.at,
                "a scaling rule with `policies` needs at least one policy",
            )
            .help = Some(
                "add `- type: Pods` with `value: 4` and `periodSeconds: 60`, or remove `policies:` to keep the default policies".to_string(),
            );
        }
        for (index, policy) in policies.as_seq().iter().enumerate() {
            let policy_path = path.key("policies").index(index);
            if let Some(kind) = policy.get("type") {
                self.one_of(kind, policy_path.key("type"), &["Pods", "Percent"]);
            }
            self.whole_in_range(policy.get("value"), policy_path.key("value"), 1, None);
            self.whole_in_range(
                policy.get("periodSeconds"),
                policy_path.key("periodSeconds"),
                1,
                Some(MAX_PERIOD_SECONDS),
            );
        }
    }
}
