//! The built-in reference check: every ConfigMap and Secret a Pod uses (envFrom, env valueFrom,
//! volumes, projected volumes) exists in the answer or in the exercise's `given` resources, with
//! every key it names, unless the reference is `optional`. This is what stops a Pod with
//! CreateContainerConfigError (env) or ContainerCreating (volumes) in a real cluster.

use serde_json::Value;

use super::resources::{Resource, pod_spec_path};
use crate::manifest::path::Path;
use crate::text::did_you_mean;

/// A reference that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenReference {
    pub path: Path,
    pub message: String,
}

struct Reference<'v> {
    kind: &'static str,
    name: &'v str,
    /// Keys it names, each with the path of its `key` field.
    keys: Vec<(&'v str, Path)>,
    optional: bool,
    /// Path to the name field, where the report points.
    path: Path,
}

/// Every broken reference of one workload.
pub fn broken_references(
    resource: &Resource<'_>,
    resources: &[&Resource<'_>],
) -> Vec<BrokenReference> {
    let Some(spec_path) = pod_spec_path(&resource.kind) else {
        return Vec::new();
    };
    let Some(spec) = spec_path
        .iter()
        .try_fold(&resource.object, |value, key| value.get(*key))
    else {
        return Vec::new();
    };
    let base = spec_path
        .iter()
        .fold(Path::root(), |path, key| path.key(key));
    let mut references = Vec::new();
    for list in ["initContainers", "containers"] {
        for (index, container) in spec
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let container_path = base.key(list).index(index);
            for (source_index, source) in container
                .get("envFrom")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
                    if let Some(reference) = source.get(field) {
                        references.push(reference_at(
                            reference,
                            kind,
                            "name",
                            Vec::new(),
                            &container_path.key("envFrom").index(source_index).key(field),
                        ));
                    }
                }
            }
            for (variable_index, variable) in container
                .get("env")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")]
                {
                    if let Some(reference) =
                        variable.get("valueFrom").and_then(|from| from.get(field))
                    {
                        let path = container_path
                            .key("env")
                            .index(variable_index)
                            .key("valueFrom")
                            .key(field);
                        let key = reference
                            .get("key")
                            .and_then(Value::as_str)
                            .map(|key| (key, path.key("key")))
                            .into_iter()
                            .collect();
                        references.push(reference_at(reference, kind, "name", key, &path));
                    }
                }
            }
        }
    }
    for (index, volume) in spec
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let volume_path = base.key("volumes").index(index);
        if let Some(source) = volume.get("configMap") {
            let path = volume_path.key("configMap");
            references.push(reference_at(
                source,
                "ConfigMap",
                "name",
                item_keys(source, &path),
                &path,
            ));
        }
        if let Some(source) = volume.get("secret") {
            let path = volume_path.key("secret");
            references.push(reference_at(
                source,
                "Secret",
                "secretName",
                item_keys(source, &path),
                &path,
            ));
        }
        for (source_index, source) in volume
            .get("projected")
            .and_then(|projected| projected.get("sources"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            for (field, kind) in [("configMap", "ConfigMap"), ("secret", "Secret")] {
                if let Some(inner) = source.get(field) {
                    let path = volume_path
                        .key("projected")
                        .key("sources")
                        .index(source_index)
                        .key(field);
                    references.push(reference_at(
                        inner,
                        kind,
                        "name",
                        item_keys(inner, &path),
                        &path,
                    ));
                }
            }
        }
    }
    references
        .into_iter()
        .filter_map(|reference| check(&reference, resources))
        .collect()
}

fn item_keys<'v>(source: &'v Value, path: &Path) -> Vec<(&'v str, Path)> {
    source
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(index, item)| {
            Some((
                item.get("key").and_then(Value::as_str)?,
                path.key("items").index(index).key("key"),
            ))
        })
        .collect()
}

fn reference_at<'v>(
    reference: &'v Value,
    kind: &'static str,
    name_field: &str,
    keys: Vec<(&'v str, Path)>,
    path: &Path,
) -> Reference<'v> {
    Reference {
        kind,
        name: reference
            .get(name_field)
            .and_then(Value::as_str)
            .unwrap_or_default(),
        keys,
        optional: reference.get("optional").and_then(Value::as_bool) == Some(true),
        path: path.key(name_field),
    }
}

fn check(reference: &Reference<'_>, resources: &[&Resource<'_>]) -> Option<BrokenReference> {
    if reference.optional {
        return None;
    }
    let same_kind: Vec<&Resource<'_>> = resources
        .iter()
        .copied()
        .filter(|resource| resource.kind == reference.kind)
        .collect();
    if reference.name.is_empty() {
        return Some(BrokenReference {
            path: reference.path.clone(),
            message: format!(
                "this reference names no {} (its `{}` is missing)",
                reference.kind,
                reference.path.last_key().unwrap_or("name")
            ),
        });
    }
    let Some(found) = same_kind
        .iter()
        .find(|resource| resource.name == reference.name)
    else {
        let names: Vec<&str> = same_kind
            .iter()
            .map(|resource| resource.name.as_str())
            .collect();
        let hint = match (
            did_you_mean(reference.name, names.iter().copied()),
            names.as_slice(),
        ) {
            (Some(close), _) => format!("; did you mean `{close}`?"),
            (None, []) => format!(
                "; there is no {} at all: add one, or fix the name",
                reference.kind
            ),
            (None, names) => format!("; the {}s are: {}", reference.kind, names.join(", ")),
        };
        return Some(BrokenReference {
            path: reference.path.clone(),
            message: format!(
                "{} `{}` does not exist in the answer or the cluster{hint}",
                reference.kind, reference.name
            ),
        });
    };
    let data = found.object.get("data").and_then(Value::as_object);
    let binary = found.object.get("binaryData").and_then(Value::as_object);
    let has = |key: &str| {
        data.is_some_and(|data| data.contains_key(key))
            || binary.is_some_and(|binary| binary.contains_key(key))
    };
    let (missing, key_path) = reference.keys.iter().find(|(key, _)| !has(key))?;
    let keys: Vec<&str> = data
        .into_iter()
        .flatten()
        .chain(binary.into_iter().flatten())
        .map(|(key, _)| key.as_str())
        .collect();
    let hint = did_you_mean(missing, keys.iter().copied()).map_or_else(
        || {
            if keys.is_empty() {
                " (it has no keys)".to_string()
            } else {
                format!(" (it has: {})", keys.join(", "))
            }
        },
        |close| format!("; did you mean `{close}`?"),
    );
    Some(BrokenReference {
        path: key_path.clone(),
        message: format!(
            "{} `{}` has no key `{missing}`{hint}",
            reference.kind, reference.name
        ),
    })
}
