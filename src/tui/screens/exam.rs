//! The mock exam: an intro, then the tasks under a countdown (jump between them, flag some for
//! later, hand in, or be handed in at zero), then the result and a review of every task with
//! its solution. No hints and no solutions while the clock runs, as in the CKA.
//!
//! Each task keeps its own editor or command line, so moving between tasks loses nothing. The
//! answers are graded only at the end (`Effect::FinishExam`); the runner records the exam and
//! feeds every task back to the scheduler (a task not fully right is rated Again).

use jiff::{SignedDuration, Timestamp};

use super::action::{Action, Effect};
use super::app::{App, DrillState, ExerciseState, ItemKey, Modal, Question, Screen};
use crate::exam::{ExamPlan, ExamResult};
use crate::model::ItemKind;

/// A task's own editor or command line.
#[derive(Debug, Clone)]
pub enum TaskState {
    Exercise(Box<ExerciseState>),
    Drill(DrillState),
}

impl TaskState {
    /// The answer as it stands (empty: not answered).
    pub fn answer(&self) -> String {
        match self {
            TaskState::Exercise(state) => state.editor.lines().join("\n"),
            TaskState::Drill(state) => state.input.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExamPhase {
    /// What the exam holds and its rules; Enter starts the clock.
    Intro,
    Running,
    Result,
}

/// What the exam screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExamView {
    /// The current task.
    Task,
    /// Every task with its state; the cursor on one.
    Overview { selected: usize },
    /// After grading: the list of tasks with their scores.
    Results { selected: usize },
    /// After grading: one task's prompt, answer, checks and (with `s`) solution.
    Review {
        task: usize,
        solution: bool,
        scroll: usize,
    },
}

#[derive(Debug, Clone)]
pub struct ExamState {
    pub plan: ExamPlan,
    pub keys: Vec<ItemKey>,
    /// Each task's editor or command line (the exercise's starter, or empty).
    pub tasks: Vec<TaskState>,
    pub flagged: Vec<bool>,
    /// Tasks opened at least once.
    pub visited: Vec<bool>,
    pub phase: ExamPhase,
    pub view: ExamView,
    pub current: usize,
    pub started: Option<Timestamp>,
    pub ends: Option<Timestamp>,
    pub result: Option<Box<ExamResult>>,
    /// Set when the clock ran out (the result says so).
    pub timed_out: bool,
}

impl ExamState {
    /// How long is left (zero when over), while the exam runs.
    pub fn left(&self, now: Timestamp) -> SignedDuration {
        self.ends
            .map(|ends| ends.duration_since(now).max(SignedDuration::ZERO))
            .unwrap_or(SignedDuration::from_mins(i64::from(self.plan.minutes)))
    }

    /// Whether task `index` has an answer that differs from where it started.
    pub fn answered(&self, index: usize, starter: Option<&str>) -> bool {
        let answer = self.tasks[index].answer();
        !answer.trim().is_empty() && answer.trim() != starter.unwrap_or_default().trim()
    }

    fn exercise_mut(&mut self) -> Option<&mut ExerciseState> {
        match self.tasks.get_mut(self.current) {
            Some(TaskState::Exercise(state)) => Some(state),
            _ => None,
        }
    }
}

/// The answers and times of a finished exam, for the runner to grade and save.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    pub plan: ExamPlan,
    pub keys: Vec<ItemKey>,
    /// Each task's answer (`None`: left as it started) and whether it was flagged.
    pub answers: Vec<(Option<String>, bool)>,
    pub started: Timestamp,
    pub finished: Timestamp,
}

/// What grading the exam gave.
#[derive(Debug, Clone)]
pub struct Graded {
    pub result: ExamResult,
    /// Why the exam could not be saved, if it could not.
    pub unsaved: Option<String>,
}

impl App {
    /// The key of a planned task in this library.
    fn task_key(&self, task: &crate::exam::ExamTask) -> Option<ItemKey> {
        let deck = self
            .library
            .decks
            .iter()
            .position(|deck| deck.id.as_str() == task.deck)?;
        let topic = self.library.decks[deck]
            .topics
            .iter()
            .position(|topic| topic.id.as_str() == task.topic)?;
        self.find_item(deck, topic, &task.item)
            .filter(|key| key.kind == task.kind)
    }

