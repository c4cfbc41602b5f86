//! A small deck for the unit tests: one topic `env` with English and Korean lessons, to which a
//! test adds or replaces the files it is about.

use std::collections::BTreeMap;

use super::{Validated, validate};
use crate::content::source::DeckSource;
use crate::model::DeckOrigin;

pub(super) const DECK: &str = r#"format_version = 1
id = "t"
title = "T"
languages = ["en", "ko"]

[[topic]]
id = "env"
title = "Env"
"#;

/// A deck with one topic `env` (English and Korean lessons); `files` add or replace files.
pub(super) fn validate_with(files: &[(&str, &str)]) -> Validated {
    let mut all: BTreeMap<String, Vec<u8>> = BTreeMap::from([
        ("deck.toml".to_string(), DECK.as_bytes().to_vec()),
        ("topics/env/lesson.en.md".to_string(), b"# Env\n".to_vec()),
        (
            "topics/env/lesson.ko.md".to_string(),
            "# 환경 변수\n".as_bytes().to_vec(),
        ),
    ]);
    for (path, text) in files {
        all.insert(path.to_string(), text.as_bytes().to_vec());
    }
    validate(&DeckSource::from_files(DeckOrigin::BuiltIn, all))
}

pub(super) fn rules(validated: &Validated) -> Vec<(&str, usize, usize, &'static str)> {
    validated
        .problems
        .iter()
        .map(|p| (p.file.as_str(), p.line, p.column, p.rule))
        .collect()
}

pub(super) fn help_of<'v>(validated: &'v Validated, rule: &str) -> &'v str {
    validated
        .problems
        .iter()
        .find(|p| p.rule == rule)
        .and_then(|p| p.help.as_deref())
        .unwrap_or_default()
}

/// The required keys of an exercise file, for tests about its other tables.
pub(super) const EXERCISE_HEAD: &str =
    "id = \"e\"\ntitle = \"E\"\nprompt = \"P\"\nsolution = \"kind: Pod\"\n";
