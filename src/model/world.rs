//! What a troubleshooting scenario's cluster is made of besides its manifests: the nodes, the
//! images the registry knows, what each container does when it runs (rules, since nothing is
//! run), the node's own text for `systemctl` / `journalctl`, and the files of the exam
//! machine. Plain data, read from the scenario file's `[cluster]` table.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A scenario's cluster, before its manifests are applied.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    /// The starting objects (YAML, several documents), applied in order.
    #[serde(default)]
    pub manifests: String,
    /// Worker and control-plane nodes; a cluster with none has `controlplane` and `node01`.
    #[serde(default, rename = "node")]
    pub nodes: Vec<NodeSpec>,
    /// Images the registry serves: `name:tag` → what it runs. An image not listed here (nor a
    /// well-known one) cannot be pulled.
    #[serde(default)]
    pub images: BTreeMap<String, ImageSpec>,
    /// What containers do, first matching rule wins.
    #[serde(default, rename = "behavior")]
    pub behaviors: Vec<Behavior>,
    /// Files of the exam machine the learner may `cat` or write (`/opt/answer.txt`).
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// The node's answers to host commands: `"systemctl status kubelet"` → its text.
    #[serde(default)]
    pub host: BTreeMap<String, String>,
    /// The namespace commands use when none is given (kubectl's context namespace).
    #[serde(default)]
    pub namespace: Option<String>,
}

/// A node of the scenario's cluster.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    pub name: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// `key=value:Effect` or `key:Effect`.
    #[serde(default)]
    pub taints: Vec<String>,
    #[serde(default = "default_cpu")]
    pub cpu: String,
    #[serde(default = "default_memory")]
    pub memory: String,
    #[serde(default = "default_pods")]
    pub pods: u32,
    /// Carries the control-plane role and its `NoSchedule` taint.
    #[serde(default)]
    pub control_plane: bool,
    /// Cordoned.
    #[serde(default)]
    pub unschedulable: bool,
    /// `false`: the kubelet is stopped, the node goes NotReady.
    #[serde(default = "yes")]
    pub kubelet: bool,
    /// Its CPU and memory use for `kubectl top node`: `"250m"`, `"1Gi"`.
    #[serde(default)]
    pub usage: Option<Usage>,
}

fn default_cpu() -> String {
    "2".into()
}

fn default_memory() -> String {
    "4Gi".into()
}

fn default_pods() -> u32 {
    110
}

fn yes() -> bool {
    true
}

/// CPU and memory in use, as `kubectl top` shows them.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Usage {
    pub cpu: String,
    pub memory: String,
}

/// An image: Docker's ENTRYPOINT and CMD, and which executables it has.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSpec {
    #[serde(default)]
    pub entrypoint: Vec<String>,
    #[serde(default)]
    pub cmd: Vec<String>,
    /// Executables on the image's PATH; empty means any name is found.
    #[serde(default)]
    pub path: Vec<String>,
}

/// What a container does when it runs. Every `match` field given must hold; the first rule that
/// matches decides. A container no rule matches runs until it is stopped (`sleep N` exits 0
/// after N seconds).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Behavior {
    /// The Pod's name, or a prefix ending in `*` (`web-*`).
    #[serde(default)]
    pub pod: Option<String>,
    #[serde(default)]
    pub container: Option<String>,
    /// The image as the Pod names it.
    #[serde(default)]
    pub image: Option<String>,
    /// A regular expression over the process's words joined by spaces.
    #[serde(default)]
    pub argv: Option<String>,
    /// Lines it prints when it starts (what `kubectl logs` shows).
    #[serde(default)]
    pub logs: Vec<String>,
    /// It exits with this code `after` seconds.
    #[serde(default)]
    pub exit: Option<i32>,
    #[serde(default)]
    pub after: u64,
    /// It loops, printing `waiting` every 2 seconds, until this DNS name resolves in its
    /// namespace (a Service of that name exists), then exits 0.
    #[serde(default)]
    pub until_resolves: Option<String>,
    #[serde(default)]
    pub waiting: Option<String>,
    /// Whether it passes its readiness probe (default: yes).
    #[serde(default)]
    pub ready: Option<bool>,
    /// Ports it serves on.
    #[serde(default)]
    pub serves: Vec<u16>,
    /// What `kubectl top` shows for it.
    #[serde(default)]
    pub cpu: Option<String>,
    #[serde(default)]
    pub memory: Option<String>,
}

/// A troubleshooting scenario: a broken cluster, a task, and checks on what the cluster does
/// once the learner's commands have run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scenario {
    pub id: super::Id,
    pub origin: super::ExerciseOrigin,
    pub title: super::Localized,
    /// 1 (easy) to 3 (hard).
    pub difficulty: u8,
    /// The task, in Markdown.
    pub task: super::Localized,
    pub world: World,
    pub hints: Vec<super::Localized>,
    pub checks: Vec<super::Check>,
    /// A command script that solves it (proved by `deck check`).
    pub solution: String,
    /// Scripts that must not solve it, each with the checks it must fail.
    pub wrong: Vec<WrongScript>,
    pub after: Vec<super::After>,
    pub variants: super::Variants<Scenario>,
}

/// A known wrong way to solve a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WrongScript {
    pub script: String,
    /// Line of the script in the scenario file.
    pub line: usize,
    /// The checks it must fail.
    pub fails: Vec<super::Id>,
    pub why: Option<super::Localized>,
}
