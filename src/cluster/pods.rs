//! The kubelet, one Pod at a time: mount the volumes, pull each image from the scenario's
//! registry, make the environment, start the process the image and the Pod name, run init
//! containers one by one (native sidecars stay running), restart what exits with the
//! CrashLoopBackOff back-off, and write the Pod's status as a kubelet would. What a process does
//! once started comes from the scenario's behaviour rules.

use crate::cluster::At as _;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::backoff;
use super::conditions::set_condition;
use super::controllers::claims_of;
use super::kubelet::{CONFIG_ERROR, config_error};
use super::objects::Key;
use super::sim::Cluster;
use crate::grade::process::{self, Images};
use crate::grade::resources::Resource;
use crate::model::Image;
use crate::model::world::Behavior;

/// What the kubelet knows of one container between syncs.
#[derive(Debug, Clone, Default)]
pub struct Runtime {
    pub state: State,
    pub restarts: u32,
    crashes: u32,
    pub last: Option<Value>,
    pub logs: Vec<String>,
    pub previous_logs: Option<Vec<String>>,
    pulled: bool,
    pull_failures: u32,
    next_try: Option<Timestamp>,
    exit_at: Option<Timestamp>,
    exit_code: i32,
    ready: bool,
    started_at: Option<Timestamp>,
    until: Option<(String, String)>,
    next_line: Option<Timestamp>,
    pub cpu: Option<String>,
    pub memory: Option<String>,
    ever_started: bool,
    /// Why the process will end when it is not its own choice (`OOMKilled`).
    killed: Option<String>,
    /// Exited for the first time in a row: the kubelet starts it again at its next sync.
    restart_now: bool,
}

