//! `kubectl explain`, offline: a field's type, description and own fields, for every kind.

use serde_json::Value as Json;

use super::kinds::{KINDS, kind_by_name};
use super::{Shape, resolve, shape};
use crate::text::did_you_mean;

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
    #[error("`{name}` is not served in `{api_version}`; it is in {served}")]
    NotInVersion {
        name: String,
        api_version: String,
        /// The apiVersions it is served in, preferred first.
        served: String,
    },
    #[error("`{kind}` has no field `{field}` at `{at}`{}", .suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownField {
        kind: String,
        at: String,
        field: String,
        suggestion: Option<String>,
    },
}

/// Explains `KIND.field.field` (`pod.spec.containers.envFrom`, `deploy.spec.strategy`) in the
/// kind's preferred version.
pub fn explain(query: &str) -> Result<Explanation, ExplainError> {
    explain_in(query, None)
}

/// Explains `KIND.field.field` in `api_version` (kubectl explain's `--api-version`), or in the
/// kind's preferred version.
pub fn explain_in(query: &str, api_version: Option<&str>) -> Result<Explanation, ExplainError> {
    let mut parts = query.split('.').filter(|part| !part.is_empty());
    let kind_name = parts.next().unwrap_or_default();
    if let (Some(wanted), Some(any)) = (api_version, kind_by_name(kind_name, None))
        && kind_by_name(kind_name, Some(wanted)).is_none()
    {
        return Err(ExplainError::NotInVersion {
            name: kind_name.to_string(),
            api_version: wanted.to_string(),
            served: super::kinds::versions_of(any.kind)
                .iter()
                .map(|info| format!("`{}`", info.api_version))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let info = kind_by_name(kind_name, api_version).ok_or_else(|| ExplainError::UnknownKind {
        name: kind_name.to_string(),
        suggestion: did_you_mean(
            &kind_name.to_ascii_lowercase(),
            KINDS.iter().flat_map(|info| info.aliases.iter().copied()),
        )
        .map(str::to_string),
    })?;
    let root = info.schema();
    let defs = None;
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

impl Explanation {
    /// The text `kubectl explain` prints for it.
    pub fn render(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(out, "KIND:       {}", self.kind);
        let _ = writeln!(out, "VERSION:    {}", self.api_version);
        let _ = writeln!(out, "KUBERNETES: {}", crate::KUBERNETES_VERSION);
        out.push('\n');
        if self.path.is_empty() {
            let _ = writeln!(out, "RESOURCE: {}", self.kind);
        } else {
            let _ = writeln!(out, "FIELD: {} <{}>", self.path, self.type_name);
        }
        out.push_str("\nDESCRIPTION:\n");
        for line in wrap(&self.description, 76) {
            let _ = writeln!(out, "    {line}");
        }
        if !self.fields.is_empty() {
            out.push_str("\nFIELDS:\n");
            for field in &self.fields {
                let required = if field.required { " -required-" } else { "" };
                let _ = writeln!(out, "  {}\t<{}>{required}", field.name, field.type_name);
                for line in wrap(&field.summary, 72) {
                    let _ = writeln!(out, "    {line}");
                }
                out.push('\n');
            }
        }
        out
    }
}

/// Greedy word wrap that keeps paragraph breaks.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn explain_knows_every_kind_including_the_gateway_api() {
        let path_type = explain("ingress.spec.rules.http.paths.pathType").unwrap();
        assert_eq!(path_type.type_name, "string");
        assert!(
            path_type.description.contains("Prefix"),
            "{}",
            path_type.description
        );
        let parent_refs = explain("httproute.spec.parentRefs").unwrap();
        assert_eq!(parent_refs.api_version, "gateway.networking.k8s.io/v1");
        assert!(
            parent_refs.type_name.starts_with("[]"),
            "{}",
            parent_refs.type_name
        );
        assert!(
            parent_refs
                .fields
                .iter()
                .any(|field| field.name == "name" && field.required)
        );
        for info in KINDS {
            let explained = explain_in(info.plural, Some(info.api_version))
                .unwrap_or_else(|error| panic!("{info:?}: {error}"));
            assert_eq!(
                (explained.kind, explained.api_version),
                (info.kind, info.api_version)
            );
        }
    }
}
