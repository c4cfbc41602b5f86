//! The study material as the program uses it: immutable, validated, free of file syntax.
//! [`crate::content`] builds it from deck files; everything else only reads it.
//!
//! Words: a *deck* is one instructor's folder (or the built-in one); a *topic* is one subject
//! with one lesson; an *item* is anything a learner answers (card, question, drill, exercise) and
//! is named by its [`ItemId`] `TOPIC/ITEM`, which progress is keyed by.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

mod variant;
pub mod world;
pub use variant::{
    Recipe, Renderable, Variant, Variants, shared_texts, stable_hash, variant_index,
};

/// A validated identifier: `[a-z0-9][a-z0-9-]*`, at most [`Id::MAX_LEN`] characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    pub const MAX_LEN: usize = 64;

    /// Checks `text` against the id rules; the error says what is wrong in plain words.
    pub fn parse(text: &str) -> Result<Id, String> {
        let mut chars = text.chars();
        let Some(first) = chars.next() else {
            return Err("an id cannot be empty".to_string());
        };
        if text.chars().count() > Self::MAX_LEN {
            return Err(format!("an id has at most {} characters", Self::MAX_LEN));
        }
        if !(first.is_ascii_lowercase() || first.is_ascii_digit()) {
            return Err("an id starts with a lowercase letter or a digit".to_string());
        }
        if let Some(bad) = text
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(format!(
                "an id uses only lowercase letters, digits and `-`, not {bad:?}"
            ));
        }
        Ok(Id(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The full id of an item within a deck: `TOPIC/ITEM`, e.g. `configmaps/app-config-envfrom`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ItemId {
    pub topic: Id,
    pub item: Id,
}

impl ItemId {
    /// Parses `TOPIC/ITEM`.
    pub fn parse(text: &str) -> Result<ItemId, String> {
        let (topic, item) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not a full item id: write it as TOPIC/ITEM"))?;
        Ok(ItemId {
            topic: Id::parse(topic)?,
            item: Id::parse(item)?,
        })
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.topic, self.item)
    }
}

/// A language the material is written in, as a BCP 47 tag (`en`, `ko`, `pt-BR`).
pub type Language = String;

/// The language every deck must offer, and the fallback for missing translations.
pub const FALLBACK_LANGUAGE: &str = "en";

/// Text in one or more languages. English is always present (the loader refuses a field without
/// it), so [`Localized::get`] always has something to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    texts: Texts,
}

/// A text per language, sorted by language: a boxed slice, not a map (a card holds two or three
/// of these, and a `BTreeMap`'s node is half a kilobyte however few entries it has). Serialized
/// as a map, as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Texts(Box<[(Tag, Box<str>)]>);

/// A language tag; the interface's own languages are not allocated for every text.
type Tag = std::borrow::Cow<'static, str>;

fn tag(language: String) -> Tag {
    match crate::i18n::Lang::ALL
        .iter()
        .find(|known| known.tag() == language)
    {
        Some(known) => Tag::Borrowed(known.tag()),
        None => Tag::Owned(language),
    }
}

impl Texts {
    fn get(&self, language: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(tag, _)| (**tag).cmp(language))
            .ok()
            .map(|index| &*self.0[index].1)
    }
}

impl FromIterator<(String, String)> for Texts {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Texts {
        let mut pairs: Vec<(Tag, Box<str>)> = pairs
            .into_iter()
            .map(|(language, text)| (tag(language), text.into_boxed_str()))
            .collect();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        // A later text for the same language wins, as it did in a map.
        pairs.reverse();
        pairs.dedup_by(|later, earlier| later.0 == earlier.0);
        pairs.reverse();
        Texts(pairs.into_boxed_slice())
    }
}

impl Serialize for Texts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(tag, text)| (&**tag, &**text)))
    }
}

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Texts, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = Texts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of language to text")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Texts, M::Error> {
                let mut pairs: Vec<(String, String)> =
                    Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(pairs.into_iter().collect())
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

