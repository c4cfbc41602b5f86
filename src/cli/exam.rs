//! `kubedrill exam`: a timed mock exam in the interface, or with `--plan` the tasks it would
//! hold, without starting it (the same seed gives the same exam).

use std::io::Write;

use clap::Args;

use super::{CliError, Context, Format, Lang, Outcome};
use crate::exam::{self, ExamOptions};
use crate::text::escape_controls;

#[derive(Debug, Args)]
pub struct ExamArgs {
    /// How long the exam lasts
    #[arg(long, default_value_t = exam::DEFAULT_MINUTES, value_name = "N")]
    pub minutes: u32,
    /// How many tasks it holds
    #[arg(long, default_value_t = exam::DEFAULT_TASKS, value_name = "N")]
    pub tasks: usize,
    /// Draw only from these topics (ids, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "TOPIC,…")]
    pub topics: Vec<String>,
    /// Replay an exam: the same seed draws the same tasks [default: a new one]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Print the tasks instead of starting the exam
    #[arg(long)]
    pub plan: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: &ExamArgs, context: &Context, out: &mut impl Write) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let loaded = context.load_library();
    let seed = args
        .seed
        .unwrap_or_else(|| exam::new_seed(jiff::Timestamp::now()));
    let options = ExamOptions {
        minutes: args.minutes,
        tasks: args.tasks,
        topics: args.topics.clone(),
        seed,
    };
    let plan = exam::plan(&loaded.library, &options).map_err(CliError::said)?;
    if args.plan {
        match args.format {
            Format::Json => super::print_json(out, &plan)?,
            Format::Text => {
                writeln!(
                    out,
                    "{}",
                    match lang {
                        Lang::En => format!(
                            "Mock exam, seed {}: {} in {} (pass line {:.0}%)",
                            plan.seed,
                            crate::text::plural(plan.tasks.len(), "task"),
                            crate::text::plural(plan.minutes as usize, "minute"),
                            exam::PASS_PERCENT
                        ),
                        Lang::Ko => format!(
                            "모의 시험, 시드 {}: {}분 동안 과제 {}개 (합격선 {:.0}%)",
                            plan.seed,
                            plan.minutes,
                            plan.tasks.len(),
                            exam::PASS_PERCENT
                        ),
                    }
                )?;
                // What each domain gives and weighs, when the decks have domains.
                for part in plan.domains.iter().filter(|part| part.domain.is_some()) {
                    let domain = loaded
                        .library
                        .decks
                        .iter()
                        .find(|deck| deck.id.as_str() == part.deck)
                        .zip(part.domain.as_ref())
                        .and_then(|(deck, id)| {
                            deck.domains.iter().find(|domain| domain.id.as_str() == id)
                        });
                    let title = domain.map_or_else(
                        || part.domain.clone().unwrap_or_default(),
                        |domain| domain.title.get(lang.tag()).to_string(),
                    );
                    let of_deck = match domain.and_then(|domain| domain.weight) {
                        Some(weight) if weight != part.weight => format!(" (CKA {weight}%)"),
                        _ => String::new(),
                    };
                    writeln!(
                        out,
                        "  {}: {}, {}%{of_deck}",
                        escape_controls(&title),
                        match lang {
                            Lang::En => crate::text::plural(part.tasks, "task"),
                            Lang::Ko => format!("과제 {}개", part.tasks),
                        },
                        part.weight
                    )?;
                }
                for (index, task) in plan.tasks.iter().enumerate() {
                    writeln!(
                        out,
                        "{:>3}. {:>3}%  {:<8}  {}",
                        index + 1,
                        task.weight,
                        task.kind.name(),
                        escape_controls(&task.key())
                    )?;
                }
            }
        }
        return Ok(Outcome::Success);
    }
    #[cfg(feature = "tui")]
    if std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::io::IsTerminal::is_terminal(&std::io::stdin())
    {
        return super::home::interface(context, loaded, Some(plan));
    }
    Err(CliError::Message(
        lang.pick(
            "the exam runs in a terminal; `kubedrill exam --plan` lists its tasks anywhere",
            "시험은 터미널에서 진행합니다. 과제 목록은 `kubedrill exam --plan`으로 어디서나 볼 수 있습니다",
        )
        .to_string(),
    ))
}
