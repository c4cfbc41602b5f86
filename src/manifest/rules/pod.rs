//! A Pod spec, whether a Pod's own or a workload's template: its volumes and containers (each
//! handed to its subject), container names unique across containers and initContainers, the
//! `restartPolicy` and `activeDeadlineSeconds` the kind around the spec allows ([`PodContext`]),
//! ephemeral containers (never in a manifest), DNS policy; scheduling and security have subjects
//! of their own ([`scheduling`](super::scheduling), [`security`](super::security)).

use std::collections::HashSet;

use super::{PodContext, Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Pos, Value};
use crate::text::did_you_mean;

impl Rules {
    /// `anchor` is the `spec:` key, where a missing field of the spec is reported.
    pub(super) fn pod_spec(&mut self, spec: &Node, path: &Path, context: PodContext, anchor: Pos) {
        let volumes: Vec<&str> = self.volumes(spec, path);
        // core validation validatePodSpec → validateContainers / validateInitContainers:
        // container names are unique across every kind of container in the Pod.
        let mut names: HashSet<String> = HashSet::new();
        let containers = spec.get("containers");
        if let Some(containers) = containers
            && matches!(containers.value, Value::Seq(ref items) if items.is_empty())
        {
            self.error(
                Rule::MissingField,
                path.key("containers"),
                containers.at,
                "a Pod needs at least one container",
            )
            .help = Some("add a container with `name` and `image`".to_string());
        }
        // Regular containers first: validateInitContainers checks each init container against
        // the regular containers' names, so a clash is reported on the init container.
        for (list, index, container) in pod_containers(spec) {
            let container_path = path.key(list).index(index);
            self.container(
                container,
                &container_path,
                &volumes,
                &mut names,
                list == "initContainers",
                context,
            );
        }
        // core validation ValidatePodCreate ("cannot be set on create") and ValidatePodTemplateSpec
        // ("ephemeral containers not allowed in pod template").
        if let Some((key, node)) = spec.entry("ephemeralContainers")
            && !node.as_seq().is_empty()
        {
            self.error(
                Rule::ForbiddenField,
                path.key("ephemeralContainers"),
                key.at,
                "`ephemeralContainers` cannot be written in a manifest",
            )
            .help = Some("ephemeral containers are added to a running Pod, with `kubectl debug`; remove them here".to_string());
        }
        self.active_deadline(spec, path, context);
        self.sleep_hooks(spec, path);
        // core validation validateDNSPolicy and validatePodDNSConfig.
        if self.defaulted_enum(
            spec,
            "dnsPolicy",
            path,
            &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
        ) == Some("None")
            && spec
                .get("dnsConfig")
                .and_then(|config| config.get("nameservers"))
                .is_none_or(|servers| servers.as_seq().is_empty())
        {
            // Reported at the dnsConfig key when there is one, else at dnsPolicy.
            let (field, at) = match spec.entry("dnsConfig") {
                Some((key, _)) => (path.key("dnsConfig").key("nameservers"), key.at),
                None => (
                    path.key("dnsConfig"),
                    spec.entry("dnsPolicy").map_or(anchor, |(key, _)| key.at),
                ),
            };
            self.error(
                Rule::MissingField,
                field,
                at,
                "`dnsPolicy: None` needs a `dnsConfig` with at least one nameserver",
            );
        }
        self.scheduling(spec, path);
        self.pod_security(spec, path);
        let policy = spec.get("restartPolicy");
        // "" is defaulted to Always, as an absent policy is (v1 SetDefaults_PodSpec).
        let policy = policy.filter(|node| str_of(node) != Some(""));
        let policy_text = policy.and_then(str_of);
        if let (Some(policy), Some(text)) = (policy, policy_text) {
            // core validation validateRestartPolicy
            if !["Always", "OnFailure", "Never"].contains(&text) {
                let finding = self.error(
                    Rule::InvalidValue,
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
            // apps validation ValidatePodTemplateSpecForReplicaSet / Deployment / DaemonSet /
            // StatefulSet; core validation ValidatePodTemplateSpecForRC.
            PodContext::AlwaysRestart | PodContext::StatefulSet => {
                if let (Some(policy), Some(text)) = (policy, policy_text)
                    && text != "Always"
                {
                    self.error(Rule::InvalidValue, path.key("restartPolicy"), policy.at, format!("Pods of this controller always restart; restartPolicy `{text}` is not allowed"))
                            .help = Some("remove restartPolicy (it defaults to Always); for Pods that run to completion, use a Job".to_string());
                }
            }
            // batch validation validateJobSpec: "Unsupported value: Always"
            PodContext::Job => match (policy, policy_text) {
                (Some(policy), Some("Always")) => {
                    self.error(Rule::InvalidValue, path.key("restartPolicy"), policy.at, "a Job's Pods must not restart forever: restartPolicy must be OnFailure or Never")
                        .suggestion = Some("Never".to_string());
                }
                (None, _) => {
                    self.error(Rule::MissingField, path.key("restartPolicy"), anchor, "a Job's Pod template needs `restartPolicy: OnFailure` or `restartPolicy: Never`")
                        .help = Some("the default, Always, is not allowed for a Job".to_string());
                }
                _ => {}
            },
            PodContext::Pod | PodContext::Template => {}
        }
    }

    /// core validation validateSleepAction: a lifecycle hook sleeps at most the Pod's
    /// terminationGracePeriodSeconds (30 when left out; 0 is allowed since
    /// PodLifecycleSleepActionAllowZero). Negative seconds are the handler's check.
    fn sleep_hooks(&mut self, spec: &Node, path: &Path) {
        let grace = match spec.get("terminationGracePeriodSeconds") {
            None => 30,
            Some(node) => match node.value {
                Value::Int(grace) => grace,
                _ => return,
            },
        };
        for (list, index, container) in pod_containers(spec) {
            for hook in ["postStart", "preStop"] {
                let Some(seconds) = container.at_path(&["lifecycle", hook, "sleep", "seconds"])
                else {
                    continue;
                };
                if let Value::Int(number) = seconds.value
                    && number > grace
                {
                    self.error(
                        Rule::OutOfRange,
                        path.key(list)
                            .index(index)
                            .key("lifecycle")
                            .key(hook)
                            .key("sleep")
                            .key("seconds"),
                        seconds.at,
                        format!("the {hook} hook sleeps {number} seconds, longer than the Pod's terminationGracePeriodSeconds ({grace})"),
                    )
                    .help = Some("the kubelet kills the container when the grace period ends: sleep less, or raise `terminationGracePeriodSeconds` (30 by default)".to_string());
                }
            }
        }
    }

    /// A controller whose Pods always restart forbids `activeDeadlineSeconds` in its template
    /// (apps validation ValidatePodTemplateSpecForReplicaSet &c.: "activeDeadlineSeconds in
    /// ReplicaSet is not Supported"); elsewhere it is 1 to 2147483647 (core validation
    /// ValidatePodSpec).
    fn active_deadline(&mut self, spec: &Node, path: &Path, context: PodContext) {
        let Some((key, node)) = spec
            .entry("activeDeadlineSeconds")
            .filter(|(_, node)| !node.is_null())
        else {
            return;
        };
        if context.always_restarts() {
            self.error(
                Rule::ForbiddenField,
                path.key("activeDeadlineSeconds"),
                key.at,
                "`activeDeadlineSeconds` may not be set in the Pod template of a controller whose Pods always restart",
            )
            .help = Some("a deadline would stop Pods the controller must keep running: remove it (a Job's Pods may have one)".to_string());
        } else if matches!(node.value, Value::Int(_)) {
            self.in_range(spec, "activeDeadlineSeconds", path, 1, i64::from(i32::MAX));
        }
    }
}

/// A Pod spec's containers, then its init containers: each with its list's name and its index.
pub(super) fn pod_containers(spec: &Node) -> impl Iterator<Item = (&'static str, usize, &Node)> {
    ["containers", "initContainers"]
        .into_iter()
        .flat_map(move |list| {
            spec.get(list)
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(move |(index, container)| (list, index, container))
        })
}
