//! The deck files exactly as written: one serde struct per file kind, field for field. The doc
//! comments here are the field reference (docs/deck-format.md says the same with examples).
//! Nothing here is validated beyond TOML types; [`super::validate`] turns these into the model.
//!
//! Values whose position matters for error messages are [`Spanned`].

use serde::Deserialize;
use toml::Spanned;

/// `deck.toml`: the deck's metadata and its ordered topics.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeckFile {
    /// The version of the deck format this deck is written for. This build reads `1`.
    pub format_version: Spanned<i64>,
    /// The deck's stable id; progress is keyed by it.
    pub id: Spanned<String>,
    /// The deck's title.
    pub title: Spanned<LocalizedText>,
    /// One or two sentences about the deck.
    pub description: Option<Spanned<LocalizedText>>,
    /// The deck's own version, `MAJOR.MINOR.PATCH`.
    pub version: Option<Spanned<String>>,
    /// Who wrote the deck.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Languages the deck offers (BCP 47 tags); must include `en`.
    pub languages: Spanned<Vec<Spanned<String>>>,
    /// The Kubernetes minor version the deck targets, e.g. `"1.37"`.
    pub kubernetes: Option<Spanned<String>>,
    /// The groups topics belong to (the CKA's five domains, or an instructor's own), in display
    /// order.
    #[serde(default)]
    pub domain: Vec<DomainEntry>,
    /// The topics in display order; each has a folder `topics/ID/`.
    #[serde(default)]
    pub topic: Vec<TopicEntry>,
}

/// One `[[domain]]` of `deck.toml`: a group of topics, such as one of the exam's domains.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainEntry {
    /// The domain id, named by a topic's `domain`.
    pub id: Spanned<String>,
    /// The domain's title, shown above its topics.
    pub title: Spanned<LocalizedText>,
    /// Its share of the exam, in percent (1 to 100): a mock exam draws tasks and scores by it.
    pub weight: Option<Spanned<i64>>,
}

/// One `[[topic]]` of `deck.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicEntry {
    /// The topic id, also the name of its folder under `topics/`.
    pub id: Spanned<String>,
    /// The topic's title, shown in menus and as the lesson's title.
    pub title: Spanned<LocalizedText>,
    /// One sentence saying what the topic is about.
    pub summary: Option<Spanned<LocalizedText>>,
    /// The id of the `[[domain]]` the topic belongs to.
    pub domain: Option<Spanned<String>>,
}

/// `images.toml`, and the `[images]` table of an exercise.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesFile {
    /// Image name (as written in a Pod's `image:`, without tag) → its default process.
    #[serde(default)]
    pub images: ImageTable,
}

/// What an image runs by default (Docker's ENTRYPOINT and CMD, in exec form).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageEntry {
    #[serde(default)]
    pub entrypoint: Vec<String>,
    #[serde(default)]
    pub cmd: Vec<String>,
}

/// `topics/ID/cards.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardsFile {
    /// The flashcards, each a `[[card]]` table.
    #[serde(default)]
    pub card: Vec<CardEntry>,
}

/// One `[[card]]`: a flashcard.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardEntry {
    pub id: Spanned<String>,
    /// The question side.
    pub front: Spanned<LocalizedText>,
    /// The answer side.
    pub back: Spanned<LocalizedText>,
    /// More detail shown after answering.
    pub explain: Option<Spanned<LocalizedText>>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// What the item builds on, shown before it on a first pass: `section:SLUG` of the
    /// topic's lesson or `card:ID`, `question:ID`, `drill:ID`, `exercise:ID` of the topic.
    #[serde(default)]
    pub after: Vec<Spanned<String>>,
}

/// `topics/ID/quiz.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizFile {
    /// The questions, each a `[[question]]` table.
    #[serde(default)]
    pub question: Vec<QuestionEntry>,
}

/// The kind of a quiz question.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum QuestionType {
    /// Multiple choice: `options` and `answer`.
    Choice,
    /// Typed answer: `accept`.
    Typein,
}

