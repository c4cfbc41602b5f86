//! `kubedrill explain pod.spec.containers.envFrom`: `kubectl explain`, offline, from the pinned API.

use std::io::Write;

use super::{CliError, Outcome};
use crate::manifest::schema;

pub fn run(
    field: &str,
    api_version: Option<&str>,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    // A path that names no field is a usage error, as an unknown id in `grade` or `deck remove`.
    let explanation = schema::explain_in(field, api_version).map_err(CliError::said)?;
    writeln!(out, "KIND:       {}", explanation.kind)?;
    writeln!(out, "VERSION:    {}", explanation.api_version)?;
    writeln!(out, "KUBERNETES: {}", crate::KUBERNETES_VERSION)?;
    writeln!(out)?;
    if explanation.path.is_empty() {
        writeln!(out, "RESOURCE: {}", explanation.kind)?;
    } else {
        writeln!(
            out,
            "FIELD: {} <{}>",
            explanation.path, explanation.type_name
        )?;
    }
    writeln!(out)?;
    writeln!(out, "DESCRIPTION:")?;
    for line in wrap(&explanation.description, 76) {
        writeln!(out, "    {line}")?;
    }
    if !explanation.fields.is_empty() {
        writeln!(out)?;
        writeln!(out, "FIELDS:")?;
        for field in &explanation.fields {
            let required = if field.required { " -required-" } else { "" };
            writeln!(out, "  {}\t<{}>{required}", field.name, field.type_name)?;
            for line in wrap(&field.summary, 72) {
                writeln!(out, "    {line}")?;
            }
            writeln!(out)?;
        }
    }
    Ok(Outcome::Success)
}

/// Greedy word wrap that keeps paragraph breaks.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}
