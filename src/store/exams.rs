//! Mock exams taken: one row each, kept for the history in Stats.

use jiff::Timestamp;
use rusqlite::params;

use super::{Store, StoreError, millis, timestamp};

/// A finished exam to save.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamRecord<'a> {
    pub started: Timestamp,
    pub finished: Timestamp,
    pub seed: u64,
    pub minutes: u32,
    pub topics: &'a [String],
    pub score: f64,
    pub passed: bool,
    /// JSON: the tasks with their answers and results.
    pub tasks: &'a str,
}

/// A saved exam, as the history lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamSummary {
    pub id: i64,
    pub started: Timestamp,
    pub finished: Timestamp,
    pub seed: u64,
    pub minutes: u32,
    pub topics: Vec<String>,
    pub score: f64,
    pub passed: bool,
    pub tasks: usize,
}

impl Store {
    pub fn record_exam(&mut self, exam: &ExamRecord<'_>) -> Result<i64, StoreError> {
        let topics = serde_json::to_string(exam.topics).expect("strings serialize");
        self.write(|conn| {
            conn.execute(
                "INSERT INTO exams (started_at, finished_at, seed, minutes, topics, score, passed, tasks)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    millis(exam.started),
                    millis(exam.finished),
                    exam.seed as i64,
                    exam.minutes,
                    topics,
                    exam.score,
                    exam.passed,
                    exam.tasks,
                ],
            )?;
            Ok(conn.last_insert_rowid())
        })
    }

    /// Every exam taken, the newest first.
    pub fn exams(&self) -> Result<Vec<ExamSummary>, StoreError> {
        self.read(|conn| {
            conn.prepare(
                "SELECT id, started_at, finished_at, seed, minutes, topics, score, passed,
                        json_array_length(tasks)
                 FROM exams ORDER BY finished_at DESC, id DESC",
            )?
            .query_map([], |row| {
                let topics: String = row.get(5)?;
                Ok(ExamSummary {
                    id: row.get(0)?,
                    started: timestamp(row.get(1)?),
                    finished: timestamp(row.get(2)?),
                    seed: row.get::<_, i64>(3)? as u64,
                    minutes: row.get(4)?,
                    topics: serde_json::from_str(&topics).unwrap_or_default(),
                    score: row.get(6)?,
                    passed: row.get(7)?,
                    tasks: row.get::<_, i64>(8)? as usize,
                })
            })
            .and_then(|rows| rows.collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exams_are_kept_newest_first_with_their_seed_bit_for_bit() {
        let mut store = Store::in_memory().unwrap();
        let at = |minute: i64| Timestamp::from_second(1_800_000_000 + minute * 60).unwrap();
        let topics = vec!["secrets".to_string()];
        for (minute, seed, score) in [(0, u64::MAX, 50.0), (200, 42, 80.0)] {
            store
                .record_exam(&ExamRecord {
                    started: at(minute),
                    finished: at(minute + 120),
                    seed,
                    minutes: 120,
                    topics: &topics,
                    score,
                    passed: score >= 66.0,
                    tasks: "[{\"item\":\"a\"},{\"item\":\"b\"}]",
                })
                .unwrap();
        }
        let exams = store.exams().unwrap();
        assert_eq!(exams.len(), 2);
        assert_eq!(
            (exams[0].seed, exams[0].score, exams[0].passed),
            (42, 80.0, true)
        );
        assert_eq!(exams[1].seed, u64::MAX);
        assert_eq!(exams[1].tasks, 2);
        assert_eq!(exams[1].topics, ["secrets"]);
    }
}
