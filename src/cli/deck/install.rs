//! `kubedrill deck add DIR` and `kubedrill deck remove ID`: what may be installed is decided by
//! `content::install`; this says what happened.

use std::io::{self, Write};
use std::path::Path;

use super::{describe_counts, display_path, write_problems};
use crate::cli::{CliError, Context, IoAction, Lang, Outcome};
use crate::content::git::{self, GitError, Origin};
use crate::content::install::{self, AddError, Changes, RemoveError, UpdateError, Updated};
use crate::diagnostic::use_color;
use crate::text::escape_controls;

pub(super) fn add(
    path: &Path,
    reference: Option<&str>,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let decks_dir = context.decks_dir()?;
    let shown = display_path(path);
    let source = path.to_string_lossy();
    let from_git = reference.is_some() || git::is_repository(&source);
    let result = if from_git {
        install::add_from_git(&source, reference, &decks_dir)
    } else {
        install::add(path, &decks_dir)
    };
    let added = match result {
        Ok(added) => added,
        Err(AddError::Git(error)) => return Err(git_error(&error, lang)),
        Err(AddError::HasErrors(report)) => {
            let color = use_color(io::IsTerminal::is_terminal(&io::stdout()));
            write_problems(out, &report, &shown, color)?;
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
    if let Some(origin) = &added.origin {
        writeln!(out, "{}", describe_origin(origin, lang))?;
        if path.is_dir() && git::has_uncommitted_changes(path) {
            let shown = escape_controls(&shown);
            writeln!(
                out,
                "{}",
                match lang {
                    Lang::En => format!(
                        "Note: {shown} has changes not committed; they are not installed (commit them and add it again, or study the working copy with `--deck {shown}`)."
                    ),
                    Lang::Ko => format!(
                        "참고: {shown}에 커밋하지 않은 변경이 있어 설치하지 않았습니다(커밋한 뒤 다시 추가하거나, 작업 사본은 `--deck {shown}`으로 공부하세요)."
                    ),
                }
            )?;
        }
    }
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
        RemoveError::NotInstalled { installed } => not_installed(id, &installed, lang),
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

/// Where a deck added from git came from: `From URL at commit C (branch main).`
pub(super) fn describe_origin(origin: &Origin, lang: Lang) -> String {
    let url = escape_controls(&origin.url);
    let commit = origin.short_commit();
    let what = match (&origin.reference, origin.kind.as_str(), lang) {
        (None, _, Lang::En) => "the default branch".to_string(),
        (None, _, Lang::Ko) => "기본 브랜치".to_string(),
        (Some(name), kind, Lang::En) => format!("{kind} {}", escape_controls(name)),
        (Some(name), kind, Lang::Ko) => format!(
            "{} {}",
            match kind {
                "branch" => "브랜치",
                "tag" => "태그",
                _ => "커밋",
            },
            escape_controls(name)
        ),
    };
    match lang {
        Lang::En => format!("From {url} at commit {commit} ({what})."),
        Lang::Ko => format!("{url}의 커밋 {commit}({what})에서 가져왔습니다."),
    }
}

fn git_error(error: &GitError, lang: Lang) -> CliError {
    match (error, lang) {
        (GitError::NoGit, Lang::Ko) => CliError::Message(
            "git이 설치되어 있지 않습니다(PATH에 없음). git으로 덱을 추가하려면 git을 설치하거나, 저장소를 직접 클론한 뒤 `kubedrill deck add DIR`을 쓰세요".to_string(),
        ),
        (GitError::NoSuchReference { url, reference }, Lang::Ko) => CliError::Message(format!(
            "{}: {}에 그런 브랜치, 태그, 커밋이 없습니다",
            escape_controls(reference),
            escape_controls(url)
        )),
        (GitError::Failed { action: _, target, message }, Lang::Ko) => CliError::Message(format!(
            "git이 {target}을(를) 가져오지 못했습니다: {message}. 아무것도 설치하거나 바꾸지 않았습니다"
        )),
        (GitError::Failed { .. }, Lang::En) => {
            CliError::Message(format!("{error}. Nothing was installed or changed"))
        }
        _ => CliError::said(error),
    }
}

/// `kubedrill deck update [DECK]`.
pub(super) fn update(
    deck: Option<&str>,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let decks_dir = context.decks_dir()?;
    let ids = match deck {
        Some(id) => vec![id.to_string()],
        None => install::from_git(&decks_dir),
    };
    if ids.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick(
                "No deck was added from git: nothing to update (`kubedrill deck add GIT-URL` adds one).",
                "git에서 추가한 덱이 없어 갱신할 것이 없습니다(`kubedrill deck add GIT-URL`로 추가합니다)."
            )
        )?;
        return Ok(Outcome::Success);
    }
    let mut outcome = Outcome::Success;
    for id in &ids {
        match install::update(&decks_dir, id) {
            Ok(Updated::UpToDate { id, origin }) => writeln!(
                out,
                "{}",
                match lang {
                    Lang::En => format!("`{id}` is up to date (commit {}).", origin.short_commit()),
                    Lang::Ko => format!("`{id}`는 최신입니다(커밋 {}).", origin.short_commit()),
                }
            )?,
            Ok(Updated::Installed {
                id,
                from,
                to,
                changes,
                ..
            }) => {
                writeln!(
                    out,
                    "{}",
                    match lang {
                        Lang::En => format!(
                            "Updated `{id}` from commit {} to {}:",
                            from.short_commit(),
                            to.short_commit()
                        ),
                        Lang::Ko => format!(
                            "`{id}`를 커밋 {}에서 {}(으)로 갱신했습니다:",
                            from.short_commit(),
                            to.short_commit()
                        ),
                    }
                )?;
                write_changes(&changes, lang, out)?;
            }
            Err(UpdateError::HasErrors {
                id,
                installed,
                fetched,
                report,
            }) => {
                let color = use_color(io::IsTerminal::is_terminal(&io::stdout()));
                let shown = format!("{id}@{}", fetched.short_commit());
                write_problems(out, &report, &shown, color)?;
                writeln!(
                    out,
                    "{}",
                    match lang {
                        Lang::En => format!(
                            "Not updated: commit {} of `{id}` has errors (above). The installed version (commit {}) keeps working.",
                            fetched.short_commit(),
                            installed.short_commit()
                        ),
                        Lang::Ko => format!(
                            "갱신하지 않았습니다. `{id}`의 커밋 {}에 오류가 있습니다(위). 설치된 버전(커밋 {})은 그대로 쓸 수 있습니다.",
                            fetched.short_commit(),
                            installed.short_commit()
                        ),
                    }
                )?;
                outcome = Outcome::Failure;
            }
            Err(error) => {
                let error = update_error(error, lang);
                if deck.is_some() {
                    return Err(error);
                }
                writeln!(out, "{}", error.message(lang))?;
                outcome = Outcome::Failure;
            }
        }
    }
    Ok(outcome)
}

fn write_changes(changes: &Changes, lang: Lang, out: &mut impl Write) -> io::Result<()> {
    if changes.is_empty() {
        return writeln!(
            out,
            "  {}",
            lang.pick(
                "no item changed (lessons or deck settings may have)",
                "바뀐 항목이 없습니다(레슨이나 덱 설정은 바뀌었을 수 있습니다)"
            )
        );
    }
    let groups = [
        ("+", &changes.added, ("added", "추가")),
        (
            "~",
            &changes.changed,
            ("changed, progress kept", "변경, 진행 기록 유지"),
        ),
        (
            "-",
            &changes.removed,
            (
                "removed, progress archived (`deck orphans`)",
                "삭제, 진행 기록 보관(`deck orphans`)",
            ),
        ),
    ];
    for (mark, ids, (en, ko)) in groups {
        if ids.is_empty() {
            continue;
        }
        writeln!(out, "  {} ({}):", lang.pick(en, ko), ids.len())?;
        for id in ids {
            writeln!(out, "    {mark} {}", escape_controls(id))?;
        }
    }
    Ok(())
}

fn update_error(error: UpdateError, lang: Lang) -> CliError {
    match error {
        UpdateError::NotInstalled { id, installed } => not_installed(&id, &installed, lang),
        UpdateError::NotFromGit { id, .. } => CliError::Message(match lang {
            Lang::En => format!(
                "`{id}` was installed from a folder, not from git: `kubedrill deck add DIR` again to update it"
            ),
            Lang::Ko => format!(
                "`{id}`는 git이 아니라 폴더에서 설치했습니다. 갱신하려면 `kubedrill deck add DIR`을 다시 실행하세요"
            ),
        }),
        UpdateError::Git { id, error } => match git_error(&error, lang) {
            CliError::Message(message) => CliError::Message(format!("{id}: {message}")),
            other => other,
        },
        UpdateError::Unreadable { id, error } => CliError::Message(format!("{id}: {error}")),
        UpdateError::IdChanged { id, new_id } => CliError::Message(match lang {
            Lang::En => format!(
                "the repository of `{id}` now holds deck `{new_id}`: not updated (progress is kept by deck id); `kubedrill deck add` it as a new deck"
            ),
            Lang::Ko => format!(
                "`{id}`의 저장소에 이제 `{new_id}` 덱이 있어 갱신하지 않았습니다(진행 기록은 덱 id로 이어집니다). 새 덱으로 `kubedrill deck add` 하세요"
            ),
        }),
        UpdateError::HasErrors { id, .. } => CliError::Message(format!("{id}: has errors")),
        UpdateError::Io { folder, error } => CliError::Io {
            action: IoAction::InstallInto,
            path: folder,
            error,
        },
    }
}

/// No installed deck has `id`: said with the ids that are installed (a usage error).
fn not_installed(id: &str, installed: &[String], lang: Lang) -> CliError {
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
