//! Languages: the deck's `languages` (BCP 47 tags, `en` always among them) and every localized
//! text, written as one English string or as a table by language. English is required
//! everywhere: it is what a learner sees when their language has no text.

use std::collections::BTreeMap;

use toml::Spanned;

use super::file_checker::FileChecker;
use crate::content::files::LocalizedText;
use crate::diagnostic::ProblemBuilder;
use crate::model::{FALLBACK_LANGUAGE, Localized};
use crate::text::did_you_mean;

impl FileChecker<'_> {
    pub(super) fn languages(&mut self, languages: &Spanned<Vec<Spanned<String>>>) -> Vec<String> {
        let mut result: Vec<String> = Vec::new();
        for language in languages.get_ref() {
            let tag = language.get_ref();
            if !is_language_tag(tag) {
                self.problem(
                    language.span(),
                    "bad-value",
                    format!(
                        "`{}` is not a language tag",
                        crate::text::escape_controls(tag)
                    ),
                )
                .help("use a BCP 47 tag such as \"en\", \"ko\" or \"pt-BR\"");
            } else if result.contains(tag) {
                self.problem(
                    language.span(),
                    "duplicate-id",
                    format!("language `{tag}` is listed twice"),
                );
            } else {
                result.push(tag.clone());
            }
        }
        if !result.iter().any(|language| language == FALLBACK_LANGUAGE) {
            self.problem(
                languages.span(),
                "missing-english",
                "`languages` must include \"en\"",
            )
            .help(
                "English is every deck's fallback language: add \"en\" and write the English text",
            );
        }
        // English first: it is the fallback and the order lessons are checked in.
        result.sort_by_key(|language| language != FALLBACK_LANGUAGE);
        result
    }

    pub(super) fn localized(&mut self, text: &Spanned<LocalizedText>) -> Option<Localized> {
        match text.get_ref() {
            LocalizedText::English(english) => {
                if english.trim().is_empty() {
                    self.problem(text.span(), "empty-text", "this text is empty")
                        .help("write the text, or remove the key if it is optional");
                    return None;
                }
                Some(Localized::english(english.clone()))
            }
            LocalizedText::ByLanguage(entries) => {
                let mut texts = BTreeMap::new();
                let mut ok = true;
                for (language, value) in entries {
                    let tag = language.get_ref();
                    if !self.languages.iter().any(|known| known == tag) {
                        ok = false;
                        let help =
                            match did_you_mean(tag, self.languages.iter().map(String::as_str)) {
                                Some(close) => format!("did you mean `{close}`?"),
                                None => format!(
                                    "add \"{tag}\" to `languages` in deck.toml, or use one of: {}",
                                    self.languages.join(", ")
                                ),
                            };
                        self.problem(
                            language.span(),
                            "unknown-language",
                            format!(
                                "`{}` is not one of the deck's languages",
                                crate::text::escape_controls(tag)
                            ),
                        )
                        .help(help);
                    } else if value.trim().is_empty() {
                        ok = false;
                        self.problem(
                            language.span(),
                            "empty-text",
                            format!("the `{tag}` text is empty"),
                        )
                        .help("write the text, or remove this language to fall back to English");
                    } else {
                        texts.insert(tag.clone(), value.clone());
                    }
                }
                if !texts.contains_key(FALLBACK_LANGUAGE) && ok {
                    self.problem(
                        text.span(),
                        "missing-english",
                        "this text has no English (`en`) version",
                    )
                    .help("add `en = \"...\"`: English is required, other languages are optional");
                    return None;
                }
                if !ok {
                    return None;
                }
                Localized::new(texts)
            }
        }
    }

    /// `None` when the text is there but broken; `Some(None)` when it is absent.
    pub(super) fn optional_localized(
        &mut self,
        text: Option<&Spanned<LocalizedText>>,
    ) -> Option<Option<Localized>> {
        match text {
            None => Some(None),
            Some(text) => self.localized(text).map(Some),
        }
    }
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::super::test_deck::{help_of, rules, validate_with};

    #[test]
    fn localized_text_needs_english_and_known_languages() {
        let cards = "[[card]]\nid = \"a\"\nfront.kr = \"앞\"\nfront.en = \"F\"\nback.ko = \"뒤\"\n";
        let validated = validate_with(&[("topics/env/cards.toml", cards)]);
        assert_eq!(
            rules(&validated),
            [
                ("topics/env/cards.toml", 3, 7, "unknown-language"),
                ("topics/env/cards.toml", 5, 1, "missing-english")
            ]
        );
        assert_eq!(
            help_of(&validated, "unknown-language"),
            "did you mean `ko`?"
        );
    }
}
