//! [feature `tui`] The terminal interface. One state machine: a terminal event becomes an
//! [`Action`] (`keymap`), [`App::update`] hands it to the screen on top, which changes its own
//! state and answers with a transition (stay, go, replace, back) and [`Effect`]s; the app applies
//! the transition, the [`Runner`] carries out the effects (store, grader, `$EDITOR`) and hands
//! each result back as an Action; the screen is drawn from `&App` (`screens`) only when something
//! changed. docs/architecture.md follows one key press through all of it.
//!
//! The loop blocks on one channel (`events`: the terminal, read on a thread of its own, and the
//! file watchers); it wakes on its own only for a timed job that is pending (a settling file
//! change, the editor's debounced check, the exam's clock, a message's timeout), so an idle
//! kubedrill never wakes and costs no CPU. The terminal is
//! restored on exit, on a panic (`ratatui::init`'s hook), and on SIGTERM, SIGHUP and SIGINT.
//!
//! - `action`: the Action and Effect vocabulary; `events`: the one channel the loop blocks on;
//! - `app`: App (the context and the stack of screens), routing, Transition;
//! - `ctx`: what every screen shares (library, clock, progress, dialog, messages);
//! - `session`: a study session's moves between items; `runner`: carries out effects;
//! - `keymap`: keys → Actions per screen; the footer and help are drawn from it;
//! - `screens`: one module per screen (state, update, draw) and the dialogs;
//! - `widgets`: drawing pieces, the editor and the one-line field;
//! - `markdown`: lessons; `yaml`: the editor's colours; `theme`: styles; `preview`: deck preview.

mod action;
mod app;
mod ctx;
mod events;
mod keymap;
mod markdown;
mod preview;
mod runner;
mod screens;
mod session;
mod theme;
mod widgets;
mod yaml;

use std::io;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};

pub use action::{Action, Effect};
pub use app::{App, Screen, Transition};
pub use ctx::{Ctx, ItemKey, Progress, QueueKey};
pub use keymap::action_for;
pub use markdown::{Rendered, render as render_lesson};
pub use preview::{PreviewInfo, Reload, watch_file};
pub use runner::{Runner, Watched, progress};
pub use screens::cards::{CardPhase, CardState};
pub use screens::drill::{DrillPhase, DrillState};
pub use screens::exam::{ExamPhase, ExamState, ExamView, TaskState};
pub use screens::exercise::{ExercisePhase, ExerciseState, Focus, Solution};
pub use screens::home::{HomeRow, HomeState};
pub use screens::lesson::LessonState;
pub use screens::modal::{Modal, Question};
pub use screens::quiz::{QuestionState, QuizPhase};
pub use screens::render;
pub use screens::settings::SettingsState;
pub use screens::stats::StatsState;
pub use screens::summary::SummaryState;
pub use screens::topic::{TopicRow, TopicState};
pub use session::Session;
pub use theme::Theme;

use crate::i18n::Lang;
use crate::model::Library;
use crate::store::Store;
use crate::study;
use crate::watch::Debounce;
use events::{Events, Input};

/// Starts the interface on `library` with the progress in `store`; returns when the learner
/// quits. The terminal is restored whatever happens.
/// The interface on a library and an open store. `moved_aside`: the database opening had to
/// move aside, told in a dialog at start (printed before the interface took the screen, it
/// was seen only after quitting).
///
/// With `read_decks`, `library` holds only the decks' outlines ([`crate::content::outline`]):
/// Home's first frame is drawn from them, then `read_decks` gives the decks and their warnings,
/// and the next frame fills in what is due, mastery and the rest, before the first key is read.
pub fn run(
    library: Library,
    warnings: Vec<String>,
    mut store: Store,
    moved_aside: Option<crate::store::MovedAside>,
    lang: Lang,
    exam: Option<crate::exam::ExamPlan>,
    read_decks: Option<ReadDecks<'_>>,
) -> io::Result<()> {
    let zone = crate::zone::local();
    // Parameterized items need the learner's seed; a store that cannot write it leaves 0,
    // which still picks variants the same way every time.
    let _ = store.variant_seed();
    let settings = store.settings().map_err(io::Error::other)?;
    let scheduler = study::scheduler(&settings, &zone).map_err(io::Error::other)?;
    let mut app = App::new(
        library,
        settings,
        scheduler,
        lang,
        zone,
        Timestamp::now(),
        Theme::from_env(),
    );
    app.deck_warnings = warnings;
    app.progress.pending = read_decks.is_some();
    if let Some(plan) = exam {
        app.open_exam(plan).map_err(io::Error::other)?;
    }
    if let Some(moved) = moved_aside {
        let notice = crate::store::StoreNotice::MovedAside(moved);
        app.modal = Some(Modal::Message(notices_text(lang, &[notice])));
    }
    let mut runner = Runner {
        store,
        clock: Box::new(Timestamp::now),
        deck_dir: None,
        watch_dir: None,
        watched: None,
    };
    with_terminal(|terminal| event_loop(terminal, &mut app, &mut runner, Events::new(), read_decks))
}

