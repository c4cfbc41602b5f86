//! What a probe and a lifecycle hook hold: exactly one handler (core validation
//! validateHandler), an exec handler's command, an httpGet's scheme, and a probe's timings and
//! thresholds (validateProbe, validateLivenessProbe, validateReadinessProbe,
//! validateStartupProbe). The server defaults a 0 timeout, period or threshold
//! (SetDefaults_Probe), so 0 is accepted; only negative numbers are refused. Ports are checked
//! by [`Rules::container`]'s caller of `probe_port`.

use super::fields::{has, int_field};
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Pos};

/// The handlers of a probe, and of a lifecycle hook.
const PROBE_HANDLERS: [&str; 4] = ["exec", "httpGet", "tcpSocket", "grpc"];
const HOOK_HANDLERS: [&str; 4] = ["exec", "httpGet", "tcpSocket", "sleep"];

impl Rules {
    /// One probe's numbers. `kind` is `livenessProbe`, `readinessProbe` or `startupProbe`.
    pub(super) fn probe(&mut self, probe: &Node, path: &Path, kind: &str) {
        for field in [
            "initialDelaySeconds",
            "timeoutSeconds",
            "periodSeconds",
            "successThreshold",
            "failureThreshold",
        ] {
            self.non_negative(probe, field, path);
        }
        // validateLivenessProbe / validateStartupProbe: "must be 1" (0 is defaulted to 1).
        if kind != "readinessProbe"
            && let Some(threshold) = int_field(probe, "successThreshold")
            && threshold > 1
        {
            let node = probe.get("successThreshold").unwrap_or(probe);
            let finding = self.error(
                Rule::OutOfRange,
                path.key("successThreshold"),
                node.at,
                format!("a {kind}'s `successThreshold` must be 1, not {threshold}"),
            );
            finding.suggestion = Some("1".to_string());
            finding.help = Some("one success is enough to count a container as alive or started; only a readinessProbe may ask for more".to_string());
        }
        // validateReadinessProbe: "must not be set for readinessProbes"; validateProbe: > 0.
        if let Some((key, _)) = probe
            .entry("terminationGracePeriodSeconds")
            .filter(|(_, node)| !node.is_null())
        {
            if kind == "readinessProbe" {
                self.error(
                    Rule::ForbiddenField,
                    path.key("terminationGracePeriodSeconds"),
                    key.at,
                    "`terminationGracePeriodSeconds` may not be set on a readinessProbe",
                )
                .help = Some("a failing readiness probe never kills the container, so there is no grace period to set: remove it".to_string());
            } else {
                self.positive(probe, "terminationGracePeriodSeconds", path);
            }
        }
    }

    /// Exactly one handler, and what each handler needs. `anchor` is the probe's or hook's key.
    pub(super) fn handler(&mut self, handler: &Node, path: &Path, anchor: Pos, hook: bool) {
        let kinds = if hook { HOOK_HANDLERS } else { PROBE_HANDLERS };
        let set: Vec<(&str, Pos)> = kinds
            .iter()
            .filter_map(|kind| {
                handler
                    .entry(kind)
                    .filter(|(_, node)| !node.is_null())
                    .map(|(key, _)| (*kind, key.at))
            })
            .collect();
        let list = handler_list(&kinds);
        match set.as_slice() {
            [] => {
                self.error(
                    Rule::OneSource,
                    path.clone(),
                    anchor,
                    if hook {
                        format!("a lifecycle hook needs a handler, one of: {list}")
                    } else {
                        format!("a probe needs a handler, one of: {list}")
                    },
                )
                .help = Some(
                    "add one, such as `httpGet: {path: /healthz, port: 8080}` or `exec: {command: [cat, /tmp/ready]}`"
                        .to_string(),
                );
            }
            [_] => {}
            [first, rest @ ..] => {
                for (kind, at) in rest {
                    self.error(
                        Rule::OneSource,
                        path.key(kind),
                        *at,
                        format!(
                            "only one handler is allowed; `{kind}` comes after `{}`",
                            first.0
                        ),
                    )
                    .help = Some("keep one handler and remove the others".to_string());
                }
            }
        }
        // validateExecAction: the command is required.
        if let Some((key, exec)) = handler.entry("exec").filter(|(_, node)| !node.is_null())
            && exec.get("command").is_none_or(|command| {
                command.is_null() || command.as_seq().is_empty() && str_of(command).is_none()
            })
        {
            self.error(
                Rule::MissingField,
                path.key("exec").key("command"),
                key.at,
                "an `exec` handler needs a `command` to run",
            )
            .help = Some("write it as a list, such as `command: [cat, /tmp/healthy]`".to_string());
        }
        // validateHTTPGetAction: scheme HTTP or HTTPS (defaulted to HTTP).
        if let Some(get) = handler.get("httpGet") {
            self.defaulted_enum(get, "scheme", &path.key("httpGet"), &["HTTP", "HTTPS"]);
        }
        // validateSleepAction: not negative (0 allowed since PodLifecycleSleepActionAllowZero).
        if let Some(sleep) = handler.get("sleep")
            && has(sleep, "seconds")
        {
            self.non_negative(sleep, "seconds", &path.key("sleep"));
        }
    }
}

/// "`exec`, `httpGet`, `tcpSocket`, `grpc`".
fn handler_list(kinds: &[&str]) -> String {
    kinds
        .iter()
        .map(|kind| format!("`{kind}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
