//! The command line: clap definitions and dispatch. Each subcommand lives in its own file under
//! `cli/` and is a thin wrapper over the library: it parses, calls the library, and prints.
//!
//! A subcommand returns `Result<Outcome, CliError>`: the outcome is the verdict on what it was
//! given (exit 0 or 1); a [`CliError`] is why it could not do its work, and [`finish`] is the one
//! place that says it (`kubedrill: …` on standard error, in the learner's language) and exits 2.

mod check;
mod config;
mod deck;
mod due;
mod exam;
mod explain;
mod grade;
mod home;
mod optimize;
mod plan;
mod report;
mod scenario;
mod search;
mod show;
mod stats;
mod variant;
#[cfg(feature = "tui")]
mod watch;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use crate::i18n::Lang;

/// Exit status of a command that ran: the contract scripts depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: valid, passed, done.
    Success,
    /// 1: the input was checked and found wanting (a deck with errors, a failed answer).
    Failure,
    /// 2: some of the command's work could not be done, and why was said already (a file
    /// among several that cannot be read: the others are still checked). A command that
    /// cannot do its work at all returns a [`CliError`] instead.
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        match outcome {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Failure => ExitCode::from(1),
            Outcome::Error => ExitCode::from(2),
        }
    }
}

/// Why a command could not do its work: exit 2, and one line on standard error, said by
/// [`finish`]. Each variant carries what the learner needs to act on it: the path, the id, the
/// reason.
#[derive(Debug)]
pub enum CliError {
    /// Standard output or the terminal could not be written (a closed pipe is not worth a word).
    Output(io::Error),
    /// A file or folder could not be read, written, installed into or removed.
    Io {
        action: IoAction,
        path: PathBuf,
        error: io::Error,
    },
    /// Progress and installed decks need a data folder, and none is known on this system.
    NoDataDir,
    /// The progress database could not be opened, read or written.
    Store(crate::store::StoreError),
    /// Anything else, worded already for the learner in their language: a usage error (an
    /// unknown id or setting, a missing argument, a value that cannot be used) or a library
    /// error in its own words. Control characters in it are escaped when it is said.
    Message(String),
}

/// What was being done to the file a [`CliError::Io`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoAction {
    Read,
    Write,
    InstallInto,
    Remove,
}

impl CliError {
    pub fn read(path: impl Into<PathBuf>, error: io::Error) -> CliError {
        CliError::Io {
            action: IoAction::Read,
            path: path.into(),
            error,
        }
    }

    pub fn write(path: impl Into<PathBuf>, error: io::Error) -> CliError {
        CliError::Io {
            action: IoAction::Write,
            path: path.into(),
            error,
        }
    }

    /// A library error in its own words (they name what it concerns).
    pub fn said(error: impl std::fmt::Display) -> CliError {
        CliError::Message(error.to_string())
    }

    /// What is said after `kubedrill: `, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            CliError::Output(error) => match lang {
                Lang::En => format!("cannot write output: {error}"),
                Lang::Ko => format!("출력을 쓸 수 없습니다: {error}"),
            },
            CliError::Io {
                action,
                path,
                error,
            } => {
                let path = path.display();
                let reason = reason(error, *action, lang);
                match (lang, action) {
                    (Lang::En, IoAction::Read) => format!("cannot read {path}: {reason}"),
                    (Lang::En, IoAction::Write) => format!("cannot write {path}: {reason}"),
                    (Lang::En, IoAction::InstallInto) => {
                        format!("cannot install into {path}: {reason}")
                    }
                    (Lang::En, IoAction::Remove) => format!("cannot remove {path}: {reason}"),
                    (Lang::Ko, IoAction::Read) => format!("{path}: 읽을 수 없습니다 ({reason})"),
                    (Lang::Ko, IoAction::Write) => format!("{path}: 쓸 수 없습니다 ({reason})"),
                    (Lang::Ko, IoAction::InstallInto) => {
                        format!("{path}에 설치할 수 없습니다 ({reason})")
                    }
                    (Lang::Ko, IoAction::Remove) => {
                        format!("{path}: 제거할 수 없습니다 ({reason})")
                    }
                }
            }
            CliError::NoDataDir => lang
                .pick(
                    "no data folder is known on this system: give one with --data-dir DIR",
                    "이 시스템에서는 데이터 폴더를 찾을 수 없습니다. --data-dir DIR로 지정하세요",
                )
                .to_string(),
            CliError::Store(error) => error.to_string(),
            CliError::Message(message) => message.clone(),
        }
    }
}

