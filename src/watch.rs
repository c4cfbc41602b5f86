//! Watch mode: the learner edits an exercise's answer in their own editor, and every save is
//! graded again (`kubedrill watch TOPIC/EXERCISE [FILE]`). This module is the state machine,
//! with no terminal and no file watcher: the driver (`cli::watch`) reads the file when it
//! changes, feeds [`Watch::update`] and carries out what it returns (save an attempt, rate).
//!
//! What is recorded follows the interface's Exercise screen: every graded save is an attempt;
//! the first pass rates the exercise from tries, hints and time ([`Attempt::rating`]); leaving
//! after a graded save that did not pass rates it Again.

use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::grade::{self, GradeReport, Images};
use crate::i18n::Lang;
use crate::manifest::Version;
use crate::model::{Deck, Exercise, ItemId};
use crate::srs::Rating;
use crate::study::{AttemptPhase, ExerciseAttempt};

/// One exercise being watched.
#[derive(Debug)]
pub struct Watch<'a> {
    pub deck: &'a Deck,
    pub exercise: &'a Exercise,
    pub id: ItemId,
    /// The file shown to the learner (as they gave it).
    pub file: String,
    pub lang: Lang,
    /// Tries, hints and the rating, counted as everywhere else.
    pub attempt: ExerciseAttempt,
    /// The text the report is about.
    pub graded_text: Option<String>,
    /// The last text saved as an attempt, so a save that changed nothing is not counted twice.
    pub recorded_text: Option<String>,
    pub report: Option<GradeReport>,
    /// Why the file could not be read, until it can be.
    pub unreadable: Option<String>,
    /// Whether saves are noticed by themselves (a file watcher) or only on `r`.
    pub manual: bool,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Watching starts: the file's text is graded to show what is left, not counted as a try.
    Opened(Result<String, String>),
    /// The file changed: its text now, or why it could not be read. A save that leaves the
    /// text as last graded is not a new try.
    Saved(Result<String, String>),
    /// The learner asked to grade the file now (`r`): a try unless this very text was already
    /// saved as one.
    Recheck(Result<String, String>),
    /// Show one more hint.
    Hint,
    /// Leave, to the next exercise or out of watch mode.
    Leave,
}

/// What the driver must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Save this graded attempt.
    Attempt {
        answer: String,
        passed: bool,
        score: f64,
        hints: u32,
        duration_ms: i64,
        summary: String,
    },
    /// Rate the exercise.
    Rate {
        rating: Rating,
        duration_ms: i64,
        score: f64,
    },
}

