//! `kubedrill deck …`: the instructor's and the learner's view of decks. One file per group of
//! subcommands: [`check`] (deck check), [`install`] (add, remove), [`anki`] (import, export),
//! [`list`] (list, orphans); `new` and `preview` are here.

mod anki;
mod check;
mod install;
mod list;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde::Serialize;

use super::{CliError, Context, Format, Lang, Outcome};
use crate::content::{self, DeckReport};
use crate::model::Deck;
use crate::text::escape_controls;

#[derive(Debug, Subcommand)]
pub enum DeckCommand {
    /// Check deck folders and report every problem with file:line:column
    ///
    /// Exits 0 when every deck is clean (warnings allowed), 1 when any has an error,
    /// 2 when a folder cannot be read.
    Check {
        /// Deck folders (each holds a deck.toml)
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Create a new deck folder holding one example of every kind of item
    ///
    /// The example is the one of the deck format reference; it passes `deck check` as written.
    New {
        /// The folder to create (it may exist, but must be empty)
        #[arg(value_name = "DIR")]
        path: PathBuf,
        /// The deck's stable id [default: from the folder name]
        #[arg(long)]
        id: Option<String>,
        /// The deck's English title [default: the example's]
        #[arg(long)]
        title: Option<String>,
    },
    /// Study a deck folder in a throwaway session that reloads whenever a file changes
    ///
    /// Progress is kept in memory only. What `deck check` finds is listed on Home and updates
    /// on every save; `R` reloads by hand where file events do not arrive (some network and WSL
    /// folders).
    Preview {
        #[arg(value_name = "DIR")]
        path: PathBuf,
    },
    /// Install a deck for everyday study (a checked copy under the data folder), from a folder
    /// or a git repository
    ///
    /// A deck with errors is not installed. Installing a deck again replaces the installed copy;
    /// progress is keyed by the deck id, so it carries over. A git URL (https://, ssh://,
    /// file://, git@host:path) or a folder that is a repository's top is cloned with the `git`
    /// command and installed at the commit of --ref (a branch, tag or commit; the default
    /// branch without it); the commit is recorded, and `deck update` fetches it again.
    Add {
        #[arg(value_name = "DIR|GIT-URL")]
        path: PathBuf,
        /// The branch, tag or commit to install (a git repository only)
        #[arg(long = "ref", value_name = "BRANCH|TAG|COMMIT")]
        reference: Option<String>,
    },
    /// Fetch decks added from git again and install what changed, if it checks clean
    ///
    /// Shows the items added, changed and removed, by id. Progress on changed items is kept;
    /// progress on removed items is kept too (archived: `deck orphans` lists it). A deck pinned
    /// to a tag or a commit stays at it; one that follows a branch moves to its newest commit.
    /// A new version with errors is not installed: the installed one keeps working.
    Update {
        /// The installed deck's id [default: every deck added from git]
        #[arg(value_name = "DECK")]
        deck: Option<String>,
    },
    /// Uninstall a deck by id (its progress is kept; adding it again picks it up)
    Remove {
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Import cards from an Anki text export (.txt, .tsv, .csv) into the deck folder --deck DIR
    ///
    /// Create the deck first with `deck new`. Reads Anki's headers (#separator, #html, #tags, #columns, #deck/#tags/#guid/#notetype
    /// column). A note's GUID becomes the card's id, so importing the file again updates its
    /// cards instead of adding copies. Cards are never removed.
    Import {
        /// The Anki text file
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Put every card in this topic [default: each note's Anki deck name, else `imported`]
        #[arg(long)]
        topic: Option<String>,
        /// The language the cards are written in
        #[arg(long, value_enum, default_value = "en")]
        language: Lang,
    },
    /// Export a deck's cards for Anki (tab-separated text with HTML fields and GUIDs)
    Export {
        /// A loaded deck's id, or a deck folder
        #[arg(value_name = "ID|DIR")]
        deck: String,
        #[arg(long, value_enum, default_value_t)]
        format: ExportFormat,
        /// Write to this file instead of standard output
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// The language of the exported text
        #[arg(long, value_enum, default_value = "en")]
        language: Lang,
    },
    /// List the decks kubedrill studies from: built-in, installed, and --deck folders
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// List progress kept for items no loaded deck has any more (renamed or removed ids)
    Orphans {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// Formats `deck export` writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Anki's text format: tab-separated, with headers, HTML fields and GUIDs
    #[default]
    AnkiTsv,
}

pub fn run(
    command: DeckCommand,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    match command {
        DeckCommand::Check { paths, format } => check::run(&paths, format, out),
        DeckCommand::New { path, id, title } => new(&path, id, title.as_deref(), context, out),
        DeckCommand::Preview { path } => preview(&path, context),
        DeckCommand::Add { path, reference } => {
            install::add(&path, reference.as_deref(), context, out)
        }
        DeckCommand::Update { deck } => install::update(deck.as_deref(), context, out),
        DeckCommand::Remove { id } => install::remove(&id, context, out),
        DeckCommand::Import {
            file,
            topic,
            language,
        } => match context.decks.as_slice() {
            [into] => anki::import(&file, into, topic.as_deref(), language, context, out),
            _ => Err(CliError::Message(
                context
                    .lang
                    .pick(
                        "say which deck folder to import into, once: `kubedrill deck import FILE --deck DIR`",
                        "가져올 덱 폴더를 한 번 지정하세요: `kubedrill deck import FILE --deck DIR`",
                    )
                    .to_string(),
            )),
        },
        DeckCommand::Export {
            deck,
            format: ExportFormat::AnkiTsv,
            output,
            language,
        } => anki::export(&deck, output.as_deref(), language, context, out),
        DeckCommand::List { format } => list::list(context, format, out),
        DeckCommand::Orphans { format } => list::orphans(context, format, out),
    }
}

fn new(
    path: &Path,
    id: Option<String>,
    title: Option<&str>,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let id = id.unwrap_or_else(|| content::default_deck_id(path));
    let files = content::scaffold::write_new_deck(path, &id, title).map_err(CliError::said)?;
    let shown = escape_controls(&display_path(path)).into_owned();
    // As it would be typed in a shell (a folder name with a space is quoted).
    let typed =
        shlex::try_quote(&shown).map_or_else(|_| shown.clone(), |quoted| quoted.into_owned());
    writeln!(
        out,
        "{}",
        match lang {
            Lang::En => format!("Created deck `{id}` in {shown}:"),
            Lang::Ko => format!("{shown}에 `{id}` 덱을 만들었습니다:"),
        }
    )?;
    for file in files {
        writeln!(out, "  {file}")?;
    }
    writeln!(
        out,
        "\n{}",
        match lang {
            Lang::En => format!(
                "Next: edit the files, then `kubedrill deck check {typed}` to prove them, `kubedrill deck preview {typed}` to try them, and `kubedrill deck add {typed}` to install the deck."
            ),
            Lang::Ko => format!(
                "다음 단계: 파일을 고친 뒤 `kubedrill deck check {typed}`으로 검사하고, `kubedrill deck preview {typed}`으로 직접 풀어 보고, `kubedrill deck add {typed}`으로 설치하세요."
            ),
        }
    )?;
    Ok(Outcome::Success)
}

fn preview(path: &Path, context: &Context) -> Result<Outcome, CliError> {
    let lang = context.lang;
    if !path.is_dir() {
        let path = path.display();
        return Err(CliError::Message(match lang {
            Lang::En => format!("{path} is not a folder"),
            Lang::Ko => format!("{path}: 폴더가 아닙니다"),
        }));
    }
    #[cfg(feature = "tui")]
    {
        if std::io::IsTerminal::is_terminal(&std::io::stdout())
            && std::io::IsTerminal::is_terminal(&std::io::stdin())
        {
            crate::tui::preview(path, &display_path(path), lang)?;
            return Ok(Outcome::Success);
        }
    }
    Err(CliError::Message(
        lang.pick(
            "deck preview needs a terminal (and a build with the interface); `kubedrill deck check DIR` reports the same problems as text",
            "deck preview는 터미널(그리고 인터페이스가 포함된 빌드)이 필요합니다. 같은 문제를 텍스트로 보려면 `kubedrill deck check DIR`을 쓰세요",
        )
        .to_string(),
    ))
}

/// A path as the user wrote it, without a trailing slash (`content/` → `content`).
fn display_path(path: &Path) -> String {
    let shown = path.to_string_lossy();
    let trimmed = shown.trim_end_matches('/');
    if trimmed.is_empty() {
        shown.into_owned()
    } else {
        trimmed.to_string()
    }
}

/// A deck's problems, each with its snippet, then its summary line: what `deck check` prints
/// of a deck, and what `deck add` and `deck update` print of one they refuse.
fn write_problems(
    out: &mut impl Write,
    report: &DeckReport,
    shown: &str,
    color: bool,
) -> std::io::Result<()> {
    let source = &report.source;
    let problems =
        crate::diagnostic::render_text(&report.problems, shown, |file| source.text(file), color);
    out.write_all(problems.as_bytes())?;
    writeln!(out, "{}", summary_line(shown, report))
}

/// The last line `deck check` says of a deck: valid with what it holds, or how many problems.
fn summary_line(shown: &str, report: &DeckReport) -> String {
    let shown = escape_controls(shown);
    let (errors, warnings) = (report.error_count(), report.warning_count());
    let problems = match (errors, warnings) {
        (0, 0) => String::new(),
        (0, w) => format!(" ({})", crate::text::plural(w, "warning")),
        (e, 0) => format!(": {}", crate::text::plural(e, "error")),
        (e, w) => format!(
            ": {}, {}",
            crate::text::plural(e, "error"),
            crate::text::plural(w, "warning")
        ),
    };
    match (&report.deck, errors) {
        (Some(deck), 0) => format!(
            "{shown}: deck `{}` is valid: {}{problems}",
            deck.id,
            describe_counts(deck)
        ),
        _ => format!("{shown}{problems}"),
    }
}

fn describe_counts(deck: &Deck) -> String {
    let counts = deck.counts();
    let scenarios = if counts.scenarios > 0 {
        format!(", {}", crate::text::plural(counts.scenarios, "scenario"))
    } else {
        String::new()
    };
    format!(
        "{}, {}, {}, {}, {}{scenarios}",
        crate::text::plural(deck.topics.len(), "topic"),
        crate::text::plural(counts.cards, "card"),
        crate::text::plural(counts.questions, "question"),
        crate::text::plural(counts.drills, "drill"),
        crate::text::plural(counts.exercises, "exercise"),
    )
}

/// How many of each kind a deck holds, in `--format json`.
#[derive(Debug, Serialize)]
struct CountsJson {
    topics: usize,
    cards: usize,
    questions: usize,
    drills: usize,
    exercises: usize,
    scenarios: usize,
}

impl CountsJson {
    fn of(deck: &Deck) -> CountsJson {
        let counts = deck.counts();
        CountsJson {
            topics: deck.topics.len(),
            cards: counts.cards,
            questions: counts.questions,
            drills: counts.drills,
            exercises: counts.exercises,
            scenarios: counts.scenarios,
        }
    }
}
