//! One file being checked. [`FileChecker`] parses it, reads its tables into the serde structs of
//! [`files`](crate::content::files) and collects problems with their spans and the item they are
//! about, so the other checks only say what is wrong and where.
//!
//! Reading recovers instead of stopping: after a bad key is reported it is set aside and the
//! table read again, so one run names every bad key. The helpers below it take `[[array]]`
//! tables apart (each element is then read on its own) and put serde's messages in plain words.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::diagnostic::{Problem, ProblemBuilder};
use crate::model::Id;
use crate::text::did_you_mean;

/// Checks one file, collecting its problems. `item` names the item being read, for messages.
pub(super) struct FileChecker<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    pub(super) languages: Vec<String>,
    pub(super) item: Option<String>,
    pub(super) problems: Vec<Problem>,
    /// Build a parameterized item's variants only when first shown (a deck loaded to study),
    /// instead of every one now with its problems (a deck being checked).
    pub(super) lazy_variants: bool,
    /// The file's text, shared by the items whose later variants are made from it when shown.
    pub(super) shared_text: std::cell::OnceCell<std::sync::Arc<str>>,
    /// Reading a scenario: its checks look at a running cluster.
    pub(super) scenario: bool,
}

impl<'a> FileChecker<'a> {
    pub(super) fn new(file: &'a str, text: &'a str, languages: &[String]) -> FileChecker<'a> {
        FileChecker {
            file,
            text,
            languages: languages.to_vec(),
            item: None,
            problems: Vec::new(),
            lazy_variants: false,
            shared_text: std::cell::OnceCell::new(),
            scenario: false,
        }
    }

    pub(super) fn problem(
        &mut self,
        span: Range<usize>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> &mut Problem {
        let problem =
            Problem::at(self.file, self.text, span, rule, message).item(self.item.clone());
        self.problems.push(problem);
        self.problems.last_mut().expect("just pushed")
    }

    /// The span of `needle` inside the string value at `span`, when the value is written
    /// without escapes (so its bytes are the text's); otherwise the whole value.
    pub(super) fn inner_span(&self, span: Range<usize>, needle: &str) -> Range<usize> {
        let written = self.text.get(span.clone()).unwrap_or_default();
        if written.contains('\\') {
            return span;
        }
        match written.find(needle) {
            Some(at) => span.start + at..span.start + at + needle.len(),
            None => span,
        }
    }

    /// Parses the file as TOML; reports every syntax error the parser recovers from (the
    /// findings of the build script's check, `build_check::toml`).
    pub(super) fn parse(&mut self) -> Option<Spanned<DeTable<'a>>> {
        let (table, findings) = crate::content::build_check::toml(self.file, self.text);
        if findings.is_empty() {
            return Some(table);
        }
        for finding in findings {
            let span = finding.span.unwrap_or(0..0);
            self.problem(span, finding.rule, finding.message)
                .help(finding.help);
        }
        None
    }

    /// Deserializes a table into `T`, reporting every bad key: after each error the offending key
    /// is set aside and the table read again. Returns `T` only when there was no error at all.
    pub(super) fn deserialize<T: DeserializeOwned>(
        &mut self,
        value: Spanned<DeValue<'_>>,
    ) -> Option<T> {
        self.deserialize_recovering(value)
            .filter(|(_, clean)| *clean)
            .map(|(result, _)| result)
    }

    /// Like [`Self::deserialize`], but also returns what could be read once the bad keys were set
    /// aside, with whether there were none: `deck.toml` goes on being checked past a typo, so one
    /// run still reports the problems of every topic.
    pub(super) fn deserialize_recovering<T: DeserializeOwned>(
        &mut self,
        value: Spanned<DeValue<'_>>,
    ) -> Option<(T, bool)> {
        let span = value.span();
        let mut value = value;
        let mut set_aside: Vec<String> = Vec::new();
        // Keys that an unknown key was probably meant to be (`fornt` → `front`): their
        // "missing" error would only repeat the unknown-key one.
        let mut meant: Vec<String> = Vec::new();
        for _ in 0..128 {
            match T::deserialize(ValueDeserializer::from(value.clone())) {
                Ok(result) => return Some((result, set_aside.is_empty())),
                Err(error) => {
                    let error_span = error.span().unwrap_or_else(|| span.clone());
                    let message = error.message().to_string();
                    let missing = quoted_after(&message, "missing field ");
                    let repeated = missing.as_deref().is_some_and(|key| {
                        set_aside.iter().chain(&meant).any(|known| known == key)
                    });
                    if !repeated {
                        meant.extend(self.report_serde_error(&message, error_span.clone()));
                    }
                    match remove_entry_at(&mut value, error_span.start) {
                        Some(key) => set_aside.push(key),
                        None => return None,
                    }
                }
            }
        }
        None
    }

    /// Reports one serde error in plain words; returns the key an unknown key was probably
    /// meant to be, when there is one.
    fn report_serde_error(&mut self, message: &str, span: Range<usize>) -> Option<String> {
        let first = first_sentence(message);
        if let Some(key) = quoted_after(first, "unknown field ") {
            let expected = quoted_list(first.split_once("expected").map_or("", |(_, rest)| rest));
            let close = did_you_mean(&key, expected.iter().map(String::as_str)).map(str::to_string);
            let help = match &close {
                Some(close) => {
                    format!("did you mean `{close}`? Keys here: {}", expected.join(", "))
                }
                None if expected.is_empty() => "this table takes no keys".to_string(),
                None => format!("keys here: {}", expected.join(", ")),
            };
            self.problem(
                span,
                "unknown-key",
                format!("unknown key `{}`", crate::text::escape_controls(&key)),
            )
            .help(help);
            return close;
        } else if let Some(key) = quoted_after(first, "missing field ") {
            self.problem(span, "missing-key", format!("missing required key `{key}`"))
                .help(format!("add `{key} = ...` (see docs/deck-format.md)"));
        } else if let Some(value) = quoted_after(first, "unknown variant ") {
            let expected = quoted_list(first.split_once("expected").map_or("", |(_, rest)| rest));
            let help = match did_you_mean(&value, expected.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("use one of: {}", expected.join(", ")),
            };
            self.problem(
                span,
                "bad-value",
                format!(
                    "`{}` is not an accepted value",
                    crate::text::escape_controls(&value)
                ),
            )
            .help(help);
        } else if first.starts_with("invalid type") || first.starts_with("data did not match") {
            let plain = first.replace(
                "data did not match any variant of untagged enum ChoiceAnswer",
                "expected an index or a list of indices",
            );
            self.problem(
                span,
                "wrong-type",
                format!("wrong type: {}", crate::text::escape_controls(&plain)),
            );
        } else {
            self.problem(
                span,
                "bad-value",
                crate::text::escape_controls(first).into_owned(),
            );
        }
        None
    }

    pub(super) fn id(&mut self, id: &Spanned<String>, what: &str) -> Option<Id> {
        match Id::parse(id.get_ref()) {
            Ok(id) => Some(id),
            Err(reason) => {
                let suggestion = suggest_id(id.get_ref());
                let problem = self.problem(
                    id.span(),
                    "bad-id",
                    format!(
                        "`{}` is not a valid {what} id: {reason}",
                        crate::text::escape_controls(id.get_ref())
                    ),
                );
                if let Some(suggestion) = suggestion {
                    problem.help = Some(format!(
                        "for example \"{suggestion}\"; ids never change once learners use the deck, so choose one that names the idea"
                    ));
                }
                None
            }
        }
    }

    /// 1-based line of a byte offset in this file.
    pub(super) fn line_of(&self, offset: usize) -> usize {
        crate::text::line_column(self.text, offset).0
    }
}

