//! `kubedrill watch TOPIC/EXERCISE [FILE]`: writes the exercise's starter to FILE, then grades
//! the file on every save and shows the report, until the learner quits. The state machine is
//! `crate::watch`; this is its terminal: keys in raw mode, a file watcher on FILE's folder
//! (editors save by writing a new file and renaming it), and the screen redrawn after each
//! change. Where file events do not arrive (network file systems, WSL on Windows drives), `r`
//! grades by hand, and `--manual` turns the watcher off.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Instant;

use clap::Args;
use jiff::Timestamp;
use ratatui::crossterm::cursor::MoveTo;
use ratatui::crossterm::event::{
    self, Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{self, Clear, ClearType};

use super::{CliError, Context, Lang, Outcome};
use crate::model::{Deck, Exercise, ItemId, ItemKind, ItemRef};
use crate::store::{AttemptRecord, Store};
use crate::study::{self, Entry};
use crate::text::escape_controls;
use crate::watch::{Debounce, Effect, Event, Watch, next_exercise};

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The exercise, as TOPIC/ITEM (`configmaps/app-config-envfrom`)
    #[arg(value_name = "TOPIC/EXERCISE")]
    pub id: String,
    /// The answer file [default: EXERCISE.yaml in the current folder]
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Do not watch the file: grade it when r is pressed
    #[arg(long)]
    pub manual: bool,
}

/// What the watch loop waits on: the terminal and the answer file, on one channel, so it
/// blocks while nothing happens (no polling).
enum Input {
    Key(KeyEvent),
    /// The terminal was resized: draw again.
    Resize,
    /// The terminal could not be read (most often a hang-up).
    Failed(io::Error),
    /// The watched file changed.
    Changed,
}

/// Sends the terminal's events on `sender` from a thread of its own, until the receiver is gone.
fn read_terminal(sender: Sender<Input>) {
    std::thread::spawn(move || {
        loop {
            let input = match event::read() {
                Ok(TermEvent::Key(key)) if key.kind == KeyEventKind::Press => Input::Key(key),
                Ok(TermEvent::Resize(..)) => Input::Resize,
                Ok(_) => continue,
                Err(error) => Input::Failed(error),
            };
            let failed = matches!(input, Input::Failed(_));
            if sender.send(input).is_err() || failed {
                return;
            }
        }
    });
}

pub fn run(args: &WatchArgs, context: &Context) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let id = ItemId::parse(&args.id).map_err(CliError::Message)?;
    let loaded = context.load_library();
    let (deck, item, _) = super::grade::lookup(&loaded.library, &id).ok_or_else(|| {
        CliError::Message(super::grade::not_found_in(&loaded.library, &args.id, lang))
    })?;
    let ItemRef::Exercise(exercise) = item else {
        let kind = item.kind().name();
        return Err(CliError::Message(match lang {
            Lang::En => format!(
                "`{}` is a {kind}; watch mode grades YAML exercises (`kubedrill grade` takes drills)",
                args.id
            ),
            Lang::Ko => format!(
                "`{}`: {kind} 항목입니다. watch 모드는 YAML 실습을 채점합니다(명령어 연습은 `kubedrill grade`로)",
                args.id
            ),
        }));
    };
    let file = answer_file(args.file.as_deref(), exercise, lang).map_err(CliError::Message)?;
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(CliError::Message(
            lang.pick(
                "watch mode runs in a terminal; `kubedrill grade ID FILE` grades a file anywhere",
                "watch 모드는 터미널에서 실행합니다. 파일 하나를 채점하려면 `kubedrill grade ID FILE`을 쓰세요",
            )
            .to_string(),
        ));
    }
    let mut store = context.store()?;
    let settings = store.settings()?;
    let scheduler = study::scheduler(&settings, &context.zone)
        .map_err(|error| CliError::Message(error.to_string()))?;

    crate::tui::install_signal_restore();
    terminal::enable_raw_mode().map_err(CliError::Output)?;
    let (sender, inputs) = std::sync::mpsc::channel();
    read_terminal(sender.clone());
    let result = (|| -> io::Result<Outcome> {
        let mut current = (id, exercise);
        let mut file = file;
        loop {
            // A parameterized exercise is watched in the variant the app would show now.
            let variant =
                super::variant::current(&mut store, deck, &current.0, current.1.variant_count());
            let exercise = current.1.variant(variant);
            if !prepare(&file, exercise, lang, &inputs)? {
                return Ok(Outcome::Success);
            }
            let runner = Runner {
                store: &mut store,
                scheduler: &scheduler,
                deck,
            };
            let watched = Watched {
                file: &file,
                manual: args.manual,
                sender: &sender,
                inputs: &inputs,
            };
            match watch_one(runner, &current.0, exercise, &watched, lang)? {
                Leave::Quit => return Ok(Outcome::Success),
                Leave::Next => match next_exercise(deck, &current.0) {
                    Some(next) => {
                        let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
                        file = folder.join(format!("{}.yaml", next.1.id));
                        current = next;
                    }
                    None => return Ok(Outcome::Success),
                },
            }
        }
    })();
    terminal::disable_raw_mode().map_err(CliError::Output)?;
    println!();
    result.map_err(CliError::Output)
}

