//! A troubleshooting scenario: the task above, a terminal below where the learner types kubectl
//! (and the scenario shell's other commands) against the offline cluster, with scrollback,
//! history (↑/↓) and Tab completion of resource names. Ctrl-S grades the cluster as it is (on a
//! copy that is let settle, so the session goes on unchanged); a pass is rated as an exercise is.
//! `vi FILE` and `kubectl edit` open `$EDITOR` and run again with what was saved.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::modal::{Modal, Question};
use crate::cluster::kubectl::Output;
use crate::cluster::shell::Shell;
use crate::cluster::sim::Cluster;
use crate::grade::GradeReport;
use crate::model::world::Scenario;
use crate::model::{ItemId, ItemRef};
use crate::srs::{Attempt, Rating, Work, expected_seconds};
use crate::tui::action::{Action, Effect};
use crate::tui::app::App;
use crate::tui::ctx::{Ctx, ItemKey, Outcome, stay, stay_with};
use crate::tui::keymap::Key::{Code, Ctrl};
use crate::tui::keymap::{Binding, bind, quiet, typing_global};
use crate::tui::widgets::line::{byte_index, edit_line};
use crate::tui::widgets::{clean, markdown_lines, panel};

/// The most scrollback lines kept.
const SCROLLBACK: usize = 2000;

/// What a scrollback line is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Command,
    Out,
    Error,
    Note,
    Good,
    Bad,
}

#[derive(Debug, Clone)]
pub struct ScenarioState {
    pub key: ItemKey,
    pub variant: usize,
    pub shell: Box<Shell>,
    /// The cluster as the scenario started (for `unchanged` checks and reset).
    pub initial: Box<Cluster>,
    pub input: String,
    pub cursor: usize,
    pub history: Vec<String>,
    pub history_at: Option<usize>,
    pub lines: Vec<(Kind, String)>,
    /// Lines scrolled up from the bottom.
    pub scroll: usize,
    /// A heredoc being typed: its first line and the lines so far, and its terminator.
    pub heredoc: Option<(String, Vec<String>, String)>,
    /// The command waiting for `$EDITOR`, with its heredoc text.
    pub pending_edit: Option<(String, Option<String>)>,
    pub hints: usize,
    pub solution_seen: bool,
    pub report: Option<GradeReport>,
    pub tries: u32,
    pub opened: Timestamp,
    pub passed: bool,
    pub leaving: bool,
    pub recorded: Option<(Rating, String)>,
    /// What was done, as a script that does it again from the start (an edit in `$EDITOR` is
    /// written as the file it saved): a mock exam grades a scenario by replaying it.
    pub script: Vec<String>,
    /// A task of a mock exam: graded at hand-in, no hints, no solution.
    pub in_exam: bool,
}

impl ScenarioState {
    pub fn new(key: ItemKey, scenario: &Scenario, now: Timestamp) -> ScenarioState {
        let cluster = Cluster::start(&scenario.world).unwrap_or_else(|_| {
            Cluster::start(&crate::model::world::World::default()).expect("an empty cluster starts")
        });
        ScenarioState {
            key,
            variant: 0,
            initial: Box::new(cluster.clone()),
            shell: Box::new(Shell::new(cluster)),
            input: String::new(),
            cursor: 0,
            history: Vec::new(),
            history_at: None,
            lines: Vec::new(),
            scroll: 0,
            heredoc: None,
            pending_edit: None,
            hints: 0,
            solution_seen: false,
            report: None,
            tries: 0,
            opened: now,
            passed: false,
            leaving: false,
            recorded: None,
            script: Vec::new(),
            in_exam: false,
        }
    }

    pub fn with_variant(mut self, variant: usize) -> ScenarioState {
        self.variant = variant;
        self
    }

    /// The commands done so far, one per line (heredocs spanning lines).
    pub fn script_text(&self) -> String {
        self.script.iter().map(|line| format!("{line}\n")).collect()
    }

