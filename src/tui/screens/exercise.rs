//! A YAML exercise: the task (with hints asked for, the grade report, the solution as a diff)
//! beside an editor with colours, line numbers and live diagnostics. Ctrl-S grades; `w` grades
//! every save of an answer file; leaving a tried exercise unpassed rates it Again. An answer
//! left unpassed is kept as a draft and comes back when the exercise opens again (`r` starts
//! again from the starter).
//!
//! Tries, hints, the solution and the rating are counted by [`ExerciseAttempt`], the one policy
//! watch mode uses too; its phase is the screen's life ([`ExercisePhase`]: Working → Passed, or
//! → GaveUp while a give-up rating is saved). Where keys go is [`Focus`]; the solution on show
//! is [`Solution`] (never seen, shown, or seen and hidden again).

mod draw;

pub use draw::draw;

use jiff::Timestamp;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui_textarea::TextArea;

use super::modal::{Modal, Question};
use crate::grade::GradeReport;
use crate::i18n::Lang;
use crate::manifest::Diagnostic;
use crate::model::{Exercise, ItemRef};
use crate::srs::Rating;
use crate::study::ExerciseAttempt;
use crate::tui::action::{Action, Effect};
use crate::tui::app::App;
use crate::tui::ctx::{CHECK_DELAY, Ctx, ItemKey, Outcome, stay, stay_with};
use crate::tui::keymap::Key::{Char as C, Code, Ctrl};
use crate::tui::keymap::{Binding, bind, global, quiet, task_scrolling, typing_global};
use crate::tui::widgets::editor::{editor_with, follow};
use ratatui::crossterm::event::KeyCode;

/// The exercise's life is its attempt's: Working (typing, grading, asking for hints), Passed
/// (rated; Enter goes on), or GaveUp (the Again rating is being saved, then the screen moves on).
pub use crate::study::AttemptPhase as ExercisePhase;

/// The first line of a parameterized exercise's draft: which variant it answers.
const DRAFT_VARIANT: &str = "# kubedrill variant: ";

/// Where keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The screen's keys (hints, grade, scroll the task).
    Task,
    /// Typing in the editor.
    Editor,
}

/// When the answer is graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grading {
    /// On Ctrl-S (or a save of a watched file), at once.
    OnKey,
    /// With the rest of the mock exam, when it is handed in.
    AtHandIn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solution {
    Unseen,
    Shown,
    /// Seen, then hidden again (it still counts as seen).
    Hidden,
}

#[derive(Debug, Clone)]
pub struct ExerciseState {
    pub key: ItemKey,
    pub editor: TextArea<'static>,
    pub focus: Focus,
    /// Tries, hints, the solution seen, the time given, and the phase.
    pub attempt: ExerciseAttempt,
    pub solution: Solution,
    /// The first line of the editor on screen.
    pub top: usize,
    /// Live diagnostics of the text as typed, and the edit they belong to.
    pub diagnostics: Vec<Diagnostic>,
    pub generation: u64,
    pub checked_generation: u64,
    /// When the debounced check is due.
    pub check_at: Option<Timestamp>,
    pub report: Option<Box<GradeReport>>,
    pub prompt_scroll: usize,
    /// The answer file being watched (`w`), as shown: every save is graded.
    pub watching: Option<String>,
    /// The rating the pass saved, and how long until the exercise is due again (`3d`).
    pub recorded: Option<(Rating, String)>,
    /// When the answer is graded (the editor's title says how).
    pub grading: Grading,
    /// The answer on show is the draft left last time (`r` offers the starter).
    pub restored: bool,
    /// Which variant of a parameterized exercise is on show (0 otherwise).
    pub variant: usize,
}

impl ExerciseState {
    pub fn new(key: ItemKey, exercise: &Exercise, now: Timestamp) -> ExerciseState {
        let text = exercise.starter.clone().unwrap_or_default();
        ExerciseState {
            key,
            editor: editor_with(&text),
            focus: Focus::Task,
            attempt: ExerciseAttempt::new(exercise.difficulty, now),
            solution: Solution::Unseen,
            top: 0,
            diagnostics: Vec::new(),
            generation: 0,
            checked_generation: 0,
            // A starter is checked at once: a broken one shows its mistakes on arrival.
            check_at: (!text.trim().is_empty()).then_some(now),
            report: None,
            prompt_scroll: 0,
            watching: None,
            recorded: None,
            grading: Grading::OnKey,
            restored: false,
            variant: 0,
        }
    }

