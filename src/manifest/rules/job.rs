//! A Job's own fields (batch validation validateJobSpec, validatePodFailurePolicy,
//! validatePodFailurePolicyRuleOnExitCodes, validateSuccessPolicy,
//! validatePodReplacementPolicy): counts and deadlines that cannot be negative, the completion
//! mode and what an Indexed Job needs, per-index limits and success policies that only an
//! Indexed Job may have, and the shape of a pod failure policy. Also a CronJob's
//! `jobTemplate.spec`. The template's restartPolicy is checked by [`pod`](super::pod);
//! parallelism, completions and backoffLimit by [`workload`](super::workload).

use std::collections::HashSet;

use super::fields::{has, int, int_field};
use super::names::{dns1123_label, dns1123_subdomain};
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::Node;

/// batch validation maxParallelismForIndexedJob and maxFailedIndexesForIndexedJob.
const MAX_INDEXED: i64 = 100_000;

impl Rules {
    /// batch validation ValidateJob: an Indexed Job's Pods get the hostname NAME-INDEX, which
    /// must be a DNS label for the highest index ("will not able to create pod with invalid
    /// DNS label"). A Job of a CronJob's template is named by the controller, so only a Job.
    pub(super) fn indexed_job_name(&mut self, root: &Node) {
        let Some(spec) = root.get("spec") else {
            return;
        };
        let (Some(name_node), Some(completions)) = (
            root.at_path(&["metadata", "name"]),
            int_field(spec, "completions"),
        ) else {
            return;
        };
        if spec.get("completionMode").and_then(str_of) != Some("Indexed") || completions <= 0 {
            return;
        }
        let Some(name) = str_of(name_node) else {
            return;
        };
        let hostname = format!("{name}-{}", completions - 1);
        // A name that is not even a subdomain was reported by metadata.
        if dns1123_subdomain(name).is_none()
            && let Some(problem) = dns1123_label(&hostname)
        {
            self.error(
                Rule::InvalidName,
                Path::root().key("metadata").key("name"),
                name_node.at,
                format!(
                    "an Indexed Job's Pods take the hostname `{}`, which is not a DNS label: {problem}",
                    crate::text::escape_controls(&hostname)
                ),
            )
            .help = Some("the hostname is the Job's name, '-' and the index, at most 63 characters without dots: shorten the name".to_string());
        }
    }

    pub(super) fn job(&mut self, spec: &Node, path: &Path) {
        for field in [
            "activeDeadlineSeconds",
            "ttlSecondsAfterFinished",
            "backoffLimitPerIndex",
            "maxFailedIndexes",
        ] {
            self.non_negative(spec, field, path);
        }
        let mode = self.enum_field(spec, "completionMode", path, &["NonIndexed", "Indexed"]);
        let indexed = mode == Some("Indexed");
        let completions = int_field(spec, "completions");
        if indexed {
            if !has(spec, "completions") {
                let at = spec.get("completionMode").map_or(spec.at, |node| node.at);
                self.error(
                    Rule::MissingField,
                    path.key("completions"),
                    at,
                    "`completions` is required when `completionMode` is Indexed",
                )
                .help = Some("an Indexed Job gives its Pods the indexes 0 to completions-1: set `completions`".to_string());
            }
            if let Some(node) = spec.get("parallelism")
                && int(node).is_some_and(|parallelism| parallelism > MAX_INDEXED)
            {
                self.error(
                    Rule::OutOfRange,
                    path.key("parallelism"),
                    node.at,
                    "an Indexed Job's `parallelism` cannot be more than 100000",
                );
            }
            if let Some(node) = spec.get("maxFailedIndexes")
                && let Some(max) = int(node)
            {
                if let Some(completions) = completions
                    && max > completions
                {
                    self.error(
                        Rule::OutOfRange,
                        path.key("maxFailedIndexes"),
                        node.at,
                        format!("`maxFailedIndexes` ({max}) cannot be more than `completions` ({completions})"),
                    );
                } else if max > MAX_INDEXED {
                    self.error(
                        Rule::OutOfRange,
                        path.key("maxFailedIndexes"),
                        node.at,
                        "`maxFailedIndexes` cannot be more than 100000",
                    );
                }
            }
        } else {
            // "requires indexed completion mode"
            for field in ["backoffLimitPerIndex", "maxFailedIndexes", "successPolicy"] {
                if let Some((key, _)) = spec.entry(field).filter(|(_, node)| !node.is_null()) {
                    self.error(
                        Rule::InvalidValue,
                        path.key(field),
                        key.at,
                        format!("`{field}` needs `completionMode: Indexed`"),
                    )
                    .help = Some("per-index limits and success policies count indexes, which only an Indexed Job has: add `completionMode: Indexed` and `completions`".to_string());
                }
            }
        }
        if let Some((key, _)) = spec
            .entry("maxFailedIndexes")
            .filter(|(_, node)| !node.is_null())
            && !has(spec, "backoffLimitPerIndex")
        {
            self.error(
                Rule::MissingField,
                path.key("backoffLimitPerIndex"),
                key.at,
                "`maxFailedIndexes` needs `backoffLimitPerIndex`",
            );
        }
        let failure_policy = spec.get("podFailurePolicy").filter(|node| !node.is_null());
        if let Some(policy) = failure_policy {
            self.pod_failure_policy(spec, policy, path);
        }
        if let Some(replacement) = spec.get("podReplacementPolicy")
            && let Some(text) = str_of(replacement)
        {
            if failure_policy.is_some() {
                if text != "Failed" {
                    self.error(
                        Rule::InvalidValue,
                        path.key("podReplacementPolicy"),
                        replacement.at,
                        "with a `podFailurePolicy`, `podReplacementPolicy` must be Failed",
                    )
                    .suggestion = Some("Failed".to_string());
                }
            } else {
                self.enum_field(
                    spec,
                    "podReplacementPolicy",
                    path,
                    &["TerminatingOrFailed", "Failed"],
                );
            }
        }
        if indexed && let Some(policy) = spec.get("successPolicy") {
            self.success_policy(policy, &path.key("successPolicy"), completions);
        }
    }

