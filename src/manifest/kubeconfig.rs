//! kubeconfig files (`apiVersion: v1`, `kind: Config`): the client's file, never sent to the API
//! server, read by kubectl through client-go's clientcmd. Checked against clientcmd v1's fields
//! (k8s.io/client-go/tools/clientcmd/api/v1 types.go) and what clientcmd's validation
//! (validation.go) reports when the file is used: a context naming a cluster or user the file
//! does not have, a current-context that does not exist, a cluster without a server, a namespace
//! that is not a DNS label, more than one way to authenticate. kubectl itself ignores unknown
//! fields; kubedrill reports them, since a misspelt key is silently lost.

use serde_json::Value as Json;

use super::diagnostic::Rule;
use super::path::Path;
use super::schema::Finding;
use super::yaml::{Node, Pos};

/// Whether a document is a kubeconfig file.
pub fn is_kubeconfig(root: &Node) -> bool {
    root.get("apiVersion").and_then(Node::as_str) == Some("v1")
        && root.get("kind").and_then(Node::as_str) == Some("Config")
}

fn schema() -> &'static Json {
    static SCHEMA: std::sync::OnceLock<Json> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        let string = serde_json::json!({"type": "string"});
        let boolean = serde_json::json!({"type": "boolean"});
        let bytes = serde_json::json!({"type": "string", "format": "byte"});
        let extensions = serde_json::json!({"type": "array", "items": {
            "type": "object", "required": ["name", "extension"],
            "properties": {"name": string, "extension": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}
        }});
        let cluster = serde_json::json!({"type": "object", "properties": {
            "server": string,
            "tls-server-name": string,
            "insecure-skip-tls-verify": boolean,
            "certificate-authority": string,
            "certificate-authority-data": bytes,
            "proxy-url": string,
            "disable-compression": boolean,
            "extensions": extensions,
        }});
        let exec = serde_json::json!({"type": "object", "required": ["command"], "properties": {
            "command": string,
            "args": {"type": "array", "items": string},
            "env": {"type": "array", "items": {"type": "object", "required": ["name", "value"],
                "properties": {"name": string, "value": string}}},
            "apiVersion": string,
            "installHint": string,
            "provideClusterInfo": boolean,
            "interactiveMode": {"type": "string", "enum": ["Never", "IfAvailable", "Always"]},
        }});
        let auth_provider = serde_json::json!({"type": "object", "required": ["name"], "properties": {
            "name": string,
            "config": {"type": "object", "additionalProperties": string},
        }});
        let user = serde_json::json!({"type": "object", "properties": {
            "client-certificate": string,
            "client-certificate-data": bytes,
            "client-key": string,
            "client-key-data": bytes,
            "token": string,
            "tokenFile": string,
            "as": string,
            "as-uid": string,
            "as-groups": {"type": "array", "items": string},
            "as-user-extra": {"type": "object", "additionalProperties": {"type": "array", "items": string}},
            "username": string,
            "password": string,
            "auth-provider": auth_provider,
            "exec": exec,
            "extensions": extensions,
        }});
        let context = serde_json::json!({"type": "object", "properties": {
            "cluster": string,
            "user": string,
            "namespace": string,
            "extensions": extensions,
        }});
        let named = |key: &str, inner: Json| {
            serde_json::json!({"type": "array", "items": {
                "type": "object", "required": ["name", key],
                "properties": {"name": {"type": "string"}, key: inner}
            }})
        };
        serde_json::json!({
            "type": "object",
            "properties": {
                "apiVersion": string,
                "kind": string,
                "preferences": {"type": "object", "properties": {"colors": boolean, "extensions": extensions}},
                "clusters": named("cluster", cluster),
                "users": named("user", user),
                "contexts": named("context", context),
                "current-context": string,
                "extensions": extensions,
            }
        })
    })
}

fn finding(rule: Rule, path: Path, at: Pos, message: String, help: &str) -> Finding {
    super::finding(
        rule,
        path,
        at,
        message,
        (!help.is_empty()).then(|| help.to_string()),
    )
}

/// The named entries of a list (`clusters`, `users`, `contexts`), with where each name is.
fn names<'n>(root: &'n Node, list: &str) -> Vec<(&'n str, Pos, usize)> {
    root.get(list)
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(index, entry)| {
            let name = entry.get("name")?;
            Some((name.as_str()?, name.at, index))
        })
        .collect()
}

