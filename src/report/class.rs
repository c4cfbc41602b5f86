//! A class's exports read together: the items and exercise checks the class fails most, the
//! topics ranked by predicted recall, and the learners at risk before the exam.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::{Export, round};

/// A learner is at risk when, at the exam, fewer than this share of the deck's items were
/// studied…
pub const MIN_COVERAGE: f64 = 0.8;
/// …or the items studied are expected to be recalled less than this on average…
pub const MIN_RECALL: f64 = 0.85;
/// …or nothing was reviewed in this many days before the report.
pub const MAX_IDLE_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassReport {
    pub learners: usize,
    /// The date recall is projected to.
    pub exam_date: Option<Date>,
    pub items: Vec<ItemRow>,
    pub checks: Vec<CheckRow>,
    pub topics: Vec<TopicRow>,
    pub at_risk: Vec<LearnerRow>,
}

/// An item, over the class: answers and how many were Again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRow {
    pub deck: String,
    pub item: String,
    pub kind: String,
    /// Learners who studied it, and of them, who rated it Again at least once.
    pub learners: usize,
    pub learners_failed: usize,
    pub attempts: u32,
    pub again: u32,
    pub fail_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckRow {
    pub deck: String,
    pub item: String,
    pub check: String,
    pub answers: u32,
    pub failed: u32,
    pub fail_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicRow {
    pub deck: String,
    pub topic: String,
    pub title: String,
    /// Mean predicted recall of the items learners studied (at export time).
    pub recall: f64,
    /// Share of the topic's items studied, averaged over learners.
    pub coverage: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LearnerRow {
    pub name: String,
    pub coverage: f64,
    /// Mean recall of the items studied, projected to the exam date (or the report's date).
    pub recall_at_exam: f64,
    pub days_idle: Option<i64>,
    /// Why: each in words.
    pub reasons: Vec<String>,
}

/// The class report of `exports`, with recall projected to `exam_date` (else each learner's
/// own exam date, else `now`); `top` rows of each ranking.
pub fn report(
    exports: &[Export],
    exam_date: Option<Date>,
    now: Timestamp,
    top: usize,
) -> ClassReport {
    let mut items: BTreeMap<(String, String), ItemRow> = BTreeMap::new();
    let mut checks: BTreeMap<(String, String, String), CheckRow> = BTreeMap::new();
    // (deck, topic) → (title, recall sum, recall count, coverage sum)
    let mut topics: BTreeMap<(String, String), (String, f64, u32, f64)> = BTreeMap::new();
    let mut at_risk = Vec::new();
    for export in exports {
        for item in &export.items {
            let row = items
                .entry((item.deck.clone(), item.item.clone()))
                .or_insert_with(|| ItemRow {
                    deck: item.deck.clone(),
                    item: item.item.clone(),
                    kind: item.kind.clone(),
                    learners: 0,
                    learners_failed: 0,
                    attempts: 0,
                    again: 0,
                    fail_rate: 0.0,
                });
            row.learners += 1;
            row.learners_failed += usize::from(item.again > 0);
            row.attempts += item.attempts;
            row.again += item.again;
        }
        for check in &export.checks {
            let row = checks
                .entry((check.deck.clone(), check.item.clone(), check.check.clone()))
                .or_insert_with(|| CheckRow {
                    deck: check.deck.clone(),
                    item: check.item.clone(),
                    check: check.check.clone(),
                    answers: 0,
                    failed: 0,
                    fail_rate: 0.0,
                });
            row.answers += check.answers;
            row.failed += check.failed;
        }
        let mut deck_items = 0;
        for deck in &export.decks {
            for topic in &deck.topics {
                deck_items += topic.items;
                let prefix = format!("{}/", topic.id);
                let studied: Vec<f64> = export
                    .items
                    .iter()
                    .filter(|item| item.deck == deck.id && item.item.starts_with(&prefix))
                    .map(|item| item.predicted_recall.unwrap_or(0.0))
                    .collect();
                let entry = topics
                    .entry((deck.id.clone(), topic.id.clone()))
                    .or_insert_with(|| (topic.title.clone(), 0.0, 0, 0.0));
                entry.1 += studied.iter().sum::<f64>();
                entry.2 += studied.len() as u32;
                entry.3 += studied.len() as f64 / topic.items.max(1) as f64;
            }
        }
        let at = exam_date.or(export.exam_date);
        let target = at
            .and_then(|date| date.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map_or(now, |zoned| zoned.timestamp());
        let recalls: Vec<f64> = export
            .items
            .iter()
            .filter_map(|item| {
                let stability = item.stability_days?;
                let last = item.last_review?;
                let days = (target.as_second() - last.as_second()).max(0) as f64 / 86_400.0;
                Some((1.0 + export.factor * days / stability).powf(export.decay))
            })
            .collect();
        let coverage = export.items.len() as f64 / deck_items.max(1) as f64;
        let recall = if recalls.is_empty() {
            0.0
        } else {
            recalls.iter().sum::<f64>() / recalls.len() as f64
        };
        let last = export
            .items
            .iter()
            .filter_map(|item| item.last_review)
            .max();
        let days_idle = last.map(|last| (now.as_second() - last.as_second()).max(0) / 86_400);
        let mut reasons = Vec::new();
        if coverage < MIN_COVERAGE {
            reasons.push(format!(
                "studied {:.0}% of the items (less than {:.0}%)",
                coverage * 100.0,
                MIN_COVERAGE * 100.0
            ));
        }
        if recall < MIN_RECALL {
            reasons.push(format!(
                "expected recall {:.0}% {} (less than {:.0}%)",
                recall * 100.0,
                at.map_or_else(|| "today".to_string(), |date| format!("on {date}")),
                MIN_RECALL * 100.0
            ));
        }
        match days_idle {
            Some(days) if days >= MAX_IDLE_DAYS => {
                reasons.push(format!("no review in {days} days"));
            }
            None => reasons.push("no review yet".to_string()),
            _ => {}
        }
        if !reasons.is_empty() {
            at_risk.push(LearnerRow {
                name: export.name.clone(),
                coverage: round(coverage),
                recall_at_exam: round(recall),
                days_idle,
                reasons,
            });
        }
    }
    let mut items: Vec<ItemRow> = items
        .into_values()
        .filter(|row| row.again > 0)
        .map(|mut row| {
            row.fail_rate = round(f64::from(row.again) / f64::from(row.attempts.max(1)));
            row
        })
        .collect();
    items.sort_by(|a, b| {
        (b.learners_failed, b.again)
            .cmp(&(a.learners_failed, a.again))
            .then(b.fail_rate.total_cmp(&a.fail_rate))
            .then_with(|| (&a.deck, &a.item).cmp(&(&b.deck, &b.item)))
    });
    items.truncate(top);
    let mut checks: Vec<CheckRow> = checks
        .into_values()
        .filter(|row| row.failed > 0)
        .map(|mut row| {
            row.fail_rate = round(f64::from(row.failed) / f64::from(row.answers.max(1)));
            row
        })
        .collect();
    checks.sort_by(|a, b| {
        b.failed
            .cmp(&a.failed)
            .then(b.fail_rate.total_cmp(&a.fail_rate))
            .then_with(|| (&a.deck, &a.item, &a.check).cmp(&(&b.deck, &b.item, &b.check)))
    });
    checks.truncate(top);
    let learners = exports.len().max(1) as f64;
    let mut topics: Vec<TopicRow> = topics
        .into_iter()
        .filter(|(_, (_, _, count, _))| *count > 0)
        .map(|((deck, topic), (title, sum, count, coverage))| TopicRow {
            deck,
            topic,
            title,
            recall: round(sum / f64::from(count)),
            coverage: round(coverage / learners),
        })
        .collect();
    topics.sort_by(|a, b| {
        a.recall
            .total_cmp(&b.recall)
            .then_with(|| (&a.deck, &a.topic).cmp(&(&b.deck, &b.topic)))
    });
    at_risk.sort_by(|a, b| {
        a.recall_at_exam
            .total_cmp(&b.recall_at_exam)
            .then_with(|| a.name.cmp(&b.name))
    });
    ClassReport {
        learners: exports.len(),
        exam_date,
        items,
        checks,
        topics,
        at_risk,
    }
}
