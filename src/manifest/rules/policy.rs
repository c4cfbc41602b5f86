//! PodDisruptionBudget (policy/v1) and PriorityClass (scheduling.k8s.io/v1), and the small
//! value checks that RBAC, quotas and autoscaling use too: a value from a fixed, case-sensitive
//! set, and whole numbers within a range. The label selector is
//! [`selectors`](super::selectors)' `label_selector`.

use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::{Path, Segment};
use crate::manifest::schema::Finding;
use crate::manifest::yaml::{Node, Value};
use crate::text::escape_controls;

/// The largest `value` of a PriorityClass a user may create (scheduling
/// HighestUserDefinablePriority); above it are the two built-in system classes.
const HIGHEST_USER_PRIORITY: i64 = 1_000_000_000;

/// The built-in classes whose names start with `system-`, with their fixed values
/// (pkg/apis/scheduling/v1 helpers.go SystemPriorityClasses).
const SYSTEM_PRIORITY_CLASSES: [(&str, i64); 2] = [
    ("system-node-critical", 2_000_001_000),
    ("system-cluster-critical", 2_000_000_000),
];

impl Rules {
    /// A string that must be one of `allowed`, exactly (the API server's `field.NotSupported`,
    /// case-sensitive). Returns false when the value was reported. A value that is not a string
    /// is the schema's to report.
    pub(super) fn one_of(&mut self, node: &Node, path: Path, allowed: &[&str]) -> bool {
        let field = field_name(&path);
        self.not_supported(
            node,
            path,
            allowed,
            |shown| format!("`{shown}` is not a value `{field}` takes"),
            || {
                format!(
                    "`{field}` takes one of: {} (case-sensitive)",
                    allowed.join(", ")
                )
            },
        )
    }

    /// A whole number of at least `min` (and at most `max` when given): the API server's
    /// `field.Invalid` on a count or a number of seconds. Returns the finding when reported.
    pub(super) fn whole_in_range(
        &mut self,
        node: Option<&Node>,
        path: Path,
        min: i64,
        max: Option<i64>,
    ) -> Option<&mut Finding> {
        let node = node?;
        let Value::Int(number) = node.value else {
            return None;
        };
        let field = path.last_key().unwrap_or_default().to_string();
        let message = match max {
            Some(max) if number < min || number > max => {
                format!("`{field}` is {number}; it must be from {min} to {max}")
            }
            None if number < min => format!("`{field}` is {number}; it must be at least {min}"),
            _ => return None,
        };
        Some(self.error(Rule::OutOfRange, path, node.at, message))
    }

    /// policy validation ValidatePodDisruptionBudgetSpec: `minAvailable` and `maxUnavailable`
    /// not both, each a count of at least 0 or a percentage of at most 100%
    /// (apps validation ValidatePositiveIntOrPercent, IsNotMoreThan100Percent); the selector;
    /// `unhealthyPodEvictionPolicy`.
    pub(super) fn pod_disruption_budget(&mut self, spec: &Node, path: &Path) {
        if let (Some((min_key, _)), Some((max_key, _))) =
            (spec.entry("minAvailable"), spec.entry("maxUnavailable"))
            && !spec.get("minAvailable").is_some_and(Node::is_null)
            && !spec.get("maxUnavailable").is_some_and(Node::is_null)
        {
            let (second, key) = if max_key.at.offset > min_key.at.offset {
                ("maxUnavailable", max_key)
            } else {
                ("minAvailable", min_key)
            };
            self.error(
                Rule::ExclusiveFields,
                path.key(second),
                key.at,
                "`minAvailable` and `maxUnavailable` cannot both be set",
            )
            .help = Some(
                "a budget says either how many Pods must stay up or how many may be down: keep one of them".to_string(),
            );
        }
        for field in ["minAvailable", "maxUnavailable"] {
            if let Some(value) = spec.get(field) {
                self.count_or_percent(value, path.key(field));
            }
        }
        if let Some(selector) = spec.get("selector") {
            // apimachinery ValidateLabelSelector; an empty selector selects every Pod of the
            // namespace in policy/v1, and is valid.
            self.label_selector(selector, &path.key("selector"));
        }
        if let Some(policy) = spec.get("unhealthyPodEvictionPolicy") {
            self.one_of(
                policy,
                path.key("unhealthyPodEvictionPolicy"),
                &["IfHealthyBudget", "AlwaysAllow"],
            );
        }
    }

