//! CustomResourceDefinition (apiextensions.k8s.io/v1), as apiextensions validation
//! (staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go,
//! ValidateCustomResourceDefinition and what it calls on create) checks it after the v1
//! defaults (pkg/apis/apiextensions/v1/defaults.go: `singular` is the lowercased kind,
//! `listKind` the kind plus `List`, `conversion.strategy` None): the object's name against
//! `spec.names.plural` and `spec.group`, the group, the scope, the resource names, the versions
//! (names, exactly one storage version, a schema for each), `preserveUnknownFields`, the
//! conversion strategy and its webhook, and the approval annotation of the protected groups.
//! The structural-schema basics of each version's schema are [`crd_schema`](super::crd_schema).

use std::collections::HashSet;

use super::crd_schema::type_suggestion;
use super::names::{dns1035_label, dns1123_subdomain};
use super::{Rules, spec_of, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Pos, Value};
use crate::text::escape_controls;

/// The ConversionReview versions the API server understands (acceptedConversionReviewVersions).
const REVIEW_VERSIONS: [&str; 2] = ["v1", "v1beta1"];

/// printerColumnDatatypes.
const COLUMN_TYPES: [&str; 5] = ["integer", "number", "string", "boolean", "date"];

/// customResourceColumnDefinitionFormats.
const COLUMN_FORMATS: [&str; 8] = [
    "int32",
    "int64",
    "float",
    "double",
    "byte",
    "date",
    "date-time",
    "password",
];

/// The annotation a CRD of a `*.k8s.io` or `*.kubernetes.io` group must carry.
const APPROVAL_ANNOTATION: &str = "api-approved.kubernetes.io";

impl Rules {
    /// `parent.field`, when a non-empty string, is a kind name: lowercased, a DNS-1035 label
    /// (a CRD's `names.kind` and `listKind`, a policy's `paramKind.kind`).
    pub(super) fn kind_name(&mut self, parent: &Node, field: &str, path: &Path) {
        if let Some(node) = parent.get(field)
            && let Some(text) = str_of(node)
            && !text.is_empty()
            && let Some(problem) = dns1035_label(&text.to_ascii_lowercase())
        {
            self.error(
                Rule::InvalidName,
                path.key(field),
                node.at,
                format!(
                    "`{}` is not a valid kind name: {problem}",
                    escape_controls(text)
                ),
            )
            .help = Some(
                "a kind is a word in CamelCase, such as `CronTab`: letters, digits and '-', starting with a letter".to_string(),
            );
        }
    }

