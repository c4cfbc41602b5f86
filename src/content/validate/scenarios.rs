//! Scenario files (topics/ID/scenarios/*.toml): the task, the starting cluster (`[cluster]`:
//! manifests, nodes, images, container behaviour, files, the node's own text), hints, checks on
//! the final cluster (read in `checks`, with the scenario-only types), the solution script and the
//! `[[wrong]]` scripts with the checks each must fail. `deck check` proves them by running the
//! scripts (grade::scenario).

use toml::Spanned;
use toml::de::DeTable;

use super::file_checker::{FileChecker, table_value, take_array};
use crate::content::files::{CheckEntry, LocalizedText, ScenarioFile, WrongScriptEntry};
use crate::diagnostic::ProblemBuilder;
use crate::model::world::{Scenario, WrongScript};
use crate::model::{Check, ExerciseOrigin, Id, Localized};
use crate::text::did_you_mean;

impl FileChecker<'_> {
    pub(super) fn scenario(&mut self, mut table: Spanned<DeTable<'_>>) -> Option<Scenario> {
        self.scenario = true;
        let hint_entries = take_array(&mut table, "hint");
        let check_entries = take_array(&mut table, "check");
        let wrong_entries = take_array(&mut table, "wrong");
        let file: Option<ScenarioFile> = self.deserialize(table_value(table));
        let mut checks: Vec<Check> = Vec::new();
        let mut checks_ok = true;
        for entry in check_entries {
            match self
                .deserialize::<CheckEntry>(entry)
                .and_then(|entry| self.check(&entry))
            {
                Some((check, span)) => {
                    if checks.iter().any(|existing| existing.id == check.id) {
                        checks_ok = false;
                        self.problem(
                            span,
                            "duplicate-id",
                            format!("two checks have the id `{}`", check.id),
                        )
                        .help("give each check of a scenario its own id");
                    } else {
                        checks.push(check);
                    }
                }
                None => checks_ok = false,
            }
        }
        let hints: Vec<Option<Localized>> = hint_entries
            .into_iter()
            .map(|entry| {
                self.deserialize::<LocalizedText>(entry.clone())
                    .and_then(|text| self.localized(&Spanned::new(entry.span(), text)))
            })
            .collect();
        let file = file?;
        let id = self.id(&file.id, "scenario");
        let title = self.localized(&file.title);
        let task = self.localized(&file.task);
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
        if file.solution.get_ref().trim().is_empty() {
            self.problem(file.solution.span(), "empty-text", "the solution is empty")
                .help("write the commands that solve the task, one per line");
        }
        if checks.is_empty() && checks_ok {
            self.problem(
                file.id.span(),
                "missing-key",
                "this scenario has no [[check]]",
            )
            .help("add at least one [[check]] saying what the cluster must do");
        }
        let world_span = file.cluster.span();
        if let Err(why) = crate::cluster::sim::Cluster::check(file.cluster.get_ref()) {
            self.problem(
                world_span,
                "bad-value",
                format!("the starting cluster cannot be made: {why}"),
            )
            .help("every manifest in [cluster] must be one the API server accepts");
        }
        let check_ids: Vec<String> = checks
            .iter()
            .map(|check| check.id.as_str().to_string())
            .collect();
        let wrong: Vec<Option<WrongScript>> = wrong_entries
            .into_iter()
            .map(|entry| {
                self.deserialize::<WrongScriptEntry>(entry)
                    .and_then(|entry| self.wrong_script(entry, &check_ids, checks_ok))
            })
            .collect();
        let origin = ExerciseOrigin {
            file: self.file.to_string(),
            id_line: self.line_of(file.id.span().start),
            solution_line: self.line_of(file.solution.span().start),
            starter_line: None,
        };
        let after = self.after(&file.after);
        let hints: Option<Vec<Localized>> = hints.into_iter().collect();
        let wrong: Option<Vec<WrongScript>> = wrong.into_iter().collect();
        Some(Scenario {
            id: id?,
            origin,
            title: title?,
            difficulty: difficulty?,
            task: task?,
            world: file.cluster.into_inner(),
            hints: hints?,
            checks: checks_ok.then_some(checks)?,
            solution: file.solution.into_inner(),
            wrong: wrong?,
            after,
            variants: Default::default(),
        })
    }

    fn wrong_script(
        &mut self,
        entry: WrongScriptEntry,
        check_ids: &[String],
        checks_ok: bool,
    ) -> Option<WrongScript> {
        let why = self.optional_localized(entry.why.as_ref());
        if entry.script.get_ref().trim().is_empty() {
            self.problem(
                entry.script.span(),
                "empty-text",
                "this wrong script is empty",
            );
            return None;
        }
        if entry.fails.get_ref().is_empty() {
            self.problem(entry.fails.span(), "bad-value", "`fails` names no check")
                .help("list the check ids this script must fail");
            return None;
        }
        let mut fails = Vec::new();
        for name in entry.fails.get_ref() {
            if check_ids.iter().any(|id| id == name.get_ref()) {
                fails.push(Id::parse(name.get_ref()).ok()?);
            } else if checks_ok {
                let help = match did_you_mean(name.get_ref(), check_ids.iter().map(String::as_str))
                {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("the checks are: {}", check_ids.join(", ")),
                };
                self.problem(
                    name.span(),
                    "bad-reference",
                    format!(
                        "this scenario has no check `{}`",
                        crate::text::escape_controls(name.get_ref())
                    ),
                )
                .help(help);
                return None;
            } else {
                return None;
            }
        }
        Some(WrongScript {
            line: self.line_of(entry.script.span().start),
            script: entry.script.into_inner(),
            fails,
            why: why?,
        })
    }
}