    /// Records what an edit in `$EDITOR` did as commands that do the same.
    fn record_edit(&mut self, line: &str, saved: &str) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let body: String = saved
            .lines()
            .filter(|text| !text.starts_with("  resourceVersion: "))
            .map(|text| format!("{text}\n"))
            .collect();
        match words.first() {
            Some(&("vi" | "vim" | "nano" | "view")) => {
                if let Some(file) = words.iter().skip(1).find(|word| !word.starts_with('-')) {
                    self.script
                        .push(format!("cat > {file} <<KUBEDRILL_EOF\n{body}KUBEDRILL_EOF"));
                }
            }
            _ => {
                self.script.push(format!(
                    "cat > /tmp/kubedrill-edit.yaml <<KUBEDRILL_EOF\n{body}KUBEDRILL_EOF"
                ));
                self.script
                    .push("kubectl replace -f /tmp/kubedrill-edit.yaml".into());
            }
        }
    }

    /// The prompt, as the exam machine's shell shows it.
    pub fn prompt(&self) -> String {
        if self.heredoc.is_some() {
            return "> ".into();
        }
        format!("root@{}:~$ ", self.shell.current_node())
    }

    /// Whether leaving would lose work (commands typed into the cluster, ungraded).
    pub fn unsaved_work(&self) -> bool {
        !self.passed && !self.history.is_empty()
    }

    fn push(&mut self, kind: Kind, text: &str) {
        for line in text.split('\n') {
            self.lines.push((kind, line.to_string()));
        }
        if self.lines.len() > SCROLLBACK {
            let extra = self.lines.len() - SCROLLBACK;
            self.lines.drain(..extra);
        }
        self.scroll = 0;
    }

    fn output(&mut self, output: &Output) {
        let out = output
            .stdout
            .strip_suffix('\n')
            .unwrap_or(&output.stdout)
            .to_string();
        let err = output
            .stderr
            .strip_suffix('\n')
            .unwrap_or(&output.stderr)
            .to_string();
        if !out.is_empty() {
            self.push(Kind::Out, &out);
        }
        if !err.is_empty() {
            self.push(Kind::Error, &err);
        }
        if self.shell.cleared {
            self.shell.cleared = false;
            self.lines.clear();
        }
    }

    fn set_input(&mut self, text: String) {
        self.cursor = text.chars().count();
        self.input = text;
    }

    /// Completes the word before the cursor: object names of the kind the command names,
    /// then every object name, file and command.
    fn complete(&mut self) {
        let before: String = self.input.chars().take(self.cursor).collect();
        let start = before.rfind(' ').map_or(0, |space| space + 1);
        let word = &before[start..];
        let (kind_prefix, partial) = match word.split_once('/') {
            Some((kind, rest)) => (Some(kind.to_string()), rest.to_string()),
            None => (None, word.to_string()),
        };
        let words: Vec<&str> = before[..start].split_whitespace().collect();
        let cluster = &self.shell.cluster;
        let kind_word = kind_prefix.clone().or_else(|| {
            words
                .iter()
                .skip(1)
                .find(|word| {
                    !word.starts_with('-')
                        && crate::manifest::schema::kind_by_name(word, None).is_some()
                })
                .map(|word| (*word).to_string())
        });
        let mut candidates: Vec<String> = match kind_word.as_deref().and_then(|kind| {
            crate::manifest::schema::kind_by_name(kind.split(',').next().unwrap_or(kind), None)
        }) {
            Some(info) => cluster
                .list(info.kind, Some(&cluster.namespace))
                .iter()
                .filter_map(|object| {
                    object
                        .pointer("/metadata/name")
                        .and_then(serde_json::Value::as_str)
                })
                .map(str::to_string)
                .collect(),
            None if words.is_empty() => crate::cluster::shell::PROGRAMS
                .iter()
                .map(|program| (*program).to_string())
                .collect(),
            None if words.len() == 1 && matches!(words[0], "kubectl" | "k") => [
                "get", "describe", "logs", "events", "exec", "apply", "create", "replace",
                "delete", "edit", "patch", "run", "expose", "scale", "set", "rollout", "label",
                "annotate", "taint", "cordon", "uncordon", "drain", "top", "auth", "config",
                "explain",
            ]
            .iter()
            .map(|command| (*command).to_string())
            .collect(),
            None => cluster
                .files
                .keys()
                .map(|path| {
                    path.strip_prefix("/root/")
                        .map_or_else(|| path.clone(), str::to_string)
                })
                .collect(),
        };
        candidates.retain(|candidate| candidate.starts_with(&partial));
        candidates.sort();
        candidates.dedup();
        let Some(first) = candidates.first() else {
            return;
        };
        // The longest common prefix of the candidates.
        let mut common = first.clone();
        for candidate in &candidates[1..] {
            while !candidate.starts_with(&common) {
                common.pop();
            }
        }
        let completed = match &kind_prefix {
            Some(kind) => format!("{kind}/{common}"),
            None => common,
        };
        let suffix = if candidates.len() == 1 { " " } else { "" };
        let after: String = self.input.chars().skip(self.cursor).collect();
        let text = format!("{}{completed}{suffix}", &before[..start]);
        self.cursor = text.chars().count();
        self.input = format!("{text}{after}");
        if candidates.len() > 1 {
            let shown = candidates
                .iter()
                .take(20)
                .cloned()
                .collect::<Vec<_>>()
                .join("  ");
            let prompt = self.prompt();
            self.push(Kind::Command, &format!("{prompt}{}", self.input));
            self.push(Kind::Note, &shown);
        }
    }
}

