//! Kubernetes manifest checking, offline: what `kubectl apply` and the API server would refuse,
//! said with the line, the column and the fix.
//!
//! - [`yaml`]: YAML → a tree that remembers positions; syntax errors, duplicate keys, limits;
//! - [`schema`]: the strict typed check against the pinned API (unknown fields with a
//!   suggestion, wrong types, missing required fields), and `explain`;
//! - [`rules`]: the API server's semantic rules; [`version`]: the ones that changed by version;
//! - [`kustomize`]: a kustomization's own fields, what it may make kustomize read or run, and
//!   its build by the learner's kubectl;
//! - [`diagnostic`]: findings in the CLI contract's shape, rendered as text or JSON;
//! - [`path`]: `spec.containers[0].env[1].name` paths.

pub mod diagnostic;
mod identify;
pub mod kubeconfig;
pub mod kustomize;
pub mod path;
pub mod quantity;
pub mod removed;
pub mod rules;
pub mod schema;
pub mod version;
pub mod yaml;

pub use diagnostic::{Diagnostic, Rule};
pub use version::Version;

use crate::diagnostic::Severity;
use schema::Finding;
use yaml::{Document, Node, Pos, Value};

/// The result of checking one YAML stream.
#[derive(Debug, Clone)]
pub struct Report {
    /// The documents that parsed (empty when the stream has a syntax error).
    pub documents: Vec<Document>,
    /// Every finding, in document and line order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// How a stream is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The Kubernetes version whose API-server rules apply.
    pub version: Version,
    /// A kind no schema is known for (a custom resource) is an error, not a warning.
    pub strict_kinds: bool,
}

impl Options {
    pub fn new(version: Version) -> Options {
        Options {
            version,
            strict_kinds: false,
        }
    }
}

/// Checks a YAML or JSON stream of manifests against Kubernetes `version`'s rules.
pub fn check(text: &str, version: Version) -> Report {
    check_with(text, Options::new(version))
}

/// Checks a YAML or JSON stream of manifests as `options` say.
pub fn check_with(text: &str, options: Options) -> Report {
    let documents = match yaml::parse(text) {
        Ok(documents) => documents,
        Err(error) => {
            return Report {
                documents: Vec::new(),
                diagnostics: vec![Diagnostic {
                    document: error.document,
                    kind: None,
                    name: None,
                    severity: Severity::Error,
                    rule: Rule::YamlSyntax,
                    path: String::new(),
                    line: error.line,
                    column: error.column,
                    message: format!("YAML syntax: {}", error.message),
                    suggestion: None,
                    help: None,
                    offset: error.offset,
                    len: 1,
                }],
            };
        }
    };
    let mut diagnostics = Vec::new();
    for document in &documents {
        check_document(document, options, &mut diagnostics);
    }
    for diagnostic in &mut diagnostics {
        refine(diagnostic, text);
    }
    Report {
        documents,
        diagnostics,
    }
}

fn check_document(document: &Document, options: Options, out: &mut Vec<Diagnostic>) {
    check_object(document.index, &document.root, "", options, out);
}

/// A list kind kubectl unpacks: `v1 List`, or `<Kind>List` in the apiVersion of a kind the
/// checker knows (`PodList`, `apps/v1 DeploymentList`).
fn is_list(root: &Node) -> bool {
    let (Some(api_version), Some(kind)) = (
        root.get("apiVersion").and_then(Node::as_str),
        root.get("kind").and_then(Node::as_str),
    ) else {
        return false;
    };
    (api_version == "v1" && kind == "List")
        || kind
            .strip_suffix("List")
            .is_some_and(|item| schema::find_kind(api_version, item).is_some())
}

