//! `kubedrill grade ID FILE` (an exercise answer) and `kubedrill grade ID --command '…'` (a
//! kubectl drill), per the CLI contract (design.md §4): exit 0 passed, 1 not passed, 2 when
//! the id or the file cannot be found.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;

use super::{CliError, Context, Format, Lang, Outcome, say};
use crate::diagnostic::use_color;
use crate::grade::{self, Images};
use crate::manifest::Version;
use crate::model::{Deck, ItemId, ItemRef, Library};
use crate::study;
use crate::text::escape_controls;

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// The exercise or drill, as TOPIC/ITEM (`configmaps/app-config-envfrom`)
    #[arg(value_name = "ID")]
    pub id: String,
    /// The answer file for an exercise (YAML); `-` reads standard input
    #[arg(value_name = "FILE", conflicts_with = "command")]
    pub file: Option<PathBuf>,
    /// The typed command, for a drill
    #[arg(long, value_name = "'COMMAND'")]
    pub command: Option<String>,
    /// For a parameterized exercise or drill: grade against variant N (from 1); by default
    /// the variant you would see now in the app
    #[arg(long, value_name = "N")]
    pub variant: Option<usize>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: &GradeArgs, context: &Context, out: &mut impl Write) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let id = ItemId::parse(&args.id).map_err(CliError::Message)?;
    let loaded = context.load_library();
    let (deck, item, shadowed) = lookup(&loaded.library, &id)
        .ok_or_else(|| CliError::Message(not_found_in(&loaded.library, &args.id, lang)))?;
    if !shadowed.is_empty() {
        let others = shadowed
            .iter()
            .map(|other| format!("`{other}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let (typed, deck) = (&args.id, &deck.id);
        say(&match lang {
            Lang::En => format!(
                "note: grading `{typed}` from deck `{deck}`; the same id is also in {others}"
            ),
            Lang::Ko => format!(
                "참고: `{typed}`를 `{deck}` 덱에서 채점합니다. 같은 id가 {others}에도 있습니다"
            ),
        });
    }
    let index = super::variant::choose(context, deck, &id, item, args.variant)?;
    if args.format == Format::Text
        && let Some(variant) = super::variant::describe(lang, item, index)
    {
        say(&format!("{} {variant}", lang.pick("grading", "채점:")));
    }
    let item = item.variant(index);
    let language = lang.tag();
    let report = match (item, &args.file, &args.command) {
        (ItemRef::Exercise(exercise), Some(file), _) => {
            let answer =
                super::check::read_input(file).map_err(|error| CliError::read(file, error))?;
            let images = Images::built_in().with(&deck.images);
            let report =
                grade::grade_exercise(&id, exercise, &images, &answer, language, Version::pinned());
            if args.format == Format::Text {
                let color = use_color(io::IsTerminal::is_terminal(&io::stdout()));
                let shown = if file.as_os_str() == "-" {
                    "<stdin>".to_string()
                } else {
                    file.to_string_lossy().into_owned()
                };
                // Text is for a person: in their language (JSON stays English, for tools).
                let shown_report = report.clone().localized(lang);
                out.write_all(
                    crate::manifest::diagnostic::render_text(
                        &shown_report.diagnostics,
                        &shown,
                        &answer,
                        color,
                        lang,
                    )
                    .as_bytes(),
                )?;
            }
            report
        }
        (ItemRef::Drill(drill), _, Some(command)) => {
            grade::command::grade_drill(&id, drill, command, language)
        }
        (ItemRef::Exercise(_), None, _) => {
            return Err(CliError::Message(match lang {
                Lang::En => {
                    format!("`{id}` is an exercise: give the answer file (or - for standard input)")
                }
                Lang::Ko => format!("`{id}`는 YAML 실습입니다: 답 파일을 주세요(표준 입력은 -)"),
            }));
        }
        (ItemRef::Drill(_), _, None) => {
            return Err(CliError::Message(match lang {
                Lang::En => {
                    format!("`{id}` is a drill: give the command with --command '…'")
                }
                Lang::Ko => {
                    format!("`{id}`는 명령어 연습입니다: --command '…'로 명령어를 주세요")
                }
            }));
        }
        (other, _, _) => {
            return Err(CliError::Message(match lang {
                Lang::En => format!(
                    "`{id}` is a {}, which is studied in the app, not graded here",
                    other.kind().name()
                ),
                Lang::Ko => format!(
                    "`{id}`: {} 항목은 앱에서 학습하며, 여기서는 채점하지 않습니다",
                    kind_ko(other.kind())
                ),
            }));
        }
    };
    match args.format {
        Format::Json => super::print_json(out, &report)?,
        Format::Text => {
            let shown = report.clone().localized(lang);
            out.write_all(shown.render_checks(lang).as_bytes())?;
            if matches!(item, ItemRef::Drill(_)) {
                // A drill's diagnostics are the flags it left out, and why.
                for warning in &shown.diagnostics {
                    writeln!(out, "  ! {}", escape_controls(&warning.message))?;
                }
            }
            if let (ItemRef::Drill(drill), false) = (item, report.passed)
                && let Some(explain) = &drill.explain
            {
                writeln!(out, "  = {}", escape_controls(explain.get(language)))?;
            }
            // A grade here is a check, not study: say so, on stderr so scripts read stdout as
            // before, and say where it would count.
            let id = &args.id;
            say(&match (lang, item) {
                (Lang::En, ItemRef::Exercise(_)) => format!(
                    "note: not recorded in your progress; `kubedrill watch {id}` (or the app) records attempts and schedules reviews"
                ),
                (Lang::En, _) => format!(
                    "note: not recorded in your progress; drills count when done in the app (`kubedrill`, then / and `{id}`)"
                ),
                (Lang::Ko, ItemRef::Exercise(_)) => format!(
                    "참고: 진행 기록에는 남지 않습니다. `kubedrill watch {id}`(또는 앱)에서 풀면 시도가 기록되고 복습 일정이 잡힙니다"
                ),
                (Lang::Ko, _) => format!(
                    "참고: 진행 기록에는 남지 않습니다. 명령어 연습은 앱에서 풀 때 기록됩니다(`kubedrill`에서 /로 `{id}` 검색)"
                ),
            });
        }
    }
    Ok(if report.passed {
        Outcome::Success
    } else {
        Outcome::Failure
    })
}

/// The item `id` names, and the other decks with the same id ([`study::find_item`]).
pub(super) fn lookup<'l>(
    library: &'l Library,
    id: &ItemId,
) -> Option<(&'l Deck, ItemRef<'l>, Vec<String>)> {
    study::find_item(library, id)
}