fn scenario_of<'a>(ctx: &'a Ctx, state: &ScenarioState) -> Option<&'a Scenario> {
    match ctx.item(state.key).variant(state.variant) {
        ItemRef::Scenario(scenario) => Some(scenario),
        _ => None,
    }
}

fn item_id(ctx: &Ctx, key: ItemKey) -> ItemId {
    let entry = ctx.entry(key);
    ItemId {
        topic: entry.topic.id.clone(),
        item: crate::model::Id::parse(entry.item_id()).expect("an item's id is valid"),
    }
}

pub fn update(state: &mut ScenarioState, action: Action, ctx: &mut Ctx) -> Outcome {
    match action {
        Action::Rated { after, .. } => {
            let recorded = super::exercise::recorded(ctx, &after);
            if state.leaving {
                let text = crate::i18n::rated(ctx.lang, recorded.0, Some(&recorded.1));
                ctx.toast(text);
                return ctx.next_item();
            }
            state.recorded = Some(recorded);
            return stay();
        }
        Action::EditorClosed(result) => {
            if let Some((line, heredoc)) = state.pending_edit.take() {
                match result {
                    Ok(text) => {
                        state.record_edit(&line, &text);
                        let mut saved = Some(text);
                        let output = state
                            .shell
                            .run_line(&line, heredoc.as_deref(), &mut |_| saved.take());
                        state.output(&output);
                    }
                    Err(why) => state.push(Kind::Error, &why),
                }
            }
            return stay();
        }
        Action::Confirmed(Question::LeaveUnsaved) => return leave(state, ctx, true),
        Action::Confirmed(Question::ShowCommands) => {
            state.solution_seen = true;
            if let Some(scenario) = scenario_of(ctx, state) {
                let solution = scenario.solution.clone();
                state.push(Kind::Note, ctx.t("A solution:", "풀이 예:"));
                state.push(Kind::Good, solution.trim_end());
            }
            return stay();
        }
        Action::Confirmed(Question::ResetToStarter) => {
            let cluster = (*state.initial).clone();
            *state.shell = Shell::new(cluster);
            state.heredoc = None;
            let text = ctx.t(
                "The cluster is back as the scenario started.",
                "클러스터를 시나리오 처음 상태로 되돌렸습니다.",
            );
            state.push(Kind::Note, text);
            return stay();
        }
        _ => {}
    }
    if state.in_exam {
        // The exam moves between tasks and grades at hand-in; the terminal is all this has.
        return match action {
            Action::Open => run(state, ctx),
            Action::Up | Action::Down | Action::NextLink | Action::Key(_) | Action::Paste(_) => {
                exam_typing(state, action, ctx)
            }
            Action::PageUp => scroll(state, 10),
            Action::PageDown => scroll(state, -10),
            Action::Scroll(lines) => scroll(state, -lines),
            _ => stay(),
        };
    }
    if state.passed {
        return match action {
            Action::Open | Action::Next => ctx.next_item(),
            Action::Undo => ctx.undo(),
            Action::Back => ctx.ask_end_or_back(),
            Action::PageUp => scroll(state, 10),
            Action::PageDown => scroll(state, -10),
            Action::Scroll(lines) => scroll(state, -lines),
            _ => stay(),
        };
    }
    match action {
        Action::Open => return run(state, ctx),
        Action::Submit => return grade(state, ctx),
        Action::Up if !state.history.is_empty() => {
            let at = state
                .history_at
                .map_or(0, |at| (at + 1).min(state.history.len() - 1));
            state.history_at = Some(at);
            let text = state.history[state.history.len() - 1 - at].clone();
            state.set_input(text);
        }
        Action::Down => match state.history_at {
            Some(0) | None => {
                state.history_at = None;
                state.set_input(String::new());
            }
            Some(at) => {
                state.history_at = Some(at - 1);
                let text = state.history[state.history.len() - at].clone();
                state.set_input(text);
            }
        },
        Action::NextLink => state.complete(),
        Action::Key(key) => {
            edit_line(&mut state.input, Some(&mut state.cursor), key);
            state.history_at = None;
        }
        Action::Paste(text) => {
            // A pasted script runs line by line, as a terminal would.
            let mut lines: Vec<&str> = text.split('\n').collect();
            let last = lines.pop().unwrap_or_default().replace('\r', "");
            for line in lines {
                let at = byte_index(&state.input, state.cursor);
                state.input.insert_str(at, line.trim_end_matches('\r'));
                let outcome = run(state, ctx);
                if !matches!(outcome.0, crate::tui::app::Transition::Stay) || !outcome.1.is_empty()
                {
                    return outcome;
                }
            }
            let at = byte_index(&state.input, state.cursor);
            state.input.insert_str(at, &last);
            state.cursor += last.chars().count();
        }
        Action::PageUp => return scroll(state, 10),
        Action::PageDown => return scroll(state, -10),
        Action::Scroll(lines) => return scroll(state, -lines),
        Action::Hint => {
            let hint = scenario_of(ctx, state).and_then(|scenario| {
                scenario
                    .hints
                    .get(state.hints)
                    .map(|hint| hint.get(ctx.tag()).to_string())
            });
            match hint {
                Some(hint) => {
                    state.hints += 1;
                    let label = format!("{} {}:", ctx.t("Hint", "힌트"), state.hints);
                    state.push(Kind::Note, &label);
                    state.push(Kind::Note, &hint);
                }
                None => {
                    let text = ctx.t(
                        "No more hints: Ctrl-R shows a solution.",
                        "힌트가 더 없습니다. Ctrl-R로 풀이를 볼 수 있습니다.",
                    );
                    state.push(Kind::Note, text);
                }
            }
        }
        Action::ShowSolution if !state.solution_seen => {
            ctx.modal = Some(Modal::Confirm {
                question: Question::ShowCommands,
            });
        }
        Action::ResetToStarter => {
            ctx.modal = Some(Modal::Confirm {
                question: Question::ResetToStarter,
            });
        }
        Action::Next => return leave(state, ctx, true),
        Action::Back => return leave(state, ctx, false),
        _ => {}
    }
    stay()
}

