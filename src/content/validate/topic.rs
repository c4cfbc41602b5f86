//! One topic's folder: its lessons, then cards.toml, quiz.toml, drills.toml and each
//! exercises/*.toml. Each item is read on its own, so a broken one is reported and left out
//! while the others load. An id is unique across all the items of a topic, because links and
//! progress name an item by its topic and id.

use std::collections::HashMap;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::DeValue;

use super::file_checker::{
    FileChecker, id_span, table_id, table_id_in, table_value, take_array, value_table,
};
use super::params::{Locate, render_variant};
use super::{a, read_text};
use crate::content::files::{
    CardEntry, CardsFile, DrillEntry, DrillsFile, QuestionEntry, QuizFile,
};
use crate::content::source::DeckSource;
use crate::diagnostic::{Problem, ProblemBuilder};
use crate::model::{
    Card, Drill, Exercise, Id, ItemKind, Localized, Question, Recipe, Renderable, Topic,
};

/// Validates one topic's folder: its lessons and item files.
pub(super) struct TopicValidator<'a> {
    pub(super) source: &'a DeckSource,
    pub(super) problems: &'a mut Vec<Problem>,
    pub(super) languages: &'a [String],
    pub(super) topic: &'a Id,
    /// deck.toml's text and the topic id's span there, where problems about missing files point.
    pub(super) deck_toml: &'a str,
    pub(super) id_span: Range<usize>,
    /// Make a parameterized item's later variants only when first shown.
    pub(super) lazy_variants: bool,
}

/// Where an item id was first defined in a topic, to report duplicates.
struct Seen {
    kind: ItemKind,
    file: String,
    /// Byte offset of the id in `file`; turned into line:column only if a duplicate needs it
    /// (doing it for every item made loading quadratic in the file's size).
    offset: usize,
}

