//! YAML → a tree of [`Node`]s that keep where each value and key came from.
//!
//! saphyr's event parser reads the stream; this module builds the tree and resolves plain
//! scalars with the YAML 1.1 rules kubectl's YAML reader (go-yaml v2) uses: `0644` is octal
//! (420), `yes`/`off`/`y` are booleans, `~` and an empty value are null. A duplicate key is an
//! error rather than a silent last-wins, merge keys (`<<: *base`) work, and hostile input is
//! bounded: input size, nesting depth, and the number of nodes after alias expansion (so a
//! "billion laughs" stream is refused as soon as it passes the cap, not after expanding it).

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

mod reindent;
mod scan_error;

use reindent::Reindented;
use scan_error::explain_scan_error;

/// Input larger than this is refused before parsing (a manifest is a few KiB).
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Deepest nesting accepted; real manifests stay under 30 levels.
pub const MAX_DEPTH: usize = 100;
/// Most nodes (scalars, maps, lists) accepted in one stream, counting alias expansions.
pub const MAX_NODES: usize = 100_000;

/// Where something is in the source: 1-based line and column (in characters), and the byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    pub len: usize,
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
/// comments, or `---` alone) are skipped, as kubectl skips them; indices still count them.
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
    if let Some((offset, bad)) = text.char_indices().find(|(_, c)| !is_yaml_printable(*c)) {
        let (line, column) = crate::text::line_column(text, offset);
        return Err(Builder::new(text).error(
            line,
            column,
            format!(
                "the control character U+{:04X} is not allowed in YAML; inside a double-quoted string, write it as an escape such as {}",
                bad as u32,
                if (bad as u32) <= 0xFF {
                    format!("\\x{:02x}", bad as u32)
                } else {
                    format!("\\u{:04X}", bad as u32)
                }
            ),
        ));
    }
    // A quoted value whose later lines are indented less than YAML 1.2 asks is read as
    // go-yaml (and so kubectl) reads it: those lines are indented further and the stream read
    // again. Leading spaces of a quoted value's later lines are not part of the value, so this
    // changes nothing but positions, which are mapped back.
    let mut reindented: Option<Reindented> = None;
    loop {
        let source = reindented
            .as_ref()
            .map_or(text, |patch| patch.text.as_str());
        let failure = match parse_stream(source) {
            Ok(documents) => {
                return Ok(match &reindented {
                    Some(patch) => documents.into_iter().map(|d| patch.document(d)).collect(),
                    None => documents,
                });
            }
            Err(failure) => failure,
        };
        let error = match &reindented {
            Some(patch) => patch.error(failure.error),
            None => failure.error,
        };
        let Some((line, column)) = failure.quoted_indentation else {
            return Err(error);
        };
        let mut patch = reindented.take().unwrap_or_else(|| Reindented::new(text));
        if patch.rounds >= MAX_REINDENTED || !patch.indent_quoted(line, column) {
            return Err(error);
        }
        reindented = Some(patch);
    }
}

/// Most quoted values re-indented in one stream (see [`parse`]).
const MAX_REINDENTED: usize = 16;

/// Why one reading of a stream stopped.
struct Failure {
    error: SyntaxError,
    /// The quoted value (1-based line, 0-based character column of its quote) whose later
    /// lines are indented less than YAML 1.2 asks, when that is the reason.
    quoted_indentation: Option<(usize, usize)>,
}

fn parse_stream(text: &str) -> Result<Vec<Document>, Failure> {
    let mut builder = Builder::new(text);
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(event) => event,
            Err(error) => {
                let marker = error.marker();
                let quoted_indentation = error
                    .info()
                    .contains("invalid indentation in quoted scalar")
                    .then(|| (marker.line(), marker.col()));
                let (line, column, message) =
                    explain_scan_error(text, marker.line(), marker.col() + 1, error.info());
                return Err(Failure {
                    error: builder.error(line, column, message),
                    quoted_indentation,
                });
            }
        };
        let more = builder.event(event, span).map_err(|error| Failure {
            error,
            quoted_indentation: None,
        })?;
        if !more {
            break;
        }
    }
    Ok(builder.documents)
}

