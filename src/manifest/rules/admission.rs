//! ValidatingWebhookConfiguration and MutatingWebhookConfiguration
//! (admissionregistration.k8s.io/v1), as admissionregistration validation
//! (pkg/apis/admissionregistration/validation/validation.go,
//! ValidateValidatingWebhookConfiguration and ValidateMutatingWebhookConfiguration on create)
//! checks them after the v1 defaults (failurePolicy Fail, matchPolicy Equivalent, timeout 10 s,
//! a rule's scope `*`, a service's port 443): each webhook's name (fully qualified, unique), its
//! review versions, `sideEffects`, policies and timeout, its selectors, where it is called
//! (`clientConfig`), its rules and its match conditions.
//!
//! The rules, the match conditions and the client configuration are shared with the admission
//! policies ([`admission_policy`](super::admission_policy)) and a CRD's conversion webhook
//! ([`crd`](super::crd)). CEL expressions are only checked for being there, never compiled.

use std::collections::HashSet;

use super::cluster::base64_bytes;
use super::names::{dns1123_subdomain, qualified_name};
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Pos, Value};
use crate::text::escape_controls;

/// supportedOperations.
const OPERATIONS: [&str; 5] = ["CREATE", "UPDATE", "DELETE", "CONNECT", "*"];

/// noSideEffectClasses: what v1 accepts on create.
const SIDE_EFFECTS: [&str; 2] = ["None", "NoneOnDryRun"];

