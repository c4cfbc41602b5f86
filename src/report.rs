//! Progress reports for instructors: what a learner may hand in (`report export`), and what a
//! class's reports say together (`report class`).
//!
//! An export holds, per item of the learner's decks that they studied: reviews, Again ratings,
//! the last rating, lapses, predicted recall, memory stability, time spent and graded answers;
//! per exercise check, how often it failed; and nothing else: no answers' text unless asked
//! (`--with-answers`), no settings, no paths, and the name the learner types. The JSON's shape
//! is [`SCHEMA`] version [`VERSION`], documented in docs/instructors.md.

pub mod class;
pub mod render;

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::{Deck, Library};
use crate::srs::{Rating, Scheduler};
use crate::store::{Store, StoreError};

/// The `schema` field of an export.
pub const SCHEMA: &str = "kubedrill-progress-report";
/// The version of the export's shape this build writes and reads.
pub const VERSION: u32 = 1;

/// One learner's export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub schema: String,
    pub version: u32,
    /// As the learner typed it (`--name`); never taken from the system.
    pub name: String,
    pub exported_at: Timestamp,
    /// The learner's exam date, when set.
    pub exam_date: Option<Date>,
    /// How recall fades with time for this learner (FSRS): recall after `t` days with
    /// stability `s` is `(1 + factor · t / s) ^ decay`.
    pub decay: f64,
    pub factor: f64,
    pub decks: Vec<DeckInfo>,
    pub items: Vec<ItemReport>,
    pub checks: Vec<CheckReport>,
    /// The last graded answer of each exercise and drill: only with `--with-answers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<Vec<AnswerReport>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeckInfo {
    pub id: String,
    pub version: Option<String>,
    /// The git commit it was installed from, for a deck added from git.
    pub commit: Option<String>,
    pub topics: Vec<TopicInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicInfo {
    pub id: String,
    /// The English title.
    pub title: String,
    /// How many items it has.
    pub items: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemReport {
    pub deck: String,
    /// `TOPIC/ITEM`.
    pub item: String,
    pub kind: String,
    /// Ratings saved.
    pub attempts: u32,
    /// Of those, Again.
    pub again: u32,
    /// `again`, `hard`, `good` or `easy`.
    pub last_rating: Option<String>,
    pub lapses: u32,
    /// The probability of recalling it at `exported_at` (FSRS); `None` before its first review.
    pub predicted_recall: Option<f64>,
    pub stability_days: Option<f64>,
    pub last_review: Option<Timestamp>,
    pub time_spent_seconds: f64,
    /// Graded answers (exercises, drills, scenarios).
    pub graded_answers: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    pub deck: String,
    pub item: String,
    pub check: String,
    /// Graded answers of the item.
    pub answers: u32,
    /// Of those, how many failed this check.
    pub failed: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerReport {
    pub deck: String,
    pub item: String,
    pub answer: String,
}

fn rating_name(rating: Rating) -> &'static str {
    match rating {
        Rating::Again => "again",
        Rating::Hard => "hard",
        Rating::Good => "good",
        Rating::Easy => "easy",
    }
}

/// What to export.
#[derive(Debug)]
pub struct ExportRequest<'a> {
    pub name: &'a str,
    /// Only this deck (by id); every loaded deck when `None`.
    pub deck: Option<&'a str>,
    pub with_answers: bool,
    pub exam_date: Option<Date>,
    pub now: Timestamp,
}

/// The export of the learner whose progress `store` holds, over the decks of `library`.
pub fn export(
    library: &Library,
    store: &Store,
    scheduler: &Scheduler,
    request: &ExportRequest<'_>,
) -> Result<Export, StoreError> {
    let activity = store.activity()?;
    let decks: Vec<&Deck> = library
        .decks
        .iter()
        .filter(|deck| request.deck.is_none_or(|id| deck.id.as_str() == id))
        .collect();
    let mut export = Export {
        schema: SCHEMA.to_string(),
        version: VERSION,
        name: request.name.to_string(),
        exported_at: request.now,
        exam_date: request.exam_date,
        decay: scheduler.decay(),
        factor: scheduler.factor(),
        decks: Vec::new(),
        items: Vec::new(),
        checks: Vec::new(),
        answers: request.with_answers.then(Vec::new),
    };
    for deck in decks {
        let states = store.states(deck.id.as_str())?;
        export.decks.push(DeckInfo {
            id: deck.id.to_string(),
            version: deck.version.clone(),
            commit: match &deck.origin {
                crate::model::DeckOrigin::Directory(folder) => {
                    crate::content::git::Origin::of_installed(folder).map(|origin| origin.commit)
                }
                crate::model::DeckOrigin::BuiltIn => None,
            },
            topics: deck
                .topics
                .iter()
                .map(|topic| TopicInfo {
                    id: topic.id.to_string(),
                    title: topic.title.get("en").to_string(),
                    items: topic.counts().total(),
                })
                .collect(),
        });
        let known = crate::study::known_items(&Library {
            decks: vec![deck.clone()],
        });
        let known = known.get(deck.id.as_str());
        let mut by_item: BTreeMap<&str, ItemReport> = BTreeMap::new();
        for ((deck_id, item), done) in &activity {
            if deck_id != deck.id.as_str() || !known.is_some_and(|known| known.contains(item)) {
                continue;
            }
            let state = states.get(item);
            let report = ItemReport {
                deck: deck_id.clone(),
                item: item.clone(),
                kind: done.kind.clone(),
                attempts: done.reviews,
                again: done.again,
                last_rating: done
                    .last_rating
                    .map(|rating| rating_name(rating).to_string()),
                lapses: state.map_or(0, |state| state.lapses),
                predicted_recall: state
                    .filter(|state| state.memory.is_some())
                    .map(|state| round(scheduler.retrievability(state, request.now))),
                stability_days: state
                    .and_then(|state| state.memory)
                    .map(|memory| round(memory.stability)),
                last_review: done.last_review,
                time_spent_seconds: done.time_ms as f64 / 1000.0,
                graded_answers: done.graded,
            };
            for (check, failed) in &done.failed_checks {
                export.checks.push(CheckReport {
                    deck: deck_id.clone(),
                    item: item.clone(),
                    check: check.clone(),
                    answers: done.graded,
                    failed: *failed,
                });
            }
            if let (Some(answers), Some(answer)) = (&mut export.answers, &done.last_answer) {
                answers.push(AnswerReport {
                    deck: deck_id.clone(),
                    item: item.clone(),
                    answer: answer.clone(),
                });
            }
            by_item.insert(item, report);
        }
        export.items.extend(by_item.into_values());
    }
    Ok(export)
}

/// A share or a number of days kept to four decimals in a report.
fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// Why an export cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not a kubedrill progress report: {0}")]
    Json(#[from] serde_json::Error),
    #[error(
        "a progress report of another kind or version ({schema} {version}); this kubedrill reads {SCHEMA} {VERSION}"
    )]
    Version { schema: String, version: u32 },
}

/// Reads an export, refusing another schema or version.
pub fn read(text: &str) -> Result<Export, ReadError> {
    #[derive(Deserialize)]
    struct Head {
        schema: String,
        version: u32,
    }
    let head: Head = serde_json::from_str(text)?;
    if head.schema != SCHEMA || head.version != VERSION {
        return Err(ReadError::Version {
            schema: head.schema,
            version: head.version,
        });
    }
    Ok(serde_json::from_str(text)?)
}

#[cfg(test)]
mod tests;
