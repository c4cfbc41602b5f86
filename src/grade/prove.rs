//! Proves a deck's exercises with the grader itself, as rustlings' `dev check` does: each
//! solution passes every check, each starter fails at least one, and each known wrong answer fails
//! exactly where its `fails` says. `kubedrill deck check` runs this, and so do the tests on the
//! built-in deck, so content that the grader cannot back up never ships.

use super::{Images, grade_exercise};
use crate::diagnostic::{Problem, ProblemBuilder, Severity};
use crate::manifest::{self, Version};
use crate::model::{Deck, ItemId, Rejection};

/// Every exercise problem of a deck, at the line of the part that is wrong.
pub fn prove(deck: &Deck, version: Version) -> Vec<Problem> {
    let images = Images::built_in().with(&deck.images);
    let mut problems = Vec::new();
    for topic in &deck.topics {
        for template in &topic.exercises {
            let id = ItemId {
                topic: topic.id.clone(),
                item: template.id.clone(),
            };
            // Every variant of a parameterized exercise is proved on its own.
            let per_variant: Vec<Vec<Problem>> = (0..template.variant_count())
                .map(|index| prove_exercise(&id, template.variant(index), &images, version))
                .collect();
            problems.extend(merge_variant_problems(&per_variant, |index| {
                template
                    .variant_label(index)
                    .unwrap_or_default()
                    .to_string()
            }));
        }
    }
    problems.extend(super::scenario::prove(deck));
    problems
}

/// Reports the problems of an item's variants once per place: a problem every variant has, word
/// for word, as it is; otherwise the first variant's problem at that place (file, line, column,
/// rule) naming that variant and its parameter values (`label`), and which other variants fail
/// there too. With a single variant, its problems as they are.
pub fn merge_variant_problems(
    per_variant: &[Vec<Problem>],
    label: impl Fn(usize) -> String,
) -> Vec<Problem> {
    let count = per_variant.len();
    let place = |problem: &Problem| {
        (
            problem.file.clone(),
            problem.line,
            problem.column,
            problem.rule,
        )
    };
    let mut seen = std::collections::HashSet::new();
    let mut merged = Vec::new();
    for (index, problems) in per_variant.iter().enumerate() {
        for problem in problems {
            if !seen.insert(place(problem)) {
                continue;
            }
            // The variants with a problem here, and whether each says the same.
            let mut also = Vec::new();
            let mut same_everywhere = true;
            for (other_index, others) in per_variant.iter().enumerate() {
                match others.iter().find(|other| place(other) == place(problem)) {
                    Some(other) => {
                        same_everywhere &= other.message == problem.message;
                        if other_index > index {
                            also.push((other_index + 1).to_string());
                        }
                    }
                    None => same_everywhere = false,
                }
            }
            let mut problem = problem.clone();
            if !same_everywhere {
                let also = match also.as_slice() {
                    [] => String::new(),
                    [one] => format!("; variant {one} too"),
                    many => format!("; variants {} too", many.join(", ")),
                };
                problem.message = format!(
                    "{} (in variant {} of {count}: {}{also})",
                    problem.message,
                    index + 1,
                    label(index)
                );
            }
            merged.push(problem);
        }
    }
    merged
}

