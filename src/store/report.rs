//! What a progress report reads (`kubedrill report export`): per item, its reviews and graded
//! attempts summed up; never anything else of the database.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::{Store, StoreError, timestamp};
use crate::srs::Rating;

/// One item's reviews and graded attempts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemActivity {
    pub kind: String,
    /// Ratings saved (undone ones left out).
    pub reviews: u32,
    /// Of those, how many were Again.
    pub again: u32,
    pub last_rating: Option<Rating>,
    pub last_review: Option<Timestamp>,
    /// Time spent answering: the reviews' durations and the graded attempts' (milliseconds).
    pub time_ms: i64,
    /// Graded answers (exercises, drills, scenarios).
    pub graded: u32,
    /// How often each check failed, by check id, over the graded answers.
    pub failed_checks: BTreeMap<String, u32>,
    /// The last graded answer's text.
    pub last_answer: Option<String>,
}

impl Store {
    /// Every item with a review or a graded attempt, by (deck, item).
    pub fn activity(&self) -> Result<BTreeMap<(String, String), ItemActivity>, StoreError> {
        self.read(|conn| {
            let mut items: BTreeMap<(String, String), ItemActivity> = BTreeMap::new();
            let mut reviews = conn.prepare(
                "SELECT deck, item, kind, rating, reviewed_at, duration_ms FROM reviews
                 WHERE undone = 0 ORDER BY deck, item, reviewed_at, id",
            )?;
            let rows = reviews.query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, Option<i64>>(5)?,
                ))
            })?;
            for row in rows {
                let (deck, item, kind, rating, at, duration) = row?;
                let activity = items.entry((deck, item)).or_default();
                activity.kind = kind;
                activity.reviews += 1;
                let rating = Rating::from_number(rating);
                activity.again += u32::from(rating == Some(Rating::Again));
                activity.last_rating = rating;
                activity.last_review = Some(timestamp(at));
                activity.time_ms += duration.unwrap_or(0).max(0);
            }
            let mut attempts = conn.prepare(
                "SELECT deck, item, kind, summary, duration_ms, answer FROM attempts ORDER BY id",
            )?;
            let rows = attempts.query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<i64>>(4)?,
                    row.get::<_, String>(5)?,
                ))
            })?;
            for row in rows {
                let (deck, item, kind, summary, duration, answer) = row?;
                let activity = items.entry((deck, item)).or_default();
                if activity.kind.is_empty() {
                    activity.kind = kind;
                }
                activity.graded += 1;
                // A review's duration already counts the time of the answer that ended it;
                // attempts count only when no review was saved for the item.
                if activity.reviews == 0 {
                    activity.time_ms += duration.unwrap_or(0).max(0);
                }
                for check in failed_checks(&summary) {
                    *activity.failed_checks.entry(check).or_default() += 1;
                }
                activity.last_answer = Some(answer);
            }
            Ok(items)
        })
    }
}

/// The failed check ids of an attempt's summary (`{"failed":["check-1"],"errors":0}`); an
/// answer the checker refused (errors) counts as failing `manifest`.
fn failed_checks(summary: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Summary {
        #[serde(default)]
        failed: Vec<String>,
        #[serde(default)]
        errors: usize,
    }
    let Ok(summary) = serde_json::from_str::<Summary>(summary) else {
        return Vec::new();
    };
    let mut failed = summary.failed;
    if summary.errors > 0 && failed.is_empty() {
        failed.push("manifest".to_string());
    }
    failed
}
