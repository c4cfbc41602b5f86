//! Kubernetes manifest checking, offline: what `kubectl apply` and the API server would refuse,
//! said with the line, the column and the fix.
//!
//! - [`yaml`]: YAML → a tree that remembers positions; syntax errors, duplicate keys, limits;
//! - [`schema`]: the strict typed check against the pinned API (unknown fields with a
//!   suggestion, wrong types, missing required fields), and `explain`;
//! - [`rules`]: the API server's semantic rules; [`version`]: the ones that changed by version;
//! - [`diagnostic`]: findings in the CLI contract's shape, rendered as text or JSON;
//! - [`path`]: `spec.containers[0].env[1].name` paths.

pub mod diagnostic;
pub mod path;
pub mod quantity;
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
    let version = options.version;
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
        check_document(document, version, &mut diagnostics);
    }
    for diagnostic in &mut diagnostics {
        refine(diagnostic, text);
    }
    Report {
        documents,
        diagnostics,
    }
}

fn check_document(document: &Document, version: Version, out: &mut Vec<Diagnostic>) {
    let root = &document.root;
    let kind_text = root.get("kind").and_then(Node::as_str).map(str::to_string);
    let name = root
        .at_path(&["metadata", "name"])
        .and_then(Node::as_str)
        .map(str::to_string);
    let mut findings = Vec::new();
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
    } else if let Some(info) = identify(root, &mut findings) {
        findings.extend(schema::check(root, info));
        findings.extend(rules::check(root, info, version));
    }
    findings.sort_by_key(|finding| (finding.at.line, finding.at.column));
    out.extend(findings.into_iter().map(|finding| Diagnostic {
        document: document.index,
        kind: kind_text.clone(),
        name: name.clone(),
        severity: if finding.warning {
            Severity::Warning
        } else {
            Severity::Error
        },
        rule: finding.rule,
        path: finding.path.to_string(),
        line: finding.at.line,
        column: finding.at.column,
        message: finding.message,
        suggestion: finding.suggestion,
        help: finding.help,
        offset: finding.at.offset,
        len: finding.at.len,
    }));
}

fn finding(
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

/// Finds the kind a document declares; reports a missing or unknown apiVersion/kind.
fn identify(root: &Node, findings: &mut Vec<Finding>) -> Option<&'static schema::KindInfo> {
    let api_version = root.entry("apiVersion");
    let kind = root.entry("kind");
    let (Some((_, api_node)), Some((kind_key, kind_node))) = (api_version, kind) else {
        for (field, entry, example) in [("apiVersion", api_version, "v1"), ("kind", kind, "Pod")] {
            if entry.is_none() {
                findings.push(finding(Rule::MissingField, path::Path::root().key(field), root.at, format!("missing required field `{field}`"), Some(format!("every manifest starts with apiVersion and kind, such as `{field}: {example}`"))));
            }
        }
        return None;
    };
    let (Some(api_text), Some(kind_text)) = (api_node.as_str(), kind_node.as_str()) else {
        findings.push(finding(
            Rule::WrongType,
            path::Path::root().key("kind"),
            kind_node.at,
            "apiVersion and kind are strings".to_string(),
            None,
        ));
        return None;
    };
    if let Some(info) = schema::find_kind(api_text, kind_text) {
        return Some(info);
    }
    let same_kind = schema::KINDS.iter().find(|info| info.kind == kind_text);
    match same_kind {
        Some(info) => {
            let mut wrong = finding(
                Rule::WrongApiVersion,
                path::Path::root().key("apiVersion"),
                api_node.at,
                format!(
                    "{kind_text} is in apiVersion `{}`, not `{}`",
                    info.api_version,
                    crate::text::escape_controls(api_text)
                ),
                None,
            );
            wrong.suggestion = Some(info.api_version.to_string());
            findings.push(wrong);
        }
        None => {
            let close = schema::KINDS
                .iter()
                .map(|info| info.kind)
                .find(|known| known.eq_ignore_ascii_case(kind_text))
                .or_else(|| {
                    crate::text::did_you_mean(kind_text, schema::KINDS.iter().map(|info| info.kind))
                });
            let mut unknown = finding(
                Rule::UnknownKind,
                path::Path::root().key("kind"),
                kind_node.at,
                format!(
                    "kubedrill does not know the kind `{}`",
                    crate::text::escape_controls(kind_text)
                ),
                Some(format!(
                    "kinds it checks: {}",
                    schema::KINDS
                        .iter()
                        .map(|info| info.kind)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            unknown.suggestion = close.map(str::to_string);
            let _ = kind_key;
            findings.push(unknown);
        }
    }
    None
}
