//! The checker's and grader's messages in the learner's language.
//!
//! Rules write their messages in English where the rule is, and the JSON output (a contract for
//! tools) stays English. Where a person reads them (the interface, the CLI's text output) they
//! go through [`localize`], which finds the message's template in a catalog
//! (`assets/i18n/ko/*.toml`) and fills the Korean template with the same values. A value that is
//! itself a message (a reason after a colon) is translated too. A message with no template is
//! shown in English rather than not at all; `tests/i18n.rs` runs every fixture, exercise and
//! drill through the checkers and fails on any message the catalog does not cover.
//!
//! The progress database's notices ([`store_notice`]) are here too, written in both languages:
//! the command line and the interface show the same words.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::srs::Rating;
use crate::store::{MovedAside, StoreNotice};

/// The languages kubedrill's interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    /// Every language of the interface.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The language tag deck text is looked up by.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language from the locale environment (`LC_ALL`, `LC_MESSAGES`, `LANG`, in POSIX
    /// precedence): Korean for `ko*`, otherwise English.
    pub fn from_locale(get: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(|name| get(name).filter(|value| !value.is_empty()));
        match locale {
            Some(locale) if locale.starts_with("ko") => Lang::Ko,
            _ => Lang::En,
        }
    }

    /// Picks the English or the Korean text.
    pub fn pick<'a>(self, english: &'a str, korean: &'a str) -> &'a str {
        match self {
            Lang::En => english,
            Lang::Ko => korean,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    /// `en` or `ko`, as `--lang` and the language setting write them.
    fn from_str(text: &str) -> Result<Lang, String> {
        match text {
            "en" => Ok(Lang::En),
            "ko" => Ok(Lang::Ko),
            other => Err(format!(
                "`{}` is not a language kubedrill speaks: use `en` or `ko`",
                crate::text::escape_controls(other)
            )),
        }
    }
}

/// The Korean catalog, one file per part of kubedrill that writes messages.
const KOREAN: [(&str, &str); 4] = [
    (
        "assets/i18n/ko/manifest.toml",
        include_str!("../assets/i18n/ko/manifest.toml"),
    ),
    (
        "assets/i18n/ko/grade.toml",
        include_str!("../assets/i18n/ko/grade.toml"),
    ),
    (
        "assets/i18n/ko/drill.toml",
        include_str!("../assets/i18n/ko/drill.toml"),
    ),
    (
        "assets/i18n/ko/settings.toml",
        include_str!("../assets/i18n/ko/settings.toml"),
    ),
];

/// How deep values are searched for messages of their own (`…: {reason}`).
const NESTING: usize = 3;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    message: Vec<EntryFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    en: String,
    ko: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Hole(String),
}

/// One message template: its English pieces and its Korean template.
#[derive(Debug)]
pub struct Entry {
    pub en: String,
    pub ko: String,
    pieces: Vec<Piece>,
    /// Characters of fixed text, so the most specific template is tried first.
    fixed: usize,
}

impl Entry {
    /// The template's fixed text, piece by piece (what the code must write around the values).
    pub fn fixed_texts(&self) -> Vec<&str> {
        self.pieces
            .iter()
            .filter_map(|piece| match piece {
                Piece::Text(text) => Some(text.as_str()),
                Piece::Hole(_) => None,
            })
            .collect()
    }
}

/// The parsed catalog, with every problem found in it (reported by the tests, never at run time).
#[derive(Debug)]
pub struct Catalog {
    pub entries: Vec<Entry>,
    pub problems: Vec<String>,
}

/// `text {name} more`, with `{{` and `}}` for literal braces.
fn pieces(template: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(format!("`{{{name}}}` is not a placeholder name"));
                }
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                } else if matches!(pieces.last(), Some(Piece::Hole(_))) {
                    return Err("two placeholders side by side cannot be told apart".to_string());
                }
                pieces.push(Piece::Hole(name));
            }
            '}' => return Err("a lone `}` (write `}}` for a brace)".to_string()),
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    if !pieces.iter().any(|piece| matches!(piece, Piece::Text(_))) {
        return Err("a template needs some fixed text".to_string());
    }
    Ok(pieces)
}

fn holes(pieces: &[Piece]) -> BTreeSet<&str> {
    pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Hole(name) => Some(name.as_str()),
            Piece::Text(_) => None,
        })
        .collect()
}

impl Catalog {
    pub fn parse(text: &str) -> Catalog {
        Catalog::parse_files(&[("catalog", text)])
    }

