//! Exercise files (topics/ID/exercises/*.toml): the exercise's own keys, its `[[hint]]`s, its
//! `[[check]]`s (read in `checks`) and its `[[wrong]]` answers. A wrong answer names the checks
//! it must fail, or `manifest` when the manifest checker must refuse it, so the content tests
//! can prove that each one fails where its author meant it to.

use std::ops::Range;

use toml::Spanned;
use toml::de::DeTable;

use super::file_checker::{FileChecker, table_value, take_array};
use crate::content::files::{CheckEntry, ExerciseFile, KustomizeEntry, LocalizedText, WrongEntry};
use crate::diagnostic::ProblemBuilder;
use crate::model::{
    Check, Exercise, ExerciseOrigin, Id, KustomizeTask, Localized, Rejection, WrongAnswer,
};
use crate::text::did_you_mean;

/// The check id reserved for "the manifest checker refuses this answer" in `[[wrong]].fails`.
pub(super) const MANIFEST_REJECTION: &str = "manifest";
/// In a `[kustomize]` exercise, "the kustomization does not build" (the same as `manifest`).
pub(super) const BUILD_REJECTION: &str = "build";

impl<'a> FileChecker<'a> {
    pub(super) fn exercise(&mut self, mut table: Spanned<DeTable<'_>>) -> Option<Exercise> {
        let hint_entries = take_array(&mut table, "hint");
        let check_entries = take_array(&mut table, "check");
        let wrong_entries = take_array(&mut table, "wrong");
        let file: Option<ExerciseFile> = self.deserialize(table_value(table));
        let hints: Vec<Option<Localized>> = hint_entries
            .into_iter()
            .map(|entry| {
                self.deserialize::<LocalizedText>(entry.clone())
                    .and_then(|text| self.localized(&Spanned::new(entry.span(), text)))
            })
            .collect();
        let mut checks = Vec::new();
        let mut checks_ok = true;
        for entry in check_entries {
            match self
                .deserialize::<CheckEntry>(entry)
                .and_then(|entry| self.check(&entry))
            {
                Some(check) => {
                    if checks
                        .iter()
                        .any(|existing: &(Check, Range<usize>)| existing.0.id == check.0.id)
                    {
                        checks_ok = false;
                        self.problem(
                            check.1.clone(),
                            "duplicate-id",
                            format!("two checks have the id `{}`", check.0.id),
                        )
                        .help("give each check of an exercise its own id");
                    } else {
                        checks.push(check);
                    }
                }
                None => checks_ok = false,
            }
        }
        let file = file?;
        let id = self.id(&file.id, "exercise");
        let title = self.localized(&file.title);
        let prompt = self.localized(&file.prompt);
        let difficulty = match &file.difficulty {
            None => Some(1),
            Some(value) if (1..=3).contains(value.get_ref()) => Some(*value.get_ref() as u8),
            Some(value) => {
                self.problem(
                    value.span(),
                    "bad-value",
                    format!("difficulty is 1, 2 or 3, not {}", value.get_ref()),
                );
                None
            }
        };
        let solution = if file.solution.get_ref().trim().is_empty() {
            self.problem(file.solution.span(), "empty-text", "the solution is empty")
                .help("write a reference answer that passes every check");
            None
        } else {
            Some(file.solution.get_ref().clone())
        };
        if checks.is_empty() && checks_ok {
            self.problem(
                file.id.span(),
                "missing-key",
                "this exercise has no [[check]]",
            )
            .help("add at least one [[check]] saying what is graded");
        }
        let check_ids: Vec<&str> = checks.iter().map(|(check, _)| check.id.as_str()).collect();
        let kustomize = file
            .kustomize
            .as_ref()
            .map(|entry| self.kustomize(entry, &file));
        let folder = kustomize.is_some();
        let wrong_answers: Vec<Option<WrongAnswer>> = wrong_entries
            .into_iter()
            .map(|entry| {
                self.deserialize::<WrongEntry>(entry)
                    .and_then(|entry| self.wrong(entry, &check_ids, checks_ok, folder))
            })
            .collect();
        let origin = ExerciseOrigin {
            file: self.file.to_string(),
            id_line: self.line_of(file.id.span().start),
            solution_line: self.line_of(file.solution.span().start),
            starter_line: file
                .starter
                .as_ref()
                .map(|starter| self.line_of(starter.span().start)),
        };
        let images = self.images(file.images);
        let after = self.after(&file.after);
        let hints: Option<Vec<Localized>> = hints.into_iter().collect();
        let wrong_answers: Option<Vec<WrongAnswer>> = wrong_answers.into_iter().collect();
        let kustomize = match kustomize {
            None => None,
            Some(task) => Some(task?),
        };
        let prompt = match (&kustomize, prompt) {
            (Some(task), Some(prompt)) => Some(with_folder(prompt, task)),
            (_, prompt) => prompt,
        };
        Some(Exercise {
            id: id?,
            title: title?,
            difficulty: difficulty?,
            prompt: prompt?,
            starter: file.starter.map(Spanned::into_inner),
            solution: solution?,
            given: file.given.map(Spanned::into_inner),
            kustomize,
            hints: hints?,
            checks: checks_ok.then(|| checks.into_iter().map(|(check, _)| check).collect())?,
            wrong_answers: wrong_answers?,
            images,
            origin,
            after,
            variants: Default::default(),
        })
    }