/// Removes `key` from a table when it is an array, returning its elements (each deserialized on
/// its own later, so one bad element does not hide the others).
pub(super) fn take_array<'i>(
    table: &mut Spanned<DeTable<'i>>,
    key: &str,
) -> Vec<Spanned<DeValue<'i>>> {
    let table = table.get_mut();
    if !table
        .get(key)
        .is_some_and(|value| value.get_ref().is_array())
    {
        return Vec::new();
    }
    match table.remove(key).map(Spanned::into_inner) {
        Some(DeValue::Array(array)) => array.into_iter().collect(),
        _ => Vec::new(),
    }
}

pub(super) fn table_value(table: Spanned<DeTable<'_>>) -> Spanned<DeValue<'_>> {
    let span = table.span();
    Spanned::new(span, DeValue::Table(table.into_inner()))
}

/// The inverse of [`table_value`]: a value that is not a table reads as an empty one (the
/// caller then reports its missing keys).
pub(super) fn value_table(value: Spanned<DeValue<'_>>) -> Spanned<DeTable<'_>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Table(table) => Spanned::new(span, table),
        _ => Spanned::new(span, DeTable::default()),
    }
}

/// The `id` string of an item table, before it is validated (to name the item in messages).
pub(super) fn table_id(value: &Spanned<DeValue<'_>>) -> Option<String> {
    match value.get_ref() {
        DeValue::Table(table) => table_id_in_table(table),
        _ => None,
    }
}

