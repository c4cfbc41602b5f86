//! Anki interop: `kubedrill deck import FILE --deck DIR` reads Anki's text format (what Anki's
//! "Notes in Plain Text" export writes and its text import reads) into a deck's cards, and
//! `kubedrill deck export` writes a deck's cards in that format.
//!
//! The file is CSV-like: one note a record, fields quoted with `"` when they hold the separator,
//! a quote or a newline. Header lines at the top set how it is read: `#separator:`, `#html:`,
//! `#tags:`, `#columns:`, `#notetype:`, `#deck:`, and `#notetype column:`, `#deck column:`,
//! `#tags column:`, `#guid column:` (1-based). A note's GUID becomes the card's stable id, so
//! importing a changed file again updates its cards instead of adding copies; without a GUID the
//! id comes from the card's front.

pub mod html;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table, value};

use crate::model::{Deck, Id};

/// The largest Anki export `deck import` reads (a deck of ten thousand cards is a few MiB).
pub const MAX_EXPORT_BYTES: u64 = 32 * 1024 * 1024;

/// Something in the file that was read with a change or left out, at its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// How the file says it is to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headers {
    pub separator: u8,
    pub html: bool,
    /// Tags given to every note.
    pub tags: Vec<String>,
    pub columns: Option<Vec<String>>,
    pub notetype: Option<String>,
    pub deck: Option<String>,
    /// 0-based columns of the special fields.
    pub notetype_column: Option<usize>,
    pub deck_column: Option<usize>,
    pub tags_column: Option<usize>,
    pub guid_column: Option<usize>,
}

/// One note of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The line it starts on.
    pub line: usize,
    pub guid: Option<String>,
    pub notetype: Option<String>,
    pub deck: Option<String>,
    pub tags: Vec<String>,
    /// The note's fields, in order, with their names when `#columns` gave them.
    pub fields: Vec<(Option<String>, String)>,
}

/// A parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiText {
    pub headers: Headers,
    pub notes: Vec<Note>,
    pub warnings: Vec<Warning>,
}

fn separator_named(value: &str) -> Option<u8> {
    match value.trim().to_ascii_lowercase().as_str() {
        "comma" | "," => Some(b','),
        "semicolon" | ";" => Some(b';'),
        "tab" | "\t" => Some(b'\t'),
        "space" | " " => Some(b' '),
        "pipe" | "|" => Some(b'|'),
        "colon" | ":" => Some(b':'),
        other if other.len() == 1 && other.is_ascii() => Some(other.as_bytes()[0]),
        _ => None,
    }
}

/// The separator Anki would guess: a tab if the first record has one outside quotes, then a
/// semicolon, then a comma (`.csv` files default to the comma).
fn guess_separator(data: &str, extension: Option<&str>) -> u8 {
    let first = data.lines().next().unwrap_or_default();
    let mut quoted = false;
    let mut seen = BTreeSet::new();
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            '\t' | ';' | ',' | '|' if !quoted => {
                seen.insert(c);
            }
            _ => {}
        }
    }
    for (c, byte) in [('\t', b'\t'), (';', b';'), ('|', b'|'), (',', b',')] {
        if seen.contains(&c) {
            return byte;
        }
    }
    match extension {
        Some("csv") => b',',
        _ => b'\t',
    }
}