/// `writeln!(out, …)?` in a command: what cannot be written is [`CliError::Output`].
impl From<io::Error> for CliError {
    fn from(error: io::Error) -> CliError {
        CliError::Output(error)
    }
}

impl From<crate::store::StoreError> for CliError {
    fn from(error: crate::store::StoreError) -> CliError {
        CliError::Store(error)
    }
}

/// An I/O error in plain words: "no such file", not "No such file or directory (os error 2)".
fn reason(error: &io::Error, action: IoAction, lang: Lang) -> String {
    crate::i18n::io_reason(lang, error, action != IoAction::Read)
}

#[derive(Debug, Parser)]
#[command(
    name = "kubedrill",
    version = crate::VERSION_TEXT,
    about = "Learn, remember and prove the Kubernetes CKA exam topics in your terminal, offline.",
    long_about = "Learn, remember and prove the Kubernetes CKA exam topics in your terminal, offline: \
                  lessons, flashcards scheduled by FSRS, graded YAML manifests and kubectl drills.\n\n\
                  Run without a command to start studying.",
    after_help = "Exit status: 0 valid or passed, 1 invalid or failed, 2 usage or I/O error."
)]
pub struct Cli {
    /// Where progress and installed decks live [default: the system's per-user data folder]
    #[arg(long, global = true, value_name = "DIR", env = "KUBEDRILL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Language of the interface and the lessons: en or ko [default: from the locale]
    #[arg(long, global = true, value_parser = parse_lang, value_name = "en|ko")]
    pub lang: Option<Lang>,

    /// Also study from this deck folder (may be given more than once)
    #[arg(long = "deck", global = true, value_name = "DIR")]
    pub decks: Vec<PathBuf>,

