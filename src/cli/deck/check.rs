//! `kubedrill deck check PATH…`: every problem of each deck folder with file:line:column, each
//! exercise proved with the grader (`content::check_folders`).

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use super::{CountsJson, display_path, write_problems};
use crate::cli::{CliError, Format, Outcome, say};
use crate::content::{self, DeckReport};
use crate::diagnostic::{Problem, use_color};

/// `deck check --format json`.
#[derive(Debug, Serialize)]
struct CheckJson {
    valid: bool,
    decks: Vec<DeckJson>,
}

/// One folder: checked, or why it could not be read.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum DeckJson {
    Unreadable {
        path: String,
        valid: bool,
        error: String,
    },
    Checked {
        path: String,
        id: Option<String>,
        valid: bool,
        errors: usize,
        warnings: usize,
        counts: Option<CountsJson>,
        problems: Vec<Problem>,
    },
}

impl DeckJson {
    fn checked(path: String, report: DeckReport) -> DeckJson {
        DeckJson::Checked {
            path,
            id: report.deck.as_ref().map(|deck| deck.id.to_string()),
            valid: report.error_count() == 0,
            errors: report.error_count(),
            warnings: report.warning_count(),
            counts: report.deck.as_ref().map(CountsJson::of),
            problems: report.problems,
        }
    }
}

pub(super) fn run(
    paths: &[PathBuf],
    format: Format,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let color = use_color(io::IsTerminal::is_terminal(&io::stdout()));
    let mut outcome = Outcome::Success;
    let mut decks = Vec::new();
    let folders: Vec<(PathBuf, String)> = paths
        .iter()
        .map(|path| {
            let shown = crate::text::escape_controls(&display_path(path)).into_owned();
            (path.clone(), shown)
        })
        .collect();
    for (path, checked) in paths.iter().zip(content::check_folders(&folders)) {
        let shown = display_path(path);
        match checked {
            // One folder that cannot be read does not stop the others being checked.
            Err(error) => {
                outcome = Outcome::Error;
                match format {
                    Format::Text => say(&format!("cannot read deck {error}")),
                    Format::Json => decks.push(DeckJson::Unreadable {
                        path: shown,
                        valid: false,
                        error: error.to_string(),
                    }),
                }
            }
            Ok(report) => {
                if report.error_count() > 0 && outcome == Outcome::Success {
                    outcome = Outcome::Failure;
                }
                match format {
                    Format::Text => write_problems(out, &report, &shown, color)?,
                    Format::Json => decks.push(DeckJson::checked(shown, report)),
                }
            }
        }
    }
    if format == Format::Json {
        let document = CheckJson {
            valid: outcome == Outcome::Success,
            decks,
        };
        crate::cli::print_json(out, &document)?;
    }
    Ok(outcome)
}