    /// The state of variant `variant`; `new` must have been given that variant's exercise.
    pub fn with_variant(mut self, variant: usize) -> ExerciseState {
        self.variant = variant;
        self
    }

    /// Whether keys go to the editor.
    pub fn typing(&self) -> bool {
        self.focus == Focus::Editor
    }

    pub fn passed(&self) -> bool {
        self.attempt.phase == ExercisePhase::Passed
    }

    pub fn show_solution(&self) -> bool {
        self.solution == Solution::Shown
    }

    pub fn solution_seen(&self) -> bool {
        self.attempt.solution_seen
    }

    /// Shows the solution (it counts as seen from now on).
    fn reveal(&mut self) {
        self.solution = Solution::Shown;
        self.attempt.show_solution();
    }

    pub fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    /// Whether the answer is other than the exercise's starter (and not empty).
    pub fn edited(&self, ctx: &Ctx) -> bool {
        let ItemRef::Exercise(exercise) = ctx.item(self.key).variant(self.variant) else {
            return false;
        };
        let text = self.text();
        !text.trim().is_empty()
            && text.trim() != exercise.starter.as_deref().unwrap_or_default().trim()
    }

    /// What closing the screen saves: an edited, unpassed answer as the exercise's draft (said
    /// in a message), else no draft (a pass or the starter needs none).
    pub fn leave(&self, ctx: &mut Ctx) -> Vec<Effect> {
        let keep = !self.passed() && self.edited(ctx);
        if keep {
            let kept = ctx.t(
                "Your answer is kept as a draft: it comes back when you open this exercise again.",
                "답안을 초안으로 남겨 두었습니다. 이 실습을 다시 열면 이어서 쓸 수 있습니다.",
            );
            // After what the leaving said (the rating it saved), not in its place.
            let message = match ctx.toast.take() {
                Some((before, _)) => format!("{before} · {kept}"),
                None => kept.to_string(),
            };
            ctx.toast(message);
        }
        vec![Effect::SaveDraft {
            key: self.key,
            text: keep.then(|| self.draft(ctx)),
        }]
    }

    /// The draft to keep: the answer, headed by the variant it answers when the exercise is
    /// parameterized (a draft for another variant's names and numbers is not brought back).
    fn draft(&self, ctx: &Ctx) -> String {
        match ctx.item(self.key).variant_label(self.variant) {
            Some(label) => format!("{DRAFT_VARIANT}{label}\n{}", self.text()),
            None => self.text(),
        }
    }

    /// The draft left last time replaces the starter, unless work has begun since it opened.
    fn restore(&mut self, ctx: &mut Ctx, text: &str) {
        let text = match ctx.item(self.key).variant_label(self.variant) {
            None => text,
            Some(label) => match text
                .strip_prefix(DRAFT_VARIANT)
                .and_then(|rest| rest.split_once('\n'))
            {
                Some((written, answer)) if written == label => answer,
                // A draft of another variant does not fit this one's task.
                _ => return,
            },
        };
        if self.passed() || self.attempt.tries > 0 || self.edited(ctx) || text == self.text() {
            return;
        }
        self.replace_text(text, ctx.now);
        self.restored = true;
        let message = ctx
            .t(
                "Your draft is back, as you left it: r starts again from the starter.",
                "지난번 초안을 불러왔습니다. r을 누르면 처음 답안으로 다시 시작합니다.",
            )
            .to_string();
        ctx.toast(message);
    }

    /// The editor holds new text (from `$EDITOR`, a watched file): checked at once.
    pub fn replace_text(&mut self, text: &str, now: Timestamp) {
        self.editor = editor_with(text);
        self.generation += 1;
        self.check_at = Some(now);
    }

