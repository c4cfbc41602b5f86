//! A Pod spec, whether a Pod's own or a workload's template: its volumes and containers (each
//! handed to its subject), container names unique across containers and initContainers, and the
//! `restartPolicy` the kind around the spec allows ([`PodContext`]).

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
            // apps validation ValidatePodTemplateSpecForReplicaSet / Deployment / DaemonSet / StatefulSet
            PodContext::AlwaysRestart => {
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
            PodContext::Pod => {}
        }
    }
}