impl Localized {
    /// Builds localized text; `None` when English is missing.
    pub fn new(texts: BTreeMap<Language, String>) -> Option<Localized> {
        texts.contains_key(FALLBACK_LANGUAGE).then(|| Localized {
            texts: texts.into_iter().collect(),
        })
    }

    /// English-only text.
    pub fn english(text: impl Into<String>) -> Localized {
        Localized {
            texts: [(FALLBACK_LANGUAGE.to_string(), text.into())]
                .into_iter()
                .collect(),
        }
    }

    /// The text in `language`, or in English when that translation is missing.
    pub fn get(&self, language: &str) -> &str {
        self.texts
            .get(language)
            .or_else(|| self.texts.get(FALLBACK_LANGUAGE))
            .unwrap_or_default()
    }

    /// Whether this text has its own translation in `language` (no fallback).
    pub fn has(&self, language: &str) -> bool {
        self.texts.get(language).is_some()
    }

    /// The languages this text is written in.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.texts.0.iter().map(|(tag, _)| &**tag)
    }

    /// The same languages, each text changed by `change(language, text)`.
    pub fn map(self, mut change: impl FnMut(&str, &str) -> String) -> Localized {
        // The languages stay as they are, sorted and tagged: only the texts are new.
        let texts = self.texts.0.into_vec().into_iter().map(|(language, text)| {
            let changed = change(&language, &text).into_boxed_str();
            (language, changed)
        });
        Localized {
            texts: Texts(texts.collect()),
        }
    }
}

/// Every deck the program loaded, in load order (built-in first).
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub decks: Vec<Deck>,
}

/// Where a deck was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeckOrigin {
    /// The `content/` folder compiled into the binary.
    BuiltIn,
    /// A folder on disk.
    Directory(PathBuf),
}

impl fmt::Display for DeckOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeckOrigin::BuiltIn => f.write_str("<built-in>"),
            DeckOrigin::Directory(path) => write!(f, "{}", path.display()),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Deck {
    pub id: Id,
    pub origin: DeckOrigin,
    pub title: Localized,
    pub description: Option<Localized>,
    pub version: Option<String>,
    pub authors: Vec<String>,
    /// Languages offered, English first.
    pub languages: Vec<Language>,
    /// The Kubernetes minor the deck targets, when it says.
    pub kubernetes: Option<String>,
    /// The groups of topics (`[[domain]]`), in display order; a topic names its own.
    pub domains: Vec<Domain>,
    pub topics: Vec<Topic>,
    /// Container images' default process, by image name (deck `images.toml`).
    pub images: BTreeMap<String, Image>,
}

/// A group of topics: one of the exam's domains, or an instructor's own grouping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub id: Id,
    pub title: Localized,
    /// Its share of the exam in percent, when the deck says.
    pub weight: Option<u32>,
}

/// Topics shown together: a domain's, or (`domain: None`) those that name no domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicGroup {
    /// Index into [`Deck::domains`].
    pub domain: Option<usize>,
    /// Indices into [`Deck::topics`], in the deck's order.
    pub topics: Vec<usize>,
}

