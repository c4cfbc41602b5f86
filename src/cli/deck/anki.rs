//! `kubedrill deck import FILE --deck DIR` and `kubedrill deck export ID|DIR`: Anki's text
//! format in and out (`content::anki`).

use std::io::Write;
use std::path::Path;

use super::display_path;
use crate::cli::{CliError, Context, Lang, Outcome, say};
use crate::content;
use crate::text::escape_controls;

pub(super) fn import(
    file: &Path,
    into: &Path,
    topic: Option<&str>,
    language: Lang,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let shown_file = escape_controls(&file.display().to_string()).into_owned();
    if let Some(topic) = topic
        && let Err(why) = crate::model::Id::parse(topic)
    {
        return Err(CliError::Message(format!(
            "`{topic}` cannot be a topic id: {why}"
        )));
    }
    // An export is read like any file from a stranger: a regular file, bounded.
    let bytes = crate::bounded_read::regular_file(file, content::anki::MAX_EXPORT_BYTES).map_err(
        |error| match error {
            crate::bounded_read::ReadError::Io(error) => CliError::read(file, error),
            other => CliError::read(file, std::io::Error::other(other.to_string())),
        },
    )?;
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError::Message(match lang {
            Lang::En => format!("{shown_file} is not UTF-8 text (Anki writes UTF-8; re-export it)"),
            Lang::Ko => format!(
                "{shown_file}: UTF-8 텍스트가 아닙니다(Anki는 UTF-8로 내보냅니다. 다시 내보내세요)"
            ),
        })
    })?;
    let extension = file
        .extension()
        .map(|extension| extension.to_string_lossy().to_ascii_lowercase());
    let parsed = match content::anki::parse(&text, extension.as_deref()) {
        Ok(parsed) => parsed,
        // The file was read, and is not an export kubedrill can take: found wanting, exit 1.
        Err(error) => {
            say(&format!("{shown_file}:{}: {}", error.line, error.message));
            return Ok(Outcome::Failure);
        }
    };
    let (cards, warnings) = content::anki::cards(&parsed, topic);
    for warning in &warnings {
        writeln!(
            out,
            "warning: {shown_file}:{}: {}",
            warning.line,
            escape_controls(&warning.message)
        )?;
    }
    let summary =
        content::anki::import_into(into, &cards, language.tag()).map_err(CliError::said)?;
    let shown_deck = escape_controls(&display_path(into)).into_owned();
    writeln!(
        out,
        "{}",
        match lang {
            Lang::En => format!(
                "Imported {} from {shown_file} into {shown_deck}: {} added, {} updated, {} unchanged.",
                crate::text::plural(cards.len(), "card"),
                summary.added,
                summary.updated,
                summary.unchanged
            ),
            Lang::Ko => format!(
                "{shown_file}에서 카드 {}개를 {shown_deck}에 가져왔습니다: 추가 {}, 갱신 {}, 변경 없음 {}.",
                cards.len(),
                summary.added,
                summary.updated,
                summary.unchanged
            ),
        }
    )?;
    for topic in &summary.new_topics {
        writeln!(
            out,
            "{}",
            match lang {
                Lang::En => format!(
                    "New topic `{topic}`: added to deck.toml, with a lesson that lists its cards (topics/{topic}/lesson.*.md)."
                ),
                Lang::Ko => format!(
                    "새 주제 `{topic}`: deck.toml에 추가했고, 카드 목록이 담긴 레슨을 만들었습니다(topics/{topic}/lesson.*.md)."
                ),
            }
        )?;
    }
    // What the deck looks like now, as `deck check` would say.
    let report = content::check_and_prove(into);
    let outcome = match &report {
        Ok(report) if report.error_count() == 0 => Outcome::Success,
        _ => Outcome::Failure,
    };
    match report {
        Ok(report) => writeln!(out, "{}", super::summary_line(&display_path(into), &report))?,
        Err(error) => writeln!(out, "{}", escape_controls(&error.to_string()))?,
    }
    if outcome == Outcome::Failure {
        writeln!(
            out,
            "{}",
            match lang {
                Lang::En => format!("Run `kubedrill deck check {shown_deck}` to see the problems."),
                Lang::Ko =>
                    format!("문제를 보려면 `kubedrill deck check {shown_deck}`을 실행하세요."),
            }
        )?;
    }
    Ok(outcome)
}

pub(super) fn export(
    deck: &str,
    output: Option<&Path>,
    language: Lang,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    // A folder with a deck.toml is that deck; anything else is a loaded deck's id.
    let folder = Path::new(deck);
    let found = if folder.join("deck.toml").is_file() {
        content::check_and_prove(folder)
            .map_err(CliError::said)?
            .deck
    } else {
        context
            .load_library()
            .library
            .decks
            .into_iter()
            .find(|loaded| loaded.id.as_str() == deck)
    };
    let found = found.ok_or_else(|| {
        CliError::Message(match context.lang {
            Lang::En => format!(
                "no deck `{deck}`: give a loaded deck's id (`kubedrill deck list`) or a deck folder"
            ),
            Lang::Ko => format!(
                "`{deck}` 덱이 없습니다. 불러온 덱의 id(`kubedrill deck list`)나 덱 폴더를 주세요"
            ),
        })
    })?;
    let text = content::anki::export(&found, language.tag());
    let cards = found.counts().cards;
    match output {
        // Standard output may be a terminal: a card's escape sequences (an OSC 52 clipboard
        // write, ESC[2J) are shown escaped, like every other output. `-o FILE` keeps them as
        // the deck wrote them, for Anki.
        None => out.write_all(escape_controls(&text).as_bytes())?,
        Some(path) => {
            std::fs::write(path, &text).map_err(|error| CliError::write(path, error))?;
            let path = escape_controls(&path.display().to_string()).into_owned();
            writeln!(
                out,
                "{}",
                match context.lang {
                    Lang::En => format!(
                        "Wrote {} of deck `{}` to {path} (in Anki: File → Import).",
                        crate::text::plural(cards, "card"),
                        found.id,
                    ),
                    Lang::Ko => format!(
                        "`{}` 덱의 카드 {cards}개를 {path}에 썼습니다 (Anki에서 파일 → 가져오기).",
                        found.id,
                    ),
                }
            )?;
        }
    }
    Ok(Outcome::Success)
}