    /// `job_path` is the Job spec's path.
    fn pod_failure_policy(&mut self, spec: &Node, policy: &Node, job_path: &Path) {
        let path = &job_path.key("podFailurePolicy");
        // "only Never is supported when podFailurePolicy is specified"
        if let Some(restart) = spec.at_path(&["template", "spec", "restartPolicy"])
            && str_of(restart) == Some("OnFailure")
        {
            let finding = self.error(
                Rule::InvalidValue,
                job_path.key("template").key("spec").key("restartPolicy"),
                restart.at,
                "a Job with a `podFailurePolicy` needs `restartPolicy: Never`",
            );
            finding.suggestion = Some("Never".to_string());
            finding.help = Some("the policy judges each failed Pod, so a failed container must not be restarted in place".to_string());
        }
        let names: HashSet<&str> = ["containers", "initContainers"]
            .iter()
            .flat_map(|list| {
                spec.at_path(&["template", "spec", list])
                    .map(Node::as_seq)
                    .unwrap_or_default()
            })
            .filter_map(|container| container.get("name").and_then(str_of))
            .collect();
        let Some((rules_key, rules)) = policy.entry("rules") else {
            return;
        };
        let rules_path = path.key("rules");
        let rules = rules.as_seq();
        if rules.len() > 20 {
            self.error(
                Rule::OutOfRange,
                rules_path.clone(),
                rules_key.at,
                format!(
                    "at most 20 pod failure policy rules are allowed, found {}",
                    rules.len()
                ),
            );
        }
        for (index, rule) in rules.iter().enumerate() {
            let rule_path = rules_path.index(index);
            let action = self.enum_field(
                rule,
                "action",
                &rule_path,
                &["Count", "FailIndex", "FailJob", "Ignore"],
            );
            if action == Some("FailIndex") && !has(spec, "backoffLimitPerIndex") {
                let at = rule.get("action").map_or(rule.at, |node| node.at);
                self.error(
                    Rule::InvalidValue,
                    rule_path.key("action"),
                    at,
                    "the action FailIndex needs `backoffLimitPerIndex`",
                )
                .help = Some("FailIndex fails one index of an Indexed Job: set `backoffLimitPerIndex` (and `completionMode: Indexed`)".to_string());
            }
            let exit_codes = rule
                .entry("onExitCodes")
                .filter(|(_, node)| !node.is_null());
            let conditions = rule
                .entry("onPodConditions")
                .filter(|(_, node)| !node.as_seq().is_empty());
            match (exit_codes, conditions) {
                (Some(_), Some((key, _))) => {
                    self.error(
                        Rule::ExclusiveFields,
                        rule_path.key("onPodConditions"),
                        key.at,
                        "a pod failure policy rule has `onExitCodes` or `onPodConditions`, not both",
                    )
                    .help = Some("split it into two rules".to_string());
                }
                (None, None) => {
                    self.error(
                        Rule::MissingField,
                        rule_path.clone(),
                        rule.at,
                        "a pod failure policy rule needs `onExitCodes` or `onPodConditions`",
                    );
                }
                _ => {}
            }
            if let Some((_, codes)) = exit_codes {
                self.on_exit_codes(codes, &rule_path.key("onExitCodes"), &names);
            }
            if let Some((_, patterns)) = conditions {
                for (position, pattern) in patterns.as_seq().iter().enumerate() {
                    self.enum_field(
                        pattern,
                        "status",
                        &rule_path.key("onPodConditions").index(position),
                        &["True", "False", "Unknown"],
                    );
                }
            }
        }
    }