impl<'a> Watch<'a> {
    pub fn new(
        deck: &'a Deck,
        exercise: &'a Exercise,
        id: ItemId,
        file: String,
        lang: Lang,
        now: Timestamp,
    ) -> Watch<'a> {
        Watch {
            deck,
            exercise,
            id,
            file,
            lang,
            attempt: ExerciseAttempt::new(exercise.difficulty, now),
            graded_text: None,
            recorded_text: None,
            report: None,
            unreadable: None,
            manual: false,
        }
    }

    /// The text a new answer file starts with: the starter, or a comment saying what to write.
    pub fn starter(exercise: &Exercise, lang: Lang) -> String {
        exercise.starter.clone().unwrap_or_else(|| {
            lang.pick(
                "# Write your answer here; kubedrill grades it on every save.\n",
                "# 여기에 답을 쓰세요. 저장할 때마다 kubedrill이 채점합니다.\n",
            )
            .to_string()
        })
    }

    /// The one place state changes.
    pub fn update(&mut self, event: Event, now: Timestamp) -> Vec<Effect> {
        // A save that leaves the text as shown, or a re-check of a text already counted, is
        // not a new try.
        let unchanged = match &event {
            Event::Saved(Ok(text)) => {
                self.graded_text.as_deref() == Some(text.as_str())
                    || self.recorded_text.as_deref() == Some(text.as_str())
            }
            Event::Recheck(Ok(text)) => self.recorded_text.as_deref() == Some(text.as_str()),
            _ => false,
        };
        if unchanged {
            self.unreadable = None;
            return Vec::new();
        }
        match event {
            Event::Hint => {
                self.attempt.hint(self.exercise.hints.len());
                Vec::new()
            }
            Event::Opened(Err(why)) | Event::Saved(Err(why)) | Event::Recheck(Err(why)) => {
                self.unreadable = Some(why);
                Vec::new()
            }
            Event::Opened(Ok(text)) => {
                self.unreadable = None;
                self.report = Some(self.grade(&text));
                self.graded_text = Some(text);
                Vec::new()
            }
            Event::Saved(Ok(text)) | Event::Recheck(Ok(text)) => {
                self.unreadable = None;
                let report = self.grade(&text);
                let graded = self.attempt.graded(&report, now);
                let duration_ms = graded.took.as_millis() as i64;
                let mut effects = vec![Effect::Attempt {
                    answer: text.clone(),
                    passed: report.passed,
                    score: report.score,
                    hints: self.attempt.hints as u32,
                    duration_ms,
                    summary: graded.summary,
                }];
                if let Some(rating) = graded.rating {
                    effects.push(Effect::Rate {
                        rating,
                        duration_ms,
                        score: report.score,
                    });
                }
                self.graded_text = Some(text.clone());
                self.recorded_text = Some(text);
                self.report = Some(report);
                effects
            }
            Event::Leave => match self.attempt.leave(now) {
                Some((rating, took)) => vec![Effect::Rate {
                    rating,
                    duration_ms: took.as_millis() as i64,
                    score: 0.0,
                }],
                None => Vec::new(),
            },
        }
    }

    fn grade(&self, text: &str) -> GradeReport {
        let images = Images::built_in().with(&self.deck.images);
        grade::grade_exercise(
            &self.id,
            self.exercise,
            &images,
            text,
            self.lang.tag(),
            Version::pinned(),
        )
    }

    /// The screen, as plain lines: what to do, the last report, the hints asked for, the keys.
    pub fn render(&self, next: Option<&str>) -> String {
        let lang = self.lang;
        let tag = lang.tag();
        let mut out = String::new();
        let escape = |text: &str| crate::text::escape_controls(text).into_owned();
        out.push_str(&format!(
            "kubedrill watch · {} · {}\n",
            self.id,
            escape(self.exercise.title.get(tag))
        ));
        out.push_str(&format!(
            "{}\n\n",
            match (lang, self.manual) {
                (Lang::En, false) => format!(
                    "Edit {} in your editor: every save is graded.",
                    escape(&self.file)
                ),
                (Lang::En, true) => format!(
                    "Edit {}, save, then press r to grade it.",
                    escape(&self.file)
                ),
                (Lang::Ko, false) => format!(
                    "편집기에서 {}을(를) 고치세요. 저장할 때마다 채점합니다.",
                    escape(&self.file)
                ),
                (Lang::Ko, true) => format!(
                    "{}을(를) 고쳐 저장한 뒤 r을 누르면 채점합니다.",
                    escape(&self.file)
                ),
            }
        ));
        // The task as plain text: Markdown's markers (`**every**`) are noise in a terminal.
        for line in crate::text::markdown_plain(self.exercise.prompt.get(tag)).lines() {
            out.push_str(&format!("  {line}\n"));
        }
        out.push('\n');
        if let Some(why) = &self.unreadable {
            out.push_str(&format!(
                "{} {}\n\n",
                lang.pick("cannot read the answer:", "답 파일을 읽을 수 없습니다:"),
                escape(why)
            ));
        }
        match &self.report {
            None => out.push_str(lang.pick(
                "Not graded yet: save the file.\n",
                "아직 채점하지 않았습니다. 파일을 저장하세요.\n",
            )),
            Some(report) => {
                let shown = report.clone().localized(lang);
                let source = self.graded_text.as_deref().unwrap_or_default();
                let errors: Vec<_> = shown
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .cloned()
                    .collect();
                if errors.is_empty() {
                    out.push_str(&shown.render_checks(lang));
                } else {
                    // What to fix first, and one line for the checks: listing each as failed
                    // (they cannot run on a manifest the API server refuses) pushed the error
                    // itself off the screen.
                    out.push_str(&crate::manifest::diagnostic::render_text(
                        &errors, &self.file, source, false, lang,
                    ));
                    out.push_str(&match lang {
                        Lang::En => format!(
                            "{}: not passed · the {} run once the manifest is valid\n",
                            self.id,
                            crate::text::plural(shown.checks.len(), "check")
                        ),
                        Lang::Ko => format!(
                            "{}: 불합격 · 매니페스트가 올바르면 검사 {}개를 실행합니다\n",
                            self.id,
                            shown.checks.len()
                        ),
                    });
                }
                out.push_str(&match (lang, self.attempt.tries) {
                    (Lang::En, 0) => {
                        "The file as it was when watching began; each save is a try.\n".to_string()
                    }
                    (Lang::En, tries) => format!(
                        "{} so far\n",
                        crate::text::plural(tries as usize, "graded save")
                    ),
                    (Lang::Ko, 0) => {
                        "watch를 시작할 때의 파일입니다. 저장할 때마다 한 번의 시도로 채점합니다.\n"
                            .to_string()
                    }
                    (Lang::Ko, tries) => format!("지금까지 {tries}번 채점\n"),
                });
            }
        }
        for (index, hint) in self.exercise.hints[..self.attempt.hints].iter().enumerate() {
            out.push_str(&format!(
                "{} {}: {}\n",
                lang.pick("hint", "힌트"),
                index + 1,
                escape(hint.get(tag))
            ));
        }
        out.push('\n');
        // The last save decides what is shown: a pass earlier (already rated) does not make a
        // later failing save look passed.
        let passes_now = self.report.as_ref().is_some_and(|report| report.passed);
        if self.attempt.phase == AttemptPhase::Passed && !passes_now {
            out.push_str(lang.pick(
                "Passed earlier (the rating is saved), but the file as saved now does not pass.\n",
                "앞에서 통과했고 평가도 저장했지만, 지금 저장한 파일은 통과하지 못합니다.\n",
            ));
        }
        if passes_now {
            out.push_str(&match (lang, next) {
                (Lang::En, Some(next)) => {
                    format!("✓ Passed. n: next exercise ({})  q: quit", escape(next))
                }
                (Lang::En, None) => "✓ Passed: that was the last exercise. q: quit".to_string(),
                (Lang::Ko, Some(next)) => {
                    format!("✓ 통과했습니다. n: 다음 문제 ({})  q: 종료", escape(next))
                }
                (Lang::Ko, None) => "✓ 통과했습니다. 마지막 문제였습니다. q: 종료".to_string(),
            });
        } else {
            let left = self.exercise.hints.len() - self.attempt.hints;
            out.push_str(&match lang {
                Lang::En => {
                    format!("r: grade now   h: hint ({left} left)   n: next exercise   q: quit")
                }
                Lang::Ko => {
                    format!("r: 지금 채점   h: 힌트 ({left}개 남음)   n: 다음 문제   q: 종료")
                }
            });
        }
        out.push('\n');
        out
    }
}

