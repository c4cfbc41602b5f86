//! The cluster as a whole: the object store, a clock, the scenario's world (images, what
//! containers do, the node's own text, the exam machine's files), the events, and the loop that
//! runs every controller until nothing changes. Time moves only when asked ([`Cluster::advance`]),
//! one simulated second at a time, so a scenario replays the same way every time.

use crate::cluster::At as _;
use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::labels::Selector;
use super::objects::{ApiError, Key, Objects};
use super::pods::Runtime;
use super::{controllers, pods};
use crate::model::world::{Behavior, ImageSpec, NodeSpec, World};

/// When every scenario's clock starts (what a fresh cluster's objects' ages count from).
pub const EPOCH: &str = "2026-03-02T09:00:00Z";

/// How long a scenario's cluster runs before the learner arrives, so that its failures have
/// shown themselves (restarts counted, back-offs under way).
pub const WARM_UP: SignedDuration = SignedDuration::from_secs(300);

/// The longest jump of simulated time while nothing is due. Everything that happens at a time
/// says when (a kubelet timer, a Deployment's progress deadline, an event's repeat, the
/// scheduler's retry: [`Cluster::wake_at`]); this is only a safety net.
pub const HEARTBEAT: SignedDuration = SignedDuration::from_secs(60);

/// The most a settle before grading lets time run.
pub const SETTLE_LIMIT: SignedDuration = SignedDuration::from_secs(600);

/// An event, as `kubectl events` and `describe` show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub namespace: String,
    /// The object it is about: kind and name.
    pub kind: String,
    pub name: String,
    pub normal: bool,
    pub reason: String,
    pub message: String,
    /// Who reported it (`default-scheduler`, `kubelet`, `deployment-controller` …).
    pub source: String,
    pub first: Timestamp,
    pub last: Timestamp,
    pub count: u32,
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub objects: Objects,
    pub now: Timestamp,
    pub images: BTreeMap<String, ImageSpec>,
    pub behaviors: Vec<Behavior>,
    pub host: BTreeMap<String, String>,
    /// The exam machine's files: the scenario's, and whatever the learner writes.
    pub files: BTreeMap<String, String>,
    /// The namespace commands use when they name none.
    pub namespace: String,
    pub events: Vec<Event>,
    pub(crate) runtime: BTreeMap<(String, String, String), Runtime>,
    pub(crate) node_usage: BTreeMap<String, (String, String)>,
    /// Nodes whose kubelet is stopped.
    pub stopped_kubelets: std::collections::BTreeSet<String>,
    /// When each node's kubelet last started or stopped (what `systemctl status` says).
    pub kubelet_since: BTreeMap<String, Timestamp>,
    /// Addresses given out so far (Pods, Services).
    pub(crate) pod_ips: u32,
    pub(crate) service_ips: u32,
    /// Files kubectl has saved (`kubectl edit`'s copies).
    pub(crate) files_made: u64,
    /// Moments a controller asked to be run again at (besides the kubelets' timers).
    pub(crate) wakes: std::collections::BTreeSet<Timestamp>,
}

impl Cluster {
    /// A cluster with the world's nodes and objects, run for [`WARM_UP`].
    pub fn start(world: &World) -> Result<Cluster, String> {
        let mut cluster = Self::admitted(world, true)?;
        cluster.advance(WARM_UP);
        Ok(cluster)
    }

    /// Whether a world can start: every node and manifest is one the API server accepts, in
    /// order. What [`Cluster::start`] refuses, without letting time pass (cheap enough for every
    /// deck load; `deck check` starts each scenario for real when it proves it).
    pub fn check(world: &World) -> Result<(), String> {
        Self::admitted(world, false).map(|_| ())
    }