impl Deck {
    /// The topics by domain, in the order the domains are declared, then the topics that name
    /// none; groups without topics are left out. A deck without domains is one group.
    pub fn groups(&self) -> Vec<TopicGroup> {
        let mut groups: Vec<TopicGroup> = (0..self.domains.len())
            .map(|domain| TopicGroup {
                domain: Some(domain),
                topics: Vec::new(),
            })
            .collect();
        let mut loose = TopicGroup {
            domain: None,
            topics: Vec::new(),
        };
        for (index, topic) in self.topics.iter().enumerate() {
            match topic.domain {
                Some(domain) if domain < groups.len() => groups[domain].topics.push(index),
                _ => loose.topics.push(index),
            }
        }
        groups.push(loose);
        groups.retain(|group| !group.topics.is_empty());
        groups
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|topic| topic.id.as_str() == id)
    }

    /// Finds an item by its full id.
    pub fn item(&self, id: &ItemId) -> Option<ItemRef<'_>> {
        self.topic(id.topic.as_str())?.item(id.item.as_str())
    }

    /// How many items of each kind the deck holds.
    pub fn counts(&self) -> ItemCounts {
        let mut counts = ItemCounts::default();
        for topic in &self.topics {
            counts.add(&topic.counts());
        }
        counts
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemCounts {
    pub cards: usize,
    pub questions: usize,
    pub drills: usize,
    pub exercises: usize,
    pub scenarios: usize,
}

impl ItemCounts {
    fn add(&mut self, other: &ItemCounts) {
        self.cards += other.cards;
        self.questions += other.questions;
        self.drills += other.drills;
        self.exercises += other.exercises;
        self.scenarios += other.scenarios;
    }

    pub fn total(&self) -> usize {
        self.cards + self.questions + self.drills + self.exercises + self.scenarios
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Topic {
    pub id: Id,
    pub title: Localized,
    pub summary: Option<Localized>,
    /// Index into [`Deck::domains`] of the domain the topic belongs to.
    pub domain: Option<usize>,
    /// The lesson's Markdown, one text per language.
    pub lesson: Localized,
    pub cards: Vec<Card>,
    pub questions: Vec<Question>,
    pub drills: Vec<Drill>,
    pub exercises: Vec<Exercise>,
    /// Troubleshooting scenarios (`scenarios/*.toml`).
    pub scenarios: Vec<world::Scenario>,
}

impl Topic {
    pub fn counts(&self) -> ItemCounts {
        ItemCounts {
            cards: self.cards.len(),
            questions: self.questions.len(),
            drills: self.drills.len(),
            exercises: self.exercises.len(),
            scenarios: self.scenarios.len(),
        }
    }

    /// Finds an item of this topic by its own id.
    pub fn item(&self, id: &str) -> Option<ItemRef<'_>> {
        let find = |item_id: &Id| item_id.as_str() == id;
        self.cards
            .iter()
            .find(|item| find(&item.id))
            .map(ItemRef::Card)
            .or_else(|| {
                self.questions
                    .iter()
                    .find(|item| find(&item.id))
                    .map(ItemRef::Question)
            })
            .or_else(|| {
                self.drills
                    .iter()
                    .find(|item| find(&item.id))
                    .map(ItemRef::Drill)
            })
            .or_else(|| {
                self.exercises
                    .iter()
                    .find(|item| find(&item.id))
                    .map(ItemRef::Exercise)
            })
            .or_else(|| {
                self.scenarios
                    .iter()
                    .find(|item| find(&item.id))
                    .map(ItemRef::Scenario)
            })
    }
}

/// A borrowed item of any kind.
#[derive(Debug, Clone, Copy)]
pub enum ItemRef<'a> {
    Card(&'a Card),
    Question(&'a Question),
    Drill(&'a Drill),
    Exercise(&'a Exercise),
    Scenario(&'a world::Scenario),
}

impl ItemRef<'_> {
    /// The item kind as deck files and lesson links name it.
    pub fn kind(&self) -> ItemKind {
        match self {
            ItemRef::Card(_) => ItemKind::Card,
            ItemRef::Question(_) => ItemKind::Question,
            ItemRef::Drill(_) => ItemKind::Drill,
            ItemRef::Exercise(_) => ItemKind::Exercise,
            ItemRef::Scenario(_) => ItemKind::Scenario,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemKind {
    Card,
    Question,
    Drill,
    Exercise,
    Scenario,
}

impl ItemKind {
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Card => "card",
            ItemKind::Question => "question",
            ItemKind::Drill => "drill",
            ItemKind::Exercise => "exercise",
            ItemKind::Scenario => "scenario",
        }
    }
}

/// A flashcard: reveal the back, then rate how well it was remembered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Card {
    pub id: Id,
    pub front: Localized,
    pub back: Localized,
    pub explain: Option<Localized>,
    pub tags: Vec<String>,
    /// What it builds on (`after` in the deck file).
    pub after: Vec<After>,
}

/// Something an item builds on, which a learner's first pass shows before it: a section of the
/// topic's lesson (`section:SLUG`, the slug of its `##` heading) or another item of the topic
/// (`card:ID`, `question:ID`, `drill:ID`, `exercise:ID`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct After {
    /// As written: `section:rolling-updates`, `drill:set-image`.
    pub target: String,
    /// Byte offset of the value in the item's file, for a deck check to point at.
    pub offset: usize,
}

/// A quiz question, graded automatically.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    pub id: Id,
    pub question: Localized,
    pub answer: QuestionAnswer,
    pub explain: Option<Localized>,
    /// What it builds on (`after` in the deck file).
    pub after: Vec<After>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum QuestionAnswer {
    /// Multiple choice; `correct` holds the indices of every right option (one or more).
    Choice {
        options: Vec<Localized>,
        correct: Vec<usize>,
    },
    /// Typed answer; case, surrounding spaces and quotes are ignored when comparing.
    TypeIn { accept: Vec<String> },
}

/// A kubectl command drill: the learner types the command.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Drill {
    pub id: Id,
    pub prompt: Localized,
    pub answer: String,
    /// Other correct commands, written out in full.
    pub accept: Vec<String>,
    pub explain: Option<Localized>,
    /// What it builds on (`after` in the deck file).
    pub after: Vec<After>,
    /// Known wrong commands and what the grader says about each (proven by `deck check`).
    pub wrong: Vec<DrillWrong>,
    /// Every concrete variant when the drill declares `params` (the drill itself is the first);
    /// empty otherwise. See [`Drill::variant`].
    pub variants: Variants<Drill>,
}

/// A command a drill must refuse, and text its explanation contains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillWrong {
    pub answer: String,
    pub says: String,
}

/// A graded YAML exercise.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exercise {
    pub id: Id,
    /// Where it is written: the file (relative to the deck) and the lines of its parts, so a
    /// deck check can point at a solution that fails or a wrong answer that passes.
    pub origin: ExerciseOrigin,
    pub title: Localized,
    /// 1 (easy) to 3 (hard).
    pub difficulty: u8,
    pub prompt: Localized,
    pub starter: Option<String>,
    pub solution: String,
    /// Resources that already exist in the cluster the task assumes (YAML).
    pub given: Option<String>,
    /// A folder exercise: the answer is one file of a kustomization, and the checks grade
    /// what `kubectl kustomize` builds.
    pub kustomize: Option<KustomizeTask>,
    pub hints: Vec<Localized>,
    pub checks: Vec<Check>,
    pub wrong_answers: Vec<WrongAnswer>,
    /// Image defaults that apply to this exercise only (over the deck's).
    pub images: BTreeMap<String, Image>,
    /// What it builds on (`after` in the deck file).
    pub after: Vec<After>,
    /// Every concrete variant when the exercise declares `params` (the exercise itself is the
    /// first); empty otherwise. See [`Exercise::variant`].
    pub variants: Variants<Exercise>,
}

/// The folder of a kustomize exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KustomizeTask {
    /// The folder built, relative to the exercise's root (`overlays/prod`).
    pub build: String,
    /// The file the learner writes (`overlays/prod/kustomization.yaml`).
    pub answer: String,
    /// The other files, by path relative to the root.
    pub files: BTreeMap<String, String>,
}

