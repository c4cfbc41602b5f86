//! Item states, the review log and exercise attempts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{Store, StoreError, millis, timestamp};
use crate::srs::{ItemState, Memory, Phase, Rating};

/// One rating to save, without the item's states: the store reads the state the rating
/// applies to inside the write (see [`Store::record_rating`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RatingRecord<'a> {
    pub deck: &'a str,
    /// `TOPIC/ITEM`.
    pub item: &'a str,
    /// `card`, `question`, `drill` or `exercise`.
    pub kind: &'a str,
    pub rating: Rating,
    pub at: Timestamp,
    pub duration_ms: Option<i64>,
    /// The grade score (0..1) of the exercise or drill behind the rating.
    pub score: Option<f64>,
}

/// A rating as saved: the review's id and the item's state before and after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub id: i64,
    pub before: ItemState,
    pub after: ItemState,
}

/// A review with the item's states before and after it, as the log keeps it: for saving a
/// history worked out elsewhere (an import, a generated benchmark).
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRecord<'a> {
    pub deck: &'a str,
    /// `TOPIC/ITEM`.
    pub item: &'a str,
    /// `card`, `question`, `drill` or `exercise`.
    pub kind: &'a str,
    pub rating: Rating,
    pub at: Timestamp,
    pub before: ItemState,
    pub after: ItemState,
    pub duration_ms: Option<i64>,
    /// The grade score (0..1) of the exercise or drill behind the rating.
    pub score: Option<f64>,
}

/// One graded answer to save.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptRecord<'a> {
    pub deck: &'a str,
    pub item: &'a str,
    pub kind: &'a str,
    pub at: Timestamp,
    pub answer: &'a str,
    pub passed: bool,
    pub score: f64,
    pub hints_used: u32,
    pub duration_ms: Option<i64>,
    /// JSON with what failed.
    pub summary: &'a str,
}

/// A review taken back by undo.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    pub item: String,
    pub rating: Rating,
    /// The state the item is back in.
    pub restored: ItemState,
}

/// What was done in one day (for the daily limits).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Items seen for the first time.
    pub new_seen: usize,
    /// Reviews of items in the Review phase.
    pub reviews_done: usize,
    /// Every rating, learning steps included.
    pub ratings: usize,
}

/// Each item's ratings in time order, by (deck, `TOPIC/ITEM`).
pub type ReviewHistory = BTreeMap<(String, String), Vec<(Timestamp, Rating)>>;

/// Progress for an item no loaded deck has any more.
#[derive(Debug, Clone, PartialEq)]
pub struct Orphan {
    pub deck: String,
    pub item: String,
    pub kind: String,
    pub reps: u32,
    pub last_review: Option<Timestamp>,
}

fn phase_of(text: &str) -> rusqlite::Result<Phase> {
    Phase::from_name(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown phase `{text}`").into(),
        )
    })
}

fn memory(stability: Option<f64>, difficulty: Option<f64>) -> Option<Memory> {
    match (stability, difficulty) {
        (Some(stability), Some(difficulty)) => Some(Memory {
            stability,
            difficulty,
        }),
        _ => None,
    }
}

const STATE_COLUMNS: &str =
    "item, phase, step, stability, difficulty, due, last_review, reps, lapses";

fn state_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, ItemState)> {
    Ok((
        row.get(0)?,
        ItemState {
            phase: phase_of(&row.get::<_, String>(1)?)?,
            step: row.get::<_, Option<i64>>(2)?.map(|step| step as usize),
            memory: memory(row.get(3)?, row.get(4)?),
            due: timestamp(row.get(5)?),
            last_review: row.get::<_, Option<i64>>(6)?.map(timestamp),
            reps: row.get(7)?,
            lapses: row.get(8)?,
        },
    ))
}

impl Store {
    /// Every studied item of a deck, by `TOPIC/ITEM`.
    pub fn states(&self, deck: &str) -> Result<HashMap<String, ItemState>, StoreError> {
        self.read(|conn| {
            conn.prepare_cached(&format!(
                "SELECT {STATE_COLUMNS} FROM items WHERE deck = ?1"
            ))?
            .query_map([deck], state_from_row)
            .and_then(|rows| rows.collect())
        })
    }

