//! The structural-schema basics of a CustomResourceDefinition version's `openAPIV3Schema`, the
//! ones a learner writing a schema by hand runs into. apiextensions.k8s.io/v1 always requires a
//! structural schema on create (apiextensions validation validateCustomResourceDefinitionSpec
//! sets requireStructuralSchema), so these are refusals:
//!
//! - every schema of the structure (the root, each property, `items`, `additionalProperties`)
//!   names its `type`, unless it is `x-kubernetes-int-or-string` or
//!   `x-kubernetes-preserve-unknown-fields` (apiextensions-apiserver pkg/apiserver/schema
//!   validation.go validateStructuralInvariants), and the root's type is `object`;
//! - `type` is an OpenAPI v3 type (openapiV3Types), an array has `items`;
//! - `additionalProperties` is never at the root, and not beside `properties` unless it is
//!   `true` (ValidateCustomResourceDefinitionOpenAPISchema);
//! - `metadata` at the root restricts at most `name` and `generateName`
//!   (validateStructuralMetadataInvariants);
//! - `x-kubernetes-preserve-unknown-fields` is true or absent, `uniqueItems` is not true, and
//!   the JSON-Schema keywords the API server does not support are absent
//!   (specStandardValidatorV3.validate).
//!
//! The schemas inside `allOf`, `anyOf`, `oneOf` and `not` follow other rules (they may not
//! name types) and are left alone, as is everything CEL.

use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Pos, Value};
use crate::text::{did_you_mean, escape_controls};

/// openapiV3Types.
const TYPES: [&str; 6] = ["object", "array", "string", "integer", "number", "boolean"];

/// Keywords of JSON Schema the API server refuses in a CRD schema.
const UNSUPPORTED: [&str; 6] = [
    "$ref",
    "id",
    "additionalItems",
    "patternProperties",
    "definitions",
    "dependencies",
];

/// The string formats the API server checks (apiextensions-apiserver pkg/apiserver/validation
/// formats.go supportedVersionedFormats, `-` removed as go-openapi normalizes them).
const STRING_FORMATS: [&str; 26] = [
    "bsonobjectid",
    "uri",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "cidr",
    "mac",
    "uuid",
    "uuid3",
    "uuid4",
    "uuid5",
    "isbn",
    "isbn10",
    "isbn13",
    "creditcard",
    "ssn",
    "hexcolor",
    "rgbcolor",
    "byte",
    "password",
    "date",
    "duration",
    "datetime",
    "k8sshortname",
    "k8slongname",
];

/// Where a schema sits in the structure: its messages differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Root,
    Item,
    Field,
}

