//! The interface's vocabulary. Every key, mouse wheel turn and resize becomes an [`Action`]
//! (see `keymap`); [`super::app::App::update`] is the only place state changes; work outside
//! the state (the database, the grader, `$EDITOR`) is asked for with [`Effect`]s, whose results
//! come back as Actions.

use jiff::Timestamp;
use ratatui::crossterm::event::KeyEvent;

use super::ctx::{ItemKey, Progress};
use crate::grade::GradeReport;
use crate::grade::command::Verdict;
use crate::manifest::Diagnostic;
use crate::srs::{ItemState, Rating};
use crate::store::stats::Stats;
use crate::store::{Setting, Settings};

#[derive(Debug, Clone)]
pub enum Action {
    // Moving around.
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    /// Scroll by lines (the mouse wheel: negative is up).
    Scroll(i32),
    /// Enter: open the selected row, or go on.
    Open,
    /// q / Esc: back one level (never losing typed work without a confirm).
    Back,
    /// Ctrl-C / Q: leave kubedrill (confirming when work would be lost).
    Quit,
    Help,
    Search,
    GoStats,
    GoSettings,
    /// Start today's study (learning steps, due reviews, new items).
    Continue,
    /// The selected topic's cards and questions, due or new.
    StudyTopic,
    /// Raise the new-items limit to what the exam-date plan needs (Home, when behind).
    RaiseNewPerDay,
    // Text input: the key goes to the focused field (editor, command line, search, answer).
    Key(KeyEvent),
    Paste(String),
    // Reviewing.
    Reveal,
    Rate(Rating),
    Undo,
    /// Pick option N of a multiple-choice question (from 0).
    Choose(usize),
    // Exercises and drills.
    Submit,
    Hint,
    ShowSolution,
    ExternalEditor,
    /// Write the answer to a file and grade it on every save (edit it in another window).
    Watch,
    /// The answer file is being watched: its name as shown, and its text when an existing file
    /// was kept.
    Watching {
        shown: String,
        kept: Option<String>,
    },
    /// The watched answer file was saved: its text now.
    FileSaved(String),
    /// Toggle between typing in the editor and the screen's keys.
    Focus,
    /// Throw the exercise's answer away and start again from its starter (asked first).
    ResetToStarter,
    /// The exercise's draft, left unpassed last time, was found.
    DraftLoaded {
        key: ItemKey,
        text: String,
    },
    /// Skip to the next item of the session.
    Next,
    // Lessons.
    ToggleToc,
    NextHeading,
    PreviousHeading,
    /// Tab / Shift-Tab: choose the next or previous link on screen (Enter follows it).
    NextLink,
    PreviousLink,
    // Dialogs.
    Yes,
    No,
    /// Yes to a question the screen asked (handed to the screen by the dialog).
    Confirmed(super::screens::modal::Question),
    // The terminal.
    Resize(u16, u16),
    /// Time passed (a debounce or a message timed out).
    Tick,
    // Results of effects.
    Refreshed(Box<Progress>),
    Rated {
        key: ItemKey,
        after: ItemState,
        review: i64,
    },
    Undone(Option<(ItemKey, Option<ItemState>)>),
    Graded(Box<GradeReport>),
    Judged(Box<Verdict>),
    Checked {
        generation: u64,
        diagnostics: Vec<Diagnostic>,
    },
    EditorClosed(Result<String, String>),
    SettingSaved(Result<Box<Settings>, String>),
    StatsLoaded(Box<Stats>),
    /// Read the previewed deck folder again (`R`, or a file changed).
    Reload,
    // The mock exam.
    ExamNext,
    ExamPrevious,
    /// Flag (or unflag) a task to come back to.
    Flag,
    /// The list of the exam's tasks.
    Overview,
    HandIn,
    ExamGraded(Box<super::screens::exam::Graded>),
    Reloaded(Box<super::preview::Reload>),
    Failed(String),
}

/// Work outside the state, carried out by the runner (`tui::Runner`).
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Recompute today's queue, topic progress and the streak.
    Refresh,
    /// Save a rating.
    Rate {
        key: ItemKey,
        before: Option<ItemState>,
        rating: Rating,
        at: Timestamp,
        duration_ms: i64,
        score: Option<f64>,
    },
    /// Take back the last rating.
    Undo {
        deck: usize,
    },
    /// Grade an exercise answer and save the attempt.
    Grade {
        key: ItemKey,
        /// Which variant of a parameterized exercise is on screen (0 otherwise).
        variant: usize,
        answer: String,
        hints: u32,
        duration_ms: i64,
    },
    /// Judge a drill's command and save the attempt.
    Judge {
        key: ItemKey,
        /// Which variant of a parameterized drill is on screen (0 otherwise).
        variant: usize,
        command: String,
        duration_ms: i64,
    },
    /// Look for an exercise's draft (what it held when it was last left unpassed).
    LoadDraft {
        key: ItemKey,
    },
    /// Keep an exercise's answer as its draft, or (`None`) forget the draft.
    SaveDraft {
        key: ItemKey,
        text: Option<String>,
    },
    /// Check the manifest being typed (debounced); for a folder exercise, the kustomization
    /// with the folder it joins.
    Check {
        generation: u64,
        text: String,
        folder: Option<Box<crate::model::KustomizeTask>>,
    },
    /// Write the answer to `FILE.yaml` (kept when it exists) and start watching it.
    WatchFile {
        name: String,
        text: String,
    },
    /// Suspend the interface and edit `text` in `$VISUAL`/`$EDITOR`.
    OpenEditor {
        text: String,
    },
    SaveSetting(Setting, String),
    LoadStats,
    /// Read the previewed deck folder again.
    Reload,
    /// Grade a finished exam, save it, and rate its tasks.
    FinishExam(Box<super::screens::exam::Finished>),
    /// Remember where the learner was in a lesson.
    SavePosition {
        deck: usize,
        topic: usize,
        line: usize,
    },
    /// A lesson was read to its end: it leaves the queue.
    LessonRead {
        deck: usize,
        topic: usize,
    },
    Quit,
}