    /// One item's state, if it was ever studied.
    pub fn state(&self, deck: &str, item: &str) -> Result<Option<ItemState>, StoreError> {
        self.read(|conn| read_state(conn, deck, item))
    }

    /// Saves a rating: reads the item's state, computes the new one with `schedule`, and writes
    /// the log entry and the new state, all in one transaction that is committed (and on disk)
    /// when this returns. The state is read inside the transaction rather than taken from the
    /// caller: another kubedrill on the same file may have rated the item since it was shown,
    /// and a state computed from the stale one would erase that rating's effect. An item never
    /// studied starts as [`ItemState::new`] at the rating's time.
    pub fn record_rating(
        &mut self,
        rating: &RatingRecord<'_>,
        mut schedule: impl FnMut(&ItemState) -> ItemState,
    ) -> Result<Recorded, StoreError> {
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let before = read_state(&tx, rating.deck, rating.item)?
                .unwrap_or_else(|| ItemState::new(rating.at));
            let after = schedule(&before);
            let review = ReviewRecord {
                deck: rating.deck,
                item: rating.item,
                kind: rating.kind,
                rating: rating.rating,
                at: rating.at,
                before,
                after,
                duration_ms: rating.duration_ms,
                score: rating.score,
            };
            insert_review(&tx, &review)?;
            let id = tx.last_insert_rowid();
            write_state(&tx, review.deck, review.item, review.kind, &review.after)?;
            tx.commit()?;
            Ok(Recorded {
                id,
                before: review.before,
                after: review.after,
            })
        })
    }

    /// Saves many ratings in one transaction (an import of history, a generated benchmark):
    /// all or none are saved.
    pub fn record_reviews(&mut self, reviews: &[ReviewRecord<'_>]) -> Result<(), StoreError> {
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for review in reviews {
                insert_review(&tx, review)?;
                write_state(&tx, review.deck, review.item, review.kind, &review.after)?;
            }
            tx.commit()
        })
    }

    /// Takes back the deck's last rating that is not undone yet: the log entry is kept but
    /// marked, and the item returns to its state before it.
    pub fn undo_last_review(&mut self, deck: &str) -> Result<Option<Undone>, StoreError> {
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let last = tx
                .query_row(
                    "SELECT id, item, kind, rating, before_phase, before_step, before_stability,
                            before_difficulty, before_due, before_last, before_reps, before_lapses
                     FROM reviews WHERE deck = ?1 AND undone = 0 ORDER BY id DESC LIMIT 1",
                    [deck],
                    |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, i64>(3)?,
                            ItemState {
                                phase: phase_of(&row.get::<_, String>(4)?)?,
                                step: row.get::<_, Option<i64>>(5)?.map(|step| step as usize),
                                memory: memory(row.get(6)?, row.get(7)?),
                                due: timestamp(row.get(8)?),
                                last_review: row.get::<_, Option<i64>>(9)?.map(timestamp),
                                reps: row.get(10)?,
                                lapses: row.get(11)?,
                            },
                        ))
                    },
                )
                .optional()?;
            let Some((id, item, kind, rating, restored)) = last else {
                return Ok(None);
            };
            tx.execute("UPDATE reviews SET undone = 1 WHERE id = ?1", [id])?;
            if restored.phase == Phase::New && restored.reps == 0 {
                tx.execute(
                    "DELETE FROM items WHERE deck = ?1 AND item = ?2",
                    [deck, item.as_str()],
                )?;
            } else {
                write_state(&tx, deck, &item, &kind, &restored)?;
            }
            tx.commit()?;
            Ok(Some(Undone {
                item,
                rating: Rating::from_number(rating).unwrap_or(Rating::Good),
                restored,
            }))
        })
    }

    /// Saves a graded answer.
    pub fn record_attempt(&mut self, attempt: &AttemptRecord<'_>) -> Result<i64, StoreError> {
        self.write(|conn| {
            conn.execute(
                "INSERT INTO attempts (deck, item, kind, at, answer, passed, score, hints_used,
                     duration_ms, summary)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    attempt.deck,
                    attempt.item,
                    attempt.kind,
                    millis(attempt.at),
                    attempt.answer,
                    attempt.passed,
                    attempt.score,
                    attempt.hints_used,
                    attempt.duration_ms,
                    attempt.summary,
                ],
            )?;
            Ok(conn.last_insert_rowid())
        })
    }

    /// The last answer saved for an item (to reopen an exercise where the learner left it).
    pub fn last_answer(&self, deck: &str, item: &str) -> Result<Option<String>, StoreError> {
        self.read(|conn| {
            conn.query_row(
                "SELECT answer FROM attempts WHERE deck = ?1 AND item = ?2 ORDER BY id DESC LIMIT 1",
                [deck, item],
                |row| row.get(0),
            )
            .optional()
        })
    }

    /// What was done in a deck between `start` and `end` (one day of the learner's).
    pub fn day_counts(
        &self,
        deck: &str,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<DayCounts, StoreError> {
        self.read(|conn| {
            conn.query_row(
                "SELECT coalesce(sum(before_phase = 'new'), 0),
                        coalesce(sum(before_phase = 'review'), 0),
                        count(*)
                 FROM reviews
                 WHERE deck = ?1 AND undone = 0 AND reviewed_at >= ?2 AND reviewed_at < ?3",
                params![deck, millis(start), millis(end)],
                |row| {
                    Ok(DayCounts {
                        new_seen: row.get::<_, i64>(0)? as usize,
                        reviews_done: row.get::<_, i64>(1)? as usize,
                        ratings: row.get::<_, i64>(2)? as usize,
                    })
                },
            )
        })
    }

    /// Items with progress that no loaded deck holds (`known`: deck id → its full item ids).
    pub fn orphans(
        &self,
        known: &BTreeMap<String, BTreeSet<String>>,
    ) -> Result<Vec<Orphan>, StoreError> {
        let rows = self.read(|conn| {
            conn.prepare(
                "SELECT deck, item, kind, reps, last_review FROM items ORDER BY deck, item",
            )?
            .query_map([], |row| {
                Ok(Orphan {
                    deck: row.get(0)?,
                    item: row.get(1)?,
                    kind: row.get(2)?,
                    reps: row.get(3)?,
                    last_review: row.get::<_, Option<i64>>(4)?.map(timestamp),
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<Orphan>>>())
        })?;
        Ok(rows
            .into_iter()
            .filter(|orphan| {
                !known
                    .get(&orphan.deck)
                    .is_some_and(|items| items.contains(&orphan.item))
            })
            .collect())
    }

    /// Every review not undone, per item in time order: (deck, item) → [(time, rating)].
    pub fn review_history(&self) -> Result<ReviewHistory, StoreError> {
        self.read(|conn| {
            let mut statement = conn.prepare(
                "SELECT deck, item, reviewed_at, rating FROM reviews WHERE undone = 0
                 ORDER BY deck, item, reviewed_at, id",
            )?;
            let rows = statement.query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                ))
            })?;
            let mut history = ReviewHistory::new();
            for row in rows {
                let (deck, item, at, rating) = row?;
                if let Some(rating) = Rating::from_number(rating) {
                    history
                        .entry((deck, item))
                        .or_default()
                        .push((timestamp(at), rating));
                }
            }
            Ok(history)
        })
    }

    /// Where the learner left each lesson of a deck: topic id → line.
    pub fn lesson_positions(&self, deck: &str) -> Result<HashMap<String, usize>, StoreError> {
        self.read(|conn| {
            conn.prepare_cached("SELECT topic, line FROM lesson_positions WHERE deck = ?1")?
                .query_map([deck], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as usize))
                })
                .and_then(|rows| rows.collect())
        })
    }

    pub fn set_lesson_position(
        &mut self,
        deck: &str,
        topic: &str,
        line: usize,
    ) -> Result<(), StoreError> {
        self.write(|conn| {
            conn.execute(
                "INSERT INTO lesson_positions (deck, topic, line) VALUES (?1, ?2, ?3)
                 ON CONFLICT (deck, topic) DO UPDATE SET line = excluded.line",
                params![deck, topic, line as i64],
            )
            .map(|_| ())
        })
    }

    /// The topics of a deck whose lesson has been read to its end.
    pub fn lessons_read(&self, deck: &str) -> Result<BTreeSet<String>, StoreError> {
        self.read(|conn| {
            conn.prepare_cached("SELECT topic FROM lessons_read WHERE deck = ?1")?
                .query_map([deck], |row| row.get::<_, String>(0))
                .and_then(|rows| rows.collect())
        })
    }

    /// Marks a lesson read (the first time counts; reading it again changes nothing).
    pub fn mark_lesson_read(
        &mut self,
        deck: &str,
        topic: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.write(|conn| {
            conn.execute(
                "INSERT INTO lessons_read (deck, topic, read_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (deck, topic) DO NOTHING",
                params![deck, topic, at.as_millisecond()],
            )
            .map(|_| ())
        })
    }

    /// How many reviews are logged (undone ones excluded).
    pub fn review_count(&self) -> Result<usize, StoreError> {
        self.read(|conn| {
            conn.query_row("SELECT count(*) FROM reviews WHERE undone = 0", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|count| count as usize)
        })
    }

    /// Whether a review with this id is in the log (and not undone).
    pub fn has_review(&self, id: i64) -> Result<bool, StoreError> {
        self.read(|conn| {
            conn.query_row(
                "SELECT count(*) FROM reviews WHERE id = ?1 AND undone = 0",
                [id],
                |row| row.get::<_, i64>(0),
            )
            .map(|count| count == 1)
        })
    }
}

