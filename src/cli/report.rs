//! `kubedrill report export` (a learner's progress for an instructor) and `kubedrill report
//! class` (a class's exports together). What an export may hold is decided in
//! `crate::report`; this reads and writes the files.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CliError, Context, Lang, Outcome};
use crate::report::{self, ExportRequest, class, render};

#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// Write your progress for your instructor: per item attempts, last rating, lapses,
    /// predicted recall and time spent; per exercise check how often it failed. Nothing else
    /// (no answers' text unless --with-answers); JSON, schema in docs/instructors.md.
    /// `--deck DECK` (a loaded deck's id, or a deck folder; more than once for several) limits
    /// it to those decks
    Export {
        /// Your name as your instructor knows you (never taken from the system)
        #[arg(long, required = true)]
        name: String,
        /// Write to this file instead of standard output
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Include the last answer you gave to each exercise and drill
        #[arg(long)]
        with_answers: bool,
    },
    /// Read a class's exports: the items and checks failed most, topics by predicted recall,
    /// learners at risk before the exam
    Class {
        /// The learners' exports
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: ClassFormat,
        /// Also write a self-contained HTML page (tables and charts, no scripts) to this file
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Project recall to this day (YYYY-MM-DD) [default: each learner's own exam date, else today]
        #[arg(long, value_name = "DATE")]
        exam_date: Option<String>,
        /// Rows in each ranking
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ClassFormat {
    #[default]
    Text,
    Json,
    Csv,
}

pub fn run(
    command: ReportCommand,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    match command {
        ReportCommand::Export {
            name,
            output,
            with_answers,
        } => export(&name, output.as_deref(), with_answers, context, out),
        ReportCommand::Class {
            files,
            format,
            html,
            exam_date,
            top,
        } => class_report(
            &files,
            format,
            html.as_deref(),
            exam_date.as_deref(),
            top,
            context,
            out,
        ),
    }
}

fn export(
    name: &str,
    output: Option<&Path>,
    with_answers: bool,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let lang = context.lang;
    if name.trim().is_empty() {
        return Err(CliError::Message(
            lang.pick(
                "--name cannot be empty: give the name your instructor knows you by",
                "--name은 비워 둘 수 없습니다. 강사가 아는 이름을 주세요",
            )
            .to_string(),
        ));
    }
    // `--deck` names the decks to report: an id of a loaded deck, or a folder (loaded too).
    let (folders, ids): (Vec<PathBuf>, Vec<PathBuf>) = context
        .decks
        .iter()
        .cloned()
        .partition(|deck| deck.is_dir());
    let mut loading = context.clone();
    loading.decks = folders.clone();
    let mut loaded = loading.load_library();
    let mut wanted: Vec<String> = ids
        .iter()
        .map(|id| id.to_string_lossy().into_owned())
        .collect();
    for id in &wanted {
        if !loaded
            .library
            .decks
            .iter()
            .any(|deck| deck.id.as_str() == id)
        {
            let ids: Vec<String> = loaded
                .library
                .decks
                .iter()
                .map(|deck| deck.id.to_string())
                .collect();
            return Err(CliError::Message(match lang {
                Lang::En => format!(
                    "--deck {id}: no loaded deck has that id and there is no such folder (loaded: {})",
                    ids.join(", ")
                ),
                Lang::Ko => format!(
                    "--deck {id}: 그런 id의 덱도, 그런 폴더도 없습니다 (불러온 덱: {})",
                    ids.join(", ")
                ),
            }));
        }
    }
    for deck in &loaded.library.decks {
        if let crate::model::DeckOrigin::Directory(path) = &deck.origin
            && folders
                .iter()
                .any(|folder| crate::content::install::same_folder(folder, path))
        {
            wanted.push(deck.id.to_string());
        }
    }
    if !context.decks.is_empty() {
        loaded
            .library
            .decks
            .retain(|deck| wanted.iter().any(|id| id == deck.id.as_str()));
    }
    let store = context.store()?;
    let settings = store.settings()?;
    let scheduler = crate::study::scheduler(&settings, &context.zone).map_err(CliError::said)?;
    let export = report::export(
        &loaded.library,
        &store,
        &scheduler,
        &ExportRequest {
            name: name.trim(),
            deck: None,
            with_answers,
            exam_date: settings.exam_date,
            now: context.now,
        },
    )?;
    store.say_notices();
    let json = serde_json::to_string_pretty(&export).map_err(CliError::said)? + "\n";
    match output {
        Some(path) => {
            std::fs::write(path, json).map_err(|error| CliError::write(path, error))?;
            writeln!(
                out,
                "{}",
                match lang {
                    Lang::En => format!(
                        "Wrote the progress of {} items to {} (name: {}{}).",
                        export.items.len(),
                        path.display(),
                        export.name,
                        if with_answers {
                            ", with your answers"
                        } else {
                            ""
                        }
                    ),
                    Lang::Ko => format!(
                        "항목 {}개의 진행 기록을 {}에 썼습니다(이름: {}{}).",
                        export.items.len(),
                        path.display(),
                        export.name,
                        if with_answers { ", 답안 포함" } else { "" }
                    ),
                }
            )?;
        }
        None => out.write_all(json.as_bytes())?,
    }
    Ok(Outcome::Success)
}

#[allow(clippy::too_many_arguments)]
fn class_report(
    files: &[PathBuf],
    format: ClassFormat,
    html: Option<&Path>,
    exam_date: Option<&str>,
    top: usize,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let exam_date = super::plan::exam_date_option(exam_date, lang)?;
    let mut exports = Vec::new();
    for file in files {
        let bytes = crate::bounded_read::regular_file(file, 64 * 1024 * 1024)
            .map_err(|error| CliError::Message(format!("{}: {error}", file.display())))?;
        let text = String::from_utf8_lossy(&bytes);
        let export = report::read(&text)
            .map_err(|error| CliError::Message(format!("{}: {error}", file.display())))?;
        exports.push(export);
    }
    let report = class::report(&exports, exam_date, context.now, top);
    if let Some(path) = html {
        std::fs::write(path, render::html(&report))
            .map_err(|error| CliError::write(path, error))?;
    }
    match format {
        ClassFormat::Text => out.write_all(render::text(&report).as_bytes())?,
        ClassFormat::Json => super::print_json(out, &report)?,
        ClassFormat::Csv => out.write_all(render::csv(&report).as_bytes())?,
    }
    Ok(Outcome::Success)
}
