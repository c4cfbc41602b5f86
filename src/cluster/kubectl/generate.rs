//! The commands that make or change objects from flags rather than files: run, expose, scale,
//! set image/env/resources, label/annotate, taint, cordon/uncordon, drain and the `create`
//! generators. Each write goes through the same update path as `apply` (immutability rules
//! included).

use crate::cluster::At as _;
use serde_json::{Map, Value, json};

use super::write::{delete_object, label, prepare, update};
use super::{Output, Run, absolute, qualified, targets, text};
use crate::cluster::emit;
use crate::cluster::labels::Selector;
use crate::cluster::sim::parse_taint;

/// Prints the object a generator made (`--dry-run=client -o yaml`) or creates it.
fn made(run: &mut Run<'_>, object: Value) -> Output {
    let dry = run.flag("dry-run").is_some_and(|mode| mode != "none");
    let output = run.flag("output").map(str::to_string);
    if dry {
        let mut shown = object.clone();
        if let Some(metadata) = shown["metadata"].as_object_mut() {
            metadata.insert("creationTimestamp".into(), Value::Null);
        }
        return match output.as_deref() {
            Some("yaml") => Output::out(emit::yaml(&shown)),
            Some("json") => Output::out(emit::json(&shown)),
            _ => Output::out(format!("{} created (dry run)\n", label(&object))),
        };
    }
    let namespace = run.namespace.clone();
    let object = prepare(run.cluster, object);
    let label = label(&object);
    match run
        .cluster
        .objects
        .create(object, &namespace, run.cluster.now)
    {
        Ok(_) => Output::out(format!("{label} created\n")),
        Err(error) => Output::api(&error),
    }
}

fn key_values(pairs: &[&str]) -> Map<String, Value> {
    pairs
        .iter()
        .flat_map(|pair| pair.split(','))
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (key.to_string(), json!(value)))
        .collect()
}

pub(super) fn run_pod(run: &mut Run<'_>) -> Output {
    let Some(name) = run.typed.positional.first().cloned() else {
        return Output::error("error: NAME is required for run");
    };
    let Some(image) = run.flag("image").map(str::to_string) else {
        return Output::error("error: required flag(s) \"image\" not set");
    };
    let mut words: Vec<String> = run.typed.positional[1..].to_vec();
    words.extend(run.typed.after_dashes.clone().unwrap_or_default());
    let mut container = json!({"name": name, "image": image, "resources": {}});
    if !words.is_empty() {
        container[if run.typed.on("command") {
            "command"
        } else {
            "args"
        }] = json!(words);
    }
    if let Some(port) = run.flag("port") {
        container["ports"] = json!([{"containerPort": port.parse::<u64>().unwrap_or(80)}]);
    }
    let env: Vec<Value> = run
        .typed
        .all("env")
        .iter()
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| json!({"name": key, "value": value}))
        .collect();
    if !env.is_empty() {
        container["env"] = Value::Array(env);
    }
    let mut labels = key_values(&run.typed.all("labels"));
    if labels.is_empty() {
        labels.insert("run".into(), json!(name));
    }
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"labels": labels, "name": name},
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst",
                 "restartPolicy": run.flag("restart").unwrap_or("Always")},
        "status": {}
    });
    made(run, pod)
}

