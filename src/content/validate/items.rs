//! The quick items: cards, quiz questions and drills. A question is `choice` (2 to 8 options and
//! the indices of the right ones) or `typein` (the answers to accept), and each type refuses the
//! other's keys. A drill's answer is one kubectl command that the drill grader can read, since
//! learners' commands are graded against it.

use std::ops::Range;

use toml::Spanned;

use super::file_checker::FileChecker;
use crate::content::files::{CardEntry, ChoiceAnswer, DrillEntry, QuestionEntry, QuestionType};
use crate::diagnostic::ProblemBuilder;
use crate::model::{After, Card, Drill, Localized, Question, QuestionAnswer};

impl FileChecker<'_> {
    pub(super) fn card(&mut self, entry: CardEntry) -> Option<Card> {
        // Every field is checked before any `?`, so one run reports them all.
        let id = self.id(&entry.id, "card");
        let front = self.localized(&entry.front);
        let back = self.localized(&entry.back);
        let explain = self.optional_localized(entry.explain.as_ref());
        Some(Card {
            id: id?,
            front: front?,
            back: back?,
            explain: explain?,
            tags: entry.tags,
            after: self.after(&entry.after),
        })
    }

    /// An item's `after` list: each value `section:SLUG` or `KIND:ID`. Whether the section or
    /// item exists is checked once the whole topic is read.
    pub(super) fn after(&mut self, values: &[Spanned<String>]) -> Vec<After> {
        let mut after = Vec::new();
        for value in values {
            let well_formed = value.get_ref().split_once(':').is_some_and(|(kind, id)| {
                matches!(kind, "section" | "card" | "question" | "drill" | "exercise")
                    && !id.is_empty()
            });
            if well_formed {
                after.push(After {
                    target: value.get_ref().clone(),
                    offset: value.span().start,
                });
            } else {
                self.problem(
                    value.span(),
                    "bad-after",
                    format!("`{}` names nothing an item can build on", value.get_ref()),
                )
                .help("write `section:SLUG` (a `##` heading of the lesson, e.g. section:rolling-updates) or card:ID, question:ID, drill:ID, exercise:ID of this topic");
            }
        }
        after
    }

    pub(super) fn question(&mut self, entry: &QuestionEntry) -> Option<Question> {
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
        let after = self.after(&entry.after);
        Some(Question {
            id: id?,
            question: question?,
            answer: answer?,
            explain: explain?,
            after,
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

    pub(super) fn drill(&mut self, entry: &DrillEntry) -> Option<Drill> {
        let id = self.id(&entry.id, "drill");
        let prompt = self.localized(&entry.prompt);
        let explain = self.optional_localized(entry.explain.as_ref());
        let mut commands_ok = true;
        let mut other_tool = false;
        for command in std::iter::once(&entry.answer).chain(&entry.accept) {
            match crate::grade::command::parse_steps(command.get_ref()) {
                Err(error) => {
                    // The grader compares answers with this command, so it must be able to
                    // read it.
                    commands_ok = false;
                    let span = if error.text.is_empty() {
                        command.span()
                    } else {
                        self.inner_span(command.span(), &error.text)
                    };
                    self.problem(
                        span,
                        "drill-unreadable",
                        format!("the drill grader cannot read this command: {}", error.why),
                    )
                    .help("write a command the tool accepts, one a line for a procedure; `kubedrill grade TOPIC/DRILL --command '…'` shows how it is read");
                }
                Ok((steps, ignored)) => {
                    other_tool |= steps.iter().any(|step| {
                        matches!(step.command, crate::grade::command::StepCommand::Tool(_))
                    });
                    // Flags about files, servers, credentials or logging are dropped before
                    // grading and never reach kubectl; in a deck they are at best noise, at
                    // worst an attack on the learner's machine.
                    for ignored in &ignored {
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
        let accepted: Vec<&str> = std::iter::once(entry.answer.get_ref().as_str())
            .chain(entry.accept.iter().map(|other| other.get_ref().as_str()))
            .collect();
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
            // Every known wrong answer is refused, with the explanation the author expects.
            for wrong in &entry.wrong {
                let verdict = crate::grade::command::judge(&accepted, wrong.answer.get_ref(), None);
                if verdict.correct {
                    self.problem(
                        wrong.answer.span(),
                        "wrong-answer-passes",
                        "the grader accepts this wrong answer",
                    )
                    .help("if it is right, move it to `accept`; if it is wrong, the grader needs to learn why (report it)");
                } else {
                    let explanation = verdict.differences.join("\n");
                    if !explanation.contains(wrong.says.get_ref().as_str()) {
                        self.problem(
                            wrong.says.span(),
                            "wrong-answer-explained-otherwise",
                            format!(
                                "the grader's explanation does not contain `{}`; it says: {}",
                                wrong.says.get_ref(),
                                explanation.replace('\n', " / ")
                            ),
                        )
                        .help("set `says` to a piece of what the grader says, if that is the reason this answer is wrong");
                    }
                }
            }
            if other_tool && entry.wrong.len() < 3 {
                self.problem(
                    entry.answer.span(),
                    "too-few-wrong-answers",
                    format!(
                        "a drill of a tool other than kubectl needs at least 3 `[[drill.wrong]]` answers (it has {})",
                        entry.wrong.len()
                    ),
                )
                .help("add wrong commands learners really type, each with `says`: what the grader's explanation names");
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
            after: self.after(&entry.after),
            wrong: entry
                .wrong
                .iter()
                .map(|wrong| crate::model::DrillWrong {
                    answer: wrong.answer.get_ref().trim().to_string(),
                    says: wrong.says.get_ref().clone(),
                })
                .collect(),
            variants: Default::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_deck::{help_of, rules, validate_with};

    #[test]
    fn after_names_a_section_or_an_item_of_the_topic_and_says_where_it_does_not() {
        let lesson = "# Env\n## Setting a variable\ntext\n";
        let cards = "[[card]]\nid = \"a\"\nfront = \"F\"\nback = \"B\"\nafter = [\"section:setting-a-variable\", \"card:b\"]\n\n[[card]]\nid = \"b\"\nfront = \"F\"\nback = \"B\"\nafter = [\"section:nowhere\", \"drill:b\", \"lesson\"]\n";
        let validated = validate_with(&[
            ("topics/env/lesson.en.md", lesson),
            ("topics/env/cards.toml", cards),
        ]);
        assert_eq!(
            rules(&validated),
            [
                ("topics/env/cards.toml", 11, 10, "unknown-after"),
                ("topics/env/cards.toml", 11, 29, "unknown-after"),
                ("topics/env/cards.toml", 11, 40, "bad-after"),
            ]
        );
        assert_eq!(
            help_of(&validated, "unknown-after"),
            "the lesson's sections are: section:setting-a-variable"
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
    fn drills_must_be_commands_of_a_tool_the_grader_knows() {
        let drills = "[[drill]]\nid = \"d\"\nprompt = \"P\"\nanswer = \"create configmap x\"\n";
        let validated = validate_with(&[("topics/env/drills.toml", drills)]);
        assert_eq!(
            rules(&validated),
            [("topics/env/drills.toml", 4, 11, "drill-unreadable")]
        );
        assert!(
            validated.problems[0]
                .message
                .contains("`create` is not one of them"),
            "{}",
            validated.problems[0].message
        );
    }

    #[test]
    fn wrong_drill_answers_are_proven_wrong_with_the_explanation_named() {
        let drills = r#"[[drill]]
id = "d"
prompt = "P"
answer = "etcdutl snapshot restore /opt/etcd-backup.db --data-dir /var/lib/etcd-from-backup"
[[drill.wrong]]
answer = "etcdutl snapshot restore /opt/etcd-backup.db --data-dir=/var/lib/etcd-from-backup/"
says = "--data-dir"
[[drill.wrong]]
answer = "etcdutl snapshot restore /opt/etcd-backup.db"
says = "--cacert"
"#;
        let validated = validate_with(&[("topics/env/drills.toml", drills)]);
        assert_eq!(
            rules(&validated),
            [
                ("topics/env/drills.toml", 4, 10, "too-few-wrong-answers"),
                ("topics/env/drills.toml", 6, 10, "wrong-answer-passes"),
                (
                    "topics/env/drills.toml",
                    10,
                    8,
                    "wrong-answer-explained-otherwise"
                ),
            ]
        );
        assert!(
            validated.problems[2]
                .message
                .contains("it says: --data-dir is missing"),
            "{}",
            validated.problems[2].message
        );
    }

    #[test]
    fn drill_commands_must_be_readable_by_the_grader() {
        let drills = "[[drill]]\nid = \"d\"\nprompt = \"P\"\nanswer = \"kubectl create configmap x --from-literal=K=V\"\naccept = [\"kubectl create configmap x --from-literl=K=V\"]\n";
        let validated = validate_with(&[("topics/env/drills.toml", drills)]);
        assert_eq!(
            rules(&validated),
            [("topics/env/drills.toml", 5, 12, "drill-unreadable")]
        );
        assert!(
            validated.problems[0]
                .message
                .contains("did you mean --from-literal?"),
            "{}",
            validated.problems[0].message
        );
    }
}