/// One `[[question]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionEntry {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: Spanned<QuestionType>,
    /// The question text.
    pub question: Spanned<LocalizedText>,
    /// `choice`: 2 to 8 options.
    pub options: Option<Spanned<Vec<Spanned<LocalizedText>>>>,
    /// `choice`: the index (from 0) of the right option, or a list of indices.
    pub answer: Option<Spanned<ChoiceAnswer>>,
    /// `typein`: the accepted answers.
    pub accept: Option<Spanned<Vec<String>>>,
    /// Shown after answering.
    pub explain: Option<Spanned<LocalizedText>>,
    /// What the item builds on, shown before it on a first pass: `section:SLUG` of the
    /// topic's lesson or `card:ID`, `question:ID`, `drill:ID`, `exercise:ID` of the topic.
    #[serde(default)]
    pub after: Vec<Spanned<String>>,
}

/// `answer = 1` or `answer = [0, 2]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ChoiceAnswer {
    One(i64),
    Several(Vec<i64>),
}

/// `topics/ID/drills.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillsFile {
    /// The drills, each a `[[drill]]` table.
    #[serde(default)]
    pub drill: Vec<DrillEntry>,
}

/// One `[[drill]]`: type a command (kubectl, or another tool a CKA task uses), or a few in order. An optional `params` table (read before this
/// struct, see `validate::params`) makes it vary: `{{name}}` in any of its strings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillEntry {
    pub id: Spanned<String>,
    /// The task.
    pub prompt: Spanned<LocalizedText>,
    /// The reference command, or one command a line for a procedure.
    pub answer: Spanned<String>,
    /// Other correct commands, in full.
    #[serde(default)]
    pub accept: Vec<Spanned<String>>,
    /// Shown after answering.
    pub explain: Option<Spanned<LocalizedText>>,
    /// What the item builds on, shown before it on a first pass: `section:SLUG` of the
    /// topic's lesson or `card:ID`, `question:ID`, `drill:ID`, `exercise:ID` of the topic.
    #[serde(default)]
    pub after: Vec<Spanned<String>>,
    /// Known wrong commands, each proven wrong by the grader with the explanation it names.
    #[serde(default)]
    pub wrong: Vec<DrillWrongEntry>,
}

/// One `[[drill.wrong]]`: a command the grader must refuse, and a piece of its explanation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillWrongEntry {
    pub answer: Spanned<String>,
    /// Text the grader's explanation must contain (the flag, value or step it names).
    pub says: Spanned<String>,
}

/// `topics/ID/exercises/*.toml`: one graded YAML exercise. An optional `[params]` table (read
/// before this struct, see `validate::params`) makes it vary: `{{name}}` in any of its strings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseFile {
    pub id: Spanned<String>,
    pub title: Spanned<LocalizedText>,
    /// 1 (default) to 3.
    pub difficulty: Option<Spanned<i64>>,
    /// The task, in Markdown.
    pub prompt: Spanned<LocalizedText>,
    /// YAML the editor opens with; must fail at least one check.
    pub starter: Option<Spanned<String>>,
    /// A reference answer; must pass every check.
    pub solution: Spanned<String>,
    /// YAML of resources that already exist in the cluster.
    pub given: Option<Spanned<String>>,
    /// A folder exercise built with `kubectl kustomize`.
    pub kustomize: Option<Spanned<KustomizeEntry>>,
    /// Image defaults for this exercise.
    #[serde(default)]
    pub images: ImageTable,
    /// Hints, shown one at a time; each `[[hint]]` table is localized text.
    #[serde(default)]
    pub hint: Vec<Spanned<LocalizedText>>,
    /// What is graded.
    #[serde(default)]
    pub check: Vec<CheckEntry>,
    /// Known wrong answers, and what must reject each.
    #[serde(default)]
    pub wrong: Vec<WrongEntry>,
    /// What the item builds on, shown before it on a first pass: `section:SLUG` of the
    /// topic's lesson or `card:ID`, `question:ID`, `drill:ID`, `exercise:ID` of the topic.
    #[serde(default)]
    pub after: Vec<Spanned<String>>,
}