/// Typing keys in an exam task: the same line editing, history and completion.
fn exam_typing(state: &mut ScenarioState, action: Action, ctx: &mut Ctx) -> Outcome {
    let in_exam = std::mem::replace(&mut state.in_exam, false);
    let outcome = update(state, action, ctx);
    state.in_exam = in_exam;
    outcome
}

fn scroll(state: &mut ScenarioState, by: i32) -> Outcome {
    let most = state.lines.len();
    state.scroll = (state.scroll as i64 + i64::from(by)).clamp(0, most as i64) as usize;
    stay()
}

/// Enter: one more line of a heredoc, or a command run now.
fn run(state: &mut ScenarioState, _ctx: &mut Ctx) -> Outcome {
    let line = std::mem::take(&mut state.input);
    state.cursor = 0;
    state.history_at = None;
    let prompt = state.prompt();
    state.push(Kind::Command, &format!("{prompt}{line}"));
    if let Some((first, mut body, terminator)) = state.heredoc.take() {
        if line.trim() == terminator {
            let text: String = body.iter().map(|line| format!("{line}\n")).collect();
            return execute(state, &first, Some(text));
        }
        body.push(line);
        state.heredoc = Some((first, body, terminator));
        return stay();
    }
    if line.trim().is_empty() {
        return stay();
    }
    if state.history.last() != Some(&line) {
        state.history.push(line.clone());
    }
    if let Some(terminator) = Shell::heredoc_terminator(&line) {
        state.heredoc = Some((line, Vec::new(), terminator));
        return stay();
    }
    execute(state, &line, None)
}

