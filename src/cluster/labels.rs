//! Label selectors: the text form `kubectl get -l` takes (`app=web,tier!=db`, `env in (a,b)`,
//! `!canary`) and the object form Deployments, Services and ReplicaSets carry
//! (`matchLabels` / `matchExpressions`, or a Service's plain map), both read into one list of
//! requirements that every one must meet (apimachinery's `labels.Selector`).

use std::collections::BTreeMap;

use serde_json::Value;

/// One requirement on a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// `key=value`, `key==value`, `key in (a,b)`: the label is set to one of the values.
    In(String, Vec<String>),
    /// `key!=value`, `key notin (a,b)`: the label is unset or set to none of the values.
    NotIn(String, Vec<String>),
    /// `key`: the label is set.
    Exists(String),
    /// `!key`: the label is not set.
    DoesNotExist(String),
}

/// Every requirement must hold; an empty selector selects everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector(pub Vec<Requirement>);

impl Selector {
    /// Whether labels (a `metadata.labels` object, or nothing) meet every requirement.
    pub fn matches(&self, labels: Option<&Value>) -> bool {
        let get = |key: &str| {
            labels
                .and_then(|labels| labels.get(key))
                .and_then(Value::as_str)
        };
        self.0.iter().all(|requirement| match requirement {
            Requirement::In(key, values) => get(key).is_some_and(|v| values.iter().any(|x| x == v)),
            Requirement::NotIn(key, values) => {
                get(key).is_none_or(|v| !values.iter().any(|x| x == v))
            }
            Requirement::Exists(key) => get(key).is_some(),
            Requirement::DoesNotExist(key) => get(key).is_none(),
        })
    }

    /// Whether the selector selects everything (an empty one).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A `LabelSelector` object (`matchLabels`, `matchExpressions`). Operators other than `In`,
    /// `NotIn`, `Exists` and `DoesNotExist` do not reach here: the manifest checker refuses them.
    pub fn from_object(selector: &Value) -> Selector {
        let mut requirements: Vec<Requirement> = selector
            .get("matchLabels")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(key, value)| {
                Some(Requirement::In(
                    key.clone(),
                    vec![value.as_str()?.to_string()],
                ))
            })
            .collect();
        for expression in selector
            .get("matchExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = expression
                .get("key")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let values: Vec<String> = expression
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|value| value.as_str().map(str::to_string))
                .collect();
            let key = key.to_string();
            requirements.push(match expression.get("operator").and_then(Value::as_str) {
                Some("In") => Requirement::In(key, values),
                Some("NotIn") => Requirement::NotIn(key, values),
                Some("Exists") => Requirement::Exists(key),
                _ => Requirement::DoesNotExist(key),
            });
        }
        Selector(requirements)
    }

    /// A plain map of labels, as a Service's or a ReplicationController's `selector`.
    pub fn from_map(map: &BTreeMap<String, String>) -> Selector {
        Selector(
            map.iter()
                .map(|(key, value)| Requirement::In(key.clone(), vec![value.clone()]))
                .collect(),
        )
    }

    /// The text form, as `kubectl get -l` takes it (apimachinery's `labels.Parse`). The error
    /// is kubectl's wording after `error: `.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut requirements = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            requirements.push(
                requirement(part)
                    .map_err(|error| format!("unable to parse requirement: {error}"))?,
            );
        }
        Ok(Selector(requirements))
    }
}

/// Splits at the commas outside `( … )`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn requirement(part: &str) -> Result<Requirement, String> {
    if let Some(key) = part.strip_prefix('!') {
        return Ok(Requirement::DoesNotExist(checked_key(single(key.trim())?)?));
    }
    if let Some((key, value)) = part.split_once("!=") {
        let key = checked_key(single(key.trim())?)?;
        let value = checked_value(&key, 0, single(value.trim())?)?;
        return Ok(Requirement::NotIn(key, vec![value]));
    }
    if let Some((key, value)) = part.split_once("==").or_else(|| part.split_once('=')) {
        let key = checked_key(single(key.trim())?)?;
        let value = checked_value(&key, 0, single(value.trim())?)?;
        return Ok(Requirement::In(key, vec![value]));
    }
    let mut words = part.split_whitespace();
    let key = checked_key(words.next().unwrap_or_default())?;
    let Some(operator) = words.next() else {
        return Ok(Requirement::Exists(key));
    };
    let (operator, set) = match operator.split_once('(') {
        Some((operator, _)) => (operator, &part[part.find('(').unwrap_or(0)..]),
        None => (
            operator,
            part.split_once(operator)
                .map_or("", |(_, rest)| rest)
                .trim(),
        ),
    };
    if operator != "in" && operator != "notin" {
        return Err(format!(
            "found '{operator}', expected: in, notin, =, ==, !=, gt, lt"
        ));
    }
    let inner = set
        .trim()
        .strip_prefix('(')
        .and_then(|set| set.strip_suffix(')'))
        .ok_or_else(|| format!("found '{}' expected: '('", set.trim()))?;
    let values = inner
        .split(',')
        .enumerate()
        .map(|(index, value)| checked_value(&key, index, value.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if operator == "in" {
        Requirement::In(key, values)
    } else {
        Requirement::NotIn(key, values)
    })
}

