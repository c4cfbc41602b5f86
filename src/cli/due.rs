//! `kubedrill due`: what today's study holds, per deck and topic, within the daily limits.

use std::io::Write;

use jiff::civil::Date;
use serde::Serialize;

use super::{CliError, Context, Format, Lang, Outcome};
use crate::study;
use crate::text::escape_controls;

/// `due --format json`.
#[derive(Debug, Serialize)]
struct DueJson<'a> {
    date: Date,
    total: usize,
    learning: usize,
    reviews: usize,
    new: usize,
    later_today: usize,
    reviews_held_back: usize,
    new_held_back: usize,
    exam_date: Option<Date>,
    exam_in_days: Option<i32>,
    /// Set when new items cannot all be seen a week before the exam at `new-per-day`.
    plan_warning: Option<PlanWarning>,
    topics: Vec<TopicJson<'a>>,
    /// Today's entries in the order Continue shows them.
    queue: Vec<QueueJson<'a>>,
}

/// One entry of today's queue: a lesson (`id` is its topic) or an item (`TOPIC/ITEM`).
#[derive(Debug, Serialize)]
struct QueueJson<'a> {
    kind: &'static str,
    id: String,
    deck: &'a str,
    topic: &'a str,
    /// `unread` for a lesson; `new`, `learning`, `relearning` or `review` for an item.
    state: &'static str,
}

/// `due --format json`'s `plan_warning`: the exam-date plan is behind.
#[derive(Debug, Serialize)]
struct PlanWarning {
    /// Items never studied.
    unseen: usize,
    /// The last day new items may be first seen.
    new_items_end: Date,
    new_per_day: usize,
    /// `null` when the exam is too close for any limit.
    needed_new_per_day: Option<usize>,
    message: String,
}

#[derive(Debug, Serialize)]
struct TopicJson<'a> {
    deck: &'a str,
    topic: &'a str,
    /// The id of the deck's domain the topic belongs to.
    domain: Option<&'a str>,
    learning: usize,
    reviews: usize,
    new: usize,
}