    /// apiextensions validation ValidateCustomResourceDefinition (create).
    pub(super) fn custom_resource_definition(&mut self, root: &Node) {
        let Some((spec, path, spec_key)) = spec_of(root) else {
            return;
        };
        self.crd_object_name(root, spec);
        self.crd_group(spec, &path);
        self.enum_field(spec, "scope", &path, &["Namespaced", "Cluster"]);
        if let Some(names) = spec.get("names") {
            self.crd_names(names, &path.key("names"));
        }
        self.crd_versions(spec, &path, spec_key);
        // validatePreserveUnknownFields: on create, only false (or nothing) is accepted.
        if let Some(node) = spec.get("preserveUnknownFields")
            && node.value == Value::Bool(true)
        {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("preserveUnknownFields"),
                node.at,
                "`preserveUnknownFields: true` is refused by apiextensions.k8s.io/v1",
            );
            finding.suggestion = Some("false".to_string());
            finding.help = Some(
                "remove it, and keep unknown fields where you need them with `x-kubernetes-preserve-unknown-fields: true` in the version's schema".to_string(),
            );
        }
        if let Some(conversion) = spec.get("conversion") {
            self.crd_conversion(conversion, &path.key("conversion"));
        }
        self.crd_approval(root, spec);
    }

    /// The name must be `<plural>.<group>` (the nameValidationFn of
    /// ValidateCustomResourceDefinition); its syntax is [`metadata`](super::metadata)'s.
    fn crd_object_name(&mut self, root: &Node, spec: &Node) {
        let (Some(name_node), Some(group), Some(plural)) = (
            root.at_path(&["metadata", "name"]),
            spec.get("group").and_then(str_of),
            spec.at_path(&["names", "plural"]).and_then(str_of),
        ) else {
            return;
        };
        let Some(name) = str_of(name_node) else {
            return;
        };
        if group.is_empty() || plural.is_empty() {
            return;
        }
        let required = format!("{plural}.{group}");
        if name != required {
            let finding = self.error(
                Rule::InvalidName,
                Path::root().key("metadata").key("name"),
                name_node.at,
                format!(
                    "a CustomResourceDefinition must be named `{}`, not `{}`",
                    escape_controls(&required),
                    escape_controls(name)
                ),
            );
            finding.help =
                Some("a CRD's name is `spec.names.plural`, a dot, then `spec.group`".to_string());
            finding.suggestion = dns1123_subdomain(&required).is_none().then_some(required);
        }
    }

    /// `spec.group`: a DNS subdomain with at least one dot.
    fn crd_group(&mut self, spec: &Node, path: &Path) {
        let Some(node) = spec.get("group") else {
            return;
        };
        let Some(group) = str_of(node) else {
            return;
        };
        if group.is_empty() {
            self.error(
                Rule::MissingField,
                path.key("group"),
                node.at,
                "`group` is empty",
            )
            .help =
                Some("a CRD's group is a domain you own, such as `stable.example.com`".to_string());
        } else if let Some(problem) = dns1123_subdomain(group) {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("group"),
                node.at,
                format!(
                    "`{}` is not a valid API group: {problem}",
                    escape_controls(group)
                ),
            );
            finding.help =
                Some("a CRD's group is a domain you own, such as `stable.example.com`".to_string());
            let lower = group.to_ascii_lowercase();
            finding.suggestion =
                (lower != group && dns1123_subdomain(&lower).is_none()).then_some(lower);
        } else if !group.contains('.') {
            self.error(
                Rule::InvalidValue,
                path.key("group"),
                node.at,
                format!(
                    "`{}` is not a valid API group: it needs at least one dot",
                    escape_controls(group)
                ),
            )
            .help =
                Some("a CRD's group is a domain you own, such as `stable.example.com`".to_string());
        }
    }

    /// apiextensions validation ValidateCustomResourceDefinitionNames and the `names` checks of
    /// the spec: plural, singular, short names and categories are DNS-1035 labels; kind and
    /// listKind are too once lowercased, and differ.
    fn crd_names(&mut self, names: &Node, path: &Path) {
        for field in ["plural", "singular"] {
            if let Some(node) = names.get(field)
                && let Some(text) = str_of(node)
            {
                if text.is_empty() && field == "plural" {
                    self.error(
                        Rule::MissingField,
                        path.key(field),
                        node.at,
                        "`plural` is empty",
                    )
                    .help = Some(
                        "the plural is the resource's name in URLs and kubectl, such as `crontabs`"
                            .to_string(),
                    );
                } else if !text.is_empty() {
                    self.resource_name(text, node, path.key(field), &format!("{field} name"));
                }
            }
        }
        for field in ["shortNames", "categories"] {
            for (index, node) in names
                .get(field)
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if let Some(text) = str_of(node) {
                    let what = if field == "shortNames" {
                        "short name"
                    } else {
                        "category"
                    };
                    self.resource_name(text, node, path.key(field).index(index), what);
                }
            }
        }
        let kind = names.get("kind").and_then(str_of);
        for field in ["kind", "listKind"] {
            self.kind_name(names, field, path);
        }
        if let Some(node) = names.get("listKind")
            && let Some(list_kind) = str_of(node)
            && kind.is_some_and(|kind| !kind.is_empty() && kind == list_kind)
        {
            let finding = self.error(
                Rule::InvalidValue,
                path.key("listKind"),
                node.at,
                "`kind` and `listKind` may not be the same",
            );
            finding.suggestion = Some(format!("{list_kind}List"));
            finding.help = Some(
                "leave `listKind` out and the API server names the list `<kind>List`".to_string(),
            );
        }
    }

    /// One of the CRD's resource names (plural, singular, a short name, a category): a
    /// DNS-1035 label.
    fn resource_name(&mut self, text: &str, node: &Node, path: Path, what: &str) {
        let Some(problem) = dns1035_label(text) else {
            return;
        };
        let finding = self.error(
            Rule::InvalidName,
            path,
            node.at,
            format!(
                "`{}` is not a valid {what}: {problem}",
                escape_controls(text)
            ),
        );
        finding.help = Some(
            "a CRD's resource names are lowercase letters, digits and '-', starting with a letter, such as `crontabs`".to_string(),
        );
        let lower = text.to_ascii_lowercase();
        finding.suggestion = (lower != text && dns1035_label(&lower).is_none()).then_some(lower);
    }

    /// `spec.versions`: at least one, names DNS-1035 labels and unique, exactly one marked
    /// `storage: true`, and (requireOpenAPISchema on create) a schema for each.
    fn crd_versions(&mut self, spec: &Node, path: &Path, spec_key: Pos) {
        let Some(versions_node) = spec.get("versions") else {
            return;
        };
        let versions_path = path.key("versions");
        let versions = versions_node.as_seq();
        let versions_key = spec.entry("versions").map_or(spec_key, |(key, _)| key.at);
        if versions.is_empty() {
            if matches!(versions_node.value, Value::Seq(_)) {
                self.error(
                    Rule::MissingField,
                    versions_path,
                    versions_key,
                    "a CustomResourceDefinition needs at least one version",
                )
                .help = Some(
                    "add `- name: v1` with `served: true`, `storage: true` and a `schema`"
                        .to_string(),
                );
            }
            return;
        }
        let mut names: HashSet<&str> = HashSet::new();
        let mut storage = 0;
        for (index, version) in versions.iter().enumerate() {
            let version_path = versions_path.index(index);
            if let Some(node) = version.get("name")
                && let Some(name) = str_of(node)
            {
                if let Some(problem) = dns1035_label(name) {
                    self.error(
                        Rule::InvalidName,
                        version_path.key("name"),
                        node.at,
                        format!(
                            "`{}` is not a valid version name: {problem}",
                            escape_controls(name)
                        ),
                    )
                    .help =
                        Some("a version is named like `v1`, `v1beta1` or `v2alpha1`".to_string());
                } else if !names.insert(name) {
                    self.error(
                        Rule::DuplicateName,
                        version_path.key("name"),
                        node.at,
                        format!("two versions are named `{name}`"),
                    );
                }
            }
            if let Some(node) = version.get("storage")
                && node.value == Value::Bool(true)
            {
                storage += 1;
                if storage == 2 {
                    self.error(
                        Rule::InvalidValue,
                        version_path.key("storage"),
                        node.at,
                        "only one version may be the storage version",
                    )
                    .help = Some(
                        "objects are stored in one version: set `storage: false` on all but one"
                            .to_string(),
                    );
                }
            }
            self.crd_version_extras(version, &version_path);
            match version.at_path(&["schema", "openAPIV3Schema"]) {
                Some(schema) if !schema.is_null() => {
                    let schema_path = version_path.key("schema").key("openAPIV3Schema");
                    self.crd_schema(schema, &schema_path);
                }
                _ => {
                    let at = version
                        .entry("schema")
                        .or_else(|| version.entry("name"))
                        .map_or(version.at, |(key, _)| key.at);
                    self.error(
                        Rule::MissingField,
                        version_path.key("schema").key("openAPIV3Schema"),
                        at,
                        "every version of a CustomResourceDefinition needs `schema.openAPIV3Schema`",
                    )
                    .help = Some(
                        "describe the objects, at least `openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}`".to_string(),
                    );
                }
            }
        }
        if storage == 0 {
            self.error(
                Rule::MissingField,
                versions_path,
                versions_key,
                "no version is marked `storage: true`",
            )
            .help = Some(
                "exactly one version is the one objects are stored in: set `storage: true` on it"
                    .to_string(),
            );
        }
    }

    /// What a version holds besides its schema (validateCustomResourceDefinitionVersion): a
    /// deprecation warning only on a deprecated version, printer columns
    /// (ValidateCustomResourceColumnDefinition), and the scale subresource's paths
    /// (ValidateCustomResourceDefinitionSubresources).
    fn crd_version_extras(&mut self, version: &Node, path: &Path) {
        if let Some((key, warning)) = version.entry("deprecationWarning")
            && let Some(text) = str_of(warning)
        {
            if version.get("deprecated").map(|node| &node.value) != Some(&Value::Bool(true)) {
                self.error(
                    Rule::ForbiddenField,
                    path.key("deprecationWarning"),
                    key.at,
                    "`deprecationWarning` is only for a version marked `deprecated: true`",
                );
            } else if text.is_empty() || text.chars().count() > 256 {
                self.error(
                    Rule::InvalidValue,
                    path.key("deprecationWarning"),
                    warning.at,
                    "`deprecationWarning` is a sentence of 1 to 256 characters",
                );
            }
        }
        for (index, column) in version
            .get("additionalPrinterColumns")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let column_path = path.key("additionalPrinterColumns").index(index);
            if self
                .enum_field(column, "type", &column_path, &COLUMN_TYPES)
                .is_none()
                && let Some(node) = column.get("type")
                && let Some(text) = str_of(node)
                && let Some(finding) = self.findings.last_mut()
                && finding.at == node.at
                && finding.suggestion.is_none()
            {
                finding.suggestion = type_suggestion(text)
                    .filter(|known| COLUMN_TYPES.contains(known))
                    .map(str::to_string);
            }
            if column
                .get("format")
                .and_then(str_of)
                .is_some_and(|text| !text.is_empty())
            {
                self.enum_field(column, "format", &column_path, &COLUMN_FORMATS);
            }
            if let Some(node) = column.get("jsonPath") {
                self.simple_json_path(node, column_path.key("jsonPath"), &[""]);
            }
        }
        if let Some(scale) = version.at_path(&["subresources", "scale"]) {
            let scale_path = path.key("subresources").key("scale");
            for (field, under) in [
                ("specReplicasPath", &[".spec."][..]),
                ("statusReplicasPath", &[".status."][..]),
                ("labelSelectorPath", &[".spec.", ".status."][..]),
            ] {
                if let Some(node) = scale.get(field)
                    && !(field == "labelSelectorPath" && str_of(node) == Some(""))
                {
                    self.simple_json_path(node, scale_path.key(field), under);
                }
            }
        }
    }

    /// validateSimpleJSONPath: a path starting with `.`, and (for the scale subresource) under
    /// one of `under`.
    fn simple_json_path(&mut self, node: &Node, path: Path, under: &[&str]) {
        let Some(text) = str_of(node) else {
            return;
        };
        if text.is_empty() && under == [""] {
            self.error(Rule::MissingField, path, node.at, "the JSON path is empty")
                .help =
                Some("a column shows a field of the object, such as `.spec.cronSpec`".to_string());
            return;
        }
        if !text.starts_with('.') {
            let finding = self.error(
                Rule::InvalidValue,
                path,
                node.at,
                format!(
                    "`{}` is not a simple JSON path: it must start with `.`",
                    escape_controls(text)
                ),
            );
            finding.suggestion = text
                .strip_prefix('$')
                .filter(|rest| rest.starts_with('.'))
                .map(str::to_string)
                .or_else(|| (!text.is_empty()).then(|| format!(".{text}")));
            return;
        }
        if !under.iter().any(|prefix| text.starts_with(prefix)) {
            let message = match under {
                [one] => format!(
                    "`{}` must be a path under `{}`",
                    escape_controls(text),
                    one.trim_end_matches('.')
                ),
                _ => format!(
                    "`{}` must be a path under `.spec` or `.status`",
                    escape_controls(text)
                ),
            };
            self.error(Rule::InvalidValue, path, node.at, message)
            .help = Some(
                "the scale subresource reads `.spec.replicas` and `.status.replicas`, and the selector from `.spec` or `.status`".to_string(),
            );
        }
    }

    /// apiextensions validation validateCustomResourceConversion: None or Webhook; a webhook's
    /// client configuration and review versions only with Webhook, and both required then.
    fn crd_conversion(&mut self, conversion: &Node, path: &Path) {
        let Some(strategy) = self.enum_field(conversion, "strategy", path, &["None", "Webhook"])
        else {
            return;
        };
        let webhook = conversion.get("webhook").filter(|node| !node.is_null());
        let webhook_path = path.key("webhook");
        if strategy == "None" {
            for field in ["clientConfig", "conversionReviewVersions"] {
                if let Some((key, node)) = webhook.and_then(|webhook| webhook.entry(field))
                    && !node.is_null()
                    && !(field == "conversionReviewVersions" && node.as_seq().is_empty())
                {
                    self.error(
                        Rule::ForbiddenField,
                        webhook_path.key(field),
                        key.at,
                        format!("`{field}` is only for `strategy: Webhook`"),
                    )
                    .help = Some(
                        "with `strategy: None` the API server converts by changing apiVersion alone: remove `webhook`, or set `strategy: Webhook`".to_string(),
                    );
                }
            }
            return;
        }
        let strategy_at = conversion
            .entry("strategy")
            .map_or(conversion.at, |(key, _)| key.at);
        let Some(webhook) = webhook else {
            self.error(
                Rule::MissingField,
                webhook_path,
                strategy_at,
                "`strategy: Webhook` needs `webhook` with `clientConfig` and `conversionReviewVersions`",
            );
            return;
        };
        let webhook_at = conversion
            .entry("webhook")
            .map_or(strategy_at, |(key, _)| key.at);
        match webhook.get("clientConfig").filter(|node| !node.is_null()) {
            Some(client) => self.client_config(client, &webhook_path.key("clientConfig")),
            None => {
                self.error(
                    Rule::MissingField,
                    webhook_path.key("clientConfig"),
                    webhook_at,
                    "`strategy: Webhook` needs `webhook.clientConfig`",
                )
                .help = Some(
                    "say where the conversion webhook listens: `service:` (name, namespace, path) or `url:`".to_string(),
                );
            }
        }
        if let Some(versions) = webhook.get("conversionReviewVersions") {
            self.review_versions(
                versions,
                &webhook_path.key("conversionReviewVersions"),
                "ConversionReview",
            );
        }
    }

    /// A webhook's list of review versions (apiextensions validation
    /// validateConversionReviewVersions, admissionregistration validation
    /// validateAdmissionReviewVersions): not empty, no duplicates, DNS-1035 labels, and at
    /// least one the API server speaks.
    pub(super) fn review_versions(&mut self, list: &Node, path: &Path, review: &str) {
        let Value::Seq(items) = &list.value else {
            return;
        };
        if items.is_empty() {
            self.error(
                Rule::MissingField,
                path.clone(),
                list.at,
                format!("list at least one {review} version, such as `v1`"),
            );
            return;
        }
        let mut seen: HashSet<&str> = HashSet::new();
        let mut known = false;
        for (index, item) in items.iter().enumerate() {
            let Some(text) = str_of(item) else {
                known = true;
                continue;
            };
            known |= REVIEW_VERSIONS.contains(&text);
            if !seen.insert(text) {
                self.error(
                    Rule::DuplicateName,
                    path.index(index),
                    item.at,
                    format!("the version `{}` is listed twice", escape_controls(text)),
                );
            } else if let Some(problem) = dns1035_label(text) {
                let finding = self.error(
                    Rule::InvalidValue,
                    path.index(index),
                    item.at,
                    format!(
                        "`{}` is not a valid version: {problem}",
                        escape_controls(text)
                    ),
                );
                let lower = text.to_ascii_lowercase();
                finding.suggestion = REVIEW_VERSIONS.contains(&lower.as_str()).then_some(lower);
            }
        }
        if !known {
            let finding = self.error(
                Rule::InvalidValue,
                path.clone(),
                list.at,
                format!("none of these {review} versions is one the API server speaks"),
            );
            finding.help = Some("include `v1` (or `v1beta1`)".to_string());
        }
    }

    /// apiextensions validation validateAPIApproval: a group ending in `k8s.io` or
    /// `kubernetes.io` is the Kubernetes project's, and needs the approval annotation (a URL,
    /// or a reason starting with `unapproved`).
    fn crd_approval(&mut self, root: &Node, spec: &Node) {
        let Some(group) = spec.get("group").and_then(str_of) else {
            return;
        };
        let protected = ["k8s.io", "kubernetes.io"]
            .iter()
            .any(|domain| group == *domain || group.ends_with(&format!(".{domain}")));
        if !protected {
            return;
        }
        let annotation_path = Path::root()
            .key("metadata")
            .key("annotations")
            .key(APPROVAL_ANNOTATION);
        match root
            .at_path(&["metadata", "annotations", APPROVAL_ANNOTATION])
            .map(|node| (node, str_of(node).unwrap_or_default()))
        {
            Some((_, value)) if value.starts_with("unapproved") || value.contains("://") => {}
            Some((node, value)) if !value.is_empty() => {
                self.error(
                    Rule::InvalidAnnotation,
                    annotation_path,
                    node.at,
                    format!(
                        "`{}` is neither the URL of an API review nor a reason starting with `unapproved`",
                        escape_controls(value)
                    ),
                );
            }
            found => {
                let at = found.map_or_else(
                    || spec.get("group").map_or(spec.at, |node| node.at),
                    |(node, _)| node.at,
                );
                self.error(
                    Rule::MissingKey,
                    annotation_path,
                    at,
                    format!(
                        "the group `{}` belongs to the Kubernetes project: a CRD in it needs the annotation `{APPROVAL_ANNOTATION}`",
                        escape_controls(group)
                    ),
                )
                .help = Some(
                    "use a domain you own, such as `stable.example.com`, or set the annotation to the approving pull request's URL or to `unapproved, <reason>`".to_string(),
                );
            }
        }
    }
}
