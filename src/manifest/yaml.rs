//! YAML → a tree of [`Node`]s that keep where each value and key came from.
//!
//! One parser (serde-saphyr) reads both the values and their positions, with the YAML 1.1
//! scalar rules kubectl's YAML reader uses: `0644` is octal (420), `yes`/`off` are booleans,
//! an empty value is null, and a duplicate key is an error rather than a silent last-wins.
//! Hostile input is bounded: input size, nesting depth, node count and alias expansion.

use std::fmt;

use serde::Deserialize;
use serde_saphyr::{Budget, Spanned};

/// Input larger than this is refused before parsing (a manifest is a few KiB).
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Deepest nesting accepted; real manifests stay under 30 levels.
pub const MAX_DEPTH: usize = 100;
/// Most nodes (scalars, maps, lists) accepted in one stream, after alias expansion.
pub const MAX_NODES: usize = 250_000;
/// Most alias uses (`*name`) in one stream.
pub const MAX_ALIASES: usize = 1_000;

/// Where something is in the source: 1-based line and column (in characters), and the byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    pub len: usize,
}

impl Pos {
    fn from_location(location: &serde_saphyr::Location) -> Pos {
        let span = location.span();
        Pos {
            line: location.line() as usize,
            column: location.column() as usize,
            offset: span.byte_offset().unwrap_or(0) as usize,
            len: span.byte_len().unwrap_or(0) as usize,
        }
    }
}

/// A YAML value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub at: Pos,
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub at: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in document order (duplicates are refused by the parser).
    Map(Vec<(Key, Node)>),
}

impl Value {
    /// How a learner would name this kind of value in a message.
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "nothing (null)".to_string(),
            Value::Bool(flag) => format!("the boolean {flag}"),
            Value::Int(number) => format!("the number {number}"),
            Value::Float(number) => format!("the number {number}"),
            Value::Str(text) => format!(
                "the string {:?}",
                crate::text::escape_controls(&truncate(text, 40))
            ),
            Value::Seq(_) => "a list".to_string(),
            Value::Map(_) => "a map".to_string(),
        }
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

impl Node {
    /// The value under `key`, when this is a map that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, node)| node)
    }

    /// The key and value under `key`.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(name, _)| name.name == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn as_map(&self) -> &[(Key, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// Follows a path of keys (`["spec", "template"]`) through maps.
    pub fn at_path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The value as JSON, as the API server would read it.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(flag) => serde_json::Value::Bool(*flag),
            Value::Int(number) => serde_json::Value::from(*number),
            Value::Float(number) => serde_json::Number::from_f64(*number)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::Str(text) => serde_json::Value::String(text.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(key, node)| (key.name.clone(), node.to_json()))
                    .collect(),
            ),
        }
    }
}

/// The raw tree as serde-saphyr hands it over; converted to [`Node`] right after parsing.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Raw, D::Error> {
                Raw::deserialize(deserializer)
            }
            fn visit_bool<E>(self, flag: bool) -> Result<Raw, E> {
                Ok(Raw::Bool(flag))
            }
            fn visit_i64<E>(self, number: i64) -> Result<Raw, E> {
                Ok(Raw::Int(number))
            }
            fn visit_u64<E>(self, number: u64) -> Result<Raw, E> {
                Ok(i64::try_from(number).map_or(Raw::Float(number as f64), Raw::Int))
            }
            fn visit_i128<E>(self, number: i128) -> Result<Raw, E> {
                Ok(i64::try_from(number).map_or(Raw::Float(number as f64), Raw::Int))
            }
            fn visit_u128<E>(self, number: u128) -> Result<Raw, E> {
                Ok(i64::try_from(number).map_or(Raw::Float(number as f64), Raw::Int))
            }
            fn visit_f64<E>(self, number: f64) -> Result<Raw, E> {
                Ok(Raw::Float(number))
            }
            fn visit_str<E>(self, text: &str) -> Result<Raw, E> {
                Ok(Raw::Str(text.to_string()))
            }
            fn visit_string<E>(self, text: String) -> Result<Raw, E> {
                Ok(Raw::Str(text))
            }
            fn visit_bytes<E>(self, bytes: &[u8]) -> Result<Raw, E> {
                Ok(Raw::Str(String::from_utf8_lossy(bytes).into_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Raw::Seq(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(Raw::Map(entries))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

fn convert(raw: Spanned<Raw>) -> Node {
    let at = Pos::from_location(&raw.referenced);
    let value = match raw.value {
        Raw::Null => Value::Null,
        Raw::Bool(flag) => Value::Bool(flag),
        Raw::Int(number) => Value::Int(number),
        Raw::Float(number) => Value::Float(number),
        Raw::Str(text) => Value::Str(text),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(convert).collect()),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(key, node)| {
                    let key_at = Pos::from_location(&key.referenced);
                    (
                        Key {
                            name: key.value,
                            at: key_at,
                        },
                        convert(node),
                    )
                })
                .collect(),
        ),
    };
    Node { value, at }
}

/// Why a YAML stream could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub line: usize,
    pub column: usize,
    /// Byte offset, for the snippet.
    pub offset: usize,
    /// Which document (from 0) the error is in.
    pub document: usize,
}

/// One document of a stream, with its index in the stream (counting from 0).
#[derive(Debug, Clone)]
pub struct Document {
    pub index: usize,
    pub root: Node,
}