fn execute(state: &mut ScenarioState, line: &str, heredoc: Option<String>) -> Outcome {
    let mut asked: Option<String> = None;
    let output = state.shell.run_line(line, heredoc.as_deref(), &mut |text| {
        asked = Some(text.to_string());
        None
    });
    if let Some(text) = asked {
        // Edited in `$EDITOR`, then run again with what was saved.
        state.pending_edit = Some((line.to_string(), heredoc));
        return stay_with(vec![Effect::OpenEditor { text }]);
    }
    match (&heredoc, Shell::heredoc_terminator(line)) {
        (Some(body), Some(terminator)) => state.script.push(format!("{line}\n{body}{terminator}")),
        _ => state.script.push(line.to_string()),
    }
    state.output(&output);
    stay()
}

/// Ctrl-S: grades a settled copy of the cluster; a pass is rated.
fn grade(state: &mut ScenarioState, ctx: &mut Ctx) -> Outcome {
    let Some(scenario) = scenario_of(ctx, state).cloned() else {
        return stay();
    };
    state.tries += 1;
    let mut copy = (*state.shell).clone();
    let id = item_id(ctx, state.key);
    let report =
        crate::grade::scenario::grade(&id, &scenario, &state.initial, &mut copy, ctx.tag());
    let text = ctx.t(
        "Grading the cluster as it is now (after letting it settle):",
        "지금 클러스터를 (안정될 때까지 기다린 뒤) 채점합니다:",
    );
    state.push(Kind::Note, text);
    for check in &report.checks {
        let mark = if check.passed { "✓" } else { "✗" };
        let kind = if check.passed { Kind::Good } else { Kind::Bad };
        state.push(
            kind,
            &format!("{mark} ({}) {}", check.weight, check.message),
        );
        if !check.passed
            && let Some(detail) = &check.detail
        {
            state.push(
                Kind::Out,
                &format!("    {}", crate::i18n::localize(detail, ctx.lang)),
            );
        }
    }
    let passed = report.passed;
    state.report = Some(report);
    if !passed {
        let text = ctx.t(
            "Not solved yet: keep investigating, then Ctrl-S again.",
            "아직 풀리지 않았습니다. 더 조사한 뒤 다시 Ctrl-S를 누르세요.",
        );
        state.push(Kind::Bad, text);
        return stay();
    }
    state.passed = true;
    let text = ctx.t("✓ Solved. Enter: next.", "✓ 해결했습니다. Enter: 다음.");
    state.push(Kind::Good, text);
    let took = ctx.now.duration_since(state.opened);
    let attempt = Attempt {
        passed: true,
        hints_used: state.hints as u32,
        solution_seen: state.solution_seen,
        tries: state.tries,
        seconds: took.as_secs_f64(),
        expected_seconds: expected_seconds(Work::Exercise(
            scenario.difficulty.saturating_add(1).min(3),
        )),
    };
    stay_with(vec![ctx.rate(state.key, attempt.rating(), took, Some(1.0))])
}