    fn wrong(
        &mut self,
        entry: WrongEntry,
        check_ids: &[&str],
        checks_ok: bool,
        folder: bool,
    ) -> Option<WrongAnswer> {
        let why = self.optional_localized(entry.why.as_ref());
        if entry.answer.get_ref().trim().is_empty() {
            self.problem(
                entry.answer.span(),
                "empty-text",
                "this wrong answer is empty",
            );
            return None;
        }
        if entry.fails.get_ref().is_empty() {
            self.problem(entry.fails.span(), "bad-value", "`fails` names no check")
                .help(format!("list the check ids this answer must fail, or \"{MANIFEST_REJECTION}\" when the manifest checker must refuse it"));
            return None;
        }
        let mut fails = Vec::new();
        for name in entry.fails.get_ref() {
            if name.get_ref() == MANIFEST_REJECTION || (folder && name.get_ref() == BUILD_REJECTION)
            {
                // A kustomization kustomize refuses is refused as a manifest is.
                fails.push(Rejection::Manifest);
            } else if let Some(id) = check_ids.iter().find(|id| **id == name.get_ref()) {
                fails.push(Rejection::Check(Id::parse(id).ok()?));
            } else if checks_ok {
                let mut candidates = check_ids.to_vec();
                candidates.push(MANIFEST_REJECTION);
                let help = match did_you_mean(name.get_ref(), candidates.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!(
                        "the checks are: {}; or \"{MANIFEST_REJECTION}\"",
                        check_ids.join(", ")
                    ),
                };
                self.problem(
                    name.span(),
                    "bad-reference",
                    format!(
                        "this exercise has no check `{}`",
                        crate::text::escape_controls(name.get_ref())
                    ),
                )
                .help(help);
                return None;
            } else {
                return None;
            }
        }
        Some(WrongAnswer {
            line: self.line_of(entry.answer.span().start),
            answer: entry.answer.into_inner(),
            fails,
            why: why?,
        })
    }
}

/// A path inside an exercise's folder: relative, with only plain names (no `..`, no `.`).
fn folder_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains(':'))
}

/// The task's prompt followed by the folder it works in, so the learner sees every file.
fn with_folder(prompt: Localized, task: &KustomizeTask) -> Localized {
    let mut listing_en = format!(
        "\n\nThe folder (you write `{}`; `kubectl kustomize {}` builds it):\n",
        task.answer, task.build
    );
    let mut listing_ko = format!(
        "\n\n폴더 구성 (`{}` 파일을 작성합니다. `kubectl kustomize {}` 명령으로 빌드합니다):\n",
        task.answer, task.build
    );
    for (path, text) in &task.files {
        let block = format!("\n`{path}`\n\n```yaml\n{}\n```\n", text.trim_end());
        listing_en.push_str(&block);
        listing_ko.push_str(&block);
    }
    prompt.map(|language, text| {
        let listing = if language == "ko" {
            &listing_ko
        } else {
            &listing_en
        };
        format!("{}{listing}", text.trim_end())
    })
}

