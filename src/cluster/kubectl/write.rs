//! The commands that change the cluster: apply/create/replace (`--force`) from files or stdin,
//! delete, edit, patch, run, expose, scale, set, label/annotate, taint, cordon/uncordon, drain and
//! the `create` generators. Every write goes through the manifest checker and the API server's
//! immutability rules first, and is refused in kubectl's words.

use crate::cluster::At as _;
use serde_json::{Value, json};

use super::{Editor, Output, Run, absolute, kind_of, qualified, targets, text};
use crate::cluster::admission;
use crate::cluster::emit;
use crate::cluster::labels::Selector;
use crate::cluster::objects::ApiError;
use crate::cluster::sim::Cluster;
use crate::manifest::{self, Version};

/// The text of `-f FILE` (or stdin for `-`).
fn read_input(run: &Run<'_>, file: &str) -> Result<String, Output> {
    if file == "-" {
        return Ok(run.stdin.unwrap_or_default().to_string());
    }
    if file.contains("://") {
        return Err(Output::error(format!(
            "error: unable to read URL \"{file}\": the exam cluster here has no network; save the manifest to a file first"
        )));
    }
    let path = absolute(file);
    run.cluster
        .files
        .get(&path)
        .cloned()
        .ok_or_else(|| Output::error(format!("error: the path \"{file}\" does not exist")))
}

/// The manifest checker's verdict on a document, as the API server (or kubectl's
/// validation) would refuse it.
/// Checks an update of a stored object: its status is the controllers', not the request's.
pub(super) fn validate_update(object: &Value, label: &str) -> Result<(), Output> {
    let mut request = object.clone();
    if let Some(map) = request.as_object_mut() {
        map.remove("status");
    }
    validate(&emit::yaml(&request), "patching", label).map(|_| ())
}

pub(super) fn validate(text: &str, verb: &str, file: &str) -> Result<Vec<Value>, Output> {
    let report = manifest::check(text, Version::pinned());
    // A request's status is not the writer's to set (the controllers write it): what
    // `kubectl get -o yaml` saved of it is ignored, as the API server ignores it.
    if let Some(error) = report.diagnostics.iter().find(|diagnostic| {
        diagnostic.is_error()
            && diagnostic.path != "status"
            && !diagnostic.path.starts_with("status.")
    }) {
        let kind = error.kind.clone().unwrap_or_default();
        let name = error.name.clone().unwrap_or_default();
        let message = if error.rule == manifest::Rule::UnknownField {
            format!(
                "Error from server (BadRequest): error when {verb} \"{file}\": {kind} in version \"v1\" cannot be handled as a {kind}: strict decoding error: unknown field \"{}\"",
                error.path
            )
        } else if kind.is_empty() || name.is_empty() {
            format!(
                "error: error validating \"{file}\": error validating data: {} (line {})",
                error.message, error.line
            )
        } else {
            let path = if error.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", error.path)
            };
            format!("The {kind} \"{name}\" is invalid: {path}{}", error.message)
        };
        return Err(Output::error(message));
    }
    // A `List` (what `kubectl get -o yaml` of several objects writes) stands for its items.
    Ok(report
        .documents
        .iter()
        .map(|document| document.root.to_json())
        .filter(|object| !object.is_null())
        .flat_map(|object| match object.get("kind").and_then(Value::as_str) {
            Some("List") => object
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            _ => vec![object],
        })
        .collect())
}

fn kind_name(object: &Value) -> (String, String) {
    (
        text(object, "/kind").to_string(),
        text(object, "/metadata/name").to_string(),
    )
}

pub(super) fn label(object: &Value) -> String {
    let (kind, name) = kind_name(object);
    kind_of(&kind).map_or_else(
        |_| format!("{}/{name}", kind.to_lowercase()),
        |info| qualified(info, &name),
    )
}

