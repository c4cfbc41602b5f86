//! Paths into a manifest as diagnostics print them: `spec.containers[0].envFrom[0].configMapRef.name`.
//! A key that holds a dot or a bracket (`app.kubernetes.io/name`) is written `["…"]`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Path(Vec<Segment>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

impl Path {
    pub fn root() -> Path {
        Path::default()
    }

    pub fn key(&self, key: &str) -> Path {
        let mut path = self.clone();
        path.0.push(Segment::Key(key.to_string()));
        path
    }

    pub fn index(&self, index: usize) -> Path {
        let mut path = self.clone();
        path.0.push(Segment::Index(index));
        path
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// The last key of the path, if it ends in one.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Key(key)) => Some(key),
            _ => None,
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) if needs_brackets(key) => write!(f, "[{key:?}]")?,
                Segment::Key(key) if position == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
            }
        }
        Ok(())
    }
}

/// Keys that would be ambiguous or unsafe after a dot: anything beyond letters, digits, `-`,
/// `_` and `/` (label keys such as `app.kubernetes.io/name`, keys with spaces or control
/// characters, which the brackets' quoting escapes).
fn needs_brackets(key: &str) -> bool {
    key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_with_dots_and_indices() {
        let path = Path::root()
            .key("spec")
            .key("containers")
            .index(0)
            .key("envFrom")
            .index(0)
            .key("configMapRef")
            .key("nmae");
        assert_eq!(
            path.to_string(),
            "spec.containers[0].envFrom[0].configMapRef.nmae"
        );
        assert_eq!(
            Path::root()
                .key("metadata")
                .key("labels")
                .key("app.kubernetes.io/name")
                .to_string(),
            "metadata.labels[\"app.kubernetes.io/name\"]"
        );
        assert_eq!(Path::root().to_string(), "");
    }
}
