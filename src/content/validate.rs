//! From a deck's files to the [`model`](crate::model), finding every problem on the way.
//!
//! Nothing stops at the first mistake: a TOML syntax error is reported with the others the parser
//! recovers from; each `[[card]]`, `[[check]]` or exercise file is read on its own, so one bad
//! item neither hides the next problem nor takes the rest of the deck down; inside a table, a bad
//! key is reported, set aside, and the table read again to find the next one. Items with errors
//! are left out of the deck; the deck is still usable when its `deck.toml` is sound.
//!
//! This file walks a deck: deck.toml, images.toml, the folders, then each topic (in parallel)
//! and, once every item is known, the links in the lessons. The checks live by subject:
//!
//! - `file_checker`: one file being read: TOML syntax, serde errors in plain words, spans, ids;
//! - `localized`: the deck's languages and every localized text;
//! - `deck_toml`: the deck-wide values: format version, deck version, Kubernetes version, images;
//! - `folders`: which files a deck folder holds, and what kubedrill would not read;
//! - `topic`: one topic's folder, each item read on its own, ids unique in the topic;
//! - `items`: cards, quiz questions and kubectl drills;
//! - `exercises`: exercise files, their hints and wrong answers;
//! - `params`: parameterized exercises and drills, loaded once per variant;
//! - `checks`: an exercise's `[[check]]` tables, each type with its own keys;
//! - `lessons`: one lesson per language, and links that stay inside the deck and resolve.

mod checks;
mod deck_toml;
mod exercises;
mod file_checker;
mod folders;
mod items;
mod lessons;
mod localized;
mod outcome_checks;
mod params;
mod scenarios;
#[cfg(test)]
mod test_deck;
mod topic;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use toml::Spanned;

use self::file_checker::{FileChecker, table_id, table_value, take_array};
use self::topic::TopicValidator;
use super::files::{DeckFile, ImagesFile, TopicEntry};
use super::source::DeckSource;
use crate::diagnostic::{Problem, ProblemBuilder};
use crate::model::{Deck, Id, Image, Localized, Topic};

/// The result of validating one deck: the deck when its `deck.toml` is sound (with every item
/// that had no error), and every problem found, sorted by file and position.
#[derive(Debug)]
pub struct Validated {
    pub deck: Option<Deck>,
    pub problems: Vec<Problem>,
}

/// Checks every file of a deck and builds the deck from what is sound, every variant of a
/// parameterized item with it.
pub fn validate(source: &DeckSource) -> Validated {
    run_validator(source, false, HashMap::new())
}

/// [`validate`] for a deck loaded to study: a parameterized item's variants after the first are
/// made when first shown (a checked deck's variants are sound; building them all up front made
/// the built-in deck six times slower to load).
pub fn validate_to_study(source: &DeckSource) -> Validated {
    run_validator(source, true, HashMap::new())
}

/// The outline of a deck from its deck.toml alone: its names, domains and topics, without
/// lessons, items or images (the topics' files are not read). What the interface draws its first
/// frame from while the deck itself is read; `None` when deck.toml has any problem.
pub fn outline(source: &DeckSource) -> Option<Deck> {
    let mut problems = Vec::new();
    let deck = DeckValidator {
        source,
        problems: &mut problems,
        lazy_variants: true,
        outline: true,
        reuse: HashMap::new(),
    }
    .run();
    deck.filter(|_| problems.is_empty())
}

/// [`validate_to_study`] for a deck of which only the `changed` topics' files differ from those
/// `earlier` was made from (the deck cache's [`super::cache::Cached::Earlier`], a clean deck): the
/// other topics are taken from `earlier` as they are, and only the changed ones (and what spans
/// topics: deck.toml, images, links between lessons, unknown files) are checked again.
pub fn validate_to_study_reusing(
    source: &DeckSource,
    earlier: Deck,
    changed: &std::collections::BTreeSet<String>,
) -> Validated {
    let reuse = earlier
        .topics
        .into_iter()
        .filter(|topic| !changed.contains(topic.id.as_str()))
        .map(|topic| (topic.id.to_string(), topic))
        .collect();
    run_validator(source, true, reuse)
}

