//! Values in canonical form, so that two commands that mean the same compare equal: `KEY=VALUE`
//! keys, label and field selectors (`==` is `=`, `k in (v)` is `k=v`, order and spaces do not
//! matter), images (`docker.io/library/nginx:latest` is `nginx`), `-o` formats and templates,
//! and words as a shell would need them typed.

use super::spec::{Flag, Form, canonical_resource};
use crate::text::escape_controls;

/// The key of `KEY=VALUE` (or the whole word).
pub(super) fn key_of(value: &str) -> &str {
    value.split_once('=').map_or(value, |(key, _)| key)
}

/// One value in the canonical form of its flag.
pub(super) fn canonical_value(flag: &Flag, value: &str) -> Result<String, String> {
    let long = flag.long;
    Ok(match flag.form {
        Form::Text => value.to_string(),
        Form::KeyValue => {
            if value.split_once('=').is_none_or(|(key, _)| key.is_empty()) {
                return Err(format!(
                    "`--{long}` needs KEY=VALUE, not `{}`",
                    escape_controls(value)
                ));
            }
            value.to_string()
        }
        Form::Path => normalize_path(value),
        Form::FileSource => {
            let (key, path) = match value.split_once('=') {
                Some((key, path)) => (key.to_string(), normalize_path(path)),
                None => {
                    let path = normalize_path(value);
                    (path.rsplit('/').next().unwrap_or(&path).to_string(), path)
                }
            };
            if key.is_empty() || path.is_empty() {
                return Err(format!(
                    "`--{long}` needs a file (or KEY=FILE), not `{}`",
                    escape_controls(value)
                ));
            }
            format!("{key}={path}")
        }
        Form::ResourceRef => match split_type(value) {
            (kind, Some(name)) => match canonical_resource(kind) {
                Some(kind) => format!("{kind}/{name}"),
                None => value.to_string(),
            },
            (_, None) => {
                return Err(format!(
                    "`--{long}` needs TYPE/NAME (such as `configmap/app-config`), not `{}`",
                    escape_controls(value)
                ));
            }
        },
        Form::LabelMap => {
            let mut labels: Vec<&str> = value.split(',').filter(|part| !part.is_empty()).collect();
            if let Some(bad) = labels.iter().find(|label| !label.contains('=')) {
                return Err(format!(
                    "`--{long}` needs KEY=VALUE pairs separated by commas, not `{}`",
                    escape_controls(bad)
                ));
            }
            labels.sort_unstable();
            labels.dedup();
            labels.join(",")
        }
        Form::Selector => canonical_selector(value),
        Form::ResourceName => {
            canonical_resource(value).map_or_else(|| value.to_string(), str::to_string)
        }
        Form::Image => canonical_image(value),
        Form::Output => canonical_output(value),
        Form::DryRun => match value {
            "client" | "true" | "unchanged" => "client".to_string(),
            "server" => "server".to_string(),
            "none" | "false" => "none".to_string(),
            other => {
                return Err(format!(
                    "`--dry-run` is none, client or server, not `{}`",
                    escape_controls(other)
                ));
            }
        },
    })
}

/// A selector with each requirement in one spelling, sorted: `tier = web, app==web` and
/// `app=web,tier in (web)` are both `app=web,tier=web`. Set values are sorted too. Text that is
/// not a selector is only trimmed, so kubectl's own error stays the learner's to see.
pub(super) fn canonical_selector(value: &str) -> String {
    let mut requirements = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (at, c) in value.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                requirements.push(&value[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    requirements.push(&value[start..]);
    let mut canonical: Vec<String> = Vec::new();
    for requirement in requirements {
        let requirement = requirement.trim();
        if requirement.is_empty() {
            continue;
        }
        canonical.push(canonical_requirement(requirement));
    }
    canonical.sort_unstable();
    canonical.dedup();
    canonical.join(",")
}

fn canonical_requirement(requirement: &str) -> String {
    for (operator, shown) in [("!=", "!="), ("==", "="), ("=", "=")] {
        if let Some((key, value)) = requirement.split_once(operator) {
            return format!("{}{shown}{}", key.trim(), value.trim());
        }
    }
    let words: Vec<&str> = requirement.splitn(2, char::is_whitespace).collect();
    if let [key, rest] = words[..] {
        let rest = rest.trim_start();
        for (operator, single) in [("notin", "!="), ("in", "=")] {
            let Some(list) = rest
                .strip_prefix(operator)
                .map(str::trim_start)
                .and_then(|list| list.strip_prefix('('))
                .and_then(|list| list.trim_end().strip_suffix(')'))
            else {
                continue;
            };
            let mut values: Vec<&str> = list
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect();
            values.sort_unstable();
            values.dedup();
            return match values[..] {
                [one] => format!("{key}{single}{one}"),
                _ => format!("{key} {operator} ({})", values.join(",")),
            };
        }
    }
    match requirement.strip_prefix('!') {
        Some(key) => format!("!{}", key.trim()),
        None => requirement.to_string(),
    }
}

/// An image reference without what Docker Hub adds anyway: `docker.io/library/nginx:latest` is
/// `nginx`, `docker.io/kodekloud/webapp-color` is `kodekloud/webapp-color`.
pub(super) fn canonical_image(image: &str) -> String {
    let mut image = image;
    for prefix in [
        "docker.io/library/",
        "index.docker.io/library/",
        "registry-1.docker.io/library/",
        "docker.io/",
        "index.docker.io/",
    ] {
        if let Some(rest) = image.strip_prefix(prefix) {
            image = rest;
            break;
        }
    }
    let image = if image.contains('@') {
        image
    } else {
        image.strip_suffix(":latest").unwrap_or(image)
    };
    image.to_string()
}

/// `-o` values: templates compare without the spacing inside `{{ }}` and around `|`.
fn canonical_output(output: &str) -> String {
    let Some((format, template)) = output.split_once('=') else {
        return output.to_string();
    };
    if !matches!(
        format,
        "go-template" | "template" | "jsonpath" | "jsonpath-as-json"
    ) {
        return output.to_string();
    }
    let mut out = String::with_capacity(output.len());
    let mut rest = template;
    let (open, close) = if format.starts_with("jsonpath") {
        ("{", "}")
    } else {
        ("{{", "}}")
    };
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(close) else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inside: Vec<&str> = after[..end].split_whitespace().collect();
        let inside = inside
            .join(" ")
            .replace(" | ", "|")
            .replace("| ", "|")
            .replace(" |", "|");
        out.push_str(open);
        out.push_str(&inside);
        out.push_str(close);
        rest = &after[end + close.len()..];
    }
    out.push_str(rest);
    format!("{format}={out}")
}

/// Words as a shell would need them typed (quoted where they hold spaces).
pub(super) fn shell_words(words: &[String]) -> String {
    shlex::try_join(words.iter().map(String::as_str))
        .unwrap_or_else(|_| words.join(" "))
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// `./a//b/` → `a/b`; `/` and `-` (standard input) stay as they are.
pub(super) fn normalize_path(path: &str) -> String {
    if path == "-" || path == "/" {
        return path.to_string();
    }
    let absolute = path.starts_with('/');
    let parts: Vec<&str> = path
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        // `.`, `./`: the current folder.
        ".".to_string()
    } else {
        joined
    }
}

/// `deploy/web` → (`deploy`, `web`); `deploy` → (`deploy`, none).
pub(super) fn split_type(word: &str) -> (&str, Option<String>) {
    match word.split_once('/') {
        Some((kind, name)) => (kind, Some(name.to_string())),
        None => (word, None),
    }
}
