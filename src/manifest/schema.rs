//! The strict typed check against the Kubernetes API of the pinned version.
//!
//! The schemas come from k8s-openapi (one `v1_3x` feature, the pinned minor) through its schemars
//! output: field names, types, `required` lists and descriptions. One generic walker goes over a
//! document and its kind's schema together and reports *every* unknown field (with the closest
//! valid name), wrong type and missing required field — where deserializing into the typed structs
//! would drop unknown keys silently and stop at the first type error.

use std::sync::OnceLock;

use k8s_openapi::schemars::{JsonSchema, SchemaGenerator};
use serde_json::Value as Json;

use super::diagnostic::Rule;
use super::path::Path;
use super::yaml::{Node, Pos, Value};
use crate::text::did_you_mean;

/// A resource kind kubedrill knows, and where its schema comes from.
pub struct KindInfo {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// Names kubectl accepts for it on the command line (plural, short names), lowercase.
    pub aliases: &'static [&'static str],
    schema: fn() -> Json,
}

impl std::fmt::Debug for KindInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.api_version, self.kind)
    }
}

fn schema_of<T: JsonSchema>() -> Json {
    SchemaGenerator::default()
        .into_root_schema_for::<T>()
        .to_value()
}

macro_rules! kinds {
    ($( $api_version:literal $kind:literal [$($alias:literal),*] => $type:ty ),* $(,)?) => {
        /// Every kind the checker knows (CKA's everyday resources).
        pub static KINDS: &[KindInfo] = &[
            $( KindInfo { api_version: $api_version, kind: $kind, aliases: &[$($alias),*], schema: schema_of::<$type> } ),*
        ];
    };
}

use k8s_openapi::api::{apps, autoscaling, batch, core, networking, policy, rbac, storage};

kinds! {
    "v1" "Pod" ["pod", "pods", "po"] => core::v1::Pod,
    "v1" "ConfigMap" ["configmap", "configmaps", "cm"] => core::v1::ConfigMap,
    "v1" "Secret" ["secret", "secrets"] => core::v1::Secret,
    "v1" "Service" ["service", "services", "svc"] => core::v1::Service,
    "v1" "Namespace" ["namespace", "namespaces", "ns"] => core::v1::Namespace,
    "v1" "ServiceAccount" ["serviceaccount", "serviceaccounts", "sa"] => core::v1::ServiceAccount,
    "v1" "PersistentVolumeClaim" ["persistentvolumeclaim", "persistentvolumeclaims", "pvc"] => core::v1::PersistentVolumeClaim,
    "v1" "PersistentVolume" ["persistentvolume", "persistentvolumes", "pv"] => core::v1::PersistentVolume,
    "v1" "LimitRange" ["limitrange", "limitranges", "limits"] => core::v1::LimitRange,
    "v1" "ResourceQuota" ["resourcequota", "resourcequotas", "quota"] => core::v1::ResourceQuota,
    "apps/v1" "Deployment" ["deployment", "deployments", "deploy"] => apps::v1::Deployment,
    "apps/v1" "ReplicaSet" ["replicaset", "replicasets", "rs"] => apps::v1::ReplicaSet,
    "apps/v1" "DaemonSet" ["daemonset", "daemonsets", "ds"] => apps::v1::DaemonSet,
    "apps/v1" "StatefulSet" ["statefulset", "statefulsets", "sts"] => apps::v1::StatefulSet,
    "batch/v1" "Job" ["job", "jobs"] => batch::v1::Job,
    "batch/v1" "CronJob" ["cronjob", "cronjobs", "cj"] => batch::v1::CronJob,
    "networking.k8s.io/v1" "Ingress" ["ingress", "ingresses", "ing"] => networking::v1::Ingress,
    "networking.k8s.io/v1" "NetworkPolicy" ["networkpolicy", "networkpolicies", "netpol"] => networking::v1::NetworkPolicy,
    "rbac.authorization.k8s.io/v1" "Role" ["role", "roles"] => rbac::v1::Role,
    "rbac.authorization.k8s.io/v1" "RoleBinding" ["rolebinding", "rolebindings"] => rbac::v1::RoleBinding,
    "rbac.authorization.k8s.io/v1" "ClusterRole" ["clusterrole", "clusterroles"] => rbac::v1::ClusterRole,
    "rbac.authorization.k8s.io/v1" "ClusterRoleBinding" ["clusterrolebinding", "clusterrolebindings"] => rbac::v1::ClusterRoleBinding,
    "autoscaling/v2" "HorizontalPodAutoscaler" ["horizontalpodautoscaler", "horizontalpodautoscalers", "hpa"] => autoscaling::v2::HorizontalPodAutoscaler,
    "policy/v1" "PodDisruptionBudget" ["poddisruptionbudget", "poddisruptionbudgets", "pdb"] => policy::v1::PodDisruptionBudget,
    "storage.k8s.io/v1" "StorageClass" ["storageclass", "storageclasses", "sc"] => storage::v1::StorageClass,
}