/// Where an exercise's parts are in its file (1-based lines).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExerciseOrigin {
    pub file: String,
    pub id_line: usize,
    pub solution_line: usize,
    pub starter_line: Option<usize>,
}

/// What a container image runs when a Pod does not say: Docker's ENTRYPOINT and CMD.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Image {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
}

/// A resource an exercise check looks at: `Kind/name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub kind: String,
    pub name: String,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.name)
    }
}

/// One graded criterion of an exercise.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Check {
    pub id: Id,
    /// The resource looked at; `None` only for `references` and `no-extra-resources` over the
    /// whole answer, and a scenario's `file` and `output` checks.
    pub target: Option<Target>,
    /// A scenario's check over every object of the target's kind whose labels match (the
    /// target's name is then empty).
    pub selector: Option<String>,
    /// A scenario's check in another namespace than the scenario's own.
    pub namespace: Option<String>,
    pub rule: CheckRule,
    /// Weight in the score.
    pub points: u32,
    /// Shown when the check fails.
    pub message: Localized,
}

/// What a check asserts. The grader gives each its meaning; the loader only makes sure each
/// has what it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CheckRule {
    /// The target exists in the answer.
    Exists,
    /// The value at `path` (dots, `[N]`, `[key=value]`) satisfies `expect`.
    Field { path: String, expect: FieldExpect },
    /// The container's real process (image defaults, command, args, `$(VAR)`) is as expected.
    Argv {
        container: String,
        expect: ArgvExpect,
    },
    /// The variable the container really sees.
    Env {
        container: String,
        name: String,
        expect: EnvExpect,
    },
    /// The init containers run in this order.
    InitOrder { equals: Vec<String> },
    /// A simulated rolling update stays within these bounds.
    Rollout {
        strategy: Option<String>,
        max_pods: Option<u32>,
        min_available: Option<u32>,
    },
    /// Every ConfigMap/Secret reference resolves (in the answer or `given`), keys included.
    References,
    /// No resource in the answer besides the checks' targets and `allow`.
    NoExtraResources { allow: Vec<Target> },
    /// Scenario: how many objects the target's kind and selector find.
    Count(FieldExpect),
    /// Scenario: the value at `path` is as the scenario started.
    Unchanged { path: String },
    /// Scenario: the Service's endpoints are exactly the ready Pods the selector finds, on
    /// this port.
    Endpoints { selector: String, port: u32 },
    /// Scenario: a file of the exam machine (trimmed) satisfies `expect`.
    File { path: String, expect: FieldExpect },
    /// Scenario: what a kubectl command prints on the final cluster satisfies `expect`.
    Output {
        command: String,
        expect: FieldExpect,
    },
    /// The NetworkPolicies allow (or refuse) a connection between two Pods, or a Pod and an
    /// address outside the cluster (`NAMESPACE/NAME` or an IP address).
    Connection {
        from: String,
        to: String,
        port: crate::cluster::netpol::Port,
        protocol: String,
        allowed: bool,
    },
    /// An HTTP request reaches what `expect` says through the Ingresses or HTTPRoutes.
    Route {
        url: String,
        method: Option<String>,
        headers: Vec<(String, String)>,
        expect: RouteExpect,
    },
    /// The target claim binds to a volume, or what happens to it instead.
    Binding(BindingExpect),
}