    /// Opens the exam's intro over the current screen.
    pub fn open_exam(&mut self, plan: ExamPlan) -> Result<(), String> {
        let mut keys = Vec::new();
        for task in &plan.tasks {
            keys.push(self.task_key(task).ok_or_else(|| {
                format!(
                    "the exam's task {}/{} is not in the loaded decks",
                    task.topic, task.item
                )
            })?);
        }
        let tasks = keys
            .iter()
            .map(|key| match self.item_screen(*key) {
                Screen::Exercise(state) => TaskState::Exercise(state),
                Screen::Drill(state) => TaskState::Drill(state),
                _ => unreachable!("an exam holds exercises and drills only"),
            })
            .collect();
        let count = plan.tasks.len();
        let state = ExamState {
            plan,
            keys,
            tasks,
            flagged: vec![false; count],
            visited: vec![false; count],
            phase: ExamPhase::Intro,
            view: ExamView::Task,
            current: 0,
            started: None,
            ends: None,
            result: None,
            timed_out: false,
        };
        self.session = None;
        self.go(Screen::Exam(Box::new(state)));
        Ok(())
    }

    /// When the exam screen needs to wake: the next second of the countdown, the end, or the
    /// current editor's debounced check.
    pub(super) fn exam_deadline(&self, state: &ExamState) -> Option<Timestamp> {
        if state.phase != ExamPhase::Running {
            return None;
        }
        let started = state.started?;
        let ends = state.ends?;
        let elapsed = self.now.duration_since(started).as_secs().max(0) + 1;
        let next_second = started + SignedDuration::from_secs(elapsed);
        let check = match (&state.view, state.tasks.get(state.current)) {
            (ExamView::Task, Some(TaskState::Exercise(exercise))) => exercise.check_at,
            _ => None,
        };
        [Some(next_second.min(ends)), check]
            .into_iter()
            .flatten()
            .min()
    }

    /// Time passing in an exam: the end hands it in, and the editor's check runs.
    pub(super) fn exam_tick(&mut self) -> Option<Effect> {
        let now = self.now;
        let Screen::Exam(state) = &mut self.screen else {
            return None;
        };
        if state.phase != ExamPhase::Running {
            return None;
        }
        if state.ends.is_some_and(|ends| ends <= now) {
            state.timed_out = true;
            self.modal = None;
            return self.hand_in();
        }
        let view = state.view;
        if let (ExamView::Task, Some(exercise)) = (view, state.exercise_mut())
            && exercise.check_at.is_some_and(|at| at <= now)
        {
            exercise.check_at = None;
            return Some(Effect::Check {
                generation: exercise.generation,
                text: exercise.editor.lines().join("\n"),
            });
        }
        None
    }

    /// Diagnostics of the exam's current editor.
    pub(super) fn exam_checked(
        &mut self,
        generation: u64,
        diagnostics: Vec<crate::manifest::Diagnostic>,
    ) {
        if let Screen::Exam(state) = &mut self.screen
            && let Some(exercise) = state.exercise_mut()
            && exercise.generation == generation
        {
            exercise.diagnostics = diagnostics;
            exercise.checked_generation = generation;
        }
    }

    /// Ends the exam now: its answers go to the runner to be graded and saved.
    pub(super) fn hand_in(&mut self) -> Option<Effect> {
        let now = self.now;
        let Screen::Exam(state) = &self.screen else {
            return None;
        };
        if state.phase != ExamPhase::Running {
            return None;
        }
        let starters: Vec<Option<String>> = state
            .keys
            .iter()
            .map(
                |key| match self.library.decks.get(key.deck).map(|_| self.item(*key)) {
                    Some(crate::model::ItemRef::Exercise(exercise)) => exercise.starter.clone(),
                    _ => None,
                },
            )
            .collect();
        let Screen::Exam(state) = &mut self.screen else {
            return None;
        };
        let answers = (0..state.tasks.len())
            .map(|index| {
                let answered = state.answered(index, starters[index].as_deref());
                (
                    answered.then(|| state.tasks[index].answer()),
                    state.flagged[index],
                )
            })
            .collect();
        state.phase = ExamPhase::Result;
        state.view = ExamView::Results { selected: 0 };
        let finished = Finished {
            plan: state.plan.clone(),
            keys: state.keys.clone(),
            answers,
            started: state.started.unwrap_or(now),
            finished: now,
        };
        Some(Effect::FinishExam(Box::new(finished)))
    }

    pub(super) fn exam_graded(&mut self, graded: Graded) -> Option<Effect> {
        if let Screen::Exam(state) = &mut self.screen {
            state.result = Some(Box::new(graded.result));
        }
        if let Some(why) = graded.unsaved {
            self.toast(why);
        }
        Some(Effect::Refresh)
    }