const KIND_COUNT: usize = 25;
static SCHEMAS: [OnceLock<Json>; KIND_COUNT] = [const { OnceLock::new() }; KIND_COUNT];

impl KindInfo {
    /// The kind's root schema (with `$defs`), generated once per process.
    pub fn schema(&self) -> &'static Json {
        let index = KINDS
            .iter()
            .position(|info| std::ptr::eq(info, self))
            .expect("a KindInfo comes from KINDS");
        SCHEMAS[index].get_or_init(self.schema)
    }
}

/// The kind written `kind` in `apiVersion`, if kubedrill knows it.
pub fn find_kind(api_version: &str, kind: &str) -> Option<&'static KindInfo> {
    KINDS
        .iter()
        .find(|info| info.api_version == api_version && info.kind == kind)
}

/// A kind by the name a person types (`Deployment`, `deploy`, `pods`).
pub fn kind_by_name(name: &str) -> Option<&'static KindInfo> {
    let lower = name.to_ascii_lowercase();
    KINDS
        .iter()
        .find(|info| info.kind.eq_ignore_ascii_case(name) || info.aliases.contains(&lower.as_str()))
}

/// One problem found by the schema walk.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: Rule,
    pub path: Path,
    pub at: Pos,
    pub message: String,
    pub suggestion: Option<String>,
    pub help: Option<String>,
    /// The API server accepts it but warns (kubectl prints "Warning: …").
    pub warning: bool,
}

/// Checks a document against its kind's schema; returns every problem found.
pub fn check(root: &Node, kind: &KindInfo) -> Vec<Finding> {
    let schema = kind.schema();
    let mut walker = Walker {
        defs: schema.get("$defs"),
        findings: Vec::new(),
        path: Vec::new(),
    };
    walker.walk(root, schema, root.at);
    walker.findings
}

/// Checks a document against a schema given as JSON Schema (the subset Kubernetes uses: `type`,
/// `properties`, `required`, `items`, `additionalProperties`, `x-kubernetes-int-or-string`,
/// `format`, and `$ref: "#/$defs/NAME"` into the schema's own `$defs`).
pub fn check_against(root: &Node, schema: &Json) -> Vec<Finding> {
    let mut walker = Walker {
        defs: schema.get("$defs"),
        findings: Vec::new(),
        path: Vec::new(),
    };
    walker.walk(root, schema, root.at);
    walker.findings
}

/// One step of the walker's current path, borrowed from the document.
#[derive(Debug, Clone, Copy)]
enum Step<'d> {
    Key(&'d str),
    Index(usize),
}

/// What a schema accepts at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    IntOrString,
    /// A resource quantity (`500m`, `64Mi`, `0.5`, `2`): a string or any number.
    Quantity,
    Any,
}

struct Walker<'s, 'd> {
    defs: Option<&'s Json>,
    findings: Vec<Finding>,
    /// Where the walk is; turned into a [`Path`] only when something is reported, so a valid
    /// document costs no path allocations.
    path: Vec<Step<'d>>,
}

/// Follows `$ref` to the definition it names.
fn resolve<'s>(defs: Option<&'s Json>, schema: &'s Json) -> &'s Json {
    match schema
        .get("$ref")
        .and_then(Json::as_str)
        .and_then(|reference| reference.strip_prefix("#/$defs/"))
    {
        Some(name) => defs.and_then(|defs| defs.get(name)).unwrap_or(schema),
        None => schema,
    }
}