    /// The debounced check, when it is due.
    pub fn tick(
        &mut self,
        now: Timestamp,
        folder: Option<&crate::model::KustomizeTask>,
    ) -> Vec<Effect> {
        match self.check_at {
            Some(at) if at <= now => {
                self.check_at = None;
                vec![Effect::Check {
                    generation: self.generation,
                    text: self.text(),
                    folder: folder.cloned().map(Box::new),
                }]
            }
            _ => Vec::new(),
        }
    }

    /// Diagnostics of the text as it was at `generation` (dropped when it changed since).
    pub fn checked(
        &mut self,
        ctx: &Ctx,
        generation: u64,
        diagnostics: Vec<Diagnostic>,
        area: Rect,
    ) {
        if self.generation == generation {
            self.diagnostics = diagnostics;
            self.checked_generation = generation;
            // The checker's pane grows or shrinks with them, and the editor with it.
            self.follow_cursor(ctx, area);
        }
    }

    /// The live diagnostics on show: those of the text on screen, or any before a grading.
    pub fn shown_diagnostics(&self) -> &[Diagnostic] {
        if self.checked_generation == self.generation || self.report.is_none() {
            &self.diagnostics
        } else {
            &[]
        }
    }

    /// Scrolls the editor so the cursor's line is in view, the screen's body being `area`.
    pub fn follow_cursor(&mut self, ctx: &Ctx, area: Rect) {
        let rows = Panes::of(ctx, area, self).editor_rows();
        let ratatui_textarea::DataCursor(row, _) = self.editor.cursor();
        self.top = follow(self.top, row, rows);
    }

    /// A key while the editor has focus: typed text (checked after a pause), a paste, a
    /// scroll; Esc (or Focus) leaves the editor. `area`: the screen's body, where the editor
    /// pane is laid out.
    pub fn type_in(&mut self, ctx: &Ctx, action: Action, area: Rect) {
        let now = ctx.now;
        match action {
            Action::Focus | Action::Back => self.focus = Focus::Task,
            Action::Key(key) => {
                let before = self.editor.lines().to_vec();
                self.editor.input(key);
                if self.editor.lines() != before.as_slice() {
                    self.generation += 1;
                    self.check_at = Some(now + CHECK_DELAY);
                }
            }
            Action::Paste(text) => {
                self.editor
                    .insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
                self.generation += 1;
                self.check_at = Some(now + CHECK_DELAY);
            }
            Action::Scroll(lines) => {
                self.top = (self.top as i64 + i64::from(lines)).max(0) as usize
            }
            _ => {}
        }
        self.follow_cursor(ctx, area);
    }
}

/// Where the exercise screen's parts go in `area`: the task, the editor's text, the checker's
/// status. Drawing and following the cursor both use it, so the editor scrolls with the
/// height it really has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub task: Rect,
    pub editor: Rect,
    pub status: Rect,
}

impl Panes {
    pub fn of(ctx: &Ctx, area: Rect, state: &ExerciseState) -> Panes {
        // Side by side when there is room, else the task above the editor.
        let (task, editor) = if area.width >= 120 {
            let [task, editor] =
                Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)])
                    .areas(area);
            (task, editor)
        } else {
            let task_height = (area.height / 3).max(6);
            let [task, editor] =
                Layout::vertical([Constraint::Length(task_height), Constraint::Min(6)]).areas(area);
            (task, editor)
        };
        // The checker's pane is as tall as its wrapped lines, up to four: the editor keeps
        // the rest (nine rows of text at 80×24).
        let status_height = (draw::checker_lines(ctx, state, editor.width.saturating_sub(2)).len()
            as u16)
            .clamp(1, CHECKER_ROWS);
        let [text, status] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(status_height + 2)])
                .areas(editor);
        Panes {
            task,
            editor: text,
            status,
        }
    }

    /// The editor's lines on screen (inside its border).
    pub fn editor_rows(&self) -> usize {
        usize::from(self.editor.height.saturating_sub(2)).max(1)
    }
}

/// The most lines the checker's pane shows.
const CHECKER_ROWS: u16 = 4;

/// The body of a terminal of `size`: all but the title bar and the footer.
pub fn body(size: (u16, u16)) -> Rect {
    Rect::new(0, 1, size.0, size.1.saturating_sub(2))
}

