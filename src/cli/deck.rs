//! `kubedrill deck check|list`: the instructor's and the learner's view of decks.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;

use super::{Context, Format, Outcome};
use crate::content::{self, DeckReport};
use crate::diagnostic::{render_text, use_color};
use crate::model::{Deck, ItemCounts};
use crate::text::escape_controls;

#[derive(Debug, Subcommand)]
pub enum DeckCommand {
    /// Check deck folders and report every problem with file:line:column
    ///
    /// Exits 0 when every deck is clean (warnings allowed), 1 when any has an error,
    /// 2 when a folder cannot be read.
    Check {
        /// Deck folders (each holds a deck.toml)
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// List the decks kubedrill studies from: built-in, installed, and --deck folders
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// List progress kept for items no loaded deck has any more (renamed or removed ids)
    Orphans {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

pub fn run(command: DeckCommand, context: &Context, out: &mut impl Write) -> io::Result<Outcome> {
    match command {
        DeckCommand::Check { paths, format } => check(&paths, format, out),
        DeckCommand::List { format } => list(context, format, out),
        DeckCommand::Orphans { format } => orphans(context, format, out),
    }
}

fn check(paths: &[PathBuf], format: Format, out: &mut impl Write) -> io::Result<Outcome> {
    let color = use_color(io::IsTerminal::is_terminal(&io::stdout()));
    let mut outcome = Outcome::Success;
    let mut json_decks = Vec::new();
    for path in paths {
        let shown = display_path(path);
        match content::check_dir(path) {
            Err(error) => {
                outcome = Outcome::Error;
                match format {
                    Format::Text => writeln!(
                        out,
                        "error: cannot read deck {}\n",
                        escape_controls(&error.to_string())
                    )?,
                    Format::Json => json_decks
                        .push(json!({ "path": shown, "valid": false, "error": error.to_string() })),
                }
            }
            Ok(mut report) => {
                // Content is code: prove every exercise with the grader itself.
                if let Some(deck) = &report.deck {
                    report.problems.extend(crate::grade::prove::prove(
                        deck,
                        crate::manifest::Version::pinned(),
                    ));
                    report.problems.sort_by(|a, b| {
                        (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
                    });
                }
                if report.error_count() > 0 && outcome == Outcome::Success {
                    outcome = Outcome::Failure;
                }
                match format {
                    Format::Text => {
                        let source = &report.source;
                        out.write_all(
                            render_text(&report.problems, &shown, |file| source.text(file), color)
                                .as_bytes(),
                        )?;
                        writeln!(out, "{}", summary_line(&shown, &report))?;
                    }
                    Format::Json => json_decks.push(report_json(&shown, &report)),
                }
            }
        }
    }
    if format == Format::Json {
        let document = json!({ "valid": outcome == Outcome::Success, "decks": json_decks });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&document).expect("JSON values serialize")
        )?;
    }
    Ok(outcome)
}

/// A path as the user wrote it, without a trailing slash (`content/` → `content`).
fn display_path(path: &std::path::Path) -> String {
    let shown = path.to_string_lossy();
    let trimmed = shown.trim_end_matches('/');
    if trimmed.is_empty() {
        shown.into_owned()
    } else {
        trimmed.to_string()
    }
}

fn summary_line(shown: &str, report: &DeckReport) -> String {
    let shown = escape_controls(shown);
    let (errors, warnings) = (report.error_count(), report.warning_count());
    let problems = match (errors, warnings) {
        (0, 0) => String::new(),
        (0, w) => format!(" ({})", plural(w, "warning")),
        (e, 0) => format!(": {}", plural(e, "error")),
        (e, w) => format!(": {}, {}", plural(e, "error"), plural(w, "warning")),
    };
    match (&report.deck, errors) {
        (Some(deck), 0) => format!(
            "{shown}: deck `{}` is valid: {}{problems}",
            deck.id,
            describe_counts(deck)
        ),
        _ => format!("{shown}{problems}"),
    }
}

fn describe_counts(deck: &Deck) -> String {
    let counts: ItemCounts = deck.counts();
    format!(
        "{}, {}, {}, {}, {}",
        plural(deck.topics.len(), "topic"),
        plural(counts.cards, "card"),
        plural(counts.questions, "question"),
        plural(counts.drills, "drill"),
        plural(counts.exercises, "exercise"),
    )
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn report_json(shown: &str, report: &DeckReport) -> serde_json::Value {
    json!({
        "path": shown,
        "id": report.deck.as_ref().map(|deck| deck.id.to_string()),
        "valid": report.error_count() == 0,
        "errors": report.error_count(),
        "warnings": report.warning_count(),
        "counts": report.deck.as_ref().map(counts_json),
        "problems": report.problems,
    })
}

fn counts_json(deck: &Deck) -> serde_json::Value {
    let counts = deck.counts();
    json!({
        "topics": deck.topics.len(),
        "cards": counts.cards,
        "questions": counts.questions,
        "drills": counts.drills,
        "exercises": counts.exercises,
    })
}

fn list(context: &Context, format: Format, out: &mut impl Write) -> io::Result<Outcome> {
    let loaded = content::load_library(context.installed_decks().as_deref(), &context.decks);
    let lang = context.lang.tag();
    match format {
        Format::Json => {
            let decks: Vec<_> = loaded
                .library
                .decks
                .iter()
                .map(|deck| {
                    json!({
                        "id": deck.id.to_string(),
                        "title": deck.title.get(lang),
                        "origin": deck.origin.to_string(),
                        "languages": deck.languages,
                        "kubernetes": deck.kubernetes,
                        "counts": counts_json(deck),
                    })
                })
                .collect();
            let broken: Vec<_> = loaded
                .reports
                .iter()
                .filter(|report| report.error_count() > 0)
                .map(|report| json!({ "origin": report.source.origin.to_string(), "errors": report.error_count() }))
                .chain(loaded.unreadable.iter().map(|error| json!({ "error": error.to_string() })))
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json!({ "decks": decks, "problems": broken }))
                    .expect("JSON values serialize")
            )?;
        }
        Format::Text => {
            for deck in &loaded.library.decks {
                writeln!(
                    out,
                    "{}  {}  ({})",
                    deck.id,
                    escape_controls(deck.title.get(lang)),
                    escape_controls(&deck.origin.to_string())
                )?;
                writeln!(out, "    {}", describe_counts(deck))?;
            }
            super::home::write_problem_summary(&loaded, context.lang, out)?;
        }
    }
    Ok(Outcome::Success)
}

fn orphans(context: &Context, format: Format, out: &mut impl Write) -> io::Result<Outcome> {
    let lang = context.lang;
    let loaded = content::load_library(context.installed_decks().as_deref(), &context.decks);
    let Some(store) = context.open_store() else {
        return Ok(Outcome::Error);
    };
    let mut known: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for deck in &loaded.library.decks {
        let items = known.entry(deck.id.to_string()).or_default();
        for entry in crate::study::entries(deck) {
            items.insert(entry.key());
        }
    }
    let orphans = match store.orphans(&known) {
        Ok(orphans) => orphans,
        Err(error) => {
            eprintln!("kubedrill: {}", escape_controls(&error.to_string()));
            return Ok(Outcome::Error);
        }
    };
    match format {
        Format::Json => {
            let items: Vec<_> = orphans
                .iter()
                .map(|orphan| {
                    json!({
                        "deck": orphan.deck,
                        "item": orphan.item,
                        "kind": orphan.kind,
                        "reviews": orphan.reps,
                        "last_review": orphan.last_review.map(|at| at.to_string()),
                    })
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json!({ "orphans": items }))
                    .expect("JSON values serialize")
            )?;
        }
        Format::Text if orphans.is_empty() => writeln!(
            out,
            "{}",
            lang.pick(
                "No orphaned progress: every item with progress is in a loaded deck.",
                "고아 진행 기록이 없습니다. 진행 기록이 있는 항목은 모두 불러온 덱에 있습니다."
            )
        )?,
        Format::Text => {
            writeln!(
                out,
                "{}",
                lang.pick(
                    "Progress kept for items no loaded deck has (an id was renamed or removed, or the deck is not loaded). It is kept, not deleted:",
                    "불러온 덱에 없는 항목의 진행 기록입니다(id가 바뀌었거나 삭제되었거나 덱을 불러오지 않음). 삭제하지 않고 보관합니다:",
                )
            )?;
            for orphan in &orphans {
                let last = orphan.last_review.map_or_else(String::new, |at| {
                    at.to_zoned(context.zone.clone()).date().to_string()
                });
                writeln!(
                    out,
                    "  {}/{}  ({}, {} {}, {})",
                    escape_controls(&orphan.deck),
                    escape_controls(&orphan.item),
                    escape_controls(&orphan.kind),
                    orphan.reps,
                    lang.pick("reviews", "회 복습"),
                    last
                )?;
            }
        }
    }
    Ok(Outcome::Success)
}
