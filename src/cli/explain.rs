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
    write!(out, "{}", explanation.render())?;
    Ok(Outcome::Success)
}