    /// Several catalog files read as one (a template may be in only one of them).
    pub fn parse_files(files: &[(&str, &str)]) -> Catalog {
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        let mut entries = Vec::new();
        for (name, text) in files {
            let file: CatalogFile = match toml::from_str(text) {
                Ok(file) => file,
                Err(error) => {
                    problems.push(format!("{name}: {error}"));
                    continue;
                }
            };
            for entry in file.message {
                let (english, korean) = match (pieces(&entry.en), pieces(&entry.ko)) {
                    (Ok(english), Ok(korean)) => (english, korean),
                    (Err(why), _) | (_, Err(why)) => {
                        problems.push(format!("{name}: {:?}: {why}", entry.en));
                        continue;
                    }
                };
                if holes(&english) != holes(&korean) {
                    problems.push(format!(
                        "{name}: {:?}: the Korean has placeholders {:?}, the English {:?}",
                        entry.en,
                        holes(&korean),
                        holes(&english)
                    ));
                }
                if !seen.insert(entry.en.clone()) {
                    problems.push(format!("{name}: {:?} is in the catalog twice", entry.en));
                }
                let fixed = english
                    .iter()
                    .map(|piece| match piece {
                        Piece::Text(text) => text.chars().count(),
                        Piece::Hole(_) => 0,
                    })
                    .sum();
                entries.push(Entry {
                    en: entry.en,
                    ko: entry.ko,
                    pieces: english,
                    fixed,
                });
            }
        }
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.fixed));
        Catalog { entries, problems }
    }

    /// The Korean of one message, or `None` when no template matches it.
    pub fn korean(&self, text: &str) -> Option<String> {
        self.translate(text, NESTING)
    }

    /// The template a message is an instance of.
    pub fn template_of(&self, text: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| {
            let mut values = Vec::new();
            matches(&entry.pieces, text, &mut values)
        })
    }

    fn translate(&self, text: &str, depth: usize) -> Option<String> {
        for entry in &self.entries {
            let mut values = Vec::new();
            if !matches(&entry.pieces, text, &mut values) {
                continue;
            }
            let mut out = String::new();
            let korean = pieces(&entry.ko).ok()?;
            for piece in korean {
                match piece {
                    Piece::Text(text) => out.push_str(&text),
                    Piece::Hole(name) => {
                        let value = values
                            .iter()
                            .find(|(hole, _)| *hole == name)
                            .map_or("", |(_, value)| *value);
                        match (depth > 0)
                            .then(|| self.translate(value, depth - 1))
                            .flatten()
                        {
                            Some(translated) => out.push_str(&translated),
                            None => out.push_str(value),
                        }
                    }
                }
            }
            return Some(out);
        }
        None
    }
}

/// Whether `text` is an instance of `pieces`, collecting what each placeholder stands for.
/// Placeholders take at least one character; where a literal occurs more than once, every
/// split is tried.
fn matches<'p, 't>(
    pieces: &'p [Piece],
    text: &'t str,
    values: &mut Vec<(&'p str, &'t str)>,
) -> bool {
    // A placeholder used twice stands for the same value both times.
    if let [Piece::Hole(name), rest @ ..] = pieces
        && let Some(&(_, seen)) = values.iter().find(|(hole, _)| *hole == name.as_str())
    {
        return text
            .strip_prefix(seen)
            .is_some_and(|after| matches(rest, after, values));
    }
    match pieces {
        [] => text.is_empty(),
        [Piece::Text(fixed), rest @ ..] => text
            .strip_prefix(fixed.as_str())
            .is_some_and(|after| matches(rest, after, values)),
        [Piece::Hole(name)] => {
            if text.is_empty() {
                return false;
            }
            values.push((name, text));
            true
        }
        [Piece::Hole(name), Piece::Text(fixed), rest @ ..] => {
            let mut from = 1.min(text.len());
            while let Some(found) = text.get(from..).and_then(|tail| tail.find(fixed.as_str())) {
                let at = from + found;
                let depth = values.len();
                values.push((name, &text[..at]));
                if matches(rest, &text[at + fixed.len()..], values) {
                    return true;
                }
                values.truncate(depth);
                from = at + text[at..].chars().next().map_or(1, char::len_utf8);
            }
            false
        }
        [Piece::Hole(_), Piece::Hole(_), ..] => false,
    }
}

/// The built-in Korean catalog.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::parse_files(&KOREAN))
}