/// Writes the starter to `file` unless it exists; an existing file is kept unless the learner
/// says to overwrite it. `false` when they chose to quit.
fn prepare(
    file: &Path,
    exercise: &Exercise,
    lang: Lang,
    inputs: &Receiver<Input>,
) -> io::Result<bool> {
    if file.exists() {
        let shown = escape_controls(&file.to_string_lossy()).into_owned();
        draw(&match lang {
            Lang::En => format!(
                "{shown} exists already.\n\nk: keep it and grade it   o: overwrite it with the starter   q: quit\n"
            ),
            Lang::Ko => format!(
                "{shown} 파일이 이미 있습니다.\n\nk: 그대로 두고 채점   o: 시작 매니페스트로 덮어쓰기   q: 종료\n"
            ),
        })?;
        loop {
            match read_key(inputs)? {
                Some('k') => return Ok(true),
                Some('o') => break,
                Some('q') => return Ok(false),
                _ => {}
            }
        }
    }
    std::fs::write(file, Watch::starter(exercise, lang))?;
    Ok(true)
}

/// The answer file for `given` (a file, or a folder to put `EXERCISE.yaml` in; the current
/// folder when not given), or why it cannot be one, checked before the screen is taken.
fn answer_file(given: Option<&Path>, exercise: &Exercise, lang: Lang) -> Result<PathBuf, String> {
    let default_name = format!("{}.yaml", exercise.id);
    let file = match given {
        None => PathBuf::from(&default_name),
        Some(folder) if folder.is_dir() => folder.join(&default_name),
        Some(file) => file.to_path_buf(),
    };
    let shown = |path: &Path| path.to_string_lossy().into_owned();
    let folder = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(match lang {
            Lang::En => format!(
                "{}: the folder {} does not exist; create it first, or give a file in a folder that exists",
                shown(&file),
                shown(&folder)
            ),
            Lang::Ko => format!(
                "{}: 폴더 {}가 없습니다. 먼저 만들거나, 있는 폴더의 파일을 지정하세요",
                shown(&file),
                shown(&folder)
            ),
        });
    }
    if let Ok(metadata) = std::fs::symlink_metadata(&file)
        && !metadata.is_file()
        && !metadata.file_type().is_symlink()
    {
        let what = crate::bounded_read::describe(metadata.file_type());
        return Err(match lang {
            Lang::En => format!(
                "{} is {what}, not a file kubedrill can write the answer to",
                shown(&file)
            ),
            Lang::Ko => format!("{}: 답을 쓸 수 있는 파일이 아닙니다({what})", shown(&file)),
        });
    }
    Ok(file)
}

/// Waits for a key press: `q` for Esc and Ctrl-C as well. File changes are not keys.
fn read_key(inputs: &Receiver<Input>) -> io::Result<Option<char>> {
    loop {
        match inputs.recv() {
            Ok(Input::Key(key)) => return Ok(key_char(key)),
            Ok(Input::Failed(error)) => return Err(crate::tui::terminal_error(error)),
            Ok(Input::Resize | Input::Changed) => {}
            Err(_) => return Ok(Some('q')),
        }
    }
}

/// A key as the one letter watch mode acts on.
fn key_char(key: KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Some('q'),
        KeyCode::Esc => Some('q'),
        KeyCode::Char(c) => Some(c.to_ascii_lowercase()),
        _ => None,
    }
}

