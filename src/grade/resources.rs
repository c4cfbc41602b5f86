//! The objects an answer describes, as the API server would store them: the parsed YAML as JSON,
//! with the defaults Kubernetes fills in (so a check on `spec.strategy.type` passes when the
//! answer leaves the default RollingUpdate implicit), and Secret `stringData` folded into
//! `data`. Each answer resource keeps its YAML tree for line numbers.

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::manifest::yaml::{Document, Node};
use crate::model::Target;

/// One object of the answer or of the exercise's `given` cluster state.
#[derive(Debug, Clone)]
pub struct Resource<'a> {
    pub kind: String,
    pub name: String,
    /// The object with defaults applied.
    pub object: Value,
    /// The YAML tree, for answer resources (given ones have no lines to point at).
    pub node: Option<&'a Node>,
    pub document: usize,
}

impl Resource<'_> {
    pub fn is(&self, target: &Target) -> bool {
        self.kind == target.kind && self.name == target.name
    }

    pub fn line(&self) -> Option<usize> {
        self.node.map(|node| node.at.line)
    }
}

/// The name a kubeconfig file (`kind: Config`, which has no `metadata.name`) goes by in checks.
pub const KUBECONFIG_NAME: &str = "kubeconfig";

/// Builds resources from parsed documents (those without a kind or name are skipped: the
/// manifest checker already reported them).
pub fn from_documents(documents: &[Document]) -> Vec<Resource<'_>> {
    documents
        .iter()
        .filter_map(|document| {
            let kind = document.root.get("kind")?.as_str()?.to_string();
            // A kubeconfig file has no name: checks call it `Config/kubeconfig`.
            let name = if crate::manifest::kubeconfig::is_kubeconfig(&document.root) {
                KUBECONFIG_NAME.to_string()
            } else {
                document
                    .root
                    .at_path(&["metadata", "name"])?
                    .as_str()?
                    .to_string()
            };
            let mut object = document.root.to_json();
            apply_defaults(&kind, &mut object);
            Some(Resource {
                kind,
                name,
                object,
                node: Some(&document.root),
                document: document.index,
            })
        })
        .collect()
}

/// rbac/v1 SetDefaults_RoleBinding and SetDefaults_Subject: `roleRef.apiGroup` and a User's or
/// Group's `apiGroup` are `rbac.authorization.k8s.io` when left out (a ServiceAccount's stays empty).
fn rbac_binding_defaults(object: &mut Value) {
    const GROUP: &str = "rbac.authorization.k8s.io";
    if let Some(role) = object_at(object, &["roleRef"]) {
        default(role, "apiGroup", json!(GROUP));
        if role.get("apiGroup").and_then(Value::as_str) == Some("") {
            role.insert("apiGroup".to_string(), json!(GROUP));
        }
    }
    for subject in object
        .get_mut("subjects")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
    {
        let unset = subject
            .get("apiGroup")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        let kind = subject.get("kind").and_then(Value::as_str).unwrap_or("");
        // A ServiceAccount's empty group is left out, as the API server stores it.
        if unset && matches!(kind, "User" | "Group") {
            subject.insert("apiGroup".to_string(), json!(GROUP));
        }
    }
}

/// A NetworkPolicy's `policyTypes` (Ingress, plus Egress when it has egress rules) and its
/// ports' protocol (TCP), as the API server fills them in.
fn network_policy_defaults(object: &mut Value) {
    let Some(spec) = object_at(object, &["spec"]) else {
        return;
    };
    let has_egress = spec
        .get("egress")
        .and_then(Value::as_array)
        .is_some_and(|rules| !rules.is_empty());
    if spec
        .get("policyTypes")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        let mut types = vec![json!("Ingress")];
        if has_egress {
            types.push(json!("Egress"));
        }
        spec.insert("policyTypes".to_string(), Value::Array(types));
    }
    for direction in ["ingress", "egress"] {
        for port in spec
            .get_mut(direction)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
            .filter_map(|rule| rule.get_mut("ports").and_then(Value::as_array_mut))
            .flatten()
            .filter_map(Value::as_object_mut)
        {
            default(port, "protocol", json!("TCP"));
        }
    }
}

/// The Pod spec of a workload: the object's own for a Pod, its template's otherwise.
pub fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "Pod" => Some(&["spec"]),
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job" => {
            Some(&["spec", "template", "spec"])
        }
        "CronJob" => Some(&["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => None,
    }
}

