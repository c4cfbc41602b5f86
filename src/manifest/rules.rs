//! The API server's own rules that a schema cannot express: names, selectors, exclusive fields,
//! references between fields, value ranges. Each rule cites where Kubernetes enforces it
//! (paths are in kubernetes/kubernetes unless said otherwise; `core validation` is
//! pkg/apis/core/validation/validation.go, `apps validation` pkg/apis/apps/validation/validation.go).
//! Version-dependent behaviour goes through [`Version::has`] with a [`Feature`].
//!
//! The rules read the tree defensively: a value of the wrong type was already reported by the
//! schema check, so a rule skips it rather than report it twice.

use std::collections::{BTreeMap, HashSet};

use base64::Engine as _;

use super::path::Path;
use super::quantity;
use super::schema::{Finding, KindInfo};
use super::version::{Feature, Version};
use super::yaml::{Key, Node, Pos, Value};
use crate::text::did_you_mean;

pub fn check(root: &Node, kind: &KindInfo, version: Version) -> Vec<Finding> {
    let mut rules = Rules {
        version,
        findings: Vec::new(),
        claim_templates: Vec::new(),
        ports_seen: BTreeMap::new(),
    };
    rules.object(root, kind);
    rules.findings
}

struct Rules {
    version: Version,
    findings: Vec<Finding>,
    /// Names of a StatefulSet's volumeClaimTemplates, which its mounts may use like volumes.
    claim_templates: Vec<String>,
    /// (containerPort, protocol) → where it was first declared in this Pod.
    ports_seen: BTreeMap<(i64, String), Path>,
}

/// Where a Pod spec sits in a workload, and what its kind requires of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PodContext {
    /// A Pod itself: `image` is required.
    Pod,
    /// The template of a controller whose Pods must always restart (Deployment, ReplicaSet, ...).
    AlwaysRestart,
    /// The template of a Job: `restartPolicy` is `OnFailure` or `Never`.
    Job,
}

/// A scalar as the learner wrote it, for messages.
fn written(node: &Node) -> String {
    match &node.value {
        Value::Int(number) => number.to_string(),
        Value::Float(number) => number.to_string(),
        Value::Str(text) => crate::text::escape_controls(text).into_owned(),
        _ => String::new(),
    }
}

fn str_of(node: &Node) -> Option<&str> {
    node.as_str()
}

impl Rules {
    fn error(
        &mut self,
        rule: &'static str,
        path: Path,
        at: Pos,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings.push(Finding {
            rule,
            path,
            at,
            message: message.into(),
            suggestion: None,
            help: None,
            warning: false,
        });
        self.findings.last_mut().expect("just pushed")
    }

    fn object(&mut self, root: &Node, kind: &KindInfo) {
        let root_path = Path::root();
        self.metadata(root, kind.kind, &root_path);
        let spec_path = root_path.key("spec");
        let spec = root.get("spec");
        // Where a missing field of the spec is reported: its `spec:` key.
        let spec_key = root.entry("spec").map_or(root.at, |(key, _)| key.at);
        match kind.kind {
            "Pod" => {
                if let Some(spec) = spec {
                    self.pod_spec(spec, &spec_path, PodContext::Pod, spec_key);
                }
            }
            "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" => {
                if let Some(spec) = spec {
                    self.workload(spec, &spec_path, kind.kind, PodContext::AlwaysRestart);
                }
            }
            "Job" => {
                if let Some(spec) = spec {
                    self.workload(spec, &spec_path, kind.kind, PodContext::Job);
                }
            }
            "CronJob" => {
                if let Some(job_spec) = root.at_path(&["spec", "jobTemplate", "spec"]) {
                    self.workload(
                        job_spec,
                        &spec_path.key("jobTemplate").key("spec"),
                        "Job",
                        PodContext::Job,
                    );
                }
                self.cron_job(root);
            }
            "ConfigMap" => self.config_map(root),
            "Secret" => self.secret(root),
            "Service" => {
                if let Some(spec) = spec {
                    self.service(spec, &spec_path, spec_key);
                }
            }
            _ => {}
        }
    }

    // ---- metadata -------------------------------------------------------------------------

    /// Names and labels. Source: core validation ValidateObjectMeta; apimachinery
    /// pkg/api/validation/objectmeta.go; the name rule per kind from each kind's Validate*Name.
    fn metadata(&mut self, root: &Node, kind: &str, path: &Path) {
        let metadata_path = path.key("metadata");
        let Some(metadata) = root.get("metadata") else {
            if matches!(root.value, Value::Map(_)) {
                self.error(
                    "missing-field",
                    metadata_path.key("name"),
                    root.at,
                    "missing required field `metadata.name`",
                )
                .help =
                    Some("every object needs a name: add `metadata:` with `name: ...`".to_string());
            }
            return;
        };
        match (metadata.entry("name"), metadata.get("generateName")) {
            (Some((_, name)), _) if !name.is_null() => {
                if let Some(text) = str_of(name) {
                    self.object_name(text, kind, metadata_path.key("name"), name.at);
                }
            }
            (_, Some(generate)) if !generate.is_null() => {}
            // `nmae: web`: the unknown-field error already says "did you mean `name`?".
            (None, _) if misspelt_name(metadata) => {}
            (entry, _) => {
                let metadata_key = root
                    .entry("metadata")
                    .map_or(metadata.at, |(key, _)| key.at);
                let at = entry.map_or(metadata_key, |(key, _)| key.at);
                self.error(
                    "missing-field",
                    metadata_path.key("name"),
                    at,
                    "missing required field `name`",
                )
                .help = Some(
                    "every object needs `metadata.name` (or `generateName` for a generated name)"
                        .to_string(),
                );
            }
        }
        self.labels_and_annotations(metadata, &metadata_path);
    }

