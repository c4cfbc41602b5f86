//! `kubedrill` with no command. Until the terminal interface lands (its own issue), this shows
//! what is loaded and which commands work, in the learner's language.

use std::io::{self, Write};

use super::{Context, Lang, Outcome};
use crate::content::LoadedLibrary;
use crate::model::DeckOrigin;
use crate::text::escape_controls;

pub fn run(context: &Context, out: &mut impl Write) -> io::Result<Outcome> {
    let loaded = context.load_library();
    #[cfg(feature = "tui")]
    if io::IsTerminal::is_terminal(&io::stdout()) && io::IsTerminal::is_terminal(&io::stdin()) {
        return interface(context, loaded, None);
    }
    let lang = context.lang;
    writeln!(out, "kubedrill {}\n", crate::VERSION_TEXT)?;
    for deck in &loaded.library.decks {
        writeln!(
            out,
            "{}  {}",
            deck.id,
            escape_controls(deck.title.get(lang.tag()))
        )?;
        for topic in &deck.topics {
            let counts = topic.counts();
            let summary = match lang {
                Lang::En => format!(
                    "{} cards, {} questions, {} drills, {} exercises",
                    counts.cards, counts.questions, counts.drills, counts.exercises
                ),
                Lang::Ko => format!(
                    "카드 {}개, 퀴즈 {}개, 명령어 연습 {}개, YAML 실습 {}개",
                    counts.cards, counts.questions, counts.drills, counts.exercises
                ),
            };
            writeln!(
                out,
                "  {:<18} {}  ({summary})",
                topic.id.as_str(),
                escape_controls(topic.title.get(lang.tag()))
            )?;
        }
        writeln!(out)?;
    }
    write_problem_summary(&loaded, lang, out)?;
    let screens = if cfg!(feature = "tui") {
        lang.pick(
            "The study screens open when kubedrill runs in a terminal; here it lists what is loaded.",
            "학습 화면은 터미널에서 실행할 때 열립니다. 여기서는 불러온 내용만 보여 줍니다.",
        )
    } else {
        lang.pick(
            "This build has no study screens (it was built without the `tui` feature).",
            "이 빌드에는 학습 화면이 없습니다(`tui` 기능 없이 빌드됨).",
        )
    };
    writeln!(
        out,
        "{screens} {}\n  \
         kubedrill due               {}\n  \
         kubedrill stats             {}\n  \
         kubedrill check FILE        {}\n  \
         kubedrill --help            {}",
        lang.pick(
            "Commands that work anywhere:",
            "어디서나 쓸 수 있는 명령어:"
        ),
        lang.pick("what is due today", "오늘 할 항목"),
        lang.pick("progress and mastery", "진도와 숙련도"),
        lang.pick("check a Kubernetes manifest", "Kubernetes 매니페스트 검사"),
        lang.pick("every command and option", "모든 명령어와 옵션"),
    )?;
    Ok(Outcome::Success)
}

/// Starts the terminal interface (on an exam's intro when one is given); what could not be
/// loaded is listed on its Home screen.
#[cfg(feature = "tui")]
pub(crate) fn interface(
    context: &Context,
    loaded: LoadedLibrary,
    exam: Option<crate::exam::ExamPlan>,
) -> io::Result<Outcome> {
    let Some(opened) = context.open_quietly() else {
        return Ok(Outcome::Error);
    };
    let mut summary = Vec::new();
    write_problem_summary(&loaded, context.lang, &mut summary)?;
    let warnings: Vec<String> = String::from_utf8_lossy(&summary)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            line.trim_start_matches("warning: ")
                .trim_start_matches("경고: ")
                .to_string()
        })
        .collect();
    crate::tui::run(
        loaded.library,
        warnings,
        opened.store,
        opened.moved_aside,
        context.lang,
        exam,
    )?;
    Ok(Outcome::Success)
}

/// One line per deck that could not be loaded cleanly, with the command that explains it.
pub fn write_problem_summary(
    loaded: &LoadedLibrary,
    lang: Lang,
    out: &mut impl Write,
) -> io::Result<()> {
    for report in &loaded.reports {
        let errors = report.error_count();
        if errors == 0 {
            continue;
        }
        if report.source.origin == DeckOrigin::BuiltIn {
            // The tests keep the built-in deck clean, so this is a bug in this build.
            match lang {
                Lang::En => writeln!(
                    out,
                    "warning: the built-in deck has {errors} error(s), a bug in this build of kubedrill; its broken parts are left out. Please report it."
                )?,
                Lang::Ko => writeln!(
                    out,
                    "경고: 내장 덱에 오류가 {errors}개 있습니다. 이 kubedrill 빌드의 버그이며, 문제가 있는 부분은 제외했습니다. 제보해 주세요."
                )?,
            }
            continue;
        }
        let origin = escape_controls(&report.source.origin.to_string()).into_owned();
        // A deck whose id is taken is left out whole, not in part: say so, and say why.
        if let Some(duplicate) = report
            .problems
            .iter()
            .find(|problem| problem.rule == "duplicate-deck")
        {
            let message = escape_controls(&duplicate.message);
            match lang {
                Lang::En => writeln!(
                    out,
                    "warning: {origin}: {message}. Give it its own id in its deck.toml."
                )?,
                Lang::Ko => writeln!(
                    out,
                    "경고: {origin}: {}. deck.toml에서 이 덱에 고유한 id를 지정하세요.",
                    crate::i18n::localize(&duplicate.message, lang)
                )?,
            }
            continue;
        }
        match lang {
            Lang::En => writeln!(
                out,
                "warning: deck {origin} has {errors} error(s); its broken parts are left out. Run `kubedrill deck check {origin}` for details."
            )?,
            Lang::Ko => writeln!(
                out,
                "경고: {origin} 덱에 오류가 {errors}개 있어 문제가 있는 부분은 제외했습니다. 자세한 내용은 `kubedrill deck check {origin}`으로 확인하세요."
            )?,
        }
    }
    for error in &loaded.unreadable {
        match lang {
            Lang::En => writeln!(
                out,
                "warning: cannot read deck {}",
                escape_controls(&error.to_string())
            )?,
            Lang::Ko => writeln!(
                out,
                "경고: 덱을 읽을 수 없습니다: {}",
                escape_controls(&error.to_string())
            )?,
        }
    }
    if !loaded.reports.is_empty() || !loaded.unreadable.is_empty() {
        writeln!(out)?;
    }
    Ok(())
}