/// YAML 1.2's printable set (§5.1): what may appear raw in a stream. go-yaml, and so kubectl,
/// refuses anything else ("control characters are not allowed").
fn is_yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A collection being built.
enum Frame {
    Seq {
        items: Vec<Node>,
        at: Pos,
        anchor: usize,
    },
    Map {
        entries: Vec<(Key, Node)>,
        /// The keys so far once the map is past a few entries, to find a duplicate without a
        /// scan per key (a ConfigMap of 60,000 keys took seconds that way).
        names: HashSet<String>,
        key: Option<Key>,
        at: Pos,
        anchor: usize,
    },
}

struct Builder<'t> {
    text: &'t str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    stack: Vec<Frame>,
    /// Anchored nodes by anchor id, with their node counts.
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    /// How many of those came through aliases (to tell an alias bomb from a plain big file).
    aliased_nodes: usize,
    documents: Vec<Document>,
    /// Index of the document being read.
    index: usize,
    root: Option<Node>,
    /// Pure ASCII input: character index = byte offset (most manifests).
    ascii: bool,
    /// The last (character index, byte offset) converted, for non-ASCII input: events come in
    /// source order, so converting from here keeps the whole stream linear.
    cursor: std::cell::Cell<(usize, usize)>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Builder<'t> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(offset, _)| offset + 1));
        Builder {
            text,
            line_starts,
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            aliased_nodes: 0,
            documents: Vec::new(),
            index: 0,
            root: None,
            ascii: text.is_ascii(),
            cursor: std::cell::Cell::new((0, 0)),
        }
    }

    /// Byte offset of a 1-based line and 0-based character column.
    fn offset(&self, line: usize, column: usize) -> usize {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
            .min(self.text.len());
        let rest = &self.text[start..];
        start
            + rest
                .char_indices()
                .nth(column)
                .map_or(rest.len(), |(offset, _)| offset)
    }

    /// Byte offset of a character index.
    fn byte_offset(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let (mut chars, mut bytes) = self.cursor.get();
        if char_index < chars {
            (chars, bytes) = (0, 0);
        }
        for c in self.text[bytes..].chars() {
            if chars == char_index {
                break;
            }
            chars += 1;
            bytes += c.len_utf8();
        }
        self.cursor.set((chars, bytes));
        bytes
    }

    fn pos(&self, span: &Span) -> Pos {
        let offset = self.byte_offset(span.start.index());
        let end = if span.end.line() == span.start.line() {
            self.byte_offset(span.end.index()).max(offset)
        } else {
            self.text[offset..]
                .find('\n')
                .map_or(self.text.len(), |end| offset + end)
        };
        Pos {
            line: span.start.line(),
            column: span.start.col() + 1,
            offset,
            len: end - offset,
        }
    }

    fn error(&self, line: usize, column: usize, message: String) -> SyntaxError {
        let offset = self.offset(line, column.saturating_sub(1));
        SyntaxError {
            message,
            line,
            column,
            offset,
            document: self.index,
        }
    }

    fn error_at(&self, at: Pos, message: String) -> SyntaxError {
        SyntaxError {
            message,
            line: at.line,
            column: at.column,
            offset: at.offset,
            document: self.index,
        }
    }

    fn count(&mut self, added: usize, at: Pos) -> Result<(), SyntaxError> {
        self.nodes += added;
        if self.nodes > MAX_NODES {
            // Blame aliases only when they made most of the values: a big file of plain keys
            // is just big.
            let message = if self.aliased_nodes * 2 > self.nodes {
                format!(
                    "the stream expands to more than {MAX_NODES} values through aliases (a \"billion laughs\" input); kubedrill stops here"
                )
            } else {
                format!(
                    "the stream has more than {MAX_NODES} values, more than kubedrill checks at a time; split it into smaller files"
                )
            };
            return Err(self.error_at(at, message));
        }
        Ok(())
    }

    /// Handles one event; returns false at the end of the stream.
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<bool, SyntaxError> {
        let at = self.pos(&span);
        match event {
            Event::StreamEnd => return Ok(false),
            Event::Nothing | Event::StreamStart => {}
            Event::DocumentStart(_) => self.root = None,
            Event::DocumentEnd => {
                if let Some(root) = self.root.take()
                    && !root.is_null()
                {
                    self.documents.push(Document {
                        index: self.index,
                        root,
                    });
                }
                self.index += 1;
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, at)?;
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = self.stack.last_mut()
                {
                    *key = Some(Key {
                        name: text.into_owned(),
                        at,
                    });
                    return Ok(true);
                }
                let value = resolve_scalar(&text, style, tag.as_deref());
                self.finish(Node { value, at }, anchor, 1)?;
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id).cloned() else {
                    return Err(self.error_at(
                        at,
                        "this alias refers to an anchor that is not defined before it".to_string(),
                    ));
                };
                self.aliased_nodes += size;
                self.count(size, at)?;
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = self.stack.last_mut()
                {
                    let name = match &node.value {
                        Value::Str(text) => text.clone(),
                        other => {
                            return Err(self.error_at(
                                at,
                                format!(
                                    "a map key must be a plain value, not {}",
                                    other.describe()
                                ),
                            ));
                        }
                    };
                    *key = Some(Key { name, at });
                    return Ok(true);
                }
                self.finish(Node { at, ..node }, 0, size)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.count(1, at)?;
                if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
                    return Err(self.error_at(
                        at,
                        "a map key must be a plain value, not a list or a map".to_string(),
                    ));
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err(self.error_at(
                        at,
                        format!(
                            "the stream nests deeper than {MAX_DEPTH} levels; kubedrill stops here"
                        ),
                    ));
                }
                self.stack.push(match event {
                    Event::SequenceStart(..) => Frame::Seq {
                        items: Vec::new(),
                        at,
                        anchor,
                    },
                    _ => Frame::Map {
                        entries: Vec::new(),
                        names: HashSet::new(),
                        key: None,
                        at,
                        anchor,
                    },
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { items, at, anchor }) => (
                        Node {
                            value: Value::Seq(items),
                            at,
                        },
                        anchor,
                    ),
                    Some(Frame::Map {
                        entries,
                        at,
                        anchor,
                        ..
                    }) => (
                        Node {
                            value: Value::Map(merge_keys(entries)),
                            at,
                        },
                        anchor,
                    ),
                    None => return Ok(true),
                };
                let size = if anchor == 0 { 0 } else { node_count(&node) };
                self.finish(node, anchor, size)?;
            }
        }
        Ok(true)
    }

    /// Places a finished node in its parent (or as the document root) and records its anchor.
    fn finish(&mut self, node: Node, anchor: usize, size: usize) -> Result<(), SyntaxError> {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size.max(1)));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                names,
                key,
                ..
            }) => {
                let Some(key) = key.take() else { return Ok(()) };
                // A scan while the map is small (most are), a set once it grows.
                const SCAN_UP_TO: usize = 16;
                let duplicate = key.name != "<<"
                    && if entries.len() < SCAN_UP_TO {
                        entries
                            .iter()
                            .any(|(existing, _)| existing.name == key.name)
                    } else {
                        if names.is_empty() {
                            names.extend(entries.iter().map(|(existing, _)| existing.name.clone()));
                        }
                        !names.insert(key.name.clone())
                    };
                if duplicate {
                    let message = format!(
                        "the key `{}` appears twice in the same map; kubectl refuses the file (\"mapping key already defined\"): remove or rename one",
                        crate::text::escape_controls(&key.name)
                    );
                    return Err(self.error_at(key.at, message));
                }
                entries.push((key, node));
            }
        }
        Ok(())
    }
}

