//! The name syntaxes of apimachinery (pkg/util/validation/validation.go and path/name.go):
//! DNS-1123 labels and subdomains, DNS-1035 labels, path segments, qualified names (label and
//! annotation keys), label values, ConfigMap keys, environment variable names and port names.
//!
//! Each function returns `None` for a valid name, or the problem as the end of a sentence ("it
//! has uppercase letters"), for the caller to put after "`X` is not a valid … name:". They are
//! pure so every subject can share them and the tests can pin them to the API server's.

fn is_alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters. IsDNS1123Label.
pub fn dns1123_label(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if name.len() > 63 {
        return Some(format!(
            "it has {} characters, at most 63 are allowed",
            name.len()
        ));
    }
    if let Some(bad) = name.chars().find(|c| !is_alnum_lower(*c) && *c != '-') {
        return Some(if bad.is_ascii_uppercase() {
            "it has uppercase letters".to_string()
        } else {
            format!("it contains {bad:?}")
        });
    }
    if !name.starts_with(is_alnum_lower) || !name.ends_with(is_alnum_lower) {
        return Some("it must start and end with a lowercase letter or digit".to_string());
    }
    None
}

/// DNS-1123 labels joined by dots, at most 253 characters. IsDNS1123Subdomain.
pub fn dns1123_subdomain(name: &str) -> Option<String> {
    if name.len() > 253 {
        return Some(format!(
            "it has {} characters, at most 253 are allowed",
            name.len()
        ));
    }
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !is_alnum_lower(*c) && *c != '-' && *c != '.')
    {
        return Some(if bad.is_ascii_uppercase() {
            "it has uppercase letters".to_string()
        } else {
            format!("it contains {bad:?}")
        });
    }
    name.split('.').find_map(|part| {
        (part.is_empty() || !part.starts_with(is_alnum_lower) || !part.ends_with(is_alnum_lower))
            .then(|| {
                "each dot-separated part must start and end with a lowercase letter or digit"
                    .to_string()
            })
    })
}

/// Like a DNS-1123 label but starting with a letter. IsDNS1035Label.
pub(super) fn dns1035_label(name: &str) -> Option<String> {
    dns1123_label(name).or_else(|| {
        (!name.starts_with(|c: char| c.is_ascii_lowercase()))
            .then(|| "it must start with a lowercase letter".to_string())
    })
}

/// path.IsValidPathSegmentName.
pub(super) fn path_segment(name: &str) -> Option<String> {
    if name == "." || name == ".." {
        return Some("it may not be '.' or '..'".to_string());
    }
    name.contains(['/', '%'])
        .then(|| "it may not contain '/' or '%'".to_string())
}

/// `[prefix/]name`, the name `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` of at most 63 characters.
/// IsQualifiedName (label and annotation keys).
pub fn qualified_name(key: &str) -> Option<String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if key.matches('/').count() > 1 {
            return Some("it may contain at most one '/'".to_string());
        }
        if let Some(problem) = dns1123_subdomain(prefix) {
            return Some(format!(
                "its prefix `{prefix}` is not a DNS subdomain ({problem})"
            ));
        }
    }
    if name.is_empty() {
        return Some("the name part is empty".to_string());
    }
    if name.len() > 63 {
        return Some(format!(
            "the name part has {} characters, at most 63 are allowed",
            name.len()
        ));
    }
    label_chars(name)
}

fn label_chars(text: &str) -> Option<String> {
    if let Some(bad) = text
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && !matches!(c, '-' | '_' | '.'))
    {
        return Some(format!("it contains {bad:?}"));
    }
    if !text.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !text.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Some("it must start and end with a letter or digit".to_string());
    }
    None
}

/// IsValidLabelValue: empty, or at most 63 characters of the label charset.
pub(super) fn label_value(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    if value.len() > 63 {
        return Some(format!(
            "it has {} characters, at most 63 are allowed",
            value.len()
        ));
    }
    label_chars(value)
}

