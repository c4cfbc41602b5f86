//! `kubedrill watch TOPIC/EXERCISE [FILE]`: writes the exercise's starter to FILE, then grades
//! the file on every save and shows the report, until the learner quits. The state machine is
//! `crate::watch`; this is its terminal: keys in raw mode, a file watcher on FILE's folder
//! (editors save by writing a new file and renaming it), and the screen redrawn after each
//! change. Where file events do not arrive (network file systems, WSL on Windows drives), `r`
//! grades by hand, and `--manual` turns the watcher off.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use jiff::Timestamp;
use ratatui::crossterm::cursor::MoveTo;
use ratatui::crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{self, Clear, ClearType};

use super::{Context, Lang, Outcome};
use crate::model::{Deck, Exercise, ItemId, ItemKind, ItemRef};
use crate::store::{AttemptRecord, Store};
use crate::study::{self, Entry};
use crate::text::escape_controls;
use crate::watch::{Effect, Event, Watch, next_exercise};

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

/// How long a burst of file events (an editor writes, renames, sets attributes) must be quiet
/// before the file is read.
const SETTLE: Duration = Duration::from_millis(120);

pub fn run(args: &WatchArgs, context: &Context) -> io::Result<Outcome> {
    let lang = context.lang;
    let id = match ItemId::parse(&args.id) {
        Ok(id) => id,
        Err(why) => {
            eprintln!("kubedrill: {}", escape_controls(&why));
            return Ok(Outcome::Error);
        }
    };
    let loaded = context.load_library();
    let Some((deck, item, _)) = super::grade::lookup(&loaded.library, &id) else {
        eprintln!(
            "kubedrill: {}",
            super::grade::not_found(&loaded.library, &args.id)
        );
        return Ok(Outcome::Error);
    };
    let ItemRef::Exercise(exercise) = item else {
        eprintln!(
            "kubedrill: `{}` is a {}; watch mode grades YAML exercises (`kubedrill grade` takes drills)",
            escape_controls(&args.id),
            item.kind().name()
        );
        return Ok(Outcome::Error);
    };
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        eprintln!(
            "kubedrill: {}",
            lang.pick(
                "watch mode runs in a terminal; `kubedrill grade ID FILE` grades a file anywhere",
                "watch 모드는 터미널에서 실행합니다. 파일 하나를 채점하려면 `kubedrill grade ID FILE`을 쓰세요",
            )
        );
        return Ok(Outcome::Error);
    }
    let Some(mut store) = context.open_store() else {
        return Ok(Outcome::Error);
    };
    let settings = store.settings().map_err(io::Error::other)?;
    let scheduler = study::scheduler(&settings, &context.zone).map_err(io::Error::other)?;

    crate::tui::install_signal_restore();
    terminal::enable_raw_mode()?;
    let result = (|| -> io::Result<Outcome> {
        let mut current = (id, exercise);
        let mut file = args
            .file
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("{}.yaml", current.1.id)));
        loop {
            if !prepare(&file, current.1, lang)? {
                return Ok(Outcome::Success);
            }
            let runner = Runner {
                store: &mut store,
                scheduler: &scheduler,
                deck,
            };
            match watch_one(runner, &current.0, current.1, &file, args.manual, lang)? {
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
    terminal::disable_raw_mode()?;
    println!();
    result
}

/// Writes the starter to `file` unless it exists; an existing file is kept unless the learner
/// says to overwrite it. `false` when they chose to quit.
fn prepare(file: &Path, exercise: &Exercise, lang: Lang) -> io::Result<bool> {
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
            match read_key()? {
                Some('k') => return Ok(true),
                Some('o') => break,
                Some('q') => return Ok(false),
                _ => {}
            }
        }
    }
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(file, Watch::starter(exercise, lang))?;
    Ok(true)
}

/// Waits for a key press: `q` for Esc and Ctrl-C as well.
fn read_key() -> io::Result<Option<char>> {
    loop {
        if let TermEvent::Key(key) = event::read().map_err(crate::tui::terminal_error)? {
            if key.kind != KeyEventKind::Press {
                continue;
            }
            return Ok(match key.code {
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Some('q'),
                KeyCode::Esc => Some('q'),
                KeyCode::Char(c) => Some(c.to_ascii_lowercase()),
                _ => None,
            });
        }
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
    // The rows a line takes once the terminal wraps it.
    let height = |line: &str| line.width().div_ceil(columns).max(1);
    let lines: Vec<&str> = text.trim_end_matches('\n').split('\n').collect();
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

fn read(file: &Path) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|error| error.to_string())
}

/// Watches one exercise until the learner moves on or quits.
fn watch_one(
    mut runner: Runner<'_>,
    id: &ItemId,
    exercise: &Exercise,
    file: &Path,
    manual: bool,
    lang: Lang,
) -> io::Result<Leave> {
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
    // Kept alive for as long as the exercise is watched.
    let watcher = if manual {
        None
    } else {
        crate::tui::watch_file(file)
    };
    watch.manual = watcher.is_none();
    watch.update(Event::Opened(read(file)), Timestamp::now());
    let mut problem: Option<String> = None;
    let mut changed_at: Option<Instant> = None;
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
        if let Some((_, changes)) = &watcher
            && changes.try_iter().count() > 0
        {
            changed_at = Some(Instant::now());
        }
        if changed_at.is_some_and(|at| at.elapsed() >= SETTLE) {
            changed_at = None;
            let now = Timestamp::now();
            let effects = watch.update(Event::Saved(read(file)), now);
            problem = runner.apply(&watch, effects, now).or(problem);
            dirty = true;
            continue;
        }
        if !event::poll(Duration::from_millis(50)).map_err(crate::tui::terminal_error)? {
            continue;
        }
        let TermEvent::Key(key) = event::read().map_err(crate::tui::terminal_error)? else {
            // A resize: draw again.
            dirty = true;
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        let now = Timestamp::now();
        let pressed = match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => 'q',
            KeyCode::Esc => 'q',
            KeyCode::Char(c) => c.to_ascii_lowercase(),
            _ => continue,
        };
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