/// The folder a kustomize exercise's answer joins (none for a manifest exercise).
pub fn folder_of(ctx: &Ctx, key: ItemKey, variant: usize) -> Option<crate::model::KustomizeTask> {
    match ctx.item(key).variant(variant) {
        ItemRef::Exercise(exercise) => exercise.kustomize.clone(),
        _ => None,
    }
}

pub fn update(state: &mut ExerciseState, action: Action, ctx: &mut Ctx) -> Outcome {
    // Results of effects, whatever has focus.
    match action {
        Action::Tick => {
            let folder = folder_of(ctx, state.key, state.variant);
            return stay_with(state.tick(ctx.now, folder.as_ref()));
        }
        Action::Checked {
            generation,
            diagnostics,
        } => {
            state.checked(ctx, generation, diagnostics, body(ctx.size));
            return stay();
        }
        Action::Graded(report) => return graded(state, *report, ctx, body(ctx.size)),
        Action::Watching { shown, kept } => {
            watching(state, shown, kept.as_deref(), ctx);
            return stay();
        }
        Action::EditorClosed(Ok(text)) => {
            state.replace_text(&text, ctx.now);
            return stay();
        }
        Action::Rated { after, .. } => {
            let recorded = recorded(ctx, &after);
            if state.attempt.phase == ExercisePhase::GaveUp {
                // The screen moves on: the next one says what was saved.
                let text = crate::i18n::rated(ctx.lang, recorded.0, Some(&recorded.1));
                ctx.toast(text);
                return ctx.next_item();
            }
            state.recorded = Some(recorded);
            return stay();
        }
        Action::Confirmed(Question::ShowSolution) => {
            state.reveal();
            state.focus = Focus::Task;
            state.scroll_to_answer(ctx, body(ctx.size));
            return stay();
        }
        Action::DraftLoaded { key, text } if key == state.key => {
            state.restore(ctx, &text);
            return stay();
        }
        Action::Confirmed(Question::ResetToStarter) => {
            let starter = match ctx.item(state.key).variant(state.variant) {
                ItemRef::Exercise(exercise) => exercise.starter.clone().unwrap_or_default(),
                _ => String::new(),
            };
            state.replace_text(&starter, ctx.now);
            state.restored = false;
            state.follow_cursor(ctx, body(ctx.size));
            return stay_with(vec![Effect::SaveDraft {
                key: state.key,
                text: None,
            }]);
        }
        Action::Resize(..) => {
            state.follow_cursor(ctx, body(ctx.size));
            return stay();
        }
        _ => {}
    }
    if state.typing() {
        if let Action::Submit = action {
            return submit(state, ctx);
        }
        state.type_in(ctx, action, body(ctx.size));
        return stay();
    }
    match action {
        Action::Focus | Action::Open if !state.passed() => {
            state.focus = Focus::Editor;
            if state.solution == Solution::Shown {
                state.solution = Solution::Hidden;
            }
        }
        Action::Open | Action::Next if state.passed() => return ctx.next_item(),
        Action::Next => return leave(state, ctx),
        Action::ResetToStarter if state.edited(ctx) => {
            ctx.modal = Some(Modal::Confirm {
                question: Question::ResetToStarter,
            });
        }
        Action::Submit => return submit(state, ctx),
        Action::Hint => {
            let hints = match ctx.item(state.key).variant(state.variant) {
                ItemRef::Exercise(exercise) => exercise.hints.len(),
                _ => 0,
            };
            if !state.attempt.hint(hints) {
                let message = ctx
                    .t(
                        "No more hints: `s` shows the solution.",
                        "힌트가 더 없습니다. `s`를 누르면 풀이를 볼 수 있습니다.",
                    )
                    .to_string();
                ctx.toast(message);
            }
        }
        Action::ShowSolution => match state.solution {
            Solution::Shown => state.solution = Solution::Hidden,
            Solution::Unseen if !state.passed() => {
                ctx.modal = Some(Modal::Confirm {
                    question: Question::ShowSolution,
                })
            }
            Solution::Hidden | Solution::Unseen => {
                state.reveal();
                state.scroll_to_answer(ctx, body(ctx.size));
            }
        },
        Action::ExternalEditor => {
            return stay_with(vec![Effect::OpenEditor { text: state.text() }]);
        }
        Action::Watch if state.watching.is_none() => {
            let ItemRef::Exercise(exercise) = ctx.item(state.key).variant(state.variant) else {
                return stay();
            };
            let name = exercise.id.to_string();
            return stay_with(vec![Effect::WatchFile {
                name,
                text: state.text(),
            }]);
        }
        Action::FileSaved(text) if state.watching.is_some() && !state.passed() => {
            state.editor = editor_with(&text);
            state.generation += 1;
            return submit(state, ctx);
        }
        Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Scroll(_) => {
            state.scroll_key(ctx, body(ctx.size), &action);
        }
        Action::Undo => return ctx.undo(),
        Action::Back => return leave(state, ctx),
        _ => {}
    }
    stay()
}