fn shape(schema: &Json) -> Shape {
    if schema
        .get("x-kubernetes-int-or-string")
        .and_then(Json::as_bool)
        == Some(true)
    {
        // Quantity is marked int-or-string too, but the API server takes `cpu: 0.5` as well.
        let quantity = schema
            .get("description")
            .and_then(Json::as_str)
            .is_some_and(|text| text.starts_with("Quantity is"));
        return if quantity {
            Shape::Quantity
        } else {
            Shape::IntOrString
        };
    }
    match schema.get("type").and_then(Json::as_str) {
        Some("string") => Shape::String,
        Some("integer") => Shape::Integer,
        Some("number") => Shape::Number,
        Some("boolean") => Shape::Boolean,
        Some("array") => Shape::Array,
        Some("object") => Shape::Object,
        _ if schema.get("properties").is_some() => Shape::Object,
        _ => Shape::Any,
    }
}

fn shape_name(expected: Shape, schema: &Json, defs: Option<&Json>) -> String {
    match expected {
        Shape::String => "a string".to_string(),
        Shape::Integer => "a whole number".to_string(),
        Shape::Number => "a number".to_string(),
        Shape::Boolean => "true or false".to_string(),
        Shape::IntOrString => "a number or a string".to_string(),
        Shape::Quantity => "a quantity (a number, or a string such as 500m or 64Mi)".to_string(),
        Shape::Any => "any value".to_string(),
        Shape::Object => "a map of fields".to_string(),
        Shape::Array => {
            let items = schema.get("items").map(|items| resolve(defs, items));
            match items.map(shape) {
                Some(Shape::String) => "a list of strings".to_string(),
                Some(Shape::Object) => "a list of maps".to_string(),
                _ => "a list".to_string(),
            }
        }
    }
}

impl<'s, 'd> Walker<'s, 'd> {
    /// The current path, plus `last` when given.
    fn path(&self, last: Option<Step<'_>>) -> Path {
        self.path
            .iter()
            .copied()
            .chain(last)
            .fold(Path::root(), |path, step| match step {
                Step::Key(key) => path.key(key),
                Step::Index(index) => path.index(index),
            })
    }