/// How long a burst of file events (an editor writes, renames, sets attributes) must be quiet
/// before the file is read: one settle time for every front end that watches files.
pub const SETTLE: Duration = Duration::from_millis(150);

/// Turns a burst of change events into one: each event restarts the quiet period, and the
/// change is due once [`SETTLE`] has passed without another. Time is given, so it is tested
/// without a clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Debounce {
    last_event: Option<Instant>,
}

impl Debounce {
    /// A change was seen at `now`.
    pub fn changed(&mut self, now: Instant) {
        self.last_event = Some(now);
    }

    /// How long to wait for the next event before the pending change is due: `None` when
    /// nothing is pending (wait as long as it takes), zero when it is due now.
    pub fn wait(&self, now: Instant) -> Option<Duration> {
        self.last_event
            .map(|last| SETTLE.saturating_sub(now.saturating_duration_since(last)))
    }

    /// Whether the pending change is due at `now`; taking it clears it.
    pub fn take_due(&mut self, now: Instant) -> bool {
        let due = self.wait(now) == Some(Duration::ZERO);
        if due {
            self.last_event = None;
        }
        due
    }
}

/// The exercise after `id` in study order (the rest of its topic, then the next topics), in
/// the same deck.
pub fn next_exercise<'d>(deck: &'d Deck, id: &ItemId) -> Option<(ItemId, &'d Exercise)> {
    let mut found = false;
    for topic in &deck.topics {
        for exercise in &topic.exercises {
            if found {
                return Some((
                    ItemId {
                        topic: topic.id.clone(),
                        item: exercise.id.clone(),
                    },
                    exercise,
                ));
            }
            found = topic.id == id.topic && exercise.id == id.item;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built_in() -> Deck {
        crate::content::built_in().deck.unwrap()
    }

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_780_000_000 + seconds).unwrap()
    }

    #[test]
    fn the_next_exercise_follows_study_order() {
        let deck = built_in();
        let first = &deck.topics[0];
        let id = ItemId {
            topic: first.id.clone(),
            item: first.exercises[0].id.clone(),
        };
        let (next, _) = next_exercise(&deck, &id).unwrap();
        assert_eq!(next.item, first.exercises[1].id);
        let last_topic = deck
            .topics
            .iter()
            .rev()
            .find(|topic| !topic.exercises.is_empty())
            .unwrap();
        let last = ItemId {
            topic: last_topic.id.clone(),
            item: last_topic.exercises.last().unwrap().id.clone(),
        };
        assert!(next_exercise(&deck, &last).is_none());
    }

    #[test]
    fn leaving_before_any_graded_save_rates_nothing() {
        let deck = built_in();
        let exercise = &deck.topics[0].exercises[0];
        let id = ItemId {
            topic: deck.topics[0].id.clone(),
            item: exercise.id.clone(),
        };
        let mut watch = Watch::new(&deck, exercise, id, "a.yaml".into(), Lang::En, at(0));
        assert!(watch.update(Event::Leave, at(5)).is_empty());
        assert!(watch.update(Event::Hint, at(6)).is_empty());
        assert_eq!(watch.attempt.hints, 1.min(exercise.hints.len()));
    }

    #[test]
    fn a_burst_of_changes_is_one_change_once_it_is_quiet() {
        let start = Instant::now();
        let at = |millis: u64| start + Duration::from_millis(millis);
        let mut debounce = Debounce::default();
        assert_eq!(debounce.wait(at(0)), None, "nothing pending: block");
        debounce.changed(at(0));
        debounce.changed(at(100));
        assert_eq!(debounce.wait(at(120)), Some(Duration::from_millis(130)));
        assert!(
            !debounce.take_due(at(200)),
            "the second event restarted the wait"
        );
        assert!(debounce.take_due(at(250)));
        assert_eq!(debounce.wait(at(260)), None, "taken");
    }

    fn watching<'d>(deck: &'d Deck, topic: &str, item: &str) -> Watch<'d> {
        let topic = deck.topics.iter().find(|t| t.id.as_str() == topic).unwrap();
        let exercise = topic
            .exercises
            .iter()
            .find(|e| e.id.as_str() == item)
            .unwrap();
        let id = ItemId {
            topic: topic.id.clone(),
            item: exercise.id.clone(),
        };
        Watch::new(deck, exercise, id, "answer.yaml".into(), Lang::En, at(0))
    }

    #[test]
    fn a_later_failing_save_is_not_shown_as_passed() {
        let deck = built_in();
        let mut watch = watching(&deck, "configmaps", "app-config-envfrom");
        let solution = watch.exercise.solution.clone();
        watch.update(Event::Saved(Ok(solution)), at(10));
        assert!(watch.render(None).contains("✓ Passed"));
        watch.update(Event::Saved(Ok("kind: ConfigMap\n".into())), at(20));
        let screen = watch.render(None);
        assert!(!screen.contains("✓ Passed"), "{screen}");
        assert!(
            screen.contains("Passed earlier (the rating is saved)"),
            "{screen}"
        );
        assert!(screen.contains("r: grade now"), "{screen}");
    }

    #[test]
    fn an_invalid_manifest_shows_its_error_not_every_check_failed() {
        let deck = built_in();
        let mut watch = watching(&deck, "configmaps", "app-config-envfrom");
        watch.update(Event::Saved(Ok("kind: [\n".into())), at(10));
        let screen = watch.render(None);
        assert!(screen.contains("error[yaml-syntax]"), "{screen}");
        assert!(!screen.contains('✗'), "no list of failed checks: {screen}");
        assert!(
            screen.contains("checks run once the manifest is valid"),
            "{screen}"
        );
        // The task reads as text, not Markdown.
        assert!(screen.contains("loads\n     every key"), "{screen}");
        assert!(!screen.contains("**"), "{screen}");
    }
}