fn run_validator(
    source: &DeckSource,
    lazy_variants: bool,
    reuse: HashMap<String, Topic>,
) -> Validated {
    let mut problems = source.refused.clone();
    let deck = DeckValidator {
        source,
        problems: &mut problems,
        lazy_variants,
        outline: false,
        reuse,
    }
    .run();
    problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    Validated { deck, problems }
}

/// Checks deck.toml and everything it lists, collecting problems in `problems`.
struct DeckValidator<'a> {
    source: &'a DeckSource,
    problems: &'a mut Vec<Problem>,
    lazy_variants: bool,
    /// Only deck.toml: topics are listed, not read ([`outline`]).
    outline: bool,
    /// Topics already checked, by id, taken as they are ([`validate_to_study_reusing`]).
    reuse: HashMap<String, Topic>,
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
        let domain_entries = take_array(&mut table, "domain");
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
            && !deck_toml::is_semver(version.get_ref())
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

        let domains = deck_toml::domains(&mut file, domain_entries);
        let mut topic_domains: Vec<Option<usize>> = Vec::new();
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
                    topic_domains.push(deck_toml::topic_domain(
                        &mut file,
                        &domains,
                        topic.domain.as_ref(),
                    ));
                    topic_ids.push((id, topic.id.span()));
                    topic_files.push(topic);
                }
            }
            file.item = None;
        }
        self.problems.append(&mut file.problems);
        let (topics, images) = if self.outline {
            let mut checker = FileChecker::new("deck.toml", text, &languages);
            let mut topics = Vec::new();
            for ((entry, (id, _)), domain) in topic_files.iter().zip(&topic_ids).zip(topic_domains)
            {
                let title = checker.localized(&entry.title);
                let summary = entry.summary.as_ref().and_then(|t| checker.localized(t));
                topics.extend(title.map(|title| Topic {
                    id: id.clone(),
                    title,
                    summary,
                    domain,
                    lesson: Localized::english(String::new()),
                    cards: Vec::new(),
                    questions: Vec::new(),
                    drills: Vec::new(),
                    exercises: Vec::new(),
                    scenarios: Vec::new(),
                }));
            }
            self.problems.append(&mut checker.problems);
            (topics, BTreeMap::new())
        } else {
            self.topics(text, &languages, &topic_files, &topic_ids, topic_domains)
        };

        Some(Deck {
            id: deck_id?,
            origin: self.source.origin.clone(),
            title: title?,
            description,
            version: deck_file.version.map(Spanned::into_inner),
            authors: deck_file.authors,
            languages,
            kubernetes: deck_file.kubernetes.map(Spanned::into_inner),
            domains,
            topics,
            images,
        })
    }

    /// Every topic read and checked (in parallel), and the deck's image table.
    fn topics(
        &mut self,
        text: &str,
        languages: &[String],
        topic_files: &[TopicEntry],
        topic_ids: &[(Id, Range<usize>)],
        topic_domains: Vec<Option<usize>>,
    ) -> (Vec<Topic>, BTreeMap<String, Image>) {
        let images = self.images_file(languages);
        let declared: Vec<&str> = topic_ids.iter().map(|(id, _)| id.as_str()).collect();
        folders::check_unknown_files(self.source, &declared, languages, self.problems);

        // Topics are independent: they are read in parallel, and their problems kept in the
        // order the topics are listed.
        let source = self.source;
        let lazy_variants = self.lazy_variants;
        let pairs: Vec<_> = topic_files.iter().zip(topic_ids).collect();
        let fresh: Vec<_> = pairs
            .iter()
            .filter(|(_, (id, _))| !self.reuse.contains_key(id.as_str()))
            .copied()
            .collect();
        let checked = crate::parallel::map(&fresh, |(topic_file, (id, id_span))| {
            let mut deck_toml = FileChecker::new("deck.toml", text, languages);
            deck_toml.item = Some(format!("topic `{id}`"));
            let title = deck_toml.localized(&topic_file.title);
            let summary = topic_file
                .summary
                .as_ref()
                .and_then(|text| deck_toml.localized(text));
            let topic = TopicValidator {
                source,
                problems: &mut deck_toml.problems,
                languages,
                topic: id,
                deck_toml: text,
                id_span: id_span.clone(),
                lazy_variants,
            }
            .run(title, summary);
            (deck_toml.problems, topic)
        });
        let mut checked = checked.into_iter();
        let mut topics = Vec::new();
        for ((_, (id, _)), domain) in pairs.iter().zip(topic_domains) {
            let topic = match self.reuse.remove(id.as_str()) {
                Some(topic) => Some(topic),
                None => {
                    let (mut problems, topic) = checked.next().expect("one result per fresh topic");
                    self.problems.append(&mut problems);
                    topic
                }
            };
            topics.extend(topic.map(|topic| Topic { domain, ..topic }));
        }
        lessons::check_lesson_links(&topics, self.problems);
        (topics, images)
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
}

