//! kubectl's JSONPath templates (`-o jsonpath=`, `custom-columns`, `--sort-by`): text with
//! `{…}` expressions, `{range …}{end}`, quoted literals (`{"\n"}`), and paths of fields, indexes,
//! slices, `[*]`, `..` (recursive descent) and filters `[?(@.type=="Ready")]`. Several results of
//! one expression are joined by spaces; a map or list prints as JSON, as kubectl prints it.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Path(Vec<Step>),
    Range(Vec<Step>, Vec<Piece>),
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Field(String),
    Recursive(String),
    Index(i64),
    Slice(Option<i64>, Option<i64>),
    All,
    Filter(Vec<Step>, Option<(String, Value)>),
}

/// Renders a template against `data`.
pub fn render(template: &str, data: &Value) -> Result<String, String> {
    let pieces = parse_template(template)?;
    let mut out = String::new();
    write(&pieces, data, &mut out)?;
    Ok(out)
}

/// The values one path (`.metadata.name`, `{.spec.containers[*].image}`) selects.
pub fn select(path: &str, data: &Value) -> Result<Vec<Value>, String> {
    let path = path.trim();
    let inner = path
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .unwrap_or(path);
    let steps = parse_path(inner.trim())?;
    Ok(evaluate(&steps, data).into_iter().cloned().collect())
}

/// A value as kubectl prints it in a template.
pub fn show(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn write(pieces: &[Piece], data: &Value, out: &mut String) -> Result<(), String> {
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Path(steps) => {
                let found: Vec<String> = evaluate(steps, data).into_iter().map(show).collect();
                out.push_str(&found.join(" "));
            }
            Piece::Range(steps, body) => {
                for item in evaluate(steps, data) {
                    write(body, item, out)?;
                }
            }
        }
    }
    Ok(())
}

fn parse_template(template: &str) -> Result<Vec<Piece>, String> {
    let mut stack: Vec<(Option<Vec<Step>>, Vec<Piece>)> = vec![(None, Vec::new())];
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find('{') {
            None => {
                push_text(&mut stack, rest);
                break;
            }
            Some(open) => {
                push_text(&mut stack, &rest[..open]);
                let close = find_close(&rest[open..]).ok_or_else(|| {
                    format!("error: error parsing jsonpath {template}, unclosed action")
                })?;
                let expression = rest[open + 1..open + close].trim();
                rest = &rest[open + close + 1..];
                if let Some(path) = expression.strip_prefix("range ") {
                    stack.push((Some(parse_path(path.trim())?), Vec::new()));
                } else if expression == "end" {
                    let (steps, body) =
                        stack.pop().filter(|_| !stack.is_empty()).ok_or_else(|| {
                            format!(
                                "error: error parsing jsonpath {template}, not in range, cannot end"
                            )
                        })?;
                    let steps = steps.expect("only ranges are pushed");
                    stack
                        .last_mut()
                        .expect("the template's own level stays")
                        .1
                        .push(Piece::Range(steps, body));
                } else if let Some(literal) = quoted(expression) {
                    push_text(&mut stack, &literal);
                } else {
                    let steps = parse_path(expression)?;
                    stack
                        .last_mut()
                        .expect("the template's own level stays")
                        .1
                        .push(Piece::Path(steps));
                }
            }
        }
    }
    if stack.len() > 1 {
        return Err(format!(
            "error: error parsing jsonpath {template}, unclosed range"
        ));
    }
    Ok(stack.pop().map(|(_, pieces)| pieces).unwrap_or_default())
}

fn push_text(stack: &mut [(Option<Vec<Step>>, Vec<Piece>)], text: &str) {
    if !text.is_empty()
        && let Some(level) = stack.last_mut()
    {
        level.1.push(Piece::Text(text.to_string()));
    }
}

/// The offset of the `}` closing the `{` at 0, skipping quoted text.
fn find_close(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (index, c) in text.char_indices().skip(1) {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '}' => return Some(index),
            None => {}
        }
    }
    None
}

fn quoted(expression: &str) -> Option<String> {
    let inner = expression
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .or_else(|| {
            expression
                .strip_prefix('\'')
                .and_then(|rest| rest.strip_suffix('\''))
        })?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let bad = || format!("error: error parsing jsonpath {{{path}}}, unrecognized identifier");
    let mut steps = Vec::new();
    let text = path
        .strip_prefix('$')
        .or_else(|| path.strip_prefix('@'))
        .unwrap_or(path);
    let chars: Vec<char> = text.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        match chars[index] {
            '.' if chars.get(index + 1) == Some(&'.') => {
                index += 2;
                let start = index;
                while index < chars.len() && is_name(chars[index]) {
                    index += 1;
                }
                steps.push(Step::Recursive(chars[start..index].iter().collect()));
            }
            '.' => {
                index += 1;
                if chars.get(index) == Some(&'*') {
                    index += 1;
                    steps.push(Step::All);
                    continue;
                }
                let start = index;
                while index < chars.len() && is_name(chars[index]) {
                    index += 1;
                }
                if index > start {
                    steps.push(Step::Field(chars[start..index].iter().collect()));
                }
            }
            '[' => {
                let close = matching_bracket(&chars, index).ok_or_else(bad)?;
                let inner: String = chars[index + 1..close].iter().collect();
                index = close + 1;
                steps.push(bracket(inner.trim()).ok_or_else(bad)?);
            }
            ' ' => index += 1,
            _ => return Err(bad()),
        }
    }
    Ok(steps)
}

fn is_name(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '\\')
}

