//! A graded answer: the contract's JSON (design.md §4) and a text rendering with ✓/✗ per check.

use serde::Serialize;

use crate::i18n::Lang;
use crate::i18n::localize;
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

    /// The same report with what the graders wrote (details, diagnostics) in `lang`; the
    /// checks' own messages come from the deck in the language asked for already.
    pub fn localized(mut self, lang: Lang) -> GradeReport {
        for check in &mut self.checks {
            // A detail may hold several findings, one a line (a drill's differences).
            check.detail = check.detail.take().map(|detail| {
                detail
                    .lines()
                    .map(|line| {
                        // A procedure's finding about one step is indented under it.
                        let text = line.trim_start();
                        let indent = &line[..line.len() - text.len()];
                        format!("{indent}{}", localize(text, lang))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        self.diagnostics = self
            .diagnostics
            .into_iter()
            .map(|diagnostic| diagnostic.localized(lang))
            .collect();
        self
    }

    /// The checks as lines: `✓ id (2 points)  message`, with what was found under a failed one.
    pub fn render_checks(&self, lang: Lang) -> String {
        let mut out = String::new();
        for check in &self.checks {
            let mark = if check.passed { "✓" } else { "✗" };
            let points = match (lang, check.weight) {
                (Lang::En, 1) => "1 point".to_string(),
                (Lang::En, weight) => format!("{weight} points"),
                (Lang::Ko, weight) => format!("{weight}점"),
            };
            out.push_str(&format!(
                "  {mark} {} ({points})  {}\n",
                check.id,
                crate::text::escape_controls(&check.message)
            ));
            if !check.passed
                && let Some(detail) = &check.detail
            {
                let place = check.line.map_or_else(String::new, |line| match lang {
                    Lang::En => format!(" (line {line})"),
                    Lang::Ko => format!(" ({line}번째 줄)"),
                });
                for (index, line) in detail.lines().enumerate() {
                    out.push_str(&format!(
                        "      {}{}\n",
                        crate::text::escape_controls(line),
                        if index == 0 { place.as_str() } else { "" }
                    ));
                }
            }
        }
        let passed = self.checks.iter().filter(|check| check.passed).count();
        let total = self.checks.len();
        let score = self.score * 100.0;
        out.push_str(&match lang {
            Lang::En => format!(
                "{}: {}, {passed} of {total} checks, score {score:.0}%\n",
                self.id,
                if self.passed { "passed" } else { "not passed" }
            ),
            Lang::Ko => format!(
                "{}: {}, 검사 {total}개 중 {passed}개 통과, 점수 {score:.0}%\n",
                self.id,
                if self.passed { "합격" } else { "불합격" }
            ),
        });
        out
    }
}
