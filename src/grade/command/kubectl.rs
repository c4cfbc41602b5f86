//! A second opinion from a real `kubectl`, when one is on PATH: commands that build an object
//! from their own words are rendered with `--dry-run=client -o json` (offline: an empty
//! kubeconfig, no home directory, no environment) and the objects compared. The grader never
//! needs it; it catches what the flag table cannot know, such as `--replicas=+3` being 3.

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use super::parse::{Command, FlagValue};

/// kubectl, found on PATH or given.
#[derive(Debug, Clone)]
pub struct Kubectl(PathBuf);

/// Flags that say where or how, not what: left out of the rendering (compared by the grader).
const NOT_RENDERED: &[&str] = &[
    "dry-run",
    "output",
    "namespace",
    "context",
    "kubeconfig",
    "cluster",
    "user",
    "field-manager",
    "save-config",
];

/// Flags that make kubectl read local files, which a rendering must never do.
const READS_FILES: &[&str] = &["from-file", "from-env-file", "cert", "key", "filename"];

impl Kubectl {
    /// Looks for `kubectl` on PATH; `KUBEDRILL_KUBECTL=off` turns the cross-check off.
    pub fn detect() -> Option<Kubectl> {
        if std::env::var_os("KUBEDRILL_KUBECTL").is_some_and(|value| value == "off") {
            return None;
        }
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|dir| dir.join("kubectl"))
            .find(|candidate| candidate.is_file())
            .map(Kubectl)
    }

    pub fn at(path: &Path) -> Kubectl {
        Kubectl(path.to_path_buf())
    }

    /// The object kubectl would create, or `None` when the command does not render offline,
    /// would read local files, or kubectl refuses it.
    pub fn render(&self, command: &Command) -> Option<serde_json::Value> {
        let spec = command.spec();
        if !spec.renders_offline
            || READS_FILES
                .iter()
                .any(|flag| command.flags.contains_key(flag))
        {
            return None;
        }
        let mut arguments: Vec<String> = command.path.iter().map(|part| part.to_string()).collect();
        arguments.extend(command.names.iter().cloned());
        for (name, value) in &command.flags {
            if NOT_RENDERED.contains(name) {
                continue;
            }
            match value {
                FlagValue::One(value)
                    if value == "true"
                        && spec
                            .find_long(name)
                            .is_some_and(|flag| flag.takes == super::spec::Takes::Nothing) =>
                {
                    arguments.push(format!("--{name}"));
                }
                other => arguments.extend(other.as_flags(name)),
            }
        }
        arguments.extend([
            "--dry-run=client".to_string(),
            "-o".to_string(),
            "json".to_string(),
        ]);
        if let Some(words) = &command.container_words {
            arguments.push("--".to_string());
            arguments.extend(words.iter().cloned());
        }
        let output = Process::new(&self.0)
            .args(&arguments)
            .env_clear()
            .env("KUBECONFIG", "/dev/null")
            .env("HOME", "/nonexistent")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if !output.status.success() {
            return None;
        }
        let mut object: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
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