/// Whether a value is its type's zero value (what Go's reflect.DeepEqual sees as unset).
fn is_zero(node: &Node) -> bool {
    match &node.value {
        Value::Null | Value::Bool(false) => true,
        Value::Str(text) => text.is_empty(),
        Value::Seq(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
        _ => false,
    }
}

fn flag(schema: &Node, field: &str) -> bool {
    schema
        .get(field)
        .is_some_and(|node| node.value == Value::Bool(true))
}

/// A type written the way another language names it.
pub(super) fn type_suggestion(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    let known = match lower.as_str() {
        "int" | "int32" | "int64" | "long" => "integer",
        "bool" => "boolean",
        "float" | "double" => "number",
        "map" | "dict" => "object",
        "list" => "array",
        "str" => "string",
        _ => return TYPES.into_iter().find(|known| *known == lower),
    };
    Some(known)
}

impl Rules {
    /// The structural checks of one version's `schema.openAPIV3Schema`.
    pub(super) fn crd_schema(&mut self, schema: &Node, path: &Path) {
        self.schema_node(schema, path, Level::Root, schema.at);
    }

    fn schema_node(&mut self, schema: &Node, path: &Path, level: Level, anchor: Pos) {
        if !matches!(schema.value, Value::Map(_)) {
            return;
        }
        let type_text = schema.get("type").and_then(str_of).unwrap_or_default();
        // A `type` that is not a string at all is the schema check's to report.
        let type_written = schema
            .get("type")
            .is_some_and(|node| !matches!(node.value, Value::Str(_) | Value::Null));
        if type_text.is_empty() {
            if !type_written
                && !flag(schema, "x-kubernetes-int-or-string")
                && !flag(schema, "x-kubernetes-preserve-unknown-fields")
            {
                self.missing_type(schema, path, level, anchor);
            }
        } else if let Some(type_node) = schema.get("type") {
            self.schema_type(type_node, type_text, path, level);
        }
        if type_text == "array" && schema.get("items").is_none_or(Node::is_null) {
            let at = schema.entry("type").map_or(anchor, |(key, _)| key.at);
            self.error(
                Rule::MissingField,
                path.key("items"),
                at,
                "`type: array` needs `items`",
            )
            .help = Some("say what the list holds, such as `items: {type: string}`".to_string());
        }
        self.schema_keywords(schema, path, level);
        self.schema_list_and_map(schema, path, type_text);
        self.schema_validation_rules(schema, path);
        self.schema_format(schema, path, type_text);
        let properties = schema
            .get("properties")
            .map(Node::as_map)
            .unwrap_or_default();
        if let Some((key, additional)) = schema.entry("additionalProperties")
            && !additional.is_null()
        {
            let additional_path = path.key("additionalProperties");
            if level == Level::Root {
                self.error(
                    Rule::ForbiddenField,
                    additional_path,
                    key.at,
                    "`additionalProperties` is not allowed at the root of a CRD schema",
                )
                .help = Some(
                    "the root is an object with known fields (`apiVersion`, `kind`, `metadata`, `spec` …): describe them under `properties`".to_string(),
                );
            } else if !properties.is_empty()
                && matches!(additional.value, Value::Bool(false) | Value::Map(_))
            {
                self.error(
                    Rule::ExclusiveFields,
                    additional_path,
                    key.at,
                    "`properties` and `additionalProperties` cannot both be set",
                )
                .help = Some(
                    "`properties` describes an object with known fields, `additionalProperties` a map with any keys: keep one".to_string(),
                );
            }
            if matches!(additional.value, Value::Map(_)) {
                self.schema_node(
                    additional,
                    &path.key("additionalProperties"),
                    Level::Field,
                    key.at,
                );
            }
        }
        for (key, property) in properties {
            let property_path = path.key("properties").key(&key.name);
            if level == Level::Root && key.name == "metadata" {
                self.schema_metadata(property, &property_path);
            }
            self.schema_node(property, &property_path, Level::Field, key.at);
        }
        if let Some((key, items)) = schema.entry("items")
            && matches!(items.value, Value::Map(_))
        {
            self.schema_node(items, &path.key("items"), Level::Item, key.at);
        }
    }

    fn missing_type(&mut self, schema: &Node, path: &Path, level: Level, anchor: Pos) {
        let at = schema.entry("type").map_or(anchor, |(key, _)| key.at);
        let message = match level {
            Level::Root => "the root of a CRD schema needs `type: object`".to_string(),
            Level::Item => "the schema of `items` needs a `type`".to_string(),
            Level::Field => format!(
                "the schema of `{}` needs a `type`",
                escape_controls(path.last_key().unwrap_or_default())
            ),
        };
        self.error(Rule::MissingField, path.key("type"), at, message)
            .help = Some(
            "a structural schema names the type of every field: object, array, string, integer, number or boolean (or sets `x-kubernetes-int-or-string: true` or `x-kubernetes-preserve-unknown-fields: true`)".to_string(),
        );
    }

    fn schema_type(&mut self, type_node: &Node, type_text: &str, path: &Path, level: Level) {
        if !TYPES.contains(&type_text) {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("type"),
                type_node.at,
                format!("`{}` is not a schema type", escape_controls(type_text)),
            );
            finding.suggestion = type_suggestion(type_text)
                .or_else(|| did_you_mean(type_text, TYPES))
                .map(str::to_string);
            finding.help = Some(if type_text == "null" {
                "a value that may be null keeps its own type and adds `nullable: true`".to_string()
            } else {
                "a schema's `type` is object, array, string, integer, number or boolean".to_string()
            });
        } else if level == Level::Root && type_text != "object" {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("type"),
                type_node.at,
                format!(
                    "the root of a CRD schema must be `type: object`, not `{}`",
                    escape_controls(type_text)
                ),
            );
            finding.suggestion = Some("object".to_string());
        }
    }

    /// Keywords refused wherever they are: unsupported JSON Schema, `uniqueItems: true`,
    /// `x-kubernetes-preserve-unknown-fields: false`, `nullable: true` at the root.
    fn schema_keywords(&mut self, schema: &Node, path: &Path, level: Level) {
        for (key, value) in schema.as_map() {
            let name = key.name.as_str();
            if UNSUPPORTED.contains(&name) && !is_zero(value) {
                self.error(
                    Rule::ForbiddenField,
                    path.key(name),
                    key.at,
                    format!(
                        "`{}` is not supported in a CRD schema",
                        escape_controls(name)
                    ),
                )
                .help = Some(
                    "write each part of the schema out in full, under `properties` and `items`"
                        .to_string(),
                );
            }
        }
        if let Some((key, node)) = schema.entry("uniqueItems")
            && node.value == Value::Bool(true)
        {
            self.error(
                Rule::ForbiddenField,
                path.key("uniqueItems"),
                key.at,
                "`uniqueItems: true` is not allowed in a CRD schema",
            )
            .help =
                Some("for a list without repeats, use `x-kubernetes-list-type: set`".to_string());
        }
        if let Some(node) = schema.get("x-kubernetes-preserve-unknown-fields")
            && node.value == Value::Bool(false)
        {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("x-kubernetes-preserve-unknown-fields"),
                node.at,
                "`x-kubernetes-preserve-unknown-fields` may only be true",
            );
            finding.suggestion = Some("true".to_string());
            finding.help = Some("to prune unknown fields (the default), leave it out".to_string());
        }
        if level == Level::Root
            && let Some((key, node)) = schema.entry("nullable")
            && node.value == Value::Bool(true)
        {
            self.error(
                Rule::ForbiddenField,
                path.key("nullable"),
                key.at,
                "`nullable: true` is not allowed at the root of a CRD schema",
            );
        }
    }

    /// The list and map extensions (ValidateCustomResourceDefinitionOpenAPISchema and
    /// validateMapListKeysMapSet): `x-kubernetes-list-type` atomic, set or map and only on an
    /// array, `x-kubernetes-map-type` atomic or granular and only on an object, map lists keyed
    /// by required (or defaulted) scalar properties of their items, set items atomic.
    fn schema_list_and_map(&mut self, schema: &Node, path: &Path, type_text: &str) {
        if self
            .enum_field(
                schema,
                "x-kubernetes-map-type",
                path,
                &["atomic", "granular"],
            )
            .is_some()
            && !type_text.is_empty()
            && type_text != "object"
            && let Some((key, _)) = schema.entry("x-kubernetes-map-type")
        {
            self.error(
                Rule::InvalidValue,
                path.key("x-kubernetes-map-type"),
                key.at,
                "`x-kubernetes-map-type` is only for `type: object`",
            );
        }
        let list_type = self.enum_field(
            schema,
            "x-kubernetes-list-type",
            path,
            &["atomic", "set", "map"],
        );
        if list_type.is_some()
            && !type_text.is_empty()
            && type_text != "array"
            && let Some((key, _)) = schema.entry("x-kubernetes-list-type")
        {
            self.error(
                Rule::InvalidValue,
                path.key("x-kubernetes-list-type"),
                key.at,
                "`x-kubernetes-list-type` is only for `type: array`",
            );
        }
        let keys = schema
            .get("x-kubernetes-list-map-keys")
            .map(Node::as_seq)
            .unwrap_or_default();
        let written_list_type = schema.get("x-kubernetes-list-type").and_then(str_of);
        if !keys.is_empty()
            && written_list_type != Some("map")
            && let Some((key, _)) = schema.entry("x-kubernetes-list-map-keys")
        {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("x-kubernetes-list-type"),
                key.at,
                "`x-kubernetes-list-map-keys` needs `x-kubernetes-list-type: map`",
            );
            finding.suggestion = Some("x-kubernetes-list-type: map".to_string());
        }
        let items = schema
            .get("items")
            .filter(|items| matches!(items.value, Value::Map(_)));
        match list_type {
            Some("map") => self.map_list(schema, path, keys, items),
            Some("set") => {
                if let Some(items) = items {
                    self.set_items(schema, items, path);
                }
            }
            _ => {}
        }
    }

    /// The items of a `set` list: objects must be atomic maps and lists atomic lists
    /// (requireAtomicSetType); even then server-side apply and CEL cannot handle them, which
    /// the API server warns about (the CRD strategy's getNonScalarListTypeSetWarnings).
    fn set_items(&mut self, schema: &Node, items: &Node, path: &Path) {
        let item_type = items.get("type").and_then(str_of).unwrap_or_default();
        let (field, atomic) = match item_type {
            "object" => ("x-kubernetes-map-type", "atomic"),
            "array" => ("x-kubernetes-list-type", "atomic"),
            _ => return,
        };
        let written = items.get(field).and_then(str_of);
        let refused = match item_type {
            "object" => written != Some(atomic),
            _ => written.is_some_and(|text| text != atomic),
        };
        let at = schema.entry("items").map_or(items.at, |(key, _)| key.at);
        if refused {
            self.error(
                Rule::InvalidValue,
                path.key("items").key(field),
                at,
                format!(
                    "the {item_type} items of a `x-kubernetes-list-type: set` list must be atomic"
                ),
            )
            .help = Some(
                "make the list `x-kubernetes-list-type: map` keyed by a field of its items, or `atomic`".to_string(),
            );
        } else {
            let at = schema
                .get("x-kubernetes-list-type")
                .map_or(at, |node| node.at);
            let finding = self.error(
                Rule::InvalidValue,
                path.key("x-kubernetes-list-type"),
                at,
                format!(
                    "a `x-kubernetes-list-type: set` of {item_type} items is not supported by server-side apply or CEL validation rules"
                ),
            );
            finding.warning = true;
            finding.help = Some(
                "make the list `x-kubernetes-list-type: map` keyed by a field of its items, or `atomic`".to_string(),
            );
        }
    }

    /// A format the API server does not check (the CRD strategy's WarningsOnCreate with
    /// GetUnrecognizedFormats): it warns, and the value goes unchecked.
    fn schema_format(&mut self, schema: &Node, path: &Path, type_text: &str) {
        let Some(node) = schema.get("format") else {
            return;
        };
        let Some(format) = str_of(node).filter(|text| !text.is_empty()) else {
            return;
        };
        let known = match type_text {
            "" | "string" => STRING_FORMATS.contains(&format.replace('-', "").as_str()),
            "integer" => matches!(format, "int32" | "int64"),
            "number" => matches!(format, "float" | "double"),
            _ => false,
        };
        if known {
            return;
        }
        let finding = self.error(
            Rule::InvalidValue,
            path.key("format"),
            node.at,
            format!(
                "unrecognized format `{}`: the API server does not check it",
                escape_controls(format)
            ),
        );
        finding.warning = true;
        finding.help = Some(match type_text {
            "integer" => "an integer's format is int32 or int64".to_string(),
            "number" => "a number's format is float or double".to_string(),
            "" | "string" => "string formats include date, date-time, duration, email, hostname, ipv4, ipv6, cidr, uri, uuid and byte".to_string(),
            _ => "only strings, integers and numbers take a format".to_string(),
        });
    }

    /// A `x-kubernetes-list-type: map` list: keys listed, items objects, each key one of their
    /// scalar properties, required or defaulted.
    fn map_list(&mut self, schema: &Node, path: &Path, keys: &[Node], items: Option<&Node>) {
        let list_type_at = schema
            .entry("x-kubernetes-list-type")
            .map_or(schema.at, |(key, _)| key.at);
        if keys.is_empty() {
            self.error(
                Rule::MissingField,
                path.key("x-kubernetes-list-map-keys"),
                list_type_at,
                "`x-kubernetes-list-type: map` needs `x-kubernetes-list-map-keys`",
            )
            .help = Some(
                "name the item fields that identify an item, such as `x-kubernetes-list-map-keys: [name]`".to_string(),
            );
        }
        let Some(items) = items else {
            return;
        };
        if items.get("type").and_then(str_of) != Some("object") {
            return;
        }
        let properties = items.get("properties");
        let required: Vec<&str> = items
            .get("required")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(str_of)
            .collect();
        for (index, key) in keys.iter().enumerate() {
            let Some(name) = str_of(key) else {
                continue;
            };
            match properties.and_then(|properties| properties.get(name)) {
                None => {
                    self.error(
                        Rule::InvalidValue,
                        path.key("x-kubernetes-list-map-keys").index(index),
                        key.at,
                        format!(
                            "`{}` is not a property of the list's items",
                            escape_controls(name)
                        ),
                    );
                }
                Some(property) => {
                    if property.get("default").is_none_or(Node::is_null)
                        && !required.contains(&name)
                    {
                        self.error(
                            Rule::MissingField,
                            path.key("items").key("required"),
                            key.at,
                            format!(
                                "the map key `{}` must be a required property of the items (or have a default)",
                                escape_controls(name)
                            ),
                        )
                        .help = Some(format!(
                            "add `required: [{}]` to `items`",
                            escape_controls(name)
                        ));
                    }
                }
            }
        }
    }

    /// `x-kubernetes-validations` without compiling CEL: a rule that is there, a message that
    /// is not blank and on one line, a known reason.
    fn schema_validation_rules(&mut self, schema: &Node, path: &Path) {
        for (index, rule) in schema
            .get("x-kubernetes-validations")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let rule_path = path.key("x-kubernetes-validations").index(index);
            if self.expression_present(rule, "rule", &rule_path, "self.replicas <= 10") {
                continue;
            }
            let message_blank = rule
                .get("message")
                .and_then(str_of)
                .is_none_or(str::is_empty);
            if let Some(node) = rule.get("rule")
                && str_of(node).is_some_and(|text| text.trim().contains(['\n', '\r']))
                && message_blank
            {
                self.error(
                    Rule::MissingField,
                    rule_path.key("message"),
                    node.at,
                    "a rule written on several lines needs a `message`",
                )
                .help = Some(
                    "the API server cannot quote a multi-line rule in its error: say in one line what the rule checks".to_string(),
                );
            }
            if let Some(node) = rule.get("message")
                && let Some(text) = str_of(node)
            {
                if !text.is_empty() && text.trim().is_empty() {
                    self.error(
                        Rule::InvalidValue,
                        rule_path.key("message"),
                        node.at,
                        "`message` is blank",
                    )
                    .help = Some("write the sentence the user sees, or remove it".to_string());
                } else if text.trim().contains(['\n', '\r']) {
                    self.error(
                        Rule::InvalidValue,
                        rule_path.key("message"),
                        node.at,
                        "`message` may not contain line breaks",
                    )
                    .help = Some(
                        "keep the message on one line; a `|` block keeps its line breaks, write it in quotes instead".to_string(),
                    );
                }
            }
            const REASONS: [&str; 4] = [
                "FieldValueInvalid",
                "FieldValueForbidden",
                "FieldValueRequired",
                "FieldValueDuplicate",
            ];
            if self
                .enum_field(rule, "reason", &rule_path, &REASONS)
                .is_none()
                && let Some(node) = rule.get("reason")
                && let Some(text) = str_of(node)
                && let Some(finding) = self.findings.last_mut()
                && finding.at == node.at
                && finding.suggestion.is_none()
            {
                let prefixed = format!("FieldValue{text}");
                finding.suggestion = REASONS.contains(&prefixed.as_str()).then_some(prefixed);
            }
        }
    }

    /// validateStructuralMetadataInvariants: the root's `metadata` is an object, and may only
    /// restrict `name` and `generateName`; the API server validates the rest of it itself.
    fn schema_metadata(&mut self, metadata: &Node, path: &Path) {
        for (key, value) in metadata.as_map() {
            match key.name.as_str() {
                "type" => {
                    if let Some(text) = str_of(value)
                        && !text.is_empty()
                        && text != "object"
                    {
                        let finding = self.error(
                            Rule::InvalidValue,
                            path.key("type"),
                            value.at,
                            format!(
                                "`metadata` must be `type: object`, not `{}`",
                                escape_controls(text)
                            ),
                        );
                        finding.suggestion = Some("object".to_string());
                    }
                }
                "properties" => {
                    for (field, _) in value.as_map() {
                        if field.name != "name" && field.name != "generateName" {
                            self.error(
                                Rule::ForbiddenField,
                                path.key("properties").key(&field.name),
                                field.at,
                                format!(
                                    "a CRD schema may not describe `metadata.{}`",
                                    escape_controls(&field.name)
                                ),
                            )
                            .help = Some(
                                "under `metadata` a schema may only restrict `name` and `generateName`; the API server checks labels, annotations and the rest itself".to_string(),
                            );
                        }
                    }
                }
                other if !is_zero(value) => {
                    self.error(
                        Rule::ForbiddenField,
                        path.key(other),
                        key.at,
                        format!(
                            "`metadata` in a CRD schema takes only `type` and `properties`, not `{}`",
                            escape_controls(other)
                        ),
                    )
                    .help = Some(
                        "write `metadata: {type: object}`; the API server checks the metadata itself"
                            .to_string(),
                    );
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::type_suggestion;

    #[test]
    fn types_from_other_languages_get_the_openapi_name() {
        assert_eq!(type_suggestion("int"), Some("integer"));
        assert_eq!(type_suggestion("String"), Some("string"));
        assert_eq!(type_suggestion("bool"), Some("boolean"));
        assert_eq!(type_suggestion("tuple"), None);
    }
}