fn read_state(conn: &Connection, deck: &str, item: &str) -> rusqlite::Result<Option<ItemState>> {
    conn.query_row(
        &format!("SELECT {STATE_COLUMNS} FROM items WHERE deck = ?1 AND item = ?2"),
        [deck, item],
        state_from_row,
    )
    .optional()
    .map(|found| found.map(|(_, state)| state))
}

fn write_state(
    tx: &rusqlite::Transaction<'_>,
    deck: &str,
    item: &str,
    kind: &str,
    state: &ItemState,
) -> rusqlite::Result<usize> {
    tx.execute(
        "INSERT INTO items (deck, item, kind, phase, step, stability, difficulty, due, last_review,
             reps, lapses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (deck, item) DO UPDATE SET kind = excluded.kind, phase = excluded.phase,
             step = excluded.step, stability = excluded.stability,
             difficulty = excluded.difficulty, due = excluded.due,
             last_review = excluded.last_review, reps = excluded.reps, lapses = excluded.lapses",
        params![
            deck,
            item,
            kind,
            state.phase.name(),
            state.step.map(|step| step as i64),
            state.memory.map(|memory| memory.stability),
            state.memory.map(|memory| memory.difficulty),
            millis(state.due),
            state.last_review.map(millis),
            state.reps,
            state.lapses,
        ],
    )
}