/// A checker or grader message in `lang`: the Korean when the catalog has it, else as written.
pub fn localize(text: &str, lang: Lang) -> Cow<'_, str> {
    match lang {
        Lang::En => Cow::Borrowed(text),
        Lang::Ko => catalog()
            .korean(text)
            .map_or(Cow::Borrowed(text), Cow::Owned),
    }
}

/// How a store notice writes the files it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// Every path in full (the command line).
    Full,
    /// The database's path in full, and the files put beside it by name alone (a message box
    /// has room for one long path, not three).
    Beside,
}

/// The notice that a progress database could not be used and was moved aside, as printed
/// after `kubedrill: ` (the same at opening and when damage is found later).
pub fn moved_aside(lang: Lang, moved: &MovedAside, style: PathStyle) -> String {
    let from = shown(&moved.from, PathStyle::Full);
    let to = shown(&moved.to, style);
    match lang {
        Lang::En => format!(
            "the progress database {from} could not be used: {}. It was moved to {to} (nothing was deleted) and a new one was started.",
            moved.reason
        ),
        Lang::Ko => format!(
            "진행 기록 데이터베이스 {from}를 사용할 수 없습니다({}). 파일은 {to}로 옮겨 두었고(삭제한 것은 없습니다) 새 데이터베이스를 시작했습니다.",
            moved.reason
        ),
    }
}

/// What the store did on its own while in use ([`StoreNotice`]), as printed after
/// `kubedrill: `. It says where progress is saved from now on and where the old file went.
pub fn store_notice(lang: Lang, notice: &StoreNotice, style: PathStyle) -> String {
    let (path, deleted, rescued, replacement) = match notice {
        StoreNotice::MovedAside(moved) => return moved_aside(lang, moved, style),
        StoreNotice::Replaced {
            path,
            deleted,
            rescued,
            moved_aside,
        } => (path, *deleted, rescued, moved_aside),
    };
    let path = shown(path, PathStyle::Full);
    let mut text = match (lang, deleted, replacement) {
        (Lang::En, true, _) => format!(
            "the progress database {path} was deleted while kubedrill was running, so a new one was started in its place; from this change on, progress is saved there."
        ),
        (Lang::En, false, None) => format!(
            "the progress database {path} was replaced by another file while kubedrill was running; from this change on, progress is saved in the file now there."
        ),
        (Lang::En, false, Some(moved)) => format!(
            "the progress database {path} was replaced by another file while kubedrill was running. That file could not be used ({}): it was moved to {} (nothing was deleted) and a new database was started; from this change on, progress is saved there.",
            moved.reason,
            shown(&moved.to, style)
        ),
        (Lang::Ko, true, _) => format!(
            "kubedrill이 실행되는 동안 진행 기록 데이터베이스 {path}가 삭제되어 그 자리에 새 데이터베이스를 시작했습니다. 이번 변경부터는 새 데이터베이스에 저장됩니다."
        ),
        (Lang::Ko, false, None) => format!(
            "kubedrill이 실행되는 동안 진행 기록 데이터베이스 {path}가 다른 파일로 바뀌었습니다. 이번 변경부터는 지금 그 자리에 있는 파일에 저장됩니다."
        ),
        (Lang::Ko, false, Some(moved)) => format!(
            "kubedrill이 실행되는 동안 진행 기록 데이터베이스 {path}가 다른 파일로 바뀌었습니다. 바뀐 파일은 사용할 수 없어({}) {}로 옮겨 두었고(삭제한 것은 없습니다) 새 데이터베이스를 시작했습니다. 이번 변경부터는 새 데이터베이스에 저장됩니다.",
            moved.reason,
            shown(&moved.to, style)
        ),
    };
    text.push(' ');
    text.push_str(&match (lang, rescued) {
        (Lang::En, Some(copy)) => format!(
            "What the old file held was copied to {}.",
            shown(copy, style)
        ),
        (Lang::En, None) => "What the old file held could not be copied.".to_string(),
        (Lang::Ko, Some(copy)) => {
            format!(
                "이전 파일에 있던 기록은 {}에 복사해 두었습니다.",
                shown(copy, style)
            )
        }
        (Lang::Ko, None) => "이전 파일에 있던 기록은 복사하지 못했습니다.".to_string(),
    });
    text
}