/// Reads Anki's text format. `extension` (`csv`, `tsv`, `txt`) is used only to guess the
/// separator when no `#separator:` header gives it.
pub fn parse(text: &str, extension: Option<&str>) -> Result<AnkiText, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut warnings = Vec::new();
    let mut headers = Headers {
        separator: 0,
        html: false,
        tags: Vec::new(),
        columns: None,
        notetype: None,
        deck: None,
        notetype_column: None,
        deck_column: None,
        tags_column: None,
        guid_column: None,
    };
    let mut raw_columns = None;
    let mut header_lines = 0;
    let mut rest = text;
    while rest.starts_with('#') {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        header_lines += 1;
        rest = after;
        let line = line.trim_end_matches('\r');
        let Some((key, value)) = line[1..].split_once(':') else {
            warnings.push(Warning {
                line: header_lines,
                message: format!("`{line}` is not a header (`#name:value`); skipped"),
            });
            continue;
        };
        let column = || -> Result<usize, ParseError> {
            value
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|number| *number >= 1)
                .map(|number| number - 1)
                .ok_or_else(|| ParseError {
                    line: header_lines,
                    message: format!("`#{key}:` needs a column number from 1, not `{value}`"),
                })
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "separator" => {
                headers.separator = separator_named(value).ok_or_else(|| ParseError {
                    line: header_lines,
                    message: format!(
                        "`{value}` is not a separator: use Tab, Comma, Semicolon, Space, Pipe, Colon or one character"
                    ),
                })?;
            }
            "html" => {
                headers.html = match value.trim().to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(ParseError {
                            line: header_lines,
                            message: format!("`#html:` is true or false, not `{other}`"),
                        });
                    }
                };
            }
            "tags" => headers.tags = value.split_whitespace().map(str::to_string).collect(),
            "columns" => raw_columns = Some(value.to_string()),
            "notetype" => headers.notetype = Some(value.trim().to_string()),
            "deck" => headers.deck = Some(value.trim().to_string()),
            "notetype column" => headers.notetype_column = Some(column()?),
            "deck column" => headers.deck_column = Some(column()?),
            "tags column" => headers.tags_column = Some(column()?),
            "guid column" => headers.guid_column = Some(column()?),
            other => warnings.push(Warning {
                line: header_lines,
                message: format!("the header `#{other}:` is not one kubedrill reads; skipped"),
            }),
        }
    }
    if headers.separator == 0 {
        headers.separator = guess_separator(rest, extension);
    }
    if let Some(columns) = raw_columns {
        headers.columns = Some(
            columns
                .split(char::from(headers.separator))
                .map(|name| name.trim().to_string())
                .collect(),
        );
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(headers.separator)
        .has_headers(false)
        .flexible(true)
        .comment(None)
        .from_reader(rest.as_bytes());
    let special: BTreeSet<usize> = [
        headers.notetype_column,
        headers.deck_column,
        headers.tags_column,
        headers.guid_column,
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut notes = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| ParseError {
            line: header_lines
                + error
                    .position()
                    .map_or(1, |position| position.line() as usize),
            message: format!(
                "the file cannot be read as {}: {error}",
                describe(headers.separator)
            ),
        })?;
        let line = header_lines
            + record
                .position()
                .map_or(1, |position| position.line() as usize);
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let get = |column: Option<usize>| {
            column
                .and_then(|column| record.get(column))
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_string)
        };
        let mut tags = headers.tags.clone();
        if let Some(own) = get(headers.tags_column) {
            tags.extend(own.split_whitespace().map(str::to_string));
        }
        let fields = record
            .iter()
            .enumerate()
            .filter(|(column, _)| !special.contains(column))
            .map(|(column, field)| {
                let name = headers
                    .columns
                    .as_ref()
                    .and_then(|names| names.get(column))
                    .cloned();
                (name, field.to_string())
            })
            .collect();
        notes.push(Note {
            line,
            guid: get(headers.guid_column),
            notetype: get(headers.notetype_column).or_else(|| headers.notetype.clone()),
            deck: get(headers.deck_column).or_else(|| headers.deck.clone()),
            tags,
            fields,
        });
    }
    Ok(AnkiText {
        headers,
        notes,
        warnings,
    })
}

fn describe(separator: u8) -> String {
    match separator {
        b'\t' => "tab-separated text".to_string(),
        b',' => "comma-separated text".to_string(),
        other => format!("text separated by `{}`", char::from(other)),
    }
}

/// A card as imported: Markdown in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCard {
    pub line: usize,
    pub topic: String,
    pub topic_title: String,
    pub id: String,
    pub front: String,
    pub back: String,
    pub explain: Option<String>,
    pub tags: Vec<String>,
}

