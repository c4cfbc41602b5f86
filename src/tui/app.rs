//! The interface's whole state and the one place it changes. [`App`] is the shared context
//! ([`Ctx`]: library, clock, progress, session, dialog) plus a stack of screens; the screen on
//! top gets the actions. [`App::update`] routes an [`Action`]: results of effects to whom they
//! concern, then to an open dialog, then to the global keys, then to the screen; each answers
//! with a [`Transition`] and the [`Effect`]s it needs, and [`App::apply`] carries out the
//! transition here and nowhere else. Rendering reads `&App` and never changes it.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::action::{Action, Effect};
use super::ctx::{Ctx, Outcome, stay};
use super::screens::exam::ExamState;
use super::screens::modal::{self, Modal, ModalOutcome, Question};
use super::screens::{cards, drill, exercise, home, lesson, quiz, settings, stats, summary, topic};
use super::theme::Theme;
use crate::i18n::Lang;
use crate::model::Library;
use crate::srs::Scheduler;
use crate::store::Settings;

/// A screen and its state. Each variant's module (`screens::*`) owns the state, its `update`
/// and its `draw`.
#[derive(Debug, Clone)]
pub enum Screen {
    Home(home::HomeState),
    Topic(topic::TopicState),
    Lesson(Box<lesson::LessonState>),
    Card(cards::CardState),
    Question(quiz::QuestionState),
    Exercise(Box<exercise::ExerciseState>),
    Drill(drill::DrillState),
    Scenario(Box<super::screens::scenario::ScenarioState>),
    Summary(summary::SummaryState),
    Stats(stats::StatsState),
    Settings(settings::SettingsState),
    Exam(Box<ExamState>),
}

/// Where the interface goes after an action.
#[derive(Debug, Clone)]
#[must_use]
pub enum Transition {
    Stay,
    /// Open a screen over this one (Back returns here).
    Go(Screen),
    /// Put a screen in this one's place (the next item of a session, its summary).
    Replace(Screen),
    /// Close this screen (Home when it was the last).
    Back,
}

impl Screen {
    /// The screen's answer to an action.
    pub fn update(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        match self {
            Screen::Home(state) => home::update(state, action, ctx),
            Screen::Topic(state) => topic::update(state, action, ctx),
            Screen::Lesson(state) => lesson::update(state, action, ctx),
            Screen::Card(state) => cards::update(state, action, ctx),
            Screen::Question(state) => quiz::update(state, action, ctx),
            Screen::Exercise(state) => exercise::update(state, action, ctx),
            Screen::Drill(state) => drill::update(state, action, ctx),
            Screen::Scenario(state) => super::screens::scenario::update(state, action, ctx),
            Screen::Summary(_) => summary::update(action),
            Screen::Stats(state) => stats::update(state, action),
            Screen::Settings(state) => settings::update(state, action, ctx),
            Screen::Exam(state) => super::screens::exam::update(state, action, ctx),
        }
    }

    /// What closing the screen saves (a lesson's position).
    fn leave(&self, ctx: &mut Ctx) -> Vec<Effect> {
        match self {
            Screen::Lesson(state) => lesson::leave(state, ctx),
            Screen::Exercise(state) => state.leave(ctx),
            _ => Vec::new(),
        }
    }

    /// Whether leaving now would lose typed work.
    fn unsaved_work(&self) -> bool {
        match self {
            Screen::Drill(state) => state.unsaved_work(),
            Screen::Scenario(state) => state.unsaved_work(),
            Screen::Exam(state) => state.running(),
            _ => false,
        }
    }

