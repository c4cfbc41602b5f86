//! `kubedrill deck list` (the decks studied from) and `kubedrill deck orphans` (progress kept
//! for items no loaded deck has).

use std::io::Write;

use serde::Serialize;

use super::{CountsJson, describe_counts};
use crate::cli::{CliError, Context, Format, Lang, Outcome};
use crate::content::LoadProblem;
use crate::content::git::Origin;
use crate::model::Language;
use crate::text::escape_controls;

/// `deck list --format json`.
#[derive(Debug, Serialize)]
struct ListJson<'a> {
    decks: Vec<DeckJson<'a>>,
    problems: Vec<ProblemJson>,
}

#[derive(Debug, Serialize)]
struct DeckJson<'a> {
    id: String,
    title: &'a str,
    origin: String,
    languages: &'a [Language],
    kubernetes: &'a Option<String>,
    counts: CountsJson,
    /// Where a deck added from git came from (URL, ref, commit).
    #[serde(skip_serializing_if = "Option::is_none")]
    git: Option<Origin>,
}

/// The git origin recorded for an installed deck, if it was added from git.
fn git_origin(deck: &crate::model::Deck) -> Option<Origin> {
    match &deck.origin {
        crate::model::DeckOrigin::Directory(folder) => Origin::of_installed(folder),
        crate::model::DeckOrigin::BuiltIn => None,
    }
}

/// A deck loaded with errors, or a folder that could not be read.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum ProblemJson {
    Errors { origin: String, errors: usize },
    Unreadable { error: String },
}

/// `deck orphans --format json`.
#[derive(Debug, Serialize)]
struct OrphansJson<'a> {
    orphans: Vec<OrphanJson<'a>>,
}

#[derive(Debug, Serialize)]
struct OrphanJson<'a> {
    deck: &'a str,
    item: &'a str,
    kind: &'a str,
    reviews: u32,
    last_review: Option<String>,
}

pub(super) fn list(
    context: &Context,
    format: Format,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let loaded = context.load_library();
    let lang = context.lang.tag();
    match format {
        Format::Json => {
            let decks = loaded
                .library
                .decks
                .iter()
                .map(|deck| DeckJson {
                    id: deck.id.to_string(),
                    title: deck.title.get(lang),
                    origin: deck.origin.to_string(),
                    languages: &deck.languages,
                    kubernetes: &deck.kubernetes,
                    counts: CountsJson::of(deck),
                    git: git_origin(deck),
                })
                .collect();
            let problems = loaded
                .problems()
                .iter()
                .map(|problem| match problem {
                    LoadProblem::BuiltInBroken { origin, errors }
                    | LoadProblem::DuplicateDeck { origin, errors, .. }
                    | LoadProblem::Broken { origin, errors } => ProblemJson::Errors {
                        origin: origin.clone(),
                        errors: *errors,
                    },
                    LoadProblem::Unreadable(error) => ProblemJson::Unreadable {
                        error: error.to_string(),
                    },
                })
                .collect();
            crate::cli::print_json(out, &ListJson { decks, problems })?;
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
                if let Some(origin) = git_origin(deck) {
                    writeln!(
                        out,
                        "    {}",
                        super::install::describe_origin(&origin, context.lang)
                    )?;
                }
            }
            crate::cli::home::write_problem_summary(&loaded, context.lang, out)?;
        }
    }
    Ok(Outcome::Success)
}

pub(super) fn orphans(
    context: &Context,
    format: Format,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let loaded = context.load_library();
    let store = context.store()?;
    let orphans = store.orphans(&crate::study::known_items(&loaded.library))?;
    match format {
        Format::Json => {
            let orphans = orphans
                .iter()
                .map(|orphan| OrphanJson {
                    deck: &orphan.deck,
                    item: &orphan.item,
                    kind: &orphan.kind,
                    reviews: orphan.reps,
                    last_review: orphan.last_review.map(|at| at.to_string()),
                })
                .collect();
            crate::cli::print_json(out, &OrphansJson { orphans })?;
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
                    "  {}/{}  ({}, {}, {})",
                    escape_controls(&orphan.deck),
                    escape_controls(&orphan.item),
                    escape_controls(&orphan.kind),
                    match lang {
                        Lang::En => crate::text::plural(orphan.reps as usize, "review"),
                        Lang::Ko => format!("{}회 복습", orphan.reps),
                    },
                    last
                )?;
            }
        }
    }
    Ok(Outcome::Success)
}