    fn exam_blocked(&mut self) {
        let message = self
            .t(
                "No hints or solutions until the exam is handed in.",
                "시험을 제출하기 전에는 힌트와 풀이를 볼 수 없습니다.",
            )
            .to_string();
        self.toast(message);
    }

    pub(super) fn update_exam(
        &mut self,
        mut state: Box<ExamState>,
        action: Action,
    ) -> (Option<Screen>, Option<Effect>) {
        match state.phase {
            ExamPhase::Intro => match action {
                Action::Open => {
                    state.phase = ExamPhase::Running;
                    state.started = Some(self.now);
                    state.ends =
                        Some(self.now + SignedDuration::from_mins(i64::from(state.plan.minutes)));
                    state.current = 0;
                    state.visited[0] = true;
                    state.view = ExamView::Task;
                    if let Some(TaskState::Exercise(exercise)) = state.tasks.first_mut() {
                        exercise.opened = self.now;
                    }
                }
                Action::Back => {
                    self.screen = Screen::Exam(state);
                    return (None, self.go_back_from_exam());
                }
                _ => {}
            },
            ExamPhase::Running => return self.update_running(state, action),
            ExamPhase::Result => match (state.view, action) {
                (ExamView::Results { selected }, Action::Up) => {
                    state.view = ExamView::Results {
                        selected: selected.saturating_sub(1),
                    }
                }
                (ExamView::Results { selected }, Action::Down) => {
                    state.view = ExamView::Results {
                        selected: (selected + 1).min(state.tasks.len().saturating_sub(1)),
                    }
                }
                (ExamView::Results { selected }, Action::Open) if state.result.is_some() => {
                    state.view = ExamView::Review {
                        task: selected,
                        solution: false,
                        scroll: 0,
                    }
                }
                (ExamView::Results { .. }, Action::Back) => {
                    self.screen = Screen::Exam(state);
                    return (None, self.go_back_from_exam());
                }
                (
                    ExamView::Review {
                        task,
                        solution,
                        scroll,
                    },
                    action,
                ) => {
                    let last = state.tasks.len().saturating_sub(1);
                    state.view = match action {
                        Action::ShowSolution => ExamView::Review {
                            task,
                            solution: !solution,
                            scroll: 0,
                        },
                        Action::ExamNext => ExamView::Review {
                            task: (task + 1).min(last),
                            solution: false,
                            scroll: 0,
                        },
                        Action::ExamPrevious => ExamView::Review {
                            task: task.saturating_sub(1),
                            solution: false,
                            scroll: 0,
                        },
                        Action::Down => ExamView::Review {
                            task,
                            solution,
                            scroll: scroll + 1,
                        },
                        Action::PageDown => ExamView::Review {
                            task,
                            solution,
                            scroll: scroll + 10,
                        },
                        Action::Up => ExamView::Review {
                            task,
                            solution,
                            scroll: scroll.saturating_sub(1),
                        },
                        Action::PageUp => ExamView::Review {
                            task,
                            solution,
                            scroll: scroll.saturating_sub(10),
                        },
                        Action::Scroll(lines) => ExamView::Review {
                            task,
                            solution,
                            scroll: (scroll as i64 + i64::from(lines)).max(0) as usize,
                        },
                        Action::Top => ExamView::Review {
                            task,
                            solution,
                            scroll: 0,
                        },
                        // The screen stops at the last line.
                        Action::Bottom => ExamView::Review {
                            task,
                            solution,
                            scroll: usize::from(u16::MAX),
                        },
                        Action::Back => ExamView::Results { selected: task },
                        _ => state.view,
                    };
                }
                _ => {}
            },
        }
        (Some(Screen::Exam(state)), None)
    }

    fn go_back_from_exam(&mut self) -> Option<Effect> {
        match self.back.pop() {
            Some(screen) => self.screen = screen,
            None => self.screen = Screen::Home { selected: 0 },
        }
        Some(Effect::Refresh)
    }

    fn move_to(&mut self, state: &mut ExamState, task: usize) {
        if let Some(TaskState::Exercise(exercise)) = state.tasks.get_mut(state.current) {
            exercise.typing = false;
        }
        state.current = task.min(state.tasks.len().saturating_sub(1));
        state.visited[state.current] = true;
        state.view = ExamView::Task;
        if let Some(TaskState::Exercise(exercise)) = state.tasks.get_mut(state.current)
            && exercise.checked_generation != exercise.generation
        {
            exercise.check_at = Some(self.now);
        }
    }