    /// apps validation ValidatePositiveIntOrPercent and IsNotMoreThan100Percent: a whole number
    /// of at least 0, or a string of digits and `%` (`^[0-9]+%$`) of at most 100%.
    fn count_or_percent(&mut self, node: &Node, path: Path) {
        match &node.value {
            Value::Int(_) => {
                self.whole_in_range(Some(node), path, 0, None);
            }
            Value::Str(text) => {
                let percent = is_percent(text).then(|| {
                    text.trim_end_matches('%')
                        .parse::<u64>()
                        .unwrap_or(u64::MAX)
                });
                match percent {
                    Some(percent) if percent > 100 => {
                        self.error(
                            Rule::OutOfRange,
                            path.clone(),
                            node.at,
                            format!(
                                "`{}` is {}; a percentage is at most 100%",
                                path.last_key().unwrap_or_default(),
                                escape_controls(text)
                            ),
                        );
                    }
                    Some(_) => {}
                    None => {
                        let squeezed: String =
                            text.chars().filter(|c| !c.is_whitespace()).collect();
                        let finding = self.error(
                            Rule::InvalidValue,
                            path,
                            node.at,
                            format!(
                                "`{}` is not a number or a percentage",
                                escape_controls(text)
                            ),
                        );
                        finding.help = Some(
                            "write a whole number of Pods (1) or a percentage of the replicas (25%)"
                                .to_string(),
                        );
                        finding.suggestion = match text.trim().parse::<u64>() {
                            Ok(number) => Some(number.to_string()),
                            Err(_) if squeezed != *text && is_percent(&squeezed) => Some(squeezed),
                            Err(_) => None,
                        };
                    }
                }
            }
            _ => {}
        }
    }

    /// scheduling validation ValidatePriorityClass: a name starting with `system-` is one of
    /// the two built-in classes with its own value (and not the global default); any other
    /// class has a value of at most 1,000,000,000; `preemptionPolicy` is PreemptLowerPriority
    /// or Never (core validation ValidatePreemptionPolicy). `value` itself is required by the
    /// schema.
    pub(super) fn priority_class(&mut self, root: &Node) {
        let name_node = root.at_path(&["metadata", "name"]);
        let name = name_node.and_then(str_of).unwrap_or_default();
        let value = root.get("value");
        let number = match value.map(|node| &node.value) {
            Some(Value::Int(number)) => Some(*number),
            _ => None,
        };
        if let Some(name_node) = name_node
            && name.starts_with("system-")
        {
            let global_default =
                root.get("globalDefault").map(|node| &node.value) == Some(&Value::Bool(true));
            let known = SYSTEM_PRIORITY_CLASSES
                .iter()
                .find(|(system, _)| *system == name);
            let problem = match known {
                None => Some(format!(
                    "`{}` is not a built-in class, and names starting with `system-` are reserved for those",
                    escape_controls(name)
                )),
                Some((_, fixed)) if number.is_some_and(|number| number != *fixed) => {
                    Some(format!("the built-in class `{name}` has the value {fixed}"))
                }
                Some(_) if global_default => Some(format!(
                    "the built-in class `{name}` cannot be the global default"
                )),
                Some(_) => None,
            };
            if let Some(problem) = problem {
                self.error(
                    Rule::InvalidName,
                    Path::root().key("metadata").key("name"),
                    name_node.at,
                    problem,
                )
                .help = Some(
                    "Kubernetes creates system-node-critical and system-cluster-critical itself; give your class a name without the `system-` prefix".to_string(),
                );
            }
        } else if let (Some(value), Some(number)) = (value, number)
            && number > HIGHEST_USER_PRIORITY
        {
            self.error(
                Rule::OutOfRange,
                Path::root().key("value"),
                value.at,
                format!("`value` is {number}; a PriorityClass you create has a value of at most 1000000000"),
            )
            .help = Some(
                "higher values are kept for the built-in system-cluster-critical and system-node-critical classes".to_string(),
            );
        }
        if let Some(policy) = root.get("preemptionPolicy") {
            self.one_of(
                policy,
                Path::root().key("preemptionPolicy"),
                &["PreemptLowerPriority", "Never"],
            );
        }
    }
}

/// The field a path ends in, or whose list item it ends in (`scopes` for `spec.scopes[1]`).
fn field_name(path: &Path) -> String {
    path.segments()
        .iter()
        .rev()
        .find_map(|segment| match segment {
            Segment::Key(key) => Some(key.clone()),
            Segment::Index(_) => None,
        })
        .unwrap_or_default()
}

/// IsValidPercent: `^[0-9]+%$`.
fn is_percent(text: &str) -> bool {
    text.strip_suffix('%')
        .is_some_and(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
}