    fn object_name(&mut self, name: &str, kind: &str, path: Path, at: Pos) {
        let (problem, rule_name) = match kind {
            // core validation ValidateServiceName = apimachinery NameIsDNS1035Label
            "Service" => (
                dns1035_label(name),
                "a DNS-1035 label (lowercase letters, digits and '-', starting with a letter, at most 63 characters)",
            ),
            // core validation ValidateNamespaceName = NameIsDNSLabel
            "Namespace" => (
                dns1123_label(name),
                "a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)",
            ),
            // rbac validation: ValidateRBACName = path.IsValidPathSegmentName
            "Role" | "RoleBinding" | "ClusterRole" | "ClusterRoleBinding" => (
                path_segment(name),
                "a path segment (no '/' or '%', not '.' or '..')",
            ),
            _ => (
                dns1123_subdomain(name),
                "a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)",
            ),
        };
        if let Some(problem) = problem {
            let suggestion = suggest_dns_name(name).filter(|suggestion| suggestion != name);
            let finding = self.error(
                "invalid-name",
                path,
                at,
                format!(
                    "`{}` is not a valid {kind} name: {problem}",
                    crate::text::escape_controls(name)
                ),
            );
            finding.help = Some(format!("a {kind} name must be {rule_name}"));
            finding.suggestion = suggestion;
        } else if kind == "CronJob" && name.len() > 52 {
            // batch validation ValidateCronJobCreate: the name plus an 11-character suffix names its Jobs.
            self.error("invalid-name", path, at, format!("a CronJob name has at most 52 characters; this one has {}", name.len()))
                .help = Some("the controller appends 11 characters to name each Job, and a Job name has at most 63".to_string());
        }
    }

    fn labels_and_annotations(&mut self, metadata: &Node, path: &Path) {
        if let Some(labels) = metadata.get("labels") {
            for (key, value) in labels.as_map() {
                let label_path = path.key("labels").key(&key.name);
                if let Some(problem) = qualified_name(&key.name) {
                    self.error(
                        "invalid-label",
                        label_path.clone(),
                        key.at,
                        format!(
                            "`{}` is not a valid label key: {problem}",
                            crate::text::escape_controls(&key.name)
                        ),
                    );
                }
                if let Some(text) = str_of(value)
                    && let Some(problem) = label_value(text)
                {
                    self.error("invalid-label", label_path, value.at, format!("`{}` is not a valid label value: {problem}", crate::text::escape_controls(text)))
                            .help = Some("label values have at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit".to_string());
                }
            }
        }
        if let Some(annotations) = metadata.get("annotations") {
            for (key, _) in annotations.as_map() {
                if let Some(problem) = qualified_name(&key.name) {
                    self.error(
                        "invalid-annotation",
                        path.key("annotations").key(&key.name),
                        key.at,
                        format!(
                            "`{}` is not a valid annotation key: {problem}",
                            crate::text::escape_controls(&key.name)
                        ),
                    );
                }
            }
        }
    }

    // ---- workloads ------------------------------------------------------------------------