/// Applies YAML merge keys: `<<: *base` (or a list of them) adds the entries the map does not
/// set itself.
fn merge_keys(entries: Vec<(Key, Node)>) -> Vec<(Key, Node)> {
    if !entries.iter().any(|(key, _)| key.name == "<<") {
        return entries;
    }
    let (merges, mut own): (Vec<_>, Vec<_>) =
        entries.into_iter().partition(|(key, _)| key.name == "<<");
    for (_, merge) in merges {
        let sources: Vec<Node> = match merge.value {
            Value::Map(_) => vec![merge],
            Value::Seq(items) => items,
            _ => Vec::new(),
        };
        for source in sources {
            if let Value::Map(inherited) = source.value {
                for (key, value) in inherited {
                    if !own.iter().any(|(existing, _)| existing.name == key.name) {
                        own.push((key, value));
                    }
                }
            }
        }
    }
    own
}

fn node_count(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(node_count).sum(),
        Value::Map(entries) => entries.iter().map(|(_, value)| 1 + node_count(value)).sum(),
        _ => 0,
    }
}

/// A scalar's value under YAML 1.1 as go-yaml v2 resolves it (what kubectl sends to the API
/// server): quoted and block scalars are strings; plain ones may be null, bool, int or float.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag.filter(|tag| tag.is_yaml_core_schema()) {
        match tag.suffix.as_str() {
            "str" | "binary" | "timestamp" => return Value::Str(text.to_string()),
            "null" => return Value::Null,
            _ => {}
        }
    }
    if style != ScalarStyle::Plain {
        return Value::Str(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Value::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Value::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.')) {
        let plain: String = text.chars().filter(|c| *c != '_').collect();
        if let Some(number) = parse_int(&plain) {
            return number;
        }
        if plain.chars().any(|c| c.is_ascii_digit())
            && plain
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
            && let Ok(number) = plain.parse::<f64>()
        {
            return Value::Float(number);
        }
    }
    Value::Str(text.to_string())
}

