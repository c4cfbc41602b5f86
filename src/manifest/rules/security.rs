//! `securityContext`, the Pod's (core validation validatePodSpecSecurityContext, validateSysctls,
//! validateHostUsers) and each container's (ValidateSecurityContext): user and group IDs, the
//! seccomp and AppArmor profiles, procMount, the fsGroup, supplemental-group and SELinux change
//! policies, sysctl names, and the combinations the server refuses (privileged without
//! privilege escalation, a shared process namespace with the host's PID namespace).
//!
//! Capabilities are free-form names (the runtime judges them), so only the one combination the
//! server checks is: `allowPrivilegeEscalation: false` with `CAP_SYS_ADMIN` added.
//!
//! `runAsNonRoot: true` with `runAsUser: 0` is accepted by the API server and refused by the
//! kubelet when the container starts (CreateContainerConfigError), so it is a warning.

use std::collections::HashSet;

use super::fields::int_field;
use super::pod::pod_containers;
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Value};

/// validation.IsValidUserID and IsValidGroupID: 0 to math.MaxInt32.
const MAX_ID: i64 = i32::MAX as i64;

fn flag(node: Option<&Node>, field: &str) -> Option<bool> {
    match node?.get(field)?.value {
        Value::Bool(value) => Some(value),
        _ => None,
    }
}

