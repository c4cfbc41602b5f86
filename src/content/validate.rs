//! From a deck's files to the [`model`](crate::model), finding every problem on the way.
//!
//! Nothing stops at the first mistake: a TOML syntax error is reported with the others the parser
//! recovers from; each `[[card]]`, `[[check]]` or exercise file is read on its own, so one bad
//! item neither hides the next problem nor takes the rest of the deck down; inside a table, a bad
//! key is reported, set aside, and the table read again to find the next one. Items with errors
//! are left out of the deck; the deck is still usable when its `deck.toml` is sound.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::files::{
    CardEntry, CardsFile, CheckEntry, CheckType, ChoiceAnswer, DeckFile, DrillEntry, DrillsFile,
    ExerciseFile, ImageTable, ImagesFile, LocalizedText, QuestionEntry, QuestionType, QuizFile,
    TopicEntry, WrongEntry,
};
use super::source::DeckSource;
use crate::diagnostic::{Problem, ProblemBuilder};
use crate::model::{
    ArgvExpect, Card, Check, CheckRule, Comparison, Deck, Drill, EnvExpect, Exercise,
    ExerciseOrigin, FALLBACK_LANGUAGE, FieldExpect, Id, Image, ItemKind, Localized, Question,
    QuestionAnswer, Rejection, Target, Topic, WrongAnswer,
};
use crate::text::did_you_mean;
use crate::{DECK_FORMAT_VERSION, KUBERNETES_VERSION};

/// The result of validating one deck: the deck when its `deck.toml` is sound (with every item
/// that had no error), and every problem found, sorted by file and position.
#[derive(Debug)]
pub struct Validated {
    pub deck: Option<Deck>,
    pub problems: Vec<Problem>,
}

/// Files at a deck's root that kubedrill reads or knowingly ignores.
const ROOT_FILES: &[&str] = &["deck.toml", "images.toml"];
const IGNORED_FILES: &[&str] = &[
    "README.md",
    "README",
    "LICENSE",
    "LICENSE.md",
    "CHANGELOG.md",
    "NOTICE",
];
/// Files a topic folder may hold besides `lesson.LANG.md` and `exercises/*.toml`.
const TOPIC_FILES: &[&str] = &["cards.toml", "quiz.toml", "drills.toml"];
/// The check id reserved for "the manifest checker refuses this answer" in `[[wrong]].fails`.
const MANIFEST_REJECTION: &str = "manifest";

pub fn validate(source: &DeckSource) -> Validated {
    let mut problems = source.refused.clone();
    let deck = DeckValidator {
        source,
        problems: &mut problems,
    }
    .run();
    problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    Validated { deck, problems }
}

struct DeckValidator<'a> {
    source: &'a DeckSource,
    problems: &'a mut Vec<Problem>,
}

impl DeckValidator<'_> {
    fn run(&mut self) -> Option<Deck> {
        let source = self.source;
        let Some(text) = read_text(source, "deck.toml", self.problems) else {
            if !self.source.files.contains_key("deck.toml") {
                self.problems.push(
                    Problem::in_file("deck.toml", "missing-file", "this folder has no deck.toml, so it is not a deck")
                        .help("create deck.toml with format_version, id, title, languages and [[topic]] (see docs/deck-format.md)"),
                );
            }
            return None;
        };
        let mut file = FileChecker::new("deck.toml", text, &[]);
        let mut table = file.parse()?;
        if !file.format_version_supported(&table) {
            self.problems.append(&mut file.problems);
            return None;
        }
        let topic_entries = take_array(&mut table, "topic");
        let deck_file: Option<(DeckFile, bool)> = file.deserialize_recovering(table_value(table));
        let Some((deck_file, _)) = deck_file else {
            self.problems.append(&mut file.problems);
            return None;
        };
        let languages = file.languages(&deck_file.languages);
        file.languages = languages.clone();
        let deck_id = file.id(&deck_file.id, "deck");
        let title = file.localized(&deck_file.title);
        let description = deck_file
            .description
            .as_ref()
            .and_then(|text| file.localized(text));
        if let Some(version) = &deck_file.version
            && !is_semver(version.get_ref())
        {
            file.problem(
                version.span(),
                "bad-value",
                format!("`{}` is not a MAJOR.MINOR.PATCH version", version.get_ref()),
            )
            .help("write the deck's version like \"1.0.0\"");
        }
        if let Some(kubernetes) = &deck_file.kubernetes {
            file.kubernetes_version(kubernetes);
        }

        let mut topic_ids: Vec<(Id, Range<usize>)> = Vec::new();
        let mut topic_files: Vec<TopicEntry> = Vec::new();
        if topic_entries.is_empty() {
            let span = 0..text.find('\n').unwrap_or(text.len());
            file.problem(span, "missing-key", "the deck has no topics")
                .help("add a [[topic]] table with id and title for each topic, in display order");
        }
        for entry in topic_entries {
            let item = table_id(&entry).map(|id| format!("topic `{id}`"));
            file.item = item;
            if let Some(topic) = file.deserialize::<TopicEntry>(entry)
                && let Some(id) = file.id(&topic.id, "topic")
            {
                if let Some((_, first)) = topic_ids.iter().find(|(existing, _)| *existing == id) {
                    let (line, column) = crate::text::line_column(text, first.start);
                    file.problem(
                        topic.id.span(),
                        "duplicate-id",
                        format!("topic `{id}` is listed twice"),
                    )
                    .help(format!(
                        "the first is at deck.toml:{line}:{column}; give each topic its own id"
                    ));
                } else {
                    topic_ids.push((id, topic.id.span()));
                    topic_files.push(topic);
                }
            }
            file.item = None;
        }
        self.problems.append(&mut file.problems);

        let images = self.images_file(&languages);
        let declared: Vec<&str> = topic_ids.iter().map(|(id, _)| id.as_str()).collect();
        self.check_unknown_files(&declared, &languages);

        // Topics are independent: they are read in parallel, and their problems kept in the
        // order the topics are listed.
        let source = self.source;
        let pairs: Vec<_> = topic_files.iter().zip(&topic_ids).collect();
        let checked = crate::parallel::map(&pairs, |(topic_file, (id, id_span))| {
            let mut deck_toml = FileChecker::new("deck.toml", text, &languages);
            deck_toml.item = Some(format!("topic `{id}`"));
            let title = deck_toml.localized(&topic_file.title);
            let summary = topic_file
                .summary
                .as_ref()
                .and_then(|text| deck_toml.localized(text));
            let topic = TopicValidator {
                source,
                problems: &mut deck_toml.problems,
                languages: &languages,
                topic: id,
                deck_toml: text,
                id_span: id_span.clone(),
            }
            .run(title, summary);
            (deck_toml.problems, topic)
        });
        let mut topics = Vec::new();
        for (mut problems, topic) in checked {
            self.problems.append(&mut problems);
            topics.extend(topic);
        }
        check_lesson_links(&topics, self.problems);

        Some(Deck {
            id: deck_id?,
            origin: self.source.origin.clone(),
            title: title?,
            description,
            version: deck_file.version.map(Spanned::into_inner),
            authors: deck_file.authors,
            languages,
            kubernetes: deck_file.kubernetes.map(Spanned::into_inner),
            topics,
            images,
        })
    }

    fn images_file(&mut self, languages: &[String]) -> BTreeMap<String, Image> {
        let source = self.source;
        let Some(text) = read_text(source, "images.toml", self.problems) else {
            return BTreeMap::new();
        };
        let mut file = FileChecker::new("images.toml", text, languages);
        let images = file
            .parse()
            .and_then(|table| file.deserialize::<ImagesFile>(table_value(table)))
            .map(|images| file.images(images.images))
            .unwrap_or_default();
        self.problems.append(&mut file.problems);
        images
    }

    /// Reports files kubedrill would not read, and topic folders deck.toml does not list.
    fn check_unknown_files(&mut self, declared: &[&str], languages: &[String]) {
        let mut unlisted_reported = BTreeSet::new();
        for path in self.source.files.keys() {
            let parts: Vec<&str> = path.split('/').collect();
            match parts.as_slice() {
                [name] if ROOT_FILES.contains(name) || IGNORED_FILES.contains(name) => {}
                ["topics", topic, rest @ ..] if !declared.contains(topic) => {
                    if unlisted_reported.insert(*topic) && !rest.is_empty() {
                        let mut problem = Problem::in_file(
                            path,
                            "unlisted-topic",
                            format!(
                                "folder topics/{topic}/ is not a topic listed in deck.toml, so nothing in it is used"
                            ),
                        );
                        problem.help = Some(match did_you_mean(topic, declared.iter().copied()) {
                            Some(close) => format!(
                                "did you mean the topic `{close}`? Rename the folder to topics/{close}/, or add a [[topic]] with id = \"{topic}\""
                            ),
                            None => format!(
                                "add a [[topic]] with id = \"{topic}\" to deck.toml, or remove the folder"
                            ),
                        });
                        self.problems.push(problem);
                    }
                }
                ["topics", _, name]
                    if TOPIC_FILES.contains(name) || IGNORED_FILES.contains(name) => {}
                ["topics", _, "exercises", name] if name.ends_with(".toml") => {}
                ["topics", _, name] if lesson_language(name).is_some() => {
                    let language = lesson_language(name).unwrap_or_default();
                    if !languages.iter().any(|known| known == language) {
                        let mut problem = Problem::in_file(
                            path,
                            "unknown-language",
                            format!(
                                "`{language}` is not one of the deck's languages ({})",
                                languages.join(", ")
                            ),
                        );
                        problem.help = Some(
                            match did_you_mean(language, languages.iter().map(String::as_str)) {
                                Some(close) => format!("did you mean lesson.{close}.md?"),
                                None => format!(
                                    "add \"{language}\" to `languages` in deck.toml, or rename the file"
                                ),
                            },
                        );
                        self.problems.push(problem);
                    }
                }
                parts => {
                    let name = parts.last().copied().unwrap_or_default();
                    let known = if parts.first() == Some(&"topics") {
                        TOPIC_FILES
                    } else {
                        ROOT_FILES
                    };
                    let help = match did_you_mean(name, known.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None if parts.first() == Some(&"topics") => "a topic folder holds lesson.LANG.md, cards.toml, quiz.toml, drills.toml and exercises/*.toml".to_string(),
                        None => "a deck holds deck.toml, images.toml and topics/; see docs/deck-format.md".to_string(),
                    };
                    self.problems.push(
                        Problem::in_file(path, "unknown-file", "kubedrill does not read this file")
                            .help(help)
                            .warning(),
                    );
                }
            }
        }
    }
}