/// IsConfigMapKey: `[-._a-zA-Z0-9]+`, at most 253 characters, not `.` or `..`.
pub(super) fn config_map_key(key: &str) -> Option<String> {
    if key.is_empty() {
        return Some("it is empty".to_string());
    }
    if key.len() > 253 {
        return Some("it has more than 253 characters".to_string());
    }
    if key == "." || key == ".." {
        return Some("it may not be '.' or '..'".to_string());
    }
    key.chars()
        .find(|c| !c.is_ascii_alphanumeric() && !matches!(c, '-' | '_' | '.'))
        .map(|bad| format!("it contains {bad:?}"))
}

/// Environment variable names. Strict (IsEnvVarName): `[-._a-zA-Z][-._a-zA-Z0-9]*`. Relaxed
/// (IsRelaxedEnvVarName, [`Feature::RelaxedEnvVarNames`]): printable ASCII except `=`.
pub(super) fn env_var_name(name: &str, relaxed: bool) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if relaxed {
        return name
            .chars()
            .find(|c| !(' '..='~').contains(c) || *c == '=')
            .map(|bad| {
                format!(
                    "it contains {bad:?}; a name may use any printable ASCII character except '='"
                )
            });
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Some("it may not start with a digit".to_string());
    }
    name.chars()
        .find(|c| !c.is_ascii_alphanumeric() && !matches!(c, '-' | '_' | '.'))
        .map(|bad| format!("it contains {bad:?}"))
}

/// IsValidPortName (IANA_SVC_NAME): at most 15 lowercase letters, digits and '-', at least one
/// letter, no leading, trailing or double '-'.
pub(super) fn port_name(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > 15 {
        return Some("a port name has 1 to 15 characters".to_string());
    }
    if name.chars().any(|c| !is_alnum_lower(c) && c != '-') {
        return Some("a port name uses lowercase letters, digits and '-'".to_string());
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        return Some("a port name needs at least one letter".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Some("a port name may not start or end with '-' or contain '--'".to_string());
    }
    None
}

/// A valid name close to an invalid one: `My_App` → `my-app`.
pub(super) fn suggest_dns_name(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            _ if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    let out = out
        .trim_end_matches('-')
        .chars()
        .take(63)
        .collect::<String>();
    (dns1123_label(&out).is_none()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules_match_the_api_server() {
        assert_eq!(dns1123_label("web-1"), None);
        assert!(dns1123_label("Web").unwrap().contains("uppercase"));
        assert!(dns1123_label("-web").is_some());
        assert!(dns1123_label(&"a".repeat(64)).is_some());
        assert_eq!(dns1123_subdomain("app.example.com"), None);
        assert!(dns1123_subdomain("app..com").is_some());
        assert!(dns1035_label("1web").is_some());
        assert_eq!(qualified_name("app.kubernetes.io/name"), None);
        assert!(qualified_name("a/b/c").is_some());
        assert!(qualified_name("my label").is_some());
        assert_eq!(label_value(""), None);
        assert!(label_value("-x").is_some());
        assert_eq!(config_map_key("APP_COLOR"), None);
        assert_eq!(config_map_key("nginx.conf"), None);
        assert!(config_map_key("a/b").is_some());
        assert_eq!(port_name("http"), None);
        assert!(port_name("8080").is_some());
        assert!(port_name("my-very-long-port-name").is_some());
        assert_eq!(suggest_dns_name("My_App").as_deref(), Some("my-app"));
    }

    #[test]
    fn environment_variable_names_follow_the_version() {
        assert_eq!(env_var_name("APP_COLOR", false), None);
        assert!(env_var_name("1ST", false).is_some());
        assert_eq!(env_var_name("1ST", true), None);
        assert_eq!(env_var_name("my var:x", true), None);
        assert!(env_var_name("A=B", true).is_some());
        assert!(env_var_name("tab\there", true).is_some());
    }
}
