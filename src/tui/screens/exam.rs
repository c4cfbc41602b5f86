//! The mock exam: an intro, then the tasks under a countdown (jump between them, flag some for
//! later, hand in, or be handed in at zero), then the result and a review of every task with
//! its solution. No hints and no solutions while the clock runs, as in the CKA.
//!
//! Each task keeps its own editor or command line, so moving between tasks loses nothing. The
//! answers are graded only at the end (`Effect::FinishExam`); the runner records the exam and
//! feeds every task back to the scheduler (a task not fully right is rated Again).

use jiff::{SignedDuration, Timestamp};

mod draw;

pub use draw::draw;

use super::drill::DrillState;
use super::exercise::{ExerciseState, Focus, Grading};
use super::modal::{Modal, Question};
use crate::exam::{ExamPlan, ExamResult};
use crate::model::ItemKind;
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, Transition};
use crate::tui::ctx::{Ctx, ItemKey, Outcome, stay, stay_with};
use crate::tui::keymap::Key::{Char as C, Code, Ctrl};
use crate::tui::keymap::{Binding, bind, global, moving, quiet, task_scrolling, typing_global};
use ratatui::crossterm::event::KeyCode;

/// A task's own editor or command line.
#[derive(Debug, Clone)]
pub enum TaskState {
    Exercise(Box<ExerciseState>),
    Drill(DrillState),
    Scenario(Box<super::scenario::ScenarioState>),
}

impl ExamState {
    /// Which variant task `index` shows (0 for an item without parameters).
    pub fn variant(&self, index: usize) -> usize {
        match self.tasks.get(index) {
            Some(TaskState::Exercise(state)) => state.variant,
            Some(TaskState::Drill(state)) => state.variant,
            Some(TaskState::Scenario(state)) => state.variant,
            None => 0,
        }
    }
}