    fn update_running(
        &mut self,
        mut state: Box<ExamState>,
        action: Action,
    ) -> (Option<Screen>, Option<Effect>) {
        let last = state.tasks.len().saturating_sub(1);
        match (state.view, action) {
            (_, Action::HandIn) => {
                self.modal = Some(Modal::Confirm {
                    question: Question::HandIn,
                });
            }
            (_, Action::Hint | Action::ShowSolution) => self.exam_blocked(),
            (ExamView::Overview { selected }, action) => match action {
                Action::Up => {
                    state.view = ExamView::Overview {
                        selected: selected.saturating_sub(1),
                    }
                }
                Action::Down => {
                    state.view = ExamView::Overview {
                        selected: (selected + 1).min(last),
                    }
                }
                Action::Top => state.view = ExamView::Overview { selected: 0 },
                Action::Bottom => state.view = ExamView::Overview { selected: last },
                Action::Open => self.move_to(&mut state, selected),
                Action::Flag => state.flagged[selected] = !state.flagged[selected],
                Action::Overview => state.view = ExamView::Task,
                Action::Back => {
                    self.modal = Some(Modal::Confirm {
                        question: Question::LeaveExam,
                    });
                }
                _ => {}
            },
            (ExamView::Task, Action::Flag) => {
                let current = state.current;
                state.flagged[current] = !state.flagged[current];
            }
            (ExamView::Task, Action::ExamNext) => {
                let next = (state.current + 1).min(last);
                self.move_to(&mut state, next);
            }
            (ExamView::Task, Action::ExamPrevious) => {
                let previous = state.current.saturating_sub(1);
                self.move_to(&mut state, previous);
            }
            (ExamView::Task, Action::Overview) => {
                if let Some(exercise) = state.exercise_mut() {
                    exercise.typing = false;
                }
                state.view = ExamView::Overview {
                    selected: state.current,
                };
            }
            (ExamView::Task, action) => {
                let current = state.current;
                match &mut state.tasks[current] {
                    TaskState::Exercise(exercise) if exercise.typing => {
                        self.type_in_editor(exercise, action)
                    }
                    TaskState::Exercise(exercise) => match action {
                        Action::Focus | Action::Open => exercise.typing = true,
                        Action::ExternalEditor => {
                            let text = exercise.editor.lines().join("\n");
                            return (Some(Screen::Exam(state)), Some(Effect::OpenEditor { text }));
                        }
                        Action::Up => {
                            exercise.prompt_scroll = exercise.prompt_scroll.saturating_sub(1)
                        }
                        Action::Down => exercise.prompt_scroll += 1,
                        Action::Scroll(lines) => {
                            exercise.prompt_scroll =
                                (exercise.prompt_scroll as i64 + i64::from(lines)).max(0) as usize
                        }
                        Action::Back => {
                            state.view = ExamView::Overview { selected: current };
                        }
                        _ => {}
                    },
                    TaskState::Drill(drill) => match action {
                        Action::Open | Action::Submit => {
                            if !drill.input.trim().is_empty()
                                && self.history.last() != Some(&drill.input)
                            {
                                self.history.push(drill.input.clone());
                            }
                            let next = (current + 1).min(last);
                            if next != current {
                                self.move_to(&mut state, next);
                            } else {
                                state.view = ExamView::Overview { selected: current };
                            }
                        }
                        Action::Back => state.view = ExamView::Overview { selected: current },
                        action => self.type_command(drill, action),
                    },
                }
            }
            _ => {}
        }
        (Some(Screen::Exam(state)), None)
    }

    /// The exam's editor came back from `$EDITOR`.
    pub(super) fn exam_editor_closed(&mut self, text: &str) {
        let now = self.now;
        if let Screen::Exam(state) = &mut self.screen
            && let Some(exercise) = state.exercise_mut()
        {
            exercise.editor = super::app::editor_with(text);
            exercise.generation += 1;
            exercise.check_at = Some(now);
        }
    }

    /// The kinds of the exam's tasks, for the intro: (exercises, drills).
    pub fn exam_mix(state: &ExamState) -> (usize, usize) {
        let exercises = state
            .plan
            .tasks
            .iter()
            .filter(|task| task.kind == ItemKind::Exercise)
            .count();
        (exercises, state.plan.tasks.len() - exercises)
    }
}
