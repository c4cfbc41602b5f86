//! Lessons: every topic has a lesson.LANG.md, not empty, for each of the deck's languages, and a
//! lesson's links resolve. A link to `card:ID`, `question:ID`, `drill:ID`, `exercise:ID` (or
//! `KIND:TOPIC/ID`) or `topic:ID` must name an item of that kind; it is checked once every topic
//! is read, since a link may point into another topic. A link or image whose path leaves the
//! deck folder is refused: kubedrill never reads a file outside the deck.

use std::collections::BTreeMap;

use super::topic::TopicValidator;
use super::{a, read_text};
use crate::diagnostic::{Problem, ProblemBuilder};
use crate::model::{Localized, Topic};
use crate::text::did_you_mean;

impl TopicValidator<'_> {
    pub(super) fn lesson(&mut self, folder: &str) -> Option<Localized> {
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
}

fn language_name(tag: &str) -> String {
    match tag {
        "en" => "English".to_string(),
        "ko" => "Korean".to_string(),
        other => format!("`{other}`"),
    }
}

/// Reports lesson links (`[text](exercise:ID)`) to items that do not exist.
pub(super) fn check_lesson_links(topics: &[Topic], problems: &mut Vec<Problem>) {
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
    use super::super::test_deck::validate_with;

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
}
