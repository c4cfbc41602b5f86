//! What the manifest checker found, in the shape of the CLI contract (design.md §4), and its
//! rustc-like text rendering. [`Rule`] names what kind of problem a finding is; its kebab-case
//! names are part of that contract (scripts match on them), so a rule is never renamed.

use std::fmt;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::{Serialize, Serializer};

use crate::diagnostic::Severity;
use crate::i18n::Lang;
use crate::i18n::localize;
use crate::text::escape_controls;

/// One finding in one document of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Which document of the stream (from 0).
    pub document: usize,
    /// The resource's kind and name, when the document says.
    pub kind: Option<String>,
    pub name: Option<String>,
    pub severity: Severity,
    /// Which rule; serialized as its stable kebab-case name (`unknown-field`, `selector-mismatch`).
    pub rule: Rule,
    /// Where in the object: dots and `[index]`; "" for the whole file.
    pub path: String,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The replacement to write, when one is known (`name` for `nmae`).
    pub suggestion: Option<String>,
    /// A sentence on why, or what to do, when the message alone does not say.
    pub help: Option<String>,
    #[serde(skip)]
    pub offset: usize,
    #[serde(skip)]
    pub len: usize,
}

/// Declares [`Rule`] from one table, so a variant, its name and [`Rule::ALL`] cannot drift apart.
macro_rules! rule_table {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// What kind of problem a [`Diagnostic`] reports. Its name (`unknown-field`) is what the JSON
        /// output, the text output's `error[…]` and the language server's diagnostic code carry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Rule {
            /// Every rule, in the order declared.
            pub const ALL: &[Rule] = &[$(Rule::$variant,)*];

            /// The stable kebab-case name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }
        }
    };
}

rule_table! {
    // The file.
    /// The stream is not YAML, or goes past a limit (depth, size, alias expansion).
    YamlSyntax => "yaml-syntax",
    // What the document is.
    /// A document is not a map (a list, a scalar).
    NotAnObject => "not-an-object",
    /// kubedrill does not know the kind.
    UnknownKind => "unknown-kind",
    /// A known kind under another apiVersion (`apps/v1` Deployment written as `v1`).
    WrongApiVersion => "wrong-api-version",
    /// An apiVersion Kubernetes no longer serves (`extensions/v1beta1` Ingress), and what replaced it.
    RemovedApi => "removed-api",
    /// A warning: a built-in alpha or beta apiVersion, which a cluster serves only when turned on.
    ApiNotEnabled => "api-not-enabled",
    /// A warning (an error with `--strict-kinds`): a custom resource kubedrill has no schema for.
    NotChecked => "not-checked",
    // The schema.
    /// A field the schema does not have here, usually misspelt.
    UnknownField => "unknown-field",
    /// A field the schema or the API server requires is absent.
    MissingField => "missing-field",
    /// A value of the wrong type (a number where a string goes, a map where a list goes).
    WrongType => "wrong-type",
    /// A number outside its range (ports, int32, counts that cannot be negative).
    OutOfRange => "out-of-range",
    /// A resource amount that is not a quantity (`1GB`).
    InvalidQuantity => "invalid-quantity",
    // The API server's rules (manifest::rules).
    /// A name the API server refuses: of the object, a container, a volume, a port, a variable.
    InvalidName => "invalid-name",
    /// A label key or value the API server refuses.
    InvalidLabel => "invalid-label",
    /// An annotation key the API server refuses.
    InvalidAnnotation => "invalid-annotation",
    /// A ConfigMap or Secret key the API server refuses.
    InvalidKey => "invalid-key",
    /// A value the field does not allow (a policy, a type, an operator, a divisor).
    InvalidValue => "invalid-value",
    /// File permission bits outside 0–0777 (often 644 written without its leading 0).
    InvalidMode => "invalid-mode",
    /// A value that must be base64 and is not.
    InvalidBase64 => "invalid-base64",
    /// Two items of one list with the same name or mount path.
    DuplicateName => "duplicate-name",
    /// A ConfigMap key in both `data` and `binaryData`.
    DuplicateKey => "duplicate-key",
    /// A warning: two containers of one Pod declare the same port and protocol.
    DuplicatePort => "duplicate-port",
    /// A workload's selector with neither `matchLabels` nor `matchExpressions`.
    EmptySelector => "empty-selector",
    /// A workload's selector that does not select its own Pod template.
    SelectorMismatch => "selector-mismatch",
    /// Two fields of which only one may be set (`value` and `valueFrom`).
    ExclusiveFields => "exclusive-fields",
    /// Not exactly one source where one is required (a volume, `valueFrom`, an `envFrom` item).
    OneSource => "one-source",
    /// A field not allowed where it is (a probe on an init container that is not a sidecar).
    ForbiddenField => "forbidden-field",
    /// A mount naming a volume the Pod does not define.
    UnknownVolume => "unknown-volume",
    /// A key or annotation that a Secret of its type requires is absent.
    MissingKey => "missing-key",
    /// A ConfigMap over 1 MiB.
    TooLarge => "too-large",
    // Drills (grade::command), which report in the same shape.
    /// A warning: a kubectl flag the drill grader leaves out, because it does not change what
    /// the command does.
    IgnoredFlag => "ignored-flag",
    // Kustomizations (manifest::kustomize).
    /// A warning: a field that still works but is deprecated (`commonLabels`, `bases`,
    /// `patchesStrategicMerge`), with the one that replaces it.
    DeprecatedField => "deprecated-field",
    /// A kustomization refers to something kubedrill will not let kustomize read or run: a
    /// remote location, a path outside the checked directory, Helm charts, a plugin.
    RefusedSource => "refused-source",
    /// `kubectl kustomize` could not build the directory, or did not finish.
    KustomizeBuild => "kustomize-build",
}