/// Reads the decks whose outlines the first frame was drawn from: the library and what could not
/// be loaded, one line per deck (see [`run`]).
pub type ReadDecks<'a> = Box<dyn FnOnce() -> (Library, Vec<String>) + 'a>;

/// Store notices as one message for a dialog.
fn notices_text(lang: Lang, notices: &[crate::store::StoreNotice]) -> String {
    notices
        .iter()
        .map(|notice| {
            let text = crate::i18n::store_notice(lang, notice, crate::i18n::PathStyle::Beside);
            // Written to follow `kubedrill: `; alone, an English sentence takes a capital.
            let mut chars = text.chars();
            match (lang, chars.next()) {
                (Lang::En, Some(first)) => first.to_uppercase().chain(chars).collect(),
                _ => text,
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Runs `body` on the terminal set up for the interface, and puts the terminal back after.
fn with_terminal(body: impl FnOnce(&mut DefaultTerminal) -> io::Result<()>) -> io::Result<()> {
    install_signal_restore();
    // Our own panic hook, not ratatui's: that one leaves mouse reporting and bracketed paste
    // on, and prints with eprintln!, which panics again (an abort) when the terminal is gone.
    let print_panic = std::panic::take_hook();
    let mut terminal = ratatui::init();
    std::panic::set_hook(Box::new(move |info| {
        restore_quietly();
        print_panic(info);
    }));
    let _ = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    let result = body(&mut terminal);
    // Quietly: after a hang-up the body ends with a read error, and ratatui::restore() would
    // report the dead terminal with eprintln!, a panic (exit 101) racing the SIGHUP.
    restore_quietly();
    result
}

/// `kubedrill deck preview DIR`: the interface on that deck alone, with progress kept in memory
/// only, reloading whenever a file of the folder changes.
pub fn preview(dir: &std::path::Path, shown: &str, lang: Lang) -> io::Result<()> {
    let dir = preview::absolute(dir);
    let mut store = Store::in_memory().map_err(io::Error::other)?;
    let _ = store.variant_seed();
    let settings = store.settings().map_err(io::Error::other)?;
    let zone = crate::zone::local();
    let scheduler = study::scheduler(&settings, &zone).map_err(io::Error::other)?;
    let loaded = preview::load(&dir);
    let watcher = preview::watch(&dir);
    let mut app = App::new(
        loaded.library,
        settings,
        scheduler,
        lang,
        zone,
        Timestamp::now(),
        Theme::from_env(),
    );
    app.preview = Some(preview::PreviewInfo {
        dir: shown.to_string(),
        problems: loaded.problems,
        errors: loaded.errors,
        warnings: loaded.warnings,
        watching: watcher.is_some(),
        reloads: 0,
    });
    let mut runner = Runner {
        store,
        clock: Box::new(Timestamp::now),
        deck_dir: Some(dir),
        watch_dir: None,
        watched: None,
    };
    let events = Events::new();
    // The watcher is kept until the preview ends; its changes join the terminal's on the loop's
    // channel.
    let _watcher = watcher.map(|(watcher, changes)| {
        events.forward(changes, || Input::DeckChanged);
        watcher
    });
    with_terminal(|terminal| event_loop(terminal, &mut app, &mut runner, events, None))
}

/// The loop: draw when something changed, then block on the one channel ([`events`]) for
/// the next key, resize or file change, or only until the first timed job is due
/// ([`events::wait`]): a settling file change (one [`Debounce`] each, the one debouncer of
/// `kubedrill watch`), the exam's clock, a message's end.
fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    runner: &mut Runner,
    mut events: Events,
    mut read_decks: Option<ReadDecks<'_>>,
) -> io::Result<()> {
    let size = terminal.size().map_err(io::Error::other)?;
    app.size = (size.width, size.height);
    runner.dispatch(app, Action::Tick);
    if read_decks.is_none()
        && let Some(refreshed) = runner.run(app, Effect::Refresh)
    {
        runner.dispatch(app, refreshed);
    }
    events.read_terminal();
    let mut deck = Debounce::default();
    let mut dirty = true;
    let mut indexed = false;
    loop {
        if dirty {
            terminal
                .draw(|frame| screens::render(app, frame))
                .map_err(terminal_error)?;
            dirty = false;
            // The first frame was Home from the decks' outlines: the decks are read now, and
            // the next frame fills in the counts, before any key is taken (keys wait in order).
            if let Some(read) = read_decks.take() {
                let (library, warnings) = read();
                app.decks_read(library, warnings);
                if let Some(refreshed) = runner.run(app, Effect::Refresh) {
                    runner.dispatch(app, refreshed);
                }
                dirty = true;
                continue;
            }
            // The search index is built once the first frame is out, before the first key is
            // read (a learner's first key comes far later), so the first `/` is instant. A
            // reload or a change of language forgets it; it is then built on the next `/`.
            if !indexed {
                let _ = app.index();
                indexed = true;
            }
            // Lets the end-to-end tests prove the terminal is restored after a panic; debug
            // builds only, so a release binary has no way to be made to panic on purpose.
            #[cfg(debug_assertions)]
            if std::env::var_os("KUBEDRILL_TEST_PANIC").is_some() {
                panic!("KUBEDRILL_TEST_PANIC is set");
            }
        }
        if app.quit {
            return Ok(());
        }
        // A newly watched answer file (`w`) joins the channel.
        if let Some((path, changes)) = runner.take_watch_changes() {
            events.forward(changes, move || Input::AnswerChanged(path.clone()));
        }
        let settled = Instant::now();
        let action = if deck.take_due(settled) {
            Some(Action::Reload)
        } else {
            runner.watched_due(app.lang, settled)
        };
        let action = match action {
            Some(action) => Some(action),
            None => {
                let now = Timestamp::now();
                let deadline = app.next_deadline();
                let wait = events::wait(
                    now,
                    deadline,
                    [deck.wait(settled), runner.watch_wait(settled)],
                );
                match events.next(wait) {
                    Some(Input::Terminal(event)) => keymap::action_for(app, &event),
                    Some(Input::Failed(error)) => return Err(terminal_error(error)),
                    Some(Input::DeckChanged) => {
                        deck.changed(Instant::now());
                        None
                    }
                    Some(Input::AnswerChanged(path)) => {
                        runner.answer_changed(&path, Instant::now());
                        None
                    }
                    // The wait ran out: a timed job of the app's own may be due (a settled
                    // file change is taken above).
                    None => deadline
                        .is_some_and(|deadline| deadline <= Timestamp::now())
                        .then_some(Action::Tick),
                }
            }
        };
        let Some(action) = action else {
            continue;
        };
        dirty = true;
        let effect = runner.dispatch(app, action);
        runner.stop_watching_off_screen(app);
        match effect {
            Some(Effect::OpenEditor { text }) => {
                // The editor reads the terminal: our reading thread steps aside meanwhile.
                events.pause();
                let result = edit_outside(terminal, &text);
                events.resume();
                runner.dispatch(app, Action::EditorClosed(result));
            }
            Some(Effect::Quit) => return Ok(()),
            _ => {}
        }
    }
}

/// The editor to run, from `$VISUAL`, else `$EDITOR`, else vi, split as a shell would split it
/// (`code --wait`): the program and its arguments, or why it cannot be run.
fn editor_command(
    visual: Option<String>,
    editor: Option<String>,
) -> Result<(String, Vec<String>), String> {
    let set = |value: Option<String>| value.filter(|value| !value.trim().is_empty());
    let (variable, value) = match (set(visual), set(editor)) {
        (Some(visual), _) => ("$VISUAL", visual),
        (None, Some(editor)) => ("$EDITOR", editor),
        (None, None) => return Ok(("vi".to_string(), Vec::new())),
    };
    let words = shlex::split(&value).ok_or_else(|| {
        format!("{variable} has an unclosed quote: {value}; set it to a command such as `vim` or `code --wait`")
    })?;
    match words.split_first() {
        Some((program, arguments)) => Ok((program.clone(), arguments.to_vec())),
        // `#vim` is all comment to a shell: no command at all.
        None => Err(format!(
            "{variable} names no command ({value}); set it to a command such as `vim` or `code --wait`"
        )),
    }
}

/// Suspends the interface, edits `text` in `$VISUAL` or `$EDITOR` (vi when neither is set),
/// and comes back with the edited text.
fn edit_outside(terminal: &mut DefaultTerminal, text: &str) -> Result<String, String> {
    let (program, arguments) =
        editor_command(std::env::var("VISUAL").ok(), std::env::var("EDITOR").ok())
            .map_err(|why| crate::text::escape_controls(&why).into_owned())?;
    let file = tempfile::Builder::new()
        .prefix("kubedrill-")
        .suffix(".yaml")
        .tempfile()
        .map_err(|error| error.to_string())?;
    std::fs::write(file.path(), text).map_err(|error| error.to_string())?;
    restore_quietly();
    let status = std::process::Command::new(&program)
        .args(&arguments)
        .arg(file.path())
        .status();
    // Back to the interface (ratatui::init without installing its panic hook a second time).
    let _ = enable_raw_mode();
    let _ = execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    );
    let _ = terminal.clear();
    match status {
        Ok(status) if status.success() => {
            std::fs::read_to_string(file.path()).map_err(|error| error.to_string())
        }
        Ok(status) => Err(format!(
            "{program} exited with {status}; the answer is unchanged"
        )),
        Err(error) => Err(format!("cannot run {program}: {error} (set $EDITOR)")),
    }
}

/// On SIGTERM, SIGHUP or SIGINT the terminal is put back before the process ends. Every rating
/// shown as saved is already committed, so nothing is lost.
/// Puts the terminal back (main screen, cursor, no raw mode, mouse reporting or bracketed paste)
/// from a signal or a panic. Not `ratatui::restore()`: on a hung-up terminal its error message
/// (eprintln!) panics. Every step ignores its error; the terminal may be gone.
fn restore_quietly() {
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        ratatui::crossterm::terminal::LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = ratatui::crossterm::terminal::disable_raw_mode();
}

/// An error reading or writing the terminal is most often a hang-up whose SIGHUP is on its way:
/// a moment for the signal thread to end the process as a hang-up, before the error is reported.
pub(crate) fn terminal_error(error: io::Error) -> io::Error {
    std::thread::sleep(Duration::from_millis(200));
    error
}

pub(crate) fn install_signal_restore() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            restore_quietly();
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::editor_command;

    fn some(text: &str) -> Option<String> {
        Some(text.to_string())
    }

    #[test]
    fn the_editor_is_split_as_a_shell_would_and_a_bad_one_is_an_error_not_a_panic() {
        assert_eq!(editor_command(None, None), Ok(("vi".to_string(), vec![])));
        assert_eq!(
            editor_command(some(" "), some("code --wait")),
            Ok(("code".to_string(), vec!["--wait".to_string()]))
        );
        assert_eq!(
            editor_command(some("hx"), some("vim")),
            Ok(("hx".to_string(), vec![]))
        );
        // `#vim` is a shell comment: no command (this panicked on an empty word list).
        let why = editor_command(None, some("#vim")).unwrap_err();
        assert!(why.starts_with("$EDITOR names no command (#vim)"), "{why}");
        let why = editor_command(some("'vim"), None).unwrap_err();
        assert!(why.starts_with("$VISUAL has an unclosed quote"), "{why}");
    }
}
