//! What `kubectl get` prints, computed as the API server's table printers compute it
//! (pkg/printers/internalversion in Kubernetes 1.37): the AGE column's human durations and a
//! Pod's READY, STATUS and RESTARTS.

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
    let text = |pointer: &str| pod.pointer(pointer).and_then(Value::as_str);
    let list = |pointer: &str| -> Vec<&Value> {
        pod.pointer(pointer)
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
    let initialized = list("/status/conditions").iter().any(|condition| {
        condition.get("type").and_then(Value::as_str) == Some("Initialized")
            && condition.get("status").and_then(Value::as_str) == Some("True")
    });
    if !initializing || initialized {
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
            let pod_ready = list("/status/conditions").iter().any(|condition| {
                condition.get("type").and_then(Value::as_str) == Some("Ready")
                    && condition.get("status").and_then(Value::as_str) == Some("True")
            });
            reason = if pod_ready { "Running" } else { "NotReady" }.into();
        }
    }
    if pod.pointer("/metadata/deletionTimestamp").is_some() {
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
        .pointer("/lastState/terminated/finishedAt")
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