impl FileChecker<'_> {
    fn kustomize(
        &mut self,
        entry: &Spanned<KustomizeEntry>,
        file: &ExerciseFile,
    ) -> Option<KustomizeTask> {
        let entry_ref = entry.get_ref();
        let mut ok = true;
        if let Some(given) = &file.given {
            ok = false;
            self.problem(
                given.span(),
                "bad-value",
                "`given` does not apply to a `[kustomize]` exercise",
            )
            .help("put the files the learner builds on in `[kustomize.files]`");
        }
        for (value, what) in [(&entry_ref.build, "build"), (&entry_ref.answer, "answer")] {
            let the_root = what == "build" && value.get_ref() == ".";
            if !(folder_path(value.get_ref()) || the_root) {
                ok = false;
                self.problem(
                    value.span(),
                    "bad-value",
                    format!(
                        "`{what}` must be a path inside the exercise's folder, not `{}`",
                        crate::text::escape_controls(value.get_ref())
                    ),
                )
                .help("write a relative path of plain names, such as `overlays/prod`");
            }
        }
        for path in entry_ref.files.get_ref().keys() {
            if !folder_path(path) || *path == *entry_ref.answer.get_ref() {
                ok = false;
                self.problem(
                    entry_ref.files.span(),
                    "bad-value",
                    format!(
                        "`{}` cannot be a file of the folder: a file is a relative path of plain names, other than `answer`",
                        crate::text::escape_controls(path)
                    ),
                );
            }
        }
        let build = entry_ref.build.get_ref().trim_end_matches('/').to_string();
        let answer = entry_ref.answer.get_ref().clone();
        let has_kustomization = |path: &str| {
            crate::manifest::kustomize::is_kustomization_file(std::path::Path::new(path))
        };
        let top = entry_ref
            .files
            .get_ref()
            .keys()
            .map(String::as_str)
            .chain([answer.as_str()])
            .any(|path| {
                has_kustomization(path)
                    && std::path::Path::new(path).parent()
                        == Some(std::path::Path::new(if build == "." { "" } else { &build }))
            });
        if ok && !top {
            ok = false;
            self.problem(
                entry_ref.build.span(),
                "bad-value",
                format!("`{build}` has no kustomization.yaml among the files or the answer"),
            )
            .help("name the folder whose kustomization.yaml `kubectl kustomize` builds");
        }
        ok.then(|| KustomizeTask {
            build,
            answer,
            files: entry_ref.files.get_ref().clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_deck::{EXERCISE_HEAD, help_of, rules, validate_with};
    use crate::model::{CheckRule, FieldExpect, Id, Rejection};

    #[test]
    fn wrong_answers_must_name_real_checks() {
        let exercise = format!(
            "{EXERCISE_HEAD}\n[[check]]\nid = \"exists\"\ntype = \"exists\"\ntarget = \"Pod/web\"\nmessage = \"M\"\n\n             [[wrong]]\nanswer = \"kind: Pod\"\nfails = [\"exist\"]\n\n[[wrong]]\nanswer = \"kind: Pdo\"\nfails = [\"manifest\"]\n"
        );
        let validated = validate_with(&[("topics/env/exercises/e.toml", &exercise)]);
        assert_eq!(
            rules(&validated),
            [("topics/env/exercises/e.toml", 14, 10, "bad-reference")]
        );
        assert_eq!(
            help_of(&validated, "bad-reference"),
            "did you mean `exists`?"
        );
    }

    #[test]
    fn a_valid_exercise_becomes_typed_checks() {
        let exercise = format!(
            "{EXERCISE_HEAD}difficulty = 2\n\n[[hint]]\nen = \"H\"\nko = \"힌트\"\n\n             [[check]]\nid = \"image\"\ntype = \"field\"\ntarget = \"Pod/web\"\npath = \"spec.containers[0].image\"\none_of = [\"nginx\", \"nginx:1.27\"]\npoints = 3\nmessage = \"M\"\n\n             [[wrong]]\nanswer = \"kind: Pod\"\nfails = [\"image\", \"manifest\"]\n"
        );
        let validated = validate_with(&[("topics/env/exercises/e.toml", &exercise)]);
        assert!(validated.problems.is_empty(), "{:?}", validated.problems);
        let deck = validated.deck.unwrap();
        let exercise = &deck.topics[0].exercises[0];
        assert_eq!(exercise.difficulty, 2);
        assert_eq!(exercise.hints[0].get("ko"), "힌트");
        assert_eq!(exercise.checks[0].points, 3);
        assert_eq!(
            exercise.checks[0].target.as_ref().unwrap().to_string(),
            "Pod/web"
        );
        assert_eq!(
            exercise.checks[0].rule,
            CheckRule::Field {
                path: "spec.containers[0].image".to_string(),
                expect: FieldExpect::OneOf(vec!["nginx".into(), "nginx:1.27".into()]),
            }
        );
        assert_eq!(
            exercise.wrong_answers[0].fails,
            [
                Rejection::Check(Id::parse("image").unwrap()),
                Rejection::Manifest
            ]
        );
    }
}