pub(super) fn expose(run: &mut Run<'_>) -> Output {
    let targets = match targets(&run.typed.positional) {
        Ok(targets) => targets,
        Err(output) => return output,
    };
    let Some((info, Some(name))) = targets.into_iter().next() else {
        return Output::error(
            "error: expose needs a resource and a name, such as `kubectl expose deployment web --port=80`",
        );
    };
    let source = match run.cluster.objects.find(info.kind, &run.namespace, &name) {
        Ok(object) => object.clone(),
        Err(error) => return Output::api(&error),
    };
    let selector = match info.kind {
        "Pod" | "Service" => source
            .at(if info.kind == "Pod" {
                "/metadata/labels"
            } else {
                "/spec/selector"
            })
            .cloned(),
        _ => source.at("/spec/selector/matchLabels").cloned(),
    };
    let Some(selector) =
        selector.filter(|selector| selector.as_object().is_some_and(|map| !map.is_empty()))
    else {
        return Output::error(format!(
            "error: couldn't retrieve selectors via --selector flag or introspection: the {} has no labels to select",
            info.kind.to_lowercase()
        ));
    };
    let port = match run.flag("port") {
        Some(port) => port.parse::<u64>().unwrap_or(80),
        None => match source
            .at("/spec/template/spec/containers/0/ports/0/containerPort")
            .or_else(|| source.at("/spec/containers/0/ports/0/containerPort"))
            .and_then(Value::as_u64)
        {
            Some(port) => port,
            None => {
                return Output::error(
                    "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples",
                );
            }
        },
    };
    let target = run.flag("target-port").map_or(json!(port), |target| {
        target
            .parse::<u64>()
            .map_or(json!(target), |number| json!(number))
    });
    let service_name = run.flag("name").unwrap_or(&name).to_string();
    let mut port_object = json!({"port": port, "protocol": run.flag("protocol").unwrap_or("TCP"), "targetPort": target});
    if let Some(node_port) = run.flag("node-port") {
        port_object["nodePort"] = json!(node_port.parse::<u64>().unwrap_or(30000));
    }
    let mut service = json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": service_name},
        "spec": {"ports": [port_object], "selector": selector},
        "status": {"loadBalancer": {}}
    });
    if let Some(labels) = source.at("/metadata/labels") {
        service["metadata"]["labels"] = labels.clone();
    }
    if let Some(kind) = run.flag("type") {
        service["spec"]["type"] = json!(kind);
    }
    made(run, service)
}

pub(super) fn scale(run: &mut Run<'_>) -> Output {
    let Some(replicas) = run
        .flag("replicas")
        .and_then(|text| text.parse::<u64>().ok())
    else {
        return Output::error("error: required flag(s) \"replicas\" not set");
    };
    with_each(run, |_, object| {
        object["spec"]["replicas"] = json!(replicas);
        Ok("scaled")
    })
}

