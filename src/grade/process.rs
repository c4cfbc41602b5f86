//! What a container really runs and sees, worked out as the kubelet does: the process from the
//! image's ENTRYPOINT/CMD and the Pod's `command`/`args` with `$(VAR)` expanded, and the
//! environment from `envFrom` then `env`, reading ConfigMaps and Secrets from the answer and the
//! exercise's `given` resources.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::Value;

use super::resources::{Resource, pod_spec_path};
use crate::manifest::path::Path;
use crate::model::Image;

/// Images' default processes: built in, then the deck's, then the exercise's (later wins).
#[derive(Debug, Clone, Default)]
pub struct Images(BTreeMap<String, Image>);

impl Images {
    /// The built-in list (assets/images.toml).
    pub fn built_in() -> Images {
        let file: crate::content::files::ImagesFile =
            toml::from_str(include_str!("../../assets/images.toml"))
                .expect("assets/images.toml is valid");
        Images(
            file.images
                .0
                .into_iter()
                .map(|(name, entry)| {
                    (
                        name.into_inner(),
                        Image {
                            entrypoint: entry.entrypoint,
                            cmd: entry.cmd,
                        },
                    )
                })
                .collect(),
        )
    }

    pub fn with(mut self, more: &BTreeMap<String, Image>) -> Images {
        self.0.extend(
            more.iter()
                .map(|(name, image)| (name.clone(), image.clone())),
        );
        self
    }

    /// An image by the name a Pod writes (`nginx:1.27`, `docker.io/library/busybox@sha256:…`).
    pub fn get(&self, reference: &str) -> Option<&Image> {
        let without_digest = reference.split('@').next().unwrap_or(reference);
        let last_slash = without_digest.rfind('/').map_or(0, |slash| slash + 1);
        let without_tag = match without_digest[last_slash..].find(':') {
            Some(colon) => &without_digest[..last_slash + colon],
            None => without_digest,
        };
        let name = without_tag
            .strip_prefix("docker.io/")
            .unwrap_or(without_tag);
        let name = name.strip_prefix("library/").unwrap_or(name);
        self.0.get(name)
    }
}

/// Finds a container (regular or init) of a workload by name: its path and object.
pub fn find_container<'r>(resource: &'r Resource<'_>, name: &str) -> Option<(Path, &'r Value)> {
    let spec_path = pod_spec_path(&resource.kind)?;
    let spec = spec_path
        .iter()
        .try_fold(&resource.object, |value, key| value.get(*key))?;
    let base = spec_path
        .iter()
        .fold(Path::root(), |path, key| path.key(key));
    for list in ["containers", "initContainers"] {
        for (index, container) in spec
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if container.get("name").and_then(Value::as_str) == Some(name) {
                return Some((base.key(list).index(index), container));
            }
        }
    }
    None
}

