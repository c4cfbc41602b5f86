//! `metadata` of every object: the name (whose syntax depends on the kind), and the keys and
//! values of labels and annotations — also of a workload's Pod template.

use super::names::{
    dns1035_label, dns1123_label, dns1123_subdomain, label_value, path_segment, qualified_name,
    suggest_dns_name,
};
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Pos, Value};

/// Kinds the API server answers on create without storing them; their name is optional.
const REVIEW_KINDS: &[&str] = &[
    "TokenReview",
    "SelfSubjectReview",
    "SubjectAccessReview",
    "SelfSubjectAccessReview",
    "LocalSubjectAccessReview",
    "SelfSubjectRulesReview",
];

impl Rules {
    /// Names and labels. Source: core validation ValidateObjectMeta; apimachinery
    /// pkg/api/validation/objectmeta.go; the name rule per kind from each kind's Validate*Name.
    pub(super) fn metadata(&mut self, root: &Node, kind: &str, path: &Path) {
        if root.get("metadata").is_none() && REVIEW_KINDS.contains(&kind) {
            return;
        }
        let metadata_path = path.key("metadata");
        let Some(metadata) = root.get("metadata") else {
            if matches!(root.value, Value::Map(_)) {
                self.error(
                    Rule::MissingField,
                    metadata_path.key("name"),
                    root.at,
                    "missing required field `metadata.name`",
                )
                .help =
                    Some("every object needs a name: add `metadata:` with `name: ...`".to_string());
            }
            return;
        };
        match (metadata.entry("name"), metadata.get("generateName")) {
            (Some((_, name)), _) if !name.is_null() => {
                if let Some(text) = str_of(name) {
                    self.object_name(text, kind, metadata_path.key("name"), name.at);
                }
            }
            (_, Some(generate)) if !generate.is_null() => {}
            // The review kinds are created and answered at once, never stored: they need no name.
            _ if REVIEW_KINDS.contains(&kind) => {}
            // `nmae: web`: the unknown-field error already says "did you mean `name`?".
            (None, _) if misspelt_name(metadata) => {}
            (entry, _) => {
                let metadata_key = root
                    .entry("metadata")
                    .map_or(metadata.at, |(key, _)| key.at);
                let at = entry.map_or(metadata_key, |(key, _)| key.at);
                self.error(
                    Rule::MissingField,
                    metadata_path.key("name"),
                    at,
                    "missing required field `name`",
                )
                .help = Some(
                    "every object needs `metadata.name` (or `generateName` for a generated name)"
                        .to_string(),
                );
            }
        }
        self.labels_and_annotations(metadata, &metadata_path);
    }

    fn object_name(&mut self, name: &str, kind: &str, path: Path, at: Pos) {
        let (problem, rule_name) = match kind {
            // core validation ValidateServiceName = apimachinery NameIsDNS1035Label
            "Service" => (
                dns1035_label(name),
                "a DNS-1035 label (lowercase letters, digits and '-', starting with a letter, at most 63 characters)",
            ),
            // core validation ValidateNamespaceName = NameIsDNSLabel
            "Namespace" => (
                dns1123_label(name),
                "a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)",
            ),
            // certificates validation ValidateCertificateRequestName accepts any name; an
            // IPAddress is named by its address (networking validation ValidateIPAddressName,
            // checked with its spec, not here).
            "CertificateSigningRequest" | "IPAddress" => return,
            // rbac validation: ValidateRBACName = path.IsValidPathSegmentName; apiregistration
            // validation ValidateAPIServiceName too (the `<version>.<group>` shape is checked
            // with its spec).
            "Role" | "RoleBinding" | "ClusterRole" | "ClusterRoleBinding" | "APIService" => (
                path_segment(name),
                "a path segment (no '/' or '%', not '.' or '..')",
            ),
            _ => (
                dns1123_subdomain(name),
                "a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)",
            ),
        };
        if let Some(problem) = problem {
            let suggestion = suggest_dns_name(name).filter(|suggestion| suggestion != name);
            let finding = self.error(
                Rule::InvalidName,
                path,
                at,
                format!(
                    "`{}` is not a valid {kind} name: {problem}",
                    crate::text::escape_controls(name)
                ),
            );
            finding.help = Some(format!("a {kind} name must be {rule_name}"));
            finding.suggestion = suggestion;
        } else if kind == "CronJob" && name.len() > 52 {
            // batch validation ValidateCronJobCreate: the name plus an 11-character suffix names its Jobs.
            self.error(Rule::InvalidName, path, at, format!("a CronJob name has at most 52 characters; this one has {}", name.len()))
                .help = Some("the controller appends 11 characters to name each Job, and a Job name has at most 63".to_string());
        }
    }

    pub(super) fn labels_and_annotations(&mut self, metadata: &Node, path: &Path) {
        if let Some(labels) = metadata.get("labels") {
            for (key, value) in labels.as_map() {
                let label_path = path.key("labels").key(&key.name);
                if let Some(problem) = qualified_name(&key.name) {
                    self.error(
                        Rule::InvalidLabel,
                        label_path.clone(),
                        key.at,
                        format!(
                            "`{}` is not a valid label key: {problem}",
                            crate::text::escape_controls(&key.name)
                        ),
                    );
                }
                if let Some(text) = str_of(value)
                    && let Some(problem) = label_value(text)
                {
                    self.error(Rule::InvalidLabel, label_path, value.at, format!("`{}` is not a valid label value: {problem}", crate::text::escape_controls(text)))
                            .help = Some("label values have at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit".to_string());
                }
            }
        }
        if let Some(annotations) = metadata.get("annotations") {
            for (key, _) in annotations.as_map() {
                // apimachinery ValidateAnnotations checks the key lowercased.
                if let Some(problem) = qualified_name(&key.name.to_ascii_lowercase()) {
                    self.error(
                        Rule::InvalidAnnotation,
                        path.key("annotations").key(&key.name),
                        key.at,
                        format!(
                            "`{}` is not a valid annotation key: {problem}",
                            crate::text::escape_controls(&key.name)
                        ),
                    );
                }
            }
        }
    }
}

/// Whether a metadata map has a key that is a misspelling of `name` (`nmae`, `Name`).
fn misspelt_name(metadata: &Node) -> bool {
    match &metadata.value {
        Value::Map(entries) => entries.iter().any(|(key, _)| {
            key.name != "name" && crate::text::did_you_mean(&key.name, ["name"]) == Some("name")
        }),
        _ => false,
    }
}