/// Changes each object the command names, then stores it.
fn with_each(
    run: &mut Run<'_>,
    mut change: impl FnMut(&Run<'_>, &mut Value) -> Result<&'static str, String>,
) -> Output {
    let targets = match targets(&run.typed.positional) {
        Ok(targets) => targets,
        Err(output) => return output,
    };
    let mut out = Output::default();
    for (info, name) in targets {
        let names: Vec<String> = match name {
            Some(name) => vec![name],
            None => match run.flag("selector").map(Selector::parse) {
                Some(Ok(selector)) => run
                    .cluster
                    .objects
                    .list(info.kind, Some(&run.namespace), &selector)
                    .into_iter()
                    .map(|(key, _)| key.name.clone())
                    .collect(),
                Some(Err(why)) => return Output::error(format!("error: {why}")),
                None if run.typed.on("all") => run
                    .cluster
                    .objects
                    .list(info.kind, Some(&run.namespace), &Selector::default())
                    .into_iter()
                    .map(|(key, _)| key.name.clone())
                    .collect(),
                None => {
                    return Output::error(
                        "error: resource(s) were provided, but no name was specified",
                    );
                }
            },
        };
        for name in names {
            let stored = match run.cluster.objects.find(info.kind, &run.namespace, &name) {
                Ok(object) => object.clone(),
                Err(error) => {
                    out = out.and(&Output::api(&error));
                    continue;
                }
            };
            let mut object = stored.clone();
            let word = match change(run, &mut object) {
                Ok(word) => word,
                Err(message) => {
                    out = out.and(&Output::error(message));
                    continue;
                }
            };
            if let Some(map) = object["metadata"].as_object_mut() {
                map.remove("resourceVersion");
            }
            let label = qualified(info, &name);
            // The API server validates the changed object as it would a new one.
            if let Err(message) = super::write::immutable(&stored, &object) {
                out = out.and(&Output::error(message));
                continue;
            }
            if let Err(output) = super::write::validate_update(&object, &label) {
                out = out.and(&output);
                continue;
            }
            match update(run.cluster, &stored, object) {
                Ok(true) => out.stdout.push_str(&format!("{label} {word}\n")),
                Ok(false) if word == "scaled" => out.stdout.push_str(&format!("{label} {word}\n")),
                Ok(false) => out.stdout.push_str(&format!("{label} not {word}\n")),
                Err(message) => out = out.and(&Output::error(message)),
            }
        }
    }
    out
}

fn containers_mut(object: &mut Value) -> Vec<&mut Value> {
    let kind = text(object, "/kind").to_string();
    let spec = if kind == "Pod" {
        object.get_mut("spec")
    } else {
        object.pointer_mut("/spec/template/spec")
    };
    let Some(spec) = spec.and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    let mut all = Vec::new();
    for (key, list) in spec.iter_mut() {
        if (key == "containers" || key == "initContainers")
            && let Some(list) = list.as_array_mut()
        {
            all.extend(list.iter_mut());
        }
    }
    all
}

pub(super) fn set(run: &mut Run<'_>, what: &str) -> Output {
    let pairs: Vec<String> = run
        .typed
        .positional
        .iter()
        .skip(1)
        .filter(|word| word.contains('=') || word.ends_with('-'))
        .cloned()
        .collect();
    let positional: Vec<String> = run
        .typed
        .positional
        .iter()
        .filter(|word| !pairs.contains(word))
        .cloned()
        .collect();
    run.typed.positional = positional;
    let container_filter = run
        .flag("containers")
        .or_else(|| run.flag("container"))
        .map(str::to_string);
    match what {
        "image" => with_each(run, |_, object| {
            let mut found = false;
            for (container, image) in pairs.iter().filter_map(|pair| pair.split_once('=')) {
                for slot in containers_mut(object) {
                    if container == "*" || text(slot, "/name") == container {
                        slot["image"] = json!(image);
                        found = true;
                    }
                }
                if !found {
                    return Err(format!(
                        "error: unable to find container named \"{container}\""
                    ));
                }
            }
            Ok("image updated")
        }),
        "env" => {
            let env_flags: Vec<String> = run
                .typed
                .all("env")
                .into_iter()
                .map(str::to_string)
                .collect();
            with_each(run, |_, object| {
                for slot in containers_mut(object) {
                    if container_filter
                        .as_deref()
                        .is_some_and(|wanted| wanted != "*" && wanted != text(slot, "/name"))
                    {
                        continue;
                    }
                    let mut env: Vec<Value> = slot
                        .get("env")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    for pair in pairs.iter().chain(env_flags.iter()) {
                        if let Some((key, value)) = pair.split_once('=') {
                            match env
                                .iter_mut()
                                .find(|variable| text(variable, "/name") == key)
                            {
                                Some(variable) => *variable = json!({"name": key, "value": value}),
                                None => env.push(json!({"name": key, "value": value})),
                            }
                        } else if let Some(key) = pair.strip_suffix('-') {
                            env.retain(|variable| text(variable, "/name") != key);
                        }
                    }
                    slot["env"] = Value::Array(env);
                }
                Ok("env updated")
            })
        }
        "resources" => {
            let limits = run.flag("limits").map(str::to_string);
            let requests = run.flag("requests").map(str::to_string);
            with_each(run, |_, object| {
                for slot in containers_mut(object) {
                    if container_filter
                        .as_deref()
                        .is_some_and(|wanted| wanted != "*" && wanted != text(slot, "/name"))
                    {
                        continue;
                    }
                    for (field, given) in [("limits", &limits), ("requests", &requests)] {
                        if let Some(given) = given {
                            for (key, value) in key_values(&[given.as_str()]) {
                                slot["resources"][field][key] = value;
                            }
                        }
                    }
                }
                Ok("resource requirements updated")
            })
        }
        other => Output::error(format!(
            "error: the offline cluster does not run `kubectl set {other}`"
        )),
    }
}

pub(super) fn metadata_pairs(run: &mut Run<'_>, field: &'static str, word: &'static str) -> Output {
    let pairs: Vec<String> = run
        .typed
        .positional
        .iter()
        .skip(1)
        .filter(|word| word.contains('=') || word.ends_with('-'))
        .cloned()
        .collect();
    run.typed.positional.retain(|word| !pairs.contains(word));
    let overwrite = run.typed.on("overwrite");
    with_each(run, |_, object| {
        if !object["metadata"].get(field).is_some_and(Value::is_object) {
            object["metadata"][field] = json!({});
        }
        for pair in &pairs {
            if let Some((key, value)) = pair.split_once('=') {
                let existing = object["metadata"][field]
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::to_string);
                if let Some(existing) = existing
                    && existing != value
                    && !overwrite
                {
                    return Err(format!(
                        "error: '{key}' already has a value ({existing}), and --overwrite is false"
                    ));
                }
                object["metadata"][field][key] = json!(value);
            } else if let Some(key) = pair.strip_suffix('-')
                && let Some(map) = object["metadata"][field].as_object_mut()
            {
                map.remove(key);
            }
        }
        Ok(word)
    })
}