/// A file's text; a file that is not UTF-8 is reported (with the position of the first bad
/// byte) and read as absent.
fn read_text<'s>(
    source: &'s DeckSource,
    file: &str,
    problems: &mut Vec<Problem>,
) -> Option<&'s str> {
    let bytes = source.files.get(file)?;
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let (line, column) = crate::text::line_column(
                std::str::from_utf8(valid).unwrap_or_default(),
                valid.len(),
            );
            let mut problem = Problem::in_file(
                file,
                "not-utf8",
                format!(
                    "this file is not UTF-8 text (invalid byte at line {line}, column {column})"
                ),
            )
            .help("save the file as UTF-8");
            problem.line = line;
            problem.column = column;
            problems.push(problem);
            None
        }
    }
}

/// `lesson.ko.md` → `ko`.
fn lesson_language(name: &str) -> Option<&str> {
    name.strip_prefix("lesson.")?
        .strip_suffix(".md")
        .filter(|language| !language.is_empty())
}

/// Validates one topic's folder: its lessons and item files.
struct TopicValidator<'a> {
    source: &'a DeckSource,
    problems: &'a mut Vec<Problem>,
    languages: &'a [String],
    topic: &'a Id,
    /// deck.toml's text and the topic id's span there, where problems about missing files point.
    deck_toml: &'a str,
    id_span: Range<usize>,
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
    fn run(mut self, title: Option<Localized>, summary: Option<Localized>) -> Option<Topic> {
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

        let cards = self.items::<CardsFile, _, _>(
            &format!("{folder}cards.toml"),
            "card",
            ItemKind::Card,
            &mut seen,
            |file, entry: CardEntry| {
                // Every field is checked before any `?`, so one run reports them all.
                let id = file.id(&entry.id, "card");
                let front = file.localized(&entry.front);
                let back = file.localized(&entry.back);
                let explain = file.optional_localized(entry.explain.as_ref());
                Some(Card {
                    id: id?,
                    front: front?,
                    back: back?,
                    explain: explain?,
                    tags: entry.tags,
                })
            },
        );
        let questions = self.items::<QuizFile, _, _>(
            &format!("{folder}quiz.toml"),
            "question",
            ItemKind::Question,
            &mut seen,
            |file, entry| file.question(&entry),
        );
        let drills = self.items::<DrillsFile, _, _>(
            &format!("{folder}drills.toml"),
            "drill",
            ItemKind::Drill,
            &mut seen,
            |file, entry| file.drill(&entry),
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
        Some(Topic {
            id: self.topic.clone(),
            title: title?,
            summary,
            lesson: lesson?,
            cards,
            questions,
            drills,
            exercises,
        })
    }

    fn lesson(&mut self, folder: &str) -> Option<Localized> {
        let mut texts = BTreeMap::new();
        for language in self.languages {
            let path = format!("{folder}lesson.{language}.md");
            if !self.source.files.contains_key(&path) {
                let name = language_name(language);
                self.problems.push(
                    Problem::at(
                        "deck.toml",
                        self.deck_toml,
                        self.id_span.clone(),
                        "missing-lesson",
                        format!(
                            "topic `{}` has no {name} lesson: {path} is missing",
                            self.topic
                        ),
                    )
                    .help(format!(
                        "the deck offers `{language}` in `languages`, so every topic needs {path}"
                    )),
                );
                continue;
            }
            match read_text(self.source, &path, self.problems) {
                None => {}
                Some(text) if text.trim().is_empty() => self.problems.push(
                    Problem::in_file(&path, "empty-lesson", "this lesson is empty")
                        .help("write the lesson in Markdown"),
                ),
                Some(text) => {
                    texts.insert(language.clone(), text.to_string());
                }
            }
        }
        Localized::new(texts)
    }

    /// Reads a file of `[[key]]` items (cards.toml, quiz.toml, drills.toml), each on its own.
    fn items<F: DeserializeOwned, E: DeserializeOwned, T: HasId>(
        &mut self,
        path: &str,
        key: &'static str,
        kind: ItemKind,
        seen: &mut HashMap<String, Seen>,
        build: impl Fn(&mut FileChecker, E) -> Option<T>,
    ) -> Vec<T> {
        let Some(text) = read_text(self.source, path, self.problems) else {
            return Vec::new();
        };
        let mut file = FileChecker::new(path, text, self.languages);
        let mut items = Vec::new();
        if let Some(mut table) = file.parse() {
            let entries = take_array(&mut table, key);
            // What is left must be empty; reading it as the file's struct reports any stray key
            // with the file's own list of keys.
            let _: Option<F> = file.deserialize(table_value(table));
            for entry in entries {
                file.item = table_id(&entry).map(|id| format!("{key} `{id}`"));
                let span = id_span(&entry).unwrap_or_else(|| entry.span());
                if let Some(item) = file
                    .deserialize::<E>(entry)
                    .and_then(|entry| build(&mut file, entry))
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
        let exercise = file.parse().and_then(|table| {
            file.item = table_id_in(&table).map(|id| format!("exercise `{id}`"));
            let span = table.get_ref().get("id").map_or(0..0, Spanned::span);
            let exercise = file.exercise(table)?;
            self.first_use(&mut file, seen, &exercise.id, ItemKind::Exercise, span)
                .then_some(exercise)
        });
        self.problems.append(&mut file.problems);
        exercise
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

fn language_name(tag: &str) -> String {
    match tag {
        "en" => "English".to_string(),
        "ko" => "Korean".to_string(),
        other => format!("`{other}`"),
    }
}

/// Removes `key` from a table when it is an array, returning its elements (each deserialized on
/// its own later, so one bad element does not hide the others).
fn take_array<'i>(table: &mut Spanned<DeTable<'i>>, key: &str) -> Vec<Spanned<DeValue<'i>>> {
    let table = table.get_mut();
    if !table
        .get(key)
        .is_some_and(|value| value.get_ref().is_array())
    {
        return Vec::new();
    }
    match table.remove(key).map(Spanned::into_inner) {
        Some(DeValue::Array(array)) => array.into_iter().collect(),
        _ => Vec::new(),
    }
}

fn table_value(table: Spanned<DeTable<'_>>) -> Spanned<DeValue<'_>> {
    let span = table.span();
    Spanned::new(span, DeValue::Table(table.into_inner()))
}

/// The `id` string of an item table, before it is validated (to name the item in messages).
fn table_id(value: &Spanned<DeValue<'_>>) -> Option<String> {
    match value.get_ref() {
        DeValue::Table(table) => table_id_in_table(table),
        _ => None,
    }
}

/// The span of an item table's `id` value.
fn id_span(value: &Spanned<DeValue<'_>>) -> Option<Range<usize>> {
    match value.get_ref() {
        DeValue::Table(table) => table.get("id").map(Spanned::span),
        _ => None,
    }
}

fn table_id_in(table: &Spanned<DeTable<'_>>) -> Option<String> {
    table_id_in_table(table.get_ref())
}

fn table_id_in_table(table: &DeTable<'_>) -> Option<String> {
    table.get("id").and_then(|value| {
        value
            .get_ref()
            .as_str()
            .map(crate::text::escape_controls)
            .map(|id| id.into_owned())
    })
}

/// Checks one file, collecting its problems. `item` names the item being read, for messages.
struct FileChecker<'a> {
    file: &'a str,
    text: &'a str,
    languages: Vec<String>,
    item: Option<String>,
    problems: Vec<Problem>,
}

impl<'a> FileChecker<'a> {
    fn new(file: &'a str, text: &'a str, languages: &[String]) -> FileChecker<'a> {
        FileChecker {
            file,
            text,
            languages: languages.to_vec(),
            item: None,
            problems: Vec::new(),
        }
    }

    fn problem(
        &mut self,
        span: Range<usize>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> &mut Problem {
        let problem =
            Problem::at(self.file, self.text, span, rule, message).item(self.item.clone());
        self.problems.push(problem);
        self.problems.last_mut().expect("just pushed")
    }

    /// The span of `needle` inside the string value at `span`, when the value is written
    /// without escapes (so its bytes are the text's); otherwise the whole value.
    fn inner_span(&self, span: Range<usize>, needle: &str) -> Range<usize> {
        let written = self.text.get(span.clone()).unwrap_or_default();
        if written.contains('\\') {
            return span;
        }
        match written.find(needle) {
            Some(at) => span.start + at..span.start + at + needle.len(),
            None => span,
        }
    }

    /// Parses the file as TOML; reports every syntax error the parser recovers from.
    fn parse(&mut self) -> Option<Spanned<DeTable<'a>>> {
        let (table, errors) = DeTable::parse_recoverable(self.text);
        if errors.is_empty() {
            return Some(table);
        }
        for error in errors {
            let span = error.span().unwrap_or(0..0);
            let message = first_sentence(error.message());
            self.problem(span, "toml-syntax", format!("TOML syntax: {message}"))
                .help("fix the syntax; see https://toml.io for the rules");
        }
        None
    }

    /// Refuses a `format_version` newer than this build reads, before anything else is judged
    /// (the rest of a newer deck would only produce confusing errors).
    fn format_version_supported(&mut self, table: &Spanned<DeTable<'_>>) -> bool {
        let Some(value) = table.get_ref().get("format_version") else {
            return true;
        };
        let Some(version) = value
            .get_ref()
            .as_integer()
            .and_then(|integer| integer.as_str().parse::<i64>().ok())
        else {
            return true;
        };
        if version > DECK_FORMAT_VERSION {
            self.problem(value.span(), "format-version", format!("this deck is written for deck format {version}, but this kubedrill reads format {DECK_FORMAT_VERSION} at most"))
                .help("upgrade kubedrill (cargo install kubedrill) to use this deck");
            return false;
        }
        if version < 1 {
            self.problem(
                value.span(),
                "format-version",
                format!("format_version {version} does not exist; the first format is 1"),
            )
            .help(format!("write format_version = {DECK_FORMAT_VERSION}"));
        }
        true
    }

    /// Deserializes a table into `T`, reporting every bad key: after each error the offending key
    /// is set aside and the table read again. Returns `T` only when there was no error at all.
    fn deserialize<T: DeserializeOwned>(&mut self, value: Spanned<DeValue<'_>>) -> Option<T> {
        self.deserialize_recovering(value)
            .filter(|(_, clean)| *clean)
            .map(|(result, _)| result)
    }

    /// Like [`Self::deserialize`], but also returns what could be read once the bad keys were set
    /// aside, with whether there were none: `deck.toml` goes on being checked past a typo, so one
    /// run still reports the problems of every topic.
    fn deserialize_recovering<T: DeserializeOwned>(
        &mut self,
        value: Spanned<DeValue<'_>>,
    ) -> Option<(T, bool)> {
        let span = value.span();
        let mut value = value;
        let mut set_aside: Vec<String> = Vec::new();
        // Keys that an unknown key was probably meant to be (`fornt` → `front`): their
        // "missing" error would only repeat the unknown-key one.
        let mut meant: Vec<String> = Vec::new();
        for _ in 0..128 {
            match T::deserialize(ValueDeserializer::from(value.clone())) {
                Ok(result) => return Some((result, set_aside.is_empty())),
                Err(error) => {
                    let error_span = error.span().unwrap_or_else(|| span.clone());
                    let message = error.message().to_string();
                    let missing = quoted_after(&message, "missing field ");
                    let repeated = missing.as_deref().is_some_and(|key| {
                        set_aside.iter().chain(&meant).any(|known| known == key)
                    });
                    if !repeated {
                        meant.extend(self.report_serde_error(&message, error_span.clone()));
                    }
                    match remove_entry_at(&mut value, error_span.start) {
                        Some(key) => set_aside.push(key),
                        None => return None,
                    }
                }
            }
        }
        None
    }

    /// Reports one serde error in plain words; returns the key an unknown key was probably
    /// meant to be, when there is one.
    fn report_serde_error(&mut self, message: &str, span: Range<usize>) -> Option<String> {
        let first = first_sentence(message);
        if let Some(key) = quoted_after(first, "unknown field ") {
            let expected = quoted_list(first.split_once("expected").map_or("", |(_, rest)| rest));
            let close = did_you_mean(&key, expected.iter().map(String::as_str)).map(str::to_string);
            let help = match &close {
                Some(close) => {
                    format!("did you mean `{close}`? Keys here: {}", expected.join(", "))
                }
                None if expected.is_empty() => "this table takes no keys".to_string(),
                None => format!("keys here: {}", expected.join(", ")),
            };
            self.problem(
                span,
                "unknown-key",
                format!("unknown key `{}`", crate::text::escape_controls(&key)),
            )
            .help(help);
            return close;
        } else if let Some(key) = quoted_after(first, "missing field ") {
            self.problem(span, "missing-key", format!("missing required key `{key}`"))
                .help(format!("add `{key} = ...` (see docs/deck-format.md)"));
        } else if let Some(value) = quoted_after(first, "unknown variant ") {
            let expected = quoted_list(first.split_once("expected").map_or("", |(_, rest)| rest));
            let help = match did_you_mean(&value, expected.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("use one of: {}", expected.join(", ")),
            };
            self.problem(
                span,
                "bad-value",
                format!(
                    "`{}` is not an accepted value",
                    crate::text::escape_controls(&value)
                ),
            )
            .help(help);
        } else if first.starts_with("invalid type") || first.starts_with("data did not match") {
            let plain = first.replace(
                "data did not match any variant of untagged enum ChoiceAnswer",
                "expected an index or a list of indices",
            );
            self.problem(
                span,
                "wrong-type",
                format!("wrong type: {}", crate::text::escape_controls(&plain)),
            );
        } else {
            self.problem(
                span,
                "bad-value",
                crate::text::escape_controls(first).into_owned(),
            );
        }
        None
    }

    fn id(&mut self, id: &Spanned<String>, what: &str) -> Option<Id> {
        match Id::parse(id.get_ref()) {
            Ok(id) => Some(id),
            Err(reason) => {
                let suggestion = suggest_id(id.get_ref());
                let problem = self.problem(
                    id.span(),
                    "bad-id",
                    format!(
                        "`{}` is not a valid {what} id: {reason}",
                        crate::text::escape_controls(id.get_ref())
                    ),
                );
                if let Some(suggestion) = suggestion {
                    problem.help = Some(format!(
                        "for example \"{suggestion}\"; ids never change once learners use the deck, so choose one that names the idea"
                    ));
                }
                None
            }
        }
    }

    fn languages(&mut self, languages: &Spanned<Vec<Spanned<String>>>) -> Vec<String> {
        let mut result: Vec<String> = Vec::new();
        for language in languages.get_ref() {
            let tag = language.get_ref();
            if !is_language_tag(tag) {
                self.problem(
                    language.span(),
                    "bad-value",
                    format!(
                        "`{}` is not a language tag",
                        crate::text::escape_controls(tag)
                    ),
                )
                .help("use a BCP 47 tag such as \"en\", \"ko\" or \"pt-BR\"");
            } else if result.contains(tag) {
                self.problem(
                    language.span(),
                    "duplicate-id",
                    format!("language `{tag}` is listed twice"),
                );
            } else {
                result.push(tag.clone());
            }
        }
        if !result.iter().any(|language| language == FALLBACK_LANGUAGE) {
            self.problem(
                languages.span(),
                "missing-english",
                "`languages` must include \"en\"",
            )
            .help(
                "English is every deck's fallback language: add \"en\" and write the English text",
            );
        }
        // English first: it is the fallback and the order lessons are checked in.
        result.sort_by_key(|language| language != FALLBACK_LANGUAGE);
        result
    }

    fn kubernetes_version(&mut self, version: &Spanned<String>) {
        let pinned_minor: u32 = KUBERNETES_VERSION
            .split('.')
            .nth(1)
            .and_then(|minor| minor.parse().ok())
            .unwrap_or(0);
        match version
            .get_ref()
            .strip_prefix("1.")
            .and_then(|minor| minor.parse::<u32>().ok())
        {
            None => {
                self.problem(
                    version.span(),
                    "bad-value",
                    format!(
                        "`{}` is not a Kubernetes minor version",
                        crate::text::escape_controls(version.get_ref())
                    ),
                )
                .help(format!("write it like \"{KUBERNETES_VERSION}\""));
            }
            Some(minor) if minor > pinned_minor => {
                self.problem(version.span(), "kubernetes-version", format!("the deck targets Kubernetes {}, newer than the {KUBERNETES_VERSION} this kubedrill checks manifests against", version.get_ref()))
                    .help("manifests in this deck are checked against the older version; upgrade kubedrill to check them against the newer one")
                    .severity = crate::diagnostic::Severity::Warning;
            }
            Some(_) => {}
        }
    }

    fn localized(&mut self, text: &Spanned<LocalizedText>) -> Option<Localized> {
        match text.get_ref() {
            LocalizedText::English(english) => {
                if english.trim().is_empty() {
                    self.problem(text.span(), "empty-text", "this text is empty")
                        .help("write the text, or remove the key if it is optional");
                    return None;
                }
                Some(Localized::english(english.clone()))
            }
            LocalizedText::ByLanguage(entries) => {
                let mut texts = BTreeMap::new();
                let mut ok = true;
                for (language, value) in entries {
                    let tag = language.get_ref();
                    if !self.languages.iter().any(|known| known == tag) {
                        ok = false;
                        let help =
                            match did_you_mean(tag, self.languages.iter().map(String::as_str)) {
                                Some(close) => format!("did you mean `{close}`?"),
                                None => format!(
                                    "add \"{tag}\" to `languages` in deck.toml, or use one of: {}",
                                    self.languages.join(", ")
                                ),
                            };
                        self.problem(
                            language.span(),
                            "unknown-language",
                            format!(
                                "`{}` is not one of the deck's languages",
                                crate::text::escape_controls(tag)
                            ),
                        )
                        .help(help);
                    } else if value.trim().is_empty() {
                        ok = false;
                        self.problem(
                            language.span(),
                            "empty-text",
                            format!("the `{tag}` text is empty"),
                        )
                        .help("write the text, or remove this language to fall back to English");
                    } else {
                        texts.insert(tag.clone(), value.clone());
                    }
                }
                if !texts.contains_key(FALLBACK_LANGUAGE) && ok {
                    self.problem(
                        text.span(),
                        "missing-english",
                        "this text has no English (`en`) version",
                    )
                    .help("add `en = \"...\"`: English is required, other languages are optional");
                    return None;
                }
                if !ok {
                    return None;
                }
                Localized::new(texts)
            }
        }
    }

    /// `None` when the text is there but broken; `Some(None)` when it is absent.
    fn optional_localized(
        &mut self,
        text: Option<&Spanned<LocalizedText>>,
    ) -> Option<Option<Localized>> {
        match text {
            None => Some(None),
            Some(text) => self.localized(text).map(Some),
        }
    }

    fn images(&mut self, images: ImageTable) -> BTreeMap<String, Image> {
        let mut result = BTreeMap::new();
        for (name, entry) in images.0 {
            if name.get_ref().trim().is_empty() || name.get_ref().contains(char::is_whitespace) {
                self.problem(
                    name.span(),
                    "bad-value",
                    "an image name has no spaces and is not empty",
                )
                .help("write the name as in a Pod's `image:`, e.g. \"ubuntu-sleeper\"");
                continue;
            }
            result.insert(
                name.into_inner(),
                Image {
                    entrypoint: entry.entrypoint,
                    cmd: entry.cmd,
                },
            );
        }
        result
    }

    fn question(&mut self, entry: &QuestionEntry) -> Option<Question> {
        let id = self.id(&entry.id, "question");
        let question = self.localized(&entry.question);
        let explain = self.optional_localized(entry.explain.as_ref());
        let answer = match entry.kind.get_ref() {
            QuestionType::Choice => {
                self.not_for(
                    entry.accept.as_ref().map(Spanned::span),
                    "accept",
                    "a `choice` question",
                    "`typein`",
                );
                self.choice(entry)
            }
            QuestionType::Typein => {
                self.not_for(
                    entry.options.as_ref().map(Spanned::span),
                    "options",
                    "a `typein` question",
                    "`choice`",
                );
                self.not_for(
                    entry.answer.as_ref().map(Spanned::span),
                    "answer",
                    "a `typein` question",
                    "`choice`",
                );
                match &entry.accept {
                    Some(accept)
                        if accept
                            .get_ref()
                            .iter()
                            .any(|answer| !answer.trim().is_empty()) =>
                    {
                        Some(QuestionAnswer::TypeIn {
                            accept: accept
                                .get_ref()
                                .iter()
                                .filter(|answer| !answer.trim().is_empty())
                                .cloned()
                                .collect(),
                        })
                    }
                    Some(accept) => {
                        self.problem(accept.span(), "bad-value", "`accept` has no answers")
                            .help("list every answer to accept, e.g. accept = [\"envFrom\"]");
                        None
                    }
                    None => {
                        self.problem(
                            entry.kind.span(),
                            "missing-key",
                            "a `typein` question needs `accept`",
                        )
                        .help("add accept = [\"...\"] with every answer to accept");
                        None
                    }
                }
            }
        };
        Some(Question {
            id: id?,
            question: question?,
            answer: answer?,
            explain: explain?,
        })
    }

    fn choice(&mut self, entry: &QuestionEntry) -> Option<QuestionAnswer> {
        let Some(options) = &entry.options else {
            self.problem(
                entry.kind.span(),
                "missing-key",
                "a `choice` question needs `options`",
            )
            .help("add options = [\"...\", \"...\"] with 2 to 8 options");
            return None;
        };
        let count = options.get_ref().len();
        if !(2..=8).contains(&count) {
            self.problem(
                options.span(),
                "bad-value",
                format!("a `choice` question has 2 to 8 options, not {count}"),
            );
        }
        let localized: Vec<Option<Localized>> = options
            .get_ref()
            .iter()
            .map(|option| self.localized(option))
            .collect();
        let Some(answer) = &entry.answer else {
            self.problem(
                entry.kind.span(),
                "missing-key",
                "a `choice` question needs `answer`",
            )
            .help("add answer = N, the index (from 0) of the right option");
            return None;
        };
        let indices = match answer.get_ref() {
            ChoiceAnswer::One(index) => vec![*index],
            ChoiceAnswer::Several(indices) => indices.clone(),
        };
        let mut correct = Vec::new();
        for index in indices {
            if index < 0 || index as usize >= count {
                self.problem(
                    answer.span(),
                    "bad-value",
                    format!(
                        "answer {index} is not an option: options are numbered 0 to {}",
                        count.saturating_sub(1)
                    ),
                )
                .help("`answer` counts options from 0");
                return None;
            }
            if correct.contains(&(index as usize)) {
                self.problem(
                    answer.span(),
                    "bad-value",
                    format!("answer {index} is listed twice"),
                );
                return None;
            }
            correct.push(index as usize);
        }
        if correct.is_empty() {
            self.problem(answer.span(), "bad-value", "`answer` lists no option")
                .help("give the index (from 0) of at least one right option");
            return None;
        }
        let options: Option<Vec<Localized>> = localized.into_iter().collect();
        ((2..=8).contains(&count)).then_some(QuestionAnswer::Choice {
            options: options?,
            correct,
        })
    }

    fn not_for(&mut self, span: Option<Range<usize>>, key: &str, what: &str, other: &str) {
        if let Some(span) = span {
            self.problem(
                span,
                "key-not-applicable",
                format!("`{key}` does not apply to {what}"),
            )
            .help(format!("remove it, or change `type` to {other}"));
        }
    }

    fn drill(&mut self, entry: &DrillEntry) -> Option<Drill> {
        let id = self.id(&entry.id, "drill");
        let prompt = self.localized(&entry.prompt);
        let explain = self.optional_localized(entry.explain.as_ref());
        let mut commands_ok = true;
        for command in std::iter::once(&entry.answer).chain(&entry.accept) {
            let first_word = command.get_ref().split_whitespace().next();
            if first_word != Some("kubectl") {
                commands_ok = false;
                self.problem(
                    command.span(),
                    "bad-value",
                    "a drill's answer is a kubectl command",
                )
                .help("write the whole command, starting with `kubectl`");
            } else if command.get_ref().contains('\n') {
                commands_ok = false;
                self.problem(
                    command.span(),
                    "bad-value",
                    "a drill's answer is one command on one line",
                );
            } else {
                match crate::grade::command::parse(command.get_ref()) {
                    Err(why) => {
                        // The grader compares answers with this command, so it must be able to
                        // read it.
                        commands_ok = false;
                        self.problem(
                            command.span(),
                            "drill-unreadable",
                            format!("the drill grader cannot read this command: {why}"),
                        )
                        .help("write a command kubectl accepts; `kubedrill grade TOPIC/DRILL --command '…'` shows how it is read");
                    }
                    Ok(parsed) => {
                        // Flags about files, servers, credentials or logging are dropped
                        // before grading and never reach kubectl; in a deck they are at best
                        // noise, at worst an attack on the learner's machine.
                        for ignored in &parsed.ignored {
                            let span = self.inner_span(command.span(), &ignored.flag);
                            self.problem(
                                span,
                                "ignored-flag",
                                format!(
                                    "{} is ignored when grading and never passed to kubectl: {}",
                                    ignored.flag,
                                    ignored.why.reason()
                                ),
                            )
                            .help("remove it: a drill's answer says what the command does, not how kubectl connects, logs or profiles")
                            .warning();
                        }
                    }
                }
            }
        }
        if commands_ok {
            // An `accept` the grader already equates with the answer only adds noise.
            for other in &entry.accept {
                let verdict =
                    crate::grade::command::judge(&[entry.answer.get_ref()], other.get_ref(), None);
                if verdict.correct {
                    self.problem(
                        other.span(),
                        "redundant-accept",
                        "the grader already treats this command as the same as `answer`",
                    )
                    .help("remove it from `accept`: `accept` is for correct commands the grader cannot equate with the answer")
                    .warning();
                }
            }
        }
        Some(Drill {
            id: id?,
            prompt: prompt?,
            answer: commands_ok.then(|| entry.answer.get_ref().trim().to_string())?,
            accept: entry
                .accept
                .iter()
                .map(|command| command.get_ref().trim().to_string())
                .collect(),
            explain: explain?,
        })
    }

    fn exercise(&mut self, mut table: Spanned<DeTable<'a>>) -> Option<Exercise> {
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
        let wrong_answers: Vec<Option<WrongAnswer>> = wrong_entries
            .into_iter()
            .map(|entry| {
                self.deserialize::<WrongEntry>(entry)
                    .and_then(|entry| self.wrong(entry, &check_ids, checks_ok))
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
        let hints: Option<Vec<Localized>> = hints.into_iter().collect();
        let wrong_answers: Option<Vec<WrongAnswer>> = wrong_answers.into_iter().collect();
        Some(Exercise {
            id: id?,
            title: title?,
            difficulty: difficulty?,
            prompt: prompt?,
            starter: file.starter.map(Spanned::into_inner),
            solution: solution?,
            given: file.given.map(Spanned::into_inner),
            hints: hints?,
            checks: checks_ok.then(|| checks.into_iter().map(|(check, _)| check).collect())?,
            wrong_answers: wrong_answers?,
            images,
            origin,
        })
    }

    /// 1-based line of a byte offset in this file.
    fn line_of(&self, offset: usize) -> usize {
        crate::text::line_column(self.text, offset).0
    }

    fn wrong(
        &mut self,
        entry: WrongEntry,
        check_ids: &[&str],
        checks_ok: bool,
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
            if name.get_ref() == MANIFEST_REJECTION {
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

    fn check(&mut self, entry: &CheckEntry) -> Option<(Check, Range<usize>)> {
        let id = self.id(&entry.id, "check");
        if entry.id.get_ref() == MANIFEST_REJECTION {
            self.problem(entry.id.span(), "bad-id", format!("`{MANIFEST_REJECTION}` is reserved: [[wrong]] uses it for answers the manifest checker refuses"))
                .help("choose another check id");
            return None;
        }
        let message = self.localized(&entry.message);
        let kind = *entry.kind.get_ref();
        let whole_answer = matches!(kind, CheckType::References | CheckType::NoExtraResources);
        let target = match &entry.target {
            Some(target) => self.target(target).map(Some),
            None if whole_answer => Some(None),
            None => {
                self.problem(
                    entry.kind.span(),
                    "missing-key",
                    "this check needs `target`, the Kind/name of the resource it looks at",
                )
                .help("for example target = \"Pod/webapp\"");
                None
            }
        };
        let points = match &entry.points {
            None => Some(1),
            Some(points) if (1..=100).contains(points.get_ref()) => Some(*points.get_ref() as u32),
            Some(points) => {
                self.problem(
                    points.span(),
                    "bad-value",
                    format!(
                        "points is a whole number from 1 to 100, not {}",
                        points.get_ref()
                    ),
                );
                None
            }
        };
        let type_name = check_type_name(kind);
        // Which optional keys each type takes; any other present key is a mistake.
        let (required, allowed): (&[&str], &[&str]) = match kind {
            CheckType::Exists => (&[], &[]),
            CheckType::Field => (
                &["path"],
                &[
                    "path", "equals", "present", "contains", "matches", "one_of", "length",
                    "count", "gt", "gte", "lt", "lte",
                ],
            ),
            CheckType::References => (&[], &[]),
            CheckType::NoExtraResources => (&[], &["allow"]),
            CheckType::Argv => (
                &["container"],
                &["container", "equals", "one_of", "matches"],
            ),
            CheckType::Env => (
                &["container", "name"],
                &["container", "name", "equals", "present"],
            ),
            CheckType::InitOrder => (&["equals"], &["equals"]),
            CheckType::Rollout => (&[], &["strategy", "max_pods", "min_available"]),
        };
        let present = present_keys(entry);
        let mut ok = true;
        for (key, span) in &present {
            if !allowed.contains(key) {
                ok = false;
                self.problem(
                    span.clone(),
                    "key-not-applicable",
                    format!(
                        "`{key}` does not apply to {} check",
                        a(&format!("`{type_name}`"))
                    ),
                )
                .help(if allowed.is_empty() {
                    format!("{} check takes only target", a(&format!("`{type_name}`")))
                } else {
                    format!(
                        "{} check takes: {}",
                        a(&format!("`{type_name}`")),
                        allowed.join(", ")
                    )
                });
            }
        }
        for key in required {
            if !present.iter().any(|(name, _)| name == key) {
                ok = false;
                self.problem(
                    entry.kind.span(),
                    "missing-key",
                    format!("{} check needs `{key}`", a(&format!("`{type_name}`"))),
                )
                .help("see the check types in docs/deck-format.md");
            }
        }
        if !ok {
            return None;
        }
        let rule = match kind {
            CheckType::Exists => Some(CheckRule::Exists),
            CheckType::Field => self.field_expect(entry).map(|expect| CheckRule::Field {
                path: entry
                    .path
                    .as_ref()
                    .map(|path| path.get_ref().clone())
                    .unwrap_or_default(),
                expect,
            }),
            CheckType::Argv => {
                let container = entry
                    .container
                    .as_ref()
                    .map(|container| container.get_ref().clone())
                    .unwrap_or_default();
                let expect = match (&entry.equals, &entry.one_of, &entry.matches) {
                    (Some(equals), None, None) => self.string_list(equals).map(ArgvExpect::Equals),
                    (None, Some(lists), None) => {
                        let mut all = Vec::new();
                        for list in lists.get_ref() {
                            let list = Spanned::new(lists.span(), list.clone());
                            all.push(self.string_list(&list)?);
                        }
                        if all.is_empty() {
                            self.problem(lists.span(), "bad-value", "`one_of` lists at least one process")
                                .help("write it like one_of = [[\"sh\", \"-c\", \"date\"], [\"/bin/sh\", \"-c\", \"date\"]]");
                            return None;
                        }
                        Some(ArgvExpect::OneOf(all))
                    }
                    (None, None, Some(pattern)) => self.regex(pattern).map(ArgvExpect::Matches),
                    _ => {
                        self.problem(
                            entry.kind.span(),
                            "missing-key",
                            "an `argv` check needs one of `equals`, `one_of` or `matches`",
                        )
                        .help("equals = [\"sleep\", \"10\"] for one process; one_of for several; matches for a pattern over the words joined by spaces");
                        None
                    }
                };
                expect.map(|expect| CheckRule::Argv { container, expect })
            }
            CheckType::Env => {
                let expect = match (&entry.equals, &entry.present) {
                    (Some(value), None) => match value.get_ref() {
                        toml::Value::String(text) => Some(EnvExpect::Equals(text.clone())),
                        _ => {
                            self.problem(
                                value.span(),
                                "wrong-type",
                                "an environment variable's value is a string",
                            )
                            .help("quote it: equals = \"10\"");
                            None
                        }
                    },
                    (None, Some(present)) => Some(EnvExpect::Present(*present.get_ref())),
                    (None, None) => {
                        self.problem(
                            entry.kind.span(),
                            "missing-key",
                            "an `env` check needs `equals` or `present`",
                        );
                        None
                    }
                    (Some(_), Some(present)) => {
                        self.problem(
                            present.span(),
                            "key-not-applicable",
                            "an `env` check takes `equals` or `present`, not both",
                        );
                        None
                    }
                };
                expect.map(|expect| CheckRule::Env {
                    container: entry
                        .container
                        .as_ref()
                        .map(|c| c.get_ref().clone())
                        .unwrap_or_default(),
                    name: entry
                        .name
                        .as_ref()
                        .map(|n| n.get_ref().clone())
                        .unwrap_or_default(),
                    expect,
                })
            }
            CheckType::InitOrder => self
                .string_list(entry.equals.as_ref()?)
                .map(|equals| CheckRule::InitOrder { equals }),
            CheckType::References => Some(CheckRule::References),
            CheckType::NoExtraResources => {
                let allow: Option<Vec<Target>> = entry
                    .allow
                    .iter()
                    .map(|target| self.target(target))
                    .collect();
                allow.map(|allow| CheckRule::NoExtraResources { allow })
            }
            CheckType::Rollout => {
                if present.is_empty() {
                    self.problem(
                        entry.kind.span(),
                        "missing-key",
                        "a `rollout` check needs one or more of strategy, max_pods, min_available",
                    );
                    None
                } else {
                    self.rollout(entry)
                }
            }
        };
        Some((
            Check {
                id: id?,
                target: target?,
                rule: rule?,
                points: points?,
                message: message?,
            },
            entry.id.span(),
        ))
    }

    fn rollout(&mut self, entry: &CheckEntry) -> Option<CheckRule> {
        let strategy = entry
            .strategy
            .as_ref()
            .map(|strategy| strategy.get_ref().clone());
        if let Some(strategy) = &entry.strategy
            && !["RollingUpdate", "Recreate"].contains(&strategy.get_ref().as_str())
        {
            let help = did_you_mean(strategy.get_ref(), ["RollingUpdate", "Recreate"])
                .map_or("use RollingUpdate or Recreate".to_string(), |close| {
                    format!("did you mean `{close}`?")
                });
            self.problem(
                strategy.span(),
                "bad-value",
                format!(
                    "`{}` is not a Deployment strategy",
                    crate::text::escape_controls(strategy.get_ref())
                ),
            )
            .help(help);
            return None;
        }
        let mut count = |value: &Option<Spanned<i64>>| -> Option<Option<u32>> {
            match value {
                None => Some(None),
                Some(value) if *value.get_ref() >= 0 => Some(Some(*value.get_ref() as u32)),
                Some(value) => {
                    self.problem(value.span(), "bad-value", "a pod count cannot be negative");
                    None
                }
            }
        };
        let max_pods = count(&entry.max_pods)?;
        let min_available = count(&entry.min_available)?;
        Some(CheckRule::Rollout {
            strategy,
            max_pods,
            min_available,
        })
    }

    fn field_expect(&mut self, entry: &CheckEntry) -> Option<FieldExpect> {
        let mut expectations = Vec::new();
        if let Some(value) = &entry.equals {
            expectations.push((value.span(), FieldExpect::Equals(to_json(value.get_ref()))));
        }
        if let Some(value) = &entry.present {
            expectations.push((value.span(), FieldExpect::Present(*value.get_ref())));
        }
        if let Some(value) = &entry.contains {
            expectations.push((
                value.span(),
                FieldExpect::Contains(to_json(value.get_ref())),
            ));
        }
        if let Some(value) = &entry.matches {
            let pattern = self.regex(value)?;
            expectations.push((value.span(), FieldExpect::Matches(pattern)));
        }
        if let Some(value) = &entry.one_of {
            expectations.push((
                value.span(),
                FieldExpect::OneOf(value.get_ref().iter().map(to_json).collect()),
            ));
        }
        if let Some(value) = &entry.length {
            if *value.get_ref() < 0 {
                self.problem(value.span(), "bad-value", "a length cannot be negative");
                return None;
            }
            expectations.push((value.span(), FieldExpect::Length(*value.get_ref() as u64)));
        }
        if let Some(value) = &entry.count {
            if *value.get_ref() < 0 {
                self.problem(value.span(), "bad-value", "a count cannot be negative");
                return None;
            }
            expectations.push((value.span(), FieldExpect::Count(*value.get_ref() as u64)));
        }
        for (value, comparison) in [
            (&entry.gt, Comparison::Greater),
            (&entry.gte, Comparison::GreaterOrEqual),
            (&entry.lt, Comparison::Less),
            (&entry.lte, Comparison::LessOrEqual),
        ] {
            if let Some(value) = value {
                expectations.push((
                    value.span(),
                    FieldExpect::Compare(comparison, *value.get_ref()),
                ));
            }
        }
        match expectations.len() {
            0 => {
                self.problem(entry.kind.span(), "missing-key", "a `field` check needs one of equals, present, contains, matches, one_of, length, count, gt, gte, lt, lte");
                None
            }
            1 => expectations.pop().map(|(_, expect)| expect),
            _ => {
                self.problem(expectations[1].0.clone(), "key-not-applicable", "a `field` check takes one of equals, present, contains, matches, one_of, length, count, gt, gte, lt, lte")
                    .help("split it into two checks");
                None
            }
        }
    }

    /// A regular expression, checked now so a typo is a deck problem, not a grading surprise.
    fn regex(&mut self, pattern: &Spanned<String>) -> Option<String> {
        match regex_lite::Regex::new(pattern.get_ref()) {
            Ok(_) => Some(pattern.get_ref().clone()),
            Err(why) => {
                self.problem(pattern.span(), "bad-value", format!("this regular expression does not compile: {why}"))
                    .help("the syntax is Rust's regex crate's (like RE2): escape `\\.` and `\\(`, anchor with ^…$");
                None
            }
        }
    }

    fn string_list(&mut self, value: &Spanned<toml::Value>) -> Option<Vec<String>> {
        let list = match value.get_ref() {
            toml::Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        if list.is_none() {
            self.problem(
                value.span(),
                "wrong-type",
                "`equals` is a list of strings here",
            )
            .help("write it like equals = [\"sleep\", \"10\"]");
        }
        list
    }

    fn target(&mut self, target: &Spanned<String>) -> Option<Target> {
        match target.get_ref().split_once('/') {
            Some((kind, name))
                if kind.starts_with(|c: char| c.is_ascii_uppercase())
                    && kind.chars().all(|c| c.is_ascii_alphanumeric())
                    && !name.is_empty()
                    && !name.contains('/') =>
            {
                Some(Target {
                    kind: kind.to_string(),
                    name: name.to_string(),
                })
            }
            _ => {
                self.problem(target.span(), "bad-value", format!("`{}` is not a Kind/name target", crate::text::escape_controls(target.get_ref())))
                    .help("write the resource's kind and name, e.g. \"Pod/webapp\" or \"Deployment/frontend\"");
                None
            }
        }
    }
}

fn check_type_name(kind: CheckType) -> &'static str {
    match kind {
        CheckType::Exists => "exists",
        CheckType::Field => "field",
        CheckType::Argv => "argv",
        CheckType::Env => "env",
        CheckType::InitOrder => "init-order",
        CheckType::References => "references",
        CheckType::NoExtraResources => "no-extra-resources",
        CheckType::Rollout => "rollout",
    }
}

/// The optional keys a `[[check]]` sets, with their spans.
fn present_keys(entry: &CheckEntry) -> Vec<(&'static str, Range<usize>)> {
    let mut keys = Vec::new();
    let mut add = |name: &'static str, span: Option<Range<usize>>| {
        if let Some(span) = span {
            keys.push((name, span));
        }
    };
    add("path", entry.path.as_ref().map(Spanned::span));
    add("container", entry.container.as_ref().map(Spanned::span));
    add("name", entry.name.as_ref().map(Spanned::span));
    add("equals", entry.equals.as_ref().map(Spanned::span));
    add("present", entry.present.as_ref().map(Spanned::span));
    add("contains", entry.contains.as_ref().map(Spanned::span));
    add("matches", entry.matches.as_ref().map(Spanned::span));
    add("one_of", entry.one_of.as_ref().map(Spanned::span));
    add("length", entry.length.as_ref().map(Spanned::span));
    add("count", entry.count.as_ref().map(Spanned::span));
    add("gt", entry.gt.as_ref().map(Spanned::span));
    add("gte", entry.gte.as_ref().map(Spanned::span));
    add("lt", entry.lt.as_ref().map(Spanned::span));
    add("lte", entry.lte.as_ref().map(Spanned::span));
    add("allow", entry.allow.first().map(Spanned::span));
    add("strategy", entry.strategy.as_ref().map(Spanned::span));
    add("max_pods", entry.max_pods.as_ref().map(Spanned::span));
    add(
        "min_available",
        entry.min_available.as_ref().map(Spanned::span),
    );
    keys
}

fn to_json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(text) => serde_json::Value::String(text.clone()),
        toml::Value::Integer(number) => serde_json::Value::from(*number),
        toml::Value::Float(number) => serde_json::Number::from_f64(*number)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        toml::Value::Boolean(flag) => serde_json::Value::Bool(*flag),
        toml::Value::Datetime(datetime) => serde_json::Value::String(datetime.to_string()),
        toml::Value::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(table) => serde_json::Value::Object(
            table
                .iter()
                .map(|(key, value)| (key.clone(), to_json(value)))
                .collect(),
        ),
    }
}

/// Removes the direct entry of a table whose key or value contains `offset`; returns its key.
fn remove_entry_at(value: &mut Spanned<DeValue<'_>>, offset: usize) -> Option<String> {
    let DeValue::Table(table) = value.get_mut() else {
        return None;
    };
    let key = table
        .iter()
        .find(|(key, entry)| {
            key.span().contains(&offset)
                || entry.span().contains(&offset)
                || key.span().start == offset
        })
        .map(|(key, _)| key.get_ref().to_string())?;
    table.remove(key.as_str());
    Some(key)
}

/// serde messages are one sentence; toml appends the offending line after a newline.
fn first_sentence(message: &str) -> &str {
    message.lines().next().unwrap_or(message).trim()
}

/// The first `backquoted` word after `prefix` in a serde message.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split_once(prefix)?.1.strip_prefix('`')?;
    Some(rest.split_once('`')?.0.to_string())
}

/// Every `backquoted` word of a serde "expected ..." list.
fn quoted_list(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// A valid id close to an invalid one (`App_Config` → `app-config`), for the help line.
fn suggest_id(text: &str) -> Option<String> {
    let mut suggestion = String::new();
    for c in text.trim().chars() {
        match c {
            'a'..='z' | '0'..='9' => suggestion.push(c),
            'A'..='Z' => suggestion.push(c.to_ascii_lowercase()),
            _ if !suggestion.is_empty() && !suggestion.ends_with('-') => suggestion.push('-'),
            _ => {}
        }
    }
    let suggestion = suggestion
        .trim_end_matches('-')
        .chars()
        .take(Id::MAX_LEN)
        .collect::<String>();
    Id::parse(&suggestion).ok().map(|id| id.to_string())
}

/// "a card", "an exercise".
fn a(noun: &str) -> String {
    let first = noun.chars().find(char::is_ascii_alphanumeric);
    if first.is_some_and(|c| "aeiou".contains(c)) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

/// Reports lesson links (`[text](exercise:ID)`) to items that do not exist.
fn check_lesson_links(topics: &[Topic], problems: &mut Vec<Problem>) {
    for topic in topics {
        for language in topic.lesson.languages() {
            let text = topic.lesson.get(language);
            let file = format!("topics/{}/lesson.{language}.md", topic.id);
            for (offset, kind, target) in lesson_links(text) {
                if let Some(message) = broken_link(topics, topic, kind, target) {
                    let span = offset..offset + kind.len() + 1 + target.len();
                    problems.push(
                        Problem::at(&file, text, span, "bad-reference", message.0).help(message.1),
                    );
                }
            }
            for span in links_outside_the_deck(text) {
                let written = crate::text::escape_controls(&text[span.clone()]).into_owned();
                problems.push(
                    Problem::at(
                        &file,
                        text,
                        span,
                        "path-outside-deck",
                        format!("this link points outside the deck: `{written}`"),
                    )
                    .help(
                        "kubedrill never reads a file outside the deck folder; link to an item (`card:ID`), a topic (`topic:ID`) or a web page (`https://…`)",
                    ),
                );
            }
        }
    }
}

/// Link kinds a lesson may point at inside the app.
const LINK_KINDS: &[&str] = &["card", "question", "drill", "exercise", "topic"];
/// Link schemes that leave the app and are not checked.
const EXTERNAL_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// `(offset of KIND, KIND, ID)` for every `](KIND:ID)` in a Markdown text.
fn lesson_links(text: &str) -> Vec<(usize, &str, &str)> {
    let mut links = Vec::new();
    let mut search = 0;
    while let Some(found) = text[search..].find("](") {
        let start = search + found + 2;
        search = start;
        let rest = &text[start..];
        let Some(close) = rest.find([')', ' ', '\n']) else {
            break;
        };
        let destination = &rest[..close];
        let Some((scheme, target)) = destination.split_once(':') else {
            continue;
        };
        if scheme.is_empty()
            || !scheme.chars().all(|c| c.is_ascii_lowercase())
            || EXTERNAL_SCHEMES.contains(&scheme)
        {
            continue;
        }
        links.push((start, scheme, target));
    }
    links
}

/// The destinations of a lesson's links and images that leave the deck folder: an absolute
/// path, a `file:` URL, or a relative path whose `..` climbs above the deck (the lesson sits two
/// folders down, in `topics/ID/`). Byte ranges of the destination as written.
fn links_outside_the_deck(text: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut spans = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        let destination = match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        if !leaves_the_deck(&destination) {
            continue;
        }
        // Point at the destination as written: inside the link, or in the definition of a
        // reference link (`[text][name]` … `[name]: ../file`).
        let inside = text[range.clone()]
            .rfind(destination.as_ref())
            .map(|at| range.start + at);
        let defined = || {
            text.match_indices(destination.as_ref())
                .map(|(at, _)| at)
                .find(|&at| {
                    text[..at]
                        .trim_end_matches([' ', '\t', '<'])
                        .ends_with("]:")
                })
        };
        let span = inside
            .or_else(defined)
            .map_or(range, |at| at..at + destination.len());
        spans.push(span);
    }
    spans
}

fn leaves_the_deck(destination: &str) -> bool {
    let destination = destination.trim();
    if let Some((scheme, _)) = destination.split_once(':')
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        // `C:\…` is a Windows path, `file:` a local file; any other scheme is not a path.
        return scheme.eq_ignore_ascii_case("file") || scheme.len() == 1;
    }
    if destination.starts_with(['/', '\\']) {
        return true;
    }
    let path = destination.split(['?', '#']).next().unwrap_or_default();
    // The lesson is in topics/ID/: two folders below the deck.
    let mut depth: isize = 2;
    for part in path.split(['/', '\\']) {
        match part {
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            "" | "." => {}
            _ => depth += 1,
        }
    }
    false
}

/// When a link is broken: (message, help).
fn broken_link(
    topics: &[Topic],
    here: &Topic,
    kind: &str,
    target: &str,
) -> Option<(String, String)> {
    if !LINK_KINDS.contains(&kind) {
        let help = did_you_mean(kind, LINK_KINDS.iter().copied()).map_or_else(
            || format!("a link opens one of: {}", LINK_KINDS.join(", ")),
            |close| format!("did you mean `{close}:`?"),
        );
        return Some((
            format!("`{kind}:` is not a kind of item a lesson can link to"),
            help,
        ));
    }
    if kind == "topic" {
        return match topics.iter().any(|topic| topic.id.as_str() == target) {
            true => None,
            false => Some((
                format!("there is no topic `{target}`"),
                "link to a topic id listed in deck.toml".to_string(),
            )),
        };
    }
    let (topic, item) = match target.split_once('/') {
        Some((topic_id, item)) => (
            topics.iter().find(|topic| topic.id.as_str() == topic_id)?,
            item,
        ),
        None => (here, target),
    };
    match topic.item(item) {
        Some(found) if found.kind().name() == kind => None,
        Some(found) => Some((
            format!("`{target}` is {}, not {}", a(found.kind().name()), a(kind)),
            format!("write ({}:{target})", found.kind().name()),
        )),
        None => {
            let ids = topic
                .cards
                .iter()
                .map(|c| c.id.as_str())
                .chain(topic.questions.iter().map(|q| q.id.as_str()))
                .chain(topic.drills.iter().map(|d| d.id.as_str()))
                .chain(topic.exercises.iter().map(|e| e.id.as_str()));
            let help = did_you_mean(item, ids).map_or_else(
                || {
                    format!(
                        "link to an id of topic `{}`, or write TOPIC/ITEM for another topic",
                        topic.id
                    )
                },
                |close| format!("did you mean `{close}`?"),
            );
            Some((format!("topic `{}` has no {kind} `{item}`", topic.id), help))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeckOrigin;

    const DECK: &str = r#"format_version = 1
id = "t"
title = "T"
languages = ["en", "ko"]

[[topic]]
id = "env"
title = "Env"
"#;

    /// A deck with one topic `env` (English and Korean lessons); `files` add or replace files.
    fn validate_with(files: &[(&str, &str)]) -> Validated {
        let mut all: BTreeMap<String, Vec<u8>> = BTreeMap::from([
            ("deck.toml".to_string(), DECK.as_bytes().to_vec()),
            ("topics/env/lesson.en.md".to_string(), b"# Env\n".to_vec()),
            (
                "topics/env/lesson.ko.md".to_string(),
                "# 환경 변수\n".as_bytes().to_vec(),
            ),
        ]);
        for (path, text) in files {
            all.insert(path.to_string(), text.as_bytes().to_vec());
        }
        validate(&DeckSource::from_files(DeckOrigin::BuiltIn, all))
    }

    fn rules(validated: &Validated) -> Vec<(&str, usize, usize, &'static str)> {
        validated
            .problems
            .iter()
            .map(|p| (p.file.as_str(), p.line, p.column, p.rule))
            .collect()
    }

    fn help_of<'v>(validated: &'v Validated, rule: &str) -> &'v str {
        validated
            .problems
            .iter()
            .find(|p| p.rule == rule)
            .and_then(|p| p.help.as_deref())
            .unwrap_or_default()
    }

    #[test]
    fn a_minimal_deck_is_valid_and_keeps_both_languages() {
        let validated = validate_with(&[]);
        assert!(validated.problems.is_empty(), "{:?}", validated.problems);
        let deck = validated.deck.unwrap();
        assert_eq!(deck.languages, ["en", "ko"]);
        assert_eq!(deck.topics[0].lesson.get("ko"), "# 환경 변수\n");
    }

    #[test]
    fn every_bad_key_of_one_card_is_reported() {
        let validated = validate_with(&[(
            "topics/env/cards.toml",
            "[[card]]\nid = \"a\"\nfront = \"F\"\nbakc = \"B\"\ntagz = []\n",
        )]);
        assert_eq!(
            rules(&validated),
            [
                ("topics/env/cards.toml", 4, 1, "unknown-key"),
                ("topics/env/cards.toml", 5, 1, "unknown-key")
            ]
        );
        assert!(help_of(&validated, "unknown-key").starts_with("did you mean `back`?"));
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

    #[test]
    fn localized_text_needs_english_and_known_languages() {
        let cards = "[[card]]\nid = \"a\"\nfront.kr = \"앞\"\nfront.en = \"F\"\nback.ko = \"뒤\"\n";
        let validated = validate_with(&[("topics/env/cards.toml", cards)]);
        assert_eq!(
            rules(&validated),
            [
                ("topics/env/cards.toml", 3, 7, "unknown-language"),
                ("topics/env/cards.toml", 5, 1, "missing-english")
            ]
        );
        assert_eq!(
            help_of(&validated, "unknown-language"),
            "did you mean `ko`?"
        );
    }

    #[test]
    fn a_lesson_in_an_undeclared_language_is_reported_with_the_likely_name() {
        let validated = validate_with(&[("topics/env/lesson.kr.md", "# 환경\n")]);
        assert_eq!(
            rules(&validated),
            [("topics/env/lesson.kr.md", 1, 1, "unknown-language")]
        );
        assert_eq!(
            help_of(&validated, "unknown-language"),
            "did you mean lesson.ko.md?"
        );
    }

    #[test]
    fn a_topic_folder_missing_from_deck_toml_is_an_error() {
        let validated = validate_with(&[("topics/envs/cards.toml", "")]);
        assert_eq!(
            rules(&validated),
            [("topics/envs/cards.toml", 1, 1, "unlisted-topic")]
        );
        assert!(help_of(&validated, "unlisted-topic").starts_with("did you mean the topic `env`?"));
    }

    #[test]
    fn a_topic_without_a_folder_points_at_its_id() {
        let deck = format!("{DECK}\n[[topic]]\nid = \"secrets\"\ntitle = \"Secrets\"\n");
        let validated = validate_with(&[("deck.toml", &deck)]);
        assert_eq!(rules(&validated), [("deck.toml", 11, 6, "missing-file")]);
    }

    #[test]
    fn unknown_files_are_warnings_with_a_suggestion() {
        let validated = validate_with(&[("topics/env/card.toml", ""), ("notes.txt", "")]);
        assert_eq!(
            rules(&validated),
            [
                ("notes.txt", 1, 1, "unknown-file"),
                ("topics/env/card.toml", 1, 1, "unknown-file")
            ]
        );
        assert!(validated.problems.iter().all(|problem| !problem.is_error()));
        assert_eq!(
            validated.problems[1].help.as_deref(),
            Some("did you mean `cards.toml`?")
        );
        assert!(validated.deck.is_some());
    }

    #[test]
    fn lesson_links_must_name_existing_items_of_the_right_kind() {
        let lesson = "# Env\n[a](card:one) [b](exercise:one) [c](excercise:x) [d](card:nope) [e](https://kubernetes.io)\n";
        let cards = "[[card]]\nid = \"one\"\nfront = \"F\"\nback = \"B\"\n";
        let validated = validate_with(&[
            ("topics/env/lesson.en.md", lesson),
            ("topics/env/cards.toml", cards),
        ]);
        let messages: Vec<&str> = validated
            .problems
            .iter()
            .map(|problem| problem.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "`one` is a card, not an exercise",
                "`excercise:` is not a kind of item a lesson can link to",
                "topic `env` has no card `nope`",
            ]
        );
        assert_eq!(
            validated.problems[1].help.as_deref(),
            Some("did you mean `exercise:`?")
        );
        assert_eq!(
            (validated.problems[0].line, validated.problems[0].column),
            (2, 19)
        );
    }

    #[test]
    fn a_lesson_link_out_of_the_deck_folder_is_refused() {
        let lesson = "# Env\n![d](../../../etc/passwd) [n](../inside.md) [a](/etc/shadow)\n[f](file:///etc/hosts) [r][ref]\n\n[ok](../../README.md) [web](https://kubernetes.io/docs/) [in](notes/a.md#x)\n\n[ref]: ../../../secret.txt\n";
        let validated = validate_with(&[("topics/env/lesson.en.md", lesson)]);
        let refused: Vec<(usize, usize, &str)> = validated
            .problems
            .iter()
            .filter(|problem| problem.rule == "path-outside-deck")
            .map(|problem| (problem.line, problem.column, problem.message.as_str()))
            .collect();
        assert_eq!(
            refused,
            [
                (
                    2,
                    6,
                    "this link points outside the deck: `../../../etc/passwd`"
                ),
                (2, 49, "this link points outside the deck: `/etc/shadow`"),
                (
                    3,
                    5,
                    "this link points outside the deck: `file:///etc/hosts`"
                ),
                (
                    7,
                    8,
                    "this link points outside the deck: `../../../secret.txt`"
                ),
            ]
        );
    }

    #[test]
    fn quiz_questions_take_only_the_keys_of_their_type() {
        let quiz = "[[question]]\nid = \"q\"\ntype = \"typein\"\nquestion = \"Q\"\noptions = [\"a\", \"b\"]\naccept = [\"a\"]\n\n                    [[question]]\nid = \"r\"\ntype = \"choise\"\nquestion = \"Q\"\n";
        let validated = validate_with(&[("topics/env/quiz.toml", quiz)]);
        assert_eq!(
            rules(&validated),
            [
                ("topics/env/quiz.toml", 5, 11, "key-not-applicable"),
                ("topics/env/quiz.toml", 10, 8, "bad-value")
            ]
        );
        assert_eq!(help_of(&validated, "bad-value"), "did you mean `choice`?");
    }

    #[test]
    fn drills_must_be_one_kubectl_command() {
        let drills = "[[drill]]\nid = \"d\"\nprompt = \"P\"\nanswer = \"create configmap x\"\n";
        let validated = validate_with(&[("topics/env/drills.toml", drills)]);
        assert_eq!(
            rules(&validated),
            [("topics/env/drills.toml", 4, 10, "bad-value")]
        );
    }

    #[test]
    fn drill_commands_must_be_readable_by_the_grader() {
        let drills = "[[drill]]\nid = \"d\"\nprompt = \"P\"\nanswer = \"kubectl create configmap x --from-literal=K=V\"\naccept = [\"kubectl create configmap x --from-literl=K=V\"]\n";
        let validated = validate_with(&[("topics/env/drills.toml", drills)]);
        assert_eq!(
            rules(&validated),
            [("topics/env/drills.toml", 5, 11, "drill-unreadable")]
        );
        assert!(
            validated.problems[0]
                .message
                .contains("did you mean --from-literal?"),
            "{}",
            validated.problems[0].message
        );
    }

    const EXERCISE_HEAD: &str =
        "id = \"e\"\ntitle = \"E\"\nprompt = \"P\"\nsolution = \"kind: Pod\"\n";

    #[test]
    fn argv_checks_take_one_expectation_and_patterns_must_compile() {
        let exercise = format!(
            "{EXERCISE_HEAD}\n[[check]]\nid = \"a\"\ntype = \"argv\"\ntarget = \"Pod/web\"\ncontainer = \"web\"\none_of = [[\"sh\", \"-c\", \"date\"], [\"/bin/sh\", \"-c\", \"date\"]]\nmessage = \"M\"\n\n[[check]]\nid = \"b\"\ntype = \"argv\"\ntarget = \"Pod/web\"\ncontainer = \"web\"\nmessage = \"M\"\n\n[[check]]\nid = \"c\"\ntype = \"argv\"\ntarget = \"Pod/web\"\ncontainer = \"web\"\nmatches = \"tail (-f\"\nmessage = \"M\"\n"
        );
        let validated = validate_with(&[("topics/env/exercises/e.toml", &exercise)]);
        let found: Vec<(&str, &str)> = validated
            .problems
            .iter()
            .map(|problem| (problem.rule, problem.message.as_str()))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0],
            (
                "missing-key",
                "an `argv` check needs one of `equals`, `one_of` or `matches`"
            )
        );
        assert_eq!(found[1].0, "bad-value");
        assert!(
            found[1]
                .1
                .starts_with("this regular expression does not compile"),
            "{found:?}"
        );
    }

    #[test]
    fn checks_need_the_keys_of_their_type_and_nothing_else() {
        let exercise = format!(
            "{EXERCISE_HEAD}\n[[check]]\nid = \"c1\"\ntype = \"env\"\ntarget = \"Pod/web\"\ncontainer = \"web\"\nequals = \"x\"\nmessage = \"M\"\n\n             [[check]]\nid = \"c2\"\ntype = \"argv\"\ntarget = \"Pod/web\"\ncontainer = \"web\"\npath = \"spec\"\nequals = [\"sleep\"]\nmessage = \"M\"\n"
        );
        let validated = validate_with(&[("topics/env/exercises/e.toml", &exercise)]);
        let messages: Vec<&str> = validated
            .problems
            .iter()
            .map(|problem| problem.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "an `env` check needs `name`",
                "`path` does not apply to an `argv` check"
            ]
        );
        assert!(validated.deck.unwrap().topics[0].exercises.is_empty());
    }

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

    #[test]
    fn a_file_that_is_not_utf8_is_named_with_its_position() {
        let mut files = BTreeMap::from([
            ("deck.toml".to_string(), DECK.as_bytes().to_vec()),
            ("topics/env/lesson.en.md".to_string(), b"# Env\n".to_vec()),
            ("topics/env/lesson.ko.md".to_string(), b"# Env\n".to_vec()),
        ]);
        files.insert(
            "topics/env/cards.toml".to_string(),
            b"[[card]]\nid = \"\xff\"\n".to_vec(),
        );
        let validated = validate(&DeckSource::from_files(DeckOrigin::BuiltIn, files));
        assert_eq!(
            rules(&validated),
            [("topics/env/cards.toml", 2, 7, "not-utf8")]
        );
    }

    #[test]
    fn a_missing_deck_toml_says_what_a_deck_is() {
        let validated = validate(&DeckSource::from_files(DeckOrigin::BuiltIn, []));
        assert_eq!(rules(&validated), [("deck.toml", 1, 1, "missing-file")]);
        assert!(validated.deck.is_none());
    }
}