pub fn run(format: Format, context: &Context, out: &mut impl Write) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let loaded = context.load_library();
    let store = context.store()?;
    let read = store.settings().and_then(|settings| {
        let today = study::today(
            &loaded.library,
            &store,
            &settings,
            context.now,
            &context.zone,
            |_| true,
        )?;
        Ok((settings, today))
    });
    // Damage met while reading moves the file aside as at opening, and is told the same way.
    store.say_notices();
    let (settings, today) = read?;
    let per_topic = today.per_topic();
    let exam_days = study::days_to_exam(settings.exam_date, today.day.date);
    let plan_warning = plan_warning(&loaded.library, &store, &settings, context, lang)?;
    if format == Format::Json {
        let document = DueJson {
            date: today.day.date,
            total: today.items.len(),
            learning: today.learning,
            reviews: today.reviews,
            new: today.new,
            later_today: today.later_today,
            reviews_held_back: today.reviews_held_back,
            new_held_back: today.new_held_back,
            exam_date: settings.exam_date,
            exam_in_days: exam_days,
            plan_warning,
            topics: per_topic
                .iter()
                .map(|due| TopicJson {
                    deck: due.deck.id.as_str(),
                    topic: due.topic.id.as_str(),
                    domain: due
                        .topic
                        .domain
                        .and_then(|index| due.deck.domains.get(index))
                        .map(|domain| domain.id.as_str()),
                    learning: due.counts.learning,
                    reviews: due.counts.reviews,
                    new: due.counts.new,
                })
                .collect(),
            queue: today
                .queue
                .iter()
                .map(|step| match *step {
                    study::Step::Lesson { deck, topic } => QueueJson {
                        kind: "lesson",
                        id: topic.id.to_string(),
                        deck: deck.id.as_str(),
                        topic: topic.id.as_str(),
                        state: "unread",
                    },
                    study::Step::Item(index) => {
                        let (entry, state) = &today.items[index];
                        QueueJson {
                            kind: entry.kind().name(),
                            id: entry.key(),
                            deck: entry.deck.id.as_str(),
                            topic: entry.topic.id.as_str(),
                            state: state
                                .as_ref()
                                .map_or(crate::srs::Phase::New, |state| state.phase)
                                .name(),
                        }
                    }
                })
                .collect(),
        };
        super::print_json(out, &document)?;
        return Ok(Outcome::Success);
    }
    let date = today.day.date;
    match lang {
        Lang::En => writeln!(
            out,
            "Today ({date}): {} to study: {} learning, {} reviews, {} new",
            today.items.len(),
            today.learning,
            today.reviews,
            today.new
        )?,
        Lang::Ko => writeln!(
            out,
            "오늘({date}) 학습할 항목 {}개: 학습 중 {}개, 복습 {}개, 새 항목 {}개",
            today.items.len(),
            today.learning,
            today.reviews,
            today.new
        )?,
    }
    // The lessons Continue opens first, before their topics' new items.
    let lessons: Vec<String> = today
        .queue
        .iter()
        .filter_map(|step| match step {
            study::Step::Lesson { topic, .. } => {
                Some(escape_controls(topic.title.get(lang.tag())).into_owned())
            }
            study::Step::Item(_) => None,
        })
        .collect();
    if !lessons.is_empty() {
        match lang {
            Lang::En => writeln!(out, "Lessons first: {}", lessons.join(", "))?,
            Lang::Ko => writeln!(out, "먼저 읽을 레슨: {}", lessons.join(", "))?,
        }
    }
    let counts = |learning: usize, reviews: usize, new: usize| {
        let mut parts = Vec::new();
        for (count, en, ko) in [
            (learning, "learning", "학습 중"),
            (reviews, "reviews", "복습"),
            (new, "new", "새 항목"),
        ] {
            if count > 0 {
                parts.push(match lang {
                    Lang::En => format!("{count} {en}"),
                    Lang::Ko => format!("{ko} {count}"),
                });
            }
        }
        parts.join(", ")
    };
    let mut decks: Vec<&crate::model::Deck> = Vec::new();
    for due in &per_topic {
        if !decks.iter().any(|deck| deck.id == due.deck.id) {
            decks.push(due.deck);
        }
    }
    for deck in decks {
        writeln!(
            out,
            "  {}  {}",
            deck.id,
            escape_controls(deck.title.get(lang.tag()))
        )?;
        let mine: Vec<_> = per_topic
            .iter()
            .filter(|due| due.deck.id == deck.id)
            .collect();
        let topic_line = |out: &mut dyn Write, indent: &str, due: &&study::TopicDue<'_>| {
            writeln!(
                out,
                "{indent}{:<18} {}",
                due.topic.id.as_str(),
                counts(due.counts.learning, due.counts.reviews, due.counts.new)
            )
        };
        if deck.domains.is_empty() {
            for due in &mine {
                topic_line(out, "    ", due)?;
            }
            continue;
        }
        // Each domain with what it holds today, then its topics.
        for group in deck.groups() {
            let entries: Vec<_> = mine
                .iter()
                .filter(|due| due.topic.domain == group.domain)
                .collect();
            if entries.is_empty() {
                continue;
            }
            let sum = |pick: fn(&study::TopicDue<'_>) -> usize| {
                entries.iter().map(|due| pick(due)).sum::<usize>()
            };
            let domain = group.domain.and_then(|index| deck.domains.get(index));
            let title = domain.map_or_else(
                || lang.pick("Other topics", "그 밖의 주제").to_string(),
                |domain| escape_controls(domain.title.get(lang.tag())).into_owned(),
            );
            let weight = domain
                .and_then(|domain| domain.weight)
                .map(|weight| format!(" ({weight}%)"))
                .unwrap_or_default();
            writeln!(
                out,
                "    {title}{weight}: {}",
                counts(
                    sum(|due| due.counts.learning),
                    sum(|due| due.counts.reviews),
                    sum(|due| due.counts.new)
                )
            )?;
            for due in entries {
                topic_line(out, "      ", due)?;
            }
        }
    }
    if today.later_today > 0 {
        match lang {
            Lang::En => writeln!(
                out,
                "Later today: {} learning steps come due.",
                today.later_today
            )?,
            Lang::Ko => writeln!(
                out,
                "오늘 중에 학습 단계 {}개가 더 돌아옵니다.",
                today.later_today
            )?,
        }
    }
    let mut held = Vec::new();
    if today.new_held_back > 0 {
        held.push(match lang {
            Lang::En => format!(
                "{} new (new-per-day {})",
                today.new_held_back, settings.new_per_day
            ),
            Lang::Ko => format!(
                "새 항목 {}개(new-per-day {})",
                today.new_held_back, settings.new_per_day
            ),
        });
    }
    if today.reviews_held_back > 0 {
        held.push(match lang {
            Lang::En => format!(
                "{} reviews (reviews-per-day {})",
                today.reviews_held_back, settings.reviews_per_day
            ),
            Lang::Ko => format!(
                "복습 {}개(reviews-per-day {})",
                today.reviews_held_back, settings.reviews_per_day
            ),
        });
    }
    if !held.is_empty() {
        match lang {
            Lang::En => writeln!(out, "Held back by today's limits: {}.", held.join(", "))?,
            Lang::Ko => writeln!(out, "오늘 한도 때문에 미룬 항목: {}.", held.join(", "))?,
        }
    }
    if let (Some(days), Some(exam)) = (exam_days, settings.exam_date) {
        match lang {
            Lang::En if days == 0 => writeln!(out, "Exam today ({exam}).")?,
            Lang::En => writeln!(
                out,
                "Exam in {} ({exam}).",
                crate::text::plural(days as usize, "day")
            )?,
            Lang::Ko => writeln!(out, "시험까지 {days}일 남았습니다({exam}).")?,
        }
    }
    if let Some(warning) = &plan_warning {
        writeln!(out, "{}", warning.message)?;
    }
    Ok(Outcome::Success)
}