/// Names of every container of a workload, for "did you mean".
pub fn container_names(resource: &Resource<'_>) -> Vec<String> {
    let Some(spec_path) = pod_spec_path(&resource.kind) else {
        return Vec::new();
    };
    let Some(spec) = spec_path
        .iter()
        .try_fold(&resource.object, |value, key| value.get(*key))
    else {
        return Vec::new();
    };
    ["containers", "initContainers"]
        .iter()
        .flat_map(|list| {
            spec.get(*list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter_map(|container| {
            container
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect()
}

/// A container's environment, or why the Pod would not start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    pub variables: BTreeMap<String, String>,
    /// Set when a required ConfigMap, Secret or key is missing: the kubelet refuses to start the
    /// container (CreateContainerConfigError), so it sees nothing.
    pub blocked: Option<String>,
}

fn find<'r>(resources: &'r [&'r Resource<'r>], kind: &str, name: &str) -> Option<&'r Resource<'r>> {
    resources
        .iter()
        .copied()
        .find(|resource| resource.kind == kind && resource.name == name)
}

/// A ConfigMap's or Secret's data as text (Secret values decoded).
fn data_of(resource: &Resource<'_>) -> BTreeMap<String, String> {
    let secret = resource.kind == "Secret";
    resource
        .object
        .get("data")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| {
            let text = value.as_str()?;
            let text = if secret {
                let joined: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                String::from_utf8_lossy(
                    &base64::engine::general_purpose::STANDARD
                        .decode(joined)
                        .ok()?,
                )
                .into_owned()
            } else {
                text.to_string()
            };
            Some((key.clone(), text))
        })
        .collect()
}

/// `$(VAR)` expands to a defined variable, `$$` escapes a `$`, anything else stays as written
/// (Kubernetes' expansion rules, third_party/forked/golang/expansion).
pub fn expand(text: &str, variables: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(') {
            match inner.find(')') {
                Some(close) => {
                    let name = &inner[..close];
                    match variables.get(name) {
                        Some(value) => out.push_str(value),
                        None => {
                            out.push_str("$(");
                            out.push_str(name);
                            out.push(')');
                        }
                    }
                    rest = &inner[close + 1..];
                }
                None => {
                    out.push_str("$(");
                    rest = inner;
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The environment a container sees: every `envFrom` source in order (later ones win), then
/// `env` in order (it wins over envFrom; `$(VAR)` refers to variables defined before).
pub fn environment(
    pod: &Resource<'_>,
    container: &Value,
    resources: &[&Resource<'_>],
) -> Environment {
    let mut environment = Environment::default();
    for source in container
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let prefix = source
            .get("prefix")
            .and_then(Value::as_str)
            .unwrap_or_default();
        for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
            let Some(reference) = source.get(field) else {
                continue;
            };
            let name = reference
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let optional = reference.get("optional").and_then(Value::as_bool) == Some(true);
            match find(resources, kind, name) {
                Some(found) => {
                    for (key, value) in data_of(found) {
                        environment
                            .variables
                            .insert(format!("{prefix}{key}"), value);
                    }
                }
                None if optional => {}
                None if name.is_empty() => {
                    environment.blocked.get_or_insert_with(|| format!("an envFrom `{field}` names no {kind} (its `name` is missing), so the container cannot start"));
                }
                None => {
                    environment.blocked.get_or_insert_with(|| {
                        format!("{kind} `{name}` does not exist, so the container cannot start")
                    });
                }
            }
        }
    }
    for variable in container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = variable.get("name").and_then(Value::as_str) else {
            continue;
        };
        if let Some(value) = variable.get("value").and_then(Value::as_str) {
            let expanded = expand(value, &environment.variables);
            environment.variables.insert(name.to_string(), expanded);
            continue;
        }
        let Some(from) = variable.get("valueFrom") else {
            // `value` left out means the empty string.
            environment
                .variables
                .insert(name.to_string(), String::new());
            continue;
        };
        if let Some(value) = value_from(pod, container, from, resources, &mut environment) {
            environment.variables.insert(name.to_string(), value);
        }
    }
    environment
}

fn value_from(
    pod: &Resource<'_>,
    container: &Value,
    from: &Value,
    resources: &[&Resource<'_>],
    environment: &mut Environment,
) -> Option<String> {
    for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
        let Some(reference) = from.get(field) else {
            continue;
        };
        let name = reference
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let key = reference
            .get("key")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let optional = reference.get("optional").and_then(Value::as_bool) == Some(true);
        let value = find(resources, kind, name).and_then(|found| data_of(found).remove(key));
        if value.is_none() && !optional {
            let why = match find(resources, kind, name) {
                Some(_) => {
                    format!("{kind} `{name}` has no key `{key}`, so the container cannot start")
                }
                None => format!("{kind} `{name}` does not exist, so the container cannot start"),
            };
            environment.blocked.get_or_insert(why);
        }
        return value;
    }
    if let Some(field_path) = from
        .get("fieldRef")
        .and_then(|field| field.get("fieldPath"))
        .and_then(Value::as_str)
    {
        // The Pod's own metadata: for a workload, its template's. A workload's Pods get
        // generated names, so their name is known only at run time.
        let generated_name = pod.kind != "Pod";
        let metadata = pod_metadata(pod);
        let read = |key: &str| {
            metadata
                .and_then(|metadata| metadata.get(key))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let label = |map: &str, key: &str| {
            metadata
                .and_then(|metadata| metadata.get(map))
                .and_then(|map| map.get(key))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        return match field_path {
            "metadata.name" if generated_name => Some("<metadata.name>".to_string()),
            "metadata.name" => read("name"),
            "metadata.namespace" => {
                Some(read("namespace").unwrap_or_else(|| "default".to_string()))
            }
            other => {
                let quoted = |prefix: &str| {
                    other
                        .strip_prefix(prefix)
                        .and_then(|rest| rest.strip_suffix("']"))
                        .map(str::to_string)
                };
                // A label or annotation that is not there reads as the empty string.
                if let Some(key) = quoted("metadata.labels['") {
                    label("labels", &key).or(Some(String::new()))
                } else if let Some(key) = quoted("metadata.annotations['") {
                    label("annotations", &key).or(Some(String::new()))
                } else {
                    // Known only on a node (IPs, node name, uid): present, value decided at run time.
                    Some(format!("<{other}>"))
                }
            }
        };
    }
    if let Some(resource) = from
        .get("resourceFieldRef")
        .and_then(|field| field.get("resource"))
        .and_then(Value::as_str)
    {
        let (section, name) = resource.split_once('.').unwrap_or(("limits", resource));
        let set = container
            .get("resources")
            .and_then(|resources| resources.get(section))
            .and_then(|values| values.get(name))
            .and_then(quantity);
        let divisor = from
            .get("resourceFieldRef")
            .and_then(|field| field.get("divisor"))
            .and_then(quantity)
            .unwrap_or(1.0);
        // The kubelet divides by the divisor and rounds up: 250m CPU is "1", or "250" with
        // divisor 1m (pkg/api/v1/resource ExtractContainerResourceValue). An unset limit falls
        // back to the node's allocatable amount, known only at run time; an unset request
        // (no limit to default from either) is zero.
        let amount = match set {
            Some(amount) => amount,
            None if section == "requests" => 0.0,
            None => return Some(format!("<{resource}>")),
        };
        return Some(if divisor > 0.0 {
            format!("{}", (amount / divisor - 1e-9).ceil().max(0.0) as i64)
        } else {
            format!("<{resource}>")
        });
    }
    None
}

/// The metadata of the Pods a workload makes (a Pod's own; a template's for the others).
fn pod_metadata<'v>(resource: &'v Resource<'_>) -> Option<&'v Value> {
    let spec_path = pod_spec_path(&resource.kind)?;
    let (_, template) = spec_path.split_last()?;
    template
        .iter()
        .try_fold(&resource.object, |value, key| value.get(*key))?
        .get("metadata")
}

/// A Kubernetes quantity as a number: `250m` is 0.25, `64Mi` is 67108864, `1e3` is 1000.
pub fn quantity(value: &Value) -> Option<f64> {
    match value.as_f64() {
        Some(number) => Some(number),
        None => crate::manifest::quantity::parse(value.as_str()?),
    }
}

/// The process a container runs, as a list of words. `command` replaces the image's
/// ENTRYPOINT (and drops its CMD); `args` replaces CMD; `$(VAR)` expands from the environment.
pub fn argv(
    container: &Value,
    images: &Images,
    environment: &Environment,
) -> Result<Vec<String>, String> {
    let words = |key: &str| -> Option<Vec<String>> {
        container.get(key).and_then(Value::as_array).map(|items| {
            items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map_or_else(|| item.to_string(), str::to_string)
                })
                .collect()
        })
    };
    // Only the Pod's own words are expanded: the kubelet never touches the image's.
    let expanded = |words: Vec<String>| -> Vec<String> {
        words
            .into_iter()
            .map(|word| expand(&word, &environment.variables))
            .collect()
    };
    let command = words("command")
        .filter(|words| !words.is_empty())
        .map(expanded);
    let args = words("args")
        .filter(|words| !words.is_empty())
        .map(expanded);
    let image_name = container
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let image = images.get(image_name);
    let unknown = || {
        format!(
            "kubedrill does not know what image `{image_name}` runs by default; give it `command` (and `args`) explicitly"
        )
    };
    let process = match (command, args) {
        (Some(command), Some(args)) => command.into_iter().chain(args).collect(),
        (Some(command), None) => command,
        (None, Some(args)) => image
            .ok_or_else(unknown)?
            .entrypoint
            .iter()
            .cloned()
            .chain(args)
            .collect(),
        (None, None) => {
            let image = image.ok_or_else(unknown)?;
            image.entrypoint.iter().chain(&image.cmd).cloned().collect()
        }
    };
    Ok(process)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn variable_references_expand_like_the_kubelet() {
        let variables = BTreeMap::from([("A".to_string(), "1".to_string())]);
        assert_eq!(expand("x$(A)y", &variables), "x1y");
        assert_eq!(expand("$(B)", &variables), "$(B)");
        assert_eq!(expand("$$(A)", &variables), "$(A)");
        assert_eq!(expand("cost: $5 $(A", &variables), "cost: $5 $(A");
    }

    #[test]
    fn command_and_args_combine_with_the_image_defaults() {
        let images = Images::built_in();
        let none = Environment::default();
        let args_only = json!({"image": "ubuntu-sleeper", "args": ["10"]});
        assert_eq!(argv(&args_only, &images, &none).unwrap(), ["sleep", "10"]);
        let both = json!({"image": "ubuntu-sleeper", "command": ["sleep2.0"], "args": ["10"]});
        assert_eq!(argv(&both, &images, &none).unwrap(), ["sleep2.0", "10"]);
        let command_only = json!({"image": "ubuntu-sleeper", "command": ["sleep", "10"]});
        assert_eq!(
            argv(&command_only, &images, &none).unwrap(),
            ["sleep", "10"]
        );
        let neither = json!({"image": "docker.io/library/nginx:1.27"});
        assert_eq!(
            argv(&neither, &images, &none).unwrap(),
            ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"]
        );
        assert!(
            argv(&json!({"image": "example/unknown"}), &images, &none)
                .unwrap_err()
                .contains("example/unknown")
        );
    }

    #[test]
    fn empty_lists_are_unset_and_image_words_are_never_expanded() {
        let images = Images::built_in().with(&BTreeMap::from([(
            "echoer".to_string(),
            Image {
                entrypoint: vec!["echo".to_string(), "$(A)".to_string()],
                cmd: Vec::new(),
            },
        )]));
        let environment = Environment {
            variables: BTreeMap::from([("A".to_string(), "1".to_string())]),
            blocked: None,
        };
        let empty_args = json!({"image": "ubuntu-sleeper", "args": []});
        assert_eq!(
            argv(&empty_args, &images, &environment).unwrap(),
            ["sleep", "5"]
        );
        let empty_command = json!({"image": "ubuntu-sleeper", "command": [], "args": ["10"]});
        assert_eq!(
            argv(&empty_command, &images, &environment).unwrap(),
            ["sleep", "10"]
        );
        let image_words = json!({"image": "echoer", "args": ["$(A)"]});
        assert_eq!(
            argv(&image_words, &images, &environment).unwrap(),
            ["echo", "$(A)", "1"]
        );
    }

    #[test]
    fn quantities_and_resource_fields_read_as_the_kubelet_reads_them() {
        assert_eq!(quantity(&json!("250m")), Some(0.25));
        assert_eq!(quantity(&json!("64Mi")), Some(67_108_864.0));
        assert_eq!(quantity(&json!("1G")), Some(1e9));
        assert_eq!(quantity(&json!(2)), Some(2.0));
        let documents = crate::manifest::yaml::parse(
                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    resources: {limits: {cpu: 250m, memory: 64Mi}}\n    env:\n    - {name: CPU, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}\n    - {name: MILLI, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1m}}}\n    - {name: MIB, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}\n    - {name: BYTES, valueFrom: {resourceFieldRef: {resource: limits.memory}}}\n    - {name: REQ, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}\n  - name: bare\n    image: busybox\n    env:\n    - {name: LIMIT, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}\n    - {name: REQ, valueFrom: {resourceFieldRef: {resource: requests.memory}}}\n",
            )
            .unwrap();
        let pod = super::super::resources::from_documents(&documents);
        let container = &pod[0].object["spec"]["containers"][0];
        let environment = environment(&pod[0], container, &[]);
        let seen = |name: &str| environment.variables[name].as_str();
        assert_eq!(seen("CPU"), "1", "250m rounds up to one core");
        assert_eq!(seen("MILLI"), "250");
        assert_eq!(seen("MIB"), "64");
        assert_eq!(seen("BYTES"), "67108864");
        assert_eq!(
            seen("REQ"),
            "250",
            "a request left out defaults to the limit"
        );
        let bare = &pod[0].object["spec"]["containers"][1];
        let environment = super::environment(&pod[0], bare, &[]);
        assert_eq!(
            environment.variables["LIMIT"], "<limits.cpu>",
            "no limit: the node's allocatable, known at run time"
        );
        assert_eq!(environment.variables["REQ"], "0", "no request and no limit");
    }

    #[test]
    fn a_workloads_pods_read_their_templates_metadata() {
        let documents = crate::manifest::yaml::parse(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, labels: {app: outer}}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n      - name: c\n        image: busybox\n        env:\n        - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n        - {name: APP, valueFrom: {fieldRef: {fieldPath: \"metadata.labels['app']\"}}}\n",
            )
            .unwrap();
        let deployment = super::super::resources::from_documents(&documents);
        let container = &deployment[0].object["spec"]["template"]["spec"]["containers"][0];
        let environment = environment(&deployment[0], container, &[]);
        assert_eq!(
            environment.variables["POD"], "<metadata.name>",
            "Pods of a Deployment get generated names"
        );
        assert_eq!(
            environment.variables["APP"], "api",
            "the template's labels, not the Deployment's"
        );
    }
}
