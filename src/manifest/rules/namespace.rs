//! A Namespace's spec: its finalizers. (Its name, a DNS label, is [`metadata`](super::metadata)'s
//! rule; a ServiceAccount has nothing the API server checks beyond its name.)

use super::names::qualified_name;
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::Node;
use crate::text::{did_you_mean, escape_controls};

/// helper standardFinalizers: the names without a domain the API server knows.
const STANDARD_FINALIZERS: [&str; 3] = ["kubernetes", "orphan", "foregroundDeletion"];

impl Rules {
    /// core validation ValidateNamespace: each of `spec.finalizers` is a qualified name
    /// (apimachinery ValidateFinalizerName) and, without a domain, a standard one
    /// (validateKubeFinalizerName).
    pub(super) fn namespace(&mut self, root: &Node) {
        let Some(finalizers) = root.at_path(&["spec", "finalizers"]) else {
            return;
        };
        let path = Path::root().key("spec").key("finalizers");
        for (index, finalizer) in finalizers.as_seq().iter().enumerate() {
            let Some(text) = str_of(finalizer) else {
                continue;
            };
            if let Some(problem) = qualified_name(text) {
                self.error(
                    Rule::InvalidValue,
                    path.index(index),
                    finalizer.at,
                    format!(
                        "`{}` is not a valid finalizer name: {problem}",
                        escape_controls(text)
                    ),
                );
            } else if !text.contains('/') && !STANDARD_FINALIZERS.contains(&text) {
                let finding = self.error(
                    Rule::InvalidValue,
                    path.index(index),
                    finalizer.at,
                    format!(
                        "`{}` is neither a standard finalizer nor a name with a domain",
                        escape_controls(text)
                    ),
                );
                finding.suggestion = STANDARD_FINALIZERS
                    .into_iter()
                    .find(|known| known.eq_ignore_ascii_case(text))
                    .or_else(|| did_you_mean(text, STANDARD_FINALIZERS))
                    .map(str::to_string);
                finding.help = Some(
                    "a Namespace's finalizer is `kubernetes` (the namespace controller's), or a name with a domain such as example.com/cleanup".to_string(),
                );
            }
        }
    }
}
