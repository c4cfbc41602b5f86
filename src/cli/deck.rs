//! `kubedrill deck …`: the instructor's and the learner's view of decks: check, new, list, add,
//! remove, orphans.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;

use super::{Context, Format, Lang, Outcome};
use crate::content::{self, DeckReport};
use crate::diagnostic::{render_text, use_color};
use crate::model::{Deck, ItemCounts};
use crate::text::escape_controls;

#[derive(Debug, Subcommand)]
pub enum DeckCommand {
    /// Check deck folders and report every problem with file:line:column
    ///
    /// Exits 0 when every deck is clean (warnings allowed), 1 when any has an error,
    /// 2 when a folder cannot be read.
    Check {
        /// Deck folders (each holds a deck.toml)
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Create a new deck folder holding one example of every kind of item
    ///
    /// The example is the one of the deck format reference; it passes `deck check` as written.
    New {
        /// The folder to create (it may exist, but must be empty)
        #[arg(value_name = "DIR")]
        path: PathBuf,
        /// The deck's stable id [default: from the folder name]
        #[arg(long)]
        id: Option<String>,
        /// The deck's English title [default: the example's]
        #[arg(long)]
        title: Option<String>,
    },
    /// Study a deck folder in a throwaway session that reloads whenever a file changes
    ///
    /// Progress is kept in memory only. What `deck check` finds is listed on Home and updates
    /// on every save; `R` reloads by hand where file events do not arrive (some network and WSL
    /// folders).
    Preview {
        #[arg(value_name = "DIR")]
        path: PathBuf,
    },
    /// Install a deck folder for everyday study (a checked copy under the data folder)
    ///
    /// A deck with errors is not installed. Installing a deck again replaces the installed copy;
    /// progress is keyed by the deck id, so it carries over.
    Add {
        #[arg(value_name = "DIR")]
        path: PathBuf,
    },
    /// Uninstall a deck by id (its progress is kept; adding it again picks it up)
    Remove {
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Import cards from an Anki text export (.txt, .tsv, .csv) into the deck folder --deck DIR
    ///
    /// Create the deck first with `deck new`. Reads Anki's headers (#separator, #html, #tags, #columns, #deck/#tags/#guid/#notetype
    /// column). A note's GUID becomes the card's id, so importing the file again updates its
    /// cards instead of adding copies. Cards are never removed.
    Import {
        /// The Anki text file
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Put every card in this topic [default: each note's Anki deck name, else `imported`]
        #[arg(long)]
        topic: Option<String>,
        /// The language the cards are written in
        #[arg(long, value_enum, default_value = "en")]
        language: Lang,
    },
    /// Export a deck's cards for Anki (tab-separated text with HTML fields and GUIDs)
    Export {
        /// A loaded deck's id, or a deck folder
        #[arg(value_name = "ID|DIR")]
        deck: String,
        #[arg(long, value_enum, default_value_t)]
        format: ExportFormat,
        /// Write to this file instead of standard output
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// The language of the exported text
        #[arg(long, value_enum, default_value = "en")]
        language: Lang,
    },
    /// List the decks kubedrill studies from: built-in, installed, and --deck folders
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// List progress kept for items no loaded deck has any more (renamed or removed ids)
    Orphans {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// Formats `deck export` writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Anki's text format: tab-separated, with headers, HTML fields and GUIDs
    #[default]
    AnkiTsv,
}

pub fn run(command: DeckCommand, context: &Context, out: &mut impl Write) -> io::Result<Outcome> {
    match command {
        DeckCommand::Check { paths, format } => check(&paths, format, out),
        DeckCommand::New { path, id, title } => new(&path, id, title.as_deref(), context, out),
        DeckCommand::Preview { path } => preview(&path, context),
        DeckCommand::Add { path } => add(&path, context, out),
        DeckCommand::Remove { id } => remove(&id, context, out),
        DeckCommand::Import {
            file,
            topic,
            language,
        } => match context.decks.as_slice() {
            [into] => import(&file, into, topic.as_deref(), language, context, out),
            _ => {
                eprintln!(
                    "kubedrill: {}",
                    context.lang.pick(
                        "say which deck folder to import into, once: `kubedrill deck import FILE --deck DIR`",
                        "가져올 덱 폴더를 한 번 지정하세요: `kubedrill deck import FILE --deck DIR`"
                    )
                );
                Ok(Outcome::Error)
            }
        },
        DeckCommand::Export {
            deck,
            format: ExportFormat::AnkiTsv,
            output,
            language,
        } => export(&deck, output.as_deref(), language, context, out),
        DeckCommand::List { format } => list(context, format, out),
        DeckCommand::Orphans { format } => orphans(context, format, out),
    }
}

/// Reads, validates and proves one deck folder (what `deck check` reports for it).
fn checked(path: &std::path::Path) -> Result<DeckReport, content::SourceError> {
    let mut report = content::check_dir(path)?;
    // Content is code: prove every exercise with the grader itself.
    if let Some(deck) = &report.deck {
        report.problems.extend(crate::grade::prove::prove(
            deck,
            crate::manifest::Version::pinned(),
        ));
        report
            .problems
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    }
    Ok(report)
}

fn new(
    path: &std::path::Path,
    id: Option<String>,
    title: Option<&str>,
    context: &Context,
    out: &mut impl Write,
) -> io::Result<Outcome> {
    let lang = context.lang;
    let id = id.unwrap_or_else(|| {
        let name = path
            .canonicalize()
            .ok()
            .and_then(|full| {
                full.file_name()
                    .map(|name| name.to_string_lossy().into_owned())
            })
            .or_else(|| {
                path.file_name()
                    .map(|name| name.to_string_lossy().into_owned())
            })
            .unwrap_or_default();
        content::scaffold::id_from_name(&name)
    });
    match content::scaffold::write_new_deck(path, &id, title) {
        Err(error) => {
            eprintln!("kubedrill: {}", escape_controls(&error.to_string()));
            Ok(Outcome::Error)
        }
        Ok(files) => {
            let shown = escape_controls(&display_path(path)).into_owned();
            // As it would be typed in a shell (a folder name with a space is quoted).
            let typed = shlex::try_quote(&shown)
                .map_or_else(|_| shown.clone(), |quoted| quoted.into_owned());
            writeln!(
                out,
                "{}",
                match lang {
                    Lang::En => format!("Created deck `{id}` in {shown}:"),
                    Lang::Ko => format!("{shown}에 `{id}` 덱을 만들었습니다:"),
                }
            )?;
            for file in files {
                writeln!(out, "  {file}")?;
            }
            writeln!(
                out,
                "\n{}",
                match lang {
                    Lang::En => format!(
                        "Next: edit the files, then `kubedrill deck check {typed}` to prove them, `kubedrill deck preview {typed}` to try them, and `kubedrill deck add {typed}` to install the deck."
                    ),
                    Lang::Ko => format!(
                        "다음 단계: 파일을 고친 뒤 `kubedrill deck check {typed}`으로 검사하고, `kubedrill deck preview {typed}`으로 직접 풀어 보고, `kubedrill deck add {typed}`으로 설치하세요."
                    ),
                }
            )?;
            Ok(Outcome::Success)
        }
    }
}

fn preview(path: &std::path::Path, context: &Context) -> io::Result<Outcome> {
    let lang = context.lang;
    if !path.is_dir() {
        eprintln!(
            "kubedrill: {}",
            match lang {
                Lang::En => format!(
                    "{} is not a folder",
                    escape_controls(&path.display().to_string())
                ),
                Lang::Ko => format!(
                    "{}: 폴더가 아닙니다",
                    escape_controls(&path.display().to_string())
                ),
            }
        );
        return Ok(Outcome::Error);
    }
    #[cfg(feature = "tui")]
    {
        if io::IsTerminal::is_terminal(&io::stdout()) && io::IsTerminal::is_terminal(&io::stdin()) {
            crate::tui::preview(path, &display_path(path), lang)?;
            return Ok(Outcome::Success);
        }
    }
    eprintln!(
        "kubedrill: {}",
        lang.pick(
            "deck preview needs a terminal (and a build with the interface); `kubedrill deck check DIR` reports the same problems as text",
            "deck preview는 터미널(그리고 인터페이스가 포함된 빌드)이 필요합니다. 같은 문제를 텍스트로 보려면 `kubedrill deck check DIR`을 쓰세요",
        )
    );
    Ok(Outcome::Error)
}

fn add(path: &std::path::Path, context: &Context, out: &mut impl Write) -> io::Result<Outcome> {
    let lang = context.lang;
    let Some(decks_dir) = context.installed_decks() else {
        eprintln!(
            "kubedrill: {}",
            lang.pick(
                "no data folder: give one with --data-dir",
                "데이터 폴더가 없습니다. --data-dir로 지정하세요"
            )
        );
        return Ok(Outcome::Error);
    };
    let shown = display_path(path);
    let report = match checked(path) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("kubedrill: {}", escape_controls(&error.to_string()));
            return Ok(Outcome::Error);
        }
    };
    let Some(deck) = report.deck.as_ref().filter(|_| report.error_count() == 0) else {
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
    };
    let id = deck.id.to_string();
    let built_in = content::built_in();
    if built_in
        .deck
        .as_ref()
        .is_some_and(|built_in| built_in.id == deck.id)
    {
        eprintln!(
            "kubedrill: {}",
            match lang {
                Lang::En => format!(
                    "`{id}` is the built-in deck's id; give your deck its own id in deck.toml (or study this folder in place with --deck {})",
                    escape_controls(&shown)
                ),
                Lang::Ko => format!(
                    "`{id}`는 내장 덱의 id입니다. deck.toml에서 덱에 다른 id를 지정하세요(이 폴더를 그대로 쓰려면 --deck {})",
                    escape_controls(&shown)
                ),
            }
        );
        return Ok(Outcome::Error);
    }
    if content::install::installed_folder(&decks_dir, &id)
        .is_some_and(|folder| content::install::same_folder(&folder, path))
    {
        eprintln!(
            "kubedrill: {}",
            lang.pick(
                "that folder is the installed copy itself; nothing to do",
                "이 폴더가 이미 설치된 사본입니다. 할 일이 없습니다"
            )
        );
        return Ok(Outcome::Error);
    }
    let counts = describe_counts(deck);
    let warnings = report.warning_count();
    match content::install::install(path, &decks_dir, &id) {
        Err(error) => {
            eprintln!(
                "kubedrill: cannot install into {}: {error}",
                escape_controls(&decks_dir.display().to_string())
            );
            Ok(Outcome::Error)
        }
        Ok((target, replaced)) => {
            let target = escape_controls(&target.display().to_string()).into_owned();
            writeln!(
                out,
                "{}",
                match (lang, replaced) {
                    (Lang::En, false) => format!("Installed deck `{id}` ({counts}) into {target}."),
                    (Lang::En, true) => format!(
                        "Updated deck `{id}` ({counts}) in {target}; progress carries over."
                    ),
                    (Lang::Ko, false) => format!("`{id}` 덱({counts})을 {target}에 설치했습니다."),
                    (Lang::Ko, true) => format!(
                        "`{id}` 덱({counts})을 {target}에서 갱신했습니다. 진행 기록은 그대로 이어집니다."
                    ),
                }
            )?;
            if warnings > 0 {
                writeln!(
                    out,
                    "{}",
                    match lang {
                        Lang::En => format!(
                            "{}: run `kubedrill deck check {}` to see them.",
                            crate::text::plural(warnings, "warning"),
                            escape_controls(&shown)
                        ),
                        Lang::Ko => format!(
                            "경고 {warnings}개: `kubedrill deck check {}`로 확인하세요.",
                            escape_controls(&shown)
                        ),
                    }
                )?;
            }
            Ok(Outcome::Success)
        }
    }
}

fn remove(id: &str, context: &Context, out: &mut impl Write) -> io::Result<Outcome> {
    let lang = context.lang;
    if content::built_in()
        .deck
        .is_some_and(|built_in| built_in.id.as_str() == id)
    {
        eprintln!(
            "kubedrill: {}",
            lang.pick(
                "the built-in deck is part of kubedrill and cannot be removed",
                "내장 덱은 kubedrill의 일부라서 제거할 수 없습니다"
            )
        );
        return Ok(Outcome::Error);
    }
    let Some(decks_dir) = context.installed_decks() else {
        return Ok(Outcome::Error);
    };
    match content::install::remove(&decks_dir, id) {
        Err(error) => {
            eprintln!(
                "kubedrill: cannot remove deck `{}`: {error}",
                escape_controls(id)
            );
            Ok(Outcome::Error)
        }
        Ok(None) => {
            let loaded = content::load_library(true, Some(&decks_dir), &[]);
            let installed: Vec<String> = loaded
                .library
                .decks
                .iter()
                .filter(|deck| matches!(deck.origin, crate::model::DeckOrigin::Directory(_)))
                .map(|deck| deck.id.to_string())
                .collect();
            let list = if installed.is_empty() {
                lang.pick("none", "없음").to_string()
            } else {
                installed.join(", ")
            };
            eprintln!(
                "kubedrill: {}",
                match lang {
                    Lang::En => format!(
                        "no installed deck has the id `{}` (installed: {list})",
                        escape_controls(id)
                    ),
                    Lang::Ko => format!(
                        "id가 `{}`인 설치된 덱이 없습니다 (설치된 덱: {list})",
                        escape_controls(id)
                    ),
                }
            );
            // An id that names nothing is a usage error, as for `grade` and `watch`.
            Ok(Outcome::Error)
        }
        Ok(Some(folder)) => {
            writeln!(
                out,
                "{}",
                match lang {
                    Lang::En => format!(
                        "Removed deck `{}` ({}). Its progress is kept: `kubedrill deck add` it again to pick it up.",
                        escape_controls(id),
                        escape_controls(&folder.display().to_string())
                    ),
                    Lang::Ko => format!(
                        "`{}` 덱을 제거했습니다 ({}). 진행 기록은 남아 있으니 `kubedrill deck add`로 다시 설치하면 이어집니다.",
                        escape_controls(id),
                        escape_controls(&folder.display().to_string())
                    ),
                }
            )?;
            Ok(Outcome::Success)
        }
    }
}

fn import(
    file: &std::path::Path,
    into: &std::path::Path,
    topic: Option<&str>,
    language: Lang,
    context: &Context,
    out: &mut impl Write,
) -> io::Result<Outcome> {
    let lang = context.lang;
    let shown_file = escape_controls(&file.display().to_string()).into_owned();
    if let Some(topic) = topic
        && let Err(why) = crate::model::Id::parse(topic)
    {
        eprintln!(
            "kubedrill: `{}` cannot be a topic id: {why}",
            escape_controls(topic)
        );
        return Ok(Outcome::Error);
    }
    // An export is read like any file from a stranger: a regular file, bounded.
    let text = match crate::bounded_read::regular_file(file, content::anki::MAX_EXPORT_BYTES) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                eprintln!(
                    "kubedrill: {shown_file} is not UTF-8 text (Anki writes UTF-8; re-export it)"
                );
                return Ok(Outcome::Error);
            }
        },
        Err(error) => {
            eprintln!("kubedrill: cannot read {shown_file}: {error}");
            return Ok(Outcome::Error);
        }
    };
    let extension = file
        .extension()
        .map(|extension| extension.to_string_lossy().to_ascii_lowercase());
    let parsed = match content::anki::parse(&text, extension.as_deref()) {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!(
                "kubedrill: {shown_file}:{}: {}",
                error.line,
                escape_controls(&error.message)
            );
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
    let summary = match content::anki::import_into(into, &cards, language.tag()) {
        Ok(summary) => summary,
        Err(error) => {
            eprintln!("kubedrill: {}", escape_controls(&error.to_string()));
            return Ok(Outcome::Error);
        }
    };
    let shown_deck = display_path(into);
    writeln!(
        out,
        "{}",
        match lang {
            Lang::En => format!(
                "Imported {} from {shown_file} into {}: {} added, {} updated, {} unchanged.",
                crate::text::plural(cards.len(), "card"),
                escape_controls(&shown_deck),
                summary.added,
                summary.updated,
                summary.unchanged
            ),
            Lang::Ko => format!(
                "{shown_file}에서 카드 {}개를 {}에 가져왔습니다: 추가 {}, 갱신 {}, 변경 없음 {}.",
                cards.len(),
                escape_controls(&shown_deck),
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
    let report = checked(into);
    let outcome = match &report {
        Ok(report) if report.error_count() == 0 => Outcome::Success,
        _ => Outcome::Failure,
    };
    match report {
        Ok(report) => writeln!(out, "{}", summary_line(&shown_deck, &report))?,
        Err(error) => writeln!(out, "{}", escape_controls(&error.to_string()))?,
    }
    if outcome == Outcome::Failure {
        writeln!(
            out,
            "{}",
            match lang {
                Lang::En => format!(
                    "Run `kubedrill deck check {}` to see the problems.",
                    escape_controls(&shown_deck)
                ),
                Lang::Ko => format!(
                    "문제를 보려면 `kubedrill deck check {}`을 실행하세요.",
                    escape_controls(&shown_deck)
                ),
            }
        )?;
    }
    Ok(outcome)
}

fn export(
    deck: &str,
    output: Option<&std::path::Path>,
    language: Lang,
    context: &Context,
    out: &mut impl Write,
) -> io::Result<Outcome> {
    let folder = std::path::Path::new(deck);
    let found = if folder.join("deck.toml").is_file() {
        match checked(folder) {
            Ok(report) => report.deck,
            Err(error) => {
                eprintln!("kubedrill: {}", escape_controls(&error.to_string()));
                return Ok(Outcome::Error);
            }
        }
    } else {
        context
            .load_library()
            .library
            .decks
            .into_iter()
            .find(|loaded| loaded.id.as_str() == deck)
    };
    let Some(found) = found else {
        eprintln!(
            "kubedrill: no deck `{}`: give a loaded deck's id (`kubedrill deck list`) or a deck folder",
            escape_controls(deck)
        );
        return Ok(Outcome::Error);
    };
    let text = content::anki::export(&found, language.tag());
    let cards: usize = found.topics.iter().map(|topic| topic.cards.len()).sum();
    match output {
        // Standard output may be a terminal: a card's escape sequences (an OSC 52 clipboard
        // write, ESC[2J) are shown escaped, like every other output. `-o FILE` keeps them as
        // the deck wrote them, for Anki.
        None => out.write_all(escape_controls(&text).as_bytes())?,
        Some(path) => {
            if let Err(error) = std::fs::write(path, &text) {
                eprintln!("kubedrill: cannot write {}: {error}", path.display());
                return Ok(Outcome::Error);
            }
            writeln!(
                out,
                "{}",
                match context.lang {
                    Lang::En => format!(
                        "Wrote {} of deck `{}` to {} (in Anki: File → Import).",
                        crate::text::plural(cards, "card"),
                        found.id,
                        escape_controls(&path.display().to_string())
                    ),
                    Lang::Ko => format!(
                        "`{}` 덱의 카드 {cards}개를 {}에 썼습니다 (Anki에서 파일 → 가져오기).",
                        found.id,
                        escape_controls(&path.display().to_string())
                    ),
                }
            )?;
        }
    }
    Ok(Outcome::Success)
}

fn check(paths: &[PathBuf], format: Format, out: &mut impl Write) -> io::Result<Outcome> {
    let color = use_color(io::IsTerminal::is_terminal(&io::stdout()));
    let mut outcome = Outcome::Success;
    let mut json_decks = Vec::new();
    // Ids taken so far, and by whom: a deck that reuses one would not be loaded beside it.
    // `None` is the built-in deck.
    let mut taken: Vec<(String, Option<String>)> = vec![(content::built_in_id(), None)];
    for path in paths {
        let shown = display_path(path);
        let checked = checked(path).map(|mut report| {
            if let Some(deck) = &report.deck {
                let id = deck.id.to_string();
                match taken.iter().find(|(other, _)| *other == id) {
                    // The built-in deck's own folder is that deck, not a rival.
                    Some((_, first)) if first.is_some() || !content::is_built_in_source(path) => {
                        report
                            .problems
                            .push(content::duplicate_deck(&report.source, first.as_deref()));
                    }
                    Some(_) => {}
                    None => taken.push((id, Some(escape_controls(&shown).into_owned()))),
                }
            }
            report
        });
        match checked {
            Err(error) => {
                outcome = Outcome::Error;
                match format {
                    Format::Text => writeln!(
                        out,
                        "error: cannot read deck {}\n",
                        escape_controls(&error.to_string())
                    )?,
                    Format::Json => json_decks
                        .push(json!({ "path": shown, "valid": false, "error": error.to_string() })),
                }
            }
            Ok(report) => {
                if report.error_count() > 0 && outcome == Outcome::Success {
                    outcome = Outcome::Failure;
                }
                match format {
                    Format::Text => {
                        let source = &report.source;
                        out.write_all(
                            render_text(&report.problems, &shown, |file| source.text(file), color)
                                .as_bytes(),
                        )?;
                        writeln!(out, "{}", summary_line(&shown, &report))?;
                    }
                    Format::Json => json_decks.push(report_json(&shown, &report)),
                }
            }
        }
    }
    if format == Format::Json {
        let document = json!({ "valid": outcome == Outcome::Success, "decks": json_decks });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&document).expect("JSON values serialize")
        )?;
    }
    Ok(outcome)
}

/// A path as the user wrote it, without a trailing slash (`content/` → `content`).
fn display_path(path: &std::path::Path) -> String {
    let shown = path.to_string_lossy();
    let trimmed = shown.trim_end_matches('/');
    if trimmed.is_empty() {
        shown.into_owned()
    } else {
        trimmed.to_string()
    }
}

fn summary_line(shown: &str, report: &DeckReport) -> String {
    let shown = escape_controls(shown);
    let (errors, warnings) = (report.error_count(), report.warning_count());
    let problems = match (errors, warnings) {
        (0, 0) => String::new(),
        (0, w) => format!(" ({})", crate::text::plural(w, "warning")),
        (e, 0) => format!(": {}", crate::text::plural(e, "error")),
        (e, w) => format!(
            ": {}, {}",
            crate::text::plural(e, "error"),
            crate::text::plural(w, "warning")
        ),
    };
    match (&report.deck, errors) {
        (Some(deck), 0) => format!(
            "{shown}: deck `{}` is valid: {}{problems}",
            deck.id,
            describe_counts(deck)
        ),
        _ => format!("{shown}{problems}"),
    }
}

fn describe_counts(deck: &Deck) -> String {
    let counts: ItemCounts = deck.counts();
    format!(
        "{}, {}, {}, {}, {}",
        crate::text::plural(deck.topics.len(), "topic"),
        crate::text::plural(counts.cards, "card"),
        crate::text::plural(counts.questions, "question"),
        crate::text::plural(counts.drills, "drill"),
        crate::text::plural(counts.exercises, "exercise"),
    )
}

fn report_json(shown: &str, report: &DeckReport) -> serde_json::Value {
    json!({
        "path": shown,
        "id": report.deck.as_ref().map(|deck| deck.id.to_string()),
        "valid": report.error_count() == 0,
        "errors": report.error_count(),
        "warnings": report.warning_count(),
        "counts": report.deck.as_ref().map(counts_json),
        "problems": report.problems,
    })
}

fn counts_json(deck: &Deck) -> serde_json::Value {
    let counts = deck.counts();
    json!({
        "topics": deck.topics.len(),
        "cards": counts.cards,
        "questions": counts.questions,
        "drills": counts.drills,
        "exercises": counts.exercises,
    })
}

fn list(context: &Context, format: Format, out: &mut impl Write) -> io::Result<Outcome> {
    let loaded = context.load_library();
    let lang = context.lang.tag();
    match format {
        Format::Json => {
            let decks: Vec<_> = loaded
                .library
                .decks
                .iter()
                .map(|deck| {
                    json!({
                        "id": deck.id.to_string(),
                        "title": deck.title.get(lang),
                        "origin": deck.origin.to_string(),
                        "languages": deck.languages,
                        "kubernetes": deck.kubernetes,
                        "counts": counts_json(deck),
                    })
                })
                .collect();
            let broken: Vec<_> = loaded
                .reports
                .iter()
                .filter(|report| report.error_count() > 0)
                .map(|report| json!({ "origin": report.source.origin.to_string(), "errors": report.error_count() }))
                .chain(loaded.unreadable.iter().map(|error| json!({ "error": error.to_string() })))
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json!({ "decks": decks, "problems": broken }))
                    .expect("JSON values serialize")
            )?;
        }
        Format::Text => {
            for deck in &loaded.library.decks {
                writeln!(
                    out,
                    "{}  {}  ({})",
                    deck.id,
                    escape_controls(deck.title.get(lang)),
                    escape_controls(&deck.origin.to_string())
                )?;
                writeln!(out, "    {}", describe_counts(deck))?;
            }
            super::home::write_problem_summary(&loaded, context.lang, out)?;
        }
    }
    Ok(Outcome::Success)
}

