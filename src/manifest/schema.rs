//! The strict typed check against the Kubernetes API of the pinned version.
//!
//! The schemas are data (see [`kinds`]): for built-in kinds, generated from the API types of the
//! pinned minor (field names, types, `required` lists and descriptions); for the Gateway API, its
//! CRDs' OpenAPI schemas, whose own limits (enums, minimum and maximum, lengths and counts) the
//! API server enforces and so does the walker. One generic walker goes over a
//! document and its kind's schema together and reports *every* unknown field (with the closest
//! valid name), wrong type and missing required field — where deserializing into the typed structs
//! would drop unknown keys silently and stop at the first type error.

mod explain;
mod kinds;

use serde_json::Value as Json;

pub use explain::{ExplainError, Explanation, FieldSummary, explain, explain_in};
pub use kinds::{
    KINDS, KindInfo, Origin, Stability, definition, find_kind, group_of, kind_by_name, kind_names,
    stability_of, versions_of,
};

use super::diagnostic::Rule;
use super::path::Path;
use super::yaml::{Node, Pos, Value};
use crate::text::did_you_mean;

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
        defs: None,
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
        Some(name) => defs
            .and_then(|defs| defs.get(name))
            .or_else(|| definition(name))
            .unwrap_or(schema),
        None => schema,
    }
}

fn shape(schema: &Json) -> Shape {
    // One pass over the schema's few keys: cheaper than hashing three names for every node.
    let Some(map) = schema.as_object() else {
        return Shape::Any;
    };
    let (mut int_or_string, mut type_name, mut properties, mut description) =
        (false, None, false, None);
    for (key, value) in map {
        match key.as_str() {
            "x-kubernetes-int-or-string" => int_or_string = value.as_bool() == Some(true),
            "type" => type_name = value.as_str(),
            "properties" => properties = true,
            "description" => description = value.as_str(),
            _ => {}
        }
    }
    if int_or_string {
        // Quantity is marked int-or-string too, but the API server takes `cpu: 0.5` as well.
        let quantity = description.is_some_and(|text| text.starts_with("Quantity is"));
        return if quantity {
            Shape::Quantity
        } else {
            Shape::IntOrString
        };
    }
    match type_name {
        Some("string") => Shape::String,
        Some("integer") => Shape::Integer,
        Some("number") => Shape::Number,
        Some("boolean") => Shape::Boolean,
        Some("array") => Shape::Array,
        Some("object") => Shape::Object,
        _ if properties => Shape::Object,
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
            (expected, _) => {
                self.wrong_type(node, expected, schema);
                return;
            }
        }
        self.limits(node, schema);
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

    /// The OpenAPI limits a CRD's schema sets and the API server enforces for its objects:
    /// `enum`, `minimum`/`maximum`, `minLength`/`maxLength`, `minItems`/`maxItems`.
    fn limits(&mut self, node: &Node, schema: &Json) {
        // Built-in kinds' schemas have none of these: a glance at the few keys a schema has is
        // cheaper than hashing each name (this runs for every node of every document).
        let has_limits = schema.as_object().is_some_and(|map| {
            map.keys().any(|key| {
                matches!(
                    key.as_str(),
                    "enum"
                        | "minimum"
                        | "maximum"
                        | "minLength"
                        | "maxLength"
                        | "minItems"
                        | "maxItems"
                )
            })
        });
        if !has_limits {
            return;
        }
        if let Some(allowed) = schema.get("enum").and_then(Json::as_array) {
            let matches = allowed.iter().any(|value| match (&node.value, value) {
                (Value::Str(text), Json::String(allowed)) => text == allowed,
                (Value::Int(number), Json::Number(allowed)) => allowed.as_i64() == Some(*number),
                (Value::Bool(flag), Json::Bool(allowed)) => flag == allowed,
                _ => false,
            });
            if !matches {
                let names: Vec<String> = allowed
                    .iter()
                    .map(|value| {
                        value
                            .as_str()
                            .map_or_else(|| value.to_string(), str::to_string)
                    })
                    .collect();
                let written = source_text(node);
                let path = self.path(None);
                let finding = self.report(
                    Rule::InvalidValue,
                    path,
                    node.at,
                    format!(
                        "`{}` is not one of the values allowed here",
                        crate::text::escape_controls(&written)
                    ),
                );
                finding.suggestion = did_you_mean(&written, names.iter().map(String::as_str))
                    .or_else(|| {
                        names
                            .iter()
                            .map(String::as_str)
                            .find(|name| name.eq_ignore_ascii_case(&written))
                    })
                    .map(str::to_string);
                finding.help = Some(format!("use one of: {}", names.join(", ")));
                return;
            }
        }
        let bound = |key: &str| schema.get(key).and_then(Json::as_f64);
        let written = source_text(node);
        let message = match &node.value {
            Value::Int(_) | Value::Float(_) => {
                let value = match &node.value {
                    Value::Int(number) => *number as f64,
                    Value::Float(number) => *number,
                    _ => unreachable!(),
                };
                match (bound("minimum"), bound("maximum")) {
                    (Some(low), Some(high)) if value < low || value > high => Some(format!(
                        "{written} is out of range: the value must be from {low} to {high}"
                    )),
                    (Some(low), None) if value < low => Some(format!(
                        "{written} is out of range: the value must be at least {low}"
                    )),
                    (None, Some(high)) if value > high => Some(format!(
                        "{written} is out of range: the value must be at most {high}"
                    )),
                    _ => None,
                }
            }
            Value::Str(text) => {
                let count = text.chars().count() as f64;
                match (bound("minLength"), bound("maxLength")) {
                    (Some(low), _) if count < low => Some(format!(
                        "this value has {count} characters; it needs at least {low}"
                    )),
                    (_, Some(high)) if count > high => Some(format!(
                        "this value has {count} characters; it may have at most {high}"
                    )),
                    _ => None,
                }
            }
            Value::Seq(items) => {
                let count = items.len() as f64;
                match (bound("minItems"), bound("maxItems")) {
                    (Some(low), _) if count < low => Some(format!(
                        "this list has {count} items; it needs at least {low}"
                    )),
                    (_, Some(high)) if count > high => Some(format!(
                        "this list has {count} items; it may have at most {high}"
                    )),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(message) = message {
            let path = self.path(None);
            self.report(Rule::OutOfRange, path, node.at, message);
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
                let command = matches!(self.path.last(), Some(Step::Key("command" | "args")));
                if items.map(shape) == Some(Shape::String) && command {
                    let words: Vec<String> = text.split_whitespace().map(|word| format!("{word:?}")).collect();
                    (Some(format!("[{}]", words.join(", "))), Some("this field is a list: each word of the command is its own item".to_string()))
                } else if items.map(shape) == Some(Shape::String) {
                    // `verbs: "get, list"` is two items; `apiGroups: ""` is the one item "".
                    let items: Vec<String> = if text.contains(',') {
                        text.split(',').map(|item| format!("{:?}", item.trim())).collect()
                    } else {
                        vec![format!("{:?}", text.trim())]
                    };
                    (Some(format!("[{}]", items.join(", "))), Some("this field is a list of strings: put each item in [ ], quoted, separated by commas".to_string()))
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
