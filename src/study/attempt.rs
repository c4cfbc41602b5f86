//! One exercise from opening to leaving, counted and rated the same way wherever it is done:
//! the interface's Exercise screen, watch mode and the mock exam. Pure: time is given, and the
//! front end carries out what it returns (save the attempt, save the rating).
//!
//! The rules: every graded answer is a try and is saved as an attempt; the first pass rates the
//! exercise from tries, hints, the solution and time ([`Attempt::rating`]); leaving after a try
//! (or after seeing the solution) without a pass rates it Again; nothing is rated twice.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::grade::GradeReport;
use crate::srs::{Attempt, Rating, Work, expected_seconds};

/// Where an exercise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptPhase {
    /// Not passed yet.
    Working,
    /// Passed, and rated by that pass.
    Passed,
    /// Left without a pass, and rated Again for it.
    GaveUp,
}

/// The running count of one exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseAttempt {
    /// 1 (easy) to 3 (hard): what the time is measured against.
    pub difficulty: u8,
    pub opened: Timestamp,
    /// Graded answers so far.
    pub tries: u32,
    /// Hints shown so far.
    pub hints: usize,
    pub solution_seen: bool,
    pub phase: AttemptPhase,
}

/// What one graded answer means for the record.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    /// How long since the exercise was opened.
    pub took: SignedDuration,
    /// What to store with the attempt: the failed checks' ids and the checker's error count.
    pub summary: String,
    /// The rating to save, when this answer is the first pass.
    pub rating: Option<Rating>,
}

/// The JSON stored with an attempt (`store::AttemptRecord::summary`).
#[derive(Debug, Serialize)]
struct Summary<'r> {
    failed: Vec<&'r str>,
    errors: usize,
}

impl ExerciseAttempt {
    pub fn new(difficulty: u8, now: Timestamp) -> ExerciseAttempt {
        ExerciseAttempt {
            difficulty,
            opened: now,
            tries: 0,
            hints: 0,
            solution_seen: false,
            phase: AttemptPhase::Working,
        }
    }

    /// Shows one more hint of the `available` ones; `false` when there is none left.
    pub fn hint(&mut self, available: usize) -> bool {
        let more = self.hints < available;
        if more {
            self.hints += 1;
        }
        more
    }

    pub fn show_solution(&mut self) {
        self.solution_seen = true;
    }

    /// A graded answer: one more try; the first pass is rated.
    pub fn graded(&mut self, report: &GradeReport, now: Timestamp) -> Graded {
        self.tries += 1;
        let took = now.duration_since(self.opened);
        let summary = Summary {
            failed: report
                .checks
                .iter()
                .filter(|check| !check.passed)
                .map(|check| check.id.as_str())
                .collect(),
            errors: report.diagnostics.iter().filter(|d| d.is_error()).count(),
        };
        let rating = (report.passed && self.phase == AttemptPhase::Working).then(|| {
            self.phase = AttemptPhase::Passed;
            Attempt {
                passed: true,
                hints_used: self.hints as u32,
                solution_seen: self.solution_seen,
                tries: self.tries,
                seconds: took.as_secs_f64(),
                expected_seconds: expected_seconds(Work::Exercise(self.difficulty)),
            }
            .rating()
        });
        Graded {
            took,
            summary: serde_json::to_string(&summary).expect("a summary serializes"),
            rating,
        }
    }

    /// Leaving: Again when it was tried (or its solution seen) and never passed, else nothing.
    pub fn leave(&mut self, now: Timestamp) -> Option<(Rating, SignedDuration)> {
        let tried = self.tries > 0 || self.solution_seen;
        (self.phase == AttemptPhase::Working && tried).then(|| {
            self.phase = AttemptPhase::GaveUp;
            (Rating::Again, now.duration_since(self.opened))
        })
    }

    /// Whether a rating was saved (a pass, or giving up).
    pub fn rated(&self) -> bool {
        self.phase != AttemptPhase::Working
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::CheckResult;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_780_000_000 + seconds).unwrap()
    }

    fn report(passed: &[bool]) -> GradeReport {
        let checks = passed
            .iter()
            .enumerate()
            .map(|(index, passed)| CheckResult {
                id: format!("check-{index}"),
                passed: *passed,
                weight: 1,
                message: String::new(),
                detail: None,
                path: None,
                line: None,
            })
            .collect();
        GradeReport::new("t/e".to_string(), checks, Vec::new())
    }

    #[test]
    fn the_first_pass_is_rated_once_and_a_later_one_is_only_a_try() {
        let mut attempt = ExerciseAttempt::new(1, at(0));
        let failed = attempt.graded(&report(&[true, false]), at(30));
        assert_eq!(failed.rating, None);
        assert_eq!(failed.summary, r#"{"failed":["check-1"],"errors":0}"#);
        let passed = attempt.graded(&report(&[true, true]), at(60));
        assert_eq!(passed.rating, Some(Rating::Good), "second try, in time");
        assert_eq!(attempt.graded(&report(&[true, true]), at(90)).rating, None);
        assert_eq!(attempt.tries, 3);
        assert_eq!(
            attempt.leave(at(100)),
            None,
            "a pass is not undone by leaving"
        );
    }

    #[test]
    fn hints_the_solution_and_giving_up_count_as_the_rating_rules_say() {
        let mut hinted = ExerciseAttempt::new(2, at(0));
        assert!(hinted.hint(1));
        assert!(!hinted.hint(1), "only one to show");
        assert_eq!(
            hinted.graded(&report(&[true]), at(10)).rating,
            Some(Rating::Hard)
        );
        let mut peeked = ExerciseAttempt::new(1, at(0));
        peeked.show_solution();
        assert_eq!(
            peeked.leave(at(5)),
            Some((Rating::Again, SignedDuration::from_secs(5)))
        );
        assert!(peeked.rated());
        let mut untouched = ExerciseAttempt::new(1, at(0));
        assert_eq!(
            untouched.leave(at(5)),
            None,
            "opened and left: nothing to rate"
        );
    }
}