/// Why a file operation failed, in plain words in the learner's language: "no such file", not
/// "No such file or directory (os error 2)". `writing`: a missing path is then a missing folder.
/// The command line and the interface say file errors the same way.
pub fn io_reason(lang: Lang, error: &std::io::Error, writing: bool) -> String {
    use std::io::ErrorKind;
    let plain = match error.kind() {
        ErrorKind::NotFound if writing => Some(lang.pick("no such folder", "그런 폴더가 없습니다")),
        ErrorKind::NotFound => Some(lang.pick("no such file", "그런 파일이 없습니다")),
        ErrorKind::PermissionDenied => Some(lang.pick("permission denied", "권한이 없습니다")),
        ErrorKind::IsADirectory => Some(lang.pick("it is a folder", "폴더입니다")),
        ErrorKind::NotADirectory => Some(lang.pick("not a folder", "폴더가 아닙니다")),
        ErrorKind::AlreadyExists => Some(lang.pick("it exists already", "이미 있습니다")),
        ErrorKind::InvalidData => {
            Some(lang.pick("it is not UTF-8 text", "UTF-8 텍스트가 아닙니다"))
        }
        ErrorKind::StorageFull => Some(lang.pick("the disk is full", "디스크가 가득 찼습니다")),
        ErrorKind::ReadOnlyFilesystem => Some(lang.pick(
            "the file system is read-only",
            "읽기 전용 파일 시스템입니다",
        )),
        _ => None,
    };
    plain.map_or_else(
        || {
            // The OS's own words without their code: "Read-only file system (os error 30)".
            let text = error.to_string();
            match text.rfind(" (os error ") {
                Some(at) if text.ends_with(')') => text[..at].to_string(),
                _ => text,
            }
        },
        str::to_string,
    )
}

/// A file that could not be read or written (`writing`), in plain words in the interface's
/// language: "cannot read a.yaml: no such file".
pub fn file_error(lang: Lang, path: &Path, writing: bool, error: &std::io::Error) -> String {
    let reason = io_reason(lang, error, writing);
    let path = crate::text::escape_controls(&path.display().to_string()).into_owned();
    match (lang, writing) {
        (Lang::En, false) => format!("cannot read {path}: {reason}"),
        (Lang::En, true) => format!("cannot write {path}: {reason}"),
        (Lang::Ko, false) => format!("{path}을(를) 읽을 수 없습니다: {reason}"),
        (Lang::Ko, true) => format!("{path}에 쓸 수 없습니다: {reason}"),
    }
}

/// Shown on Home in place of what is due when the progress database cannot be read: "nothing
/// due" would be a claim the program cannot make.
pub fn progress_unreadable(lang: Lang, why: &str) -> String {
    match lang {
        Lang::En => format!("Progress could not be read, so what is due is unknown: {why}"),
        Lang::Ko => format!("진행 기록을 읽지 못해 지금 할 항목을 알 수 없습니다: {why}"),
    }
}

/// A rating as the interface names it (the words on the rating buttons).
pub fn rating_name(lang: Lang, rating: Rating) -> &'static str {
    match rating {
        Rating::Again => lang.pick("Again", "다시"),
        Rating::Hard => lang.pick("Hard", "어려움"),
        Rating::Good => lang.pick("Good", "알맞음"),
        Rating::Easy => lang.pick("Easy", "쉬움"),
    }
}

/// What a drill or an exercise recorded: "Rated Good: next review in 3d", or without `next`
/// (how long until it is due, as the rating buttons show it) just the rating.
pub fn rated(lang: Lang, rating: Rating, next: Option<&str>) -> String {
    let name = rating_name(lang, rating);
    match (lang, next) {
        (Lang::En, Some(next)) => format!("Rated {name}: next review in {next}"),
        (Lang::En, None) => format!("Rated {name}"),
        (Lang::Ko, Some(next)) => format!("평가: {name} · 다음 복습까지 {next}"),
        (Lang::Ko, None) => format!("평가: {name}"),
    }
}

