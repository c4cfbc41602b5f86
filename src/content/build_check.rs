//! The first layer of a deck's check — every file is UTF-8 text and every TOML file parses — in
//! a form the build script runs too: build.rs includes this file (`#[path]`) and refuses to
//! build a binary whose built-in deck (`content/`) fails it, with the file:line:column and the
//! message that `deck check` gives for the same mistake (the checker builds its problems from
//! these findings, so the two cannot drift apart).
//!
//! Only this layer runs in the build script: it needs std and toml's parser alone. The rest of the
//! check (schemas, the grader proving every solution, scenarios) is most of the library, which the
//! build script would have to compile again (and run unoptimized: 11 s): the test suite runs it on
//! the built-in deck (`the_built_in_deck_checks_clean` in tests/cli.rs), and a start checks any deck
//! whose cached model is missing or stale (src/content/cache.rs).

use std::ops::Range;

/// One mistake found by this layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file, relative to the deck's folder, with `/` separators.
    pub file: String,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    /// Byte range in the file, when the finding is inside text.
    pub span: Option<Range<usize>>,
    /// The same stable rule name `deck check` reports (`toml-syntax`, `not-utf8`).
    pub rule: &'static str,
    pub message: String,
    pub help: &'static str,
}

/// The text of a file, or the finding that it is not UTF-8 (at its first bad byte).
pub fn text<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, Finding> {
    std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let (line, column) = line_column(valid, valid.len());
        Finding {
            file: file.to_string(),
            line,
            column,
            span: None,
            rule: "not-utf8",
            message: format!(
                "this file is not UTF-8 text (invalid byte at line {line}, column {column})"
            ),
            help: "save the file as UTF-8",
        }
    })
}

/// The parsed table of `text`, with every syntax error the TOML parser recovers from (the table
/// is only worth reading when there is none).
pub fn toml<'t>(file: &str, text: &'t str) -> (toml::Spanned<toml::de::DeTable<'t>>, Vec<Finding>) {
    let (table, errors) = toml::de::DeTable::parse_recoverable(text);
    let findings = errors
        .into_iter()
        .map(|error| {
            let span = error.span().unwrap_or(0..0);
            let (line, column) = line_column(text, span.start);
            let message = error.message();
            let first = message.lines().next().unwrap_or(message).trim();
            Finding {
                file: file.to_string(),
                line,
                column,
                span: Some(span),
                rule: "toml-syntax",
                message: format!("TOML syntax: {first}"),
                help: "fix the syntax; see https://toml.io for the rules",
            }
        })
        .collect();
    (table, findings)
}

/// This layer over a deck's files (path relative to the deck folder, bytes): every file must be
/// UTF-8, and every `.toml` file must parse. Findings are in file order.
pub fn check<'f>(files: impl IntoIterator<Item = (&'f str, &'f [u8])>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (file, bytes) in files {
        match text(file, bytes) {
            Err(finding) => findings.push(finding),
            Ok(text) if file.ends_with(".toml") => findings.extend(toml(file, text).1),
            Ok(_) => {}
        }
    }
    findings
}

/// The findings as `deck check` prints their first lines, one per line, each path prefixed by
/// `folder` (`content/topics/env/cards.toml:3:7: error[toml-syntax]: …`), then each one's help.
pub fn render(findings: &[Finding], folder: &str) -> String {
    let mut out = String::new();
    for finding in findings {
        out.push_str(&format!(
            "{folder}/{}:{}:{}: error[{}]: {}\n  help: {}\n",
            finding.file, finding.line, finding.column, finding.rule, finding.message, finding.help
        ));
    }
    out
}

/// The 1-based line and column (in characters) of byte `offset` in `text`; an offset inside a
/// character counts as that character.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}
