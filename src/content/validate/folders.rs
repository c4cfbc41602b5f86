//! What a deck folder holds: deck.toml and images.toml at the root, and under topics/ one folder
//! per topic listed in deck.toml, with lesson.LANG.md, cards.toml, quiz.toml, drills.toml and
//! exercises/*.toml. A file kubedrill would not read is a warning (most often a misspelt name);
//! a folder deck.toml does not list, or a lesson in a language the deck does not declare, is an
//! error, because what it holds would silently go unused.

use std::collections::BTreeSet;

use crate::content::source::DeckSource;
use crate::diagnostic::{Problem, ProblemBuilder};
use crate::text::did_you_mean;

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

/// Reports files kubedrill would not read, and topic folders deck.toml does not list.
pub(super) fn check_unknown_files(
    source: &DeckSource,
    declared: &[&str],
    languages: &[String],
    problems: &mut Vec<Problem>,
) {
    let mut unlisted_reported = BTreeSet::new();
    for path in source.files.keys() {
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
                    problems.push(problem);
                }
            }
            ["topics", _, name] if TOPIC_FILES.contains(name) || IGNORED_FILES.contains(name) => {}
            ["topics", _, "exercises" | "scenarios", name] if name.ends_with(".toml") => {}
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
                    problems.push(problem);
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
                    None if parts.first() == Some(&"topics") => "a topic folder holds lesson.LANG.md, cards.toml, quiz.toml, drills.toml, exercises/*.toml and scenarios/*.toml".to_string(),
                    None => "a deck holds deck.toml, images.toml and topics/; see docs/deck-format.md".to_string(),
                };
                problems.push(
                    Problem::in_file(path, "unknown-file", "kubedrill does not read this file")
                        .help(help)
                        .warning(),
                );
            }
        }
    }
}

/// `lesson.ko.md` → `ko`.
fn lesson_language(name: &str) -> Option<&str> {
    name.strip_prefix("lesson.")?
        .strip_suffix(".md")
        .filter(|language| !language.is_empty())
}

#[cfg(test)]
mod tests {
    use super::super::test_deck::{help_of, rules, validate_with};

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
}
