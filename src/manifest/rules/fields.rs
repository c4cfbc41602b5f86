//! Small checks many subjects share, each with one message the learner sees the same way
//! everywhere: a value out of an enum (with a did-you-mean, case mistakes included), a count
//! that cannot be negative, a number that must be positive or within a range. Values of the
//! wrong type were already reported by the schema check and are skipped here.

use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Value};
use crate::text::did_you_mean;

/// An integer as written, if it is one.
pub(super) fn int(node: &Node) -> Option<i64> {
    match node.value {
        Value::Int(number) => Some(number),
        _ => None,
    }
}

/// `parent.field` as an integer.
pub(super) fn int_field(parent: &Node, field: &str) -> Option<i64> {
    parent.get(field).and_then(int)
}

/// Whether `parent.field` is present and not null.
pub(super) fn has(parent: &Node, field: &str) -> bool {
    parent.get(field).is_some_and(|node| !node.is_null())
}

/// "A, B or C".
pub(super) fn either(values: &[&str]) -> String {
    match values {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

impl Rules {
    /// `parent.field`, when it is a string, is one of `allowed`; returns the value when it is.
    /// Every enum of the API server is case-sensitive, so `always` gets "did you mean `Always`".
    pub(super) fn enum_field<'n>(
        &mut self,
        parent: &'n Node,
        field: &str,
        path: &Path,
        allowed: &[&str],
    ) -> Option<&'n str> {
        let node = parent.get(field)?;
        let text = str_of(node)?;
        if allowed.contains(&text) {
            return Some(text);
        }
        let finding = self.error(
            Rule::InvalidValue,
            path.key(field),
            node.at,
            format!(
                "`{}` is not a valid `{field}`",
                crate::text::escape_controls(text)
            ),
        );
        finding.suggestion = did_you_mean(text, allowed.iter().copied())
            .or_else(|| {
                allowed
                    .iter()
                    .copied()
                    .find(|candidate| candidate.eq_ignore_ascii_case(text))
            })
            .map(str::to_string);
        finding.help = Some(format!("allowed values: {}", allowed.join(", ")));
        None
    }

    /// Like [`Rules::enum_field`] for a field the server defaults when it is empty: `""` is
    /// taken as the default and accepted.
    pub(super) fn defaulted_enum<'n>(
        &mut self,
        parent: &'n Node,
        field: &str,
        path: &Path,
        allowed: &[&str],
    ) -> Option<&'n str> {
        if parent.get(field).and_then(str_of) == Some("") {
            return None;
        }
        self.enum_field(parent, field, path, allowed)
    }

    /// `parent.field` is not negative (apimachinery ValidateNonnegativeField).
    pub(super) fn non_negative(&mut self, parent: &Node, field: &str, path: &Path) {
        if let Some(node) = parent.get(field)
            && let Some(number) = int(node)
            && number < 0
        {
            self.error(
                Rule::OutOfRange,
                path.key(field),
                node.at,
                format!("`{field}` cannot be negative"),
            );
        }
    }

    /// `parent.field` is greater than 0 when set.
    pub(super) fn positive(&mut self, parent: &Node, field: &str, path: &Path) {
        if let Some(node) = parent.get(field)
            && let Some(number) = int(node)
            && number <= 0
        {
            self.error(
                Rule::OutOfRange,
                path.key(field),
                node.at,
                format!("`{field}` must be greater than 0, not {number}"),
            );
        }
    }

    /// `parent.field` is within `low..=high` when set.
    pub(super) fn in_range(
        &mut self,
        parent: &Node,
        field: &str,
        path: &Path,
        low: i64,
        high: i64,
    ) {
        if let Some(node) = parent.get(field)
            && let Some(number) = int(node)
            && !(low..=high).contains(&number)
        {
            self.error(
                Rule::OutOfRange,
                path.key(field),
                node.at,
                format!("`{field}` must be between {low} and {high}, not {number}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::either;

    #[test]
    fn lists_read_as_a_sentence() {
        assert_eq!(either(&["A"]), "A");
        assert_eq!(either(&["A", "B"]), "A or B");
        assert_eq!(either(&["A", "B", "C"]), "A, B or C");
    }
}