fn object_at<'v>(value: &'v mut Value, path: &[&str]) -> Option<&'v mut Map<String, Value>> {
    path.iter()
        .try_fold(value, |value, key| value.get_mut(*key))?
        .as_object_mut()
}

fn default(map: &mut Map<String, Value>, key: &str, value: Value) {
    if map.get(key).is_none_or(Value::is_null) {
        map.insert(key.to_string(), value);
    }
}

/// The defaults the API server applies that exercises check (k8s.io/kubernetes
/// pkg/apis/*/v1/defaults.go). Only fields a learner leaves out on purpose are filled.
pub fn apply_defaults(kind: &str, object: &mut Value) {
    if let Some(spec_path) = pod_spec_path(kind)
        && let Some(spec) = object_at(object, spec_path)
    {
        pod_spec_defaults(spec);
    }
    match kind {
        "Deployment" => {
            if let Some(spec) = object_at(object, &["spec"]) {
                default(spec, "replicas", json!(1));
                default(spec, "revisionHistoryLimit", json!(10));
                default(spec, "progressDeadlineSeconds", json!(600));
                default(spec, "minReadySeconds", json!(0));
                rolling_update(
                    spec,
                    "strategy",
                    &[("maxSurge", json!("25%")), ("maxUnavailable", json!("25%"))],
                );
            }
        }
        "ReplicaSet" => {
            if let Some(spec) = object_at(object, &["spec"]) {
                default(spec, "replicas", json!(1));
            }
        }
        "StatefulSet" => {
            if let Some(spec) = object_at(object, &["spec"]) {
                default(spec, "replicas", json!(1));
                default(spec, "podManagementPolicy", json!("OrderedReady"));
                default(spec, "revisionHistoryLimit", json!(10));
                rolling_update(spec, "updateStrategy", &[("partition", json!(0))]);
                default(spec, "persistentVolumeClaimRetentionPolicy", json!({}));
                if let Some(policy) = spec
                    .get_mut("persistentVolumeClaimRetentionPolicy")
                    .and_then(Value::as_object_mut)
                {
                    default(policy, "whenDeleted", json!("Retain"));
                    default(policy, "whenScaled", json!("Retain"));
                }
            }
        }
        "DaemonSet" => {
            if let Some(spec) = object_at(object, &["spec"]) {
                default(spec, "revisionHistoryLimit", json!(10));
                rolling_update(
                    spec,
                    "updateStrategy",
                    &[("maxUnavailable", json!(1)), ("maxSurge", json!(0))],
                );
            }
        }
        "Job" => {
            if let Some(spec) = object_at(object, &["spec"]) {
                job_defaults(spec);
            }
        }
        "CronJob" => {
            if let Some(spec) = object_at(object, &["spec"]) {
                default(spec, "concurrencyPolicy", json!("Allow"));
                default(spec, "suspend", json!(false));
                default(spec, "successfulJobsHistoryLimit", json!(3));
                default(spec, "failedJobsHistoryLimit", json!(1));
            }
        }
        "HorizontalPodAutoscaler" => {
            let v2 = object.get("apiVersion") == Some(&json!("autoscaling/v2"));
            if let Some(spec) = object_at(object, &["spec"]) {
                default(spec, "minReplicas", json!(1));
                // Without metrics the autoscaler targets 80 % average CPU (autoscaling/v2
                // SetDefaults_HorizontalPodAutoscaler; v1 leaves its field empty).
                if v2
                    && spec.get("metrics").is_none_or(|metrics| {
                        metrics.is_null() || metrics.as_array().is_some_and(Vec::is_empty)
                    })
                {
                    spec.insert(
                        "metrics".to_string(),
                        json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]),
                    );
                }
            }
        }
        "PriorityClass" => {
            if let Some(class) = object.as_object_mut() {
                default(class, "preemptionPolicy", json!("PreemptLowerPriority"));
            }
        }
        "StorageClass" => {
            if let Some(class) = object.as_object_mut() {
                default(class, "reclaimPolicy", json!("Delete"));
                default(class, "volumeBindingMode", json!("Immediate"));
            }
        }
        "PersistentVolume" => {
            if let Some(spec) = object_at(object, &["spec"]) {
                default(spec, "persistentVolumeReclaimPolicy", json!("Retain"));
                default(spec, "volumeMode", json!("Filesystem"));
            }
        }
        "PersistentVolumeClaim" => {
            if let Some(spec) = object_at(object, &["spec"]) {
                default(spec, "volumeMode", json!("Filesystem"));
            }
        }
        "NetworkPolicy" => network_policy_defaults(object),
        "RoleBinding" | "ClusterRoleBinding" => rbac_binding_defaults(object),
        "LimitRange" => {
            for item in object
                .pointer_mut("/spec/limits")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object_mut)
            {
                limit_range_item_defaults(item);
            }
        }
        "Service" => {
            if let Some(spec) = object_at(object, &["spec"]) {
                default(spec, "type", json!("ClusterIP"));
                for port in spec
                    .get_mut("ports")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    if let Some(port) = port.as_object_mut() {
                        default(port, "protocol", json!("TCP"));
                        if let Some(number) = port.get("port").cloned() {
                            default(port, "targetPort", number);
                        }
                    }
                }
            }
        }
        "Secret" => {
            if let Some(secret) = object.as_object_mut() {
                // An empty type is defaulted too (core v1 SetDefaults_Secret).
                if secret.get("type").is_some_and(|kind| kind == "") {
                    secret.remove("type");
                }
                default(secret, "type", json!("Opaque"));
                // The API server encodes stringData into data (stringData wins) and drops it.
                if let Some(Value::Object(plain)) = secret.remove("stringData") {
                    default(secret, "data", json!({}));
                    if let Some(data) = secret.get_mut("data").and_then(Value::as_object_mut) {
                        for (key, value) in plain {
                            let text = value
                                .as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| value.to_string());
                            data.insert(
                                key,
                                json!(base64::engine::general_purpose::STANDARD.encode(text)),
                            );
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// A workload's update strategy under `key`: `RollingUpdate` unless it says otherwise, and then
/// its rolling parameters' defaults (apps/v1 SetDefaults_Deployment, _StatefulSet, _DaemonSet).
fn rolling_update(spec: &mut Map<String, Value>, key: &str, parameters: &[(&str, Value)]) {
    default(spec, key, json!({}));
    let Some(strategy) = spec.get_mut(key).and_then(Value::as_object_mut) else {
        return;
    };
    default(strategy, "type", json!("RollingUpdate"));
    if strategy.get("type") != Some(&json!("RollingUpdate")) {
        return;
    }
    default(strategy, "rollingUpdate", json!({}));
    if let Some(rolling) = strategy
        .get_mut("rollingUpdate")
        .and_then(Value::as_object_mut)
    {
        for (name, value) in parameters {
            default(rolling, name, value.clone());
        }
    }
}

/// batch/v1 SetDefaults_Job: a Job that says neither completions nor parallelism runs one Pod
/// to completion; one that gives parallelism alone is a work queue (no completions).
fn job_defaults(spec: &mut Map<String, Value>) {
    fn unset(spec: &Map<String, Value>, key: &str) -> bool {
        spec.get(key).is_none_or(Value::is_null)
    }
    if unset(spec, "completions") && unset(spec, "parallelism") {
        spec.insert("completions".to_string(), json!(1));
    }
    default(spec, "parallelism", json!(1));
    let per_index = !unset(spec, "backoffLimitPerIndex");
    default(
        spec,
        "backoffLimit",
        json!(if per_index { i64::from(i32::MAX) } else { 6 }),
    );
    default(spec, "completionMode", json!("NonIndexed"));
    default(spec, "suspend", json!(false));
    let policy = if unset(spec, "podFailurePolicy") {
        "TerminatingOrFailed"
    } else {
        "Failed"
    };
    default(spec, "podReplacementPolicy", json!(policy));
}

/// core v1 SetDefaults_LimitRangeItem: for containers, a default limit falls back to the max,
/// a default request to the default limit, then to the min.
fn limit_range_item_defaults(item: &mut Map<String, Value>) {
    if item.get("type") != Some(&json!("Container")) {
        return;
    }
    let list = |item: &Map<String, Value>, key: &str| {
        item.get(key)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let mut limits = list(item, "default");
    for (name, amount) in list(item, "max") {
        limits.entry(name).or_insert(amount);
    }
    let mut requests = list(item, "defaultRequest");
    for (name, amount) in limits.iter().chain(list(item, "min").iter()) {
        requests.entry(name.clone()).or_insert(amount.clone());
    }
    for (key, values) in [("default", limits), ("defaultRequest", requests)] {
        if !values.is_empty() {
            item.insert(key.to_string(), Value::Object(values));
        }
    }
}

/// core v1 SetDefaults_Probe and SetDefaults_HTTPGetAction.
fn probe_defaults(probe: &mut Map<String, Value>) {
    default(probe, "timeoutSeconds", json!(1));
    default(probe, "periodSeconds", json!(10));
    default(probe, "successThreshold", json!(1));
    default(probe, "failureThreshold", json!(3));
    if let Some(get) = probe.get_mut("httpGet").and_then(Value::as_object_mut) {
        http_get_defaults(get);
    }
}

fn http_get_defaults(get: &mut Map<String, Value>) {
    if get
        .get("path")
        .is_none_or(|path| path.is_null() || *path == "")
    {
        get.insert("path".to_string(), json!("/"));
    }
    default(get, "scheme", json!("HTTP"));
}

fn pod_spec_defaults(spec: &mut Map<String, Value>) {
    default(spec, "restartPolicy", json!("Always"));
    default(spec, "dnsPolicy", json!("ClusterFirst"));
    default(spec, "terminationGracePeriodSeconds", json!(30));
    for list in ["containers", "initContainers"] {
        for container in spec
            .get_mut(list)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            let Some(container) = container.as_object_mut() else {
                continue;
            };
            // Requests left out default to the limits (core v1 SetDefaults_ResourceRequirements
            // applied through defaults of the Pod's containers).
            if let Some(resources) = container
                .get_mut("resources")
                .and_then(Value::as_object_mut)
                && let Some(limits) = resources.get("limits").and_then(Value::as_object).cloned()
            {
                let requests = resources.entry("requests").or_insert_with(|| json!({}));
                if let Some(requests) = requests.as_object_mut() {
                    for (name, amount) in limits {
                        requests.entry(name).or_insert(amount);
                    }
                }
            }
            // Empty lists are dropped (omitempty): `command: []` is no command at all, and the
            // image's ENTRYPOINT runs.
            container.retain(|key, value| {
                !(matches!(
                    key.as_str(),
                    "command" | "args" | "env" | "envFrom" | "ports" | "volumeMounts"
                ) && value.as_array().is_some_and(Vec::is_empty))
            });
            // Always for `:latest` or no tag, otherwise IfNotPresent (core v1 SetDefaults_Container).
            let image = container
                .get("image")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let tag = image
                .rsplit('/')
                .next()
                .and_then(|last| last.split_once(':'))
                .map(|(_, tag)| tag);
            let policy = if image.contains('@') || tag.is_some_and(|tag| tag != "latest") {
                "IfNotPresent"
            } else {
                "Always"
            };
            default(container, "imagePullPolicy", json!(policy));
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                if let Some(probe) = container.get_mut(probe).and_then(Value::as_object_mut) {
                    probe_defaults(probe);
                }
            }
            for hook in ["postStart", "preStop"] {
                if let Some(get) = container
                    .get_mut("lifecycle")
                    .and_then(|lifecycle| lifecycle.get_mut(hook))
                    .and_then(|handler| handler.get_mut("httpGet"))
                    .and_then(Value::as_object_mut)
                {
                    http_get_defaults(get);
                }
            }
            for port in container
                .get_mut("ports")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(port) = port.as_object_mut() {
                    default(port, "protocol", json!("TCP"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_get_the_rbac_group_and_a_kubeconfig_is_named_kubeconfig() {
        let mut binding = json!({"roleRef": {"kind": "Role", "name": "pod-reader"},
            "subjects": [{"kind": "User", "name": "jane"}, {"kind": "ServiceAccount", "name": "bot", "namespace": "dev"}]});
        apply_defaults("RoleBinding", &mut binding);
        assert_eq!(binding["roleRef"]["apiGroup"], "rbac.authorization.k8s.io");
        assert_eq!(
            binding["subjects"][0]["apiGroup"],
            "rbac.authorization.k8s.io"
        );
        assert!(binding["subjects"][1].get("apiGroup").is_none());
        let documents =
            crate::manifest::yaml::parse("apiVersion: v1\nkind: Config\ncurrent-context: dev\n")
                .unwrap();
        let resources = from_documents(&documents);
        assert_eq!(
            (resources[0].kind.as_str(), resources[0].name.as_str()),
            ("Config", KUBECONFIG_NAME)
        );
    }

    #[test]
    fn deployment_defaults_fill_only_what_is_missing() {
        let mut deployment = json!({"spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}});
        apply_defaults("Deployment", &mut deployment);
        assert_eq!(deployment["spec"]["replicas"], 3);
        assert_eq!(deployment["spec"]["strategy"]["type"], "RollingUpdate");
        assert_eq!(
            deployment["spec"]["strategy"]["rollingUpdate"]["maxSurge"],
            "25%"
        );
        assert_eq!(
            deployment["spec"]["template"]["spec"]["restartPolicy"],
            "Always"
        );
        assert_eq!(
            deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"],
            "IfNotPresent"
        );
        let mut recreate = json!({"spec": {"strategy": {"type": "Recreate"}}});
        apply_defaults("Deployment", &mut recreate);
        assert!(recreate["spec"]["strategy"].get("rollingUpdate").is_none());
    }

    #[test]
    fn workload_probe_and_policy_defaults_are_the_api_servers() {
        let mut cron = json!({"spec": {"schedule": "30 2 * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "backup", "image": "busybox", "readinessProbe": {"httpGet": {"port": 80}}}]}}}}}});
        apply_defaults("CronJob", &mut cron);
        assert_eq!(cron["spec"]["successfulJobsHistoryLimit"], 3);
        assert_eq!(cron["spec"]["failedJobsHistoryLimit"], 1);
        assert_eq!(cron["spec"]["concurrencyPolicy"], "Allow");
        let probe = &cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["readinessProbe"];
        assert_eq!(probe["periodSeconds"], 10);
        assert_eq!(probe["timeoutSeconds"], 1);
        assert_eq!(probe["successThreshold"], 1);
        assert_eq!(probe["failureThreshold"], 3);
        assert_eq!(probe["httpGet"]["path"], "/");
        assert_eq!(probe["httpGet"]["scheme"], "HTTP");
        // A Job with parallelism alone is a work queue: no completions.
        let mut queue = json!({"spec": {"parallelism": 3}});
        apply_defaults("Job", &mut queue);
        assert!(queue["spec"].get("completions").is_none());
        assert_eq!(queue["spec"]["backoffLimit"], 6);
        let mut single = json!({"spec": {}});
        apply_defaults("Job", &mut single);
        assert_eq!(
            (
                single["spec"]["completions"].clone(),
                single["spec"]["parallelism"].clone()
            ),
            (json!(1), json!(1))
        );
        let mut sts = json!({"spec": {}});
        apply_defaults("StatefulSet", &mut sts);
        assert_eq!(sts["spec"]["podManagementPolicy"], "OrderedReady");
        assert_eq!(
            sts["spec"]["updateStrategy"]["rollingUpdate"]["partition"],
            0
        );
        let mut ds = json!({"spec": {}});
        apply_defaults("DaemonSet", &mut ds);
        assert_eq!(
            ds["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"],
            1
        );
        let mut hpa = json!({"apiVersion": "autoscaling/v2", "spec": {"maxReplicas": 5}});
        apply_defaults("HorizontalPodAutoscaler", &mut hpa);
        assert_eq!(hpa["spec"]["minReplicas"], 1);
        assert_eq!(
            hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
            80
        );
        let mut class = json!({"value": 1000});
        apply_defaults("PriorityClass", &mut class);
        assert_eq!(class["preemptionPolicy"], "PreemptLowerPriority");
        // A LimitRange's default limit falls back to max, its default request to the limit.
        let mut range = json!({"spec": {"limits": [{"type": "Container", "max": {"cpu": "1"}, "default": {"memory": "256Mi"}, "min": {"cpu": "50m"}}]}});
        apply_defaults("LimitRange", &mut range);
        let item = &range["spec"]["limits"][0];
        assert_eq!(item["default"], json!({"cpu": "1", "memory": "256Mi"}));
        assert_eq!(
            item["defaultRequest"],
            json!({"cpu": "1", "memory": "256Mi"})
        );
    }

    #[test]
    fn secret_string_data_becomes_encoded_data() {
        let mut secret =
            json!({"stringData": {"DB_User": "root"}, "data": {"DB_Host": "c3FsMDE="}});
        apply_defaults("Secret", &mut secret);
        assert_eq!(secret["data"]["DB_User"], "cm9vdA==");
        assert_eq!(secret["data"]["DB_Host"], "c3FsMDE=");
        assert_eq!(secret["type"], "Opaque");
        assert!(secret.get("stringData").is_none());
        let mut untyped = json!({"type": ""});
        apply_defaults("Secret", &mut untyped);
        assert_eq!(untyped["type"], "Opaque", "an empty type is defaulted too");
    }
}
