//! `kubedrill stats`: due today and the coming week, reviews per day, true retention, the
//! streak and each topic's mastery; `--format json` gives the whole year.

use std::io::Write;

use jiff::civil::Date;
use serde::Serialize;

use super::{CliError, Context, Format, Lang, Outcome};
use crate::store::stats::Stats;
use crate::study;
use crate::text::pad;

/// `stats --format json`: the stats, the exam date and the retention aimed at now.
#[derive(Debug, Serialize)]
struct StatsJson<'a> {
    #[serde(flatten)]
    stats: &'a Stats,
    exam_date: Option<Date>,
    desired_retention: f64,
}

pub fn run(format: Format, context: &Context, out: &mut impl Write) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let loaded = context.load_library();
    let store = context.store()?;
    let settings = store.settings()?;
    let scheduler = study::scheduler(&settings, &context.zone).map_err(CliError::said)?;
    let stats = store.stats(
        &loaded.library,
        &scheduler,
        context.now,
        &context.zone,
        settings.day_starts_at,
    )?;
    if format == Format::Json {
        let document = StatsJson {
            stats: &stats,
            exam_date: settings.exam_date,
            desired_retention: scheduler.retention_at(context.now),
        };
        super::print_json(out, &document)?;
        return Ok(Outcome::Success);
    }
    let sum = |days| stats.reviews_in_last(days);
    let week = stats.due_in_next(7);
    let tomorrow = stats.due_tomorrow();
    match lang {
        Lang::En => {
            writeln!(
                out,
                "Study day {} · streak {} · {} in all",
                stats.today,
                crate::text::plural(stats.streak, "day"),
                crate::text::plural(stats.total_reviews, "review")
            )?;
            writeln!(
                out,
                "Due: today {} · tomorrow {tomorrow} · next 7 days {week} · {} new not yet seen",
                stats.due_today, stats.new_items
            )?;
            writeln!(
                out,
                "Reviews: last 7 days {} · last 30 days {} · last year {}",
                sum(7),
                sum(30),
                sum(365)
            )?;
        }
        Lang::Ko => {
            writeln!(
                out,
                "학습일 {} · 연속 {}일 · 전체 복습 {}회",
                stats.today, stats.streak, stats.total_reviews
            )?;
            writeln!(
                out,
                "예정: 오늘 {} · 내일 {tomorrow} · 7일간 {week} · 아직 안 본 새 항목 {}",
                stats.due_today, stats.new_items
            )?;
            writeln!(
                out,
                "복습: 최근 7일 {} · 최근 30일 {} · 최근 1년 {}",
                sum(7),
                sum(30),
                sum(365)
            )?;
        }
    }
    let retention = stats.retention;
    match (retention.rate, lang) {
        (Some(rate), Lang::En) => writeln!(
            out,
            "True retention (30 days): {:.1}% ({} of {} reviews remembered; target {:.0}%)",
            rate * 100.0,
            retention.remembered,
            retention.remembered + retention.forgotten,
            scheduler.retention_at(context.now) * 100.0
        )?,
        (Some(rate), Lang::Ko) => writeln!(
            out,
            "실제 기억률(30일): {:.1}% (복습 {}회 중 {}회 기억; 목표 {:.0}%)",
            rate * 100.0,
            retention.remembered + retention.forgotten,
            retention.remembered,
            scheduler.retention_at(context.now) * 100.0
        )?,
        (None, Lang::En) => writeln!(
            out,
            "True retention: no reviews of learnt items in the last 30 days yet"
        )?,
        (None, Lang::Ko) => writeln!(
            out,
            "실제 기억률: 최근 30일 동안 익힌 항목을 복습한 기록이 아직 없습니다"
        )?,
    }
    if let (Some(exam), Some(days)) = (
        settings.exam_date,
        study::days_to_exam(settings.exam_date, stats.today),
    ) {
        match (lang, days) {
            (Lang::En, 0) => writeln!(out, "Exam {exam}: today")?,
            (Lang::En, days) => writeln!(
                out,
                "Exam {exam}: in {}",
                crate::text::plural(days as usize, "day")
            )?,
            (Lang::Ko, days) => writeln!(out, "시험 {exam}: {days}일 남음")?,
        }
    }
    writeln!(out)?;
    let means = format!(
        "{} {}",
        lang.pick("Mastery:", "숙련도:"),
        stats.mastery_sentence(lang == Lang::Ko)
    );
    writeln!(out, "{means}")?;
    writeln!(
        out,
        "{}{}{}{}{}",
        pad(lang.pick("Topic", "주제"), 31),
        pad(lang.pick("mastery", "숙련도"), 16),
        pad(lang.pick("studied", "학습"), 10),
        pad(lang.pick("mature", "장기"), 8),
        lang.pick("due", "예정"),
    )?;
    let row = |out: &mut dyn Write,
               name: &str,
               mastery: f64,
               studied: usize,
               items: usize,
               mature: usize,
               due: usize|
     -> std::io::Result<()> {
        let filled = ((mastery * 10.0).round() as usize).min(10);
        let bar: String = "█".repeat(filled) + &"░".repeat(10 - filled);
        writeln!(
            out,
            "{} {bar} {:>3.0}%  {:>3}/{:<4} {:>6}  {:>3}",
            pad(&crate::text::truncate(name, 30), 30),
            mastery * 100.0,
            studied,
            items,
            mature,
            due
        )
    };
    let topic_row = |out: &mut dyn Write, indent: &str, topic: &crate::store::stats::TopicStats| {
        row(
            out,
            &format!("{indent}{}/{}", topic.deck, topic.topic),
            topic.mastery,
            topic.studied,
            topic.items,
            topic.mature,
            topic.due_today,
        )
    };
    for deck in &loaded.library.decks {
        let topics = stats
            .topics
            .iter()
            .filter(|topic| topic.deck == deck.id.as_str());
        let domains: Vec<_> = stats
            .domains
            .iter()
            .filter(|domain| domain.deck == deck.id.as_str())
            .collect();
        if domains.is_empty() {
            for topic in topics {
                topic_row(out, "", topic)?;
            }
            continue;
        }
        // Each domain's topics together, then the topics one by one under it.
        for domain in domains {
            let title = match &domain.domain {
                Some(id) => deck
                    .domains
                    .iter()
                    .find(|known| known.id.as_str() == id)
                    .map_or_else(
                        || id.clone(),
                        |known| known.title.get(lang.tag()).to_string(),
                    ),
                None => lang.pick("Other topics", "그 밖의 주제").to_string(),
            };
            let name = match domain.weight {
                Some(weight) => format!("{} {weight}%", crate::text::truncate(&title, 25)),
                None => title,
            };
            row(
                out,
                &name,
                domain.mastery,
                domain.studied,
                domain.items,
                domain.mature,
                domain.due_today,
            )?;
            for topic in topics.clone().filter(|topic| topic.domain == domain.domain) {
                topic_row(out, "  ", topic)?;
            }
        }
    }
    if !stats.exams.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", lang.pick("Mock exams", "모의 시험"))?;
        for exam in &stats.exams {
            writeln!(
                out,
                "  {}  {:>3.0}%  {}  {}  seed {}",
                exam.date,
                exam.score,
                if exam.passed {
                    lang.pick("passed    ", "합격  ")
                } else {
                    lang.pick("not passed", "불합격")
                },
                match lang {
                    Lang::En => crate::text::plural(exam.tasks, "task"),
                    Lang::Ko => format!("과제 {}개", exam.tasks),
                },
                exam.seed
            )?;
        }
    }
    Ok(Outcome::Success)
}