impl Runtime {
    /// When this container next needs the kubelet: a back-off or retry ending, the process
    /// exiting, or its next waiting line.
    pub(crate) fn next_due(&self) -> Option<Timestamp> {
        match self.state {
            State::Waiting { .. } => self.next_try,
            State::Terminated(_) if self.restart_now => self.next_try,
            State::Running => [self.exit_at, self.until.as_ref().and(self.next_line)]
                .into_iter()
                .flatten()
                .min(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum State {
    #[default]
    New,
    Waiting {
        reason: String,
        message: Option<String>,
    },
    Running,
    Terminated(Value),
}

fn text<'v>(object: &'v Value, pointer: &str) -> &'v str {
    object
        .at(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn stamp(now: Timestamp) -> String {
    now.round(jiff::Unit::Second).unwrap_or(now).to_string()
}

/// Go's `time.Duration` text for whole seconds: `10s`, `1m20s`, `5m0s`.
pub fn go_duration(duration: SignedDuration) -> String {
    let seconds = duration.as_secs();
    if seconds < 60 {
        format!("{seconds}s")
    } else if seconds < 3600 {
        format!("{}m{}s", seconds / 60, seconds % 60)
    } else {
        format!(
            "{}h{}m{}s",
            seconds / 3600,
            seconds % 3600 / 60,
            seconds % 60
        )
    }
}

/// Syncs every Pod bound to a node whose kubelet runs.
pub(super) fn run(cluster: &mut Cluster) {
    for key in cluster.objects.keys("Pod") {
        let Some(pod) = cluster.objects.get(&key).cloned() else {
            continue;
        };
        let node = text(&pod, "/spec/nodeName").to_string();
        if node.is_empty()
            || cluster.stopped_kubelets.contains(&node)
            || matches!(text(&pod, "/status/phase"), "Succeeded" | "Failed")
        {
            continue;
        }
        sync(cluster, &key, &pod, &node);
    }
}

/// Why the Pod's volumes cannot be mounted (the FailedMount event's text), if so.
fn mount_error(cluster: &Cluster, pod: &Value, namespace: &str) -> Option<(String, String)> {
    for volume in pod
        .at("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = text(volume, "/name");
        for (field, kind, reference, what) in [
            ("configMap", "ConfigMap", "/configMap/name", "configmap"),
            ("secret", "Secret", "/secret/secretName", "secret"),
        ] {
            if volume.get(field).is_some()
                && volume
                    .at(&format!("/{field}/optional"))
                    .and_then(Value::as_bool)
                    != Some(true)
            {
                let object = text(volume, reference);
                if cluster.objects.find(kind, namespace, object).is_err() {
                    return Some((
                        name.to_string(),
                        format!(
                            "MountVolume.SetUp failed for volume \"{name}\" : {what} \"{object}\" not found"
                        ),
                    ));
                }
            }
        }
    }
    for claim in claims_of(pod) {
        let bound = cluster
            .objects
            .find("PersistentVolumeClaim", namespace, &claim)
            .is_ok_and(|claim| text(claim, "/status/phase") == "Bound");
        if !bound {
            return Some((
                claim.clone(),
                format!(
                    "Unable to attach or mount volumes: unmounted volumes=[{claim}]: timed out waiting for the condition"
                ),
            ));
        }
    }
    None
}

fn sync(cluster: &mut Cluster, key: &Key, pod: &Value, node: &str) {
    let namespace = key.namespace.clone();
    let mount = mount_error(cluster, pod, &namespace);
    if let Some((_, message)) = &mount {
        // The kubelet retries the mount with a back-off up to about two minutes.
        super::controllers::record_after(
            cluster,
            pod,
            (false, "FailedMount", message, "kubelet"),
            SignedDuration::from_secs(120),
        );
    }
    let policy = text(pod, "/spec/restartPolicy").to_string();
    let policy = if policy.is_empty() {
        "Always".to_string()
    } else {
        policy
    };
    let inits: Vec<Value> = pod
        .at("/spec/initContainers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let apps: Vec<Value> = pod
        .at("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut initialized = true;
    let mut failed_init = false;
    if mount.is_none() {
        for container in &inits {
            let sidecar = text(container, "/restartPolicy") == "Always";
            let init_policy = if sidecar {
                "Always"
            } else if policy == "Never" {
                "Never"
            } else {
                "OnFailure"
            };
            step(cluster, pod, container, init_policy);
            let runtime = runtime_of(cluster, &namespace, &key.name, container);
            let done = if sidecar {
                runtime.state == State::Running
            } else {
                matches!(&runtime.state, State::Terminated(terminated) if terminated["exitCode"] == 0)
            };
            if !done {
                initialized = false;
                failed_init = matches!(&runtime.state, State::Terminated(terminated) if terminated["exitCode"] != 0);
                break;
            }
        }
        if initialized {
            for container in &apps {
                step(cluster, pod, container, &policy);
            }
        }
    } else {
        initialized = inits.is_empty();
    }
    write_status(
        cluster,
        key,
        pod,
        node,
        &inits,
        &apps,
        initialized,
        failed_init,
        mount.is_some(),
    );
}

fn runtime_key(namespace: &str, pod: &str, container: &Value) -> (String, String, String) {
    (
        namespace.to_string(),
        pod.to_string(),
        text(container, "/name").to_string(),
    )
}

fn runtime_of(cluster: &Cluster, namespace: &str, pod: &str, container: &Value) -> Runtime {
    cluster
        .runtime
        .get(&runtime_key(namespace, pod, container))
        .cloned()
        .unwrap_or_default()
}

/// The images' default processes: the built-in list, then the scenario's registry.
pub(crate) fn images(cluster: &Cluster) -> Images {
    let mut more = std::collections::BTreeMap::new();
    for (name, spec) in &cluster.images {
        if !spec.entrypoint.is_empty() || !spec.cmd.is_empty() {
            // Looked up as the grader does, by repository without tag.
            let last_slash = name.rfind('/').map_or(0, |slash| slash + 1);
            let name = match name[last_slash..].find(':') {
                Some(colon) => name[..last_slash + colon].to_string(),
                None => name.clone(),
            };
            more.insert(
                name,
                Image {
                    entrypoint: spec.entrypoint.clone(),
                    cmd: spec.cmd.clone(),
                },
            );
        }
    }
    Images::built_in().with(&more)
}

/// The process a container runs, or why it has none.
pub(crate) fn process_of(
    cluster: &Cluster,
    pod: &Value,
    container: &Value,
) -> (Vec<String>, std::collections::BTreeMap<String, String>) {
    let namespace = text(pod, "/metadata/namespace");
    let resources: Vec<Resource<'_>> = ["ConfigMap", "Secret"]
        .iter()
        .flat_map(|kind| {
            cluster
                .list(kind, Some(namespace))
                .into_iter()
                .map(move |object| (kind, object))
        })
        .map(|(kind, object)| Resource {
            kind: (*kind).to_string(),
            name: text(&object, "/metadata/name").to_string(),
            object,
            node: None,
            document: 0,
        })
        .collect();
    let refs: Vec<&Resource<'_>> = resources.iter().collect();
    let this = Resource {
        kind: "Pod".into(),
        name: text(pod, "/metadata/name").to_string(),
        object: pod.clone(),
        node: None,
        document: 0,
    };
    let environment = process::environment(&this, container, &refs);
    let argv = process::argv(container, &images(cluster), &environment).unwrap_or_default();
    (argv, environment.variables)
}

fn behavior_for<'c>(
    cluster: &'c Cluster,
    pod: &Value,
    container: &Value,
    argv: &[String],
) -> Option<&'c Behavior> {
    let pod_name = text(pod, "/metadata/name");
    let joined = argv.join(" ");
    cluster.behaviors.iter().find(|rule| {
        rule.pod
            .as_deref()
            .is_none_or(|wanted| match wanted.strip_suffix('*') {
                Some(prefix) => pod_name.starts_with(prefix),
                None => pod_name == wanted,
            })
            && rule
                .container
                .as_deref()
                .is_none_or(|wanted| wanted == text(container, "/name"))
            && rule
                .image
                .as_deref()
                .is_none_or(|wanted| wanted == text(container, "/image"))
            && rule.argv.as_deref().is_none_or(|pattern| {
                regex_lite::Regex::new(pattern).is_ok_and(|regex| regex.is_match(&joined))
            })
    })
}

/// One sync of one container under `policy` (Always, OnFailure, Never).
fn step(cluster: &mut Cluster, pod: &Value, container: &Value, policy: &str) {
    let namespace = text(pod, "/metadata/namespace").to_string();
    let pod_name = text(pod, "/metadata/name").to_string();
    let key = runtime_key(&namespace, &pod_name, container);
    let mut runtime = cluster.runtime.get(&key).cloned().unwrap_or_default();
    let now = cluster.now;
    let name = text(container, "/name").to_string();
    let image = text(container, "/image").to_string();
    let uid = text(pod, "/metadata/uid").to_string();
    match runtime.state.clone() {
        State::Waiting { reason, .. } if runtime.next_try.is_some_and(|next| next > now) => {
            if reason == "ErrImagePull" {
                runtime.state = State::Waiting {
                    reason: "ImagePullBackOff".into(),
                    message: Some(format!("Back-off pulling image \"{image}\"")),
                };
                cluster.record(
                    pod,
                    true,
                    "BackOff",
                    &format!("Back-off pulling image \"{image}\""),
                    "kubelet",
                );
                cluster.record(pod, false, "Failed", "Error: ImagePullBackOff", "kubelet");
            }
        }
        State::New | State::Waiting { .. } => {
            start(cluster, pod, container, policy, &mut runtime);
            // A container that could not start for the first time in a row is tried again
            // at once (the next crash waits).
            if runtime.restart_now {
                runtime.restart_now = false;
                start(cluster, pod, container, policy, &mut runtime);
            }
        }
        State::Running => {
            if let Some((target, line)) = runtime.until.clone() {
                if cluster.resolves(&target, &namespace) {
                    runtime.exit_at = Some(now);
                    runtime.exit_code = 0;
                    runtime.until = None;
                } else if runtime.next_line.is_none_or(|next| next <= now) {
                    runtime.logs.push(line);
                    runtime.next_line = Some(now + SignedDuration::from_secs(2));
                }
            }
            if runtime.exit_at.is_some_and(|at| at <= now) {
                let code = runtime.exit_code;
                let started = runtime.started_at.unwrap_or(now);
                let terminated = json!({
                    "exitCode": code,
                    "reason": runtime.killed.clone().unwrap_or_else(|| if code == 0 { "Completed" } else { "Error" }.to_string()),
                    "startedAt": stamp(started),
                    "finishedAt": stamp(now),
                    "containerID": container_id(&uid, &name, runtime.restarts),
                });
                exited(
                    cluster,
                    pod,
                    &name,
                    policy,
                    &mut runtime,
                    terminated,
                    now.duration_since(started),
                );
                if runtime.restart_now {
                    runtime.restart_now = false;
                    start(cluster, pod, container, policy, &mut runtime);
                }
            }
        }
        State::Terminated(_) if runtime.restart_now => {
            runtime.restart_now = false;
            start(cluster, pod, container, policy, &mut runtime);
        }
        State::Terminated(_) => {}
    }
    let _ = uid;
    cluster.runtime.insert(key, runtime);
}

fn container_id(uid: &str, name: &str, restarts: u32) -> String {
    let hash =
        crate::model::stable_hash(&[uid.as_bytes(), name.as_bytes(), &restarts.to_le_bytes()]);
    let more = crate::model::stable_hash(&[&hash.to_le_bytes()]);
    format!("containerd://{hash:016x}{more:016x}{hash:016x}{more:016x}")
}

/// Pull, check the environment, and start the container (or fail to).
fn start(
    cluster: &mut Cluster,
    pod: &Value,
    container: &Value,
    policy: &str,
    runtime: &mut Runtime,
) {
    let now = cluster.now;
    let name = text(container, "/name").to_string();
    let image = text(container, "/image").to_string();
    let namespace = text(pod, "/metadata/namespace").to_string();
    let uid = text(pod, "/metadata/uid").to_string();
    let pod_name = text(pod, "/metadata/name").to_string();
    let Some(spec) = cluster.pullable(&image) else {
        runtime.pull_failures += 1;
        let normal = super::sim::normal_image(&image);
        let message = format!(
            "Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{normal}\": failed to resolve reference \"{normal}\": {normal}: not found"
        );
        cluster.record(
            pod,
            true,
            "Pulling",
            &format!("Pulling image \"{image}\""),
            "kubelet",
        );
        cluster.record(pod, false, "Failed", &message, "kubelet");
        cluster.record(pod, false, "Failed", "Error: ErrImagePull", "kubelet");
        runtime.state = State::Waiting {
            reason: "ErrImagePull".into(),
            message: Some(message),
        };
        runtime.next_try = Some(now + backoff::delay(runtime.pull_failures));
        return;
    };
    let always = text(container, "/imagePullPolicy") == "Always";
    if !runtime.pulled || always {
        runtime.pulled = true;
        if always {
            cluster.record(
                pod,
                true,
                "Pulling",
                &format!("Pulling image \"{image}\""),
                "kubelet",
            );
            let size = 2_000_000 + crate::model::stable_hash(&[image.as_bytes()]) % 60_000_000;
            cluster.record(pod, true, "Pulled", &format!("Successfully pulled image \"{image}\" in 1.104s (1.104s including waiting). Image size: {size} bytes."), "kubelet");
        } else {
            cluster.record(
                pod,
                true,
                "Pulled",
                &format!("Container image \"{image}\" already present on machine"),
                "kubelet",
            );
        }
    }
    if let Some(message) = config_error(pod, container, &cluster.objects) {
        cluster.record(
            pod,
            false,
            "Failed",
            &format!("Error: {message}"),
            "kubelet",
        );
        runtime.state = State::Waiting {
            reason: CONFIG_ERROR.into(),
            message: Some(message),
        };
        runtime.next_try = Some(now + SignedDuration::from_secs(10));
        return;
    }
    let (argv, _) = process_of(cluster, pod, container);
    if runtime.ever_started {
        runtime.restarts += 1;
    }
    runtime.ever_started = true;
    cluster.record(
        pod,
        true,
        "Created",
        &format!("Created container: {name}"),
        "kubelet",
    );
    let executable = argv.first().cloned().unwrap_or_default();
    let base = executable
        .rsplit('/')
        .next()
        .unwrap_or(&executable)
        .to_string();
    // An image whose default process kubedrill does not know runs it.
    let found = executable.is_empty()
        || (spec.path.is_empty()
            || spec
                .path
                .iter()
                .any(|known| *known == base || *known == executable));
    if !found {
        let message = format!(
            "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{executable}\": executable file not found in $PATH: unknown"
        );
        cluster.record(
            pod,
            false,
            "Failed",
            &format!("Error: {message}"),
            "kubelet",
        );
        let terminated = json!({
            "exitCode": 128,
            "reason": "StartError",
            "message": message,
            "startedAt": "1970-01-01T00:00:00Z",
            "finishedAt": stamp(now),
            "containerID": container_id(&uid, &name, runtime.restarts),
        });
        exited(
            cluster,
            pod,
            &name,
            policy,
            runtime,
            terminated,
            SignedDuration::ZERO,
        );
        return;
    }
    cluster.record(
        pod,
        true,
        "Started",
        &format!("Started container {name}"),
        "kubelet",
    );
    runtime.state = State::Running;
    runtime.started_at = Some(now);
    runtime.logs.clear();
    runtime.killed = None;
    runtime.exit_at = None;
    runtime.until = None;
    runtime.ready = true;
    let rule = behavior_for(cluster, pod, container, &argv).cloned();
    match rule {
        Some(rule) => {
            runtime.logs.extend(rule.logs.iter().cloned());
            if let Some(code) = rule.exit {
                runtime.exit_at = Some(now + SignedDuration::from_secs(rule.after as i64));
                runtime.exit_code = code;
            }
            if let Some(target) = &rule.until_resolves {
                let line = rule
                    .waiting
                    .clone()
                    .unwrap_or_else(|| format!("waiting for {target}"));
                runtime.until = Some((target.clone(), line));
                runtime.next_line = None;
            }
            runtime.ready = rule.ready.unwrap_or(true);
            runtime.cpu = rule.cpu.clone();
            runtime.memory = rule.memory.clone();
            // Using more memory than its limit gets the process killed by the kernel's OOM
            // killer: exit 137 (SIGKILL), reason OOMKilled.
            let limit = container
                .at("/resources/limits/memory")
                .and_then(process::quantity);
            let used = rule
                .memory
                .as_deref()
                .and_then(crate::manifest::quantity::parse);
            if let (Some(limit), Some(used)) = (limit, used)
                && used > limit
            {
                runtime.exit_at = Some(now + SignedDuration::from_secs(rule.after.max(1) as i64));
                runtime.exit_code = 137;
                runtime.killed = Some("OOMKilled".into());
            }
        }
        None => builtin(&argv, runtime, now),
    }
    let _ = (namespace, pod_name);
}

/// What a few well-known programs do when no rule says: `sleep N` exits 0 after N seconds,
/// `echo` prints its words and exits, `true`/`false` exit 0/1.
fn builtin(argv: &[String], runtime: &mut Runtime, now: Timestamp) {
    let program = argv
        .first()
        .map(|word| word.rsplit('/').next().unwrap_or(word))
        .unwrap_or_default();
    match program {
        "sleep" => match argv.get(1).map(|word| word.parse::<u64>()) {
            Some(Ok(seconds)) => {
                runtime.exit_at = Some(now + SignedDuration::from_secs(seconds as i64));
                runtime.exit_code = 0;
            }
            Some(Err(_)) => {
                runtime
                    .logs
                    .push(format!("sleep: invalid number '{}'", argv[1]));
                runtime.exit_at = Some(now);
                runtime.exit_code = 1;
            }
            None => {
                runtime.logs.push("sleep: missing operand".into());
                runtime.exit_at = Some(now);
                runtime.exit_code = 1;
            }
        },
        "echo" => {
            runtime.logs.push(argv[1..].join(" "));
            runtime.exit_at = Some(now);
            runtime.exit_code = 0;
        }
        "true" | "false" => {
            runtime.exit_at = Some(now);
            runtime.exit_code = i32::from(program == "false");
        }
        _ => {}
    }
}

/// A container ended: keep its logs as the previous ones, and restart it after the back-off if
/// the policy says so.
fn exited(
    cluster: &mut Cluster,
    pod: &Value,
    name: &str,
    policy: &str,
    runtime: &mut Runtime,
    terminated: Value,
    ran: SignedDuration,
) {
    let code = terminated["exitCode"].as_i64().unwrap_or(0);
    runtime.previous_logs = Some(std::mem::take(&mut runtime.logs));
    runtime.ready = false;
    runtime.exit_at = None;
    runtime.until = None;
    let restart = match policy {
        "Always" => true,
        "OnFailure" => code != 0,
        _ => false,
    };
    if !restart {
        runtime.state = State::Terminated(terminated);
        return;
    }
    runtime.last = Some(terminated.clone());
    runtime.crashes = backoff::crashes_after_running(runtime.crashes, ran);
    let delay = backoff::restart_delay(runtime.crashes);
    runtime.next_try = Some(cluster.now + delay);
    if delay.is_zero() {
        // The first exit in a row: started again at once, with no back-off.
        runtime.state = State::Terminated(terminated);
        runtime.restart_now = true;
        return;
    }
    let namespace = text(pod, "/metadata/namespace");
    let pod_name = text(pod, "/metadata/name");
    let uid = text(pod, "/metadata/uid");
    runtime.state = State::Waiting {
        reason: "CrashLoopBackOff".into(),
        message: Some(format!(
            "back-off {} restarting failed container={name} pod={pod_name}_{namespace}({uid})",
            go_duration(delay)
        )),
    };
    let message =
        format!("Back-off restarting failed container {name} in pod {pod_name}_{namespace}({uid})");
    cluster.record(pod, false, "BackOff", &message, "kubelet");
}

fn container_status(cluster: &Cluster, pod: &Value, container: &Value, uid: &str) -> Value {
    let namespace = text(pod, "/metadata/namespace");
    let name = text(container, "/name");
    let image = text(container, "/image");
    let runtime = runtime_of(cluster, namespace, text(pod, "/metadata/name"), container);
    let state = match &runtime.state {
        State::New => json!({"waiting": {"reason": "PodInitializing"}}),
        State::Waiting { reason, message } => {
            let mut waiting = json!({"reason": reason});
            if let Some(message) = message {
                waiting["message"] = json!(message);
            }
            json!({"waiting": waiting})
        }
        State::Running => json!({"running": {"startedAt": runtime.started_at.map(stamp)}}),
        State::Terminated(terminated) => json!({"terminated": terminated}),
    };
    let running = runtime.state == State::Running;
    // A regular init container is ready once it has completed, never while it runs.
    let regular_init = pod
        .at("/spec/initContainers")
        .and_then(Value::as_array)
        .is_some_and(|inits| {
            inits
                .iter()
                .any(|init| text(init, "/name") == name && text(init, "/restartPolicy") != "Always")
        });
    let ready = if regular_init {
        matches!(&runtime.state, State::Terminated(done) if done["exitCode"] == 0)
    } else {
        running && runtime.ready
    };
    let mut status = json!({
        "name": name,
        "image": image,
        "imageID": if runtime.pulled { json!(format!("{}@sha256:{:016x}{:016x}{:016x}{:016x}", super::sim::normal_image(image).rsplit_once(':').map_or(image.to_string(), |(repository, _)| repository.to_string()), crate::model::stable_hash(&[image.as_bytes()]), crate::model::stable_hash(&[image.as_bytes(), b"1"]), crate::model::stable_hash(&[image.as_bytes(), b"2"]), crate::model::stable_hash(&[image.as_bytes(), b"3"]))) } else { json!("") },
        "ready": ready,
        "started": running,
        "restartCount": runtime.restarts,
        "state": state,
        "lastState": runtime.last.as_ref().map_or(json!({}), |last| json!({"terminated": last})),
    });
    if runtime.ever_started {
        status["containerID"] = json!(container_id(uid, name, runtime.restarts));
    }
    status
}

#[allow(clippy::too_many_arguments)]
fn write_status(
    cluster: &mut Cluster,
    key: &Key,
    pod: &Value,
    node: &str,
    inits: &[Value],
    apps: &[Value],
    initialized: bool,
    failed_init: bool,
    mounting: bool,
) {
    let Some(current) = cluster.objects.get(key) else {
        return;
    };
    let uid = text(pod, "/metadata/uid").to_string();
    let mut status = current.get("status").cloned().unwrap_or_else(|| json!({}));
    let node_object = cluster.objects.find("Node", "", node).ok();
    let host_ip = node_object
        .and_then(|node| node.at("/status/addresses/0/address"))
        .cloned()
        .unwrap_or(json!("192.168.1.10"));
    let cidr = node_object
        .map(|node| text(node, "/spec/podCIDR").to_string())
        .unwrap_or_default();
    status["hostIP"] = host_ip.clone();
    status["hostIPs"] = json!([{"ip": host_ip}]);
    if status.get("podIP").is_none() && !mounting && text(pod, "/spec/hostNetwork").is_empty() {
        cluster.pod_ips += 1;
        let prefix = cidr
            .rsplit_once('.')
            .map_or("10.244.1", |(prefix, _)| prefix);
        let ip = format!("{prefix}.{}", cluster.pod_ips % 250 + 2);
        status["podIP"] = json!(ip);
        status["podIPs"] = json!([{"ip": ip}]);
    }
    if status.get("startTime").is_none() {
        status["startTime"] = json!(stamp(cluster.now));
    }
    let init_statuses: Vec<Value> = inits
        .iter()
        .map(|container| container_status(cluster, pod, container, &uid))
        .collect();
    let mut app_statuses: Vec<Value> = apps
        .iter()
        .map(|container| container_status(cluster, pod, container, &uid))
        .collect();
    if !initialized || mounting {
        for status in &mut app_statuses {
            if status["state"]["waiting"]["reason"] == "PodInitializing"
                && mounting
                && inits.is_empty()
            {
                status["state"] = json!({"waiting": {"reason": "ContainerCreating"}});
            }
        }
    }
    if !init_statuses.is_empty() {
        let mut init_statuses = init_statuses;
        if mounting {
            for status in &mut init_statuses {
                if status["state"]["waiting"]["reason"] == "PodInitializing" {
                    status["state"] = json!({"waiting": {"reason": "PodInitializing"}});
                }
            }
        }
        status["initContainerStatuses"] = Value::Array(init_statuses);
    }
    status["containerStatuses"] = Value::Array(app_statuses.clone());
    let all_terminated = !app_statuses.is_empty()
        && app_statuses
            .iter()
            .all(|status| status["state"].get("terminated").is_some());
    let any_failed = app_statuses.iter().any(|status| {
        status["state"]["terminated"]["exitCode"]
            .as_i64()
            .is_some_and(|code| code != 0)
    });
    let phase = if failed_init && text(pod, "/spec/restartPolicy") == "Never" {
        "Failed"
    } else if all_terminated {
        if any_failed { "Failed" } else { "Succeeded" }
    } else if initialized
        && app_statuses.iter().any(|status| {
            status["state"].get("running").is_some()
                || status["lastState"].get("terminated").is_some()
        })
    {
        "Running"
    } else {
        "Pending"
    };
    status["phase"] = json!(phase);
    let ready_all = initialized
        && !app_statuses.is_empty()
        && app_statuses.iter().all(|status| status["ready"] == true);
    let unready: Vec<String> = app_statuses
        .iter()
        .filter(|status| status["ready"] != true)
        .map(|status| text(status, "/name").to_string())
        .collect();
    let incomplete: Vec<String> = inits
        .iter()
        .filter(|container| {
            let runtime = runtime_of(cluster, &key.namespace, &key.name, container);
            !matches!(&runtime.state, State::Terminated(done) if done["exitCode"] == 0)
                && runtime.state != State::Running
        })
        .map(|container| text(container, "/name").to_string())
        .collect();
    let conditions = status.get_mut("conditions").map(Value::take);
    let now = cluster.now;
    let mut conditions = set_condition(
        conditions.unwrap_or_default(),
        "PodReadyToStartContainers",
        if mounting { "False" } else { "True" },
        None,
        None,
        now,
    );
    conditions = if initialized {
        set_condition(conditions, "Initialized", "True", None, None, now)
    } else {
        set_condition(
            conditions,
            "Initialized",
            "False",
            Some("ContainersNotInitialized"),
            Some(&format!(
                "containers with incomplete status: [{}]",
                incomplete.join(" ")
            )),
            now,
        )
    };
    let (ready_status, ready_reason, ready_message) = if ready_all {
        ("True", None, None)
    } else if phase == "Succeeded" || phase == "Failed" {
        ("False", Some("PodCompleted"), None)
    } else {
        (
            "False",
            Some("ContainersNotReady"),
            Some(format!(
                "containers with unready status: [{}]",
                unready.join(" ")
            )),
        )
    };
    conditions = set_condition(
        conditions,
        "Ready",
        ready_status,
        ready_reason,
        ready_message.as_deref(),
        now,
    );
    conditions = set_condition(
        conditions,
        "ContainersReady",
        ready_status,
        ready_reason,
        ready_message.as_deref(),
        now,
    );
    // The kubelet lists them in this order.
    let order = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ];
    if let Some(list) = conditions.as_array_mut() {
        list.sort_by_key(|condition| {
            order
                .iter()
                .position(|kind| condition["type"] == *kind)
                .unwrap_or(9)
        });
    }
    status["conditions"] = conditions;
    status["qosClass"] = json!(qos_class(pod));
    cluster.objects.set_status(key, status);
}

/// BestEffort without requests or limits; Guaranteed when every container's limits equal its
/// requests for CPU and memory; Burstable otherwise.
pub fn qos_class(pod: &Value) -> &'static str {
    let containers: Vec<&Value> = ["/spec/containers", "/spec/initContainers"]
        .iter()
        .filter_map(|pointer| pod.at(pointer).and_then(Value::as_array))
        .flatten()
        .collect();
    let any = containers.iter().any(|container| {
        container
            .at("/resources/requests")
            .is_some_and(|requests| requests.as_object().is_some_and(|map| !map.is_empty()))
            || container
                .at("/resources/limits")
                .is_some_and(|limits| limits.as_object().is_some_and(|map| !map.is_empty()))
    });
    if !any {
        return "BestEffort";
    }
    let guaranteed = containers.iter().all(|container| {
        ["cpu", "memory"].iter().all(|resource| {
            let limit = container.at(&format!("/resources/limits/{resource}"));
            let request = container
                .at(&format!("/resources/requests/{resource}"))
                .or(limit);
            limit.is_some()
                && limit.and_then(process::quantity) == request.and_then(process::quantity)
        })
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}