/// A `-data` field holds base64 (of PEM): kubectl cannot load a file where it holds the PEM text.
fn base64_field(parent: &Node, key: &str, path: &Path, findings: &mut Vec<Finding>) {
    use base64::Engine as _;
    let Some(node) = parent.get(key) else {
        return;
    };
    let Some(text) = node.as_str() else {
        return;
    };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .is_err()
    {
        findings.push(finding(
            Rule::InvalidBase64,
            path.key(key),
            node.at,
            format!("`{key}` is not base64: kubectl cannot load the file"),
            "a `-data` field holds the PEM file base64-encoded (`base64 -w0 ca.crt`); to point at the file instead, use the field without `-data`",
        ));
    }
}

/// Every problem of a kubeconfig file.
pub fn check(root: &Node) -> Vec<Finding> {
    let mut findings = super::schema::check_against(root, schema());
    for found in &mut findings {
        if found.rule == Rule::UnknownField {
            found.help = Some(
                "kubectl ignores a key it does not know in a kubeconfig file, so the setting is silently lost"
                    .to_string(),
            );
        }
    }
    for list in ["clusters", "users", "contexts"] {
        let entries = names(root, list);
        for (position, (name, at, index)) in entries.iter().enumerate() {
            if entries[..position].iter().any(|(other, ..)| other == name) {
                findings.push(finding(
                    Rule::DuplicateName,
                    Path::root().key(list).index(*index).key("name"),
                    *at,
                    format!("two entries of `{list}` are named `{name}`"),
                    "kubectl refuses the file (duplicate name in list); rename or remove one",
                ));
            }
        }
    }
    let clusters = names(root, "clusters");
    let users = names(root, "users");
    let contexts = names(root, "contexts");
    let listed = |entries: &[(&str, Pos, usize)]| -> String {
        let names: Vec<&str> = entries.iter().map(|(name, ..)| *name).collect();
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    };
    for (index, entry) in root
        .get("clusters")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let Some(cluster) = entry.get("cluster") else {
            continue;
        };
        let path = Path::root().key("clusters").index(index).key("cluster");
        match cluster.get("server").and_then(Node::as_str) {
            None | Some("") => findings.push(finding(
                Rule::MissingField,
                path.key("server"),
                cluster.at,
                "a cluster needs its `server` (the API server's URL): kubectl says the cluster has no server defined".to_string(),
                "for example server: https://controlplane:6443",
            )),
            Some(server) if !server.starts_with("https://") && !server.starts_with("http://") => {
                let node = cluster.get("server").map_or(cluster.at, |node| node.at);
                findings.push(finding(
                    Rule::InvalidValue,
                    path.key("server"),
                    node,
                    format!("`{}` is not a URL: write the scheme too", crate::text::escape_controls(server)),
                    "the API server listens on https, such as https://controlplane:6443",
                ));
            }
            Some(_) => {}
        }
        if cluster.get("certificate-authority").is_some()
            && cluster.get("certificate-authority-data").is_some()
        {
            let node = cluster
                .get("certificate-authority")
                .map_or(cluster.at, |node| node.at);
            findings.push(finding(
                Rule::ExclusiveFields,
                path.key("certificate-authority"),
                node,
                "`certificate-authority-data` and `certificate-authority` are both set: `certificate-authority-data` wins".to_string(),
                "keep one of them",
            ));
        }
        base64_field(cluster, "certificate-authority-data", &path, &mut findings);
    }
    for (index, entry) in root
        .get("users")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let Some(user) = entry.get("user") else {
            continue;
        };
        let path = Path::root().key("users").index(index).key("user");
        // clientcmd counts a token and basic auth as methods (a client certificate may come with
        // either), and refuses an exec plugin together with an auth provider.
        let mut methods: Vec<&str> = Vec::new();
        if user.get("token").is_some() {
            methods.push("`token`");
        }
        if user.get("username").is_some() || user.get("password").is_some() {
            methods.push("`username`/`password`");
        }
        if user.get("exec").is_some() && user.get("auth-provider").is_some() {
            methods.push("`exec`");
            methods.push("`auth-provider`");
        }
        if methods.len() > 1 {
            findings.push(finding(
                Rule::ExclusiveFields,
                path.clone(),
                user.at,
                format!("a user authenticates one way; this one has {}", methods.join(", ")),
                "keep one: a token, a username and password, or an exec plugin (a client certificate may go with any)",
            ));
        }
        let has = |key: &str| user.get(key).is_some();
        if (has("client-certificate") || has("client-certificate-data"))
            && !has("client-key")
            && !has("client-key-data")
        {
            findings.push(finding(
                Rule::MissingField,
                path.key("client-key-data"),
                user.at,
                "a client certificate needs its key: `client-key-data` or `client-key`".to_string(),
                "kubectl cannot use the certificate without the private key it was issued for",
            ));
        }
        for (data, file) in [
            ("client-certificate-data", "client-certificate"),
            ("client-key-data", "client-key"),
        ] {
            if has(data) && has(file) {
                findings.push(finding(
                    Rule::ExclusiveFields,
                    path.key(file),
                    user.get(file).map_or(user.at, |node| node.at),
                    format!("`{data}` and `{file}` are both set: `{data}` wins"),
                    "keep one of them",
                ));
            }
        }
        for key in ["client-certificate-data", "client-key-data"] {
            base64_field(user, key, &path, &mut findings);
        }
    }
    for (index, entry) in root
        .get("contexts")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let Some(context) = entry.get("context") else {
            continue;
        };
        let context_name = entry.get("name").and_then(Node::as_str).unwrap_or("");
        let path = Path::root().key("contexts").index(index).key("context");
        for (key, known, what) in [
            ("cluster", &clusters, "clusters"),
            ("user", &users, "users"),
        ] {
            let Some(node) = context.get(key) else {
                findings.push(finding(
                    Rule::MissingField,
                    path.key(key),
                    context.at,
                    format!("context `{context_name}` names no {key}"),
                    "a context ties a cluster and a user together (and optionally a namespace)",
                ));
                continue;
            };
            let Some(name) = node.as_str() else {
                continue;
            };
            if !known.iter().any(|(known, ..)| *known == name) {
                let mut found = finding(
                    Rule::InvalidValue,
                    path.key(key),
                    node.at,
                    format!("{key} `{name}` was not found for context `{context_name}`"),
                    &format!("the file's {what} are: {}", listed(known)),
                );
                found.suggestion =
                    crate::text::did_you_mean(name, known.iter().map(|(known, ..)| *known))
                        .map(str::to_string);
                findings.push(found);
            }
        }
        if let Some(node) = context.get("namespace")
            && let Some(namespace) = node.as_str()
            && let Some(why) = super::rules::dns1123_label(namespace)
        {
            findings.push(finding(
                Rule::InvalidName,
                path.key("namespace"),
                node.at,
                format!(
                    "`{}` is not a namespace name: {why}",
                    crate::text::escape_controls(namespace)
                ),
                "a namespace is a DNS label: lowercase letters, digits and '-'",
            ));
        }
    }
    if let Some(node) = root.get("current-context")
        && let Some(current) = node.as_str()
        && !current.is_empty()
        && !contexts.iter().any(|(name, ..)| *name == current)
    {
        let mut found = finding(
            Rule::InvalidValue,
            Path::root().key("current-context"),
            node.at,
            format!("current-context `{current}` names no context of this file"),
            &format!("the file's contexts are: {}", listed(&contexts)),
        );
        found.suggestion =
            crate::text::did_you_mean(current, contexts.iter().map(|(name, ..)| *name))
                .map(str::to_string);
        findings.push(found);
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::manifest::{self, Version};

    fn rules(text: &str) -> Vec<(String, String)> {
        manifest::check(text, Version::pinned())
            .diagnostics
            .iter()
            .map(|diagnostic| {
                (
                    diagnostic.rule.as_str().to_string(),
                    diagnostic.path.clone(),
                )
            })
            .collect()
    }

    const GOOD: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: kubernetes\n  cluster:\n    server: https://controlplane:6443\n    certificate-authority-data: LS0tLS1CRUdJTg==\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: LS0tLS1CRUdJTg==\n    client-key-data: LS0tLS1CRUdJTg==\n- name: dev\n  user:\n    token: abc\ncontexts:\n- name: kubernetes-admin@kubernetes\n  context:\n    cluster: kubernetes\n    user: kubernetes-admin\n- name: dev\n  context: {cluster: kubernetes, user: dev, namespace: dev}\ncurrent-context: dev\npreferences: {}\n";

    #[test]
    fn a_kubeadm_style_kubeconfig_is_valid() {
        assert_eq!(rules(GOOD), Vec::<(String, String)>::new());
    }

    #[test]
    fn dangling_names_misspelt_keys_and_two_auth_methods_are_reported() {
        let bad = GOOD
            .replace("current-context: dev", "current-context: prod")
            .replace("user: dev, namespace: dev", "user: devv, namespace: Dev")
            .replace("    token: abc", "    token: abc\n    username: jane")
            .replace("    server:", "    sever:");
        let found = rules(&bad);
        let codes: Vec<&str> = found.iter().map(|(code, _)| code.as_str()).collect();
        assert!(codes.contains(&"unknown-field"), "{found:?}");
        for (code, path) in [
            ("missing-field", "clusters[0].cluster.server"),
            ("exclusive-fields", "users[1].user"),
            ("invalid-value", "contexts[1].context.user"),
            ("invalid-name", "contexts[1].context.namespace"),
            ("invalid-value", "current-context"),
        ] {
            assert!(
                found.iter().any(|(c, p)| c == code && p == path),
                "{code} {path} in {found:?}"
            );
        }
    }
}