/// The GUID kubedrill writes on export: `kubedrill:DECK/TOPIC/CARD`.
fn own_guid(guid: &str) -> Option<(&str, &str)> {
    let rest = guid.strip_prefix("kubedrill:")?;
    let (_, item) = rest.split_once('/')?;
    let (topic, card) = item.split_once('/')?;
    (Id::parse(topic).is_ok() && Id::parse(card).is_ok()).then_some((topic, card))
}

/// FNV-1a, 64 bits: a stable short name for text (ids of notes with no GUID).
fn fnv(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A card id for a note: its GUID when that is already an id, else `anki-` and the GUID's
/// bytes in hex (or, for a long GUID or none, a hash of it or of the front).
fn card_id(guid: Option<&str>, front: &str) -> String {
    match guid {
        Some(guid) if Id::parse(guid).is_ok() => guid.to_string(),
        Some(guid) if guid.len() <= 29 => format!(
            "anki-{}",
            guid.bytes()
                .map(|byte| format!("{byte:02x}"))
                .collect::<String>()
        ),
        Some(guid) => format!("anki-{:016x}", fnv(guid)),
        None => format!("anki-{:016x}", fnv(front)),
    }
}

/// A topic id from an Anki deck name: its last `::` part, `Kubernetes::Pod basics` →
/// `pod-basics`.
pub fn topic_from_deck(deck: &str) -> Option<(String, String)> {
    let title = deck.rsplit("::").next()?.trim();
    let id = super::scaffold::id_from_name(title);
    (!id.is_empty()).then(|| (id, title.to_string()))
}

/// `{{c1::answer::hint}}` as the question shows it (`[hint]` or `[…]`) and as the answer
/// shows it (the answer in bold).
fn cloze(text: &str) -> Option<(String, String)> {
    if !text.contains("{{c") {
        return None;
    }
    let mut front = String::new();
    let mut back = String::new();
    let mut rest = text;
    let mut found = false;
    while let Some(start) = rest.find("{{c") {
        let after = &rest[start + 3..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let Some(body) = after[digits..].strip_prefix("::").filter(|_| digits > 0) else {
            front.push_str(&rest[..start + 3]);
            back.push_str(&rest[..start + 3]);
            rest = after;
            continue;
        };
        let Some(end) = body.find("}}") else {
            break;
        };
        let (answer, hint) = match body[..end].split_once("::") {
            Some((answer, hint)) => (answer, Some(hint)),
            None => (&body[..end], None),
        };
        front.push_str(&rest[..start]);
        back.push_str(&rest[..start]);
        front.push_str(&format!("[{}]", hint.unwrap_or("…")));
        back.push_str(&format!("<b>{answer}</b>"));
        rest = &body[end + 2..];
        found = true;
    }
    front.push_str(rest);
    back.push_str(rest);
    found.then_some((front, back))
}

/// The separator kubedrill puts between a card's back and its explanation on export.
const EXPLAIN_RULE: &str = "<hr id=\"explain\">";

/// Cards from the notes: the Front and Back fields (by `#columns` name, else the first two),
/// `Back Extra`/`Extra` as the explanation, cloze notes turned into question and answer. A
/// note's topic is `topic` when given, else its Anki deck's last part, else `imported`.
pub fn cards(file: &AnkiText, topic: Option<&str>) -> (Vec<ImportedCard>, Vec<Warning>) {
    let mut warnings = file.warnings.clone();
    let mut cards: Vec<ImportedCard> = Vec::new();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for note in &file.notes {
        let named = |names: &[&str]| {
            note.fields.iter().position(|(name, _)| {
                name.as_deref().is_some_and(|name| {
                    names.iter().any(|wanted| name.eq_ignore_ascii_case(wanted))
                })
            })
        };
        let front_at = named(&["Front", "Text"]).unwrap_or(0);
        let back_at = named(&["Back"]).or_else(|| {
            (0..note.fields.len())
                .find(|index| *index != front_at && named(&["Back Extra", "Extra"]) != Some(*index))
        });
        let extra_at = named(&["Back Extra", "Extra"]);
        let field = |at: Option<usize>| {
            at.and_then(|at| note.fields.get(at))
                .map(|(_, text)| text.as_str())
        };
        let mut warn = |message: String| {
            warnings.push(Warning {
                line: note.line,
                message,
            })
        };
        let read = |text: &str, warn: &mut dyn FnMut(String)| -> String {
            if file.headers.html {
                let (markdown, dropped) = html::html_to_markdown(text);
                for message in dropped {
                    warn(message);
                }
                markdown
            } else {
                text.trim().to_string()
            }
        };
        let front_raw = field(Some(front_at)).unwrap_or_default();
        let is_cloze = note
            .notetype
            .as_deref()
            .is_some_and(|kind| kind.to_ascii_lowercase().contains("cloze"));
        let (front_raw, mut back_raw, explain_raw) = match (is_cloze, cloze(front_raw)) {
            (_, Some((question, answer))) => (
                question,
                answer,
                field(back_at).or(field(extra_at)).map(str::to_string),
            ),
            (true, None) => {
                warn("a cloze note with no {{c1::…}} deletion; read as front and back".to_string());
                (
                    front_raw.to_string(),
                    field(back_at).unwrap_or_default().to_string(),
                    field(extra_at).map(str::to_string),
                )
            }
            (false, None) => (
                front_raw.to_string(),
                field(back_at).unwrap_or_default().to_string(),
                field(extra_at).map(str::to_string),
            ),
        };
        let mut explain_raw = explain_raw;
        if file.headers.html
            && let Some((back, explain)) = back_raw.split_once(EXPLAIN_RULE)
        {
            explain_raw = Some(explain.to_string());
            back_raw = back.to_string();
        }
        let front = read(&front_raw, &mut warn);
        let back = read(&back_raw, &mut warn);
        let explain = explain_raw
            .map(|text| read(&text, &mut warn))
            .filter(|text| !text.is_empty());
        if front.is_empty() || back.is_empty() {
            warn(format!(
                "a note with an empty {}; skipped",
                if front.is_empty() { "front" } else { "back" }
            ));
            continue;
        }
        let (own_topic, own_id) = match note.guid.as_deref().and_then(own_guid) {
            Some((topic, card)) => (Some(topic.to_string()), Some(card.to_string())),
            None => (None, None),
        };
        let (topic_id, topic_title) = match (
            topic,
            &own_topic,
            note.deck.as_deref().and_then(topic_from_deck),
        ) {
            (Some(topic), _, from_deck) => (
                topic.to_string(),
                from_deck.map_or_else(|| topic.to_string(), |(_, title)| title),
            ),
            (None, Some(own), from_deck) => (
                own.clone(),
                from_deck.map_or_else(|| own.clone(), |(_, title)| title),
            ),
            (None, None, Some((id, title))) => (id, title),
            (None, None, None) => ("imported".to_string(), "Imported cards".to_string()),
        };
        let id = own_id.unwrap_or_else(|| card_id(note.guid.as_deref(), &front));
        if let Some(first) = seen.get(&(topic_id.clone(), id.clone())) {
            warn(format!(
                "the same card as line {first} (id `{id}`); this one was skipped"
            ));
            continue;
        }
        seen.insert((topic_id.clone(), id.clone()), note.line);
        let tags: Vec<String> = note
            .tags
            .iter()
            .filter(|tag| !tag.is_empty())
            .cloned()
            .collect();
        cards.push(ImportedCard {
            line: note.line,
            topic: topic_id,
            topic_title,
            id,
            front,
            back,
            explain,
            tags,
        });
    }
    (cards, warnings)
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Topics the import created (deck.toml entry, folder and lesson).
    pub new_topics: Vec<String>,
    /// Files written, relative to the deck folder.
    pub written: Vec<String>,
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    NoDeck(PathBuf),
    Toml(PathBuf, String),
    Io(PathBuf, std::io::Error),
    Language(String, Vec<String>),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::NoDeck(path) => write!(
                f,
                "{} has no deck.toml; create the deck first with `kubedrill deck new {}`",
                path.display(),
                path.display()
            ),
            ImportError::Toml(path, why) => write!(f, "{}: {why}", path.display()),
            ImportError::Io(path, error) => write!(f, "{}: {error}", path.display()),
            ImportError::Language(language, offered) => write!(
                f,
                "the deck does not offer `{language}` (it offers {}); add it to `languages` in deck.toml first",
                offered.join(", ")
            ),
        }
    }
}

