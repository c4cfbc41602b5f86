//! Objects as `kubectl -o yaml` and `-o json` print them: YAML the way sigs.k8s.io/yaml writes
//! it (keys sorted, sequences at their key's indentation, strings quoted only when they would read
//! as something else), and JSON indented by four spaces.

use serde_json::Value;

/// `kubectl -o yaml` text for a value.
pub fn yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, value, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

/// `kubectl -o json` text for a value: the object's top-level fields in the API's order.
pub fn json(value: &Value) -> String {
    let ordered = order_top(value);
    let mut buffer = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffer, formatter);
    serde::Serialize::serialize(&ordered, &mut serializer).expect("a JSON value serializes");
    let mut text = String::from_utf8(buffer).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

fn order_top(value: &Value) -> Value {
    let Value::Object(map) = value else {
        return value.clone();
    };
    let mut ordered = serde_json::Map::new();
    for key in ["apiVersion", "items", "kind", "metadata", "spec", "status"] {
        if let Some(field) = map.get(key) {
            let field = if key == "items" {
                Value::Array(
                    field
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(order_top)
                        .collect(),
                )
            } else {
                field.clone()
            };
            ordered.insert(key.to_string(), field);
        }
    }
    for (key, field) in map {
        if !ordered.contains_key(key) {
            ordered.insert(key.clone(), field.clone());
        }
    }
    Value::Object(ordered)
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push(' ');
    }
}

fn sorted(value: &Value) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = value
        .as_object()
        .map(|map| map.iter().collect())
        .unwrap_or_default();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

fn write_map(out: &mut String, value: &Value, level: usize) {
    for (key, field) in sorted(value) {
        indent(out, level);
        out.push_str(&scalar(&Value::String(key.clone()), level));
        out.push(':');
        write_after_key(out, field, level);
    }
}

/// What follows `key:` (or `- ` for a nested sequence item).
fn write_after_key(out: &mut String, field: &Value, level: usize) {
    match field {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, field, level + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, level);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, level));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        indent(out, level);
        out.push_str("- ");
        match item {
            Value::Object(map) if !map.is_empty() => {
                let mut first = true;
                for (key, field) in sorted(item) {
                    if !first {
                        indent(out, level + 2);
                    }
                    first = false;
                    out.push_str(&scalar(&Value::String(key.clone()), level + 2));
                    out.push(':');
                    write_after_key(out, field, level + 2);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, level + 2);
            }
            other => {
                out.push_str(&scalar(other, level + 2));
                out.push('\n');
            }
        }
    }
}

fn scalar(value: &Value, level: usize) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        Value::String(text) => string(text, level),
    }
}

fn string(text: &str, level: usize) -> String {
    if text.contains('\n') {
        let body = text.strip_suffix('\n').unwrap_or(text);
        let chomp = if text.ends_with('\n') { "" } else { "-" };
        if !body.lines().any(|line| line.starts_with(' ')) && !text.ends_with("\n\n") {
            let mut out = format!("|{chomp}");
            for line in body.split('\n') {
                out.push('\n');
                if !line.is_empty() {
                    for _ in 0..level + 2 {
                        out.push(' ');
                    }
                    out.push_str(line);
                }
            }
            return out;
        }
        return serde_json::to_string(text).expect("a string serializes");
    }
    if needs_quotes(text) {
        return serde_json::to_string(text).expect("a string serializes");
    }
    text.to_string()
}

fn needs_quotes(text: &str) -> bool {
    if text.is_empty() || text != text.trim() {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | "null"
            | "~"
            | ".nan"
            | ".inf"
            | "-.inf"
            | "+.inf"
    ) {
        return true;
    }
    if text.parse::<f64>().is_ok() || looks_numeric(text) || looks_like_time(text) {
        return true;
    }
    let first = text.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !(first == '-' && text.len() > 1 && !text[1..].starts_with(' ') && first != ':')
    {
        return true;
    }
    if first == '-' && (text == "-" || text.starts_with("- ")) {
        return true;
    }
    text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(char::is_control)
}

fn looks_numeric(text: &str) -> bool {
    let body = text.trim_start_matches(['+', '-']);
    body.starts_with("0x")
        || body.starts_with("0o")
        || (!body.is_empty() && body.chars().all(|c| c.is_ascii_digit() || c == '_'))
}

fn looks_like_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_sorts_keys_and_puts_sequences_at_their_keys_indentation() {
        let pod = json!({"kind": "Pod", "apiVersion": "v1",
            "metadata": {"name": "web", "creationTimestamp": "2026-03-02T09:00:00Z", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
                                     "command": ["sleep", "3600"], "env": [{"name": "ON", "value": "true"}]}]}});
        assert_eq!(
            yaml(&pod),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: \"2026-03-02T09:00:00Z\"\n  labels:\n    app: web\n  name: web\nspec:\n  containers:\n  - command:\n    - sleep\n    - \"3600\"\n    env:\n    - name: \"ON\"\n      value: \"true\"\n    image: nginx:1.27\n    name: web\n    ports:\n    - containerPort: 80\n"
        );
    }

    #[test]
    fn json_is_indented_by_four_spaces_with_the_api_fields_first() {
        let text = json(&json!({"metadata": {"name": "a"}, "kind": "Pod", "apiVersion": "v1"}));
        assert_eq!(
            text,
            "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Pod\",\n    \"metadata\": {\n        \"name\": \"a\"\n    }\n}\n"
        );
    }
}