/// Clears the terminal and writes `text` (raw mode wants `\r\n`). When it is taller than the
/// terminal, the middle goes (the task's text) so that the title and the end of the report with
/// the keys stay on screen.
fn draw(text: &str) -> io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    let (columns, rows) = terminal::size().map_or((usize::MAX, usize::MAX), |(columns, rows)| {
        (usize::from(columns).max(1), usize::from(rows).max(6))
    });
    // Wrapped at spaces here, so a word is never cut where the terminal would cut it.
    let wrapped: Vec<String> = text
        .trim_end_matches('\n')
        .split('\n')
        .flat_map(|line| crate::text::wrap(line, columns))
        .collect();
    let height = |line: &str| line.width().div_ceil(columns).max(1);
    let lines: Vec<&str> = wrapped.iter().map(String::as_str).collect();
    let shown: Vec<&str> = if lines.iter().map(|line| height(line)).sum::<usize>() > rows {
        let head = &lines[..2.min(lines.len())];
        let mut room = rows.saturating_sub(head.iter().map(|line| height(line)).sum::<usize>() + 1);
        let mut tail: Vec<&str> = Vec::new();
        for line in lines[head.len()..].iter().rev() {
            if height(line) > room {
                break;
            }
            room -= height(line);
            tail.push(line);
        }
        tail.reverse();
        let mut shown = head.to_vec();
        shown.push("…");
        shown.extend(tail);
        shown
    } else {
        lines
    };
    let mut out = io::stdout();
    execute!(out, Clear(ClearType::All), MoveTo(0, 0))?;
    out.write_all(shown.join("\r\n").as_bytes())?;
    out.flush()
}

enum Leave {
    Next,
    Quit,
}

struct Runner<'r> {
    store: &'r mut Store,
    scheduler: &'r crate::srs::Scheduler,
    deck: &'r Deck,
}

impl Runner<'_> {
    /// Carries out what the state machine asked; a failure to save is shown, not fatal.
    fn apply(&mut self, watch: &Watch<'_>, effects: Vec<Effect>, now: Timestamp) -> Option<String> {
        let topic = self.deck.topics.iter().find(|t| t.id == watch.id.topic)?;
        let entry = Entry {
            deck: self.deck,
            topic,
            item: ItemRef::Exercise(watch.exercise),
        };
        let key = entry.key();
        for effect in effects {
            let saved = match effect {
                Effect::Attempt {
                    answer,
                    passed,
                    score,
                    hints,
                    duration_ms,
                    summary,
                } => self
                    .store
                    .record_attempt(&AttemptRecord {
                        deck: self.deck.id.as_str(),
                        item: &key,
                        kind: ItemKind::Exercise.name(),
                        at: now,
                        answer: &answer,
                        passed,
                        score,
                        hints_used: hints,
                        duration_ms: Some(duration_ms),
                        summary: &summary,
                    })
                    .map(|_| ()),
                Effect::Rate {
                    rating,
                    duration_ms,
                    score,
                } => self
                    .store
                    .state(self.deck.id.as_str(), &key)
                    .and_then(|before| {
                        study::rate(
                            self.store,
                            self.scheduler,
                            &entry,
                            before,
                            rating,
                            now,
                            Some(duration_ms),
                            Some(score),
                        )
                    })
                    .map(|_| ()),
            };
            if let Err(error) = saved {
                return Some(error.to_string());
            }
        }
        None
    }
}

/// The answer's text: a regular file, at most what the checker reads, as UTF-8.
fn read(file: &Path) -> Result<String, String> {
    let bytes =
        crate::bounded_read::regular_file(file, crate::manifest::yaml::MAX_INPUT_BYTES as u64 + 1)
            .map_err(|error| match error {
                crate::bounded_read::ReadError::Io(error)
                    if error.kind() == io::ErrorKind::NotFound =>
                {
                    "the file is gone (saved under another name?)".to_string()
                }
                other => other.to_string(),
            })?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

/// The file one exercise is watched in, and the channel its changes join.
struct Watched<'w> {
    file: &'w Path,
    manual: bool,
    sender: &'w Sender<Input>,
    inputs: &'w Receiver<Input>,
}