fn submit(state: &mut ExerciseState, ctx: &Ctx) -> Outcome {
    state.focus = Focus::Task;
    stay_with(vec![Effect::Grade {
        key: state.key,
        variant: state.variant,
        answer: state.text(),
        hints: state.attempt.hints as u32,
        duration_ms: ctx.now.duration_since(state.attempt.opened).as_millis() as i64,
    }])
}

fn graded(state: &mut ExerciseState, report: GradeReport, ctx: &mut Ctx, area: Rect) -> Outcome {
    let counted = state.attempt.graded(&report, ctx.now);
    state.focus = Focus::Task;
    let score = report.score;
    state.report = Some(Box::new(report));
    // The verdict in view, wherever the pane was scrolled before.
    if state.solution != Solution::Shown {
        state.scroll_to_answer(ctx, area);
    }
    match counted.rating {
        Some(rating) => stay_with(vec![ctx.rate(state.key, rating, counted.took, Some(score))]),
        None => stay(),
    }
}

/// The rating just saved (the one `ctx.rate` asked for) and how long until the item is due.
pub fn recorded(ctx: &Ctx, after: &crate::srs::ItemState) -> (Rating, String) {
    (
        ctx.last_rating.unwrap_or(Rating::Good),
        crate::tui::ctx::short_interval_in(ctx.lang, ctx.now, after.due),
    )
}

fn watching(state: &mut ExerciseState, shown: String, kept: Option<&str>, ctx: &mut Ctx) {
    if let Some(text) = kept {
        state.replace_text(text, ctx.now);
    }
    let message = match (ctx.lang, kept.is_some()) {
        (Lang::En, false) => {
            format!("Watching {shown}: edit it in another window; every save is graded here.")
        }
        (Lang::En, true) => {
            format!("Watching {shown} (kept as it was): every save is graded here.")
        }
        (Lang::Ko, false) => {
            format!("{shown}을(를) 감시합니다. 다른 창에서 고쳐 저장할 때마다 여기서 채점합니다.")
        }
        (Lang::Ko, true) => {
            format!("{shown}을(를) 그대로 두고 감시합니다. 저장할 때마다 여기서 채점합니다.")
        }
    };
    state.watching = Some(shown);
    ctx.toast(message);
}

/// Leaves the exercise (typed work is kept as a draft on the way out, see
/// [`ExerciseState::leave`]): a tried (or peeked at) but unpassed exercise is rated Again
/// first, and the screen moves on once that is saved; otherwise on to the session's next
/// item, or back.
fn leave(state: &mut ExerciseState, ctx: &mut Ctx) -> Outcome {
    if let Some((rating, took)) = state.attempt.leave(ctx.now) {
        return stay_with(vec![ctx.rate(state.key, rating, took, Some(0.0))]);
    }
    ctx.next_item()
}

