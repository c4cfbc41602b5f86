//! What `kubectl get` prints, computed as the API server's table printers compute it
//! (pkg/printers/internalversion in Kubernetes 1.37): the AGE column's human durations and a
//! Pod's READY, STATUS and RESTARTS.

use crate::cluster::At as _;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

/// A duration as the AGE column writes it (apimachinery `duration.HumanDuration`): `45s`,
/// `2m30s`, `12m`, `5h20m`, `30h`, `3d4h`, `200d`, `2y30d`, `10y`.
pub fn human_duration(duration: SignedDuration) -> String {
    let seconds = duration.as_secs();
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        return match seconds % 60 {
            0 => format!("{minutes}m"),
            rest => format!("{minutes}m{rest}s"),
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        return match minutes % 60 {
            0 => format!("{hours}h"),
            rest => format!("{hours}h{rest}m"),
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        return match hours % 24 {
            0 => format!("{}d", hours / 24),
            rest => format!("{}d{rest}h", hours / 24),
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        return match (hours / 24) % 365 {
            0 => format!("{}y", hours / 24 / 365),
            rest => format!("{}y{rest}d", hours / 24 / 365),
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// How long ago `timestamp` (RFC 3339) was, as the AGE column writes it; `<unknown>` without one.
pub fn age(timestamp: Option<&str>, now: Timestamp) -> String {
    match timestamp.and_then(|text| text.parse::<Timestamp>().ok()) {
        Some(then) => human_duration(now.duration_since(then)),
        None => "<unknown>".into(),
    }
}

/// A Pod's row in `kubectl get pods`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRow {
    pub name: String,
    /// `ready/total`: sidecars (init containers with `restartPolicy: Always`) count.
    pub ready: String,
    pub status: String,
    /// `3 (45s ago)`, or `0`.
    pub restarts: String,
    pub age: String,
}

/// The row kubectl prints for a Pod at `now`.
pub fn pod_row(pod: &Value, now: Timestamp) -> PodRow {
    let text = |pointer: &str| pod.at(pointer).and_then(Value::as_str);
    let list = |pointer: &str| -> Vec<&Value> {
        pod.at(pointer)
            .and_then(Value::as_array)
            .map(|items| items.iter().collect())
            .unwrap_or_default()
    };
    let init_specs = list("/spec/initContainers");
    let sidecar = |name: Option<&str>| {
        init_specs.iter().any(|container| {
            container.get("name").and_then(Value::as_str) == name
                && container.get("restartPolicy").and_then(Value::as_str) == Some("Always")
        })
    };
    let total = list("/spec/containers").len()
        + init_specs
            .iter()
            .filter(|container| {
                container.get("restartPolicy").and_then(Value::as_str) == Some("Always")
            })
            .count();
    let phase = text("/status/phase").unwrap_or("Pending");
    let mut reason = text("/status/reason")
        .filter(|reason| !reason.is_empty())
        .unwrap_or(phase)
        .to_string();
    if list("/status/conditions").iter().any(|condition| {
        condition.get("type").and_then(Value::as_str) == Some("PodScheduled")
            && condition.get("reason").and_then(Value::as_str) == Some("SchedulingGated")
    }) {
        reason = "SchedulingGated".into();
    }
    let mut ready = 0;
    let mut restarts = 0;
    let mut sidecar_restarts = 0;
    let mut last_restart: Option<Timestamp> = None;
    let mut last_sidecar_restart: Option<Timestamp> = None;
    let mut initializing = false;
    for (index, status) in list("/status/initContainerStatuses").iter().enumerate() {
        let count = status
            .get("restartCount")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        restarts += count;
        let finished = last_finished(status);
        last_restart = later(last_restart, finished);
        let is_sidecar = sidecar(status.get("name").and_then(Value::as_str));
        if is_sidecar {
            sidecar_restarts += count;
            last_sidecar_restart = later(last_sidecar_restart, finished);
        }
        let state = status.get("state");
        let terminated = state.and_then(|state| state.get("terminated"));
        let waiting_reason = state
            .and_then(|state| state.get("waiting"))
            .and_then(|waiting| waiting.get("reason"))
            .and_then(Value::as_str)
            .filter(|reason| !reason.is_empty());
        if terminated.is_some_and(|terminated| exit_code(terminated) == 0) {
            continue;
        }
        if is_sidecar && status.get("started").and_then(Value::as_bool) == Some(true) {
            if status.get("ready").and_then(Value::as_bool) == Some(true) {
                ready += 1;
            }
            continue;
        }
        reason = match (terminated, waiting_reason) {
            (Some(terminated), _) => format!("Init:{}", terminated_reason(terminated)),
            (None, Some(waiting)) if waiting != "PodInitializing" => format!("Init:{waiting}"),
            _ => format!("Init:{index}/{}", init_specs.len()),
        };
        initializing = true;
        break;
    }
    if !initializing || super::condition_true(pod, "Initialized") {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for status in list("/status/containerStatuses").iter().rev() {
            restarts += status
                .get("restartCount")
                .and_then(Value::as_u64)
                .unwrap_or(0);
            last_restart = later(last_restart, last_finished(status));
            let state = status.get("state");
            let waiting_reason = state
                .and_then(|state| state.get("waiting"))
                .and_then(|waiting| waiting.get("reason"))
                .and_then(Value::as_str)
                .filter(|reason| !reason.is_empty());
            let terminated = state.and_then(|state| state.get("terminated"));
            if let Some(waiting) = waiting_reason {
                reason = waiting.to_string();
            } else if let Some(terminated) = terminated {
                reason = terminated_reason(terminated);
            } else if status.get("ready").and_then(Value::as_bool) == Some(true)
                && state.and_then(|state| state.get("running")).is_some()
            {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if super::condition_true(pod, "Ready") {
                "Running"
            } else {
                "NotReady"
            }
            .into();
        }
    }
    if pod.at("/metadata/deletionTimestamp").is_some() {
        if text("/status/reason") == Some("NodeLost") {
            reason = "Unknown".into();
        } else if !matches!(phase, "Succeeded" | "Failed") {
            reason = "Terminating".into();
        }
    }
    let restarts = match last_restart {
        Some(at) if restarts > 0 => {
            format!(
                "{restarts} ({} ago)",
                human_duration(now.duration_since(at))
            )
        }
        _ => restarts.to_string(),
    };
    PodRow {
        name: text("/metadata/name").unwrap_or_default().to_string(),
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts,
        age: age(text("/metadata/creationTimestamp"), now),
    }
}

/// Rows laid out as kubectl lays out a table (cli-runtime's tabwriter: every column but the
/// last as wide as its widest cell plus 3 spaces, at least 6; the last one not padded).
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let columns = headers.len();
    let width = |column: usize| {
        let widest = rows
            .iter()
            .filter_map(|row| row.get(column))
            .map(|cell| cell.chars().count())
            .chain([headers[column].chars().count()])
            .max()
            .unwrap_or(0);
        (widest + 3).max(6)
    };
    let widths: Vec<usize> = (0..columns).map(width).collect();
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (column, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if column + 1 < columns {
                out.push_str(&" ".repeat(widths[column] - cell.chars().count()));
            }
        }
        out.push('\n');
        out
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

fn number(object: &Value, pointer: &str) -> u64 {
    object.at(pointer).and_then(Value::as_u64).unwrap_or(0)
}

fn name_and_age(object: &Value, now: Timestamp) -> (String, String) {
    (
        object
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        age(
            object
                .at("/metadata/creationTimestamp")
                .and_then(Value::as_str),
            now,
        ),
    )
}

/// `kubectl get deployments`: NAME, READY, UP-TO-DATE, AVAILABLE, AGE.
pub fn deployment_row(deployment: &Value, now: Timestamp) -> Vec<String> {
    let (name, age) = name_and_age(deployment, now);
    let desired = deployment
        .at("/spec/replicas")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    vec![
        name,
        format!("{}/{desired}", number(deployment, "/status/readyReplicas")),
        number(deployment, "/status/updatedReplicas").to_string(),
        number(deployment, "/status/availableReplicas").to_string(),
        age,
    ]
}

/// `kubectl get replicasets`: NAME, DESIRED, CURRENT, READY, AGE.
pub fn replicaset_row(replicaset: &Value, now: Timestamp) -> Vec<String> {
    let (name, age) = name_and_age(replicaset, now);
    vec![
        name,
        number(replicaset, "/spec/replicas").to_string(),
        number(replicaset, "/status/replicas").to_string(),
        number(replicaset, "/status/readyReplicas").to_string(),
        age,
    ]
}

/// The addresses in an object's `status.loadBalancer.ingress` (a Service's or an Ingress's): each
/// entry's IP, or its hostname.
pub fn load_balancer_addresses(object: &Value) -> Vec<&str> {
    object
        .at("/status/loadBalancer/ingress")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            entry
                .get("ip")
                .or_else(|| entry.get("hostname"))
                .and_then(Value::as_str)
        })
        .collect()
}

/// `kubectl get services`: NAME, TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE.
pub fn service_row(service: &Value, now: Timestamp) -> Vec<String> {
    let (name, age) = name_and_age(service, now);
    let kind = service
        .at("/spec/type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP");
    let cluster_ip = service
        .at("/spec/clusterIP")
        .and_then(Value::as_str)
        .filter(|ip| !ip.is_empty())
        .unwrap_or("<none>");
    let external_ips: Vec<&str> = service
        .at("/spec/externalIPs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let ingress = load_balancer_addresses(service);
    let external = match kind {
        "ExternalName" => service
            .at("/spec/externalName")
            .and_then(Value::as_str)
            .unwrap_or("<none>")
            .to_string(),
        "LoadBalancer" => {
            let all: Vec<&str> = ingress.iter().chain(&external_ips).copied().collect();
            if all.is_empty() {
                "<pending>".to_string()
            } else {
                all.join(",")
            }
        }
        _ if !external_ips.is_empty() => external_ips.join(","),
        _ => "<none>".to_string(),
    };
    let ports: Vec<String> = service
        .at("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|port| {
            let protocol = port
                .get("protocol")
                .and_then(Value::as_str)
                .unwrap_or("TCP");
            let number = port.get("port").and_then(Value::as_u64).unwrap_or(0);
            match port.get("nodePort").and_then(Value::as_u64) {
                Some(node_port) if node_port > 0 => format!("{number}:{node_port}/{protocol}"),
                _ => format!("{number}/{protocol}"),
            }
        })
        .collect();
    vec![
        name,
        kind.to_string(),
        cluster_ip.to_string(),
        external,
        if ports.is_empty() {
            "<none>".to_string()
        } else {
            ports.join(",")
        },
        age,
    ]
}

/// `kubectl get nodes`: NAME, STATUS, ROLES, AGE, VERSION.
pub fn node_row(node: &Value, now: Timestamp) -> Vec<String> {
    let (name, age) = name_and_age(node, now);
    let ready = node
        .at("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|condition| condition.get("type").and_then(Value::as_str) == Some("Ready"))
        .and_then(|condition| condition.get("status").and_then(Value::as_str));
    // A kubelet that stopped reporting leaves Ready `Unknown`: kubectl says NotReady.
    let mut status = match ready {
        Some("True") => "Ready".to_string(),
        Some(_) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    };
    if node.at("/spec/unschedulable").and_then(Value::as_bool) == Some(true) {
        status.push_str(",SchedulingDisabled");
    }
    let mut roles: Vec<&str> = node
        .at("/metadata/labels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(
            |(key, value)| match key.strip_prefix("node-role.kubernetes.io/") {
                Some(role) if !role.is_empty() => Some(role),
                _ if key == "kubernetes.io/role" => value.as_str(),
                _ => None,
            },
        )
        .collect();
    roles.sort_unstable();
    roles.dedup();
    vec![
        name,
        status,
        if roles.is_empty() {
            "<none>".to_string()
        } else {
            roles.join(",")
        },
        age,
        node.at("/status/nodeInfo/kubeletVersion")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    ]
}

fn exit_code(terminated: &Value) -> i64 {
    terminated
        .get("exitCode")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// A terminated state's reason as the STATUS column shows it (without an `Init:` prefix):
/// its reason, else `Signal:N`, else `ExitCode:N`.
fn terminated_reason(terminated: &Value) -> String {
    match terminated.get("reason").and_then(Value::as_str) {
        Some(reason) if !reason.is_empty() => reason.to_string(),
        _ => match terminated.get("signal").and_then(Value::as_i64) {
            Some(signal) if signal != 0 => format!("Signal:{signal}"),
            _ => format!("ExitCode:{}", exit_code(terminated)),
        },
    }
}

/// When a container's last run ended, if it ran before.
fn last_finished(status: &Value) -> Option<Timestamp> {
    status
        .at("/lastState/terminated/finishedAt")
        .and_then(Value::as_str)
        .and_then(|text| text.parse().ok())
}

fn later(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn now() -> Timestamp {
        "2026-06-01T10:00:00Z".parse().unwrap()
    }

    fn row(pod: &Value) -> (String, String, String) {
        let row = pod_row(pod, now());
        (row.ready, row.status, row.restarts)
    }

    fn pod(spec: Value, status: Value) -> Value {
        let mut pod = json!({
            "metadata": {"name": "my-app", "creationTimestamp": "2026-06-01T09:55:30Z"}
        });
        pod["spec"] = spec;
        pod["status"] = status;
        pod
    }

    fn one_container() -> Value {
        json!({"containers": [{"name": "app", "image": "busybox"}]})
    }

    #[test]
    fn durations_are_written_as_kubectl_writes_ages() {
        let cases = [
            (45, "45s"),
            (119, "119s"),
            (150, "2m30s"),
            (300, "5m"),
            (720, "12m"),
            (3 * 3600 + 20 * 60, "3h20m"),
            (7 * 3600, "7h"),
            (30 * 3600, "30h"),
            (3 * 86_400 + 4 * 3600, "3d4h"),
            (200 * 86_400, "200d"),
            (2 * 365 * 86_400 + 30 * 86_400, "2y30d"),
            (10 * 365 * 86_400, "10y"),
        ];
        for (seconds, written) in cases {
            assert_eq!(
                human_duration(SignedDuration::from_secs(seconds)),
                written,
                "{seconds} s"
            );
        }
        assert_eq!(human_duration(SignedDuration::from_secs(-1)), "0s");
        assert_eq!(human_duration(SignedDuration::from_secs(-5)), "<invalid>");
        assert_eq!(
            pod_row(&pod(one_container(), json!({})), now()).age,
            "4m30s"
        );
    }

    #[test]
    fn tables_pad_every_column_but_the_last_by_three_and_rows_print_as_kubectl_prints_them() {
        let deployment = json!({
            "metadata": {"name": "frontend", "creationTimestamp": "2026-06-01T09:00:00Z"},
            "spec": {"replicas": 4},
            "status": {"readyReplicas": 3, "updatedReplicas": 4, "availableReplicas": 3}
        });
        let replicaset = json!({
            "metadata": {"name": "frontend-6d8f7c9b54", "creationTimestamp": "2026-06-01T09:58:00Z"},
            "spec": {"replicas": 4},
            "status": {"replicas": 4, "readyReplicas": 3}
        });
        assert_eq!(
            table(
                &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
                &[deployment_row(&deployment, now())]
            ),
            "NAME       READY   UP-TO-DATE   AVAILABLE   AGE\nfrontend   3/4     4            3           60m\n"
        );
        assert_eq!(
            table(
                &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
                &[replicaset_row(&replicaset, now())]
            ),
            "NAME                  DESIRED   CURRENT   READY   AGE\nfrontend-6d8f7c9b54   4         4         3       2m\n"
        );
        // A narrow column is still 6 wide.
        assert_eq!(
            table(&["A", "B"], &[vec!["x".into(), "y".into()]]),
            "A     B\nx     y\n"
        );
    }

    #[test]
    fn services_show_their_type_addresses_and_ports() {
        let service = |spec: Value| {
            let mut service =
                json!({"metadata": {"name": "web", "creationTimestamp": "2026-06-01T09:59:00Z"}});
            service["spec"] = spec;
            service_row(&service, now())
        };
        assert_eq!(
            service(
                json!({"type": "ClusterIP", "clusterIP": "10.96.12.34", "ports": [{"port": 80, "protocol": "TCP"}]})
            ),
            ["web", "ClusterIP", "10.96.12.34", "<none>", "80/TCP", "60s"]
        );
        assert_eq!(
            service(json!({"type": "NodePort", "clusterIP": "10.96.1.2",
                           "ports": [{"port": 80, "nodePort": 30080}, {"port": 443, "nodePort": 30443}]}))
                [4],
            "80:30080/TCP,443:30443/TCP"
        );
        assert_eq!(
            service(
                json!({"type": "LoadBalancer", "clusterIP": "10.96.1.3", "ports": [{"port": 80, "nodePort": 31000}]})
            )[3],
            "<pending>"
        );
        assert_eq!(
            service(json!({"clusterIP": "None", "ports": [{"port": 5432}]}))[2],
            "None"
        );
        let external = service(json!({"type": "ExternalName", "externalName": "db.example.com"}));
        assert_eq!(
            (
                external[2].as_str(),
                external[3].as_str(),
                external[4].as_str()
            ),
            ("<none>", "db.example.com", "<none>")
        );
    }

    #[test]
    fn nodes_show_readiness_cordoning_and_roles() {
        let node = |labels: Value, ready: &str, unschedulable: bool| {
            let mut node = json!({
                "metadata": {"name": "node01", "creationTimestamp": "2026-05-01T10:00:00Z"},
                "spec": {"unschedulable": unschedulable},
                "status": {"conditions": [{"type": "Ready", "status": ready}],
                           "nodeInfo": {"kubeletVersion": "v1.37.1"}}
            });
            node["metadata"]["labels"] = labels;
            node_row(&node, now())
        };
        assert_eq!(
            node(
                json!({"node-role.kubernetes.io/control-plane": ""}),
                "True",
                false
            ),
            ["node01", "Ready", "control-plane", "31d", "v1.37.1"]
        );
        assert_eq!(
            node(json!({}), "True", true)[1..3],
            ["Ready,SchedulingDisabled", "<none>"]
        );
        assert_eq!(node(json!({}), "Unknown", false)[1], "NotReady");
        assert_eq!(node(json!({}), "False", false)[1], "NotReady");
    }

    #[test]
    fn a_running_ready_pod() {
        let running = pod(
            one_container(),
            json!({"phase": "Running", "containerStatuses": [
                {"name": "app", "ready": true, "restartCount": 0, "state": {"running": {}}}]}),
        );
        assert_eq!(row(&running), ("1/1".into(), "Running".into(), "0".into()));
    }

    #[test]
    fn a_crash_loop_shows_its_reason_and_when_it_last_restarted() {
        let crashing = pod(
            one_container(),
            json!({"phase": "Running", "containerStatuses": [
                {"name": "app", "ready": false, "restartCount": 5,
                 "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                 "lastState": {"terminated": {"exitCode": 127, "reason": "StartError",
                                               "finishedAt": "2026-06-01T09:59:17Z"}}}]}),
        );
        assert_eq!(
            row(&crashing),
            (
                "0/1".into(),
                "CrashLoopBackOff".into(),
                "5 (43s ago)".into()
            )
        );
    }

    #[test]
    fn waiting_reasons_show_as_they_are() {
        for reason in [
            "CreateContainerConfigError",
            "ImagePullBackOff",
            "ErrImagePull",
            "ContainerCreating",
        ] {
            let waiting = pod(
                one_container(),
                json!({"phase": "Pending", "containerStatuses": [
                    {"name": "app", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": reason}}}]}),
            );
            assert_eq!(row(&waiting).1, reason);
        }
        // Not yet scheduled: no container statuses at all.
        assert_eq!(
            row(&pod(one_container(), json!({"phase": "Pending"}))),
            ("0/1".into(), "Pending".into(), "0".into())
        );
    }

    #[test]
    fn init_containers_show_progress_then_their_own_trouble() {
        let spec = json!({"initContainers": [{"name": "wait-db", "image": "busybox"}],
                          "containers": [{"name": "app", "image": "busybox"}]});
        let waiting = pod(
            spec.clone(),
            json!({"phase": "Pending",
                   "initContainerStatuses": [{"name": "wait-db", "ready": false, "restartCount": 0, "state": {"running": {}}}],
                   "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
                                          "state": {"waiting": {"reason": "PodInitializing"}}}]}),
        );
        assert_eq!(row(&waiting), ("0/1".into(), "Init:0/1".into(), "0".into()));
        let failing = pod(
            spec.clone(),
            json!({"phase": "Pending",
                   "initContainerStatuses": [{"name": "wait-db", "ready": false, "restartCount": 3,
                       "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                       "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2026-06-01T09:58:00Z"}}}]}),
        );
        assert_eq!(
            row(&failing),
            (
                "0/1".into(),
                "Init:CrashLoopBackOff".into(),
                "3 (2m ago)".into()
            )
        );
        let exited = pod(
            spec,
            json!({"phase": "Pending",
                   "initContainerStatuses": [{"name": "wait-db", "ready": false, "restartCount": 0,
                       "state": {"terminated": {"exitCode": 2}}}]}),
        );
        assert_eq!(row(&exited).1, "Init:ExitCode:2");
    }

    #[test]
    fn a_native_sidecar_counts_in_ready_and_a_finished_pod_is_completed() {
        let spec = json!({"initContainers": [{"name": "log-agent", "image": "busybox", "restartPolicy": "Always"}],
                          "containers": [{"name": "app", "image": "busybox"}]});
        let both = pod(
            spec,
            json!({"phase": "Running",
                   "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}],
                   "initContainerStatuses": [{"name": "log-agent", "ready": true, "started": true, "restartCount": 1,
                       "state": {"running": {}}, "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-06-01T09:57:00Z"}}}],
                   "containerStatuses": [{"name": "app", "ready": true, "restartCount": 0, "state": {"running": {}}}]}),
        );
        assert_eq!(
            row(&both),
            ("2/2".into(), "Running".into(), "1 (3m ago)".into())
        );
        let done = pod(
            one_container(),
            json!({"phase": "Succeeded", "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
                   "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
        );
        assert_eq!(row(&done), ("0/1".into(), "Completed".into(), "0".into()));
        let mut leaving = pod(one_container(), json!({"phase": "Running"}));
        leaving["metadata"]["deletionTimestamp"] = json!("2026-06-01T09:59:00Z");
        assert_eq!(row(&leaving).1, "Terminating");
    }
}