    fn workload(&mut self, spec: &Node, path: &Path, kind: &str, context: PodContext) {
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
            self.pod_spec(pod_spec, &template_path.key("spec"), context, spec_key.at);
        }
        if let Some((key, selector)) = spec.entry("selector") {
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
                    "out-of-range",
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
                    "out-of-range",
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
                "empty-selector",
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
                        "selector-mismatch",
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
                        "selector-mismatch",
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
                    "invalid-value",
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
            } else if !matches {
                self.error("selector-mismatch", expression_path, expression.at, format!("the selector's `{label} {operator}` does not match the Pod template's labels"))
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
                "invalid-value",
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
                self.error("invalid-value", strategy_path.key("rollingUpdate"), rolling_key.at, "`rollingUpdate` may not be set when the strategy type is Recreate")
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
                "out-of-range",
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
            self.error("invalid-value", rolling_path.key("maxUnavailable"), at, "`maxUnavailable` and `maxSurge` cannot both be 0")
                    .help = Some("with neither an extra Pod nor a missing one allowed, the rollout could never replace a Pod: set one of them above 0".to_string());
        }
    }

    /// Reads an int-or-percent value; reports a string that is not a percentage.
    fn surge_value(&mut self, node: Option<&Node>, path: &Path) -> Option<(Surge, Pos)> {
        let node = node?;
        match &node.value {
            Value::Int(number) if *number < 0 => {
                self.error(
                    "out-of-range",
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
                            "invalid-value",
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

    fn cron_job(&mut self, root: &Node) {
        // batch validation validateConcurrencyPolicy
        if let Some(policy) = root.at_path(&["spec", "concurrencyPolicy"])
            && let Some(text) = str_of(policy)
            && !["Allow", "Forbid", "Replace"].contains(&text)
        {
            let finding = self.error(
                "invalid-value",
                Path::root().key("spec").key("concurrencyPolicy"),
                policy.at,
                format!("`{text}` is not a concurrency policy"),
            );
            finding.suggestion =
                did_you_mean(text, ["Allow", "Forbid", "Replace"]).map(str::to_string);
            finding.help = Some("use Allow, Forbid or Replace".to_string());
        }
    }

    // ---- Pod spec -------------------------------------------------------------------------

    /// `anchor` is the `spec:` key, where a missing field of the spec is reported.
    fn pod_spec(&mut self, spec: &Node, path: &Path, context: PodContext, anchor: Pos) {
        let volumes: Vec<&str> = self.volumes(spec, path);
        // core validation validatePodSpec → validateContainers / validateInitContainers:
        // container names are unique across every kind of container in the Pod.
        let mut names: HashSet<String> = HashSet::new();
        let containers = spec.get("containers");
        if let Some(containers) = containers
            && matches!(containers.value, Value::Seq(ref items) if items.is_empty())
        {
            self.error(
                "missing-field",
                path.key("containers"),
                containers.at,
                "a Pod needs at least one container",
            )
            .help = Some("add a container with `name` and `image`".to_string());
        }
        // Regular containers first: validateInitContainers checks each init container against
        // the regular containers' names, so a clash is reported on the init container.
        for (list, init) in [("containers", false), ("initContainers", true)] {
            for (index, container) in spec
                .get(list)
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let container_path = path.key(list).index(index);
                self.container(
                    container,
                    &container_path,
                    &volumes,
                    &mut names,
                    init,
                    context,
                );
            }
        }
        let policy = spec.get("restartPolicy");
        let policy_text = policy.and_then(str_of);
        if let (Some(policy), Some(text)) = (policy, policy_text) {
            // core validation validateRestartPolicy
            if !["Always", "OnFailure", "Never"].contains(&text) {
                let finding = self.error(
                    "invalid-value",
                    path.key("restartPolicy"),
                    policy.at,
                    format!("`{text}` is not a restart policy"),
                );
                finding.suggestion =
                    did_you_mean(text, ["Always", "OnFailure", "Never"]).map(str::to_string);
                finding.help = Some(
                    "a Pod's restartPolicy is Always (the default), OnFailure or Never".to_string(),
                );
                return;
            }
        }
        match context {
            // apps validation ValidatePodTemplateSpecForReplicaSet / Deployment / DaemonSet / StatefulSet
            PodContext::AlwaysRestart => {
                if let (Some(policy), Some(text)) = (policy, policy_text)
                    && text != "Always"
                {
                    self.error("invalid-value", path.key("restartPolicy"), policy.at, format!("Pods of this controller always restart; restartPolicy `{text}` is not allowed"))
                            .help = Some("remove restartPolicy (it defaults to Always); for Pods that run to completion, use a Job".to_string());
                }
            }
            // batch validation validateJobSpec: "Unsupported value: Always"
            PodContext::Job => match (policy, policy_text) {
                (Some(policy), Some("Always")) => {
                    self.error("invalid-value", path.key("restartPolicy"), policy.at, "a Job's Pods must not restart forever: restartPolicy must be OnFailure or Never")
                        .suggestion = Some("Never".to_string());
                }
                (None, _) => {
                    self.error("missing-field", path.key("restartPolicy"), anchor, "a Job's Pod template needs `restartPolicy: OnFailure` or `restartPolicy: Never`")
                        .help = Some("the default, Always, is not allowed for a Job".to_string());
                }
                _ => {}
            },
            PodContext::Pod => {}
        }
    }

    /// core validation ValidateVolumes: unique DNS-label names, exactly one source, modes in range.
    fn volumes<'n>(&mut self, spec: &'n Node, path: &Path) -> Vec<&'n str> {
        let mut names = Vec::new();
        for (index, volume) in spec
            .get("volumes")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let volume_path = path.key("volumes").index(index);
            let name = volume.get("name");
            if let Some(text) = name.and_then(str_of) {
                let at = name.map_or(volume.at, |node| node.at);
                if let Some(problem) = dns1123_label(text) {
                    self.error(
                        "invalid-name",
                        volume_path.key("name"),
                        at,
                        format!("`{text}` is not a valid volume name: {problem}"),
                    );
                }
                if names.contains(&text) {
                    self.error(
                        "duplicate-name",
                        volume_path.key("name"),
                        at,
                        format!("two volumes are named `{text}`"),
                    );
                }
                names.push(text);
            }
            let sources: Vec<&Key> = volume
                .as_map()
                .iter()
                .filter(|(key, _)| key.name != "name")
                .map(|(key, _)| key)
                .collect();
            match sources.as_slice() {
                [] => {
                    self.error("missing-field", volume_path.clone(), volume.at, "a volume needs a source, such as `emptyDir: {}`, `configMap:` or `secret:`")
                        .help = Some("`emptyDir: {}` gives the Pod an empty scratch folder".to_string());
                }
                [_] => {}
                [_, second, ..] => {
                    let listed: Vec<&str> = sources.iter().map(|key| key.name.as_str()).collect();
                    self.error("one-source", volume_path.key(&second.name), second.at, format!("a volume has exactly one source; this one has {}", listed.join(", ")))
                        .help = Some("split it into one volume per source, or use a `projected` volume to combine ConfigMaps and Secrets".to_string());
                }
            }
            for source in ["configMap", "secret"] {
                if let Some(source_node) = volume.get(source) {
                    self.file_modes(source_node, &volume_path.key(source), "defaultMode");
                }
            }
            if let Some(projected) = volume.get("projected") {
                self.file_modes(projected, &volume_path.key("projected"), "defaultMode");
                for (source_index, source) in projected
                    .get("sources")
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    for (key, inner) in source.as_map() {
                        self.file_modes(
                            inner,
                            &volume_path
                                .key("projected")
                                .key("sources")
                                .index(source_index)
                                .key(&key.name),
                            "",
                        );
                    }
                }
            }
            if let Some(downward) = volume.get("downwardAPI") {
                self.file_modes(downward, &volume_path.key("downwardAPI"), "defaultMode");
            }
        }
        names
    }

    /// `defaultMode` and `items[].mode` are file permission bits: 0 to 0777 (511).
    /// core validation validateConfigMapVolumeSource &c.: "must be a number between 0 and 0777 (octal)".
    fn file_modes(&mut self, source: &Node, path: &Path, default_key: &str) {
        let check = |rules: &mut Rules, node: &Node, path: Path| {
            if let Value::Int(mode) = node.value
                && !(0..=0o777).contains(&mode)
            {
                let finding = rules.error("invalid-mode", path, node.at, format!("file mode {mode} is out of range: it must be between 0 and 0777 (octal), that is 0 to 511"));
                let digits = mode.to_string();
                if digits.len() <= 4 && digits.chars().all(|c| ('0'..='7').contains(&c)) {
                    finding.suggestion = Some(format!("0{digits}"));
                    finding.help = Some(format!(
                        "YAML reads {digits} as a decimal number; write the permission bits in octal with a leading 0 (0{digits}), or as the decimal {}",
                        i64::from_str_radix(&digits, 8).unwrap_or(0)
                    ));
                } else {
                    finding.help = Some(
                        "write the permission bits in octal with a leading 0, such as 0644"
                            .to_string(),
                    );
                }
            }
        };
        if !default_key.is_empty()
            && let Some(mode) = source.get(default_key)
        {
            check(self, mode, path.key(default_key));
        }
        for (index, item) in source
            .get("items")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if let Some(mode) = item.get("mode") {
                check(self, mode, path.key("items").index(index).key("mode"));
            }
        }
    }

    fn container(
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
                    "invalid-name",
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
                    "duplicate-name",
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
        // core validation validateContainerOnlyForPod: a Pod's containers need an image (a
        // template may leave it to be filled in by admission).
        if context == PodContext::Pod
            && container
                .get("image")
                .is_none_or(|image| image.is_null() || str_of(image) == Some(""))
        {
            let at = name.map_or(container.at, |(key, _)| key.at);
            self.error(
                "missing-field",
                path.key("image"),
                at,
                "missing required field `image`",
            )
            .help =
                Some("every container of a Pod runs an image: add `image: NAME[:TAG]`".to_string());
        }
        if let Some(policy) = container
            .get("imagePullPolicy")
            .filter(|node| !node.is_null())
            && let Some(text) = str_of(policy)
            && !["Always", "IfNotPresent", "Never"].contains(&text)
        {
            let finding = self.error(
                "invalid-value",
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

    /// core validation ValidateContainerResourceRequirements: each name is a standard container
    /// resource (cpu, memory, ephemeral-storage, hugepages-SIZE) or a domain-prefixed extended
    /// one; no amount is negative; a request is at most its limit. The amount's format is the
    /// schema's Quantity check.
    fn resources(&mut self, container: &Node, path: &Path) {
        let Some(resources) = container.get("resources") else {
            return;
        };
        let resources_path = path.key("resources");
        let amount = |node: &Node| match &node.value {
            Value::Int(number) => Some(*number as f64),
            Value::Float(number) => Some(*number),
            Value::Str(text) => quantity::parse(text),
            _ => None,
        };
        for section in ["limits", "requests"] {
            let entries = resources.get(section).map(Node::as_map).unwrap_or_default();
            for (key, value) in entries {
                let name = key.name.as_str();
                let entry_path = resources_path.key(section).key(name);
                let standard = ["cpu", "memory", "ephemeral-storage"].contains(&name)
                    || name.starts_with("hugepages-");
                if !standard && !name.contains('/') {
                    let finding = self.error(
                        "invalid-value",
                        entry_path.clone(),
                        key.at,
                        format!(
                            "`{}` is not a container resource (under `{}`)",
                            crate::text::escape_controls(name),
                            section
                        ),
                    );
                    finding.suggestion = did_you_mean(name, ["cpu", "memory", "ephemeral-storage"])
                        .map(str::to_string);
                    finding.help = Some(
                        "use cpu, memory, ephemeral-storage or hugepages-SIZE; extended resources carry a domain, such as example.com/gpu".to_string(),
                    );
                    continue;
                }
                if let Some(number) = amount(value)
                    && number < 0.0
                {
                    self.error(
                        "invalid-value",
                        entry_path.clone(),
                        value.at,
                        format!("{section}.{name} cannot be negative"),
                    )
                    .help = Some("resource amounts are zero or more".to_string());
                }
            }
        }
        let limits = resources
            .get("limits")
            .map(Node::as_map)
            .unwrap_or_default();
        let requests = resources
            .get("requests")
            .map(Node::as_map)
            .unwrap_or_default();
        for (key, request) in requests {
            let Some((_, limit)) = limits
                .iter()
                .find(|(limit_key, _)| limit_key.name == key.name)
            else {
                continue;
            };
            if let (Some(wanted), Some(most)) = (amount(request), amount(limit))
                && wanted > most
                && !quantity::same_amount(wanted, most)
            {
                let name = key.name.as_str();
                self.error(
                    "invalid-value",
                    resources_path.key("requests").key(name),
                    request.at,
                    format!(
                        "requests.{name} {} is more than limits.{name} {}",
                        written(request),
                        written(limit)
                    ),
                )
                .help = Some(format!(
                    "a container never gets more than its limit, so the API server rejects a larger request: lower requests.{name} or raise limits.{name}"
                ));
            }
        }
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
                    "forbidden-field",
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
            let handlers: Vec<(Path, &Node)> = if field == "lifecycle" {
                ["postStart", "preStop"]
                    .iter()
                    .filter_map(|hook| {
                        node.get(hook)
                            .map(|handler| (path.key(field).key(hook), handler))
                    })
                    .collect()
            } else {
                vec![(path.key(field), node)]
            };
            for (handler_path, handler) in handlers {
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
                self.error(
                    "out-of-range",
                    path,
                    port.at,
                    format!("port {number} is out of range: ports are 1 to 65535"),
                );
            }
            Value::Str(name) if number_only => {
                self.error(
                    "wrong-type",
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
                        "invalid-value",
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
                self.error("invalid-value", path.key("restartPolicy"), policy.at, format!("a regular container cannot set restartPolicy before Kubernetes 1.35 (checking against {})", self.version))
                        .help = Some("remove it to follow the Pod's restartPolicy; from 1.35 the ContainerRestartRules feature allows it".to_string());
            } else if !allowed.contains(&text) {
                let finding = self.error(
                    "invalid-value",
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
                "invalid-value",
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
                "missing-field",
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
                "out-of-range",
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
                    "invalid-value",
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
                        "invalid-value",
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
                        "out-of-range",
                        rule_path.key("exitCodes").key("values"),
                        codes.at,
                        "at most 255 exit codes are allowed in one rule",
                    );
                }
            }
        }
    }

    /// core validation ValidateEnv / validateEnvVarValueFrom.
    fn env(&mut self, container: &Node, path: &Path) {
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
                        "invalid-name",
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
                self.error("exclusive-fields", variable_path.key("valueFrom"), from_key.at, "an environment variable has `value` or `valueFrom`, not both")
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
                    self.error("one-source", from_path.clone(), from_key.at, "`valueFrom` needs exactly one source")
                        .help = Some("use one of configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef or fileKeyRef".to_string());
                }
                [_] => {}
                [_, second, ..] => {
                    let listed: Vec<&str> = sources.iter().map(|key| key.name.as_str()).collect();
                    self.error(
                        "one-source",
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
                    "invalid-value",
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
                    "invalid-value",
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
                "invalid-value",
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
    fn env_from(&mut self, container: &Node, path: &Path) {
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
                    self.error("one-source", source_path.clone(), source.at, "an `envFrom` item needs `configMapRef` or `secretRef`")
                        .help = Some("write `- configMapRef:` with `name: CONFIGMAP`, or `- secretRef:` with `name: SECRET`".to_string());
                }
                [_] => {}
                [_, second, ..] => {
                    self.error(
                        "one-source",
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
                    "invalid-value",
                    source_path.key("prefix"),
                    prefix.at,
                    format!("`{text}` is not a valid prefix: {problem}"),
                );
            }
        }
    }

    /// core validation ValidateVolumeMounts: the volume exists, mount paths are unique.
    fn volume_mounts(&mut self, container: &Node, path: &Path, volumes: &[&str]) {
        let mut mount_paths: HashSet<&str> = HashSet::new();
        for (index, mount) in container
            .get("volumeMounts")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let mount_path = path.key("volumeMounts").index(index);
            if let Some(name_node) = mount.get("name")
                && let Some(name) = str_of(name_node)
                && !volumes.contains(&name)
                && !self.claim_templates.iter().any(|claim| claim == name)
            {
                let finding = self.error(
                    "unknown-volume",
                    mount_path.key("name"),
                    name_node.at,
                    format!("no volume named `{name}` is defined in this Pod"),
                );
                finding.suggestion =
                    did_you_mean(name, volumes.iter().copied()).map(str::to_string);
                finding.help = Some(if volumes.is_empty() {
                    "add the volume under `spec.volumes` (for example `- name: NAME` with `emptyDir: {}`)".to_string()
                } else {
                    format!("the Pod's volumes are: {}", volumes.join(", "))
                });
            }
            if let Some(target) = mount.get("mountPath")
                && let Some(text) = str_of(target)
                && !mount_paths.insert(text)
            {
                self.error(
                    "duplicate-name",
                    mount_path.key("mountPath"),
                    target.at,
                    format!("two volumes are mounted at `{text}` in this container"),
                );
            }
            if let Some(sub_path) = mount.get("subPath")
                && let Some(text) = str_of(sub_path)
                && (text.starts_with('/') || text.split('/').any(|part| part == ".."))
            {
                self.error(
                    "invalid-value",
                    mount_path.key("subPath"),
                    sub_path.at,
                    "`subPath` must be a relative path without `..`",
                );
            }
        }
    }

    /// core validation validateContainerPorts.
    fn ports(&mut self, container: &Node, path: &Path) {
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
                self.error(
                    "out-of-range",
                    port_path.key("containerPort"),
                    number.at,
                    format!("port {value} is out of range: ports are 1 to 65535"),
                );
            }
            if let Some(name_node) = port.get("name")
                && let Some(name) = str_of(name_node)
            {
                if let Some(problem) = port_name(name) {
                    self.error(
                        "invalid-name",
                        port_path.key("name"),
                        name_node.at,
                        format!("`{name}` is not a valid port name: {problem}"),
                    );
                } else if !names.insert(name) {
                    self.error(
                        "duplicate-name",
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
                            "duplicate-port",
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

    fn protocol(&mut self, port: &Node, path: &Path) {
        if let Some(protocol) = port.get("protocol")
            && let Some(text) = str_of(protocol)
            && !["TCP", "UDP", "SCTP"].contains(&text)
        {
            let finding = self.error(
                "invalid-value",
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

    // ---- ConfigMap and Secret -------------------------------------------------------------

    /// core validation ValidateConfigMap: valid keys, a key in only one of data and binaryData,
    /// binaryData is base64, 1 MiB in all.
    fn config_map(&mut self, root: &Node) {
        let data = root.get("data");
        let binary = root.get("binaryData");
        let mut total = 0usize;
        for (key, value) in data.map(Node::as_map).unwrap_or_default() {
            self.data_key(key, &Path::root().key("data").key(&key.name));
            if let Some(text) = str_of(value) {
                total += key.name.len() + text.len();
            }
        }
        for (key, value) in binary.map(Node::as_map).unwrap_or_default() {
            let path = Path::root().key("binaryData").key(&key.name);
            self.data_key(key, &path);
            if data.is_some_and(|data| data.get(&key.name).is_some()) {
                self.error("duplicate-key", path.clone(), key.at, format!("the key `{}` is in both `data` and `binaryData`", key.name))
                    .help = Some("a key lives in one of the two maps: text in data, base64-encoded bytes in binaryData".to_string());
            }
            if let Some(text) = str_of(value) {
                match decode_base64(text) {
                    Ok(bytes) => total += key.name.len() + bytes.len(),
                    Err(()) => {
                        self.error("invalid-base64", path, value.at, "`binaryData` values are base64; this one is not valid base64")
                            .help = Some("put plain text under `data` instead, or encode the bytes with `base64 -w0 FILE`".to_string());
                    }
                }
            }
        }
        if total > 1024 * 1024 {
            self.error(
                "too-large",
                Path::root(),
                root.at,
                format!("a ConfigMap holds at most 1 MiB of data; this one has {total} bytes"),
            )
            .help = Some("mount large files from a volume or an image instead".to_string());
        }
    }

    fn data_key(&mut self, key: &Key, path: &Path) {
        if let Some(problem) = config_map_key(&key.name) {
            self.error(
                "invalid-key",
                path.clone(),
                key.at,
                format!(
                    "`{}` is not a valid key: {problem}",
                    crate::text::escape_controls(&key.name)
                ),
            )
            .help = Some(
                "keys use letters, digits, '-', '_' and '.' (at most 253 characters)".to_string(),
            );
        }
    }

    /// core validation ValidateSecret: valid keys, base64 data, the keys each type requires.
    fn secret(&mut self, root: &Node) {
        let data = root.get("data");
        let string_data = root.get("stringData");
        let mut keys: HashSet<&str> = HashSet::new();
        for (key, value) in data.map(Node::as_map).unwrap_or_default() {
            let path = Path::root().key("data").key(&key.name);
            self.data_key(key, &path);
            keys.insert(&key.name);
            if let Some(text) = str_of(value)
                && decode_base64(text).is_err()
            {
                let finding = self.error(
                    "invalid-base64",
                    path,
                    value.at,
                    "Secret `data` values are base64-encoded; this one is not valid base64",
                );
                // Never echo the value back: it is a secret, and a terminal's scrollback is not
                // the place for it.
                finding.help = Some(
                    "if this is the plain value, move it under `stringData:` and the API server encodes it; if it is meant to be base64, look for a stray character or missing `=` padding".to_string(),
                );
            }
        }
        for (key, _) in string_data.map(Node::as_map).unwrap_or_default() {
            self.data_key(key, &Path::root().key("stringData").key(&key.name));
            keys.insert(&key.name);
        }
        let Some(type_node) = root.get("type") else {
            return;
        };
        let Some(secret_type) = str_of(type_node) else {
            return;
        };
        let required: &[&[&str]] = match secret_type {
            "kubernetes.io/tls" => &[&["tls.crt"], &["tls.key"]],
            "kubernetes.io/dockerconfigjson" => &[&[".dockerconfigjson"]],
            "kubernetes.io/dockercfg" => &[&[".dockercfg"]],
            "kubernetes.io/basic-auth" => &[&["username", "password"]],
            "kubernetes.io/ssh-auth" => &[&["ssh-privatekey"]],
            _ => &[],
        };
        for alternatives in required {
            if !alternatives.iter().any(|key| keys.contains(key)) {
                let wanted = alternatives
                    .iter()
                    .map(|key| format!("`{key}`"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                self.error(
                    "missing-key",
                    Path::root().key("data").key(alternatives[0]),
                    type_node.at,
                    format!("a Secret of type {secret_type} needs the key {wanted}"),
                )
                .help = Some(format!(
                    "add {wanted} under `data` (base64) or `stringData` (plain text)"
                ));
            }
        }
        // core validation ValidateSecret: the docker config keys hold JSON.
        for (secret_kind, key) in [
            ("kubernetes.io/dockerconfigjson", ".dockerconfigjson"),
            ("kubernetes.io/dockercfg", ".dockercfg"),
        ] {
            if secret_type != secret_kind {
                continue;
            }
            let encoded = data
                .and_then(|data| data.get(key))
                .and_then(str_of)
                .map(|text| {
                    (
                        decode_base64(text).ok(),
                        Path::root().key("data").key(key),
                        data.and_then(|data| data.get(key)),
                    )
                });
            let plain = string_data
                .and_then(|data| data.get(key))
                .and_then(str_of)
                .map(|text| {
                    (
                        Some(text.as_bytes().to_vec()),
                        Path::root().key("stringData").key(key),
                        string_data.and_then(|data| data.get(key)),
                    )
                });
            if let Some((Some(bytes), path, Some(node))) = plain.or(encoded)
                && serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes)
                    .is_err()
            {
                self.error("invalid-value", path, node.at, format!("the `{key}` of a {secret_kind} Secret must be a JSON object"))
                    .help = Some("`kubectl create secret docker-registry NAME --docker-server=… --docker-username=… --docker-password=…` writes it for you".to_string());
            }
        }
        if secret_type == "kubernetes.io/service-account-token"
            && root
                .at_path(&[
                    "metadata",
                    "annotations",
                    "kubernetes.io/service-account.name",
                ])
                .is_none()
        {
            self.error("missing-key", Path::root().key("metadata").key("annotations").key("kubernetes.io/service-account.name"), type_node.at, "a service-account-token Secret needs the annotation `kubernetes.io/service-account.name`");
        }
    }

    // ---- Service ------------------------------------------------------------------------------

    /// core validation ValidateService.
    fn service(&mut self, spec: &Node, path: &Path, anchor: Pos) {
        const TYPES: [&str; 4] = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
        let service_type = spec.get("type").and_then(str_of).unwrap_or("ClusterIP");
        if let Some(type_node) = spec.get("type")
            && str_of(type_node).is_some_and(|text| !TYPES.contains(&text))
        {
            let finding = self.error(
                "invalid-value",
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
                "missing-field",
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
                        "duplicate-name",
                        port_path.key("name"),
                        port.at,
                        format!("two ports are named `{name}`"),
                    );
                }
                Some(_) => {}
                None if ports.len() > 1 => {
                    self.error(
                        "missing-field",
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
                    "out-of-range",
                    port_path.key("port"),
                    number.at,
                    format!("port {value} is out of range: ports are 1 to 65535"),
                );
            }
            if let Some(target) = port.get("targetPort") {
                match &target.value {
                    Value::Int(value) if !(1..=65535).contains(value) => {
                        self.error(
                            "out-of-range",
                            port_path.key("targetPort"),
                            target.at,
                            format!("port {value} is out of range: ports are 1 to 65535"),
                        );
                    }
                    Value::Str(name) => {
                        if let Some(problem) = port_name(name) {
                            let finding = self.error(
                                "invalid-value",
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
                        "invalid-value",
                        port_path.key("nodePort"),
                        node_port.at,
                        "`nodePort` needs a Service of type NodePort or LoadBalancer",
                    )
                    .help = Some("add `type: NodePort` to the spec".to_string());
                } else if !(30000..=32767).contains(&value) {
                    self.error(
                        "out-of-range",
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
                            "duplicate-port",
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
}

#[derive(Debug, Clone, Copy)]
enum Surge {
    Count(i64),
    Percent(i64),
}

impl Surge {
    fn is_zero(self) -> bool {
        matches!(self, Surge::Count(0) | Surge::Percent(0))
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

/// Accepts standard base64 with padding, as Go's encoding/json does for []byte. Like Go's
/// decoder it skips line breaks, so base64 wrapped at 76 columns (as `base64` prints it) is fine.
fn decode_base64(text: &str) -> Result<Vec<u8>, ()> {
    let joined: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    base64::engine::general_purpose::STANDARD
        .decode(joined)
        .map_err(|_| ())
}

// ---- name rules (apimachinery pkg/util/validation/validation.go) ------------------------------

fn is_alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters. IsDNS1123Label.
pub fn dns1123_label(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if name.len() > 63 {
        return Some(format!(
            "it has {} characters, at most 63 are allowed",
            name.len()
        ));
    }
    if let Some(bad) = name.chars().find(|c| !is_alnum_lower(*c) && *c != '-') {
        return Some(if bad.is_ascii_uppercase() {
            "it has uppercase letters".to_string()
        } else {
            format!("it contains {bad:?}")
        });
    }
    if !name.starts_with(is_alnum_lower) || !name.ends_with(is_alnum_lower) {
        return Some("it must start and end with a lowercase letter or digit".to_string());
    }
    None
}

/// DNS-1123 labels joined by dots, at most 253 characters. IsDNS1123Subdomain.
pub fn dns1123_subdomain(name: &str) -> Option<String> {
    if name.len() > 253 {
        return Some(format!(
            "it has {} characters, at most 253 are allowed",
            name.len()
        ));
    }
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !is_alnum_lower(*c) && *c != '-' && *c != '.')
    {
        return Some(if bad.is_ascii_uppercase() {
            "it has uppercase letters".to_string()
        } else {
            format!("it contains {bad:?}")
        });
    }
    name.split('.').find_map(|part| {
        (part.is_empty() || !part.starts_with(is_alnum_lower) || !part.ends_with(is_alnum_lower))
            .then(|| {
                "each dot-separated part must start and end with a lowercase letter or digit"
                    .to_string()
            })
    })
}

/// Like a DNS-1123 label but starting with a letter. IsDNS1035Label.
fn dns1035_label(name: &str) -> Option<String> {
    dns1123_label(name).or_else(|| {
        (!name.starts_with(|c: char| c.is_ascii_lowercase()))
            .then(|| "it must start with a lowercase letter".to_string())
    })
}

/// path.IsValidPathSegmentName.
fn path_segment(name: &str) -> Option<String> {
    if name == "." || name == ".." {
        return Some("it may not be '.' or '..'".to_string());
    }
    name.contains(['/', '%'])
        .then(|| "it may not contain '/' or '%'".to_string())
}

/// `[prefix/]name`, the name `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` of at most 63 characters.
/// IsQualifiedName (label and annotation keys).
pub fn qualified_name(key: &str) -> Option<String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if key.matches('/').count() > 1 {
            return Some("it may contain at most one '/'".to_string());
        }
        if let Some(problem) = dns1123_subdomain(prefix) {
            return Some(format!(
                "its prefix `{prefix}` is not a DNS subdomain ({problem})"
            ));
        }
    }
    if name.is_empty() {
        return Some("the name part is empty".to_string());
    }
    if name.len() > 63 {
        return Some(format!(
            "the name part has {} characters, at most 63 are allowed",
            name.len()
        ));
    }
    label_chars(name)
}

fn label_chars(text: &str) -> Option<String> {
    if let Some(bad) = text
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && !matches!(c, '-' | '_' | '.'))
    {
        return Some(format!("it contains {bad:?}"));
    }
    if !text.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !text.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Some("it must start and end with a letter or digit".to_string());
    }
    None
}

/// IsValidLabelValue: empty, or at most 63 characters of the label charset.
fn label_value(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    if value.len() > 63 {
        return Some(format!(
            "it has {} characters, at most 63 are allowed",
            value.len()
        ));
    }
    label_chars(value)
}

/// IsConfigMapKey: `[-._a-zA-Z0-9]+`, at most 253 characters, not `.` or `..`.
fn config_map_key(key: &str) -> Option<String> {
    if key.is_empty() {
        return Some("it is empty".to_string());
    }
    if key.len() > 253 {
        return Some("it has more than 253 characters".to_string());
    }
    if key == "." || key == ".." {
        return Some("it may not be '.' or '..'".to_string());
    }
    key.chars()
        .find(|c| !c.is_ascii_alphanumeric() && !matches!(c, '-' | '_' | '.'))
        .map(|bad| format!("it contains {bad:?}"))
}

/// Environment variable names. Strict (IsEnvVarName): `[-._a-zA-Z][-._a-zA-Z0-9]*`. Relaxed
/// (IsRelaxedEnvVarName, [`Feature::RelaxedEnvVarNames`]): printable ASCII except `=`.
fn env_var_name(name: &str, relaxed: bool) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if relaxed {
        return name
            .chars()
            .find(|c| !(' '..='~').contains(c) || *c == '=')
            .map(|bad| {
                format!(
                    "it contains {bad:?}; a name may use any printable ASCII character except '='"
                )
            });
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Some("it may not start with a digit".to_string());
    }
    name.chars()
        .find(|c| !c.is_ascii_alphanumeric() && !matches!(c, '-' | '_' | '.'))
        .map(|bad| format!("it contains {bad:?}"))
}

/// IsValidPortName (IANA_SVC_NAME): at most 15 lowercase letters, digits and '-', at least one
/// letter, no leading, trailing or double '-'.
fn port_name(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > 15 {
        return Some("a port name has 1 to 15 characters".to_string());
    }
    if name.chars().any(|c| !is_alnum_lower(c) && c != '-') {
        return Some("a port name uses lowercase letters, digits and '-'".to_string());
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        return Some("a port name needs at least one letter".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Some("a port name may not start or end with '-' or contain '--'".to_string());
    }
    None
}

/// A valid name close to an invalid one: `My_App` → `my-app`.
fn suggest_dns_name(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            _ if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    let out = out
        .trim_end_matches('-')
        .chars()
        .take(63)
        .collect::<String>();
    (dns1123_label(&out).is_none()).then_some(out)
}

/// Whether a metadata map has a key that is a misspelling of `name` (`nmae`, `Name`).
fn misspelt_name(metadata: &Node) -> bool {
    match &metadata.value {
        Value::Map(entries) => entries.iter().any(|(key, _)| {
            key.name != "name" && crate::text::did_you_mean(&key.name, ["name"]) == Some("name")
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules_match_the_api_server() {
        assert_eq!(dns1123_label("web-1"), None);
        assert!(dns1123_label("Web").unwrap().contains("uppercase"));
        assert!(dns1123_label("-web").is_some());
        assert!(dns1123_label(&"a".repeat(64)).is_some());
        assert_eq!(dns1123_subdomain("app.example.com"), None);
        assert!(dns1123_subdomain("app..com").is_some());
        assert!(dns1035_label("1web").is_some());
        assert_eq!(qualified_name("app.kubernetes.io/name"), None);
        assert!(qualified_name("a/b/c").is_some());
        assert!(qualified_name("my label").is_some());
        assert_eq!(label_value(""), None);
        assert!(label_value("-x").is_some());
        assert_eq!(config_map_key("APP_COLOR"), None);
        assert_eq!(config_map_key("nginx.conf"), None);
        assert!(config_map_key("a/b").is_some());
        assert_eq!(port_name("http"), None);
        assert!(port_name("8080").is_some());
        assert!(port_name("my-very-long-port-name").is_some());
        assert_eq!(suggest_dns_name("My_App").as_deref(), Some("my-app"));
    }

    #[test]
    fn environment_variable_names_follow_the_version() {
        assert_eq!(env_var_name("APP_COLOR", false), None);
        assert!(env_var_name("1ST", false).is_some());
        assert_eq!(env_var_name("1ST", true), None);
        assert_eq!(env_var_name("my var:x", true), None);
        assert!(env_var_name("A=B", true).is_some());
        assert!(env_var_name("tab\there", true).is_some());
    }

    #[test]
    fn field_paths_for_env_are_the_documented_ones() {
        assert!(env_field_path_supported("metadata.name"));
        assert!(env_field_path_supported("status.podIP"));
        assert!(env_field_path_supported("metadata.labels['app']"));
        assert!(!env_field_path_supported("metadata.labels"));
        assert!(!env_field_path_supported("spec.containers"));
    }

    #[test]
    fn base64_is_strict() {
        assert_eq!(decode_base64("cGFzc3dvcmQxMjM=").unwrap(), b"password123");
        assert!(decode_base64("password123").is_err());
        assert!(decode_base64("cGFzc3dvcmQxMjM").is_err());
    }
}