/// Checks one object (a document, or an item of a list; `prefix` is the item's path) and adds
/// its diagnostics to `out`.
fn check_object(
    index: usize,
    root: &Node,
    prefix: &str,
    options: Options,
    out: &mut Vec<Diagnostic>,
) {
    let kind_text = root.get("kind").and_then(Node::as_str).map(str::to_string);
    let name = root
        .at_path(&["metadata", "name"])
        .and_then(Node::as_str)
        .map(str::to_string);
    let mut findings = Vec::new();
    let mut items: &[Node] = &[];
    if !matches!(root.value, Value::Map(_)) {
        findings.push(finding(
            Rule::NotAnObject,
            path::Path::root(),
            root.at,
            format!(
                "a manifest is a map with apiVersion, kind and metadata; this document is {}",
                root.value.describe()
            ),
            None,
        ));
    } else if kubeconfig::is_kubeconfig(root) {
        findings.extend(kubeconfig::check(root));
    } else if is_list(root) {
        findings.extend(schema::check_against(root, list_schema()));
        items = root.get("items").map(Node::as_seq).unwrap_or_default();
    } else if let Some(info) = identify::identify(root, &mut findings, options.strict_kinds) {
        findings.extend(schema::check(root, info));
        findings.extend(rules::check(root, info, options.version));
    }
    findings.sort_by_key(|finding| (finding.at.line, finding.at.column));
    out.extend(findings.into_iter().map(|finding| {
        let path = finding.path.to_string();
        Diagnostic {
            document: index,
            kind: kind_text.clone(),
            name: name.clone(),
            severity: if finding.warning {
                Severity::Warning
            } else {
                Severity::Error
            },
            rule: finding.rule,
            path: match (prefix, path.as_str()) {
                ("", _) => path,
                (prefix, "") => prefix.to_string(),
                (prefix, path) => format!("{prefix}.{path}"),
            },
            line: finding.at.line,
            column: finding.at.column,
            message: finding.message,
            suggestion: finding.suggestion,
            help: finding.help,
            offset: finding.at.offset,
            len: finding.at.len,
        }
    }));
    for (position, item) in items.iter().enumerate() {
        let item_prefix = if prefix.is_empty() {
            format!("items[{position}]")
        } else {
            format!("{prefix}.items[{position}]")
        };
        check_object(index, item, &item_prefix, options, out);
    }
}

/// A list's own fields: `apiVersion`, `kind`, `metadata` (a ListMeta) and `items`.
fn list_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::json!({
            "type": "object",
            "required": ["items"],
            "properties": {
                "apiVersion": {"type": "string"},
                "kind": {"type": "string"},
                "metadata": {"type": "object", "properties": {
                    "continue": {"type": "string"},
                    "remainingItemCount": {"type": "integer", "format": "int64"},
                    "resourceVersion": {"type": "string"},
                    "selfLink": {"type": "string"},
                }},
                "items": {"type": "array", "items": {}},
            }
        })
    })
}

pub(crate) fn finding(
    rule: Rule,
    path: path::Path,
    at: Pos,
    message: String,
    help: Option<String>,
) -> Finding {
    Finding {
        rule,
        path,
        at,
        message,
        suggestion: None,
        help,
        warning: false,
    }
}

/// Improves a diagnostic with the value exactly as the learner wrote it: YAML has already turned
/// `yes` into `true` and `0644` into 420, and the advice must quote what is on the line.
fn refine(diagnostic: &mut Diagnostic, text: &str) {
    let written = text
        .get(diagnostic.offset..diagnostic.offset + diagnostic.len)
        .unwrap_or_default()
        .trim();
    match diagnostic.rule {
        // `value: yes` is a boolean and `version: 1.0` a number: quote what was written, not
        // `true` or `1`.
        Rule::WrongType
            if (matches!(
                diagnostic.suggestion.as_deref(),
                Some("\"true\"" | "\"false\"")
            ) || diagnostic.message.contains("found the number"))
                && diagnostic
                    .suggestion
                    .as_deref()
                    .is_some_and(|s| s.starts_with('"'))
                && !written.is_empty()
                && !written.starts_with(['"', '\'']) =>
        {
            diagnostic.suggestion = Some(format!("\"{written}\""));
        }
        // The selector of a Deployment written on a Service.
        Rule::WrongType
            if diagnostic.kind.as_deref() == Some("Service")
                && matches!(
                    diagnostic.path.as_str(),
                    "spec.selector.matchLabels" | "spec.selector.matchExpressions"
                ) =>
        {
            diagnostic.help = Some(
                "a Service's selector is a plain map of labels (`selector:` then `app: web`), without `matchLabels`; `matchLabels` and `matchExpressions` belong to Deployments, ReplicaSets, Jobs and other workloads"
                    .to_string(),
            );
        }
        // `defaultMode: 01000` was octal already: it is just too big.
        Rule::InvalidMode
            if written.len() > 1
                && written.starts_with('0')
                && written.chars().all(|c| c.is_ascii_digit()) =>
        {
            diagnostic.suggestion = None;
            diagnostic.help = Some(format!(
                "{written} is octal (the leading 0), so it is {} in decimal, above 0777: permission bits go from 0000 to 0777, such as 0644 or 0400",
                i64::from_str_radix(written, 8).unwrap_or(0)
            ));
        }
        _ => {}
    }
}
