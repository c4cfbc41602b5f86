//! `kubedrill show ID`: an exercise's or a drill's task without the interface, for scripts,
//! editors and a learner who works in their own terminal (`--starter` prints the file to start
//! from, ready to redirect). Hints and solutions stay in the interface and `watch`, where using
//! one is recorded.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{CliError, Context, Format, Lang, Outcome};
use crate::model::{ItemId, ItemRef};
use crate::text::escape_controls;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The exercise or drill, as TOPIC/ITEM (`configmaps/app-config-envfrom`)
    #[arg(value_name = "ID")]
    pub id: String,
    /// Print only the manifest to start from (`> answer.yaml`): the exercise's starter, or a
    /// comment when it is written from nothing
    #[arg(long, conflicts_with = "format")]
    pub starter: bool,
    /// For a parameterized exercise or drill: show variant N (from 1); by default the variant
    /// you would see now in the app
    #[arg(long, value_name = "N")]
    pub variant: Option<usize>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `show --format json`.
#[derive(Debug, Serialize)]
struct Shown<'a> {
    id: String,
    deck: &'a str,
    kind: &'static str,
    title: Option<&'a str>,
    /// 1 (easy) to 3 (hard), for an exercise.
    difficulty: Option<u8>,
    /// The task, as Markdown.
    task: &'a str,
    /// Resources the task assumes exist already (YAML).
    given: Option<&'a str>,
    starter: Option<&'a str>,
    hints: usize,
    checks: usize,
    /// For a parameterized item: which variant this is (from 1), of how many, and its values.
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<ShownVariant>,
}

#[derive(Debug, Serialize)]
struct ShownVariant {
    number: usize,
    count: usize,
    values: String,
}

pub fn run(args: &ShowArgs, context: &Context, out: &mut impl Write) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let id = ItemId::parse(&args.id).map_err(CliError::Message)?;
    let loaded = context.load_library();
    let (deck, item, _) = super::grade::lookup(&loaded.library, &id).ok_or_else(|| {
        CliError::Message(super::grade::not_found_in(&loaded.library, &args.id, lang))
    })?;
    let index = super::variant::choose(context, deck, &id, item, args.variant)?;
    let variant = item.variant_label(index).map(|label| ShownVariant {
        number: index + 1,
        count: item.variant_count(),
        values: label.to_string(),
    });
    let described = super::variant::describe(lang, item, index);
    let item = item.variant(index);
    let language = lang.tag();
    let shown = match item {
        ItemRef::Exercise(exercise) => Shown {
            id: id.to_string(),
            deck: deck.id.as_str(),
            kind: "exercise",
            title: Some(exercise.title.get(language)),
            difficulty: Some(exercise.difficulty),
            task: exercise.prompt.get(language),
            given: exercise.given.as_deref(),
            starter: exercise.starter.as_deref(),
            hints: exercise.hints.len(),
            checks: exercise.checks.len(),
            variant,
        },
        ItemRef::Drill(drill) => Shown {
            id: id.to_string(),
            deck: deck.id.as_str(),
            kind: "drill",
            title: None,
            difficulty: None,
            task: drill.prompt.get(language),
            given: None,
            starter: None,
            hints: 0,
            checks: 1,
            variant,
        },
        other => {
            return Err(CliError::Message(match lang {
                Lang::En => format!(
                    "`{id}` is a {}, which is studied in the app: `show` prints exercises and drills",
                    other.kind().name()
                ),
                Lang::Ko => format!(
                    "`{id}`: {} 항목은 앱에서 학습합니다. `show`는 YAML 실습과 명령어 연습을 보여 줍니다",
                    super::grade::kind_ko(other.kind())
                ),
            }));
        }
    };
    if args.starter {
        let starter = match shown.starter {
            Some(starter) => escape_controls(starter).into_owned(),
            // An exercise written from nothing starts from a comment that says what next.
            None if shown.kind == "exercise" => match lang {
                Lang::En => {
                    format!("# Write your answer here, then: kubedrill grade {id} answer.yaml\n")
                }
                Lang::Ko => {
                    format!("# 여기에 답을 쓰고 채점하세요: kubedrill grade {id} answer.yaml\n")
                }
            },
            None => String::new(),
        };
        out.write_all(starter.as_bytes())?;
        if !starter.is_empty() && !starter.ends_with('\n') {
            writeln!(out)?;
        }
        return Ok(Outcome::Success);
    }
    if args.format == Format::Json {
        super::print_json(out, &shown)?;
        return Ok(Outcome::Success);
    }
    let stars = shown.difficulty.map_or_else(String::new, |level| {
        format!(" {}", "★".repeat(level.into()))
    });
    match shown.title {
        Some(title) => writeln!(out, "{}{stars}  ({id})", escape_controls(title))?,
        None => writeln!(out, "{id}")?,
    }
    if let Some(described) = described {
        writeln!(out, "{described}")?;
    }
    writeln!(out)?;
    writeln!(out, "{}", crate::text::markdown_plain(shown.task))?;
    if let Some(given) = shown.given {
        writeln!(
            out,
            "\n{}\n{}",
            lang.pick("Already in the cluster:", "클러스터에 이미 있는 리소스:"),
            escape_controls(given.trim_end())
        )?;
    }
    writeln!(out)?;
    let next = match (shown.kind, lang) {
        ("drill", Lang::En) => format!("Answer with: kubedrill grade {id} --command '…'"),
        ("drill", Lang::Ko) => format!("답하기: kubedrill grade {id} --command '…'"),
        (_, Lang::En) => format!(
            "Start from: kubedrill show {id} --starter > answer.yaml · grade it: kubedrill grade {id} answer.yaml · or on every save: kubedrill watch {id} ({} there)",
            crate::text::plural(shown.hints, "hint")
        ),
        (_, Lang::Ko) => format!(
            "시작 파일: kubedrill show {id} --starter > answer.yaml · 채점: kubedrill grade {id} answer.yaml · 저장할 때마다 채점: kubedrill watch {id} (힌트 {}개)",
            shown.hints
        ),
    };
    writeln!(out, "{next}")?;
    Ok(Outcome::Success)
}
