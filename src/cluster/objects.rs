//! The API server's object store: objects as it returns them (metadata filled in), keyed by
//! kind, namespace and name, with its answers to create, replace, delete and get in its own
//! words (`Error from server (NotFound): deployments.apps "web" not found`).
//!
//! What the API server does that this does not (yet): defaulting of fields other than
//! metadata, the manifest checker's validation (the kubectl front end runs it before a write),
//! immutable fields per kind, finalizers and graceful deletion.

use crate::cluster::At as _;
use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::labels::Selector;
use crate::manifest::schema::{self as kinds, KindInfo};

/// Where an object lives: its kind, its namespace (empty for a cluster-scoped kind) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

/// Why the API server refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    AlreadyExists,
    NotFound,
    Conflict,
    Forbidden,
    BadRequest,
}

/// A refusal, printed as kubectl prints it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Error from server ({reason:?}): {message}")]
pub struct ApiError {
    pub reason: Reason,
    pub message: String,
}

/// The namespaces every cluster starts with.
pub const INITIAL_NAMESPACES: [&str; 4] =
    ["default", "kube-node-lease", "kube-public", "kube-system"];

/// Kinds whose objects carry `metadata.generation`, bumped when their spec changes.
const GENERATION_KINDS: &[&str] = &[
    "CronJob",
    "CustomResourceDefinition",
    "DaemonSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "Ingress",
    "Job",
    "NetworkPolicy",
    "Pod",
    "PodDisruptionBudget",
    "ReplicaSet",
    "StatefulSet",
];

#[derive(Debug, Clone, Default)]
pub struct Objects {
    objects: BTreeMap<Key, Value>,
    /// Objects made so far: the source of uids.
    made: u64,
    /// The last resourceVersion given out.
    version: u64,
}