    /// The cluster with the world's objects created; `timed`: a manifest given twice is applied
    /// a minute after the first, with the controllers run in between.
    fn admitted(world: &World, timed: bool) -> Result<Cluster, String> {
        let now: Timestamp = EPOCH.parse().expect("the epoch is a timestamp");
        let mut cluster = Cluster {
            objects: Objects::new(now),
            now,
            images: world.images.clone(),
            behaviors: world.behaviors.clone(),
            host: world.host.clone(),
            files: world.files.clone(),
            namespace: world.namespace.clone().unwrap_or_else(|| "default".into()),
            events: Vec::new(),
            runtime: BTreeMap::new(),
            node_usage: BTreeMap::new(),
            stopped_kubelets: std::collections::BTreeSet::new(),
            kubelet_since: BTreeMap::new(),
            pod_ips: 0,
            service_ips: 1,
            files_made: 0,
            wakes: std::collections::BTreeSet::new(),
        };
        if !cluster.namespace.is_empty() && cluster.namespace != "default" {
            let namespace = cluster.namespace.clone();
            cluster.create_object(
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}),
            ).map_err(|error| error.to_string())?;
        }
        cluster.create_object(json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default",
                          "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                     "sessionAffinity": "None"}
        })).map_err(|error| error.to_string())?;
        let default_nodes = [
            NodeSpec {
                name: "controlplane".into(),
                labels: BTreeMap::new(),
                taints: Vec::new(),
                cpu: "2".into(),
                memory: "4Gi".into(),
                pods: 110,
                control_plane: true,
                unschedulable: false,
                kubelet: true,
                usage: None,
            },
            NodeSpec {
                name: "node01".into(),
                labels: BTreeMap::new(),
                taints: Vec::new(),
                cpu: "2".into(),
                memory: "4Gi".into(),
                pods: 110,
                control_plane: false,
                unschedulable: false,
                kubelet: true,
                usage: None,
            },
        ];
        let nodes = if world.nodes.is_empty() {
            &default_nodes[..]
        } else {
            &world.nodes[..]
        };
        for (index, node) in nodes.iter().enumerate() {
            let object = node_object(node, index).map_err(|error| error.to_string())?;
            if let Some(usage) = &node.usage {
                cluster
                    .node_usage
                    .insert(node.name.clone(), (usage.cpu.clone(), usage.memory.clone()));
            }
            if !node.kubelet {
                cluster.stopped_kubelets.insert(node.name.clone());
            }
            // Booted a day before the scenario; a stopped kubelet stopped as it began.
            let since = if node.kubelet {
                now - SignedDuration::from_hours(24)
            } else {
                now
            };
            cluster.kubelet_since.insert(node.name.clone(), since);
            cluster
                .create_object(object)
                .map_err(|error| error.to_string())?;
        }
        // The API server keeps the `kubernetes` Service's endpoints: the control plane's address.
        let api_address = nodes
            .iter()
            .position(|node| node.control_plane)
            .map_or_else(
                || "192.168.1.10".to_string(),
                |index| format!("192.168.1.{}", 10 + index),
            );
        cluster
            .create_object(json!({
                "apiVersion": "v1", "kind": "Endpoints",
                "metadata": {"name": "kubernetes", "namespace": "default",
                             "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
                "subsets": [{"addresses": [{"ip": api_address}],
                             "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]
            }))
            .map_err(|error| error.to_string())?;
        cluster
            .create_object(json!({
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": "kubernetes", "namespace": "default",
                             "labels": {"kubernetes.io/service-name": "kubernetes"}},
                "addressType": "IPv4",
                "endpoints": [{"addresses": [api_address], "conditions": {"ready": true}}],
                "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]
            }))
            .map_err(|error| error.to_string())?;
        let documents = crate::manifest::yaml::parse(&world.manifests).map_err(|error| {
            format!(
                "the scenario's manifests do not parse: line {}: {}",
                error.line, error.message
            )
        })?;
        for document in documents {
            let object = document.root.to_json();
            if object.is_null() {
                continue;
            }
            let mut object = object;
            let kind = object
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            crate::grade::resources::apply_defaults(&kind, &mut object);
            let name = object
                .at("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let namespace = object
                .at("/metadata/namespace")
                .and_then(Value::as_str)
                .map_or_else(|| cluster.namespace.clone(), str::to_string);
            if let Ok(stored) = cluster.objects.find(&kind, &namespace, &name).cloned() {
                // The same object again: an update, as a later `kubectl apply` of it (a
                // Deployment's next revision), after the last one has had a minute to roll out.
                if timed {
                    cluster.advance(SignedDuration::from_secs(60));
                }
                let mut updated = cluster
                    .objects
                    .find(&kind, &namespace, &name)
                    .cloned()
                    .unwrap_or(stored);
                updated["spec"] = object.get("spec").cloned().unwrap_or_default();
                for field in ["labels", "annotations"] {
                    if let Some(value) = object.at(&format!("/metadata/{field}")) {
                        updated["metadata"][field] = value.clone();
                    }
                }
                if let Some(metadata) = updated["metadata"].as_object_mut() {
                    metadata.remove("resourceVersion");
                }
                cluster
                    .objects
                    .replace(updated, &namespace)
                    .map_err(|error| format!("the scenario's manifests: {error}"))?;
                if timed {
                    cluster.reconcile();
                }
                continue;
            }
            super::admission::admit(&mut cluster, &mut object);
            cluster
                .create_object(object)
                .map_err(|error| format!("the scenario's manifests: {error}"))?;
        }
        Ok(cluster)
    }

    /// Creates an object as the API server would (metadata filled in), at the current time.
    pub fn create_object(&mut self, object: Value) -> Result<Key, ApiError> {
        let namespace = self.namespace.clone();
        self.objects.create(object, &namespace, self.now)
    }

    /// Runs every controller until none changes anything (or a bound, for safety).
    pub fn reconcile(&mut self) {
        for _ in 0..50 {
            let before = self.objects.version();
            let events = self.events.len();
            controllers::run(self);
            pods::run(self);
            super::endpoints::run(self);
            if self.objects.version() == before && self.events.len() == events {
                break;
            }
        }
    }

    /// Lets `duration` of simulated time pass. After a second in which something changed the
    /// next second is run too; while nothing changes, time jumps to the next moment something
    /// is due (a back-off ending, a process exiting, a deadline), at most [`HEARTBEAT`] ahead.
    pub fn advance(&mut self, duration: SignedDuration) {
        let end = self.now + duration;
        let mut changed = self.step();
        while self.now < end {
            let next = if changed {
                self.now + SignedDuration::from_secs(1)
            } else {
                self.next_wake()
                    .unwrap_or(end)
                    .min(self.now + HEARTBEAT)
                    .max(self.now + SignedDuration::from_secs(1))
            };
            self.now = next.min(end);
            changed = self.step();
        }
    }

    /// One reconcile; whether it changed anything.
    fn step(&mut self) -> bool {
        let before = (self.objects.version(), self.events.len());
        self.reconcile();
        (self.objects.version(), self.events.len()) != before
    }

    /// The soonest moment a kubelet timer is due after now.
    fn next_wake(&mut self) -> Option<Timestamp> {
        let now = self.now;
        self.wakes.retain(|wake| *wake > now);
        self.runtime
            .values()
            .filter_map(|runtime| runtime.next_due())
            .filter(|due| *due > now)
            .chain(self.wakes.first().copied())
            .min()
    }

    /// Asks for a reconcile at `moment` (a deadline, an event's repeat), so that time does not
    /// jump past it.
    pub(crate) fn wake_at(&mut self, moment: Timestamp) {
        if moment > self.now {
            self.wakes.insert(moment);
        }
    }

    /// Lets the cluster settle before grading: time passes until a whole minute goes by with no
    /// change, or [`SETTLE_LIMIT`].
    pub fn settle(&mut self) {
        let start = self.now;
        let mut last_change = self.now;
        while self.now.duration_since(start) < SETTLE_LIMIT
            && self.now.duration_since(last_change) < SignedDuration::from_secs(60)
        {
            let before = self.objects.version();
            let to = self
                .next_wake()
                .unwrap_or(self.now + HEARTBEAT)
                .min(self.now + HEARTBEAT);
            let step = to
                .duration_since(self.now)
                .max(SignedDuration::from_secs(1));
            self.advance(step);
            if self.objects.version() != before {
                last_change = self.now;
            }
        }
    }

    /// Records an event, counting a repeat of the same one (as the event recorder's
    /// aggregation does).
    pub fn record(
        &mut self,
        about: &Value,
        normal: bool,
        reason: &str,
        message: &str,
        source: &str,
    ) {
        let kind = about
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let name = about
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let namespace = about
            .at("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("default")
            .to_string();
        let now = self.now;
        if let Some(event) = self.events.iter_mut().find(|event| {
            event.kind == kind
                && event.name == name
                && event.namespace == namespace
                && event.reason == reason
                && event.message == message
        }) {
            event.count += 1;
            event.last = now;
            return;
        }
        self.events.push(Event {
            namespace,
            kind,
            name,
            normal,
            reason: reason.into(),
            message: message.into(),
            source: source.into(),
            first: now,
            last: now,
            count: 1,
        });
    }

    /// Objects of a kind in a namespace (every namespace for `None`), cloned.
    pub fn list(&self, kind: &str, namespace: Option<&str>) -> Vec<Value> {
        self.objects
            .list(kind, namespace, &Selector::default())
            .into_iter()
            .map(|(_, object)| object.clone())
            .collect()
    }

    /// Whether a DNS name resolves from a Pod in `namespace`: a Service's short name, or
    /// `NAME.NAMESPACE[.svc[.cluster.local]]`.
    pub fn resolves(&self, name: &str, namespace: &str) -> bool {
        let name = name.trim_end_matches('.');
        let name = name
            .strip_suffix(".svc.cluster.local")
            .or_else(|| name.strip_suffix(".svc"))
            .unwrap_or(name);
        let (service, namespace) = name.split_once('.').unwrap_or((name, namespace));
        self.objects.find("Service", namespace, service).is_ok()
    }

    /// The image a Pod names as the registry would serve it, or `None` when it has no such
    /// image. A scenario image listed without a tag serves every tag.
    pub fn pullable(&self, reference: &str) -> Option<ImageSpec> {
        let normal = normal_image(reference);
        self.images.iter().find_map(|(listed, spec)| {
            let listed_normal = normal_image(listed);
            let untagged = !listed.rsplit('/').next().unwrap_or(listed).contains(':');
            let same = listed_normal == normal
                || (untagged
                    && normal.rsplit_once(':').is_some_and(|(repository, _)| {
                        repository == listed_normal.trim_end_matches(":latest")
                    }));
            same.then(|| spec.clone())
        })
    }
}

/// `nginx` → `docker.io/library/nginx:latest`, as containerd names a reference.
pub fn normal_image(reference: &str) -> String {
    let reference = reference.split('@').next().unwrap_or(reference);
    let last = reference.rsplit('/').next().unwrap_or(reference);
    let tagged = if last.contains(':') {
        reference.to_string()
    } else {
        format!("{reference}:latest")
    };
    let first = tagged.split('/').next().unwrap_or_default();
    if !tagged.contains('/') {
        format!("docker.io/library/{tagged}")
    } else if first.contains('.') || first.contains(':') || first == "localhost" {
        tagged
    } else {
        format!("docker.io/{tagged}")
    }
}

fn node_object(node: &NodeSpec, index: usize) -> Result<Value, ApiError> {
    let mut labels = serde_json::Map::new();
    labels.insert("beta.kubernetes.io/arch".into(), json!("amd64"));
    labels.insert("beta.kubernetes.io/os".into(), json!("linux"));
    labels.insert("kubernetes.io/arch".into(), json!("amd64"));
    labels.insert("kubernetes.io/hostname".into(), json!(node.name));
    labels.insert("kubernetes.io/os".into(), json!("linux"));
    if node.control_plane {
        labels.insert("node-role.kubernetes.io/control-plane".into(), json!(""));
        labels.insert(
            "node.kubernetes.io/exclude-from-external-load-balancers".into(),
            json!(""),
        );
    }
    for (key, value) in &node.labels {
        labels.insert(key.clone(), json!(value));
    }
    let mut taints: Vec<Value> = Vec::new();
    if node.control_plane {
        taints
            .push(json!({"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}));
    }
    for taint in &node.taints {
        taints.push(parse_taint(taint).ok_or_else(|| ApiError {
            reason: super::objects::Reason::BadRequest,
            message: format!("invalid taint spec: {taint}"),
        })?);
    }
    let mut spec = json!({"podCIDR": format!("10.244.{index}.0/24"), "podCIDRs": [format!("10.244.{index}.0/24")]});
    if node.unschedulable {
        spec["unschedulable"] = json!(true);
        taints.push(json!({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}));
    }
    if !taints.is_empty() {
        spec["taints"] = Value::Array(taints);
    }
    let capacity = json!({"cpu": node.cpu, "memory": node.memory, "pods": node.pods.to_string(),
                          "ephemeral-storage": "20Gi", "hugepages-2Mi": "0"});
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": node.name, "labels": labels},
        "spec": spec,
        "status": {
            "capacity": capacity,
            "allocatable": capacity,
            "addresses": [{"type": "InternalIP", "address": format!("192.168.1.{}", 10 + index)},
                          {"type": "Hostname", "address": node.name}],
            "nodeInfo": {"kubeletVersion": "v1.37.1", "containerRuntimeVersion": "containerd://2.1.4",
                         "osImage": "Ubuntu 24.04.3 LTS", "kernelVersion": "6.8.0-79-generic",
                         "operatingSystem": "linux", "architecture": "amd64"},
            "conditions": [],
        }
    }))
}

/// `key=value:Effect`, `key:Effect` → a taint; `None` when it is not one.
pub fn parse_taint(text: &str) -> Option<Value> {
    let (key_value, effect) = text.rsplit_once(':')?;
    if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
        return None;
    }
    let (key, value) = match key_value.split_once('=') {
        Some((key, value)) => (key, Some(value)),
        None => (key_value, None),
    };
    if key.is_empty() {
        return None;
    }
    let mut taint = json!({"key": key, "effect": effect});
    if let Some(value) = value {
        taint["value"] = json!(value);
    }
    Some(taint)
}
