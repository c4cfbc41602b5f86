//! What the API server's admission and defaulting add to a new object before it is stored:
//! a Service's cluster IP and node ports, a claim's default StorageClass (the
//! DefaultStorageClass plugin), a Pod's service account and its default not-ready/unreachable
//! tolerations (DefaultTolerationSeconds), and a new claim's `Pending` phase.

use crate::cluster::At as _;
use serde_json::{Value, json};

use super::sim::Cluster;

/// Fills in what admission adds to `object` (about to be created).
pub fn admit(cluster: &mut Cluster, object: &mut Value) {
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    match kind.as_str() {
        "Service" => service(cluster, object),
        "PersistentVolumeClaim" => claim(cluster, object),
        "Pod" => pod(object),
        "PersistentVolume" => {
            if object.at("/status/phase").is_none() {
                object["status"] = json!({"phase": "Available"});
            }
            if let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut) {
                spec.entry("persistentVolumeReclaimPolicy")
                    .or_insert(json!("Retain"));
                spec.entry("volumeMode").or_insert(json!("Filesystem"));
            }
        }
        "StorageClass" => {
            if let Some(class) = object.as_object_mut() {
                class.entry("reclaimPolicy").or_insert(json!("Delete"));
                class
                    .entry("volumeBindingMode")
                    .or_insert(json!("Immediate"));
            }
        }
        _ => {}
    }
}

fn service(cluster: &mut Cluster, object: &mut Value) {
    if !object.get("spec").is_some_and(Value::is_object) {
        object["spec"] = json!({});
    }
    let spec = &mut object["spec"];
    let kind = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
        .to_string();
    spec["type"] = json!(kind);
    if kind != "ExternalName" {
        if spec.get("clusterIP").is_none() {
            cluster.service_ips += 1;
            let n = cluster.service_ips;
            let ip = format!("10.96.{}.{}", (n * 37) % 250 + 1, (n * 91) % 250 + 2);
            spec["clusterIP"] = json!(ip);
            spec["clusterIPs"] = json!([ip]);
        }
        spec["ipFamilies"] = json!(["IPv4"]);
        spec["ipFamilyPolicy"] = json!("SingleStack");
        spec["internalTrafficPolicy"] = json!("Cluster");
    }
    if spec.get("sessionAffinity").is_none() {
        spec["sessionAffinity"] = json!("None");
    }
    let node_ports = matches!(kind.as_str(), "NodePort" | "LoadBalancer");
    if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
        for (index, port) in ports.iter_mut().enumerate() {
            if port.get("protocol").is_none() {
                port["protocol"] = json!("TCP");
            }
            if port.get("targetPort").is_none() {
                port["targetPort"] = port.get("port").cloned().unwrap_or(json!(80));
            }
            if node_ports && port.get("nodePort").is_none() {
                cluster.service_ips += 1;
                port["nodePort"] =
                    json!(30000 + (cluster.service_ips * 1237 + index as u32) % 2767);
            }
        }
    }
    if matches!(kind.as_str(), "NodePort" | "LoadBalancer") {
        spec["externalTrafficPolicy"] = json!("Cluster");
    }
    if kind == "LoadBalancer" {
        object["status"] = json!({"loadBalancer": {}});
    }
}

fn claim(cluster: &Cluster, object: &mut Value) {
    if object.at("/spec/storageClassName").is_none() {
        let default = cluster
            .list("StorageClass", None)
            .into_iter()
            .filter(|class| {
                class
                    .at("/metadata/annotations/storageclass.kubernetes.io~1is-default-class")
                    .and_then(Value::as_str)
                    == Some("true")
            })
            .filter_map(|class| {
                class
                    .at("/metadata/name")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .next();
        if let Some(default) = default {
            object["spec"]["storageClassName"] = json!(default);
        }
    }
    if let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut) {
        spec.entry("volumeMode").or_insert(json!("Filesystem"));
    }
    object["status"] = json!({"phase": "Pending"});
}

fn pod(object: &mut Value) {
    if !object.get("spec").is_some_and(Value::is_object) {
        return;
    }
    let spec = &mut object["spec"];
    if spec.get("serviceAccountName").is_none() {
        spec["serviceAccountName"] = json!("default");
        spec["serviceAccount"] = json!("default");
    }
    let mut tolerations: Vec<Value> = spec
        .get("tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let has = tolerations.iter().any(|toleration| {
            toleration.get("key").and_then(Value::as_str) == Some(key)
                || (toleration.get("key").is_none()
                    && toleration.get("operator").and_then(Value::as_str) == Some("Exists"))
        });
        if !has {
            tolerations.push(json!({"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}));
        }
    }
    spec["tolerations"] = Value::Array(tolerations);
    if object.get("status").is_none() {
        object["status"] = json!({"phase": "Pending"});
    }
    // The API server sets the QoS class when the Pod is created.
    let class = super::pods::qos_class(object);
    object["status"]["qosClass"] = json!(class);
}