impl Objects {
    /// A store holding the namespaces a new cluster has.
    pub fn new(now: Timestamp) -> Objects {
        let mut objects = Objects::default();
        for namespace in INITIAL_NAMESPACES {
            objects
                .create(
                    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}),
                    "default",
                    now,
                )
                .expect("a new store has no namespaces yet");
        }
        objects
    }

    /// Creates an object in `namespace` (unless it names its own, or its kind is
    /// cluster-scoped), filling in uid, resourceVersion, creationTimestamp and generation.
    pub fn create(
        &mut self,
        mut object: Value,
        namespace: &str,
        now: Timestamp,
    ) -> Result<Key, ApiError> {
        let (info, key) = self.key_of(&object, namespace)?;
        if !key.namespace.is_empty() && !self.objects.contains_key(&namespace_key(&key.namespace)) {
            return Err(not_found(
                kinds::kind_by_name("namespace", Some("v1")),
                &key.namespace,
            ));
        }
        if self.objects.contains_key(&key) {
            return Err(ApiError {
                reason: Reason::AlreadyExists,
                message: format!("{} \"{}\" already exists", resource(info), key.name),
            });
        }
        self.made += 1;
        self.version += 1;
        let metadata = metadata_of(&mut object);
        metadata.insert("name".into(), Value::String(key.name.clone()));
        if !key.namespace.is_empty() {
            metadata.insert("namespace".into(), Value::String(key.namespace.clone()));
        }
        metadata.insert("uid".into(), Value::String(uid(self.made)));
        metadata.insert(
            "resourceVersion".into(),
            Value::String(self.version.to_string()),
        );
        metadata.insert(
            "creationTimestamp".into(),
            Value::String(now.round(jiff::Unit::Second).unwrap_or(now).to_string()),
        );
        if GENERATION_KINDS.contains(&info.kind) {
            metadata.insert("generation".into(), json!(1));
        }
        self.objects.insert(key.clone(), object);
        Ok(key)
    }

    /// Replaces an object (`kubectl replace`, an edit, a controller's write): uid and
    /// creationTimestamp stay, resourceVersion moves on, generation goes up when the spec
    /// changed. A resourceVersion given that is not the stored one is a conflict.
    pub fn replace(&mut self, mut object: Value, namespace: &str) -> Result<Key, ApiError> {
        let (info, key) = self.key_of(&object, namespace)?;
        let Some(stored) = self.objects.get(&key) else {
            return Err(not_found(Some(info), &key.name));
        };
        let stored_metadata = stored.get("metadata").cloned().unwrap_or_default();
        let given_version = object
            .at("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(given) = given_version
            && Some(given.as_str())
                != stored_metadata
                    .get("resourceVersion")
                    .and_then(Value::as_str)
        {
            return Err(ApiError {
                reason: Reason::Conflict,
                message: format!(
                    "Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again",
                    resource(info),
                    key.name
                ),
            });
        }
        let spec_changed = stored.get("spec") != object.get("spec");
        self.version += 1;
        let metadata = metadata_of(&mut object);
        for kept in ["uid", "creationTimestamp", "name", "namespace"] {
            match stored_metadata.get(kept) {
                Some(value) => metadata.insert(kept.into(), value.clone()),
                None => metadata.remove(kept),
            };
        }
        metadata.insert(
            "resourceVersion".into(),
            Value::String(self.version.to_string()),
        );
        if let Some(generation) = stored_metadata.get("generation").and_then(Value::as_u64) {
            let generation = if spec_changed {
                generation + 1
            } else {
                generation
            };
            metadata.insert("generation".into(), json!(generation));
        }
        self.objects.insert(key.clone(), object);
        Ok(key)
    }

    /// Deletes an object (a namespace takes everything in it along).
    pub fn delete(&mut self, kind: &str, namespace: &str, name: &str) -> Result<Value, ApiError> {
        let (info, key) = named(kind, namespace, name);
        if key.kind == "Namespace" && INITIAL_NAMESPACES.contains(&name) {
            return Err(ApiError {
                reason: Reason::Forbidden,
                message: format!(
                    "namespaces \"{name}\" is forbidden: this namespace may not be deleted"
                ),
            });
        }
        let removed = self
            .objects
            .remove(&key)
            .ok_or_else(|| not_found(info, name))?;
        if key.kind == "Namespace" {
            self.objects.retain(|other, _| other.namespace != name);
        }
        self.version += 1;
        Ok(removed)
    }

    pub fn get(&self, key: &Key) -> Option<&Value> {
        self.objects.get(key)
    }

    /// The object a command names, or the API server's NotFound.
    pub fn find(&self, kind: &str, namespace: &str, name: &str) -> Result<&Value, ApiError> {
        let (info, key) = named(kind, namespace, name);
        self.objects.get(&key).ok_or_else(|| not_found(info, name))
    }

    /// Objects of a kind, in one namespace or all (`None`), whose labels match `selector`,
    /// sorted by namespace and name as the API server lists them.
    pub fn list<'s>(
        &'s self,
        kind: &str,
        namespace: Option<&str>,
        selector: &Selector,
    ) -> Vec<(&'s Key, &'s Value)> {
        self.objects
            .iter()
            .filter(|(key, _)| key.kind == kind)
            .filter(|(key, _)| {
                namespace
                    .is_none_or(|namespace| key.namespace == namespace || key.namespace.is_empty())
            })
            .filter(|(_, object)| selector.matches(object.at("/metadata/labels")))
            .collect()
    }

    /// Every object, by key.
    pub fn all(&self) -> impl Iterator<Item = (&Key, &Value)> {
        self.objects.iter()
    }

    /// The keys of every object of `kind`, in order.
    pub fn keys(&self, kind: &str) -> Vec<Key> {
        self.objects
            .keys()
            .filter(|key| key.kind == kind)
            .cloned()
            .collect()
    }

    /// A controller's write of an object's `status` (or a kubelet's): stored only when it
    /// differs, and then with a new resourceVersion. Says whether anything changed.
    pub fn set_status(&mut self, key: &Key, status: Value) -> bool {
        let Some(object) = self.objects.get_mut(key) else {
            return false;
        };
        if object.get("status") == Some(&status) {
            return false;
        }
        object["status"] = status;
        self.version += 1;
        object["metadata"]["resourceVersion"] = Value::String(self.version.to_string());
        true
    }

    /// The last resourceVersion given out: it moves whenever anything is written.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Objects made so far (the source of uids and generated names).
    pub fn made(&self) -> u64 {
        self.made
    }

    /// The API server's NotFound for a kind and a name, in its words.
    pub fn not_found(kind: &str, name: &str) -> ApiError {
        not_found(kinds::kind_by_name(kind, None), name)
    }

    /// How the API server names a kind's resource in messages (`deployments.apps`).
    pub fn resource_name(kind: &str) -> String {
        kinds::kind_by_name(kind, None).map_or_else(|| kind.to_lowercase(), resource)
    }

    /// Where `object` goes, and its kind's description.
    fn key_of(
        &self,
        object: &Value,
        namespace: &str,
    ) -> Result<(&'static KindInfo, Key), ApiError> {
        let api_version = object
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let kind = object
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let info = kinds::find_kind(api_version, kind).ok_or_else(|| ApiError {
            reason: Reason::BadRequest,
            message: format!(
                "the server could not find the requested resource ({kind} in {api_version})"
            ),
        })?;
        let name = object
            .at("/metadata/name")
            .and_then(Value::as_str)
            .filter(|name| !name.is_empty())
            .ok_or_else(|| ApiError {
                reason: Reason::BadRequest,
                message: "resource name may not be empty".to_string(),
            })?;
        let namespace = if info.namespaced {
            object
                .at("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or(namespace)
                .to_string()
        } else {
            String::new()
        };
        Ok((
            info,
            Key {
                kind: info.kind.to_string(),
                namespace,
                name: name.to_string(),
            },
        ))
    }
}