/// `[kustomize]` of an exercise: the folder the learner's file joins, and what is built.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KustomizeEntry {
    /// The folder `kubectl kustomize` builds, relative to the exercise's root.
    pub build: Spanned<String>,
    /// The one file the learner writes (its content is the starter, solution and answers).
    pub answer: Spanned<String>,
    /// Every other file of the folder, by path.
    pub files: Spanned<std::collections::BTreeMap<String, String>>,
}

/// A scenario file (topics/ID/scenarios/NAME.toml). `[[check]]` and `[[wrong]]` are read
/// on their own, as an exercise's are.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub id: Spanned<String>,
    pub title: Spanned<LocalizedText>,
    /// 1 (default) to 3.
    pub difficulty: Option<Spanned<i64>>,
    /// The task, in Markdown.
    pub task: Spanned<LocalizedText>,
    /// The starting cluster.
    pub cluster: Spanned<crate::model::world::World>,
    /// A command script that solves the task.
    pub solution: Spanned<String>,
    #[serde(default)]
    pub hint: Vec<Spanned<LocalizedText>>,
    #[serde(default)]
    pub after: Vec<Spanned<String>>,
}

/// One `[[wrong]]` of a scenario: a script that must not solve it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongScriptEntry {
    pub script: Spanned<String>,
    /// The check ids it must fail.
    pub fails: Spanned<Vec<Spanned<String>>>,
    pub why: Option<Spanned<LocalizedText>>,
}

/// The check types.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CheckType {
    Exists,
    Field,
    Argv,
    Env,
    InitOrder,
    Rollout,
    /// Every ConfigMap and Secret the target (or the whole answer) refers to exists, with the
    /// keys it names, in the answer or in `given`.
    References,
    /// The answer holds no resource that no check targets (besides those in `allow`).
    NoExtraResources,
    /// Scenario checks (see `model::CheckRule`).
    Count,
    Unchanged,
    Endpoints,
    File,
    Output,
    /// Which connections the NetworkPolicies allow (exercises and scenarios).
    Connection,
    /// Which backend an HTTP request reaches through Ingresses or HTTPRoutes.
    Route,
    /// Which PersistentVolume a claim binds to.
    Binding,
}