impl Rules {
    /// admissionregistration validation validateValidatingWebhookConfiguration and
    /// validateMutatingWebhookConfiguration (create: side effects None or NoneOnDryRun, a
    /// review version the API server speaks, unique names).
    pub(super) fn webhook_configuration(&mut self, root: &Node, mutating: bool) {
        let path = Path::root().key("webhooks");
        let mut names: HashSet<&str> = HashSet::new();
        for (index, hook) in root
            .get("webhooks")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let hook_path = path.index(index);
            if let Some(node) = hook.get("name")
                && let Some(name) = str_of(node)
            {
                self.webhook_name(node, name, &hook_path);
                if !name.is_empty() && !names.insert(name) {
                    self.error(
                        Rule::DuplicateName,
                        hook_path.key("name"),
                        node.at,
                        format!("two webhooks are named `{}`", escape_controls(name)),
                    );
                }
            }
            if let Some(versions) = hook.get("admissionReviewVersions") {
                self.review_versions(
                    versions,
                    &hook_path.key("admissionReviewVersions"),
                    "AdmissionReview",
                );
            }
            if self
                .enum_field(hook, "sideEffects", &hook_path, &SIDE_EFFECTS)
                .is_none()
                && let Some(node) = hook.get("sideEffects")
                && matches!(str_of(node), Some("Unknown" | "Some"))
                && let Some(finding) = self.findings.last_mut()
                && finding.at == node.at
            {
                finding.help = Some(
                    "admissionregistration.k8s.io/v1 only accepts webhooks without side effects: None, or NoneOnDryRun when the webhook skips them on dry runs".to_string(),
                );
            }
            self.enum_field(hook, "failurePolicy", &hook_path, &["Fail", "Ignore"]);
            self.enum_field(hook, "matchPolicy", &hook_path, &["Equivalent", "Exact"]);
            self.in_range(hook, "timeoutSeconds", &hook_path, 1, 30);
            if mutating {
                self.enum_field(
                    hook,
                    "reinvocationPolicy",
                    &hook_path,
                    &["Never", "IfNeeded"],
                );
            }
            for selector in ["namespaceSelector", "objectSelector"] {
                if let Some(node) = hook.get(selector) {
                    self.label_selector(node, &hook_path.key(selector));
                }
            }
            if let Some((key, client)) = hook.entry("clientConfig")
                && matches!(client.value, Value::Map(_))
            {
                self.client_config_at(client, &hook_path.key("clientConfig"), key.at);
            }
            for (rule_index, rule) in hook
                .get("rules")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                self.admission_rule(rule, &hook_path.key("rules").index(rule_index));
            }
            self.match_conditions(hook, &hook_path);
        }
    }

    /// A webhook's name: IsFullyQualifiedName, a DNS subdomain of at least three parts.
    fn webhook_name(&mut self, node: &Node, name: &str, hook_path: &Path) {
        let problem = if name.is_empty() {
            Some("it is empty".to_string())
        } else {
            dns1123_subdomain(name).or_else(|| {
                (name.split('.').count() < 3)
                    .then(|| "it needs at least three dot-separated parts".to_string())
            })
        };
        let Some(problem) = problem else {
            return;
        };
        let finding = self.error(
            Rule::InvalidName,
            hook_path.key("name"),
            node.at,
            format!(
                "`{}` is not a valid webhook name: {problem}",
                escape_controls(name)
            ),
        );
        finding.help = Some(
            "a webhook's name is a fully qualified domain name, such as `pod-policy.example.com`"
                .to_string(),
        );
        let lower = name.to_ascii_lowercase();
        finding.suggestion =
            (lower != name && dns1123_subdomain(&lower).is_none() && lower.split('.').count() >= 3)
                .then_some(lower);
    }

    /// A webhook's `clientConfig`, for a CRD's conversion webhook: the anchor is the map.
    pub(super) fn client_config(&mut self, client: &Node, path: &Path) {
        self.client_config_at(client, path, client.at);
    }

    /// `clientConfig`: exactly one of `url` and `service` (validateValidatingWebhook's switch),
    /// then apiserver pkg/util/webhook ValidateWebhookURL or ValidateWebhookService.
    fn client_config_at(&mut self, client: &Node, path: &Path, anchor: Pos) {
        self.ca_bundle(client, path);
        let url = client.entry("url").filter(|(_, node)| !node.is_null());
        let service = client.entry("service").filter(|(_, node)| !node.is_null());
        match (url, service) {
            (Some(_), Some((key, _))) => {
                self.error(
                    Rule::OneSource,
                    path.clone(),
                    key.at,
                    "`clientConfig` takes `url` or `service`, not both",
                )
                .help = Some(
                    "`service` calls a webhook running in the cluster, `url` one outside it: keep one".to_string(),
                );
            }
            (None, None) => {
                self.error(
                    Rule::OneSource,
                    path.clone(),
                    anchor,
                    "`clientConfig` needs `url` or `service`",
                )
                .help = Some(
                    "for a webhook in the cluster, write `service:` with its `name`, `namespace` and `path`".to_string(),
                );
            }
            (Some((_, url)), None) => {
                if let Some(text) = str_of(url)
                    && let Some((problem, suggestion)) = webhook_url(text)
                {
                    let finding = self.error(
                        Rule::InvalidValue,
                        path.key("url"),
                        url.at,
                        format!(
                            "`{}` is not a valid webhook URL: {problem}",
                            escape_controls(text)
                        ),
                    );
                    finding.suggestion = suggestion;
                    finding.help =
                        Some("a webhook URL has the form `https://host[:port]/path`".to_string());
                }
            }
            (None, Some((_, service))) => self.webhook_service(service, &path.key("service")),
        }
    }

    /// `caBundle` is bytes: the API server cannot decode a value that is not base64 (a PEM
    /// certificate pasted as it is, most often).
    pub(super) fn ca_bundle(&mut self, parent: &Node, path: &Path) {
        if let Some(node) = parent.get("caBundle")
            && let Some(text) = str_of(node)
            && base64_bytes(text).is_none()
        {
            self.error(
                Rule::InvalidBase64,
                path.key("caBundle"),
                node.at,
                "`caBundle` is not valid base64",
            )
            .help = Some(if text.contains("-----BEGIN") {
                "put the PEM certificate in base64 on one line: `base64 -w0 ca.crt`".to_string()
            } else {
                "encode the CA certificate: `base64 -w0 ca.crt`, and paste the output whole"
                    .to_string()
            });
        }
    }

    /// ValidateWebhookService: name and namespace, a port in range, a path of DNS-subdomain
    /// segments starting with `/`.
    fn webhook_service(&mut self, service: &Node, path: &Path) {
        for field in ["name", "namespace"] {
            if let Some(node) = service.get(field)
                && str_of(node) == Some("")
            {
                self.error(
                    Rule::MissingField,
                    path.key(field),
                    node.at,
                    format!("the webhook's Service needs a `{field}`"),
                );
            }
        }
        self.in_range(service, "port", path, 1, 65535);
        let Some(node) = service.get("path") else {
            return;
        };
        let Some(text) = str_of(node) else {
            return;
        };
        if let Some(problem) = webhook_path(text) {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("path"),
                node.at,
                format!(
                    "`{}` is not a valid webhook path: {problem}",
                    escape_controls(text)
                ),
            );
            finding.help = Some(
                "a path such as `/validate-pods`: each part between slashes is lowercase letters, digits, '-' and '.'".to_string(),
            );
            let lower = format!("/{}", text.trim_start_matches('/').to_ascii_lowercase());
            finding.suggestion = (lower != text && webhook_path(&lower).is_none()).then_some(lower);
        }
    }

    /// validateRuleWithOperations and validateRule: operations, API groups, versions and
    /// resources present, `*` alone where it must be, resources and subresources that do not
    /// overlap, a known scope.
    pub(super) fn admission_rule(&mut self, rule: &Node, path: &Path) {
        for (field, help) in [
            (
                "operations",
                "list what to intercept: CREATE, UPDATE, DELETE, CONNECT, or `*` for all",
            ),
            (
                "apiGroups",
                "`\"\"` is the core group (Pods, Services, ConfigMaps …), `apps` holds Deployments; `*` is every group",
            ),
            ("apiVersions", "such as `v1`, or `*` for every version"),
            (
                "resources",
                "plural resource names such as `pods` or `deployments`, subresources such as `pods/exec`, or `*`",
            ),
        ] {
            let items = rule.get(field).map(Node::as_seq).unwrap_or_default();
            if items.is_empty() && matches!(rule.value, Value::Map(_)) {
                let at = rule.entry(field).map_or(rule.at, |(key, _)| key.at);
                self.error(
                    Rule::MissingField,
                    path.key(field),
                    at,
                    format!("a rule needs at least one item in `{field}`"),
                )
                .help = Some(help.to_string());
            }
        }
        for (index, operation) in rule
            .get("operations")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            self.choice_item(
                operation,
                path.key("operations").index(index),
                &OPERATIONS,
                "operation",
            );
        }
        for field in ["operations", "apiGroups", "apiVersions"] {
            self.wildcard_alone(rule, field, path);
        }
        for (index, version) in rule
            .get("apiVersions")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if str_of(version) == Some("") {
                self.error(
                    Rule::InvalidValue,
                    path.key("apiVersions").index(index),
                    version.at,
                    "an API version cannot be empty",
                );
            }
        }
        if let Some(resources) = rule.get("resources") {
            self.rule_resources(resources, &path.key("resources"));
        }
        self.enum_field(rule, "scope", path, &["*", "Cluster", "Namespaced"]);
    }

    /// `*` listed with other items.
    fn wildcard_alone(&mut self, rule: &Node, field: &str, path: &Path) {
        let Some(list) = rule.get(field) else {
            return;
        };
        let items = list.as_seq();
        if items.len() > 1 && items.iter().any(|item| str_of(item) == Some("*")) {
            let finding = self.error(
                Rule::InvalidValue,
                path.key(field),
                list.at,
                format!("`*` in `{field}` already matches everything: list it alone"),
            );
            finding.suggestion = Some("[\"*\"]".to_string());
        }
    }

    /// validateResources, including its quirk: only the last resource without a subresource
    /// decides whether `*` is listed with others.
    fn rule_resources(&mut self, list: &Node, path: &Path) {
        let items = list.as_seq();
        let mut wildcard_subresources: HashSet<&str> = HashSet::new();
        let mut wildcard_resources: HashSet<&str> = HashSet::new();
        let mut double_wildcard = false;
        let mut single_wildcard = false;
        let mut plain_resource = false;
        for (index, item) in items.iter().enumerate() {
            let Some(text) = str_of(item) else {
                continue;
            };
            if text.is_empty() {
                self.error(
                    Rule::InvalidValue,
                    path.index(index),
                    item.at,
                    "a resource name cannot be empty",
                );
                continue;
            }
            double_wildcard |= text == "*/*";
            single_wildcard |= text == "*";
            let Some((resource, subresource)) = text.split_once('/') else {
                plain_resource = text != "*";
                continue;
            };
            let covered = if wildcard_subresources.contains(resource) {
                Some(format!("{resource}/*"))
            } else if wildcard_resources.contains(subresource) {
                Some(format!("*/{subresource}"))
            } else {
                None
            };
            if let Some(covered) = covered {
                self.error(
                    Rule::InvalidValue,
                    path.index(index),
                    item.at,
                    format!(
                        "`{}` is already matched by `{}`",
                        escape_controls(text),
                        escape_controls(&covered)
                    ),
                );
            }
            if subresource == "*" {
                wildcard_subresources.insert(resource);
            }
            if resource == "*" {
                wildcard_resources.insert(subresource);
            }
        }
        if items.len() > 1 && double_wildcard {
            self.error(
                Rule::InvalidValue,
                path.clone(),
                list.at,
                "`*/*` matches every resource and subresource: list it alone",
            );
        }
        if single_wildcard && plain_resource {
            self.error(
                Rule::InvalidValue,
                path.clone(),
                list.at,
                "`*` matches every resource: list no other resource beside it",
            )
            .help = Some(
                "beside `*`, only subresources such as `*/status` or `pods/exec` may be listed"
                    .to_string(),
            );
        }
    }

    /// validateMatchConditions: each a name (a qualified name, unique) and an expression.
    pub(super) fn match_conditions(&mut self, parent: &Node, path: &Path) {
        let mut names: HashSet<&str> = HashSet::new();
        for (index, condition) in parent
            .get("matchConditions")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let condition_path = path.key("matchConditions").index(index);
            self.expression_present(
                condition,
                "expression",
                &condition_path,
                "request.namespace != 'kube-system'",
            );
            let Some(node) = condition.get("name") else {
                continue;
            };
            let Some(name) = str_of(node) else {
                continue;
            };
            if name.is_empty() {
                self.error(
                    Rule::MissingField,
                    condition_path.key("name"),
                    node.at,
                    "a match condition needs a name",
                );
            } else if let Some(problem) = qualified_name(name) {
                self.error(
                    Rule::InvalidName,
                    condition_path.key("name"),
                    node.at,
                    format!(
                        "`{}` is not a valid match condition name: {problem}",
                        escape_controls(name)
                    ),
                );
            } else if !names.insert(name) {
                self.error(
                    Rule::DuplicateName,
                    condition_path.key("name"),
                    node.at,
                    format!("two match conditions are named `{}`", escape_controls(name)),
                );
            }
        }
    }

    /// A CEL expression that is written but blank (the API server trims it). Returns whether
    /// one was reported.
    pub(super) fn expression_present(
        &mut self,
        parent: &Node,
        field: &str,
        path: &Path,
        example: &str,
    ) -> bool {
        if let Some(node) = parent.get(field)
            && let Some(text) = str_of(node)
            && text.trim().is_empty()
        {
            self.error(
                Rule::MissingField,
                path.key(field),
                node.at,
                format!("`{field}` is empty"),
            )
            .help = Some(format!("write a CEL expression, such as `{example}`"));
            return true;
        }
        false
    }
}