pub(super) fn taint(run: &mut Run<'_>) -> Output {
    let pairs: Vec<String> = run
        .typed
        .positional
        .iter()
        .skip(1)
        .filter(|word| word.contains(':') || word.ends_with('-'))
        .cloned()
        .collect();
    run.typed.positional.retain(|word| !pairs.contains(word));
    if run
        .typed
        .positional
        .first()
        .is_some_and(|word| !word.contains('/'))
        && run.typed.positional.len() == 1
    {
        run.typed.positional.insert(0, "node".into());
    }
    let overwrite = run.typed.on("overwrite");
    with_each(run, |_, node| {
        let mut taints: Vec<Value> = node
            .at("/spec/taints")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut word = "tainted";
        for pair in &pairs {
            if let Some(removed) = pair.strip_suffix('-') {
                let (key, effect) = removed
                    .split_once(':')
                    .map_or((removed, None), |(key, effect)| (key, Some(effect)));
                let key = key.split('=').next().unwrap_or(key);
                let before = taints.len();
                taints.retain(|taint| {
                    !(text(taint, "/key") == key
                        && effect.is_none_or(|effect| text(taint, "/effect") == effect))
                });
                if taints.len() == before {
                    return Err(format!("error: taint \"{removed}\" not found"));
                }
                word = "untainted";
            } else {
                let Some(taint) = parse_taint(pair) else {
                    return Err(format!(
                        "error: invalid taint spec: {pair}, unknown taint effect or missing effect"
                    ));
                };
                if let Some(existing) = taints.iter_mut().find(|existing| {
                    existing["key"] == taint["key"] && existing["effect"] == taint["effect"]
                }) {
                    if !overwrite {
                        return Err(format!(
                            "error: node {} already has {} taint(s) with same effect(s) and --overwrite is false",
                            text(node, "/metadata/name"),
                            text(&taint, "/key")
                        ));
                    }
                    *existing = taint;
                } else {
                    taints.push(taint);
                }
            }
        }
        if taints.is_empty() {
            if let Some(spec) = node["spec"].as_object_mut() {
                spec.remove("taints");
            }
        } else {
            node["spec"]["taints"] = Value::Array(taints);
        }
        Ok(word)
    })
}

