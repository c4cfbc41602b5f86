//! What the kubelet checks before it starts a container, with its own messages: the
//! container's environment sources must exist (kubelet `makeEnvironmentVariables`). A missing
//! one leaves the container waiting with reason `CreateContainerConfigError` and this message,
//! which `kubectl describe pod` shows in the container's state and as the event `Error: …`.

use crate::cluster::At as _;
use serde_json::Value;

use super::objects::Objects;

/// The waiting reason of a container whose environment cannot be made.
pub const CONFIG_ERROR: &str = "CreateContainerConfigError";

/// Why the kubelet cannot make the container's environment, in its words; `None` when it can.
/// `envFrom` sources are read first, then `env` in order; a source marked `optional` may be
/// missing.
pub fn config_error(pod: &Value, container: &Value, objects: &Objects) -> Option<String> {
    let namespace = pod
        .at("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("default");
    let optional =
        |reference: &Value| reference.get("optional").and_then(Value::as_bool) == Some(true);
    let name_of = |reference: &Value| {
        reference
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    for source in container
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for (field, kind, lower) in [
            ("configMapRef", "ConfigMap", "configmap"),
            ("secretRef", "Secret", "secret"),
        ] {
            let Some(reference) = source.get(field) else {
                continue;
            };
            let name = name_of(reference);
            if objects.find(kind, namespace, &name).is_err() && !optional(reference) {
                return Some(format!("{lower} \"{name}\" not found"));
            }
        }
    }
    for variable in container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for (field, kind, lower) in [
            ("configMapKeyRef", "ConfigMap", "configmap"),
            ("secretKeyRef", "Secret", "secret"),
        ] {
            let Some(reference) = variable.at(&format!("/valueFrom/{field}")) else {
                continue;
            };
            if optional(reference) {
                continue;
            }
            let name = name_of(reference);
            let key = reference
                .get("key")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let Ok(found) = objects.find(kind, namespace, &name) else {
                return Some(format!("{lower} \"{name}\" not found"));
            };
            let has_key = ["data", "binaryData", "stringData"]
                .iter()
                .any(|data| found.get(*data).and_then(|data| data.get(key)).is_some());
            if !has_key {
                return Some(format!(
                    "couldn't find key {key} in {kind} {namespace}/{name}"
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use serde_json::json;

    use super::*;

    fn cluster(configmap_data: Value) -> Objects {
        let now: Timestamp = "2026-06-01T09:00:00Z".parse().unwrap();
        let mut objects = Objects::new(now);
        let mut configmap =
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app-config"}});
        configmap["data"] = configmap_data;
        objects.create(configmap, "default", now).unwrap();
        objects
    }

    fn pod_with(env: Value) -> (Value, Value) {
        let mut container = json!({"name": "webapp", "image": "kodekloud/webapp-color"});
        container["env"] = env;
        let pod = json!({"metadata": {"name": "webapp-1", "namespace": "default"}, "spec": {"containers": [container.clone()]}});
        (pod, container)
    }

    #[test]
    fn a_missing_key_is_named_with_the_configmaps_namespace() {
        // The scenario's ConfigMap holds APP_COLOUR where the Pod asks for APP_COLOR.
        let objects = cluster(json!({"APP_COLOUR": "blue"}));
        let (pod, container) = pod_with(json!([{"name": "APP_COLOR",
            "valueFrom": {"configMapKeyRef": {"name": "app-config", "key": "APP_COLOR"}}}]));
        assert_eq!(
            config_error(&pod, &container, &objects).as_deref(),
            Some("couldn't find key APP_COLOR in ConfigMap default/app-config")
        );
        let fixed = cluster(json!({"APP_COLOR": "blue"}));
        assert_eq!(config_error(&pod, &container, &fixed), None);
    }

    #[test]
    fn missing_sources_are_not_found_unless_optional() {
        let objects = cluster(json!({}));
        let (pod, container) = pod_with(json!([{"name": "PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "db-secret", "key": "password"}}}]));
        assert_eq!(
            config_error(&pod, &container, &objects).as_deref(),
            Some("secret \"db-secret\" not found")
        );
        let (pod, container) = pod_with(json!([{"name": "PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "db-secret", "key": "password", "optional": true}}}]));
        assert_eq!(config_error(&pod, &container, &objects), None);
        let mut container = json!({"name": "app", "image": "busybox", "envFrom": [{"configMapRef": {"name": "settings"}}]});
        let pod = json!({"metadata": {"namespace": "default"}});
        assert_eq!(
            config_error(&pod, &container, &objects).as_deref(),
            Some("configmap \"settings\" not found")
        );
        container["envFrom"][0]["configMapRef"]["optional"] = json!(true);
        assert_eq!(config_error(&pod, &container, &objects), None);
    }
}