    /// Leave the built-in CKA deck out: study only installed decks and --deck folders
    #[arg(long, global = true)]
    pub no_built_in: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Kubernetes manifests strictly, offline: every problem with line, column and fix
    ///
    /// Exits 0 when every file is valid, 1 when any has an error, 2 when a file cannot be read.
    Check(check::CheckArgs),
    /// Describe a field of a Kubernetes resource, offline (like kubectl explain)
    Explain {
        /// RESOURCE.field.field, such as pod.spec.containers.envFrom or deploy.spec.strategy
        #[arg(value_name = "FIELD.PATH")]
        field: String,
        /// The apiVersion to explain, for a kind served in several (autoscaling/v1) [default: the
        /// preferred one]
        #[arg(long = "api-version", value_name = "GROUP/VERSION")]
        api_version: Option<String>,
    },
    /// Grade an exercise answer (ID FILE) or a command drill (ID --command '…')
    ///
    /// Exits 0 when it passes, 1 when it does not, 2 when the id or the file is not found.
    Grade(grade::GradeArgs),
    /// Print an exercise's or a drill's task, without the interface
    ///
    /// `--starter` prints only the manifest to start from: `kubedrill show ID --starter >
    /// answer.yaml`, then `kubedrill grade ID answer.yaml`.
    Show(show::ShowArgs),
    /// Check, list and manage decks
    #[command(subcommand)]
    Deck(deck::DeckCommand),
    /// What is due today: learning steps, reviews and new items, per topic
    Due {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Progress: due today and the next days, reviews per day, retention, streak, topic mastery
    Stats {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// A timed mock exam: YAML tasks, kubectl commands and troubleshooting scenarios, graded like the CKA (66% to pass)
    ///
    /// Starts the exam in the interface; with --plan, prints its tasks instead. The same --seed
    /// gives the same exam again.
    Exam(exam::ExamArgs),
    /// Grade an exercise's answer on every save, in your own editor
    ///
    /// Writes the exercise's starter to FILE (an existing file is kept unless you choose to
    /// overwrite it), then grades FILE each time it is saved and shows the report: h shows a
    /// hint, r grades now, n moves to the next exercise, q quits. Attempts and the rating are
    /// saved as in the interface.
    #[cfg(feature = "tui")]
    Watch(watch::WatchArgs),
    /// A language server for manifests, on stdin and stdout (set-up: docs/editors.md)
    ///
    /// Diagnostics from `kubedrill check` as you type, a quick fix for each "did you mean",
    /// hover with `kubectl explain` text, field-name completion from the API schema; the
    /// failing checks of an exercise when the file says `# kubedrill: TOPIC/EXERCISE`.
    #[cfg(feature = "lsp")]
    Lsp,
    /// Show or change settings (exam-date, desired-retention, new-per-day, …)
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// Fit the FSRS parameters to your own review history (once there is enough of it)
    Optimize,
    /// The exam-date plan: new items, reviews and minutes a day until the exam
    ///
    /// Says how many new items a day see every item a week before the exam and whether the
    /// new-per-day limit does; exits 2 without an exam date or with one already past.
    Plan(plan::PlanArgs),
    /// Troubleshooting scenarios on an offline cluster: show the task, run commands, grade
    #[command(subcommand)]
    Scenario(scenario::ScenarioCommand),
    /// Progress reports: export yours for an instructor; read a class's exports together
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell
    ///
    /// bash: `kubedrill completions bash > ~/.local/share/bash-completion/completions/kubedrill`;
    /// zsh: `kubedrill completions zsh > ~/.zfunc/_kubedrill` (with ~/.zfunc on fpath);
    /// fish: `kubedrill completions fish > ~/.config/fish/completions/kubedrill.fish`.
    Completions {
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `kubedrill man > ~/.local/share/man/man1/kubedrill.1`
    Man,
    /// Find lessons, headings, cards, questions, exercises and drills (fuzzy, best first)
    ///
    /// Exits 0 when something matches, 1 when nothing does.
    Search {
        /// What to look for; a few letters are enough (`envfrm` finds envFrom)
        #[arg(value_name = "QUERY", required = true, num_args = 1..)]
        query: Vec<String>,
        /// How many hits to show
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// `--lang`: `en` or `ko`.
fn parse_lang(text: &str) -> Result<Lang, String> {
    text.parse()
}

/// Output formats of the checking commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// For people: rustc-like snippets with a caret under each problem
    #[default]
    Text,
    /// For tools: one JSON object on stdout
    Json,
}

/// Settings every command may use, resolved from the global options.
#[derive(Debug, Clone)]
pub struct Context {
    pub data_dir: Option<PathBuf>,
    pub lang: Lang,
    pub decks: Vec<PathBuf>,
    /// Whether the built-in deck is loaded (`--no-built-in` leaves it out).
    pub built_in: bool,
    /// The time commands act at: the clock, or `KUBEDRILL_NOW` (an RFC 3339 time) so that
    /// tests and bug reports are reproducible.
    pub now: jiff::Timestamp,
    /// The learner's time zone (`TZ`, or the system's).
    pub zone: jiff::tz::TimeZone,
}

impl Context {
    /// The decks this command studies from: built-in (unless `--no-built-in`), installed, and
    /// `--deck` folders.
    pub fn load_library(&self) -> crate::content::LoadedLibrary {
        let installed = self.installed_decks();
        match &self.data_dir {
            Some(data_dir) => crate::content::load_library_cached(
                &crate::content::cache::dir(data_dir),
                self.built_in,
                installed.as_deref(),
                &self.decks,
            ),
            None => crate::content::load_library(self.built_in, installed.as_deref(), &self.decks),
        }
    }

    /// The outlines of the decks [`Context::load_library`] loads, from their deck.toml files
    /// (see [`crate::content::outline`]): the interface draws Home from them first.
    pub fn load_outline(&self) -> Option<crate::model::Library> {
        crate::content::outline(
            self.built_in,
            self.installed_decks().as_deref(),
            &self.decks,
        )
    }

    /// Installed decks' folder, when a data directory is known.
    pub fn installed_decks(&self) -> Option<PathBuf> {
        self.data_dir.as_deref().map(crate::paths::decks_dir)
    }

    /// Installed decks' folder, or why there is none.
    pub fn decks_dir(&self) -> Result<PathBuf, CliError> {
        self.installed_decks().ok_or(CliError::NoDataDir)
    }

    /// Opens the progress database, saying on stderr what opening it had to do; what the store
    /// does on its own later (damage found, the file deleted) is said when the command is done
    /// with it.
    pub fn store(&self) -> Result<CliStore, CliError> {
        let opened = self.opened()?;
        if let Some(moved) = &opened.moved_aside {
            say(&crate::i18n::moved_aside(
                self.lang,
                moved,
                crate::i18n::PathStyle::Full,
            ));
        }
        Ok(CliStore {
            store: Some(opened.store),
            lang: self.lang,
        })
    }

    /// Opens the progress database without a word about what opening it did: for the
    /// interface, which says it in a dialog.
    pub fn opened(&self) -> Result<crate::store::Opened, CliError> {
        let dir = self.data_dir.as_deref().ok_or(CliError::NoDataDir)?;
        Ok(crate::store::Store::open_in(dir, self.now)?)
    }
}

/// The store as a command uses it: when the command is done with it, whatever the store did on
/// its own (a damaged file moved aside, a deleted one replaced) is said on stderr.
#[derive(Debug)]
pub struct CliStore {
    /// Always `Some` but in [`CliStore::into_inner`].
    store: Option<crate::store::Store>,
    lang: Lang,
}

impl CliStore {
    /// The store itself, for a caller that shows its notices another way (the interface).
    pub fn into_inner(mut self) -> crate::store::Store {
        self.store
            .take()
            .expect("a CliStore holds its store until now")
    }
}

impl std::ops::Deref for CliStore {
    type Target = crate::store::Store;
    fn deref(&self) -> &crate::store::Store {
        self.store.as_ref().expect("a CliStore holds its store")
    }
}

impl std::ops::DerefMut for CliStore {
    fn deref_mut(&mut self) -> &mut crate::store::Store {
        self.store.as_mut().expect("a CliStore holds its store")
    }
}

impl CliStore {
    /// Says what the store did on its own so far (damage met while reading moves the file
    /// aside as at opening, and is told the same way), rather than when the command is done.
    pub fn say_notices(&self) {
        let Some(store) = &self.store else { return };
        for notice in store.take_notices() {
            say(&crate::i18n::store_notice(
                self.lang,
                &notice,
                crate::i18n::PathStyle::Full,
            ));
        }
    }
}

impl Drop for CliStore {
    fn drop(&mut self) {
        self.say_notices();
    }
}

/// `KUBEDRILL_NOW`, when set to a valid time, else the clock.
fn now_from_env() -> jiff::Timestamp {
    std::env::var("KUBEDRILL_NOW")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(jiff::Timestamp::now)
}

/// Parses the command line, runs the command, and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let data_dir = cli.data_dir.or_else(crate::paths::default_data_dir);
    // --lang, else the language saved with `config set language`, else the locale.
    let saved = data_dir
        .as_deref()
        .and_then(|dir| crate::store::Store::peek_setting(dir, crate::store::Setting::Language));
    let lang = cli.lang.unwrap_or_else(|| match saved.as_deref() {
        Some("ko") => Lang::Ko,
        Some("en") => Lang::En,
        _ => Lang::from_locale(|name| std::env::var(name).ok()),
    });
    let context = Context {
        data_dir,
        lang,
        decks: cli.decks,
        built_in: !cli.no_built_in,
        now: now_from_env(),
        zone: crate::zone::local(),
    };
    let lang = context.lang;
    let Some(command) = cli.command else {
        // Not under a held stdout lock: the interface's signal handler writes to the terminal
        // from its own thread to restore it, and would wait for the lock forever.
        return finish(
            home::run(&context, &mut std::io::stdout()),
            lang,
            std::io::stdout(),
        );
    };
    // Watch mode draws to the terminal and restores it from a signal thread: no stdout lock.
    #[cfg(feature = "tui")]
    if let Command::Watch(args) = &command {
        return finish(watch::run(args, &context), lang, std::io::stdout());
    }
    // The language server owns stdin and stdout (its own threads read and write them).
    #[cfg(feature = "lsp")]
    if let Command::Lsp = &command {
        let loaded = context.load_library();
        let served = crate::lsp::serve_stdio(loaded.library)
            // The protocol's exit status: 1 when the client left without `shutdown`.
            .map(|clean| {
                if clean {
                    Outcome::Success
                } else {
                    Outcome::Failure
                }
            })
            .map_err(|error| CliError::Message(format!("lsp: {error}")));
        return finish(served, lang, std::io::sink());
    }
    // Never a held lock on stdout: `exam` and `deck preview` start the interface, whose signal
    // handler restores the terminal from its own thread and would wait for the lock forever
    // (`kubedrill exam` once stayed behind at 100 % CPU after its terminal closed). Unlocked
    // `Stdout` writes through the same buffer, taking the lock per write.
    let mut stdout = std::io::stdout();
    let outcome = match command {
        Command::Check(args) => check::run(&args, lang, &mut stdout),
        Command::Explain { field, api_version } => {
            explain::run(&field, api_version.as_deref(), &mut stdout)
        }
        Command::Grade(args) => grade::run(&args, &context, &mut stdout),
        Command::Show(args) => show::run(&args, &context, &mut stdout),
        Command::Deck(command) => deck::run(command, &context, &mut stdout),
        Command::Due { format } => due::run(format, &context, &mut stdout),
        Command::Stats { format } => stats::run(format, &context, &mut stdout),
        Command::Exam(args) => exam::run(&args, &context, &mut stdout),
        Command::Config(command) => config::run(command, &context, &mut stdout),
        Command::Optimize => optimize::run(&context, &mut stdout),
        Command::Plan(args) => plan::run(&args, &context, &mut stdout),
        Command::Scenario(command) => scenario::run(command, &context, &mut stdout),
        Command::Report(command) => report::run(command, &context, &mut stdout),
        Command::Completions { shell } => {
            // Into a buffer first: clap_complete panics on a write error (`| head`).
            let mut script = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "kubedrill",
                &mut script,
            );
            stdout
                .write_all(&script)
                .map(|()| Outcome::Success)
                .map_err(CliError::Output)
        }
        Command::Man => clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
            .render(&mut stdout)
            .map(|()| Outcome::Success)
            .map_err(CliError::Output),
        Command::Search {
            query,
            limit,
            format,
        } => search::run(&query.join(" "), limit, format, &context, &mut stdout),
        #[cfg(feature = "tui")]
        Command::Watch(_) => unreachable!("watch mode is run above, before the other commands"),
        #[cfg(feature = "lsp")]
        Command::Lsp => unreachable!("the language server is run above, before the other commands"),
    };
    finish(outcome, lang, stdout)
}

/// Prints `document` as pretty JSON and a newline: the `--format json` of every command.
pub(crate) fn print_json(out: &mut impl Write, document: &impl serde::Serialize) -> io::Result<()> {
    let text = serde_json::to_string_pretty(document).expect("JSON documents serialize");
    writeln!(out, "{text}")
}

/// Says one line on standard error: `kubedrill: ` and `message`, its control characters
/// escaped. Every error, warning and notice of a command goes through here.
pub(crate) fn say(message: &str) {
    // Not eprintln!: after a hang-up standard error is the dead terminal too, and eprintln!
    // panics when it cannot write.
    let _ = writeln!(
        io::stderr(),
        "kubedrill: {}",
        crate::text::escape_controls(message)
    );
}

/// The exit code of a command, after its output is flushed; its error, if any, said in `lang`.
/// The one place a [`CliError`] becomes exit 2.
fn finish(outcome: Result<Outcome, CliError>, lang: Lang, mut stdout: impl Write) -> ExitCode {
    let outcome = match outcome {
        Ok(outcome) => outcome,
        // A closed pipe (`kubedrill deck list | head`) is not worth a message.
        Err(CliError::Output(error)) if error.kind() == io::ErrorKind::BrokenPipe => {
            Outcome::Success
        }
        Err(error) => {
            say(&error.message(lang));
            Outcome::Error
        }
    };
    let _ = stdout.flush();
    outcome.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_io_error_is_said_with_its_path_and_a_plain_reason_in_either_language() {
        let missing = || io::Error::from(io::ErrorKind::NotFound);
        assert_eq!(
            CliError::read("pod.yaml", missing()).message(Lang::En),
            "cannot read pod.yaml: no such file"
        );
        assert_eq!(
            CliError::write("out/cards.txt", missing()).message(Lang::Ko),
            "out/cards.txt: 쓸 수 없습니다 (그런 폴더가 없습니다)"
        );
        // The OS's own words, without their error code.
        let read_only = io::Error::from_raw_os_error(30);
        let said = CliError::write("x", read_only).message(Lang::En);
        assert!(!said.contains("os error"), "{said}");
        assert_eq!(
            CliError::NoDataDir.message(Lang::En),
            "no data folder is known on this system: give one with --data-dir DIR"
        );
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