impl Rule {
    /// The rule with this name, if there is one.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.as_str() == name)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.pad(self.as_str())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// `diagnostic.rule == "unknown-field"` reads as the contract does.
impl PartialEq<str> for Rule {
    fn eq(&self, name: &str) -> bool {
        self.as_str() == name
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, name: &&str) -> bool {
        self.as_str() == *name
    }
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The same finding with its message and help in `lang` (crate::i18n).
    pub fn localized(mut self, lang: Lang) -> Diagnostic {
        self.message = localize(&self.message, lang).into_owned();
        self.help = self.help.map(|help| localize(&help, lang).into_owned());
        self
    }
}

/// Renders diagnostics as rustc does: `error[rule]: message`, `--> file:line:col`, the line with
/// a caret, then the suggestion and help. The messages are shown as given (see
/// [`Diagnostic::localized`]); `lang` is for the words around them.
pub fn render_text(
    diagnostics: &[Diagnostic],
    file: &str,
    source: &str,
    color: bool,
    lang: Lang,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let masked = crate::text::mask_controls(source);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let span = caret_span(&masked, diagnostic.offset, diagnostic.len);
        // The path labels the caret (rustc puts its labels there), so the message stays a sentence.
        let annotation = AnnotationKind::Primary.span(span);
        let annotation = if diagnostic.path.is_empty() {
            annotation
        } else {
            annotation.label(escape_controls(&diagnostic.path).into_owned())
        };
        let mut group = level
            .primary_title(escape_controls(&diagnostic.message).into_owned())
            .id(diagnostic.rule.as_str())
            .element(
                Snippet::source(masked.as_ref())
                    .path(escape_controls(file).into_owned())
                    .annotation(annotation),
            );
        if let Some(suggestion) = &diagnostic.suggestion {
            group = group.element(Level::HELP.message(match lang {
                Lang::En => format!("did you mean `{}`?", escape_controls(suggestion)),
                Lang::Ko => format!("혹시 `{}`인가요?", escape_controls(suggestion)),
            }));
        }
        if let Some(help) = &diagnostic.help {
            group = group.element(Level::HELP.message(escape_controls(help).into_owned()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// A non-empty span on one line for the caret.
fn caret_span(text: &str, offset: usize, len: usize) -> std::ops::Range<usize> {
    let mut start = offset.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let line_end = text[start..]
        .find('\n')
        .map_or(text.len(), |end| start + end);
    let mut end = (start + len.max(1)).min(line_end);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end <= start {
        start..start
    } else {
        start..end
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_rule_round_trips_through_its_name_and_the_names_are_unique() {
        let mut names = HashSet::new();
        for &rule in Rule::ALL {
            let name = rule.as_str();
            assert!(names.insert(name), "two rules are named `{name}`");
            assert_eq!(Rule::from_name(name), Some(rule));
            assert_eq!(rule.to_string(), name);
            assert_eq!(serde_json::to_value(rule).unwrap(), serde_json::json!(name));
            assert_eq!(rule, name);
            assert!(
                name.split('-').all(|word| !word.is_empty()
                    && word
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "`{name}` is not kebab-case"
            );
        }
        assert_eq!(Rule::from_name("no-such-rule"), None);
    }

    #[test]
    fn the_names_are_the_ones_scripts_already_match_on() {
        let names: Vec<&str> = Rule::ALL.iter().map(|rule| rule.as_str()).collect();
        for published in [
            "duplicate-key",
            "duplicate-name",
            "duplicate-port",
            "empty-selector",
            "exclusive-fields",
            "forbidden-field",
            "ignored-flag",
            "invalid-annotation",
            "invalid-base64",
            "invalid-key",
            "invalid-label",
            "invalid-mode",
            "invalid-name",
            "invalid-quantity",
            "invalid-value",
            "missing-field",
            "missing-key",
            "not-an-object",
            "one-source",
            "out-of-range",
            "selector-mismatch",
            "too-large",
            "unknown-field",
            "unknown-kind",
            "unknown-volume",
            "wrong-api-version",
            "wrong-type",
            "yaml-syntax",
            "removed-api",
            "api-not-enabled",
            "not-checked",
            "deprecated-field",
            "refused-source",
            "kustomize-build",
        ] {
            assert!(
                names.contains(&published),
                "`{published}` is gone: a rule's name is part of the JSON contract: add new names, never rename one"
            );
        }
    }
}
