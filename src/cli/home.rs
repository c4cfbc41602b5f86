//! `kubedrill` with no command: the terminal interface when run in a terminal; anywhere else
//! (a pipe, a build without the interface) what is loaded and which commands work, in the
//! learner's language. Also what could not be loaded, for every front end.

use std::io::{self, Write};

use super::{CliError, Context, Lang, Outcome};
use crate::content::{LoadProblem, LoadedLibrary};
use crate::text::escape_controls;

pub fn run(context: &Context, out: &mut impl Write) -> Result<Outcome, CliError> {
    #[cfg(feature = "tui")]
    if io::IsTerminal::is_terminal(&io::stdout()) && io::IsTerminal::is_terminal(&io::stdin()) {
        // Draw first: with every deck cached, Home's first frame comes from the decks'
        // outlines and the decks are read after it.
        if let Some(outline) = context.load_outline() {
            return interface_from_outline(context, outline);
        }
        return interface(context, context.load_library(), None);
    }
    let loaded = context.load_library();
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
) -> Result<Outcome, CliError> {
    let opened = context.opened()?;
    let warnings = problem_lines(&loaded, context.lang);
    crate::tui::run(
        loaded.library,
        warnings,
        opened.store,
        opened.moved_aside,
        context.lang,
        exam,
        None,
    )?;
    Ok(Outcome::Success)
}

/// The terminal interface drawn first from the decks' outlines, the decks read after its first
/// frame ([`crate::tui::run`]).
#[cfg(feature = "tui")]
fn interface_from_outline(
    context: &Context,
    outline: crate::model::Library,
) -> Result<Outcome, CliError> {
    let opened = context.opened()?;
    let read_decks = || {
        let loaded = context.load_library();
        let warnings = problem_lines(&loaded, context.lang);
        (loaded.library, warnings)
    };
    crate::tui::run(
        outline,
        Vec::new(),
        opened.store,
        opened.moved_aside,
        context.lang,
        None,
        Some(Box::new(read_decks)),
    )?;
    Ok(Outcome::Success)
}

/// One line per deck that could not be loaded cleanly, each a warning, then an empty line.
pub fn write_problem_summary(
    loaded: &LoadedLibrary,
    lang: Lang,
    out: &mut impl Write,
) -> io::Result<()> {
    let lines = problem_lines(loaded, lang);
    for line in &lines {
        writeln!(out, "{}{line}", lang.pick("warning: ", "경고: "))?;
    }
    if !lines.is_empty() {
        writeln!(out)?;
    }
    Ok(())
}

/// What could not be loaded, one line per deck, with the command that explains it.
fn problem_lines(loaded: &LoadedLibrary, lang: Lang) -> Vec<String> {
    loaded
        .problems()
        .into_iter()
        .map(|problem| match (problem, lang) {
            (LoadProblem::BuiltInBroken { errors, .. }, Lang::En) => format!(
                "the built-in deck has {errors} error(s), a bug in this build of kubedrill; its broken parts are left out. Please report it."
            ),
            (LoadProblem::BuiltInBroken { errors, .. }, Lang::Ko) => format!(
                "내장 덱에 오류가 {errors}개 있습니다. 이 kubedrill 빌드의 버그이며, 문제가 있는 부분은 제외했습니다. 제보해 주세요."
            ),
            // A deck whose id is taken is left out whole, not in part: say so, and say why.
            (LoadProblem::DuplicateDeck { origin, message, .. }, Lang::En) => format!(
                "{}: {}. Give it its own id in its deck.toml.",
                escape_controls(&origin),
                escape_controls(message)
            ),
            (LoadProblem::DuplicateDeck { origin, message, .. }, Lang::Ko) => format!(
                "{}: {}. deck.toml에서 이 덱에 고유한 id를 지정하세요.",
                escape_controls(&origin),
                escape_controls(&crate::i18n::localize(message, lang))
            ),
            (LoadProblem::Broken { origin, errors }, Lang::En) => {
                let origin = escape_controls(&origin);
                format!(
                    "deck {origin} has {errors} error(s); its broken parts are left out. Run `kubedrill deck check {origin}` for details."
                )
            }
            (LoadProblem::Broken { origin, errors }, Lang::Ko) => {
                let origin = escape_controls(&origin);
                format!(
                    "{origin} 덱에 오류가 {errors}개 있어 문제가 있는 부분은 제외했습니다. 자세한 내용은 `kubedrill deck check {origin}`으로 확인하세요."
                )
            }
            (LoadProblem::Unreadable(error), Lang::En) => format!(
                "cannot read deck {}",
                escape_controls(&error.to_string())
            ),
            (LoadProblem::Unreadable(error), Lang::Ko) => format!(
                "덱을 읽을 수 없습니다: {}",
                escape_controls(&error.to_string())
            ),
        })
        .collect()
}
