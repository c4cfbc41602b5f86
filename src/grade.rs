//! Grading: exercise answers by outcome, not by text, and kubectl command drills by meaning.
//!
//! - [`resources`]: the answer's objects as the API server stores them (defaults applied);
//! - [`select`]: the path language of `field` checks (`spec.containers[name=web].image`);
//! - [`process`]: what a container really runs (ENTRYPOINT/CMD, command/args, `$(VAR)`) and sees
//!   (envFrom, env, ConfigMaps and Secrets from the answer and `given`);
//! - [`references`]: every ConfigMap/Secret reference resolves;
//! - [`checks`]: one check's verdict; [`report`]: the graded answer;
//! - [`command`]: kubectl command drills, compared by meaning;
//! - [`prove`]: proves a deck's exercises (solution passes, starter and wrong answers fail).

pub mod checks;
pub mod command;
pub mod folder;
pub mod outcome;
pub mod process;
pub mod prove;
pub mod references;
pub mod report;
pub mod resources;
pub mod scenario;
pub mod select;

pub use process::Images;
pub use report::{CheckResult, GradeReport};

use crate::manifest::{self, Version};
use crate::model::{Exercise, ItemId};

/// Grades an answer (a YAML stream) to an exercise. The manifest is checked first; the checks are
/// still judged on whatever could be read, so a learner sees both.
pub fn grade_exercise(
    id: &ItemId,
    exercise: &Exercise,
    images: &Images,
    answer: &str,
    language: &str,
    version: Version,
) -> GradeReport {
    // A folder exercise grades what kustomize builds from the folder with the answer in it.
    let built;
    let answer = match &exercise.kustomize {
        None => answer,
        Some(task) => match folder::build_folder(task, answer) {
            Ok(text) => {
                built = text;
                built.as_str()
            }
            Err(diagnostics) => {
                let results = exercise
                    .checks
                    .iter()
                    .map(|check| CheckResult {
                        id: check.id.to_string(),
                        passed: false,
                        weight: check.points,
                        message: check.message.get(language).to_string(),
                        detail: Some("not graded: the kustomization did not build".to_string()),
                        path: None,
                        line: None,
                    })
                    .collect();
                return GradeReport::new(id.to_string(), results, diagnostics);
            }
        },
    };
    let checked = manifest::check(answer, version);
    let given_documents = exercise
        .given
        .as_deref()
        .and_then(|given| manifest::yaml::parse(given).ok())
        .unwrap_or_default();
    let answer_resources = resources::from_documents(&checked.documents);
    let given_resources = resources::from_documents(&given_documents);
    let images = images.clone().with(&exercise.images);
    let context = checks::Context {
        answer: &answer_resources,
        // The answer wins over `given` where both define an object (it is applied on top).
        cluster: answer_resources
            .iter()
            .chain(given_resources.iter().filter(|given| {
                !answer_resources
                    .iter()
                    .any(|own| own.kind == given.kind && own.name == given.name)
            }))
            .collect(),
        images: &images,
        targets: exercise
            .checks
            .iter()
            .filter_map(|check| check.target.as_ref())
            .collect(),
    };
    let results = exercise
        .checks
        .iter()
        .map(|check| {
            let outcome = checks::evaluate(check, &context);
            CheckResult {
                id: check.id.to_string(),
                passed: outcome.passed,
                weight: check.points,
                message: check.message.get(language).to_string(),
                detail: outcome.detail,
                path: outcome.path,
                line: outcome.line,
            }
        })
        .collect();
    GradeReport::new(id.to_string(), results, checked.diagnostics)
}