/// The problems of one concrete exercise.
fn prove_exercise(
    id: &ItemId,
    exercise: &crate::model::Exercise,
    images: &Images,
    version: Version,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let origin = &exercise.origin;
    let at = |line: usize, rule: &'static str, message: String| Problem {
        severity: Severity::Error,
        file: origin.file.clone(),
        line,
        column: 1,
        item: Some(format!("exercise `{}`", exercise.id)),
        rule,
        message,
        help: None,
        span: None,
    };
    // A folder exercise is built by the real kubectl: without one it cannot be proven here.
    if exercise.kustomize.is_some() && crate::sandbox::find_kubectl().is_none() {
        let required = std::env::var_os("KUBEDRILL_REQUIRE_KUBECTL").is_some();
        let mut problem = at(
            origin.id_line,
            "not-proven",
            "this kustomize exercise was not proven: it is built with `kubectl kustomize`, and kubectl is not on PATH".to_string(),
        )
        .help("install kubectl (1.37) and run deck check again");
        if !required {
            problem.severity = Severity::Warning;
        }
        return vec![problem];
    }
    if let Some(given) = &exercise.given {
        let report = manifest::check(given, version);
        if let Some(first) = report
            .diagnostics
            .iter()
            .find(|diagnostic| diagnostic.is_error())
        {
            problems.push(at(
                origin.id_line,
                "given-invalid",
                format!(
                    "`given` is not a valid manifest: {}",
                    located(first, "given")
                ),
            ));
        }
    }
    let solution = grade_exercise(id, exercise, images, &exercise.solution, "en", version);
    if !solution.passed {
        let why = solution
            .diagnostics
            .iter()
            .find(|diagnostic| diagnostic.is_error())
            .map(|diagnostic| {
                format!(
                    "the manifest checker refuses it: {}",
                    located(diagnostic, "the solution")
                )
            })
            .or_else(|| {
                solution
                    .checks
                    .iter()
                    .find(|check| !check.passed)
                    .map(|check| {
                        format!(
                            "check `{}` fails: {}",
                            check.id,
                            check.detail.as_deref().unwrap_or(&check.message)
                        )
                    })
            })
            .unwrap_or_default();
        problems.push(
            at(
                origin.solution_line,
                "solution-fails",
                format!("the solution does not pass: {why}"),
            )
            .help("fix the solution or the check; a solution must pass every check"),
        );
    }
    if let (Some(starter), Some(line)) = (&exercise.starter, origin.starter_line)
        && grade_exercise(id, exercise, images, starter, "en", version).passed
    {
        problems.push(
            at(
                line,
                "starter-passes",
                "the starter already passes every check, so there is nothing to do".to_string(),
            )
            .help("make the starter miss what the task asks for, or add the check it lacks"),
        );
    }
    for wrong in &exercise.wrong_answers {
        let report = grade_exercise(id, exercise, images, &wrong.answer, "en", version);
        // `fails` is exact: it names every reason the answer is rejected. When the
        // manifest checker refuses it, that is the reason; the checks may fail too.
        let lists_manifest = wrong
            .fails
            .iter()
            .any(|rejection| matches!(rejection, Rejection::Manifest));
        let refused = report
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.is_error());
        let unlisted: Vec<&str> = if refused || lists_manifest {
            Vec::new()
        } else {
            report
                        .checks
                        .iter()
                        .filter(|check| !check.passed)
                        .filter(|check| {
                            !wrong.fails.iter().any(|rejection| {
                                matches!(rejection, Rejection::Check(listed) if listed.as_str() == check.id)
                            })
                        })
                        .map(|check| check.id.as_str())
                        .collect()
        };
        if !unlisted.is_empty() {
            problems.push(
                        at(
                            wrong.line,
                            "wrong-answer-fails-more",
                            format!(
                                "this wrong answer also fails {}, which its `fails` does not list",
                                unlisted.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ")
                            ),
                        )
                        .help("add them to `fails` (it lists every check the answer fails), or make the answer wrong in one way only"),
                    );
        }
        if refused && !lists_manifest {
            let first = report
                .diagnostics
                .iter()
                .find(|diagnostic| diagnostic.is_error());
            problems.push(
                        at(
                            wrong.line,
                            "wrong-answer-fails-more",
                            format!(
                                "the manifest checker refuses this wrong answer ({}), which its `fails` does not list",
                                first.map_or_else(String::new, |diagnostic| located(diagnostic, "the wrong answer"))
                            ),
                        )
                        .help("add \"manifest\" to `fails`, or make the manifest valid so only the listed checks reject it"),
                    );
        }
        for rejection in &wrong.fails {
            let (rejected, what) = match rejection {
                Rejection::Manifest => (
                    report
                        .diagnostics
                        .iter()
                        .any(|diagnostic| diagnostic.is_error()),
                    "the manifest checker does not refuse it".to_string(),
                ),
                Rejection::Check(check) => (
                    report
                        .check(check.as_str())
                        .is_some_and(|result| !result.passed),
                    format!("check `{check}` passes it"),
                ),
            };
            if !rejected {
                problems.push(
                    at(
                        wrong.line,
                        "wrong-answer-passes",
                        format!("this wrong answer is not rejected as its `fails` says: {what}"),
                    )
                    .help("fix the check so it catches this answer, or fix `fails`"),
                );
            }
        }
    }
    problems
}

/// A checker finding with where it is in `what`: `message at path (line N of what)`, or for
/// the stream as a whole (a syntax error has no path) `message (line N, column C of what)`.
fn located(diagnostic: &crate::manifest::Diagnostic, what: &str) -> String {
    if diagnostic.path.is_empty() {
        format!(
            "{} (line {}, column {} of {what})",
            diagnostic.message, diagnostic.line, diagnostic.column
        )
    } else {
        format!(
            "{} at {} (line {} of {what})",
            diagnostic.message, diagnostic.path, diagnostic.line
        )
    }
}
