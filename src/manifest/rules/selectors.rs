//! Selectors every kind shares: a plain map of labels (a Service's selector, an EndpointSlice's
//! topology), a label selector (`matchLabels` and `matchExpressions`: NetworkPolicy, a claim's
//! selector, and any workload or PodDisruptionBudget that wants them), and the node selector of
//! a PersistentVolume's `nodeAffinity` (also a Pod's required node affinity).
//!
//! These report what is wrong with a selector on its own; whether a selector selects what it
//! should is the caller's business ([`workload`](super::workload)).

use super::names::{label_value, qualified_name};
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::Node;

/// The operators of a label selector's expressions.
const LABEL_OPERATORS: [&str; 4] = ["In", "NotIn", "Exists", "DoesNotExist"];

impl Rules {
    /// apimachinery ValidateLabels (pkg/apis/meta/v1/validation): keys are qualified names,
    /// values label values.
    pub(super) fn label_map(&mut self, map: &Node, path: &Path) {
        for (key, value) in map.as_map() {
            let entry_path = path.key(&key.name);
            if let Some(problem) = qualified_name(&key.name) {
                self.error(
                    Rule::InvalidLabel,
                    entry_path.clone(),
                    key.at,
                    format!(
                        "`{}` is not a valid label key: {problem}",
                        crate::text::escape_controls(&key.name)
                    ),
                );
            }
            if let Some(text) = str_of(value) {
                self.label_value_of(text, value, entry_path);
            }
        }
    }

    fn label_value_of(&mut self, text: &str, node: &Node, path: Path) {
        if let Some(problem) = label_value(text) {
            self.error(
                Rule::InvalidLabel,
                path,
                node.at,
                format!(
                    "`{}` is not a valid label value: {problem}",
                    crate::text::escape_controls(text)
                ),
            )
            .help = Some("label values have at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit".to_string());
        }
    }

    /// apimachinery ValidateLabelSelector and ValidateLabelSelectorRequirement: `matchLabels`
    /// as labels; each expression's key a label key, its operator In, NotIn, Exists or
    /// DoesNotExist, `values` given for In and NotIn and absent for the other two, each value a
    /// label value.
    pub(super) fn label_selector(&mut self, selector: &Node, path: &Path) {
        if let Some(labels) = selector.get("matchLabels") {
            self.label_map(labels, &path.key("matchLabels"));
        }
        for (index, expression) in selector
            .get("matchExpressions")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let expression_path = path.key("matchExpressions").index(index);
            self.expression_key(expression, &expression_path);
            if let Some(operator) =
                self.enum_field(expression, "operator", &expression_path, &LABEL_OPERATORS)
            {
                self.operator_values(expression, &expression_path, operator);
            }
            for (value_index, value) in expression
                .get("values")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if let Some(text) = str_of(value) {
                    self.label_value_of(
                        text,
                        value,
                        expression_path.key("values").index(value_index),
                    );
                }
            }
        }
    }

    /// An expression's `key` is a label key (apimachinery ValidateLabelName).
    fn expression_key(&mut self, expression: &Node, path: &Path) {
        if let Some(key) = expression.get("key")
            && let Some(text) = str_of(key)
            && let Some(problem) = qualified_name(text)
        {
            self.error(
                Rule::InvalidLabel,
                path.key("key"),
                key.at,
                format!(
                    "`{}` is not a valid label key: {problem}",
                    crate::text::escape_controls(text)
                ),
            );
        }
    }

    /// Whether an expression's `values` suit its operator; reports them when not.
    pub(super) fn values_fit(&mut self, expression: &Node, path: &Path, operator: &str) -> bool {
        let before = self.findings.len();
        self.operator_values(expression, path, operator);
        self.findings.len() == before
    }

    /// What `values` an operator takes: In and NotIn at least one, Exists and DoesNotExist
    /// none, Gt and Lt (node selectors) exactly one. Other operators are left alone.
    pub(super) fn operator_values(&mut self, expression: &Node, path: &Path, operator: &str) {
        let values = expression.get("values");
        let count = values.map_or(0, |values| values.as_seq().len());
        match operator {
            "In" | "NotIn" if count == 0 => {
                self.error(
                    Rule::MissingField,
                    path.key("values"),
                    values.map_or(expression.at, |values| values.at),
                    format!("the operator `{operator}` needs at least one value in `values`"),
                )
                .help = Some(
                    "list the label values to match, such as `values: [web, api]`; to match on the key alone, use Exists".to_string(),
                );
            }
            "Exists" | "DoesNotExist" if count > 0 => {
                self.error(
                    Rule::ForbiddenField,
                    path.key("values"),
                    values.map_or(expression.at, |values| values.at),
                    format!("the operator `{operator}` takes no `values`"),
                )
                .help = Some(
                    "Exists and DoesNotExist look at the key only: remove `values`, or use In or NotIn to match values".to_string(),
                );
            }
            "Gt" | "Lt" if count != 1 => {
                self.error(
                    Rule::InvalidValue,
                    path.key("values"),
                    values.map_or(expression.at, |values| values.at),
                    format!("the operator `{operator}` takes exactly one value, a whole number"),
                );
            }
            _ => {}
        }
    }

    /// core validation ValidateNodeSelector (also what validateVolumeNodeAffinity asks of a
    /// PersistentVolume's `nodeAffinity.required`): at least one term, and in each term's
    /// `matchExpressions` a label key and the values its operator takes. Operators beyond the
    /// six classic ones are left to the API server (newer versions add some behind gates).
    pub(super) fn node_selector(&mut self, selector: &Node, path: &Path) {
        let terms_path = path.key("nodeSelectorTerms");
        if let Some(terms) = selector.get("nodeSelectorTerms")
            && terms.as_seq().is_empty()
            && !terms.is_null()
        {
            self.error(
                Rule::MissingField,
                terms_path.clone(),
                terms.at,
                "a node selector needs at least one term in `nodeSelectorTerms`",
            )
            .help = Some(
                "add a term such as `- matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-1]}]`".to_string(),
            );
        }
        for (index, term) in selector
            .get("nodeSelectorTerms")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            for (expression_index, expression) in term
                .get("matchExpressions")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let expression_path = terms_path
                    .index(index)
                    .key("matchExpressions")
                    .index(expression_index);
                self.node_selector_requirement(expression, &expression_path);
            }
        }
    }

    /// One requirement of a node selector term (core validation
    /// ValidateNodeSelectorRequirement): a label key, and the values its operator takes. The
    /// operator's name itself is left to the caller.
    pub(super) fn node_selector_requirement(&mut self, expression: &Node, path: &Path) {
        self.expression_key(expression, path);
        if let Some(operator) = expression.get("operator").and_then(str_of) {
            self.operator_values(expression, path, operator);
        }
    }
}
