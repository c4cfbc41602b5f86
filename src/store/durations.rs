//! How long the learner's ratings take, per kind of item, from the review log: what the
//! exam-date plan turns reviews into minutes with.

use std::collections::BTreeMap;

use super::{Store, StoreError};

/// A rating's time counts at most this long (a card left open over lunch is not a 40-minute
/// review).
pub const LONGEST_COUNTED_MS: i64 = 20 * 60 * 1000;

impl Store {
    /// Per kind of item (`card`, `question`, `drill`, `exercise`): how many ratings have a time
    /// in the log, and their mean time in seconds (each counted up to [`LONGEST_COUNTED_MS`]).
    /// Undone ratings are left out.
    pub fn review_durations(&self) -> Result<BTreeMap<String, (usize, f64)>, StoreError> {
        self.read(|conn| {
            conn.prepare(
                "SELECT kind, count(*), avg(min(duration_ms, ?1))
                 FROM reviews
                 WHERE undone = 0 AND duration_ms IS NOT NULL AND duration_ms > 0
                 GROUP BY kind",
            )?
            .query_map([LONGEST_COUNTED_MS], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    (
                        row.get::<_, i64>(1)? as usize,
                        row.get::<_, f64>(2)? / 1000.0,
                    ),
                ))
            })?
            .collect()
        })
    }
}