/// The API server's immutability rules for an update of `stored` to `new`.
/// A label selector as the API server prints an invalid value (Go's `%#v` of
/// `v1.LabelSelector`, map keys sorted).
fn go_selector(selector: Option<&Value>) -> String {
    let Some(selector) = selector.filter(|selector| !selector.is_null()) else {
        return "null".to_string();
    };
    let quoted = |value: &Value| format!("{:?}", value.as_str().unwrap_or_default());
    let labels = match selector.get("matchLabels").and_then(Value::as_object) {
        Some(labels) => {
            let mut pairs: Vec<(&String, &Value)> = labels.iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(b.0));
            let pairs: Vec<String> = pairs
                .into_iter()
                .map(|(key, value)| format!("{key:?}:{}", quoted(value)))
                .collect();
            format!("map[string]string{{{}}}", pairs.join(", "))
        }
        None => "map[string]string(nil)".to_string(),
    };
    let expressions = match selector.get("matchExpressions").and_then(Value::as_array) {
        Some(expressions) => {
            let items: Vec<String> = expressions
                .iter()
                .map(|expression| {
                    let values = match expression.get("values").and_then(Value::as_array) {
                        Some(values) => format!(
                            "[]string{{{}}}",
                            values.iter().map(quoted).collect::<Vec<_>>().join(", ")
                        ),
                        None => "[]string(nil)".to_string(),
                    };
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{values}}}",
                        quoted(&expression["key"]),
                        quoted(&expression["operator"])
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{expressions}}}")
}