/// Leaves: asks first when commands were typed and not graded (unless `confirmed`); a tried
/// but unsolved scenario is rated Again first.
fn leave(state: &mut ScenarioState, ctx: &mut Ctx, confirmed: bool) -> Outcome {
    if !confirmed && state.unsaved_work() && state.tries == 0 {
        ctx.modal = Some(Modal::Confirm {
            question: Question::LeaveUnsaved,
        });
        return stay();
    }
    if !state.passed && (state.tries > 0 || state.solution_seen) {
        state.leaving = true;
        let took = ctx.now.duration_since(state.opened);
        return stay_with(vec![ctx.rate(state.key, Rating::Again, took, Some(0.0))]);
    }
    ctx.next_item()
}

/// The keys of a scenario that is a task of a mock exam.
pub fn exam_bindings() -> Vec<Binding> {
    let mut list = vec![
        bind(&[Code(KeyCode::Enter)], Action::Open, ("run", "실행")),
        bind(&[Ctrl('n')], Action::ExamNext, ("next task", "다음 과제")),
        bind(
            &[Ctrl('p')],
            Action::ExamPrevious,
            ("previous task", "이전 과제"),
        ),
        bind(&[Ctrl('f')], Action::Flag, ("flag", "표시")),
        bind(&[Ctrl('o')], Action::Overview, ("all tasks", "전체 과제")),
        quiet(
            &[Code(KeyCode::Tab)],
            Action::NextLink,
            ("complete", "자동 완성"),
        ),
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
        quiet(
            &[Code(KeyCode::PageUp)],
            Action::PageUp,
            ("scroll up", "위로"),
        ),
        quiet(
            &[Code(KeyCode::PageDown)],
            Action::PageDown,
            ("scroll down", "아래로"),
        ),
    ];
    list.extend(typing_global());
    list
}