    fn report(&mut self, rule: Rule, path: Path, at: Pos, message: String) -> &mut Finding {
        self.findings.push(Finding {
            rule,
            path,
            at,
            message,
            suggestion: None,
            help: None,
            warning: false,
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// `anchor` is where a "missing field" of this map is reported: the key that introduced it.
    fn walk(&mut self, node: &'d Node, schema: &'s Json, anchor: Pos) {
        let schema = resolve(self.defs, schema);
        let expected = shape(schema);
        if node.is_null() {
            // `field:` with no value is the field not set, for the API server too.
            return;
        }
        match (expected, &node.value) {
            (Shape::Any, _) => {}
            (Shape::String, Value::Str(_)) => {}
            (Shape::Integer, Value::Int(number)) => self.check_range(*number, schema, node.at),
            (Shape::Number, Value::Int(_) | Value::Float(_)) => {}
            (Shape::Boolean, Value::Bool(_)) => {}
            (Shape::IntOrString, Value::Int(_) | Value::Str(_)) => {}
            (Shape::Quantity, Value::Int(_) | Value::Float(_)) => {}
            (Shape::Quantity, Value::Str(text)) => {
                if super::quantity::parse(text).is_none() {
                    let path = self.path(None);
                    let finding = self.report(
                        Rule::InvalidQuantity,
                        path,
                        node.at,
                        format!("`{}` is not a quantity", crate::text::escape_controls(text)),
                    );
                    finding.suggestion = super::quantity::suggest(text);
                    finding.help = Some("a quantity is a number with at most one suffix and no space: memory as 64Mi or 1Gi (powers of 1024) or 500M or 1G (powers of 1000), never with a B; CPU as 500m or 0.5".to_string());
                }
            }
            (Shape::Array, Value::Seq(items)) => {
                let item_schema = schema.get("items");
                if let Some(item_schema) = item_schema {
                    for (index, item) in items.iter().enumerate() {
                        self.path.push(Step::Index(index));
                        self.walk(item, item_schema, item.at);
                        self.path.pop();
                    }
                }
            }
            (Shape::Object, Value::Map(entries)) => self.walk_map(entries, schema, anchor),
            (expected, _) => self.wrong_type(node, expected, schema),
        }
    }

    fn walk_map(&mut self, entries: &'d [(super::yaml::Key, Node)], schema: &'s Json, anchor: Pos) {
        let properties = schema.get("properties").and_then(Json::as_object);
        let additional = schema
            .get("additionalProperties")
            .filter(|value| value.is_object());
        // Fields an unknown key was probably meant to be (`nmae` → `name`): reporting them as
        // missing too would count one mistake twice.
        let mut meant: Vec<String> = Vec::new();
        for (key, value) in entries {
            match (
                properties.and_then(|properties| properties.get(&key.name)),
                additional,
            ) {
                (Some(child_schema), _) | (None, Some(child_schema)) => {
                    self.path.push(Step::Key(&key.name));
                    self.walk(value, child_schema, key.at);
                    self.path.pop();
                }
                (None, None) if properties.is_none() => {}
                (None, None) => {
                    let child = self.path(Some(Step::Key(&key.name)));
                    let names = properties
                        .map(|properties| properties.keys().map(String::as_str).collect::<Vec<_>>())
                        .unwrap_or_default();
                    let suggestion = did_you_mean(&key.name, names.iter().copied())
                        .or_else(|| {
                            names
                                .iter()
                                .copied()
                                .find(|name| name.eq_ignore_ascii_case(&key.name))
                        })
                        .map(str::to_string);
                    let finding = self.report(
                        Rule::UnknownField,
                        child,
                        key.at,
                        format!(
                            "unknown field `{}`",
                            crate::text::escape_controls(&key.name)
                        ),
                    );
                    finding.help = Some(match &suggestion {
                        Some(meant_field) => {
                            meant.push(meant_field.clone());
                            "Kubernetes rejects fields it does not know (and kubectl's strict validation does too), so a misspelt field is an error, not a silent no-op".to_string()
                        }
                        None => format!("fields valid here: {}", names.join(", ")),
                    });
                    finding.suggestion = suggestion;
                }
            }
        }
        for required in schema
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
        {
            let present = entries
                .iter()
                .any(|(key, value)| key.name == required && !value.is_null());
            if !present && !meant.iter().any(|field| field == required) {
                let property = properties
                    .and_then(|properties| properties.get(required))
                    .map(|property| resolve(self.defs, property));
                let what = property
                    .map(|property| shape_name(shape(property), property, self.defs))
                    .unwrap_or_else(|| "a value".to_string());
                let path = self.path(Some(Step::Key(required)));
                self.report(
                    Rule::MissingField,
                    path,
                    anchor,
                    format!("missing required field `{required}`"),
                )
                .help = Some(format!("add `{required}:` with {what}"));
            }
        }
    }

    fn check_range(&mut self, number: i64, schema: &Json, at: Pos) {
        if schema.get("format").and_then(Json::as_str) == Some("int32")
            && i32::try_from(number).is_err()
        {
            let path = self.path(None);
            self.report(
                Rule::OutOfRange,
                path,
                at,
                format!("{number} does not fit in a 32-bit integer"),
            )
            .help = Some("the largest allowed value is 2147483647".to_string());
        }
    }

    fn wrong_type(&mut self, node: &Node, expected: Shape, schema: &Json) {
        let path = self.path(None);
        let wanted = shape_name(expected, schema, self.defs);
        let message = format!("expected {wanted}, found {}", node.value.describe());
        let (suggestion, help) = match (expected, &node.value) {
            (Shape::String, Value::Int(_) | Value::Float(_)) => {
                let text = source_text(node);
                (Some(format!("\"{text}\"")), Some("YAML reads an unquoted number as a number; quote it to make it a string".to_string()))
            }
            (Shape::String, Value::Bool(_)) => {
                let text = source_text(node);
                (Some(format!("\"{text}\"")), Some("YAML reads y, n, yes, no, on, off, true and false as booleans; quote the word to make it a string".to_string()))
            }
            (Shape::Integer | Shape::Number, Value::Str(text)) if text.trim().parse::<f64>().is_ok() => {
                (Some(text.trim().to_string()), Some("a quoted number is a string; remove the quotes".to_string()))
            }
            (Shape::Boolean, Value::Str(text)) if matches!(text.as_str(), "true" | "false") => {
                (Some(text.clone()), Some("a quoted true or false is a string; remove the quotes".to_string()))
            }
            (Shape::Array, Value::Str(text)) => {
                let items = schema.get("items").map(|items| resolve(self.defs, items));
                if items.map(shape) == Some(Shape::String) {
                    let words: Vec<String> = text.split_whitespace().map(|word| format!("{word:?}")).collect();
                    (Some(format!("[{}]", words.join(", "))), Some("this field is a list: each word of the command is its own item".to_string()))
                } else {
                    (None, Some("this field is a list: write each item on its own line starting with `- `".to_string()))
                }
            }
            (Shape::Array, Value::Map(_)) => (None, Some("this field is a list: write each entry as a list item starting with `- ` (for env: `- name: KEY` then `value: VALUE`)".to_string())),
            (Shape::Array, _) => {
                let items = schema.get("items").map(|items| resolve(self.defs, items));
                match items.map(shape) {
                    Some(Shape::String) => (Some(format!("[\"{}\"]", source_text(node))), Some("this field is a list of strings: quote each item and put it in [ ]".to_string())),
                    _ => (None, None),
                }
            }
            (Shape::Object, Value::Seq(_)) => (None, Some("this field is a map of fields, not a list: remove the `- `".to_string())),
            _ => (None, None),
        };
        let finding = self.report(Rule::WrongType, path, node.at, message);
        finding.suggestion = suggestion;
        finding.help = help;
    }
}

/// The value as it was written, for suggestions that quote it.
fn source_text(node: &Node) -> String {
    match &node.value {
        Value::Int(number) => number.to_string(),
        Value::Float(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Str(text) => text.clone(),
        _ => String::new(),
    }
}

/// `kubectl explain`, offline: the field's type, description, and its own fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub kind: &'static str,
    pub api_version: &'static str,
    /// The path as asked, normalised (`spec.containers.envFrom`).
    pub path: String,
    pub type_name: String,
    pub description: String,
    pub fields: Vec<FieldSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSummary {
    pub name: String,
    pub type_name: String,
    pub required: bool,
    /// The description's first sentence.
    pub summary: String,
}

/// Why `explain` could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    #[error("kubedrill does not know the resource `{name}`{}", .suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownKind {
        name: String,
        suggestion: Option<String>,
    },
    #[error("`{kind}` has no field `{field}` at `{at}`{}", .suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownField {
        kind: String,
        at: String,
        field: String,
        suggestion: Option<String>,
    },
}

/// Explains `KIND.field.field` (`pod.spec.containers.envFrom`, `deploy.spec.strategy`).
pub fn explain(query: &str) -> Result<Explanation, ExplainError> {
    let mut parts = query.split('.').filter(|part| !part.is_empty());
    let kind_name = parts.next().unwrap_or_default();
    let info = kind_by_name(kind_name).ok_or_else(|| ExplainError::UnknownKind {
        name: kind_name.to_string(),
        suggestion: did_you_mean(
            &kind_name.to_ascii_lowercase(),
            KINDS.iter().flat_map(|info| info.aliases.iter().copied()),
        )
        .map(str::to_string),
    })?;
    let root = info.schema();
    let defs = root.get("$defs");
    let mut schema = root;
    let mut walked = Vec::new();
    for field in parts {
        let object = element_schema(defs, schema);
        let properties = object.get("properties").and_then(Json::as_object);
        match properties.and_then(|properties| properties.get(field)) {
            Some(property) => {
                schema = property;
                walked.push(field.to_string());
            }
            None => {
                return Err(ExplainError::UnknownField {
                    kind: info.kind.to_string(),
                    at: if walked.is_empty() {
                        info.kind.to_string()
                    } else {
                        walked.join(".")
                    },
                    field: field.to_string(),
                    suggestion: properties
                        .and_then(|properties| {
                            did_you_mean(field, properties.keys().map(String::as_str))
                        })
                        .map(str::to_string),
                });
            }
        }
    }
    let resolved = resolve(defs, schema);
    let description = schema
        .get("description")
        .or_else(|| resolved.get("description"))
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string();
    let object = element_schema(defs, schema);
    let required: Vec<&str> = object
        .get("required")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .collect();
    let fields = object
        .get("properties")
        .and_then(Json::as_object)
        .map(|properties| {
            properties
                .iter()
                .map(|(name, property)| FieldSummary {
                    name: name.clone(),
                    type_name: type_name(defs, property),
                    required: required.contains(&name.as_str()),
                    summary: first_sentence(
                        property
                            .get("description")
                            .or_else(|| resolve(defs, property).get("description"))
                            .and_then(Json::as_str)
                            .unwrap_or_default(),
                    ),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Explanation {
        kind: info.kind,
        api_version: info.api_version,
        path: walked.join("."),
        type_name: if walked.is_empty() {
            info.kind.to_string()
        } else {
            type_name(defs, schema)
        },
        description,
        fields,
    })
}

/// For a list field, the schema of its items; otherwise the schema itself (resolved).
fn element_schema<'s>(defs: Option<&'s Json>, schema: &'s Json) -> &'s Json {
    let resolved = resolve(defs, schema);
    match (shape(resolved), resolved.get("items")) {
        (Shape::Array, Some(items)) => resolve(defs, items),
        _ => resolved,
    }
}

/// A type as kubectl explain writes it: `string`, `integer`, `[]EnvFromSource`, `map[string]string`.
fn type_name(defs: Option<&Json>, schema: &Json) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Json::as_str) {
        let name = reference.rsplit('.').next().unwrap_or(reference);
        return match name {
            "IntOrString" => "IntOrString".to_string(),
            other => other.to_string(),
        };
    }
    let resolved = resolve(defs, schema);
    match shape(resolved) {
        Shape::String => "string".to_string(),
        Shape::Integer => "integer".to_string(),
        Shape::Number => "number".to_string(),
        Shape::Boolean => "boolean".to_string(),
        Shape::IntOrString => "IntOrString".to_string(),
        Shape::Quantity => "Quantity".to_string(),
        Shape::Any => "Object".to_string(),
        Shape::Array => format!(
            "[]{}",
            resolved
                .get("items")
                .map_or_else(|| "Object".to_string(), |items| type_name(defs, items))
        ),
        Shape::Object => match resolved.get("additionalProperties") {
            Some(additional) if additional.is_object() => {
                format!("map[string]{}", type_name(defs, additional))
            }
            _ => "Object".to_string(),
        },
    }
}

fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map_or(text.len(), |end| end + 1);
    text[..end].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_table_has_every_kind_once_and_its_schema_loads() {
        assert_eq!(KINDS.len(), KIND_COUNT);
        for info in KINDS {
            let schema = info.schema();
            assert!(
                schema
                    .get("properties")
                    .and_then(|properties| properties.get("kind"))
                    .is_some(),
                "{info:?}"
            );
            assert_eq!(
                KINDS.iter().filter(|other| other.kind == info.kind).count(),
                1
            );
        }
    }

    #[test]
    fn kinds_are_found_by_the_names_people_type() {
        assert_eq!(kind_by_name("deploy").unwrap().kind, "Deployment");
        assert_eq!(kind_by_name("Pods").unwrap().kind, "Pod");
        assert_eq!(kind_by_name("cm").unwrap().api_version, "v1");
        assert!(find_kind("v1", "Deployment").is_none());
    }

    #[test]
    fn explain_describes_a_field_and_its_children() {
        let explanation = explain("pod.spec.containers.envFrom").unwrap();
        assert_eq!(explanation.type_name, "[]EnvFromSource");
        assert!(
            explanation.description.contains("List of sources"),
            "{}",
            explanation.description
        );
        let names: Vec<&str> = explanation
            .fields
            .iter()
            .map(|field| field.name.as_str())
            .collect();
        assert_eq!(names, ["configMapRef", "prefix", "secretRef"]);
        let container = explain("pod.spec.containers").unwrap();
        assert!(
            container
                .fields
                .iter()
                .any(|field| field.name == "name" && field.required)
        );
    }

    #[test]
    fn explain_suggests_the_field_that_was_meant() {
        let error = explain("deploy.spec.stratgy").unwrap_err();
        assert_eq!(
            error.to_string(),
            "`Deployment` has no field `stratgy` at `spec`; did you mean `strategy`?"
        );
        assert!(
            explain("deploymnet")
                .unwrap_err()
                .to_string()
                .contains("did you mean `deployment`?")
        );
    }
}