    /// When the screen needs to wake on its own (a debounced check, the exam's clock).
    fn deadline(&self, ctx: &Ctx) -> Option<Timestamp> {
        match self {
            Screen::Exercise(state) => state.check_at,
            Screen::Exam(state) => state.deadline(ctx.now),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct App {
    ctx: Ctx,
    /// The screens, Home at the bottom, the one on screen last; never empty.
    stack: Vec<Screen>,
}

impl std::ops::Deref for App {
    type Target = Ctx;
    fn deref(&self) -> &Ctx {
        &self.ctx
    }
}

impl std::ops::DerefMut for App {
    fn deref_mut(&mut self) -> &mut Ctx {
        &mut self.ctx
    }
}

impl App {
    pub fn new(
        library: Library,
        settings: Settings,
        scheduler: Scheduler,
        lang: Lang,
        zone: TimeZone,
        now: Timestamp,
        theme: Theme,
    ) -> App {
        App {
            ctx: Ctx {
                lang,
                library,
                deck_warnings: Vec::new(),
                settings,
                scheduler,
                zone,
                now,
                theme,
                modal: None,
                session: None,
                progress: super::ctx::Progress::default(),
                index: std::cell::OnceCell::new(),
                toast: None,
                history: Vec::new(),
                size: (100, 30),
                quit: false,
                last_rating: None,
                preview: None,
                collapsed: std::collections::BTreeSet::new(),
            },
            stack: vec![Screen::Home(home::HomeState::default())],
        }
    }

    /// Takes the decks whose outlines Home's first frame was drawn from ([`super::run`]); no key
    /// has been taken yet, so Home is all there is to keep.
    pub fn decks_read(&mut self, library: crate::model::Library, warnings: Vec<String>) {
        self.library = library;
        self.deck_warnings = warnings;
        self.reset_index();
    }

    /// The screen on top.
    pub fn screen(&self) -> &Screen {
        self.stack.last().expect("the stack always holds a screen")
    }

    /// The screens under the one on top, the one Back returns to last.
    pub fn below(&self) -> &[Screen] {
        &self.stack[..self.stack.len() - 1]
    }

    /// The shared context (what `Deref` gives too).
    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    /// Starts again from these screens (a reloaded preview keeps the author's place).
    pub(super) fn reset_stack(&mut self, stack: Vec<Screen>) {
        self.stack = stack;
        if self.stack.is_empty() {
            self.stack.push(Screen::Home(home::HomeState::default()));
        }
    }

    /// The screen's key bindings as if no dialog were open (for the help overlay).
    pub fn bindings_without_modal(app: &App) -> Vec<super::keymap::Binding> {
        if app.modal.is_none() {
            return super::keymap::bindings(app);
        }
        super::keymap::screen_bindings(app)
    }

    /// Opens the exam's intro over the current screen.
    pub fn open_exam(&mut self, plan: crate::exam::ExamPlan) -> Result<(), String> {
        let state = super::screens::exam::open(&mut self.ctx, plan)?;
        let effects = self.apply((Transition::Go(Screen::Exam(state)), Vec::new()));
        debug_assert!(effects.is_empty());
        Ok(())
    }

    /// When something timed is due (the debounced check, a message): the event loop waits for
    /// input no longer than this, and not at all otherwise.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        [
            self.screen().deadline(&self.ctx),
            self.toast.as_ref().map(|(_, until)| *until),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// The one place state changes: routes the action, applies the transition, returns every
    /// effect asked for, in order.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if let Some((_, until)) = &self.toast
            && *until <= self.now
        {
            self.toast = None;
        }
        let outcome = self.route(action);
        self.apply(outcome)
    }

    /// The action to the screen on top.
    fn screen_update(&mut self, action: Action) -> Outcome {
        let App { ctx, stack } = self;
        match stack.last_mut() {
            Some(screen) => screen.update(action, ctx),
            None => stay(),
        }
    }

    fn route(&mut self, action: Action) -> Outcome {
        // Results of effects apply wherever the learner is, dialog or not.
        match action {
            Action::Resize(width, height) => {
                self.size = (width, height);
                return self.screen_update(action);
            }
            Action::Refreshed(progress) => {
                self.progress = *progress;
                return stay();
            }
            Action::Failed(message) => {
                self.toast(message);
                return stay();
            }
            Action::Rated { key, after, review } => {
                self.ctx.rated(key, &after, review);
                return self.screen_update(Action::Rated { key, after, review });
            }
            Action::Undone(restored) => return self.ctx.undone(restored),
            Action::EditorClosed(Err(why)) => {
                self.toast(why);
                return stay();
            }
            Action::SettingSaved(result) => return (Transition::Stay, self.setting_saved(result)),
            Action::Reload => {
                let effects = if self.preview.is_some() {
                    vec![Effect::Reload]
                } else {
                    Vec::new()
                };
                return (Transition::Stay, effects);
            }
            Action::Reloaded(reload) => return (Transition::Stay, self.reloaded(*reload)),
            Action::Tick
            | Action::Graded(_)
            | Action::Judged(_)
            | Action::Checked { .. }
            | Action::Watching { .. }
            | Action::EditorClosed(Ok(_))
            | Action::DraftLoaded { .. }
            | Action::ExamGraded(_)
            | Action::StatsLoaded(_) => return self.screen_update(action),
            _ => {}
        }
        // Dialogs take keys first.
        if self.modal.is_some() {
            return match modal::update(&mut self.ctx, action) {
                ModalOutcome::Done(outcome) => outcome,
                ModalOutcome::Confirmed(Question::Quit) => self.quit(),
                ModalOutcome::Confirmed(Question::EndSession) => self.ctx.end_session(),
                ModalOutcome::Confirmed(question) => {
                    self.screen_update(Action::Confirmed(question))
                }
            };
        }
        // Keys that mean the same on every screen.
        match action {
            Action::Quit => {
                if self.screen().unsaved_work() || self.session.is_some() {
                    self.modal = Some(Modal::Confirm {
                        question: Question::Quit,
                    });
                    return stay();
                }
                self.quit()
            }
            Action::Help => {
                self.modal = Some(Modal::Help);
                stay()
            }
            Action::Search => {
                self.modal = Some(Modal::Search {
                    query: String::new(),
                    selected: 0,
                });
                stay()
            }
            Action::GoStats => stats::open(),
            Action::GoSettings => settings::open(),
            Action::Continue => self.ctx.start_session(None),
            action => self.screen_update(action),
        }
    }

    /// Leaves kubedrill, saving what the screen on top would save on leaving.
    fn quit(&mut self) -> Outcome {
        self.quit = true;
        let App { ctx, stack } = self;
        let mut effects = stack
            .last()
            .map(|screen| screen.leave(ctx))
            .unwrap_or_default();
        effects.push(Effect::Quit);
        (Transition::Stay, effects)
    }

    /// Carries out a transition; the effects of a screen closing come first.
    fn apply(&mut self, (transition, effects): Outcome) -> Vec<Effect> {
        let mut all = Vec::new();
        match transition {
            Transition::Stay => {}
            Transition::Go(screen) => self.stack.push(screen),
            Transition::Replace(screen) => {
                if let Some(left) = self.stack.pop() {
                    all.extend(left.leave(&mut self.ctx));
                }
                self.stack.push(screen);
            }
            Transition::Back => {
                if let Some(left) = self.stack.pop() {
                    all.extend(left.leave(&mut self.ctx));
                }
                if self.stack.is_empty() {
                    self.stack.push(Screen::Home(home::HomeState::default()));
                }
            }
        }
        all.extend(effects);
        all
    }
}