/// The screen's key bindings: the keymap's table for it, also what the footer and help show.
pub fn bindings(app: &App, exercise: &ExerciseState) -> Vec<Binding> {
    if exercise.typing() {
        let mut list = vec![
            bind(
                &[Ctrl('s'), Code(KeyCode::F(5))],
                Action::Submit,
                ("grade", "채점"),
            ),
            bind(
                &[Code(KeyCode::Esc)],
                Action::Focus,
                ("stop typing", "편집 끝"),
            ),
        ];
        list.extend(typing_global());
        list
    } else if exercise.passed() {
        let mut list = vec![
            bind(
                &[Code(KeyCode::Enter), C('n')],
                Action::Next,
                ("next", "다음"),
            ),
            bind(&[C('s')], Action::ShowSolution, ("solution", "풀이")),
            bind(&[C('u')], Action::Undo, ("undo", "되돌리기")),
            quiet(
                &[Code(KeyCode::PageUp)],
                Action::PageUp,
                ("task: a page up", "과제: 한 쪽 위로"),
            ),
            quiet(
                &[Code(KeyCode::PageDown)],
                Action::PageDown,
                ("task: a page down", "과제: 한 쪽 아래로"),
            ),
            bind(
                &[C('q'), Code(KeyCode::Esc)],
                Action::Back,
                ("back", "뒤로"),
            ),
        ];
        list.extend(global(app));
        list
    } else {
        let mut list = vec![
            bind(
                &[C('i'), Code(KeyCode::Enter)],
                Action::Focus,
                ("edit", "편집"),
            ),
            bind(
                &[Ctrl('s'), Code(KeyCode::F(5))],
                Action::Submit,
                ("grade", "채점"),
            ),
            bind(&[C('h')], Action::Hint, ("hint", "힌트")),
            bind(&[C('s')], Action::ShowSolution, ("solution", "풀이")),
            bind(
                &[C('e')],
                Action::ExternalEditor,
                ("$EDITOR", "외부 편집기"),
            ),
            quiet(
                &[C('w')],
                Action::Watch,
                (
                    "watch a file: grade every save",
                    "파일 감시: 저장할 때마다 채점",
                ),
            ),
            bind(&[C('n')], Action::Next, ("skip", "건너뛰기")),
            quiet(&[C('u')], Action::Undo, ("undo", "되돌리기")),
            quiet(
                &[C('r')],
                Action::ResetToStarter,
                ("start again", "처음부터"),
            ),
        ];
        list.extend(task_scrolling());
        list.push(bind(
            &[C('q'), Code(KeyCode::Esc)],
            Action::Back,
            ("back", "뒤로"),
        ));
        // When a draft came back, the way to the starter is said in the footer, early.
        if exercise.restored {
            list.insert(
                2,
                bind(
                    &[C('r')],
                    Action::ResetToStarter,
                    ("start again", "처음부터"),
                ),
            );
        }
        list.extend(global(app));
        list
    }
}

impl ExerciseState {
    /// Scrolls the task pane (of a screen whose body is `area`) by `lines`, within its text.
    pub fn scroll_task(&mut self, ctx: &Ctx, area: Rect, lines: i64) {
        let ItemRef::Exercise(exercise) = ctx.item(self.key).variant(self.variant) else {
            return;
        };
        let pane = Panes::of(ctx, area, self).task;
        let (text, _) = draw::task_text(ctx, self, exercise, pane.width);
        let last = text
            .len()
            .saturating_sub(usize::from(pane.height.saturating_sub(2)));
        self.prompt_scroll =
            (self.prompt_scroll.min(last) as i64 + lines).clamp(0, last as i64) as usize;
    }

    /// Scrolls the task pane to what the learner asked for last (the solution, the grade
    /// report), so it is in view.
    pub fn scroll_to_answer(&mut self, ctx: &Ctx, area: Rect) {
        let ItemRef::Exercise(exercise) = ctx.item(self.key).variant(self.variant) else {
            return;
        };
        let pane = Panes::of(ctx, area, self).task;
        let (_, section) = draw::task_text(ctx, self, exercise, pane.width);
        self.prompt_scroll = section;
    }

    /// A scrolling key for the task pane: one line, a page, or the wheel's lines.
    pub fn scroll_key(&mut self, ctx: &Ctx, area: Rect, action: &Action) -> bool {
        let page = i64::from(
            Panes::of(ctx, area, self)
                .task
                .height
                .saturating_sub(3)
                .max(1),
        );
        let lines = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            Action::Scroll(lines) => i64::from(*lines),
            _ => return false,
        };
        self.scroll_task(ctx, area, lines);
        true
    }
}