/// One `[[check]]`. Which keys apply depends on `type` (docs/deck-format.md has the table).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckEntry {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: Spanned<CheckType>,
    /// `Kind/name` of a resource in the answer (optional for `references` and
    /// `no-extra-resources`, which then look at the whole answer).
    pub target: Option<Spanned<String>>,
    /// `field`: where the value is.
    pub path: Option<Spanned<String>>,
    /// `argv`, `env`: the container's name (in `containers` or `initContainers`).
    pub container: Option<Spanned<String>>,
    /// `env`: the variable's name.
    pub name: Option<Spanned<String>>,
    /// `field`, `argv`, `env`, `init-order`: the expected value.
    pub equals: Option<Spanned<toml::Value>>,
    /// `field`, `env`: whether the value must be there (true) or absent (false).
    pub present: Option<Spanned<bool>>,
    /// `field`: a string containing, or a list holding, this value.
    pub contains: Option<Spanned<toml::Value>>,
    /// `field`: a regular expression the string value matches.
    pub matches: Option<Spanned<String>>,
    /// `field`: one of these values.
    pub one_of: Option<Spanned<Vec<toml::Value>>>,
    /// `field`: a list or map with this many entries.
    pub length: Option<Spanned<i64>>,
    /// `field`: how many values the path selects (with `[*]` wildcards).
    pub count: Option<Spanned<i64>>,
    /// `field`: a number greater than this.
    pub gt: Option<Spanned<f64>>,
    /// `field`: a number greater than or equal to this.
    pub gte: Option<Spanned<f64>>,
    /// `field`: a number less than this.
    pub lt: Option<Spanned<f64>>,
    /// `field`: a number less than or equal to this.
    pub lte: Option<Spanned<f64>>,
    /// `no-extra-resources`: `Kind/name` of resources the answer may hold besides the targets.
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
    /// `rollout`: `RollingUpdate` or `Recreate`.
    pub strategy: Option<Spanned<String>>,
    /// `rollout`: never more pods than this during the update.
    pub max_pods: Option<Spanned<i64>>,
    /// `rollout`: never fewer available pods than this during the update.
    pub min_available: Option<Spanned<i64>>,
    /// Scenario: a label selector over the target kind's objects (`app=web`).
    pub selector: Option<Spanned<String>>,
    /// Scenario: the namespace the target is looked for in (default: the scenario's).
    pub namespace: Option<Spanned<String>>,
    /// Scenario `file`: the exam machine's file.
    pub file: Option<Spanned<String>>,
    /// Scenario `output`: the kubectl command whose output is looked at.
    pub command: Option<Spanned<String>>,
    /// Scenario `endpoints`: the port every endpoint must have; `connection`: the destination
    /// port, a number or a container port's name.
    pub port: Option<Spanned<toml::Value>>,
    /// `connection`: the source, a Pod `NAMESPACE/NAME` or an IP address.
    pub from: Option<Spanned<String>>,
    /// `connection`: the destination, a Pod `NAMESPACE/NAME` or an IP address.
    pub to: Option<Spanned<String>>,
    /// `connection`: `TCP` (default), `UDP` or `SCTP`.
    pub protocol: Option<Spanned<String>>,
    /// `connection`: whether the connection must be allowed (true) or refused (false).
    pub allowed: Option<Spanned<bool>>,
    /// `route`: the request's URL.
    pub url: Option<Spanned<String>>,
    /// `route`: the request's method (default GET).
    pub method: Option<Spanned<String>>,
    /// `route`: the request's headers.
    pub headers: Option<Spanned<std::collections::BTreeMap<String, String>>>,
    /// `route`: the one backend the request reaches (`SERVICE:PORT`), or `none`.
    pub backend: Option<Spanned<String>>,
    /// `route`: the backends the requests are split over, with their weights.
    pub backends: Option<Spanned<std::collections::BTreeMap<String, i64>>>,
    /// `route`: the Location a redirect answers with.
    pub redirect: Option<Spanned<String>>,
    /// `binding`: the PersistentVolume the claim binds to.
    pub volume: Option<Spanned<String>>,
    /// `binding`: `provisioned`, `waiting` or `pending` instead of a volume.
    pub outcome: Option<Spanned<String>>,
    /// Weight in the score (default 1).
    pub points: Option<Spanned<i64>>,
    /// Shown when the check fails.
    pub message: Spanned<LocalizedText>,
}

/// One `[[wrong]]`: a known wrong answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongEntry {
    /// The wrong answer (YAML).
    pub answer: Spanned<String>,
    /// The check ids it must fail; `"manifest"` means the manifest check must refuse it.
    pub fails: Spanned<Vec<Spanned<String>>>,
    /// Why it is wrong.
    pub why: Option<Spanned<LocalizedText>>,
}

/// Localized text as written: a plain string (English) or a table of language → text.
#[derive(Debug, Clone)]
pub enum LocalizedText {
    English(String),
    ByLanguage(Vec<(Spanned<String>, String)>),
}

impl<'de> Deserialize<'de> for LocalizedText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = LocalizedText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a string, or a table of language = \"text\" (en = \"...\", ko = \"...\")",
                )
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(LocalizedText::English(text.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Self::Value, E> {
                Ok(LocalizedText::English(text))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut texts = Vec::new();
                while let Some(language) = map.next_key::<Spanned<String>>()? {
                    texts.push((language, map.next_value::<String>()?));
                }
                Ok(LocalizedText::ByLanguage(texts))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `[images."NAME"]` tables, in file order, names spanned for error messages.
#[derive(Debug, Default)]
pub struct ImageTable(pub Vec<(Spanned<String>, ImageEntry)>);

impl<'de> Deserialize<'de> for ImageTable {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ImageTable;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table of image name = { entrypoint = [...], cmd = [...] }")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut images = Vec::new();
                while let Some(name) = map.next_key::<Spanned<String>>()? {
                    images.push((name, map.next_value::<ImageEntry>()?));
                }
                Ok(ImageTable(images))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}