pub fn bindings(_app: &App, state: &ScenarioState) -> Vec<Binding> {
    if state.passed {
        let mut list = vec![
            bind(
                &[Code(KeyCode::Enter), Ctrl('n')],
                Action::Next,
                ("next", "다음"),
            ),
            bind(&[Ctrl('u')], Action::Undo, ("undo", "되돌리기")),
            quiet(
                &[Code(KeyCode::PageUp)],
                Action::PageUp,
                ("scroll up", "위로"),
            ),
            quiet(
                &[Code(KeyCode::PageDown)],
                Action::PageDown,
                ("scroll down", "아래로"),
            ),
            bind(&[Code(KeyCode::Esc)], Action::Back, ("back", "뒤로")),
        ];
        list.extend(typing_global());
        return list;
    }
    let mut list = vec![
        bind(&[Code(KeyCode::Enter)], Action::Open, ("run", "실행")),
        bind(
            &[Ctrl('s'), Code(KeyCode::F(5))],
            Action::Submit,
            ("grade", "채점"),
        ),
        bind(&[Ctrl('t')], Action::Hint, ("hint", "힌트")),
        quiet(
            &[Code(KeyCode::Tab)],
            Action::NextLink,
            ("complete", "자동 완성"),
        ),
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
        quiet(
            &[Code(KeyCode::PageUp)],
            Action::PageUp,
            ("scroll up", "위로"),
        ),
        quiet(
            &[Code(KeyCode::PageDown)],
            Action::PageDown,
            ("scroll down", "아래로"),
        ),
        bind(&[Ctrl('r')], Action::ShowSolution, ("solution", "풀이")),
        quiet(
            &[Ctrl('o')],
            Action::ResetToStarter,
            ("start the cluster again", "클러스터 처음부터"),
        ),
        bind(&[Ctrl('n')], Action::Next, ("skip", "건너뛰기")),
        bind(&[Code(KeyCode::Esc)], Action::Back, ("back", "뒤로")),
    ];
    list.extend(typing_global());
    list
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, state: &ScenarioState) {
    let theme = app.theme;
    let ItemRef::Scenario(scenario) = app.item(state.key).variant(state.variant) else {
        return;
    };
    let text_width = area.width.saturating_sub(4);
    let task = markdown_lines(app, scenario.task.get(app.tag()), text_width);
    let task_height = (task.len() as u16 + 2).min(area.height / 3).max(3);
    let [task_area, terminal_area] =
        Layout::vertical([Constraint::Length(task_height), Constraint::Min(3)]).areas(area);
    let stars = "★".repeat(usize::from(scenario.difficulty));
    let title = format!(
        "{} · {} {stars}",
        clean(scenario.title.get(app.tag())),
        app.t("scenario", "시나리오")
    );
    frame.render_widget(
        Paragraph::new(task).block(panel(app, &title, false)),
        task_area,
    );
    let inner_height = terminal_area.height.saturating_sub(2) as usize;
    let inner_width = terminal_area.width.saturating_sub(2) as usize;
    let style = |kind: Kind| -> Style {
        match kind {
            Kind::Command => theme.code(),
            Kind::Out => theme.text(),
            Kind::Error => theme.warn(),
            Kind::Note => theme.dim(),
            Kind::Good => theme.good(),
            Kind::Bad => theme.bad(),
        }
    };
    // Wrap each line to the pane, as a terminal does.
    let mut rows: Vec<Line> = Vec::new();
    for (kind, text) in &state.lines {
        let text = clean(text);
        let mut rest = text.as_str();
        loop {
            let mut width = 0;
            let mut end = rest.len();
            for (index, c) in rest.char_indices() {
                let char_width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if width + char_width > inner_width.max(1) {
                    end = index;
                    break;
                }
                width += char_width;
            }
            rows.push(Line::styled(rest[..end].to_string(), style(*kind)));
            rest = &rest[end..];
            if rest.is_empty() {
                break;
            }
        }
    }
    let prompt = state.prompt();
    let input = clean(&state.input);
    if !state.passed {
        rows.push(Line::from(vec![
            Span::styled(prompt.clone(), theme.key()),
            Span::styled(input, theme.code()),
        ]));
    }
    let end = rows
        .len()
        .saturating_sub(state.scroll.min(rows.len().saturating_sub(1)));
    let start = end.saturating_sub(inner_height);
    let visible: Vec<Line> = rows[start..end].to_vec();
    let title = if state.in_exam {
        app.t("terminal · graded at hand-in", "터미널 · 제출할 때 채점")
    } else {
        app.t("terminal · Ctrl-S grade", "터미널 · Ctrl-S 채점")
    };
    frame.render_widget(
        Paragraph::new(visible.clone()).block(panel(app, title, true)),
        terminal_area,
    );
    if !state.passed && state.scroll == 0 {
        let before: String = state.input.chars().take(state.cursor).collect();
        let x = terminal_area.x + 1 + (prompt.width() + clean(&before).width()) as u16;
        let y = terminal_area.y + 1 + (visible.len().saturating_sub(1)) as u16;
        if x < terminal_area.x + terminal_area.width - 1
            && y < terminal_area.y + terminal_area.height - 1
        {
            frame.set_cursor_position(Position { x, y });
        }
    }
}