/// What is wrong with a webhook URL (ValidateWebhookURL with https forced), read the way Go's
/// url.Parse splits it, with the corrected URL when the scheme alone is wrong. URLs that Go
/// cannot parse at all are left to the API server.
fn webhook_url(url: &str) -> Option<(String, Option<String>)> {
    let (rest, fragment) = url.split_once('#').unwrap_or((url, ""));
    let (rest, query) = match rest.split_once('?') {
        Some((before, "")) if rest.matches('?').count() == 1 => (before, ""),
        Some((before, after)) => (before, after),
        None => (rest, ""),
    };
    let scheme_end = rest.find(':').filter(|&end| {
        end > 0
            && rest[..end].starts_with(|c: char| c.is_ascii_alphabetic())
            && rest[..end]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let (scheme, after_scheme) = match scheme_end {
        Some(end) => (rest[..end].to_ascii_lowercase(), &rest[end + 1..]),
        None => (String::new(), rest),
    };
    let authority = after_scheme
        .strip_prefix("//")
        .map(|authority| authority.split('/').next().unwrap_or_default());
    let (user, host) = match authority {
        Some(authority) => match authority.rsplit_once('@') {
            Some((user, host)) => (Some(user), host),
            None => (None, authority),
        },
        None => (None, ""),
    };
    if scheme != "https" {
        let suggestion = match (scheme.as_str(), authority) {
            ("http", Some(_)) => url.get(4..).map(|tail| format!("https{tail}")),
            ("", None) if !url.contains("://") && !url.is_empty() => Some(format!("https://{url}")),
            _ => None,
        };
        let problem = if scheme.is_empty() {
            "it has no scheme; webhooks are called over https".to_string()
        } else {
            format!("the scheme `{scheme}` is not allowed; webhooks are called over https")
        };
        return Some((problem, suggestion));
    }
    if host.is_empty() {
        return Some(("it has no host".to_string(), None));
    }
    if user.is_some() {
        return Some((
            "it may not contain a user name or password".to_string(),
            None,
        ));
    }
    if !fragment.is_empty() {
        return Some(("it may not have a `#` fragment".to_string(), None));
    }
    if !query.is_empty() {
        return Some(("it may not have `?` query parameters".to_string(), None));
    }
    None
}

/// What is wrong with a webhook Service's path (ValidateWebhookService).
fn webhook_path(path: &str) -> Option<String> {
    if path.is_empty() || path == "/" {
        return None;
    }
    if path == "//" {
        return Some("it has an empty part".to_string());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Some("it must start with '/'".to_string());
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    rest.split('/').find_map(|segment| {
        if segment.is_empty() {
            Some("it has an empty part (`//`)".to_string())
        } else {
            dns1123_subdomain(segment)
                .map(|problem| format!("in `{}`, {problem}", escape_controls(segment)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{webhook_path, webhook_url};

    #[test]
    fn webhook_urls_are_read_as_go_reads_them() {
        assert_eq!(webhook_url("https://webhook.example.com/validate"), None);
        assert_eq!(webhook_url("HTTPS://webhook.example.com:8443/x"), None);
        assert_eq!(webhook_url("https://webhook.example.com/x?"), None);
        assert_eq!(webhook_url("https://webhook.example.com/x#"), None);
        let (_, suggestion) = webhook_url("http://webhook.example.com/x").unwrap();
        assert_eq!(suggestion.as_deref(), Some("https://webhook.example.com/x"));
        let (_, suggestion) = webhook_url("webhook.example.com/x").unwrap();
        assert_eq!(suggestion.as_deref(), Some("https://webhook.example.com/x"));
        assert!(webhook_url("https:///x").is_some());
        assert!(webhook_url("https://user:pw@webhook.example.com/").is_some());
        assert!(webhook_url("https://webhook.example.com/x?a=b").is_some());
        assert!(webhook_url("https://webhook.example.com/x#top").is_some());
    }

    #[test]
    fn webhook_paths_are_dns_segments() {
        assert_eq!(webhook_path("/validate-pods"), None);
        assert_eq!(webhook_path("/v1/mutate.pods/"), None);
        assert_eq!(webhook_path(""), None);
        assert!(webhook_path("validate").is_some());
        assert!(webhook_path("/validate_pods").is_some());
        assert!(webhook_path("/a//b").is_some());
        assert!(webhook_path("/Validate").is_some());
    }
}