/// The key of an object a command names by kind (any of its names: `po`, `pods`, `Pod`),
/// namespace (dropped for a cluster-scoped kind) and name.
fn named(kind: &str, namespace: &str, name: &str) -> (Option<&'static KindInfo>, Key) {
    let info = kinds::kind_by_name(kind, None);
    let key = Key {
        kind: info.map_or(kind, |info| info.kind).to_string(),
        namespace: if info.is_none_or(|info| info.namespaced) {
            namespace.to_string()
        } else {
            String::new()
        },
        name: name.to_string(),
    };
    (info, key)
}

fn namespace_key(name: &str) -> Key {
    Key {
        kind: "Namespace".into(),
        namespace: String::new(),
        name: name.into(),
    }
}

fn metadata_of(object: &mut Value) -> &mut Map<String, Value> {
    if !object.get("metadata").is_some_and(Value::is_object) {
        object["metadata"] = json!({});
    }
    object["metadata"]
        .as_object_mut()
        .expect("made an object above")
}

/// The resource as the API server names it in messages: `pods`, `deployments.apps`.
fn resource(info: &KindInfo) -> String {
    match info.api_version.split_once('/') {
        Some((group, _)) => format!("{}.{group}", info.plural),
        None => info.plural.to_string(),
    }
}

fn not_found(info: Option<&KindInfo>, name: &str) -> ApiError {
    ApiError {
        reason: Reason::NotFound,
        message: format!(
            "{} \"{name}\" not found",
            info.map_or_else(|| "resource".to_string(), resource)
        ),
    }
}