impl Rules {
    pub(super) fn pod_security(&mut self, spec: &Node, path: &Path) {
        let context = spec.get("securityContext");
        let context_path = path.key("securityContext");
        if flag(Some(spec), "shareProcessNamespace") == Some(true)
            && flag(Some(spec), "hostPID") == Some(true)
        {
            let at = spec
                .get("shareProcessNamespace")
                .map_or(spec.at, |node| node.at);
            self.error(
                Rule::ExclusiveFields,
                path.key("shareProcessNamespace"),
                at,
                "`shareProcessNamespace` and `hostPID` cannot both be true",
            )
            .help = Some(
                "with hostPID the Pod already sees every process of the node: keep one of them"
                    .to_string(),
            );
        }
        // `hostUsers` is a field of the Pod spec, not of its securityContext.
        let host_users = flag(Some(spec), "hostUsers") != Some(false);
        if !host_users {
            // validateHostUsers: "when `pod.Spec.HostUsers` is false".
            for field in ["hostNetwork", "hostPID", "hostIPC"] {
                if flag(Some(spec), field) == Some(true) {
                    let at = spec.get(field).map_or(spec.at, |node| node.at);
                    self.error(
                        Rule::ForbiddenField,
                        path.key(field),
                        at,
                        format!("`{field}: true` is not allowed with `hostUsers: false`"),
                    );
                }
            }
        }
        if let Some(context) = context {
            for field in ["runAsUser", "runAsGroup", "fsGroup"] {
                self.in_range(context, field, &context_path, 0, MAX_ID);
            }
            for (index, group) in context
                .get("supplementalGroups")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if let Value::Int(gid) = group.value
                    && !(0..=MAX_ID).contains(&gid)
                {
                    self.error(
                        Rule::OutOfRange,
                        context_path.key("supplementalGroups").index(index),
                        group.at,
                        format!("group ID {gid} is out of range: IDs are 0 to 2147483647"),
                    );
                }
            }
            self.enum_field(
                context,
                "fsGroupChangePolicy",
                &context_path,
                &["OnRootMismatch", "Always"],
            );
            self.enum_field(
                context,
                "supplementalGroupsPolicy",
                &context_path,
                &["Merge", "Strict"],
            );
            self.enum_field(
                context,
                "seLinuxChangePolicy",
                &context_path,
                &["Recursive", "MountOption"],
            );
            self.profiles(context, &context_path);
            self.sysctls(spec, context, &context_path);
            // Only when some container inherits both settings (one that sets either decides
            // for itself, below).
            let inherits = ["containers", "initContainers"].iter().any(|list| {
                spec.get(list)
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .any(|container| {
                        let own = container.get("securityContext");
                        own.and_then(|own| own.get("runAsUser")).is_none()
                            && own.and_then(|own| own.get("runAsNonRoot")).is_none()
                    })
            });
            if inherits
                && flag(Some(context), "runAsNonRoot") == Some(true)
                && int_field(context, "runAsUser") == Some(0)
            {
                self.root_warning(context, &context_path);
            }
        }
        for (list, index, container) in pod_containers(spec) {
            if let Some(container_context) = container.get("securityContext") {
                self.container_security(
                    container_context,
                    context,
                    &path.key(list).index(index).key("securityContext"),
                    host_users,
                );
            }
        }
    }

    fn container_security(
        &mut self,
        context: &Node,
        pod: Option<&Node>,
        path: &Path,
        host_users: bool,
    ) {
        for field in ["runAsUser", "runAsGroup"] {
            self.in_range(context, field, path, 0, MAX_ID);
        }
        if self.enum_field(context, "procMount", path, &["Default", "Unmasked"]) == Some("Unmasked")
            && host_users
        {
            let at = context.get("procMount").map_or(context.at, |node| node.at);
            self.error(
                Rule::InvalidValue,
                path.key("procMount"),
                at,
                "`procMount: Unmasked` needs the Pod's `hostUsers: false`",
            )
            .help = Some("an unmasked /proc is only safe in a user namespace: set the Pod's `spec.hostUsers: false`, or remove procMount".to_string());
        }
        self.profiles(context, path);
        if flag(Some(context), "allowPrivilegeEscalation") == Some(false) {
            if flag(Some(context), "privileged") == Some(true) {
                let at = context.get("privileged").map_or(context.at, |node| node.at);
                self.error(
                    Rule::ExclusiveFields,
                    path.key("privileged"),
                    at,
                    "a privileged container cannot set `allowPrivilegeEscalation: false`",
                )
                .help = Some(
                    "a privileged container has every privilege already: remove one of the two"
                        .to_string(),
                );
            }
            for (index, capability) in context
                .at_path(&["capabilities", "add"])
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if str_of(capability) == Some("CAP_SYS_ADMIN") {
                    self.error(
                        Rule::ExclusiveFields,
                        path.key("capabilities").key("add").index(index),
                        capability.at,
                        "adding CAP_SYS_ADMIN contradicts `allowPrivilegeEscalation: false`",
                    );
                }
            }
        }
        // The container's own settings override the Pod's; warn where the container decides.
        let non_root = flag(Some(context), "runAsNonRoot").or(flag(pod, "runAsNonRoot"));
        let user =
            int_field(context, "runAsUser").or(pod.and_then(|pod| int_field(pod, "runAsUser")));
        let decides = context.get("runAsNonRoot").is_some() || context.get("runAsUser").is_some();
        if decides && non_root == Some(true) && user == Some(0) {
            self.root_warning(context, path);
        }
    }

    fn root_warning(&mut self, context: &Node, path: &Path) {
        let (field, at) = match context.get("runAsUser") {
            Some(node) => ("runAsUser", node.at),
            None => (
                "runAsNonRoot",
                context
                    .get("runAsNonRoot")
                    .map_or(context.at, |node| node.at),
            ),
        };
        let finding = self.error(
            Rule::InvalidValue,
            path.key(field),
            at,
            "`runAsNonRoot: true` with `runAsUser: 0` (root): the kubelet will refuse to start the container",
        );
        finding.warning = true;
        finding.help = Some("the API server accepts it, but the container never starts: use a non-zero runAsUser, or drop runAsNonRoot".to_string());
    }

    /// validateSeccompProfileField and ValidateAppArmorProfileField: `localhostProfile` exactly
    /// when the type is Localhost, a relative path without `..`.
    fn profiles(&mut self, context: &Node, path: &Path) {
        for (field, name) in [
            ("seccompProfile", "seccomp"),
            ("appArmorProfile", "AppArmor"),
        ] {
            let Some((profile_key, profile)) =
                context.entry(field).filter(|(_, node)| !node.is_null())
            else {
                continue;
            };
            let profile_path = path.key(field);
            let kind = self.enum_field(
                profile,
                "type",
                &profile_path,
                &["RuntimeDefault", "Localhost", "Unconfined"],
            );
            let local = profile
                .entry("localhostProfile")
                .filter(|(_, node)| !node.is_null());
            match (kind, local) {
                (Some("Localhost"), None) => {
                    let at = profile.get("type").map_or(profile_key.at, |node| node.at);
                    self.error(
                        Rule::MissingField,
                        profile_path.key("localhostProfile"),
                        at,
                        format!("a Localhost {name} profile needs `localhostProfile`"),
                    )
                    .help = Some("name the profile loaded on the node, such as `localhostProfile: profiles/audit.json`".to_string());
                }
                (Some("Localhost"), Some((_, local))) => {
                    if let Some(text) = str_of(local) {
                        self.profile_path(text, local, &profile_path, field);
                    }
                }
                (Some(other), Some((key, _))) => {
                    self.error(
                        Rule::ForbiddenField,
                        profile_path.key("localhostProfile"),
                        key.at,
                        format!("`localhostProfile` is only for the Localhost type, not {other}"),
                    )
                    .help = Some("remove it, or use `type: Localhost`".to_string());
                }
                _ => {}
            }
        }
    }

    fn profile_path(&mut self, text: &str, node: &Node, path: &Path, field: &str) {
        let shown = crate::text::escape_controls(text);
        let problem = if field == "appArmorProfile" && text.trim() != text {
            Some(format!(
                "the profile `{shown}` has leading or trailing whitespace"
            ))
        } else if text.trim().is_empty() {
            Some("`localhostProfile` cannot be empty".to_string())
        } else if field == "seccompProfile" && text.starts_with('/') {
            Some(format!(
                "the profile path `{shown}` must be relative to the kubelet's seccomp folder"
            ))
        } else if field == "seccompProfile" && text.split(['/', '\\']).any(|part| part == "..") {
            Some(format!("the profile path `{shown}` may not contain '..'"))
        } else {
            None
        };
        if let Some(problem) = problem {
            self.error(
                Rule::InvalidValue,
                path.key("localhostProfile"),
                node.at,
                problem,
            );
        }
    }

    /// validateSysctls and ValidateHostSysctl.
    fn sysctls(&mut self, spec: &Node, context: &Node, path: &Path) {
        let host_network = flag(Some(spec), "hostNetwork") == Some(true);
        let host_ipc = flag(Some(spec), "hostIPC") == Some(true);
        let mut names = HashSet::new();
        for (index, sysctl) in context
            .get("sysctls")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let Some(node) = sysctl.get("name") else {
                continue;
            };
            let Some(name) = str_of(node) else {
                continue;
            };
            let name_path = path.key("sysctls").index(index).key("name");
            let shown = crate::text::escape_controls(name);
            if !sysctl_name(name) {
                self.error(
                    Rule::InvalidName,
                    name_path.clone(),
                    node.at,
                    format!("`{shown}` is not a sysctl name"),
                )
                .help = Some("a sysctl name is lowercase words joined by dots or slashes, such as net.ipv4.ip_forward or kernel.shm_rmid_forced".to_string());
            } else if !names.insert(name) {
                self.error(
                    Rule::DuplicateName,
                    name_path.clone(),
                    node.at,
                    format!("the sysctl `{shown}` is set twice"),
                );
            }
            let ipc = name.starts_with("kernel.shm")
                || name.starts_with("kernel.msg")
                || name == "kernel.sem"
                || name.starts_with("fs.mqueue.");
            if (host_network && name.starts_with("net.")) || (host_ipc && ipc) {
                let host = if ipc { "hostIPC" } else { "hostNetwork" };
                self.error(
                    Rule::InvalidValue,
                    name_path,
                    node.at,
                    format!("the namespaced sysctl `{shown}` cannot be set when `{host}` is true"),
                )
                .help = Some("the Pod shares that namespace with the node, so the sysctl would change the node: remove one of the two".to_string());
            }
        }
    }
}

/// core validation IsValidSysctlName: `([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*` then one more
/// segment, at most 253 characters.
fn sysctl_name(name: &str) -> bool {
    let segment = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            && part.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && part.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    name.len() <= 253 && name.split(['.', '/']).all(segment)
}

#[cfg(test)]
mod tests {
    use super::sysctl_name;

    #[test]
    fn sysctl_names_follow_the_api_server() {
        assert!(sysctl_name("net.ipv4.ip_forward"));
        assert!(sysctl_name("kernel.shm_rmid_forced"));
        assert!(sysctl_name("net/ipv4/conf/eth0.100/forwarding"));
        assert!(!sysctl_name("net.ipv4."));
        assert!(!sysctl_name("Net.ipv4"));
        assert!(!sysctl_name("net..ipv4"));
        assert!(!sysctl_name("_net"));
    }
}