/// A file's text; a file that is not UTF-8 is reported (with the position of the first bad
/// byte) and read as absent.
fn read_text<'s>(
    source: &'s DeckSource,
    file: &str,
    problems: &mut Vec<Problem>,
) -> Option<&'s str> {
    let bytes = source.files.get(file)?;
    match crate::content::build_check::text(file, bytes) {
        Ok(text) => Some(text),
        Err(finding) => {
            let mut problem =
                Problem::in_file(file, finding.rule, finding.message).help(finding.help);
            problem.line = finding.line;
            problem.column = finding.column;
            problems.push(problem);
            None
        }
    }
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

#[cfg(test)]
mod tests {
    use super::test_deck::{DECK, rules, validate_with};
    use super::*;
    use crate::model::DeckOrigin;

    #[test]
    fn a_minimal_deck_is_valid_and_keeps_both_languages() {
        let validated = validate_with(&[]);
        assert!(validated.problems.is_empty(), "{:?}", validated.problems);
        let deck = validated.deck.unwrap();
        assert_eq!(deck.languages, ["en", "ko"]);
        assert_eq!(deck.topics[0].lesson.get("ko"), "# 환경 변수\n");
    }

    #[test]
    fn domains_group_topics_and_every_mistake_in_them_is_named() {
        let good = "format_version = 1\nid = \"t\"\ntitle = \"T\"\nlanguages = [\"en\", \"ko\"]\n\n[[domain]]\nid = \"apps\"\ntitle.en = \"Apps\"\ntitle.ko = \"앱\"\nweight = 100\n\n[[topic]]\nid = \"env\"\ntitle = \"Env\"\ndomain = \"apps\"\n";
        let validated = validate_with(&[("deck.toml", good)]);
        assert!(validated.problems.is_empty(), "{:?}", validated.problems);
        let deck = validated.deck.unwrap();
        assert_eq!(deck.domains[0].weight, Some(100));
        assert_eq!(deck.topics[0].domain, Some(0));
        assert_eq!(deck.groups()[0].topics, [0]);
        let bad = "format_version = 1\nid = \"t\"\ntitle = \"T\"\nlanguages = [\"en\", \"ko\"]\n\n[[domain]]\nid = \"apps\"\ntitle = \"Apps\"\nweight = 60\n\n[[domain]]\nid = \"apps\"\ntitle = \"Again\"\n\n[[domain]]\nid = \"ops\"\ntitle = \"Ops\"\nweight = 150\n\n[[topic]]\nid = \"env\"\ntitle = \"Env\"\ndomain = \"appz\"\n";
        let validated = validate_with(&[("deck.toml", bad)]);
        assert_eq!(
            rules(&validated),
            [
                ("deck.toml", 7, 6, "domain-weights"),
                ("deck.toml", 12, 6, "duplicate-id"),
                ("deck.toml", 18, 10, "bad-value"),
                ("deck.toml", 23, 10, "unknown-domain"),
            ]
        );
        let unknown = validated
            .problems
            .iter()
            .find(|problem| problem.rule == "unknown-domain")
            .unwrap();
        assert!(
            unknown.help.as_deref().unwrap_or_default().contains("apps"),
            "{unknown:?}"
        );
        // Weights that do not add up to 100 are a warning, not an error.
        let uneven = good.replace("weight = 100", "weight = 40");
        let validated = validate_with(&[("deck.toml", &uneven)]);
        assert_eq!(rules(&validated), [("deck.toml", 7, 6, "domain-weights")]);
        assert!(validated.deck.is_some());
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