fn orphans(context: &Context, format: Format, out: &mut impl Write) -> io::Result<Outcome> {
    let lang = context.lang;
    let loaded = context.load_library();
    let Some(store) = context.open_store() else {
        return Ok(Outcome::Error);
    };
    let mut known: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for deck in &loaded.library.decks {
        let items = known.entry(deck.id.to_string()).or_default();
        for entry in crate::study::entries(deck) {
            items.insert(entry.key());
        }
    }
    let orphans = match store.orphans(&known) {
        Ok(orphans) => orphans,
        Err(error) => {
            eprintln!("kubedrill: {}", escape_controls(&error.to_string()));
            return Ok(Outcome::Error);
        }
    };
    match format {
        Format::Json => {
            let items: Vec<_> = orphans
                .iter()
                .map(|orphan| {
                    json!({
                        "deck": orphan.deck,
                        "item": orphan.item,
                        "kind": orphan.kind,
                        "reviews": orphan.reps,
                        "last_review": orphan.last_review.map(|at| at.to_string()),
                    })
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json!({ "orphans": items }))
                    .expect("JSON values serialize")
            )?;
        }
        Format::Text if orphans.is_empty() => writeln!(
            out,
            "{}",
            lang.pick(
                "No orphaned progress: every item with progress is in a loaded deck.",
                "고아 진행 기록이 없습니다. 진행 기록이 있는 항목은 모두 불러온 덱에 있습니다."
            )
        )?,
        Format::Text => {
            writeln!(
                out,
                "{}",
                lang.pick(
                    "Progress kept for items no loaded deck has (an id was renamed or removed, or the deck is not loaded). It is kept, not deleted:",
                    "불러온 덱에 없는 항목의 진행 기록입니다(id가 바뀌었거나 삭제되었거나 덱을 불러오지 않음). 삭제하지 않고 보관합니다:",
                )
            )?;
            for orphan in &orphans {
                let last = orphan.last_review.map_or_else(String::new, |at| {
                    at.to_zoned(context.zone.clone()).date().to_string()
                });
                writeln!(
                    out,
                    "  {}/{}  ({}, {}, {})",
                    escape_controls(&orphan.deck),
                    escape_controls(&orphan.item),
                    escape_controls(&orphan.kind),
                    match lang {
                        Lang::En => crate::text::plural(orphan.reps as usize, "review"),
                        Lang::Ko => format!("{}회 복습", orphan.reps),
                    },
                    last
                )?;
            }
        }
    }
    Ok(Outcome::Success)
}
