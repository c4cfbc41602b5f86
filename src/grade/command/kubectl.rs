//! A second opinion from a real `kubectl`, when one is on PATH: commands that build an object
//! from their own words are rendered with `--dry-run=client -o json` and the objects compared.
//! The grader never needs it; it catches what the flag table cannot know, such as
//! `--replicas=+3` being 3.
//!
//! A drill's accepted answers come from a deck, and a deck may come from a stranger, so what
//! reaches kubectl is an allow-list, never a deny-list: the command path from our own table,
//! the object's name, the container's words after `--`, and only those of the command's own
//! flags that describe the object ([`super::spec::RENDERED`]). No global flag ever reaches it
//! (no `--server`, `--kubeconfig`, `--profile-output`, certificate or cache flag); a command
//! carrying any other flag is not rendered at all. kubectl runs inside [`crate::sandbox`] (an
//! empty environment, `KUBECONFIG=/dev/null`, a fresh empty `HOME` that is removed afterwards,
//! its `kuberc` off, no standard input, a time limit, an output cap) and is given a server
//! address on the loopback that nothing can listen on (port 0). docs/security.md lists this
//! boundary and the tests that attack it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::parse::{Command, FlagValue};
use super::spec::Takes;
use crate::sandbox::NO_SERVER;

/// kubectl, found on PATH or given.
#[derive(Debug, Clone)]
pub struct Kubectl(PathBuf);

/// Flags that say where or how, not what: never passed to kubectl, and compared by the grader
/// itself (a rendering decides only between commands equal in these).
pub(super) const NOT_RENDERED: &[&str] = &[
    "dry-run",
    "output",
    "namespace",
    "context",
    "kubeconfig",
    "cluster",
    "user",
    "field-manager",
    "save-config",
    "validate",
    "allow-missing-template-keys",
    "show-managed-fields",
    "template",
];

/// How long a rendering may take; a kubectl that hangs is killed and gives no opinion.
const TIME_LIMIT: Duration = Duration::from_secs(10);
/// The most of kubectl's output read: an object built from one command line is small.
const MAX_OUTPUT_BYTES: u64 = 4 * 1024 * 1024;

impl Kubectl {
    /// Looks for `kubectl` on PATH; `KUBEDRILL_KUBECTL=off` turns the cross-check off.
    pub fn detect() -> Option<Kubectl> {
        crate::sandbox::find_kubectl().map(Kubectl)
    }

    pub fn at(path: &Path) -> Kubectl {
        Kubectl(path.to_path_buf())
    }

    /// The words kubectl would be run with for `command`, or `None` when the command does not
    /// render offline or carries anything outside the allow-list.
    pub fn arguments(command: &Command) -> Option<Vec<String>> {
        let spec = command.spec();
        if !spec.renders_offline {
            return None;
        }
        let mut arguments: Vec<String> = command.path.iter().map(|part| part.to_string()).collect();
        // A name that looks like a flag would be read as one.
        if command.names.iter().any(|name| name.starts_with('-')) {
            return None;
        }
        arguments.extend(command.names.iter().cloned());
        for (name, value) in &command.flags {
            let own = spec.flags.iter().find(|flag| flag.long == *name);
            match own {
                Some(flag) if flag.renders => match value {
                    FlagValue::One(value) if value == "true" && flag.takes == Takes::Nothing => {
                        arguments.push(format!("--{name}"));
                    }
                    other => arguments.extend(other.as_flags(name)),
                },
                _ if NOT_RENDERED.contains(name) => {}
                // Not known to be harmless: no rendering, the grader's comparison decides.
                _ => return None,
            }
        }
        arguments.extend([
            "--dry-run=client".to_string(),
            "--output=json".to_string(),
            NO_SERVER.to_string(),
        ]);
        if let Some(words) = &command.container_words {
            arguments.push("--".to_string());
            arguments.extend(words.iter().cloned());
        }
        Some(arguments)
    }

    /// The object kubectl would create, or `None` when the command is not rendered (see
    /// [`Kubectl::arguments`]), kubectl refuses it, or it does not answer in time.
    pub fn render(&self, command: &Command) -> Option<serde_json::Value> {
        let arguments = Kubectl::arguments(command)?;
        let limits = crate::sandbox::Limits {
            time: TIME_LIMIT,
            stdout_bytes: MAX_OUTPUT_BYTES,
            stderr_bytes: 0,
        };
        let ran = crate::sandbox::run(&self.0, &arguments, limits).ok()?;
        if !ran.status.success() || ran.stdout_cut {
            return None;
        }
        let stdout = ran.stdout;
        let mut object: serde_json::Value = serde_json::from_slice(&stdout).ok()?;
        normalize(&mut object);
        Some(object)
    }
}

/// Takes out what differs between two renderings of the same object, and fills in what the API
/// server defaults (a Secret without `type` is `Opaque`).
fn normalize(object: &mut serde_json::Value) {
    let Some(map) = object.as_object_mut() else {
        return;
    };
    map.remove("status");
    if let Some(metadata) = map
        .get_mut("metadata")
        .and_then(serde_json::Value::as_object_mut)
    {
        metadata.remove("creationTimestamp");
    }
    if map.get("kind").and_then(serde_json::Value::as_str) == Some("Secret")
        && !map.contains_key("type")
    {
        map.insert("type".to_string(), serde_json::Value::from("Opaque"));
    }
}
