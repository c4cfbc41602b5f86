//! A graded answer: the contract's JSON (design.md §4) and a text rendering with ✓/✗ per check.

use serde::Serialize;

use crate::manifest::Diagnostic;

/// The result of grading one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeReport {
    /// The full id of what was graded (`configmaps/app-config-envfrom`).
    pub id: String,
    /// Every check passed and the manifest is valid.
    pub passed: bool,
    /// 0 to 1: the weight of the passed checks over the total; 0 when the manifest is invalid, as
    /// the API server would refuse it.
    pub score: f64,
    pub checks: Vec<CheckResult>,
    /// The manifest checker's findings (same shape as `kubedrill check`).
    pub diagnostics: Vec<Diagnostic>,
}

/// One check's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    pub id: String,
    pub passed: bool,
    /// The check's points.
    pub weight: u32,
    /// What the check asks for, in the learner's language.
    pub message: String,
    /// What the answer has.
    pub detail: Option<String>,
    /// Where in the resource, and the line in the answer, when it can say.
    pub path: Option<String>,
    pub line: Option<usize>,
}

impl GradeReport {
    /// Builds the report and its score from the checks' verdicts.
    pub fn new(id: String, checks: Vec<CheckResult>, diagnostics: Vec<Diagnostic>) -> GradeReport {
        let manifest_valid = !diagnostics.iter().any(Diagnostic::is_error);
        let total: u32 = checks.iter().map(|check| check.weight).sum();
        let earned: u32 = checks
            .iter()
            .filter(|check| check.passed)
            .map(|check| check.weight)
            .sum();
        let score = if !manifest_valid || total == 0 {
            if manifest_valid { 1.0 } else { 0.0 }
        } else {
            f64::from(earned) / f64::from(total)
        };
        let passed = manifest_valid && checks.iter().all(|check| check.passed);
        GradeReport {
            id,
            passed,
            score,
            checks,
            diagnostics,
        }
    }

    pub fn check(&self, id: &str) -> Option<&CheckResult> {
        self.checks.iter().find(|check| check.id == id)
    }

    /// The checks as lines: `✓ id (2)  message`, with what was found under a failed one.
    pub fn render_checks(&self) -> String {
        let mut out = String::new();
        for check in &self.checks {
            let mark = if check.passed { "✓" } else { "✗" };
            out.push_str(&format!(
                "  {mark} {} ({} {})  {}\n",
                check.id,
                check.weight,
                if check.weight == 1 { "point" } else { "points" },
                crate::text::escape_controls(&check.message)
            ));
            if !check.passed
                && let Some(detail) = &check.detail
            {
                let place = check
                    .line
                    .map_or_else(String::new, |line| format!(" (line {line})"));
                out.push_str(&format!(
                    "      {}{place}\n",
                    crate::text::escape_controls(detail)
                ));
            }
        }
        let verdict = if self.passed { "passed" } else { "not passed" };
        let passed = self.checks.iter().filter(|check| check.passed).count();
        out.push_str(&format!(
            "{}: {verdict}, {passed} of {} checks, score {:.0}%\n",
            self.id,
            self.checks.len(),
            self.score * 100.0
        ));
        out
    }
}
