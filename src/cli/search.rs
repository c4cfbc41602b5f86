//! `kubedrill search QUERY`: the search palette's ranked hits, without starting the interface.

use std::io::Write;

use serde::Serialize;

use super::{CliError, Context, Format, Lang, Outcome};
use crate::search::{Hit, Index};
use crate::text::escape_controls;

/// `search --format json`.
#[derive(Debug, Serialize)]
struct SearchJson<'a> {
    query: &'a str,
    hits: &'a [Hit<'a>],
}

pub fn run(
    query: &str,
    limit: usize,
    format: Format,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let loaded = context.load_library();
    let index = Index::build(&loaded.library, context.lang.tag());
    let hits = index.search(query, limit);
    if format == Format::Json {
        super::print_json(out, &SearchJson { query, hits: &hits })?;
        return Ok(if hits.is_empty() {
            Outcome::Failure
        } else {
            Outcome::Success
        });
    }
    if hits.is_empty() {
        writeln!(
            out,
            "{}",
            context.lang.pick(
                "Nothing matches. Try fewer letters, or the other language with --lang.",
                "일치하는 항목이 없습니다. 글자를 줄이거나 --lang으로 다른 언어를 시도해 보세요."
            )
        )?;
        return Ok(Outcome::Failure);
    }
    for hit in &hits {
        let target = hit.target;
        let kind = match (target.kind, context.lang) {
            (kind, Lang::En) => kind.name().to_string(),
            (crate::search::HitKind::Lesson, Lang::Ko) => "레슨".to_string(),
            (crate::search::HitKind::Heading, Lang::Ko) => "제목".to_string(),
            (crate::search::HitKind::Card, Lang::Ko) => "카드".to_string(),
            (crate::search::HitKind::Question, Lang::Ko) => "퀴즈".to_string(),
            (crate::search::HitKind::Exercise, Lang::Ko) => "실습".to_string(),
            (crate::search::HitKind::Drill, Lang::Ko) => "명령어".to_string(),
            (crate::search::HitKind::Scenario, Lang::Ko) => "시나리오".to_string(),
        };
        let place = match (&target.item, target.kind) {
            (
                Some(item),
                crate::search::HitKind::Card
                | crate::search::HitKind::Question
                | crate::search::HitKind::Exercise
                | crate::search::HitKind::Drill
                | crate::search::HitKind::Scenario,
            ) => format!("{}/{item}", target.topic),
            _ => target.topic.to_string(),
        };
        writeln!(
            out,
            "{:>4}  {}  {}  {}",
            hit.score,
            crate::text::pad(&kind, 8),
            crate::text::pad(&escape_controls(&place), 38),
            escape_controls(&target.title)
        )?;
    }
    Ok(Outcome::Success)
}
