//! `kubedrill scenario show ID` prints a troubleshooting scenario's task; `kubedrill scenario run
//! ID --script FILE|-` runs commands one per line (as typed at the scenario's prompt, `#`
//! comments) on its offline cluster, prints each command's output, then grades what the cluster
//! does: exit 0 pass, 1 fail, 2 error.

use std::io::Write;

use clap::Subcommand;
use serde::Serialize;

use super::{CliError, Context, Format, Lang, Outcome};
use crate::model::world::Scenario;
use crate::model::{ItemId, Library};
use crate::text::escape_controls;

#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// Print a scenario's task
    Show {
        /// The scenario, as TOPIC/ID (`troubleshooting/crashloop-command`)
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Run commands on a scenario's cluster, then grade it
    ///
    /// Each line of the script is one command as typed at the scenario's prompt (kubectl, k,
    /// echo, cat, grep, …; `#` starts a comment; a heredoc spans lines). Without --script, the
    /// cluster is graded as it starts.
    Run {
        #[arg(value_name = "ID")]
        id: String,
        /// The commands, one per line; `-` reads standard input
        #[arg(long, value_name = "FILE")]
        script: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// List the scenarios
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

fn find<'l>(library: &'l Library, id: &ItemId) -> Option<&'l Scenario> {
    library
        .decks
        .iter()
        .flat_map(|deck| &deck.topics)
        .filter(|topic| topic.id == id.topic)
        .flat_map(|topic| &topic.scenarios)
        .find(|scenario| scenario.id == id.item)
}

fn all_ids(library: &Library) -> Vec<String> {
    library
        .decks
        .iter()
        .flat_map(|deck| &deck.topics)
        .flat_map(|topic| {
            topic
                .scenarios
                .iter()
                .map(move |scenario| format!("{}/{}", topic.id, scenario.id))
        })
        .collect()
}

fn not_found(library: &Library, typed: &str, lang: Lang) -> CliError {
    let known = all_ids(library);
    let close = crate::text::did_you_mean(typed, known.iter().map(String::as_str));
    let typed = escape_controls(typed);
    CliError::Message(match (close, lang) {
        (Some(close), Lang::En) => format!("no scenario `{typed}`; did you mean `{close}`?"),
        (None, Lang::En) => format!("no scenario `{typed}` (`kubedrill scenario list` shows them)"),
        (Some(close), Lang::Ko) => {
            format!("`{typed}`라는 시나리오는 없습니다. 혹시 `{close}`인가요?")
        }
        (None, Lang::Ko) => {
            format!("`{typed}`라는 시나리오는 없습니다(목록: `kubedrill scenario list`)")
        }
    })
}

#[derive(Serialize)]
struct Shown<'a> {
    id: String,
    title: &'a str,
    difficulty: u8,
    task: &'a str,
    hints: usize,
    checks: usize,
}

#[derive(Serialize)]
struct Step {
    command: String,
    stdout: String,
    stderr: String,
    exit: i32,
}

#[derive(Serialize)]
struct Ran {
    id: String,
    steps: Vec<Step>,
    grade: crate::grade::GradeReport,
}

pub fn run(
    command: ScenarioCommand,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let language = lang.tag();
    let loaded = context.load_library();
    let library = &loaded.library;
    match command {
        ScenarioCommand::List { format } => {
            let ids = all_ids(library);
            if format == Format::Json {
                super::print_json(out, &ids)?;
            } else {
                for id in ids {
                    writeln!(out, "{id}")?;
                }
            }
            Ok(Outcome::Success)
        }
        ScenarioCommand::Show { id: typed, format } => {
            let id = ItemId::parse(&typed).map_err(CliError::Message)?;
            let scenario = find(library, &id).ok_or_else(|| not_found(library, &typed, lang))?;
            let shown = Shown {
                id: id.to_string(),
                title: scenario.title.get(language),
                difficulty: scenario.difficulty,
                task: scenario.task.get(language),
                hints: scenario.hints.len(),
                checks: scenario.checks.len(),
            };
            if format == Format::Json {
                super::print_json(out, &shown)?;
            } else {
                writeln!(
                    out,
                    "{} — {}  {}",
                    shown.id,
                    escape_controls(shown.title),
                    "★".repeat(usize::from(shown.difficulty))
                )?;
                writeln!(out)?;
                writeln!(out, "{}", escape_controls(shown.task.trim_end()))?;
                writeln!(out)?;
                writeln!(
                    out,
                    "{}",
                    match lang {
                        Lang::En => format!(
                            "Try it: kubedrill scenario run {} --script commands.txt (or in the app)",
                            shown.id
                        ),
                        Lang::Ko => format!(
                            "풀어 보기: kubedrill scenario run {} --script commands.txt (또는 앱에서)",
                            shown.id
                        ),
                    }
                )?;
            }
            Ok(Outcome::Success)
        }
        ScenarioCommand::Run {
            id: typed,
            script,
            format,
        } => {
            let id = ItemId::parse(&typed).map_err(CliError::Message)?;
            let scenario = find(library, &id).ok_or_else(|| not_found(library, &typed, lang))?;
            let text = match script.as_deref() {
                None => String::new(),
                Some(file) => super::check::read_input(std::path::Path::new(file))
                    .map_err(|error| CliError::read(file, error))?,
            };
            let (transcript, report) =
                crate::grade::scenario::run_script(&id, scenario, &text, language)
                    .map_err(CliError::Message)?;
            if format == Format::Json {
                let ran = Ran {
                    id: id.to_string(),
                    steps: transcript
                        .into_iter()
                        .map(|(command, output)| Step {
                            command,
                            stdout: output.stdout,
                            stderr: output.stderr,
                            exit: output.code,
                        })
                        .collect(),
                    grade: report.clone(),
                };
                super::print_json(out, &ran)?;
            } else {
                for (command, output) in &transcript {
                    writeln!(out, "$ {}", escape_controls(command))?;
                    out.write_all(escape_output(&output.stdout).as_bytes())?;
                    out.write_all(escape_output(&output.stderr).as_bytes())?;
                }
                if !transcript.is_empty() {
                    writeln!(out)?;
                }
                out.write_all(
                    report
                        .clone()
                        .localized(lang)
                        .render_checks(lang)
                        .as_bytes(),
                )?;
            }
            Ok(if report.passed {
                Outcome::Success
            } else {
                Outcome::Failure
            })
        }
    }
}

/// Output with control characters shown escaped, line breaks and tabs kept.
fn escape_output(text: &str) -> String {
    text.split('\n')
        .map(|line| escape_controls(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}