/// The span of an item table's `id` value.
pub(super) fn id_span(value: &Spanned<DeValue<'_>>) -> Option<Range<usize>> {
    match value.get_ref() {
        DeValue::Table(table) => table.get("id").map(Spanned::span),
        _ => None,
    }
}

pub(super) fn table_id_in(table: &Spanned<DeTable<'_>>) -> Option<String> {
    table_id_in_table(table.get_ref())
}

fn table_id_in_table(table: &DeTable<'_>) -> Option<String> {
    table.get("id").and_then(|value| {
        value
            .get_ref()
            .as_str()
            .map(crate::text::escape_controls)
            .map(|id| id.into_owned())
    })
}

/// Removes the direct entry of a table whose key or value contains `offset`; returns its key.
fn remove_entry_at(value: &mut Spanned<DeValue<'_>>, offset: usize) -> Option<String> {
    let DeValue::Table(table) = value.get_mut() else {
        return None;
    };
    let key = table
        .iter()
        .find(|(key, entry)| {
            key.span().contains(&offset)
                || entry.span().contains(&offset)
                || key.span().start == offset
        })
        .map(|(key, _)| key.get_ref().to_string())?;
    table.remove(key.as_str());
    Some(key)
}

/// serde messages are one sentence; toml appends the offending line after a newline.
fn first_sentence(message: &str) -> &str {
    message.lines().next().unwrap_or(message).trim()
}

/// The first `backquoted` word after `prefix` in a serde message.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split_once(prefix)?.1.strip_prefix('`')?;
    Some(rest.split_once('`')?.0.to_string())
}

/// Every `backquoted` word of a serde "expected ..." list.
fn quoted_list(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// A valid id close to an invalid one (`App_Config` → `app-config`), for the help line.
fn suggest_id(text: &str) -> Option<String> {
    let mut suggestion = String::new();
    for c in text.trim().chars() {
        match c {
            'a'..='z' | '0'..='9' => suggestion.push(c),
            'A'..='Z' => suggestion.push(c.to_ascii_lowercase()),
            _ if !suggestion.is_empty() && !suggestion.ends_with('-') => suggestion.push('-'),
            _ => {}
        }
    }
    let suggestion = suggestion
        .trim_end_matches('-')
        .chars()
        .take(Id::MAX_LEN)
        .collect::<String>();
    Id::parse(&suggestion).ok().map(|id| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::test_deck::{help_of, rules, validate_with};

    #[test]
    fn every_bad_key_of_one_card_is_reported() {
        let validated = validate_with(&[(
            "topics/env/cards.toml",
            "[[card]]\nid = \"a\"\nfront = \"F\"\nbakc = \"B\"\ntagz = []\n",
        )]);
        assert_eq!(
            rules(&validated),
            [
                ("topics/env/cards.toml", 4, 1, "unknown-key"),
                ("topics/env/cards.toml", 5, 1, "unknown-key")
            ]
        );
        assert!(help_of(&validated, "unknown-key").starts_with("did you mean `back`?"));
    }
}