impl TopicValidator<'_> {
    pub(super) fn run(
        mut self,
        title: Option<Localized>,
        summary: Option<Localized>,
    ) -> Option<Topic> {
        let folder = format!("topics/{}/", self.topic);
        if !self
            .source
            .files
            .keys()
            .any(|path| path.starts_with(&folder))
        {
            self.problems.push(
                Problem::at("deck.toml", self.deck_toml, self.id_span.clone(), "missing-file", format!("topic `{}` has no folder {folder}", self.topic))
                    .help(format!("create {folder}lesson.en.md (and a lesson for each language of the deck), or remove this [[topic]]")),
            );
            return None;
        }
        let lesson = self.lesson(&folder);
        let mut seen: HashMap<String, Seen> = HashMap::new();

        let cards = self.items::<CardsFile, _>(
            &format!("{folder}cards.toml"),
            "card",
            ItemKind::Card,
            &mut seen,
            |file, entry, _| {
                file.deserialize::<CardEntry>(entry)
                    .and_then(|entry| file.card(entry))
            },
        );
        let questions = self.items::<QuizFile, _>(
            &format!("{folder}quiz.toml"),
            "question",
            ItemKind::Question,
            &mut seen,
            |file, entry, _| {
                file.deserialize::<QuestionEntry>(entry)
                    .and_then(|entry| file.question(&entry))
            },
        );
        let drills = self.items::<DrillsFile, _>(
            &format!("{folder}drills.toml"),
            "drill",
            ItemKind::Drill,
            &mut seen,
            |file, entry, index| {
                file.varied(
                    entry,
                    Locate::Entry {
                        key: "drill",
                        index,
                    },
                    build_drill,
                    |drill, variants| drill.variants = variants,
                )
            },
        );
        let mut exercises = Vec::new();
        let exercise_files: Vec<String> = self
            .source
            .files
            .keys()
            .filter(|path| {
                path.starts_with(&format!("{folder}exercises/")) && path.ends_with(".toml")
            })
            .cloned()
            .collect();
        for path in exercise_files {
            if let Some(exercise) = self.exercise(&path, &mut seen) {
                exercises.push(exercise);
            }
        }
        let mut scenarios = Vec::new();
        let scenario_files: Vec<String> = self
            .source
            .files
            .keys()
            .filter(|path| {
                path.starts_with(&format!("{folder}scenarios/")) && path.ends_with(".toml")
            })
            .cloned()
            .collect();
        for path in scenario_files {
            if let Some(scenario) = self.scenario(&path, &mut seen) {
                scenarios.push(scenario);
            }
        }
        let topic = Topic {
            id: self.topic.clone(),
            title: title?,
            summary,
            domain: None,
            lesson: lesson?,
            cards,
            questions,
            drills,
            exercises,
            scenarios,
        };
        self.check_after(&folder, &topic);
        Some(topic)
    }

    /// Every `after` names a section of the English lesson or an item of this topic.
    fn check_after(&mut self, folder: &str, topic: &Topic) {
        let sections = crate::study::order::section_slugs(topic.lesson.get("en"));
        let mut wanted: Vec<(String, &crate::model::After)> = Vec::new();
        for (file, lists) in [
            (
                "cards.toml",
                topic.cards.iter().map(|item| &item.after).collect(),
            ),
            (
                "quiz.toml",
                topic.questions.iter().map(|item| &item.after).collect(),
            ),
            (
                "drills.toml",
                topic
                    .drills
                    .iter()
                    .map(|item| &item.after)
                    .collect::<Vec<_>>(),
            ),
        ] {
            for after in lists.into_iter().flatten() {
                wanted.push((format!("{folder}{file}"), after));
            }
        }
        for exercise in &topic.exercises {
            wanted.extend(
                exercise
                    .after
                    .iter()
                    .map(|after| (exercise.origin.file.clone(), after)),
            );
        }
        for (file, after) in wanted {
            let Some((kind, id)) = after.target.split_once(':') else {
                continue;
            };
            let found = match kind {
                "section" => sections.iter().any(|slug| slug == id),
                _ => topic
                    .item(id)
                    .is_some_and(|item| item.kind().name() == kind),
            };
            if found {
                continue;
            }
            let Some(text) = self
                .source
                .files
                .get(&file)
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
            else {
                continue;
            };
            let span = after.offset..after.offset + after.target.len() + 2;
            let help = if kind == "section" {
                format!(
                    "the lesson's sections are: {}",
                    sections
                        .iter()
                        .map(|slug| format!("section:{slug}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                format!("name a {kind} of topic `{}` by its id", self.topic)
            };
            self.problems.push(
                Problem::at(
                    &file,
                    text,
                    span,
                    "unknown-after",
                    format!("`{}` is not in topic `{}`", after.target, self.topic),
                )
                .help(help),
            );
        }
    }

    /// Reads a file of `[[key]]` items (cards.toml, quiz.toml, drills.toml), each on its own.
    fn items<F: DeserializeOwned, T: HasId>(
        &mut self,
        path: &str,
        key: &'static str,
        kind: ItemKind,
        seen: &mut HashMap<String, Seen>,
        build: impl for<'t> Fn(&mut FileChecker, Spanned<DeValue<'t>>, usize) -> Option<T>,
    ) -> Vec<T> {
        let Some(text) = read_text(self.source, path, self.problems) else {
            return Vec::new();
        };
        let mut file = FileChecker::new(path, text, self.languages);
        file.lazy_variants = self.lazy_variants;
        let mut items = Vec::new();
        if let Some(mut table) = file.parse() {
            let entries = take_array(&mut table, key);
            // What is left must be empty; reading it as the file's struct reports any stray key
            // with the file's own list of keys.
            let _: Option<F> = file.deserialize(table_value(table));
            for (index, entry) in entries.into_iter().enumerate() {
                file.item = table_id(&entry).map(|id| format!("{key} `{id}`"));
                let span = id_span(&entry).unwrap_or_else(|| entry.span());
                if let Some(item) = build(&mut file, entry, index)
                    && self.first_use(&mut file, seen, item.id(), kind, span)
                {
                    items.push(item);
                }
                file.item = None;
            }
        }
        self.problems.append(&mut file.problems);
        items
    }

    fn exercise(&mut self, path: &str, seen: &mut HashMap<String, Seen>) -> Option<Exercise> {
        let text = read_text(self.source, path, self.problems)?;
        let mut file = FileChecker::new(path, text, self.languages);
        file.lazy_variants = self.lazy_variants;
        let exercise = file.parse().and_then(|table| {
            file.item = table_id_in(&table).map(|id| format!("exercise `{id}`"));
            let span = table.get_ref().get("id").map_or(0..0, Spanned::span);
            let exercise = file.varied(
                table_value(table),
                Locate::File,
                build_exercise,
                |exercise, variants| exercise.variants = variants,
            )?;
            self.first_use(&mut file, seen, &exercise.id, ItemKind::Exercise, span)
                .then_some(exercise)
        });
        self.problems.append(&mut file.problems);
        exercise
    }

    fn scenario(
        &mut self,
        path: &str,
        seen: &mut HashMap<String, Seen>,
    ) -> Option<crate::model::world::Scenario> {
        let text = read_text(self.source, path, self.problems)?;
        let mut file = FileChecker::new(path, text, self.languages);
        file.lazy_variants = self.lazy_variants;
        let scenario = file.parse().and_then(|table| {
            file.item = table_id_in(&table).map(|id| format!("scenario `{id}`"));
            let span = table.get_ref().get("id").map_or(0..0, Spanned::span);
            let scenario = file.varied(
                table_value(table),
                Locate::File,
                build_scenario,
                |scenario, variants| scenario.variants = variants,
            )?;
            self.first_use(&mut file, seen, &scenario.id, ItemKind::Scenario, span)
                .then_some(scenario)
        });
        self.problems.append(&mut file.problems);
        scenario
    }

    /// Records an item id; reports and returns false when the topic already has it.
    fn first_use(
        &self,
        file: &mut FileChecker,
        seen: &mut HashMap<String, Seen>,
        id: &Id,
        kind: ItemKind,
        span: Range<usize>,
    ) -> bool {
        if let Some(first) = seen.get(id.as_str()) {
            let first_text = if first.file == file.file {
                file.text
            } else {
                self.source.text(&first.file).unwrap_or_default()
            };
            let (line, column) = crate::text::line_column(first_text, first.offset);
            file.problem(span, "duplicate-id", format!("duplicate id `{id}`: topic `{}` already has {} with this id", self.topic, a(first.kind.name())))
                .help(format!("the first is at {}:{line}:{column}; every card, question, drill and exercise of a topic needs its own id", first.file));
            return false;
        }
        seen.insert(
            id.as_str().to_string(),
            Seen {
                kind,
                file: file.file.to_string(),
                offset: span.start,
            },
        );
        true
    }
}

trait HasId {
    fn id(&self) -> &Id;
}
impl HasId for Card {
    fn id(&self) -> &Id {
        &self.id
    }
}
impl HasId for Question {
    fn id(&self) -> &Id {
        &self.id
    }
}
impl HasId for Drill {
    fn id(&self) -> &Id {
        &self.id
    }
}

/// A drill from its `[[drill]]` table.
fn build_drill(file: &mut FileChecker<'_>, entry: Spanned<DeValue<'_>>) -> Option<Drill> {
    file.deserialize::<DrillEntry>(entry)
        .and_then(|entry| file.drill(&entry))
}

/// An exercise from its file's table.
fn build_exercise(file: &mut FileChecker<'_>, value: Spanned<DeValue<'_>>) -> Option<Exercise> {
    file.exercise(value_table(value))
}

/// A scenario from its file's table.
fn build_scenario(
    file: &mut FileChecker<'_>,
    value: Spanned<DeValue<'_>>,
) -> Option<crate::model::world::Scenario> {
    file.scenario(value_table(value))
}

impl Renderable for Drill {
    fn render(recipe: &Recipe, index: usize) -> Option<Self> {
        render_variant(recipe, index, build_drill)
    }
}

impl Renderable for Exercise {
    fn render(recipe: &Recipe, index: usize) -> Option<Self> {
        render_variant(recipe, index, build_exercise)
    }
}

impl Renderable for crate::model::world::Scenario {
    fn render(recipe: &Recipe, index: usize) -> Option<Self> {
        render_variant(recipe, index, build_scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_deck::{DECK, help_of, rules, validate_with};

    #[test]
    fn a_topic_without_a_folder_points_at_its_id() {
        let deck = format!("{DECK}\n[[topic]]\nid = \"secrets\"\ntitle = \"Secrets\"\n");
        let validated = validate_with(&[("deck.toml", &deck)]);
        assert_eq!(rules(&validated), [("deck.toml", 11, 6, "missing-file")]);
    }

    #[test]
    fn a_broken_item_is_left_out_and_the_others_load() {
        let cards = "[[card]]\nid = \"good\"\nfront = \"F\"\nback = \"B\"\n\n[[card]]\nid = \"Bad_Id\"\nfront = \"F\"\nback = \"B\"\n";
        let validated = validate_with(&[("topics/env/cards.toml", cards)]);
        assert_eq!(
            rules(&validated),
            [("topics/env/cards.toml", 7, 6, "bad-id")]
        );
        assert!(help_of(&validated, "bad-id").contains("\"bad-id\""));
        let deck = validated.deck.unwrap();
        let ids: Vec<&str> = deck.topics[0]
            .cards
            .iter()
            .map(|card| card.id.as_str())
            .collect();
        assert_eq!(ids, ["good"]);
    }
}