fn read_toml(path: &Path) -> Result<DocumentMut, ImportError> {
    let text =
        std::fs::read_to_string(path).map_err(|error| ImportError::Io(path.into(), error))?;
    text.parse::<DocumentMut>()
        .map_err(|error| ImportError::Toml(path.into(), error.to_string()))
}

/// Sets `table[key]` in `language`, keeping the other languages: a plain string is English
/// only; a table has one key per language.
fn set_localized(table: &mut Table, key: &str, language: &str, text: &str) -> bool {
    let current = table.get(key);
    let existing = match current {
        Some(Item::Value(toml_edit::Value::String(english))) => {
            if language == "en" {
                if english.value() == text {
                    return false;
                }
                table[key] = value(text);
                return true;
            }
            Some(english.value().clone())
        }
        Some(item) if item.is_table_like() => {
            let same = item
                .as_table_like()
                .and_then(|languages| languages.get(language))
                .and_then(Item::as_str)
                == Some(text);
            if same {
                return false;
            }
            if let Some(languages) = table.get_mut(key).and_then(Item::as_table_like_mut) {
                languages.insert(language, value(text));
            }
            return true;
        }
        _ => None,
    };
    let mut languages = Table::new();
    languages.set_dotted(true);
    if let Some(english) = existing {
        languages.insert("en", value(english));
    }
    languages.insert(language, value(text));
    table.insert(key, Item::Table(languages));
    true
}