pub(super) fn immutable(stored: &Value, new: &Value) -> Result<(), String> {
    let (kind, name) = kind_name(stored);
    match kind.as_str() {
        "Pod" => {
            let mut before = stored.get("spec").cloned().unwrap_or_default();
            let mut after = new.get("spec").cloned().unwrap_or_default();
            for spec in [&mut before, &mut after] {
                for list in ["containers", "initContainers"] {
                    if let Some(containers) = spec.get_mut(list).and_then(Value::as_array_mut) {
                        for container in containers {
                            if let Some(map) = container.as_object_mut() {
                                map.remove("image");
                            }
                        }
                    }
                }
                if let Some(map) = spec.as_object_mut() {
                    for field in [
                        "activeDeadlineSeconds",
                        "tolerations",
                        "terminationGracePeriodSeconds",
                        "nodeName",
                        "serviceAccount",
                        "serviceAccountName",
                    ] {
                        map.remove(field);
                    }
                }
            }
            let old_tolerations = stored
                .at("/spec/tolerations")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let new_tolerations = new
                .at("/spec/tolerations")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if old_tolerations
                .iter()
                .any(|old| !new_tolerations.contains(old))
            {
                return Err(format!(
                    "The Pod \"{name}\" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"
                ));
            }
            let node_changed = stored.at("/spec/nodeName").is_some()
                && new.at("/spec/nodeName").is_some()
                && stored.at("/spec/nodeName") != new.at("/spec/nodeName");
            if before != after || node_changed {
                return Err(format!(
                    "The Pod \"{name}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
                ));
            }
        }
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet"
            if stored.at("/spec/selector") != new.at("/spec/selector") =>
        {
            return Err(format!(
                "The {kind} \"{name}\" is invalid: spec.selector: Invalid value: {}: field is immutable",
                go_selector(new.at("/spec/selector"))
            ));
        }
        "PersistentVolumeClaim" => {
            let strip = |object: &Value| {
                let mut spec = object.get("spec").cloned().unwrap_or_default();
                if let Some(map) = spec.as_object_mut() {
                    map.remove("resources");
                    map.remove("volumeName");
                }
                spec
            };
            if strip(stored) != strip(new) {
                return Err(format!(
                    "The PersistentVolumeClaim \"{name}\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"
                ));
            }
        }
        "Service" => {
            let ip = |object: &Value| object.at("/spec/clusterIP").cloned();
            if ip(new).is_some() && ip(stored) != ip(new) {
                return Err(format!(
                    "The Service \"{name}\" is invalid: spec.clusterIPs[0]: Invalid value: []string{{{}}}: may not change once set",
                    ip(new).map(|ip| format!("{ip}")).unwrap_or_default()
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Fills what the API server would before storing a new object.
pub(super) fn prepare(cluster: &mut Cluster, mut object: Value) -> Value {
    let kind = text(&object, "/kind").to_string();
    // A new object's status is the controllers' to write, whatever the request carried; so are
    // the metadata the server gives out.
    if let Some(map) = object.as_object_mut() {
        map.remove("status");
    }
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        for field in [
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "generation",
            "managedFields",
        ] {
            metadata.remove(field);
        }
    }
    crate::grade::resources::apply_defaults(&kind, &mut object);
    admission::admit(cluster, &mut object);
    object
}

/// An update: the stored object with the new one's labels, annotations and spec (and data).
fn merged(cluster: &mut Cluster, stored: &Value, given: Value) -> Value {
    let mut given = prepare(cluster, given);
    let mut object = stored.clone();
    for field in ["labels", "annotations"] {
        match given.at(&format!("/metadata/{field}")) {
            Some(value) => object["metadata"][field] = value.clone(),
            None => {
                if let Some(map) = object["metadata"].as_object_mut() {
                    map.remove(field);
                }
            }
        }
    }
    if let (Some(map), Some(new)) = (object.as_object_mut(), given.as_object_mut()) {
        for (key, value) in new.iter() {
            if !matches!(key.as_str(), "metadata" | "status" | "apiVersion" | "kind") {
                map.insert(key.clone(), value.clone());
            }
        }
    }
    // Service IPs and node ports the server gave stay.
    if text(stored, "/kind") == "Service" {
        for field in ["clusterIP", "clusterIPs"] {
            if let Some(value) = stored.at(&format!("/spec/{field}")) {
                object["spec"][field] = value.clone();
            }
        }
    }
    if text(stored, "/kind") == "Pod"
        && let Some(node) = stored.at("/spec/nodeName")
    {
        object["spec"]["nodeName"] = node.clone();
    }
    if let Some(map) = object["metadata"].as_object_mut() {
        map.remove("resourceVersion");
    }
    object
}

/// Stores an update, after the immutability rules.
pub(super) fn update(cluster: &mut Cluster, stored: &Value, object: Value) -> Result<bool, String> {
    immutable(stored, &object)?;
    let namespace = text(stored, "/metadata/namespace").to_string();
    let changed = stored.get("spec") != object.get("spec")
        || stored.get("data") != object.get("data")
        || stored.at("/metadata/labels") != object.at("/metadata/labels")
        || stored.at("/metadata/annotations") != object.at("/metadata/annotations");
    if changed {
        cluster
            .objects
            .replace(object, &namespace)
            .map_err(|error| error.to_string())?;
    }
    Ok(changed)
}

pub(super) fn delete_object(
    cluster: &mut Cluster,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Result<Value, ApiError> {
    if kind == "PersistentVolumeClaim" {
        let claim = cluster.objects.find(kind, namespace, name)?.clone();
        // Only a Pod placed on a node holds the claim (a Pending one never given a node does not).
        let in_use = cluster.list("Pod", Some(namespace)).iter().any(|pod| {
            !matches!(text(pod, "/status/phase"), "Succeeded" | "Failed")
                && pod.at("/spec/nodeName").is_some()
                && crate::cluster::controllers::claims_of(pod)
                    .iter()
                    .any(|claim| claim == name)
        });
        if in_use {
            // The pvc-protection finalizer: the claim stays, Terminating, while a Pod uses it.
            let mut claim = claim;
            if claim.at("/metadata/deletionTimestamp").is_none() {
                claim["metadata"]["deletionTimestamp"] = json!(cluster.now.to_string());
                claim["metadata"]["deletionGracePeriodSeconds"] = json!(0);
                if let Some(metadata) = claim["metadata"].as_object_mut() {
                    metadata.remove("resourceVersion");
                }
                cluster.objects.replace(claim.clone(), namespace)?;
            }
            return Ok(claim);
        }
    }
    let removed = cluster.objects.delete(kind, namespace, name)?;
    if kind == "Pod" {
        cluster
            .runtime
            .retain(|(ns, pod, _), _| !(ns == namespace && pod == name));
    }
    Ok(removed)
}

/// `apply -f`, `create -f`, `replace [--force] -f`.
pub(super) fn from_files(run: &mut Run<'_>, verb: &str) -> Output {
    let files = run
        .typed
        .all("filename")
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    if files.is_empty() {
        return Output::error(format!(
            "error: must specify one of -f and -k\n\nSee 'kubectl {verb} -h' for help and examples"
        ));
    }
    let dry_run = run.flag("dry-run").is_some_and(|mode| mode != "none");
    let mut out = Output::default();
    for file in files {
        let text = match read_input(run, &file) {
            Ok(text) => text,
            Err(output) => return out.and(&output),
        };
        let shown = if file == "-" {
            "STDIN".to_string()
        } else {
            file.clone()
        };
        let doing = match verb {
            "create" => "creating",
            "replace" => "replacing",
            _ => "creating",
        };
        let objects = match validate(&text, doing, &shown) {
            Ok(objects) => objects,
            Err(output) => return out.and(&output),
        };
        if objects.is_empty() {
            return out.and(&Output::error(
                "error: no objects passed to ".to_string() + verb,
            ));
        }
        for given in objects {
            let (kind, name) = kind_name(&given);
            let namespace = given
                .at("/metadata/namespace")
                .and_then(Value::as_str)
                .map_or_else(|| run.namespace.clone(), str::to_string);
            let stored = run
                .cluster
                .objects
                .find(&kind, &namespace, &name)
                .cloned()
                .ok();
            let label = label(&given);
            if dry_run {
                out.stdout.push_str(&format!(
                    "{label} {} (dry run)\n",
                    match (verb, stored.is_some()) {
                        ("apply", true) => "configured",
                        ("replace", _) => "replaced",
                        _ => "created",
                    }
                ));
                continue;
            }
            let result = match (verb, stored) {
                ("create", Some(_)) => Err(format!(
                    "Error from server (AlreadyExists): error when creating \"{shown}\": {} \"{name}\" already exists",
                    crate::cluster::objects::Objects::resource_name(&kind)
                )),
                ("replace", None) => Err(format!(
                    "Error from server (NotFound): error when replacing \"{shown}\": {} \"{name}\" not found",
                    crate::cluster::objects::Objects::resource_name(&kind)
                )),
                ("replace", Some(_)) if run.typed.on("force") => {
                    let _ = delete_object(run.cluster, &kind, &namespace, &name);
                    out.stdout
                        .push_str(&format!("{} \"{name}\" deleted\n", kind.to_lowercase()));
                    let object = prepare(run.cluster, given);
                    run.cluster
                        .objects
                        .create(object, &namespace, run.cluster.now)
                        .map(|_| "replaced".to_string())
                        .map_err(|error| error.to_string())
                }
                ("replace", Some(stored)) => {
                    if let Some(version) = given
                        .at("/metadata/resourceVersion")
                        .and_then(Value::as_str)
                        && Some(version)
                            != stored
                                .at("/metadata/resourceVersion")
                                .and_then(Value::as_str)
                    {
                        Err(format!(
                            "Error from server (Conflict): error when replacing \"{shown}\": Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                            crate::cluster::objects::Objects::resource_name(&kind)
                        ))
                    } else {
                        let object = merged(run.cluster, &stored, given);
                        update(run.cluster, &stored, object).map(|_| "replaced".to_string())
                    }
                }
                (_, Some(stored)) => {
                    let object = merged(run.cluster, &stored, given);
                    update(run.cluster, &stored, object)
                        .map(|changed| if changed { "configured" } else { "unchanged" }.to_string())
                }
                (_, None) => {
                    let object = prepare(run.cluster, given);
                    run.cluster
                        .objects
                        .create(object, &namespace, run.cluster.now)
                        .map(|_| "created".to_string())
                        .map_err(|error| error.to_string())
                }
            };
            match result {
                Ok(word) => out.stdout.push_str(&format!("{label} {word}\n")),
                Err(message) => out = out.and(&Output::error(message)),
            }
        }
    }
    out
}

pub(super) fn delete(run: &mut Run<'_>) -> Output {
    let mut names: Vec<(String, String, String)> = Vec::new();
    let mut out = Output::default();
    let files = run
        .typed
        .all("filename")
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    for file in files {
        let text = match read_input(run, &file) {
            Ok(text) => text,
            Err(output) => return output,
        };
        match manifest::yaml::parse(&text) {
            Ok(documents) => {
                for document in documents {
                    let object = document.root.to_json();
                    let (kind, name) = kind_name(&object);
                    let namespace = object
                        .at("/metadata/namespace")
                        .and_then(Value::as_str)
                        .map_or_else(|| run.namespace.clone(), str::to_string);
                    names.push((kind, namespace, name));
                }
            }
            Err(error) => {
                return Output::error(format!("error: error parsing {file}: {}", error.message));
            }
        }
    }
    let selector = match run.flag("selector").map(Selector::parse).transpose() {
        Ok(selector) => selector,
        Err(why) => return Output::error(format!("error: {why}")),
    };
    if !run.typed.positional.is_empty() {
        let targets = match targets(&run.typed.positional) {
            Ok(targets) => targets,
            Err(output) => return output,
        };
        for (info, name) in targets {
            match name {
                Some(name) => names.push((info.kind.to_string(), run.namespace.clone(), name)),
                None if selector.is_some() || run.typed.on("all") => {
                    let selector = selector.clone().unwrap_or_default();
                    let namespace = if run.all_namespaces {
                        None
                    } else {
                        Some(run.namespace.as_str())
                    };
                    for (key, _) in run.cluster.objects.list(info.kind, namespace, &selector) {
                        names.push((key.kind.clone(), key.namespace.clone(), key.name.clone()));
                    }
                }
                None => {
                    return Output::error(
                        "error: resource(s) were provided, but no name was specified",
                    );
                }
            }
        }
    }
    if names.is_empty() {
        return if selector.is_some() {
            Output {
                stderr: format!("No resources found in {} namespace.\n", run.namespace),
                ..Output::default()
            }
        } else {
            Output::error(
                "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
            )
        };
    }
    for (kind, namespace, name) in names {
        match delete_object(run.cluster, &kind, &namespace, &name) {
            Ok(_) => {
                let lower = kind_of(&kind).map_or_else(
                    |_| kind.to_lowercase(),
                    |info| {
                        qualified(info, &name)
                            .split('/')
                            .next()
                            .unwrap_or_default()
                            .to_string()
                    },
                );
                out.stdout
                    .push_str(&format!("{lower} \"{name}\" deleted\n"));
            }
            Err(error) => out = out.and(&Output::api(&error)),
        }
    }
    out
}

pub(super) fn edit(run: &mut Run<'_>, editor: Editor<'_>) -> Output {
    let targets = match targets(&run.typed.positional) {
        Ok(targets) => targets,
        Err(output) => return output,
    };
    let Some((info, Some(name))) = targets.into_iter().next() else {
        return Output::error(
            "error: edit needs a resource and a name, such as `kubectl edit deployment web`",
        );
    };
    let stored = match run.cluster.objects.find(info.kind, &run.namespace, &name) {
        Ok(object) => object.clone(),
        Err(error) => return Output::api(&error),
    };
    let mut shown = stored.clone();
    if let Some(map) = shown.as_object_mut() {
        map.insert("apiVersion".into(), json!(info.api_version));
        map.insert("kind".into(), json!(info.kind));
    }
    let header = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";
    let original = format!("{header}{}", emit::yaml(&shown));
    let Some(edited) = editor(&original) else {
        return Output::out("Edit cancelled, no changes made.\n");
    };
    let body: String = edited
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    if body.trim().is_empty() || edited == original {
        return Output::out("Edit cancelled, no changes made.\n");
    }
    let label = qualified(info, &name);
    let objects = match validate(&body, "patching", &label) {
        Ok(objects) => objects,
        Err(output) => return output,
    };
    let Some(given) = objects.into_iter().next() else {
        return Output::out("Edit cancelled, no changes made.\n");
    };
    let object = merged(run.cluster, &stored, given);
    match update(run.cluster, &stored, object) {
        Ok(true) => Output::out(format!("{label} edited\n")),
        Ok(false) => Output::out("Edit cancelled, no changes made.\n"),
        Err(message) => {
            run.cluster.files_made += 1;
            let copy = format!(
                "/tmp/kubectl-edit-{}.yaml",
                1_000_000_000 + run.cluster.files_made * 7919
            );
            run.cluster.files.insert(copy.clone(), edited);
            Output::error(format!(
                "error: {} \"{name}\" is invalid\nA copy of your changes has been stored to \"{copy}\"\nerror: Edit cancelled, no valid changes were saved.\n{message}",
                crate::cluster::objects::Objects::resource_name(info.kind)
            ))
        }
    }
}

fn merge_patch(target: &mut Value, patch: &Value) {
    match (target.as_object_mut(), patch.as_object()) {
        (Some(target), Some(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                } else {
                    merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
        _ => *target = patch.clone(),
    }
}

/// Strategic merge for the lists keyed by `name` (containers, env, ports…); a merge patch otherwise.
fn strategic(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                    continue;
                }
                let slot = target.entry(key.clone()).or_insert(Value::Null);
                strategic(slot, value);
            }
        }
        (Value::Array(items), Value::Array(patch))
            if patch.iter().all(|item| item.get("name").is_some())
                && items.iter().all(|item| item.get("name").is_some()) =>
        {
            for item in patch {
                match items
                    .iter_mut()
                    .find(|existing| existing.get("name") == item.get("name"))
                {
                    Some(existing) => strategic(existing, item),
                    None => items.push(item.clone()),
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

fn unescape(key: &str) -> String {
    key.replace("~1", "/").replace("~0", "~")
}

/// Takes the value at a JSON pointer out of `object`.
fn take(object: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, key) = path
        .rsplit_once('/')
        .ok_or_else(|| format!("bad path {path}"))?;
    match object.pointer_mut(parent) {
        Some(Value::Array(items)) => {
            let index: usize = key.parse().map_err(|_| format!("bad index in {path}"))?;
            (index < items.len())
                .then(|| items.remove(index))
                .ok_or_else(|| format!("no element at {path}"))
        }
        Some(Value::Object(map)) => map
            .remove(&unescape(key))
            .ok_or_else(|| format!("no value at {path}")),
        _ => Err(format!("no value at {path}")),
    }
}

/// Puts `value` at a JSON pointer: inserted into a list (`-` appends), set in a map.
fn put(object: &mut Value, path: &str, value: Value, replace: bool) -> Result<(), String> {
    let (parent, key) = path
        .rsplit_once('/')
        .ok_or_else(|| format!("bad path {path}"))?;
    match object.pointer_mut(parent) {
        Some(Value::Array(items)) if key == "-" && !replace => {
            items.push(value);
            Ok(())
        }
        Some(Value::Array(items)) => {
            let index: usize = key.parse().map_err(|_| format!("bad index in {path}"))?;
            if replace && index < items.len() {
                items[index] = value;
                Ok(())
            } else if !replace && index <= items.len() {
                items.insert(index, value);
                Ok(())
            } else {
                Err(format!("index out of range in {path}"))
            }
        }
        Some(Value::Object(map)) => {
            let key = unescape(key);
            if replace && !map.contains_key(&key) {
                return Err(format!(
                    "replace operation does not apply: doc is missing key: {path}"
                ));
            }
            map.insert(key, value);
            Ok(())
        }
        _ => Err(format!("doc is missing path: \"{path}\"")),
    }
}

/// An RFC 6902 JSON patch: add, remove, replace, move, copy and test.
fn json_patch(object: &mut Value, operations: &Value) -> Result<(), String> {
    let Some(operations) = operations.as_array() else {
        return Err("a JSON patch is a list of operations".into());
    };
    for operation in operations {
        let path = text(operation, "/path").to_string();
        let value = || operation.get("value").cloned().unwrap_or_default();
        match text(operation, "/op") {
            "add" => put(object, &path, value(), false)?,
            "replace" => put(object, &path, value(), true)?,
            "remove" => {
                take(object, &path)?;
            }
            "move" => {
                let moved = take(object, text(operation, "/from"))?;
                put(object, &path, moved, false)?;
            }
            "copy" => {
                let copied = object
                    .at(text(operation, "/from"))
                    .cloned()
                    .ok_or_else(|| format!("no value at {}", text(operation, "/from")))?;
                put(object, &path, copied, false)?;
            }
            "test" => {
                if object.at(&path) != Some(&value()) {
                    return Err(format!("testing value {path} failed"));
                }
            }
            other => return Err(format!("unexpected kind of operation: {other:?}")),
        }
    }
    Ok(())
}

pub(super) fn patch(run: &mut Run<'_>) -> Output {
    let targets = match targets(&run.typed.positional) {
        Ok(targets) => targets,
        Err(output) => return output,
    };
    let Some((info, Some(name))) = targets.into_iter().next() else {
        return Output::error("error: patch needs a resource and a name");
    };
    let Some(text_patch) = run.flag("patch").map(str::to_string) else {
        return Output::error("error: must specify -p to patch");
    };
    let parsed: Value = match serde_json::from_str(&text_patch).or_else(|_| {
        manifest::yaml::parse(&text_patch)
            .ok()
            .and_then(|documents| documents.first().map(|document| document.root.to_json()))
            .ok_or(())
    }) {
        Ok(value) => value,
        Err(()) => {
            return Output::error(format!(
                "error: unable to parse \"{text_patch}\": yaml: did not find expected node content"
            ));
        }
    };
    let stored = match run.cluster.objects.find(info.kind, &run.namespace, &name) {
        Ok(object) => object.clone(),
        Err(error) => return Output::api(&error),
    };
    let mut object = stored.clone();
    match run.flag("type").unwrap_or("strategic") {
        "merge" => merge_patch(&mut object, &parsed),
        "json" => {
            if let Err(why) = json_patch(&mut object, &parsed) {
                return Output::error(format!("The request is invalid: {why}"));
            }
        }
        _ => strategic(&mut object, &parsed),
    }
    if info.kind == "Secret" {
        // The API server folds stringData into data.
        crate::grade::resources::apply_defaults("Secret", &mut object);
    }
    let label = qualified(info, &name);
    // The server says an immutable field is immutable before anything else about it.
    if let Err(message) = immutable(&stored, &object) {
        return Output::error(message);
    }
    if let Err(output) = validate_update(&object, &label) {
        return output;
    }
    if let Some(map) = object["metadata"].as_object_mut() {
        map.remove("resourceVersion");
    }
    match update(run.cluster, &stored, object) {
        Ok(true) => Output::out(format!("{label} patched\n")),
        Ok(false) => Output::out(format!("{label} patched (no change)\n")),
        Err(message) => Output::error(message),
    }
}