fn matching_bracket(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (offset, c) in chars[open..].iter().enumerate() {
        match quote {
            Some(q) if *c == q => quote = None,
            Some(_) => {}
            None if *c == '"' || *c == '\'' => quote = Some(*c),
            None if *c == '[' => depth += 1,
            None if *c == ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + offset);
                }
            }
            None => {}
        }
    }
    None
}

fn bracket(inner: &str) -> Option<Step> {
    if inner == "*" {
        return Some(Step::All);
    }
    if let Some(filter) = inner
        .strip_prefix("?(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        let filter = filter.trim();
        for operator in ["==", "!="] {
            if let Some((left, right)) = filter.split_once(operator) {
                let right = right.trim();
                let value = quoted(right)
                    .map(Value::String)
                    .or_else(|| {
                        right
                            .parse::<f64>()
                            .ok()
                            .map(|number| serde_json::json!(number))
                    })
                    .unwrap_or_else(|| Value::String(right.to_string()));
                return Some(Step::Filter(
                    parse_path(left.trim()).ok()?,
                    Some((operator.to_string(), value)),
                ));
            }
        }
        return Some(Step::Filter(parse_path(filter).ok()?, None));
    }
    if let Some(name) = quoted(inner) {
        return Some(Step::Field(name));
    }
    if let Some((start, end)) = inner.split_once(':') {
        let number = |text: &str| text.trim().parse::<i64>().ok();
        return Some(Step::Slice(number(start), number(end)));
    }
    inner.parse::<i64>().ok().map(Step::Index)
}

fn evaluate<'v>(steps: &[Step], data: &'v Value) -> Vec<&'v Value> {
    let mut current: Vec<&Value> = vec![data];
    for step in steps {
        let mut next = Vec::new();
        for value in current {
            match step {
                Step::Field(name) => {
                    let name = name.replace('\\', "");
                    if let Some(found) = value.get(&name) {
                        next.push(found);
                    }
                }
                Step::Recursive(name) => recurse(value, name, &mut next),
                Step::Index(index) => {
                    if let Some(items) = value.as_array() {
                        let at = if *index < 0 {
                            items.len() as i64 + index
                        } else {
                            *index
                        };
                        if let Some(found) = usize::try_from(at).ok().and_then(|at| items.get(at)) {
                            next.push(found);
                        }
                    }
                }
                Step::Slice(start, end) => {
                    if let Some(items) = value.as_array() {
                        let length = items.len() as i64;
                        let clamp = |at: i64| {
                            (if at < 0 { length + at } else { at }).clamp(0, length) as usize
                        };
                        let from = clamp(start.unwrap_or(0));
                        let to = clamp(end.unwrap_or(length));
                        if from < to {
                            next.extend(items[from..to].iter());
                        }
                    }
                }
                Step::All => match value {
                    Value::Array(items) => next.extend(items.iter()),
                    Value::Object(map) => next.extend(map.values()),
                    _ => {}
                },
                Step::Filter(path, test) => {
                    if let Some(items) = value.as_array() {
                        for item in items {
                            let found = evaluate(path, item);
                            let keep = match test {
                                None => !found.is_empty(),
                                Some((operator, wanted)) => {
                                    let equal = found.iter().any(|value| same(value, wanted));
                                    if operator == "==" { equal } else { !equal }
                                }
                            };
                            if keep {
                                next.push(item);
                            }
                        }
                    }
                }
            }
        }
        current = next;
    }
    current
}

fn same(value: &Value, wanted: &Value) -> bool {
    match (value, wanted) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Bool(a), Value::String(b)) => a.to_string() == *b,
        _ => value == wanted,
    }
}

fn recurse<'v>(value: &'v Value, name: &str, out: &mut Vec<&'v Value>) {
    match value {
        Value::Object(map) => {
            if let Some(found) = map.get(name) {
                out.push(found);
            }
            for child in map.values() {
                recurse(child, name, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                recurse(item, name, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "a", "labels": {"app.kubernetes.io/name": "x"}}, "spec": {"containers": [{"image": "nginx"}, {"image": "busybox"}]},
             "status": {"conditions": [{"type": "Ready", "status": "True"}]}},
            {"metadata": {"name": "b"}, "spec": {"containers": [{"image": "redis"}]},
             "status": {"conditions": [{"type": "Ready", "status": "False"}]}}
        ]})
    }

    #[test]
    fn paths_wildcards_and_ranges_print_as_kubectl_does() {
        assert_eq!(render("{.items[*].metadata.name}", &list()).unwrap(), "a b");
        assert_eq!(
            render("{.items[0].spec.containers[*].image}", &list()).unwrap(),
            "nginx busybox"
        );
        assert_eq!(
            render("{range .items[*]}{.metadata.name}{\"\\t\"}{.spec.containers[0].image}{\"\\n\"}{end}", &list()).unwrap(),
            "a\tnginx\nb\tredis\n"
        );
        assert_eq!(
            render(
                "{.items[?(@.status.conditions[0].status==\"True\")].metadata.name}",
                &list()
            )
            .unwrap(),
            "a"
        );
        assert_eq!(render("{.items[-1:].metadata.name}", &list()).unwrap(), "b");
        assert_eq!(render("{..image}", &list()).unwrap(), "nginx busybox redis");
        assert_eq!(
            render("{.items[0].metadata.labels}", &list()).unwrap(),
            "{\"app.kubernetes.io/name\":\"x\"}"
        );
        assert_eq!(
            render(
                "{.items[0].metadata.labels.app\\.kubernetes\\.io/name}",
                &list()
            )
            .unwrap(),
            ""
        );
        assert!(render("{.items[*].metadata.name", &list()).is_err());
        assert!(render("{end}", &list()).is_err());
    }
}