impl TaskState {
    /// The answer as it stands (empty: not answered).
    pub fn answer(&self) -> String {
        match self {
            TaskState::Exercise(state) => state.text(),
            TaskState::Drill(state) => state.input.clone(),
            TaskState::Scenario(state) => state.script_text(),
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

    /// Whether the clock runs (leaving would lose the exam).
    pub fn running(&self) -> bool {
        self.phase == ExamPhase::Running
    }

    /// When the exam screen needs to wake: the next second of the countdown, the end, or the
    /// current editor's debounced check.
    pub fn deadline(&self, now: Timestamp) -> Option<Timestamp> {
        if self.phase != ExamPhase::Running {
            return None;
        }
        let started = self.started?;
        let ends = self.ends?;
        let elapsed = now.duration_since(started).as_secs().max(0) + 1;
        let next_second = started + SignedDuration::from_secs(elapsed);
        let check = match (&self.view, self.tasks.get(self.current)) {
            (ExamView::Task, Some(TaskState::Exercise(exercise))) => exercise.check_at,
            _ => None,
        };
        [Some(next_second.min(ends)), check]
            .into_iter()
            .flatten()
            .min()
    }

    /// The kinds of the exam's tasks, for the intro: (exercises, drills, scenarios).
    pub fn mix(&self) -> (usize, usize, usize) {
        let count = |kind: ItemKind| {
            self.plan
                .tasks
                .iter()
                .filter(|task| task.kind == kind)
                .count()
        };
        (
            count(ItemKind::Exercise),
            count(ItemKind::Drill),
            count(ItemKind::Scenario),
        )
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

/// The screen's key bindings: the keymap's table for it, also what the footer and help show.
pub fn bindings(app: &App, exam: &ExamState) -> Vec<Binding> {
    let mut list = match (exam.phase, exam.view) {
        (ExamPhase::Intro, _) => vec![
            bind(
                &[Code(KeyCode::Enter)],
                Action::Open,
                ("start the clock", "시작"),
            ),
            bind(
                &[C('q'), Code(KeyCode::Esc)],
                Action::Back,
                ("back", "뒤로"),
            ),
        ],
        (ExamPhase::Running, ExamView::Overview { .. }) => {
            let mut list = vec![
                bind(
                    &[Code(KeyCode::Enter)],
                    Action::Open,
                    ("open task", "과제 열기"),
                ),
                bind(&[C('f')], Action::Flag, ("flag", "표시")),
                bind(&[C('x')], Action::HandIn, ("hand in", "제출")),
                bind(
                    &[C('o'), Code(KeyCode::Tab)],
                    Action::Overview,
                    ("back to task", "과제로"),
                ),
                bind(
                    &[C('q'), Code(KeyCode::Esc)],
                    Action::Back,
                    ("leave exam", "시험 나가기"),
                ),
            ];
            list.extend(moving());
            list
        }
        (ExamPhase::Running, _) => match exam.tasks.get(exam.current) {
            Some(TaskState::Exercise(exercise)) if exercise.typing() => {
                let mut list = vec![
                    bind(
                        &[Code(KeyCode::Esc)],
                        Action::Focus,
                        ("stop typing", "편집 끝"),
                    ),
                    bind(&[Ctrl('n')], Action::ExamNext, ("next task", "다음 과제")),
                    bind(
                        &[Ctrl('p')],
                        Action::ExamPrevious,
                        ("previous task", "이전 과제"),
                    ),
                    bind(&[Ctrl('f')], Action::Flag, ("flag", "표시")),
                ];
                list.extend(typing_global());
                list
            }
            Some(TaskState::Scenario(_)) => super::scenario::exam_bindings(),
            Some(TaskState::Drill(_)) => {
                let mut list = vec![
                    bind(
                        &[Code(KeyCode::Enter)],
                        Action::Open,
                        ("next task", "다음 과제"),
                    ),
                    bind(
                        &[Ctrl('p')],
                        Action::ExamPrevious,
                        ("previous task", "이전 과제"),
                    ),
                    bind(&[Ctrl('f')], Action::Flag, ("flag", "표시")),
                    bind(
                        &[Code(KeyCode::Tab)],
                        Action::Overview,
                        ("all tasks", "전체 과제"),
                    ),
                    bind(&[Ctrl('x')], Action::HandIn, ("hand in", "제출")),
                    quiet(
                        &[Code(KeyCode::Up)],
                        Action::Up,
                        ("previous command", "이전 명령"),
                    ),
                    quiet(
                        &[Code(KeyCode::Down)],
                        Action::Down,
                        ("next command", "다음 명령"),
                    ),
                    bind(
                        &[Code(KeyCode::Esc)],
                        Action::Back,
                        ("all tasks", "전체 과제"),
                    ),
                ];
                list.extend(typing_global());
                list
            }
            _ => {
                let mut list = vec![
                    bind(
                        &[C('i'), Code(KeyCode::Enter)],
                        Action::Focus,
                        ("edit", "편집"),
                    ),
                    bind(
                        &[C('n'), C(']')],
                        Action::ExamNext,
                        ("next task", "다음 과제"),
                    ),
                    bind(
                        &[C('p'), C('[')],
                        Action::ExamPrevious,
                        ("previous task", "이전 과제"),
                    ),
                    bind(&[C('f')], Action::Flag, ("flag", "표시")),
                    bind(
                        &[C('o'), Code(KeyCode::Tab)],
                        Action::Overview,
                        ("all tasks", "전체 과제"),
                    ),
                    bind(
                        &[C('e')],
                        Action::ExternalEditor,
                        ("$EDITOR", "외부 편집기"),
                    ),
                    bind(&[C('x')], Action::HandIn, ("hand in", "제출")),
                    quiet(&[C('h')], Action::Hint, ("hint", "힌트")),
                    quiet(&[C('s')], Action::ShowSolution, ("solution", "풀이")),
                ];
                list.extend(task_scrolling());
                list.push(bind(
                    &[C('q'), Code(KeyCode::Esc)],
                    Action::Back,
                    ("all tasks", "전체 과제"),
                ));
                list.extend(global(app));
                list
            }
        },
        (ExamPhase::Result, ExamView::Review { .. }) => {
            let mut list = vec![
                bind(&[C('s')], Action::ShowSolution, ("solution", "풀이")),
                bind(
                    &[C('n'), C(']')],
                    Action::ExamNext,
                    ("next task", "다음 과제"),
                ),
                bind(
                    &[C('p'), C('[')],
                    Action::ExamPrevious,
                    ("previous task", "이전 과제"),
                ),
                bind(
                    &[C('q'), Code(KeyCode::Esc)],
                    Action::Back,
                    ("results", "결과"),
                ),
            ];
            list.extend(moving());
            list
        }
        (ExamPhase::Result, _) => {
            let mut list = vec![
                bind(
                    &[Code(KeyCode::Enter)],
                    Action::Open,
                    ("review task", "과제 검토"),
                ),
                bind(&[C('q'), Code(KeyCode::Esc)], Action::Back, ("done", "끝")),
            ];
            list.extend(moving());
            list
        }
    };
    if exam.phase != ExamPhase::Running
        || !matches!(
            exam.tasks.get(exam.current),
            Some(TaskState::Drill(_) | TaskState::Scenario(_))
        ) && !matches!(exam.tasks.get(exam.current), Some(TaskState::Exercise(e)) if e.typing())
    {
        list.push(bind(&[C('?')], Action::Help, ("help", "도움말")));
        list.push(quiet(
            &[C('Q'), Ctrl('c')],
            Action::Quit,
            ("quit kubedrill", "kubedrill 종료"),
        ));
    }
    list
}

/// The key of a planned task in this library.
fn task_key(ctx: &Ctx, task: &crate::exam::ExamTask) -> Option<ItemKey> {
    let deck = ctx
        .library
        .decks
        .iter()
        .position(|deck| deck.id.as_str() == task.deck)?;
    let topic = ctx.library.decks[deck]
        .topics
        .iter()
        .position(|topic| topic.id.as_str() == task.topic)?;
    ctx.find_item(deck, topic, &task.item)
        .filter(|key| key.kind == task.kind)
}

/// The exam's intro, on a plan; any session ends.
pub fn open(ctx: &mut Ctx, plan: ExamPlan) -> Result<Box<ExamState>, String> {
    let mut keys = Vec::new();
    for task in &plan.tasks {
        keys.push(task_key(ctx, task).ok_or_else(|| {
            format!(
                "the exam's task {}/{} is not in the loaded decks",
                task.topic, task.item
            )
        })?);
    }
    // A parameterized task shows the variant the exam's seed sets, not the learner's.
    let tasks = keys
        .iter()
        .zip(&plan.tasks)
        .map(|(key, task)| match ctx.item(*key) {
            crate::model::ItemRef::Exercise(exercise) => {
                let variant = task.variant(plan.seed, ctx.item(*key));
                let mut state = ExerciseState::new(*key, exercise.variant(variant), ctx.now)
                    .with_variant(variant);
                state.grading = Grading::AtHandIn;
                TaskState::Exercise(Box::new(state))
            }
            crate::model::ItemRef::Drill(_) => TaskState::Drill(
                DrillState::new(*key, ctx.now)
                    .with_variant(task.variant(plan.seed, ctx.item(*key))),
            ),
            crate::model::ItemRef::Scenario(scenario) => {
                let variant = task.variant(plan.seed, ctx.item(*key));
                let mut state =
                    super::scenario::ScenarioState::new(*key, scenario.variant(variant), ctx.now)
                        .with_variant(variant);
                state.in_exam = true;
                TaskState::Scenario(Box::new(state))
            }
            _ => unreachable!("an exam holds exercises, drills and scenarios only"),
        })
        .collect();
    let count = plan.tasks.len();
    ctx.session = None;
    Ok(Box::new(ExamState {
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
    }))
}

/// Time passing in an exam: the end hands it in, and the editor's check runs.
fn tick(state: &mut ExamState, ctx: &mut Ctx) -> Outcome {
    let now = ctx.now;
    if state.phase != ExamPhase::Running {
        return stay();
    }
    if state.ends.is_some_and(|ends| ends <= now) {
        state.timed_out = true;
        ctx.modal = None;
        return hand_in(state, ctx);
    }
    let view = state.view;
    match (view, state.exercise_mut()) {
        (ExamView::Task, Some(exercise)) => {
            let folder = super::exercise::folder_of(ctx, exercise.key, exercise.variant);
            stay_with(exercise.tick(now, folder.as_ref()))
        }
        _ => stay(),
    }
}

/// Each task's starter (an exercise's, or none): an answer still equal to it is no answer.
fn starters(state: &ExamState, ctx: &Ctx) -> Vec<Option<String>> {
    state
        .keys
        .iter()
        .enumerate()
        .map(|(index, key)| {
            match ctx
                .library
                .decks
                .get(key.deck)
                .map(|_| ctx.item(*key).variant(state.variant(index)))
            {
                Some(crate::model::ItemRef::Exercise(exercise)) => exercise.starter.clone(),
                _ => None,
            }
        })
        .collect()
}

/// Asks before handing in, saying how many tasks have no answer and how many are flagged.
fn ask_hand_in(state: &ExamState, ctx: &mut Ctx) {
    let starters = starters(state, ctx);
    let unanswered = (0..state.tasks.len())
        .filter(|index| !state.answered(*index, starters[*index].as_deref()))
        .count();
    let flagged = state.flagged.iter().filter(|flag| **flag).count();
    ctx.modal = Some(Modal::Confirm {
        question: Question::HandIn {
            unanswered,
            flagged,
        },
    });
}

/// Ends the exam now: its answers go to the runner to be graded and saved.
fn hand_in(state: &mut ExamState, ctx: &Ctx) -> Outcome {
    let now = ctx.now;
    if state.phase != ExamPhase::Running {
        return stay();
    }
    let starters = starters(state, ctx);
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
    stay_with(vec![Effect::FinishExam(Box::new(finished))])
}

fn graded(state: &mut ExamState, graded: Graded, ctx: &mut Ctx) -> Outcome {
    state.result = Some(Box::new(graded.result));
    if let Some(why) = graded.unsaved {
        ctx.toast(why);
    }
    stay_with(vec![Effect::Refresh])
}

fn blocked(ctx: &mut Ctx) {
    let message = ctx
        .t(
            "No hints or solutions until the exam is handed in.",
            "시험을 제출하기 전에는 힌트와 풀이를 볼 수 없습니다.",
        )
        .to_string();
    ctx.toast(message);
}

/// Where a running exam's task is drawn: the body under the countdown line.
fn task_body(size: (u16, u16)) -> ratatui::layout::Rect {
    let body = super::exercise::body(size);
    ratatui::layout::Rect {
        y: body.y + 1,
        height: body.height.saturating_sub(1),
        ..body
    }
}

/// Back from the exam screen: what is below it comes back, and the queue is computed again.
fn close() -> Outcome {
    (Transition::Back, vec![Effect::Refresh])
}

pub fn update(state: &mut ExamState, action: Action, ctx: &mut Ctx) -> Outcome {
    // Results of effects, and questions this screen asked.
    match action {
        Action::Tick => return tick(state, ctx),
        Action::Checked {
            generation,
            diagnostics,
        } => {
            if let Some(exercise) = state.exercise_mut() {
                exercise.checked(ctx, generation, diagnostics, task_body(ctx.size));
            }
            return stay();
        }
        Action::EditorClosed(result) => {
            let now = ctx.now;
            let current = state.current;
            match (state.tasks.get_mut(current), result) {
                (Some(TaskState::Scenario(scenario)), result) => {
                    return super::scenario::update(scenario, Action::EditorClosed(result), ctx);
                }
                (_, Ok(text)) => {
                    if let Some(exercise) = state.exercise_mut() {
                        exercise.replace_text(&text, now);
                    }
                }
                (_, Err(_)) => {}
            }
            return stay();
        }
        Action::ExamGraded(result) => return graded(state, *result, ctx),
        Action::Confirmed(Question::HandIn { .. }) => return hand_in(state, ctx),
        Action::Confirmed(Question::LeaveExam) => {
            let message = ctx
                .t(
                    "Left the exam: it was not graded or saved.",
                    "시험을 나왔습니다. 채점하지도 저장하지도 않았습니다.",
                )
                .to_string();
            ctx.toast(message);
            return close();
        }
        Action::Resize(..) => {
            if let Some(exercise) = state.exercise_mut() {
                exercise.follow_cursor(ctx, task_body(ctx.size));
            }
            return stay();
        }
        Action::Confirmed(_) => return stay(),
        _ => {}
    }
    match state.phase {
        ExamPhase::Intro => match action {
            Action::Open => {
                state.phase = ExamPhase::Running;
                state.started = Some(ctx.now);
                state.ends =
                    Some(ctx.now + SignedDuration::from_mins(i64::from(state.plan.minutes)));
                state.current = 0;
                state.visited[0] = true;
                state.view = ExamView::Task;
                if let Some(TaskState::Exercise(exercise)) = state.tasks.first_mut() {
                    exercise.attempt.opened = ctx.now;
                }
            }
            Action::Back => return close(),
            _ => {}
        },
        ExamPhase::Running => return update_running(state, action, ctx),
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
            (ExamView::Results { .. }, Action::Back) => return close(),
            (
                ExamView::Review {
                    task,
                    solution,
                    scroll,
                },
                action,
            ) => {
                let last = state.tasks.len().saturating_sub(1);
                let review = |task, solution, scroll| ExamView::Review {
                    task,
                    solution,
                    scroll,
                };
                state.view = match action {
                    Action::ShowSolution => review(task, !solution, 0),
                    Action::ExamNext => review((task + 1).min(last), false, 0),
                    Action::ExamPrevious => review(task.saturating_sub(1), false, 0),
                    Action::Down => review(task, solution, scroll + 1),
                    Action::PageDown => review(task, solution, scroll + 10),
                    Action::Up => review(task, solution, scroll.saturating_sub(1)),
                    Action::PageUp => review(task, solution, scroll.saturating_sub(10)),
                    Action::Scroll(lines) => review(
                        task,
                        solution,
                        (scroll as i64 + i64::from(lines)).max(0) as usize,
                    ),
                    Action::Top => review(task, solution, 0),
                    // The screen stops at the last line.
                    Action::Bottom => review(task, solution, usize::from(u16::MAX)),
                    Action::Back => ExamView::Results { selected: task },
                    _ => state.view,
                };
            }
            _ => {}
        },
    }
    stay()
}

fn move_to(state: &mut ExamState, task: usize, now: jiff::Timestamp) {
    if let Some(TaskState::Exercise(exercise)) = state.tasks.get_mut(state.current) {
        exercise.focus = Focus::Task;
    }
    state.current = task.min(state.tasks.len().saturating_sub(1));
    state.visited[state.current] = true;
    state.view = ExamView::Task;
    if let Some(TaskState::Exercise(exercise)) = state.tasks.get_mut(state.current)
        && exercise.checked_generation != exercise.generation
    {
        exercise.check_at = Some(now);
    }
}

fn update_running(state: &mut ExamState, action: Action, ctx: &mut Ctx) -> Outcome {
    let last = state.tasks.len().saturating_sub(1);
    let now = ctx.now;
    match (state.view, action) {
        (_, Action::HandIn) => ask_hand_in(state, ctx),
        (_, Action::Hint | Action::ShowSolution) => blocked(ctx),
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
            Action::Open => move_to(state, selected, now),
            Action::Flag => state.flagged[selected] = !state.flagged[selected],
            Action::Overview => state.view = ExamView::Task,
            Action::Back => {
                ctx.modal = Some(Modal::Confirm {
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
            move_to(state, next, now);
        }
        (ExamView::Task, Action::ExamPrevious) => {
            let previous = state.current.saturating_sub(1);
            move_to(state, previous, now);
        }
        (ExamView::Task, Action::Overview) => {
            if let Some(exercise) = state.exercise_mut() {
                exercise.focus = Focus::Task;
            }
            state.view = ExamView::Overview {
                selected: state.current,
            };
        }
        (ExamView::Task, action) => {
            let current = state.current;
            match &mut state.tasks[current] {
                TaskState::Exercise(exercise) if exercise.typing() => {
                    exercise.type_in(ctx, action, task_body(ctx.size))
                }
                TaskState::Exercise(exercise) => match action {
                    Action::Focus | Action::Open => exercise.focus = Focus::Editor,
                    Action::ExternalEditor => {
                        return stay_with(vec![Effect::OpenEditor {
                            text: exercise.text(),
                        }]);
                    }
                    Action::Up
                    | Action::Down
                    | Action::PageUp
                    | Action::PageDown
                    | Action::Scroll(_) => {
                        exercise.scroll_key(ctx, task_body(ctx.size), &action);
                    }
                    Action::Back => {
                        state.view = ExamView::Overview { selected: current };
                    }
                    _ => {}
                },
                TaskState::Drill(drill) => match action {
                    Action::Open | Action::Submit => {
                        if !drill.input.trim().is_empty()
                            && ctx.history.last() != Some(&drill.input)
                        {
                            ctx.history.push(drill.input.clone());
                        }
                        let next = (current + 1).min(last);
                        if next != current {
                            move_to(state, next, now);
                        } else {
                            state.view = ExamView::Overview { selected: current };
                        }
                    }
                    Action::Back => state.view = ExamView::Overview { selected: current },
                    action => drill.type_command(action, &ctx.history),
                },
                TaskState::Scenario(scenario) => {
                    return super::scenario::update(scenario, action, ctx);
                }
            }
        }
        _ => {}
    }
    stay()
}