    fn on_exit_codes(&mut self, codes: &Node, path: &Path, names: &HashSet<&str>) {
        let operator = self.enum_field(codes, "operator", path, &["In", "NotIn"]);
        if let Some(node) = codes.get("containerName")
            && let Some(name) = str_of(node)
            && !names.is_empty()
            && !names.contains(name)
        {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("containerName"),
                node.at,
                format!(
                    "`{}` is not a container of this Job's Pod template",
                    crate::text::escape_controls(name)
                ),
            );
            finding.suggestion =
                crate::text::did_you_mean(name, names.iter().copied()).map(str::to_string);
        }
        let Some((values_key, values)) = codes.entry("values") else {
            return;
        };
        let values_path = path.key("values");
        let items = values.as_seq();
        if items.is_empty() {
            self.error(
                Rule::MissingField,
                values_path.clone(),
                values_key.at,
                "`onExitCodes.values` needs at least one exit code",
            );
        } else if items.len() > 255 {
            self.error(
                Rule::OutOfRange,
                values_path.clone(),
                values_key.at,
                "at most 255 exit codes are allowed in one rule",
            );
        }
        let mut seen = HashSet::new();
        let mut previous: Option<i64> = None;
        let mut ordered = true;
        for (index, item) in items.iter().enumerate() {
            let Some(code) = int(item) else {
                continue;
            };
            if operator == Some("In") && code == 0 {
                self.error(
                    Rule::InvalidValue,
                    values_path.index(index),
                    item.at,
                    "exit code 0 (success) cannot be matched with the In operator",
                );
            }
            if !seen.insert(code) {
                self.error(
                    Rule::DuplicateName,
                    values_path.index(index),
                    item.at,
                    format!("exit code {code} is listed twice"),
                );
            }
            if previous.is_some_and(|previous| previous > code) {
                ordered = false;
            }
            previous = Some(code);
        }
        if !ordered {
            self.error(
                Rule::InvalidValue,
                values_path,
                values_key.at,
                "exit codes must be listed in increasing order",
            );
        }
    }

    fn success_policy(&mut self, policy: &Node, path: &Path, completions: Option<i64>) {
        let rules = policy.get("rules").map(Node::as_seq).unwrap_or_default();
        if rules.is_empty() {
            let at = policy.entry("rules").map_or(policy.at, |(key, _)| key.at);
            self.error(
                Rule::MissingField,
                path.key("rules"),
                at,
                "a success policy needs at least one rule",
            );
        } else if rules.len() > 20 {
            self.error(
                Rule::OutOfRange,
                path.key("rules"),
                policy.at,
                format!(
                    "at most 20 success policy rules are allowed, found {}",
                    rules.len()
                ),
            );
        }
        for (index, rule) in rules.iter().enumerate() {
            let rule_path = path.key("rules").index(index);
            if !has(rule, "succeededCount") && !has(rule, "succeededIndexes") {
                self.error(
                    Rule::MissingField,
                    rule_path.clone(),
                    rule.at,
                    "a success policy rule needs `succeededCount` or `succeededIndexes`",
                );
            }
            self.non_negative(rule, "succeededCount", &rule_path);
            if let Some(node) = rule.get("succeededCount")
                && let (Some(count), Some(completions)) = (int(node), completions)
                && count > completions
            {
                self.error(
                    Rule::OutOfRange,
                    rule_path.key("succeededCount"),
                    node.at,
                    format!(
                        "`succeededCount` ({count}) cannot be more than `completions` ({completions})"
                    ),
                );
            }
        }
    }
}
