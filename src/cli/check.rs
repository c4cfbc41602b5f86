//! `kubedrill check FILE... | -`: strict manifest check, per the CLI contract (design.md §4).

use std::io::{self, Read, Write};
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::{CliError, Format, Lang, Outcome, say};
use crate::diagnostic::use_color;
use crate::manifest::{self, Diagnostic, Version, diagnostic::render_text};
use crate::text::escape_controls;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Manifest files (YAML or JSON, several documents each); `-` reads standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Check against the API server rules of this Kubernetes version [default: the pinned one]
    #[arg(long = "k8s-version", value_name = "V", value_parser = parse_version)]
    pub version: Option<Version>,
    /// A custom resource kubedrill has no schema for is an error, not a warning
    #[arg(long = "strict-kinds")]
    pub strict_kinds: bool,
}

fn parse_version(text: &str) -> Result<Version, String> {
    text.parse()
}

/// A file's text, or why it could not be read (an I/O problem is exit 2, not a finding).
pub(crate) fn read_input(path: &std::path::Path) -> io::Result<String> {
    let limit = manifest::yaml::MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        io::stdin().lock().take(limit).read_to_end(&mut bytes)?;
    } else {
        // Regular files only, never blocking: a FIFO or a device named here would hang the
        // read or never end it. Standard input (`-`) is where piped text goes.
        bytes = crate::bounded_read::regular_file(path, limit).map_err(|error| match error {
            crate::bounded_read::ReadError::Io(error) => error,
            crate::bounded_read::ReadError::NotRegular(what) => io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{what}, not a regular file (to check piped text, pipe it into `kubedrill check -`)"),
            ),
            crate::bounded_read::ReadError::TooLarge { .. } => io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "larger than {} bytes (1 MiB), the most kubedrill checks at a time",
                    manifest::yaml::MAX_INPUT_BYTES
                ),
            ),
        })?;
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not UTF-8 text (invalid byte at offset {valid})"),
        )
    })
}

/// `check --format json` (design.md §4): one object for every file given.
#[derive(Debug, Serialize)]
struct CheckJson {
    valid: bool,
    files: Vec<FileJson>,
}

/// One file's verdict; `error` when it could not be read (then it has no diagnostics).
#[derive(Debug, Serialize)]
struct FileJson {
    path: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    diagnostics: Vec<Diagnostic>,
}

pub fn run(args: &CheckArgs, lang: Lang, out: &mut impl Write) -> Result<Outcome, CliError> {
    let version = args.version.unwrap_or_else(Version::pinned);
    let color = use_color(io::IsTerminal::is_terminal(&io::stdout()));
    let mut outcome = Outcome::Success;
    let mut files = Vec::new();
    for path in &args.files {
        let shown = path.to_string_lossy().into_owned();
        let text = match read_input(path) {
            Ok(text) => text,
            // One file that cannot be read does not stop the others being checked.
            Err(error) => {
                outcome = Outcome::Error;
                let error = CliError::read(path, error);
                match args.format {
                    Format::Text => say(&error.message(lang)),
                    // JSON stays English, for tools.
                    Format::Json => files.push(FileJson {
                        path: shown,
                        valid: false,
                        error: Some(error.message(Lang::En)),
                        diagnostics: Vec::new(),
                    }),
                }
                continue;
            }
        };
        let report = manifest::check_with(
            &text,
            manifest::Options {
                version,
                strict_kinds: args.strict_kinds,
            },
        );
        if !report.is_valid() && outcome == Outcome::Success {
            outcome = Outcome::Failure;
        }
        match args.format {
            Format::Json => files.push(FileJson {
                path: shown,
                valid: report.is_valid(),
                error: None,
                diagnostics: report.diagnostics,
            }),
            Format::Text => {
                let display = if shown == "-" {
                    "<stdin>".to_string()
                } else {
                    shown.clone()
                };
                // Text is for a person: in their language (JSON stays English, for tools).
                let shown: Vec<_> = report
                    .diagnostics
                    .iter()
                    .cloned()
                    .map(|diagnostic| diagnostic.localized(lang))
                    .collect();
                out.write_all(render_text(&shown, &display, &text, color, lang).as_bytes())?;
                let errors = report
                    .diagnostics
                    .iter()
                    .filter(|diagnostic| diagnostic.is_error())
                    .count();
                let documents = report.documents.len();
                let display = escape_controls(&display);
                match (errors, lang) {
                    (0, Lang::En) => writeln!(
                        out,
                        "{display}: valid ({} checked against Kubernetes {version})",
                        crate::text::plural(documents, "document")
                    )?,
                    (0, Lang::Ko) => writeln!(
                        out,
                        "{display}: 올바릅니다 (문서 {documents}개, Kubernetes {version} 기준)"
                    )?,
                    (_, Lang::En) => {
                        writeln!(out, "{display}: {}", crate::text::plural(errors, "error"))?
                    }
                    (_, Lang::Ko) => writeln!(out, "{display}: 오류 {errors}개")?,
                }
            }
        }
    }
    if args.format == Format::Json {
        let document = CheckJson {
            valid: outcome == Outcome::Success,
            files,
        };
        super::print_json(out, &document)?;
    }
    Ok(outcome)
}