/// One word: a space inside a key or value ends the requirement there, as kubectl's lexer does.
fn single(text: &str) -> Result<&str, String> {
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or_default();
    match words.next() {
        Some(next) => Err(format!("found '{next}', expected: ',' or 'end of string'")),
        None => Ok(first),
    }
}

/// A label key: an optional DNS-subdomain prefix and `/`, then a name of up to 63 characters
/// of letters, digits, `-`, `_`, `.`, starting and ending with a letter or digit.
fn checked_key(key: &str) -> Result<String, String> {
    let name = key.rsplit_once('/').map_or(key, |(_, name)| name);
    if is_label_name(name) {
        Ok(key.to_string())
    } else {
        Err(format!(
            "<nil>: Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        ))
    }
}

fn checked_value(key: &str, index: usize, value: &str) -> Result<String, String> {
    if value.is_empty() || is_label_name(value) {
        Ok(value.to_string())
    } else {
        Err(format!(
            "values[{index}][{key}]: Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        ))
    }
}

fn is_label_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_text_form_reads_equality_and_set_requirements() {
        let selector =
            Selector::parse("app=web, tier!=db,env in (prod, staging),!canary,track").unwrap();
        assert_eq!(
            selector.0,
            [
                Requirement::In("app".into(), vec!["web".into()]),
                Requirement::NotIn("tier".into(), vec!["db".into()]),
                Requirement::In("env".into(), vec!["prod".into(), "staging".into()]),
                Requirement::DoesNotExist("canary".into()),
                Requirement::Exists("track".into()),
            ]
        );
        let web = json!({"app": "web", "env": "prod", "track": "stable"});
        assert!(selector.matches(Some(&web)));
        let canary = json!({"app": "web", "env": "prod", "track": "x", "canary": "true"});
        assert!(!selector.matches(Some(&canary)));
        assert!(!selector.matches(None));
        assert!(Selector::parse("").unwrap().matches(None));
        assert_eq!(
            Selector::parse("app==web").unwrap().0,
            [Requirement::In("app".into(), vec!["web".into()])]
        );
        assert_eq!(
            Selector::parse("env notin (dev)").unwrap().0,
            [Requirement::NotIn("env".into(), vec!["dev".into()])]
        );
    }

    #[test]
    fn not_in_and_not_equal_select_objects_without_the_label() {
        let selector = Selector::parse("tier!=db").unwrap();
        assert!(selector.matches(Some(&json!({"app": "web"}))));
        assert!(selector.matches(None));
        assert!(!selector.matches(Some(&json!({"tier": "db"}))));
    }

    #[test]
    fn a_malformed_selector_is_refused_in_kubectls_words() {
        let error = Selector::parse("app=we$b").unwrap_err();
        assert!(
            error.starts_with("unable to parse requirement: values[0][app]: Invalid value: \"we$b\": a valid label must be"),
            "{error}"
        );
        assert_eq!(
            Selector::parse("app=we b").unwrap_err(),
            "unable to parse requirement: found 'b', expected: ',' or 'end of string'"
        );
        assert_eq!(
            Selector::parse("env within (a)").unwrap_err(),
            "unable to parse requirement: found 'within', expected: in, notin, =, ==, !=, gt, lt"
        );
        let error = Selector::parse("-app=web").unwrap_err();
        assert!(
            error.starts_with(
                "unable to parse requirement: <nil>: Invalid value: \"-app\": name part must"
            ),
            "{error}"
        );
    }

    #[test]
    fn the_object_form_reads_match_labels_and_expressions() {
        let selector = Selector::from_object(&json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["front", "edge"]},
                {"key": "legacy", "operator": "DoesNotExist"}
            ]
        }));
        assert!(selector.matches(Some(&json!({"app": "web", "tier": "edge"}))));
        assert!(!selector.matches(Some(&json!({"app": "web", "tier": "back"}))));
        assert!(!selector.matches(Some(&json!({"app": "web", "tier": "front", "legacy": "1"}))));
        let service = Selector::from_map(&BTreeMap::from([("app".to_string(), "web".to_string())]));
        assert!(service.matches(Some(&json!({"app": "web", "pod-template-hash": "5d8f"}))));
    }
}