fn shown(path: &Path, style: PathStyle) -> String {
    let text = match (style, path.file_name()) {
        (PathStyle::Beside, Some(name)) => name.to_string_lossy(),
        _ => path.to_string_lossy(),
    };
    crate::text::escape_controls(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_error_speaks_the_learners_language_without_the_os_code() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        let path = Path::new("answers/secret-env.yaml");
        assert_eq!(
            file_error(Lang::Ko, path, false, &missing),
            "answers/secret-env.yaml을(를) 읽을 수 없습니다: 그런 파일이 없습니다"
        );
        assert_eq!(
            file_error(Lang::En, path, false, &missing),
            "cannot read answers/secret-env.yaml: no such file"
        );
        let other = std::io::Error::from_raw_os_error(5);
        let said = file_error(Lang::Ko, path, true, &other);
        assert!(!said.contains("os error"), "{said}");
    }

    #[test]
    fn locale_picks_korean_for_ko_and_english_otherwise() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.to_string())
            }
        };
        assert_eq!(Lang::from_locale(env(&[("LANG", "ko_KR.UTF-8")])), Lang::Ko);
        assert_eq!(Lang::from_locale(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(
            Lang::from_locale(env(&[("LC_ALL", "ko_KR.UTF-8"), ("LANG", "en_US.UTF-8")])),
            Lang::Ko
        );
        assert_eq!(
            Lang::from_locale(env(&[("LC_ALL", ""), ("LANG", "ko_KR.UTF-8")])),
            Lang::Ko
        );
        assert_eq!(Lang::from_locale(env(&[])), Lang::En);
    }

    const SAMPLE: &str = r#"
[[message]]
en = "unknown field `{field}`"
ko = "알 수 없는 필드 `{field}`"

[[message]]
en = "`{text}` is not a valid container name: {problem}"
ko = "`{text}`: 컨테이너 이름으로 쓸 수 없습니다. {problem}"

[[message]]
en = "must be no more than {limit} characters"
ko = "{limit}자를 넘을 수 없습니다"

[[message]]
en = "{a} is {b}, not {c}"
ko = "{a}: {c}이(가) 아니라 {b}입니다"
"#;

    #[test]
    fn messages_are_found_by_template_with_their_values_carried_over() {
        let catalog = Catalog::parse(SAMPLE);
        assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
        assert_eq!(
            catalog.korean("unknown field `nmae`").as_deref(),
            Some("알 수 없는 필드 `nmae`")
        );
        assert_eq!(
            catalog
                .korean(
                    "`My_App` is not a valid container name: must be no more than 63 characters"
                )
                .as_deref(),
            Some("`My_App`: 컨테이너 이름으로 쓸 수 없습니다. 63자를 넘을 수 없습니다"),
            "a reason that is a message of its own is translated too"
        );
        assert_eq!(
            catalog
                .korean("spec.strategy.type is Recreate, not RollingUpdate")
                .as_deref(),
            Some("spec.strategy.type: RollingUpdate이(가) 아니라 Recreate입니다")
        );
        assert_eq!(
            catalog.korean("x is a is b, not c").as_deref(),
            Some("x: c이(가) 아니라 a is b입니다"),
            "a literal that occurs twice: the first split that matches the whole text wins"
        );
        let repeated = Catalog::parse(
            "[[message]]\nen = \"`kubectl {command}` needs `{only}`: `kubectl {command} {only} …`\"\nko = \"{command}: {only}\"\n",
        );
        assert_eq!(
            repeated
                .korean(
                    "`kubectl create secret` needs `generic`: `kubectl create secret generic …`"
                )
                .as_deref(),
            Some("create secret: generic"),
            "a placeholder used twice matches the same text both times"
        );
        assert_eq!(
            repeated.korean("`kubectl auth` needs `can-i`: `kubectl top can-i …`"),
            None
        );
        assert_eq!(catalog.korean("something else entirely"), None);
        assert_eq!(
            catalog.korean("unknown field ``"),
            None,
            "a value is never empty"
        );
    }

    #[test]
    fn a_broken_catalog_names_its_problems() {
        let catalog = Catalog::parse(
            r#"
[[message]]
en = "{a}{b} joined"
ko = "{a}{b}"
[[message]]
en = "value {x}"
ko = "값 {y}"
[[message]]
en = "{only}"
ko = "{only}"
[[message]]
en = "value {x}"
ko = "값 {x}"
[[message]]
en = "value {x}"
ko = "값 {x}"
"#,
        );
        let problems = catalog.problems.join("\n");
        assert!(problems.contains("side by side"), "{problems}");
        assert!(problems.contains("placeholders"), "{problems}");
        assert!(problems.contains("fixed text"), "{problems}");
        assert!(problems.contains("twice"), "{problems}");
    }

    #[test]
    fn english_is_left_alone_and_unknown_korean_falls_back_to_english() {
        assert_eq!(localize("unknown field `x`", Lang::En), "unknown field `x`");
        assert_eq!(
            localize("no template has this sentence 12345", Lang::Ko),
            "no template has this sentence 12345"
        );
    }

    #[test]
    fn the_built_in_catalog_is_sound() {
        assert!(catalog().problems.is_empty(), "{:#?}", catalog().problems);
        assert!(catalog().entries.len() > 50);
    }
}