/// Why `typed` names no exercise or drill, with the closest id when there is one.
pub(super) fn not_found_in(library: &Library, typed: &str, lang: Lang) -> String {
    let known = study::gradable_ids(library);
    let close = crate::text::did_you_mean(typed, known.iter().map(String::as_str));
    let typed = escape_controls(typed);
    match (close, lang) {
        (Some(close), Lang::En) => {
            format!("no exercise or drill `{typed}`; did you mean `{close}`?")
        }
        (None, Lang::En) => {
            format!("no exercise or drill `{typed}` (`kubedrill deck list` shows the decks)")
        }
        (Some(close), Lang::Ko) => {
            format!("`{typed}`라는 실습이나 명령어 연습은 없습니다. 혹시 `{close}`인가요?")
        }
        (None, Lang::Ko) => {
            format!("`{typed}`라는 실습이나 명령어 연습은 없습니다(덱 목록: `kubedrill deck list`)")
        }
    }
}

/// An item kind's Korean name, as the interface says it.
pub(super) fn kind_ko(kind: crate::model::ItemKind) -> &'static str {
    use crate::model::ItemKind;
    match kind {
        ItemKind::Card => "카드",
        ItemKind::Question => "퀴즈",
        ItemKind::Drill => "명령어 연습",
        ItemKind::Exercise => "YAML 실습",
        ItemKind::Scenario => "트러블슈팅 시나리오",
    }
}