/// Integers as Go's strconv.ParseInt(s, 0, 64) reads them: decimal, 0x hex, 0b binary, 0o and
/// leading-0 octal.
fn parse_int(plain: &str) -> Option<Value> {
    let (negative, digits) = match plain.as_bytes().first()? {
        b'-' => (true, &plain[1..]),
        b'+' => (false, &plain[1..]),
        _ => (false, plain),
    };
    let (radix, digits) = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, hex)
    } else if let Some(binary) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        (2, binary)
    } else if let Some(octal) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        (8, octal)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    Some(match (negative, i64::try_from(magnitude)) {
        (false, Ok(number)) => Value::Int(number),
        (true, Ok(number)) => Value::Int(-number),
        (true, Err(_)) if magnitude == i64::MIN.unsigned_abs() => Value::Int(i64::MIN),
        (negative, Err(_)) => Value::Float(if negative {
            -(magnitude as f64)
        } else {
            magnitude as f64
        }),
    })
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
        assert_eq!((error.line, error.column), (3, 4));
        assert!(
            error.message.contains("`[` is never closed"),
            "{}",
            error.message
        );
    }

    #[test]
    fn anchors_aliases_and_merge_keys_expand() {
        let documents = parse("base: &base {image: nginx, name: web}\nderived:\n  <<: *base\n  name: api\nlist: [*base]\n").unwrap();
        let root = &documents[0].root;
        let derived = root.get("derived").unwrap();
        assert_eq!(derived.get("name").unwrap().as_str(), Some("api"));
        assert_eq!(derived.get("image").unwrap().as_str(), Some("nginx"));
        assert_eq!(
            root.get("list").unwrap().as_seq()[0]
                .get("name")
                .unwrap()
                .as_str(),
            Some("web")
        );
    }

    #[test]
    fn integers_follow_go_rules() {
        let documents = parse("a: 0x1F\nb: 0b101\nc: -017\nd: 1_000\ne: 08\nf: 99999999999999999999\ng: 1e3\nh: 1.2.3\n").unwrap();
        let root = &documents[0].root;
        assert_eq!(root.get("a").unwrap().value, Value::Int(31));
        assert_eq!(root.get("b").unwrap().value, Value::Int(5));
        assert_eq!(root.get("c").unwrap().value, Value::Int(-15));
        assert_eq!(root.get("d").unwrap().value, Value::Int(1000));
        assert_eq!(root.get("e").unwrap().value, Value::Float(8.0));
        assert!(matches!(root.get("f").unwrap().value, Value::Float(_)));
        assert_eq!(root.get("g").unwrap().value, Value::Float(1000.0));
        assert_eq!(root.get("h").unwrap().value, Value::Str("1.2.3".into()));
    }

    #[test]
    fn raw_control_characters_and_tab_indentation_are_refused_where_they_are() {
        let error = parse("a: \"x\u{1b}y\"\n").unwrap_err();
        assert_eq!((error.line, error.column), (1, 6));
        assert!(error.message.contains("U+001B"), "{}", error.message);
        let error = parse("metadata:\n\tname: x\n").unwrap_err();
        assert_eq!((error.line, error.column), (2, 1));
        assert!(error.message.contains("tabs"), "{}", error.message);
        assert!(parse("a: \"tab\tinside\"\nb: \"\\e escaped\"\n").is_ok());
    }

    /// (line, column, words the message holds) of the error `text` gives.
    fn error_of(text: &str) -> (usize, usize, String) {
        let error = parse(text).unwrap_err();
        (error.line, error.column, error.message)
    }

    #[test]
    fn a_key_indented_deeper_is_named_at_the_key_not_at_its_colon() {
        let (line, column, message) = error_of("metadata:\n  name: web\n   namespace: x\n");
        assert_eq!((line, column), (3, 4));
        assert!(
            message.starts_with(
                "`namespace` is indented deeper than `name` on the line above (column 3)"
            ),
            "{message}"
        );
        let (line, column, message) =
            error_of("spec:\n  containers:\n    - name: web\n       image: nginx\n");
        assert_eq!((line, column), (4, 8));
        assert!(
            message.contains("than `name` on the line above (column 7)"),
            "{message}"
        );
        let (line, column, message) = error_of("data:\n  a: \"1\"\n   b: \"2\"\n");
        assert_eq!((line, column), (3, 4));
        assert!(message.contains("deeper than `a`"), "{message}");
    }

    #[test]
    fn a_key_indented_less_names_the_keys_it_falls_between() {
        let (line, column, message) = error_of("metadata:\n  name: web\n labels: {}\n");
        assert_eq!((line, column), (3, 2));
        assert!(message.contains("`labels` is indented less than `name` above it (column 3) and more than `metadata` (column 1)"), "{message}");
        let (line, column, message) =
            error_of("spec:\n  containers:\n    - name: app\n      image: nginx\n     ports: []\n");
        assert_eq!((line, column), (5, 6));
        assert!(message.contains("less than `image` above it (column 7) and more than the `-` of its list item (column 5)"), "{message}");
    }

    #[test]
    fn a_misaligned_list_item_is_named_at_its_dash() {
        let (line, column, message) = error_of(
            "spec:\n  containers:\n    - name: web\n      image: nginx\n   - name: side\n",
        );
        assert_eq!((line, column), (5, 4));
        assert!(
            message.contains("this list item is indented less than the item above it (column 5)"),
            "{message}"
        );
        let (line, column, message) = error_of(
            "spec:\n  containers:\n    - name: web\n      image: nginx\n       - name: side\n",
        );
        assert_eq!((line, column), (5, 8));
        assert!(
            message.contains("this list item is indented deeper than `image`"),
            "{message}"
        );
        let (line, column, message) =
            error_of("spec:\n  containers:\n    - name: web\n    resources: {}\n");
        assert_eq!((line, column), (4, 5));
        assert!(
            message.contains("column 7 to put it in the item, or to column 3 beside `containers`"),
            "{message}"
        );
    }

    #[test]
    fn a_tab_the_parser_meets_while_reading_the_line_above_is_named_where_it_is() {
        let (line, column, message) = error_of("metadata:\n  name: web\n\tnamespace: x\n");
        assert_eq!((line, column), (3, 1));
        assert!(message.contains("tabs"), "{message}");
    }

    #[test]
    fn a_missing_colon_is_named_on_its_own_line_not_the_next() {
        let (line, column, message) =
            error_of("spec:\n  containers:\n    - name: web\n      image nginx\n      ports: []\n");
        assert_eq!((line, column), (4, 7));
        assert!(message.contains("such as `image: nginx`"), "{message}");
        let (line, column, _) = error_of("metadata:\n  name web\n  namespace: x\n");
        assert_eq!((line, column), (2, 3));
        let (_, _, message) = error_of("a:\n  command: echo a: b\n");
        assert!(
            message.contains("put the whole value in quotes"),
            "{message}"
        );
    }

    #[test]
    fn a_quoted_value_whose_later_lines_are_indented_little_is_read_as_kubectl_reads_it() {
        let text = "metadata:\n  annotations:\n    a: '[\n  {\"x\": 1}\n    ]'\n    b: \"one\n two\"\n  name: web\n";
        let documents = parse(text).unwrap();
        let metadata = documents[0].root.get("metadata").unwrap();
        let annotations = metadata.get("annotations").unwrap();
        assert_eq!(
            annotations.get("a").unwrap().as_str(),
            Some("[ {\"x\": 1} ]")
        );
        assert_eq!(annotations.get("b").unwrap().as_str(), Some("one two"));
        let (key, value) = metadata.entry("name").unwrap();
        assert_eq!((key.at.line, key.at.column), (8, 3));
        assert_eq!(&text[key.at.offset..key.at.offset + 4], "name");
        assert_eq!(
            &text[value.at.offset..value.at.offset + value.at.len],
            "web"
        );
        // A quote never closed is still an error, at its own place.
        assert!(parse("a: '[\n b\nc: d\n").is_err());
    }

    #[test]
    fn indentation_mistakes_anywhere_never_panic_and_point_inside_the_text() {
        let base = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: wéb\n  labels:\n    app: 'a\n  b'\nspec:\n  containers:\n    - name: web\n      image: nginx\n      args:\n        - \"x: y\"\n      ports:\n        - containerPort: 80\n";
        let lines: Vec<&str> = base.lines().collect();
        let mut seed: u64 = 7;
        for _ in 0..3000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let target = (seed >> 33) as usize % lines.len();
            let edit = (seed >> 20) % 5;
            let text: String = lines
                .iter()
                .enumerate()
                .map(|(index, line)| {
                    let line = if index != target {
                        line.to_string()
                    } else {
                        match edit {
                            0 => format!(" {line}"),
                            1 => line.strip_prefix(' ').unwrap_or(line).to_string(),
                            2 => format!("\t{line}"),
                            3 => line.replacen(": ", " ", 1),
                            _ => format!("- {line}"),
                        }
                    };
                    format!("{line}\n")
                })
                .collect();
            if let Err(error) = parse(&text) {
                assert!(error.line >= 1 && error.column >= 1, "{text}");
                assert!(error.offset <= text.len(), "{text}");
            }
        }
    }

    #[test]
    fn json_input_is_yaml_too() {
        let documents = parse("{\"kind\": \"Pod\", \"spec\": {\"containers\": []}}").unwrap();
        assert_eq!(documents[0].root.get("kind").unwrap().as_str(), Some("Pod"));
    }
}