/// Watches one exercise until the learner moves on or quits.
fn watch_one(
    mut runner: Runner<'_>,
    id: &ItemId,
    exercise: &Exercise,
    watched: &Watched<'_>,
    lang: Lang,
) -> io::Result<Leave> {
    let file = watched.file;
    let shown = file.to_string_lossy().into_owned();
    let mut watch = Watch::new(
        runner.deck,
        exercise,
        id.clone(),
        shown,
        lang,
        Timestamp::now(),
    );
    let next_title = next_exercise(runner.deck, id).map(|(_, next)| next.title.get(lang.tag()));
    // Kept alive for as long as the exercise is watched; its changes join the terminal's on
    // one channel (the forwarding thread ends when the watcher is dropped).
    let watcher = if watched.manual {
        None
    } else {
        crate::tui::watch_file(file).map(|(watcher, changes)| {
            let sender = watched.sender.clone();
            std::thread::spawn(move || {
                while changes.recv().is_ok() {
                    if sender.send(Input::Changed).is_err() {
                        return;
                    }
                }
            });
            watcher
        })
    };
    watch.manual = watcher.is_none();
    watch.update(Event::Opened(read(file)), Timestamp::now());
    let mut problem: Option<String> = None;
    let mut debounce = Debounce::default();
    let mut dirty = true;
    loop {
        if dirty {
            let mut screen = watch.render(next_title);
            if let Some(problem) = &problem {
                screen.push_str(&format!("\nkubedrill: {}\n", escape_controls(problem)));
            }
            draw(&screen).map_err(crate::tui::terminal_error)?;
            dirty = false;
        }
        // Block until something happens; with a save pending, only until it is due.
        let input = match debounce.wait(Instant::now()) {
            None => watched.inputs.recv().ok(),
            Some(wait) => match watched.inputs.recv_timeout(wait) {
                Ok(input) => Some(input),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(Leave::Quit),
            },
        };
        let pressed = match input {
            None if debounce.take_due(Instant::now()) => {
                let now = Timestamp::now();
                let effects = watch.update(Event::Saved(read(file)), now);
                problem = runner.apply(&watch, effects, now).or(problem);
                dirty = true;
                continue;
            }
            None => continue,
            Some(Input::Changed) => {
                debounce.changed(Instant::now());
                continue;
            }
            Some(Input::Resize) => {
                dirty = true;
                continue;
            }
            Some(Input::Failed(error)) => return Err(crate::tui::terminal_error(error)),
            Some(Input::Key(key)) => match key_char(key) {
                Some(pressed) => pressed,
                None => continue,
            },
        };
        let now = Timestamp::now();
        match pressed {
            'r' => {
                let effects = watch.update(Event::Recheck(read(file)), now);
                problem = runner.apply(&watch, effects, now).or(problem);
            }
            'h' => {
                watch.update(Event::Hint, now);
            }
            'n' | 'q' => {
                let effects = watch.update(Event::Leave, now);
                if let Some(problem) = runner.apply(&watch, effects, now) {
                    draw(&format!("kubedrill: {}\n", escape_controls(&problem)))?;
                }
                drop(watcher);
                return Ok(if pressed == 'n' && next_title.is_some() {
                    Leave::Next
                } else {
                    Leave::Quit
                });
            }
            _ => continue,
        }
        dirty = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_file_is_checked_before_the_screen_is_taken() {
        let deck = crate::content::built_in().deck.unwrap();
        let exercise = &deck.topics[0].exercises[0];
        let name = format!("{}.yaml", exercise.id);
        let folder = tempfile::tempdir().unwrap();
        // A folder given: the exercise's file inside it.
        assert_eq!(
            answer_file(Some(folder.path()), exercise, Lang::En).unwrap(),
            folder.path().join(&name)
        );
        assert_eq!(
            answer_file(None, exercise, Lang::En).unwrap(),
            PathBuf::from(&name)
        );
        // A folder that does not exist is not made behind the learner's back.
        let missing = folder.path().join("no/such/answer.yaml");
        let why = answer_file(Some(&missing), exercise, Lang::En).unwrap_err();
        assert!(why.contains("does not exist; create it first"), "{why}");
        // A FIFO is no answer file.
        let fifo = folder.path().join("pipe.yaml");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let why = answer_file(Some(&fifo), exercise, Lang::Ko).unwrap_err();
        assert!(
            why.contains("답을 쓸 수 있는 파일이 아닙니다(a FIFO"),
            "{why}"
        );
    }
}