/// A version-4-shaped uid, the same for the same count of objects made (runs replay).
fn uid(made: u64) -> String {
    let hash = crate::model::stable_hash(&[&made.to_le_bytes()]);
    let more = crate::model::stable_hash(&[&hash.to_le_bytes()]);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        hash >> 32,
        (hash >> 16) & 0xffff,
        hash & 0xfff,
        0x8000 | (more >> 48 & 0x3fff),
        more & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-06-01T09:00:00.250Z".parse().unwrap()
    }

    fn deployment(name: &str, image: &str) -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name, "labels": {"app": name}},
            "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "web", "image": image}]}}}
        })
    }

    #[test]
    fn a_created_object_has_its_metadata_filled_in() {
        let mut objects = Objects::new(now());
        let key = objects
            .create(deployment("web", "nginx:1.27"), "default", now())
            .unwrap();
        let stored = objects.get(&key).unwrap();
        let metadata = &stored["metadata"];
        assert_eq!(metadata["namespace"], "default");
        assert_eq!(metadata["creationTimestamp"], "2026-06-01T09:00:00Z");
        assert_eq!(metadata["generation"], 1);
        let uid = metadata["uid"].as_str().unwrap();
        assert_eq!(uid.len(), 36);
        assert_eq!(&uid[14..15], "4");
        assert_ne!(
            uid,
            objects.find("namespace", "", "default").unwrap()["metadata"]["uid"]
        );
        // A ConfigMap has no generation, a Namespace no namespace.
        let key = objects
            .create(
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}),
                "default",
                now(),
            )
            .unwrap();
        assert!(
            objects.get(&key).unwrap()["metadata"]
                .get("generation")
                .is_none()
        );
        assert!(
            objects.find("ns", "", "kube-system").unwrap()["metadata"]
                .get("namespace")
                .is_none()
        );
    }

    #[test]
    fn the_api_servers_refusals_use_its_words() {
        let mut objects = Objects::new(now());
        objects
            .create(deployment("web", "nginx:1.27"), "default", now())
            .unwrap();
        assert_eq!(
            objects
                .create(deployment("web", "nginx:1.28"), "default", now())
                .unwrap_err()
                .to_string(),
            "Error from server (AlreadyExists): deployments.apps \"web\" already exists"
        );
        assert_eq!(
            objects
                .find("pod", "default", "web")
                .unwrap_err()
                .to_string(),
            "Error from server (NotFound): pods \"web\" not found"
        );
        assert_eq!(
            objects
                .create(deployment("web", "nginx:1.27"), "shop", now())
                .unwrap_err()
                .to_string(),
            "Error from server (NotFound): namespaces \"shop\" not found"
        );
        assert_eq!(
            objects
                .delete("namespace", "", "default")
                .unwrap_err()
                .to_string(),
            "Error from server (Forbidden): namespaces \"default\" is forbidden: this namespace may not be deleted"
        );
        let mut stale = deployment("web", "nginx:1.28");
        stale["metadata"]["resourceVersion"] = json!("1");
        assert_eq!(
            objects.replace(stale, "default").unwrap_err().to_string(),
            "Error from server (Conflict): Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again"
        );
    }

    #[test]
    fn a_replace_keeps_identity_and_bumps_generation_only_for_a_spec_change() {
        let mut objects = Objects::new(now());
        let key = objects
            .create(deployment("web", "nginx:1.27"), "default", now())
            .unwrap();
        let before = objects.get(&key).unwrap().clone();
        let mut labelled = before.clone();
        labelled["metadata"]["labels"]["tier"] = json!("front");
        objects.replace(labelled, "default").unwrap();
        let after = objects.get(&key).unwrap().clone();
        assert_eq!(
            after["metadata"]["generation"], 1,
            "labels are not the spec"
        );
        assert_eq!(after["metadata"]["uid"], before["metadata"]["uid"]);
        assert_ne!(
            after["metadata"]["resourceVersion"],
            before["metadata"]["resourceVersion"]
        );
        let mut updated = deployment("web", "nginx:1.28");
        updated["metadata"]["creationTimestamp"] = json!("2000-01-01T00:00:00Z");
        objects.replace(updated, "default").unwrap();
        let after = objects.get(&key).unwrap();
        assert_eq!(after["metadata"]["generation"], 2);
        assert_eq!(
            after["metadata"]["creationTimestamp"],
            "2026-06-01T09:00:00Z"
        );
    }

    #[test]
    fn lists_filter_by_namespace_and_labels_and_a_namespace_takes_its_objects_along() {
        let mut objects = Objects::new(now());
        objects
            .create(
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}),
                "",
                now(),
            )
            .unwrap();
        objects
            .create(deployment("web", "nginx:1.27"), "default", now())
            .unwrap();
        objects
            .create(deployment("api", "nginx:1.27"), "shop", now())
            .unwrap();
        objects
            .create(deployment("db", "postgres:16"), "shop", now())
            .unwrap();
        let names = |list: Vec<(&Key, &Value)>| -> Vec<String> {
            list.iter()
                .map(|(key, _)| format!("{}/{}", key.namespace, key.name))
                .collect()
        };
        let every = Selector::default();
        assert_eq!(
            names(objects.list("Deployment", None, &every)),
            ["default/web", "shop/api", "shop/db"]
        );
        assert_eq!(
            names(objects.list("Deployment", Some("shop"), &every)),
            ["shop/api", "shop/db"]
        );
        let app_db = Selector::parse("app=db").unwrap();
        assert_eq!(
            names(objects.list("Deployment", None, &app_db)),
            ["shop/db"]
        );
        objects.delete("namespace", "", "shop").unwrap();
        assert_eq!(
            names(objects.list("Deployment", None, &every)),
            ["default/web"]
        );
    }
}