/// Parses a YAML (or JSON) stream of one or more documents. Empty documents (nothing but
/// comments) are skipped, as kubectl skips them; indices still count every `---`.
pub fn parse(text: &str) -> Result<Vec<Document>, SyntaxError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(SyntaxError {
            message: format!(
                "the input has {} bytes; kubedrill checks at most {MAX_INPUT_BYTES} bytes (1 MiB) at a time",
                text.len()
            ),
            line: 1,
            column: 1,
            offset: 0,
            document: 0,
        });
    }
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_aliases = MAX_ALIASES;
    let options = serde_saphyr::options! {
        legacy_octal_numbers: true,
        budget: Some(budget),
        with_snippet: false,
    };
    match serde_saphyr::from_multiple_with_options::<Spanned<Raw>>(text, options) {
        Ok(documents) => {
            let starts = document_starts(text);
            Ok(documents
                .into_iter()
                .map(convert)
                .map(|root| Document {
                    index: document_index(&starts, root.at.offset),
                    root,
                })
                .collect())
        }
        Err(error) => {
            let location = error.location();
            let (line, column) = location
                .as_ref()
                .map_or((1, 1), |at| (at.line() as usize, at.column() as usize));
            let offset = offset_of(text, line, column);
            Err(SyntaxError {
                message: plain_message(&error.to_string()),
                line,
                column,
                offset,
                document: document_index(&document_starts(text), offset),
            })
        }
    }
}

/// Byte offsets where each document after the first starts (`---` lines).
fn document_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    let mut seen_content = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            // A `---` before any content opens the first document, not a second one.
            if seen_content {
                starts.push(offset);
            }
            seen_content = true;
        } else if !trimmed.trim_start().is_empty()
            && !trimmed.trim_start().starts_with('#')
            && !trimmed.starts_with('%')
        {
            seen_content = true;
        }
        offset += line.len();
    }
    starts
}

fn document_index(starts: &[usize], offset: usize) -> usize {
    starts.iter().take_while(|start| **start <= offset).count()
}

/// Byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[line_start.min(text.len())..];
    line_start
        + rest
            .chars()
            .take(column.saturating_sub(1))
            .map(char::len_utf8)
            .sum::<usize>()
}

/// serde-saphyr's message without its `error: line L column C:` prefix, its snippet, and its
/// advice to change parser options (which a learner cannot do).
fn plain_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = match first.split_once(": ") {
        Some((location, rest)) if location.starts_with("line ") => rest,
        _ => first,
    };
    let first = first
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(first);
    let mut plain = crate::text::escape_controls(first).into_owned();
    if let Some(key) = plain.strip_prefix("duplicate mapping key: ") {
        plain = format!(
            "the key `{key}` appears twice in the same map; YAML keeps only one of them, so remove or rename the other"
        );
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_read_as_kubectl_reads_them() {
        let documents =
            parse("mode: 0644\nquoted: \"0644\"\nyes_: yes\noff_: off\nempty:\nnum: 10\nf: 1.5\n")
                .unwrap();
        let root = &documents[0].root;
        assert_eq!(root.get("mode").unwrap().value, Value::Int(420));
        assert_eq!(root.get("quoted").unwrap().value, Value::Str("0644".into()));
        assert_eq!(root.get("yes_").unwrap().value, Value::Bool(true));
        assert_eq!(root.get("off_").unwrap().value, Value::Bool(false));
        assert_eq!(root.get("empty").unwrap().value, Value::Null);
        assert_eq!(root.get("f").unwrap().value, Value::Float(1.5));
    }

    #[test]
    fn keys_and_values_know_their_line_and_column() {
        let documents = parse("a: 1\nb:\n  - c: 한국어\n    d: x\n").unwrap();
        let item = &documents[0].root.get("b").unwrap().as_seq()[0];
        let (key, value) = item.entry("d").unwrap();
        assert_eq!((key.at.line, key.at.column), (4, 5));
        assert_eq!((value.at.line, value.at.column), (4, 8));
        let (key, value) = item.entry("c").unwrap();
        assert_eq!((key.at.line, key.at.column, value.at.column), (3, 5, 8));
        assert_eq!(value.at.len, "한국어".len());
    }

    #[test]
    fn documents_are_numbered_by_their_place_in_the_stream() {
        let documents = parse("# comment\n---\na: 1\n---\n# only a comment\n---\nb: 2\n").unwrap();
        let indices: Vec<usize> = documents.iter().map(|d| d.index).collect();
        assert_eq!(indices, [0, 2]);
    }

    #[test]
    fn a_duplicate_key_is_an_error_at_the_second_key() {
        let error = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!((error.line, error.column), (3, 1));
        assert!(
            error.message.contains("`a` appears twice"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_syntax_error_names_its_document() {
        let error = parse("a: 1\n---\nb: [1, 2\nc: 3\n").unwrap_err();
        assert_eq!(error.document, 1);
        assert_eq!(error.line, 4);
    }

    #[test]
    fn json_input_is_yaml_too() {
        let documents = parse("{\"kind\": \"Pod\", \"spec\": {\"containers\": []}}").unwrap();
        assert_eq!(documents[0].root.get("kind").unwrap().as_str(), Some("Pod"));
    }
}