fn insert_review(
    tx: &rusqlite::Transaction<'_>,
    review: &ReviewRecord<'_>,
) -> rusqlite::Result<usize> {
    let before = &review.before;
    let after = &review.after;
    let after_memory = after.memory.unwrap_or(Memory {
        stability: 0.0,
        difficulty: 0.0,
    });
    let elapsed_days = before
        .last_review
        .map(|last| review.at.duration_since(last).as_secs_f64() / 86_400.0);
    tx.execute(
        "INSERT INTO reviews (deck, item, kind, reviewed_at, rating, elapsed_days, duration_ms,
                 score, before_phase, before_step, before_stability, before_difficulty, before_due,
                 before_last, before_reps, before_lapses, after_phase, after_stability,
                 after_difficulty, after_due)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20)",
        params![
            review.deck,
            review.item,
            review.kind,
            millis(review.at),
            review.rating.number(),
            elapsed_days,
            review.duration_ms,
            review.score,
            before.phase.name(),
            before.step.map(|step| step as i64),
            before.memory.map(|memory| memory.stability),
            before.memory.map(|memory| memory.difficulty),
            millis(before.due),
            before.last_review.map(millis),
            before.reps,
            before.lapses,
            after.phase.name(),
            after_memory.stability,
            after_memory.difficulty,
            millis(after.due),
        ],
    )
}