/// What a `route` check wants a request to reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RouteExpect {
    /// One backend, `SERVICE:PORT` or `NAMESPACE/SERVICE:PORT`.
    Backend(String),
    /// Several backends splitting the requests by these weights (compared as shares).
    Backends(Vec<(String, u64)>),
    /// Nothing serves it (404).
    NotFound,
    /// A redirect to this location.
    Redirect(String),
}

/// What a `binding` check wants of a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BindingExpect {
    Volume(String),
    Provisioned,
    Waiting,
    Pending,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FieldExpect {
    Equals(#[serde(with = "json_text")] serde_json::Value),
    Present(bool),
    Contains(#[serde(with = "json_text")] serde_json::Value),
    Matches(String),
    OneOf(#[serde(with = "json_text")] Vec<serde_json::Value>),
    Length(u64),
    /// How many values a (wildcard) path selects.
    Count(u64),
    Compare(Comparison, f64),
}

/// A numeric comparison of a `field` check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

/// What an `argv` check wants of the process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArgvExpect {
    /// Exactly these words.
    Equals(Vec<String>),
    /// Exactly one of these lists (`sh -c …` or `/bin/sh -c …`).
    OneOf(Vec<Vec<String>>),
    /// The words joined by single spaces match this regular expression.
    Matches(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnvExpect {
    Equals(String),
    Present(bool),
}

/// A known wrong answer and what must reject it; the content tests prove each one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WrongAnswer {
    pub answer: String,
    /// Line of the answer in the exercise file.
    pub line: usize,
    pub fails: Vec<Rejection>,
    pub why: Option<Localized>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rejection {
    /// The manifest checker refuses the answer (invalid Kubernetes).
    Manifest,
    /// The check with this id fails.
    Check(Id),
}

/// A JSON value kept as its JSON text in a compact binary (the deck cache): binary formats
/// without field names cannot carry `serde_json::Value`, which reads itself by looking.
mod json_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    pub fn deserialize<'de, T: serde::de::DeserializeOwned, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(deserializer)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_documented_rules() {
        assert!(Id::parse("app-config-envfrom").is_ok());
        assert!(Id::parse("1st-try").is_ok());
        assert!(Id::parse("").is_err());
        assert!(Id::parse("-lead").is_err());
        assert!(Id::parse("Upper").unwrap_err().contains("lowercase"));
        assert!(Id::parse("under_score").unwrap_err().contains("'_'"));
        assert!(Id::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn item_ids_are_topic_slash_item() {
        let id = ItemId::parse("configmaps/app-config-envfrom").unwrap();
        assert_eq!(id.topic.as_str(), "configmaps");
        assert_eq!(id.to_string(), "configmaps/app-config-envfrom");
        assert!(
            ItemId::parse("no-slash")
                .unwrap_err()
                .contains("TOPIC/ITEM")
        );
    }

    #[test]
    fn localized_text_falls_back_to_english() {
        let text = Localized::new(BTreeMap::from([
            ("en".to_string(), "Pod".to_string()),
            ("ko".to_string(), "파드".to_string()),
        ]))
        .unwrap();
        assert_eq!(text.get("ko"), "파드");
        assert_eq!(Localized::english("Pod").get("ko"), "Pod");
        assert!(Localized::new(BTreeMap::from([("ko".to_string(), "x".to_string())])).is_none());
    }

    /// Localized text is stored compactly but reads, compares and serializes as the map it was:
    /// every language, sorted; JSON `{"texts": {"en": …}}`; the same after the deck cache's
    /// postcard round trip.
    #[test]
    fn localized_text_keeps_every_language_through_serialization() {
        let text = Localized::new(BTreeMap::from([
            ("pt-BR".to_string(), "Cápsula".to_string()),
            ("ko".to_string(), "파드".to_string()),
            ("en".to_string(), "Pod".to_string()),
        ]))
        .unwrap();
        assert_eq!(text.languages().collect::<Vec<_>>(), ["en", "ko", "pt-BR"]);
        assert!(text.has("pt-BR") && !text.has("pt"));
        assert_eq!(text.get("pt-BR"), "Cápsula");
        assert_eq!(text.get("de"), "Pod");
        assert_eq!(
            serde_json::to_string(&text).unwrap(),
            r#"{"texts":{"en":"Pod","ko":"파드","pt-BR":"Cápsula"}}"#
        );
        let json: Localized = serde_json::from_str(&serde_json::to_string(&text).unwrap()).unwrap();
        assert_eq!(json, text);
        let bytes = postcard::to_stdvec(&text).unwrap();
        assert_eq!(postcard::from_bytes::<Localized>(&bytes).unwrap(), text);
        let shouted = text.map(|language, text| format!("{language}:{}", text.to_uppercase()));
        assert_eq!(shouted.get("ko"), "ko:파드");
        assert_eq!(shouted.get("en"), "en:POD");
    }
}