fn set_tags(table: &mut Table, tags: &[String]) -> bool {
    let current: Vec<String> = table
        .get("tags")
        .and_then(Item::as_array)
        .map(|array| {
            array
                .iter()
                .filter_map(|tag| tag.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if current == tags {
        return false;
    }
    if tags.is_empty() {
        table.remove("tags");
    } else {
        let mut array = toml_edit::Array::new();
        for tag in tags {
            array.push(tag.as_str());
        }
        table.insert("tags", value(array));
    }
    true
}

/// The lesson a topic made by an import starts with: what it is and a link to each card.
fn generated_lesson(title: &str, language: &str, cards: &[&ImportedCard]) -> String {
    let mut text = match language {
        "ko" => format!("# {title}\n\n이 주제의 카드는 Anki 덱에서 가져왔습니다.\n\n"),
        _ => format!("# {title}\n\nThe cards of this topic were imported from an Anki deck.\n\n"),
    };
    for card in cards {
        let first_line = card.front.lines().next().unwrap_or_default();
        let label: String = first_line
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | '\\'))
            .take(80)
            .collect();
        text.push_str(&format!("- [{label}](card:{})\n", card.id));
    }
    text
}

/// Writes `cards` into the deck folder `deck_dir`, in `language`: a card whose id is in its
/// topic's cards.toml is updated (its other languages and fields kept), others are added, and
/// nothing is removed. A topic the deck does not have is added to deck.toml with a lesson per
/// language that lists its cards.
pub fn import_into(
    deck_dir: &Path,
    cards: &[ImportedCard],
    language: &str,
) -> Result<ImportSummary, ImportError> {
    let deck_path = deck_dir.join("deck.toml");
    if !deck_path.is_file() {
        return Err(ImportError::NoDeck(deck_dir.to_path_buf()));
    }
    let mut deck = read_toml(&deck_path)?;
    let languages: Vec<String> = deck
        .get("languages")
        .and_then(Item::as_array)
        .map(|array| {
            array
                .iter()
                .filter_map(|language| language.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_else(|| vec!["en".to_string()]);
    if !languages.iter().any(|offered| offered == language) {
        return Err(ImportError::Language(language.to_string(), languages));
    }
    let known: BTreeSet<String> = deck
        .get("topic")
        .and_then(Item::as_array_of_tables)
        .map(|topics| {
            topics
                .iter()
                .filter_map(|topic| topic.get("id").and_then(Item::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut summary = ImportSummary::default();
    let mut by_topic: BTreeMap<&str, Vec<&ImportedCard>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for card in cards {
        if !by_topic.contains_key(card.topic.as_str()) {
            order.push(&card.topic);
        }
        by_topic.entry(&card.topic).or_default().push(card);
    }
    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    for topic in order {
        let topic_cards = &by_topic[topic];
        let folder = deck_dir.join("topics").join(topic);
        if !known.contains(topic) {
            let title = &topic_cards[0].topic_title;
            let mut entry = Table::new();
            entry.insert("id", value(topic));
            let mut titles = Table::new();
            titles.set_dotted(true);
            titles.insert("en", value(title.as_str()));
            entry.insert("title", Item::Table(titles));
            match deck.get_mut("topic").and_then(Item::as_array_of_tables_mut) {
                Some(topics) => topics.push(entry),
                None => {
                    let mut topics = toml_edit::ArrayOfTables::new();
                    topics.push(entry);
                    deck.insert("topic", Item::ArrayOfTables(topics));
                }
            }
            for offered in &languages {
                let lesson = folder.join(format!("lesson.{offered}.md"));
                if !lesson.exists() {
                    writes.push((lesson, generated_lesson(title, offered, topic_cards)));
                }
            }
            summary.new_topics.push(topic.to_string());
        }
        let cards_path = folder.join("cards.toml");
        let mut document = if cards_path.is_file() {
            read_toml(&cards_path)?
        } else {
            DocumentMut::new()
        };
        if document.get("card").is_none() {
            document.insert("card", Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
        }
        let Some(list) = document
            .get_mut("card")
            .and_then(Item::as_array_of_tables_mut)
        else {
            return Err(ImportError::Toml(
                cards_path,
                "`card` is not a list of [[card]] tables".to_string(),
            ));
        };
        for card in topic_cards {
            let existing = list
                .iter_mut()
                .find(|table| table.get("id").and_then(Item::as_str) == Some(card.id.as_str()));
            match existing {
                Some(table) => {
                    let mut changed = set_localized(table, "front", language, &card.front);
                    changed |= set_localized(table, "back", language, &card.back);
                    if let Some(explain) = &card.explain {
                        changed |= set_localized(table, "explain", language, explain);
                    }
                    changed |= set_tags(table, &card.tags);
                    if changed {
                        summary.updated += 1;
                    } else {
                        summary.unchanged += 1;
                    }
                }
                None => {
                    let mut table = Table::new();
                    table.insert("id", value(card.id.as_str()));
                    set_localized(&mut table, "front", language, &card.front);
                    set_localized(&mut table, "back", language, &card.back);
                    if let Some(explain) = &card.explain {
                        set_localized(&mut table, "explain", language, explain);
                    }
                    set_tags(&mut table, &card.tags);
                    list.push(table);
                    summary.added += 1;
                }
            }
        }
        writes.push((cards_path, document.to_string()));
    }
    writes.push((deck_path, deck.to_string()));
    for (path, text) in writes {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|error| ImportError::Io(parent.into(), error))?;
        }
        let unchanged = std::fs::read_to_string(&path).is_ok_and(|old| old == text);
        if unchanged {
            continue;
        }
        // Written beside and renamed, so a file is never half written.
        let staged = tempfile::NamedTempFile::new_in(path.parent().unwrap_or(deck_dir))
            .map_err(|error| ImportError::Io(path.clone(), error))?;
        std::fs::write(staged.path(), &text)
            .map_err(|error| ImportError::Io(path.clone(), error))?;
        staged
            .persist(&path)
            .map_err(|error| ImportError::Io(path.clone(), error.error))?;
        summary.written.push(
            path.strip_prefix(deck_dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned(),
        );
    }
    Ok(summary)
}

/// Field text for Anki's text format: quoted when it holds the separator, a quote or a line
/// break (quotes doubled).
fn field(text: &str) -> String {
    if text.contains(['\t', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A deck's cards in Anki's text format (tab-separated, HTML fields), in `language`: one Basic
/// note a card, its GUID `kubedrill:DECK/TOPIC/CARD` (so importing into Anki again updates the
/// notes, and importing the file into kubedrill keeps the ids), its Anki deck `DECK::TOPIC`.
pub fn export(deck: &Deck, language: &str) -> String {
    let mut out = String::from(
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n#columns:GUID\tNotetype\tDeck\tFront\tBack\tTags\n",
    );
    let anki_name = |text: &str| text.replace("::", ":").replace(['\t', '\n'], " ");
    for topic in &deck.topics {
        let deck_name = format!(
            "{}::{}",
            anki_name(deck.title.get(language)),
            anki_name(topic.title.get(language))
        );
        for card in &topic.cards {
            let mut back = html::markdown_to_html(card.back.get(language));
            if let Some(explain) = &card.explain {
                back.push_str(EXPLAIN_RULE);
                back.push_str(&html::markdown_to_html(explain.get(language)));
            }
            let tags: Vec<String> = card
                .tags
                .iter()
                .map(|tag| tag.split_whitespace().collect::<Vec<_>>().join("_"))
                .collect();
            let row = [
                format!("kubedrill:{}/{}/{}", deck.id, topic.id, card.id),
                "Basic".to_string(),
                deck_name.clone(),
                html::markdown_to_html(card.front.get(language)),
                back,
                tags.join(" "),
            ];
            let row: Vec<String> = row.iter().map(|text| field(text)).collect();
            out.push_str(&row.join("\t"));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_guids_or_the_front() {
        assert_eq!(card_id(Some("pod-basics"), "x"), "pod-basics");
        assert_eq!(card_id(Some("b@8#dK"), "x"), "anki-62403823644b");
        assert_eq!(
            card_id(None, "What is a Pod?"),
            card_id(None, "What is a Pod?")
        );
        assert_ne!(
            card_id(None, "What is a Pod?"),
            card_id(None, "What is a Node?")
        );
        assert!(Id::parse(&card_id(Some(&"g".repeat(100)), "x")).is_ok());
        assert_eq!(
            own_guid("kubedrill:cka/env/value-key"),
            Some(("env", "value-key"))
        );
        assert_eq!(own_guid("kubedrill:cka/env"), None);
    }

    #[test]
    fn cloze_deletions_become_a_question_and_an_answer() {
        assert_eq!(
            cloze("A {{c1::Pod}} is the smallest {{c2::deployable::what kind?}} unit"),
            Some((
                "A […] is the smallest [what kind?] unit".to_string(),
                "A <b>Pod</b> is the smallest <b>deployable</b> unit".to_string()
            ))
        );
        assert_eq!(cloze("no deletions here"), None);
    }

    #[test]
    fn headers_set_how_the_file_is_read() {
        let file = parse(
            "#separator:Semicolon\n#html:false\n#tags:cka imported\n#columns:Front;Back;Tags\n#tags column:3\n#deck:CKA::Pods\nWhat is a Pod?;The smallest unit;basics\n",
            None,
        )
        .unwrap();
        assert_eq!(file.headers.separator, b';');
        assert_eq!(file.notes.len(), 1);
        let note = &file.notes[0];
        assert_eq!(note.line, 7);
        assert_eq!(note.tags, ["cka", "imported", "basics"]);
        assert_eq!(note.deck.as_deref(), Some("CKA::Pods"));
        assert_eq!(
            note.fields,
            [
                (Some("Front".to_string()), "What is a Pod?".to_string()),
                (Some("Back".to_string()), "The smallest unit".to_string())
            ]
        );
        let bad = parse("#separator:Wavy\na\tb\n", None).unwrap_err();
        assert_eq!(bad.line, 1);
        assert!(bad.message.contains("not a separator"), "{bad}");
    }
}
