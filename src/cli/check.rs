//! `kubedrill check FILE... | -`: strict manifest check, per the CLI contract (design.md §4).

use std::io::{self, Read, Write};
use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::{Format, Lang, Outcome};
use crate::diagnostic::use_color;
use crate::manifest::{self, Version, diagnostic::render_text};
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

pub fn run(args: &CheckArgs, lang: Lang, out: &mut impl Write) -> io::Result<Outcome> {
    let version = args.version.unwrap_or_else(Version::pinned);
    let color = use_color(io::IsTerminal::is_terminal(&io::stdout()));
    let mut outcome = Outcome::Success;
    let mut files = Vec::new();
    for path in &args.files {
        let shown = path.to_string_lossy().into_owned();
        let text = match read_input(path) {
            Ok(text) => text,
            Err(error) => {
                outcome = Outcome::Error;
                let message = match lang {
                    Lang::En => format!(
                        "cannot read {}: {}",
                        escape_controls(&shown),
                        error_text(&error)
                    ),
                    Lang::Ko => format!(
                        "{}: 읽을 수 없습니다 ({})",
                        escape_controls(&shown),
                        error_text(&error)
                    ),
                };
                match args.format {
                    Format::Text => match lang {
                        Lang::En => writeln!(out, "error: {message}")?,
                        Lang::Ko => writeln!(out, "오류: {message}")?,
                    },
                    Format::Json => files.push(json!({ "path": shown, "valid": false, "error": message, "diagnostics": [] })),
                }
                continue;
            }
        };
        let report = manifest::check(&text, version);
        if !report.is_valid() && outcome == Outcome::Success {
            outcome = Outcome::Failure;
        }
        match args.format {
            Format::Json => files.push(json!({ "path": shown, "valid": report.is_valid(), "diagnostics": report.diagnostics })),
            Format::Text => {
                let display = if shown == "-" { "<stdin>".to_string() } else { shown.clone() };
                // Text is for a person: in their language (JSON stays English, for tools).
                let shown: Vec<_> = report.diagnostics.iter().cloned().map(|diagnostic| diagnostic.localized(lang)).collect();
                out.write_all(render_text(&shown, &display, &text, color, lang).as_bytes())?;
                let errors = report.diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).count();
                let documents = report.documents.len();
                let display = escape_controls(&display);
                match (errors, lang) {
                    (0, Lang::En) => writeln!(out, "{display}: valid ({} checked against Kubernetes {version})", crate::text::plural(documents, "document"))?,
                    (0, Lang::Ko) => writeln!(out, "{display}: 올바릅니다 (문서 {documents}개, Kubernetes {version} 기준)")?,
                    (_, Lang::En) => writeln!(out, "{display}: {}", crate::text::plural(errors, "error"))?,
                    (_, Lang::Ko) => writeln!(out, "{display}: 오류 {errors}개")?,
                }
            }
        }
    }
    if args.format == Format::Json {
        let document = json!({ "valid": outcome == Outcome::Success, "files": files });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&document).expect("JSON values serialize")
        )?;
    }
    Ok(outcome)
}

fn error_text(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}
