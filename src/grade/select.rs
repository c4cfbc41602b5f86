//! The path language of `field` checks: `spec.containers[name=web].envFrom[0].configMapRef.name`.
//! Keys are separated by dots; after a key, `[N]` picks a list element, `[*]` every element,
//! `[key=value]` the elements whose `key` equals `value`, and `["a.b/c"]` a key that has dots.
//! Evaluating a path gives every value it selects with the concrete path to it, so a report can
//! point at the line in the answer.

use serde_json::Value;

use crate::manifest::path::Path;
use crate::manifest::yaml::Node;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    Key(String),
    Index(usize),
    All,
    Filter { key: String, value: String },
}

/// Parses a path; the error says what is wrong at which character.
pub fn parse(text: &str) -> Result<Vec<Selector>, String> {
    let mut selectors = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut position = 0;
    let mut expect_key = true;
    while position < chars.len() {
        match chars[position] {
            '.' if !expect_key => {
                position += 1;
                expect_key = true;
            }
            '[' => {
                let close = chars[position..]
                    .iter()
                    .position(|c| *c == ']')
                    .map(|offset| position + offset)
                    .ok_or_else(|| format!("`[` at character {} is never closed", position + 1))?;
                let inside: String = chars[position + 1..close].iter().collect();
                selectors.push(if inside == "*" {
                    Selector::All
                } else if let Ok(index) = inside.parse::<usize>() {
                    Selector::Index(index)
                } else if let Some(quoted) = inside
                    .strip_prefix('"')
                    .and_then(|rest| rest.strip_suffix('"'))
                {
                    Selector::Key(quoted.to_string())
                } else if let Some((key, value)) = inside.split_once('=') {
                    Selector::Filter {
                        key: key.trim().to_string(),
                        value: value.trim().trim_matches('"').to_string(),
                    }
                } else {
                    return Err(format!(
                        "`[{inside}]` is not a selector: use [N], [*], [key=value] or [\"key\"]"
                    ));
                });
                position = close + 1;
                expect_key = false;
            }
            _ if expect_key => {
                let end = chars[position..]
                    .iter()
                    .position(|c| *c == '.' || *c == '[')
                    .map_or(chars.len(), |offset| position + offset);
                let key: String = chars[position..end].iter().collect();
                if key.is_empty() {
                    return Err(format!("an empty key at character {}", position + 1));
                }
                selectors.push(Selector::Key(key));
                position = end;
                expect_key = false;
            }
            other => {
                return Err(format!(
                    "unexpected {other:?} at character {}",
                    position + 1
                ));
            }
        }
    }
    if selectors.is_empty() {
        return Err("the path is empty".to_string());
    }
    Ok(selectors)
}

/// Every value the path selects in `root`, each with its concrete path.
pub fn select<'v>(root: &'v Value, selectors: &[Selector]) -> Vec<(Path, &'v Value)> {
    let mut current = vec![(Path::root(), root)];
    for selector in selectors {
        let mut next = Vec::new();
        for (path, value) in current {
            match (selector, value) {
                (Selector::Key(key), Value::Object(map)) => {
                    if let Some(child) = map.get(key) {
                        next.push((path.key(key), child));
                    }
                }
                (Selector::Index(index), Value::Array(items)) => {
                    if let Some(child) = items.get(*index) {
                        next.push((path.index(*index), child));
                    }
                }
                (Selector::All, Value::Array(items)) => next.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(index, child)| (path.index(index), child)),
                ),
                (Selector::All, Value::Object(map)) => {
                    next.extend(map.iter().map(|(key, child)| (path.key(key), child)))
                }
                (Selector::Filter { key, value: wanted }, Value::Array(items)) => {
                    for (index, child) in items.iter().enumerate() {
                        let matches = child.get(key).is_some_and(|found| match found {
                            Value::String(text) => text == wanted,
                            other => serde_json::from_str::<Value>(wanted)
                                .is_ok_and(|parsed| parsed == *other),
                        });
                        if matches {
                            next.push((path.index(index), child));
                        }
                    }
                }
                _ => {}
            }
        }
        current = next;
    }
    current
}

/// The node at a concrete path in the answer's tree, for its line.
pub fn node_at<'n>(root: &'n Node, path: &Path) -> Option<&'n Node> {
    use crate::manifest::path::Segment;
    path.segments()
        .iter()
        .try_fold(root, |node, segment| match segment {
            Segment::Key(key) => node.get(key),
            Segment::Index(index) => node.as_seq().get(*index),
        })
}

/// The deepest node on the way to `path` (the resource itself at worst): where to point when
/// the value is missing.
pub fn nearest_node<'n>(root: &'n Node, path: &Path) -> &'n Node {
    use crate::manifest::path::Segment;
    let mut node = root;
    for segment in path.segments() {
        let next = match segment {
            Segment::Key(key) => node.get(key),
            Segment::Index(index) => node.as_seq().get(*index),
        };
        match next {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_parse_into_selectors() {
        assert_eq!(
            parse("spec.containers[name=web].env[0].value").unwrap(),
            [
                Selector::Key("spec".into()),
                Selector::Key("containers".into()),
                Selector::Filter {
                    key: "name".into(),
                    value: "web".into()
                },
                Selector::Key("env".into()),
                Selector::Index(0),
                Selector::Key("value".into()),
            ]
        );
        assert_eq!(
            parse("metadata.labels[\"app.kubernetes.io/name\"]").unwrap()[2],
            Selector::Key("app.kubernetes.io/name".into())
        );
        assert!(parse("spec..x").is_err());
        assert!(parse("spec[oops").unwrap_err().contains("never closed"));
    }

    #[test]
    fn selection_returns_values_with_concrete_paths() {
        let pod = json!({"spec": {"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "busybox"}]}});
        let images: Vec<(String, &Value)> =
            select(&pod, &parse("spec.containers[*].image").unwrap())
                .into_iter()
                .map(|(path, value)| (path.to_string(), value))
                .collect();
        assert_eq!(
            images,
            [
                ("spec.containers[0].image".to_string(), &json!("nginx")),
                ("spec.containers[1].image".to_string(), &json!("busybox"))
            ]
        );
        let picked = select(&pod, &parse("spec.containers[name=b].image").unwrap());
        assert_eq!(picked[0].1, &json!("busybox"));
        assert!(select(&pod, &parse("spec.containers[name=c].image").unwrap()).is_empty());
    }
}
