//! `kubedrill deck add DIR` and `kubedrill deck remove ID`: what may be installed is decided by
//! `content::install`; this says what happened.

use std::io::{self, Write};
use std::path::Path;

use super::{describe_counts, display_path, summary_line};
use crate::cli::{CliError, Context, IoAction, Lang, Outcome};
use crate::content::install::{self, AddError, RemoveError};
use crate::diagnostic::{render_text, use_color};
use crate::text::escape_controls;

pub(super) fn add(
    path: &Path,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let decks_dir = context.decks_dir()?;
    let shown = display_path(path);
    let added = match install::add(path, &decks_dir) {
        Ok(added) => added,
        Err(AddError::HasErrors(report)) => {
            let color = use_color(io::IsTerminal::is_terminal(&io::stdout()));
            let source = &report.source;
            out.write_all(
                render_text(&report.problems, &shown, |file| source.text(file), color).as_bytes(),
            )?;
            writeln!(out, "{}", summary_line(&shown, &report))?;
            writeln!(
                out,
                "{}",
                lang.pick(
                    "Not installed: fix the errors above first.",
                    "설치하지 않았습니다. 위의 오류를 먼저 고치세요."
                )
            )?;
            return Ok(Outcome::Failure);
        }
        Err(AddError::Unreadable(error)) => return Err(CliError::said(error)),
        Err(AddError::BuiltInId(id)) => {
            return Err(CliError::Message(match lang {
                Lang::En => format!(
                    "`{id}` is the built-in deck's id; give your deck its own id in deck.toml (or study this folder in place with --deck {shown})"
                ),
                Lang::Ko => format!(
                    "`{id}`는 내장 덱의 id입니다. deck.toml에서 덱에 다른 id를 지정하세요(이 폴더를 그대로 쓰려면 --deck {shown})"
                ),
            }));
        }
        Err(AddError::IsInstalledCopy) => {
            return Err(CliError::Message(
                lang.pick(
                    "that folder is the installed copy itself; nothing to do",
                    "이 폴더가 이미 설치된 사본입니다. 할 일이 없습니다",
                )
                .to_string(),
            ));
        }
        Err(AddError::Io { decks_dir, error }) => {
            return Err(CliError::Io {
                action: IoAction::InstallInto,
                path: decks_dir,
                error,
            });
        }
    };
    let deck = added
        .report
        .deck
        .as_ref()
        .expect("an installed deck was loaded");
    let id = &deck.id;
    let counts = describe_counts(deck);
    let target = escape_controls(&added.target.display().to_string()).into_owned();
    writeln!(
        out,
        "{}",
        match (lang, added.replaced) {
            (Lang::En, false) => format!("Installed deck `{id}` ({counts}) into {target}."),
            (Lang::En, true) => {
                format!("Updated deck `{id}` ({counts}) in {target}; progress carries over.")
            }
            (Lang::Ko, false) => format!("`{id}` 덱({counts})을 {target}에 설치했습니다."),
            (Lang::Ko, true) => format!(
                "`{id}` 덱({counts})을 {target}에서 갱신했습니다. 진행 기록은 그대로 이어집니다."
            ),
        }
    )?;
    let warnings = added.report.warning_count();
    if warnings > 0 {
        let shown = escape_controls(&shown);
        writeln!(
            out,
            "{}",
            match lang {
                Lang::En => format!(
                    "{}: run `kubedrill deck check {shown}` to see them.",
                    crate::text::plural(warnings, "warning"),
                ),
                Lang::Ko =>
                    format!("경고 {warnings}개: `kubedrill deck check {shown}`로 확인하세요."),
            }
        )?;
    }
    Ok(Outcome::Success)
}

pub(super) fn remove(
    id: &str,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let decks_dir = context.decks_dir()?;
    let folder = install::remove_deck(&decks_dir, id).map_err(|error| match error {
        RemoveError::BuiltIn => CliError::Message(
            lang.pick(
                "the built-in deck is part of kubedrill and cannot be removed",
                "내장 덱은 kubedrill의 일부라서 제거할 수 없습니다",
            )
            .to_string(),
        ),
        // An id that names nothing is a usage error, as for `grade` and `watch`.
        RemoveError::NotInstalled { installed } => {
            let list = if installed.is_empty() {
                lang.pick("none", "없음").to_string()
            } else {
                installed.join(", ")
            };
            CliError::Message(match lang {
                Lang::En => format!("no installed deck has the id `{id}` (installed: {list})"),
                Lang::Ko => format!("id가 `{id}`인 설치된 덱이 없습니다 (설치된 덱: {list})"),
            })
        }
        RemoveError::Io { folder, error } => CliError::Io {
            action: IoAction::Remove,
            path: folder,
            error,
        },
    })?;
    let id = escape_controls(id);
    let folder = escape_controls(&folder.display().to_string()).into_owned();
    writeln!(
        out,
        "{}",
        match lang {
            Lang::En => format!(
                "Removed deck `{id}` ({folder}). Its progress is kept: `kubedrill deck add` it again to pick it up."
            ),
            Lang::Ko => format!(
                "`{id}` 덱을 제거했습니다 ({folder}). 진행 기록은 남아 있으니 `kubedrill deck add`로 다시 설치하면 이어집니다."
            ),
        }
    )?;
    Ok(Outcome::Success)
}