pub(super) fn cordon(run: &mut Run<'_>, on: bool) -> Output {
    let mut out = Output::default();
    for name in run.typed.positional.clone() {
        let stored = match run.cluster.objects.find("Node", "", &name) {
            Ok(node) => node.clone(),
            Err(error) => return out.and(&Output::api(&error)),
        };
        let already = stored.at("/spec/unschedulable").and_then(Value::as_bool) == Some(true);
        let word = if on { "cordoned" } else { "uncordoned" };
        if already == on {
            out.stdout
                .push_str(&format!("node/{name} already {word}\n"));
            continue;
        }
        let mut node = stored.clone();
        let mut taints: Vec<Value> = node
            .at("/spec/taints")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        taints.retain(|taint| text(taint, "/key") != "node.kubernetes.io/unschedulable");
        if on {
            node["spec"]["unschedulable"] = json!(true);
            taints.push(json!({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": run.cluster.now.to_string()}));
        } else if let Some(spec) = node["spec"].as_object_mut() {
            spec.remove("unschedulable");
        }
        if taints.is_empty() {
            if let Some(spec) = node["spec"].as_object_mut() {
                spec.remove("taints");
            }
        } else {
            node["spec"]["taints"] = Value::Array(taints);
        }
        if let Some(map) = node["metadata"].as_object_mut() {
            map.remove("resourceVersion");
        }
        let _ = run.cluster.objects.replace(node, "");
        out.stdout.push_str(&format!("node/{name} {word}\n"));
    }
    out
}

pub(super) fn drain(run: &mut Run<'_>) -> Output {
    let mut out = cordon(run, true);
    for name in run.typed.positional.clone() {
        let pods: Vec<Value> = run
            .cluster
            .list("Pod", None)
            .into_iter()
            .filter(|pod| text(pod, "/spec/nodeName") == name)
            .collect();
        let unmanaged: Vec<String> = pods
            .iter()
            .filter(|pod| pod.at("/metadata/ownerReferences").is_none())
            .map(|pod| {
                format!(
                    "{}/{}",
                    text(pod, "/metadata/namespace"),
                    text(pod, "/metadata/name")
                )
            })
            .collect();
        if !unmanaged.is_empty() && !run.typed.on("force") {
            return out.and(&Output::error(format!("error: unable to drain node \"{name}\" due to error: cannot delete Pods that declare no controller (use --force to override): {}, continuing command...\nThere are pending nodes to be drained:\n {name}\ncannot delete Pods that declare no controller (use --force to override): {}", unmanaged.join(", "), unmanaged.join(", "))));
        }
        for pod in &pods {
            let namespace = text(pod, "/metadata/namespace").to_string();
            let pod_name = text(pod, "/metadata/name").to_string();
            out.stdout
                .push_str(&format!("evicting pod {namespace}/{pod_name}\n"));
            let _ = delete_object(run.cluster, "Pod", &namespace, &pod_name);
            out.stdout.push_str(&format!("pod/{pod_name} evicted\n"));
        }
        out.stdout.push_str(&format!("node/{name} drained\n"));
    }
    out
}

/// `create deployment|configmap|secret generic|namespace|service …`.
pub(super) fn create_sub(run: &mut Run<'_>, path: &[&str]) -> Output {
    let Some(name) = run.typed.positional.first().cloned() else {
        return Output::error("error: exactly one NAME is required, got 0");
    };
    let object = match path {
        ["namespace"] => {
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}, "spec": {}, "status": {}})
        }
        ["serviceaccount"] => {
            json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}})
        }
        ["configmap"] | ["secret", "generic"] => {
            let mut data = Map::new();
            for literal in run.typed.all("from-literal") {
                if let Some((key, value)) = literal.split_once('=') {
                    data.insert(key.to_string(), json!(value));
                }
            }
            for file in run.typed.all("from-file") {
                let (key, path) = file
                    .split_once('=')
                    .unwrap_or((file.rsplit('/').next().unwrap_or(file), file));
                match run.cluster.files.get(&absolute(path)) {
                    Some(text) => {
                        data.insert(key.to_string(), json!(text));
                    }
                    None => {
                        return Output::error(format!(
                            "error: error reading {path}: no such file or directory"
                        ));
                    }
                }
            }
            if path[0] == "configmap" {
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data})
            } else {
                let encoded: Map<String, Value> = data
                    .into_iter()
                    .map(|(key, value)| {
                        (
                            key,
                            json!(base64::Engine::encode(
                                &base64::engine::general_purpose::STANDARD,
                                value.as_str().unwrap_or_default()
                            )),
                        )
                    })
                    .collect();
                json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "type": "Opaque", "data": encoded})
            }
        }
        ["deployment"] => {
            let images = run.typed.all("image");
            if images.is_empty() {
                return Output::error("error: required flag(s) \"image\" not set");
            }
            let containers: Vec<Value> = images
                .iter()
                .map(|image| {
                    let base = image.rsplit('/').next().unwrap_or(image);
                    let base = base.split([':', '@']).next().unwrap_or(base);
                    let mut container = json!({"image": image, "name": base, "resources": {}});
                    if let Some(port) = run.flag("port") {
                        container["ports"] =
                            json!([{"containerPort": port.parse::<u64>().unwrap_or(80)}]);
                    }
                    if let Some(words) = &run.typed.after_dashes {
                        container["command"] = json!(words);
                    }
                    container
                })
                .collect();
            let replicas = run
                .flag("replicas")
                .and_then(|text| text.parse::<u64>().ok())
                .unwrap_or(1);
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                   "metadata": {"labels": {"app": name}, "name": name},
                   "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}}, "strategy": {},
                            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": containers}}},
                   "status": {}})
        }
        ["service", kind] => {
            let ports: Vec<Value> = run
                .typed
                .all("tcp")
                .iter()
                .flat_map(|spec| spec.split(','))
                .map(|spec| {
                    let (port, target) = spec.split_once(':').unwrap_or((spec, spec));
                    let port = port.parse::<u64>().unwrap_or(80);
                    json!({"name": format!("{port}-{}", target), "port": port, "protocol": "TCP", "targetPort": target.parse::<u64>().map_or(json!(target), |number| json!(number))})
                })
                .collect();
            let kind = if *kind == "nodeport" {
                "NodePort"
            } else {
                "ClusterIP"
            };
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"labels": {"app": name}, "name": name},
                   "spec": {"ports": ports, "selector": {"app": name}, "type": kind}, "status": {"loadBalancer": {}}})
        }
        other => {
            return Output::error(format!(
                "error: the offline cluster does not run `kubectl create {}`",
                other.join(" ")
            ));
        }
    };
    made(run, object)
}