/// The exam-date plan's warning, when new items held back by `new-per-day` cannot all be seen
/// a week before the exam (none without an exam date to come).
fn plan_warning(
    library: &crate::model::Library,
    store: &crate::store::Store,
    settings: &crate::store::Settings,
    context: &Context,
    lang: Lang,
) -> Result<Option<PlanWarning>, CliError> {
    use study::plan::PlanProblem;
    let exam_plan =
        match study::plan::exam_plan(library, store, settings, context.now, &context.zone) {
            Ok(exam_plan) => exam_plan,
            Err(PlanProblem::Store(error)) => return Err(CliError::Store(error)),
            Err(_) => return Ok(None),
        };
    let plan = exam_plan.plan;
    if plan.on_track {
        return Ok(None);
    }
    let end = plan.new_items_end;
    let message = match (lang, plan.needed_new_per_day) {
        (Lang::En, Some(needed)) => format!(
            "Behind the exam plan: at {} new a day the {} items not yet seen are not all seen by {end}, a week before the exam; {needed} a day are needed: kubedrill config set new-per-day {needed}",
            plan.new_per_day, plan.unseen
        ),
        (Lang::Ko, Some(needed)) => format!(
            "시험 계획보다 뒤처졌습니다: 하루 새 항목 {}개로는 아직 안 본 항목 {}개를 시험 한 주 전인 {end}까지 다 볼 수 없습니다. 하루 {needed}개가 필요합니다: kubedrill config set new-per-day {needed}",
            plan.new_per_day, plan.unseen
        ),
        (Lang::En, None) => format!(
            "Behind the exam plan: the exam is too close to see the {} items not yet seen a week before it ({end}); see `kubedrill plan`",
            plan.unseen
        ),
        (Lang::Ko, None) => format!(
            "시험 계획보다 뒤처졌습니다: 시험이 너무 가까워 아직 안 본 항목 {}개를 한 주 전({end})까지 다 볼 수 없습니다. `kubedrill plan`을 확인하세요",
            plan.unseen
        ),
    };
    Ok(Some(PlanWarning {
        unseen: plan.unseen,
        new_items_end: end,
        new_per_day: plan.new_per_day,
        needed_new_per_day: plan.needed_new_per_day,
        message,
    }))
}
